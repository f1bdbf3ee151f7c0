/*
** test_bulk.c -- large imports: the claims' key indexes built once at the
** end (import.c, "indexes built once at the end") and latest rows stored in
** sorted batches (latest.c) give what a small import gives, row for row.
** The threshold is lowered on the handle, so that a file of a megabyte and
** a half takes the path a desk's file of hundreds of megabytes takes.
*/
#include "check.h"
#include "check_sqlite.h"
#include "internal.h"
#include "latest.h"
#include "storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Views on q (declared first) and on r (declared last, with scale
   `r_scale` JSON, or not at all when NULL), observations of two keys, an
   actor after some of its claims: over a megabyte, read on two threads. */
static void write_desk(const char *path, const char *r_scale) {
  FILE *f = fopen(path, "w");
  fprintf(f, "{\"type\": \"source\", \"id\": \"s\", \"published\": "
             "\"2026-04-28\"}\n"
             "{\"type\": \"question\", \"id\": \"q\"}\n"
             "{\"type\": \"entity\", \"id\": \"e\"}\n"
             "{\"type\": \"metric\", \"id\": \"m\"}\n");
  for (int i = 0; i < 5000; i++) {
    if (i % 9 == 0)
      fprintf(f, "{\"type\": \"actor\", \"id\": \"a%d\", \"weight\": %d}\n",
              i / 9, 1 + i % 4);
    if (i % 3 == 0)
      fprintf(f,
              "{\"type\": \"claim\", \"source\": \"s\", \"actor\": \"a%d\", "
              "\"question\": \"%s\", \"stance\": %d, \"quote\": \"第%d条：估值"
              "与算力需求仍有上行空间，开源模型的追赶速度超出预期。\"%s}\n",
              i / 9, i % 2 ? "q" : "r", i % 5 - 2, i,
              i % 4 ? "" : ", \"as_of\": \"2026-05-01\"");
    else
      fprintf(f,
              "{\"type\": \"claim\", \"actor\": \"a%d\", \"entity\": \"e\", "
              "\"metric\": \"m\", \"period\": \"%s\", \"value\": %d.5, "
              "\"quote\": \"日均token调用量达到二十点六万亿，较去年年底增长超过"
              "百分之四十，其中推理调用占比持续提升。\"%s}\n",
              i / 9, i % 4 ? "2026-03" : "2026-Q1", i,
              i % 7 ? "" : ", \"as_of\": \"2026-06-01\"");
  }
  if (r_scale)
    fprintf(f, "{\"type\": \"question\", \"id\": \"r\", \"scale\": %s}\n",
            r_scale);
  fclose(f);
}

static const char *const tables[] = {
    "[\"SELECT * FROM claims ORDER BY rowid\"]",
    "[\"SELECT * FROM latest_views ORDER BY 1, 2\"]",
    "[\"SELECT * FROM latest_observations ORDER BY 1, 2, 3, 4\"]",
    "[\"SELECT * FROM key_values ORDER BY 1, 2, 3\"]",
};

/* Every table the import writes, the same in both. */
static void check_same_rows(ck_db *a, ck_db *b) {
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    const char *got = ck_call(a, "sql", tables[i]);
    CHECK(got != NULL);
    char *want = strdup(got ? got : "");
    CHECK_STR(ck_call(b, "sql", tables[i]), want);
    free(want);
  }
}

/* The file's schema as claimkit makes it: it opens again (ck_open checks
   every index's SQL), and the key indexes are there. */
static void check_reopens(const char *path) {
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT count(*) AS n FROM sqlite_schema WHERE name IN "
                    "('claims_view_key', 'claims_observation_key')\"]"),
            "[{\"n\":2}]");
  ck_close(db);
}

/* The last import of a case: the file holds what the one-thread database
   does and opens again; both closed, the file removed. */
static void check_last_import(ck_db *small, ck_db *bulk, const char *file) {
  check_same_rows(small, bulk);
  ck_close(bulk);
  ck_close(small);
  check_reopens(file);
  check_remove_database(file);
}

TEST(a_large_import_building_its_indexes_at_the_end_stores_the_same) {
  char pack[32], file[32];
  check_temp_path(pack);
  check_temp_path(file);
  write_desk(pack, "[-2, 2]");
  ck_db *small, *bulk;
  CHECK_INT(ck_open(NULL, 0, &small), CK_OK);
  CHECK_INT(ck_open(file, 0, &bulk), CK_OK);
  bulk->defer_claims = 100;
  bulk->latest_batch = 7; /* keys span batches, older claims come later */
  /* A bound each record's SQL keeps; building an index is the import's. */
  ck_limit(bulk, CK_LIMIT_SQL_STEPS, 20000);
  char *text = check_slurp(pack);
  CHECK(strlen(text) > (1 << 20));
  CHECK_INT(ck_import_json(small, text), CK_OK); /* one thread, no deferring */
  CHECK_INT(ck_import_file(bulk, pack), CK_OK);
  ck_limit(bulk, CK_LIMIT_SQL_STEPS, 1000000000); /* the checks' queries */
  check_same_rows(small, bulk);
  /* Built anew at the end, they are the schema's last entries. */
  CHECK_STR(ck_call(bulk, "sql",
                    "[\"SELECT group_concat(name, ' ') AS names FROM (SELECT "
                    "name FROM sqlite_schema ORDER BY rowid DESC LIMIT 2)\"]"),
            "[{\"names\":\"claims_observation_key claims_view_key\"}]");
  char *want = strdup(ck_export_json(small, NULL));
  CHECK_STR(ck_export_json(bulk, NULL), want);
  free(want);
  ck_close(bulk);
  check_reopens(file);
  /* Again into a database that holds them all: nothing doubles, the
     indexes stay, and every claim is found stored already. */
  CHECK_INT(ck_open(file, 0, &bulk), CK_OK);
  bulk->defer_claims = 100;
  CHECK_INT(ck_import_file(bulk, pack), CK_OK);
  CHECK_CONTAINS(ck_call(bulk, "stats", NULL), "\"claims\":5000");
  check_last_import(small, bulk, file);
  free(text);
  unlink(pack);
}

TEST(a_question_after_its_claims_is_checked_while_the_indexes_wait) {
  /* r comes after its views, with stances -2..2: a scale of -1..1 leaves
     some outside, reported as a one-thread import reports it, and the
     refused import leaves the file as it was. */
  static const char *const scales[] = {"[-1, 1]", "[-3, 3]"};
  for (int into_stored = 0; into_stored < 2; into_stored++)
    for (int i = 0; i < 2 - into_stored; i++) { /* into_stored: refused */
      char pack[32], file[32];
      check_temp_path(pack);
      check_temp_path(file);
      write_desk(pack, scales[i]);
      ck_db *small, *bulk;
      CHECK_INT(ck_open(NULL, 0, &small), CK_OK);
      CHECK_INT(ck_open(file, 0, &bulk), CK_OK);
      bulk->defer_claims = 100;
      if (into_stored) { /* a stored claim: the check must ask the file */
        static const char one[] =
            "{\"actors\": [{\"id\": \"old\"}], \"questions\": [{\"id\": "
            "\"r\", \"scale\": [-3, 3]}], \"claims\": [{\"actor\": \"old\", "
            "\"question\": \"r\", \"stance\": 3}]}";
        CHECK_INT(ck_import_json(small, one), CK_OK);
        CHECK_INT(ck_import_json(bulk, one), CK_OK);
      }
      char *text = check_slurp(pack);
      int want_rc = ck_import_json(small, text);
      CHECK_INT(want_rc, i == 0 ? CK_INVALID : CK_OK);
      char *want = strdup(ck_errmsg(small));
      CHECK_INT(ck_import_file(bulk, pack), want_rc);
      if (want_rc != CK_OK) {
        CHECK_CONTAINS(ck_errmsg(bulk), "leaves claim");
        CHECK_STR(ck_errmsg(bulk), want);
      }
      free(want);
      check_last_import(small, bulk, file);
      free(text);
      unlink(pack);
    }
}

/* Which imports are written with a rollback journal (statements.c, "a new
   file's first import"): a file with no claims, open nowhere else; not one
   in memory, not one that holds claims, not one another connection has
   open (and that one is asked without waiting out the busy timeout). */
TEST(only_a_file_without_claims_open_nowhere_else_leaves_wal) {
  char file[32], mode[16];
  check_temp_path(file);
  ck_db *db, *memory;
  CHECK_INT(ck_open(file, 0, &db), CK_OK);
  CHECK_INT(ck_open(NULL, 0, &memory), CK_OK);
  CHECK_INT(storage_bulk_journal(memory), 0);
  CHECK_INT(storage_bulk_journal(db), 1);
  CHECK_STR(check_journal_mode(file, mode), "delete");
  storage_wal_again(db);
  CHECK_STR(check_journal_mode(file, mode), "wal");
  sqlite3 *elsewhere;
  CHECK_INT(sqlite3_open(file, &elsewhere), SQLITE_OK);
  CHECK_INT(sqlite3_exec(elsewhere, "SELECT 1 FROM claims", NULL, NULL, NULL),
            SQLITE_OK);
  ck_limit(db, CK_LIMIT_BUSY_MS, 60000); /* a wait would hang the test */
  CHECK_INT(storage_bulk_journal(db), 0);
  CHECK_STR(check_journal_mode(file, mode), "wal");
  sqlite3_close(elsewhere);
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}], \"questions\": "
                               "[{\"id\": \"q\"}], \"claims\": [{\"actor\": "
                               "\"a\", \"question\": \"q\", \"stance\": 1}]}"),
            CK_OK);
  CHECK_INT(storage_bulk_journal(db), 0);
  CHECK_STR(check_journal_mode(file, mode), "wal");
  ck_close(memory);
  ck_close(db);
  check_remove_database(file);
}

/* ---- latest rows stored in batches (latest.c) --------------------------- */

/* Two imports of claims on few keys, drawn so that a key is claimed many
   times in one import, older dates come later, dates tie (the later claim
   wins), claims have no date at all (a source without one), and the second
   import replaces some claims of the first under their ids. */
static void draw_imports(char *first, char *second, size_t size) {
  unsigned seed = 7;
  for (int part = 0; part < 2; part++) {
    char *out = part ? second : first;
    size_t n = (size_t)snprintf(
        out, size,
        "{\"type\": \"source\", \"id\": \"dated\", \"published\": "
        "\"2026-02-01\"}\n"
        "{\"type\": \"source\", \"id\": \"undated\"}\n"
        "{\"type\": \"metric\", \"id\": \"m\", \"unit\": \"pct\"}\n"
        "{\"type\": \"metric\", \"id\": \"bare\"}\n"
        "{\"type\": \"entity\", \"id\": \"e\"}\n{\"type\": \"entity\", \"id\": "
        "\"f\"}\n"
        "{\"type\": \"question\", \"id\": \"q\"}\n{\"type\": \"question\", "
        "\"id\": \"r\"}\n"
        "{\"type\": \"actor\", \"id\": \"a\", \"region\": \"domestic\"}\n"
        "{\"type\": \"actor\", \"id\": \"b\", \"weight\": 2}\n"
        "{\"type\": \"actor\", \"id\": \"c\", \"kind\": \"broker\"}\n");
    static const char *const dates[] = {"", ", \"as_of\": \"2026-01-05\"",
                                        ", \"as_of\": \"2026-02-01\"",
                                        ", \"as_of\": \"2026-03-09\""};
    static const char *const sources[] = {"", ", \"source\": \"dated\"",
                                          ", \"source\": \"undated\""};
    for (int i = 0; i < 400; i++) {
      seed = seed * 1103515245u + 12345u;
      unsigned r = seed >> 8;
      char id[48] = "";
      if (i % 5 == 0) /* the second import replaces the first's */
        snprintf(id, sizeof id, ", \"id\": \"x%d\"", i / 5);
      const char *actor = (const char *[]){"a", "b", "c"}[r / 7 % 3];
      if (r % 2)
        n += (size_t)snprintf(out + n, size - n,
                              "{\"type\": \"claim\", \"actor\": \"%s\", "
                              "\"question\": \"%s\", \"stance\": %d%s%s%s}\n",
                              actor, r / 11 % 2 ? "q" : "r",
                              (int)(r / 13 % 5) - 2, dates[r / 17 % 4],
                              sources[r / 19 % 3], id);
      else
        n += (size_t)snprintf(
            out + n, size - n,
            "{\"type\": \"claim\", \"actor\": \"%s\", "
            "\"entity\": \"%s\", \"metric\": \"%s\"%s, "
            "\"value\": %u%s%s%s}\n",
            actor, r / 11 % 2 ? "e" : "f", r / 23 % 2 ? "m" : "bare",
            (const char *[]){"", ", \"period\": \"2026-Q1\"",
                             ", \"period\": \"2026\""}[r / 29 % 3],
            r % 1000, dates[r / 17 % 4], sources[r / 19 % 3], id);
      CHECK(n < size); /* the buffers are made large enough */
      if (n >= size)
        return;
    }
  }
}

TEST(latest_rows_are_each_keys_newest_whatever_the_batch) {
  static char first[1 << 17], second[1 << 17];
  draw_imports(first, second, sizeof first);
  /* Stored rows against the rows computed from the claims: how many of
     each, and how many stored ones the computation does not give. */
#define AGAINST(table, computed)                                               \
  "[\"SELECT (SELECT count(*) FROM " table ") AS stored, (SELECT count(*) "    \
  "FROM (" computed                                                            \
  ")) AS computed, (SELECT count(*) FROM (SELECT * FROM " table                \
  " EXCEPT " computed ")) AS differing\"]"
  static const char *const against[] = {
      AGAINST("latest_views", CK_LATEST_VIEWS("")),
      AGAINST("latest_observations", CK_LATEST_OBSERVATIONS(""))};
  static const size_t kept[] = {1, 2, 3, 7, 64, CK_LATEST_BATCH};
  char *values = NULL; /* key_values with the default batch */
  for (size_t k = sizeof kept / sizeof kept[0]; k-- > 0;) {
    ck_db *db;
    CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
    db->latest_batch = kept[k];
    CHECK_INT(ck_import_json(db, first), CK_OK);
    CHECK_INT(ck_import_json(db, second), CK_OK);
    for (int t = 0; t < 2; t++) {
      int stored = -1, computed = -2, differing = -1;
      CHECK_INT(sscanf(ck_call(db, "sql", against[t]),
                       "[{\"stored\":%d,\"computed\":%d,\"differing\":%d}]",
                       &stored, &computed, &differing),
                3);
      CHECK(stored >= (t ? 30 : 6)); /* nearly every key claimed */
      CHECK_INT(computed, stored);
      CHECK_INT(differing, 0);
    }
    if (!values)
      values = strdup(ck_call(db, "sql", tables[3]));
    else
      CHECK_STR(ck_call(db, "sql", tables[3]), values);
    ck_close(db);
  }
  free(values);
}

CHECK_MAIN(T(a_large_import_building_its_indexes_at_the_end_stores_the_same),
           T(a_question_after_its_claims_is_checked_while_the_indexes_wait),
           T(only_a_file_without_claims_open_nowhere_else_leaves_wal),
           T(latest_rows_are_each_keys_newest_whatever_the_batch))

/*
** test_hostile.c -- untrusted numbers and files (issue: hardening).
**
** A pack's numbers are checked without overflow; a database file is input
** too: a file another tool edited, truncated, filled with zeros or random
** bytes, or made by another application gives a clear error or a working
** handle, never a crash or a hang; values read back are checked again.
** Figures in different units never combine.  One call runs its function
** once, a null result included.
*/
#include "check.h"

#include <claimkit.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static ck_db *fresh(void) {
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK)
    abort();
  return db;
}

static void import_ok(ck_db *db, const char *pack) {
  if (ck_import_json(db, pack) != CK_OK) {
    fprintf(stderr, "  import: %s\n", ck_errmsg(db));
    check_failures++;
  }
}

/* ---- numbers in packs ----------------------------------------------------- */

TEST(a_scale_that_overflows_is_refused_with_its_pointer) {
  ck_db *db = fresh();
  CHECK_INT(ck_import_json(db, "{\"questions\": [{\"id\": \"q\", \"scale\": "
                               "[-4611686018427387904, 9223372036854775807]}]}"),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "/questions/0/scale");
  CHECK_INT(ck_import_json(db, "{\"questions\": [{\"id\": \"q\", \"scale\": "
                               "[-9223372036854775808, 0]}]}"),
            CK_INVALID);
  CHECK_INT(ck_import_json(db, "{\"questions\": [{\"id\": \"q\", \"scale\": "
                               "[0, 101]}]}"),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "more than 101 points");
  CHECK_INT(ck_import_json(db, "{\"questions\": [{\"id\": \"q\", \"scale\": "
                               "[2000000, 2000002]}]}"),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "/questions/0/scale");
  CHECK_INT(ck_import_json(db, "{\"questions\": [{\"id\": \"q\", \"scale\": "
                               "[1e300, 2e300]}]}"),
            CK_INVALID);
  /* the largest scale there is works end to end */
  import_ok(db, "{\"actors\": [{\"id\": \"a\"}], \"questions\": [{\"id\": "
                "\"q\", \"scale\": [0, 100]}], \"claims\": [{\"actor\": \"a\", "
                "\"question\": \"q\", \"stance\": 100}]}");
  CHECK_NEAR(ck_consensus(db, "q", "mean", NULL), 100, 0);
  ck_close(db);
}

/* ---- files another tool wrote --------------------------------------------- */

static const char pack[] =
    "{\"actors\": [{\"id\": \"a\", \"region\": \"domestic\"}, {\"id\": \"b\", "
    "\"region\": \"overseas\"}],"
    " \"frameworks\": [{\"id\": \"f\"}],"
    " \"entities\": [{\"id\": \"e\"}, {\"id\": \"g\"}],"
    " \"metrics\": [{\"id\": \"m\", \"framework\": \"f\"}],"
    " \"questions\": [{\"id\": \"q\", \"framework\": \"f\", \"resolution\": "
    "{\"outcome\": true}}],"
    " \"claims\": [{\"actor\": \"a\", \"question\": \"q\", \"stance\": 1, "
    "\"as_of\": \"2026-01-01\"},"
    " {\"actor\": \"b\", \"question\": \"q\", \"stance\": -1, \"as_of\": "
    "\"2026-01-02\"},"
    " {\"actor\": \"a\", \"entity\": \"e\", \"metric\": \"m\", \"period\": "
    "\"2026\", \"value\": 3},"
    " {\"actor\": \"b\", \"entity\": \"g\", \"metric\": \"m\", \"period\": "
    "\"2026\", \"value\": 4}],"
    " \"scripts\": [{\"name\": \"s\", \"lua\": \"x = 1\"}]}";

/* A fresh file database holding `pack`; path receives its name. */
static void make_file(char path[32]) {
  check_temp_path(path);
  ck_db *db;
  ck_open(path, 0, &db);
  import_ok(db, pack);
  ck_close(db);
}

static void edit(const char *path, const char *sql) {
  sqlite3 *raw;
  sqlite3_open(path, &raw);
  char *err = NULL;
  if (sqlite3_exec(raw, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "  edit %s: %s\n", sql, err);
    check_failures++;
  }
  sqlite3_free(err);
  sqlite3_close(raw);
}

/* Every registry function and entry point, on whatever the handle holds:
   each gives a value or an error code.  (A crash or a hang fails the
   test; memcheck reports invalid reads.) */
static void call_everything(ck_db *db) {
  static const char *const calls[][2] = {
      {"consensus", "[\"q\", \"cns\"]"},
      {"consensus", "[\"q\", \"agreement\", \"region=domestic\"]"},
      {"label", "[\"q\"]"},
      {"split", "[\"q\", \"region\", \"domestic\", \"overseas\", \"jsd\"]"},
      {"framework", "[\"f\"]"},
      {"stance", "[\"q\", \"a\"]"},
      {"views", "[\"q\"]"},
      {"revisions", "[\"q\", \"2020-01-01\", \"2030-01-01\"]"},
      {"drift", "[\"q\", \"mean\", [\"2030-01-01\"]]"},
      {"track", "[\"a\"]"},
      {"value", "[\"e\", \"m\"]"},
      {"estimates", "[\"e\", \"m\", \"\", \"sd\"]"},
      {"gap", "[\"m\", \"e\", \"g\"]"},
      {"ratio", "[\"m\", \"e\", \"g\"]"},
      {"rank", "[\"m\", \"e\"]"},
      {"change", "[\"e\", \"m\", \"2026\", \"2026\"]"},
      {"series", "[\"e\", \"m\"]"},
      {"sources", "[\"e\", \"m\"]"},
      {"stats", NULL},
      {"sql", "[\"SELECT * FROM claims\"]"},
  };
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    const char *r = ck_call(db, calls[i][0], calls[i][1]);
    int rc = ck_errcode(db);
    CHECK((r != NULL) == (rc == CK_OK));
    CHECK(rc >= CK_OK && rc <= CK_READONLY);
  }
  ck_export_json(db, NULL);
  ck_export_json(db, "region=domestic");
  ck_functions(db);
  ck_script(db, "ck.stats()", "hostile");
  ck_import_json(db, "{\"actors\": [{\"id\": \"z\"}]}");
}

/* Opens the file and uses it: a clear error on open, or a handle that
   answers every call one way or the other. */
static int files_tried; /* for the table of docs/reliability.md */

static int open_and_use(const char *path, int flags) {
  files_tried++;
  ck_db *db;
  int rc = ck_open(path, flags, &db);
  if (db) {
    CHECK(strlen(ck_errmsg(db)) > 0);
    if (rc == CK_OK || rc == CK_SCRIPT)
      call_everything(db);
    else
      CHECK_INT(ck_errcode(db), rc);
  }
  ck_close(db);
  return rc;
}

TEST(edited_values_are_checked_when_read_back) {
  static const struct {
    const char *edit, *call, *args;
  } cases[] = {
      {"UPDATE questions SET scale_min = -4611686018427387904, scale_max = "
       "9223372036854775807",
       "consensus", "[\"q\"]"},
      {"UPDATE questions SET scale_min = 0, scale_max = 100000000",
       "consensus", "[\"q\"]"},
      {"UPDATE questions SET scale_min = 3, scale_max = 3", "track", "[\"a\"]"},
      {"UPDATE questions SET scale_max = 'two'", "consensus", "[\"q\"]"},
      {"UPDATE latest_views SET stance = 99", "consensus", "[\"q\"]"},
      {"UPDATE claims SET stance = 99 WHERE kind = 'view'", "consensus",
       "[\"q\", \"cns\", \"since=2000-01-01\"]"},
      {"UPDATE latest_views SET stance = 'up'", "views", "[\"q\"]"},
      {"UPDATE claims SET stance = 'up' WHERE kind = 'view'", "views",
       "[\"q\", \"until=2100-01-01\"]"},
      {"UPDATE latest_views SET weight = -1", "consensus", "[\"q\"]"},
      {"UPDATE actors SET weight = 'heavy'", "consensus",
       "[\"q\", \"cns\", \"since=2000-01-01\"]"},
      {"UPDATE latest_observations SET value = 'abc'", "series",
       "[\"e\", \"m\"]"},
      {"UPDATE latest_observations SET hi = 'x'", "series",
       "[\"e\", \"m\"]"},
      {"UPDATE key_values SET value = 'abc'", "value", "[\"e\", \"m\"]"},
      {"UPDATE key_values SET n = 0", "estimates",
       "[\"e\", \"m\", \"2026\", \"n\"]"},
      {"UPDATE key_values SET unit = NULL", "rank", "[\"m\", \"e\"]"},
      {"UPDATE latest_views SET stance = 7 WHERE actor = 'a'", "stance",
       "[\"q\", \"a\"]"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[32];
    make_file(path);
    edit(path, cases[i].edit);
    ck_db *db;
    files_tried++;
    CHECK_INT(ck_open(path, 0, &db), CK_OK);
    const char *r = ck_call(db, cases[i].call, cases[i].args);
    if (r || ck_errcode(db) != CK_ERROR ||
        !strstr(ck_errmsg(db), "edited by another tool")) {
      fprintf(stderr, "  after \"%s\", %s gave %s: %s\n", cases[i].edit,
              cases[i].call, r ? r : "an error", ck_errmsg(db));
      check_failures++;
    }
    call_everything(db);
    ck_close(db);
    check_remove_database(path);
  }
}

/* Derived rows another tool made break a rule claimkit keeps: each is an
   error naming the table, never the number the row holds. */
TEST(derived_rows_that_break_their_rules_are_errors) {
  static const struct {
    const char *edit, *call, *args, *message;
  } cases[] = {
      {"UPDATE key_values SET lo = hi + 1", "value", "[\"e\", \"m\", \"\", \"lo\"]",
       "damaged row in key_values (e / m / 2026): the median is outside its "
       "bounds"},
      {"UPDATE latest_observations SET lo = hi + 1 WHERE entity = 'e'",
       "series", "[\"e\", \"m\"]",
       "damaged row in latest_observations (e / m / 2026): its value is "
       "outside its bounds"},
      {"UPDATE latest_observations SET value = 9e999, hi = 9e999", "sources",
       "[\"g\", \"m\"]", "damaged row in latest_observations (g / m / 2026): "
                         "its value is not finite"},
      {"UPDATE key_values SET value = 9e999, max = 9e999, hi = 9e999 WHERE "
       "entity = 'g'",
       "rank", "[\"m\", \"e\"]", "damaged row in key_values (g / m / 2026): its median, min or max is "
       "not finite"},
      {"UPDATE key_values SET sd = -1", "estimates",
       "[\"e\", \"m\", \"\", \"sd\"]", "sd is set for one observation"},
      {"UPDATE key_values SET n = 2, sd = -1", "estimates",
       "[\"e\", \"m\", \"\", \"cv\"]", "sd is negative"},
      {"UPDATE key_values SET min = max + 1", "estimates",
       "[\"e\", \"m\", \"2026\", \"min\"]", "min is above max"},
      {"UPDATE key_values SET mean = NULL", "estimates",
       "[\"e\", \"m\", \"2026\", \"mean\"]",
       "not what its observations give"},
      {"UPDATE key_values SET mean = 9e999", "estimates",
       "[\"e\", \"m\", \"2026\", \"mean\"]", "its mean is not finite"},
      {"UPDATE questions SET record = '{\"id\": \"other\"}'", "questions", NULL,
       "the stored record of 'q' does not match its row (its id is 'other'"},
      {"UPDATE claims SET record = '{}'", "claims", NULL,
       "does not match its row (its id is missing"},
      {"UPDATE claims SET record = (SELECT record FROM claims c WHERE c.actor "
       "= 'b' AND c.kind = 'view') WHERE actor = 'a' AND kind = 'view'",
       "sheet", NULL, "(its id is '"},
      {"UPDATE frameworks SET record = '{\"id\": \"other\"}'", "frameworks",
       NULL, "frameworks: the stored record of 'f' does not match its row"},
      {"UPDATE actors SET record = '{\"id\": \"b\"}' WHERE id = 'a'", "sources",
       NULL, NULL},
      {"UPDATE questions SET record = '{\"id\": \"other\", \"cues\": {\"1\": "
       "[\"up\"]}}'",
       "draft", "[\"A: it goes up.\"]",
       "the stored record of questions 'q' does not match its row"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[32];
    make_file(path);
    edit(path, cases[i].edit);
    ck_db *db;
    files_tried++;
    CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
    const char *r = ck_call(db, cases[i].call, cases[i].args);
    const char *want = cases[i].message;
    if (!want) { /* the export */
      r = ck_export_json(db, NULL);
      want = "actors: the stored record of 'a' does not match its row (its "
             "id is 'b', the row's 'a')";
    }
    if (r || ck_errcode(db) != CK_ERROR || !strstr(ck_errmsg(db), want) ||
        !strstr(ck_errmsg(db), "edited by another tool")) {
      fprintf(stderr, "  after \"%s\", %s gave %s: %s\n", cases[i].edit,
              cases[i].call, r ? r : "an error", ck_errmsg(db));
      check_failures++;
    }
    if (strstr(cases[i].edit, "UPDATE key_values") ||
        strstr(cases[i].edit, "UPDATE latest_"))
      CHECK_CONTAINS(ck_errmsg(db), "DELETE FROM claimkit_meta, then open "
                                    "the file read-write");
    call_everything(db);
    ck_close(db);
    check_remove_database(path);
  }
}

/* What the file answers of q after another tool took a's view out of the
   claims: b's view alone.  Every edit below makes that so. */
static void check_without_as_view(ck_db *db) {
  CHECK_NEAR(ck_consensus(db, "q", "mean", NULL), -1, 0);
  CHECK_STR(ck_call(db, "sql", "[\"SELECT actor, stance FROM latest_views\"]"),
            "[{\"actor\":\"b\",\"stance\":-1}]");
  CHECK(ck_call(db, "stance", "[\"q\", \"a\"]") == NULL);
  CHECK_INT(ck_errcode(db), CK_NOTFOUND);
}

static const char drop_as_view[] =
    "DELETE FROM claims WHERE kind = 'view' AND actor = 'a'";

TEST(derived_tables_that_disagree_with_the_claims_are_rebuilt_or_refused) {
  /* Claims deleted, and derived rows deleted or added, by another tool:
     the fingerprint in claimkit_meta no longer agrees.  A read-only open
     refuses the file; a read-write one rebuilds the tables from the
     claims, after which a read-only one answers too. */
  static const char *const edits[] = {
      drop_as_view,
      "DELETE FROM claims WHERE kind = 'view' AND actor = 'a'; "
      "DELETE FROM latest_views WHERE actor = 'b'",
      "DELETE FROM claims WHERE kind = 'view' AND actor = 'a'; "
      "INSERT INTO key_values(entity, metric, period, n, unit, value, lo, hi, "
      "mean, min, max) VALUES ('e', 'm', '2027', 1, '', 99, 99, 99, 99, 99, "
      "99)",
      /* the rebuild a damaged row's message asks for */
      "DELETE FROM claims WHERE kind = 'view' AND actor = 'a'; "
      "UPDATE key_values SET lo = hi + 1; DELETE FROM claimkit_meta",
  };
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    char path[32];
    make_file(path);
    edit(path, edits[i]);
    files_tried++;
    ck_db *db;
    CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_ERROR);
    CHECK_CONTAINS(ck_errmsg(db), "the derived tables (latest_views, "
                                  "latest_observations, key_values) disagree "
                                  "with the claims");
    CHECK_CONTAINS(ck_errmsg(db), "open it read-write once to rebuild them");
    ck_close(db);
    for (int flags = 0; flags <= CK_OPEN_READONLY; flags++) {
      CHECK_INT(ck_open(path, flags, &db), CK_OK);
      check_without_as_view(db);
      CHECK_NEAR(ck_value(db, "e", "m", "", "value"), 3, 0);
      CHECK_NEAR(ck_value(db, "e", "m", "", "lo"), 3, 0);
      CHECK(ck_call(db, "value", "[\"e\", \"m\", \"2027\"]") == NULL);
      ck_close(db);
    }
    check_remove_database(path);
  }
}

TEST(another_tools_edit_while_a_handle_is_open_is_seen) {
  char path[32];
  make_file(path);
  ck_db *rw, *ro;
  CHECK_INT(ck_open(path, 0, &rw), CK_OK);
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &ro), CK_OK);
  CHECK_NEAR(ck_consensus(rw, "q", "mean", NULL), 0, 0);
  CHECK_NEAR(ck_consensus(ro, "q", "mean", NULL), 0, 0);
  edit(path, drop_as_view);
  /* the read-only handle cannot rebuild: an error, not the old mean */
  CHECK(ck_call(ro, "consensus", "[\"q\", \"mean\"]") == NULL);
  CHECK_INT(ck_errcode(ro), CK_ERROR);
  CHECK_CONTAINS(ck_errmsg(ro), "disagree with the claims");
  /* the read-write one rebuilds, and then the read-only one answers */
  check_without_as_view(rw);
  check_without_as_view(ro);
  /* an import after another tool's edit builds on the rebuilt tables */
  edit(path, "DELETE FROM claims WHERE kind = 'view' AND actor = 'b'");
  import_ok(rw, "{\"claims\": [{\"actor\": \"a\", \"question\": \"q\", "
                "\"stance\": 1, \"as_of\": \"2026-02-01\"}]}");
  CHECK_NEAR(ck_consensus(rw, "q", "mean", NULL), 1, 0);
  CHECK_STR(ck_call(ro, "sql", "[\"SELECT actor FROM latest_views\"]"),
            "[{\"actor\":\"a\"}]");
  ck_close(ro);
  ck_close(rw);
  check_remove_database(path);
}

TEST(a_user_version_naming_another_schema_changes_nothing) {
  for (int version = 0; version < 3; version++) {
    char path[32], sql[64];
    make_file(path);
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
    edit(path, sql);
    files_tried++;
    ck_db *db;
    CHECK_INT(ck_open(path, 0, &db), CK_ERROR);
    CHECK_CONTAINS(ck_errmsg(db), "refusing to migrate it, nothing changed");
    ck_close(db);
    edit(path, "PRAGMA user_version = 3");
    CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
    CHECK_NEAR(ck_consensus(db, "q", "mean", NULL), 0, 0);
    ck_close(db);
    check_remove_database(path);
  }
}

TEST(checking_the_derived_tables_is_not_a_calls_sql) {
  /* The fingerprint counts every claim; a call's CK_LIMIT_SQL_STEPS,
     smaller than that, must not turn another tool's harmless edit into
     an error on every handle. */
  char path[32];
  check_temp_path(path);
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  size_t cap = 1 << 20, len = 0;
  char *big = malloc(cap);
  len += (size_t)snprintf(big, cap, "{\"actors\": [{\"id\": \"a\"}], "
                                    "\"entities\": [{\"id\": \"e\"}], "
                                    "\"metrics\": [{\"id\": \"m\"}], "
                                    "\"claims\": [");
  for (int i = 0; i < 5000; i++)
    len += (size_t)snprintf(big + len, cap - len,
                            "%s{\"actor\": \"a\", \"entity\": \"e\", "
                            "\"metric\": \"m\", \"value\": %d, "
                            "\"period\": \"%d\"}",
                            i ? ", " : "", i, 1000 + i);
  snprintf(big + len, cap - len, "]}");
  import_ok(db, big);
  free(big);
  CHECK_INT(ck_limit(db, CK_LIMIT_SQL_STEPS, 1000), 1000000000);
  edit(path, "UPDATE entities SET name = 'E'");
  CHECK_NEAR(ck_value(db, "e", "m", "2026", "value"), 1026, 0);
  CHECK_INT(ck_errcode(db), CK_OK);
  edit(path, "DELETE FROM claims WHERE period = '2026'");
  CHECK(ck_call(db, "value", "[\"e\", \"m\", \"2026\"]") == NULL);
  CHECK_INT(ck_errcode(db), CK_NOTFOUND);
  CHECK_NEAR(ck_value(db, "e", "m", "2027", "value"), 1027, 0);
  ck_close(db);
  check_remove_database(path);
}

TEST(an_edited_record_is_an_export_error) {
  char path[32];
  make_file(path);
  edit(path, "UPDATE actors SET record = '{not json' WHERE id = 'a'");
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  CHECK(ck_export_json(db, NULL) == NULL);
  CHECK_INT(ck_errcode(db), CK_ERROR);
  CHECK_CONTAINS(ck_errmsg(db), "actors record is not JSON");
  ck_close(db);
  check_remove_database(path);
}

TEST(schema_objects_that_are_not_ours_are_refused_on_open) {
  static const struct {
    const char *edit, *message;
  } cases[] = {
      {"DROP TABLE actors; CREATE VIEW actors AS WITH RECURSIVE r(x) AS "
       "(SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT 'a' AS id, NULL AS "
       "name, NULL AS region, NULL AS kind, 1.0 AS weight, '{}' AS record "
       "FROM r",
       "view 'actors' that claimkit did not make"},
      {"CREATE TRIGGER t AFTER INSERT ON actors BEGIN SELECT count(*) FROM "
       "claims a, claims b, claims c; END",
       "trigger 't' that claimkit did not make"},
      {"ALTER TABLE claims ADD COLUMN extra TEXT",
       "table 'claims' is not as claimkit makes it"},
      {"DROP INDEX claims_view_key", "has no index 'claims_view_key'"},
      {"DROP TABLE latest_views",
       "has no table 'latest_views'"},
      {"CREATE TRIGGER t AFTER UPDATE ON key_values BEGIN SELECT 1; END",
       "trigger 't' that claimkit did not make, on its table 'key_values'"},
      {"ALTER TABLE latest_views DROP COLUMN region",
       "table 'latest_views' is not as claimkit makes it"},
      {"DROP INDEX key_values_metric; CREATE INDEX key_values_metric ON "
       "key_values(metric)",
       "index 'key_values_metric' is not as claimkit makes it"},
      {"CREATE TABLE notes(id); CREATE INDEX claims_view_key2 ON notes(id); "
       "DROP INDEX claims_view_key; CREATE INDEX claims_view_key ON "
       "claims(question, actor)",
       "index 'claims_view_key' is not as claimkit makes it"},
      {"PRAGMA user_version = 1",
       "says it has schema version 1 (PRAGMA user_version), but its tables "
       "are not that version's"},
      {"PRAGMA user_version = -1", "schema version -1"},
      {"PRAGMA user_version = 99", "newer than claimkit"},
      {"PRAGMA application_id = 7", "not a claimkit one"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[32];
    make_file(path);
    edit(path, cases[i].edit);
    files_tried++;
    for (int flags = 0; flags <= CK_OPEN_READONLY; flags++) {
      ck_db *db;
      CHECK_INT(ck_open(path, flags, &db), CK_ERROR);
      if (!strstr(ck_errmsg(db), cases[i].message)) {
        fprintf(stderr, "  after \"%.50s\": \"%s\", want \"%s\"\n",
                cases[i].edit, ck_errmsg(db), cases[i].message);
        check_failures++;
      }
      CHECK(ck_call(db, "stats", NULL) == NULL);
      CHECK_INT(ck_errcode(db), CK_MISUSE);
      ck_close(db);
    }
    check_remove_database(path);
  }
  /* indexes a user adds for their own queries are fine */
  char path[32];
  make_file(path);
  edit(path, "CREATE INDEX my_quotes ON claims(quote); ANALYZE");
  CHECK_INT(open_and_use(path, 0), CK_OK);
  check_remove_database(path);
}

/* What every function answers, and the export, as one text. */
static char *answers(ck_db *db) {
  static const char *const calls[][2] = {
      {"consensus", "[\"q\", \"cns\"]"}, {"views", "[\"q\"]"},
      {"stance", "[\"q\", \"a\"]"},     {"track", "[\"a\"]"},
      {"value", "[\"e\", \"m\"]"},      {"estimates", "[\"e\", \"m\"]"},
      {"rank", "[\"m\", \"e\"]"},       {"series", "[\"e\", \"m\"]"},
      {"sources", "[\"e\", \"m\"]"},    {"stats", NULL},
      {"questions", NULL},              {"claims", NULL},
  };
  size_t len = 0, cap = 1 << 16;
  char *all = calloc(1, cap);
  for (size_t i = 0; i <= sizeof calls / sizeof calls[0]; i++) {
    const char *r = i < sizeof calls / sizeof calls[0]
                        ? ck_call(db, calls[i][0], calls[i][1])
                        : ck_export_json(db, NULL);
    if (!r)
      r = ck_errmsg(db);
    size_t n = strlen(r);
    if (len + n + 2 > cap)
      n = cap - len - 2;
    memcpy(all + len, r, n);
    len += n;
    all[len++] = '\n';
  }
  return all;
}

TEST(a_desks_own_tables_and_a_replication_tools_are_theirs) {
  /* Litestream's tables, and a user's table with its own trigger, index
     and view (over claimkit's tables too): the file opens, read-write and
     read-only, and answers exactly as without them, and an import works. */
  static const char *const edits[] = {
      "CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER); "
      "CREATE TABLE _litestream_lock (id INTEGER); "
      "INSERT INTO _litestream_seq VALUES (1, 7)",
      "CREATE TABLE notes(id INTEGER PRIMARY KEY AUTOINCREMENT, claim TEXT, "
      "body TEXT, at TEXT); "
      "CREATE INDEX notes_claim ON notes(claim); "
      "CREATE TRIGGER notes_at AFTER INSERT ON notes BEGIN UPDATE notes SET "
      "at = '2026-01-01' WHERE id = new.id; END; "
      "CREATE VIEW noted AS SELECT c.id, c.actor, n.body FROM claims c JOIN "
      "notes n ON n.claim = c.id; "
      "INSERT INTO notes(claim, body) SELECT id, 'checked' FROM claims",
  };
  char plain[32];
  make_file(plain);
  ck_db *db;
  CHECK_INT(ck_open(plain, 0, &db), CK_OK);
  char *want = answers(db);
  ck_close(db);
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    char path[32];
    make_file(path);
    edit(path, edits[i]);
    files_tried++;
    for (int flags = CK_OPEN_READONLY; flags >= 0; flags -= CK_OPEN_READONLY) {
      CHECK_INT(ck_open(path, flags, &db), CK_OK);
      char *got = answers(db);
      CHECK_STR(got, want);
      free(got);
      if (!flags) {
        CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"z\"}]}"),
                  CK_OK);
        CHECK_STR(ck_call(db, "sql",
                          i ? "[\"SELECT count(*) AS n FROM noted\"]"
                            : "[\"SELECT seq AS n FROM _litestream_seq\"]"),
                  i ? "[{\"n\":4}]" : "[{\"n\":7}]");
      }
      ck_close(db);
    }
    check_remove_database(path);
  }
  free(want);
  check_remove_database(plain);
}

static void write_bytes(const char *path, const unsigned char *b, size_t n) {
  FILE *f = fopen(path, "wb");
  fwrite(b, 1, n, f);
  fclose(f);
}

TEST(damaged_files_give_an_error_or_a_working_handle) {
  char path[32];
  make_file(path);
  FILE *f = fopen(path, "rb");
  static unsigned char whole[1 << 20];
  size_t n = fread(whole, 1, sizeof whole, f);
  fclose(f);
  check_remove_database(path);
  CHECK(n > 4096);
  /* truncated at every page boundary and in between */
  for (size_t cut = 0; cut < n; cut += 1536) {
    write_bytes(path, whole, cut);
    int rc = open_and_use(path, cut % 3072 == 0 ? 0 : CK_OPEN_READONLY);
    CHECK(rc == CK_OK || rc == CK_IO || rc == CK_ERROR || rc == CK_SCRIPT);
    check_remove_database(path);
  }
  /* zeros, random bytes, and pages with random bytes in them */
  static unsigned char junk[65536];
  unsigned long long x = 0x9e3779b97f4a7c15ULL;
  for (int round = 0; round < 40; round++) {
    for (size_t i = 0; i < sizeof junk; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      junk[i] = round == 0 ? 0 : (unsigned char)x;
    }
    if (round >= 20) { /* the real file, one stretch overwritten */
      memcpy(junk, whole, n < sizeof junk ? n : sizeof junk);
      size_t at = 100 + (size_t)(x % (n - 200));
      for (size_t k = 0; k < 64 && at + k < n; k++)
        junk[at + k] ^= (unsigned char)(x >> (k % 56));
    }
    write_bytes(path, junk, round >= 20 && n < sizeof junk ? n : sizeof junk);
    int rc = open_and_use(path, 0);
    CHECK(rc == CK_OK || rc == CK_IO || rc == CK_ERROR || rc == CK_SCRIPT);
    check_remove_database(path);
  }
}

TEST(another_applications_database_is_refused) {
  char path[32];
  check_temp_path(path);
  edit(path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); "
             "INSERT INTO notes(body) VALUES ('x')");
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_ERROR);
  CHECK_CONTAINS(ck_errmsg(db), "not a claimkit one");
  ck_close(db);
  check_remove_database(path);
}

/* ---- every query is bounded --------------------------------------------------- */

TEST(a_query_stops_at_the_sql_step_limit) {
  ck_db *db = fresh();
  CHECK_INT(ck_limit(db, CK_LIMIT_SQL_STEPS, 5000000), 1000000000);
  CHECK(ck_call(db, "sql",
                "[\"WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                "FROM r) SELECT count(*) FROM r\"]") == NULL);
  CHECK_INT(ck_errcode(db), CK_ERROR);
  CHECK_CONTAINS(ck_errmsg(db), "CK_LIMIT_SQL_STEPS");
  /* the next call has a budget of its own */
  CHECK_STR(ck_call(db, "sql", "[\"SELECT 41 + 1 AS n\"]"), "[{\"n\":42}]");
  ck_close(db);
}

/* ---- units ------------------------------------------------------------------ */

static const char money[] =
    "{\"actors\": [{\"id\": \"a\"}], \"entities\": [{\"id\": \"x\"}, {\"id\": "
    "\"y\"}, {\"id\": \"z\"}], \"metrics\": [{\"id\": \"val\"}],"
    " \"claims\": [{\"actor\": \"a\", \"entity\": \"x\", \"metric\": \"val\", "
    "\"period\": \"2026\", \"quantity\": \"3亿美元\"},"
    " {\"actor\": \"a\", \"entity\": \"y\", \"metric\": \"val\", \"period\": "
    "\"2026\", \"quantity\": \"3亿元人民币\"},"
    " {\"actor\": \"a\", \"entity\": \"z\", \"metric\": \"val\", \"period\": "
    "\"2026\", \"quantity\": \"2亿美元\"},"
    " {\"actor\": \"a\", \"entity\": \"x\", \"metric\": \"val\", \"period\": "
    "\"2025\", \"quantity\": \"10亿元\"}]}";

TEST(figures_in_different_units_do_not_combine) {
  ck_db *db = fresh();
  import_ok(db, money);
  static const char *const refused[][2] = {
      {"gap", "[\"val\", \"x\", \"y\", \"2026\"]"},
      {"ratio", "[\"val\", \"x\", \"y\", \"2026\"]"},
      {"rank", "[\"val\", \"y\", \"2026\"]"},
      {"change", "[\"x\", \"val\", \"2025\", \"2026\"]"},
      {"series", "[\"x\", \"val\"]"},
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    CHECK(ck_call(db, refused[i][0], refused[i][1]) == NULL);
    CHECK_INT(ck_errcode(db), CK_INVALID);
    CHECK_CONTAINS(ck_errmsg(db), "'USD'");
    CHECK_CONTAINS(ck_errmsg(db), "'CNY'");
  }
  CHECK_CONTAINS(ck_call(db, "gap", "[\"val\", \"x\", \"y\", \"2026\"]") ? ""
                                                                      : ck_errmsg(db),
                 "x in 2026 is in 'USD' and y in 2026 in 'CNY'");
  /* one unit: they combine */
  CHECK_NEAR(ck_num(db, "gap", "[\"val\", \"x\", \"z\", \"2026\"]"), 1e8, 0);
  CHECK_NEAR(ck_num(db, "ratio", "[\"val\", \"x\", \"z\", \"2026\"]"), 1.5, 0);
  CHECK(isnan(ck_num(db, "rank", "[\"val\", \"z\", \"2026\"]")));
  CHECK_CONTAINS(ck_errmsg(db), "z is in 'USD' and y in 'CNY'");
  ck_close(db);
}

/* ---- one call, one execution -------------------------------------------------- */

TEST(a_null_result_is_read_without_calling_again) {
  ck_db *db = fresh();
  CHECK_INT(ck_script(db,
                      "calls = 0 ck.register{name = 'f', params = {'x'}, fn = "
                      "function(x) calls = calls + 1 if x == 1 then return "
                      "1 / 0 elseif x == 2 then return nil elseif x == 3 then "
                      "return true end return 'text' end}",
                      "once"),
            CK_OK);
  CHECK_STR(ck_call(db, "f", "[1]"), "null");
  double d = ck_last_num(db);
  CHECK(isinf(d) && d > 0);
  CHECK_INT(ck_errcode(db), CK_OK);
  CHECK_STR(ck_call(db, "f", "[2]"), "null");
  CHECK(isnan(ck_last_num(db)));
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_STR(ck_call(db, "f", "[3]"), "true");
  CHECK_NEAR(ck_last_num(db), 1, 0);
  const char *s = ck_call(db, "f", "[4]");
  CHECK(isnan(ck_last_num(db)));
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_STR(s, "\"text\""); /* the string stays valid */
  ck_num(db, "f", "[1]");
  CHECK(isnan(ck_last_num(db)));
  CHECK_INT(ck_errcode(db), CK_MISUSE);
  CHECK(isnan(ck_last_num(NULL)));
  CHECK_INT(ck_script(db, "assert(calls == 5, calls)", "once"), CK_OK);
  ck_close(db);
}

TEST(how_many_files_were_tried) {
  printf("     %d hostile database files opened and used\n", files_tried);
  CHECK(files_tried > 50);
}

CHECK_MAIN(T(a_scale_that_overflows_is_refused_with_its_pointer),
           T(edited_values_are_checked_when_read_back),
           T(derived_rows_that_break_their_rules_are_errors),
           T(derived_tables_that_disagree_with_the_claims_are_rebuilt_or_refused),
           T(another_tools_edit_while_a_handle_is_open_is_seen),
           T(a_user_version_naming_another_schema_changes_nothing),
           T(checking_the_derived_tables_is_not_a_calls_sql),
           T(an_edited_record_is_an_export_error),
           T(schema_objects_that_are_not_ours_are_refused_on_open),
           T(a_desks_own_tables_and_a_replication_tools_are_theirs),
           T(damaged_files_give_an_error_or_a_working_handle),
           T(another_applications_database_is_refused),
           T(a_query_stops_at_the_sql_step_limit),
           T(figures_in_different_units_do_not_combine),
           T(a_null_result_is_read_without_calling_again),
           T(how_many_files_were_tried))

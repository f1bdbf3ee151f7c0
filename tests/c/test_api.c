/*
** test_api.c -- the C ABI of claimkit.h: versions, status texts, handles,
** errors, limits, the registry's argument binding, and the read-only sql().
*/
#include "check.h"
#include "check_sqlite.h"

#include <claimkit.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static ck_db *fresh(void) {
  ck_db *db;
  if (ck_open(":memory:", 0, &db) != CK_OK)
    abort();
  return db;
}

static char *temp_path(void) {
  static char path[32];
  check_temp_path(path);
  return path;
}

TEST(versions_agree) {
  CHECK_STR(ck_version(), CK_VERSION);
  CHECK_INT(ck_version_number(), CK_VERSION_NUMBER);
  CHECK_INT(CK_VERSION_NUMBER, CK_VERSION_MAJOR * 1000000 +
                                   CK_VERSION_MINOR * 1000 + CK_VERSION_PATCH);
  char want[32];
  snprintf(want, sizeof want, "%d.%d.%d", CK_VERSION_MAJOR, CK_VERSION_MINOR,
           CK_VERSION_PATCH);
  CHECK_STR(ck_version(), want);
}

TEST(every_status_code_has_a_text) {
  CHECK_STR(ck_errstr(CK_OK), "not an error");
  CHECK_STR(ck_errstr(CK_INVALID), "bad input");
  CHECK_STR(ck_errstr(CK_NOTFOUND), "not found");
  for (int rc = CK_OK; rc <= CK_READONLY; rc++)
    CHECK(strcmp(ck_errstr(rc), "unknown status code") != 0);
  CHECK_STR(ck_errstr(42), "unknown status code");
  CHECK_STR(ck_errstr(-1), "unknown status code");
}

/* The header's names, spelled by the preprocessor from the #defines
   themselves, against the library's. */
TEST(every_status_code_has_its_header_name) {
  static const struct {
    int code;
    const char *name;
  } named[] = {
#define NAMED(c) {c, #c}
      NAMED(CK_OK),   NAMED(CK_ERROR), NAMED(CK_INVALID), NAMED(CK_NOTFOUND),
      NAMED(CK_NOMEM), NAMED(CK_IO),   NAMED(CK_BUSY),    NAMED(CK_SCRIPT),
      NAMED(CK_MISUSE), NAMED(CK_READONLY)};
#undef NAMED
  int n = (int)(sizeof named / sizeof named[0]);
  for (int i = 0; i < n; i++)
    CHECK_STR(ck_errname(named[i].code), named[i].name);
  /* no gap: counting up from CK_OK until NULL finds them all */
  int counted = 0;
  while (ck_errname(counted))
    counted++;
  CHECK_INT(counted, n);
  CHECK(ck_errname(-1) == NULL);
  CHECK(ck_errname(1000) == NULL);
}

TEST(null_handles_and_strings_are_misuse_never_a_crash) {
  CHECK_INT(ck_close(NULL), CK_OK);
  CHECK_INT(ck_errcode(NULL), CK_MISUSE);
  CHECK(ck_errmsg(NULL) != NULL);
  CHECK_INT(ck_open(NULL, 0, NULL), CK_MISUSE);
  CHECK_INT(ck_import_json(NULL, "{}"), CK_MISUSE);
  CHECK_INT(ck_import_file(NULL, "x"), CK_MISUSE);
  CHECK(ck_export_json(NULL, NULL) == NULL);
  CHECK(ck_call(NULL, "stats", NULL) == NULL);
  CHECK(isnan(ck_num(NULL, "stats", NULL)));
  CHECK(ck_functions(NULL) == NULL);
  CHECK_INT(ck_script(NULL, "return 1", "x"), CK_MISUSE);
  CHECK_INT(ck_limit(NULL, CK_LIMIT_BUSY_MS, -1), -1);
  CHECK(isnan(ck_value(NULL, "a", "b", NULL, NULL)));
  CHECK(isnan(ck_consensus(NULL, "q", NULL, NULL)));
  ck_db *db = fresh();
  CHECK_INT(ck_import_json(db, NULL), CK_MISUSE);
  CHECK_INT(ck_errcode(db), CK_MISUSE);
  CHECK_INT(ck_import_file(db, NULL), CK_MISUSE);
  CHECK(ck_call(db, NULL, NULL) == NULL);
  CHECK_INT(ck_errcode(db), CK_MISUSE);
  CHECK_INT(ck_script(db, NULL, NULL), CK_MISUSE);
  ck_close(db);
}

TEST(errors_stay_on_the_handle_until_the_next_call) {
  ck_db *db = fresh();
  CHECK_STR(ck_errmsg(db), "not an error");
  CHECK(ck_call(db, "no-such-function", NULL) == NULL);
  CHECK_INT(ck_errcode(db), CK_NOTFOUND);
  CHECK_CONTAINS(ck_errmsg(db), "no function 'no-such-function'");
  /* Reading the error does not change it. */
  CHECK_INT(ck_errcode(db), CK_NOTFOUND);
  CHECK(ck_call(db, "stats", NULL) != NULL);
  CHECK_INT(ck_errcode(db), CK_OK);
  CHECK_STR(ck_errmsg(db), "not an error");
  ck_close(db);
}

TEST(in_memory_names_all_open_a_private_database) {
  const char *names[] = {NULL, "", ":memory:"};
  for (int i = 0; i < 3; i++) {
    ck_db *db;
    CHECK_INT(ck_open(names[i], 0, &db), CK_OK);
    CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}"), CK_OK);
    CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"actors\":1");
    ck_close(db);
  }
}

TEST(a_failed_open_still_hands_back_a_handle_with_the_reason) {
  ck_db *db = NULL;
  CHECK_INT(ck_open("/nonexistent/dir/x.db", 0, &db), CK_IO);
  CHECK(db != NULL);
  CHECK_CONTAINS(ck_errmsg(db), "cannot open '/nonexistent/dir/x.db'");
  /* Calls on it are misuse, not crashes. */
  CHECK(ck_call(db, "stats", NULL) == NULL);
  CHECK_INT(ck_errcode(db), CK_MISUSE);
  CHECK_INT(ck_import_json(db, "{}"), CK_MISUSE);
  CHECK(ck_export_json(db, NULL) == NULL);
  ck_close(db);
  CHECK_INT(ck_open(temp_path(), CK_OPEN_READONLY, &db), CK_IO);
  ck_close(db);
  CHECK_INT(ck_open(NULL, 0x80, &db), CK_MISUSE);
  CHECK_CONTAINS(ck_errmsg(db), "unknown flags");
  ck_close(db);
}

static void raw_sql(const char *path, const char *sql) {
  sqlite3 *s;
  sqlite3_open(path, &s);
  sqlite3_exec(s, sql, NULL, NULL, NULL);
  sqlite3_close(s);
}

TEST(a_newer_schema_is_refused_with_a_clear_message) {
  char *path = temp_path();
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  ck_close(db);
  raw_sql(path, "PRAGMA user_version = 99");
  CHECK_INT(ck_open(path, 0, &db), CK_ERROR);
  CHECK_CONTAINS(ck_errmsg(db), "schema version 99, newer than claimkit");
  ck_close(db);
  unlink(path);
}

TEST(a_foreign_sqlite_file_is_not_taken_over) {
  char *path = temp_path();
  raw_sql(path, "CREATE TABLE notes(x)");
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_ERROR);
  CHECK_CONTAINS(ck_errmsg(db), "not a claimkit one");
  ck_close(db);
  unlink(path);
}

TEST(an_older_file_needs_a_read_write_open_to_migrate) {
  /* An empty SQLite file is schema version 0. */
  char *path = temp_path();
  raw_sql(path, "PRAGMA user_version = 0; VACUUM");
  ck_db *db;
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_READONLY);
  CHECK_CONTAINS(ck_errmsg(db), "needs migrating");
  ck_close(db);
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  ck_close(db);
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
  CHECK_STR(ck_call(db, "sql", "[\"PRAGMA user_version\"]"),
            "[{\"user_version\":3}]");
  ck_close(db);
  unlink(path);
}

/* tests/data/deepseek-v4-schema1.db was written by the schema-1 code from
   the example pack: it opens, migrates, and answers as the pack does. */
TEST(a_schema_1_file_migrates_and_answers_the_same) {
  char fixture[600], *path = temp_path();
  snprintf(fixture, sizeof fixture, "%s/tests/data/deepseek-v4-schema1.db",
           getenv("CK_SOURCE_DIR") ? getenv("CK_SOURCE_DIR") : ".");
  FILE *in = fopen(fixture, "rb"), *out = fopen(path, "wb");
  CHECK(in && out);
  char buf[65536];
  size_t n;
  while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
    fwrite(buf, 1, n, out);
  if (in)
    fclose(in);
  if (out)
    fclose(out);
  ck_db *old, *fresh;
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &old), CK_READONLY);
  ck_close(old);
  CHECK_INT(ck_open(path, 0, &old), CK_OK);
  CHECK_STR(ck_call(old, "sql", "[\"PRAGMA user_version\"]"),
            "[{\"user_version\":3}]");
  char pack[600];
  snprintf(pack, sizeof pack, "%s/examples/deepseek-v4/claims.json",
           getenv("CK_SOURCE_DIR") ? getenv("CK_SOURCE_DIR") : ".");
  CHECK_INT(ck_open(NULL, 0, &fresh), CK_OK);
  CHECK_INT(ck_import_file(fresh, pack), CK_OK);
  static const char *const calls[][2] = {
      {"consensus", "[\"open-closed-parity\", \"cns\"]"},
      {"views", "[\"domestic-chip-turning-point\"]"},
      {"split", "[\"compute-demand-jevons\", \"region\", \"domestic\", "
                "\"overseas\", \"jsd\"]"},
      {"framework", "[\"commercial-realization\"]"},
      {"value", "[\"deepseek\", \"aa-index\", \"2026-03\"]"},
      {"sources", "[\"doubao\", \"mau\"]"},
      {"rank", "[\"aa-index\", \"deepseek\"]"},
      {"series", "[\"deepseek\", \"financing-target-valuation\"]"},
      {"sql", "[\"SELECT * FROM latest_views ORDER BY question, actor\"]"},
      /* but one key: the file keeps the reading of its day of
         突破了140万亿 (exactly 1.4e14), as a stored claim always does;
         today it reads "over" (hi null), checked below */
      {"sql", "[\"SELECT * FROM latest_observations WHERE NOT (entity = "
              "'china-ai-market' AND metric = 'daily-tokens') "
              "ORDER BY 1, 2, 3, 4\"]"},
      {"watch_team", NULL},
  };
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    char *want = strdup(ck_call(fresh, calls[i][0], calls[i][1]));
    CHECK_STR(ck_call(old, calls[i][0], calls[i][1]), want);
    free(want);
  }
  static const char key_hi[] =
      "[\"SELECT hi FROM latest_observations WHERE entity = "
      "'china-ai-market' AND metric = 'daily-tokens'\"]";
  CHECK_STR(ck_call(old, "sql", key_hi), "[{\"hi\":140000000000000.0}]");
  CHECK_STR(ck_call(fresh, "sql", key_hi), "[{\"hi\":null}]");
  /* the pack has gained its codebook since: imported over the migrated
     file it is the fresh one, record for record */
  CHECK_INT(ck_import_file(old, pack), CK_OK);
  char *a = strdup(ck_export_json(old, NULL));
  CHECK_STR(ck_export_json(fresh, NULL), a);
  free(a);
  ck_close(fresh);
  ck_close(old);
  unlink(path);
}

TEST(file_databases_use_wal) {
  char *path = temp_path();
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  ck_close(db);
  char mode[16];
  CHECK_STR(check_journal_mode(path, mode), "wal");
  unlink(path);
}

TEST(a_locked_database_is_busy_after_the_timeout) {
  char *path = temp_path();
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  sqlite3 *other;
  sqlite3_open(path, &other);
  CHECK_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL),
            SQLITE_OK);
  CHECK_INT(ck_limit(db, CK_LIMIT_BUSY_MS, 50), 5000);
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}"), CK_BUSY);
  sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(other);
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}"), CK_OK);
  ck_close(db);
  unlink(path);
}

TEST(limits_read_and_set) {
  ck_db *db = fresh();
  CHECK_INT(ck_limit(db, CK_LIMIT_LUA_MEMORY, -1), 64LL << 20);
  CHECK_INT(ck_limit(db, CK_LIMIT_LUA_STEPS, -1), 100000000LL);
  CHECK_INT(ck_limit(db, CK_LIMIT_BUSY_MS, -1), 5000);
  CHECK_INT(ck_limit(db, CK_LIMIT_LUA_STEPS, 1000), 100000000LL);
  CHECK_INT(ck_limit(db, CK_LIMIT_LUA_STEPS, -1), 1000);
  CHECK_INT(ck_limit(db, 99, 1), -1);
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "unknown limit 99");
  ck_close(db);
}

TEST(functions_lists_every_function_with_its_parameters) {
  ck_db *db = fresh();
  const char *f = ck_functions(db);
  CHECK_CONTAINS(f, "{\"name\":\"sql\",\"doc\":");
  CHECK_CONTAINS(f, "{\"name\":\"query\",\"type\":\"string\",\"doc\":");
  CHECK_CONTAINS(f, "{\"name\":\"params\",\"type\":\"any\",\"doc\":");
  CHECK_CONTAINS(f, "\"default\":[]");
  CHECK_CONTAINS(f, "{\"name\":\"stats\"");
  ck_close(db);
}

static int occurrences(const char *s, const char *part) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, part)) != NULL; p += strlen(part))
    n++;
  return n;
}

TEST(functions_say_which_parameters_take_periods_and_dates) {
  ck_db *db = fresh();
  const char *f = ck_functions(db);
  CHECK_CONTAINS(f, "{\"name\":\"from\",\"type\":\"string\",\"doc\":"
                    "\"the earlier period\",\"format\":\"period\"}");
  CHECK_CONTAINS(f, "{\"name\":\"since\",\"type\":\"string\",\"doc\":"
                    "\"first date YYYY-MM-DD\",\"format\":\"date\"}");
  CHECK_CONTAINS(f, "{\"name\":\"dates\",\"type\":\"array\",\"doc\":"
                    "\"list of dates YYYY-MM-DD\",\"format\":\"date\"}");
  /* every period parameter says so, and no format is another word */
  int periods = occurrences(f, "{\"name\":\"period\",\"type\":\"string\"");
  CHECK(periods >= 6);
  CHECK_INT(occurrences(f, "\"format\":\"period\""), periods + 2);
  CHECK_INT(occurrences(f, "\"format\":\""),
            occurrences(f, "\"format\":\"period\"") +
                occurrences(f, "\"format\":\"date\""));
  /* the record kind stays as it was beside it */
  CHECK_CONTAINS(f, "{\"name\":\"question\",\"type\":\"string\",\"doc\":"
                    "\"question id\",\"record\":\"question\"}");
  ck_close(db);
}

TEST(registered_functions_declare_a_format_and_a_wrong_one_is_refused) {
  ck_db *db = fresh();
  CHECK_INT(ck_script(db,
                      "ck.register{name = 'yoy', returns = 'number', "
                      "params = {{name = 'p', type = 'string', "
                      "format = 'period', doc = 'a period'}}, "
                      "fn = function(p) return 1 end}",
                      "reg"),
            CK_OK);
  CHECK_CONTAINS(ck_functions(db), "{\"name\":\"p\",\"type\":\"string\","
                                   "\"doc\":\"a period\",\"format\":"
                                   "\"period\"}");
  CHECK_INT(ck_script(db,
                      "ck.register{name = 'bad', params = {{name = 'p', "
                      "format = 'month'}}, fn = function(p) end}",
                      "bad"),
            CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db),
                 "param 'p': format 'month' is not one of period, date");
  ck_close(db);
}

/* The columns sheet_fields lists are the header an empty sheet writes. */
TEST(sheet_fields_needs_no_data_and_is_the_sheets_header) {
  ck_db *db = fresh();
  char *fields = strdup(ck_call(db, "sheet_fields", NULL));
  const char *sheet = ck_call(db, "sheet", NULL);
  CHECK(fields && sheet);
  /* sheet's answer is a JSON string: "id,source,...\r\n" */
  char want[512] = "\"";
  size_t n = 1;
  for (const char *p = fields; *p; p++)
    if (n + 6 < sizeof want && *p != '"' && *p != '[' && *p != ']')
      want[n++] = *p;
  memcpy(want + n, "\\r\\n\"", 6);
  CHECK_STR(sheet, want);
  CHECK_CONTAINS(fields, "[\"id\",\"source\",");
  free(fields);
  ck_close(db);
}

TEST(arguments_bind_by_position_or_name_with_defaults) {
  ck_db *db = fresh();
  CHECK_STR(ck_call(db, "sql", "[\"SELECT 1 AS one\"]"), "[{\"one\":1}]");
  CHECK_STR(ck_call(db, "sql", "{\"query\": \"SELECT ? AS x\", \"params\": "
                               "[2.5]}"),
            "[{\"x\":2.5}]");
  CHECK_STR(ck_call(db, "sql", "[\"SELECT :a AS x\", {\"a\": \"z\"}]"),
            "[{\"x\":\"z\"}]");
  /* null takes the default, as an omitted trailing argument does */
  CHECK_STR(ck_call(db, "sql", "[\"SELECT 2 AS two\", null]"),
            "[{\"two\":2}]");
  /* A result lives until the next call on the handle: copy it first. */
  char *empty = strdup(ck_call(db, "stats", ""));
  CHECK_STR(ck_call(db, "stats", "[]"), empty);
  free(empty);
  ck_close(db);
}

TEST(bad_arguments_are_invalid_and_say_why) {
  ck_db *db = fresh();
  CHECK(ck_call(db, "sql", "[]") == NULL);
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "sql: missing argument 'query'");
  CHECK(ck_call(db, "sql", "[\"SELECT 1\", [], 3]") == NULL);
  CHECK_CONTAINS(ck_errmsg(db), "sql takes at most 2 arguments, got 3");
  CHECK(ck_call(db, "sql", "{\"qeury\": \"SELECT 1\"}") == NULL);
  CHECK_CONTAINS(ck_errmsg(db), "sql has no parameter 'qeury' (it takes: "
                                "query, params)");
  CHECK(ck_call(db, "sql", "[true]") == NULL);
  CHECK_CONTAINS(ck_errmsg(db),
                 "sql: argument 'query' must be a string, not a boolean");
  CHECK(ck_call(db, "sql", "[\"SELECT 1\"") == NULL);
  CHECK_CONTAINS(ck_errmsg(db), "sql: arguments: line 1");
  CHECK(ck_call(db, "sql", "\"SELECT 1\"") == NULL);
  CHECK_CONTAINS(ck_errmsg(db), "must be a JSON list or object");
  CHECK(ck_call(db, "sql", "[\"SELECT ?\", [1, 2]]") == NULL);
  CHECK_CONTAINS(ck_errmsg(db), "the query has 1 parameter, 2 given");
  ck_close(db);
}

TEST(ck_num_returns_numbers_and_refuses_the_rest) {
  ck_db *db = fresh();
  CHECK(isnan(ck_num(db, "sql", "[\"SELECT 1\"]")));
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "sql returns a list, not a number");
  CHECK(isnan(ck_num(db, "nope", NULL)));
  CHECK_INT(ck_errcode(db), CK_NOTFOUND);
  ck_close(db);
}

TEST(sql_refuses_writes_attach_pragma_changes_and_files) {
  ck_db *db = fresh();
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}"), CK_OK);
  static const char *const refused[] = {
      "DELETE FROM actors",
      "UPDATE actors SET name = 'x'",
      "INSERT INTO actors(id, record) VALUES ('b', '{}')",
      "DROP TABLE actors",
      "CREATE TABLE t(x)",
      "ATTACH '/tmp/other.db' AS other",
      "PRAGMA user_version = 7",
      "PRAGMA journal_mode = DELETE",
      "BEGIN",
      "SELECT load_extension('/tmp/evil.so')",
      "SELECT 1; DELETE FROM actors",
      "WITH x AS (SELECT 1) DELETE FROM actors",
      "VACUUM INTO '/tmp/copy.db'",
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    char args[256];
    snprintf(args, sizeof args, "[\"%s\"]", refused[i]);
    if (ck_call(db, "sql", args) != NULL || ck_errcode(db) != CK_INVALID) {
      fprintf(stderr, "  not refused: %s\n", refused[i]);
      check_failures++;
    }
  }
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"actors\":1");
  CHECK(ck_call(db, "sql", "[\"PRAGMA journal_mode = DELETE\"]") == NULL);
  CHECK_CONTAINS(ck_errmsg(db), "only reading queries are allowed, not this "
                                "PRAGMA (only those that describe the schema");
  CHECK(ck_call(db, "sql", "[\"DELETE FROM actors\"]") == NULL);
  CHECK_STR(ck_errmsg(db), "sql: only reading queries are allowed, not "
                           "writing, schema changes and transactions");
  /* Reading, including read-only pragmas, works. */
  CHECK_STR(ck_call(db, "sql", "[\"SELECT id FROM actors\"]"),
            "[{\"id\":\"a\"}]");
  CHECK(ck_call(db, "sql", "[\"SELECT name FROM pragma_table_info('claims')"
                           "\"]") != NULL);
  CHECK(ck_call(db, "sql", "[\"PRAGMA table_info(views)\"]") != NULL);
  CHECK_STR(ck_call(db, "sql", "[\"WITH RECURSIVE n(i) AS (SELECT 1 UNION "
                               "ALL SELECT i + 1 FROM n WHERE i < 3) SELECT "
                               "count(*) AS c FROM n\"]"),
            "[{\"c\":3}]");
  /* And internal writes still work after a refusal. */
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"b\"}]}"), CK_OK);
  ck_close(db);
}

TEST(sql_results_keep_types_and_column_order) {
  ck_db *db = fresh();
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT 1 AS i, 0.5 AS r, 'é' AS t, NULL AS n, "
                    "x'00ff' AS b, 9e999 AS inf\"]"),
            "[{\"i\":1,\"r\":0.5,\"t\":\"é\",\"n\":null,\"b\":\"00ff\","
            "\"inf\":null}]");
  ck_close(db);
}

TEST(shortcuts_go_through_the_registry) {
  ck_db *db = fresh();
  CHECK(isnan(ck_value(db, "deepseek", "aa-index", NULL, NULL)));
  CHECK_INT(ck_errcode(db), CK_NOTFOUND);
  CHECK_CONTAINS(ck_errmsg(db), "value: no entity 'deepseek'");
  CHECK(isnan(ck_value(db, NULL, "aa-index", NULL, NULL)));
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "value: missing argument 'entity'");
  CHECK(isnan(ck_consensus(db, "parity", NULL, NULL)));
  CHECK_CONTAINS(ck_errmsg(db), "consensus: no question 'parity'");
  CHECK(isnan(ck_value(db, "\xff", "m", NULL, NULL)));
  CHECK_CONTAINS(ck_errmsg(db), "argument 1 is not UTF-8");
  CHECK_INT(ck_import_json(db, "{\"entities\": [{\"id\": \"e\"}], "
                               "\"metrics\": [{\"id\": \"m\"}], \"actors\": "
                               "[{\"id\": \"a\"}], \"claims\": [{\"actor\": "
                               "\"a\", \"entity\": \"e\", \"metric\": \"m\", "
                               "\"period\": \"2026\", \"value\": 7}]}"),
            CK_OK);
  CHECK_NEAR(ck_value(db, "e", "m", "", ""), 7, 0);
  CHECK_INT(ck_errcode(db), CK_OK);
  ck_close(db);
}

TEST(separate_handles_share_a_file) {
  char *path = temp_path();
  ck_db *a, *b;
  CHECK_INT(ck_open(path, 0, &a), CK_OK);
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &b), CK_OK);
  CHECK_INT(ck_import_json(a, "{\"actors\": [{\"id\": \"x\"}]}"), CK_OK);
  CHECK_CONTAINS(ck_call(b, "stats", NULL), "\"actors\":1");
  ck_close(a);
  ck_close(b);
  unlink(path);
}

CHECK_MAIN(T(versions_agree), T(every_status_code_has_a_text),
           T(every_status_code_has_its_header_name),
           T(null_handles_and_strings_are_misuse_never_a_crash),
           T(errors_stay_on_the_handle_until_the_next_call),
           T(in_memory_names_all_open_a_private_database),
           T(a_failed_open_still_hands_back_a_handle_with_the_reason),
           T(a_newer_schema_is_refused_with_a_clear_message),
           T(a_foreign_sqlite_file_is_not_taken_over),
           T(an_older_file_needs_a_read_write_open_to_migrate),
           T(a_schema_1_file_migrates_and_answers_the_same),
           T(file_databases_use_wal),
           T(a_locked_database_is_busy_after_the_timeout),
           T(limits_read_and_set),
           T(functions_lists_every_function_with_its_parameters),
           T(functions_say_which_parameters_take_periods_and_dates),
           T(registered_functions_declare_a_format_and_a_wrong_one_is_refused),
           T(sheet_fields_needs_no_data_and_is_the_sheets_header),
           T(arguments_bind_by_position_or_name_with_defaults),
           T(bad_arguments_are_invalid_and_say_why),
           T(ck_num_returns_numbers_and_refuses_the_rest),
           T(sql_refuses_writes_attach_pragma_changes_and_files),
           T(sql_results_keep_types_and_column_order),
           T(shortcuts_go_through_the_registry),
           T(separate_handles_share_a_file))

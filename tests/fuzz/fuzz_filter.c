/*
** fuzz_filter.c -- libFuzzer target for filter strings: any text is
** refused with CK_INVALID or parsed into terms whose SQL prepares and runs;
** the public functions that take filters agree with the parser.
*/
#include "internal.h"
#include "filter.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

static ck_db *db;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  if (ck_open(NULL, 0, &db) != CK_OK ||
      ck_import_json(db, "{\"actors\": [{\"id\": \"a\", \"region\": "
                         "\"domestic\"}], \"questions\": [{\"id\": \"q\"}],"
                         " \"claims\": [{\"actor\": \"a\", \"question\": "
                         "\"q\", \"stance\": 1, \"tags\": [\"t\"]}]}") != CK_OK)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  ck_filter f;
  db_begin_call(db);
  int rc = filter_parse(db, text, &f);
  if (rc != CK_OK && rc != CK_INVALID)
    abort();
  if (rc == CK_OK) {
    if (f.n < 0 || f.n > CK_FILTER_MAX)
      abort();
    strbuf sql;
    sb_init(&sql);
    sb_puts(&sql, "SELECT count(*) FROM claims c JOIN actors a ON a.id = "
                  "c.actor LEFT JOIN sources s ON s.id = c.source WHERE 1");
    filter_sql(&f, &sql);
    sqlite3_stmt *st;
    if (sql.oom || sqlite3_prepare_v2(db->sql, sql.data, -1, &st, NULL))
      abort(); /* an accepted filter is valid SQL */
    if (filter_bind(&f, st, 1) != f.n + 1 || sqlite3_step(st) != SQLITE_ROW)
      abort();
    sqlite3_finalize(st);
    sb_free(&sql);
    filter_free(&f);
  }
  /* the same verdict through the public API (valid UTF-8 only: JSON) */
  if (utf8_invalid_at(text, size) == (size_t)-1 && strlen(text) == size) {
    double n = ck_consensus(db, "q", "n", text);
    if ((rc == CK_OK) != (ck_errcode(db) == CK_OK))
      abort();
    if (rc == CK_OK && !(n == 0 || n == 1))
      abort();
    const char *pack = ck_export_json(db, text);
    if ((rc == CK_OK) != (pack != NULL))
      abort();
  }
  free(text);
  return 0;
}

/*
** fuzz_lua.c -- libFuzzer target for Lua chunks in the sandbox, with a
** small budget: every chunk ends (libFuzzer's -timeout catches one that
** does not) with CK_OK or CK_SCRIPT, and the handle answers after it.
*/
#include <claimkit.h>
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static ck_db *db;
static long runs;

static void fresh(void) {
  ck_close(db);
  if (ck_open(NULL, 0, &db) != CK_OK ||
      ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}], \"questions\": "
                         "[{\"id\": \"q\"}], \"claims\": [{\"actor\": \"a\", "
                         "\"question\": \"q\", \"stance\": 1}]}") != CK_OK)
    abort();
  ck_limit(db, CK_LIMIT_LUA_STEPS, 200000);
  ck_limit(db, CK_LIMIT_LUA_MEMORY, 8 << 20);
  ck_limit(db, CK_LIMIT_SQL_STEPS, 2000000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (runs++ % 500 == 0)
    fresh(); /* scripts may change the state's globals */
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  int rc = ck_script(db, text, "fuzz");
  if (rc != CK_OK && rc != CK_SCRIPT)
    abort();
  const char *stats = ck_call(db, "stats", NULL);
  if (!stats || !strstr(stats, "\"views\":1"))
    abort();
  if (ck_script(db, "return 1", "after") != CK_OK)
    abort();
  free(text);
  return 0;
}

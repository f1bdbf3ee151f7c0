/*
** fuzz_call.c -- libFuzzer target for ck_call's argument decoding: the
** first line of the input names a function (any bytes), the rest is its
** arguments (any text).  Every call gives a result or an error code, never
** both; a result is valid JSON; ck_num agrees with ck_call.  The handle,
** holding the example pack and its Lua functions, is shared by all inputs.
*/
#include <claimkit.h>
#include "fuzz.h"
#include <jansson.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ck_db *db;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  const char *pack = getenv("CK_FUZZ_PACK");
  if (ck_open(NULL, 0, &db) != CK_OK || !pack ||
      ck_import_file(db, pack) != CK_OK)
    abort();
  ck_limit(db, CK_LIMIT_SQL_STEPS, 2000000);
  ck_limit(db, CK_LIMIT_LUA_STEPS, 1000000);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  char *nl = memchr(text, '\n', size);
  const char *args = nl ? nl + 1 : NULL;
  if (nl)
    *nl = '\0';
  const char *out = ck_call(db, text, args);
  int rc = ck_errcode(db);
  if ((out != NULL) != (rc == CK_OK) || rc < 0 || rc > CK_READONLY)
    abort();
  if (!out && !*ck_errmsg(db))
    abort();
  if (out) {
    json_error_t err;
    json_t *v = json_loads(out, JSON_DECODE_ANY, &err);
    if (!v)
      abort();
    int number = json_is_number(v) || json_is_boolean(v) || json_is_null(v);
    json_decref(v);
    double last = ck_last_num(db);
    if (number && strcmp(out, "null") != 0 && ck_errcode(db) != CK_OK)
      abort();
    (void)last;
  }
  double d = ck_num(db, text, args);
  if (isnan(d) && ck_errcode(db) == CK_OK && rc == CK_OK && out &&
      strcmp(out, "null") != 0)
    abort(); /* a number, but ck_num failed without saying why */
  free(text);
  return 0;
}

/*
** fuzz_import.c -- libFuzzer target for claim-pack import: any input is
** imported whole or refused with CK_INVALID (or CK_SCRIPT for a pack's
** script), and a refused import changes nothing.
*/
#include <claimkit.h>
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK)
    abort();
  ck_limit(db, CK_LIMIT_LUA_STEPS, 100000); /* packs may carry scripts */
  ck_limit(db, CK_LIMIT_LUA_MEMORY, 8 << 20);
  static const char seed[] =
      "{\"actors\": [{\"id\": \"a\"}], \"questions\": [{\"id\": \"q\"}],"
      " \"claims\": [{\"actor\": \"a\", \"question\": \"q\", \"stance\": 1}]}";
  if (ck_import_json(db, seed) != CK_OK)
    abort();
  char *before = strdup(ck_export_json(db, NULL));
  int rc = ck_import_json(db, text);
  if (rc != CK_OK) {
    if (rc != CK_INVALID && rc != CK_SCRIPT)
      abort();
    if (strcmp(before, ck_export_json(db, NULL)) != 0)
      abort(); /* a refused import wrote something */
  } else {
    /* what went in comes out, and goes in again unchanged */
    char *after = strdup(ck_export_json(db, NULL));
    ck_db *again;
    ck_open(NULL, 0, &again);
    ck_limit(again, CK_LIMIT_LUA_STEPS, 100000);
    ck_limit(again, CK_LIMIT_LUA_MEMORY, 8 << 20);
    if (ck_import_json(again, after) == CK_OK &&
        strcmp(after, ck_export_json(again, NULL)) != 0)
      abort();
    ck_close(again);
    free(after);
  }
  free(before);
  ck_close(db);
  free(text);
  return 0;
}

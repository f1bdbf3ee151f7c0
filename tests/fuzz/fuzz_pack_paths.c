/*
** fuzz_pack_paths.c -- libFuzzer target: a pack taken element by element
** (import_pack.c), on one thread and on two, against the same pack parsed
** whole: the same code, the same message, the same stored claims.
*/
#include "fuzz.h"
#include "internal.h"
#include <claimkit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *run(const char *text, int whole, int threaded, int *rc,
                 char **msg) {
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK)
    abort();
  ck_limit(db, CK_LIMIT_LUA_STEPS, 100000);
  ck_limit(db, CK_LIMIT_LUA_MEMORY, 8 << 20);
  static const char seed[] =
      "{\"actors\": [{\"id\": \"a\"}], \"questions\": [{\"id\": \"q\"}],"
      " \"claims\": [{\"actor\": \"a\", \"question\": \"q\", \"stance\": 1}]}";
  if (ck_import_json(db, seed) != CK_OK)
    abort();
  db->pack_whole = whole;
  db->threaded_bytes = threaded ? 0 : (1LL << 40);
  *rc = ck_import_json(db, text);
  *msg = *rc == CK_OK ? NULL : strdup(ck_errmsg(db));
  char *out = strdup(ck_export_json(db, NULL));
  ck_close(db);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  int rc[3];
  char *msg[3], *out[3];
  for (int i = 0; i < 3; i++)
    out[i] = run(text, i == 0, i == 2, &rc[i], &msg[i]);
  for (int i = 1; i < 3; i++) {
    if (rc[i] != rc[0] || strcmp(out[i], out[0]) != 0 ||
        (msg[0] && (!msg[i] || strcmp(msg[i], msg[0]) != 0))) {
      fprintf(stderr, "way %d: rc %d, parsed whole: rc %d\n[%s]\n[%s]\n", i,
              rc[i], rc[0], msg[i] ? msg[i] : "", msg[0] ? msg[0] : "");
      abort();
    }
  }
  for (int i = 0; i < 3; i++) {
    free(msg[i]);
    free(out[i]);
  }
  free(text);
  return 0;
}

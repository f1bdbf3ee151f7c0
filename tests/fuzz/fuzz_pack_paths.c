/*
** fuzz_pack_paths.c -- libFuzzer target: a pack taken element by element
** (import_pack.c), on one thread and on two, and from a file read through
** a window of a few bytes on two threads, against the same pack parsed
** whole: the same code, the same message, the same stored claims.
*/
#include "fuzz.h"
#include "internal.h"
#include <claimkit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The file way: the text imported from a file of its own, then removed. */
static int import_as_file(ck_db *db, const char *text) {
  char path[] = "/tmp/fuzz_pack_paths_XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f))
    abort();
  int rc = ck_import_file(db, path);
  unlink(path);
  return rc;
}

static char *run(const char *text, int whole, int threaded, size_t window,
                 int *rc, char **msg) {
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
  db->pack_window = window;
  *rc = window ? import_as_file(db, text) : ck_import_json(db, text);
  *msg = *rc == CK_OK ? NULL : strdup(ck_errmsg(db));
  char *out = strdup(ck_export_json(db, NULL));
  ck_close(db);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  int rc[4];
  char *msg[4], *out[4];
  for (int i = 0; i < 4; i++)
    out[i] =
        run(text, i == 0, i >= 2, i == 3 ? 1 + size % 17 : 0, &rc[i], &msg[i]);
  for (int i = 1; i < 4; i++) {
    if (rc[i] != rc[0] || strcmp(out[i], out[0]) != 0 ||
        (msg[0] && (!msg[i] || strcmp(msg[i], msg[0]) != 0))) {
      fprintf(stderr, "way %d: rc %d, parsed whole: rc %d\n[%s]\n[%s]\n", i,
              rc[i], rc[0], msg[i] ? msg[i] : "", msg[0] ? msg[0] : "");
      abort();
    }
  }
  for (int i = 0; i < 4; i++) {
    free(msg[i]);
    free(out[i]);
  }
  free(text);
  return 0;
}

/*
** fuzz_sheet.c -- libFuzzer target for claim sheets: any bytes as a .csv
** file.  The reader never fails but with a reason; every record it reads,
** written back by sheet_put(), reads back to the same cells; and an import
** of the file is stored whole or refused with CK_INVALID, leaving the
** database as it was.
*/
#include "internal.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];
static const char *const DIMENSIONS =
    "{\"sources\": [{\"id\": \"s\"}], \"actors\": [{\"id\": \"a\"}], "
    "\"questions\": [{\"id\": \"q\"}], \"entities\": [{\"id\": \"e\"}], "
    "\"metrics\": [{\"id\": \"m\"}]}";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  snprintf(path, sizeof path, "/tmp/ck_fuzz_sheet_%ld.csv", (long)getpid());
  return 0;
}

/* Each record of `csv`, written back, reads back the same. */
static void round_trip(const uint8_t *data, size_t size) {
  FILE *f = fmemopen((void *)data, size, "rb");
  if (!f)
    return;
  sheet_reader r;
  const char *err;
  sheet_open(&r, f);
  int got;
  while ((got = sheet_next(&r, &err)) == 1) {
    strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < r.ncells; i++)
      sheet_put(&sb, sheet_cell(&r, i), i + 1 == r.ncells);
    if (sb.oom) {
      sb_free(&sb);
      break;
    }
    FILE *g = fmemopen(sb.data, sb.len, "rb");
    sheet_reader back;
    const char *why;
    sheet_open(&back, g);
    if (sheet_next(&back, &why) != 1 || back.ncells != r.ncells)
      abort();
    for (size_t i = 0; i < r.ncells; i++)
      if (strcmp(sheet_cell(&back, i), sheet_cell(&r, i)) != 0)
        abort();
    if (sheet_next(&back, &why) != 0)
      abort();
    sheet_close(&back);
    fclose(g);
    sb_free(&sb);
  }
  if (got == SHEET_BAD && (!err || !*err))
    abort(); /* a refusal says why */
  sheet_close(&r);
  fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  round_trip(data, size);
  FILE *f = fopen(path, "wb");
  if (!f)
    return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  /* Each input from the same dimensions: a refused sheet leaves them as
     they were, a stored one is dropped with its database. */
  static ck_db *db;
  if (!db && (ck_open(NULL, 0, &db) != CK_OK ||
              ck_import_json(db, DIMENSIONS) != CK_OK))
    abort();
  const char *pack = ck_export_json(db, NULL);
  char *was = pack ? strdup(pack) : NULL;
  int rc = ck_import_file(db, path);
  if (rc != CK_OK && rc != CK_INVALID && rc != CK_NOMEM)
    abort();
  if (rc != CK_OK) {
    if (!*ck_errmsg(db))
      abort();
    pack = ck_export_json(db, NULL);
    if (!was || !pack || strcmp(was, pack) != 0)
      abort(); /* a refused sheet changes nothing */
  } else if (!ck_call(db, "sheet", "[]")) {
    abort(); /* what was stored lays out as a sheet */
  }
  free(was);
  if (rc == CK_OK) {
    ck_close(db);
    db = NULL;
  }
  unlink(path);
  return 0;
}

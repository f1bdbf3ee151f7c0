/*
** fuzz_sheet.c -- libFuzzer target for claim sheets: any bytes as a .csv
** file.  The reader never fails but with a reason; every record it reads,
** written back by sheet_put(), reads back to the same cells; an import
** of the file is stored whole or refused with CK_INVALID (never CK_NOMEM:
** a GBK header once said "out of memory"), leaving the database as it
** was; and what was stored, laid out by sheet() and imported into the same
** dimensions, exports the same pack.
*/
#include "internal.h"
#include "sheet.h"
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

static ck_db *dimensions(void) {
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK || ck_import_json(db, DIMENSIONS) != CK_OK)
    abort();
  return db;
}

/* The claims stored from the sheet, as a sheet of their own, import into
   the same dimensions as the same pack. */
static void sheet_round_trip(ck_db *db) {
  const char *out = ck_call(db, "sheet", "[]");
  json_t *text = out ? json_loads(out, JSON_DECODE_ANY, NULL) : NULL;
  if (!json_is_string(text))
    abort(); /* what was stored lays out as a sheet */
  FILE *f = fopen(path, "wb");
  if (!f)
    abort();
  fwrite(json_string_value(text), 1, json_string_length(text), f);
  fclose(f);
  json_decref(text);
  ck_db *copy = dimensions();
  if (ck_import_file(copy, path) != CK_OK)
    abort();
  const char *want = ck_export_json(db, NULL);
  char *was = want ? strdup(want) : NULL;
  const char *got = ck_export_json(copy, NULL);
  if (!was || !got || strcmp(was, got) != 0)
    abort();
  free(was);
  ck_close(copy);
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
  if (!db)
    db = dimensions();
  const char *pack = ck_export_json(db, NULL);
  char *was = pack ? strdup(pack) : NULL;
  int rc = ck_import_file(db, path);
  if (rc != CK_OK && rc != CK_INVALID)
    abort();
  if (rc != CK_OK) {
    const char *msg = ck_errmsg(db);
    if (!*msg || utf8_invalid_at(msg, strlen(msg)) != (size_t)-1)
      abort(); /* a refusal says why, in text a front end can decode */
    pack = ck_export_json(db, NULL);
    if (!was || !pack || strcmp(was, pack) != 0)
      abort(); /* a refused sheet changes nothing */
  } else {
    sheet_round_trip(db);
  }
  free(was);
  if (rc == CK_OK) {
    ck_close(db);
    db = NULL;
  }
  unlink(path);
  return 0;
}

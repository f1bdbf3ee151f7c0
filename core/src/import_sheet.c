/*
** import_sheet.c -- a claim sheet (CSV) imported: each row is checked and
** stored as the claim object it states (sheet.c reads the rows).
*/
#include "import.h"

#include <errno.h>
#include <string.h>

/* Ends with ".csv", in any case. */
int import_is_sheet(const char *path) {
  size_t n = strlen(path);
  if (n < 4)
    return 0;
  const char *e = path + n - 4;
  return e[0] == '.' && (e[1] | 32) == 'c' && (e[2] | 32) == 's' &&
         (e[3] | 32) == 'v';
}

/* A sheet of claims, a row each after a header naming their fields: each
   row is checked and stored as the claim object it states. */
int import_sheet(ck_db *db, FILE *f, const char *path) {
  importer imp;
  int rc = import_begin(db, &imp);
  if (rc != CK_OK)
    return import_end(&imp, rc);
  imp.sheet = path;
  sheet_reader r;
  sheet_columns cols = {0};
  sheet_open(&r, f);
  char msg[CK_ERRMSG_MAX];
  const char *err;
  int got, have_header = 0;
  while (rc == CK_OK && (got = sheet_next(&r, &err)) != 0) {
    imp.line = r.record_line;
    if (got == SHEET_NOMEM)
      rc = db_error(db, CK_NOMEM, "out of memory reading '%s'", path);
    else if (got == SHEET_IO)
      rc = db_error(db, CK_IO, "cannot read '%s' after line %ld: %s", path,
                    r.lineno, strerror(errno ? errno : EIO));
    else if (got < 0)
      rc = imp_fail(&imp, "", NULL, "%s", err);
    if (got < 0)
      break;
    if (sheet_blank(&r))
      continue;
    if (!have_header) {
      if (sheet_header(&r, &cols, msg, sizeof msg) != 0)
        rc = *msg ? imp_fail(&imp, "", NULL, "%s", msg)
                  : db_nomem(db);
      have_header = 1;
      continue;
    }
    const char *column;
    int source;
    json_t *claim = sheet_claim(&r, &cols, &column, &source, msg, sizeof msg);
    if (!claim) {
      rc = *msg ? imp_fail(&imp, "", column, "%s", msg)
                : db_nomem(db);
      break;
    }
    /* A row of type "source" is the source its claims come from (a
       draft's sheet carries it): its cells are the source's fields. */
    rc = import_record(&imp, source ? R_SOURCE : R_CLAIM, claim, "");
    json_decref(claim);
    if (rc == CK_OK)
      import_progress_set(db, CK_PROGRESS_BYTES, r.consumed + (long long)r.pos);
  }
  if (rc == CK_OK)
    import_progress_set(db, CK_PROGRESS_BYTES, r.consumed + (long long)r.pos);
  if (rc == CK_OK && !have_header)
    rc = db_error(db, CK_INVALID,
                  "'%s' is empty: a claim sheet starts with a header row "
                  "naming claim fields (source, actor, question, stance, "
                  "entity, metric, value, ...)",
                  path);
  sheet_columns_free(&cols);
  sheet_close(&r);
  return import_end(&imp, rc);
}

/*
** import_sheet.c -- a claim sheet (CSV) imported: each row is checked and
** stored as the claim object it states (sheet.c reads the rows).
*/
#include "import.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* Ends with ".csv", in any case. */
int import_is_sheet(const char *path) {
  size_t n = strlen(path);
  if (n < 4)
    return 0;
  const char *e = path + n - 4;
  return e[0] == '.' && (e[1] | 32) == 'c' && (e[2] | 32) == 's' &&
         (e[3] | 32) == 'v';
}

/* What the row reading stopped at says: the end (CK_OK, unless there was
   no header), or what was wrong, where. */
static int row_stopped(importer *imp, const sheet_row *row) {
  ck_db *db = imp->db;
  imp->line = row->line;
  if (row->what == ROW_NOMEM)
    return db_error(db, CK_NOMEM, "out of memory reading '%s'", imp->sheet);
  if (row->what == ROW_IO)
    return db_error(db, CK_IO, "cannot read '%s' after line %ld: %s",
                    imp->sheet, row->lineno,
                    strerror(row->err_no ? row->err_no : EIO));
  if (row->what != ROW_END)
    return row->msg ? imp_fail(imp, "", row->column, "%s", row->msg)
                    : db_nomem(db);
  import_progress_set(db, CK_PROGRESS_BYTES, row->through);
  if (!row->header_seen)
    return db_error(db, CK_INVALID,
                    "'%s' is empty: a claim sheet starts with a header row "
                    "naming claim fields (source, actor, question, stance, "
                    "entity, metric, value, ...)",
                    imp->sheet);
  return CK_OK;
}

/* The rows, on this thread. */
static int import_rows(importer *imp, sheet_rows *s, sheet_row *row) {
  for (;;) {
    sheet_read_row(s, row);
    if (row->what != ROW_RECORD)
      return CK_OK;
    /* A row of type "source" is the source its claims come from (a
       draft's sheet carries it): its cells are the source's fields. */
    imp->line = row->line;
    int rc = import_record(imp, (enum rec_kind)row->kind, row->rec, "");
    if (rc != CK_OK)
      return rc;
    import_progress_set(imp->db, CK_PROGRESS_BYTES, row->through);
    sheet_row_free(row);
  }
}

/* A sheet of claims, a row each after a header naming their fields: each
   row is checked and stored as the claim object it states.  A large one
   is read on a second thread (import_reader.c), as JSON Lines are. */
int import_sheet(ck_db *db, FILE *f, const char *path) {
  importer imp;
  int rc = import_begin(db, &imp);
  if (rc != CK_OK)
    return import_end(&imp, rc);
  imp.sheet = path;
  sheet_rows s = {0};
  sheet_open(&s.r, f);
  sheet_row row = {0};
  struct stat st;
  int large = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
              st.st_size > db->threaded_bytes;
  if (large && import_defer_worthwhile(&imp, st.st_size))
    rc = import_defer_indexes(&imp);
  int threaded = large && rc == CK_OK;
  if (threaded && (rc = import_sheet_threaded(&imp, &s, &row)) == -1)
    threaded = 0, rc = CK_OK; /* no thread to be had: one will do */
  if (!threaded && rc == CK_OK)
    rc = import_rows(&imp, &s, &row);
  if (rc == CK_OK)
    rc = row_stopped(&imp, &row);
  sheet_row_free(&row);
  sheet_columns_free(&s.cols);
  sheet_close(&s.r);
  return import_end(&imp, rc);
}

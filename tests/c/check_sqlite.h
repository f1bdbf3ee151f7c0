/*
** check_sqlite.h -- what the tests that open a claimkit file with SQLite
** itself ask of it (check.h has the rest).
*/
#ifndef CK_CHECK_SQLITE_H
#define CK_CHECK_SQLITE_H

#include <sqlite3.h>
#include <stdio.h>

/* The file's journal mode, asked on a connection of its own ("?" when it
   cannot be read). */
static inline const char *check_journal_mode(const char *path, char out[16]) {
  sqlite3 *s = NULL;
  sqlite3_stmt *st = NULL;
  snprintf(out, 16, "?");
  if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(s, "PRAGMA journal_mode", -1, &st, NULL) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    snprintf(out, 16, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(s);
  return out;
}

#endif

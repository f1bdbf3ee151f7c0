/*
** storage.h -- the SQLite file (storage.c): opening it, the schema and
** its migrations, the handle's prepared statements, a call's read snapshot
** and the derived tables' fingerprint.  Layer: SQL, the lowest: every file
** that queries the database goes through it.
*/
#ifndef CK_STORAGE_H
#define CK_STORAGE_H

#include "internal.h"

#define CK_SCHEMA_VERSION 3
#define CK_APPLICATION_ID 0x436b4442 /* "CkDB" */

#define CK_PROGRESS_EVERY 1000 /* SQLite steps between two budget checks */
/* What an SQLite step costs a script's budget: about as long as five Lua
   VM instructions (measured: 24 ns against 4.5 ns). */
#define CK_SQL_STEP_COST 5

int storage_open(ck_db *db, const char *path, int flags);
/* The data version: another connection's commits and this handle's own
   imports; -1 when it cannot be read (statements.c). */
long long storage_data_version(ck_db *db);
/* A prepared statement for `sql` from the handle's cache, ready to bind
   and step; give it back with storage_release().  A statement still in use
   further up the stack is never handed out twice: a fresh one is made. */
int storage_cached(ck_db *db, const char *sql, sqlite3_stmt **stmt);
/* CK_OK when `table` holds a record with this id, else CK_NOTFOUND with
   "fn: no <what> 'id'". */
int storage_require(ck_db *db, const char *fn, const char *table,
                    const char *what, const char *id);
/* Resets a cached statement for its next use, finalizes any other. */
void storage_release(ck_db *db, sqlite3_stmt *stmt);
/* Finalizes every cached statement (before closing the connection). */
void storage_cache_clear(ck_db *db);
/* A call's reads see one snapshot: a read transaction when none is open.
   *began says whether this call began it, for storage_read_end(). */
int storage_read_begin(ck_db *db, int *began);
void storage_read_end(ck_db *db, int began);
/* The derived tables (latest_views, latest_observations, key_values) are
   checked against the claims by a fingerprint -- counts of the tables they
   come from and of their own rows, kept in claimkit_meta -- whenever
   another connection changed the file: storage_read_begin() checks it
   and, on a read-write handle, rebuilds them from the claims when it
   disagrees (a read-only handle gets CK_ERROR).  An import checks it as it
   begins (inside its transaction) and stores the new one before it
   commits. */
int storage_derived_settle(ck_db *db);
int storage_fingerprint_store(ck_db *db);
/* Binds `s` to parameter i without a copy (it must outlive the step);
   NULL binds SQL NULL, as sqlite3_bind_text() does for a NULL pointer. */
static inline void storage_bind_text(sqlite3_stmt *st, int i, const char *s) {
  sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}
/* A file with no claims yet, in WAL mode and open on no other connection,
   put in rollback-journal mode for an import (1), or left as it is (0);
   storage_wal_again() puts it back once the import committed or rolled
   back (statements.c). */
int storage_bulk_journal(ck_db *db);
void storage_wal_again(ck_db *db);
/* Runs SQL without results; on failure sets the handle's error. */
int storage_exec(ck_db *db, const char *sql, const char *doing);
int storage_prepare(ck_db *db, const char *sql, sqlite3_stmt **stmt);

/* What a message about a damaged derived row (latest_views,
   latest_observations, key_values) tells the user to do: the rows are
   computed again from the claims when their fingerprint disagrees
   (storage.c), which deleting it makes sure of. */
#define CK_REBUILD_HINT                                                        \
  " (to rebuild the derived tables from the claims: DELETE FROM "             \
  "claimkit_meta, then open the file read-write)"

/* The effective date of a claim: its as_of, else its source's date. */
#define CK_CLAIM_DATE "COALESCE(c.as_of, s.published)"

#endif

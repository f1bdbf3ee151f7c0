/*
** statements.c -- SQL on the handle's connection: statements run once,
** prepared, or kept in the handle's cache of prepared statements; the
** data version.
**
** The layer every file that reads or writes the database stands on
** (docs/internals.md): it calls only util.c and canon.c's hash.  Opening
** the file, the schema and the derived tables' upkeep are storage.c's,
** above key_values.c, which runs its statements through this file.
*/
#include "internal.h"
#include "storage.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

int storage_exec(ck_db *db, const char *sql, const char *doing) {
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? CK_OK : db_sql_error(db, rc, doing);
}

int storage_prepare(ck_db *db, const char *sql, sqlite3_stmt **stmt) {
  int rc = sqlite3_prepare_v2(db->sql, sql, -1, stmt, NULL);
  return rc == SQLITE_OK ? CK_OK : db_sql_error(db, rc, "preparing a query");
}

int storage_cached(ck_db *db, const char *sql, sqlite3_stmt **stmt) {
  uint64_t hash = fnv1a64(sql, strlen(sql));
  int victim = -1;
  for (int i = 0; i < CK_STMT_CACHE; i++) {
    stmt_slot *s = &db->stmts[i];
    if (s->stmt && s->hash == hash && strcmp(s->sql, sql) == 0) {
      if (!sqlite3_stmt_busy(s->stmt)) {
        *stmt = s->stmt;
        return CK_OK;
      }
      return storage_prepare(db, sql, stmt); /* in use: a private one */
    }
  }
  /* A free slot, else the next one round the ring that is not in use. */
  for (int k = 0; k < CK_STMT_CACHE && victim < 0; k++) {
    int i = (int)((db->next_slot + (unsigned)k) % CK_STMT_CACHE);
    if (!db->stmts[i].stmt || !sqlite3_stmt_busy(db->stmts[i].stmt))
      victim = i;
  }
  char *copy = victim >= 0 ? strdup(sql) : NULL;
  if (!copy)
    return storage_prepare(db, sql, stmt);
  int rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT,
                              stmt, NULL);
  if (rc != SQLITE_OK) {
    free(copy);
    return db_sql_error(db, rc, "preparing a query");
  }
  stmt_slot *s = &db->stmts[victim];
  sqlite3_finalize(s->stmt);
  free(s->sql);
  s->hash = hash;
  s->sql = copy;
  s->stmt = *stmt;
  db->next_slot = (unsigned)victim + 1;
  return CK_OK;
}

int storage_require(ck_db *db, const char *fn, const char *table,
                    const char *what, const char *id) {
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?", table);
  sqlite3_stmt *st;
  int rc = storage_cached(db, sql, &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  storage_release(db, st);
  if (step == SQLITE_ROW)
    return CK_OK;
  if (step != SQLITE_DONE)
    return db_sql_error(db, step, fn);
  return db_error(db, CK_NOTFOUND, "%s: no %s '%s'", fn, what, id);
}

void storage_release(ck_db *db, sqlite3_stmt *stmt) {
  if (!stmt)
    return;
  for (int i = 0; i < CK_STMT_CACHE; i++)
    if (db->stmts[i].stmt == stmt) {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
      return;
    }
  sqlite3_finalize(stmt);
}

void storage_cache_clear(ck_db *db) {
  sqlite3_finalize(db->begin_read);
  sqlite3_finalize(db->end_read);
  sqlite3_finalize(db->data_version);
  db->begin_read = db->end_read = db->data_version = NULL;
  for (int i = 0; i < CK_STMT_CACHE; i++) {
    sqlite3_finalize(db->stmts[i].stmt);
    free(db->stmts[i].sql);
    memset(&db->stmts[i], 0, sizeof db->stmts[i]);
  }
}

/* ---- the data version ---------------------------------------------------- */

/* Every call asks whether the data changed (cache.c, names.c, the derived
   tables' check): PRAGMA data_version is a read transaction, two fcntl and
   an fstat, most of a warm call.  But every commit to a WAL file rewrites
   the WAL index header in the -shm file, mapped into every connection,
   before the commit returns (a WAL reset too): while that header reads
   the same, nothing was committed, and the pragma need not be asked.  A
   rollback-journal file has no such header and is asked every time; a
   private in-memory database changes only through this handle. */

/* Whether the query's first value reads `want` (a journal mode: the file
   is in it, or the pragma switched it to it). */
static int first_text_is(ck_db *db, const char *sql, const char *want) {
  sqlite3_stmt *st;
  int is = 0;
  if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char *now = sqlite3_column_text(st, 0);
    is = now && strcmp((const char *)now, want) == 0;
  }
  sqlite3_finalize(st);
  return is;
}

/* The file's kind: private in memory, WAL (its index mapped), or neither.
   Looked at again while neither, after another connection committed: it
   may have switched the file to WAL since. */
static void watch_probe(ck_db *db, data_watch *w) {
  w->probed = 1;
  const char *file = sqlite3_db_filename(db->sql, "main");
  if (!file || !*file) {
    w->memory = 1;
    return;
  }
  int wal = first_text_is(db, "PRAGMA main.journal_mode", "wal");
  sqlite3_file *f = NULL;
  /* Only a file in WAL mode: mapping asks for the -shm file, which a file
     in rollback mode must not get. */
  if (!wal ||
      sqlite3_file_control(db->sql, "main", SQLITE_FCNTL_FILE_POINTER, &f) !=
          SQLITE_OK ||
      !f || !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
    return;
  volatile void *region = NULL;
  if (f->pMethods->xShmMap(f, 0, 32768, 0, &region) == SQLITE_OK && region)
    w->wal = (const volatile uint32_t *)region;
}

/* The WAL index header, when both its copies agree and it is set up. */
static int wal_header(const volatile uint32_t *shm, uint32_t h[12]) {
  for (int i = 0; i < 12; i++)
    h[i] = shm[i];
  atomic_thread_fence(memory_order_acquire); /* as walIndexTryHdr() */
  for (int i = 0; i < 12; i++)
    if (shm[12 + i] != h[i])
      return 0; /* a writer is between the copies */
  return ((const unsigned char *)h)[12] != 0; /* isInit */
}

long long storage_data_version(ck_db *db) {
  data_watch *w = &db->watch;
  if (!w->probed)
    watch_probe(db, w);
  long long own = db->writes + sqlite3_total_changes64(db->sql);
  uint32_t h[12];
  int have = w->wal && wal_header(w->wal, h);
  if (w->memory || (have && w->header_ok && w->seen >= 0 &&
                    memcmp(h, w->header, sizeof h) == 0)) {
    if (own != w->own) {
      w->own = own;
      w->epoch++;
    }
    return w->epoch;
  }
  sqlite3_stmt *st = db->data_version;
  if (!st)
    return -1;
  int rc = sqlite3_step(st);
  long long v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  if (v < 0) {
    w->seen = -1;
    return -1;
  }
  if (v != w->seen || own != w->own) {
    if (!w->wal && w->seen >= 0)
      watch_probe(db, w); /* (the header is read from the next call on) */
    w->seen = v;
    w->own = own;
    w->epoch++;
  }
  /* Inside a transaction the pragma answers for its snapshot, which may be
     older than the header: that header is not this version's. */
  w->header_ok = have && sqlite3_get_autocommit(db->sql);
  if (w->header_ok)
    memcpy(w->header, h, sizeof h);
  return w->epoch;
}

/* ---- a new file's first import ------------------------------------------- */

/* A WAL file is written twice: each page to the -wal, then copied into the
   database by the checkpoint.  In rollback-journal mode a page past the
   file's size at the start of the transaction needs no journal, so a file
   with no claims yet takes its first import written once: 14% of the
   400,000 records' import (docs/benchmarks.md).  Nothing is lost for it:
   a crash leaves a hot journal that rolls the file back to what it held,
   as the WAL would.  But a reader cannot read beside a rollback-journal
   writer, so this is done only where there is nothing yet to read, and
   only when no other connection has the file open (leaving WAL needs that;
   asked without waiting).  The WAL index it mapped goes with the WAL: the
   watch looks at the file again. */
static void watch_forget(ck_db *db) {
  db->watch.probed = 0;
  db->watch.wal = NULL;
  db->watch.header_ok = 0;
}

int storage_bulk_journal(ck_db *db) {
  if (db->readonly || !first_text_is(db, "PRAGMA main.journal_mode", "wal") ||
      !first_text_is(db,
                     "SELECT 'none' WHERE NOT EXISTS (SELECT 1 FROM "
                     "claims)",
                     "none"))
    return 0;
  sqlite3_busy_timeout(db->sql, 0);
  int switched =
      first_text_is(db, "PRAGMA main.journal_mode = DELETE", "delete");
  sqlite3_busy_timeout(db->sql, (int)db->busy_ms);
  if (switched)
    watch_forget(db);
  return switched;
}

/* When it cannot (a reader opened the file meanwhile and holds it), the
   file stays in rollback-journal mode until the next ck_open switches it:
   only slower warm calls (every call asks SQLite), no wrong answer. */
void storage_wal_again(ck_db *db) {
  first_text_is(db, "PRAGMA main.journal_mode = WAL", "wal");
  watch_forget(db);
}

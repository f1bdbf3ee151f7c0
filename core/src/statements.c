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

long long storage_data_version(ck_db *db) {
  sqlite3_stmt *st = db->data_version;
  if (!st)
    return -1;
  int rc = sqlite3_step(st);
  long long v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  return v < 0 ? -1 : v * 1000003 + db->writes;
}

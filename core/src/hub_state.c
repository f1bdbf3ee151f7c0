/*
** hub_state.c -- the sync state in the file: the hub sequence pulled and
** the local claims pushed (claimkit_hub_sync), and the hub version each
** record was last seen at, with the record then (claimkit_hub_base, what
** the next push compares with).  Tables of the file's own, which
** claimkit's schema check leaves alone; written inside the pull's
** transaction, or the one that notes an only=push.
*/
#include "hub_sync.h"
#include "storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hub_local_tables(ck_db *db) {
  return storage_exec(
      db,
      "CREATE TABLE IF NOT EXISTS claimkit_hub_sync(\n"
      "  hub TEXT NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL,\n"
      "  PRIMARY KEY (hub, key)) WITHOUT ROWID;\n"
      "CREATE TABLE IF NOT EXISTS claimkit_hub_base(\n"
      "  hub TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,\n"
      "  version INTEGER NOT NULL, record TEXT NOT NULL,\n"
      "  PRIMARY KEY (hub, kind, id)) WITHOUT ROWID;",
      "making the sync state's tables");
}

int hub_state_get(hub *h, const char *key, long long *out) {
  sqlite3_stmt *st;
  int rc = storage_prepare(h->db,
                           "SELECT value FROM claimkit_hub_sync WHERE hub = ? "
                           "AND key = ?",
                           &st);
  if (rc != CK_OK)
    return rc;
  storage_bind_text(st, 1, h->id);
  storage_bind_text(st, 2, key);
  int s = sqlite3_step(st);
  *out = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  return s == SQLITE_ROW || s == SQLITE_DONE
             ? CK_OK
             : db_sql_error(h->db, s, "reading the sync state");
}

int hub_state_set(hub *h, const char *key, long long v) {
  sqlite3_stmt *st;
  int rc = storage_prepare(h->db,
                           "INSERT OR REPLACE INTO claimkit_hub_sync(hub, key, "
                           "value) VALUES (?, ?, ?)",
                           &st);
  if (rc != CK_OK)
    return rc;
  storage_bind_text(st, 1, h->id);
  storage_bind_text(st, 2, key);
  sqlite3_bind_int64(st, 3, v);
  int s = sqlite3_step(st);
  sqlite3_finalize(st);
  return s == SQLITE_DONE ? CK_OK
                          : db_sql_error(h->db, s, "storing the sync state");
}

long long hub_local_max_seq(ck_db *db) {
  sqlite3_stmt *st;
  if (storage_prepare(db, "SELECT coalesce(max(rowid), 0) FROM claims", &st) !=
      CK_OK)
    return -1;
  long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
                                                : -1;
  sqlite3_finalize(st);
  return v;
}

static const char *table_of(const char *kind, const char **key) {
  static const char *const kinds[][3] = {
      {"framework", "frameworks", "id"}, {"source", "sources", "id"},
      {"actor", "actors", "id"},         {"entity", "entities", "id"},
      {"metric", "metrics", "id"},       {"question", "questions", "id"},
      {"script", "scripts", "name"},     {"claim", "claims", "id"}};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp(kinds[i][0], kind) == 0) {
      *key = kinds[i][2];
      return kinds[i][1];
    }
  return NULL;
}

/* Each "kind\tid\tversion" line: the file's record as the base of that
   version (what the next push compares with). */
int hub_store_bases(hub *h, const strbuf *lines) {
  char *text = lines->data;
  for (char *line = text; line && *line;) {
    char *end = strchr(line, '\n');
    if (end)
      *end = '\0';
    char *id = strchr(line, '\t'), *ver = id ? strchr(id + 1, '\t') : NULL;
    const char *key, *table = NULL;
    if (ver) {
      *id++ = '\0';
      *ver++ = '\0';
      table = table_of(line, &key);
    }
    if (!table) {
      line = end ? end + 1 : NULL;
      continue;
    }
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO claimkit_hub_base(hub, kind, id, "
             "version, record) SELECT ?, ?, ?, ?, record FROM %s WHERE %s = ?",
             table, key);
    sqlite3_stmt *st;
    int rc = storage_prepare(h->db, sql, &st);
    if (rc != CK_OK)
      return rc;
    storage_bind_text(st, 1, h->id);
    storage_bind_text(st, 2, line);
    storage_bind_text(st, 3, id);
    sqlite3_bind_int64(st, 4, atoll(ver));
    storage_bind_text(st, 5, id);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
      return db_sql_error(h->db, s, "storing the sync state");
    line = end ? end + 1 : NULL;
  }
  return CK_OK;
}

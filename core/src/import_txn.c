/*
** import_txn.c -- an import's transaction: begun, a record of any kind
** written in it (import_record; a JSON Lines line's object, its "type"
** naming the kind), the new scripts run, and committed or rolled back.
** Packs, JSON Lines and claim sheets all come through here (import.h).
*/
#include "import.h"
#include "lua_host.h"

#include <stdlib.h>
#include <string.h>

static void importer_free(importer *imp) {
  for (int k = 0; k < R_COUNT; k++) {
    sqlite3_finalize(imp->exists[k]);
    sqlite3_finalize(imp->upsert[k]);
    refs_free(&imp->known[k]);
  }
  latest_free(imp->latest);
  imp->latest = NULL;
  sqlite3_finalize(imp->insert_claim);
  sqlite3_finalize(imp->stored);
  sqlite3_finalize(imp->replaced);
  sqlite3_finalize(imp->seen);
  sqlite3_finalize(imp->seen_at);
  sqlite3_finalize(imp->defer_ref);
  sqlite3_finalize(imp->rescaled);
  for (int i = 0; i < 2; i++) /* a failed import rolls their drop back */
    free(imp->deferred_index[i]);
}

int import_begin(ck_db *db, importer *imp) {
  memset(imp, 0, sizeof *imp);
  imp->db = db;
  if (db->readonly)
    return db_error(db, CK_READONLY,
                    "the database was opened read-only; nothing imported");
  /* Inside a transaction already open on the handle (a hub's pull,
     hub.c), the import is part of it: a savepoint, committed with it. */
  imp->nested = !sqlite3_get_autocommit(db->sql);
  imp->bulk_journal = !imp->nested && storage_bulk_journal(db);
  int rc = sqlite3_exec(db->sql,
                        imp->nested ? "SAVEPOINT ck_import" : "BEGIN IMMEDIATE",
                        NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return db_sql_error(db, rc, "starting the import");
  /* Another tool's edit is settled before the import builds on it. */
  rc = storage_derived_settle(db);
  if (rc == CK_OK)
    rc = imp_refs_prepare(imp);
  if (rc == CK_OK)
    rc = import_kinds_prepare(imp);
  if (rc == CK_OK)
    rc = import_claims_prepare(imp);
  if (rc == CK_OK)
    rc = latest_begin(db, &imp->latest);
  if (rc == CK_OK) {
    sqlite3_stmt *st;
    rc = storage_prepare(db,
                         "SELECT max(coalesce((SELECT max(rowid) FROM claims), "
                         "0), coalesce((SELECT max(seq) FROM scripts), 0))",
                         &st);
    if (rc == CK_OK) {
      int s = sqlite3_step(st);
      imp->seq = imp->first_seq = sqlite3_column_int64(st, 0) + 1;
      sqlite3_finalize(st);
      if (s != SQLITE_ROW)
        rc = db_sql_error(db, s, "starting the import");
    }
  }
  return rc;
}

/* The scripts this import added or changed run before it commits: a
   script that fails refuses the pack like any other bad record. */
static int run_new_scripts(importer *imp) {
  sqlite3_stmt *st;
  int rc = storage_prepare(imp->db,
                           "SELECT name, lua FROM scripts WHERE seq >= ? "
                           "ORDER BY seq",
                           &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_int64(st, 1, imp->first_seq);
  int s = SQLITE_DONE;
  while (rc == CK_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *lua = (const char *)sqlite3_column_text(st, 1);
    if (!name || !lua) {
      rc = db_nomem(imp->db);
      break;
    }
    char prefix[128];
    snprintf(prefix, sizeof prefix, "script '%s': ", name);
    imp->db->sql_steps = 0;
    rc = lua_host_run(imp->db, lua, (size_t)sqlite3_column_bytes(st, 1), name,
                      prefix);
  }
  if (rc == CK_OK && s != SQLITE_DONE)
    rc = db_sql_error(imp->db, s, "running the scripts");
  sqlite3_finalize(st);
  return rc;
}

int import_end(importer *imp, int rc) {
  ck_db *db = imp->db;
  db->sql_steps = 0;
  if (rc == CK_OK)
    rc = imp_deferred_checks(imp);
  if (rc == CK_OK)
    rc = import_restore_indexes(imp);
  if (rc == CK_OK) { /* the scripts read the latest claims: settle them */
    rc = latest_end(imp->latest);
    imp->latest = NULL;
  }
  if (rc == CK_OK)
    rc = run_new_scripts(imp);
  if (rc == CK_OK)
    rc = storage_fingerprint_store(db);
  int nested = imp->nested, bulk_journal = imp->bulk_journal;
  importer_free(imp);
  if (rc == CK_OK) {
    int s = sqlite3_exec(db->sql, nested ? "RELEASE ck_import" : "COMMIT",
                         NULL, NULL, NULL);
    if (s != SQLITE_OK)
      rc = db_sql_error(db, s, "committing the import");
  }
  db->writes++; /* kept results may be out of date (cache.c) */
  if (rc != CK_OK && !sqlite3_get_autocommit(db->sql))
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  if (bulk_journal)
    storage_wal_again(db);
  return rc;
}

int import_record(importer *imp, enum rec_kind kind, json_t *rec,
                  const char *ptr) {
  /* CK_LIMIT_SQL_STEPS bounds each record's SQL, not the whole stream. */
  imp->db->sql_steps = 0;
  if (!imp->ahead.read && !json_is_object(rec))
    return imp_fail(imp, ptr, NULL, "a %s must be an object, not %s",
                    import_type_name[kind], ckjson_kind(rec));
  return kind == R_CLAIM ? import_claim(imp, rec, ptr)
                         : import_kind(imp, kind, rec, ptr);
}

/* ---- packs and JSON Lines ------------------------------------------------ */

/* The kind of record a line's "type" names, or -1 (import_object() says
   what is wrong). */
int import_line_kind(const json_t *rec) {
  const char *type = json_string_value(json_object_get(rec, "type"));
  for (int k = 0; type && k < R_COUNT; k++)
    if (strcmp(type, import_type_name[k]) == 0)
      return k;
  return -1;
}

int import_object(importer *imp, json_t *rec) {
  int rc;
  json_t *type = json_object_get(rec, "type");
  if (!json_is_object(rec)) {
    rc = imp_fail(imp, "", NULL,
                  "each line of JSON Lines must be an object with \"type\", "
                  "not %s",
                  ckjson_kind(rec));
  } else if (!json_is_string(type)) {
    rc = imp_fail(imp, "", "type",
                  type ? "must be a string"
                       : "missing (source, actor, entity, "
                         "metric, framework, question, "
                         "claim or script)");
  } else {
    int k = import_line_kind(rec);
    if (k < 0) {
      rc = imp_fail(imp, "", "type",
                    "'%.40s' is not a record type (source, actor, entity, "
                    "metric, framework, question, claim, script)",
                    json_string_value(type));
    } else {
      json_object_del(rec, "type");
      rc = import_record(imp, (enum rec_kind)k, rec, "");
    }
  }
  return rc;
}

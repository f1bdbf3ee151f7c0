/*
** hub_push.c -- the push: one PostgreSQL transaction.  What the file holds
** and the hub lacks or holds in an older version is copied (COPY) into a
** temporary table and merged in SQL, under an advisory lock, so that
** pushes are serialised and the hub sequence numbers they take grow in
** commit order (a pull that read up to N never misses a row below N
** committed later).  A change to a version this file has not pulled, or
** to another role's row, refuses the whole push.
*/
#include "hub_sync.h"
#include "canon.h"
#include "storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* COPY's text format: backslash, tab, newline and carriage return escaped. */
static void copy_field(strbuf *sb, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '\\': sb_puts(sb, "\\\\"); break;
    case '\t': sb_puts(sb, "\\t"); break;
    case '\n': sb_puts(sb, "\\n"); break;
    case '\r': sb_puts(sb, "\\r"); break;
    default: sb_putc(sb, *s);
    }
  }
}

/* 1 when a claim's id is not the content id of its text: an explicit id,
   which is versioned on the hub like a record. */
static int explicit_id(const char *record, const char *id) {
  json_t *v = json_loads(record, 0, NULL);
  if (!v)
    return 1;
  json_object_del(v, "id");
  strbuf sb;
  sb_init(&sb);
  canon_dump(&sb, v, 0, 0, 1);
  json_decref(v);
  char cid[18] = "";
  if (!sb.oom && sb.data)
    snprintf(cid, sizeof cid, "c%016llx",
             (unsigned long long)fnv1a64(sb.data, sb.len));
  sb_free(&sb);
  return strcmp(cid, id) != 0;
}

/* What the file holds and the hub may lack: records that changed since
   their base (or have none), claims imported since the last push. */
static const char *const push_sql =
    "SELECT r.kind, r.id, coalesce(b.version, 0), r.record FROM (\n"
    HUB_FILE_RECORDS ") r\n"
    "LEFT JOIN claimkit_hub_base b ON b.hub = ?1 AND b.kind = r.kind\n"
    "  AND b.id = r.id\n"
    "WHERE b.record IS NULL OR b.record <> r.record\n"
    "UNION ALL\n"
    "SELECT 'claim', c.id, coalesce(b.version, 0), c.record FROM claims c\n"
    "LEFT JOIN claimkit_hub_base b ON b.hub = ?1 AND b.kind = 'claim'\n"
    "  AND b.id = c.id\n"
    "WHERE c.rowid > ?2 AND (b.record IS NULL OR b.record <> c.record)";

/* Hands COPY text to the hub once a block has gathered (or at the end). */
static int copy_flush(hub *h, strbuf *sb, int last) {
  if (sb->oom)
    return db_error(h->db, CK_NOMEM, "out of memory");
  if (sb->len && (last || sb->len >= (1u << 20))) {
    if (PQputCopyData(h->pg, sb->data, (int)sb->len) != 1)
      return hub_pg_fail(h, NULL, "pushing");
    sb->len = 0;
  }
  return CK_OK;
}

/* The rows to push, streamed into the COPY of ck_push; *n counts them. */
static int push_rows(hub *h, long long *n) {
  sqlite3_stmt *st;
  int began, rc = storage_read_begin(h->db, &began);
  if (rc == CK_OK)
    rc = hub_state_get(h, "pushed", &h->pushed);
  if (rc == CK_OK && (h->local_max = hub_local_max_seq(h->db)) < 0)
    rc = db_error(h->db, CK_IO, "reading the file's claims failed");
  if (rc == CK_OK)
    rc = storage_prepare(h->db, push_sql, &st);
  if (rc != CK_OK) {
    storage_read_end(h->db, began);
    return rc;
  }
  storage_bind_text(st, 1, h->id);
  sqlite3_bind_int64(st, 2, h->pushed);
  strbuf out;
  sb_init(&out);
  int s;
  *n = 0;
  while (rc == CK_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *kind = (const char *)sqlite3_column_text(st, 0);
    const char *id = (const char *)sqlite3_column_text(st, 1);
    const char *rec = (const char *)sqlite3_column_text(st, 3);
    if (!kind || !id || !rec) {
      s = SQLITE_NOMEM;
      break;
    }
    int expl = strcmp(kind, "claim") != 0 || explicit_id(rec, id);
    sb_printf(&out, "%s\t", kind);
    copy_field(&out, id);
    sb_printf(&out, "\t%lld\t", sqlite3_column_int64(st, 2));
    copy_field(&out, rec);
    sb_puts(&out, expl ? "\tt\n" : "\tf\n");
    ++*n;
    rc = copy_flush(h, &out, 0);
  }
  if (rc == CK_OK)
    rc = copy_flush(h, &out, 1);
  sb_free(&out);
  sqlite3_finalize(st);
  storage_read_end(h->db, began);
  if (rc == CK_OK && s != SQLITE_DONE)
    rc = db_sql_error(h->db, s, "reading what to push");
  return rc;
}

/* COPY into ck_push: the rows as push_rows() reads them. */
static int copy_in(hub *h, long long *n) {
  PGresult *r = PQexec(h->pg, "COPY ck_push(kind, id, base, record, "
                              "explicit_id) FROM STDIN");
  if (PQresultStatus(r) != PGRES_COPY_IN)
    return hub_pg_fail(h, r, "pushing");
  PQclear(r);
  int rc = push_rows(h, n);
  int ended = PQputCopyEnd(h->pg, rc == CK_OK ? NULL : "claimkit stopped") == 1;
  r = PQgetResult(h->pg);
  if (rc == CK_OK && (!ended || PQresultStatus(r) != PGRES_COMMAND_OK))
    return hub_pg_fail(h, r, "pushing");
  PQclear(r);
  while ((r = PQgetResult(h->pg)))
    PQclear(r);
  return rc;
}

/* A pushed row that would replace a version this file has not pulled, or
   a row of another role (unless this one reviews): the push is refused. */
static int push_refusals(hub *h) {
  PGresult *r = NULL;
  int rc = hub_pg_run(h,
                  "SELECT p.kind, p.id, p.base, r.version, r.changed_by "
                  "FROM ck_push p JOIN records r USING (kind, id) "
                  "WHERE r.record <> p.record AND r.version <> p.base "
                  "ORDER BY p.kind, p.id LIMIT 1",
                  0, NULL, &r, "pushing");
  if (rc != CK_OK)
    return rc;
  if (PQntuples(r) > 0) {
    const char *base = PQgetvalue(r, 0, 2);
    rc = db_error(h->db, CK_INVALID,
                  "hub: %s '%s': the hub holds version %s (by %s), this "
                  "file changed %s%s%s; nothing pushed or pulled (pull with "
                  "only=pull to take the hub's version, then make the change "
                  "again and sync)",
                  PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
                  PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 4),
                  strcmp(base, "0") == 0 ? "a record it never pulled"
                                         : "version ",
                  strcmp(base, "0") == 0 ? "" : base,
                  strcmp(base, "0") == 0 ? "" : " it pulled");
    PQclear(r);
    return rc;
  }
  PQclear(r);
  rc = hub_pg_run(h,
              "SELECT p.kind, p.id, r.pushed_by, current_user FROM ck_push p "
              "JOIN records r USING (kind, id) WHERE r.record <> p.record "
              "AND r.pushed_by <> current_user AND NOT claimkit_is_reviewer() "
              "ORDER BY p.kind, p.id LIMIT 1",
              0, NULL, &r, "pushing");
  if (rc != CK_OK)
    return rc;
  if (PQntuples(r) > 0)
    rc = db_error(h->db, CK_INVALID,
                  "hub: %s '%s' was pushed by role %s: role %s may not "
                  "change it (only its pusher or a member of "
                  "claimkit_reviewer); nothing pushed or pulled",
                  PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
                  PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
  PQclear(r);
  return rc;
}

/* Changes and new rows, each with the next hub sequence number. */
static int push_merge(hub *h) {
  PGresult *r = NULL;
  int rc = hub_pg_run(h,
                  "SELECT count(*) FROM ck_push p JOIN records r USING "
                  "(kind, id) WHERE r.record <> p.record",
                  0, NULL, &r, "pushing");
  if (rc != CK_OK)
    return rc;
  long long want = atoll(PQgetvalue(r, 0, 0));
  PQclear(r);
  if (want > 0) {
    rc = hub_pg_run(h,
                "UPDATE records r SET record = p.record, version = "
                "r.version + 1, seq = nextval('claimkit_seq'), changed_by = "
                "current_user, changed_at = now() FROM ck_push p WHERE "
                "r.kind = p.kind AND r.id = p.id AND r.record <> p.record",
                0, NULL, &r, "pushing");
    if (rc != CK_OK)
      return rc;
    long long got = atoll(PQcmdTuples(r));
    PQclear(r);
    if (got != want)
      return db_error(h->db, CK_INVALID,
                      "hub: the hub's row-level security refused %lld of "
                      "the %lld changes pushed; nothing pushed or pulled",
                      want - got, want);
  }
  return hub_pg_run(h,
                "INSERT INTO records(kind, id, record, explicit_id) SELECT "
                "p.kind, p.id, p.record, p.explicit_id FROM ck_push p WHERE "
                "NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = p.kind "
                "AND r.id = p.id) ORDER BY p.kind, p.id",
                0, NULL, NULL, "pushing");
}

/* What the push left on the hub: each versioned row's version (kept as
   the file's base at the pull), and the sequence numbers it took. */
static int push_outcome(hub *h, const char *before) {
  PGresult *r = NULL;
  int rc = hub_pg_run(h,
                  "SELECT p.kind, p.id, r.version FROM ck_push p JOIN "
                  "records r USING (kind, id) WHERE p.explicit_id",
                  0, NULL, &r, "pushing");
  if (rc != CK_OK)
    return rc;
  for (int i = 0; i < PQntuples(r); i++)
    sb_printf(&h->seen, "%s\t%s\t%s\n", PQgetvalue(r, i, 0),
              PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
  PQclear(r);
  rc = hub_pg_run(h,
              "SELECT coalesce(min(seq), 0), coalesce(max(seq), 0) FROM "
              "records WHERE seq > $1",
              1, &before, &r, "pushing");
  if (rc != CK_OK)
    return rc;
  h->lo = atoll(PQgetvalue(r, 0, 0));
  h->hi = atoll(PQgetvalue(r, 0, 1));
  PQclear(r);
  return h->seen.oom ? db_error(h->db, CK_NOMEM, "out of memory") : CK_OK;
}

/* Nothing to push leaves the hub as it was: no transaction is kept. */
int hub_push(hub *h) {
  PGresult *r = NULL;
  char before[32] = "0";
  long long n = 0;
  int rc = hub_pg_run(h, "BEGIN", 0, NULL, NULL, "pushing");
  if (rc == CK_OK)
    rc = hub_pg_run(h, "SELECT pg_advisory_xact_lock(1131110466)", 0, NULL, NULL,
                "pushing");
  if (rc == CK_OK)
    rc = hub_pg_run(h, "SELECT coalesce(max(seq), 0) FROM records", 0, NULL, &r,
                "pushing");
  if (rc == CK_OK) {
    snprintf(before, sizeof before, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    rc = hub_pg_run(h,
                "CREATE TEMP TABLE ck_push(kind text, id text, base integer, "
                "record text, explicit_id boolean, PRIMARY KEY (kind, id)) "
                "ON COMMIT DROP",
                0, NULL, NULL, "pushing");
  }
  if (rc == CK_OK)
    rc = copy_in(h, &n);
  /* The planner then knows the temporary table is small: index lookups
     into records, not a scan of the whole hub. */
  if (rc == CK_OK && n > 0)
    rc = hub_pg_run(h, "ANALYZE ck_push", 0, NULL, NULL, "pushing");
  if (rc == CK_OK && n > 0) {
    if ((rc = push_refusals(h)) == CK_OK && (rc = push_merge(h)) == CK_OK)
      rc = push_outcome(h, before);
  }
  if (rc == CK_OK)
    rc = hub_pg_run(h, n > 0 ? "COMMIT" : "ROLLBACK", 0, NULL, NULL,
                "committing the push");
  h->push_ran = rc == CK_OK;
  if (rc != CK_OK)
    hub_pg_rollback(h);
  return rc;
}

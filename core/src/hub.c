/*
** hub.c -- ck_sync(): a desk's hub in PostgreSQL (DESIGN §9, docs/hub.md).
**
** A sync is two halves.  The push is one PostgreSQL transaction: what the
** file holds and the hub lacks or holds in an older version is copied
** (COPY) into a temporary table and merged in SQL, under an advisory lock,
** so that pushes are serialised and the hub sequence numbers they take
** grow in commit order (a pull that read up to N never misses a row below
** N committed later).  The pull is one SQLite transaction: the rows the
** hub gained since the file's last pull are written as JSON Lines and
** imported by the importer (joining the transaction), the retracted
** claims deleted, and the sync state -- the hub sequence pulled, the local
** claims pushed, the hub version each record was last seen at -- stored in
** tables of the file's own (claimkit_hub_sync, claimkit_hub_base) that
** claimkit's schema check leaves alone.  A sync killed anywhere leaves
** each side before or after its half; the next one completes it.
*/
#include "internal.h"
#include "canon.h"
#include "periods.h"
#include "storage.h"
#include "hub.h"
#include "hub_schema.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct hub {
  ck_db *db;
  PGconn *pg;
  char id[64];        /* the hub's identity (claimkit_hub.hub_id) */
  hub_terms terms;    /* only=, and the pull's filter */
  char pulled_key[256]; /* the sync state's key of the pull's sequence */
  long long pushed;   /* local claims up to this seq are on the hub */
  long long local_max;/* the largest local claim seq the push saw */
  int push_ran;
  long long lo, hi;   /* the hub sequence numbers the push took; 0: none */
  strbuf seen;        /* "kind\tid\tversion\n" the push left on the hub */
} hub;

/* ---- PostgreSQL ----------------------------------------------------------- */

/* The hub's message, first line, without libpq's "ERROR:  ". */
static const char *pg_message(PGconn *pg, PGresult *r) {
  const char *m = r ? PQresultErrorMessage(r) : NULL;
  if (!m || !*m)
    m = PQerrorMessage(pg);
  return strncmp(m, "ERROR:  ", 8) == 0 ? m + 8 : m;
}

static int pg_fail(hub *h, PGresult *r, const char *doing) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s", pg_message(h->pg, r));
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
    msg[--n] = '\0';
  PQclear(r);
  return db_error(h->db, PQstatus(h->pg) == CONNECTION_OK ? CK_ERROR : CK_IO,
                  "hub: %s: %s", doing, msg);
}

/* Runs SQL with text parameters; *out gets the result when wanted. */
static int pg_run(hub *h, const char *sql, int n, const char *const *params,
                  PGresult **out, const char *doing) {
  PGresult *r = n ? PQexecParams(h->pg, sql, n, NULL, params, NULL, NULL, 0)
                 : PQexec(h->pg, sql);
  ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
    return pg_fail(h, r, doing);
  if (out)
    *out = r;
  else
    PQclear(r);
  return CK_OK;
}

static void pg_rollback(hub *h) {
  PQclear(PQexec(h->pg, "ROLLBACK"));
}

/* ---- the hub's identity and schema ---------------------------------------- */

/* Under the push lock, so that analysts syncing into the empty database
   at the same time make it once: the others find it made. */
static int hub_create(hub *h) {
  PGresult *r = NULL;
  int rc = pg_run(h, "BEGIN", 0, NULL, NULL, "creating the hub");
  if (rc == CK_OK)
    rc = pg_run(h, "SELECT pg_advisory_xact_lock(1131110466)", 0, NULL, NULL,
                "creating the hub");
  if (rc == CK_OK)
    /* pg_class read by this statement's snapshot, taken after the lock
       (to_regclass's catalog cache may not have seen the other's commit) */
    rc = pg_run(h,
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE c.relname = 'claimkit_hub' "
                "AND n.nspname = current_schema())",
                0, NULL, &r, "creating the hub");
  if (rc == CK_OK) {
    int made = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (made)
      return pg_run(h, "COMMIT", 0, NULL, NULL, "creating the hub");
    rc = pg_run(h, CK_HUB_SCHEMA, 0, NULL, NULL, "creating the hub");
  }
  if (rc == CK_OK) {
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO claimkit_hub VALUES ('schema_version', '%d'), "
             "('hub_id', md5(random()::text || clock_timestamp()::text))",
             CK_HUB_SCHEMA_VERSION);
    rc = pg_run(h, sql, 0, NULL, NULL, "creating the hub");
  }
  /* The reviewer role, when this role may make it (else the desk's
     administrator makes it: docs/hub.md). */
  if (rc == CK_OK)
    rc = pg_run(h,
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE "
                "rolname = 'claimkit_reviewer') AND (SELECT rolcreaterole OR "
                "rolsuper FROM pg_roles WHERE rolname = current_user) THEN "
                "CREATE ROLE claimkit_reviewer NOLOGIN; END IF; END $$",
                0, NULL, NULL, "creating the hub");
  if (rc == CK_OK)
    rc = pg_run(h, "COMMIT", 0, NULL, NULL, "creating the hub");
  if (rc != CK_OK)
    pg_rollback(h);
  return rc;
}

/* A hub of this version, or an empty database made one; anything else is
   refused before the file is touched. */
static int hub_identify(hub *h) {
  PGresult *r = NULL;
  int rc = pg_run(h,
                  "SELECT to_regclass('claimkit_hub') IS NOT NULL, "
                  "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                  "n.oid = c.relnamespace WHERE n.nspname = current_schema()), "
                  "current_database()",
                  0, NULL, &r, "reading the hub");
  if (rc != CK_OK)
    return rc;
  int is_hub = PQgetvalue(r, 0, 0)[0] == 't';
  long long objects = atoll(PQgetvalue(r, 0, 1));
  char dbname[128];
  snprintf(dbname, sizeof dbname, "%s", PQgetvalue(r, 0, 2));
  PQclear(r);
  if (!is_hub && objects > 0)
    return db_error(h->db, CK_ERROR,
                    "hub: database '%s' is not a claimkit hub (it holds %lld "
                    "tables, views or sequences but no claimkit_hub; a hub "
                    "is made by the first sync into an empty database); "
                    "nothing changed",
                    dbname, objects);
  if (!is_hub && (rc = hub_create(h)) != CK_OK)
    return rc;
  rc = pg_run(h,
              "SELECT (SELECT value FROM claimkit_hub WHERE key = "
              "'schema_version'), (SELECT value FROM claimkit_hub WHERE key = "
              "'hub_id')",
              0, NULL, &r, "reading the hub");
  if (rc != CK_OK)
    return rc;
  int version = PQgetisnull(r, 0, 0) ? -1 : atoi(PQgetvalue(r, 0, 0));
  snprintf(h->id, sizeof h->id, "%s", PQgetvalue(r, 0, 1));
  int no_id = PQgetisnull(r, 0, 1) || !h->id[0];
  PQclear(r);
  if (version < 1 || no_id)
    return db_error(h->db, CK_ERROR,
                    "hub: database '%s' has a claimkit_hub table without a "
                    "schema version or hub id: not a claimkit hub; nothing "
                    "changed",
                    dbname);
  if (version > CK_HUB_SCHEMA_VERSION)
    return db_error(h->db, CK_ERROR,
                    "hub: database '%s' has hub schema version %d, newer "
                    "than claimkit %s reads (%d); upgrade claimkit; nothing "
                    "changed",
                    dbname, version, CK_VERSION, CK_HUB_SCHEMA_VERSION);
  return CK_OK;
}

/* ---- the file's sync state ------------------------------------------------ */

static int local_tables(ck_db *db) {
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

static int state_get(hub *h, const char *key, long long *out) {
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

static int state_set(hub *h, const char *key, long long v) {
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

static long long local_max_seq(ck_db *db) {
  sqlite3_stmt *st;
  if (storage_prepare(db, "SELECT coalesce(max(rowid), 0) FROM claims", &st) !=
      CK_OK)
    return -1;
  long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
                                                : -1;
  sqlite3_finalize(st);
  return v;
}

/* ---- push ----------------------------------------------------------------- */

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
    "  SELECT 'framework' AS kind, id, record FROM frameworks UNION ALL\n"
    "  SELECT 'source', id, record FROM sources UNION ALL\n"
    "  SELECT 'actor', id, record FROM actors UNION ALL\n"
    "  SELECT 'entity', id, record FROM entities UNION ALL\n"
    "  SELECT 'metric', id, record FROM metrics UNION ALL\n"
    "  SELECT 'question', id, record FROM questions UNION ALL\n"
    "  SELECT 'script', name, record FROM scripts) r\n"
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
      return pg_fail(h, NULL, "pushing");
    sb->len = 0;
  }
  return CK_OK;
}

/* The rows to push, streamed into the COPY of ck_push; *n counts them. */
static int push_rows(hub *h, long long *n) {
  sqlite3_stmt *st;
  int began, rc = storage_read_begin(h->db, &began);
  if (rc == CK_OK)
    rc = state_get(h, "pushed", &h->pushed);
  if (rc == CK_OK && (h->local_max = local_max_seq(h->db)) < 0)
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
    return pg_fail(h, r, "pushing");
  PQclear(r);
  int rc = push_rows(h, n);
  int ended = PQputCopyEnd(h->pg, rc == CK_OK ? NULL : "claimkit stopped") == 1;
  r = PQgetResult(h->pg);
  if (rc == CK_OK && (!ended || PQresultStatus(r) != PGRES_COMMAND_OK))
    return pg_fail(h, r, "pushing");
  PQclear(r);
  while ((r = PQgetResult(h->pg)))
    PQclear(r);
  return rc;
}

/* A pushed row that would replace a version this file has not pulled, or
   a row of another role (unless this one reviews): the push is refused. */
static int push_refusals(hub *h) {
  PGresult *r = NULL;
  int rc = pg_run(h,
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
  rc = pg_run(h,
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
  int rc = pg_run(h,
                  "SELECT count(*) FROM ck_push p JOIN records r USING "
                  "(kind, id) WHERE r.record <> p.record",
                  0, NULL, &r, "pushing");
  if (rc != CK_OK)
    return rc;
  long long want = atoll(PQgetvalue(r, 0, 0));
  PQclear(r);
  if (want > 0) {
    rc = pg_run(h,
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
  return pg_run(h,
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
  int rc = pg_run(h,
                  "SELECT p.kind, p.id, r.version FROM ck_push p JOIN "
                  "records r USING (kind, id) WHERE p.explicit_id",
                  0, NULL, &r, "pushing");
  if (rc != CK_OK)
    return rc;
  for (int i = 0; i < PQntuples(r); i++)
    sb_printf(&h->seen, "%s\t%s\t%s\n", PQgetvalue(r, i, 0),
              PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
  PQclear(r);
  rc = pg_run(h,
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
static int push(hub *h) {
  PGresult *r = NULL;
  char before[32] = "0";
  long long n = 0;
  int rc = pg_run(h, "BEGIN", 0, NULL, NULL, "pushing");
  if (rc == CK_OK)
    rc = pg_run(h, "SELECT pg_advisory_xact_lock(1131110466)", 0, NULL, NULL,
                "pushing");
  if (rc == CK_OK)
    rc = pg_run(h, "SELECT coalesce(max(seq), 0) FROM records", 0, NULL, &r,
                "pushing");
  if (rc == CK_OK) {
    snprintf(before, sizeof before, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    rc = pg_run(h,
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
    rc = pg_run(h, "ANALYZE ck_push", 0, NULL, NULL, "pushing");
  if (rc == CK_OK && n > 0) {
    if ((rc = push_refusals(h)) == CK_OK && (rc = push_merge(h)) == CK_OK)
      rc = push_outcome(h, before);
  }
  if (rc == CK_OK)
    rc = pg_run(h, n > 0 ? "COMMIT" : "ROLLBACK", 0, NULL, NULL,
                "committing the push");
  h->push_ran = rc == CK_OK;
  if (rc != CK_OK)
    pg_rollback(h);
  return rc;
}

/* ---- pull ----------------------------------------------------------------- */

/* COPY's text format back: the escapes copy_field() and PostgreSQL write. */
static size_t copy_unescape(char *s) {
  char *o = s;
  for (char *p = s; *p; p++) {
    if (*p != '\\' || !p[1]) {
      *o++ = *p;
      continue;
    }
    switch (*++p) {
    case 't': *o++ = '\t'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'v': *o++ = '\v'; break;
    default: *o++ = *p;
    }
  }
  *o = '\0';
  return (size_t)(o - s);
}

typedef struct pulled {
  FILE *lines;       /* JSON Lines for the importer */
  long long nlines;
  strbuf versions;   /* "kind\tid\tversion\n" of versioned rows */
  strbuf retracted;  /* claim ids, one a line */
  long long max_seq;
} pulled;

/* One row of the pull: kind, id, version, explicit_id, seq, record. */
static int pull_row(pulled *p, char *row) {
  char *f[6];
  for (int i = 0; i < 6; i++) {
    f[i] = row;
    char *tab = i < 5 ? strchr(row, '\t') : NULL;
    if (i < 5 && !tab)
      return -1;
    if (tab)
      *tab = '\0', row = tab + 1;
  }
  size_t n = strlen(f[5]);
  if (n && f[5][n - 1] == '\n')
    f[5][--n] = '\0';
  long long seq = atoll(f[4]);
  if (seq > p->max_seq)
    p->max_seq = seq;
  copy_unescape(f[1]);
  if (strcmp(f[0], "retraction") == 0) {
    sb_printf(&p->retracted, "%s\n", f[1]);
    return 0;
  }
  n = copy_unescape(f[5]);
  if (n < 2 || f[5][0] != '{')
    return -1;
  fprintf(p->lines, "{\"type\":\"%s\"%s%s\n", f[0], n > 2 ? "," : "",
          f[5] + 1);
  p->nlines++;
  if (strcmp(f[0], "claim") != 0 || f[3][0] == 't')
    sb_printf(&p->versions, "%s\t%s\t%s\n", f[0], f[1], f[2]);
  return 0;
}

/* only=pull takes the hub's version of what the file changed since it
   last synced (a change the hub refused): the base records, but for those
   the hub has a newer version of in this pull. */
static int pull_bases(hub *h, pulled *p) {
  sqlite3_stmt *st;
  int began, rc = storage_read_begin(h->db, &began);
  if (rc == CK_OK)
    rc = storage_prepare(
        h->db,
        "SELECT b.kind, b.record, b.id FROM claimkit_hub_base b JOIN (\n"
        "  SELECT 'framework' AS kind, id, record FROM frameworks UNION ALL\n"
        "  SELECT 'source', id, record FROM sources UNION ALL\n"
        "  SELECT 'actor', id, record FROM actors UNION ALL\n"
        "  SELECT 'entity', id, record FROM entities UNION ALL\n"
        "  SELECT 'metric', id, record FROM metrics UNION ALL\n"
        "  SELECT 'question', id, record FROM questions UNION ALL\n"
        "  SELECT 'script', name, record FROM scripts UNION ALL\n"
        "  SELECT 'claim', id, record FROM claims) r\n"
        "ON r.kind = b.kind AND r.id = b.id\n"
        "WHERE b.hub = ? AND r.record <> b.record",
        &st);
  if (rc != CK_OK) {
    storage_read_end(h->db, began);
    return rc;
  }
  storage_bind_text(st, 1, h->id);
  int s;
  strbuf key;
  sb_init(&key);
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *rec = (const char *)sqlite3_column_text(st, 1);
    key.len = 0;
    sb_printf(&key, "\n%s\t%s\t", (const char *)sqlite3_column_text(st, 0),
              (const char *)sqlite3_column_text(st, 2));
    /* a newer version pulled already stands in for it */
    int pulled_now = key.data && p->versions.data &&
                     strstr(p->versions.data, key.data);
    if (!pulled_now && rec && rec[0] == '{' && rec[1]) {
      fprintf(p->lines, "{\"type\":\"%s\"%s%s\n",
              (const char *)sqlite3_column_text(st, 0),
              strcmp(rec, "{}") ? "," : "", rec + 1);
      p->nlines++;
    }
  }
  sb_free(&key);
  sqlite3_finalize(st);
  storage_read_end(h->db, began);
  if (s == SQLITE_DONE && fflush(p->lines) != 0)
    return db_error(h->db, CK_IO, "hub: cannot write the pull's stream");
  return s == SQLITE_DONE ? CK_OK
                          : db_sql_error(h->db, s, "reading the sync state");
}

/* The pull's filter on claims, as SQL over records r (values checked by
   terms_valid(), quoted all the same). */
static void filter_terms(hub *h, strbuf *sql) {
  const hub_terms *t = &h->terms;
  if (!t->since[0] && !t->source[0] && !t->framework[0])
    return;
  sb_puts(sql, " AND (r.kind <> 'claim' OR (true");
  if (t->since[0])
    sb_printf(sql,
              " AND coalesce(r.record::jsonb->>'as_of', (SELECT "
              "s.record::jsonb->>'published' FROM records s WHERE s.kind = "
              "'source' AND s.id = r.record::jsonb->>'source')) >= '%s'",
              t->since);
  if (t->source[0])
    sb_printf(sql, " AND r.record::jsonb->>'source' = '%s'", t->source);
  if (t->framework[0])
    sb_printf(sql,
              " AND (SELECT q.record::jsonb->>'framework' FROM records q "
              "WHERE (q.kind = 'question' AND q.id = r.record::jsonb->>"
              "'question') OR (q.kind = 'metric' AND q.id = "
              "r.record::jsonb->>'metric') LIMIT 1) = '%s'",
              t->framework);
  sb_puts(sql, "))");
}

/* The rows the hub gained since `since`, but for those the push just
   wrote (the file holds them), into p. */
static int pull_fetch(hub *h, long long since, pulled *p) {
  strbuf sql;
  sb_init(&sql);
  sb_printf(&sql,
            "COPY (SELECT r.kind, r.id, r.version, r.explicit_id, r.seq, "
            "r.record FROM records r WHERE r.seq > %lld AND NOT r.seq "
            "BETWEEN %lld AND %lld",
            since, h->lo, h->hi);
  filter_terms(h, &sql);
  sb_puts(&sql, " ORDER BY r.seq) TO STDOUT");
  if (sql.oom) {
    sb_free(&sql);
    return db_error(h->db, CK_NOMEM, "out of memory");
  }
  PGresult *r = PQexec(h->pg, sql.data);
  sb_free(&sql);
  if (PQresultStatus(r) != PGRES_COPY_OUT)
    return pg_fail(h, r, "pulling");
  PQclear(r);
  char *row;
  int n, bad = 0;
  while ((n = PQgetCopyData(h->pg, &row, 0)) > 0) {
    if (!bad && pull_row(p, row) != 0)
      bad = 1;
    PQfreemem(row);
  }
  r = PQgetResult(h->pg);
  if (n != -1 || PQresultStatus(r) != PGRES_COMMAND_OK)
    return pg_fail(h, r, "pulling");
  PQclear(r);
  while ((r = PQgetResult(h->pg)))
    PQclear(r);
  if (bad)
    return db_error(h->db, CK_ERROR,
                    "hub: a row of the hub's records is malformed; nothing "
                    "pulled");
  if (ferror(p->lines) || fflush(p->lines) != 0 || p->versions.oom ||
      p->retracted.oom)
    return db_error(h->db, CK_IO, "hub: cannot write the pull's stream");
  return CK_OK;
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
static int store_bases(hub *h, const strbuf *lines) {
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

/* Retracted claims leave the file; the derived tables follow them. */
static int apply_retractions(hub *h, const strbuf *ids) {
  sqlite3_stmt *st;
  int rc = storage_prepare(h->db, "DELETE FROM claims WHERE id = ?", &st);
  int deleted = 0;
  for (char *line = ids->data; rc == CK_OK && line && *line;) {
    char *end = strchr(line, '\n');
    if (end)
      *end = '\0';
    storage_bind_text(st, 1, line);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
      rc = db_sql_error(h->db, s, "retracting a claim");
    deleted += sqlite3_changes(h->db->sql);
    line = end ? end + 1 : NULL;
  }
  sqlite3_finalize(st);
  if (rc == CK_OK && deleted) {
    h->db->checked_version = -1; /* the fingerprint disagrees: rebuilt */
    rc = storage_derived_settle(h->db);
  }
  return rc;
}

/* The pull's SQLite transaction: import, retractions, sync state. */
static int pull_apply(hub *h, pulled *p, const char *path, long long since) {
  ck_db *db = h->db;
  int rc = storage_exec(db, "BEGIN IMMEDIATE", "starting the pull");
  if (rc != CK_OK)
    return rc;
  long long before = local_max_seq(db);
  if (before < 0)
    rc = db_error(db, CK_IO, "reading the file's claims failed");
  if (rc == CK_OK && p->nlines > 0 && (rc = ck_import_file(db, path)) != CK_OK) {
    char why[CK_ERRMSG_MAX];
    snprintf(why, sizeof why, "%s", db->errmsg);
    rc = db_error(db, rc, "hub: the pull was refused, nothing pulled: %.900s",
                  why);
  }
  if (rc == CK_OK)
    rc = apply_retractions(h, &p->retracted);
  if (rc == CK_OK)
    rc = store_bases(h, &h->seen);
  if (rc == CK_OK)
    rc = store_bases(h, &p->versions);
  long long pulled_to = p->max_seq > since ? p->max_seq : since;
  if (h->hi > pulled_to)
    pulled_to = h->hi;
  if (rc == CK_OK)
    rc = state_set(h, h->pulled_key, pulled_to);
  /* Every claim is now on the hub, unless another process imported
     between the push and this transaction: then only those the push saw. */
  long long after = rc == CK_OK ? local_max_seq(db) : -1;
  long long pushed = h->push_ran ? (before == h->local_max ? after
                                                           : h->local_max)
                                 : (h->pushed >= before ? after : h->pushed);
  if (rc == CK_OK)
    rc = state_set(h, "pushed", pushed);
  if (rc == CK_OK)
    rc = storage_exec(db, "COMMIT", "committing the pull");
  db->writes++;
  if (!sqlite3_get_autocommit(db->sql))
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static int pull(hub *h) {
  long long since;
  int began, rc = storage_read_begin(h->db, &began);
  if (rc == CK_OK)
    rc = state_get(h, h->pulled_key, &since);
  if (rc == CK_OK && !h->push_ran) /* only=pull: what was pushed stays */
    rc = state_get(h, "pushed", &h->pushed);
  storage_read_end(h->db, began);
  if (rc != CK_OK)
    return rc;
  const char *dir = getenv("TMPDIR");
  char path[512];
  snprintf(path, sizeof path, "%s/claimkit-pull-XXXXXX",
           dir && *dir ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0)
    return db_error(h->db, CK_IO, "hub: cannot make a temporary file '%s'",
                    path);
  /* Where the system has /proc, the stream has no name from the start:
     a sync killed midway leaves no file behind. */
  char named[64];
  snprintf(named, sizeof named, "/proc/self/fd/%d", fd);
  if (access(named, R_OK) == 0 && unlink(path) == 0)
    snprintf(path, sizeof path, "%s", named);
  pulled p = {fdopen(fd, "w"), 0, {0}, {0}, 0};
  sb_init(&p.versions);
  sb_init(&p.retracted);
  if (!p.lines)
    rc = db_error(h->db, CK_IO, "hub: cannot write '%s'", path);
  sb_putc(&p.versions, '\n'); /* each line then starts after a '\n' */
  if (rc == CK_OK)
    rc = pull_fetch(h, since, &p);
  if (rc == CK_OK && h->terms.mode == HUB_PULL)
    rc = pull_bases(h, &p);
  if (rc == CK_OK && fflush(p.lines) != 0)
    rc = db_error(h->db, CK_IO, "hub: cannot write '%s'", path);
  if (rc == CK_OK)
    rc = pull_apply(h, &p, path, since);
  if (p.lines)
    fclose(p.lines);
  else
    close(fd);
  if (strncmp(path, "/proc/", 6) != 0)
    unlink(path);
  sb_free(&p.versions);
  sb_free(&p.retracted);
  return rc;
}

/* ---- ck_sync --------------------------------------------------------------- */

/* only=push: no pull follows to note what the push left on the hub, so a
   transaction of its own does (a sync stopped before it pushes the same
   rows again next time, which changes nothing on the hub). */
static int push_noted(hub *h) {
  if (!h->seen.len && h->local_max <= h->pushed)
    return CK_OK;
  int rc = storage_exec(h->db, "BEGIN IMMEDIATE", "noting the push");
  if (rc == CK_OK)
    rc = store_bases(h, &h->seen);
  if (rc == CK_OK)
    rc = state_set(h, "pushed", h->local_max);
  if (rc == CK_OK)
    rc = storage_exec(h->db, "COMMIT", "noting the push");
  if (!sqlite3_get_autocommit(h->db->sql))
    sqlite3_exec(h->db->sql, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static int sync_run(hub *h) {
  int rc = hub_identify(h);
  if (rc == CK_OK)
    rc = local_tables(h->db);
  if (rc == CK_OK && h->terms.mode != HUB_PULL)
    rc = push(h);
  if (rc == CK_OK && h->terms.mode != HUB_PUSH)
    rc = pull(h);
  else if (rc == CK_OK)
    rc = push_noted(h);
  return rc;
}

static int terms_valid(const hub_terms *t, char *why, size_t n) {
  if (t->since[0] && !date_valid(t->since))
    snprintf(why, n, "since=%s: not a date (YYYY-MM-DD)", t->since);
  else if (t->source[0] && !id_valid(t->source))
    snprintf(why, n, "source=%s: not an id", t->source);
  else if (t->framework[0] && !id_valid(t->framework))
    snprintf(why, n, "framework=%s: not an id", t->framework);
  else
    return 1;
  return 0;
}

CK_API int ck_sync(ck_db *db, const char *conninfo) {
  if (!db)
    return CK_MISUSE;
  if (db_enter(db) != CK_OK)
    return CK_MISUSE;
  if (!conninfo)
    return db_error(db, CK_MISUSE, "ck_sync: conninfo is NULL");
  if (db->readonly)
    return db_error(db, CK_READONLY,
                    "the database was opened read-only; nothing synced");
  hub h;
  memset(&h, 0, sizeof h);
  h.db = db;
  sb_init(&h.seen);
  char *pg = malloc(strlen(conninfo) + 1), why[128];
  if (!pg)
    return db_error(db, CK_NOMEM, "out of memory");
  if (hub_split_conninfo(conninfo, pg, &h.terms, why, sizeof why) != 0 ||
      !terms_valid(&h.terms, why, sizeof why)) {
    free(pg);
    return db_error(db, CK_INVALID, "ck_sync: %s", why);
  }
  /* A filtered pull reads up to its own sequence number: what it left out
     is still pulled by a sync with another filter, or none. */
  snprintf(h.pulled_key, sizeof h.pulled_key, "pulled%s%s%s%s%s%s",
           h.terms.since[0] ? " since=" : "", h.terms.since,
           h.terms.source[0] ? " source=" : "", h.terms.source,
           h.terms.framework[0] ? " framework=" : "", h.terms.framework);
  /* A hub that does not answer is given up on: 10 s unless the conninfo
     says otherwise. */
  const char *keys[] = {"connect_timeout", "dbname", NULL};
  const char *vals[] = {"10", pg, NULL};
  h.pg = PQconnectdbParams(keys, vals, 1);
  free(pg);
  int rc;
  if (!h.pg)
    rc = db_error(db, CK_NOMEM, "out of memory");
  else if (PQstatus(h.pg) != CONNECTION_OK)
    rc = pg_fail(&h, NULL, "cannot connect; nothing changed");
  else
    rc = sync_run(&h);
  PQfinish(h.pg);
  sb_free(&h.seen);
  return rc;
}

/*
** hub_pull.c -- the pull: one SQLite transaction.  The rows the hub gained
** since the file's last pull (but for those the push just wrote) are
** written as JSON Lines to a temporary stream and imported by the importer
** (joining the transaction), the retracted claims deleted, and the sync
** state stored (hub_state.c).  A pull stopped anywhere leaves the file as
** it was; the next one reads from the same sequence number.
*/
#include "hub_sync.h"
#include "storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
        HUB_FILE_RECORDS " UNION ALL\n"
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
    return hub_pg_fail(h, r, "pulling");
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
    return hub_pg_fail(h, r, "pulling");
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
  long long before = hub_local_max_seq(db);
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
    rc = hub_store_bases(h, &h->seen);
  if (rc == CK_OK)
    rc = hub_store_bases(h, &p->versions);
  long long pulled_to = p->max_seq > since ? p->max_seq : since;
  if (h->hi > pulled_to)
    pulled_to = h->hi;
  if (rc == CK_OK)
    rc = hub_state_set(h, h->pulled_key, pulled_to);
  /* Every claim is now on the hub, unless another process imported
     between the push and this transaction: then only those the push saw. */
  long long after = rc == CK_OK ? hub_local_max_seq(db) : -1;
  long long pushed = h->push_ran ? (before == h->local_max ? after
                                                           : h->local_max)
                                 : (h->pushed >= before ? after : h->pushed);
  if (rc == CK_OK)
    rc = hub_state_set(h, "pushed", pushed);
  if (rc == CK_OK)
    rc = storage_exec(db, "COMMIT", "committing the pull");
  db->writes++;
  if (!sqlite3_get_autocommit(db->sql))
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

int hub_pull(hub *h) {
  long long since;
  int began, rc = storage_read_begin(h->db, &began);
  if (rc == CK_OK)
    rc = hub_state_get(h, h->pulled_key, &since);
  if (rc == CK_OK && !h->push_ran) /* only=pull: what was pushed stays */
    rc = hub_state_get(h, "pushed", &h->pushed);
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

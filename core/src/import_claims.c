/*
** import_claims.c -- the claims table: its columns, a claim stored as a
** row, and the key indexes a large import builds once at the end.
*/
#include "import.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the columns --------------------------------------------------------- */

/* Each column of claims and where its value comes from: both INSERT
   statements and the order of their parameters are made from this list.
   A claim's rowid is its import order (seq): a replaced claim is deleted
   and stored anew (write_claim). */
enum { V_TEXT, V_SEQ, V_KIND, V_INT, V_REAL, V_PERIOD, V_RECORD };
enum { BOTH, VIEW, OBSERVATION };

typedef struct claim_column {
  const char *name;
  unsigned char value, part; /* V_..., and which claims have it */
  size_t at;                 /* of the value in claim_row */
} claim_column;

#define COL(name, value, part, field)                                          \
  { name, value, part, offsetof(claim_row, field) }
#define NOT_IN_ROW(name, value)                                                \
  { name, value, BOTH, 0 }
static const claim_column claim_columns[] = {
    COL("id", V_TEXT, BOTH, id),
    NOT_IN_ROW("seq", V_SEQ),
    NOT_IN_ROW("kind", V_KIND),
    COL("source", V_TEXT, BOTH, source),
    COL("actor", V_TEXT, BOTH, actor),
    COL("locator", V_TEXT, BOTH, locator),
    COL("quote", V_TEXT, BOTH, quote),
    COL("as_of", V_TEXT, BOTH, as_of),
    COL("tags", V_TEXT, BOTH, tags),
    COL("question", V_TEXT, VIEW, question),
    COL("stance", V_INT, VIEW, stance),
    COL("entity", V_TEXT, OBSERVATION, entity),
    COL("metric", V_TEXT, OBSERVATION, metric),
    COL("period", V_PERIOD, OBSERVATION, iso),
    COL("period_end", V_PERIOD, OBSERVATION, end),
    COL("value", V_REAL, OBSERVATION, value),
    COL("lo", V_REAL, OBSERVATION, lo),
    COL("hi", V_REAL, OBSERVATION, hi),
    COL("qualifier", V_TEXT, OBSERVATION, qualifier),
    COL("quantity", V_TEXT, OBSERVATION, quantity),
    COL("unit", V_TEXT, OBSERVATION, unit),
    NOT_IN_ROW("record", V_RECORD),
};
#undef COL
#undef NOT_IN_ROW
#define N_COLUMNS (sizeof claim_columns / sizeof *claim_columns)

/* "INSERT [OR IGNORE] INTO claims(rowid, id, seq, ...) VALUES (?2, ?1, ?2,
   ...)": the n-th column is the n-th parameter, and the rowid is seq's. */
static int prepare_insert(ck_db *db, const char *verb, sqlite3_stmt **st) {
  strbuf sb;
  sb_init(&sb);
  size_t seq = 0;
  sb_printf(&sb, "%s INTO claims(rowid", verb);
  for (size_t i = 0; i < N_COLUMNS; i++) {
    sb_printf(&sb, ", %s", claim_columns[i].name);
    if (claim_columns[i].value == V_SEQ)
      seq = i + 1;
  }
  sb_printf(&sb, ")\nVALUES (?%zu", seq);
  for (size_t i = 0; i < N_COLUMNS; i++)
    sb_printf(&sb, ", ?%zu", i + 1);
  sb_puts(&sb, ")");
  char *sql = sb_take(&sb);
  if (!sql)
    return db_nomem(db);
  int rc = storage_prepare(db, sql, st);
  free(sql);
  return rc;
}

/* Binds claim c, its import order seq and its stored text to st. */
static void bind_claim(sqlite3_stmt *st, const claim_row *c, sqlite3_int64 seq,
                       const char *text) {
  for (size_t i = 0; i < N_COLUMNS; i++) {
    const claim_column *col = &claim_columns[i];
    const char *at = (const char *)c + col->at;
    int n = (int)i + 1;
    if (col->part != BOTH && (col->part == VIEW) != c->view)
      continue; /* NULL */
    switch (col->value) {
    case V_TEXT: storage_bind_text(st, n, *(const char *const *)at); break;
    case V_SEQ: sqlite3_bind_int64(st, n, seq); break;
    case V_KIND:
      storage_bind_text(st, n, c->view ? "view" : "observation");
      break;
    case V_INT: sqlite3_bind_int64(st, n, *(const long long *)at); break;
    case V_REAL: sqlite3_bind_double(st, n, *(const double *)at); break;
    case V_PERIOD: storage_bind_text(st, n, c->period ? at : NULL); break;
    case V_RECORD: storage_bind_text(st, n, text); break;
    }
  }
}

int import_claims_prepare(importer *imp) {
  /* A claim under its content id: the same id is the same claim, stored
     already (write_claim checks the rare exception). */
  int rc = prepare_insert(imp->db, "INSERT", &imp->upsert[R_CLAIM]);
  if (rc == CK_OK)
    rc = prepare_insert(imp->db, "INSERT OR IGNORE", &imp->insert_claim);
  if (rc == CK_OK)
    rc = storage_prepare(imp->db, "SELECT record FROM claims WHERE id = ?",
                         &imp->stored);
  if (rc == CK_OK)
    rc = storage_prepare(imp->db, "DELETE FROM claims WHERE id = ?",
                         &imp->replaced);
  return rc;
}

/* ---- a claim ------------------------------------------------------------- */

/* The claim's stored text: worked out ahead, or now (then it is *own, for
   the caller to free). */
static const char *stored_text(importer *imp, json_t *rec, const claim_row *c,
                               char **own) {
  *own = NULL;
  if (imp->ahead.stored)
    return imp->ahead.stored;
  if (!(*own = claim_text(rec, c->id, c->period, c->iso)))
    imp_nomem(imp);
  return *own;
}

/* The stored record of claim `id`, or NULL when there is none (*rc
   CK_OK) or the lookup failed. */
static char *stored_claim(importer *imp, const char *id, int *rc) {
  sqlite3_stmt *st = imp->stored;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int s = sqlite3_step(st);
  char *text = NULL;
  *rc = CK_OK;
  if (s == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    if (!t || !(text = strdup(t)))
      *rc = imp_nomem(imp);
  } else if (s != SQLITE_DONE) {
    *rc = db_sql_error(imp->db, s, "looking up a claim");
  }
  sqlite3_reset(st);
  return text;
}

static int delete_claim(importer *imp, const char *id) {
  sqlite3_bind_text(imp->replaced, 1, id, -1, SQLITE_STATIC);
  return imp_step_done(imp, imp->replaced, "replacing a claim");
}

/* The claim's row in the claims table: inserted, replaced, or (when it is
   stored as it is already) left alone; *changed says which. */
static int write_claim(importer *imp, const claim_row *c, const char *text,
                       int *changed) {
  int rc = CK_OK, replace = c->id != c->content_id;
  *changed = 0;
  for (int attempt = 0; attempt < 2; attempt++) {
    if (replace) { /* a claim given under its own id may replace one */
      char *old = stored_claim(imp, c->id, &rc);
      int existed = old != NULL, same = old && strcmp(old, text) == 0;
      free(old);
      if (rc != CK_OK || same)
        return rc;
      if (existed && ((rc = latest_replacing(imp->latest, c->id)) != CK_OK ||
                      (rc = delete_claim(imp, c->id)) != CK_OK))
        return rc;
    }
    sqlite3_stmt *st = replace ? imp->upsert[R_CLAIM] : imp->insert_claim;
    bind_claim(st, c, imp->seq++, text);
    if ((rc = imp_step_done(imp, st, "storing a claim")) != CK_OK)
      return rc;
    if (sqlite3_changes(imp->db->sql) > 0) {
      *changed = 1;
      return CK_OK;
    }
    /* A content id already stored: the same claim, unless two claims hash
       alike, or a claim was given the id by hand.  Then it replaces. */
    replace = 1;
  }
  return rc;
}

/* The claim (the reader's, or rec read now): parsed, and its references
   resolved. */
static int read_claim(importer *imp, json_t *rec, const char *ptr,
                      claim_row *c) {
  if (imp->ahead.read) { /* its texts stay the reader's to free */
    *c = imp->ahead.claim;
    return claim_resolve(imp, ptr, c);
  }
  field_error e;
  int parsed = claim_parse(rec, ptr, imp->ahead.content_id, c, &e);
  int rc = claim_resolve(imp, ptr, c);
  if (rc == CK_OK && parsed != CK_OK)
    rc = imp_report(imp, &e);
  return rc;
}

/* The claim's key's latest row, if it is newer: dated by as_of, else by
   its source, weighed by its actor, as far as they are known yet. */
static int claim_latest(importer *imp, const claim_row *c) {
  ref_entry *actor, *source = NULL;
  int rc;
  if ((rc = imp_lookup(imp, R_ACTOR, c->actor, &actor)) == CK_OK && c->source)
    rc = imp_lookup(imp, R_SOURCE, c->source, &source);
  const char *date = c->as_of ? c->as_of : source ? source->published : NULL;
  if (rc != CK_OK)
    return rc;
  if (c->view)
    return latest_view(imp->latest, c->question, c->actor, date, imp->seq - 1,
                       c->stance, actor->weight, actor->region, actor->kind,
                       c->id);
  return latest_observation(imp->latest, c->entity, c->metric,
                            c->period ? c->iso : NULL, c->actor, date,
                            imp->seq - 1, c->period ? c->end : NULL, c->value,
                            c->lo, c->hi, c->unit, c->id);
}

int import_claim(importer *imp, json_t *rec, const char *ptr) {
  /* Not read ahead (one thread, a sheet, a small file): its content id
     and stored text worked out as the reader would, in one rendering
     where claim_parse() and stored_text() would take two. */
  int own_ahead = !imp->ahead.stored && !imp->ahead.read;
  if (own_ahead)
    claim_work_ahead(rec, &imp->ahead);
  claim_row c;
  int rc = read_claim(imp, rec, ptr, &c), changed = 0;
  if (!c.id)
    c.id = c.content_id;
  char *own = NULL;
  const char *text = rc == CK_OK ? stored_text(imp, rec, &c, &own) : NULL;
  if (rc == CK_OK && !text)
    rc = CK_NOMEM;
  if (rc == CK_OK)
    rc = write_claim(imp, &c, text, &changed);
  if (rc == CK_OK)
    import_progress_set(imp->db, CK_PROGRESS_CLAIMS,
                        import_progress_get(imp->db, CK_PROGRESS_CLAIMS) + 1);
  if (rc == CK_OK && c.view) { /* the stances this import stored on it */
    ref_entry *q;
    if ((rc = imp_lookup(imp, R_QUESTION, c.question, &q)) == CK_OK) {
      if (!q->stances++ || c.stance < q->stance_min)
        q->stance_min = c.stance;
      if (q->stances == 1 || c.stance > q->stance_max)
        q->stance_max = c.stance;
    }
  }
  if (rc == CK_OK && changed)
    rc = claim_latest(imp, &c);
  free(own);
  if (!imp->ahead.read)
    free((char *)c.tags);
  if (own_ahead) {
    free(imp->ahead.stored);
    memset(&imp->ahead, 0, sizeof imp->ahead);
  }
  return rc;
}

/* ---- indexes built once at the end --------------------------------------- */

/* The claims' key indexes, kept row by row, cost an import a B-tree
   descent per claim in an order no page cache keeps up with; built once
   from the stored claims they cost a sort.  An import that at least
   doubles the claims builds them at the end (or before a question's
   scale check, the one query of an import that reads them).  Their SQL
   is kept as the file has it, so that they come back exactly. */
static const char *const key_index[2] = {"claims_view_key",
                                         "claims_observation_key"};

int import_defer_indexes(importer *imp) {
  sqlite3_stmt *st;
  int rc = storage_prepare(imp->db,
                           "SELECT sql FROM sqlite_schema WHERE type = 'index' "
                           "AND name = ?",
                           &st);
  for (int i = 0; rc == CK_OK && i < 2; i++) {
    sqlite3_bind_text(st, 1, key_index[i], -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    const char *sql =
        s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (s != SQLITE_ROW)
      rc = db_sql_error(imp->db, s == SQLITE_DONE ? SQLITE_CORRUPT : s,
                        "reading the claims' indexes");
    else if (!sql || !(imp->deferred_index[i] = strdup(sql)))
      rc = imp_nomem(imp);
    sqlite3_reset(st);
    if (rc == CK_OK) {
      char drop[64];
      snprintf(drop, sizeof drop, "DROP INDEX %s", key_index[i]);
      rc = storage_exec(imp->db, drop, "deferring the claims' indexes");
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* A file of `bytes` holds about bytes / 256 claims or more (a claim line
   is rarely shorter); deferring pays when they at least double those
   stored, and are many. */
int import_defer_worthwhile(const importer *imp, long long bytes) {
  long long coming = bytes / 256, stored = imp->first_seq - 1;
  return coming >= imp->db->defer_claims && coming >= stored;
}

int import_restore_indexes(importer *imp) {
  /* CK_LIMIT_SQL_STEPS bounds a record's SQL; this is the import's own,
     the index a row-by-row import would have kept, and is not bounded. */
  long long limit = imp->db->sql_limit;
  int rc = CK_OK;
  imp->db->sql_limit = LLONG_MAX;
  for (int i = 0; i < 2; i++) {
    if (rc == CK_OK && imp->deferred_index[i])
      rc = storage_exec(imp->db, imp->deferred_index[i],
                        "building the claims' indexes");
    free(imp->deferred_index[i]);
    imp->deferred_index[i] = NULL;
  }
  imp->db->sql_limit = limit;
  imp->db->sql_steps = 0;
  return rc;
}

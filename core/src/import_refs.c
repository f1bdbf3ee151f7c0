/*
** import_refs.c -- what an import says, and the references of its records
** resolved against the database: is the record stored, or earlier in the
** input; is each id given once; is a stance on its question's scale.
** References to records later in the input (JSON Lines come in any order)
** are parked in a temp table and checked once the input is read.
**
** Messages name the JSON Pointer of the offending value (RFC 6901), after
** "line N: " in JSON Lines.
*/
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A record kind's list in a pack and its "type" in JSON Lines. */
const char *const import_list_name[R_COUNT] = {
    "frameworks", "sources",   "actors", "entities",
    "metrics",    "questions", "claims", "scripts"};
const char *const import_type_name[R_COUNT] = {
    "framework", "source",   "actor", "entity",
    "metric",    "question", "claim", "script"};

/* ---- messages ------------------------------------------------------------ */

static void ptr_append(strbuf *sb, const char *key) {
  sb_putc(sb, '/');
  for (; *key; key++) {
    if (*key == '~')
      sb_puts(sb, "~0");
    else if (*key == '/')
      sb_puts(sb, "~1");
    else
      sb_putc(sb, *key);
  }
}

/* Where a value is, for messages and the deferred checks: "/claims/2/stance"
   in a pack, "line 3: /stance" in JSON Lines, "claims.csv:4: stance" in a
   sheet, whose columns are named, not pointed at.  NULL: no memory. */
static char *location(const importer *imp, const char *ptr, const char *key) {
  strbuf sb;
  sb_init(&sb);
  if (imp->sheet) {
    sb_printf(&sb, "%s:%ld", imp->sheet, imp->line);
    if (!*ptr && key && !*key) { /* the column of a field named "" */
      sb_puts(&sb, ": \"\"");
      return sb_take(&sb);
    }
    if (*ptr || key) {
      sb_puts(&sb, ": ");
      size_t at = sb.len; /* the pointer, without its leading '/' */
      sb_puts(&sb, ptr);
      if (key)
        ptr_append(&sb, key);
      if (!sb.oom) {
        memmove(sb.data + at, sb.data + at + 1, sb.len - at);
        sb.len--;
      }
    }
    return sb_take(&sb);
  }
  if (imp->line)
    sb_printf(&sb, "line %ld", imp->line);
  if (imp->line && (*ptr || key))
    sb_puts(&sb, ": ");
  sb_puts(&sb, ptr);
  if (key)
    ptr_append(&sb, key);
  if (!imp->line && !*ptr && !key)
    sb_puts(&sb, "/");
  return sb_take(&sb);
}

int imp_fail(importer *imp, const char *ptr, const char *key, const char *fmt,
             ...) {
  char what[CK_ERRMSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  char *where = location(imp, ptr, key);
  if (!where)
    return imp_nomem(imp);
  db_error(imp->db, CK_INVALID, "%s: %s", where, what);
  free(where);
  return CK_INVALID;
}

int imp_nomem(importer *imp) {
  return db_nomem(imp->db);
}

int imp_report(importer *imp, const field_error *e) {
  if (e->rc == CK_NOMEM)
    return imp_nomem(imp);
  return imp_fail(imp, e->ptr, e->key, "%s", e->what);
}

/* ---- references ---------------------------------------------------------- */

int imp_step_done(importer *imp, sqlite3_stmt *st, const char *doing) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? CK_OK : db_sql_error(imp->db, rc, doing);
}

/* What is known of the record `id` of `kind`: the database is asked
   once per import, then the entry follows what this import stores. */
int imp_lookup(importer *imp, enum rec_kind kind, const char *id,
               ref_entry **out) {
  int created;
  ref_entry *e = *out = refs_get(&imp->known[kind], id, &created);
  if (!e)
    return imp_nomem(imp);
  if (e->looked_up)
    return CK_OK;
  sqlite3_stmt *st = imp->exists[kind];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st), bad = 0;
  if (rc == SQLITE_ROW) {
    e->known = 1;
    if (kind == R_ACTOR) {
      e->weight = sqlite3_column_double(st, 0);
      bad =
          refs_set_text(&e->region, (const char *)sqlite3_column_text(st, 1)) ||
          refs_set_text(&e->kind, (const char *)sqlite3_column_text(st, 2));
    } else if (kind == R_SOURCE) {
      bad = refs_set_text(&e->published,
                          (const char *)sqlite3_column_text(st, 0));
    } else if (kind == R_QUESTION) {
      e->lo = sqlite3_column_int64(st, 0);
      e->hi = sqlite3_column_int64(st, 1);
    } else if (kind == R_METRIC) {
      bad = refs_set_text(&e->unit, (const char *)sqlite3_column_text(st, 0));
    }
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sql_error(imp->db, rc, "looking up a reference");
  if (bad)
    return imp_nomem(imp);
  e->looked_up = 1;
  return CK_OK;
}

int imp_known_ref(importer *imp, const char *ptr, const char *key,
                  enum rec_kind target, const char *id) {
  ref_entry *e;
  int rc;
  if ((rc = imp_lookup(imp, target, id, &e)) != CK_OK || e->known)
    return rc;
  e->dangling = 1; /* claims stored before it is: repaired when it comes */
  char *where = location(imp, ptr, key);
  if (!where)
    return imp_nomem(imp);
  /* Bound without a copy (a copy could fail and leave the parameter
     NULL): `where` lives until the step is done. */
  sqlite3_stmt *st = imp->defer_ref;
  sqlite3_bind_text(st, 1, where, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, (int)target);
  sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
  rc = imp_step_done(imp, st, "noting a reference");
  free(where);
  return rc;
}

/* A second record with the same id in one input is almost always a
   copy-and-paste slip, so it is refused. */
int imp_first_mention(importer *imp, enum rec_kind kind, const char *id,
                      const char *ptr) {
  char *where = location(imp, ptr, NULL);
  if (!where)
    return imp_nomem(imp);
  sqlite3_stmt *st = imp->seen;
  sqlite3_bind_int(st, 1, (int)kind);
  sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, where, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  free(where);
  if (rc == SQLITE_DONE && sqlite3_changes(imp->db->sql) == 1)
    return CK_OK;
  if (rc != SQLITE_DONE)
    return db_sql_error(imp->db, rc, "noting an id");
  st = imp->seen_at;
  sqlite3_bind_int(st, 1, (int)kind);
  sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
  char first[256] = "earlier";
  if (sqlite3_step(st) == SQLITE_ROW)
    snprintf(first, sizeof first, "%s", sqlite3_column_text(st, 0));
  sqlite3_reset(st);
  return imp_fail(imp, ptr, "id", "%s '%s' is given twice (first at %s)",
                  import_type_name[kind], id, first);
}

/* A stance must lie on its question's scale. */
static int check_stance(importer *imp, const char *ptr, const char *question,
                        long long stance) {
  ref_entry *e;
  int rc = imp_lookup(imp, R_QUESTION, question, &e);
  if (rc != CK_OK || !e->known)
    return rc; /* a question later in the input checks the stance then */
  if (stance < e->lo || stance > e->hi)
    return imp_fail(imp, ptr, "stance",
                    "%lld is outside the scale %lld..%lld of question '%s'",
                    stance, e->lo, e->hi, question);
  return CK_OK;
}

/* A row claim_parse() refused holds the references it read before the
   check that failed, so resolving them first and then saying why it was
   refused is the order in which one read meets them. */
int claim_resolve(importer *imp, const char *ptr, const claim_row *c) {
  int rc = CK_OK;
  if ((c->id && (rc = imp_first_mention(imp, R_CLAIM, c->id, ptr))) ||
      (c->actor &&
       (rc = imp_known_ref(imp, ptr, "actor", R_ACTOR, c->actor))) ||
      (c->source &&
       (rc = imp_known_ref(imp, ptr, "source", R_SOURCE, c->source))) ||
      (c->question &&
       (rc = imp_known_ref(imp, ptr, "question", R_QUESTION, c->question))) ||
      (c->view && (rc = check_stance(imp, ptr, c->question, c->stance))) ||
      (c->entity &&
       (rc = imp_known_ref(imp, ptr, "entity", R_ENTITY, c->entity))) ||
      (c->metric &&
       (rc = imp_known_ref(imp, ptr, "metric", R_METRIC, c->metric))))
    return rc;
  return CK_OK;
}

/* References that could not be checked when they were read: the first one
   still missing, in input order. */
int imp_deferred_checks(importer *imp) {
  _Static_assert(R_FRAMEWORK == 0 && R_SOURCE == 1 && R_ACTOR == 2 &&
                     R_ENTITY == 3 && R_METRIC == 4 && R_QUESTION == 5,
                 "the CASE below numbers the kinds");
  ck_db *db = imp->db;
  sqlite3_stmt *st;
  int rc = storage_prepare(
      db,
      "SELECT at, kind, ref FROM ck_deferred_ref d WHERE NOT CASE kind\n"
      "  WHEN 0 THEN EXISTS (SELECT 1 FROM frameworks WHERE id = d.ref)\n"
      "  WHEN 1 THEN EXISTS (SELECT 1 FROM sources WHERE id = d.ref)\n"
      "  WHEN 2 THEN EXISTS (SELECT 1 FROM actors WHERE id = d.ref)\n"
      "  WHEN 3 THEN EXISTS (SELECT 1 FROM entities WHERE id = d.ref)\n"
      "  WHEN 4 THEN EXISTS (SELECT 1 FROM metrics WHERE id = d.ref)\n"
      "  WHEN 5 THEN EXISTS (SELECT 1 FROM questions WHERE id = d.ref)\n"
      "END ORDER BY rowid LIMIT 1",
      &st);
  if (rc != CK_OK)
    return rc;
  if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int kind = sqlite3_column_int(st, 1);
    db_error(db, CK_INVALID,
             "%s: unknown %s '%s' (not in the %s nor in the database)",
             sqlite3_column_text(st, 0),
             kind >= 0 && kind < R_CLAIM ? import_type_name[kind] : "record",
             sqlite3_column_text(st, 2), imp->sheet ? "sheet" : "pack");
    rc = CK_INVALID;
  } else {
    rc =
        rc == SQLITE_DONE ? CK_OK : db_sql_error(db, rc, "checking references");
  }
  sqlite3_finalize(st);
  return rc;
}

/* The temp tables and statements of references and ids. */
int imp_refs_prepare(importer *imp) {
  ck_db *db = imp->db;
  int rc = storage_exec(
      db,
      "CREATE TEMP TABLE IF NOT EXISTS ck_seen(\n"
      "  kind INTEGER, id TEXT, at TEXT, PRIMARY KEY (kind, id));\n"
      "CREATE TEMP TABLE IF NOT EXISTS ck_deferred_ref(\n"
      "  at TEXT, kind INTEGER, ref TEXT);\n"
      "DELETE FROM ck_seen; DELETE FROM ck_deferred_ref;",
      "preparing the import");
  for (int k = 0; rc == CK_OK && k < R_COUNT; k++) {
    char sql[96]; /* what imp_lookup() reads of the record */
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s = ?",
             k == R_ACTOR      ? "weight, region, kind"
             : k == R_SOURCE   ? "published"
             : k == R_QUESTION ? "scale_min, scale_max"
             : k == R_METRIC   ? "unit"
                               : "1",
             import_list_name[k], k == R_SCRIPT ? "name" : "id");
    rc = storage_prepare(db, sql, &imp->exists[k]);
  }
  if (rc == CK_OK)
    rc = storage_prepare(db,
                         "INSERT INTO ck_seen(kind, id, at) VALUES (?, ?, ?) "
                         "ON CONFLICT DO NOTHING",
                         &imp->seen);
  if (rc == CK_OK)
    rc = storage_prepare(db, "SELECT at FROM ck_seen WHERE kind = ? AND id = ?",
                         &imp->seen_at);
  if (rc == CK_OK)
    rc = storage_prepare(
        db, "INSERT INTO ck_deferred_ref(at, kind, ref) VALUES (?, ?, ?)",
        &imp->defer_ref);
  return rc;
}

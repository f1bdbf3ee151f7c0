/*
** import.c -- claim packs and JSON Lines streams into the database.
**
** An import is one transaction: every record is validated and written as
** it is read, and the first problem rolls everything back, so a refused
** pack leaves the database exactly as it was.  References to records that
** are neither stored nor earlier in the input (possible in JSON Lines,
** where lines come in any order) are parked in a temp table and checked
** once the input is read.
**
** Messages name the JSON Pointer of the offending value (RFC 6901), after
** "line N: " in JSON Lines.
*/
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum rec_kind {
  R_FRAMEWORK,
  R_SOURCE,
  R_ACTOR,
  R_ENTITY,
  R_METRIC,
  R_QUESTION,
  R_CLAIM,
  R_SCRIPT,
  R_COUNT
};

/* Pack lists in the order they are imported: what is referred to first. */
static const char *const list_name[R_COUNT] = {
    "frameworks", "sources", "actors", "entities",
    "metrics",    "questions", "claims", "scripts"};
static const char *const type_name[R_COUNT] = {
    "framework", "source", "actor", "entity",
    "metric",    "question", "claim", "script"};


/* A claim, read and checked, as it is stored. */
typedef struct claim_row {
  const char *id, *actor, *source, *locator, *quote, *as_of;
  char *tags; /* canonical JSON, owned */
  int view;
  const char *question;
  long long stance;
  const char *entity, *metric, *period, *unit, *quantity, *qualifier;
  double value, lo, hi;
  char iso[CK_PERIOD_MAX], end[11]; /* the period, normalised */
  char content_id[18];
} claim_row;

/* What the reader thread worked out ahead for a claim of JSON Lines. */
typedef struct ahead {
  char content_id[18]; /* "" when not worked out */
  char *stored;        /* the stored text, or NULL */
  int read;            /* claim holds the claim, checked but for what needs
                          the database (claim_refs()) */
  claim_row claim;
  char *texts;         /* the claim's texts, when its record is freed */
} ahead;

typedef struct importer {
  ck_db *db;
  /* Reading a claim on the reader thread: no database and no messages,
     only whether every check that needs neither passes (when one fails,
     the import reads the claim again and says why). */
  int pure;
  ahead ahead;               /* for the record being imported, if any */
  sqlite3_int64 seq; /* import order of the next claim or script */
  sqlite3_int64 first_seq; /* the first of this import */
  long line;         /* JSON Lines or sheet line number; 0 in a pack */
  const char *sheet; /* the claim sheet's path, or NULL */
  refs known[R_COUNT];       /* the records referred to, as far as known */
  latest *latest;            /* latest_views and latest_observations */
  sqlite3_stmt *exists[R_COUNT]; /* a record, with what claims need of it */
  sqlite3_stmt *upsert[R_COUNT];
  sqlite3_stmt *insert_claim; /* a claim under its content id */
  sqlite3_stmt *stored;      /* a stored claim's record */
  sqlite3_stmt *replaced;    /* a claim to store anew */
  sqlite3_stmt *seen;        /* ids given in this import */
  sqlite3_stmt *seen_at;     /* where an id was first given */
  sqlite3_stmt *defer_ref;   /* a reference to check at the end */
  sqlite3_stmt *rescaled;    /* stored views outside a changed scale */
  char *deferred_index[2];   /* indexes built at the end, as they were */
  int nested;                /* inside the caller's transaction */
} importer;

/* ---- progress (ck_progress) --------------------------------------------- */

/* Only the importing thread writes the counters, so a store, not a
   read-modify-write, is enough; release pairs with ck_progress()'s
   acquire so that a reader never sees BYTES past a TOTAL set before it. */
static void progress_set(ck_db *db, int which, long long v) {
  atomic_store_explicit(&db->progress[which], v, memory_order_release);
}

static long long progress_get(const ck_db *db, int which) {
  return atomic_load_explicit(&db->progress[which], memory_order_relaxed);
}

/* A new import: total is the input's size, 0 when it is not known. */
static void progress_begin(ck_db *db, long long total) {
  progress_set(db, CK_PROGRESS_BYTES, 0);
  progress_set(db, CK_PROGRESS_CLAIMS, 0);
  progress_set(db, CK_PROGRESS_TOTAL, total);
  progress_set(db, CK_PROGRESS_RUNNING, 1);
}

/* The import ended with rc after reading `read` bytes: a whole input is
   worked through, whatever its size was thought to be. */
static int progress_end(ck_db *db, int rc, long long read) {
  if (rc == CK_OK) {
    progress_set(db, CK_PROGRESS_TOTAL, read);
    progress_set(db, CK_PROGRESS_BYTES, read);
  }
  progress_set(db, CK_PROGRESS_RUNNING, 0);
  return rc;
}

CK_API long long ck_progress(const ck_db *db, int which) {
  if (!db || which < CK_PROGRESS_BYTES || which > CK_PROGRESS_RUNNING)
    return -1;
  return atomic_load_explicit(&db->progress[which], memory_order_acquire);
}

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
   sheet, whose columns are named, not pointed at. */
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

static int fail(importer *imp, const char *ptr, const char *key,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(importer *imp, const char *ptr, const char *key,
                const char *fmt, ...) {
  if (imp->pure)
    return CK_INVALID;
  char what[CK_ERRMSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  char *where = location(imp, ptr, key);
  if (!where)
    return db_error(imp->db, CK_NOMEM, "out of memory");
  db_error(imp->db, CK_INVALID, "%s: %s", where, what);
  free(where);
  return CK_INVALID;
}

static int out_of_memory(importer *imp) {
  return imp->pure ? CK_NOMEM : db_error(imp->db, CK_NOMEM, "out of memory");
}

/* ---- typed fields ------------------------------------------------------- */

static int get_string(importer *imp, json_t *rec, const char *ptr,
                      const char *key, int required, const char **out) {
  json_t *v = json_object_get(rec, key);
  *out = NULL;
  if (!v) {
    if (required)
      return fail(imp, ptr, key, "missing (a string is required)");
    return CK_OK;
  }
  if (!json_is_string(v))
    return fail(imp, ptr, key, "must be a string, not %s", json_kind(v));
  if (strlen(json_string_value(v)) != json_string_length(v))
    return fail(imp, ptr, key, "contains a NUL character");
  *out = json_string_value(v);
  return CK_OK;
}

/* ---- the codebook: aliases and cues ------------------------------------- */

#define CK_TERM_MAX 64 /* characters of an alias or a cue phrase */

static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xc0) != 0x80;
  return n;
}

/* A list of terms (aliases, or a cue's phrases) at list, whose pointer is
   ptr: 1 to 64 characters each, not blank. */
static int check_terms(importer *imp, json_t *list, const char *ptr,
                       const char *what) {
  const char *a = what[0] == 'a' ? "an" : "a";
  if (!json_is_array(list))
    return fail(imp, ptr, NULL, "must be a list of strings, not %s",
                json_kind(list));
  size_t i;
  json_t *v;
  json_array_foreach(list, i, v) {
    char key[24];
    snprintf(key, sizeof key, "%zu", i);
    if (!json_is_string(v))
      return fail(imp, ptr, key, "must be a string, not %s", json_kind(v));
    const char *t = json_string_value(v);
    if (strlen(t) != json_string_length(v))
      return fail(imp, ptr, key, "contains a NUL character");
    size_t n = utf8_chars(t), blank = strspn(t, " \t\r\n");
    if (n == 0 || t[blank] == '\0')
      return fail(imp, ptr, key, "'%s' is not %s %s (1 to %d characters, not "
                  "blank)", t, a, what, CK_TERM_MAX);
    if (n > CK_TERM_MAX)
      return fail(imp, ptr, key, "'%.40s...' has %zu characters (%s %s has 1 "
                  "to %d)", t, n, a, what, CK_TERM_MAX);
  }
  return CK_OK;
}

/* The names texts use for an actor, entity or metric, for drafts. */
static int check_aliases(importer *imp, json_t *rec, const char *ptr) {
  json_t *aliases = json_object_get(rec, "aliases");
  if (!aliases)
    return CK_OK;
  char sub[160];
  snprintf(sub, sizeof sub, "%s/aliases", ptr);
  return check_terms(imp, aliases, sub, "alias");
}

/* A question's cues: {stance: [phrases]}, each stance on the scale and
   each phrase under one stance only. */
static int check_cues(importer *imp, json_t *rec, const char *ptr,
                      long long lo, long long hi) {
  json_t *cues = json_object_get(rec, "cues");
  if (!cues)
    return CK_OK;
  if (!json_is_object(cues))
    return fail(imp, ptr, "cues",
                "must be an object from a stance to its phrases, e.g. "
                "{\"2\": [\"already on par\"]}, not %s",
                json_kind(cues));
  char sub[160], phrases[200];
  snprintf(sub, sizeof sub, "%s/cues", ptr);
  const char *key;
  json_t *list;
  json_object_foreach(cues, key, list) {
    char *end;
    errno = 0;
    long long stance = strtoll(key, &end, 10);
    const char *digits = key + (key[0] == '-');
    int canonical = *digits >= '0' && *digits <= '9' && !*end && errno == 0 &&
                    (digits[0] != '0' || (digits[1] == '\0' && key[0] != '-'));
    if (!canonical)
      return fail(imp, sub, key, "'%.40s' is not a stance (an integer on the "
                  "scale %lld..%lld, written as one: \"-1\", \"2\")",
                  key, lo, hi);
    if (stance < lo || stance > hi)
      return fail(imp, sub, key, "stance %lld is outside the scale %lld..%lld",
                  stance, lo, hi);
    /* a canonical stance has nothing to escape in a JSON Pointer */
    snprintf(phrases, sizeof phrases, "%s/%s", sub, key);
    int rc = check_terms(imp, list, phrases, "cue");
    if (rc != CK_OK)
      return rc;
  }
  /* one phrase, one stance */
  json_t *seen = json_object();
  if (!seen)
    return db_error(imp->db, CK_NOMEM, "out of memory");
  json_object_foreach(cues, key, list) {
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
      const char *phrase = json_string_value(v);
      json_t *first = json_object_get(seen, phrase);
      if (first && strcmp(json_string_value(first), key) != 0) {
        char other[24], at[24];
        snprintf(other, sizeof other, "%s", json_string_value(first));
        snprintf(phrases, sizeof phrases, "%s/%s", sub, key);
        snprintf(at, sizeof at, "%zu", i);
        int rc = fail(imp, phrases, at, "'%s' is a cue of stance %s too (a "
                      "phrase voices one stance)", phrase, other);
        json_decref(seen);
        return rc;
      }
      if (!first && json_object_set_new(seen, phrase, json_string(key))) {
        json_decref(seen);
        return db_error(imp->db, CK_NOMEM, "out of memory");
      }
    }
  }
  json_decref(seen);
  return CK_OK;
}

static int get_id(importer *imp, json_t *rec, const char *ptr, const char *key,
                  int required, const char **out) {
  int rc = get_string(imp, rec, ptr, key, required, out);
  if (rc == CK_OK && *out && !id_valid(*out))
    return fail(imp, ptr, key,
                "'%.80s' is not an id (1 to 64 characters of a-z 0-9 . _ -)",
                *out);
  return rc;
}

static int get_date(importer *imp, json_t *rec, const char *ptr,
                    const char *key, const char **out) {
  int rc = get_string(imp, rec, ptr, key, 0, out);
  if (rc == CK_OK && *out && !date_valid(*out))
    return fail(imp, ptr, key, "'%.80s' is not a date YYYY-MM-DD", *out);
  return rc;
}

static int get_number(importer *imp, json_t *rec, const char *ptr,
                      const char *key, int *present, double *out) {
  json_t *v = json_object_get(rec, key);
  *present = v != NULL;
  if (!v)
    return CK_OK;
  if (!json_is_number(v))
    return fail(imp, ptr, key, "must be a number, not %s", json_kind(v));
  *out = json_number_value(v);
  return CK_OK;
}

/* An integer written as 2 or 2.0. */
static int as_integer(const json_t *v, long long *out) {
  if (json_is_integer(v)) {
    *out = json_integer_value(v);
    return 1;
  }
  double d = json_is_real(v) ? json_real_value(v) : NAN;
  if (d != floor(d) || fabs(d) > 9e15)
    return 0;
  *out = (long long)d;
  return 1;
}

static int get_bool(importer *imp, json_t *rec, const char *ptr,
                    const char *key, int *out) {
  json_t *v = json_object_get(rec, key);
  if (!v)
    return CK_OK;
  if (!json_is_boolean(v))
    return fail(imp, ptr, key, "must be true or false, not %s", json_kind(v));
  *out = json_is_true(v);
  return CK_OK;
}

/* ---- references ---------------------------------------------------------- */

static int step_done(importer *imp, sqlite3_stmt *st, const char *doing) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? CK_OK : db_sql_error(imp->db, rc, doing);
}

/* What is known of the record `id` of `kind`: the database is asked
   once per import, then the entry follows what this import stores. */
static int lookup(importer *imp, enum rec_kind kind, const char *id,
                  ref_entry **out) {
  int created;
  ref_entry *e = *out = refs_get(&imp->known[kind], id, &created);
  if (!e)
    return db_error(imp->db, CK_NOMEM, "out of memory");
  if (e->looked_up)
    return CK_OK;
  sqlite3_stmt *st = imp->exists[kind];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st), bad = 0;
  if (rc == SQLITE_ROW) {
    e->known = 1;
    if (kind == R_ACTOR) {
      e->weight = sqlite3_column_double(st, 0);
      bad = refs_set_text(&e->region, (const char *)sqlite3_column_text(st, 1)) ||
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
    return db_error(imp->db, CK_NOMEM, "out of memory");
  e->looked_up = 1;
  return CK_OK;
}

/* After a record of `kind` is stored: known from now on. */
static int now_known(importer *imp, enum rec_kind kind, const char *id,
                     ref_entry **out) {
  int rc = lookup(imp, kind, id, out);
  if (rc == CK_OK)
    (*out)->known = 1;
  return rc;
}

/* The record `id` of kind `target` that field `key` names must be stored,
   or come later in the input. */
static int known_ref(importer *imp, const char *ptr, const char *key,
                     enum rec_kind target, const char *id) {
  ref_entry *e;
  int rc;
  if ((rc = lookup(imp, target, id, &e)) != CK_OK || e->known)
    return rc;
  e->dangling = 1; /* claims stored before it is: repaired when it comes */
  char *where = location(imp, ptr, key);
  if (!where)
    return db_error(imp->db, CK_NOMEM, "out of memory");
  /* Bound without a copy (a copy could fail and leave the parameter
     NULL): `where` lives until the step is done. */
  sqlite3_stmt *st = imp->defer_ref;
  sqlite3_bind_text(st, 1, where, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, (int)target);
  sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
  rc = step_done(imp, st, "noting a reference");
  free(where);
  return rc;
}

/* An id field that must name a stored record, or one later in the input
   (read purely, only an id). */
static int get_ref(importer *imp, json_t *rec, const char *ptr,
                   const char *key, int required, enum rec_kind target,
                   const char **out) {
  int rc = get_id(imp, rec, ptr, key, required, out);
  if (rc != CK_OK || !*out || imp->pure)
    return rc;
  return known_ref(imp, ptr, key, target, *out);
}

/* Each id once per import: a second record with the same id in one input
   is almost always a copy-and-paste slip, so it is refused. */
static int first_mention(importer *imp, enum rec_kind kind, const char *id,
                         const char *ptr) {
  char *where = location(imp, ptr, NULL);
  if (!where)
    return db_error(imp->db, CK_NOMEM, "out of memory");
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
  return fail(imp, ptr, "id", "%s '%s' is given twice (first at %s)",
              type_name[kind], id, first);
}

/* ---- storing ------------------------------------------------------------- */

/* The record's canonical JSON; the caller frees it. */
static char *record_text(importer *imp, json_t *rec) {
  char *s = canon_text(rec, 0, 1);
  if (!s)
    db_error(imp->db, CK_NOMEM, "out of memory");
  return s;
}

/* Binds the record text as the last parameter and runs the upsert. */
static int upsert(importer *imp, enum rec_kind kind, json_t *rec) {
  sqlite3_stmt *st = imp->upsert[kind];
  char *text = record_text(imp, rec);
  if (!text) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return CK_NOMEM;
  }
  sqlite3_bind_text(st, sqlite3_bind_parameter_count(st), text, -1, free);
  return step_done(imp, st, "storing a record");
}

static int same_text(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* After a record's upsert (rc): the record is known from now on. */
static int stored(importer *imp, enum rec_kind kind, const char *id, int rc) {
  ref_entry *e;
  return rc == CK_OK ? now_known(imp, kind, id, &e) : rc;
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

static int defer_indexes(importer *imp) {
  sqlite3_stmt *st;
  int rc = storage_prepare(imp->db,
                           "SELECT sql FROM sqlite_schema WHERE type = 'index' "
                           "AND name = ?",
                           &st);
  for (int i = 0; rc == CK_OK && i < 2; i++) {
    sqlite3_bind_text(st, 1, key_index[i], -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    const char *sql = s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0)
                                      : NULL;
    if (s != SQLITE_ROW)
      rc = db_sql_error(imp->db, s == SQLITE_DONE ? SQLITE_CORRUPT : s,
                        "reading the claims' indexes");
    else if (!sql || !(imp->deferred_index[i] = strdup(sql)))
      rc = db_error(imp->db, CK_NOMEM, "out of memory");
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
static int defer_worthwhile(const importer *imp, long long bytes) {
  long long coming = bytes / 256, stored = imp->first_seq - 1;
  return coming >= imp->db->defer_claims && coming >= stored;
}

static int restore_indexes(importer *imp) {
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

/* ---- one record per kind ------------------------------------------------ */

static int import_framework(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *name;
  int rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = check_aliases(imp, rec, ptr)) ||
      (rc = first_mention(imp, R_FRAMEWORK, id, ptr)))
    return rc;
  sqlite3_stmt *st = imp->upsert[R_FRAMEWORK];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, name);
  return stored(imp, R_FRAMEWORK, id, upsert(imp, R_FRAMEWORK, rec));
}

static int import_source(importer *imp, json_t *rec, const char *ptr) {
  /* subject: the entity the call or note is about, the default entity of
     its drafted figures (draft) */
  const char *id, *title, *kind, *publisher, *published, *lang, *subject;
  int rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "title", 0, &title)) ||
      (rc = get_string(imp, rec, ptr, "kind", 0, &kind)) ||
      (rc = get_string(imp, rec, ptr, "publisher", 0, &publisher)) ||
      (rc = get_date(imp, rec, ptr, "published", &published)) ||
      (rc = get_string(imp, rec, ptr, "lang", 0, &lang)) ||
      (rc = get_ref(imp, rec, ptr, "entity", 0, R_ENTITY, &subject)) ||
      (rc = first_mention(imp, R_SOURCE, id, ptr)))
    return rc;
  /* A source dates its undated claims: a new date, or claims stored
     before the source, set their latest rows again. */
  ref_entry *e;
  if ((rc = lookup(imp, R_SOURCE, id, &e)) != CK_OK)
    return rc;
  int repair = e->dangling || (e->known && !same_text(e->published, published));
  sqlite3_stmt *st = imp->upsert[R_SOURCE];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, title);
  storage_bind_text(st, 3, kind);
  storage_bind_text(st, 4, publisher);
  storage_bind_text(st, 5, published);
  storage_bind_text(st, 6, lang);
  if ((rc = stored(imp, R_SOURCE, id, upsert(imp, R_SOURCE, rec))) != CK_OK ||
      (rc = lookup(imp, R_SOURCE, id, &e)) != CK_OK)
    return rc;
  if (refs_set_text(&e->published, published))
    return db_error(imp->db, CK_NOMEM, "out of memory");
  return repair ? latest_repair_source(imp->latest, id) : CK_OK;
}

static int import_actor(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *name, *region, *kind;
  double weight = 1.0;
  int has_weight, rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = get_string(imp, rec, ptr, "region", 0, &region)) ||
      (rc = get_string(imp, rec, ptr, "kind", 0, &kind)) ||
      (rc = get_number(imp, rec, ptr, "weight", &has_weight, &weight)) ||
      (rc = check_aliases(imp, rec, ptr)))
    return rc;
  if (has_weight && !(weight > 0 && isfinite(weight)))
    return fail(imp, ptr, "weight", "%g is not a positive weight", weight);
  if ((rc = first_mention(imp, R_ACTOR, id, ptr)))
    return rc;
  /* The latest views carry the actor's weight, region and kind. */
  ref_entry *e;
  if ((rc = lookup(imp, R_ACTOR, id, &e)) != CK_OK)
    return rc;
  int repair = e->dangling ||
               (e->known && (e->weight != weight || !same_text(e->region, region) ||
                             !same_text(e->kind, kind)));
  sqlite3_stmt *st = imp->upsert[R_ACTOR];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, name);
  storage_bind_text(st, 3, region);
  storage_bind_text(st, 4, kind);
  sqlite3_bind_double(st, 5, weight);
  if ((rc = stored(imp, R_ACTOR, id, upsert(imp, R_ACTOR, rec))) != CK_OK ||
      (rc = lookup(imp, R_ACTOR, id, &e)) != CK_OK)
    return rc;
  e->weight = weight;
  if (refs_set_text(&e->region, region) || refs_set_text(&e->kind, kind))
    return db_error(imp->db, CK_NOMEM, "out of memory");
  return repair ? latest_repair_actor(imp->latest, id) : CK_OK;
}

static int import_entity(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *name, *kind, *parent;
  int rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = get_string(imp, rec, ptr, "kind", 0, &kind)) ||
      (rc = get_ref(imp, rec, ptr, "parent", 0, R_ENTITY, &parent)) ||
      (rc = check_aliases(imp, rec, ptr)))
    return rc;
  if (parent && strcmp(parent, id) == 0)
    return fail(imp, ptr, "parent", "entity '%s' cannot be its own parent",
                id);
  if ((rc = first_mention(imp, R_ENTITY, id, ptr)))
    return rc;
  sqlite3_stmt *st = imp->upsert[R_ENTITY];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, name);
  storage_bind_text(st, 3, kind);
  storage_bind_text(st, 4, parent);
  return stored(imp, R_ENTITY, id, upsert(imp, R_ENTITY, rec));
}

/* What draft() reads of a metric (DESIGN §8): point_in_time, a metric
   measured at a moment; change_of, the metric whose change it measures,
   and basis, which comparison (yoy, qoq). */
static int check_change(importer *imp, json_t *rec, const char *ptr,
                        const char *id) {
  int point_in_time = 0, rc;
  const char *change_of, *basis;
  if ((rc = get_bool(imp, rec, ptr, "point_in_time", &point_in_time)) ||
      (rc = get_ref(imp, rec, ptr, "change_of", 0, R_METRIC, &change_of)) ||
      (rc = get_string(imp, rec, ptr, "basis", 0, &basis)))
    return rc;
  if (change_of && strcmp(change_of, id) == 0)
    return fail(imp, ptr, "change_of",
                "metric '%s' cannot be the change of itself", id);
  if (basis && strcmp(basis, "yoy") != 0 && strcmp(basis, "qoq") != 0)
    return fail(imp, ptr, "basis",
                "'%.40s' is not a basis (yoy: year over year, qoq: quarter "
                "over quarter)", basis);
  return CK_OK;
}

static int import_metric(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *name, *unit, *framework;
  int higher = 1, rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = get_string(imp, rec, ptr, "unit", 0, &unit)) ||
      (rc = get_bool(imp, rec, ptr, "higher_is_better", &higher)) ||
      (rc = get_ref(imp, rec, ptr, "framework", 0, R_FRAMEWORK, &framework)) ||
      (rc = check_aliases(imp, rec, ptr)) ||
      (rc = check_change(imp, rec, ptr, id)) ||
      (rc = first_mention(imp, R_METRIC, id, ptr)))
    return rc;
  /* Observations without a unit of their own are in the metric's. */
  ref_entry *e;
  if ((rc = lookup(imp, R_METRIC, id, &e)) != CK_OK)
    return rc;
  int repair = e->known && !same_text(e->unit, unit);
  sqlite3_stmt *st = imp->upsert[R_METRIC];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, name);
  storage_bind_text(st, 3, unit);
  sqlite3_bind_int(st, 4, higher);
  storage_bind_text(st, 5, framework);
  if ((rc = stored(imp, R_METRIC, id, upsert(imp, R_METRIC, rec))) != CK_OK ||
      (rc = lookup(imp, R_METRIC, id, &e)) != CK_OK)
    return rc;
  if (refs_set_text(&e->unit, unit))
    return db_error(imp->db, CK_NOMEM, "out of memory");
  return repair ? latest_repair_metric(imp->latest, id) : CK_OK;
}

static int import_question(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *text, *name, *framework, *resolved_on = NULL;
  int rc, outcome = -1;
  /* a name and aliases only stand for the id in calls (names.c) */
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "text", 0, &text)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = check_aliases(imp, rec, ptr)) ||
      (rc = get_ref(imp, rec, ptr, "framework", 0, R_FRAMEWORK, &framework)))
    return rc;
  long long lo = -2, hi = 2;
  json_t *scale = json_object_get(rec, "scale");
  if (scale) {
    if (!json_is_array(scale) || json_array_size(scale) != 2 ||
        !as_integer(json_array_get(scale, 0), &lo) ||
        !as_integer(json_array_get(scale, 1), &hi))
      return fail(imp, ptr, "scale",
                  "must be a list of two integers [min, max], e.g. [-2, 2]");
    if (lo >= hi)
      return fail(imp, ptr, "scale", "min %lld is not below max %lld", lo, hi);
    /* Each bound first: hi - lo of two unchecked numbers can overflow. */
    if (lo < -CK_SCALE_BOUND || hi > CK_SCALE_BOUND)
      return fail(imp, ptr, "scale",
                  "%lld..%lld goes past +-%d (a scale is a few points, not a "
                  "range of numbers)",
                  lo, hi, CK_SCALE_BOUND);
    if (hi - lo >= CK_SCALE_MAX_POINTS)
      return fail(imp, ptr, "scale", "%lld..%lld has more than %d points", lo,
                  hi, CK_SCALE_MAX_POINTS);
  }
  if ((rc = check_cues(imp, rec, ptr, lo, hi)) != CK_OK)
    return rc;
  json_t *poles = json_object_get(rec, "poles");
  if (poles && (!json_is_array(poles) || json_array_size(poles) != 2 ||
                !json_is_string(json_array_get(poles, 0)) ||
                !json_is_string(json_array_get(poles, 1))))
    return fail(imp, ptr, "poles",
                "must be a list of two strings [low pole, high pole]");
  json_t *res = json_object_get(rec, "resolution");
  if (res) {
    char rptr[128];
    snprintf(rptr, sizeof rptr, "%s/resolution", ptr);
    if (!json_is_object(res))
      return fail(imp, ptr, "resolution",
                  "must be an object {outcome, resolved_on}, not %s",
                  json_kind(res));
    json_t *o = json_object_get(res, "outcome");
    if (!o)
      return fail(imp, rptr, "outcome", "missing (true or false)");
    if ((rc = get_bool(imp, res, rptr, "outcome", &outcome)) ||
        (rc = get_date(imp, res, rptr, "resolved_on", &resolved_on)))
      return rc;
  }
  if ((rc = first_mention(imp, R_QUESTION, id, ptr)))
    return rc;
  /* The scale must hold every stance on the question: stored ones, and
     ones read earlier in this input before the question was known.  Into
     a database that held no claims, this import's views are all there is,
     and while the indexes wait they are known without a query. */
  ref_entry *e;
  if ((rc = lookup(imp, R_QUESTION, id, &e)) != CK_OK)
    return rc;
  int known_within =
      imp->first_seq == 1 && imp->deferred_index[0] &&
      (!e->stances || (e->stance_min >= lo && e->stance_max <= hi));
  if (!known_within && (rc = restore_indexes(imp)) != CK_OK)
    return rc;
  sqlite3_stmt *st = imp->rescaled;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, lo);
  sqlite3_bind_int64(st, 3, hi);
  rc = known_within ? SQLITE_DONE : sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    char claim[80];
    snprintf(claim, sizeof claim, "%s", sqlite3_column_text(st, 0));
    long long stance = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return fail(imp, ptr, "scale",
                "%lld..%lld leaves claim '%s' with stance %lld outside it",
                lo, hi, claim, stance);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return db_sql_error(imp->db, rc, "checking stored stances");
  st = imp->upsert[R_QUESTION];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, text);
  storage_bind_text(st, 3, framework);
  sqlite3_bind_int64(st, 4, lo);
  sqlite3_bind_int64(st, 5, hi);
  if (outcome >= 0)
    sqlite3_bind_int(st, 6, outcome);
  storage_bind_text(st, 7, resolved_on);
  if ((rc = stored(imp, R_QUESTION, id, upsert(imp, R_QUESTION, rec))) != CK_OK ||
      (rc = lookup(imp, R_QUESTION, id, &e)) != CK_OK)
    return rc;
  e->lo = lo;
  e->hi = hi;
  return CK_OK;
}

static int import_script(importer *imp, json_t *rec, const char *ptr) {
  const char *name, *lua;
  int rc;
  if ((rc = get_id(imp, rec, ptr, "name", 1, &name)) ||
      (rc = get_string(imp, rec, ptr, "lua", 1, &lua)) ||
      (rc = first_mention(imp, R_SCRIPT, name, ptr)))
    return rc;
  sqlite3_stmt *st = imp->upsert[R_SCRIPT];
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, lua, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, imp->seq++);
  return upsert(imp, R_SCRIPT, rec);
}

/* A stance must lie on its question's scale. */
static int check_stance(importer *imp, const char *ptr, const char *question,
                        long long stance) {
  if (imp->pure)
    return CK_OK; /* the scale is the database's */
  ref_entry *e;
  int rc = lookup(imp, R_QUESTION, question, &e);
  if (rc != CK_OK || !e->known)
    return rc; /* a question later in the input checks the stance then */
  if (stance < e->lo || stance > e->hi)
    return fail(imp, ptr, "stance",
                "%lld is outside the scale %lld..%lld of question '%s'",
                stance, e->lo, e->hi, question);
  return CK_OK;
}

/* A quantity field holds exactly one quantity expression (docs/quantities.md). */
static int parse_quantity(importer *imp, const char *ptr, const char *text,
                          ck_quantity *out) {
  ck_quantity *q;
  size_t n;
  if (quantity_scan(text, strlen(text), 0, &q, &n) < 0)
    return out_of_memory(imp);
  int rc = CK_OK;
  if (n == 0)
    rc = fail(imp, ptr, "quantity", "no quantity in '%.120s'", text);
  else if (n > 1)
    rc = fail(imp, ptr, "quantity",
              "'%.120s' holds %zu quantities ('%.*s' and '%.*s'); give one",
              text, n, (int)(q[0].end - q[0].start), text + q[0].start,
              (int)(q[1].end - q[1].start), text + q[1].start);
  else
    *out = q[0];
  free(q);
  return rc;
}

static const char *const view_keys[] = {"question", "stance", NULL};
static const char *const observation_keys[] = {
    "entity", "metric", "period", "value", "lo", "hi", "quantity", "unit", NULL};

static const char *first_key(json_t *rec, const char *const *keys) {
  for (; *keys; keys++)
    if (json_object_get(rec, *keys))
      return *keys;
  return NULL;
}

/* A draft (see "draft") leaves fields null for the analyst: the first one
   still null, in the order an analyst fills them, refuses the claim. */
static int unfilled(importer *imp, json_t *rec, const char *ptr) {
  static const char *const order[] = {"entity", "metric", "period", "actor",
                                      "question", "stance", "source", NULL};
  const char *key, *field = NULL;
  json_t *val;
  int any = 0;
  json_object_foreach(rec, key, val) {
    if (json_is_null(val) && !field)
      field = key; /* the first null in the record's order */
    any |= json_is_null(val);
  }
  if (!any)
    return CK_OK; /* the common case: one pass, no lookups */
  for (const char *const *k = order; *k; k++)
    if (json_is_null(json_object_get(rec, *k))) {
      field = *k; /* the first in the order an analyst fills them */
      break;
    }
  json_t *quantity = json_object_get(rec, "quantity");
  json_t *locator = json_object_get(rec, "locator");
  if (json_is_string(quantity))
    return fail(imp, ptr, field, "fill in the %s for \"%.120s\" (%.20s)", field,
                json_string_value(quantity),
                json_is_string(locator) ? json_string_value(locator) : "-");
  return fail(imp, ptr, field, "fill in the %s (it is null)", field);
}

/* What is stored, and exported: the claim with its id and its period in
   ISO form (iso, when period is not).  Pure, for the reader thread too;
   NULL when memory runs out. */
static char *claim_text(const json_t *rec, const char *id, const char *period,
                        const char *iso) {
  const char *keys[2];
  json_t *values[2];
  int n = 0, ok;
  keys[n] = "id";
  values[n++] = json_string(id);
  ok = values[0] != NULL;
  if (period && strcmp(period, iso) != 0) {
    keys[n] = "period";
    ok &= (values[n++] = json_string(iso)) != NULL;
  }
  strbuf sb;
  sb_init(&sb);
  if (ok)
    canon_dump_with(&sb, rec, 0, 0, 1, keys, values, n);
  else
    sb.oom = 1;
  for (int i = 0; i < n; i++)
    json_decref(values[i]);
  return sb_take(&sb);
}

/* A content id from a claim's canonical text without an id: "" when the
   text is incomplete (memory ran out). */
static void text_content_id(const strbuf *sb, char out[18]) {
  out[0] = '\0';
  if (!sb->oom && sb->data)
    snprintf(out, 18, "c%016llx",
             (unsigned long long)fnv1a64(sb->data, sb->len));
}

/* The content id of a claim: the hash of its text without an id. */
static void content_id(const json_t *rec, char out[18]) {
  strbuf sb;
  sb_init(&sb);
  canon_dump(&sb, rec, 0, 0, 1);
  text_content_id(&sb, out);
  sb_free(&sb);
}

/* The stored text of a claim with no id whose period (if any) is in ISO
   form, and its content id: the claim as written is its stored text
   without the id, so one rendering serves both, the id spliced in where it
   sorts.  NULL (and content_id "") when memory runs out. */
static char *claim_with_content_id(const json_t *rec, char content_id[18]) {
  strbuf sb, out;
  sb_init(&sb);
  sb_init(&out);
  size_t at = canon_dump_marking(&sb, rec, "id");
  text_content_id(&sb, content_id);
  if (content_id[0]) {
    int last = sb.data[at] == '}', alone = last && at == 1;
    sb_putn(&out, sb.data, at);
    sb_printf(&out, "%s\"id\":\"%s\"%s", last && !alone ? "," : "",
              content_id, last ? "" : ",");
    sb_putn(&out, sb.data + at, sb.len - at);
    if (out.oom)
      content_id[0] = '\0';
  }
  sb_free(&sb);
  if (!content_id[0])
    out.oom = 1; /* no content id: no text either, not an empty one */
  return sb_take(&out);
}

/* The fields of a view. */
static int read_view(importer *imp, json_t *rec, const char *ptr,
                     claim_row *c) {
  json_t *sv = json_object_get(rec, "stance");
  int rc = get_ref(imp, rec, ptr, "question", 1, R_QUESTION, &c->question);
  if (rc)
    return rc;
  if (!sv)
    return fail(imp, ptr, "stance",
                "missing (an integer on the question's scale)");
  if (!as_integer(sv, &c->stance))
    return fail(imp, ptr, "stance", "must be an integer, not %s",
                json_is_number(sv) ? "a fraction" : json_kind(sv));
  c->view = 1;
  return check_stance(imp, ptr, c->question, c->stance);
}

/* The fields of an observation: its value and bounds from one of value,
   lo and hi, or quantity. */
static int read_observation(importer *imp, json_t *rec, const char *ptr,
                            claim_row *c) {
  int has_value = 0, has_lo = 0, has_hi = 0, rc;
  ck_quantity q = {0, 0, 0, 0, 0, "exact", "", 0, 0, 0};
  if ((rc = get_ref(imp, rec, ptr, "entity", 1, R_ENTITY, &c->entity)) ||
      (rc = get_ref(imp, rec, ptr, "metric", 1, R_METRIC, &c->metric)) ||
      (rc = get_string(imp, rec, ptr, "period", 0, &c->period)) ||
      (rc = get_string(imp, rec, ptr, "unit", 0, &c->unit)) ||
      (rc = get_string(imp, rec, ptr, "quantity", 0, &c->quantity)) ||
      (rc = get_number(imp, rec, ptr, "value", &has_value, &c->value)) ||
      (rc = get_number(imp, rec, ptr, "lo", &has_lo, &c->lo)) ||
      (rc = get_number(imp, rec, ptr, "hi", &has_hi, &c->hi)))
    return rc;
  if (c->period && period_normalise(c->period, c->iso) != 0)
    return fail(imp, ptr, "period",
                "'%.80s' is not a period (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, "
                "YYYY-Www, YYYY-MM-DD, or 2026年3月 and the like)",
                c->period);
  if (has_value + (has_lo || has_hi) + (c->quantity != NULL) > 1)
    return fail(imp, ptr, NULL,
                "give one of value, lo and hi, or quantity: this observation "
                "has %s",
                has_value && c->quantity ? "value and quantity"
                : has_value              ? "value and lo/hi"
                                         : "lo/hi and quantity");
  if (c->quantity && (rc = parse_quantity(imp, ptr, c->quantity, &q)))
    return rc;
  if (!c->quantity && has_lo != has_hi)
    return fail(imp, ptr, has_lo ? "hi" : "lo",
                "missing (lo and hi go together)");
  if (!c->quantity && !has_value && !has_lo)
    return fail(imp, ptr, NULL,
                "an observation needs value, lo and hi, or quantity");
  if (has_lo && c->lo > c->hi)
    return fail(imp, ptr, "lo", "%g is above hi %g", c->lo, c->hi);
  c->qualifier = has_lo ? "range" : "exact";
  if (c->quantity) {
    c->value = q.value, c->lo = q.lo, c->hi = q.hi, c->qualifier = q.qualifier;
    if (*q.unit)
      c->unit = q.unit; /* the quantity's own unit comes first */
  } else if (has_lo) {
    c->value = c->lo + (c->hi - c->lo) / 2;
  } else {
    c->lo = c->hi = c->value;
  }
  if (c->period)
    period_end(c->iso, c->end);
  return CK_OK;
}

/* Reads and checks a claim into c. */
static int read_claim(importer *imp, json_t *rec, const char *ptr,
                      claim_row *c) {
  int rc;
  memset(c, 0, sizeof *c);
  if ((rc = unfilled(imp, rec, ptr)) ||
      (rc = get_id(imp, rec, ptr, "id", 0, &c->id)))
    return rc;
  if (!c->id) {
    /* The content id hashes the claim exactly as written, before any
       normalisation, so that anyone can recompute it. */
    if (imp->ahead.content_id[0])
      memcpy(c->content_id, imp->ahead.content_id, sizeof c->content_id);
    else
      content_id(rec, c->content_id);
    if (!c->content_id[0])
      return out_of_memory(imp);
  } else if (!imp->pure && (rc = first_mention(imp, R_CLAIM, c->id, ptr))) {
    return rc;
  }
  if ((rc = get_ref(imp, rec, ptr, "actor", 1, R_ACTOR, &c->actor)) ||
      (rc = get_ref(imp, rec, ptr, "source", 0, R_SOURCE, &c->source)) ||
      (rc = get_string(imp, rec, ptr, "locator", 0, &c->locator)) ||
      (rc = get_string(imp, rec, ptr, "quote", 0, &c->quote)) ||
      (rc = get_date(imp, rec, ptr, "as_of", &c->as_of)))
    return rc;
  json_t *tags = json_object_get(rec, "tags");
  if (tags) {
    if (!json_is_array(tags))
      return fail(imp, ptr, "tags", "must be a list of strings, not %s",
                  json_kind(tags));
    for (size_t i = 0; i < json_array_size(tags); i++)
      if (!json_is_string(json_array_get(tags, i))) {
        char key[32];
        snprintf(key, sizeof key, "%zu", i);
        char tptr[160];
        snprintf(tptr, sizeof tptr, "%s/tags", ptr);
        return fail(imp, tptr, key, "must be a string, not %s",
                    json_kind(json_array_get(tags, i)));
      }
  }
  const char *view_key = first_key(rec, view_keys);
  const char *obs_key = first_key(rec, observation_keys);
  if (view_key && obs_key)
    return fail(imp, ptr, NULL,
                "a claim is a view (question, stance) or an observation "
                "(entity, metric, value), not both: it has '%s' and '%s'",
                view_key, obs_key);
  if (!view_key && !obs_key)
    return fail(imp, ptr, NULL,
                "a claim needs question and stance (a view) or entity, "
                "metric and a value (an observation)");
  if ((rc = view_key ? read_view(imp, rec, ptr, c)
                     : read_observation(imp, rec, ptr, c)))
    return rc;
  if (tags && !(c->tags = canon_text(tags, 0, 0)))
    return out_of_memory(imp);
  return CK_OK;
}

/* The checks of read_claim() that need the database, in its order, for a
   claim whose others passed on the reader thread: the first to fail is
   the one read_claim() would have stopped at. */
static int claim_refs(importer *imp, const char *ptr, const claim_row *c) {
  int rc;
  if ((c->id && (rc = first_mention(imp, R_CLAIM, c->id, ptr))) ||
      (rc = known_ref(imp, ptr, "actor", R_ACTOR, c->actor)) ||
      (c->source && (rc = known_ref(imp, ptr, "source", R_SOURCE, c->source))))
    return rc;
  if (c->view)
    return (rc = known_ref(imp, ptr, "question", R_QUESTION, c->question))
               ? rc
               : check_stance(imp, ptr, c->question, c->stance);
  if ((rc = known_ref(imp, ptr, "entity", R_ENTITY, c->entity)))
    return rc;
  return known_ref(imp, ptr, "metric", R_METRIC, c->metric);
}

/* The claim's stored text: worked out ahead, or now (then it is *own, for
   the caller to free). */
static const char *stored_text(importer *imp, json_t *rec, const claim_row *c,
                               char **own) {
  *own = NULL;
  if (imp->ahead.stored)
    return imp->ahead.stored;
  if (!(*own = claim_text(rec, c->id, c->period, c->iso)))
    db_error(imp->db, CK_NOMEM, "out of memory");
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
      *rc = db_error(imp->db, CK_NOMEM, "out of memory");
  } else if (s != SQLITE_DONE) {
    *rc = db_sql_error(imp->db, s, "looking up a claim");
  }
  sqlite3_reset(st);
  return text;
}

static int delete_claim(importer *imp, const char *id) {
  sqlite3_bind_text(imp->replaced, 1, id, -1, SQLITE_STATIC);
  return step_done(imp, imp->replaced, "replacing a claim");
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
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, imp->seq++);
    sqlite3_bind_text(st, 3, c->view ? "view" : "observation", -1,
                      SQLITE_STATIC);
    storage_bind_text(st, 4, c->source);
    storage_bind_text(st, 5, c->actor);
    storage_bind_text(st, 6, c->locator);
    storage_bind_text(st, 7, c->quote);
    storage_bind_text(st, 8, c->as_of);
    storage_bind_text(st, 9, c->tags);
    if (c->view) {
      storage_bind_text(st, 10, c->question);
      sqlite3_bind_int64(st, 11, c->stance);
    } else {
      storage_bind_text(st, 12, c->entity);
      storage_bind_text(st, 13, c->metric);
      storage_bind_text(st, 14, c->period ? c->iso : NULL);
      storage_bind_text(st, 15, c->period ? c->end : NULL);
      sqlite3_bind_double(st, 16, c->value);
      sqlite3_bind_double(st, 17, c->lo);
      sqlite3_bind_double(st, 18, c->hi);
      storage_bind_text(st, 19, c->qualifier);
      storage_bind_text(st, 20, c->quantity);
      storage_bind_text(st, 21, c->unit);
    }
    storage_bind_text(st, 22, text);
    if ((rc = step_done(imp, st, "storing a claim")) != CK_OK)
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

static int import_claim(importer *imp, json_t *rec, const char *ptr) {
  claim_row c;
  int rc, changed = 0;
  if (imp->ahead.read) { /* its texts stay the reader's to free */
    c = imp->ahead.claim;
    rc = claim_refs(imp, ptr, &c);
  } else {
    rc = read_claim(imp, rec, ptr, &c);
  }
  if (!c.id)
    c.id = c.content_id;
  char *own = NULL;
  const char *text = rc == CK_OK ? stored_text(imp, rec, &c, &own) : NULL;
  if (rc == CK_OK && !text)
    rc = CK_NOMEM;
  if (rc == CK_OK)
    rc = write_claim(imp, &c, text, &changed);
  if (rc == CK_OK && !imp->pure)
    progress_set(imp->db, CK_PROGRESS_CLAIMS,
                 progress_get(imp->db, CK_PROGRESS_CLAIMS) + 1);
  if (rc == CK_OK && c.view) { /* the stances this import stored on it */
    ref_entry *q;
    if ((rc = lookup(imp, R_QUESTION, c.question, &q)) == CK_OK) {
      if (!q->stances++ || c.stance < q->stance_min)
        q->stance_min = c.stance;
      if (q->stances == 1 || c.stance > q->stance_max)
        q->stance_max = c.stance;
    }
  }
  if (rc == CK_OK && changed) {
    /* Its key's latest row, if it is newer: dated by as_of, else by its
       source, weighed by its actor, as far as they are known yet. */
    ref_entry *actor, *source = NULL;
    if ((rc = lookup(imp, R_ACTOR, c.actor, &actor)) == CK_OK && c.source)
      rc = lookup(imp, R_SOURCE, c.source, &source);
    const char *date = c.as_of ? c.as_of : source ? source->published : NULL;
    if (rc == CK_OK && c.view)
      rc = latest_view(imp->latest, c.question, c.actor, date, imp->seq - 1,
                       c.stance, actor->weight, actor->region, actor->kind,
                       c.id);
    else if (rc == CK_OK)
      rc = latest_observation(imp->latest, c.entity, c.metric,
                              c.period ? c.iso : NULL, c.actor, date,
                              imp->seq - 1, c.period ? c.end : NULL, c.value,
                              c.lo, c.hi, c.unit, c.id);
  }
  free(own);
  if (!imp->ahead.read)
    free(c.tags);
  return rc;
}

static int import_record(importer *imp, enum rec_kind kind, json_t *rec,
                         const char *ptr) {
  /* CK_LIMIT_SQL_STEPS bounds each record's SQL, not the whole stream. */
  imp->db->sql_steps = 0;
  if (!imp->ahead.read && !json_is_object(rec))
    return fail(imp, ptr, NULL, "a %s must be an object, not %s",
                type_name[kind], json_kind(rec));
  switch (kind) {
  case R_FRAMEWORK: return import_framework(imp, rec, ptr);
  case R_SOURCE: return import_source(imp, rec, ptr);
  case R_ACTOR: return import_actor(imp, rec, ptr);
  case R_ENTITY: return import_entity(imp, rec, ptr);
  case R_METRIC: return import_metric(imp, rec, ptr);
  case R_QUESTION: return import_question(imp, rec, ptr);
  case R_CLAIM: return import_claim(imp, rec, ptr);
  case R_SCRIPT: return import_script(imp, rec, ptr);
  default: return db_error(imp->db, CK_ERROR, "internal: record kind");
  }
}

/* ---- the transaction ----------------------------------------------------- */

static const char *const upsert_sql[R_COUNT] = {
    "INSERT INTO frameworks(id, name, record) VALUES (?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO sources(id, title, kind, publisher, published, lang, record)\n"
    "VALUES (?, ?, ?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET title = excluded.title,\n"
    "  kind = excluded.kind, publisher = excluded.publisher,\n"
    "  published = excluded.published, lang = excluded.lang,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO actors(id, name, region, kind, weight, record)\n"
    "VALUES (?, ?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name,\n"
    "  region = excluded.region, kind = excluded.kind,\n"
    "  weight = excluded.weight,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO entities(id, name, kind, parent, record)\n"
    "VALUES (?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name,\n"
    "  kind = excluded.kind, parent = excluded.parent,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO metrics(id, name, unit, higher_is_better, framework, record)\n"
    "VALUES (?, ?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name,\n"
    "  unit = excluded.unit, higher_is_better = excluded.higher_is_better,\n"
    "  framework = excluded.framework,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO questions(id, text, framework, scale_min, scale_max,\n"
    "  outcome, resolved_on, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET text = excluded.text,\n"
    "  framework = excluded.framework, scale_min = excluded.scale_min,\n"
    "  scale_max = excluded.scale_max, outcome = excluded.outcome,\n"
    "  resolved_on = excluded.resolved_on,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    /* A claim's rowid is its import order (seq): a replaced claim is
       deleted and stored anew (write_claim). */
    "INSERT INTO claims(rowid, id, seq, kind, source, actor, locator, quote,\n"
    "  as_of, tags, question, stance, entity, metric, period, period_end,\n"
    "  value, lo, hi, qualifier, quantity, unit, record)\n"
    "VALUES (?2, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,\n"
    "  ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
    "INSERT INTO scripts(name, lua, seq, record) VALUES (?, ?, ?, ?)\n"
    "ON CONFLICT(name) DO UPDATE SET lua = excluded.lua, seq = excluded.seq,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
};

/* A claim under its content id: the same id is the same claim, stored
   already (write_claim checks the rare exception). */
static const char insert_claim_sql[] =
    "INSERT OR IGNORE INTO claims(rowid, id, seq, kind, source, actor,\n"
    "  locator, quote, as_of, tags, question, stance, entity, metric, period,\n"
    "  period_end, value, lo, hi, qualifier, quantity, unit, record)\n"
    "VALUES (?2, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,\n"
    "  ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";

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

static int import_begin(ck_db *db, importer *imp) {
  memset(imp, 0, sizeof *imp);
  imp->db = db;
  imp->nested = !sqlite3_get_autocommit(db->sql);
  if (db->readonly)
    return db_error(db, CK_READONLY,
                    "the database was opened read-only; nothing imported");
  /* Inside a transaction already open on the handle (a hub's pull,
     hub.c), the import is part of it: a savepoint, committed with it. */
  int rc = sqlite3_exec(db->sql,
                        sqlite3_get_autocommit(db->sql)
                            ? "BEGIN IMMEDIATE"
                            : "SAVEPOINT ck_import",
                        NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return db_sql_error(db, rc, "starting the import");
  /* Another tool's edit is settled before the import builds on it. */
  rc = storage_derived_settle(db);
  if (rc == CK_OK)
    rc = storage_exec(
      db,
      "CREATE TEMP TABLE IF NOT EXISTS ck_seen(\n"
      "  kind INTEGER, id TEXT, at TEXT, PRIMARY KEY (kind, id));\n"
      "CREATE TEMP TABLE IF NOT EXISTS ck_deferred_ref(\n"
      "  at TEXT, kind INTEGER, ref TEXT);\n"
      "DELETE FROM ck_seen; DELETE FROM ck_deferred_ref;",
      "preparing the import");
  for (int k = 0; rc == CK_OK && k < R_COUNT; k++) {
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s = ?",
             k == R_ACTOR      ? "weight, region, kind"
             : k == R_SOURCE   ? "published"
             : k == R_QUESTION ? "scale_min, scale_max"
             : k == R_METRIC   ? "unit"
                               : "1",
             list_name[k], k == R_SCRIPT ? "name" : "id");
    if ((rc = storage_prepare(db, sql, &imp->exists[k])) == CK_OK)
      rc = storage_prepare(db, upsert_sql[k], &imp->upsert[k]);
  }
  if (rc == CK_OK)
    rc = storage_prepare(db, insert_claim_sql, &imp->insert_claim);
  if (rc == CK_OK)
    rc = storage_prepare(db, "SELECT record FROM claims WHERE id = ?",
                         &imp->stored);
  if (rc == CK_OK)
    rc = storage_prepare(db, "DELETE FROM claims WHERE id = ?",
                         &imp->replaced);
  if (rc == CK_OK)
    rc = latest_begin(db, &imp->latest);
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
  if (rc == CK_OK)
    rc = storage_prepare(db,
                         "SELECT id, stance FROM claims WHERE kind = 'view' "
                         "AND question = ?1 AND (stance < ?2 OR stance > ?3) "
                         "LIMIT 1",
                         &imp->rescaled);
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

/* References that could not be checked when they were read: the first one
   still missing, in input order. */
static int deferred_checks(importer *imp) {
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
             kind >= 0 && kind < R_CLAIM ? type_name[kind] : "record",
             sqlite3_column_text(st, 2), imp->sheet ? "sheet" : "pack");
    rc = CK_INVALID;
  } else {
    rc = rc == SQLITE_DONE ? CK_OK
                           : db_sql_error(db, rc, "checking references");
  }
  sqlite3_finalize(st);
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
      rc = db_error(imp->db, CK_NOMEM, "out of memory");
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

static int import_end(importer *imp, int rc) {
  ck_db *db = imp->db;
  db->sql_steps = 0;
  if (rc == CK_OK)
    rc = deferred_checks(imp);
  if (rc == CK_OK)
    rc = restore_indexes(imp);
  if (rc == CK_OK) { /* the scripts read the latest claims: settle them */
    rc = latest_end(imp->latest);
    imp->latest = NULL;
  }
  if (rc == CK_OK)
    rc = run_new_scripts(imp);
  if (rc == CK_OK)
    rc = storage_fingerprint_store(db);
  int nested = imp->nested;
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
  return rc;
}

/* ---- packs and JSON Lines ------------------------------------------------ */

static int import_pack(importer *imp, json_t *pack) {
  if (!json_is_object(pack))
    return fail(imp, "", NULL,
                "a claim pack is a JSON object (or JSON Lines with \"type\"), "
                "not %s",
                json_kind(pack));
  const char *key;
  json_t *val;
  json_object_foreach(pack, key, val) {
    int known = strcmp(key, "claimkit") == 0;
    for (int k = 0; !known && k < R_COUNT; k++)
      known = strcmp(key, list_name[k]) == 0;
    if (!known)
      return fail(imp, "", key,
                  "unknown list (a pack has claimkit, sources, actors, "
                  "entities, metrics, frameworks, questions, claims, scripts)");
  }
  json_t *version = json_object_get(pack, "claimkit");
  if (version && !(json_is_integer(version) && json_integer_value(version) == 1))
    return fail(imp, "", "claimkit",
                "unsupported pack format (claimkit %s reads format 1)",
                CK_VERSION);
  for (int k = 0; k < R_COUNT; k++) {
    json_t *list = json_object_get(pack, list_name[k]);
    if (!list)
      continue;
    if (!json_is_array(list))
      return fail(imp, "", list_name[k], "must be a list, not %s",
                  json_kind(list));
    for (size_t i = 0; i < json_array_size(list); i++) {
      char ptr[64];
      snprintf(ptr, sizeof ptr, "/%s/%zu", list_name[k], i);
      int rc = import_record(imp, (enum rec_kind)k, json_array_get(list, i),
                             ptr);
      if (rc != CK_OK)
        return rc;
    }
  }
  return CK_OK;
}

/* A JSON text that did not parse: bad input, or no memory to parse it. */
static int parse_code(const json_error_t *err) {
  return json_error_code(err) == json_error_out_of_memory ? CK_NOMEM
                                                          : CK_INVALID;
}

/* Why a line did not parse, as the import says it (no memory has no
   column: it ran out wherever the parse was). */
static void parse_message(const json_error_t *err, long line,
                          char out[CK_ERRMSG_MAX]) {
  if (parse_code(err) == CK_NOMEM)
    snprintf(out, CK_ERRMSG_MAX, "line %ld: out of memory", line);
  else
    snprintf(out, CK_ERRMSG_MAX, "line %ld, column %d: %s", line,
             err->column, err->text);
}

/* Columns as jansson counts them: characters, not bytes. */
static int columns(const char *s, size_t n) {
  int c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* A raw NUL ends the input wherever it is: no JSON text holds one, and a
   file of them (/dev/zero, an image) is not read to its end first. */
static void nul_message(long line, int column, char out[CK_ERRMSG_MAX]) {
  snprintf(out, CK_ERRMSG_MAX,
           "line %ld, column %d: a NUL byte, which no JSON text holds "
           "(a claim pack or JSON Lines is UTF-8 text; is this a binary "
           "file?)",
           line, column);
}

static int blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
      return 0;
  return 1;
}

/* The kind of record a line's "type" names, or -1 (import_object() says
   what is wrong). */
static int line_kind(const json_t *rec) {
  const char *type = json_string_value(json_object_get(rec, "type"));
  for (int k = 0; type && k < R_COUNT; k++)
    if (strcmp(type, type_name[k]) == 0)
      return k;
  return -1;
}

static int import_object(importer *imp, json_t *rec) {
  int rc;
  json_t *type = json_object_get(rec, "type");
  if (!json_is_object(rec)) {
    rc = fail(imp, "", NULL,
              "each line of JSON Lines must be an object with \"type\", "
              "not %s",
              json_kind(rec));
  } else if (!json_is_string(type)) {
    rc = fail(imp, "", "type",
              type ? "must be a string" : "missing (source, actor, entity, "
                                          "metric, framework, question, "
                                          "claim or script)");
  } else {
    int k = line_kind(rec);
    if (k < 0) {
      rc = fail(imp, "", "type",
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

/* A line is any JSON value: one that is not an object is refused by
   import_object(), which says what is expected. */
#define LINE_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

static int import_line(importer *imp, const char *s, size_t n, long line) {
  imp->line = line;
  if (blank(s, n))
    return CK_OK;
  json_error_t err;
  json_t *rec = ck_json_loadb(s, n, LINE_FLAGS, &err);
  if (!rec) {
    char why[CK_ERRMSG_MAX];
    parse_message(&err, line, why);
    return db_error(imp->db, parse_code(&err), "%s", why);
  }
  int rc = import_object(imp, rec);
  json_decref(rec);
  return rc;
}

/* ---- the input, line by line ------------------------------------------ */

/* Text in memory, or a file read once from its start to its end: a pipe
   or a device cannot be rewound, and one that never ends (/dev/zero)
   must be refused from what was read, not read to its end.  Every path
   (ck_import_json, a small file, a large file read on two threads) takes
   its lines from here, each without its '\n', so messages are the same
   whichever way the text came. */
typedef struct input {
  FILE *f;          /* NULL: the text is all in buf */
  const char *path; /* of f, for messages */
  const char *buf;
  char *own;        /* buf, when reading a file */
  size_t len, cap;
  long long dropped; /* bytes of the input before buf */
  size_t start;     /* the text starts here (after a BOM) */
  size_t at;        /* the next line starts here */
  size_t scanned;   /* bytes after `at` seen to hold no '\n' and no NUL */
  long line;        /* lines taken */
  int keep;         /* keep what was taken: it may be a pack's start */
  int eof, err;     /* err: errno of a failed read (ENOMEM: no room) */
} input;

enum { SRC_END, SRC_LINE, SRC_NUL, SRC_ERROR };

/* Reads more of the file; 0 when it cannot (src->err says why). */
static int fill(input *src) {
  if (!src->keep && src->at > 0) {
    memmove(src->own, src->own + src->at, src->len - src->at);
    src->dropped += (long long)src->at;
    src->len -= src->at;
    src->at = src->start = 0;
  }
  if (src->len == src->cap) {
    size_t cap = src->cap ? 2 * src->cap : 65536;
    char *grown = cap > src->cap ? realloc(src->own, cap) : NULL;
    if (!grown) {
      src->err = ENOMEM;
      return 0;
    }
    src->buf = src->own = grown;
    src->cap = cap;
  }
  errno = 0;
  size_t n = fread(src->own + src->len, 1, src->cap - src->len, src->f);
  src->len += n;
  if (ferror(src->f)) {
    src->err = errno ? errno : EIO;
    return 0;
  }
  src->eof = n == 0 || feof(src->f);
  return 1;
}

/* The next line in *s, *n: SRC_LINE; SRC_NUL when it holds a NUL (*n
   bytes come before it, and the rest is not read); SRC_END, or
   SRC_ERROR when the file cannot be read on. */
static int next_line(input *src, const char **s, size_t *n) {
  for (;;) {
    const char *line = src->buf + src->at, *from = line + src->scanned;
    size_t avail = src->len - src->at - src->scanned;
    const char *nl = memchr(from, '\n', avail);
    const char *nul =
        src->f ? memchr(from, '\0', nl ? (size_t)(nl - from) : avail) : NULL;
    if (nul || nl || src->eof || !src->f) {
      const char *end = nul ? nul : nl ? nl : src->buf + src->len;
      if (end == line && !nul && !nl)
        return SRC_END;
      *s = line;
      *n = (size_t)(end - line);
      src->line++;
      src->at = (size_t)(end - src->buf) + (nl && !nul);
      src->scanned = 0;
      return nul ? SRC_NUL : SRC_LINE;
    }
    src->scanned += avail;
    if (!fill(src))
      return SRC_ERROR;
  }
}

/* Bytes of the input read so far, and those before the next line. */
static long long input_read(const input *src) {
  return src->dropped + (long long)src->len;
}

static long long input_through(const input *src) {
  return src->dropped + (long long)src->at;
}

/* The rest of the input after what next_line() took, all of it: SRC_END,
   SRC_NUL (src->at is where), or SRC_ERROR.  A pack is parsed whole, so
   its progress is the reading. */
static int read_rest(ck_db *db, input *src) {
  size_t checked = src->at;
  for (;;) {
    progress_set(db, CK_PROGRESS_BYTES, input_read(src));
    const char *nul =
        src->f ? memchr(src->buf + checked, '\0', src->len - checked) : NULL;
    if (nul) {
      src->at = (size_t)(nul - src->buf);
      return SRC_NUL;
    }
    checked = src->len;
    if (!src->f || src->eof)
      return SRC_END;
    if (!fill(src))
      return SRC_ERROR;
  }
}

static void input_text(input *src, const char *text, size_t len) {
  memset(src, 0, sizeof *src);
  src->buf = text;
  src->len = len;
  if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
    src->start = src->at = 3;
}

/* 0 when the file's first bytes cannot be read (src->err). */
static int input_file(input *src, FILE *f, const char *path) {
  memset(src, 0, sizeof *src);
  src->f = f;
  src->path = path;
  src->buf = "";
  while (src->len < 3 && !src->eof)
    if (!fill(src))
      return 0;
  if (src->len >= 3 && memcmp(src->buf, "\xEF\xBB\xBF", 3) == 0)
    src->start = src->at = 3;
  return 1;
}

/* Why next_line() or read_rest() stopped short (got: SRC_NUL or
   SRC_ERROR); for a NUL, the line it is on and what came before it. */
static int input_failed(ck_db *db, const input *src, int got, long line,
                        const char *s, size_t n) {
  char why[CK_ERRMSG_MAX];
  if (got == SRC_NUL) {
    nul_message(line, columns(s, n) + 1, why);
    return db_error(db, CK_INVALID, "%s", why);
  }
  char after[48] = "";
  if (line > 0)
    snprintf(after, sizeof after, " after line %ld", line);
  return db_error(db, src->err == ENOMEM ? CK_NOMEM : CK_IO,
                  "cannot read '%s'%s: %s", src->path, after,
                  strerror(src->err));
}

/* ---- packs and JSON Lines, from an input ------------------------------ */

enum { IS_PACK, IS_LINES, IS_NEITHER, IS_NOMEM };

/* What the first non-blank line says the input is: JSON Lines when it is
   on its own an object with a "type" (a pack spread over lines does not
   parse line by line); neither when it is on its own a value that is no
   object (*what says which); else a pack. */
static int first_line_kind(const char *s, size_t n, const char **what) {
  json_error_t err;
  json_t *v = ck_json_loadb(s, n, JSON_DECODE_ANY, &err);
  if (!v)
    return parse_code(&err) == CK_NOMEM ? IS_NOMEM : IS_PACK;
  int kind = !json_is_object(v)                          ? IS_NEITHER
             : json_is_string(json_object_get(v, "type")) ? IS_LINES
                                                          : IS_PACK;
  *what = json_kind(v);
  json_decref(v);
  return kind;
}

static int neither(ck_db *db, long line, int column, const char *what) {
  return db_error(db, CK_INVALID,
                  "line %ld, column %d: expected a claim pack (one JSON "
                  "object) or JSON Lines (an object with \"type\" on each "
                  "line), not %s",
                  line, column, what);
}

static int import_lines(importer *imp, input *src);

/* A pack: the text from its start (kept) to the end of the input. */
static int import_pack_text(ck_db *db, input *src, long line, int column) {
  int got = read_rest(db, src);
  if (got != SRC_END) {
    long at_line = 1;
    size_t from = src->start;
    for (size_t i = src->start; got == SRC_NUL && i < src->at; i++)
      if (src->buf[i] == '\n')
        at_line++, from = i + 1;
    return input_failed(db, src, got, at_line, src->buf + from,
                        src->at - from);
  }
  importer imp;
  int rc = import_begin(db, &imp);
  if (rc != CK_OK)
    return import_end(&imp, rc);
  json_error_t err;
  json_t *pack = ck_json_loadb(src->buf + src->start, src->len - src->start,
                               JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
  if (!pack && parse_code(&err) == CK_NOMEM)
    rc = db_error(db, CK_NOMEM, "out of memory");
  else if (!pack)
    rc = db_error(db, CK_INVALID, "line %d, column %d: %s", err.line,
                  err.column, err.text);
  else if (!json_is_object(pack))
    rc = neither(db, line, column, json_kind(pack));
  else
    rc = import_pack(&imp, pack);
  json_decref(pack);
  return import_end(&imp, rc);
}

/* A claim pack or JSON Lines, told apart by the first non-blank line. */
static int import_input(ck_db *db, input *src) {
  const char *s = NULL;
  size_t n = 0;
  int got;
  src->keep = 1;
  while ((got = next_line(src, &s, &n)) == SRC_LINE && blank(s, n))
    continue;
  if (got == SRC_END)
    return db_error(db, CK_INVALID,
                    "the input is empty: expected a claim pack or JSON Lines");
  if (got != SRC_LINE)
    return input_failed(db, src, got, src->line, s, n);
  size_t lead = 0;
  while (blank(s + lead, 1))
    lead++;
  int column = columns(s, lead) + 1;
  const char *what = "";
  int kind = first_line_kind(s, n, &what);
  if (kind == IS_NOMEM)
    return db_error(db, CK_NOMEM, "out of memory");
  if (kind == IS_NEITHER)
    return neither(db, src->line, column, what);
  if (kind == IS_PACK)
    return import_pack_text(db, src, src->line, column);
  src->keep = 0;
  importer imp;
  int rc = import_begin(db, &imp);
  if (rc == CK_OK)
    rc = import_line(&imp, s, n, src->line);
  if (rc == CK_OK) {
    progress_set(db, CK_PROGRESS_BYTES, input_through(src));
    rc = import_lines(&imp, src);
  }
  return import_end(&imp, rc);
}

CK_API int ck_import_json(ck_db *db, const char *json) {
  if (!db)
    return CK_MISUSE;
  if (db_enter(db) != CK_OK)
    return CK_MISUSE;
  if (!json)
    return db_error(db, CK_MISUSE, "ck_import_json: json is NULL");
  input src;
  size_t len = strlen(json);
  input_text(&src, json, len);
  progress_begin(db, (long long)len);
  return progress_end(db, import_input(db, &src), (long long)len);
}

/* ---- a large JSON Lines file, read on a second thread -------------------- */

/* Parsing JSON and writing claims' canonical text take as long as storing
   them: for a large file a reader thread does the first two, ahead of the
   import on the other core, while SQLite stores.  The import takes the
   lines in order and does everything that reads or writes the database;
   the reader touches only its own lines (no handle, no SQL), so messages
   and outcomes are those of the one-thread import.  Lines pass between
   the two a batch at a time: handing them over one by one costs each
   thread a lock, and often a sleep and a wake-up, per line. */

#define BATCH_LINES 128
#define AHEAD_LINES (64 * BATCH_LINES)

typedef struct parsed {
  long line;
  long long through; /* bytes of the input up to the next line */
  json_t *rec;   /* NULL: a claim read ahead, a parse error, or the end */
  int parse_rc;  /* a line that did not parse: CK_INVALID or CK_NOMEM */
  char *parse_error; /* and why (NULL: no memory to say it) */
  int end, read_errno;
  int kind; /* of a record whose "type" the reader took out, else -1 */
  ahead ahead;
} parsed;

typedef struct batch {
  parsed line[BATCH_LINES];
  size_t n;
} batch;

/* What the import is done with of a line, freed on the reader's side:
   freeing a parsed line costs about as much as storing it, and more on a
   thread that did not allocate it. */
typedef struct leftover {
  json_t *rec;
  char *stored, *texts, *tags;
} leftover;

typedef struct reader {
  input *src; /* the reader's alone until it is joined */
  pthread_mutex_t mu;
  pthread_cond_t more, room;
  parsed ring[AHEAD_LINES];
  size_t head, count;
  int reader_waits, importer_waits;
  /* The import fills done[done_at] while the reader frees the other. */
  leftover done[2][AHEAD_LINES];
  int done_at;
  size_t ndone;
  int stop;
  batch filling, taking; /* the reader's and the import's own */
  importer pure;          /* the reader's, to read claims with */
} reader;

/* What a claim's texts will be, worked out before the import needs them:
   nothing when the claim is not well formed (the import says why). */
static void work_ahead(json_t *rec, ahead *a) {
  json_t *idv = json_object_get(rec, "id"), *pv = json_object_get(rec, "period");
  const char *id = NULL, *period = json_string_value(pv);
  char iso[CK_PERIOD_MAX] = "";
  if (idv && !(json_is_string(idv) && id_valid(id = json_string_value(idv))))
    return;
  if (pv && (!period || period_normalise(period, iso) != 0))
    return;
  if (!id && (!period || strcmp(period, iso) == 0)) {
    a->stored = claim_with_content_id(rec, a->content_id);
    return;
  }
  if (!id) { /* as written, and stored with its period in ISO form */
    content_id(rec, a->content_id);
    id = a->content_id;
  }
  if (*id)
    a->stored = claim_text(rec, id, period, iso);
}

/* The texts of a claim read ahead copied into a block of its own, so that
   its record can be freed at once: a parsed record takes several times
   the memory of its claim, and the fewer bytes a line ahead holds, the
   more lines the reader can read ahead while SQLite is busy. */
static int own_texts(ahead *a) {
  claim_row *c = &a->claim;
  const char **field[] = {&c->id,       &c->actor,  &c->source, &c->locator,
                          &c->quote,    &c->as_of,  &c->question, &c->entity,
                          &c->metric,   &c->period, &c->unit,   &c->quantity};
  size_t n = sizeof field / sizeof *field, len = 0;
  for (size_t i = 0; i < n; i++)
    if (*field[i])
      len += strlen(*field[i]) + 1;
  char *at = a->texts = malloc(len ? len : 1);
  if (!at)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (*field[i]) {
      size_t k = strlen(*field[i]) + 1;
      memcpy(at, *field[i], k);
      *field[i] = at;
      at += k;
    }
  return 1;
}

/* The claim checked as far as it can be without the database; when it
   passes, it is kept on its own and its record freed. */
static void read_ahead(importer *pure, json_t **rec, ahead *a) {
  memcpy(pure->ahead.content_id, a->content_id, sizeof a->content_id);
  a->read = a->stored && read_claim(pure, *rec, "", &a->claim) == CK_OK;
  if (a->read && own_texts(a)) {
    json_decref(*rec);
    *rec = NULL;
  }
}

/* What a line holds, taken out of it. */
static leftover take_leftover(json_t **rec, ahead *a) {
  leftover l = {*rec, a->stored, a->texts, a->claim.tags};
  *rec = NULL;
  memset(a, 0, sizeof *a);
  return l;
}

static void leftover_free(leftover *l) {
  json_decref(l->rec);
  free(l->stored);
  free(l->texts);
  free(l->tags);
}

static void parsed_free(parsed *p) {
  leftover l = take_leftover(&p->rec, &p->ahead);
  leftover_free(&l);
  free(p->parse_error);
}

/* Moves the reader's batch into the ring, waiting for room, and frees
   what the import handed back.  0 when the import has stopped (the batch
   is left to the caller). */
static int push(reader *r, batch *b) {
  pthread_mutex_lock(&r->mu);
  while (AHEAD_LINES - r->count < b->n && !r->stop) {
    r->reader_waits = 1;
    pthread_cond_wait(&r->room, &r->mu);
  }
  r->reader_waits = 0;
  int ok = !r->stop;
  if (ok) {
    for (size_t i = 0; i < b->n; i++)
      r->ring[(r->head + r->count + i) % AHEAD_LINES] = b->line[i];
    r->count += b->n;
    b->n = 0;
    if (r->importer_waits)
      pthread_cond_signal(&r->more);
  }
  leftover *done = r->done[r->done_at];
  size_t ndone = r->ndone;
  r->done_at ^= 1;
  r->ndone = 0;
  pthread_mutex_unlock(&r->mu);
  for (size_t i = 0; i < ndone; i++)
    leftover_free(&done[i]);
  return ok;
}

/* The next lines, in b, handing what is in done[0..*ndone) back to the
   reader to free (what it has no room for is freed here). */
static void pop(reader *r, batch *b, leftover *done, size_t *ndone) {
  pthread_mutex_lock(&r->mu);
  size_t give = AHEAD_LINES - r->ndone;
  if (give > *ndone)
    give = *ndone;
  *ndone -= give;
  memcpy(r->done[r->done_at] + r->ndone, done + *ndone, give * sizeof *done);
  r->ndone += give;
  while (r->count == 0) {
    r->importer_waits = 1;
    pthread_cond_wait(&r->more, &r->mu);
  }
  r->importer_waits = 0;
  b->n = r->count < BATCH_LINES ? r->count : BATCH_LINES;
  for (size_t i = 0; i < b->n; i++)
    b->line[i] = r->ring[(r->head + i) % AHEAD_LINES];
  r->head = (r->head + b->n) % AHEAD_LINES;
  r->count -= b->n;
  if (r->reader_waits)
    pthread_cond_signal(&r->room);
  pthread_mutex_unlock(&r->mu);
  for (size_t i = 0; i < *ndone; i++)
    leftover_free(&done[i]);
  *ndone = 0;
}

/* The line the reader took (got: next_line()'s answer) into p. */
static void read_line(reader *r, parsed *p, int got, const char *s, size_t n) {
  p->line = r->src->line;
  p->through = input_through(r->src);
  p->kind = -1;
  if (got == SRC_NUL) {
    char why[CK_ERRMSG_MAX];
    nul_message(p->line, columns(s, n) + 1, why);
    p->parse_rc = CK_INVALID;
    p->parse_error = strdup(why); /* NULL: out of memory, said then */
    return;
  }
  json_error_t err;
  p->rec = ck_json_loadb(s, n, LINE_FLAGS, &err);
  if (!p->rec) {
    char why[CK_ERRMSG_MAX];
    parse_message(&err, p->line, why);
    p->parse_rc = parse_code(&err);
    p->parse_error = strdup(why);
  }
  p->kind = p->rec ? line_kind(p->rec) : -1;
  if (p->kind >= 0)
    json_object_del(p->rec, "type");
  if (p->kind == R_CLAIM) {
    work_ahead(p->rec, &p->ahead);
    read_ahead(&r->pure, &p->rec, &p->ahead);
  }
}

static void *reader_main(void *arg) {
  reader *r = arg;
  batch *b = &r->filling;
  for (;;) {
    parsed *p = &b->line[b->n];
    memset(p, 0, sizeof *p);
    const char *s = NULL;
    size_t n = 0;
    int got = next_line(r->src, &s, &n);
    if (got == SRC_END || got == SRC_ERROR) {
      p->end = 1;
      p->read_errno = got == SRC_ERROR ? r->src->err : 0;
      p->line = r->src->line;
      p->through = input_read(r->src);
      b->n++;
      push(r, b);
      break;
    }
    if (got == SRC_LINE && blank(s, n))
      continue;
    read_line(r, p, got, s, n);
    b->n++;
    if (got == SRC_NUL) { /* the import stops there: read no further */
      push(r, b);
      break;
    }
    if (b->n == BATCH_LINES && !push(r, b))
      break;
  }
  while (b->n) /* what the import stopped before taking */
    parsed_free(&b->line[--b->n]);
  return NULL;
}

/* The rest of a JSON Lines file, read ahead on a second thread: the same
   outcome as import_line() on each line. */
static int import_rest_threaded(importer *imp, input *src) {
  reader *r = calloc(1, sizeof *r);
  if (!r)
    return db_error(imp->db, CK_NOMEM, "out of memory");
  r->src = src;
  r->pure.pure = 1;
  pthread_t thread;
  int rc = CK_OK;
  if (pthread_mutex_init(&r->mu, NULL) || pthread_cond_init(&r->more, NULL) ||
      pthread_cond_init(&r->room, NULL) ||
      pthread_create(&thread, NULL, reader_main, r)) {
    free(r); /* no thread: the caller reads on */
    return -1;
  }
  batch *b = &r->taking;
  leftover done[BATCH_LINES];
  size_t next = 0, ndone = 0;
  for (;;) {
    if (next == b->n) {
      pop(r, b, done, &ndone);
      next = 0;
    }
    parsed *p = &b->line[next++];
    imp->line = p->line;
    if (p->end) {
      if (p->read_errno)
        rc = input_failed(imp->db, src, SRC_ERROR, p->line, NULL, 0);
      break;
    }
    if (p->parse_rc) {
      rc = p->parse_error ? db_error(imp->db, p->parse_rc, "%s", p->parse_error)
                          : db_error(imp->db, CK_NOMEM, "out of memory");
    } else {
      imp->ahead = p->ahead;
      memset(&p->ahead, 0, sizeof p->ahead); /* the import's now */
      rc = p->kind >= 0 ? import_record(imp, (enum rec_kind)p->kind, p->rec, "")
                        : import_object(imp, p->rec);
    }
    done[ndone++] = take_leftover(&p->rec, &imp->ahead);
    parsed_free(p);
    if (rc != CK_OK)
      break;
    progress_set(imp->db, CK_PROGRESS_BYTES, p->through);
  }
  while (next < b->n)
    parsed_free(&b->line[next++]);
  while (ndone)
    leftover_free(&done[--ndone]);
  /* Stop the reader, and drop what it read past the end of the import. */
  pthread_mutex_lock(&r->mu);
  r->stop = 1;
  pthread_cond_signal(&r->room);
  pthread_mutex_unlock(&r->mu);
  pthread_join(thread, NULL);
  while (r->count) {
    parsed_free(&r->ring[r->head]);
    r->head = (r->head + 1) % AHEAD_LINES;
    r->count--;
  }
  while (r->ndone)
    leftover_free(&r->done[r->done_at][--r->ndone]);
  pthread_cond_destroy(&r->more);
  pthread_cond_destroy(&r->room);
  pthread_mutex_destroy(&r->mu);
  free(r);
  return rc;
}

/* A regular file large enough to be worth a second thread: its size,
   else -1. */
static long long threaded_size(const importer *imp, const input *src) {
  struct stat st;
  if (!src->f || fstat(fileno(src->f), &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size <= imp->db->threaded_bytes)
    return -1;
  return st.st_size;
}

/* The lines after the first. */
static int import_lines(importer *imp, input *src) {
  int rc = CK_OK;
  long long size = threaded_size(imp, src);
  if (size >= 0 && defer_worthwhile(imp, size))
    rc = defer_indexes(imp);
  if (size >= 0 && rc == CK_OK) {
    rc = import_rest_threaded(imp, src);
    if (rc >= 0)
      return rc;
    rc = CK_OK; /* no thread to be had: one will do */
  }
  const char *s = NULL;
  size_t n = 0;
  int got = SRC_END;
  while (rc == CK_OK && (got = next_line(src, &s, &n)) == SRC_LINE) {
    rc = import_line(imp, s, n, src->line);
    if (rc == CK_OK)
      progress_set(imp->db, CK_PROGRESS_BYTES, input_through(src));
  }
  if (rc == CK_OK && got != SRC_END)
    rc = input_failed(imp->db, src, got, src->line, s, n);
  return rc;
}

/* ---- claim sheets ---------------------------------------------------------- */

/* Ends with ".csv", in any case. */
static int is_sheet(const char *path) {
  size_t n = strlen(path);
  if (n < 4)
    return 0;
  const char *e = path + n - 4;
  return e[0] == '.' && (e[1] | 32) == 'c' && (e[2] | 32) == 's' &&
         (e[3] | 32) == 'v';
}

/* A sheet of claims, a row each after a header naming their fields: each
   row is checked and stored as the claim object it states. */
static int import_sheet(ck_db *db, FILE *f, const char *path) {
  importer imp;
  int rc = import_begin(db, &imp);
  if (rc != CK_OK)
    return import_end(&imp, rc);
  imp.sheet = path;
  sheet_reader r;
  sheet_columns cols = {0};
  sheet_open(&r, f);
  char msg[CK_ERRMSG_MAX];
  const char *err;
  int got, have_header = 0;
  while (rc == CK_OK && (got = sheet_next(&r, &err)) != 0) {
    imp.line = r.record_line;
    if (got == SHEET_NOMEM)
      rc = db_error(db, CK_NOMEM, "out of memory reading '%s'", path);
    else if (got == SHEET_IO)
      rc = db_error(db, CK_IO, "cannot read '%s' after line %ld: %s", path,
                    r.lineno, strerror(errno ? errno : EIO));
    else if (got < 0)
      rc = fail(&imp, "", NULL, "%s", err);
    if (got < 0)
      break;
    if (sheet_blank(&r))
      continue;
    if (!have_header) {
      if (sheet_header(&r, &cols, msg, sizeof msg) != 0)
        rc = *msg ? fail(&imp, "", NULL, "%s", msg)
                  : db_error(db, CK_NOMEM, "out of memory");
      have_header = 1;
      continue;
    }
    const char *column;
    int source;
    json_t *claim = sheet_claim(&r, &cols, &column, &source, msg, sizeof msg);
    if (!claim) {
      rc = *msg ? fail(&imp, "", column, "%s", msg)
                : db_error(db, CK_NOMEM, "out of memory");
      break;
    }
    /* A row of type "source" is the source its claims come from (a
       draft's sheet carries it): its cells are the source's fields. */
    rc = import_record(&imp, source ? R_SOURCE : R_CLAIM, claim, "");
    json_decref(claim);
    if (rc == CK_OK)
      progress_set(db, CK_PROGRESS_BYTES, r.consumed + (long long)r.pos);
  }
  if (rc == CK_OK)
    progress_set(db, CK_PROGRESS_BYTES, r.consumed + (long long)r.pos);
  if (rc == CK_OK && !have_header)
    rc = db_error(db, CK_INVALID,
                  "'%s' is empty: a claim sheet starts with a header row "
                  "naming claim fields (source, actor, question, stance, "
                  "entity, metric, value, ...)",
                  path);
  sheet_columns_free(&cols);
  sheet_close(&r);
  return import_end(&imp, rc);
}

CK_API int ck_import_file(ck_db *db, const char *path) {
  if (!db)
    return CK_MISUSE;
  if (db_enter(db) != CK_OK)
    return CK_MISUSE;
  if (!path)
    return db_error(db, CK_MISUSE, "ck_import_file: path is NULL");
  FILE *f = fopen(path, "rb");
  struct stat st;
  /* The size before RUNNING: a poller sees one total per import. */
  progress_begin(db, f && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)
                         ? (long long)st.st_size
                         : 0);
  if (!f) {
    int failed =
        db_error(db, CK_IO, "cannot open '%s': %s", path, strerror(errno));
    return progress_end(db, failed, 0);
  }
  int rc;
  long long read;
  if (is_sheet(path)) {
    rc = import_sheet(db, f, path);
    read = progress_get(db, CK_PROGRESS_BYTES);
  } else {
    input src;
    rc = input_file(&src, f, path)
             ? import_input(db, &src)
             : input_failed(db, &src, SRC_ERROR, 0, NULL, 0);
    read = input_read(&src);
    free(src.own);
  }
  fclose(f);
  return progress_end(db, rc, read);
}

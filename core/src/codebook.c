/*
** codebook.c -- the names a database's records go by in texts (actors',
** entities' and metrics' names and aliases) and the phrases that voice a
** stance on a question (cues), found in a text for draft().
**
** A mention is a term found in the text.  ASCII letters match without
** regard to case, and a term that begins (ends) with an ASCII letter or
** digit does not match right after (before) another one: "V4" is not in
** "V45", "deep sick" not in "deep sickness".  Where mentions overlap the
** longest wins, but entities and metrics do not compete (a metric's name
** may hold an entity's: 汽车 in 汽车交付量), and the same words may name
** an actor and an entity at once (a lab that speaks and is spoken of);
** between two records of one kind with the same term, the first by id.  Cues are found the same way but
** do not compete with mentions or with each other: draft() picks among
** them by sentence.
**
** The matching is pure (no SQL).  Terms are kept case-folded and sorted,
** and each position of the text walks them as a trie: the range of terms
** that share the text's next d bytes narrows by one binary search a byte,
** so a position costs (bytes matched) x log(terms), however many terms
** share a prefix (中信证券, 中信建投, 中金...).  codebook_load(), at the
** end, is the one part that reads the database.
*/
#include "internal.h"
#include "codebook.h"
#include "storage.h"

#include <stdlib.h>
#include <string.h>

static unsigned char fold(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int ascii_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

void codebook_init(codebook *cb) { memset(cb, 0, sizeof *cb); }

void codebook_free(codebook *cb) {
  for (int k = 0; k < CB_KINDS; k++) {
    for (size_t i = 0; i < cb->nids[k]; i++)
      free(cb->ids[k][i]);
    free(cb->ids[k]);
  }
  for (size_t i = 0; i < cb->nterms; i++)
    free(cb->terms[i].text);
  for (size_t i = 0; i < cb->nmetrics; i++) {
    free(cb->metrics[i].id);
    free(cb->metrics[i].unit);
    free(cb->metrics[i].change_of);
  }
  free(cb->metrics);
  free(cb->terms);
  free(cb->order);
  memset(cb, 0, sizeof *cb);
}

int codebook_record(codebook *cb, int kind, const char *id) {
  size_t n = cb->nids[kind];
  if (n && strcmp(cb->ids[kind][n - 1], id) == 0)
    return (int)n - 1; /* the loader gives a record's terms together */
  if (n >= (size_t)1 << 30)
    return -1;
  char **ids = realloc(cb->ids[kind], (n + 1) * sizeof *ids);
  if (!ids)
    return -1;
  cb->ids[kind] = ids;
  if (!(ids[n] = strdup(id)))
    return -1;
  cb->nids[kind] = n + 1;
  return (int)n;
}

int codebook_term(codebook *cb, int kind, int record, const char *text,
                  size_t len, int stance) {
  /* a blank term would match everywhere; an empty name is no name */
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
    i++;
  if (i == len)
    return 0;
  if (cb->nterms == cb->cap) {
    size_t cap = cb->cap ? 2 * cb->cap : 64;
    cb_term *t = realloc(cb->terms, cap * sizeof *t);
    if (!t)
      return -1;
    cb->terms = t;
    cb->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy)
    return -1;
  for (size_t k = 0; k < len; k++) /* kept folded: matched folded */
    copy[k] = (char)fold((unsigned char)text[k]);
  copy[len] = '\0';
  size_t chars = 0;
  for (size_t k = 0; k < len; k++)
    chars += ((unsigned char)text[k] & 0xc0) != 0x80;
  cb->terms[cb->nterms++] = (cb_term){copy, len, chars, kind, record, stance};
  free(cb->order); /* the index is out of date */
  cb->order = NULL;
  return 0;
}

/* The terms sorted by their bytes, a prefix before what it begins, then
   in the order they were added (the first by id wins a tie). */
static int by_bytes(const void *a, const void *b) {
  const cb_term *x = *(const cb_term *const *)a, *y = *(const cb_term *const *)b;
  int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
  if (c)
    return c;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return x < y ? -1 : x > y; /* one array: the order they were added */
}

static int build_index(codebook *cb) {
  size_t n = cb->nterms ? cb->nterms : 1;
  const cb_term **sorted = malloc(n * sizeof *sorted);
  uint32_t *order = malloc(n * sizeof *order);
  if (!sorted || !order) {
    free(sorted);
    free(order);
    return -1;
  }
  for (size_t i = 0; i < cb->nterms; i++)
    sorted[i] = &cb->terms[i];
  qsort(sorted, cb->nterms, sizeof *sorted, by_bytes);
  for (size_t i = 0; i < cb->nterms; i++)
    order[i] = (uint32_t)(sorted[i] - cb->terms);
  free(sorted);
  cb->order = order;
  return 0;
}

/* ASCII words stay whole: no match right after or before a letter or a
   digit that the term's own first or last byte would continue. */
static int whole(const cb_term *t, const char *text, size_t len, size_t i) {
  if (ascii_word((unsigned char)t->text[0]) && i > 0 &&
      ascii_word((unsigned char)text[i - 1]))
    return 0;
  return !(ascii_word((unsigned char)t->text[t->len - 1]) && i + t->len < len &&
           ascii_word((unsigned char)text[i + t->len]));
}

/* In order[lo, hi), whose terms all run past byte d, the first whose
   byte d is at least c (above: more than c). */
static size_t bound(const codebook *cb, size_t lo, size_t hi, size_t d,
                    unsigned char c, int above) {
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    unsigned char m = (unsigned char)cb->terms[cb->order[mid]].text[d];
    if (m < c || (above && m == c))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

typedef struct hits {
  cb_hit *at;
  size_t n, cap;
} hits;

static int add_hit(hits *h, cb_hit hit, long long *room) {
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 32;
    if (room) {
      if (*room < 0 || (cap - h->cap) * sizeof *h->at > (size_t)*room) {
        *room = -1;
        return -1;
      }
      *room -= (long long)((cap - h->cap) * sizeof *h->at);
    }
    cb_hit *a = realloc(h->at, cap * sizeof *a);
    if (!a)
      return -1;
    h->at = a;
    h->cap = cap;
  }
  h->at[h->n++] = hit;
  return 0;
}

/* Longest in characters: 芯片收入 is longer than AI芯片 by none, though
   it has more bytes. */
static int longest_first(const void *a, const void *b) {
  const cb_hit *x = a, *y = b;
  size_t lx = x->chars, ly = y->chars;
  if (lx != ly)
    return lx > ly ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return x->record < y->record ? -1 : x->record > y->record;
}

static int in_order(const void *a, const void *b) {
  const cb_hit *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  if (x->record != y->record)
    return x->record < y->record ? -1 : 1;
  return x->stance < y->stance ? -1 : x->stance > y->stance;
}

/* Do kinds x and y compete for the same words?  Entities and metrics do
   not: in 汽车交付量 the metric's name holds the entity 汽车.  An actor
   competes with both (招商 in 招商银行 is the bank, not the broker), but
   for the very same words (a lab that speaks and is spoken of). */
static int compete(int x, int y) {
  return x == y || x == CB_ACTOR || y == CB_ACTOR;
}

/* The longest of overlapping mentions that compete: `owner[kind]` says
   which kept hit of that kind holds each byte (index + 1, 0 none). */
static int resolve(hits *m, long long *room) {
  if (m->n == 0)
    return 0;
  qsort(m->at, m->n, sizeof *m->at, longest_first);
  size_t len = 0;
  for (size_t i = 0; i < m->n; i++)
    len = m->at[i].end > len ? m->at[i].end : len;
  if (room) {
    if (*room < 0 || len * CB_CUE * sizeof(uint32_t) > (size_t)*room) {
      *room = -1;
      return -1;
    }
  }
  uint32_t *owner = calloc(len * CB_CUE, sizeof *owner);
  if (!owner)
    return -1;
  size_t kept = 0;
  for (size_t i = 0; i < m->n; i++) {
    cb_hit h = m->at[i];
    int ok = 1;
    for (int x = 0; x < CB_CUE && ok; x++) {
      const uint32_t *own = owner + (size_t)x * len;
      if (!compete(h.kind, x))
        continue;
      for (size_t k = h.start; k < h.end && ok; k++) {
        const cb_hit *o = own[k] ? &m->at[own[k] - 1] : NULL;
        ok = !o || (x != h.kind && o->start == h.start && o->end == h.end);
      }
    }
    if (!ok)
      continue;
    m->at[kept] = h; /* kept <= i: the hits still to come are after it */
    uint32_t *own = owner + (size_t)h.kind * len;
    for (size_t k = h.start; k < h.end; k++)
      own[k] = (uint32_t)(kept + 1);
    kept++;
  }
  free(owner);
  m->n = kept;
  return 0;
}

int codebook_find(codebook *cb, const char *text, size_t len,
                  cb_hit **mentions, size_t *nmentions, cb_hit **cues,
                  size_t *ncues, long long *room) {
  hits m = {NULL, 0, 0}, c = {NULL, 0, 0};
  *mentions = *cues = NULL;
  *nmentions = *ncues = 0;
  if (cb->nterms == 0 || len == 0)
    return 0;
  if (!cb->order && build_index(cb)) /* built on the first find */
    return -1;
  for (size_t i = 0; i < len; i++) {
    if (((unsigned char)text[i] & 0xc0) == 0x80)
      continue; /* inside a character */
    /* order[lo, hi): the terms that begin with the text's d bytes at i */
    size_t lo = 0, hi = cb->nterms;
    for (size_t d = 0; lo < hi; d++) {
      for (; lo < hi && cb->terms[cb->order[lo]].len == d; lo++) {
        const cb_term *t = &cb->terms[cb->order[lo]];
        if (!whole(t, text, len, i))
          continue;
        cb_hit h = {i, i + t->len, t->chars, t->kind, t->record, t->stance};
        if (add_hit(t->kind == CB_CUE ? &c : &m, h, room)) {
          free(m.at);
          free(c.at);
          return -1;
        }
      }
      if (lo == hi || i + d >= len)
        break;
      unsigned char byte = fold((unsigned char)text[i + d]);
      size_t from = bound(cb, lo, hi, d, byte, 0);
      hi = bound(cb, from, hi, d, byte, 1);
      lo = from;
    }
  }
  if (resolve(&m, room)) {
    free(m.at);
    free(c.at);
    return -1;
  }
  if (m.n)
    qsort(m.at, m.n, sizeof *m.at, in_order);
  if (c.n)
    qsort(c.at, c.n, sizeof *c.at, in_order);
  *mentions = m.at;
  *nmentions = m.n;
  *cues = c.at;
  *ncues = c.n;
  return 0;
}

int codebook_speaker(const codebook *cb, const char *label, size_t len) {
  for (size_t i = 0; i < cb->nterms; i++) {
    const cb_term *t = &cb->terms[i];
    size_t k = 0;
    if (t->kind != CB_ACTOR || t->len != len)
      continue;
    while (k < len && fold((unsigned char)label[k]) == (unsigned char)t->text[k])
      k++;
    if (k == len)
      return t->record;
  }
  return -1;
}

const cb_metric *codebook_metric(const codebook *cb, const char *id) {
  size_t lo = 0, hi = cb->nmetrics;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(cb->metrics[mid].id, id);
    if (c == 0)
      return &cb->metrics[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* ---- from the database ---------------------------------------------------- */

/* The aliases and cues below come from the records: a record another
   tool replaced with another's would lend its terms to the wrong id. */
static int records_of_their_rows(ck_db *db) {
  sqlite3_stmt *st;
  int rc = storage_cached(
      db,
      "SELECT 'actors', id FROM actors WHERE json_extract(record, '$.id') IS "
      "NOT id UNION ALL SELECT 'entities', id FROM entities WHERE "
      "json_extract(record, '$.id') IS NOT id UNION ALL SELECT 'metrics', id "
      "FROM metrics WHERE json_extract(record, '$.id') IS NOT id UNION ALL "
      "SELECT 'questions', id FROM questions WHERE json_extract(record, "
      "'$.id') IS NOT id LIMIT 1",
      &st);
  if (rc != CK_OK)
    return rc;
  int s = sqlite3_step(st);
  if (s == SQLITE_ROW) {
    const char *table = (const char *)sqlite3_column_text(st, 0);
    const char *id = (const char *)sqlite3_column_text(st, 1);
    rc = db_error(db, CK_ERROR,
                  "the database was edited by another tool: the stored "
                  "record of %.16s '%.64s' does not match its row",
                  table ? table : "?", id ? id : "");
  } else if (s != SQLITE_DONE) {
    rc = db_sql_error(db, s, "reading the codebook");
  }
  storage_release(db, st);
  return rc;
}

static char *dup_or_null(const unsigned char *s, int *bad) {
  char *d = s ? strdup((const char *)s) : NULL;
  if (s && !d)
    *bad = 1;
  return d;
}

/* Every metric's unit and change fields, by id (the order of SQLite's
   BINARY collation, strcmp's: codebook_metric() searches them). */
static int load_metrics(ck_db *db, codebook *cb) {
  static const char sql[] =
      "SELECT id, unit, json_type(record, '$.point_in_time'), "
      "json_extract(record, '$.change_of'), json_type(record, '$.change_of'), "
      "json_extract(record, '$.basis'), json_type(record, '$.basis') "
      "FROM metrics ORDER BY id";
  sqlite3_stmt *st;
  int rc = storage_cached(db, sql, &st), bad = 0;
  if (rc != CK_OK)
    return rc;
  size_t cap = 0;
  while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *pit = (const char *)sqlite3_column_text(st, 2);
    const char *of_type = (const char *)sqlite3_column_text(st, 4);
    const char *basis = (const char *)sqlite3_column_text(st, 5);
    const char *basis_type = (const char *)sqlite3_column_text(st, 6);
    if ((pit && strcmp(pit, "true") != 0 && strcmp(pit, "false") != 0) ||
        (of_type && strcmp(of_type, "text") != 0) ||
        (basis_type && (strcmp(basis_type, "text") != 0 ||
                        (strcmp(basis, "yoy") != 0 && strcmp(basis, "qoq") != 0)))) {
      char metric[72]; /* the row's text goes with the statement */
      snprintf(metric, sizeof metric, "%.64s",
               (const char *)sqlite3_column_text(st, 0));
      storage_release(db, st);
      return db_error(db, CK_ERROR,
                      "the database was edited by another tool: metric "
                      "'%s' has a point_in_time, change_of or basis that "
                      "import would refuse",
                      metric);
    }
    if (cb->nmetrics == cap) {
      cap = cap ? 2 * cap : 32;
      cb_metric *m = realloc(cb->metrics, cap * sizeof *m);
      if (!m) {
        bad = 1;
        break;
      }
      cb->metrics = m;
    }
    cb_metric *m = &cb->metrics[cb->nmetrics];
    memset(m, 0, sizeof *m);
    m->id = dup_or_null(sqlite3_column_text(st, 0), &bad);
    m->unit = dup_or_null(sqlite3_column_text(st, 1), &bad);
    m->change_of = dup_or_null(sqlite3_column_text(st, 3), &bad);
    m->point_in_time = pit && strcmp(pit, "true") == 0;
    m->basis = !basis ? CB_BASIS_NONE
               : strcmp(basis, "yoy") == 0 ? CB_BASIS_YOY : CB_BASIS_QOQ;
    cb->nmetrics++; /* freed by codebook_free, whole or not */
    bad |= !m->id;
  }
  storage_release(db, st);
  if (bad)
    return db_nomem(db);
  return rc == SQLITE_DONE ? CK_OK : db_sql_error(db, rc, "reading the codebook");
}

int codebook_source(ck_db *db, const char *id, json_t **out) {
  sqlite3_stmt *st;
  *out = NULL;
  int rc = storage_cached(db, "SELECT record FROM sources WHERE id = ?1", &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *text = (const char *)sqlite3_column_text(st, 0);
    json_error_t err;
    *out = text ? ck_json_loads(text, 0, &err) : NULL;
    if (!*out && text && json_error_code(&err) == json_error_out_of_memory) {
      storage_release(db, st);
      return db_nomem(db);
    }
    if (!json_is_object(*out)) {
      json_decref(*out);
      *out = NULL;
      storage_release(db, st);
      return db_error(db, CK_ERROR,
                      "the database was edited by another tool: source "
                      "'%.64s' is not a JSON object", id);
    }
    rc = SQLITE_DONE;
  }
  storage_release(db, st);
  return rc == SQLITE_DONE ? CK_OK : db_sql_error(db, rc, "reading a source");
}

/* ---- names and cues -------------------------------------------------------- */

/* Every record's name and aliases, and every question's cues, in id
   order.  Values another tool put there are checked as import checks
   them. */
int codebook_load(ck_db *db, codebook *cb) {
  static const char sql[] =
      "SELECT 0, id, name, NULL FROM actors WHERE name IS NOT NULL "
      "UNION ALL SELECT 0, a.id, j.value, j.type FROM actors a, "
      "json_each(a.record, '$.aliases') j "
      "UNION ALL SELECT 1, id, name, NULL FROM entities WHERE name IS NOT NULL "
      "UNION ALL SELECT 1, e.id, j.value, j.type FROM entities e, "
      "json_each(e.record, '$.aliases') j "
      "UNION ALL SELECT 2, id, name, NULL FROM metrics WHERE name IS NOT NULL "
      "UNION ALL SELECT 2, m.id, j.value, j.type FROM metrics m, "
      "json_each(m.record, '$.aliases') j "
      "ORDER BY 1, 2";
  static const char cues_sql[] =
      "SELECT q.id, q.scale_min, q.scale_max, c.key, p.value, p.type "
      "FROM questions q, json_each(q.record, '$.cues') c, json_each(c.value) p "
      "ORDER BY q.id, c.key";
  sqlite3_stmt *st;
  int rc = records_of_their_rows(db);
  if (rc == CK_OK)
    rc = storage_cached(db, sql, &st);
  if (rc != CK_OK)
    return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    /* the types first: reading a column as text converts it */
    int is_text = sqlite3_column_type(st, 2) == SQLITE_TEXT;
    const char *json_type = (const char *)sqlite3_column_text(st, 3);
    int kind = sqlite3_column_int(st, 0);
    const char *id = (const char *)sqlite3_column_text(st, 1);
    const char *term = (const char *)sqlite3_column_text(st, 2);
    int record;
    if (!id || !term || !is_text ||
        (json_type && strcmp(json_type, "text") != 0)) {
      storage_release(db, st);
      return db_error(db, CK_ERROR,
                      "the database was edited by another tool: a name or "
                      "alias that is not text");
    }
    if ((record = codebook_record(cb, kind, id)) < 0 ||
        codebook_term(cb, kind, record, term,
                      (size_t)sqlite3_column_bytes(st, 2), 0)) {
      storage_release(db, st);
      return db_nomem(db);
    }
  }
  storage_release(db, st);
  if (rc != SQLITE_DONE)
    return db_sql_error(db, rc, "reading the codebook");
  if ((rc = storage_cached(db, cues_sql, &st)) != CK_OK)
    return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *id = (const char *)sqlite3_column_text(st, 0);
    long long lo = sqlite3_column_int64(st, 1), hi = sqlite3_column_int64(st, 2);
    const char *key = (const char *)sqlite3_column_text(st, 3);
    const char *phrase = (const char *)sqlite3_column_text(st, 4);
    const char *type = (const char *)sqlite3_column_text(st, 5);
    char *end;
    long long stance = key ? strtoll(key, &end, 10) : 0;
    if (!id || !key || !*key || *end || stance < lo || stance > hi || !phrase ||
        !type || strcmp(type, "text") != 0) {
      char question[72]; /* the row's text goes with the statement */
      snprintf(question, sizeof question, "%.64s", id ? id : "");
      storage_release(db, st);
      return db_error(db, CK_ERROR,
                      "the database was edited by another tool: question "
                      "'%s' has a cue that is not a stance and phrases",
                      question);
    }
    int record = codebook_record(cb, CB_CUE, id);
    if (record < 0 || codebook_term(cb, CB_CUE, record, phrase,
                                    (size_t)sqlite3_column_bytes(st, 4),
                                    (int)stance)) {
      storage_release(db, st);
      return db_nomem(db);
    }
  }
  storage_release(db, st);
  if (rc != SQLITE_DONE)
    return db_sql_error(db, rc, "reading the codebook");
  return load_metrics(db, cb);
}

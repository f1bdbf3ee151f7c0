/*
** names.c -- a record's name or alias where a function takes its id
** (DESIGN §7).
**
** An analyst types 长桥 or "Morgan Stanley", not changbridge-securities.
** The registry hands every argument of a parameter with a record kind
** through here: a text that is an id of that kind stays as it is (an id
** always wins); else the one record whose name or alias it is, compared as
** drafts compare them (ASCII letters in any case, other characters
** exactly), gives its id; several are an error naming them; none leaves
** the text for the function, whose "no actor '...'" says so.
**
** A warm call must not pay for this.  A text that cannot be an id (a
** capital, a space, Chinese) can only be a name, so it is looked up before
** the call.  A text that could be an id is handed to the function as it is;
** only when the function answers CK_NOTFOUND is it checked against its
** table, and, when no record has that id, looked up as a name and the call
** made again (registry.c).  The names of a kind are read once per data
** version, when the first name is looked up, and kept on the handle.
*/
#include "internal.h"
#include "names.h"
#include "storage.h"

#include <stdlib.h>
#include <string.h>

static const struct {
  const char *kind, *table;
} kinds[CK_RECORD_KINDS] = {
    {"actor", "actors"},       {"entity", "entities"},
    {"metric", "metrics"},     {"question", "questions"},
    {"framework", "frameworks"},
};

int names_kind(const char *kind) {
  for (int k = 0; k < CK_RECORD_KINDS; k++)
    if (strcmp(kinds[k].kind, kind) == 0)
      return k;
  return -1;
}

static void map_free(name_map *m) {
  for (size_t i = 0; i < m->n; i++) {
    free(m->e[i].term);
    free(m->e[i].id);
  }
  free(m->e);
  memset(m, 0, sizeof *m);
}

void names_clear(ck_db *db) {
  for (int k = 0; k < CK_RECORD_KINDS; k++)
    map_free(&db->names[k]);
}

/* s with ASCII letters in lower case: the codebook's rule (§8), so that
   "DeepSeek" finds the alias "deepseek" and 大摩 only 大摩. */
static char *fold(const char *s, size_t n) {
  char *f = malloc(n + 1);
  if (!f)
    return NULL;
  for (size_t i = 0; i < n; i++)
    f[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
  f[n] = '\0';
  return f;
}

static int entry_cmp(const void *a, const void *b) {
  const name_entry *x = a, *y = b;
  int c = strcmp(x->term, y->term);
  return c ? c : strcmp(x->id, y->id);
}

/* Reads kind k's names and aliases (text ones: a framework's or a
   question's unchecked fields may hold anything) into m, sorted, each
   (term, id) once. */
static int map_load(ck_db *db, int k, name_map *m) {
  char sql[320];
  snprintf(sql, sizeof sql,
           "SELECT id, json_extract(record, '$.name'), json_type(record, "
           "'$.name') FROM %s UNION ALL SELECT t.id, j.value, j.type FROM "
           "%s t, json_each(t.record, '$.aliases') j",
           kinds[k].table, kinds[k].table);
  sqlite3_stmt *st;
  int rc = storage_cached(db, sql, &st), bad = 0, s;
  if (rc != CK_OK)
    return rc;
  size_t cap = 0;
  while (!bad && (s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(st, 2);
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *term = (const char *)sqlite3_column_text(st, 1);
    if (!type || strcmp(type, "text") != 0 || !id || !term)
      continue;
    if (m->n == cap) {
      cap = cap ? 2 * cap : 64;
      name_entry *e = realloc(m->e, cap * sizeof *e);
      if (!e) {
        bad = 1;
        break;
      }
      m->e = e;
    }
    name_entry *e = &m->e[m->n];
    e->term = fold(term, (size_t)sqlite3_column_bytes(st, 1));
    e->id = strdup(id);
    m->n++; /* freed by map_free, whole or not */
    bad = !e->term || !e->id;
  }
  storage_release(db, st);
  if (bad)
    return db_nomem(db);
  if (s != SQLITE_DONE)
    return db_sql_error(db, s, "reading names");
  if (m->n) /* qsort of a NULL array, even empty, is undefined */
    qsort(m->e, m->n, sizeof *m->e, entry_cmp);
  size_t w = 0;
  for (size_t i = 0; i < m->n; i++)
    if (w && entry_cmp(&m->e[w - 1], &m->e[i]) == 0) {
      free(m->e[i].term);
      free(m->e[i].id);
    } else {
      m->e[w++] = m->e[i];
    }
  m->n = w;
  return CK_OK;
}

/* Kind k's names as of the data the call reads. */
static int names_of(ck_db *db, int k, const name_map **out) {
  name_map *m = &db->names[k];
  long long v = storage_data_version(db);
  if (!m->e || v < 0 || m->version != v) {
    map_free(m);
    int rc = map_load(db, k, m);
    if (rc != CK_OK) {
      map_free(m);
      return rc;
    }
    m->version = v;
  }
  *out = m;
  return CK_OK;
}

/* The entries whose term is `text` folded: [*first, *first + *count). */
static int lookup(const name_map *m, const char *text, size_t *first,
                  size_t *count) {
  char *key = fold(text, strlen(text));
  if (!key)
    return CK_NOMEM;
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(m->e[mid].term, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t n = 0;
  while (lo + n < m->n && strcmp(m->e[lo + n].term, key) == 0)
    n++;
  free(key);
  *first = lo;
  *count = n;
  return CK_OK;
}

/* 1 when kind k has a record with this id, 0 when not, -1 on failure. */
static int id_stored(ck_db *db, int k, const char *id) {
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?", kinds[k].table);
  sqlite3_stmt *st;
  if (storage_cached(db, sql, &st) != CK_OK)
    return -1;
  storage_bind_text(st, 1, id);
  int s = sqlite3_step(st);
  storage_release(db, st);
  if (s == SQLITE_ROW || s == SQLITE_DONE)
    return s == SQLITE_ROW;
  db_sql_error(db, s, "reading ids");
  return -1;
}

/* The message for a name several records share: their ids, the first
   ten. */
static int ambiguous(ck_db *db, const ck_function *fn, int k, const char *text,
                     const name_map *m, size_t first, size_t count) {
  strbuf ids;
  sb_init(&ids);
  for (size_t i = 0; i < count && i < 10; i++)
    sb_printf(&ids, "%s%s", i ? ", " : "", m->e[first + i].id);
  if (count > 10)
    sb_printf(&ids, " and %zu more", count - 10);
  if (ids.oom) {
    sb_free(&ids);
    return db_error(db, CK_NOMEM, "%s: out of memory", fn->name);
  }
  db_error(db, CK_INVALID, "%s: '%.80s' names several %s: %s (give the id)",
           fn->name, text, kinds[k].table, ids.data);
  sb_free(&ids);
  return CK_INVALID;
}

int names_resolve(ck_db *db, const ck_function *fn, json_t **args,
                  int unknown_only, int *changed) {
  *changed = 0;
  int np = fn_nparams(fn);
  for (int i = 0; i < np; i++) {
    if (!fn->params[i].record)
      continue;
    const char *text = json_string_value(args[i]);
    if (!text || !id_valid(text) != !unknown_only)
      continue;
    int k = names_kind(fn->params[i].record);
    if (k < 0)
      continue;
    int stored = unknown_only ? id_stored(db, k, text) : 0;
    if (stored < 0)
      return db->errcode;
    if (stored)
      continue;
    const name_map *m;
    size_t first = 0, count = 0;
    int rc = names_of(db, k, &m);
    if (rc == CK_OK && lookup(m, text, &first, &count) != CK_OK)
      rc = db_error(db, CK_NOMEM, "%s: out of memory", fn->name);
    if (rc != CK_OK)
      return rc;
    if (count > 1)
      return ambiguous(db, fn, k, text, m, first, count);
    if (count == 0)
      continue;
    json_t *id = json_string(m->e[first].id);
    if (!id)
      return db_error(db, CK_NOMEM, "%s: out of memory", fn->name);
    json_decref(args[i]);
    args[i] = id;
    (*changed)++;
  }
  return CK_OK;
}

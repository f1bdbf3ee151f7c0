/*
** api.c -- the handle's life and the entry points of claimkit.h that are
** not import or export.
*/
#include "internal.h"
#include "lua_host.h"
#include "canon.h"
#include "storage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

CK_API const char *ck_version(void) { return CK_VERSION; }

CK_API int ck_version_number(void) { return CK_VERSION_NUMBER; }

CK_API const char *ck_errstr(int rc) {
  switch (rc) {
  case CK_OK: return "not an error";
  case CK_ERROR: return "error";
  case CK_INVALID: return "bad input";
  case CK_NOTFOUND: return "not found";
  case CK_NOMEM: return "out of memory";
  case CK_IO: return "file or database I/O error";
  case CK_BUSY: return "database is locked";
  case CK_SCRIPT: return "script error";
  case CK_MISUSE: return "library misuse";
  case CK_READONLY: return "database is read-only";
  default: return "unknown status code";
  }
}

CK_API const char *ck_errname(int rc) {
  static const char *const names[] = {
      "CK_OK", "CK_ERROR", "CK_INVALID", "CK_NOTFOUND", "CK_NOMEM",
      "CK_IO", "CK_BUSY",  "CK_SCRIPT",  "CK_MISUSE",   "CK_READONLY"};
  return rc >= 0 && rc < (int)(sizeof names / sizeof *names) ? names[rc]
                                                             : NULL;
}

CK_API int ck_open(const char *path, int flags, ck_db **out) {
  if (!out)
    return CK_MISUSE;
  ck_json_alloc_install();
  ck_db *db = calloc(1, sizeof *db);
  *out = db;
  if (!db)
    return CK_NOMEM;
  db->lua_memory = 64LL << 20;
  db->lua_steps = 100000000LL;
  db->busy_ms = 5000;
  db->sql_limit = 1000000000LL;
  db->defer_claims = CK_DEFER_CLAIMS;
  db->latest_batch = CK_LATEST_BATCH;
  db->pack_window = CK_PACK_WINDOW;
  db->threaded_bytes = CK_THREADED_BYTES;
  db->result_room = -1;
  for (int i = 0; i <= CK_PROGRESS_RUNNING; i++)
    atomic_init(&db->progress[i], 0);
  if (flags & ~CK_OPEN_READONLY)
    return db_error(db, CK_MISUSE, "ck_open: unknown flags 0x%x", flags);
  int rc = registry_init(db);
  if (rc == CK_OK)
    rc = storage_open(db, path, flags);
  if (rc != CK_OK && db->sql) {
    /* Later calls on this handle are misuse; its message stays readable. */
    storage_cache_clear(db);
    sqlite3_close_v2(db->sql);
    db->sql = NULL;
  }
  /* A stored script that fails is reported, but the database stays open
     and whole: the data does not depend on it. */
  if (rc == CK_OK) {
    int began;
    db->sql_steps = 0;
    rc = storage_read_begin(db, &began);
    if (rc == CK_OK)
      rc = lua_host_run_stored(db);
    storage_read_end(db, began);
  }
  return rc;
}

CK_API int ck_interrupt(ck_db *db) {
  if (!db)
    return CK_MISUSE;
  atomic_store_explicit(&db->cancel, 1, memory_order_relaxed);
  return CK_OK;
}

CK_API int ck_close(ck_db *db) {
  if (!db)
    return CK_OK;
  lua_host_close(db);
  cache_clear(db);
  names_clear(db);
  storage_cache_clear(db);
  if (db->sql)
    sqlite3_close_v2(db->sql);
  registry_free(db);
  free(db->result);
  free(db);
  return CK_OK;
}

CK_API int ck_errcode(const ck_db *db) { return db ? db->errcode : CK_MISUSE; }

CK_API const char *ck_errmsg(const ck_db *db) {
  if (!db)
    return "NULL database handle";
  if (db->errcode == CK_OK)
    return "not an error";
  return db->errmsg[0] ? db->errmsg : ck_errstr(db->errcode);
}

/* A call's answer: its JSON text, and its number when it is one. */
typedef struct answer {
  char *text; /* owned */
  double num;
  int numeric;
} answer;

/* One registry call from outside: from the handle's cache when the data
   has not changed since, else computed in one snapshot of the data (one
   budget) and kept.  `key` names the arguments in the cache (NULL: not
   kept). */
static int call_outside(ck_db *db, const char *function, json_t *args,
                        const char *args_json, const char *key, answer *a) {
  memset(a, 0, sizeof *a);
  a->num = NAN;
  if (db_enter(db) != CK_OK)
    return CK_MISUSE;
  int fresh = key && cache_fresh(db);
  const cache_entry *e = fresh ? cache_get(db, function, key) : NULL;
  if (e) {
    a->num = e->num;
    a->numeric = e->numeric;
    return (a->text = strdup(e->text)) ? CK_OK : db_nomem(db);
  }
  ck_result r;
  int began, rc = storage_read_begin(db, &began);
  if (rc == CK_OK)
    rc = args ? registry_call_json(db, function, args, &r)
              : registry_call(db, function, args_json, &r);
  storage_read_end(db, began);
  if (rc != CK_OK)
    return rc;
  db_begin_call(db); /* errors a Lua function caught are not the call's */
  strbuf sb;
  sb_init(&sb);
  if (r.is_num)
    canon_number(&sb, r.num);
  else
    canon_dump(&sb, r.json, 0, 0, 0);
  a->numeric = r.is_num || json_is_number(r.json) || json_is_boolean(r.json);
  a->num = r.is_num                  ? r.num
           : json_is_boolean(r.json) ? json_is_true(r.json)
           : json_is_number(r.json)  ? json_number_value(r.json)
                                     : NAN;
  result_clear(&r);
  if (!(a->text = sb_take(&sb)))
    return db_nomem(db);
  if (fresh)
    cache_put(db, function, key, a->text, a->numeric, a->num);
  return CK_OK;
}

CK_API const char *ck_call(ck_db *db, const char *function,
                           const char *args_json) {
  if (!db)
    return NULL;
  answer a;
  if (call_outside(db, function, NULL, args_json, args_json ? args_json : "",
                   &a) != CK_OK)
    return NULL;
  db_set_result(db, a.text);
  db->last_kind = a.numeric ? LAST_NUMBER : LAST_OTHER;
  db->last_num = a.num;
  return db->result;
}

CK_API double ck_last_num(ck_db *db) {
  if (!db)
    return NAN;
  /* Not a new call: the last result and its string stay as they are. */
  switch (db->last_kind) {
  case LAST_NUMBER:
    db->errcode = CK_OK;
    db->errmsg[0] = '\0';
    return db->last_num;
  case LAST_OTHER:
    db_error(db, CK_INVALID, "ck_last_num: the last result, %.60s, is not a "
             "number", db->result);
    return NAN;
  default:
    db_error(db, CK_MISUSE,
             "ck_last_num: the last call on this handle was not a ck_call "
             "that succeeded");
    return NAN;
  }
}

/* The number of an answer; CK_INVALID when it is none. */
static double answer_number(ck_db *db, const char *function, answer *a) {
  if (!a->numeric) {
    const char *t = a->text;
    db_error(db, CK_INVALID, "%s returns %s, not a number: use ck_call",
             function,
             *t == '"'   ? "a string"
             : *t == '[' ? "a list"
             : *t == '{' ? "an object"
                         : "null");
  }
  free(a->text);
  return a->numeric ? a->num : NAN;
}

CK_API double ck_num(ck_db *db, const char *function, const char *args_json) {
  if (!db)
    return NAN;
  answer a;
  if (call_outside(db, function, NULL, args_json, args_json ? args_json : "",
                   &a) != CK_OK)
    return NAN;
  return answer_number(db, function, &a);
}

CK_API const char *ck_functions(ck_db *db) {
  if (!db)
    return NULL;
  if (db_enter(db) != CK_OK)
    return NULL;
  return db_set_result(db, registry_describe(db));
}

CK_API int ck_script(ck_db *db, const char *lua_source,
                     const char *chunkname) {
  if (!db)
    return CK_MISUSE;
  if (db_enter(db) != CK_OK)
    return CK_MISUSE;
  if (!lua_source)
    return db_error(db, CK_MISUSE, "ck_script: lua_source is NULL");
  int began, rc = storage_read_begin(db, &began);
  if (rc == CK_OK)
    rc = lua_host_run(db, lua_source, strlen(lua_source),
                      chunkname ? chunkname : "script", NULL);
  storage_read_end(db, began);
  if (rc == CK_OK)
    db_begin_call(db); /* errors the script caught are not the call's */
  return rc;
}

CK_API long long ck_limit(ck_db *db, int which, long long value) {
  if (!db)
    return -1;
  db_begin_call(db);
  long long *slot;
  switch (which) {
  case CK_LIMIT_LUA_MEMORY: slot = &db->lua_memory; break;
  case CK_LIMIT_LUA_STEPS: slot = &db->lua_steps; break;
  case CK_LIMIT_BUSY_MS: slot = &db->busy_ms; break;
  case CK_LIMIT_SQL_STEPS: slot = &db->sql_limit; break;
  default:
    db_error(db, CK_INVALID, "ck_limit: unknown limit %d", which);
    return -1;
  }
  long long old = *slot;
  if (value >= 0) {
    if (which == CK_LIMIT_BUSY_MS && value > 0x7fffffff)
      value = 0x7fffffff;
    *slot = value;
    if (which == CK_LIMIT_BUSY_MS && db->sql)
      sqlite3_busy_timeout(db->sql, (int)value);
  }
  return old;
}

/* Calls a typed shortcut through the registry, its arguments decoded
   already; NULL and "" take their defaults (a required one is then
   reported missing).  A kept answer is found before any JSON is made. */
/* The cache key of a shortcut's arguments: '\x01' (no JSON text starts
   so), then each argument's length in decimal, ':' and its bytes; NULL
   and "" alike, as the call takes them alike.  Lengths make it
   unambiguous whatever the arguments hold (a separator after each did
   not: ("a\x1fb", "c") and ("a", "b\x1fc") met).  0 when it does not
   fit in `cap`. */
static size_t shortcut_key(char *key, size_t cap, const char *const *vals,
                           int n) {
  size_t used = 0;
  key[used++] = '\x01';
  for (int i = 0; i < n; i++) {
    size_t len = vals[i] ? strlen(vals[i]) : 0;
    if (len > cap || cap - len < used + 8)
      return 0; /* room for the digits, ':' and the final NUL too */
    char digits[8];
    int d = 0;
    size_t rest = len;
    do
      digits[d++] = (char)('0' + rest % 10);
    while ((rest /= 10) > 0);
    while (d > 0)
      key[used++] = digits[--d];
    key[used++] = ':';
    if (len)
      memcpy(key + used, vals[i], len);
    used += len;
  }
  key[used] = '\0';
  return used;
}

static double shortcut(ck_db *db, const char *fn, const char *const *vals,
                       int n) {
  if (!db)
    return NAN;
  char key[1024];
  const char *k = shortcut_key(key, sizeof key, vals, n) ? key : NULL;
  if (k && db_enter(db) == CK_OK && cache_fresh(db)) {
    const cache_entry *e = cache_get(db, fn, k);
    if (e && e->numeric)
      return e->num;
  }
  json_t *a = json_array();
  int bad = !a;
  for (int i = 0; !bad && i < n; i++) {
    if (vals[i] && *vals[i] && utf8_invalid_at(vals[i], strlen(vals[i])) !=
                                   (size_t)-1) {
      json_decref(a);
      db_begin_call(db);
      db_error(db, CK_INVALID, "%s: argument %d is not UTF-8", fn, i + 1);
      return NAN;
    }
    jpush(a, vals[i] && *vals[i] ? json_string(vals[i]) : json_null(), &bad);
  }
  if (bad) {
    json_decref(a);
    db_begin_call(db);
    db_nomem(db);
    return NAN;
  }
  answer ans;
  int rc = call_outside(db, fn, a, NULL, k, &ans);
  json_decref(a);
  return rc == CK_OK ? answer_number(db, fn, &ans) : NAN;
}

CK_API double ck_value(ck_db *db, const char *entity, const char *metric,
                       const char *period, const char *part) {
  const char *vals[] = {entity, metric, period, part};
  return shortcut(db, "value", vals, 4);
}

CK_API double ck_consensus(ck_db *db, const char *question,
                           const char *measure, const char *filter) {
  const char *vals[] = {question, measure, filter};
  return shortcut(db, "consensus", vals, 3);
}

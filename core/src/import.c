/*
** import.c -- claim packs and JSON Lines streams into the database: the
** transaction and the entry points (import.h lists the other files).
**
** An import is one transaction: every record is validated and written as
** it is read, and the first problem rolls everything back, so a refused
** pack leaves the database exactly as it was.  References to records that
** are neither stored nor earlier in the input (possible in JSON Lines,
** where lines come in any order) are parked in a temp table and checked
** once the input is read (import_refs.c).
**
** Messages name the JSON Pointer of the offending value (RFC 6901), after
** "line N: " in JSON Lines.
*/
#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const import_list_name[R_COUNT] = {
    "frameworks", "sources",   "actors", "entities",
    "metrics",    "questions", "claims", "scripts"};
const char *const import_type_name[R_COUNT] = {
    "framework", "source",   "actor", "entity",
    "metric",    "question", "claim", "script"};

/* ---- progress (ck_progress) ---------------------------------------------- */

/* Only the importing thread writes the counters, so a store, not a
   read-modify-write, is enough; release pairs with ck_progress()'s
   acquire so that a reader never sees BYTES past a TOTAL set before it. */
void import_progress_set(ck_db *db, int which, long long v) {
  atomic_store_explicit(&db->progress[which], v, memory_order_release);
}

long long import_progress_get(const ck_db *db, int which) {
  return atomic_load_explicit(&db->progress[which], memory_order_relaxed);
}

/* A new import: total is the input's size, 0 when it is not known. */
static void progress_begin(ck_db *db, long long total) {
  import_progress_set(db, CK_PROGRESS_BYTES, 0);
  import_progress_set(db, CK_PROGRESS_CLAIMS, 0);
  import_progress_set(db, CK_PROGRESS_TOTAL, total);
  import_progress_set(db, CK_PROGRESS_RUNNING, 1);
}

/* The import ended with rc after reading `read` bytes: a whole input is
   worked through, whatever its size was thought to be. */
static int progress_end(ck_db *db, int rc, long long read) {
  if (rc == CK_OK) {
    import_progress_set(db, CK_PROGRESS_TOTAL, read);
    import_progress_set(db, CK_PROGRESS_BYTES, read);
  }
  import_progress_set(db, CK_PROGRESS_RUNNING, 0);
  return rc;
}

CK_API long long ck_progress(const ck_db *db, int which) {
  if (!db || which < CK_PROGRESS_BYTES || which > CK_PROGRESS_RUNNING)
    return -1;
  return atomic_load_explicit(&db->progress[which], memory_order_acquire);
}

/* ---- the transaction ----------------------------------------------------- */

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
  int rc = sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
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
  importer_free(imp);
  if (rc == CK_OK) {
    int s = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
    if (s != SQLITE_OK)
      rc = db_sql_error(db, s, "committing the import");
  }
  db->writes++; /* kept results may be out of date (cache.c) */
  if (rc != CK_OK && !sqlite3_get_autocommit(db->sql))
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

int import_record(importer *imp, enum rec_kind kind, json_t *rec,
                  const char *ptr) {
  /* CK_LIMIT_SQL_STEPS bounds each record's SQL, not the whole stream. */
  imp->db->sql_steps = 0;
  if (!imp->ahead.read && !json_is_object(rec))
    return imp_fail(imp, ptr, NULL, "a %s must be an object, not %s",
                    import_type_name[kind], json_kind(rec));
  return kind == R_CLAIM ? import_claim(imp, rec, ptr)
                         : import_kind(imp, kind, rec, ptr);
}

/* ---- packs and JSON Lines ------------------------------------------------ */

static int import_pack(importer *imp, json_t *pack) {
  if (!json_is_object(pack))
    return imp_fail(
        imp, "", NULL,
        "a claim pack is a JSON object (or JSON Lines with \"type\"), "
        "not %s",
        json_kind(pack));
  const char *key;
  json_t *val;
  json_object_foreach(pack, key, val) {
    int known = strcmp(key, "claimkit") == 0;
    for (int k = 0; !known && k < R_COUNT; k++)
      known = strcmp(key, import_list_name[k]) == 0;
    if (!known)
      return imp_fail(
          imp, "", key,
          "unknown list (a pack has claimkit, sources, actors, "
          "entities, metrics, frameworks, questions, claims, scripts)");
  }
  json_t *version = json_object_get(pack, "claimkit");
  if (version &&
      !(json_is_integer(version) && json_integer_value(version) == 1))
    return imp_fail(imp, "", "claimkit",
                    "unsupported pack format (claimkit %s reads format 1)",
                    CK_VERSION);
  for (int k = 0; k < R_COUNT; k++) {
    json_t *list = json_object_get(pack, import_list_name[k]);
    if (!list)
      continue;
    if (!json_is_array(list))
      return imp_fail(imp, "", import_list_name[k], "must be a list, not %s",
                      json_kind(list));
    for (size_t i = 0; i < json_array_size(list); i++) {
      char ptr[64];
      snprintf(ptr, sizeof ptr, "/%s/%zu", import_list_name[k], i);
      int rc =
          import_record(imp, (enum rec_kind)k, json_array_get(list, i), ptr);
      if (rc != CK_OK)
        return rc;
    }
  }
  return CK_OK;
}

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
                  json_kind(rec));
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

static int import_line(importer *imp, const char *s, size_t n, long line) {
  imp->line = line;
  if (input_blank(s, n))
    return CK_OK;
  json_error_t err;
  json_t *rec = ck_json_loadb(s, n, LINE_FLAGS, &err);
  if (!rec) {
    char why[CK_ERRMSG_MAX];
    input_parse_message(&err, line, why);
    return db_error(imp->db, input_parse_code(&err), "%s", why);
  }
  int rc = import_object(imp, rec);
  json_decref(rec);
  return rc;
}

/* ---- packs and JSON Lines, from an input --------------------------------- */

enum { IS_PACK, IS_LINES, IS_NEITHER, IS_NOMEM };

/* What the first non-blank line says the input is: JSON Lines when it is
   on its own an object with a "type" (a pack spread over lines does not
   parse line by line); neither when it is on its own a value that is no
   object (*what says which); else a pack. */
static int first_line_kind(const char *s, size_t n, const char **what) {
  json_error_t err;
  json_t *v = ck_json_loadb(s, n, JSON_DECODE_ANY, &err);
  if (!v)
    return input_parse_code(&err) == CK_NOMEM ? IS_NOMEM : IS_PACK;
  int kind = !json_is_object(v)                           ? IS_NEITHER
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
  int got = input_read_rest(db, src);
  if (got != SRC_END) {
    long at_line = 1;
    size_t from = src->start;
    for (size_t i = src->start; got == SRC_NUL && i < src->at; i++)
      if (src->buf[i] == '\n')
        at_line++, from = i + 1;
    return input_failed(db, src, got, at_line, src->buf + from, src->at - from);
  }
  importer imp;
  int rc = import_begin(db, &imp);
  if (rc != CK_OK)
    return import_end(&imp, rc);
  json_error_t err;
  json_t *pack = ck_json_loadb(src->buf + src->start, src->len - src->start,
                               JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
  if (!pack && input_parse_code(&err) == CK_NOMEM)
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
  while ((got = input_next_line(src, &s, &n)) == SRC_LINE && input_blank(s, n))
    continue;
  if (got == SRC_END)
    return db_error(db, CK_INVALID,
                    "the input is empty: expected a claim pack or JSON Lines");
  if (got != SRC_LINE)
    return input_failed(db, src, got, src->line, s, n);
  size_t lead = 0;
  while (input_blank(s + lead, 1))
    lead++;
  int column = input_columns(s, lead) + 1;
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
    import_progress_set(db, CK_PROGRESS_BYTES, input_through(src));
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
  if (size >= 0 && import_defer_worthwhile(imp, size))
    rc = import_defer_indexes(imp);
  if (size >= 0 && rc == CK_OK) {
    rc = import_rest_threaded(imp, src);
    if (rc >= 0)
      return rc;
    rc = CK_OK; /* no thread to be had: one will do */
  }
  const char *s = NULL;
  size_t n = 0;
  int got = SRC_END;
  while (rc == CK_OK && (got = input_next_line(src, &s, &n)) == SRC_LINE) {
    rc = import_line(imp, s, n, src->line);
    if (rc == CK_OK)
      import_progress_set(imp->db, CK_PROGRESS_BYTES, input_through(src));
  }
  if (rc == CK_OK && got != SRC_END)
    rc = input_failed(imp->db, src, got, src->line, s, n);
  return rc;
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
  if (import_is_sheet(path)) {
    rc = import_sheet(db, f, path);
    read = import_progress_get(db, CK_PROGRESS_BYTES);
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

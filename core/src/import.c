/*
** import.c -- claim packs and JSON Lines streams into the database: the
** entry points (import.h lists the other files).
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

/* A large pack whose every list is in sp is read on a second thread. */
static int by_thread(const importer *imp, json_t *pack, const pack_spans *sp) {
  if ((long long)sp->text_len <= imp->db->threaded_bytes)
    return 0;
  for (int k = 0; k < R_COUNT; k++)
    if (!sp->list[k].listed && json_object_get(pack, import_list_name[k]))
      return 0;
  return 1;
}

/* The pack's records, its lists from sp when it has them (else from the
   tree). */
static int import_pack(importer *imp, json_t *pack, const pack_spans *sp,
                       pack_text *text) {
  if (!json_is_object(pack))
    return imp_fail(
        imp, "", NULL,
        "a claim pack is a JSON object (or JSON Lines with \"type\"), "
        "not %s",
        ckjson_kind(pack));
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
  if (sp && by_thread(imp, pack, sp)) {
    int rc = import_pack_threaded(imp, text, sp);
    if (rc != -1)
      return rc;
  }
  for (int k = 0; k < R_COUNT; k++) {
    if (sp && sp->list[k].listed) {
      int rc = pack_import_list(imp, text, &sp->list[k], k);
      if (rc != CK_OK)
        return rc;
      continue;
    }
    json_t *list = json_object_get(pack, import_list_name[k]);
    if (!list)
      continue;
    if (!json_is_array(list))
      return imp_fail(imp, "", import_list_name[k], "must be a list, not %s",
                      ckjson_kind(list));
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

static int import_line(importer *imp, const char *s, size_t n, long line) {
  imp->line = line;
  if (input_blank(s, n))
    return CK_OK;
  json_error_t err;
  ck_json_arena *arena;
  json_t *rec = ck_json_loadb_arena(s, n, LINE_FLAGS, &err, &arena);
  if (!rec) {
    char why[CK_ERRMSG_MAX];
    input_parse_message(&err, line, why);
    return db_error(imp->db, input_parse_code(&err), "%s", why);
  }
  ck_json_arena *outer = ck_json_arena_enter(arena);
  int rc = import_object(imp, rec);
  ck_json_arena_enter(outer);
  ck_json_arena_free(rec, arena);
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
  *what = ckjson_kind(v);
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

static int pack_parse_failed(ck_db *db, const json_error_t *err) {
  if (input_parse_code(err) == CK_NOMEM)
    return db_nomem(db);
  return db_error(db, CK_INVALID, "line %d, column %d: %s", err->line,
                  err->column, err->text);
}

/* The rest of the input, read whole: SRC_END, or what said why not. */
static int read_whole(ck_db *db, input *src) {
  int got = input_read_rest(db, src);
  if (got == SRC_END)
    return CK_OK;
  long at_line = 1;
  size_t from = src->start;
  for (size_t i = src->start; got == SRC_NUL && i < src->at; i++)
    if (src->buf[i] == '\n')
      at_line++, from = i + 1;
  return input_failed(db, src, got, at_line, src->buf + from, src->at - from);
}

/* A pack taken element by element was refused (rc: a record refused, an
   element that did not parse or could not be read, a script that failed,
   an interrupt): what the whole parse would have said first
   (import_pack.c), the text read whole for it if it was not. */
static int pack_refused(ck_db *db, input *src, int streamed, int rc) {
  if (streamed) {
    int read = read_whole(db, src);
    if (read != CK_OK)
      return read;
  }
  json_error_t err;
  json_t *whole = ck_json_loadb(src->buf + src->start, src->len - src->start,
                                LINE_FLAGS, &err);
  if (!whole)
    return pack_parse_failed(db, &err);
  json_decref(whole);
  if (rc == PACK_UNPARSED) /* the scan let through what it must not */
    return db_error(db, CK_INVALID,
                    "a list element parses in its pack but not on its own");
  return rc;
}

/* The pack's text, scanned into sp (*by_element) or not: a regular file
   read through a window (*streamed), else all of it read first. */
static int pack_text_open(ck_db *db, input *src, pack_text *t, pack_spans *sp,
                          int *by_element, int *streamed) {
  *by_element = *streamed = 0;
  /* the text's first byte: where the file was read to, less what of it
     the input holds from there */
  long long read_to = src->f ? (long long)ftello(src->f) : -1;
  if (!db->pack_whole && read_to >= 0 &&
      pack_text_file(t, db, src->f,
                     read_to - (long long)src->len + (long long)src->start)) {
    if ((*by_element = *streamed = pack_scan(t, sp)))
      return CK_OK;
    pack_text_free(t);
  }
  int rc = read_whole(db, src);
  if (rc != CK_OK)
    return rc;
  pack_text_memory(t, src->buf + src->start, src->len - src->start);
  *by_element = !db->pack_whole && pack_scan(t, sp);
  return CK_OK;
}

/* A pack: the text from its start (kept) to the end of the input. */
static int import_pack_text(ck_db *db, input *src, long line, int column) {
  pack_text t;
  pack_spans sp;
  int by_element, streamed;
  int rc = pack_text_open(db, src, &t, &sp, &by_element, &streamed);
  if (rc != CK_OK)
    return rc;
  importer imp;
  rc = import_begin(db, &imp);
  json_error_t err;
  json_t *pack = NULL;
  if (rc == CK_OK && by_element &&
      !(pack = ck_json_loadb(sp.skeleton, sp.skeleton_len, LINE_FLAGS, &err))) {
    pack_spans_free(&sp), by_element = 0; /* parsed whole, as ever */
    if (streamed) {
      pack_text_free(&t);
      if ((rc = read_whole(db, src)) == CK_OK)
        pack_text_memory(&t, src->buf + src->start, src->len - src->start);
    }
  }
  if (rc == CK_OK && !by_element &&
      !(pack = ck_json_loadb(t.win, t.len, LINE_FLAGS, &err)))
    rc = pack_parse_failed(db, &err);
  else if (rc == CK_OK && !json_is_object(pack))
    rc = neither(db, line, column, ckjson_kind(pack));
  else if (rc == CK_OK && by_element) {
    if (import_defer_worthwhile(&imp, (long long)t.len))
      rc = import_defer_indexes(&imp);
    if (rc == CK_OK)
      rc = import_pack(&imp, pack, &sp, &t);
    if (rc != CK_OK && rc != CK_NOMEM) /* the whole parse came first */
      rc = pack_refused(db, src, streamed, rc);
  } else if (rc == CK_OK)
    rc = import_pack(&imp, pack, NULL, NULL);
  json_decref(pack);
  if (by_element)
    pack_spans_free(&sp);
  pack_text_free(&t);
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
    return db_nomem(db);
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
  import_progress_begin(db, (long long)len);
  return import_progress_end(db, import_input(db, &src), (long long)len);
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
  import_progress_begin(db, f && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)
                         ? (long long)st.st_size
                         : 0);
  if (!f) {
    int failed =
        db_error(db, CK_IO, "cannot open '%s': %s", path, strerror(errno));
    return import_progress_end(db, failed, 0);
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
    if (read < import_progress_get(db, CK_PROGRESS_BYTES))
      read = import_progress_get(db, CK_PROGRESS_BYTES); /* a pack streamed */
    free(src.own);
  }
  fclose(f);
  return import_progress_end(db, rc, read);
}

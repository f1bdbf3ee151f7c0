/*
** fn_text.c -- registry functions over text: quantity() and quantities(),
** the quantity parser of quantity.c for cells and scripts.
*/
#include "internal.h"
#include "canon.h"
#include "codebook.h"
#include "draft.h"
#include "periods.h"
#include "quantity.h"
#include "transcript.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What a quantity costs as JSON, about. */
#define QUANTITY_BYTES 768

/* Parses `text` for function `fn`, the first `limit` quantities (0: all);
   the caller frees *q.  A script's call may hold no more quantities than
   its memory has room for. */
static int scan(ck_db *db, const char *fn, json_t *text, size_t limit,
                ck_quantity **q, size_t *n) {
  const char *s = json_string_value(text);
  size_t len = json_string_length(text);
  size_t bad = utf8_invalid_at(s, len);
  if (bad != (size_t)-1)
    return db_error(db, CK_INVALID, "%s: text is not UTF-8 (byte %zu)", fn,
                    bad);
  size_t fit = db->result_room < 0
                   ? 0
                   : (size_t)db->result_room / QUANTITY_BYTES + 1;
  size_t first = limit && (!fit || limit < fit) ? limit : fit;
  int rc = quantity_scan(s, len, first, q, n);
  if (rc < 0)
    return db_error(db, CK_NOMEM, "%s: out of memory", fn);
  if (rc > 0 && first != limit) {
    free(*q);
    *q = NULL;
    return db_charge(db, fn, (size_t)-1); /* more than the room: refused */
  }
  return db_charge(db, fn, *n * QUANTITY_BYTES);
}

json_t *quantity_json(const char *text, const ck_quantity *q) {
  return json_pack("{s:s%, s:o, s:o, s:o, s:s, s:s}", "text",
                   text + q->start, q->end - q->start, "value",
                   ckjson_number(q->value), "lo", ckjson_number(q->lo), "hi",
                   ckjson_number(q->hi), "qualifier", q->qualifier, "unit",
                   q->unit);
}

static int fn_quantity(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  json_int_t index = json_integer_value(args[1]);
  const char *part = json_string_value(args[2]);
  static const char *const parts[] = {"value", "lo",   "hi",
                                      "unit",  "qualifier", "text"};
  size_t p = 0;
  while (p < 5 && strcmp(part, parts[p]) != 0)
    p++; /* one of them: the registry checked */
  if (index < 0)
    return db_error(db, CK_INVALID, "quantity: index %lld is negative",
                    (long long)index);
  ck_quantity *q;
  size_t n;
  /* Only the quantities up to the index are read. */
  size_t want = (json_int_t)index < (json_int_t)(SIZE_MAX / 2)
                    ? (size_t)index + 1
                    : 0;
  int rc = scan(db, "quantity", args[0], want, &q, &n);
  if (rc != CK_OK)
    return rc;
  if ((size_t)index >= n) {
    free(q);
    if (n == 0)
      return db_error(db, CK_NOTFOUND, "quantity: no quantity in the text");
    return db_error(db, CK_NOTFOUND,
                    "quantity: the text has %zu quantit%s; index %lld is past "
                    "them",
                    n, n == 1 ? "y" : "ies", (long long)index);
  }
  const ck_quantity *it = &q[index];
  const char *text = json_string_value(args[0]);
  switch (p) {
  case 0: out->is_num = 1, out->num = it->value; break;
  case 1: out->is_num = 1, out->num = it->lo; break;
  case 2: out->is_num = 1, out->num = it->hi; break;
  case 3: out->json = json_string(it->unit); break;
  case 4: out->json = json_string(it->qualifier); break;
  default:
    out->json = json_stringn(text + it->start, it->end - it->start);
  }
  free(q);
  return CK_OK;
}

static int fn_quantities(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  ck_quantity *q;
  size_t n;
  int rc = scan(db, "quantities", args[0], 0, &q, &n);
  if (rc != CK_OK)
    return rc;
  json_t *list = json_array();
  int bad = !list;
  for (size_t i = 0; !bad && i < n; i++)
    jpush(list, quantity_json(json_string_value(args[0]), &q[i]), &bad);
  free(q);
  if (bad) {
    json_decref(list);
    return db_error(db, CK_NOMEM, "quantities: out of memory");
  }
  out->json = list;
  return CK_OK;
}

/* A transcript function's result: none when memory or the calling script's
   room ran out (room -1). */
static int text_result(ck_db *db, const char *fn, ck_result *out,
                       long long room) {
  if (out->json) {
    if (db->result_room >= 0)
      db->result_room = room;
    return CK_OK;
  }
  if (room < 0 && db->result_room >= 0)
    return db_charge(db, fn, (size_t)-1);
  return db_error(db, CK_NOMEM, "%s: out of memory", fn);
}

static int fn_segments(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *s = json_string_value(args[0]);
  size_t len = json_string_length(args[0]);
  if (utf8_invalid_at(s, len) != (size_t)-1)
    return db_error(db, CK_INVALID, "segments: text is not UTF-8");
  long long room = db->result_room;
  out->json = transcript_segments(s, len, room < 0 ? NULL : &room);
  return text_result(db, "segments", out, room);
}

static int fn_draft(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *s = json_string_value(args[0]);
  const char *source = json_string_value(args[1]);
  const char *published = json_string_value(args[2]);
  size_t len = json_string_length(args[0]);
  if (utf8_invalid_at(s, len) != (size_t)-1)
    return db_error(db, CK_INVALID, "draft: text is not UTF-8");
  if (!id_valid(source))
    return db_error(db, CK_INVALID,
                    "draft: source '%.80s' is not an id (1 to 64 characters of "
                    "a-z 0-9 . _ -)",
                    source);
  if (*published && !date_valid(published))
    return db_error(db, CK_INVALID,
                    "draft: published '%.40s' is not a date YYYY-MM-DD",
                    published);
  codebook cb;
  codebook_init(&cb);
  json_t *record = NULL;
  int rc = codebook_load(db, &cb);
  if (rc == CK_OK)
    rc = codebook_source(db, source, &record);
  if (rc != CK_OK) {
    codebook_free(&cb);
    return rc;
  }
  /* a stored source dates the call when the caller does not */
  const char *stored = json_string_value(json_object_get(record, "published"));
  if (!*published && stored && date_valid(stored))
    published = stored;
  long long room = db->result_room;
  int too_many = 0;
  out->json = transcript_draft(s, len, source, published, &cb, record,
                               room < 0 ? NULL : &room, &too_many);
  codebook_free(&cb);
  json_decref(record);
  if (too_many)
    return db_error(db, CK_INVALID,
                    "draft: the text has more than %d figures and views; a "
                    "draft is for a person to review: draft the call in "
                    "parts",
                    CK_DRAFT_MAX_CLAIMS);
  return text_result(db, "draft", out, room);
}

const ck_function ck_text_functions[] = {
    {.name = "draft",
     .doc = "A draft claim pack from a transcript for review: the source "
            "record, one observation per quantity with locator, sentence and "
            "text, and one view per question, sentence and actor whose cue "
            "a sentence holds. Actor, entity and metric come from the "
            "database's codebook (names and aliases mentioned nearest the "
            "figure; the source's entity; a change's change_of metric), the "
            "period from the clause, sentence or segment (docs/codebook.md); "
            "what the text does not say is null to fill in. At most 10000 "
            "claims.",
     .returns = "object",
     .impl = fn_draft,
     .params = {{.name = "text", .type = "string", .doc = "the transcript"},
                {.name = "source", .type = "string", .def = "\"draft\"",
                 .doc = "source id for the draft"},
                {.name = "published", .type = "string", .def = "\"\"",
                 .doc = "publication date YYYY-MM-DD (else the stored "
                        "source's): the year of 三季度, Q4, 三月份 and the "
                        "like",
                 .format = "date"}}},
    {.name = "segments",
     .doc = "A transcript's segments, [{speaker, locator, text, line}]: "
            "headers '发言人1   00:23', 'Speaker 2 01:02:03', '[00:23] "
            "Name: text', 'Name (00:23): text', else one per paragraph (p1, "
            "p2, ...).",
     .returns = "list",
     .impl = fn_segments,
     .params = {{.name = "text", .type = "string", .doc = "the transcript"}}},
    {.name = "quantities",
     .doc = "Every quantity in a text, in order: text, value, lo, hi, "
            "qualifier, unit (docs/quantities.md).",
     .returns = "list",
     .impl = fn_quantities,
     .params = {{.name = "text", .type = "string", .doc = "text to scan"}}},
    {.name = "quantity",
     .doc = "One quantity of a text: its value, lo, hi (numbers) or unit, "
            "qualifier, text (strings).",
     .returns = "any",
     .impl = fn_quantity,
     .params = {{.name = "text", .type = "string", .doc = "text to scan"},
                {.name = "index", .type = "integer", .def = "0",
                 .doc = "which quantity, from 0"},
                {.name = "part", .type = "string", .def = "\"value\"",
                 .doc = "value, lo, hi, unit, qualifier or text",
                 .choices = "value lo hi unit qualifier text"}}},
};
const size_t ck_text_function_count =
    sizeof ck_text_functions / sizeof ck_text_functions[0];

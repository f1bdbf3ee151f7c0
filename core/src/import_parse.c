/*
** import_parse.c -- a claim record into the typed row it is stored as.
**
** Pure: a json_t in, a claim_row or a field_error out, no handle and no
** importer in reach, so the reader thread of a large JSON Lines import
** (import_reader.c) parses claims with the very function the import uses.
** What needs the database (is the actor stored? is the stance on its
** question's scale? was the id given before?) is claim_resolve()'s, read
** off the row.
*/
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A quantity field holds exactly one quantity expression (docs/quantities.md).
 */
static int parse_quantity(field_error *e, const char *ptr, const char *text,
                          ck_quantity *out) {
  ck_quantity *q;
  size_t n;
  if (quantity_scan(text, strlen(text), 0, &q, &n) < 0)
    return field_nomem(e);
  int rc = CK_OK;
  if (n == 0)
    rc = field_fail(e, ptr, "quantity", "no quantity in '%.120s'", text);
  else if (n > 1)
    rc = field_fail(e, ptr, "quantity",
                    "'%.120s' holds %zu quantities ('%.*s' and '%.*s'); give "
                    "one",
                    text, n, (int)(q[0].end - q[0].start), text + q[0].start,
                    (int)(q[1].end - q[1].start), text + q[1].start);
  else
    *out = q[0];
  free(q);
  return rc;
}

static const char *const view_keys[] = {"question", "stance", NULL};
static const char *const observation_keys[] = {"entity",   "metric", "period",
                                               "value",    "lo",     "hi",
                                               "quantity", "unit",   NULL};

static const char *first_key(const json_t *rec, const char *const *keys) {
  for (; *keys; keys++)
    if (json_object_get(rec, *keys))
      return *keys;
  return NULL;
}

/* A draft (see "draft") leaves fields null for the analyst: the first one
   still null, in the order an analyst fills them, refuses the claim. */
static int unfilled(field_error *e, const json_t *rec, const char *ptr) {
  static const char *const order[] = {"entity",   "metric", "period", "actor",
                                      "question", "stance", "source", NULL};
  const char *key, *field = NULL;
  json_t *val;
  int any = 0;
  json_object_foreach((json_t *)rec, key, val) {
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
    return field_fail(e, ptr, field, "fill in the %s for \"%.120s\" (%.20s)",
                      field, json_string_value(quantity),
                      json_is_string(locator) ? json_string_value(locator)
                                              : "-");
  return field_fail(e, ptr, field, "fill in the %s (it is null)", field);
}

/* The fields of a view. */
static int read_view(field_error *e, const json_t *rec, const char *ptr,
                     claim_row *c) {
  json_t *sv = json_object_get(rec, "stance");
  int rc = field_id(e, rec, ptr, "question", 1, &c->question);
  if (rc)
    return rc;
  if (!sv)
    return field_fail(e, ptr, "stance",
                      "missing (an integer on the question's scale)");
  if (!field_as_integer(sv, &c->stance))
    return field_fail(e, ptr, "stance", "must be an integer, not %s",
                      json_is_number(sv) ? "a fraction" : ckjson_kind(sv));
  c->view = 1; /* and claim_resolve() checks the stance on the scale */
  return CK_OK;
}

/* An observation's value and bounds from one of value, lo and hi, or
   quantity, whose fields are read. */
static int observation_value(field_error *e, const char *ptr, claim_row *c,
                             int has_value, int has_lo, int has_hi) {
  ck_quantity q = {0, 0, 0, 0, 0, "exact", "", 0, 0, 0};
  int rc;
  if (has_value + (has_lo || has_hi) + (c->quantity != NULL) > 1)
    return field_fail(e, ptr, NULL,
                      "give one of value, lo and hi, or quantity: this "
                      "observation has %s",
                      has_value && c->quantity ? "value and quantity"
                      : has_value              ? "value and lo/hi"
                                               : "lo/hi and quantity");
  if (c->quantity && (rc = parse_quantity(e, ptr, c->quantity, &q)))
    return rc;
  if (!c->quantity && has_lo != has_hi)
    return field_fail(e, ptr, has_lo ? "hi" : "lo",
                      "missing (lo and hi go together)");
  if (!c->quantity && !has_value && !has_lo)
    return field_fail(e, ptr, NULL,
                      "an observation needs value, lo and hi, or quantity");
  if (has_lo && c->lo > c->hi)
    return field_fail(e, ptr, "lo", "%g is above hi %g", c->lo, c->hi);
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
  return CK_OK;
}

/* The fields of an observation. */
static int read_observation(field_error *e, const json_t *rec, const char *ptr,
                            claim_row *c) {
  int has_value = 0, has_lo = 0, has_hi = 0, rc;
  if ((rc = field_id(e, rec, ptr, "entity", 1, &c->entity)) ||
      (rc = field_id(e, rec, ptr, "metric", 1, &c->metric)) ||
      (rc = field_string(e, rec, ptr, "period", 0, &c->period)) ||
      (rc = field_string(e, rec, ptr, "unit", 0, &c->unit)) ||
      (rc = field_string(e, rec, ptr, "quantity", 0, &c->quantity)) ||
      (rc = field_number(e, rec, ptr, "value", &has_value, &c->value)) ||
      (rc = field_number(e, rec, ptr, "lo", &has_lo, &c->lo)) ||
      (rc = field_number(e, rec, ptr, "hi", &has_hi, &c->hi)))
    return rc;
  if (c->period && period_normalise(c->period, c->iso) != 0)
    return field_fail(e, ptr, "period",
                      "'%.80s' is not a period (YYYY, YYYY-Hn, YYYY-Qn, "
                      "YYYY-MM, YYYY-Www, YYYY-MM-DD, or 2026年3月 and the "
                      "like)",
                      c->period);
  if ((rc = observation_value(e, ptr, c, has_value, has_lo, has_hi)))
    return rc;
  if (c->period)
    period_end(c->iso, c->end);
  return CK_OK;
}

/* A claim's tags: a list of strings. */
static int check_tags(field_error *e, const json_t *tags, const char *ptr) {
  if (!json_is_array(tags))
    return field_fail(e, ptr, "tags", "must be a list of strings, not %s",
                      ckjson_kind(tags));
  for (size_t i = 0; i < json_array_size(tags); i++)
    if (!json_is_string(json_array_get(tags, i))) {
      char tptr[160];
      snprintf(tptr, sizeof tptr, "%s/tags", ptr);
      return field_fail_at(e, tptr, i, "must be a string, not %s",
                           ckjson_kind(json_array_get(tags, i)));
    }
  return CK_OK;
}

/* A view or an observation, as the keys it has say. */
static int read_kind(field_error *e, const json_t *rec, const char *ptr,
                     claim_row *c) {
  const char *view_key = first_key(rec, view_keys);
  const char *obs_key = first_key(rec, observation_keys);
  if (view_key && obs_key)
    return field_fail(e, ptr, NULL,
                      "a claim is a view (question, stance) or an observation "
                      "(entity, metric, value), not both: it has '%s' and "
                      "'%s'",
                      view_key, obs_key);
  if (!view_key && !obs_key)
    return field_fail(e, ptr, NULL,
                      "a claim needs question and stance (a view) or entity, "
                      "metric and a value (an observation)");
  return view_key ? read_view(e, rec, ptr, c)
                  : read_observation(e, rec, ptr, c);
}

int claim_parse(const json_t *rec, const char *ptr,
                const char *known_content_id, claim_row *c, field_error *e) {
  int rc;
  memset(c, 0, sizeof *c);
  if ((rc = unfilled(e, rec, ptr)) ||
      (rc = field_id(e, rec, ptr, "id", 0, &c->id)))
    return rc;
  if (!c->id) {
    /* The content id hashes the claim exactly as written, before any
       normalisation, so that anyone can recompute it. */
    if (known_content_id && known_content_id[0])
      memcpy(c->content_id, known_content_id, sizeof c->content_id);
    else
      claim_content_id(rec, c->content_id);
    if (!c->content_id[0])
      return field_nomem(e);
  }
  if ((rc = field_id(e, rec, ptr, "actor", 1, &c->actor)) ||
      (rc = field_id(e, rec, ptr, "source", 0, &c->source)) ||
      (rc = field_string(e, rec, ptr, "locator", 0, &c->locator)) ||
      (rc = field_string(e, rec, ptr, "quote", 0, &c->quote)) ||
      (rc = field_date(e, rec, ptr, "as_of", &c->as_of)))
    return rc;
  json_t *tags = json_object_get(rec, "tags");
  if ((tags && (rc = check_tags(e, tags, ptr))) ||
      (rc = read_kind(e, rec, ptr, c)))
    return rc;
  if (tags && !(c->tags = canon_text(tags, 0, 0)))
    return field_nomem(e);
  return CK_OK;
}

/* ---- the claim's texts --------------------------------------------------- */

char *claim_text(const json_t *rec, const char *id, const char *period,
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
  if (sb->oom || !sb->data)
    return;
  /* "c%016llx", without snprintf's cost on every claim */
  static const char hex[] = "0123456789abcdef";
  unsigned long long h = (unsigned long long)fnv1a64(sb->data, sb->len);
  out[0] = 'c';
  for (int i = 16; i >= 1; i--, h >>= 4)
    out[i] = hex[h & 15];
  out[17] = '\0';
}

void claim_content_id(const json_t *rec, char out[18]) {
  strbuf sb;
  sb_init(&sb);
  canon_dump(&sb, rec, 0, 0, 1);
  text_content_id(&sb, out);
  sb_free(&sb);
}

/* The claim as written is its stored text without the id, so one
   rendering serves both, the id spliced in where it sorts. */
char *claim_with_content_id(const json_t *rec, char content_id[18]) {
  strbuf sb, out;
  sb_init(&sb);
  sb_init(&out);
  size_t at = canon_dump_marking(&sb, rec, "id");
  text_content_id(&sb, content_id);
  if (content_id[0]) {
    int last = sb.data[at] == '}', alone = last && at == 1;
    sb_putn(&out, sb.data, at);
    if (last && !alone)
      sb_putc(&out, ',');
    sb_putn(&out, "\"id\":\"", 6);
    sb_putn(&out, content_id, 17);
    sb_putn(&out, last ? "\"" : "\",", last ? 1 : 2);
    sb_putn(&out, sb.data + at, sb.len - at);
    if (out.oom)
      content_id[0] = '\0';
  }
  sb_free(&sb);
  if (!content_id[0])
    out.oom = 1; /* no content id: no text either, not an empty one */
  return sb_take(&out);
}

/* What a claim's texts will be, worked out before the import needs them:
   nothing when the claim is not well formed (the import says why). */
void claim_work_ahead(json_t *rec, ahead *a) {
  json_t *idv = json_object_get(rec, "id"),
         *pv = json_object_get(rec, "period");
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
    claim_content_id(rec, a->content_id);
    id = a->content_id;
  }
  if (*id)
    a->stored = claim_text(rec, id, period, iso);
}

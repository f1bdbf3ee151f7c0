/*
** import_fields.c -- typed fields of a record, and the codebook's checks
** of its aliases and cues.  Pure: a refusal is a field_error, which the
** import says where it is (imp_report).
*/
#include "import.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int vfail(field_error *e, const char *ptr, const char *fmt, va_list ap) {
  e->rc = CK_INVALID;
  snprintf(e->ptr, sizeof e->ptr, "%s", ptr);
  vsnprintf(e->what, sizeof e->what, fmt, ap);
  return CK_INVALID;
}

int field_fail(field_error *e, const char *ptr, const char *key,
               const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(e, ptr, fmt, ap);
  va_end(ap);
  e->key = key;
  return CK_INVALID;
}

/* The index-th element of the list at ptr. */
int field_fail_at(field_error *e, const char *ptr, size_t index,
                  const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(e, ptr, fmt, ap);
  va_end(ap);
  snprintf(e->keybuf, sizeof e->keybuf, "%zu", index);
  e->key = e->keybuf;
  return CK_INVALID;
}

int field_nomem(field_error *e) {
  e->rc = CK_NOMEM;
  e->ptr[0] = e->what[0] = '\0';
  e->key = NULL;
  return CK_NOMEM;
}

/* ---- typed fields -------------------------------------------------------- */

/* Each sets *out only to a value that passed, else NULL. */
int field_string(field_error *e, const json_t *rec, const char *ptr,
                 const char *key, int required, const char **out) {
  json_t *v = json_object_get(rec, key);
  *out = NULL;
  if (!v) {
    if (required)
      return field_fail(e, ptr, key, "missing (a string is required)");
    return CK_OK;
  }
  if (!json_is_string(v))
    return field_fail(e, ptr, key, "must be a string, not %s", ckjson_kind(v));
  if (strlen(json_string_value(v)) != json_string_length(v))
    return field_fail(e, ptr, key, "contains a NUL character");
  *out = json_string_value(v);
  return CK_OK;
}

int field_id(field_error *e, const json_t *rec, const char *ptr,
             const char *key, int required, const char **out) {
  int rc = field_string(e, rec, ptr, key, required, out);
  if (rc == CK_OK && *out && !id_valid(*out)) {
    rc = field_fail(e, ptr, key,
                    "'%.80s' is not an id (1 to 64 characters of a-z 0-9 . "
                    "_ -)",
                    *out);
    *out = NULL;
  }
  return rc;
}

int field_date(field_error *e, const json_t *rec, const char *ptr,
               const char *key, const char **out) {
  int rc = field_string(e, rec, ptr, key, 0, out);
  if (rc == CK_OK && *out && !date_valid(*out)) {
    rc = field_fail(e, ptr, key, "'%.80s' is not a date YYYY-MM-DD", *out);
    *out = NULL;
  }
  return rc;
}

int field_number(field_error *e, const json_t *rec, const char *ptr,
                 const char *key, int *present, double *out) {
  json_t *v = json_object_get(rec, key);
  *present = v != NULL;
  if (!v)
    return CK_OK;
  if (!json_is_number(v))
    return field_fail(e, ptr, key, "must be a number, not %s", ckjson_kind(v));
  *out = json_number_value(v);
  return CK_OK;
}

int field_as_integer(const json_t *v, long long *out) {
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

int field_bool(field_error *e, const json_t *rec, const char *ptr,
               const char *key, int *out) {
  json_t *v = json_object_get(rec, key);
  if (!v)
    return CK_OK;
  if (!json_is_boolean(v))
    return field_fail(e, ptr, key, "must be true or false, not %s",
                      ckjson_kind(v));
  *out = json_is_true(v);
  return CK_OK;
}

/* ---- the codebook: aliases and cues -------------------------------------- */

#define CK_TERM_MAX 64 /* characters of an alias or a cue phrase */

static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xc0) != 0x80;
  return n;
}

/* A list of terms (aliases, or a cue's phrases) at list, whose pointer is
   ptr: 1 to 64 characters each, not blank. */
static int check_terms(field_error *e, const json_t *list, const char *ptr,
                       const char *what) {
  const char *a = what[0] == 'a' ? "an" : "a";
  if (!json_is_array(list))
    return field_fail(e, ptr, NULL, "must be a list of strings, not %s",
                      ckjson_kind(list));
  size_t i;
  json_t *v;
  json_array_foreach(list, i, v) {
    if (!json_is_string(v))
      return field_fail_at(e, ptr, i, "must be a string, not %s", ckjson_kind(v));
    const char *t = json_string_value(v);
    if (strlen(t) != json_string_length(v))
      return field_fail_at(e, ptr, i, "contains a NUL character");
    size_t n = utf8_chars(t), blank = strspn(t, " \t\r\n");
    if (n == 0 || t[blank] == '\0')
      return field_fail_at(e, ptr, i,
                           "'%s' is not %s %s (1 to %d "
                           "characters, not blank)",
                           t, a, what, CK_TERM_MAX);
    if (n > CK_TERM_MAX)
      return field_fail_at(e, ptr, i,
                           "'%.40s...' has %zu characters (%s %s "
                           "has 1 to %d)",
                           t, n, a, what, CK_TERM_MAX);
  }
  return CK_OK;
}

int field_aliases(field_error *e, const json_t *rec, const char *ptr) {
  json_t *aliases = json_object_get(rec, "aliases");
  if (!aliases)
    return CK_OK;
  char sub[160];
  snprintf(sub, sizeof sub, "%s/aliases", ptr);
  return check_terms(e, aliases, sub, "alias");
}

/* Each stance of cues on the scale lo..hi, written as an integer is. */
static int check_cue_stances(field_error *e, const json_t *cues,
                             const char *sub, long long lo, long long hi) {
  char phrases[200];
  const char *key;
  json_t *list;
  json_object_foreach((json_t *)cues, key, list) {
    char *end;
    errno = 0;
    long long stance = strtoll(key, &end, 10);
    const char *digits = key + (key[0] == '-');
    int canonical = *digits >= '0' && *digits <= '9' && !*end && errno == 0 &&
                    (digits[0] != '0' || (digits[1] == '\0' && key[0] != '-'));
    if (!canonical)
      return field_fail(e, sub, key,
                        "'%.40s' is not a stance (an integer on "
                        "the scale %lld..%lld, written as one: \"-1\", \"2\")",
                        key, lo, hi);
    if (stance < lo || stance > hi)
      return field_fail(e, sub, key,
                        "stance %lld is outside the scale %lld..%lld", stance,
                        lo, hi);
    /* a canonical stance has nothing to escape in a JSON Pointer */
    snprintf(phrases, sizeof phrases, "%s/%s", sub, key);
    int rc = check_terms(e, list, phrases, "cue");
    if (rc != CK_OK)
      return rc;
  }
  return CK_OK;
}

/* One phrase, one stance. */
static int check_cue_phrases(field_error *e, const json_t *cues,
                             const char *sub) {
  json_t *seen = json_object();
  if (!seen)
    return field_nomem(e);
  const char *key;
  json_t *list;
  json_object_foreach((json_t *)cues, key, list) {
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
      const char *phrase = json_string_value(v);
      json_t *first = json_object_get(seen, phrase);
      if (first && strcmp(json_string_value(first), key) != 0) {
        char other[24], phrases[200];
        snprintf(other, sizeof other, "%s", json_string_value(first));
        snprintf(phrases, sizeof phrases, "%s/%s", sub, key);
        int rc = field_fail_at(e, phrases, i,
                               "'%s' is a cue of stance %s "
                               "too (a phrase voices one stance)",
                               phrase, other);
        json_decref(seen);
        return rc;
      }
      if (!first && json_object_set_new(seen, phrase, json_string(key))) {
        json_decref(seen);
        return field_nomem(e);
      }
    }
  }
  json_decref(seen);
  return CK_OK;
}

/* A question's cues: {stance: [phrases]}, each stance on the scale and
   each phrase under one stance only. */
int field_cues(field_error *e, const json_t *rec, const char *ptr, long long lo,
               long long hi) {
  json_t *cues = json_object_get(rec, "cues");
  if (!cues)
    return CK_OK;
  if (!json_is_object(cues))
    return field_fail(e, ptr, "cues",
                      "must be an object from a stance to its phrases, e.g. "
                      "{\"2\": [\"already on par\"]}, not %s",
                      ckjson_kind(cues));
  char sub[160];
  snprintf(sub, sizeof sub, "%s/cues", ptr);
  int rc = check_cue_stances(e, cues, sub, lo, hi);
  return rc != CK_OK ? rc : check_cue_phrases(e, cues, sub);
}

/*
** canon.c -- canonical JSON text.
**
** Content ids hash a claim's canonical JSON, and a user checking one in
** Python writes json.dumps(claim, sort_keys=True, separators=(",", ":"),
** ensure_ascii=False).  jansson's own dumper differs from that (reals with
** 17 digits, upper-case \u escapes), so this file writes Python's text
** exactly: shortest round-trip reals, lower-case escapes, raw UTF-8.
*/
#include "internal.h"
#include "canon.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t fnv1a64(const void *data, size_t n) {
  const unsigned char *p = data;
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

void canon_number(strbuf *sb, double d) {
  if (!isfinite(d)) {
    sb_puts(sb, "null");
    return;
  }
  if (d == 0) {
    sb_puts(sb, signbit(d) ? "-0.0" : "0.0");
    return;
  }
  /* Shortest precision that reads back exactly, then Python's layout:
     fixed notation when -4 <= exponent < 16, else d.ddde+XX.  A normal
     double that 15 digits render exactly is rendered shortest by those 15
     digits without their trailing zeros: two decimals of at most 15 digits
     never round to the same normal double (DBL_DIG), so no shorter
     rendering can read back as d unless it is that one.  Most numbers
     thus take one rendering, not one per digit. */
  char e[40];
  int prec = fabs(d) >= DBL_MIN ? DBL_DIG - 1 : 0;
  for (; prec <= 16; prec++) {
    snprintf(e, sizeof e, "%.*e", prec, d);
    if (strtod(e, NULL) == d)
      break;
  }
  char digits[24] = {0};
  size_t nd = 0;
  const char *p = e;
  int neg = 0;
  if (*p == '-') {
    neg = 1;
    p++;
  }
  for (; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9')
      digits[nd++] = *p;
  int exp10 = atoi(p + 1);
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  if (neg)
    sb_putc(sb, '-');
  if (exp10 >= -4 && exp10 < 16) {
    if (exp10 < 0) {
      sb_puts(sb, "0.");
      for (int i = -1; i > exp10; i--)
        sb_putc(sb, '0');
      sb_putn(sb, digits, nd);
    } else {
      size_t whole = (size_t)exp10 + 1;
      for (size_t i = 0; i < whole; i++)
        sb_putc(sb, i < nd ? digits[i] : '0');
      sb_putc(sb, '.');
      if (nd > whole)
        sb_putn(sb, digits + whole, nd - whole);
      else
        sb_putc(sb, '0');
    }
  } else {
    sb_putc(sb, digits[0]);
    if (nd > 1) {
      sb_putc(sb, '.');
      sb_putn(sb, digits + 1, nd - 1);
    }
    sb_printf(sb, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
  }
}

json_t *ckjson_number(double d) {
  return isfinite(d) ? json_real(d) : json_null();
}

json_t *column_text(sqlite3_stmt *st, int i) {
  /* The type first: a NULL text from a non-NULL value is SQLite out of
     memory, which must not read as a NULL column. */
  if (sqlite3_column_type(st, i) == SQLITE_NULL)
    return json_null();
  const unsigned char *t = sqlite3_column_text(st, i);
  return t ? json_stringn((const char *)t, (size_t)sqlite3_column_bytes(st, i))
           : NULL;
}

void jset(json_t *obj, const char *key, json_t *v, int *bad) {
  if (json_object_set_new(obj, key, v) != 0)
    *bad = 1;
}

void jpush(json_t *arr, json_t *v, int *bad) {
  if (json_array_append_new(arr, v) != 0)
    *bad = 1;
}

const char *ckjson_kind(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "a list";
  case JSON_STRING: return "a string";
  case JSON_INTEGER:
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  default: return "null";
  }
}

char *canon_text(const json_t *v, int indent, int sort_keys) {
  if (!v)
    return NULL;
  strbuf sb;
  sb_init(&sb);
  canon_dump(&sb, v, indent, 0, sort_keys);
  return sb_take(&sb);
}

static void canon_string(strbuf *sb, const char *s, size_t n) {
  sb_putc(sb, '"');
  size_t run = 0; /* bytes copied through unchanged, flushed lazily */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[8];
    switch (c) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    default:
      if (c < 0x20) {
        snprintf(u, sizeof u, "\\u%04x", c);
        esc = u;
      }
    }
    if (esc) {
      sb_putn(sb, s + i - run, run);
      run = 0;
      sb_puts(sb, esc);
    } else {
      run++;
    }
  }
  sb_putn(sb, s + n - run, run);
  sb_putc(sb, '"');
}

static void newline(strbuf *sb, int indent, int depth) {
  sb_putc(sb, '\n');
  for (int i = 0; i < indent * depth; i++)
    sb_putc(sb, ' ');
}

void canon_dump(strbuf *sb, const json_t *v, int indent, int depth,
                int sort_keys) {
  switch (json_typeof(v)) {
  case JSON_NULL: sb_puts(sb, "null"); break;
  case JSON_TRUE: sb_puts(sb, "true"); break;
  case JSON_FALSE: sb_puts(sb, "false"); break;
  case JSON_INTEGER:
    sb_printf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    break;
  case JSON_REAL: canon_number(sb, json_real_value(v)); break;
  case JSON_STRING:
    canon_string(sb, json_string_value(v), json_string_length(v));
    break;
  case JSON_ARRAY: {
    size_t n = json_array_size(v);
    if (n == 0) {
      sb_puts(sb, "[]");
      break;
    }
    sb_putc(sb, '[');
    for (size_t i = 0; i < n; i++) {
      if (i)
        sb_putc(sb, ',');
      if (indent)
        newline(sb, indent, depth + 1);
      canon_dump(sb, json_array_get(v, i), indent, depth + 1, sort_keys);
    }
    if (indent)
      newline(sb, indent, depth);
    sb_putc(sb, ']');
    break;
  }
  case JSON_OBJECT: canon_dump_with(sb, v, indent, depth, sort_keys, NULL, NULL, 0); break;
  }
}

typedef struct member {
  const char *key;
  const json_t *value;
} member;

static int member_cmp(const void *a, const void *b) {
  return strcmp(((const member *)a)->key, ((const member *)b)->key);
}

/* A claim has a dozen members or so: sorted in place they cost a tenth
   of qsort's merge sort (its buffer, its calls through a pointer).  Keys
   in an object are distinct, so any sort gives the one order. */
#define FEW_MEMBERS 24

static void sort_members(member *m, size_t k) {
  if (k > FEW_MEMBERS) {
    qsort(m, k, sizeof *m, member_cmp);
    return;
  }
  for (size_t i = 1; i < k; i++) {
    member x = m[i];
    size_t j = i;
    for (; j > 0 && strcmp(m[j - 1].key, x.key) > 0; j--)
      m[j] = m[j - 1];
    m[j] = x;
  }
}

/* canon_dump_with(), and in *mark_at (when mark is not NULL) the offset
   in sb at which a member named `mark` sorts in. */
static void dump_members(strbuf *sb, const json_t *obj, int indent, int depth,
                         int sort_keys, const char *const *keys,
                         json_t *const *values, int n, const char *mark,
                         size_t *mark_at) {
  if (mark)
    *mark_at = sb->len + 1; /* after the '{' until a member sorts after */
  size_t count = json_object_size(obj) + (size_t)n;
  if (count == 0) {
    sb_puts(sb, "{}");
    return;
  }
  int marked = 0;
  member few[FEW_MEMBERS];
  member *m = count <= FEW_MEMBERS ? few : malloc(count * sizeof *m);
  if (!m) {
    sb->oom = 1;
    return;
  }
  size_t k = 0;
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    int replaced = 0;
    for (int i = 0; i < n && !replaced; i++)
      replaced = strcmp(keys[i], key) == 0;
    if (!replaced)
      m[k++] = (member){key, val};
  }
  for (int i = 0; i < n; i++)
    if (values[i])
      m[k++] = (member){keys[i], values[i]};
  if (sort_keys)
    sort_members(m, k);
  if (k == 0)
    sb_puts(sb, "{}");
  else
    sb_putc(sb, '{');
  for (size_t i = 0; i < k; i++) {
    if (i)
      sb_putc(sb, ',');
    if (mark && !marked && strcmp(m[i].key, mark) > 0) {
      *mark_at = sb->len;
      marked = 1;
    }
    if (indent)
      newline(sb, indent, depth + 1);
    canon_string(sb, m[i].key, strlen(m[i].key));
    sb_puts(sb, indent ? ": " : ":");
    canon_dump(sb, m[i].value, indent, depth + 1, sort_keys);
  }
  if (k) {
    if (indent)
      newline(sb, indent, depth);
    if (mark && !marked)
      *mark_at = sb->len;
    sb_putc(sb, '}');
  }
  if (m != few)
    free(m);
}

void canon_dump_with(strbuf *sb, const json_t *obj, int indent, int depth,
                     int sort_keys, const char *const *keys,
                     json_t *const *values, int n) {
  dump_members(sb, obj, indent, depth, sort_keys, keys, values, n, NULL, NULL);
}

size_t canon_dump_marking(strbuf *sb, const json_t *obj, const char *mark) {
  size_t at = 0;
  dump_members(sb, obj, 0, 0, 1, NULL, NULL, 0, mark, &at);
  return at;
}

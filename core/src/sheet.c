/*
** sheet.c -- claim sheets: CSV the way spreadsheets save it (RFC 4180),
** read a record at a time and written back.  Pure: bytes in, cells out;
** sheet_claim() turns a record into the claim it states; import.c checks
** that claim as it checks one of a pack.
**
** Read: UTF-8 (a BOM is skipped), cells separated by commas, a cell in
** double quotes may hold commas, line breaks and "" for a quote, its text
** exactly as written; records end at LF, CRLF or CR alone (a classic Mac
** export).  A record's line is the line it starts on, so a message can
** name it even when a quoted cell spans lines.
** Written: every cell that holds a comma, a quote, a line break, or
** leading or trailing space, or starts with a BOM, is quoted; records end
** with CRLF.
** Carried exactly (docs/sheets.md): a tags cell starting with [ is a JSON
** list of strings, for tags that ';' cannot join; a header cell in JSON
** quotes names a field exactly ("Stance" is not stance), and its column's
** cells are JSON values, for names and values a plain column would change.
*/
#include "internal.h"
#include "canon.h"
#include "sheet.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SHEET_BLOCK 65536

void sheet_open(sheet_reader *r, FILE *f) {
  memset(r, 0, sizeof *r);
  r->f = f;
  r->lineno = 1;
  sb_init(&r->cells);
}

void sheet_close(sheet_reader *r) {
  free(r->buf);
  free(r->start);
  sb_free(&r->cells);
  memset(r, 0, sizeof *r);
}

static int add_cell(sheet_reader *r, size_t from) {
  if (r->ncells == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 32;
    size_t *s = realloc(r->start, cap * sizeof *s);
    if (!s)
      return -1;
    r->start = s;
    r->cap = cap;
  }
  r->start[r->ncells++] = from;
  sb_putc(&r->cells, '\0');
  return r->cells.oom ? -1 : 0;
}

/* The next byte without taking it: -1 at the end of the file, -2 when
   reading failed (r->failed says how).  The file is read a block at a
   time, not a line: a sheet whose lines end in CR alone has no LF to
   stop at. */
static int peek(sheet_reader *r) {
  if (r->pos < r->end)
    return (unsigned char)r->buf[r->pos];
  if (r->failed)
    return -2;
  if (!r->buf && !(r->buf = malloc(SHEET_BLOCK))) {
    r->failed = SHEET_NOMEM;
    return -2;
  }
  errno = 0;
  r->consumed += (long long)r->end;
  r->pos = 0;
  r->end = fread(r->buf, 1, SHEET_BLOCK, r->f);
  if (r->end)
    return (unsigned char)r->buf[0];
  if (ferror(r->f)) {
    r->failed = errno == ENOMEM ? SHEET_NOMEM : SHEET_IO;
    return -2;
  }
  return -1;
}

/* Takes the line end at hand (LF, CRLF or CR alone), appending it to the
   cell when `keep`; 0 when the byte at hand is none. */
static int line_end(sheet_reader *r, int keep) {
  int c = peek(r);
  if (c != '\n' && c != '\r')
    return 0;
  r->pos++;
  if (keep)
    sb_putc(&r->cells, (char)c);
  if (c == '\r' && peek(r) == '\n') {
    r->pos++;
    if (keep)
      sb_putc(&r->cells, '\n');
  }
  r->lineno++;
  return 1;
}

static const char *const NUL_BYTE =
    "a NUL byte (the file is not a text sheet)";

/* A cell in double quotes, its text exactly as written between them ("" a
   quote; line breaks as they are, CRLF too); r->pos is past its opening
   quote.  0, or SHEET_BAD with *err, or r->failed. */
static int quoted_cell(sheet_reader *r, const char **err) {
  for (;;) {
    int c = peek(r);
    if (c == -2)
      return r->failed;
    if (c == -1) {
      *err = "a quoted cell is not closed before the end of the file";
      return SHEET_BAD;
    }
    if (c == '\0') {
      *err = NUL_BYTE;
      return SHEET_BAD;
    }
    if (line_end(r, 1))
      continue;
    r->pos++;
    if (c == '"') {
      if (peek(r) != '"')
        break;
      r->pos++;
    }
    sb_putc(&r->cells, (char)c);
  }
  int c = peek(r);
  if (c == -2)
    return r->failed;
  if (c != ',' && c != '\n' && c != '\r' && c != -1) {
    *err = "text after the closing quote of a cell";
    return SHEET_BAD;
  }
  return 0;
}

/* A cell not in quotes: up to a comma or the end of the line. */
static int plain_cell(sheet_reader *r, const char **err) {
  for (;;) {
    int c = peek(r);
    if (c == -2)
      return r->failed;
    if (c == -1 || c == ',' || c == '\n' || c == '\r')
      return 0;
    if (c == '"') {
      *err = "a quote inside a cell that does not start with one (quote "
             "the whole cell and double the quote: \"\")";
      return SHEET_BAD;
    }
    if (c == '\0') {
      *err = NUL_BYTE;
      return SHEET_BAD;
    }
    sb_putc(&r->cells, (char)c);
    r->pos++;
  }
}

int sheet_next(sheet_reader *r, const char **err) {
  *err = NULL;
  r->ncells = 0;
  r->cells.len = 0;
  int c = peek(r);
  if (c == -2)
    return r->failed;
  if (!r->started) {
    r->started = 1;
    if (r->end - r->pos >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
      r->pos += 3, c = peek(r);
    if (c == -2)
      return r->failed;
  }
  if (c == -1)
    return 0;
  r->record_line = r->lineno;
  for (;;) {
    size_t from = r->cells.len;
    int rc;
    if (peek(r) == '"') {
      r->pos++;
      rc = quoted_cell(r, err);
    } else {
      rc = plain_cell(r, err);
    }
    if (rc)
      return rc;
    if (add_cell(r, from))
      return SHEET_NOMEM;
    if (peek(r) != ',')
      break;
    r->pos++;
  }
  line_end(r, 0);
  return r->failed ? r->failed : 1;
}

const char *sheet_cell(const sheet_reader *r, size_t i) {
  return r->cells.data + r->start[i];
}

int sheet_blank(const sheet_reader *r) {
  for (size_t i = 0; i < r->ncells; i++)
    if (*sheet_cell(r, i))
      return 0;
  return 1;
}

void sheet_put(strbuf *sb, const char *cell, int last) {
  size_t n = strlen(cell);
  /* a leading BOM would be read as the file's own if the cell came first */
  int quote = n && (cell[0] == ' ' || cell[n - 1] == ' ' ||
                    strncmp(cell, "\xEF\xBB\xBF", 3) == 0);
  for (size_t i = 0; i < n && !quote; i++)
    quote = cell[i] == ',' || cell[i] == '"' || cell[i] == '\n' ||
            cell[i] == '\r';
  if (!quote) {
    sb_putn(sb, cell, n);
  } else {
    sb_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
      if (cell[i] == '"')
        sb_putc(sb, '"');
      sb_putc(sb, cell[i]);
    }
    sb_putc(sb, '"');
  }
  sb_puts(sb, last ? "\r\n" : ",");
}

/* ---- cells to a claim ----------------------------------------------------- */

const char *const ck_sheet_fields[CK_SHEET_FIELDS] = {
    "id",       "source", "actor",  "locator", "quote", "as_of",
    "tags",     "question", "stance", "entity", "metric", "period",
    "value",    "lo",     "hi",     "quantity", "unit"};
/* Each field's cell, in the order above (sheet_field_cell()). */
static const char field_cells[CK_SHEET_FIELDS + 1] = "ttttttltitttnnntt";

int sheet_field(const char *key) {
  for (int i = 0; i < CK_SHEET_FIELDS; i++)
    if (strcmp(key, ck_sheet_fields[i]) == 0)
      return i;
  return -1;
}

char sheet_field_cell(int k) {
  return k >= 0 && k < CK_SHEET_FIELDS ? field_cells[k] : 't';
}

/* The claim field a header cell names, matched without regard to case (a
   header says "Stance" as often as "stance"); "type" too, which a sheet
   made from JSON Lines may keep. */
static const char *claim_field(const char *s, size_t n) {
  char word[16];
  if (!n || n >= sizeof word)
    return NULL;
  for (size_t i = 0; i < n; i++)
    word[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
  word[n] = '\0';
  for (size_t k = 0; k < CK_SHEET_FIELDS; k++)
    if (strcmp(word, ck_sheet_fields[k]) == 0)
      return ck_sheet_fields[k];
  return strcmp(word, "type") == 0 ? "type" : NULL;
}

static int blank_char(char c) { return c == ' ' || c == '\t'; }

static const char *trimmed(const char *s, size_t *n) {
  while (blank_char(*s))
    s++;
  size_t len = strlen(s);
  while (len && blank_char(s[len - 1]))
    len--;
  *n = len;
  return s;
}

/* How many bytes of s (at most max) a message quotes: whole characters
   only, so a quoted cell stays UTF-8. */
static int clip(const char *s, size_t max) {
  size_t n = strnlen(s, max);
  if (s[n])
    while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
      n--;
  return (int)n;
}

int sheet_plain_name(const char *name) {
  size_t n = strlen(name);
  return n && !blank_char(name[0]) && !blank_char(name[n - 1]) &&
         name[0] != '"' && !claim_field(name, n);
}

void sheet_columns_free(sheet_columns *c) {
  for (size_t i = 0; i < c->n; i++)
    free(c->name[i]);
  free(c->name);
  free(c->exact);
  memset(c, 0, sizeof *c);
}

/* A header cell in quotes: the JSON string of a field's exact name.  NULL
   with msg saying why, or "" when memory ran out. */
static char *exact_name(const char *s, size_t n, size_t column, char *msg,
                        size_t msglen) {
  json_error_t e;
  json_t *v = ck_json_loadb(s, n, JSON_DECODE_ANY, &e);
  char *name = NULL;
  if (json_is_string(v) &&
      strlen(json_string_value(v)) == json_string_length(v))
    name = strdup(json_string_value(v));
  else if (v || json_error_code(&e) != json_error_out_of_memory)
    snprintf(msg, msglen, "column %zu of the header: '%.*s%s' is not a name "
             "in JSON quotes (a header cell that starts with \" is one, as "
             "\"Stance\" is the field Stance, not stance)", column,
             clip(s, 40), s, n > 40 ? "..." : "");
  json_decref(v);
  return name;
}

typedef struct named {
  const char *name;
  size_t column;
} named;

static int by_name_then_column(const void *a, const void *b) {
  const named *x = a, *y = b;
  int d = strcmp(x->name, y->name);
  return d ? d : (x->column > y->column) - (x->column < y->column);
}

/* A name the header gives twice: -1 with msg naming the pair whose second
   column comes first, or "" when memory ran out.  Sorted, not compared
   pairwise, so that a header of 100,000 columns takes no time. */
static int twice(const sheet_columns *c, char *msg, size_t msglen) {
  named *v = malloc((c->n ? c->n : 1) * sizeof *v);
  if (!v)
    return -1;
  size_t n = 0;
  for (size_t i = 0; i < c->n; i++)
    if (*c->name[i] || c->exact[i]) /* an unnamed column is no name */
      v[n].name = c->name[i], v[n++].column = i;
  qsort(v, n, sizeof *v, by_name_then_column);
  size_t first = 0, second = 0;
  for (size_t k = 1; k < n; k++)
    if (strcmp(v[k].name, v[k - 1].name) == 0 &&
        (k == 1 || strcmp(v[k - 1].name, v[k - 2].name) != 0) &&
        (!second || v[k].column < second - 1))
      first = v[k - 1].column + 1, second = v[k].column + 1;
  free(v);
  if (!second)
    return 0;
  const char *name = c->name[second - 1];
  snprintf(msg, msglen, "the header names '%.*s' twice (columns %zu and "
           "%zu)", clip(name, 64), name, first, second);
  return -1;
}

int sheet_header(const sheet_reader *r, sheet_columns *c, char *msg,
                 size_t msglen) {
  memset(c, 0, sizeof *c);
  *msg = '\0';
  size_t cells = r->ncells ? r->ncells : 1;
  c->name = calloc(cells, sizeof *c->name);
  c->exact = calloc(cells, 1);
  if (!c->name || !c->exact)
    goto fail;
  c->n = r->ncells;
  for (size_t i = 0; i < r->ncells; i++) {
    size_t n;
    const char *cell = sheet_cell(r, i);
    if (utf8_invalid_at(cell, strlen(cell)) != (size_t)-1) {
      snprintf(msg, msglen, "column %zu of the header is not UTF-8 text "
               "(save the sheet as CSV in UTF-8)", i + 1);
      goto fail;
    }
    const char *s = trimmed(cell, &n);
    const char *known = claim_field(s, n);
    if (n && *s == '"') {
      c->exact[i] = 1;
      c->name[i] = exact_name(s, n, i + 1, msg, msglen);
    } else {
      c->name[i] = known ? strdup(known) : strndup(s, n);
    }
    if (!c->name[i])
      goto fail;
  }
  if (twice(c, msg, msglen) == 0)
    return 0;
fail:
  sheet_columns_free(c);
  return -1;
}

/* A number as a sheet writes it: decimal, with an optional sign, fraction
   and exponent; "1,5", "0x10", "inf" and "3 %" are not numbers. */
static int decimal(const char *s, size_t n, int *integral) {
  size_t i = 0, digits = 0;
  *integral = 1;
  if (i < n && (s[i] == '-' || s[i] == '+'))
    i++;
  while (i < n && s[i] >= '0' && s[i] <= '9')
    i++, digits++;
  if (i < n && s[i] == '.') {
    *integral = 0;
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
      digits++;
  }
  if (!digits)
    return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    *integral = 0;
    i++;
    if (i < n && (s[i] == '-' || s[i] == '+'))
      i++;
    size_t exp = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++, exp++;
    if (!exp)
      return 0;
  }
  return i == n;
}

/* A number cell: written as an integer, an integer; else a real (a stance
   written 2.0 stays 2.0, as a pack keeps it). */
static json_t *number_cell(const char *cell, int want_integer, char *msg,
                           size_t msglen) {
  size_t n;
  const char *s = trimmed(cell, &n);
  char text[64];
  int integral;
  const char *what = want_integer ? "an integer" : "a number";
  if (n >= sizeof text || !decimal(s, n, &integral)) {
    snprintf(msg, msglen, "'%.*s%s' is not %s", clip(cell, 40), cell,
             strlen(cell) > 40 ? "..." : "", what);
    return NULL;
  }
  memcpy(text, s, n);
  text[n] = '\0';
  errno = 0;
  if (integral) {
    long long v = strtoll(text, NULL, 10);
    if (errno != ERANGE)
      return json_integer((json_int_t)v);
    if (want_integer) {
      snprintf(msg, msglen, "'%s' is too large an integer", text);
      return NULL;
    }
  }
  double d = strtod(text, NULL);
  if (!isfinite(d)) {
    snprintf(msg, msglen, "'%s' is too large a number", text);
    return NULL;
  }
  if (want_integer && d != floor(d)) {
    snprintf(msg, msglen, "'%s' is not an integer", text);
    return NULL;
  }
  return json_real(d);
}

/* A list of strings: each tag plain (not empty, no ';', no space or tab at
   either end) and the first not starting with '[', so that joined with ';'
   they read back as the same list; anything else (no tags, "", " a",
   "a;b") is written as the list's JSON. */
static int plain_tags(const json_t *tags) {
  size_t n = json_array_size(tags);
  for (size_t i = 0; i < n; i++) {
    const char *t = json_string_value(json_array_get(tags, i));
    size_t len = t ? strlen(t) : 0;
    if (!len || strchr(t, ';') || blank_char(t[0]) || blank_char(t[len - 1]) ||
        (i == 0 && t[0] == '['))
      return 0;
  }
  return n > 0;
}

void sheet_put_tags(strbuf *cell, const json_t *tags) {
  if (!plain_tags(tags)) {
    canon_dump(cell, tags, 0, 0, 1);
    return;
  }
  for (size_t i = 0; i < json_array_size(tags); i++) {
    if (i)
      sb_putc(cell, ';');
    sb_puts(cell, json_string_value(json_array_get(tags, i)));
  }
}

/* A list of strings in JSON, or NULL with msg saying why ("" when memory
   ran out). */
static json_t *cell_tags(const char *s, size_t n, char *msg, size_t msglen) {
  json_error_t e;
  json_t *tags = ck_json_loadb(s, n, 0, &e);
  int ok = json_is_array(tags);
  for (size_t i = 0; ok && i < json_array_size(tags); i++) {
    const json_t *t = json_array_get(tags, i);
    ok = json_is_string(t) && strlen(json_string_value(t)) ==
                                  json_string_length(t);
  }
  if (ok)
    return tags;
  if (tags || json_error_code(&e) != json_error_out_of_memory)
    snprintf(msg, msglen, "'%.*s%s' is not a list of tags in JSON (a tags "
             "cell that starts with [ is one, as [\"a;b\", \" c\"]; else the "
             "tags are separated by ;)", clip(s, 40), s, n > 40 ? "..." : "");
  json_decref(tags);
  return NULL;
}

static json_t *tags_cell(const char *cell, char *msg, size_t msglen) {
  size_t n;
  const char *s = trimmed(cell, &n);
  if (*s == '[')
    return cell_tags(s, n, msg, msglen);
  json_t *tags = json_array();
  for (const char *p = cell; tags && *p;) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char *piece = strndup(p, len);
    const char *t = piece ? trimmed(piece, &n) : NULL;
    if (!piece || (n && json_array_append_new(tags, json_stringn(t, n)))) {
      json_decref(tags);
      tags = NULL;
    }
    free(piece);
    p += len + (end != NULL);
  }
  return tags;
}

/* A cell of a column whose header is in quotes: a JSON value. */
static json_t *cell_json(const char *cell, char *msg, size_t msglen) {
  json_error_t e;
  json_t *v = ck_json_loads(cell, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &e);
  if (!v && json_error_code(&e) != json_error_out_of_memory)
    snprintf(msg, msglen, "'%.*s%s' is not JSON (%s; the column's name is "
             "in quotes, so its cells are JSON values: \"text\", 12, "
             "[\"a\"])", clip(cell, 40), cell,
             strlen(cell) > 40 ? "..." : "", e.text);
  return v;
}

/* A cell's value by its column: NULL with msg (or "" when memory ran out),
   or *skip for the cell of a plain "type" column, which says "claim" or
   "source" (*source: the row is a draft's source record). */
static json_t *cell_value(const char *name, int exact, const char *cell,
                          int *skip, int *source, char *msg, size_t msglen) {
  *skip = 0;
  if (exact)
    return cell_json(cell, msg, msglen);
  switch (sheet_field_cell(sheet_field(name))) {
  case 'i':
    return number_cell(cell, 1, msg, msglen);
  case 'n':
    return number_cell(cell, 0, msg, msglen);
  case 'l':
    return tags_cell(cell, msg, msglen);
  }
  if (strcmp(name, "type") == 0) {
    *source = strcmp(cell, "source") == 0;
    if (strcmp(cell, "claim") != 0 && !*source)
      snprintf(msg, msglen, "'%.*s': a claim sheet holds claims and sources "
               "only (the other records come in a pack or JSON Lines)",
               clip(cell, 40), cell);
    *skip = 1;
    return NULL;
  }
  return json_string(cell);
}

json_t *sheet_claim(const sheet_reader *r, const sheet_columns *c,
                    const char **column, int *source, char *msg,
                    size_t msglen) {
  json_t *claim = json_object();
  *column = NULL;
  *source = 0;
  *msg = '\0';
  if (!claim)
    return NULL;
  for (size_t i = 0; i < r->ncells; i++) {
    const char *cell = sheet_cell(r, i);
    if (!*cell)
      continue;
    if (i >= c->n || (!*c->name[i] && !c->exact[i])) {
      *column = NULL;
      snprintf(msg, msglen, "column %zu holds '%.*s' but the header gives "
               "it no name", i + 1, clip(cell, 40), cell);
      goto refuse;
    }
    *column = c->name[i];
    if (utf8_invalid_at(cell, strlen(cell)) != (size_t)-1) {
      snprintf(msg, msglen, "not UTF-8 text (save the sheet as CSV in "
               "UTF-8)");
      goto refuse;
    }
    int skip;
    json_t *v =
        cell_value(c->name[i], c->exact[i], cell, &skip, source, msg, msglen);
    if (skip && !*msg)
      continue;
    /* json_object_set_new() frees v when it fails: memory ran out */
    if (!v || json_object_set_new(claim, c->name[i], v))
      goto refuse;
  }
  *column = NULL;
  return claim;
refuse:
  json_decref(claim);
  return NULL;
}

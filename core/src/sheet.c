/*
** sheet.c -- claim sheets: CSV the way spreadsheets save it (RFC 4180),
** read a record at a time and written back.  Pure: bytes in, cells out;
** sheet_claim() turns a record into the claim it states; import.c checks
** that claim as it checks one of a pack.
**
** Read: UTF-8 (a BOM is skipped), cells separated by commas, a cell in
** double quotes may hold commas, line breaks and "" for a quote; records
** end at LF or CRLF.  A record's line is the line it starts on, so a
** message can name it even when a quoted cell spans lines.
** Written: every cell that holds a comma, a quote, a line break, or
** leading or trailing space, or starts with a BOM, is quoted; records end
** with CRLF.
*/
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void sheet_open(sheet_reader *r, FILE *f) {
  memset(r, 0, sizeof *r);
  r->f = f;
  sb_init(&r->cells);
}

void sheet_close(sheet_reader *r) {
  free(r->line);
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

/* Reads a physical line into r->line; 0 at the end of the file. */
static int next_line(sheet_reader *r, ssize_t *n) {
  errno = 0;
  *n = getline(&r->line, &r->linecap, r->f);
  if (*n < 0) {
    if (!feof(r->f))
      return -1;
    return 0;
  }
  r->lineno++;
  return 1;
}

int sheet_next(sheet_reader *r, const char **err) {
  ssize_t n;
  *err = NULL;
  int got = next_line(r, &n);
  if (got <= 0) {
    return got < 0 ? (errno == ENOMEM ? SHEET_NOMEM : SHEET_IO) : 0;
  }
  r->record_line = r->lineno;
  r->ncells = 0;
  r->cells.len = 0;
  const char *p = r->line;
  size_t len = (size_t)n;
  if (r->lineno == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3, len -= 3;
  size_t from = 0, i = 0;
  int quoted = 0, was_quoted = 0;
  if (memchr(p, '\0', len)) {
    *err = "a NUL byte (the file is not a text sheet)";
    return SHEET_BAD;
  }
  for (;;) {
    if (i == len) {
      if (!quoted)
        break; /* no line break at the end of the file */
      /* a quoted cell goes on on the next line */
      got = next_line(r, &n);
      if (got < 0)
        return errno == ENOMEM ? SHEET_NOMEM : SHEET_IO;
      if (got == 0) {
        *err = "a quoted cell is not closed before the end of the file";
        return SHEET_BAD;
      }
      p = r->line;
      len = (size_t)n;
      i = 0;
      if (memchr(p, '\0', len)) {
        *err = "a NUL byte (the file is not a text sheet)";
        return SHEET_BAD;
      }
      continue;
    }
    char c = p[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < len && p[i + 1] == '"') {
          sb_putc(&r->cells, '"');
          i += 2;
          continue;
        }
        quoted = 0;
        i++;
        continue;
      }
      if (!(c == '\r' && i + 1 < len && p[i + 1] == '\n'))
        sb_putc(&r->cells, c); /* a line break in a cell is a LF */
      i++;
      continue;
    }
    if (c == '"') {
      if (r->cells.len != from || was_quoted) {
        *err = "a quote inside a cell that does not start with one (quote "
               "the whole cell and double the quote: \"\")";
        return SHEET_BAD;
      }
      quoted = was_quoted = 1;
      i++;
      continue;
    }
    if (c == ',') {
      if (add_cell(r, from))
        goto oom;
      from = r->cells.len;
      was_quoted = 0;
      i++;
      continue;
    }
    if (c == '\n' || (c == '\r' && i + 1 < len && p[i + 1] == '\n') ||
        (c == '\r' && i + 1 == len))
      break;
    if (was_quoted) {
      *err = "text after the closing quote of a cell";
      return SHEET_BAD;
    }
    sb_putc(&r->cells, c);
    i++;
  }
  if (add_cell(r, from))
    goto oom;
  if (r->cells.oom)
    goto oom;
  return 1;
oom:
  return SHEET_NOMEM;
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

static const char *trimmed(const char *s, size_t *n) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t len = strlen(s);
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  *n = len;
  return s;
}

void sheet_columns_free(sheet_columns *c) {
  for (size_t i = 0; i < c->n; i++)
    free(c->name[i]);
  free(c->name);
  memset(c, 0, sizeof *c);
}

int sheet_header(const sheet_reader *r, sheet_columns *c, char *msg,
                 size_t msglen) {
  memset(c, 0, sizeof *c);
  c->name = calloc(r->ncells ? r->ncells : 1, sizeof *c->name);
  if (!c->name)
    goto oom;
  c->n = r->ncells;
  for (size_t i = 0; i < r->ncells; i++) {
    size_t n;
    const char *s = trimmed(sheet_cell(r, i), &n);
    const char *known = claim_field(s, n);
    if (!(c->name[i] = known ? strdup(known) : strndup(s, n)))
      goto oom;
    for (size_t j = 0; j < i && n; j++)
      if (strcmp(c->name[i], c->name[j]) == 0) {
        snprintf(msg, msglen, "the header names '%.64s' twice (columns %zu "
                 "and %zu)", c->name[i], j + 1, i + 1);
        sheet_columns_free(c);
        return -1;
      }
  }
  return 0;
oom:
  *msg = '\0';
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

static json_t *number_cell(const char *cell, int want_integer, char *msg,
                           size_t msglen) {
  size_t n;
  const char *s = trimmed(cell, &n);
  char text[64];
  int integral;
  if (n >= sizeof text || !decimal(s, n, &integral) ||
      (want_integer && !integral)) {
    snprintf(msg, msglen, "'%.40s%s' is not %s", cell,
             strlen(cell) > 40 ? "..." : "",
             want_integer ? "an integer" : "a number");
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
  return json_real(d);
}

static json_t *tags_cell(const char *cell) {
  json_t *tags = json_array();
  for (const char *p = cell; tags && *p;) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char *piece = strndup(p, len);
    size_t n;
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

json_t *sheet_claim(const sheet_reader *r, const sheet_columns *c,
                    const char **column, char *msg, size_t msglen) {
  json_t *claim = json_object();
  *column = NULL;
  if (!claim)
    goto oom;
  for (size_t i = 0; i < r->ncells; i++) {
    const char *cell = sheet_cell(r, i);
    if (!*cell)
      continue;
    if (i >= c->n || !*c->name[i]) {
      *column = NULL;
      snprintf(msg, msglen, "column %zu holds '%.40s' but the header gives "
               "it no name", i + 1, cell);
      json_decref(claim);
      return NULL;
    }
    const char *name = c->name[i];
    *column = name;
    json_t *v;
    *msg = '\0';
    if (utf8_invalid_at(cell, strlen(cell)) != (size_t)-1) {
      snprintf(msg, msglen, "not UTF-8 text (save the sheet as CSV in "
               "UTF-8)");
      json_decref(claim);
      return NULL;
    }
    if (strcmp(name, "stance") == 0)
      v = number_cell(cell, 1, msg, msglen);
    else if (strcmp(name, "value") == 0 || strcmp(name, "lo") == 0 ||
             strcmp(name, "hi") == 0)
      v = number_cell(cell, 0, msg, msglen);
    else if (strcmp(name, "tags") == 0)
      v = tags_cell(cell);
    else
      v = json_string(cell);
    if (!v && !*msg)
      goto oom;
    if (!v || json_object_set_new(claim, name, v)) {
      json_decref(claim);
      if (!v)
        return NULL;
      goto oom;
    }
  }
  *column = NULL;
  return claim;
oom:
  *msg = '\0';
  return NULL;
}

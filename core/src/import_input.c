/*
** import_input.c -- an import's input, line by line: text in memory, or a
** file read once from its start to its end (import.h says why), and what
** is said of a line that does not parse.
*/
#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON text that did not parse: bad input, or no memory to parse it. */
int input_parse_code(const json_error_t *err) {
  return json_error_code(err) == json_error_out_of_memory ? CK_NOMEM
                                                          : CK_INVALID;
}

/* Why a line did not parse, as the import says it (no memory has no
   column: it ran out wherever the parse was). */
void input_parse_message(const json_error_t *err, long line,
                         char out[CK_ERRMSG_MAX]) {
  if (input_parse_code(err) == CK_NOMEM)
    snprintf(out, CK_ERRMSG_MAX, "line %ld: out of memory", line);
  else
    snprintf(out, CK_ERRMSG_MAX, "line %ld, column %d: %s", line, err->column,
             err->text);
}

/* Columns as jansson counts them: characters, not bytes. */
int input_columns(const char *s, size_t n) {
  int c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* A raw NUL ends the input wherever it is: no JSON text holds one, and a
   file of them (/dev/zero, an image) is not read to its end first. */
void input_nul_message(long line, int column, char out[CK_ERRMSG_MAX]) {
  snprintf(out, CK_ERRMSG_MAX,
           "line %ld, column %d: a NUL byte, which no JSON text holds "
           "(a claim pack or JSON Lines is UTF-8 text; is this a binary "
           "file?)",
           line, column);
}

int input_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
      return 0;
  return 1;
}

/* Reads more of the file; 0 when it cannot (src->err says why). */
static int fill(input *src) {
  if (!src->keep && src->at > 0) {
    memmove(src->own, src->own + src->at, src->len - src->at);
    src->dropped += (long long)src->at;
    src->len -= src->at;
    src->at = src->start = 0;
  }
  if (src->len == src->cap) {
    size_t cap = src->cap ? 2 * src->cap : 65536;
    char *grown = cap > src->cap ? realloc(src->own, cap) : NULL;
    if (!grown) {
      src->err = ENOMEM;
      return 0;
    }
    src->buf = src->own = grown;
    src->cap = cap;
  }
  errno = 0;
  size_t n = fread(src->own + src->len, 1, src->cap - src->len, src->f);
  src->len += n;
  if (ferror(src->f)) {
    src->err = errno ? errno : EIO;
    return 0;
  }
  src->eof = n == 0 || feof(src->f);
  return 1;
}

/* The next line in *s, *n: SRC_LINE; SRC_NUL when it holds a NUL (*n
   bytes come before it, and the rest is not read); SRC_END, or
   SRC_ERROR when the file cannot be read on. */
int input_next_line(input *src, const char **s, size_t *n) {
  for (;;) {
    const char *line = src->buf + src->at, *from = line + src->scanned;
    size_t avail = src->len - src->at - src->scanned;
    const char *nl = memchr(from, '\n', avail);
    const char *nul =
        src->f ? memchr(from, '\0', nl ? (size_t)(nl - from) : avail) : NULL;
    if (nul || nl || src->eof || !src->f) {
      const char *end = nul ? nul : nl ? nl : src->buf + src->len;
      if (end == line && !nul && !nl)
        return SRC_END;
      *s = line;
      *n = (size_t)(end - line);
      src->line++;
      src->at = (size_t)(end - src->buf) + (nl && !nul);
      src->scanned = 0;
      return nul ? SRC_NUL : SRC_LINE;
    }
    src->scanned += avail;
    if (!fill(src))
      return SRC_ERROR;
  }
}

/* Bytes of the input read so far, and those before the next line. */
long long input_read(const input *src) {
  return src->dropped + (long long)src->len;
}

long long input_through(const input *src) {
  return src->dropped + (long long)src->at;
}

/* The rest of the input after what input_next_line() took, all of it: SRC_END,
   SRC_NUL (src->at is where), or SRC_ERROR.  A pack is parsed whole, so
   its progress is the reading. */
int input_read_rest(ck_db *db, input *src) {
  size_t checked = src->at;
  for (;;) {
    import_progress_set(db, CK_PROGRESS_BYTES, input_read(src));
    const char *nul =
        src->f ? memchr(src->buf + checked, '\0', src->len - checked) : NULL;
    if (nul) {
      src->at = (size_t)(nul - src->buf);
      return SRC_NUL;
    }
    checked = src->len;
    if (!src->f || src->eof)
      return SRC_END;
    if (!fill(src))
      return SRC_ERROR;
  }
}

void input_text(input *src, const char *text, size_t len) {
  memset(src, 0, sizeof *src);
  src->buf = text;
  src->len = len;
  if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
    src->start = src->at = 3;
}

/* 0 when the file's first bytes cannot be read (src->err). */
int input_file(input *src, FILE *f, const char *path) {
  memset(src, 0, sizeof *src);
  src->f = f;
  src->path = path;
  src->buf = "";
  while (src->len < 3 && !src->eof)
    if (!fill(src))
      return 0;
  if (src->len >= 3 && memcmp(src->buf, "\xEF\xBB\xBF", 3) == 0)
    src->start = src->at = 3;
  return 1;
}

/* Why input_next_line() or input_read_rest() stopped short (got: SRC_NUL or
   SRC_ERROR); for a NUL, the line it is on and what came before it. */
int input_failed(ck_db *db, const input *src, int got, long line, const char *s,
                 size_t n) {
  char why[CK_ERRMSG_MAX];
  if (got == SRC_NUL) {
    input_nul_message(line, input_columns(s, n) + 1, why);
    return db_error(db, CK_INVALID, "%s", why);
  }
  char after[48] = "";
  if (line > 0)
    snprintf(after, sizeof after, " after line %ld", line);
  return db_error(db, src->err == ENOMEM ? CK_NOMEM : CK_IO,
                  "cannot read '%s'%s: %s", src->path, after,
                  strerror(src->err));
}

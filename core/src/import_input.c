/*
** import_input.c -- an import's input, line by line: text in memory, or a
** file read once from its start to its end (import.h says why), and what
** is said of a line that does not parse; and a pack's text, read through a
** window (pack_text: import_pack.c scans it, import_reader.c parses it).
*/
#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    import_progress_raise(db, CK_PROGRESS_BYTES, input_read(src));
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

/* ---- the text, through a window ----------------------------------------- */

void pack_text_memory(pack_text *t, const char *s, size_t n) {
  memset(t, 0, sizeof *t);
  t->fd = -1;
  t->len = t->win_len = n;
  t->win = s;
}

int pack_text_file(pack_text *t, ck_db *db, FILE *f, long long base) {
  struct stat st;
  memset(t, 0, sizeof *t);
  t->fd = -1;
  if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size < base)
    return 0;
  t->db = db;
  t->window = db->pack_window ? db->pack_window : 1;
  t->fd = fileno(f);
  t->base = base;
  t->len = (size_t)(st.st_size - base);
  t->win = "";
  return 1;
}

void pack_text_free(pack_text *t) {
  free(t->own);
  t->own = NULL;
  t->win = "";
  t->win_len = 0;
}

/* Reads [at, at + want) into the window, keeping what it holds of it. */
static int window_fill(pack_text *t, size_t at, size_t want) {
  size_t kept = 0;
  if (at >= t->win_at && at < t->win_at + t->win_len)
    kept = t->win_at + t->win_len - at;
  if (want > t->own_cap) {
    char *grown = realloc(t->own, want);
    if (!grown)
      return 0;
    t->own = grown, t->own_cap = want;
  }
  if (kept) /* (win was own: the same bytes, maybe moved by realloc) */
    memmove(t->own, t->own + (at - t->win_at), kept);
  t->win = t->own, t->win_at = at, t->win_len = kept;
  while (t->win_len < want) {
    ssize_t got = pread(t->fd, t->own + t->win_len, want - t->win_len,
                        (off_t)(t->base + (long long)(at + t->win_len)));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0 || memchr(t->own + t->win_len, '\0', (size_t)got))
      return 0; /* the whole reading says what: an error, a NUL, shorter */
    t->win_len += (size_t)got;
  }
  if (t->db)
    import_progress_raise(t->db, CK_PROGRESS_BYTES,
                          t->base + (long long)(at + want));
  return 1;
}

const char *pack_text_get(pack_text *t, size_t at, size_t len) {
  if (at >= t->win_at && len <= t->win_len &&
      at - t->win_at <= t->win_len - len)
    return t->win + (at - t->win_at);
  if (t->fd < 0 || t->failed || at > t->len || len > t->len - at)
    return NULL;
  size_t want = len > t->window ? len : t->window;
  if (want > t->len - at)
    want = t->len - at;
  if (!window_fill(t, at, want)) {
    t->failed = 1;
    return NULL;
  }
  return t->win;
}

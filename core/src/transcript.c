/*
** transcript.c -- raw minutes into segments (draft.c makes a draft claim
** pack of them).  Pure: text in, JSON out; no SQL, no handle.
**
** Segment headers, each on its own line:
**   发言人1   00:23          a speaker and a time alone (the seed's form)
**   Speaker 2 01:02:03
**   [00:23] Name: text       a time in brackets, then the speaker
**   Name (00:23): text       the speaker, then the time in parentheses
** Without any header, each paragraph is a segment: p1, p2, ...
** CRLF and CR line endings, a BOM, full-width colons, parentheses and the
** ideographic space are all read.
*/
#include "internal.h"
#include "canon.h"
#include "transcript.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SPEAKER 60 /* bytes; a longer "name" is a sentence */

typedef struct span {
  const char *p;
  size_t n;
} span;

static int is_space_at(const char *p, const char *end, size_t *len) {
  if (p < end && (*p == ' ' || *p == '\t')) {
    *len = 1;
    return 1;
  }
  if (end - p >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0) { /* U+3000 */
    *len = 3;
    return 1;
  }
  return 0;
}

static span trim(span s) {
  size_t n;
  while (s.n && is_space_at(s.p, s.p + s.n, &n))
    s.p += n, s.n -= n;
  for (;;) {
    if (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
      s.n--;
    else if (s.n >= 3 && memcmp(s.p + s.n - 3, "\xE3\x80\x80", 3) == 0)
      s.n -= 3;
    else
      break;
  }
  return s;
}

/* ':' or '：' */
static size_t colon_at(const char *p, const char *end) {
  if (p < end && *p == ':')
    return 1;
  return end - p >= 3 && memcmp(p, "：", 3) == 0 ? 3 : 0;
}


/* A time mm:ss or hh:mm:ss at p; its length, and its text with ':' in
   out (full-width colons read as ':'). */
static size_t time_at(const char *p, const char *end, char out[16]) {
  const char *q = p;
  size_t o = 0, c;
  int groups = 0;
  for (;;) {
    int digits = 0;
    while (q < end && *q >= '0' && *q <= '9' && digits < 2 && o < 15)
      out[o++] = *q++, digits++;
    if (digits == 0 || (groups > 0 && digits != 2))
      return 0;
    groups++;
    if (groups == 3 || !(c = colon_at(q, end)) || q + c >= end ||
        !(q[c] >= '0' && q[c] <= '9'))
      break;
    q += c;
    out[o++] = ':';
  }
  if (groups < 2 || (q < end && *q >= '0' && *q <= '9'))
    return 0;
  out[o] = '\0';
  return (size_t)(q - p);
}

typedef struct header {
  span speaker, text;
  char locator[16];
} header;

static int speaker_ok(span s) {
  if (s.n == 0 || s.n > MAX_SPEAKER)
    return 0;
  for (size_t i = 0; i < s.n; i++)
    if (colon_at(s.p + i, s.p + s.n) || prefix_len(s.p + i, s.p + s.n, "。") ||
        s.p[i] == '[' || s.p[i] == ']')
      return 0;
  return 1;
}

/* Is the (trimmed) line a segment header? */
static int read_header(span line, header *h) {
  const char *p = line.p, *end = line.p + line.n;
  size_t n;
  memset(h, 0, sizeof *h);
  /* [00:23] Name: text */
  if (p < end && *p == '[') {
    size_t t = time_at(p + 1, end, h->locator);
    if (t && p + 1 + t < end && p[1 + t] == ']') {
      const char *q = p + 2 + t;
      const char *colon = q;
      while (colon < end && !colon_at(colon, end))
        colon++;
      if (colon < end) {
        h->speaker = trim((span){q, (size_t)(colon - q)});
        h->text = trim((span){colon + colon_at(colon, end),
                              (size_t)(end - colon - colon_at(colon, end))});
        if (speaker_ok(h->speaker))
          return 1;
      }
    }
    return 0;
  }
  /* Name (00:23): text */
  for (const char *q = p; q < end; q++) {
    size_t open = *q == '(' ? 1 : prefix_len(q, end, "（");
    if (!open)
      continue;
    size_t t = time_at(q + open, end, h->locator);
    const char *r = q + open + t;
    size_t close = t ? (r < end && *r == ')' ? 1 : prefix_len(r, end, "）")) : 0;
    if (!close)
      break;
    const char *after = r + close;
    while (is_space_at(after, end, &n))
      after += n;
    size_t c = colon_at(after, end);
    h->speaker = trim((span){p, (size_t)(q - p)});
    if (!c || !speaker_ok(h->speaker))
      break;
    h->text = trim((span){after + c, (size_t)(end - after - c)});
    return 1;
  }
  /* 发言人1   00:23 -- a name, white space, a time, nothing else */
  const char *run = NULL, *after = NULL; /* the last run of white space */
  for (const char *q = p; q < end;) {
    if (is_space_at(q, end, &n)) {
      if (!after || after != q)
        run = q;
      q += n;
      after = q;
    } else {
      q++;
    }
  }
  if (!run || time_at(after, end, h->locator) != (size_t)(end - after))
    return 0;
  h->speaker = trim((span){p, (size_t)(run - p)});
  h->text = (span){end, 0};
  return speaker_ok(h->speaker);
}

/* A working copy: no BOM, every line ending a '\n'. */
static char *normalise(const char *text, size_t len, size_t *out_len) {
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    text += 3, len -= 3;
  char *copy = malloc(len + 1);
  if (!copy)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\r') {
      copy[o++] = '\n';
      if (i + 1 < len && text[i + 1] == '\n')
        i++;
    } else {
      copy[o++] = text[i];
    }
  }
  copy[o] = '\0';
  *out_len = o;
  return copy;
}

/* Appends a line to a segment's text: paragraphs joined by '\n'. */
static void add_text(strbuf *sb, span s) {
  if (!s.n)
    return;
  if (sb->len)
    sb_putc(sb, '\n');
  sb_putn(sb, s.p, s.n);
}

int transcript_take_room(long long *room, size_t bytes) {
  if (!room)
    return 1;
  if (*room < 0 || bytes > (size_t)*room) {
    *room = -1;
    return 0;
  }
  *room -= (long long)bytes;
  return 1;
}

/* What a segment costs as JSON, about: jansson's objects take some 1 KiB. */
#define SEGMENT_BYTES 1024

/* Appends a segment to list; 0 when memory (or room) runs out. */
static int add_segment(json_t *list, span speaker, const char *locator,
                       strbuf *text, long line, long long *room) {
  int bad = text->oom || !transcript_take_room(room, SEGMENT_BYTES + text->len);
  json_t *o = bad ? NULL : json_object();
  jset(o, "speaker", json_stringn(speaker.p, speaker.n), &bad);
  jset(o, "locator", json_string(locator), &bad);
  jset(o, "text", json_stringn(text->data ? text->data : "", text->len), &bad);
  jset(o, "line", json_integer(line), &bad);
  jpush(list, o, &bad);
  sb_free(text);
  return !bad;
}

json_t *transcript_segments(const char *text, size_t len, long long *room) {
  size_t n;
  char *copy = normalise(text, len, &n);
  json_t *list = json_array();
  if (!copy || !list) {
    free(copy);
    json_decref(list);
    return NULL;
  }
  const char *end = copy + n;
  /* Any header at all decides the form. */
  int headed = 0;
  for (const char *p = copy; p < end && !headed;) {
    const char *e = memchr(p, '\n', (size_t)(end - p));
    e = e ? e : end;
    header h;
    headed = read_header(trim((span){p, (size_t)(e - p)}), &h);
    p = e + 1;
  }
  strbuf body;
  sb_init(&body);
  span speaker = {"", 0};
  char locator[24] = "";
  long start = 0, line = 0;
  int paragraphs = 0;
  int open = 0, ok = 1;
  for (const char *p = copy; ok && p <= end;) {
    const char *e = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    e = e ? e : end;
    line++;
    span s = trim((span){p, (size_t)(e - p)});
    header h;
    if (headed && read_header(s, &h)) {
      if (open || body.len)
        ok = add_segment(list, speaker, locator, &body, start, room);
      speaker = h.speaker;
      memcpy(locator, h.locator, sizeof h.locator);
      start = line;
      open = 1;
      add_text(&body, h.text);
    } else if (!headed && s.n == 0) {
      if (body.len)
        ok = add_segment(list, speaker, locator, &body, start, room);
    } else if (s.n) {
      if (!headed && body.len == 0) {
        snprintf(locator, sizeof locator, "p%d", ++paragraphs);
        start = line;
      } else if (headed && !open && body.len == 0) {
        start = line; /* text before the first header */
      }
      add_text(&body, s);
    }
    if (e == end)
      break;
    p = e + 1;
  }
  if (ok && (open || body.len))
    ok = add_segment(list, speaker, locator, &body, start, room);
  sb_free(&body);
  free(copy);
  if (!ok) {
    json_decref(list);
    return NULL;
  }
  return list;
}

/*
** transcript.c -- raw minutes into segments, and segments into a draft
** claim pack (the mechanical part of the analyst's work).  Pure: text in,
** JSON out; no SQL, no handle.
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

/* Takes `bytes` from *room (NULL: no bound); 0 when they do not fit. */
static int take_room(long long *room, size_t bytes) {
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
#define CLAIM_BYTES 1536

/* Appends a segment to list; 0 when memory (or room) runs out. */
static int add_segment(json_t *list, span speaker, const char *locator,
                       strbuf *text, long line, long long *room) {
  int bad = text->oom || !take_room(room, SEGMENT_BYTES + text->len);
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

/* ---- drafts ------------------------------------------------------------ */

static const char *const sentence_ends[] = {"。", "！", "？", "!", "?", "\n"};

/* Where the sentences of a text end: each terminator's [start, end),
   found once per segment, so that finding a figure's sentence is a binary
   search and a long text stays linear. */
typedef struct stops {
  size_t *start, *end;
  size_t n, cap;
} stops;

static void stops_free(stops *st) {
  free(st->start);
  free(st->end);
  memset(st, 0, sizeof *st);
}

static int find_stops(const char *text, size_t len, stops *st) {
  memset(st, 0, sizeof *st);
  for (size_t i = 0; i < len; i++) {
    size_t n = 0;
    for (size_t k = 0; !n && k < sizeof sentence_ends / sizeof sentence_ends[0];
         k++)
      n = prefix_len(text + i, text + len, sentence_ends[k]);
    if (!n)
      continue;
    if (st->n == st->cap) {
      size_t cap = st->cap ? 2 * st->cap : 16;
      size_t *a = realloc(st->start, cap * sizeof *a);
      if (a)
        st->start = a;
      size_t *b = a ? realloc(st->end, cap * sizeof *b) : NULL;
      if (!b)
        return -1;
      st->end = b;
      st->cap = cap;
    }
    st->start[st->n] = i;
    st->end[st->n++] = i + n;
    i += n - 1;
  }
  return 0;
}

/* The sentence around [qs, qe): from the end of the last terminator that
   ends at or before qs to the end of the first that starts at or after qe
   (terminators inside [qs, qe) do not count). */
static void sentence_bounds(size_t len, const stops *st, size_t qs, size_t qe,
                            size_t *a, size_t *b) {
  size_t lo = 0, hi = st->n; /* the first terminator ending after qs */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (st->end[mid] <= qs)
      lo = mid + 1;
    else
      hi = mid;
  }
  *a = lo ? st->end[lo - 1] : 0;
  size_t k = lo;
  while (k < st->n && st->start[k] < qe)
    k++;
  *b = k < st->n ? st->end[k] : len;
}

/* The quote of [qs, qe): its sentence, at most CK_QUOTE_MAX bytes of it
   around [qs, qe), cut at character boundaries. */
static span sentence(const char *text, size_t len, const stops *st, size_t qs,
                     size_t qe) {
  size_t a, b;
  sentence_bounds(len, st, qs, qe, &a, &b);
  if (b - a > CK_QUOTE_MAX) {
    size_t figure = qe - qs;
    size_t spare = figure < CK_QUOTE_MAX ? CK_QUOTE_MAX - figure : 0;
    size_t before = spare / 2 < qs - a ? spare / 2 : qs - a;
    size_t after = spare - before < b - qe ? spare - before : b - qe;
    before = spare - after < qs - a ? spare - after : qs - a;
    a = qs - before;
    b = qe + after;
    while (a < qs && ((unsigned char)text[a] & 0xc0) == 0x80)
      a++; /* whole characters only */
    while (b > qe && b < len && ((unsigned char)text[b] & 0xc0) == 0x80)
      b--;
  }
  return trim((span){text + a, b - a});
}

/* The first period the sentence names: 2026年3月, 2025年下半年, 2026年的三月,
   or 三月份 in the year `year` (0: unknown). */
static int guess_period(span s, int year, char out[CK_PERIOD_MAX]) {
  static const char *const months[] = {"十二", "十一", "十", "一", "二", "三",
                                       "四",   "五",   "六", "七", "八", "九"};
  static const int month_values[] = {12, 11, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const char *end = s.p + s.n;
  for (const char *p = s.p; p < end; p++) {
    /* YYYY年...: the longest form the period reader accepts */
    if (end - p >= 7 && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' &&
        p[1] <= '9' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
        p[3] <= '9' && prefix_len(p + 4, end, "年") &&
        !(p > s.p && p[-1] >= '0' && p[-1] <= '9')) {
      char candidate[64];
      memcpy(candidate, p, 7);
      const char *rest = p + 7;
      rest += prefix_len(rest, end, "的");
      size_t room = (size_t)(end - rest) < 40 ? (size_t)(end - rest) : 40;
      for (size_t k = room;; k--) {
        memcpy(candidate + 7, rest, k);
        candidate[7 + k] = '\0';
        if (period_normalise(candidate, out) == 0)
          return 1;
        if (k == 0)
          break;
      }
    }
    /* 三月份, 3月 without a year */
    if (year && (p == s.p || !prefix_len(p - 3 >= s.p ? p - 3 : p, end, "年"))) {
      int m = 0;
      size_t n = 0;
      if (p[0] >= '0' && p[0] <= '9') {
        m = p[0] - '0', n = 1;
        if (p + 1 < end && p[1] >= '0' && p[1] <= '9')
          m = m * 10 + p[1] - '0', n = 2;
        if (p > s.p && p[-1] >= '0' && p[-1] <= '9')
          m = 0;
      } else {
        for (size_t k = 0; k < sizeof months / sizeof months[0] && !n; k++)
          if ((n = prefix_len(p, end, months[k])))
            m = month_values[k];
      }
      if (m >= 1 && m <= 12 && n && prefix_len(p + n, end, "月")) {
        snprintf(out, CK_PERIOD_MAX, "%04d-%02d", year, m);
        return 1;
      }
    }
  }
  return 0;
}

/* A segment's mentions of one kind, in order. */
typedef struct kind_list {
  const cb_hit **at;
  size_t n;
} kind_list;

/* The mention of the list nearest before `pos` that starts at or after
   `from`, else NULL. */
static const cb_hit *nearest_before(const kind_list *l, size_t pos,
                                    size_t from) {
  size_t lo = 0, hi = l->n; /* the first mention ending after pos */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (l->at[mid]->end <= pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo && l->at[lo - 1]->start >= from ? l->at[lo - 1] : NULL;
}

/* The mention nearest after `pos` that ends at or before `to`. */
static const cb_hit *nearest_after(const kind_list *l, size_t pos, size_t to) {
  size_t lo = 0, hi = l->n; /* the first mention starting at or after pos */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (l->at[mid]->start < pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < l->n && l->at[lo]->end <= to ? l->at[lo] : NULL;
}

/* What a drafted claim names: a record's id, or null to fill in. */
static json_t *named(const codebook *cb, int kind, const cb_hit *h) {
  return h ? json_string(cb->ids[kind][h->record]) : json_null();
}

/* The actor of words at `pos`: the one mentioned nearest before them in
   the segment, else the speaker when the speaker is one. */
static json_t *actor_at(const codebook *cb, const kind_list *actors,
                        size_t pos, int speaker) {
  const cb_hit *h = nearest_before(actors, pos, 0);
  if (h)
    return named(cb, CB_ACTOR, h);
  return speaker >= 0 ? json_string(cb->ids[CB_ACTOR][speaker]) : json_null();
}

/* Cue hits by sentence, question, longest, first: the first of each
   (sentence, question) group is the view drafted. */
typedef struct cue_pick {
  size_t sentence; /* start */
  const cb_hit *hit;
} cue_pick;

static int by_pick(const void *a, const void *b) {
  const cue_pick *x = a, *y = b;
  if (x->sentence != y->sentence)
    return x->sentence < y->sentence ? -1 : 1;
  if (x->hit->record != y->hit->record)
    return x->hit->record < y->hit->record ? -1 : 1;
  size_t lx = x->hit->end - x->hit->start, ly = y->hit->end - y->hit->start;
  if (lx != ly)
    return lx > ly ? -1 : 1;
  return x->hit->start < y->hit->start ? -1 : x->hit->start > y->hit->start;
}

/* A drafted claim and where its words start, to put claims in text order. */
typedef struct placed {
  size_t at;
  int view; /* at one place, the figure first */
  json_t *claim;
} placed;

static int by_place(const void *a, const void *b) {
  const placed *x = a, *y = b;
  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return x->view - y->view;
}

/* The draft's claims of one segment, appended to claims: an observation
   per quantity, and a view per question whose cue a sentence holds. */
static int draft_segment(json_t *claims, json_t *seg, const char *source,
                         int year, codebook *cb, long long *room) {
  const char *t = json_string_value(json_object_get(seg, "text"));
  size_t tlen = json_string_length(json_object_get(seg, "text"));
  const char *locator = json_string_value(json_object_get(seg, "locator"));
  json_t *speaker_label = json_object_get(seg, "speaker");
  ck_quantity *q = NULL;
  size_t n = 0, nm = 0, nc = 0, nplaced = 0;
  cb_hit *mentions = NULL, *cues = NULL;
  const cb_hit **by_kind = NULL;
  cue_pick *picks = NULL;
  placed *out = NULL;
  kind_list lists[CB_CUE] = {{NULL, 0}};
  stops st = {NULL, NULL, 0, 0};
  int bad = quantity_scan(t, tlen, 0, &q, &n) < 0 || find_stops(t, tlen, &st);
  if (!bad && cb && codebook_find(cb, t, tlen, &mentions, &nm, &cues, &nc, room))
    bad = 1;
  int speaker = cb ? codebook_speaker(cb, json_string_value(speaker_label),
                                      json_string_length(speaker_label))
                   : -1;
  if (!bad) { /* one more of each than needed: never malloc(0) */
    by_kind = malloc((nm + 1) * sizeof *by_kind);
    picks = malloc((nc + 1) * sizeof *picks);
    out = malloc((n + nc + 1) * sizeof *out);
    bad = !by_kind || !picks || !out;
  }
  /* the mentions of each kind, in order (mentions is ordered already) */
  for (int k = 0, used = 0; !bad && k < CB_CUE; k++) {
    lists[k].at = by_kind + used;
    for (size_t i = 0; i < nm; i++)
      if (mentions[i].kind == k)
        lists[k].at[lists[k].n++] = &mentions[i];
    used += (int)lists[k].n;
  }

  span last = {NULL, 0};
  char period[CK_PERIOD_MAX];
  int has_period = 0;
  for (size_t k = 0; !bad && k < n; k++) {
    size_t qs = q[k].start, qe = q[k].end, a, b;
    span quote = sentence(t, tlen, &st, qs, qe);
    if (quote.p != last.p || quote.n != last.n) /* one guess per sentence */
      has_period = guess_period(quote, year, period);
    last = quote;
    if (!take_room(room, CLAIM_BYTES + quote.n)) {
      bad = 1;
      break;
    }
    sentence_bounds(tlen, &st, qs, qe, &a, &b);
    const cb_hit *entity = nearest_before(&lists[CB_ENTITY], qs, a);
    const cb_hit *metric = nearest_before(&lists[CB_METRIC], qs, a);
    entity = entity ? entity : nearest_after(&lists[CB_ENTITY], qe, b);
    metric = metric ? metric : nearest_after(&lists[CB_METRIC], qe, b);
    json_t *c = json_object();
    jset(c, "source", json_string(source), &bad);
    jset(c, "actor", cb ? actor_at(cb, &lists[CB_ACTOR], qs, speaker)
                        : json_null(), &bad);
    jset(c, "entity", cb ? named(cb, CB_ENTITY, entity) : json_null(), &bad);
    jset(c, "metric", cb ? named(cb, CB_METRIC, metric) : json_null(), &bad);
    jset(c, "period", has_period ? json_string(period) : json_null(), &bad);
    jset(c, "locator", json_string(locator), &bad);
    jset(c, "quote", json_stringn(quote.p, quote.n), &bad);
    jset(c, "quantity", json_stringn(t + qs, qe - qs), &bad);
    if (!c)
      bad = 1;
    else if (bad)
      json_decref(c);
    else
      out[nplaced++] = (placed){qs, 0, c};
  }

  /* views: per sentence and question, the longest cue, then the first */
  for (size_t i = 0; !bad && i < nc; i++) {
    size_t a, b;
    sentence_bounds(tlen, &st, cues[i].start, cues[i].end, &a, &b);
    picks[i] = (cue_pick){a, &cues[i]};
  }
  if (!bad && nc)
    qsort(picks, nc, sizeof *picks, by_pick);
  for (size_t i = 0; !bad && i < nc; i++) {
    if (i && picks[i].sentence == picks[i - 1].sentence &&
        picks[i].hit->record == picks[i - 1].hit->record)
      continue;
    const cb_hit *h = picks[i].hit;
    span quote = sentence(t, tlen, &st, h->start, h->end);
    if (!take_room(room, CLAIM_BYTES + quote.n)) {
      bad = 1;
      break;
    }
    json_t *c = json_object();
    jset(c, "source", json_string(source), &bad);
    jset(c, "actor", actor_at(cb, &lists[CB_ACTOR], h->start, speaker), &bad);
    jset(c, "question", json_string(cb->ids[CB_CUE][h->record]), &bad);
    jset(c, "stance", json_integer(h->stance), &bad);
    jset(c, "locator", json_string(locator), &bad);
    jset(c, "quote", json_stringn(quote.p, quote.n), &bad);
    if (!c)
      bad = 1;
    else if (bad)
      json_decref(c);
    else
      out[nplaced++] = (placed){h->start, 1, c};
  }

  if (!bad && nplaced)
    qsort(out, nplaced, sizeof *out, by_place);
  for (size_t i = 0; i < nplaced; i++) {
    if (bad)
      json_decref(out[i].claim);
    else
      jpush(claims, out[i].claim, &bad);
  }
  free(out);
  free(picks);
  free(by_kind);
  free(mentions);
  free(cues);
  free(q);
  stops_free(&st);
  return bad ? -1 : 0;
}

json_t *transcript_draft(const char *text, size_t len, const char *source,
                         const char *published, codebook *cb,
                         long long *room) {
  json_t *segments = transcript_segments(text, len, room);
  if (!segments)
    return NULL;
  int year = 0;
  if (published && strlen(published) >= 4)
    year = atoi(published);
  json_t *claims = json_array();
  int bad = !claims;
  size_t i;
  json_t *seg;
  json_array_foreach(segments, i, seg) {
    if (bad || draft_segment(claims, seg, source, year, cb, room) != 0) {
      bad = 1;
      break;
    }
  }
  json_decref(segments);
  json_t *src = bad ? NULL
                    : json_pack("{s:s, s:s}", "id", source, "kind", "transcript");
  if (src && published && *published)
    jset(src, "published", json_string(published), &bad);
  if (bad || !src) {
    json_decref(src);
    json_decref(claims);
    return NULL;
  }
  return json_pack("{s:i, s:[o], s:o}", "claimkit", 1, "sources", src,
                   "claims", claims);
}

/*
** draft.c -- a transcript's segments into a draft claim pack with the
** codebook (DESIGN §8): an observation per quantity, its entity, metric,
** actor and period from the mentions and periods around it, and a view
** per question, sentence and actor whose cue a sentence holds.  Pure: the
** codebook and the source record come in loaded; JSON out.
**
** A null is better than a guess: a field the text does not settle stays
** null for the analyst.  Everything a figure needs is found by binary
** search in lists made once per segment (sentence and clause ends,
** mentions, periods), so a long text stays about linear.
*/
#include "internal.h"
#include "canon.h"
#include "codebook.h"
#include "periods.h"

#include <stdlib.h>
#include <string.h>

/* What a claim costs as JSON, about: jansson's objects take some 1 KiB. */
#define CLAIM_BYTES 1536

typedef struct span {
  const char *p;
  size_t n;
} span;


/* ---- ends of sentences and clauses ---------------------------------------- */

/* Where the sentences (or clauses) of a text end: each end's [start,
   end), found once per segment. */
typedef struct stops {
  size_t *start, *end;
  size_t n, cap;
} stops;

static void stops_free(stops *st) {
  free(st->start);
  free(st->end);
  memset(st, 0, sizeof *st);
}

static int find_stops(const char *text, size_t len, stops *st,
                      size_t (*at)(const char *, size_t, size_t)) {
  memset(st, 0, sizeof *st);
  for (size_t i = 0; i < len; i++) {
    size_t n = at(text, len, i);
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

/* The sentence (clause) around [qs, qe): from the end of the last stop
   that ends at or before qs to the end of the first that starts at or
   after qe (stops inside [qs, qe) do not count). */
static void bounds(size_t len, const stops *st, size_t qs, size_t qe,
                   size_t *a, size_t *b) {
  size_t lo = 0, hi = st->n; /* the first stop ending after qs */
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

static int is_blank_at(const char *p, const char *end, size_t *n) {
  if (p < end && (*p == ' ' || *p == '\t' || *p == '\n')) {
    *n = 1;
    return 1;
  }
  return (*n = prefix_len(p, end, "\xE3\x80\x80")) != 0; /* U+3000 */
}

static span trim(span s) {
  size_t n;
  while (s.n && is_blank_at(s.p, s.p + s.n, &n))
    s.p += n, s.n -= n;
  for (;;) {
    if (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
                s.p[s.n - 1] == '\n'))
      s.n--;
    else if (s.n >= 3 && memcmp(s.p + s.n - 3, "\xE3\x80\x80", 3) == 0)
      s.n -= 3;
    else
      break;
  }
  return s;
}

/* The quote of [qs, qe): its sentence, at most CK_QUOTE_MAX bytes of it
   around [qs, qe), cut at character boundaries. */
static span quote_of(const char *text, size_t len, const stops *st, size_t qs,
                     size_t qe) {
  size_t a, b;
  bounds(len, st, qs, qe, &a, &b);
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

/* ---- mentions -------------------------------------------------------------- */

/* A segment's mentions of one kind, in order. */
typedef struct kind_list {
  const cb_hit **at;
  size_t n;
} kind_list;

/* The index of the first mention starting at or after pos. */
static size_t first_from(const kind_list *l, size_t pos) {
  size_t lo = 0, hi = l->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (l->at[mid]->start < pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The mention nearest before a figure ending at qe -- one that starts
   before its end may overlap its words (环比增长 in 环比增长3.9%) -- and
   starting at or after `from`; else NULL. */
static const cb_hit *nearest_before(const kind_list *l, size_t qe,
                                    size_t from) {
  size_t k = first_from(l, qe);
  return k && l->at[k - 1]->start >= from ? l->at[k - 1] : NULL;
}

/* The mention nearest after qe that ends at or before `to`. */
static const cb_hit *nearest_after(const kind_list *l, size_t qe, size_t to) {
  size_t k = first_from(l, qe);
  return k < l->n && l->at[k]->end <= to ? l->at[k] : NULL;
}

/* Is [a, b) of t only a list separator: 、 ， , 和 及 以及 与 and? */
static int separator(const char *t, size_t a, size_t b) {
  static const char *const seps[] = {"、", "，", ",", "和", "及", "以及", "与",
                                     "/", "and", ", and", "以及", NULL};
  span s = trim((span){t + a, b > a ? b - a : 0});
  for (int i = 0; seps[i]; i++)
    if (s.n == strlen(seps[i]) && memcmp(s.p, seps[i], s.n) == 0)
      return 1;
  if (s.n == 3 && (s.p[0] | 32) == 'a' && (s.p[1] | 32) == 'n' &&
      (s.p[2] | 32) == 'd')
    return 1;
  return 0;
}

/* Is [a, b) a figure's unit left out of its words, then a separator
   (3.1万辆、2.4万辆; 5 units, 3 units)?  At most two characters or one
   ASCII word before the separator. */
static int unit_separator(const char *t, size_t a, size_t b) {
  if (separator(t, a, b))
    return 1;
  size_t i = a;
  if (i < b && ((t[i] | 32) >= 'a' && (t[i] | 32) <= 'z')) {
    while (i < b && ((t[i] | 32) >= 'a' && (t[i] | 32) <= 'z'))
      i++;
    return separator(t, i, b);
  }
  for (int chars = 0; chars < 2 && i < b; chars++) {
    if ((unsigned char)t[i] < 0x80)
      return 0;
    i++;
    while (i < b && ((unsigned char)t[i] & 0xc0) == 0x80)
      i++;
    if (separator(t, i, b))
      return 1;
  }
  return 0;
}

/* The n mentions of a list (智能手机、物联网、消费电子和其他) nearest
   before `pos` in [from, pos) whose length is exactly n: the index of its
   first in l, or -1.  Runs of other lengths are passed over. */
static long mention_list(const char *t, const kind_list *l, size_t pos,
                         size_t from, size_t n) {
  size_t k = first_from(l, pos);
  for (int runs = 0; k > 0 && runs < 8; runs++) {
    size_t last = k - 1, first = last;
    if (l->at[last]->start < from)
      return -1;
    while (first > 0 && last - first <= n && l->at[first - 1]->start >= from &&
           l->at[first - 1]->end <= l->at[first]->start &&
           separator(t, l->at[first - 1]->end, l->at[first]->start))
      first--;
    if (last - first + 1 == n)
      return (long)first;
    k = first;
  }
  return -1;
}

/* ---- the codebook's metrics ------------------------------------------------- */

/* The metric whose change M is, by the comparison `basis` when several
   are; M itself when there is none; NULL when several are and the basis
   does not pick one (a null is better than a guess). */
static const char *change_metric(const codebook *cb, const char *m,
                                 int basis) {
  const char *one = NULL, *by_basis = NULL, *no_basis = NULL;
  int several = 0, several_without = 0;
  for (size_t i = 0; i < cb->nmetrics; i++) {
    const cb_metric *x = &cb->metrics[i];
    if (!x->change_of || strcmp(x->change_of, m) != 0)
      continue;
    several |= one != NULL;
    one = one ? one : x->id;
    if (basis != CB_BASIS_NONE && x->basis == basis && !by_basis)
      by_basis = x->id;
    if (x->basis == CB_BASIS_NONE) {
      several_without |= no_basis != NULL;
      no_basis = no_basis ? no_basis : x->id;
    }
  }
  if (!one)
    return m;
  if (by_basis)
    return by_basis;
  if (!several)
    return one;
  /* several, and the text names no basis that picks one: the one that
     has no basis, if one alone has none */
  return basis == CB_BASIS_NONE && no_basis && !several_without ? no_basis
                                                                : NULL;
}

/* ---- a segment -------------------------------------------------------------- */

typedef struct draft_in {
  const char *source, *published, *subject;
  int subject_actor;            /* the subject's own actor record, or -1 */
  char call_period[CK_PERIOD_MAX]; /* the one period the source's title
                                      names, or "" */
  codebook *cb;
  long long *room;
  size_t left; /* claims the draft may still hold */
  int too_many;
} draft_in;

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

/* A comparison word (同比, year over year, versus) or a phrase that only
   names a basis (a year ago, 去年同期), found once per segment. */
typedef struct cmp_hit {
  size_t start;
  int basis, versus;
  int changes; /* a comparison word: makes a figure next to it a change */
} cmp_hit;

/* What one segment's claims are drafted from. */
typedef struct segment {
  const char *t;
  size_t len;
  const char *locator;
  int speaker; /* the actor the speaker label names, else the subject's
                  own actor (a company on its own call), or -1 */
  const char *call_period; /* draft_in's */
  ck_quantity *q;
  size_t nq;
  size_t *list_first, *list_len; /* per figure: its list (itself, 1) */
  stops sentences, clauses;
  cb_hit *mentions, *cues;
  size_t nm, nc;
  kind_list kinds[CB_CUE];
  dr_period *periods;
  size_t np;
  cmp_hit *cmp;
  size_t ncmp;
  /* the last sentence's facts, worked out once for all its figures */
  size_t fact_a, fact_b;
  int fact_r;                     /* one_period() of it */
  char fact_iso[CK_PERIOD_MAX];
  const char *fact_date;          /* opinion_date() of it */
  /* what the list of figures last asked about gave: its first figure
     (SIZE_MAX: none yet), each kind's list of mentions (-1 none) */
  size_t list_asked;
  long list_mentions[CB_CUE];
  int list_mentions_known[CB_CUE];
  size_t periods_asked; /* the same for list_periods() */
  long list_period;
  int list_year0;
  /* the period the segment is about, from the sentences before */
  size_t folded;              /* periods folded into it so far */
  char about[CK_PERIOD_MAX];  /* "" none */
} segment;

static void segment_free(segment *s) {
  free(s->q);
  free(s->list_first);
  free(s->list_len);
  stops_free(&s->sentences);
  stops_free(&s->clauses);
  free(s->mentions);
  free(s->cues);
  free((void *)s->kinds[0].at);
  free(s->periods);
  free(s->cmp);
}

/* The comparisons of the segment, in order; 0, or -1. */
static int find_comparisons(segment *s) {
  size_t cap = 0;
  for (size_t i = 0; i < s->len; i++) {
    size_t n;
    int versus = 0, changes = 1;
    int basis = draft_comparison_at(s->t, s->len, i, &n, &versus);
    if (basis < 0)
      basis = draft_basis_at(s->t, s->len, i, &n), changes = 0;
    if (basis < 0)
      continue;
    if (s->ncmp == cap) {
      cap = cap ? 2 * cap : 16;
      cmp_hit *grown = realloc(s->cmp, cap * sizeof *grown);
      if (!grown)
        return -1;
      s->cmp = grown;
    }
    s->cmp[s->ncmp++] = (cmp_hit){i, basis, versus, changes};
    i += n - 1;
  }
  return 0;
}

/* The first comparison starting at or after pos. */
static size_t compare_from(const segment *s, size_t pos) {
  size_t lo = 0, hi = s->ncmp;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->cmp[mid].start < pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Figures joined into lists: 26%、12%、24%和38%. */
static void find_lists(segment *s) {
  for (size_t k = 0; k < s->nq; k++) {
    size_t a, b;
    if (k && (bounds(s->len, &s->sentences, s->q[k].start, s->q[k].end, &a, &b),
              a <= s->q[k - 1].start) &&
        unit_separator(s->t, s->q[k - 1].end, s->q[k].start)) {
      s->list_first[k] = s->list_first[k - 1];
    } else {
      s->list_first[k] = k;
    }
    s->list_len[s->list_first[k]] = 0;
  }
  for (size_t k = 0; k < s->nq; k++)
    s->list_len[s->list_first[k]]++;
  for (size_t k = 0; k < s->nq; k++)
    s->list_len[k] = s->list_len[s->list_first[k]];
}

static size_t periods_in(const segment *s, size_t a, size_t b, size_t *n);

/* A comparison near the figures of list [f, l] in their clause [ca, cb):
   ending just before the first, or starting just after the last, with no
   other figure between.  Its basis, or -1; versus before a figure
   compares two levels and makes no change. */
#define NEAR_BYTES 24
static int comparison_near(const segment *s, size_t f, size_t l, size_t ca,
                           size_t cb, int *basis) {
  size_t from = s->q[f].start > ca + NEAR_BYTES ? s->q[f].start - NEAR_BYTES
                                                : ca;
  if (f > 0 && s->q[f - 1].end > from)
    from = s->q[f - 1].end;
  size_t to = s->q[l].end + NEAR_BYTES < cb ? s->q[l].end + NEAR_BYTES : cb;
  if (l + 1 < s->nq && s->q[l + 1].start < to)
    to = s->q[l + 1].start;
  int found = 0;
  for (size_t i = compare_from(s, from); i < s->ncmp && s->cmp[i].start < to;
       i++) {
    const cmp_hit *c = &s->cmp[i];
    if (!c->changes || (c->start >= s->q[f].start && c->start < s->q[l].end))
      continue;
    if (c->versus && c->start < s->q[f].start)
      return 0; /* $14.8 billion versus $16.6 billion */
    if (c->versus && l + 1 < s->nq && s->q[l + 1].start < cb)
      return 0;
    *basis = c->basis;
    found = 1;
  }
  return found;
}

/* The basis [a, b) names (同比, sequentially, versus a year ago; 较2023年,
   a year for a base): yoy, qoq or none (also when it names both). */
static int basis_named(const segment *s, size_t a, size_t b) {
  int basis = CB_BASIS_NONE;
  size_t n, first = periods_in(s, a, b, &n);
  for (size_t i = first; i < first + n; i++)
    if (s->periods[i].base && strlen(s->periods[i].iso) == 4)
      basis = CB_BASIS_YOY;
  for (size_t i = compare_from(s, a); i < s->ncmp && s->cmp[i].start < b;
       i++) {
    int x = s->cmp[i].basis;
    if (x == CB_BASIS_NONE)
      continue;
    if (basis != CB_BASIS_NONE && basis != x)
      return CB_BASIS_NONE; /* both named: neither settles it */
    basis = x;
  }
  return basis;
}

/* The basis named between figure k and the next figure of its clause
   [ca, cb), else between the one before and it. */
static int own_basis(const segment *s, size_t k, size_t ca, size_t cb) {
  size_t next = k + 1 < s->nq && s->q[k + 1].start < cb ? s->q[k + 1].start
                                                          : cb;
  int basis = basis_named(s, s->q[k].end, next);
  if (basis != CB_BASIS_NONE)
    return basis;
  size_t prev = k > 0 && s->q[k - 1].end > ca ? s->q[k - 1].end : ca;
  return basis_named(s, prev, s->q[k].start);
}

/* Is figure k compared with the one before it in its sentence (8%,
   versus 5% last quarter)?  Then it is the same kind of figure. */
static int versus_before(const segment *s, size_t k, size_t a) {
  if (k == 0 || s->q[k - 1].end < a)
    return 0;
  for (size_t i = compare_from(s, s->q[k - 1].end);
       i < s->ncmp && s->cmp[i].start < s->q[k].start; i++)
    if (s->cmp[i].versus)
      return 1;
  return 0;
}

/* Does figure k state a change?  A direction word in or just before its
   words, or before its list's first (分别增长12%和15%), or a comparison
   near the list ($14.8 billion, down 11%: only the second). */
static int states_change(const segment *s, size_t k, size_t ca, size_t cb,
                         int *basis) {
  size_t f = s->list_first[k], l = f + s->list_len[k] - 1;
  *basis = CB_BASIS_NONE;
  return comparison_near(s, f, l, ca, cb, basis) ||
         draft_direction(s->t, s->len, s->q[k].start, s->q[k].end) ||
         (f != k && draft_direction(s->t, s->len, s->q[f].start, s->q[f].end));
}

static int counts(const dr_period *p) { return !p->date && !p->base; }

/* The periods and dates in [a, b): the first index, and how many
   through *n. */
static size_t periods_in(const segment *s, size_t a, size_t b, size_t *n) {
  size_t lo = 0, hi = s->np;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->periods[mid].start < a)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t k = lo;
  while (k < s->np && s->periods[k].end <= b)
    k++;
  *n = k - lo;
  return lo;
}


/* The one period the span [a, b) writes: 1 with it in out ("" when its
   year is unknown); 0 when it writes none; -1 when several. */
static int one_period(const segment *s, size_t a, size_t b,
                      char out[CK_PERIOD_MAX]) {
  size_t n, first = periods_in(s, a, b, &n);
  int found = 0;
  for (size_t i = first; i < first + n; i++) {
    const dr_period *p = &s->periods[i];
    if (!counts(p))
      continue;
    if (p->years > 1 || (found && strcmp(out, p->iso) != 0))
      return -1;
    memcpy(out, p->iso, CK_PERIOD_MAX);
    found = 1;
  }
  return found;
}

/* Folds the sentences before `upto` into the period the segment is
   about: the last that writes one sets it, one that writes several
   leaves it unknown. */
static void fold_about(segment *s, size_t upto) {
  while (s->folded < s->np && s->periods[s->folded].end <= upto) {
    size_t a, b;
    const dr_period *p = &s->periods[s->folded];
    bounds(s->len, &s->sentences, p->start, p->end, &a, &b);
    if (b > upto)
      break;
    char iso[CK_PERIOD_MAX];
    int r = one_period(s, a, b, iso);
    if (r > 0)
      memcpy(s->about, iso, CK_PERIOD_MAX);
    else if (r < 0)
      s->about[0] = '\0';
    size_t n;
    size_t first = periods_in(s, a, b, &n);
    s->folded = first + n > s->folded ? first + n : s->folded + 1;
  }
}

/* The date the sentence [a, b) gives for an opinion (11月27日的点评,
   2022年12月的报告): a date YYYY-MM-DD or month YYYY-MM, else NULL. */
static const char *opinion_date(const segment *s, size_t a, size_t b) {
  size_t n, first = periods_in(s, a, b, &n);
  for (size_t i = first; i < first + n; i++)
    if (s->periods[i].date && s->periods[i].iso[0])
      return s->periods[i].iso;
  return NULL;
}

/* one_period() and opinion_date() of the sentence [a, b), once. */
static void sentence_facts(segment *s, size_t a, size_t b) {
  if (s->fact_b == b && s->fact_a == a && b > 0)
    return;
  s->fact_a = a, s->fact_b = b;
  s->fact_r = one_period(s, a, b, s->fact_iso);
  s->fact_date = opinion_date(s, a, b);
}

/* The same for words at pos: of several dates in the sentence (国元证券在
   2022年12月..., 中信11月27日的点评...), the nearest before them. */
#define DATE_LOOKBACK 64 /* periods passed over: a long list stays cheap */
static const char *opinion_date_at(segment *s, size_t a, size_t b,
                                   size_t pos) {
  size_t n, first = periods_in(s, a, pos, &n);
  for (size_t i = first + n, k = 0; i > first && k < DATE_LOOKBACK; i--, k++)
    if (s->periods[i - 1].date && s->periods[i - 1].iso[0])
      return s->periods[i - 1].iso;
  sentence_facts(s, a, b);
  return s->fact_date;
}

/* The periods of a list of `len` figures starting with figure f: a range
   of as many years before it (2023年至2025年...分别为), -2 with its first
   year in *year0; a list of as many periods (2024年、2025年和2026年), the
   index of its first; else -1. */
static long list_periods(const segment *s, size_t f, size_t len, size_t a,
                         int *year0) {
  size_t n, first = periods_in(s, a, s->q[f].start, &n);
  for (size_t i = first + n, seen = 0; i > first && seen < DATE_LOOKBACK;
       i--, seen++) {
    const dr_period *p = &s->periods[i - 1];
    if (!counts(p))
      continue;
    if (p->years == (int)len) {
      *year0 = p->year0;
      return -2;
    }
    break;
  }
  size_t m = 0;
  for (size_t i = first + n; i > first && m < len; i--, m++)
    if (!counts(&s->periods[i - 1]) || s->periods[i - 1].years > 1 ||
        (m && !separator(s->t, s->periods[i - 1].end, s->periods[i].start)))
      break;
  if (m == len && (first + n - len == first ||
                   !separator(s->t, s->periods[first + n - len - 1].end,
                              s->periods[first + n - len].start)))
    return (long)(first + n - len);
  return -1;
}

/* Figure k's period, in order: its list's (2023年至2025年...分别为A、B
   和C), its clause's, its sentence's when only one, the segment's. */
static json_t *period_of(segment *s, size_t k, size_t a, size_t b, size_t ca,
                         size_t cb) {
  size_t f = s->list_first[k], len = s->list_len[k];
  char iso[CK_PERIOD_MAX];
  if (len > 1) {
    if (s->periods_asked != f) { /* once per list */
      s->periods_asked = f;
      s->list_period = list_periods(s, f, len, a, &s->list_year0);
    }
    if (s->list_period == -2) {
      snprintf(iso, sizeof iso, "%04d", s->list_year0 + (int)(k - f));
      return json_string(iso);
    }
    if (s->list_period >= 0) {
      const char *p = s->periods[(size_t)s->list_period + (k - f)].iso;
      return *p ? json_string(p) : json_null();
    }
  }
  /* the clause: nearest before the figure, else after (a few looked at:
     a long clause costs no more) */
  size_t n, first = periods_in(s, ca, s->q[k].start, &n);
  const dr_period *best = NULL;
  for (size_t i = first + n, seen = 0; !best && i > first &&
                                       seen < DATE_LOOKBACK; i--, seen++)
    if (counts(&s->periods[i - 1]))
      best = &s->periods[i - 1];
  first = periods_in(s, s->q[k].end, cb, &n);
  for (size_t i = first; !best && i < first + n && i < first + DATE_LOOKBACK;
       i++)
    if (counts(&s->periods[i]))
      best = &s->periods[i];
  if (best)
    return best->years == 1 && best->iso[0] ? json_string(best->iso)
                                            : json_null();
  sentence_facts(s, a, b);
  if (s->fact_r > 0)
    return s->fact_iso[0] ? json_string(s->fact_iso) : json_null();
  if (s->fact_r < 0)
    return json_null();
  fold_about(s, a);
  if (s->about[0])
    return json_string(s->about);
  return *s->call_period ? json_string(s->call_period) : json_null();
}

/* A point-in-time figure's period: the month of the opinion's date in its
   sentence, else of `published`; an old value (由670港元, from $30) none. */
static json_t *moment_of(segment *s, size_t k, size_t a, size_t b,
                         const char *published) {
  static const char *const from[] = {"由", "从", "從", "from", NULL};
  if (draft_written_before(s->t, s->q[k].start, from))
    return json_null();
  const char *d = opinion_date_at(s, a, b, s->q[k].start);
  d = d ? d : published && *published ? published : NULL;
  return d ? json_stringn(d, 7) : json_null();
}

/* The actor record at pos: nearest before it in the segment, else the
   speaker's; -1 none. */
static int actor_at(const segment *s, size_t pos) {
  size_t k = first_from(&s->kinds[CB_ACTOR], pos);
  while (k > 0 && s->kinds[CB_ACTOR].at[k - 1]->end > pos)
    k--;
  return k ? s->kinds[CB_ACTOR].at[k - 1]->record : s->speaker;
}

static json_t *actor_json(const draft_in *in, int record) {
  return record >= 0 ? json_string(in->cb->ids[CB_ACTOR][record]) : json_null();
}

/* The n-th of a list of mentions of `kind` before figure k's list, or
   the mention rule's: nearest before in the sentence, else after. */
static const cb_hit *mention_of(segment *s, int kind, size_t k,
                                size_t a, size_t b) {
  const kind_list *l = &s->kinds[kind];
  size_t f = s->list_first[k];
  if (s->list_len[k] > 1) {
    if (s->list_asked != f) { /* once per list: a long one stays linear */
      s->list_asked = f;
      memset(s->list_mentions_known, 0, sizeof s->list_mentions_known);
    }
    if (!s->list_mentions_known[kind]) {
      s->list_mentions[kind] =
          mention_list(s->t, l, s->q[f].start, a, s->list_len[k]);
      s->list_mentions_known[kind] = 1;
    }
    long first = s->list_mentions[kind];
    if (first >= 0)
      return l->at[first + (long)(k - f)];
  }
  const cb_hit *h = nearest_before(l, s->q[k].end, a);
  return h ? h : nearest_after(l, s->q[k].end, b);
}

/* The metric of figure k: the mention's, or its change's. */
static json_t *metric_at(segment *s, const draft_in *in, size_t k,
                         size_t a, size_t b, size_t ca, size_t cb,
                         const cb_metric **out) {
  const cb_hit *h = mention_of(s, CB_METRIC, k, a, b);
  *out = NULL;
  if (!h)
    return json_null();
  const char *m = in->cb->ids[CB_METRIC][h->record];
  const cb_metric *info = codebook_metric(in->cb, m);
  int basis;
  int change = states_change(s, k, ca, cb, &basis);
  const char *unit = s->q[k].unit;
  if (!change && info && info->unit && strcmp(info->unit, "%") == 0 &&
      (strcmp(unit, "pp") == 0 || strcmp(unit, "bp") == 0 ||
       draft_points_after(s->t, s->len, s->q[k].end)))
    change = 1;
  if (change) {
    /* as far as a quote reaches: a long sentence costs no more */
    size_t lo = s->q[k].start > CK_QUOTE_MAX ? s->q[k].start - CK_QUOTE_MAX : 0;
    size_t hi = s->q[k].end + CK_QUOTE_MAX;
    /* the figure's own words first: down 4.2% from the prior quarter and
       up 7.8% from a year ago names one basis for each */
    if (basis == CB_BASIS_NONE)
      basis = own_basis(s, k, ca, cb);
    if (basis == CB_BASIS_NONE)
      basis = basis_named(s, ca > lo ? ca : lo, cb < hi ? cb : hi);
    if (basis == CB_BASIS_NONE)
      basis = basis_named(s, a > lo ? a : lo, b < hi ? b : hi);
    m = change_metric(in->cb, m, basis);
    if (!m)
      return json_null();
    info = codebook_metric(in->cb, m);
  }
  *out = info;
  return json_string(m);
}

/* metric_at(), or, for a figure compared with the one before it (grew 8%,
   versus 5%), that one's metric. */
static json_t *metric_of(segment *s, const draft_in *in, size_t k, size_t a,
                         size_t b, size_t ca, size_t cb,
                         const cb_metric **out) {
  size_t head = k;
  for (int steps = 0; steps < 16 && versus_before(s, head, a); steps++)
    head--; /* a longer chain of comparisons is noise */
  if (head != k)
    bounds(s->len, &s->clauses, s->q[head].start, s->q[head].end, &ca, &cb);
  return metric_at(s, in, head, a, b, ca, cb, out);
}

static int draft_figure(segment *s, draft_in *in, size_t k, placed *out) {
  size_t qs = s->q[k].start, qe = s->q[k].end, a, b, ca, cb;
  bounds(s->len, &s->sentences, qs, qe, &a, &b);
  bounds(s->len, &s->clauses, qs, qe, &ca, &cb);
  span quote = quote_of(s->t, s->len, &s->sentences, qs, qe);
  if (!transcript_take_room(in->room, CLAIM_BYTES + quote.n))
    return -1;
  int bad = 0;
  json_t *c = json_object(), *entity = json_null(), *metric = json_null();
  const cb_metric *info = NULL;
  int actor = -1;
  if (in->cb) {
    const cb_hit *e = mention_of(s, CB_ENTITY, k, a, b);
    entity = e ? json_string(in->cb->ids[CB_ENTITY][e->record])
             : in->subject ? json_string(in->subject) : json_null();
    metric = metric_of(s, in, k, a, b, ca, cb, &info);
    actor = actor_at(s, qs);
  } else if (in->subject) {
    json_decref(entity);
    entity = json_string(in->subject);
  }
  json_t *period = info && info->point_in_time
                       ? moment_of(s, k, a, b, in->published)
                       : period_of(s, k, a, b, ca, cb);
  jset(c, "source", json_string(in->source), &bad);
  jset(c, "actor", in->cb ? actor_json(in, actor) : json_null(), &bad);
  jset(c, "entity", entity, &bad);
  jset(c, "metric", metric, &bad);
  jset(c, "period", period, &bad);
  jset(c, "locator", json_string(s->locator), &bad);
  jset(c, "quote", json_stringn(quote.p, quote.n), &bad);
  jset(c, "quantity", json_stringn(s->t + qs, qe - qs), &bad);
  if (!c || bad) {
    json_decref(c);
    return -1;
  }
  *out = (placed){qs, 0, c};
  return 0;
}

/* Cue hits grouped by sentence, question and actor, the longest (in
   characters) first, then the first: the first of each group is the
   view drafted. */
/* At most this many listed actors share one cue's view. */
#define CUE_ACTORS_MAX 8

typedef struct cue_pick {
  size_t sentence; /* start */
  int actor;
  const cb_hit *hit;
} cue_pick;

static int by_pick(const void *a, const void *b) {
  const cue_pick *x = a, *y = b;
  if (x->sentence != y->sentence)
    return x->sentence < y->sentence ? -1 : 1;
  if (x->hit->record != y->hit->record)
    return x->hit->record < y->hit->record ? -1 : 1;
  if (x->actor != y->actor)
    return x->actor < y->actor ? -1 : 1;
  if (x->hit->chars != y->hit->chars)
    return x->hit->chars > y->hit->chars ? -1 : 1;
  return x->hit->start < y->hit->start ? -1 : x->hit->start > y->hit->start;
}

static int draft_view(segment *s, draft_in *in, const cue_pick *pick,
                      placed *out) {
  const cb_hit *h = pick->hit;
  size_t a, b;
  bounds(s->len, &s->sentences, h->start, h->end, &a, &b);
  span quote = quote_of(s->t, s->len, &s->sentences, h->start, h->end);
  if (!transcript_take_room(in->room, CLAIM_BYTES + quote.n))
    return -1;
  /* as_of: the date the sentence gives the opinion, else published */
  const char *d = opinion_date_at(s, a, b, h->start);
  char as_of[11] = "";
  if (d && strlen(d) == 10)
    memcpy(as_of, d, 11);
  else if (d && period_end(d, as_of) != 0)
    as_of[0] = '\0';
  if (!as_of[0] && in->published && *in->published)
    snprintf(as_of, sizeof as_of, "%s", in->published);
  int bad = 0;
  json_t *c = json_object();
  jset(c, "source", json_string(in->source), &bad);
  jset(c, "actor", actor_json(in, pick->actor), &bad);
  jset(c, "question", json_string(in->cb->ids[CB_CUE][h->record]), &bad);
  jset(c, "stance", json_integer(h->stance), &bad);
  jset(c, "locator", json_string(s->locator), &bad);
  jset(c, "quote", json_stringn(quote.p, quote.n), &bad);
  if (as_of[0])
    jset(c, "as_of", json_string(as_of), &bad);
  if (!c || bad) {
    json_decref(c);
    return -1;
  }
  *out = (placed){h->start, 1, c};
  return 0;
}

/* Only list separators (、 ， , 和 及 与 以及 and &, spaces) in t[from, to). */
static int only_separators(const char *t, size_t from, size_t to) {
  static const char *const seps[] = {"、", "，", ",", "和", "及", "与", "以及",
                                     "and", "&", " ", NULL};
  size_t p = from;
  int seen = 0;
  while (p < to) {
    size_t n = 0;
    for (int i = 0; seps[i] && !n; i++)
      if (strncmp(t + p, seps[i], strlen(seps[i])) == 0 &&
          p + strlen(seps[i]) <= to)
        n = strlen(seps[i]);
    if (!n)
      return 0;
    seen |= t[p] != ' ';
    p += n;
  }
  return seen;
}

/* The actors a cue at pos speaks for, into actors[0..max): the actor
   mentioned nearest before it, and those listed with it (花旗、高盛、摩根
   士丹利均维持“买入”评级; Citi and UBS both rate it a buy) in the cue's
   sentence [a, pos); else the speaker's (actor_at).  Their number. */
static size_t cue_actors(const segment *s, size_t pos, size_t a, int *actors,
                         size_t max) {
  const kind_list *l = &s->kinds[CB_ACTOR];
  size_t k = first_from(l, pos);
  while (k > 0 && l->at[k - 1]->end > pos)
    k--;
  if (k == 0 || l->at[k - 1]->start < a) {
    actors[0] = actor_at(s, pos);
    return 1;
  }
  size_t n = 0;
  actors[n++] = l->at[k - 1]->record;
  for (size_t j = k - 1; j > 0 && n < max && l->at[j - 1]->start >= a &&
                         only_separators(s->t, l->at[j - 1]->end,
                                         l->at[j]->start);
       j--)
    actors[n++] = l->at[j - 1]->record;
  return n;
}

/* The views of the segment's cues into out (room for CUE_ACTORS_MAX a
   cue): their number, or -1. */
static long draft_views(segment *s, draft_in *in, placed *out) {
  cue_pick *picks = malloc((s->nc * CUE_ACTORS_MAX + 1) * sizeof *picks);
  if (!picks)
    return -1;
  size_t np = 0;
  for (size_t i = 0; i < s->nc; i++) {
    size_t a, b;
    int actors[CUE_ACTORS_MAX];
    bounds(s->len, &s->sentences, s->cues[i].start, s->cues[i].end, &a, &b);
    size_t na = cue_actors(s, s->cues[i].start, a, actors, CUE_ACTORS_MAX);
    for (size_t j = 0; j < na; j++)
      picks[np++] = (cue_pick){a, actors[j], &s->cues[i]};
  }
  if (np)
    qsort(picks, np, sizeof *picks, by_pick);
  long n = 0;
  for (size_t i = 0; i < np; i++) {
    if (i && picks[i].sentence == picks[i - 1].sentence &&
        picks[i].hit->record == picks[i - 1].hit->record &&
        picks[i].actor == picks[i - 1].actor)
      continue;
    if (in->left == 0) {
      in->too_many = 1;
      n = -1;
      break;
    }
    if (draft_view(s, in, &picks[i], &out[n]) != 0) {
      n = -1;
      break;
    }
    n++;
    in->left--;
  }
  free(picks); /* on failure the caller frees what was placed */
  return n;
}

/* A number inside a period or a date (fiscal 2025, FY '23, November 27)
   is no figure. */
static void drop_inside_periods(segment *s) {
  size_t kept = 0, p = 0;
  for (size_t k = 0; k < s->nq; k++) {
    while (p < s->np && s->periods[p].end <= s->q[k].start)
      p++;
    if (p < s->np && s->periods[p].start <= s->q[k].start &&
        s->q[k].end <= s->periods[p].end)
      continue;
    s->q[kept++] = s->q[k];
  }
  s->nq = kept;
}

/* Reads what the segment's claims are drafted from; 0, or -1. */
static int segment_read(segment *s, draft_in *in, json_t *seg) {
  memset(s, 0, sizeof *s);
  json_t *text = json_object_get(seg, "text");
  json_t *label = json_object_get(seg, "speaker");
  s->t = json_string_value(text);
  s->len = json_string_length(text);
  s->locator = json_string_value(json_object_get(seg, "locator"));
  s->speaker = in->cb ? codebook_speaker(in->cb, json_string_value(label),
                                         json_string_length(label))
                      : -1;
  if (s->speaker < 0)
    s->speaker = in->subject_actor;
  s->call_period = in->call_period;
  /* no more figures than the draft may still hold, and one to tell */
  int r = quantity_scan(s->t, s->len, in->left + 1, &s->q, &s->nq);
  if (r < 0)
    return -1;
  if (s->nq > in->left) {
    in->too_many = 1;
    return -1;
  }
  if (find_stops(s->t, s->len, &s->sentences, draft_stop_at) ||
      find_stops(s->t, s->len, &s->clauses, draft_clause_at) ||
      draft_periods(s->t, s->len, in->published, &s->periods, &s->np))
    return -1;
  drop_inside_periods(s);
  if (find_comparisons(s))
    return -1;
  if (in->cb && codebook_find(in->cb, s->t, s->len, &s->mentions, &s->nm,
                              &s->cues, &s->nc, in->room))
    return -1;
  const cb_hit **by_kind = malloc((s->nm + 1) * sizeof *by_kind);
  s->list_first = malloc((s->nq + 1) * sizeof *s->list_first);
  s->list_len = malloc((s->nq + 1) * sizeof *s->list_len);
  s->kinds[0].at = by_kind;
  if (!by_kind || !s->list_first || !s->list_len)
    return -1;
  for (int k = 0, used = 0; k < CB_CUE; k++) {
    s->kinds[k].at = by_kind + used;
    for (size_t i = 0; i < s->nm; i++)
      if (s->mentions[i].kind == k)
        s->kinds[k].at[s->kinds[k].n++] = &s->mentions[i];
    used += (int)s->kinds[k].n;
  }
  s->kinds[0].at = by_kind; /* segment_free frees it through kinds[0] */
  s->list_asked = s->periods_asked = SIZE_MAX;
  find_lists(s);
  return 0;
}

/* The draft's claims of one segment, appended to claims. */
static int draft_segment(json_t *claims, json_t *seg, draft_in *in) {
  segment s;
  int bad = segment_read(&s, in, seg) != 0;
  placed *out =
      bad ? NULL : calloc(s.nq + s.nc * CUE_ACTORS_MAX + 1, sizeof *out);
  size_t nplaced = 0;
  bad = bad || !out;
  for (size_t k = 0; !bad && k < s.nq; k++) {
    bad = draft_figure(&s, in, k, &out[nplaced]) != 0;
    nplaced += !bad;
  }
  if (!bad)
    in->left -= s.nq;
  if (!bad && in->cb) {
    long v = draft_views(&s, in, out + nplaced);
    if (v < 0) {
      bad = 1;
      for (size_t i = nplaced; i < s.nq + s.nc * CUE_ACTORS_MAX && out[i].claim;
           i++)
        json_decref(out[i].claim);
    } else {
      nplaced += (size_t)v;
    }
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
  segment_free(&s);
  return bad ? -1 : 0;
}

/* The actor whose id is the call's subject entity's: a company speaking
   for itself on its own call, the default actor of what no one else says. */
static int subject_actor(const codebook *cb, const char *subject) {
  for (size_t i = 0; cb && subject && i < cb->nids[CB_ACTOR]; i++)
    if (strcmp(cb->ids[CB_ACTOR][i], subject) == 0)
      return (int)i;
  return -1;
}

/* The period a call's title names ("2025 Q3 Earnings Call", "小米集团
   2025年三季度业绩会") when it names exactly one: the period of what the
   call says with no period of its own.  0, or -1 when memory runs out. */
static int call_period(const json_t *title, const char *published,
                       char out[CK_PERIOD_MAX]) {
  dr_period *p = NULL;
  size_t n = 0, found = 0;
  *out = '\0';
  if (!json_is_string(title))
    return 0;
  if (draft_periods(json_string_value(title), json_string_length(title),
                    published, &p, &n))
    return -1;
  for (size_t i = 0; i < n; i++)
    if (!p[i].date && !p[i].base && p[i].years == 1 && p[i].iso[0]) {
      if (found++ == 0)
        snprintf(out, CK_PERIOD_MAX, "%s", p[i].iso);
      else if (strcmp(out, p[i].iso) != 0)
        *out = '\0', found = 99;
    }
  free(p);
  return 0;
}

json_t *transcript_draft(const char *text, size_t len, const char *source,
                         const char *published, codebook *cb,
                         const json_t *source_record, long long *room,
                         int *too_many) {
  draft_in in = {source, published, NULL, -1, "", cb, room,
                 CK_DRAFT_MAX_CLAIMS, 0};
  if (too_many)
    *too_many = 0;
  if (source_record) {
    in.subject = json_string_value(json_object_get(source_record, "entity"));
    in.subject_actor = subject_actor(cb, in.subject);
    if (call_period(json_object_get(source_record, "title"), published,
                    in.call_period) != 0)
      return NULL;
  }
  json_t *segments = transcript_segments(text, len, room);
  if (!segments)
    return NULL;
  json_t *claims = json_array();
  int bad = !claims;
  size_t i;
  json_t *seg;
  json_array_foreach(segments, i, seg) {
    if (bad || draft_segment(claims, seg, &in) != 0) {
      bad = 1;
      break;
    }
  }
  json_decref(segments);
  /* the source record: the stored one as it is, else a new one */
  json_t *src = NULL;
  if (!bad && source_record) {
    src = json_deep_copy(source_record);
  } else if (!bad) {
    src = json_pack("{s:s, s:s}", "id", source, "kind", "transcript");
    if (src && published && *published)
      jset(src, "published", json_string(published), &bad);
  }
  if (too_many)
    *too_many = in.too_many;
  if (bad || !src) {
    json_decref(src);
    json_decref(claims);
    return NULL;
  }
  return json_pack("{s:i, s:[o], s:o}", "claimkit", 1, "sources", src,
                   "claims", claims);
}

/*
** draft_periods.c -- what a segment says of changes (comparisons, lists of
** figures, bases) and of periods and dates: a figure's period, a
** point-in-time figure's month.  A part of a draft (draft_parts.h).
*/
#include "draft_parts.h"

/* The comparisons of the segment, in order; 0, or -1. */
int dp_find_comparisons(segment *s) {
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
void dp_find_lists(segment *s) {
  for (size_t k = 0; k < s->nq; k++) {
    size_t a, b;
    if (k &&
        (dp_bounds(s->len, &s->sentences, s->q[k].start, s->q[k].end, &a, &b),
         a <= s->q[k - 1].start) &&
        dp_unit_separator(s->t, s->q[k - 1].end, s->q[k].start)) {
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
int dp_basis_named(const segment *s, size_t a, size_t b) {
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
int dp_own_basis(const segment *s, size_t k, size_t ca, size_t cb) {
  size_t next = k + 1 < s->nq && s->q[k + 1].start < cb ? s->q[k + 1].start
                                                          : cb;
  int basis = dp_basis_named(s, s->q[k].end, next);
  if (basis != CB_BASIS_NONE)
    return basis;
  size_t prev = k > 0 && s->q[k - 1].end > ca ? s->q[k - 1].end : ca;
  return dp_basis_named(s, prev, s->q[k].start);
}

/* Is figure k compared with the one before it in its sentence (8%,
   versus 5% last quarter)?  Then it is the same kind of figure. */
int dp_versus_before(const segment *s, size_t k, size_t a) {
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
int dp_states_change(const segment *s, size_t k, size_t ca, size_t cb,
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
    dp_bounds(s->len, &s->sentences, p->start, p->end, &a, &b);
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
const char *dp_opinion_date_at(segment *s, size_t a, size_t b,
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
        (m && !dp_separator(s->t, s->periods[i - 1].end, s->periods[i].start)))
      break;
  if (m == len && (first + n - len == first ||
                   !dp_separator(s->t, s->periods[first + n - len - 1].end,
                              s->periods[first + n - len].start)))
    return (long)(first + n - len);
  return -1;
}

#define HINT_BYTES 96 /* how far before a figure 当季 / 远期 is looked for */

/* The first of `words` in [from, to), as an offset, or SIZE_MAX. */
static size_t first_word(const char *t, size_t from, size_t to,
                         const char *const *words) {
  for (size_t i = from; i < to; i++)
    for (int w = 0; words[w]; w++) {
      size_t n = strlen(words[w]);
      if (n <= to - i && memcmp(t + i, words[w], n) == 0)
        return i;
    }
  return SIZE_MAX;
}

/* Words before a comparison's old level: rose to $20 million from $15
   million, 较去年同期的12亿元. */
static const char *const base_words[] = {" from ", "compared with",
                                         "compared to", "versus", " vs",
                                         "较", "相比", "由", "从", NULL};

/* 1 when figure k restates figure k-1 in another unit ("$20 million, or
   $0.50 per share"). */
static int restates(const segment *s, size_t k) {
  size_t from = s->q[k - 1].end;
  return s->q[k].start - from == 5 && memcmp(s->t + from, ", or ", 5) == 0;
}

/* The figure whose old level figure k is: "rose to A, or B, from C, or D"
   pairs C with A and D with B, a run of restatements right after a base
   word in its clause with the run of the same length before it; k itself
   when there is no such pairing. */
size_t dp_base_counterpart(const segment *s, size_t k, size_t a) {
  if (s->q[k].direction) /* a change, not a level */
    return k;
  size_t after = k; /* the run after the base word: after..k */
  while (after > 0 && s->q[after - 1].start >= a && restates(s, after))
    after--;
  if (after == 0 || s->q[after - 1].start < a)
    return k;
  size_t before = after - 1; /* and the run before it: first..before */
  size_t ca, cb; /* the base word in the run's own clause */
  dp_bounds(s->len, &s->clauses, s->q[after].start, s->q[after].end, &ca, &cb);
  size_t from = s->q[before].end > ca ? s->q[before].end : ca;
  if (first_word(s->t, from, s->q[after].start, base_words) == SIZE_MAX)
    return k;
  size_t first = before, last = k;
  while (first > 0 && s->q[first - 1].start >= a && restates(s, first))
    first--;
  while (last + 1 < s->nq && restates(s, last + 1))
    last++;
  /* runs of one length only: else which pairs with which is a guess */
  return last - after == before - first ? first + (k - after) : k;
}

/* Is figure k a comparison's old level -- "rose to $14.6 million from $4.7
   million a year ago", "较去年同期的12亿元"?  A base word in its clause
   before it (after any figure there), a phrase naming the basis (a year
   ago, prior-year, 去年同期) after that word in the sentence, and no
   direction of its own (a change is the current period's); or it restates
   such a level (", or $0.24 per share").  Its period is the earlier one,
   which the text leaves to be worked out: null, never the current one. */
static int base_level(const segment *s, size_t k, size_t a, size_t b) {
  if (k == 0 || s->q[k - 1].start < a || s->q[k].direction)
    return 0;
  size_t ca, cb, from = s->q[k - 1].end;
  dp_bounds(s->len, &s->clauses, s->q[k].start, s->q[k].end, &ca, &cb);
  size_t at = first_word(s->t, from > ca ? from : ca, s->q[k].start,
                         base_words);
  if (at != SIZE_MAX) {
    for (size_t i = compare_from(s, at); i < s->ncmp && s->cmp[i].start < b;
         i++)
      if (!s->cmp[i].changes)
        return 1;
    return 0;
  }
  return restates(s, k) && base_level(s, k - 1, a, b);
}

/* Figure k's period, in order: its list's (2023年至2025年...分别为A、B
   和C), its clause's, its sentence's when only one, the segment's. */
json_t *dp_period_of(segment *s, size_t k, size_t a, size_t b, size_t ca,
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
  if (base_level(s, k, a, b))
    return json_null();
  /* 当季 is the quarter the segment is about; 远期 names none */
  size_t from = s->q[k].start > ca + HINT_BYTES ? s->q[k].start - HINT_BYTES
                                                : ca;
  int hint = draft_period_hint(s->t, from, s->q[k].start);
  if (hint == DR_UNDATED)
    return json_null();
  if (hint == DR_THE_QUARTER) {
    fold_about(s, a);
    const char *q = s->about[0] ? s->about : s->call_period;
    return strlen(q) == 7 && q[5] == 'Q' ? json_string(q) : json_null();
  }
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
json_t *dp_moment_of(segment *s, size_t k, size_t a, size_t b,
                     const char *published) {
  static const char *const from[] = {"由", "从", "從", "from", NULL};
  if (draft_written_before(s->t, s->q[k].start, from))
    return json_null();
  const char *d = dp_opinion_date_at(s, a, b, s->q[k].start);
  d = d ? d : published && *published ? published : NULL;
  return d ? json_stringn(d, 7) : json_null();
}

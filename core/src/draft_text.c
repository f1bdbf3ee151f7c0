/*
** draft_text.c -- where sentences and clauses end, a figure's quote, the
** mentions around a figure and lists of them, and a metric's change
** metric.  A part of a draft (draft_parts.h).
*/
#include "draft_parts.h"

/* ---- ends of sentences and clauses ---------------------------------------- */


void dp_stops_free(stops *st) {
  free(st->start);
  free(st->end);
  memset(st, 0, sizeof *st);
}

int dp_find_stops(const char *text, size_t len, stops *st,
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
void dp_bounds(size_t len, const stops *st, size_t qs, size_t qe,
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
span dp_quote_of(const char *text, size_t len, const stops *st, size_t qs,
                 size_t qe) {
  size_t a, b;
  dp_bounds(len, st, qs, qe, &a, &b);
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


/* The index of the first mention starting at or after pos. */
size_t dp_first_from(const kind_list *l, size_t pos) {
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
const cb_hit *dp_nearest_before(const kind_list *l, size_t qe,
                                size_t from) {
  size_t k = dp_first_from(l, qe);
  return k && l->at[k - 1]->start >= from ? l->at[k - 1] : NULL;
}

/* The mention nearest after qe that ends at or before `to`. */
const cb_hit *dp_nearest_after(const kind_list *l, size_t qe, size_t to) {
  size_t k = dp_first_from(l, qe);
  return k < l->n && l->at[k]->end <= to ? l->at[k] : NULL;
}

/* Is [a, b) of t only a list separator: 、 ， , 和 及 以及 与 and? */
int dp_separator(const char *t, size_t a, size_t b) {
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
int dp_unit_separator(const char *t, size_t a, size_t b) {
  if (dp_separator(t, a, b))
    return 1;
  size_t i = a;
  if (i < b && ((t[i] | 32) >= 'a' && (t[i] | 32) <= 'z')) {
    while (i < b && ((t[i] | 32) >= 'a' && (t[i] | 32) <= 'z'))
      i++;
    return dp_separator(t, i, b);
  }
  for (int chars = 0; chars < 2 && i < b; chars++) {
    if ((unsigned char)t[i] < 0x80)
      return 0;
    i++;
    while (i < b && ((unsigned char)t[i] & 0xc0) == 0x80)
      i++;
    if (dp_separator(t, i, b))
      return 1;
  }
  return 0;
}

/* The n mentions of a list (智能手机、物联网、消费电子和其他) nearest
   before `pos` in [from, pos) whose length is exactly n: the index of its
   first in l, or -1.  Runs of other lengths are passed over. */
long dp_mention_list(const char *t, const kind_list *l, size_t pos,
                     size_t from, size_t n) {
  size_t k = dp_first_from(l, pos);
  for (int runs = 0; k > 0 && runs < 8; runs++) {
    size_t last = k - 1, first = last;
    if (l->at[last]->start < from)
      return -1;
    while (first > 0 && last - first <= n && l->at[first - 1]->start >= from &&
           l->at[first - 1]->end <= l->at[first]->start &&
           dp_separator(t, l->at[first - 1]->end, l->at[first]->start))
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
const char *dp_change_metric(const codebook *cb, const char *m,
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

/*
** draft_rules.c -- the text rules of a draft (DESIGN §8) that need no
** codebook: where sentences and clauses end, the periods and dates a text
** writes (draft_dates.c), and the words that make a figure a change.
** Pure: text in, facts out; draft.c puts them together with the codebook.
**
** Positions are byte offsets into the text; ASCII words match without
** regard to case and only whole (not inside a longer ASCII word).
*/
#include "draft_rules_parts.h"
#include "internal.h"
#include "codebook.h"
#include "periods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sentences and clauses ----------------------------------------------- */

static const char *const abbreviations[] = {
    "inc", "corp", "co", "ltd", "llc", "plc", "vs", "mr", "mrs", "ms", "dr",
    "st", "jr", "sr", "no", "approx", "est", "dept", "fig", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    NULL};

/* Is the '.' at p the end of an abbreviation (Inc., vs., U.S., e.g.)? */
static int abbreviation_before(const char *t, const char *p) {
  const char *w = p;
  while (w > t && (is_alpha((unsigned char)w[-1]) || w[-1] == '.'))
    w--;
  size_t n = (size_t)(p - w);
  if (n == 0)
    return 0;
  if (memchr(w, '.', n) || (n == 1 && is_upper((unsigned char)*w)))
    return 1; /* U.S., e.g., an initial */
  for (int i = 0; abbreviations[i]; i++) {
    size_t k = strlen(abbreviations[i]);
    if (k != n)
      continue;
    size_t j = 0;
    while (j < k && (w[j] | 32) == abbreviations[i][j])
      j++;
    if (j == k)
      return 1;
  }
  return 0;
}

/* An English full stop ends a sentence before a space and a capital, or
   at the end of a line. */
static size_t full_stop(const char *t, const char *p, const char *end) {
  if (p > t && p + 1 < end && is_digit((unsigned char)p[-1]) &&
      is_digit((unsigned char)p[1]))
    return 0; /* 3.5 */
  const char *q = p + 1;
  while (q < end && (*q == '"' || *q == '\'' || *q == ')'))
    q++;
  const char *s = q;
  while (q < end && (*q == ' ' || *q == '\t'))
    q++;
  /* a capital, or a letter of a script without case (行业 after an
     English sentence) */
  if (q < end && *q != '\n' &&
      (q == s || !(is_upper((unsigned char)*q) || (unsigned char)*q >= 0xe3)))
    return 0;
  if (abbreviation_before(t, p) && q < end && *q != '\n')
    return 0;
  return (size_t)(s - p);
}

size_t draft_stop_at(const char *t, size_t len, size_t i) {
  static const char *const ends[] = {"。", "！", "？", "；", "!", "?", ";",
                                     "\n", NULL};
  const char *p = t + i, *end = t + len;
  size_t n = any_at(t, p, end, ends, NULL);
  if (n)
    return n;
  return *p == '.' ? full_stop(t, p, end) : 0;
}

size_t draft_clause_at(const char *t, size_t len, size_t i) {
  const char *p = t + i, *end = t + len;
  if (*p == ',')
    return i > 0 && i + 1 < len && is_digit((unsigned char)p[-1]) &&
                   is_digit((unsigned char)p[1])
               ? 0 /* 1,234 */
               : 1;
  size_t n = prefix_len(p, end, "，");
  return n ? n : draft_stop_at(t, len, i);
}

/* ---- changes ------------------------------------------------------------- */

static const char *const directions[] = {
    "下跌", "下降", "下滑", "减少", "減少", "回落", "上涨", "上漲", "增长",
    "增長", "提升", "上升", "增加", "跌", "涨", "漲", "fell", "down",
    "decreased", "declined", "rose", "up", "increased", "grew", "lower",
    "higher", "dropped", "decreasing", "declining", "falling", "dropping",
    "increasing", "rising", "growing", "降低", "调低", "提高", "调高", NULL};

/* Words between a direction word and its number that keep it a change
   (增长了, rose by) -- not 到, 至, to: 增长到50亿 is a level. */
static const char *skip_between(const char *t, const char *p,
                                const char *end) {
  static const char *const fillers[] = {"了", "约", "by", "about", "approximately",
                                        "roughly", "nearly", "近", NULL};
  for (int guard = 0; guard < 4 && p < end; guard++) {
    while (p < end && *p == ' ')
      p++;
    size_t n = any_at(t, p, end, fillers, NULL);
    if (!n)
      break;
    p += n;
  }
  while (p < end && *p == ' ')
    p++;
  return p;
}

int draft_direction(const char *t, size_t len, size_t qs, size_t qe) {
  const char *end = t + len;
  /* in its words: a direction word followed by the number */
  for (const char *p = t + qs; p < t + qe; p++) {
    size_t n = any_at(t, p, end, directions, NULL);
    if (n) {
      const char *q = skip_between(t, p + n, end);
      if (q < t + qe && !prefix_len(q, end, "到") && !prefix_len(q, end, "至") &&
          !word_at(t, q, end, "to"))
        return 1;
    }
  }
  /* just before them, or 高/低 right before the number */
  const char *p = t + qs;
  const char *c = char_before(t, p);
  if ((prefix_len(c, end, "高") || prefix_len(c, end, "低")) &&
      !prefix_len(char_before(t, c), end, "最"))
    return 1;
  for (int guard = 0; guard < 3 && p > t; guard++) {
    while (p > t && p[-1] == ' ')
      p--;
    const char *start = p;
    for (int i = 0; directions[i]; i++) {
      size_t n = strlen(directions[i]);
      if ((size_t)(p - t) >= n &&
          (is_alpha((unsigned char)directions[i][0])
               ? word_at(t, p - n, end, directions[i]) == n
               : memcmp(p - n, directions[i], n) == 0))
        return 1;
    }
    /* step back over a filler: 了, by, about */
    static const char *const fillers[] = {"了", "约", "by", "about", NULL};
    for (int i = 0; fillers[i] && p == start; i++) {
      size_t n = strlen(fillers[i]);
      if ((size_t)(p - t) >= n && memcmp(p - n, fillers[i], n) == 0)
        p -= n;
    }
    if (p == start)
      break;
  }
  return 0;
}

static const char *const comparisons[] = {
    "同比", "环比", "環比", "year over year", "year-over-year", "year on year",
    "year-on-year", "yoy", "y/y", "sequentially", "sequential",
    "quarter over quarter", "quarter-over-quarter", "quarter on quarter",
    "quarter-on-quarter", "qoq", "q/q", "versus", "vs.", "vs", NULL};
static const int comparison_basis[] = {
    CB_BASIS_YOY, CB_BASIS_QOQ, CB_BASIS_QOQ, CB_BASIS_YOY, CB_BASIS_YOY,
    CB_BASIS_YOY, CB_BASIS_YOY, CB_BASIS_YOY, CB_BASIS_YOY, CB_BASIS_QOQ,
    CB_BASIS_QOQ, CB_BASIS_QOQ, CB_BASIS_QOQ, CB_BASIS_QOQ, CB_BASIS_QOQ,
    CB_BASIS_QOQ, CB_BASIS_QOQ, CB_BASIS_NONE, CB_BASIS_NONE, CB_BASIS_NONE};

int draft_comparison_at(const char *t, size_t len, size_t i, size_t *n,
                        int *versus) {
  int which;
  *n = any_at(t, t + i, t + len, comparisons, &which);
  if (!*n)
    return -1;
  *versus = comparison_basis[which] == CB_BASIS_NONE;
  return comparison_basis[which];
}

/* Words that name a comparison's basis but do not make a figure a
   change on their own (revenue of $5B a year ago is a level). */
static const char *const basis_words[] = {
    "a year ago", "a year earlier", "prior year", "previous year",
    "last year", "去年同期", "上年同期", "prior quarter", "previous quarter",
    "last quarter", "上季度", "上一季度", "上个季度", "prior-year",
    "year-ago", "prior-quarter", NULL};
static const int basis_word_basis[] = {
    CB_BASIS_YOY, CB_BASIS_YOY, CB_BASIS_YOY, CB_BASIS_YOY, CB_BASIS_YOY,
    CB_BASIS_YOY, CB_BASIS_YOY, CB_BASIS_QOQ, CB_BASIS_QOQ, CB_BASIS_QOQ,
    CB_BASIS_QOQ, CB_BASIS_QOQ, CB_BASIS_QOQ, CB_BASIS_YOY, CB_BASIS_YOY,
    CB_BASIS_QOQ};

int draft_basis_at(const char *t, size_t len, size_t i, size_t *n) {
  int which;
  *n = any_at(t, t + i, t + len, basis_words, &which);
  return *n ? basis_word_basis[which] : -1;
}

int draft_points_after(const char *t, size_t len, size_t qe) {
  static const char *const points[] = {"个百分点", "百分点", "个基点", "基点",
                                       "percentage points", "basis points",
                                       "pp", "bps", "bp", NULL};
  const char *p = t + qe;
  while (p < t + len && *p == ' ')
    p++;
  return any_at(t, p, t + len, points, NULL) != 0;
}

int draft_written_before(const char *t, size_t qs, const char *const *words) {
  const char *p = t + qs;
  static const char *const fillers[] = {"原来的", "原先的", "之前的", "此前的",
                                        "原", "its prior ", "the prior ",
                                        "its previous ", "the previous ",
                                        "a prior ", NULL};
  while (p > t && p[-1] == ' ')
    p--;
  for (int i = 0; fillers[i]; i++) {
    size_t n = strlen(fillers[i]);
    if ((size_t)(p - t) >= n && ncase_cmp(p - n, fillers[i], n) == 0) {
      p -= n;
      break;
    }
  }
  while (p > t && p[-1] == ' ')
    p--;
  for (int i = 0; words[i]; i++) {
    size_t n = strlen(words[i]);
    if ((size_t)(p - t) >= n && ncase_cmp(p - n, words[i], n) == 0 &&
        (!is_alpha((unsigned char)words[i][0]) || (size_t)(p - t) == n ||
         !is_alnum((unsigned char)p[-(long)n - 1])))
      return 1;
  }
  return 0;
}

int draft_period_hint(const char *t, size_t a, size_t b) {
  /* not 本季度 / this quarter: on a call, the quarter under way */
  static const char *const words[] = {"当季", "當季", "该季度", "該季度",
                                      "the quarter", "远期", "遠期", NULL};
  static const int hints[] = {DR_THE_QUARTER, DR_THE_QUARTER, DR_THE_QUARTER,
                              DR_THE_QUARTER, DR_THE_QUARTER, DR_UNDATED,
                              DR_UNDATED};
  int hint = 0, which;
  for (const char *p = t + a; p < t + b; p++) {
    if (((unsigned char)*p & 0xc0) == 0x80 ||
        (p > t && is_alnum((unsigned char)*p) && is_alnum((unsigned char)p[-1])))
      continue;
    if (any_at(t, p, t + b, words, &which))
      hint = hints[which]; /* the last one before the figure */
  }
  return hint;
}

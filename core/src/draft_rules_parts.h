/*
** draft_rules_parts.h -- the ASCII and UTF-8 helpers the parts of the
** draft rules share (draft_rules.c: sentence ends and changes;
** draft_dates.c: periods and dates).  Private to them.
*/
#ifndef CK_DRAFT_RULES_PARTS_H
#define CK_DRAFT_RULES_PARTS_H

#include "internal.h"
#include "draft_rules.h"
#include "periods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int is_alpha(unsigned char c) {
  return (c | 32) >= 'a' && (c | 32) <= 'z';
}
static inline int is_alnum(unsigned char c) { return is_digit(c) || is_alpha(c); }
static inline int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }


/* strncasecmp for ASCII letters (0 when the n bytes match). */
static inline int ncase_cmp(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i] && !(is_alpha((unsigned char)a[i]) && (a[i] | 32) == (b[i] | 32)))
      return 1;
  return 0;
}

/* The length of ASCII word `w` at p, whatever the case, when it stands
   whole there (nothing alphanumeric right before or after), else 0. */
static inline size_t word_at(const char *t, const char *p, const char *end,
                      const char *w) {
  size_t n = strlen(w);
  if ((size_t)(end - p) < n || (p > t && is_alnum((unsigned char)p[-1]) &&
                                is_alnum((unsigned char)w[0])))
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((p[i] | 32) != (w[i] | 32) && !(p[i] == w[i]))
      return 0;
  if (p + n < end && is_alnum((unsigned char)p[n]) &&
      is_alnum((unsigned char)w[n - 1]))
    return 0;
  return n;
}

/* The first of a list of words or phrases at p: its length, and its
   index in *which. */
static inline size_t any_at(const char *t, const char *p, const char *end,
                     const char *const *list, int *which) {
  for (int i = 0; list[i]; i++) {
    size_t n, k = strlen(list[i]);
    if (is_alpha((unsigned char)list[i][0]))
      n = word_at(t, p, end, list[i]);
    else if ((unsigned char)list[i][0] < 0x80) /* " quarter", "-half" */
      n = (size_t)(end - p) >= k && ncase_cmp(p, list[i], k) == 0 ? k : 0;
    else
      n = prefix_len(p, end, list[i]);
    if (n) {
      if (which)
        *which = i;
      return n;
    }
  }
  return 0;
}

/* The start of the character before p. */
static inline const char *char_before(const char *t, const char *p) {
  if (p <= t)
    return t;
  p--;
  while (p > t && ((unsigned char)*p & 0xc0) == 0x80)
    p--;
  return p;
}

#endif

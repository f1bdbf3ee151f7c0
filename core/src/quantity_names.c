/*
** quantity_names.c -- numbers that belong to a name or name a thing: a
** product's model (Mate 70 Pro), a label (slide 5, Section 301), a price
** band (4000-6000元价格段).  A part of the quantity parser
** (quantity_parts.h).
*/
#include "quantity_parts.h"

#include <string.h>

/* A currency code: an amount of money. */
int qty_money(const char *unit) {
  static const char *const codes[] = {"CNY", "USD", "HKD", "JPY",
                                      "EUR", "GBP", "KRW", "TWD"};
  for (size_t i = 0; unit && i < sizeof codes / sizeof codes[0]; i++)
    if (strcmp(unit, codes[i]) == 0)
      return 1;
  return 0;
}

/* Past closing quotes and spaces at p. */
static const char *past_quotes(const cursor *c, const char *p) {
  static const char *const quotes[] = {"”", "\"", "」", "’", "'", "“", "「"};
  for (int again = 1; again;) {
    again = 0;
    p = skip_spaces(c, p);
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
      size_t n = at(c, p, quotes[i]);
      if (n) {
        p += n;
        again = 1;
        break;
      }
    }
  }
  return p;
}

static int any_word_at(const cursor *c, const char *p,
                       const char *const *words, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (at(c, p, words[i]))
      return 1;
  return 0;
}

/* A number that names a thing rather than measures it: a shopping festival
   named by its date (“6.18”购物节, 618大促; 双十一 is festival_before()'s),
   a plan by its number (“十四五”规划), a price band (4000-6000元价格段) or
   tier (6000元以上的手机, 3000元以下机型). */
int qty_names_a_thing(const cursor *c, const reading *r) {
  static const char *const festivals[] = {"购物节", "狂欢节", "电商节",
                                          "大促", "规划"};
  static const char *const bands[] = {"价格段", "价位段", "价格带",
                                      "价格区间", "价位", "档位"};
  static const char *const tiers[] = {"国产", "手机", "机型", "车型", "产品",
                                      "市场", "高端", "超高端", "旗舰"};
  const char *p = past_quotes(c, r->end);
  if (any_word_at(c, p, festivals, sizeof festivals / sizeof festivals[0]))
    return 1;
  int price = qty_money(r->a.unit) || qty_money(r->b.unit) || r->currency ||
              r->currency_b;
  if (!price)
    return 0;
  if (any_word_at(c, p, bands, sizeof bands / sizeof bands[0]))
    return 1;
  if (!r->has_qual || (r->qual != Q_OVER && r->qual != Q_UNDER) ||
      !(before(c, r->end, "以上") || before(c, r->end, "以下")))
    return 0;
  p = past_quotes(c, p + at(c, p, "的"));
  return any_word_at(c, p, tiers, sizeof tiers / sizeof tiers[0]);
}

/* The ASCII word that ends at p (letters, &, and a final . for No.),
   after spaces: its start, or p when there is none. */
static const char *word_ending(const cursor *c, const char *p) {
  const char *w = p;
  while (w > c->origin && (ascii_letter((unsigned char)w[-1]) || w[-1] == '&'))
    w--;
  return w;
}

/* Is p a sentence's first word (nothing before it but a stop, a colon, a
   bullet or an opening)? */
static int starts_sentence(const cursor *c, const char *p) {
  while (p > c->origin && p[-1] == ' ')
    p--;
  if (p == c->origin)
    return 1;
  unsigned char b = (unsigned char)p[-1];
  return strchr(".!?:;-*(\n\t\"", b) != NULL || b >= 0x80;
}

/* A bare integer right after a name or a label belongs to it: iPhone 17,
   Section 301, Tier 1, the Top 3, S&P 500, slide 5, No. 1 -- a capital
   in the word, not the sentence's first (Opened 12 branches), or a
   label word in any case. */
static int label_before(const cursor *c, const char *p) {
  static const char *const labels[] = {
      "slide", "page", "question", "tier", "section", "chapter", "item",
      "top", "no.", "number", "version", "phase", "part", "step", "level"};
  const char *q = p;
  while (q > c->origin && q[-1] == ' ')
    q--;
  if (q == p)
    return 0; /* V4: followed_by_name()'s and no_figure_at()'s */
  const char *e = q > c->origin && q[-1] == '.' ? q - 1 : q;
  const char *w = word_ending(c, e);
  if (w == e || (w > c->origin && ((w[-1] >= '0' && w[-1] <= '9') ||
                                    w[-1] == '-')))
    return 0;
  size_t n = (size_t)(q - w);
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
    size_t k = 0;
    while (k < n && labels[i][k] && (w[k] | 0x20) == labels[i][k])
      k++;
    if (k == n && !labels[i][k])
      return 1;
  }
  if (e != q || n < 2)
    return 0;
  int capital = 0;
  for (const char *x = w; x < q; x++)
    capital |= *x >= 'A' && *x <= 'Z';
  return capital && !starts_sentence(c, w);
}

/* A product's tier after its number: 小米15 Ultra, Galaxy 25 Plus. */
static int tier_after(const cursor *c, const char *p) {
  static const char *const tiers[] = {"Pro", "Max", "Ultra", "Plus", "Mini",
                                      "Lite", "Air", "SE"};
  const char *q = skip_spaces(c, p);
  for (size_t i = 0; q > p && i < sizeof tiers / sizeof tiers[0]; i++)
    if (word_at(c, q, tiers[i]))
      return 1;
  return 0;
}

/* An integer alone, with nothing that makes it a figure, beside a name
   (label_before, tier_after) or joined to a word by a hyphen is part of
   the name. */
int qty_in_a_name(const cursor *c, const reading *r) {
  if (r->range || r->has_qual || r->direction || r->currency ||
      r->a.unit || r->a.kind != K_PLAIN || r->a.ph.big_unit ||
      r->a.ph.many || r->sign < 0 || r->paren || r->shared)
    return 0;
  for (const char *x = r->start; x < r->a.numeral_end; x++)
    if (*x < '0' || *x > '9')
      return 0;
  const char *e = r->a.numeral_end;
  if (e + 1 < c->end && *e == '-' && ascii_letter((unsigned char)e[1]))
    return 1; /* 10-K, 8-K, a 5-year plan */
  return label_before(c, r->start) || tier_after(c, e);
}


/*
** quantity_numeral.c -- numerals: ASCII, full-width and Chinese digits,
** places and big units, vague and paired digits, Latin scales, read into
** exact decimals.  A part of the quantity parser (quantity_parts.h).
*/
#include "quantity_parts.h"

#include <math.h>

/* ---- numerals ------------------------------------------------------------ */

/* An ASCII or full-width digit at p: its value, and its length in *n. */
int qty_digit_at(const cursor *c, const char *p, size_t *n) {
  if (p < c->end && *p >= '0' && *p <= '9') {
    *n = 1;
    return *p - '0';
  }
  if ((size_t)(c->end - p) >= 3 && (unsigned char)p[0] == 0xef &&
      (unsigned char)p[1] == 0xbc && (unsigned char)p[2] >= 0x90 &&
      (unsigned char)p[2] <= 0x99) {
    *n = 3;
    return (unsigned char)p[2] - 0x90;
  }
  return -1;
}

static const char *const cn_digits[] = {"零", "〇", "一", "二", "两", "三",
                                        "四", "五", "六", "七", "八", "九"};
static const int cn_digit_values[] = {0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9};

int qty_cn_digit_at(const cursor *c, const char *p, size_t *n) {
  for (size_t i = 0; i < sizeof cn_digits / sizeof cn_digits[0]; i++)
    if ((*n = at(c, p, cn_digits[i])))
      return cn_digit_values[i];
  return -1;
}

unsigned qty_cn_multiplier_at(const cursor *c, const char *p, size_t *n) {
  if ((*n = at(c, p, "十")))
    return 10;
  if ((*n = at(c, p, "百")))
    return 100;
  if ((*n = at(c, p, "千")))
    return 1000;
  return 0;
}

/* An Arabic literal: digits, "," thousands groups, one decimal point. */
static const char *arabic_at(const cursor *c, const char *p, dec *out) {
  size_t n;
  int d = qty_digit_at(c, p, &n);
  if (d < 0)
    return NULL;
  uint64_t m = 0;
  int e = 0, frac = 0;
  for (;;) {
    if (d >= 0) {
      if (m < DEC_MAX / 10) {
        m = m * 10 + (uint64_t)d;
        e -= frac;
      } else if (!frac) {
        e++; /* more digits than fit: keep the magnitude */
      }
      p += n;
    } else if (!frac && (at(c, p, ".") || at(c, p, "．")) &&
               qty_digit_at(c, p + (*p == '.' ? 1 : 3), &n) >= 0) {
      frac = 1;
      p += *p == '.' ? 1 : 3;
    } else if (!frac && at(c, p, ",") && qty_digit_at(c, p + 1, &n) >= 0 &&
               n == 1 && qty_digit_at(c, p + 2, &n) >= 0 && n == 1 &&
               qty_digit_at(c, p + 3, &n) >= 0 && n == 1 &&
               qty_digit_at(c, p + 4, &n) < 0) {
      p += 1; /* a thousands separator: exactly three digits follow */
    } else {
      break;
    }
    d = qty_digit_at(c, p, &n);
  }
  *out = dec_make(m, e);
  return p;
}


enum token { T_NONE, T_DIGIT, T_MULT, T_BIG, T_MANY, T_ZERO };

static const struct {
  const char *text;
  int exp;
  int word; /* an English word, after a space */
} latin_scales[] = {
    {"thousand", 3, 1}, {"million", 6, 1}, {"billion", 9, 1},
    {"trillion", 12, 1}, {"bn", 9, 0}, {"tn", 12, 0},
    {"mn", 6, 0},       {"mln", 6, 0},     {"bln", 9, 0},
    {"bn", 9, 1},       {"tn", 12, 1},     {"mn", 6, 1},
    {"mln", 6, 1},      {"bln", 9, 1},
    {"k", 3, 0},        {"K", 3, 0},       {"M", 6, 0},
    {"B", 9, 0},        {"T", 12, 0},
};

/* A place or a big unit follows: what makes 几, 数 or a pair a numeral. */
int qty_place_at(const cursor *c, const char *p) {
  size_t n;
  return qty_cn_multiplier_at(c, p, &n) || at(c, p, "万") || at(c, p, "亿");
}

/* 几 or 数 standing for a digit before a place (几十, 数万): its length. */
size_t qty_vague_digit_at(const cursor *c, const char *p) {
  size_t n = at(c, p, "几");
  if (!n)
    n = at(c, p, "数");
  return n && qty_place_at(c, p + n) ? n : 0;
}

/* Two consecutive digits before a place (一两百, 二三十亿): the first, its
   length in *n; -1 if none. */
static int pair_at(const cursor *c, const char *p, size_t *n) {
  size_t n1, n2;
  int d1 = qty_cn_digit_at(c, p, &n1);
  if (d1 < 1)
    return -1;
  int d2 = qty_cn_digit_at(c, p + n1, &n2);
  if (d2 != d1 + 1 || !qty_place_at(c, p + n1 + n2))
    return -1;
  *n = n1 + n2;
  return d1;
}

/* The digits after 点 as a fraction (点二五: 0.25); NULL when a place
   follows them (三点五十分 is a time). */
static const char *decimal_words(const cursor *c, const char *p, dec *out) {
  uint64_t m = 0;
  int e = 0, d;
  size_t n;
  while ((d = qty_cn_digit_at(c, p, &n)) >= 0) {
    if (m < DEC_MAX / 10) {
      m = m * 10 + (uint64_t)d;
      e--;
    }
    p += n;
  }
  if (qty_place_at(c, p) && !at(c, p, "万") && !at(c, p, "亿"))
    return NULL;
  *out = dec_make(m, e);
  return p;
}

/* A numeral phrase is read token by token; `ns` is what the tokens so far
   add up to, as two readings: [0] the least, [1] the greatest. */
typedef struct numeral_state {
  dec total[2];   /* the big-unit sections done: 3亿 of 3亿5千万 */
  dec section[2]; /* the places of the section being read: 5千 */
  dec pending[2]; /* the digit or literal not yet given a place */
  int has_pending;
  int pending_single; /* that literal is one digit character */
  int last, prev;     /* the last two tokens */
  unsigned last_mult; /* the last place: 10, 100 or 1000 */
  int last_big_exp;
  int scaling;  /* still in the big units right after the first literal */
  int zero_gap; /* a 零 held an empty place */
} numeral_state;

static void ns_token(numeral_state *ns, int token) {
  ns->prev = ns->last;
  ns->last = token;
}

/* The pending digit or literal, both readings, as v[k] (0 if none). */
static dec ns_pending(const numeral_state *ns, int k) {
  return ns->has_pending ? ns->pending[k] : dec_make(0, 0);
}

static void ns_literal(numeral_state *ns, dec least, dec greatest, int single) {
  if (ns->last != T_NONE)
    ns->scaling = 0;
  ns->pending[0] = least;
  ns->pending[1] = greatest;
  ns->has_pending = 1;
  ns->pending_single = single;
  ns_token(ns, T_DIGIT);
}

static const char *step_arabic(const cursor *c, const char *p,
                               numeral_state *ns, phrase *ph) {
  dec lit;
  const char *q;
  if (ns->last == T_DIGIT || !(q = arabic_at(c, p, &lit)))
    return NULL;
  /* one digit character: 3亿3 is 3.3亿, 3亿35 is 300,000,035 */
  size_t n = 0;
  qty_digit_at(c, p, &n);
  ns_literal(ns, lit, lit, q - p == (ptrdiff_t)n);
  ph->arabic = 1;
  return q;
}

/* 零 holds an empty place: 五百零三, 1万零5, 一千零十. */
static const char *step_zero(const cursor *c, const char *p, numeral_state *ns,
                             phrase *ph) {
  size_t n;
  if ((ns->last != T_MULT && ns->last != T_BIG) ||
      qty_cn_digit_at(c, p, &n) != 0)
    return NULL;
  ns->zero_gap = 1;
  ph->cn_chars++;
  ns_token(ns, T_ZERO);
  return p + n;
}

/* 十几, 二十几亿: a units digit from 1 to 9. */
static const char *step_units_vague(const cursor *c, const char *p,
                                    numeral_state *ns, phrase *ph) {
  size_t n;
  if (ns->last != T_MULT || ns->last_mult != 10 || ph->vague ||
      !(n = at(c, p, "几")))
    return NULL;
  ns->pending[0] = dec_make(1, 0);
  ns->pending[1] = dec_make(9, 0);
  ns->has_pending = ph->vague = 1;
  ns->pending_single = 0;
  ph->cn_chars++;
  ns_token(ns, T_DIGIT);
  return p + n;
}

/* 几十, 数万: a digit from 2 to 9; 二三十: 2 or 3. */
static const char *step_vague_or_pair(const cursor *c, const char *p,
                                      numeral_state *ns, phrase *ph) {
  size_t n;
  int d = -1;
  /* after a 十 a pair would be read in two: 二十一二十二 is 21 to 22 */
  if (ns->last == T_DIGIT || ph->vague || ph->paired ||
      (ns->last == T_MULT && ns->last_mult == 10))
    return NULL;
  int vague = (n = qty_vague_digit_at(c, p)) != 0;
  if (!vague && (d = pair_at(c, p, &n)) < 0)
    return NULL;
  ns_literal(ns, dec_make(vague ? 2 : (uint64_t)d, 0),
             dec_make(vague ? 9 : (uint64_t)d + 1, 0), 0);
  if (vague)
    ph->vague = 1;
  else
    ph->paired = 1;
  ph->cn_chars += 2;
  return p + n;
}

static const char *step_cn_digit(const cursor *c, const char *p,
                                 numeral_state *ns, phrase *ph) {
  size_t n;
  int d;
  if (ns->last == T_DIGIT || (d = qty_cn_digit_at(c, p, &n)) < 0)
    return NULL;
  dec v = dec_make((uint64_t)d, 0);
  ns_literal(ns, v, v, 1);
  ph->cn_chars++;
  return p + n;
}

/* 十 百 千.  十 may follow a higher place (一百十一: 一十) or a 零 (一千零十);
   千瓦时 is a unit, 百分之 a percent. */
static const char *step_place(const cursor *c, const char *p,
                              numeral_state *ns, phrase *ph) {
  size_t n;
  unsigned mult = qty_cn_multiplier_at(c, p, &n);
  if (!mult || ns->last == T_MANY || at(c, p, "百分之") || at(c, p, "百分点") ||
      at(c, p, "千瓦"))
    return NULL;
  if (ns->last == T_MULT && !(mult == 10 && ns->last_mult >= 100))
    return NULL;
  if (ns->last == T_ZERO && mult != 10)
    return NULL;
  if (ns->last_mult && mult >= ns->last_mult)
    return NULL; /* a place once per section: 三十四十 is not 70 */
  ns->scaling = 0;
  for (int k = 0; k < 2; k++)
    ns->section[k] = dec_add(
        ns->section[k],
        dec_mul_small(ns->has_pending ? ns->pending[k] : dec_make(1, 0), mult));
  ns->has_pending = 0;
  ns->last_mult = mult;
  ph->cn_chars++;
  ns_token(ns, T_MULT);
  return p + n;
}

static const char *step_big_unit(const cursor *c, const char *p,
                                 numeral_state *ns, phrase *ph) {
  size_t n;
  int exp = (n = at(c, p, "万")) ? 4 : (n = at(c, p, "亿")) ? 8 : 0;
  if (!exp || ns->last == T_NONE || ns->last == T_ZERO)
    return NULL;
  for (int k = 0; k < 2; k++) {
    dec sum = dec_add(ns->section[k], ns_pending(ns, k));
    if (exp == 4)
      ns->total[k] = dec_add(ns->total[k], dec_scale(sum, 4));
    else
      ns->total[k] = dec_scale(dec_add(ns->total[k], sum), 8);
    ns->section[k] = ns->pending[k] = dec_make(0, 0);
  }
  if (ph->many)
    ph->place = dec_scale(ph->place, exp);
  ns->has_pending = 0;
  ns->last_mult = 0;
  ph->big_unit = 1;
  if (ns->scaling)
    ph->scale_exp += exp;
  ns->last_big_exp = exp;
  ns_token(ns, T_BIG);
  return p + n;
}

/* 三点二亿, 零点五, 十二点五: decimals in words. */
static const char *step_point(const cursor *c, const char *p,
                              numeral_state *ns, phrase *ph) {
  size_t n = at(c, p, "点"), m;
  dec lit;
  const char *q;
  if ((ns->last != T_DIGIT && ns->last != T_MULT) || ph->arabic ||
      ph->vague || ph->paired || !n || qty_cn_digit_at(c, p + n, &m) < 0 ||
      !(q = decimal_words(c, p + n, &lit)))
    return NULL;
  for (int k = 0; k < 2; k++) {
    ns->pending[k] = dec_add(dec_add(ns->section[k], ns_pending(ns, k)), lit);
    ns->section[k] = dec_make(0, 0);
  }
  ns->has_pending = 1;
  ns->pending_single = 0;
  ph->cn_chars += 2;
  ns->prev = ns->last = T_DIGIT;
  return q;
}

/* 多 or 余 after a numeral: more than it, up to its next place value. */
static const char *step_many(const cursor *c, const char *p,
                             numeral_state *ns, phrase *ph) {
  size_t n;
  if (ns->last == T_NONE || ns->last == T_MANY || ns->last == T_ZERO ||
      ph->many || ph->vague || ph->paired ||
      !((n = at(c, p, "多")) || (n = at(c, p, "余"))) || at(c, p, "多于"))
    return NULL;
  dec now = dec_add(dec_add(ns->total[0], ns->section[0]), ns_pending(ns, 0));
  ph->many = 1;
  ph->place = dec_place(now);
  ns->scaling = 0;
  ns_token(ns, T_MANY);
  return p + n;
}

/* A tens numeral with a units digit, 十七 or 二十二: its value, or -1. */
static int tens_at(const cursor *c, const char *p, size_t *len) {
  size_t n1 = 0, n2;
  int d1 = qty_cn_digit_at(c, p, &n1);
  if (d1 < 1)
    d1 = 1, n1 = 0;
  int d2;
  if (!at(c, p + n1, "十") ||
      (d2 = qty_cn_digit_at(c, p + n1 + strlen("十"), &n2)) < 1)
    return -1;
  *len = n1 + strlen("十") + n2;
  if (qty_place_at(c, p + *len) && !at(c, p + *len, "万") &&
      !at(c, p + *len, "亿"))
    return -1;
  return d1 * 10 + d2;
}

/* Two tens numerals in a row are a pair: 十七十八 is 17 to 18. */
static const char *step_tens_pair(const cursor *c, const char *p,
                                  numeral_state *ns, phrase *ph) {
  size_t n;
  int b;
  if (ns->last != T_DIGIT || ns->prev != T_MULT || ns->last_mult != 10 ||
      ph->arabic || ph->vague || ph->paired || !dec_zero(ns->total[0]) ||
      (b = tens_at(c, p, &n)) < 0)
    return NULL;
  int a = (int)dec_double(dec_add(ns->section[0], ns_pending(ns, 0)));
  if (b <= a)
    return NULL;
  ns->section[0] = ns->section[1] = dec_make(0, 0);
  ns->pending[0] = dec_make((uint64_t)a, 0);
  ns->pending[1] = dec_make((uint64_t)b, 0);
  ns->has_pending = ph->paired = 1;
  ns->pending_single = 0;
  ph->cn_chars += 2;
  ns->prev = T_NONE;
  ns->last = T_DIGIT;
  return p + n;
}

/* A tens numeral and the next units digit are a pair: 十七八 is 17 to 18,
   二十三四万 23万 to 24万. */
static const char *step_units_pair(const cursor *c, const char *p,
                                   numeral_state *ns, phrase *ph) {
  size_t n, m;
  int d;
  if (ns->last != T_DIGIT || ns->prev != T_MULT || ns->last_mult != 10 ||
      !ns->pending_single || ph->arabic || ph->vague || ph->paired ||
      (d = qty_cn_digit_at(c, p, &n)) < 2 ||
      dec_double(ns->pending[0]) != d - 1 || qty_cn_multiplier_at(c, p + n, &m))
    return NULL;
  ns->pending[1] = dec_make((uint64_t)d, 0);
  ns->pending_single = 0;
  ph->paired = 1;
  ph->cn_chars++;
  return p + n;
}

/* The numeral's end: a digit after a big unit or a place is a tenth of it
   (3亿3, 1万5, 两百五 = 250, 三千五 = 3500), 一半 a half. */
static const char *numeral_finish(const cursor *c, const char *p,
                                  numeral_state *ns, phrase *ph) {
  size_t n;
  if (ns->last == T_DIGIT && ns->prev == T_NONE && !ph->arabic && !ph->vague &&
      !ph->paired && ns->pending[0].m == 1 && ns->pending[0].e == 0 &&
      (n = at(c, p, "半"))) {
    ns->pending[0] = ns->pending[1] = dec_make(5, -1);
    p += n;
    ph->big_unit = 1; /* a figure, not running text */
  }
  int tenth = ns->last == T_DIGIT && ns->has_pending && ns->pending_single;
  if (tenth && ns->prev == T_BIG)
    for (int k = 0; k < 2; k++)
      ns->pending[k] = dec_scale(ns->pending[k], ns->last_big_exp - 1);
  if (tenth && ns->prev == T_MULT && ns->last_mult >= 100 && !ph->arabic)
    for (int k = 0; k < 2; k++)
      ns->pending[k] = dec_scale(ns->pending[k], ns->last_mult == 100 ? 1 : 2);
  for (int k = 0; k < 2; k++)
    ns->total[k] = dec_add(dec_add(ns->total[k], ns->section[k]),
                           ns_pending(ns, k));
  ph->value = ns->total[0];
  ph->value_hi = ns->total[1];
  return p;
}

size_t qty_latin_scale_at(const cursor *c, const char *p, int *exp) {
  for (size_t i = 0; i < sizeof latin_scales / sizeof latin_scales[0]; i++) {
    const char *q = latin_scales[i].word ? skip_spaces(c, p) : p;
    if (latin_scales[i].word && q == p)
      continue;
    size_t n = word_at(c, q, latin_scales[i].text);
    if (n) {
      *exp = latin_scales[i].exp;
      return (size_t)(q + n - p);
    }
  }
  return 0;
}

void qty_scale_phrase(phrase *ph, int exp) {
  ph->value = dec_scale(ph->value, exp);
  ph->value_hi = dec_scale(ph->value_hi, exp);
  if (ph->many)
    ph->place = dec_scale(ph->place, exp);
  ph->big_unit = 1;
}

/* Latin scales follow a numeral: 1M, 2.5bn, 3 million, 一M. */
static const char *latin_scale(const cursor *c, const char *p,
                               const numeral_state *ns, phrase *ph) {
  size_t n;
  int exp;
  if ((ns->last != T_DIGIT && ns->last != T_MANY) ||
      !(n = qty_latin_scale_at(c, p, &exp)))
    return p;
  qty_scale_phrase(ph, exp);
  if (ns->scaling)
    ph->scale_exp += exp;
  return p + n;
}

const char *qty_number_phrase(const cursor *c, const char *p, phrase *ph) {
  static const char *(*const steps[])(const cursor *, const char *,
                                      numeral_state *, phrase *) = {
      step_tens_pair, step_units_pair, step_arabic, step_zero,
      step_units_vague, step_vague_or_pair, step_cn_digit, step_place,
      step_big_unit, step_point, step_many,
  };
  numeral_state ns;
  memset(&ns, 0, sizeof ns);
  memset(ph, 0, sizeof *ph);
  ns.scaling = 1;
  for (;;) {
    const char *q = NULL;
    for (size_t i = 0; !q && i < sizeof steps / sizeof steps[0]; i++)
      q = steps[i](c, p, &ns, ph);
    if (!q)
      break;
    p = q;
  }
  if (ns.last == T_NONE)
    return NULL;
  p = numeral_finish(c, p, &ns, ph);
  return latin_scale(c, p, &ns, ph);
}

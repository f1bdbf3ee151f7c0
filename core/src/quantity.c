/*
** quantity.c -- quantity expressions in running text (docs/quantities.md): the
** figures research notes write the way people speak, "两百多亿美元",
** "2.26亿到3亿3之间", "跌了超过15%", "1M token".  Pure: no SQL, no handle.
**
** Numbers are kept as exact decimals (mantissa x 10^exp) while they are
** built, and turned into a double once, by strtod, so a value is the
** correctly rounded double of the decimal the text means.
**
** Every read is bounds-checked against the end of the input; the input
** need not be NUL-terminated.
*/
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- exact decimals ------------------------------------------------------ */

typedef struct dec {
  uint64_t m;
  int e; /* value = m * 10^e */
} dec;

#define DEC_MAX 1000000000000000000ULL /* keep m below 10^18 */

static dec dec_make(uint64_t m, int e) {
  dec d = {m, e};
  return d;
}

static int dec_zero(dec d) { return d.m == 0; }

static dec dec_scale(dec d, int n) {
  d.e += n;
  return d;
}

/* a + b, exact while the digits fit in 18, else rounded toward zero in the
   smaller term (far beyond what a note writes). */
static dec dec_add(dec a, dec b) {
  if (dec_zero(a))
    return b;
  if (dec_zero(b))
    return a;
  if (a.e < b.e) {
    dec t = a;
    a = b;
    b = t;
  }
  while (a.e > b.e && a.m < DEC_MAX / 10) {
    a.m *= 10;
    a.e--;
  }
  while (a.e > b.e) {
    b.m /= 10;
    b.e++;
  }
  a.m += b.m;
  return a;
}

static dec dec_mul_small(dec a, unsigned k) {
  while (a.m > DEC_MAX / k) {
    a.m /= 10;
    a.e++;
  }
  a.m *= k;
  return a;
}

/* The place value of the last non-zero digit: 200 -> 100, 1.5 -> 0.1. */
static dec dec_place(dec a) {
  if (dec_zero(a))
    return dec_make(1, 0);
  while (a.m % 10 == 0) {
    a.m /= 10;
    a.e++;
  }
  return dec_make(1, a.e);
}

static double dec_double(dec a) {
  char buf[48];
  snprintf(buf, sizeof buf, "%llue%d", (unsigned long long)a.m, a.e);
  return strtod(buf, NULL);
}

/* ---- bytes and words ----------------------------------------------------- */

typedef struct cursor {
  const char *begin, *end;
} cursor;

/* Length of `lit` if the text at p starts with it, else 0. */
static size_t at(const cursor *c, const char *p, const char *lit) {
  return prefix_len(p, c->end, lit);
}

/* Length of `lit` if the text just before p ends with it, else 0. */
static size_t before(const cursor *c, const char *p, const char *lit) {
  size_t n = strlen(lit);
  return (size_t)(p - c->begin) >= n && memcmp(p - n, lit, n) == 0 ? n : 0;
}

static int ascii_letter(int ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int letter_at(const cursor *c, const char *p) {
  return p < c->end && ascii_letter((unsigned char)*p);
}

static int letter_before(const cursor *c, const char *p) {
  return p > c->begin && ascii_letter((unsigned char)p[-1]);
}

static const char *skip_spaces(const cursor *c, const char *p) {
  while (p < c->end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

static const char *spaces_back(const cursor *c, const char *p) {
  while (p > c->begin && (p[-1] == ' ' || p[-1] == '\t'))
    p--;
  return p;
}

/* An English word at p, standing alone (no letter right after it). */
static size_t word_at(const cursor *c, const char *p, const char *w) {
  size_t n = at(c, p, w);
  return n && !letter_at(c, p + n) ? n : 0;
}

/* An English word ending at p, standing alone (no letter before it). */
static size_t word_before(const cursor *c, const char *p, const char *w) {
  size_t n = before(c, p, w);
  return n && !letter_before(c, p - n) ? n : 0;
}

static size_t utf8_char_len(const cursor *c, const char *p) {
  unsigned char b = (unsigned char)*p;
  size_t n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
  return (size_t)(c->end - p) < n ? (size_t)(c->end - p) : n;
}

/* ---- numerals ------------------------------------------------------------ */

/* An ASCII or full-width digit at p: its value, and its length in *n. */
static int digit_at(const cursor *c, const char *p, size_t *n) {
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

static int cn_digit_at(const cursor *c, const char *p, size_t *n) {
  for (size_t i = 0; i < sizeof cn_digits / sizeof cn_digits[0]; i++)
    if ((*n = at(c, p, cn_digits[i])))
      return cn_digit_values[i];
  return -1;
}

static unsigned cn_multiplier_at(const cursor *c, const char *p, size_t *n) {
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
  int d = digit_at(c, p, &n);
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
               digit_at(c, p + (*p == '.' ? 1 : 3), &n) >= 0) {
      frac = 1;
      p += *p == '.' ? 1 : 3;
    } else if (!frac && at(c, p, ",") && digit_at(c, p + 1, &n) >= 0 &&
               n == 1 && digit_at(c, p + 2, &n) >= 0 && n == 1 &&
               digit_at(c, p + 3, &n) >= 0 && n == 1 &&
               digit_at(c, p + 4, &n) < 0) {
      p += 1; /* a thousands separator: exactly three digits follow */
    } else {
      break;
    }
    d = digit_at(c, p, &n);
  }
  *out = dec_make(m, e);
  return p;
}

/* What one numeral phrase -- "20.6万亿", "两百多", "3亿3", "1M" -- says.
   A vague digit (几十亿: 2 to 9 tens) or a pair (二三十亿: 2 or 3 tens)
   makes the phrase two numbers, its least and its greatest. */
typedef struct phrase {
  dec value;     /* the least */
  dec value_hi;  /* the greatest: value unless vague or paired */
  int vague;     /* 几, 数: qualifier vague */
  int paired;    /* 一两, 二三 ...: qualifier range */
  int big_unit;  /* 万, 亿, k, M, million ... */
  int scale_exp; /* the big units right after the first literal: 亿 -> 8 */
  int cn_chars;  /* Chinese numeral characters */
  int arabic;    /* has Arabic digits */
  int many;      /* 多 or 余: "more than", up to the next place value */
  dec place;     /* that place value */
} phrase;

enum token { T_NONE, T_DIGIT, T_MULT, T_BIG, T_MANY, T_ZERO };

static const struct {
  const char *text;
  int exp;
  int word; /* an English word, after a space */
} latin_scales[] = {
    {"thousand", 3, 1}, {"million", 6, 1}, {"billion", 9, 1},
    {"trillion", 12, 1}, {"bn", 9, 0}, {"tn", 12, 0},
    {"k", 3, 0},        {"K", 3, 0},       {"M", 6, 0},
    {"B", 9, 0},        {"T", 12, 0},
};

/* A place or a big unit follows: what makes 几, 数 or a pair a numeral. */
static int place_at(const cursor *c, const char *p) {
  size_t n;
  return cn_multiplier_at(c, p, &n) || at(c, p, "万") || at(c, p, "亿");
}

/* 几 or 数 standing for a digit before a place (几十, 数万): its length. */
static size_t vague_digit_at(const cursor *c, const char *p) {
  size_t n = at(c, p, "几");
  if (!n)
    n = at(c, p, "数");
  return n && place_at(c, p + n) ? n : 0;
}

/* Two consecutive digits before a place (一两百, 二三十亿): the first, its
   length in *n; -1 if none. */
static int pair_at(const cursor *c, const char *p, size_t *n) {
  size_t n1, n2;
  int d1 = cn_digit_at(c, p, &n1);
  if (d1 < 1)
    return -1;
  int d2 = cn_digit_at(c, p + n1, &n2);
  if (d2 != d1 + 1 || !place_at(c, p + n1 + n2))
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
  while ((d = cn_digit_at(c, p, &n)) >= 0) {
    if (m < DEC_MAX / 10) {
      m = m * 10 + (uint64_t)d;
      e--;
    }
    p += n;
  }
  if (place_at(c, p) && !at(c, p, "万") && !at(c, p, "亿"))
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
  size_t n;
  digit_at(c, p, &n);
  ns_literal(ns, lit, lit, q - p == (ptrdiff_t)n);
  ph->arabic = 1;
  return q;
}

/* 零 holds an empty place: 五百零三, 1万零5, 一千零十. */
static const char *step_zero(const cursor *c, const char *p, numeral_state *ns,
                             phrase *ph) {
  size_t n;
  if ((ns->last != T_MULT && ns->last != T_BIG) || cn_digit_at(c, p, &n) != 0)
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
  int vague = (n = vague_digit_at(c, p)) != 0;
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
  if (ns->last == T_DIGIT || (d = cn_digit_at(c, p, &n)) < 0)
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
  unsigned mult = cn_multiplier_at(c, p, &n);
  if (!mult || ns->last == T_MANY || at(c, p, "百分之") || at(c, p, "千瓦"))
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
      ph->vague || ph->paired || !n || cn_digit_at(c, p + n, &m) < 0 ||
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
  int d1 = cn_digit_at(c, p, &n1);
  if (d1 < 1)
    d1 = 1, n1 = 0;
  int d2;
  if (!at(c, p + n1, "十") ||
      (d2 = cn_digit_at(c, p + n1 + strlen("十"), &n2)) < 1)
    return -1;
  *len = n1 + strlen("十") + n2;
  if (place_at(c, p + *len) && !at(c, p + *len, "万") &&
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

/* Latin scales follow a numeral: 1M, 2.5bn, 3 million, 一M. */
static const char *latin_scale(const cursor *c, const char *p,
                               const numeral_state *ns, phrase *ph) {
  size_t n;
  if (ns->last != T_DIGIT && ns->last != T_MANY)
    return p;
  for (size_t i = 0; i < sizeof latin_scales / sizeof latin_scales[0]; i++) {
    const char *q = latin_scales[i].word ? skip_spaces(c, p) : p;
    if (latin_scales[i].word && q == p)
      continue;
    if ((n = word_at(c, q, latin_scales[i].text))) {
      ph->value = dec_scale(ph->value, latin_scales[i].exp);
      ph->value_hi = dec_scale(ph->value_hi, latin_scales[i].exp);
      if (ph->many)
        ph->place = dec_scale(ph->place, latin_scales[i].exp);
      ph->big_unit = 1;
      if (ns->scaling)
        ph->scale_exp += latin_scales[i].exp;
      return q + n;
    }
  }
  return p;
}

static const char *number_phrase(const cursor *c, const char *p, phrase *ph) {
  static const char *(*const steps[])(const cursor *, const char *,
                                      numeral_state *, phrase *) = {
      step_tens_pair, step_arabic,   step_zero,  step_units_vague,
      step_vague_or_pair, step_cn_digit, step_place, step_big_unit,
      step_point,     step_many,
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

/* ---- the words around a number ------------------------------------------- */

typedef struct word_list {
  const char *text;
  int english;
} word_list;

static const char *const qualifier_names[] = {"exact", "approx", "over",
                                              "under", "nearly", "range",
                                              "vague"};
enum qualifier { Q_EXACT, Q_APPROX, Q_OVER, Q_UNDER, Q_NEARLY, Q_RANGE,
                 Q_VAGUE };

/* Longest first, so 大约 wins over 约. */
static const struct {
  const char *text;
  int english;
  enum qualifier q;
} prefixes[] = {
    {"approximately", 1, Q_APPROX}, {"more than", 1, Q_OVER},
    {"less than", 1, Q_UNDER},      {"close to", 1, Q_NEARLY},
    {"roughly", 1, Q_APPROX},       {"around", 1, Q_APPROX},
    {"nearly", 1, Q_NEARLY},        {"almost", 1, Q_NEARLY},
    {"about", 1, Q_APPROX},         {"above", 1, Q_OVER},
    {"below", 1, Q_UNDER},          {"under", 1, Q_UNDER},
    {"over", 1, Q_OVER},            {"差不多", 0, Q_APPROX},
    {"大约", 0, Q_APPROX},          {"大致", 0, Q_APPROX},
    {"约合", 0, Q_APPROX},
    {"大概", 0, Q_APPROX},          {"超过", 0, Q_OVER},
    {"多于", 0, Q_OVER},            {"不止", 0, Q_OVER},
    {"不到", 0, Q_UNDER},           {"不足", 0, Q_UNDER},
    {"少于", 0, Q_UNDER},           {"低于", 0, Q_UNDER},
    {"将近", 0, Q_NEARLY},          {"接近", 0, Q_NEARLY},
    {"逼近", 0, Q_NEARLY},          {"几乎", 0, Q_NEARLY},
    {"约", 0, Q_APPROX},            {"逾", 0, Q_OVER},
    {"近", 0, Q_NEARLY},            {"≈", 0, Q_APPROX},
    {"~", 0, Q_APPROX},             {"～", 0, Q_APPROX},
};

/* Measure words may stand between a number and a trailing qualifier:
   80台左右, 200家以上. */
static const char *const measure_words[] = {
    "个", "家", "位", "名", "人", "户", "台", "辆", "部", "款", "颗", "块",
    "张", "套", "笔", "次", "只", "件", "座", "艘", "架", "条", "项"};

static const struct {
  const char *text;
  enum qualifier q;
} suffixes[] = {
    {"左右", Q_APPROX}, {"上下", Q_APPROX}, {"以上", Q_OVER},
    {"以下", Q_UNDER},  {"以内", Q_UNDER},
};

static const struct {
  const char *text;
  int english;
  int sign;
} directions[] = {
    {"fell", 1, -1}, {"down", 1, -1}, {"rose", 1, 1},  {"up", 1, 1},
    {"下跌", 0, -1}, {"下降", 0, -1}, {"下滑", 0, -1}, {"减少", 0, -1},
    {"回落", 0, -1}, {"上涨", 0, 1},  {"增长", 0, 1},  {"提升", 0, 1},
    {"上升", 0, 1},  {"增加", 0, 1},  {"跌", 0, -1},   {"涨", 0, 1},
};

/* Units after the number, longest first. */
static const struct {
  const char *text;
  int english;
  const char *unit;
} units[] = {
    {"元人民币", 0, "CNY"}, {"人民币", 0, "CNY"}, {"美元", 0, "USD"},
    {"美金", 0, "USD"},     {"港元", 0, "HKD"},   {"港币", 0, "HKD"},
    {"日元", 0, "JPY"},     {"日圆", 0, "JPY"},   {"欧元", 0, "EUR"},
    {"英镑", 0, "GBP"},     {"韩元", 0, "KRW"},   {"新台币", 0, "TWD"},
    {"元", 0, "CNY"},       {"参数", 0, "params"}, {"tokens", 1, "tokens"},
    {"token", 1, "tokens"}, {"Tokens", 1, "tokens"}, {"Token", 1, "tokens"},
    {"RMB", 1, "CNY"},      {"CNY", 1, "CNY"},    {"USD", 1, "USD"},
    {"HKD", 1, "HKD"},      {"JPY", 1, "JPY"},    {"EUR", 1, "EUR"},
    {"GBP", 1, "GBP"},      {"KRW", 1, "KRW"},    {"TWD", 1, "TWD"},
    {"dollars", 1, "USD"},  {"dollar", 1, "USD"}, {"yuan", 1, "CNY"},
    {"yen", 1, "JPY"},      {"euros", 1, "EUR"},  {"euro", 1, "EUR"},
};

/* Currency written before the number. */
static const struct {
  const char *text;
  const char *unit;
} currency_prefixes[] = {
    {"US$", "USD"}, {"NT$", "TWD"}, {"$", "USD"},   {"¥", "CNY"},
    {"￥", "CNY"},  {"€", "EUR"},   {"£", "GBP"},   {"RMB", "CNY"},
    {"CNY", "CNY"}, {"USD", "USD"}, {"HKD", "HKD"}, {"JPY", "JPY"},
    {"EUR", "EUR"}, {"GBP", "GBP"}, {"KRW", "KRW"}, {"TWD", "TWD"},
};

/* Suffixes that turn the number into a share or a multiple. */
enum kind { K_PLAIN, K_PERCENT, K_PP, K_TIMES, K_TENTHS };

typedef struct side {
  phrase ph;
  enum kind kind;
  const char *unit;
} side;

static const char *kind_suffix(const cursor *c, const char *p, side *s) {
  size_t n;
  if ((n = at(c, p, "%")) || (n = at(c, p, "％"))) {
    s->kind = K_PERCENT;
  } else if ((n = at(c, p, "个百分点"))) {
    s->kind = K_PP;
  } else if ((n = word_at(c, p, "pp"))) {
    s->kind = K_PP;
  } else if ((n = at(c, p, "倍")) || (n = word_at(c, p, "x"))) {
    s->kind = K_TIMES;
  } else if ((n = at(c, p, "成")) && !at(c, p, "成为") && !at(c, p, "成本")) {
    s->kind = K_TENTHS; /* 两成: 20% */
  }
  return p + n;
}

static const char *unit_suffix(const cursor *c, const char *p, side *s) {
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    const char *q = units[i].english ? skip_spaces(c, p) : p;
    if (q - p > 1)
      continue;
    size_t n = units[i].english ? word_at(c, q, units[i].text)
                                : at(c, q, units[i].text);
    if (n) {
      s->unit = units[i].unit;
      q += n;
      /* 元 then 人民币: one unit */
      if (strcmp(units[i].unit, "CNY") == 0 && (n = at(c, q, "人民币")))
        q += n;
      return q;
    }
  }
  return p;
}

/* Letters right after a number that are not a unit make it a name: V4 is
   preceded by one, 950PR followed by some. */
static int followed_by_name(const cursor *c, const char *p) {
  if (!letter_at(c, p))
    return 0;
  side s = {0};
  if (kind_suffix(c, p, &s) != p || unit_suffix(c, p, &s) != p)
    return 0;
  return 1;
}

/* Skips a name's alphanumeric run. */
static const char *skip_name(const cursor *c, const char *p) {
  size_t n;
  for (;;) {
    if (p < c->end && (ascii_letter((unsigned char)*p) || *p == '.' ||
                       *p == '-' || *p == '_'))
      p++;
    else if (digit_at(c, p, &n) >= 0)
      p += n;
    else
      break;
  }
  return p;
}

static int is_number_start(const cursor *c, const char *p) {
  size_t n;
  return digit_at(c, p, &n) >= 0 || cn_digit_at(c, p, &n) >= 0 ||
         cn_multiplier_at(c, p, &n) || vague_digit_at(c, p);
}

/* 2026-04-24, 2026-04 and 13:23 are dates and times: their length, or 0. */
static size_t date_or_time_at(const cursor *c, const char *p) {
  const char *q = p;
  size_t n;
  int digits = 0;
  while (q < c->end && digit_at(c, q, &n) >= 0 && n == 1)
    q++, digits++;
  if (digits >= 1 && digits <= 2 && q < c->end && *q == ':') {
    const char *r = q + 1;
    int more = 0;
    while (r < c->end && *r >= '0' && *r <= '9')
      r++, more++;
    if (more == 2) {
      if (r + 2 < c->end && r[0] == ':' && r[1] >= '0' && r[1] <= '9')
        r += 3;
      return (size_t)(r - p);
    }
  }
  if (digits == 4 && q + 2 < c->end && *q == '-' && q[1] >= '0' &&
      q[1] <= '9') {
    const char *r = q + 1;
    int month = 0, more = 0;
    while (r < c->end && *r >= '0' && *r <= '9' && more < 3)
      month = month * 10 + (*r++ - '0'), more++;
    if (more >= 1 && more <= 2 && month >= 1 && month <= 12) {
      if (r + 1 < c->end && *r == '-' && r[1] >= '0' && r[1] <= '9') {
        r++;
        while (r < c->end && *r >= '0' && *r <= '9')
          r++;
      }
      return (size_t)(r - p);
    }
  }
  return 0;
}

static int cjk_date_after(const cursor *c, const char *p) {
  return at(c, p, "年") || at(c, p, "月") || at(c, p, "日") || at(c, p, "号");
}

/* Reads one side of a quantity: numeral, percent-like suffix, unit. */
static const char *read_side(const cursor *c, const char *p, side *s) {
  memset(s, 0, sizeof *s);
  int percent_prefix = 0;
  size_t n;
  if ((n = at(c, p, "百分之"))) {
    percent_prefix = 1;
    p += n;
  }
  const char *q = number_phrase(c, p, &s->ph);
  if (!q)
    return NULL;
  if (percent_prefix)
    s->kind = K_PERCENT;
  else
    q = kind_suffix(c, q, s);
  return unit_suffix(c, q, s);
}

/* The power of ten a kind scales by: 15% is 0.15, 两成 is 0.2. */
static int kind_exp(enum kind k) {
  return k == K_PERCENT || k == K_PP ? -2 : k == K_TENTHS ? -1 : 0;
}

static dec side_value(const side *s) {
  return dec_scale(s->ph.value, kind_exp(s->kind));
}

static dec side_value_hi(const side *s) {
  return dec_scale(s->ph.value_hi, kind_exp(s->kind));
}

static const char *kind_unit(enum kind k) {
  return k == K_PERCENT || k == K_TENTHS ? "%"
         : k == K_PP                     ? "pp"
         : k == K_TIMES                  ? "x"
                                         : NULL;
}

/* Parses the quantity whose numeral starts at p.  Returns 1 with *q filled,
   or 0; *next is where scanning goes on. */
static int quantity_at(const cursor *c, const char *p, ck_quantity *q,
                       const char **next) {
  const char *start = p;
  size_t n;
  side a, b;
  const char *end = read_side(c, p, &a);
  if (!end) {
    *next = p + utf8_char_len(c, p);
    return 0;
  }
  const char *numeral_end = end;
  if (a.kind == K_PLAIN && !a.unit && cjk_date_after(c, end)) {
    *next = end; /* 2026年, 3月, 24号: a date */
    return 0;
  }
  if (followed_by_name(c, end)) {
    *next = skip_name(c, end);
    return 0;
  }

  /* A range: A到B, A至B, A-B, A~B, A–B, A to B, between A and B. */
  int range = 0;
  const char *pre = spaces_back(c, start);
  int between = word_before(c, pre, "between") != 0;
  {
    const char *r = skip_spaces(c, end);
    static const char *const seps[] = {"到", "至", "-", "~", "～", "–", "—"};
    size_t sep = 0;
    if (between)
      sep = word_at(c, r, "and");
    else if ((sep = word_at(c, r, "to")))
      ;
    else
      for (size_t i = 0; !sep && i < sizeof seps / sizeof seps[0]; i++)
        sep = at(c, r, seps[i]);
    if (sep) {
      const char *s2 = skip_spaces(c, r + sep);
      if (is_number_start(c, s2) || at(c, s2, "百分之")) {
        const char *e2 = read_side(c, s2, &b);
        if (e2 && !followed_by_name(c, e2) &&
            !(b.kind == K_PLAIN && !b.unit && cjk_date_after(c, e2))) {
          range = 1;
          end = e2;
          if ((n = at(c, end, "之间")))
            end += n;
        }
      }
    }
  }
  if (!range)
    between = 0;

  /* Qualifier words after the number, perhaps after a measure word. */
  enum qualifier qual = Q_EXACT;
  int has_qual = 0, odd = 0; /* 出头: a little over, up to the next place */
  const char *tail = end;
  for (size_t i = 0; !range && i < sizeof measure_words / sizeof measure_words[0];
       i++)
    if ((n = at(c, end, measure_words[i]))) {
      tail = end + n;
      break;
    }
  for (int pass = 0; !range && !has_qual && pass < 2; pass++) {
    const char *t = pass == 0 ? end : tail;
    if (pass == 1 && t == end)
      break;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
      if ((n = at(c, t, suffixes[i].text)) &&
          !(suffixes[i].q == Q_APPROX && at(c, t + n, "文"))) {
        qual = suffixes[i].q;
        has_qual = 1;
        end = t + n;
        break;
      }
    if (!has_qual && (n = at(c, t, "出头"))) {
      qual = Q_OVER;
      has_qual = odd = 1;
      end = t + n;
    }
  }
  if (!range && !has_qual && (n = at(c, end, "+")) &&
      !is_number_start(c, end + 1)) {
    qual = Q_OVER;
    has_qual = 1;
    end += n;
  }
  if (!a.unit && !range)
    end = unit_suffix(c, end, &a); /* 320左右元 is rare, 3亿以上美元 is not */

  /* Words before it: currency, sign, qualifier, direction (了 and spaces
     may stand between). */
  const char *left = between ? pre - strlen("between") : start;
  const char *currency = NULL;
  for (size_t i = 0; i < sizeof currency_prefixes / sizeof currency_prefixes[0];
       i++) {
    /* a symbol stands right before the number, a code may have a space */
    const char *l = ascii_letter((unsigned char)currency_prefixes[i].text[0]) &&
                            !strchr(currency_prefixes[i].text, '$')
                        ? spaces_back(c, left)
                        : left;
    size_t len = before(c, l, currency_prefixes[i].text);
    if (len && !letter_before(c, l - len)) {
      currency = currency_prefixes[i].unit;
      left = l - len;
      break;
    }
  }
  int sign = 1;
  if (!currency && left > c->begin && left[-1] == '-' &&
      (left - 1 == c->begin ||
       (!ascii_letter((unsigned char)left[-2]) &&
        !(left[-2] >= '0' && left[-2] <= '9')))) {
    sign = -1;
    left--;
  }
  const char *l = spaces_back(c, left);
  if ((n = before(c, l, "了")))
    l = spaces_back(c, l - n);
  for (size_t i = 0; !range && i < sizeof prefixes / sizeof prefixes[0]; i++) {
    size_t len = prefixes[i].english ? word_before(c, l, prefixes[i].text)
                                     : before(c, l, prefixes[i].text);
    /* 最近 and 附近 are "recent" and "nearby", not "nearly". */
    if (len && strcmp(prefixes[i].text, "近") == 0 &&
        (before(c, l - len, "最") || before(c, l - len, "附")))
      len = 0;
    if (len) {
      qual = prefixes[i].q;
      has_qual = 1;
      left = l - len;
      l = spaces_back(c, left);
      if ((n = before(c, l, "了")))
        l = spaces_back(c, l - n);
      break;
    }
  }
  int direction = 0;
  for (size_t i = 0; i < sizeof directions / sizeof directions[0]; i++) {
    size_t len = directions[i].english ? word_before(c, l, directions[i].text)
                                       : before(c, l, directions[i].text);
    if (len) {
      direction = directions[i].sign;
      left = l - len;
      break;
    }
  }

  /* A lone Chinese numeral character (一个, 两个系列) is running text. */
  if (!range && a.ph.cn_chars == 1 && !a.ph.arabic && !a.ph.big_unit &&
      !a.ph.many && a.kind == K_PLAIN && !a.unit && !has_qual && !direction &&
      !currency) {
    *next = numeral_end;
    return 0;
  }

  /* The value and its bounds. */
  dec va = side_value(&a), va_hi = side_value_hi(&a);
  const char *unit = kind_unit(a.kind);
  if (!unit)
    unit = a.unit ? a.unit : currency;
  double value, lo, hi;
  if (range) {
    /* A leading minus belongs to A: -5到5. */
    /* A range shares a trailing scale, percent and unit: 2到3亿美元. */
    if (!a.ph.big_unit && b.ph.big_unit)
      va = dec_scale(va, b.ph.scale_exp);
    if (a.kind == K_PLAIN && b.kind != K_PLAIN)
      va = dec_scale(va, kind_exp(b.kind));
    /* A vague bound gives its own least or greatest: 几百到一千. */
    dec vb = side_value_hi(&b);
    if (b.kind == K_PLAIN && a.kind != K_PLAIN) /* 15%到20: both percent */
      vb = dec_scale(vb, kind_exp(a.kind));
    if (!unit)
      unit = kind_unit(b.kind);
    if (!unit)
      unit = b.unit ? b.unit : currency;
    lo = sign * dec_double(va);
    hi = dec_double(vb);
    if (lo > hi) { /* 3到2: the bounds are what they are, in order */
      double t = lo;
      lo = hi;
      hi = t;
    }
    value = sign > 0 ? dec_double(dec_scale(dec_mul_small(dec_add(va, vb), 5),
                                            -1))
                     : lo + (hi - lo) / 2;
    qual = Q_RANGE;
  } else if (a.ph.vague || a.ph.paired) {
    /* 几十亿: 2e9 to 9e9; 二三十亿: 2e9 to 3e9; the value between them */
    lo = sign * dec_double(va);
    hi = sign * dec_double(va_hi);
    if (lo > hi) {
      double t = lo;
      lo = hi;
      hi = t;
    }
    value = sign * dec_double(dec_scale(dec_mul_small(dec_add(va, va_hi), 5),
                                        -1));
    qual = a.ph.vague ? Q_VAGUE : Q_RANGE;
  } else {
    /* The minus sign is the number's own: 低于-5 is below -5. */
    value = lo = hi = sign * dec_double(va);
    if ((!has_qual && a.ph.many) || odd) {
      qual = Q_OVER;
      dec place = odd ? dec_place(va)
                      : dec_scale(a.ph.place, kind_exp(a.kind));
      if (sign > 0)
        hi = dec_double(dec_add(va, place));
      else
        lo = -dec_double(dec_add(va, place));
    } else if (qual == Q_OVER) {
      hi = INFINITY;
    } else if (qual == Q_UNDER || qual == Q_NEARLY) {
      lo = value < 0 ? -INFINITY : 0;
    }
  }
  if (direction < 0) {
    double t = lo;
    value = -value;
    lo = -hi;
    hi = -t + 0.0; /* -0 reads as 0 */
  }
  q->start = (size_t)(left - c->begin);
  q->end = (size_t)(end - c->begin);
  q->value = value;
  q->lo = lo;
  q->hi = hi;
  q->qualifier = qualifier_names[qual];
  q->unit = unit ? unit : "";
  *next = end;
  return 1;
}

/* "several million", "tens of millions", "hundreds of thousands of
   dollars": a digit from 2 to 9 of the word's place, scaled.  Returns 1
   with *q filled. */
static int english_vague_at(const cursor *c, const char *p, ck_quantity *q,
                            const char **next) {
  static const struct {
    const char *text;
    int exp;
  } words[] = {{"several", 0}, {"Several", 0}, {"tens of", 1},
               {"Tens of", 1}, {"hundreds of", 2}, {"Hundreds of", 2},
               {"thousands of", 3}, {"Thousands of", 3}};
  static const struct {
    const char *text;
    int exp;
  } scales[] = {{"millions", 6},  {"million", 6},   {"billions", 9},
                {"billion", 9},   {"trillions", 12}, {"trillion", 12},
                {"thousands", 3}, {"thousand", 3}};
  if (letter_before(c, p))
    return 0;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t n = word_at(c, p, words[i].text);
    if (!n)
      continue;
    const char *r = skip_spaces(c, p + n);
    if (r == p + n)
      return 0;
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
      size_t m = word_at(c, r, scales[k].text);
      if (!m)
        continue;
      int exp = words[i].exp + scales[k].exp;
      const char *end = r + m;
      side s = {0};
      const char *u = unit_suffix(c, end, &s);
      if (u == end && word_at(c, skip_spaces(c, end), "of")) {
        const char *after_of = skip_spaces(c, skip_spaces(c, end) + 2);
        u = unit_suffix(c, after_of, &s);
        if (u == after_of)
          u = end;
      }
      q->start = (size_t)(p - c->begin);
      q->end = (size_t)(u - c->begin);
      q->lo = dec_double(dec_make(2, exp));
      q->hi = dec_double(dec_make(9, exp));
      q->value = dec_double(dec_make(55, exp - 1));
      q->qualifier = qualifier_names[Q_VAGUE];
      q->unit = s.unit ? s.unit : "";
      *next = u;
      return 1;
    }
    return 0;
  }
  return 0;
}

/* ---- traditional and financial characters --------------------------------- */

/* Hong Kong and Taiwan notes write traditional characters, and contracts
   the financial capitals; each is read as the simplified character every
   word list here uses.  Every pair is one CJK character of three UTF-8
   bytes on each side, so the text keeps its length and a quantity's
   offsets are those of the text as written. */
static const char *const simplified[][2] = {
    {"萬", "万"}, {"億", "亿"}, {"兩", "两"}, {"過", "过"}, {"約", "约"},
    {"將", "将"}, {"漲", "涨"}, {"長", "长"}, {"減", "减"}, {"幣", "币"},
    {"內", "内"}, {"幾", "几"}, {"數", "数"}, {"餘", "余"}, {"於", "于"},
    {"點", "点"}, {"間", "间"}, {"頭", "头"}, {"個", "个"}, {"輛", "辆"},
    {"臺", "台"}, {"顆", "颗"}, {"塊", "块"}, {"張", "张"}, {"筆", "笔"},
    {"隻", "只"}, {"條", "条"}, {"項", "项"}, {"戶", "户"}, {"號", "号"},
    {"圓", "圆"}, {"韓", "韩"}, {"歐", "欧"}, {"鎊", "镑"}, {"壹", "一"},
    {"貳", "二"}, {"贰", "二"}, {"叁", "三"}, {"肆", "四"}, {"伍", "五"},
    {"柒", "七"}, {"捌", "八"}, {"玖", "九"}, {"拾", "十"}, {"佰", "百"},
    {"仟", "千"},
};

/* Capitals that are also ordinary words (陆 land, 参 take part): numerals
   only next to another numeral character. */
static const char *const capital_or_word[][3] = {
    {"陆", "六", "陆"}, {"陸", "六", "陆"}, {"參", "三", "参"},
};

static int numeral_char(const char *p, const char *end) {
  static const char *const chars[] = {"零", "〇", "一", "二", "两", "三", "四",
                                      "五", "六", "七", "八", "九", "十", "百",
                                      "千", "万", "亿"};
  if (p >= end)
    return 0;
  if (*p >= '0' && *p <= '9')
    return 1;
  for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
    if (prefix_len(p, end, chars[i]))
      return 1;
  return 0;
}

/* The characters of three bytes in out[0..len), each handed to `f`. */
static void each_cjk(char *out, size_t len,
                     void (*f)(char *p, const char *begin, const char *end)) {
  const char *end = out + len;
  for (char *p = out; p < end;) {
    unsigned char b = (unsigned char)*p;
    size_t n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    if ((size_t)(end - p) < n)
      break;
    if (n == 3)
      f(p, out, end);
    p += n;
  }
}

static void simplify_char(char *p, const char *begin, const char *end) {
  (void)begin, (void)end;
  for (size_t i = 0; i < sizeof simplified / sizeof simplified[0]; i++)
    if (memcmp(p, simplified[i][0], 3) == 0) {
      memcpy(p, simplified[i][1], 3);
      return;
    }
}

static void capital_char(char *p, const char *begin, const char *end) {
  for (size_t i = 0; i < sizeof capital_or_word / sizeof capital_or_word[0];
       i++)
    if (memcmp(p, capital_or_word[i][0], 3) == 0) {
      /* a numeral before another (陆佰), or ending one (壹佰陆) where no
         character follows to make it a word (1万亿参数) */
      int cjk_next = p + 3 < end && (unsigned char)p[3] >= 0xe0;
      int numeral =
          numeral_char(p + 3, end) ||
          (!cjk_next && ((p - begin >= 3 && numeral_char(p - 3, end)) ||
                         (p > begin && p[-1] >= '0' && p[-1] <= '9')));
      memcpy(p, capital_or_word[i][numeral ? 1 : 2], 3);
      return;
    }
}

/* The text with traditional and capital characters simplified, in `out`
   (len bytes): first every unambiguous character, then the capitals that
   are also words, judged by their simplified neighbours. */
static void simplify(const char *text, size_t len, char *out) {
  memcpy(out, text, len);
  each_cjk(out, len, simplify_char);
  each_cjk(out, len, capital_char);
}

/* ---- the scan ------------------------------------------------------------- */

static int scan(const char *text, size_t len, size_t limit, ck_quantity **out,
                size_t *count);

int quantity_scan(const char *text, size_t len, size_t limit,
                  ck_quantity **out, size_t *count) {
  char *plain = malloc(len ? len : 1);
  if (!plain) {
    *out = NULL;
    *count = 0;
    return -1;
  }
  simplify(text, len, plain);
  int rc = scan(plain, len, limit, out, count);
  free(plain);
  return rc;
}

/* Appends q; -1, with the list freed, when memory runs out. */
static int push(ck_quantity **out, size_t *count, size_t *cap,
                const ck_quantity *q) {
  if (*count == *cap) {
    size_t grown_cap = *cap ? *cap * 2 : 8;
    ck_quantity *grown = realloc(*out, grown_cap * sizeof **out);
    if (!grown) {
      free(*out);
      *out = NULL;
      *count = 0;
      return -1;
    }
    *out = grown;
    *cap = grown_cap;
  }
  (*out)[(*count)++] = *q;
  return 0;
}

static int scan(const char *text, size_t len, size_t limit, ck_quantity **out,
                size_t *count) {
  *out = NULL;
  *count = 0;
  cursor c = {text, text + len};
  size_t cap = 0;
  const char *p = text;
  while (p < c.end) {
    if (limit && *count == limit)
      return 1;
    size_t n;
    ck_quantity q;
    const char *next;
    if (letter_at(&c, p) && english_vague_at(&c, p, &q, &next)) {
      if (push(out, count, &cap, &q))
        return -1;
      p = next;
      continue;
    }
    if (!is_number_start(&c, p) && !at(&c, p, "百分之")) {
      p += utf8_char_len(&c, p);
      continue;
    }
    /* Ordinals (第二, 第1) and names (V4, H200, GPT-4) are not figures. */
    if (before(&c, p, "第")) {
      phrase ph;
      const char *e = number_phrase(&c, p, &ph);
      p = e ? e : p + utf8_char_len(&c, p);
      continue;
    }
    if (letter_before(&c, p) ||
        (p - c.begin >= 2 && p[-1] == '-' && ascii_letter((unsigned char)p[-2]))) {
      const char *e = skip_name(&c, p);
      if (e == p) { /* V四: a Chinese numeral in a name */
        phrase ph;
        e = number_phrase(&c, p, &ph);
        if (!e || e == p)
          e = p + utf8_char_len(&c, p);
      }
      p = e;
      continue;
    }
    if ((n = date_or_time_at(&c, p))) {
      p += n;
      continue;
    }
    /* Words before a number (currency, sign, qualifier, direction) may not
       reach back into the quantity before it: 4CNY 13 is two, and CNY is
       the first one's unit. */
    const char *after = *count ? text + (*out)[*count - 1].end : text;
    cursor back = {after, c.end};
    if (quantity_at(&back, p, &q, &next)) {
      q.start += (size_t)(after - text);
      q.end += (size_t)(after - text);
      if (push(out, count, &cap, &q))
        return -1;
    }
    p = next > p ? next : p + utf8_char_len(&c, p);
  }
  return 0;
}

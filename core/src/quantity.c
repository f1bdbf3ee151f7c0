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
#include "quantity.h"

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
  if ((long)a.e - b.e > 20) /* b is all below a's last digit; and 3亿3亿3亿...
                               must not cost its length at every 亿 */
    return a;
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
  const char *origin; /* the whole text's start: begin may be later */
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
  size_t n = 0;
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
    {"高于", 0, Q_OVER},
    {"突破", 0, Q_OVER},
    {"超", 0, Q_OVER}, /* after 超过: 超10万台 */
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
    {"decreased", 1, -1}, {"declined", 1, -1}, {"lower", 1, -1},
    {"increased", 1, 1},  {"grew", 1, 1},      {"higher", 1, 1},
    {"dropped", 1, -1},   {"Down", 1, -1},     {"Up", 1, 1},
    {"decreasing", 1, -1}, {"declining", 1, -1}, {"falling", 1, -1},
    {"dropping", 1, -1},  {"increasing", 1, 1},  {"rising", 1, 1},
    {"growing", 1, 1},
    {"降低", 0, -1},      {"调低", 0, -1},     {"提高", 0, 1},
    {"调高", 0, 1},
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
    {"US dollars", 1, "USD"}, {"US dollar", 1, "USD"},
    {"U.S. dollars", 1, "USD"}, {"HK dollars", 1, "HKD"},
    {"Hong Kong dollars", 1, "HKD"}, {"renminbi", 1, "CNY"},
    {"Yen", 1, "JPY"},      {"Euros", 1, "EUR"},  {"Euro", 1, "EUR"},
    {"Yuan", 1, "CNY"},     {"Dollars", 1, "USD"},
    /* energy: the unit as written */
    {"吉瓦时", 0, "GWh"},   {"太瓦时", 0, "TWh"}, {"兆瓦时", 0, "MWh"},
    {"千瓦时", 0, "kWh"},   {"GWh", 1, "GWh"},    {"TWh", 1, "TWh"},
    {"MWh", 1, "MWh"},      {"kWh", 1, "kWh"},    {"KWh", 1, "kWh"},
};

/* Currency written before the number. */
static const struct {
  const char *text;
  const char *unit;
} currency_prefixes[] = {
    {"US$", "USD"}, {"NT$", "TWD"}, {"HK$", "HKD"}, {"$", "USD"},   {"¥", "CNY"},
    {"￥", "CNY"},  {"€", "EUR"},   {"£", "GBP"},   {"RMB", "CNY"},
    {"CNY", "CNY"}, {"USD", "USD"}, {"HKD", "HKD"}, {"JPY", "JPY"},
    {"EUR", "EUR"}, {"GBP", "GBP"}, {"KRW", "KRW"}, {"TWD", "TWD"},
};

/* Suffixes that turn the number into a share or a multiple. */
enum kind { K_PLAIN, K_PERCENT, K_PP, K_BP, K_TIMES, K_TENTHS, K_CENTS };

typedef struct side {
  phrase ph;
  enum kind kind;
  const char *unit;
  const char *numeral_end; /* before the kind and unit */
} side;

static int percent_context(const cursor *c, const char *p);

/* English words for a kind, after at most one space, longest first. */
static const struct {
  const char *text;
  enum kind kind;
} kind_words[] = {
    {"percentage points", K_PP}, {"percentage point", K_PP},
    {"basis points", K_BP},      {"basis point", K_BP},
    {"percent", K_PERCENT},      {"per cent", K_PERCENT},
    {"pp", K_PP},                {"ppt", K_PP},
    {"ppts", K_PP},              {"bps", K_BP},
    {"bp", K_BP},                {"cents", K_CENTS},
    {"cent", K_CENTS},
};

static const char *kind_suffix(const cursor *c, const char *p, side *s) {
  size_t n;
  const char *q = skip_spaces(c, p);
  if (q - p <= 1)
    for (size_t i = 0; i < sizeof kind_words / sizeof kind_words[0]; i++)
      if ((n = word_at(c, q, kind_words[i].text))) {
        s->kind = kind_words[i].kind;
        return q + n;
      }
  /* points are percentage points only where percent is spoken of */
  if (q - p <= 1 && ((n = word_at(c, q, "points")) || (n = word_at(c, q, "point"))) &&
      percent_context(c, p)) {
    s->kind = K_PP;
    return q + n;
  }
  if ((n = at(c, p, "%")) || (n = at(c, p, "％"))) {
    s->kind = K_PERCENT;
  } else if ((n = at(c, p, "个百分点")) || (n = at(c, p, "百分点"))) {
    s->kind = K_PP;
  } else if ((n = at(c, p, "个基点")) || (n = at(c, p, "基点"))) {
    s->kind = K_BP;
  } else if ((n = at(c, p, "倍")) ||
             ((n = word_at(c, p, "x")) && !(p + n < c->end && p[n] >= '0' &&
                                            p[n] <= '9'))) { /* 3x3: a size */
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
  s->numeral_end = q;
  if (percent_prefix)
    s->kind = K_PERCENT;
  else
    q = kind_suffix(c, q, s);
  return unit_suffix(c, q, s);
}

/* The power of ten a kind scales by: 15% is 0.15, 两成 is 0.2. */
static int kind_exp(enum kind k) {
  return k == K_PERCENT || k == K_PP || k == K_CENTS ? -2
         : k == K_BP                                 ? -4
         : k == K_TENTHS             ? -1
                                     : 0;
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
         : k == K_BP                     ? "bp"
         : k == K_TIMES                  ? "x"
         : k == K_CENTS                  ? "USD" /* 5 cents: $0.05 */
                                         : NULL;
}

/* ---- signs, codes, years and dates ---------------------------------------- */

/* A minus of the number's own right before p (负, 负的, minus, −, -): the
   length it takes, spaces included, or 0.  正负 is "plus or minus". */
static size_t sign_before(const cursor *c, const char *p) {
  size_t n;
  if ((n = before(c, p, "负的")) || (n = before(c, p, "负")))
    return before(c, p - n, "正") ? 0 : n;
  if ((n = before(c, p, "−")))
    return n;
  const char *l = spaces_back(c, p);
  static const char *const words[] = {"minus", "Minus", "negative",
                                      "Negative"};
  for (size_t i = 0; l < p && i < sizeof words / sizeof words[0]; i++)
    if ((n = word_before(c, l, words[i])))
      return (size_t)(p - l) + n;
  /* a dash after a letter or a digit joins words or is a range */
  if (p > c->begin && p[-1] == '-' &&
      (p - 1 == c->begin || (!ascii_letter((unsigned char)p[-2]) &&
                             !(p[-2] >= '0' && p[-2] <= '9'))))
    return 1;
  return 0;
}

/* The same words after a range's separator: 负10至负12亿元.  A dash counts
   only where the separator was not one. */
static size_t sign_at(const cursor *c, const char *p, int dash) {
  size_t n;
  if ((n = at(c, p, "负的")) || (n = at(c, p, "负")) || (n = at(c, p, "−")))
    return n;
  if ((n = word_at(c, p, "minus")) || (n = word_at(c, p, "negative")))
    return skip_spaces(c, p + n) - p;
  return dash && at(c, p, "-") ? 1 : 0;
}

/* A currency symbol at p, as a range's second bound may repeat it
   ($0.70 to $0.80): its length, with *unit. */
static size_t currency_symbol_at(const cursor *c, const char *p,
                                 const char **unit) {
  for (size_t i = 0; i < sizeof currency_prefixes / sizeof currency_prefixes[0];
       i++) {
    const char *t = currency_prefixes[i].text;
    size_t n;
    if (ascii_letter((unsigned char)t[0]) && !strchr(t, '$'))
      continue; /* codes are words: USD 3 to 5 */
    if ((n = at(c, p, t))) {
      *unit = currency_prefixes[i].unit;
      return n;
    }
  }
  return 0;
}

/* The numeral at [p, e) is plain ASCII digits: their count, else 0. */
static int digit_count(const char *p, const char *e) {
  for (const char *q = p; q < e; q++)
    if (*q < '0' || *q > '9')
      return 0;
  return (int)(e - p);
}

/* The value of the ASCII digits [p, e), at most nine of them. */
static long digits_value(const char *p, const char *e) {
  long v = 0;
  for (; p < e && e - p <= 9; p++)
    v = v * 10 + (*p - '0');
  return v;
}

/* Four digits from 1900 to 2100: perhaps a year. */
static int year_like(const char *p, const char *e) {
  long y = digit_count(p, e) == 4 ? digits_value(p, e) : 0;
  return y >= 1900 && y <= 2100;
}

/* A size or length that names a thing, at p: 12英寸 (wafers), 5nm, 3纳米. */
static size_t size_after(const cursor *c, const char *p) {
  static const char *const cjk[] = {"英寸", "寸", "纳米"};
  static const char *const latin[] = {"nm", "inch", "inches", "-inch"};
  size_t n;
  for (size_t i = 0; i < sizeof cjk / sizeof cjk[0]; i++)
    if ((n = at(c, p, cjk[i])))
      return n;
  const char *q = p < c->end && *p == '-' ? p : skip_spaces(c, p);
  for (size_t i = 0; q - p <= 1 && i < sizeof latin / sizeof latin[0]; i++)
    if ((n = word_at(c, q, latin[i])))
      return (size_t)(q - p) + n;
  return 0;
}

/* A stock code's exchange right after its digits: 03750.HK, 600519.SH. */
static int exchange_after(const cursor *c, const char *p) {
  static const char *const codes[] = {".HK", ".SH", ".SZ", ".SS", ".BJ",
                                      ".US", ".KS", ".KQ", ".TW", ".T",
                                      ".N",  ".O",  ".L"};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    size_t n = at(c, p, codes[i]);
    if (n && !letter_at(c, p + n))
      return 1;
  }
  return 0;
}

/* Four to six digits in parentheses right after a name: 宁德时代(300750),
   Tencent (0700).  Accounting parentheses, (1234), follow no name. */
static int code_in_parentheses(const cursor *c, const char *p, const char *e) {
  size_t open = before(c, p, "(") ? 1 : before(c, p, "（");
  if (!open || !(at(c, e, ")") || at(c, e, "）")))
    return 0;
  const char *l = p - open;
  if (l > c->begin && l[-1] == ' ')
    l--;
  return l > c->begin && (ascii_letter((unsigned char)l[-1]) ||
                          (unsigned char)l[-1] >= 0x80);
}

/* A year in a name: fiscal 2025, FY 2025, FY '22, Q3 2025, 1H 2024. */
static int year_in_name(const cursor *c, const char *p, const char *e) {
  static const char *const words[] = {"fiscal", "Fiscal", "fiscal year",
                                      "Fiscal year", "FY", "CY"};
  size_t n;
  int digits = digit_count(p, e);
  if (digits == 2 && ((n = before(c, p, "'")) || (n = before(c, p, "’"))))
    p -= n;
  else if (!year_like(p, e))
    return 0;
  const char *l = spaces_back(c, p);
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (word_before(c, l, words[i]))
      return 1;
  /* Q3 2025, 3Q 2025, H1 2025, 1H 2025 */
  if (l - c->begin >= 2 && (l - 2 == c->begin || !ascii_letter((unsigned char)l[-3]))) {
    char a = l[-2], b = l[-1];
    if (((a == 'Q' || a == 'H') && b >= '1' && b <= '4') ||
        ((b == 'Q' || b == 'H') && a >= '1' && a <= '4'))
      return digits == 4;
  }
  return 0;
}

static const char *const months[] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"};

static size_t month_before(const cursor *c, const char *p) {
  const char *l = spaces_back(c, p);
  if (l == p)
    return 0;
  if (before(c, l, "."))
    l--;
  for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
    if (word_before(c, l, months[i]))
      return 1;
  return 0;
}

static int month_after(const cursor *c, const char *p) {
  const char *q = skip_spaces(c, p);
  for (size_t i = 0; q > p && i < sizeof months / sizeof months[0]; i++)
    if (word_at(c, q, months[i]))
      return 1;
  return 0;
}

/* A date in English -- November 22, 2022; 22 November 2022; Nov 2022 --
   at the numeral [p, e): where it ends, or NULL. */
static const char *english_date(const cursor *c, const char *p, const char *e) {
  int digits = digit_count(p, e);
  if (digits >= 1 && digits <= 2 && month_after(c, e))
    return e;
  if (!month_before(c, p) || !(digits == 4 || (digits >= 1 && digits <= 2)))
    return NULL;
  if (digits <= 2 && at(c, e, ",")) { /* the year after the day */
    const char *y = skip_spaces(c, e + 1), *z = y;
    while (z < c->end && *z >= '0' && *z <= '9')
      z++;
    if (z - y == 4)
      return z;
  }
  return e;
}

/* A word after a number that makes it part of a name or a period, not a
   figure: 小米17系列 (a product line), 三季度 (a quarter), 连续21个季度.
   Its length, or 0. */
static size_t name_or_span_after(const cursor *c, const char *p) {
  static const char *const words[] = {"系列", "季度", "个季度"};
  size_t n;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if ((n = at(c, p, words[i])))
      return n;
  return 0;
}

/* 双十一, 双11: a shopping festival's name. */
static int festival_before(const cursor *c, const char *p) {
  return before(c, p, "双") != 0;
}

/* 7×24 (hours a week), 2*3 and T+1 (a settlement day): numbers in an
   expression or a name, not figures. */
static int product_of(const cursor *c, const char *p, const char *e) {
  static const char *const times[] = {"×", "*", "＊"};
  for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
    size_t n = before(c, p, times[i]);
    if ((n && p - n > c->origin && p[-(long)n - 1] >= '0' &&
         p[-(long)n - 1] <= '9') ||
        ((n = at(c, e, times[i])) && e + n < c->end && e[n] >= '0' &&
         e[n] <= '9'))
      return 1;
  }
  return before(c, p, "+") && p - 1 > c->origin &&
         ascii_letter((unsigned char)p[-2]);
}

/* A bare year in English running text: in 2026, for 2026, 2025 Q3. */
static int english_year(const cursor *c, const char *p, const char *e) {
  static const char *const words[] = {
      "in", "In", "for", "For", "since", "Since", "during", "During",
      "until", "through", "by", "of", "early", "late", "mid", "end",
      "year", "calendar"};
  if (!year_like(p, e))
    return 0;
  const char *l = spaces_back(c, p);
  for (size_t i = 0; l < p && i < sizeof words / sizeof words[0]; i++)
    if (word_before(c, l, words[i]))
      return 1;
  const char *r = skip_spaces(c, e); /* 2025 Q3, 2024 H1 */
  return r < c->end - 1 && (r[0] == 'Q' || r[0] == 'H') && r[1] >= '1' &&
         r[1] <= '4' && !(r + 2 < c->end && ascii_letter((unsigned char)r[2]));
}

/* Figures that are not quantities, at the numeral [p, e) read as side s:
   where scanning goes on, or NULL when it is a figure. */
static const char *not_a_figure(const cursor *c, const char *p, const char *e,
                                const side *s) {
  size_t n;
  const char *q;
  if (s->kind != K_PLAIN || s->unit || s->ph.big_unit)
    return NULL;
  if ((n = size_after(c, e)) || (n = name_or_span_after(c, e)))
    return e + n;
  if (festival_before(c, p) || product_of(c, p, e))
    return e;
  int digits = digit_count(p, e);
  if (digits >= 4 && digits <= 6 &&
      (exchange_after(c, e) || code_in_parentheses(c, p, e) || *p == '0'))
    return skip_name(c, e);
  if (year_in_name(c, p, e) || english_year(c, p, e))
    return e;
  if ((q = english_date(c, p, e)))
    return q;
  return NULL;
}

/* ---- percent context ------------------------------------------------------ */

/* A sentence ends at p (forward), or just before p (back). */
static int sentence_break(const char *p, const char *end) {
  return *p == '\n' || *p == ';' || *p == '!' || *p == '?' ||
         (*p == '.' && (p + 1 == end || p[1] == ' ')) ||
         prefix_len(p, end, "。") || prefix_len(p, end, "；") ||
         prefix_len(p, end, "！") || prefix_len(p, end, "？");
}

static int sentence_break_before(const cursor *c, const char *p) {
  const cursor whole = {c->origin, c->end, c->origin};
  return (p[-1] && strchr("\n;!?", p[-1])) ||
         (p - c->origin >= 2 && p[-1] == ' ' && p[-2] == '.') ||
         before(&whole, p, "。") || before(&whole, p, "；") ||
         before(&whole, p, "！") || before(&whole, p, "？");
}

/* "points" are percentage points where the sentence speaks of percent or a
   margin or rate: "gross margin 45.3%, down 1.2 points", and index points
   otherwise.  The look reaches 400 bytes each way. */
static int percent_context(const cursor *c, const char *p) {
  static const char *const words[] = {"%", "％", "percent", "百分", "margin",
                                      "Margin", "率"};
  const char *from = p, *to = p;
  while (from > c->origin && p - from < 400 &&
         !sentence_break_before(c, from))
    from--;
  while (to < c->end && to - p < 400 && !sentence_break(to, c->end))
    to++;
  for (const char *q = from; q < to; q++)
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (prefix_len(q, to, words[i]))
        return 1;
  return 0;
}

/* ---- one quantity --------------------------------------------------------- */

/* One quantity as it is read: the numeral, the words on either side. */
typedef struct reading {
  const char *start;  /* the first numeral */
  const char *left;   /* the quantity's first byte: words before count */
  const char *end;    /* past its last byte */
  const char *resume; /* where scanning goes on when it is no figure */
  side a, b;
  int range, between;
  const char *between_at; /* the word "between" */
  int sign, sign_b;   /* -1: the bound's own minus */
  int paren;          /* accounting parentheses: (1.2) */
  int shared;         /* took its scale or unit from a list's last number */
  enum qualifier qual;
  int has_qual, odd;  /* 出头: a little over, up to the next place */
  int direction;
  int from_to;        /* from A to B: two figures, A sharing B's scale */
  const char *currency, *currency_b;
} reading;

/* Side A, and what makes it no figure at all: a date, a name, a code. */
static int read_first(const cursor *c, const char *p, reading *r) {
  const char *end = read_side(c, p, &r->a), *q;
  if (!end) {
    r->resume = p + utf8_char_len(c, p);
    return 0;
  }
  r->start = r->left = p;
  r->end = r->resume = end;
  if (r->a.kind == K_PLAIN && !r->a.unit && cjk_date_after(c, end))
    return 0; /* 2026年, 3月, 24号: a date */
  /* 30倍PE, 15x P/E: the multiple's name belongs to the metric */
  if (r->a.kind != K_TIMES && followed_by_name(c, end)) {
    r->resume = skip_name(c, end);
    return 0;
  }
  if ((q = not_a_figure(c, p, r->a.numeral_end, &r->a))) {
    r->resume = q;
    return 0;
  }
  return 1;
}

/* Years in a range: 2025-2026, 2025-26. */
static int year_range(const char *a, const char *ae, const char *b,
                      const char *be) {
  if (!year_like(a, ae) || !digit_count(b, be))
    return 0;
  long y = digits_value(a, ae), z = digits_value(b, be);
  return (be - b == 4 && z > y && z <= y + 20) ||
         (be - b == 2 && z == (y + 1) % 100);
}

/* The separator of a range after side A, at p: its length. */
static size_t range_separator(const cursor *c, const char *p, int between) {
  static const char *const seps[] = {"到", "至", "-", "~", "～", "–", "—"};
  size_t sep = 0;
  if (between)
    return word_at(c, p, "and");
  if ((sep = word_at(c, p, "to")))
    return sep;
  for (size_t i = 0; !sep && i < sizeof seps / sizeof seps[0]; i++)
    sep = at(c, p, seps[i]);
  return sep;
}

/* Bounds that cannot be one range's: 15% to $124 million, 3x to 5%,
   5 GWh to 3 TWh.  `a_money`: A has a currency symbol before it. */
static int bounds_clash(const reading *r, const side *b, int a_money) {
  const side *a = &r->a;
  int b_money = r->currency_b != NULL;
  if (a->kind != K_PLAIN && b->kind != K_PLAIN && a->kind != b->kind)
    return 1;
  if ((a->kind != K_PLAIN && (b_money || b->unit)) ||
      (b->kind != K_PLAIN && (a_money || a->unit)))
    return 1;
  return a->unit && b->unit && strcmp(a->unit, b->unit) != 0;
}

/* A range: A到B, A至B, A-B, A~B, A–B, A to B, between A and B; B may
   repeat A's sign or currency ($0.70 to $0.80, 负10至负12亿元).  Returns 0
   when the range is of dates or years, and so no figure. */
static int read_range(const cursor *c, reading *r) {
  const char *numeral_end = r->a.numeral_end;
  size_t n = 0;
  /* between $2 and $3 million: the symbol stands after "between" */
  const char *pre = r->start;
  for (size_t i = 0; i < sizeof currency_prefixes / sizeof currency_prefixes[0];
       i++)
    if (strchr(currency_prefixes[i].text, '$') &&
        (n = before(c, pre, currency_prefixes[i].text))) {
      pre -= n;
      break;
    }
  int a_money = pre < r->start;
  pre = spaces_back(c, pre);
  if ((n = word_before(c, pre, "between"))) {
    r->between = 1;
    r->between_at = pre - n;
  }
  const char *s = skip_spaces(c, r->end);
  size_t sep = range_separator(c, s, r->between);
  if (!sep)
    return 1;
  /* from $30 to $27: an old and a new value; by 5% to $12.3 million: a
     change and the level it reached.  Two figures either way. */
  if (word_at(c, s, "to") &&
      (word_before(c, pre, "from") || word_before(c, pre, "by"))) {
    r->from_to = word_before(c, pre, "from") != 0;
    return 1;
  }
  const char *s2 = skip_spaces(c, s + sep);
  if ((n = sign_at(c, s2, *s != '-'))) {
    r->sign_b = -1;
    s2 += n;
  }
  n = 0;
  s2 += currency_symbol_at(c, s2, &r->currency_b);
  side b;
  const char *e2;
  if ((!is_number_start(c, s2) && !at(c, s2, "百分之")) ||
      !(e2 = read_side(c, s2, &b)))
    return 1;
  if (bounds_clash(r, &b, a_money))
    return 1;
  int plain = r->a.kind == K_PLAIN && !r->a.unit && b.kind == K_PLAIN &&
              !b.unit && !r->currency_b;
  if (plain && (cjk_date_after(c, e2) || (n = size_after(c, e2)) ||
                year_range(r->start, numeral_end, s2, e2))) {
    r->resume = e2 + n; /* 2025-2026年, 3-5月, 5-7nm */
    return 0;
  }
  if (followed_by_name(c, e2))
    return 1;
  if (b.kind == K_PLAIN && !b.unit && cjk_date_after(c, e2))
    return 1;
  r->range = 1;
  r->b = b;
  r->end = e2 + at(c, e2, "之间");
  return 1;
}

/* A list's separator at p: its length, spaces included. */
static size_t list_separator(const cursor *c, const char *p) {
  static const char *const seps[] = {"、", "和", "及", "与", "以及"};
  size_t n;
  for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++)
    if ((n = at(c, p, seps[i])))
      return n;
  if (at(c, p, ",") && (n = word_at(c, skip_spaces(c, p + 1), "and")))
    return (size_t)(skip_spaces(c, skip_spaces(c, p + 1) + n) - p);
  const char *q = skip_spaces(c, p);
  if (q > p && (n = word_at(c, q, "and")))
    return (size_t)(skip_spaces(c, q + n) - p);
  return 0;
}

/* Lists share their last number's scale word and unit: in
   692.85、902.20和1102.74亿元 the first two are in 亿元 too.  A bare number
   followed by a list takes them from the list's first member that has
   any; at most 32 members are looked at. */
static void read_list(const cursor *c, reading *r) {
  side *a = &r->a, m;
  if ((a->ph.big_unit && a->unit) || year_like(r->start, a->numeral_end))
    return; /* a year: in 2024 and 3 billion */
  const char *p = r->end;
  for (int k = 0; k < 32; k++) {
    size_t n = list_separator(c, p);
    const char *to = skip_spaces(c, p);
    if (!n && k == 0 && r->from_to && (n = word_at(c, to, "to")))
      n = (size_t)(skip_spaces(c, to + n) - p); /* from $3.0 to $3.5 billion */
    if (n && r->from_to)
      n += currency_symbol_at(c, p + n, &(const char *){NULL});
    const char *s = p + n, *e;
    if (!n || !is_number_start(c, s) || !(e = read_side(c, s, &m)) ||
        followed_by_name(c, e) || cjk_date_after(c, e) || m.ph.vague ||
        m.ph.paired)
      return;
    if (!m.ph.big_unit && m.kind == K_PLAIN && !m.unit) {
      p = e;
      continue;
    }
    if (!a->ph.big_unit && m.ph.scale_exp && a->kind == K_PLAIN) {
      a->ph.value = dec_scale(a->ph.value, m.ph.scale_exp);
      a->ph.value_hi = dec_scale(a->ph.value_hi, m.ph.scale_exp);
      a->ph.place = dec_scale(a->ph.place, m.ph.scale_exp);
      a->ph.big_unit = r->shared = 1;
    }
    if (a->kind == K_PLAIN && !a->ph.big_unit)
      a->kind = m.kind, r->shared = 1;
    if (!a->unit && m.unit)
      a->unit = m.unit, r->shared = 1;
    return;
  }
}

/* Qualifier words after the number, perhaps after a measure word: 左右,
   以上, 出头, a trailing +; then a unit written after them (3亿以上美元). */
static void read_suffix(const cursor *c, reading *r) {
  size_t n;
  const char *tail = r->end;
  for (size_t i = 0; i < sizeof measure_words / sizeof measure_words[0]; i++)
    if ((n = at(c, r->end, measure_words[i]))) {
      tail = r->end + n;
      break;
    }
  for (int pass = 0; !r->has_qual && pass < 2; pass++) {
    const char *t = pass == 0 ? r->end : tail;
    if (pass == 1 && t == r->end)
      break;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
      if ((n = at(c, t, suffixes[i].text)) &&
          !(suffixes[i].q == Q_APPROX && at(c, t + n, "文"))) {
        r->qual = suffixes[i].q;
        r->has_qual = 1;
        r->end = t + n;
        break;
      }
    if (!r->has_qual && (n = at(c, t, "出头"))) {
      r->qual = Q_OVER;
      r->has_qual = r->odd = 1;
      r->end = t + n;
    }
  }
  if (!r->has_qual && (n = at(c, r->end, "+")) &&
      !is_number_start(c, r->end + 1)) {
    r->qual = Q_OVER;
    r->has_qual = 1;
    r->end += n;
  }
  if (!r->a.unit)
    r->end = unit_suffix(c, r->end, &r->a);
}

/* A currency written before the number: a symbol right before it, a code
   perhaps with a space. */
static void read_currency(const cursor *c, reading *r) {
  for (size_t i = 0; i < sizeof currency_prefixes / sizeof currency_prefixes[0];
       i++) {
    const char *l = ascii_letter((unsigned char)currency_prefixes[i].text[0]) &&
                            !strchr(currency_prefixes[i].text, '$')
                        ? spaces_back(c, r->left)
                        : r->left;
    size_t len = before(c, l, currency_prefixes[i].text);
    if (len && !letter_before(c, l - len)) {
      r->currency = currency_prefixes[i].unit;
      r->left = l - len;
      return;
    }
  }
}

/* Accounting parentheses around an ASCII figure: (1.2), ($0.3 billion). */
static void read_parentheses(const cursor *c, reading *r) {
  if (!before(c, r->left, "(") || !at(c, r->end, ")"))
    return;
  for (const char *q = r->start; q < r->end; q++)
    if ((unsigned char)*q >= 0x80)
      return;
  r->paren = 1;
  r->left--;
  r->end++;
}

/* 了 and spaces may stand between a word and the number. */
static const char *words_end(const cursor *c, const char *p) {
  size_t n;
  p = spaces_back(c, p);
  if ((n = before(c, p, "了")))
    p = spaces_back(c, p - n);
  return p;
}

static void read_qualifier(const cursor *c, reading *r) {
  const char *l = words_end(c, r->left);
  for (size_t i = 0; !r->range && i < sizeof prefixes / sizeof prefixes[0];
       i++) {
    size_t len = prefixes[i].english ? word_before(c, l, prefixes[i].text)
                                     : before(c, l, prefixes[i].text);
    /* 最近 and 附近 are "recent" and "nearby", not "nearly". */
    if (len && strcmp(prefixes[i].text, "近") == 0 &&
        (before(c, l - len, "最") || before(c, l - len, "附")))
      len = 0;
    if (len) {
      r->qual = prefixes[i].q;
      r->has_qual = 1;
      r->left = l - len;
      return;
    }
  }
}

/* A direction word before the number (跌, fell by, 低 right before it):
   -1 or +1, with *left moved over it; 0 if none. */
static int direction_before(const cursor *c, const char *p, const char **left) {
  size_t len;
  const char *l = words_end(c, p);
  if ((len = word_before(c, l, "by")) && l - len > c->begin &&
      l[-(ptrdiff_t)len - 1] == ' ')
    l = spaces_back(c, l - len); /* fell by 5%, up by 3 */
  for (size_t i = 0; i < sizeof directions / sizeof directions[0]; i++) {
    len = directions[i].english ? word_before(c, l, directions[i].text)
                                : before(c, l, directions[i].text);
    if (len) {
      *left = l - len;
      return directions[i].sign;
    }
  }
  /* 低20%, 高20%: right before the number; 最低 and 最高 are bounds */
  for (int k = 0; k < 2; k++)
    if ((len = before(c, p, k ? "高" : "低")) && !before(c, p - len, "最")) {
      *left = p - len;
      return k ? 1 : -1;
    }
  return 0;
}

/* Words before the number, right to left: currency, sign, accounting
   parentheses, qualifier, direction. */
static void read_prefix(const cursor *c, reading *r) {
  size_t n;
  read_currency(c, r);
  if (r->between)
    r->left = r->between_at;
  if ((n = sign_before(c, r->left))) {
    r->sign = -1;
    r->left -= n;
  }
  if (!r->between)
    read_parentheses(c, r);
  read_qualifier(c, r);
  r->direction = direction_before(c, r->left, &r->left);
}

/* A bare number of six digits, 300750, is a stock code: nothing around it
   makes it a figure. */
static int stock_code(const cursor *c, const reading *r) {
  for (size_t i = 0; i < sizeof measure_words / sizeof measure_words[0]; i++)
    if (at(c, r->a.numeral_end, measure_words[i]))
      return 0; /* 100000辆 */
  return digit_count(r->start, r->a.numeral_end) == 6 && !r->range &&
         !r->has_qual && !r->direction && !r->currency && !r->a.unit &&
         r->a.kind == K_PLAIN && !r->a.ph.big_unit && !r->a.ph.many &&
         r->sign > 0 && !r->paren;
}

static int money(const char *unit) {
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
   a price band
   (4000-6000元价格段) or tier (6000元以上的手机, 3000元以下机型). */
static int names_a_thing(const cursor *c, const reading *r) {
  static const char *const festivals[] = {"购物节", "狂欢节", "电商节",
                                          "大促"};
  static const char *const bands[] = {"价格段", "价位段", "价格带",
                                      "价格区间", "价位", "档位"};
  static const char *const tiers[] = {"国产", "手机", "机型", "车型", "产品",
                                      "市场", "高端", "超高端", "旗舰"};
  const char *p = past_quotes(c, r->end);
  if (any_word_at(c, p, festivals, sizeof festivals / sizeof festivals[0]))
    return 1;
  int price = money(r->a.unit) || money(r->b.unit) || r->currency ||
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
static int in_a_name(const cursor *c, const reading *r) {
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

/* A lone Chinese numeral character (一个, 两个系列) is running text. */
static int running_text(const reading *r) {
  return !r->range && r->a.ph.cn_chars == 1 && !r->a.ph.arabic &&
         !r->a.ph.big_unit && !r->a.ph.many && r->a.kind == K_PLAIN &&
         !r->a.unit && !r->has_qual && !r->direction && !r->currency &&
         r->sign > 0;
}

static void order(double *lo, double *hi) {
  if (*lo > *hi) {
    double t = *lo;
    *lo = *hi;
    *hi = t;
  }
}

/* The midpoint of a and b, exact before it is rounded. */
static double midpoint(dec a, dec b) {
  return dec_double(dec_scale(dec_mul_small(dec_add(a, b), 5), -1));
}

/* A range's bounds: it shares a trailing scale, percent and unit (2到3亿美元,
   15%到20), and a vague bound gives its own least or greatest (几百到一千). */
static void range_bounds(const reading *r, ck_quantity *q) {
  dec va = side_value(&r->a), vb = side_value_hi(&r->b);
  if (!r->a.ph.big_unit && r->b.ph.big_unit)
    va = dec_scale(va, r->b.ph.scale_exp);
  if (r->a.kind == K_PLAIN && r->b.kind != K_PLAIN)
    va = dec_scale(va, kind_exp(r->b.kind));
  if (r->b.kind == K_PLAIN && r->a.kind != K_PLAIN)
    vb = dec_scale(vb, kind_exp(r->a.kind));
  /* -5到5: each bound its own sign; 负10至负12亿: both */
  q->lo = r->sign * dec_double(va);
  q->hi = r->sign_b * dec_double(vb);
  order(&q->lo, &q->hi);
  q->value = r->sign == r->sign_b ? r->sign * midpoint(va, vb)
                                  : q->lo + (q->hi - q->lo) / 2;
  q->qualifier = qualifier_names[Q_RANGE];
}

static void single_bounds(const reading *r, ck_quantity *q) {
  dec va = side_value(&r->a), va_hi = side_value_hi(&r->a);
  enum qualifier qual = r->qual;
  if (r->a.ph.vague || r->a.ph.paired) {
    /* 几十亿: 2e9 to 9e9; 二三十亿: 2e9 to 3e9; the value between them */
    q->lo = r->sign * dec_double(va);
    q->hi = r->sign * dec_double(va_hi);
    order(&q->lo, &q->hi);
    q->value = r->sign * midpoint(va, va_hi);
    qual = r->a.ph.vague ? Q_VAGUE : Q_RANGE;
  } else {
    /* The minus is the number's own: 低于-5 is below -5. */
    q->value = q->lo = q->hi = r->sign * dec_double(va);
    if ((!r->has_qual && r->a.ph.many) || r->odd) {
      qual = Q_OVER;
      dec place = r->odd ? dec_place(va)
                         : dec_scale(r->a.ph.place, kind_exp(r->a.kind));
      if (r->sign > 0)
        q->hi = dec_double(dec_add(va, place));
      else
        q->lo = -dec_double(dec_add(va, place));
    } else if (qual == Q_OVER) {
      q->hi = INFINITY;
    } else if (qual == Q_UNDER || qual == Q_NEARLY) {
      q->lo = q->value < 0 ? -INFINITY : 0;
    }
  }
  q->qualifier = qualifier_names[qual];
}

/* A direction word or accounting parentheses mirror the bounds. */
static void mirror(ck_quantity *q) {
  double t = q->lo;
  q->value = -q->value;
  q->lo = -q->hi;
  q->hi = -t + 0.0; /* -0 reads as 0 */
}

static void fill(const cursor *c, const reading *r, ck_quantity *q) {
  const char *unit = kind_unit(r->a.kind);
  if (!unit)
    unit = r->a.unit ? r->a.unit : r->currency;
  if (r->range) {
    if (!unit)
      unit = kind_unit(r->b.kind);
    if (!unit)
      unit = r->b.unit ? r->b.unit : r->currency_b;
    range_bounds(r, q);
  } else {
    single_bounds(r, q);
  }
  if (r->direction < 0)
    mirror(q);
  if (r->paren)
    mirror(q);
  q->start = (size_t)(r->left - c->begin);
  q->end = (size_t)(r->end - c->begin);
  q->unit = unit ? unit : "";
  q->direction = r->direction;
  q->negative = r->sign < 0 || r->paren;
  q->shared = r->shared;
}

/* Parses the quantity whose numeral starts at p.  Returns 1 with *q filled,
   or 0; *next is where scanning goes on. */
static int quantity_at(const cursor *c, const char *p, ck_quantity *q,
                       const char **next) {
  reading r;
  memset(&r, 0, sizeof r);
  r.sign = r.sign_b = 1;
  if (!read_first(c, p, &r) || !read_range(c, &r)) {
    *next = r.resume;
    return 0;
  }
  if (!r.range) {
    read_list(c, &r);
    read_suffix(c, &r);
  }
  read_prefix(c, &r);
  if (running_text(&r) || stock_code(c, &r) || names_a_thing(c, &r) ||
      in_a_name(c, &r)) {
    *next = r.a.numeral_end;
    return 0;
  }
  fill(c, &r, q);
  *next = r.end;
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
    {"仟", "千"}, {"負", "负"}, {"時", "时"}, {"與", "与"}, {"納", "纳"},
    {"調", "调"}, {"雙", "双"}, {"節", "节"}, {"購", "购"}, {"價", "价"},
    {"帶", "带"}, {"區", "区"}, {"檔", "档"}, {"國", "国"}, {"產", "产"},
    {"機", "机"}, {"車", "车"}, {"場", "场"}, {"艦", "舰"}, {"歡", "欢"},
    {"電", "电"},
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

/* A Chinese numeral or big unit at p (three bytes), simplified. */
static int cn_numeral_char(const char *p) {
  static const char *const chars[] = {"零", "〇", "一", "二", "两", "三", "四",
                                      "五", "六", "七", "八", "九", "十", "百",
                                      "千", "万", "亿"};
  for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
    if (memcmp(p, chars[i], 3) == 0)
      return 1;
  return 0;
}

/* Chinese web text puts a space between digits and Chinese characters
   ("35 万台", "11 月 18 日", "超 10 万台"), where the words mean what they
   mean without it.  Such a space is taken out of `text` in place; the
   offsets where one went, in the shortened text, go to *gaps (NULL when
   none).  Returns the new length, or (size_t)-1 when memory runs out. */
static size_t close_gaps(char *text, size_t len, size_t **gaps, size_t *n) {
  size_t w = 0, cap = 0;
  *gaps = NULL;
  *n = 0;
  for (size_t r = 0; r < len; r++) {
    unsigned char prev = w ? (unsigned char)text[w - 1] : 0;
    unsigned char next = r + 1 < len ? (unsigned char)text[r + 1] : 0;
    int digit_prev = prev >= '0' && prev <= '9', digit_next = next >= '0' && next <= '9';
    /* a Chinese character: a three-byte sequence from U+3000 on */
    /* not after a Chinese numeral or big unit: 3亿 3亿 are two figures */
    int cjk_prev = w >= 3 && (unsigned char)text[w - 3] >= 0xe3 &&
                   (unsigned char)text[w - 3] <= 0xe9 &&
                   !cn_numeral_char(text + w - 3);
    int cjk_next = next >= 0xe3 && next <= 0xe9;
    if (text[r] == ' ' && ((digit_prev && cjk_next) || (cjk_prev && digit_next))) {
      if (*n == cap) {
        size_t grown_cap = cap ? cap * 2 : 16;
        size_t *grown = realloc(*gaps, grown_cap * sizeof *grown);
        if (!grown) {
          free(*gaps);
          *gaps = NULL;
          return (size_t)-1;
        }
        *gaps = grown;
        cap = grown_cap;
      }
      (*gaps)[(*n)++] = w;
      continue;
    }
    text[w++] = text[r];
  }
  return w;
}

/* An offset of the shortened text in the text as given: every gap before
   it (at or before it, for a start) adds its space back. */
static size_t reopen(size_t offset, const size_t *gaps, size_t n, int start) {
  size_t lo = 0, hi = n; /* the first gap past it, by bisection */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (gaps[mid] < offset || (start && gaps[mid] == offset))
      lo = mid + 1;
    else
      hi = mid;
  }
  return offset + lo;
}

int quantity_scan(const char *text, size_t len, size_t limit,
                  ck_quantity **out, size_t *count) {
  char *plain = malloc(len ? len : 1);
  size_t *gaps = NULL, ngaps = 0, plain_len = 0;
  if (plain) {
    simplify(text, len, plain);
    plain_len = close_gaps(plain, len, &gaps, &ngaps);
  }
  if (!plain || plain_len == (size_t)-1) {
    free(plain);
    *out = NULL;
    *count = 0;
    return -1;
  }
  int rc = scan(plain, plain_len, limit, out, count);
  for (size_t i = 0; ngaps && i < *count; i++) {
    (*out)[i].start = reopen((*out)[i].start, gaps, ngaps, 1);
    (*out)[i].end = reopen((*out)[i].end, gaps, ngaps, 0);
  }
  free(gaps);
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

/* A string of digit characters with no place -- 一七二零, 二〇二六 -- is a
   code or a year, and 点 after it starts no figure: its length, or 0.  Two
   digits before a place are a pair (二三十), three or more never a figure. */
static size_t digit_string_at(const cursor *c, const char *p) {
  size_t n, len = 0;
  int count = 0;
  while (cn_digit_at(c, p + len, &n) >= 0)
    len += n, count++;
  if (count < 2 || (count == 2 && place_at(c, p + len)))
    return 0;
  if ((n = at(c, p + len, "点")))
    for (len += n; cn_digit_at(c, p + len, &n) >= 0;)
      len += n;
  return len;
}

/* A currency code written onto the number, RMB3 billion, is no name. */
static int code_before(const cursor *c, const char *p) {
  for (size_t i = 0; i < sizeof currency_prefixes / sizeof currency_prefixes[0];
       i++) {
    const char *t = currency_prefixes[i].text;
    if (ascii_letter((unsigned char)t[0]) && !strchr(t, '$') &&
        word_before(c, p, t))
      return 1;
  }
  return 0;
}

/* What at p is no figure: an ordinal (第二, 第1), a name (V4, H200, GPT-4),
   a date or time, a string of digit characters.  Its length, or 0. */
static size_t no_figure_at(const cursor *c, const char *p) {
  phrase ph;
  const char *e;
  size_t n;
  if (before(c, p, "第")) {
    e = number_phrase(c, p, &ph);
    return e ? (size_t)(e - p) : utf8_char_len(c, p);
  }
  if ((letter_before(c, p) && !code_before(c, p)) ||
      (p - c->begin >= 2 && p[-1] == '-' && ascii_letter((unsigned char)p[-2]))) {
    e = skip_name(c, p);
    if (e == p) { /* V四: a Chinese numeral in a name */
      e = number_phrase(c, p, &ph);
      if (!e || e == p)
        e = p + utf8_char_len(c, p);
    }
    return (size_t)(e - p);
  }
  if ((n = date_or_time_at(c, p)) || (n = digit_string_at(c, p)))
    return n;
  return 0;
}

/* English vague shares: "mid-single digits" is 4% to 6%, "low double
   digits" 10% to 13%, "high single digits" 7% to 9%.  Returns 1 with *q. */
static int english_digits_at(const cursor *c, const char *p, ck_quantity *q,
                             const char **next) {
  static const struct {
    const char *level, *size;
    unsigned lo, hi;
  } amounts[] = {{"low", "single", 1, 3}, {"mid", "single", 4, 6},
                 {"high", "single", 7, 9}, {"low", "double", 10, 13}};
  for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
    const char *w = amounts[i].level, *e = p;
    size_t n;
    if ((*e | 0x20) != w[0] || !(n = word_at(c, e + 1, w + 1)))
      continue;
    e += 1 + n;
    if (!(at(c, e, "-") || at(c, e, " ")) || !(n = word_at(c, e + 1, amounts[i].size)))
      continue;
    e += 1 + n;
    if (!(at(c, e, "-") || at(c, e, " ")) ||
        !((n = word_at(c, e + 1, "digits")) || (n = word_at(c, e + 1, "digit"))))
      continue;
    e += 1 + n;
    const char *left = p;
    int direction = direction_before(c, p, &left);
    q->start = (size_t)(left - c->begin);
    q->end = (size_t)(e - c->begin);
    q->lo = dec_double(dec_make(amounts[i].lo, -2));
    q->hi = dec_double(dec_make(amounts[i].hi, -2));
    q->value = dec_double(dec_make(5 * (amounts[i].lo + amounts[i].hi), -3));
    q->qualifier = qualifier_names[Q_VAGUE];
    q->unit = "%";
    q->direction = direction;
    q->negative = q->shared = 0;
    if (direction < 0)
      mirror(q);
    *next = e;
    return 1;
  }
  return 0;
}

static int scan(const char *text, size_t len, size_t limit, ck_quantity **out,
                size_t *count) {
  *out = NULL;
  *count = 0;
  cursor c = {text, text + len, text};
  size_t cap = 0;
  const char *p = text;
  while (p < c.end) {
    if (limit && *count == limit)
      return 1;
    size_t n;
    ck_quantity q;
    const char *next;
    memset(&q, 0, sizeof q);
    /* Words before a number (currency, sign, qualifier, direction) may not
       reach back into the quantity before it: 4CNY 13 is two, and CNY is
       the first one's unit. */
    const char *after = *count ? text + (*out)[*count - 1].end : text;
    cursor back = {after, c.end, text};
    int found;
    if (letter_at(&c, p) && !letter_before(&c, p) &&
        english_vague_at(&c, p, &q, &next)) {
      found = 1;
      after = text; /* its offsets are the text's */
    } else if (letter_at(&c, p) && !letter_before(&c, p)) {
      found = english_digits_at(&back, p, &q, &next);
      if (!found) {
        p++;
        continue;
      }
    } else if (!is_number_start(&c, p) && !at(&c, p, "百分之")) {
      p += utf8_char_len(&c, p);
      continue;
    } else if ((n = no_figure_at(&c, p))) {
      p += n;
      continue;
    } else {
      found = quantity_at(&back, p, &q, &next);
    }
    if (found) {
      q.start += (size_t)(after - text);
      q.end += (size_t)(after - text);
      if (push(out, count, &cap, &q))
        return -1;
    }
    p = next > p ? next : p + utf8_char_len(&c, p);
  }
  return 0;
}

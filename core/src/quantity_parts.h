/*
** quantity_parts.h -- what the parts of the quantity parser share
** (quantity.c: the scan; quantity_numeral.c: numerals; quantity_words.c:
** the words around a number; quantity_names.c: numbers in a name;
** quantity_reading.c: one quantity): exact
** decimals, a cursor over the text, and a reading's types.  Private to
** them: nothing here is used outside quantity*.c.
*/
#ifndef CK_QUANTITY_PARTS_H
#define CK_QUANTITY_PARTS_H

#include "internal.h"
#include "quantity.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- exact decimals ------------------------------------------------------ */

typedef struct dec {
  uint64_t m;
  int e; /* value = m * 10^e */
} dec;

#define DEC_MAX 1000000000000000000ULL /* keep m below 10^18 */

static inline dec dec_make(uint64_t m, int e) {
  dec d = {m, e};
  return d;
}

static inline int dec_zero(dec d) { return d.m == 0; }

static inline dec dec_scale(dec d, int n) {
  d.e += n;
  return d;
}

/* a + b, exact while the digits fit in 18, else rounded toward zero in the
   smaller term (far beyond what a note writes). */
static inline dec dec_add(dec a, dec b) {
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

static inline dec dec_mul_small(dec a, unsigned k) {
  while (a.m > DEC_MAX / k) {
    a.m /= 10;
    a.e++;
  }
  a.m *= k;
  return a;
}

/* The place value of the last non-zero digit: 200 -> 100, 1.5 -> 0.1. */
static inline dec dec_place(dec a) {
  if (dec_zero(a))
    return dec_make(1, 0);
  while (a.m % 10 == 0) {
    a.m /= 10;
    a.e++;
  }
  return dec_make(1, a.e);
}

static inline double dec_double(dec a) {
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
static inline size_t at(const cursor *c, const char *p, const char *lit) {
  return prefix_len(p, c->end, lit);
}

/* Length of `lit` if the text just before p ends with it, else 0. */
static inline size_t before(const cursor *c, const char *p, const char *lit) {
  size_t n = strlen(lit);
  return (size_t)(p - c->begin) >= n && memcmp(p - n, lit, n) == 0 ? n : 0;
}

static inline int ascii_letter(int ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static inline int letter_at(const cursor *c, const char *p) {
  return p < c->end && ascii_letter((unsigned char)*p);
}

static inline int letter_before(const cursor *c, const char *p) {
  return p > c->begin && ascii_letter((unsigned char)p[-1]);
}

static inline const char *skip_spaces(const cursor *c, const char *p) {
  while (p < c->end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

static inline const char *spaces_back(const cursor *c, const char *p) {
  while (p > c->begin && (p[-1] == ' ' || p[-1] == '\t'))
    p--;
  return p;
}

/* An English word at p, standing alone (no letter right after it). */
static inline size_t word_at(const cursor *c, const char *p, const char *w) {
  size_t n = at(c, p, w);
  return n && !letter_at(c, p + n) ? n : 0;
}

/* An English word ending at p, standing alone (no letter before it). */
static inline size_t word_before(const cursor *c, const char *p, const char *w) {
  size_t n = before(c, p, w);
  return n && !letter_before(c, p - n) ? n : 0;
}

static inline size_t utf8_char_len(const cursor *c, const char *p) {
  unsigned char b = (unsigned char)*p;
  size_t n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
  return (size_t)(c->end - p) < n ? (size_t)(c->end - p) : n;
}

/* ---- readings ------------------------------------------------------------ */

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

typedef struct word_list {
  const char *text;
  int english;
} word_list;

enum qualifier { Q_EXACT, Q_APPROX, Q_OVER, Q_UNDER, Q_NEARLY, Q_RANGE,
                 Q_VAGUE };

/* Suffixes that turn the number into a share or a multiple. */
enum kind { K_PLAIN, K_PERCENT, K_PP, K_BP, K_TIMES, K_TENTHS, K_CENTS };

typedef struct side {
  phrase ph;
  enum kind kind;
  const char *unit;
  const char *numeral_end; /* before the kind and unit */
} side;

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

/* ---- across the parts ------------------------------------------------------ */

/* quantity_numeral.c: digits and numeral phrases (each says what it reads
   where it is defined). */
int qty_digit_at(const cursor *c, const char *p, size_t *n);
/* A Latin scale word at p (1M, 2.5bn, 3 million): its power of ten in
   *exp, and the length it takes with the space before a word; 0 if none. */
size_t qty_latin_scale_at(const cursor *c, const char *p, int *exp);
int qty_cn_digit_at(const cursor *c, const char *p, size_t *n);
unsigned qty_cn_multiplier_at(const cursor *c, const char *p, size_t *n);
int qty_place_at(const cursor *c, const char *p);
/* The phrase times 10^exp, a scale written apart from it ((12.3) million,
   $3.5m) as if written onto it. */
void qty_scale_phrase(phrase *ph, int exp);
size_t qty_vague_digit_at(const cursor *c, const char *p);
const char *qty_number_phrase(const cursor *c, const char *p, phrase *ph);

/* quantity_words.c: the words around a number. */
/* The names of enum qualifier, in its order: exact, approx ... vague. */
extern const char *const qty_qualifier_names[];
/* Currency signs and codes before a number ($, US$, ¥, RMB, EUR ...). */
typedef struct currency_prefix {
  const char *text, *unit;
} currency_prefix;
extern const currency_prefix qty_currency_prefixes[];
extern const size_t qty_n_currency_prefixes;
const char *qty_unit_suffix(const cursor *c, const char *p, side *s);
int qty_followed_by_name(const cursor *c, const char *p);
const char *qty_skip_name(const cursor *c, const char *p);
int qty_is_number_start(const cursor *c, const char *p);
size_t qty_date_or_time_at(const cursor *c, const char *p);
int qty_cjk_date_after(const cursor *c, const char *p);
const char *qty_read_side(const cursor *c, const char *p, side *s);
int qty_kind_exp(enum kind k);
dec qty_side_value(const side *s);
dec qty_side_value_hi(const side *s);
const char *qty_kind_unit(enum kind k);
size_t qty_sign_before(const cursor *c, const char *p);
size_t qty_sign_at(const cursor *c, const char *p, int dash);
size_t qty_currency_symbol_at(const cursor *c, const char *p,
                              const char **unit);
int qty_digit_count(const char *p, const char *e);
long qty_digits_value(const char *p, const char *e);
int qty_year_like(const char *p, const char *e);
size_t qty_size_after(const cursor *c, const char *p);
const char *qty_not_a_figure(const cursor *c, const char *p, const char *e,
                             const side *s);

/* quantity_names.c: numbers in a name. */
/* A currency code: an amount of money. */
int qty_money(const char *unit);
/* A number read whole that names a thing (a festival, a price band or
   tier, a plan) or belongs to a name or label (iPhone 17, slide 5). */
int qty_names_a_thing(const cursor *c, const reading *r);
int qty_in_a_name(const cursor *c, const reading *r);

/* quantity_reading.c: one quantity. */
int qty_direction_before(const cursor *c, const char *p, const char **left);
void qty_mirror(ck_quantity *q);
/* Parses the quantity whose numeral starts at p: 1 with *q filled, or 0;
   *next is where scanning goes on. */
int qty_quantity_at(const cursor *c, const char *p, ck_quantity *q,
                    const char **next);

#endif

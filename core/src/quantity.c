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
**
** This file is the scan (traditional characters simplified, the spaces of
** web text closed, each number handed to a reading); the numerals are
** quantity_numeral.c's, the words around them quantity_words.c's, a
** number in a name quantity_names.c's, one quantity's reading
** quantity_reading.c's; quantity_parts.h is what they share.
*/
#include "quantity_parts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
      const char *u = qty_unit_suffix(c, end, &s);
      if (u == end && word_at(c, skip_spaces(c, end), "of")) {
        const char *after_of = skip_spaces(c, skip_spaces(c, end) + 2);
        u = qty_unit_suffix(c, after_of, &s);
        if (u == after_of)
          u = end;
      }
      q->start = (size_t)(p - c->begin);
      q->end = (size_t)(u - c->begin);
      q->lo = dec_double(dec_make(2, exp));
      q->hi = dec_double(dec_make(9, exp));
      q->value = dec_double(dec_make(55, exp - 1));
      q->qualifier = qty_qualifier_names[Q_VAGUE];
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
    {"電", "电"}, {"規", "规"}, {"劃", "划"},
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
  while (qty_cn_digit_at(c, p + len, &n) >= 0)
    len += n, count++;
  if (count < 2 || (count == 2 && qty_place_at(c, p + len)))
    return 0;
  if ((n = at(c, p + len, "点")))
    for (len += n; qty_cn_digit_at(c, p + len, &n) >= 0;)
      len += n;
  return len;
}

/* The end of the ASCII digits at p (p itself when there are none). */
static const char *digit_run(const cursor *c, const char *p) {
  while (p < c->end && *p >= '0' && *p <= '9')
    p++;
  return p;
}

/* Groups of ASCII digits joined by `sep` at p: the end of the last, and how
   many in *groups (0 when p starts none). */
static const char *digit_groups(const cursor *c, const char *p, char sep,
                                int *groups) {
  *groups = 0;
  for (;;) {
    const char *q = digit_run(c, p);
    if (q == p)
      return p;
    ++*groups;
    if (!(q + 1 < c->end && *q == sep && q[1] >= '0' && q[1] <= '9'))
      return q;
    p = q + 1;
  }
}

/* Three or more groups of ASCII digits joined by hyphens -- 1-800-555-0199,
   978-3-16 -- are a telephone number or a code: its length, or 0. */
static size_t hyphen_code_at(const cursor *c, const char *p) {
  int groups;
  const char *q = digit_groups(c, p, '-', &groups);
  return groups >= 3 ? (size_t)(q - p) : 0;
}

/* What may follow whole numbers joined by slashes for them to be a date,
   a fraction or a label: the end, a space or ASCII punctuation, a Chinese
   mark, or 的 (1/3的收入). */
static int ends_a_slash_group(const cursor *c, const char *q) {
  static const char *const marks[] = {"，", "。", "；", "：", "、", "）",
                                      "”", "！", "？", "的"};
  if (q == c->end || (unsigned char)*q < 0x80)
    return q == c->end || !ascii_letter((unsigned char)*q);
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (at(c, q, marks[i]))
      return 1;
  return 0;
}

/* Whole numbers joined by slashes -- 3/31, 12/15/2025, 1/3, 24/7, 50/50,
   2025/26 -- are a date, a fraction or a label: its length, or 0.  Not
   when a percent, a decimal, a scale or a unit follows: a note's figures
   year by year (25%/22%, 1.7亿/1.6亿, 100/120/150亿元, 100/120 million). */
static size_t slash_group_at(const cursor *c, const char *p) {
  int groups;
  const char *q = digit_groups(c, p, '/', &groups);
  side s = {0};
  int exp;
  if (groups >= 2 && qty_cjk_date_after(c, q))
    return (size_t)(q - p); /* 2025/2026年, 3/4月: dates */
  if (groups < 2 || (q < c->end && (*q == '%' || ((*q == '.' || *q == ',') &&
                                                   q + 1 < c->end && q[1] >= '0' &&
                                                   q[1] <= '9'))) ||
      qty_latin_scale_at(c, q, &exp) || qty_unit_suffix(c, q, &s) != q ||
      !ends_a_slash_group(c, q))
    return 0;
  return (size_t)(q - p);
}

/* A Chinese stock index's number, 沪深300, 中证1000, 科创50: its length,
   or 0. */
static size_t index_name_at(const cursor *c, const char *p) {
  static const char *const indexes[] = {"沪深", "中证", "上证", "深证",
                                        "科创", "创业板", "国证", "滬深",
                                        "中證", "上證", "深證", "國證"};
  const char *q = digit_run(c, p);
  if (q == p)
    return 0;
  for (size_t i = 0; i < sizeof indexes / sizeof indexes[0]; i++)
    if (before(c, p, indexes[i]))
      return (size_t)(q - p);
  return 0;
}

/* Footnote or citation marks, [6], [6, 10], [3-5]: whole numbers in square
   brackets.  Their length with the closing bracket, or 0. */
static size_t citation_at(const cursor *c, const char *p) {
  const char *q = p;
  if (!before(c, p, "["))
    return 0;
  for (;;) {
    const char *g = q;
    q = digit_run(c, q);
    if (q == g || q - g > 4)
      return 0;
    if (q < c->end && *q == ']')
      return (size_t)(q + 1 - p);
    if (q < c->end && (*q == ',' || *q == '-'))
      q = skip_spaces(c, q + 1);
    else
      return 0;
  }
}

/* A currency code written onto the number, RMB3 billion, is no name. */
static int code_before(const cursor *c, const char *p) {
  for (size_t i = 0; i < qty_n_currency_prefixes;
       i++) {
    const char *t = qty_currency_prefixes[i].text;
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
    e = qty_number_phrase(c, p, &ph);
    return e ? (size_t)(e - p) : utf8_char_len(c, p);
  }
  if ((letter_before(c, p) && !code_before(c, p)) ||
      (p - c->begin >= 2 && p[-1] == '-' && ascii_letter((unsigned char)p[-2]))) {
    e = qty_skip_name(c, p);
    if (e == p) { /* V四: a Chinese numeral in a name */
      e = qty_number_phrase(c, p, &ph);
      if (!e || e == p)
        e = p + utf8_char_len(c, p);
    }
    return (size_t)(e - p);
  }
  if ((n = qty_date_or_time_at(c, p)) || (n = digit_string_at(c, p)) ||
      (n = hyphen_code_at(c, p)) || (n = slash_group_at(c, p)) ||
      (n = index_name_at(c, p)) || (n = citation_at(c, p)))
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
    int direction = qty_direction_before(c, p, &left);
    q->start = (size_t)(left - c->begin);
    q->end = (size_t)(e - c->begin);
    q->lo = dec_double(dec_make(amounts[i].lo, -2));
    q->hi = dec_double(dec_make(amounts[i].hi, -2));
    q->value = dec_double(dec_make(5 * (amounts[i].lo + amounts[i].hi), -3));
    q->qualifier = qty_qualifier_names[Q_VAGUE];
    q->unit = "%";
    q->direction = direction;
    q->negative = q->shared = 0;
    if (direction < 0)
      qty_mirror(q);
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
    } else if (!qty_is_number_start(&c, p) && !at(&c, p, "百分之")) {
      p += utf8_char_len(&c, p);
      continue;
    } else if ((n = no_figure_at(&c, p))) {
      p += n;
      continue;
    } else {
      found = qty_quantity_at(&back, p, &q, &next);
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

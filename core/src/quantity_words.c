/*
** quantity_words.c -- the words around a number: units, kinds (%, pp,
** 倍), currencies, signs, and what makes a number no figure (dates, codes,
** years, sizes; a name or a label is quantity_names.c's).  A part of the
** quantity parser (quantity_parts.h).
*/
#include "quantity_parts.h"

#include <math.h>

/* ---- the words around a number ------------------------------------------- */


const char *const qty_qualifier_names[] = {"exact", "approx", "over",
                                              "under", "nearly", "range",
                                              "vague"};

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
const currency_prefix qty_currency_prefixes[] = {
    {"US$", "USD"}, {"NT$", "TWD"}, {"HK$", "HKD"}, {"$", "USD"},   {"¥", "CNY"},
    {"￥", "CNY"},  {"€", "EUR"},   {"£", "GBP"},   {"RMB", "CNY"},
    {"CNY", "CNY"}, {"USD", "USD"}, {"HKD", "HKD"}, {"JPY", "JPY"},
    {"EUR", "EUR"}, {"GBP", "GBP"}, {"KRW", "KRW"}, {"TWD", "TWD"},
};
const size_t qty_n_currency_prefixes =
    sizeof qty_currency_prefixes / sizeof qty_currency_prefixes[0];
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

/* A digit or 半 right after 成 is the hundredths: 三成五 is 35%, 两成半
   25%.  Only after a numeral that says one number, and only a digit that
   starts no numeral of its own (三成五六, 三成五万 stay 30%). */
static size_t tenths_tail(const cursor *c, const char *p, side *s) {
  size_t n;
  int d = (n = at(c, p, "半")) ? 5 : qty_cn_digit_at(c, p, &n);
  if (d <= 0 || s->ph.vague || s->ph.paired || s->ph.many ||
      qty_is_number_start(c, p + n) || at(c, p + n, "万") ||
      at(c, p + n, "亿") || at(c, p + n, "成"))
    return 0;
  s->ph.value = s->ph.value_hi =
      dec_add(s->ph.value, dec_make((unsigned)d, -1));
  return n;
}

/* Whether the number ending at p stands in Chinese writing: the character
   before it (past its digits, sign and spaces) or the one at `after` is
   not ASCII. */
static int chinese_around(const cursor *c, const char *p, const char *after) {
  while (p > c->begin && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.' ||
                           p[-1] == ',' || p[-1] == '+' || p[-1] == '-' ||
                           p[-1] == ' '))
    p--;
  return (p > c->begin && (unsigned char)p[-1] >= 0x80) ||
         (after < c->end && (unsigned char)*after >= 0x80);
}

static const char *kind_suffix(const cursor *c, const char *p, side *s) {
  size_t n;
  const char *q = skip_spaces(c, p);
  /* pct is a percentage point in a Chinese note (毛利率同比+1.2pct) and a
     percent in English (rose 5 pct) */
  if (q - p <= 1 && ((n = word_at(c, q, "pcts")) || (n = word_at(c, q, "pct")))) {
    s->kind = chinese_around(c, p, q + n) ? K_PP : K_PERCENT;
    return q + n;
  }
  size_t m = at(c, p, "个"); /* 2个pct, 2个pp: points, as 2个百分点 */
  if (m && ((n = word_at(c, p + m, "pcts")) || (n = word_at(c, p + m, "pct")) ||
            (n = word_at(c, p + m, "ppt")) || (n = word_at(c, p + m, "pp")))) {
    s->kind = K_PP;
    return p + m + n;
  }
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
    n += tenths_tail(c, p + n, s);
  }
  return p + n;
}

const char *qty_unit_suffix(const cursor *c, const char *p, side *s) {
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
int qty_followed_by_name(const cursor *c, const char *p) {
  if (!letter_at(c, p))
    return 0;
  side s = {0};
  if (kind_suffix(c, p, &s) != p || qty_unit_suffix(c, p, &s) != p)
    return 0;
  return 1;
}

/* Skips a name's alphanumeric run. */
const char *qty_skip_name(const cursor *c, const char *p) {
  size_t n;
  for (;;) {
    if (p < c->end && (ascii_letter((unsigned char)*p) || *p == '.' ||
                       *p == '-' || *p == '_'))
      p++;
    else if (qty_digit_at(c, p, &n) >= 0)
      p += n;
    else
      break;
  }
  return p;
}

int qty_is_number_start(const cursor *c, const char *p) {
  size_t n;
  return qty_digit_at(c, p, &n) >= 0 || qty_cn_digit_at(c, p, &n) >= 0 ||
         qty_cn_multiplier_at(c, p, &n) || qty_vague_digit_at(c, p);
}

/* 2026-04-24, 2026-04 and 13:23 are dates and times: their length, or 0. */
size_t qty_date_or_time_at(const cursor *c, const char *p) {
  const char *q = p;
  size_t n;
  int digits = 0;
  while (q < c->end && qty_digit_at(c, q, &n) >= 0 && n == 1)
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

int qty_cjk_date_after(const cursor *c, const char *p) {
  return at(c, p, "年") || at(c, p, "月") || at(c, p, "日") || at(c, p, "号");
}

/* Reads one side of a quantity: numeral, percent-like suffix, unit. */
const char *qty_read_side(const cursor *c, const char *p, side *s) {
  memset(s, 0, sizeof *s);
  int percent_prefix = 0;
  size_t n;
  if ((n = at(c, p, "百分之"))) {
    percent_prefix = 1;
    p += n;
  }
  const char *q = qty_number_phrase(c, p, &s->ph);
  if (!q)
    return NULL;
  s->numeral_end = q;
  if (percent_prefix)
    s->kind = K_PERCENT;
  else
    q = kind_suffix(c, q, s);
  return qty_unit_suffix(c, q, s);
}

/* The power of ten a kind scales by: 15% is 0.15, 两成 is 0.2. */
int qty_kind_exp(enum kind k) {
  return k == K_PERCENT || k == K_PP || k == K_CENTS ? -2
         : k == K_BP                                 ? -4
         : k == K_TENTHS             ? -1
                                     : 0;
}

dec qty_side_value(const side *s) {
  return dec_scale(s->ph.value, qty_kind_exp(s->kind));
}

dec qty_side_value_hi(const side *s) {
  return dec_scale(s->ph.value_hi, qty_kind_exp(s->kind));
}

const char *qty_kind_unit(enum kind k) {
  return k == K_PERCENT || k == K_TENTHS ? "%"
         : k == K_PP                     ? "pp"
         : k == K_BP                     ? "bp"
         : k == K_TIMES                  ? "x"
         : k == K_CENTS                  ? "USD" /* 5 cents: $0.05 */
                                         : NULL;
}

/* ---- signs, codes, years and dates ---------------------------------------- */

/* A minus of the number's own right before p (负, 负的, minus, −, -): the
   length it takes, spaces included, or 0.  正负 and +/- are "plus or
   minus". */
size_t qty_sign_before(const cursor *c, const char *p) {
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
  /* a dash after a letter or a digit joins words or is a range; +/- is
     plus or minus */
  if (p > c->begin && p[-1] == '-' &&
      (p - 1 == c->begin || (!ascii_letter((unsigned char)p[-2]) &&
                             !(p[-2] >= '0' && p[-2] <= '9'))) &&
      !before(c, p - 1, "+/"))
    return 1;
  return 0;
}

/* The same words after a range's separator: 负10至负12亿元.  A dash counts
   only where the separator was not one. */
size_t qty_sign_at(const cursor *c, const char *p, int dash) {
  size_t n;
  if ((n = at(c, p, "负的")) || (n = at(c, p, "负")) || (n = at(c, p, "−")))
    return n;
  if ((n = word_at(c, p, "minus")) || (n = word_at(c, p, "negative")))
    return skip_spaces(c, p + n) - p;
  return dash && at(c, p, "-") ? 1 : 0;
}

/* A currency symbol at p, as a range's second bound may repeat it
   ($0.70 to $0.80): its length, with *unit. */
size_t qty_currency_symbol_at(const cursor *c, const char *p,
                              const char **unit) {
  for (size_t i = 0; i < qty_n_currency_prefixes; i++) {
    const char *t = qty_currency_prefixes[i].text;
    size_t n;
    if (ascii_letter((unsigned char)t[0]) && !strchr(t, '$'))
      continue; /* codes are words: USD 3 to 5 */
    if ((n = at(c, p, t))) {
      *unit = qty_currency_prefixes[i].unit;
      return n;
    }
  }
  return 0;
}

/* The numeral at [p, e) is plain ASCII digits: their count, else 0. */
int qty_digit_count(const char *p, const char *e) {
  for (const char *q = p; q < e; q++)
    if (*q < '0' || *q > '9')
      return 0;
  return (int)(e - p);
}

/* The value of the ASCII digits [p, e), at most nine of them. */
long qty_digits_value(const char *p, const char *e) {
  long v = 0;
  for (; p < e && e - p <= 9; p++)
    v = v * 10 + (*p - '0');
  return v;
}

/* Four digits from 1900 to 2100: perhaps a year. */
int qty_year_like(const char *p, const char *e) {
  long y = qty_digit_count(p, e) == 4 ? qty_digits_value(p, e) : 0;
  return y >= 1900 && y <= 2100;
}

/* A size or length that names a thing, at p: 12英寸 (wafers), 5nm, 3纳米. */
size_t qty_size_after(const cursor *c, const char *p) {
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

/* A year in a name: fiscal 2025, FY 2025, FY '22, Q3 2025, 1H 2024, Q4'25. */
static int year_in_name(const cursor *c, const char *p, const char *e) {
  static const char *const words[] = {"fiscal", "Fiscal", "fiscal year",
                                      "Fiscal year", "FY", "CY"};
  size_t n;
  int digits = qty_digit_count(p, e), short_year = 0;
  if (digits == 2 && ((n = before(c, p, "'")) || (n = before(c, p, "’"))))
    p -= n, short_year = 1;
  else if (!qty_year_like(p, e))
    return 0;
  const char *l = spaces_back(c, p);
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (word_before(c, l, words[i]))
      return 1;
  /* Q3 2025, 3Q 2025, H1 2025, 1H 2025, Q4 '25 */
  if (l - c->begin >= 2 && (l - 2 == c->begin || !ascii_letter((unsigned char)l[-3]))) {
    char a = l[-2], b = l[-1];
    if (((a == 'Q' || a == 'H') && b >= '1' && b <= '4') ||
        ((b == 'Q' || b == 'H') && a >= '1' && a <= '4'))
      return digits == 4 || short_year;
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
  int digits = qty_digit_count(p, e);
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
  if (!qty_year_like(p, e))
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
const char *qty_not_a_figure(const cursor *c, const char *p, const char *e,
                             const side *s) {
  size_t n;
  const char *q;
  if (s->kind != K_PLAIN || s->unit || s->ph.big_unit)
    return NULL;
  if ((n = qty_size_after(c, e)) || (n = name_or_span_after(c, e)))
    return e + n;
  if (festival_before(c, p) || product_of(c, p, e))
    return e;
  /* 十三五, 十五五: a digit the numeral cannot take makes it a name */
  if (s->ph.cn_chars && !s->ph.arabic && qty_cn_digit_at(c, e, &n) >= 0)
    return e + n;
  int digits = qty_digit_count(p, e);
  if (digits >= 4 && digits <= 6 &&
      (exchange_after(c, e) || code_in_parentheses(c, p, e) || *p == '0'))
    return qty_skip_name(c, e);
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

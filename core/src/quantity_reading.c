/*
** quantity_reading.c -- one quantity: a number read with its range, list,
** qualifiers, direction and currency, and its bounds filled in.  A part of
** the quantity parser (quantity_parts.h).
*/
#include "quantity_parts.h"

#include <math.h>

/* ---- one quantity --------------------------------------------------------- */

/* The words a reading looks for around its number. */

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
    {"over", 1, Q_OVER},            {"exactly", 1, Q_EXACT},
    {"差不多", 0, Q_APPROX},
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
    {"at least", 1, Q_OVER},        {"at most", 1, Q_UNDER},
    {"up to", 1, Q_UNDER},          {"as much as", 1, Q_UNDER},
    {"as many as", 1, Q_UNDER},     {"至少", 0, Q_OVER},
    {"最少", 0, Q_OVER},            {"最多", 0, Q_UNDER},
    {"至多", 0, Q_UNDER},
    {"circa", 1, Q_APPROX},         {"approx.", 1, Q_APPROX},
    {"approx", 1, Q_APPROX},        {"c.", 1, Q_APPROX},
    {"in excess of", 1, Q_OVER},    {"north of", 1, Q_OVER},
    {"south of", 1, Q_UNDER},
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
    {"以下", Q_UNDER},  {"以内", Q_UNDER},  {"附近", Q_APPROX},
    {"开外", Q_OVER},
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
    {"growing", 1, 1},    {"lost", 1, -1},       {"lose", 1, -1},
    {"losing", 1, -1},    {"slipped", 1, -1},    {"slid", 1, -1},
    {"dipped", 1, -1},    {"plunged", 1, -1},    {"tumbled", 1, -1},
    {"slumped", 1, -1},   {"shrank", 1, -1},     {"contracted", 1, -1},
    {"reduced", 1, -1},   {"lowered", 1, -1},    {"cut", 1, -1},
    {"降低", 0, -1},      {"调低", 0, -1},     {"提高", 0, 1},
    {"调高", 0, 1},       {"下调", 0, -1},     {"上调", 0, 1},
    {"下修", 0, -1},      {"上修", 0, 1},      {"骤降", 0, -1},
    {"下跌", 0, -1}, {"下降", 0, -1}, {"下滑", 0, -1}, {"减少", 0, -1},
    {"回落", 0, -1}, {"上涨", 0, 1},  {"增长", 0, 1},  {"提升", 0, 1},
    {"上升", 0, 1},  {"增加", 0, 1},  {"跌", 0, -1},   {"涨", 0, 1},
    {"降", 0, -1},   {"减", 0, -1},   {"增", 0, 1},
};


/* $3.5m, €3.5m, RMB3.5m: right after a currency, m is million (alone, 5m
   is a length).  The side's end. */
static const char *currency_million(const cursor *c, const char *p,
                                    const char *end, side *a) {
  size_t n = word_at(c, end, "m");
  if (!n || a->ph.big_unit || a->kind != K_PLAIN || a->unit)
    return end;
  for (size_t i = 0; i < qty_n_currency_prefixes; i++) {
    size_t len = before(c, p, qty_currency_prefixes[i].text);
    if (len && !letter_before(c, p - len)) {
      qty_scale_phrase(&a->ph, 6);
      return end + n;
    }
  }
  return end;
}

/* Side A, and what makes it no figure at all: a date, a name, a code. */
static int read_first(const cursor *c, const char *p, reading *r) {
  const char *end = qty_read_side(c, p, &r->a), *q;
  if (!end) {
    r->resume = p + utf8_char_len(c, p);
    return 0;
  }
  end = currency_million(c, p, end, &r->a);
  r->start = r->left = p;
  r->end = r->resume = end;
  if (r->a.kind == K_PLAIN && !r->a.unit && qty_cjk_date_after(c, end))
    return 0; /* 2026年, 3月, 24号: a date */
  /* 30倍PE, 15x P/E: the multiple's name belongs to the metric */
  if (r->a.kind != K_TIMES && qty_followed_by_name(c, end)) {
    r->resume = qty_skip_name(c, end);
    return 0;
  }
  if ((q = qty_not_a_figure(c, p, r->a.numeral_end, &r->a))) {
    r->resume = q;
    return 0;
  }
  return 1;
}

/* Years in a range: 2025-2026, 2025-26. */
static int year_range(const char *a, const char *ae, const char *b,
                      const char *be) {
  if (!qty_year_like(a, ae) || !qty_digit_count(b, be))
    return 0;
  long y = qty_digits_value(a, ae), z = qty_digits_value(b, be);
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
  for (size_t i = 0; i < qty_n_currency_prefixes;
       i++)
    if (strchr(qty_currency_prefixes[i].text, '$') &&
        (n = before(c, pre, qty_currency_prefixes[i].text))) {
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
  if ((n = qty_sign_at(c, s2, *s != '-'))) {
    r->sign_b = -1;
    s2 += n;
  }
  n = 0;
  s2 += qty_currency_symbol_at(c, s2, &r->currency_b);
  side b;
  const char *e2;
  if ((!qty_is_number_start(c, s2) && !at(c, s2, "百分之")) ||
      !(e2 = qty_read_side(c, s2, &b)))
    return 1;
  if (bounds_clash(r, &b, a_money))
    return 1;
  int plain = r->a.kind == K_PLAIN && !r->a.unit && b.kind == K_PLAIN &&
              !b.unit && !r->currency_b;
  if (plain && (qty_cjk_date_after(c, e2) || (n = qty_size_after(c, e2)) ||
                year_range(r->start, numeral_end, s2, e2))) {
    r->resume = e2 + n; /* 2025-2026年, 3-5月, 5-7nm */
    return 0;
  }
  if (qty_followed_by_name(c, e2))
    return 1;
  if (b.kind == K_PLAIN && !b.unit && qty_cjk_date_after(c, e2))
    return 1;
  r->range = 1;
  r->b = b;
  r->end = e2 + at(c, e2, "之间");
  return 1;
}

/* A list's separator at p: its length, spaces included. */
static size_t list_separator(const cursor *c, const char *p) {
  static const char *const seps[] = {"、", "和", "及", "与", "以及", "/", "／"};
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
   692.85、902.20和1102.74亿元 the first two are in 亿元 too, and so in a
   note's figures year by year, 100/120/150亿元.  A bare number
   followed by a list takes them from the list's first member that has
   any; at most 32 members are looked at. */
static void read_list(const cursor *c, reading *r) {
  side *a = &r->a, m;
  if ((a->ph.big_unit && a->unit) || qty_year_like(r->start, a->numeral_end))
    return; /* a year: in 2024 and 3 billion */
  const char *p = r->end;
  for (int k = 0; k < 32; k++) {
    size_t n = list_separator(c, p);
    const char *to = skip_spaces(c, p);
    if (!n && k == 0 && r->from_to && (n = word_at(c, to, "to")))
      n = (size_t)(skip_spaces(c, to + n) - p); /* from $3.0 to $3.5 billion */
    if (n && r->from_to)
      n += qty_currency_symbol_at(c, p + n, &(const char *){NULL});
    const char *s = p + n, *e;
    if (!n || !qty_is_number_start(c, s) || !(e = qty_read_side(c, s, &m)) ||
        qty_followed_by_name(c, e) || qty_cjk_date_after(c, e) || m.ph.vague ||
        m.ph.paired)
      return;
    if (!m.ph.big_unit && m.kind == K_PLAIN && !m.unit) {
      p = e;
      continue;
    }
    if (!a->ph.big_unit && m.ph.scale_exp && a->kind == K_PLAIN) {
      qty_scale_phrase(&a->ph, m.ph.scale_exp);
      r->shared = 1;
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
      !qty_is_number_start(c, r->end + 1)) {
    r->qual = Q_OVER;
    r->has_qual = 1;
    r->end += n;
  }
  if (!r->a.unit)
    r->end = qty_unit_suffix(c, r->end, &r->a);
}

/* A fall named right after the number: a 5% decrease, 3% lower, 10% below
   plan, a 20 basis point reduction, 14% down.  -1 with r->end moved over
   it, or 0. */
static int fall_after(const cursor *c, reading *r) {
  static const char *const falls[] = {"decrease", "decline", "drop",
                                      "reduction", "contraction", "lower",
                                      "below", "less"};
  const char *q = skip_spaces(c, r->end);
  size_t n;
  if (q - r->end > 1)
    return 0;
  for (size_t i = 0; i < sizeof falls / sizeof falls[0]; i++)
    if ((n = word_at(c, q, falls[i]))) {
      r->end = q + n;
      return -1;
    }
  /* 14% down; a 20% down payment is no fall */
  if ((n = word_at(c, q, "down")) &&
      !word_at(c, skip_spaces(c, q + n), "payment")) {
    r->end = q + n;
    return -1;
  }
  return 0;
}

/* A currency written before the number: a symbol right before it, a code
   perhaps with a space. */
static void read_currency(const cursor *c, reading *r) {
  for (size_t i = 0; i < qty_n_currency_prefixes; i++) {
    const char *t = qty_currency_prefixes[i].text;
    const char *l = ascii_letter((unsigned char)t[0]) && !strchr(t, '$')
                        ? spaces_back(c, r->left)
                        : r->left;
    size_t len = before(c, l, qty_currency_prefixes[i].text);
    if (len && !letter_before(c, l - len)) {
      r->currency = qty_currency_prefixes[i].unit;
      r->left = l - len;
      return;
    }
  }
}

/* Accounting parentheses around an ASCII figure: (1.2), ($0.3 billion),
   and with the currency and the scale outside them: $(12.3) million.  */
static void read_parentheses(const cursor *c, reading *r) {
  size_t n;
  int exp;
  if (!before(c, r->left, "(") || !at(c, r->end, ")"))
    return;
  /* 3.5 billion yuan ($480 million), margin 3.2% (2.9%): a figure in
     parentheses right after another restates or compares it */
  if (c->begin > c->origin && spaces_back(c, r->left - 1) == c->begin)
    return;
  for (const char *q = r->start; q < r->end; q++)
    if ((unsigned char)*q >= 0x80)
      return;
  r->paren = 1;
  r->left--;
  r->end++;
  if (!r->currency)
    read_currency(c, r);
  if (!r->a.ph.big_unit && (n = qty_latin_scale_at(c, r->end, &exp))) {
    qty_scale_phrase(&r->a.ph, exp);
    r->end += n;
  } else if (r->a.kind == K_PLAIN && !r->a.unit && !r->currency &&
             (n = at(c, r->end, "%"))) { /* (3.2)% */
    r->a.kind = K_PERCENT;
    r->end += n;
  }
}

/* 了 and spaces may stand between a word and the number. */
static const char *words_end(const cursor *c, const char *p) {
  size_t n;
  p = spaces_back(c, p);
  if ((n = before(c, p, "了")))
    p = spaces_back(c, p - n);
  return p;
}

/* 不超过, no more than: a bound said with a negation is the other bound
   (不低于5% is at least 5%). */
static void negated(const cursor *c, reading *r) {
  const char *l = spaces_back(c, r->left);
  size_t n;
  if (r->qual != Q_OVER && r->qual != Q_UNDER)
    return;
  if ((n = before(c, r->left, "不")))
    l = r->left;
  else if (!(n = word_before(c, l, "no")) && !(n = word_before(c, l, "not")))
    return;
  r->qual = r->qual == Q_OVER ? Q_UNDER : Q_OVER;
  r->left = l - n;
}

/* A range is its own qualifier: 约5%-8% stays a range, the 约 only passed
   over, so that a direction before it (下降约5%-8%) is read. */
static void read_qualifier(const cursor *c, reading *r) {
  const char *l = words_end(c, r->left);
  size_t n;
  /* 上千亿, 上百万: upwards of a place */
  if (!r->range && (n = before(c, l, "上")) && qty_place_at(c, r->start)) {
    r->qual = Q_OVER;
    r->has_qual = 1;
    r->left = l - n;
    return;
  }
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
    size_t len = prefixes[i].english ? word_before(c, l, prefixes[i].text)
                                     : before(c, l, prefixes[i].text);
    /* 最近 and 附近 are "recent" and "nearby", not "nearly". */
    if (len && strcmp(prefixes[i].text, "近") == 0 &&
        (before(c, l - len, "最") || before(c, l - len, "附")))
      len = 0;
    if (len && r->range) {
      if (prefixes[i].q == Q_APPROX)
        r->left = l - len;
      return;
    }
    if (len) {
      r->qual = prefixes[i].q;
      r->has_qual = 1;
      r->left = l - len;
      negated(c, r);
      return;
    }
  }
}

/* A direction word before the number (跌, fell by, 低 right before it):
   -1 or +1, with *left moved over it; 0 if none. */
int qty_direction_before(const cursor *c, const char *p, const char **left) {
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
      size_t n = directions[i].english ? 0 : before(c, *left, "负");
      *left -= n; /* 负增长5%: growth of minus 5% */
      return n ? -directions[i].sign : directions[i].sign;
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

/* A loss or a fall named a few words before "of" or "by" and an amount or
   a share: unfavorable foreign exchange of $2.7 million, negatively
   impacted by 50 bp, a headwind of 1%, a decline in sales of 3%.  -1 with
   *left moved over it, or 0. */
static int loss_before(const cursor *c, const char *p, const char **left) {
  static const char *const losses[] = {
      "unfavorable", "unfavorably", "negative",  "negatively", "adverse",
      "adversely",   "headwind",    "headwinds", "decline",    "decrease",
      "drop",        "reduction",   "contraction"};
  const char *l = spaces_back(c, p);
  size_t n;
  if (!(n = word_before(c, l, "of")) && !(n = word_before(c, l, "by")))
    return 0;
  l -= n;
  for (int words = 0; words < 4; words++) {
    l = spaces_back(c, l);
    for (size_t i = 0; i < sizeof losses / sizeof losses[0]; i++)
      if ((n = word_before(c, l, losses[i]))) {
        *left = l - n;
        return -1;
      }
    const char *w = l; /* one word back: foreign-exchange, FX, impact */
    while (w > c->begin && (ascii_letter((unsigned char)w[-1]) || w[-1] == '-'))
      w--;
    if (w == l || w == c->begin || w[-1] != ' ')
      return 0;
    l = w;
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
  if ((n = qty_sign_before(c, r->left))) {
    r->sign = -1;
    r->left -= n;
  }
  if (!r->between)
    read_parentheses(c, r);
  read_qualifier(c, r);
  r->direction = qty_direction_before(c, r->left, &r->left);
  if (!r->direction)
    r->direction = fall_after(c, r);
  enum kind k = r->a.kind == K_PLAIN && r->range ? r->b.kind : r->a.kind;
  const char *unit = r->a.unit || !r->range ? r->a.unit : r->b.unit;
  if (!r->direction &&
      (r->currency || qty_money(unit) || k == K_PERCENT || k == K_PP ||
       k == K_BP))
    r->direction = loss_before(c, r->left, &r->left);
}

/* A bare number of six digits, 300750, is a stock code: nothing around it
   makes it a figure. */
static int stock_code(const cursor *c, const reading *r) {
  for (size_t i = 0; i < sizeof measure_words / sizeof measure_words[0]; i++)
    if (at(c, r->a.numeral_end, measure_words[i]))
      return 0; /* 100000辆 */
  return qty_digit_count(r->start, r->a.numeral_end) == 6 && !r->range &&
         !r->has_qual && !r->direction && !r->currency && !r->a.unit &&
         r->a.kind == K_PLAIN && !r->a.ph.big_unit && !r->a.ph.many &&
         r->sign > 0 && !r->paren;
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
  dec va = qty_side_value(&r->a), vb = qty_side_value_hi(&r->b);
  if (!r->a.ph.big_unit && r->b.ph.big_unit)
    va = dec_scale(va, r->b.ph.scale_exp);
  if (r->a.kind == K_PLAIN && r->b.kind != K_PLAIN)
    va = dec_scale(va, qty_kind_exp(r->b.kind));
  if (r->b.kind == K_PLAIN && r->a.kind != K_PLAIN)
    vb = dec_scale(vb, qty_kind_exp(r->a.kind));
  /* -5到5: each bound its own sign; 负10至负12亿: both */
  q->lo = r->sign * dec_double(va);
  q->hi = r->sign_b * dec_double(vb);
  order(&q->lo, &q->hi);
  q->value = r->sign == r->sign_b ? r->sign * midpoint(va, vb)
                                  : q->lo + (q->hi - q->lo) / 2;
  q->qualifier = qty_qualifier_names[Q_RANGE];
}

static void single_bounds(const reading *r, ck_quantity *q) {
  dec va = qty_side_value(&r->a), va_hi = qty_side_value_hi(&r->a);
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
                         : dec_scale(r->a.ph.place, qty_kind_exp(r->a.kind));
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
  q->qualifier = qty_qualifier_names[qual];
}

/* A direction word or accounting parentheses mirror the bounds. */
void qty_mirror(ck_quantity *q) {
  double t = q->lo;
  q->value = -q->value;
  q->lo = -q->hi;
  q->hi = -t + 0.0; /* -0 reads as 0 */
}

static void fill(const cursor *c, const reading *r, ck_quantity *q) {
  const char *unit = qty_kind_unit(r->a.kind);
  if (!unit)
    unit = r->a.unit ? r->a.unit : r->currency;
  if (r->range) {
    if (!unit)
      unit = qty_kind_unit(r->b.kind);
    if (!unit)
      unit = r->b.unit ? r->b.unit : r->currency_b;
    range_bounds(r, q);
  } else {
    single_bounds(r, q);
  }
  if (r->direction < 0 || r->paren) /* down (3.2)%: one fall, written twice */
    qty_mirror(q);
  q->start = (size_t)(r->left - c->begin);
  q->end = (size_t)(r->end - c->begin);
  q->unit = unit ? unit : "";
  q->direction = r->direction;
  q->negative = r->sign < 0 || r->paren;
  q->shared = r->shared;
}

/* Parses the quantity whose numeral starts at p.  Returns 1 with *q filled,
   or 0; *next is where scanning goes on. */
int qty_quantity_at(const cursor *c, const char *p, ck_quantity *q,
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
  if (running_text(&r) || stock_code(c, &r) || qty_names_a_thing(c, &r) ||
      qty_in_a_name(c, &r)) {
    *next = r.a.numeral_end;
    return 0;
  }
  fill(c, &r, q);
  *next = r.end;
  return 1;
}

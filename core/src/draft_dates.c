/*
** draft_dates.c -- the periods and dates a text writes (DESIGN §8):
** 2024年, 三季度, Q4, 3Q23, FY2025, 上半年, 今年, 2023年至2025年, a
** calendar date (11月27日, November 22) that is never a period, and a
** period that is a comparison's base (较2023年).  A part of the draft
** rules (draft_rules_parts.h).
*/
#include "draft_rules_parts.h"

/* ---- periods and dates ----------------------------------------------------- */

/* A number of up to `max` ASCII digits at p: how many, and its value. */
static size_t read_digits(const char *p, const char *end, size_t max, int *v) {
  size_t n = 0;
  *v = 0;
  while (p + n < end && n < max && is_digit((unsigned char)p[n]))
    *v = *v * 10 + (p[n] - '0'), n++;
  if (p + n < end && is_digit((unsigned char)p[n]))
    return 0;
  return n;
}

/* 一 .. 十二 or 1 .. 12 (max): the value and the length. */
static size_t small_number(const char *p, const char *end, int max, int *v) {
  static const char *const zh[] = {"十二", "十一", "十", "一", "二", "两",
                                   "三",   "四",   "五", "六", "七", "八",
                                   "九",   NULL};
  static const int zh_v[] = {12, 11, 10, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9};
  int which;
  size_t n = read_digits(p, end, 2, v);
  if (!n && (n = any_at(p, p, end, zh, &which)))
    *v = zh_v[which];
  return n && *v >= 1 && *v <= max ? n : 0;
}

enum { P_YEAR, P_HALF, P_QUARTER, P_MONTH };

/* A period written without its year: the year of `published` when it
   has begun by then, else the year before; 0 when there is no date. */
static int year_of(const char *published, int kind, int n) {
  if (!published || strlen(published) < 10)
    return 0;
  int y = atoi(published), m = atoi(published + 5);
  int first = kind == P_QUARTER ? 3 * n - 2 : kind == P_HALF ? 6 * n - 5 : 1;
  if (kind == P_MONTH)
    return y; /* 三月份: the year of the call */
  return m >= first ? y : y - 1;
}

static void put_iso(dr_period *h, int year, int kind, int n) {
  if (year <= 0 || year > 9999) {
    h->iso[0] = '\0';
    return;
  }
  switch (kind) {
  case P_YEAR: snprintf(h->iso, sizeof h->iso, "%04d", year); break;
  case P_HALF: snprintf(h->iso, sizeof h->iso, "%04d-H%d", year, n); break;
  case P_QUARTER: snprintf(h->iso, sizeof h->iso, "%04d-Q%d", year, n); break;
  default: snprintf(h->iso, sizeof h->iso, "%04d-%02d", year, n);
  }
}

/* After a month, what makes it the date of an opinion: something written
   or said then (2022年12月的深度报告, 3月发布, 3月表示). */
static const char *const report_words[] = {
    "深度报告", "报告", "研报", "点评", "纪要", "调研", "电话会", "会议",
    "认为", "表示", "指出", "发布", "提到", "称", "report", "note",
    "comment", NULL};

/* After a month: (的|发布的|份的)? then a word for something written, the
   month is when an opinion was given (在2022年12月的深度报告里). */
static int written_after(const char *t, const char *p, const char *end) {
  static const char *const joins[] = {"份的", "发布的", "发表的", "的", "份",
                                      NULL};
  p += any_at(t, p, end, joins, NULL);
  while (p < end && *p == ' ')
    p++;
  return any_at(t, p, end, report_words, NULL) != 0;
}

/* The part of a period after its year (or 今年, or nothing): 三季度,
   Q3, 上半年, H1, 全年, 前三季度, 年末, 3月, 3月27日 (a date). */
typedef struct suffix {
  size_t len;
  int kind, n; /* P_* and its number */
  int day;     /* a date: the day of the month */
  int any;     /* 0: no suffix (the year alone) */
} suffix;

static suffix read_suffix(const char *t, const char *p, const char *end,
                          int after_year) {
  static const char *const cumulative[] = {"前三季度", "前三个季度", NULL};
  static const char *const half[] = {"上半年", "下半年", NULL};
  static const char *const whole[] = {"全年", "年末", "年底", NULL};
  suffix s = {0, P_YEAR, 0, 0, 0};
  const char *q = p + (after_year ? prefix_len(p, end, "的") : 0);
  int v, which;
  size_t n;
  if ((n = any_at(t, q, end, cumulative, NULL)))
    return (suffix){(size_t)(q + n - p), P_QUARTER, 3, 0, 1};
  if ((n = any_at(t, q, end, half, &which))) {
    n += prefix_len(q + n, end, "度");
    return (suffix){(size_t)(q + n - p), P_HALF, which + 1, 0, 1};
  }
  if ((n = any_at(t, q, end, whole, &which))) {
    n += which == 0 ? prefix_len(q + n, end, "度") : 0;
    return (suffix){(size_t)(q + n - p), which ? P_MONTH : P_YEAR,
                    which ? 12 : 0, 0, 1};
  }
  const char *r = q + prefix_len(q, end, "第");
  /* 连续第四个季度, 四个季度: a count of quarters, not a quarter */
  int counted = q - t >= 6 && memcmp(q - 6, "连续", 6) == 0;
  if (!counted && (n = small_number(r, end, 4, &v))) {
    const char *e = r + n;
    size_t ge = prefix_len(e, end, "个");
    if (ge && r == q)
      return s;
    e += ge;
    size_t k = prefix_len(e, end, "季度");
    if (k) {
      e += k;
      if (!(k = prefix_len(e, end, "末")))
        k = prefix_len(e, end, "底");
      return (suffix){(size_t)(e + k - p), P_QUARTER, v, 0, 1};
    }
  }
  if (after_year && (q < end && (*q == 'Q' || *q == 'q')) &&
      (n = read_digits(q + 1, end, 1, &v)) && v >= 1 && v <= 4)
    return (suffix){(size_t)(q + 2 - p), P_QUARTER, v, 0, 1};
  if (after_year && (q < end && (*q == 'H' || *q == 'h')) &&
      (n = read_digits(q + 1, end, 1, &v)) && v >= 1 && v <= 2)
    return (suffix){(size_t)(q + 2 - p), P_HALF, v, 0, 1};
  if (r == q && (n = small_number(q, end, 12, &v)) &&
      prefix_len(q + n, end, "月")) {
    const char *e = q + n + 3;
    int d;
    size_t k = read_digits(e, end, 2, &d);
    if (k && d >= 1 && d <= 31 &&
        (prefix_len(e + k, end, "日") || prefix_len(e + k, end, "号")))
      return (suffix){(size_t)(e + k + 3 - p), P_MONTH, v, d, 1};
    e += prefix_len(e, end, "份");
    return (suffix){(size_t)(e - p), P_MONTH, v, 0, 1};
  }
  return s;
}

/* 今年 去年 明年 前年 后年, and English this/last/next year. */
static size_t relative_year(const char *t, const char *p, const char *end,
                            int *offset) {
  static const char *const words[] = {"今年", "去年", "明年", "前年", "后年",
                                      "this year", "last year", "next year",
                                      "年内", "年內", NULL};
  static const int offsets[] = {0, -1, 1, -2, 2, 0, -1, 1, 0, 0};
  /* 年内 is this year, but 三年内 within three years */
  static const char *const counts[] = {"一", "二", "两", "兩", "三", "四",
                                       "五", "六", "七", "八", "九", "十",
                                       "几", "幾", "半", "数", "數", "多",
                                       "今", "去", "明", NULL};
  int which;
  size_t n = any_at(t, p, end, words, &which);
  if (n && which >= 8) {
    const char *c = char_before(t, p);
    if (c < p && (is_digit((unsigned char)*c) || any_at(t, c, p, counts, NULL)))
      return 0;
  }
  if (n)
    *offset = offsets[which];
  return n;
}

/* A year written 2025 or 25 after FY, ', or Q3: its value. */
static size_t year_digits(const char *p, const char *end, int *year) {
  int v;
  size_t n = read_digits(p, end, 4, &v);
  if (n == 4 && v >= 1900 && v <= 2199) {
    *year = v;
  } else if (n == 2) {
    *year = 2000 + v;
  } else {
    return 0;
  }
  if (p + n < end && is_alpha((unsigned char)p[n]) &&
      !((p[n] == 'E' || p[n] == 'A') &&
        !(p + n + 1 < end && is_alnum((unsigned char)p[n + 1]))))
    return 0;
  return n + (p + n < end && (p[n] == 'E' || p[n] == 'A'));
}

/* After a quarter or half written in English: ( '23| 2023| FY24|23)? */
static size_t year_after(const char *p, const char *end, int *year) {
  const char *q = p;
  static const char *const lead[] = {" fiscal ", " FY", "FY", " of fiscal ",
                                     " of ", " '", "'", " ", NULL};
  for (int i = 0; lead[i]; i++) {
    size_t n = strlen(lead[i]), k;
    if ((size_t)(end - q) > n && ncase_cmp(q, lead[i], n) == 0 &&
        (k = year_digits(q + n + (q[n] == '\''), end, year))) {
      if (i == 7 && k < 4) /* "Q3 25": a bare 25 is no year */
        continue;
      return n + (q[n] == '\'') + k;
    }
  }
  return 0;
}

static const char *const ordinals[] = {"first", "second", "third", "fourth",
                                       NULL};

/* Q3, Q3 2023, Q3'23, Q3 FY24; 3Q23, 2Q 2025; H1, 1H23; FQ3. */
static size_t quarter_code(const char *p, const char *end,
                           const char *published, dr_period *h) {
  int v, year = 0;
  size_t k;
  const char *q = p + ((*p == 'F' || *p == 'f') && p + 1 < end &&
                       (p[1] == 'Q' || p[1] == 'q'));
  for (int form = 0; form < 2; form++) {
    char letter = form == 0 ? 'q' : 'h';
    int max = form == 0 ? 4 : 2, kind = form == 0 ? P_QUARTER : P_HALF;
    const char *e = NULL;
    if ((*q | 32) == letter && q + 1 < end && is_digit((unsigned char)q[1]) &&
        (v = q[1] - '0') >= 1 && v <= max &&
        !(q + 2 < end && is_digit((unsigned char)q[2])))
      e = q + 2;
    else if (is_digit((unsigned char)*q) && (v = *q - '0') >= 1 && v <= max &&
             q + 1 < end && (q[1] | 32) == letter)
      e = q + 2;
    if (!e)
      continue;
    if (e[-1] == letter || e[-1] == (letter & ~32)) { /* 3Q23, 3QFY24 */
      const char *f = e;
      if (f + 1 < end && (f[0] | 32) == 'f' && (f[1] | 32) == 'y')
        f += 2;
      if ((k = year_digits(f, end, &year)))
        e = f + k;
      else if ((k = year_after(e, end, &year))) /* 2Q 2025 */
        e += k;
    } else if ((k = year_after(e, end, &year))) {
      e += k;
    }
    if (e < end && is_alnum((unsigned char)*e))
      continue;
    put_iso(h, year ? year : year_of(published, kind, v), kind, v);
    return (size_t)(e - p);
  }
  return 0;
}

/* FY2025, FY25, FY '23, fiscal 2025, fiscal year 2025, and a part of one:
   fiscal 2025 third quarter, FY24 Q3, FY2024 H2. */
static size_t fiscal_year(const char *t, const char *p, const char *end,
                          dr_period *h) {
  static const char *const fiscal[] = {"fiscal year ", "fiscal ", NULL};
  int year, part, which;
  size_t k, m;
  const char *e = p + any_at(t, p, end, fiscal, NULL);
  if (e == p && end - p > 2 && (p[0] | 32) == 'f' && (p[1] | 32) == 'y')
    e = p + 2 + (p[2] == ' ');
  if (e == p)
    return 0;
  e += e < end && *e == '\'';
  if (!(k = year_digits(e, end, &year)) ||
      (e + k < end && is_alnum((unsigned char)e[k])))
    return 0;
  const char *f = e + k;
  if (f + 2 < end && *f == ' ' && ((f[1] | 32) == 'q' || (f[1] | 32) == 'h') &&
      read_digits(f + 2, end, 1, &part) && part >= 1 &&
      part <= ((f[1] | 32) == 'q' ? 4 : 2) &&
      !(f + 3 < end && is_alnum((unsigned char)f[3]))) {
    put_iso(h, year, (f[1] | 32) == 'q' ? P_QUARTER : P_HALF, part);
    return (size_t)(f + 3 - p);
  }
  if (f + 1 < end && *f == ' ' &&
      (m = any_at(t, f + 1, end, ordinals, &which)) && f + 1 + m < end &&
      f[1 + m] == ' ' && word_at(t, f + 2 + m, end, "quarter")) {
    put_iso(h, year, P_QUARTER, which + 1);
    return (size_t)(f + 2 + m + 7 - p);
  }
  put_iso(h, year, P_YEAR, 0);
  return (size_t)(f - p);
}

/* 2024Q3, 24Q3, 2024H1, 2025 Q3. */
static size_t year_code(const char *p, const char *end, dr_period *h) {
  int v, part;
  size_t k = read_digits(p, end, 4, &v);
  if (k != 4 && k != 2)
    return 0;
  int y = k == 4 ? v : 2000 + v;
  size_t space = k == 4 && p + k < end && p[k] == ' ';
  p += space;
  char letter = p + k < end ? p[k] | 32 : 0;
  if (!(p + k + 1 < end && (letter == 'q' || letter == 'h') &&
        read_digits(p + k + 1, end, 1, &part) && part >= 1 &&
        part <= (letter == 'q' ? 4 : 2) && y >= 1990 &&
        !(p + k + 2 < end && is_alnum((unsigned char)p[k + 2]))))
    return 0;
  put_iso(h, y, letter == 'q' ? P_QUARTER : P_HALF, part);
  return space + k + 2;
}

/* The third quarter (of 2023), second-half, the first nine months, full
   year, year to date (the quarter it ends: the last ended by published). */
static size_t period_words(const char *t, const char *p, const char *end,
                           const char *published, dr_period *h) {
  static const char *const what[] = {" quarter", "-quarter", " half", "-half",
                                     NULL};
  static const char *const cumulative[] = {"first nine months",
                                           "first three quarters", NULL};
  static const char *const full[] = {"full year", "full-year", NULL};
  static const char *const ytd[] = {"year to date", "year-to-date", "ytd",
                                    NULL};
  int year = 0, which, w;
  size_t n, k;
  const char *e;
  if ((n = any_at(t, p, end, ordinals, &which)) &&
      (k = any_at(t, p + n, end, what, &w)) && (w < 2 || which < 2) &&
      !(p + n + k < end && is_alnum((unsigned char)p[n + k]))) {
    e = p + n + k;
    int kind = w < 2 ? P_QUARTER : P_HALF;
    e += year_after(e, end, &year);
    put_iso(h, year ? year : year_of(published, kind, which + 1), kind,
            which + 1);
    return (size_t)(e - p);
  }
  if ((n = any_at(t, p, end, cumulative, NULL))) {
    e = p + n + year_after(p + n, end, &year);
    put_iso(h, year ? year : year_of(published, P_QUARTER, 3), P_QUARTER, 3);
    return (size_t)(e - p);
  }
  if ((n = any_at(t, p, end, full, NULL))) {
    e = p + n + year_after(p + n, end, &year);
    put_iso(h, year ? year : year_of(published, P_YEAR, 0), P_YEAR, 0);
    return (size_t)(e - p);
  }
  if ((n = any_at(t, p, end, ytd, NULL))) {
    h->iso[0] = '\0';
    if (published && strlen(published) >= 10) {
      int y = atoi(published), m = atoi(published + 5), qn = (m - 1) / 3;
      put_iso(h, qn ? y : y - 1, P_QUARTER, qn ? qn : 4);
    }
    return n;
  }
  return 0;
}

/* English forms at p; 0 when none. */
static size_t english_period(const char *t, const char *p, const char *end,
                             const char *published, dr_period *h) {
  size_t n;
  if (p > t && is_alnum((unsigned char)p[-1]))
    return 0;
  if ((n = quarter_code(p, end, published, h)) ||
      (n = fiscal_year(t, p, end, h)) || (n = year_code(p, end, h)))
    return n;
  return period_words(t, p, end, published, h);
}

static const char *const months_en[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
    NULL};

/* November 22(, 2022) is a date; March 2024 a month, or a date when a
   note of it is meant; March alone a month of the call's year. */
static const char *const months_short[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
    "Nov", "Dec", NULL};

/* A date at h: day d of month m of `year` (0: the year of published). */
static void put_date(dr_period *h, int year, int m, int d,
                     const char *published) {
  h->date = 1;
  if (!year)
    year = year_of(published, P_MONTH, m);
  if (year)
    snprintf(h->iso, sizeof h->iso, "%04d-%02d-%02d", year, m, d);
  if (!year || !date_valid(h->iso))
    h->iso[0] = '\0';
}

/* The month name at p (November, Nov., Nov): its number and length; a
   short one only before a day or a year. */
static size_t month_name(const char *t, const char *p, const char *end,
                         int *m, int *whole) {
  size_t n = any_at(t, p, end, months_en, m);
  *whole = n != 0;
  if (!n && (n = any_at(t, p, end, months_short, m)) == 0 &&
      (size_t)(end - p) > 4 && ncase_cmp(p, "Sept", 4) == 0)
    n = 4, *m = 8;
  if (!n || !is_upper((unsigned char)*p))
    return 0;
  if (!*whole && p + n < end && p[n] == '.')
    n++;
  (*m)++;
  return n;
}

/* November 22(, 2022), Nov. 22, 22 November 2022 are dates; March 2024 a
   month, or a date when a note of it is meant; March alone a month of the
   call's year. */
static size_t english_month(const char *t, const char *p, const char *end,
                            const char *published, dr_period *h) {
  int m, d, year = 0, whole;
  size_t k, n;
  /* 22 November 2022 */
  if ((k = read_digits(p, end, 2, &d)) && d >= 1 && d <= 31 &&
      p + k + 1 < end && p[k] == ' ' &&
      (n = month_name(t, p + k + 1, end, &m, &whole))) {
    const char *e = p + k + 1 + n;
    if (e + 5 <= end && *e == ' ' && read_digits(e + 1, end, 4, &year) == 4)
      e += 5;
    else
      year = 0;
    put_date(h, year, m, d, published);
    return (size_t)(e - p);
  }
  if (!(n = month_name(t, p, end, &m, &whole)))
    return 0;
  const char *e = p + n;
  if (e + 1 < end && *e == ' ' && (k = read_digits(e + 1, end, 2, &d)) &&
      d >= 1 && d <= 31 &&
      !(e + 1 + k < end && is_alpha((unsigned char)e[1 + k]) &&
        e[1 + k] != 's' && e[1 + k] != 'n' && e[1 + k] != 'r' &&
        e[1 + k] != 't')) {
    e += 1 + k;
    while (e < end && is_alpha((unsigned char)*e))
      e++; /* 22nd */
    if (e + 2 < end && *e == ',' && e[1] == ' ' &&
        read_digits(e + 2, end, 4, &year) == 4)
      e += 6;
    else
      year = 0;
    put_date(h, year, m, d, published);
    return (size_t)(e - p);
  }
  if (e + 1 < end && *e == ' ' && read_digits(e + 1, end, 4, &year) == 4 &&
      year >= 1900) {
    e += 5;
  } else if (m == 5 || !whole) {
    return 0; /* "may"; Mar alone */
  } else {
    year = year_of(published, P_MONTH, m);
  }
  put_iso(h, year, P_MONTH, m);
  const char *w = e;
  while (w < end && *w == ' ')
    w++;
  h->date = any_at(t, w, end, report_words, NULL) != 0;
  return (size_t)(e - p);
}

/* 2023-11-27, 2023/11/27, 2023.11.27: a date. */
static size_t numeric_date(const char *p, const char *end, dr_period *h) {
  int y, m, d;
  if (read_digits(p, end, 4, &y) != 4 || p + 4 >= end)
    return 0;
  char sep = p[4];
  if (sep != '-' && sep != '/' && sep != '.')
    return 0;
  const char *e = p + 5;
  size_t k = read_digits(e, end, 2, &m);
  if (!k || e + k >= end || e[k] != sep)
    return 0;
  e += k + 1;
  if (!(k = read_digits(e, end, 2, &d)))
    return 0;
  e += k;
  if (e < end && is_alnum((unsigned char)*e))
    return 0;
  h->date = 1;
  snprintf(h->iso, sizeof h->iso, "%04d-%02d-%02d", y, m, d);
  if (!date_valid(h->iso))
    return 0;
  return (size_t)(e - p);
}

/* A bare year in English text: 2023, 2025E. */
static size_t bare_year(const char *t, const char *p, const char *end,
                        dr_period *h) {
  int year;
  if (p > t && (is_alnum((unsigned char)p[-1]) || p[-1] == '$' ||
                p[-1] == '.' || p[-1] == ','))
    return 0;
  size_t n = read_digits(p, end, 4, &year);
  if (n != 4 || year < 1990 || year > 2099)
    return 0;
  const char *e = p + n;
  if (e < end && (*e == 'E' || *e == 'A'))
    e++;
  if (e < end && (is_alnum((unsigned char)*e) || *e == '%' || *e == '.' ||
                  (*e == ',' && e + 1 < end && is_digit((unsigned char)e[1])) ||
                  ((unsigned char)*e >= 0x80 && !prefix_len(e, end, "，") &&
                   !prefix_len(e, end, "。") && !prefix_len(e, end, "、"))))
    return 0; /* a figure, or 2023年 (read elsewhere) */
  put_iso(h, year, P_YEAR, 0);
  return (size_t)(e - p);
}

/* 2023年至2025年, 2023-2025年, 2023到25年: the first year and how many. */
static size_t year_range(const char *p, const char *end, int *first,
                         int *count) {
  static const char *const joins[] = {"年至", "年到", "年-", "至", "到", "-",
                                      "–", "—", "~", "～", NULL};
  int a, b, which;
  size_t n = read_digits(p, end, 4, &a);
  if (n != 4 || a < 1900)
    return 0;
  const char *e = p + 4;
  size_t k = any_at(p, e, end, joins, &which);
  if (!k)
    return 0;
  e += k;
  n = read_digits(e, end, 4, &b);
  if (n == 2)
    b += a / 100 * 100;
  else if (n != 4)
    return 0;
  if (b <= a || b - a > 20)
    return 0;
  e += n;
  size_t y = prefix_len(e, end, "年");
  if (!y && which < 3)
    return 0;
  if (!y && !(e < end && (*e == 'E' || *e == 'A')))
    return 0; /* 2023-2025 alone: a range of figures as likely */
  e += y ? y : 1;
  *first = a;
  *count = b - a + 1;
  return (size_t)(e - p);
}

/* A Chinese period at p: a year and what follows it, 今年..., or a
   quarter, half, 全年 or month alone. */
static size_t chinese_period(const char *t, const char *p, const char *end,
                             const char *published, dr_period *h) {
  int year = 0, offset, first, count, v;
  size_t n = 0;
  if (!(p > t && is_digit((unsigned char)p[-1])) &&
      (n = numeric_date(p, end, h)))
    return n;
  if ((n = year_range(p, end, &first, &count)) &&
      !(p > t && is_digit((unsigned char)p[-1]))) {
    h->year0 = first;
    h->years = count;
    put_iso(h, first, P_YEAR, 0);
    return n;
  }
  n = 0;
  if (!(p > t && is_digit((unsigned char)p[-1]))) {
    size_t k = read_digits(p, end, 4, &v);
    if (k == 4 && v >= 1900 && ((n = prefix_len(p + 4, end, "年")) ||
                                (n = prefix_len(p + 4, end, "财年"))))
      year = v, n += 4; /* 2024年, 2024财年 */
    else if (k == 2 && prefix_len(p + 2, end, "年"))
      year = 2000 + v, n = 5; /* 23年: only with a part of the year */
  }
  int two_digit = n == 5;
  if (!n && (n = relative_year(t, p, end, &offset))) {
    int y = published && strlen(published) >= 4 ? atoi(published) : 0;
    year = y ? y + offset : -1;
  }
  suffix s = read_suffix(t, p + n, end, n != 0);
  if (two_digit && !s.any)
    return 0;
  if (!n && !s.any)
    return 0;
  if (!n) { /* no year written */
    year = year_of(published, s.kind, s.n);
    if (s.kind == P_YEAR && s.any)
      year = year_of(published, P_YEAR, 0);
  }
  if (s.day) {
    h->date = 1;
    if (year > 0)
      snprintf(h->iso, sizeof h->iso, "%04d-%02d-%02d", year, s.n, s.day);
    if (!date_valid(h->iso))
      h->iso[0] = '\0'; /* 2月30日: a date, but none to give */
    return n + s.len;
  }
  put_iso(h, year, s.kind, s.n);
  if (s.kind == P_MONTH)
    h->date = written_after(t, p + n + s.len, end);
  return n + s.len;
}

/* Words before a period that make it the base of a comparison
   (较2023年增长, than last year): not the figure's own. */
static int base_before(const char *t, const char *p) {
  static const char *const zh[] = {"较", "比", "相比", "相较", "对比", "与",
                                   "相比于", "相较于", NULL};
  static const char *const en[] = {"versus", "vs.", "vs", "compared with",
                                   "compared to", "from", "than", "over",
                                   "against", NULL};
  const char *q = p;
  while (q > t && q[-1] == ' ')
    q--;
  /* compared to the second quarter, than a year earlier */
  static const char *const articles[] = {"the", "a", "its", "their", NULL};
  for (int i = 0; articles[i]; i++) {
    size_t n = strlen(articles[i]);
    if ((size_t)(q - t) > n && ncase_cmp(q - n, articles[i], n) == 0 &&
        q[-(long)n - 1] == ' ' && q < p) {
      q -= n;
      while (q > t && q[-1] == ' ')
        q--;
      break;
    }
  }
  for (int i = 0; zh[i]; i++) {
    size_t n = strlen(zh[i]);
    if ((size_t)(q - t) >= n && memcmp(q - n, zh[i], n) == 0)
      return 1;
  }
  for (int i = 0; en[i]; i++) {
    size_t n = strlen(en[i]);
    if ((size_t)(q - t) >= n && ncase_cmp(q - n, en[i], n) == 0 &&
        ((size_t)(q - t) == n || !is_alnum((unsigned char)q[-(long)n - 1])))
      return 1;
  }
  return 0;
}

int draft_periods(const char *t, size_t len, const char *published,
                  dr_period **out, size_t *count) {
  const char *end = t + len;
  size_t n = 0, cap = 0;
  dr_period *list = NULL;
  *out = NULL;
  *count = 0;
  for (const char *p = t; p < end;) {
    dr_period h;
    memset(&h, 0, sizeof h);
    h.years = 1;
    size_t k = chinese_period(t, p, end, published, &h);
    if (!k && is_alnum((unsigned char)*p)) {
      memset(&h, 0, sizeof h);
      h.years = 1;
      if (!(k = english_period(t, p, end, published, &h)) &&
          !(k = english_month(t, p, end, published, &h)))
        k = bare_year(t, p, end, &h);
    }
    if (!k) {
      p++;
      while (p < end && ((unsigned char)*p & 0xc0) == 0x80)
        p++;
      if (p > t && is_alnum((unsigned char)p[-1]))
        while (p < end && is_alnum((unsigned char)*p))
          p++; /* the rest of an ASCII word */
      continue;
    }
    h.start = (size_t)(p - t);
    h.end = h.start + k;
    h.base = base_before(t, p);
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      dr_period *grown = realloc(list, cap * sizeof *grown);
      if (!grown) {
        free(list);
        return -1;
      }
      list = grown;
    }
    list[n++] = h;
    p += k;
  }
  *out = list;
  *count = n;
  return 0;
}

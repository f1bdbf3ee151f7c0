/*
** periods.c -- dates and reporting periods.  Pure functions, no SQL.
**
** A period is one of YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-Www (ISO week)
** or YYYY-MM-DD, and is ordered by its last day.  Research notes write
** periods in Chinese (2026年3月, 2025年下半年, 2026年第一季度, 2025年年末); they
** are normalised to the ISO forms on import.
*/
#include "internal.h"
#include "periods.h"

#include <stdio.h>
#include <string.h>

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ISO weekday, Monday = 1 .. Sunday = 7. */
static int weekday(long days) { return (int)(((days % 7) + 10) % 7) + 1; }

static int iso_weeks(int y) {
  int jan1 = weekday(days_from_civil(y, 1, 1));
  return jan1 == 4 || (is_leap(y) && jan1 == 3) ? 53 : 52;
}

/* Reads exactly n ASCII digits. */
static int digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*p)[i];
    if (c < '0' || c > '9')
      return 0;
    v = v * 10 + (c - '0');
  }
  *p += n;
  *out = v;
  return 1;
}

static int eat(const char **p, const char *lit) {
  size_t n = strlen(lit);
  if (strncmp(*p, lit, n) != 0)
    return 0;
  *p += n;
  return 1;
}

int date_valid(const char *s) {
  int y, m, d;
  const char *p = s;
  if (!digits(&p, 4, &y) || !eat(&p, "-") || !digits(&p, 2, &m) ||
      !eat(&p, "-") || !digits(&p, 2, &d) || *p)
    return 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* A small number written 1..2 ASCII digits or in Chinese (一 .. 九十九). */
static int small_number(const char **p) {
  static const char *const cn[] = {"零", "一", "二", "三", "四",
                                   "五", "六", "七", "八", "九"};
  const char *q = *p;
  if (*q >= '0' && *q <= '9') {
    int v = *q++ - '0';
    if (*q >= '0' && *q <= '9')
      v = v * 10 + (*q++ - '0');
    *p = q;
    return v;
  }
  int tens = -1, units = -1;
  for (int i = 1; i <= 9; i++)
    if (eat(&q, cn[i])) {
      units = i;
      break;
    }
  if (eat(&q, "十")) {
    tens = units < 0 ? 1 : units;
    units = 0;
    for (int i = 1; i <= 9; i++)
      if (eat(&q, cn[i])) {
        units = i;
        break;
      }
  }
  if (units < 0)
    return -1;
  *p = q;
  return (tens < 0 ? 0 : tens * 10) + units;
}

static int period_iso(int y, const char *p, char out[CK_PERIOD_MAX]) {
  int a, b;
  if (!*p) {
    snprintf(out, CK_PERIOD_MAX, "%04d", y);
    return 0;
  }
  if (*p++ != '-')
    return -1;
  char kind = *p;
  if (kind == 'H' || kind == 'h' || kind == 'Q' || kind == 'q') {
    p++;
    int max = (kind == 'H' || kind == 'h') ? 2 : 4;
    if (!digits(&p, 1, &a) || *p || a < 1 || a > max)
      return -1;
    snprintf(out, CK_PERIOD_MAX, "%04d-%c%d", y, max == 2 ? 'H' : 'Q', a);
    return 0;
  }
  if (kind == 'W' || kind == 'w') {
    p++;
    if (!digits(&p, 2, &a) || *p || a < 1 || a > iso_weeks(y))
      return -1;
    snprintf(out, CK_PERIOD_MAX, "%04d-W%02d", y, a);
    return 0;
  }
  if (!digits(&p, 2, &a) || a < 1 || a > 12)
    return -1;
  if (!*p) {
    snprintf(out, CK_PERIOD_MAX, "%04d-%02d", y, a);
    return 0;
  }
  if (!eat(&p, "-") || !digits(&p, 2, &b) || *p || b < 1 ||
      b > month_days(y, a))
    return -1;
  snprintf(out, CK_PERIOD_MAX, "%04d-%02d-%02d", y, a, b);
  return 0;
}

static int period_chinese(int y, const char *p, char out[CK_PERIOD_MAX]) {
  int n;
  if (!*p || eat(&p, "全年")) {
    if (*p)
      return -1;
    snprintf(out, CK_PERIOD_MAX, "%04d", y);
    return 0;
  }
  int half = eat(&p, "上半年") ? 1 : eat(&p, "下半年") ? 2 : 0;
  if (half) {
    if (*p)
      return -1;
    snprintf(out, CK_PERIOD_MAX, "%04d-H%d", y, half);
    return 0;
  }
  if (eat(&p, "年末") || eat(&p, "年底") || eat(&p, "末") || eat(&p, "底")) {
    if (*p)
      return -1;
    snprintf(out, CK_PERIOD_MAX, "%04d-12", y);
    return 0;
  }
  if (eat(&p, "年初") || eat(&p, "初")) {
    if (*p)
      return -1;
    snprintf(out, CK_PERIOD_MAX, "%04d-01", y);
    return 0;
  }
  int ordinal = eat(&p, "第");
  if ((n = small_number(&p)) < 0)
    return -1;
  if (eat(&p, "季度")) {
    if (*p || n < 1 || n > 4)
      return -1;
    snprintf(out, CK_PERIOD_MAX, "%04d-Q%d", y, n);
    return 0;
  }
  if (ordinal || !eat(&p, "月") || n < 1 || n > 12)
    return -1;
  int m = n;
  eat(&p, "份");
  if (!*p) {
    snprintf(out, CK_PERIOD_MAX, "%04d-%02d", y, m);
    return 0;
  }
  if ((n = small_number(&p)) < 1 || n > month_days(y, m) ||
      !(eat(&p, "日") || eat(&p, "号")) || *p)
    return -1;
  snprintf(out, CK_PERIOD_MAX, "%04d-%02d-%02d", y, m, n);
  return 0;
}

/* A year of four digits, or of two meaning 20YY (FY24, 3Q23). */
static int short_or_long_year(const char **p, int *y) {
  if (digits(p, 4, y))
    return 1;
  if (!digits(p, 2, y))
    return 0;
  if (**p >= '0' && **p <= '9') /* three digits: not a year */
    return 0;
  *y += 2000;
  return 1;
}

static int quarter_or_half(char letter, int n, int y, char out[CK_PERIOD_MAX]) {
  int max = letter == 'Q' ? 4 : 2;
  if (n < 1 || n > max)
    return -1;
  snprintf(out, CK_PERIOD_MAX, "%04d-%c%d", y, letter, n);
  return 0;
}

static char upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }

/* The forms analysts type: 3Q23 1H24 (number, letter, year), Q3 2023
   Q3-23 H1 2024 (letter, number, year), 2023Q3 2023 Q3 (year, letter,
   number), FY2024 FY24 FY '24 (a fiscal year taken as the calendar year). */
static int period_analyst(const char *p, char out[CK_PERIOD_MAX]) {
  int n = 0, y;
  if (upper(p[0]) == 'F' && upper(p[1]) == 'Y') {
    p += 2;
    eat(&p, " ");
    eat(&p, "'");
    if (!short_or_long_year(&p, &y) || *p)
      return -1;
    snprintf(out, CK_PERIOD_MAX, "%04d", y);
    return 0;
  }
  int number_first = digits(&p, 1, &n); /* 3Q23, else Q3 2023 */
  if (!*p)
    return -1;
  char letter = upper(*p++);
  if (number_first) {
    eat(&p, " ");
  } else {
    if (!digits(&p, 1, &n))
      return -1;
    if (!eat(&p, " ") && !eat(&p, "-"))
      eat(&p, "'");
  }
  if ((letter != 'Q' && letter != 'H') || !short_or_long_year(&p, &y) || *p)
    return -1;
  return quarter_or_half(letter, n, y, out);
}

int period_normalise(const char *s, char out[CK_PERIOD_MAX]) {
  int y;
  const char *p = s;
  if (!digits(&p, 4, &y))
    return period_analyst(s, out);
  if (digits(&p, 1, &y)) /* five digits: not a year */
    return -1;
  const char *q = p + (*p == ' '); /* 2023Q3, 2023 Q3 */
  char letter = upper(*q);
  if (letter == 'Q' || letter == 'H') {
    int n;
    q++;
    return digits(&q, 1, &n) && !*q ? quarter_or_half(letter, n, y, out) : -1;
  }
  if (eat(&p, "年"))
    return period_chinese(y, p, out);
  return period_iso(y, p, out);
}

static void write_date(char out[11], int y, int m, int d) {
  char buf[48];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  memcpy(out, buf, 10);
  out[10] = '\0';
}

int period_end(const char *iso, char out[11]) {
  char norm[CK_PERIOD_MAX];
  if (period_normalise(iso, norm) != 0 || strcmp(norm, iso) != 0)
    return -1;
  int y = 0, a = 0, m = 12, d;
  sscanf(iso, "%4d", &y);
  const char *rest = iso + 4;
  if (rest[0] == '-' && rest[1] == 'H') {
    m = (rest[2] - '0') * 6;
  } else if (rest[0] == '-' && rest[1] == 'Q') {
    m = (rest[2] - '0') * 3;
  } else if (rest[0] == '-' && rest[1] == 'W') {
    sscanf(rest + 2, "%2d", &a);
    long jan4 = days_from_civil(y, 1, 4);
    long sunday = jan4 - (weekday(jan4) - 1) + 7L * (a - 1) + 6;
    civil_from_days(sunday, &y, &m, &d);
    write_date(out, y, m, d);
    return 0;
  } else if (rest[0] == '-') {
    sscanf(rest + 1, "%2d", &m);
    if (rest[3] == '-') {
      memcpy(out, iso, 10);
      out[10] = '\0';
      return 0;
    }
  }
  write_date(out, y, m, month_days(y, m));
  return 0;
}

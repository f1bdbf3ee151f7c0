/*
** test_quantity.c -- the quantity parser of docs/quantities.md: every row of its
** tables, and a case for every word list and rule.  Values must be the
** correctly rounded double of the decimal the text means.
*/
#include "check.h"
#include "internal.h"
#include "quantity.h"

#include <stdlib.h>

typedef struct want {
  const char *text;
  const char *value, *lo, *hi; /* decimals as strtod reads them; "inf" */
  const char *qualifier, *unit;
} want;

static double num(const char *s) { return strtod(s, NULL); }

/* Checks that `input` holds exactly the quantities `w[0..n)`. */
static void expect(const char *input, const want *w, size_t n, int line) {
  ck_quantity *q;
  size_t got;
  CHECK_INT(quantity_scan(input, strlen(input), 0, &q, &got), 0);
  if (got != n) {
    fprintf(stderr, "  line %d: \"%s\" gave %zu quantities, want %zu:", line,
            input, got, n);
    for (size_t i = 0; i < got; i++)
      fprintf(stderr, " [%.*s]", (int)(q[i].end - q[i].start),
              input + q[i].start);
    fprintf(stderr, "\n");
    check_failures++;
  }
  for (size_t i = 0; i < n && i < got; i++) {
    char text[256];
    snprintf(text, sizeof text, "%.*s", (int)(q[i].end - q[i].start),
             input + q[i].start);
    int ok = strcmp(text, w[i].text) == 0 && q[i].value == num(w[i].value) &&
             q[i].lo == num(w[i].lo) && q[i].hi == num(w[i].hi) &&
             strcmp(q[i].qualifier, w[i].qualifier) == 0 &&
             strcmp(q[i].unit, w[i].unit) == 0;
    if (!ok) {
      fprintf(stderr,
              "  line %d: \"%s\" #%zu is [%s] %.17g %.17g..%.17g %s '%s', "
              "want [%s] %s %s..%s %s '%s'\n",
              line, input, i, text, q[i].value, q[i].lo, q[i].hi,
              q[i].qualifier, q[i].unit, w[i].text, w[i].value, w[i].lo,
              w[i].hi, w[i].qualifier, w[i].unit);
      check_failures++;
    }
  }
  free(q);
}

#define ONE(input, text, v, lo, hi, qual, unit)                                \
  do {                                                                         \
    want w_ = {text, v, lo, hi, qual, unit};                                   \
    expect(input, &w_, 1, __LINE__);                                           \
  } while (0)
#define NONE(input) expect(input, NULL, 0, __LINE__)

TEST(the_design_examples) {
  ONE("20.6万亿", "20.6万亿", "2.06e13", "2.06e13", "2.06e13", "exact", "");
  ONE("超过120万亿", "超过120万亿", "1.2e14", "1.2e14", "inf", "over", "");
  ONE("1.05万亿元人民币", "1.05万亿元人民币", "1.05e12", "1.05e12", "1.05e12",
      "exact", "CNY");
  ONE("两百多亿美元", "两百多亿美元", "2e10", "2e10", "3e10", "over", "USD");
  ONE("2.26亿到3亿3之间", "2.26亿到3亿3之间", "2.78e8", "2.26e8", "3.3e8",
      "range", "");
  ONE("将近480", "将近480", "480", "0", "480", "nearly", "");
  ONE("320左右", "320左右", "320", "320", "320", "approx", "");
  ONE("跌了15%", "跌了15%", "-0.15", "-0.15", "-0.15", "exact", "%");
  ONE("增长了超过40%", "增长了超过40%", "0.4", "0.4", "inf", "over", "%");
  ONE("100万token", "100万token", "1e6", "1e6", "1e6", "exact", "tokens");
  ONE("1M token", "1M token", "1e6", "1e6", "1e6", "exact", "tokens");
  ONE("跌了超过15%", "跌了超过15%", "-0.15", "-inf", "-0.15", "over", "%");
  ONE("几十亿美元", "几十亿美元", "5.5e9", "2e9", "9e9", "vague", "USD");
  ONE("十几亿", "十几亿", "1.5e9", "1.1e9", "1.9e9", "vague", "");
  ONE("二三十亿", "二三十亿", "2.5e9", "2e9", "3e9", "range", "");
  ONE("1.2万亿日元", "1.2万亿日元", "1.2e12", "1.2e12", "1.2e12", "exact",
      "JPY");
  ONE("50万辆左右", "50万辆左右", "5e5", "5e5", "5e5", "approx", "");
  ONE("十万元出头", "十万元出头", "1e5", "1e5", "2e5", "over", "CNY");
}

TEST(values_are_correctly_rounded_decimals) {
  ONE("0.1万", "0.1万", "1000", "1000", "1000", "exact", "");
  ONE("1.1亿", "1.1亿", "1.1e8", "1.1e8", "1.1e8", "exact", "");
  ONE("33.3%", "33.3%", "0.333", "0.333", "0.333", "exact", "%");
  ONE("0.07%", "0.07%", "0.0007", "0.0007", "0.0007", "exact", "%");
  ONE("57.05", "57.05", "57.05", "57.05", "57.05", "exact", "");
  ONE("2.3万亿", "2.3万亿", "2.3e12", "2.3e12", "2.3e12", "exact", "");
  /* midpoint of a range, exact before rounding */
  ONE("0.1到0.2", "0.1到0.2", "0.15", "0.1", "0.2", "range", "");
}

TEST(numerals_ascii_full_width_grouped_and_chinese) {
  ONE("１２３", "１２３", "123", "123", "123", "exact", "");
  ONE("１．５亿", "１．５亿", "1.5e8", "1.5e8", "1.5e8", "exact", "");
  ONE("1,234,567.5", "1,234,567.5", "1234567.5", "1234567.5", "1234567.5",
      "exact", "");
  ONE("十五", "十五", "15", "15", "15", "exact", "");
  ONE("一百二十", "一百二十", "120", "120", "120", "exact", "");
  ONE("八千万", "八千万", "8e7", "8e7", "8e7", "exact", "");
  ONE("两亿三千万", "两亿三千万", "2.3e8", "2.3e8", "2.3e8", "exact", "");
  ONE("1万亿", "1万亿", "1e12", "1e12", "1e12", "exact", "");
  ONE("百万", "百万", "1e6", "1e6", "1e6", "exact", "");
  ONE("五百零三", "五百零三", "503", "503", "503", "exact", "");
  /* a digit after a big unit is a tenth of it */
  ONE("3亿3", "3亿3", "3.3e8", "3.3e8", "3.3e8", "exact", "");
  ONE("1万5", "1万5", "1.5e4", "1.5e4", "1.5e4", "exact", "");
  ONE("1万5千", "1万5千", "1.5e4", "1.5e4", "1.5e4", "exact", "");
}

TEST(latin_suffixes_and_words_scale) {
  /* bn, mn, mln with a space too; m after a currency */
  ONE("$2 bn", "$2 bn", "2e9", "2e9", "2e9", "exact", "USD");
  ONE("RMB 300 mn", "RMB 300 mn", "3e8", "3e8", "3e8", "exact", "CNY");
  ONE("5 mln", "5 mln", "5e6", "5e6", "5e6", "exact", "");
  ONE("€3.5m", "€3.5m", "3.5e6", "3.5e6", "3.5e6", "exact", "EUR");
  ONE("HK$120m", "HK$120m", "1.2e8", "1.2e8", "1.2e8", "exact", "HKD");
  NONE("the 5m sprint");
  ONE("5k", "5k", "5000", "5000", "5000", "exact", "");
  ONE("5K", "5K", "5000", "5000", "5000", "exact", "");
  ONE("2.5bn", "2.5bn", "2.5e9", "2.5e9", "2.5e9", "exact", "");
  ONE("3B", "3B", "3e9", "3e9", "3e9", "exact", "");
  ONE("1.2T", "1.2T", "1.2e12", "1.2e12", "1.2e12", "exact", "");
  ONE("4tn", "4tn", "4e12", "4e12", "4e12", "exact", "");
  ONE("3 thousand", "3 thousand", "3000", "3000", "3000", "exact", "");
  ONE("5 million", "5 million", "5e6", "5e6", "5e6", "exact", "");
  ONE("7 billion", "7 billion", "7e9", "7e9", "7e9", "exact", "");
  ONE("1 trillion tokens", "1 trillion tokens", "1e12", "1e12", "1e12",
      "exact", "tokens");
  ONE("上下文长度是一M", "一M", "1e6", "1e6", "1e6", "exact", "");
}

TEST(percent_points_and_multiples) {
  ONE("百分之十五", "百分之十五", "0.15", "0.15", "0.15", "exact", "%");
  ONE("15％", "15％", "0.15", "0.15", "0.15", "exact", "%");
  ONE("3个百分点", "3个百分点", "0.03", "0.03", "0.03", "exact", "pp");
  ONE("50pp", "50pp", "0.5", "0.5", "0.5", "exact", "pp");
  ONE("5倍", "5倍", "5", "5", "5", "exact", "x");
  ONE("10x", "10x", "10", "10", "10", "exact", "x");
  ONE("约两成", "约两成", "0.2", "0.2", "0.2", "approx", "%");
  /* a digit or 半 after 成 is the hundredths */
  ONE("毛利率约三成五", "约三成五", "0.35", "0.35", "0.35", "approx", "%");
  ONE("七成五的用户", "七成五", "0.75", "0.75", "0.75", "exact", "%");
  ONE("两成半", "两成半", "0.25", "0.25", "0.25", "exact", "%");
  ONE("超过三成五", "超过三成五", "0.35", "0.35", "inf", "over", "%");
  /* not a digit that starts a numeral of its own */
  ONE("三成五六", "三成", "0.3", "0.3", "0.3", "exact", "%");
  ONE("超过一半", "超过一半", "0.5", "0.5", "inf", "over", "");
}

TEST(units) {
  ONE("3元", "3元", "3", "3", "3", "exact", "CNY");
  ONE("3人民币", "3人民币", "3", "3", "3", "exact", "CNY");
  ONE("RMB 100", "RMB 100", "100", "100", "100", "exact", "CNY");
  ONE("100 CNY", "100 CNY", "100", "100", "100", "exact", "CNY");
  ONE("¥100", "¥100", "100", "100", "100", "exact", "CNY");
  ONE("5美金", "5美金", "5", "5", "5", "exact", "USD");
  ONE("5 USD", "5 USD", "5", "5", "5", "exact", "USD");
  ONE("US$5", "US$5", "5", "5", "5", "exact", "USD");
  ONE("$5", "$5", "5", "5", "5", "exact", "USD");
  ONE("3港元", "3港元", "3", "3", "3", "exact", "HKD");
  ONE("3港币", "3港币", "3", "3", "3", "exact", "HKD");
  ONE("HKD 3", "HKD 3", "3", "3", "3", "exact", "HKD");
  ONE("100 tokens", "100 tokens", "100", "100", "100", "exact", "tokens");
  ONE("1万亿参数", "1万亿参数", "1e12", "1e12", "1e12", "exact", "params");
}

TEST(every_qualifier_word) {
  static const char *const approx[] = {"约", "大约", "大概", "about ",
                                       "around ", "approximately ",
                                       "roughly ", "~", "≈"};
  for (size_t i = 0; i < sizeof approx / sizeof approx[0]; i++) {
    char in[64], text[64];
    snprintf(in, sizeof in, "%s5", approx[i]);
    snprintf(text, sizeof text, "%s5", approx[i]);
    ONE(in, text, "5", "5", "5", "approx", "");
  }
  ONE("5上下", "5上下", "5", "5", "5", "approx", "");
  static const char *const over[] = {"超过", "逾", "多于", "不止", "over ",
                                     "more than ", "above "};
  for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
    char in[64];
    snprintf(in, sizeof in, "%s5", over[i]);
    ONE(in, in, "5", "5", "inf", "over", "");
  }
  ONE("5以上", "5以上", "5", "5", "inf", "over", "");
  ONE("100+", "100+", "100", "100", "inf", "over", "");
  static const char *const under[] = {"不到", "不足", "少于", "低于",
                                      "under ", "less than ", "below "};
  for (size_t i = 0; i < sizeof under / sizeof under[0]; i++) {
    char in[64];
    snprintf(in, sizeof in, "%s5", under[i]);
    ONE(in, in, "5", "0", "5", "under", "");
  }
  ONE("5以下", "5以下", "5", "0", "5", "under", "");
  ONE("5以内", "5以内", "5", "0", "5", "under", "");
  static const char *const nearly[] = {"将近", "接近", "近", "逼近", "几乎",
                                       "nearly ", "almost ", "close to "};
  for (size_t i = 0; i < sizeof nearly / sizeof nearly[0]; i++) {
    char in[64];
    snprintf(in, sizeof in, "%s5", nearly[i]);
    ONE(in, in, "5", "0", "5", "nearly", "");
  }
  ONE("超过了3亿", "超过了3亿", "3e8", "3e8", "inf", "over", "");
}

TEST(negative_values_under_and_nearly_are_unbounded_below) {
  ONE("低于-5", "低于-5", "-5", "-inf", "-5", "under", "");
  ONE("-5%", "-5%", "-0.05", "-0.05", "-0.05", "exact", "%");
  ONE("下降不到10%", "下降不到10%", "-0.1", "-0.1", "0", "under", "%");
}

TEST(more_and_odd_add_the_next_place_value) {
  ONE("100多", "100多", "100", "100", "200", "over", "");
  ONE("三十多家", "三十多", "30", "30", "40", "over", "");
  ONE("30余家", "30余", "30", "30", "40", "over", "");
  ONE("3亿多", "3亿多", "3e8", "3e8", "4e8", "over", "");
  ONE("1.5万多", "1.5万多", "1.5e4", "1.5e4", "1.6e4", "over", "");
  ONE("100多万", "100多万", "1e6", "1e6", "2e6", "over", "");
}

TEST(ranges_share_scale_percent_and_unit) {
  ONE("2到3亿美元", "2到3亿美元", "2.5e8", "2e8", "3e8", "range", "USD");
  ONE("2至3万", "2至3万", "2.5e4", "2e4", "3e4", "range", "");
  ONE("15-20%", "15-20%", "0.175", "0.15", "0.2", "range", "%");
  ONE("15%-20%", "15%-20%", "0.175", "0.15", "0.2", "range", "%");
  ONE("3~5", "3~5", "4", "3", "5", "range", "");
  ONE("3–5倍", "3–5倍", "4", "3", "5", "range", "x");
  ONE("2到3亿之间", "2到3亿之间", "2.5e8", "2e8", "3e8", "range", "");
  ONE("2 to 3 million", "2 to 3 million", "2.5e6", "2e6", "3e6", "range", "");
  ONE("between 2 and 3 billion", "between 2 and 3 billion", "2.5e9", "2e9",
      "3e9", "range", "");
  ONE("$2-3bn", "$2-3bn", "2.5e9", "2e9", "3e9", "range", "USD");
}

TEST(direction_words) {
  static const char *const down[] = {"跌", "下跌", "下降", "下滑", "减少",
                                     "回落", "fell ", "down "};
  for (size_t i = 0; i < sizeof down / sizeof down[0]; i++) {
    char in[64];
    snprintf(in, sizeof in, "%s5%%", down[i]);
    ONE(in, in, "-0.05", "-0.05", "-0.05", "exact", "%");
  }
  static const char *const up[] = {"涨", "上涨", "增长", "提升", "上升",
                                   "增加", "rose ", "up "};
  for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
    char in[64];
    snprintf(in, sizeof in, "%s5%%", up[i]);
    ONE(in, in, "0.05", "0.05", "0.05", "exact", "%");
  }
}

TEST(dates_times_names_ordinals_are_not_quantities) {
  NONE("2026年4月24号");
  NONE("2026-04-24");
  NONE("2026-04");
  NONE("13:23");
  NONE("01:02:03");
  NONE("三月份 十月份 12月 5日");
  NONE("V4 950PR H200 GPT-4 A100 Qwen2.5 5G 3D 4o 5Mbps");
  NONE("V四大概");
  NONE("第二 第1 第三个");
  NONE("二〇二六年");
}

TEST(single_chinese_numerals_in_running_text_are_not_quantities) {
  NONE("一个");
  NONE("两个系列");
  NONE("一下子");
  NONE("千问 百度 十分");
  NONE("三个点");
  NONE("零");
  NONE("上下文");
  NONE("最近");
}

TEST(near_in_recent_and_context_in_up_down_are_not_qualifiers) {
  ONE("最近3个月", "3", "3", "3", "3", "exact", "");
  ONE("百万上下文", "百万", "1e6", "1e6", "1e6", "exact", "");
  ONE("takeover 5", "5", "5", "5", "5", "exact", "");
}

TEST(a_sentence_gives_its_quantities_in_order) {
  const char *s = "你看豆包它的月活是2.26亿到3亿3之间，然后阿里的千问是超过了3亿，"
                  "然后百度的文心助手是2.02亿。";
  want w[] = {
      {"2.26亿到3亿3之间", "2.78e8", "2.26e8", "3.3e8", "range", ""},
      {"超过了3亿", "3e8", "3e8", "inf", "over", ""},
      {"2.02亿", "2.02e8", "2.02e8", "2.02e8", "exact", ""},
  };
  expect(s, w, 3, __LINE__);
  const char *t = "就SK hy x当时是跌了15%，然后NVI的是跌了19%。";
  want u[] = {{"跌了15%", "-0.15", "-0.15", "-0.15", "exact", "%"},
              {"跌了19%", "-0.19", "-0.19", "-0.19", "exact", "%"}};
  expect(t, u, 2, __LINE__);
}

TEST(quantities_never_overlap) {
  /* CNY is the first one's unit, not the second one's currency (found by
     the fuzzer) */
  want w[] = {{"4CNY", "4", "4", "4", "exact", "CNY"},
              {"13", "13", "13", "13", "exact", ""}};
  expect("4CNY 13", w, 2, __LINE__);
  /* a kind on either bound of a range applies to a bare other bound */
  ONE("15%到20", "15%到20", "0.175", "0.15", "0.2", "range", "%");
  ONE("5%-3", "5%-3", "0.04", "0.03", "0.05", "range", "%");
}

TEST(the_parser_reads_only_its_input) {
  /* Cut in the middle of 亿 (3 bytes) and of %: nothing past len is read
     (valgrind checks the reads), and the cut character is not matched. */
  const char full[] = "3亿美元";
  char *cut = malloc(2); /* exactly "3" and the first byte of 亿 */
  memcpy(cut, full, 2);
  ck_quantity *q;
  size_t n;
  CHECK_INT(quantity_scan(cut, 2, 0, &q, &n), 0);
  CHECK_INT(n, 1);
  CHECK(q[0].value == 3);
  free(q);
  free(cut);
  CHECK_INT(quantity_scan("", 0, 0, &q, &n), 0);
  CHECK_INT(n, 0);
  free(q);
}

TEST(invalid_utf8_is_found) {
  CHECK(utf8_invalid_at("abc", 3) == (size_t)-1);
  CHECK(utf8_invalid_at("两百", strlen("两百")) == (size_t)-1);
  CHECK_INT(utf8_invalid_at("ab\xff", 3), 2);
  CHECK_INT(utf8_invalid_at("a\xe4\xb8", 3), 1);     /* truncated */
  CHECK_INT(utf8_invalid_at("\xc0\xaf", 2), 0);      /* overlong */
  CHECK_INT(utf8_invalid_at("\xed\xa0\x80", 3), 0);  /* surrogate */
  CHECK_INT(utf8_invalid_at("x\xf4\x90\x80\x80", 5), 1); /* > U+10FFFF */
}


TEST(traditional_characters_read_as_simplified) {
  ONE("兩百多億美元", "兩百多億美元", "2e10", "2e10", "3e10", "over", "USD");
  ONE("超過120萬億", "超過120萬億", "1.2e14", "1.2e14", "inf", "over", "");
  ONE("約3億人民幣", "約3億人民幣", "3e8", "3e8", "3e8", "approx", "CNY");
  ONE("將近480", "將近480", "480", "0", "480", "nearly", "");
  ONE("漲了15%", "漲了15%", "0.15", "0.15", "0.15", "exact", "%");
  ONE("減少了3億", "減少了3億", "-3e8", "-3e8", "-3e8", "exact", "");
  ONE("增長了超過40%", "增長了超過40%", "0.4", "0.4", "inf", "over", "%");
  ONE("100港幣", "100港幣", "100", "100", "100", "exact", "HKD");
  ONE("3億新台幣", "3億新台幣", "3e8", "3e8", "3e8", "exact", "TWD");
  ONE("2到3億之間", "2到3億之間", "2.5e8", "2e8", "3e8", "range", "");
  ONE("兩成", "兩成", "0.2", "0.2", "0.2", "exact", "%");
  ONE("兩成半", "兩成半", "0.25", "0.25", "0.25", "exact", "%");
  ONE("幾十億", "幾十億", "5.5e9", "2e9", "9e9", "vague", "");
  ONE("1萬億參數", "1萬億參數", "1e12", "1e12", "1e12", "exact", "params");
  ONE("200家以內", "200家以內", "200", "0", "200", "under", "");
  ONE("負的25.2%", "負的25.2%", "-0.252", "-0.252", "-0.252", "exact", "%");
  ONE("超過100吉瓦時", "超過100吉瓦時", "100", "100", "inf", "over", "GWh");
  NONE("3納米");
  ONE("調低25個基點", "調低25個基點", "-0.0025", "-0.0025", "-0.0025", "exact",
      "bp");
  want list[] = {{"692.85", "6.9285e10", "6.9285e10", "6.9285e10", "exact",
                  "CNY"},
                 {"902.20億元", "9.022e10", "9.022e10", "9.022e10", "exact",
                  "CNY"}};
  expect("692.85與902.20億元", list, 2, __LINE__);
}

TEST(financial_capitals_are_numerals) {
  ONE("壹仟两百", "壹仟两百", "1200", "1200", "1200", "exact", "");
  ONE("贰拾叁万元", "贰拾叁万元", "2.3e5", "2.3e5", "2.3e5", "exact", "CNY");
  ONE("貳佰億", "貳佰億", "2e10", "2e10", "2e10", "exact", "");
  ONE("陆佰万", "陆佰万", "6e6", "6e6", "6e6", "exact", "");
  ONE("參拾", "參拾", "30", "30", "30", "exact", "");
  ONE("壹佰零伍", "壹佰零伍", "105", "105", "105", "exact", "");
  ONE("玖仟玖佰玖拾玖", "玖仟玖佰玖拾玖", "9999", "9999", "9999", "exact", "");
  /* as words they stay words: 大陆 (the mainland), 参加 (take part) */
  NONE("大陆和陆家嘴");
  ONE("参加了3次", "3", "3", "3", "3", "exact", "");
  ONE("參數量1.5萬億", "1.5萬億", "1.5e12", "1.5e12", "1.5e12", "exact", "");
}

TEST(vague_and_paired_numerals) {
  ONE("数百亿元", "数百亿元", "5.5e10", "2e10", "9e10", "vague", "CNY");
  ONE("数万", "数万", "5.5e4", "2e4", "9e4", "vague", "");
  ONE("几十", "几十", "55", "20", "90", "vague", "");
  ONE("十几", "十几", "15", "11", "19", "vague", "");
  ONE("二十几亿", "二十几亿", "2.5e9", "2.1e9", "2.9e9", "vague", "");
  ONE("十几亿美元", "十几亿美元", "1.5e9", "1.1e9", "1.9e9", "vague", "USD");
  ONE("两三百亿", "两三百亿", "2.5e10", "2e10", "3e10", "range", "");
  ONE("一两百", "一两百", "150", "100", "200", "range", "");
  ONE("一两万人", "一两万", "1.5e4", "1e4", "2e4", "range", "");
  ONE("几百到一千", "几百到一千", "600", "200", "1000", "range", "");
  ONE("一千到几千", "一千到几千", "5000", "1000", "9000", "range", "");
  ONE("跌了几十亿", "跌了几十亿", "-5.5e9", "-9e9", "-2e9", "vague", "");
  ONE("several million", "several million", "5.5e6", "2e6", "9e6", "vague",
      "");
  ONE("tens of millions of dollars", "tens of millions of dollars", "5.5e7",
      "2e7", "9e7", "vague", "USD");
  ONE("hundreds of thousands", "hundreds of thousands", "5.5e5", "2e5",
      "9e5", "vague", "");
  /* without a place they are running text */
  NONE("两三个人，几个问题，数据很多");
  NONE("several analysts and tens of them");
  NONE("有一点点，三点钟");
}

TEST(measure_words_odd_and_approx_words) {
  /* a negated bound is the other bound */
  ONE("不超过5%", "不超过5%", "0.05", "0", "0.05", "under", "%");
  ONE("不低于5%", "不低于5%", "0.05", "0.05", "inf", "over", "%");
  ONE("不少于100万", "不少于100万", "1e6", "1e6", "inf", "over", "");
  ONE("no more than 5%", "no more than 5%", "0.05", "0", "0.05", "under", "%");
  ONE("not less than 10%", "not less than 10%", "0.1", "0.1", "inf", "over",
      "%");
  ONE("不足5%", "不足5%", "0.05", "0", "0.05", "under", "%");
  ONE("in excess of $1 billion", "in excess of $1 billion", "1e9", "1e9",
      "inf", "over", "USD");
  ONE("c.5%", "c.5%", "0.05", "0.05", "0.05", "approx", "%");
  ONE("100元附近", "100元附近", "100", "100", "100", "approx", "CNY");
  /* at least, at most, up to */
  ONE("at least 10%", "at least 10%", "0.1", "0.1", "inf", "over", "%");
  ONE("提升至少5%", "提升至少5%", "0.05", "0.05", "inf", "over", "%");
  ONE("最多5%", "最多5%", "0.05", "0", "0.05", "under", "%");
  ONE("up to 20%", "up to 20%", "0.2", "0", "0.2", "under", "%");
  /* 负增长: growth of minus */
  ONE("负增长5%", "负增长5%", "-0.05", "-0.05", "-0.05", "exact", "%");
  /* 上 before a place: upwards of it */
  ONE("上千亿", "上千亿", "1e11", "1e11", "inf", "over", "");
  ONE("上百万辆", "上百万", "1e6", "1e6", "inf", "over", "");
  ONE("80台左右", "80台左右", "80", "80", "80", "approx", "");
  ONE("8万辆上下", "8万辆上下", "8e4", "8e4", "8e4", "approx", "");
  ONE("200家以上", "200家以上", "200", "200", "inf", "over", "");
  ONE("3000人以下", "3000人以下", "3000", "0", "3000", "under", "");
  ONE("二十万出头", "二十万出头", "2e5", "2e5", "3e5", "over", "");
  ONE("差不多两万元", "差不多两万元", "2e4", "2e4", "2e4", "approx", "CNY");
  ONE("大致30%", "大致30%", "0.3", "0.3", "0.3", "approx", "%");
  ONE("约合3亿美元", "约合3亿美元", "3e8", "3e8", "3e8", "approx", "USD");
  /* a measure word alone keeps a figure exact, with no unit */
  ONE("50万辆", "50万", "5e5", "5e5", "5e5", "exact", "");
}

/* The one quantity of `text`, which must be the whole text: 1 with *q. */
static int whole(const char *text, ck_quantity *out) {
  ck_quantity *q;
  size_t n;
  CHECK_INT(quantity_scan(text, strlen(text), 0, &q, &n), 0);
  CHECK_INT(n, 1);
  int ok = n == 1 && q[0].start == 0 && q[0].end == strlen(text);
  if (n == 1 && !ok)
    fprintf(stderr, "  \"%s\" is read as [%.*s]\n", text,
            (int)(q[0].end - q[0].start), text + q[0].start);
  if (ok)
    *out = q[0];
  free(q);
  return ok;
}

TEST(more_currencies) {
  static const struct {
    const char *text, *unit;
  } cases[] = {
      {"3亿日元", "JPY"},   {"3亿日圆", "JPY"},  {"3亿欧元", "EUR"},
      {"3亿英镑", "GBP"},   {"3亿韩元", "KRW"},  {"3亿新台币", "TWD"},
      {"300 JPY", "JPY"},   {"300 EUR", "EUR"},  {"300 GBP", "GBP"},
      {"300 KRW", "KRW"},   {"300 TWD", "TWD"},  {"€300", "EUR"},
      {"£300", "GBP"},      {"NT$300", "TWD"},   {"300 yen", "JPY"},
      {"300 euros", "EUR"}, {"300 euro", "EUR"}, {"300 yuan", "CNY"},
      {"300 dollars", "USD"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_quantity q;
    CHECK(whole(cases[i].text, &q));
    if (whole(cases[i].text, &q))
      CHECK_STR(q.unit, cases[i].unit);
  }
}

/* Plain numerals, as the usual Chinese-numeral converters read them. */
TEST(plain_numerals_convert_as_converters_do) {
  static const struct {
    const char *text;
    double value;
  } cases[] = {
      {"一千零一", 1001},       {"一千〇一", 1001},
      {"一万零一百", 10100},    {"三千五百万", 3.5e7},
      {"一亿二千万", 1.2e8},    {"十万", 1e5},
      {"一百万", 1e6},          {"两千", 2000},
      {"一万亿", 1e12},         {"十亿零五", 1000000005},
      {"一千万零三", 10000003}, {"九千九百九十九", 9999},
      {"两万两千", 22000},      {"十一", 11},
      {"一十一", 11},           {"三百零五万", 3050000},
      {"一亿零一", 100000001},  {"二十", 20},
      {"一百零八", 108},        {"一千零八十", 1080},
      {"五千零五十万", 50500000}, {"十二万三千四百五十六", 123456},
      {"三万亿", 3e12},         {"两百五", 250},
      {"三千五", 3500},         {"一千二百六", 1260},
      {"壹仟贰佰陆", 1260},     {"一百零五", 105},
      {"零点五", 0.5},          {"三点二亿", 3.2e8},
      {"零点零五", 0.05},       {"两点三万亿", 2.3e12},
      {"十二点五", 12.5},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_quantity q;
    CHECK(whole(cases[i].text, &q));
    if (whole(cases[i].text, &q))
      CHECK_NEAR(q.value, cases[i].value, 0);
  }
}


/* ---- issue #20: what real calls and other converters' tests found -------- */

TEST(signs_make_a_number_negative) {
  ONE("净债务权益比为负的25.2%", "负的25.2%", "-0.252", "-0.252", "-0.252",
      "exact", "%");
  ONE("负5", "负5", "-5", "-5", "-5", "exact", "");
  ONE("负十一", "负十一", "-11", "-11", "-11", "exact", "");
  ONE("负10至负12亿元", "负10至负12亿元", "-1.1e9", "-1.2e9", "-1.0e9", "range",
      "CNY");
  ONE("minus 5", "minus 5", "-5", "-5", "-5", "exact", "");
  ONE("negative 3%", "negative 3%", "-0.03", "-0.03", "-0.03", "exact", "%");
  ONE("(1.2)", "(1.2)", "-1.2", "-1.2", "-1.2", "exact", "");
  ONE("($0.3 billion)", "($0.3 billion)", "-3e8", "-3e8", "-3e8", "exact",
      "USD");
  /* the currency and the scale outside the parentheses */
  ONE("net loss of $(12.3) million", "$(12.3) million", "-1.23e7", "-1.23e7",
      "-1.23e7", "exact", "USD");
  ONE("(0.3)bn", "(0.3)bn", "-3e8", "-3e8", "-3e8", "exact", "");
  ONE("$(1.2)", "$(1.2)", "-1.2", "-1.2", "-1.2", "exact", "USD");
  ONE("(3.2)%", "(3.2)%", "-0.032", "-0.032", "-0.032", "exact", "%");
  /* a figure in parentheses right after another restates it: no loss */
  want restated[] = {
      {"3.5 billion yuan", "3.5e9", "3.5e9", "3.5e9", "exact", "CNY"},
      {"$480 million", "4.8e8", "4.8e8", "4.8e8", "exact", "USD"}};
  expect("3.5 billion yuan ($480 million)", restated, 2, __LINE__);
  want compared[] = {{"3.2%", "0.032", "0.032", "0.032", "exact", "%"},
                     {"2.9%", "0.029", "0.029", "0.029", "exact", "%"}};
  expect("gross margin of 3.2% (2.9%)", compared, 2, __LINE__);
  ONE("net loss ($0.3 billion)", "($0.3 billion)", "-3e8", "-3e8", "-3e8",
      "exact", "USD");
  /* a fall written both ways is one fall */
  ONE("down (3.2)%", "down (3.2)%", "-0.032", "-0.032", "-0.032", "exact", "%");
  ONE("−7", "−7", "-7", "-7", "-7", "exact", "");
  /* a negative number's own qualifier: below -5 is unbounded below */
  ONE("低于负5", "低于负5", "-5", "-inf", "-5", "under", "");
  ONE("负两百多", "负两百多", "-200", "-300", "-200", "over", "");
  /* 正负 is plus or minus; 负债 is debt */
  ONE("正负5%", "5%", "0.05", "0.05", "0.05", "exact", "%");
  ONE("+/-5%", "5%", "0.05", "0.05", "0.05", "exact", "%");
  ONE("负债100亿", "100亿", "1e10", "1e10", "1e10", "exact", "");
}

TEST(direction_words_before_a_number) {
  static const char *const down[] = {"decreased ", "declined ", "lower ",
                                     "dropped ", "低", "降低", "fell by "};
  for (size_t i = 0; i < sizeof down / sizeof down[0]; i++) {
    char in[64];
    snprintf(in, sizeof in, "%s25%%", down[i]);
    ONE(in, in, "-0.25", "-0.25", "-0.25", "exact", "%");
  }
  static const char *const up[] = {"increased ", "grew ", "higher ", "高",
                                   "提高", "up by "};
  for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
    char in[64];
    snprintf(in, sizeof in, "%s25%%", up[i]);
    ONE(in, in, "0.25", "0.25", "0.25", "exact", "%");
  }
  ONE("低20%", "低20%", "-0.2", "-0.2", "-0.2", "exact", "%");
  ONE("低于20%", "低于20%", "0.2", "0", "0.2", "under", "%");
  /* 最低 and 最高 are bounds, not directions */
  ONE("最低5元", "5元", "5", "5", "5", "exact", "CNY");
  ONE("下降0.5个百分点", "下降0.5个百分点", "-0.005", "-0.005", "-0.005",
      "exact", "pp");
  /* an approximate range keeps the direction before its 约 */
  ONE("单价下降约5%-8%", "下降约5%-8%", "-0.065", "-0.08", "-0.05", "range",
      "%");
  ONE("股价下跌约3-5%", "下跌约3-5%", "-0.04", "-0.05", "-0.03", "range", "%");
  ONE("decreased about 5% to 8%", "decreased about 5% to 8%", "-0.065", "-0.08",
      "-0.05", "range", "%");
  ONE("约5%-8%", "约5%-8%", "0.065", "0.05", "0.08", "range", "%");
  /* a fall named right after the number */
  ONE("a 12% decline", "12% decline", "-0.12", "-0.12", "-0.12", "exact", "%");
  ONE("revenue was 5% lower than last year", "5% lower", "-0.05", "-0.05",
      "-0.05", "exact", "%");
  ONE("sales were 3% below plan", "3% below", "-0.03", "-0.03", "-0.03",
      "exact", "%");
  ONE("a $3 million decrease", "$3 million decrease", "-3e6", "-3e6", "-3e6",
      "exact", "USD");
  ONE("a 5-8% decline", "5-8% decline", "-0.065", "-0.08", "-0.05", "range",
      "%");
  ONE("prices were 10% higher", "10%", "0.1", "0.1", "0.1", "exact", "%");
  ONE("Sales ended 14% down as we exited June", "14% down", "-0.14", "-0.14",
      "-0.14", "exact", "%");
  ONE("a 20% down payment", "20%", "0.2", "0.2", "0.2", "exact", "%");
  ONE("shares lost 3.2%", "lost 3.2%", "-0.032", "-0.032", "-0.032", "exact",
      "%");
  ONE("we expect to lose exactly 200 basis points",
      "lose exactly 200 basis points", "-0.02", "-0.02", "-0.02", "exact", "bp");
  /* adjusted down or up, and the one-character words of a note */
  want cut[] = {{"下调10%", "-0.1", "-0.1", "-0.1", "exact", "%"},
                {"90元", "90", "90", "90", "exact", "CNY"}};
  expect("下调10%至90元", cut, 2, __LINE__);
  ONE("目标价上修15%", "上修15%", "0.15", "0.15", "0.15", "exact", "%");
  ONE("同比降10%", "降10%", "-0.1", "-0.1", "-0.1", "exact", "%");
  ONE("费用同比减8%", "减8%", "-0.08", "-0.08", "-0.08", "exact", "%");
  ONE("营收同比增12%", "增12%", "0.12", "0.12", "0.12", "exact", "%");
  /* 降至, fell to: the figure is the level reached, not the change */
  ONE("毛利率降至18.5%", "18.5%", "0.185", "0.185", "0.185", "exact", "%");
}

TEST(points_and_basis_points_are_fractions) {
  /* pct: a percentage point in a Chinese note, a percent in English */
  ONE("毛利率同比下降2.1pct", "下降2.1pct", "-0.021", "-0.021", "-0.021",
      "exact", "pp");
  ONE("毛利率同比+1.2pct", "1.2pct", "0.012", "0.012", "0.012", "exact", "pp");
  ONE("rose 5 pct", "rose 5 pct", "0.05", "0.05", "0.05", "exact", "%");
  ONE("毛利率环比提升2个pct", "提升2个pct", "0.02", "0.02", "0.02", "exact",
      "pp");
  want w[] = {{"45.3%", "0.453", "0.453", "0.453", "exact", "%"},
              {"down 1.2 points", "-0.012", "-0.012", "-0.012", "exact", "pp"}};
  expect("Gross margin was 45.3%, down 1.2 points.", w, 2, __LINE__);
  ONE("operating margin fell 1.5 points", "fell 1.5 points", "-0.015",
      "-0.015", "-0.015", "exact", "pp");
  /* index points are not percentage points */
  ONE("the index rose 30 points", "rose 30", "30", "30", "30", "exact", "");
  ONE("1.2 percentage points", "1.2 percentage points", "0.012", "0.012",
      "0.012", "exact", "pp");
  ONE("2百分点", "2百分点", "0.02", "0.02", "0.02", "exact", "pp");
  ONE("50 bp", "50 bp", "0.005", "0.005", "0.005", "exact", "bp");
  ONE("50bp", "50bp", "0.005", "0.005", "0.005", "exact", "bp");
  ONE("25 bps", "25 bps", "0.0025", "0.0025", "0.0025", "exact", "bp");
  ONE("75 basis points", "75 basis points", "0.0075", "0.0075", "0.0075",
      "exact", "bp");
  ONE("降息25个基点", "25个基点", "0.0025", "0.0025", "0.0025", "exact", "bp");
  ONE("下调10基点", "下调10基点", "-0.001", "-0.001", "-0.001", "exact", "bp");
  ONE("5 percent", "5 percent", "0.05", "0.05", "0.05", "exact", "%");
  ONE("25-50bp", "25-50bp", "0.00375", "0.0025", "0.005", "range", "bp");
}

TEST(english_ranges_share_scale_and_unit) {
  ONE("$0.70 to $0.80", "$0.70 to $0.80", "0.75", "0.70", "0.80", "range",
      "USD");
  ONE("$3.0 to $3.5 billion", "$3.0 to $3.5 billion", "3.25e9", "3.0e9",
      "3.5e9", "range", "USD");
  ONE("between $2 and $3 million", "between $2 and $3 million", "2.5e6",
      "2e6", "3e6", "range", "USD");
  ONE("US$1.2-US$1.5bn", "US$1.2-US$1.5bn", "1.35e9", "1.2e9", "1.5e9",
      "range", "USD");
  ONE("HK$5 to HK$6", "HK$5 to HK$6", "5.5", "5", "6", "range", "HKD");
}

/* A change and the level it reached, or an old and a new value, are two
   figures, never one range (found on a real call: "decreased 15% to $124
   million" was one range from 15% to 124 million). */
TEST(changes_and_old_and_new_values_are_not_ranges) {
  want fell[] = {{"decreased 15%", "-0.15", "-0.15", "-0.15", "exact", "%"},
                 {"$124 million", "1.24e8", "1.24e8", "1.24e8", "exact", "USD"}};
  expect("loans classified as special mention decreased 15% to $124 million",
         fell, 2, __LINE__);
  want by[] = {{"increased by 5%", "0.05", "0.05", "0.05", "exact", "%"},
               {"$12.3 million", "1.23e7", "1.23e7", "1.23e7", "exact", "USD"}};
  expect("Non-interest income increased by 5% to $12.3 million", by, 2, __LINE__);
  want by_points[] = {{"rose by 5%", "0.05", "0.05", "0.05", "exact", "%"},
                      {"12%", "0.12", "0.12", "0.12", "exact", "%"}};
  expect("the margin rose by 5% to 12%", by_points, 2, __LINE__);
  want target[] = {{"$30", "30", "30", "30", "exact", "USD"},
                   {"$27", "27", "27", "27", "exact", "USD"}};
  expect("cut its target from $30 to $27", target, 2, __LINE__);
  want scaled[] = {{"$3.0", "3.0e9", "3.0e9", "3.0e9", "exact", "USD"},
                   {"$3.5 billion", "3.5e9", "3.5e9", "3.5e9", "exact", "USD"}};
  expect("guidance went from $3.0 to $3.5 billion", scaled, 2, __LINE__);
  want kinds[] = {{"15%", "0.15", "0.15", "0.15", "exact", "%"},
                  {"3x", "3", "3", "3", "exact", "x"}};
  expect("15% to 3x", kinds, 2, __LINE__);
  want energy[] = {{"5 GWh", "5", "5", "5", "exact", "GWh"},
                   {"3 TWh", "3", "3", "3", "exact", "TWh"}};
  expect("5 GWh to 3 TWh", energy, 2, __LINE__);
  /* and a range stays one */
  ONE("5% to 7%", "5% to 7%", "0.06", "0.05", "0.07", "range", "%");
  ONE("估值在180亿美元到200亿美元之间", "180亿美元到200亿美元之间", "1.9e10", "1.8e10",
      "2e10", "range", "USD");
}

/* Found on real calls (tests/data/calls): Chinese web text spaces digits
   from characters; product lines, quarters counted, festivals and English
   years are no figures; 3x3 is a size; gerunds are directions. */
TEST(real_call_text_reads_as_it_means) {
  ONE("全年 35 萬台的交付目标", "35 萬", "3.5e5", "3.5e5", "3.5e5", "exact", "");
  ONE("新车交付超 10 万台", "超 10 万", "1e5", "1e5", "inf", "over", "");
  ONE("累计交付已突破 26 萬台", "突破 26 萬", "2.6e5", "2.6e5", "inf", "over", "");
  ONE("第 3 季度收入 5 亿元", "5 亿元", "5e8", "5e8", "5e8", "exact", "CNY");
  want two[] = {{"3亿", "3e8", "3e8", "3e8", "exact", ""},
                {"4亿", "4e8", "4e8", "4e8", "exact", ""}};
  expect("3亿 4亿", two, 2, __LINE__); /* a space after a numeral parts two */
  NONE("11 月 18 日,小米集团");
  NONE("本月 21 日发布新版本");
  NONE("2026 年汽车行业预计会有挑战");
  NONE("小米 17 系列在双十一期间");
  NONE("双11");
  NONE("连续21个季度保持全球前三");
  NONE("OceanFirst Financial (OCFC) - 2025 Q3 - Earnings Call");
  NONE("annualized loan growth for 2026, with deposits");
  NONE("in 2025 the company");
  NONE("a 3x3 grid");
  ONE("ASPs were decreasing 15%", "decreasing 15%", "-0.15", "-0.15", "-0.15",
      "exact", "%");
  ONE("shipments rising 8%", "rising 8%", "0.08", "0.08", "0.08", "exact", "%");
  ONE("in 2025 revenue was 3 million", "3 million", "3e6", "3e6", "3e6", "exact", "");
}

/* Written for issue #20's rules: 突破 is over; a festival named by its
   date, a price band and a price tier name things; traditional forms. */
TEST(festivals_and_price_bands_are_names_and_breaking_through_is_over) {
  ONE("会员数突破500万", "突破500万", "5e6", "5e6", "inf", "over", "");
  ONE("訂單突破 3 萬張", "突破 3 萬", "3e4", "3e4", "inf", "over", "");
  NONE("预计“5.20”购物节期间备货充足");
  NONE("今年的 520 大促");
  NONE("雙十二前后");
  NONE("主攻1500-2500元价位段");
  NONE("在 2000-3000 元價格段");
  NONE("8000元以上的旗舰手机");
  NONE("3000 元以下機型");
  /* a price with 以上 that measures something stays a figure */
  ONE("单价在8000元以上,毛利较高", "8000元以上", "8000", "8000", "inf",
      "over", "CNY");
  ONE("收入达到200亿元以上的水平", "200亿元以上", "2e10", "2e10", "inf",
      "over", "CNY");
  ONE("5.20元的股价", "5.20元", "5.2", "5.2", "5.2", "exact", "CNY");
  NONE("进入“十五五”规划的第一年");
}

/* Written for issue #20: a tens numeral and the next units digit are a
   pair, as two digits before a place are. */
TEST(a_tens_numeral_and_the_next_units_digit_are_a_pair) {
  ONE("来了十七八个人", "十七八", "17.5", "17", "18", "range", "");
  ONE("二十三四万元", "二十三四万元", "2.35e5", "2.3e5", "2.4e5", "range", "CNY");
  ONE("三十六七亿美元", "三十六七亿美元", "3.65e9", "3.6e9", "3.7e9", "range",
      "USD");
  /* a digit the numeral cannot take makes the whole a name (十三五, the
     plan) */
  ONE("三十五岁", "三十五", "35", "35", "35", "exact", "");
  NONE("二十三五");
  NONE("在十三五期间");
}

/* Written for issue #20's rules: an integer beside a name or a label is
   part of it; cents are hundredths of a dollar. */
TEST(integers_in_names_and_labels_and_cents) {
  NONE("see slide 12 and page 4");
  NONE("our Pixel 9 and the Nasdaq 100");
  NONE("ranked No. 2 among Tier 2 suppliers, in the Top 5");
  NONE("the Mate 70 Pro sold out");
  NONE("华为Mate 70 Pro销量");
  NONE("a 10-Q filing and a 7-year loan");
  NONE("提供7×24小时服务,T+1到账");
  NONE("call 1-888-400-1234 for the replay, ISBN 978-3-16");
  ONE("a 20-30 split", "20-30", "25", "20", "30", "range", ""); /* two: a range */
  ONE("3*2=6", "6", "6", "6", "6", "exact", ""); /* 6 is a figure: no × beside it */
  /* the sentence's first word is no name: a verb, a bullet's verb */
  ONE("Opened 14 branches.", "14", "14", "14", "14", "exact", "");
  ONE("- Added 9 clients", "9", "9", "9", "9", "exact", "");
  /* what makes it a figure keeps it one */
  ONE("Pixel 9 million units", "9 million", "9e6", "9e6", "9e6", "exact", "");
  ONE("the Nasdaq 3%", "3%", "0.03", "0.03", "0.03", "exact", "%");
  ONE("Tier 1.5 ratio", "1.5", "1.5", "1.5", "1.5", "exact", "");
  ONE("beat by 4 cents", "4 cents", "0.04", "0.04", "0.04", "exact", "USD");
  ONE("a dividend of 30 to 35 cents", "30 to 35 cents", "0.325", "0.3", "0.35",
      "range", "USD");
}

/* Written for issue #20: a loss named a few words before "of" or "by"
   makes an amount or a share negative. */
TEST(a_loss_before_of_or_by_makes_an_amount_negative) {
  ONE("sales carried an unfavorable currency impact of $8 million",
      "unfavorable currency impact of $8 million", "-8e6", "-8e6", "-8e6",
      "exact", "USD");
  ONE("margin was adversely affected by about 40 bp",
      "adversely affected by about 40 bp", "-0.004", "-0.004", "-0.004",
      "approx", "bp");
  ONE("tariffs were a headwind of 2%", "headwind of 2%", "-0.02", "-0.02",
      "-0.02", "exact", "%");
  /* favorable keeps it; a count is no loss; a stop ends the words */
  ONE("favorably impacted by $3 million", "$3 million", "3e6", "3e6", "3e6",
      "exact", "USD");
  ONE("the negative effect of 4 closures", "4", "4", "4", "4", "exact", "");
  /* a fall named as a noun: a decline, a decrease, a drop, a reduction */
  ONE("a decline in revenue of 3.5%", "decline in revenue of 3.5%", "-0.035",
      "-0.035", "-0.035", "exact", "%");
  ONE("a decrease of $4.1 million", "decrease of $4.1 million", "-4.1e6",
      "-4.1e6", "-4.1e6", "exact", "USD");
  ONE("a decline of 3 stores", "3", "3", "3", "3", "exact", "");
  ONE("a decline of 5% to 7%", "decline of 5% to 7%", "-0.06", "-0.07",
      "-0.05", "range", "%");
  ONE("an unfavorable impact of $2-3 million",
      "unfavorable impact of $2-3 million", "-2.5e6", "-3e6", "-2e6", "range",
      "USD");
  ONE("It was negative. Sales of $9 million", "$9 million", "9e6", "9e6",
      "9e6", "exact", "USD");
}

TEST(lists_share_their_last_numbers_scale_and_unit) {
  want two[] = {{"692.85", "6.9285e10", "6.9285e10", "6.9285e10", "exact",
                 "CNY"},
                {"902.20亿元", "9.022e10", "9.022e10", "9.022e10", "exact",
                 "CNY"}};
  expect("692.85、902.20亿元", two, 2, __LINE__);
  want three[] = {
      {"692.85", "6.9285e10", "6.9285e10", "6.9285e10", "exact", "CNY"},
      {"902.20", "9.022e10", "9.022e10", "9.022e10", "exact", "CNY"},
      {"1102.74亿元", "1.10274e11", "1.10274e11", "1.10274e11", "exact",
       "CNY"}};
  expect("692.85、902.20和1102.74亿元", three, 3, __LINE__);
  want own[] = {{"435亿元", "4.35e10", "4.35e10", "4.35e10", "exact", "CNY"},
                {"521亿元", "5.21e10", "5.21e10", "5.21e10", "exact", "CNY"},
                {"618亿元", "6.18e10", "6.18e10", "6.18e10", "exact", "CNY"}};
  expect("435亿元、521亿元和618亿元", own, 3, __LINE__);
  want en[] = {{"1.2", "1.2e9", "1.2e9", "1.2e9", "exact", "USD"},
               {"1.5 billion dollars", "1.5e9", "1.5e9", "1.5e9", "exact",
                "USD"}};
  expect("1.2 and 1.5 billion dollars", en, 2, __LINE__);
  want pct[] = {{"15", "0.15", "0.15", "0.15", "exact", "%"},
                {"20%", "0.2", "0.2", "0.2", "exact", "%"}};
  expect("15、20%", pct, 2, __LINE__);
  /* a year is not a list member: in 2024 and 3 billion */
  want year[] = {{"2024", "2024", "2024", "2024", "exact", ""},
                 {"3 billion", "3e9", "3e9", "3e9", "exact", ""}};
  expect("2024 and 3 billion", year, 2, __LINE__);
  /* the figure says it took them from the list */
  ck_quantity *q;
  size_t n;
  const char *t = "692.85、902.20亿元";
  CHECK_INT(quantity_scan(t, strlen(t), 0, &q, &n), 0);
  CHECK_INT(n, 2);
  if (n == 2)
    CHECK(q[0].shared == 1 && q[1].shared == 0);
  free(q);
  /* a note's figures year by year, written with slashes */
  want years[] = {{"100", "1e10", "1e10", "1e10", "exact", "CNY"},
                  {"120", "1.2e10", "1.2e10", "1.2e10", "exact", "CNY"},
                  {"150亿元", "1.5e10", "1.5e10", "1.5e10", "exact", "CNY"}};
  expect("净利润分别为100/120/150亿元", years, 3, __LINE__);
  want eps[] = {{"1.20", "1.2", "1.2", "1.2", "exact", "CNY"},
                {"1.50 yuan", "1.5", "1.5", "1.5", "exact", "CNY"}};
  expect("EPS of 1.20/1.50 yuan", eps, 2, __LINE__);
}

TEST(energy_units) {
  ONE("超过100GWh", "超过100GWh", "100", "100", "inf", "over", "GWh");
  ONE("约1.3TWh", "约1.3TWh", "1.3", "1.3", "1.3", "approx", "TWh");
  ONE("500 MWh", "500 MWh", "500", "500", "500", "exact", "MWh");
  ONE("60kWh", "60kWh", "60", "60", "60", "exact", "kWh");
  ONE("20吉瓦时", "20吉瓦时", "20", "20", "20", "exact", "GWh");
  ONE("3太瓦时", "3太瓦时", "3", "3", "3", "exact", "TWh");
  ONE("8兆瓦时", "8兆瓦时", "8", "8", "8", "exact", "MWh");
  ONE("100万千瓦时", "100万千瓦时", "1e6", "1e6", "1e6", "exact", "kWh");
}

TEST(multiples_leave_their_name_to_the_metric) {
  ONE("10.4倍PS", "10.4倍", "10.4", "10.4", "10.4", "exact", "x");
  ONE("30倍PE", "30倍", "30", "30", "30", "exact", "x");
  ONE("2倍PB", "2倍", "2", "2", "2", "exact", "x");
  ONE("15x P/E", "15x", "15", "15", "15", "exact", "x");
  ONE("约25倍PE", "约25倍", "25", "25", "25", "approx", "x");
}

TEST(english_vague_shares) {
  ONE("mid-single digits", "mid-single digits", "0.05", "0.04", "0.06",
      "vague", "%");
  ONE("low double digits", "low double digits", "0.115", "0.10", "0.13",
      "vague", "%");
  ONE("high single digits", "high single digits", "0.08", "0.07", "0.09",
      "vague", "%");
  ONE("low-single-digit growth", "low-single-digit", "0.02", "0.01", "0.03",
      "vague", "%");
  ONE("revenue grew mid single digits", "grew mid single digits", "0.05",
      "0.04", "0.06", "vague", "%");
  ONE("declined high single digits", "declined high single digits", "-0.08",
      "-0.09", "-0.07", "vague", "%");
  NONE("a single digit, a double take, high hopes");
}

TEST(place_values_after_big_units_and_zeros) {
  ONE("1万600", "1万600", "10600", "10600", "10600", "exact", "");
  ONE("5万300元", "5万300元", "50300", "50300", "50300", "exact", "CNY");
  ONE("2亿300", "2亿300", "200000300", "200000300", "200000300", "exact", "");
  ONE("3亿35", "3亿35", "300000035", "300000035", "300000035", "exact", "");
  ONE("3亿3", "3亿3", "3.3e8", "3.3e8", "3.3e8", "exact", "");
  ONE("1万5", "1万5", "1.5e4", "1.5e4", "1.5e4", "exact", "");
  ONE("一千零十", "一千零十", "1010", "1010", "1010", "exact", "");
  ONE("两千零十五", "两千零十五", "2015", "2015", "2015", "exact", "");
  ONE("一万零十", "一万零十", "10010", "10010", "10010", "exact", "");
  ONE("一百十一", "一百十一", "111", "111", "111", "exact", "");
  ONE("十七十八", "十七十八", "17.5", "17", "18", "range", "");
  ONE("二十一二十二", "二十一二十二", "21.5", "21", "22", "range", "");
  ONE("十七十八万", "十七十八万", "1.75e5", "1.7e5", "1.8e5", "range", "");
  ONE("一百一二十", "一百一二十", "115", "110", "120", "range", "");
  /* a place is written once in a section */
  ONE("三十四十", "三十四", "34", "34", "34", "exact", "");
  NONE("一七二零");
  NONE("二〇二六");
  NONE("一七二零点五");
  NONE("二〇二六点五亿");
  NONE("一七二零万");
}

TEST(sizes_codes_years_and_dates_are_not_figures) {
  want index[] = {{"0.32个百分点", "0.0032", "0.0032", "0.0032", "exact", "pp"}};
  expect("跑输沪深300指数0.32个百分点", index, 1, __LINE__);
  NONE("中证1000和科创50");
  NONE("Q4 '25 revenue");
  NONE("in Q4'25");
  /* whole numbers joined by slashes: a date, a fraction, a label */
  NONE("as of 3/31");
  NONE("on 12/15/2025, revenue");
  NONE("about 2/3 of revenue");
  NONE("约1/3的收入");
  NONE("24/7");
  /* citation marks */
  NONE("as reported [6, 10] and [5][20], see [3-5]");
  want pe[] = {{"25", "25", "25", "25", "exact", "x"},
               {"20倍", "20", "20", "20", "exact", "x"}};
  expect("对应2025/2026年PE分别为25/20倍", pe, 2, __LINE__);
  NONE("12英寸");
  NONE("8寸晶圆");
  NONE("5nm");
  NONE("5 nm");
  NONE("3纳米");
  NONE("5-7nm");
  NONE("a 12-inch wafer");
  NONE("300750");
  NONE("03750");
  NONE("03750.HK");
  NONE("0700.HK");
  NONE("600519.SH");
  NONE("宁德时代(300750)");
  NONE("腾讯（0700）");
  NONE("Tencent (0700)");
  NONE("fiscal 2025");
  NONE("FY '22");
  NONE("FY 2025");
  NONE("Q3 2025");
  NONE("2025-2026年");
  NONE("2025-2026");
  NONE("2025到2026年");
  NONE("3-5月");
  NONE("November 22, 2022");
  NONE("Nov. 22, 2022");
  NONE("22 November 2022");
  NONE("in November 2022");
  /* six digits with a unit or a qualifier are figures */
  ONE("300750元", "300750元", "300750", "300750", "300750", "exact", "CNY");
  ONE("超过150000", "超过150000", "150000", "150000", "inf", "over", "");
  ONE("卖了100000辆", "100000", "100000", "100000", "100000", "exact", "");
  /* a quarter before four digits that are no year */
  ONE("Q3 2500 units", "2500", "2500", "2500", "2500", "exact", "");
  ONE("1,000-2,000", "1,000-2,000", "1500", "1000", "2000", "range", "");
}

TEST(more_currency_words) {
  ONE("5 billion yuan", "5 billion yuan", "5e9", "5e9", "5e9", "exact", "CNY");
  ONE("3 million dollars", "3 million dollars", "3e6", "3e6", "3e6", "exact",
      "USD");
  ONE("2 billion euros", "2 billion euros", "2e9", "2e9", "2e9", "exact",
      "EUR");
  ONE("100 billion yen", "100 billion yen", "1e11", "1e11", "1e11", "exact",
      "JPY");
  ONE("HK$3", "HK$3", "3", "3", "3", "exact", "HKD");
  /* a currency code written onto the number is no name */
  ONE("RMB3 billion", "RMB3 billion", "3e9", "3e9", "3e9", "exact", "CNY");
  ONE("USD5", "USD5", "5", "5", "5", "exact", "USD");
  NONE("ABCRMB3");
  ONE("5 US dollars", "5 US dollars", "5", "5", "5", "exact", "USD");
  ONE("3 Hong Kong dollars", "3 Hong Kong dollars", "3", "3", "3", "exact",
      "HKD");
}

TEST(the_result_says_direction_and_sign) {
  ck_quantity *q;
  size_t n;
  const char *t = "跌了15%，负5，涨了3%";
  CHECK_INT(quantity_scan(t, strlen(t), 0, &q, &n), 0);
  CHECK_INT(n, 3);
  if (n == 3) {
    CHECK(q[0].direction == -1 && !q[0].negative);
    CHECK(q[1].direction == 0 && q[1].negative);
    CHECK(q[2].direction == 1 && !q[2].negative);
  }
  free(q);
}

/* ---- generated numerals ---------------------------------------------------- */

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n) {
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 8) % n;
}

static const char *const cn_digit_text[] = {"零", "一", "二", "三", "四",
                                            "五", "六", "七", "八", "九"};

/* A section 1..9999 in words: 零 for each gap, 十 after a place written
   一十 or 十 at random, and 十X for 10..19 alone. */
static void section_words(char *out, size_t cap, unsigned v, int leading) {
  static const char *const places[] = {"千", "百", "十", ""};
  static const unsigned div[] = {1000, 100, 10, 1};
  int gap = 0, written = 0;
  for (int i = 0; i < 4; i++) {
    unsigned d = v / div[i] % 10;
    if (!d) {
      gap = written;
      continue;
    }
    if ((gap || (!written && leading && i > 0)) && strlen(out) + 3 < cap)
      strcat(out, "零");
    gap = 0;
    int bare_ten = i == 2 && d == 1 && (!written ? !leading : rnd(2));
    if (!bare_ten)
      strncat(out, d == 2 && i < 2 && rnd(2) ? "两" : cn_digit_text[d],
              cap - strlen(out) - 1);
    strncat(out, places[i], cap - strlen(out) - 1);
    written = 1;
  }
}

/* v (< 10^12) in Chinese numerals, the way converters write it. */
static void chinese_numeral(char *out, size_t cap, unsigned long long v) {
  unsigned parts[3] = {(unsigned)(v / 100000000ULL),
                       (unsigned)(v / 10000 % 10000), (unsigned)(v % 10000)};
  static const char *const units[] = {"亿", "万", ""};
  out[0] = 0;
  int written = 0, gap = 0;
  for (int i = 0; i < 3; i++) {
    if (!parts[i]) {
      gap = written;
      continue;
    }
    if (gap && parts[i] >= 1000 && strlen(out) + 3 < cap)
      strcat(out, "零"); /* 一亿零五百万: the empty 万 place */
    section_words(out, cap, parts[i], written);
    strncat(out, units[i], cap - strlen(out) - 1);
    written = 1;
    gap = 0;
  }
}

TEST(generated_chinese_numerals_read_back) {
  for (int i = 0; i < 3000; i++) {
    unsigned long long v;
    switch (i % 4) {
    case 0: v = 11 + rnd(9989); break;
    case 1: v = 10000ULL * (1 + rnd(9999)) + rnd(10000); break;
    case 2: v = 100000000ULL * (1 + rnd(9999)) + 10000ULL * rnd(10000) + rnd(10000); break;
    default: v = 100000000ULL * (1 + rnd(99)) + rnd(1000); break;
    }
    char text[256], want_text[32];
    chinese_numeral(text, sizeof text, v);
    snprintf(want_text, sizeof want_text, "%llu", v);
    ck_quantity q;
    if (!whole(text, &q)) {
      fprintf(stderr, "  %s (%llu) is not one whole quantity\n", text, v);
      check_failures++;
    } else if (q.value != num(want_text)) {
      fprintf(stderr, "  %s reads %.17g, want %llu\n", text, q.value, v);
      check_failures++;
    }
  }
}

TEST(generated_mixed_numerals_read_back) {
  for (int i = 0; i < 2000; i++) {
    unsigned a = 1 + rnd(9999), b = rnd(2) ? 1 + rnd(9) : 10 + rnd(9990);
    int yi = rnd(2);
    char text[64], want_text[64];
    snprintf(text, sizeof text, "%u%s%u", a, yi ? "亿" : "万", b);
    /* one digit is a tenth of the big unit; more are added as they stand */
    unsigned long long big = yi ? 100000000ULL : 10000ULL;
    unsigned long long v = a * big + (b < 10 ? b * big / 10 : b);
    snprintf(want_text, sizeof want_text, "%llu", v);
    ck_quantity q;
    if (!whole(text, &q) || q.value != num(want_text)) {
      fprintf(stderr, "  %s should read %llu\n", text, v);
      check_failures++;
    }
  }
  /* two tens numerals in a row: [a, a + 1] */
  for (unsigned a = 11; a < 99; a++) {
    if (a % 10 == 0 || a % 10 == 9)
      continue;
    char text[64], lo[8], hi[8];
    text[0] = 0;
    section_words(text, sizeof text, a, 0);
    section_words(text, sizeof text, a + 1, 0);
    snprintf(lo, sizeof lo, "%u", a);
    snprintf(hi, sizeof hi, "%u", a + 1);
    ck_quantity q;
    if (!whole(text, &q) || q.lo != num(lo) || q.hi != num(hi) ||
        strcmp(q.qualifier, "range") != 0) {
      fprintf(stderr, "  %s should be the pair [%u, %u]\n", text, a, a + 1);
      check_failures++;
    }
  }
  /* strings of digit characters with no place are codes or years */
  for (int i = 0; i < 500; i++) {
    char text[64] = "";
    int len = 3 + (int)rnd(5);
    for (int k = 0; k < len; k++)
      strcat(text, k && rnd(4) == 0 ? "〇" : cn_digit_text[rnd(10)]);
    NONE(text);
  }
}

CHECK_MAIN(T(the_design_examples), T(values_are_correctly_rounded_decimals),
           T(numerals_ascii_full_width_grouped_and_chinese),
           T(latin_suffixes_and_words_scale),
           T(percent_points_and_multiples), T(units),
           T(every_qualifier_word),
           T(negative_values_under_and_nearly_are_unbounded_below),
           T(more_and_odd_add_the_next_place_value),
           T(ranges_share_scale_percent_and_unit), T(direction_words),
           T(dates_times_names_ordinals_are_not_quantities),
           T(single_chinese_numerals_in_running_text_are_not_quantities),
           T(near_in_recent_and_context_in_up_down_are_not_qualifiers),
           T(a_sentence_gives_its_quantities_in_order),
           T(quantities_never_overlap), T(the_parser_reads_only_its_input),
           T(invalid_utf8_is_found),
           T(traditional_characters_read_as_simplified),
           T(financial_capitals_are_numerals), T(vague_and_paired_numerals),
           T(measure_words_odd_and_approx_words), T(more_currencies),
           T(plain_numerals_convert_as_converters_do),
           T(signs_make_a_number_negative),
           T(direction_words_before_a_number),
           T(points_and_basis_points_are_fractions),
           T(english_ranges_share_scale_and_unit),
           T(changes_and_old_and_new_values_are_not_ranges),
           T(real_call_text_reads_as_it_means),
           T(festivals_and_price_bands_are_names_and_breaking_through_is_over),
           T(integers_in_names_and_labels_and_cents),
           T(a_tens_numeral_and_the_next_units_digit_are_a_pair),
           T(a_loss_before_of_or_by_makes_an_amount_negative),
           T(lists_share_their_last_numbers_scale_and_unit), T(energy_units),
           T(multiples_leave_their_name_to_the_metric),
           T(english_vague_shares),
           T(place_values_after_big_units_and_zeros),
           T(sizes_codes_years_and_dates_are_not_figures),
           T(more_currency_words), T(the_result_says_direction_and_sign),
           T(generated_chinese_numerals_read_back),
           T(generated_mixed_numerals_read_back))

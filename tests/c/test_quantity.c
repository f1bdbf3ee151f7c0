/*
** test_quantity.c -- the quantity parser of docs/quantities.md: every row of its
** tables, and a case for every word list and rule.  Values must be the
** correctly rounded double of the decimal the text means.
*/
#include "check.h"
#include "internal.h"

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
  ONE("幾十億", "幾十億", "5.5e9", "2e9", "9e9", "vague", "");
  ONE("1萬億參數", "1萬億參數", "1e12", "1e12", "1e12", "exact", "params");
  ONE("200家以內", "200家以內", "200", "0", "200", "under", "");
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
           T(plain_numerals_convert_as_converters_do))

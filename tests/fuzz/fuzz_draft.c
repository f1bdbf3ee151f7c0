/*
** fuzz_draft.c -- libFuzzer target for the draft's rules (draft_rules.c)
** and the draft itself (draft.c) with a codebook that has every kind of
** metric: on any valid UTF-8 they must not read past the input (ASan), hit
** undefined behaviour (UBSan), or break the invariants below -- periods in
** order inside the text and each a period import reads, every drafted
** claim's quantity inside its quote.
*/
#define _GNU_SOURCE /* memmem */
#include "internal.h"
#include "codebook.h"
#include "draft.h"
#include "draft_rules.h"
#include "periods.h"

#include <stdlib.h>
#include <string.h>

static codebook *the_codebook(void) {
  static codebook cb;
  static int built;
  static const struct {
    int kind;
    const char *id, *term;
  } terms[] = {
      {CB_ACTOR, "citi", "Citi"},       {CB_ACTOR, "citi", "花旗"},
      {CB_ACTOR, "ubs", "UBS"},         {CB_ENTITY, "gotion", "国轩"},
      {CB_ENTITY, "nio", "NIO"},        {CB_ENTITY, "nio", "蔚来"},
      {CB_METRIC, "gm", "毛利率"},      {CB_METRIC, "gm", "margin"},
      {CB_METRIC, "rev", "收入"},       {CB_METRIC, "rev", "revenue"},
      {CB_METRIC, "rev-qoq", "环比增长"}, {CB_METRIC, "tp", "目标价"},
      {CB_METRIC, "tp", "price target"}, {CB_CUE, "q", "看好"},
      {CB_CUE, "q", "bullish"},         {CB_CUE, "q", "看好需求"},
  };
  static const cb_metric metrics[] = {
      {"gm", "%", NULL, CB_BASIS_NONE, 0},
      {"gm-chg", NULL, "gm", CB_BASIS_NONE, 0},
      {"rev", "CNY", NULL, CB_BASIS_NONE, 0},
      {"rev-qoq", NULL, "rev", CB_BASIS_QOQ, 0},
      {"rev-yoy", NULL, "rev", CB_BASIS_YOY, 0},
      {"tp", "CNY", NULL, CB_BASIS_NONE, 1},
  };
  if (!built) {
    codebook_init(&cb);
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
      int r = codebook_record(&cb, terms[i].kind, terms[i].id);
      if (r < 0 || codebook_term(&cb, terms[i].kind, r, terms[i].term,
                                 strlen(terms[i].term), (int)(i % 3) - 1))
        abort();
    }
    size_t n = sizeof metrics / sizeof metrics[0];
    cb.metrics = calloc(n, sizeof *cb.metrics);
    if (!cb.metrics)
      abort();
    for (size_t i = 0; i < n; i++) {
      cb.metrics[i] = metrics[i];
      cb.metrics[i].id = strdup(metrics[i].id);
      cb.metrics[i].unit = metrics[i].unit ? strdup(metrics[i].unit) : NULL;
      cb.metrics[i].change_of =
          metrics[i].change_of ? strdup(metrics[i].change_of) : NULL;
    }
    cb.nmetrics = n;
    built = 1;
  }
  return &cb;
}

/* Does [h, h + hn) hold [w, w + wn)? (NUL bytes and all) */
static int holds(const char *h, size_t hn, const char *w, size_t wn) {
  for (size_t i = 0; i + wn <= hn; i++)
    if (memcmp(h + i, w, wn) == 0)
      return 1;
  return 0;
}

static void check_periods(const char *text, size_t size, const char *pub) {
  dr_period *p;
  size_t n;
  if (draft_periods(text, size, pub, &p, &n) != 0)
    return;
  size_t last = 0;
  for (size_t i = 0; i < n; i++) {
    char iso[CK_PERIOD_MAX];
    if (!(p[i].start < p[i].end && p[i].end <= size && p[i].start >= last))
      abort();
    last = p[i].end;
    if (!p[i].iso[0] || p[i].date)
      continue;
    if (period_normalise(p[i].iso, iso) != 0 || strcmp(iso, p[i].iso) != 0)
      abort(); /* a period import would refuse or read otherwise */
    if (p[i].years > 1 && p[i].year0 + p[i].years - 1 > 9999)
      abort();
  }
  free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size ? size : 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  if (utf8_invalid_at(text, size) != (size_t)-1) {
    free(text);
    return 0;
  }
  const char *pub = size % 3 == 0 ? "" : size % 3 == 1 ? "2025-08-20"
                                                       : "2024-01-01";
  check_periods(text, size, pub);
  json_t *source = json_pack("{s:s, s:s}", "id", "s", "entity", "gotion");
  int too_many;
  json_t *draft = transcript_draft(text, size, "s", pub, the_codebook(),
                                   size % 2 ? source : NULL, NULL, &too_many);
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(draft, "claims"), i, c) {
    json_t *q = json_object_get(c, "quote"), *w = json_object_get(c, "quantity");
    const char *quote = json_string_value(q), *words = json_string_value(w);
    json_t *period = json_object_get(c, "period");
    char iso[CK_PERIOD_MAX];
    if (!quote)
      abort();
    if (words && json_string_length(q) < CK_QUOTE_MAX - 8 &&
        !holds(quote, json_string_length(q), words, json_string_length(w)))
      abort();
    if (json_is_string(period) &&
        period_normalise(json_string_value(period), iso) != 0)
      abort();
    json_t *as_of = json_object_get(c, "as_of");
    if (as_of && !date_valid(json_string_value(as_of)))
      abort();
  }
  json_decref(draft);
  json_decref(source);
  free(text);
  return 0;
}

/*
** fuzz_quantity.c -- libFuzzer target for the quantity parser, the
** transcript splitter and the codebook's matching: on any valid UTF-8 they
** must not read past the input (ASan), hit undefined behaviour (UBSan), or
** break the invariants below.
*/
#include "internal.h"
#include "codebook.h"
#include "draft.h"
#include "quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A small codebook with the hard cases: ASCII words, case, prefixes of
   each other, one term for two kinds, cues inside mentions. */
static codebook *the_codebook(void) {
  static codebook cb;
  static int built;
  static const struct {
    int kind;
    const char *id, *term;
  } terms[] = {
      {CB_ACTOR, "jefferies", "Jefferies"}, {CB_ACTOR, "jefferies", "杰富瑞"},
      {CB_ACTOR, "jefferies", "jeff re es"}, {CB_ACTOR, "citic", "中信"},
      {CB_ACTOR, "deepseek", "DeepSeek"},   {CB_ENTITY, "deepseek", "DeepSeek"},
      {CB_ENTITY, "v4", "DeepSeek V4"},     {CB_ENTITY, "v4", "V4"},
      {CB_ENTITY, "v4-pro", "V4 Pro"},      {CB_METRIC, "aa", "智能指数"},
      {CB_METRIC, "aa", "AA"},              {CB_METRIC, "price", "价格"},
      {CB_CUE, "parity", "追平"},           {CB_CUE, "parity", "已经追平"},
      {CB_CUE, "war", "价格战"},            {CB_CUE, "war", "a"},
  };
  if (!built) {
    codebook_init(&cb);
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
      int r = codebook_record(&cb, terms[i].kind, terms[i].id);
      if (r < 0 || codebook_term(&cb, terms[i].kind, r, terms[i].term,
                                 strlen(terms[i].term), (int)(i % 5) - 2))
        abort();
    }
    built = 1;
  }
  return &cb;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* an exact-size copy, so a read past the end is caught */
  char *text = malloc(size ? size : 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  if (utf8_invalid_at(text, size) != (size_t)-1) {
    free(text);
    return 0;
  }
  ck_quantity *q;
  size_t n;
  if (quantity_scan(text, size, 0, &q, &n) == 0) {
    size_t last_end = 0;
    for (size_t i = 0; i < n; i++) {
      if (!(q[i].start < q[i].end && q[i].end <= size && q[i].start >= last_end))
        abort(); /* spans inside the input, in order, not overlapping */
      if (!isfinite(q[i].value))
        abort();
      if (!(q[i].lo <= q[i].value && q[i].value <= q[i].hi))
        abort();
      last_end = q[i].end;
    }
    free(q);
  }
  codebook *cb = the_codebook();
  cb_hit *m, *c;
  size_t nm, nc;
  if (codebook_find(cb, text, size, &m, &nm, &c, &nc, NULL) == 0) {
    for (size_t i = 0; i < nm; i++) {
      if (!(m[i].start < m[i].end && m[i].end <= size))
        abort();
      /* in order; overlapping only where the same words name two kinds */
      if (i && m[i].start < m[i - 1].end &&
          !(m[i].start == m[i - 1].start && m[i].end == m[i - 1].end &&
            m[i].kind != m[i - 1].kind))
        abort();
    }
    for (size_t i = 0; i < nc; i++)
      if (!(c[i].start < c[i].end && c[i].end <= size) ||
          (i && c[i].start < c[i - 1].start))
        abort();
    free(m);
    free(c);
  }
  json_t *draft = transcript_draft(text, size, "fuzz", "2026-04-28",
                                   size % 2 ? cb : NULL, NULL, NULL, NULL);
  json_decref(draft);
  free(text);
  return 0;
}

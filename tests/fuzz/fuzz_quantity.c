/*
** fuzz_quantity.c -- libFuzzer target for the quantity parser and the
** transcript splitter: on any valid UTF-8 they must not read past the
** input (ASan), hit undefined behaviour (UBSan), or break the invariants
** below.
*/
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
  json_t *draft = transcript_draft(text, size, "fuzz", "2026-04-28", NULL);
  json_decref(draft);
  free(text);
  return 0;
}

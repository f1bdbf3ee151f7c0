/*
** fuzz_periods.c -- libFuzzer target for periods and dates: whatever
** period_normalise accepts is an ISO period that normalises to itself and
** has an end date; every valid date is a period ending on itself.
*/
#include "internal.h"
#include "periods.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  char iso[CK_PERIOD_MAX], again[CK_PERIOD_MAX], end[11], end2[11];
  if (period_normalise(text, iso) == 0) {
    if (strlen(iso) >= CK_PERIOD_MAX)
      abort();
    if (period_normalise(iso, again) != 0 || strcmp(iso, again) != 0)
      abort(); /* ISO forms are fixed points */
    if (period_end(iso, end) != 0 || !date_valid(end))
      abort(); /* and end on a real day */
    if (period_end(end, end2) != 0 || strcmp(end, end2) != 0)
      abort(); /* which is a period ending on itself */
  }
  if (date_valid(text)) {
    if (period_normalise(text, iso) != 0 || strcmp(iso, text) != 0 ||
        period_end(text, end) != 0 || strcmp(end, text) != 0)
      abort();
  }
  free(text);
  return 0;
}

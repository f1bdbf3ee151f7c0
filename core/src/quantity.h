/*
** quantity.h -- quantity expressions in running text (quantity*.c, DESIGN
** §5, docs/quantities.md).  Pure: no SQL, no handle.
*/
#ifndef CK_QUANTITY_H
#define CK_QUANTITY_H

#include <jansson.h>
#include <stddef.h>

typedef struct ck_quantity {
  size_t start, end; /* the matched text, as byte offsets */
  double value, lo, hi;
  const char *qualifier; /* exact, approx, over, under, nearly, range,
                            vague */
  const char *unit;      /* CNY, USD, HKD, JPY, EUR, GBP, KRW, TWD, tokens,
                            params, GWh, TWh, MWh, kWh, %, pp, bp, x or "" */
  int direction; /* a word before it: -1 down (跌, fell, 低), +1 up, 0 none */
  int negative;  /* its own minus: -, 负, minus, accounting parentheses */
  int shared;    /* its scale or unit came from a list's last number
                    (692.85、902.20亿元) */
} ck_quantity;

/* Every quantity in text[0..len), in order, into a malloc'd array the
   caller frees; with limit > 0, the first `limit` of them.  The text must
   be valid UTF-8 (utf8_invalid_at).  Returns 0 when the whole text was
   read, 1 when the scan stopped at the limit, -1 when memory runs out. */
int quantity_scan(const char *text, size_t len, size_t limit,
                  ck_quantity **out, size_t *count);
/* {text, value, lo, hi, qualifier, unit} of q, found in `text`. */
json_t *quantity_json(const char *text, const ck_quantity *q);

#endif

/*
** fuzz.h -- what the libFuzzer targets share.
*/
#ifndef CK_FUZZ_H
#define CK_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's bytes as a C string (cut at the first NUL they hold); the
   caller frees it.  NULL when there is no memory: skip the input. */
static inline char *fuzz_text(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (text) {
    memcpy(text, data, size);
    text[size] = '\0';
  }
  return text;
}

#endif

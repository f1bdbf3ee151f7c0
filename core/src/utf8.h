/*
** utf8.h -- UTF-8 validation, shared by the library and the lua5.4 module
** (which compiles lua_json.c on its own and may not reach the library's
** internal symbols).
*/
#ifndef CK_UTF8_H
#define CK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The byte offset of the first invalid UTF-8 sequence (overlong forms,
   surrogates and code points past U+10FFFF included), or (size_t)-1. */
static inline size_t utf8_invalid_at(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    unsigned char b = *p;
    size_t n;
    uint32_t cp;
    if (b < 0x80) {
      p++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = 2, cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 3, cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4, cp = b & 0x07;
    } else {
      return (size_t)(p - (const unsigned char *)s);
    }
    if ((size_t)(end - p) < n)
      return (size_t)(p - (const unsigned char *)s);
    for (size_t i = 1; i < n; i++) {
      if ((p[i] & 0xc0) != 0x80)
        return (size_t)(p - (const unsigned char *)s);
      cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
      return (size_t)(p - (const unsigned char *)s);
    p += n;
  }
  return (size_t)-1;
}

#endif

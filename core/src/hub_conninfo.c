/*
** hub_conninfo.c -- claimkit's own terms in ck_sync()'s conninfo.  Pure,
** built with or without libpq.
**
** ck_sync(db, conninfo) has one string (DESIGN §9), so the terms that say
** how to sync ride in it, in the form the conninfo already has: a
** keyword/value term, or a URI query parameter.  libpq never sees them.
*/
#include "hub.h"

#include <stdio.h>
#include <string.h>

static int mode_of(const char *v, size_t n, int *mode, char *why,
                   size_t whylen) {
  if (n == 4 && memcmp(v, "pull", 4) == 0)
    *mode = HUB_PULL;
  else if (n == 4 && memcmp(v, "push", 4) == 0)
    *mode = HUB_PUSH;
  else {
    snprintf(why, whylen, "only=%.*s: expected only=pull or only=push",
             (int)(n > 40 ? 40 : n), v);
    return -1;
  }
  return 0;
}

/* A URI: parameters after '?', separated by '&'. */
static int split_uri(const char *in, char *pg, int *mode, char *why,
                     size_t whylen) {
  const char *q = strchr(in, '?');
  size_t head = q ? (size_t)(q - in) : strlen(in);
  memcpy(pg, in, head);
  char *out = pg + head;
  char sep = '?';
  for (const char *p = q ? q + 1 : NULL; p && *p;) {
    const char *end = strchr(p, '&');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n > 5 && memcmp(p, "only=", 5) == 0) {
      if (mode_of(p + 5, n - 5, mode, why, whylen) != 0)
        return -1;
    } else if (n > 0) {
      *out++ = sep;
      memcpy(out, p, n);
      out += n;
      sep = '&';
    }
    p = end ? end + 1 : NULL;
  }
  *out = '\0';
  return 0;
}

/* Keyword/value: terms separated by spaces; a quoted value ('...', with
   \' and \\) is copied whole. */
static int split_keywords(const char *in, char *pg, int *mode, char *why,
                          size_t whylen) {
  char *out = pg;
  const char *p = in;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == '\n')
      p++;
    if (!*p)
      break;
    const char *start = p;
    int quoted = 0;
    while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
      if (*p == '\\' && quoted && p[1])
        p++;
      else if (*p == '\'')
        quoted = !quoted;
      p++;
    }
    size_t n = (size_t)(p - start);
    if (n > 5 && memcmp(start, "only=", 5) == 0) {
      if (mode_of(start + 5, n - 5, mode, why, whylen) != 0)
        return -1;
      continue;
    }
    if (out != pg)
      *out++ = ' ';
    memcpy(out, start, n);
    out += n;
  }
  *out = '\0';
  return 0;
}

int hub_split_conninfo(const char *in, char *pg, int *mode, char *why,
                       size_t whylen) {
  *mode = HUB_BOTH;
  if (strncmp(in, "postgresql://", 13) == 0 ||
      strncmp(in, "postgres://", 11) == 0)
    return split_uri(in, pg, mode, why, whylen);
  return split_keywords(in, pg, mode, why, whylen);
}

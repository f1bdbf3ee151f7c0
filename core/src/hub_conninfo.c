/*
** hub_conninfo.c -- claimkit's own terms in ck_sync()'s conninfo.  Pure,
** built with or without libpq.
**
** ck_sync(db, conninfo) has one string (DESIGN §9), so the terms that say
** how to sync (only=) and what to pull (since=, source=, framework=) ride
** in it, in the form the conninfo already has: a
** keyword/value term, or a URI query parameter.  libpq never sees them.
*/
#include "hub.h"

#include <stdio.h>
#include <string.h>

/* A claimkit term of n bytes at p: 1 when it is one (and taken), 0 when
   it is libpq's, -1 when it is bad. */
static int take_term(const char *p, size_t n, hub_terms *t, char *why,
                     size_t whylen) {
  static const char *const keys[] = {"only", "since", "source", "framework"};
  const char *eq = memchr(p, '=', n);
  if (!eq)
    return 0;
  size_t klen = (size_t)(eq - p), vlen = n - klen - 1;
  int k = -1;
  for (int i = 0; i < 4; i++)
    if (strlen(keys[i]) == klen && memcmp(p, keys[i], klen) == 0)
      k = i;
  if (k < 0)
    return 0;
  char *field = k == 1 ? t->since : k == 2 ? t->source : t->framework;
  size_t room = k == 1 ? sizeof t->since : sizeof t->source;
  if (k == 0) {
    if (vlen == 4 && memcmp(eq + 1, "pull", 4) == 0 && t->mode == HUB_BOTH)
      t->mode = HUB_PULL;
    else if (vlen == 4 && memcmp(eq + 1, "push", 4) == 0 &&
             t->mode == HUB_BOTH)
      t->mode = HUB_PUSH;
    else {
      snprintf(why, whylen,
               "only=%.*s: expected only=pull or only=push, once",
               (int)(vlen > 40 ? 40 : vlen), eq + 1);
      return -1;
    }
    return 1;
  }
  if (field[0] || vlen == 0 || vlen >= room) {
    snprintf(why, whylen, "%.*s: %s", (int)(n > 80 ? 80 : n), p,
             field[0] ? "given twice" : vlen ? "too long" : "empty");
    return -1;
  }
  memcpy(field, eq + 1, vlen);
  field[vlen] = '\0';
  return 1;
}

/* A URI: parameters after '?', separated by '&'. */
static int split_uri(const char *in, char *pg, hub_terms *t, char *why,
                     size_t whylen) {
  const char *q = strchr(in, '?');
  size_t head = q ? (size_t)(q - in) : strlen(in);
  memcpy(pg, in, head);
  char *out = pg + head;
  char sep = '?';
  for (const char *p = q ? q + 1 : NULL; p && *p;) {
    const char *end = strchr(p, '&');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    int own = take_term(p, n, t, why, whylen);
    if (own < 0)
      return -1;
    if (!own && n > 0) {
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
static int split_keywords(const char *in, char *pg, hub_terms *t,
                          char *why, size_t whylen) {
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
    int own = take_term(start, n, t, why, whylen);
    if (own < 0)
      return -1;
    if (own)
      continue;
    if (out != pg)
      *out++ = ' ';
    memcpy(out, start, n);
    out += n;
  }
  *out = '\0';
  return 0;
}

int hub_split_conninfo(const char *in, char *pg, hub_terms *t, char *why,
                       size_t whylen) {
  memset(t, 0, sizeof *t);
  t->mode = HUB_BOTH;
  if (strncmp(in, "postgresql://", 13) == 0 ||
      strncmp(in, "postgres://", 11) == 0)
    return split_uri(in, pg, t, why, whylen);
  return split_keywords(in, pg, t, why, whylen);
}

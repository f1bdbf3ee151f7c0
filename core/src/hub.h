/*
** hub.h -- a desk's hub (hub.c, DESIGN §9, docs/hub.md): what the rest of
** the core and the tests reach of it.
*/
#ifndef CK_HUB_H
#define CK_HUB_H

#include <stddef.h>

/* The hub schema version this claimkit writes and reads. */
#define CK_HUB_SCHEMA_VERSION 1

/* How a sync runs: both halves, or one (the `only=` term). */
enum { HUB_BOTH, HUB_PULL, HUB_PUSH };

/* claimkit's own terms of ck_sync()'s conninfo: only=pull|push, and the
   pull's filter since=DATE, source=ID, framework=ID ("" when absent). */
typedef struct hub_terms {
  int mode;
  char since[16], source[72], framework[72];
} hub_terms;

/* Splits ck_sync()'s conninfo into libpq's part and claimkit's own terms,
   written in the form the conninfo has: a keyword/value term ("dbname=desk
   only=pull since=2026-01-01") or a URI query parameter
   ("postgresql:///desk?only=pull&source=dsv4-minutes").  Writes libpq's
   conninfo (at most strlen(in) + 1 bytes) into `pg`.  Pure: the values
   are checked by the caller.  0, or -1 with `why` saying what is wrong (an
   unknown mode, a term given twice, a value too long). */
int hub_split_conninfo(const char *in, char *pg, hub_terms *t, char *why,
                       size_t whylen);

#endif

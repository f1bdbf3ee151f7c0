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

/* Splits ck_sync()'s conninfo into libpq's part and claimkit's own terms:
   `only=pull` / `only=push` as a term of a keyword/value string ("dbname=
   desk only=pull") or a parameter of a URI ("postgresql:///desk?only=
   pull").  Writes libpq's conninfo (at most strlen(in) + 1 bytes) into
   `pg` and the mode into *mode.  Pure.  0, or -1 with `why` saying what is
   wrong (an unknown mode). */
int hub_split_conninfo(const char *in, char *pg, int *mode, char *why,
                       size_t whylen);

#endif

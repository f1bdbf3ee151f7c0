/*
** names.h -- a record's name or alias where a function takes its id
** (names.c, DESIGN §7).  Layer: the handle: the names of each kind are read
** with SQL once per data version and kept on the handle, which holds them by
** value, so internal.h includes this header.
*/
#ifndef CK_NAMES_H
#define CK_NAMES_H

#include "claimkit.h"

#include <jansson.h>
#include <stddef.h>

struct ck_function;

/* One kind of record's names and aliases, folded (ASCII letters in lower
   case), sorted, each with its record's id. */
typedef struct name_entry {
  char *term, *id;
} name_entry;

typedef struct name_map {
  name_entry *e;
  size_t n;
  long long version; /* the data version it was read at; -1 none */
} name_map;

#define CK_RECORD_KINDS 5

/* Replaces a record argument that is not a stored id by the id of the one
   record whose name or alias it is: args[i] for each parameter of fn with
   a record kind.  `unknown_only`: only arguments that may be ids are
   looked at (after the function said CK_NOTFOUND), each checked against
   its table first; else only arguments that cannot be ids (a name
   written with spaces, capitals, Chinese), with no query.  *changed
   counts the replacements.  CK_INVALID when a name fits several records;
   a name that fits none is left as it is, for the function to say so. */
int names_resolve(ck_db *db, const struct ck_function *fn, json_t **args,
                  int unknown_only, int *changed);
void names_clear(ck_db *db);
/* The index of a record kind (actor, entity, ...), or -1. */
int names_kind(const char *kind);

#endif

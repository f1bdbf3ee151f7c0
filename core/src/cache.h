/*
** cache.h -- the result cache (cache.c): a handle's results of built-in
** functions, kept by function and arguments until the data version moves.
** Layer: the handle (it reads the data version through statements.c); the
** handle holds the cache by value, so internal.h includes this header.
*/
#ifndef CK_CACHE_H
#define CK_CACHE_H

#include "claimkit.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cache_entry {
  uint64_t hash;
  char *key;  /* function, '\x1f', arguments; NULL: an empty slot */
  char *text; /* the result as JSON text */
  double num; /* and as a number, when `numeric` */
  int numeric;
} cache_entry;

typedef struct ck_cache {
  cache_entry *slots;
  size_t cap, n, bytes;
  long long version; /* the data version the entries hold for; -1 none */
} ck_cache;

/* Empties the cache when the data changed since it was filled; 0 when the
   version cannot be read (then nothing is kept). */
int cache_fresh(ck_db *db);
/* The kept result of fn with arguments `key`, or NULL. */
const cache_entry *cache_get(ck_db *db, const char *fn, const char *key);
/* Keeps a result (if fn is a cacheable built-in and it fits). */
void cache_put(ck_db *db, const char *fn, const char *key, const char *text,
               int numeric, double num);
void cache_clear(ck_db *db);

#endif

/*
** cache.c -- a handle's results, kept until the data changes.
**
** A spreadsheet recalculates thousands of cells that ask what they asked
** a moment ago.  Each handle keeps the text (and number) of the results of
** its built-in functions, keyed by function and arguments, and answers a
** repeated call from memory.  Before it does, it asks SQLite whether the
** file changed: PRAGMA data_version moves when another connection commits,
** and the handle counts its own imports.  A result is stored under the
** version read before it was computed, so a commit that lands while it is
** computed makes it miss next time, never serve stale data.
**
** Only functions whose answer depends on the data and the arguments alone
** are kept: not sql (a query may read random() or the clock), not a
** function registered from Lua (os.time, math.random).  Arguments over
** 4 KiB and results over 64 KiB are not kept; past 32,768 entries or
** 32 MiB the cache starts again empty.
*/
#include "internal.h"
#include "cache.h"
#include "storage.h"

#include <stdlib.h>
#include <string.h>

#define MAX_KEY 4096
#define MAX_TEXT 65536
#define MAX_ENTRIES 32768
#define MAX_BYTES (32u << 20)

void cache_clear(ck_db *db) {
  ck_cache *c = &db->cache;
  for (size_t i = 0; i < c->cap; i++) {
    free(c->slots[i].key);
    free(c->slots[i].text);
  }
  free(c->slots);
  c->slots = NULL;
  c->cap = c->n = c->bytes = 0;
}

int cache_fresh(ck_db *db) {
  long long v = storage_data_version(db);
  if (v < 0 || v != db->cache.version) {
    cache_clear(db);
    db->cache.version = v;
  }
  return v >= 0;
}

static int cacheable(ck_db *db, const char *fn, const char *key) {
  const ck_function *f = fn ? registry_find(db, fn) : NULL;
  return f && !f->release && !f->is_volatile && key && strlen(key) <= MAX_KEY;
}

static uint64_t key_hash(const char *fn, const char *key) {
  uint64_t h = fnv1a64(fn, strlen(fn) + 1); /* the NUL too */
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
    h ^= *p;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/* The slot of (fn, key), or the empty one where it would go. */
static cache_entry *slot(ck_cache *c, uint64_t h, const char *fn,
                         const char *key) {
  size_t fl = strlen(fn);
  for (size_t j = (size_t)h & (c->cap - 1);; j = (j + 1) & (c->cap - 1)) {
    cache_entry *e = &c->slots[j];
    if (!e->key || (e->hash == h && strncmp(e->key, fn, fl) == 0 &&
                    e->key[fl] == '\x1f' && strcmp(e->key + fl + 1, key) == 0))
      return e;
  }
}

const cache_entry *cache_get(ck_db *db, const char *fn, const char *key) {
  ck_cache *c = &db->cache;
  if (!c->n || !cacheable(db, fn, key))
    return NULL;
  cache_entry *e = slot(c, key_hash(fn, key), fn, key);
  return e->key ? e : NULL;
}

void cache_put(ck_db *db, const char *fn, const char *key, const char *text,
               int numeric, double num) {
  ck_cache *c = &db->cache;
  if (c->version < 0 || !cacheable(db, fn, key) || !text ||
      strlen(text) > MAX_TEXT)
    return;
  size_t bytes = strlen(fn) + strlen(key) + strlen(text) + 64;
  if (c->n + 1 > MAX_ENTRIES || c->bytes + bytes > MAX_BYTES) {
    long long version = c->version;
    cache_clear(db);
    c->version = version;
  }
  if (2 * (c->n + 1) > c->cap) { /* grow: rehash every entry */
    size_t cap = c->cap ? 2 * c->cap : 256;
    cache_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
      return; /* no memory: the result is simply not kept */
    ck_cache grown = {slots, cap, c->n, c->bytes, c->version};
    for (size_t i = 0; i < c->cap; i++)
      if (c->slots[i].key) {
        size_t j = (size_t)c->slots[i].hash & (cap - 1);
        while (slots[j].key)
          j = (j + 1) & (cap - 1);
        slots[j] = c->slots[i];
      }
    free(c->slots);
    *c = grown;
  }
  uint64_t h = key_hash(fn, key);
  cache_entry *e = slot(c, h, fn, key);
  if (e->key)
    return; /* kept already */
  size_t fl = strlen(fn), kl = strlen(key);
  char *k = malloc(fl + kl + 2), *t = strdup(text);
  if (!k || !t) {
    free(k);
    free(t);
    return;
  }
  memcpy(k, fn, fl);
  k[fl] = '\x1f';
  memcpy(k + fl + 1, key, kl + 1);
  *e = (cache_entry){h, k, t, num, numeric};
  c->n++;
  c->bytes += bytes;
}

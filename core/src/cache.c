/*
** cache.c -- a handle's results, kept until the data changes.
**
** A spreadsheet recalculates thousands of cells that ask what they asked
** a moment ago.  Each handle keeps the text (and number) of the results of
** its built-in functions, keyed by function and arguments, and answers a
** repeated call from memory.  Before it does, it makes sure the file did
** not change: PRAGMA data_version moves when another connection commits,
** and the handle counts its own writes.  A result is stored under the
** version read before it was computed, so a commit that lands while it is
** computed makes it miss next time, never serve stale data.
**
** PRAGMA data_version costs a read transaction: on a file in WAL mode two
** fcntl locks and an fstat, 70-90 % of a warm call.  So it is asked only
** when the WAL index's header (the first 96 bytes of the -shm file, which
** SQLite maps into every connection) differs from the one seen when it was
** last asked.  Every commit to a WAL database rewrites that header (its
** change counter, frame count and checksums) before the commit returns,
** and so does a WAL reset or recovery; a checkpoint changes no data.  The
** header is read as SQLite's readers read it: both copies, a barrier
** between, equal or it counts as changed.  While this handle is open in
** WAL mode it holds a shared lock on the file, so no other connection can
** take the file out of WAL mode under it.  A file in rollback-journal mode
** (a read-only handle on a file another tool wrote) has no such header:
** every call asks SQLite.  A private in-memory database changes only
** through this handle.  The rule, its cost and its tests: docs/c.md and
** docs/benchmarks.md.
**
** Only functions whose answer depends on the data and the arguments alone
** are kept: not sql (a query may read random() or the clock), not a
** function registered from Lua (os.time, math.random).  Arguments over
** 4 KiB and results over 64 KiB are not kept; past 32,768 entries or
** 32 MiB the cache starts again empty.
*/
#include "internal.h"

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

/* The file's kind: private in memory, WAL (its index mapped), or neither.
   Looked at again while neither, after another connection committed: it
   may have switched the file to WAL since. */
static void watch_probe(ck_db *db, cache_watch *w) {
  w->probed = 1;
  const char *file = sqlite3_db_filename(db->sql, "main");
  if (!file || !*file) {
    w->memory = 1;
    return;
  }
  sqlite3_stmt *st;
  int wal = 0;
  if (sqlite3_prepare_v2(db->sql, "PRAGMA main.journal_mode", -1, &st,
                         NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char *mode = sqlite3_column_text(st, 0);
    wal = mode && strcmp((const char *)mode, "wal") == 0;
  }
  sqlite3_finalize(st);
  sqlite3_file *f = NULL;
  /* Only a file in WAL mode: mapping asks for the -shm file, which a file
     in rollback mode must not get. */
  if (!wal ||
      sqlite3_file_control(db->sql, "main", SQLITE_FCNTL_FILE_POINTER, &f) !=
          SQLITE_OK ||
      !f || !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
    return;
  volatile void *region = NULL;
  if (f->pMethods->xShmMap(f, 0, 32768, 0, &region) == SQLITE_OK && region)
    w->wal = (const volatile uint32_t *)region;
}

/* The WAL index header, when both its copies agree and it is set up. */
static int wal_header(const volatile uint32_t *shm, uint32_t h[12]) {
  for (int i = 0; i < 12; i++)
    h[i] = shm[i];
  atomic_thread_fence(memory_order_acquire); /* as walIndexTryHdr() */
  for (int i = 0; i < 12; i++)
    if (shm[12 + i] != h[i])
      return 0; /* a writer is between the copies */
  return ((const unsigned char *)h)[12] != 0; /* isInit */
}

long long cache_data_version(ck_db *db) {
  cache_watch *w = &db->cache.watch;
  if (!w->probed)
    watch_probe(db, w);
  long long own = db->writes + sqlite3_total_changes64(db->sql);
  uint32_t h[12];
  int have = w->wal && wal_header(w->wal, h);
  if (w->memory || (have && w->header_ok && w->seen >= 0 &&
                    memcmp(h, w->header, sizeof h) == 0)) {
    if (own != w->own) {
      w->own = own;
      w->epoch++;
    }
    return w->epoch;
  }
  sqlite3_stmt *st = db->data_version;
  if (!st)
    return -1;
  int rc = sqlite3_step(st);
  long long v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  if (v < 0) {
    w->seen = -1;
    return -1;
  }
  if (v != w->seen || own != w->own) {
    if (!w->wal && w->seen >= 0)
      watch_probe(db, w); /* (the header is read from the next call on) */
    w->seen = v;
    w->own = own;
    w->epoch++;
  }
  /* Inside a transaction the pragma answers for its snapshot, which may be
     older than the header: that header is not this version's. */
  w->header_ok = have && sqlite3_get_autocommit(db->sql);
  if (w->header_ok)
    memcpy(w->header, h, sizeof h);
  return w->epoch;
}

int cache_fresh(ck_db *db) {
  long long v = cache_data_version(db);
  if (v < 0 || v != db->cache.version) {
    cache_clear(db);
    db->cache.version = v;
  }
  return v >= 0;
}

static int cacheable(ck_db *db, const char *fn, const char *key) {
  const ck_function *f = fn ? registry_find(db, fn) : NULL;
  return f && f->impl && !f->is_volatile && key && strlen(key) <= MAX_KEY;
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
    for (size_t i = 0; i < c->cap; i++)
      if (c->slots[i].key) {
        size_t j = (size_t)c->slots[i].hash & (cap - 1);
        while (slots[j].key)
          j = (j + 1) & (cap - 1);
        slots[j] = c->slots[i];
      }
    free(c->slots);
    c->slots = slots;
    c->cap = cap;
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

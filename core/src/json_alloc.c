/*
** json_alloc.c -- jansson's allocation functions, chained, with a latch.
**
** The one piece of process-wide state in claimkit: jansson has a single
** pair of allocation functions for the whole process (json_set_alloc_funcs),
** so the only way to see its allocations fail is to put functions in front
** of that pair.  They are installed once (pthread_once, at the first
** ck_open) in front of whatever was installed before -- jansson's own
** malloc/free, or a host's -- and call through to them: the host's
** allocator stays in charge (of all but a reserve, below).  What they add
** is per thread: a latch set when an allocation fails, which
** ck_json_loadb() clears before a parse and reads after it.
**
** A failed allocation is not only a wrong answer waiting to happen.  When
** the token buffer cannot grow, jansson 2.14 goes on with the byte
** dropped, and a later step can assert on it (lex_unget_unsave pops a
** byte it did not save) or read past the buffer (a closing quote that was
** never saved).  So while claimkit parses, a failed allocation is latched
** and then served from a reserve set aside before the parse: jansson's
** state stays whole, and the parse, latched, is refused anyway.  The
** reserve is sized so that every growth of the token buffer in the parse
** fits (each token is within the input; the buffer at most doubles past
** it), and it is only address space unless a failure needs it; a short
** text's is a thread's own 8 KiB.  A host that sets jansson's functions
** again after the first ck_open replaces these: claimkit's parses then go
** unguarded, as they did before.
**
** A JSON Lines line's tree can also be built in a block of its own (an
** arena): its nodes are carved from the block while it is parsed, and
** freeing them is nothing until the whole block goes at once.  Half of
** what parsing a line cost was malloc and free of its nodes.  The arena is
** claimkit's alone: its nodes are allocated only inside
** ck_json_loadb_arena(), and a free is recognised as the arena's only on
** a thread that has entered that arena -- a host's jansson use, and
** claimkit's other parses, go through to the chained functions as before.
*/
#include "json_alloc.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

static json_malloc_t chained_malloc;
static json_free_t chained_free;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

typedef struct reserve {
  char *base;
  size_t size, used;
} reserve;

static _Thread_local int latched;
static _Thread_local reserve *parse_reserve; /* set while claimkit parses */
/* The reserve of a short text (a JSON Lines line, a call's arguments), so
   that parsing one costs no allocation more. */
#define SMALL_RESERVE 8192
static _Thread_local _Alignas(16) char small_reserve[SMALL_RESERVE];

struct ck_json_arena {
  size_t size, used;
  _Alignas(16) char base[];
};
static _Thread_local ck_json_arena *arena_entered; /* its frees are nothing */
static _Thread_local int arena_allocates;          /* inside its parse */

static int in_arena(const ck_json_arena *a, const void *p) {
  return a && (const char *)p >= a->base && (const char *)p < a->base + a->size;
}

/* From the arena being parsed into, when it has room; else NULL. */
static void *arena_malloc(size_t n) {
  ck_json_arena *a = arena_entered;
  size_t need = (n + 15) & ~(size_t)15;
  if (need < n || need > a->size - a->used)
    return NULL;
  void *p = a->base + a->used;
  a->used += need;
  return p;
}

static int in_reserve(const reserve *r, const void *p) {
  return r && r->base && (const char *)p >= r->base &&
         (const char *)p < r->base + r->size;
}

static void *latching_malloc(size_t n) {
  void *p = arena_allocates ? arena_malloc(n) : NULL;
  if (p)
    return p;
  p = chained_malloc(n);
  if (p)
    return p;
  latched = 1;
  reserve *r = parse_reserve;
  size_t need = (n + 15) & ~(size_t)15;
  if (!r || need < n || need > r->size - r->used)
    return NULL;
  p = r->base + r->used;
  r->used += need;
  return p;
}

/* What jansson frees of the reserve goes back with the reserve. */
static void latching_free(void *p) {
  if (!in_reserve(parse_reserve, p) && !in_arena(arena_entered, p))
    chained_free(p);
}

static void install(void) {
  json_get_alloc_funcs(&chained_malloc, &chained_free);
  json_set_alloc_funcs(latching_malloc, latching_free);
}

void ck_json_alloc_install(void) { pthread_once(&installed, install); }

/* The reserve a parse of `len` bytes may need: the token buffer grows by
   doubling from 16 bytes, so all its growths for a token of t bytes come
   to less than 4t; a little more for what a failure in the middle of a
   value allocates before jansson gives up. */
static size_t reserve_size(size_t len) {
  size_t cap = (size_t)1 << 30;
  return len < (cap - 4096) / 4 ? 4 * len + 4096 : cap;
}

static void set_out_of_memory(json_error_t *err) {
  if (!err)
    return;
  memset(err, 0, sizeof *err);
  err->line = err->column = -1;
  strcpy(err->text, "out of memory");
  err->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)json_error_out_of_memory;
}

json_t *ck_json_loadb(const char *buf, size_t len, size_t flags,
                      json_error_t *err) {
  if (!chained_malloc) /* no ck_open yet: nothing to latch with */
    return json_loadb(buf, len, flags, err);
  /* Without a reserve (no room for one) the parse is still refused when
     an allocation fails in it; only jansson's own assertions are not
     kept away. */
  size_t size = reserve_size(len);
  int small = size <= SMALL_RESERVE;
  reserve r = {small ? small_reserve : chained_malloc(size), size, 0};
  if (!r.base)
    r.size = 0;
  reserve *outer = parse_reserve;
  parse_reserve = &r;
  latched = 0;
  json_t *v = json_loadb(buf, len, flags, err);
  if (latched) {
    json_decref(v); /* what it holds of the reserve goes with it */
    v = NULL;
    set_out_of_memory(err);
  }
  parse_reserve = outer;
  if (r.base && !small)
    chained_free(r.base);
  return v;
}

json_t *ck_json_loads(const char *s, size_t flags, json_error_t *err) {
  return ck_json_loadb(s, strlen(s), flags, err);
}

/* The block for a line of `len` bytes: a parsed object takes about five
   times its text (nodes, hash buckets, the token buffer's growths); what
   does not fit is allocated as before, and freed with the tree. */
static size_t arena_size(size_t len) {
  size_t cap = (size_t)1 << 20;
  return len < (cap - 1024) / 6 ? 6 * len + 1024 : cap;
}

json_t *ck_json_loadb_arena(const char *buf, size_t len, size_t flags,
                            json_error_t *err, ck_json_arena **arena) {
  *arena = NULL;
  if (!chained_malloc)
    return ck_json_loadb(buf, len, flags, err);
  size_t size = arena_size(len);
  ck_json_arena *a = chained_malloc(sizeof *a + size);
  if (!a) /* parse without one: the tree is freed as any other */
    return ck_json_loadb(buf, len, flags, err);
  a->size = size;
  a->used = 0;
  ck_json_arena *outer = ck_json_arena_enter(a);
  arena_allocates = 1;
  json_t *v = ck_json_loadb(buf, len, flags, err);
  arena_allocates = 0;
  ck_json_arena_enter(outer);
  if (v)
    *arena = a;
  else
    chained_free(a);
  return v;
}

ck_json_arena *ck_json_arena_enter(ck_json_arena *a) {
  ck_json_arena *outer = arena_entered;
  arena_entered = a;
  return outer;
}

void ck_json_arena_free(json_t *v, ck_json_arena *a) {
  ck_json_arena *outer = ck_json_arena_enter(a);
  json_decref(v); /* what did not fit in the block */
  ck_json_arena_enter(outer);
  if (a)
    chained_free(a);
}

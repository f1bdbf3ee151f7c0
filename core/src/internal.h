/*
** internal.h -- what the core's files share: the handle and its errors,
** growable strings, the registry of functions.  Nothing here is exported:
** only the functions declared in claimkit.h leave the library.  A module
** used by a few files has its own header next to its .c file (periods.h,
** canon.h, storage.h, ...), included where it is used.
*/
#ifndef CK_INTERNAL_H
#define CK_INTERNAL_H

#include "budget.h"
#include "claimkit.h"
#include "json_alloc.h"
#include "utf8.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define CK_ERRMSG_MAX 1024
#define CK_MAX_PARAMS 8
#define CK_DEFER_CLAIMS 50000 /* see ck_db.defer_claims */
#define CK_LATEST_BATCH 32768 /* see ck_db.latest_batch */
#define CK_THREADED_BYTES (1 << 20) /* see ck_db.threaded_bytes */
#define CK_PACK_WINDOW (4 << 20)    /* see ck_db.pack_window */

/* ---- growable string (util.c) ------------------------------------------ */

typedef struct strbuf {
  char *data; /* always NUL-terminated once anything was appended */
  size_t len, cap;
  int oom; /* an append failed; the contents are incomplete */
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_putn(strbuf *sb, const char *s, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the buffer over (caller frees); NULL when an append failed. */
char *sb_take(strbuf *sb);

/* The length of `lit` if the text [p, end) starts with it, else 0. */
size_t prefix_len(const char *p, const char *end, const char *lit);

/* FNV-1a, 64 bits (canon.c): the hash of the caches of statements, results
   and referenced records. */
uint64_t fnv1a64(const void *data, size_t n);
/* 1 when s is an id: [a-z0-9._-], 1..64 bytes. */
int id_valid(const char *s);

/* ---- the registry (registry.c) ----------------------------------------- */

/* A function's result: a number (kept exactly, +-inf and NaN included) or
   a JSON value, which never holds a non-finite number. */
typedef struct ck_result {
  int is_num;
  double num;
  json_t *json;
} ck_result;

typedef struct ck_function ck_function;

/* Implementation of a function, handed its own entry.  `args` has one
   non-NULL value per parameter, defaults filled in, types and choices
   checked.  Returns a status code, having set the handle's error when it
   is not CK_OK. */
typedef int (*ck_impl)(ck_db *db, const ck_function *self,
                       json_t *const *args, ck_result *out);

/* A parameter, declared once: the registry checks it, and ck_functions()
   -- every front end's documentation -- describes it. */
typedef struct ck_param {
  const char *name;
  const char *type;    /* string, number, integer, boolean, array, any */
  const char *def;     /* JSON text of the default; NULL = required */
  const char *doc;
  const char *choices; /* a string's allowed values, space-separated;
                          NULL = any */
  const char *record;  /* the kind of record whose id it takes -- actor,
                          entity, metric, question, framework -- so that
                          a name or alias stands for the id (names.c);
                          NULL = none */
  const char *format;  /* what a string (or an array's every item) holds
                          beyond its type -- "period" (2026, 2026-Q1,
                          2026-03 ...) or "date" (YYYY-MM-DD) -- so that a
                          front end turns a date cell into one; NULL = no
                          such text */
} ck_param;

struct ck_function {
  const char *name;
  const char *doc;
  const char *returns; /* number, string, object, list, any */
  ck_impl impl; /* the call: the registry names no implementation */
  /* NULL for a built-in.  A function registered at run time (from Lua)
     brings this with its call: its entry, strings and all, belongs to
     whoever made it, and the registry hands it back here when it lets go
     of it (registry_free). */
  void (*release)(ck_function *self);
  ck_param params[CK_MAX_PARAMS]; /* up to the first without a name */
  int is_volatile; /* its answer is not the data's and the arguments' alone:
                      never cached (cache.c) */
};

/* The number of parameters: those with a name, in order. */
static inline int fn_nparams(const ck_function *fn) {
  int n = 0;
  while (n < CK_MAX_PARAMS && fn->params[n].name)
    n++;
  return n;
}

/* Built-in tables, one per file that defines functions. */
extern const ck_function ck_data_functions[];
extern const size_t ck_data_function_count;
extern const ck_function ck_view_functions[];
extern const size_t ck_view_function_count;
extern const ck_function ck_observation_functions[];
extern const size_t ck_observation_function_count;
extern const ck_function ck_text_functions[];
extern const size_t ck_text_function_count;
extern const ck_function ck_export_functions[];
extern const size_t ck_export_function_count;

int registry_init(ck_db *db);
void registry_free(ck_db *db);
/* Adds a function registered at run time (fn->release set); one of the
   same name is taken out and handed back in *replaced (the caller frees
   it).  The registry releases what it holds in registry_free(). */
int registry_add(ck_db *db, ck_function *fn, ck_function **replaced);
const ck_function *registry_find(const ck_db *db, const char *name);
/* Binds args_json and calls; on CK_OK *out holds the result. */
int registry_call(ck_db *db, const char *name, const char *args_json,
                  ck_result *out);
/* The same with arguments already decoded: a JSON list or object, or NULL
   for none.  `args` stays the caller's. */
int registry_call_json(ck_db *db, const char *name, json_t *args,
                       ck_result *out);
void result_clear(ck_result *r);
/* The JSON text of ck_functions(); NULL when memory runs out. */
char *registry_describe(ck_db *db);

typedef struct lua_host lua_host; /* the handle's Lua state (lua_host.h) */
#include "cache.h" /* the handle holds its result cache and record names */
#include "names.h"

/* ---- the handle --------------------------------------------------------- */

#define CK_STMT_CACHE 48

/* How storage_data_version() knows, unasked, that nothing changed. */
typedef struct data_watch {
  int probed;                   /* the file's kind was looked at */
  int memory;                   /* private: only this handle changes it */
  const volatile uint32_t *wal; /* the WAL index (-shm), NULL: none */
  uint32_t header[12];          /* its header when `seen` was read */
  int header_ok;                /* `header` belongs to `seen` */
  long long seen, own;          /* PRAGMA data_version, own changes then */
  long long epoch;              /* moves whenever either moves */
} data_watch;

typedef struct stmt_slot {
  uint64_t hash;
  char *sql;
  sqlite3_stmt *stmt;
} stmt_slot;

struct ck_db {
  sqlite3 *sql;
  stmt_slot stmts[CK_STMT_CACHE]; /* prepared once, reused per call */
  sqlite3_stmt *begin_read, *end_read; /* a call's snapshot */
  sqlite3_stmt *data_version;          /* PRAGMA data_version */
  data_watch watch;                    /* ... asked only when it may move */
  long long writes;                    /* imports on this handle */
  /* The data version (PRAGMA data_version) whose derived tables were found
     to agree with the claims; -1 for none yet (storage.c). */
  long long checked_version;
  ck_cache cache;
  name_map names[CK_RECORD_KINDS]; /* read when a name is first given */
  unsigned next_slot;
  int readonly;
  int errcode;
  char errmsg[CK_ERRMSG_MAX];
  char *result; /* the last string handed to the caller; freed next call */
  long long lua_memory, lua_steps, busy_ms;
  ck_budget budget; /* a running script's work and memory (budget.c) */
  /* Thresholds tests lower: an import of defer_claims claims or more into
     a file of fewer builds the key indexes last (import_claims.c); latest
     rows are stored in sorted batches (latest.c); a larger input than
     threaded_bytes is read on a second thread (import_reader.c); a pack
     file is read pack_window bytes at a time (import_pack.c). */
  long long defer_claims;   /* CK_DEFER_CLAIMS */
  size_t latest_batch;      /* CK_LATEST_BATCH */
  long long threaded_bytes; /* CK_THREADED_BYTES */
  size_t pack_window;       /* CK_PACK_WINDOW */
  int pack_whole; /* parse every pack whole (import_pack.c); tests set it */
  const ck_function **functions; /* sorted by name */
  size_t nfunctions, function_cap;
  lua_host *lua; /* made on first use */
  const char *auth_refused; /* what the sql() authorizer refused, if any */
  /* The current call (db_begin_call starts one). */
  long long sql_limit; /* CK_LIMIT_SQL_STEPS */
  long long sql_steps; /* SQLite steps so far: per call, per record of an
                          import */
  int upkeep;          /* claimkit's own upkeep of the file runs (the
                          derived tables' check and rebuild, storage.c):
                          no call's budget bounds it */
  int interrupted;     /* why SQLite was stopped: CK_SCRIPT, the script's
                          budget, CK_ERROR, CK_LIMIT_SQL_STEPS, or
                          DB_CANCELLED, ck_interrupt */
  atomic_int cancel;   /* ck_interrupt asked the running call to end: set
                          from any thread or a signal handler, cleared by
                          db_begin_call */
  long long result_room; /* bytes results may still take: what the calling
                            script has left of its memory; -1, no bound */
  int last_kind;       /* the last ck_call result, for ck_last_num() */
  double last_num;
  /* The running or last import's progress, by CK_PROGRESS_ constant: the
     only fields another thread may read while the handle is in use
     (ck_progress), hence atomics.  Only the importing thread writes them. */
  atomic_llong progress[CK_PROGRESS_RUNNING + 1];
};

enum { LAST_NONE, LAST_NUMBER, LAST_OTHER };

#define DB_CANCELLED (-1) /* ck_db.interrupted: ck_interrupt stopped SQLite */
/* 1 when ck_interrupt asked the running call to end. */
#define db_cancelled(db) atomic_load_explicit(&(db)->cancel, memory_order_relaxed)

/* Every API entry point starts a call: clears the error and the previous
   result string. */
void db_begin_call(ck_db *db);
/* db_begin_call() for calls that need the database: CK_MISUSE when the
   handle's ck_open failed. */
int db_enter(ck_db *db);
int db_error(ck_db *db, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* CK_NOMEM with the one message for it, "out of memory". */
int db_nomem(ck_db *db);
/* Maps an SQLite failure to a claimkit code and message; returns the code. */
int db_sql_error(ck_db *db, int sqlite_rc, const char *doing);
/* Takes ownership of `s` (may be NULL: CK_NOMEM) as the call's result. */
const char *db_set_result(ck_db *db, char *s);
/* Counts `bytes` a result of `fn` will take against result_room: CK_NOMEM
   (and the script's memory spent) when they do not fit. */
int db_charge(ck_db *db, const char *fn, size_t bytes);

#endif

/*
** internal.h -- what the core's files share: the handle and its errors,
** growable strings, the registry of functions.  Nothing here is exported:
** only the functions declared in claimkit.h leave the library.  A module
** used by a few files has its own header next to its .c file (periods.h,
** canon.h, storage.h, ...), included where it is used.
*/
#ifndef CK_INTERNAL_H
#define CK_INTERNAL_H

#include <stdatomic.h>
#include "claimkit.h"
#include "json_alloc.h"
#include "utf8.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define CK_SCHEMA_VERSION 3
#define CK_APPLICATION_ID 0x436b4442 /* "CkDB" */
#define CK_ERRMSG_MAX 1024
#define CK_PERIOD_MAX 32 /* "2026-W05" and friends, with room */
#define CK_MAX_PARAMS 8
/* A question's scale: at most this many points, each within +-CK_SCALE_BOUND
   (a scale is a Likert scale or a probability in percent, not a range of
   numbers; docs/packs.md). */
#define CK_SCALE_MAX_POINTS 101
#define CK_SCALE_BOUND 1000000
#define CK_PROGRESS_EVERY 1000 /* SQLite steps between two budget checks */
#define CK_DEFER_CLAIMS 50000 /* see ck_db.defer_claims */
#define CK_LATEST_BATCH 32768 /* see ck_db.latest_batch */
#define CK_THREADED_BYTES (1 << 20) /* see ck_db.threaded_bytes */
/* What an SQLite step costs a script's budget: about as long as five Lua
   VM instructions (measured: 24 ns against 4.5 ns). */
#define CK_SQL_STEP_COST 5

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
} ck_param;

struct ck_function {
  const char *name;
  const char *doc;
  const char *returns; /* number, string, object, list, any */
  ck_impl impl; /* NULL for a function registered from Lua, whose entry
                   lua_host.c owns, strings and all */
  ck_param params[CK_MAX_PARAMS]; /* up to the first without a name */
  int is_volatile; /* its answer is not the data's and the arguments' alone:
                      never cached (cache.c) */
};

/* The number of parameters: those with a name, in order. */
int fn_nparams(const ck_function *fn);

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
/* Adds a Lua function, which the registry then owns; one of the same name
   is taken out and handed back in *replaced (the caller frees it). */
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

/* ---- the Lua host (lua_host.c) ------------------------------------------ */

typedef struct lua_host lua_host;

/* Runs a chunk in the sandbox; CK_SCRIPT with "prefix chunk:line: message"
   on error.  prefix may be NULL. */
int lua_host_run(ck_db *db, const char *src, size_t len, const char *chunkname,
                 const char *prefix);
/* Calls a function registered from Lua. */
int lua_host_call(ck_db *db, const ck_function *fn, json_t *const *args,
                  ck_result *out);
/* Runs the stored scripts, in import order. */
int lua_host_run_stored(ck_db *db);
void lua_host_close(ck_db *db);
/* Frees a Lua function's registry entry (not its Lua reference). */
void lua_host_forget(ck_function *fn);
/* Charges n units of work done for the running script (SQLite steps) to
   its budget; -1 once that is spent (the caller then stops), else 0.  No
   effect when no script is running. */
int lua_host_charge(ck_db *db, long long n);
/* Marks the running script's memory as spent. */
void lua_host_spend_memory(ck_db *db);
/* The running call's final error once its budget is spent, else NULL. */
const char *lua_host_spent(ck_db *db);

/* The handle holds its result cache and its record names by value. */
#include "cache.h"
#include "names.h"

/* ---- the handle --------------------------------------------------------- */

#define CK_STMT_CACHE 48

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
  /* An import of about this many claims or more, into a database that
     holds fewer, builds the claims' key indexes at the end (import.c);
     CK_DEFER_CLAIMS, lowered by tests. */
  long long defer_claims;
  /* Latest rows kept before they are stored in a sorted batch (latest.c);
     CK_LATEST_BATCH, lowered by tests. */
  size_t latest_batch;
  /* A JSON Lines file larger than this is read on a second thread
     (import.c); CK_THREADED_BYTES, lowered by tests. */
  long long threaded_bytes;
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

/* ck_db.interrupted when ck_interrupt stopped SQLite (no CK_ code). */
#define DB_CANCELLED (-1)
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
/* db_error(db, CK_NOMEM, "out of memory"), the one message for it. */
int db_nomem(ck_db *db);
/* Maps an SQLite failure to a claimkit code and message; returns the code. */
int db_sql_error(ck_db *db, int sqlite_rc, const char *doing);
/* Takes ownership of `s` (may be NULL: CK_NOMEM) as the call's result. */
const char *db_set_result(ck_db *db, char *s);
/* Counts `bytes` a result of `fn` will take against result_room: CK_NOMEM
   (and the script's memory spent) when they do not fit. */
int db_charge(ck_db *db, const char *fn, size_t bytes);

/* ---- quantity expressions (quantity.c): pure ----------------------------- */

typedef struct ck_quantity {
  size_t start, end; /* the matched text, as byte offsets */
  double value, lo, hi;
  const char *qualifier; /* exact, approx, over, under, nearly, range,
                            vague */
  const char *unit;      /* CNY, USD, HKD, JPY, EUR, GBP, KRW, TWD, tokens,
                            params, GWh, TWh, MWh, kWh, %, pp, bp, x or "" */
  int direction; /* a word before it: -1 down (跌, fell, 低), +1 up, 0 none */
  int negative;  /* its own minus: -, 负, minus, accounting parentheses */
  int shared;    /* its scale or unit came from a list's last number
                    (692.85、902.20亿元) */
} ck_quantity;

/* Every quantity in text[0..len), in order, into a malloc'd array the
   caller frees; with limit > 0, the first `limit` of them.  The text must
   be valid UTF-8 (utf8_invalid_at).  Returns 0 when the whole text was
   read, 1 when the scan stopped at the limit, -1 when memory runs out. */
int quantity_scan(const char *text, size_t len, size_t limit,
                  ck_quantity **out, size_t *count);
/* {text, value, lo, hi, qualifier, unit} of q, found in `text`. */
json_t *quantity_json(const char *text, const ck_quantity *q);

/* transcript_draft() takes a codebook (codebook.h). */
typedef struct codebook codebook;

/* ---- drafting rules (draft_rules.c): pure -------------------------------- */

/* The length of a sentence end at byte i of t (。！？；!?; a line break, an
   English full stop before a space and a capital or at a line end), or
   0.  draft_clause_at() the same for clause ends (，, and sentence ends). */
size_t draft_stop_at(const char *t, size_t len, size_t i);
size_t draft_clause_at(const char *t, size_t len, size_t i);

/* A period or a date written in a text. */
typedef struct dr_period {
  size_t start, end;
  char iso[CK_PERIOD_MAX]; /* YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM or, for a
                              date, YYYY-MM(-DD); "" when its year is
                              unknown (no publication date) */
  int years, year0; /* a range of years (2023年至2025年): how many, the first */
  int base;         /* after 较, 比, than, versus: a comparison's base */
  int date;         /* when something was said or written (11月27日,
                       November 22, 2022年12月的报告): never a period */
} dr_period;

/* Every period and date of t, in order, into a malloc'd array; years not
   written are the year of `published` (YYYY-MM-DD or ""), the year before
   for a quarter, half or 全年 that had not begun by then.  0, or -1 when
   memory runs out. */
int draft_periods(const char *t, size_t len, const char *published,
                  dr_period **out, size_t *count);
/* 1 when the figure [qs, qe) states a change by a direction word (§5) in
   its words or just before them. */
int draft_direction(const char *t, size_t len, size_t qs, size_t qe);
/* A comparison word at i (同比, year over year, sequentially, versus):
   its basis (CB_BASIS_*) and length, *versus when it is versus / vs.;
   -1 when none. */
int draft_comparison_at(const char *t, size_t len, size_t i, size_t *n,
                        int *versus);
/* A phrase at i that names a basis without making a change (a year ago,
   去年同期, last quarter): its basis and length, or -1. */
int draft_basis_at(const char *t, size_t len, size_t i, size_t *n);
/* 1 when points follow a figure ending at qe (个百分点, basis points, bp):
   its unit is pp or bp whatever the parser made of it. */
int draft_points_after(const char *t, size_t len, size_t qe);
/* 1 when one of `words` (NULL-terminated) stands just before qs, maybe
   with 原来的 / the prior between: 由670港元 (由), from $30 (from). */
int draft_written_before(const char *t, size_t qs, const char *const *words);

/* ---- transcripts (transcript.c): pure ----------------------------------- */

/* The segments of a transcript, [{speaker, locator, text, line}], or NULL
   when memory runs out.  The text must be valid UTF-8.  room, when not
   NULL, is the bytes the result may take: it counts down, and a result
   that would not fit gives NULL with *room set to -1. */
json_t *transcript_segments(const char *text, size_t len, long long *room);
/* Takes `bytes` from *room (NULL: no bound); 0, with *room set to -1, when
   they do not fit: the one count segments and drafts spend. */
int transcript_take_room(long long *room, size_t bytes);
/* A draft claim pack (draft.c, DESIGN §8): the source record (the stored
   one when source_record is not NULL, else a new one), one observation per
   quantity and a view per question, sentence and actor whose cue a
   sentence holds, with what the codebook `cb` (may be NULL) and the text
   settle; the rest null for the analyst.  room as for
   transcript_segments.  NULL with *too_many set when the text has more
   than CK_DRAFT_MAX_CLAIMS claims to draft. */
json_t *transcript_draft(const char *text, size_t len, const char *source,
                         const char *published, codebook *cb,
                         const json_t *source_record, long long *room,
                         int *too_many);
/* A draft is for a person to review: more claims than this are refused
   (a call has a few hundred). */
#define CK_DRAFT_MAX_CLAIMS 10000
#define CK_QUOTE_MAX 1024

/* ---- what an import knows of referenced records (refs.c): pure ---------- */

typedef struct ref_entry {
  char *id; /* NULL: an empty slot */
  uint64_t hash;
  int looked_up;  /* the database was asked */
  int known;      /* the record exists: stored, or imported so far */
  int dangling;   /* referred to by a claim before it was known */
  double weight;  /* actors */
  char *region, *kind;
  char *published; /* sources */
  char *unit;      /* metrics */
  long long lo, hi; /* questions */
  long long stances, stance_min, stance_max; /* views this import stored */
} ref_entry;

typedef struct refs {
  ref_entry *slots;
  size_t cap, n;
} refs;

/* The entry of `id`, made (zeroed, weight 1) when new: *created says so.
   NULL when memory runs out.  Entries move when one is added. */
ref_entry *refs_get(refs *m, const char *id, int *created);
/* Replaces a text field of an entry with a copy of value (may be NULL);
   -1 when memory runs out. */
int refs_set_text(char **field, const char *value);
void refs_free(refs *m);

/* key_values: each (entity, metric, period)'s statistics over its latest
   observations -- n, the unit (NULL when they mix units), the medians of
   value, lo and hi, mean, sd, min, max -- computed by the same code that
   computes them on demand (observations.c), for the keys `keys_sql`
   selects (entity, metric, period).  A key without observations loses its
   row. */
int key_values_refresh(ck_db *db, const char *keys_sql);

#endif

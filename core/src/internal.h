/*
** internal.h -- what the core's files share.  Nothing here is exported:
** only the functions declared in claimkit.h leave the library.
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

/* ---- the result cache (cache.c) ---------------------------------------- */

/* The data version: moves with another connection's commits and this
   handle's own writes; -1 when it cannot be read. */
long long cache_data_version(ck_db *db);

/* How cache_data_version knows nothing changed without asking SQLite
   (cache.c). */
typedef struct cache_watch {
  int probed;                 /* the file's kind was looked at */
  int memory;                 /* private: only this handle changes it */
  const volatile uint32_t *wal; /* the WAL index (-shm), NULL: none */
  uint32_t header[12];        /* its header when `seen` was read */
  int header_ok;              /* `header` belongs to `seen` */
  long long seen, own;        /* PRAGMA data_version, own changes then */
  long long epoch;            /* moves whenever either moves */
} cache_watch;

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
  cache_watch watch;
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

/* ---- names of records (names.c) ------------------------------------------ */

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
int names_resolve(ck_db *db, const ck_function *fn, json_t **args,
                  int unknown_only, int *changed);
void names_clear(ck_db *db);
/* The index of a record kind (actor, entity, ...), or -1. */
int names_kind(const char *kind);

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
/* Maps an SQLite failure to a claimkit code and message; returns the code. */
int db_sql_error(ck_db *db, int sqlite_rc, const char *doing);
/* Takes ownership of `s` (may be NULL: CK_NOMEM) as the call's result. */
const char *db_set_result(ck_db *db, char *s);
/* Counts `bytes` a result of `fn` will take against result_room: CK_NOMEM
   (and the script's memory spent) when they do not fit. */
int db_charge(ck_db *db, const char *fn, size_t bytes);

/* ---- storage (storage.c) ------------------------------------------------ */

int storage_open(ck_db *db, const char *path, int flags);
/* A prepared statement for `sql` from the handle's cache, ready to bind
   and step; give it back with storage_release().  A statement still in use
   further up the stack is never handed out twice: a fresh one is made. */
int storage_cached(ck_db *db, const char *sql, sqlite3_stmt **stmt);
/* CK_OK when `table` holds a record with this id, else CK_NOTFOUND with
   "fn: no <what> 'id'". */
int storage_require(ck_db *db, const char *fn, const char *table,
                    const char *what, const char *id);
/* Resets a cached statement for its next use, finalizes any other. */
void storage_release(ck_db *db, sqlite3_stmt *stmt);
/* Finalizes every cached statement (before closing the connection). */
void storage_cache_clear(ck_db *db);
/* A call's reads see one snapshot: a read transaction when none is open.
   *began says whether this call began it, for storage_read_end(). */
int storage_read_begin(ck_db *db, int *began);
void storage_read_end(ck_db *db, int began);
/* The derived tables (latest_views, latest_observations, key_values) are
   checked against the claims by a fingerprint -- counts of the tables they
   come from and of their own rows, kept in claimkit_meta -- whenever
   another connection changed the file: storage_read_begin() checks it
   and, on a read-write handle, rebuilds them from the claims when it
   disagrees (a read-only handle gets CK_ERROR).  An import checks it as it
   begins (inside its transaction) and stores the new one before it
   commits. */
int storage_derived_settle(ck_db *db);
int storage_fingerprint_store(ck_db *db);
/* Runs SQL without results; on failure sets the handle's error. */
/* Binds `s` to parameter i without a copy (it must outlive the step);
   NULL binds SQL NULL, as sqlite3_bind_text() does for a NULL pointer. */
static inline void storage_bind_text(sqlite3_stmt *st, int i, const char *s) {
  sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}
int storage_exec(ck_db *db, const char *sql, const char *doing);
int storage_prepare(ck_db *db, const char *sql, sqlite3_stmt **stmt);

/* ---- canonical JSON (canon.c) ------------------------------------------- */

/* Python's json.dumps(v, sort_keys=True, ensure_ascii=False) byte for byte:
   separators (",", ":") when indent is 0, else (",", ": ") with `indent`
   spaces per level, starting at level `depth`.  Non-finite numbers, which
   JSON cannot hold, are written as null. */
void canon_dump(strbuf *sb, const json_t *v, int indent, int depth,
                int sort_keys);
/* canon_dump() of an object with members replaced, added, or (a NULL
   value) left out: keys[i] -> values[i], i < n. */
void canon_dump_with(strbuf *sb, const json_t *obj, int indent, int depth,
                     int sort_keys, const char *const *keys,
                     json_t *const *values, int n);
/* canon_dump() of an object without indent, keys sorted, returning the
   offset in sb at which a member named `mark` (not in the object) goes:
   after the ',' or '{' before the first member that sorts after it, or at
   the closing '}' (where it needs a ',' before it unless the object is
   empty). */
size_t canon_dump_marking(strbuf *sb, const json_t *obj, const char *mark);
/* Python's repr(float): the shortest text that reads back as d. */
void canon_number(strbuf *sb, double d);
/* canon_dump() into a string the caller frees; NULL when v is NULL or
   memory runs out. */
char *canon_text(const json_t *v, int indent, int sort_keys);
/* d as JSON: a real, or null for +-inf and NaN, which JSON cannot hold. */
json_t *json_number(double d);
/* A column as JSON text, or null; NULL when memory runs out. */
json_t *column_text(sqlite3_stmt *st, int i);
/* json_object_set_new and json_array_append_new that record a failure
   (no memory, or a NULL value from a failed build) in *bad instead of
   dropping it silently: builders check *bad once at the end. */
void jset(json_t *obj, const char *key, json_t *v, int *bad);
void jpush(json_t *arr, json_t *v, int *bad);
/* "a string", "a number", ... for messages about a JSON value's type. */
const char *json_kind(const json_t *v);
uint64_t fnv1a64(const void *data, size_t n);

/* ---- periods and dates (periods.c): pure ------------------------------- */

/* 1 when s is a real calendar date written YYYY-MM-DD. */
int date_valid(const char *s);
/* Writes the ISO form of a period (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM,
   YYYY-Www, YYYY-MM-DD, or a Chinese form such as 2026年3月, 2025年下半年,
   2026年第一季度, 2025年年末) into out.  Returns 0, or -1 when s is none. */
int period_normalise(const char *s, char out[CK_PERIOD_MAX]);
/* The last day of an ISO period as YYYY-MM-DD; -1 when not a period. */
int period_end(const char *iso, char out[11]);

/* ---- ordinal measures (ordinal.c): pure --------------------------------- */

enum ordinal_m {
  OM_MEAN,
  OM_MEDIAN,
  OM_SD,
  OM_CNS,
  OM_AGREEMENT,
  OM_LEIK,
  OM_ENTROPY,
  OM_BULL,
  OM_BEAR,
  OM_BALANCE
};

/* Measure `m` of the distribution of weights w[0..k-1] over the categories
   x_min .. x_min + k - 1 (docs/functions.md).  Returns 0, or -1 when it is not
   defined: no weight, k < 2, or agreement with k < 3. */
int ordinal_measure(const double *w, int k, int x_min, enum ordinal_m m,
                    double *out);
/* Jensen-Shannon divergence, base 2, in [0, 1], of two weight vectors, each
   normalised on its own; NaN when either is empty. */
double ordinal_jsd(const double *wp, const double *wq, int k);

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

/* ---- the codebook (codebook.c): pure, but for codebook_load ------------ */

enum { CB_ACTOR, CB_ENTITY, CB_METRIC, CB_CUE, CB_KINDS };

typedef struct cb_term {
  char *text; /* ASCII letters folded to lower case */
  size_t len, chars; /* bytes, characters */
  int kind;   /* CB_ACTOR .. CB_CUE */
  int record; /* index into ids[kind] (for a cue, its question) */
  int stance; /* a cue's */
} cb_term;

/* What a draft needs of a metric besides its names (DESIGN §2, §8). */
enum { CB_BASIS_NONE, CB_BASIS_YOY, CB_BASIS_QOQ };
typedef struct cb_metric {
  char *id, *unit, *change_of; /* unit, change_of may be NULL */
  int basis, point_in_time;
} cb_metric;

typedef struct codebook {
  char **ids[CB_KINDS]; /* records by kind, in the order they were added */
  size_t nids[CB_KINDS];
  cb_metric *metrics; /* every metric, by id */
  size_t nmetrics;
  cb_term *terms;
  size_t nterms, cap;
  uint32_t *order; /* the terms by their bytes, sorted by the first find */
} codebook;

/* A term found in a text: bytes [start, end). */
typedef struct cb_hit {
  size_t start, end, chars; /* chars: the length that decides overlaps */
  int kind, record, stance;
} cb_hit;

void codebook_init(codebook *cb);
void codebook_free(codebook *cb);
/* The index of record `id` of `kind`, added when it is not the last one
   added (add a record's terms together); -1 when memory runs out. */
int codebook_record(codebook *cb, int kind, const char *id);
/* Adds a name, alias or (kind CB_CUE) cue phrase; a blank one is left
   out.  0, or -1 when memory runs out. */
int codebook_term(codebook *cb, int kind, int record, const char *text,
                  size_t len, int stance);
/* The mentions in text[0..len) (longest of overlapping ones; ordered by
   start) and every cue phrase found (ordered by start), in malloc'd
   arrays the caller frees.  room as for transcript_segments.  0, or -1
   when memory (or room) runs out. */
int codebook_find(codebook *cb, const char *text, size_t len,
                  cb_hit **mentions, size_t *nmentions, cb_hit **cues,
                  size_t *ncues, long long *room);
/* The actor whose name or alias is the whole label, or -1. */
int codebook_speaker(const codebook *cb, const char *label, size_t len);
/* The metric `id`, or NULL. */
const cb_metric *codebook_metric(const codebook *cb, const char *id);
/* Adds the database's codebook: names, aliases and cues, by id, and every
   metric's unit, point_in_time, change_of and basis. */
int codebook_load(ck_db *db, codebook *cb);
/* The stored record of source `id` (*out NULL when there is none). */
int codebook_source(ck_db *db, const char *id, json_t **out);

/* ---- claim sheets (sheet.c): pure -------------------------------------- */

typedef struct sheet_reader {
  FILE *f;
  char *buf; /* a block of the file */
  size_t pos, end;
  long long consumed;  /* bytes of the file before buf's block */
  int started, failed; /* failed: SHEET_NOMEM or SHEET_IO */
  long lineno;      /* the line being read (a line ends with LF, CRLF or CR) */
  long record_line; /* the line the last record started on */
  strbuf cells;     /* the record's cells, each NUL-terminated */
  size_t *start, ncells, cap;
} sheet_reader;

void sheet_open(sheet_reader *r, FILE *f);
void sheet_close(sheet_reader *r);
/* The next record: 1, 0 at the end of the file, SHEET_BAD with *err
   saying what is malformed, SHEET_NOMEM or SHEET_IO (errno says why). */
enum { SHEET_BAD = -1, SHEET_NOMEM = -2, SHEET_IO = -3 };
int sheet_next(sheet_reader *r, const char **err);
/* Cell i of the record (0 <= i < r->ncells). */
const char *sheet_cell(const sheet_reader *r, size_t i);
/* Every cell of the record is empty (a spreadsheet's blank row). */
int sheet_blank(const sheet_reader *r);
/* A claim sheet's columns for the claim fields, in the order they are
   written. */
#define CK_SHEET_FIELDS 17
extern const char *const ck_sheet_fields[CK_SHEET_FIELDS];

/* Appends a cell, quoted where it must be; `last` ends the record. */
void sheet_put(strbuf *sb, const char *cell, int last);
/* A tags cell: the tags joined with ';' when that reads back as the same
   list, else the list's JSON. */
void sheet_put_tags(strbuf *cell, const json_t *tags);
/* A field name a plain header cell reads back as itself (not empty, no
   space at either end, no leading quote, not a claim field's or "type" in
   any case); any other is written in JSON quotes, and its column holds
   JSON values. */
int sheet_plain_name(const char *name);

/* The header's column names: claim fields in their own spelling whatever
   the case, other names as written (trimmed), or exactly as a header cell
   in JSON quotes gives them (exact: that column's cells are JSON); ""
   and not exact for an unnamed column. */
typedef struct sheet_columns {
  char **name;
  char *exact;
  size_t n;
} sheet_columns;

/* -1 with msg saying why (not UTF-8, a name given twice, a bad name in
   quotes), or "" when out of memory. */
int sheet_header(const sheet_reader *r, sheet_columns *c, char *msg,
                 size_t msglen);
void sheet_columns_free(sheet_columns *c);
/* The record as a claim object: a field per non-empty cell; stance an
   integer, value/lo/hi numbers, tags split on ';' (or a JSON list), a
   "type" cell checked and left out (*source set when it says "source":
   the row is a draft's source record), the rest strings; JSON values in an
   exact column.  NULL with msg saying why ("" when out of memory), and
   *column the cell's column name when one cell is to blame. */
json_t *sheet_claim(const sheet_reader *r, const sheet_columns *c,
                    const char **column, int *source, char *msg,
                    size_t msglen);

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

/* ---- latest views and observations (latest.c) ---------------------------- */

/* An import keeps latest_views and latest_observations up to date: each
   new claim is compared with its key's latest row as it is stored, and at
   the end the keys that cannot be settled that way -- a replaced claim's
   old key, claims of a source or actor that changed or came later in the
   input -- are computed again from the claims. */
typedef struct latest latest;

int latest_begin(ck_db *db, latest **out);
/* A stored view or observation, maybe newer than its key's latest. */
int latest_view(latest *lt, const char *question, const char *actor,
                const char *date, long long seq, long long stance,
                double weight, const char *region, const char *kind,
                const char *claim);
int latest_observation(latest *lt, const char *entity, const char *metric,
                       const char *period, const char *actor, const char *date,
                       long long seq, const char *period_end, double value,
                       double lo, double hi, const char *unit,
                       const char *claim);
/* The claim `id` is about to be replaced: its key is computed again. */
int latest_replacing(latest *lt, const char *id);
/* An actor's weight, region or kind, or a source's date, changed or was
   not known when its claims were stored: their rows are set again; a
   metric's unit changed: its keys' values are computed again. */
int latest_repair_actor(latest *lt, const char *id);
int latest_repair_source(latest *lt, const char *id);
int latest_repair_metric(latest *lt, const char *id);
/* Every claim is stored: settles what is left.  Frees lt. */
int latest_end(latest *lt);
void latest_free(latest *lt);

/* key_values: each (entity, metric, period)'s statistics over its latest
   observations -- n, the unit (NULL when they mix units), the medians of
   value, lo and hi, mean, sd, min, max -- computed by the same code that
   computes them on demand (observations.c), for the keys `keys_sql`
   selects (entity, metric, period).  A key without observations loses its
   row. */
int key_values_refresh(ck_db *db, const char *keys_sql);

/* ---- filters (filter.c) ------------------------------------------------- */

enum filter_key {
  FK_REGION,
  FK_ACTOR,
  FK_KIND,
  FK_SOURCE,
  FK_TAG,
  FK_SINCE,
  FK_UNTIL
};

#define CK_FILTER_MAX 32

typedef struct ck_filter {
  int n;
  struct {
    enum filter_key key;
    char *value;
  } terms[CK_FILTER_MAX];
  char *text; /* the copy the values point into */
} ck_filter;

/* Parses "key=value key=value"; NULL and "" give no terms.  Sets the
   handle's error (CK_INVALID) on a bad filter. */
/* A filter parameter's documentation, one for every function. */
#define FILTER_DOC                                                             \
  "space-separated key=value terms, all must hold: region, actor, kind, "      \
  "source, tag, since, until"

int filter_parse(ck_db *db, const char *s, ck_filter *f);
void filter_free(ck_filter *f);
/* A filter of the one term key=value; value is borrowed, nothing to free. */
void filter_one(ck_filter *f, enum filter_key key, const char *value);
/* Appends " AND cond" per term, over claims c, actors a and sources s. */
void filter_sql(const ck_filter *f, strbuf *sql);
/* 1 when every term is on the actor (region, kind, actor): then the
   latest view of each matching actor is the same before or after the
   filter, and latest_views answers it. */
int filter_on_actors(const ck_filter *f);
/* filter_on_actors() terms over latest_views l. */
void filter_sql_latest(const ck_filter *f, strbuf *sql);
/* Binds the values of filter_sql()'s placeholders, starting at `first`;
   returns the next free index. */
int filter_bind(const ck_filter *f, sqlite3_stmt *stmt, int first);

/* What a message about a damaged derived row (latest_views,
   latest_observations, key_values) tells the user to do: the rows are
   computed again from the claims when their fingerprint disagrees
   (storage.c), which deleting it makes sure of. */
#define CK_REBUILD_HINT                                                        \
  " (to rebuild the derived tables from the claims: DELETE FROM "             \
  "claimkit_meta, then open the file read-write)"

/* The effective date of a claim: its as_of, else its source's date. */
#define CK_CLAIM_DATE "COALESCE(c.as_of, s.published)"

/* The rows of latest_views and latest_observations, computed from claims
   c (sources s, actors a), for the keys `where` (SQL: " AND ...")
   selects: the latest claim of each actor -- largest date, then latest
   imported -- with what queries need of it.  A date is '' when a claim
   has none (it sorts before every date), a period '' when undated.  One
   definition for the migration, an import's repairs and its rebuilds. */
#define CK_LATEST_VIEWS(where)                                                 \
  "SELECT question, actor, date, seq, stance, weight, region, kind, id "      \
  "FROM (SELECT c.question, c.actor, COALESCE(c.as_of, s.published, '') "     \
  "AS date, c.seq, c.stance, a.weight, a.region, a.kind, c.id, "              \
  "row_number() OVER (PARTITION BY c.question, c.actor ORDER BY "             \
  "COALESCE(c.as_of, s.published) DESC, c.seq DESC) AS latest "               \
  "FROM claims c JOIN actors a ON a.id = c.actor LEFT JOIN sources s ON "     \
  "s.id = c.source WHERE c.kind = 'view'" where ") WHERE latest = 1"
#define CK_LATEST_OBSERVATIONS(where)                                          \
  "SELECT entity, metric, COALESCE(period, ''), actor, date, seq, "           \
  "period_end, value, lo, hi, COALESCE(unit, ''), id FROM (SELECT "           \
  "c.entity, c.metric, c.period, c.actor, COALESCE(c.as_of, s.published, "    \
  "'') AS date, c.seq, c.period_end, c.value, c.lo, c.hi, c.unit, c.id, "     \
  "row_number() OVER (PARTITION BY c.entity, c.metric, c.period, c.actor "    \
  "ORDER BY COALESCE(c.as_of, s.published) DESC, c.seq DESC) AS latest "      \
  "FROM claims c LEFT JOIN sources s ON s.id = c.source WHERE c.kind = "      \
  "'observation'" where ") WHERE latest = 1"

/* ---- ids ---------------------------------------------------------------- */

/* 1 when s is an id: [a-z0-9._-], 1..64 bytes. */
int id_valid(const char *s);

#endif

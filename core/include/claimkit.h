/*
** claimkit.h -- the whole public C interface of claimkit.
**
** claimkit stores structured claims taken from research notes, broker
** reports and call transcripts (which institution takes which stance on
** which question, which numbers were quoted, from which source and minute)
** and computes metric functions over them.
**
** Conventions (after SQLite):
**   - Every function that can fail returns an int status code (CK_OK = 0)
**     and keeps the last error on the handle: ck_errcode() and ck_errmsg()
**     read it without changing it.  Every call on a handle resets it.
**   - A `const char *` returned by a function belongs to the handle and
**     stays valid until the next call on that handle.  Copy it at once.
**     No function returns memory that the caller must free.
**   - Functions returning double signal failure with NaN *and* set the
**     handle's error, so 0.0 is always a real zero.
**   - A handle is used by one thread at a time; separate handles may be
**     used from separate threads at the same time.  The one exception is
**     ck_progress(), which any thread may call while another uses the
**     handle.
**   - Strings are UTF-8.  Every exported symbol starts with `ck_`.
**
** The names, signatures and behaviour here are a stable ABI: a shipped
** signature never changes (a changed one gets a `_v2`).  "since" names the
** first version that has the function.
*/
#ifndef CLAIMKIT_H
#define CLAIMKIT_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define CK_API
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define CK_API __attribute__((visibility("default")))
#else
#  define CK_API
#endif

#define CK_VERSION_MAJOR 0
#define CK_VERSION_MINOR 2
#define CK_VERSION_PATCH 0
#define CK_VERSION "0.2.0"
#define CK_VERSION_NUMBER                                                      \
  (CK_VERSION_MAJOR * 1000000 + CK_VERSION_MINOR * 1000 + CK_VERSION_PATCH)

/*
** Status codes.  Fixed values: never renumbered; new codes may be added.
*/
#define CK_OK 0       /* success                                           */
#define CK_ERROR 1    /* other failure                                     */
#define CK_INVALID 2  /* bad input: JSON, argument, quantity, id           */
#define CK_NOTFOUND 3 /* no such question/entity/function, no data         */
#define CK_NOMEM 4    /* out of memory                                     */
#define CK_IO 5       /* file or database I/O                              */
#define CK_BUSY 6     /* database locked past the busy timeout             */
#define CK_SCRIPT 7   /* Lua error, or a sandbox limit was hit             */
#define CK_MISUSE 8   /* NULL handle, call out of order                    */
#define CK_READONLY 9 /* write attempted on a handle opened read-only      */

/* Flags of ck_open(). */
#define CK_OPEN_READONLY 1

/* Limits of ck_limit(). */
#define CK_LIMIT_LUA_MEMORY 1 /* bytes a Lua state may hold, default 64 MiB  */
#define CK_LIMIT_LUA_STEPS 2  /* a script call's budget of work, default 1e8 */
#define CK_LIMIT_BUSY_MS 3    /* SQLite busy timeout in ms, default 5000     */
#define CK_LIMIT_SQL_STEPS 4  /* SQLite steps per call, default 1e9 (0.2)   */

/* What ck_progress() reads. */
#define CK_PROGRESS_BYTES 1   /* bytes of the input worked through        */
#define CK_PROGRESS_TOTAL 2   /* the input's size in bytes; 0: not known  */
#define CK_PROGRESS_CLAIMS 3  /* claims the import has taken so far       */
#define CK_PROGRESS_RUNNING 4 /* 1 while an import runs, else 0           */

/* An open claim database.  Opaque. */
typedef struct ck_db ck_db;

/*
** ck_version -- the library's version as "MAJOR.MINOR.PATCH".
** The string is static.  Since 0.1.
*/
CK_API const char *ck_version(void);

/*
** ck_version_number -- MAJOR*1000000 + MINOR*1000 + PATCH of the library
** actually loaded (compare with CK_VERSION_NUMBER, the one compiled
** against).  Since 0.1.
*/
CK_API int ck_version_number(void);

/*
** ck_errstr -- the generic English text of a status code, e.g. "bad input"
** for CK_INVALID; "unknown status code" for a value that is none.  The
** string is static.  Since 0.1.
*/
CK_API const char *ck_errstr(int rc);

/*
** ck_errname -- the name of a status code as this header spells it, e.g.
** "CK_INVALID" for CK_INVALID; NULL for a value that is none.  The codes
** run from CK_OK (0) up without a gap, so a binding lists them all by
** counting until NULL.  The string is static.  Since 0.2.
*/
CK_API const char *ck_errname(int rc);

/*
** ck_open -- open (creating it if needed) the claim database at `path`.
**
** path   a file name; NULL, "" or ":memory:" open a private in-memory
**        database.
** flags  0, or CK_OPEN_READONLY: the file must exist and is never written
**        (imports then fail with CK_READONLY).
** out    receives the handle.  It is set even on failure, so that the
**        message can be read with ck_errmsg() before ck_close(); it is
**        NULL only when the handle itself could not be allocated
**        (CK_NOMEM).  On CK_SCRIPT the database is open and usable: a
**        stored script failed (see ck_script), the data is untouched.
**
** A file written by an older claimkit is migrated to the current schema
** (read-write opens only); a newer one, an SQLite file that is not a
** claimkit database, and one whose schema another tool changed (a view in
** place of a table, a trigger, an altered column; indexes a user added are
** allowed) are refused.  File databases use WAL journaling.  The stored
** scripts run under the same budget as ck_script(), so a hostile one
** costs at most CK_LIMIT_LUA_STEPS before ck_open returns CK_SCRIPT.
**
** Returns CK_OK, CK_IO (cannot open), CK_ERROR (schema too new, not a
** claimkit database), CK_READONLY (read-only file needs migrating),
** CK_SCRIPT (a stored script failed), CK_NOMEM, or CK_MISUSE (out is NULL,
** unknown flags).  Since 0.1.
*/
CK_API int ck_open(const char *path, int flags, ck_db **out);

/*
** ck_close -- close a handle and free everything it owns, including every
** string it returned.  NULL is a harmless no-op.  Returns CK_OK.
** Since 0.1.
*/
CK_API int ck_close(ck_db *db);

/*
** ck_errcode -- the status code of the last call on `db` (CK_OK after a
** successful one).  CK_MISUSE for a NULL handle.  Since 0.1.
*/
CK_API int ck_errcode(const ck_db *db);

/*
** ck_errmsg -- the message of the last call on `db`: what was wrong and
** where.  "not an error" after a success.  Never NULL.  Since 0.1.
*/
CK_API const char *ck_errmsg(const ck_db *db);

/*
** ck_import_json -- import a claim pack (one JSON object) or a JSON Lines
** stream (one object per line, each with a "type") held in `json`.
**
** The import is one transaction: when anything is wrong nothing is
** written, and the error names the JSON Pointer (RFC 6901) of the
** offending value -- prefixed by "line N: " in JSON Lines -- or the line
** and column of a JSON syntax error.  Importing the same pack twice changes
** nothing.  See docs/packs.md for every validation rule.
**
** A file database that holds no claims yet and that no other connection
** has open takes its import written once, with a rollback journal, rather
** than twice through the WAL; it is in WAL mode again when the import
** returns.  Meanwhile other connections wait for it (their busy timeout)
** instead of reading the empty file.
**
** Returns CK_OK, CK_INVALID (bad pack), CK_READONLY, CK_BUSY, CK_IO,
** CK_NOMEM, or CK_MISUSE (NULL db or json).  Since 0.1.
*/
CK_API int ck_import_json(ck_db *db, const char *json);

/*
** ck_import_file -- like ck_import_json() with the contents of the file at
** `path`.  JSON Lines files are read one line at a time, and a pack in a
** regular file a few megabytes at a time, so memory stays bounded whatever
** the file's size.  A file whose name ends in ".csv" (in
** any case) is a claim sheet: a header row naming claim fields, then a
** claim a row (docs/sheets.md); its messages name the file, line and
** column, "claims.csv:4: stance: 'x' is not an integer".  CK_IO when the
** file cannot be read.  Since 0.1; claim sheets since 0.2.
*/
CK_API int ck_import_file(ck_db *db, const char *path);

/*
** ck_progress -- how far the running import on `db` has got, or where
** the last one ended, read without a callback: a front end polls it from
** a thread of its own (a few times a second) while its other thread is
** inside ck_import_file() or ck_import_json().
**
** which  CK_PROGRESS_BYTES: bytes of the input worked through.  JSON
**          Lines count up to the end of the last line stored; a pack's
**          bytes count as it is first read through (its shape checked),
**          and its claims (CK_PROGRESS_CLAIMS) while they are stored; a claim
**          sheet counts up to its last row stored.
**        CK_PROGRESS_TOTAL: the input's size: the file's for a regular
**          file, strlen() of ck_import_json()'s text; 0 while it is not
**          known (a pipe), then, once the import succeeds, the bytes read.
**        CK_PROGRESS_CLAIMS: claim records the import has taken so far
**          (stored, or found stored already); a failed import writes
**          none of them.
**        CK_PROGRESS_RUNNING: 1 from the start of an import to its end,
**          else 0.
**
** Every value is 0 before the handle's first import.  An import sets
** them to 0 (TOTAL to the size) when it starts; while it runs they only
** grow; after a successful one BYTES equals TOTAL, and after a failed one
** they stay where it stopped.  BYTES reaches TOTAL before the import ends:
** building indexes and committing come after the last byte (RUNNING is
** then still 1).
**
** Threads: the exception to "one thread at a time".  ck_progress() may be
** called from any thread at any time between ck_open() and ck_close() on
** `db` -- including while another thread runs any call on it -- and only
** reads counters the import updates atomically.  It neither reads nor
** changes the handle's error, and returns no string.  It must not race
** ck_close(): stop polling before the handle is closed.
**
** Returns the value, or -1 for a NULL handle or an unknown `which`.
** Since 0.2.
*/
CK_API long long ck_progress(const ck_db *db, int which);

/*
** ck_export_json -- the database as one canonical claim pack: keys sorted,
** every list ordered by id, two-space indentation, numbers in their
** shortest round-trip form.  Exporting, importing the result into an empty
** database and exporting again gives the same bytes.
**
** filter  NULL or "" for everything; else a filter string (space-separated
**         key=value terms: region, actor, kind, source, tag, since, until)
**         selecting claims, with the records they refer to.
**
** Returns the pack (owned by the handle), or NULL on error (CK_INVALID for
** a bad filter).  Since 0.1.
*/
CK_API const char *ck_export_json(ck_db *db, const char *filter);

/*
** ck_call -- call the registry function `function` with `args_json`, a
** JSON array of positional arguments or an object of named ones (NULL or
** "" for none; missing trailing arguments and JSON nulls take their
** defaults).
**
** The call reads one snapshot of the database (a read transaction), so a
** writer in another process is seen whole or not at all; its SQL runs at
** most CK_LIMIT_SQL_STEPS steps (CK_ERROR past them).
**
** Returns the result as JSON text (owned by the handle; a non-finite
** number is written as null -- ck_last_num() reads it exactly), or NULL on
** error: CK_NOTFOUND for an unknown function or no matching data,
** CK_INVALID for a bad argument.  Since 0.1.
*/
CK_API const char *ck_call(ck_db *db, const char *function,
                           const char *args_json);

/*
** ck_num -- like ck_call(), for a function whose result is a number, which
** is returned as it is (including +-infinity).  A boolean result gives 1 or
** 0.  NaN on error, with the handle's error set (CK_INVALID when the result
** is not a number).  Since 0.1.
*/
CK_API double ck_num(ck_db *db, const char *function, const char *args_json);

/*
** ck_last_num -- the number behind the result of the last ck_call() on
** `db`, read without calling the function again.  JSON writes +-infinity
** and NaN as null, so a "null" result may be a number: this returns it
** exactly (a boolean result gives 1 or 0).
**
** It is not a new call: the result string of ck_call() stays valid.  NaN
** with CK_INVALID when that result is not a number (a real null, a string,
** a list), CK_MISUSE when the last call on the handle was not a ck_call()
** that succeeded.  Since 0.2.
*/
CK_API double ck_last_num(ck_db *db);

/*
** ck_interrupt -- asks the call running on `db` to end as soon as it can:
** its SQL at the next progress check, a Lua script at its next hook tick
** (both within microseconds to milliseconds).  The call returns CK_ERROR
** ("...: interrupted (ck_interrupt)"), or CK_SCRIPT from a script, and
** whatever it was writing is rolled back; the handle stays usable.
**
** This is the one function that may be called while another thread uses
** `db`, or from a signal handler (a console's Ctrl-C): it only sets a flag.
** With no call running it does nothing (the next call starts afresh).
** Returns CK_OK, or CK_MISUSE for a NULL handle.  Since 0.2.
*/
CK_API int ck_interrupt(ck_db *db);

/*
** ck_functions -- a JSON list describing every callable function, built in
** or registered from Lua: [{"name", "doc", "returns", "params": [{"name",
** "type", "default", "doc", "choices", "record", "format"}]}], ordered by
** name.  A parameter without a "default" is required; "choices" lists a
** string's allowed values; "record" names the kind of record whose id it
** takes (actor, entity, metric, question, framework), a name or alias
** standing for it; "format" says what its text holds (an array's: each
** item's): "period" (2026, 2026-Q1, 2026-03, ...) or "date" (YYYY-MM-DD),
** so a front end knows a date it is given is meant as one (since 0.2).
** A key a parameter has no need of is absent.  The function
** "sheet_fields" lists a claim sheet's columns.  Owned by the handle; NULL
** on error.  Since 0.1.
*/
CK_API const char *ck_functions(ck_db *db);

/*
** ck_script -- run the Lua chunk `lua_source` (named `chunkname` in error
** messages) in the handle's sandboxed Lua 5.4 state, made on first use.
** The sandbox has the base library without dofile, loadfile and binary
** chunks, collectgarbage("count") only, string (no dump), table, math,
** utf8, coroutine and os.time/clock/date/difftime; setmetatable refuses
** __gc.  A global `ck` calls every registry function (ck.consensus(q)) and
** ck.register{name=, params=, doc=, returns=, fn=} adds one, which
** ck_functions() then lists and ck_call() calls.
**
** Each call from outside has one budget: CK_LIMIT_LUA_STEPS units of work
** -- VM instructions, SQLite steps run for it, the loops and bytes C works
** through for it (pattern matching, string.rep, table.move, utf8.len,
** strings made ...), and CPU time none of these explains (docs/lua.md)
** -- and CK_LIMIT_LUA_MEMORY bytes, the Lua state's and what the library
** builds for the script.  Once either is spent the call ends: no pcall,
** xpcall, coroutine or __close handler can catch or outlive that error.
** As a backstop a call also ends after 100 ns of CPU per unit of its
** budget (10 s at the default, at least 2 s).
**
** Returns CK_OK, or CK_SCRIPT with "chunkname:line: message" for any Lua
** error or exceeded limit; the handle and its Lua state stay usable.
** CK_MISUSE for a NULL handle or source.  Since 0.1.
*/
CK_API int ck_script(ck_db *db, const char *lua_source, const char *chunkname);

/*
** ck_limit -- set limit `which` (a CK_LIMIT_ constant) to `value` and
** return its previous value; a negative `value` only reads it.  Returns -1
** and sets CK_INVALID for an unknown limit, CK_MISUSE for a NULL handle.
** Since 0.1; CK_LIMIT_SQL_STEPS since 0.2.
*/
CK_API long long ck_limit(ck_db *db, int which, long long value);

/*
** ck_value -- the typed shortcut of the registry function "value":
** the median over actors of the observations of (entity, metric, period);
** part is "value", "lo" or "hi"; NULL or "" period means the latest period,
** NULL or "" part means "value".  NaN on error.  Since 0.1.
*/
CK_API double ck_value(ck_db *db, const char *entity, const char *metric,
                       const char *period, const char *part);

/*
** ck_consensus -- the typed shortcut of the registry function "consensus":
** a consensus measure of the views on `question` that match `filter`
** (NULL or "" measure means "cns"; NULL or "" filter means all views).
** NaN on error.  Since 0.1.
*/
CK_API double ck_consensus(ck_db *db, const char *question,
                           const char *measure, const char *filter);

/*
** ck_sync -- share the database with a desk's hub, a PostgreSQL database
** (docs/hub.md): push every claim and record the hub lacks, then pull
** everything the hub gained since this file's last pull.
**
** conninfo  a libpq connection string, "postgresql://host/desk" or
**           "host=... dbname=desk"; claimkit's own term only=pull or
**           only=push (a URI parameter "?only=pull", or a term) runs one
**           half.  The first sync into an empty database makes it a hub.
**
** Claims are immutable by content id; a claim with an explicit id and
** every record carry a version on the hub, and a push that would replace
** a version this file has not pulled is refused (CK_INVALID, naming the
** record's kind and id and both versions), as is a change to a row
** another role pushed (only a member of claimkit_reviewer may); nothing
** of a refused push is applied and the file is untouched.  The push is
** one PostgreSQL transaction, the pull one SQLite transaction: a sync
** stopped anywhere leaves each side before or after its half, and the next
** sync completes it.  A claim the hub retracted is deleted from the file.
**
** Returns CK_OK; CK_IO (hub unreachable, credentials refused); CK_ERROR
** (not a hub, a hub of a newer schema, the hub failed); CK_INVALID (a
** refused push, bad conninfo terms); CK_READONLY; CK_MISUSE (NULL
** arguments, or a claimkit built without libpq).  Since 0.2.
*/
CK_API int ck_sync(ck_db *db, const char *conninfo);

#ifdef __cplusplus
}
#endif
#endif /* CLAIMKIT_H */

/*
** import.h -- what the import's files share, and nothing else does.
**
** Top down (a file calls only those below it; core/layers.txt):
**
**   import.c          the entry points: packs, JSON Lines, files
**   import_sheet.c    claim sheets
**   import_pack.c     a pack's lists scanned, imported element by element
**   import_reader.c   a large JSON Lines file or pack, on a second thread
**   import_input.c    the input, line by line; a pack's text by window
**   import_txn.c      the transaction; a record of any kind written in it
**   import_kinds.c    one record per kind but claims
**   import_claims.c   the claims table: its columns, storing a row, indexes
**   import_refs.c     messages, and references resolved against the database
**   import_progress.c what an import has done so far (ck_progress)
**   import_parse.c    a claim record into a typed row: pure
**   import_fields.c   typed fields and the codebook's checks: pure
**
** Pure means no handle and no importer in reach: the reader thread parses
** claims with what only takes a json_t, so it cannot touch the database.
*/
#ifndef CK_IMPORT_H
#define CK_IMPORT_H

#include "internal.h"
#include "canon.h"
#include "latest.h"
#include "ordinal.h"
#include "periods.h"
#include "quantity.h"
#include "sheet.h"
#include "storage.h"

#include <stdio.h>

enum rec_kind {
  R_FRAMEWORK,
  R_SOURCE,
  R_ACTOR,
  R_ENTITY,
  R_METRIC,
  R_QUESTION,
  R_CLAIM,
  R_SCRIPT,
  R_COUNT
};

/* Pack lists in the order they are imported: what is referred to first;
   and the "type" of a JSON Lines record. */
extern const char *const import_list_name[R_COUNT]; /* import_refs.c */
extern const char *const import_type_name[R_COUNT];

/* ---- typed fields (import_fields.c): pure -------------------------------- */

/* Why a field was refused, to be said where it is (imp_report): the
   record's pointer and key, without the "line N: " an importer adds.  key
   points into the record, at a static name, or at keybuf: a field_error
   is not copied, and is read while its record lives. */
typedef struct field_error {
  int rc; /* CK_INVALID, or CK_NOMEM (then no place and no text) */
  char ptr[256];
  const char *key; /* NULL: the value at ptr itself */
  char keybuf[32];
  char what[CK_ERRMSG_MAX];
} field_error;

int field_fail(field_error *e, const char *ptr, const char *key,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int field_fail_at(field_error *e, const char *ptr, size_t index,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int field_nomem(field_error *e);

int field_string(field_error *e, const json_t *rec, const char *ptr,
                 const char *key, int required, const char **out);
int field_id(field_error *e, const json_t *rec, const char *ptr,
             const char *key, int required, const char **out);
int field_date(field_error *e, const json_t *rec, const char *ptr,
               const char *key, const char **out);
int field_number(field_error *e, const json_t *rec, const char *ptr,
                 const char *key, int *present, double *out);
int field_bool(field_error *e, const json_t *rec, const char *ptr,
               const char *key, int *out);
/* An integer written as 2 or 2.0: 1, else 0. */
int field_as_integer(const json_t *v, long long *out);

/* The names texts use for an actor, entity, metric, question or
   framework; a question's cues on its scale lo..hi. */
int field_aliases(field_error *e, const json_t *rec, const char *ptr);
int field_cues(field_error *e, const json_t *rec, const char *ptr, long long lo,
               long long hi);

/* ---- a claim record into a typed row (import_parse.c): pure -------------- */

/* A claim, read and checked, as it is stored.  Its texts point into the
   record it was read from (or a copy: import_reader.c); tags is owned. */
typedef struct claim_row {
  const char *id, *actor, *source, *locator, *quote, *as_of;
  const char *tags; /* canonical JSON, owned */
  int view;
  const char *question;
  long long stance;
  const char *entity, *metric, *period, *unit, *quantity, *qualifier;
  double value, lo, hi;
  char iso[CK_PERIOD_MAX], end[11]; /* the period, normalised */
  char content_id[18];
} claim_row;

/* Reads and checks the claim rec (at ptr) into c, every check that needs
   no database: CK_OK, or e says why not.  known_content_id, when not NULL
   nor "", is the claim's content id worked out already.  The references a
   row holds are those read before the check that failed, each set only
   once it is well formed: resolving them and then saying e is the order
   of one read (claim_resolve()). */
int claim_parse(const json_t *rec, const char *ptr,
                const char *known_content_id, claim_row *c, field_error *e);

/* What is stored, and exported: the claim with its id and its period in
   ISO form (iso, when period is not); NULL when memory runs out. */
char *claim_text(const json_t *rec, const char *id, const char *period,
                 const char *iso);
/* The content id of a claim: the hash of its text without an id ("" when
   memory runs out). */
void claim_content_id(const json_t *rec, char out[18]);
/* The stored text of a claim with no id whose period (if any) is in ISO
   form, and its content id; NULL (and content_id "") when memory runs
   out. */
char *claim_with_content_id(const json_t *rec, char content_id[18]);

/* ---- what an import knows of referenced records (refs.c): pure ----------- */

typedef struct ref_entry {
  char *id; /* NULL: an empty slot */
  uint64_t hash;
  int looked_up; /* the database was asked */
  int known;     /* the record exists: stored, or imported so far */
  int dangling;  /* referred to by a claim before it was known */
  double weight; /* actors */
  char *region, *kind;
  char *published;                           /* sources */
  char *unit;                                /* metrics */
  long long lo, hi;                          /* questions */
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

/* ---- the importer -------------------------------------------------------- */

/* What the reader thread worked out ahead for a claim of JSON Lines. */
typedef struct ahead {
  char content_id[18]; /* "" when not worked out */
  char *stored;        /* the stored text, or NULL */
  int read;            /* claim holds the claim, parsed (claim_parse()) */
  claim_row claim;
  char *texts; /* the claim's texts, when its record is freed */
} ahead;

/* A claim's content id and stored text, in one rendering of it, when it
   is well formed enough to have them (import_parse.c). */
void claim_work_ahead(json_t *rec, ahead *a);

typedef struct importer {
  ck_db *db;
  ahead ahead;             /* for the record being imported, if any */
  sqlite3_int64 seq;       /* import order of the next claim or script */
  sqlite3_int64 first_seq; /* the first of this import */
  long line;               /* JSON Lines or sheet line number; 0 in a pack */
  const char *sheet;       /* the claim sheet's path, or NULL */
  refs known[R_COUNT];     /* the records referred to, as far as known */
  latest *latest;          /* latest_views and latest_observations */
  sqlite3_stmt *exists[R_COUNT]; /* a record, with what claims need of it */
  sqlite3_stmt *upsert[R_COUNT];
  sqlite3_stmt *insert_claim; /* a claim under its content id */
  sqlite3_stmt *stored;       /* a stored claim's record */
  sqlite3_stmt *replaced;     /* a claim to store anew */
  sqlite3_stmt *seen;         /* ids given in this import */
  sqlite3_stmt *seen_at;      /* where an id was first given */
  sqlite3_stmt *defer_ref;    /* a reference to check at the end */
  sqlite3_stmt *rescaled;     /* stored views outside a changed scale */
  char *deferred_index[2];    /* indexes built at the end, as they were */
  int nested;                 /* inside the caller's transaction */
  int bulk_journal;           /* storage_bulk_journal() switched the file */
} importer;

/* import_progress.c */
void import_progress_set(ck_db *db, int which, long long v);
long long import_progress_get(const ck_db *db, int which);
void import_progress_raise(ck_db *db, int which, long long v);
/* A new import: total is the input's size, 0 when it is not known. */
void import_progress_begin(ck_db *db, long long total);
/* The import ended with rc after reading `read` bytes; returns rc. */
int import_progress_end(ck_db *db, int rc, long long read);

/* import_txn.c */
int import_begin(ck_db *db, importer *imp);
int import_end(importer *imp, int rc);
int import_record(importer *imp, enum rec_kind kind, json_t *rec,
                  const char *ptr);
/* A line of JSON Lines, its "type" still in it. */
int import_object(importer *imp, json_t *rec);
/* The kind of record a line's "type" names, or -1. */
int import_line_kind(const json_t *rec);

/* ---- messages and references (import_refs.c) ----------------------------- */

/* The message "where: what", where is the value at ptr (and key). */
int imp_fail(importer *imp, const char *ptr, const char *key, const char *fmt,
             ...) __attribute__((format(printf, 4, 5)));
/* Says e (rc: CK_INVALID or CK_NOMEM) where it is. */
int imp_report(importer *imp, const field_error *e);
int imp_nomem(importer *imp);
int imp_step_done(importer *imp, sqlite3_stmt *st, const char *doing);

int imp_lookup(importer *imp, enum rec_kind kind, const char *id,
               ref_entry **out);
/* The record `id` of kind `target` that field `key` names must be stored,
   or come later in the input (checked at the end: imp_deferred_checks). */
int imp_known_ref(importer *imp, const char *ptr, const char *key,
                  enum rec_kind target, const char *id);
/* Each id once per import. */
int imp_first_mention(importer *imp, enum rec_kind kind, const char *id,
                      const char *ptr);
/* The checks of a claim that need the database, for the references c
   holds, in the order claim_parse() read them. */
int claim_resolve(importer *imp, const char *ptr, const claim_row *c);
int imp_deferred_checks(importer *imp);
int imp_refs_prepare(importer *imp);

/* ---- the claims table (import_claims.c) ---------------------------------- */

int import_claims_prepare(importer *imp);
int import_claim(importer *imp, json_t *rec, const char *ptr);
/* The claims' key indexes, built once at the end of a large import. */
int import_defer_indexes(importer *imp);
int import_defer_worthwhile(const importer *imp, long long bytes);
int import_restore_indexes(importer *imp);

/* ---- one record per kind (import_kinds.c) -------------------------------- */

int import_kinds_prepare(importer *imp);
/* A record of any kind but a claim (import_claim()). */
int import_kind(importer *imp, enum rec_kind kind, json_t *rec,
                const char *ptr);

/* ---- the input, line by line (import_input.c) ---------------------------- */

/* Text in memory, or a file read once from its start to its end: a pipe
   or a device cannot be rewound, and one that never ends (/dev/zero)
   must be refused from what was read, not read to its end.  Every path
   (ck_import_json, a small file, a large file read on two threads) takes
   its lines from here, each without its '\n', so messages are the same
   whichever way the text came. */
typedef struct input {
  FILE *f;          /* NULL: the text is all in buf */
  const char *path; /* of f, for messages */
  const char *buf;
  char *own; /* buf, when reading a file */
  size_t len, cap;
  long long dropped; /* bytes of the input before buf */
  size_t start;      /* the text starts here (after a BOM) */
  size_t at;         /* the next line starts here */
  size_t scanned;    /* bytes after `at` seen to hold no '\n' and no NUL */
  long line;         /* lines taken */
  int keep;          /* keep what was taken: it may be a pack's start */
  int eof, err;      /* err: errno of a failed read (ENOMEM: no room) */
} input;

enum { SRC_END, SRC_LINE, SRC_NUL, SRC_ERROR };

/* A line is any JSON value: one that is not an object is refused by
   import_object(), which says what is expected. */
#define LINE_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

/* ---- a pack's lists, element by element (import_pack.c) ------------------ */

/* A pack's text (import_input.c): in memory, or read from its file
   through a window, so that a pack of a million claims is never held
   whole (its bytes are read twice: scanned, then parsed element by
   element). */
typedef struct pack_text {
  ck_db *db;       /* told how far the scan read (ck_progress), or NULL */
  int fd;          /* -1: the text is in memory, all of it in `win` */
  long long base;  /* the file offset of the text's first byte */
  size_t len;      /* the text's bytes */
  const char *win; /* the bytes [win_at, win_at + win_len) */
  size_t win_at, win_len;
  size_t window; /* bytes read at a time (ck_db.pack_window) */
  char *own;     /* win, read from the file */
  size_t own_cap;
  int failed; /* a read failed or came short, or met a NUL byte */
} pack_text;

void pack_text_memory(pack_text *t, const char *s, size_t n);
/* The rest of a regular file from offset base; 0 when f is none. */
int pack_text_file(pack_text *t, ck_db *db, FILE *f, long long base);
/* The text's bytes [at, at + len), valid until the next call; NULL past
   its end or when they cannot be read (t->failed). */
const char *pack_text_get(pack_text *t, size_t at, size_t len);
void pack_text_free(pack_text *t);

/* An element: the bytes after the one before it (or after its list's
   start), then its own.  Lists are walked in order: 8 bytes a claim. */
typedef struct span {
  uint32_t gap, len;
} span;
typedef struct pack_list {
  span *at;
  size_t n, cap;
  size_t from; /* where the first gap counts from */
  int listed;  /* the pack has this list, written plainly */
} pack_list;
/* Where element i of l starts, *end being where element i - 1 ended (the
   list's `from` for the first); *end moves past element i. */
static inline size_t span_next(const pack_list *l, size_t i, size_t *end) {
  size_t at = *end + l->at[i].gap;
  *end = at + l->at[i].len;
  return at;
}
typedef struct pack_spans {
  pack_list list[R_COUNT];
  char *skeleton; /* the pack with those lists empty */
  size_t skeleton_len;
  size_t text_len;
} pack_spans;

/* An element that did not parse on its own (the whole parse says why). */
#define PACK_UNPARSED (-2)

/* 1 when the text is an object whose lists can be taken element by
   element; 0 (out freed) when it must be parsed whole, or could not be
   read (t->failed). */
int pack_scan(pack_text *t, pack_spans *out);
void pack_spans_free(pack_spans *p);
int pack_import_list(importer *imp, pack_text *t, const pack_list *l, int k);
/* ---- a claim sheet's rows (import_reader.c) ------------------------------ */

/* A row of a claim sheet that is a record, or why reading stopped. */
enum { ROW_RECORD, ROW_END, ROW_NOMEM, ROW_IO, ROW_BAD, ROW_HEADER, ROW_CLAIM };
typedef struct sheet_row {
  int what;
  json_t *rec;        /* ROW_RECORD: the claim or source */
  int kind;           /* R_CLAIM or R_SOURCE */
  long line;          /* the line the row starts on */
  long long through;  /* bytes of the file read */
  char *msg, *column; /* why it stopped (msg NULL: no memory to say it) */
  long lineno;        /* ROW_IO: the line being read, and errno */
  int err_no;
  int header_seen; /* ROW_END */
} sheet_row;
typedef struct sheet_rows {
  sheet_reader r;
  sheet_columns cols;
  int have_header;
} sheet_rows;
/* The sheet's next record, past blank rows and the header. */
void sheet_read_row(sheet_rows *s, sheet_row *row);
void sheet_row_free(sheet_row *row);
/* The sheet's records imported, read on a second thread; CK_OK with *stop
   the row reading stopped at (the end, or a row the caller says is bad),
   or the import's failure; -1 when no thread could be had. */
int import_sheet_threaded(importer *imp, sheet_rows *s, sheet_row *stop);

/* Every list of sp, on a second thread (import_reader.c); -1 when no
   thread could be had (nothing imported). */
int import_pack_threaded(importer *imp, pack_text *t, const pack_spans *sp);

void input_text(input *src, const char *text, size_t len);
int input_file(input *src, FILE *f, const char *path);
int input_next_line(input *src, const char **s, size_t *n);
int input_read_rest(ck_db *db, input *src);
long long input_read(const input *src);
long long input_through(const input *src);
int input_failed(ck_db *db, const input *src, int got, long line, const char *s,
                 size_t n);
int input_blank(const char *s, size_t n);
int input_columns(const char *s, size_t n);
int input_parse_code(const json_error_t *err);
void input_parse_message(const json_error_t *err, long line,
                         char out[CK_ERRMSG_MAX]);
void input_nul_message(long line, int column, char out[CK_ERRMSG_MAX]);

/* ---- elsewhere ----------------------------------------------------------- */

/* import_reader.c: the rest of a JSON Lines file on a second thread; -1
   when no thread is to be had (nothing was read). */
int import_rest_threaded(importer *imp, input *src);
/* import_sheet.c */
int import_is_sheet(const char *path);
int import_sheet(ck_db *db, FILE *f, const char *path);

#endif

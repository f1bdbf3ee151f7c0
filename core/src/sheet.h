/*
** sheet.h -- claim sheets (sheet.c): CSV the way spreadsheets save it,
** read a record at a time, written back, and a record turned into the claim
** it states.  Layer: pure text rule, bytes in and cells out; import.c and
** export.c do the SQL.
*/
#ifndef CK_SHEET_H
#define CK_SHEET_H

#include "internal.h"

#include <stdio.h>

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
/* The claim field `key` is (its index in ck_sheet_fields), or -1. */
int sheet_field(const char *key);
/* What a plain cell of claim field k holds: 't' text, 'i' an integer,
   'n' a number, 'l' a list of tags.  A cell that is not text is written
   as the value's own text, never in an exact (JSON) column. */
char sheet_field_cell(int k);

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

#endif

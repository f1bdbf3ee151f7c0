/*
** export.c -- the database (or the claims a filter selects, with the
** records they refer to) as one canonical claim pack.
**
** Canonical: keys sorted, lists ordered by id, Python's json.dumps layout
** with indent 2, so export -> import into an empty database -> export
** gives the same bytes.  Records are read back from their stored JSON one
** at a time, so memory holds the output text and one record.
**
** claims() and sheet() give the selected claims themselves, in the order
** they were imported: as records for a script or a data frame, and as a
** claim sheet (sheet.c) that imports back to the same claims.
*/
#include "internal.h"
#include "canon.h"
#include "filter.h"
#include "sheet.h"
#include "storage.h"

#include <stdlib.h>
#include <string.h>

/* The claims a filter selects, as a subquery over claims c. */
#define SELECTED_FROM                                                          \
  "FROM claims c LEFT JOIN actors a ON a.id = c.actor "                        \
  "LEFT JOIN sources s ON s.id = c.source WHERE 1"
#define SELECTED "SELECT c.* " SELECTED_FROM

typedef struct list_query {
  const char *key;
  const char *all;      /* every record */
  const char *selected; /* records the selected claims need; '%s' is SELECTED
                           plus the filter; NULL: not exported when filtered */
} list_query;

/* In the pack's key order. */
static const list_query lists[] = {
    {"actors", "SELECT record, id FROM actors ORDER BY id",
     "SELECT record, id FROM actors WHERE id IN (SELECT actor FROM (%s)) "
     "ORDER BY id"},
    {"claims", "SELECT record, id, actor FROM claims ORDER BY id",
     "SELECT record, id, actor FROM (%s) ORDER BY id"},
    {"entities", "SELECT record, id FROM entities ORDER BY id",
     "WITH RECURSIVE need(id) AS (SELECT entity FROM (%s) UNION "
     "SELECT e.parent FROM entities e JOIN need ON e.id = need.id "
     "WHERE e.parent IS NOT NULL) "
     "SELECT record, id FROM entities WHERE id IN need ORDER BY id"},
    {"frameworks", "SELECT record, id FROM frameworks ORDER BY id",
     "WITH sel AS (%s) SELECT record, id FROM frameworks WHERE id IN "
     "(SELECT framework FROM questions WHERE id IN (SELECT question FROM sel) "
     "UNION SELECT framework FROM metrics WHERE id IN "
     "(SELECT metric FROM sel)) ORDER BY id"},
    {"metrics", "SELECT record, id FROM metrics ORDER BY id",
     "SELECT record, id FROM metrics WHERE id IN (SELECT metric FROM (%s)) "
     "ORDER BY id"},
    {"questions", "SELECT record, id FROM questions ORDER BY id",
     "SELECT record, id FROM questions WHERE id IN (SELECT question FROM (%s)) "
     "ORDER BY id"},
    {"scripts", "SELECT record, name FROM scripts ORDER BY name", NULL},
    {"sources", "SELECT record, id FROM sources ORDER BY id",
     "SELECT record, id FROM sources WHERE id IN (SELECT source FROM (%s)) "
     "ORDER BY id"},
};

/* A stored record must be its row's: the record's id (a script's name)
   is the row's id, and a claim's actor its actor column -- columns 1 and
   2 of the statement, where it selects them.  A record another tool
   replaced ('{}', another record's text) is refused, never exported or
   answered. */
static int record_of_row(ck_db *db, const char *fn, sqlite3_stmt *st,
                         const json_t *rec) {
  int ncols = sqlite3_column_count(st);
  for (int i = 1; i < ncols && i <= 2; i++) {
    const char *col = sqlite3_column_name(st, i);
    const char *want = (const char *)sqlite3_column_text(st, i);
    if (!col || (!want && sqlite3_column_type(st, i) != SQLITE_NULL))
      return db_error(db, CK_NOMEM, "%s: out of memory", fn);
    const json_t *got = json_object_get(rec, col);
    const char *g = json_string_value(got);
    if (want && g && strcmp(g, want) == 0)
      continue;
    const char *key = (const char *)sqlite3_column_text(st, 1);
    return db_error(db, CK_ERROR,
                    "%s: the stored record of '%s' does not match its row "
                    "(its %s is %s%s%s, the row's '%s'); the database was "
                    "edited by another tool",
                    fn, key ? key : "", col, g ? "'" : "", g ? g : "missing",
                    g ? "'" : "", want ? want : "");
  }
  return CK_OK;
}

static int export_list(ck_db *db, const list_query *q, const ck_filter *f,
                       strbuf *out, int *first_key) {
  strbuf sql;
  sb_init(&sql);
  if (f->n == 0) {
    sb_puts(&sql, q->all);
  } else {
    if (!q->selected)
      return CK_OK;
    strbuf sel;
    sb_init(&sel);
    sb_puts(&sel, SELECTED);
    filter_sql(f, &sel);
    const char *hole = strstr(q->selected, "%s");
    sb_putn(&sql, q->selected, (size_t)(hole - q->selected));
    sb_puts(&sql, sel.data ? sel.data : "");
    sb_puts(&sql, hole + 2);
    sb_free(&sel);
  }
  if (sql.oom)
    return db_nomem(db);
  sqlite3_stmt *st;
  int rc = storage_prepare(db, sql.data, &st);
  sb_free(&sql);
  if (rc != CK_OK)
    return rc;
  filter_bind(f, st, 1);
  int n = 0, s;
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *text = (const char *)sqlite3_column_text(st, 0);
    json_error_t err;
    json_t *rec = text ? ck_json_loads(text, 0, &err) : NULL;
    if (!rec) {
      rc = !text || json_error_code(&err) == json_error_out_of_memory
               ? db_error(db, CK_NOMEM, "exporting: out of memory")
               : db_error(db, CK_ERROR,
                          "a stored %s record is not JSON; the database was "
                          "edited by another tool",
                          q->key);
      break;
    }
    if ((rc = record_of_row(db, q->key, st, rec)) != CK_OK) {
      json_decref(rec);
      break;
    }
    if (n++ == 0) {
      sb_printf(out, "%s\n  \"%s\": [", *first_key ? "" : ",", q->key);
      *first_key = 0;
    } else {
      sb_putc(out, ',');
    }
    sb_puts(out, "\n    ");
    canon_dump(out, rec, 2, 2, 1);
    json_decref(rec);
  }
  if (rc == CK_OK && s != SQLITE_DONE)
    rc = db_sql_error(db, s, "exporting");
  sqlite3_finalize(st);
  if (n)
    sb_puts(out, "\n  ]");
  return rc;
}

CK_API const char *ck_export_json(ck_db *db, const char *filter) {
  if (!db || db_enter(db) != CK_OK)
    return NULL;
  ck_filter f;
  if (filter_parse(db, filter, &f) != CK_OK)
    return NULL;
  /* One read transaction, so the lists agree with each other even while
     another process imports. */
  int began, rc = storage_read_begin(db, &began);
  strbuf out;
  sb_init(&out);
  sb_putc(&out, '{');
  int first_key = 1;
  for (size_t i = 0; rc == CK_OK && i < sizeof lists / sizeof lists[0]; i++) {
    rc = export_list(db, &lists[i], &f, &out, &first_key);
    if (rc == CK_OK && strcmp(lists[i].key, "actors") == 0) {
      sb_printf(&out, "%s\n  \"claimkit\": 1", first_key ? "" : ",");
      first_key = 0;
    }
  }
  sb_puts(&out, "\n}\n");
  filter_free(&f);
  storage_read_end(db, began);
  if (rc != CK_OK) {
    sb_free(&out);
    return NULL;
  }
  return db_set_result(db, sb_take(&out));
}

/* ---- claims as rows and as a sheet ---------------------------------------- */

/* The stored record in column 0 of the statement's row, as an object;
   *rec is NULL when it is not one. */
static int stored_record(ck_db *db, const char *fn, sqlite3_stmt *st,
                         json_t **rec) {
  const char *text = (const char *)sqlite3_column_text(st, 0);
  json_error_t err;
  *rec = text ? ck_json_loads(text, 0, &err) : NULL;
  if (json_is_object(*rec)) {
    int rc = record_of_row(db, fn, st, *rec);
    if (rc != CK_OK) {
      json_decref(*rec);
      *rec = NULL;
    }
    return rc;
  }
  int nomem =
      !text || (!*rec && json_error_code(&err) == json_error_out_of_memory);
  json_decref(*rec);
  *rec = NULL;
  return nomem ? db_error(db, CK_NOMEM, "%s: out of memory", fn)
               : db_error(db, CK_ERROR,
                          "%s: a stored record is not a JSON object; the "
                          "database was edited by another tool",
                          fn);
}

/* The records a prepared statement's first column holds, as a list. */
static int read_records(ck_db *db, const char *fn, sqlite3_stmt *st,
                        json_t **rows) {
  json_t *list = json_array();
  int rc = list ? CK_OK : db_error(db, CK_NOMEM, "%s: out of memory", fn);
  int s = SQLITE_DONE;
  while (rc == CK_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
    json_t *rec;
    size_t bytes = 128 + 4 * (size_t)sqlite3_column_bytes(st, 0);
    if ((rc = db_charge(db, fn, bytes)) ||
        (rc = stored_record(db, fn, st, &rec)))
      break;
    int bad = 0;
    jpush(list, rec, &bad);
    if (bad)
      rc = db_error(db, CK_NOMEM, "%s: out of memory", fn);
  }
  if (rc == CK_OK && s != SQLITE_DONE)
    rc = db_sql_error(db, s, fn);
  if (rc != CK_OK) {
    json_decref(list);
    return rc;
  }
  *rows = list;
  return CK_OK;
}

/* The stored records of the claims `filter` selects, in import order. */
static int selected_claims(ck_db *db, const char *fn, const char *filter,
                           json_t **rows) {
  ck_filter f;
  *rows = NULL;
  int rc = filter_parse(db, filter, &f);
  if (rc != CK_OK)
    return rc;
  strbuf sql;
  sb_init(&sql);
  sb_puts(&sql, "SELECT c.record, c.id, c.actor " SELECTED_FROM);
  filter_sql(&f, &sql);
  sb_puts(&sql, " ORDER BY c.seq");
  sqlite3_stmt *st = NULL;
  rc = sql.oom ? db_error(db, CK_NOMEM, "%s: out of memory", fn)
               : storage_prepare(db, sql.data, &st);
  sb_free(&sql);
  if (rc == CK_OK) {
    filter_bind(&f, st, 1);
    rc = read_records(db, fn, st, rows);
  }
  sqlite3_finalize(st);
  filter_free(&f);
  return rc;
}

/* questions(), actors(), entities(), metrics(), frameworks(): a table's
   records, by id; the function is named after its table. */
static int fn_records(ck_db *db, const ck_function *self, json_t *const *args,
                      ck_result *out) {
  (void)args;
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT record, id FROM %s ORDER BY id",
           self->name);
  sqlite3_stmt *st;
  int rc = storage_cached(db, sql, &st);
  if (rc != CK_OK)
    return rc;
  rc = read_records(db, self->name, st, &out->json);
  storage_release(db, st);
  return rc;
}

static int fn_claims(ck_db *db, const ck_function *self, json_t *const *args,
                     ck_result *out) {
  return selected_claims(db, self->name, json_string_value(args[0]),
                         &out->json);
}

/* Fields a plain cell gives whatever their value: numbers and tags. */
static int typed_field(const char *key) {
  return sheet_field_cell(sheet_field(key)) != 't';
}

/* A value a plain text cell reads back as itself: text, not empty (an
   empty cell is an absent field); null is an empty cell either way. */
static int plain_text(const json_t *v) {
  return json_is_null(v) || (json_is_string(v) && json_string_length(v));
}

/* A field's cell: in an exact column (its name in JSON quotes) the value's
   JSON; else text as it is, numbers as the pack writes them, tags as
   sheet_put_tags() writes them.  Absent and null are empty. */
static void put_field(strbuf *cell, const json_t *v, int exact, int tags) {
  if (!v || json_is_null(v))
    return;
  if (!exact && json_is_string(v))
    sb_putn(cell, json_string_value(v), json_string_length(v));
  else if (!exact && tags && json_is_array(v))
    sheet_put_tags(cell, v);
  else
    canon_dump(cell, v, 0, 0, 1);
}

/* A sheet being written: the claim fields, then the other fields the
   claims have, by name; a column is exact (its name in JSON quotes, its
   cells JSON) when a plain one would not read back the same. */
typedef struct sheet_column {
  char *name; /* owned */
  int exact;
} sheet_column;

typedef struct sheet_out {
  strbuf text, cell;
  int exact[CK_SHEET_FIELDS];
  sheet_column *extra;
  size_t nextra, cap;
  int bad;
  int found_exact; /* a row found a column exact: write them again */
  int kinds;       /* a last, plain "type" column says each row's record
                      kind (a draft's source rows) */
} sheet_out;

static int by_name(const void *a, const void *b) {
  return strcmp(((const sheet_column *)a)->name,
                ((const sheet_column *)b)->name);
}

/* A field some claim has; not_plain when one of its values is not a
   plain text cell's. */
static void sheet_add_column(sheet_out *w, const char *key, int not_plain) {
  int k = sheet_field(key);
  if (k >= 0) {
    w->exact[k] |= not_plain && !typed_field(key);
    return;
  }
  for (size_t i = 0; i < w->nextra; i++)
    if (strcmp(w->extra[i].name, key) == 0) {
      w->extra[i].exact |= not_plain;
      return;
    }
  if (w->nextra == w->cap) {
    size_t cap = w->cap ? 2 * w->cap : 8;
    sheet_column *grown = realloc(w->extra, cap * sizeof *grown);
    if (!grown) {
      w->bad = 1;
      return;
    }
    w->extra = grown;
    w->cap = cap;
  }
  sheet_column *c = &w->extra[w->nextra];
  c->exact = not_plain || !sheet_plain_name(key);
  if (!(c->name = strdup(key)))
    w->bad = 1;
  else
    w->nextra++;
}

static const char *sheet_column_name(const sheet_out *w, size_t c,
                                     int *exact) {
  if (c < CK_SHEET_FIELDS) {
    *exact = w->exact[c];
    return ck_sheet_fields[c];
  }
  *exact = w->extra[c - CK_SHEET_FIELDS].exact;
  return w->extra[c - CK_SHEET_FIELDS].name;
}

static void sheet_header_row(sheet_out *w) {
  if (w->nextra)
    qsort(w->extra, w->nextra, sizeof *w->extra, by_name);
  size_t ncols = CK_SHEET_FIELDS + w->nextra;
  for (size_t c = 0; c < ncols && !w->bad; c++) {
    int exact;
    const char *name = sheet_column_name(w, c, &exact);
    w->cell.len = 0;
    if (exact) {
      json_t *s = json_string(name);
      if (s)
        canon_dump(&w->cell, s, 0, 0, 1);
      else
        w->cell.oom = 1;
      json_decref(s);
    } else {
      sb_puts(&w->cell, name);
    }
    sb_putc(&w->cell, '\0');
    if (w->cell.oom)
      w->bad = 1;
    else
      sheet_put(&w->text, w->cell.data, c + 1 == ncols && !w->kinds);
  }
  if (w->kinds && !w->bad)
    sheet_put(&w->text, "type", 1);
}

/* A column's flag, for a value a row holds. */
static int *sheet_exact(sheet_out *w, size_t c) {
  return c < CK_SHEET_FIELDS ? &w->exact[c]
                             : &w->extra[c - CK_SHEET_FIELDS].exact;
}

/* A record's row; kind, in a sheet with kinds, its record kind ("source"),
   or NULL for a claim. */
static void sheet_row(sheet_out *w, const json_t *rec, const char *kind) {
  size_t ncols = CK_SHEET_FIELDS + w->nextra;
  for (size_t c = 0; c < ncols && !w->bad; c++) {
    int exact;
    const char *name = sheet_column_name(w, c, &exact);
    const json_t *v = json_object_get(rec, name);
    if (!exact && v && !typed_field(name) && !plain_text(v))
      *sheet_exact(w, c) = w->found_exact = 1;
    w->cell.len = 0;
    put_field(&w->cell, v, exact, strcmp(name, "tags") == 0);
    sb_putc(&w->cell, '\0');
    if (w->cell.oom)
      w->bad = 1;
    else
      sheet_put(&w->text, w->cell.data, c + 1 == ncols && !w->kinds);
  }
  if (w->kinds && !w->bad)
    sheet_put(&w->text, kind ? kind : "", 1);
}

static void sheet_out_free(sheet_out *w) {
  for (size_t k = 0; k < w->nextra; k++)
    free(w->extra[k].name);
  free(w->extra);
  sb_free(&w->text);
  sb_free(&w->cell);
}

/* The stored claims a filter selects, written a record at a time: the
   sheet's text is the only thing that grows with the claims.  The first
   pass finds the fields; the rows then find whether a column must be
   exact, and in that rare case are written again (asking SQLite for every
   value's type up front doubled the time of every export). */
static int sheet_of_stored(ck_db *db, const char *fn, const char *filter,
                           sheet_out *w) {
  ck_filter f;
  int rc = filter_parse(db, filter, &f);
  if (rc != CK_OK)
    return rc;
  static const char *const sql[2] = {
      "SELECT DISTINCT j.key FROM claims c JOIN json_each(c.record) j "
      "LEFT JOIN actors a ON a.id = c.actor LEFT JOIN sources s ON "
      "s.id = c.source WHERE 1",
      "SELECT c.record, c.id, c.actor " SELECTED_FROM};
  for (int pass = 0; pass < 3 && rc == CK_OK && !w->bad; pass++) {
    if (pass == 2 && !w->found_exact)
      break;
    if (pass > 0) {
      w->text.len = 0;
      sheet_header_row(w);
    }
    strbuf q;
    sb_init(&q);
    sb_puts(&q, sql[pass > 0]);
    filter_sql(&f, &q);
    if (pass > 0)
      sb_puts(&q, " ORDER BY c.seq");
    sqlite3_stmt *st = NULL;
    rc = q.oom ? db_error(db, CK_NOMEM, "%s: out of memory", fn)
               : storage_prepare(db, q.data, &st);
    sb_free(&q);
    if (rc != CK_OK)
      break;
    filter_bind(&f, st, 1);
    int s = SQLITE_DONE;
    while (rc == CK_OK && !w->bad && (s = sqlite3_step(st)) == SQLITE_ROW) {
      const char *text = (const char *)sqlite3_column_text(st, 0);
      if (pass == 0) {
        if (text)
          sheet_add_column(w, text, 0);
        continue;
      }
      json_t *rec;
      if ((rc = stored_record(db, fn, st, &rec)) == CK_OK)
        sheet_row(w, rec, NULL);
      json_decref(rec);
      if (rc == CK_OK && !w->bad && pass == 1)
        rc = db_charge(db, fn, 2 * (size_t)sqlite3_column_bytes(st, 0));
    }
    if (rc == CK_OK && !w->bad && s != SQLITE_DONE)
      rc = db_sql_error(db, s, fn);
    sqlite3_finalize(st);
  }
  filter_free(&f);
  return rc;
}

/* A pack's rows for a sheet (a draft's): its sources, then its claims --
   so that the sheet imports into a database that has only the codebook;
   *nsources of them sources.  NULL when memory runs out. */
static json_t *pack_rows(json_t *pack, size_t *nsources) {
  json_t *rows = json_array(), *v;
  int bad = !rows;
  size_t i;
  *nsources = 0;
  json_array_foreach(json_object_get(pack, "sources"), i, v) {
    jpush(rows, json_incref(v), &bad);
    ++*nsources;
  }
  json_array_foreach(json_object_get(pack, "claims"), i, v)
      jpush(rows, json_incref(v), &bad);
  if (bad) {
    json_decref(rows);
    return NULL;
  }
  return rows;
}

static int fn_sheet(ck_db *db, const ck_function *self, json_t *const *args,
                    ck_result *out) {
  json_t *claims = args[1], *rows = NULL;
  size_t nsources = 0;
  if (json_is_object(claims) && json_is_array(json_object_get(claims, "claims")))
    claims = rows = pack_rows(claims, &nsources);
  if (!claims)
    return db_error(db, CK_NOMEM, "%s: out of memory", self->name);
  sheet_out w;
  memset(&w, 0, sizeof w);
  w.kinds = nsources > 0;
  sb_init(&w.text);
  sb_init(&w.cell);
  int rc = CK_OK;
  if (json_is_null(claims)) {
    rc = sheet_of_stored(db, self->name, json_string_value(args[0]), &w);
  } else if (!json_is_array(claims)) {
    rc = db_error(db, CK_INVALID, "%s: claims must be a list of claims, not %s",
                  self->name, ckjson_kind(claims));
  } else {
    size_t i;
    json_t *rec;
    json_array_foreach(claims, i, rec) {
      if (!json_is_object(rec)) {
        rc = db_error(db, CK_INVALID,
                      "%s: claims/%zu must be a claim object, not %s",
                      self->name, i, ckjson_kind(rec));
        break;
      }
      const char *key;
      json_t *v;
      json_object_foreach(rec, key, v) {
        sheet_add_column(&w, key, !plain_text(v));
      }
    }
    if (rc == CK_OK) {
      sheet_header_row(&w);
      json_array_foreach(claims, i, rec)
          sheet_row(&w, rec, i < nsources ? "source" : NULL);
    }
  }
  json_t *text = NULL;
  if (rc == CK_OK && !w.bad && !w.text.oom &&
      !(text = json_stringn(w.text.data, w.text.len)))
    w.bad = 1;
  if (rc == CK_OK && (w.bad || w.text.oom))
    rc = db_error(db, CK_NOMEM, "%s: out of memory", self->name);
  sheet_out_free(&w);
  json_decref(rows);
  out->json = text;
  return rc;
}

/* The columns a claim sheet has before its other fields: what front ends
   lay a sheet out by (Python's SHEET_FIELDS), from the one list import
   reads them by. */
static int fn_sheet_fields(ck_db *db, const ck_function *self,
                           json_t *const *args, ck_result *out) {
  (void)args;
  json_t *list = json_array();
  int bad = !list;
  for (int i = 0; !bad && i < CK_SHEET_FIELDS; i++)
    bad = json_array_append_new(list, json_string(ck_sheet_fields[i])) != 0;
  if (bad) {
    json_decref(list);
    return db_error(db, CK_NOMEM, "%s: out of memory", self->name);
  }
  out->json = list;
  return CK_OK;
}

const ck_function ck_export_functions[] = {
    {.name = "actors",
     .doc = "Every actor, by id: id, name, region, kind, weight, aliases.",
     .returns = "list",
     .impl = fn_records},
    {.name = "claims",
     .doc = "The claims a filter selects, in the order they were imported: "
            "each as its pack record (id, source, actor, locator, quote, "
            "as_of, tags, question and stance, or entity, metric, period "
            "and value, lo/hi or quantity).",
     .returns = "list",
     .impl = fn_claims,
     .params = {{.name = "filter", .type = "string", .def = "\"\"",
                 .doc = FILTER_DOC}}},
    {.name = "sheet",
     .doc = "The claims a filter selects as a claim sheet (CSV, a row each "
            "in import order, a column per claim field and per other field "
            "any of them has) that imports back to the same claims.",
     .returns = "string",
     .impl = fn_sheet,
     .params = {{.name = "filter", .type = "string", .def = "\"\"",
                 .doc = FILTER_DOC},
                {.name = "claims", .type = "any", .def = "null",
                 .doc = "claims to lay out instead of stored ones, or a "
                        "pack (a draft): its sources first, as rows of "
                        "type 'source', then its claims"}}},
    {.name = "sheet_fields",
     .doc = "A claim sheet's columns, in order: a claim's fields as sheet() "
            "writes them and import reads them (a sheet adds one per other "
            "field its claims have).",
     .returns = "list",
     .impl = fn_sheet_fields},
    {.name = "entities",
     .doc = "Every entity, by id: id, name, kind, parent, aliases.",
     .returns = "list",
     .impl = fn_records},
    {.name = "frameworks",
     .doc = "Every framework, by id: id, name, and its other fields.",
     .returns = "list",
     .impl = fn_records},
    {.name = "metrics",
     .doc = "Every metric, by id: id, name, unit, framework, higher_is_better, "
            "aliases.",
     .returns = "list",
     .impl = fn_records},
    {.name = "questions",
     .doc = "Every question, by id: id, text, framework, scale [min, max], "
            "poles, resolution, cues.",
     .returns = "list",
     .impl = fn_records},
};
const size_t ck_export_function_count =
    sizeof ck_export_functions / sizeof ck_export_functions[0];

/*
** export.c -- the database (or the claims a filter selects, with the
** records they refer to) as one canonical claim pack.
**
** Canonical: keys sorted, lists ordered by id, Python's json.dumps layout
** with indent 2, so export -> import into an empty database -> export
** gives the same bytes.  Records are read back from their stored JSON one
** at a time, so memory holds the output text and one record.
*/
#include "internal.h"

#include <string.h>

/* The claims a filter selects, as a subquery over claims c. */
#define SELECTED                                                               \
  "SELECT c.* FROM claims c LEFT JOIN actors a ON a.id = c.actor "             \
  "LEFT JOIN sources s ON s.id = c.source WHERE 1"

typedef struct list_query {
  const char *key;
  const char *all;      /* every record */
  const char *selected; /* records the selected claims need; '%s' is SELECTED
                           plus the filter; NULL: not exported when filtered */
} list_query;

/* In the pack's key order. */
static const list_query lists[] = {
    {"actors", "SELECT record FROM actors ORDER BY id",
     "SELECT record FROM actors WHERE id IN (SELECT actor FROM (%s)) "
     "ORDER BY id"},
    {"claims", "SELECT record FROM claims ORDER BY id",
     "SELECT record FROM (%s) ORDER BY id"},
    {"entities", "SELECT record FROM entities ORDER BY id",
     "WITH RECURSIVE need(id) AS (SELECT entity FROM (%s) UNION "
     "SELECT e.parent FROM entities e JOIN need ON e.id = need.id "
     "WHERE e.parent IS NOT NULL) "
     "SELECT record FROM entities WHERE id IN need ORDER BY id"},
    {"frameworks", "SELECT record FROM frameworks ORDER BY id",
     "WITH sel AS (%s) SELECT record FROM frameworks WHERE id IN "
     "(SELECT framework FROM questions WHERE id IN (SELECT question FROM sel) "
     "UNION SELECT framework FROM metrics WHERE id IN "
     "(SELECT metric FROM sel)) ORDER BY id"},
    {"metrics", "SELECT record FROM metrics ORDER BY id",
     "SELECT record FROM metrics WHERE id IN (SELECT metric FROM (%s)) "
     "ORDER BY id"},
    {"questions", "SELECT record FROM questions ORDER BY id",
     "SELECT record FROM questions WHERE id IN (SELECT question FROM (%s)) "
     "ORDER BY id"},
    {"scripts", "SELECT record FROM scripts ORDER BY name", NULL},
    {"sources", "SELECT record FROM sources ORDER BY id",
     "SELECT record FROM sources WHERE id IN (SELECT source FROM (%s)) "
     "ORDER BY id"},
};

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
    return db_error(db, CK_NOMEM, "out of memory");
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
    json_t *rec = text ? json_loads(text, 0, &err) : NULL;
    if (!rec) {
      rc = !text || json_error_code(&err) == json_error_out_of_memory
               ? db_error(db, CK_NOMEM, "exporting: out of memory")
               : db_error(db, CK_ERROR,
                          "a stored %s record is not JSON; the database was "
                          "edited by another tool",
                          q->key);
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

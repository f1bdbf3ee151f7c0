/*
** fn_data.c -- data-access functions of the registry: stats() and the
** read-only sql().
**
** sql() runs a user's SELECT under an authorizer that refuses every write,
** ATTACH/DETACH, transactions, schema changes, PRAGMAs other than reading
** ones, and load_extension: a spreadsheet cell must never be able to change
** or leave the database it reads.
*/
#include "internal.h"
#include "canon.h"
#include "storage.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count(ck_db *db, const char *sql, json_int_t *n) {
  sqlite3_stmt *st;
  int rc = storage_cached(db, sql, &st);
  if (rc != CK_OK)
    return rc;
  int s = sqlite3_step(st);
  *n = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  storage_release(db, st);
  return s == SQLITE_ROW ? CK_OK : db_sql_error(db, s, "counting records");
}

static int fn_stats(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  (void)args;
  static const char *const tables[][2] = {
      {"actors", "SELECT count(*) FROM actors"},
      {"claims", "SELECT count(*) FROM claims"},
      {"entities", "SELECT count(*) FROM entities"},
      {"frameworks", "SELECT count(*) FROM frameworks"},
      {"metrics", "SELECT count(*) FROM metrics"},
      {"observations",
       "SELECT count(*) FROM claims WHERE kind = 'observation'"},
      {"questions", "SELECT count(*) FROM questions"},
      {"scripts", "SELECT count(*) FROM scripts"},
      {"sources", "SELECT count(*) FROM sources"},
      {"views", "SELECT count(*) FROM claims WHERE kind = 'view'"},
  };
  json_t *o = json_object();
  int bad = !o;
  for (size_t i = 0; !bad && i < sizeof tables / sizeof tables[0]; i++) {
    json_int_t n;
    int rc = count(db, tables[i][1], &n);
    if (rc != CK_OK) {
      json_decref(o);
      return rc;
    }
    jset(o, tables[i][0], json_integer(n), &bad);
  }
  if (bad) {
    json_decref(o);
    return db_error(db, CK_NOMEM, "stats: out of memory");
  }
  out->json = o;
  return CK_OK;
}

static int name_in(const char *name, const char *const *list) {
  for (; *list; list++)
    if (name && strcmp(name, *list) == 0)
      return 1;
  return 0;
}

static int authorize(void *ctx, int action, const char *a1, const char *a2,
                     const char *a3, const char *a4) {
  ck_db *db = ctx;
  (void)a3;
  (void)a4;
  /* Read-only pragmas, as table-valued functions or bare statements. */
  static const char *const info_pragmas[] = {
      "table_info",       "table_xinfo",   "table_list", "index_list",
      "index_info",       "index_xinfo",   "foreign_key_list",
      "function_list",    "pragma_list",   "collation_list",
      "compile_options",  NULL};
  static const char *const value_pragmas[] = {
      "user_version", "application_id", "schema_version", "page_count",
      "page_size",    "freelist_count", "encoding",       "data_version",
      NULL};
  switch (action) {
  case SQLITE_SELECT:
  case SQLITE_READ:
  case SQLITE_RECURSIVE:
    return SQLITE_OK;
  case SQLITE_FUNCTION:
    if (a2 && (strcmp(a2, "load_extension") == 0 ||
               strcmp(a2, "readfile") == 0 || strcmp(a2, "writefile") == 0 ||
               strcmp(a2, "edit") == 0 || strcmp(a2, "fts3_tokenizer") == 0)) {
      db->auth_refused = "a function that touches files";
      return SQLITE_DENY;
    }
    return SQLITE_OK;
  case SQLITE_UPDATE:
    /* SQLite asks this while it reloads the schema for the statement;
       real writes to the schema table are refused by defensive mode and by
       the read-only check after prepare. */
    if (a1 && (strcmp(a1, "sqlite_master") == 0 ||
               strcmp(a1, "sqlite_temp_master") == 0))
      return SQLITE_OK;
    db->auth_refused = "writing, schema changes and transactions";
    return SQLITE_DENY;
  case SQLITE_PRAGMA:
    if (name_in(a1, info_pragmas) || (!a2 && name_in(a1, value_pragmas)))
      return SQLITE_OK;
    db->auth_refused = "this PRAGMA (only those that describe the schema, "
                       "such as table_info, and user_version, page_count "
                       "and the like read without a value)";
    return SQLITE_DENY;
  case SQLITE_ATTACH:
  case SQLITE_DETACH:
    db->auth_refused = "ATTACH and DETACH";
    return SQLITE_DENY;
  default:
    db->auth_refused = "writing, schema changes and transactions";
    return SQLITE_DENY;
  }
}

static json_t *column_json(sqlite3_stmt *st, int i) {
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
  case SQLITE_FLOAT: return ckjson_number(sqlite3_column_double(st, i));
  case SQLITE_TEXT: return column_text(st, i);
  case SQLITE_BLOB: {
    /* Blobs as lower-case hex: JSON has no bytes. */
    const unsigned char *b = sqlite3_column_blob(st, i);
    int n = sqlite3_column_bytes(st, i);
    char *hex = malloc((size_t)n * 2 + 1);
    if (!hex)
      return NULL;
    for (int k = 0; k < n; k++)
      snprintf(hex + 2 * k, 3, "%02x", b[k]);
    hex[2 * n] = '\0';
    json_t *s = json_string(hex);
    free(hex);
    return s;
  }
  default: return json_null();
  }
}

static int bind_json(ck_db *db, sqlite3_stmt *st, int i, json_t *v) {
  switch (json_typeof(v)) {
  case JSON_NULL: return sqlite3_bind_null(st, i);
  case JSON_TRUE: return sqlite3_bind_int(st, i, 1);
  case JSON_FALSE: return sqlite3_bind_int(st, i, 0);
  case JSON_INTEGER: return sqlite3_bind_int64(st, i, json_integer_value(v));
  case JSON_REAL: return sqlite3_bind_double(st, i, json_real_value(v));
  case JSON_STRING:
    return sqlite3_bind_text(st, i, json_string_value(v),
                             (int)json_string_length(v), SQLITE_TRANSIENT);
  default:
    db_error(db, CK_INVALID, "sql: parameter %d must be a scalar, not a %s", i,
             json_is_array(v) ? "list" : "object");
    return SQLITE_MISUSE;
  }
}

static int bind_params(ck_db *db, sqlite3_stmt *st, json_t *params) {
  int rc = SQLITE_OK;
  int want = sqlite3_bind_parameter_count(st);
  if (json_is_array(params)) {
    if ((int)json_array_size(params) != want)
      return db_error(db, CK_INVALID,
                      "sql: the query has %d parameter%s, %zu given", want,
                      want == 1 ? "" : "s", json_array_size(params));
    for (int i = 0; rc == SQLITE_OK && i < want; i++)
      rc = bind_json(db, st, i + 1, json_array_get(params, (size_t)i));
  } else if (json_is_object(params)) {
    for (int i = 1; rc == SQLITE_OK && i <= want; i++) {
      const char *name = sqlite3_bind_parameter_name(st, i);
      json_t *v = name ? json_object_get(params, name + 1) : NULL;
      if (!v)
        return db_error(db, CK_INVALID, "sql: no value for parameter %s",
                        name ? name : "?");
      rc = bind_json(db, st, i, v);
    }
  } else {
    return db_error(db, CK_INVALID,
                    "sql: params must be a list or an object of values");
  }
  if (rc != SQLITE_OK)
    return db->errcode != CK_OK ? db->errcode
                                : db_sql_error(db, rc, "sql: binding");
  return CK_OK;
}

static int only_space(const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != ';')
      return 0;
  return 1;
}

static int fn_sql(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *query = json_string_value(args[0]);
  sqlite3_stmt *st = NULL;
  const char *tail = NULL;
  db->auth_refused = NULL;
  sqlite3_set_authorizer(db->sql, authorize, db);
  int rc = sqlite3_prepare_v2(db->sql, query, -1, &st, &tail);
  int result = CK_OK;
  if (rc != SQLITE_OK) {
    if (db->auth_refused)
      result = db_error(db, CK_INVALID,
                        "sql: only reading queries are allowed, not %s",
                        db->auth_refused);
    else
      result = db_error(db, CK_INVALID, "sql: %s", sqlite3_errmsg(db->sql));
  } else if (!st) {
    result = db_error(db, CK_INVALID, "sql: the query is empty");
  } else if (!only_space(tail)) {
    result = db_error(db, CK_INVALID, "sql: one statement at a time");
  } else if (!sqlite3_stmt_readonly(st)) {
    result = db_error(db, CK_INVALID, "sql: only reading queries are allowed");
  } else {
    result = bind_params(db, st, args[1]);
  }
  json_t *rows = result == CK_OK ? json_array() : NULL;
  if (result == CK_OK && !rows)
    result = db_nomem(db);
  while (result == CK_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
      break;
    if (rc != SQLITE_ROW) {
      result = db_sql_error(db, rc, "sql");
      break;
    }
    int n = sqlite3_column_count(st), bad = 0;
    size_t bytes = 64;
    for (int i = 0; i < n; i++)
      bytes += 64 + 2 * (size_t)sqlite3_column_bytes(st, i);
    if ((result = db_charge(db, "sql", bytes)) != CK_OK)
      break;
    json_t *row = json_object();
    bad = !row;
    for (int i = 0; !bad && result == CK_OK && i < n; i++) {
      const char *name = sqlite3_column_name(st, i);
      const char *text = sqlite3_column_type(st, i) == SQLITE_TEXT
                             ? (const char *)sqlite3_column_text(st, i)
                             : NULL;
      if (text && utf8_invalid_at(text, (size_t)sqlite3_column_bytes(st, i)) !=
                      (size_t)-1)
        result = db_error(db, CK_INVALID,
                          "sql: column '%s' holds text that is not UTF-8 "
                          "(select hex(...) of it)",
                          name ? name : "?");
      else if (name)
        jset(row, name, column_json(st, i), &bad);
      else
        bad = 1;
    }
    if (result != CK_OK) {
      json_decref(row);
      break;
    }
    jpush(rows, row, &bad);
    if (bad)
      result = db_error(db, CK_NOMEM, "sql: out of memory");
  }
  sqlite3_finalize(st);
  sqlite3_set_authorizer(db->sql, NULL, NULL);
  if (result != CK_OK) {
    json_decref(rows);
    return result;
  }
  out->json = rows;
  return CK_OK;
}

const ck_function ck_data_functions[] = {
    {.name = "sql",
     .doc = "Rows of a read-only SQL query over the schema of docs/schema.md, as "
            "a list of objects.",
     .returns = "list",
     .impl = fn_sql,
     .params = {{.name = "query", .type = "string",
                 .doc = "one SELECT statement"},
                {.name = "params", .type = "any", .def = "[]",
                 .doc = "values for ? placeholders (a list) or :name ones "
                        "(an object)"}},
     .is_volatile = 1 /* a query may read random() or the clock */},
    {.name = "stats",
     .doc = "Number of records per table: actors, claims, entities, "
            "frameworks, metrics, observations, questions, scripts, sources, "
            "views.",
     .returns = "object",
     .impl = fn_stats},
};
const size_t ck_data_function_count =
    sizeof ck_data_functions / sizeof ck_data_functions[0];

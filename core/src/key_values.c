/*
** key_values.c -- the observations of a key and their statistics, one
** computation for the metric functions that answer from them
** (observations.c) and for the key_values table an import, a rebuild or a
** migration keeps (latest.c, storage.c).
**
** Below the metric files, latest.c and storage.c; above the statements
** it runs (statements.c).
*/
#include "key_values.h"
#include "periods.h"
#include "storage.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The counted observations of a key, latest per actor (latest.c), as rows
   of: actor, value, lo, hi, unit (the claim's own; '' takes the metric's)
   and, when `full`, source, locator, quote, qualifier, quantity, as_of,
   name. */
int key_counted_observations(ck_db *db, const char *entity, const char *metric,
                             const key_data *k, int full, sqlite3_stmt **st) {
  int rc = storage_cached(
      db,
      full ? "SELECT l.actor, l.value, l.lo, l.hi, l.unit, c.source,"
             " c.locator, c.quote, c.qualifier, c.quantity, NULLIF(l.date, ''),"
             " a.name FROM latest_observations l JOIN claims c ON c.id ="
             " l.claim LEFT JOIN actors a ON a.id = l.actor WHERE l.entity = ?1"
             " AND l.metric = ?2 AND l.period = ?3 ORDER BY l.actor"
           : "SELECT NULL, value, lo, hi, unit FROM latest_observations WHERE"
             " entity = ?1 AND metric = ?2 AND period = ?3 ORDER BY actor",
      st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(*st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(*st, 2, metric, -1, SQLITE_STATIC);
  sqlite3_bind_text(*st, 3, k->period, -1, SQLITE_STATIC);
  return CK_OK;
}

/* The metric's unit, which a claim without one of its own is in. */
static int metric_unit(ck_db *db, const char *fn, const char *metric,
                       char **out) {
  sqlite3_stmt *st;
  int rc = storage_cached(
      db, "SELECT COALESCE(unit, '') FROM metrics WHERE id = ?", &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
  int r = sqlite3_step(st);
  const char *u =
      r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "";
  *out = u ? strdup(u) : NULL;
  storage_release(db, st);
  if (r != SQLITE_ROW && r != SQLITE_DONE)
    return db_sql_error(db, r, fn);
  return *out ? CK_OK : db_error(db, CK_NOMEM, "%s: out of memory", fn);
}

void key_free(key_data *k) {
  free(k->rows);
  free(k->unit);
  k->rows = NULL;
  k->unit = NULL;
}

static int is_number(sqlite3_stmt *st, int col) {
  int t = sqlite3_column_type(st, col);
  return t == SQLITE_FLOAT || t == SQLITE_INTEGER;
}

/* What is wrong with an observation's value and bounds as stored, or NULL:
   the value is a finite number within its bounds, which may be infinite
   ("over 5" has no upper one). */
static const char *observation_broken(double value, double lo, double hi) {
  if (!isfinite(value))
    return "its value is not finite";
  if (isnan(lo) || isnan(hi) || !(lo <= value && value <= hi))
    return "its value is outside its bounds lo..hi";
  return NULL;
}

/* A derived row that breaks a rule claimkit keeps: never an answer. */
int key_damaged(ck_db *db, const char *fn, const char *table,
                const char *entity, const char *metric, const key_data *k,
                const char *broken) {
  return db_error(db, CK_ERROR,
                  "%s: a damaged row in %s (%s / %s / %s): %s; the database "
                  "was edited by another tool" CK_REBUILD_HINT,
                  fn, table, entity, metric,
                  k->dated ? k->period : "(no period)", broken);
}

/* The counted observations of k's period (resolved; dated or not) into
   k->rows, refusing mixed units. */
int key_read_rows(ck_db *db, const char *fn, const char *entity,
                  const char *metric, key_data *k) {
  sqlite3_stmt *st;
  char *metric_default = NULL; /* read when a claim has no unit of its own */
  int rc = key_counted_observations(db, entity, metric, k, 0, &st);
  if (rc != CK_OK)
    return rc;
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    const char *u = (const char *)sqlite3_column_text(st, 4);
    if (!u) { /* NOT NULL: a NULL is SQLite out of memory */
      rc = db_error(db, CK_NOMEM, "%s: out of memory", fn);
      break;
    }
    if (!*u && !metric_default &&
        (rc = metric_unit(db, fn, metric, &metric_default)) != CK_OK)
      break;
    if (!*u)
      u = metric_default;
    if (!is_number(st, 1) || !is_number(st, 2) || !is_number(st, 3)) {
      rc = db_error(db, CK_ERROR,
                    "%s: an observation of %s / %s is not a number; the "
                    "database was edited by another tool" CK_REBUILD_HINT,
                    fn, entity, metric);
      break;
    }
    const char *broken = observation_broken(sqlite3_column_double(st, 1),
                                            sqlite3_column_double(st, 2),
                                            sqlite3_column_double(st, 3));
    if (broken) {
      rc =
          key_damaged(db, fn, "latest_observations", entity, metric, k, broken);
      break;
    }
    if (k->n == 0 && !(k->unit = strdup(u))) {
      rc = db_error(db, CK_NOMEM, "%s: out of memory", fn);
      break;
    }
    if (strcmp(k->unit, u) != 0) {
      rc = db_error(
          db, CK_INVALID, "%s: mixed units for %s / %s / %s: '%s' and '%s'", fn,
          entity, metric, k->dated ? k->period : "(no period)", k->unit, u);
      break;
    }
    if (k->n == cap) {
      cap = cap ? cap * 2 : 8;
      obs *grown = realloc(k->rows, cap * sizeof *grown);
      if (!grown) {
        rc = db_error(db, CK_NOMEM, "%s: out of memory", fn);
        break;
      }
      k->rows = grown;
    }
    /* SQLite reads the stored infinities back as such. */
    k->rows[k->n].value = sqlite3_column_double(st, 1);
    k->rows[k->n].lo = sqlite3_column_double(st, 2);
    k->rows[k->n].hi = sqlite3_column_double(st, 3);
    k->n++;
  }
  storage_release(db, st);
  free(metric_default);
  if (rc == CK_OK && r != SQLITE_DONE)
    rc = db_sql_error(db, r, fn);
  if (rc == CK_OK && k->n == 0)
    rc = db_error(db, CK_NOTFOUND, "%s: no observations of %s / %s in %s", fn,
                  entity, metric, k->period);
  if (rc != CK_OK)
    key_free(k);
  return rc;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The ordinary median; x is sorted in place. */
static double median(double *x, size_t n) {
  qsort(x, n, sizeof *x, cmp_double);
  return n % 2 ? x[n / 2] : x[n / 2 - 1] / 2 + x[n / 2] / 2;
}

int key_part_median(ck_db *db, const char *fn, const key_data *k, enum part p,
                    double *out) {
  double *x = malloc(k->n * sizeof *x);
  if (!x)
    return db_error(db, CK_NOMEM, "%s: out of memory", fn);
  for (size_t i = 0; i < k->n; i++)
    x[i] = p == P_LO   ? k->rows[i].lo
           : p == P_HI ? k->rows[i].hi
                       : k->rows[i].value;
  *out = median(x, k->n);
  free(x);
  return CK_OK;
}

/* The statistics of a key's rows: one computation, whether a call asks
   for them or an import stores them in key_values. */
int key_compute_stats(ck_db *db, const char *fn, const key_data *k,
                      key_stats *s) {
  double n = (double)k->n, sum = 0, ss = 0;
  s->n = (long long)k->n;
  s->min = INFINITY;
  s->max = -INFINITY;
  for (size_t i = 0; i < k->n; i++) {
    double v = k->rows[i].value;
    sum += v;
    s->min = v < s->min ? v : s->min;
    s->max = v > s->max ? v : s->max;
  }
  s->mean = sum / n;
  for (size_t i = 0; i < k->n; i++)
    ss += (k->rows[i].value - s->mean) * (k->rows[i].value - s->mean);
  s->sd = k->n < 2 ? NAN : sqrt(ss / (n - 1));
  int rc;
  if ((rc = key_part_median(db, fn, k, P_VALUE, &s->value)) != CK_OK ||
      (rc = key_part_median(db, fn, k, P_LO, &s->lo)) != CK_OK)
    return rc;
  return key_part_median(db, fn, k, P_HI, &s->hi);
}

static void bind_number(sqlite3_stmt *st, int i, double d) {
  if (isnan(d))
    sqlite3_bind_null(st, i); /* SQLite stores NaN as NULL anyway */
  else
    sqlite3_bind_double(st, i, d);
}

int key_values_refresh(ck_db *db, const char *keys_sql) {
  sqlite3_stmt *keys, *put = NULL, *drop = NULL;
  int rc = storage_prepare(db, keys_sql, &keys);
  if (rc == CK_OK)
    rc = storage_prepare(db,
                         "INSERT OR REPLACE INTO key_values(entity, metric, "
                         "period, period_end, n, unit, value, lo, hi, mean, "
                         "sd, min, max) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                         "?8, ?9, ?10, ?11, ?12, ?13)",
                         &put);
  if (rc == CK_OK)
    rc = storage_prepare(db,
                         "DELETE FROM key_values WHERE entity = ?1 AND metric "
                         "= ?2 AND period = ?3",
                         &drop);
  int r = SQLITE_DONE;
  while (rc == CK_OK && (r = sqlite3_step(keys)) == SQLITE_ROW) {
    const char *entity = (const char *)sqlite3_column_text(keys, 0);
    const char *metric = (const char *)sqlite3_column_text(keys, 1);
    const char *period = (const char *)sqlite3_column_text(keys, 2);
    if (!entity || !metric || !period) {
      rc = db_nomem(db);
      break;
    }
    key_data k;
    memset(&k, 0, sizeof k);
    snprintf(k.period, sizeof k.period, "%s", period);
    k.dated = *period != '\0';
    key_stats st;
    int got = key_read_rows(db, "import", entity, metric, &k);
    if (got == CK_OK)
      got = key_compute_stats(db, "import", &k, &st);
    sqlite3_stmt *w = got == CK_NOTFOUND ? drop : put;
    if (got != CK_OK && got != CK_NOTFOUND && got != CK_INVALID) {
      key_free(&k);
      rc = got;
      break;
    }
    db->errcode = CK_OK; /* no observations, or mixed units: an answer */
    db->errmsg[0] = '\0';
    char end[11];
    sqlite3_bind_text(w, 1, entity, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, 3, period, -1, SQLITE_STATIC);
    if (w == put) {
      if (k.dated && period_end(period, end) == 0)
        sqlite3_bind_text(w, 4, end, -1, SQLITE_STATIC);
      if (got == CK_OK) { /* mixed units keep a row without values */
        sqlite3_bind_int64(w, 5, st.n);
        sqlite3_bind_text(w, 6, k.unit, -1, SQLITE_STATIC);
        double v[] = {st.value, st.lo, st.hi, st.mean, st.sd, st.min, st.max};
        for (int i = 0; i < 7; i++)
          bind_number(w, 7 + i, v[i]);
      } else {
        sqlite3_bind_int64(w, 5, 0);
      }
    }
    int s2 = sqlite3_step(w);
    sqlite3_reset(w);
    sqlite3_clear_bindings(w);
    key_free(&k);
    if (s2 != SQLITE_DONE)
      rc = db_sql_error(db, s2, "keeping key values");
  }
  if (rc == CK_OK && r != SQLITE_DONE)
    rc = db_sql_error(db, r, "keeping key values");
  sqlite3_finalize(keys);
  sqlite3_finalize(put);
  sqlite3_finalize(drop);
  return rc;
}

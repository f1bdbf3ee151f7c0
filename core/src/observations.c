/*
** observations.c -- registry functions over quoted numbers (DESIGN §4.2):
** value, estimates, gap, ratio, rank, change, series, sources.
**
** A key is (entity, metric, period).  Its observations are the latest of
** each actor; period "" is the latest period (by end date) that has any
** observation of the entity and metric.  Observations of one key in
** different units are refused, never mixed.
*/
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct obs {
  double value, lo, hi;
} obs;

typedef struct key_data {
  char period[CK_PERIOD_MAX]; /* resolved; "" for undated observations */
  int dated;
  size_t n;
  obs *rows;
} key_data;

/* Normalises a period argument; "" stays "". */
static int period_arg(ck_db *db, const char *fn, const char *given,
                      char out[CK_PERIOD_MAX]) {
  if (!*given) {
    out[0] = '\0';
    return CK_OK;
  }
  if (period_normalise(given, out) != 0)
    return db_error(db, CK_INVALID,
                    "%s: '%s' is not a period (YYYY, YYYY-Hn, YYYY-Qn, "
                    "YYYY-MM, YYYY-Www, YYYY-MM-DD)",
                    fn, given);
  return CK_OK;
}

/* The latest period with an observation of (entity, metric). */
static int latest_period(ck_db *db, const char *fn, const char *entity,
                         const char *metric, key_data *k) {
  sqlite3_stmt *st;
  int rc = storage_cached(
      db,
      "SELECT period FROM claims WHERE kind = 'observation' AND entity = ? "
      "AND metric = ? ORDER BY period_end IS NULL, period_end DESC, period "
      "DESC LIMIT 1",
      &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW) {
    const unsigned char *p = sqlite3_column_text(st, 0);
    k->dated = p != NULL;
    snprintf(k->period, sizeof k->period, "%s", p ? (const char *)p : "");
  }
  storage_release(db, st);
  if (r == SQLITE_ROW)
    return CK_OK;
  if (r != SQLITE_DONE)
    return db_sql_error(db, r, fn);
  return db_error(db, CK_NOTFOUND, "%s: no observations of %s / %s", fn,
                  entity, metric);
}

/* The counted observations of a key, latest per actor, as rows of: actor,
   value, lo, hi, unit, source, locator, quote, qualifier, quantity, as_of,
   name. */
static int counted_observations(ck_db *db, const char *entity,
                                const char *metric, const key_data *k,
                                sqlite3_stmt **st) {
  int rc = storage_cached(
      db,
      "SELECT actor, value, lo, hi, unit, source, locator, quote, qualifier,"
      " quantity, as_of, name FROM (SELECT c.actor, c.value, c.lo, c.hi,"
      " COALESCE(NULLIF(c.unit, ''), m.unit, '') AS unit, c.source,"
      " c.locator, c.quote, c.qualifier, c.quantity, " CK_CLAIM_DATE
      " AS as_of, a.name, row_number() OVER (PARTITION BY c.actor ORDER BY "
      CK_CLAIM_DATE " DESC, c.seq DESC) AS latest FROM claims c"
      " JOIN metrics m ON m.id = c.metric LEFT JOIN actors a ON a.id ="
      " c.actor LEFT JOIN sources s ON s.id = c.source WHERE c.kind ="
      " 'observation' AND c.entity = ?1 AND c.metric = ?2 AND c.period IS ?3)"
      " WHERE latest = 1 ORDER BY actor",
      st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(*st, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(*st, 2, metric, -1, SQLITE_TRANSIENT);
  if (k->dated)
    sqlite3_bind_text(*st, 3, k->period, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(*st, 3);
  return CK_OK;
}

static void key_free(key_data *k) {
  free(k->rows);
  k->rows = NULL;
}

/* The counted observations of k's period (resolved; dated or not) into
   k->rows, refusing mixed units. */
static int read_rows(ck_db *db, const char *fn, const char *entity,
                     const char *metric, key_data *k) {
  sqlite3_stmt *st;
  int rc = counted_observations(db, entity, metric, k, &st);
  if (rc != CK_OK)
    return rc;
  size_t cap = 0;
  char unit[64] = "";
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    const char *u = (const char *)sqlite3_column_text(st, 4);
    if (k->n == 0) {
      snprintf(unit, sizeof unit, "%s", u);
    } else if (strcmp(unit, u) != 0) {
      db_error(db, CK_INVALID,
               "%s: mixed units for %s / %s / %s: '%s' and '%s'", fn, entity,
               metric, k->dated ? k->period : "(no period)", unit, u);
      storage_release(db, st);
      key_free(k);
      return CK_INVALID;
    }
    if (k->n == cap) {
      cap = cap ? cap * 2 : 8;
      obs *grown = realloc(k->rows, cap * sizeof *grown);
      if (!grown) {
        storage_release(db, st);
        key_free(k);
        return db_error(db, CK_NOMEM, "out of memory");
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
  if (r != SQLITE_DONE) {
    key_free(k);
    return db_sql_error(db, r, fn);
  }
  if (k->n == 0)
    return db_error(db, CK_NOTFOUND, "%s: no observations of %s / %s in %s",
                    fn, entity, metric, k->period);
  return CK_OK;
}

/* Loads the observations of (entity, metric, period) into k. */
static int load_key(ck_db *db, const char *fn, const char *entity,
                    const char *metric, const char *period, key_data *k) {
  memset(k, 0, sizeof *k);
  int rc;
  if ((rc = storage_require(db, fn, "entities", "entity", entity)) != CK_OK ||
      (rc = storage_require(db, fn, "metrics", "metric", metric)) != CK_OK ||
      (rc = period_arg(db, fn, period, k->period)) != CK_OK)
    return rc;
  k->dated = 1;
  if (!k->period[0] &&
      (rc = latest_period(db, fn, entity, metric, k)) != CK_OK)
    return rc;
  return read_rows(db, fn, entity, metric, k);
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

enum part { P_VALUE, P_LO, P_HI };

static int part_arg(ck_db *db, const char *fn, const char *name,
                    enum part *p) {
  if (strcmp(name, "value") == 0)
    *p = P_VALUE;
  else if (strcmp(name, "lo") == 0)
    *p = P_LO;
  else if (strcmp(name, "hi") == 0)
    *p = P_HI;
  else
    return db_error(db, CK_INVALID,
                    "%s: part must be value, lo or hi, not '%s'", fn, name);
  return CK_OK;
}

static double part_median(const key_data *k, enum part p) {
  double *x = malloc(k->n * sizeof *x);
  if (!x)
    return NAN;
  for (size_t i = 0; i < k->n; i++)
    x[i] = p == P_LO ? k->rows[i].lo : p == P_HI ? k->rows[i].hi
                                                 : k->rows[i].value;
  double m = median(x, k->n);
  free(x);
  return m;
}

/* value() for internal callers. */
static int value_of(ck_db *db, const char *fn, const char *entity,
                    const char *metric, const char *period, enum part p,
                    double *out) {
  key_data k;
  int rc = load_key(db, fn, entity, metric, period, &k);
  if (rc != CK_OK)
    return rc;
  *out = part_median(&k, p);
  key_free(&k);
  return CK_OK;
}

static int fn_value(ck_db *db, json_t *const *args, ck_result *out) {
  enum part p;
  int rc = part_arg(db, "value", json_string_value(args[3]), &p);
  if (rc == CK_OK)
    rc = value_of(db, "value", json_string_value(args[0]),
                  json_string_value(args[1]), json_string_value(args[2]), p,
                  &out->num);
  out->is_num = 1;
  return rc;
}

static int fn_estimates(ck_db *db, json_t *const *args, ck_result *out) {
  const char *stat = json_string_value(args[3]);
  static const char *const stats[] = {"n",   "mean", "median", "min",
                                      "max", "sd",   "cv"};
  size_t s = 0;
  while (s < 7 && strcmp(stat, stats[s]) != 0)
    s++;
  if (s == 7)
    return db_error(db, CK_INVALID,
                    "estimates: stat must be n, mean, median, min, max, sd "
                    "or cv, not '%s'",
                    stat);
  key_data k;
  int rc = load_key(db, "estimates", json_string_value(args[0]),
                    json_string_value(args[1]), json_string_value(args[2]), &k);
  if (rc != CK_OK)
    return rc;
  double n = (double)k.n, sum = 0, lo = INFINITY, hi = -INFINITY, ss = 0;
  for (size_t i = 0; i < k.n; i++) {
    double v = k.rows[i].value;
    sum += v;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  double mean = sum / n;
  for (size_t i = 0; i < k.n; i++)
    ss += (k.rows[i].value - mean) * (k.rows[i].value - mean);
  double sd = k.n < 2 ? NAN : sqrt(ss / (n - 1));
  double r[7] = {n, mean, part_median(&k, P_VALUE), lo, hi, sd,
                 sd / fabs(mean)};
  key_free(&k);
  out->is_num = 1;
  out->num = r[s];
  return CK_OK;
}

static int fn_gap(ck_db *db, json_t *const *args, ck_result *out) {
  const char *metric = json_string_value(args[0]);
  const char *a = json_string_value(args[1]), *b = json_string_value(args[2]);
  const char *period = json_string_value(args[3]);
  enum part p;
  int rc = part_arg(db, "gap", json_string_value(args[4]), &p);
  if (rc != CK_OK)
    return rc;
  double va = NAN, vb = NAN;
  /* The interval of a difference: lo = a.lo - b.hi, hi = a.hi - b.lo. */
  enum part pa = p, pb = p == P_LO ? P_HI : p == P_HI ? P_LO : P_VALUE;
  rc = value_of(db, "gap", a, metric, period, pa, &va);
  if (rc == CK_OK)
    rc = value_of(db, "gap", b, metric, period, pb, &vb);
  out->is_num = 1;
  out->num = va - vb;
  return rc;
}

static int fn_ratio(ck_db *db, json_t *const *args, ck_result *out) {
  const char *metric = json_string_value(args[0]);
  const char *period = json_string_value(args[3]);
  double va = NAN, vb = NAN;
  int rc = value_of(db, "ratio", json_string_value(args[1]), metric, period,
                    P_VALUE, &va);
  if (rc == CK_OK)
    rc = value_of(db, "ratio", json_string_value(args[2]), metric, period,
                  P_VALUE, &vb);
  out->is_num = 1;
  out->num = va / vb;
  return rc;
}

static int fn_rank(ck_db *db, json_t *const *args, ck_result *out) {
  const char *metric = json_string_value(args[0]);
  const char *entity = json_string_value(args[1]);
  key_data k;
  int rc = load_key(db, "rank", entity, metric, json_string_value(args[2]),
                    &k);
  if (rc != CK_OK)
    return rc;
  double mine = part_median(&k, P_VALUE);
  char period[CK_PERIOD_MAX];
  int dated = k.dated;
  memcpy(period, k.period, sizeof period);
  key_free(&k);
  sqlite3_stmt *st;
  if ((rc = storage_cached(db,
                            "SELECT higher_is_better FROM metrics WHERE id = ?",
                            &st)) != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
  int higher = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
  storage_release(db, st);
  if ((rc = storage_cached(db,
                            "SELECT DISTINCT entity FROM claims WHERE kind = "
                            "'observation' AND metric = ? AND period IS ? AND "
                            "entity <> ?",
                            &st)) != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
  if (dated)
    sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, entity, -1, SQLITE_STATIC);
  int better = 0, r;
  /* Competition ranking: one more than the entities strictly better. */
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    double v;
    rc = value_of(db, "rank", (const char *)sqlite3_column_text(st, 0), metric,
                  period, P_VALUE, &v);
    if (rc != CK_OK)
      break;
    better += higher ? v > mine : v < mine;
  }
  storage_release(db, st);
  if (rc != CK_OK)
    return rc;
  if (r != SQLITE_DONE)
    return db_sql_error(db, r, "rank");
  out->is_num = 1;
  out->num = better + 1;
  return CK_OK;
}

static int fn_change(ck_db *db, json_t *const *args, ck_result *out) {
  const char *entity = json_string_value(args[0]);
  const char *metric = json_string_value(args[1]);
  const char *from = json_string_value(args[2]), *to = json_string_value(args[3]);
  if (!*from || !*to)
    return db_error(db, CK_INVALID, "change: from and to must be periods");
  double a = NAN, b = NAN;
  int rc = value_of(db, "change", entity, metric, from, P_VALUE, &a);
  if (rc == CK_OK)
    rc = value_of(db, "change", entity, metric, to, P_VALUE, &b);
  out->is_num = 1;
  out->num = b / a - 1;
  return rc;
}

static int fn_series(ck_db *db, json_t *const *args, ck_result *out) {
  const char *entity = json_string_value(args[0]);
  const char *metric = json_string_value(args[1]);
  int rc;
  if ((rc = storage_require(db, "series", "entities", "entity", entity)) != CK_OK ||
      (rc = storage_require(db, "series", "metrics", "metric", metric)) != CK_OK)
    return rc;
  sqlite3_stmt *st;
  if ((rc = storage_cached(db,
                            "SELECT DISTINCT period, period_end FROM claims "
                            "WHERE kind = 'observation' AND entity = ? AND "
                            "metric = ? ORDER BY period_end IS NOT NULL, "
                            "period_end, period",
                            &st)) != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
  json_t *list = json_array();
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *p = sqlite3_column_text(st, 0);
    key_data k;
    /* Each period as stored, undated observations (p NULL) included. */
    memset(&k, 0, sizeof k);
    k.dated = p != NULL;
    snprintf(k.period, sizeof k.period, "%s", p ? (const char *)p : "");
    rc = read_rows(db, "series", entity, metric, &k);
    if (rc != CK_OK)
      break;
    json_array_append_new(
        list, json_pack("{s:o, s:o, s:o, s:o, s:I}", "period",
                        p ? json_string((const char *)p) : json_null(),
                        "value", json_number(part_median(&k, P_VALUE)), "lo",
                        json_number(part_median(&k, P_LO)), "hi",
                        json_number(part_median(&k, P_HI)), "n",
                        (json_int_t)k.n));
    key_free(&k);
  }
  storage_release(db, st);
  if (rc != CK_OK) {
    json_decref(list);
    return rc;
  }
  if (json_array_size(list) == 0) {
    json_decref(list);
    return db_error(db, CK_NOTFOUND, "series: no observations of %s / %s",
                    entity, metric);
  }
  out->json = list;
  return CK_OK;
}

static int fn_sources(ck_db *db, json_t *const *args, ck_result *out) {
  const char *entity = json_string_value(args[0]);
  const char *metric = json_string_value(args[1]);
  key_data k;
  int rc = load_key(db, "sources", entity, metric, json_string_value(args[2]),
                    &k);
  if (rc != CK_OK)
    return rc;
  sqlite3_stmt *st;
  rc = counted_observations(db, entity, metric, &k, &st);
  key_free(&k);
  if (rc != CK_OK)
    return rc;
  json_t *list = json_array();
  while (sqlite3_step(st) == SQLITE_ROW) {
    json_t *o = json_object();
    json_object_set_new(o, "actor", column_text(st, 0));
    json_object_set_new(o, "name", column_text(st, 11));
    json_object_set_new(o, "source", column_text(st, 5));
    json_object_set_new(o, "locator", column_text(st, 6));
    json_object_set_new(o, "quote", column_text(st, 7));
    json_object_set_new(o, "period",
                        k.dated ? json_string(k.period) : json_null());
    json_object_set_new(o, "value", json_number(sqlite3_column_double(st, 1)));
    json_object_set_new(o, "lo", json_number(sqlite3_column_double(st, 2)));
    json_object_set_new(o, "hi", json_number(sqlite3_column_double(st, 3)));
    json_object_set_new(o, "qualifier", column_text(st, 8));
    json_object_set_new(o, "quantity", column_text(st, 9));
    json_object_set_new(o, "unit", column_text(st, 4));
    json_object_set_new(o, "as_of", column_text(st, 10));
    json_array_append_new(list, o);
  }
  storage_release(db, st);
  out->json = list;
  return CK_OK;
}

#define PERIOD_DOC                                                             \
  "YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD; \"\" = the "      \
  "latest period with an observation"

const ck_function ck_observation_functions[] = {
    {"change",
     "Relative change of an entity's value between two periods: value(to) / "
     "value(from) - 1.",
     "number",
     fn_change,
     4,
     {{"entity", "string", NULL, "entity id"},
      {"metric", "string", NULL, "metric id"},
      {"from", "string", NULL, "the earlier period"},
      {"to", "string", NULL, "the later period"}}},
    {"estimates",
     "Statistics of the actors' latest values for a key: n, mean, median, "
     "min, max, sd (sample; NaN when n < 2), cv = sd / |mean|.",
     "number",
     fn_estimates,
     4,
     {{"entity", "string", NULL, "entity id"},
      {"metric", "string", NULL, "metric id"},
      {"period", "string", "\"\"", PERIOD_DOC},
      {"stat", "string", "\"median\"", "n, mean, median, min, max, sd or cv"}}},
    {"gap",
     "Difference between two entities on a metric: value(a) - value(b); part "
     "lo = a.lo - b.hi, hi = a.hi - b.lo.",
     "number",
     fn_gap,
     5,
     {{"metric", "string", NULL, "metric id"},
      {"a", "string", NULL, "first entity"},
      {"b", "string", NULL, "second entity"},
      {"period", "string", "\"\"", PERIOD_DOC},
      {"part", "string", "\"value\"", "value, lo or hi"}}},
    {"rank",
     "Competition rank (1, 2, 2, 4) of an entity among the entities with a "
     "value for the metric in the period; descending when higher is better.",
     "number",
     fn_rank,
     3,
     {{"metric", "string", NULL, "metric id"},
      {"entity", "string", NULL, "entity id"},
      {"period", "string", "\"\"", PERIOD_DOC}}},
    {"ratio",
     "Ratio of two entities' values on a metric: value(a) / value(b).",
     "number",
     fn_ratio,
     4,
     {{"metric", "string", NULL, "metric id"},
      {"a", "string", NULL, "numerator entity"},
      {"b", "string", NULL, "denominator entity"},
      {"period", "string", "\"\"", PERIOD_DOC}}},
    {"series",
     "An entity's values on a metric per period, in period order: period, "
     "value, lo, hi, n.",
     "list",
     fn_series,
     2,
     {{"entity", "string", NULL, "entity id"},
      {"metric", "string", NULL, "metric id"}}},
    {"sources",
     "The observations behind a value (latest per actor): actor, name, "
     "source, locator, quote, period, value, lo, hi, qualifier, quantity, "
     "unit, as_of.",
     "list",
     fn_sources,
     3,
     {{"entity", "string", NULL, "entity id"},
      {"metric", "string", NULL, "metric id"},
      {"period", "string", "\"\"", PERIOD_DOC}}},
    {"value",
     "Median over actors of their latest observation of (entity, metric, "
     "period): its value, lo or hi.",
     "number",
     fn_value,
     4,
     {{"entity", "string", NULL, "entity id"},
      {"metric", "string", NULL, "metric id"},
      {"period", "string", "\"\"", PERIOD_DOC},
      {"part", "string", "\"value\"", "value, lo or hi"}}},
};
const size_t ck_observation_function_count =
    sizeof ck_observation_functions / sizeof ck_observation_functions[0];

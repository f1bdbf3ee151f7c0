/*
** observations.c -- registry functions over quoted numbers (docs/functions.md):
** value, estimates, gap, ratio, rank, change, series, sources.
**
** A key is (entity, metric, period).  Its observations are the latest of
** each actor; period "" is the latest period (by end date) that has any
** observation of the entity and metric.  Observations of one key in
** different units are refused, never mixed.
*/
#include "internal.h"
#include "canon.h"
#include "key_values.h"
#include "periods.h"
#include "storage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* A period of latest_observations into k: '' is undated.  CK_NOMEM when
   SQLite could not make the text. */
static int read_period(ck_db *db, const char *fn, sqlite3_stmt *st, int col,
                       key_data *k) {
  const unsigned char *p = sqlite3_column_text(st, col);
  if (!p)
    return db_error(db, sqlite3_column_type(st, col) == SQLITE_NULL ? CK_ERROR
                                                                    : CK_NOMEM,
                    "%s: out of memory", fn);
  k->dated = *p != '\0';
  snprintf(k->period, sizeof k->period, "%s", (const char *)p);
  return CK_OK;
}

/* The latest period with an observation of (entity, metric). */
static int latest_period(ck_db *db, const char *fn, const char *entity,
                         const char *metric, key_data *k) {
  sqlite3_stmt *st;
  int rc = storage_cached(
      db,
      "SELECT period FROM latest_observations WHERE entity = ? AND metric = ? "
      "ORDER BY period_end IS NULL, period_end DESC, period DESC LIMIT 1",
      &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW)
    rc = read_period(db, fn, st, 0, k);
  storage_release(db, st);
  if (r == SQLITE_ROW)
    return rc;
  if (r != SQLITE_DONE)
    return db_sql_error(db, r, fn);
  return db_error(db, CK_NOTFOUND, "%s: no observations of %s / %s", fn,
                  entity, metric);
}

/* Loads the observations of (entity, metric, period) into k. */
static int load_key(ck_db *db, const char *fn, const char *entity,
                    const char *metric, const char *period, key_data *k) {
  memset(k, 0, sizeof *k);
  int rc = period_arg(db, fn, period, k->period);
  if (rc != CK_OK)
    return rc;
  k->dated = 1;
  if (!k->period[0])
    rc = latest_period(db, fn, entity, metric, k);
  if (rc == CK_OK)
    rc = key_read_rows(db, fn, entity, metric, k);
  /* No observations: say whether the entity or the metric is unknown. */
  int err = rc;
  if (err == CK_NOTFOUND &&
      ((rc = storage_require(db, fn, "entities", "entity", entity)) != CK_OK ||
       (rc = storage_require(db, fn, "metrics", "metric", metric)) != CK_OK))
    return rc;
  if (err == CK_NOTFOUND && !k->period[0])
    return db_error(db, CK_NOTFOUND, "%s: no observations of %s / %s", fn,
                    entity, metric);
  if (err == CK_NOTFOUND)
    return db_error(db, CK_NOTFOUND, "%s: no observations of %s / %s in %s",
                    fn, entity, metric, k->period);
  return err;
}
/* A part's name, one of value, lo, hi (the registry checked). */
static enum part part_of_name(const char *name) {
  return strcmp(name, "lo") == 0 ? P_LO : strcmp(name, "hi") == 0 ? P_HI
                                                                 : P_VALUE;
}


/* A value and the unit it is in. */
typedef struct figure {
  double value;
  char *unit; /* the caller frees it */
} figure;

/* A key as key_values holds it. */
typedef struct key_value {
  char period[CK_PERIOD_MAX];
  key_stats s;
  char *unit; /* the caller frees it */
} key_value;

/* The latest period (by end date) with a value of (entity, metric). */
static int latest_value_period(ck_db *db, const char *entity,
                               const char *metric, char period[CK_PERIOD_MAX],
                               int *found) {
  sqlite3_stmt *st;
  int rc = storage_cached(
      db,
      "SELECT period FROM key_values WHERE entity = ? AND metric = ? ORDER BY "
      "period_end IS NULL, period_end DESC, period DESC LIMIT 1",
      &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
  int r = sqlite3_step(st);
  const char *p = r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "";
  *found = r == SQLITE_ROW;
  snprintf(period, CK_PERIOD_MAX, "%s", p ? p : "");
  storage_release(db, st);
  if (r != SQLITE_ROW && r != SQLITE_DONE)
    return db_sql_error(db, r, "reading key values");
  return p ? CK_OK : db_nomem(db);
}

/* What is wrong with a key's statistics as key_values holds them, or
   NULL.  The rules key_compute_stats() keeps whatever the observations: the
   medians are order statistics, so min <= value <= max and (each
   observation's value within its bounds) lo <= value <= hi; sd is NULL
   for one observation, else >= 0.  The mean is finite but not bounded by
   min and max: its rounding may pass them. */
static const char *stats_broken(const key_stats *s) {
  if (!isfinite(s->value) || !isfinite(s->min) || !isfinite(s->max))
    return "its median, min or max is not finite";
  if (!isfinite(s->mean))
    return "its mean is not finite";
  if (!(s->min <= s->max))
    return "min is above max";
  if (!(s->min <= s->value && s->value <= s->max))
    return "the median is outside min..max";
  if (isnan(s->lo) || isnan(s->hi) || !(s->lo <= s->value && s->value <= s->hi))
    return "the median is outside its bounds lo..hi";
  if (s->n < 2 ? !isnan(s->sd) : !(s->sd >= 0))
    return s->n < 2 ? "sd is set for one observation"
                    : "sd is negative or missing";
  return NULL;
}

/* The key (entity, metric, period) from key_values: one row, however many
   actors quote it.  Every failure -- no such entity, metric or
   observations, mixed units -- is reported by load_key(), from the rows
   themselves, with its exact message. */
static int load_value(ck_db *db, const char *fn, const char *entity,
                      const char *metric, const char *period, key_value *kv) {
  memset(kv, 0, sizeof *kv);
  int rc = period_arg(db, fn, period, kv->period), found = 1;
  if (rc == CK_OK && !kv->period[0])
    rc = latest_value_period(db, entity, metric, kv->period, &found);
  sqlite3_stmt *st;
  if (rc == CK_OK && found)
    rc = storage_cached(db,
                        "SELECT n, unit, value, lo, hi, mean, sd, min, max "
                        "FROM key_values WHERE entity = ?1 AND metric = ?2 "
                        "AND period = ?3",
                        &st);
  if (rc != CK_OK)
    return rc;
  int r = SQLITE_DONE, valid = 0;
  if (found) {
    sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kv->period, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
      const char *unit = (const char *)sqlite3_column_text(st, 1);
      double *d[] = {&kv->s.value, &kv->s.lo,  &kv->s.hi, &kv->s.mean,
                     &kv->s.sd,    &kv->s.min, &kv->s.max};
      valid = unit && sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
              (kv->s.n = sqlite3_column_int64(st, 0)) > 0;
      for (int i = 0; valid && i < 7; i++) {
        int t = sqlite3_column_type(st, 2 + i);
        valid = t == SQLITE_FLOAT || t == SQLITE_INTEGER || (i == 4 && t == SQLITE_NULL);
        *d[i] = t == SQLITE_NULL ? NAN : sqlite3_column_double(st, 2 + i);
      }
      const char *broken = valid ? stats_broken(&kv->s) : NULL;
      if (broken) {
        key_data k = {.dated = kv->period[0] != '\0'};
        snprintf(k.period, sizeof k.period, "%s", kv->period);
        rc = key_damaged(db, fn, "key_values", entity, metric, &k, broken);
      } else if (valid && !(kv->unit = strdup(unit))) {
        rc = db_error(db, CK_NOMEM, "%s: out of memory", fn);
      }
    }
    storage_release(db, st);
  }
  if (rc != CK_OK)
    return rc;
  if (r != SQLITE_ROW && r != SQLITE_DONE)
    return db_sql_error(db, r, fn);
  if (valid)
    return CK_OK;
  /* None, mixed units, or a row another tool wrote: the rows say which. */
  key_data k;
  rc = load_key(db, fn, entity, metric, period, &k);
  key_free(&k);
  if (rc == CK_OK)
    rc = db_error(db, CK_ERROR,
                  "%s: the values of %s / %s are not what its observations "
                  "give; the database was edited by another tool"
                  CK_REBUILD_HINT,
                  fn, entity, metric);
  return rc;
}

static double part_of(const key_stats *s, enum part p) {
  return p == P_LO ? s->lo : p == P_HI ? s->hi : s->value;
}

/* value() for internal callers. */
static int value_of(ck_db *db, const char *fn, const char *entity,
                    const char *metric, const char *period, enum part p,
                    figure *out) {
  key_value kv;
  int rc = load_value(db, fn, entity, metric, period, &kv);
  out->value = part_of(&kv.s, p);
  out->unit = kv.unit;
  return rc;
}

/* Two figures combined must be in one unit: a gap between dollars and
   yuan is no number at all. */
static int same_unit(ck_db *db, const char *fn, const char *what_a,
                     const figure *a, const char *what_b, const figure *b) {
  if (strcmp(a->unit, b->unit) == 0)
    return CK_OK;
  return db_error(db, CK_INVALID,
                  "%s: %s is in '%s' and %s in '%s'; figures in different "
                  "units do not combine",
                  fn, what_a, a->unit, what_b, b->unit);
}

/* The two values of a two-key function, checked for one unit. */
static int value_pair(ck_db *db, const char *fn, const char *ea,
                      const char *ma, const char *pa, enum part parta,
                      const char *eb, const char *mb, const char *pb,
                      enum part partb, double *va, double *vb) {
  figure a = {0, NULL}, b = {0, NULL};
  int rc = value_of(db, fn, ea, ma, pa, parta, &a);
  if (rc == CK_OK)
    rc = value_of(db, fn, eb, mb, pb, partb, &b);
  if (rc == CK_OK) {
    char what_a[160], what_b[160];
    snprintf(what_a, sizeof what_a, "%s%s%s", ea, *pa ? " in " : "", pa);
    snprintf(what_b, sizeof what_b, "%s%s%s", eb, *pb ? " in " : "", pb);
    if (strcmp(ea, eb) == 0) { /* change(): the periods tell them apart */
      snprintf(what_a, sizeof what_a, "%s", pa);
      snprintf(what_b, sizeof what_b, "%s", pb);
    }
    rc = same_unit(db, fn, what_a, &a, what_b, &b);
  }
  *va = a.value;
  *vb = b.value;
  free(a.unit);
  free(b.unit);
  return rc;
}

static int fn_value(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  figure f = {0, NULL};
  int rc = value_of(db, "value", json_string_value(args[0]),
                    json_string_value(args[1]), json_string_value(args[2]),
                    part_of_name(json_string_value(args[3])), &f);
  free(f.unit);
  out->is_num = 1;
  out->num = f.value;
  return rc;
}

static int fn_estimates(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *stat = json_string_value(args[3]);
  static const char *const stats[] = {"n",   "mean", "median", "min",
                                      "max", "sd",   "cv"};
  size_t s = 0;
  while (s < 6 && strcmp(stat, stats[s]) != 0)
    s++; /* one of them: the registry checked */
  key_value kv;
  int rc = load_value(db, "estimates", json_string_value(args[0]),
                      json_string_value(args[1]), json_string_value(args[2]),
                      &kv);
  free(kv.unit);
  const key_stats *k = &kv.s;
  double r[7] = {(double)k->n, k->mean, k->value, k->min,
                 k->max,       k->sd,   k->sd / fabs(k->mean)};
  out->is_num = 1;
  out->num = r[s];
  return rc;
}

static int fn_gap(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *metric = json_string_value(args[0]);
  const char *a = json_string_value(args[1]), *b = json_string_value(args[2]);
  const char *period = json_string_value(args[3]);
  enum part p = part_of_name(json_string_value(args[4]));
  double va = NAN, vb = NAN;
  /* The interval of a difference: lo = a.lo - b.hi, hi = a.hi - b.lo. */
  enum part pa = p, pb = p == P_LO ? P_HI : p == P_HI ? P_LO : P_VALUE;
  int rc = value_pair(db, "gap", a, metric, period, pa, b, metric, period, pb,
                      &va, &vb);
  out->is_num = 1;
  out->num = va - vb;
  return rc;
}

static int fn_ratio(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *metric = json_string_value(args[0]);
  const char *period = json_string_value(args[3]);
  double va = NAN, vb = NAN;
  int rc = value_pair(db, "ratio", json_string_value(args[1]), metric, period,
                      P_VALUE, json_string_value(args[2]), metric, period,
                      P_VALUE, &va, &vb);
  out->is_num = 1;
  out->num = va / vb;
  return rc;
}

static int fn_rank(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *metric = json_string_value(args[0]);
  const char *entity = json_string_value(args[1]);
  key_value kv;
  int rc = load_value(db, "rank", entity, metric, json_string_value(args[2]),
                      &kv);
  if (rc != CK_OK)
    return rc;
  figure mine = {kv.s.value, kv.unit};
  const char *period = kv.period;
  sqlite3_stmt *st = NULL;
  if (rc == CK_OK)
    rc = storage_cached(db, "SELECT higher_is_better FROM metrics WHERE id = ?",
                        &st);
  int higher = 1, r = SQLITE_DONE;
  if (rc == CK_OK) {
    sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
      higher = sqlite3_column_int(st, 0);
    storage_release(db, st);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
      rc = db_sql_error(db, r, "rank");
  }
  if (rc == CK_OK)
    rc = storage_cached(db,
                        "SELECT entity FROM key_values WHERE metric = ? AND "
                        "period = ? AND entity <> ?",
                        &st);
  if (rc != CK_OK) {
    free(mine.unit);
    return rc;
  }
  sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, period, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, entity, -1, SQLITE_STATIC);
  int better = 0;
  /* Competition ranking: one more than the entities strictly better. */
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    const char *other = (const char *)sqlite3_column_text(st, 0);
    if (!other) { /* the query leaves NULLs out: SQLite out of memory */
      rc = db_error(db, CK_NOMEM, "rank: out of memory");
      break;
    }
    figure f;
    rc = value_of(db, "rank", other, metric, period, P_VALUE, &f);
    if (rc == CK_OK)
      rc = same_unit(db, "rank", entity, &mine, other, &f);
    free(f.unit);
    if (rc != CK_OK)
      break;
    better += higher ? f.value > mine.value : f.value < mine.value;
  }
  storage_release(db, st);
  free(mine.unit);
  if (rc != CK_OK)
    return rc;
  if (r != SQLITE_DONE)
    return db_sql_error(db, r, "rank");
  out->is_num = 1;
  out->num = better + 1;
  return CK_OK;
}

static int fn_change(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *entity = json_string_value(args[0]);
  const char *metric = json_string_value(args[1]);
  const char *from = json_string_value(args[2]), *to = json_string_value(args[3]);
  if (!*from || !*to)
    return db_error(db, CK_INVALID, "change: from and to must be periods");
  double a = NAN, b = NAN;
  int rc = value_pair(db, "change", entity, metric, from, P_VALUE, entity,
                      metric, to, P_VALUE, &a, &b);
  out->is_num = 1;
  out->num = b / a - 1;
  return rc;
}

/* One series row: period, value, lo, hi, n. */
static json_t *series_row(ck_db *db, const key_data *k, int *rc) {
  double v[3];
  for (int p = P_VALUE; p <= P_HI && *rc == CK_OK; p++)
    *rc = key_part_median(db, "series", k, (enum part)p, &v[p]);
  if (*rc != CK_OK)
    return NULL;
  return json_pack("{s:o, s:o, s:o, s:o, s:I}", "period",
                   k->dated ? json_string(k->period) : json_null(), "value",
                   ckjson_number(v[P_VALUE]), "lo", ckjson_number(v[P_LO]), "hi",
                   ckjson_number(v[P_HI]), "n", (json_int_t)k->n);
}

static int fn_series(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *entity = json_string_value(args[0]);
  const char *metric = json_string_value(args[1]);
  int rc;
  if ((rc = storage_require(db, "series", "entities", "entity", entity)) != CK_OK ||
      (rc = storage_require(db, "series", "metrics", "metric", metric)) != CK_OK)
    return rc;
  sqlite3_stmt *st;
  if ((rc = storage_cached(db,
                            "SELECT DISTINCT period, period_end FROM "
                            "latest_observations WHERE entity = ? AND "
                            "metric = ? ORDER BY period_end IS NOT NULL, "
                            "period_end, period",
                            &st)) != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
  json_t *list = json_array();
  figure first = {0, NULL};
  int r = SQLITE_DONE, bad = !list;
  while (!bad && (r = sqlite3_step(st)) == SQLITE_ROW) {
    key_data k;
    /* Each period as stored, undated observations (NULL) included. */
    memset(&k, 0, sizeof k);
    if ((rc = read_period(db, "series", st, 0, &k)) != CK_OK ||
        (rc = db_charge(db, "series", 160)) != CK_OK ||
        (rc = key_read_rows(db, "series", entity, metric, &k)) != CK_OK)
      break;
    /* One series, one unit: a figure in dollars beside one in yuan is no
       trend. */
    figure f = {0, k.unit};
    if (!first.unit && !(first.unit = strdup(k.unit)))
      rc = db_error(db, CK_NOMEM, "series: out of memory");
    if (rc == CK_OK)
      rc = same_unit(db, "series", "one period", &first,
                     k.dated ? k.period : "an undated one", &f);
    if (rc == CK_OK)
      jpush(list, series_row(db, &k, &rc), &bad);
    key_free(&k);
    if (rc != CK_OK)
      break;
  }
  storage_release(db, st);
  free(first.unit);
  if (rc == CK_OK && bad)
    rc = db_error(db, CK_NOMEM, "series: out of memory");
  if (rc == CK_OK && r != SQLITE_DONE)
    rc = db_sql_error(db, r, "series");
  if (rc == CK_OK && json_array_size(list) == 0)
    rc = db_error(db, CK_NOTFOUND, "series: no observations of %s / %s",
                  entity, metric);
  if (rc != CK_OK) {
    json_decref(list);
    return rc;
  }
  out->json = list;
  return CK_OK;
}

static int fn_sources(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *entity = json_string_value(args[0]);
  const char *metric = json_string_value(args[1]);
  key_data k;
  int rc = load_key(db, "sources", entity, metric, json_string_value(args[2]),
                    &k);
  if (rc != CK_OK)
    return rc;
  sqlite3_stmt *st;
  rc = key_counted_observations(db, entity, metric, &k, 1, &st);
  if (rc != CK_OK) {
    key_free(&k);
    return rc;
  }
  json_t *list = json_array();
  int r = SQLITE_DONE, bad = !list;
  while (!bad && rc == CK_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
    rc = db_charge(db, "sources", 512 + (size_t)sqlite3_column_bytes(st, 7));
    json_t *o = json_object();
    jset(o, "actor", column_text(st, 0), &bad);
    jset(o, "name", column_text(st, 11), &bad);
    jset(o, "source", column_text(st, 5), &bad);
    jset(o, "locator", column_text(st, 6), &bad);
    jset(o, "quote", column_text(st, 7), &bad);
    jset(o, "period", k.dated ? json_string(k.period) : json_null(), &bad);
    jset(o, "value", ckjson_number(sqlite3_column_double(st, 1)), &bad);
    jset(o, "lo", ckjson_number(sqlite3_column_double(st, 2)), &bad);
    jset(o, "hi", ckjson_number(sqlite3_column_double(st, 3)), &bad);
    jset(o, "qualifier", column_text(st, 8), &bad);
    jset(o, "quantity", column_text(st, 9), &bad);
    jset(o, "unit", json_string(k.unit), &bad);
    jset(o, "as_of", column_text(st, 10), &bad);
    jpush(list, o, &bad);
  }
  storage_release(db, st);
  key_free(&k);
  if (rc == CK_OK && bad)
    rc = db_error(db, CK_NOMEM, "sources: out of memory");
  if (rc == CK_OK && r != SQLITE_DONE)
    rc = db_sql_error(db, r, "sources");
  if (rc != CK_OK) {
    json_decref(list);
    return rc;
  }
  out->json = list;
  return CK_OK;
}

#define PERIOD_DOC                                                             \
  "YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD; \"\" = the "      \
  "latest period with an observation"

const ck_function ck_observation_functions[] = {
    {.name = "change",
     .doc = "Relative change of an entity's value between two periods: "
            "value(to) / value(from) - 1; the two in one unit.",
     .returns = "number",
     .impl = fn_change,
     .params = {{.name = "entity", .type = "string", .doc = "entity id",
                 .record = "entity"},
                {.name = "metric", .type = "string", .doc = "metric id",
                 .record = "metric"},
                {.name = "from", .type = "string", .doc = "the earlier period",
                 .format = "period"},
                {.name = "to", .type = "string", .doc = "the later period",
                 .format = "period"}}},
    {.name = "estimates",
     .doc = "Statistics of the actors' latest values for a key: n, mean, "
            "median, min, max, sd (sample; NaN when n < 2), cv = sd / |mean|.",
     .returns = "number",
     .impl = fn_estimates,
     .params = {{.name = "entity", .type = "string", .doc = "entity id",
                 .record = "entity"},
                {.name = "metric", .type = "string", .doc = "metric id",
                 .record = "metric"},
                {.name = "period", .type = "string", .def = "\"\"", .doc = PERIOD_DOC,
                 .format = "period"},
                {.name = "stat", .type = "string", .def = "\"median\"",
                 .doc = "n, mean, median, min, max, sd or cv",
                 .choices = "n mean median min max sd cv"}}},
    {.name = "gap",
     .doc = "Difference between two entities on a metric: value(a) - "
            "value(b); part lo = a.lo - b.hi, hi = a.hi - b.lo; the two in "
            "one unit.",
     .returns = "number",
     .impl = fn_gap,
     .params = {{.name = "metric", .type = "string", .doc = "metric id",
                 .record = "metric"},
                {.name = "a", .type = "string", .doc = "first entity",
                 .record = "entity"},
                {.name = "b", .type = "string", .doc = "second entity",
                 .record = "entity"},
                {.name = "period", .type = "string", .def = "\"\"", .doc = PERIOD_DOC,
                 .format = "period"},
                {.name = "part", .type = "string", .def = "\"value\"",
                 .doc = "value, lo or hi", .choices = "value lo hi"}}},
    {.name = "rank",
     .doc = "Competition rank (1, 2, 2, 4) of an entity among the entities "
            "with a value for the metric in the period, all in one unit; "
            "descending when higher is better.",
     .returns = "number",
     .impl = fn_rank,
     .params = {{.name = "metric", .type = "string", .doc = "metric id",
                 .record = "metric"},
                {.name = "entity", .type = "string", .doc = "entity id",
                 .record = "entity"},
                {.name = "period", .type = "string", .def = "\"\"", .doc = PERIOD_DOC,
                 .format = "period"}}},
    {.name = "ratio",
     .doc = "Ratio of two entities' values on a metric: value(a) / value(b); "
            "the two in one unit.",
     .returns = "number",
     .impl = fn_ratio,
     .params = {{.name = "metric", .type = "string", .doc = "metric id",
                 .record = "metric"},
                {.name = "a", .type = "string", .doc = "numerator entity",
                 .record = "entity"},
                {.name = "b", .type = "string", .doc = "denominator entity",
                 .record = "entity"},
                {.name = "period", .type = "string", .def = "\"\"", .doc = PERIOD_DOC,
                 .format = "period"}}},
    {.name = "series",
     .doc = "An entity's values on a metric per period, in period order: "
            "period, value, lo, hi, n; every period in one unit.",
     .returns = "list",
     .impl = fn_series,
     .params = {{.name = "entity", .type = "string", .doc = "entity id",
                 .record = "entity"},
                {.name = "metric", .type = "string", .doc = "metric id",
                 .record = "metric"}}},
    {.name = "sources",
     .doc = "The observations behind a value (latest per actor): actor, "
            "name, source, locator, quote, period, value, lo, hi, qualifier, "
            "quantity, unit, as_of.",
     .returns = "list",
     .impl = fn_sources,
     .params = {{.name = "entity", .type = "string", .doc = "entity id",
                 .record = "entity"},
                {.name = "metric", .type = "string", .doc = "metric id",
                 .record = "metric"},
                {.name = "period", .type = "string", .def = "\"\"", .doc = PERIOD_DOC,
                 .format = "period"}}},
    {.name = "value",
     .doc = "Median over actors of their latest observation of (entity, "
            "metric, period): its value, lo or hi.",
     .returns = "number",
     .impl = fn_value,
     .params = {{.name = "entity", .type = "string", .doc = "entity id",
                 .record = "entity"},
                {.name = "metric", .type = "string", .doc = "metric id",
                 .record = "metric"},
                {.name = "period", .type = "string", .def = "\"\"", .doc = PERIOD_DOC,
                 .format = "period"},
                {.name = "part", .type = "string", .def = "\"value\"",
                 .doc = "value, lo or hi", .choices = "value lo hi"}}},
};
const size_t ck_observation_function_count =
    sizeof ck_observation_functions / sizeof ck_observation_functions[0];

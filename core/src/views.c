/*
** views.c -- registry functions over views (docs/functions.md): consensus
** measures, labels, splits, frameworks, stances, revisions, drift and
** track records.  Every one starts from the same selection of views
** (views_select.c).
*/
#include "internal.h"
#include "canon.h"
#include "filter.h"
#include "ordinal.h"
#include "periods.h"
#include "storage.h"
#include "views.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int fn_consensus(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  ck_filter f;
  int rc = views_filter_arg(db, "consensus", args[2], &f);
  if (rc != CK_OK)
    return rc;
  rc = views_consensus(db, "consensus", json_string_value(args[0]),
                       json_string_value(args[1]), &f, &out->num);
  filter_free(&f);
  out->is_num = 1;
  return rc;
}

static const char *label_of(double cns) {
  return cns >= 0.8 ? "consensus" : cns < 0.6 ? "divergent" : "mixed";
}

static int fn_label(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  ck_filter f;
  int rc = views_filter_arg(db, "label", args[1], &f);
  if (rc != CK_OK)
    return rc;
  double cns;
  rc = views_consensus(db, "label", json_string_value(args[0]), "cns", &f,
                       &cns);
  filter_free(&f);
  if (rc == CK_OK)
    out->json = json_string(label_of(cns));
  return rc;
}

static int fn_split(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *by = json_string_value(args[1]);
  const char *measure = json_string_value(args[4]);
  /* by and measure are among their choices: the registry checked */
  enum filter_key key = strcmp(by, "region") == 0 ? FK_REGION : FK_KIND;
  int jsd = strcmp(measure, "jsd") == 0;
  selection groups[2];
  int rc = CK_OK;
  for (int g = 0; g < 2; g++) {
    ck_filter f;
    filter_one(&f, key, json_string_value(args[2 + g]));
    rc = views_select(db, "split", json_string_value(args[0]), &f,
                      &groups[g]);
    if (rc == CK_OK && groups[g].n == 0) {
      db_error(db, CK_NOTFOUND, "split: no views on '%s' from %s '%s'",
               json_string_value(args[0]), by, f.terms[0].value);
      rc = CK_NOTFOUND;
      views_free(&groups[g]);
    }
    if (rc != CK_OK) {
      if (g == 1)
        views_free(&groups[0]);
      return rc;
    }
  }
  if (jsd) {
    out->num = ordinal_jsd(groups[0].w, groups[1].w, groups[0].k);
  } else {
    double ma, mb;
    ordinal_measure(groups[0].w, groups[0].k, (int)groups[0].q.lo, OM_MEAN,
                    &ma);
    ordinal_measure(groups[1].w, groups[1].k, (int)groups[1].q.lo, OM_MEAN,
                    &mb);
    out->num = ma - mb;
  }
  out->is_num = 1;
  views_free(&groups[0]);
  views_free(&groups[1]);
  return CK_OK;
}

static int fn_framework(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *id = json_string_value(args[0]);
  const char *measure = json_string_value(args[1]);
  int m, rc;
  if ((rc = views_find_measure(db, "framework", measure, &m)) != CK_OK)
    return rc;
  if ((rc = storage_require(db, "framework", "frameworks", "framework",
                            id)) != CK_OK)
    return rc;
  sqlite3_stmt *st;
  if ((rc = storage_cached(db,
                            "SELECT q.id FROM questions q WHERE q.framework = "
                            "? AND EXISTS (SELECT 1 FROM latest_views l "
                            "WHERE l.question = q.id) ORDER BY q.id",
                            &st)) != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  double sum = 0;
  int n = 0, r;
  ck_filter none;
  memset(&none, 0, sizeof none);
  while (rc == CK_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
    selection s;
    const char *question = (const char *)sqlite3_column_text(st, 0);
    if (!question) {
      rc = db_error(db, CK_NOMEM, "framework: out of memory");
      break;
    }
    rc = views_select(db, "framework", question, &none, &s);
    if (rc == CK_OK) {
      double v;
      rc = views_measure(db, "framework", &s, m, &v);
      sum += v;
      n++;
      views_free(&s);
    }
  }
  storage_release(db, st);
  if (rc != CK_OK)
    return rc;
  if (r != SQLITE_DONE)
    return db_sql_error(db, r, "framework");
  if (n == 0)
    return db_error(db, CK_NOTFOUND,
                    "framework: no question of framework '%s' has views", id);
  out->is_num = 1;
  out->num = sum / n;
  return CK_OK;
}

static int fn_stance(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *qid = json_string_value(args[0]);
  const char *actor = json_string_value(args[1]);
  question q;
  int rc;
  if ((rc = views_question(db, "stance", qid, &q)) != CK_OK ||
      (rc = storage_require(db, "stance", "actors", "actor", actor)) != CK_OK)
    return rc;
  ck_filter f;
  filter_one(&f, FK_ACTOR, actor);
  sqlite3_stmt *st;
  if ((rc = views_counted(db, qid, &f, 0, &st)) != CK_OK)
    return rc;
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW && (rc = views_stance(db, "stance", &q, st)) == CK_OK) {
    out->is_num = 1;
    out->num = (double)sqlite3_column_int64(st, 1);
  }
  storage_release(db, st);
  if (r == SQLITE_ROW)
    return rc;
  if (r != SQLITE_DONE)
    return db_sql_error(db, r, "stance");
  return db_error(db, CK_NOTFOUND, "stance: actor '%s' has no view on '%s'",
                  actor, qid);
}

static int fn_views(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *qid = json_string_value(args[0]);
  question q;
  int rc = views_question(db, "views", qid, &q);
  if (rc != CK_OK)
    return rc;
  ck_filter f;
  if ((rc = views_filter_arg(db, "views", args[1], &f)) != CK_OK)
    return rc;
  sqlite3_stmt *st;
  rc = views_counted(db, qid, &f, 1, &st);
  if (rc != CK_OK) {
    filter_free(&f);
    return rc;
  }
  json_t *list = json_array();
  int r = SQLITE_DONE, bad = !list;
  while (!bad && rc == CK_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
    if ((rc = views_stance(db, "views", &q, st)) != CK_OK)
      break;
    rc = db_charge(db, "views", 256 + (size_t)sqlite3_column_bytes(st, 8));
    json_t *o = json_object();
    jset(o, "actor", column_text(st, 0), &bad);
    jset(o, "name", column_text(st, 3), &bad);
    jset(o, "region", column_text(st, 4), &bad);
    jset(o, "stance", json_integer(sqlite3_column_int64(st, 1)), &bad);
    jset(o, "as_of", column_text(st, 5), &bad);
    jset(o, "source", column_text(st, 6), &bad);
    jset(o, "locator", column_text(st, 7), &bad);
    jset(o, "quote", column_text(st, 8), &bad);
    jpush(list, o, &bad);
  }
  storage_release(db, st);
  filter_free(&f); /* the statement's bindings point into it */
  if (rc == CK_OK && bad)
    rc = db_error(db, CK_NOMEM, "views: out of memory");
  if (rc == CK_OK && r != SQLITE_DONE)
    rc = db_sql_error(db, r, "views");
  if (rc != CK_OK) {
    json_decref(list);
    return rc;
  }
  out->json = list;
  return CK_OK;
}

/* Each counted actor's stance as of a date (latest view with date <= it),
   appended to a filter copy. */
static int stances_as_of(ck_db *db, const char *fn, const char *qid,
                         const ck_filter *base, const char *date,
                         json_t *by_actor) {
  ck_filter f = *base;
  if (f.n == CK_FILTER_MAX)
    return db_error(db, CK_INVALID, "%s: too many filter terms", fn);
  f.terms[f.n].key = FK_UNTIL;
  f.terms[f.n].value = (char *)date;
  f.n++;
  sqlite3_stmt *st;
  int rc = views_counted(db, qid, &f, 0, &st);
  if (rc != CK_OK)
    return rc;
  int r, bad = 0;
  while (!bad && (r = sqlite3_step(st)) == SQLITE_ROW) {
    const char *actor = (const char *)sqlite3_column_text(st, 0);
    if (actor)
      jset(by_actor, actor, json_integer(sqlite3_column_int64(st, 1)), &bad);
    else
      bad = 1;
  }
  storage_release(db, st);
  if (bad)
    return db_error(db, CK_NOMEM, "%s: out of memory", fn);
  return r == SQLITE_DONE ? CK_OK : db_sql_error(db, r, fn);
}

static int date_arg(ck_db *db, const char *fn, const char *name,
                    json_t *arg) {
  const char *d = json_string_value(arg);
  return date_valid(d) ? CK_OK
                       : db_error(db, CK_INVALID,
                                  "%s: %s '%s' is not a date YYYY-MM-DD", fn,
                                  name, d);
}

static int fn_revisions(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *qid = json_string_value(args[0]);
  const char *since = json_string_value(args[1]);
  const char *until = json_string_value(args[2]);
  question q;
  int rc;
  if ((rc = views_question(db, "revisions", qid, &q)) != CK_OK ||
      (rc = date_arg(db, "revisions", "since", args[1])) != CK_OK ||
      (rc = date_arg(db, "revisions", "until", args[2])) != CK_OK)
    return rc;
  if (strcmp(since, until) > 0)
    return db_error(db, CK_INVALID, "revisions: since %s is after until %s",
                    since, until);
  ck_filter f;
  if ((rc = views_filter_arg(db, "revisions", args[3], &f)) != CK_OK)
    return rc;
  json_t *before = json_object(), *after = json_object();
  if (!before || !after)
    rc = db_error(db, CK_NOMEM, "revisions: out of memory");
  if (rc == CK_OK &&
      (rc = stances_as_of(db, "revisions", qid, &f, since, before)) == CK_OK)
    rc = stances_as_of(db, "revisions", qid, &f, until, after);
  filter_free(&f);
  if (rc == CK_OK) {
    json_int_t up = 0, down = 0, same = 0, fresh = 0;
    const char *actor;
    json_t *now;
    json_object_foreach(after, actor, now) {
      json_t *then = json_object_get(before, actor);
      if (!then)
        fresh++;
      else if (json_integer_value(now) > json_integer_value(then))
        up++;
      else if (json_integer_value(now) < json_integer_value(then))
        down++;
      else
        same++;
    }
    out->json = json_pack("{s:I, s:I, s:I, s:I}", "up", up, "down", down,
                          "unchanged", same, "new", fresh);
  }
  json_decref(before);
  json_decref(after);
  return rc;
}

static int fn_drift(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *qid = json_string_value(args[0]);
  const char *measure = json_string_value(args[1]);
  json_t *dates = args[2];
  int m, rc;
  question q;
  if ((rc = views_question(db, "drift", qid, &q)) != CK_OK ||
      (rc = views_find_measure(db, "drift", measure, &m)) != CK_OK)
    return rc;
  size_t i;
  json_t *d;
  json_array_foreach(dates, i, d) {
    if (!json_is_string(d) || !date_valid(json_string_value(d)))
      return db_error(db, CK_INVALID,
                      "drift: dates[%zu] is not a date YYYY-MM-DD", i);
  }
  json_t *list = json_array();
  int bad = !list;
  json_array_foreach(dates, i, d) {
    ck_filter f;
    filter_one(&f, FK_UNTIL, json_string_value(d));
    selection s;
    if (bad || (rc = db_charge(db, "drift", 96)) != CK_OK ||
        (rc = views_select(db, "drift", qid, &f, &s)) != CK_OK)
      break;
    double v = NAN;
    /* A date before any view is a gap in the series, not an error. */
    if (m < 0 || s.n > 0)
      rc = views_measure(db, "drift", &s, m, &v);
    views_free(&s);
    if (rc != CK_OK)
      break;
    jpush(list,
          json_pack("{s:s, s:o}", "date", json_string_value(d), "value",
                    ckjson_number(v)),
          &bad);
  }
  if (rc == CK_OK && bad)
    rc = db_error(db, CK_NOMEM, "drift: out of memory");
  if (rc != CK_OK) {
    json_decref(list);
    return rc;
  }
  out->json = list;
  return CK_OK;
}

static int fn_track(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *actor = json_string_value(args[0]);
  const char *stat = json_string_value(args[1]);
  int rc = storage_require(db, "track", "actors", "actor", actor);
  if (rc != CK_OK)
    return rc;
  /* The actor's latest view on each resolved question, as of its
     resolution date when it has one. */
  sqlite3_stmt *st;
  rc = storage_cached(
      db,
      "SELECT q.scale_min, q.scale_max, q.outcome, (SELECT c.stance FROM "
      "claims c LEFT JOIN sources s ON s.id = c.source WHERE c.kind = 'view' "
      "AND c.question = q.id AND c.actor = ?1 AND (q.resolved_on IS NULL OR "
      "coalesce(" CK_CLAIM_DATE ", '') <= q.resolved_on) ORDER BY " CK_CLAIM_DATE
      " DESC, c.seq DESC LIMIT 1) AS stance FROM questions q WHERE q.outcome "
      "IS NOT NULL ORDER BY q.id",
      &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, actor, -1, SQLITE_STATIC);
  double brier = 0, hits = 0;
  int n = 0, r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    if (sqlite3_column_type(st, 3) == SQLITE_NULL)
      continue;
    long long qlo = sqlite3_column_int64(st, 0);
    long long qhi = sqlite3_column_int64(st, 1);
    long long given = sqlite3_column_int64(st, 3);
    if (!views_scale_valid(qlo, qhi) || given < qlo || given > qhi ||
        sqlite3_column_type(st, 3) != SQLITE_INTEGER) {
      storage_release(db, st);
      return db_error(db, CK_ERROR,
                      "track: a resolved question has a scale or stance no "
                      "claimkit stores; the database was edited by another "
                      "tool");
    }
    double lo = (double)qlo, hi = (double)qhi, stance = (double)given;
    double o = sqlite3_column_int(st, 2) ? 1 : 0;
    double p = (stance - lo) / (hi - lo), mid = (lo + hi) / 2;
    brier += (p - o) * (p - o);
    hits += o ? stance > mid : stance < mid;
    n++;
  }
  storage_release(db, st);
  if (r != SQLITE_DONE)
    return db_sql_error(db, r, "track");
  out->is_num = 1;
  if (strcmp(stat, "n") == 0) {
    out->num = n;
    return CK_OK;
  }
  if (n == 0)
    return db_error(db, CK_NOTFOUND,
                    "track: actor '%s' has no view on a resolved question",
                    actor);
  out->num = strcmp(stat, "brier") == 0 ? brier / n : hits / n;
  return CK_OK;
}

const ck_function ck_view_functions[] = {
    {.name = "consensus",
     .doc = "A consensus measure of the latest view of each actor on a "
            "question: " MEASURE_LIST ".",
     .returns = "number",
     .impl = fn_consensus,
     .params = {{.name = "question", .type = "string", .doc = "question id",
                 .record = "question"},
                {.name = "measure", .type = "string", .def = "\"cns\"",
                 .doc = MEASURE_LIST, .choices = MEASURES},
                {.name = "filter", .type = "string", .def = "\"\"",
                 .doc = FILTER_DOC}}},
    {.name = "drift",
     .doc = "A consensus measure as of each date (views up to that date); "
            "null where no view is that old.",
     .returns = "list",
     .impl = fn_drift,
     .params = {{.name = "question", .type = "string", .doc = "question id",
                 .record = "question"},
                {.name = "measure", .type = "string", .doc = MEASURE_LIST,
                 .choices = MEASURES},
                {.name = "dates", .type = "array",
                 .doc = "list of dates YYYY-MM-DD", .format = "date"}}},
    {.name = "framework",
     .doc = "Plain average of a consensus measure over a framework's "
            "questions that have views.",
     .returns = "number",
     .impl = fn_framework,
     .params = {{.name = "framework", .type = "string", .doc = "framework id",
                 .record = "framework"},
                {.name = "measure", .type = "string", .def = "\"cns\"",
                 .doc = MEASURE_LIST, .choices = MEASURES}}},
    {.name = "label",
     .doc = "\"consensus\" when cns >= 0.8, \"divergent\" when cns < 0.6, "
            "else \"mixed\".",
     .returns = "string",
     .impl = fn_label,
     .params = {{.name = "question", .type = "string", .doc = "question id",
                 .record = "question"},
                {.name = "filter", .type = "string", .def = "\"\"",
                 .doc = FILTER_DOC}}},
    {.name = "revisions",
     .doc = "How many counted actors moved their stance between two dates: "
            "up, down, unchanged, new.",
     .returns = "object",
     .impl = fn_revisions,
     .params = {{.name = "question", .type = "string", .doc = "question id",
                 .record = "question"},
                {.name = "since", .type = "string",
                 .doc = "first date YYYY-MM-DD", .format = "date"},
                {.name = "until", .type = "string",
                 .doc = "second date YYYY-MM-DD", .format = "date"},
                {.name = "filter", .type = "string", .def = "\"\"",
                 .doc = FILTER_DOC}}},
    {.name = "split",
     .doc = "How two groups differ on a question: gap = mean(a) - mean(b), "
            "or jsd = Jensen-Shannon divergence (base 2) of their "
            "distributions.",
     .returns = "number",
     .impl = fn_split,
     .params = {{.name = "question", .type = "string", .doc = "question id",
                 .record = "question"},
                {.name = "by", .type = "string", .def = "\"region\"",
                 .doc = "region or kind", .choices = "region kind"},
                {.name = "a", .type = "string", .def = "\"domestic\"",
                 .doc = "first group"},
                {.name = "b", .type = "string", .def = "\"overseas\"",
                 .doc = "second group"},
                {.name = "measure", .type = "string", .def = "\"gap\"",
                 .doc = "gap or jsd", .choices = "gap jsd"}}},
    {.name = "stance",
     .doc = "An actor's latest stance on a question.",
     .returns = "number",
     .impl = fn_stance,
     .params = {{.name = "question", .type = "string", .doc = "question id",
                 .record = "question"},
                {.name = "actor", .type = "string", .doc = "actor id",
                 .record = "actor"}}},
    {.name = "track",
     .doc = "An actor's track record on resolved questions: brier (mean "
            "squared error of the stance as a probability), n, or hit_rate.",
     .returns = "number",
     .impl = fn_track,
     .params = {{.name = "actor", .type = "string", .doc = "actor id",
                 .record = "actor"},
                {.name = "stat", .type = "string", .def = "\"brier\"",
                 .doc = "brier, n or hit_rate", .choices = "brier n hit_rate"}}},
    {.name = "views",
     .doc = "The counted views on a question (latest per actor): actor, "
            "name, region, stance, as_of, source, locator, quote.",
     .returns = "list",
     .impl = fn_views,
     .params = {{.name = "question", .type = "string", .doc = "question id",
                 .record = "question"},
                {.name = "filter", .type = "string", .def = "\"\"",
                 .doc = FILTER_DOC}}},
};
const size_t ck_view_function_count =
    sizeof ck_view_functions / sizeof ck_view_functions[0];

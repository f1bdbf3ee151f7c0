/*
** views.c -- registry functions over views (docs/functions.md): consensus
** measures, labels, splits, frameworks, stances, revisions, drift and
** track records.
**
** Every function starts from the same selection: the views on a question
** that match a filter, each actor counted once with its latest view
** (largest as_of, then latest imported), weighted by the actor's weight.
** The measures themselves are the pure functions of ordinal.c.
*/
#include "internal.h"
#include "canon.h"
#include "filter.h"
#include "ordinal.h"
#include "periods.h"
#include "storage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct question {
  char id[72];
  long long lo, hi; /* the scale */
  int has_outcome, outcome;
  char resolved_on[11];
} question;

/* A question's distribution: weights per scale point and who counted. */
typedef struct selection {
  question q;
  int k;
  double *w;
  int n;
} selection;

static int scale_valid(long long lo, long long hi) {
  return lo < hi && lo >= -CK_SCALE_BOUND && hi <= CK_SCALE_BOUND &&
         hi - lo < CK_SCALE_MAX_POINTS;
}

static int load_question(ck_db *db, const char *fn, const char *id,
                         question *q) {
  sqlite3_stmt *st;
  int rc = storage_cached(db,
                           "SELECT scale_min, scale_max, outcome, resolved_on "
                           "FROM questions WHERE id = ?",
                           &st);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int s = sqlite3_step(st), valid = 0;
  if (s == SQLITE_ROW) {
    snprintf(q->id, sizeof q->id, "%s", id);
    q->lo = sqlite3_column_int64(st, 0);
    q->hi = sqlite3_column_int64(st, 1);
    q->has_outcome = sqlite3_column_type(st, 2) != SQLITE_NULL;
    q->outcome = sqlite3_column_int(st, 2);
    const unsigned char *r = sqlite3_column_text(st, 3);
    snprintf(q->resolved_on, sizeof q->resolved_on, "%s",
             r ? (const char *)r : "");
    /* The file is input too: a scale claimkit would not have stored
       (edited by another tool) must not size an array. */
    valid = sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
            sqlite3_column_type(st, 1) == SQLITE_INTEGER &&
            scale_valid(q->lo, q->hi) &&
            (r || sqlite3_column_type(st, 3) == SQLITE_NULL);
  }
  storage_release(db, st);
  if (s == SQLITE_ROW && !valid && sqlite3_errcode(db->sql) == SQLITE_NOMEM)
    return db_error(db, CK_NOMEM, "%s: out of memory", fn);
  if (s == SQLITE_ROW && !valid)
    return db_error(db, CK_ERROR,
                    "%s: question '%s' has a scale no claimkit stores (%lld.."
                    "%lld); the database was edited by another tool",
                    fn, id, q->lo, q->hi);
  if (s == SQLITE_ROW)
    return CK_OK;
  if (s != SQLITE_DONE)
    return db_sql_error(db, s, fn);
  return db_error(db, CK_NOTFOUND, "%s: no question '%s'", fn, id);
}

/* The counted views: latest per actor among those matching `f`, one row
   per actor, ordered by actor id: actor, stance, weight and, when `full`,
   name, region, as_of, source, locator, quote.

   A filter on the actor alone (region, kind, actor) selects the same views
   before or after each actor's latest is taken, so it reads latest_views:
   a row per actor.  A filter on the claims (source, tag, since, until)
   must choose among every view of the question. */
static int counted_views(ck_db *db, const char *question, const ck_filter *f,
                         int full, sqlite3_stmt **out) {
  strbuf sql;
  sb_init(&sql);
  if (filter_on_actors(f)) {
    sb_puts(&sql, full ? "SELECT l.actor, l.stance, l.weight, a.name, "
                         "l.region, NULLIF(l.date, ''), c.source, c.locator, "
                         "c.quote FROM latest_views l JOIN actors a ON a.id = "
                         "l.actor JOIN claims c ON c.id = l.claim"
                       : "SELECT l.actor, l.stance, l.weight FROM latest_views l");
    sb_puts(&sql, " WHERE l.question = ?");
    filter_sql_latest(f, &sql);
    sb_puts(&sql, " ORDER BY l.actor");
  } else {
    sb_puts(&sql,
            "SELECT actor, stance, weight, name, region, as_of, source, "
            "locator, quote FROM (SELECT c.actor, c.stance, a.weight, a.name, "
            "a.region, " CK_CLAIM_DATE " AS as_of, c.source, c.locator, "
            "c.quote, row_number() OVER (PARTITION BY c.actor ORDER BY "
            CK_CLAIM_DATE " DESC, c.seq DESC) AS latest FROM claims c JOIN "
            "actors a ON a.id = c.actor LEFT JOIN sources s ON s.id = "
            "c.source WHERE c.kind = 'view' AND c.question = ?");
    filter_sql(f, &sql);
    sb_puts(&sql, ") WHERE latest = 1 ORDER BY actor");
  }
  if (sql.oom)
    return db_nomem(db);
  int rc = storage_cached(db, sql.data, out);
  sb_free(&sql);
  if (rc != CK_OK)
    return rc;
  sqlite3_bind_text(*out, 1, question, -1, SQLITE_STATIC);
  filter_bind(f, *out, 2);
  return CK_OK;
}

/* A counted view's stance (column 1) must be an integer on the scale:
   import keeps it so, and anything else was written by another tool. */
static int stance_read(ck_db *db, const char *fn, const question *q,
                       sqlite3_stmt *st) {
  long long stance = sqlite3_column_int64(st, 1);
  if (sqlite3_column_type(st, 1) == SQLITE_INTEGER && stance >= q->lo &&
      stance <= q->hi)
    return CK_OK;
  return db_error(db, CK_ERROR,
                  "%s: a view of question '%s' has a stance no claimkit "
                  "stores; the database was edited by another tool",
                  fn, q->id);
}

static void selection_free(selection *s) {
  free(s->w);
  s->w = NULL;
}

static int select_views(ck_db *db, const char *fn, const char *question_id,
                        const ck_filter *f, selection *s) {
  memset(s, 0, sizeof *s);
  int rc = load_question(db, fn, question_id, &s->q);
  if (rc != CK_OK)
    return rc;
  s->k = (int)(s->q.hi - s->q.lo + 1);
  s->w = calloc((size_t)s->k, sizeof *s->w);
  if (!s->w)
    return db_nomem(db);
  sqlite3_stmt *st;
  if ((rc = counted_views(db, question_id, f, 0, &st)) != CK_OK) {
    selection_free(s);
    return rc;
  }
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    long long stance = sqlite3_column_int64(st, 1);
    double weight = sqlite3_column_double(st, 2);
    /* Weights are positive, as import keeps them: else the distribution
       would be no distribution at all. */
    if ((rc = stance_read(db, fn, &s->q, st)) != CK_OK ||
        sqlite3_column_type(st, 2) != SQLITE_FLOAT ||
        !(weight > 0 && isfinite(weight))) {
      storage_release(db, st);
      selection_free(s);
      return rc != CK_OK
                 ? rc
                 : db_error(db, CK_ERROR,
                            "%s: actor weights of question '%s' are not "
                            "positive numbers; the database was edited by "
                            "another tool",
                            fn, question_id);
    }
    s->w[stance - s->q.lo] += weight;
    s->n++;
  }
  storage_release(db, st);
  if (r != SQLITE_DONE) {
    selection_free(s);
    return db_sql_error(db, r, fn);
  }
  return CK_OK;
}

static int filter_arg(ck_db *db, const char *fn, json_t *arg, ck_filter *f) {
  int rc = filter_parse(db, json_string_value(arg), f);
  if (rc != CK_OK) {
    char msg[CK_ERRMSG_MAX];
    memcpy(msg, db->errmsg, sizeof msg);
    db_error(db, rc, "%s: %.900s", fn, msg);
  }
  return rc;
}

static const struct {
  const char *name;
  int measure; /* an enum ordinal_m, or -1 for n */
} measure_names[] = {
    {"n", -1},
    {"mean", OM_MEAN},
    {"median", OM_MEDIAN},
    {"sd", OM_SD},
    {"cns", OM_CNS},
    {"agreement", OM_AGREEMENT},
    {"leik", OM_LEIK},
    {"entropy", OM_ENTROPY},
    {"bull", OM_BULL},
    {"bear", OM_BEAR},
    {"balance", OM_BALANCE},
};
#define MEASURE_LIST                                                           \
  "n, mean, median, sd, cns, agreement, leik, entropy, bull, bear, balance"

/* The measure a name (one of the registry's MEASURES, which it checked)
   stands for. */
static int find_measure(ck_db *db, const char *fn, const char *name,
                        int *measure) {
  *measure = -1;
  for (size_t i = 0; i < sizeof measure_names / sizeof measure_names[0]; i++)
    if (strcmp(name, measure_names[i].name) == 0) {
      *measure = measure_names[i].measure;
      return CK_OK;
    }
  return db_error(db, CK_ERROR, "%s: internal: measure '%s'", fn, name);
}

/* One measure of a selection; n = 0 is an answer only for "n". */
static int measure_of(ck_db *db, const char *fn, const selection *s,
                      int measure, double *out) {
  if (measure < 0) {
    *out = s->n;
    return CK_OK;
  }
  if (measure == OM_AGREEMENT && s->k < 3)
    return db_error(db, CK_INVALID,
                    "%s: agreement needs a scale of at least 3 points; "
                    "question '%s' has %lld..%lld",
                    fn, s->q.id, s->q.lo, s->q.hi);
  if (s->n == 0)
    return db_error(db, CK_NOTFOUND,
                    "%s: no views on question '%s' match", fn, s->q.id);
  if (ordinal_measure(s->w, s->k, (int)s->q.lo, (enum ordinal_m)measure,
                      out) != 0)
    return db_error(db, CK_ERROR, "%s: the measure is undefined", fn);
  return CK_OK;
}

/* consensus() for internal callers: question, measure name, filter text. */
static int consensus_value(ck_db *db, const char *fn, const char *question,
                           const char *measure_name, const ck_filter *f,
                           double *out) {
  int measure, rc;
  if ((rc = find_measure(db, fn, measure_name, &measure)) != CK_OK)
    return rc;
  selection s;
  if ((rc = select_views(db, fn, question, f, &s)) != CK_OK)
    return rc;
  rc = measure_of(db, fn, &s, measure, out);
  selection_free(&s);
  return rc;
}

static int fn_consensus(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  ck_filter f;
  int rc = filter_arg(db, "consensus", args[2], &f);
  if (rc != CK_OK)
    return rc;
  rc = consensus_value(db, "consensus", json_string_value(args[0]),
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
  int rc = filter_arg(db, "label", args[1], &f);
  if (rc != CK_OK)
    return rc;
  double cns;
  rc = consensus_value(db, "label", json_string_value(args[0]), "cns", &f,
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
    rc = select_views(db, "split", json_string_value(args[0]), &f,
                      &groups[g]);
    if (rc == CK_OK && groups[g].n == 0) {
      db_error(db, CK_NOTFOUND, "split: no views on '%s' from %s '%s'",
               json_string_value(args[0]), by, f.terms[0].value);
      rc = CK_NOTFOUND;
      selection_free(&groups[g]);
    }
    if (rc != CK_OK) {
      if (g == 1)
        selection_free(&groups[0]);
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
  selection_free(&groups[0]);
  selection_free(&groups[1]);
  return CK_OK;
}

static int fn_framework(ck_db *db, const ck_function *self, json_t *const *args,
               ck_result *out) {
  (void)self;
  const char *id = json_string_value(args[0]);
  const char *measure = json_string_value(args[1]);
  int m, rc;
  if ((rc = find_measure(db, "framework", measure, &m)) != CK_OK)
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
    rc = select_views(db, "framework", question, &none, &s);
    if (rc == CK_OK) {
      double v;
      rc = measure_of(db, "framework", &s, m, &v);
      sum += v;
      n++;
      selection_free(&s);
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
  if ((rc = load_question(db, "stance", qid, &q)) != CK_OK ||
      (rc = storage_require(db, "stance", "actors", "actor", actor)) != CK_OK)
    return rc;
  ck_filter f;
  filter_one(&f, FK_ACTOR, actor);
  sqlite3_stmt *st;
  if ((rc = counted_views(db, qid, &f, 0, &st)) != CK_OK)
    return rc;
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW && (rc = stance_read(db, "stance", &q, st)) == CK_OK) {
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
  int rc = load_question(db, "views", qid, &q);
  if (rc != CK_OK)
    return rc;
  ck_filter f;
  if ((rc = filter_arg(db, "views", args[1], &f)) != CK_OK)
    return rc;
  sqlite3_stmt *st;
  rc = counted_views(db, qid, &f, 1, &st);
  if (rc != CK_OK) {
    filter_free(&f);
    return rc;
  }
  json_t *list = json_array();
  int r = SQLITE_DONE, bad = !list;
  while (!bad && rc == CK_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
    if ((rc = stance_read(db, "views", &q, st)) != CK_OK)
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
  int rc = counted_views(db, qid, &f, 0, &st);
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
  if ((rc = load_question(db, "revisions", qid, &q)) != CK_OK ||
      (rc = date_arg(db, "revisions", "since", args[1])) != CK_OK ||
      (rc = date_arg(db, "revisions", "until", args[2])) != CK_OK)
    return rc;
  if (strcmp(since, until) > 0)
    return db_error(db, CK_INVALID, "revisions: since %s is after until %s",
                    since, until);
  ck_filter f;
  if ((rc = filter_arg(db, "revisions", args[3], &f)) != CK_OK)
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
  if ((rc = load_question(db, "drift", qid, &q)) != CK_OK ||
      (rc = find_measure(db, "drift", measure, &m)) != CK_OK)
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
        (rc = select_views(db, "drift", qid, &f, &s)) != CK_OK)
      break;
    double v = NAN;
    /* A date before any view is a gap in the series, not an error. */
    if (m < 0 || s.n > 0)
      rc = measure_of(db, "drift", &s, m, &v);
    selection_free(&s);
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
    if (!scale_valid(qlo, qhi) || given < qlo || given > qhi ||
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

#define MEASURES \
  "n mean median sd cns agreement leik entropy bull bear balance"

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
                 .doc = "list of dates YYYY-MM-DD"}}},
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
                 .doc = "first date YYYY-MM-DD"},
                {.name = "until", .type = "string",
                 .doc = "second date YYYY-MM-DD"},
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

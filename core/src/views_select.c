/*
** views_select.c -- the selection every view function starts from: the
** views on a question that match a filter, each actor counted once with
** its latest view (largest as_of, then latest imported), weighted by the
** actor's weight, and a consensus measure of that distribution by name.
** The measures themselves are the pure functions of ordinal.c.
*/
#include "internal.h"
#include "filter.h"
#include "ordinal.h"
#include "storage.h"
#include "views.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int views_scale_valid(long long lo, long long hi) {
  return lo < hi && lo >= -CK_SCALE_BOUND && hi <= CK_SCALE_BOUND &&
         hi - lo < CK_SCALE_MAX_POINTS;
}

int views_question(ck_db *db, const char *fn, const char *id,
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
            views_scale_valid(q->lo, q->hi) &&
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

/* A filter on the actor alone (region, kind, actor) selects the same views
   before or after each actor's latest is taken, so it reads latest_views:
   a row per actor.  A filter on the claims (source, tag, since, until)
   must choose among every view of the question. */
int views_counted(ck_db *db, const char *question, const ck_filter *f,
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

int views_stance(ck_db *db, const char *fn, const question *q,
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

void views_free(selection *s) {
  free(s->w);
  s->w = NULL;
}

int views_select(ck_db *db, const char *fn, const char *question_id,
                 const ck_filter *f, selection *s) {
  memset(s, 0, sizeof *s);
  int rc = views_question(db, fn, question_id, &s->q);
  if (rc != CK_OK)
    return rc;
  s->k = (int)(s->q.hi - s->q.lo + 1);
  s->w = calloc((size_t)s->k, sizeof *s->w);
  if (!s->w)
    return db_nomem(db);
  sqlite3_stmt *st;
  if ((rc = views_counted(db, question_id, f, 0, &st)) != CK_OK) {
    views_free(s);
    return rc;
  }
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    long long stance = sqlite3_column_int64(st, 1);
    double weight = sqlite3_column_double(st, 2);
    /* Weights are positive, as import keeps them: else the distribution
       would be no distribution at all. */
    if ((rc = views_stance(db, fn, &s->q, st)) != CK_OK ||
        sqlite3_column_type(st, 2) != SQLITE_FLOAT ||
        !(weight > 0 && isfinite(weight))) {
      storage_release(db, st);
      views_free(s);
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
    views_free(s);
    return db_sql_error(db, r, fn);
  }
  return CK_OK;
}

int views_filter_arg(ck_db *db, const char *fn, json_t *arg, ck_filter *f) {
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

int views_find_measure(ck_db *db, const char *fn, const char *name,
                       int *measure) {
  *measure = -1;
  for (size_t i = 0; i < sizeof measure_names / sizeof measure_names[0]; i++)
    if (strcmp(name, measure_names[i].name) == 0) {
      *measure = measure_names[i].measure;
      return CK_OK;
    }
  return db_error(db, CK_ERROR, "%s: internal: measure '%s'", fn, name);
}

int views_measure(ck_db *db, const char *fn, const selection *s,
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

int views_consensus(ck_db *db, const char *fn, const char *question,
                    const char *measure_name, const ck_filter *f,
                    double *out) {
  int measure, rc;
  if ((rc = views_find_measure(db, fn, measure_name, &measure)) != CK_OK)
    return rc;
  selection s;
  if ((rc = views_select(db, fn, question, f, &s)) != CK_OK)
    return rc;
  rc = views_measure(db, fn, &s, measure, out);
  views_free(&s);
  return rc;
}

/*
** views.h -- what the view functions (views.c) share with the selection
** they start from (views_select.c): a question's scale, the views counted
** on it -- each actor once, with its latest view that matches a filter,
** weighted by the actor's weight -- and the consensus measures over them.
** Layer: SQL; the measures themselves are ordinal.c's pure functions.
** Only views.c and views_select.c include it.
*/
#ifndef CK_VIEWS_H
#define CK_VIEWS_H

#include "internal.h"
#include "filter.h"

/* A question as the measures need it. */
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

#define MEASURE_LIST                                                           \
  "n, mean, median, sd, cns, agreement, leik, entropy, bull, bear, balance"

#define MEASURES \
  "n mean median sd cns agreement leik entropy bull bear balance"


/* 1 when lo..hi is a scale claimkit stores (CK_SCALE_MAX_POINTS points at
   most, within +-CK_SCALE_BOUND). */
int views_scale_valid(long long lo, long long hi);
/* Reads question `id`; CK_NOTFOUND when there is none, CK_ERROR when its
   scale is one no claimkit stores.  `fn` names the function in messages. */
int views_question(ck_db *db, const char *fn, const char *id, question *q);
/* The counted views: latest per actor among those matching `f`, one row
   per actor, ordered by actor id: actor, stance, weight and, when `full`,
   name, region, as_of, source, locator, quote.  Give *out back with
   storage_release(); `f` must outlive it (its values are bound). */
int views_counted(ck_db *db, const char *question, const ck_filter *f,
                  int full, sqlite3_stmt **out);
/* CK_OK when a counted view's stance (column 1) is an integer on q's
   scale: import keeps it so, and anything else was written by another
   tool (CK_ERROR). */
int views_stance(ck_db *db, const char *fn, const question *q,
                 sqlite3_stmt *st);
/* The distribution of the counted views on `question_id` matching `f`;
   free it with views_free(). */
int views_select(ck_db *db, const char *fn, const char *question_id,
                 const ck_filter *f, selection *s);
void views_free(selection *s);
/* Parses a filter argument, its error prefixed with `fn`. */
int views_filter_arg(ck_db *db, const char *fn, json_t *arg, ck_filter *f);
/* The measure a name (one of MEASURES, which the registry checked) stands
   for: an enum ordinal_m, or -1 for n. */
int views_find_measure(ck_db *db, const char *fn, const char *name,
                       int *measure);
/* One measure of a selection; n = 0 is an answer only for "n". */
int views_measure(ck_db *db, const char *fn, const selection *s, int measure,
                  double *out);
/* consensus() for internal callers: question, measure name, filter. */
int views_consensus(ck_db *db, const char *fn, const char *question,
                    const char *measure_name, const ck_filter *f,
                    double *out);

#endif

/*
** key_values.h -- a key's observations and their statistics
** (key_values.c): what the metric functions (observations.c) answer from
** and what the key_values table keeps (latest.c, storage.c).
*/
#ifndef CK_KEY_VALUES_H
#define CK_KEY_VALUES_H

#include "internal.h"
#include "periods.h"

/* A key is (entity, metric, period). */
typedef struct obs {
  double value, lo, hi;
} obs;

typedef struct key_data {
  char period[CK_PERIOD_MAX]; /* resolved; "" for undated observations */
  int dated;
  size_t n;
  obs *rows;
  char *unit; /* the key's one unit ("" for none) */
} key_data;

/* What value() and estimates() say of a key. */
typedef struct key_stats {
  long long n;
  double value, lo, hi; /* medians */
  double mean, sd, min, max;
} key_stats;

enum part { P_VALUE, P_LO, P_HI };

/* The counted observations of a key, latest per actor (latest.c), as rows
   of: actor, value, lo, hi, unit (the claim's own; '' takes the metric's)
   and, when `full`, source, locator, quote, qualifier, quantity, as_of,
   name.  A cached statement: give it back with storage_release(). */
int key_counted_observations(ck_db *db, const char *entity, const char *metric,
                             const key_data *k, int full, sqlite3_stmt **st);
/* The counted observations of k's period (resolved; dated or not) into
   k->rows, refusing mixed units (CK_INVALID); CK_NOTFOUND when there are
   none.  On failure k holds nothing to free. */
int key_read_rows(ck_db *db, const char *fn, const char *entity,
                  const char *metric, key_data *k);
void key_free(key_data *k);
/* A derived row that breaks a rule claimkit keeps: never an answer.  Sets
   the handle's error (CK_ERROR) and returns it. */
int key_damaged(ck_db *db, const char *fn, const char *table,
                const char *entity, const char *metric, const key_data *k,
                const char *broken);
/* The median of part p of k's rows. */
int key_part_median(ck_db *db, const char *fn, const key_data *k, enum part p,
                    double *out);
/* The statistics of a key's rows: one computation, whether a call asks
   for them or an import stores them in key_values. */
int key_compute_stats(ck_db *db, const char *fn, const key_data *k,
                      key_stats *s);

/* key_values: each (entity, metric, period)'s statistics over its latest
   observations -- n, the unit (NULL when they mix units), the medians of
   value, lo and hi, mean, sd, min, max -- computed by the same code that
   computes them on demand, for the keys `keys_sql` selects (entity,
   metric, period).  A key without observations loses its row. */
int key_values_refresh(ck_db *db, const char *keys_sql);

#endif

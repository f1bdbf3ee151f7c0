/*
** scale_bench.c -- per-call times on a desk-sized database (made by
** tests/bench/run from gen_scale.py): each function cold (the first call
** for its key, the handle and its statements already warm) and warm (the
** same keys again, as a spreadsheet's recalculation asks them), and the
** big question (100,000 views from 20,000 actors) filtered by region.
**
**   scale_bench DB [--fresh] [--no-big]   prints lines of "name value"
** With --fresh every cold call runs on a new handle instead (nothing
** warm at all), the slowest case a cell can meet.  --no-big leaves out
** the big question (the scaling databases have none).  A key a small
** database does not have is timed like the others: CK_NOTFOUND is an
** answer; any other failure stops the program.
*/
#include <claimkit.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int failed;

/* Keeps a finite answer; a NaN must be CK_NOTFOUND. */
static double answer(ck_db *h, double x) {
  if (isfinite(x))
    return x;
  if (ck_errcode(h) != CK_NOTFOUND) {
    fprintf(stderr, "a call failed: %s\n", ck_errmsg(h));
    failed = 1;
  }
  return 0;
}

static double median(double *x, int n) {
  qsort(x, (size_t)n, sizeof *x, cmp);
  return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* The keys gen_scale.py makes: entity e has metric m(e % 20) in period
   2026-(1 + e % 12). */
static void key_of(int e, char *entity, char *metric, char *period) {
  sprintf(entity, "e%d", e);
  sprintf(metric, "m%d", e % 20);
  sprintf(period, "2026-%02d", 1 + e % 12);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: scale_bench DB [--fresh] [--no-big]\n");
    return 2;
  }
  int fresh = 0, no_big = 0;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--fresh") == 0)
      fresh = 1;
    else if (strcmp(argv[i], "--no-big") == 0)
      no_big = 1;
    else {
      fprintf(stderr, "scale_bench: unknown option '%s'\n", argv[i]);
      return 2;
    }
  }
  ck_db *db;
  if (ck_open(argv[1], CK_OPEN_READONLY, &db) != CK_OK) {
    fprintf(stderr, "%s\n", ck_errmsg(db));
    return 1;
  }
  /* warm the handle's statements on one key that is not measured */
  ck_value(db, "e499", "m19", "2026-08", NULL);
  ck_consensus(db, "q99", "cns", NULL);

  enum { KEYS = 200, QUESTIONS = 99, ROUNDS = 20 };
  double cold[KEYS], sink = 0;
  char entity[16], metric[16], period[16], question[16];
  for (int e = 0; e < KEYS; e++) {
    key_of(e, entity, metric, period);
    ck_db *h = db;
    if (fresh)
      ck_open(argv[1], CK_OPEN_READONLY, &h);
    double t = now();
    sink += answer(h, ck_value(h, entity, metric, period, NULL));
    cold[e] = (now() - t) * 1e6;
    if (fresh)
      ck_close(h);
  }
  printf("value_cold_us %.1f\n", median(cold, KEYS));
  double t = now();
  for (int r = 0; r < ROUNDS; r++)
    for (int e = 0; e < KEYS; e++) {
      key_of(e, entity, metric, period);
      sink += answer(db, ck_value(db, entity, metric, period, NULL));
    }
  printf("value_warm_per_s %.0f\n", ROUNDS * KEYS / (now() - t));

  double qcold[QUESTIONS];
  for (int q = 0; q < QUESTIONS; q++) {
    sprintf(question, "q%d", q);
    ck_db *h = db;
    if (fresh)
      ck_open(argv[1], CK_OPEN_READONLY, &h);
    double t0 = now();
    sink += answer(h, ck_consensus(h, question, "cns", NULL));
    qcold[q] = (now() - t0) * 1e6;
    if (fresh)
      ck_close(h);
  }
  printf("consensus_cold_us %.1f\n", median(qcold, QUESTIONS));
  t = now();
  for (int r = 0; r < ROUNDS; r++)
    for (int q = 0; q < QUESTIONS; q++) {
      sprintf(question, "q%d", q);
      sink += answer(db, ck_consensus(db, question, "cns", NULL));
    }
  printf("consensus_warm_per_s %.0f\n", ROUNDS * QUESTIONS / (now() - t));

  if (!no_big) {
    ck_db *h = db;
    if (fresh)
      ck_open(argv[1], CK_OPEN_READONLY, &h);
    t = now();
    double big = ck_consensus(h, "big", "cns", "region=domestic");
    printf("big_question_cold_ms %.2f\n", (now() - t) * 1e3);
    if (!isfinite(big)) {
      fprintf(stderr, "the big question failed: %s\n", ck_errmsg(h));
      failed = 1;
    }
    if (fresh)
      ck_close(h);
  }
  if (failed || !isfinite(sink))
    return 1;
  ck_close(db);
  return 0;
}

/*
** concurrency.c -- one file, several handles in several threads.
**
** Phase 1: one writer imports a pack in a loop while four readers call
** consensus, estimates and stats.  Every round of the writer gives every
** actor one new stance and one new value, so a reader that saw part of an
** import would see actors disagree: cns below 1, a spread of values, a
** claim count between two rounds.  None may, and none may get CK_BUSY.
** Phase 2: two writers import at once; both succeed, everything is stored.
** Before them, the first (large) import is watched from another thread
** with ck_progress(), the one call allowed on a handle another thread is
** using: its bytes only grow, to the file's size.
**
**   concurrency [SECONDS]   (default 30 for phase 1; prints the figures)
**
** Built once more with ThreadSanitizer (tests/reliability/tsan.sh).
*/
#include "reliability.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

#define ACTORS 20
#define PER_ROUND 40 /* claims a round adds: a view and a value per actor */

static char path[64];
static atomic_int stop, failures, busy;
static atomic_long reads, rounds_done;

static void failed(const char *what, ck_db *db) {
  if (atomic_fetch_add(&failures, 1) < 10)
    fprintf(stderr, "%s: %s\n", what, db ? ck_errmsg(db) : "");
}

static void *writer(void *arg) {
  int first = *(int *)arg, step = ((int *)arg)[1], count = ((int *)arg)[2];
  ck_db *db;
  if (ck_open(path, 0, &db) != CK_OK) {
    failed("writer open", db);
    return NULL;
  }
  char pack[96];
  snprintf(pack, sizeof pack, "%s.w%d.jsonl", path, first);
  for (int r = first; (count ? r < first + count * step : !atomic_load(&stop));
       r += step) {
    if (write_pack(pack, PER_ROUND, ACTORS, r) != 0) {
      failed("writing a pack", NULL);
      break;
    }
    int rc = ck_import_file(db, pack);
    if (rc == CK_BUSY)
      atomic_fetch_add(&busy, 1);
    if (rc != CK_OK) {
      failed("import", db);
      break;
    }
    atomic_fetch_add(&rounds_done, 1);
  }
  unlink(pack);
  ck_close(db);
  return NULL;
}

static void *reader(void *arg) {
  (void)arg;
  ck_db *db;
  if (ck_open(path, CK_OPEN_READONLY, &db) != CK_OK) {
    failed("reader open", db);
    return NULL;
  }
  long n = 0;
  while (!atomic_load(&stop)) {
    double cns = ck_consensus(db, "q", "cns", NULL);
    if (ck_errcode(db) == CK_BUSY)
      atomic_fetch_add(&busy, 1);
    if (cns != 1.0)
      failed("consensus saw a half-imported round", db);
    double count = ck_num(db, "consensus", "[\"q\", \"n\"]");
    if (count != ACTORS)
      failed("consensus n", db);
    double sd = ck_num(db, "estimates", "[\"e\", \"m\", \"2026\", \"sd\"]");
    if (sd != 0)
      failed("estimates saw a half-imported round", db);
    /* one round's figure from every actor, a whole number: the median of
       two rounds' would be half-way between them (the next call may see
       a later round, so it is checked alone) */
    double value = ck_value(db, "e", "m", "2026", NULL);
    if (value != floor(value))
      failed("value saw a half-imported round", db);
    const char *stats = ck_call(db, "stats", NULL);
    long claims = -1, views = -2, observations = -3;
    if (stats) {
      const char *c = strstr(stats, "\"claims\":");
      const char *v = strstr(stats, "\"views\":");
      const char *o = strstr(stats, "\"observations\":");
      if (c && v && o) {
        claims = atol(c + 9);
        views = atol(v + 8);
        observations = atol(o + 15);
      }
    }
    if (claims % PER_ROUND != 0 || views != observations)
      failed("stats saw a half-imported round", db);
    n += 5;
  }
  atomic_fetch_add(&reads, n);
  ck_close(db);
  return NULL;
}

/* Polls the first import's progress until it is over. */
typedef struct watcher {
  ck_db *db;
  atomic_int done;
  long long last;
  int backwards;
} watcher;

static void *watch_progress(void *arg) {
  watcher *w = arg;
  while (!atomic_load(&w->done)) {
    long long bytes = ck_progress(w->db, CK_PROGRESS_BYTES);
    if (bytes < w->last || bytes > ck_progress(w->db, CK_PROGRESS_TOTAL))
      w->backwards = 1;
    w->last = bytes;
    ck_progress(w->db, CK_PROGRESS_CLAIMS);
  }
  return NULL;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 30;
  snprintf(path, sizeof path, "/tmp/ck_conc_%d.db", (int)getpid());
  /* the first round, a large one (over a megabyte of JSON Lines: read on
     a second thread), so readers always find data */
  ck_db *db;
  char first[96];
  snprintf(first, sizeof first, "%s.first.jsonl", path);
  watcher progress = {.db = NULL};
  pthread_t wt;
  if (ck_open(path, 0, &db) != CK_OK || write_pack(first, 8000, ACTORS, 0))
    failed("the first import", db);
  progress.db = db;
  pthread_create(&wt, NULL, watch_progress, &progress);
  if (ck_import_file(db, first) != CK_OK)
    failed("the first import", db);
  atomic_store(&progress.done, 1);
  pthread_join(wt, NULL);
  if (progress.backwards || progress.last > ck_progress(db, CK_PROGRESS_TOTAL))
    failed("the first import's progress went back or past its total", NULL);
  ck_close(db);
  unlink(first);

  pthread_t w, r[4];
  int loop[3] = {1, 1, 0};
  double start = now_s();
  pthread_create(&w, NULL, writer, loop);
  for (int i = 0; i < 4; i++)
    pthread_create(&r[i], NULL, reader, NULL);
  while (now_s() - start < seconds && !atomic_load(&failures))
    usleep(100000);
  atomic_store(&stop, 1);
  pthread_join(w, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(r[i], NULL);
  long phase1_rounds = atomic_load(&rounds_done);
  printf("%.0f s, one writer and four readers: %ld imports, %ld reader "
         "calls, %d saw a half import, %d CK_BUSY\n",
         seconds, phase1_rounds, atomic_load(&reads),
         atomic_load(&failures), atomic_load(&busy));

  /* two writers at once, rounds of their own */
  atomic_store(&stop, 0);
  long base = atomic_load(&rounds_done);
  int even[3] = {100000, 2, 25}, odd[3] = {100001, 2, 25};
  pthread_create(&w, NULL, writer, even);
  pthread_t w2;
  pthread_create(&w2, NULL, writer, odd);
  pthread_join(w, NULL);
  pthread_join(w2, NULL);
  ck_open(path, CK_OPEN_READONLY, &db);
  const char *n = ck_call(db, "sql", "[\"SELECT count(*) AS n FROM claims\"]");
  long stored = n ? atol(strstr(n, ":") + 1) : -1;
  ck_close(db);
  long expected = 8000 + atomic_load(&rounds_done) * PER_ROUND;
  printf("two writers at once: %ld imports, %ld claims stored of %ld, %d "
         "CK_BUSY\n",
         atomic_load(&rounds_done) - base, stored, expected,
         atomic_load(&busy));
  remove_database(path);
  int ok = !atomic_load(&failures) && !atomic_load(&busy) &&
           stored == expected && phase1_rounds > 2 &&
           atomic_load(&rounds_done) - base == 50;
  printf("%d passed, %d failed\n", ok, !ok);
  return !ok;
}

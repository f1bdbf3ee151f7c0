/*
** warm_bench.c -- warm ck_value calls per second from C (issue #23), and
** the baseline beside it: the same answers read with one prepared SQLite
** statement from key_values (what a C programmer writes without claimkit),
** in alternate rounds of the same run.
**
**   warm_bench DB|:memory: [ROUNDS]     prints lines of "name value"
**
** DB is made afresh (200 keys of 5 figures each), in WAL mode as claimkit
** writes it.  Each round asks every key once, as a spreadsheet's
** recalculation does; the first round (cold) is not timed.  A small
** ROUNDS suits callgrind (`valgrind --tool=callgrind warm_bench DB 50`).
*/
#include <claimkit.h>
#include <sqlite3.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { KEYS = 200, FIGURES = 5 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void key_of(int k, char *entity, char *metric) {
  sprintf(entity, "e%d", k);
  sprintf(metric, "m%d", k % 7);
}

static int fill(ck_db *db) {
  size_t cap = 4096 + (size_t)KEYS * (FIGURES * 120 + 20), used = 0;
  char *pack = malloc(cap);
  if (!pack)
    return CK_NOMEM;
  used += (size_t)sprintf(pack, "{\"actors\": [");
  for (int f = 0; f < FIGURES; f++)
    used += (size_t)sprintf(pack + used, "%s{\"id\": \"a%d\"}", f ? "," : "", f);
  used += (size_t)sprintf(pack + used, "], \"metrics\": [");
  for (int m = 0; m < 7; m++)
    used += (size_t)sprintf(pack + used, "%s{\"id\": \"m%d\"}", m ? "," : "", m);
  used += (size_t)sprintf(pack + used, "], \"entities\": [");
  for (int k = 0; k < KEYS; k++)
    used += (size_t)sprintf(pack + used, "%s{\"id\": \"e%d\"}", k ? "," : "", k);
  used += (size_t)sprintf(pack + used, "], \"claims\": [");
  for (int k = 0; k < KEYS; k++)
    for (int f = 0; f < FIGURES; f++) {
      char entity[16], metric[16];
      key_of(k, entity, metric);
      used += (size_t)sprintf(pack + used,
                              "%s{\"actor\": \"a%d\", \"entity\": \"%s\", "
                              "\"metric\": \"%s\", \"period\": \"2026\", "
                              "\"value\": %d}",
                              k || f ? "," : "", f, entity, metric, k + f);
    }
  sprintf(pack + used, "]}");
  int rc = ck_import_json(db, pack);
  free(pack);
  return rc;
}

/* The keys, made once: a round times the calls alone. */
static char entities[KEYS][16], metrics[KEYS][16];

/* One round of ck_value over every key; the sum of the answers. */
/* (not inlined: callgrind counts it by name) */
__attribute__((noinline)) static double claimkit_round(ck_db *db) {
  double sum = 0;
  for (int k = 0; k < KEYS; k++)
    sum += ck_value(db, entities[k], metrics[k], "2026", NULL);
  return sum;
}

static double sqlite_round(sqlite3_stmt *st) {
  double sum = 0;
  for (int k = 0; k < KEYS; k++) {
    sqlite3_bind_text(st, 1, entities[k], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metrics[k], -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
      sum += sqlite3_column_double(st, 0);
    sqlite3_reset(st);
  }
  return sum;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: warm_bench DB|:memory: [ROUNDS]\n");
    return 2;
  }
  const char *path = argv[1];
  int rounds = argc > 2 ? atoi(argv[2]) : 2000;
  int memory = strcmp(path, ":memory:") == 0;
  if (!memory) {
    char side[4096];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
  }
  for (int k = 0; k < KEYS; k++)
    key_of(k, entities[k], metrics[k]);
  ck_db *db;
  if (ck_open(path, 0, &db) != CK_OK || fill(db) != CK_OK) {
    fprintf(stderr, "warm_bench: %s\n", ck_errmsg(db));
    return 1;
  }
  /* The baseline reads the same connection's data: in memory, claimkit's
     own (through ck_call's sql would add claimkit's cost), so it runs on a
     file only; in memory it reads a copy made with the same rows. */
  sqlite3 *sql;
  sqlite3_stmt *st = NULL;
  if (memory) {
    sqlite3_open(":memory:", &sql);
    sqlite3_exec(sql,
                 "CREATE TABLE key_values(entity TEXT, metric TEXT, period "
                 "TEXT, value REAL, PRIMARY KEY (entity, metric, period)) "
                 "WITHOUT ROWID",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(sql, "INSERT INTO key_values VALUES (?, ?, '2026', ?)",
                       -1, &st, NULL);
    for (int k = 0; k < KEYS; k++) {
      char entity[16], metric[16];
      key_of(k, entity, metric);
      sqlite3_bind_text(st, 1, entity, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, metric, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double(st, 3, ck_value(db, entity, metric, "2026", NULL));
      sqlite3_step(st);
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
  } else {
    sqlite3_open_v2(path, &sql, SQLITE_OPEN_READONLY, NULL);
  }
  if (sqlite3_prepare_v2(sql,
                         "SELECT value FROM key_values WHERE entity = ?1 AND "
                         "metric = ?2 AND period = '2026'",
                         -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "warm_bench: %s\n", sqlite3_errmsg(sql));
    return 1;
  }
  double want = claimkit_round(db); /* cold: every key computed once */
  if (!isfinite(want) || sqlite_round(st) != want) {
    fprintf(stderr, "warm_bench: claimkit and SQLite disagree: %s\n",
            ck_errmsg(db));
    return 1;
  }
  /* Alternate blocks of rounds, so a slow spell of the machine falls on
     both; medians of the blocks' rates. */
  enum { BLOCKS = 9 };
  double ck_rate[BLOCKS], sq_rate[BLOCKS];
  int per = rounds / BLOCKS > 0 ? rounds / BLOCKS : 1, wrong = 0;
  for (int b = 0; b < BLOCKS; b++) {
    double t = now();
    for (int r = 0; r < per; r++)
      wrong |= claimkit_round(db) != want;
    ck_rate[b] = per * KEYS / (now() - t);
    t = now();
    for (int r = 0; r < per; r++)
      wrong |= sqlite_round(st) != want;
    sq_rate[b] = per * KEYS / (now() - t);
  }
  qsort(ck_rate, BLOCKS, sizeof *ck_rate, cmp);
  qsort(sq_rate, BLOCKS, sizeof *sq_rate, cmp);
  printf("claimkit_calls_per_s %.0f\nsqlite_calls_per_s %.0f\n",
         ck_rate[BLOCKS / 2], sq_rate[BLOCKS / 2]);
  sqlite3_finalize(st);
  sqlite3_close(sql);
  ck_close(db);
  if (wrong)
    fprintf(stderr, "warm_bench: an answer changed between rounds\n");
  return wrong;
}

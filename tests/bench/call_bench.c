/*
** call_bench.c -- time per registry call from C, the baseline for the
** bindings' overhead (docs/benchmarks.md).
**   call_bench PACK [N]
*/
#include <claimkit.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: call_bench PACK [N]\n");
    return 2;
  }
  int n = argc > 2 ? atoi(argv[2]) : 20000;
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK || ck_import_file(db, argv[1]) != CK_OK) {
    fprintf(stderr, "%s\n", ck_errmsg(db));
    return 1;
  }
  static const struct {
    const char *fn, *args;
  } calls[] = {
      {"value", "[\"deepseek\",\"aa-index\",\"2026-03\"]"},
      {"consensus", "[\"open-closed-parity\",\"cns\"]"},
      {"quantity", "[\"两百多亿美元\",0,\"hi\"]"},
      {"rank", "[\"aa-index\",\"deepseek\",\"2026-03\"]"},
  };
  for (size_t c = 0; c < sizeof calls / sizeof calls[0]; c++) {
    double sink = 0, t0 = now();
    for (int i = 0; i < n; i++)
      sink += ck_num(db, calls[c].fn, calls[c].args);
    double t = (now() - t0) / n * 1e6;
    printf("ck_num %-10s %8.2f us/call  (%g)\n", calls[c].fn, t, sink / n);
  }
  double t0 = now(), sink = 0;
  for (int i = 0; i < n; i++)
    sink += ck_value(db, "deepseek", "aa-index", "2026-03", NULL);
  printf("ck_value            %8.2f us/call  (%g)\n", (now() - t0) / n * 1e6,
         sink / n);
  ck_close(db);
  return 0;
}

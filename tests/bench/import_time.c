/*
** import_time.c -- imports a file into a new database and prints the wall
** time and the peak resident memory of the process, for tests/bench/run.
**   import_time DB FILE...   prints "seconds peak_kib"
** (several files: imported in turn, as a codebook pack before a sheet)
*/
#include <claimkit.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The process's own peak (VmHWM): getrusage's ru_maxrss survives exec and
   would report the benchmark's Python parent when that was bigger. */
static long peak_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0)
      sscanf(line + 6, "%ld", &kib);
  if (f)
    fclose(f);
  return kib;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: import_time DB FILE...\n");
    return 2;
  }
  ck_db *db;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  if (ck_open(argv[1], 0, &db) != CK_OK) {
    fprintf(stderr, "%s\n", ck_errmsg(db));
    return 1;
  }
  for (int i = 2; i < argc; i++)
    if (ck_import_file(db, argv[i]) != CK_OK) {
      fprintf(stderr, "%s: %s\n", argv[i], ck_errmsg(db));
      return 1;
    }
  ck_close(db);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.3f %ld\n", (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
         peak_kib());
  return 0;
}

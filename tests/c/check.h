/*
** check.h -- the smallest test harness that says what failed and where.
** Each test is a function; main() runs them in order and closes with the
** line "N passed, N failed".
*/
#ifndef CK_CHECK_H
#define CK_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_failures; /* in the current test */

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,      \
              #cond);                                                          \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    if (!g_ || strcmp(g_, w_) != 0) {                                          \
      fprintf(stderr, "  %s:%d: %s is \"%s\", want \"%s\"\n", __FILE__,       \
              __LINE__, #got, g_ ? g_ : "(null)", w_);                         \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

#define CHECK_CONTAINS(got, part)                                              \
  do {                                                                         \
    const char *g_ = (got), *p_ = (part);                                      \
    if (!g_ || !strstr(g_, p_)) {                                              \
      fprintf(stderr, "  %s:%d: %s is \"%s\", want it to contain \"%s\"\n",   \
              __FILE__, __LINE__, #got, g_ ? g_ : "(null)", p_);               \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

#define CHECK_INT(got, want)                                                   \
  do {                                                                         \
    long long g_ = (got), w_ = (want);                                         \
    if (g_ != w_) {                                                            \
      fprintf(stderr, "  %s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, \
              #got, g_, w_);                                                   \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

#define CHECK_NEAR(got, want, tol)                                             \
  do {                                                                         \
    double g_ = (got), w_ = (want);                                            \
    if (!(fabs(g_ - w_) <= (tol)) && !(g_ == w_)) {                            \
      fprintf(stderr, "  %s:%d: %s is %.17g, want %.17g\n", __FILE__,         \
              __LINE__, #got, g_, w_);                                         \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

/* A file name no one uses, for a database the test makes (and unlinks). */
static inline void check_temp_path(char path[32]) {
  snprintf(path, 32, "/tmp/ck_test_XXXXXX");
  int fd = mkstemp(path);
  if (fd >= 0)
    close(fd);
  unlink(path);
}

/* A file's whole text, NUL-terminated, for the caller to free. */
static inline char *check_slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = malloc((size_t)(n > 0 ? n : 0) + 1);
  if (s && n > 0 && fread(s, 1, (size_t)n, f) != (size_t)n)
    n = 0;
  if (s)
    s[n > 0 ? n : 0] = '\0';
  fclose(f);
  return s;
}

/* Removes a database the test made, with its WAL and shared-memory files. */
static inline void check_remove_database(const char *path) {
  char side[64];
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

typedef struct check_test {
  const char *name;
  void (*fn)(void);
} check_test;

#define TEST(name) static void name(void)
#define T(name) {#name, name}

static int check_run(const check_test *tests, size_t n, int argc,
                     char **argv) {
  int passed = 0, failed = 0;
  for (size_t i = 0; i < n; i++) {
    if (argc > 1 && !strstr(tests[i].name, argv[1]))
      continue;
    check_failures = 0;
    tests[i].fn();
    if (check_failures) {
      failed++;
      fprintf(stderr, "FAIL %s\n", tests[i].name);
    } else {
      passed++;
      printf("ok   %s\n", tests[i].name);
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0 || passed == 0;
}

#define CHECK_MAIN(...)                                                        \
  int main(int argc, char **argv) {                                            \
    static const check_test tests_[] = {__VA_ARGS__};                          \
    return check_run(tests_, sizeof tests_ / sizeof tests_[0], argc, argv);    \
  }

#endif

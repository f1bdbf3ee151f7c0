/*
** progress.c -- the console's progress line for long imports: a thread
** of the console's own polls ck_progress() (the one call the library
** allows on a handle another thread is using) while the import runs.
*/
#include "progress.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define FIRST_MS 300 /* an import over sooner shows nothing */
#define EVERY_MS 250

typedef struct watch {
  ck_db *db;
  const char *name;
  struct timespec start;
  pthread_mutex_t mu;
  pthread_cond_t over;
  int done;  /* under mu */
  int drawn; /* the watcher's, read after it is joined */
} watch;

static double seconds_since(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) +
         (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* 1234567 as "1,234,567". */
static void count_text(long long n, char *out, size_t size) {
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? 0 : n);
  size_t at = 0;
  for (int i = 0; i < len && at + 2 < size; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      out[at++] = ',';
    out[at++] = digits[i];
  }
  out[at] = '\0';
}

static void size_text(long long bytes, char *out, size_t size) {
  if (bytes >= 1000000)
    snprintf(out, size, "%.1f MB", (double)bytes / 1e6);
  else
    snprintf(out, size, "%lld kB", (bytes + 999) / 1000);
}

static int terminal_columns(void) {
  struct winsize ws;
  return ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col
                                                                     : 80;
}

/* "  42% of 2.9 MB, 312,000 claims, 98,000 claims/s  claims.jsonl", cut
   to the terminal's width (a wrapped line could not be redrawn). */
static void draw(watch *w) {
  long long bytes = ck_progress(w->db, CK_PROGRESS_BYTES);
  long long total = ck_progress(w->db, CK_PROGRESS_TOTAL);
  long long claims = ck_progress(w->db, CK_PROGRESS_CLAIMS);
  double secs = seconds_since(&w->start);
  char read[32], all[32], n[32], rate[32], line[1024];
  size_text(bytes, read, sizeof read);
  size_text(total, all, sizeof all);
  count_text(claims, n, sizeof n);
  count_text(secs > 0 ? (long long)((double)claims / secs) : 0, rate,
             sizeof rate);
  int len;
  if (total > 0 && bytes >= total) /* indexes and the commit: no rate */
    len = snprintf(line, sizeof line, " 100%% of %s, %s claims, finishing  %s",
                   all, n, w->name);
  else if (total > 0)
    len = snprintf(line, sizeof line, "%4d%% of %s, %s claims, %s claims/s  %s",
                   (int)(100 * bytes / total), all, n, rate, w->name);
  else /* a pipe: no size to measure against */
    len = snprintf(line, sizeof line, "%s read, %s claims, %s claims/s  %s",
                   read, n, rate, w->name);
  int cols = terminal_columns() - 1;
  if (len > cols)
    len = cols;
  if (len >= (int)sizeof line)
    len = (int)sizeof line - 1;
  while (len > 0 && (line[len] & 0xC0) == 0x80) /* not inside a character */
    len--;
  fprintf(stderr, "\r%.*s\033[K", len, line);
  fflush(stderr);
  w->drawn = 1;
}

static void *watch_main(void *arg) {
  watch *w = arg;
  long wait_ms = FIRST_MS;
  pthread_mutex_lock(&w->mu);
  while (!w->done) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (wait_ms % 1000) * 1000000L;
    until.tv_sec += wait_ms / 1000 + until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    if (pthread_cond_timedwait(&w->over, &w->mu, &until) == ETIMEDOUT &&
        !w->done) {
      pthread_mutex_unlock(&w->mu);
      draw(w);
      pthread_mutex_lock(&w->mu);
      wait_ms = EVERY_MS;
    }
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

/* Starts the watcher with SIGINT blocked in it, so that Ctrl-C reaches
   the console's own thread.  0 when there is no thread to be had. */
static int start(watch *w, pthread_t *t) {
  pthread_condattr_t attr;
  if (pthread_condattr_init(&attr) != 0)
    return 0;
  int ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
           pthread_cond_init(&w->over, &attr) == 0;
  pthread_condattr_destroy(&attr);
  if (!ok)
    return 0;
  if (pthread_mutex_init(&w->mu, NULL) != 0) {
    pthread_cond_destroy(&w->over);
    return 0;
  }
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  ok = pthread_create(t, NULL, watch_main, w) == 0;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (!ok) {
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->over);
  }
  return ok;
}

int console_import_file(ck_db *db, const char *path) {
  if (!isatty(STDERR_FILENO))
    return ck_import_file(db, path);
  watch w;
  memset(&w, 0, sizeof w);
  w.db = db;
  const char *slash = strrchr(path, '/');
  w.name = slash && slash[1] ? slash + 1 : path;
  clock_gettime(CLOCK_MONOTONIC, &w.start);
  pthread_t t;
  if (!start(&w, &t))
    return ck_import_file(db, path);
  int rc = ck_import_file(db, path);
  pthread_mutex_lock(&w.mu);
  w.done = 1;
  pthread_cond_signal(&w.over);
  pthread_mutex_unlock(&w.mu);
  pthread_join(t, NULL);
  if (w.drawn) { /* the line goes, and what follows starts on a clean one */
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
  pthread_mutex_destroy(&w.mu);
  pthread_cond_destroy(&w.over);
  return rc;
}

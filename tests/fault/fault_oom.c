/*
** fault_oom.c -- out-of-memory injection over a workload that touches every
** layer: open, import (jansson, SQLite), metrics, quantities, drafts,
** export, Lua scripts and Lua functions, close.
**
** This program defines malloc, calloc and realloc itself; by ELF
** interposition SQLite, jansson and Lua allocate through them too.  For
** each N, a forked child fails the N-th allocation of the workload (once,
** as SQLite's tests do) and must finish without crashing: every failure
** has to come back as an error code.  N runs over every allocation of the
** workload up to a bound, then in strides, so the run stays bounded.
**
** One exemption: jansson 2.14's parser (json_loads, json_loadb) asserts
** when an allocation fails in the middle of a string with an escape --
** lex_save() drops strbuffer_append_byte's failure -- so while it runs no
** allocation fails.  jansson's other functions, and everything else, do.
**   fault_oom PACK MINUTES [SECONDS]
*/
#define _GNU_SOURCE
#include <claimkit.h>

#include <dlfcn.h>
#include <jansson.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static long counted;   /* allocations since arming */
static long fail_at;   /* 0: never */
static int armed;
static int in_parser;  /* inside jansson's parser: see above */

static int fail_now(void) {
  if (!armed || in_parser)
    return 0;
  return ++counted == fail_at;
}

json_t *json_loads(const char *input, size_t flags, json_error_t *error) {
  static json_t *(*real)(const char *, size_t, json_error_t *);
  if (!real)
    *(void **)&real = dlsym(RTLD_NEXT, "json_loads");
  in_parser++;
  json_t *v = real(input, flags, error);
  in_parser--;
  return v;
}

json_t *json_loadb(const char *buffer, size_t buflen, size_t flags,
                   json_error_t *error) {
  static json_t *(*real)(const char *, size_t, size_t, json_error_t *);
  if (!real)
    *(void **)&real = dlsym(RTLD_NEXT, "json_loadb");
  in_parser++;
  json_t *v = real(buffer, buflen, flags, error);
  in_parser--;
  return v;
}

void *malloc(size_t n) { return fail_now() ? NULL : __libc_malloc(n); }
void *calloc(size_t a, size_t b) { return fail_now() ? NULL : __libc_calloc(a, b); }
void *realloc(void *p, size_t n) {
  return fail_now() && n ? NULL : __libc_realloc(p, n);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = __libc_malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) == (size_t)n)
    s[n] = '\0';
  fclose(f);
  return s;
}

static const char *pack, *draft_args;

static void workload(void) {
  ck_db *db = NULL;
  int rc = ck_open(NULL, 0, &db);
  if (rc != CK_OK) {
    ck_close(db);
    return;
  }
  ck_import_json(db, pack);
  ck_num(db, "consensus", "[\"open-closed-parity\", \"cns\"]");
  ck_num(db, "consensus", "[\"open-closed-parity\", \"agreement\", \"region=overseas\"]");
  ck_call(db, "views", "[\"open-closed-parity\"]");
  ck_num(db, "split", "[\"open-closed-parity\", \"region\", \"domestic\", \"overseas\", \"jsd\"]");
  ck_num(db, "framework", "[\"commercial-realization\"]");
  ck_value(db, "deepseek", "aa-index", "2026-03", NULL);
  ck_num(db, "rank", "[\"aa-index\", \"deepseek\"]");
  ck_call(db, "series", "[\"deepseek\", \"financing-target-valuation\"]");
  ck_call(db, "sources", "[\"doubao\", \"mau\"]");
  ck_call(db, "quantities", "[\"两百多亿美元，2.26亿到3亿3之间，跌了超过15%\"]");
  ck_call(db, "draft", draft_args);
  ck_call(db, "sql", "[\"SELECT id, weight FROM actors ORDER BY id\"]");
  ck_call(db, "watch_team", NULL);
  ck_export_json(db, "region=overseas");
  ck_script(db, "ck.register{name = 'twice', params = {'x'}, fn = function(x) "
                "return {x = x, y = 2 * x} end}", "oom");
  ck_call(db, "twice", "[21]");
  ck_functions(db);
  ck_close(db);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: fault_oom PACK MINUTES [SECONDS]\n");
    return 2;
  }
  double seconds = argc > 3 ? atof(argv[3]) : 60;
  pack = slurp(argv[1]);
  char *minutes = slurp(argv[2]);
  if (!pack || !minutes)
    return 2;
  /* one segment of the minutes, as a JSON argument list */
  char *seg = strstr(minutes, "发言人1   23:26");
  char *end = seg ? strstr(seg + 10, "发言人1") : NULL;
  static char args[8192];
  snprintf(args, sizeof args, "[\"%.*s\", \"m\", \"2026-04-28\"]",
           seg && end ? (int)(strchr(seg, '\n') ? end - strchr(seg, '\n') - 1 : 0) : 0,
           seg ? strchr(seg, '\n') + 1 : "");
  for (char *p = args + 2; *p; p++)
    if (*p == '\n')
      *p = ' ';
  draft_args = args;

  armed = 1; /* count a clean run */
  counted = 0;
  fail_at = 0;
  workload();
  long total = counted;
  armed = 0;

  if (getenv("CK_FAIL_AT")) { /* one run in this process, for a debugger */
    armed = 1;
    counted = 0;
    fail_at = atol(getenv("CK_FAIL_AT"));
    workload();
    return 0;
  }

  time_t start = time(NULL);
  long runs = 0, stride = 1;
  for (long n = 1; n <= total; n += stride) {
    if (difftime(time(NULL), start) > seconds)
      break;
    if (n > 3000)
      stride = 7; /* past the first 3000, every 7th allocation */
    pid_t pid = fork();
    if (pid == 0) {
      armed = 1;
      counted = 0;
      fail_at = n;
      workload();
      _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    runs++;
    if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
      printf("failing allocation %ld of %ld: the workload %s %d\n", n, total,
             WIFSIGNALED(status) ? "died of signal" : "exited", 
             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      printf("0 passed, 1 failed\n");
      return 1;
    }
  }
  printf("workload: %ld allocations; %ld runs, each failing one of them\n",
         total, runs);
  printf("1 passed, 0 failed\n");
  return 0;
}

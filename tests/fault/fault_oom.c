/*
** fault_oom.c -- out-of-memory injection: for every kind of call (every
** registry function, export, import, open, drafts, Lua scripts and Lua
** functions), fail its N-th allocation, for every N, and check the answer.
**
** This program defines malloc, calloc and realloc itself; by ELF
** interposition SQLite, jansson and Lua allocate through them too.  A call
** that meets a failed allocation must give either
**   - an error code, after which the same handle answers the same call
**     exactly as before, or
**   - a result byte for byte the reference (the same call without
**     failures): never CK_OK with a shortened list, a dropped key, a null;
** and an import that fails must leave the database exactly as it was
** (its export unchanged), an import that succeeds must store exactly what
** the reference import stores.  Each N fails one allocation (as SQLite's
** own tests do); N runs from 1 until the call makes fewer than N.
**
** No exemption: allocations inside jansson's parser fail too.  jansson
** 2.14's lexer drops a byte when its token buffer cannot grow (lex_save()
** ignores strbuffer_append_byte's failure) and goes on, to a tree with a
** space missing or to an assertion; claimkit's parses (json_alloc.c) latch
** the failure, are refused, and keep a reserve that the failed growth is
** served from, so neither is reached.
**
** A JSON Lines file over a megabyte is read on two threads, so its
** allocations interleave differently from run to run and number about a
** hundred thousand: that import is failed at points spread over its
** allocations, not at every one, and whichever thread meets the failure,
** the same answers are required.
**
**   fault_oom PACK MINUTES
*/
#define _GNU_SOURCE
#include <claimkit.h>

#include <dlfcn.h>
#include <jansson.h>

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

/* Shared by the import's two threads, so counted atomically. */
static long counted;  /* allocations since arming */
static long fail_at;  /* 0: never */
static int armed;
static _Thread_local int in_parser; /* in json_loadb: see sweep_call() */
static unsigned char *parser_mark;  /* while set: which allocations are */
static long parser_marks;           /* ... its entries */

static int fail_now(void) {
  if (!__atomic_load_n(&armed, __ATOMIC_RELAXED))
    return 0;
  long k = __atomic_add_fetch(&counted, 1, __ATOMIC_RELAXED);
  if (k < parser_marks)
    parser_mark[k] = in_parser > 0;
  return k == fail_at;
}

/* Counts what is allocated inside the parser; fails it like the rest. */
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
void *calloc(size_t a, size_t b) {
  return fail_now() ? NULL : __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
  return fail_now() && n ? NULL : __libc_realloc(p, n);
}

static void arm(long n) {
  counted = 0;
  fail_at = n;
  __atomic_store_n(&armed, 1, __ATOMIC_SEQ_CST);
}

/* Disarms; 1 when the armed allocation was reached (the point existed). */
static int disarm(void) {
  __atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
  return __atomic_load_n(&counted, __ATOMIC_SEQ_CST) >= fail_at;
}

static char *copy(const char *s) { return s ? strdup(s) : NULL; }

/* ---- what went wrong, even in a crash ------------------------------------- */

static const char *current_case = "";
static long current_n;

static void on_crash(int sig) {
  char msg[256];
  int len = snprintf(msg, sizeof msg,
                     "crash (signal %d) in case '%s' failing allocation %ld\n",
                     sig, current_case, current_n);
  if (write(2, msg, (size_t)len) < 0)
    _exit(3);
  _exit(3);
}

static int failures;

static void fail(const char *what, long n, const char *detail) {
  if (failures++ < 20)
    fprintf(stderr, "%s, failing allocation %ld: %s\n", what, n, detail);
}

/* ---- calls of a handle ---------------------------------------------------- */

typedef struct call {
  const char *name;
  const char *function; /* a registry function, or NULL */
  const char *args;
  int kind; /* 0 ck_call, 1 ck_num, 2 export, 3 ck_functions, 4 ck_value,
               5 ck_consensus, 6 ck_script */
} call;

/* Runs the call; its text (or number) into *out, which the caller frees. */
static int run(ck_db *db, const call *c, char **out) {
  const char *s = NULL;
  double d = NAN;
  int numeric = 0;
  switch (c->kind) {
  case 0: s = ck_call(db, c->function, c->args); break;
  case 1: d = ck_num(db, c->function, c->args), numeric = 1; break;
  case 2: s = ck_export_json(db, c->args); break;
  case 3: s = ck_functions(db); break;
  case 4: d = ck_value(db, "deepseek", "aa-index", c->args, NULL), numeric = 1; break;
  case 5: d = ck_consensus(db, "open-closed-parity", c->args, NULL), numeric = 1; break;
  default:
    s = ck_script(db, c->args, "oom") == CK_OK ? ck_call(db, "probe", NULL)
                                              : NULL;
  }
  int rc = ck_errcode(db);
  armed = 0; /* what follows is the test's own */
  if (numeric) {
    char buf[64];
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    snprintf(buf, sizeof buf, "%016llx", (unsigned long long)bits);
    *out = rc == CK_OK ? copy(buf) : NULL;
  } else {
    *out = rc == CK_OK ? copy(s) : NULL;
  }
  return rc;
}

#define MARKS (1L << 20)
#define PARSER_ALL 300 /* allocations inside the parser all failed, */
#define PARSER_EVERY 10 /* then one in this many */
static long parser_skipped;

/* Which of the call's allocations are inside jansson's parser, in a run
   like every later one (after the first, which may fill a cache): the
   caller frees the marks. */
static unsigned char *mark_parser(ck_db *db, const call *c, long *made) {
  unsigned char *mark = __libc_calloc(MARKS, 1);
  char *warm;
  parser_mark = mark;
  parser_marks = mark ? MARKS : 0;
  arm(0);
  run(db, c, &warm);
  parser_marks = 0;
  parser_mark = NULL;
  *made = counted;
  free(warm);
  return mark;
}

/* Exports parse every stored record: thousands of allocations inside the
   parser, each of a record parsed as the one before it.  The first
   PARSER_ALL of them fail in turn, then one in PARSER_EVERY; every
   allocation outside the parser fails. */
static int skip_point(const unsigned char *mark, long n, long made,
                      long *in_parser_so_far) {
  if (!mark || n >= MARKS || n >= made || !mark[n])
    return 0;
  ++*in_parser_so_far;
  return *in_parser_so_far > PARSER_ALL &&
         *in_parser_so_far % PARSER_EVERY != 0;
}

static long sweep_call(ck_db *db, const call *c) {
  char *reference;
  current_case = c->name;
  current_n = 0;
  if (run(db, c, &reference) != CK_OK || !reference) {
    fail(c->name, 0, ck_errmsg(db));
    return 0;
  }
  long made, parsed = 0, skipped = 0, n;
  unsigned char *mark = mark_parser(db, c, &made);
  for (n = 1;; n++) {
    if (skip_point(mark, n, made, &parsed)) {
      skipped++;
      continue;
    }
    current_n = n;
    char *got;
    arm(n);
    int rc = run(db, c, &got); /* disarms before it copies the result */
    int reached = counted >= n;
    if (rc == CK_OK && (!got || strcmp(got, reference) != 0)) {
      fail(c->name, n, "CK_OK with an answer that differs from the reference");
      if (getenv("CK_FAULT_VERBOSE"))
        fprintf(stderr, "  got  %.300s\n  want %.300s\n", got, reference);
    } else if (rc != CK_OK) {
      char *again;
      if (run(db, c, &again) != CK_OK || !again || strcmp(again, reference))
        fail(c->name, n, "the handle does not give the same answer after the "
                         "error");
      free(again);
    }
    free(got);
    if (!reached)
      break;
  }
  free(mark);
  free(reference);
  parser_skipped += skipped;
  return n - 1 - skipped;
}

/* ---- imports and opens ------------------------------------------------------ */

static char *export_of(ck_db *db) { return copy(ck_export_json(db, NULL)); }

/* Imports `pack` (or `file`) into a database holding `base`, failing
   allocation n: an error and the database as `before`, or CK_OK and the
   database as `after`.  1 when allocation n was reached. */
static int import_point(const char *name, const char *base, const char *pack,
                        const char *file, long n, const char *before,
                        const char *after) {
  ck_db *db;
  current_n = n;
  ck_open(NULL, 0, &db);
  ck_import_json(db, base);
  arm(n);
  int rc = file ? ck_import_file(db, file) : ck_import_json(db, pack);
  int reached = disarm();
  char *now = export_of(db);
  if (!now) {
    fail(name, n, "no export after the import");
    if (getenv("CK_FAULT_VERBOSE"))
      fprintf(stderr, "  import %d, then: %s\n", rc, ck_errmsg(db));
  } else if (rc == CK_OK && strcmp(now, after) != 0) {
    fail(name, n, "CK_OK but the database holds other contents");
    if (getenv("CK_FAULT_VERBOSE")) {
      size_t k = 0;
      while (now[k] && now[k] == after[k])
        k++;
      k = k > 80 ? k - 80 : 0;
      fprintf(stderr, "  got  %.200s\n  want %.200s\n", now + k, after + k);
    }
  } else if (rc != CK_OK && strcmp(now, before) != 0) {
    fail(name, n, "a refused import changed the database");
  } else if (rc != CK_OK) {
    free(now);
    now = NULL;
    if ((file ? ck_import_file(db, file) : ck_import_json(db, pack)) !=
            CK_OK ||
        !(now = export_of(db)) || strcmp(now, after) != 0)
      fail(name, n, "the handle cannot import after the error");
  }
  free(now);
  ck_close(db);
  return reached;
}

/* The reference import: the database before and after it (the caller
   frees both), and how many allocations it makes; -1 when it failed. */
static long reference_import(const char *name, const char *base,
                             const char *pack, const char *file,
                             char **before, char **after) {
  current_case = name;
  ck_db *db;
  ck_open(NULL, 0, &db);
  ck_import_json(db, base);
  *before = export_of(db);
  arm(0); /* counts, fails nothing */
  int ok = (file ? ck_import_file(db, file) : ck_import_json(db, pack)) == CK_OK;
  disarm();
  long made = __atomic_load_n(&counted, __ATOMIC_SEQ_CST);
  *after = export_of(db);
  ck_close(db);
  if (!ok || !*before || !*after) {
    fail(name, 0, "the reference import failed");
    return -1;
  }
  return made;
}

/* Every allocation of the import in turn. */
static long sweep_import(const char *name, const char *base, const char *pack,
                         const char *file) {
  char *before, *after;
  long n = 1;
  if (reference_import(name, base, pack, file, &before, &after) >= 0)
    while (import_point(name, base, pack, file, n, before, after))
      n++;
  free(before);
  free(after);
  return n - 1;
}

/* `points` allocations spread evenly over the import's, and the first
   `points` (opening the transaction, the reader thread's start). */
static long sample_import(const char *name, const char *base, const char *file,
                          long points) {
  char *before, *after;
  long made = reference_import(name, base, NULL, file, &before, &after), n = 0;
  for (long k = 1; made > 0 && k <= 2 * points; k++, n++)
    import_point(name, base, NULL, file,
                 k <= points ? k : 1 + (made - 1) * (k - points) / (points + 1),
                 before, after);
  free(before);
  free(after);
  return n;
}

/* Opens a file database (with a stored script), failing allocation n: an
   error, or a handle that answers as the reference does. */
static long sweep_open(const char *path) {
  current_case = "open";
  ck_db *db;
  ck_open(path, CK_OPEN_READONLY, &db);
  char *reference = copy(ck_call(db, "watch_team", NULL));
  ck_close(db);
  if (!reference) {
    fail("open", 0, "the reference open failed");
    return 0;
  }
  long n;
  for (n = 1;; n++) {
    current_n = n;
    arm(n);
    int rc = ck_open(path, CK_OPEN_READONLY, &db);
    int reached = disarm();
    if (rc == CK_OK) {
      const char *got = ck_call(db, "watch_team", NULL);
      if (!got || strcmp(got, reference) != 0) {
        fail("open", n, "CK_OK but the stored script's function differs");
        if (getenv("CK_FAULT_VERBOSE"))
          fprintf(stderr, "  got  %.200s\n", got ? got : ck_errmsg(db));
      }
    } else if (!db && rc != CK_NOMEM) {
      fail("open", n, "no handle, and not CK_NOMEM");
    }
    ck_close(db);
    if (!reached)
      break;
  }
  free(reference);
  return n - 1;
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

/* Writes `text` to a new file named by `path` (a mkstemps template with a
   suffix of `suffix` characters); -1 when it cannot. */
static int temp_file(char *path, int suffix, const char *text) {
  int fd = mkstemps(path, suffix);
  if (fd < 0)
    return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A JSON Lines file of a little over a megabyte (read on two threads):
   views with tags, values under Chinese periods, quantities, ranges,
   explicit ids, and actors that come after some of their claims.  0 when
   written. */
static const char big_base[] =
    "{\"sources\": [{\"id\": \"s\", \"published\": \"2026-04-28\"}],"
    " \"entities\": [{\"id\": \"e\"}], \"metrics\": [{\"id\": \"m\","
    " \"unit\": \"USD\"}], \"questions\": [{\"id\": \"q\"}]}";
static int big_lines_file(char *path) {
  int fd = mkstemp(path);
  FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
  if (!f)
    return -1;
  for (int i = 0; i < 4400; i++) {
    if (i % 9 == 0)
      fprintf(f, "{\"type\": \"actor\", \"id\": \"a%d\", \"weight\": %d}\n",
              i / 9, 1 + i % 4);
    const char *quote = "\"quote\": \"日均token调用量达到二十点六万亿，较去年年底"
                        "增长超过百分之四十，市场普遍预计下半年仍有翻倍空间\"";
    switch (i % 5) {
    case 0:
      fprintf(f, "{\"type\": \"claim\", \"source\": \"s\", \"actor\": \"a%d\","
                 " \"question\": \"q\", \"stance\": %d, \"tags\": [\"t%d\"], %s}\n",
              i / 9 + 1, i / 5 % 5 - 2, i % 3, quote);
      break;
    case 1:
      fprintf(f, "{\"type\": \"claim\", \"actor\": \"a%d\", \"entity\": \"e\","
                 " \"metric\": \"m\", \"period\": \"2026年%d月\", \"value\": %d.5,"
                 " \"as_of\": \"2026-05-01\", %s}\n",
              i / 9, 1 + i % 12, i, quote);
      break;
    case 2:
      fprintf(f, "{\"type\": \"claim\", \"actor\": \"a%d\", \"entity\": \"e\","
                 " \"metric\": \"m\", \"period\": \"2026-Q%d\", \"quantity\":"
                 " \"约%d亿美元\", %s}\n",
              i / 9, 1 + i % 4, i, quote);
      break;
    case 3:
      fprintf(f, "{\"type\": \"claim\", \"id\": \"c-%d\", \"source\": \"s\","
                 " \"actor\": \"a%d\", \"entity\": \"e\", \"metric\": \"m\","
                 " \"lo\": %d, \"hi\": %d, %s}\n",
              i, i / 9, i, i + 2, quote);
      break;
    default:
      fprintf(f, "{\"type\": \"claim\", \"actor\": \"a%d\", \"question\": \"q\","
                 " \"stance\": %d, \"locator\": \"%02d:%02d\", %s}\n",
              i / 9, i % 3 - 1, i / 60 % 60, i % 60, quote);
    }
  }
  fprintf(f, "{\"type\": \"actor\", \"id\": \"a%d\"}\n", 4400 / 9 + 1);
  long size = ftell(f);
  return fclose(f) == 0 && size > (1 << 20) ? 0 : -1;
}

/* A claim sheet over small_pack's records (sheet_base: those it refers
   to): quoting, a BOM, CRLF, tags, typed cells and an unknown column. */
static const char sheet_base[] =
    "{\"sources\": [{\"id\": \"s\"}], \"actors\": [{\"id\": \"a\"},"
    " {\"id\": \"b\"}], \"entities\": [{\"id\": \"p\"}, {\"id\": \"e\"}],"
    " \"metrics\": [{\"id\": \"m\", \"unit\": \"USD\"}],"
    " \"questions\": [{\"id\": \"q\"}]}";
static const char small_sheet[] =
    "\xEF\xBB\xBFid,Source,actor,locator,quote,tags,question,stance,entity,"
    "metric,period,value,lo,hi,quantity,note\r\n"
    "v9,s,a,2:00,\"said \"\"no\"\",\r\nthen yes\",x;z,q,1,,,,,,,,n\r\n"
    ",s,b,3:00,,,,,e,m,2026\xE5\xB9\xB4" "3\xE6\x9C\x88,,,,"
    "\xE4\xB8\xA4\xE7\x99\xBE\xE5\xA4\x9A\xE4\xBA\xBF,\r\n"
    ",s,a,4:00,,,,,p,m,2026-Q2,1.5e3,,,,\r\n"
    ",s,b,5:00,,,,,p,m,2026-Q3,,1,2,,\r\n";

/* A small pack with every kind of record and field, imported in full at
   every failure point; the example pack gives the Lua script. */
static const char small_pack[] =
    "{\"claimkit\": 1,"
    " \"frameworks\": [{\"id\": \"f\", \"name\": \"F\"}],"
    " \"sources\": [{\"id\": \"s\", \"title\": \"\\u7eaa\\u8981\", \"kind\":"
    " \"transcript\", \"published\": \"2026-04-28\", \"lang\": \"zh\"}],"
    " \"actors\": [{\"id\": \"a\", \"name\": \"A\", \"region\": \"domestic\","
    " \"kind\": \"broker\"}, {\"id\": \"b\", \"region\": \"overseas\","
    " \"weight\": 2}],"
    " \"entities\": [{\"id\": \"p\", \"name\": \"P\"}, {\"id\": \"e\","
    " \"parent\": \"p\", \"kind\": \"model\"}],"
    " \"metrics\": [{\"id\": \"m\", \"unit\": \"USD\", \"framework\": \"f\","
    " \"higher_is_better\": false}],"
    " \"questions\": [{\"id\": \"q\", \"text\": \"?\", \"framework\": \"f\","
    " \"scale\": [-2, 2], \"poles\": [\"no\", \"yes\"], \"resolution\":"
    " {\"outcome\": true, \"resolved_on\": \"2026-06-30\"}}],"
    " \"claims\": [{\"source\": \"s\", \"actor\": \"a\", \"locator\": \"1:00\","
    " \"question\": \"q\", \"stance\": 2, \"tags\": [\"x\", \"y\"], \"quote\":"
    " \"\\u662f\"}, {\"id\": \"v2\", \"actor\": \"b\", \"question\": \"q\","
    " \"stance\": -1, \"as_of\": \"2026-05-01\"}, {\"source\": \"s\", \"actor\":"
    " \"a\", \"entity\": \"e\", \"metric\": \"m\", \"period\":"
    " \"2026\\u5e743\\u6708\", \"quantity\": \"\\u4e24\\u767e\\u591a\\u4ebf"
    "\\u7f8e\\u5143\"}, {\"actor\": \"b\", \"entity\": \"e\", \"metric\":"
    " \"m\", \"period\": \"2026-Q1\", \"lo\": 1, \"hi\": 3}, {\"actor\": \"b\","
    " \"entity\": \"p\", \"metric\": \"m\", \"value\": 7.5}],"
    " \"scripts\": [{\"name\": \"w\", \"lua\": \"ck.register{name = 'w', fn ="
    " function() return ck.stats() end}\"}]}";

static const char small_lines[] =
    "{\"type\": \"actor\", \"id\": \"c\", \"region\": \"overseas\"}\n"
    "{\"type\": \"claim\", \"actor\": \"c\", \"question\": \"q2\", \"stance\": 1}\n"
    "\n"
    "{\"type\": \"question\", \"id\": \"q2\", \"scale\": [0, 4]}\n"
    "{\"type\": \"claim\", \"actor\": \"c\", \"entity\": \"p\", \"metric\": \"m\","
    " \"value\": 3, \"period\": \"2026-W05\"}\n";

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: fault_oom PACK MINUTES\n");
    return 2;
  }
  signal(SIGSEGV, on_crash);
  signal(SIGABRT, on_crash);
  signal(SIGBUS, on_crash);
  char *pack = slurp(argv[1]), *minutes = slurp(argv[2]);
  if (!pack || !minutes)
    return 2;
  /* One segment of the minutes, as a JSON argument list. */
  char *seg = strstr(minutes, "发言人1   23:26");
  char *end = seg ? strstr(seg + 10, "发言人1") : NULL;
  if (!seg || !end)
    return 2;
  json_t *draft = json_pack("[s%, s, s]", seg, (size_t)(end - seg), "m",
                            "2026-04-28");
  char *draft_args = json_dumps(draft, JSON_COMPACT);
  json_t *segs = json_pack("[s%]", seg, (size_t)(end - seg));
  char *segment_args = json_dumps(segs, JSON_COMPACT);
  json_decref(draft);
  json_decref(segs);

  const call calls[] = {
      {"consensus", "consensus", "[\"open-closed-parity\", \"cns\"]", 1},
      {"consensus filtered", "consensus",
       "[\"open-closed-parity\", \"agreement\", \"region=overseas\"]", 1},
      {"label", "label", "[\"open-closed-parity\"]", 0},
      {"split jsd", "split",
       "[\"open-closed-parity\", \"region\", \"domestic\", \"overseas\", "
       "\"jsd\"]",
       1},
      {"framework", "framework", "[\"commercial-realization\"]", 1},
      {"stance", "stance", "[\"open-closed-parity\", \"overseas-institutions\"]", 1},
      {"views", "views", "[\"open-closed-parity\"]", 0},
      {"claims", "claims", "[\"actor=jefferies\"]", 0},
      {"sheet", "sheet", "[\"actor=jefferies\"]", 0},
      {"questions", "questions", "[]", 0},
      {"revisions", "revisions",
       "[\"open-closed-parity\", \"2026-01-01\", \"2026-12-31\"]", 0},
      {"drift", "drift",
       "[\"open-closed-parity\", \"mean\", [\"2026-01-01\", \"2026-04-28\"]]",
       0},
      {"track", "track", "[\"jefferies\", \"n\"]", 1},
      {"value", "value", "[\"deepseek\", \"aa-index\", \"2026-03\"]", 1},
      {"value hi", "value", "[\"qwen\", \"mau\", \"\", \"hi\"]", 0},
      {"estimates", "estimates", "[\"doubao\", \"mau\", \"\", \"n\"]", 1},
      {"gap", "gap", "[\"aa-index\", \"google\", \"deepseek\"]", 1},
      {"ratio", "ratio", "[\"aa-index\", \"google\", \"deepseek\"]", 1},
      {"rank", "rank", "[\"aa-index\", \"deepseek\"]", 1},
      {"change", "change",
       "[\"deepseek\", \"financing-target-valuation\", \"2026-Q1\", "
       "\"2026-04\"]",
       1},
      {"series", "series", "[\"deepseek\", \"financing-target-valuation\"]",
       0},
      {"sources", "sources", "[\"doubao\", \"mau\"]", 0},
      {"quantity", "quantity", "[\"两百多亿美元\", 0, \"hi\"]", 1},
      {"quantities", "quantities",
       "[\"两百多亿美元，2.26亿到3亿3之间，跌了超过15%\"]", 0},
      {"segments", "segments", segment_args, 0},
      {"draft", "draft", draft_args, 0},
      {"stats", "stats", NULL, 0},
      {"sql", "sql",
       "[\"SELECT id, weight, name FROM actors WHERE weight > ? ORDER BY id\", "
       "[0]]",
       0},
      {"a pack's Lua function", "watch_team", NULL, 0},
      {"export", NULL, NULL, 2},
      {"export filtered", NULL, "region=overseas", 2},
      {"functions", NULL, NULL, 3},
      {"ck_value", NULL, "2026-03", 4},
      {"ck_consensus", NULL, "cns", 5},
      {"a script and a function it registers", NULL,
       "ck.register{name = 'probe', params = {}, fn = function() local t = "
       "{} for i, v in ipairs(ck.views('open-closed-parity')) do t[i] = "
       "v.actor .. ':' .. v.stance end return {n = #t, list = t, q = "
       "ck.quantity('约3亿美元', 0, 'unit'), s = string.rep('ab', 3):gsub("
       "'b', '%0%0')} end}",
       6},
      {"names for ids, looked up before and after a call", NULL,
       "ck.register{name = 'probe', params = {}, fn = function() return "
       "{ck.stance('open-closed-parity', '斯坦福'), ck.value('zip', "
       "'aa-index', '2026-03'), ck.value('DeepSeek', '智能指数', '2026-03')} "
       "end}",
       6},
  };
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK || ck_import_json(db, pack) != CK_OK) {
    fprintf(stderr, "cannot import the pack: %s\n", ck_errmsg(db));
    return 1;
  }
  long points = 0;
  size_t ncalls = sizeof calls / sizeof calls[0];
  for (size_t i = 0; i < ncalls; i++)
    points += sweep_call(db, &calls[i]);
  ck_close(db);

  points += sweep_import("import a pack", "{}", small_pack, NULL);
  points += sweep_import("import JSON Lines", small_pack, small_lines, NULL);
  char lines_path[] = "/tmp/ck_oom_XXXXXX";
  char sheet_path[] = "/tmp/ck_oom_XXXXXX.csv";
  if (temp_file(lines_path, 0, small_lines) || temp_file(sheet_path, 4,
                                                          small_sheet))
    return 2;
  points += sweep_import("import a JSON Lines file", small_pack, NULL,
                         lines_path);
  points += sweep_import("import a claim sheet", sheet_base, NULL,
                         sheet_path);
  unlink(lines_path);
  unlink(sheet_path);
  char big_path[] = "/tmp/ck_oom_XXXXXX";
  if (big_lines_file(big_path))
    return 2;
  points += sample_import("import a JSON Lines file on two threads", big_base,
                          big_path, 100);
  unlink(big_path);

  char db_path[] = "/tmp/ck_oom_db_XXXXXX";
  int fd = mkstemp(db_path);
  close(fd);
  unlink(db_path);
  ck_open(db_path, 0, &db);
  ck_import_json(db, pack);
  ck_close(db);
  points += sweep_open(db_path);
  unlink(db_path);

  printf("%ld failure points swept over %zu kinds of call, 5 imports and an "
         "open (%ld more inside the parser of calls passed over); %d wrong\n",
         points, ncalls, parser_skipped, failures);
  printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
  free(draft_args);
  free(segment_args);
  return failures != 0;
}

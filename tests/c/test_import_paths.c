/*
** test_import_paths.c -- one text, three ways in, one answer: ck_import_json
** of the text, ck_import_file of it as a small file (one thread), and
** ck_import_file of it with the handle's threshold lowered so that the
** file is read on two threads (import.c, "a large JSON Lines file").
** Hundreds of malformed inputs are generated from valid lines and packs:
** cut short at every byte, bytes flipped, bare scalars, nested garbage,
** invalid UTF-8, BOMs, CR/LF mixes, NUL bytes.  For each the three must
** give the same code and the same message, and a refused import must
** leave the database as it was.  A fourth way, for packs: the file with
** the pack parsed whole, as claimkit did before it took a pack's lists
** element by element (import_pack.c).  A fifth: the file on two threads
** read through a window of a few bytes (a pack, scanned and taken element
** by element across the window's refills).
*/
#include "check.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char base[] =
    "{\"sources\": [{\"id\": \"s\", \"published\": \"2026-04-28\"}],"
    " \"actors\": [{\"id\": \"a\"}], \"entities\": [{\"id\": \"e\"}],"
    " \"metrics\": [{\"id\": \"m\"}], \"questions\": [{\"id\": \"q\","
    " \"scale\": [-2, 2]}]}";

static const char line1[] =
    "{\"type\": \"actor\", \"id\": \"b\", \"region\": \"overseas\"}";
static const char line2[] =
    "{\"type\": \"claim\", \"actor\": \"b\", \"question\": \"q\", \"stance\": "
    "1, \"quote\": \"估值仍有上行空间\", \"tags\": [\"x\", \"y\"]}";
static const char line3[] =
    "{\"type\": \"claim\", \"actor\": \"a\", \"entity\": \"e\", \"metric\": "
    "\"m\", \"period\": \"2026-Q1\", \"value\": 12.5e0, \"source\": \"s\"}";
static const char pack[] =
    "{\"claimkit\": 1, \"actors\": [{\"id\": \"c\", \"weight\": 2}], "
    "\"claims\": [{\"actor\": \"c\", \"question\": \"q\", \"stance\": -1, "
    "\"quote\": \"是\\u7684\"}, {\"actor\": \"c\", \"entity\": \"e\", "
    "\"metric\": \"m\", \"lo\": 1, \"hi\": 3}]}";

/* ---- a host's allocator, kept -----------------------------------------------
 */

/* A host that gave jansson its own allocation functions before claimkit
   came: they stay in charge, and when one fails inside a parse, the
   import is refused whole, never stored with a byte dropped. */
static long host_calls, host_fail_at;

static void *host_malloc(size_t n) {
  return ++host_calls == host_fail_at ? NULL : malloc(n);
}

static void host_free(void *p) { free(p); }

/* Strings and numbers of every length around the token buffer's sizes (16,
   32, 64 bytes), whose growth jansson 2.14 does not check. */
static char *crossing_pack(void) {
  char *pack = malloc(16384), word[80];
  int n = sprintf(pack, "{\"actors\": [");
  for (int len = 1; len < 70; len++) {
    if (len % 16 > 4 && len % 16 < 12)
      continue; /* far from 16, 32 and 64 */
    memset(word, len % 2 ? 'x' : ' ', (size_t)len);
    word[0] = 'a';
    word[len] = '\0';
    n += sprintf(pack + n,
                 "%s{\"id\": \"h%d\", \"name\": \"%s\", "
                 "\"weight\": %.*s}",
                 pack[n - 1] == '[' ? "" : ", ", len, word, len > 18 ? 18 : len,
                 "123456789012345678");
  }
  sprintf(pack + n, "]}");
  return pack;
}

TEST(a_hosts_jansson_allocator_is_kept_and_its_failure_refuses_the_parse) {
  json_set_alloc_funcs(host_malloc, host_free);
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  json_malloc_t m;
  json_free_t f;
  json_get_alloc_funcs(&m, &f);
  CHECK(m != host_malloc && f != host_free); /* claimkit's, in front */
  char *text = crossing_pack();
  char *before = strdup(ck_export_json(db, NULL));
  long start = host_calls;
  CHECK_INT(ck_import_json(db, text), CK_OK);
  long made = host_calls - start; /* by jansson, through the host */
  char *after = strdup(ck_export_json(db, NULL));
  ck_close(db);
  CHECK(made > 300);
  int refused = 0;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  for (long k = 1; k <= made; k++) {
    host_fail_at = host_calls + k;
    int rc = ck_import_json(db, text);
    host_fail_at = 0;
    const char *now = ck_export_json(db, NULL);
    if (rc == CK_OK) {
      CHECK_STR(now, after);
      ck_close(db);
      CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
    } else {
      CHECK_INT(rc, CK_NOMEM);
      CHECK_STR(now, before);
      refused++;
    }
  }
  ck_close(db);
  printf("  %ld of jansson's allocations failed in turn: %d refused, the "
         "rest stored whole\n",
         made, refused);
  CHECK(refused > made / 2);
  free(text);
  free(before);
  free(after);
}

/* ---- the cases -------------------------------------------------------------
 */

typedef struct text {
  char *s;
  size_t len;
  int cut; /* a line cut short, on line 2: never column 0 */
} text;

static text cases[2048];
static size_t ncases;

static void add(const char *s, size_t len, int cut) {
  if (ncases == sizeof cases / sizeof cases[0])
    return;
  char *copy = malloc(len + 1);
  memcpy(copy, s, len);
  copy[len] = '\0';
  cases[ncases++] = (text){copy, len, cut};
}

/* line1, then `mid` (len bytes), then line3: what comes after the first
   line is what the reader thread reads. */
static void add_between(const char *mid, size_t len, int cut) {
  char buf[8192];
  int n = snprintf(buf, sizeof buf, "%s\n", line1);
  memcpy(buf + n, mid, len);
  n += (int)len;
  n += snprintf(buf + n, sizeof buf - (size_t)n, "\n%s\n", line3);
  add(buf, (size_t)n, cut);
}

static void add_s(const char *s) { add(s, strlen(s), 0); }

/* Packs whose lists are taken element by element: a record refused
   before a syntax error further on (the syntax error is the answer), lists
   twice or written with escapes, elements of every kind and depth. */
static void add_pack_cases(void) {
  static const char *const packs[] = {
      "{\"claims\": [{\"actor\": \"zz\"}], \"actors\": [{\"id\": 1}]}",
      "{\"actors\": [{\"id\": \"c\"}, {\"id\": 5}], \"claims\": [1, ]}",
      "{\"actors\": [{\"id\": \"c\"}, {\"id\": 5}], \"claims\": [01]}",
      "{\"actors\": [{\"id\": 5}], \"x\": 1}",
      "{\"x\": 1, \"actors\": [{\"id\": 5}]}",
      "{\"actors\": [{\"id\": \"c\"}], \"actors\": [{\"id\": \"d\"}]}",
      "{\"actors\": [{\"id\": \"c\"}], \"actors\": 3}",
      "{\"act\\u006frs\": [{\"id\": \"c\"}], \"claims\": []}",
      "{\"act\\u006frs\": [{\"id\": \"c\"}], \"actors\": []}",
      "{\"actors\": [{\"id\": \"c\", \"id\": \"d\"}]}",
      "{\"actors\": [{\"id\": \"c\"} {\"id\": \"d\"}]}",
      "{\"actors\": [{\"id\": \"c\"},, {\"id\": \"d\"}]}",
      "{\"actors\": [{\"id\": \"c\"}], \"claims\": [{\"actor\": \"c\", "
      "\"question\": \"q\", \"stance\": 1}, {\"actor\": \"c\"}]}",
      "{\"claims\": [{\"actor\": \"a\", \"question\": \"q\", \"stance\": 1, "
      "\"tags\": [\"]\", \"}\", \"\\\"\"]}], \"claimkit\": 1}",
      "{\"claims\": [{\"actor\": \"a\", \"question\": \"q\", \"stance\": 1, "
      "\"tags\": [\"x\"]}], \"claimkit\": 2}",
      "{\"actors\": [{\"id\": \"c\"}]} x",
      "{\"actors\": [{\"id\": \"c\"}]}\n\n  ",
      "{\"actors\": [{\"id\": \"c\"}]",
      "{\"actors\": [{\"id\": \"c\"}}",
      "{\"actors\": [{\"id\": \"c\"]]}",
      "{\"actors\": [[{\"id\": \"c\"}]]}",
      "{\"actors\": [\"\\\"\"]}",
      "{\"actors\": [true, null, 1e999]}",
      "{\"actors\": [{\"id\": \"\xC3\x28\"}]}",
      "{\"actors\": [{\"id\": \"c\"}\xC3\x28]}",
      "{\"actors\": [{\"id\": \"c\"}],}",
      "{\"actors\" [{\"id\": \"c\"}]}",
      "{\"actors\": [ ] , \"claims\" : [ ] }",
      "{,}"};
  for (size_t i = 0; i < sizeof packs / sizeof *packs; i++)
    add_s(packs[i]);
  /* Nesting around the scan's depth and jansson's, in a list. */
  static const int depths[] = {500, 509, 510, 511, 512, 513, 2045, 2046, 2047};
  for (size_t i = 0; i < sizeof depths / sizeof *depths; i++) {
    int d = depths[i];
    char *buf = malloc(2 * (size_t)d + 64);
    int n = sprintf(buf, "{\"actors\": [");
    memset(buf + n, '[', (size_t)d);
    memset(buf + n + d, ']', (size_t)d);
    n += 2 * d;
    n += sprintf(buf + n, "]}");
    add(buf, (size_t)n, 0);
    free(buf);
  }
}

static void make_cases(void) {
  /* Valid inputs, as they are: the paths must agree on success too. */
  add_between(line2, strlen(line2), 0);
  add_s(pack);
  /* Lines and a pack cut short at every byte. */
  for (size_t k = 1; k < strlen(line2); k++)
    add_between(line2, k, 1);
  for (size_t k = 1; k < strlen(line3); k++)
    add_between(line3, k, 1);
  for (size_t k = 0; k < strlen(pack); k++)
    add(pack, k, 0);
  /* Bytes flipped, every third one of line2. */
  static const char flips[] = "\"}{],:\\\x80\xff \t\rx0-";
  for (size_t i = 0, f = 0; i < strlen(line2); i += 3, f++) {
    char buf[512];
    memcpy(buf, line2, strlen(line2));
    buf[i] = flips[f % (sizeof flips - 1)];
    add_between(buf, strlen(line2), 0);
  }
  /* Bare scalars and other values, first and second. */
  static const char *const values[] = {
      "42",  "-1.5e3", "true",        "null", "\"s\"", "[]", "[1, 2]", "[{}]",
      "1 2", "{} {}",  "\"\\u0000\"", "nul",  "01",    "1.", "-",      "1e999"};
  for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
    add_s(values[i]);
    add_between(values[i], strlen(values[i]), 0);
    char buf[64];
    snprintf(buf, sizeof buf, "\n  \t%s\n", values[i]);
    add_s(buf);
  }
  /* Nested garbage. */
  static const char *const garbage[] = {
      "{{",
      "[[[[",
      "{\"a\":[{\"b\":",
      "]]",
      "}",
      "{\"type\":}",
      "{\"type\": \"claim\",}",
      "{\"type\": \"claim\"]",
      "{'type': 'x'}",
      "{\"type\": \"claim\", \"actor\": \"b\", \"actor\": \"a\"}",
      "{\"claimkit\": 1,\n \"claims\": [\n  {\"actor\": }\n]}",
      "{\"claimkit\": 1, \"claims\": [[[[[[[[[[[[]]]]]]]]]]]]}",
      ("{\"type\": \"claim\", \"tags\": "
       "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}"),
      "/* comment */ {}",
      "{\"type\": \"actor\", \"id\": \"z\"} trailing"};
  for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++) {
    add_s(garbage[i]);
    add_between(garbage[i], strlen(garbage[i]), 0);
  }
  char deep[4100];
  memset(deep, '[', 4096);
  add(deep, 4096, 0);
  add_between(deep, 4096, 0);
  /* Invalid UTF-8, in a string and outside one. */
  static const char *const utf8[] = {
      "{\"type\": \"actor\", \"id\": \"b\", \"name\": \"\xC3\x28\"}",
      "{\"type\": \"actor\", \"id\": \"b\", \"name\": \"\xED\xA0\x80\"}",
      ("{\"type\": \"actor\", \"id\": \"b\", \"name\": "
       "\"\xF8\x88\x80\x80\x80\"}"),
      "{\"type\": \"actor\", \"id\": \"b\", \"name\": \"\xE6\x98\"}",
      "{\"type\": \"actor\", \"id\": \"b\"\xC0\xAF}",
      "\xFF\xFE{}"};
  for (size_t i = 0; i < sizeof utf8 / sizeof *utf8; i++) {
    add_s(utf8[i]);
    add_between(utf8[i], strlen(utf8[i]), 0);
  }
  /* BOMs, where one belongs and where one does not. */
  char buf[1024];
  snprintf(buf, sizeof buf, "\xEF\xBB\xBF%s\n%s\n", line1, line2);
  add_s(buf);
  snprintf(buf, sizeof buf, "\xEF\xBB\xBF\xEF\xBB\xBF%s\n", line1);
  add_s(buf);
  snprintf(buf, sizeof buf, "\xEF\xBB\xBF\n\n%s\n", line1);
  add_s(buf);
  snprintf(buf, sizeof buf, "\xEF\xBB\xBF%s", pack);
  add_s(buf);
  add_s("\xEF\xBB\xBF");
  add_s("\xEF\xBB");
  snprintf(buf, sizeof buf, "\xEF\xBB\xBF%s", line2);
  add_between(buf, strlen(buf), 0);
  /* CR and LF in every mix. */
  static const char *const ends[] = {"\r\n", "\r", "\n\r", "\r\r\n", "\n\n"};
  for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
    snprintf(buf, sizeof buf, "%s%s%s%s%.30s", line1, ends[i], line2, ends[i],
             line3);
    add_s(buf);
    snprintf(buf, sizeof buf, "{\"claimkit\": 1,%s\"actors\": [%s{\"id\":%s",
             ends[i], ends[i], ends[i]);
    add_s(buf);
  }
  add_s("\r\n\r\n");
  add_s("   \t  ");
  add_s("");
  add_pack_cases();
}

/* ---- the three paths -------------------------------------------------------
 */

typedef struct outcome {
  int rc;
  char *msg;    /* on an error */
  char *export; /* after the import */
} outcome;

#define PATHS 5
static ck_db *handles[PATHS];
static char *before[PATHS];

static void open_handle(int i) {
  ck_close(handles[i]);
  free(before[i]);
  CHECK_INT(ck_open(NULL, 0, &handles[i]), CK_OK);
  CHECK_INT(ck_import_json(handles[i], base), CK_OK);
  if (i == 2)
    handles[i]->threaded_bytes = 0; /* any file on two threads */
  if (i == 3)
    handles[i]->pack_whole = 1;
  if (i == 4) {
    handles[i]->threaded_bytes = 0;
    handles[i]->pack_window = 1 + (size_t)i % 5; /* (import_by varies it) */
  }
  before[i] = strdup(ck_export_json(handles[i], NULL));
}

static outcome import_by(int path, const text *t, const char *file) {
  ck_db *db = handles[path];
  if (path == 4)
    db->pack_window = 1 + t->len % 7;
  outcome o;
  o.rc = path == 0 ? ck_import_json(db, t->s) : ck_import_file(db, file);
  o.msg = o.rc == CK_OK ? NULL : strdup(ck_errmsg(db));
  o.export = strdup(ck_export_json(db, NULL));
  if (o.rc != CK_OK && strcmp(o.export, before[path]) != 0) {
    fprintf(stderr, "  case '%.60s' by path %d: refused, but stored\n", t->s,
            path);
    check_failures++;
  }
  if (o.rc == CK_OK) /* back to the base for the next case */
    open_handle(path);
  return o;
}

static void outcome_free(outcome *o) {
  free(o->msg);
  free(o->export);
}

static int same(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

static int has_nul(const text *t) { return strlen(t->s) != t->len; }

TEST(every_path_gives_the_same_answer) {
  char file[] = "/tmp/ck_paths_XXXXXX";
  int fd = mkstemp(file);
  CHECK(fd >= 0);
  close(fd);
  make_cases();
  /* NUL bytes only a file can hold: ck_import_json never sees them. */
  size_t with_nul = ncases;
  add_between("{\"type\": \"actor\", \"id\": \"n\0\"}", 27, 0);
  add_between("\0", 1, 0);
  add("\0\0\0\0", 4, 0);
  add("\xEF\xBB\xBF\0", 4, 0);
  add("{\"claimkit\": 1,\n \"actors\": [\0]}", 31, 0);
  for (int i = 0; i < PATHS; i++)
    open_handle(i);
  int refused = 0, nul_refused = 0;
  for (size_t c = 0; c < ncases; c++) {
    const text *t = &cases[c];
    FILE *f = fopen(file, "wb");
    CHECK(f && fwrite(t->s, 1, t->len, f) == t->len);
    fclose(f);
    int nul = c >= with_nul;
    CHECK(nul == has_nul(t));
    outcome o[PATHS];
    for (int p = nul ? 1 : 0; p < PATHS; p++)
      o[p] = import_by(p, t, file);
    for (int p = nul ? 2 : 1; p < PATHS; p++)
      if (o[p].rc != o[p - 1].rc || !same(o[p].msg, o[p - 1].msg) ||
          (o[p].rc == CK_OK && !same(o[p].export, o[p - 1].export))) {
        fprintf(stderr,
                "  case %zu '%.60s': path %d gives %d \"%s\", path %d gives "
                "%d \"%s\"\n",
                c, t->s, p - 1, o[p - 1].rc, o[p - 1].msg ? o[p - 1].msg : "",
                p, o[p].rc, o[p].msg ? o[p].msg : "");
        check_failures++;
      }
    refused += o[2].rc != CK_OK;
    if (nul) {
      CHECK_INT(o[2].rc, CK_INVALID);
      CHECK_CONTAINS(o[2].msg, "a NUL byte");
      nul_refused++;
    }
    if (t->cut && o[2].msg && strstr(o[2].msg, "column 0:")) {
      fprintf(stderr, "  case %zu: a line cut short at column 0: %s\n", c,
              o[2].msg);
      check_failures++;
    }
    for (int p = nul ? 1 : 0; p < PATHS; p++)
      outcome_free(&o[p]);
  }
  printf("  %zu inputs by five paths, %d refused (%d with a NUL byte)\n",
         ncases, refused, nul_refused);
  CHECK(ncases > 500);
  CHECK(refused > 450);
  for (int i = 0; i < PATHS; i++) {
    ck_close(handles[i]);
    free(before[i]);
  }
  for (size_t c = 0; c < ncases; c++)
    free(cases[c].s);
  unlink(file);
}

/* Messages that say where and what, the same way in. */
TEST(the_messages_say_where_and_what) {
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  CHECK_INT(ck_import_json(db, "42"), CK_INVALID);
  CHECK_STR(ck_errmsg(db),
            "line 1, column 1: expected a claim pack (one JSON object) or "
            "JSON Lines (an object with \"type\" on each line), not a number");
  CHECK_INT(ck_import_json(db, "\n\n   [1,\n 2]"), CK_INVALID);
  CHECK_STR(ck_errmsg(db),
            "line 3, column 4: expected a claim pack (one JSON object) or "
            "JSON Lines (an object with \"type\" on each line), not a list");
  CHECK_INT(ck_import_json(db, "{\"type\": \"actor\", \"id\": \"x\"}\n\"s\""),
            CK_INVALID);
  CHECK_STR(ck_errmsg(db),
            "line 2: each line of JSON Lines must be an object with \"type\", "
            "not a string");
  /* Cut short: at the end of the line, not at the start of the next. */
  CHECK_INT(ck_import_json(db, "{\"type\": \"actor\", \"id\": \"x\"}\n"
                               "{\"type\": \"actor\", \"id\": \n"),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db),
                 "line 2, column 24: unexpected token near end of file");
  ck_close(db);
}

/* ---- the same claims in every format -------------------------------------
 */

static const char *const quote_parts[] = {"估值仍有上行空间", "a, b", "say \"hi\"",
                                          "line\nbreak", "x", " spaced "};

/* s as a JSON string, and as a CSV cell (quoted when it must be). */
static void put_json(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++)
    if (*s == '"')
      fputs("\\\"", f);
    else if (*s == '\n')
      fputs("\\n", f);
    else
      fputc(*s, f);
  fputc('"', f);
}

static void put_cell(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"\n")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* n claims drawn from a seed, as JSON Lines, as one pack and as a sheet. */
static void write_claims(unsigned seed, int n, const char *lines,
                         const char *pack, const char *sheet) {
  FILE *fl = fopen(lines, "w"), *fp = fopen(pack, "w"), *fs = fopen(sheet, "w");
  CHECK(fl && fp && fs);
  fputs("{\"claims\": [\n", fp);
  fputs("source,actor,quote,tags,question,stance,entity,metric,period,value,"
        "as_of\n", fs);
  static const char *const periods[] = {"2026-Q1", "2026-03", "2026", "2026-H2"};
  for (int i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    unsigned r = seed >> 8;
    char quote[128], tags[32], as_of[16], value[32], stance[8];
    snprintf(quote, sizeof quote, "%d %s%s", i, quote_parts[r % 6],
             quote_parts[(r / 6) % 6]);
    snprintf(tags, sizeof tags, "%s", r % 3 == 0 ? "" : r % 3 == 1 ? "t1" : "t1;t2");
    snprintf(as_of, sizeof as_of, "2026-%02u-%02u", 1 + r % 12, 1 + r % 28);
    int view = (r >> 4) % 2;
    snprintf(value, sizeof value, "%u.%02u", r % 1000, (r / 7) % 100);
    snprintf(stance, sizeof stance, "%d", (int)(r % 5) - 2);
    const char *period = periods[(r >> 6) % 4];
    for (int w = 0; w < 2; w++) {
      FILE *f = w ? fp : fl;
      fputs(w ? (i ? ",\n{" : "{") : "{\"type\": \"claim\", ", f);
      fputs("\"source\": \"s\", \"actor\": \"a\", \"quote\": ", f);
      put_json(f, quote);
      if (*tags)
        fputs(r % 3 == 1 ? ", \"tags\": [\"t1\"]" : ", \"tags\": [\"t1\", \"t2\"]", f);
      if (view)
        fprintf(f, ", \"question\": \"q\", \"stance\": %s", stance);
      else
        fprintf(f, ", \"entity\": \"e\", \"metric\": \"m\", \"period\": \"%s\", "
                   "\"value\": %s", period, value);
      fprintf(f, ", \"as_of\": \"%s\"}%s", as_of, w ? "" : "\n");
    }
    fputs("s,a,", fs);
    put_cell(fs, quote);
    fprintf(fs, ",%s,%s,%s,%s,%s,%s,%s,%s\n", tags, view ? "q" : "",
            view ? stance : "", view ? "" : "e", view ? "" : "m",
            view ? "" : period, view ? "" : value, as_of);
  }
  fputs("\n]}\n", fp);
  fclose(fl);
  fclose(fp);
  fclose(fs);
}

/* The same claims stored the same, byte for byte, whatever way they come
   in: JSON Lines on one thread or two, a pack element by element on one
   thread or two or parsed whole, or read through a small window on one
   thread or two, a claim sheet on one thread or two. */
TEST(the_same_claims_are_stored_the_same_in_every_format) {
  char dir[] = "/tmp/ck_formats_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char lines[64], pack[64], sheet[64];
  snprintf(lines, sizeof lines, "%s/c.jsonl", dir);
  snprintf(pack, sizeof pack, "%s/c.json", dir);
  snprintf(sheet, sizeof sheet, "%s/c.csv", dir);
  for (unsigned seed = 1; seed <= 3; seed++) {
    write_claims(seed, 400, lines, pack, sheet);
    const char *files[] = {lines, lines, pack, pack, pack,
                           sheet, sheet, pack, pack};
    char *first = NULL;
    for (int w = 0; w < 9; w++) {
      ck_db *db;
      CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
      CHECK_INT(ck_import_json(db, base), CK_OK);
      db->threaded_bytes = w == 1 || w == 3 || w == 6 || w == 8 ? 0 : 1LL << 40;
      db->pack_whole = w == 4;
      db->pack_window = w >= 7 ? 97 + seed : CK_PACK_WINDOW;
      int rc = ck_import_file(db, files[w]);
      if (rc != CK_OK)
        fprintf(stderr, "  way %d: %s\n", w, ck_errmsg(db));
      CHECK_INT(rc, CK_OK);
      const char *got = ck_export_json(db, NULL);
      CHECK(got && strstr(got, "\"t2\""));
      if (!first)
        first = strdup(got);
      else if (strcmp(first, got) != 0) {
        fprintf(stderr, "  seed %u: way %d stores other bytes than way 0\n",
                seed, w);
        check_failures++;
      }
      ck_close(db);
    }
    free(first);
  }
  unlink(lines);
  unlink(pack);
  unlink(sheet);
  rmdir(dir);
}

CHECK_MAIN(
    T(a_hosts_jansson_allocator_is_kept_and_its_failure_refuses_the_parse),
    T(every_path_gives_the_same_answer), T(the_messages_say_where_and_what),
    T(the_same_claims_are_stored_the_same_in_every_format))

/*
** test_sandbox.c -- the budget of a script call (README "Lua"): every way a
** script could hold the host past CK_LIMIT_LUA_STEPS or CK_LIMIT_LUA_MEMORY
** ends with CK_SCRIPT at the default limits, the handle answering after;
** and the sandbox's own pattern matcher gives Lua's results, compared with
** the real string library on generated patterns and subjects.
**
** A hang here is a failure too: ctest's timeout ends the run.
*/
#define _DEFAULT_SOURCE /* wait4 */
#include "check.h"

#include <claimkit.h>
#include <lauxlib.h>
#include <lualib.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <valgrind/valgrind.h>

static ck_db *fresh(void) {
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK)
    abort();
  if (ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}") != CK_OK)
    abort();
  return db;
}

/* The handle works after whatever the script did. */
static int usable(ck_db *db) {
  const char *stats = ck_call(db, "stats", NULL);
  return stats && strstr(stats, "\"actors\":1") &&
         ck_script(db, "assert(1 + 1 == 2)", "after") == CK_OK;
}

static double longest_attack; /* seconds, for the README's table */
/* Under valgrind the memory cap too is smaller: at a hundredth of the
   steps a script must still be able to reach it. */
static long long valgrind_memory = 32 << 20;
static int attacks;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The attack ends the call with CK_SCRIPT and a message containing
   `part`, at the default limits (under valgrind, which runs some fifty
   times slower, at a hundredth of them). */
static void ended(const char *script, const char *part, int line) {
  ck_db *db = fresh();
  if (RUNNING_ON_VALGRIND) {
    ck_limit(db, CK_LIMIT_LUA_STEPS, 1000000);
    ck_limit(db, CK_LIMIT_LUA_MEMORY, valgrind_memory);
  }
  double start = now();
  int rc = ck_script(db, script, "attack");
  double took = now() - start;
  longest_attack = took > longest_attack ? took : longest_attack;
  if (getenv("CK_VERBOSE"))
    printf("     line %d: %.2f s\n", line, took);
  attacks++;
  if (rc != CK_SCRIPT || !strstr(ck_errmsg(db), part)) {
    fprintf(stderr, "  line %d: gave %d \"%s\", want CK_SCRIPT \"%s\"\n", line,
            rc, ck_errmsg(db), part);
    check_failures++;
  }
  if (!usable(db)) {
    fprintf(stderr, "  line %d: the handle is not usable after\n", line);
    check_failures++;
  }
  ck_close(db);
}
#define ENDED(script, part) ended(script, part, __LINE__)
#define STEPS "instruction limit exceeded"
#define MEMORY "not enough memory"

TEST(pcall_cannot_catch_the_budget) {
  ENDED("for i = 1, 1e12 do pcall(function() while true do end end) end",
        STEPS);
}
TEST(xpcall_and_its_handler_cannot_catch_the_budget) {
  ENDED("for i = 1, 1e12 do xpcall(function() while true do end end, "
        "function() while true do end end) end",
        STEPS);
}
TEST(a_coroutine_cannot_outlive_the_budget) {
  ENDED("for i = 1, 1e12 do coroutine.resume(coroutine.create(function() "
        "while true do end end)) end",
        STEPS);
  ENDED("for i = 1, 1e12 do pcall(coroutine.wrap(function() while true do "
        "end end)) end",
        STEPS);
  ENDED("for i = 1, 1e12 do pcall(coroutine.wrap(function() local x <close> "
        "= setmetatable({}, {__close = function() while true do end end}) "
        "while true do end end)) end",
        STEPS);
  ENDED("for i = 1, 1e12 do local co = coroutine.create(function() local x "
        "<close> = setmetatable({}, {__close = function() while true do end "
        "end}) coroutine.yield() end) coroutine.resume(co) "
        "coroutine.close(co) end",
        STEPS);
}
TEST(a_coroutine_the_budget_ended_is_never_closed) {
  ck_db *db = fresh();
  ck_limit(db, CK_LIMIT_LUA_STEPS, 100000);
  CHECK_INT(ck_script(db,
                      "co = coroutine.create(function() local x <close> = "
                      "setmetatable({}, {__close = function() while true do "
                      "end end}) while true do end end) coroutine.resume(co)",
                      "ended"),
            CK_SCRIPT);
  /* a later call: closing it would run the handler with hooks off */
  CHECK_INT(ck_script(db,
                      "local ok, why = coroutine.close(co) assert(not ok) "
                      "assert(why:find('budget'))",
                      "later"),
            CK_OK);
  CHECK(usable(db));
  ck_close(db);
  /* nor called again through coroutine.wrap, which would close it (found
     by fuzz_lua) */
  db = fresh();
  ck_limit(db, CK_LIMIT_LUA_STEPS, 100000);
  CHECK_INT(ck_script(db,
                      "co = coroutine.wrap(function() local x <close> = "
                      "setmetatable({}, {__close = function() while true do "
                      "end end}) while true do end end) co()",
                      "ended"),
            CK_SCRIPT);
  CHECK_INT(ck_script(db,
                      "local ok, why = pcall(co) assert(not ok) "
                      "assert(why:find('ended by a call.s budget'), why)",
                      "later"),
            CK_OK);
  if (ck_errcode(db) != CK_OK)
    fprintf(stderr, "  %s\n", ck_errmsg(db));
  CHECK(usable(db));
  ck_close(db);
}
TEST(a_close_handler_cannot_outlive_the_budget) {
  ENDED("for i = 1, 1e12 do pcall(function() local x <close> = "
        "setmetatable({}, {__close = function() while true do end end}) "
        "while true do end end) end",
        STEPS);
}
TEST(load_cannot_catch_the_budget_in_its_reader) {
  ENDED("for i = 1, 1e12 do load(function() while true do end end) end",
        STEPS);
}
TEST(sql_counts_against_the_budget) {
  ENDED("ck.sql('WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
        "FROM r) SELECT count(*) FROM r')",
        STEPS);
  ENDED("for i = 1, 1e12 do pcall(ck.sql, 'WITH RECURSIVE r(x) AS (SELECT 1 "
        "UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r') end",
        STEPS);
}
TEST(pattern_backtracking_counts_against_the_budget) {
  ENDED("string.find(string.rep('a', 1e5), '.-.-.-.-b')", STEPS);
  ENDED("string.find(string.rep('a', 4e6), 'a*b')", STEPS);
  ENDED("string.match(string.rep('a', 1e5), '(.-)%1b')", STEPS);
  ENDED("string.gsub(string.rep('a', 1e5), '.-.-.-b', '')", STEPS);
  ENDED("for w in string.gmatch(string.rep('a', 1e5), '.-.-.-b') do end",
        STEPS);
  ENDED("string.find(string.rep('a', 3e6), string.rep('a', 1e5) .. 'b', 1, "
        "true) string.find(string.rep('a', 1e6), '[' .. string.rep('x', "
        "1e5) .. ']*b')",
        STEPS);
  ENDED("for i = 1, 1e12 do pcall(string.find, string.rep('a', 1e4), "
        "'.-.-.-b') end",
        STEPS);
}
TEST(loops_in_c_count_against_the_budget) {
  ENDED("string.rep('', 1 << 62)", STEPS);
  ENDED("string.rep('', 1 << 62, '')", STEPS);
  ENDED("table.move({}, 1, 1 << 62, 2)", STEPS);
  ENDED("table.move({}, math.mininteger, math.maxinteger, 1)", STEPS);
  ENDED("table.concat({}, '', 1, 1 << 62)", STEPS);
  ENDED("table.insert(setmetatable({}, {__len = function() return 1 << 62 "
        "end}), 1, 'x')",
        STEPS);
  ENDED("table.remove(setmetatable({}, {__len = function() return 1 << 62 "
        "end}), 1)",
        STEPS);
  ENDED("table.sort(setmetatable({}, {__len = function() return 1 << 40 "
        "end}), rawequal)",
        STEPS);
  ENDED("table.concat(setmetatable({}, {__len = function() return 1 << 62 "
        "end}))",
        STEPS);
}
TEST(the_memory_cap_cannot_be_caught_in_a_loop) {
  valgrind_memory = 4 << 20;
  ENDED("for i = 1, 1e12 do pcall(function() local t = {} for j = 1, 1e9 do "
        "t[j] = j end end) end",
        MEMORY);
  ENDED("for i = 1, 1e12 do pcall(string.rep, 'x', 1 << 28) end", MEMORY);
  ENDED("for i = 1, 1e12 do coroutine.resume(coroutine.create(function() "
        "local t = {} for j = 1, 1e9 do t[j] = j end end)) end",
        MEMORY);
  valgrind_memory = 32 << 20;
}
TEST(gc_cannot_be_planted_through_index) {
  ck_db *db = fresh();
  int rc = ck_script(
      db,
      "local mt = setmetatable({}, {__index = function(t, k) rawset(t, k, "
      "function() while true do end end) end}) "
      "for i = 1, 100 do setmetatable({}, mt) end "
      "assert(rawget(mt, '__gc') == nil)",
      "gc");
  CHECK_INT(rc, CK_OK);
  /* the finalizer route: set after, never called (Lua marks an object for
     finalization only when its metatable has __gc at setmetatable) */
  CHECK_INT(ck_script(db,
                      "local mt = {} setmetatable({}, mt) mt.__gc = function() "
                      "while true do end end",
                      "gc"),
            CK_OK);
  CHECK_INT(ck_script(db, "setmetatable({}, {__gc = false})", "gc"),
            CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "__gc metamethods are not allowed");
  CHECK(usable(db));
  ck_close(db); /* returns: no finalizer runs */
}
TEST(a_function_can_replace_itself_while_it_runs) {
  ck_db *db = fresh();
  CHECK_INT(ck_script(db,
                      "ck.register{name = 'f', params = {'x'}, fn = "
                      "function(x) ck.register{name = 'f', params = {'x', "
                      "'y'}, fn = function(x, y) return 2 end} return 1 end}",
                      "self"),
            CK_OK);
  CHECK_STR(ck_call(db, "f", "[0]"), "1.0");
  CHECK_STR(ck_call(db, "f", "[0, 0]"), "2.0");
  /* and from Lua, the replaced entry still running further up */
  CHECK_INT(ck_script(db,
                      "ck.register{name = 'g', fn = function() ck.register{"
                      "name = 'g', fn = function() return 4 end} return "
                      "ck.g() end} assert(ck.g() == 4)",
                      "self"),
            CK_OK);
  ck_close(db);
}
TEST(register_frees_what_it_built_when_an_error_unwinds_it) {
  ck_db *db = fresh();
  /* Each error is raised after ck.register allocated its entry: memcheck
     reports a definite leak if one is not freed. */
  static const char *const bad[] = {
      "ck.register{name = 'h', params = {{name = 'a', type = 'bogus'}}, fn = "
      "print}",
      "ck.register{name = 'h', params = {'a', 7}, fn = print}",
      "ck.register{name = 'h', params = {{name = 'a', default = print}}, fn "
      "= print}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_INT(ck_script(db, bad[i], "leak"), CK_SCRIPT);
    CHECK_INT(ck_script(db, "pcall(function() ", "leak"), CK_SCRIPT);
  }
  CHECK_INT(ck_script(db, "for i = 1, 50 do pcall(ck.register, {name = 'h', "
                          "params = {'a', {}}, fn = print}) end",
                      "leak"),
            CK_OK);
  CHECK(usable(db));
  ck_close(db);
}
TEST(a_hostile_stored_script_ends_within_its_budget_on_open) {
  char path[32];
  check_temp_path(path);
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}"), CK_OK);
  ck_close(db);
  /* written by another tool: scripts run on import would refuse it */
  sqlite3 *raw;
  sqlite3_open(path, &raw);
  CHECK_INT(sqlite3_exec(raw,
                         "INSERT INTO scripts(name, lua, seq, record) VALUES "
                         "('evil', 'for i = 1, 1e12 do pcall(function() while "
                         "true do end end) end', 1, '{}')",
                         NULL, NULL, NULL),
            SQLITE_OK);
  sqlite3_close(raw);
  for (int flags = 0; flags <= CK_OPEN_READONLY; flags++) {
    CHECK_INT(ck_open(path, flags, &db), CK_SCRIPT);
    CHECK_CONTAINS(ck_errmsg(db), "stored script 'evil'");
    CHECK_CONTAINS(ck_errmsg(db), STEPS);
    CHECK(usable(db));
    ck_close(db);
  }
  check_remove_database(path);
}

/* Peak memory of a child that runs the script: what the library made for
   it must count against CK_LIMIT_LUA_MEMORY (64 MiB), not only Lua's own
   heap. */
static long child_peak_kib(const char *script, int *rc) {
  pid_t pid = fork();
  if (pid == 0) {
    ck_db *db = fresh();
    int r = ck_script(db, script, "memory");
    ck_close(db);
    _exit(r);
  }
  int status;
  struct rusage ru;
  wait4(pid, &status, 0, &ru);
  *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ru.ru_maxrss;
}

TEST(what_the_library_builds_for_a_script_counts_against_its_memory) {
  if (RUNNING_ON_VALGRIND)
    return; /* valgrind's own heap is in the peak */
  static const char *const bombs[] = {
      "ck.sql('SELECT randomblob(400000000)')",
      "ck.sql('SELECT zeroblob(400000000)')",
      "ck.quantities(string.rep('3亿 ', 2e6))",
      "ck.segments(string.rep('a\\n\\n', 1e6))",
      "ck.draft(string.rep('发言人1 00:01\\n3亿 ', 3e5))",
      "ck.sql('WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r "
      "LIMIT 3000000) SELECT x, x || \\'abcdefghijklmnopqrstuvwxyz\\' AS y "
      "FROM r')",
  };
  for (size_t i = 0; i < sizeof bombs / sizeof bombs[0]; i++) {
    int rc;
    long kib = child_peak_kib(bombs[i], &rc);
    if (rc != CK_SCRIPT || kib > 400 * 1024) {
      fprintf(stderr, "  %s: rc %d, peak %ld KiB (want CK_SCRIPT, < 400 MiB)\n",
              bombs[i], rc, kib);
      check_failures++;
    }
  }
}

/* ---- the pattern matcher against Lua's own -------------------------------- */

static const char probe[] =
    "local function ser(ok, ...)\n"
    "  local out = {ok and 'ok' or 'err'}\n"
    "  for i = 1, select('#', ...) do\n"
    "    local v = select(i, ...)\n"
    "    out[#out + 1] = math.type(v) or type(v)\n"
    "    out[#out + 1] = tostring(v)\n"
    "  end\n"
    "  return table.concat(out, '|')\n"
    "end\n"
    "local repl = {'<%0>', '%1%%', {a = 'X', b = false, ab = 1}, function(x, "
    "y) if x == 'c' then return nil end return (y or x):upper() end, '%2', "
    "'%', '%x'}\n"
    "function probe(f, s, p, a, b)\n"
    "  if f == 'find' then return ser(pcall(string.find, s, p, a, b == 1)) end\n"
    "  if f == 'match' then return ser(pcall(string.match, s, p, a)) end\n"
    "  if f == 'gsub' then\n"
    "    return ser(pcall(string.gsub, s, p, repl[b % #repl + 1], a > 0 and a "
    "or nil))\n"
    "  end\n"
    "  local ok, it = pcall(string.gmatch, s, p, a)\n"
    "  if not ok then return ser(false, it) end\n"
    "  local res = {}\n"
    "  for i = 1, 40 do\n"
    "    local r = table.pack(pcall(it))\n"
    "    res[#res + 1] = ser(table.unpack(r, 1, r.n))\n"
    "    if not r[1] or r.n == 1 then break end\n"
    "  end\n"
    "  return table.concat(res, '\\n')\n"
    "end\n"
    "ck = ck or {}\n"
    "if ck.register then\n"
    "  ck.register{name = 'probe', params = {'f', 's', 'p', 'a', 'b'}, fn = "
    "probe}\n"
    "end\n";

static unsigned long long rng = 88172645463325252ULL;
static unsigned next_rand(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

static void random_pattern(char *out, size_t cap) {
  static const char *const pieces[] = {
      "a",    "b",    "c",     ".",      "%a",    "%d",  "%s",   "%w",
      "%p",   "%A",   "%u",    "[ab]",   "[^a]",  "[a-c]", "[%a_]", "[]]",
      "[^]a]", "%b()", "%bab", "%f[%a]", "%f[%z]", "%1",  "%2",   "(",
      ")",    "()",   "*",     "+",      "-",     "?",   "%",    "[",
      "$",    "^",    "%.",    "%%",     "x",     "1",   " ",    "%0"};
  size_t n = 0;
  if (next_rand(4) == 0)
    out[n++] = '^';
  int items = (int)next_rand(7);
  for (int i = 0; i < items; i++) {
    const char *p = pieces[next_rand(sizeof pieces / sizeof pieces[0])];
    size_t l = strlen(p);
    if (n + l + 2 >= cap)
      break;
    memcpy(out + n, p, l);
    n += l;
  }
  if (next_rand(5) == 0)
    out[n++] = '$';
  out[n] = '\0';
}

static void random_subject(char *out) {
  static const char chars[] = "abc() _1.x\nA";
  int n = (int)next_rand(14);
  for (int i = 0; i < n; i++)
    out[i] = chars[next_rand(sizeof chars - 1)];
  out[n] = '\0';
}

static void json_string_into(char *out, size_t cap, const char *s) {
  size_t n = 0;
  out[n++] = '"';
  for (; *s && n + 8 < cap; s++) {
    if (*s == '"' || *s == '\\')
      out[n++] = '\\', out[n++] = *s;
    else if (*s == '\n')
      out[n++] = '\\', out[n++] = 'n';
    else
      out[n++] = *s;
  }
  out[n++] = '"';
  out[n] = '\0';
}

TEST(the_sandbox_matches_patterns_as_lua_does) {
  ck_db *db = fresh();
  CHECK_INT(ck_script(db, probe, "probe"), CK_OK);
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  CHECK_INT(luaL_loadbuffer(L, probe, strlen(probe), "=probe"), LUA_OK);
  CHECK_INT(lua_pcall(L, 0, 0, 0), LUA_OK);
  static const char *const fns[] = {"find", "match", "gmatch", "gsub"};
  int cases = RUNNING_ON_VALGRIND ? 300 : 12000, differ = 0, errors = 0;
  for (int i = 0; i < cases && differ < 5; i++) {
    char p[64], s[16], jp[160], js[64], args[320];
    random_pattern(p, sizeof p);
    random_subject(s);
    int a = (int)next_rand(9) - 3, b = (int)next_rand(7);
    const char *f = fns[i % 4];
    json_string_into(jp, sizeof jp, p);
    json_string_into(js, sizeof js, s);
    snprintf(args, sizeof args, "[\"%s\", %s, %s, %d, %d]", f, js, jp, a, b);
    const char *got = ck_call(db, "probe", args);
    lua_getglobal(L, "probe");
    lua_pushstring(L, f);
    lua_pushstring(L, s);
    lua_pushstring(L, p);
    lua_pushinteger(L, a);
    lua_pushinteger(L, b);
    lua_call(L, 5, 1);
    const char *want = lua_tostring(L, -1);
    /* the sandbox returns it as JSON text: compare without the quotes */
    char expect[4096];
    json_string_into(expect, sizeof expect, want);
    if (!got || strcmp(got, expect) != 0) {
      fprintf(stderr, "  %s(\"%s\", \"%s\", %d, %d):\n    sandbox %s\n    lua     %s\n",
              f, s, p, a, b, got ? got : ck_errmsg(db), expect);
      differ++;
    }
    errors += strstr(want, "err|") != NULL;
    lua_pop(L, 1);
  }
  CHECK_INT(differ, 0);
  CHECK(errors > cases / 50); /* the malformed patterns were tried too */
  lua_close(L);
  ck_close(db);
}

TEST(how_long_the_attacks_took) {
  printf("     %d attacks at the default limits, the longest took %.2f s\n",
         attacks, longest_attack);
}

CHECK_MAIN(T(pcall_cannot_catch_the_budget),
           T(xpcall_and_its_handler_cannot_catch_the_budget),
           T(a_coroutine_cannot_outlive_the_budget),
           T(a_coroutine_the_budget_ended_is_never_closed),
           T(a_close_handler_cannot_outlive_the_budget),
           T(load_cannot_catch_the_budget_in_its_reader),
           T(sql_counts_against_the_budget),
           T(pattern_backtracking_counts_against_the_budget),
           T(loops_in_c_count_against_the_budget),
           T(the_memory_cap_cannot_be_caught_in_a_loop),
           T(gc_cannot_be_planted_through_index),
           T(a_function_can_replace_itself_while_it_runs),
           T(register_frees_what_it_built_when_an_error_unwinds_it),
           T(a_hostile_stored_script_ends_within_its_budget_on_open),
           T(what_the_library_builds_for_a_script_counts_against_its_memory),
           T(the_sandbox_matches_patterns_as_lua_does),
           T(how_long_the_attacks_took))

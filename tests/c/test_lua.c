/*
** test_lua.c -- the sandboxed Lua host (docs/lua.md): one test per wall of
** the sandbox, each refused with CK_SCRIPT and the host and the database
** usable afterwards; functions registered from Lua called like built-ins;
** scripts stored in packs, run on import and on open.
*/
#include "check.h"

#include <claimkit.h>
#include <stdlib.h>
#include <unistd.h>

static ck_db *fresh(void) {
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK)
    abort();
  return db;
}

/* The script must fail with CK_SCRIPT and a message containing `part`;
   then the same handle still runs Lua and reads the database. */
static void refused(const char *script, const char *part, int line) {
  ck_db *db = fresh();
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}"), CK_OK);
  ck_limit(db, CK_LIMIT_LUA_STEPS, 2000000);
  int rc = ck_script(db, script, "wall");
  if (rc != CK_SCRIPT || !strstr(ck_errmsg(db), part)) {
    fprintf(stderr, "  line %d: gave %d \"%s\", want CK_SCRIPT \"%s\"\n", line,
            rc, ck_errmsg(db), part);
    check_failures++;
  }
  if (ck_script(db, "usable = (usable or 0) + 1 assert(usable == 1)",
                "after") != CK_OK) {
    fprintf(stderr, "  line %d: the host is not usable after: %s\n", line,
            ck_errmsg(db));
    check_failures++;
  }
  const char *stats = ck_call(db, "stats", NULL);
  if (!stats || !strstr(stats, "\"actors\":1")) {
    fprintf(stderr, "  line %d: the database is not usable after\n", line);
    check_failures++;
  }
  ck_close(db);
}
#define REFUSED(script, part) refused(script, part, __LINE__)

TEST(io_is_not_there) { REFUSED("io.open('/etc/passwd')", "'io'"); }
TEST(os_execute_is_not_there) {
  REFUSED("os.execute('true')", "execute");
}
TEST(os_exit_is_not_there) { REFUSED("os.exit(1)", "exit"); }
TEST(require_is_not_there) { REFUSED("require('os')", "require"); }
TEST(package_is_not_there) {
  REFUSED("package.loadlib('libc.so.6', 'system')", "package");
}
TEST(debug_is_not_there) { REFUSED("debug.getregistry()", "debug"); }
TEST(string_dump_is_not_there) {
  REFUSED("string.dump(function() end)", "dump");
}
TEST(binary_chunks_are_refused) {
  REFUSED("assert(load('\\27Lua\\x54\\0'))", "binary chunk");
  ck_db *db = fresh();
  CHECK_INT(ck_script(db, "\x1bLua\x54", "bin"), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "binary chunk");
  ck_close(db);
}
TEST(text_chunks_still_load) {
  ck_db *db = fresh();
  CHECK_INT(ck_script(db, "assert(load('return 40 + 2')() == 42)", "load"),
            CK_OK);
  ck_close(db);
}
TEST(dofile_is_not_there) { REFUSED("dofile('/etc/passwd')", "dofile"); }
TEST(loadfile_is_not_there) { REFUSED("loadfile('/etc/passwd')", "loadfile"); }
TEST(collectgarbage_stop_is_refused) {
  REFUSED("collectgarbage('stop')", "collectgarbage('stop') is not allowed");
  REFUSED("collectgarbage()", "is not allowed");
  ck_db *db = fresh();
  CHECK_INT(ck_script(db, "assert(collectgarbage('count') > 0)", "gc"), CK_OK);
  ck_close(db);
}
TEST(an_infinite_loop_hits_the_instruction_limit) {
  REFUSED("while true do end", "instruction limit exceeded");
}
TEST(an_infinite_loop_in_a_coroutine_hits_the_limit) {
  REFUSED("coroutine.wrap(function() while true do end end)()",
          "instruction limit exceeded");
}
TEST(an_infinite_loop_in_tostring_hits_the_limit) {
  REFUSED("local t = setmetatable({}, {__tostring = function() while true "
          "do end end}) print(tostring(t))",
          "instruction limit exceeded");
}
TEST(gc_metamethods_are_refused) {
  /* Lua runs finalizers with hooks off: a looping __gc could not be
     stopped, so none may be set. */
  REFUSED("setmetatable({}, {__gc = function() while true do end end}) "
          "collectgarbage('count')",
          "__gc metamethods are not allowed");
}
TEST(a_string_memory_bomb_hits_the_memory_limit) {
  REFUSED("local s = string.rep('x', 1 << 30)", "not enough memory");
}
TEST(a_table_memory_bomb_hits_the_memory_limit) {
  REFUSED("local t, s = {}, string.rep('x', 1 << 20) "
          "for i = 1, 1e9 do t[i] = s .. i end",
          "not enough memory");
}
TEST(unbounded_recursion_is_stopped) {
  REFUSED("local function f(n) return 1 + f(n + 1) end f(1)",
          "stack overflow");
}
TEST(an_error_object_with_a_looping_tostring_cannot_stop_the_host) {
  /* Turning the error into a message runs outside any protected call:
     calling __tostring there would abort the process. */
  REFUSED("error(setmetatable({}, {__tostring = function() while true do "
          "end end}))",
          "(an error object of type table)");
  REFUSED("error(42)", "error 42");
}

TEST(arguments_past_the_memory_limit_are_a_script_error) {
  ck_db *db = fresh();
  CHECK_INT(ck_script(db, "ck.register{name = 'len', params = {'s'}, fn = "
                          "function(s) return #s end}",
                      "len"),
            CK_OK);
  ck_limit(db, CK_LIMIT_LUA_MEMORY, 1 << 20);
  size_t n = 4 << 20;
  char *args = malloc(n + 8);
  memcpy(args, "[\"", 2);
  memset(args + 2, 'x', n);
  memcpy(args + 2 + n, "\"]", 3);
  CHECK(isnan(ck_num(db, "len", args)));
  CHECK_INT(ck_errcode(db), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "len: not enough memory");
  ck_limit(db, CK_LIMIT_LUA_MEMORY, 64 << 20);
  CHECK_NEAR(ck_num(db, "len", args), (double)n, 0);
  free(args);
  ck_close(db);
}

TEST(errors_name_the_chunk_and_line) {
  ck_db *db = fresh();
  CHECK_INT(ck_script(db, "local x = 1\nerror('boom')", "watchlist"),
            CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "watchlist:2: boom");
  CHECK_INT(ck_script(db, "x = = 1", "syntax"), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "syntax:1:");
  ck_close(db);
}
TEST(limits_are_read_per_call) {
  ck_db *db = fresh();
  ck_limit(db, CK_LIMIT_LUA_STEPS, 10000);
  CHECK_INT(ck_script(db, "for i = 1, 1e6 do end", "slow"), CK_SCRIPT);
  ck_limit(db, CK_LIMIT_LUA_STEPS, 100000000);
  CHECK_INT(ck_script(db, "for i = 1, 1e6 do end", "slow"), CK_OK);
  ck_close(db);
}

#define PACK                                                                   \
  "{\"actors\": [{\"id\": \"a\"}, {\"id\": \"b\"}], \"questions\": "          \
  "[{\"id\": \"q\"}], \"claims\": [{\"actor\": \"a\", \"question\": \"q\", "  \
  "\"stance\": 2}, {\"actor\": \"b\", \"question\": \"q\", \"stance\": 1}]}"

TEST(lua_calls_every_registry_function) {
  ck_db *db = fresh();
  CHECK_INT(ck_import_json(db, PACK), CK_OK);
  CHECK_INT(ck_script(db,
                      "assert(ck.consensus('q', 'mean') == 1.5)\n"
                      "assert(ck.consensus{question = 'q', measure = 'n'} == 2)\n"
                      "assert(ck.quantity('两百多亿美元', 0, 'hi') == 3e10)\n"
                      "assert(ck.quantity('超过3亿', 0, 'hi') == math.huge)\n"
                      "assert(ck.views('q')[1].actor == 'a')\n"
                      "assert(ck.stats().views == 2)\n"
                      "local ok, err = pcall(ck.consensus, 'nope')\n"
                      "assert(not ok and err:find(\"no question 'nope'\"))\n"
                      "assert(ck.no_such_function == nil)",
                      "calls"),
            CK_OK);
  ck_close(db);
}

static const char *const REGISTER =
    "ck.register{name = 'spread', doc = 'Max stance minus min stance.',\n"
    "  returns = 'number',\n"
    "  params = {{name = 'question', type = 'string', doc = 'question id'},\n"
    "            {name = 'scale', type = 'number', default = 1, doc = 'x'}},\n"
    "  fn = function(q, scale)\n"
    "    local lo, hi = math.huge, -math.huge\n"
    "    for _, v in ipairs(ck.views(q)) do\n"
    "      lo = math.min(lo, v.stance); hi = math.max(hi, v.stance)\n"
    "    end\n"
    "    if lo > hi then error('no views on ' .. q) end\n"
    "    return (hi - lo) * scale\n"
    "  end}\n"
    "ck.register{name = 'who', params = {'question'},\n"
    "  fn = function(q) local t = {} for _, v in ipairs(ck.views(q)) do\n"
    "    t[#t + 1] = v.actor end return t end}";

TEST(a_function_registered_from_lua_is_a_registry_function) {
  ck_db *db = fresh();
  CHECK_INT(ck_import_json(db, PACK), CK_OK);
  CHECK_INT(ck_script(db, REGISTER, "register"), CK_OK);
  const char *f = ck_functions(db);
  CHECK_CONTAINS(f, "{\"name\":\"spread\",\"doc\":\"Max stance minus min "
                    "stance.\",\"returns\":\"number\",\"params\":[{\"name\":"
                    "\"question\",\"type\":\"string\",\"doc\":\"question id\"},"
                    "{\"name\":\"scale\",\"type\":\"number\",\"doc\":\"x\","
                    "\"default\":1}]}");
  CHECK_NEAR(ck_num(db, "spread", "[\"q\"]"), 1, 0);
  CHECK_NEAR(ck_num(db, "spread", "{\"question\": \"q\", \"scale\": 10}"), 10,
             0);
  CHECK_STR(ck_call(db, "who", "[\"q\"]"), "[\"a\",\"b\"]");
  /* its errors: bad arguments are the registry's, failures the script's */
  CHECK(isnan(ck_num(db, "spread", "[]")));
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "spread: missing argument 'question'");
  CHECK_INT(ck_import_json(db, "{\"questions\": [{\"id\": \"q9\"}]}"), CK_OK);
  CHECK(isnan(ck_num(db, "spread", "[\"q9\"]")));
  CHECK_INT(ck_errcode(db), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "spread: register:10: no views on q9");
  /* Lua calls it too, and it can be replaced; built-ins cannot */
  CHECK_INT(ck_script(db, "assert(ck.spread('q', 2) == 2)", "use"), CK_OK);
  CHECK_INT(ck_script(db, "ck.register{name = 'spread', fn = function() "
                          "return 7 end}",
                      "again"),
            CK_OK);
  CHECK_NEAR(ck_num(db, "spread", NULL), 7, 0);
  CHECK_INT(ck_script(db, "ck.register{name = 'value', fn = print}", "x"),
            CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "'value' is a built-in function");
  CHECK_INT(ck_script(db, "ck.register{name = 'Bad Name', fn = print}", "x"),
            CK_SCRIPT);
  CHECK_INT(ck_script(db, "ck.register{name = 'f', params = {{name = 'x', "
                          "type = 'date'}}, fn = print}",
                      "x"),
            CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "type 'date' is not one of");
  ck_close(db);
}

TEST(a_lua_function_that_loops_is_stopped_and_the_host_goes_on) {
  ck_db *db = fresh();
  ck_limit(db, CK_LIMIT_LUA_STEPS, 100000);
  CHECK_INT(ck_script(db, "ck.register{name = 'spin', fn = function() while "
                          "true do end end}",
                      "spin"),
            CK_OK);
  CHECK(isnan(ck_num(db, "spin", NULL)));
  CHECK_INT(ck_errcode(db), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "instruction limit exceeded");
  CHECK(ck_call(db, "stats", NULL) != NULL);
  ck_close(db);
}

static char *pack_with_script(const char *lua) {

  char *buf = malloc(strlen(lua) * 2 + 512);
  char *p = buf + sprintf(buf, "{\"actors\": [{\"id\": \"a\"}], \"scripts\": "
                               "[{\"name\": \"watch\", \"lua\": \"");
  for (const char *s = lua; *s; s++) {
    if (*s == '"' || *s == '\\')
      *p++ = '\\';
    if (*s == '\n') {
      *p++ = '\\';
      *p++ = 'n';
      continue;
    }
    *p++ = *s;
  }
  strcpy(p, "\"}]}");
  return buf;
}

TEST(pack_scripts_run_on_import_and_again_on_open) {
  char path[32];
  check_temp_path(path);
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  char *pack = pack_with_script(
      "ck.register{name = 'actor_count', fn = function() return "
      "ck.stats().actors end}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_NEAR(ck_num(db, "actor_count", NULL), 1, 0);
  ck_close(db);
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
  CHECK_NEAR(ck_num(db, "actor_count", NULL), 1, 0);
  CHECK_CONTAINS(ck_functions(db), "\"name\":\"actor_count\"");
  ck_close(db);
  free(pack);
  unlink(path);
}

TEST(a_failing_pack_script_refuses_the_import) {
  ck_db *db = fresh();
  char *pack = pack_with_script("local x = 1\nerror('not today')");
  CHECK_INT(ck_import_json(db, pack), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "script 'watch': watch:2: not today");
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"actors\":0,");
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"scripts\":0,");
  free(pack);
  ck_close(db);
}

TEST(a_failing_stored_script_is_reported_on_open_and_the_data_stays) {
  char path[32];
  check_temp_path(path);
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  char *pack = pack_with_script("if ck.stats().questions > 0 then "
                                "error('questions!') end");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_INT(ck_import_json(db, "{\"questions\": [{\"id\": \"q\"}]}"), CK_OK);
  ck_close(db);
  CHECK_INT(ck_open(path, 0, &db), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "stored script 'watch': watch:1: questions!");
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"questions\":1");
  ck_close(db);
  free(pack);
  unlink(path);
}

CHECK_MAIN(T(io_is_not_there), T(os_execute_is_not_there),
           T(os_exit_is_not_there), T(require_is_not_there),
           T(package_is_not_there), T(debug_is_not_there),
           T(string_dump_is_not_there), T(binary_chunks_are_refused),
           T(text_chunks_still_load), T(dofile_is_not_there),
           T(loadfile_is_not_there), T(collectgarbage_stop_is_refused),
           T(an_infinite_loop_hits_the_instruction_limit),
           T(an_infinite_loop_in_a_coroutine_hits_the_limit),
           T(an_infinite_loop_in_tostring_hits_the_limit),
           T(gc_metamethods_are_refused),
           T(a_string_memory_bomb_hits_the_memory_limit),
           T(a_table_memory_bomb_hits_the_memory_limit),
           T(unbounded_recursion_is_stopped),
           T(an_error_object_with_a_looping_tostring_cannot_stop_the_host),
           T(arguments_past_the_memory_limit_are_a_script_error),
           T(errors_name_the_chunk_and_line), T(limits_are_read_per_call),
           T(lua_calls_every_registry_function),
           T(a_function_registered_from_lua_is_a_registry_function),
           T(a_lua_function_that_loops_is_stopped_and_the_host_goes_on),
           T(pack_scripts_run_on_import_and_again_on_open),
           T(a_failing_pack_script_refuses_the_import),
           T(a_failing_stored_script_is_reported_on_open_and_the_data_stays))

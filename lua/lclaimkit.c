/*
** lclaimkit.c -- `require "claimkit"` for the system lua5.4: claim
** databases from ordinary (unsandboxed) Lua, through the public C API only.
**
**   local claimkit = require "claimkit"
**   local db <close> = claimkit.open("claims.db")      -- or (path, "r")
**   db:import("examples/deepseek-v4/claims.json")       -- a path, or JSON text
**   print(db:consensus("open-closed-parity", "cns"))    -- every registry function
**   print(db:export("region=overseas"))
**   db:report{output = "report.html"}                    -- lua/report.lua
**
** Errors are Lua errors whose message ends with the status code, e.g.
** "consensus: no question 'x' (CK_NOTFOUND)".
*/
#include "lclaimkit.h"

#include "lua_json.h"
#include "report.h" /* report_lua[]: lua/report.lua, made at build time */

#include <claimkit.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#define DB_TYPE "claimkit.db"

typedef struct ldb {
  ck_db *db;
} ldb;

/* The library's name for a code: a code newer than this module still has
   its name. */
static const char *code_name(int rc) {
  const char *name = ck_errname(rc);
  return name ? name : "CK_?";
}

static int raise(lua_State *L, ck_db *db) {
  return luaL_error(L, "%s (%s)", ck_errmsg(db), code_name(ck_errcode(db)));
}

static ck_db *check_db(lua_State *L, int idx) {
  ldb *d = luaL_checkudata(L, idx, DB_TYPE);
  if (!d->db)
    luaL_error(L, "the database is closed (CK_MISUSE)");
  return d->db;
}

static int l_open(lua_State *L) {
  const char *path = luaL_optstring(L, 1, ":memory:");
  const char *mode = luaL_optstring(L, 2, "rw");
  int flags = 0;
  if (strcmp(mode, "r") == 0)
    flags = CK_OPEN_READONLY;
  else if (strcmp(mode, "rw") != 0)
    return luaL_error(L, "claimkit.open: mode must be \"r\" or \"rw\", not "
                         "\"%s\" (CK_INVALID)", mode);
  ldb *d = lua_newuserdatauv(L, sizeof *d, 0);
  d->db = NULL;
  luaL_setmetatable(L, DB_TYPE);
  ck_db *db;
  int rc = ck_open(path, flags, &db);
  if (!db)
    return luaL_error(L, "claimkit.open: out of memory (CK_NOMEM)");
  if (rc != CK_OK && rc != CK_SCRIPT) {
    lua_pushfstring(L, "claimkit.open: %s (%s)", ck_errmsg(db), code_name(rc));
    ck_close(db);
    return lua_error(L);
  }
  d->db = db;
  if (rc == CK_SCRIPT) /* open, but a stored script failed: say so */
    lua_warning(L, ck_errmsg(db), 0);
  return 1;
}

static int l_close(lua_State *L) {
  ldb *d = luaL_checkudata(L, 1, DB_TYPE);
  ck_db *db = d->db;
  d->db = NULL; /* first: a Ctrl-C handler reading it must not see it closing */
  ck_close(db);
  return 0;
}

ck_db *volatile *ckl_handle(lua_State *L, int idx) {
  return (ck_db *volatile *)&((ldb *)luaL_checkudata(L, idx, DB_TYPE))->db;
}

#define IMPORT_FILE_KEY "claimkit.import_file"

/* A function pointer cannot travel as a light userdata in ISO C: it is
   kept in a full one. */
void ckl_set_import_file(lua_State *L, ckl_import_file_fn fn) {
  ckl_import_file_fn *slot = lua_newuserdatauv(L, sizeof fn, 0);
  *slot = fn;
  lua_setfield(L, LUA_REGISTRYINDEX, IMPORT_FILE_KEY);
}

static ckl_import_file_fn import_file_fn(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, IMPORT_FILE_KEY);
  ckl_import_file_fn *slot = lua_touserdata(L, -1);
  ckl_import_file_fn fn = slot ? *slot : ck_import_file;
  lua_pop(L, 1);
  return fn;
}

static int l_import(lua_State *L) {
  ck_db *db = check_db(L, 1);
  const char *s = luaL_checkstring(L, 2);
  const char *p = s;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  /* JSON text starts with an object; anything else is a file name. */
  int rc = *p == '{' ? ck_import_json(db, s) : import_file_fn(L)(db, s);
  if (rc != CK_OK)
    return raise(L, db);
  return 0;
}

static int l_export(lua_State *L) {
  ck_db *db = check_db(L, 1);
  const char *out = ck_export_json(db, luaL_optstring(L, 2, ""));
  if (!out)
    return raise(L, db);
  lua_pushstring(L, out);
  return 1;
}

/* db:sync(conninfo): a desk's hub (docs/hub.md). */
static int l_sync(lua_State *L) {
  ck_db *db = check_db(L, 1);
  if (ck_sync(db, luaL_checkstring(L, 2)) != CK_OK)
    return raise(L, db);
  return 0;
}

static int l_script(lua_State *L) {
  ck_db *db = check_db(L, 1);
  if (ck_script(db, luaL_checkstring(L, 2), luaL_optstring(L, 3, "script")) !=
      CK_OK)
    return raise(L, db);
  return 0;
}

static int l_limit(lua_State *L) {
  ck_db *db = check_db(L, 1);
  long long old = ck_limit(db, (int)luaL_checkinteger(L, 2),
                           (long long)luaL_optinteger(L, 3, -1));
  if (old < 0)
    return raise(L, db);
  lua_pushinteger(L, (lua_Integer)old);
  return 1;
}

static int push_json_text(lua_State *L, const char *text) {
  json_error_t err;
  json_t *v = json_loads(text, JSON_DECODE_ANY, &err);
  if (!v)
    return luaL_error(L, "claimkit: bad JSON from the library: %s", err.text);
  ckl_push_json(L, v);
  json_decref(v);
  return 1;
}

static int l_functions(lua_State *L) {
  ck_db *db = check_db(L, 1);
  const char *f = ck_functions(db);
  if (!f)
    return raise(L, db);
  return push_json_text(L, f);
}

/* Calls registry function `name` with the Lua arguments first..top. */
int ckl_call(lua_State *L, ck_db *db, const char *name, int first) {
  char err[256];
  json_t *args = ckl_args_json(L, first, err, sizeof err);
  if (!args)
    return luaL_error(L, "%s: %s (CK_INVALID)", name, err);
  char *text = json_dumps(args, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(args);
  if (!text)
    return luaL_error(L, "%s: out of memory (CK_NOMEM)", name);
  const char *out = ck_call(db, name, text);
  free(text);
  if (out && strcmp(out, "null") == 0) {
    /* JSON writes +-inf and NaN as null: read the number of that same
       result (a function whose result is null gets nil). */
    double d = ck_last_num(db);
    if (ck_errcode(db) == CK_OK)
      lua_pushnumber(L, d);
    else
      lua_pushnil(L);
    return 1;
  }
  if (!out)
    return raise(L, db);
  return push_json_text(L, out);
}

static int l_call(lua_State *L) {
  ck_db *db = check_db(L, 1);
  const char *name = luaL_checkstring(L, 2);
  return ckl_call(L, db, name, 3);
}

/* db:<registry function>(...), through a closure named by upvalue 1. */
static int l_method(lua_State *L) {
  ck_db *db = check_db(L, 1);
  return ckl_call(L, db, lua_tostring(L, lua_upvalueindex(1)), 2);
}

/* db:report([options | output path]): the page and the dashboard of
   report.lua, which is handed the database, the options and the module. */
static int l_report(lua_State *L) {
  check_db(L, 1);
  if (lua_isstring(L, 2)) { /* db:report("report.html") */
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "output");
    lua_replace(L, 2);
  } else if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
  }
  lua_settop(L, 2);
  if (luaL_loadbuffer(L, (const char *)report_lua, sizeof report_lua - 1,
                      "=report.lua") !=
      LUA_OK)
    return lua_error(L);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, "claimkit"); /* require and luaL_requiref put it there */
  lua_remove(L, -2);
  if (!lua_istable(L, -1))
    return luaL_error(L, "report: the claimkit module is not loaded");
  lua_call(L, 3, 2);
  return 2;
}

static const luaL_Reg db_methods[] = {
    {"import", l_import},   {"export", l_export}, {"sync", l_sync}, {"script", l_script},
    {"limit", l_limit},     {"functions", l_functions}, {"call", l_call},
    {"close", l_close},     {"report", l_report}, {NULL, NULL}};

static int l_index(lua_State *L) {
  luaL_checkudata(L, 1, DB_TYPE);
  const char *key = luaL_checkstring(L, 2);
  lua_getfield(L, lua_upvalueindex(1), key); /* a method of the module */
  if (!lua_isnil(L, -1))
    return 1;
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, l_method, 1);
  return 1;
}

static int l_tostring(lua_State *L) {
  ldb *d = luaL_checkudata(L, 1, DB_TYPE);
  lua_pushfstring(L, "claimkit.db (%s)", d->db ? "open" : "closed");
  return 1;
}

int luaopen_claimkit(lua_State *L) {
  if (ck_version_number() < CK_VERSION_NUMBER)
    return luaL_error(L, "claimkit: library %s is older than this module "
                         "(%s)", ck_version(), CK_VERSION);
  luaL_newmetatable(L, DB_TYPE);
  luaL_newlib(L, db_methods);
  lua_pushcclosure(L, l_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, l_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);

  lua_createtable(L, 0, 4);
  lua_pushcfunction(L, l_open);
  lua_setfield(L, -2, "open");
  lua_pushstring(L, ck_version());
  lua_setfield(L, -2, "version");
  static const struct {
    const char *name;
    int value;
  } limits[] = {{"LIMIT_LUA_MEMORY", CK_LIMIT_LUA_MEMORY},
                {"LIMIT_LUA_STEPS", CK_LIMIT_LUA_STEPS},
                {"LIMIT_BUSY_MS", CK_LIMIT_BUSY_MS}};
  for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
    lua_pushinteger(L, limits[i].value);
    lua_setfield(L, -2, limits[i].name);
  }
  return 1;
}

/*
** lua_host.c -- the sandboxed Lua 5.4 state of a handle (DESIGN §6).
**
** One state per ck_db, made on first use.  It has the base library without
** dofile, loadfile and binary chunks, collectgarbage("count") only,
** string (without dump), table, math, utf8, coroutine, and os.time/clock/
** date/difftime; no io, package, debug or the rest of os.  A global `ck` calls
** every registry function and registers new ones with ck.register{}.
**
** Limits hold per call from outside (ck_script, ck_call of a Lua function,
** a pack's script): memory through the state's own allocator, VM
** instructions through a count hook.  Lua runs finalizers with hooks off,
** so setmetatable refuses __gc: a finalizer could otherwise loop forever.
** Every error unwinds through lua_pcall, so the state and the database
** stay usable after any of them.
*/
#include "internal.h"
#include "lua_json.h"

#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOOK_EVERY 1000 /* instructions between two looks at the count */

/* A function registered from Lua: the registry entry and its Lua value. */
typedef struct lua_function {
  ck_function fn; /* first, so a ck_function * is a lua_function * */
  int ref;        /* the function, in the Lua registry */
} lua_function;

struct lua_host {
  lua_State *L;
  ck_db *db;
  size_t used;     /* bytes the state holds */
  long long steps; /* instructions in the current outside call */
  int depth;       /* nesting of calls into Lua */
};

static lua_host *host_of(lua_State *L) {
  return *(lua_host **)lua_getextraspace(L);
}

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  lua_host *h = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    h->used -= old;
    return NULL;
  }
  if (nsize > old && h->db->lua_memory >= 0 &&
      h->used - old + nsize > (size_t)h->db->lua_memory)
    return NULL; /* Lua raises "not enough memory" */
  void *p = realloc(ptr, nsize);
  if (p)
    h->used = h->used - old + nsize;
  return p;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_host *h = host_of(L);
  h->steps += HOOK_EVERY;
  if (h->steps > h->db->lua_steps)
    luaL_error(L, "instruction limit exceeded (%I steps; CK_LIMIT_LUA_STEPS)",
               (lua_Integer)h->db->lua_steps);
}

/* ---- the sandbox's own versions of risky functions --------------------- */

/* load, text chunks only. */
static int sandbox_load(lua_State *L) {
  int n = lua_gettop(L);
  if (n > 4)
    lua_settop(L, n = 4);
  if (n < 3)
    lua_settop(L, n = 3);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

static int sandbox_collectgarbage(lua_State *L) {
  const char *opt = luaL_optstring(L, 1, "collect");
  if (strcmp(opt, "count") != 0)
    return luaL_error(L, "collectgarbage('%s') is not allowed in the sandbox",
                      opt);
  lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) +
                        lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
  return 1;
}

static int sandbox_setmetatable(lua_State *L) {
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "__gc");
    if (!lua_isnil(L, -1))
      return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* ---- ck.* ---------------------------------------------------------------- */

/* Pushes a registry result. */
static void push_result(lua_State *L, const ck_result *r) {
  if (r->is_num)
    lua_pushnumber(L, r->num);
  else
    ckl_push_json(L, r->json);
}

/* ck.<name>(...): the registry function named by upvalue 1. */
static int ck_function_call(lua_State *L) {
  lua_host *h = host_of(L);
  const char *name = lua_tostring(L, lua_upvalueindex(1));
  char err[256];
  json_t *args = ckl_args_json(L, 1, err, sizeof err);
  if (!args)
    return luaL_error(L, "%s: %s", name, err);
  char *text = json_dumps(args, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(args);
  if (!text)
    return luaL_error(L, "%s: out of memory", name);
  ck_result r;
  int rc = registry_call(h->db, name, text, &r);
  free(text);
  if (rc != CK_OK) {
    lua_pushstring(L, h->db->errmsg);
    return lua_error(L);
  }
  push_result(L, &r);
  result_clear(&r);
  return 1;
}

static int ck_index(lua_State *L) {
  lua_host *h = host_of(L);
  const char *name = luaL_checkstring(L, 2);
  if (!registry_find(h->db, name))
    return 0; /* nil: calling it gives Lua's own "attempt to call a nil" */
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, ck_function_call, 1);
  return 1;
}

static const char *const param_types[] = {
    "string", "number", "integer", "boolean", "array", "object", "any", NULL};

/* A copy that the registry owns; NULL on no memory. */
static char *own(const char *s) { return s ? strdup(s) : NULL; }

static int field_string(lua_State *L, int t, const char *key, int required,
                        const char **out) {
  lua_getfield(L, t, key);
  *out = NULL;
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    if (required)
      return luaL_error(L, "ck.register: '%s' is required", key);
    return 0;
  }
  if (lua_type(L, -1) != LUA_TSTRING)
    return luaL_error(L, "ck.register: '%s' must be a string, not a %s", key,
                      luaL_typename(L, -1));
  *out = lua_tostring(L, -1);
  lua_pop(L, 1); /* the string stays alive: it is held by the table */
  return 0;
}

static void free_function(ck_function *fn) {
  if (!fn)
    return;
  /* fn is the first member of a lua_function: free that. */
  free((char *)fn->name);
  free((char *)fn->doc);
  free((char *)fn->returns);
  for (int i = 0; i < fn->nparams; i++) {
    free((char *)fn->params[i].name);
    free((char *)fn->params[i].type);
    free((char *)fn->params[i].def);
    free((char *)fn->params[i].doc);
  }
  free((lua_function *)fn);
}

static int valid_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
          s[i] == '_'))
      return 0;
  return 1;
}

/* ck.register{name=, params={...}, doc=, returns=, fn=} */
static int ck_register(lua_State *L) {
  lua_host *h = host_of(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *name, *doc, *returns;
  field_string(L, 1, "name", 1, &name);
  field_string(L, 1, "doc", 0, &doc);
  field_string(L, 1, "returns", 0, &returns);
  if (!valid_name(name))
    return luaL_error(L, "ck.register: '%s' is not a function name "
                         "(a-z, 0-9 and _, starting with a letter)", name);
  const ck_function *existing = registry_find(h->db, name);
  if (existing && existing->impl)
    return luaL_error(L, "ck.register: '%s' is a built-in function", name);
  lua_getfield(L, 1, "fn");
  if (!lua_isfunction(L, -1))
    return luaL_error(L, "ck.register: 'fn' must be a function");
  lua_pop(L, 1);
  lua_function *lf = calloc(1, sizeof *lf);
  if (!lf)
    return luaL_error(L, "ck.register: out of memory");
  ck_function *fn = &lf->fn;
  fn->name = own(name);
  fn->doc = own(doc ? doc : "");
  fn->returns = own(returns ? returns : "any");
  if (!fn->name || !fn->doc || !fn->returns) {
    free_function(fn);
    return luaL_error(L, "ck.register: out of memory");
  }
  lua_getfield(L, 1, "params");
  if (!lua_isnil(L, -1) && !lua_istable(L, -1)) {
    free_function(fn);
    return luaL_error(L, "ck.register: 'params' must be a list");
  }
  int nparams = lua_isnil(L, -1) ? 0 : (int)lua_rawlen(L, -1);
  if (nparams > CK_MAX_PARAMS) {
    free_function(fn);
    return luaL_error(L, "ck.register: at most %d params", CK_MAX_PARAMS);
  }
  int params = lua_gettop(L);
  const char *problem = NULL;
  char buf[256];
  for (int i = 0; i < nparams && !problem; i++) {
    ck_param *p = &fn->params[i];
    fn->nparams = i + 1;
    lua_rawgeti(L, params, i + 1);
    if (lua_type(L, -1) == LUA_TSTRING) { /* a bare name: any, required */
      p->name = own(lua_tostring(L, -1));
      p->type = own("any");
      p->doc = own("");
    } else if (lua_istable(L, -1)) {
      int t = lua_gettop(L);
      lua_getfield(L, t, "name");
      lua_getfield(L, t, "type");
      lua_getfield(L, t, "doc");
      const char *pname = lua_tostring(L, -3), *ptype = lua_tostring(L, -2);
      p->name = own(pname);
      p->type = own(ptype ? ptype : "any");
      p->doc = own(lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
      lua_pop(L, 3);
      lua_getfield(L, t, "default");
      if (!lua_isnil(L, -1)) {
        char err[128];
        json_t *d = ckl_to_json(L, -1, err, sizeof err);
        char *text = d ? json_dumps(d, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        json_decref(d);
        p->def = text ? own(text) : NULL;
        free(text);
        if (!p->def) {
          snprintf(buf, sizeof buf, "param %d: default: %s", i + 1, err);
          problem = buf;
        }
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (problem)
      break;
    if (!p->type || !p->doc) {
      snprintf(buf, sizeof buf, "out of memory");
      problem = buf;
    } else if (!p->name || !valid_name(p->name)) {
      snprintf(buf, sizeof buf, "param %d needs a name (a-z, 0-9, _)", i + 1);
      problem = buf;
    } else {
      int ok = 0;
      for (const char *const *ty = param_types; *ty; ty++)
        ok |= strcmp(*ty, p->type) == 0;
      if (!ok) {
        snprintf(buf, sizeof buf,
                 "param '%.40s': type '%.40s' is not one of string, number, "
                 "integer, boolean, array, object, any",
                 p->name, p->type);
        problem = buf;
      }
    }
  }
  lua_pop(L, 1);
  if (problem) {
    free_function(fn);
    return luaL_error(L, "ck.register: %s: %s", name, problem);
  }
  lua_getfield(L, 1, "fn");
  lf->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  ck_function *old = NULL;
  if (registry_add(h->db, fn, &old) != CK_OK) {
    luaL_unref(L, LUA_REGISTRYINDEX, lf->ref);
    free_function(fn);
    return luaL_error(L, "ck.register: out of memory");
  }
  if (old) {
    luaL_unref(L, LUA_REGISTRYINDEX, ((lua_function *)old)->ref);
    free_function(old);
  }
  return 0;
}

/* ---- the state ----------------------------------------------------------- */

static void open_library(lua_State *L, const char *name, lua_CFunction open) {
  luaL_requiref(L, name, open, 1);
  lua_pop(L, 1);
}

static int build_sandbox(lua_State *L) {
  open_library(L, LUA_GNAME, luaopen_base);
  open_library(L, LUA_STRLIBNAME, luaopen_string);
  open_library(L, LUA_TABLIBNAME, luaopen_table);
  open_library(L, LUA_MATHLIBNAME, luaopen_math);
  open_library(L, LUA_UTF8LIBNAME, luaopen_utf8);
  open_library(L, LUA_COLIBNAME, luaopen_coroutine);
  open_library(L, LUA_OSLIBNAME, luaopen_os);

  lua_pushglobaltable(L);
  int g = lua_gettop(L);
  static const char *const removed[] = {"dofile", "loadfile", "require",
                                        "package", "io", "debug", NULL};
  for (const char *const *r = removed; *r; r++) {
    lua_pushnil(L);
    lua_setfield(L, g, *r);
  }
  lua_getfield(L, g, "load");
  lua_pushcclosure(L, sandbox_load, 1);
  lua_setfield(L, g, "load");
  lua_getfield(L, g, "setmetatable");
  lua_pushcclosure(L, sandbox_setmetatable, 1);
  lua_setfield(L, g, "setmetatable");
  lua_pushcfunction(L, sandbox_collectgarbage);
  lua_setfield(L, g, "collectgarbage");

  lua_getfield(L, g, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);

  /* os: the clock and the calendar, nothing that touches the system. */
  lua_getfield(L, g, "os");
  lua_createtable(L, 0, 4);
  static const char *const kept[] = {"time", "clock", "date", "difftime",
                                     NULL};
  for (const char *const *k = kept; *k; k++) {
    lua_getfield(L, -2, *k);
    lua_setfield(L, -2, *k);
  }
  lua_setfield(L, g, "os");
  lua_pop(L, 1);

  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, ck_register);
  lua_setfield(L, -2, "register");
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, ck_index);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setfield(L, g, "ck");
  lua_pop(L, 1);
  return 0;
}

static int host_get(ck_db *db, lua_host **out) {
  if (db->lua) {
    *out = db->lua;
    return CK_OK;
  }
  lua_host *h = calloc(1, sizeof *h);
  if (!h)
    return db_error(db, CK_NOMEM, "out of memory");
  h->db = db;
  h->L = lua_newstate(limited_alloc, h);
  if (!h->L) {
    free(h);
    return db_error(db, CK_SCRIPT,
                    "cannot create the Lua state (CK_LIMIT_LUA_MEMORY %lld)",
                    db->lua_memory);
  }
  *(lua_host **)lua_getextraspace(h->L) = h;
  lua_pushcfunction(h->L, build_sandbox);
  if (lua_pcall(h->L, 0, 0, 0) != LUA_OK) {
    db_error(db, CK_SCRIPT, "cannot build the Lua sandbox: %s",
             lua_tostring(h->L, -1));
    lua_close(h->L);
    free(h);
    return CK_SCRIPT;
  }
  lua_sethook(h->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
  db->lua = h;
  *out = h;
  return CK_OK;
}

void lua_host_close(ck_db *db) {
  if (!db->lua)
    return;
  lua_close(db->lua->L);
  free(db->lua);
  db->lua = NULL;
}

void lua_host_forget(ck_function *fn) { free_function(fn); }

/* Enters Lua from outside: the limits count from here. */
static void enter(lua_host *h) {
  if (h->depth++ == 0)
    h->steps = 0;
}

static void leave(lua_host *h) { h->depth--; }

/* The error on the stack top as the handle's message.  This runs outside
   any protected call, where a Lua error would abort the process: so no
   metamethod (__tostring could loop) and no allocation. */
static int script_error(ck_db *db, lua_State *L, const char *prefix) {
  int t = lua_type(L, -1);
  if (t == LUA_TSTRING)
    db_error(db, CK_SCRIPT, "%s%s", prefix, lua_tostring(L, -1));
  else if (t == LUA_TNUMBER && lua_isinteger(L, -1))
    db_error(db, CK_SCRIPT, "%serror %lld", prefix,
             (long long)lua_tointeger(L, -1));
  else if (t == LUA_TNUMBER)
    db_error(db, CK_SCRIPT, "%serror %g", prefix, (double)lua_tonumber(L, -1));
  else
    db_error(db, CK_SCRIPT, "%s(an error object of type %s)", prefix,
             lua_typename(L, t));
  lua_pop(L, 1);
  return CK_SCRIPT;
}

int lua_host_run(ck_db *db, const char *src, size_t len, const char *chunkname,
                 const char *prefix) {
  lua_host *h;
  int rc = host_get(db, &h);
  if (rc != CK_OK)
    return rc;
  lua_State *L = h->L;
  char name[256];
  snprintf(name, sizeof name, "=%s", chunkname && *chunkname ? chunkname
                                                             : "script");
  enter(h);
  int top = lua_gettop(L);
  if (luaL_loadbufferx(L, src, len, name, "t") != LUA_OK ||
      lua_pcall(L, 0, 0, 0) != LUA_OK)
    rc = script_error(db, L, prefix ? prefix : "");
  lua_settop(L, top);
  leave(h);
  return rc;
}

/* What lua_host_call hands to, and gets back from, protected_call. */
typedef struct call_frame {
  const lua_function *fn;
  json_t *const *args;
  ck_result *out;
} call_frame;

/* Everything that can raise a Lua error -- pushing the arguments (memory),
   the call, converting the result -- runs under lua_pcall. */
static int protected_call(lua_State *L) {
  call_frame *f = lua_touserdata(L, 1);
  int n = f->fn->fn.nparams;
  luaL_checkstack(L, n + 2, "too many arguments");
  lua_rawgeti(L, LUA_REGISTRYINDEX, f->fn->ref);
  for (int i = 0; i < n; i++)
    ckl_push_json(L, f->args[i]);
  lua_call(L, n, 1);
  if (lua_type(L, -1) == LUA_TNUMBER) {
    f->out->is_num = 1;
    f->out->num = lua_tonumber(L, -1);
    return 0;
  }
  char err[256];
  f->out->json = ckl_to_json(L, -1, err, sizeof err);
  if (!f->out->json)
    return luaL_error(L, "its result: %s", err);
  return 0;
}

int lua_host_call(ck_db *db, const ck_function *fn, json_t *const *args,
                  ck_result *out) {
  lua_host *h;
  int rc = host_get(db, &h);
  if (rc != CK_OK)
    return rc;
  lua_State *L = h->L;
  int top = lua_gettop(L);
  call_frame frame = {(const lua_function *)fn, args, out};
  char prefix[96];
  snprintf(prefix, sizeof prefix, "%s: ", fn->name);
  enter(h);
  lua_pushcfunction(L, protected_call);
  lua_pushlightuserdata(L, &frame);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    json_decref(out->json);
    out->json = NULL;
    rc = script_error(db, L, prefix);
  }
  lua_settop(L, top);
  leave(h);
  return rc;
}

int lua_host_run_stored(ck_db *db) {
  sqlite3_stmt *st;
  int rc = storage_prepare(db, "SELECT name, lua FROM scripts ORDER BY seq",
                           &st);
  if (rc != CK_OK)
    return rc;
  int r;
  while (rc == CK_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    char prefix[128];
    snprintf(prefix, sizeof prefix, "stored script '%s': ", name);
    rc = lua_host_run(db, (const char *)sqlite3_column_text(st, 1),
                      (size_t)sqlite3_column_bytes(st, 1), name, prefix);
  }
  sqlite3_finalize(st);
  return rc;
}

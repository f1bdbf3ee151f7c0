/*
** lua_host.c -- the sandboxed Lua 5.4 state of a handle (docs/lua.md): the
** state itself, ck.* and ck.register{}; the count hook, clock and
** allocator that charge a call's budget (kept by budget.c) are in
** lua_clock.c.
**
** One state per ck_db, made on first use, with the library of
** lua_sandbox.c and a global `ck` that calls every registry function.
**
** A call from outside (ck_script, ck_call of a Lua function, a pack's
** script) gets one budget: CK_LIMIT_LUA_STEPS units of work -- VM
** instructions (a count hook), SQLite steps run for the script, and the
** loops and bytes lua_sandbox.c and lua_pattern.c charge, the long
** strings the state makes, and the CPU time none of these explains
** (lua_clock.c's watch_clock) -- and CK_LIMIT_LUA_MEMORY
** bytes: the state's own allocator, plus what the library builds for the
** script (results, SQL strings).  Once either is spent the call is over:
** the hook raises its error at every tick and everything that catches
** errors raises it again, so neither pcall, xpcall, a coroutine, load's
** reader nor a <close> handler can outlive it.  Every error unwinds
** through lua_pcall, so the state and the database stay usable.
*/
#include "internal.h"
#include "lua_host.h"
#include "lua_clock.h"
#include "storage.h"
#include "lua_json.h"
#include "lua_sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A function registered from Lua: the registry entry and its Lua value. */
typedef struct lua_function {
  ck_function fn; /* first, so a ck_function * is a lua_function * */
  int ref;        /* the function, in the Lua registry */
  struct lua_function *next_retired;
} lua_function;

struct lua_host {
  lua_clock clock; /* first: the count hook finds it (lua_clock.h) */
  lua_State *L;
  ck_db *db;
  int registry_depth; /* registry calls (ck.*) running, nested */
  /* Memory an error may unwind past, freed when the outside call ends. */
  lua_function *retired;     /* replaced while a call was running */
  lua_function *registering; /* being built by ck.register */
  json_t *held;              /* a result being pushed */
};

/* The state's extra space holds its handle (lua_sandbox.h). */
static lua_host *host_of(lua_State *L) { return sandbox_db(L)->lua; }

/* ---- registered functions' memory ---------------------------------------- */

static void free_function(lua_function *lf) {
  if (!lf)
    return;
  ck_function *fn = &lf->fn;
  free((char *)fn->name);
  free((char *)fn->doc);
  free((char *)fn->returns);
  for (int i = 0; i < CK_MAX_PARAMS; i++) {
    free((char *)fn->params[i].name);
    free((char *)fn->params[i].type);
    free((char *)fn->params[i].def);
    free((char *)fn->params[i].doc);
    free((char *)fn->params[i].record);
    free((char *)fn->params[i].format);
  }
  free(lf);
}

/* The entry's release (registry_free): not its Lua reference, which goes
   with the state. */
static void release_entry(ck_function *fn) {
  free_function((lua_function *)fn);
}

/* What an error may have left behind, once no call is running. */
static void release_held(lua_host *h) {
  while (h->retired) {
    lua_function *next = h->retired->next_retired;
    free_function(h->retired);
    h->retired = next;
  }
  free_function(h->registering);
  h->registering = NULL;
  json_decref(h->held);
  h->held = NULL;
}

/* Enters Lua from outside: the budget counts from here. */
static void enter(lua_host *h) {
  if (budget_enter(h->db)) {
    h->registry_depth = 0;
    lua_clock_start(&h->clock, h->L);
  } else {
    lua_clock_restart(&h->clock); /* Lua run by a registry call */
  }
}

static void leave(lua_host *h) {
  if (budget_leave(h->db))
    release_held(h);
  else if (h->registry_depth > 0)
    lua_clock_stop(&h->clock); /* back in the registry call */
}

/* ---- ck.* ---------------------------------------------------------------- */

/* ck.<name>(...): the registry function named by upvalue 1. */
static int ck_function_call(lua_State *L) {
  lua_host *h = host_of(L);
  ck_db *db = h->db;
  sandbox_check(L);
  const char *name = lua_tostring(L, lua_upvalueindex(1));
  char err[256];
  json_t *args = ckl_args_json(L, 1, err, sizeof err);
  if (!args)
    return luaL_error(L, "%s: %s", name, err);
  /* From here the library works for the script: what it builds counts
     against the memory the script has left, and SQLite may not make a
     string or blob larger than that. */
  long long room = budget_room(db), outer_room = db->result_room;
  int length = sqlite3_limit(db->sql, SQLITE_LIMIT_LENGTH, -1);
  db->result_room = room;
  sqlite3_limit(db->sql, SQLITE_LIMIT_LENGTH,
                room < length ? (int)room + 1 : length);
  ck_result r;
  h->registry_depth++;
  lua_clock_stop(&h->clock);
  int rc = registry_call_json(db, name, args, &r);
  lua_clock_restart(&h->clock);
  h->registry_depth--;
  sqlite3_limit(db->sql, SQLITE_LIMIT_LENGTH, length);
  db->result_room = outer_room;
  json_decref(args);
  sandbox_check(L);
  if (rc != CK_OK) {
    lua_pushstring(L, db->errmsg);
    return lua_error(L);
  }
  if (r.is_num) {
    lua_pushnumber(L, r.num);
    return 1;
  }
  json_decref(h->held); /* pushing may raise a memory error */
  h->held = r.json;
  ckl_push_json(L, r.json);
  h->held = NULL;
  json_decref(r.json);
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

/* t[key], read raw: a metamethod could otherwise run during the check. */
static int raw_field(lua_State *L, int t, const char *key) {
  lua_pushstring(L, key);
  return lua_rawget(L, t);
}

/* A string field of the ck.register table, or NULL when absent. */
static const char *field_string(lua_State *L, int t, const char *key,
                                int required) {
  int type = raw_field(L, t, key);
  const char *s = NULL;
  if (type == LUA_TNIL) {
    if (required)
      luaL_error(L, "ck.register: '%s' is required", key);
  } else if (type != LUA_TSTRING) {
    luaL_error(L, "ck.register: '%s' must be a string, not a %s", key,
               luaL_typename(L, -1));
  } else {
    s = lua_tostring(L, -1); /* stays alive: the table holds it */
  }
  lua_pop(L, 1);
  return s;
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

/* A param's record and format, when it names them: each one of the
   registry's words (names.c's kinds; "period" or "date"). */
static void check_param_words(lua_State *L, const char *name,
                              const char *record, const char *format) {
  char msg[200]; /* lua_pushfstring has no precision */
  if (record && names_kind(record) < 0) {
    snprintf(msg, sizeof msg,
             "ck.register: param '%.40s': record '%.40s' is not one of "
             "actor, entity, metric, question, framework",
             name, record);
    luaL_error(L, "%s", msg);
  }
  if (format && strcmp(format, "period") != 0 && strcmp(format, "date") != 0) {
    snprintf(msg, sizeof msg,
             "ck.register: param '%.40s': format '%.40s' is not one of "
             "period, date",
             name, format);
    luaL_error(L, "%s", msg);
  }
}

/* One entry of params: a bare name, or {name=, type=, default=, doc=,
   record=, format=}.  Errors are raised; the entry's strings belong to
   fn. */
static void read_param(lua_State *L, int params, int i, ck_param *p) {
  const char *name, *type = "any", *doc = "", *record = NULL, *format = NULL;
  int t = lua_rawgeti(L, params, i + 1);
  if (t == LUA_TSTRING) {
    name = lua_tostring(L, -1);
  } else if (t == LUA_TTABLE) {
    int e = lua_gettop(L);
    name = field_string(L, e, "name", 0);
    type = field_string(L, e, "type", 0);
    doc = field_string(L, e, "doc", 0);
    record = field_string(L, e, "record", 0);
    format = field_string(L, e, "format", 0);
    type = type ? type : "any";
    doc = doc ? doc : "";
    if (raw_field(L, e, "default") != LUA_TNIL) {
      char err[128];
      json_t *d = ckl_to_json(L, -1, err, sizeof err);
      char *text = d ? json_dumps(d, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
      json_decref(d);
      p->def = own(text);
      free(text);
      if (!p->def)
        luaL_error(L, "ck.register: param %d: default: %s", i + 1,
                   d ? "out of memory" : err);
    }
    lua_pop(L, 1);
  } else {
    name = NULL;
  }
  if (!name || !valid_name(name))
    luaL_error(L, "ck.register: param %d needs a name (a-z, 0-9, _)", i + 1);
  int known = 0;
  for (const char *const *ty = param_types; *ty; ty++)
    known |= strcmp(*ty, type) == 0;
  if (!known) {
    char msg[200]; /* lua_pushfstring has no precision */
    snprintf(msg, sizeof msg,
             "ck.register: param '%.40s': type '%.40s' is not one of string, "
             "number, integer, boolean, array, object, any",
             name, type);
    luaL_error(L, "%s", msg);
  }
  check_param_words(L, name, record, format);
  p->name = own(name);
  p->type = own(type);
  p->doc = own(doc);
  p->record = record ? own(record) : NULL;
  p->format = format ? own(format) : NULL;
  if (!p->name || !p->type || !p->doc || (record && !p->record) ||
      (format && !p->format))
    luaL_error(L, "ck.register: out of memory");
  lua_pop(L, 1);
}

static int call_entry(ck_db *db, const ck_function *fn, json_t *const *args,
                      ck_result *out);

/* ck.register{name=, params={...}, doc=, returns=, fn=} */
static int ck_register(lua_State *L) {
  lua_host *h = host_of(L);
  sandbox_check(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *name = field_string(L, 1, "name", 1);
  const char *doc = field_string(L, 1, "doc", 0);
  const char *returns = field_string(L, 1, "returns", 0);
  if (!valid_name(name))
    return luaL_error(L, "ck.register: '%s' is not a function name "
                         "(a-z, 0-9 and _, starting with a letter)", name);
  const ck_function *existing = registry_find(h->db, name);
  if (existing && !existing->release)
    return luaL_error(L, "ck.register: '%s' is a built-in function", name);
  if (raw_field(L, 1, "fn") != LUA_TFUNCTION)
    return luaL_error(L, "ck.register: 'fn' must be a function");
  int params_type = raw_field(L, 1, "params");
  if (params_type != LUA_TNIL && params_type != LUA_TTABLE)
    return luaL_error(L, "ck.register: 'params' must be a list");
  int nparams = params_type == LUA_TNIL ? 0 : (int)lua_rawlen(L, -1);
  if (nparams > CK_MAX_PARAMS)
    return luaL_error(L, "ck.register: at most %d params", CK_MAX_PARAMS);

  /* Built in h->registering, so that any error from here on frees it. */
  free_function(h->registering);
  lua_function *lf = h->registering = calloc(1, sizeof *lf);
  if (!lf)
    return luaL_error(L, "ck.register: out of memory");
  ck_function *fn = &lf->fn;
  fn->name = own(name);
  fn->doc = own(doc ? doc : "");
  fn->returns = own(returns ? returns : "any");
  fn->impl = call_entry;
  fn->release = release_entry;
  if (!fn->name || !fn->doc || !fn->returns)
    return luaL_error(L, "ck.register: out of memory");
  int params = lua_gettop(L);
  for (int i = 0; i < nparams; i++)
    read_param(L, params, i, &fn->params[i]);
  lua_pop(L, 1); /* params; fn is on top */
  lf->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  h->registering = NULL;
  ck_function *old = NULL;
  if (registry_add(h->db, fn, &old) != CK_OK) {
    luaL_unref(L, LUA_REGISTRYINDEX, lf->ref);
    free_function(lf);
    return luaL_error(L, "ck.register: out of memory");
  }
  if (old) {
    /* The old entry may be running further up the stack: it is freed when
       the outside call ends. */
    lua_function *retired = (lua_function *)old;
    luaL_unref(L, LUA_REGISTRYINDEX, retired->ref);
    retired->next_retired = h->retired;
    h->retired = retired;
  }
  return 0;
}

/* ---- the state ----------------------------------------------------------- */

static int build_sandbox(lua_State *L) {
  sandbox_open(L);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, ck_register);
  lua_setfield(L, -2, "register");
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, ck_index);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "ck");
  return 0;
}

static int host_get(ck_db *db, lua_host **out) {
  *out = NULL;
  if (db->lua) {
    *out = db->lua;
    return CK_OK;
  }
  lua_host *h = calloc(1, sizeof *h);
  if (!h)
    return db_nomem(db);
  h->db = h->clock.db = db;
  h->L = lua_newstate(lua_clock_alloc, &h->clock);
  if (!h->L) {
    free(h);
    return db_error(db, CK_SCRIPT,
                    "cannot create the Lua state (CK_LIMIT_LUA_MEMORY %lld)",
                    db->lua_memory);
  }
  *(ck_db **)lua_getextraspace(h->L) = db;
  lua_pushcfunction(h->L, build_sandbox);
  if (lua_pcall(h->L, 0, 0, 0) != LUA_OK) {
    db_error(db, CK_SCRIPT, "cannot build the Lua sandbox: %s",
             lua_tostring(h->L, -1));
    lua_close(h->L);
    free(h);
    return CK_SCRIPT;
  }
  db->lua = h;
  *out = h;
  return CK_OK;
}

void lua_host_close(ck_db *db) {
  lua_host *h = db->lua;
  if (!h)
    return;
  lua_close(h->L);
  release_held(h);
  free(h);
  db->lua = NULL;
}

/* The error on the stack top as the handle's message: the budget's own when
   it was spent, whatever a handler made of it.  This runs outside any
   protected call, where a Lua error would abort the process: so no
   metamethod (__tostring could loop) and no allocation. */
static int script_error(ck_db *db, lua_State *L, const char *prefix) {
  int t = lua_type(L, -1);
  if (budget_spent(db))
    db_error(db, CK_SCRIPT, "%s%s", prefix, budget_spent(db));
  else if (t == LUA_TSTRING)
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

/* What call_entry hands to, and gets back from, protected_call. */
typedef struct call_frame {
  int ref, nparams;
  json_t *const *args;
  ck_result *out;
} call_frame;

/* Everything that can raise a Lua error -- pushing the arguments (memory),
   the call, converting the result -- runs under lua_pcall. */
static int protected_call(lua_State *L) {
  call_frame *f = lua_touserdata(L, 1);
  luaL_checkstack(L, f->nparams + 2, "too many arguments");
  lua_rawgeti(L, LUA_REGISTRYINDEX, f->ref);
  for (int i = 0; i < f->nparams; i++)
    ckl_push_json(L, f->args[i]);
  lua_call(L, f->nparams, 1);
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

/* A registered function's call (its entry's impl). */
static int call_entry(ck_db *db, const ck_function *fn, json_t *const *args,
                      ck_result *out) {
  lua_host *h;
  int rc = host_get(db, &h);
  if (rc != CK_OK)
    return rc;
  lua_State *L = h->L;
  int top = lua_gettop(L);
  const lua_function *lf = (const lua_function *)fn;
  call_frame frame = {lf->ref, fn_nparams(fn), args, out};
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
    const char *lua = (const char *)sqlite3_column_text(st, 1);
    if (!name || !lua) {
      rc = db_error(db, sqlite3_errcode(db->sql) == SQLITE_NOMEM ? CK_NOMEM
                                                                 : CK_ERROR,
                    "a stored script has no name or no text");
      break;
    }
    char prefix[128];
    snprintf(prefix, sizeof prefix, "stored script '%s': ", name);
    rc = lua_host_run(db, lua, (size_t)sqlite3_column_bytes(st, 1), name,
                      prefix);
  }
  if (rc == CK_OK && r != SQLITE_DONE)
    rc = db_sql_error(db, r, "reading the stored scripts");
  sqlite3_finalize(st);
  return rc;
}

/*
** lua_sandbox.c -- the library a sandboxed chunk sees (docs/lua.md).
**
** The base library without dofile, loadfile and binary chunks,
** collectgarbage("count") only, string without dump, table, math, utf8,
** coroutine, and os.time/clock/date/difftime; no io, package, debug or the
** rest of os.
**
** Every function that could outlast the call's budget is replaced here:
**   - pcall, xpcall, coroutine.resume, coroutine.close and load catch
**     errors, so once the budget or the memory cap is spent they raise the
**     call's error again instead of returning it;
**   - setmetatable refuses __gc (Lua runs finalizers with hooks off, so a
**     looping one could not be stopped), reading the field raw so that no
**     __index can answer the check;
**   - string.rep, table.move/insert/remove/concat/unpack/sort and
**     utf8.char loop in C as often as an argument says: they charge that
**     count before they start, and string.find/match/gmatch/gsub are
**     lua_pattern.c's, which charge as they go;
**   - functions that read a string in C for as long as it is, and make
**     nothing as long (what they make, the allocator charges: lua_host.c)
**     charge the bytes they read: tonumber, rawequal, print, load,
**     string.format, byte, pack, packsize, unpack, utf8.len, codepoint,
**     offset and codes' iterator, and the string metatable's arithmetic
**     ("10" + 1).  Their errors are worded as Lua words them, naming the
**     function and the script's line (as_lua_says).
*/
#include "lua_sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

/* A loop over bytes in C (a scan, a comparison, a conversion) does about
   SCAN_BYTES in a VM instruction's time; decoding UTF-8 one. */
#define SCAN_BYTES 4

static void charge_scan(lua_State *L, size_t bytes) {
  sandbox_charge(L, (lua_Integer)(bytes / SCAN_BYTES));
}

/* ---- catching errors ----------------------------------------------------- */

/* What pcall and xpcall return, on their way back or after a yield. */
static int caught(lua_State *L, int status, lua_KContext base) {
  sandbox_check(L);
  if (status == LUA_ERRMEM) {
    sandbox_spend_memory(L);
    sandbox_check(L);
  }
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - (int)base;
}

static int sandbox_pcall(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1); /* the first result, if all goes well */
  lua_insert(L, 1);
  int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, caught);
  return caught(L, status, 0);
}

/* xpcall's message handler runs before the error unwinds -- for the
   budget's error, raised in the count hook, while Lua still has hooks off.
   So the script's handler is called only for its own errors. */
static int handle_message(lua_State *L) {
  if (sandbox_spent(L))
    return 1; /* the budget's error goes on as it is */
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static int sandbox_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, handle_message, 1);
  lua_replace(L, 2);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2); /* f, handler, true, f, args... */
  int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, caught);
  return caught(L, status, 2);
}

/* The name of the function at the stack top as a loaded library's field
   ("string.format", or "print" for one of _G), pushed; Lua names a function
   so when no call site does (lauxlib's pushglobalfuncname).  "?" if none. */
static void push_global_name(lua_State *L) {
  int f = lua_gettop(L);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushnil(L);
  while (lua_next(L, f + 1)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TTABLE) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_rawequal(L, -1, f)) {
          const char *lib = lua_tostring(L, -4);
          if (strcmp(lib, LUA_GNAME) == 0)
            lua_pushvalue(L, -2);
          else
            lua_pushfstring(L, "%s.%s", lib, lua_tostring(L, -2));
          lua_replace(L, f);
          lua_settop(L, f);
          return;
        }
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  lua_settop(L, f - 1);
  lua_pushliteral(L, "?");
}

/* An error the original function raised itself names neither the
   function nor the script's line: Lua finds both from the caller, which
   for the original is its wrapper.  This handler runs before the error
   unwinds (level 1 raised it, level 2 is the wrapper, level 3 the
   script), and words such an error as Lua would have for the script's own
   call; errors of Lua code the original called, and the budget's, go on as
   they are. */
static int as_lua_says(lua_State *L) {
  lua_Debug raiser, wrapper;
  if (sandbox_spent(L) || lua_type(L, 1) != LUA_TSTRING ||
      !lua_getstack(L, 1, &raiser) || !lua_getstack(L, 2, &wrapper))
    return 1;
  lua_getinfo(L, "f", &raiser);
  lua_getinfo(L, "fn", &wrapper);
  int own = lua_getupvalue(L, -1, 1) != NULL && lua_rawequal(L, -1, -3);
  lua_pop(L, 1);
  if (!own) {
    lua_settop(L, 1);
    return 1;
  }
  if (wrapper.name)
    lua_pushstring(L, wrapper.name);
  else
    push_global_name(L); /* the wrapper, as Lua would name its original */
  const char *name = lua_tostring(L, -1);
  const char *msg = lua_tostring(L, 1), *rest;
  int arg;
  luaL_where(L, 3);
  if (sscanf(msg, "bad argument #%d to '?' (", &arg) == 1 &&
      (rest = strstr(msg, "' (")) != NULL) {
    if (wrapper.namewhat && strcmp(wrapper.namewhat, "method") == 0 &&
        --arg == 0)
      lua_pushfstring(L, "calling '%s' on bad self%s", name, rest + 1);
    else
      lua_pushfstring(L, "bad argument #%d to '%s'%s", arg, name, rest + 1);
  } else {
    lua_pushvalue(L, 1);
  }
  lua_concat(L, 2);
  return 1;
}

/* Calls the original function (upvalue 1) with every argument; then the
   budget is looked at again, since the original may have caught an error
   that should have ended the call.  Its memory errors end the call, as
   pcall's do. */
static int call_original(lua_State *L) {
  int n = lua_gettop(L);
  lua_pushcfunction(L, as_lua_says);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_rotate(L, 1, 2);
  int status = lua_pcall(L, n, LUA_MULTRET, 1);
  if (status == LUA_ERRMEM)
    sandbox_spend_memory(L);
  sandbox_check(L);
  if (status != LUA_OK)
    return lua_error(L);
  return lua_gettop(L) - 1;
}

/* A coroutine that the budget's error ended died in the count hook, where
   Lua has hooks off; they stay off in it, so its pending <close> handlers
   must never run.  Such coroutines are kept, weakly, in this table of the
   Lua registry, and coroutine.close leaves them alone. */
static const char ended_key[] = "claimkit.ended_coroutines";

static void mark_ended(lua_State *L, int co_index) {
  co_index = lua_absindex(L, co_index);
  if (lua_getfield(L, LUA_REGISTRYINDEX, ended_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, ended_key);
  }
  lua_pushvalue(L, co_index);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

static int was_ended(lua_State *L, int co_index) {
  co_index = lua_absindex(L, co_index);
  if (lua_getfield(L, LUA_REGISTRYINDEX, ended_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    return 0;
  }
  lua_pushvalue(L, co_index);
  int ended = lua_rawget(L, -2) != LUA_TNIL;
  lua_pop(L, 2);
  return ended;
}

/* After a resume: the budget's error, or a memory error, ends the call. */
static void after_resume(lua_State *L, lua_State *co, int co_index) {
  int status = co ? lua_status(co) : LUA_OK;
  if (status == LUA_ERRMEM)
    sandbox_spend_memory(L);
  if (sandbox_spent(L) && status != LUA_OK && status != LUA_YIELD)
    mark_ended(L, co_index);
  sandbox_check(L);
}

static int sandbox_resume(lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  int n = lua_gettop(L);
  lua_pushvalue(L, 1); /* the coroutine, kept below the results */
  lua_insert(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 2);
  lua_call(L, n, LUA_MULTRET);
  after_resume(L, co, 1);
  return lua_gettop(L) - 1;
}

static int sandbox_close(lua_State *L) {
  if (lua_type(L, 1) == LUA_TTHREAD && was_ended(L, 1)) {
    lua_pushboolean(L, 0);
    lua_pushliteral(L, "the coroutine was ended by a call's budget");
    return 2;
  }
  return call_original(L);
}

/* coroutine.wrap's function, as Lua's, except that a coroutine the budget
   ended is not closed (see above). */
static int wrapped(lua_State *L) {
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int n = lua_gettop(L), nres;
  /* Called again in a later call: a coroutine the budget ended stays as it
     was, never resumed nor closed (its <close> handlers would run with
     hooks off). */
  if (was_ended(L, lua_upvalueindex(1)))
    return luaL_error(L, "the coroutine was ended by a call's budget");
  if (!lua_checkstack(co, n))
    return luaL_error(L, "too many arguments to resume");
  lua_xmove(L, co, n);
  int status = lua_resume(co, L, n, &nres);
  if (status == LUA_OK || status == LUA_YIELD) {
    if (!lua_checkstack(L, nres + 1)) {
      lua_pop(co, nres);
      return luaL_error(L, "too many results to resume");
    }
    lua_xmove(co, L, nres);
    return nres;
  }
  lua_xmove(co, L, 1); /* the error */
  lua_pushvalue(L, lua_upvalueindex(1));
  after_resume(L, co, -1);
  lua_pop(L, 1);
  status = lua_status(co);
  if (status != LUA_OK && status != LUA_YIELD) { /* died: close it */
    status = lua_resetthread(co);
    lua_pop(L, 1);
    lua_xmove(co, L, 1);
  }
  if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

static int sandbox_wrap(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  lua_pushcclosure(L, wrapped, 1);
  return 1;
}

/* A piece of a chunk that load's reader (upvalue 1) returns is charged
   as it is read, like a chunk given whole. */
static int charged_reader(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_call(L, 0, 1);
  if (lua_type(L, -1) == LUA_TSTRING)
    charge_scan(L, lua_rawlen(L, -1));
  return 1;
}

/* load, text chunks only, its text charged as it is read. */
static int sandbox_load(lua_State *L) {
  int n = lua_gettop(L);
  if (n > 4)
    lua_settop(L, n = 4);
  if (n < 3)
    lua_settop(L, n = 3);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  if (lua_type(L, 1) == LUA_TSTRING) {
    charge_scan(L, lua_rawlen(L, 1));
  } else if (lua_type(L, 1) == LUA_TFUNCTION) {
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, charged_reader, 1);
    lua_replace(L, 1);
  }
  return call_original(L);
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
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
    lua_pop(L, 1);
  }
  return call_original(L);
}

/* ---- loops in C ------------------------------------------------------------- */

/* The number of elements from i to j, as a loop over them runs. */
static lua_Integer span(lua_Integer i, lua_Integer j) {
  if (j < i)
    return 0;
  lua_Unsigned d = (lua_Unsigned)j - (lua_Unsigned)i;
  return d >= (lua_Unsigned)LUA_MAXINTEGER ? LUA_MAXINTEGER
                                           : (lua_Integer)d + 1;
}

static int charged_rep(lua_State *L) {
  size_t l, lsep;
  luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
  /* n repetitions cost n, like a loop of n.  Of an empty string Lua would
     make them one by one; here they are made at once.  Otherwise the
     result is allocated before the loop runs, so the memory cap is met
     first (a memory bomb is reported as one), and the work is charged
     once it is done. */
  if (n > 0 && l + lsep == 0) {
    sandbox_charge(L, n);
    lua_pushliteral(L, "");
    return 1;
  }
  int results = call_original(L);
  sandbox_charge(L, n);
  return results;
}

/* #t as the table functions read it (a __len included); 0 for a value
   that has no length, which the original function then refuses. */
static lua_Integer length_of(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE) {
    if (luaL_getmetafield(L, idx, "__len") == LUA_TNIL)
      return 0;
    lua_pop(L, 1);
  }
  lua_Integer n = luaL_len(L, idx);
  return n > 0 ? n : 0;
}

static int charged_move(lua_State *L) {
  sandbox_charge(L, span(luaL_checkinteger(L, 2), luaL_checkinteger(L, 3)));
  return call_original(L);
}

static int charged_by_length(lua_State *L) {
  sandbox_charge(L, length_of(L, 1));
  return call_original(L);
}

/* table.concat(t, sep, i, j) and table.unpack(t, i, j) */
static int charged_range(lua_State *L, int first) {
  lua_Integer i = luaL_optinteger(L, first, 1);
  lua_Integer j = lua_isnoneornil(L, first + 1) ? length_of(L, 1)
                                                : luaL_checkinteger(L, first + 1);
  sandbox_charge(L, span(i, j));
  return call_original(L);
}

static int charged_concat(lua_State *L) { return charged_range(L, 3); }

static int charged_unpack(lua_State *L) { return charged_range(L, 2); }

static int charged_by_arguments(lua_State *L) {
  sandbox_charge(L, lua_gettop(L));
  return call_original(L);
}

/* ---- bytes read in C ---------------------------------------------------- */

/* Every string argument is read whole: tonumber (up to three times),
   rawequal (compared), print (written), string.format ('%s' reads it even
   when a precision keeps a few bytes). */
static int charged_by_strings(lua_State *L) {
  size_t bytes = 0;
  for (int i = 1; i <= lua_gettop(L); i++)
    if (lua_type(L, i) == LUA_TSTRING)
      bytes += lua_rawlen(L, i);
  charge_scan(L, bytes);
  return call_original(L);
}

/* string.pack, packsize, unpack: the format is read whole; the data only
   where it is unpacked, and what that makes the allocator charges. */
static int charged_by_format(lua_State *L) {
  if (lua_type(L, 1) == LUA_TSTRING)
    charge_scan(L, lua_rawlen(L, 1));
  int results = call_original(L);
  sandbox_charge(L, results);
  return results;
}

/* string.byte and utf8.codepoint: a value pushed for each byte or
   character read; charged after, since the slice is as Lua reads it (Lua
   refuses more than a stack holds before it starts). */
static int charged_by_results(lua_State *L) {
  int results = call_original(L);
  sandbox_charge(L, results);
  return results;
}

/* A 1-based position in a string of len bytes, negative from the end, as
   utf8's functions read it; 0 when before the start. */
static lua_Integer position(lua_Integer pos, size_t len) {
  if (pos >= 0)
    return pos;
  if ((lua_Unsigned)0 - (lua_Unsigned)pos > len)
    return 0;
  return (lua_Integer)len + pos + 1;
}

/* utf8.len(s, i, j): every byte from i to j decoded (or up to the first
   invalid one), charged before. */
static int charged_utf8_len(lua_State *L) {
  size_t len;
  if (lua_type(L, 1) == LUA_TSTRING) {
    lua_tolstring(L, 1, &len);
    lua_Integer i = position(luaL_optinteger(L, 2, 1), len);
    lua_Integer j = position(luaL_optinteger(L, 3, -1), len);
    if (j > (lua_Integer)len)
      j = (lua_Integer)len;
    if (i < 1)
      i = 1;
    sandbox_charge(L, span(i, j));
  }
  return call_original(L);
}

/* utf8.offset(s, n, i) walks from i, over as many bytes as it moves; that
   many are charged after (the walk is at most the string). */
static int charged_utf8_offset(lua_State *L) {
  size_t len = 0;
  if (lua_type(L, 1) == LUA_TSTRING)
    lua_tolstring(L, 1, &len);
  lua_Integer n = lua_isinteger(L, 2) ? lua_tointeger(L, 2) : 0;
  lua_Integer i = position(
      lua_isinteger(L, 3) ? lua_tointeger(L, 3)
                          : (n >= 0 ? 1 : (lua_Integer)len + 1),
      len);
  int results = call_original(L);
  lua_Integer moved;
  if (lua_isinteger(L, -1))
    moved = lua_tointeger(L, -1) - i;
  else /* fail: it walked to an end */
    moved = n >= 0 ? (lua_Integer)len - i : i;
  sandbox_charge(L, moved < 0 ? -moved : moved);
  return results;
}

/* The iterator of utf8.codes skips continuation bytes from where it is
   told, however many: what it skipped is charged after. */
static int charged_codes_step(lua_State *L) {
  size_t len = 0;
  if (lua_type(L, 1) == LUA_TSTRING)
    lua_tolstring(L, 1, &len);
  lua_Integer from = lua_isinteger(L, 2) ? lua_tointeger(L, 2) : 0;
  int results = call_original(L);
  lua_Integer to = results > 0 && lua_isinteger(L, -results)
                       ? lua_tointeger(L, -results)
                       : (lua_Integer)len;
  sandbox_charge(L, to > from ? to - from : 0);
  return results;
}

static int charged_codes(lua_State *L) {
  int results = call_original(L);
  if (results > 0 && lua_isfunction(L, -results)) {
    lua_pushvalue(L, -results);
    lua_pushcclosure(L, charged_codes_step, 1);
    lua_replace(L, -results - 1);
  }
  return results;
}

/* ---- building it -------------------------------------------------------------- */

static void open_library(lua_State *L, const char *name, lua_CFunction open) {
  luaL_requiref(L, name, open, 1);
  lua_pop(L, 1);
}

/* table[name] = fn with the original table[name] as its upvalue. */
static void wrap(lua_State *L, int t, const char *name, lua_CFunction fn) {
  lua_getfield(L, t, name);
  lua_pushcclosure(L, fn, 1);
  lua_setfield(L, t, name);
}

/* The string library at index t, and the string metatable. */
static void open_strings(lua_State *L, int t) {
  lua_pushnil(L);
  lua_setfield(L, t, "dump");
  sandbox_patterns(L, t);
  wrap(L, t, "rep", charged_rep);
  wrap(L, t, "format", charged_by_strings);
  wrap(L, t, "byte", charged_by_results);
  wrap(L, t, "pack", charged_by_format);
  wrap(L, t, "packsize", charged_by_format);
  wrap(L, t, "unpack", charged_by_format);
  /* Arithmetic on strings ("10" + 1) is the string metatable's: each
     converts its strings to numbers, reading them whole. */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  static const char *const arith[] = {"__add", "__sub", "__mul", "__mod",
                                      "__pow", "__div", "__idiv", "__unm",
                                      NULL};
  for (const char *const *a = arith; *a; a++)
    wrap(L, lua_gettop(L), *a, charged_by_strings);
  lua_pop(L, 2);
}

int sandbox_open(lua_State *L) {
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
  lua_pushcfunction(L, sandbox_pcall);
  lua_setfield(L, g, "pcall");
  lua_pushcfunction(L, sandbox_xpcall);
  lua_setfield(L, g, "xpcall");
  lua_pushcfunction(L, sandbox_collectgarbage);
  lua_setfield(L, g, "collectgarbage");
  wrap(L, g, "load", sandbox_load);
  wrap(L, g, "setmetatable", sandbox_setmetatable);
  wrap(L, g, "tonumber", charged_by_strings);
  wrap(L, g, "rawequal", charged_by_strings);
  wrap(L, g, "print", charged_by_strings);

  lua_getfield(L, g, "string");
  open_strings(L, lua_gettop(L));
  lua_pop(L, 1);

  lua_getfield(L, g, "table");
  int t = lua_gettop(L);
  wrap(L, t, "move", charged_move);
  wrap(L, t, "insert", charged_by_length);
  wrap(L, t, "remove", charged_by_length);
  wrap(L, t, "sort", charged_by_length);
  wrap(L, t, "concat", charged_concat);
  wrap(L, t, "unpack", charged_unpack);
  lua_pop(L, 1);

  lua_getfield(L, g, "utf8");
  t = lua_gettop(L);
  wrap(L, t, "char", charged_by_arguments);
  wrap(L, t, "len", charged_utf8_len);
  wrap(L, t, "codepoint", charged_by_results);
  wrap(L, t, "offset", charged_utf8_offset);
  wrap(L, t, "codes", charged_codes);
  lua_pop(L, 1);

  lua_getfield(L, g, "coroutine");
  t = lua_gettop(L);
  wrap(L, t, "resume", sandbox_resume);
  wrap(L, t, "close", sandbox_close);
  lua_pushcfunction(L, sandbox_wrap);
  lua_setfield(L, t, "wrap");
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
  lua_pop(L, 2);
  return 0;
}

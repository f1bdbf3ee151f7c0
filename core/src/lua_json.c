/*
** lua_json.c -- JSON values to Lua and back.  Compiled into the library's
** sandboxed host and into the lua5.4 module, which may not reach the
** library's internal symbols.
**
** JSON arrays become sequences, objects tables with string keys, null
** nil.  A Lua table is a JSON array when its keys are exactly 1..n, else
** an object (string keys only); an empty table is an empty array.
*/
#include "lua_json.h"
#include "utf8.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

void ckl_push_json(lua_State *L, const json_t *v) {
  luaL_checkstack(L, 3, "JSON nested too deeply");
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    lua_createtable(L, 0, (int)json_object_size(v));
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val) {
      ckl_push_json(L, val);
      lua_setfield(L, -2, key);
    }
    break;
  }
  case JSON_ARRAY: {
    lua_createtable(L, (int)json_array_size(v), 0);
    size_t i;
    json_t *val;
    json_array_foreach(v, i, val) {
      ckl_push_json(L, val);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  }
  case JSON_STRING:
    lua_pushlstring(L, json_string_value(v), json_string_length(v));
    break;
  case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(v)); break;
  case JSON_REAL: lua_pushnumber(L, json_real_value(v)); break;
  case JSON_TRUE: lua_pushboolean(L, 1); break;
  case JSON_FALSE: lua_pushboolean(L, 0); break;
  default: lua_pushnil(L);
  }
}

/* The length n when the table's keys are exactly 1..n, else -1. */
static lua_Integer sequence_length(lua_State *L, int idx) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (!lua_isinteger(L, -1)) {
      lua_pop(L, 1);
      return -1;
    }
    lua_Integer k = lua_tointeger(L, -1);
    if (k < 1 || k > n) {
      lua_pop(L, 1);
      return -1;
    }
    count++;
  }
  return count == n ? n : -1;
}

static int key_cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *to_json(lua_State *L, int idx, int depth, char *err,
                       size_t errlen);

/* NULL, with err saying so, when the string is not UTF-8. */
static json_t *string_json(lua_State *L, int idx, char *err, size_t errlen) {
  size_t n;
  const char *s = lua_tolstring(L, idx, &n);
  if (utf8_invalid_at(s, n) != (size_t)-1) {
    snprintf(err, errlen, "a string is not UTF-8");
    return NULL;
  }
  return json_stringn_nocheck(s, n);
}

/* The sequence of n items at idx. */
static json_t *array_json(lua_State *L, int idx, lua_Integer n, int depth,
                          char *err, size_t errlen) {
  json_t *a = json_array();
  for (lua_Integer i = 1; a && i <= n; i++) {
    lua_rawgeti(L, idx, i);
    json_t *item = to_json(L, -1, depth + 1, err, errlen);
    lua_pop(L, 1);
    if (!item) {
      json_decref(a);
      return NULL;
    }
    if (json_array_append_new(a, item) != 0) {
      snprintf(err, errlen, "out of memory");
      json_decref(a);
      return NULL;
    }
  }
  if (!a)
    snprintf(err, errlen, "out of memory");
  return a;
}

/* The number of keys of the table at idx, or -1 with err saying why
   when one is not a string. */
static long long count_keys(lua_State *L, int idx, char *err, size_t errlen) {
  long long nkeys = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      snprintf(err, errlen,
               "a table mixes list items and keys, or has a %s key",
               luaL_typename(L, -1));
      lua_pop(L, 1);
      return -1;
    }
    nkeys++;
  }
  return nkeys;
}

/* The nkeys string keys of the table at idx into keys[], sorted: a Lua
   table's own order depends on its state's hash seed, and the same result
   should read the same everywhere.  The table keeps the strings alive.
   Returns how many it found. */
static size_t sorted_keys(lua_State *L, int idx, const char **keys,
                          size_t nkeys) {
  size_t k = 0;
  int top = lua_gettop(L);
  lua_pushnil(L);
  while (k < nkeys && lua_next(L, idx)) {
    lua_pop(L, 1);
    keys[k++] = lua_tostring(L, -1);
  }
  lua_settop(L, top); /* the walk stops with the last key still pushed */
  qsort(keys, k, sizeof *keys, key_cmp);
  return k;
}

/* The table at idx, whose keys are all strings, with members in the
   order of their keys. */
static json_t *object_json(lua_State *L, int idx, int depth, char *err,
                           size_t errlen) {
  long long nkeys = count_keys(L, idx, err, errlen);
  if (nkeys < 0)
    return NULL;
  const char **keys = malloc((nkeys ? (size_t)nkeys : 1) * sizeof *keys);
  json_t *o = keys ? json_object() : NULL;
  size_t k = o ? sorted_keys(L, idx, keys, (size_t)nkeys) : 0;
  for (size_t i = 0; o && i < k; i++) {
    lua_pushstring(L, keys[i]);
    lua_rawget(L, idx);
    json_t *item = lua_type(L, -1) == LUA_TNIL
                       ? json_null()
                       : to_json(L, -1, depth + 1, err, errlen);
    lua_pop(L, 1);
    if (!item || json_object_set_new(o, keys[i], item) != 0) {
      json_decref(o);
      o = NULL;
    }
  }
  free(keys);
  if (!o && !err[0])
    snprintf(err, errlen, "out of memory");
  return o;
}

/* A sequence (keys exactly 1..n) as an array, any other table as an
   object. */
static json_t *table_json(lua_State *L, int idx, int depth, char *err,
                          size_t errlen) {
  if (depth >= MAX_DEPTH) {
    snprintf(err, errlen, "a table is nested more than %d deep (a cycle?)",
             MAX_DEPTH);
    return NULL;
  }
  /* Not luaL_checkstack: an error raised here would leak what is built. */
  if (!lua_checkstack(L, 4)) {
    snprintf(err, errlen, "a table is nested too deeply");
    return NULL;
  }
  lua_Integer n = sequence_length(L, idx);
  return n >= 0 ? array_json(L, idx, n, depth, err, errlen)
                : object_json(L, idx, depth, err, errlen);
}

static json_t *to_json(lua_State *L, int idx, int depth, char *err,
                       size_t errlen) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
  case LUA_TNIL: return json_null();
  case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, idx));
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      return json_integer((json_int_t)lua_tointeger(L, idx));
    /* JSON has no infinities: they travel as null, as the header says. */
    return isfinite(lua_tonumber(L, idx)) ? json_real(lua_tonumber(L, idx))
                                          : json_null();
  case LUA_TSTRING: return string_json(L, idx, err, errlen);
  case LUA_TTABLE: return table_json(L, idx, depth, err, errlen);
  default:
    snprintf(err, errlen, "a %s cannot become JSON", luaL_typename(L, idx));
    return NULL;
  }
}

json_t *ckl_to_json(lua_State *L, int idx, char *err, size_t errlen) {
  err[0] = '\0';
  json_t *v = to_json(L, idx, 0, err, errlen);
  if (!v && !err[0])
    snprintf(err, errlen, "out of memory");
  return v;
}

json_t *ckl_args_json(lua_State *L, int first, char *err, size_t errlen) {
  int top = lua_gettop(L);
  /* f{name = value} passes named arguments */
  if (top == first && lua_istable(L, first) &&
      sequence_length(L, first) < 0)
    return ckl_to_json(L, first, err, errlen);
  json_t *a = json_array();
  for (int i = first; a && i <= top; i++) {
    json_t *v = ckl_to_json(L, i, err, errlen);
    if (!v) {
      json_decref(a);
      return NULL;
    }
    if (json_array_append_new(a, v) != 0) {
      snprintf(err, errlen, "out of memory");
      json_decref(a);
      return NULL;
    }
  }
  if (!a)
    snprintf(err, errlen, "out of memory");
  return a;
}

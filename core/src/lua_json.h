/*
** lua_json.h -- JSON values to Lua and back (lua_json.c).  Shared by the
** sandboxed host in the library and by the lua5.4 module.
*/
#ifndef CK_LUA_JSON_H
#define CK_LUA_JSON_H

#include <jansson.h>
#include <lua.h>
#include <stddef.h>

/* Pushes v as a Lua value (null as nil). */
void ckl_push_json(lua_State *L, const json_t *v);
/* The value at idx as JSON, or NULL with the reason in err. */
json_t *ckl_to_json(lua_State *L, int idx, char *err, size_t errlen);
/* The Lua arguments first..top as a JSON argument list, or, for a single
   table that is not a sequence, as an object of named arguments. */
json_t *ckl_args_json(lua_State *L, int first, char *err, size_t errlen);

#endif

/*
** lclaimkit.h -- the lua5.4 module, for the console that preloads it.
*/
#ifndef LCLAIMKIT_H
#define LCLAIMKIT_H

#include <claimkit.h>
#include <lua.h>

#if defined(__GNUC__)
#define LCLAIMKIT_API __attribute__((visibility("default")))
#else
#define LCLAIMKIT_API
#endif

/* The module's entry point: require "claimkit". */
LCLAIMKIT_API int luaopen_claimkit(lua_State *L);
/* Calls registry function `name` on db with the Lua arguments from index
   `first` on; pushes the result or raises a Lua error. */
int ckl_call(lua_State *L, ck_db *db, const char *name, int first);
/* Where the database object at idx keeps its handle (NULL once closed),
   for the console's Ctrl-C handler, which calls ck_interrupt on it. */
ck_db *volatile *ckl_handle(lua_State *L, int idx);
/* How db:import reads a file in this Lua state: ck_import_file, unless
   the console sets its own (one that shows progress on a terminal). */
typedef int (*ckl_import_file_fn)(ck_db *db, const char *path);
void ckl_set_import_file(lua_State *L, ckl_import_file_fn fn);

#endif

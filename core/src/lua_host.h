/*
** lua_host.h -- a handle's Lua state (lua_host.c): scripts run in the
** sandbox, with ck.* and ck.register, their work counted by the budget.
** Layer: the Lua host, above the metric functions and the registry (a
** registered function's entry brings its own call and release).
*/
#ifndef CK_LUA_HOST_H
#define CK_LUA_HOST_H

#include "internal.h"

/* Runs a chunk in the sandbox; CK_SCRIPT with "prefix chunk:line: message"
   on error.  prefix may be NULL. */
int lua_host_run(ck_db *db, const char *src, size_t len, const char *chunkname,
                 const char *prefix);
/* Runs the stored scripts, in import order. */
int lua_host_run_stored(ck_db *db);
void lua_host_close(ck_db *db);

#endif

/*
** lua_sandbox.h -- what the sandbox's own library (lua_sandbox.c,
** lua_pattern.c) and the host (lua_host.c) share.
**
** A call from outside gets one budget of work (docs/lua.md): VM
** instructions counted by the hook, plus what C does on the script's behalf
** -- pattern matching, string.rep, table.move and friends, bytes read by
** tonumber, utf8.len and friends, strings made, SQL -- charged here, and
** the CPU time none of these explains, charged by the hook's clock.  Once
** the budget (or the memory cap) is spent the call is over: the error is
** raised again by everything that could catch it.
*/
#ifndef CK_LUA_SANDBOX_H
#define CK_LUA_SANDBOX_H

#include <lua.h>

/* Charges n units of work done in C to the current call's budget.  Raises
   the call's final error when the budget is spent; n may be huge (a loop
   count taken from the script), and is then refused before any work. */
void sandbox_charge(lua_State *L, lua_Integer n);

/* Raises the call's final error again if its budget or memory is spent;
   returns otherwise.  Everything that catches errors calls it. */
void sandbox_check(lua_State *L);

/* 1 when the current call's budget or memory is spent. */
int sandbox_spent(lua_State *L);

/* Marks the current call's memory as spent (an allocation the cap
   refused, made by the library on the script's behalf). */
void sandbox_spend_memory(lua_State *L);

/* Opens the sandbox's libraries into the global table (lua_sandbox.c). */
int sandbox_open(lua_State *L);

/* Replaces find, match, gmatch and gsub in the string table at index t
   with versions that charge their work (lua_pattern.c). */
void sandbox_patterns(lua_State *L, int t);

#endif

/*
** lua_sandbox.h -- what the sandbox's own library (lua_sandbox.c,
** lua_pattern.c) and the host (lua_host.c) share; the budget itself is
** budget.c's, on the handle.
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

#include "budget.h"

#include <lauxlib.h>
#include <lua.h>

/* The handle whose budget the state spends: its extra space holds it
   (lua_host.c puts it there when it makes the state). */
static inline ck_db *sandbox_db(lua_State *L) {
  return *(ck_db **)lua_getextraspace(L);
}

/* Raises the call's final error again if its budget or memory is spent;
   returns otherwise.  Everything that catches errors calls it. */
static inline void sandbox_check(lua_State *L) {
  const char *why = budget_spent(sandbox_db(L));
  if (why) {
    lua_pushstring(L, why);
    lua_error(L);
  }
}

/* Charges n units of work done in C to the current call's budget.  Raises
   the call's final error when the budget is spent; n may be huge (a loop
   count taken from the script), and is then refused before any work. */
static __attribute__((unused, noinline, cold)) void
sandbox_charge_spent(lua_State *L, int just_now) {
  if (just_now) {
    luaL_where(L, 1);
    budget_spend_steps(sandbox_db(L), lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  sandbox_check(L);
}

static inline void sandbox_charge(lua_State *L, lua_Integer n) {
  int spent = budget_take(sandbox_db(L), n);
  if (__builtin_expect(spent != 0, 0)) /* the pattern matcher's loop */
    sandbox_charge_spent(L, spent > 0);
}

/* 1 when the current call's budget or memory is spent. */
static inline int sandbox_spent(lua_State *L) {
  return budget_spent(sandbox_db(L)) != NULL;
}

/* Marks the current call's memory as spent (an allocation the cap
   refused, made by the library on the script's behalf). */
static inline void sandbox_spend_memory(lua_State *L) {
  budget_spend_memory(sandbox_db(L));
}

/* Opens the sandbox's libraries into the global table (lua_sandbox.c). */
int sandbox_open(lua_State *L);

/* Replaces find, match, gmatch and gsub in the string table at index t
   with versions that charge their work (lua_pattern.c). */
void sandbox_patterns(lua_State *L, int t);

#endif

/*
** lua_clock.h -- what a Lua call's budget is charged from the state
** itself (lua_clock.c): the count hook, the CPU-time backstop and the
** state's allocator.  Private to the Lua host: lua_host.c keeps a
** lua_clock as the first member of its lua_host, so that the hook finds it
** from the state (the state's extra space holds the handle, whose `lua`
** is the host).
*/
#ifndef CK_LUA_CLOCK_H
#define CK_LUA_CLOCK_H

#include "internal.h"

#include <lua.h>

typedef struct lua_clock {
  ck_db *db;       /* whose budget (budget.c) the state spends */
  size_t refused;  /* the last request the cap refused, until one is granted */
  /* In ns; registry calls (ck.*), which count their own SQL and are
     bounded by it, are left out of every reading. */
  long long deadline;   /* CPU time the call may use */
  long long hook_steps; /* of steps, those the count hook charged */
  struct mark {
    long long time, steps, hook_steps;
  } wall, cpu;          /* at the last tick, at the last look at the CPU */
  long long cpu_start;
  long long next_look;  /* wall time of the next look at the CPU clock */
  long long excused;    /* time spent inside registry calls */
  long long registry_since; /* when the running registry call began, or 0 */
  int fine_left;        /* ticks the hook stays at every instruction */
} lua_clock;

/* A call from outside begins: its clock starts, the count hook is set. */
void lua_clock_start(lua_clock *c, lua_State *L);
/* A registry call stops the clock, and Lua run from inside one starts it
   again until it returns (they nest: ck.f() of a registered f that calls
   ck.g()). */
void lua_clock_stop(lua_clock *c);
void lua_clock_restart(lua_clock *c);
/* The state's lua_Alloc (ud: the lua_clock): CK_LIMIT_LUA_MEMORY, and the
   long strings the state makes charged as work. */
void *lua_clock_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

#endif

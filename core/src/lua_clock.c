/*
** lua_clock.c -- the work of a Lua call that the state itself does,
** charged to the call's budget (budget.c; docs/lua.md): VM instructions,
** by a count hook; the CPU time none of the counts explains, by the clock
** the hook looks at (watch_clock); and the state's memory and the long
** strings it makes, by its allocator.  Once the budget is spent the hook
** raises the call's error at every tick (sandbox_check).
*/
#include "lua_clock.h"
#include "lua_sandbox.h"

#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#define HOOK_EVERY 1000 /* instructions between two looks at the budget */
#define FINE_TICKS 1000 /* see pace() */
/* A string of ALLOC_CHARGED bytes or more that the state makes -- by `..`,
   string.rep, sub, format, upper, table.concat, gsub, any function's
   result -- costs a unit per ALLOC_BYTES_PER_STEP bytes, since the VM's own
   `..` is seen nowhere else.  Writing 128 bytes takes some eight
   instructions' time (8.8 GB/s against 1.8 ns), so this bounds rather than
   measures: 10^8 units are 13 GB of strings made; a memory bomb still
   meets the memory cap first.  (Tables and the stack grow as instructions
   fill them, and are left to the count.) */
#define ALLOC_CHARGED 256
#define ALLOC_BYTES_PER_STEP 128
/* The clock's backstop (watch_clock).  Ordinary Lua runs 1-300 ns an
   instruction (a C call such as tostring is the slow end); work charged
   in units takes about UNIT_NS a unit or less.  A stretch of the call
   that took longer than WINDOW_NS an instruction plus UNIT_NS a charged
   unit did work nothing counted (comparing long strings with == or <,
   converting one to a number, looking one up as a key, making strings
   slower than their charge): its CPU time past that pays a unit per
   UNIT_NS.  And a call ends once its CPU time passes CALL_NS a unit of
   CK_LIMIT_LUA_STEPS (at least CALL_MIN_NS), for work just under both. */
#define WINDOW_NS 10000LL
#define UNIT_NS 10LL
#define CALL_NS 100LL
#define CALL_MIN_NS 2000000000LL
#define CPU_LOOK_NS 10000000LL /* past the deadline's wall time, at most
                                  one look at the CPU clock per 10 ms */

/* The handle's host begins with its clock (lua_clock.h). */
static lua_clock *clock_of(lua_State *L) {
  return (lua_clock *)sandbox_db(L)->lua;
}

static void count_hook(lua_State *L, lua_Debug *ar);

static long long clock_ns(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Wall and CPU time of the call, registry calls left out. */
static long long wall_now(lua_clock *c) {
  return clock_ns(CLOCK_MONOTONIC) - c->excused;
}

static long long cpu_now(lua_clock *c) {
  return clock_ns(CLOCK_THREAD_CPUTIME_ID) - c->excused;
}

/* n units' worth of time, saturated. */
static long long time_for(long long n, long long ns) {
  return n > LLONG_MAX / ns ? LLONG_MAX : n * ns;
}

static void start_clock(lua_clock *c) {
  c->fine_left = 0;
  c->excused = 0;
  c->registry_since = 0;
  c->deadline = time_for(c->db->lua_steps, CALL_NS);
  if (c->deadline < CALL_MIN_NS)
    c->deadline = CALL_MIN_NS;
  c->hook_steps = 0;
  c->wall = (struct mark){wall_now(c), 0, 0};
  c->next_look = c->wall.time + c->deadline;
  c->cpu = (struct mark){cpu_now(c), 0, 0};
  c->cpu_start = c->cpu.time;
}

/* A registry call stops the clock, and Lua run from inside one starts it
   again until it returns (they nest: ck.f() of a registered f that calls
   ck.g()). */
void lua_clock_stop(lua_clock *c) {
  c->registry_since = clock_ns(CLOCK_MONOTONIC);
}

void lua_clock_restart(lua_clock *c) {
  if (c->registry_since) {
    c->excused += clock_ns(CLOCK_MONOTONIC) - c->registry_since;
    c->registry_since = 0;
  }
}

/* The time the work counted since mark m may take. */
static long long allowed(const lua_clock *c, const struct mark *m) {
  long long instructions = c->hook_steps - m->hook_steps;
  long long other = c->db->budget.steps - m->steps - instructions;
  long long a = time_for(instructions, WINDOW_NS);
  long long b = time_for(other, UNIT_NS);
  return a > LLONG_MAX - b ? LLONG_MAX : a + b;
}

static void set_mark(lua_clock *c, struct mark *m, long long time) {
  *m = (struct mark){time, c->db->budget.steps, c->hook_steps};
}

/* Looked at every tick of the count hook.  The VM does some work inside
   one instruction that no count sees: `s == t` and `s < t` compare long
   strings whole, arithmetic converts one to a number, a table looks one up
   as a key.  So a stretch slower than what it counted allows (see
   WINDOW_NS) is charged its CPU time past that, and the call ends at its
   CPU deadline.  The wall clock (22 ns) is read every tick; the CPU clock
   (a system call, 400 ns) only when a window looks slow, or the call
   long.  Returns the units to charge. */
static long long watch_clock(lua_State *L, lua_clock *c) {
  long long wall = wall_now(c);
  int slow = wall - c->wall.time > allowed(c, &c->wall);
  set_mark(c, &c->wall, wall);
  if (!slow && wall < c->next_look)
    return 0;
  long long cpu = cpu_now(c);
  long long hidden = (cpu - c->cpu.time - allowed(c, &c->cpu)) / UNIT_NS;
  set_mark(c, &c->cpu, cpu);
  if (wall >= c->next_look)
    c->next_look = wall + CPU_LOOK_NS;
  if (cpu - c->cpu_start > c->deadline) {
    luaL_where(L, 0);
    budget_spend(c->db,
                 "%stime limit exceeded (%.1f s of CPU; CK_LIMIT_LUA_STEPS "
                 "%lld allows %.1f s)",
                 lua_tostring(L, -1), (double)(cpu - c->cpu_start) / 1e9,
                 c->db->lua_steps, (double)c->deadline / 1e9);
    lua_pop(L, 1);
  }
  if (hidden <= 0)
    return 0;
  /* what the clock charges earns no time of its own */
  c->wall.steps += hidden;
  c->cpu.steps += hidden;
  return hidden;
}

/* While instructions hide work, the hook looks at every one (for the next
   FINE_TICKS), so that a long one ends the call within about its own time
   rather than HOOK_EVERY times it. */
static void pace(lua_State *L, lua_clock *c, int hidden) {
  int count = lua_gethookcount(L);
  if (hidden) {
    c->fine_left = FINE_TICKS;
    if (count != 1)
      lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  } else if (count == 1 && --c->fine_left <= 0) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
  }
}

/* Level 0 of a hook is the function it interrupted. */
static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_clock *c = clock_of(L);
  long long n = lua_gethookcount(L);
  ck_db *db = c->db;
  int over = budget_add(db, n);
  c->hook_steps += n;
  long long hidden = !over && !db->budget.spent ? watch_clock(L, c) : 0;
  if (!over)
    over = budget_add(db, hidden);
  pace(L, c, hidden > 0);
  if (over) {
    luaL_where(L, 0);
    budget_spend_steps(db, lua_tostring(L, -1));
    lua_pop(L, 1);
  } else if (db_cancelled(db) && !db->budget.spent) {
    luaL_where(L, 0);
    budget_spend(db, "%sinterrupted (ck_interrupt)", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  sandbox_check(L);
}

void lua_clock_start(lua_clock *c, lua_State *L) {
  c->refused = 0;
  start_clock(c);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

void *lua_clock_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  lua_clock *c = ud;
  ck_budget *b = &c->db->budget;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    b->used -= old;
    return NULL;
  }
  if (nsize > old && b->used - old + nsize > (size_t)c->db->lua_memory) {
    /* Lua collects once and asks again: the second refusal of the same
       request is the script's memory error, and ends the call. */
    if (c->refused == nsize)
      budget_spend_memory(c->db);
    c->refused = nsize;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (p) {
    b->used = b->used - old + nsize;
    if (nsize > old)
      c->refused = 0;
    /* No error can be raised here: the call is marked spent, and the next
       tick or check ends it. */
    if (!ptr && osize == LUA_TSTRING && nsize >= ALLOC_CHARGED &&
        budget_add(c->db, (long long)(nsize / ALLOC_BYTES_PER_STEP)))
      budget_spend_steps(c->db, "");
  }
  return p;
}

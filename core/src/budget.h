/*
** budget.h -- what a call from outside may spend running a script
** (docs/lua.md): CK_LIMIT_LUA_STEPS units of work and CK_LIMIT_LUA_MEMORY
** bytes.
**
** The count hook (lua_host.c), the sandbox's library (lua_sandbox.c,
** lua_pattern.c), SQLite's progress handler (storage.c) and results the
** library builds for a script (util.c) all charge the one budget on the
** handle.  It knows nothing of Lua: it counts, and once either limit is
** spent it keeps the call's final error, which everything that could
** catch an error raises again.  The lowest layer but one (docs/internals.md):
** it calls nothing of the core.
*/
#ifndef CK_BUDGET_H
#define CK_BUDGET_H

#include "claimkit.h"

#include <stddef.h>

typedef struct ck_budget {
  int depth;       /* nesting of calls into the script; 0: none running */
  int spent;       /* the current call spent its budget or its memory */
  long long steps; /* units used by the current outside call */
  size_t used;     /* bytes the script's state holds (lua_host.c's
                      allocator keeps it, between calls too) */
  char why[256];   /* the spent call's error; kept until the next one */
} ck_budget;

/* A call enters the script: 1 when it comes from outside (depth 0), and
   the count then starts again from zero. */
int budget_enter(ck_db *db);
/* It leaves: 1 when the outside call ended. */
int budget_leave(ck_db *db);
/* Adds n units to the call's steps; 1 when that spends the budget, which
   the caller then marks with budget_spend_steps() saying where.  No effect
   when no call is running, once spent, or for n <= 0. */
int budget_add(ck_db *db, long long n);
/* budget_add(), then whether the call is spent, in one call (the
   sandbox's charges are made per match): 0 to go on; 1 when these n units
   spent the budget (the caller marks where, as for budget_add()); -1 when
   it was spent already. */
int budget_take(ck_db *db, long long n);
/* Marks the call spent with this error (the first one stays).  No effect
   when no call is running. */
void budget_spend(ck_db *db, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "<where>instruction limit exceeded (...)" */
void budget_spend_steps(ck_db *db, const char *where);
/* "not enough memory (...)" */
void budget_spend_memory(ck_db *db);
/* Charges n units of work done for the running script (SQLite steps);
   -1 once the budget is spent (the caller then stops), else 0.  No
   effect when no script is running. */
int budget_charge(ck_db *db, long long n);
/* The call's final error once its budget is spent, else NULL. */
const char *budget_spent(const ck_db *db);
/* The bytes a running script may still take; -1 when none is running. */
long long budget_room(const ck_db *db);

#endif

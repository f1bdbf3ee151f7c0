/*
** budget.c -- the work and memory a call from outside may spend on a
** script (budget.h).  State on the handle only; no call into the core.
*/
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

int budget_enter(ck_db *db) {
  ck_budget *b = &db->budget;
  if (b->depth++ > 0)
    return 0;
  b->steps = 0;
  b->spent = 0;
  return 1;
}

int budget_leave(ck_db *db) { return --db->budget.depth == 0; }

int budget_add(ck_db *db, long long n) {
  ck_budget *b = &db->budget;
  if (b->spent || b->depth == 0 || n <= 0)
    return 0;
  if (n > db->lua_steps - b->steps) {
    b->steps = db->lua_steps;
    return 1;
  }
  b->steps += n;
  return 0;
}

int budget_take(ck_db *db, long long n) {
  if (budget_add(db, n))
    return 1;
  return db->budget.spent ? -1 : 0;
}

void budget_spend(ck_db *db, const char *fmt, ...) {
  ck_budget *b = &db->budget;
  if (b->spent || b->depth == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->why, sizeof b->why, fmt, ap);
  va_end(ap);
  b->spent = 1;
}

void budget_spend_steps(ck_db *db, const char *where) {
  budget_spend(db,
               "%sinstruction limit exceeded (%lld steps; CK_LIMIT_LUA_STEPS)",
               where, db->lua_steps);
}

void budget_spend_memory(ck_db *db) {
  budget_spend(db, "not enough memory (%lld bytes; CK_LIMIT_LUA_MEMORY)",
               db->lua_memory);
}

int budget_charge(ck_db *db, long long n) {
  if (db->budget.depth == 0)
    return 0;
  if (budget_add(db, n))
    budget_spend_steps(db, "");
  return db->budget.spent ? -1 : 0;
}

const char *budget_spent(const ck_db *db) {
  return db->budget.spent ? db->budget.why : NULL;
}

long long budget_room(const ck_db *db) {
  if (db->budget.depth == 0)
    return -1;
  long long room = db->lua_memory - (long long)db->budget.used;
  return room > 0 ? room : 0;
}

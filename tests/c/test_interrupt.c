/*
** test_interrupt.c -- ck_interrupt() from another thread ends the call
** running on a handle (a script's loop, a long query), that call alone:
** the handle then answers as before, and an interrupt with no call
** running is forgotten.
*/
#include "check.h"

#include <claimkit.h>
#include <pthread.h>
#include <time.h>

static void *interrupt_later(void *arg) {
  struct timespec t = {0, 200 * 1000 * 1000}; /* 0.2 s */
  nanosleep(&t, NULL);
  ck_interrupt(arg);
  return NULL;
}

/* Runs `call` on db while another thread interrupts it after 0.2 s. */
static int interrupted_call(ck_db *db, int (*call)(ck_db *)) {
  pthread_t t;
  pthread_create(&t, NULL, interrupt_later, db);
  int rc = call(db);
  pthread_join(t, NULL);
  return rc;
}

static int endless_script(ck_db *db) {
  return ck_script(db, "local n = 0 while true do n = n + 1 end", "loop");
}

static int endless_pcall_script(ck_db *db) { /* pcall cannot catch it */
  return ck_script(db, "while true do pcall(function() while true do end "
                       "end) end", "loop");
}

static int long_query(ck_db *db) {
  const char *out = ck_call(db, "sql", "[\"WITH RECURSIVE r(x) AS (SELECT 1 "
                                       "UNION ALL SELECT x + 1 FROM r) SELECT "
                                       "count(*) AS n FROM r\"]");
  return out ? CK_OK : ck_errcode(db);
}

static ck_db *open_unbounded(void) {
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  ck_limit(db, CK_LIMIT_LUA_STEPS, 1LL << 60); /* nothing but the interrupt */
  ck_limit(db, CK_LIMIT_SQL_STEPS, 1LL << 60);
  return db;
}

TEST(an_interrupt_ends_a_script_that_would_never_end) {
  ck_db *db = open_unbounded();
  CHECK_INT(interrupted_call(db, endless_script), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "interrupted (ck_interrupt)");
  CHECK_INT(interrupted_call(db, endless_pcall_script), CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "interrupted (ck_interrupt)");
  /* the handle goes on */
  CHECK(ck_num(db, "quantity", "[\"约3亿\"]") == 3e8);
  ck_close(db);
}

TEST(an_interrupt_ends_a_query_that_would_never_end) {
  ck_db *db = open_unbounded();
  CHECK_INT(interrupted_call(db, long_query), CK_ERROR);
  CHECK_CONTAINS(ck_errmsg(db), "interrupted (ck_interrupt)");
  CHECK(ck_call(db, "sql", "[\"SELECT 1 AS one\"]") != NULL);
  ck_close(db);
}

TEST(an_interrupt_with_no_call_running_is_forgotten) {
  ck_db *db = open_unbounded();
  CHECK_INT(ck_interrupt(db), CK_OK);
  CHECK(ck_call(db, "sql", "[\"SELECT 1 AS one\"]") != NULL);
  CHECK_INT(ck_script(db, "local x = 0 for i = 1, 1e5 do x = x + i end", "s"),
            CK_OK);
  CHECK_INT(ck_interrupt(NULL), CK_MISUSE);
  ck_close(db);
}

CHECK_MAIN(T(an_interrupt_ends_a_script_that_would_never_end),
           T(an_interrupt_ends_a_query_that_would_never_end),
           T(an_interrupt_with_no_call_running_is_forgotten))

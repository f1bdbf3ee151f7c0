/*
** test_fresh.c -- a call that starts after another process's commit
** returned sees it, whatever the commit did to the file (issue #23).
**
** A handle answers repeated calls from its cache (cache.c) and asks SQLite
** whether the file changed only when the WAL index's header moved.  Each
** test fills the cache with warm calls, has another process (this program
** run again: `test_fresh --child OP DB [ARG]`, never a fork sharing
** SQLite's state) change the file and exit, then checks the very next call:
** an import, a checkpoint that truncates the WAL and commits of the same
** size after it, VACUUM, the whole file replaced through SQLite's backup
** API, a file in rollback-journal mode, a switch to WAL under a handle, an
** attempt to leave WAL mode under it, a writer that never stops,
** another handle of the same process, and a new file's first import,
** written with a rollback journal.
*/
#include <claimkit.h>
#include <sqlite3.h>

#include "check.h"
#include "check_sqlite.h"

#include <sys/wait.h>

static const char *self; /* this program, run again as the other process */

/* ---- the other process ---------------------------------------------------- */

static int child_import(const char *path, const char *value) {
  ck_db *db;
  char pack[512];
  snprintf(pack, sizeof pack,
           "{\"actors\": [{\"id\": \"a\"}], \"entities\": [{\"id\": \"e\"}], "
           "\"metrics\": [{\"id\": \"m\"}], \"claims\": [{\"actor\": \"a\", "
           "\"entity\": \"e\", \"metric\": \"m\", \"period\": \"2026\", "
           "\"value\": %s}]}",
           value);
  int rc = ck_open(path, 0, &db);
  if (rc == CK_OK)
    rc = ck_import_json(db, pack);
  if (rc != CK_OK)
    fprintf(stderr, "child import: %s\n", ck_errmsg(db));
  ck_close(db);
  return rc != CK_OK;
}

static int child_sql(const char *path, const char *sql, int want_row) {
  sqlite3 *db;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
  sqlite3_busy_timeout(db, want_row ? 100 : 5000);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  int out = 1;
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (want_row && rc == SQLITE_ROW) /* journal_mode: 0 when switched */
      out = strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0 ? 2
                                                                        : 0;
    else if (want_row && rc == SQLITE_BUSY)
      out = 3; /* refused: another connection holds the file */
    else
      out = rc != SQLITE_DONE && rc != SQLITE_ROW;
  }
  if (out == 1)
    fprintf(stderr, "child %s: %s\n", sql, sqlite3_errmsg(db));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

/* Copies src's pages over path, as `.restore` does: a commit of the whole
   file through SQLite. */
static int child_backup(const char *path, const char *src) {
  sqlite3 *to, *from;
  sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE, NULL);
  sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL);
  sqlite3_busy_timeout(to, 5000);
  sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
  int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE)
    fprintf(stderr, "child backup: %s\n", sqlite3_errmsg(to));
  sqlite3_close(from);
  sqlite3_close(to);
  return rc != SQLITE_DONE;
}

/* Imports 1, 2, ... and after each commit tells the test its number. */
static int child_writer(const char *path, const char *rounds, int out) {
  for (int r = 1; r <= atoi(rounds); r++) {
    char value[16];
    snprintf(value, sizeof value, "%d", r);
    if (child_import(path, value) != 0 || write(out, &r, sizeof r) != sizeof r)
      return 1;
  }
  return 0;
}

static int child(int argc, char **argv) {
  const char *op = argv[2], *path = argv[3], *arg = argc > 4 ? argv[4] : "";
  if (strcmp(op, "import") == 0)
    return child_import(path, arg);
  if (strcmp(op, "truncate") == 0)
    return child_sql(path, "PRAGMA wal_checkpoint(TRUNCATE)", 0);
  if (strcmp(op, "vacuum") == 0)
    return child_sql(path, "VACUUM", 0);
  if (strcmp(op, "rollback") == 0)
    return child_sql(path, "PRAGMA journal_mode = DELETE", 1);
  if (strcmp(op, "backup") == 0)
    return child_backup(path, arg);
  if (strcmp(op, "writer") == 0)
    return child_writer(path, arg, 3);
  return 2;
}

/* Runs `self --child op path arg` to its end; its exit status. */
static int other(const char *op, const char *path, const char *arg) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(self, self, "--child", op, path, arg, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- the tests -------------------------------------------------------------- */

/* value(e, m, 2026) a few times over: the first computes, the rest are
   kept answers. */
static double warm(ck_db *db) {
  double v = NAN;
  for (int i = 0; i < 3; i++)
    v = ck_value(db, "e", "m", "2026", NULL);
  return v;
}

static void made(char path[32], const char *value) {
  check_temp_path(path);
  CHECK_INT(other("import", path, value), 0);
}

TEST(an_import_by_another_process_is_seen_at_once) {
  char path[32];
  made(path, "1");
  for (int readonly = 0; readonly <= 1; readonly++) {
    ck_db *db;
    CHECK_INT(ck_open(path, readonly ? CK_OPEN_READONLY : 0, &db), CK_OK);
    for (int r = 2; r < 12; r++) {
      char value[16];
      snprintf(value, sizeof value, "%d", 100 * readonly + r);
      CHECK_INT(other("import", path, value), 0);
      CHECK_NEAR(warm(db), 100 * readonly + r, 0);
    }
    ck_close(db);
  }
  check_remove_database(path);
}

TEST(a_checkpoint_and_a_wal_reset_are_seen) {
  char path[32];
  made(path, "1");
  ck_db *db;
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
  CHECK_NEAR(warm(db), 1, 0);
  /* the same data, checkpointed, the WAL emptied: the same answer */
  CHECK_INT(other("truncate", path, ""), 0);
  CHECK_NEAR(warm(db), 1, 0);
  /* Commits of the same size, each into a WAL emptied just before: its
     frame count comes back to the same number, its salts and change
     counter do not. */
  for (int r = 2; r < 8; r++) {
    char value[16];
    snprintf(value, sizeof value, "%d", r);
    CHECK_INT(other("truncate", path, ""), 0);
    CHECK_INT(other("import", path, value), 0);
    CHECK_NEAR(warm(db), r, 0);
  }
  ck_close(db);
  check_remove_database(path);
}

TEST(vacuum_by_another_process_keeps_answers_right) {
  char path[32];
  made(path, "1");
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  CHECK_NEAR(warm(db), 1, 0);
  CHECK_INT(other("vacuum", path, ""), 0);
  CHECK_NEAR(warm(db), 1, 0);
  CHECK_INT(other("import", path, "2"), 0);
  CHECK_INT(other("vacuum", path, ""), 0);
  CHECK_NEAR(warm(db), 2, 0);
  ck_close(db);
  check_remove_database(path);
}

/* A database made with value v, then taken out of WAL mode. */
static void made_rollback(char path[32], const char *value) {
  made(path, value);
  CHECK_INT(other("rollback", path, ""), 0);
}

TEST(a_file_replaced_through_sqlite_is_seen) {
  char path[32], next[32];
  made(path, "1");
  made(next, "7");
  ck_db *db;
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
  CHECK_NEAR(warm(db), 1, 0);
  CHECK_INT(other("backup", path, next), 0);
  CHECK_NEAR(warm(db), 7, 0);
  ck_close(db);
  check_remove_database(path);
  check_remove_database(next);
}

TEST(a_rollback_journal_file_is_asked_every_call) {
  char path[32], next[32];
  made_rollback(path, "1");
  made_rollback(next, "7");
  ck_db *db; /* read-only: the file stays in rollback-journal mode */
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
  CHECK_NEAR(warm(db), 1, 0);
  CHECK_INT(other("backup", path, next), 0); /* a commit with a journal */
  CHECK_NEAR(warm(db), 7, 0);
  /* another process's claimkit switches the file to WAL under the handle,
     then commits there */
  CHECK_INT(other("import", path, "8"), 0);
  CHECK_NEAR(warm(db), 8, 0);
  CHECK_INT(other("import", path, "9"), 0);
  CHECK_NEAR(warm(db), 9, 0);
  ck_close(db);
  check_remove_database(path);
  check_remove_database(next);
}

TEST(no_process_takes_the_file_out_of_wal_under_a_handle) {
  char path[32], next[32];
  made(path, "1");
  made_rollback(next, "7");
  for (int readonly = 0; readonly <= 1; readonly++) {
    ck_db *db;
    CHECK_INT(ck_open(path, readonly ? CK_OPEN_READONLY : 0, &db), CK_OK);
    CHECK_NEAR(warm(db), readonly ? 7 : 1, 0);
    /* SQLite refuses while the handle holds its shared lock: the header
       the handle watches stays the one every commit moves */
    int refused = other("rollback", path, "");
    CHECK(refused == 2 || refused == 3);
    CHECK_INT(other("backup", path, next), 0);
    CHECK_NEAR(warm(db), 7, 0);
    ck_close(db);
  }
  check_remove_database(path);
  check_remove_database(next);
}

TEST(a_writer_that_never_stops_is_never_missed) {
  char path[32];
  made(path, "0");
  ck_db *db;
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
  int fds[2];
  CHECK(pipe(fds) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 3);
    execl(self, self, "--child", "writer", path, "60", (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  /* Calls all the time; once round r's commit returned, no call may answer
     less than r. */
  int committed = 0, r, stale = 0;
  double last = 0;
  while (read(fds[0], &r, sizeof r) == sizeof r) {
    committed = r;
    for (int i = 0; i < 20; i++) {
      double v = ck_value(db, "e", "m", "2026", NULL);
      stale += v < committed || v < last;
      last = v;
    }
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK_INT(committed, 60);
  CHECK_INT(stale, 0);
  CHECK_NEAR(ck_value(db, "e", "m", "2026", NULL), 60, 0);
  ck_close(db);
  check_remove_database(path);
}

/* Two handles of one process share SQLite's mapping of the -shm file:
   the other handle's commit moves the header this one reads. */
TEST(another_handle_in_this_process_is_seen_at_once) {
  char path[32];
  made(path, "1");
  ck_db *reader, *writer;
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &reader), CK_OK);
  CHECK_INT(ck_open(path, 0, &writer), CK_OK);
  for (int r = 2; r < 12; r++) {
    char pack[512];
    CHECK_NEAR(warm(reader), r - 1, 0);
    snprintf(pack, sizeof pack,
             "{\"claims\": [{\"actor\": \"a\", \"entity\": \"e\", "
             "\"metric\": \"m\", \"period\": \"2026\", \"value\": %d}]}",
             r);
    CHECK_INT(ck_import_json(writer, pack), CK_OK);
    CHECK_NEAR(ck_value(reader, "e", "m", "2026", NULL), r, 0);
  }
  ck_close(writer);
  ck_close(reader);
  check_remove_database(path);
}

/* A pack refused at its very end, by its script, after its claim is
   stored (so rolled back). */
static const char *const refused_pack =
    "{\"actors\": [{\"id\": \"a\"}], \"entities\": [{\"id\": \"e\"}], "
    "\"metrics\": [{\"id\": \"m\"}], \"claims\": [{\"actor\": \"a\", "
    "\"entity\": \"e\", \"metric\": \"m\", \"period\": \"2026\", \"value\": "
    "5}], \"scripts\": [{\"name\": \"no\", \"lua\": \"error('refused')\"}]}";

/* A file's first import is written with a rollback journal (statements.c,
   "a new file's first import"; test_bulk checks when): the file is in WAL
   again after it, whether it committed or rolled back, with nothing of a
   refused import and no journal left; the handle's warm calls see another
   process's imports after the switch back; held open elsewhere, the file
   takes the import in WAL. */
TEST(a_new_files_first_import_leaves_it_in_wal) {
  char path[32], journal[48], mode[16];
  check_temp_path(path);
  snprintf(journal, sizeof journal, "%s-journal", path);
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  CHECK_INT(ck_import_json(db, refused_pack), CK_SCRIPT);
  CHECK_STR(check_journal_mode(path, mode), "wal");
  CHECK(access(journal, F_OK) != 0);
  CHECK(isnan(ck_value(db, "e", "m", "2026", NULL))); /* nothing stored */
  sqlite3 *elsewhere;
  CHECK_INT(sqlite3_open(path, &elsewhere), SQLITE_OK);
  CHECK_INT(
      sqlite3_exec(elsewhere, "SELECT count(*) FROM claims", NULL, NULL, NULL),
      SQLITE_OK);
  CHECK_INT(ck_import_json(db, refused_pack), CK_SCRIPT);
  sqlite3_close(elsewhere);
  char pack[512];
  int keep = (int)(strstr(refused_pack, ", \"scripts\"") - refused_pack);
  snprintf(pack, sizeof pack, "%.*s}", keep, refused_pack);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_STR(check_journal_mode(path, mode), "wal");
  CHECK(access(journal, F_OK) != 0);
  CHECK_NEAR(warm(db), 5, 0);
  for (int r = 2; r < 5; r++) { /* the handle watches the WAL again */
    char value[16];
    snprintf(value, sizeof value, "%d", r);
    CHECK_INT(other("import", path, value), 0);
    CHECK_NEAR(warm(db), r, 0);
  }
  ck_close(db);
  check_remove_database(path);
}

int main(int argc, char **argv) {
  if (argc > 3 && strcmp(argv[1], "--child") == 0)
    return child(argc, argv);
  self = argv[0];
  static const check_test tests[] = {
      T(an_import_by_another_process_is_seen_at_once),
      T(a_checkpoint_and_a_wal_reset_are_seen),
      T(vacuum_by_another_process_keeps_answers_right),
      T(a_file_replaced_through_sqlite_is_seen),
      T(a_rollback_journal_file_is_asked_every_call),
      T(no_process_takes_the_file_out_of_wal_under_a_handle),
      T(a_writer_that_never_stops_is_never_missed),
      T(another_handle_in_this_process_is_seen_at_once),
      T(a_new_files_first_import_leaves_it_in_wal),
  };
  return check_run(tests, sizeof tests / sizeof tests[0], argc, argv);
}

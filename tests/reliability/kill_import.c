/*
** kill_import.c -- SIGKILL a process importing a large pack into a file
** database, at random moments of the import: every time the file passes
** SQLite's integrity_check and holds exactly the contents from before the
** import or from after it, nothing in between.  Twice: into a file that
** holds claims (the import writes through the WAL), and into a new file
** (its first import is written with a rollback journal, statements.c).
**
**   kill_import [KILLS]     (default 100; prints the figures)
*/
#include "reliability.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

static int copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  if (!in || !out)
    return -1;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    fwrite(buf, 1, n, out);
  fclose(in);
  return fclose(out);
}

static int integrity_ok(const char *path) {
  sqlite3 *raw;
  if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return 0;
  sqlite3_stmt *st;
  int ok = sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, NULL) ==
               SQLITE_OK &&
           sqlite3_step(st) == SQLITE_ROW &&
           strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
  sqlite3_finalize(st);
  sqlite3_close(raw);
  return ok;
}

static uint64_t fingerprint_of(const char *path) {
  ck_db *db;
  uint64_t h = 0;
  if (ck_open(path, 0, &db) == CK_OK)
    h = fingerprint(db);
  ck_close(db);
  return h;
}

/* The kills during imports of `pack` into copies of `base`; 0 when every
   one left the before or the after state and both were met. */
static int kill_imports(const char *base, const char *work, const char *pack,
                        int kills, const char *into) {
  uint64_t before = fingerprint_of(base);

  /* The reference import, run as a killed child runs and timed from the
     fork to its exit: a child starts slower than the parent's own import
     (copied pages, a cold open), and timed in the parent the kills could
     all fall before the commit. */
  copy_file(base, work);
  double start = now_s();
  pid_t ref = fork();
  if (ref == 0) {
    ck_db *child;
    int ok = ck_open(work, 0, &child) == CK_OK &&
             ck_import_file(child, pack) == CK_OK;
    ck_close(child);
    _exit(ok ? 0 : 1);
  }
  int status = 1;
  waitpid(ref, &status, 0);
  double took = now_s() - start;
  uint64_t after = fingerprint_of(work);
  remove_database(work);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !before || !after ||
      before == after) {
    fprintf(stderr, "the reference import failed\n");
    return 1;
  }

  uint64_t seed = 0x5eed2026ULL ^ (uint64_t)time(NULL);
  int saw_before = 0, saw_after = 0, bad = 0;
  for (int i = 0; i < kills; i++) {
    copy_file(base, work);
    /* a moment in the import, its start and its end included */
    useconds_t at = (useconds_t)(next_random(&seed) % (uint64_t)(took * 1.5e6));
    pid_t pid = fork();
    if (pid == 0) {
      ck_db *child;
      ck_open(work, 0, &child);
      ck_import_file(child, pack);
      ck_close(child);
      _exit(0);
    }
    usleep(at);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    uint64_t h = 0;
    if (!integrity_ok(work) || !(h = fingerprint_of(work)) ||
        (h != before && h != after)) {
      fprintf(stderr, "kill %d, %u us in: %s\n", i, (unsigned)at,
              h ? "contents neither before nor after" : "damaged");
      bad++;
    }
    saw_before += h == before;
    saw_after += h == after;
    remove_database(work);
  }
  printf("%d kills during a %.2f s import of 12,000 claims into %s: %d left "
         "the before state, %d the after state, %d anything else (seed "
         "%llx)\n",
         kills, took, into, saw_before, saw_after, bad,
         (unsigned long long)seed);
  /* both outcomes must have been met, or the kills missed the import */
  return !(bad == 0 && saw_before > 0 && saw_after > 0);
}

int main(int argc, char **argv) {
  int kills = argc > 1 ? atoi(argv[1]) : 100;
  char dir[] = "/tmp/ck_kill_XXXXXX";
  if (!mkdtemp(dir))
    return 2;
  char base[64], empty[64], work[64], before_pack[64], pack[64];
  snprintf(base, sizeof base, "%s/base.db", dir);
  snprintf(empty, sizeof empty, "%s/empty.db", dir);
  snprintf(work, sizeof work, "%s/work.db", dir);
  snprintf(before_pack, sizeof before_pack, "%s/a.jsonl", dir);
  snprintf(pack, sizeof pack, "%s/b.jsonl", dir);
  if (write_pack(before_pack, 2000, 200, 1) || write_pack(pack, 12000, 400, 2))
    return 2;
  ck_db *db;
  if (ck_open(base, 0, &db) != CK_OK || ck_import_file(db, before_pack) != CK_OK)
    return 2;
  ck_close(db); /* checkpointed: the base is one file */
  if (ck_open(empty, 0, &db) != CK_OK)
    return 2;
  ck_close(db);

  int failed = kill_imports(base, work, pack, kills, "2,000") +
               kill_imports(empty, work, pack, kills / 2, "a new file");
  remove_database(base);
  remove_database(empty);
  unlink(before_pack);
  unlink(pack);
  rmdir(dir);
  printf("%d passed, %d failed\n", 2 - failed, failed);
  return failed != 0;
}

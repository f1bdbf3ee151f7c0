/*
** full_disk.c -- the disk fills up during an import (RLIMIT_FSIZE: a write
** past the limit fails with EFBIG, as on a full disk): the import returns
** CK_IO, and the database is unchanged and usable, for a limit at every
** size from the database's own up to what the import needs.
**
**   full_disk               (prints the figures)
*/
#include "reliability.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

int main(void) {
  char dir[] = "/tmp/ck_full_XXXXXX";
  if (!mkdtemp(dir))
    return 2;
  char path[64], small[64], big[64];
  snprintf(path, sizeof path, "%s/claims.db", dir);
  snprintf(small, sizeof small, "%s/small.jsonl", dir);
  snprintf(big, sizeof big, "%s/big.jsonl", dir);
  if (write_pack(small, 400, 40, 1) || write_pack(big, 20000, 400, 2))
    return 2;
  ck_db *db;
  if (ck_open(path, 0, &db) != CK_OK || ck_import_file(db, small) != CK_OK)
    return 2;
  uint64_t before = fingerprint(db);
  ck_close(db);
  long size = file_size(path);

  signal(SIGXFSZ, SIG_IGN); /* a write past the limit fails, not kills */
  int tries = 0, io = 0, bad = 0;
  for (long limit = size + 4096; limit < size + 8 * 1024 * 1024;
       limit = limit * 3 / 2) {
    tries++;
    pid_t pid = fork();
    if (pid == 0) {
      struct rlimit rl;
      getrlimit(RLIMIT_FSIZE, &rl);
      rl.rlim_cur = (rlim_t)limit;
      setrlimit(RLIMIT_FSIZE, &rl);
      ck_db *child;
      if (ck_open(path, 0, &child) != CK_OK)
        _exit(10);
      int rc = ck_import_file(child, big);
      if (rc == CK_OK)
        _exit(11); /* the limit was not reached: no test */
      if (rc != CK_IO) {
        fprintf(stderr, "limit %ld: %d %s\n", limit, rc, ck_errmsg(child));
        _exit(12);
      }
      if (fingerprint(child) != before)
        _exit(13); /* the same handle sees the database unchanged */
      _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 99;
    if (code == 11) {
      tries--; /* the import fitted: that limit was no full disk */
      break;
    }
    /* and the file, opened again without the limit, is whole and usable */
    ck_db *again;
    int whole = ck_open(path, 0, &again) == CK_OK &&
                fingerprint(again) == before;
    ck_close(again);
    if (code != 0 || !whole) {
      fprintf(stderr, "limit %ld bytes: child %d, %s\n", limit, code,
              whole ? "file whole" : "file changed or unreadable");
      bad++;
    } else {
      io++;
    }
  }
  /* last, the import goes through once there is room */
  int done = ck_open(path, 0, &db) == CK_OK && ck_import_file(db, big) == CK_OK;
  ck_close(db);
  remove_database(path);
  unlink(small);
  unlink(big);
  rmdir(dir);
  printf("%d file-size limits from %ld bytes up, each too small for the "
         "import: %d gave CK_IO with the database unchanged, %d anything "
         "else; with room the import %s\n",
         tries, size + 4096, io, bad, done ? "succeeded" : "failed");
  int ok = bad == 0 && io >= 5 && done;
  printf("%d passed, %d failed\n", ok, !ok);
  return !ok;
}

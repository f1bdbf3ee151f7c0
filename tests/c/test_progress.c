/*
** test_progress.c -- ck_progress(): an import's progress read from another
** thread while the import runs, through the public API only.  The files
** are generated: JSON Lines of several megabytes (read on two threads), a
** small one (one thread), a pack, a claim sheet and a pipe.
*/
#include "check.h"

#include <claimkit.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>

/* A desk's stream as JSON Lines: sources, actors, questions, entities,
   then `claims` claims, views and observations in turn, with quotes of
   varying length.  Returns the file's size; *bad_at, when not NULL, gets
   the offset of a line appended that no import accepts. */
static long long write_stream(const char *path, int claims, long *bad_at) {
  FILE *f = fopen(path, "w");
  uint32_t x = 20261207;
  fprintf(f, "{\"type\": \"source\", \"id\": \"s\", \"published\": "
             "\"2026-04-28\"}\n{\"type\": \"entity\", \"id\": \"e\"}\n"
             "{\"type\": \"metric\", \"id\": \"m\"}\n");
  for (int q = 0; q < 20; q++)
    fprintf(f, "{\"type\": \"question\", \"id\": \"q%d\"}\n", q);
  for (int a = 0; a < 300; a++)
    fprintf(f, "{\"type\": \"actor\", \"id\": \"a%d\"}\n", a);
  for (int i = 0; i < claims; i++) {
    x = x * 1664525u + 1013904223u;
    int quote = (int)(x >> 26); /* 0..63 more characters */
    fprintf(f, "{\"type\": \"claim\", \"source\": \"s\", \"actor\": \"a%u\", ",
            (x >> 8) % 300);
    if (i % 2)
      fprintf(f, "\"question\": \"q%u\", \"stance\": %d, ", (x >> 4) % 20,
              (int)((x >> 12) % 5) - 2);
    else
      fprintf(f,
              "\"entity\": \"e\", \"metric\": \"m\", \"period\": "
              "\"2026-%02d\", \"value\": %u.25, ",
              1 + i % 12, x % 1000);
    fprintf(f, "\"quote\": \"claim %d: %.*s\"}\n", i, quote,
            "the open models keep closing the gap on the closed ones, "
            "and the capex follows");
  }
  if (bad_at) {
    *bad_at = ftell(f);
    fprintf(f, "{\"type\": \"claim\", \"source\": \"s\", \"actor\": "
               "\"a1\", \"question\": \"q1\", \"stance\": 9}\n");
  }
  long long size = ftell(f);
  fclose(f);
  return size;
}

/* What a thread polling ck_progress() saw. */
typedef struct watch {
  const ck_db *db;
  atomic_int started, done;
  long long samples, running, distinct; /* distinct: 0 < bytes < total */
  long long last_bytes, last_claims, total;
  int backwards, past_total, total_changed;
} watch;

static void *poll_progress(void *arg) {
  watch *w = arg;
  long long seen_total = -1;
  while (!atomic_load(&w->done)) {
    long long running = ck_progress(w->db, CK_PROGRESS_RUNNING);
    long long total = ck_progress(w->db, CK_PROGRESS_TOTAL);
    long long bytes = ck_progress(w->db, CK_PROGRESS_BYTES);
    long long claims = ck_progress(w->db, CK_PROGRESS_CLAIMS);
    w->samples++;
    atomic_store(&w->started, 1);
    if (!running)
      continue;
    w->running++;
    if (seen_total >= 0 && total != seen_total)
      w->total_changed = 1;
    seen_total = w->total = total;
    if (bytes < w->last_bytes || claims < w->last_claims)
      w->backwards = 1;
    if (bytes > total)
      w->past_total = 1;
    if (bytes > w->last_bytes && bytes < total)
      w->distinct++;
    w->last_bytes = bytes;
    w->last_claims = claims;
    sched_yield();
  }
  return NULL;
}

/* Imports `file` into `db` while another thread polls; returns the
   import's status. */
static int import_watched(ck_db *db, const char *file, watch *w) {
  memset(w, 0, sizeof *w);
  w->db = db;
  pthread_t t;
  if (pthread_create(&t, NULL, poll_progress, w) != 0)
    return -1;
  while (!atomic_load(&w->started)) /* the poller runs before the import */
    sched_yield();
  int rc = ck_import_file(db, file);
  atomic_store(&w->done, 1);
  pthread_join(t, NULL);
  return rc;
}

TEST(progress_is_zero_before_any_import) {
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  for (int which = CK_PROGRESS_BYTES; which <= CK_PROGRESS_RUNNING; which++)
    CHECK_INT(ck_progress(db, which), 0);
  CHECK_INT(ck_progress(db, 0), -1);
  CHECK_INT(ck_progress(db, CK_PROGRESS_RUNNING + 1), -1);
  CHECK_INT(ck_progress(NULL, CK_PROGRESS_BYTES), -1);
  CHECK_INT(ck_errcode(db), CK_OK); /* reading it sets no error */
  ck_close(db);
}

TEST(a_large_import_polled_from_another_thread_grows_to_its_total) {
  char file[32], dbpath[32];
  check_temp_path(file);
  check_temp_path(dbpath);
  long long size = write_stream(file, 16000, NULL);
  CHECK(size > 2000000); /* read on a second thread, past 1 MiB */
  ck_db *db;
  CHECK_INT(ck_open(dbpath, 0, &db), CK_OK);
  watch w;
  CHECK_INT(import_watched(db, file, &w), CK_OK);
  CHECK(w.running > 0);
  CHECK_INT(w.total, size);
  CHECK(!w.total_changed);
  CHECK(!w.backwards);
  CHECK(!w.past_total);
  CHECK(w.distinct >=
        2); /* seen between 0 and the total, not only at the end */
  CHECK_INT(ck_progress(db, CK_PROGRESS_BYTES), size);
  CHECK_INT(ck_progress(db, CK_PROGRESS_TOTAL), size);
  CHECK_INT(ck_progress(db, CK_PROGRESS_CLAIMS), 16000);
  CHECK_INT(ck_progress(db, CK_PROGRESS_RUNNING), 0);
  /* the same file again: every claim is taken, found stored already */
  CHECK_INT(ck_import_file(db, file), CK_OK);
  CHECK_INT(ck_progress(db, CK_PROGRESS_CLAIMS), 16000);
  /* a file that cannot be opened is an import that read nothing */
  CHECK_INT(ck_import_file(db, "/nonexistent/claims.jsonl"), CK_IO);
  for (int which = CK_PROGRESS_BYTES; which <= CK_PROGRESS_RUNNING; which++)
    CHECK_INT(ck_progress(db, which), 0);
  /* a small import after it starts from 0 */
  CHECK_INT(ck_import_json(db, "{\"claims\": []}"), CK_OK);
  CHECK_INT(ck_progress(db, CK_PROGRESS_TOTAL), 14);
  CHECK_INT(ck_progress(db, CK_PROGRESS_BYTES), 14);
  CHECK_INT(ck_progress(db, CK_PROGRESS_CLAIMS), 0);
  ck_close(db);
  check_remove_database(dbpath);
  unlink(file);
}

/* A failed import stops at the start of the line that failed, on one
   thread or two, and keeps none of its claims. */
static void check_failed_at_bad_line(int claims) {
  char file[32];
  check_temp_path(file);
  long bad_at = 0;
  long long size = write_stream(file, claims, &bad_at);
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  watch w;
  CHECK_INT(import_watched(db, file, &w), CK_INVALID);
  CHECK(!w.backwards);
  CHECK_INT(ck_progress(db, CK_PROGRESS_BYTES), bad_at);
  CHECK_INT(ck_progress(db, CK_PROGRESS_TOTAL), size);
  CHECK_INT(ck_progress(db, CK_PROGRESS_CLAIMS), claims);
  CHECK_INT(ck_progress(db, CK_PROGRESS_RUNNING), 0);
  CHECK_STR(ck_call(db, "sql", "[\"SELECT count(*) AS n FROM claims\"]"),
            "[{\"n\":0}]");
  ck_close(db);
  unlink(file);
}

TEST(a_failed_small_import_stops_at_the_bad_line) {
  check_failed_at_bad_line(200);
}

TEST(a_failed_large_import_stops_at_the_bad_line) {
  check_failed_at_bad_line(12000);
}

TEST(a_pack_counts_its_bytes_and_claims) {
  const char *pack =
      "{\"sources\": [{\"id\": \"s\"}], \"actors\": [{\"id\": \"a\"}],\n"
      " \"questions\": [{\"id\": \"q\"}], \"claims\": [\n"
      "  {\"source\": \"s\", \"actor\": \"a\", \"question\": \"q\", "
      "\"stance\": 1},\n"
      "  {\"source\": \"s\", \"actor\": \"a\", \"question\": \"q\", "
      "\"stance\": -1, \"as_of\": \"2026-05-01\"}]}";
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_INT(ck_progress(db, CK_PROGRESS_TOTAL), (long long)strlen(pack));
  CHECK_INT(ck_progress(db, CK_PROGRESS_BYTES), (long long)strlen(pack));
  CHECK_INT(ck_progress(db, CK_PROGRESS_CLAIMS), 2);
  ck_close(db);
}

TEST(a_claim_sheet_counts_to_its_size) {
  char file[40];
  check_temp_path(file);
  strcat(file, ".csv");
  FILE *f = fopen(file, "w");
  fputs("source,actor,question,stance\r\n", f);
  for (int i = 0; i < 3000; i++)
    fprintf(f, "s%d,a%d,q%d,%d\r\n", i % 25, i % 50, i % 25, i % 5 - 2);
  long long size = ftell(f);
  fclose(f);
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  char records[4096] = "";
  for (int i = 0; i < 50; i++) /* what the rows refer to */
    snprintf(records + strlen(records), sizeof records - strlen(records),
             "{\"type\": \"actor\", \"id\": \"a%d\"}\n"
             "{\"type\": \"%s\", \"id\": \"%c%d\"}\n",
             i, i % 2 ? "source" : "question", i % 2 ? 's' : 'q', i / 2);
  CHECK_INT(ck_import_json(db, records), CK_OK);
  CHECK_INT(ck_import_file(db, file), CK_OK);
  CHECK_INT(ck_progress(db, CK_PROGRESS_TOTAL), size);
  CHECK_INT(ck_progress(db, CK_PROGRESS_BYTES), size);
  CHECK_INT(ck_progress(db, CK_PROGRESS_CLAIMS), 3000);
  ck_close(db);
  unlink(file);
}

/* Writes a file's bytes into a FIFO, from a thread of its own. */
static void *feed(void *arg) {
  char **paths = arg;
  char *text = check_slurp(paths[0]);
  FILE *f = fopen(paths[1], "w");
  if (f && text)
    fputs(text, f);
  if (f)
    fclose(f);
  free(text);
  return NULL;
}

TEST(a_pipe_has_no_total_until_it_ends) {
  char file[32], fifo[32];
  check_temp_path(file);
  check_temp_path(fifo);
  long long size = write_stream(file, 3000, NULL);
  CHECK_INT(mkfifo(fifo, 0600), 0);
  char *paths[2] = {file, fifo};
  pthread_t t;
  CHECK_INT(pthread_create(&t, NULL, feed, paths), 0);
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  watch w;
  CHECK_INT(import_watched(db, fifo, &w), CK_OK);
  pthread_join(t, NULL);
  CHECK(w.running > 0);
  CHECK_INT(w.total, 0); /* while it ran: not known */
  CHECK(!w.backwards);
  CHECK_INT(ck_progress(db, CK_PROGRESS_TOTAL), size);
  CHECK_INT(ck_progress(db, CK_PROGRESS_BYTES), size);
  CHECK_INT(ck_progress(db, CK_PROGRESS_CLAIMS), 3000);
  ck_close(db);
  unlink(fifo);
  unlink(file);
}

int main(int argc, char **argv) {
  static const check_test tests[] = {
      T(progress_is_zero_before_any_import),
      T(a_large_import_polled_from_another_thread_grows_to_its_total),
      T(a_failed_small_import_stops_at_the_bad_line),
      T(a_failed_large_import_stops_at_the_bad_line),
      T(a_pack_counts_its_bytes_and_claims),
      T(a_claim_sheet_counts_to_its_size),
      T(a_pipe_has_no_total_until_it_ends),
  };
  return check_run(tests, sizeof tests / sizeof *tests, argc, argv);
}

/*
** import_progress.c -- what an import has done so far, for ck_progress():
** counters the importing thread writes and any thread may read.  The
** lowest of the import's files (import.h).
*/
#include "import.h"

/* Only the importing thread writes the counters, so a store, not a
   read-modify-write, is enough; release pairs with ck_progress()'s
   acquire so that a reader never sees BYTES past a TOTAL set before it. */
void import_progress_set(ck_db *db, int which, long long v) {
  atomic_store_explicit(&db->progress[which], v, memory_order_release);
}

/* A count only the importing thread moves, never back: a pack read whole
   after the window's first reading (import.c) counts on from where that
   one got to. */
void import_progress_raise(ck_db *db, int which, long long v) {
  if (v > import_progress_get(db, which))
    import_progress_set(db, which, v);
}

long long import_progress_get(const ck_db *db, int which) {
  return atomic_load_explicit(&db->progress[which], memory_order_relaxed);
}

/* A new import: total is the input's size, 0 when it is not known. */
void import_progress_begin(ck_db *db, long long total) {
  import_progress_set(db, CK_PROGRESS_BYTES, 0);
  import_progress_set(db, CK_PROGRESS_CLAIMS, 0);
  import_progress_set(db, CK_PROGRESS_TOTAL, total);
  import_progress_set(db, CK_PROGRESS_RUNNING, 1);
}

/* The import ended with rc after reading `read` bytes: a whole input is
   worked through, whatever its size was thought to be. */
int import_progress_end(ck_db *db, int rc, long long read) {
  if (rc == CK_OK) {
    import_progress_set(db, CK_PROGRESS_TOTAL, read);
    import_progress_set(db, CK_PROGRESS_BYTES, read);
  }
  import_progress_set(db, CK_PROGRESS_RUNNING, 0);
  return rc;
}

CK_API long long ck_progress(const ck_db *db, int which) {
  if (!db || which < CK_PROGRESS_BYTES || which > CK_PROGRESS_RUNNING)
    return -1;
  return atomic_load_explicit(&db->progress[which], memory_order_acquire);
}

/*
** hub_stub.c -- ck_sync() in a build without libpq (CLAIMKIT_HUB off, and
** always in the Python wheel's bundled copy, which links nothing but libc):
** the ABI is the same, the call says why it cannot sync and what can.
*/
#include "internal.h"

CK_API int ck_sync(ck_db *db, const char *conninfo) {
  (void)conninfo;
  if (!db)
    return CK_MISUSE;
  if (db_enter(db) != CK_OK)
    return CK_MISUSE;
  return db_error(db, CK_MISUSE,
                  "ck_sync: this claimkit was built without libpq "
                  "(CLAIMKIT_HUB off, or the Python wheel's own copy): it "
                  "cannot reach a hub; claimkit-lua sync, or a library built "
                  "with libpq, can");
}

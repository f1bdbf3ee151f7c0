/*
** hub_stub.c -- ck_sync() in a build without libpq (CLAIMKIT_HUB off):
** the ABI is the same, the call says why it cannot sync.
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
                  "(CLAIMKIT_HUB off): it cannot reach a hub");
}

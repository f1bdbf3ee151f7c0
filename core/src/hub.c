/*
** hub.c -- ck_sync(): a desk's hub in PostgreSQL (DESIGN §9, docs/hub.md).
**
** A sync is two halves.  The push is one PostgreSQL transaction: what the
** file holds and the hub lacks or holds in an older version is copied
** (COPY) into a temporary table and merged in SQL, under an advisory lock,
** so that pushes are serialised and the hub sequence numbers they take
** grow in commit order (a pull that read up to N never misses a row below
** N committed later).  The pull is one SQLite transaction: the rows the
** hub gained since the file's last pull are written as JSON Lines and
** imported by the importer (joining the transaction), the retracted
** claims deleted, and the sync state -- the hub sequence pulled, the local
** claims pushed, the hub version each record was last seen at -- stored in
** tables of the file's own (claimkit_hub_sync, claimkit_hub_base) that
** claimkit's schema check leaves alone.  A sync killed anywhere leaves
** each side before or after its half; the next one completes it.
**
** The halves are in hub_push.c and hub_pull.c, the hub's connection and
** schema in hub_pg.c, the sync state in hub_state.c (hub_sync.h); here the
** conninfo's terms are checked, the hub connected, and the halves run in
** the order the terms ask.
*/
#include "hub_sync.h"
#include "periods.h"
#include "storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* only=push: no pull follows to note what the push left on the hub, so a
   transaction of its own does (a sync stopped before it pushes the same
   rows again next time, which changes nothing on the hub). */
static int push_noted(hub *h) {
  if (!h->seen.len && h->local_max <= h->pushed)
    return CK_OK;
  int rc = storage_exec(h->db, "BEGIN IMMEDIATE", "noting the push");
  if (rc == CK_OK)
    rc = hub_store_bases(h, &h->seen);
  if (rc == CK_OK)
    rc = hub_state_set(h, "pushed", h->local_max);
  if (rc == CK_OK)
    rc = storage_exec(h->db, "COMMIT", "noting the push");
  if (!sqlite3_get_autocommit(h->db->sql))
    sqlite3_exec(h->db->sql, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static int sync_run(hub *h) {
  int rc = hub_identify(h);
  if (rc == CK_OK)
    rc = hub_local_tables(h->db);
  if (rc == CK_OK && h->terms.mode != HUB_PULL)
    rc = hub_push(h);
  if (rc == CK_OK && h->terms.mode != HUB_PUSH)
    rc = hub_pull(h);
  else if (rc == CK_OK)
    rc = push_noted(h);
  return rc;
}

static int terms_valid(const hub_terms *t, char *why, size_t n) {
  if (t->since[0] && !date_valid(t->since))
    snprintf(why, n, "since=%s: not a date (YYYY-MM-DD)", t->since);
  else if (t->source[0] && !id_valid(t->source))
    snprintf(why, n, "source=%s: not an id", t->source);
  else if (t->framework[0] && !id_valid(t->framework))
    snprintf(why, n, "framework=%s: not an id", t->framework);
  else
    return 1;
  return 0;
}

CK_API int ck_sync(ck_db *db, const char *conninfo) {
  if (!db)
    return CK_MISUSE;
  if (db_enter(db) != CK_OK)
    return CK_MISUSE;
  if (!conninfo)
    return db_error(db, CK_MISUSE, "ck_sync: conninfo is NULL");
  if (db->readonly)
    return db_error(db, CK_READONLY,
                    "the database was opened read-only; nothing synced");
  hub h;
  memset(&h, 0, sizeof h);
  h.db = db;
  sb_init(&h.seen);
  char *pg = malloc(strlen(conninfo) + 1), why[128];
  if (!pg)
    return db_error(db, CK_NOMEM, "out of memory");
  if (hub_split_conninfo(conninfo, pg, &h.terms, why, sizeof why) != 0 ||
      !terms_valid(&h.terms, why, sizeof why)) {
    free(pg);
    return db_error(db, CK_INVALID, "ck_sync: %s", why);
  }
  /* A filtered pull reads up to its own sequence number: what it left out
     is still pulled by a sync with another filter, or none. */
  snprintf(h.pulled_key, sizeof h.pulled_key, "pulled%s%s%s%s%s%s",
           h.terms.since[0] ? " since=" : "", h.terms.since,
           h.terms.source[0] ? " source=" : "", h.terms.source,
           h.terms.framework[0] ? " framework=" : "", h.terms.framework);
  /* A hub that does not answer is given up on: 10 s unless the conninfo
     says otherwise. */
  const char *keys[] = {"connect_timeout", "dbname", NULL};
  const char *vals[] = {"10", pg, NULL};
  h.pg = PQconnectdbParams(keys, vals, 1);
  free(pg);
  int rc;
  if (!h.pg)
    rc = db_error(db, CK_NOMEM, "out of memory");
  else if (PQstatus(h.pg) != CONNECTION_OK)
    rc = hub_pg_fail(&h, NULL, "cannot connect; nothing changed");
  else
    rc = sync_run(&h);
  PQfinish(h.pg);
  sb_free(&h.seen);
  return rc;
}

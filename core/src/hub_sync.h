/*
** hub_sync.h -- a sync's state and the calls between the files that run
** it (hub.c, hub_pg.c, hub_state.c, hub_push.c, hub_pull.c; built only
** with libpq).  Private to them: the rest of the core reaches the hub
** through ck_sync() and hub.h.
*/
#ifndef CK_HUB_SYNC_H
#define CK_HUB_SYNC_H

#include "internal.h"
#include "hub.h"

#include <libpq-fe.h>

/* One ck_sync(): both connections and what each half leaves the other. */
typedef struct hub {
  ck_db *db;
  PGconn *pg;
  char id[64];        /* the hub's identity (claimkit_hub.hub_id) */
  hub_terms terms;    /* only=, and the pull's filter */
  char pulled_key[256]; /* the sync state's key of the pull's sequence */
  long long pushed;   /* local claims up to this seq are on the hub */
  long long local_max;/* the largest local claim seq the push saw */
  int push_ran;
  long long lo, hi;   /* the hub sequence numbers the push took; 0: none */
  strbuf seen;        /* "kind\tid\tversion\n" the push left on the hub */
} hub;

/* ---- hub_pg.c: the hub's connection and schema */

/* The handle's error from the hub's message (r is cleared); CK_IO when
   the connection is lost, else CK_ERROR. */
int hub_pg_fail(hub *h, PGresult *r, const char *doing);
/* Runs SQL with text parameters; *out gets the result when wanted. */
int hub_pg_run(hub *h, const char *sql, int n, const char *const *params,
               PGresult **out, const char *doing);
void hub_pg_rollback(hub *h);
/* A hub of this version (h->id read), or an empty database made one;
   anything else is refused before the file is touched. */
int hub_identify(hub *h);

/* ---- hub_state.c: the sync state in the file */

/* claimkit_hub_sync and claimkit_hub_base, made when missing. */
int hub_local_tables(ck_db *db);
/* A key of this hub's sync state; 0 when never stored. */
int hub_state_get(hub *h, const char *key, long long *out);
int hub_state_set(hub *h, const char *key, long long v);
/* The largest claim rowid of the file, or -1 when it cannot be read. */
long long hub_local_max_seq(ck_db *db);
/* Each "kind\tid\tversion" line of `lines` (written over): the file's
   record as the base of that version. */
int hub_store_bases(hub *h, const strbuf *lines);

/* ---- hub_push.c, hub_pull.c: the two halves */

/* The push's PostgreSQL transaction; sets h->push_ran, lo, hi, seen. */
int hub_push(hub *h);
/* The pull's SQLite transaction, after the push when it ran. */
int hub_pull(hub *h);

/* Every record of the file with its kind, id and canonical text, one
   SELECT per kind's table: what the push and the pull compare with the
   bases they last agreed with the hub on. */
#define HUB_FILE_RECORDS                                                       \
  "  SELECT 'framework' AS kind, id, record FROM frameworks UNION ALL\n"      \
  "  SELECT 'source', id, record FROM sources UNION ALL\n"                    \
  "  SELECT 'actor', id, record FROM actors UNION ALL\n"                      \
  "  SELECT 'entity', id, record FROM entities UNION ALL\n"                   \
  "  SELECT 'metric', id, record FROM metrics UNION ALL\n"                    \
  "  SELECT 'question', id, record FROM questions UNION ALL\n"                \
  "  SELECT 'script', name, record FROM scripts"

#endif

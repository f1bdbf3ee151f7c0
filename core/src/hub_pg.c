/*
** hub_pg.c -- the hub's side of a sync (DESIGN §9, docs/hub.md): its
** errors as the handle's, SQL run on it, and its schema checked or, in an
** empty database, made.  Nothing here touches the file: a database that
** is no hub, or a hub newer than this claimkit, is refused before it is.
*/
#include "hub_sync.h"
#include "hub_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hub's message, first line, without libpq's "ERROR:  ". */
static const char *pg_message(PGconn *pg, PGresult *r) {
  const char *m = r ? PQresultErrorMessage(r) : NULL;
  if (!m || !*m)
    m = PQerrorMessage(pg);
  return strncmp(m, "ERROR:  ", 8) == 0 ? m + 8 : m;
}

int hub_pg_fail(hub *h, PGresult *r, const char *doing) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s", pg_message(h->pg, r));
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
    msg[--n] = '\0';
  PQclear(r);
  return db_error(h->db, PQstatus(h->pg) == CONNECTION_OK ? CK_ERROR : CK_IO,
                  "hub: %s: %s", doing, msg);
}

/* Runs SQL with text parameters; *out gets the result when wanted. */
int hub_pg_run(hub *h, const char *sql, int n, const char *const *params,
                  PGresult **out, const char *doing) {
  PGresult *r = n ? PQexecParams(h->pg, sql, n, NULL, params, NULL, NULL, 0)
                 : PQexec(h->pg, sql);
  ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
    return hub_pg_fail(h, r, doing);
  if (out)
    *out = r;
  else
    PQclear(r);
  return CK_OK;
}

void hub_pg_rollback(hub *h) {
  PQclear(PQexec(h->pg, "ROLLBACK"));
}

/* ---- the hub's identity and schema ---------------------------------------- */

/* Under the push lock, so that analysts syncing into the empty database
   at the same time make it once: the others find it made. */
static int hub_create(hub *h) {
  PGresult *r = NULL;
  int rc = hub_pg_run(h, "BEGIN", 0, NULL, NULL, "creating the hub");
  if (rc == CK_OK)
    rc = hub_pg_run(h, "SELECT pg_advisory_xact_lock(1131110466)", 0, NULL, NULL,
                "creating the hub");
  if (rc == CK_OK)
    /* pg_class read by this statement's snapshot, taken after the lock
       (to_regclass's catalog cache may not have seen the other's commit) */
    rc = hub_pg_run(h,
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE c.relname = 'claimkit_hub' "
                "AND n.nspname = current_schema())",
                0, NULL, &r, "creating the hub");
  if (rc == CK_OK) {
    int made = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (made)
      return hub_pg_run(h, "COMMIT", 0, NULL, NULL, "creating the hub");
    rc = hub_pg_run(h, CK_HUB_SCHEMA, 0, NULL, NULL, "creating the hub");
  }
  if (rc == CK_OK) {
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO claimkit_hub VALUES ('schema_version', '%d'), "
             "('hub_id', md5(random()::text || clock_timestamp()::text))",
             CK_HUB_SCHEMA_VERSION);
    rc = hub_pg_run(h, sql, 0, NULL, NULL, "creating the hub");
  }
  /* The reviewer role, when this role may make it (else the desk's
     administrator makes it: docs/hub.md). */
  if (rc == CK_OK)
    rc = hub_pg_run(h,
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE "
                "rolname = 'claimkit_reviewer') AND (SELECT rolcreaterole OR "
                "rolsuper FROM pg_roles WHERE rolname = current_user) THEN "
                "CREATE ROLE claimkit_reviewer NOLOGIN; END IF; END $$",
                0, NULL, NULL, "creating the hub");
  if (rc == CK_OK)
    rc = hub_pg_run(h, "COMMIT", 0, NULL, NULL, "creating the hub");
  if (rc != CK_OK)
    hub_pg_rollback(h);
  return rc;
}

/* A hub of this version, or an empty database made one; anything else is
   refused before the file is touched. */
int hub_identify(hub *h) {
  PGresult *r = NULL;
  int rc = hub_pg_run(h,
                  "SELECT to_regclass('claimkit_hub') IS NOT NULL, "
                  "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                  "n.oid = c.relnamespace WHERE n.nspname = current_schema()), "
                  "current_database()",
                  0, NULL, &r, "reading the hub");
  if (rc != CK_OK)
    return rc;
  int is_hub = PQgetvalue(r, 0, 0)[0] == 't';
  long long objects = atoll(PQgetvalue(r, 0, 1));
  char dbname[128];
  snprintf(dbname, sizeof dbname, "%s", PQgetvalue(r, 0, 2));
  PQclear(r);
  if (!is_hub && objects > 0)
    return db_error(h->db, CK_ERROR,
                    "hub: database '%s' is not a claimkit hub (it holds %lld "
                    "tables, views or sequences but no claimkit_hub; a hub "
                    "is made by the first sync into an empty database); "
                    "nothing changed",
                    dbname, objects);
  if (!is_hub && (rc = hub_create(h)) != CK_OK)
    return rc;
  rc = hub_pg_run(h,
              "SELECT (SELECT value FROM claimkit_hub WHERE key = "
              "'schema_version'), (SELECT value FROM claimkit_hub WHERE key = "
              "'hub_id')",
              0, NULL, &r, "reading the hub");
  if (rc != CK_OK)
    return rc;
  int version = PQgetisnull(r, 0, 0) ? -1 : atoi(PQgetvalue(r, 0, 0));
  snprintf(h->id, sizeof h->id, "%s", PQgetvalue(r, 0, 1));
  int no_id = PQgetisnull(r, 0, 1) || !h->id[0];
  PQclear(r);
  if (version < 1 || no_id)
    return db_error(h->db, CK_ERROR,
                    "hub: database '%s' has a claimkit_hub table without a "
                    "schema version or hub id: not a claimkit hub; nothing "
                    "changed",
                    dbname);
  if (version > CK_HUB_SCHEMA_VERSION)
    return db_error(h->db, CK_ERROR,
                    "hub: database '%s' has hub schema version %d, newer "
                    "than claimkit %s reads (%d); upgrade claimkit; nothing "
                    "changed",
                    dbname, version, CK_VERSION, CK_HUB_SCHEMA_VERSION);
  return CK_OK;
}

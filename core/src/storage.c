/*
** storage.c -- the SQLite file: opening, the schema, migrations.
**
** The schema is a public, read-only interface (docs/schema.md): users
** open the file with any SQLite tool.  Every record keeps its normalised
** JSON in `record`, from which export writes the pack back unchanged; the
** other columns are what queries use.  PRAGMA application_id marks the file
** as ours and PRAGMA user_version carries the schema version.
*/
#include "internal.h"
#include "key_values.h"
#include "latest.h"
#include "storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* migrations[v] takes a file from schema version v to v + 1. */
static const char *const migrations[CK_SCHEMA_VERSION] = {
    /* 0 -> 1: the first schema */
    "CREATE TABLE sources(\n"
    "  id TEXT PRIMARY KEY NOT NULL, title TEXT, kind TEXT, publisher TEXT,\n"
    "  published TEXT, lang TEXT, record TEXT NOT NULL);\n"
    "CREATE TABLE actors(\n"
    "  id TEXT PRIMARY KEY NOT NULL, name TEXT, region TEXT, kind TEXT,\n"
    "  weight REAL NOT NULL DEFAULT 1.0, record TEXT NOT NULL);\n"
    "CREATE TABLE frameworks(\n"
    "  id TEXT PRIMARY KEY NOT NULL, name TEXT, record TEXT NOT NULL);\n"
    "CREATE TABLE entities(\n"
    "  id TEXT PRIMARY KEY NOT NULL, name TEXT, kind TEXT, parent TEXT,\n"
    "  record TEXT NOT NULL);\n"
    "CREATE TABLE metrics(\n"
    "  id TEXT PRIMARY KEY NOT NULL, name TEXT, unit TEXT,\n"
    "  higher_is_better INTEGER NOT NULL DEFAULT 1, framework TEXT,\n"
    "  record TEXT NOT NULL);\n"
    "CREATE TABLE questions(\n"
    "  id TEXT PRIMARY KEY NOT NULL, text TEXT, framework TEXT,\n"
    "  scale_min INTEGER NOT NULL, scale_max INTEGER NOT NULL,\n"
    "  outcome INTEGER, resolved_on TEXT, record TEXT NOT NULL);\n"
    "CREATE TABLE claims(\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('view', 'observation')),\n"
    "  source TEXT, actor TEXT NOT NULL, locator TEXT, quote TEXT,\n"
    "  as_of TEXT, tags TEXT,\n"
    "  question TEXT, stance INTEGER,\n"
    "  entity TEXT, metric TEXT, period TEXT, period_end TEXT,\n"
    "  value REAL, lo REAL, hi REAL, qualifier TEXT, quantity TEXT,\n"
    "  unit TEXT,\n"
    "  record TEXT NOT NULL);\n"
    "CREATE INDEX claims_view_key ON claims(question, actor, as_of, seq)\n"
    "  WHERE kind = 'view';\n"
    "CREATE INDEX claims_observation_key ON claims(entity, metric, period)\n"
    "  WHERE kind = 'observation';\n"
    "CREATE INDEX claims_metric_period ON claims(metric, period)\n"
    "  WHERE kind = 'observation';\n"
    "CREATE INDEX claims_actor ON claims(actor);\n"
    "CREATE TABLE scripts(\n"
    "  name TEXT PRIMARY KEY NOT NULL, lua TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL, record TEXT NOT NULL);\n"
    "CREATE VIEW views AS\n"
    "  SELECT c.id, c.seq, c.source, c.actor, c.locator, c.quote,\n"
    "         " CK_CLAIM_DATE " AS as_of, c.tags, c.question, c.stance\n"
    "  FROM claims c LEFT JOIN sources s ON s.id = c.source\n"
    "  WHERE c.kind = 'view';\n"
    "CREATE VIEW observations AS\n"
    "  SELECT c.id, c.seq, c.source, c.actor, c.locator, c.quote,\n"
    "         " CK_CLAIM_DATE " AS as_of, c.tags, c.entity, c.metric,\n"
    "         c.period, c.period_end, c.value, c.lo, c.hi, c.qualifier,\n"
    "         c.quantity, COALESCE(c.unit, m.unit, '') AS unit\n"
    "  FROM claims c LEFT JOIN sources s ON s.id = c.source\n"
    "       LEFT JOIN metrics m ON m.id = c.metric\n"
    "  WHERE c.kind = 'observation';\n",
    /* 1 -> 2: the latest view of each actor on each question and the
       latest observation of each actor for each key, kept in tables of
       their own, so that a consensus reads one row per actor and a value
       one row per actor, however many claims the database holds; the two
       indexes only they served go. */
    "DROP INDEX claims_actor;\n"
    "DROP INDEX claims_metric_period;\n"
    "DROP INDEX claims_view_key;\n"
    "CREATE INDEX claims_view_key ON claims(question, actor)\n"
    "  WHERE kind = 'view';\n"
    /* A claim's rowid is its seq, so the next import finds the largest
       seq as it finds the largest rowid (two steps: no rowid is taken
       twice on the way). */
    "UPDATE claims SET rowid = -seq;\n"
    "UPDATE claims SET rowid = -rowid;\n"
    "CREATE TABLE latest_views(\n"
    "  question TEXT NOT NULL, actor TEXT NOT NULL, date TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL, stance INTEGER NOT NULL, weight REAL NOT NULL,\n"
    "  region TEXT, actor_kind TEXT, claim TEXT NOT NULL,\n"
    "  PRIMARY KEY (question, actor)) WITHOUT ROWID;\n"
    "CREATE TABLE latest_observations(\n"
    "  entity TEXT NOT NULL, metric TEXT NOT NULL, period TEXT NOT NULL,\n"
    "  actor TEXT NOT NULL, date TEXT NOT NULL, seq INTEGER NOT NULL,\n"
    "  period_end TEXT, value REAL NOT NULL, lo REAL NOT NULL,\n"
    "  hi REAL NOT NULL, unit TEXT NOT NULL, claim TEXT NOT NULL,\n"
    "  PRIMARY KEY (entity, metric, period, actor)) WITHOUT ROWID;\n"

    "CREATE TABLE key_values(\n"
    "  entity TEXT NOT NULL, metric TEXT NOT NULL, period TEXT NOT NULL,\n"
    "  period_end TEXT, n INTEGER NOT NULL, unit TEXT, value REAL, lo REAL,\n"
    "  hi REAL, mean REAL, sd REAL, min REAL, max REAL,\n"
    "  PRIMARY KEY (entity, metric, period)) WITHOUT ROWID;\n"
    "CREATE INDEX key_values_metric ON key_values(metric, period, value);\n"
    "INSERT INTO latest_views " CK_LATEST_VIEWS("") ";\n"
    "INSERT INTO latest_observations " CK_LATEST_OBSERVATIONS("") ";\n",
    /* 2 -> 3: the derived tables' fingerprint (storage_fingerprint_store),
       by which a file another tool edited has them rebuilt. */
    ("CREATE TABLE claimkit_meta(\n"
     "  key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;\n"),
};

static int pragma_int(ck_db *db, const char *sql, int *out) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    rc = sqlite3_finalize(st) != SQLITE_OK && rc == SQLITE_OK
             ? sqlite3_errcode(db->sql)
             : rc;
  }
  return rc == SQLITE_OK ? CK_OK
                         : db_sql_error(db, rc, "reading the database header");
}

/* ---- the derived tables agree with the claims ---------------------------- */

/* The fingerprint of the derived tables and of what they are computed
   from: counts, and the last claim's seq.  Cheap next to a recount of
   the claims (one pass over an index each), and it moves whenever another
   tool deletes or adds claims, actors, sources, metrics or derived rows;
   an edit in place of a derived row is caught when the row is read back
   (observations.c, views.c). */
#define FINGERPRINT                                                            \
  "printf('claims %d (last seq %d), actors %d, sources %d, metrics %d, "      \
  "latest_views %d, latest_observations %d, key_values %d', "                 \
  "(SELECT count(*) FROM claims), (SELECT coalesce(max(rowid), 0) FROM "      \
  "claims), (SELECT count(*) FROM actors), (SELECT count(*) FROM sources), "  \
  "(SELECT count(*) FROM metrics), (SELECT count(*) FROM latest_views), "     \
  "(SELECT count(*) FROM latest_observations), (SELECT count(*) FROM "        \
  "key_values))"

int storage_fingerprint_store(ck_db *db) {
  int upkeep = db->upkeep;
  db->upkeep = 1;
  int rc = storage_exec(db,
                        "INSERT OR REPLACE INTO claimkit_meta(key, value) "
                        "SELECT 'derived', " FINGERPRINT,
                        "keeping the derived tables' fingerprint");
  db->upkeep = upkeep;
  return rc;
}

/* Whether the stored fingerprint is the tables' own, inside the current
   transaction; when not, `why` says both. */
static int fingerprint_agrees(ck_db *db, int *agree, char *why, size_t n) {
  sqlite3_stmt *st;
  int rc = storage_cached(db,
                          "SELECT (SELECT value FROM claimkit_meta WHERE key = "
                          "'derived'), " FINGERPRINT,
                          &st);
  if (rc != CK_OK)
    return rc;
  db->upkeep = 1;
  int s = sqlite3_step(st);
  db->upkeep = 0;
  const char *kept = (const char *)sqlite3_column_text(st, 0);
  const char *now = (const char *)sqlite3_column_text(st, 1);
  /* A text SQLite could not make is no disagreement: no memory. */
  int nomem = s == SQLITE_ROW &&
              (!now || (!kept && sqlite3_column_type(st, 0) != SQLITE_NULL));
  *agree = s == SQLITE_ROW && kept && now && strcmp(kept, now) == 0;
  snprintf(why, n, "claimkit_meta says '%s', the tables hold '%s'",
           kept ? kept : "nothing", now ? now : "?");
  storage_release(db, st);
  if (s != SQLITE_ROW)
    return db_sql_error(db, s, "checking the derived tables");
  return nomem ? db_nomem(db) : CK_OK;
}

/* latest_views, latest_observations and key_values computed again from
   the claims, by the SQL and C an import uses, inside the caller's write
   transaction. */
static int rebuild_derived(ck_db *db) {
  db->upkeep = 1;
  int rc = storage_exec(
      db,
      "DELETE FROM latest_views;\n"
      "INSERT INTO latest_views " CK_LATEST_VIEWS("") ";\n"
      "DELETE FROM latest_observations;\n"
      "INSERT INTO latest_observations " CK_LATEST_OBSERVATIONS("") ";\n"
      "DELETE FROM key_values;\n",
      "rebuilding the derived tables");
  if (rc == CK_OK)
    rc = key_values_refresh(db, "SELECT DISTINCT entity, metric, period "
                                "FROM latest_observations");
  if (rc == CK_OK)
    rc = storage_fingerprint_store(db);
  db->upkeep = 0;
  db->writes++; /* kept results may be out of date (cache.c) */
  return rc;
}

static long long current_data_version(ck_db *db) {
  int rc = sqlite3_step(db->data_version);
  long long v = rc == SQLITE_ROW ? sqlite3_column_int64(db->data_version, 0)
                                 : -1;
  sqlite3_reset(db->data_version);
  return v;
}

int storage_derived_settle(ck_db *db) {
  long long version = current_data_version(db);
  if (version >= 0 && version == db->checked_version)
    return CK_OK;
  char why[512];
  int agree, rc = fingerprint_agrees(db, &agree, why, sizeof why);
  if (rc != CK_OK || agree) {
    db->checked_version = rc == CK_OK ? version : -1;
    return rc;
  }
  /* Rebuilt inside the caller's transaction, which may yet roll back:
     checked again next time. */
  db->checked_version = -1;
  return rebuild_derived(db);
}

/* The derived tables of the snapshot just begun are checked when another
   connection changed the file since they last were; on a read-write
   handle, rebuilt when they disagree (in a transaction of their own, and
   the snapshot begun again). */
static int check_snapshot(ck_db *db) {
  for (int attempt = 0;; attempt++) {
    long long version = current_data_version(db); /* starts the snapshot */
    if (version >= 0 && version == db->checked_version)
      return CK_OK;
    char why[512];
    int agree, rc = fingerprint_agrees(db, &agree, why, sizeof why);
    if (rc == CK_OK && agree) {
      db->checked_version = version;
      return CK_OK;
    }
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    if (rc != CK_OK)
      return rc;
    if (db->readonly || attempt > 0)
      return db_error(db, CK_ERROR,
                      "the derived tables (latest_views, latest_observations, "
                      "key_values) disagree with the claims: %s; the database "
                      "was edited by another tool (open it read-write once "
                      "to rebuild them from the claims)",
                      why);
    rc = storage_exec(db, "BEGIN IMMEDIATE", "rebuilding the derived tables");
    if (rc == CK_OK)
      rc = storage_derived_settle(db);
    if (rc == CK_OK)
      rc = storage_exec(db, "COMMIT", "rebuilding the derived tables");
    if (rc != CK_OK) {
      if (!sqlite3_get_autocommit(db->sql))
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
      return rc;
    }
    int s = sqlite3_step(db->begin_read);
    sqlite3_reset(db->begin_read);
    if (s != SQLITE_DONE)
      return db_sql_error(db, s, "starting to read");
  }
}

/* ---- one snapshot per call ----------------------------------------------- */

int storage_read_begin(ck_db *db, int *began) {
  *began = 0;
  if (!sqlite3_get_autocommit(db->sql))
    return CK_OK; /* an import's scripts: they read what it wrote */
  int rc = sqlite3_step(db->begin_read);
  sqlite3_reset(db->begin_read);
  if (rc != SQLITE_DONE)
    return db_sql_error(db, rc, "starting to read");
  if ((rc = check_snapshot(db)) != CK_OK)
    return rc;
  *began = 1;
  return CK_OK;
}

void storage_read_end(ck_db *db, int began) {
  if (!began || sqlite3_get_autocommit(db->sql))
    return;
  int rc = sqlite3_step(db->end_read);
  sqlite3_reset(db->end_read);
  if (rc != SQLITE_DONE) /* a read that cannot end still must not linger */
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- every query is bounded ------------------------------------------------ */

/* SQLite calls this every CK_PROGRESS_EVERY steps of any statement: a
   query may run only as long as the call's budget allows -- the script's
   (CK_LIMIT_LUA_STEPS), and CK_LIMIT_SQL_STEPS for every call -- so no
   query, a user's recursive CTE or a hostile file's, can hold the host. */
static int on_progress(void *ctx) {
  ck_db *db = ctx;
  if (db_cancelled(db)) { /* even upkeep: it is rolled back and redone */
    db->interrupted = DB_CANCELLED;
    return 1;
  }
  if (db->upkeep)
    return 0;
  db->sql_steps += CK_PROGRESS_EVERY;
  if (budget_charge(db, CK_PROGRESS_EVERY * CK_SQL_STEP_COST) != 0) {
    db->interrupted = CK_SCRIPT;
    return 1;
  }
  if (db->sql_steps > db->sql_limit) {
    db->interrupted = CK_ERROR;
    return 1;
  }
  return 0;
}

/* ---- the schema is ours ------------------------------------------------------ */

#define MAX_SCHEMA_ROWS 64

typedef struct schema_row {
  char *type, *name, *sql;
  int seen;
} schema_row;

static void free_rows(schema_row *rows, int n) {
  for (int i = 0; i < n; i++) {
    free(rows[i].type);
    free(rows[i].name);
    free(rows[i].sql);
  }
}

static char *dup_column(sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return strdup(t ? (const char *)t : "");
}

/* The schema objects that running the first `version` migrations on an
   empty database makes: what a file of that version must hold, exactly. */
static int reference_schema(ck_db *db, int version, schema_row *rows,
                            int *n) {
  sqlite3 *ref = NULL;
  *n = 0;
  int rc = sqlite3_open_v2(":memory:", &ref,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  for (int v = 0; rc == SQLITE_OK && v < version; v++)
    rc = sqlite3_exec(ref, migrations[v], NULL, NULL, NULL);
  sqlite3_stmt *st = NULL;
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(ref, "SELECT type, name, sql FROM sqlite_schema",
                            -1, &st, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == MAX_SCHEMA_ROWS) {
      rc = SQLITE_ERROR;
      break;
    }
    schema_row *r = &rows[(*n)++];
    r->type = dup_column(st, 0);
    r->name = dup_column(st, 1);
    r->sql = dup_column(st, 2);
    r->seen = 0;
    rc = r->type && r->name && r->sql ? SQLITE_OK : SQLITE_NOMEM;
  }
  sqlite3_finalize(st);
  sqlite3_close(ref);
  if (rc == SQLITE_DONE)
    return CK_OK;
  free_rows(rows, *n);
  *n = 0;
  return rc == SQLITE_NOMEM || !ref
             ? db_nomem(db)
             : db_error(db, CK_ERROR, "internal: the reference schema");
}

/* The reference object named `name`, or -1. */
static int find_row(const schema_row *rows, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(rows[i].name, name) == 0)
      return i;
  return -1;
}

/* One object of the file against the reference.  claimkit's own objects
   must be exactly as it made them.  Anything else is a user's or a
   replication tool's (Litestream's _litestream_seq, a desk's notes table,
   its triggers, indexes and views): theirs, and never read by claimkit --
   except a trigger on one of claimkit's tables, which would run inside
   claimkit's own writes. */
static int check_object(ck_db *db, const char *path, schema_row *rows, int n,
                        const char *type, const char *name, const char *table,
                        const char *sql) {
  int i = find_row(rows, n, name);
  if (i >= 0 && strcmp(rows[i].type, type) == 0) {
    rows[i].seen = 1;
    if (strcmp(rows[i].sql, sql) == 0)
      return CK_OK;
    return db_error(db, CK_ERROR,
                    "'%s': %s '%s' is not as claimkit makes it (edited by "
                    "another tool?); refusing to open it",
                    path, type, name);
  }
  int t = strcmp(type, "trigger") == 0 ? find_row(rows, n, table) : -1;
  if (i < 0 && t < 0)
    return CK_OK;
  return db_error(db, CK_ERROR,
                  "'%s' has a %s '%s' that claimkit did not make%s%s%s "
                  "(edited by another tool?); refusing to open it",
                  path, type, name, t >= 0 ? ", on its table '" : "",
                  t >= 0 ? table : "", t >= 0 ? "'" : "");
}

/* Refuses a file whose claimkit objects are not those schema `version`
   has: a view in place of a table, a changed column or index, a trigger
   on a claimkit table.  Such a file was edited by another tool, and its
   objects could run anything on our queries.  Indexes a user added to
   claimkit's tables, ANALYZE's statistics and objects of the user's own
   are allowed. */
static int verify_schema(ck_db *db, const char *path, int version) {
  schema_row rows[MAX_SCHEMA_ROWS], later[MAX_SCHEMA_ROWS];
  int n, nlater = 0, rc = reference_schema(db, version, rows, &n);
  if (rc != CK_OK)
    return rc;
  /* An older version's file cannot hold what only later versions make. */
  if (version < CK_SCHEMA_VERSION &&
      (rc = reference_schema(db, CK_SCHEMA_VERSION, later, &nlater)) != CK_OK) {
    free_rows(rows, n);
    return rc;
  }
  sqlite3_stmt *st;
  rc = storage_prepare(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema",
                       &st);
  int s = SQLITE_DONE;
  while (rc == CK_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *f[4];
    for (int k = 0; k < 4; k++) {
      f[k] = (const char *)sqlite3_column_text(st, k);
      f[k] = f[k] ? f[k] : "";
    }
    rc = check_object(db, path, rows, n, f[0], f[1], f[2], f[3]);
    if (rc == CK_OK && find_row(rows, n, f[1]) < 0 &&
        find_row(later, nlater, f[1]) >= 0)
      rc = db_error(db, CK_ERROR,
                    "'%s' has a %s '%s', which schema version %d does not "
                    "have",
                    path, f[0], f[1], version);
  }
  if (rc == CK_OK && s != SQLITE_DONE)
    rc = db_sql_error(db, s, "reading the schema");
  sqlite3_finalize(st);
  for (int i = 0; rc == CK_OK && i < n; i++)
    if (!rows[i].seen)
      rc = db_error(db, CK_ERROR,
                    "'%s' has no %s '%s': not a whole claimkit database", path,
                    rows[i].type, rows[i].name);
  free_rows(rows, n);
  free_rows(later, nlater);
  return rc;
}

/* Before a migration changes anything: the file must hold what its
   version says, else (a version-2 file whose user_version another tool
   set to 1) a migration would half-run on tables it does not expect. */
static int verify_before_migrating(ck_db *db, const char *path, int version) {
  int rc = verify_schema(db, path, version);
  if (rc != CK_ERROR)
    return rc;
  char why[CK_ERRMSG_MAX];
  snprintf(why, sizeof why, "%s", db->errmsg);
  return db_error(db, CK_ERROR,
                  "'%s' says it has schema version %d (PRAGMA user_version), "
                  "but its tables are not that version's (edited by another "
                  "tool?); refusing to migrate it, nothing changed: %s",
                  path, version, why);
}

static int migrate(ck_db *db, int from, const char *path) {
  if (db->readonly)
    return db_error(db, CK_READONLY,
                    "'%s' has schema version %d and needs migrating to %d; "
                    "open it once read-write",
                    path, from, CK_SCHEMA_VERSION);
  int rc = storage_exec(db, "BEGIN IMMEDIATE", "migrating the schema");
  for (int v = from; rc == CK_OK && v < CK_SCHEMA_VERSION; v++) {
    rc = storage_exec(db, migrations[v], "migrating the schema");
    /* key_values holds medians, which SQL does not compute: C does. */
    if (rc == CK_OK && v == 1)
      rc = key_values_refresh(db, "SELECT DISTINCT entity, metric, period "
                                  "FROM latest_observations");
    if (rc == CK_OK && v == 2)
      rc = storage_fingerprint_store(db);
  }
  if (rc == CK_OK) {
    char sql[128];
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; PRAGMA user_version = %d; COMMIT",
             CK_APPLICATION_ID, CK_SCHEMA_VERSION);
    rc = storage_exec(db, sql, "migrating the schema");
  }
  if (rc != CK_OK)
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

int storage_open(ck_db *db, const char *path, int flags) {
  int memory = !path || !*path || strcmp(path, ":memory:") == 0;
  const char *name = memory ? ":memory:" : path;
  int want_readonly = (flags & CK_OPEN_READONLY) != 0;
  /* An in-memory database starts empty, so it is created writable and made
     read-only afterwards, by claimkit's own checks and query_only. */
  db->readonly = want_readonly && !memory;
  int oflags = db->readonly
                   ? SQLITE_OPEN_READONLY
                   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(name, &db->sql, oflags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    if (!db->sql)
      return db_nomem(db);
    return db_error(db, CK_IO, "cannot open '%s': %s", name,
                    sqlite3_errmsg(db->sql));
  }
  sqlite3_extended_result_codes(db->sql, 0);
  sqlite3_busy_timeout(db->sql, (int)db->busy_ms);
  sqlite3_db_config(db->sql, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  sqlite3_db_config(db->sql, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  /* A file is untrusted input: no trigger or view of it may run functions
     it names, and the schema check below refuses what is not ours. */
  sqlite3_db_config(db->sql, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_progress_handler(db->sql, CK_PROGRESS_EVERY, on_progress, db);

  int app_id, version, tables;
  if ((rc = pragma_int(db, "PRAGMA application_id", &app_id)) != CK_OK ||
      (rc = pragma_int(db, "PRAGMA user_version", &version)) != CK_OK ||
      (rc = pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables)) !=
          CK_OK)
    return rc;
  if (app_id != CK_APPLICATION_ID && (app_id != 0 || version != 0 || tables))
    return db_error(db, CK_ERROR,
                    "'%s' is an SQLite database but not a claimkit one "
                    "(application_id %d)",
                    name, app_id);
  if (version < 0)
    return db_error(db, CK_ERROR,
                    "'%s' has schema version %d, which no claimkit writes: "
                    "not a claimkit database",
                    name, version);
  if (version > CK_SCHEMA_VERSION)
    return db_error(db, CK_ERROR,
                    "'%s' has schema version %d, newer than claimkit %s "
                    "reads (%d); upgrade claimkit",
                    name, version, CK_VERSION, CK_SCHEMA_VERSION);
  if (version < CK_SCHEMA_VERSION &&
      ((rc = verify_before_migrating(db, name, version)) != CK_OK ||
       (rc = migrate(db, version, name)) != CK_OK))
    return rc;
  if ((rc = verify_schema(db, name, CK_SCHEMA_VERSION)) != CK_OK)
    return rc;
  if (!memory && !db->readonly &&
      (rc = storage_exec(db, "PRAGMA journal_mode = WAL",
                         "switching to WAL")) != CK_OK)
    return rc;
  /* A 32 MiB page cache: big imports spill to the WAL far less often, and
     peak memory stays bounded (docs/benchmarks.md). */
  if ((rc = storage_exec(db, "PRAGMA cache_size = -32768",
                         "sizing the page cache")) != CK_OK)
    return rc;
  db->readonly = want_readonly;
  if (db->readonly &&
      (rc = storage_exec(db, "PRAGMA query_only = 1", "opening read-only")) !=
          CK_OK)
    return rc;
  if ((rc = storage_prepare(db, "BEGIN", &db->begin_read)) != CK_OK ||
      (rc = storage_prepare(db, "COMMIT", &db->end_read)) != CK_OK ||
      (rc = storage_prepare(db, "PRAGMA data_version", &db->data_version)) !=
          CK_OK)
    return rc;
  /* A file another tool edited: its derived tables rebuilt now, or (read
     only) refused now rather than at the first call. */
  db->checked_version = -1;
  int began;
  rc = storage_read_begin(db, &began);
  storage_read_end(db, began);
  return rc;
}

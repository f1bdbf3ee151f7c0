/*
** latest.c -- latest_views and latest_observations, kept by imports.
**
** Every measure takes each actor's latest claim: the latest view on a
** question, the latest observation of a key.  Computing that per call
** means sorting every claim of the key; keeping it in a table of its own
** means a call reads one row per actor.  An import upserts each new claim's
** row when it is newer than the one there (claims only ever arrive with a
** larger import order), which settles nearly everything.  What it cannot
** settle as it goes is noted in temporary tables and computed again from
** the claims at the end, with the same SQL the migration uses
** (CK_LATEST_VIEWS, CK_LATEST_OBSERVATIONS):
**   - a claim replaced under its id: its old key;
**   - a source whose date changed, or that came later in the input than
**     its claims: the keys of its undated claims;
**   - an actor whose weight, region or kind changed, or that came later:
**     its rows take its record again.
** Last, key_values is computed again for every key whose latest
** observations changed (and every key of a metric whose unit did).
*/
#include "internal.h"

#include <stdlib.h>
#include <string.h>

enum {
  S_VIEW,
  S_OBSERVATION,
  S_TOUCH_VIEW,
  S_TOUCH_OBSERVATION,
  S_REPAIR_ACTOR,
  S_REPAIR_SOURCE,
  S_REPAIR_METRIC,
  S_KEY,
  S_COUNT
};

static const char *const statements[S_COUNT] = {
    "INSERT INTO latest_views(question, actor, date, seq, stance, weight,\n"
    "  region, actor_kind, claim) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)\n"
    "ON CONFLICT(question, actor) DO UPDATE SET date = excluded.date,\n"
    "  seq = excluded.seq, stance = excluded.stance, weight = excluded.weight,\n"
    "  region = excluded.region, actor_kind = excluded.actor_kind,\n"
    "  claim = excluded.claim\n"
    "WHERE excluded.date > latest_views.date OR (excluded.date =\n"
    "  latest_views.date AND excluded.seq > latest_views.seq)",
    "INSERT INTO latest_observations(entity, metric, period, actor, date,\n"
    "  seq, period_end, value, lo, hi, unit, claim)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)\n"
    "ON CONFLICT(entity, metric, period, actor) DO UPDATE SET\n"
    "  date = excluded.date, seq = excluded.seq,\n"
    "  period_end = excluded.period_end, value = excluded.value,\n"
    "  lo = excluded.lo, hi = excluded.hi, unit = excluded.unit,\n"
    "  claim = excluded.claim\n"
    "WHERE excluded.date > latest_observations.date OR (excluded.date =\n"
    "  latest_observations.date AND excluded.seq > latest_observations.seq)",
    "INSERT OR IGNORE INTO temp.ck_touched_views(question, actor)\n"
    "SELECT question, actor FROM claims WHERE id = ?1 AND kind = 'view'",
    "INSERT OR IGNORE INTO temp.ck_touched_observations(entity, metric,\n"
    "  period, actor) SELECT entity, metric, COALESCE(period, ''), actor\n"
    "FROM claims WHERE id = ?1 AND kind = 'observation'",
    "INSERT OR IGNORE INTO temp.ck_repair_actors(id) VALUES (?1)",
    "INSERT OR IGNORE INTO temp.ck_repair_sources(id) VALUES (?1)",
    "INSERT OR IGNORE INTO temp.ck_repair_metrics(id) VALUES (?1)",
    "INSERT OR IGNORE INTO temp.ck_value_keys(entity, metric, period)\n"
    "VALUES (?1, ?2, ?3)",
};

struct latest {
  ck_db *db;
  sqlite3_stmt *st[S_COUNT];
  int touched, actors, sources, metrics, keys; /* to settle at the end */
};

void latest_free(latest *lt) {
  if (!lt)
    return;
  for (int i = 0; i < S_COUNT; i++)
    sqlite3_finalize(lt->st[i]);
  free(lt);
}

int latest_begin(ck_db *db, latest **out) {
  *out = NULL;
  latest *lt = calloc(1, sizeof *lt);
  if (!lt)
    return db_error(db, CK_NOMEM, "out of memory");
  lt->db = db;
  int rc = storage_exec(
      db,
      "CREATE TEMP TABLE IF NOT EXISTS ck_touched_views(\n"
      "  question TEXT, actor TEXT, PRIMARY KEY (question, actor));\n"
      "CREATE TEMP TABLE IF NOT EXISTS ck_touched_observations(\n"
      "  entity TEXT, metric TEXT, period TEXT, actor TEXT,\n"
      "  PRIMARY KEY (entity, metric, period, actor));\n"
      "CREATE TEMP TABLE IF NOT EXISTS ck_repair_actors(id TEXT PRIMARY KEY);\n"
      "CREATE TEMP TABLE IF NOT EXISTS ck_repair_sources(id TEXT PRIMARY KEY);\n"
      "CREATE TEMP TABLE IF NOT EXISTS ck_repair_metrics(id TEXT PRIMARY KEY);\n"
      "CREATE TEMP TABLE IF NOT EXISTS ck_value_keys(\n"
      "  entity TEXT, metric TEXT, period TEXT,\n"
      "  PRIMARY KEY (entity, metric, period));\n"
      "DELETE FROM ck_touched_views; DELETE FROM ck_touched_observations;\n"
      "DELETE FROM ck_repair_actors; DELETE FROM ck_repair_sources;\n"
      "DELETE FROM ck_repair_metrics; DELETE FROM ck_value_keys;",
      "preparing the import");
  for (int i = 0; rc == CK_OK && i < S_COUNT; i++)
    rc = storage_prepare(db, statements[i], &lt->st[i]);
  if (rc != CK_OK) {
    latest_free(lt);
    return rc;
  }
  *out = lt;
  return CK_OK;
}

static int run(latest *lt, int which, const char *doing) {
  sqlite3_stmt *st = lt->st[which];
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? CK_OK : db_sql_error(lt->db, rc, doing);
}

int latest_view(latest *lt, const char *question, const char *actor,
                const char *date, long long seq, long long stance,
                double weight, const char *region, const char *kind,
                const char *claim) {
  sqlite3_stmt *st = lt->st[S_VIEW];
  storage_bind_text(st, 1, question);
  storage_bind_text(st, 2, actor);
  storage_bind_text(st, 3, date ? date : "");
  sqlite3_bind_int64(st, 4, seq);
  sqlite3_bind_int64(st, 5, stance);
  sqlite3_bind_double(st, 6, weight);
  storage_bind_text(st, 7, region);
  storage_bind_text(st, 8, kind);
  storage_bind_text(st, 9, claim);
  return run(lt, S_VIEW, "keeping the latest views");
}

int latest_observation(latest *lt, const char *entity, const char *metric,
                       const char *period, const char *actor, const char *date,
                       long long seq, const char *period_end, double value,
                       double lo, double hi, const char *unit,
                       const char *claim) {
  sqlite3_stmt *st = lt->st[S_OBSERVATION];
  storage_bind_text(st, 1, entity);
  storage_bind_text(st, 2, metric);
  storage_bind_text(st, 3, period ? period : "");
  storage_bind_text(st, 4, actor);
  storage_bind_text(st, 5, date ? date : "");
  sqlite3_bind_int64(st, 6, seq);
  storage_bind_text(st, 7, period_end);
  sqlite3_bind_double(st, 8, value);
  sqlite3_bind_double(st, 9, lo);
  sqlite3_bind_double(st, 10, hi);
  storage_bind_text(st, 11, unit ? unit : "");
  storage_bind_text(st, 12, claim);
  int rc = run(lt, S_OBSERVATION, "keeping the latest observations");
  if (rc != CK_OK || sqlite3_changes(lt->db->sql) == 0)
    return rc;
  st = lt->st[S_KEY]; /* its key's values change */
  storage_bind_text(st, 1, entity);
  storage_bind_text(st, 2, metric);
  storage_bind_text(st, 3, period ? period : "");
  lt->keys = 1;
  return run(lt, S_KEY, "noting a changed key");
}

int latest_replacing(latest *lt, const char *id) {
  int rc;
  for (int which = S_TOUCH_VIEW; which <= S_TOUCH_OBSERVATION; which++) {
    storage_bind_text(lt->st[which], 1, id);
    if ((rc = run(lt, which, "noting a replaced claim")) != CK_OK)
      return rc;
  }
  lt->touched = 1;
  return CK_OK;
}

int latest_repair_actor(latest *lt, const char *id) {
  storage_bind_text(lt->st[S_REPAIR_ACTOR], 1, id);
  lt->actors = 1;
  return run(lt, S_REPAIR_ACTOR, "noting a changed actor");
}

int latest_repair_source(latest *lt, const char *id) {
  storage_bind_text(lt->st[S_REPAIR_SOURCE], 1, id);
  lt->sources = 1;
  return run(lt, S_REPAIR_SOURCE, "noting a changed source");
}

int latest_repair_metric(latest *lt, const char *id) {
  storage_bind_text(lt->st[S_REPAIR_METRIC], 1, id);
  lt->metrics = 1;
  return run(lt, S_REPAIR_METRIC, "noting a changed metric");
}

int latest_end(latest *lt) {
  ck_db *db = lt->db;
  int rc = CK_OK;
  if (lt->sources) {
    rc = storage_exec(
        db,
        "INSERT OR IGNORE INTO temp.ck_touched_views(question, actor)\n"
        "SELECT question, actor FROM claims WHERE kind = 'view' AND\n"
        "  as_of IS NULL AND source IN (SELECT id FROM temp.ck_repair_sources);\n"
        "INSERT OR IGNORE INTO temp.ck_touched_observations(entity, metric,\n"
        "  period, actor) SELECT entity, metric, COALESCE(period, ''), actor\n"
        "FROM claims WHERE kind = 'observation' AND as_of IS NULL AND\n"
        "  source IN (SELECT id FROM temp.ck_repair_sources);",
        "settling the latest claims");
    lt->touched = 1;
  }
  if (rc == CK_OK && lt->actors)
    rc = storage_exec(
        db,
        "UPDATE latest_views SET weight = a.weight, region = a.region,\n"
        "  actor_kind = a.kind FROM actors a WHERE a.id = latest_views.actor\n"
        "  AND latest_views.actor IN (SELECT id FROM temp.ck_repair_actors);",
        "settling the latest claims");
  if (rc == CK_OK && lt->touched)
    rc = storage_exec(
        db,
        "DELETE FROM latest_views WHERE (question, actor) IN\n"
        "  (SELECT question, actor FROM temp.ck_touched_views);\n"
        "INSERT INTO latest_views " CK_LATEST_VIEWS(
            " AND (c.question, c.actor) IN (SELECT question, actor FROM "
            "temp.ck_touched_views)") ";\n"
        "DELETE FROM latest_observations WHERE (entity, metric, period,\n"
        "  actor) IN (SELECT entity, metric, period, actor FROM\n"
        "  temp.ck_touched_observations);\n"
        "INSERT INTO latest_observations " CK_LATEST_OBSERVATIONS(
            " AND (c.entity, c.metric, COALESCE(c.period, ''), c.actor) IN "
            "(SELECT entity, metric, period, actor FROM "
            "temp.ck_touched_observations)") ";\n"
        "INSERT OR IGNORE INTO temp.ck_value_keys(entity, metric, period)\n"
        "SELECT entity, metric, period FROM temp.ck_touched_observations;",
        "settling the latest claims");
  if (rc == CK_OK && lt->metrics)
    rc = storage_exec(
        db,
        "INSERT OR IGNORE INTO temp.ck_value_keys(entity, metric, period)\n"
        "SELECT entity, metric, period FROM key_values WHERE metric IN\n"
        "  (SELECT id FROM temp.ck_repair_metrics);",
        "settling the latest claims");
  if (rc == CK_OK && (lt->keys || lt->touched || lt->metrics))
    rc = key_values_refresh(db, "SELECT entity, metric, period FROM "
                                "temp.ck_value_keys ORDER BY 1, 2, 3");
  latest_free(lt);
  return rc;
}

/*
** latest.c -- latest_views and latest_observations, kept by imports.
**
** Every measure takes each actor's latest claim: the latest view on a
** question, the latest observation of a key.  Computing that per call
** means sorting every claim of the key; keeping it in a table of its own
** means a call reads one row per actor.  An import keeps each new claim's
** row, and stores a batch of them sorted by key, each key's newest where it
** is newer than the one there (claims only ever arrive with a larger import
** order), which settles nearly everything.  What it cannot
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
#include "key_values.h"
#include "latest.h"
#include "storage.h"

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

/* A new claim's row, kept until a batch is stored: upserting rows one by
   one as claims come costs a B-tree descent each, in an order no page
   cache keeps up with; sorted by key, a batch stores each key's newest
   row once, walking each table in order. */
enum { F_VIEW_COUNT = 6, F_OBSERVATION_COUNT = 8, F_MAX = 8 };
typedef struct pending {
  int view;
  /* view: question, actor, date, region, actor kind, claim;
     observation: entity, metric, period, actor, date, period end, unit,
     claim.  Offsets in the batch's text until it is sorted, then texts
     (NULL for none). */
  union {
    size_t at;
    const char *text;
  } f[F_MAX];
  long long seq, stance;
  double weight, value, lo, hi;
} pending;

#define NO_TEXT ((size_t)-1)

struct latest {
  ck_db *db;
  sqlite3_stmt *st[S_COUNT];
  int touched, actors, sources, metrics, keys; /* to settle at the end */
  pending *rows;
  size_t nrows;
  strbuf texts; /* the rows' texts, each NUL-terminated */
};

void latest_free(latest *lt) {
  if (!lt)
    return;
  for (int i = 0; i < S_COUNT; i++)
    sqlite3_finalize(lt->st[i]);
  free(lt->rows);
  sb_free(&lt->texts);
  free(lt);
}

int latest_begin(ck_db *db, latest **out) {
  *out = NULL;
  latest *lt = calloc(1, sizeof *lt);
  if (!lt)
    return db_nomem(db);
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
  if (rc == CK_OK && !(lt->rows = malloc(db->latest_batch * sizeof *lt->rows)))
    rc = db_nomem(db);
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

/* The fields a row's key has: question, actor; entity, metric, period,
   actor.  Its date is the field after them. */
static int key_fields(const pending *p) { return p->view ? 2 : 4; }

/* The first n texts of a and b compared, as strcmp compares. */
static int fields_cmp(const pending *a, const pending *b, int n) {
  for (int i = 0; i < n; i++) {
    int c = strcmp(a->f[i].text, b->f[i].text);
    if (c)
      return c;
  }
  return 0;
}

static int row_cmp(const void *pa, const void *pb) {
  const pending *a = pa, *b = pb;
  if (a->view != b->view)
    return a->view - b->view;
  /* The key, then the newest first: the date ('' when none), the seq. */
  int nkey = key_fields(a), c = fields_cmp(a, b, nkey);
  if (!c)
    c = strcmp(b->f[nkey].text, a->f[nkey].text);
  return c ? c : (b->seq > a->seq) - (b->seq < a->seq);
}

/* Stores the batch: each key's newest row, where it is newer than the
   stored one; a key whose latest observation changed has its values
   computed again at the end. */
static int flush(latest *lt) {
  int rc = CK_OK;
  for (size_t r = 0; r < lt->nrows; r++) {
    pending *p = &lt->rows[r];
    int n = p->view ? F_VIEW_COUNT : F_OBSERVATION_COUNT;
    for (int i = 0; i < n; i++)
      p->f[i].text = p->f[i].at == NO_TEXT ? NULL : lt->texts.data + p->f[i].at;
  }
  qsort(lt->rows, lt->nrows, sizeof *lt->rows, row_cmp);
  const pending *key = NULL; /* the last key of values noted */
  for (size_t r = 0; rc == CK_OK && r < lt->nrows; r++) {
    const pending *p = &lt->rows[r];
    if (r > 0 && p->view == p[-1].view &&
        fields_cmp(p, p - 1, key_fields(p)) == 0)
      continue; /* an older row of the key just stored */
    lt->db->sql_steps = 0; /* the import's own SQL: no record's budget */
    sqlite3_stmt *st = lt->st[p->view ? S_VIEW : S_OBSERVATION];
    if (p->view) {
      for (int i = 0; i < 3; i++)
        storage_bind_text(st, i + 1, p->f[i].text); /* question, actor, date */
      sqlite3_bind_int64(st, 4, p->seq);
      sqlite3_bind_int64(st, 5, p->stance);
      sqlite3_bind_double(st, 6, p->weight);
      for (int i = 3; i < 6; i++)
        storage_bind_text(st, i + 4, p->f[i].text); /* region, kind, claim */
      rc = run(lt, S_VIEW, "keeping the latest views");
      continue;
    }
    for (int i = 0; i < 5; i++) /* entity, metric, period, actor, date */
      storage_bind_text(st, i + 1, p->f[i].text);
    sqlite3_bind_int64(st, 6, p->seq);
    storage_bind_text(st, 7, p->f[5].text);
    sqlite3_bind_double(st, 8, p->value);
    sqlite3_bind_double(st, 9, p->lo);
    sqlite3_bind_double(st, 10, p->hi);
    storage_bind_text(st, 11, p->f[6].text);
    storage_bind_text(st, 12, p->f[7].text);
    rc = run(lt, S_OBSERVATION, "keeping the latest observations");
    if (rc != CK_OK || sqlite3_changes(lt->db->sql) == 0)
      continue;
    if (key && fields_cmp(p, key, 3) == 0)
      continue; /* its key's values are noted already */
    key = p;
    st = lt->st[S_KEY];
    for (int i = 0; i < 3; i++)
      storage_bind_text(st, i + 1, p->f[i].text);
    lt->keys = 1;
    rc = run(lt, S_KEY, "noting a changed key");
  }
  lt->nrows = 0;
  lt->texts.len = 0;
  return rc;
}

/* A new row for the batch, its texts copied (NULL kept as none). */
static int add(latest *lt, pending *p, const char *const *texts, int n) {
  if (lt->nrows == lt->db->latest_batch) {
    int rc = flush(lt);
    if (rc != CK_OK)
      return rc;
  }
  for (int i = 0; i < n; i++) {
    p->f[i].at = texts[i] ? lt->texts.len : NO_TEXT;
    if (texts[i])
      sb_putn(&lt->texts, texts[i], strlen(texts[i]) + 1);
  }
  if (lt->texts.oom)
    return db_nomem(lt->db);
  lt->rows[lt->nrows++] = *p;
  return CK_OK;
}

int latest_view(latest *lt, const char *question, const char *actor,
                const char *date, long long seq, long long stance,
                double weight, const char *region, const char *kind,
                const char *claim) {
  const char *texts[F_VIEW_COUNT] = {question, actor,  date ? date : "",
                                     region,   kind,   claim};
  pending p = {.view = 1, .seq = seq, .stance = stance, .weight = weight};
  return add(lt, &p, texts, F_VIEW_COUNT);
}

int latest_observation(latest *lt, const char *entity, const char *metric,
                       const char *period, const char *actor, const char *date,
                       long long seq, const char *period_end, double value,
                       double lo, double hi, const char *unit,
                       const char *claim) {
  const char *texts[F_OBSERVATION_COUNT] = {
      entity,     metric,         period ? period : "", actor, date ? date : "",
      period_end, unit ? unit : "", claim};
  pending p = {.view = 0, .seq = seq, .value = value, .lo = lo, .hi = hi};
  return add(lt, &p, texts, F_OBSERVATION_COUNT);
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
  int rc = flush(lt);
  if (rc == CK_OK && lt->sources) {
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

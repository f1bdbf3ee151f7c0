/*
** latest.h -- latest_views and latest_observations (latest.c): each
** actor's latest claim per question or key, kept by imports and computed
** again from the claims where an import cannot settle it.  Layer: SQL.
*/
#ifndef CK_LATEST_H
#define CK_LATEST_H

#include "internal.h"

/* An import keeps latest_views and latest_observations up to date: each
   new claim is compared with its key's latest row as it is stored, and at
   the end the keys that cannot be settled that way -- a replaced claim's
   old key, claims of a source or actor that changed or came later in the
   input -- are computed again from the claims. */
typedef struct latest latest;

int latest_begin(ck_db *db, latest **out);
/* A stored view or observation, maybe newer than its key's latest. */
int latest_view(latest *lt, const char *question, const char *actor,
                const char *date, long long seq, long long stance,
                double weight, const char *region, const char *kind,
                const char *claim);
int latest_observation(latest *lt, const char *entity, const char *metric,
                       const char *period, const char *actor, const char *date,
                       long long seq, const char *period_end, double value,
                       double lo, double hi, const char *unit,
                       const char *claim);
/* The claim `id` is about to be replaced: its key is computed again. */
int latest_replacing(latest *lt, const char *id);
/* An actor's weight, region or kind, or a source's date, changed or was
   not known when its claims were stored: their rows are set again; a
   metric's unit changed: its keys' values are computed again. */
int latest_repair_actor(latest *lt, const char *id);
int latest_repair_source(latest *lt, const char *id);
int latest_repair_metric(latest *lt, const char *id);
/* Every claim is stored: settles what is left.  Frees lt. */
int latest_end(latest *lt);
void latest_free(latest *lt);

/* The rows of latest_views and latest_observations, computed from claims
   c (sources s, actors a), for the keys `where` (SQL: " AND ...")
   selects: the latest claim of each actor -- largest date, then latest
   imported -- with what queries need of it.  A date is '' when a claim
   has none (it sorts before every date), a period '' when undated.  One
   definition for the migration, an import's repairs and its rebuilds. */
#define CK_LATEST_VIEWS(where)                                                 \
  "SELECT question, actor, date, seq, stance, weight, region, kind, id "      \
  "FROM (SELECT c.question, c.actor, COALESCE(c.as_of, s.published, '') "     \
  "AS date, c.seq, c.stance, a.weight, a.region, a.kind, c.id, "              \
  "row_number() OVER (PARTITION BY c.question, c.actor ORDER BY "             \
  "COALESCE(c.as_of, s.published) DESC, c.seq DESC) AS latest "               \
  "FROM claims c JOIN actors a ON a.id = c.actor LEFT JOIN sources s ON "     \
  "s.id = c.source WHERE c.kind = 'view'" where ") WHERE latest = 1"
#define CK_LATEST_OBSERVATIONS(where)                                          \
  "SELECT entity, metric, COALESCE(period, ''), actor, date, seq, "           \
  "period_end, value, lo, hi, COALESCE(unit, ''), id FROM (SELECT "           \
  "c.entity, c.metric, c.period, c.actor, COALESCE(c.as_of, s.published, "    \
  "'') AS date, c.seq, c.period_end, c.value, c.lo, c.hi, c.unit, c.id, "     \
  "row_number() OVER (PARTITION BY c.entity, c.metric, c.period, c.actor "    \
  "ORDER BY COALESCE(c.as_of, s.published) DESC, c.seq DESC) AS latest "      \
  "FROM claims c LEFT JOIN sources s ON s.id = c.source WHERE c.kind = "      \
  "'observation'" where ") WHERE latest = 1"

#endif

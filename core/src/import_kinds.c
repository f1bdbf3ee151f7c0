/*
** import_kinds.c -- one record per kind but claims (import_claims.c):
** frameworks, sources, actors, entities, metrics, questions and scripts,
** each checked and upserted, and what claims need of it kept known.
*/
#include "import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- typed fields, said where they are ----------------------------------- */

static int get_string(importer *imp, json_t *rec, const char *ptr,
                      const char *key, int required, const char **out) {
  field_error e;
  return field_string(&e, rec, ptr, key, required, out) ? imp_report(imp, &e)
                                                        : CK_OK;
}

static int get_id(importer *imp, json_t *rec, const char *ptr, const char *key,
                  int required, const char **out) {
  field_error e;
  return field_id(&e, rec, ptr, key, required, out) ? imp_report(imp, &e)
                                                    : CK_OK;
}

static int get_date(importer *imp, json_t *rec, const char *ptr,
                    const char *key, const char **out) {
  field_error e;
  return field_date(&e, rec, ptr, key, out) ? imp_report(imp, &e) : CK_OK;
}

static int get_number(importer *imp, json_t *rec, const char *ptr,
                      const char *key, int *present, double *out) {
  field_error e;
  return field_number(&e, rec, ptr, key, present, out) ? imp_report(imp, &e)
                                                       : CK_OK;
}

static int get_bool(importer *imp, json_t *rec, const char *ptr,
                    const char *key, int *out) {
  field_error e;
  return field_bool(&e, rec, ptr, key, out) ? imp_report(imp, &e) : CK_OK;
}

static int check_aliases(importer *imp, json_t *rec, const char *ptr) {
  field_error e;
  return field_aliases(&e, rec, ptr) ? imp_report(imp, &e) : CK_OK;
}

/* An id field that must name a stored record, or one later in the input. */
static int get_ref(importer *imp, json_t *rec, const char *ptr, const char *key,
                   int required, enum rec_kind target, const char **out) {
  int rc = get_id(imp, rec, ptr, key, required, out);
  if (rc != CK_OK || !*out)
    return rc;
  return imp_known_ref(imp, ptr, key, target, *out);
}

/* ---- storing ------------------------------------------------------------- */

/* The record's canonical JSON; the caller frees it. */
static char *record_text(importer *imp, json_t *rec) {
  char *s = canon_text(rec, 0, 1);
  if (!s)
    imp_nomem(imp);
  return s;
}

/* Binds the record text as the last parameter and runs the upsert. */
static int upsert(importer *imp, enum rec_kind kind, json_t *rec) {
  sqlite3_stmt *st = imp->upsert[kind];
  char *text = record_text(imp, rec);
  if (!text) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return CK_NOMEM;
  }
  sqlite3_bind_text(st, sqlite3_bind_parameter_count(st), text, -1, free);
  return imp_step_done(imp, st, "storing a record");
}

static int same_text(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* After a record's upsert (rc): the record is known from now on. */
static int stored(importer *imp, enum rec_kind kind, const char *id, int rc) {
  ref_entry *e;
  if (rc == CK_OK && (rc = imp_lookup(imp, kind, id, &e)) == CK_OK)
    e->known = 1;
  return rc;
}

/* ---- one record per kind ------------------------------------------------- */

static int import_framework(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *name;
  int rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = check_aliases(imp, rec, ptr)) ||
      (rc = imp_first_mention(imp, R_FRAMEWORK, id, ptr)))
    return rc;
  sqlite3_stmt *st = imp->upsert[R_FRAMEWORK];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, name);
  return stored(imp, R_FRAMEWORK, id, upsert(imp, R_FRAMEWORK, rec));
}

static int import_source(importer *imp, json_t *rec, const char *ptr) {
  /* subject: the entity the call or note is about, the default entity of
     its drafted figures (draft) */
  const char *id, *title, *kind, *publisher, *published, *lang, *subject;
  int rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "title", 0, &title)) ||
      (rc = get_string(imp, rec, ptr, "kind", 0, &kind)) ||
      (rc = get_string(imp, rec, ptr, "publisher", 0, &publisher)) ||
      (rc = get_date(imp, rec, ptr, "published", &published)) ||
      (rc = get_string(imp, rec, ptr, "lang", 0, &lang)) ||
      (rc = get_ref(imp, rec, ptr, "entity", 0, R_ENTITY, &subject)) ||
      (rc = imp_first_mention(imp, R_SOURCE, id, ptr)))
    return rc;
  /* A source dates its undated claims: a new date, or claims stored
     before the source, set their latest rows again. */
  ref_entry *e;
  if ((rc = imp_lookup(imp, R_SOURCE, id, &e)) != CK_OK)
    return rc;
  int repair = e->dangling || (e->known && !same_text(e->published, published));
  sqlite3_stmt *st = imp->upsert[R_SOURCE];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, title);
  storage_bind_text(st, 3, kind);
  storage_bind_text(st, 4, publisher);
  storage_bind_text(st, 5, published);
  storage_bind_text(st, 6, lang);
  if ((rc = stored(imp, R_SOURCE, id, upsert(imp, R_SOURCE, rec))) != CK_OK ||
      (rc = imp_lookup(imp, R_SOURCE, id, &e)) != CK_OK)
    return rc;
  if (refs_set_text(&e->published, published))
    return imp_nomem(imp);
  return repair ? latest_repair_source(imp->latest, id) : CK_OK;
}

static int import_actor(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *name, *region, *kind;
  double weight = 1.0;
  int has_weight, rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = get_string(imp, rec, ptr, "region", 0, &region)) ||
      (rc = get_string(imp, rec, ptr, "kind", 0, &kind)) ||
      (rc = get_number(imp, rec, ptr, "weight", &has_weight, &weight)) ||
      (rc = check_aliases(imp, rec, ptr)))
    return rc;
  if (has_weight && !(weight > 0 && isfinite(weight)))
    return imp_fail(imp, ptr, "weight", "%g is not a positive weight", weight);
  if ((rc = imp_first_mention(imp, R_ACTOR, id, ptr)))
    return rc;
  /* The latest views carry the actor's weight, region and kind. */
  ref_entry *e;
  if ((rc = imp_lookup(imp, R_ACTOR, id, &e)) != CK_OK)
    return rc;
  int repair = e->dangling || (e->known && (e->weight != weight ||
                                            !same_text(e->region, region) ||
                                            !same_text(e->kind, kind)));
  sqlite3_stmt *st = imp->upsert[R_ACTOR];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, name);
  storage_bind_text(st, 3, region);
  storage_bind_text(st, 4, kind);
  sqlite3_bind_double(st, 5, weight);
  if ((rc = stored(imp, R_ACTOR, id, upsert(imp, R_ACTOR, rec))) != CK_OK ||
      (rc = imp_lookup(imp, R_ACTOR, id, &e)) != CK_OK)
    return rc;
  e->weight = weight;
  if (refs_set_text(&e->region, region) || refs_set_text(&e->kind, kind))
    return imp_nomem(imp);
  return repair ? latest_repair_actor(imp->latest, id) : CK_OK;
}

static int import_entity(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *name, *kind, *parent;
  int rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = get_string(imp, rec, ptr, "kind", 0, &kind)) ||
      (rc = get_ref(imp, rec, ptr, "parent", 0, R_ENTITY, &parent)) ||
      (rc = check_aliases(imp, rec, ptr)))
    return rc;
  if (parent && strcmp(parent, id) == 0)
    return imp_fail(imp, ptr, "parent", "entity '%s' cannot be its own parent",
                    id);
  if ((rc = imp_first_mention(imp, R_ENTITY, id, ptr)))
    return rc;
  sqlite3_stmt *st = imp->upsert[R_ENTITY];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, name);
  storage_bind_text(st, 3, kind);
  storage_bind_text(st, 4, parent);
  return stored(imp, R_ENTITY, id, upsert(imp, R_ENTITY, rec));
}

/* What draft() reads of a metric (DESIGN §8): point_in_time, a metric
   measured at a moment; change_of, the metric whose change it measures,
   and basis, which comparison (yoy, qoq). */
static int check_change(importer *imp, json_t *rec, const char *ptr,
                        const char *id) {
  int point_in_time = 0, rc;
  const char *change_of, *basis;
  if ((rc = get_bool(imp, rec, ptr, "point_in_time", &point_in_time)) ||
      (rc = get_ref(imp, rec, ptr, "change_of", 0, R_METRIC, &change_of)) ||
      (rc = get_string(imp, rec, ptr, "basis", 0, &basis)))
    return rc;
  if (change_of && strcmp(change_of, id) == 0)
    return imp_fail(imp, ptr, "change_of",
                    "metric '%s' cannot be the change of itself", id);
  if (basis && strcmp(basis, "yoy") != 0 && strcmp(basis, "qoq") != 0)
    return imp_fail(imp, ptr, "basis",
                    "'%.40s' is not a basis (yoy: year over year, qoq: quarter "
                    "over quarter)",
                    basis);
  return CK_OK;
}

static int import_metric(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *name, *unit, *framework;
  int higher = 1, rc;
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = get_string(imp, rec, ptr, "unit", 0, &unit)) ||
      (rc = get_bool(imp, rec, ptr, "higher_is_better", &higher)) ||
      (rc = get_ref(imp, rec, ptr, "framework", 0, R_FRAMEWORK, &framework)) ||
      (rc = check_aliases(imp, rec, ptr)) ||
      (rc = check_change(imp, rec, ptr, id)) ||
      (rc = imp_first_mention(imp, R_METRIC, id, ptr)))
    return rc;
  /* Observations without a unit of their own are in the metric's. */
  ref_entry *e;
  if ((rc = imp_lookup(imp, R_METRIC, id, &e)) != CK_OK)
    return rc;
  int repair = e->known && !same_text(e->unit, unit);
  sqlite3_stmt *st = imp->upsert[R_METRIC];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, name);
  storage_bind_text(st, 3, unit);
  sqlite3_bind_int(st, 4, higher);
  storage_bind_text(st, 5, framework);
  if ((rc = stored(imp, R_METRIC, id, upsert(imp, R_METRIC, rec))) != CK_OK ||
      (rc = imp_lookup(imp, R_METRIC, id, &e)) != CK_OK)
    return rc;
  if (refs_set_text(&e->unit, unit))
    return imp_nomem(imp);
  return repair ? latest_repair_metric(imp->latest, id) : CK_OK;
}

/* A question's scale, [-2, 2] when it has none. */
static int question_scale(importer *imp, json_t *rec, const char *ptr,
                          long long *lo, long long *hi) {
  json_t *scale = json_object_get(rec, "scale");
  *lo = -2, *hi = 2;
  if (!scale)
    return CK_OK;
  if (!json_is_array(scale) || json_array_size(scale) != 2 ||
      !field_as_integer(json_array_get(scale, 0), lo) ||
      !field_as_integer(json_array_get(scale, 1), hi))
    return imp_fail(imp, ptr, "scale",
                    "must be a list of two integers [min, max], e.g. [-2, 2]");
  if (*lo >= *hi)
    return imp_fail(imp, ptr, "scale", "min %lld is not below max %lld", *lo,
                    *hi);
  /* Each bound first: hi - lo of two unchecked numbers can overflow. */
  if (*lo < -CK_SCALE_BOUND || *hi > CK_SCALE_BOUND)
    return imp_fail(imp, ptr, "scale",
                    "%lld..%lld goes past +-%d (a scale is a few points, not "
                    "a range of numbers)",
                    *lo, *hi, CK_SCALE_BOUND);
  if (*hi - *lo >= CK_SCALE_MAX_POINTS)
    return imp_fail(imp, ptr, "scale", "%lld..%lld has more than %d points",
                    *lo, *hi, CK_SCALE_MAX_POINTS);
  return CK_OK;
}

/* A question's poles and resolution: *outcome stays -1 when it has none. */
static int question_resolution(importer *imp, json_t *rec, const char *ptr,
                               int *outcome, const char **resolved_on) {
  json_t *poles = json_object_get(rec, "poles");
  if (poles && (!json_is_array(poles) || json_array_size(poles) != 2 ||
                !json_is_string(json_array_get(poles, 0)) ||
                !json_is_string(json_array_get(poles, 1))))
    return imp_fail(imp, ptr, "poles",
                    "must be a list of two strings [low pole, high pole]");
  json_t *res = json_object_get(rec, "resolution");
  if (!res)
    return CK_OK;
  char rptr[128];
  snprintf(rptr, sizeof rptr, "%s/resolution", ptr);
  if (!json_is_object(res))
    return imp_fail(imp, ptr, "resolution",
                    "must be an object {outcome, resolved_on}, not %s",
                    ckjson_kind(res));
  json_t *o = json_object_get(res, "outcome");
  if (!o)
    return imp_fail(imp, rptr, "outcome", "missing (true or false)");
  int rc;
  if ((rc = get_bool(imp, res, rptr, "outcome", outcome)) ||
      (rc = get_date(imp, res, rptr, "resolved_on", resolved_on)))
    return rc;
  return CK_OK;
}

/* The scale must hold every stance on the question: stored ones, and
   ones read earlier in this input before the question was known.  Into
   a database that held no claims, this import's views are all there is,
   and while the indexes wait they are known without a query. */
static int question_rescale(importer *imp, const char *ptr, const char *id,
                            long long lo, long long hi) {
  ref_entry *e;
  int rc;
  if ((rc = imp_lookup(imp, R_QUESTION, id, &e)) != CK_OK)
    return rc;
  int known_within =
      imp->first_seq == 1 && imp->deferred_index[0] &&
      (!e->stances || (e->stance_min >= lo && e->stance_max <= hi));
  if (!known_within && (rc = import_restore_indexes(imp)) != CK_OK)
    return rc;
  sqlite3_stmt *st = imp->rescaled;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, lo);
  sqlite3_bind_int64(st, 3, hi);
  rc = known_within ? SQLITE_DONE : sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    char claim[80];
    snprintf(claim, sizeof claim, "%s", sqlite3_column_text(st, 0));
    long long stance = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return imp_fail(imp, ptr, "scale",
                    "%lld..%lld leaves claim '%s' with stance %lld outside it",
                    lo, hi, claim, stance);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return db_sql_error(imp->db, rc, "checking stored stances");
  return CK_OK;
}

static int import_question(importer *imp, json_t *rec, const char *ptr) {
  const char *id, *text, *name, *framework, *resolved_on = NULL;
  int rc, outcome = -1;
  long long lo, hi;
  field_error e;
  /* a name and aliases only stand for the id in calls (names.c) */
  if ((rc = get_id(imp, rec, ptr, "id", 1, &id)) ||
      (rc = get_string(imp, rec, ptr, "text", 0, &text)) ||
      (rc = get_string(imp, rec, ptr, "name", 0, &name)) ||
      (rc = check_aliases(imp, rec, ptr)) ||
      (rc = get_ref(imp, rec, ptr, "framework", 0, R_FRAMEWORK, &framework)) ||
      (rc = question_scale(imp, rec, ptr, &lo, &hi)))
    return rc;
  if (field_cues(&e, rec, ptr, lo, hi))
    return imp_report(imp, &e);
  if ((rc = question_resolution(imp, rec, ptr, &outcome, &resolved_on)) ||
      (rc = imp_first_mention(imp, R_QUESTION, id, ptr)) ||
      (rc = question_rescale(imp, ptr, id, lo, hi)))
    return rc;
  sqlite3_stmt *st = imp->upsert[R_QUESTION];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  storage_bind_text(st, 2, text);
  storage_bind_text(st, 3, framework);
  sqlite3_bind_int64(st, 4, lo);
  sqlite3_bind_int64(st, 5, hi);
  if (outcome >= 0)
    sqlite3_bind_int(st, 6, outcome);
  storage_bind_text(st, 7, resolved_on);
  ref_entry *q;
  if ((rc = stored(imp, R_QUESTION, id, upsert(imp, R_QUESTION, rec))) ||
      (rc = imp_lookup(imp, R_QUESTION, id, &q)))
    return rc;
  q->lo = lo;
  q->hi = hi;
  return CK_OK;
}

static int import_script(importer *imp, json_t *rec, const char *ptr) {
  const char *name, *lua;
  int rc;
  if ((rc = get_id(imp, rec, ptr, "name", 1, &name)) ||
      (rc = get_string(imp, rec, ptr, "lua", 1, &lua)) ||
      (rc = imp_first_mention(imp, R_SCRIPT, name, ptr)))
    return rc;
  sqlite3_stmt *st = imp->upsert[R_SCRIPT];
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, lua, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, imp->seq++);
  return upsert(imp, R_SCRIPT, rec);
}

int import_kind(importer *imp, enum rec_kind kind, json_t *rec,
                const char *ptr) {
  switch (kind) {
  case R_FRAMEWORK: return import_framework(imp, rec, ptr);
  case R_SOURCE: return import_source(imp, rec, ptr);
  case R_ACTOR: return import_actor(imp, rec, ptr);
  case R_ENTITY: return import_entity(imp, rec, ptr);
  case R_METRIC: return import_metric(imp, rec, ptr);
  case R_QUESTION: return import_question(imp, rec, ptr);
  case R_SCRIPT: return import_script(imp, rec, ptr);
  default: return db_error(imp->db, CK_ERROR, "internal: record kind");
  }
}

/* ---- the statements ------------------------------------------------------ */

static const char *const upsert_sql[R_COUNT] = {
    "INSERT INTO frameworks(id, name, record) VALUES (?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO sources(id, title, kind, publisher, published, lang, record)\n"
    "VALUES (?, ?, ?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET title = excluded.title,\n"
    "  kind = excluded.kind, publisher = excluded.publisher,\n"
    "  published = excluded.published, lang = excluded.lang,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO actors(id, name, region, kind, weight, record)\n"
    "VALUES (?, ?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name,\n"
    "  region = excluded.region, kind = excluded.kind,\n"
    "  weight = excluded.weight,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO entities(id, name, kind, parent, record)\n"
    "VALUES (?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name,\n"
    "  kind = excluded.kind, parent = excluded.parent,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO metrics(id, name, unit, higher_is_better, framework, record)\n"
    "VALUES (?, ?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name,\n"
    "  unit = excluded.unit, higher_is_better = excluded.higher_is_better,\n"
    "  framework = excluded.framework,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    "INSERT INTO questions(id, text, framework, scale_min, scale_max,\n"
    "  outcome, resolved_on, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)\n"
    "ON CONFLICT(id) DO UPDATE SET text = excluded.text,\n"
    "  framework = excluded.framework, scale_min = excluded.scale_min,\n"
    "  scale_max = excluded.scale_max, outcome = excluded.outcome,\n"
    "  resolved_on = excluded.resolved_on,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
    NULL, /* claims: import_claims.c */
    "INSERT INTO scripts(name, lua, seq, record) VALUES (?, ?, ?, ?)\n"
    "ON CONFLICT(name) DO UPDATE SET lua = excluded.lua, seq = excluded.seq,\n"
    "  record = excluded.record WHERE record IS NOT excluded.record",
};

int import_kinds_prepare(importer *imp) {
  int rc = CK_OK;
  for (int k = 0; rc == CK_OK && k < R_COUNT; k++)
    if (upsert_sql[k])
      rc = storage_prepare(imp->db, upsert_sql[k], &imp->upsert[k]);
  if (rc == CK_OK) /* a question's new scale against its stored views */
    rc = storage_prepare(imp->db,
                         "SELECT id, stance FROM claims WHERE kind = 'view' "
                         "AND question = ?1 AND (stance < ?2 OR stance > ?3) "
                         "LIMIT 1",
                         &imp->rescaled);
  return rc;
}

/*
** filter.h -- the filter strings of metric functions (filter.c,
** docs/functions.md): space-separated key=value terms, parsed apart from
** the SQL they become.  Layer: a text rule (parsing) below the SQL it writes
** and binds; the handle only carries a parse error.
*/
#ifndef CK_FILTER_H
#define CK_FILTER_H

#include "internal.h"

enum filter_key {
  FK_REGION,
  FK_ACTOR,
  FK_KIND,
  FK_SOURCE,
  FK_TAG,
  FK_SINCE,
  FK_UNTIL
};

#define CK_FILTER_MAX 32

typedef struct ck_filter {
  int n;
  struct {
    enum filter_key key;
    char *value;
  } terms[CK_FILTER_MAX];
  char *text; /* the copy the values point into */
} ck_filter;

/* Parses "key=value key=value"; NULL and "" give no terms.  Sets the
   handle's error (CK_INVALID) on a bad filter. */
/* A filter parameter's documentation, one for every function. */
#define FILTER_DOC                                                             \
  "space-separated key=value terms, all must hold: region, actor, kind, "      \
  "source, tag, since, until"

int filter_parse(ck_db *db, const char *s, ck_filter *f);
void filter_free(ck_filter *f);
/* A filter of the one term key=value; value is borrowed, nothing to free. */
void filter_one(ck_filter *f, enum filter_key key, const char *value);
/* Appends " AND cond" per term, over claims c, actors a and sources s. */
void filter_sql(const ck_filter *f, strbuf *sql);
/* 1 when every term is on the actor (region, kind, actor): then the
   latest view of each matching actor is the same before or after the
   filter, and latest_views answers it. */
int filter_on_actors(const ck_filter *f);
/* filter_on_actors() terms over latest_views l. */
void filter_sql_latest(const ck_filter *f, strbuf *sql);
/* Binds the values of filter_sql()'s placeholders, starting at `first`;
   returns the next free index. */
int filter_bind(const ck_filter *f, sqlite3_stmt *stmt, int first);

#endif

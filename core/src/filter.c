/*
** filter.c -- the filter strings (docs/functions.md): space-separated key=value
** terms that must all hold.  Parsing is separate from SQL so both can be
** tested alone; the SQL refers to claims `c`, actors `a`, sources `s`.
*/
#include "internal.h"
#include "filter.h"
#include "periods.h"
#include "storage.h"

#include <stdlib.h>
#include <string.h>

static const char *const filter_keys[] = {"region", "actor", "kind", "source",
                                          "tag",    "since", "until"};
#define NKEYS (sizeof filter_keys / sizeof filter_keys[0])

void filter_free(ck_filter *f) {
  free(f->text);
  memset(f, 0, sizeof *f);
}

void filter_one(ck_filter *f, enum filter_key key, const char *value) {
  memset(f, 0, sizeof *f);
  f->n = 1;
  f->terms[0].key = key;
  f->terms[0].value = (char *)value;
}

int filter_parse(ck_db *db, const char *s, ck_filter *f) {
  memset(f, 0, sizeof *f);
  if (!s || !*s)
    return CK_OK;
  f->text = strdup(s);
  if (!f->text)
    return db_nomem(db);
  char *p = f->text;
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (!*p)
      break;
    char *term = p;
    while (*p && *p != ' ' && *p != '\t')
      p++;
    if (*p)
      *p++ = '\0';
    char *eq = strchr(term, '=');
    if (!eq || eq == term || !eq[1]) {
      db_error(db, CK_INVALID,
               "filter: '%s' is not a key=value term (keys: region, actor, "
               "kind, source, tag, since, until)",
               term);
      filter_free(f);
      return CK_INVALID;
    }
    *eq = '\0';
    size_t k = 0;
    while (k < NKEYS && strcmp(term, filter_keys[k]) != 0)
      k++;
    if (k == NKEYS) {
      db_error(db, CK_INVALID,
               "filter: unknown key '%s' (keys: region, actor, kind, "
               "source, tag, since, until)",
               term);
      filter_free(f);
      return CK_INVALID;
    }
    if ((k == FK_SINCE || k == FK_UNTIL) && !date_valid(eq + 1)) {
      db_error(db, CK_INVALID, "filter: %s=%s is not a date YYYY-MM-DD",
               term, eq + 1);
      filter_free(f);
      return CK_INVALID;
    }
    if (f->n == CK_FILTER_MAX) {
      filter_free(f);
      return db_error(db, CK_INVALID, "filter: more than %d terms",
                      CK_FILTER_MAX);
    }
    f->terms[f->n].key = (enum filter_key)k;
    f->terms[f->n].value = eq + 1;
    f->n++;
  }
  return CK_OK;
}

void filter_sql(const ck_filter *f, strbuf *sql) {
  for (int i = 0; i < f->n; i++) {
    switch (f->terms[i].key) {
    case FK_REGION: sb_puts(sql, " AND a.region = ?"); break;
    case FK_ACTOR: sb_puts(sql, " AND c.actor = ?"); break;
    case FK_KIND: sb_puts(sql, " AND a.kind = ?"); break;
    case FK_SOURCE: sb_puts(sql, " AND c.source = ?"); break;
    case FK_TAG:
      sb_puts(sql, " AND EXISTS (SELECT 1 FROM json_each(c.tags) t "
                   "WHERE t.value = ?)");
      break;
    case FK_SINCE: sb_puts(sql, " AND " CK_CLAIM_DATE " >= ?"); break;
    case FK_UNTIL: sb_puts(sql, " AND " CK_CLAIM_DATE " <= ?"); break;
    }
  }
}

int filter_on_actors(const ck_filter *f) {
  for (int i = 0; i < f->n; i++)
    if (f->terms[i].key != FK_REGION && f->terms[i].key != FK_KIND &&
        f->terms[i].key != FK_ACTOR)
      return 0;
  return 1;
}

void filter_sql_latest(const ck_filter *f, strbuf *sql) {
  for (int i = 0; i < f->n; i++)
    sb_puts(sql, f->terms[i].key == FK_REGION ? " AND l.region = ?"
                 : f->terms[i].key == FK_KIND ? " AND l.actor_kind = ?"
                                              : " AND l.actor = ?");
}

int filter_bind(const ck_filter *f, sqlite3_stmt *stmt, int first) {
  for (int i = 0; i < f->n; i++)
    sqlite3_bind_text(stmt, first++, f->terms[i].value, -1, SQLITE_STATIC);
  return first;
}

/*
** summary.c -- open a claim database, import packs, print what it holds.
**
**   claimkit-summary DB [PACK...]
**
** The shortest complete use of the C API: open, import, call registry
** functions, read errors, close.
*/
#include <claimkit.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int fail(ck_db *db, const char *what) {
  fprintf(stderr, "claimkit-summary: %s: %s (%s)\n", what, ck_errmsg(db),
          ck_errstr(ck_errcode(db)));
  ck_close(db);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: claimkit-summary DB [PACK...]\n");
    return 2;
  }
  ck_db *db;
  if (ck_open(argv[1], 0, &db) != CK_OK)
    return fail(db, argv[1]);
  for (int i = 2; i < argc; i++) {
    if (ck_import_file(db, argv[i]) != CK_OK)
      return fail(db, argv[i]);
    printf("imported %s\n", argv[i]);
  }

  const char *stats = ck_call(db, "stats", NULL);
  if (!stats)
    return fail(db, "stats");
  json_t *counts = json_loads(stats, 0, NULL);
  const char *table;
  json_t *n;
  printf("\nclaimkit %s, %s\n", ck_version(), argv[1]);
  json_object_foreach(counts, table, n) {
    printf("  %-13s %6lld\n", table, (long long)json_integer_value(n));
  }
  json_decref(counts);

  const char *rows = ck_call(
      db, "sql",
      "[\"SELECT q.id, q.framework, count(v.id) AS views, "
      "count(DISTINCT v.actor) AS actors FROM questions q LEFT JOIN views v "
      "ON v.question = q.id GROUP BY q.id ORDER BY q.framework, q.id\"]");
  if (!rows)
    return fail(db, "sql");
  json_t *list = json_loads(rows, 0, NULL);
  printf("\n%-31s %-24s %5s %6s %7s\n", "question", "framework", "views",
         "actors", "cns");
  size_t i;
  json_t *row;
  json_array_foreach(list, i, row) {
    const char *q = json_string_value(json_object_get(row, "id"));
    const char *fw = json_string_value(json_object_get(row, "framework"));
    double cns = ck_consensus(db, q, "cns", NULL);
    char cell[16] = "-"; /* "-": no consensus function in this build */
    if (!isnan(cns))
      snprintf(cell, sizeof cell, "%.3f", cns);
    printf("%-31s %-24s %5lld %6lld %7s\n", q, fw ? fw : "",
           (long long)json_integer_value(json_object_get(row, "views")),
           (long long)json_integer_value(json_object_get(row, "actors")),
           cell);
  }
  json_decref(list);
  ck_close(db);
  return 0;
}

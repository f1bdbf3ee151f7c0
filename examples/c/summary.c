/*
** summary.c -- open a claim database, import packs, print what they say.
**
**   claimkit-summary DB [PACK...]
**
** The shortest complete use of the C API: open, import, call registry
** functions, read errors, close.  For each question it prints the number
** of actors, the mean stance, the consensus (cns), its label and the
** domestic - overseas gap; for each framework the average cns.
*/
#include <claimkit.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(ck_db *db, const char *what) {
  fprintf(stderr, "claimkit-summary: %s: %s (%s)\n", what, ck_errmsg(db),
          ck_errstr(ck_errcode(db)));
  ck_close(db);
  return 1;
}

/* A number cell: "-" where the call has no answer (no data, one group). */
static const char *cell(const char *format, double v, char *buf, size_t n) {
  if (isnan(v))
    snprintf(buf, n, "-");
  else
    snprintf(buf, n, format, v);
  return buf;
}

/* Rows of a read-only query, as jansson objects. */
static json_t *rows(ck_db *db, const char *query) {
  json_t *args = json_pack("[s]", query);
  char *text = json_dumps(args, JSON_COMPACT);
  const char *result = ck_call(db, "sql", text);
  json_t *list = result ? json_loads(result, 0, NULL) : NULL;
  free(text);
  json_decref(args);
  return list;
}

static int questions(ck_db *db) {
  json_t *list = rows(db, "SELECT id, framework FROM questions "
                          "ORDER BY framework, id");
  if (!list)
    return fail(db, "questions");
  printf("\n%-31s %-24s %3s %6s %6s %-10s %6s\n", "question", "framework",
         "n", "mean", "cns", "label", "gap");
  size_t i;
  json_t *row;
  json_array_foreach(list, i, row) {
    const char *q = json_string_value(json_object_get(row, "id"));
    const char *fw = json_string_value(json_object_get(row, "framework"));
    char args[160], a[16], b[16], c[16];
    snprintf(args, sizeof args, "[\"%s\"]", q);
    double n = ck_consensus(db, q, "n", NULL);
    double mean = ck_consensus(db, q, "mean", NULL);
    double cns = ck_consensus(db, q, "cns", NULL);
    /* label() returns a JSON string: "consensus" with its quotes. */
    const char *result = ck_call(db, "label", args);
    json_t *label = result ? json_loads(result, JSON_DECODE_ANY, NULL) : NULL;
    char label_text[16];
    snprintf(label_text, sizeof label_text, "%s",
             label ? json_string_value(label) : "-");
    json_decref(label);
    double gap = ck_num(db, "split", args); /* domestic - overseas */
    printf("%-31s %-24s %3.0f %6s %6s %-10s %6s\n", q, fw ? fw : "", n,
           cell("%+.2f", mean, a, sizeof a), cell("%.2f", cns, b, sizeof b),
           label_text, cell("%+.2f", gap, c, sizeof c));
  }
  json_decref(list);
  return 0;
}

static int frameworks(ck_db *db) {
  json_t *list = rows(db, "SELECT id FROM frameworks ORDER BY id");
  if (!list)
    return fail(db, "frameworks");
  printf("\n%-24s %8s\n", "framework", "mean cns");
  size_t i;
  json_t *row;
  json_array_foreach(list, i, row) {
    const char *fw = json_string_value(json_object_get(row, "id"));
    char args[96], buf[16];
    snprintf(args, sizeof args, "[\"%s\", \"cns\"]", fw);
    printf("%-24s %8s\n", fw,
           cell("%.2f", ck_num(db, "framework", args), buf, sizeof buf));
  }
  json_decref(list);
  return 0;
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
    printf("  %-13s %7lld\n", table, (long long)json_integer_value(n));
  }
  json_decref(counts);
  if (questions(db) || frameworks(db))
    return 1;
  ck_close(db);
  return 0;
}

/*
** test_example.c -- the DeepSeek V4 example pack: it imports, importing it
** twice changes nothing, and its export round trip is byte-identical.
*/
#include "check.h"

#include <claimkit.h>
#include <jansson.h>
#include <stdlib.h>

static char pack_path[1024];

static ck_db *with_pack(void) {
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK)
    abort();
  if (ck_import_file(db, pack_path) != CK_OK) {
    fprintf(stderr, "  import: %s\n", ck_errmsg(db));
    check_failures++;
  }
  return db;
}

TEST(the_example_pack_imports_with_every_list) {
  ck_db *db = with_pack();
  const char *stats = ck_call(db, "stats", NULL);
  CHECK_CONTAINS(stats, "\"frameworks\":3");
  CHECK_CONTAINS(stats, "\"sources\":1");
  CHECK(!strstr(stats, "\"views\":0"));
  CHECK(!strstr(stats, "\"observations\":0"));
  /* Named institutions and unnamed groups, domestic and overseas. */
  const char *actors = ck_call(
      db, "sql", "[\"SELECT id FROM actors WHERE region NOT IN "
                 "('domestic', 'overseas')\"]");
  CHECK_STR(actors, "[]");
  CHECK_CONTAINS(ck_call(db, "sql", "[\"SELECT group_concat(id) AS ids FROM "
                                    "actors\"]"),
                 "jefferies");
  ck_close(db);
}

TEST(importing_the_example_pack_twice_changes_nothing) {
  ck_db *db = with_pack();
  char *stats = strdup(ck_call(db, "stats", NULL));
  char *first = strdup(ck_export_json(db, NULL));
  CHECK_INT(ck_import_file(db, pack_path), CK_OK);
  CHECK_STR(ck_call(db, "stats", NULL), stats);
  CHECK_STR(ck_export_json(db, NULL), first);
  free(stats);
  free(first);
  ck_close(db);
}

TEST(the_example_export_round_trip_is_byte_identical) {
  ck_db *db = with_pack();
  char *first = strdup(ck_export_json(db, NULL));
  ck_db *again;
  CHECK_INT(ck_open(NULL, 0, &again), CK_OK);
  CHECK_INT(ck_import_json(again, first), CK_OK);
  CHECK_STR(ck_export_json(again, NULL), first);
  free(first);
  ck_close(again);
  ck_close(db);
}

TEST(figures_carry_minute_quote_and_period) {
  ck_db *db = with_pack();
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT count(*) AS n FROM observations WHERE locator "
                    "IS NULL OR quote IS NULL OR period IS NULL\"]"),
            "[{\"n\":0}]");
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT value, period, locator FROM observations "
                    "WHERE entity = 'deepseek' AND metric = 'aa-index'\"]"),
            "[{\"value\":41.61,\"period\":\"2026-03\",\"locator\":\"12:27\"}]");
  ck_close(db);
}

static const char *label(ck_db *db, const char *question) {
  static char out[32];
  char args[128];
  snprintf(args, sizeof args, "[\"%s\"]", question);
  const char *r = ck_call(db, "label", args);
  snprintf(out, sizeof out, "%s", r ? r : ck_errmsg(db));
  return out;
}

TEST(the_seed_reads_as_the_minutes_say) {
  ck_db *db = with_pack();
  /* Every question whose views the pack tags as consensus points. */
  const char *rows = ck_call(
      db, "sql",
      "[\"SELECT DISTINCT question AS q FROM views, json_each(views.tags) t "
      "WHERE t.value = 'consensus' ORDER BY q\"]");
  json_t *list = json_loads(rows, 0, NULL);
  CHECK(json_array_size(list) >= 6);
  size_t i;
  json_t *row;
  json_array_foreach(list, i, row) {
    const char *q = json_string_value(json_object_get(row, "q"));
    if (strcmp(label(db, q), "\"consensus\"") != 0) {
      fprintf(stderr, "  consensus point %s is %s\n", q, label(db, q));
      check_failures++;
    }
  }
  json_decref(list);
  static const char *const divergences[] = {
      "open-closed-parity", "domestic-chip-turning-point",
      "compute-demand-jevons", "valuation-anchor"};
  for (int d = 0; d < 4; d++) {
    const char *l = label(db, divergences[d]);
    if (strcmp(l, "\"divergent\"") != 0 && strcmp(l, "\"mixed\"") != 0) {
      fprintf(stderr, "  divergence %s is %s\n", divergences[d], l);
      check_failures++;
    }
  }
  double tech = ck_num(db, "framework", "[\"tech-frontier\"]");
  double infra = ck_num(db, "framework", "[\"industry-infrastructure\"]");
  double commercial = ck_num(db, "framework", "[\"commercial-realization\"]");
  CHECK(commercial < tech);
  CHECK(commercial < infra);
  ck_close(db);
}

int main(int argc, char **argv) {
  const char *src = getenv("CK_SOURCE_DIR");
  snprintf(pack_path, sizeof pack_path, "%s/examples/deepseek-v4/claims.json",
           src ? src : ".");
  static const check_test tests[] = {
      T(the_example_pack_imports_with_every_list),
      T(importing_the_example_pack_twice_changes_nothing),
      T(the_example_export_round_trip_is_byte_identical),
      T(figures_carry_minute_quote_and_period),
      T(the_seed_reads_as_the_minutes_say),
  };
  return check_run(tests, sizeof tests / sizeof tests[0], argc, argv);
}

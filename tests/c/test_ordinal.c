/*
** test_ordinal.c -- the ordinal measures against the reference values of
** tests/data/ordinal_cases.json (48 frequency vectors and 10 JSD pairs,
** checked against the R package agrmt), to 1e-11.
*/
#include "check.h"
#include "internal.h"
#include "ordinal.h"

#include <stdlib.h>

static json_t *reference;

static void load_reference(void) {
  char path[1024];
  const char *src = getenv("CK_SOURCE_DIR");
  snprintf(path, sizeof path, "%s/tests/data/ordinal_cases.json",
           src ? src : ".");
  json_error_t err;
  reference = json_load_file(path, 0, &err);
  if (!reference) {
    fprintf(stderr, "cannot read %s: %s\n", path, err.text);
    exit(1);
  }
}

static const struct {
  const char *key;
  enum ordinal_m m;
} measures[] = {
    {"mean", OM_MEAN},       {"median", OM_MEDIAN},
    {"sd", OM_SD},           {"cns", OM_CNS},
    {"agreement", OM_AGREEMENT}, {"leik", OM_LEIK},
    {"entropy", OM_ENTROPY},
};

/* Runs every case, scaling the frequencies by `scale` (weights need not
   be counts); returns how many values were compared. */
static int check_cases(double scale) {
  json_t *cases = json_object_get(reference, "cases");
  int compared = 0;
  size_t i;
  json_t *c;
  json_array_foreach(cases, i, c) {
    json_t *freq = json_object_get(c, "freq");
    int k = (int)json_array_size(freq);
    double w[16];
    for (int j = 0; j < k; j++)
      w[j] = json_number_value(json_array_get(freq, (size_t)j)) * scale;
    int x_min = (int)json_number_value(
        json_array_get(json_object_get(c, "values"), 0));
    for (size_t m = 0; m < sizeof measures / sizeof measures[0]; m++) {
      double got = NAN;
      int rc = ordinal_measure(w, k, x_min, measures[m].m, &got);
      double want = json_number_value(json_object_get(c, measures[m].key));
      if (rc != 0 || !(fabs(got - want) <= 1e-11)) {
        fprintf(stderr, "  case '%s' (x%g): %s is %.15g, want %.15g\n",
                json_string_value(json_object_get(c, "label")), scale,
                measures[m].key, got, want);
        check_failures++;
      }
      compared++;
    }
  }
  return compared;
}

TEST(every_reference_case_matches_to_1e_11) {
  CHECK_INT(json_array_size(json_object_get(reference, "cases")), 48);
  CHECK_INT(check_cases(1.0), 48 * 7);
}

TEST(weights_that_are_not_counts_give_the_same_values) {
  check_cases(0.37);
  check_cases(1e6 / 3);
}

TEST(every_reference_jsd_pair_matches_to_1e_11) {
  json_t *pairs = json_object_get(reference, "jsd_cases");
  CHECK_INT(json_array_size(pairs), 10);
  size_t i;
  json_t *c;
  json_array_foreach(pairs, i, c) {
    json_t *p = json_object_get(c, "p"), *q = json_object_get(c, "q");
    int k = (int)json_array_size(p);
    double wp[16], wq[16];
    for (int j = 0; j < k; j++) {
      wp[j] = json_number_value(json_array_get(p, (size_t)j));
      wq[j] = json_number_value(json_array_get(q, (size_t)j));
    }
    CHECK_NEAR(ordinal_jsd(wp, wq, k),
               json_number_value(json_object_get(c, "jsd")), 1e-11);
  }
}

TEST(bull_bear_and_balance_split_at_the_midpoint) {
  double w[5] = {1, 2, 3, 4, 0}; /* -2 .. 2: bear 3/10, neutral 3, bull 4 */
  double r;
  CHECK_INT(ordinal_measure(w, 5, -2, OM_BULL, &r), 0);
  CHECK_NEAR(r, 0.4, 1e-15);
  CHECK_INT(ordinal_measure(w, 5, -2, OM_BEAR, &r), 0);
  CHECK_NEAR(r, 0.3, 1e-15);
  CHECK_INT(ordinal_measure(w, 5, -2, OM_BALANCE, &r), 0);
  CHECK_NEAR(r, 0.1, 1e-15);
  /* An even number of points has no neutral category: 0..3, mid 1.5. */
  double v[4] = {1, 1, 1, 1};
  CHECK_INT(ordinal_measure(v, 4, 0, OM_BULL, &r), 0);
  CHECK_NEAR(r, 0.5, 1e-15);
}

TEST(the_median_of_an_exact_half_is_the_lower_category) {
  /* 0.1 + 0.2 + 0.2 sums to 0.5000000000000001 or 0.49999999999999994
     depending on order: the tolerance makes both the lower median. */
  double w[5] = {0.1, 0.2, 0.2, 0.3, 0.2};
  double r;
  CHECK_INT(ordinal_measure(w, 5, -2, OM_MEDIAN, &r), 0);
  CHECK_NEAR(r, 0, 0);
  double thirds[3] = {1.0 / 3, 1.0 / 6, 0.5};
  CHECK_INT(ordinal_measure(thirds, 3, -1, OM_MEDIAN, &r), 0);
  CHECK_NEAR(r, 0, 0);
}

TEST(undefined_measures_say_so) {
  double none[5] = {0, 0, 0, 0, 0}, two[2] = {1, 1}, r;
  CHECK_INT(ordinal_measure(none, 5, -2, OM_MEAN, &r), -1);
  CHECK_INT(ordinal_measure(two, 2, 0, OM_AGREEMENT, &r), -1);
  CHECK_INT(ordinal_measure(two, 2, 0, OM_CNS, &r), 0);
  CHECK_NEAR(r, 0, 1e-15); /* two poles, equal weight: no consensus */
  CHECK(isnan(ordinal_jsd(none, none, 5)));
}

int main(int argc, char **argv) {
  load_reference();
  static const check_test tests[] = {
      T(every_reference_case_matches_to_1e_11),
      T(weights_that_are_not_counts_give_the_same_values),
      T(every_reference_jsd_pair_matches_to_1e_11),
      T(bull_bear_and_balance_split_at_the_midpoint),
      T(the_median_of_an_exact_half_is_the_lower_category),
      T(undefined_measures_say_so),
  };
  int rc = check_run(tests, sizeof tests / sizeof tests[0], argc, argv);
  json_decref(reference);
  return rc;
}

/*
** test_metrics.c -- the metric functions of docs/functions.md through ck_call and
** ck_num, on a small pack whose answers follow by hand from the
** definitions: latest view per actor, weights, filters, empty selections,
** ties, mixed units and every error code.
*/
#include "check.h"

#include <claimkit.h>
#include <stdlib.h>

static char *dq(const char *s) {
  char *r = strdup(s);
  for (char *p = r; *p; p++)
    if (*p == '\'')
      *p = '"';
  return r;
}

/* Weights: a2 counts twice.  On question q the counted views are a1: 2
   (its later view), a2: 1, a3: -2, a4: 1 (imported after its 0 of the same
   day), so p = (0.2, 0, 0, 0.6, 0.2) over -2..2. */
static const char *const PACK =
    "{'claimkit': 1,"
    " 'sources': [{'id': 's1', 'published': '2026-01-10'},"
    "             {'id': 's2', 'published': '2026-03-10'}],"
    " 'actors': [{'id': 'a1', 'region': 'domestic', 'kind': 'broker'},"
    "            {'id': 'a2', 'region': 'domestic', 'kind': 'fund', 'weight': 2},"
    "            {'id': 'a3', 'region': 'overseas', 'kind': 'broker'},"
    "            {'id': 'a4', 'region': 'overseas', 'kind': 'group'},"
    "            {'id': 'a5', 'region': 'overseas', 'kind': 'broker'}],"
    " 'frameworks': [{'id': 'f1'}, {'id': 'f2'}, {'id': 'f3'}],"
    " 'questions': ["
    "   {'id': 'q', 'framework': 'f1', 'scale': [-2, 2]},"
    "   {'id': 'qm', 'framework': 'f1', 'scale': [-2, 2]},"
    "   {'id': 'q2', 'framework': 'f2', 'scale': [0, 1]},"
    "   {'id': 'empty', 'framework': 'f3'},"
    "   {'id': 'qr', 'resolution': {'outcome': true, 'resolved_on': '2026-02-01'}},"
    "   {'id': 'qf', 'resolution': {'outcome': false, 'resolved_on': '2026-02-01'}}],"
    " 'entities': [{'id': 'e1'}, {'id': 'e2'}, {'id': 'e3'}, {'id': 'e4'},"
    "              {'id': 'e5'}],"
    " 'metrics': [{'id': 'idx', 'unit': 'points'},"
    "             {'id': 'cost', 'unit': 'USD', 'higher_is_better': false},"
    "             {'id': 'mau', 'unit': 'users'}],"
    " 'claims': ["
    "   {'actor': 'a1', 'question': 'q', 'stance': -1, 'as_of': '2026-01-05'},"
    "   {'actor': 'a1', 'question': 'q', 'stance': 2, 'as_of': '2026-02-01', 'tags': ['t1']},"
    "   {'actor': 'a2', 'question': 'q', 'stance': 1, 'source': 's1'},"
    "   {'actor': 'a3', 'question': 'q', 'stance': -2, 'as_of': '2026-02-01'},"
    "   {'actor': 'a4', 'question': 'q', 'stance': 0, 'as_of': '2026-02-01'},"
    "   {'actor': 'a4', 'question': 'q', 'stance': 1, 'as_of': '2026-02-01', 'quote': 'later'},"
    "   {'actor': 'a1', 'question': 'qm', 'stance': 0},"
    "   {'actor': 'a2', 'question': 'qm', 'stance': 0, 'weight_note': 'w2'},"
    "   {'actor': 'a3', 'question': 'qm', 'stance': 2},"
    "   {'actor': 'a1', 'question': 'q2', 'stance': 1},"
    "   {'actor': 'a5', 'question': 'qr', 'stance': 2, 'as_of': '2026-01-15'},"
    "   {'actor': 'a5', 'question': 'qr', 'stance': -2, 'as_of': '2026-03-01'},"
    "   {'actor': 'a5', 'question': 'qf', 'stance': 0, 'as_of': '2026-01-20'},"
    "   {'actor': 'a1', 'entity': 'e1', 'metric': 'idx', 'period': '2026-03', 'value': 10, 'as_of': '2026-03-01'},"
    "   {'actor': 'a1', 'entity': 'e1', 'metric': 'idx', 'period': '2026-03', 'value': 50, 'as_of': '2026-04-01'},"
    "   {'actor': 'a3', 'entity': 'e1', 'metric': 'idx', 'period': '2026年3月', 'value': 60},"
    "   {'actor': 'a4', 'entity': 'e1', 'metric': 'idx', 'period': '2026-03', 'value': 70},"
    "   {'actor': 'a1', 'entity': 'e1', 'metric': 'idx', 'period': '2026-02', 'value': 40},"
    "   {'actor': 'a1', 'entity': 'e2', 'metric': 'idx', 'period': '2026-03', 'value': 60},"
    "   {'actor': 'a1', 'entity': 'e3', 'metric': 'idx', 'period': '2026-03', 'value': 40},"
    "   {'actor': 'a1', 'entity': 'e4', 'metric': 'idx', 'period': '2026-03', 'value': 70},"
    "   {'actor': 'a1', 'entity': 'e4', 'metric': 'idx', 'period': '2025', 'value': 1},"
    "   {'actor': 'a1', 'entity': 'e4', 'metric': 'idx', 'period': '2026-H1', 'value': 80},"
    "   {'actor': 'a1', 'entity': 'e1', 'metric': 'cost', 'period': '2026', 'value': 10},"
    "   {'actor': 'a1', 'entity': 'e2', 'metric': 'cost', 'period': '2026', 'value': 5},"
    "   {'actor': 'a1', 'entity': 'e3', 'metric': 'cost', 'period': '2026', 'value': 5},"
    "   {'actor': 'a1', 'entity': 'e1', 'metric': 'mau', 'period': '2026', 'lo': 100, 'hi': 200},"
    "   {'actor': 'a1', 'entity': 'e2', 'metric': 'mau', 'period': '2026', 'value': 120},"
    "   {'actor': 'a1', 'entity': 'e3', 'metric': 'mau', 'period': '2026', 'value': 3},"
    "   {'actor': 'a3', 'entity': 'e3', 'metric': 'mau', 'period': '2026', 'quantity': '5亿美元'},"
    "   {'actor': 'a3', 'entity': 'e2', 'metric': 'mau', 'period': '2025', 'quantity': '超过3亿'},"
    "   {'actor': 'a1', 'entity': 'e5', 'metric': 'mau', 'value': 7},"
    "   {'actor': 'a3', 'entity': 'e5', 'metric': 'mau', 'quantity': '5亿美元'}"
    " ]}";

static ck_db *db;

static double num(const char *fn, const char *args) {
  return ck_num(db, fn, args);
}

/* A call that must fail with `code` and a message containing `part`. */
static void fails(const char *fn, const char *args, int code,
                  const char *part, int line) {
  double d = ck_num(db, fn, args);
  if (!isnan(d) || ck_errcode(db) != code || !strstr(ck_errmsg(db), part)) {
    fprintf(stderr, "  line %d: %s(%s) gave %g, code %d, \"%s\"; want NaN, "
                    "code %d, \"%s\"\n",
            line, fn, args, d, ck_errcode(db), ck_errmsg(db), code, part);
    check_failures++;
  }
  if (ck_call(db, fn, args) != NULL || ck_errcode(db) != code) {
    fprintf(stderr, "  line %d: ck_call %s(%s) did not fail with %d\n", line,
            fn, args, code);
    check_failures++;
  }
}
#define FAILS(fn, args, code, part) fails(fn, args, code, part, __LINE__)

TEST(consensus_measures_of_the_latest_weighted_views) {
  CHECK_NEAR(num("consensus", "[\"q\", \"n\"]"), 4, 0);
  CHECK_NEAR(num("consensus", "[\"q\", \"mean\"]"), 0.6, 1e-15);
  CHECK_NEAR(num("consensus", "[\"q\", \"median\"]"), 1, 0);
  CHECK_NEAR(num("consensus", "[\"q\", \"sd\"]"), 1.3564659966250538, 1e-14);
  CHECK_NEAR(num("consensus", "[\"q\"]"), 0.48158583401776434, 1e-14);
  CHECK_NEAR(num("consensus", "[\"q\", \"agreement\"]"), 0.23333333333333336,
             1e-14);
  CHECK_NEAR(num("consensus", "[\"q\", \"leik\"]"), 0.4, 1e-15);
  CHECK_NEAR(num("consensus", "[\"q\", \"entropy\"]"), 0.5904362833084089,
             1e-14);
  CHECK_NEAR(num("consensus", "[\"q\", \"bull\"]"), 0.8, 1e-15);
  CHECK_NEAR(num("consensus", "[\"q\", \"bear\"]"), 0.2, 1e-15);
  CHECK_NEAR(num("consensus", "[\"q\", \"balance\"]"), 0.6, 1e-15);
  CHECK_NEAR(ck_consensus(db, "q", "mean", NULL), 0.6, 1e-15);
  CHECK_NEAR(ck_consensus(db, "q", NULL, NULL), 0.48158583401776434, 1e-14);
}

TEST(filters_select_views_before_the_latest_is_taken) {
  CHECK_NEAR(num("consensus", "[\"q\", \"mean\", \"region=domestic\"]"),
             4.0 / 3, 1e-15);
  CHECK_NEAR(num("consensus", "[\"q\", \"mean\", \"region=overseas\"]"), -0.5,
             1e-15);
  /* until: a1's view as of January is -1; a3 and a4 had not spoken. */
  CHECK_NEAR(num("consensus", "[\"q\", \"n\", \"until=2026-01-31\"]"), 2, 0);
  CHECK_NEAR(num("consensus", "[\"q\", \"mean\", \"until=2026-01-31\"]"),
             (-1 + 2 * 1) / 3.0, 1e-15);
  /* a2's view is dated by its source, 2026-01-10. */
  CHECK_NEAR(num("consensus", "[\"q\", \"n\", \"since=2026-02-01\"]"), 3, 0);
  CHECK_NEAR(num("consensus", "[\"q\", \"n\", \"tag=t1\"]"), 1, 0);
  CHECK_NEAR(num("consensus", "[\"q\", \"n\", \"kind=broker\"]"), 2, 0);
  CHECK_NEAR(num("consensus", "[\"q\", \"n\", \"actor=a2\"]"), 1, 0);
  CHECK_NEAR(num("consensus", "[\"q\", \"n\", \"source=s1\"]"), 1, 0);
  CHECK_NEAR(num("consensus", "[\"q\", \"n\", \"region=domestic kind=fund\"]"),
             1, 0);
  CHECK_NEAR(ck_consensus(db, "q", "n", "region=nowhere"), 0, 0);
}

TEST(consensus_errors) {
  FAILS("consensus", "[\"nope\"]", CK_NOTFOUND, "no question 'nope'");
  FAILS("consensus", "[\"q\", \"median2\"]", CK_INVALID,
        "unknown measure 'median2'");
  FAILS("consensus", "[\"q\", \"cns\", \"colour=red\"]", CK_INVALID,
        "unknown key 'colour'");
  FAILS("consensus", "[\"empty\"]", CK_NOTFOUND,
        "no views on question 'empty' match");
  FAILS("consensus", "[\"q\", \"cns\", \"region=nowhere\"]", CK_NOTFOUND,
        "no views");
  FAILS("consensus", "[\"q2\", \"agreement\"]", CK_INVALID,
        "agreement needs a scale of at least 3 points");
  FAILS("consensus", "[]", CK_INVALID, "missing argument 'question'");
  CHECK(isnan(ck_consensus(db, "nope", NULL, NULL)));
  CHECK_INT(ck_errcode(db), CK_NOTFOUND);
}

TEST(labels_follow_the_cns_thresholds) {
  CHECK_STR(ck_call(db, "label", "[\"q\"]"), "\"divergent\"");   /* 0.48 */
  CHECK_STR(ck_call(db, "label", "[\"qm\"]"), "\"mixed\"");      /* 0.69 */
  CHECK_STR(ck_call(db, "label", "[\"q\", \"actor=a1\"]"), "\"consensus\"");
  /* qm: a1 and a2 (weight 2) at 0, a3 at 2: p(0) = 0.75, p(2) = 0.25 */
  CHECK_NEAR(num("consensus", "[\"qm\"]"), 0.68599821526504356, 1e-14);
  FAILS("label", "[\"empty\"]", CK_NOTFOUND, "no views");
}

TEST(split_compares_two_groups) {
  CHECK_NEAR(num("split", "[\"q\"]"), 4.0 / 3 + 0.5, 1e-14);
  CHECK_NEAR(num("split", "{\"question\": \"q\", \"measure\": \"jsd\"}"),
             0.42528358731335336, 1e-14);
  CHECK_NEAR(num("split", "[\"q\", \"kind\", \"broker\", \"fund\"]"),
             0 - 1, 1e-15); /* brokers a1 2, a3 -2: mean 0; fund a2: 1 */
  FAILS("split", "[\"q\", \"colour\"]", CK_INVALID, "unknown by 'colour' (one of: region, kind)");
  FAILS("split", "[\"q\", \"region\", \"domestic\", \"mars\"]", CK_NOTFOUND,
        "no views on 'q' from region 'mars'");
  FAILS("split", "[\"q\", \"region\", \"domestic\", \"overseas\", \"cns\"]",
        CK_INVALID, "unknown measure 'cns' (one of: gap, jsd)");
}

TEST(framework_averages_its_questions_with_views) {
  CHECK_NEAR(num("framework", "[\"f1\"]"),
             (0.48158583401776434 + 0.68599821526504356) / 2, 1e-14);
  CHECK_NEAR(num("framework", "[\"f1\", \"n\"]"), (4 + 3) / 2.0, 1e-15);
  FAILS("framework", "[\"f3\"]", CK_NOTFOUND, "no question of framework 'f3'");
  FAILS("framework", "[\"f9\"]", CK_NOTFOUND, "no framework 'f9'");
  FAILS("framework", "[\"f2\", \"agreement\"]", CK_INVALID,
        "at least 3 points");
}

TEST(stance_and_views_show_the_latest_view) {
  CHECK_NEAR(num("stance", "[\"q\", \"a1\"]"), 2, 0);
  CHECK_NEAR(num("stance", "[\"q\", \"a4\"]"), 1, 0);
  FAILS("stance", "[\"q\", \"a5\"]", CK_NOTFOUND, "has no view on 'q'");
  FAILS("stance", "[\"q\", \"zed\"]", CK_NOTFOUND, "no actor 'zed'");
  const char *v = ck_call(db, "views", "[\"q\", \"region=overseas\"]");
  CHECK_STR(v, "[{\"actor\":\"a3\",\"name\":null,\"region\":\"overseas\","
               "\"stance\":-2,\"as_of\":\"2026-02-01\",\"source\":null,"
               "\"locator\":null,\"quote\":null},{\"actor\":\"a4\",\"name\":"
               "null,\"region\":\"overseas\",\"stance\":1,\"as_of\":"
               "\"2026-02-01\",\"source\":null,\"locator\":null,\"quote\":"
               "\"later\"}]");
  CHECK_STR(ck_call(db, "views", "[\"q\", \"region=nowhere\"]"), "[]");
}

TEST(revisions_and_drift_follow_stances_over_time) {
  CHECK_STR(ck_call(db, "revisions", "[\"q\", \"2026-01-31\", \"2026-03-01\"]"),
            "{\"up\":1,\"down\":0,\"unchanged\":1,\"new\":2}");
  CHECK_STR(ck_call(db, "revisions",
                    "[\"q\", \"2026-01-31\", \"2026-03-01\", "
                    "\"region=overseas\"]"),
            "{\"up\":0,\"down\":0,\"unchanged\":0,\"new\":2}");
  FAILS("revisions", "[\"q\", \"2026-03-01\", \"2026-01-31\"]", CK_INVALID,
        "is after");
  FAILS("revisions", "[\"q\", \"soon\", \"2026-01-31\"]", CK_INVALID,
        "not a date");
  CHECK_STR(ck_call(db, "drift",
                    "[\"q\", \"n\", [\"2026-01-01\", \"2026-01-31\", "
                    "\"2026-03-01\"]]"),
            "[{\"date\":\"2026-01-01\",\"value\":0.0},{\"date\":"
            "\"2026-01-31\",\"value\":2.0},{\"date\":\"2026-03-01\","
            "\"value\":4.0}]");
  CHECK_STR(ck_call(db, "drift", "[\"q\", \"mean\", [\"2026-01-01\"]]"),
            "[{\"date\":\"2026-01-01\",\"value\":null}]");
  FAILS("drift", "[\"q\", \"mean\", [\"yesterday\"]]", CK_INVALID,
        "dates[0] is not a date");
}

TEST(track_scores_views_held_at_resolution) {
  /* qr true: stance 2 by resolution (the later -2 does not count): p = 1,
     error 0, a hit.  qf false: stance 0, p = 0.5, error 0.25, a miss. */
  CHECK_NEAR(num("track", "[\"a5\"]"), 0.125, 1e-15);
  CHECK_NEAR(num("track", "[\"a5\", \"n\"]"), 2, 0);
  CHECK_NEAR(num("track", "[\"a5\", \"hit_rate\"]"), 0.5, 1e-15);
  CHECK_NEAR(num("track", "[\"a1\", \"n\"]"), 0, 0);
  FAILS("track", "[\"a1\"]", CK_NOTFOUND, "no view on a resolved question");
  FAILS("track", "[\"zed\"]", CK_NOTFOUND, "no actor 'zed'");
  FAILS("track", "[\"a5\", \"accuracy\"]", CK_INVALID,
        "unknown stat 'accuracy' (one of: brier, n, hit_rate)");
}

TEST(value_is_the_median_of_the_actors_latest) {
  CHECK_NEAR(ck_value(db, "e1", "idx", "2026-03", NULL), 60, 0);
  CHECK_NEAR(ck_value(db, "e1", "idx", NULL, NULL), 60, 0);
  CHECK_NEAR(ck_value(db, "e1", "idx", "2026年3月", "value"), 60, 0);
  CHECK_NEAR(ck_value(db, "e1", "idx", "2026-02", NULL), 40, 0);
  /* 2026-H1 ends after 2026-03 and 2025: the latest period. */
  CHECK_NEAR(ck_value(db, "e4", "idx", "", NULL), 80, 0);
  CHECK_NEAR(ck_value(db, "e1", "mau", "", "lo"), 100, 0);
  CHECK_NEAR(ck_value(db, "e1", "mau", "", "hi"), 200, 0);
  CHECK_NEAR(ck_value(db, "e1", "mau", "", "value"), 150, 0);
  /* an open upper bound stays infinite */
  CHECK(isinf(ck_value(db, "e2", "mau", "2025", "hi")));
  CHECK_STR(ck_call(db, "value", "[\"e2\", \"mau\", \"2025\", \"hi\"]"),
            "null");
}

TEST(value_errors) {
  FAILS("value", "[\"e9\", \"idx\"]", CK_NOTFOUND, "no entity 'e9'");
  FAILS("value", "[\"e1\", \"zz\"]", CK_NOTFOUND, "no metric 'zz'");
  FAILS("value", "[\"e1\", \"idx\", \"2020\"]", CK_NOTFOUND,
        "no observations of e1 / idx in 2020");
  FAILS("value", "[\"e2\", \"cost\", \"2025\"]", CK_NOTFOUND,
        "no observations");
  FAILS("value", "[\"e1\", \"idx\", \"March\"]", CK_INVALID, "not a period");
  FAILS("value", "[\"e1\", \"idx\", \"\", \"mid\"]", CK_INVALID,
        "unknown part 'mid' (one of: value, lo, hi)");
  FAILS("value", "[\"e3\", \"mau\", \"2026\"]", CK_INVALID,
        "mixed units for e3 / mau / 2026");
  CHECK(isnan(ck_value(db, "e3", "mau", "2026", NULL)));
  CHECK_INT(ck_errcode(db), CK_INVALID);
}

TEST(estimates_describe_the_spread) {
  CHECK_NEAR(num("estimates", "[\"e1\", \"idx\", \"2026-03\", \"n\"]"), 3, 0);
  CHECK_NEAR(num("estimates", "[\"e1\", \"idx\", \"\", \"mean\"]"), 60, 1e-12);
  CHECK_NEAR(num("estimates", "[\"e1\", \"idx\"]"), 60, 0);
  CHECK_NEAR(num("estimates", "[\"e1\", \"idx\", \"\", \"min\"]"), 50, 0);
  CHECK_NEAR(num("estimates", "[\"e1\", \"idx\", \"\", \"max\"]"), 70, 0);
  CHECK_NEAR(num("estimates", "[\"e1\", \"idx\", \"\", \"sd\"]"), 10, 1e-12);
  CHECK_NEAR(num("estimates", "[\"e1\", \"idx\", \"\", \"cv\"]"), 10.0 / 60,
             1e-12);
  /* one estimate has no sample sd: NaN, and not an error */
  CHECK(isnan(num("estimates", "[\"e2\", \"idx\", \"\", \"sd\"]")));
  CHECK_INT(ck_errcode(db), CK_OK);
  CHECK_STR(ck_call(db, "estimates", "[\"e2\", \"idx\", \"\", \"sd\"]"),
            "null");
  FAILS("estimates", "[\"e1\", \"idx\", \"\", \"mode\"]", CK_INVALID,
        "unknown stat 'mode' (one of: n, mean, median, min, max, sd, cv)");
}

TEST(gap_and_ratio_compare_two_entities) {
  CHECK_NEAR(num("gap", "[\"idx\", \"e4\", \"e3\", \"2026-03\"]"), 30, 0);
  CHECK_NEAR(num("gap", "[\"mau\", \"e1\", \"e2\", \"2026\"]"), 30, 0);
  CHECK_NEAR(num("gap", "[\"mau\", \"e1\", \"e2\", \"2026\", \"lo\"]"), -20, 0);
  CHECK_NEAR(num("gap", "[\"mau\", \"e1\", \"e2\", \"2026\", \"hi\"]"), 80, 0);
  CHECK_NEAR(num("ratio", "[\"idx\", \"e4\", \"e3\", \"2026-03\"]"), 1.75, 0);
  FAILS("gap", "[\"idx\", \"e4\", \"e9\"]", CK_NOTFOUND, "no entity 'e9'");
  FAILS("ratio", "[\"idx\", \"e1\", \"e2\", \"1999\"]", CK_NOTFOUND,
        "no observations");
}

TEST(rank_is_competition_ranking) {
  CHECK_NEAR(num("rank", "[\"idx\", \"e4\", \"2026-03\"]"), 1, 0);
  CHECK_NEAR(num("rank", "[\"idx\", \"e1\", \"2026-03\"]"), 2, 0);
  CHECK_NEAR(num("rank", "[\"idx\", \"e2\", \"2026-03\"]"), 2, 0);
  CHECK_NEAR(num("rank", "[\"idx\", \"e3\", \"2026-03\"]"), 4, 0);
  /* lower is better for cost */
  CHECK_NEAR(num("rank", "[\"cost\", \"e2\"]"), 1, 0);
  CHECK_NEAR(num("rank", "[\"cost\", \"e3\"]"), 1, 0);
  CHECK_NEAR(num("rank", "[\"cost\", \"e1\"]"), 3, 0);
  FAILS("rank", "[\"cost\", \"e4\"]", CK_NOTFOUND, "no observations");
}

TEST(change_and_series_follow_periods) {
  CHECK_NEAR(num("change", "[\"e1\", \"idx\", \"2026-02\", \"2026-03\"]"), 0.5,
             1e-15);
  FAILS("change", "[\"e1\", \"idx\", \"\", \"2026-03\"]", CK_INVALID,
        "from and to must be periods");
  FAILS("change", "[\"e1\", \"idx\", \"2020\", \"2026-03\"]", CK_NOTFOUND,
        "no observations");
  CHECK_STR(ck_call(db, "series", "[\"e1\", \"idx\"]"),
            "[{\"period\":\"2026-02\",\"value\":40.0,\"lo\":40.0,\"hi\":40.0,"
            "\"n\":1},{\"period\":\"2026-03\",\"value\":60.0,\"lo\":60.0,"
            "\"hi\":60.0,\"n\":3}]");
  CHECK_CONTAINS(ck_call(db, "series", "[\"e4\", \"idx\"]"),
                 "[{\"period\":\"2025\",");
  FAILS("series", "[\"e1\", \"cost2\"]", CK_NOTFOUND, "no metric 'cost2'");
  FAILS("series", "[\"e4\", \"mau\"]", CK_NOTFOUND, "no observations");
  /* undated observations are a series entry too, and are not mixed */
  FAILS("series", "[\"e5\", \"mau\"]", CK_INVALID,
        "mixed units for e5 / mau / (no period)");
}

TEST(sources_show_the_observations_behind_a_value) {
  const char *s = ck_call(db, "sources", "[\"e1\", \"idx\", \"2026-03\"]");
  CHECK_CONTAINS(s, "{\"actor\":\"a1\",");
  CHECK_CONTAINS(s, "\"value\":50.0");
  CHECK(!strstr(s, "\"value\":10.0")); /* a1's earlier estimate */
  CHECK_CONTAINS(s, "\"value\":60.0");
  CHECK_CONTAINS(s, "\"value\":70.0");
  CHECK_CONTAINS(ck_call(db, "sources", "[\"e3\", \"mau\", \"2026\"]") ? "" :
                 ck_errmsg(db), "mixed units");
}

TEST(quantity_functions_parse_text) {
  CHECK_NEAR(num("quantity", "[\"两百多亿美元\"]"), 2e10, 0);
  CHECK_NEAR(num("quantity", "[\"两百多亿美元\", 0, \"hi\"]"), 3e10, 0);
  CHECK(isinf(num("quantity", "[\"超过3亿\", 0, \"hi\"]")));
  CHECK_STR(ck_call(db, "quantity", "[\"超过3亿\", 0, \"hi\"]"), "null");
  CHECK_STR(ck_call(db, "quantity", "[\"两百多亿美元\", 0, \"unit\"]"),
            "\"USD\"");
  CHECK_STR(ck_call(db, "quantity", "[\"a 将近480 b\", 0, \"text\"]"),
            "\"将近480\"");
  CHECK_STR(ck_call(db, "quantity",
                    "{\"text\": \"320左右\", \"part\": \"qualifier\"}"),
            "\"approx\"");
  CHECK_NEAR(num("quantity", "[\"3亿 and 5亿\", 1]"), 5e8, 0);
  CHECK_STR(ck_call(db, "quantities", "[\"跌了15%\"]"),
            "[{\"text\":\"跌了15%\",\"value\":-0.15,\"lo\":-0.15,\"hi\":-0.15,"
            "\"qualifier\":\"exact\",\"unit\":\"%\"}]");
  CHECK_STR(ck_call(db, "quantities", "[\"一个\"]"), "[]");
  FAILS("quantity", "[\"没有数字\"]", CK_NOTFOUND, "no quantity in the text");
  FAILS("quantity", "[\"3亿\", 4]", CK_NOTFOUND,
        "the text has 1 quantity; index 4 is past them");
  FAILS("quantity", "[\"3亿\", -1]", CK_INVALID, "negative");
  FAILS("quantity", "[\"3亿\", 0, \"colour\"]", CK_INVALID,
        "unknown part 'colour' (one of: value, lo, hi, unit, qualifier, "
        "text)");
  /* invalid UTF-8 never reaches the parser through JSON arguments */
  FAILS("quantity", "[\"\xff\"]", CK_INVALID, "arguments");
}

TEST(every_function_reports_missing_data_and_bad_arguments) {
  static const struct {
    const char *fn, *args;
    int code;
    const char *message;
  } cases[] = {
      {"label", "[\"q\", \"when=now\"]", CK_INVALID, "unknown key 'when'"},
      {"label", "[\"nope\"]", CK_NOTFOUND, "no question 'nope'"},
      {"stance", "[\"q\"]", CK_INVALID, "missing argument 'actor'"},
      {"stance", "[\"nope\", \"a1\"]", CK_NOTFOUND, "no question 'nope'"},
      {"views", "[\"q\", \"region\"]", CK_INVALID, "not a key=value term"},
      {"views", "[\"nope\"]", CK_NOTFOUND, "no question 'nope'"},
      {"split", "[\"nope\"]", CK_NOTFOUND, "no question 'nope'"},
      {"revisions", "[\"nope\", \"2026-01-01\", \"2026-02-01\"]",
       CK_NOTFOUND, "no question 'nope'"},
      {"drift", "[\"nope\", \"cns\", []]", CK_NOTFOUND,
       "no question 'nope'"},
      {"drift", "[\"q\", \"cns\", \"2026-01-01\"]", CK_INVALID,
       "argument 'dates' must be an array"},
      {"estimates", "[\"e9\", \"idx\"]", CK_NOTFOUND, "no entity 'e9'"},
      {"gap", "[\"idx\", \"e1\", \"e2\", \"\", \"middle\"]", CK_INVALID,
       "unknown part 'middle'"},
      {"ratio", "[\"idx\", \"e1\", \"e2\", \"someday\"]", CK_INVALID,
       "not a period"},
      {"rank", "[\"idx\", \"e1\", \"13/2026\"]", CK_INVALID,
       "not a period"},
      {"rank", "[\"zz\", \"e1\"]", CK_NOTFOUND, "no metric 'zz'"},
      {"series", "[\"e1\"]", CK_INVALID, "missing argument 'metric'"},
      {"sources", "[\"e9\", \"idx\"]", CK_NOTFOUND, "no entity 'e9'"},
      {"sources", "[\"e1\", \"idx\", \"someday\"]", CK_INVALID,
       "not a period"},
      {"quantities", "[true]", CK_INVALID, "must be a string, not a boolean"},
      {"track", "[]", CK_INVALID, "missing argument 'actor'"},
      {"sql", "[\"SELECT * FROM nowhere\"]", CK_INVALID, "no such table"},
      {"nosuch", "[]", CK_NOTFOUND, "no function 'nosuch'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    fails(cases[i].fn, cases[i].args, cases[i].code, cases[i].message,
          (int)i);
}

int main(int argc, char **argv) {
  char *pack = dq(PACK);
  if (ck_open(NULL, 0, &db) != CK_OK || ck_import_json(db, pack) != CK_OK) {
    fprintf(stderr, "setup: %s\n", ck_errmsg(db));
    return 1;
  }
  free(pack);
  static const check_test tests[] = {
      T(consensus_measures_of_the_latest_weighted_views),
      T(filters_select_views_before_the_latest_is_taken),
      T(consensus_errors),
      T(labels_follow_the_cns_thresholds),
      T(split_compares_two_groups),
      T(framework_averages_its_questions_with_views),
      T(stance_and_views_show_the_latest_view),
      T(revisions_and_drift_follow_stances_over_time),
      T(track_scores_views_held_at_resolution),
      T(value_is_the_median_of_the_actors_latest),
      T(value_errors),
      T(estimates_describe_the_spread),
      T(gap_and_ratio_compare_two_entities),
      T(rank_is_competition_ranking),
      T(change_and_series_follow_periods),
      T(sources_show_the_observations_behind_a_value),
      T(quantity_functions_parse_text),
      T(every_function_reports_missing_data_and_bad_arguments),
  };
  int rc = check_run(tests, sizeof tests / sizeof tests[0], argc, argv);
  ck_close(db);
  return rc;
}

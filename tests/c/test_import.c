/*
** test_import.c -- claim pack and JSON Lines import: every validation rule
** of docs/packs.md refuses the whole import with CK_INVALID, names the JSON
** Pointer (or line) and leaves the stored data unchanged; valid input is
** imported atomically and idempotently.
*/
#include "check.h"

#include <claimkit.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

/* Packs are written with ' for " to keep them readable here. */
static char *dq(const char *s) {
  char *r = strdup(s);
  for (char *p = r; *p; p++)
    if (*p == '\'')
      *p = '"';
  return r;
}

#define SOURCES                                                                \
  "[{'id': 'minutes', 'title': 'Minutes', 'kind': 'transcript', "              \
  "'published': '2026-04-28', 'lang': 'zh'}]"
#define ACTORS                                                                 \
  "[{'id': 'jefferies', 'name': 'Jefferies', 'region': 'overseas', "           \
  "'kind': 'broker'}, {'id': 'kaiyuan', 'name': 'Kaiyuan', 'region': "         \
  "'domestic', 'kind': 'broker', 'weight': 2}]"
#define FRAMEWORKS "[{'id': 'tech', 'name': 'Tech frontier'}]"
#define ENTITIES                                                               \
  "[{'id': 'deepseek', 'name': 'DeepSeek', 'kind': 'lab'}, {'id': "            \
  "'deepseek-v4', 'name': 'DeepSeek V4', 'kind': 'model', 'parent': "          \
  "'deepseek'}]"
#define METRICS                                                                \
  "[{'id': 'aa-index', 'name': 'Index', 'unit': 'points', 'framework': "       \
  "'tech'}]"
#define QUESTIONS                                                              \
  "[{'id': 'parity', 'text': 'Parity?', 'framework': 'tech', 'scale': [-2, "   \
  "2], 'poles': ['no', 'yes']}]"
#define VALID_CLAIM                                                            \
  "{'source': 'minutes', 'actor': 'kaiyuan', 'locator': '21:12', "             \
  "'question': 'parity', 'stance': 1}"

/* A pack with the default lists, except those given. */
static char *make_pack(const char *sources, const char *actors,
                       const char *frameworks, const char *entities,
                       const char *metrics, const char *questions,
                       const char *claims) {
  char buf[8192];
  snprintf(buf, sizeof buf,
           "{'claimkit': 1, 'sources': %s, 'actors': %s, 'frameworks': %s, "
           "'entities': %s, 'metrics': %s, 'questions': %s, 'claims': %s}",
           sources ? sources : SOURCES, actors ? actors : ACTORS,
           frameworks ? frameworks : FRAMEWORKS, entities ? entities : ENTITIES,
           metrics ? metrics : METRICS, questions ? questions : QUESTIONS,
           claims ? claims : "[" VALID_CLAIM "]");
  return dq(buf);
}

/* The default pack whose claims are the valid one, then `broken`. */
static char *with_claim(const char *broken) {
  char claims[4096];
  snprintf(claims, sizeof claims, "[" VALID_CLAIM ", %s]", broken);
  return make_pack(NULL, NULL, NULL, NULL, NULL, NULL, claims);
}

static ck_db *fresh(void) {
  ck_db *db;
  if (ck_open(NULL, 0, &db) != CK_OK)
    abort();
  return db;
}

static char *snapshot(ck_db *db) {
  const char *s = ck_call(db, "stats", NULL);
  return strdup(s ? s : "(stats failed)");
}

/* Imports `pack` into a database already holding one stored view and
   checks the refusal: code, pointer, reason, and nothing written. */
static void refused_at(char *pack, const char *pointer, const char *reason,
                       const char *file, int line) {
  ck_db *db = fresh();
  char *seed = make_pack(NULL, NULL, NULL, NULL, NULL, NULL,
                         "[{'id': 'stored', 'actor': 'jefferies', "
                         "'question': 'parity', 'stance': -1}]");
  if (ck_import_json(db, seed) != CK_OK) {
    fprintf(stderr, "  %s:%d: seed import failed: %s\n", file, line,
            ck_errmsg(db));
    check_failures++;
  }
  char *before = snapshot(db);
  char *export_before = strdup(ck_export_json(db, NULL));
  int rc = ck_import_json(db, pack);
  const char *msg = ck_errmsg(db);
  if (rc != CK_INVALID || ck_errcode(db) != CK_INVALID) {
    fprintf(stderr, "  %s:%d: import gave %d (%s), want CK_INVALID\n", file,
            line, rc, msg);
    check_failures++;
  }
  if (!strstr(msg, pointer) || !strstr(msg, reason)) {
    fprintf(stderr, "  %s:%d: message \"%s\" lacks \"%s\" or \"%s\"\n", file,
            line, msg, pointer, reason);
    check_failures++;
  }
  char *after = snapshot(db);
  if (strcmp(before, after) != 0 ||
      strcmp(export_before, ck_export_json(db, NULL)) != 0) {
    fprintf(stderr, "  %s:%d: stored data changed: %s -> %s\n", file, line,
            before, after);
    check_failures++;
  }
  free(before);
  free(after);
  free(export_before);
  free(seed);
  free(pack);
  ck_close(db);
}

#define REFUSED(pack, pointer, reason)                                         \
  refused_at((pack), (pointer), (reason), __FILE__, __LINE__)

/* ---- structure ----------------------------------------------------------- */

TEST(json_syntax_errors_give_line_and_column) {
  REFUSED(dq("{'claimkit': 1,\n 'claims': [\n  {'actor': }\n]}"),
          "line 3, column", "");
  REFUSED(dq("{'claimkit': 1, 'claimkit': 1}"), "line 1", "duplicate");
}

TEST(a_pack_must_be_an_object) {
  REFUSED(dq("[1, 2]"), "line 1, column 1",
          "expected a claim pack (one JSON object) or JSON Lines");
  REFUSED(dq("  \n 42"), "line 2, column 2", "not a number");
}

TEST(unknown_top_level_lists_are_refused) {
  REFUSED(dq("{'claimkit': 1, 'claim': []}"), "/claim", "unknown list");
}

TEST(only_pack_format_1_is_read) {
  REFUSED(dq("{'claimkit': 2}"), "/claimkit", "unsupported pack format");
  REFUSED(dq("{'claimkit': '1'}"), "/claimkit", "unsupported pack format");
}

TEST(lists_must_be_lists_of_objects) {
  REFUSED(make_pack(NULL, "{'id': 'x'}", NULL, NULL, NULL, NULL, NULL),
          "/actors", "must be a list, not an object");
  REFUSED(with_claim("'jefferies'"), "/claims/1",
          "a claim must be an object, not a string");
}

TEST(the_input_must_not_be_empty) {
  REFUSED(strdup("  \n "), "", "the input is empty");
}

/* ---- ids and fields ------------------------------------------------------ */

TEST(ids_must_be_lowercase_slugs) {
  REFUSED(make_pack(NULL,
                    "[{'id': 'jefferies'}, {'id': 'kaiyuan'}, "
                    "{'id': 'Asia Thematic'}]",
                    NULL, NULL, NULL, NULL, NULL),
          "/actors/2/id", "'Asia Thematic' is not an id");
  REFUSED(with_claim("{'id': 'Bad_ID', 'actor': 'jefferies', 'question': "
                     "'parity', 'stance': 0}"),
          "/claims/1/id", "is not an id");
  char big[200];
  snprintf(big, sizeof big, "[{'id': '%065d'}]", 0);
  REFUSED(make_pack(NULL, NULL, big, NULL, NULL, NULL, NULL),
          "/frameworks/0/id", "is not an id");
}

TEST(records_need_their_id) {
  REFUSED(make_pack("[{'title': 'no id'}]", NULL, NULL, NULL, NULL, NULL,
                    "[]"),
          "/sources/0/id", "missing");
}

TEST(fields_must_have_their_type) {
  REFUSED(make_pack(NULL,
                    "[{'id': 'jefferies', 'name': 7}, {'id': 'kaiyuan'}]",
                    NULL, NULL, NULL, NULL, NULL),
          "/actors/0/name", "must be a string, not a number");
  REFUSED(make_pack(NULL, NULL, NULL, NULL,
                    "[{'id': 'aa-index', 'higher_is_better': 'yes'}]", NULL,
                    "[]"),
          "/metrics/0/higher_is_better", "must be true or false");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': 0, 'quote': ['a']}"),
          "/claims/1/quote", "must be a string, not a list");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': 0, 'tags': ['ok', 3]}"),
          "/claims/1/tags/1", "must be a string, not a number");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': 0, 'tags': 'divergence'}"),
          "/claims/1/tags", "must be a list of strings");
}

TEST(weights_must_be_positive) {
  REFUSED(make_pack(NULL,
                    "[{'id': 'jefferies', 'weight': 0}, {'id': 'kaiyuan'}]",
                    NULL, NULL, NULL, NULL, NULL),
          "/actors/0/weight", "is not a positive weight");
  REFUSED(make_pack(NULL,
                    "[{'id': 'jefferies', 'weight': -1}, {'id': 'kaiyuan'}]",
                    NULL, NULL, NULL, NULL, NULL),
          "/actors/0/weight", "is not a positive weight");
}

TEST(dates_must_be_calendar_dates) {
  REFUSED(make_pack("[{'id': 'minutes', 'published': '2026-02-30'}]", NULL,
                    NULL, NULL, NULL, NULL, NULL),
          "/sources/0/published", "'2026-02-30' is not a date YYYY-MM-DD");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': 0, 'as_of': '28/04/2026'}"),
          "/claims/1/as_of", "is not a date");
}

TEST(an_id_is_given_once_per_import) {
  REFUSED(make_pack(NULL,
                    "[{'id': 'jefferies'}, {'id': 'kaiyuan'}, "
                    "{'id': 'jefferies', 'name': 'again'}]",
                    NULL, NULL, NULL, NULL, NULL),
          "/actors/2/id", "given twice (first at /actors/0)");
  REFUSED(with_claim("{'id': 'x1', 'actor': 'jefferies', 'question': "
                     "'parity', 'stance': 0}, {'id': 'x1', 'actor': "
                     "'kaiyuan', 'question': 'parity', 'stance': 1}"),
          "/claims/2/id", "given twice");
}

/* ---- references ---------------------------------------------------------- */

TEST(references_must_exist_in_the_pack_or_the_database) {
  REFUSED(with_claim("{'actor': 'nomura', 'question': 'parity', 'stance': 0}"),
          "/claims/1/actor",
          "unknown actor 'nomura' (not in the pack nor in the database)");
  REFUSED(with_claim("{'actor': 'jefferies', 'source': 'memo', 'question': "
                     "'parity', 'stance': 0}"),
          "/claims/1/source", "unknown source 'memo'");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'valuation', "
                     "'stance': 0}"),
          "/claims/1/question", "unknown question 'valuation'");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'qwen', 'metric': "
                     "'aa-index', 'value': 1}"),
          "/claims/1/entity", "unknown entity 'qwen'");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'mau', 'value': 1}"),
          "/claims/1/metric", "unknown metric 'mau'");
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'framework': 'commercial'}]", NULL),
          "/questions/0/framework", "unknown framework 'commercial'");
  REFUSED(make_pack(NULL, NULL, NULL, NULL,
                    "[{'id': 'aa-index', 'framework': 'infra'}]", NULL, "[]"),
          "/metrics/0/framework", "unknown framework 'infra'");
  REFUSED(make_pack(NULL, NULL, NULL,
                    "[{'id': 'deepseek', 'parent': 'hedge-fund'}]", NULL, NULL,
                    "[]"),
          "/entities/0/parent", "unknown entity 'hedge-fund'");
}

TEST(an_entity_is_not_its_own_parent) {
  REFUSED(make_pack(NULL, NULL, NULL,
                    "[{'id': 'deepseek', 'parent': 'deepseek'}]", NULL, NULL,
                    "[]"),
          "/entities/0/parent", "cannot be its own parent");
}

TEST(references_may_point_forward_within_the_pack) {
  ck_db *db = fresh();
  /* deepseek-v4 names its parent before the parent's record. */
  char *pack = make_pack(NULL, NULL, NULL,
                         "[{'id': 'v4', 'parent': 'ds'}, {'id': 'ds'}]", NULL,
                         NULL, NULL);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  free(pack);
  ck_close(db);
}

/* ---- views --------------------------------------------------------------- */

TEST(a_stance_must_lie_on_the_scale) {
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': 3}"),
          "/claims/1/stance",
          "3 is outside the scale -2..2 of question 'parity'");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': -3}"),
          "/claims/1/stance", "-3 is outside the scale -2..2");
}

TEST(a_stance_is_an_integer) {
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': 1.5}"),
          "/claims/1/stance", "must be an integer, not a fraction");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': '1'}"),
          "/claims/1/stance", "must be an integer, not a string");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity'}"),
          "/claims/1/stance", "missing");
}

TEST(integral_reals_count_as_integers) {
  ck_db *db = fresh();
  char *pack = with_claim("{'actor': 'jefferies', 'question': 'parity', "
                          "'stance': -2.0}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_CONTAINS(ck_call(db, "sql",
                         "[\"SELECT stance FROM views WHERE actor = "
                         "'jefferies'\"]"),
                 "\"stance\":-2}");
  free(pack);
  ck_close(db);
}

TEST(a_scale_is_two_increasing_integers) {
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'scale': [2, -2]}]", NULL),
          "/questions/0/scale", "min 2 is not below max -2");
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'scale': [-2, 2, 4]}]", NULL),
          "/questions/0/scale", "must be a list of two integers");
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'scale': [-1.5, 2]}]", NULL),
          "/questions/0/scale", "must be a list of two integers");
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'scale': [0, 5000]}]", NULL),
          "/questions/0/scale", "more than");
}

TEST(poles_and_resolutions_have_their_shape) {
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'poles': ['only one']}]", NULL),
          "/questions/0/poles", "two strings");
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'resolution': {'resolved_on': "
                    "'2026-06-30'}}]",
                    NULL),
          "/questions/0/resolution/outcome", "missing");
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'resolution': {'outcome': 'yes'}}]",
                    NULL),
          "/questions/0/resolution/outcome", "must be true or false");
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'resolution': {'outcome': true, "
                    "'resolved_on': '2026-06-31'}}]",
                    NULL),
          "/questions/0/resolution/resolved_on", "not a date");
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'resolution': true}]", NULL),
          "/questions/0/resolution", "must be an object");
}

TEST(narrowing_a_scale_must_keep_stored_stances) {
  /* The stored view (refused_at's seed) has stance -1 on parity. */
  REFUSED(make_pack(NULL, NULL, NULL, NULL, NULL,
                    "[{'id': 'parity', 'scale': [0, 1]}]", "[]"),
          "/questions/0/scale",
          "0..1 leaves claim 'stored' with stance -1 outside it");
}

/* ---- claims: view or observation ------------------------------------------ */

TEST(a_claim_is_a_view_or_an_observation_not_both) {
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': 1, 'entity': 'deepseek', 'metric': "
                     "'aa-index', 'value': 41.61}"),
          "/claims/1", "not both: it has 'question' and 'entity'");
}

TEST(a_claim_is_at_least_one_of_them) {
  REFUSED(with_claim("{'actor': 'jefferies', 'quote': 'hmm'}"), "/claims/1",
          "a claim needs question and stance");
}

TEST(a_claim_needs_an_actor) {
  REFUSED(with_claim("{'question': 'parity', 'stance': 1}"),
          "/claims/1/actor", "missing");
}

TEST(an_observation_has_one_form_of_value) {
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'value': 1, 'lo': 0, 'hi': 2}"),
          "/claims/1", "give one of value, lo and hi, or quantity");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'lo': 0}"),
          "/claims/1/hi", "missing (lo and hi go together)");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'lo': 3, 'hi': 2}"),
          "/claims/1/lo", "3 is above hi 2");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'period': '2026-03'}"),
          "/claims/1", "an observation needs value, lo and hi, or quantity");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'value': '41.61'}"),
          "/claims/1/value", "must be a number, not a string");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index'}"),
          "/claims/1", "an observation needs");
}

TEST(a_quantity_holds_exactly_one_quantity) {
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'quantity': '很多'}"),
          "/claims/1/quantity", "no quantity in '很多'");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'quantity': '3亿和5亿'}"),
          "/claims/1/quantity", "holds 2 quantities ('3亿' and '5亿')");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'quantity': '3亿', 'value': 3}"),
          "/claims/1", "this observation has value and quantity");
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'quantity': 5}"),
          "/claims/1/quantity", "must be a string, not a number");
}

TEST(a_quantity_is_stored_with_its_text_bounds_and_unit) {
  ck_db *db = fresh();
  char *pack = with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                          "'metric': 'aa-index', 'period': '2026-04', "
                          "'quantity': '两百多亿美元'}, {'actor': 'kaiyuan', "
                          "'entity': 'deepseek-v4', 'metric': 'aa-index', "
                          "'quantity': '将近480', 'unit': 'pts'}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT entity, value, lo, hi, qualifier, quantity, "
                    "unit FROM observations ORDER BY entity\"]"),
            "[{\"entity\":\"deepseek\",\"value\":20000000000.0,"
            "\"lo\":20000000000.0,\"hi\":30000000000.0,\"qualifier\":"
            "\"over\",\"quantity\":\"两百多亿美元\",\"unit\":\"USD\"},"
            "{\"entity\":\"deepseek-v4\",\"value\":480.0,\"lo\":0.0,"
            "\"hi\":480.0,\"qualifier\":\"nearly\",\"quantity\":"
            "\"将近480\",\"unit\":\"pts\"}]");
  free(pack);
  ck_close(db);
}

TEST(a_draft_claim_with_a_null_names_what_to_fill_in) {
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': null, 'metric': null, "
                     "'quantity': '20.6万亿', 'locator': '23:26'}"),
          "/claims/1/entity", "fill in the entity for \"20.6万亿\" (23:26)");
  REFUSED(with_claim("{'actor': null, 'question': 'parity', 'stance': 1}"),
          "/claims/1/actor", "fill in the actor (it is null)");
  REFUSED(with_claim("{'actor': 'jefferies', 'question': 'parity', "
                     "'stance': 1, 'quote': null}"),
          "/claims/1/quote", "fill in the quote");
}

TEST(periods_must_be_periods) {
  REFUSED(with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                     "'metric': 'aa-index', 'value': 1, 'period': 'March'}"),
          "/claims/1/period", "'March' is not a period");
}

TEST(scripts_need_a_name_and_lua) {
  char *p = dq("{'claimkit': 1, 'scripts': [{'name': 'watchlist'}]}");
  REFUSED(p, "/scripts/0/lua", "missing");
  REFUSED(dq("{'claimkit': 1, 'scripts': [{'lua': 'return 1'}]}"),
          "/scripts/0/name", "missing");
}

/* ---- JSON Lines ------------------------------------------------------------ */

#define LINES_HEAD                                                             \
  "{'type': 'actor', 'id': 'jefferies', 'region': 'overseas'}\n"               \
  "{'type': 'question', 'id': 'parity', 'scale': [-2, 2]}\n"

TEST(json_lines_errors_name_the_line) {
  REFUSED(dq(LINES_HEAD "{'type': 'claim', 'actor': 'jefferies', "
                        "'question': 'parity', 'stance': 1}\n"
                        "{'type': 'claim', 'actor': 'jefferies', "
                        "'question': 'parity', 'stance': 9}\n"),
          "line 4: /stance", "9 is outside the scale -2..2");
  REFUSED(dq(LINES_HEAD "{'type': 'claims', 'actor': 'jefferies'}\n"),
          "line 3: /type", "'claims' is not a record type");
  REFUSED(dq(LINES_HEAD "\n{'type': 'claim', 'actor': }\n"), "line 4, column",
          "");
  REFUSED(dq(LINES_HEAD "{'actor': 'jefferies'}\n"), "line 3: /type",
          "missing");
  REFUSED(dq(LINES_HEAD "[1]\n"), "line 3", "must be an object");
}

TEST(json_lines_may_refer_forward_and_are_checked_at_the_end) {
  ck_db *db = fresh();
  char *lines = dq("{'type': 'claim', 'actor': 'later', 'question': 'q2', "
                   "'stance': 2}\n"
                   "{'type': 'actor', 'id': 'later'}\n"
                   "{'type': 'question', 'id': 'q2', 'scale': [0, 2]}\n");
  CHECK_INT(ck_import_json(db, lines), CK_OK);
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"views\":1");
  free(lines);
  /* A forward reference that never arrives names its line. */
  lines = dq("{'type': 'claim', 'actor': 'ghost', 'question': 'q2', "
             "'stance': 1}\n{'type': 'actor', 'id': 'other'}\n");
  CHECK_INT(ck_import_json(db, lines), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "line 1: /actor: unknown actor 'ghost'");
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"actors\":1");
  free(lines);
  /* A stance checked once its question arrives, later in the stream. */
  lines = dq("{'type': 'claim', 'actor': 'later', 'question': 'q3', "
             "'stance': 5}\n{'type': 'question', 'id': 'q3', 'scale': [0, "
             "4]}\n");
  CHECK_INT(ck_import_json(db, lines), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "line 2: /scale: 0..4 leaves claim 'c");
  CHECK_CONTAINS(ck_errmsg(db), "' with stance 5 outside it");
  free(lines);
  ck_close(db);
}

TEST(a_json_lines_file_imports_like_the_same_text) {
  char path[] = "/tmp/ck_test_XXXXXX";
  int fd = mkstemp(path);
  char *lines = dq("\xEF\xBB\xBF" LINES_HEAD
                   "{'type': 'claim', 'actor': 'jefferies', 'question': "
                   "'parity', 'stance': -1}\r\n\n"
                   "{'type': 'claim', 'actor': 'jefferies', 'question': "
                   "'parity', 'stance': 7}\n");
  CHECK(write(fd, lines, strlen(lines)) == (ssize_t)strlen(lines));
  close(fd);
  ck_db *db = fresh();
  CHECK_INT(ck_import_file(db, path), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "line 5: /stance: 7 is outside");
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"claims\":0");
  /* Without the bad last line it goes in. */
  *strrchr(lines, '{') = '\0';
  fd = open(path, O_WRONLY | O_TRUNC);
  CHECK(write(fd, lines, strlen(lines)) == (ssize_t)strlen(lines));
  close(fd);
  CHECK_INT(ck_import_file(db, path), CK_OK);
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"claims\":1");
  unlink(path);
  free(lines);
  ck_close(db);
}

TEST(a_missing_file_is_an_io_error) {
  ck_db *db = fresh();
  CHECK_INT(ck_import_file(db, "/nonexistent/pack.json"), CK_IO);
  CHECK_CONTAINS(ck_errmsg(db), "cannot open '/nonexistent/pack.json'");
  ck_close(db);
}

/* ---- what goes in ---------------------------------------------------------- */

TEST(importing_the_same_pack_twice_changes_nothing) {
  ck_db *db = fresh();
  char *pack = with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                          "'metric': 'aa-index', 'period': '2026年3月', "
                          "'value': 41.61, 'locator': '12:27'}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  char *stats = snapshot(db);
  char *exported = strdup(ck_export_json(db, NULL));
  char *order = strdup(ck_call(db, "sql", "[\"SELECT id, seq FROM claims\"]"));
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  char *stats2 = snapshot(db);
  CHECK_STR(stats2, stats);
  CHECK_STR(ck_export_json(db, NULL), exported);
  CHECK_STR(ck_call(db, "sql", "[\"SELECT id, seq FROM claims\"]"), order);
  free(stats);
  free(stats2);
  free(exported);
  free(order);
  free(pack);
  ck_close(db);
}

TEST(a_claim_without_id_gets_its_content_id) {
  ck_db *db = fresh();
  /* c + FNV-1a 64 of {"actor":"kaiyuan","locator":"21:12",
     "question":"parity","source":"minutes","stance":1}, as Python's
     json.dumps(sort_keys=True, separators=(",", ":")) writes it. */
  char *pack = make_pack(NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_STR(ck_call(db, "sql", "[\"SELECT id FROM claims\"]"),
            "[{\"id\":\"cea6fe35dfb0502c4\"}]");
  free(pack);
  ck_close(db);
}

TEST(explicit_ids_are_upserted) {
  ck_db *db = fresh();
  char *pack = with_claim("{'id': 'jef-parity', 'actor': 'jefferies', "
                          "'question': 'parity', 'stance': -1}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  free(pack);
  pack = with_claim("{'id': 'jef-parity', 'actor': 'jefferies', "
                    "'question': 'parity', 'stance': -2}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT stance FROM claims WHERE id = 'jef-parity'\"]"),
            "[{\"stance\":-2}]");
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"claims\":2");
  free(pack);
  /* A dimension record is replaced whole. */
  pack = make_pack(NULL, "[{'id': 'jefferies', 'name': 'Jefferies LLC'}]",
                   NULL, NULL, NULL, NULL, "[]");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT name, region FROM actors WHERE id = "
                    "'jefferies'\"]"),
            "[{\"name\":\"Jefferies LLC\",\"region\":null}]");
  free(pack);
  ck_close(db);
}

TEST(observations_store_value_bounds_and_iso_period) {
  ck_db *db = fresh();
  char *pack = with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                          "'metric': 'aa-index', 'period': '2025年下半年', "
                          "'lo': 2.26e8, 'hi': 3.3e8}, {'actor': "
                          "'kaiyuan', 'entity': 'deepseek-v4', 'metric': "
                          "'aa-index', 'value': 41.61, 'unit': 'pts'}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT entity, period, period_end, value, lo, hi, "
                    "qualifier, unit FROM observations ORDER BY entity\"]"),
            "[{\"entity\":\"deepseek\",\"period\":\"2025-H2\","
            "\"period_end\":\"2025-12-31\",\"value\":278000000.0,"
            "\"lo\":226000000.0,\"hi\":330000000.0,\"qualifier\":\"range\","
            "\"unit\":\"points\"},{\"entity\":\"deepseek-v4\",\"period\":null,"
            "\"period_end\":null,\"value\":41.61,\"lo\":41.61,\"hi\":41.61,"
            "\"qualifier\":\"exact\",\"unit\":\"pts\"}]");
  free(pack);
  ck_close(db);
}

TEST(a_claim_without_as_of_dates_from_its_source) {
  ck_db *db = fresh();
  char *pack = with_claim("{'actor': 'jefferies', 'question': 'parity', "
                          "'stance': 0, 'as_of': '2026-05-01'}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_STR(ck_call(db, "sql",
                    "[\"SELECT actor, as_of FROM views ORDER BY actor\"]"),
            "[{\"actor\":\"jefferies\",\"as_of\":\"2026-05-01\"},"
            "{\"actor\":\"kaiyuan\",\"as_of\":\"2026-04-28\"}]");
  free(pack);
  ck_close(db);
}

TEST(unknown_record_fields_are_kept) {
  ck_db *db = fresh();
  char *pack = with_claim("{'actor': 'jefferies', 'question': 'parity', "
                          "'stance': 0, 'note': 'from the Q&A'}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK_CONTAINS(ck_export_json(db, NULL), "\"note\": \"from the Q&A\"");
  free(pack);
  ck_close(db);
}

TEST(a_read_only_handle_refuses_imports) {
  char path[32];
  check_temp_path(path);
  ck_db *db;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  char *pack = make_pack(NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  ck_close(db);
  CHECK_INT(ck_open(path, CK_OPEN_READONLY, &db), CK_OK);
  CHECK_INT(ck_import_json(db, pack), CK_READONLY);
  CHECK_CONTAINS(ck_errmsg(db), "read-only");
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"claims\":1");
  ck_close(db);
  free(pack);
  unlink(path);
}

/* ---- export ---------------------------------------------------------------- */

TEST(export_round_trip_is_byte_identical) {
  ck_db *a = fresh(), *b = fresh();
  char *pack = with_claim("{'actor': 'jefferies', 'entity': 'deepseek', "
                          "'metric': 'aa-index', 'period': '2026年3月', "
                          "'value': 41.61, 'tags': ['lab-index'], "
                          "'quote': '\\u0064eep sick是41.61'}");
  CHECK_INT(ck_import_json(a, pack), CK_OK);
  char *first = strdup(ck_export_json(a, NULL));
  CHECK_INT(ck_import_json(b, first), CK_OK);
  CHECK_STR(ck_export_json(b, NULL), first);
  CHECK_CONTAINS(first, "\"period\": \"2026-03\"");
  free(first);
  free(pack);
  ck_close(a);
  ck_close(b);
}

TEST(filtered_export_brings_what_the_claims_refer_to) {
  ck_db *db = fresh();
  char *pack = with_claim("{'actor': 'jefferies', 'entity': 'deepseek-v4', "
                          "'metric': 'aa-index', 'value': 41.61, 'tags': "
                          "['lab']}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  const char *out = ck_export_json(db, "region=overseas");
  CHECK(out != NULL);
  CHECK_CONTAINS(out, "\"jefferies\"");
  CHECK(!strstr(out, "\"kaiyuan\""));
  CHECK(!strstr(out, "\"parity\"")); /* only kaiyuan's view refers to it */
  CHECK_CONTAINS(out, "\"id\": \"deepseek\""); /* the parent comes along */
  CHECK_CONTAINS(out, "\"id\": \"tech\"");     /* the metric's framework */
  /* The filtered pack imports on its own. */
  ck_db *other = fresh();
  CHECK_INT(ck_import_json(other, out), CK_OK);
  CHECK_CONTAINS(ck_call(other, "stats", NULL), "\"claims\":1");
  ck_close(other);
  CHECK(ck_export_json(db, "tag=lab kind=broker") != NULL);
  CHECK(ck_export_json(db, "colour=red") == NULL);
  CHECK_INT(ck_errcode(db), CK_INVALID);
  free(pack);
  ck_close(db);
}

/* A JSON Lines file of `claims` claims (over a megabyte: read on a second
   thread), with line `bad` replaced by `bad_text` when bad > 0. */
static void write_lines(const char *path, int claims, int bad,
                        const char *bad_text) {
  FILE *f = fopen(path, "w");
  int line = 0;
  fprintf(f, "{\"type\": \"source\", \"id\": \"s\", \"published\": "
             "\"2026-04-28\"}\n");
  fprintf(f, "{\"type\": \"question\", \"id\": \"q\"}\n");
  fprintf(f, "{\"type\": \"entity\", \"id\": \"e\"}\n");
  fprintf(f, "{\"type\": \"metric\", \"id\": \"m\"}\n");
  line = 4;
  for (int i = 0; i < claims; i++) {
    if (++line == bad) {
      fprintf(f, "%s\n", bad_text);
      continue;
    }
    if (i % 7 == 0) { /* an actor after some of its claims */
      fprintf(f, "{\"type\": \"actor\", \"id\": \"a%d\", \"weight\": %d}\n",
              i / 7, 1 + i % 3);
      line++;
    }
    if (i % 2)
      fprintf(f,
              "{\"type\": \"claim\", \"source\": \"s\", \"actor\": \"a%d\", "
              "\"question\": \"q\", \"stance\": %d, \"quote\": \"第%d条："
              "我们认为估值与算力需求仍有上行空间，开源模型的追赶速度超出预期，"
              "算力需求的弹性还没有被市场充分定价，商业化的节奏仍需观察，"
              "海外机构与国内机构的分歧主要在于估值锚。\"%s}\n",
              i / 7, i % 5 - 2, i, i % 3 ? "" : ", \"as_of\": \"2026-05-01\"");
    else
      fprintf(f,
              "{\"type\": \"claim\", \"actor\": \"a%d\", \"entity\": \"e\", "
              "\"metric\": \"m\", \"period\": \"%s\", \"value\": %d.25, "
              "\"quote\": \"日均token调用量达到二十点六万亿，较去年年底增长超过"
              "百分之四十，其中推理调用占比持续提升，海外的调用量也在快速增长，"
              "市场普遍预计下半年仍有翻倍空间。\"%s}\n",
              i / 7, i % 4 ? "2026-03" : "2026年3月", i,
              i % 11 ? "" : ", \"as_of\": \"2026-06-01\"");
  }
  fclose(f);
}

TEST(a_large_file_read_on_two_threads_imports_as_on_one) {
  char path[32];
  check_temp_path(path);
  ck_db *one, *two;
  CHECK_INT(ck_open(NULL, 0, &one), CK_OK);
  CHECK_INT(ck_open(NULL, 0, &two), CK_OK);
  write_lines(path, 3600, 0, NULL);
  char *text = check_slurp(path);
  CHECK(strlen(text) > (1 << 20)); /* past the threshold for two threads */
  CHECK_INT(ck_import_json(one, text), CK_OK);
  CHECK_INT(ck_import_file(two, path), CK_OK);
  char *a = strdup(ck_export_json(one, NULL));
  CHECK_STR(ck_export_json(two, NULL), a);
  free(a);
  a = strdup(ck_call(one, "sql", "[\"SELECT * FROM latest_views ORDER BY 1, 2\"]"));
  CHECK_STR(ck_call(two, "sql", "[\"SELECT * FROM latest_views ORDER BY 1, 2\"]"), a);
  free(a);
  a = strdup(ck_call(one, "sql", "[\"SELECT * FROM key_values\"]"));
  CHECK_STR(ck_call(two, "sql", "[\"SELECT * FROM key_values\"]"), a);
  free(a);
  free(text);
  ck_close(one);
  ck_close(two);
  unlink(path);
}

/* The reader thread checks what it can of a claim without the database
   and leaves the rest to the import; a claim it cannot read is read again
   by the import, so a file read on two threads says what a one-thread
   import says, whichever check fails first. */
TEST(a_large_file_reports_the_line_of_its_error) {
  static const char *const bad[][2] = {
      {"{\"type\": \"claim\", \"actor\": \"a1\", \"question\": \"q\", "
       "\"stance\": 9}",
       "line 600: /stance: 9 is outside the scale -2..2"},
      {"{\"type\": \"claim\", \"actor\": ", "line 600, column"},
      {"{\"type\": \"claim\", \"actor\": \"nobody\", \"question\": \"q\", "
       "\"stance\": 1}",
       "line 600: /actor: unknown actor 'nobody'"},
      /* an unknown actor is settled at the end: the bad locator comes first */
      {"{\"type\": \"claim\", \"actor\": \"nobody\", \"locator\": 5, "
       "\"question\": \"q\", \"stance\": 1}",
       "line 600: /locator: must be a string, not a number"},
      {"{\"type\": \"claim\", \"actor\": \"a1\", \"entity\": \"nope\", "
       "\"metric\": \"m\", \"period\": \"someday\", \"value\": 1}",
       "line 600: /period: 'someday' is not a period"},
      {"{\"type\": \"claim\", \"actor\": \"a1\", \"question\": \"q\", "
       "\"stance\": 1.5}",
       "line 600: /stance: must be an integer, not a fraction"},
      {"{\"type\": \"claim\", \"actor\": \"a1\", \"entity\": \"e\", "
       "\"metric\": \"m\", \"quantity\": \"1亿元和2亿元\"}",
       "line 600: /quantity: '1亿元和2亿元' holds 2 quantities"},
      {"{\"type\": \"claim\", \"id\": \"dup\", \"actor\": \"a1\", "
       "\"question\": \"q\", \"stance\": 1}\n"
       "{\"type\": \"claim\", \"id\": \"dup\", \"actor\": \"a1\", "
       "\"question\": \"q\", \"stance\": 2}",
       "line 601: /id: claim 'dup' is given twice (first at line 600)"},
      {"{\"type\": \"claim\", \"actor\": \"a1\", \"entity\": null, "
       "\"metric\": \"m\", \"value\": 1}",
       "line 600: /entity: fill in the entity"},
      {"{\"type\": \"claim\", \"actor\": \"a1\", \"question\": \"q\", "
       "\"stance\": 1, \"tags\": [\"a\", 2]}",
       "line 600: /tags/1: must be a string, not a number"},
      {"{\"type\": \"claim\", \"actor\": \"a1\", \"question\": \"nope\", "
       "\"entity\": \"e\", \"stance\": 1}",
       "line 600: a claim is a view (question, stance) or an observation"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char path[32];
    check_temp_path(path);
    write_lines(path, 3600, 600, bad[i][0]);
    ck_db *db;
    ck_open(NULL, 0, &db);
    CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"kept\"}]}"), CK_OK);
    CHECK_INT(ck_import_file(db, path), CK_INVALID);
    CHECK_CONTAINS(ck_errmsg(db), bad[i][1]);
    char *msg = strdup(ck_errmsg(db)), *text = check_slurp(path);
    CHECK_INT(ck_import_json(db, text), CK_INVALID); /* on one thread */
    CHECK_STR(ck_errmsg(db), msg);
    free(msg);
    free(text);
    CHECK_STR(ck_call(db, "sql", "[\"SELECT count(*) AS n FROM actors\"]"),
              "[{\"n\":1}]"); /* nothing of the file was stored */
    ck_close(db);
    unlink(path);
  }
}

/* ---- files that are not files ------------------------------------------------ */

TEST(a_device_that_never_ends_is_refused_at_its_first_byte) {
  ck_db *db = fresh();
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}"), CK_OK);
  char *before = strdup(ck_export_json(db, NULL));
  time_t start = time(NULL);
  CHECK_INT(ck_import_file(db, "/dev/zero"), CK_INVALID);
  CHECK(time(NULL) - start < 5);
  CHECK_STR(ck_errmsg(db),
            "line 1, column 1: a NUL byte, which no JSON text holds (a claim "
            "pack or JSON Lines is UTF-8 text; is this a binary file?)");
  CHECK_STR(ck_export_json(db, NULL), before);
  /* A directory opens, and cannot be read. */
  CHECK_INT(ck_import_file(db, "/tmp"), CK_IO);
  CHECK_CONTAINS(ck_errmsg(db), "cannot read '/tmp': ");
  free(before);
  ck_close(db);
}

/* Writes a text into a FIFO from another thread, a piece at a time, as a
   pipe delivers it. */
typedef struct fifo_feed {
  const char *path, *text;
  int ok;
  pthread_t thread;
} fifo_feed;

static void *feed_main(void *arg) {
  fifo_feed *feed = arg;
  int fd = open(feed->path, O_WRONLY);
  size_t n = strlen(feed->text);
  feed->ok = fd >= 0;
  for (size_t at = 0; feed->ok && at < n; at += 7) {
    feed->ok = write(fd, feed->text + at, n - at < 7 ? n - at : 7) > 0;
    nanosleep(&(struct timespec){0, 200000}, NULL);
  }
  if (fd >= 0)
    close(fd);
  return NULL;
}

static void feed_fifo(fifo_feed *feed, const char *path, const char *text) {
  feed->path = path;
  feed->text = text;
  CHECK_INT(pthread_create(&feed->thread, NULL, feed_main, feed), 0);
}

static int fed(fifo_feed *feed) {
  pthread_join(feed->thread, NULL);
  return feed->ok;
}

/* A pipe cannot be rewound: what told JSON Lines from a pack (the first
   line) is imported too, and a pack comes whole. */
TEST(a_fifo_is_read_once_and_its_first_line_imported) {
  char dir[] = "/tmp/ck_fifo_XXXXXX", path[64];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/in.jsonl", dir);
  CHECK_INT(mkfifo(path, 0600), 0);
  ck_db *db = fresh();
  char *lines = dq(LINES_HEAD "{'type': 'claim', 'actor': 'jefferies', "
                              "'question': 'parity', 'stance': -1}\n");
  fifo_feed feed;
  feed_fifo(&feed, path, lines);
  CHECK_INT(ck_import_file(db, path), CK_OK);
  CHECK(fed(&feed));
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"claims\":1");
  CHECK_CONTAINS(ck_export_json(db, NULL), "\"region\": \"overseas\"");
  char *pack = make_pack(NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  char *spread = malloc(strlen(pack) * 2);
  size_t k = 0;
  for (const char *p = pack; *p; p++) { /* a newline after each comma */
    spread[k++] = *p;
    if (*p == ',')
      spread[k++] = '\n';
  }
  spread[k] = '\0';
  feed_fifo(&feed, path, spread);
  CHECK_INT(ck_import_file(db, path), CK_OK);
  CHECK(fed(&feed));
  CHECK_CONTAINS(ck_call(db, "stats", NULL), "\"claims\":2");
  /* Cut short, it says where, as the same text in memory does. */
  spread[k / 2] = '\0';
  CHECK(ck_import_json(db, spread) == CK_INVALID);
  char *want = strdup(ck_errmsg(db));
  feed_fifo(&feed, path, spread);
  CHECK_INT(ck_import_file(db, path), CK_INVALID);
  CHECK_STR(ck_errmsg(db), want);
  CHECK(fed(&feed));
  free(want);
  free(spread);
  free(pack);
  free(lines);
  ck_close(db);
  unlink(path);
  rmdir(dir);
}

CHECK_MAIN(T(json_syntax_errors_give_line_and_column),
           T(a_pack_must_be_an_object),
           T(unknown_top_level_lists_are_refused),
           T(only_pack_format_1_is_read),
           T(lists_must_be_lists_of_objects),
           T(the_input_must_not_be_empty),
           T(ids_must_be_lowercase_slugs),
           T(records_need_their_id),
           T(fields_must_have_their_type),
           T(weights_must_be_positive),
           T(dates_must_be_calendar_dates),
           T(an_id_is_given_once_per_import),
           T(references_must_exist_in_the_pack_or_the_database),
           T(an_entity_is_not_its_own_parent),
           T(references_may_point_forward_within_the_pack),
           T(a_stance_must_lie_on_the_scale),
           T(a_stance_is_an_integer),
           T(integral_reals_count_as_integers),
           T(a_scale_is_two_increasing_integers),
           T(poles_and_resolutions_have_their_shape),
           T(narrowing_a_scale_must_keep_stored_stances),
           T(a_claim_is_a_view_or_an_observation_not_both),
           T(a_claim_is_at_least_one_of_them),
           T(a_claim_needs_an_actor),
           T(an_observation_has_one_form_of_value),
           T(a_quantity_holds_exactly_one_quantity),
           T(a_quantity_is_stored_with_its_text_bounds_and_unit),
           T(a_draft_claim_with_a_null_names_what_to_fill_in),
           T(periods_must_be_periods),
           T(scripts_need_a_name_and_lua),
           T(json_lines_errors_name_the_line),
           T(json_lines_may_refer_forward_and_are_checked_at_the_end),
           T(a_json_lines_file_imports_like_the_same_text),
           T(a_missing_file_is_an_io_error),
           T(importing_the_same_pack_twice_changes_nothing),
           T(a_claim_without_id_gets_its_content_id),
           T(explicit_ids_are_upserted),
           T(observations_store_value_bounds_and_iso_period),
           T(a_claim_without_as_of_dates_from_its_source),
           T(unknown_record_fields_are_kept),
           T(a_read_only_handle_refuses_imports),
           T(export_round_trip_is_byte_identical),
           T(filtered_export_brings_what_the_claims_refer_to),
           T(a_large_file_read_on_two_threads_imports_as_on_one),
           T(a_large_file_reports_the_line_of_its_error),
           T(a_device_that_never_ends_is_refused_at_its_first_byte),
           T(a_fifo_is_read_once_and_its_first_line_imported))

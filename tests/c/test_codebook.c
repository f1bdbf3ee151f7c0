/*
** test_codebook.c -- the codebook (aliases and cues) as import checks and
** stores it, its matching rules (codebook.c, pure), and draft() using it:
** every drafted claim checked field by field.
*/
#include "check.h"

#include "internal.h"
#include "codebook.h"

/* Packs are written with ' for " to keep them readable here. */
static char *dq(const char *s) {
  char *r = strdup(s);
  for (char *p = r; *p; p++)
    if (*p == '\'')
      *p = '"';
  return r;
}

static int import(ck_db *db, const char *pack) {
  char *json = dq(pack);
  int rc = ck_import_json(db, json);
  free(json);
  return rc;
}

/* ---- import ---------------------------------------------------------------- */

TEST(aliases_and_cues_are_checked_with_their_pointer) {
  static const char *const bad[][2] = {
      {"{'actors': [{'id': 'a', 'aliases': 'x'}]}",
       "/actors/0/aliases: must be a list of strings, not a string"},
      {"{'entities': [{'id': 'e', 'aliases': ['x', 3]}]}",
       "/entities/0/aliases/1: must be a string, not a number"},
      {"{'metrics': [{'id': 'm', 'aliases': ['']}]}",
       "/metrics/0/aliases/0: '' is not an alias"},
      {"{'metrics': [{'id': 'm', 'aliases': ['  ']}]}",
       "/metrics/0/aliases/0: '  ' is not an alias"},
      {"{'actors': [{'id': 'a', 'aliases': ['"
       "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
       "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
       "一二三四五']}]}",
       "has 65 characters (an alias has 1 to 64)"},
      {"{'questions': [{'id': 'q', 'cues': ['x']}]}",
       "/questions/0/cues: must be an object from a stance to its phrases"},
      {"{'questions': [{'id': 'q', 'cues': {'up': ['x']}}]}",
       "/questions/0/cues/up: 'up' is not a stance"},
      {"{'questions': [{'id': 'q', 'cues': {'+1': ['x']}}]}",
       "/questions/0/cues/+1: '+1' is not a stance"},
      {"{'questions': [{'id': 'q', 'cues': {'02': ['x']}}]}",
       "/questions/0/cues/02: '02' is not a stance"},
      {"{'questions': [{'id': 'q', 'cues': {'a/b': ['x']}}]}",
       "/questions/0/cues/a~1b: 'a/b' is not a stance"},
      {"{'questions': [{'id': 'q', 'scale': [0, 4], 'cues': {'-1': ['x']}}]}",
       "/questions/0/cues/-1: stance -1 is outside the scale 0..4"},
      {"{'questions': [{'id': 'q', 'cues': {'1': 'x'}}]}",
       "/questions/0/cues/1: must be a list of strings, not a string"},
      {"{'questions': [{'id': 'q', 'cues': {'1': ['x', null]}}]}",
       "/questions/0/cues/1/1: must be a string, not null"},
      {"{'questions': [{'id': 'q', 'cues': {'1': ['追平'], '-1': ['追平']}}]}",
       "'追平' is a cue of stance"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_db *db;
    ck_open(NULL, 0, &db);
    CHECK_INT(import(db, "{'actors': [{'id': 'kept'}]}"), CK_OK);
    char *before = strdup(ck_export_json(db, NULL));
    CHECK_INT(import(db, bad[i][0]), CK_INVALID);
    CHECK_CONTAINS(ck_errmsg(db), bad[i][1]);
    CHECK_STR(ck_export_json(db, NULL), before); /* nothing written */
    free(before);
    ck_close(db);
  }
}

TEST(a_codebook_is_stored_and_exported_and_round_trips) {
  ck_db *db, *again;
  ck_open(NULL, 0, &db);
  CHECK_INT(import(db, "{'actors': [{'id': 'ms', 'name': 'Morgan Stanley', "
                       "'aliases': ['大摩', 'morgan']}], 'questions': [{'id': "
                       "'q', 'cues': {'2': ['已经追平'], '-1': ['仍有差距']}}]}"),
            CK_OK);
  const char *out = ck_export_json(db, NULL);
  CHECK_CONTAINS(out, "\"aliases\": [\n        \"大摩\",\n        \"morgan\"");
  CHECK_CONTAINS(out, "\"-1\": [\n          \"仍有差距\"");
  char *first = strdup(out);
  ck_open(NULL, 0, &again);
  CHECK_INT(ck_import_json(again, first), CK_OK);
  CHECK_STR(ck_export_json(again, NULL), first);
  free(first);
  ck_close(again);
  ck_close(db);
}

TEST(a_new_scale_must_hold_the_cues_given_with_it) {
  ck_db *db;
  ck_open(NULL, 0, &db);
  CHECK_INT(import(db, "{'questions': [{'id': 'q', 'cues': {'-2': ['no']}}]}"),
            CK_OK);
  CHECK_INT(import(db, "{'questions': [{'id': 'q', 'scale': [0, 4], 'cues': "
                       "{'-2': ['no']}}]}"),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "stance -2 is outside the scale 0..4");
  ck_close(db);
}

/* ---- matching (pure) ------------------------------------------------------- */

/* The text of each mention found, "kind:id" joined by spaces. */
static char *mentions_of(codebook *cb, const char *text) {
  cb_hit *m, *c;
  size_t nm, nc;
  if (codebook_find(cb, text, strlen(text), &m, &nm, &c, &nc, NULL))
    return strdup("(failed)");
  static const char *const kinds[] = {"actor", "entity", "metric", "cue"};
  strbuf sb;
  sb_init(&sb);
  for (size_t i = 0; i < nm + nc; i++) {
    const cb_hit *h = i < nm ? &m[i] : &c[i - nm];
    sb_printf(&sb, "%s%s:%s=%.*s", sb.len ? " " : "", kinds[h->kind],
              cb->ids[h->kind][h->record], (int)(h->end - h->start),
              text + h->start);
  }
  free(m);
  free(c);
  return sb.data ? sb_take(&sb) : strdup("");
}

static void term(codebook *cb, int kind, const char *id, const char *t) {
  int r = codebook_record(cb, kind, id);
  CHECK(r >= 0);
  CHECK_INT(codebook_term(cb, kind, r, t, strlen(t), kind == CB_CUE ? 2 : 0),
            0);
}

TEST(mentions_fold_ascii_case_and_keep_to_whole_ascii_words) {
  codebook cb;
  codebook_init(&cb);
  term(&cb, CB_ENTITY, "v4", "V4");
  term(&cb, CB_ACTOR, "jefferies", "jeff re es");
  char *got = mentions_of(&cb, "v4 and V45 and XV4, jeff re esx, JEFF RE ES说V4好");
  CHECK_STR(got, "entity:v4=v4 actor:jefferies=JEFF RE ES entity:v4=V4");
  free(got);
  codebook_free(&cb);
}

TEST(the_longest_of_overlapping_mentions_wins) {
  codebook cb;
  codebook_init(&cb);
  term(&cb, CB_ENTITY, "deepseek", "DeepSeek");
  term(&cb, CB_ENTITY, "deepseek-v4", "DeepSeek V4");
  /* overlaps the longer entity, but entities and metrics do not compete:
     DeepSeek V4's price names both */
  term(&cb, CB_METRIC, "price", "V4价格");
  term(&cb, CB_METRIC, "v4", "V4"); /* inside the longer metric: lost */
  char *got = mentions_of(&cb, "DeepSeek V4价格和DeepSeek");
  CHECK_STR(got, "entity:deepseek-v4=DeepSeek V4 metric:price=V4价格 "
                 "entity:deepseek=DeepSeek");
  free(got);
  codebook_free(&cb);
}

TEST(an_actor_inside_a_longer_name_is_not_mentioned) {
  codebook cb;
  codebook_init(&cb);
  term(&cb, CB_ACTOR, "cmbi", "招商");
  term(&cb, CB_ENTITY, "cmb", "招商银行");
  term(&cb, CB_METRIC, "cmb-loans", "招商贷款");
  char *got = mentions_of(&cb, "招商银行和招商贷款,招商认为");
  CHECK_STR(got, "entity:cmb=招商银行 metric:cmb-loans=招商贷款 actor:cmbi=招商");
  free(got);
  codebook_free(&cb);
}

TEST(the_same_words_may_name_an_actor_and_an_entity) {
  codebook cb;
  codebook_init(&cb);
  term(&cb, CB_ACTOR, "deepseek-lab", "DeepSeek");
  term(&cb, CB_ENTITY, "deepseek", "DeepSeek");
  term(&cb, CB_ENTITY, "other", "DeepSeek"); /* same kind: the first by id */
  char *got = mentions_of(&cb, "DeepSeek");
  CHECK_STR(got, "actor:deepseek-lab=DeepSeek entity:deepseek=DeepSeek");
  free(got);
  codebook_free(&cb);
}

TEST(cues_are_found_beside_mentions_and_each_other) {
  codebook cb;
  codebook_init(&cb);
  term(&cb, CB_ENTITY, "v4", "V4");
  term(&cb, CB_CUE, "parity", "V4已经追平");
  term(&cb, CB_CUE, "parity", "追平");
  char *got = mentions_of(&cb, "V4已经追平了");
  CHECK_STR(got, "entity:v4=V4 cue:parity=V4已经追平 cue:parity=追平");
  free(got);
  codebook_free(&cb);
}

TEST(a_blank_name_is_no_term) {
  codebook cb;
  codebook_init(&cb);
  int r = codebook_record(&cb, CB_ACTOR, "a");
  CHECK_INT(codebook_term(&cb, CB_ACTOR, r, "  ", 2, 0), 0);
  CHECK_INT((long long)cb.nterms, 0);
  codebook_free(&cb);
}

TEST(matching_stays_linear_with_a_large_codebook) {
  /* 20,000 terms, a 400 KB text: a compare per term per position would be
     8e9; indexed by the first two bytes it is a few per position. */
  codebook cb;
  codebook_init(&cb);
  char id[16], t[32];
  for (int i = 0; i < 20000; i++) {
    snprintf(id, sizeof id, "e%05d", i);
    snprintf(t, sizeof t, "实体%d号", i);
    int r = codebook_record(&cb, CB_ENTITY, id);
    codebook_term(&cb, CB_ENTITY, r, t, strlen(t), 0);
  }
  strbuf text;
  sb_init(&text);
  for (int i = 0; i < 20000; i++)
    sb_printf(&text, "实体%d号很好。", i);
  cb_hit *m, *c;
  size_t nm, nc;
  CHECK_INT(codebook_find(&cb, text.data, text.len, &m, &nm, &c, &nc, NULL), 0);
  CHECK_INT((long long)nm, 20000);
  CHECK_STR(cb.ids[CB_ENTITY][m[12345].record], "e12345");
  free(m);
  free(c);
  sb_free(&text);
  codebook_free(&cb);
}

/* ---- draft ---------------------------------------------------------------- */

#define CODEBOOK                                                               \
  "{'actors': [{'id': 'jefferies', 'name': 'Jefferies', 'aliases': "           \
  "['杰富瑞', 'jeff re es']}, {'id': 'citic', 'name': '中信证券', "            \
  "'aliases': ['中信']}], "                                                    \
  "'entities': [{'id': 'deepseek-v4', 'name': 'DeepSeek V4', 'aliases': "      \
  "['V4', 'deep sick V4']}, {'id': 'gpt-5', 'name': 'GPT-5'}], "               \
  "'metrics': [{'id': 'aa-index', 'name': 'AA指数', 'aliases': ['智能指数', "  \
  "'AA index']}, {'id': 'price', 'aliases': ['API价格']}], "                   \
  "'questions': [{'id': 'parity', 'cues': {'2': ['已经追平', '完全追平'], "    \
  "'-1': ['仍有差距']}}, {'id': 'price-war', 'cues': {'1': ['价格战']}}]}"

/* claims[i] of the draft, compact with sorted keys. */
static char *claim(ck_db *db, const char *text, int i) {
  json_t *args = json_pack("[s, s, s]", text, "s1", "2026-04-28");
  char *a = json_dumps(args, 0);
  const char *out = ck_call(db, "draft", a);
  free(a);
  json_decref(args);
  if (!out)
    return strdup(ck_errmsg(db));
  json_t *d = json_loads(out, 0, NULL);
  json_t *c = json_array_get(json_object_get(d, "claims"), (size_t)i);
  char *s = c ? json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS)
              : strdup("(none)");
  json_decref(d);
  return s;
}

static size_t claims_in(ck_db *db, const char *text) {
  json_t *args = json_pack("[s]", text);
  char *a = json_dumps(args, 0);
  json_t *d = json_loads(ck_call(db, "draft", a), 0, NULL);
  size_t n = json_array_size(json_object_get(d, "claims"));
  free(a);
  json_decref(args);
  json_decref(d);
  return n;
}

#define CHECK_CLAIM(db, text, i, want)                                         \
  do {                                                                         \
    char *got_ = claim(db, text, i);                                           \
    CHECK_STR(got_, want);                                                     \
    free(got_);                                                                \
  } while (0)

static ck_db *with_codebook(void) {
  ck_db *db;
  ck_open(NULL, 0, &db);
  CHECK_INT(import(db, CODEBOOK), CK_OK);
  return db;
}

TEST(a_figure_takes_the_entity_and_metric_nearest_before_it) {
  ck_db *db = with_codebook();
  const char *t = "发言人1   00:10\n杰富瑞认为V4的智能指数达到52分，GPT-5为57分。\n";
  CHECK_INT((long long)claims_in(db, t), 2);
  CHECK_CLAIM(db, t, 0,
              "{\"actor\":\"jefferies\",\"entity\":\"deepseek-v4\",\"locator\":"
              "\"00:10\",\"metric\":\"aa-index\",\"period\":null,\"quantity\":"
              "\"52\",\"quote\":\"杰富瑞认为V4的智能指数达到52分，GPT-5为57分。\","
              "\"source\":\"s1\"}");
  /* GPT-5 is nearer before 57 than V4; the metric carries over */
  CHECK_CLAIM(db, t, 1,
              "{\"actor\":\"jefferies\",\"entity\":\"gpt-5\",\"locator\":"
              "\"00:10\",\"metric\":\"aa-index\",\"period\":null,\"quantity\":"
              "\"57\",\"quote\":\"杰富瑞认为V4的智能指数达到52分，GPT-5为57分。\","
              "\"source\":\"s1\"}");
  ck_close(db);
}

TEST(else_the_entity_and_metric_after_it_in_its_sentence) {
  ck_db *db = with_codebook();
  /* nothing before 2元 in its sentence; after it: the price, V4 */
  const char *t = "中信证券 00:20\n降到2元是API价格，对V4而言。V4另一句。\n";
  CHECK_CLAIM(db, t, 0,
              "{\"actor\":\"citic\",\"entity\":\"deepseek-v4\",\"locator\":"
              "\"00:20\",\"metric\":\"price\",\"period\":null,\"quantity\":"
              "\"2元\",\"quote\":\"降到2元是API价格，对V4而言。\",\"source\":"
              "\"s1\"}");
  /* a mention in another sentence does not count */
  const char *u = "00:30 说明\n智能指数很高。我们算到52。\n";
  char *got = claim(db, u, 0);
  CHECK_CONTAINS(got, "\"entity\":null");
  CHECK_CONTAINS(got, "\"metric\":null");
  CHECK_CONTAINS(got, "\"actor\":null");
  free(got);
  ck_close(db);
}

TEST(the_actor_is_the_one_named_earlier_in_the_segment_else_the_speaker) {
  ck_db *db = with_codebook();
  const char *t = "发言人1   00:10\n中信认为如此。后来V4涨了3%。\n"
                  "Jefferies 00:20\nV4涨了5%。\n"
                  "jeff re es 00:30\n中信说V4涨了7%。\n"
                  "主持人 00:40\nV4涨了9%。\n";
  char *a = claim(db, t, 0), *b = claim(db, t, 1), *c = claim(db, t, 2),
       *d = claim(db, t, 3);
  CHECK_CONTAINS(a, "\"actor\":\"citic\""); /* earlier in the segment */
  CHECK_CONTAINS(b, "\"actor\":\"jefferies\""); /* the speaker, by name */
  CHECK_CONTAINS(c, "\"actor\":\"citic\""); /* named beats the speaker */
  CHECK_CONTAINS(d, "\"actor\":null"); /* a speaker who is no actor */
  free(a);
  free(b);
  free(c);
  free(d);
  ck_close(db);
}

TEST(a_sentence_with_a_cue_is_drafted_as_a_view) {
  ck_db *db = with_codebook();
  const char *t = "杰富瑞 00:10\n开源模型已经追平，价格战已经开始。但仍有差距。\n";
  CHECK_INT((long long)claims_in(db, t), 3);
  CHECK_CLAIM(db, t, 0,
              "{\"actor\":\"jefferies\",\"as_of\":\"2026-04-28\",\"locator\":\"00:10\",\"question\":"
              "\"parity\",\"quote\":\"开源模型已经追平，价格战已经开始。\","
              "\"source\":\"s1\",\"stance\":2}");
  CHECK_CLAIM(db, t, 1,
              "{\"actor\":\"jefferies\",\"as_of\":\"2026-04-28\",\"locator\":\"00:10\",\"question\":"
              "\"price-war\",\"quote\":\"开源模型已经追平，价格战已经开始。\","
              "\"source\":\"s1\",\"stance\":1}");
  CHECK_CLAIM(db, t, 2,
              "{\"actor\":\"jefferies\",\"as_of\":\"2026-04-28\",\"locator\":\"00:10\",\"question\":"
              "\"parity\",\"quote\":\"但仍有差距。\",\"source\":\"s1\","
              "\"stance\":-1}");
  ck_close(db);
}

TEST(one_view_per_question_per_sentence_the_longest_cue_then_the_first) {
  ck_db *db = with_codebook();
  /* 仍有差距 and 已经追平 are as long: the first wins */
  const char *t = "00:10 x\n仍有差距，也有人说已经追平。\n";
  CHECK_INT((long long)claims_in(db, t), 1);
  char *got = claim(db, t, 0);
  CHECK_CONTAINS(got, "\"stance\":-1");
  free(got);
  ck_close(db);
  /* a longer cue wins wherever it stands */
  ck_open(NULL, 0, &db);
  CHECK_INT(import(db, "{'questions': [{'id': 'q', 'cues': {'1': ['追平'], "
                       "'-2': ['远没有追平']}}]}"),
            CK_OK);
  got = claim(db, "追平了吗？我看远没有追平，也追平不了", 1);
  CHECK_CONTAINS(got, "\"stance\":-2");
  free(got);
  ck_close(db);
}

TEST(views_and_figures_come_in_the_order_of_the_text) {
  ck_db *db = with_codebook();
  const char *t = "杰富瑞 00:10\nV4得分52。开源已经追平。价格战下API价格降到2元。\n";
  CHECK_INT((long long)claims_in(db, t), 4);
  char *a = claim(db, t, 0), *b = claim(db, t, 1), *c = claim(db, t, 2),
       *d = claim(db, t, 3);
  CHECK_CONTAINS(a, "\"quantity\":\"52\"");
  CHECK_CONTAINS(b, "\"question\":\"parity\"");
  CHECK_CONTAINS(c, "\"question\":\"price-war\"");
  CHECK_CONTAINS(d, "\"quantity\":\"2元\"");
  free(a);
  free(b);
  free(c);
  free(d);
  ck_close(db);
}

TEST(a_filled_draft_of_a_codebook_imports_as_it_is) {
  ck_db *db = with_codebook();
  CHECK_INT(import(db, "{'metrics': [{'id': 'price', 'aliases': ['API价格'], "
                       "'unit': 'CNY'}]}"),
            CK_OK);
  /* every null is one the text leaves open: fill the period and import */
  const char *out = ck_call(db, "draft", "[\"杰富瑞 00:10\\nV4的API价格是2元，已经追平。\", \"s1\", \"2026-04-28\"]");
  CHECK(out != NULL);
  json_t *d = json_loads(out, 0, NULL);
  json_t *c0 = json_array_get(json_object_get(d, "claims"), 0);
  CHECK(json_is_null(json_object_get(c0, "period")));
  json_object_set_new(c0, "period", json_string("2026-04"));
  char *pack = json_dumps(d, 0);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  CHECK(ck_num(db, "value", "[\"deepseek-v4\", \"price\", \"2026-04\"]") == 2);
  CHECK(ck_num(db, "stance", "[\"parity\", \"jefferies\"]") == 2);
  free(pack);
  json_decref(d);
  ck_close(db);
}

TEST(without_a_codebook_a_draft_is_what_it_was) {
  ck_db *db;
  ck_open(NULL, 0, &db);
  char *got = claim(db, "发言人1 00:10\nV4的智能指数达到52分。", 0);
  CHECK_STR(got, "{\"actor\":null,\"entity\":null,\"locator\":\"00:10\","
                 "\"metric\":null,\"period\":null,\"quantity\":\"52\","
                 "\"quote\":\"V4的智能指数达到52分。\",\"source\":\"s1\"}");
  free(got);
  ck_close(db);
}

TEST(an_edited_codebook_is_refused_not_trusted) {
  static const char *const edits[] = {
      "UPDATE actors SET record = json_set(record, '$.aliases', json('[1]'))",
      "UPDATE actors SET name = x'00ff' WHERE id = 'citic'",
      "UPDATE questions SET record = json_set(record, '$.cues', "
      "json('{\"9\": [\"x\"]}')) WHERE id = 'parity'",
      "UPDATE questions SET record = json_set(record, '$.cues', "
      "json('{\"1\": [2]}')) WHERE id = 'parity'",
  };
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    char path[] = "/tmp/ck_codebook_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    ck_db *db;
    ck_open(path, 0, &db);
    CHECK_INT(import(db, CODEBOOK), CK_OK);
    ck_close(db);
    sqlite3 *raw;
    sqlite3_open(path, &raw);
    CHECK_INT(sqlite3_exec(raw, edits[i], NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    ck_open(path, CK_OPEN_READONLY, &db);
    if (ck_call(db, "draft", "[\"中信说V4已经追平，涨了3%。\"]") != NULL)
      fprintf(stderr, "  edit %zu was not refused\n", i);
    CHECK_INT(ck_errcode(db), CK_ERROR);
    CHECK_CONTAINS(ck_errmsg(db), "edited by another tool");
    CHECK(ck_call(db, "stats", NULL) != NULL); /* the handle works on */
    ck_close(db);
    check_remove_database(path);
  }
}

CHECK_MAIN(T(aliases_and_cues_are_checked_with_their_pointer),
           T(a_codebook_is_stored_and_exported_and_round_trips),
           T(a_new_scale_must_hold_the_cues_given_with_it),
           T(mentions_fold_ascii_case_and_keep_to_whole_ascii_words),
           T(the_longest_of_overlapping_mentions_wins),
           T(an_actor_inside_a_longer_name_is_not_mentioned),
           T(the_same_words_may_name_an_actor_and_an_entity),
           T(cues_are_found_beside_mentions_and_each_other),
           T(a_blank_name_is_no_term),
           T(matching_stays_linear_with_a_large_codebook),
           T(a_figure_takes_the_entity_and_metric_nearest_before_it),
           T(else_the_entity_and_metric_after_it_in_its_sentence),
           T(the_actor_is_the_one_named_earlier_in_the_segment_else_the_speaker),
           T(a_sentence_with_a_cue_is_drafted_as_a_view),
           T(one_view_per_question_per_sentence_the_longest_cue_then_the_first),
           T(views_and_figures_come_in_the_order_of_the_text),
           T(a_filled_draft_of_a_codebook_imports_as_it_is),
           T(without_a_codebook_a_draft_is_what_it_was),
           T(an_edited_codebook_is_refused_not_trusted))

/*
** test_draft.c -- the rules of DESIGN §8, one test each, on text written
** for them (a battery maker, a carmaker, a handset maker's calls; brokers'
** notes): sentence ends, periods, changes, lists, point-in-time metrics,
** the source's subject, views per actor, and a draft's bound.
*/
#include "check.h"

#include "internal.h"
#include "draft.h"

static const char codebook_pack[] =
    "{\"sources\": [{\"id\": \"gx-call\", \"kind\": \"transcript\", "
    "\"published\": \"2025-08-20\", \"entity\": \"gotion\"}],"
    "\"actors\": [{\"id\": \"citi\", \"name\": \"Citi\", \"aliases\": "
    "[\"花旗\"]}, {\"id\": \"jpm\", \"name\": \"J.P. Morgan\", \"aliases\": "
    "[\"JPMorgan\", \"小摩\"]}, {\"id\": \"huatai\", \"name\": \"华泰证券\", "
    "\"aliases\": [\"华泰\"]}],"
    "\"entities\": [{\"id\": \"gotion\", \"name\": \"国轩高科\", \"aliases\": "
    "[\"Gotion\"]}, {\"id\": \"xiaomi\", \"name\": \"小米\", \"aliases\": "
    "[\"Xiaomi\"]}, {\"id\": \"nio\", \"name\": \"蔚来\"}],"
    "\"metrics\": [{\"id\": \"shipments\", \"name\": \"出货量\", \"aliases\": "
    "[\"shipments\"]},"
    "{\"id\": \"shipments-yoy\", \"change_of\": \"shipments\", \"basis\": "
    "\"yoy\"},"
    "{\"id\": \"shipments-qoq\", \"change_of\": \"shipments\", \"basis\": "
    "\"qoq\"},"
    "{\"id\": \"opm\", \"name\": \"营业利润率\", \"unit\": \"%\", \"aliases\": "
    "[\"operating margin\"]},"
    "{\"id\": \"opm-change\", \"change_of\": \"opm\"},"
    "{\"id\": \"tp\", \"name\": \"目标价\", \"point_in_time\": true, "
    "\"aliases\": [\"price target\"]},"
    "{\"id\": \"storage-share\", \"name\": \"储能\"}, {\"id\": \"ev-share\", "
    "\"name\": \"动力电池\"}, {\"id\": \"other-share\", \"name\": \"其他业务\"},"
    "{\"id\": \"sales\", \"name\": \"销量\", \"aliases\": [\"销售额\"]},"
    "{\"id\": \"sales-qoq\", \"name\": \"销量环比\", \"aliases\": "
    "[\"环比增加\"], \"change_of\": \"sales\", \"basis\": \"qoq\"}],"
    "\"questions\": [{\"id\": \"storage-boom\", \"cues\": {\"2\": "
    "[\"储能需求爆发\", \"storage demand will boom\"], \"1\": [\"需求回暖\", "
    "\"demand is recovering\"], \"-1\": [\"需求偏弱\"]}}]}";

static ck_db *open_codebook(void) {
  ck_db *db;
  ck_open(NULL, 0, &db);
  CHECK_INT(ck_import_json(db, codebook_pack), CK_OK);
  if (ck_errcode(db) != CK_OK)
    fprintf(stderr, "  %s\n", ck_errmsg(db));
  return db;
}

/* The draft's claims (owned by the caller), or NULL. */
static json_t *draft(ck_db *db, const char *text, const char *source,
                     const char *published) {
  json_t *args = json_pack("[s, s, s]", text, source, published);
  char *a = json_dumps(args, 0);
  const char *out = ck_call(db, "draft", a);
  free(a);
  json_decref(args);
  if (!out) {
    fprintf(stderr, "  draft: %s\n", ck_errmsg(db));
    return NULL;
  }
  json_t *d = json_loads(out, 0, NULL);
  json_t *claims = json_incref(json_object_get(d, "claims"));
  json_decref(d);
  return claims;
}

/* Field `key` of claim i, "null" for null, "(none)" when absent. */
static const char *field(json_t *claims, size_t i, const char *key) {
  json_t *v = json_object_get(json_array_get(claims, i), key);
  if (!v)
    return "(none)";
  return json_is_null(v) ? "null" : json_is_string(v) ? json_string_value(v)
                                                      : "(not text)";
}

#define CHECK_FIELD(claims, i, key, want)                                      \
  CHECK_STR(field(claims, i, key), want)

TEST(english_sentences_end_at_a_full_stop_before_a_capital) {
  ck_db *db = open_codebook();
  /* Xiaomi in the first sentence; the second has no entity of its own and
     takes the call's subject, not Xiaomi; U.S. and Inc. end nothing */
  json_t *c = draft(db, "Xiaomi shipped 4.2 million units. Shipments in the "
                        "U.S. market reached 900 thousand, per Foo Inc. data.",
                    "gx-call", "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 2);
  CHECK_FIELD(c, 0, "entity", "xiaomi");
  CHECK_FIELD(c, 1, "entity", "gotion");
  CHECK_FIELD(c, 1, "quote", "Shipments in the U.S. market reached 900 "
                             "thousand, per Foo Inc. data.");
  CHECK_FIELD(c, 1, "metric", "shipments");
  json_decref(c);
  /* a decimal point and a lower-case word after a stop end nothing */
  c = draft(db, "Shipments were 3.5 million vs. 3.1 million.", "gx-call", "");
  CHECK_FIELD(c, 1, "quote", "Shipments were 3.5 million vs. 3.1 million.");
  json_decref(c);
  ck_close(db);
}

TEST(a_figure_of_a_call_without_an_entity_is_the_source_subject) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "出货量达到12万辆。", "gx-call", "");
  CHECK_FIELD(c, 0, "entity", "gotion");
  json_decref(c);
  /* a source the database does not have: no subject, a new record */
  c = draft(db, "出货量达到12万辆。", "other-call", "");
  CHECK_FIELD(c, 0, "entity", "null");
  json_decref(c);
  ck_close(db);
}

TEST(a_draft_carries_the_stored_source_record_and_its_date) {
  ck_db *db = open_codebook();
  const char *out = ck_call(db, "draft", "[\"三季度出货量12万辆。\", \"gx-call\"]");
  CHECK(out != NULL);
  json_t *d = json_loads(out ? out : "{}", 0, NULL);
  json_t *src = json_array_get(json_object_get(d, "sources"), 0);
  CHECK_STR(json_string_value(json_object_get(src, "entity")), "gotion");
  /* no date given: the stored one, 2025-08-20, by which Q3 had begun */
  CHECK_STR(json_string_value(json_object_get(
                json_array_get(json_object_get(d, "claims"), 0), "period")),
            "2025-Q3");
  json_decref(d);
  ck_close(db);
}

/* Found on real calls (tests/data/calls): a company's own call names no
   speaker; its title names the quarter it reports. */
static const char own_call_pack[] =
    "{\"sources\": [{\"id\": \"byd-call\", \"kind\": \"transcript\", "
    "\"published\": \"2025-10-30\", \"entity\": \"byd\", \"title\": "
    "\"BYD 2025 Q3 earnings call\"}, {\"id\": \"byd-notes\", \"title\": "
    "\"Notes on BYD\", \"entity\": \"byd\"}],"
    "\"actors\": [{\"id\": \"byd\", \"name\": \"BYD management\"}, "
    "{\"id\": \"ubs\", \"name\": \"UBS\"}],"
    "\"entities\": [{\"id\": \"byd\", \"name\": \"BYD\"}],"
    "\"metrics\": [{\"id\": \"revenue\", \"name\": \"revenue\", "
    "\"aliases\": [\"收入\"]}, {\"id\": \"margin\", \"name\": "
    "\"gross margin\", \"unit\": \"%\"}]}";

TEST(a_company_speaks_for_itself_on_its_own_call_of_its_titles_quarter) {
  ck_db *db;
  ck_open(NULL, 0, &db);
  CHECK_INT(ck_import_json(db, own_call_pack), CK_OK);
  json_t *c = draft(db, "Revenue was $28 billion.\n\nUBS said revenue "
                        "would reach $30 billion in the fourth quarter.",
                    "byd-call", "2025-10-30");
  CHECK_INT((long long)json_array_size(c), 2);
  CHECK_FIELD(c, 0, "actor", "byd");      /* no one else says it */
  CHECK_FIELD(c, 0, "period", "2025-Q3"); /* the title's quarter */
  CHECK_FIELD(c, 1, "actor", "ubs");      /* a named actor wins */
  CHECK_FIELD(c, 1, "period", "2025-Q4"); /* and a written period */
  json_decref(c);
  /* a title that names no period, and an actor-less subject, give nulls */
  c = draft(db, "Revenue was $28 billion.", "byd-notes", "2025-10-30");
  CHECK_FIELD(c, 0, "period", "null");
  CHECK_FIELD(c, 0, "actor", "byd");
  json_decref(c);
  /* the base of a comparison is not the figure's period */
  c = draft(db, "Gross margin was 22% compared to the second quarter.",
            "byd-notes", "2025-10-30");
  CHECK_FIELD(c, 0, "period", "null");
  json_decref(c);
  /* 2Q 2024: the quarter of the year written after it, not the year */
  c = draft(db, "Revenue for 2Q 2024 was $28 billion.", "byd-notes",
            "2025-10-30");
  CHECK_FIELD(c, 0, "period", "2024-Q2");
  json_decref(c);
  /* 连续第四个季度 counts quarters; it names none */
  c = draft(db, "收入达到1131亿元,连续第四个季度超过1000亿元。", "byd-call",
            "2025-10-30");
  CHECK_FIELD(c, 0, "period", "2025-Q3");
  CHECK_FIELD(c, 1, "period", "2025-Q3");
  json_decref(c);
  ck_close(db);
}

TEST(a_change_takes_the_change_metric_by_its_basis) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "二季度出货量为9.8万辆，同比增长36%，环比下降4.5%。",
                    "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "shipments");
  CHECK_FIELD(c, 1, "metric", "shipments-yoy");
  CHECK_FIELD(c, 2, "metric", "shipments-qoq");
  json_decref(c);
  c = draft(db, "Shipments were 2.1 million, up 7% year over year, and rose "
                "3% sequentially.",
            "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "shipments");
  CHECK_FIELD(c, 1, "metric", "shipments-yoy");
  CHECK_FIELD(c, 2, "metric", "shipments-qoq");
  json_decref(c);
  /* a change whose basis the text does not say: two candidates, null */
  c = draft(db, "Shipments fell 2%.", "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "null");
  json_decref(c);
  /* ... unless one alone has no basis */
  CHECK_INT(ck_import_json(db, "{\"metrics\": [{\"id\": \"shipments-change\", "
                               "\"change_of\": \"shipments\"}]}"),
            CK_OK);
  c = draft(db, "Shipments fell 2%. 出货量同比下降2%。", "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "shipments-change");
  CHECK_FIELD(c, 1, "metric", "shipments-yoy");
  json_decref(c);
  /* grew to a level is no change; two levels compared are none either */
  c = draft(db, "出货量增长到15万辆。Shipments were 2 million versus 1.8 "
                "million.",
            "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "shipments");
  CHECK_FIELD(c, 1, "metric", "shipments");
  CHECK_FIELD(c, 2, "metric", "shipments");
  json_decref(c);
  /* a figure compared with a change is one */
  c = draft(db, "Shipments rose 6% year over year, versus 4% in the prior "
                "quarter.",
            "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "shipments-yoy");
  CHECK_FIELD(c, 1, "metric", "shipments-yoy");
  json_decref(c);
  ck_close(db);
}

/* Found on a real call: each change takes the basis its own words name. */
TEST(changes_in_one_clause_take_the_basis_their_own_words_name) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "Shipments were 3 million, down 4% from the prior "
                        "quarter and up 8% from the corresponding quarter a "
                        "year ago.", "gx-call", "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 3);
  CHECK_FIELD(c, 0, "metric", "shipments");
  CHECK_FIELD(c, 1, "metric", "shipments-qoq");
  CHECK_FIELD(c, 2, "metric", "shipments-yoy");
  json_decref(c);
  ck_close(db);
}

TEST(points_beside_a_percent_metric_are_its_change) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "营业利润率为8.2%，较去年同期提升1.3个百分点。",
                    "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "opm");
  CHECK_FIELD(c, 1, "metric", "opm-change");
  json_decref(c);
  c = draft(db, "Operating margin was 6.1%, 40 basis points better than "
                "planned.",
            "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "opm");
  CHECK_FIELD(c, 1, "metric", "opm-change");
  json_decref(c);
  ck_close(db);
}

TEST(an_alias_may_overlap_the_figure_words) {
  ck_db *db = open_codebook();
  /* 环比增加 is sales-qoq's alias; the figure's words are 增加2万辆 */
  json_t *c = draft(db, "7月销量环比增加2万辆。", "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "sales-qoq");
  json_decref(c);
  ck_close(db);
}

TEST(a_list_gives_the_nth_figure_the_nth_mention) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "储能、动力电池及其他业务的收入占比分别是41%、52%和7%。",
                    "gx-call", "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 3);
  CHECK_FIELD(c, 0, "metric", "storage-share");
  CHECK_FIELD(c, 1, "metric", "ev-share");
  CHECK_FIELD(c, 2, "metric", "other-share");
  json_decref(c);
  c = draft(db, "小米和蔚来的销量分别为3.1万辆、2.4万辆。", "gx-call",
            "2025-08-20");
  CHECK_FIELD(c, 0, "entity", "xiaomi");
  CHECK_FIELD(c, 1, "entity", "nio");
  json_decref(c);
  c = draft(db, "Xiaomi's shipments and operating margin were 2.2 million and "
                "6.4%, respectively.",
            "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "shipments");
  CHECK_FIELD(c, 1, "metric", "opm");
  CHECK_FIELD(c, 1, "entity", "xiaomi");
  json_decref(c);
  /* a list of another length is no list: the mention rule holds */
  c = draft(db, "储能和动力电池的占比是41%、52%和7%。", "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "ev-share");
  CHECK_FIELD(c, 2, "metric", "ev-share");
  json_decref(c);
  ck_close(db);
}

TEST(a_range_of_years_before_a_list_gives_each_its_year) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "华泰在8月18日的报告中预计公司2025年至2027年出货量分别为"
                        "95万、130万和170万辆。",
                    "gx-call", "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 3);
  CHECK_FIELD(c, 0, "period", "2025");
  CHECK_FIELD(c, 1, "period", "2026");
  CHECK_FIELD(c, 2, "period", "2027");
  CHECK_FIELD(c, 2, "actor", "huatai");
  json_decref(c);
  ck_close(db);
}

TEST(a_point_in_time_figure_is_dated_by_the_note_the_old_value_not) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "花旗在7月3日的点评中将目标价从30元下调至27元。",
                    "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "metric", "tp");
  CHECK_FIELD(c, 0, "period", "null");
  CHECK_FIELD(c, 1, "period", "2025-07");
  json_decref(c);
  c = draft(db, "JPMorgan cut its price target to $41 from $45.", "gx-call",
            "2025-08-20");
  CHECK_FIELD(c, 0, "period", "2025-08");
  CHECK_FIELD(c, 1, "period", "null");
  CHECK_FIELD(c, 0, "actor", "jpm");
  json_decref(c);
  ck_close(db);
}

TEST(periods_by_clause_then_sentence_then_segment) {
  ck_db *db = open_codebook();
  /* the clause's own period; the sentence's only one; a calendar date is
     none; the segment's after */
  json_t *c = draft(db, "Speaker 1 00:10\n上半年出货量18万辆，二季度出货量9.8万辆。"
                        "出货量10万辆，这是7月15日说的。然后出货量又是11万辆。\n"
                        "Speaker 2 00:20\n出货量12万辆。",
                    "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "period", "2025-H1");
  CHECK_FIELD(c, 1, "period", "2025-Q2");
  CHECK_FIELD(c, 2, "period", "null"); /* the sentence before wrote two */
  CHECK_FIELD(c, 3, "period", "null");
  CHECK_FIELD(c, 4, "period", "null"); /* a new segment */
  json_decref(c);
  c = draft(db, "三季度出货量指引为11万辆。出货量环比继续提升，约12万辆。",
            "gx-call", "2025-08-20");
  CHECK_FIELD(c, 1, "period", "2025-Q3");
  json_decref(c);
  ck_close(db);
}

TEST(a_period_without_a_year_takes_the_year_it_had_begun_in) {
  static const char *const cases[][3] = {
      /* text, published, period */
      {"四季度出货量12万辆。", "2025-08-20", "2024-Q4"},
      {"四季度出货量12万辆。", "2025-11-02", "2025-Q4"},
      {"下半年出货量25万辆。", "2025-03-30", "2024-H2"},
      {"全年出货量40万辆。", "2025-01-15", "2025"},
      {"前三个季度出货量30万辆。", "2025-10-28", "2025-Q3"},
      {"Q2 shipments were 2 million.", "2025-08-20", "2025-Q2"},
      {"Shipments in 1H25 were 4 million.", "2025-08-20", "2025-H1"},
      {"4Q24 shipments were 2 million.", "2025-08-20", "2024-Q4"},
      {"Shipments for FY '24 were 8 million.", "2025-08-20", "2024"},
      {"Fiscal 2026 shipments will be 9 million.", "2025-08-20", "2026"},
      {"Fiscal 2025 third quarter shipments were 2 million.", "2025-08-20",
       "2025-Q3"},
      {"FY24 Q3 shipments were 2 million.", "2025-08-20", "2024-Q3"},
      {"Fourth-quarter shipments were 2 million.", "2025-08-20", "2024-Q4"},
      {"Second-half shipments will be 5 million.", "2025-08-20", "2025-H2"},
      {"Third Quarter Shipments: 2 million.", "2025-08-20", "2025-Q3"},
      {"Shipments in March 2025 were 2 million.", "2025-08-20", "2025-03"},
      {"Year to date shipments were 6 million.", "2025-08-20", "2025-Q2"},
      {"去年出货量28万辆。", "2025-08-20", "2024"},
      {"明年一季度出货量15万辆。", "2025-08-20", "2026-Q1"},
      {"Shipments next year will be 9 million.", "2025-08-20", "2026"},
      {"截至二季度末出货量20万辆。", "2025-08-20", "2025-Q2"},
      {"25Q1出货量8万辆。", "2025-08-20", "2025-Q1"},
      {"2024财年出货量30万辆。", "2025-08-20", "2024"},
      {"四季度出货量12万辆。", "", "null"},
  };
  ck_db *db = open_codebook();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    /* with no date, a source the database does not date either */
    json_t *c = draft(db, cases[i][0], *cases[i][1] ? "gx-call" : "new-call",
                      cases[i][1]);
    if (strcmp(field(c, 0, "period"), cases[i][2]) != 0)
      fprintf(stderr, "  case %zu: %s\n", i, cases[i][0]);
    CHECK_FIELD(c, 0, "period", cases[i][2]);
    json_decref(c);
  }
  ck_close(db);
}

TEST(calendar_dates_are_never_periods) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "小摩11月3日的报告认为出货量会到13万辆。On March 4, 2025 "
                        "Citi put shipments at 3 million.",
                    "gx-call", "2025-11-20");
  CHECK_FIELD(c, 0, "period", "null");
  CHECK_FIELD(c, 1, "period", "null");
  json_decref(c);
  c = draft(db, "东吴2025/7/14点评称出货量20万辆。Citi (Nov. 3) saw shipments at 3 "
                "million. UBS on 5 October 2025 put shipments at 2 million.",
            "gx-call", "2025-11-20");
  CHECK_INT((long long)json_array_size(c), 3);
  CHECK_FIELD(c, 0, "period", "null");
  CHECK_FIELD(c, 1, "period", "null");
  CHECK_FIELD(c, 2, "period", "null");
  json_decref(c);
  /* nor is a number inside a date or a period a figure */
  c = draft(db, "On November 27 Citi said shipments in fiscal 2026 will be 3 "
                "million.",
            "gx-call", "2025-11-20");
  CHECK_INT((long long)json_array_size(c), 1);
  CHECK_FIELD(c, 0, "quantity", "3 million");
  CHECK_FIELD(c, 0, "period", "2026");
  json_decref(c);
  ck_close(db);
}

TEST(views_are_one_per_actor_per_sentence_dated_by_it) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "Citi says storage demand will boom, while JPMorgan "
                        "thinks demand is recovering. 华泰在2025年6月的深度报告里"
                        "认为储能需求爆发。花旗7月2日的点评说需求回暖，需求偏弱的"
                        "说法不对。",
                    "gx-call", "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 4);
  CHECK_FIELD(c, 0, "actor", "citi");
  CHECK_FIELD(c, 1, "actor", "jpm");
  CHECK_FIELD(c, 0, "as_of", "2025-08-20");
  CHECK_FIELD(c, 2, "actor", "huatai");
  CHECK_FIELD(c, 2, "as_of", "2025-06-30");
  CHECK_FIELD(c, 3, "actor", "citi");
  CHECK_FIELD(c, 3, "as_of", "2025-07-02");
  /* 需求回暖 (4 characters, 12 bytes) and 需求偏弱 tie: the first wins */
  CHECK_INT(json_integer_value(json_object_get(json_array_get(c, 3), "stance")),
            1);
  json_decref(c);
  c = draft(db, "东吴2025/7/14点评称需求回暖。华泰2025年3月认为需求偏弱。",
            "gx-call", "2025-08-20");
  CHECK_FIELD(c, 0, "as_of", "2025-07-14");
  CHECK_FIELD(c, 1, "as_of", "2025-03-31");
  json_decref(c);
  /* two houses, two dates, one sentence: each view its own date */
  c = draft(db, "华泰在2024年12月的报告里认为需求回暖，小摩6月5日的点评则认为需求偏弱。",
            "gx-call", "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 2);
  CHECK_FIELD(c, 0, "as_of", "2024-12-31");
  CHECK_FIELD(c, 1, "actor", "jpm");
  CHECK_FIELD(c, 1, "as_of", "2025-06-05");
  json_decref(c);
  ck_close(db);
}

/* Found on real calls: 花旗、高盛、摩根士丹利均维持“买入”评级 is three views. */
TEST(actors_listed_before_a_cue_each_hold_its_view) {
  ck_db *db = open_codebook();
  json_t *c = draft(db, "花旗、华泰和小摩都认为需求回暖。", "gx-call", "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 3);
  for (size_t i = 0; i < 3; i++)
    CHECK_FIELD(c, i, "question", "storage-boom");
  /* one view per listed actor */
  int seen = 0;
  for (size_t i = 0; i < 3; i++) {
    const char *a = field(c, i, "actor");
    seen |= strcmp(a, "citi") == 0 ? 1 : strcmp(a, "huatai") == 0 ? 2
            : strcmp(a, "jpm") == 0 ? 4 : 8;
  }
  CHECK_INT(seen, 7);
  json_decref(c);
  c = draft(db, "Citi and JPMorgan both say demand is recovering.", "gx-call",
            "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 2);
  json_decref(c);
  /* an actor named earlier, with other words between, is no list */
  c = draft(db, "花旗去年看空，华泰认为需求回暖。", "gx-call", "2025-08-20");
  CHECK_INT((long long)json_array_size(c), 1);
  CHECK_FIELD(c, 0, "actor", "huatai");
  json_decref(c);
  ck_close(db);
}

TEST(the_longest_mention_wins_in_characters_not_bytes) {
  ck_db *db;
  ck_open(NULL, 0, &db);
  /* AI芯片: 4 characters, 8 bytes; 芯片收入: 4 characters, 12 bytes -- a
     tie, which the first wins (mentions of one kind compete) */
  CHECK_INT(ck_import_json(db, "{\"metrics\": [{\"id\": \"ai-chips\", "
                               "\"name\": \"AI芯片\"}, {\"id\": "
                               "\"chip-revenue\", \"name\": \"芯片收入\"}, "
                               "{\"id\": \"units\", \"name\": \"AI芯片出货\"}]}"),
            CK_OK);
  json_t *c = draft(db, "AI芯片收入达到5亿元。", "s", "");
  CHECK_FIELD(c, 0, "metric", "ai-chips");
  json_decref(c);
  /* AI芯片出货 (6 characters) over AI芯片 */
  c = draft(db, "AI芯片出货达到5万片。", "s", "");
  CHECK_FIELD(c, 0, "metric", "units");
  json_decref(c);
  ck_close(db);
}

TEST(the_longest_cue_wins_in_characters_not_bytes) {
  ck_db *db;
  ck_open(NULL, 0, &db);
  CHECK_INT(ck_import_json(db, "{\"questions\": [{\"id\": \"q\", \"cues\": "
                               "{\"1\": [\"AI boom\"], \"-1\": [\"泡沫\"]}}]}"),
            CK_OK);
  /* 泡沫 has 6 bytes and 2 characters; AI boom 7 characters */
  json_t *c = draft(db, "这是泡沫还是AI boom?", "s", "");
  CHECK_INT(json_integer_value(json_object_get(json_array_get(c, 0), "stance")),
            1);
  json_decref(c);
  ck_close(db);
}

TEST(a_draft_is_bounded_by_what_a_person_can_review) {
  ck_db *db = open_codebook();
  /* 2 MB of numerals: refused, clearly, without building the draft */
  strbuf sb;
  sb_init(&sb);
  while (sb.len < 2 * 1024 * 1024)
    sb_printf(&sb, "%zu ", sb.len % 1000);
  json_t *args = json_pack("[s]", sb.data);
  char *a = json_dumps(args, 0);
  CHECK(ck_call(db, "draft", a) == NULL);
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "more than 10000 figures and views");
  free(a);
  json_decref(args);
  /* just under the bound: drafted, a quote per figure of its sentence */
  sb.len = 0;
  for (int i = 0; i < CK_DRAFT_MAX_CLAIMS; i++)
    sb_printf(&sb, "出货量%d。", i + 1);
  args = json_pack("[s]", sb.data);
  a = json_dumps(args, 0);
  const char *out = ck_call(db, "draft", a);
  CHECK(out != NULL);
  CHECK(out && strlen(out) < 4u * 1024 * 1024);
  free(a);
  json_decref(args);
  sb_free(&sb);
  ck_close(db);
}

TEST(the_codebook_fields_are_checked_and_round_trip) {
  static const char *const bad[][2] = {
      {"{\"metrics\": [{\"id\": \"m\", \"point_in_time\": \"yes\"}]}",
       "/metrics/0/point_in_time: must be true or false, not a string"},
      {"{\"metrics\": [{\"id\": \"m\", \"change_of\": \"nope\"}]}",
       "/metrics/0/change_of: unknown metric 'nope'"},
      {"{\"metrics\": [{\"id\": \"m\", \"change_of\": \"m\"}]}",
       "/metrics/0/change_of: metric 'm' cannot be the change of itself"},
      {"{\"metrics\": [{\"id\": \"m\", \"basis\": \"mom\"}]}",
       "/metrics/0/basis: 'mom' is not a basis"},
      {"{\"metrics\": [{\"id\": \"m\", \"basis\": 1}]}",
       "/metrics/0/basis: must be a string, not a number"},
      {"{\"sources\": [{\"id\": \"s\", \"entity\": \"ghost\"}]}",
       "/sources/0/entity: unknown entity 'ghost'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_db *db;
    ck_open(NULL, 0, &db);
    CHECK_INT(ck_import_json(db, bad[i][0]), CK_INVALID);
    CHECK_CONTAINS(ck_errmsg(db), bad[i][1]);
    ck_close(db);
  }
  ck_db *db = open_codebook(), *copy;
  char *first = strdup(ck_export_json(db, NULL));
  CHECK_CONTAINS(first, "\"change_of\": \"shipments\"");
  CHECK_CONTAINS(first, "\"point_in_time\": true");
  ck_open(NULL, 0, &copy);
  CHECK_INT(ck_import_json(copy, first), CK_OK);
  CHECK_STR(ck_export_json(copy, NULL), first);
  free(first);
  ck_close(copy);
  ck_close(db);
}

/* Written for issue #20's rules, on a food maker's calls. */
static const char food_pack[] =
    "{\"sources\": [{\"id\": \"fd-call\", \"kind\": \"transcript\", "
    "\"published\": \"2025-10-30\", \"entity\": \"acme\"}],"
    "\"actors\": [{\"id\": \"citi\", \"name\": \"花旗\"}],"
    "\"entities\": [{\"id\": \"acme\", \"name\": \"Acme\"},"
    "{\"id\": \"dairy\", \"name\": \"乳品业务\", \"aliases\": [\"乳品\"]},"
    "{\"id\": \"drinks\", \"name\": \"饮料业务\", \"aliases\": [\"饮料\"]}],"
    "\"metrics\": [{\"id\": \"revenue\", \"name\": \"收入\", \"unit\": \"CNY\", "
    "\"aliases\": [\"revenue\"]},"
    "{\"id\": \"revenue-yoy\", \"unit\": \"%\", \"change_of\": \"revenue\", "
    "\"basis\": \"yoy\"},"
    "{\"id\": \"opex\", \"unit\": \"USD\", \"aliases\": [\"operating costs\"]},"
    "{\"id\": \"impairments\", \"unit\": \"USD\", \"aliases\": "
    "[\"impairment charges\"]},"
    "{\"id\": \"retention\", \"unit\": \"%\", \"aliases\": [\"retention\"]},"
    "{\"id\": \"organic\", \"unit\": \"%\", \"aliases\": "
    "[\"organic growth rate\"]},"
    "{\"id\": \"margin\", \"name\": \"毛利率\", \"unit\": \"%\"},"
    "{\"id\": \"margin-change\", \"unit\": \"%\", \"change_of\": \"margin\"},"
    "{\"id\": \"subsidy-cost\", \"name\": \"补贴成本\", \"unit\": \"CNY\"},"
    "{\"id\": \"buyback\", \"name\": \"回购金额\", \"unit\": \"HKD\"},"
    "{\"id\": \"stores\", \"name\": \"门店数\", \"unit\": \"\"},"
    "{\"id\": \"dairy-sales\", \"name\": \"乳品销量\", \"unit\": \"\"}]}";

static ck_db *open_food(void) {
  ck_db *db;
  ck_open(NULL, 0, &db);
  CHECK_INT(ck_import_json(db, food_pack), CK_OK);
  if (ck_errcode(db) != CK_OK)
    fprintf(stderr, "  %s\n", ck_errmsg(db));
  return db;
}

TEST(a_metric_named_right_after_its_figure_is_its_metric) {
  ck_db *db = open_food();
  json_t *c = draft(db, "Operating costs were $12 million, including $3 "
                        "million of impairment charges.", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "opex");
  CHECK_FIELD(c, 1, "metric", "impairments");
  json_decref(c);
  c = draft(db, "Revenue held up, with a 9% organic growth rate.", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "organic");
  json_decref(c);
  /* a percent of something is a share of it, not it */
  c = draft(db, "Retention was 85% of revenue.", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "retention");
  json_decref(c);
  c = draft(db, "新品可抵消约2亿元的补贴成本。", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "subsidy-cost");
  json_decref(c);
  ck_close(db);
}

TEST(a_figure_whose_unit_contradicts_the_metric_leaves_it_null) {
  ck_db *db = open_food();
  /* a count of shares is no amount of money */
  json_t *c = draft(db, "回购金额约8亿港元(约1200万股)。", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "buyback");
  CHECK_FIELD(c, 1, "metric", "null");
  json_decref(c);
  /* dollars are no percent, a percent no dollars */
  c = draft(db, "Retention was hit by $2 million.", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "null");
  json_decref(c);
  c = draft(db, "Impairment charges were 4% this time.", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "null");
  json_decref(c);
  /* the nearest gives way to the one before it that fits */
  c = draft(db, "Operating costs rose and retention fell, by $2 million.",
            "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "opex");
  json_decref(c);
  ck_close(db);
}

TEST(an_entity_in_a_closed_parenthesis_glosses_the_one_before) {
  ck_db *db = open_food();
  json_t *c = draft(db, "乳品业务(含部分饮料)实现收入30亿元。", "fd-call", "");
  CHECK_FIELD(c, 0, "entity", "dairy");
  json_decref(c);
  /* the base of a share (占 X) is not its subject */
  c = draft(db, "乳品业务收入30亿元,占饮料业务收入的四成。", "fd-call", "");
  CHECK_FIELD(c, 1, "entity", "dairy");
  json_decref(c);
  /* a figure inside the parenthesis takes the name beside it */
  c = draft(db, "乳品业务(其中饮料收入5亿元)增长较快。", "fd-call", "");
  CHECK_FIELD(c, 0, "entity", "drinks");
  json_decref(c);
  ck_close(db);
}

TEST(a_sentence_after_a_semicolon_keeps_the_entity_before_it) {
  ck_db *db = open_food();
  json_t *c = draft(db, "乳品业务收入为30亿元；毛利率为25%。毛利率为20%。",
                    "fd-call", "");
  CHECK_FIELD(c, 1, "entity", "dairy");
  CHECK_FIELD(c, 2, "entity", "acme"); /* a full stop ends the topic */
  json_decref(c);
  ck_close(db);
}

TEST(kinds_of_mention_do_not_compete_for_the_same_words) {
  ck_db *db = open_food();
  /* 乳品销量 names the metric and holds the entity 乳品 */
  json_t *c = draft(db, "乳品销量为80万吨。", "fd-call", "");
  CHECK_FIELD(c, 0, "entity", "dairy");
  CHECK_FIELD(c, 0, "metric", "dairy-sales");
  json_decref(c);
  ck_close(db);
}

TEST(the_quarter_this_year_and_forward_figures_by_their_words) {
  ck_db *db = open_food();
  /* 当季 is the quarter the segment is about, though 9月 is in the sentence */
  json_t *c = draft(db, "三季度饮料业务收入为12亿元。当季门店数为1500家,9月新开"
                        "40家。", "fd-call", "2025-10-30");
  CHECK_FIELD(c, 1, "period", "2025-Q3");
  CHECK_FIELD(c, 2, "period", "2025-09");
  json_decref(c);
  c = draft(db, "Q3 revenue was $5 million. In the quarter we opened 12 "
                "stores, 3 of them in September.", "fd-call", "2025-10-30");
  CHECK_FIELD(c, 1, "period", "2025-Q3");
  json_decref(c);
  /* this quarter, on a call, may be the one under way: not read */
  c = draft(db, "Q3 revenue was $5 million. This quarter we plan 12 new "
                "stores, 3 of them in November.", "fd-call", "2025-10-30");
  CHECK_FIELD(c, 1, "period", "2025-11");
  json_decref(c);
  /* 远期 names no period, whatever the segment is about */
  c = draft(db, "三季度饮料业务收入为12亿元。花旗将远期毛利率预测下调至21%。",
            "fd-call", "2025-10-30");
  CHECK_FIELD(c, 1, "period", "null");
  json_decref(c);
  /* 年内 is this year; 三年内 is not */
  c = draft(db, "年内已回购约6亿港元。", "fd-call", "2025-10-30");
  CHECK_FIELD(c, 0, "period", "2025");
  json_decref(c);
  c = draft(db, "三年内门店数达到3000家。", "fd-call", "2025-10-30");
  CHECK_FIELD(c, 0, "period", "null");
  json_decref(c);
  ck_close(db);
}

TEST(gerunds_and_raised_targets_are_directions) {
  ck_db *db = open_food();
  json_t *c = draft(db, "Margin, falling 2% on the mix.", "fd-call", "");
  CHECK_INT((long long)json_array_size(c), 1);
  json_decref(c);
  c = draft(db, "毛利率提高2%。", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "margin-change");
  json_decref(c);
  c = draft(db, "毛利率, decreasing 3%.", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "margin-change");
  json_decref(c);
  ck_close(db);
}

/* "decreased $4.1 million, or 2.5%": the percent restates the fall, so it
   is a fall; its own words would read up, so the draft writes the number
   (and the unit) and keeps the words in the quote. */
TEST(a_figure_restating_a_fall_in_another_unit_falls_too) {
  ck_db *db = open_food();
  json_t *c = draft(db, "Sales decreased $4.1 million, or 2.5%, in the quarter.",
                    "fd-call", "");
  CHECK_INT((long long)json_array_size(c), 2);
  CHECK_FIELD(c, 0, "quantity", "decreased $4.1 million");
  CHECK_FIELD(c, 1, "quantity", "(none)");
  json_t *second = json_array_get(c, 1);
  CHECK(json_real_value(json_object_get(second, "value")) == -0.025);
  CHECK_FIELD(c, 1, "unit", "%");
  json_decref(c);
  c = draft(db, "销量下降3万吨，即5%。", "fd-call", "");
  CHECK(json_real_value(json_object_get(json_array_get(c, 1), "value")) == -0.05);
  json_decref(c);
  /* a rise, a figure with its own direction, a bound, or no restating
     join: the words alone, as always */
  static const char *const own_words[] = {
      "Sales increased $4.1 million, or 2.5%, in the quarter.",
      "Sales decreased $4.1 million, or down 2.5%.",
      "Sales decreased $4.1 million, or over 2.5%.",
      "Sales decreased $4.1 million and 2.5% of stores closed."};
  for (size_t i = 0; i < sizeof own_words / sizeof own_words[0]; i++) {
    c = draft(db, own_words[i], "fd-call", "");
    CHECK(json_array_size(c) == 2 &&
          json_is_string(json_object_get(json_array_get(c, 1), "quantity")));
    json_decref(c);
  }
  /* the draft imports, the fall stored */
  c = draft(db, "Sales decreased $4.1 million, or 2.5%, in the quarter.",
            "fd-call", "");
  json_t *fall = json_array_get(c, 1);
  json_object_set_new(fall, "actor", json_string("citi"));
  json_object_set_new(fall, "metric", json_string("retention"));
  json_object_set_new(fall, "period", json_string("2025-Q3"));
  json_t *pack = json_pack("{s:[O]}", "claims", fall);
  char *text = json_dumps(pack, 0);
  CHECK_INT(ck_import_json(db, text), CK_OK);
  CHECK_STR(ck_call(db, "sql", "[\"SELECT value, unit FROM observations\"]"),
            "[{\"value\":-0.025,\"unit\":\"%\"}]");
  free(text);
  json_decref(pack);
  json_decref(c);
  ck_close(db);
}

/* The old level of a comparison ("from $15 million in the prior-year
   quarter", "较去年同期的12亿元") is of the earlier period, which the text
   leaves to be worked out: null, not the current period. */
TEST(a_comparisons_old_level_takes_no_current_period) {
  ck_db *db = open_food();
  json_t *c = draft(db, "Revenue in the third quarter of 2025 rose to $20 "
                        "million, or $0.50 per share, from $15 million, or "
                        "$0.40 per share, in the prior-year quarter.",
                    "fd-call", "");
  CHECK_INT((long long)json_array_size(c), 4);
  CHECK_FIELD(c, 0, "period", "2025-Q3");
  CHECK_FIELD(c, 1, "period", "2025-Q3");
  CHECK_FIELD(c, 2, "period", "null");
  CHECK_FIELD(c, 3, "period", "null");
  json_decref(c);
  c = draft(db, "2025年三季度收入16亿元，较去年同期的12亿元增长33%。", "fd-call", "");
  CHECK_INT((long long)json_array_size(c), 3);
  CHECK_FIELD(c, 0, "period", "2025-Q3");
  CHECK_FIELD(c, 1, "period", "null");
  CHECK_FIELD(c, 2, "period", "2025-Q3"); /* the change is this quarter's */
  json_decref(c);
  /* "rose to A, or B, from C, or D": C is A's metric, D is B's, though B's
     metric is the one named nearest before C */
  c = draft(db, "Operating costs rose to $20 million, or $3 million of "
                "impairment charges, from $15 million, or $2 million, a "
                "year ago.", "fd-call", "");
  CHECK_FIELD(c, 0, "metric", "opex");
  CHECK_FIELD(c, 1, "metric", "impairments");
  CHECK_FIELD(c, 2, "metric", "opex");
  CHECK_FIELD(c, 3, "metric", "impairments");
  json_decref(c);
  /* a base word in another clause, or no basis named: periods as before */
  c = draft(db, "In the third quarter of 2025 revenue rose $3 million compared "
                "to the prior quarter, driven by loans of $242 million.",
            "fd-call", "");
  CHECK_FIELD(c, 1, "period", "2025-Q3");
  json_decref(c);
  c = draft(db, "Revenue in the third quarter of 2025 rose to $20 million "
                "from $15 million.", "fd-call", "");
  CHECK_FIELD(c, 1, "period", "2025-Q3");
  json_decref(c);
  ck_close(db);
}

CHECK_MAIN(T(english_sentences_end_at_a_full_stop_before_a_capital),
           T(a_figure_of_a_call_without_an_entity_is_the_source_subject),
           T(a_draft_carries_the_stored_source_record_and_its_date),
           T(a_company_speaks_for_itself_on_its_own_call_of_its_titles_quarter),
           T(a_change_takes_the_change_metric_by_its_basis),
           T(changes_in_one_clause_take_the_basis_their_own_words_name),
           T(points_beside_a_percent_metric_are_its_change),
           T(an_alias_may_overlap_the_figure_words),
           T(a_list_gives_the_nth_figure_the_nth_mention),
           T(a_range_of_years_before_a_list_gives_each_its_year),
           T(a_point_in_time_figure_is_dated_by_the_note_the_old_value_not),
           T(periods_by_clause_then_sentence_then_segment),
           T(a_period_without_a_year_takes_the_year_it_had_begun_in),
           T(calendar_dates_are_never_periods),
           T(views_are_one_per_actor_per_sentence_dated_by_it),
           T(actors_listed_before_a_cue_each_hold_its_view),
           T(the_longest_mention_wins_in_characters_not_bytes),
           T(the_longest_cue_wins_in_characters_not_bytes),
           T(a_draft_is_bounded_by_what_a_person_can_review),
           T(the_codebook_fields_are_checked_and_round_trip),
           T(a_metric_named_right_after_its_figure_is_its_metric),
           T(a_figure_whose_unit_contradicts_the_metric_leaves_it_null),
           T(an_entity_in_a_closed_parenthesis_glosses_the_one_before),
           T(a_sentence_after_a_semicolon_keeps_the_entity_before_it),
           T(kinds_of_mention_do_not_compete_for_the_same_words),
           T(the_quarter_this_year_and_forward_figures_by_their_words),
           T(gerunds_and_raised_targets_are_directions),
           T(a_figure_restating_a_fall_in_another_unit_falls_too),
           T(a_comparisons_old_level_takes_no_current_period))

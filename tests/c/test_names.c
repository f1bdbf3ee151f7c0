/*
** test_names.c -- a record's name or alias where a function takes its id
** (DESIGN §7): every function whose ck_functions() entry gives a parameter
** a record kind answers the same for the id, its name, its aliases (in
** other ASCII cases too) and gives the same not-found messages as before;
** an id wins over another record's alias; a name of several records is
** CK_INVALID naming them; the names follow the data.
*/
#include "check.h"

#include <claimkit.h>
#include <jansson.h>
#include <stdlib.h>

static char *dq(const char *s) {
  char *r = strdup(s);
  for (char *p = r; *p; p++)
    if (*p == '\'')
      *p = '"';
  return r;
}

/* "jeff" is the id of one actor and an alias of another; "大行" and "big"
   are aliases of two actors. */
static const char *const PACK =
    "{'claimkit': 1,"
    " 'sources': [{'id': 's1', 'published': '2026-01-10'},"
    "             {'id': 's2', 'published': '2026-03-10'}],"
    " 'actors': ["
    "   {'id': 'changqiao', 'name': '长桥证券', 'region': 'domestic',"
    "    'aliases': ['长桥', 'Longbridge']},"
    "   {'id': 'jefferies', 'name': 'Jefferies', 'region': 'overseas',"
    "    'aliases': ['杰富瑞', 'jeff', '大行', 'big']},"
    "   {'id': 'jeff', 'name': 'Jeff Analyst', 'region': 'domestic'},"
    "   {'id': 'ms', 'name': 'Morgan Stanley', 'region': 'overseas',"
    "    'aliases': ['大摩', '大行', 'BIG']}],"
    " 'frameworks': [{'id': 'ai', 'name': 'AI models',"
    "                 'aliases': ['人工智能', 'ai-fw']}],"
    " 'questions': ["
    "   {'id': 'parity', 'framework': 'ai', 'name': 'Open-closed parity',"
    "    'aliases': ['开源追平', 'oc-parity']},"
    "   {'id': 'done', 'name': 'Resolved one', 'aliases': ['已决'],"
    "    'resolution': {'outcome': true, 'resolved_on': '2026-02-01'}}],"
    " 'entities': ["
    "   {'id': 'nvidia', 'name': 'NVIDIA', 'aliases': ['英伟达', 'nvda']},"
    "   {'id': 'amd', 'name': 'AMD', 'aliases': ['超威']}],"
    " 'metrics': ["
    "   {'id': 'revenue', 'name': '收入', 'unit': 'USD',"
    "    'aliases': ['Revenue', '营收', 'sales']},"
    "   {'id': 'gm', 'name': 'Gross margin', 'unit': '%',"
    "    'aliases': ['毛利率']}],"
    " 'claims': ["
    "   {'actor': 'changqiao', 'question': 'parity', 'stance': 2, 'source': 's1'},"
    "   {'actor': 'changqiao', 'question': 'parity', 'stance': 1, 'source': 's2'},"
    "   {'actor': 'jefferies', 'question': 'parity', 'stance': -1, 'source': 's1'},"
    "   {'actor': 'jeff', 'question': 'parity', 'stance': 1, 'source': 's2'},"
    "   {'actor': 'ms', 'question': 'parity', 'stance': 0, 'source': 's1'},"
    "   {'actor': 'changqiao', 'question': 'done', 'stance': 1, 'source': 's1'},"
    "   {'actor': 'ms', 'question': 'done', 'stance': -1, 'source': 's1'},"
    "   {'actor': 'ms', 'entity': 'nvidia', 'metric': 'revenue', 'period': '2024', 'value': 80, 'source': 's1'},"
    "   {'actor': 'ms', 'entity': 'nvidia', 'metric': 'revenue', 'period': '2025', 'value': 100, 'source': 's1'},"
    "   {'actor': 'jefferies', 'entity': 'nvidia', 'metric': 'revenue', 'period': '2025', 'value': 110, 'source': 's2'},"
    "   {'actor': 'ms', 'entity': 'amd', 'metric': 'revenue', 'period': '2025', 'value': 40, 'source': 's1'},"
    "   {'actor': 'ms', 'entity': 'amd', 'metric': 'revenue', 'period': '2024', 'value': 30, 'source': 's1'},"
    "   {'actor': 'ms', 'entity': 'nvidia', 'metric': 'gm', 'period': '2025', 'value': 70, 'source': 's1'},"
    "   {'actor': 'ms', 'entity': 'amd', 'metric': 'gm', 'period': '2025', 'value': 50, 'source': 's1'}]}";

/* What stands for each id: its name, its aliases, other cases of them
   (the ASCII ones), and lower-case ones that look like ids. */
static const struct {
  const char *kind, *id;
  const char *terms[8];
} NAMES[] = {
    {"actor", "changqiao", {"长桥证券", "长桥", "Longbridge", "LONGBRIDGE", "longbridge"}},
    {"actor", "jefferies", {"Jefferies", "杰富瑞", "jefferies ", NULL}},
    {"actor", "ms", {"Morgan Stanley", "morgan STANLEY", "大摩"}},
    {"entity", "nvidia", {"NVIDIA", "Nvidia", "英伟达", "nvda", "NVDA"}},
    {"entity", "amd", {"AMD", "超威"}},
    {"metric", "revenue", {"收入", "Revenue", "REVENUE ", "营收", "sales", "Sales"}},
    {"metric", "gm", {"Gross margin", "gross margin", "毛利率"}},
    {"question", "parity", {"Open-closed parity", "开源追平", "oc-parity", "OC-Parity"}},
    {"question", "done", {"Resolved one", "已决"}},
    {"framework", "ai", {"AI models", "ai models", "人工智能", "ai-fw"}},
};

/* A call of every function that takes a record, by ids. */
static const struct {
  const char *fn, *args;
} CALLS[] = {
    {"change", "['nvidia', 'revenue', '2024', '2025']"},
    {"consensus", "['parity']"},
    {"drift", "['parity', 'mean', ['2026-01-31', '2026-03-31']]"},
    {"estimates", "['nvidia', 'revenue', '2025', 'mean']"},
    {"framework", "['ai', 'mean']"},
    {"gap", "['revenue', 'nvidia', 'amd', '2025']"},
    {"label", "['parity']"},
    {"rank", "['revenue', 'amd', '2025']"},
    {"ratio", "['gm', 'nvidia', 'amd', '2025']"},
    {"revisions", "['parity', '2026-02-01', '2026-04-01']"},
    {"series", "['nvidia', 'revenue']"},
    {"sources", "['nvidia', 'revenue', '2025']"},
    {"split", "['parity', 'region', 'domestic', 'overseas', 'gap']"},
    {"stance", "['parity', 'changqiao']"},
    {"track", "['changqiao', 'n']"},
    {"value", "['nvidia', 'revenue', '2025']"},
    {"views", "['parity']"},
};

static ck_db *open_pack(void) {
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  char *pack = dq(PACK);
  int rc = ck_import_json(db, pack);
  if (rc != CK_OK)
    fprintf(stderr, "  import: %s\n", ck_errmsg(db));
  CHECK_INT(rc, CK_OK);
  free(pack);
  return db;
}

/* ck_call's answer, or "error N: message". */
static char *answer(ck_db *db, const char *fn, const char *args) {
  const char *r = ck_call(db, fn, args);
  if (r)
    return strdup(r);
  char buf[1200];
  snprintf(buf, sizeof buf, "error %d: %s", ck_errcode(db), ck_errmsg(db));
  return strdup(buf);
}

/* args with parameter i replaced by `text`. */
static char *with_arg(const char *args, size_t i, const char *text) {
  json_t *a = json_loads(args, 0, NULL);
  json_array_set_new(a, i, json_string(text));
  char *s = json_dumps(a, JSON_COMPACT);
  json_decref(a);
  return s;
}

/* The record kind of each parameter of fn, from ck_functions(). */
static json_t *params_of(ck_db *db, const char *fn) {
  json_t *all = json_loads(ck_functions(db), 0, NULL), *found = NULL;
  size_t i;
  json_t *f;
  json_array_foreach(all, i, f) {
    if (strcmp(json_string_value(json_object_get(f, "name")), fn) == 0)
      found = json_incref(json_object_get(f, "params"));
  }
  json_decref(all);
  return found;
}

static void test_every_record_parameter_takes_names(void) {
  ck_db *db = open_pack();
  int tried = 0;
  for (size_t c = 0; c < sizeof CALLS / sizeof CALLS[0]; c++) {
    char *args = dq(CALLS[c].args);
    char *want = answer(db, CALLS[c].fn, args);
    if (strncmp(want, "error", 5) == 0)
      fprintf(stderr, "  %s%s: %s\n", CALLS[c].fn, args, want);
    CHECK(strncmp(want, "error", 5) != 0);
    json_t *params = params_of(db, CALLS[c].fn), *a = json_loads(args, 0, NULL);
    int records = 0;
    for (size_t i = 0; i < json_array_size(a); i++) {
      const char *kind =
          json_string_value(json_object_get(json_array_get(params, i), "record"));
      const char *id = json_string_value(json_array_get(a, i));
      if (!kind)
        continue;
      records++;
      for (size_t n = 0; n < sizeof NAMES / sizeof NAMES[0]; n++) {
        if (strcmp(NAMES[n].kind, kind) != 0 || strcmp(NAMES[n].id, id) != 0)
          continue;
        for (int t = 0; NAMES[n].terms[t]; t++) {
          const char *term = NAMES[n].terms[t];
          int trailing = term[strlen(term) - 1] == ' ';
          char *call = with_arg(args, i, term);
          char *got = answer(db, CALLS[c].fn, call);
          if (trailing) { /* exact: a space is not trimmed */
            CHECK_CONTAINS(got, "error 3: ");
          } else if (strcmp(got, want) != 0) {
            fprintf(stderr, "  %s%s is %s, want %s\n", CALLS[c].fn, call, got,
                    want);
            check_failures++;
          }
          tried++;
          free(call);
          free(got);
        }
      }
    }
    CHECK(records > 0); /* each of CALLS takes a record */
    json_decref(a);
    json_decref(params);
    free(want);
    free(args);
  }
  CHECK(tried > 100);
  ck_close(db);
}

/* Every function with a record parameter is in CALLS, and split's groups,
   which are regions or kinds, are not records. */
static void test_the_registry_says_which_parameters_take_records(void) {
  ck_db *db = open_pack();
  json_t *all = json_loads(ck_functions(db), 0, NULL);
  size_t i, j;
  json_t *f, *p;
  json_array_foreach(all, i, f) {
    const char *name = json_string_value(json_object_get(f, "name"));
    int records = 0;
    json_array_foreach(json_object_get(f, "params"), j, p) {
      const char *kind = json_string_value(json_object_get(p, "record"));
      if (kind) {
        records++;
        CHECK(strcmp(kind, "actor") == 0 || strcmp(kind, "entity") == 0 ||
              strcmp(kind, "metric") == 0 || strcmp(kind, "question") == 0 ||
              strcmp(kind, "framework") == 0);
      }
    }
    int listed = 0;
    for (size_t c = 0; c < sizeof CALLS / sizeof CALLS[0]; c++)
      listed |= strcmp(CALLS[c].fn, name) == 0;
    if (records && !listed)
      fprintf(stderr, "  %s takes a record but is not in CALLS\n", name);
    CHECK(!records || listed);
  }
  json_decref(all);
  json_t *split = params_of(db, "split");
  CHECK_STR(json_string_value(json_object_get(json_array_get(split, 0), "record")),
            "question");
  CHECK(!json_object_get(json_array_get(split, 2), "record"));
  CHECK(!json_object_get(json_array_get(split, 3), "record"));
  json_decref(split);
  json_t *gap = params_of(db, "gap");
  CHECK_STR(json_string_value(json_object_get(json_array_get(gap, 1), "record")),
            "entity");
  json_decref(gap);
  ck_close(db);
}

static void test_an_id_wins(void) {
  ck_db *db = open_pack();
  /* "jeff" is an actor's id and jefferies's alias. */
  CHECK_NEAR(ck_num(db, "stance", "[\"parity\", \"jeff\"]"), 1, 0);
  CHECK_NEAR(ck_num(db, "stance", "[\"parity\", \"Jeff\"]"), -1, 0);
  CHECK_NEAR(ck_num(db, "stance", "[\"parity\", \"Jeff Analyst\"]"), 1, 0);
  CHECK_NEAR(ck_num(db, "stance", "[\"parity\", \"杰富瑞\"]"), -1, 0);
  /* named arguments too */
  CHECK_NEAR(ck_num(db, "stance", "{\"actor\": \"长桥\", \"question\": \"开源追平\"}"),
             1, 0);
  ck_close(db);
}

static void test_a_name_of_several_records(void) {
  ck_db *db = open_pack();
  CHECK(isnan(ck_num(db, "stance", "[\"parity\", \"大行\"]")));
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_STR(ck_errmsg(db),
            "stance: '大行' names several actors: jefferies, ms (give the id)");
  /* a name that looks like an id, in either case */
  CHECK(isnan(ck_num(db, "track", "[\"big\"]")));
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_STR(ck_errmsg(db),
            "track: 'big' names several actors: jefferies, ms (give the id)");
  CHECK(isnan(ck_num(db, "track", "[\"Big\"]")));
  CHECK_STR(ck_errmsg(db),
            "track: 'Big' names several actors: jefferies, ms (give the id)");
  ck_close(db);
}

static void test_unknown_names_are_not_found_as_before(void) {
  ck_db *db = open_pack();
  static const struct {
    const char *fn, *args, *msg;
  } cases[] = {
      {"stance", "['parity', '无名']", "stance: no actor '无名'"},
      {"stance", "['parity', 'nobody']", "stance: no actor 'nobody'"},
      {"stance", "['Nobody Asked', 'ms']", "stance: no question 'Nobody Asked'"},
      {"track", "['Nobody']", "track: no actor 'Nobody'"},
      {"value", "['nobody', 'revenue']", "value: no entity 'nobody'"},
      {"value", "['英伟达', 'Net income']", "value: no metric 'Net income'"},
      {"series", "['Intel', 'revenue']", "series: no entity 'Intel'"},
      {"framework", "['Robots']", "framework: no framework 'Robots'"},
      {"consensus", "['开源']", "consensus: no question '开源'"},
      /* found, but no observations: the message names the ids */
      {"value", "['超威', '毛利率', '2024']",
       "value: no observations of amd / gm in 2024"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *args = dq(cases[i].args);
    CHECK(ck_call(db, cases[i].fn, args) == NULL);
    CHECK_INT(ck_errcode(db), CK_NOTFOUND);
    CHECK_STR(ck_errmsg(db), cases[i].msg);
    free(args);
  }
  ck_close(db);
}

static void test_the_typed_shortcuts(void) {
  ck_db *db = open_pack();
  CHECK_NEAR(ck_value(db, "英伟达", "收入", "2025", NULL), 105, 1e-12);
  CHECK_NEAR(ck_value(db, "nvda", "sales", "2025", ""), 105, 1e-12);
  CHECK_NEAR(ck_consensus(db, "开源追平", "n", NULL),
             ck_consensus(db, "parity", "n", NULL), 0);
  CHECK_NEAR(ck_consensus(db, "oc-parity", "n", NULL), 4, 0);
  ck_close(db);
}

/* The names are those of the data the call reads: a replaced record's
   aliases go with it, on this handle and on another one. */
static void test_names_follow_the_data(void) {
  char path[32];
  check_temp_path(path);
  ck_db *db, *other;
  CHECK_INT(ck_open(path, 0, &db), CK_OK);
  char *pack = dq(PACK);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  free(pack);
  CHECK_INT(ck_open(path, 0, &other), CK_OK);
  CHECK_NEAR(ck_value(db, "英伟达", "revenue", "2025", NULL), 105, 1e-12);
  CHECK_NEAR(ck_value(other, "英伟达", "revenue", "2025", NULL), 105, 1e-12);
  CHECK_NEAR(ck_value(other, "nvda", "revenue", "2024", NULL), 80, 1e-12);
  char *moved = dq("{'claimkit': 1, 'entities': ["
                   "{'id': 'nvidia', 'name': 'NVIDIA'},"
                   "{'id': 'amd', 'name': 'AMD', 'aliases': ['英伟达', 'nvda']}]}");
  CHECK_INT(ck_import_json(db, moved), CK_OK);
  free(moved);
  CHECK_NEAR(ck_value(db, "英伟达", "revenue", "2025", NULL), 40, 1e-12);
  CHECK_NEAR(ck_value(other, "英伟达", "revenue", "2025", NULL), 40, 1e-12);
  CHECK_NEAR(ck_value(other, "nvda", "revenue", "2024", NULL), 30, 1e-12);
  CHECK_NEAR(ck_value(db, "NVIDIA", "revenue", "2025", NULL), 105, 1e-12);
  ck_close(other);
  ck_close(db);
  check_remove_database(path);
}

/* A question's and a framework's name and aliases are checked as an
   actor's are. */
static void test_import_checks_question_names(void) {
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  char *bad = dq("{'claimkit': 1, 'questions': [{'id': 'q', 'aliases': ['ok', ' ']}]}");
  CHECK_INT(ck_import_json(db, bad), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "/questions/0/aliases/1");
  free(bad);
  bad = dq("{'claimkit': 1, 'questions': [{'id': 'q', 'name': 3}]}");
  CHECK_INT(ck_import_json(db, bad), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "/questions/0/name");
  free(bad);
  bad = dq("{'claimkit': 1, 'frameworks': [{'id': 'f', 'aliases': 'x'}]}");
  CHECK_INT(ck_import_json(db, bad), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "/frameworks/0/aliases");
  free(bad);
  ck_close(db);
}

/* Lua's ck functions go through the same registry. */
static void test_from_lua(void) {
  ck_db *db = open_pack();
  int rc = ck_script(db,
                     "assert(ck.stance('开源追平', '长桥') == 1)\n"
                     "assert(ck.value('NVDA', 'Revenue', '2025') == 105)\n"
                     "assert(ck.value('nvda', 'sales', '2025') == 105)\n",
                     "names");
  if (rc != CK_OK)
    fprintf(stderr, "  %s\n", ck_errmsg(db));
  CHECK_INT(rc, CK_OK);
  ck_close(db);
}

/* A function registered from Lua says which parameters take records, and
   gets ids for names; an id-like alias is looked up before it runs (its
   failure would be CK_SCRIPT, not CK_NOTFOUND). */
static void test_lua_registered_records(void) {
  ck_db *db = open_pack();
  int rc = ck_script(
      db,
      "ck.register{name = 'who', returns = 'string',\n"
      "  params = {{name = 'actor', type = 'string', record = 'actor'},\n"
      "            {name = 'note', type = 'string', default = ''}},\n"
      "  fn = function(a, note) return a .. note end}",
      "reg");
  if (rc != CK_OK)
    fprintf(stderr, "  %s\n", ck_errmsg(db));
  CHECK_INT(rc, CK_OK);
  CHECK_STR(ck_call(db, "who", "[\"长桥\"]"), "\"changqiao\"");
  CHECK_STR(ck_call(db, "who", "[\"longbridge\", \"长桥\"]"), "\"changqiao长桥\"");
  CHECK_STR(ck_call(db, "who", "[\"jeff\"]"), "\"jeff\"");
  CHECK_STR(ck_call(db, "who", "[\"nobody\"]"), "\"nobody\"");
  CHECK(ck_call(db, "who", "[\"大行\"]") == NULL);
  CHECK_INT(ck_errcode(db), CK_INVALID);
  CHECK_CONTAINS(ck_functions(db), "\"record\":\"actor\"");
  CHECK_INT(ck_script(db,
                      "ck.register{name = 'bad', params = {{name = 'x', "
                      "record = 'source'}}, fn = function(x) return x end}",
                      "reg"),
            CK_SCRIPT);
  CHECK_CONTAINS(ck_errmsg(db), "record 'source' is not one of actor");
  ck_close(db);
}

int main(int argc, char **argv) {
  static const check_test tests[] = {
      T(test_every_record_parameter_takes_names),
      T(test_the_registry_says_which_parameters_take_records),
      T(test_an_id_wins),
      T(test_a_name_of_several_records),
      T(test_unknown_names_are_not_found_as_before),
      T(test_the_typed_shortcuts),
      T(test_names_follow_the_data),
      T(test_import_checks_question_names),
      T(test_from_lua),
      T(test_lua_registered_records),
  };
  return check_run(tests, sizeof tests / sizeof tests[0], argc, argv);
}

/*
** test_pure.c -- the pure functions behind import and export: dates,
** periods, canonical JSON, FNV-1a, ids, filter parsing, Lua values as
** JSON.
*/
#include "check.h"
#include "internal.h"
#include "canon.h"
#include "filter.h"
#include "periods.h"
#include "storage.h"
#include "lua_json.h"

#include <lauxlib.h>
#include <lualib.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char norm[CK_PERIOD_MAX];

static const char *period(const char *s) {
  return period_normalise(s, norm) == 0 ? norm : "(invalid)";
}

static char end[11];
static const char *period_last_day(const char *s) {
  return period_end(s, end) == 0 ? end : "(invalid)";
}

TEST(dates_accept_only_real_calendar_days) {
  CHECK(date_valid("2026-04-28"));
  CHECK(date_valid("2024-02-29"));
  CHECK(!date_valid("2026-02-29"));
  CHECK(!date_valid("1900-02-29"));
  CHECK(date_valid("2000-02-29"));
  CHECK(!date_valid("2026-13-01"));
  CHECK(!date_valid("2026-04-31"));
  CHECK(!date_valid("2026-4-28"));
  CHECK(!date_valid("2026-04-28T00:00"));
  CHECK(!date_valid(""));
}

TEST(iso_periods_normalise_to_themselves) {
  CHECK_STR(period("2026"), "2026");
  CHECK_STR(period("2025-H2"), "2025-H2");
  CHECK_STR(period("2026-Q1"), "2026-Q1");
  CHECK_STR(period("2026-q4"), "2026-Q4");
  CHECK_STR(period("2026-03"), "2026-03");
  CHECK_STR(period("2026-W05"), "2026-W05");
  CHECK_STR(period("2026-04-24"), "2026-04-24");
}

TEST(bad_periods_are_refused) {
  CHECK_STR(period("2026-H3"), "(invalid)");
  CHECK_STR(period("2026-Q5"), "(invalid)");
  CHECK_STR(period("2026-Q0"), "(invalid)");
  CHECK_STR(period("2026-13"), "(invalid)");
  CHECK_STR(period("2026-W00"), "(invalid)");
  CHECK_STR(period("2027-W53"), "(invalid)");
  CHECK_STR(period("2026-02-30"), "(invalid)");
  CHECK_STR(period("26-03"), "(invalid)");
  CHECK_STR(period("March 2026"), "(invalid)");
  CHECK_STR(period(""), "(invalid)");
  CHECK_STR(period("2026-03 "), "(invalid)");
  CHECK_STR(period("2026年13月"), "(invalid)");
  CHECK_STR(period("2026年第五季度"), "(invalid)");
  CHECK_STR(period("2026年3月32日"), "(invalid)");
}

TEST(periods_as_analysts_type_them) {
  CHECK_STR(period("3Q23"), "2023-Q3");
  CHECK_STR(period("3q2023"), "2023-Q3");
  CHECK_STR(period("2023Q3"), "2023-Q3");
  CHECK_STR(period("2023 Q3"), "2023-Q3");
  CHECK_STR(period("Q3 2023"), "2023-Q3");
  CHECK_STR(period("Q3-23"), "2023-Q3");
  CHECK_STR(period("q4'24"), "2024-Q4");
  CHECK_STR(period("1H24"), "2024-H1");
  CHECK_STR(period("H2 2025"), "2025-H2");
  CHECK_STR(period("2024H1"), "2024-H1");
  CHECK_STR(period("FY2024"), "2024");
  CHECK_STR(period("FY24"), "2024");
  CHECK_STR(period("fy '22"), "2022");
  CHECK_STR(period("2023年三季度"), "2023-Q3");
  CHECK_STR(period("2024年上半年"), "2024-H1");
  /* and what they are not */
  CHECK_STR(period("5Q23"), "(invalid)");
  CHECK_STR(period("Q0 2023"), "(invalid)");
  CHECK_STR(period("3H24"), "(invalid)");
  CHECK_STR(period("3Q235"), "(invalid)");
  CHECK_STR(period("FY"), "(invalid)");
  CHECK_STR(period("FY2024x"), "(invalid)");
  CHECK_STR(period("2023Q3x"), "(invalid)");
  CHECK_STR(period("20233"), "(invalid)");
  CHECK_STR(period("Q3"), "(invalid)");
  CHECK_STR(period("3X23"), "(invalid)");
  CHECK_STR(period("3"), "(invalid)");
  CHECK_STR(period("Q"), "(invalid)");
  CHECK_STR(period("F"), "(invalid)");
}

TEST(week_53_exists_only_in_long_iso_years) {
  CHECK_STR(period("2020-W53"), "2020-W53"); /* 2020 began on a Wednesday, leap */
  CHECK_STR(period("2026-W53"), "2026-W53"); /* began on a Thursday */
  CHECK_STR(period("2015-W53"), "2015-W53"); /* began on a Thursday */
  CHECK_STR(period("2025-W53"), "(invalid)");
  CHECK_STR(period("2027-W53"), "(invalid)");
}

TEST(chinese_periods_normalise) {
  CHECK_STR(period("2026年3月"), "2026-03");
  CHECK_STR(period("2026年03月"), "2026-03");
  CHECK_STR(period("2026年三月"), "2026-03");
  CHECK_STR(period("2026年三月份"), "2026-03");
  CHECK_STR(period("2026年十二月"), "2026-12");
  CHECK_STR(period("2026年十一月"), "2026-11");
  CHECK_STR(period("2025年下半年"), "2025-H2");
  CHECK_STR(period("2025年上半年"), "2025-H1");
  CHECK_STR(period("2026年一季度"), "2026-Q1");
  CHECK_STR(period("2026年第一季度"), "2026-Q1");
  CHECK_STR(period("2026年第4季度"), "2026-Q4");
  CHECK_STR(period("2025年年末"), "2025-12");
  CHECK_STR(period("2025年年底"), "2025-12");
  CHECK_STR(period("2025年末"), "2025-12");
  CHECK_STR(period("2026年"), "2026");
  CHECK_STR(period("2026年4月24日"), "2026-04-24");
  CHECK_STR(period("2026年4月24号"), "2026-04-24");
  CHECK_STR(period("2026年二十四月"), "(invalid)");
}

TEST(a_period_ends_on_its_last_day) {
  CHECK_STR(period_last_day("2026"), "2026-12-31");
  CHECK_STR(period_last_day("2025-H1"), "2025-06-30");
  CHECK_STR(period_last_day("2025-H2"), "2025-12-31");
  CHECK_STR(period_last_day("2026-Q1"), "2026-03-31");
  CHECK_STR(period_last_day("2026-Q3"), "2026-09-30");
  CHECK_STR(period_last_day("2024-02"), "2024-02-29");
  CHECK_STR(period_last_day("2026-02"), "2026-02-28");
  CHECK_STR(period_last_day("2026-04-24"), "2026-04-24");
  /* ISO weeks end on Sunday; week 1 holds January 4th. */
  CHECK_STR(period_last_day("2026-W01"), "2026-01-04");
  CHECK_STR(period_last_day("2026-W17"), "2026-04-26");
  CHECK_STR(period_last_day("2021-W01"), "2021-01-10");
  CHECK_STR(period_last_day("2020-W53"), "2021-01-03");
  CHECK_STR(period_last_day("2026年3月"), "(invalid)"); /* ISO forms only */
}

static const char *number_text(double d) {
  static char out[64];
  strbuf sb;
  sb_init(&sb);
  canon_number(&sb, d);
  snprintf(out, sizeof out, "%s", sb.data);
  sb_free(&sb);
  return out;
}

TEST(numbers_are_written_as_python_repr_writes_them) {
  static const struct {
    double d;
    const char *text;
  } cases[] = {
      {57.05, "57.05"},
      {0.1, "0.1"},
      {1e+16, "1e+16"},
      {1000000000000000.0, "1000000000000000.0"},
      {1.5e+16, "1.5e+16"},
      {0.0001, "0.0001"},
      {1e-05, "1e-05"},
      {1.2345678901234568e+17, "1.2345678901234568e+17"},
      {20600000000000.0, "20600000000000.0"},
      {-0.15, "-0.15"},
      {1e-07, "1e-07"},
      {5e-324, "5e-324"},
      {1.7976931348623157e+308, "1.7976931348623157e+308"},
      {0.5, "0.5"},
      {100.0, "100.0"},
      {-0.0, "-0.0"},
      {330000000.0, "330000000.0"},
      {1e+22, "1e+22"},
      {0.6666666666666666, "0.6666666666666666"},
      {1.2345678e-07, "1.2345678e-07"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    CHECK_STR(number_text(cases[i].d), cases[i].text);
  CHECK_STR(number_text(INFINITY), "null");
  CHECK_STR(number_text(NAN), "null");
}

/* The rendering the shortcut in canon_number must agree with: every
   precision from one digit up, the first that reads back. */
static void shortest_digits(double d, char *out, size_t n) {
  for (int prec = 0; prec <= 16; prec++) {
    snprintf(out, n, "%.*e", prec, d);
    if (strtod(out, NULL) == d)
      return;
  }
}

static uint64_t next_random(uint64_t *state) { /* splitmix64 */
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

TEST(numbers_take_the_shortest_rendering_that_reads_back) {
  /* Random bit patterns, small subnormals (fewer digits tell them apart) and short
     decimals (what packs hold), each checked against the digit-by-digit
     search: the same digits and exponent. */
  uint64_t state = 20261202;
  int mismatches = 0;
  for (int i = 0; i < 20000; i++) {
    uint64_t r = next_random(&state);
    double d;
    if (i % 4 == 3) {
      d = (double)(r % 100000 + 1) * 4.9406564584124654e-324; /* subnormal */
    } else if (i % 2) {
      memcpy(&d, &r, sizeof d);
      if (!isfinite(d) || d == 0)
        continue;
    } else {
      char text[40];
      snprintf(text, sizeof text, "%llue%d",
               (unsigned long long)(r % 100000000000000000ULL) >>
                   (r >> 58),
               (int)((r >> 40) % 80) - 40);
      d = strtod(text, NULL);
      if (d == 0)
        continue;
    }
    char want[40];
    shortest_digits(d, want, sizeof want);
    char *got = (char *)number_text(d);
    double back = strtod(got, NULL);
    if (back != d || strtod(want, NULL) != d)
      mismatches++;
    /* The same significant digits: compare the digits of both texts. */
    char wd[32] = {0}, gd[32] = {0};
    size_t wn = 0, gn = 0;
    for (const char *p = want; *p && *p != 'e' && wn < 31; p++)
      if (*p >= '0' && *p <= '9')
        wd[wn++] = *p;
    while (wn > 1 && wd[wn - 1] == '0')
      wd[--wn] = 0;
    for (const char *p = got; *p && *p != 'e' && gn < 31; p++)
      if (*p >= '0' && *p <= '9' && (gn || *p != '0'))
        gd[gn++] = *p;
    while (gn > 1 && gd[gn - 1] == '0')
      gd[--gn] = 0;
    if (strcmp(wd, gd) != 0 && mismatches++ < 5)
      fprintf(stderr, "  %.17g: '%s' but the search gives '%s'\n", d, got,
              want);
  }
  CHECK_INT(mismatches, 0);
}

TEST(a_marked_dump_says_where_a_member_sorts_in) {
  static const struct {
    const char *json;
    size_t at;
  } cases[] = {
      {"{}", 1},                      /* alone: {"id":...} */
      {"{\"a\": 1}", 6},              /* last: {"a":1,"id":...} */
      {"{\"z\": 1}", 1},              /* first */
      {"{\"z\": 1, \"a\": [2]}", 9}, /* between: {"a":[2],"id":..,"z":1} */
      {"{\"type\": 1, \"a\": 2}", 7}, /* {"a":2,"id":..,"type":1} */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *v = json_loads(cases[i].json, 0, NULL);
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "xy"); /* offsets count from the start of the buffer */
    CHECK_INT((long long)canon_dump_marking(&sb, v, "id"),
              (long long)cases[i].at + 2);
    sb_free(&sb);
    json_decref(v);
  }
}

static char *dump(const char *json, int indent) {
  json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
  strbuf sb;
  sb_init(&sb);
  canon_dump(&sb, v, indent, 0, 1);
  json_decref(v);
  return sb_take(&sb);
}

TEST(canonical_json_sorts_keys_and_escapes_like_python) {
  char *s = dump("{\"b\": [1, 2.50, {\"z\": null, \"a\": true}], \"a\": "
                 "\"q\\\"\\\\\\n\\u0001\\u007f/é\"}",
                 0);
  CHECK_STR(s, "{\"a\":\"q\\\"\\\\\\n\\u0001\x7f/é\",\"b\":[1,2.5,{\"a\":true,"
               "\"z\":null}]}");
  free(s);
  s = dump("{\"b\": [], \"a\": {\"x\": [1]}, \"c\": {}}", 2);
  CHECK_STR(s, "{\n  \"a\": {\n    \"x\": [\n      1\n    ]\n  },\n  \"b\": "
               "[],\n  \"c\": {}\n}");
  free(s);
}

TEST(fnv1a64_matches_the_reference_vectors) {
  CHECK(fnv1a64("", 0) == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64("a", 1) == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv1a64("foobar", 6) == 0x85944171f73967e8ULL);
}

TEST(ids_are_1_to_64_lowercase_characters) {
  CHECK(id_valid("open-closed-parity"));
  CHECK(id_valid("a"));
  CHECK(id_valid("deepseek-v4.pro_2"));
  CHECK(!id_valid(""));
  CHECK(!id_valid("Jefferies"));
  CHECK(!id_valid("two words"));
  CHECK(!id_valid("a/b"));
  CHECK(!id_valid("中文"));
  char long_id[66];
  memset(long_id, 'x', 65);
  long_id[65] = '\0';
  CHECK(!id_valid(long_id));
  long_id[64] = '\0';
  CHECK(id_valid(long_id));
}

TEST(filters_parse_known_keys_and_refuse_others) {
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  ck_filter f;
  CHECK_INT(filter_parse(db, "region=overseas  tag=divergence since=2026-01-01",
                         &f),
            CK_OK);
  CHECK_INT(f.n, 3);
  CHECK_INT(f.terms[0].key, FK_REGION);
  CHECK_STR(f.terms[0].value, "overseas");
  CHECK_INT(f.terms[2].key, FK_SINCE);
  filter_free(&f);
  CHECK_INT(filter_parse(db, "", &f), CK_OK);
  CHECK_INT(f.n, 0);
  CHECK_INT(filter_parse(db, NULL, &f), CK_OK);
  CHECK_INT(filter_parse(db, "colour=red", &f), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "unknown key 'colour'");
  CHECK_INT(filter_parse(db, "region", &f), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "'region' is not a key=value term");
  CHECK_INT(filter_parse(db, "until=2026-02-30", &f), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "until=2026-02-30 is not a date");
  ck_close(db);
}

TEST(a_cached_statement_in_use_is_never_handed_out_twice) {
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  const char *sql = "SELECT value FROM json_each('[1, 2, 3]')";
  sqlite3_stmt *a, *b, *c;
  CHECK_INT(storage_cached(db, sql, &a), CK_OK);
  CHECK_INT(sqlite3_step(a), SQLITE_ROW); /* a is mid-iteration */
  CHECK_INT(storage_cached(db, sql, &b), CK_OK);
  CHECK(b != a);
  CHECK_INT(sqlite3_step(b), SQLITE_ROW);
  CHECK_INT(sqlite3_column_int(b, 0), 1); /* b starts from the top */
  CHECK_INT(sqlite3_step(a), SQLITE_ROW);
  CHECK_INT(sqlite3_column_int(a, 0), 2); /* a goes on where it was */
  storage_release(db, b);                 /* private: finalized */
  storage_release(db, a);                 /* cached: reset */
  CHECK_INT(storage_cached(db, sql, &c), CK_OK);
  CHECK(c == a);
  CHECK_INT(sqlite3_step(c), SQLITE_ROW);
  CHECK_INT(sqlite3_column_int(c, 0), 1);
  storage_release(db, c);
  ck_close(db);
}

/* Each table converted used to leave a key on the Lua stack, so that a
   list of a million records failed as "nested too deeply". */
TEST(lua_tables_become_json_and_leave_the_lua_stack_as_it_was) {
  static const struct {
    const char *lua, *json;
  } cases[] = {
      {"return {b = 1, a = 'x'}", "{\"a\":\"x\",\"b\":1}"},
      {"return {{a = 1}, {b = {c = {}}}, 2.5}",
       "[{\"a\":1},{\"b\":{\"c\":[]}},2.5]"},
      {"return {x = {y = {z = true}}, w = {1, 2}}",
       "{\"w\":[1,2],\"x\":{\"y\":{\"z\":true}}}"},
  };
  lua_State *L = luaL_newstate();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CHECK_INT(luaL_dostring(L, cases[i].lua), LUA_OK);
    int top = lua_gettop(L);
    char err[128];
    json_t *v = ckl_to_json(L, -1, err, sizeof err);
    CHECK_INT(lua_gettop(L), top);
    char *text = canon_text(v, 0, 1);
    CHECK_STR(text, cases[i].json);
    free(text);
    json_decref(v);
    lua_settop(L, 0);
  }
  /* Many records, each an object: the stack stays where it was. */
  CHECK_INT(luaL_dostring(L, "local t = {} for i = 1, 50000 do "
                             "t[i] = {id = 'r' .. i} end return t"),
            LUA_OK);
  char err[128];
  json_t *v = ckl_to_json(L, -1, err, sizeof err);
  CHECK(v != NULL);
  CHECK_INT(lua_gettop(L), 1);
  CHECK_STR(json_string_value(json_object_get(json_array_get(v, 49999), "id")),
            "r50000");
  json_decref(v);
  lua_close(L);
}

CHECK_MAIN(T(a_cached_statement_in_use_is_never_handed_out_twice),
           T(dates_accept_only_real_calendar_days),
           T(iso_periods_normalise_to_themselves),
           T(bad_periods_are_refused),
           T(periods_as_analysts_type_them),
           T(week_53_exists_only_in_long_iso_years),
           T(chinese_periods_normalise),
           T(a_period_ends_on_its_last_day),
           T(numbers_are_written_as_python_repr_writes_them),
           T(numbers_take_the_shortest_rendering_that_reads_back),
           T(a_marked_dump_says_where_a_member_sorts_in),
           T(canonical_json_sorts_keys_and_escapes_like_python),
           T(fnv1a64_matches_the_reference_vectors),
           T(ids_are_1_to_64_lowercase_characters),
           T(filters_parse_known_keys_and_refuse_others),
           T(lua_tables_become_json_and_leave_the_lua_stack_as_it_was))

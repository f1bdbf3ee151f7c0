/*
** test_sheet.c -- claim sheets: the CSV reader and writer (sheet.c, pure)
** on every quoting rule, and ck_import_file() on .csv files: typed cells,
** messages that name the line and column, a refused sheet changing
** nothing, and sheet() -> import -> export giving back the same claims.
*/
#include "check.h"

#include "internal.h"

/* Packs are written with ' for " to keep them readable here. */
static char *dq(const char *s) {
  char *r = strdup(s);
  for (char *p = r; *p; p++)
    if (*p == '\'')
      *p = '"';
  return r;
}

static const char *const DIMENSIONS =
    "{'sources': [{'id': 'm1', 'kind': 'transcript', 'date': '2026-04-28'}],"
    " 'actors': [{'id': 'citic', 'name': 'CITIC', 'region': 'domestic'},"
    "            {'id': 'ms', 'name': 'Morgan Stanley', 'region': 'overseas'}],"
    " 'entities': [{'id': 'deepseek', 'name': 'DeepSeek'}],"
    " 'metrics': [{'id': 'users', 'name': 'users', 'unit': 'people'}],"
    " 'questions': [{'id': 'parity', 'text': 'Open equals closed?',"
    "                'scale': [-2, 2]}]}";

static ck_db *with_dimensions(void) {
  ck_db *db;
  CHECK_INT(ck_open(":memory:", 0, &db), CK_OK);
  char *pack = dq(DIMENSIONS);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  free(pack);
  return db;
}

static char sheet_dir[32];

/* Writes `text` to a file called `name` in the test's directory. */
static const char *sheet_file(const char *name, const char *text) {
  static char path[128];
  if (!*sheet_dir) {
    snprintf(sheet_dir, sizeof sheet_dir, "/tmp/ck_sheet_XXXXXX");
    CHECK(mkdtemp(sheet_dir) != NULL);
  }
  snprintf(path, sizeof path, "%s/%s", sheet_dir, name);
  FILE *f = fopen(path, "wb");
  fwrite(text, 1, strlen(text), f);
  fclose(f);
  return path;
}

static char *export_of(ck_db *db) {
  const char *pack = ck_export_json(db, NULL);
  return strdup(pack ? pack : "(export failed)");
}

/* ---- the reader ---------------------------------------------------------- */

/* The records of `csv`, cells joined with '|' and records with '#'. */
static char *read_all(const char *csv, long *last_line, const char **err) {
  FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
  sheet_reader r;
  sheet_open(&r, f);
  strbuf out;
  sb_init(&out);
  int got;
  *err = NULL;
  while ((got = sheet_next(&r, err)) == 1) {
    for (size_t i = 0; i < r.ncells; i++) {
      sb_puts(&out, sheet_cell(&r, i));
      sb_puts(&out, i + 1 < r.ncells ? "|" : "#");
    }
    *last_line = r.record_line;
  }
  if (got < 0) {
    *last_line = r.record_line;
    if (!*err)
      *err = "(no reason)";
  }
  sheet_close(&r);
  fclose(f);
  return sb_take(&out);
}

TEST(the_reader_follows_rfc_4180) {
  static const char *const cases[][2] = {
      {"a,b,c\n1,2,3\n", "a|b|c#1|2|3#"},
      {"a,b\r\n1,2\r\n", "a|b#1|2#"},                  /* CRLF */
      {"a,b\n1,2", "a|b#1|2#"},                        /* no final LF */
      {"\xEF\xBB\xBF" "a,b\n", "a|b#"},               /* a BOM */
      {"a,,c\n,,\n", "a||c#||#"},                       /* empty cells */
      {"\"x,y\",\"say \"\"hi\"\"\"\n", "x,y|say \"hi\"#"},
      {"\"two\nlines\",z\n", "two\nlines|z#"},
      {"\"crlf\r\ninside\",z\r\n", "crlf\ninside|z#"}, /* CRLF -> LF */
      {"\"\",x\n", "|x#"},                             /* quoted empty */
      {" a , b \n", " a | b #"},                       /* spaces kept */
      {"中文,\"引号，逗号\"\n", "中文|引号，逗号#"},
      {"a\rb,c\n", "a\rb|c#"}, /* a lone CR is text */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    long line = 0;
    const char *err;
    char *got = read_all(cases[i][0], &line, &err);
    if (err)
      fprintf(stderr, "  case %zu: %s\n", i, err);
    CHECK(err == NULL);
    CHECK_STR(got, cases[i][1]);
    free(got);
  }
}

TEST(a_record_is_numbered_by_the_line_it_starts_on) {
  long line = 0;
  const char *err;
  char *got = read_all("h\n\"a\nb\nc\"\nlast\n", &line, &err);
  CHECK_STR(got, "h#a\nb\nc#last#");
  CHECK_INT(line, 5);
  free(got);
}

TEST(malformed_quoting_is_refused_with_the_line) {
  static const struct {
    const char *csv, *why;
    long line;
  } cases[] = {
      {"h\nab\"c\",d\n", "a quote inside a cell", 2},
      {"h\n\"ab\"c,d\n", "text after the closing quote", 2},
      {"h\nx\n\"open\nstill open\n", "not closed before the end", 3},
      {"h\nx\0y\n", "NUL byte", 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    long line = 0;
    const char *err = NULL;
    size_t len = strlen(cases[i].csv);
    if (i == 3)
      len = 7; /* the NUL is inside */
    FILE *f = fmemopen((void *)cases[i].csv, len, "rb");
    sheet_reader r;
    sheet_open(&r, f);
    int got;
    while ((got = sheet_next(&r, &err)) == 1)
      ;
    line = r.record_line;
    sheet_close(&r);
    fclose(f);
    CHECK_INT(got, SHEET_BAD);
    CHECK_CONTAINS(err, cases[i].why);
    CHECK_INT(line, cases[i].line);
  }
}

/* Cells made of the characters that need quoting, written and read back. */
TEST(what_the_writer_writes_the_reader_reads_back) {
  static const char *const alphabet[] = {"a", ",", "\"", "\n", "\r\n", " ",
                                         "中", ";", "x y", "\t", "\r",
                                         "\xEF\xBB\xBF"};
  unsigned seed = 12345;
  for (int round = 0; round < 2000; round++) {
    size_t ncells = 1 + round % 5;
    char cells[5][64];
    strbuf csv;
    sb_init(&csv);
    for (size_t c = 0; c < ncells; c++) {
      cells[c][0] = '\0';
      size_t parts = (seed = seed * 1103515245u + 12345u) >> 16 & 7;
      for (size_t k = 0; k < parts; k++) {
        seed = seed * 1103515245u + 12345u;
        strcat(cells[c], alphabet[(seed >> 16) % 12]);
      }
      sheet_put(&csv, cells[c], c + 1 == ncells);
    }
    FILE *f = fmemopen(csv.data, csv.len, "rb");
    sheet_reader r;
    const char *err;
    sheet_open(&r, f);
    CHECK_INT(sheet_next(&r, &err), 1);
    CHECK_INT(r.ncells, ncells);
    for (size_t c = 0; c < ncells && c < r.ncells; c++) {
      /* a CRLF inside a cell reads back as LF, as spreadsheets keep it */
      char want[64], *w = want;
      for (const char *p = cells[c]; *p; p++)
        if (!(p[0] == '\r' && p[1] == '\n'))
          *w++ = *p;
      *w = '\0';
      CHECK_STR(sheet_cell(&r, c), want);
    }
    CHECK_INT(sheet_next(&r, &err), 0);
    sheet_close(&r);
    fclose(f);
    sb_free(&csv);
  }
}

/* ---- import ---------------------------------------------------------------- */

TEST(a_sheet_imports_its_rows_as_typed_claims) {
  ck_db *db = with_dimensions();
  const char *path = sheet_file(
      "claims.csv",
      "\xEF\xBB\xBF" "Source,Actor,Locator,Quote,Tags,Question,Stance,"
      "Entity,Metric,Period,Value,Quantity,desk note\r\n"
      "m1,citic,00:23,\"已经追平, 他们说\",divergence; long-run,parity,2,,,,,"
      ",\"a \"\"note\"\"\"\r\n"
      "\r\n"
      "m1,ms,01:02,\"two\r\nlines\",,parity,-1,,,,,,\r\n"
      "m1,citic,02:00,,,,,deepseek,users,2026年3月,120,,\r\n"
      "m1,citic,02:10,,,,,deepseek,users,2026-04,1.5e2,,\r\n"
      "m1,ms,02:20,,,,,deepseek,users,2026-04,,两百多万人,\r\n");
  CHECK_INT(ck_import_file(db, path), CK_OK);
  const char *rows = ck_call(db, "claims", "[]");
  json_t *claims = json_loads(rows, 0, NULL);
  CHECK_INT(json_array_size(claims), 5);
  json_t *c0 = json_array_get(claims, 0);
  CHECK_STR(json_string_value(json_object_get(c0, "quote")),
            "已经追平, 他们说");
  CHECK_INT(json_array_size(json_object_get(c0, "tags")), 2);
  CHECK_STR(json_string_value(
                json_array_get(json_object_get(c0, "tags"), 1)),
            "long-run");
  CHECK(json_is_integer(json_object_get(c0, "stance")));
  CHECK_STR(json_string_value(json_object_get(c0, "desk note")),
            "a \"note\"");
  CHECK(json_object_get(c0, "entity") == NULL); /* empty: absent */
  json_t *c1 = json_array_get(claims, 1);
  CHECK_STR(json_string_value(json_object_get(c1, "quote")), "two\nlines");
  CHECK_INT(json_integer_value(json_object_get(c1, "stance")), -1);
  json_t *c2 = json_array_get(claims, 2);
  CHECK(json_is_integer(json_object_get(c2, "value")));
  CHECK_STR(json_string_value(json_object_get(c2, "period")), "2026-03");
  CHECK(json_is_real(json_object_get(json_array_get(claims, 3), "value")));
  json_decref(claims);
  CHECK_NEAR(ck_num(db, "value", "[\"deepseek\", \"users\", \"2026-03\"]"),
             120, 0);
  CHECK_NEAR(ck_num(db, "consensus", "[\"parity\", \"n\"]"), 2, 0);
  ck_close(db);
}

TEST(a_bad_cell_is_named_by_file_line_and_column) {
  static const struct {
    const char *row, *message;
  } cases[] = {
      {"m1,citic,parity,x,,,,", "claims.csv:4: stance: 'x' is not an integer"},
      {"m1,citic,parity,1.5,,,,", "claims.csv:4: stance: '1.5' is not an "
                                  "integer"},
      {"m1,citic,parity,3,,,,", "claims.csv:4: stance: 3 is outside the "
                                "scale -2..2 of question 'parity'"},
      {"m1,citic,,,deepseek,users,\"1,5\",", "claims.csv:4: value: '1,5' is "
                                             "not a number"},
      {"m1,citic,,,deepseek,users,0x10,", "claims.csv:4: value: '0x10' is "
                                          "not a number"},
      {"m1,citic,,,deepseek,users,inf,", "claims.csv:4: value: 'inf' is not "
                                         "a number"},
      {"m1,citic,,,deepseek,users,1e999,", "claims.csv:4: value: '1e999' is "
                                           "too large a number"},
      {"m1,nobody,parity,1,,,,", "claims.csv:4: actor: "},
      {"m9,citic,parity,1,,,,", "claims.csv:4: source: "},
      {"m1,citic,parity,1,,,,,surplus",
       "claims.csv:4: column 9 holds 'surplus' but the header gives it no "
       "name"},
      {"m1,ci\"tic,parity,1,,,,", "claims.csv:4: a quote inside a cell"},
      {"m1,citic,\"parity,1,,,,", "claims.csv:4: a quoted cell is not "
                                  "closed"},
      {"m1,\xff\xfe,parity,1,,,,", "claims.csv:4: actor: not UTF-8 text"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_db *db = with_dimensions();
    /* the first row's quoted cell spans two lines: line 4 is the second
       row's, not the third record's */
    char csv[512];
    snprintf(csv, sizeof csv,
             "source,actor,question,stance,entity,metric,value,note\n"
             "m1,ms,parity,1,,,,\"two\nlines\"\n%s\n",
             cases[i].row);
    const char *path = sheet_file("claims.csv", csv);
    char *before = export_of(db);
    CHECK_INT(ck_import_file(db, path), CK_INVALID);
    CHECK_CONTAINS(ck_errmsg(db), cases[i].message);
    if (!strstr(ck_errmsg(db), cases[i].message))
      fprintf(stderr, "  case %zu\n", i);
    char *after = export_of(db);
    CHECK_STR(after, before); /* the good row before it is not stored */
    free(before);
    free(after);
    ck_close(db);
  }
}

TEST(a_header_must_name_each_column_once_and_a_sheet_holds_claims) {
  static const struct {
    const char *csv, *message;
  } cases[] = {
      {"source,actor,Source\n", "claims.csv:1: the header names 'source' "
                                "twice (columns 1 and 3)"},
      {"", "is empty: a claim sheet starts with a header row"},
      {"\n\n", "is empty: a claim sheet starts with a header row"},
      {"type,id,name\nactor,x,X\n", "claims.csv:2: type: 'actor': a claim "
                                    "sheet holds claims and sources only"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_db *db = with_dimensions();
    CHECK_INT(ck_import_file(db, sheet_file("claims.csv", cases[i].csv)),
              CK_INVALID);
    CHECK_CONTAINS(ck_errmsg(db), cases[i].message);
    ck_close(db);
  }
  /* A header alone is a sheet of no claims; "type" may say claim; a
     trailing empty column is no column; any case of ".csv" is a sheet. */
  ck_db *db = with_dimensions();
  CHECK_INT(ck_import_file(db, sheet_file("only.CSV", "source,actor\r\n")),
            CK_OK);
  CHECK_INT(ck_import_file(db, sheet_file("typed.csv",
                                          "type,source,actor,question,stance,"
                                          "\nclaim,m1,ms,parity,1,\n")),
            CK_OK);
  CHECK_NEAR(ck_num(db, "consensus", "[\"parity\", \"n\"]"), 1, 0);
  ck_close(db);
}

TEST(an_id_given_twice_in_a_sheet_names_both_lines) {
  ck_db *db = with_dimensions();
  CHECK_INT(ck_import_file(db, sheet_file("claims.csv",
                                          "id,source,actor,question,stance\n"
                                          "v1,m1,ms,parity,1\n"
                                          "v1,m1,ms,parity,2\n")),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "claims.csv:3: id: claim 'v1' is given "
                                "twice (first at ");
  CHECK_CONTAINS(ck_errmsg(db), "claims.csv:2)");
  ck_close(db);
}

/* sheet() of a database, imported into one with only its dimensions,
   exports the same pack byte for byte. */
TEST(a_sheet_of_the_claims_imports_back_to_the_same_claims) {
  ck_db *db = with_dimensions();
  char *pack = dq(
      "{'claims': ["
      " {'id': 'v1', 'source': 'm1', 'actor': 'citic', 'question': 'parity',"
      "  'stance': 2, 'quote': 'said \\'yes\\', then, \\nno', 'tags': ['a',"
      "  'b c'], 'as_of': '2026-04-29', 'desk': 'x,y'},"
      " {'source': 'm1', 'actor': 'ms', 'question': 'parity', 'stance': -2,"
      "  'locator': ' 12:00 ', 'extra': 'seven'},"
      " {'source': 'm1', 'actor': 'ms', 'entity': 'deepseek',"
      "  'metric': 'users', 'period': '2026-Q1', 'value': 57.0},"
      " {'source': 'm1', 'actor': 'citic', 'entity': 'deepseek',"
      "  'metric': 'users', 'period': '2026', 'lo': 1, 'hi': 2.5e20, 'unit': 'people'},"
      " {'source': 'm1', 'actor': 'citic', 'entity': 'deepseek',"
      "  'metric': 'users', 'period': '2026-04', 'quantity': '两百多万人'}]}");
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  if (ck_errcode(db) != CK_OK)
    fprintf(stderr, "  %s\n", ck_errmsg(db));
  free(pack);
  const char *out = ck_call(db, "sheet", "[]");
  json_t *text = json_loads(out, JSON_DECODE_ANY, NULL);
  CHECK(json_is_string(text));
  const char *csv = json_string_value(text);
  CHECK(strncmp(csv, "id,source,actor,locator,quote,as_of,tags,question,"
                     "stance,entity,metric,period,value,lo,hi,quantity,unit,"
                     "desk,extra\r\n", 92) == 0);
  CHECK_CONTAINS(csv, ",a;b c,");
  CHECK_CONTAINS(csv, "\"said \"\"yes\"\", then, \nno\"");
  CHECK_CONTAINS(csv, ",57.0,");
  const char *path = sheet_file("back.csv", csv);
  ck_db *copy = with_dimensions();
  CHECK_INT(ck_import_file(copy, path), CK_OK);
  if (ck_errcode(copy) != CK_OK)
    fprintf(stderr, "  %s\n", ck_errmsg(copy));
  char *want = export_of(db), *got = export_of(copy);
  CHECK_STR(got, want);
  free(want);
  free(got);
  json_decref(text);
  /* a filter picks the rows; claims given are laid out as they are */
  out = ck_call(db, "sheet", "[\"actor=citic\"]");
  CHECK_CONTAINS(out, "v1,m1,citic");
  CHECK(strstr(out, ",ms,") == NULL);
  out = ck_call(db, "sheet",
                "{\"claims\": [{\"source\": \"m1\", \"actor\": null, "
                "\"stance\": 1}]}");
  CHECK_CONTAINS(out, "\\r\\n,m1,,,,,,,1,");
  CHECK(ck_call(db, "sheet", "{\"claims\": [1]}") == NULL);
  CHECK_CONTAINS(ck_errmsg(db), "sheet: claims/0 must be a claim object");
  ck_close(copy);
  ck_close(db);
}

static void remove_sheet_dir(void) {
  static const char *const names[] = {"claims.csv", "only.CSV", "typed.csv",
                                      "back.csv"};
  char path[128];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", sheet_dir, names[i]);
    unlink(path);
  }
  rmdir(sheet_dir);
}

TEST(cleanup) { remove_sheet_dir(); }

CHECK_MAIN(T(the_reader_follows_rfc_4180),
           T(a_record_is_numbered_by_the_line_it_starts_on),
           T(malformed_quoting_is_refused_with_the_line),
           T(what_the_writer_writes_the_reader_reads_back),
           T(a_sheet_imports_its_rows_as_typed_claims),
           T(a_bad_cell_is_named_by_file_line_and_column),
           T(a_header_must_name_each_column_once_and_a_sheet_holds_claims),
           T(an_id_given_twice_in_a_sheet_names_both_lines),
           T(a_sheet_of_the_claims_imports_back_to_the_same_claims),
           T(cleanup))

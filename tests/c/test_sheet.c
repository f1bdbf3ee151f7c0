/*
** test_sheet.c -- claim sheets: the CSV reader and writer (sheet.c, pure)
** on every quoting rule, and ck_import_file() on .csv files: typed cells,
** messages that name the line and column, a refused sheet changing
** nothing, and sheet() -> import -> export giving back the same claims.
*/
#include "check.h"

#include "internal.h"
#include "sheet.h"

#include <dirent.h>
#include <time.h>

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

/* The import tests run twice: the second time every handle reads any sheet
   on a second thread (import_reader.c), which must say and store the
   same. */
static int two_threads;

static void threads_of(ck_db *db) {
  if (two_threads)
    db->threaded_bytes = 0;
}

static ck_db *with_dimensions(void) {
  ck_db *db;
  CHECK_INT(ck_open(":memory:", 0, &db), CK_OK);
  threads_of(db);
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
      {"\"crlf\r\ninside\",z\r\n", "crlf\r\ninside|z#"}, /* as written */
      {"\"cr\ralone\",z\r", "cr\ralone|z#"},
      {"\"\",x\n", "|x#"},                             /* quoted empty */
      {" a , b \n", " a | b #"},                       /* spaces kept */
      {"中文,\"引号，逗号\"\n", "中文|引号，逗号#"},
      {"a\rb,c\n", "a#b|c#"},       /* a CR alone ends a line */
      {"a,b\r1,2\r\r3,4", "a|b#1|2##3|4#"}, /* classic Mac line ends */
      {"a\r\n\rb\n\nc", "a##b##c#"},
      /* from csv-spectrum */
      {"key,val\n1,\"{\"\"type\"\": \"\"Point\"\", "
       "\"\"coordinates\"\": [102.0, 0.5]}\"\n",
       "key|val#1|{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}#"},
      {"a,b\n1,\"ha \n\"\"ha\"\" \nha\"\n3,4\n", "a|b#1|ha \n\"ha\" \nha#3|4#"},
      {"a,b,c\r\n1,2,3\r\n\"Once upon \r\na time\",5,6\r\n7,8,9\r\n",
       "a|b|c#1|2|3#Once upon \r\na time|5|6#7|8|9#"},
      {"a,b,c\r\n1,\"\",\"\"\r\n2,3,4", "a|b|c#1||#2|3|4#"},
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
  /* a line ends with LF, CRLF or CR alone, in a quoted cell too */
  got = read_all("h\r\"a\rb\r\nc\"\rlast\r", &line, &err);
  CHECK_STR(got, "h#a\rb\r\nc#last#");
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
      CHECK_STR(sheet_cell(&r, c), cells[c]);
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
  CHECK_STR(json_string_value(json_object_get(c1, "quote")), "two\r\nlines");
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

/* The processor time a header of n columns, the sixth given again at the
   end, takes to refuse. */
static double wide_header(int n) {
  ck_db *db = with_dimensions();
  strbuf header;
  sb_init(&header);
  for (int i = 0; i < n; i++)
    sb_printf(&header, "c%d,", i);
  sb_puts(&header, "c5\n");
  const char *path = sheet_file("claims.csv", header.data);
  clock_t t0 = clock();
  CHECK_INT(ck_import_file(db, path), CK_INVALID);
  clock_t t1 = clock();
  char want[96];
  snprintf(want, sizeof want, "the header names 'c5' twice (columns 6 and "
           "%d)", n + 1);
  CHECK_CONTAINS(ck_errmsg(db), want);
  sb_free(&header);
  ck_close(db);
  return (double)(t1 - t0) / CLOCKS_PER_SEC;
}

TEST(a_header_must_name_each_column_once_and_a_sheet_holds_claims) {
  static const struct {
    const char *csv, *message;
  } cases[] = {
      {"source,actor,Source\n", "claims.csv:1: the header names 'source' "
                                "twice (columns 1 and 3)"},
      {"", "is empty: a claim sheet starts with a header row"},
      {"\n\n", "is empty: a claim sheet starts with a header row"},
      {"\r\r\n\r", "is empty: a claim sheet starts with a header row"},
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
  /* of two names given twice, the one seen twice first */
  ck_db *wide = with_dimensions();
  CHECK_INT(ck_import_file(wide, sheet_file("claims.csv", "a,b,B,b,a\n")),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(wide), "the header names 'b' twice (columns 2 "
                                  "and 4)");
  ck_close(wide);
  /* ten times the columns, about ten times the time (compared pairwise it
     was a hundred: 20 s for 100,000) */
  double small = wide_header(10000), large = wide_header(100000);
  if (large >= 30 * small)
    fprintf(stderr, "  10,000 columns: %.3f s, 100,000: %.3f s\n", small,
            large);
  CHECK(large < 30 * small);
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

/* A header in another encoding (GBK: 备注) is named by its column, not
   taken for a lack of memory; nothing is stored. */
TEST(a_header_not_in_utf8_is_named_by_its_column) {
  ck_db *db = with_dimensions();
  char *before = export_of(db);
  const char *path = sheet_file("claims.csv",
                                "source,actor,question,stance,\xb1\xb8\xd7\xa2"
                                "\r\nm1,ms,parity,1,x\r\n");
  CHECK_INT(ck_import_file(db, path), CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "/claims.csv:1: column 5 of the header is "
                                "not UTF-8 text (save the sheet as CSV in "
                                "UTF-8)");
  /* the same name in UTF-8 is a field of its own */
  CHECK_INT(ck_import_file(db, sheet_file("claims.csv",
                                          "source,actor,question,stance,备注"
                                          "\r\nm1,ms,parity,1,x\r\n")),
            CK_OK);
  json_t *claims = json_loads(ck_call(db, "claims", "[]"), 0, NULL);
  CHECK_STR(json_string_value(
                json_object_get(json_array_get(claims, 0), "备注")),
            "x");
  json_decref(claims);
  ck_close(db);
  free(before);
}

/* A message quoting a cell stays UTF-8 (a front end decodes it): a cell
   in another encoding shows '?' for its bytes, a long one is cut between
   characters. */
TEST(a_message_quoting_a_cell_is_utf8) {
  static const struct {
    const char *row, *message;
  } cases[] = {
      {"m1,ms,parity,1,\xb1\xb8", "column 5 holds '?" "?' but the header gives "
                                  "it no name"},
      {"m1,ms,parity,一二三四五六七八九十一二三四五六七八九十,",
       "stance: '一二三四五六七八九十一二三...' is not an integer"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_db *db = with_dimensions();
    char csv[256];
    snprintf(csv, sizeof csv, "source,actor,question,stance\n%s\n",
             cases[i].row);
    CHECK_INT(ck_import_file(db, sheet_file("claims.csv", csv)), CK_INVALID);
    const char *msg = ck_errmsg(db);
    CHECK(utf8_invalid_at(msg, strlen(msg)) == (size_t)-1);
    CHECK_CONTAINS(msg, cases[i].message);
    ck_close(db);
  }
}

/* Line ends of CR alone (a classic Mac export) are line ends: every row
   is read, and a message names the line as an editor shows it. */
TEST(a_sheet_with_cr_line_ends_imports_every_row) {
  ck_db *db = with_dimensions();
  CHECK_INT(ck_import_file(db, sheet_file("claims.csv",
                                          "source,actor,question,stance\r"
                                          "m1,ms,parity,1\r"
                                          "m1,citic,parity,2\r")),
            CK_OK);
  CHECK_NEAR(ck_num(db, "consensus", "[\"parity\", \"n\"]"), 2, 0);
  char *before = export_of(db);
  CHECK_INT(ck_import_file(db, sheet_file("claims.csv",
                                          "source,actor,question,stance,note\r"
                                          "m1,ms,parity,-1,\"two\rlines\"\r"
                                          "m1,ms,parity,x,\r")),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "/claims.csv:4: stance: 'x' is not an "
                                "integer");
  char *after = export_of(db);
  CHECK_STR(after, before);
  free(before);
  free(after);
  ck_close(db);
}

/* Cells that hold JSON: a tags cell starting with [, and every cell of a
   column whose name is in quotes. */
TEST(json_cells_are_read_as_json_and_refused_with_the_column) {
  static const char *const header =
      "source,actor,question,stance,tags,\"\"\"n\"\"\"\n";
  static const struct {
    const char *row, *message;
  } bad[] = {
      {"m1,ms,parity,1,[a,", "claims.csv:2: tags: '[a' is not a list of "
                             "tags in JSON"},
      {"m1,ms,parity,1,[1],", "claims.csv:2: tags: '[1]' is not a list of "
                              "tags in JSON"},
      {"m1,ms,parity,1,,x", "claims.csv:2: n: 'x' is not JSON"},
      {"m1,ms,parity,1,,null", "claims.csv:2: n: fill in the n"},
  };
  /* a field named "" is named so */
  ck_db *unnamed = with_dimensions();
  CHECK_INT(ck_import_file(unnamed, sheet_file("claims.csv",
                                               "source,\"\"\"\"\"\"\nm1,x\n")),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(unnamed), "claims.csv:2: \"\": 'x' is not JSON");
  ck_close(unnamed);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_db *db = with_dimensions();
    char csv[256];
    snprintf(csv, sizeof csv, "%s%s\n", header, bad[i].row);
    CHECK_INT(ck_import_file(db, sheet_file("claims.csv", csv)), CK_INVALID);
    CHECK_CONTAINS(ck_errmsg(db), bad[i].message);
    CHECK_NEAR(ck_num(db, "consensus", "[\"parity\", \"n\"]"), 0, 0);
    ck_close(db);
  }
  static const struct {
    const char *csv, *message;
  } headers[] = {
      {"source,\"\"\"Stance\",x\n", "claims.csv:1: column 2 of the header: "
                                    "'\"Stance' is not a name in JSON quotes"},
      {"source,stance,\"\"\"stance\"\"\"\n", "claims.csv:1: the header names "
                                             "'stance' twice (columns 2 and "
                                             "3)"},
      {"note,\"\"\"\"\"\",\"\"\"\"\"\"\n", "claims.csv:1: the header names "
                                           "'' twice (columns 2 and 3)"},
  };
  for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
    ck_db *db = with_dimensions();
    CHECK_INT(ck_import_file(db, sheet_file("claims.csv", headers[i].csv)),
              CK_INVALID);
    CHECK_CONTAINS(ck_errmsg(db), headers[i].message);
    ck_close(db);
  }
  ck_db *db = with_dimensions();
  CHECK_INT(ck_import_file(
                db, sheet_file("claims.csv",
                               "source,actor,question,stance,tags,"
                               "\"\"\"n\"\"\",\"\"\"Stance\"\"\",\" \"\"\"\"\"\n"
                               "m1,ms,parity,2.0,\" [\"\"a;b\"\", \"\" c\"\", "
                               "\"\"\"\"] \",\"{\"\"k\"\": [1, 2.5]}\",\"\"\"x"
                               "\"\"\",true\n"
                               "m1,citic,parity,1,[],,,\n")),
            CK_OK);
  json_t *claims = json_loads(ck_call(db, "claims", "[]"), 0, NULL);
  json_t *c0 = json_array_get(claims, 0), *c1 = json_array_get(claims, 1);
  char *got = json_dumps(json_object_get(c0, "tags"), JSON_COMPACT);
  CHECK_STR(got, "[\"a;b\",\" c\",\"\"]");
  free(got);
  got = json_dumps(json_object_get(c0, "n"), JSON_COMPACT);
  CHECK_STR(got, "{\"k\":[1,2.5]}");
  free(got);
  CHECK_STR(json_string_value(json_object_get(c0, "Stance")), "x");
  CHECK(json_is_true(json_object_get(c0, ""))); /* " \"\"" trimmed */
  CHECK(json_is_real(json_object_get(c0, "stance")));
  CHECK_INT(json_array_size(json_object_get(c1, "tags")), 0);
  CHECK(json_is_array(json_object_get(c1, "tags")));
  json_decref(claims);
  ck_close(db);
}

/* Imports pack, then checks that its export, laid out as a sheet (of the
   stored claims, and of the claims given as a list) and imported into a
   database with the same dimensions, exports the same bytes.  Returns the
   sheet of the stored claims (the caller frees it). */
static char *check_round_trip(const char *pack) {
  ck_db *db = with_dimensions();
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  if (ck_errcode(db) != CK_OK)
    fprintf(stderr, "  the generated pack: %s\n", ck_errmsg(db));
  char *want = export_of(db);
  const char *claims = ck_call(db, "claims", "[]");
  char *args = malloc(strlen(claims ? claims : "") + 32);
  sprintf(args, "{\"claims\": %s}", claims ? claims : "null");
  char *sheets[2];
  for (int given = 0; given < 2; given++) {
    json_t *text = json_loads(ck_call(db, "sheet", given ? args : "[]"),
                              JSON_DECODE_ANY, NULL);
    CHECK(json_is_string(text));
    sheets[given] = strdup(json_is_string(text) ? json_string_value(text)
                                                : "(no sheet)");
    json_decref(text);
    ck_db *copy = with_dimensions();
    CHECK_INT(ck_import_file(copy, sheet_file("back.csv", sheets[given])),
              CK_OK);
    if (ck_errcode(copy) != CK_OK)
      fprintf(stderr, "  the sheet back: %s\n", ck_errmsg(copy));
    char *got = export_of(copy);
    CHECK_STR(got, want);
    free(got);
    ck_close(copy);
  }
  CHECK_STR(sheets[1], sheets[0]); /* the same layout either way */
  free(sheets[1]);
  free(args);
  free(want);
  ck_close(db);
  return sheets[0];
}

/* What the issue's tests found: each changed or refused data. */
TEST(what_a_sheet_could_not_carry_round_trips) {
  char *pack = dq(
      "{'claims': ["
      " {'id': 'v1', 'source': 'm1', 'actor': 'citic', 'question': 'parity',"
      "  'stance': 1, 'tags': [], 'quote': 'one\\r\\ntwo'},"
      " {'id': 'v2', 'actor': 'ms', 'question': 'parity', 'stance': 2.0,"
      "  'tags': [' a', 'b '], 'quote': '\\rcr', 'Stance': 'mine'},"
      " {'id': 'v3', 'actor': 'ms', 'question': 'parity', 'stance': -1,"
      "  'tags': [''], 'ID': 'y', 'type': 'memo', '': 'no name',"
      "  ' note': 'padded', 'note': 'plain', 'Note': 'other case'},"
      " {'id': 'v4', 'actor': 'ms', 'question': 'parity', 'stance': 0,"
      "  'tags': ['a;b', 'c'], 'quote': '', 'score': 1.5, 'flag': true,"
      "  'more': {'k': [1, null]}, 'list': ['x', 'y']},"
      " {'actor': 'ms', 'question': 'parity', 'stance': 0, 'locator': '',"
      "  'tags': ['[x]', 'y'], 'quote': '\\ufeffbom first'},"
      " {'id': 'o1', 'actor': 'ms', 'entity': 'deepseek', 'metric': 'users',"
      "  'period': '2026年3月', 'value': -0.0, 'unit': '',"
      "  'tags': ['中', 'x y']},"
      " {'id': 'o2', 'actor': 'ms', 'entity': 'deepseek', 'metric': 'users',"
      "  'lo': 1e300, 'hi': 1.7976931348623157e308}]}");
  char *sheet = check_round_trip(pack);
  free(pack);
  /* plain where plain reads back, JSON where it would not */
  CHECK(strncmp(sheet, "id,source,actor,\"\"\"locator\"\"\",\"\"\"quote\"\"\","
                       "as_of,tags,", 51) == 0);
  CHECK_CONTAINS(sheet, ",\"\"\"\"\"\",\"\"\" note\"\"\",\"\"\"ID\"\"\",");
  CHECK_CONTAINS(sheet, ",Note,");
  CHECK_CONTAINS(sheet, ",\"\"\"Stance\"\"\",");
  CHECK_CONTAINS(sheet, ",\"\"\"type\"\"\"\r\n");
  CHECK_CONTAINS(sheet, ",[],parity,1,");
  CHECK_CONTAINS(sheet, "\"[\"\" a\"\",\"\"b \"\"]\"");
  CHECK_CONTAINS(sheet, "[\"\"\"\"]");
  CHECK_CONTAINS(sheet, "\"[\"\"a;b\"\",\"\"c\"\"]\"");
  CHECK_CONTAINS(sheet, ",中;x y,");
  CHECK_CONTAINS(sheet, ",2.0,");
  free(sheet);
}

static unsigned next_rand(unsigned *seed) {
  *seed = *seed * 1103515245u + 12345u;
  return *seed >> 16 & 0x7fff;
}

/* Text made of what a sheet must carry: separators, quotes, line ends,
   spaces at the ends, a BOM, JSON's brackets; "" too. */
static json_t *random_text(unsigned *seed) {
  static const char *const alphabet[] = {
      "a", ";", " ", "[", "]", "\"", ",", "\r\n", "\r", "\n",
      "\xEF\xBB\xBF", "中", "\t", "x y", "null", "1", "{", "'"};
  char text[128] = "";
  size_t parts = next_rand(seed) % 6;
  for (size_t k = 0; k < parts; k++)
    strcat(text, alphabet[next_rand(seed) % 18]);
  return json_string(text);
}

static json_t *random_value(unsigned *seed) {
  switch (next_rand(seed) % 8) {
  case 0: return json_integer((json_int_t)next_rand(seed) - 9000);
  case 1: return json_real((double)next_rand(seed) / 7.0);
  case 2: return json_boolean(next_rand(seed) & 1);
  case 3: return json_pack("[oo]", random_text(seed), random_text(seed));
  case 4: return json_pack("{so}", "k", random_text(seed));
  default: return random_text(seed);
  }
}

static json_t *random_claim(unsigned *seed, int n) {
  static const char *const names[] = {
      "Stance", "ID", "type", "TYPE", "", " note", "note", "Note", "\"q",
      "tags ", "x,y", ("\xEF\xBB\xBF" "bom"), "Quote", "unit\t", "[a]", "中"};
  json_t *c = json_object();
  char text[32];
  if (next_rand(seed) % 2) {
    snprintf(text, sizeof text, "g%d", n);
    json_object_set_new(c, "id", json_string(text));
  } else { /* a content id: each claim differs by its locator */
    snprintf(text, sizeof text, "L%d ", n);
    json_object_set_new(c, "locator", json_string(text));
  }
  json_object_set_new(c, "actor", json_string(n % 2 ? "ms" : "citic"));
  if (next_rand(seed) % 2)
    json_object_set_new(c, "source", json_string("m1"));
  if (next_rand(seed) % 3 == 0)
    json_object_set_new(c, "as_of", json_string("2026-04-29"));
  if (next_rand(seed) % 4) {
    json_t *tags = json_array();
    for (unsigned k = next_rand(seed) % 4; k > 0; k--)
      json_array_append_new(tags, random_text(seed));
    json_object_set_new(c, "tags", tags);
  }
  if (next_rand(seed) % 4)
    json_object_set_new(c, "quote", random_text(seed));
  for (unsigned k = next_rand(seed) % 4; k > 0; k--)
    json_object_set_new(c, names[next_rand(seed) % 16], random_value(seed));
  int stance = (int)(next_rand(seed) % 5) - 2;
  switch (next_rand(seed) % 4) {
  case 0:
    json_object_set_new(c, "question", json_string("parity"));
    json_object_set_new(c, "stance", json_integer(stance));
    break;
  case 1:
    json_object_set_new(c, "question", json_string("parity"));
    json_object_set_new(c, "stance", json_real(stance));
    break;
  default:
    json_object_set_new(c, "entity", json_string("deepseek"));
    json_object_set_new(c, "metric", json_string("users"));
    json_object_set_new(c, "period", json_string(n % 3 ? "2026-Q1"
                                                       : "2026年3月"));
    if (next_rand(seed) % 2)
      json_object_set_new(c, "value",
                          json_real((double)next_rand(seed) / 3.0));
    else
      json_object_set_new(c, "value", json_integer(next_rand(seed)));
    if (next_rand(seed) % 2)
      json_object_set_new(c, "unit", random_text(seed));
  }
  return c;
}

/* Generated claims, with every kind of text a sheet must carry in their
   tags, quotes and other fields (and fields named like claim fields),
   export -> sheet -> import -> export unchanged. */
TEST(generated_claims_round_trip_through_a_sheet) {
  unsigned seed = 2026;
  int json_tags = 0, exact_columns = 0;
  for (int round = 0; round < 40; round++) {
    json_t *claims = json_array();
    for (int n = 0; n < 25; n++)
      json_array_append_new(claims, random_claim(&seed, round * 25 + n));
    json_t *pack = json_pack("{so}", "claims", claims);
    char *text = json_dumps(pack, 0);
    json_decref(pack);
    char *sheet = check_round_trip(text);
    json_tags += strstr(sheet, ",\"[") != NULL || strstr(sheet, ",[]") != NULL;
    exact_columns += strstr(sheet, "\"\"\"quote\"\"\"") != NULL &&
                     strstr(sheet, "\"\"\"\"\"\"") != NULL;
    free(sheet);
    free(text);
  }
  /* the generator made what the test is about */
  CHECK(json_tags > 30);
  CHECK(exact_columns > 10);
}

/* A sheet refused at its last row, into a database on disk, stores none
   of the rows before it. */
TEST(a_refused_sheet_stores_nothing) {
  char db_path[64];
  snprintf(db_path, sizeof db_path, "%s/desk%d.db", sheet_dir, two_threads);
  ck_db *db;
  CHECK_INT(ck_open(db_path, 0, &db), CK_OK);
  threads_of(db);
  char *pack = dq(DIMENSIONS);
  CHECK_INT(ck_import_json(db, pack), CK_OK);
  free(pack);
  char *before = export_of(db);
  strbuf csv;
  sb_init(&csv);
  sb_puts(&csv, "id,source,actor,question,stance,tags\r\n");
  for (int i = 0; i < 500; i++)
    sb_printf(&csv, "r%d,m1,ms,parity,%d,\"[\"\"t%d\"\"]\"\r\n", i, i % 5 - 2,
              i);
  sb_puts(&csv, "r500,m1,ms,parity,1,[unclosed\r\n");
  sb_putc(&csv, '\0');
  CHECK_INT(ck_import_file(db, sheet_file("claims.csv", csv.data)),
            CK_INVALID);
  CHECK_CONTAINS(ck_errmsg(db), "claims.csv:502: tags: ");
  sb_free(&csv);
  ck_close(db);
  CHECK_INT(ck_open(db_path, 0, &db), CK_OK);
  threads_of(db);
  char *after = export_of(db);
  CHECK_STR(after, before);
  free(before);
  free(after);
  ck_close(db);
}

static void remove_sheet_dir(void) {
  DIR *dir = opendir(sheet_dir);
  struct dirent *e;
  char path[512];
  while (dir && (e = readdir(dir)) != NULL) {
    snprintf(path, sizeof path, "%s/%s", sheet_dir, e->d_name);
    if (*e->d_name != '.')
      unlink(path);
  }
  if (dir)
    closedir(dir);
  rmdir(sheet_dir);
}

TEST(the_import_tests_again_with_sheets_on_two_threads) {
  two_threads = 1;
  a_sheet_imports_its_rows_as_typed_claims();
  a_bad_cell_is_named_by_file_line_and_column();
  a_header_must_name_each_column_once_and_a_sheet_holds_claims();
  an_id_given_twice_in_a_sheet_names_both_lines();
  a_sheet_of_the_claims_imports_back_to_the_same_claims();
  a_header_not_in_utf8_is_named_by_its_column();
  a_message_quoting_a_cell_is_utf8();
  a_sheet_with_cr_line_ends_imports_every_row();
  json_cells_are_read_as_json_and_refused_with_the_column();
  what_a_sheet_could_not_carry_round_trips();
  generated_claims_round_trip_through_a_sheet();
  a_refused_sheet_stores_nothing();
  two_threads = 0;
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
           T(a_header_not_in_utf8_is_named_by_its_column),
           T(a_message_quoting_a_cell_is_utf8),
           T(a_sheet_with_cr_line_ends_imports_every_row),
           T(json_cells_are_read_as_json_and_refused_with_the_column),
           T(what_a_sheet_could_not_carry_round_trips),
           T(generated_claims_round_trip_through_a_sheet),
           T(a_refused_sheet_stores_nothing),
           T(the_import_tests_again_with_sheets_on_two_threads),
           T(cleanup))

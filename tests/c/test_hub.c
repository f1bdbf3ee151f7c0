/*
** test_hub.c -- what of the hub needs no PostgreSQL: claimkit's terms in
** ck_sync()'s conninfo (hub_conninfo.c), and the stub a build without libpq
** has in place of ck_sync (hub_stub.c, compiled here under another name,
** since this build has the real one).  The syncs themselves: tests/hub.
*/
#include "check.h"
#include "claimkit.h"
#include "hub.h"

#define ck_sync ck_sync_stub
#include "../../core/src/hub_stub.c"
#undef ck_sync

static int split(const char *in, char *pg, hub_terms *t, char *why) {
  return hub_split_conninfo(in, pg, t, why, 128);
}

TEST(keyword_terms_are_taken_out_and_the_rest_kept_as_written) {
  char pg[256], why[128] = "";
  hub_terms t;
  CHECK_INT(split("host=db dbname=desk only=pull password='a b\\' only=push' "
                  "since=2026-01-01 source=s1 framework=tech",
                  pg, &t, why),
            0);
  CHECK_STR(pg, "host=db dbname=desk password='a b\\' only=push'");
  CHECK_INT(t.mode, HUB_PULL);
  CHECK_STR(t.since, "2026-01-01");
  CHECK_STR(t.source, "s1");
  CHECK_STR(t.framework, "tech");
  CHECK_INT(split("  dbname=desk  ", pg, &t, why), 0);
  CHECK_STR(pg, "dbname=desk");
  CHECK_INT(t.mode, HUB_BOTH);
  CHECK_STR(t.since, "");
}

TEST(uri_parameters_are_taken_out_and_the_rest_kept) {
  char pg[256], why[128] = "";
  hub_terms t;
  CHECK_INT(split("postgresql://me@db/desk?sslmode=require&only=push&"
                  "source=s2&connect_timeout=3",
                  pg, &t, why),
            0);
  CHECK_STR(pg, "postgresql://me@db/desk?sslmode=require&connect_timeout=3");
  CHECK_INT(t.mode, HUB_PUSH);
  CHECK_STR(t.source, "s2");
  CHECK_INT(split("postgres:///desk?only=pull", pg, &t, why), 0);
  CHECK_STR(pg, "postgres:///desk");
  CHECK_INT(t.mode, HUB_PULL);
}

TEST(bad_terms_say_what_is_wrong) {
  char pg[512], why[128];
  hub_terms t;
  CHECK_INT(split("dbname=x only=both", pg, &t, why), -1);
  CHECK_CONTAINS(why, "only=both: expected only=pull or only=push");
  CHECK_INT(split("dbname=x only=pull only=push", pg, &t, why), -1);
  CHECK_CONTAINS(why, "once");
  CHECK_INT(split("postgresql:///x?source=a&source=b", pg, &t, why), -1);
  CHECK_CONTAINS(why, "source=b: given twice");
  CHECK_INT(split("dbname=x since=", pg, &t, why), -1);
  CHECK_CONTAINS(why, "empty");
  char longer[200];
  snprintf(longer, sizeof longer, "dbname=x source=%0100d", 7);
  CHECK_INT(split(longer, pg, &t, why), -1);
  CHECK_CONTAINS(why, "too long");
}

TEST(the_stub_says_it_has_no_libpq) {
  CHECK_INT(ck_sync_stub(NULL, "dbname=x"), CK_MISUSE);
  ck_db *db;
  CHECK_INT(ck_open(NULL, 0, &db), CK_OK);
  CHECK_INT(ck_import_json(db, "{\"actors\": [{\"id\": \"a\"}]}"), CK_OK);
  CHECK_INT(ck_sync_stub(db, "dbname=x"), CK_MISUSE);
  CHECK_CONTAINS(ck_errmsg(db), "built without libpq");
  CHECK_INT(ck_errcode(db), CK_MISUSE);
  CHECK_CONTAINS(ck_export_json(db, NULL), "\"id\": \"a\"");
  ck_close(db);
}

int main(int argc, char **argv) {
  static const check_test tests[] = {
      T(keyword_terms_are_taken_out_and_the_rest_kept_as_written),
      T(uri_parameters_are_taken_out_and_the_rest_kept),
      T(bad_terms_say_what_is_wrong),
      T(the_stub_says_it_has_no_libpq),
  };
  return check_run(tests, sizeof tests / sizeof *tests, argc, argv);
}

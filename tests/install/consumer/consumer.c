/* An outside program using an installed claimkit: imports a pack. */
#include <claimkit.h>
#include <stdio.h>

int main(int argc, char **argv) {
  ck_db *db;
  if (argc != 2 || ck_open(NULL, 0, &db) != CK_OK)
    return 2;
  if (ck_import_file(db, argv[1]) != CK_OK) {
    fprintf(stderr, "import: %s\n", ck_errmsg(db));
    ck_close(db);
    return 1;
  }
  printf("claimkit %s: %s\n", ck_version(), ck_call(db, "stats", NULL));
  ck_close(db);
  return 0;
}

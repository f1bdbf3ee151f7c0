// claimkit.h compiles alone as strict C++.
#include <claimkit.h>
int main() {
  ck_db *db = nullptr;
  return ck_open(nullptr, 0, &db) == CK_OK && ck_close(db) == CK_OK ? 0 : 1;
}

/* claimkit.h compiles alone as strict C99. */
#include <claimkit.h>
int main(void) { return ck_version_number() == CK_VERSION_NUMBER ? 0 : 1; }

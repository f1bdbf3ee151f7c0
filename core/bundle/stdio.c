/* The standard streams for the copies of Lua and jansson linked into
   libclaimkit_bundled.so.

   Debian's liblua5.4.a and libjansson.a are built as position-independent
   executables' code, not a shared library's: they reach stdin, stdout and
   stderr at a fixed offset from their own code, which a shared library
   cannot satisfy for variables that live in libc.  The build renames those
   references in its copies of the archives (objcopy --redefine-sym) to the
   variables below, which live in this library and hold libc's streams from
   the moment the library is loaded. */
#include <stdio.h>

#define HIDDEN __attribute__((visibility("hidden")))

HIDDEN FILE *ck_bundle_stdin;
HIDDEN FILE *ck_bundle_stdout;
HIDDEN FILE *ck_bundle_stderr;

/* Runs before any code of the library can: the loader calls it when the
   library is loaded, before dlopen or the program's main returns. */
__attribute__((constructor)) static void ck_bundle_streams(void) {
  ck_bundle_stdin = stdin;
  ck_bundle_stdout = stdout;
  ck_bundle_stderr = stderr;
}

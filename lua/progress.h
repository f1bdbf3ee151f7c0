/*
** progress.h -- the console's progress line for long imports.
*/
#ifndef CLAIMKIT_PROGRESS_H
#define CLAIMKIT_PROGRESS_H

#include <claimkit.h>

/* ck_import_file(db, path), showing how far it has got on standard error
   when that is a terminal: a line naming the file, the percent of its
   bytes, the claims taken and their rate, redrawn a few times a second
   from a thread of its own (reading ck_progress) once the import has run
   a moment, and cleared when it ends.  Not a terminal, or no thread to
   be had: the plain import, silent. */
int console_import_file(ck_db *db, const char *path);

#endif

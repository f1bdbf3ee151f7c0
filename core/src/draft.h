/*
** draft.h -- a transcript drafted into a claim pack with a codebook
** (draft*.c, DESIGN §8).  Pure: the codebook and the source record come in
** loaded.
*/
#ifndef CK_DRAFT_H
#define CK_DRAFT_H

#include "codebook.h"

/* A draft claim pack (draft.c, DESIGN §8): the source record (the stored
   one when source_record is not NULL, else a new one), one observation per
   quantity and a view per question, sentence and actor whose cue a
   sentence holds, with what the codebook `cb` (may be NULL) and the text
   settle; the rest null for the analyst.  room as for
   transcript_segments.  NULL with *too_many set when the text has more
   than CK_DRAFT_MAX_CLAIMS claims to draft. */
json_t *transcript_draft(const char *text, size_t len, const char *source,
                         const char *published, codebook *cb,
                         const json_t *source_record, long long *room,
                         int *too_many);
/* A draft is for a person to review: more claims than this are refused
   (a call has a few hundred). */
#define CK_DRAFT_MAX_CLAIMS 10000
#define CK_QUOTE_MAX 1024

#endif

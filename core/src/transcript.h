/*
** transcript.h -- a transcript's segments (transcript.c): speaker lines
** with their times, or paragraphs.  Pure: no SQL, no handle.
*/
#ifndef CK_TRANSCRIPT_H
#define CK_TRANSCRIPT_H

#include <jansson.h>
#include <stddef.h>

/* The segments of a transcript, [{speaker, locator, text, line}], or NULL
   when memory runs out.  The text must be valid UTF-8.  room, when not
   NULL, is the bytes the result may take: it counts down, and a result
   that would not fit gives NULL with *room set to -1. */
json_t *transcript_segments(const char *text, size_t len, long long *room);
/* Takes `bytes` from *room (NULL: no bound); 0, with *room set to -1, when
   they do not fit: the one count segments and drafts spend. */
int transcript_take_room(long long *room, size_t bytes);

#endif

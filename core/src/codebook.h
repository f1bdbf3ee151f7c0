/*
** codebook.h -- the names records go by in texts and the cue phrases of
** questions (codebook.c), found in a text for draft().  Layer: pure text
** rule, but for codebook_load() and codebook_source(), which read the
** database (SQL).
*/
#ifndef CK_CODEBOOK_H
#define CK_CODEBOOK_H

#include "internal.h"

typedef struct codebook codebook;

enum { CB_ACTOR, CB_ENTITY, CB_METRIC, CB_CUE, CB_KINDS };

typedef struct cb_term {
  char *text; /* ASCII letters folded to lower case */
  size_t len, chars; /* bytes, characters */
  int kind;   /* CB_ACTOR .. CB_CUE */
  int record; /* index into ids[kind] (for a cue, its question) */
  int stance; /* a cue's */
} cb_term;

/* What a draft needs of a metric besides its names (DESIGN §2, §8). */
enum { CB_BASIS_NONE, CB_BASIS_YOY, CB_BASIS_QOQ };
typedef struct cb_metric {
  char *id, *unit, *change_of; /* unit, change_of may be NULL */
  int basis, point_in_time;
} cb_metric;

struct codebook {
  char **ids[CB_KINDS]; /* records by kind, in the order they were added */
  size_t nids[CB_KINDS];
  cb_metric *metrics; /* every metric, by id */
  size_t nmetrics;
  cb_term *terms;
  size_t nterms, cap;
  uint32_t *order; /* the terms by their bytes, sorted by the first find */
};

/* A term found in a text: bytes [start, end). */
typedef struct cb_hit {
  size_t start, end, chars; /* chars: the length that decides overlaps */
  int kind, record, stance;
} cb_hit;

void codebook_init(codebook *cb);
void codebook_free(codebook *cb);
/* The index of record `id` of `kind`, added when it is not the last one
   added (add a record's terms together); -1 when memory runs out. */
int codebook_record(codebook *cb, int kind, const char *id);
/* Adds a name, alias or (kind CB_CUE) cue phrase; a blank one is left
   out.  0, or -1 when memory runs out. */
int codebook_term(codebook *cb, int kind, int record, const char *text,
                  size_t len, int stance);
/* The mentions in text[0..len) (longest of overlapping ones; ordered by
   start) and every cue phrase found (ordered by start), in malloc'd
   arrays the caller frees.  room as for transcript_segments.  0, or -1
   when memory (or room) runs out. */
int codebook_find(codebook *cb, const char *text, size_t len,
                  cb_hit **mentions, size_t *nmentions, cb_hit **cues,
                  size_t *ncues, long long *room);
/* The actor whose name or alias is the whole label, or -1. */
int codebook_speaker(const codebook *cb, const char *label, size_t len);
/* The metric `id`, or NULL. */
const cb_metric *codebook_metric(const codebook *cb, const char *id);
/* Adds the database's codebook: names, aliases and cues, by id, and every
   metric's unit, point_in_time, change_of and basis. */
int codebook_load(ck_db *db, codebook *cb);
/* The stored record of source `id` (*out NULL when there is none). */
int codebook_source(ck_db *db, const char *id, json_t **out);

#endif

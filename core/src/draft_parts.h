/*
** draft_parts.h -- what the parts of a draft share (draft.c: segments,
** views and the whole; draft_text.c: sentence ends, quotes, mentions;
** draft_periods.c: changes and periods; draft_figure.c: a figure's
** fields): a segment and what is found in it once.  Private to them.
*/
#ifndef CK_DRAFT_PARTS_H
#define CK_DRAFT_PARTS_H

#include "internal.h"
#include "canon.h"
#include "codebook.h"
#include "draft.h"
#include "draft_rules.h"
#include "quantity.h"
#include "periods.h"
#include "transcript.h"

#include <stdlib.h>
#include <string.h>

/* What a claim costs as JSON, about: jansson's objects take some 1 KiB. */
#define CLAIM_BYTES 1536

typedef struct span {
  const char *p;
  size_t n;
} span;

/* Where the sentences (or clauses) of a text end: each end's [start,
   end), found once per segment. */
typedef struct stops {
  size_t *start, *end;
  size_t n, cap;
} stops;

/* A segment's mentions of one kind, in order. */
typedef struct kind_list {
  const cb_hit **at;
  size_t n;
} kind_list;

/* What the whole draft hands each segment. */
typedef struct draft_in {
  const char *source, *published, *subject;
  int subject_actor;            /* the subject's own actor record, or -1 */
  char call_period[CK_PERIOD_MAX]; /* the one period the source's title
                                      names, or "" */
  codebook *cb;
  long long *room;
  size_t left; /* claims the draft may still hold */
  int too_many;
} draft_in;

/* A drafted claim and where its words start, to put claims in text order. */
typedef struct placed {
  size_t at;
  int view; /* at one place, the figure first */
  json_t *claim;
} placed;

/* A comparison word (同比, year over year, versus) or a phrase that only
   names a basis (a year ago, 去年同期), found once per segment. */
typedef struct cmp_hit {
  size_t start;
  int basis, versus;
  int changes; /* a comparison word: makes a figure next to it a change */
} cmp_hit;

/* What one segment's claims are drafted from. */
typedef struct segment {
  const char *t;
  size_t len;
  const char *locator;
  int speaker; /* the actor the speaker label names, else the subject's
                  own actor (a company on its own call), or -1 */
  const char *call_period; /* draft_in's */
  ck_quantity *q;
  size_t nq;
  size_t *list_first, *list_len; /* per figure: its list (itself, 1) */
  stops sentences, clauses;
  cb_hit *mentions, *cues;
  size_t nm, nc;
  kind_list kinds[CB_CUE];
  dr_period *periods;
  size_t np;
  cmp_hit *cmp;
  size_t ncmp;
  /* the last sentence's facts, worked out once for all its figures */
  size_t fact_a, fact_b;
  int fact_r;                     /* one_period() of it */
  char fact_iso[CK_PERIOD_MAX];
  const char *fact_date;          /* opinion_date() of it */
  /* what the list of figures last asked about gave: its first figure
     (SIZE_MAX: none yet), each kind's list of mentions (-1 none) */
  size_t list_asked;
  long list_mentions[CB_CUE];
  int list_mentions_known[CB_CUE];
  size_t periods_asked; /* the same for list_periods() */
  long list_period;
  int list_year0;
  /* the period the segment is about, from the sentences before */
  size_t folded;              /* periods folded into it so far */
  char about[CK_PERIOD_MAX];  /* "" none */
} segment;

/* ---- across the parts ------------------------------------------------------ */

/* draft_text.c (each says what it does where it is defined). */
void dp_stops_free(stops *st);
int dp_find_stops(const char *text, size_t len, stops *st,
                  size_t (*at)(const char *, size_t, size_t));
void dp_bounds(size_t len, const stops *st, size_t qs, size_t qe, size_t *a,
               size_t *b);
span dp_quote_of(const char *text, size_t len, const stops *st, size_t qs,
                 size_t qe);
size_t dp_first_from(const kind_list *l, size_t pos);
const cb_hit *dp_nearest_before(const kind_list *l, size_t qe, size_t from);
const cb_hit *dp_nearest_after(const kind_list *l, size_t qe, size_t to);
int dp_separator(const char *t, size_t a, size_t b);
int dp_unit_separator(const char *t, size_t a, size_t b);
long dp_mention_list(const char *t, const kind_list *l, size_t pos,
                     size_t from, size_t n);
const char *dp_change_metric(const codebook *cb, const char *m, int basis);

/* draft_periods.c */
int dp_find_comparisons(segment *s);
void dp_find_lists(segment *s);
int dp_basis_named(const segment *s, size_t a, size_t b);
int dp_own_basis(const segment *s, size_t k, size_t ca, size_t cb);
int dp_versus_before(const segment *s, size_t k, size_t a);
/* The figure a comparison's old level is paired with ("rose to A, or B,
   from C, or D": C's is A, D's is B), else k. */
size_t dp_base_counterpart(const segment *s, size_t k, size_t a);
int dp_states_change(const segment *s, size_t k, size_t ca, size_t cb,
                     int *basis);
const char *dp_opinion_date_at(segment *s, size_t a, size_t b, size_t pos);
json_t *dp_period_of(segment *s, size_t k, size_t a, size_t b, size_t ca,
                     size_t cb);
json_t *dp_moment_of(segment *s, size_t k, size_t a, size_t b,
                     const char *published);

/* draft_figure.c */
int dp_actor_at(const segment *s, size_t pos);
json_t *dp_actor_json(const draft_in *in, int record);
/* The observation of figure k into *out: 0, or -1 when memory (or room)
   runs out. */
int dp_figure(segment *s, draft_in *in, size_t k, placed *out);

#endif

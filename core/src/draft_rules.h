/*
** draft_rules.h -- the word rules of a draft (draft_rules*.c, DESIGN §8):
** sentence and clause ends, periods and dates, changes and comparisons.
** Pure: no SQL, no handle.
*/
#ifndef CK_DRAFT_RULES_H
#define CK_DRAFT_RULES_H

#include "internal.h"
#include "periods.h" /* CK_PERIOD_MAX */

#include <stddef.h>

/* The length of a sentence end at byte i of t (。！？；!?; a line break, an
   English full stop before a space and a capital or at a line end), or
   0.  draft_clause_at() the same for clause ends (，, and sentence ends). */
size_t draft_stop_at(const char *t, size_t len, size_t i);
size_t draft_clause_at(const char *t, size_t len, size_t i);

/* A period or a date written in a text. */
typedef struct dr_period {
  size_t start, end;
  char iso[CK_PERIOD_MAX]; /* YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM or, for a
                              date, YYYY-MM(-DD); "" when its year is
                              unknown (no publication date) */
  int years, year0; /* a range of years (2023年至2025年): how many, the first */
  int base;         /* after 较, 比, than, versus: a comparison's base */
  int date;         /* when something was said or written (11月27日,
                       November 22, 2022年12月的报告): never a period */
} dr_period;

/* Every period and date of t, in order, into a malloc'd array; years not
   written are the year of `published` (YYYY-MM-DD or ""), the year before
   for a quarter, half or 全年 that had not begun by then.  0, or -1 when
   memory runs out. */
int draft_periods(const char *t, size_t len, const char *published,
                  dr_period **out, size_t *count);
/* 1 when the figure [qs, qe) states a change by a direction word (§5) in
   its words or just before them. */
int draft_direction(const char *t, size_t len, size_t qs, size_t qe);
/* A comparison word at i (同比, year over year, sequentially, versus):
   its basis (CB_BASIS_*) and length, *versus when it is versus / vs.;
   -1 when none. */
int draft_comparison_at(const char *t, size_t len, size_t i, size_t *n,
                        int *versus);
/* A phrase at i that names a basis without making a change (a year ago,
   去年同期, last quarter): its basis and length, or -1. */
int draft_basis_at(const char *t, size_t len, size_t i, size_t *n);
/* 1 when points follow a figure ending at qe (个百分点, basis points, bp):
   its unit is pp or bp whatever the parser made of it. */
int draft_points_after(const char *t, size_t len, size_t qe);
/* 1 when one of `words` (NULL-terminated) stands just before qs, maybe
   with 原来的 / the prior between: 由670港元 (由), from $30 (from). */
int draft_written_before(const char *t, size_t qs, const char *const *words);

/* What [a, b) says of a figure's period without writing one: 当季 / the
   quarter (the quarter the text is about), 远期 (forward: none named);
   the last of them, or 0. */
enum { DR_THE_QUARTER = 1, DR_UNDATED };
int draft_period_hint(const char *t, size_t a, size_t b);

#endif

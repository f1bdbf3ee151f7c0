/*
** periods.h -- dates and reporting periods (periods.c): YYYY-MM-DD dates,
** ISO periods (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-Www) and the Chinese
** forms research notes write.  Layer: pure text rule, no SQL, no handle.
*/
#ifndef CK_PERIODS_H
#define CK_PERIODS_H

#define CK_PERIOD_MAX 32 /* "2026-W05" and friends, with room */

#include "internal.h"

/* 1 when s is a real calendar date written YYYY-MM-DD. */
int date_valid(const char *s);
/* Writes the ISO form of a period (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM,
   YYYY-Www, YYYY-MM-DD, or a Chinese form such as 2026年3月, 2025年下半年,
   2026年第一季度, 2025年年末) into out.  Returns 0, or -1 when s is none. */
int period_normalise(const char *s, char out[CK_PERIOD_MAX]);
/* The last day of an ISO period as YYYY-MM-DD; -1 when not a period. */
int period_end(const char *iso, char out[11]);

#endif

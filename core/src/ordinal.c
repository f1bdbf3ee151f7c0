/*
** ordinal.c -- measures of consensus and dispersion over an ordinal
** distribution (docs/functions.md).  Pure functions over a weight vector: no SQL,
** no handle, so each is tested alone against reference values.
**
** The distribution is k weights over the categories X_i = x_min + i
** (i = 0 .. k-1).  Weights need not be normalised; zero weights are empty
** categories.
*/
#include "internal.h"
#include "ordinal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Cumulative shares that "should be" exactly 1/2 may land a few ulps
   either side after weights are summed. */
#define HALF_TOLERANCE 1e-12

static double total(const double *w, int k) {
  double t = 0;
  for (int i = 0; i < k; i++)
    t += w[i];
  return t;
}

static double mean_of(const double *p, int k, int x_min) {
  double mu = 0;
  for (int i = 0; i < k; i++)
    mu += p[i] * (x_min + i);
  return mu;
}

/* van der Eijk's agreement of one layer's pattern (agrmt's
   pattern.agreement, old = FALSE). */
static double pattern_agreement(const unsigned char *pattern, int k) {
  double tu = 0, tdu = 0;
  int s = 0;
  for (int i = 0; i < k; i++)
    s += pattern[i];
  if (s == 1)
    return 1;
  /* Triplets i < j < m: 110 and 011 agree with unimodality, 101 does not.
     Counted by prefix sums instead of three nested loops. */
  for (int j = 1; j < k - 1; j++) {
    double ones_before = 0, zeros_before = 0, ones_after = 0, zeros_after = 0;
    for (int i = 0; i < j; i++)
      pattern[i] ? ones_before++ : zeros_before++;
    for (int m = j + 1; m < k; m++)
      pattern[m] ? ones_after++ : zeros_after++;
    if (pattern[j]) {
      tu += ones_before * zeros_after + zeros_before * ones_after;
    } else {
      tdu += ones_before * ones_after;
    }
  }
  double u = ((k - 2) * tu - (k - 1) * tdu) / ((k - 2) * (tu + tdu));
  double a = u * (1 - (double)(s - 1) / (k - 1));
  return isnan(a) ? 0 : a;
}

static double agreement(const double *w, int k) {
  double n = total(w, k);
  double *rest = malloc((size_t)k * sizeof *rest);
  unsigned char *pattern = malloc((size_t)k);
  if (!rest || !pattern) {
    free(rest);
    free(pattern);
    return NAN;
  }
  memcpy(rest, w, (size_t)k * sizeof *rest);
  /* Below this a remainder is rounding left over from real weights. */
  double eps = n * 1e-12;
  double a = 0;
  for (int layer = 0; layer < k; layer++) {
    double m = INFINITY;
    int s = 0;
    for (int i = 0; i < k; i++) {
      pattern[i] = rest[i] > eps;
      if (pattern[i]) {
        s++;
        if (rest[i] < m)
          m = rest[i];
      }
    }
    if (s == 0)
      break;
    a += m * s / n * pattern_agreement(pattern, k);
    for (int i = 0; i < k; i++)
      if (pattern[i])
        rest[i] -= m;
  }
  free(rest);
  free(pattern);
  return a;
}

int ordinal_measure(const double *w, int k, int x_min, enum ordinal_m m,
                    double *out) {
  double t = total(w, k);
  if (k < 2 || !(t > 0))
    return -1;
  double *p = malloc((size_t)k * sizeof *p);
  if (!p)
    return -1;
  for (int i = 0; i < k; i++)
    p[i] = w[i] / t;
  double mu = mean_of(p, k, x_min), r = 0, cum = 0;
  double mid = x_min + (k - 1) / 2.0;
  switch (m) {
  case OM_MEAN: r = mu; break;
  case OM_MEDIAN:
    r = x_min + k - 1;
    for (int i = 0; i < k; i++) {
      cum += p[i];
      if (cum >= 0.5 - HALF_TOLERANCE) {
        r = x_min + i;
        break;
      }
    }
    break;
  case OM_SD:
    for (int i = 0; i < k; i++)
      r += p[i] * (x_min + i - mu) * (x_min + i - mu);
    r = sqrt(r);
    break;
  case OM_CNS: {
    double d = k - 1;
    r = 1;
    for (int i = 0; i < k; i++)
      if (p[i] > 0)
        r += p[i] * log2(1 - fabs(x_min + i - mu) / d);
    break;
  }
  case OM_AGREEMENT: r = k < 3 ? NAN : agreement(w, k); break;
  case OM_LEIK:
    for (int i = 0; i < k - 1; i++) {
      cum += p[i];
      r += cum <= 0.5 ? cum : 1 - cum;
    }
    r *= 2.0 / (k - 1);
    break;
  case OM_ENTROPY:
    for (int i = 0; i < k; i++)
      if (p[i] > 0)
        r -= p[i] * log(p[i]);
    r /= log(k);
    break;
  case OM_BULL:
  case OM_BEAR:
  case OM_BALANCE: {
    double bull = 0, bear = 0;
    for (int i = 0; i < k; i++) {
      if (x_min + i > mid)
        bull += p[i];
      else if (x_min + i < mid)
        bear += p[i];
    }
    r = m == OM_BULL ? bull : m == OM_BEAR ? bear : bull - bear;
    break;
  }
  }
  free(p);
  *out = r;
  return isnan(r) ? -1 : 0;
}

double ordinal_jsd(const double *wp, const double *wq, int k) {
  double tp = total(wp, k), tq = total(wq, k), d = 0;
  if (!(tp > 0) || !(tq > 0))
    return NAN;
  for (int i = 0; i < k; i++) {
    double p = wp[i] / tp, q = wq[i] / tq, m = (p + q) / 2;
    if (p > 0)
      d += 0.5 * p * log2(p / m);
    if (q > 0)
      d += 0.5 * q * log2(q / m);
  }
  /* Rounding can leave -1e-17 for identical distributions. */
  return d < 0 ? 0 : d > 1 ? 1 : d;
}

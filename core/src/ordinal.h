/*
** ordinal.h -- measures of consensus and dispersion over an ordinal
** distribution of weights (ordinal.c, docs/functions.md).  Layer: pure math
** over a weight vector, no SQL, no handle: views_select.c reads the weights.
*/
#ifndef CK_ORDINAL_H
#define CK_ORDINAL_H

/* A question's scale: at most this many points, each within +-CK_SCALE_BOUND
   (a scale is a Likert scale or a probability in percent, not a range of
   numbers; docs/packs.md). */
#define CK_SCALE_MAX_POINTS 101
#define CK_SCALE_BOUND 1000000

enum ordinal_m {
  OM_MEAN,
  OM_MEDIAN,
  OM_SD,
  OM_CNS,
  OM_AGREEMENT,
  OM_LEIK,
  OM_ENTROPY,
  OM_BULL,
  OM_BEAR,
  OM_BALANCE
};

/* Measure `m` of the distribution of weights w[0..k-1] over the categories
   x_min .. x_min + k - 1 (docs/functions.md).  Returns 0, or -1 when it is not
   defined: no weight, k < 2, or agreement with k < 3. */
int ordinal_measure(const double *w, int k, int x_min, enum ordinal_m m,
                    double *out);
/* Jensen-Shannon divergence, base 2, in [0, 1], of two weight vectors, each
   normalised on its own; NaN when either is empty. */
double ordinal_jsd(const double *wp, const double *wq, int k);

#endif

/*
 * cdfdist.h -- sorted samples: the sort and the percentile rule every output uses (latencies,
 * lock waits and holds), and the distance between two empirical distributions, as DiskSim's
 * validation uses it.
 */
#ifndef VN_CDFDIST_H
#define VN_CDFDIST_H

#include <stddef.h>

/* Sort X ascending, exactly as qsort would (O(n) when nothing is negative or NaN). */
void cdf_sort(double *x, size_t n);
/* Quantile P (0..1) of the SORTED sample X[0..n-1], linear interpolation between order
 * statistics (position p*(n-1)).  n > 0. */
double cdf_quantile(const double *x, size_t n, double p);
/* RMS horizontal distance between the CDFs of samples A and B (any order, any unit; the
 * name says ms because the callers pass ms), over quantiles 0.0001, 0.0002, ... 1.0.
 * Returns NAN if either sample is empty.  Allocates (copies to sort). */
double cdf_rms_ms(const double *a_ms, size_t na, const double *b_ms, size_t nb);

#endif

/*
 * cdfdist.c -- the sort and the percentile rule every statistic uses (cdf_sort, cdf_quantile),
 * and the RMS horizontal distance between two service-time CDFs (DiskSim's `rms` figure):
 * sort both samples, take quantiles 0.0001 .. 1.0 in steps of 0.0001 with linear
 * interpolation between order statistics, and return the root mean square of the differences.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "models/cdfdist.h"

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sort X ascending.  Non-negative doubles order as their bit patterns, so a radix sort on the
 * bits (11-bit digits, least significant first, digits every key shares skipped) gives exactly
 * the array qsort gives, in O(n); anything negative or NaN (never a latency or a wait) goes to
 * qsort.  The sums taken over sorted arrays then add in the same order either way. */
void
cdf_sort(double *x, size_t n)
{
	enum { BITS = 11, NB = 1 << BITS };
	if (n < 64) {
		if (n) /* an empty GArray's data is NULL */
			qsort(x, n, sizeof *x, dbl_cmp);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!(x[i] >= 0) || signbit(x[i])) { /* NaN, negative, or -0.0 */
			qsort(x, n, sizeof *x, dbl_cmp);
			return;
		}
	uint64_t *src = g_new(uint64_t, 2 * n), *dst = src + n, *buf = src, all_or = 0,
	         all_and = ~0ull;
	memcpy(src, x, n * sizeof *x); /* the bits, without aliasing x */
	for (size_t i = 0; i < n; i++) {
		all_or |= src[i];
		all_and &= src[i];
	}
	size_t *count = g_new(size_t, NB);
	for (int shift = 0; shift < 64; shift += BITS) {
		if (!(((all_or ^ all_and) >> shift) & (NB - 1)))
			continue; /* every key has the same digit here */
		memset(count, 0, NB * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[src[i] >> shift & (NB - 1)]++;
		size_t at = 0;
		for (int d = 0; d < NB; d++) {
			size_t c = count[d];
			count[d] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[src[i] >> shift & (NB - 1)]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	memcpy(x, src, n * sizeof *x);
	g_free(count);
	g_free(buf);
}

double
cdf_quantile(const double *x, size_t n, double p)
{
	g_assert(n > 0);
	double pos = p * (double)(n - 1);
	size_t i = (size_t)floor(pos);
	double f = pos - (double)i;
	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + f * (x[i + 1] - x[i]);
}

double
cdf_rms_ms(const double *a_ms, size_t na, const double *b_ms, size_t nb)
{
	if (na == 0 || nb == 0)
		return NAN;
	double *a = g_memdup2(a_ms, na * sizeof(double));
	double *b = g_memdup2(b_ms, nb * sizeof(double));
	qsort(a, na, sizeof(double), dbl_cmp);
	qsort(b, nb, sizeof(double), dbl_cmp);
	double s = 0;
	for (int k = 1; k <= 10000; k++) {
		double p = k / 10000.0;
		double d = cdf_quantile(a, na, p) - cdf_quantile(b, nb, p);
		s += d * d;
	}
	g_free(a);
	g_free(b);
	return sqrt(s / 10000.0);
}

/*
 * cdfdist.c -- the RMS horizontal distance between two service-time CDFs (DiskSim's `rms`
 * figure): sort both samples, take quantiles 0.0001 .. 1.0 in steps of 0.0001 with linear
 * interpolation between order statistics, and return the root mean square of the differences.
 */
#include <math.h>
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

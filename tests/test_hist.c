/*
 * test_hist.c -- the streaming histogram against exact order statistics (a sorted array and
 * cdf_quantile, the rule it must follow) and against buckets worked out by hand.
 */
#include <glib.h>
#include <math.h>

#include "models/cdfdist.h"
#include "models/hist.h"
#include "tests/testutil.h"

static double
relerr(double a, double exact)
{
	return exact == 0 ? fabs(a) : fabs(a - exact) / exact;
}

START_TEST(test_empty)
{
	struct hist h;
	hist_init(&h);
	ck_assert(hist_quantile(&h, 0.5) == 0 && hist_mean(&h) == 0 && hist_stddev(&h) == 0);
	hist_free(&h);
}
END_TEST

/* 1.0, 1.5 and 3.0: the median is rank 0.5 x (3 - 1) = 1, the order statistic 1.5.  1.5 is
 * 1 + 256/512, the first value of bucket 256 of [1, 2): [1.5, 1.5 + 1/512), midpoint
 * 1.5 + 1/1024 = 1.5009765625 (relative error 0.065%, under 1/1024 = 0.098%).  p = 0.25 is
 * rank 0.5: halfway between the exact minimum 1.0 and that midpoint, 1.25048828125.  The
 * extremes are exact, the mean is 5.5 / 3, and the population variance
 * (1 + 2.25 + 9) / 3 - (5.5 / 3)^2 = 0.72222..., stddev 0.849836... */
START_TEST(test_hand_buckets)
{
	struct hist h;
	hist_init(&h);
	hist_add(&h, 3.0);
	hist_add(&h, 1.0);
	hist_add(&h, 1.5);
	ck_assert(hist_quantile(&h, 0.5) == 1.5009765625);
	ck_assert(hist_quantile(&h, 0.25) == 1.25048828125);
	ck_assert(hist_quantile(&h, 0) == 1.0 && hist_quantile(&h, 1) == 3.0);
	ck_assert(fabs(hist_mean(&h) - 5.5 / 3) < 1e-15);
	ck_assert(fabs(hist_stddev(&h) - sqrt(12.25 / 3 - (5.5 / 3) * (5.5 / 3))) < 1e-12);
	ck_assert_int_eq(h.nblocks, 2); /* [1, 2) and [2, 4) */
	hist_free(&h);
}
END_TEST

/* Log-uniform values over 1e-7 .. 10 s (a latency's whole plausible range): every quantile
 * within HIST_REL_ERR of the sorted array's by the same rule, the extremes and the mean
 * exact (up to summation order). */
START_TEST(test_against_sorted)
{
	enum { N = 200001 };
	GRand *r = g_rand_new_with_seed(42);
	double *x = g_new(double, N);
	struct hist h;
	hist_init(&h);
	double sum = 0;
	for (int i = 0; i < N; i++) {
		x[i] = pow(10, g_rand_double_range(r, -7, 1));
		sum += x[i];
		hist_add(&h, x[i]);
	}
	cdf_sort(x, N);
	const double ps[] = {0, 1e-4, 0.001, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999, 0.9999, 1};
	for (size_t k = 0; k < G_N_ELEMENTS(ps); k++) {
		double e = cdf_quantile(x, N, ps[k]), a = hist_quantile(&h, ps[k]);
		ck_assert_msg(relerr(a, e) <= HIST_REL_ERR, "p %g: %.12g vs exact %.12g", ps[k], a,
		              e);
	}
	ck_assert(hist_quantile(&h, 0) == x[0] && hist_quantile(&h, 1) == x[N - 1]);
	ck_assert(relerr(hist_mean(&h), sum / N) < 1e-12);
	/* 1e-7 .. 10 s spans 2^-24 .. 2^3: 28 powers of two, 4 KiB each */
	ck_assert_int_le(h.nblocks, 28);
	g_free(x);
	g_rand_free(r);
	hist_free(&h);
}
END_TEST

/* Interpolation between two distant order statistics: 0.5 at rank 1.5 of {1, 2, 4, 8} is
 * halfway between the midpoints of 2's bucket [2, 2 + 2/512) and 4's [4, 4 + 4/512):
 * 2 + 2/1024 = 2.001953125 and 4 + 4/1024 = 4.00390625, halfway 3.0029296875 (the sorted
 * array gives 3.0: 0.098%, the bound). */
START_TEST(test_interpolation)
{
	struct hist h;
	hist_init(&h);
	for (double v = 1; v <= 8; v *= 2)
		hist_add(&h, v);
	ck_assert(hist_quantile(&h, 0.5) == 3.0029296875);
	hist_free(&h);
}
END_TEST

static void
sum_counts(void *ctx, double lo, double hi, double mid, uint64_t n)
{
	uint64_t *c = ctx;
	ck_assert(lo <= mid || (lo == 0 && hi == 0));
	c[0] += n;
	c[1]++;
}

/* Merging two halves gives the histogram of the whole; zeros, values too small to bucket and
 * values past 2^64 s are counted, the extremes stay exact. */
START_TEST(test_merge_and_edges)
{
	struct hist a, b, all;
	hist_init(&a);
	hist_init(&b);
	hist_init(&all);
	const double v[] = {0, 1e-30, 2e-6, 3e-6, 0.5, 7, 1e30, 2e-6};
	for (size_t i = 0; i < G_N_ELEMENTS(v); i++) {
		hist_add(i % 2 ? &a : &b, v[i]);
		hist_add(&all, v[i]);
	}
	hist_merge(&a, &b);
	ck_assert_uint_eq(a.n, 8);
	ck_assert_uint_eq(a.zeros, 2);
	ck_assert(a.min == 0 && a.max == 1e30);
	for (int q = 0; q <= 20; q++)
		ck_assert(hist_quantile(&a, q / 20.0) == hist_quantile(&all, q / 20.0));
	uint64_t c[2] = {0, 0};
	hist_foreach(&a, sum_counts, c);
	ck_assert_uint_eq(c[0], 8);
	ck_assert_uint_eq(c[1], 6); /* zeros, 2e-6 (twice), 3e-6, 0.5, 7, 1e30 */
	hist_free(&a);
	hist_free(&b);
	hist_free(&all);
}
END_TEST

Suite *
suite_hist(void)
{
	Suite *s = suite_create("hist");
	TCase *tc = tcase_create("hist");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_hand_buckets);
	tcase_add_test(tc, test_against_sorted);
	tcase_add_test(tc, test_interpolation);
	tcase_add_test(tc, test_merge_and_edges);
	suite_add_tcase(s, tc);
	return s;
}

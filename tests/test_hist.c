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

/* Values alone in their buckets come back exactly: 1.0, 1.5 and 3.0 (1 + 0/512, 1 + 256/512
 * of [1, 2) and 1.5 x 2 of [2, 4)): the median (rank 0.5 x 2 = 1) is 1.5, p25 (rank 0.5)
 * halfway between 1.0 and 1.5.  The mean is 5.5 / 3, the population variance
 * (1 + 2.25 + 9) / 3 - (5.5 / 3)^2. */
START_TEST(test_hand_buckets)
{
	struct hist h;
	hist_init(&h);
	hist_add(&h, 3.0);
	hist_add(&h, 1.0);
	hist_add(&h, 1.5);
	ck_assert(hist_quantile(&h, 0.5) == 1.5);
	ck_assert(hist_quantile(&h, 0.25) == 1.25);
	ck_assert(hist_quantile(&h, 0) == 1.0 && hist_quantile(&h, 1) == 3.0);
	ck_assert(fabs(hist_mean(&h) - 5.5 / 3) < 1e-15);
	ck_assert(fabs(hist_stddev(&h) - sqrt(12.25 / 3 - (5.5 / 3) * (5.5 / 3))) < 1e-12);
	/* buckets 0 and 256 of [1, 2) and 256 of [2, 4): chunks 0 and 4 of each octave */
	ck_assert_int_eq(h.nchunks, 3);
	hist_free(&h);
}
END_TEST

/* Log-uniform values over 1e-7 .. 10 s (a latency's whole plausible range): every quantile
 * within 2 HIST_REL_ERR (a bucket's width, relative) of the sorted array's by the same
 * rule, the extremes and the mean exact (up to summation order). */
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
		ck_assert_msg(relerr(a, e) <= 2 * HIST_REL_ERR, "p %g: %.12g vs exact %.12g", ps[k],
		              a, e);
	}
	ck_assert(hist_quantile(&h, 0) == x[0] && hist_quantile(&h, 1) == x[N - 1]);
	ck_assert(relerr(hist_mean(&h), sum / N) < 1e-12);
	/* 1e-7 .. 10 s spans 2^-24 .. 2^3: 28 powers of two, 8 chunks each */
	ck_assert_int_le(h.nchunks, 28 * HIST_CPO);
	ck_assert_int_eq(h.o_n, 28);
	g_free(x);
	g_rand_free(r);
	hist_free(&h);
}
END_TEST

/* Values sharing a bucket are represented by their mean.  1.0, 1.0005, 1.0015 and 2.0:
 * the first three fall in bucket 0 of [1, 2) ([1, 1 + 1/512 = 1.001953125)), mean
 * 3.002 / 3 = 1.000666...; p50 is rank 0.5 x 3 = 1.5, halfway between order statistics 1
 * and 2, both that mean: 1.000666... (the sorted array gives 1.001: 0.033%, under 1/512);
 * p0 is the exact minimum 1.0 (clamped), p100 the exact maximum 2.0, and p 5/6 (rank 2.5)
 * halfway between the mean and 2.0: 1.500333... */
START_TEST(test_shared_bucket)
{
	struct hist h;
	hist_init(&h);
	const double v[] = {1.0, 1.0005, 1.0015, 2.0};
	for (size_t i = 0; i < G_N_ELEMENTS(v); i++)
		hist_add(&h, v[i]);
	double m = (1.0 + 1.0005 + 1.0015) / 3;
	ck_assert(fabs(hist_quantile(&h, 0.5) - m) < 1e-15);
	ck_assert(hist_quantile(&h, 0) == 1.0 && hist_quantile(&h, 1) == 2.0);
	ck_assert(fabs(hist_quantile(&h, 5.0 / 6) - (m + 2.0) / 2) < 1e-12);
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

/* Exact quantiles on request: the same shared-bucket values, kept one by one, give the
 * sorted array's quantiles exactly (p50: halfway between 1.0005 and 1.0015 = 1.001, where
 * the buckets give 1.000666...), and on the log-uniform sample of test_against_sorted every
 * quantile equals cdf_quantile's on the sorted array, while the buckets stay within their
 * bound of it (2 HIST_REL_ERR).  A merge of two exact histograms stays exact; a merge with
 * one that did not keep its values falls back to the buckets. */
START_TEST(test_exact_on_request)
{
	struct hist h;
	hist_init(&h);
	hist_keep_exact(&h);
	hist_add(&h, 2.0);
	hist_add(&h, 1.0015);
	hist_add(&h, 1.0);
	hist_add(&h, 1.0005);
	ck_assert(hist_quantile(&h, 0.5) == 1.0005 + 0.5 * (1.0015 - 1.0005));
	ck_assert(hist_quantile(&h, 0) == 1.0 && hist_quantile(&h, 1) == 2.0);
	hist_add(&h, 0.5); /* after a quantile: sorted again */
	ck_assert(hist_quantile(&h, 0.25) == 1.0);
	hist_free(&h);

	enum { N = 100001 };
	GRand *r = g_rand_new_with_seed(7);
	double *x = g_new(double, N);
	struct hist e, b, m;
	hist_init(&e);
	hist_init(&b);
	hist_init(&m);
	hist_keep_exact(&e);
	hist_keep_exact(&m);
	for (int i = 0; i < N; i++) {
		x[i] = pow(10, g_rand_double_range(r, -7, 1));
		hist_add(&e, x[i]);
		hist_add(&b, x[i]);
	}
	cdf_sort(x, N);
	const double ps[] = {0, 0.001, 0.25, 0.5, 0.9, 0.99, 0.999, 1};
	for (size_t k = 0; k < G_N_ELEMENTS(ps); k++) {
		double want = cdf_quantile(x, N, ps[k]);
		ck_assert_msg(hist_quantile(&e, ps[k]) == want, "p %g: exact %.17g vs %.17g", ps[k],
		              hist_quantile(&e, ps[k]), want);
		ck_assert(relerr(hist_quantile(&b, ps[k]), want) <= 2 * HIST_REL_ERR);
	}
	hist_merge(&m, &e);
	ck_assert(m.exact && hist_quantile(&m, 0.5) == cdf_quantile(x, N, 0.5));
	hist_merge(&m, &b); /* B kept no values */
	ck_assert(!m.exact && m.ex == NULL && m.n == 2 * (uint64_t)N);
	g_free(x);
	g_rand_free(r);
	hist_free(&e);
	hist_free(&b);
	hist_free(&m);
}
END_TEST

/* A run with [sim] exact_quantiles=1 against the same run without: the same requests (the
 * counts and the mean, which never come from the buckets, are equal), and summary.csv's
 * percentiles from the histogram within its bound (2 HIST_REL_ERR, plus the 0.0005 us of the
 * column's rounding) of the exact ones.  Jitter spreads the latencies so that buckets hold
 * distinct values (without it the two agree to the last digit). */
START_TEST(test_exact_run)
{
	const char *cols[] = {"lat_p50_us", "lat_p99_us", "lat_p999_us"};
	char *d[2];
	for (int e = 0; e < 2; e++) {
		d[e] = g_strdup_printf("%s/eq%d", tu_tmpdir(), e);
		char *out = NULL;
		int st =
		    tu_sh(&out,
		          "%s run scenarios/nvme-oltp.ini --policy four-color --set "
		          "global.runtime=0.005 --set sim.jitter=0.2 --set sim.exact_quantiles=%d "
		          "--out %s -q",
		          tu_prog(), e, d[e]);
		ck_assert_msg(st == 0, "exit %d: %s", st, out);
		g_free(out);
	}
	ck_assert(tu_summary_field(d[0], "four-color", "all", "ops") ==
	          tu_summary_field(d[1], "four-color", "all", "ops"));
	ck_assert(tu_summary_field(d[0], "four-color", "all", "lat_mean_us") ==
	          tu_summary_field(d[1], "four-color", "all", "lat_mean_us"));
	for (size_t k = 0; k < G_N_ELEMENTS(cols); k++) {
		double h = tu_summary_field(d[0], "four-color", "all", cols[k]);
		double x = tu_summary_field(d[1], "four-color", "all", cols[k]);
		ck_assert_msg(fabs(h - x) <= 2 * HIST_REL_ERR * x + 0.0005,
		              "%s: histogram %.3f, exact %.3f", cols[k], h, x);
	}
	char *out = NULL;
	ck_assert_int_eq(
	    tu_sh(&out, "grep -c '\"exact_quantiles\" : \"on\"' %s/four-color/result.json", d[1]),
	    0);
	g_free(out);
	g_free(d[0]);
	g_free(d[1]);
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
	tcase_add_test(tc, test_shared_bucket);
	tcase_add_test(tc, test_merge_and_edges);
	tcase_add_test(tc, test_exact_on_request);
	TCase *run = tcase_create("run");
	tcase_set_timeout(run, 60);
	tcase_add_test(run, test_exact_run);
	suite_add_tcase(s, run);
	suite_add_tcase(s, tc);
	return s;
}

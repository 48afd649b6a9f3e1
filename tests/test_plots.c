/*
 * test_plots.c -- figures that must show what they hold: the speedup heat map of one
 * workload (gnuplot's "with image" drew nothing under 2 x 2 cells: report on one scenario
 * gave a blank map), and the latency CDF, where identical curves are drawn once under
 * their joined names and the tail has its own log-scale panel.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

/* The number of filled SVG elements in FILE (fill = 'rgb(...)'). */
static int
fills(const char *file)
{
	char *text = NULL;
	ck_assert(g_file_get_contents(file, &text, NULL, NULL));
	int n = 0;
	for (const char *p = text; (p = strstr(p, "fill = 'rgb(")); p++)
		n++;
	g_free(text);
	return n;
}

static bool
have_gnuplot(const char *test)
{
	if (tu_sh(NULL, "command -v gnuplot") == 0)
		return true;
	printf("SKIP: %s (gnuplot is not installed)\n", test);
	return false;
}

START_TEST(test_heatmap_one_row)
{
	if (!have_gnuplot("test_heatmap_one_row"))
		return;
	const char *t = tu_tmpdir();
	/* one workload, three policies, one without a run: two cells to fill, against the
	 * same map with no cell filled (the colour box and frame are common to both) */
	tu_write("one.dat", "speedup serial none four-color\ndefault 1.000 3.200 NaN\n");
	tu_write("empty.dat", "speedup serial none four-color\ndefault NaN NaN NaN\n");
	char *out;
	for (int k = 0; k < 2; k++) {
		int st = tu_sh(&out,
		               "gnuplot -e \"dat='%s/%s.dat'; out='%s/%s'; nrows=1; ncols=3\" "
		               "results/heatmap.gp",
		               t, k ? "empty" : "one", t, k ? "empty" : "one");
		ck_assert_msg(st == 0, "%d: %s", st, out);
		g_free(out);
	}
	char *one = g_build_filename(t, "one.svg", NULL),
	     *empty = g_build_filename(t, "empty.svg", NULL);
	ck_assert_int_eq(fills(one) - fills(empty), 2);
	char *text = NULL;
	ck_assert(g_file_get_contents(one, &text, NULL, NULL));
	ck_assert(strstr(text, ">3.20<") && strstr(text, ">no run<"));
	g_free(text);
	g_free(one);
	g_free(empty);
}
END_TEST

START_TEST(test_cdf_identical_curves)
{
	if (!have_gnuplot("test_cdf_identical_curves"))
		return;
	/* direct random writers: serial and four-color both make every POSIX write exclusive
	 * of every other request (serial's vnode lock; four-color's matrix), so their
	 * latencies are the same request for request; none takes no lock */
	const char *sc = tu_write("w.ini", "[global]\nfilename=shared\nsize=16m\nbs=4k\n"
	                                   "ioengine=psync\nnumber_ios=500\n"
	                                   "[w]\nrw=randwrite\ndirect=1\nnumjobs=4\n");
	char *out;
	int st = tu_sh(&out, "%s compare %s --policies serial,none,four-color --out %s/c -q",
	               tu_prog(), sc, tu_tmpdir());
	ck_assert_msg(st == 0, "%d: %s", st, out);
	g_free(out);
	char *dat = g_build_filename(tu_tmpdir(), "c", "plots", "latency_cdf.dat", NULL);
	char *text = NULL;
	ck_assert(g_file_get_contents(dat, &text, NULL, NULL));
	ck_assert_msg(strstr(text, "blocks in order: serial=four-color none (") &&
	                  strstr(text, "\n# serial=four-color\n") && strstr(text, "\n# none\n") &&
	                  !strstr(text, "\n# four-color\n"),
	              "%s", text);
	g_free(text);
	char *svg = g_build_filename(tu_tmpdir(), "c", "plots", "latency_cdf.svg", NULL);
	ck_assert(g_file_get_contents(svg, &text, NULL, NULL));
	ck_assert(strstr(text, "Tail: fraction slower than x") &&
	          strstr(text, "serial=four-color"));
	g_free(text);
	g_free(svg);
	g_free(dat);
}
END_TEST

Suite *
suite_plots(void)
{
	Suite *s = suite_create("plots");
	TCase *tc = tcase_create("plots");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_heatmap_one_row);
	tcase_add_test(tc, test_cdf_identical_curves);
	suite_add_tcase(s, tc);
	return s;
}

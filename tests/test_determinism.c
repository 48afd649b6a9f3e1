/*
 * test_determinism.c -- same scenario, same seed, same bytes: every .ini file in scenarios/
 * (those present when the tests run) is simulated twice at a reduced size
 * (--set global.number_ios=N) with one seed, and summary.csv and every result.json of the two
 * runs must be byte-identical (DESIGN.md §8: nothing in them depends on the machine or run).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

#define DET_IOS "300" /* requests per job clone: enough to exercise every path, quickly */
#define DET_SEED "3"

static GPtrArray *scenarios; /* paths, found when the suite is built */

static void
find_scenarios(void)
{
	scenarios = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open("scenarios", 0, NULL);
	const char *e;
	while (d && (e = g_dir_read_name(d)))
		if (g_str_has_suffix(e, ".ini"))
			g_ptr_array_add(scenarios, g_build_filename("scenarios", e, NULL));
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(scenarios, (GCompareFunc)g_strcmp0);
}

/* Files named NAME under DIR (depth 2), relative, sorted. */
static GPtrArray *
outputs(const char *dir)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(a, g_strdup("summary.csv"));
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *e;
	while (d && (e = g_dir_read_name(d))) {
		char *rel = g_build_filename(e, "result.json", NULL);
		char *p = g_build_filename(dir, rel, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
			g_ptr_array_add(a, rel);
		else
			g_free(rel);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(a, (GCompareFunc)g_strcmp0);
	return a;
}

START_TEST(test_same_seed_same_bytes)
{
	const char *sc = scenarios->pdata[_i];
	char *dir[2], *out;
	for (int k = 0; k < 2; k++) {
		dir[k] = g_strdup_printf("%s/det-%d-%d", tu_tmpdir(), _i, k);
		int st = tu_sh(&out,
		               "%s run %s --seed " DET_SEED " --set global.number_ios=" DET_IOS
		               " --out %s -q",
		               tu_prog(), sc, dir[k]);
		ck_assert_msg(st == 0, "%s: run %d exited %d:\n%s", sc, k, st, out);
		g_free(out);
	}
	GPtrArray *files = outputs(dir[0]);
	ck_assert_msg(files->len >= 2, "%s: no result.json", sc);
	for (guint i = 0; i < files->len; i++) {
		char *p0 = g_build_filename(dir[0], files->pdata[i], NULL);
		char *p1 = g_build_filename(dir[1], files->pdata[i], NULL);
		char *a = NULL, *b = NULL;
		gsize la = 0, lb = 0;
		ck_assert_msg(g_file_get_contents(p0, &a, &la, NULL), "%s: no %s", sc, p0);
		ck_assert_msg(g_file_get_contents(p1, &b, &lb, NULL), "%s: no %s", sc, p1);
		ck_assert_msg(la == lb && memcmp(a, b, la) == 0,
		              "%s: %s differs between two runs with seed " DET_SEED " (diff %s %s)",
		              sc, (char *)files->pdata[i], p0, p1);
		g_free(a);
		g_free(b);
		g_free(p0);
		g_free(p1);
	}
	g_ptr_array_free(files, TRUE);
	g_free(dir[0]);
	g_free(dir[1]);
}
END_TEST

START_TEST(test_have_scenarios)
{
	ck_assert_msg(scenarios->len > 0, "no scenarios/*.ini");
}
END_TEST

Suite *
suite_determinism(void)
{
	Suite *s = suite_create("determinism");
	find_scenarios();
	TCase *tc = tcase_create("scenarios");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_have_scenarios);
	tcase_add_loop_test(tc, test_same_seed_same_bytes, 0, (int)scenarios->len);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_csv.c -- CSV files as RFC 4180 says: a job named `db,reader` is one quoted field in
 * summary.csv and requests.csv (it shifted every column before), read back by the program's
 * own reader (compare's mean rows) and by Python's csv module; names without such characters
 * are written as before.
 */
#include <glib.h>
#include <string.h>

#include "sim/csv.h"
#include "tests/testutil.h"

START_TEST(test_csv_fields)
{
	GString *s = g_string_new(NULL);
	csv_field(s, "plain");
	g_string_append_c(s, ',');
	csv_field(s, "db,reader");
	g_string_append_c(s, ',');
	csv_field(s, "say \"hi\"");
	g_string_append_c(s, ',');
	csv_field(s, "");
	/* RFC 4180 2.6, 2.7: enclosed in quotes, a quote doubled */
	ck_assert_str_eq(s->str, "plain,\"db,reader\",\"say \"\"hi\"\"\",");
	char **f = csv_split(s->str);
	ck_assert_uint_eq(g_strv_length(f), 4);
	ck_assert_str_eq(f[0], "plain");
	ck_assert_str_eq(f[1], "db,reader");
	ck_assert_str_eq(f[2], "say \"hi\"");
	ck_assert_str_eq(f[3], "");
	g_strfreev(f);
	f = csv_split("a,b\r\n");
	ck_assert_uint_eq(g_strv_length(f), 2);
	ck_assert_str_eq(f[1], "b");
	g_strfreev(f);
	g_string_free(s, TRUE);
}
END_TEST

/* Every record of DIR/FILE has as many fields as its header, by Python's csv module; the
 * field NAME of the second column COL holds JOB on some row. */
static void
check_py(const char *path, const char *col, const char *job)
{
	char *out = NULL;
	int st = tu_sh(&out,
	               "python3 -c 'import csv,sys\n"
	               "r=list(csv.reader(open(sys.argv[1],newline=\"\")))\n"
	               "assert all(len(x)==len(r[0]) for x in r), [len(x) for x in r]\n"
	               "i=r[0].index(sys.argv[2])\n"
	               "assert any(x[i]==sys.argv[3] for x in r[1:]), r\n' %s %s '%s'",
	               path, col, job);
	ck_assert_msg(st == 0, "%s: %.1500s", path, out);
	g_free(out);
}

START_TEST(test_csv_job_with_comma)
{
	const char *sc = tu_write("comma.ini", "[global]\nfilename=t.db\nsize=1m\nbs=4k\n"
	                                       "runtime=0.05\ntime_based\n"
	                                       "[j]\nname=db,reader\nrw=randread\n"
	                                       "[disk]\nmodel=ssd\n");
	char *dir = g_build_filename(tu_tmpdir(), "comma", NULL), *out = NULL;
	int st = tu_sh(&out, "%s compare %s --policies serial --seeds 2 --requests -q --out %s",
	               tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "exit %d: %.500s", st, out);
	g_free(out);
	char *sum = g_build_filename(dir, "summary.csv", NULL);
	check_py(sum, "job", "db,reader");
	char *req = g_build_filename(dir, "serial", "requests.csv", NULL);
	check_py(req, "job", "db,reader");
	/* the mean row (written from the parsed per-seed rows) is there, by our reader too */
	char *text = NULL;
	ck_assert(g_file_get_contents(sum, &text, NULL, NULL));
	ck_assert_msg(strstr(text, "serial,mean,\"db,reader\","), "%.800s", text);
	ck_assert(tu_summary_field(dir, "serial", "db,reader", "ops") > 0);
	g_free(text);
	g_free(req);
	g_free(sum);
	g_free(dir);
}
END_TEST

Suite *
suite_csv(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_csv_fields);
	tcase_add_test(tc, test_csv_job_with_comma);
	suite_add_tcase(s, tc);
	return s;
}

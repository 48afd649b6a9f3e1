/*
 * test_progress.c -- run's progress line (sim/progress.c): drawn on stderr when forced
 * ($VNODESIM_PROGRESS=1) or on a terminal (a pty from script(1)), with the percentage, the
 * requests and an ETA, and erased at the end; never in output that is not a terminal; and
 * the outputs byte-identical with and without it (it only observes SimGrid's clock).
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

/* forced, the line is drawn at once; on a terminal after 1 s: BUSY simulates about 2-4 s
 * of wall time (100,000 requests) */
static const char quick[] = "[global]\nfilename=shared\nsize=64m\nbs=4k\nioengine=psync\n"
                            "number_ios=15000\n"
                            "[w]\nrw=randwrite\ndirect=1\nnumjobs=4\n";
static const char busy[] = "[global]\nfilename=shared\nsize=512m\nbs=4k\nioengine=psync\n"
                           "number_ios=25000\n"
                           "[w]\nrw=randwrite\ndirect=1\nnumjobs=4\n";

static char *
slurp(const char *dir, const char *file)
{
	char *p = g_build_filename(dir, file, NULL), *text = NULL;
	g_file_get_contents(p, &text, NULL, NULL);
	g_free(p);
	return text;
}

START_TEST(test_progress_line)
{
	const char *sc = tu_write("quick.ini", quick);
	const char *t = tu_tmpdir();
	char *err = NULL;
	/* forced: stderr only (stdout to /dev/null) */
	int st = tu_sh(&err,
	               "{ VNODESIM_PROGRESS=1 %s run %s --policy serial --out %s/on 2>&1 "
	               ">/dev/null; }",
	               tu_prog(), sc, t);
	ck_assert_msg(st == 0, "%d: %s", st, err);
	/* 4 clones x 15,000 requests = 60,000 expected */
	ck_assert_msg(strstr(err, "\rvnodesim: serial ") && strstr(err, " of 60000 requests)") &&
	                  strstr(err, "% (") && strstr(err, ", ETA 0:"),
	              "%s", g_strescape(err, NULL));
	/* erased: the last thing written is CR, blanks as wide as the line, CR */
	size_t n = strlen(err);
	ck_assert(n > 3 && err[n - 1] == '\r' && err[n - 2] == ' ');
	const char *last = strrchr(err, 'E'); /* in the last line drawn: "ETA" */
	ck_assert(last);
	g_free(err);
	/* not a terminal, not forced: nothing */
	st = tu_sh(&err, "{ %s run %s --policy serial --out %s/off 2>&1 >/dev/null; }", tu_prog(),
	           sc, t);
	ck_assert_msg(st == 0 && !strchr(err, '\r') && !strstr(err, "ETA"), "%d: %s", st, err);
	g_free(err);
	/* the outputs do not depend on it */
	char *on_dir = g_build_filename(t, "on", NULL), *off_dir = g_build_filename(t, "off", NULL);
	char *a = slurp(on_dir, "summary.csv"), *b = slurp(off_dir, "summary.csv");
	ck_assert(a && b);
	ck_assert_str_eq(a, b);
	g_free(a);
	g_free(b);
	a = slurp(on_dir, "serial/result.json");
	b = slurp(off_dir, "serial/result.json");
	ck_assert(a && b);
	ck_assert_str_eq(a, b);
	g_free(a);
	g_free(b);
	g_free(on_dir);
	g_free(off_dir);
	/* on a terminal (script(1) gives the command a pty) */
	if (tu_sh(NULL, "command -v script") != 0) {
		printf("SKIP: test_progress_line pty part (script(1) is not installed)\n");
		return;
	}
	sc = tu_write("busy.ini", busy);
	/* the first line after 0 s rather than 1 s: a fast machine finishes BUSY within the
	 * second (the test failed so once) */
	st = tu_sh(&err,
	           "VNODESIM_PROGRESS_AFTER=0 script -qec '%s run %s --policy serial --out %s/tty' "
	           "/dev/null",
	           tu_prog(), sc, t);
	ck_assert_msg(st == 0 && strstr(err, "\rvnodesim: serial ") && strstr(err, ", ETA "),
	              "%d: %s", st, err);
	g_free(err);
	/* -q: nothing but errors, on a terminal too */
	st =
	    tu_sh(&err,
	          "VNODESIM_PROGRESS_AFTER=0 script -qec '%s run %s --policy serial --out %s/q -q' "
	          "/dev/null",
	          tu_prog(), sc, t);
	ck_assert_msg(st == 0 && !strstr(err, "ETA"), "%d: %s", st, err);
	g_free(err);
}
END_TEST

Suite *
suite_progress(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("progress");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_progress_line);
	suite_add_tcase(s, tc);
	return s;
}

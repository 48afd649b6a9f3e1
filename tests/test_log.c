/*
 * test_log.c -- the debug log: every module's SimGrid log category is a child of `vnodesim`,
 * so --log=vnodesim.thres:debug shows them all and --log=vnodesim_lock.thres:debug one; the
 * statements at lock grant/wait, disk dispatch/completion, write-back and verdicts print; and
 * logging changes no output (summary.csv and result.json are the same with and without it).
 */
#include <glib.h>
#include <string.h>

#include "tests/testutil.h"

/* Overlapping buffered and direct writers and readers of one sparse file, under `none`
 * (torn writes: verdicts) and `serial` (vnode lock waits): locks, allocations, disk I/O,
 * write-back, in a few milliseconds. */
#define SCENARIO "scenarios/overlapping-writers.ini"
#define SETS "--set global.runtime=0.002 --set fs.layout=sparse"

/* Run SC under `none` and `serial` into a fresh directory NAME with the SimGrid option LOG;
 * *OUT gets what it printed (-q: only the log). */
static char *
run(const char *sc, const char *name, const char *log, char **out)
{
	char *dir = g_build_filename(tu_tmpdir(), name, NULL);
	int st = tu_sh(out, "%s run %s " SETS " --policy none,serial -q --out %s %s", tu_prog(), sc,
	               dir, log);
	ck_assert_msg(st == 0, "%s: exit %d: %.300s", name, st, *out);
	return dir;
}

static char *
slurp(const char *dir, const char *a, const char *b)
{
	char *p = g_build_filename(dir, a, b, NULL), *text = NULL;
	ck_assert_msg(g_file_get_contents(p, &text, NULL, NULL), "%s", p);
	g_free(p);
	return text;
}

START_TEST(test_log_categories)
{
	const char *sc = SCENARIO;
	char *quiet, *all, *lock;
	char *d0 = run(sc, "quiet", "", &quiet);
	char *d1 = run(sc, "all", "--log=vnodesim.thres:debug", &all);
	char *d2 = run(sc, "lock", "--log=vnodesim_lock.thres:debug", &lock);
	ck_assert_msg(!strstr(quiet, "vnodesim_"), "logged without --log: %.300s", quiet);
	/* the root shows every module's statements */
	static const char *const want[] = {
	    "[vnodesim_lock/DEBUG] getpages grant: req ",
	    "[vnodesim_lock/DEBUG] vnode wait: req ",
	    "[vnodesim_disk/DEBUG] dispatch write lbn ",
	    "[vnodesim_disk/DEBUG] complete write lbn ",
	    "[vnodesim_fs/DEBUG] req ",
	    "[vnodesim_wb/DEBUG] write back hot.db pages ",
	    "[vnodesim_oracle/DEBUG] req ",
	    "[vnodesim_bmap/DEBUG] allocated ",
	    "[vnodesim_oracle/VERBOSE] judged ",
	    "[vnodesim_run/VERBOSE] every job ended",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
		ck_assert_msg(strstr(all, want[i]), "no '%s' in: %.300s", want[i], all);
	/* one category shows only its own */
	ck_assert_msg(strstr(lock, "[vnodesim_lock/DEBUG] getpages grant"), "%.300s", lock);
	ck_assert_msg(!strstr(lock, "vnodesim_disk") && !strstr(lock, "vnodesim_fs"), "%.300s",
	              lock);
	/* and logging moves no result */
	const char *files[][2] = {
	    {"summary.csv", NULL}, {"none", "result.json"}, {"serial", "result.json"}};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		char *a = slurp(d0, files[i][0], files[i][1]),
		     *b = slurp(d1, files[i][0], files[i][1]);
		ck_assert_msg(strcmp(a, b) == 0, "%s differs with --log", files[i][0]);
		g_free(a);
		g_free(b);
	}
	g_free(quiet);
	g_free(all);
	g_free(lock);
	g_free(d0);
	g_free(d1);
	g_free(d2);
}
END_TEST

Suite *
suite_log(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_log_categories);
	suite_add_tcase(s, tc);
	return s;
}

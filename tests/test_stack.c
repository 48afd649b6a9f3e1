/*
 * test_stack.c -- actors' stacks (sim/engine.c's note): vnodesim gives every actor
 * VN_STACK_KIB KiB of stack, with SimGrid's guard page below it.  The deepest path a request
 * takes must fit with room to spare, and an overflow must stop the run (the guard page)
 * rather than run on over another actor's memory.  Past about 32,000 actors the guard pages
 * would exhaust the kernel's memory maps: vnodesim drops them itself, unless the user set
 * contexts/guard-size (guard.c note 4).
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "sim/guard.h"
#include "sim/run.h"
#include "tests/testutil.h"

/* The deepest path measured (engine.c): buffered requests through the page cache, its
 * write-back and readahead, direct requests through the block layer, a lock per request, and
 * every log category at debug (the formatting of a log line is the deepest frame).
 * backup-during-oltp.ini has all of it in one run. */
static int
run_with_stack(unsigned kib, char **out)
{
	/* Under make check SAN=1 an AddressSanitizer report in the build's log_path fails the
	 * whole check: the overflow this file provokes on purpose reports to the test's own
	 * folder instead (a later log_path in ASAN_OPTIONS wins). */
	return tu_sh(out,
	             "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:log_path=%s/expected-asan\" "
	             "%s run scenarios/backup-during-oltp.ini --policy four-color "
	             "--set global.runtime=0.002 --set fs.cache_mb=16 --log=vnodesim.thres:debug "
	             "--cfg=contexts/stack-size:%u --out %s/st%u -q >/dev/null",
	             tu_tmpdir(), tu_prog(), kib, tu_tmpdir(), kib);
}

START_TEST(test_deep_path_fits_a_quarter)
{
	/* A quarter of the stack vnodesim gives: the path needs 8-12 KiB (engine.c), 16 KiB
	 * holds it, so the default has at least four times the room it needs. */
	char *out = NULL;
	int st = run_with_stack(VN_STACK_KIB / 4, &out);
	if (st != 0)
		ck_abort_msg("deepest path under %u KiB: exit %d: %s", VN_STACK_KIB / 4, st, out);
	g_free(out);
	st = run_with_stack(VN_STACK_KIB, &out);
	ck_assert_msg(st == 0, "default stack: exit %d: %s", st, out);
	g_free(out);
}
END_TEST

START_TEST(test_overflow_is_caught)
{
	/* 4 KiB is less than the path needs (it crashes at 8): the guard page turns the
	 * overflow into a signal, and the run fails instead of finishing on corrupt memory. */
	char *out = NULL;
	int st = run_with_stack(4, &out);
	ck_assert_msg(st != 0, "a 4 KiB stack overflowed silently (exit 0): no guard page?");
	g_free(out);
}
END_TEST

START_TEST(test_guard_pages_off_decision)
{
	/* vm.max_map_count 65530 less the 1,000 maps guard.c keeps for everything else: 64,530
	 * for stacks.  With a guard page an actor takes two, without one. */
	ck_assert(!guard_pages_off(32265, 65530, false)); /* 2 x 32,265 = 64,530: fits */
	ck_assert(guard_pages_off(32266, 65530, false));  /* 64,532 > 64,530; 32,266 fits */
	ck_assert(!guard_pages_off(32266, 65530, true));  /* the user's --cfg wins */
	ck_assert(guard_pages_off(64530, 65530, false));  /* one map each: 64,530 fits */
	ck_assert(!guard_pages_off(64531, 65530, false)); /* fits neither way: refused */
	ck_assert(!guard_pages_off(10, 262144, false));   /* a larger map count: kept */
	ck_assert(!guard_pages_off(1, 500, false));       /* below the spare: nothing fits */
}
END_TEST

static long
map_count(void)
{
	long v = 65530;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 65530;
		fclose(f);
	}
	return v;
}

/* 32,300 raw threads of one request each, plus the model's 8 actors (guard.c's estimate):
 * 32,308 actors, 64,616 maps with guard pages > 64,530.  16 KiB stacks (the deepest path
 * fits a quarter of the default, above; a raw job's path is shallower) keep it fast: without
 * guard pages SimGrid zeroes every stack. */
#define MANY 32300
static int
run_many(const char *extra, char **out)
{
	return tu_sh(
	    out,
	    "{ %s run bench/cheetah-randread.ini --set bench.numjobs=%d "
	    "--set bench.number_ios=1 --set bench.iodepth=1 --set sim.oracle=0 "
	    "--cfg=contexts/stack-size:16 %s --out %s/many -q 2>&1 >/dev/null; }", /* stderr */
	    tu_prog(), MANY, extra, tu_tmpdir());
}

START_TEST(test_many_threads_run)
{
	char *out = NULL;
	int st = run_many("", &out);
	if (st == 2 && strstr(out, "would need about")) { /* a small machine's memory */
		printf("SKIP: test_many_threads_run (%s)\n", out);
		g_free(out);
		return;
	}
	ck_assert_msg(st == 0, "%d threads: exit %d: %s", MANY, st, out);
	bool off = guard_pages_off(MANY + 8, map_count(), false);
	if (off) {
		ck_assert_msg(strstr(out, "guard pages off") && strstr(out, "32308 actors"),
		              "no notice: %s", out);
		int lines = 0;
		for (const char *c = out; *c; c++)
			lines += *c == '\n';
		ck_assert_msg(lines == 1, "not one line on stderr: %s", out);
	} else {
		ck_assert_msg(!strstr(out, "guard pages off"), "guard pages dropped: %s", out);
		printf("SKIP: test_many_threads_run's automatic part (vm.max_map_count %ld holds "
		       "%d actors with guard pages)\n",
		       map_count(), MANY + 8);
	}
	char *dir = g_strdup_printf("%s/many", tu_tmpdir());
	ck_assert_int_eq((int)tu_summary_field(dir, "serial", "bench", "ops"), MANY);
	g_free(dir);
	g_free(out);
	if (!off)
		return;
	/* the user's contexts/guard-size wins: kept, and so refused with the advice */
	st = run_many("--cfg=contexts/guard-size:1", &out);
	ck_assert_msg(st == 2 && strstr(out, "add --cfg=contexts/guard-size:0"), "exit %d: %s", st,
	              out);
	g_free(out);
}
END_TEST

Suite *
suite_stack(void)
{
	Suite *s = suite_create("stack");
	TCase *tc = tcase_create("stack");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_deep_path_fits_a_quarter);
	tcase_add_test(tc, test_overflow_is_caught);
	tcase_add_test(tc, test_guard_pages_off_decision);
	suite_add_tcase(s, tc);
	/* 4-5 s here on a quiet host, with 0.7 GiB resident */
	TCase *many = tcase_create("many");
	tcase_set_timeout(many, 120);
	tcase_add_test(many, test_many_threads_run);
	suite_add_tcase(s, many);
	return s;
}

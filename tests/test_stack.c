/*
 * test_stack.c -- actors' stacks (sim/engine.c's note): vnodesim gives every actor
 * VN_STACK_KIB KiB of stack, with SimGrid's guard page below it.  The deepest path a request
 * takes must fit with room to spare, and an overflow must stop the run (the guard page)
 * rather than run on over another actor's memory.
 */
#include <glib.h>

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

Suite *
suite_stack(void)
{
	Suite *s = suite_create("stack");
	TCase *tc = tcase_create("stack");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_deep_path_fits_a_quarter);
	tcase_add_test(tc, test_overflow_is_caught);
	suite_add_tcase(s, tc);
	return s;
}

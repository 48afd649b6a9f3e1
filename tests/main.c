/* main.c -- the Check runner: every suite the Makefile found in tests/, fork mode. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

#define SUITE(name) Suite *suite_##name(void);
#include "suites.inc"
#undef SUITE

int
main(int argc, char **argv)
{
	SRunner *sr = NULL;
	/* The suite is not a benchmark: every tcase's limit is multiplied by
	 * CK_TIMEOUT_MULTIPLIER (Check's own variable), 3 unless set, so a loaded machine
	 * does not fail it.  Set before the suites are built (tcase_set_timeout reads it). */
	setenv("CK_TIMEOUT_MULTIPLIER", "3", 0);
#define SUITE(name)                                                                                \
	if (argc < 2 || strcmp(argv[1], #name) == 0) {                                             \
		if (!sr)                                                                           \
			sr = srunner_create(suite_##name());                                       \
		else                                                                               \
			srunner_add_suite(sr, suite_##name());                                     \
	}
#include "suites.inc"
#undef SUITE
	if (!sr) {
		fprintf(stderr, "no suite named %s\n", argc > 1 ? argv[1] : "");
		return 2;
	}
	/* Every test's temporary folder is made inside this one and removed with it, even when
	 * the test failed or timed out (Check ends a failed test with _exit, past its atexit). */
	char *top = g_dir_make_tmp("vnodesim-tests-XXXXXX", NULL);
	if (top)
		setenv("VNODESIM_TEST_TMP", top, 1);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (top) {
		char *cmd = g_strdup_printf("rm -rf '%s'", top);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", top);
		g_free(cmd);
		g_free(top);
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* main.c -- the Check runner: every suite the Makefile found in tests/, fork mode. */
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
#define SUITE(name)                                                                        \
	if (argc < 2 || strcmp(argv[1], #name) == 0) {                                    \
		if (!sr)                                                                   \
			sr = srunner_create(suite_##name());                               \
		else                                                                       \
			srunner_add_suite(sr, suite_##name());                             \
	}
#include "suites.inc"
#undef SUITE
	if (!sr) {
		fprintf(stderr, "no suite named %s\n", argc > 1 ? argv[1] : "");
		return 2;
	}
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

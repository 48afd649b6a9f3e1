/*
 * cmd_check.c -- `vnodesim check SCENARIO [--set ...]`: load and validate a scenario as a
 * run would (every section, every job, the resource bounds), simulate nothing.  With
 * --sim FILE, the simulator's sections come from FILE (scn_load_sim).
 */
#include <stdio.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/run.h"
#include "sim/scenario.h"

int
cmd_check(int argc, char **argv)
{
	char **sets = NULL;
	char *sim = NULL;
	GOptionEntry entries[] = {{"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
	                           "Override a scenario key", "SECTION.KEY=VALUE"},
	                          CLI_OPT_SIM(sim),
	                          {NULL}};
	int status = CLI_EXIT_BAD;
	struct scn *s = NULL;
	GError *err = NULL;
	if (!cli_parse_opts("check", "SCENARIO",
	                    "Parse and validate a scenario without simulating.", entries, &argc,
	                    &argv))
		goto done;
	if (argc != 2) {
		cli_bad("check: expected one SCENARIO");
		goto done;
	}
	if (!(s = cli_load_scenario_sim(argv[1], sim, sets)))
		goto done;
	if (!run_check(s, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	cli_print_warnings(s);
	printf("%s: ok (%u job section%s)\n", argv[1], scn_njobs(s), scn_njobs(s) == 1 ? "" : "s");
	status = 0;
done:
	scn_free(s);
	g_strfreev(sets);
	g_free(sim);
	return status;
}

/*
 * main.c -- the command line (DESIGN.md §8): set SimGrid's options aside, then dispatch to
 * the command's own module (commands.h).  vnodesim parses its own options with GOption
 * first and hands SimGrid only --cfg=/--log= (simgrid_init would answer --help and
 * --version itself).  Nothing else happens here.
 *
 * Exit status: 0 success; 2 bad input (the message names file:line and the key); 3 the
 * simulated system deadlocked; anything else is a bug.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/run.h"

static const struct command {
	const char *name;
	const char *usage;
	int (*fn)(int, char **);
} commands[] = {
    {"run",
     "SCENARIO [--policy P[,P...]] [--seed N] [--seeds N] [--set S.K=V]... [--out DIR] "
     "[--requests] [--timeline] [--sim FILE] [--output-format F] [--output FILE]\n"
     "               or fio's form: [JOBFILE] [--KEY=V...] --name=JOB --KEY=V... [--name=...]",
     cmd_run},
    {"compare",
     "SCENARIO [--policies all|P,P...] [--seeds N] [--set S.K=V]... [--out DIR] "
     "[--jobs N]   + plots",
     cmd_compare},
    {"sweep",
     "SCENARIO --vary SECTION.KEY=V1,V2,... [--vary ...] [--policies ...] "
     "[--seeds N] [--jobs N] [--out DIR] [--joblist FILE]",
     cmd_sweep},
    {"sensitivity",
     "SCENARIO [--policies all|P,P...] [--seeds N] [--factors 0.5,2] [--jobs N] "
     "[--out DIR]   which rankings flip when [host] costs move",
     cmd_sensitivity},
    {"merge", "DIR... --out DIR     combine sweeps' per-point outputs", cmd_merge},
    {"diff", "DIR_A DIR_B          what changed between two results", cmd_diff},
    {"report", "[SCENARIO...] [--seeds N] [--out DIR]   the design-review page", cmd_report},
    {"replay",
     "TRACE --format FORMAT --disk DISK [--devno N] [--out DIR]   (vnodesim replay --help)",
     cmd_replay},
    {"validate", "TRACE --disk DISK   replay a measured validate trace; print RMS and means",
     cmd_validate},
    {"policies", "                    name and one-line summary of each policy", cmd_policies},
    {"vs-fio",
     "RESULT.json SCENARIO [--policy P] [--out DIR]   a real fio run's figures beside "
     "the simulated ones",
     cmd_vsfio},
    {"check", "SCENARIO             parse and validate only", cmd_check},
    {"columns", "[--markdown]         summary.csv's columns: name, unit, format, meaning",
     cmd_columns},
};

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "vnodesim %s -- a storage stack simulator for comparing vnode lock policies\n\n"
	    "usage: vnodesim COMMAND [OPTIONS] [--cfg=SIMGRID_OPTION]... [--log=SIMGRID_LOG]...\n\n"
	    "commands:\n",
	    VNODESIM_VERSION);
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  vnodesim %s %s\n", commands[i].name, commands[i].usage);
	fprintf(f,
	        "\n`vnodesim COMMAND --help` describes each command's options.\n"
	        "--cfg= and --log= options go to SimGrid (e.g. --log=vnodesim_disk.thres:debug).\n"
	        "Exit status: 0 success, 2 bad input, 3 simulated deadlock.\n");
}

/* Each --cfg=/--log= SimGrid would refuse: one line naming it, instead of SimGrid's abort. */
static bool
simgrid_args_ok(const char *const *args)
{
	for (; *args; args++) {
		char *why;
		if (!engine_check_arg(*args, &why)) {
			fprintf(stderr, "vnodesim: %s: %s\n", *args, why);
			g_free(why);
			return false;
		}
	}
	return true;
}

int
main(int argc, char **argv)
{
	g_set_prgname("vnodesim");
	guard_install(argc, argv); /* SIGINT/SIGTERM leave complete results (guard.h) */
	/* SimGrid's options are set aside before anyone else parses the command line. */
	GPtrArray *sg_args = g_ptr_array_new(); /* --cfg=/--log=, NULL-terminated */
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (i > 0 &&
		    (g_str_has_prefix(argv[i], "--cfg=") || g_str_has_prefix(argv[i], "--log=")))
			g_ptr_array_add(sg_args, argv[i]);
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	argc = n;
	g_ptr_array_add(sg_args, NULL);
	cli_set_simgrid_args((const char *const *)sg_args->pdata);
	int status;
	if (argc < 2) {
		fprintf(stderr, "vnodesim: missing COMMAND\n\n");
		usage(stderr);
		status = CLI_EXIT_BAD;
	} else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	           !strcmp(argv[1], "help")) {
		usage(stdout);
		status = 0;
	} else if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("vnodesim %s\n", VNODESIM_VERSION);
		status = 0;
	} else if (!simgrid_args_ok((const char *const *)sg_args->pdata)) {
		status = CLI_EXIT_BAD;
	} else {
		status = -1;
		for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
			if (!strcmp(argv[1], commands[i].name))
				status = commands[i].fn(argc - 1, argv + 1);
		if (status == -1) {
			fprintf(stderr, "vnodesim: unknown command '%s'\n\n", argv[1]);
			usage(stderr);
			status = CLI_EXIT_BAD;
		}
	}
	g_ptr_array_free(sg_args, TRUE);
	return status;
}

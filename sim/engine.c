/*
 * engine.c -- SimGrid glue: initialise the engine with only the options meant for it
 * (--cfg=, --log=; vnodesim parses its own first), exact event times, and run.
 * The root log category `vnodesim`, parent of every module's, is in models/env.c (models/
 * may not depend on sim/), so `--log=vnodesim.thres:debug` or
 * `--log=vnodesim_disk.thres:verbose` work.
 */
#include <simgrid/engine.h>
#include <string.h>
#include <xbt/log.h>

#include "sim/run.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_engine, vnodesim, "engine glue");

void
engine_init(const char *const *simgrid_args)
{
	/* argv for simgrid_init: program name, our fixed settings, then the user's. */
	static const char *const fixed[] = {"--cfg=surf/precision:1e-15",
	                                    "--cfg=network/model:CM02", "--log=root.thres:warning",
	                                    "--log=xbt_cfg.thres:warning"};
	int n = 0;
	while (simgrid_args && simgrid_args[n])
		n++;
	char **argv = g_new0(char *, (size_t)n + G_N_ELEMENTS(fixed) + 2);
	int argc = 0;
	argv[argc++] = (char *)"vnodesim";
	for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
		argv[argc++] = (char *)fixed[i];
	for (int i = 0; i < n; i++)
		argv[argc++] = (char *)simgrid_args[i];
	simgrid_init(&argc, argv);
	g_free(argv);
}

double
engine_run(void)
{
	simgrid_run();
	return simgrid_get_clock();
}

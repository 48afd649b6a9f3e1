/*
 * cmd_policies.c -- `vnodesim policies`: each lock policy's name and one-line summary, from
 * the policy table itself (models/locks/policy.h), in its order.
 */
#include <stdio.h>

#include "models/locks/policy.h"
#include "sim/cli.h"
#include "sim/commands.h"

int
cmd_policies(int argc, char **argv)
{
	GOptionEntry entries[] = {{NULL}};
	if (!cli_parse_opts("policies", "", "List the lock policies.", entries, &argc, &argv))
		return CLI_EXIT_BAD;
	if (argc != 1)
		return cli_bad("policies: takes no arguments");
	int n;
	const struct lk_policy *const *all = lk_policy_all(&n);
	for (int i = 0; i < n; i++)
		printf("%-12s %s\n", all[i]->name, all[i]->summary);
	return 0;
}

/*
 * cmd_sweep.c -- `vnodesim sweep SCENARIO --vary SECTION.KEY=V1,V2,...` and `vnodesim merge
 * DIR... --out DIR`: the command lines of sweeps and their merging; the sweep itself (points,
 * job lists, resuming, the process pool, merging) is sweep.h's.
 *
 * (1) Every varied value is checked against the scenario before any point runs: a bad value
 *     fails the command at once (exit 2), not at point 37.
 * (2) A sweep with --joblist runs nothing: it writes the definition and one command line per
 *     point; `merge` later gathers whatever points are done.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/guard.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/sweep.h"

int
cmd_sweep(int argc, char **argv)
{
	char *policies = NULL, *out = NULL, *joblist = NULL, *sim = NULL;
	gint64 seed = SEED_UNSET;
	int nseeds = 1, jobs = 0;
	char **sets = NULL, **vary = NULL;
	gboolean quiet = FALSE;
	GOptionEntry entries[] = {
	    {"vary", 'v', 0, G_OPTION_ARG_STRING_ARRAY, &vary,
	     "A key and its values (repeat for a cross product)", "SECTION.KEY=V1,V2,..."},
	    {"policies", 'p', 0, G_OPTION_ARG_STRING, &policies,
	     "Policies at every point (default: [sim] policies, else all)", "all|P,P..."},
	    {"seeds", 0, 0, G_OPTION_ARG_INT, &nseeds, "Seeds per point (default 1)", "N"},
	    {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "First seed (default: [sim] seed)", "N"},
	    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override a scenario key",
	     "SECTION.KEY=VALUE"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
	     "Output directory (default results/<scenario>-sweep)", "DIR"},
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
	     "Points at once, one process each (default: the core count)", "N"},
	    {"joblist", 0, 0, G_OPTION_ARG_FILENAME, &joblist,
	     "Write one command line per point to FILE and run nothing (for GNU parallel or "
	     "a Slurm array; then vnodesim merge DIR --out DIR)",
	     "FILE"},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
	    {"sim", 0, 0, G_OPTION_ARG_FILENAME, &sim,
	     "The simulator's sections ([disk] [host] [fs] [policy] [block] [sim] [job:NAME]) "
	     "in their own file: SCENARIO stays a pure fio job file",
	     "FILE"},
	    {NULL}};
	int status = CLI_EXIT_BAD;
	struct scn *s = NULL;
	struct sw_sweep sw = {0};
	GPtrArray *points = NULL;
	GError *err = NULL;
	sw.values = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	if (!cli_parse_opts("sweep", "SCENARIO --vary SECTION.KEY=V1,V2,...",
	                    "Run the cross product of the varied values x policies x seeds, one "
	                    "process per point, resumably.",
	                    entries, &argc, &argv))
		goto done;
	if (argc != 2) {
		cli_bad("sweep: expected one SCENARIO (see vnodesim sweep --help)");
		goto done;
	}
	if (!vary) {
		cli_bad("sweep: at least one --vary SECTION.KEY=V1,V2,... is needed");
		goto done;
	}
	if (nseeds < 1 || nseeds > 10000 || jobs < 0) {
		cli_bad("sweep: --seeds must be between 1 and 10000, --jobs positive");
		goto done;
	}
	if (!cli_seed_ok("sweep", seed))
		goto done;
	if (!(s = cli_load_scenario_sim(argv[1], sim, sets)))
		goto done;
	if (!run_check(s, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	cli_print_warnings(s);
	guint nk = g_strv_length(vary);
	sw.keys = g_new0(char *, nk + 1);
	for (guint i = 0; i < nk; i++) {
		const char *eq = strchr(vary[i], '=');
		if (!eq || eq == vary[i] || !strchr(vary[i], '.') || strchr(vary[i], '.') > eq ||
		    !eq[1]) {
			cli_bad("sweep: --vary '%s': expected SECTION.KEY=V1,V2,...", vary[i]);
			goto done;
		}
		sw.keys[i] = g_strndup(vary[i], (gsize)(eq - vary[i]));
		for (guint j = 0; j < i; j++)
			if (!strcmp(sw.keys[j], sw.keys[i])) {
				cli_bad("sweep: --vary %s given twice", sw.keys[i]);
				goto done;
			}
		char **vals = g_strsplit(eq + 1, ",", -1);
		g_ptr_array_add(sw.values, vals);
		/* every value must make a valid scenario: fail now, not at point 37 */
		for (char **v = vals; *v; v++) {
			struct scn *t = cli_scn_load(argv[1], sim, &err);
			char *a = g_strdup_printf("%s=%s", sw.keys[i], *v);
			bool ok = t && cli_apply_sets(t, sets) && scn_set(t, a, &err) &&
			          run_check(t, &err);
			g_free(a);
			scn_free(t);
			if (!ok) {
				if (err)
					status = cli_bad_err(err);
				goto done;
			}
			if (!**v) {
				cli_bad("sweep: --vary %s: an empty value", sw.keys[i]);
				goto done;
			}
		}
	}
	struct sim_cfg sc;
	if (!run_load_sim(scn_section(s, "sim"), &sc, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	sw.policies = cli_policies(policies, sc.policies);
	g_free(sc.policies);
	if (!cli_check_policies(s, sw.policies, "sweep", "--policies", false))
		goto done;
	sw.prog = g_file_read_link("/proc/self/exe", NULL);
	if (!sw.prog)
		sw.prog = g_canonicalize_filename(g_get_prgname(), NULL);
	sw.scenario = g_canonicalize_filename(argv[1], NULL);
	sw.scenario_sha256 = sw_file_sha256(argv[1]);
	sw.seed0 = seed >= 0 ? (uint64_t)seed : sc.seed;
	sw.nseeds = nseeds;
	sw.sets = g_strdupv(sets);
	char *o = out ? g_strdup(out) : g_strdup_printf("results/%s-sweep", scn_name(s));
	sw.outdir = g_canonicalize_filename(o, NULL);
	g_free(o);
	guard_outdir(sw.outdir);
	if (!cli_outdir_ready(sw.outdir))
		goto done;
	points = sw_points(&sw);
	if (sim) { /* --sim FILE: every point's `vnodesim run` reads it too (absolute path) */
		char *abs = g_canonicalize_filename(sim, NULL);
		g_free(sim);
		sim = abs;
		for (guint i = 0; i < points->len; i++) {
			struct sw_point *p = points->pdata[i];
			guint n = g_strv_length(p->argv);
			p->argv = g_renew(char *, p->argv, n + 3);
			memmove(p->argv + 5, p->argv + 3, (n - 3 + 1) * sizeof(char *));
			p->argv[3] = g_strdup("--sim");
			p->argv[4] = g_strdup(sim);
		}
	}
	/* what each point's results must carry to count as done: its inputs, as it will read
	 * them, the build and its options (sweep.h) */
	for (guint i = 0; i < points->len; i++) {
		struct sw_point *p = points->pdata[i];
		scn_inputs_reset();
		struct scn *t = cli_scn_load(sw.scenario, sim, &err);
		bool ok = t && cli_apply_sets(t, p->sets) && run_check_policy(t, p->policy, &err);
		scn_free(t);
		if (!ok) {
			if (err)
				status = cli_bad_err(err);
			goto done;
		}
		p->stamp = cli_run_stamp(sw.scenario, p->policy, p->seed, 1, false, false, p->sets);
	}
	if (!sw_write_def(&sw, points, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	if (joblist) {
		if (!sw_write_joblist(points, joblist, &err)) {
			status = cli_bad_err(err);
			goto done;
		}
		if (!quiet)
			printf(
			    "%u command lines in %s; run them with\n"
			    "  parallel -j N < %s          (or --sshlogin HOSTS, shared "
			    "file system)\n"
			    "  sbatch --array=1-%u --wrap 'sed -n \"${SLURM_ARRAY_TASK_ID}p\" %s "
			    "| sh'\n"
			    "then: vnodesim merge %s --out %s\n",
			    points->len, joblist, joblist, points->len, joblist, sw.outdir,
			    sw.outdir);
		status = 0;
		goto done;
	}
	cli_retire_results(sw.outdir); /* no earlier summary beside newer points */
	int failed = sw_run(&sw, points, jobs);
	char *dirs[] = {sw.outdir, NULL};
	bool merged = sw_merge(dirs, sw.outdir, true, false, &err);
	cli_retire_done(sw.outdir);
	if (!merged) {
		fprintf(stderr, "vnodesim: %s\n", err->message);
		g_clear_error(&err);
		status = 1;
		goto done;
	}
	status = failed ? 1 : 0;
	if (!quiet)
		printf("%u points (%d failed)\nresults: %s/summary.csv (varied keys as the last "
		       "columns), %s/points/\nplots:   %s/plots/\n",
		       points->len, failed, sw.outdir, sw.outdir, sw.outdir);
done:
	if (points)
		g_ptr_array_free(points, TRUE);
	g_free(sw.prog);
	g_free(sw.scenario);
	g_free(sw.scenario_sha256);
	g_strfreev(sw.keys);
	g_ptr_array_free(sw.values, TRUE);
	g_strfreev(sw.policies);
	g_strfreev(sw.sets);
	g_free(sw.outdir);
	scn_free(s);
	g_strfreev(sets);
	g_strfreev(vary);
	g_free(policies);
	g_free(out);
	g_free(sim);
	g_free(joblist);
	return status;
}

int
cmd_merge(int argc, char **argv)
{
	char *out = NULL;
	gboolean quiet = FALSE, mixed = FALSE;
	GOptionEntry entries[] = {
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output directory (required)", "DIR"},
	    {"allow-mixed", 0, 0, G_OPTION_ARG_NONE, &mixed,
	     "Merge results of different scenarios (refused otherwise)", NULL},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
	    {NULL}};
	int status = CLI_EXIT_BAD;
	GError *err = NULL;
	if (!cli_parse_opts(
	        "merge", "DIR...",
	        "Combine sweeps' per-point outputs (or compare/run directories) into one "
	        "summary.csv, the varied values as extra columns.",
	        entries, &argc, &argv))
		goto done;
	if (argc < 2 || !out) {
		cli_bad("merge: expected DIR... --out DIR (see vnodesim merge --help)");
		goto done;
	}
	for (int i = 1; i < argc; i++) {
		char *def = g_build_filename(argv[i], "sweep.json", NULL);
		char *sum = g_build_filename(argv[i], "summary.csv", NULL);
		bool ok =
		    g_file_test(def, G_FILE_TEST_EXISTS) || g_file_test(sum, G_FILE_TEST_EXISTS);
		g_free(def);
		g_free(sum);
		if (!ok) {
			cli_bad("merge: %s: neither a sweep (sweep.json) nor results (summary.csv)",
			        argv[i]);
			goto done;
		}
	}
	guard_outdir(out);
	if (!sw_merge(argv + 1, out, quiet, mixed, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	if (!quiet)
		printf("merged: %s/summary.csv\n", out);
	status = 0;
done:
	g_free(out);
	return status;
}

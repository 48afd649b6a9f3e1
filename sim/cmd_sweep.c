/*
 * cmd_sweep.c -- `vnodesim sweep SCENARIO --vary SECTION.KEY=V1,V2,...` and `vnodesim merge
 * DIR... --out DIR`: the command lines of sweeps and their merging; the sweep itself (points,
 * job lists, resuming, the process pool, merging) is sweep.h's.
 *
 * (1) Every varied value is checked against the scenario before any point runs: a bad value
 *     fails the command at once (exit 2), not at point 37.
 * (2) A sweep with --joblist or --slurm runs nothing: it writes the definition and one
 *     command line per point (and with --slurm the sbatch script, sweep.c note 6); `merge`
 *     later gathers the points, and fails naming those not done.
 * (3) --slurm's --mem is the memory guard's estimate of the largest point (guard.h), times
 *     SLURM_MEM_MARGIN, rounded up to whole MiB: the estimate is of what a run keeps, and a
 *     task over its --mem is killed where Slurm enforces memory (cgroups).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/guard.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/sweep.h"

#define SLURM_MEM_MARGIN 1.5
#define SLURM_MAX_ARRAY 1001 /* Slurm's default MaxArraySize */

int
cmd_sweep(int argc, char **argv)
{
	char *policies = NULL, *out = NULL, *joblist = NULL, *slurm = NULL, *sim = NULL;
	gint64 seed = SEED_UNSET;
	int nseeds = 1, jobs = 0, max_array = 0, throttle = 0, mem_mib = 0;
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
	    {"slurm", 0, 0, G_OPTION_ARG_FILENAME, &slurm,
	     "Write a Slurm job-array script to FILE (and its job list: --joblist, else "
	     "FILE.joblist) and run nothing; submit with sh FILE",
	     "FILE"},
	    {"slurm-max-array", 0, 0, G_OPTION_ARG_INT, &max_array,
	     "Points per array job (default: the cluster's MaxArraySize from scontrol, else "
	     "1001)",
	     "N"},
	    {"slurm-throttle", 0, 0, G_OPTION_ARG_INT, &throttle,
	     "At most N tasks of an array at once (sbatch --array=...%N)", "N"},
	    {"slurm-mem", 0, 0, G_OPTION_ARG_INT, &mem_mib,
	     "Memory per task, MiB (default: the memory guard's estimate of the largest point)",
	     "MIB"},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
	    CLI_OPT_SIM(sim),
	    {NULL}};
	int status = CLI_EXIT_BAD;
	struct sw_names names = {0};
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
	if (max_array < 0 || max_array > 4000001 || throttle < 0 || mem_mib < 0) {
		cli_bad("sweep: --slurm-max-array must be between 1 and 4000001, "
		        "--slurm-throttle and --slurm-mem positive");
		goto done;
	}
	if (!slurm && (max_array || throttle || mem_mib)) {
		cli_bad("sweep: --slurm-max-array, --slurm-throttle and --slurm-mem go with "
		        "--slurm FILE");
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
	sw_names_init(&names, sw.prog);
	if (slurm) {
		char *jl = joblist ? g_strdup(joblist) : g_strconcat(slurm, ".joblist", NULL);
		unsigned cluster = max_array ? 0 : sw_slurm_max_array();
		char *name = g_strdup_printf("vnodesim-%s", scn_name(s));
		for (char *c = name; *c; c++)
			if (!g_ascii_isalnum(*c) && !strchr("-_.", *c))
				*c = '_';
		uint64_t est = guard_peak_estimate();
		struct sw_slurm sl = {
		    .file = slurm,
		    .joblist = jl,
		    .outdir = sw.outdir,
		    .max_array = max_array ? (unsigned)max_array
		                 : cluster ? cluster
		                           : SLURM_MAX_ARRAY,
		    .throttle = (unsigned)throttle,
		    .mem_mib = mem_mib ? (uint64_t)mem_mib
		                       : (uint64_t)ceil((double)est * SLURM_MEM_MARGIN / 1048576.0),
		    .name = name};
		bool ok = sw_write_joblist(points, jl, &names, &err) &&
		          sw_write_slurm(&sl, points->len, &names, &err);
		if (ok && !quiet) {
			char *rs = sw_rel(&names, slurm);
			printf("%u points in %s (job list %s): %u array job%s of at most %u "
			       "(MaxArraySize %s), --mem=%lluM each (%s)\n"
			       "submit from this directory: sh %s [SBATCH_OPTION...]\n"
			       "vnodesim on the nodes: $VNODESIM, else %s\n",
			       points->len, slurm, jl,
			       (points->len + sl.max_array - 1) / sl.max_array,
			       (points->len + sl.max_array - 1) / sl.max_array == 1 ? "" : "s",
			       sl.max_array,
			       max_array ? "from --slurm-max-array"
			       : cluster ? "from scontrol show config"
			                 : "Slurm's default: scontrol gave none",
			       (unsigned long long)sl.mem_mib,
			       mem_mib ? "--slurm-mem" : "the memory guard's estimate x 1.5", rs,
			       names.prog);
			g_free(rs);
		}
		g_free(name);
		g_free(jl);
		status = ok ? 0 : cli_bad_err(err);
		goto done;
	}
	if (joblist) {
		if (!sw_write_joblist(points, joblist, &names, &err)) {
			status = cli_bad_err(err);
			goto done;
		}
		if (!quiet)
			printf("%u command lines in %s; run them from this directory (vnodesim: "
			       "$VNODESIM, else %s) with\n"
			       "  parallel -j N < %s          (or --sshlogin HOSTS, shared "
			       "file system)\n"
			       "or on Slurm: sweep --slurm FILE writes the job array\n"
			       "then: vnodesim merge %s --out %s\n",
			       points->len, joblist, names.prog, joblist, sw.outdir, sw.outdir);
		status = 0;
		goto done;
	}
	cli_retire_results(sw.outdir); /* no earlier summary beside newer points */
	int failed = sw_run(&sw, points, jobs);
	char *dirs[] = {sw.outdir, NULL};
	/* failed points are reported above; the merge holds the others */
	bool merged = sw_merge(dirs, sw.outdir, true, false, true, &err);
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
	sw_names_clear(&names);
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
	g_free(slurm);
	return status;
}

int
cmd_merge(int argc, char **argv)
{
	char *out = NULL;
	gboolean quiet = FALSE, mixed = FALSE, partial = FALSE;
	GOptionEntry entries[] = {
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output directory (required)", "DIR"},
	    {"allow-mixed", 0, 0, G_OPTION_ARG_NONE, &mixed,
	     "Merge results of different scenarios (refused otherwise)", NULL},
	    {"allow-missing", 0, 0, G_OPTION_ARG_NONE, &partial,
	     "Leave out the points not done (refused otherwise: exit 2 naming them)", NULL},
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
	if (!sw_merge(argv + 1, out, quiet, mixed, partial, &err)) {
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

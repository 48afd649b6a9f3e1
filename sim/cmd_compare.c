/*
 * cmd_compare.c -- `vnodesim compare SCENARIO`: every policy (or --policies) on the same
 * seeds, one process per run and --jobs at once, then DIR/summary.csv (means and 95%
 * confidence intervals with several seeds: compare.h), the plots in DIR/plots/ and the
 * table of `all` rows on stdout.
 *
 * (1) The first seed of every policy keeps its requests and lock timeline long enough for
 *     the plots' digests (plot_digest), made in the run's own child; the big files go unless
 *     --requests / --timeline.
 * (2) --reuse keeps DIR's results when DIR/stamp (the build id, the content of every input
 *     the scenario pulls in -- includes, disk and DiskSim files, traces -- and the options:
 *     rep_stamp) is unchanged: only the plots are redrawn.  Before new runs the stamp and the
 *     old summary.csv and timing.csv are removed (cli_retire_results); the stamp is written
 *     last, after the plots, so only a whole comparison carries one and a half-done one is
 *     never reused.
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/compare.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/plots.h"
#include "sim/report.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/sweep.h"

/* One run of a comparison, in a pool child: simulate, then digest for the plots. */
struct cmp_job {
	const struct scn *s;
	struct run_opts o;
	bool digest, keep_requests, keep_timeline;
};

static int
cmp_child(void *arg)
{
	struct cmp_job *j = arg;
	guard_child(0);
	int st = run_simulate(j->s, &j->o);
	GError *err = NULL;
	if (st == 0 && j->digest &&
	    !plot_digest(j->o.outdir, j->keep_requests, j->keep_timeline, &err)) {
		fprintf(stderr, "vnodesim: %s\n", err->message);
		g_error_free(err);
		st = 1;
	}
	return st;
}

/* The command line as one shell-quoted string (for the page and commands.txt). */
static char *
quoted_cmdline(int argc, char **argv)
{
	GString *s = g_string_new("vnodesim");
	for (int i = 0; i < argc; i++) {
		char *q = g_shell_quote(argv[i]);
		bool plain = *argv[i] != '\0';
		for (const char *c = argv[i]; *c; c++)
			plain = plain && (g_ascii_isalnum(*c) || strchr("/._-=,+:@", *c));
		g_string_append_printf(s, " %s", plain ? argv[i] : q);
		g_free(q);
	}
	return g_string_free(s, FALSE);
}

/* The `all` rows of a comparison: means and intervals, correctness beside speed. */
static void
print_compare(const char *dir)
{
	GArray *all = cmp_read_all(dir, NULL);
	if (!all)
		return;
	printf("%-12s %18s %18s %8s %11s %6s %6s\n", "policy", "IOPS (all jobs)", "p99 us",
	       "speedup", "torn r/w", "stale", "lost");
	double serial = cmp_serial_iops(all);
	for (guint i = 0; i < all->len; i++) {
		struct cmp_all *e = &g_array_index(all, struct cmp_all, i);
		char iops[40], p99[40], sp[16], torn[24];
		snprintf(iops, sizeof iops, e->seeds > 1 ? "%.0f +- %.0f" : "%.0f", e->iops,
		         e->iops_ci);
		snprintf(p99, sizeof p99, e->seeds > 1 ? "%.1f +- %.1f" : "%.1f", e->p99,
		         e->p99_ci);
		snprintf(sp, sizeof sp, serial > 0 ? "%.2fx" : "-", e->iops / serial);
		snprintf(torn, sizeof torn, "%.0f/%.0f", e->torn_reads, e->torn_writes);
		printf("%-12s %18s %18s %8s %11s %6.0f %6.0f\n", e->policy, iops, p99, sp, torn,
		       e->stale_reads, e->lost_writes);
	}
	if (all->len && g_array_index(all, struct cmp_all, 0).seeds > 1)
		printf("(means of %d seeds, 95%% confidence intervals; counters summed over "
		       "seeds)\n",
		       g_array_index(all, struct cmp_all, 0).seeds);
	cmp_all_free(all);
}

int
cmd_compare(int argc, char **argv)
{
	char *policies = NULL, *out = NULL, *format = NULL, *sim = NULL;
	bool plus = false;
	gint64 seed = SEED_UNSET;
	int nseeds = 1, jobs = 0;
	char **sets = NULL;
	gboolean requests = FALSE, timeline = FALSE, quiet = FALSE, reuse = FALSE;
	GOptionEntry entries[] = {
	    {"policies", 'p', 0, G_OPTION_ARG_STRING, &policies,
	     "Policies to compare (default: [sim] policies, else all)", "all|P,P..."},
	    {"seeds", 0, 0, G_OPTION_ARG_INT, &nseeds,
	     "Replications: seeds N, N+1, ... (default 1; several give 95% confidence "
	     "intervals)",
	     "N"},
	    {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "First seed (default: [sim] seed)", "N"},
	    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
	     "Override a scenario key (global.KEY: every job too)", "SECTION.KEY=VALUE"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
	     "Output directory (default results/<scenario>)", "DIR"},
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
	     "Runs at once, one process each (default: the core count)", "N"},
	    {"requests", 0, 0, G_OPTION_ARG_NONE, &requests, "Keep requests.csv of each run", NULL},
	    {"timeline", 0, 0, G_OPTION_ARG_NONE, &timeline, "Keep locks.csv of each run", NULL},
	    {"reuse", 0, 0, G_OPTION_ARG_NONE, &reuse,
	     "Keep DIR's results if its scenario, program and options are unchanged (only "
	     "redraw the plots)",
	     NULL},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the summary table", NULL},
	    {"output-format", 0, 0, G_OPTION_ARG_STRING, &format,
	     "Each result.json as fio's json (default) or json+ (with the latency histograms' "
	     "bins)",
	     "normal|json|json+"},
	    CLI_OPT_SIM(sim),
	    {NULL}};
	int status = CLI_EXIT_BAD;
	struct scn *s = NULL;
	char **pols = NULL, *outdir = NULL, *stamp = NULL, *cmdline = NULL;
	struct cmp_job *cj = NULL;
	struct sw_task *tasks = NULL;
	int ntasks = 0;
	GError *err = NULL;
	cmdline = quoted_cmdline(argc, argv);
	if (!cli_parse_opts(
	        "compare", "SCENARIO",
	        "Run every policy on the same seeds (one process per run, --jobs at once), "
	        "write summary.csv (means and 95% confidence intervals with several seeds) "
	        "and the plots in DIR/plots/.",
	        entries, &argc, &argv))
		goto done;
	if (argc != 2) {
		cli_bad("compare: expected one SCENARIO (see vnodesim compare --help)");
		goto done;
	}
	if (nseeds < 1 || nseeds > 10000) {
		cli_bad("compare: --seeds must be between 1 and 10000");
		goto done;
	}
	if (!cli_seed_ok("compare", seed) || !cli_output_format("compare", format, &plus))
		goto done;
	if (jobs < 0) {
		cli_bad("compare: --jobs must be positive");
		goto done;
	}
	scn_inputs_reset(); /* the stamp covers every input read from here on */
	if (!(s = cli_load_scenario_sim(argv[1], sim, sets)))
		goto done;
	struct sim_cfg sc;
	if (!run_load_sim(scn_section(s, "sim"), &sc, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	pols = cli_policies(policies, sc.policies);
	g_free(sc.policies);
	uint64_t seed0 = seed >= 0 ? (uint64_t)seed : sc.seed;
	{ /* the memory bound holds for the runs that go at once (guard.h) */
		int at_once = jobs > 0 ? jobs : (int)g_get_num_processors();
		int nruns = (int)g_strv_length(pols) * nseeds;
		guard_parallel(MIN(at_once, nruns));
	}
	if (!cli_check_policies(s, pols, "compare", "--policies", true))
		goto done;
	cli_print_warnings(s);
	outdir = out ? g_strdup(out) : g_build_filename("results", scn_name(s), NULL);
	guard_outdir(outdir);
	if (!cli_outdir_ready(outdir))
		goto done;
	{
		char *joined = g_strjoinv(",", pols);
		char *setl = sets ? g_strjoinv(" ", sets) : g_strdup("");
		char *opts = g_strdup_printf("policies=%s seed=%llu seeds=%d requests=%d "
		                             "timeline=%d sets=%s%s",
		                             joined, (unsigned long long)seed0, nseeds, requests,
		                             timeline, setl, plus ? " json+" : "");
		stamp = rep_stamp(argv[1], opts);
		g_free(opts);
		g_free(setl);
		g_free(joined);
	}
	char *stamp_path = g_build_filename(outdir, "stamp", NULL);
	char *old = NULL;
	bool reused =
	    reuse && g_file_get_contents(stamp_path, &old, NULL, NULL) && !strcmp(old, stamp);
	g_free(old);
	if (reused) {
		char *sp = g_build_filename(outdir, "summary.csv", NULL);
		reused = g_file_test(sp, G_FILE_TEST_IS_REGULAR);
		g_free(sp);
	}
	if (!reused) {
		ntasks = (int)g_strv_length(pols) * nseeds;
		cj = g_new0(struct cmp_job, ntasks);
		tasks = g_new0(struct sw_task, ntasks);
		int t = 0;
		cli_retire_results(outdir);
		for (char **p = pols; *p; p++)
			for (int k = 0; k < nseeds; k++, t++) {
				char *dir = cli_seed_dir(outdir, *p, seed0, k);
				if (!cli_mkdir_p(dir)) {
					g_free(dir);
					g_free(stamp_path);
					goto done;
				}
				/* the first seed's requests and lock timeline feed the CDF,
				 * breakdown and timeline plots */
				cj[t] = (struct cmp_job){.s = s,
				                         .o = {.outdir = dir,
				                               .requests = k == 0 || requests,
				                               .timeline = k == 0 || timeline,
				                               .json_plus = plus,
				                               .policy = *p,
				                               .seed = seed0 + (uint64_t)k,
				                               .simgrid_args = cli_simgrid_args()},
				                         .digest = k == 0,
				                         .keep_requests = requests,
				                         .keep_timeline = timeline};
				tasks[t] = (struct sw_task){cmp_child, &cj[t], 0};
			}
		sw_pool_run(tasks, ntasks, jobs, !quiet, "runs");
		status = 0;
		for (t = 0; t < ntasks; t++) {
			if (tasks[t].status == 0)
				continue;
			fprintf(stderr, "vnodesim: compare: policy %s, seed %llu: %s (exit %d)\n",
			        cj[t].o.policy, (unsigned long long)cj[t].o.seed,
			        tasks[t].status == 3 ? "the simulated system deadlocked"
			                             : "the run failed",
			        tasks[t].status);
			if (status == 0)
				status = tasks[t].status;
		}
		if (status != 0) {
			g_free(stamp_path);
			goto done;
		}
		GString *sum = g_string_new(NULL);
		if (!cli_gather(outdir, pols, seed0, nseeds, sum))
			status = 1;
		if (status == 0 && nseeds > 1) {
			struct cmp_rows *rows = cmp_rows_new();
			if (cmp_rows_add(rows, sum->str, NULL, NULL, &err)) {
				char *text = cmp_rows_summary(rows, pols);
				char *sp = g_build_filename(outdir, "summary.csv", NULL);
				if (!out_write_atomic(sp, text, strlen(text), &err))
					status = 1;
				g_free(sp);
				g_free(text);
			} else {
				status = 1;
			}
			cmp_rows_free(rows);
			if (err) {
				fprintf(stderr, "vnodesim: %s\n", err->message);
				g_clear_error(&err);
			}
		}
		g_string_free(sum, TRUE);
	} else {
		status = 0;
		if (!quiet)
			printf("%s: reusing the results (scenario, every input, build and options "
			       "unchanged)\n",
			       outdir);
	}
	if (status == 0) {
		GString *cmds = g_string_new(NULL);
		g_string_append_printf(cmds, "results\t%s\n", cmdline);
		if (!plot_compare(outdir, pols, cmds, &err)) {
			status = 1;
		} else {
			char *cp = g_build_filename(outdir, "plots", "commands.txt", NULL);
			if (!out_write_atomic(cp, cmds->str, cmds->len, &err))
				status = 1;
			g_free(cp);
		}
		g_string_free(cmds, TRUE);
	}
	/* the stamp last: the directory is complete only now */
	if (status == 0 && !reused && !out_write_atomic(stamp_path, stamp, strlen(stamp), &err))
		status = 1;
	g_free(stamp_path);
	if (err) {
		fprintf(stderr, "vnodesim: %s\n", err->message);
		g_clear_error(&err);
	}
	if (status == 0 && !quiet) {
		print_compare(outdir);
		printf("\nresults: %s/summary.csv, %s/<policy>/result.json\nplots:   %s/plots/\n",
		       outdir, outdir, outdir);
	}
done:
	if (status != 0 && tasks)
		guard_clean_tmp(); /* no temporary file outlives a failed run */
	if (tasks)
		cli_retire_done(outdir);
	for (int t = 0; cj && t < ntasks; t++)
		g_free((char *)cj[t].o.outdir);
	g_free(cj);
	g_free(tasks);
	scn_free(s);
	g_strfreev(pols);
	g_strfreev(sets);
	g_free(policies);
	g_free(out);
	g_free(sim);
	g_free(format);
	g_free(outdir);
	g_free(stamp);
	g_free(cmdline);
	return status;
}

/*
 * cmd_run.c -- `vnodesim run SCENARIO`: simulate a scenario under one or more policies and
 * seeds, one child process per run, then gather the runs' rows into DIR/summary.csv and
 * timing.csv and print the summary table.
 *
 * (1) Runs go one after the other, in the order policies x seeds; the first that fails
 *     stops the command (a deadlock says so: exit 3), and nothing is gathered.
 * (2) Without --policy the scenario is checked as a whole (run_check); with it, each named
 *     policy is checked against the scenario's [policy] matrix= (cli_check_policies).
 * (3) The output directory is checked for write access before any run, and its old stamp,
 *     summary.csv and timing.csv are removed first (cli_retire_results): an interrupted run
 *     never leaves an earlier summary beside newer results.  With --stamp (a sweep's points)
 *     DIR/stamp is written last (cli_run_stamp): the point is complete, and current while
 *     the stamp matches.
 * (4) fio's command-line form: the arguments --KEY[=VALUE] that are not run's own options are
 *     fio job options (cli_split_job_args), loaded by the scenario loader with their argument
 *     positions (scn_load_args); a job file may come with them, as fio allows.
 * (5) --output-format given: stdout (or --output FILE) gets what it names, as fio's does:
 *     normal = the summary table, json/json+ = each run's result.json, in the order of the
 *     runs (one JSON document a run: `jq` reads the sequence).  Without it, the table and
 *     the "results:" line, as before.  DIR's files are written either way.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/progress.h"
#include "sim/run.h"
#include "sim/scenario.h"

/* (5): what --output-format names, to --output FILE or stdout.  0, or 1 (a file missing or
 * not writable, after a message). */
static int
print_output(const char *format, const char *output, const char *summary, const char *outdir,
             char **pols, uint64_t seed0, int nseeds, bool quiet)
{
	bool json = false, normal = !format;
	char **kinds = g_strsplit(format ? format : "", ",", -1);
	for (char **k = kinds; *k; k++) {
		json = json || g_str_has_prefix(*k, "json");
		normal = normal || !strcmp(*k, "normal");
	}
	g_strfreev(kinds);
	GString *o = g_string_new(NULL);
	if (normal && !(quiet && !output)) {
		char *t = cli_summary_text(summary);
		g_string_append(o, t);
		g_free(t);
	}
	int status = 0;
	for (char **p = pols; json && *p && status == 0; p++)
		for (int k = 0; k < nseeds && status == 0; k++) {
			char *dir = cli_seed_dir(outdir, *p, seed0, k);
			char *rj = g_build_filename(dir, "result.json", NULL), *text;
			gsize len;
			GError *err = NULL;
			if (g_file_get_contents(rj, &text, &len, &err)) {
				g_string_append_len(o, text, (gssize)len);
				if (len && text[len - 1] != '\n')
					g_string_append_c(o, '\n');
				g_free(text);
			} else {
				fprintf(stderr, "vnodesim: %s\n", err->message);
				g_error_free(err);
				status = 1;
			}
			g_free(rj);
			g_free(dir);
		}
	if (status == 0 && output) {
		GError *err = NULL;
		if (!out_write_atomic(output, o->str, o->len, &err)) {
			fprintf(stderr, "vnodesim: %s\n", err->message);
			g_error_free(err);
			status = 1;
		}
	} else if (status == 0) {
		fwrite(o->str, 1, o->len, stdout);
	}
	g_string_free(o, TRUE);
	return status;
}

int
cmd_run(int argc, char **argv)
{
	char *policy = NULL, *out = NULL, *format = NULL, *sim = NULL, *output = NULL;
	bool plus = false;
	gint64 seed = SEED_UNSET;
	int nseeds = 1;
	char **sets = NULL;
	gboolean requests = FALSE, timeline = FALSE, quiet = FALSE, stamp = FALSE;
	GOptionEntry entries[] = {
	    {"policy", 'p', 0, G_OPTION_ARG_STRING, &policy,
	     "Lock policy or comma-separated policies (default: [policy] name)", "P[,P...]"},
	    {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default: [sim] seed)", "N"},
	    {"seeds", 0, 0, G_OPTION_ARG_INT, &nseeds, "Run seeds N, N+1, ... (default 1)", "N"},
	    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
	     "Override a scenario key (global.KEY: every job too)", "SECTION.KEY=VALUE"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
	     "Output directory (default results/<scenario>)", "DIR"},
	    {"requests", 0, 0, G_OPTION_ARG_NONE, &requests, "Write requests.csv per run", NULL},
	    {"timeline", 0, 0, G_OPTION_ARG_NONE, &timeline, "Write locks.csv per run", NULL},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the summary table", NULL},
	    {"stamp", 0, 0, G_OPTION_ARG_NONE, &stamp,
	     "Write DIR/stamp last (the build, every input's digest and the options: what a "
	     "sweep resumes by)",
	     NULL},
	    {"output-format", 0, 0, G_OPTION_ARG_STRING, &format,
	     "As fio: what stdout (or --output) gets, normal = the summary table, json or json+ = "
	     "each run's result.json (json+ adds the latency histograms' bins to result.json); "
	     "comma-separated for several",
	     "normal|json|json+"},
	    {"output", 0, 0, G_OPTION_ARG_FILENAME, &output,
	     "Write what --output-format names (default: the summary table) to FILE, not stdout",
	     "FILE"},
	    CLI_OPT_SIM(sim),
	    {NULL}};
	int status = CLI_EXIT_BAD;
	struct scn *s = NULL;
	char **pols = NULL;
	char *outdir = NULL;
	GError *err = NULL;
	GPtrArray *jobargs = g_ptr_array_new_with_free_func(g_free);
	GArray *pos = g_array_new(FALSE, FALSE, sizeof(int));
	char **stamp_sets = NULL;
	cli_split_job_args(entries, &argc, argv, jobargs, pos); /* (4) */
	g_ptr_array_add(jobargs, NULL);
	bool cli_jobs = jobargs->len > 1;
	if (!cli_parse_opts("run", "[SCENARIO] [--name=JOB --KEY=VALUE ...]",
	                    "Simulate a scenario under one or more lock policies.  fio's "
	                    "command-line form works too: job options --KEY=VALUE, each "
	                    "--name=NAME starting a job (options before the first --name apply to "
	                    "every job), with or without a job file.",
	                    entries, &argc, &argv))
		goto done;
	if (argc > 2 || (argc != 2 && !cli_jobs)) {
		cli_bad(
		    "run: expected one SCENARIO, or fio's job options --name=JOB --KEY=VALUE... "
		    "(see vnodesim run --help)");
		goto done;
	}
	if (nseeds < 1 || nseeds > 10000) {
		cli_bad("run: --seeds must be between 1 and 10000");
		goto done;
	}
	if (!cli_seed_ok("run", seed) || !cli_output_format("run", format, &plus))
		goto done;
	scn_inputs_reset(); /* the stamp covers every input read from here on */
	const char *scenario = argc == 2 ? argv[1] : NULL;
	if (!(s = cli_jobs ? cli_load_jobs(scenario, (char **)jobargs->pdata,
	                                   (const int *)(void *)pos->data, sim, sets)
	                   : cli_load_scenario_sim(scenario, sim, sets)))
		goto done;
	if (!policy && !run_check(s, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	struct sim_cfg sc;
	if (!run_load_sim(scn_section(s, "sim"), &sc, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	g_free(sc.policies);
	uint64_t seed0 = seed >= 0 ? (uint64_t)seed : sc.seed;
	if (policy) {
		pols = g_strsplit(policy, ",", -1);
	} else {
		const char *name;
		scn_get_str(scn_section(s, "policy"), "name", "serial", &name, NULL);
		pols = g_strsplit(name, ",", -1);
	}
	if (!cli_check_policies(s, pols, "run", "--policy", policy != NULL))
		goto done;
	cli_print_warnings(s);
	outdir = out ? g_strdup(out) : g_build_filename("results", scn_name(s), NULL);
	guard_outdir(outdir);
	if (!cli_outdir_ready(outdir))
		goto done;
	cli_retire_results(outdir);
	progress_enable(!quiet); /* its runs draw a progress line on a terminal (progress.h) */
	status = 0;
	for (char **p = pols; *p && status == 0; p++)
		for (int k = 0; k < nseeds && status == 0; k++) {
			char *dir = cli_seed_dir(outdir, *p, seed0, k);
			if (!cli_mkdir_p(dir)) {
				g_free(dir);
				status = CLI_EXIT_BAD;
				break;
			}
			struct run_opts o = {.outdir = dir,
			                     .requests = requests,
			                     .timeline = timeline,
			                     .json_plus = plus,
			                     .policy = *p,
			                     .seed = seed0 + (uint64_t)k,
			                     .simgrid_args = cli_simgrid_args()};
			status = cli_fork_run(s, &o);
			if (status == 3)
				fprintf(stderr,
				        "vnodesim: policy %s, seed %llu: the simulated system "
				        "deadlocked (wait-for chain above); no results written\n",
				        *p, (unsigned long long)(seed0 + (uint64_t)k));
			g_free(dir);
		}
	if (status == 0) {
		GString *sum = g_string_new(NULL);
		if (!cli_gather(outdir, pols, seed0, nseeds, sum))
			status = 1;
		else if (format || output)
			status = print_output(format, output, sum->str, outdir, pols, seed0, nseeds,
			                      quiet);
		else if (!quiet)
			cli_print_summary(sum->str);
		if (!quiet && status == 0 && !format && !output)
			printf("\nresults: %s/summary.csv, %s/<policy>/result.json\n", outdir,
			       outdir);
		g_string_free(sum, TRUE);
	}
	if (status == 0 && stamp) {
		/* the command line's jobs and --sim count as options; their files' contents
		 * are among the inputs */
		GPtrArray *ss = g_ptr_array_new();
		for (char **p = sets; p && *p; p++)
			g_ptr_array_add(ss, *p);
		for (guint i = 0; i + 1 < jobargs->len; i++)
			g_ptr_array_add(ss, jobargs->pdata[i]);
		g_ptr_array_add(ss, NULL);
		stamp_sets = (char **)g_ptr_array_free(ss, FALSE);
		char *st = cli_run_stamp(scenario ? scenario : "", policy ? policy : "", seed0,
		                         nseeds, requests, timeline, stamp_sets);
		char *sp = g_build_filename(outdir, "stamp", NULL);
		if (!out_write_atomic(sp, st, strlen(st), &err)) {
			fprintf(stderr, "vnodesim: %s\n", err->message);
			g_clear_error(&err);
			status = 1;
		}
		g_free(sp);
		g_free(st);
	}
	if (status != 0 && outdir)
		guard_clean_tmp(); /* no temporary file outlives a failed run */
	if (outdir)
		cli_retire_done(outdir);
done:
	g_free(stamp_sets); /* borrowed strings */
	g_ptr_array_free(jobargs, TRUE);
	g_array_free(pos, TRUE);
	g_free(sim);
	g_free(output);
	scn_free(s);
	g_strfreev(pols);
	g_strfreev(sets);
	g_free(policy);
	g_free(out);
	g_free(format);
	g_free(outdir);
	return status;
}

/*
 * cmd_sensitivity.c -- `vnodesim sensitivity SCENARIO`: the scenario's comparison at its own
 * [host] costs and with each cost (every key run_host_cost knows, in [host]'s key table
 * order) multiplied by each --factors value, one at a time; then which policy rankings flip
 * (sensitivity.h) in DIR/sensitivity.csv, DIR/sensitivity.json and a table on stdout.
 *
 * (1) Each setting is a comparison directory, DIR/baseline or DIR/KEY-xFACTOR, laid out as
 *     `compare` lays out its own (DIR/<policy>[/seed-N]/result.json, summary.csv,
 *     timing.csv) and made by the same parts: one forked process per simulation
 *     (run_simulate), every run of every setting in one pool of --jobs (sw_pool_run), the
 *     memory bound for the runs that go at once (guard_parallel), cli_gather and the seeds'
 *     means (cmp_rows_summary).  No plots: a setting is read only for its `all` rows.
 * (2) A setting's stamp (rep_stamp: the build, every input the scenario pulls in, the
 *     options and its --set assignments) is written last into its directory; --reuse keeps
 *     a setting whose stamp is unchanged.  A setting that runs again first loses its stamp,
 *     summary.csv and timing.csv, so an old summary never sits beside new runs; DIR's
 *     sensitivity.csv and .json go too, and are written (atomically) only when every
 *     setting is complete.  On SIGINT/SIGTERM guard.h stops the runs and removes the
 *     temporary files under DIR.
 * (3) A varied value the key refuses (memcpy_gbps above its bound) is reported as such,
 *     not run; a cost that is 0 at baseline is reported as not varied (a factor leaves it
 *     0).  Only the command line and the scenario are bad input (exit 2).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/compare.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/report.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/sensitivity.h"
#include "sim/sweep.h"

/* One simulation of one setting, in a pool child. */
struct sens_run {
	const struct scn *s;
	struct run_opts o;
};

static int
sens_child(void *arg)
{
	struct sens_run *j = arg;
	guard_child(0);
	return run_simulate(j->s, &j->o);
}

/* --factors F,F...: each finite, > 0, not 1, not twice.  NULL after the message. */
static GArray *
parse_factors(const char *arg)
{
	GArray *f = g_array_new(FALSE, FALSE, sizeof(double));
	char **parts = g_strsplit(arg ? arg : "0.5,2", ",", -1);
	bool ok = parts[0] != NULL;
	for (char **p = parts; ok && *p; p++) {
		char *end;
		double v = g_ascii_strtod(*p, &end);
		if (!**p || *end || !isfinite(v) || v <= 0 || v == 1 || v > 1e6) {
			cli_bad(
			    "sensitivity: --factors: '%s' is not a factor (a number > 0, not 1, "
			    "at most 10^6)",
			    *p);
			ok = false;
		}
		/* as the outputs and folder names write it: two factors must differ there */
		char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
		g_ascii_formatd(a, sizeof a, "%.12g", v);
		for (guint i = 0; ok && i < f->len; i++)
			if (!strcmp(
			        g_ascii_formatd(b, sizeof b, "%.12g", g_array_index(f, double, i)),
			        a)) {
				cli_bad("sensitivity: --factors: %s given twice", *p);
				ok = false;
			}
		g_array_append_val(f, v);
	}
	if (!parts[0])
		cli_bad("sensitivity: --factors: no factor");
	g_strfreev(parts);
	if (!ok) {
		g_array_free(f, TRUE);
		return NULL;
	}
	return f;
}

/* Remove a setting's old results before it runs again (note 2). */
static void
clear_setting(const char *dir)
{
	static const char *const old[] = {"stamp", "summary.csv", "timing.csv"};
	for (size_t i = 0; i < G_N_ELEMENTS(old); i++) {
		char *p = g_build_filename(dir, old[i], NULL);
		g_unlink(p);
		g_free(p);
	}
}

int
cmd_sensitivity(int argc, char **argv)
{
	char *policies = NULL, *out = NULL, *factors_arg = NULL, *sim = NULL;
	gint64 seed = SEED_UNSET;
	int nseeds = 1, jobs = 0;
	double threshold = 2;
	char **sets = NULL;
	gboolean quiet = FALSE, reuse = FALSE;
	GOptionEntry entries[] = {
	    {"policies", 'p', 0, G_OPTION_ARG_STRING, &policies,
	     "Policies to compare (default: [sim] policies, else all)", "all|P,P..."},
	    {"seeds", 0, 0, G_OPTION_ARG_INT, &nseeds,
	     "Replications per run (default 1; with several, an order counts when the 95% "
	     "confidence intervals do not overlap)",
	     "N"},
	    {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "First seed (default: [sim] seed)", "N"},
	    {"factors", 'f', 0, G_OPTION_ARG_STRING, &factors_arg,
	     "What each [host] cost is multiplied by, one at a time (default 0.5,2)", "F,F..."},
	    {"threshold", 't', 0, G_OPTION_ARG_DOUBLE, &threshold,
	     "With one seed, an order counts when the difference exceeds this percentage of "
	     "the larger (default 2)",
	     "PCT"},
	    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
	     "Override a scenario key (global.KEY: every job too)", "SECTION.KEY=VALUE"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
	     "Output directory (default results/<scenario>-sensitivity)", "DIR"},
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
	     "Runs at once, one process each (default: the core count)", "N"},
	    {"reuse", 0, 0, G_OPTION_ARG_NONE, &reuse,
	     "Keep each setting's results if its scenario, program and options are unchanged",
	     NULL},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the table", NULL},
	    CLI_OPT_SIM(sim),
	    {NULL}};
	int status = CLI_EXIT_BAD;
	struct scn *s = NULL;
	char **pols = NULL, *outdir = NULL;
	GArray *factors = NULL;
	struct sens *sn = NULL;
	GPtrArray *scns = g_ptr_array_new_with_free_func((GDestroyNotify)scn_free);
	GPtrArray *stamps = g_ptr_array_new_with_free_func(g_free);
	struct sens_run *runs = NULL;
	struct sw_task *tasks = NULL;
	int ntasks = 0;
	GError *err = NULL;
	if (!cli_parse_opts("sensitivity", "SCENARIO",
	                    "Compare the policies at the scenario's [host] costs and with each "
	                    "cost multiplied by each factor, one at a time, and report which "
	                    "rankings flip (DIR/sensitivity.csv, sensitivity.json).",
	                    entries, &argc, &argv))
		goto done;
	if (argc != 2) {
		cli_bad("sensitivity: expected one SCENARIO (see vnodesim sensitivity --help)");
		goto done;
	}
	if (nseeds < 1 || nseeds > 10000) {
		cli_bad("sensitivity: --seeds must be between 1 and 10000");
		goto done;
	}
	if (jobs < 0) {
		cli_bad("sensitivity: --jobs must be positive");
		goto done;
	}
	if (!isfinite(threshold) || threshold < 0 || threshold >= 100) {
		cli_bad("sensitivity: --threshold must be a percentage in [0, 100)");
		goto done;
	}
	if (!cli_seed_ok("sensitivity", seed) || !(factors = parse_factors(factors_arg)))
		goto done;
	scn_inputs_reset(); /* the stamps cover every input read from here on */
	if (!(s = cli_load_scenario_sim(argv[1], sim, sets)))
		goto done;
	if (!run_check(s, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	struct sim_cfg sc;
	if (!run_load_sim(scn_section(s, "sim"), &sc, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	pols = cli_policies(policies, sc.policies);
	g_free(sc.policies);
	if (!cli_check_policies(s, pols, "sensitivity", "--policies", true))
		goto done;
	struct env_host host;
	if (!run_load_host(scn_section(s, "host"), &host, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	cli_print_warnings(s);
	uint64_t seed0 = seed >= 0 ? (uint64_t)seed : sc.seed;
	outdir = out ? g_strdup(out) : g_strdup_printf("results/%s-sensitivity", scn_name(s));
	guard_outdir(outdir);
	if (!cli_outdir_ready(outdir))
		goto done;

	/* the settings: the baseline, then every cost x every factor (note 3) */
	sn = sens_new(scn_name(s), pols, nseeds, threshold / 100);
	sens_add(sn, NULL, 1, 0, 0)->dir = g_build_filename(outdir, "baseline", NULL);
	g_ptr_array_add(scns, NULL); /* the baseline runs S itself */
	g_ptr_array_add(stamps, NULL);
	for (const char *const *k = run_host_keys(); *k; k++) {
		double base;
		if (!run_host_cost(&host, *k, &base))
			continue;
		for (guint i = 0; i < factors->len; i++) {
			double fac = g_array_index(factors, double, i);
			char v[G_ASCII_DTOSTR_BUF_SIZE];
			g_ascii_formatd(v, sizeof v, "%.12g", base * fac);
			struct sens_setting *t =
			    sens_add(sn, *k, fac, base, g_ascii_strtod(v, NULL));
			struct scn *ts = NULL;
			if (base == 0) {
				t->status = SENS_ZERO;
			} else {
				char *a = g_strdup_printf("host.%s=%s", *k, v);
				ts = cli_scn_load(argv[1], sim, &err);
				if (!ts || !cli_apply_sets(ts, sets) || !scn_set(ts, a, &err) ||
				    !run_check(ts, &err)) {
					if (!ts || !err) { /* the scenario itself: bad input */
						if (err)
							status = cli_bad_err(err);
						g_free(a);
						scn_free(ts);
						goto done;
					}
					t->status = SENS_RANGE; /* the key refuses the value */
					t->why = g_strdup(err->message);
					g_clear_error(&err);
					scn_free(ts);
					ts = NULL;
				} else {
					char fs[G_ASCII_DTOSTR_BUF_SIZE];
					g_ascii_formatd(fs, sizeof fs, "%.12g", fac);
					char *name = g_strdup_printf("%s-x%s", *k, fs);
					t->dir = g_build_filename(outdir, name, NULL);
					g_free(name);
				}
				g_free(a);
			}
			g_ptr_array_add(scns, ts);
			g_ptr_array_add(stamps, NULL);
		}
	}
	/* what each setting's results must carry (note 2) */
	char *joined = g_strjoinv(",", pols);
	for (guint i = 0; i < sn->settings->len; i++) {
		struct sens_setting *t = sn->settings->pdata[i];
		if (!t->dir)
			continue;
		char *var = NULL;
		if (t->key) {
			char v[G_ASCII_DTOSTR_BUF_SIZE];
			g_ascii_formatd(v, sizeof v, "%.12g", t->value);
			var = g_strdup_printf(" host.%s=%s", t->key, v);
		}
		char *setl = sets ? g_strjoinv(" ", sets) : g_strdup("");
		char *opts =
		    g_strdup_printf("sensitivity policies=%s seed=%llu seeds=%d sets=%s%s", joined,
		                    (unsigned long long)seed0, nseeds, setl, var ? var : "");
		stamps->pdata[i] = rep_stamp(argv[1], opts);
		g_free(opts);
		g_free(setl);
		g_free(var);
	}
	g_free(joined);

	/* the runs of every setting that is not reused, in one pool */
	guint npol = g_strv_length(pols);
	runs = g_new0(struct sens_run, sn->settings->len * npol * (guint)nseeds);
	tasks = g_new0(struct sw_task, sn->settings->len * npol * (guint)nseeds);
	bool *rerun = g_new0(bool, sn->settings->len);
	for (guint i = 0; i < sn->settings->len; i++) {
		struct sens_setting *t = sn->settings->pdata[i];
		if (!t->dir)
			continue;
		if (reuse) {
			char *sp = g_build_filename(t->dir, "stamp", NULL), *old = NULL;
			char *sum = g_build_filename(t->dir, "summary.csv", NULL);
			bool same = g_file_get_contents(sp, &old, NULL, NULL) &&
			            !strcmp(old, stamps->pdata[i]) &&
			            g_file_test(sum, G_FILE_TEST_IS_REGULAR);
			g_free(old);
			g_free(sp);
			g_free(sum);
			if (same)
				continue;
		}
		rerun[i] = true;
		const struct scn *ts = scns->pdata[i] ? scns->pdata[i] : s;
		for (char **p = pols; *p; p++)
			for (int k = 0; k < nseeds; k++) {
				char *dir = cli_seed_dir(t->dir, *p, seed0, k);
				if (!cli_mkdir_p(dir)) {
					g_free(dir);
					g_free(rerun);
					goto done;
				}
				runs[ntasks] =
				    (struct sens_run){.s = ts,
				                      .o = {.outdir = dir,
				                            .policy = *p,
				                            .seed = seed0 + (uint64_t)k,
				                            .simgrid_args = cli_simgrid_args()}};
				tasks[ntasks] = (struct sw_task){sens_child, &runs[ntasks], 0};
				ntasks++;
			}
	}
	{ /* the memory bound holds for the runs that go at once (guard.h) */
		int at_once = jobs > 0 ? jobs : (int)g_get_num_processors();
		guard_parallel(MAX(1, MIN(at_once, ntasks)));
	}
	/* no old output beside new runs (note 2) */
	for (size_t k = 0; k < 2; k++) {
		char *p =
		    g_build_filename(outdir, k ? "sensitivity.json" : "sensitivity.csv", NULL);
		if (ntasks > 0)
			g_unlink(p);
		g_free(p);
	}
	for (guint i = 0; i < sn->settings->len; i++)
		if (rerun[i])
			clear_setting(((struct sens_setting *)sn->settings->pdata[i])->dir);
	sw_pool_run(tasks, ntasks, jobs, !quiet, "runs");
	status = 0;
	for (int t = 0; t < ntasks; t++) {
		if (tasks[t].status == 0)
			continue;
		fprintf(stderr, "vnodesim: sensitivity: %s, policy %s, seed %llu: %s (exit %d)\n",
		        runs[t].o.outdir, runs[t].o.policy, (unsigned long long)runs[t].o.seed,
		        tasks[t].status == 3 ? "the simulated system deadlocked" : "the run failed",
		        tasks[t].status);
		if (status == 0)
			status = tasks[t].status;
	}
	/* each setting's summary.csv, then its stamp last */
	for (guint i = 0; status == 0 && i < sn->settings->len; i++) {
		struct sens_setting *t = sn->settings->pdata[i];
		if (!rerun[i])
			continue;
		GString *sum = g_string_new(NULL);
		if (!cli_gather(t->dir, pols, seed0, nseeds, sum))
			status = 1;
		if (status == 0 && nseeds > 1) {
			struct cmp_rows *rows = cmp_rows_new();
			if (cmp_rows_add(rows, sum->str, NULL, NULL, &err)) {
				char *text = cmp_rows_summary(rows, pols);
				char *sp = g_build_filename(t->dir, "summary.csv", NULL);
				if (!out_write_atomic(sp, text, strlen(text), &err))
					status = 1;
				g_free(sp);
				g_free(text);
			} else {
				status = 1;
			}
			cmp_rows_free(rows);
		}
		g_string_free(sum, TRUE);
		char *sp = g_build_filename(t->dir, "stamp", NULL);
		const char *st = stamps->pdata[i];
		if (status == 0 && !out_write_atomic(sp, st, strlen(st), &err))
			status = 1;
		g_free(sp);
		if (err) {
			fprintf(stderr, "vnodesim: %s\n", err->message);
			g_clear_error(&err);
		}
	}
	g_free(rerun);
	if (status != 0)
		goto done;
	for (guint i = 0; i < sn->settings->len; i++) {
		struct sens_setting *t = sn->settings->pdata[i];
		if (t->dir && !(t->all = cmp_read_all(t->dir, &err))) {
			fprintf(stderr, "vnodesim: %s\n", err->message);
			g_clear_error(&err);
			status = 1;
			goto done;
		}
	}
	char *csv = sens_csv(sn);
	JsonNode *json = sens_json(sn);
	char *cp = g_build_filename(outdir, "sensitivity.csv", NULL);
	char *jp = g_build_filename(outdir, "sensitivity.json", NULL);
	if (!out_write_atomic(cp, csv, strlen(csv), &err) || !out_write_json(jp, json, &err)) {
		fprintf(stderr, "vnodesim: %s\n", err->message);
		g_clear_error(&err);
		status = 1;
	}
	if (status == 0 && !quiet) {
		int nflips;
		sens_print(sn, stdout, &nflips);
		printf("\n%d setting%s with a flip\nresults: %s, %s\n", nflips,
		       nflips == 1 ? "" : "s", cp, jp);
	}
	g_free(cp);
	g_free(jp);
	g_free(csv);
	json_node_unref(json);
done:
	if (status != 0 && tasks)
		guard_clean_tmp(); /* no temporary file outlives a failed run */
	for (int t = 0; runs && t < ntasks; t++)
		g_free((char *)runs[t].o.outdir);
	g_free(runs);
	g_free(tasks);
	sens_free(sn);
	g_ptr_array_free(stamps, TRUE);
	g_ptr_array_free(scns, TRUE);
	if (factors)
		g_array_free(factors, TRUE);
	scn_free(s);
	g_strfreev(pols);
	g_strfreev(sets);
	g_free(policies);
	g_free(sim);
	g_free(out);
	g_free(factors_arg);
	g_free(outdir);
	return status;
}

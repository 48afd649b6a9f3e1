/*
 * main.c -- the command line (DESIGN.md §8).  vnodesim parses its own options with GOption
 * first and hands SimGrid only --cfg=/--log= (simgrid_init would answer --help and
 * --version itself).  Each simulation runs in a child process: SimGrid allows one platform
 * and one simulation per process.
 *
 * Exit status: 0 success; 2 bad input (the message names file:line and the key); 3 the
 * simulated system deadlocked; anything else is a bug.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/cdfdist.h"
#include "models/disk.h"
#include "models/locks/policy.h"
#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/compare.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/report.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/sweep.h"
#include "sim/trace.h"

static GPtrArray *sg_args; /* --cfg=/--log= for SimGrid, NULL-terminated */

/* ---- vnodesim report ---- */

static gint
cmp_pstr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cmd_report(int argc, char **argv)
{
	char *out = NULL, *results = NULL;
	int nseeds = 3, jobs = 0;
	gboolean quiet = FALSE;
	GOptionEntry entries[] = {
	    {"seeds", 0, 0, G_OPTION_ARG_INT, &nseeds, "Seeds per comparison (default 3)", "N"},
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Runs at once (default: the core count)",
	     "N"},
	    {"results", 'r', 0, G_OPTION_ARG_FILENAME, &results,
	     "Where the comparisons go (default results)", "DIR"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
	     "Report directory (default results/report)", "DIR"},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
	    {NULL}};
	int status = CLI_EXIT_BAD;
	GPtrArray *scns = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *keep = g_ptr_array_new_with_free_func(g_free);
	struct rep_workload *w = NULL;
	GError *err = NULL;
	if (!cli_parse_opts(
	        "report", "[SCENARIO...]",
	        "Compare every policy on each scenario (default: scenarios/*.ini), reusing "
	        "unchanged results, and write one self-contained page DIR/index.html.",
	        entries, &argc, &argv))
		goto done;
	if (nseeds < 1 || nseeds > 1000 || jobs < 0) {
		cli_bad("report: --seeds must be between 1 and 1000, --jobs positive");
		goto done;
	}
	if (!results)
		results = g_strdup("results");
	if (!out)
		out = g_build_filename(results, "report", NULL);
	for (int i = 1; i < argc; i++)
		g_ptr_array_add(scns, g_strdup(argv[i]));
	if (argc < 2) {
		GDir *d = g_dir_open("scenarios", 0, NULL);
		const char *e;
		while (d && (e = g_dir_read_name(d)))
			if (g_str_has_suffix(e, ".ini"))
				g_ptr_array_add(scns, g_build_filename("scenarios", e, NULL));
		if (d)
			g_dir_close(d);
		g_ptr_array_sort(scns, cmp_pstr);
	}
	if (!scns->len) {
		cli_bad("report: no scenarios (give SCENARIO... or run from the project root)");
		goto done;
	}
	w = g_new0(struct rep_workload, scns->len);
	char *prog = g_file_read_link("/proc/self/exe", NULL);
	int failed = 0;
	status = 0;
	for (guint i = 0; i < scns->len; i++) {
		const char *sp = scns->pdata[i];
		char *name = g_path_get_basename(sp);
		if (g_str_has_suffix(name, ".ini"))
			name[strlen(name) - 4] = '\0';
		char *dir = g_build_filename(results, name, NULL);
		char *seeds = g_strdup_printf("%d", nseeds), *jb = g_strdup_printf("%d", jobs);
		char *cargv[] = {prog ? prog : "vnodesim",
		                 "compare",
		                 (char *)sp,
		                 "--seeds",
		                 seeds,
		                 "--out",
		                 dir,
		                 "--reuse",
		                 "-q",
		                 jobs ? "--jobs" : NULL,
		                 jb,
		                 NULL};
		char *shown =
		    g_strdup_printf("vnodesim compare %s --seeds %d --out %s", sp, nseeds, dir);
		if (!quiet) {
			printf("[%u/%u] %s\n", i + 1, scns->len, shown);
			fflush(stdout);
		}
		int st = 0, cst = 0;
		if (!g_spawn_sync(NULL, cargv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL,
		                  NULL, &st, &err)) {
			status = cli_bad_err(err);
			err = NULL;
		} else if (!g_spawn_check_wait_status(st, NULL)) {
			/* the other workloads still make a page; this one says it failed */
			cst = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			fprintf(stderr, "vnodesim: report: %s failed (exit %d)\n", shown, cst);
			failed = failed ? failed : cst;
		}
		w[i] = (struct rep_workload){sp, dir, shown, cst};
		g_ptr_array_add(keep, dir);
		g_ptr_array_add(keep, shown);
		g_free(name);
		g_free(seeds);
		g_free(jb);
		if (status)
			break;
	}
	g_free(prog);
	if (status == 0) {
		if (!rep_write(w, (int)scns->len, nseeds, out, &err)) {
			fprintf(stderr, "vnodesim: report: %s\n", err->message);
			g_clear_error(&err);
			status = 1;
		} else if (!quiet) {
			printf("report: %s/index.html\n", out);
		}
		if (status == 0 && failed)
			status = failed == CLI_EXIT_BAD ? CLI_EXIT_BAD : 1;
	}
done:
	g_free(w);
	g_ptr_array_free(keep, TRUE);
	g_ptr_array_free(scns, TRUE);
	g_free(out);
	g_free(results);
	return status;
}

/* ---- vnodesim check ---- */

int
cmd_check(int argc, char **argv)
{
	char **sets = NULL;
	GOptionEntry entries[] = {{"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
	                           "Override a scenario key", "SECTION.KEY=VALUE"},
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
	if (!(s = cli_load_scenario(argv[1], sets)))
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
	return status;
}

/* ---- vnodesim policies ---- */

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

/* ---- vnodesim replay / validate ---- */

static int
replay_common(const char *cmd, int argc, char **argv, bool validate)
{
	char *format = validate ? g_strdup("validate") : NULL, *diskp = NULL, *out = NULL;
	int devno = -1;
	char **sets = NULL;
	gboolean quiet = FALSE;
	GOptionEntry replay_entries[] = {
	    {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "Trace format", tr_format_names()},
	    {"disk", 'd', 0, G_OPTION_ARG_FILENAME, &diskp,
	     "Project disk file or DiskSim .diskspecs", "DISK"},
	    {"devno", 0, 0, G_OPTION_ARG_INT, &devno, "Replay only this device of the trace", "N"},
	    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override a [disk]/[sim] key",
	     "SECTION.KEY=VALUE"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
	     "Output directory (default results/<trace>)", "DIR"},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
	    {NULL}};
	GOptionEntry *entries = replay_entries;
	if (validate)
		entries = replay_entries + 1; /* no --format: always "validate" */
	int status = CLI_EXIT_BAD;
	struct scn *s = NULL;
	GArray *recs = NULL;
	char *outdir = NULL, *name = NULL, *dir = NULL;
	double *service = NULL;
	GError *err = NULL;
	if (!cli_parse_opts(cmd, "TRACE",
	                    validate ? "Replay a measured DiskSim validate trace (closed loop) and "
	                               "compare the simulated service times with the measured ones."
	                             : "Replay a block trace against a disk model (raw device).",
	                    entries, &argc, &argv))
		goto done;
	if (argc != 2) {
		cli_bad("%s: expected one TRACE", cmd);
		goto done;
	}
	if (!format) {
		cli_bad("%s: --format is required (%s)", cmd, tr_format_names());
		goto done;
	}
	const struct tr_format *fmt = tr_format_find(format);
	if (!fmt) {
		cli_bad("%s: --format: unknown format '%s' (%s)", cmd, format, tr_format_names());
		goto done;
	}
	if (!diskp) {
		cli_bad("%s: --disk is required", cmd);
		goto done;
	}
	name = g_path_get_basename(argv[1]);
	char *dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	s = scn_new_empty(name);
	char *assign = g_strdup_printf("disk.spec=%s", diskp);
	bool ok = scn_set(s, assign, &err);
	g_free(assign);
	if (!ok) {
		status = cli_bad_err(err);
		goto done;
	}
	if (!cli_apply_sets(s, sets))
		goto done;
	struct disk *d = disk_create(scn_section(s, "disk"), 1, 0, &err);
	if (!d) {
		status = cli_bad_err(err);
		goto done;
	}
	uint64_t cap = disk_capacity(d);
	disk_destroy(d);
	if (!(recs = tr_read(argv[1], fmt, devno, cap, &err))) {
		status = cli_bad_err(err);
		goto done;
	}
	outdir = out ? g_strdup(out) : g_build_filename("results", name, NULL);
	guard_outdir(outdir);
	dir = g_build_filename(outdir, "raw", NULL);
	if (!cli_mkdir_p(dir))
		goto done;
	struct sim_cfg sc;
	if (!run_load_sim(scn_section(s, "sim"), &sc, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	g_free(sc.policies);
	/* The child writes each request's device time here (shared memory). */
	size_t bytes = sizeof(double) * recs->len;
	service = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (service == MAP_FAILED) {
		service = NULL;
		cli_bad("%s: mmap: %s", cmd, g_strerror(errno));
		goto done;
	}
	struct run_opts o = {.outdir = dir,
	                     .requests = true,
	                     .policy = "raw",
	                     .seed = sc.seed,
	                     .simgrid_args = cli_simgrid_args(),
	                     .trace = recs,
	                     .trace_path = argv[1],
	                     .closed_loop = fmt->closed_loop,
	                     .service = service};
	status = cli_fork_run(s, &o);
	if (status != 0)
		goto done;
	/* replay/validate layout: DIR/summary.csv, result.json, requests.csv, timing.csv */
	GString *sum = g_string_new(NULL);
	char *pols[] = {"raw", NULL};
	if (!cli_gather(outdir, pols, sc.seed, 1, sum))
		status = 1;
	const char *files[] = {"result.json", "requests.csv"};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		char *from = g_build_filename(dir, files[i], NULL);
		char *to = g_build_filename(outdir, files[i], NULL);
		if (rename(from, to) != 0)
			status = cli_bad("%s: %s", to, g_strerror(errno));
		g_free(from);
		g_free(to);
	}
	g_rmdir(dir);
	if (!quiet && !validate)
		cli_print_summary(sum->str);
	g_string_free(sum, TRUE);
	if (validate && status == 0) {
		GArray *meas = g_array_sized_new(FALSE, FALSE, sizeof(double), recs->len);
		GArray *sim = g_array_sized_new(FALSE, FALSE, sizeof(double), recs->len);
		double msum = 0, ssum = 0;
		for (guint i = 0; i < recs->len; i++) {
			double m = g_array_index(recs, struct tr_rec, i).measured * 1e3;
			double v = service[i] * 1e3;
			g_array_append_val(meas, m);
			g_array_append_val(sim, v);
			msum += m;
			ssum += v;
		}
		double rms =
		    cdf_rms_ms((double *)meas->data, meas->len, (double *)sim->data, sim->len);
		double mm = msum / recs->len, sm = ssum / recs->len;
		printf("trace %s\nrequests %u\nmeasured_mean_ms %.3f\nsimulated_mean_ms %.3f\n"
		       "mean_error_pct %+.2f\nrms_ms %.3f\n",
		       argv[1], recs->len, mm, sm, 100 * (sm - mm) / mm, rms);
		g_array_free(meas, TRUE);
		g_array_free(sim, TRUE);
	}
	if (!quiet && status == 0)
		printf("%sresults: %s/summary.csv, result.json, requests.csv\n",
		       validate ? "" : "\n", outdir);
done:
	if (service)
		munmap(service, sizeof(double) * recs->len);
	if (recs)
		g_array_free(recs, TRUE);
	scn_free(s);
	g_free(format);
	g_free(diskp);
	g_free(out);
	g_free(outdir);
	g_free(dir);
	g_free(name);
	g_strfreev(sets);
	return status;
}

int
cmd_replay(int argc, char **argv)
{
	return replay_common("replay", argc, argv, false);
}

int
cmd_validate(int argc, char **argv)
{
	return replay_common("validate", argc, argv, true);
}

/* ---- dispatch ---- */

static const struct command {
	const char *name;
	const char *usage;
	int (*fn)(int, char **);
} commands[] = {
    {"run",
     "SCENARIO [--policy P[,P...]] [--seed N] [--seeds N] [--set S.K=V]... [--out DIR] "
     "[--requests] [--timeline]",
     cmd_run},
    {"compare",
     "SCENARIO [--policies all|P,P...] [--seeds N] [--set S.K=V]... [--out DIR] "
     "[--jobs N]   + plots",
     cmd_compare},
    {"sweep",
     "SCENARIO --vary SECTION.KEY=V1,V2,... [--vary ...] [--policies ...] "
     "[--seeds N] [--jobs N] [--out DIR] [--joblist FILE]",
     cmd_sweep},
    {"merge", "DIR... --out DIR     combine sweeps' per-point outputs", cmd_merge},
    {"diff", "DIR_A DIR_B          what changed between two results", cmd_diff},
    {"report", "[SCENARIO...] [--seeds N] [--out DIR]   the design-review page", cmd_report},
    {"replay",
     "TRACE --format FORMAT --disk DISK [--devno N] [--out DIR]   (vnodesim replay --help)",
     cmd_replay},
    {"validate", "TRACE --disk DISK   replay a measured validate trace; print RMS and means",
     cmd_validate},
    {"policies", "                    name and one-line summary of each policy", cmd_policies},
    {"check", "SCENARIO             parse and validate only", cmd_check},
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

int
main(int argc, char **argv)
{
	g_set_prgname("vnodesim");
	guard_install(argc, argv); /* SIGINT/SIGTERM leave complete results (guard.h) */
	/* SimGrid's options are set aside before anyone else parses the command line. */
	sg_args = g_ptr_array_new();
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

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
#include "sim/output.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/trace.h"

#define EXIT_BAD 2

static GPtrArray *sg_args; /* --cfg=/--log= for SimGrid, NULL-terminated */

static int
bad(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static int
bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vnodesim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_BAD;
}

static int
bad_err(GError *err)
{
	int st = bad("%s", err->message);
	g_error_free(err);
	return st;
}

/* Parse a command's options; on a usage error print it and return false. */
static bool
parse_opts(const char *cmd, const char *params, const char *summary, GOptionEntry *entries,
	   int *argc, char ***argv)
{
	char *title = g_strdup_printf("%s %s", cmd, params);
	GOptionContext *ctx = g_option_context_new(title);
	g_free(title);
	g_option_context_set_summary(ctx, summary);
	g_option_context_add_main_entries(ctx, entries, NULL);
	GError *err = NULL;
	bool ok = g_option_context_parse(ctx, argc, argv, &err);
	if (!ok) {
		fprintf(stderr, "vnodesim %s: %s (see vnodesim %s --help)\n", cmd, err->message,
			cmd);
		g_error_free(err);
	}
	g_option_context_free(ctx);
	return ok;
}

static bool
mkdir_p(const char *dir)
{
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		bad("%s: %s", dir, g_strerror(errno));
		return false;
	}
	return true;
}

static bool
apply_sets(struct scn *s, char **sets)
{
	GError *err = NULL;
	for (char **p = sets; p && *p; p++)
		if (!scn_set(s, *p, &err)) {
			bad_err(err);
			return false;
		}
	return true;
}

static void
print_warnings(const struct scn *s)
{
	const GPtrArray *w = scn_warnings(s);
	for (guint i = 0; w && i < w->len; i++)
		fprintf(stderr, "vnodesim: warning: %s\n", (const char *)w->pdata[i]);
}

/* Run one simulation in a child process; returns its exit status. */
static int
fork_run(const struct scn *s, const struct run_opts *o)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return bad("fork: %s", g_strerror(errno));
	if (pid == 0)
		_exit(run_simulate(s, o));
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	fprintf(stderr, "vnodesim: the run of policy %s, seed %llu died of signal %d\n", o->policy,
		(unsigned long long)o->seed, WTERMSIG(st));
	return 128 + WTERMSIG(st);
}

/* Append FILE's content to OUT and remove FILE. */
static bool
take_part(GString *out, const char *file)
{
	char *text;
	gsize len;
	if (!g_file_get_contents(file, &text, &len, NULL))
		return false;
	g_string_append_len(out, text, (gssize)len);
	g_free(text);
	g_unlink(file);
	return true;
}

/* A readable table of summary.csv's main columns. */
static void
print_summary(const char *csv)
{
	char **lines = g_strsplit(csv, "\n", -1);
	printf("%-12s %-16s %6s %10s %10s %10s %10s %10s %9s %7s %6s %6s\n", "policy",
	       "job", "seed", "ops", "r_iops", "w_iops", "MB/s", "lat_us", "p99_us", "util",
	       "torn", "stale");
	for (char **l = lines + 1; *l && **l; l++) {
		char **f = g_strsplit(*l, ",", -1);
		if (g_strv_length(f) >= 25)
			printf("%-12s %-16s %6s %10s %10.1f %10.1f %10.2f %10.1f %9.1f %7.3f "
			       "%6s %6s\n",
			       f[1], f[3], f[2], f[4], g_ascii_strtod(f[5], NULL),
			       g_ascii_strtod(f[6], NULL),
			       g_ascii_strtod(f[7], NULL) + g_ascii_strtod(f[8], NULL),
			       g_ascii_strtod(f[9], NULL), g_ascii_strtod(f[11], NULL),
			       g_ascii_strtod(f[17], NULL), f[19], f[21]);
		g_strfreev(f);
	}
	g_strfreev(lines);
}

/* Gather DIR/<policy>[/seed-N]/{summary,timing}.part into DIR/summary.csv, timing.csv. */
static bool
gather(const char *outdir, char **policies, uint64_t seed0, int nseeds, GString *summary)
{
	GString *timing = g_string_new(out_timing_header);
	g_string_assign(summary, out_summary_header);
	bool ok = true;
	for (char **p = policies; *p; p++)
		for (int k = 0; k < nseeds; k++) {
			char *dir = k == 0 ? g_build_filename(outdir, *p, NULL)
					   : g_strdup_printf("%s/%s/seed-%llu", outdir, *p,
							     (unsigned long long)(seed0 + k));
			char *sp = g_build_filename(dir, "summary.part", NULL);
			char *tp = g_build_filename(dir, "timing.part", NULL);
			ok = take_part(summary, sp) && take_part(timing, tp) && ok;
			g_free(sp);
			g_free(tp);
			g_free(dir);
		}
	GError *err = NULL;
	char *path = g_build_filename(outdir, "summary.csv", NULL);
	if (!out_write_atomic(path, summary->str, summary->len, &err))
		ok = false;
	g_free(path);
	path = g_build_filename(outdir, "timing.csv", NULL);
	if (!err && !out_write_atomic(path, timing->str, timing->len, &err))
		ok = false;
	g_free(path);
	g_string_free(timing, TRUE);
	if (err) {
		fprintf(stderr, "vnodesim: %s\n", err->message);
		g_error_free(err);
	}
	return ok;
}

/* ---- vnodesim run ---- */

static int
cmd_run(int argc, char **argv)
{
	char *policy = NULL, *out = NULL;
	gint64 seed = -1;
	int nseeds = 1;
	char **sets = NULL;
	gboolean requests = FALSE, timeline = FALSE, quiet = FALSE;
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
		{NULL}};
	int status = EXIT_BAD;
	struct scn *s = NULL;
	char **pols = NULL;
	char *outdir = NULL;
	GError *err = NULL;
	if (!parse_opts("run", "SCENARIO", "Simulate a scenario under one or more lock policies.",
			entries, &argc, &argv))
		goto done;
	if (argc != 2) {
		bad("run: expected one SCENARIO (see vnodesim run --help)");
		goto done;
	}
	if (nseeds < 1 || nseeds > 10000) {
		bad("run: --seeds must be between 1 and 10000");
		goto done;
	}
	if (!(s = scn_load(argv[1], SCN_JOBFILE, &err))) {
		status = bad_err(err);
		goto done;
	}
	if (!apply_sets(s, sets))
		goto done;
	if (!run_check(s, &err)) {
		status = bad_err(err);
		goto done;
	}
	print_warnings(s);
	struct sim_cfg sc;
	if (!run_load_sim(scn_section(s, "sim"), &sc, &err)) {
		status = bad_err(err);
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
	for (char **p = pols; *p; p++)
		if (!lk_policy_find(*p)) {
			bad("run: --policy: unknown policy '%s' (vnodesim policies)", *p);
			goto done;
		}
	outdir = out ? g_strdup(out) : g_build_filename("results", scn_name(s), NULL);
	status = 0;
	for (char **p = pols; *p && status == 0; p++)
		for (int k = 0; k < nseeds && status == 0; k++) {
			char *dir = k == 0 ? g_build_filename(outdir, *p, NULL)
					   : g_strdup_printf("%s/%s/seed-%llu", outdir, *p,
							     (unsigned long long)(seed0 + k));
			if (!mkdir_p(dir)) {
				g_free(dir);
				status = EXIT_BAD;
				break;
			}
			struct run_opts o = {.outdir = dir,
					     .requests = requests,
					     .timeline = timeline,
					     .policy = *p,
					     .seed = seed0 + (uint64_t)k,
					     .simgrid_args = (const char *const *)sg_args->pdata};
			status = fork_run(s, &o);
			if (status == 3)
				fprintf(stderr,
					"vnodesim: policy %s, seed %llu: the simulated system "
					"deadlocked (wait-for chain above); no results written\n",
					*p, (unsigned long long)(seed0 + (uint64_t)k));
			g_free(dir);
		}
	if (status == 0) {
		GString *sum = g_string_new(NULL);
		if (!gather(outdir, pols, seed0, nseeds, sum))
			status = 1;
		else if (!quiet)
			print_summary(sum->str);
		if (!quiet && status == 0)
			printf("\nresults: %s/summary.csv, %s/<policy>/result.json\n", outdir,
			       outdir);
		g_string_free(sum, TRUE);
	}
done:
	scn_free(s);
	g_strfreev(pols);
	g_strfreev(sets);
	g_free(policy);
	g_free(out);
	g_free(outdir);
	return status;
}

/* ---- vnodesim check ---- */

static int
cmd_check(int argc, char **argv)
{
	char **sets = NULL;
	GOptionEntry entries[] = {{"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
				   "Override a scenario key", "SECTION.KEY=VALUE"},
				  {NULL}};
	int status = EXIT_BAD;
	struct scn *s = NULL;
	GError *err = NULL;
	if (!parse_opts("check", "SCENARIO", "Parse and validate a scenario without simulating.",
			entries, &argc, &argv))
		goto done;
	if (argc != 2) {
		bad("check: expected one SCENARIO");
		goto done;
	}
	if (!(s = scn_load(argv[1], SCN_JOBFILE, &err))) {
		status = bad_err(err);
		goto done;
	}
	if (!apply_sets(s, sets))
		goto done;
	if (!run_check(s, &err)) {
		status = bad_err(err);
		goto done;
	}
	print_warnings(s);
	printf("%s: ok (%u job section%s)\n", argv[1], scn_njobs(s), scn_njobs(s) == 1 ? "" : "s");
	status = 0;
done:
	scn_free(s);
	g_strfreev(sets);
	return status;
}

/* ---- vnodesim policies ---- */

static int
cmd_policies(int argc, char **argv)
{
	GOptionEntry entries[] = {{NULL}};
	if (!parse_opts("policies", "", "List the lock policies.", entries, &argc, &argv))
		return EXIT_BAD;
	if (argc != 1)
		return bad("policies: takes no arguments");
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
		{"format", 'f', 0, G_OPTION_ARG_STRING, &format, "Trace format", "validate|ascii|mqsim"},
		{"disk", 'd', 0, G_OPTION_ARG_FILENAME, &diskp,
		 "Project disk file or DiskSim .diskspecs", "DISK"},
		{"devno", 0, 0, G_OPTION_ARG_INT, &devno, "Replay only this device of the trace",
		 "N"},
		{"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override a [disk]/[sim] key",
		 "SECTION.KEY=VALUE"},
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
		 "Output directory (default results/<trace>)", "DIR"},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
		{NULL}};
	GOptionEntry *entries = replay_entries;
	if (validate)
		entries = replay_entries + 1; /* no --format: always "validate" */
	int status = EXIT_BAD;
	struct scn *s = NULL;
	GArray *recs = NULL;
	char *outdir = NULL, *name = NULL, *dir = NULL;
	double *service = NULL;
	GError *err = NULL;
	if (!parse_opts(cmd, "TRACE",
			validate ? "Replay a measured DiskSim validate trace (closed loop) and "
				   "compare the simulated service times with the measured ones."
				 : "Replay a block trace against a disk model (raw device).",
			entries, &argc, &argv))
		goto done;
	if (argc != 2) {
		bad("%s: expected one TRACE", cmd);
		goto done;
	}
	if (!format) {
		bad("%s: --format is required (%s)", cmd, tr_format_names());
		goto done;
	}
	const struct tr_format *fmt = tr_format_find(format);
	if (!fmt) {
		bad("%s: --format: unknown format '%s' (%s)", cmd, format, tr_format_names());
		goto done;
	}
	if (!diskp) {
		bad("%s: --disk is required", cmd);
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
		status = bad_err(err);
		goto done;
	}
	if (!apply_sets(s, sets))
		goto done;
	struct disk *d = disk_create(scn_section(s, "disk"), 1, 0, &err);
	if (!d) {
		status = bad_err(err);
		goto done;
	}
	uint64_t cap = disk_capacity(d);
	disk_destroy(d);
	if (!(recs = tr_read(argv[1], fmt, devno, cap, &err))) {
		status = bad_err(err);
		goto done;
	}
	outdir = out ? g_strdup(out) : g_build_filename("results", name, NULL);
	dir = g_build_filename(outdir, "raw", NULL);
	if (!mkdir_p(dir))
		goto done;
	struct sim_cfg sc;
	if (!run_load_sim(scn_section(s, "sim"), &sc, &err)) {
		status = bad_err(err);
		goto done;
	}
	g_free(sc.policies);
	/* The child writes each request's device time here (shared memory). */
	size_t bytes = sizeof(double) * recs->len;
	service = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (service == MAP_FAILED) {
		service = NULL;
		bad("%s: mmap: %s", cmd, g_strerror(errno));
		goto done;
	}
	struct run_opts o = {.outdir = dir,
			     .requests = true,
			     .policy = "raw",
			     .seed = sc.seed,
			     .simgrid_args = (const char *const *)sg_args->pdata,
			     .trace = recs,
			     .trace_path = argv[1],
			     .closed_loop = fmt->closed_loop,
			     .service = service};
	status = fork_run(s, &o);
	if (status != 0)
		goto done;
	/* replay/validate layout: DIR/summary.csv, result.json, requests.csv, timing.csv */
	GString *sum = g_string_new(NULL);
	char *pols[] = {"raw", NULL};
	if (!gather(outdir, pols, sc.seed, 1, sum))
		status = 1;
	const char *files[] = {"result.json", "requests.csv"};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		char *from = g_build_filename(dir, files[i], NULL);
		char *to = g_build_filename(outdir, files[i], NULL);
		if (rename(from, to) != 0)
			status = bad("%s: %s", to, g_strerror(errno));
		g_free(from);
		g_free(to);
	}
	g_rmdir(dir);
	if (!quiet && !validate)
		print_summary(sum->str);
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
		double rms = cdf_rms_ms((double *)meas->data, meas->len, (double *)sim->data,
					sim->len);
		double mm = msum / recs->len, sm = ssum / recs->len;
		printf("trace %s\nrequests %u\nmeasured_mean_ms %.3f\nsimulated_mean_ms %.3f\n"
		       "mean_error_pct %+.2f\nrms_ms %.3f\n",
		       argv[1], recs->len, mm, sm, 100 * (sm - mm) / mm, rms);
		g_array_free(meas, TRUE);
		g_array_free(sim, TRUE);
	}
	if (!quiet && status == 0)
		printf("%sresults: %s/summary.csv, result.json, requests.csv\n", validate ? "" : "\n",
		       outdir);
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

static int
cmd_replay(int argc, char **argv)
{
	return replay_common("replay", argc, argv, false);
}

static int
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
	{"run", "SCENARIO [--policy P[,P...]] [--seed N] [--seeds N] [--set S.K=V]... [--out DIR] "
		"[--requests] [--timeline]",
	 cmd_run},
	{"replay", "TRACE --format validate|ascii|mqsim --disk DISK [--devno N] [--out DIR]",
	 cmd_replay},
	{"validate", "TRACE --disk DISK   replay a measured validate trace; print RMS and means",
	 cmd_validate},
	{"policies", "                    name and one-line summary of each policy", cmd_policies},
	{"check", "SCENARIO             parse and validate only", cmd_check},
};

static void
usage(FILE *f)
{
	fprintf(f, "vnodesim %s -- a storage stack simulator for comparing vnode lock policies\n\n"
		   "usage: vnodesim COMMAND [OPTIONS] [--cfg=SIMGRID_OPTION]... [--log=SIMGRID_LOG]...\n\n"
		   "commands:\n",
		VNODESIM_VERSION);
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  vnodesim %s %s\n", commands[i].name, commands[i].usage);
	fprintf(f, "\n`vnodesim COMMAND --help` describes each command's options.\n"
		   "--cfg= and --log= options go to SimGrid (e.g. --log=vnodesim_disk.thres:debug).\n"
		   "Exit status: 0 success, 2 bad input, 3 simulated deadlock.\n");
}

int
main(int argc, char **argv)
{
	g_set_prgname("vnodesim");
	/* SimGrid's options are set aside before anyone else parses the command line. */
	sg_args = g_ptr_array_new();
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (i > 0 && (g_str_has_prefix(argv[i], "--cfg=") ||
			      g_str_has_prefix(argv[i], "--log=")))
			g_ptr_array_add(sg_args, argv[i]);
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	argc = n;
	g_ptr_array_add(sg_args, NULL);
	int status;
	if (argc < 2) {
		usage(stderr);
		status = EXIT_BAD;
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
			status = EXIT_BAD;
		}
	}
	g_ptr_array_free(sg_args, TRUE);
	return status;
}

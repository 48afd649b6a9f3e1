/*
 * cmd_replay.c -- `vnodesim replay TRACE --format F --disk DISK` and `vnodesim validate
 * TRACE --disk DISK`: a block trace against a disk model alone (the raw device: no file
 * system, no vnode lock), in one child process.  validate replays a measured DiskSim
 * "validate" trace closed-loop and prints the RMS distance between the measured and the
 * simulated service-time distributions, and their means.
 *
 * (1) Layout: DIR/summary.csv (policy `raw`), DIR/result.json, DIR/requests.csv,
 *     DIR/timing.csv (DESIGN.md §8).
 * (2) The child hands each request's device time back through shared memory (the parent
 *     computes the RMS): nothing is re-read from requests.csv.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "models/cdfdist.h"
#include "models/disk.h"
#include "sim/cli.h"
#include "sim/config.h"
#include "sim/commands.h"
#include "sim/guard.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/trace.h"

static int
replay_common(const char *cmd, int argc, char **argv, bool validate)
{
	char *format = validate ? g_strdup("validate") : NULL, *diskp = NULL, *out = NULL;
	char *arrival = NULL; /* blkparse, blktrace: queue (default) or dispatch */
	int devno = G_MININT; /* not given: every device */
	char **sets = NULL;
	gboolean quiet = FALSE;
	GOptionEntry replay_entries[] = {
	    {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "Trace format", tr_format_names()},
	    {"disk", 'd', 0, G_OPTION_ARG_FILENAME, &diskp,
	     "Project disk file, DiskSim .diskspecs or .parv", "DISK"},
	    {"devno", 0, 0, G_OPTION_ARG_INT, &devno, "Replay only this device of the trace", "N"},
	    {"arrival", 0, 0, G_OPTION_ARG_STRING, &arrival,
	     "blkparse/blktrace: a request arrives when queued (Q, default) or dispatched (D)",
	     "queue|dispatch"},
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
	if (devno != G_MININT && devno < 0) {
		cli_bad("%s: --devno must be >= 0", cmd);
		goto done;
	}
	if (devno == G_MININT)
		devno = -1;
	if (arrival && strcmp(arrival, "queue") != 0 && strcmp(arrival, "dispatch") != 0) {
		cli_bad("%s: --arrival: expected queue or dispatch, got '%s'", cmd, arrival);
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
	struct disk *d = cfg_disk(scn_section(s, "disk"), NULL, 1, 0, &err);
	if (!d) {
		status = cli_bad_err(err);
		goto done;
	}
	uint64_t cap = disk_capacity(d);
	disk_destroy(d);
	if (!(recs = tr_read_at(argv[1], fmt, devno, cap,
	                        arrival && !strcmp(arrival, "dispatch") ? 'D' : 'Q', &err))) {
		status = cli_bad_err(err);
		goto done;
	}
	if (!guard_check_replay(argv[1], recs->len, sizeof(struct tr_rec), &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	outdir = out ? g_strdup(out) : g_build_filename("results", name, NULL);
	guard_outdir(outdir);
	dir = g_build_filename(outdir, "raw", NULL);
	if (!cli_outdir_ready(dir))
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
	g_free(arrival);
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

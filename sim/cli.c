/*
 * cli.c -- what the commands share (see cli.h): messages, options, scenarios, run
 * directories and processes, gathering.
 *
 * (1) A simulation runs in a child process (SimGrid allows one simulation per process); the
 *     parent only waits for it, so its own state never meets a run's.
 * (2) The seed directory of a run is computed here only: run, compare and the gathering of
 *     their parts must agree on it.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/locks/policy.h"
#include "sim/cli.h"
#include "sim/columns.h"
#include "sim/compare.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/report.h"
#include "sim/scenario.h"

static const char *const no_args[] = {NULL};
static const char *const *sg_args = no_args; /* --cfg=/--log= for SimGrid */

void
cli_set_simgrid_args(const char *const *args)
{
	sg_args = args ? args : no_args;
}

const char *const *
cli_simgrid_args(void)
{
	return sg_args;
}

int
cli_bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vnodesim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return CLI_EXIT_BAD;
}

int
cli_bad_err(GError *err)
{
	int st = cli_bad("%s", err->message);
	g_error_free(err);
	return st;
}

bool
cli_parse_opts(const char *cmd, const char *params, const char *summary, GOptionEntry *entries,
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

bool
cli_mkdir_p(const char *dir)
{
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		cli_bad("%s: %s", dir, g_strerror(errno));
		return false;
	}
	return true;
}

char *
cli_run_stamp(const char *scenario, const char *policy, uint64_t seed, int nseeds, bool requests,
              bool timeline, char **sets)
{
	char *setl = sets ? g_strjoinv(" ", sets) : g_strdup("");
	char *opts =
	    g_strdup_printf("run policy=%s seed=%llu seeds=%d requests=%d timeline=%d "
	                    "sets=%s",
	                    policy, (unsigned long long)seed, nseeds, requests, timeline, setl);
	char *st = rep_stamp(scenario, opts);
	g_free(opts);
	g_free(setl);
	return st;
}

bool
cli_outdir_ready(const char *dir)
{
	if (!cli_mkdir_p(dir))
		return false;
	/* a probe file, not access(): a read-only file system, a full one's inode table,
	 * ACLs and root's exemption from the mode bits all show as a failed create */
	char *probe = g_build_filename(dir, ".vnodesim-write-test-XXXXXX", NULL);
	int fd = g_mkstemp(probe);
	bool ok = fd >= 0;
	if (!ok)
		cli_bad("%s: cannot write results there: %s", dir, g_strerror(errno));
	else {
		close(fd);
		g_unlink(probe);
	}
	g_free(probe);
	return ok;
}

static const char *const retired[] = {"stamp", "summary.csv", "timing.csv"};

void
cli_retire_results(const char *dir)
{
	const char *from[G_N_ELEMENTS(retired) + 1] = {0}, *to[G_N_ELEMENTS(retired) + 1] = {0};
	char *paths[2 * G_N_ELEMENTS(retired)] = {0};
	int n = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(retired); i++) {
		char *p = g_build_filename(dir, retired[i], NULL);
		char *q = g_strconcat(p, ".prev", NULL);
		if (g_rename(p, q) == 0) {
			from[n] = paths[2 * i] = q;
			to[n++] = paths[2 * i + 1] = p;
		} else {
			g_free(p);
			g_free(q);
		}
	}
	guard_retired(from, to); /* put back if interrupted before anything new is written */
	for (size_t i = 0; i < G_N_ELEMENTS(paths); i++)
		g_free(paths[i]);
}

void
cli_retire_done(const char *dir)
{
	const char *none[] = {NULL};
	guard_retired(none, none);
	for (size_t i = 0; i < G_N_ELEMENTS(retired); i++) {
		char *p = g_strconcat(dir, "/", retired[i], ".prev", NULL);
		g_unlink(p);
		g_free(p);
	}
}

bool
cli_apply_sets(struct scn *s, char **sets)
{
	GError *err = NULL;
	for (char **p = sets; p && *p; p++)
		if (!scn_set(s, *p, &err)) {
			cli_bad_err(err);
			return false;
		}
	return true;
}

void
cli_print_warnings(const struct scn *s)
{
	const GPtrArray *w = scn_warnings(s);
	for (guint i = 0; w && i < w->len; i++)
		fprintf(stderr, "vnodesim: warning: %s\n", (const char *)w->pdata[i]);
}

struct scn *
cli_scn_load(const char *path, const char *sim, GError **err)
{
	struct scn *s = scn_load(path, SCN_JOBFILE, err);
	if (s && sim && !scn_load_sim(s, sim, err)) {
		scn_free(s);
		s = NULL;
	}
	return s;
}

static struct scn *
finish_load(struct scn *s, GError *err, const char *sim, char **sets)
{
	if (!s) {
		cli_bad_err(err);
		return NULL;
	}
	if (sim && !scn_load_sim(s, sim, &err)) {
		cli_bad_err(err);
		scn_free(s);
		return NULL;
	}
	if (!cli_apply_sets(s, sets)) {
		scn_free(s);
		return NULL;
	}
	return s;
}

struct scn *
cli_load_scenario_sim(const char *path, const char *sim, char **sets)
{
	GError *err = NULL;
	struct scn *s = scn_load(path, SCN_JOBFILE, &err);
	return finish_load(s, err, sim, sets);
}

struct scn *
cli_load_scenario(const char *path, char **sets)
{
	return cli_load_scenario_sim(path, NULL, sets);
}

struct scn *
cli_load_jobs(const char *path, char **jobargs, const int *pos, const char *sim, char **sets)
{
	GError *err = NULL;
	struct scn *s = scn_load_args(path, jobargs, pos, (int)g_strv_length(jobargs), &err);
	return finish_load(s, err, sim, sets);
}

/* Is A (after "--" or "-") one of ENTRIES' options?  *VALUED: it takes a value. */
static bool
own_option(const GOptionEntry *entries, const char *a, bool *valued, bool *attached)
{
	*attached = false;
	for (const GOptionEntry *e = entries; e->long_name; e++) {
		bool v = e->arg != G_OPTION_ARG_NONE;
		if (a[1] == '-') {
			size_t n = strlen(e->long_name);
			if (!strncmp(a + 2, e->long_name, n) &&
			    (a[2 + n] == '\0' || a[2 + n] == '=')) {
				*valued = v;
				*attached = a[2 + n] == '=';
				return true;
			}
		} else if (e->short_name && a[1] == e->short_name) {
			*valued = v;
			*attached = a[2] != '\0';
			return true;
		}
	}
	return false;
}

/* fio 3.33's options that take no value on its command line (`fio --cmdhelp=NAME` says
 * "type: empty or boolean value"; getopt's no_argument): every other one takes the next
 * argument as its value when written without '=', as fio's getopt does.  concurrent is
 * vnodesim's own flag. */
static const char *const fio_flags[] = {
    "blocksize_unaligned", "bs_unaligned",      "concurrent",   "exitall",
    "exitall_on_error",    "group_reporting",   "new_group",    "norandommap",
    "refill_buffers",      "stonewall",         "thread",       "time_based",
    "verify_only",         "wait_for_previous", "zero_buffers", NULL};

void
cli_split_job_args(GOptionEntry *entries, int *argc, char **argv, GPtrArray *jobargs, GArray *pos)
{
	int n = 1;
	bool opts = true;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		bool valued = false, attached = false;
		if (opts && !strcmp(a, "--")) {
			opts = false;
			argv[n++] = argv[i];
			continue;
		}
		if (!opts || a[0] != '-' || !a[1]) {
			argv[n++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "--help-all") ||
		    !strcmp(a, "-?") || own_option(entries, a, &valued, &attached)) {
			argv[n++] = argv[i];
			if (valued && !attached && i + 1 < *argc)
				argv[n++] = argv[++i];
			continue;
		}
		if (a[1] != '-') { /* an unknown short option: GOption says so */
			argv[n++] = argv[i];
			continue;
		}
		int at = i;
		bool flag = false;
		for (const char *const *f = fio_flags; *f && !flag; f++)
			flag = !strcmp(a + 2, *f);
		if (!strchr(a, '=') && !flag && scn_is_fio_option(a + 2) && i + 1 < *argc)
			g_ptr_array_add(jobargs,
			                g_strconcat(a, "=", argv[++i], NULL)); /* --rw read */
		else
			g_ptr_array_add(jobargs, g_strdup(a));
		g_array_append_val(pos, at);
	}
	argv[n] = NULL;
	*argc = n;
}

bool
cli_check_policies(struct scn *s, char **pols, const char *cmd, const char *opt, bool judge)
{
	/* the list itself first: nothing is written for a list that names no run, an empty
	 * item, a policy twice (two runs into one folder) or an unknown policy */
	if (!pols || !*pols) {
		cli_bad("%s: %s: no policy named (a comma-separated list, or all)", cmd, opt);
		return false;
	}
	for (char **p = pols; *p; p++) {
		if (!**p) {
			cli_bad("%s: %s: an empty policy name in the list", cmd, opt);
			return false;
		}
		if (!lk_policy_find(*p)) {
			cli_bad("%s: %s: unknown policy '%s' (vnodesim policies)", cmd, opt, *p);
			return false;
		}
		for (char **q = pols; q < p; q++)
			if (!strcmp(*q, *p)) {
				cli_bad("%s: %s: policy '%s' named twice", cmd, opt, *p);
				return false;
			}
	}
	GError *err = NULL;
	for (char **p = pols; judge && *p; p++)
		if (!run_check_policy(s, *p, &err)) {
			cli_bad_err(err);
			return false;
		}
	return true;
}

char **
cli_policies(const char *arg, const char *from_sim)
{
	const char *list = arg ? arg : from_sim && *from_sim ? from_sim : "all";
	if (strcmp(list, "all") != 0)
		return g_strsplit(list, ",", -1);
	int n;
	const struct lk_policy *const *all = lk_policy_all(&n);
	char **v = g_new0(char *, n + 1);
	for (int i = 0; i < n; i++)
		v[i] = g_strdup(all[i]->name);
	return v;
}

char *
cli_seed_dir(const char *outdir, const char *policy, uint64_t seed0, int k)
{
	return k == 0 ? g_build_filename(outdir, policy, NULL)
	              : g_strdup_printf("%s/%s/seed-%llu", outdir, policy,
	                                (unsigned long long)(seed0 + (uint64_t)k));
}

int
cli_fork_run(const struct scn *s, const struct run_opts *o)
{
	pid_t pid = guard_fork(); /* the child: default signals; the parent: whom to kill */
	if (pid < 0)
		return cli_bad("fork: %s", g_strerror(errno));
	if (pid == 0)
		_exit(run_simulate(s, o));
	int st = 0;
	while (guard_wait(pid, &st) < 0 && errno == EINTR)
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

bool
cli_gather(const char *outdir, char **policies, uint64_t seed0, int nseeds, GString *summary)
{
	GString *timing = g_string_new(out_timing_header);
	g_string_assign(summary, col_header());
	bool ok = true;
	for (char **p = policies; *p; p++)
		for (int k = 0; k < nseeds; k++) {
			char *dir = cli_seed_dir(outdir, *p, seed0, k);
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

char *
cli_summary_text(const char *csv)
{
	GString *o = g_string_new(NULL);
	enum { POL, JOB, SEED, OPS, RIOPS, WIOPS, RMB, WMB, LAT, P99, UTIL, TORN, STALE, N };
	static const char *const names[N] = {"policy",      "job",        "seed",      "ops",
	                                     "read_iops",   "write_iops", "read_mbps", "write_mbps",
	                                     "lat_mean_us", "lat_p99_us", "disk_util", "torn_reads",
	                                     "stale_reads"};
	struct cmp_table *t = cmp_table_parse(csv);
	int c[N];
	bool have = true;
	for (int i = 0; i < N; i++)
		have = (c[i] = cmp_table_col(t, names[i])) >= 0 && have;
	g_string_append_printf(o, "%-12s %-16s %6s %10s %10s %10s %10s %10s %9s %7s %6s %6s\n",
	                       "policy", "job", "seed", "ops", "r_iops", "w_iops", "MB/s", "lat_us",
	                       "p99_us", "util", "torn", "stale");
	for (guint i = 0; have && i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		g_string_append_printf(
		    o, "%-12s %-16s %6s %10s %10.1f %10.1f %10.2f %10.1f %9.1f %7.3f %6s %6s\n",
		    f[c[POL]], f[c[JOB]], f[c[SEED]], f[c[OPS]], g_ascii_strtod(f[c[RIOPS]], NULL),
		    g_ascii_strtod(f[c[WIOPS]], NULL),
		    g_ascii_strtod(f[c[RMB]], NULL) + g_ascii_strtod(f[c[WMB]], NULL),
		    g_ascii_strtod(f[c[LAT]], NULL), g_ascii_strtod(f[c[P99]], NULL),
		    g_ascii_strtod(f[c[UTIL]], NULL), f[c[TORN]], f[c[STALE]]);
	}
	cmp_table_free(t);
	return g_string_free(o, FALSE);
}

void
cli_print_summary(const char *csv)
{
	char *t = cli_summary_text(csv);
	fputs(t, stdout);
	g_free(t);
}

bool
cli_seed_ok(const char *cmd, gint64 seed)
{
	if (seed == SEED_UNSET || seed >= 0)
		return true;
	cli_bad("%s: --seed must be >= 0", cmd);
	return false;
}

bool
cli_output_format(const char *cmd, const char *fmt, bool *plus)
{
	*plus = false;
	if (!fmt)
		return true;
	char **v = g_strsplit(fmt, ",", -1);
	bool ok = v[0] != NULL;
	for (char **p = v; *p && ok; p++) {
		if (strcmp(*p, "json+") == 0)
			*plus = true;
		else if (strcmp(*p, "json") != 0 && strcmp(*p, "normal") != 0)
			ok = false;
	}
	if (!ok)
		cli_bad("%s: --output-format: expected normal, json or json+ (or a comma-separated "
		        "list of them), got '%s'",
		        cmd, fmt);
	g_strfreev(v);
	return ok;
}

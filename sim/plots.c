/*
 * plots.c -- the figures of comparisons and sweeps: small digests of a run's big files, made
 * in its own child, and gnuplot drawing them (see plots.h).
 *
 * (1) A figure is drawn from a .dat file written beside it, and the command that redraws it
 *     goes to commands.txt: every figure can be remade, restyled or checked by hand.
 * (2) Digests read requests.csv and locks.csv once, in the run's child, so a comparison
 *     never holds two runs' requests at once; the big files are deleted afterwards unless
 *     kept on request.
 * (3) Correctness counters travel with the throughput (compare.c (3)): each bar is labelled
 *     with its torn, stale and lost counts.
 * (4) The latency CDF: policies whose curves are identical (every point the same: a policy
 *     that never waits gives the same latencies as another) are drawn once, titled with
 *     their names joined by '=', so that no curve hides another; the others differ in
 *     colour, dash type and point type (latency_cdf.gp).  Two panels: the CDF, and its
 *     tail, the fraction of requests slower than x on a log scale, where p99 and p99.9
 *     stand apart.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/compare.h"
#include "sim/csv.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/plots.h"

/* ---- digests of one run, made in its child ---- */

static bool
digest_requests(const char *dir, GError **err)
{
	char *path = g_build_filename(dir, "requests.csv", NULL);
	FILE *f = fopen(path, "r");
	g_free(path);
	if (!f)
		return true;
	size_t n = 0;
	double total = 0;
	double sum[7] = {0}; /* lock_wait queue seek rot xfer ctrl service */
	char line[1024];
	bool first = true;
	while (fgets(line, sizeof line, f)) {
		if (first) {
			first = false;
			continue;
		}
		char **v = csv_split(line);
		if (g_strv_length(v) >= 15) {
			double l = (g_ascii_strtod(v[7], NULL) - g_ascii_strtod(v[6], NULL)) * 1e6;
			n++;
			total += l;
			for (int i = 0; i < 7; i++)
				sum[i] += g_ascii_strtod(v[8 + i], NULL);
		}
		g_strfreev(v);
	}
	fclose(f);
	double d = n ? (double)n : 1;
	GString *m = g_string_new("requests,lat_us,lock_wait_us,queue_us,seek_us,rot_us,xfer_us,"
	                          "ctrl_us,service_us\n");
	g_string_append_printf(m, "%zu,%.3f", n, total / d);
	for (int i = 0; i < 7; i++)
		g_string_append_printf(m, ",%.3f", sum[i] / d);
	g_string_append_c(m, '\n');
	char *p2 = g_build_filename(dir, "request_means.csv", NULL);
	bool ok = out_write_atomic(p2, m->str, m->len, err);
	g_free(p2);
	g_string_free(m, TRUE);
	return ok;
}

#define HOLD_GRANTS 150 /* holds kept for the timeline: the run's first grants */
#define HOLD_LANES 24

struct grant {
	double t;
	char *cls;
};

static void
grant_free(struct grant *g)
{
	g_free(g->cls);
	g_free(g);
}

static bool
digest_locks(const char *dir, GError **err)
{
	char *path = g_build_filename(dir, "locks.csv", NULL);
	FILE *f = fopen(path, "r");
	g_free(path);
	if (!f)
		return true;
	/* pass 1: the main lock (most grants, getpages aside) */
	GHashTable *count = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	char line[512];
	while (fgets(line, sizeof line, f)) {
		char **v = csv_split(line);
		if (g_strv_length(v) >= 4 && !strcmp(v[3], "grant") && strcmp(v[1], "getpages")) {
			gpointer old = g_hash_table_lookup(count, v[1]);
			g_hash_table_replace(count, g_strdup(v[1]),
			                     GINT_TO_POINTER(GPOINTER_TO_INT(old) + 1));
		}
		g_strfreev(v);
	}
	char *main_lock = NULL;
	int best = 0;
	GHashTableIter it;
	gpointer k, val;
	g_hash_table_iter_init(&it, count);
	while (g_hash_table_iter_next(&it, &k, &val))
		if (GPOINTER_TO_INT(val) > best ||
		    (GPOINTER_TO_INT(val) == best && main_lock && strcmp(k, main_lock) < 0)) {
			best = GPOINTER_TO_INT(val);
			main_lock = k;
		}
	GString *out = g_string_new("lane,t0_us,t1_us,class,req\n");
	if (main_lock) {
		rewind(f);
		GHashTable *held = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                                         (GDestroyNotify)grant_free);
		double lane_end[HOLD_LANES];
		for (int i = 0; i < HOLD_LANES; i++)
			lane_end[i] = -1;
		int grants = 0;
		while (fgets(line, sizeof line, f)) {
			char **v = csv_split(g_strchomp(line));
			if (g_strv_length(v) < 7 || strcmp(v[1], main_lock)) {
				g_strfreev(v);
				continue;
			}
			char *id = g_strdup_printf("%s:%s", v[4], v[5]);
			double t = g_ascii_strtod(v[0], NULL);
			if (!strcmp(v[3], "grant") && grants < HOLD_GRANTS) {
				struct grant *g = g_new(struct grant, 1);
				g->t = t;
				g->cls = g_strdup(v[2]);
				g_hash_table_replace(held, id, g);
				grants++;
				id = NULL;
			} else if (!strcmp(v[3], "release")) {
				struct grant *g = g_hash_table_lookup(held, id);
				if (g) {
					int lane = HOLD_LANES - 1;
					for (int i = 0; i < HOLD_LANES; i++)
						if (lane_end[i] <= g->t) {
							lane = i;
							break;
						}
					lane_end[lane] = t;
					g_string_append_printf(out, "%d,%.3f,%.3f,%s,%s\n", lane,
					                       g->t * 1e6, t * 1e6, g->cls, v[4]);
					g_hash_table_remove(held, id);
				}
			}
			g_free(id);
			g_strfreev(v);
			if (grants >= HOLD_GRANTS && g_hash_table_size(held) == 0)
				break;
		}
		g_hash_table_unref(held);
	}
	fclose(f);
	char *p = g_build_filename(dir, "holds.csv", NULL);
	bool ok = out_write_atomic(p, out->str, out->len, err);
	g_free(p);
	g_string_free(out, TRUE);
	g_hash_table_unref(count);
	return ok;
}

bool
plot_digest(const char *rundir, bool keep_requests, bool keep_timeline, GError **err)
{
	if (!digest_requests(rundir, err) || !digest_locks(rundir, err))
		return false;
	char *p;
	if (!keep_requests) {
		p = g_build_filename(rundir, "requests.csv", NULL);
		g_unlink(p);
		g_free(p);
	}
	if (!keep_timeline) {
		p = g_build_filename(rundir, "locks.csv", NULL);
		g_unlink(p);
		g_free(p);
	}
	return true;
}

/* ---- gnuplot ---- */

/* Where results/NAME (a gnuplot script) is: $VNODESIM_SCRIPTS, next to the program
 * (../results, ../share/vnodesim/results), ./results.  Newly allocated, or NULL. */
static char *
plot_script(const char *name)
{
	const char *env = g_getenv("VNODESIM_SCRIPTS");
	char *exe = g_file_read_link("/proc/self/exe", NULL);
	char *bindir = exe ? g_path_get_dirname(exe) : g_strdup(".");
	char *cands[] = {
	    env ? g_build_filename(env, name, NULL) : NULL,
	    g_build_filename(bindir, "..", "results", name, NULL),
	    g_build_filename(bindir, "..", "share", "vnodesim", "results", name, NULL),
	    g_build_filename("results", name, NULL),
	};
	char *found = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(cands); i++) {
		if (!found && cands[i] && g_file_test(cands[i], G_FILE_TEST_IS_REGULAR))
			found = g_canonicalize_filename(cands[i], NULL);
		g_free(cands[i]);
	}
	g_free(exe);
	g_free(bindir);
	/* shown in reproduction commands: relative to the working directory when inside it */
	char *cwd = g_get_current_dir();
	if (found && g_str_has_prefix(found, cwd) && found[strlen(cwd)] == '/') {
		char *rel = g_strdup(found + strlen(cwd) + 1);
		g_free(found);
		found = rel;
	}
	g_free(cwd);
	return found;
}

/* Whether the figure at PATH was written whole: a PNG ends with its IEND chunk (length 0,
 * type, CRC: 12 bytes), an SVG with its closing tag. */
static bool
figure_whole(const char *path, bool png)
{
	gchar *data = NULL;
	gsize n = 0;
	if (!g_file_get_contents(path, &data, &n, NULL))
		return false;
	bool ok;
	if (png) {
		static const unsigned char iend[] = {0,   0,   0,    0,    'I',  'E',
		                                     'N', 'D', 0xae, 0x42, 0x60, 0x82};
		ok = n >= 8 + sizeof iend && memcmp(data + n - sizeof iend, iend, sizeof iend) == 0;
	} else {
		while (n > 0 && g_ascii_isspace(data[n - 1]))
			n--;
		ok = n >= 6 && memcmp(data + n - 6, "</svg>", 6) == 0;
	}
	g_free(data);
	return ok;
}

bool
plot_gnuplot(const char *script, const char *dat, const char *out, const char *extra, GString *cmd,
             GError **err)
{
	char *path = plot_script(script);
	if (!path) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
		            "gnuplot script %s not found (set VNODESIM_SCRIPTS)", script);
		return false;
	}
	/* gnuplot draws into OUT.part.png/.svg; each is checked whole (a PNG ends with its IEND
	 * chunk, an SVG with </svg>) and renamed into place, or removed: a full file system
	 * leaves no truncated figure behind, even where gnuplot does not notice */
	char *part = g_strconcat(out, ".part", NULL);
	char *run = g_strdup_printf("dat='%s'; out='%s'%s%s", dat, part, extra ? "; " : "",
	                            extra ? extra : "");
	char *assign = g_strdup_printf("dat='%s'; out='%s'%s%s", dat, out, extra ? "; " : "",
	                               extra ? extra : "");
	char *argv[] = {"gnuplot", "-e", run, path, NULL};
	char *errout = NULL;
	int status = 0;
	bool ok = guard_spawn_sync(argv, true, true, &errout, &status, err);
	if (ok && !g_spawn_check_wait_status(status, NULL)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "gnuplot %s failed: %s", path,
		            errout ? errout : "");
		ok = false;
	}
	static const char *const ext[] = {".png", ".svg"};
	for (int k = 0; k < 2; k++) {
		char *from = g_strconcat(part, ext[k], NULL), *to = g_strconcat(out, ext[k], NULL);
		if (g_file_test(from, G_FILE_TEST_EXISTS)) {
			if (ok && !figure_whole(from, k == 0)) {
				g_set_error(
				    err, G_FILE_ERROR, G_FILE_ERROR_FAILED,
				    "%s: gnuplot wrote an incomplete figure (file system full?)",
				    to);
				ok = false;
			}
			if (ok && rename(from, to) != 0) {
				g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
				            "%s: %s", to, g_strerror(errno));
				ok = false;
			}
			if (!ok)
				unlink(from);
		}
		g_free(from);
		g_free(to);
	}
	g_free(run);
	g_free(part);
	if (cmd) {
		/* double quotes read better and suffice unless the shell would expand */
		char *q = strpbrk(assign, "\"$`\\!") ? g_shell_quote(assign)
		                                     : g_strdup_printf("\"%s\"", assign);
		g_string_append_printf(cmd, "gnuplot -e %s %s", q, path);
		g_free(q);
	}
	g_free(errout);
	g_free(assign);
	g_free(path);
	return ok;
}

/* ---- figures of a compare directory ---- */

static bool
write_text(const char *path, GString *s, GError **err)
{
	return out_write_atomic(path, s->str, s->len, err);
}

static void
add_cmd(GString *cmds, const char *name, GString *cmd)
{
	if (cmds)
		g_string_append_printf(cmds, "%s\t%s\n", name, cmd->str);
	g_string_truncate(cmd, 0);
}

/* Read a small CSV (DIR/POLICY/FILE) or NULL. */
static struct cmp_table *
run_csv(const char *dir, const char *policy, const char *file)
{
	char *p = g_build_filename(dir, policy, file, NULL);
	struct cmp_table *t = cmp_table_read(p, NULL);
	g_free(p);
	return t;
}

static bool
plot_throughput(const char *dir, const char *pdir, char **policies, GString *cmds, GError **err)
{
	GArray *all = cmp_read_all(dir, err);
	if (!all)
		return false;
	GString *d = g_string_new("# index policy iops ci95 \"torn reads/writes\" \"stale, lost\" "
	                          "any (counters summed over seeds)\n");
	int n = 0;
	for (char **p = policies; *p; p++)
		for (guint i = 0; i < all->len; i++) {
			struct cmp_all *e = &g_array_index(all, struct cmp_all, i);
			if (strcmp(e->policy, *p))
				continue;
			g_string_append_printf(
			    d, "%d %s %.3f %.3f \"torn %.0f/%.0f\" \"stale %.0f lost %.0f\" %d\n",
			    n++, e->policy, e->iops, e->iops_ci, e->torn_reads, e->torn_writes,
			    e->stale_reads, e->lost_writes,
			    e->torn_reads + e->torn_writes + e->stale_reads + e->lost_writes > 0);
		}
	int seeds = all->len ? g_array_index(all, struct cmp_all, 0).seeds : 1;
	cmp_all_free(all);
	char *dat = g_build_filename(pdir, "throughput.dat", NULL);
	char *out = g_build_filename(pdir, "throughput", NULL);
	char *extra = g_strdup_printf("seeds=%d", seeds);
	GString *cmd = g_string_new(NULL);
	bool ok =
	    write_text(dat, d, err) && plot_gnuplot("throughput.gp", dat, out, extra, cmd, err);
	add_cmd(cmds, "throughput", cmd);
	g_string_free(cmd, TRUE);
	g_string_free(d, TRUE);
	g_free(extra);
	g_free(dat);
	g_free(out);
	return ok;
}

/* The latency CDF (note 4). */
static bool
plot_cdf(const char *dir, const char *pdir, char **policies, GString *cmds, GError **err)
{
	GString *d = g_string_new("# latency CDF per policy (first seed), blocks in order: ");
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);  /* a group's title */
	GPtrArray *blocks = g_ptr_array_new_with_free_func(g_free); /* its points */
	for (char **p = policies; *p; p++) {
		struct cmp_table *t = run_csv(dir, *p, "latency_cdf.csv");
		if (!t)
			continue;
		GString *b = g_string_new(NULL);
		for (guint i = 0; i < t->rows->len; i++) {
			char **f = t->rows->pdata[i];
			g_string_append_printf(b, "%s %s\n", f[1], f[0]);
		}
		cmp_table_free(t);
		guint g = 0;
		while (g < blocks->len && strcmp(blocks->pdata[g], b->str))
			g++;
		if (g < blocks->len) { /* the same curve as group g */
			char *n = g_strconcat(names->pdata[g], "=", *p, NULL);
			g_free(names->pdata[g]);
			names->pdata[g] = n;
			g_string_free(b, TRUE);
		} else {
			g_ptr_array_add(names, g_strdup(*p));
			g_ptr_array_add(blocks, g_string_free(b, FALSE));
		}
	}
	bool ok = true;
	if (names->len > 0) {
		GString *nm = g_string_new(NULL), *body = g_string_new(NULL);
		for (guint g = 0; g < names->len; g++) {
			g_string_append_printf(nm, "%s%s", g ? " " : "", (char *)names->pdata[g]);
			g_string_append_printf(body, "# %s\n%s\n\n", (char *)names->pdata[g],
			                       (char *)blocks->pdata[g]);
		}
		g_string_append_printf(d, "%s ('=' joins policies whose curves are identical)\n%s",
		                       nm->str, body->str);
		char *dat = g_build_filename(pdir, "latency_cdf.dat", NULL);
		char *out = g_build_filename(pdir, "latency_cdf", NULL);
		char *extra = g_strdup_printf("names='%s'", nm->str);
		GString *cmd = g_string_new(NULL);
		ok = write_text(dat, d, err) &&
		     plot_gnuplot("latency_cdf.gp", dat, out, extra, cmd, err);
		add_cmd(cmds, "latency_cdf", cmd);
		g_string_free(cmd, TRUE);
		g_free(extra);
		g_free(dat);
		g_free(out);
		g_string_free(nm, TRUE);
		g_string_free(body, TRUE);
	}
	g_ptr_array_free(names, TRUE);
	g_ptr_array_free(blocks, TRUE);
	g_string_free(d, TRUE);
	return ok;
}

static bool
plot_breakdown(const char *dir, const char *pdir, char **policies, GString *cmds, GError **err)
{
	char *path = g_build_filename(dir, "summary.csv", NULL);
	struct cmp_table *sum = cmp_table_read(path, err);
	g_free(path);
	if (!sum)
		return false;
	GString *d = g_string_new("policy vnode-wait getpages-wait range-wait disk-queue seek "
	                          "rotation transfer controller cpu-and-other\n");
	/* the waits from summary.csv, the device's times from the request means, by name */
	static const char *const waits[] = {"vnode_wait_us", "getpages_wait_us", "range_wait_us"};
	static const char *const dev[] = {"queue_us", "seek_us", "rot_us", "xfer_us", "ctrl_us"};
	int c_pol = cmp_table_col(sum, "policy"), c_job = cmp_table_col(sum, "job"), c_w[3];
	bool have = c_pol >= 0 && c_job >= 0;
	for (int i = 0; i < 3; i++)
		have = (c_w[i] = cmp_table_col(sum, waits[i])) >= 0 && have;
	int n = 0;
	for (char **p = policies; *p; p++) {
		struct cmp_table *m = run_csv(dir, *p, "request_means.csv");
		char **row = NULL;
		for (guint i = 0; i < sum->rows->len && have; i++) {
			char **f = sum->rows->pdata[i];
			if (!strcmp(f[c_pol], *p) && !strcmp(f[c_job], "all") && !row)
				row = f; /* the first seed's, as the request means */
		}
		int c_lat = m ? cmp_table_col(m, "lat_us") : -1, c_dev[5];
		bool mhave = c_lat >= 0;
		for (int i = 0; i < 5 && m; i++)
			mhave = (c_dev[i] = cmp_table_col(m, dev[i])) >= 0 && mhave;
		if (m && m->rows->len && row && mhave) {
			char **f = m->rows->pdata[0];
			double v[9];
			for (int i = 0; i < 3; i++)
				v[i] = g_ascii_strtod(row[c_w[i]], NULL);
			double lat = g_ascii_strtod(f[c_lat], NULL),
			       rest = lat - v[0] - v[1] - v[2];
			for (int i = 0; i < 5; i++) {
				v[3 + i] = g_ascii_strtod(f[c_dev[i]], NULL);
				rest -= v[3 + i];
			}
			v[8] = rest > 0 ? rest : 0;
			g_string_append(d, *p);
			for (int i = 0; i < 9; i++)
				g_string_append_printf(d, " %.3f", v[i]);
			g_string_append_c(d, '\n');
			n++;
		}
		cmp_table_free(m);
	}
	cmp_table_free(sum);
	bool ok = true;
	if (n) {
		char *dat = g_build_filename(pdir, "breakdown.dat", NULL);
		char *out = g_build_filename(pdir, "breakdown", NULL);
		GString *cmd = g_string_new(NULL);
		ok = write_text(dat, d, err) &&
		     plot_gnuplot("breakdown.gp", dat, out, NULL, cmd, err);
		add_cmd(cmds, "breakdown", cmd);
		g_string_free(cmd, TRUE);
		g_free(dat);
		g_free(out);
	}
	g_string_free(d, TRUE);
	return ok;
}

static bool
plot_gantt(const char *dir, const char *pdir, char **policies, GString *cmds, GError **err)
{
	/* the common window: up to the latest grant every policy's digest still covers */
	GPtrArray *tabs = g_ptr_array_new_with_free_func((GDestroyNotify)cmp_table_free);
	GPtrArray *names = g_ptr_array_new();
	double window = INFINITY;
	for (char **p = policies; *p; p++) {
		struct cmp_table *t = run_csv(dir, *p, "holds.csv");
		if (!t || !t->rows->len) {
			cmp_table_free(t);
			continue;
		}
		double last = 0;
		for (guint i = 0; i < t->rows->len; i++)
			last = MAX(last, g_ascii_strtod(((char **)t->rows->pdata[i])[1], NULL));
		window = MIN(window, last);
		g_ptr_array_add(tabs, t);
		g_ptr_array_add(names, *p);
	}
	bool ok = true;
	if (tabs->len) {
		GPtrArray *classes = g_ptr_array_new();
		GString *tics = g_string_new("set ytics (");
		int base = 0;
		int *lanes = g_new0(int, tabs->len);
		for (guint k = 0; k < tabs->len; k++) {
			struct cmp_table *t = tabs->pdata[k];
			for (guint i = 0; i < t->rows->len; i++) {
				char **f = t->rows->pdata[i];
				lanes[k] = MAX(lanes[k], atoi(f[0]) + 1);
				bool known = false;
				for (guint c = 0; c < classes->len; c++)
					known = known || !strcmp(classes->pdata[c], f[3]);
				if (!known)
					g_ptr_array_add(classes, f[3]);
			}
		}
		int *bases = g_new0(int, tabs->len);
		for (guint k = tabs->len; k-- > 0;) { /* first policy on top */
			bases[k] = base;
			g_string_append_printf(tics, "%s\"%s\" %.1f", base ? ", " : "",
			                       (char *)names->pdata[k],
			                       base + (lanes[k] - 1) / 2.0);
			base += lanes[k] + 1;
		}
		g_string_append(tics, ")\n");
		GString *d = g_string_new("# lock-holding timeline: one block per class; x_mid "
		                          "y x_half_width\n");
		GString *cl = g_string_new(NULL);
		for (guint c = 0; c < classes->len; c++) {
			g_string_append_printf(d, "# class %s\n", (char *)classes->pdata[c]);
			g_string_append_printf(cl, "%s%s", c ? " " : "", (char *)classes->pdata[c]);
			for (guint k = 0; k < tabs->len; k++) {
				struct cmp_table *t = tabs->pdata[k];
				for (guint i = 0; i < t->rows->len; i++) {
					char **f = t->rows->pdata[i];
					double t0 = g_ascii_strtod(f[1], NULL);
					double t1 = g_ascii_strtod(f[2], NULL);
					if (strcmp(f[3], classes->pdata[c]) || t0 > window)
						continue;
					t1 = MIN(t1, window);
					g_string_append_printf(d, "%.3f %d %.3f\n", (t0 + t1) / 2,
					                       bases[k] + atoi(f[0]),
					                       (t1 - t0) / 2);
				}
			}
			g_string_append(d, "\n\n");
		}
		char *dat = g_build_filename(pdir, "locks.dat", NULL);
		char *ticf = g_build_filename(pdir, "locks.tics", NULL);
		char *out = g_build_filename(pdir, "locks", NULL);
		char *extra =
		    g_strdup_printf("classes='%s'; tics='%s'; xmax=%.3f", cl->str, ticf, window);
		GString *cmd = g_string_new(NULL);
		ok = write_text(dat, d, err) && write_text(ticf, tics, err) &&
		     plot_gnuplot("locks.gp", dat, out, extra, cmd, err);
		add_cmd(cmds, "locks", cmd);
		g_string_free(cmd, TRUE);
		g_free(extra);
		g_free(dat);
		g_free(ticf);
		g_free(out);
		g_string_free(d, TRUE);
		g_string_free(cl, TRUE);
		g_string_free(tics, TRUE);
		g_ptr_array_free(classes, TRUE);
		g_free(lanes);
		g_free(bases);
	}
	g_ptr_array_free(names, TRUE);
	g_ptr_array_free(tabs, TRUE);
	return ok;
}

bool
plot_compare(const char *dir, char **policies, GString *cmds, GError **err)
{
	char *gp = g_find_program_in_path("gnuplot");
	if (!gp) { /* the results stand without their figures */
		fprintf(stderr,
		        "vnodesim: warning: gnuplot not found: no plots (make deps installs "
		        "gnuplot-nox)\n");
		return true;
	}
	g_free(gp);
	char *pdir = g_build_filename(dir, "plots", NULL);
	if (g_mkdir_with_parents(pdir, 0755) != 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", pdir,
		            g_strerror(errno));
		g_free(pdir);
		return false;
	}
	bool ok = plot_throughput(dir, pdir, policies, cmds, err) &&
	          plot_cdf(dir, pdir, policies, cmds, err) &&
	          plot_breakdown(dir, pdir, policies, cmds, err) &&
	          plot_gantt(dir, pdir, policies, cmds, err);
	g_free(pdir);
	return ok;
}

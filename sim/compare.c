/*
 * compare.c -- replications, combined summaries, plot digests and figures (see compare.h).
 *
 * (1) Confidence intervals are over independent seeds (one run each), never over requests
 *     of one run: requests within a run are correlated, seeds are not.
 * (2) The combined summary is a pure function of the set of per-seed rows: rows are sorted
 *     into a canonical order and mean rows recomputed, so how a sweep was split, resumed or
 *     merged never shows in its summary.csv.
 * (3) Correctness counters travel with every figure that shows performance (labels on the
 *     throughput bars, columns of the report table): a fast policy that tears reads must not
 *     look merely fast.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/locks/policy.h"
#include "sim/compare.h"
#include "sim/output.h"

/* ---- statistics ---- */

double
cmp_t975(int df)
{
	static const double t[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
	                           2.306, 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
	                           2.120, 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
	                           2.064, 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
	static const struct {
		int df;
		double t;
	} tail[] = {{30, 2.042}, {40, 2.021}, {60, 2.000}, {120, 1.980}};
	g_assert(df >= 1);
	if (df <= 30)
		return t[df];
	for (size_t i = 0; i + 1 < G_N_ELEMENTS(tail); i++)
		if (df <= tail[i + 1].df) { /* linear in 1/df, as tables are interpolated */
			double a = 1.0 / tail[i].df, b = 1.0 / tail[i + 1].df, x = 1.0 / df;
			return tail[i].t + (tail[i + 1].t - tail[i].t) * (a - x) / (a - b);
		}
	double a = 1.0 / 120, x = 1.0 / df;
	return 1.960 + (1.980 - 1.960) * x / a;
}

void
cmp_mean_ci(const double *x, int n, double *mean, double *ci95)
{
	double s = 0, ss = 0;
	for (int i = 0; i < n; i++)
		s += x[i];
	*mean = n ? s / n : 0;
	for (int i = 0; i < n; i++)
		ss += (x[i] - *mean) * (x[i] - *mean);
	*ci95 = n >= 2 ? cmp_t975(n - 1) * sqrt(ss / (n - 1)) / sqrt(n) : 0;
}

/* ---- CSV tables ---- */

static char **
split_fields(const char *line, int ncols)
{
	char **f = g_strsplit(line, ",", -1);
	int n = (int)g_strv_length(f);
	if (ncols > 0 && n < ncols) {
		f = g_renew(char *, f, ncols + 1);
		for (int i = n; i < ncols; i++)
			f[i] = g_strdup("");
		f[ncols] = NULL;
	}
	return f;
}

struct cmp_table *
cmp_table_parse(const char *text)
{
	struct cmp_table *t = g_new0(struct cmp_table, 1);
	char **lines = g_strsplit(text, "\n", -1);
	t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	for (char **l = lines; *l; l++) {
		g_strchomp(*l);
		if (!**l)
			continue;
		if (!t->cols) {
			t->cols = split_fields(*l, 0);
			t->ncols = (int)g_strv_length(t->cols);
		} else {
			g_ptr_array_add(t->rows, split_fields(*l, t->ncols));
		}
	}
	g_strfreev(lines);
	if (!t->cols)
		t->cols = g_new0(char *, 1);
	return t;
}

struct cmp_table *
cmp_table_read(const char *path, GError **err)
{
	char *text;
	if (!g_file_get_contents(path, &text, NULL, err))
		return NULL;
	struct cmp_table *t = cmp_table_parse(text);
	g_free(text);
	return t;
}

int
cmp_table_col(const struct cmp_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

void
cmp_table_free(struct cmp_table *t)
{
	if (!t)
		return;
	g_strfreev(t->cols);
	g_ptr_array_free(t->rows, TRUE);
	g_free(t);
}

/* ---- combined summaries ---- */

struct row {
	char **f;         /* CMP_NCONTRACT contract fields */
	GHashTable *vals; /* varied key -> value */
	int job;          /* position within its run's rows */
	guint seq;        /* insertion order */
};

static void
row_free(struct row *r)
{
	g_strfreev(r->f);
	g_hash_table_unref(r->vals);
	g_free(r);
}

struct cmp_rows *
cmp_rows_new(void)
{
	struct cmp_rows *r = g_new0(struct cmp_rows, 1);
	r->keys = g_new0(char *, 1);
	r->rows = g_ptr_array_new_with_free_func((GDestroyNotify)row_free);
	return r;
}

void
cmp_rows_free(struct cmp_rows *r)
{
	if (!r)
		return;
	g_strfreev(r->keys);
	g_ptr_array_free(r->rows, TRUE);
	g_free(r);
}

static const char *
row_val(const struct row *w, const char *key)
{
	const char *v = g_hash_table_lookup(w->vals, key);
	return v ? v : "";
}

/* Identity of a per-seed row: values, policy, seed, job. */
static char *
row_ident(const struct cmp_rows *r, const struct row *w)
{
	GString *s = g_string_new(NULL);
	for (char **k = r->keys; *k; k++)
		g_string_append_printf(s, "%s=%s\x1f", *k, row_val(w, *k));
	g_string_append_printf(s, "%s\x1f%s\x1f%s", w->f[1], w->f[2], w->f[3]);
	return g_string_free(s, FALSE);
}

bool
cmp_rows_add(struct cmp_rows *r, const char *text, char **keys, char **values, GError **err)
{
	if (!g_str_has_prefix(text, out_summary_header)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "not a vnodesim summary.csv (the header differs)");
		return false;
	}
	for (char **k = keys; k && *k; k++)
		if (!g_strv_contains((const char *const *)r->keys, *k)) {
			guint n = g_strv_length(r->keys);
			r->keys = g_renew(char *, r->keys, n + 2);
			r->keys[n] = g_strdup(*k);
			r->keys[n + 1] = NULL;
		}
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < r->rows->len; i++)
		g_hash_table_add(seen, row_ident(r, r->rows->pdata[i]));
	struct cmp_table *t = cmp_table_parse(text);
	for (guint i = 0; i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		if (!strcmp(f[2], "mean"))
			continue;
		struct row *w = g_new0(struct row, 1);
		w->f = g_new0(char *, CMP_NCONTRACT + 1);
		for (int c = 0; c < CMP_NCONTRACT; c++)
			w->f[c] = g_strdup(c < t->ncols ? f[c] : "");
		w->vals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		for (int k = 0; keys && keys[k]; k++)
			g_hash_table_insert(w->vals, g_strdup(keys[k]), g_strdup(values[k]));
		w->job = (int)i;
		w->seq = r->rows->len;
		char *id = row_ident(r, w);
		if (g_hash_table_contains(seen, id)) {
			g_free(id);
			row_free(w);
			continue;
		}
		g_hash_table_add(seen, id);
		g_ptr_array_add(r->rows, w);
	}
	cmp_table_free(t);
	g_hash_table_unref(seen);
	return true;
}

/* A value as a number: plain, or with fio's size suffixes (4k, 1m, 2GiB); false if not. */
static bool
value_num(const char *v, double *x)
{
	char *end;
	*x = g_ascii_strtod(v, &end);
	if (!*v || end == v)
		return false;
	static const char units[] = "kmgtp";
	const char *u = *end ? strchr(units, g_ascii_tolower(*end)) : NULL;
	if (u) {
		for (const char *p = units; p <= u; p++)
			*x *= 1024;
		end++;
		if (g_ascii_tolower(*end) == 'i')
			end++;
		if (g_ascii_tolower(*end) == 'b')
			end++;
	}
	return *end == '\0';
}

/* Numbers (and sizes) compare as numbers, anything else as text. */
static int
value_cmp(const char *a, const char *b)
{
	double x, y;
	if (value_num(a, &x) && value_num(b, &y) && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

struct sort_ctx {
	const struct cmp_rows *r;
	char **order;
};

static int
policy_rank(char **order, const char *p)
{
	if (order) {
		for (int i = 0; order[i]; i++)
			if (!strcmp(order[i], p))
				return i;
		return 1000;
	}
	int n;
	const struct lk_policy *const *all = lk_policy_all(&n);
	for (int i = 0; i < n; i++)
		if (!strcmp(all[i]->name, p))
			return i;
	return 1000;
}

/* Order of groups: values, then policy; within a group seeds, then jobs. */
static int
group_cmp(const struct sort_ctx *c, const struct row *a, const struct row *b)
{
	for (char **k = c->r->keys; *k; k++) {
		int d = value_cmp(row_val(a, *k), row_val(b, *k));
		if (d)
			return d;
	}
	int pa = policy_rank(c->order, a->f[1]), pb = policy_rank(c->order, b->f[1]);
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return strcmp(a->f[1], b->f[1]);
}

static int
row_cmp(gconstpointer pa, gconstpointer pb, gpointer ctx)
{
	const struct row *a = *(const struct row *const *)pa, *b = *(const struct row *const *)pb;
	int d = group_cmp(ctx, a, b);
	if (d)
		return d;
	unsigned long long sa = g_ascii_strtoull(a->f[2], NULL, 10),
	                   sb = g_ascii_strtoull(b->f[2], NULL, 10);
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a->job != b->job)
		return a->job < b->job ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

char *
cmp_rows_summary(struct cmp_rows *r, char **policy_order)
{
	struct sort_ctx ctx = {r, policy_order};
	g_ptr_array_sort_with_data(r->rows, row_cmp, &ctx);
	/* groups: same values, policy and job; several seeds -> a mean row */
	GHashTable *groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                           (GDestroyNotify)g_ptr_array_unref);
	GPtrArray *order = g_ptr_array_new_with_free_func(g_free);
	bool multi = false;
	for (guint i = 0; i < r->rows->len; i++) {
		struct row *w = r->rows->pdata[i];
		GString *k = g_string_new(NULL);
		for (char **key = r->keys; *key; key++)
			g_string_append_printf(k, "%s\x1f", row_val(w, *key));
		g_string_append_printf(k, "%s\x1f%s", w->f[1], w->f[3]);
		GPtrArray *g = g_hash_table_lookup(groups, k->str);
		if (!g) {
			g = g_ptr_array_new();
			g_hash_table_insert(groups, g_strdup(k->str), g);
			g_ptr_array_add(order, g_strdup(k->str));
		}
		g_ptr_array_add(g, w);
		if (g->len > 1)
			multi = true;
		g_string_free(k, TRUE);
	}
	GString *s = g_string_new(NULL);
	g_string_append_len(s, out_summary_header, (gssize)strlen(out_summary_header) - 1);
	if (multi) {
		g_string_append(s, ",seeds");
		char **hdr = g_strsplit(out_summary_header, ",", -1);
		for (int c = CMP_FIRST_NUM; c < CMP_NCONTRACT; c++)
			g_string_append_printf(s, ",%s_ci95", g_strstrip(hdr[c]));
		g_strfreev(hdr);
	}
	for (char **k = r->keys; *k; k++)
		g_string_append_printf(s, ",%s", *k);
	g_string_append_c(s, '\n');
	const int nci = CMP_NCONTRACT - CMP_FIRST_NUM + 1;
	for (guint i = 0; i < r->rows->len; i++) {
		struct row *w = r->rows->pdata[i];
		for (int c = 0; c < CMP_NCONTRACT; c++)
			g_string_append_printf(s, "%s%s", c ? "," : "", w->f[c]);
		for (int c = 0; multi && c < nci; c++)
			g_string_append_c(s, ',');
		for (char **k = r->keys; *k; k++)
			g_string_append_printf(s, ",%s", row_val(w, *k));
		g_string_append_c(s, '\n');
	}
	for (guint i = 0; multi && i < order->len; i++) {
		GPtrArray *g = g_hash_table_lookup(groups, order->pdata[i]);
		if (g->len < 2)
			continue;
		const struct row *w0 = g->pdata[0];
		double *x = g_new(double, g->len), mean[CMP_NCONTRACT], ci[CMP_NCONTRACT];
		for (int c = CMP_FIRST_NUM; c < CMP_NCONTRACT; c++) {
			for (guint j = 0; j < g->len; j++)
				x[j] = g_ascii_strtod(((struct row *)g->pdata[j])->f[c], NULL);
			cmp_mean_ci(x, (int)g->len, &mean[c], &ci[c]);
		}
		g_free(x);
		g_string_append_printf(s, "%s,%s,mean,%s", w0->f[0], w0->f[1], w0->f[3]);
		for (int c = CMP_FIRST_NUM; c < CMP_NCONTRACT; c++)
			g_string_append_printf(s, ",%.6f", mean[c]);
		g_string_append_printf(s, ",%u", g->len);
		for (int c = CMP_FIRST_NUM; c < CMP_NCONTRACT; c++)
			g_string_append_printf(s, ",%.6f", ci[c]);
		for (char **k = r->keys; *k; k++)
			g_string_append_printf(s, ",%s", row_val(w0, *k));
		g_string_append_c(s, '\n');
	}
	g_ptr_array_free(order, TRUE);
	g_hash_table_unref(groups);
	return g_string_free(s, FALSE);
}

/* ---- digests of one run, made in its child ---- */

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static bool
digest_requests(const char *dir, GError **err)
{
	char *path = g_build_filename(dir, "requests.csv", NULL);
	FILE *f = fopen(path, "r");
	g_free(path);
	if (!f)
		return true;
	GArray *lat = g_array_new(FALSE, FALSE, sizeof(double));
	double sum[7] = {0}; /* lock_wait queue seek rot xfer ctrl service */
	char line[1024];
	bool first = true;
	while (fgets(line, sizeof line, f)) {
		if (first) {
			first = false;
			continue;
		}
		char **v = g_strsplit(line, ",", -1);
		if (g_strv_length(v) >= 15) {
			double l = (g_ascii_strtod(v[7], NULL) - g_ascii_strtod(v[6], NULL)) * 1e6;
			g_array_append_val(lat, l);
			for (int i = 0; i < 7; i++)
				sum[i] += g_ascii_strtod(v[8 + i], NULL);
		}
		g_strfreev(v);
	}
	fclose(f);
	size_t n = lat->len;
	double *x = (double *)lat->data, total = 0;
	if (n) /* an empty GArray's data is NULL */
		qsort(x, n, sizeof *x, dbl_cmp);
	for (size_t i = 0; i < n; i++)
		total += x[i];
	GString *cdf = g_string_new("fraction,lat_us\n");
	static const double tail[] = {0.99, 0.995, 0.999, 0.9995, 0.9999};
	double qs[220];
	int nq = 0;
	for (int i = 0; i <= 200; i++)
		qs[nq++] = i / 200.0;
	for (size_t i = 0; i < G_N_ELEMENTS(tail); i++)
		qs[nq++] = tail[i];
	qsort(qs, (size_t)nq, sizeof *qs, dbl_cmp);
	for (int i = 0; n && i < nq; i++) {
		size_t k = (size_t)ceil(qs[i] * (double)n);
		k = k ? k - 1 : 0;
		if (k >= n)
			k = n - 1;
		g_string_append_printf(cdf, "%.6f,%.3f\n", qs[i], x[k]);
	}
	double d = n ? (double)n : 1;
	GString *m = g_string_new("requests,lat_us,lock_wait_us,queue_us,seek_us,rot_us,xfer_us,"
	                          "ctrl_us,service_us\n");
	g_string_append_printf(m, "%zu,%.3f", n, total / d);
	for (int i = 0; i < 7; i++)
		g_string_append_printf(m, ",%.3f", sum[i] / d);
	g_string_append_c(m, '\n');
	char *p1 = g_build_filename(dir, "latency_cdf.csv", NULL);
	char *p2 = g_build_filename(dir, "request_means.csv", NULL);
	bool ok = out_write_atomic(p1, cdf->str, cdf->len, err) &&
	          out_write_atomic(p2, m->str, m->len, err);
	g_free(p1);
	g_free(p2);
	g_string_free(cdf, TRUE);
	g_string_free(m, TRUE);
	g_array_free(lat, TRUE);
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
		char **v = g_strsplit(line, ",", 5);
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
			char **v = g_strsplit(g_strchomp(line), ",", -1);
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
cmp_digest(const char *rundir, bool keep_requests, bool keep_timeline, GError **err)
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

char *
cmp_script(const char *name)
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

bool
cmp_gnuplot(const char *script, const char *dat, const char *out, const char *extra, GString *cmd,
            GError **err)
{
	char *path = cmp_script(script);
	if (!path) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
		            "gnuplot script %s not found (set VNODESIM_SCRIPTS)", script);
		return false;
	}
	char *assign = g_strdup_printf("dat='%s'; out='%s'%s%s", dat, out, extra ? "; " : "",
	                               extra ? extra : "");
	char *argv[] = {"gnuplot", "-e", assign, path, NULL};
	char *errout = NULL;
	int status = 0;
	bool ok = g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
	                       NULL, NULL, NULL, &errout, &status, err);
	if (ok && !g_spawn_check_wait_status(status, NULL)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "gnuplot %s failed: %s", path,
		            errout ? errout : "");
		ok = false;
	}
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

GArray *
cmp_read_all(const char *dir, GError **err)
{
	char *path = g_build_filename(dir, "summary.csv", NULL);
	struct cmp_table *t = cmp_table_read(path, err);
	g_free(path);
	if (!t)
		return NULL;
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct cmp_all));
	int c_seeds = cmp_table_col(t, "seeds");
	int c_rci = cmp_table_col(t, "read_iops_ci95"), c_wci = cmp_table_col(t, "write_iops_ci95");
	int c_pci = cmp_table_col(t, "lat_p99_us_ci95");
	for (guint i = 0; i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		if (t->ncols < CMP_NCONTRACT || strcmp(f[3], "all"))
			continue;
		struct cmp_all *e = NULL;
		for (guint j = 0; j < a->len; j++)
			if (!strcmp(g_array_index(a, struct cmp_all, j).policy, f[1]))
				e = &g_array_index(a, struct cmp_all, j);
		if (!e) {
			struct cmp_all z = {.policy = g_strdup(f[1])};
			g_array_append_val(a, z);
			e = &g_array_index(a, struct cmp_all, a->len - 1);
		}
		bool mean = !strcmp(f[2], "mean");
		if (!mean) {
			/* per-seed rows: counters sum, values are those of the first seed until a
			 * mean row replaces them */
			e->torn_reads += g_ascii_strtod(f[19], NULL);
			e->torn_writes += g_ascii_strtod(f[20], NULL);
			e->stale_reads += g_ascii_strtod(f[21], NULL);
			e->lost_writes += g_ascii_strtod(f[22], NULL);
			if (e->seeds++ == 0) {
				e->iops = g_ascii_strtod(f[5], NULL) + g_ascii_strtod(f[6], NULL);
				e->p99 = g_ascii_strtod(f[11], NULL);
				e->mbps = g_ascii_strtod(f[7], NULL) + g_ascii_strtod(f[8], NULL);
			}
		} else {
			e->iops = g_ascii_strtod(f[5], NULL) + g_ascii_strtod(f[6], NULL);
			e->p99 = g_ascii_strtod(f[11], NULL);
			e->mbps = g_ascii_strtod(f[7], NULL) + g_ascii_strtod(f[8], NULL);
			if (c_seeds >= 0)
				e->seeds = atoi(f[c_seeds]);
			/* CI of a sum of read and write IOPS: the larger bound of the two added
			 * is conservative; the rows hold one or the other for most jobs */
			if (c_rci >= 0 && c_wci >= 0)
				e->iops_ci =
				    g_ascii_strtod(f[c_rci], NULL) + g_ascii_strtod(f[c_wci], NULL);
			if (c_pci >= 0)
				e->p99_ci = g_ascii_strtod(f[c_pci], NULL);
		}
	}
	cmp_table_free(t);
	return a;
}

double
cmp_serial_iops(const GArray *all)
{
	double serial = 0;
	for (guint i = 0; all && i < all->len; i++)
		if (!strcmp(g_array_index(all, struct cmp_all, i).policy, "serial"))
			serial = g_array_index(all, struct cmp_all, i).iops;
	return serial;
}

void
cmp_all_free(GArray *a)
{
	if (!a)
		return;
	for (guint i = 0; i < a->len; i++)
		g_free(g_array_index(a, struct cmp_all, i).policy);
	g_array_free(a, TRUE);
}

static void
add_cmd(GString *cmds, const char *name, GString *cmd)
{
	if (cmds)
		g_string_append_printf(cmds, "%s\t%s\n", name, cmd->str);
	g_string_truncate(cmd, 0);
}

static char *
names_of(char **policies)
{
	return g_strjoinv(" ", policies);
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
	    write_text(dat, d, err) && cmp_gnuplot("throughput.gp", dat, out, extra, cmd, err);
	add_cmd(cmds, "throughput", cmd);
	g_string_free(cmd, TRUE);
	g_string_free(d, TRUE);
	g_free(extra);
	g_free(dat);
	g_free(out);
	return ok;
}

static bool
plot_cdf(const char *dir, const char *pdir, char **policies, GString *cmds, GError **err)
{
	GString *d = g_string_new("# latency CDF per policy (first seed), blocks in order: ");
	GPtrArray *names = g_ptr_array_new();
	GString *body = g_string_new(NULL);
	for (char **p = policies; *p; p++) {
		struct cmp_table *t = run_csv(dir, *p, "latency_cdf.csv");
		if (!t)
			continue;
		g_ptr_array_add(names, *p);
		g_string_append_printf(body, "# %s\n", *p);
		for (guint i = 0; i < t->rows->len; i++) {
			char **f = t->rows->pdata[i];
			g_string_append_printf(body, "%s %s\n", f[1], f[0]);
		}
		g_string_append(body, "\n\n");
		cmp_table_free(t);
	}
	g_ptr_array_add(names, NULL);
	bool ok = true;
	if (names->len > 1) {
		char *nm = names_of((char **)names->pdata);
		g_string_append_printf(d, "%s\n%s", nm, body->str);
		char *dat = g_build_filename(pdir, "latency_cdf.dat", NULL);
		char *out = g_build_filename(pdir, "latency_cdf", NULL);
		char *extra = g_strdup_printf("names='%s'", nm);
		GString *cmd = g_string_new(NULL);
		ok = write_text(dat, d, err) &&
		     cmp_gnuplot("latency_cdf.gp", dat, out, extra, cmd, err);
		add_cmd(cmds, "latency_cdf", cmd);
		g_string_free(cmd, TRUE);
		g_free(extra);
		g_free(dat);
		g_free(out);
		g_free(nm);
	}
	g_ptr_array_free(names, TRUE);
	g_string_free(body, TRUE);
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
	int n = 0;
	for (char **p = policies; *p; p++) {
		struct cmp_table *m = run_csv(dir, *p, "request_means.csv");
		char **row = NULL;
		for (guint i = 0; i < sum->rows->len && sum->ncols >= CMP_NCONTRACT; i++) {
			char **f = sum->rows->pdata[i];
			if (!strcmp(f[1], *p) && !strcmp(f[3], "all") && !row)
				row = f; /* the first seed's, as the request means */
		}
		if (m && m->rows->len && row) {
			char **f = m->rows->pdata[0];
			double v[9];
			v[0] = g_ascii_strtod(row[14], NULL);
			v[1] = g_ascii_strtod(row[15], NULL);
			v[2] = g_ascii_strtod(row[16], NULL);
			double lat = g_ascii_strtod(f[1], NULL), rest = lat - v[0] - v[1] - v[2];
			for (int i = 0; i < 5; i++) {
				v[3 + i] = g_ascii_strtod(f[3 + i], NULL);
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
		     cmp_gnuplot("breakdown.gp", dat, out, NULL, cmd, err);
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
		     cmp_gnuplot("locks.gp", dat, out, extra, cmd, err);
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
cmp_plots(const char *dir, char **policies, GString *cmds, GError **err)
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

bool
cmp_heatmap(char **labels, char **dirs, char **policies, const char *out, GString *cmds,
            GError **err)
{
	GString *d = g_string_new("speedup");
	for (char **p = policies; *p; p++)
		g_string_append_printf(d, " %s", *p);
	g_string_append_c(d, '\n');
	int rows = 0;
	for (int i = 0; labels[i]; i++) {
		GArray *all = cmp_read_all(dirs[i], NULL);
		double serial = cmp_serial_iops(all);
		if (all && serial > 0) {
			g_string_append(d, labels[i]);
			for (char **p = policies; *p; p++) {
				double v = NAN;
				for (guint j = 0; j < all->len; j++) {
					struct cmp_all *e = &g_array_index(all, struct cmp_all, j);
					if (!strcmp(e->policy, *p))
						v = e->iops / serial;
				}
				g_string_append_printf(d, isnan(v) ? " NaN" : " %.3f", v);
			}
			g_string_append_c(d, '\n');
			rows++;
		}
		cmp_all_free(all);
	}
	bool ok = true;
	if (rows) {
		char *dat = g_strdup_printf("%s.dat", out);
		GString *cmd = g_string_new(NULL);
		char *extra = g_strdup_printf("nrows=%d; ncols=%u", rows, g_strv_length(policies));
		ok =
		    write_text(dat, d, err) && cmp_gnuplot("heatmap.gp", dat, out, extra, cmd, err);
		add_cmd(cmds, "heatmap", cmd);
		g_string_free(cmd, TRUE);
		g_free(extra);
		g_free(dat);
	}
	g_string_free(d, TRUE);
	return ok;
}

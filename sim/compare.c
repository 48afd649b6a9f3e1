/*
 * compare.c -- replications, combined summaries, the `all` rows and speedups over serial
 * (see compare.h).  The figures are plots.c's.
 *
 * (1) Confidence intervals are over independent seeds (one run each), never over requests
 *     of one run: requests within a run are correlated, seeds are not.
 * (2) The combined summary is a pure function of the set of per-seed rows: rows are sorted
 *     into a canonical order and mean rows recomputed, so how a sweep was split, resumed or
 *     merged never shows in its summary.csv.
 * (3) Correctness counters travel with every figure that shows performance (cmp_all carries
 *     them beside the throughput: the bars' labels, the report's table): a fast policy that
 *     tears reads must not look merely fast.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/locks/policy.h"
#include "sim/columns.h"
#include "sim/compare.h"
#include "sim/csv.h"
#include "sim/output.h"
#include "sim/plots.h"
#include "sim/scenario.h"

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
	char **f = csv_split(line);
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

/* Is column NAME a number column, and may it be empty? */
static bool
numeric_col(const char *name, bool *may_be_empty)
{
	*may_be_empty = !strcmp(name, "seeds") || g_str_has_suffix(name, "_ci95");
	if (*may_be_empty)
		return true;
	int c = col_find(name);
	return c >= 0 && col_at(c)->type != COL_TEXT;
}

bool
cmp_summary_check(const char *text, const char *path, GError **err)
{
	char **lines = g_strsplit(text, "\n", -1);
	bool ok = true;
	char **hdr = lines[0] ? g_strsplit(lines[0], ",", -1) : g_new0(char *, 1);
	int nh = (int)g_strv_length(hdr);
	for (int i = 0; ok && i < col_count(); i++) {
		bool found = false;
		for (int h = 0; h < nh && !found; h++)
			found = !strcmp(hdr[h], col_at(i)->name);
		if (!found) {
			g_set_error(
			    err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s:1: not a vnodesim summary.csv: no column '%s' in the header", path,
			    col_at(i)->name);
			ok = false;
		}
	}
	bool *num = g_new0(bool, (gsize)nh + 1), *empty = g_new0(bool, (gsize)nh + 1);
	for (int h = 0; h < nh; h++)
		num[h] = numeric_col(hdr[h], &empty[h]);
	for (int l = 1; ok && lines[l]; l++) {
		if (!*lines[l])
			continue;
		char **f = g_strsplit(lines[l], ",", -1);
		int nf = (int)g_strv_length(f);
		if (nf != nh) {
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			            "%s:%d: %d fields, the header has %d", path, l + 1, nf, nh);
			ok = false;
		}
		for (int h = 0; ok && h < nh; h++) {
			if (!num[h] || (empty[h] && !*f[h]) ||
			    (!strcmp(hdr[h], "seed") && !strcmp(f[h], "mean")))
				continue;
			char *end = NULL;
			double v = *f[h] ? g_ascii_strtod(f[h], &end) : NAN;
			if (!end || *end || !isfinite(v)) {
				g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				            "%s:%d: column %s: '%.40s' is not a number", path,
				            l + 1, hdr[h], f[h]);
				ok = false;
			}
		}
		g_strfreev(f);
	}
	g_free(num);
	g_free(empty);
	g_strfreev(hdr);
	g_strfreev(lines);
	return ok;
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

int *
cmp_table_summary_cols(const struct cmp_table *t, const char **missing)
{
	int *ix = g_new(int, col_count());
	for (int c = 0; c < col_count(); c++)
		if ((ix[c] = cmp_table_col(t, col_at(c)->name)) < 0) {
			*missing = col_at(c)->name;
			g_free(ix);
			return NULL;
		}
	return ix;
}

bool
cmp_is_varied_col(const char *name)
{
	return col_find(name) < 0 && strcmp(name, "seeds") && !g_str_has_suffix(name, "_ci95");
}

/* ---- combined summaries ---- */

/* The index of the table's column NAME: the fields of a row are the table's columns. */
static int
ix(const char *name)
{
	int i = col_find(name);
	g_assert(i >= 0);
	return i;
}

struct row {
	char **f;         /* the table's columns (columns.h), in its order */
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
	g_string_append_printf(s, "%s\x1f%s\x1f%s", w->f[ix("policy")], w->f[ix("seed")],
	                       w->f[ix("job")]);
	return g_string_free(s, FALSE);
}

bool
cmp_rows_add(struct cmp_rows *r, const char *text, char **keys, char **values, GError **err)
{
	struct cmp_table *t = cmp_table_parse(text);
	const char *missing = NULL;
	int *cols = cmp_table_summary_cols(t, &missing);
	if (!cols) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "not a vnodesim summary.csv (the header differs: no column %s)",
		            missing);
		cmp_table_free(t);
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
	for (guint i = 0; i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		if (!strcmp(f[cols[ix("seed")]], "mean"))
			continue;
		struct row *w = g_new0(struct row, 1);
		w->f = g_new0(char *, col_count() + 1);
		for (int c = 0; c < col_count(); c++)
			w->f[c] = g_strdup(f[cols[c]]);
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
	g_free(cols);
	cmp_table_free(t);
	g_hash_table_unref(seen);
	return true;
}

/* A value as a number: plain (1.5, -3, 1e3), or a size in the scenario loader's syntax
 * (scn_parse_size: 4k = 4096, 4ki = 4000 as in fio); false if neither. */
static bool
value_num(const char *v, double *x)
{
	char *end;
	*x = g_ascii_strtod(v, &end);
	if (*v && end != v && *end == '\0')
		return true;
	uint64_t size;
	if (!scn_parse_size(v, &size))
		return false;
	*x = (double)size;
	return true;
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
	const char *a_pol = a->f[ix("policy")], *b_pol = b->f[ix("policy")];
	int pa = policy_rank(c->order, a_pol), pb = policy_rank(c->order, b_pol);
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return strcmp(a_pol, b_pol);
}

static int
row_cmp(gconstpointer pa, gconstpointer pb, gpointer ctx)
{
	const struct row *a = *(const struct row *const *)pa, *b = *(const struct row *const *)pb;
	int d = group_cmp(ctx, a, b);
	if (d)
		return d;
	unsigned long long sa = g_ascii_strtoull(a->f[ix("seed")], NULL, 10),
	                   sb = g_ascii_strtoull(b->f[ix("seed")], NULL, 10);
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
		g_string_append_printf(k, "%s\x1f%s", w->f[ix("policy")], w->f[ix("job")]);
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
	/* header: the table's columns; with several seeds `seeds` and a _ci95 per measure; the
	 * varied keys */
	const int ncol = col_count();
	int nmeas = 0;
	GString *s = g_string_new(NULL);
	g_string_append_len(s, col_header(), (gssize)strlen(col_header()) - 1);
	if (multi) {
		g_string_append(s, ",seeds");
		for (int c = 0; c < ncol; c++)
			if (!(col_at(c)->flags & COL_KEY))
				g_string_append_printf(s, ",%s_ci95", col_at(c)->name);
	}
	for (int c = 0; c < ncol; c++)
		nmeas += !(col_at(c)->flags & COL_KEY);
	for (char **k = r->keys; *k; k++)
		g_string_append_printf(s, ",%s", *k);
	g_string_append_c(s, '\n');
	for (guint i = 0; i < r->rows->len; i++) {
		struct row *w = r->rows->pdata[i];
		for (int c = 0; c < ncol; c++) {
			if (c)
				g_string_append_c(s, ',');
			csv_field(s, w->f[c]);
		}
		for (int c = 0; multi && c < nmeas + 1; c++)
			g_string_append_c(s, ',');
		for (char **k = r->keys; *k; k++)
			g_string_append_printf(s, ",%s", row_val(w, *k));
		g_string_append_c(s, '\n');
	}
	/* mean rows: keys as the group's (seed `mean`), measures averaged */
	double *x = NULL, *mean = g_new0(double, ncol), *ci = g_new0(double, ncol);
	for (guint i = 0; multi && i < order->len; i++) {
		GPtrArray *g = g_hash_table_lookup(groups, order->pdata[i]);
		if (g->len < 2)
			continue;
		const struct row *w0 = g->pdata[0];
		x = g_renew(double, x, g->len);
		for (int c = 0; c < ncol; c++) {
			if (col_at(c)->flags & COL_KEY)
				continue;
			for (guint j = 0; j < g->len; j++)
				x[j] = g_ascii_strtod(((struct row *)g->pdata[j])->f[c], NULL);
			cmp_mean_ci(x, (int)g->len, &mean[c], &ci[c]);
		}
		for (int c = 0; c < ncol; c++) {
			if (c)
				g_string_append_c(s, ',');
			if (c == ix("seed"))
				g_string_append(s, "mean");
			else if (col_at(c)->flags & COL_KEY)
				csv_field(s, w0->f[c]);
			else
				g_string_append_printf(s, "%.6f", mean[c]);
		}
		g_string_append_printf(s, ",%u", g->len);
		for (int c = 0; c < ncol; c++)
			if (!(col_at(c)->flags & COL_KEY))
				g_string_append_printf(s, ",%.6f", ci[c]);
		for (char **k = r->keys; *k; k++)
			g_string_append_printf(s, ",%s", row_val(w0, *k));
		g_string_append_c(s, '\n');
	}
	g_free(x);
	g_free(mean);
	g_free(ci);
	g_ptr_array_free(order, TRUE);
	g_hash_table_unref(groups);
	return g_string_free(s, FALSE);
}

/* ---- the `all` rows of comparisons ---- */

/* cmp_read_all's columns, found by name. */
enum {
	C_POLICY,
	C_SEED,
	C_JOB,
	C_RIOPS,
	C_WIOPS,
	C_P99,
	C_RMB,
	C_WMB,
	C_TR,
	C_TW,
	C_SR,
	C_LW,
	C_N
};

/* Total IOPS, p99 latency and MB/s of row F (C: the columns). */
static void
all_figures(struct cmp_all *e, char **f, const int *c)
{
	e->iops = g_ascii_strtod(f[c[C_RIOPS]], NULL) + g_ascii_strtod(f[c[C_WIOPS]], NULL);
	e->p99 = g_ascii_strtod(f[c[C_P99]], NULL);
	e->mbps = g_ascii_strtod(f[c[C_RMB]], NULL) + g_ascii_strtod(f[c[C_WMB]], NULL);
}

GArray *
cmp_read_all(const char *dir, GError **err)
{
	static const char *const names[C_N] = {
	    "policy",    "seed",       "job",        "read_iops",   "write_iops",  "lat_p99_us",
	    "read_mbps", "write_mbps", "torn_reads", "torn_writes", "stale_reads", "lost_writes"};
	char *path = g_build_filename(dir, "summary.csv", NULL);
	struct cmp_table *t = cmp_table_read(path, err);
	g_free(path);
	if (!t)
		return NULL;
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct cmp_all));
	int c[C_N];
	bool have = true; /* a file without these columns has no `all` rows to read */
	for (int i = 0; i < C_N; i++)
		have = (c[i] = cmp_table_col(t, names[i])) >= 0 && have;
	int c_seeds = cmp_table_col(t, "seeds");
	int c_rci = cmp_table_col(t, "read_iops_ci95"), c_wci = cmp_table_col(t, "write_iops_ci95");
	int c_pci = cmp_table_col(t, "lat_p99_us_ci95");
	for (guint i = 0; have && i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		if (strcmp(f[c[C_JOB]], "all"))
			continue;
		const char *policy = f[c[C_POLICY]];
		struct cmp_all *e = NULL;
		for (guint j = 0; j < a->len; j++)
			if (!strcmp(g_array_index(a, struct cmp_all, j).policy, policy))
				e = &g_array_index(a, struct cmp_all, j);
		if (!e) {
			struct cmp_all z = {.policy = g_strdup(policy)};
			g_array_append_val(a, z);
			e = &g_array_index(a, struct cmp_all, a->len - 1);
		}
		bool mean = !strcmp(f[c[C_SEED]], "mean");
		if (!mean) {
			/* per-seed rows: counters sum, values are those of the first seed until a
			 * mean row replaces them */
			e->torn_reads += g_ascii_strtod(f[c[C_TR]], NULL);
			e->torn_writes += g_ascii_strtod(f[c[C_TW]], NULL);
			e->stale_reads += g_ascii_strtod(f[c[C_SR]], NULL);
			e->lost_writes += g_ascii_strtod(f[c[C_LW]], NULL);
			if (e->seeds++ == 0)
				all_figures(e, f, c);
		} else {
			all_figures(e, f, c);
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
		ok = out_write_atomic(dat, d->str, d->len, err) &&
		     plot_gnuplot("heatmap.gp", dat, out, extra, cmd, err);
		if (cmds)
			g_string_append_printf(cmds, "heatmap\t%s\n", cmd->str);
		g_string_free(cmd, TRUE);
		g_free(extra);
		g_free(dat);
	}
	g_string_free(d, TRUE);
	return ok;
}

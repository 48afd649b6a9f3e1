/*
 * cmd_diff.c -- `vnodesim diff DIR_A DIR_B`: what changed from one result directory to
 * another, per policy and job (and sweep point): throughput, latency, waits, utilisation and
 * the correctness counters, each as A, B and the change in percent.
 *
 * (1) Rows match on their varied values, policy and job; where a directory has several
 *     seeds its mean row stands for them.
 * (2) Only figures that differ are printed; a row present on one side only says so.
 * (3) The figures are the table's measures (columns.h) in its order, but those flagged
 *     COL_NODIFF; a column may show as the sum with another (iops = read + write).  Both
 *     files' columns are found by name.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/columns.h"
#include "sim/commands.h"
#include "sim/compare.h"

/* One side of the diff: its summary and the index of each of the table's columns in it. */
struct side {
	struct cmp_table *t;
	int *col; /* cmp_table_summary_cols */
};

/* The value a metric shows: column C, plus the column it adds (read + write). */
static double
metric(const struct side *d, char **f, int c)
{
	const struct col *m = col_at(c);
	double v = g_ascii_strtod(f[d->col[c]], NULL);
	if (m->diff_add)
		v += g_ascii_strtod(f[d->col[col_find(m->diff_add)]], NULL);
	return v;
}

/* Key of a row for matching: varied values, policy, job; mean rows win over seeds. */
static GHashTable *
diff_rows(const struct side *d, GPtrArray *order)
{
	const struct cmp_table *t = d->t;
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		GString *k = g_string_new(NULL);
		for (int c = 0; c < t->ncols; c++)
			if (cmp_is_varied_col(t->cols[c]))
				g_string_append_printf(k, "%s=%s ", t->cols[c], f[c]);
		g_string_append_printf(k, "%s %s", f[d->col[col_find("policy")]],
		                       f[d->col[col_find("job")]]);
		char **old = g_hash_table_lookup(h, k->str);
		if (!old) {
			if (order)
				g_ptr_array_add(order, g_strdup(k->str));
			g_hash_table_insert(h, g_string_free(k, FALSE), f);
		} else {
			if (!strcmp(f[d->col[col_find("seed")]], "mean"))
				g_hash_table_insert(h, g_strdup(k->str), f);
			g_string_free(k, TRUE);
		}
	}
	return h;
}

/* Print to F what changed from DIR_A to DIR_B.  Returns 0, or 2 with a message on stderr
 * when a directory has no summary.csv. */
static int
diff_dirs(const char *dir_a, const char *dir_b, FILE *f)
{
	struct side sd[2] = {{NULL, NULL}, {NULL, NULL}};
	const char *dirs[2] = {dir_a, dir_b};
	for (int i = 0; i < 2; i++) {
		GError *err = NULL;
		const char *missing = NULL;
		char *p = g_build_filename(dirs[i], "summary.csv", NULL), *text = NULL;
		/* checked whole first: header, field counts, numbers (cmp_summary_check) */
		if (g_file_get_contents(p, &text, NULL, &err) && cmp_summary_check(text, p, &err))
			sd[i].t = cmp_table_parse(text);
		g_free(text);
		g_free(p);
		if (sd[i].t && !(sd[i].col = cmp_table_summary_cols(sd[i].t, &missing))) {
			g_set_error(&err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			            "%s/summary.csv: not a vnodesim summary (no column %s)",
			            dirs[i], missing);
			cmp_table_free(sd[i].t);
			sd[i].t = NULL;
		}
		if (!sd[i].t) {
			fprintf(stderr, "vnodesim: diff: %s\n", err->message);
			g_error_free(err);
			cmp_table_free(sd[0].t);
			g_free(sd[0].col);
			return 2;
		}
	}
	GPtrArray *order = g_ptr_array_new_with_free_func(g_free);
	GHashTable *a = diff_rows(&sd[0], order), *b = diff_rows(&sd[1], order);
	fprintf(f, "diff %s -> %s (mean rows where there are several seeds)\n", dir_a, dir_b);
	fprintf(f, "%-34s %-18s %14s %14s %10s\n", "policy job", "metric", "A", "B", "change");
	GHashTable *done = g_hash_table_new(g_str_hash, g_str_equal);
	int changed = 0, same = 0;
	for (guint i = 0; i < order->len; i++) {
		const char *k = order->pdata[i];
		if (g_hash_table_contains(done, k))
			continue;
		g_hash_table_add(done, (gpointer)k);
		char **ra = g_hash_table_lookup(a, k), **rb = g_hash_table_lookup(b, k);
		if (!ra || !rb) {
			fprintf(f, "%-34s only in %s\n", k, ra ? "A" : "B");
			changed++;
			continue;
		}
		bool any = false;
		for (int m = 0; m < col_count(); m++) {
			const struct col *c = col_at(m);
			if (c->flags & (COL_KEY | COL_NODIFF))
				continue;
			double va = metric(&sd[0], ra, m), vb = metric(&sd[1], rb, m);
			if (va == vb)
				continue;
			char pct[32];
			if (va != 0)
				snprintf(pct, sizeof pct, "%+.1f%%", 100 * (vb - va) / fabs(va));
			else
				snprintf(pct, sizeof pct, "new");
			fprintf(f, "%-34s %-18s %14.3f %14.3f %10s\n", any ? "" : k,
			        c->diff_label ? c->diff_label : c->name, va, vb, pct);
			any = true;
		}
		if (any)
			changed++;
		else
			same++;
	}
	fprintf(f, "%d row%s changed, %d unchanged\n", changed, changed == 1 ? "" : "s", same);
	g_hash_table_unref(done);
	g_hash_table_unref(a);
	g_hash_table_unref(b);
	g_ptr_array_free(order, TRUE);
	for (int i = 0; i < 2; i++) {
		cmp_table_free(sd[i].t);
		g_free(sd[i].col);
	}
	return 0;
}

int
cmd_diff(int argc, char **argv)
{
	GOptionEntry entries[] = {{NULL}};
	if (!cli_parse_opts("diff", "DIR_A DIR_B",
	                    "What changed from DIR_A to DIR_B, per policy and job: throughput, "
	                    "latency, waits, correctness counters, in percent.",
	                    entries, &argc, &argv))
		return CLI_EXIT_BAD;
	if (argc != 3)
		return cli_bad("diff: expected DIR_A DIR_B");
	return diff_dirs(argv[1], argv[2], stdout);
}

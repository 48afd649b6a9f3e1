/*
 * cmd_diff.c -- `vnodesim diff DIR_A DIR_B`: what changed from one result directory to
 * another, per policy and job (and sweep point): throughput, latency, waits, utilisation and
 * the correctness counters, each as A, B and the change in percent.
 *
 * (1) Rows match on their varied values, policy and job; where a directory has several
 *     seeds its mean row stands for them.
 * (2) Only figures that differ are printed; a row present on one side only says so.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/compare.h"

static const struct {
	const char *label;
	int col, col2; /* shown value: col (+ col2 when >= 0) */
} diff_metrics[] = {
    {"iops", 5, 6},
    {"MB/s", 7, 8},
    {"lat_mean_us", 9, -1},
    {"lat_p99_us", 11, -1},
    {"lat_p999_us", 12, -1},
    {"vnode_wait_us", 14, -1},
    {"getpages_wait_us", 15, -1},
    {"range_wait_us", 16, -1},
    {"disk_util", 17, -1},
    {"torn_reads", 19, -1},
    {"torn_writes", 20, -1},
    {"stale_reads", 21, -1},
    {"lost_writes", 22, -1},
};

/* Key of a row for matching: varied values, policy, job; mean rows win over seeds. */
static GHashTable *
diff_rows(const struct cmp_table *t, GPtrArray *order)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		GString *k = g_string_new(NULL);
		for (int c = CMP_NCONTRACT; c < t->ncols; c++)
			if (strcmp(t->cols[c], "seeds") && !g_str_has_suffix(t->cols[c], "_ci95"))
				g_string_append_printf(k, "%s=%s ", t->cols[c], f[c]);
		g_string_append_printf(k, "%s %s", f[1], f[3]);
		char **old = g_hash_table_lookup(h, k->str);
		if (!old) {
			if (order)
				g_ptr_array_add(order, g_strdup(k->str));
			g_hash_table_insert(h, g_string_free(k, FALSE), f);
		} else {
			if (!strcmp(f[2], "mean"))
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
	struct cmp_table *t[2] = {NULL, NULL};
	const char *dirs[2] = {dir_a, dir_b};
	for (int i = 0; i < 2; i++) {
		GError *err = NULL;
		char *p = g_build_filename(dirs[i], "summary.csv", NULL);
		t[i] = cmp_table_read(p, &err);
		g_free(p);
		if (t[i] && t[i]->ncols < CMP_NCONTRACT) {
			g_set_error(&err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			            "%s/summary.csv: not a vnodesim summary", dirs[i]);
			cmp_table_free(t[i]);
			t[i] = NULL;
		}
		if (!t[i]) {
			fprintf(stderr, "vnodesim: diff: %s\n", err->message);
			g_error_free(err);
			cmp_table_free(t[0]);
			return 2;
		}
	}
	GPtrArray *order = g_ptr_array_new_with_free_func(g_free);
	GHashTable *a = diff_rows(t[0], order), *b = diff_rows(t[1], order);
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
		for (size_t m = 0; m < G_N_ELEMENTS(diff_metrics); m++) {
			double va = g_ascii_strtod(ra[diff_metrics[m].col], NULL);
			double vb = g_ascii_strtod(rb[diff_metrics[m].col], NULL);
			if (diff_metrics[m].col2 >= 0) {
				va += g_ascii_strtod(ra[diff_metrics[m].col2], NULL);
				vb += g_ascii_strtod(rb[diff_metrics[m].col2], NULL);
			}
			if (va == vb)
				continue;
			char pct[32];
			if (va != 0)
				snprintf(pct, sizeof pct, "%+.1f%%", 100 * (vb - va) / fabs(va));
			else
				snprintf(pct, sizeof pct, "new");
			fprintf(f, "%-34s %-18s %14.3f %14.3f %10s\n", any ? "" : k,
			        diff_metrics[m].label, va, vb, pct);
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
	cmp_table_free(t[0]);
	cmp_table_free(t[1]);
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

/*
 * compare.h -- turning runs into answers: replications with 95% Student-t confidence
 * intervals, the combined summary.csv of many runs (compare, sweep, merge), the `all` rows
 * of a comparison and speedups over serial.  The figures are plots.h's.
 *
 * summary.csv beyond the table's columns (columns.h: DESIGN.md §8's, then any added), in
 * this order:
 *   - with several seeds: `seeds` and `<column>_ci95` for every measure column (ops ...
 *     events and any added), the half-width of the 95% Student-t confidence interval of the
 *     mean.  They are filled on the mean rows (seed = `mean`, one per policy and job, after
 *     every per-seed row, their measures holding the means) and empty on per-seed rows;
 *   - for a sweep: one column per varied key, named SECTION.KEY, holding the point's value.
 * Rows are in a canonical order (varied values, policy, seed, job as in the scenario), so
 * a sweep merged from parts equals the sweep run at once, byte for byte.  Every reader here
 * finds a column by its name.
 */
#ifndef VN_COMPARE_H
#define VN_COMPARE_H

#include <glib.h>
#include <stdbool.h>

/* The 0.975 quantile of Student's t with DF degrees of freedom (DF >= 1). */
double cmp_t975(int df);
/* Mean of X[0..N) and the half-width of its 95% confidence interval (0 when N < 2). */
void cmp_mean_ci(const double *x, int n, double *mean, double *ci95);

/* A CSV file as text fields (no quoting: vnodesim never writes commas inside a field). */
struct cmp_table {
	char **cols; /* header, NULL-terminated */
	int ncols;
	GPtrArray *rows; /* char ** each, ncols fields (missing ones are "") */
};
struct cmp_table *cmp_table_parse(const char *text);
/* NULL + *err when PATH cannot be read. */
struct cmp_table *cmp_table_read(const char *path, GError **err);
int cmp_table_col(const struct cmp_table *t, const char *name); /* -1 when absent */
/* Is TEXT (read from PATH) a summary.csv vnodesim wrote: a header holding every column of the
 * table (columns.h), every row as many fields as the header, every number column (the
 * table's counts and reals, `seeds`, `*_ci95`) a finite number (or `mean` in `seed`, empty in
 * `seeds`/`*_ci95`)?  false + *err "PATH:LINE: ..." naming the column otherwise. */
bool cmp_summary_check(const char *text, const char *path, GError **err);
void cmp_table_free(struct cmp_table *t);
/* The indexes in T of the table's columns (columns.h), col_count() of them, or NULL when T
 * lacks one (*MISSING names it).  g_free it. */
int *cmp_table_summary_cols(const struct cmp_table *t, const char **missing);
/* Is column NAME of a summary.csv a varied key of a sweep (SECTION.KEY): neither the
 * table's, nor `seeds`, nor a `_ci95`? */
bool cmp_is_varied_col(const char *name);

/* One run's per-seed summary rows, tagged with the varied values of its sweep point. */
struct cmp_rows {
	char **keys;     /* varied keys (may be empty), NULL-terminated */
	GPtrArray *rows; /* per-seed rows: the table's columns (columns.h), varied values */
};
struct cmp_rows *cmp_rows_new(void);
/* Add the rows of summary.csv text TEXT (the table's columns, by name) with VALUES for KEYS
 * (NULL-terminated, same length).  Mean rows (seed "mean") are skipped: they are recomputed.
 * A row already present (same values, policy, seed, job) is kept once.  false + *err if
 * TEXT is not a summary.csv. */
bool cmp_rows_add(struct cmp_rows *r, const char *text, char **keys, char **values, GError **err);
void cmp_rows_free(struct cmp_rows *r);
/* The combined summary.csv text (canonical order; CI columns when some group has several
 * seeds).  POLICY_ORDER ranks policies (NULL: the order of `vnodesim policies`). */
char *cmp_rows_summary(struct cmp_rows *r, char **policy_order);

/* A heat map of speedup over serial: ROWS (labels) x POLICIES, from the `all` rows of each
 * directory's summary.csv (DIRS, one per row).  Writes OUT.dat, OUT.png, OUT.svg (drawn by
 * plot_gnuplot; CMDS as plot_compare's).  false + *err on failure. */
bool cmp_heatmap(char **labels, char **dirs, char **policies, const char *out, GString *cmds,
                 GError **err);

/* Read a summary's `all` rows: policy -> total IOPS mean, its CI (0 if one seed), and more. */
struct cmp_all {
	char *policy;
	double iops, iops_ci, p99, p99_ci, mbps;
	double torn_reads, torn_writes, stale_reads, lost_writes; /* summed over seeds */
	int seeds;
};
/* The `all` rows of DIR/summary.csv, one per policy, in file order; NULL + *err. */
GArray *cmp_read_all(const char *dir, GError **err);
/* The baseline of every speedup: the total IOPS of `serial` (the lock NetBSD takes today) in
 * ALL (cmp_read_all's), or 0 when ALL has no serial row or it did nothing. */
double cmp_serial_iops(const GArray *all);
void cmp_all_free(GArray *a);

#endif

/*
 * columns.h -- summary.csv's columns, defined once: each a row of one table (name, type and
 * format, getter, unit, description, and how the readers treat it).  The table makes
 * summary.csv's header and rows (output.c), the figures result.json repeats, the combined
 * summaries' means and confidence intervals (compare.c), what `vnodesim diff` compares, and
 * the manual's column list (`vnodesim columns --markdown`); every reader finds a column by
 * its name, never by its position.
 *
 * (1) The table begins with DESIGN.md §8's 25 contract columns, in the contract's order
 *     (tests/test_columns.c holds the contract's own list and checks it); a new column is one
 *     more row after them, and readers of older files find it missing by name.
 * (2) Key columns (scenario, policy, seed, job) identify a row; every other column is a
 *     measure: a number that is averaged over seeds and gets a `<name>_ci95` column in the
 *     combined summaries.
 * (3) A value is printed with the C locale's snprintf: COL_TEXT as is, COL_COUNT as an
 *     unsigned integer, COL_REAL with `prec` digits after the point: equal runs, equal bytes.
 */
#ifndef VN_COLUMNS_H
#define VN_COLUMNS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/stats.h"

/* What a getter sees: one row of summary.csv (one job, or `all`, of one run). */
struct col_row {
	const char *scenario, *policy, *job;
	unsigned long long seed;
	const struct st_job *st; /* its latencies sorted (st_job_sort) */
	double disk_util;        /* the run's, a fraction */
	/* derived by col_row_init */
	double span;  /* first issue to last completion of the measured requests; 0 if none */
	uint64_t ops; /* measured requests */
};

enum col_type {
	COL_TEXT,  /* get.text */
	COL_COUNT, /* get.count, printed as %llu */
	COL_REAL,  /* get.real, printed as %.<prec>f */
};

enum col_flags {
	COL_KEY = 1 << 0,        /* identifies the row: no mean, no _ci95, not compared by diff */
	COL_NODIFF = 1 << 1,     /* a measure `vnodesim diff` does not show */
	COL_JSON_CHECK = 1 << 2, /* result.json repeats it (`all` row) in vnodesim.correctness */
	COL_JSON_TOP = 1 << 3,   /* result.json repeats it (`all` row) in the vnodesim object */
};

struct col {
	const char *name;
	enum col_type type;
	int prec; /* COL_REAL: digits after the point */
	union {
		const char *(*text)(const struct col_row *);
		uint64_t (*count)(const struct col_row *);
		double (*real)(const struct col_row *);
	} get;
	const char *unit; /* "" for a key */
	const char *desc; /* one sentence for the manual */
	unsigned flags;   /* enum col_flags */
	/* vnodesim diff: the label it shows (NULL: the name) and a column whose value it adds
	 * (read + write); a column added so is flagged COL_NODIFF itself */
	const char *diff_label, *diff_add;
};

/* Number of columns, the I-th (0 <= I < col_count()), the index of NAME or -1. */
int col_count(void);
const struct col *col_at(int i);
int col_find(const char *name);
/* The number of columns DESIGN.md §8 fixes: the first col_ncontract() of the table. */
int col_ncontract(void);

/* summary.csv's header line: the names joined by commas, "\n"-terminated. */
const char *col_header(void);

/* Fill ROW's fields and derive the rest. */
void col_row_init(struct col_row *row, const char *scenario, const char *policy,
                  unsigned long long seed, const char *job, const struct st_job *st,
                  double disk_util);
/* Append C's value for ROW to S, formatted (note 3). */
void col_append(GString *s, const struct col *c, const struct col_row *row);

/* Add C after the table's columns (a test's or an extension's column): call before any
 * output is made.  C must outlive the process and name no existing column; its getter must
 * match its type.  (Asserted.) */
void col_register(const struct col *c);

#endif

/*
 * test_columns.c -- summary.csv's column table (sim/columns.h): the contract's columns first
 * and in order, the manual's list generated from the table, and a column added as one row of
 * the table flowing through run, result.json, compare, merge and diff.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/columns.h"
#include "sim/commands.h"
#include "sim/compare.h"
#include "tests/testutil.h"

/* DESIGN.md §8, copied from the contract itself (not from the table). */
static const char contract[] =
    "scenario,policy,seed,job,ops,read_iops,write_iops,read_mbps,write_mbps,lat_mean_us,"
    "lat_p50_us,lat_p99_us,lat_p999_us,lat_max_us,vnode_wait_us,getpages_wait_us,"
    "range_wait_us,disk_util,cache_hit_ratio,torn_reads,torn_writes,stale_reads,lost_writes,"
    "sim_seconds,events\n";

START_TEST(test_contract_first)
{
	ck_assert_str_eq(col_header(), contract);
	ck_assert_int_eq(col_ncontract(), 25);
	ck_assert_int_eq(col_count(), 25);
	for (int i = 0; i < col_count(); i++) {
		const struct col *c = col_at(i);
		ck_assert_int_eq(col_find(c->name), i);
		ck_assert_msg(c->desc && *c->desc && c->unit, "%s: no description", c->name);
		/* the four keys first (the combined summaries rely on nothing else) */
		ck_assert_msg(!(c->flags & COL_KEY) == (i >= 4), "%s: key flag", c->name);
		if (c->diff_add)
			ck_assert_msg(col_find(c->diff_add) >= 0 &&
			                  (col_at(col_find(c->diff_add))->flags & COL_NODIFF),
			              "%s: diff adds %s, which must exist and not show itself",
			              c->name, c->diff_add);
	}
	ck_assert_int_eq(col_find("no_such_column"), -1);
}
END_TEST

/* The text between the markers of the manual's column list, or NULL. */
static char *
docs_list(const char **where)
{
	static const char begin[] = "<!-- columns: vnodesim columns --markdown -->\n";
	static const char end[] = "<!-- end columns -->";
	static const char *const files[] = {"docs/outputs.md", "README.md"};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		char *text = NULL;
		if (!g_file_get_contents(files[i], &text, NULL, NULL))
			continue;
		char *a = strstr(text, begin), *b = a ? strstr(a, end) : NULL;
		if (a && b) {
			*where = files[i];
			char *list = g_strndup(a + strlen(begin), (gsize)(b - a - strlen(begin)));
			g_free(text);
			return list;
		}
		g_free(text);
	}
	return NULL;
}

START_TEST(test_docs_list)
{
	/* the manual's column list is `vnodesim columns --markdown`, byte for byte: regenerate
	 * it with that command when the table changes */
	const char *where = NULL;
	char *list = docs_list(&where), *out;
	ck_assert_msg(list, "no column list between the markers in docs/outputs.md or README.md");
	ck_assert_int_eq(tu_sh(&out, "%s columns --markdown", tu_prog()), 0);
	if (strcmp(list, out) != 0) {
		char **a = g_strsplit(list, "\n", -1), **b = g_strsplit(out, "\n", -1);
		int i = 0;
		while (a[i] && b[i] && !strcmp(a[i], b[i]))
			i++;
		ck_abort_msg("%s's column list differs from `vnodesim columns --markdown` at its "
		             "line %d:\n%.300s\nthe program says:\n%.300s",
		             where, i + 1, a[i] ? a[i] : "(end)", b[i] ? b[i] : "(end)");
	}
	g_free(out);
	g_free(list);
	/* the plain listing names every column */
	ck_assert_int_eq(tu_sh(&out, "%s columns", tu_prog()), 0);
	for (int i = 0; i < col_count(); i++)
		ck_assert_msg(strstr(out, col_at(i)->name), "columns: no %s", col_at(i)->name);
	g_free(out);
}
END_TEST

/* ---- a column added as one row ---- */

/* KiB read by the row's requests: bytes / 1024, so that read_mbps = kib * 1024 / span / 1e6. */
static uint64_t
get_test_read_kib(const struct col_row *r)
{
	return r->st->bytes[IO_READ] / 1024;
}

static const struct col test_col = {.name = "test_read_kib",
                                    .type = COL_COUNT,
                                    .get.count = get_test_read_kib,
                                    .unit = "KiB",
                                    .desc = "a test's column: KiB read",
                                    .flags = COL_JSON_TOP};

static const char tiny[] = "[global]\nfilename=f\nsize=1m\nbs=4k\nioengine=psync\n"
                           "number_ios=200\n"
                           "[writers]\nrw=randwrite\n[readers]\nrw=randread\nnumjobs=2\n";

/* Run command ARGV (NULL-terminated) in this process, its stdout into *OUT if not NULL;
 * returns its exit status. */
static int
run_cmd(int (*cmd)(int, char **), char **out, char **argv)
{
	char *path = g_build_filename(tu_tmpdir(), "stdout.txt", NULL);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	FILE *f = fopen(path, "w");
	ck_assert(saved >= 0 && f);
	dup2(fileno(f), STDOUT_FILENO);
	char **v = g_strdupv(argv); /* GOption rearranges its argv */
	int st = cmd((int)g_strv_length(v), v);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	fclose(f);
	g_strfreev(v);
	if (out)
		ck_assert(g_file_get_contents(path, out, NULL, NULL));
	g_unlink(path);
	g_free(path);
	return st;
}

static struct cmp_table *
summary(const char *dir)
{
	char *p = g_build_filename(dir, "summary.csv", NULL);
	struct cmp_table *t = cmp_table_read(p, NULL);
	ck_assert_msg(t, "no %s", p);
	g_free(p);
	return t;
}

/* Column NAME of T's row for POLICY, SEED and JOB (must exist). */
static const char *
field(const struct cmp_table *t, const char *policy, const char *seed, const char *job,
      const char *name)
{
	int cp = cmp_table_col(t, "policy"), cs = cmp_table_col(t, "seed");
	int cj = cmp_table_col(t, "job"), c = cmp_table_col(t, name);
	ck_assert_msg(cp >= 0 && cs >= 0 && cj >= 0 && c >= 0, "no column %s", name);
	for (guint i = 0; i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		if (!strcmp(f[cp], policy) && !strcmp(f[cs], seed) && !strcmp(f[cj], job))
			return f[c];
	}
	ck_abort_msg("no row %s %s %s", policy, seed, job);
	return NULL;
}

START_TEST(test_added_column)
{
	col_register(&test_col);
	ck_assert(g_str_has_suffix(col_header(), ",events,test_read_kib\n"));
	const char *sc = tu_write("tiny.ini", tiny);
	char *run = g_build_filename(tu_tmpdir(), "run", NULL);
	char *run2 = g_build_filename(tu_tmpdir(), "run2", NULL);
	char *cmp = g_build_filename(tu_tmpdir(), "cmp", NULL);
	char *mrg = g_build_filename(tu_tmpdir(), "merged", NULL);

	/* run: the column in summary.csv, after the contract's, with the value its getter
	 * gives, checked against read_mbps (an independent figure of the same bytes) */
	char *a_run[] = {"run", (char *)sc, "--policy", "serial,none", "--out", run, "-q", NULL};
	ck_assert_int_eq(run_cmd(cmd_run, NULL, a_run), 0);
	struct cmp_table *t = summary(run);
	ck_assert_int_eq(cmp_table_col(t, "test_read_kib"), 25);
	double kib = g_ascii_strtod(field(t, "serial", "1", "readers", "test_read_kib"), NULL);
	double mbps = g_ascii_strtod(field(t, "serial", "1", "readers", "read_mbps"), NULL);
	double span = g_ascii_strtod(field(t, "serial", "1", "readers", "sim_seconds"), NULL);
	ck_assert_msg(kib == 2 * 200 * 4, "readers read %g KiB, 2 clones x 200 x 4 KiB", kib);
	ck_assert_msg(fabs(kib * 1024 / span / 1e6 - mbps) < 1e-5 * mbps + 1e-6,
	              "%g KiB over %g s is not %g MB/s", kib, span, mbps);
	ck_assert_str_eq(field(t, "none", "1", "writers", "test_read_kib"), "0");
	/* result.json repeats it (COL_JSON_TOP): the `all` row's value */
	char *jp = g_build_filename(run, "serial", "result.json", NULL), *json = NULL;
	ck_assert(g_file_get_contents(jp, &json, NULL, NULL));
	char *member = g_strdup_printf("\"test_read_kib\" : %s,",
	                               field(t, "serial", "1", "all", "test_read_kib"));
	ck_assert_msg(strstr(json, member), "result.json has no %s", member);
	g_free(member);
	g_free(json);
	g_free(jp);
	cmp_table_free(t);

	/* compare with two seeds: the column, its mean and its confidence interval */
	char *a_cmp[] = {"compare", (char *)sc, "--policies", "serial,none", "--seeds", "2",
	                 "--jobs",  "2",        "--out",      cmp,           "-q",      NULL};
	ck_assert_int_eq(run_cmd(cmd_compare, NULL, a_cmp), 0);
	t = summary(cmp);
	ck_assert(cmp_table_col(t, "test_read_kib") == 25 &&
	          cmp_table_col(t, "test_read_kib_ci95") > 25);
	ck_assert_str_eq(field(t, "serial", "2", "readers", "test_read_kib"), "1600");
	ck_assert_str_eq(field(t, "serial", "mean", "readers", "test_read_kib"), "1600.000000");
	ck_assert_str_eq(field(t, "serial", "mean", "readers", "test_read_kib_ci95"), "0.000000");
	ck_assert_str_eq(field(t, "serial", "1", "readers", "test_read_kib_ci95"), "");
	cmp_table_free(t);

	/* merge of the run and the comparison: the column kept */
	char *a_mrg[] = {"merge", run, cmp, "--out", mrg, "-q", NULL};
	ck_assert_int_eq(run_cmd(cmd_merge, NULL, a_mrg), 0);
	t = summary(mrg);
	ck_assert_str_eq(field(t, "none", "2", "readers", "test_read_kib"), "1600");
	ck_assert_str_eq(field(t, "serial", "1", "all", "test_read_kib"), "1600");
	cmp_table_free(t);

	/* diff: with 8 KiB reads each reader clone reads the 1 MiB file once (128 reads: fio
	 * stops at `size` before number_ios), 2 x 1024 KiB; diff shows the column changed */
	char *a_run2[] = {"run", (char *)sc, "--policy",      "serial", "--out",
	                  run2,  "--set",    "readers.bs=8k", "-q",     NULL};
	ck_assert_int_eq(run_cmd(cmd_run, NULL, a_run2), 0);
	char *out = NULL;
	char *a_diff[] = {"diff", run, run2, NULL};
	ck_assert_int_eq(run_cmd(cmd_diff, &out, a_diff), 0);
	ck_assert_msg(strstr(out, "test_read_kib            1600.000       2048.000"), "diff: %s",
	              out);
	g_free(out);
	g_free(run);
	g_free(run2);
	g_free(cmp);
	g_free(mrg);
}
END_TEST

Suite *
suite_columns(void)
{
	Suite *s = suite_create("columns");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_contract_first);
	tcase_add_test(tc, test_docs_list);
	tcase_add_test(tc, test_added_column);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

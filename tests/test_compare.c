/*
 * test_compare.c -- replications and figures: Student-t intervals, the canonical combined
 * summary, `vnodesim compare` with several seeds (CI columns, mean rows, reuse), every
 * gnuplot script producing a non-empty PNG from generated results, `vnodesim diff`, and the
 * commands' usage errors.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/compare.h"
#include "sim/output.h"
#include "sim/stats.h"
#include "models/cdfdist.h"
#include "tests/testutil.h"

/* Two direct writers and two buffered readers on one small file: every policy differs. */
static const char tiny[] = "; tiny: direct writers and buffered readers on one 1 MiB file\n"
                           "[global]\nfilename=shared\nsize=1m\nbs=16k\nioengine=psync\n"
                           "number_ios=60\n"
                           "[writers]\nrw=randwrite\ndirect=1\nnumjobs=2\n"
                           "[readers]\nrw=randread\nnumjobs=2\n";

static char *
slurp(const char *dir, const char *file)
{
	char *p = g_build_filename(dir, file, NULL), *text = NULL;
	g_file_get_contents(p, &text, NULL, NULL);
	g_free(p);
	return text;
}

/* A PNG file that is not empty (signature and some bytes). */
static void
assert_png(const char *path)
{
	char *data = NULL;
	gsize len = 0;
	ck_assert_msg(g_file_get_contents(path, &data, &len, NULL), "no %s", path);
	ck_assert_msg(len > 1000 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8), "%s: not a PNG (%zu B)",
	              path, (size_t)len);
	g_free(data);
}

static int
qcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* cdf_sort (a radix sort on the bits) must give exactly qsort's array: latencies with many
 * zeros and duplicates, subnormals, huge values, every size around the small-array cutoff;
 * a negative value takes the fallback and still sorts. */
START_TEST(test_sort_matches_qsort)
{
	GRand *r = g_rand_new_with_seed(42);
	static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 100000};
	for (size_t si = 0; si < G_N_ELEMENTS(sizes); si++) {
		for (int kind = 0; kind < 4; kind++) {
			size_t n = sizes[si];
			double *a = g_new(double, n + 1), *b = g_new(double, n + 1);
			for (size_t i = 0; i < n; i++) {
				double u = g_rand_double(r);
				switch (kind) {
				case 0: /* latencies: exponential, a third exactly zero */
					a[i] = u < 0.33 ? 0 : -log(u) * 75e-6;
					break;
				case 1: /* few distinct values */
					a[i] = (double)g_rand_int_range(r, 0, 5) * 1e-6;
					break;
				case 2: /* the whole range: subnormals to huge */
					a[i] = ldexp(u, g_rand_int_range(r, -1070, 1000));
					break;
				default: /* one negative: the fallback */
					a[i] = i == n / 2 ? -1.0 : u;
				}
			}
			memcpy(b, a, n * sizeof *a);
			cdf_sort(a, n);
			qsort(b, n, sizeof *b, qcmp);
			ck_assert_msg(n == 0 || memcmp(a, b, n * sizeof *a) == 0,
			              "n=%zu kind=%d: differs from qsort", n, kind);
			for (size_t i = 1; i < n; i++)
				ck_assert(a[i - 1] <= a[i]);
			g_free(a);
			g_free(b);
		}
	}
	g_rand_free(r);
}
END_TEST

START_TEST(test_student_t)
{
	ck_assert(fabs(cmp_t975(1) - 12.706) < 1e-9);
	ck_assert(fabs(cmp_t975(10) - 2.228) < 1e-9);
	ck_assert(fabs(cmp_t975(30) - 2.042) < 1e-9);
	ck_assert(cmp_t975(50) < 2.021 && cmp_t975(50) > 2.000);
	ck_assert(fabs(cmp_t975(100000) - 1.960) < 1e-3);
	double x[] = {1, 2, 3}, m, ci;
	cmp_mean_ci(x, 3, &m, &ci);
	ck_assert(fabs(m - 2) < 1e-12);
	ck_assert(fabs(ci - 4.303 / sqrt(3)) < 1e-9); /* sd 1 */
	cmp_mean_ci(x, 1, &m, &ci);
	ck_assert(m == 1 && ci == 0);
}
END_TEST

/* A summary.csv text with one row per (policy, seed) for job "all". */
static char *
fake_summary(const char *const *pol, const int *seed, const double *ops, int n)
{
	GString *s = g_string_new(out_summary_header);
	for (int i = 0; i < n; i++)
		g_string_append_printf(s,
		                       "x,%s,%d,all,%.0f,%.3f,0,0,0,1,1,1,1,1,0,0,0,0.5,0,%d,0,0,0,"
		                       "1.0,10\n",
		                       pol[i], seed[i], ops[i], ops[i], i == 0);
	return g_string_free(s, FALSE);
}

START_TEST(test_rows_canonical)
{
	/* the same rows added in two orders and split differently give the same text */
	const char *pa[] = {"none", "serial"}, *pb[] = {"serial", "none"};
	int sa[] = {2, 1}, sb[] = {2, 1};
	double oa[] = {30, 10}, ob[] = {20, 40};
	char *ta = fake_summary(pa, sa, oa, 2), *tb = fake_summary(pb, sb, ob, 2);
	char *keys[] = {"fs.cache_mb", NULL}, *v64[] = {"64", NULL}, *v8[] = {"8", NULL};
	struct cmp_rows *r1 = cmp_rows_new(), *r2 = cmp_rows_new();
	GError *err = NULL;
	ck_assert(cmp_rows_add(r1, ta, keys, v64, &err));
	ck_assert(cmp_rows_add(r1, tb, keys, v8, &err));
	ck_assert(cmp_rows_add(r2, tb, keys, v8, &err));
	ck_assert(cmp_rows_add(r2, ta, keys, v64, &err));
	ck_assert(cmp_rows_add(r2, ta, keys, v64, &err)); /* duplicates kept once */
	char *s1 = cmp_rows_summary(r1, NULL), *s2 = cmp_rows_summary(r2, NULL);
	ck_assert_str_eq(s1, s2);
	/* one seed per group: no CI columns; 8 before 64 (numbers), serial before none */
	ck_assert(!strstr(s1, "_ci95"));
	ck_assert(g_str_has_suffix(strstr(s1, "events"), "events,fs.cache_mb\n") ||
	          strstr(s1, "events,fs.cache_mb\n"));
	const char *a = strstr(s1, "x,serial,2,all,20"), *b = strstr(s1, "x,none,1,all,40");
	const char *c = strstr(s1, "x,serial,1,all,10");
	ck_assert_msg(a && b && c && a < b && b < c, "%s", s1);
	g_free(s1);
	g_free(s2);
	/* several seeds of one group: a mean row with the interval */
	const char *pc[] = {"serial", "serial", "serial"};
	int sc[] = {1, 2, 3};
	double oc[] = {10, 20, 30};
	char *tc = fake_summary(pc, sc, oc, 3);
	struct cmp_rows *r3 = cmp_rows_new();
	ck_assert(cmp_rows_add(r3, tc, NULL, NULL, &err));
	char *s3 = cmp_rows_summary(r3, NULL);
	ck_assert_msg(strstr(s3, ",seeds,ops_ci95,read_iops_ci95,"), "%s", s3);
	char *mean = strstr(s3, "x,serial,mean,all,20.000000,20.000000,");
	ck_assert_msg(mean, "%s", s3);
	char ci[32];
	snprintf(ci, sizeof ci, ",3,%.6f,", 4.303 * 10 / sqrt(3));
	ck_assert_msg(strstr(mean, ci), "no %s in %s", ci, mean);
	ck_assert(!cmp_rows_add(r3, "not,a,summary\n", NULL, NULL, &err));
	g_clear_error(&err);
	g_free(s3);
	cmp_rows_free(r1);
	cmp_rows_free(r2);
	cmp_rows_free(r3);
	g_free(ta);
	g_free(tb);
	g_free(tc);
}
END_TEST

/* sizes sort by the scenario loader's parser (scn_parse_size): 4ki is 4 x 1000 = 4000 bytes
 * (fio's kb_base=1024 makes the "i" forms decimal), so 4ki comes before 4050; read as
 * 4 x 1024 = 4096 it would come after. */
START_TEST(test_rows_size_values)
{
	const char *p[] = {"serial"};
	int sd[] = {1};
	double o[] = {10};
	char *t = fake_summary(p, sd, o, 1);
	char *keys[] = {"bs", NULL}, *v1[] = {"4050", NULL}, *v2[] = {"4ki", NULL};
	struct cmp_rows *r = cmp_rows_new();
	GError *err = NULL;
	ck_assert(cmp_rows_add(r, t, keys, v1, &err));
	ck_assert(cmp_rows_add(r, t, keys, v2, &err));
	char *s = cmp_rows_summary(r, NULL);
	const char *a = strstr(s, ",4ki\n"), *b = strstr(s, ",4050\n");
	ck_assert_msg(a && b && a < b, "%s", s);
	g_free(s);
	cmp_rows_free(r);
	g_free(t);
}
END_TEST

START_TEST(test_compare_seeds)
{
	const char *sc = tu_write("tiny.ini", tiny);
	char *dir = g_build_filename(tu_tmpdir(), "cmp", NULL), *out;
	int st = tu_sh(&out, "%s compare %s --seeds 3 --policies serial,none --jobs 2 --out %s",
	               tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "compare exited %d: %s", st, out);
	ck_assert_msg(strstr(out, "95% confidence") && strstr(out, "plots:"), "%s", out);
	g_free(out);
	char *sum = slurp(dir, "summary.csv");
	ck_assert(sum && g_str_has_prefix(sum, out_summary_header) == FALSE);
	ck_assert(g_str_has_prefix(sum, "scenario,policy,seed,job,ops,read_iops,write_iops,"));
	ck_assert(strstr(sum, "sim_seconds,events,seeds,ops_ci95,read_iops_ci95,"));
	ck_assert(strstr(sum, ",lat_p99_us_ci95,"));
	/* per-seed rows of both policies, then mean rows per policy and job */
	ck_assert(strstr(sum, "\ntiny,serial,3,all,"));
	ck_assert(strstr(sum, "\ntiny,none,2,writers,"));
	for (const char *p = "serial"; p; p = strcmp(p, "serial") ? NULL : "none")
		for (const char *j = "writers"; j; j = !strcmp(j, "writers")   ? "readers"
		                                       : !strcmp(j, "readers") ? "all"
		                                                               : NULL) {
			char *row = g_strdup_printf("\ntiny,%s,mean,%s,", p, j);
			ck_assert_msg(strstr(sum, row), "no mean row %s", row + 1);
			g_free(row);
		}
	ck_assert(strstr(sum, "\ntiny,serial,mean,") > strstr(sum, "\ntiny,none,3,all,"));
	g_free(sum);
	/* the layout of run: DIR/<policy>/result.json, seeds after the first in seed-N */
	char *p = g_build_filename(dir, "none", "seed-3", "result.json", NULL);
	ck_assert(g_file_test(p, G_FILE_TEST_EXISTS));
	g_free(p);
	static const char *const figs[] = {"throughput", "latency_cdf", "breakdown", "locks"};
	for (size_t i = 0; i < G_N_ELEMENTS(figs); i++) {
		char *png = g_strdup_printf("%s/plots/%s.png", dir, figs[i]);
		char *svg = g_strdup_printf("%s/plots/%s.svg", dir, figs[i]);
		assert_png(png);
		ck_assert(g_file_test(svg, G_FILE_TEST_EXISTS));
		g_free(png);
		g_free(svg);
	}
	char *cmds = slurp(dir, "plots/commands.txt");
	ck_assert(cmds && strstr(cmds, "results\tvnodesim compare") &&
	          strstr(cmds, "locks\tgnuplot -e"));
	g_free(cmds);
	/* unchanged scenario, program and options: reused, not rerun */
	char *rj = g_build_filename(dir, "serial", "result.json", NULL);
	struct stat before, after;
	ck_assert(stat(rj, &before) == 0);
	st = tu_sh(&out, "%s compare %s --seeds 3 --policies serial,none --out %s --reuse",
	           tu_prog(), sc, dir);
	ck_assert_msg(st == 0 && strstr(out, "reusing"), "%d: %s", st, out);
	g_free(out);
	ck_assert(stat(rj, &after) == 0 && after.st_mtime == before.st_mtime &&
	          after.st_ino == before.st_ino);
	/* different options: rerun */
	st = tu_sh(&out, "%s compare %s --seeds 2 --policies serial,none --out %s --reuse -q",
	           tu_prog(), sc, dir);
	ck_assert_msg(st == 0 && !strstr(out, "reusing"), "%d: %s", st, out);
	g_free(out);
	g_free(rj);
	g_free(dir);
}
END_TEST

START_TEST(test_gnuplot_scripts)
{
	/* every script in results/ on generated results: a non-empty PNG each */
	const char *sc = tu_write("tiny2.ini", tiny);
	char *dir = g_build_filename(tu_tmpdir(), "figs", NULL), *out;
	int st = tu_sh(&out, "%s compare %s -q --policies serial,two-color,none --out %s",
	               tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "compare: %s", out);
	g_free(out);
	char *sw = g_build_filename(tu_tmpdir(), "figs-sweep", NULL);
	st = tu_sh(&out, "%s sweep %s -q --vary host.cores=1,4 --policies serial --out %s",
	           tu_prog(), sc, sw);
	ck_assert_msg(st == 0, "sweep: %s", out);
	g_free(out);
	char *labels[] = {"tiny", NULL}, *dirs[] = {dir, NULL};
	char *pols[] = {"serial", "two-color", "none", NULL};
	char *hm = g_build_filename(tu_tmpdir(), "heat", NULL);
	GError *err = NULL;
	ck_assert_msg(cmp_heatmap(labels, dirs, pols, hm, NULL, &err), "%s",
	              err ? err->message : "");
	char *pngs[] = {
	    g_strdup_printf("%s/plots/throughput.png", dir),
	    g_strdup_printf("%s/plots/latency_cdf.png", dir),
	    g_strdup_printf("%s/plots/breakdown.png", dir),
	    g_strdup_printf("%s/plots/locks.png", dir),
	    g_strdup_printf("%s/plots/sweep.png", sw),
	    g_strdup_printf("%s.png", hm),
	};
	for (size_t i = 0; i < G_N_ELEMENTS(pngs); i++) {
		assert_png(pngs[i]);
		g_free(pngs[i]);
	}
	/* the scripts are all covered: results/NAME.gp for each figure above */
	static const char *const gp[] = {"throughput", "latency_cdf", "breakdown",
	                                 "locks",      "sweep",       "heatmap"};
	GDir *d = g_dir_open("results", 0, NULL);
	ck_assert(d);
	const char *e;
	while ((e = g_dir_read_name(d)))
		if (g_str_has_suffix(e, ".gp")) {
			bool known = false;
			for (size_t i = 0; i < G_N_ELEMENTS(gp); i++)
				known = known || (g_str_has_prefix(e, gp[i]) &&
				                  strlen(e) == strlen(gp[i]) + 3);
			ck_assert_msg(known, "results/%s has no test", e);
		}
	g_dir_close(d);
	g_free(hm);
	g_free(sw);
	g_free(dir);
}
END_TEST

START_TEST(test_diff)
{
	const char *sc = tu_write("tiny3.ini", tiny);
	char *a = g_build_filename(tu_tmpdir(), "diff-a", NULL);
	char *b = g_build_filename(tu_tmpdir(), "diff-b", NULL), *out;
	ck_assert(tu_sh(NULL, "%s run %s -q --policy serial,none --out %s", tu_prog(), sc, a) == 0);
	ck_assert(tu_sh(NULL, "%s run %s -q --policy serial,none --out %s --set disk.write_us=200",
	                tu_prog(), sc, b) == 0);
	int st = tu_sh(&out, "%s diff %s %s", tu_prog(), a, a);
	ck_assert_msg(st == 0 && strstr(out, "0 rows changed, 6 unchanged"), "%s", out);
	g_free(out);
	st = tu_sh(&out, "%s diff %s %s", tu_prog(), a, b);
	ck_assert_msg(st == 0, "%s", out);
	/* slower writes: serial's writers lose throughput, by a percentage */
	const char *row = strstr(out, "serial writers");
	ck_assert_msg(row && strstr(row, "iops") && strstr(row, "%"), "%s", out);
	ck_assert_msg(strstr(out, "lat_p99_us") && strstr(out, "rows changed"), "%s", out);
	g_free(out);
	st = tu_sh(&out, "%s diff %s /nonexistent", tu_prog(), a);
	ck_assert_msg(st == 2 && strstr(out, "vnodesim"), "%d: %s", st, out);
	g_free(out);
	g_free(a);
	g_free(b);
}
END_TEST

START_TEST(test_usage_errors)
{
	const char *sc = tu_write("tiny4.ini", tiny);
	static const char *const bad[] = {
	    "compare",
	    "compare %s --policies serial,nonesuch",
	    "compare %s --seeds 0",
	    "compare %s --set disk.model",
	    "compare %s --jobs -1",
	    "sweep %s",
	    "sweep %s --vary host.cores",
	    "sweep %s --vary cores=1,2",
	    "sweep %s --vary host.cores=1,banana",
	    "sweep %s --vary host.cores=1 --vary host.cores=2",
	    "merge",
	    "merge /nonexistent --out /tmp/x",
	    "merge %s",
	    "diff onlyone",
	    "report /nonexistent.ini --seeds 0",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *args = g_strdup_printf(bad[i], sc);
		char *out;
		int st = tu_sh(&out, "%s %s", tu_prog(), args);
		ck_assert_msg(st == 2, "'vnodesim %s' exited %d: %s", args, st, out);
		ck_assert_msg(g_str_has_prefix(out, "vnodesim"), "'%s': %s", args, out);
		ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1, "'%s': not one line: %s",
		              args, out);
		g_free(out);
		g_free(args);
	}
	/* a bad swept value names where it came from */
	char *out;
	ck_assert_int_eq(tu_sh(&out, "%s sweep %s --vary host.cores=1,banana", tu_prog(), sc), 2);
	ck_assert_msg(strstr(out, "host.cores=banana"), "%s", out);
	g_free(out);
}
END_TEST

/* --reuse keys on every input, not only the scenario: the disk file named by spec= changes
 * (a copy of the HP C3323A, 5396 rpm, turned to 10000 rpm) and the comparison is rerun.  A
 * random read pays half a revolution on average: 60/5396/2 = 5.56 ms at 5396 rpm, 3.00 ms at
 * 10000, so the rerun's IOPS must rise (the seek is unchanged). */
START_TEST(test_reuse_inputs)
{
	char *disk = NULL;
	gsize len = 0;
	ck_assert(g_file_get_contents("disks/hp_c3323a.disk", &disk, &len, NULL));
	ck_assert(strstr(disk, "\nrpm = 5396\n"));
	tu_write("reuse.disk", disk);
	char *sc = g_strdup(tu_write("reuse.ini", "[disk]\nspec=reuse.disk\n[global]\nfilename=f\n"
	                                          "size=4m\nbs=4k\nioengine=psync\nnumber_ios=100\n"
	                                          "[r]\nrw=randread\ndirect=1\nnumjobs=2\n"));
	char *dir = g_build_filename(tu_tmpdir(), "reuse", NULL), *out;
	int st = tu_sh(&out, "%s compare %s --policies serial --out %s -q", tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "%d: %s", st, out);
	g_free(out);
	double slow = tu_summary_field(dir, "serial", "all", "read_iops");
	st = tu_sh(&out, "%s compare %s --policies serial --out %s --reuse", tu_prog(), sc, dir);
	ck_assert_msg(st == 0 && strstr(out, "reusing"), "%d: %s", st, out);
	g_free(out);
	char *fast = g_strdup(disk);
	memcpy(strstr(fast, "\nrpm = 5396\n"), "\nrpm = 9999\n", 12); /* same length */
	tu_write("reuse.disk", fast);
	st = tu_sh(&out, "%s compare %s --policies serial --out %s --reuse", tu_prog(), sc, dir);
	ck_assert_msg(st == 0 && !strstr(out, "reusing"), "a changed disk file was reused: %s",
	              out);
	g_free(out);
	double quick = tu_summary_field(dir, "serial", "all", "read_iops");
	ck_assert_msg(quick > slow * 1.1, "5396 rpm: %.1f IOPS, 9999 rpm: %.1f", slow, quick);
	/* the stamp names the build and each input */
	char *stamp = slurp(dir, "stamp");
	ck_assert(stamp && strstr(stamp, "\nbuild ") && strstr(stamp, "\ninput "));
	g_free(stamp);
	g_free(fast);
	g_free(disk);
	g_free(dir);
	g_free(sc);
}
END_TEST

/* A comparison killed (SIGKILL: no handler runs) over an earlier one's folder leaves no
 * summary.csv beside its newer results, and no stamp: --reuse reruns. */
START_TEST(test_stale_summary)
{
	/* io_size: without it size= ends each job after 64 requests, runs of a few ms that a
	 * fast machine finishes before the kill */
	const char *sc = tu_write("stale.ini", "[global]\nfilename=shared\nsize=1m\nbs=16k\n"
	                                       "io_size=1g\nioengine=psync\nnumber_ios=1000\n"
	                                       "[writers]\nrw=randwrite\ndirect=1\nnumjobs=2\n"
	                                       "[readers]\nrw=randread\nnumjobs=2\n");
	char *dir = g_build_filename(tu_tmpdir(), "stale", NULL), *out;
	int st = tu_sh(&out, "%s compare %s --policies serial --out %s -q", tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "%d: %s", st, out);
	g_free(out);
	char *sum = g_build_filename(dir, "summary.csv", NULL);
	char *stamp = g_build_filename(dir, "stamp", NULL);
	ck_assert(g_file_test(sum, G_FILE_TEST_EXISTS) && g_file_test(stamp, G_FILE_TEST_EXISTS));
	char *pidf = g_build_filename(tu_tmpdir(), "stale.pid", NULL);
	ck_assert_int_eq(tu_sh(NULL,
	                       "setsid sh -c 'echo $$ > %s; exec %s compare %s --policies "
	                       "serial,none,xfs --seeds 2 --jobs 1 --out %s -q' >/dev/null 2>&1 &",
	                       pidf, tu_prog(), sc, dir),
	                 0);
	char *pid = NULL;
	for (int i = 0; i < 500 && !pid; i++) {
		g_usleep(10000);
		char *t = NULL;
		if (g_file_get_contents(pidf, &t, NULL, NULL) && *t)
			pid = t;
		else
			g_free(t);
	}
	ck_assert(pid);
	g_strchomp(pid);
	/* the summary goes before the first run starts */
	for (int i = 0; i < 500 && g_file_test(sum, G_FILE_TEST_EXISTS); i++)
		g_usleep(10000);
	ck_assert_int_eq(tu_sh(NULL, "kill -9 -%s", pid), 0);
	g_usleep(200000);
	ck_assert_msg(!g_file_test(sum, G_FILE_TEST_EXISTS), "an old summary beside new runs");
	ck_assert_msg(!g_file_test(stamp, G_FILE_TEST_EXISTS), "an interrupted folder stamped");
	st = tu_sh(&out, "%s compare %s --policies serial --out %s --reuse", tu_prog(), sc, dir);
	ck_assert_msg(st == 0 && !strstr(out, "reusing"), "%d: %s", st, out);
	g_free(out);
	ck_assert(g_file_test(sum, G_FILE_TEST_EXISTS) && g_file_test(stamp, G_FILE_TEST_EXISTS));
	/* an output folder that cannot be written is refused before any run */
	st = tu_sh(&out, "%s compare %s --policies serial --out /proc/1", tu_prog(), sc);
	ck_assert_msg(st == 2 && strstr(out, "/proc/1: cannot write results there"), "%d: %s", st,
	              out);
	g_free(out);
	g_free(pid);
	g_free(pidf);
	g_free(stamp);
	g_free(sum);
	g_free(dir);
}
END_TEST

/* A figure gnuplot leaves incomplete (a full file system: here a stand-in gnuplot, first in
 * PATH, that writes a PNG's 8-byte signature and nothing more, and exits 0) is removed, not
 * left for a complete one: compare fails naming it, no throughput.png and no .part file
 * remain, and the folder gets no stamp (it is not marked complete). */
START_TEST(test_truncated_figure)
{
	char *bin = g_build_filename(tu_tmpdir(), "fakegp", NULL);
	g_mkdir_with_parents(bin, 0755);
	char *gp = g_build_filename(bin, "gnuplot", NULL);
	ck_assert(g_file_set_contents(
	    gp,
	    "#!/bin/sh\n"
	    "out=$(printf '%s' \"$2\" | sed -n \"s/.*out='\\([^']*\\)'.*/\\1/p\")\n"
	    "printf '\\211PNG\\r\\n\\032\\n' > \"$out.png\"\n",
	    -1, NULL));
	ck_assert(g_chmod(gp, 0755) == 0);
	const char *sc = tu_write("trunc.ini", "[w]\nfilename=f\nsize=1m\nbs=4k\nrw=randwrite\n"
	                                       "direct=1\nnumber_ios=50\n"
	                                       "[disk]\nmodel=simple\nservice_us=10\n");
	char *out;
	int st = tu_sh(&out, "PATH=%s:$PATH %s compare %s --policies serial,none --out %s/trunc",
	               bin, tu_prog(), sc, tu_tmpdir());
	ck_assert_msg(st != 0 && strstr(out, "throughput.png: gnuplot wrote an incomplete figure"),
	              "exit %d: %s", st, out);
	g_free(out);
	st = tu_sh(&out, "ls %s/trunc %s/trunc/plots", tu_tmpdir(), tu_tmpdir());
	ck_assert_msg(!strstr(out, "throughput.png") && !strstr(out, ".part") &&
	                  !strstr(out, "stamp"),
	              "%s", out);
	g_free(out);
	g_free(gp);
	g_free(bin);
}
END_TEST

Suite *
suite_compare(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("compare");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sort_matches_qsort);
	tcase_add_test(tc, test_rows_size_values);
	tcase_add_test(tc, test_student_t);
	tcase_add_test(tc, test_rows_canonical);
	tcase_add_test(tc, test_compare_seeds);
	tcase_add_test(tc, test_gnuplot_scripts);
	tcase_add_test(tc, test_diff);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_reuse_inputs);
	tcase_add_test(tc, test_stale_summary);
	tcase_add_test(tc, test_truncated_figure);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_fio.c -- fio's own formats (docs/outputs.md): result.json key for key against a real
 * fio run's JSON made here, read by fio's fio_jsonplus_clat2csv; fio's log files read by
 * fio2gnuplot and fio_generate_plots; the figures checked against closed forms (the histogram
 * buckets) and against summary.csv (the same requests counted two ways).
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fio.h"
#include "tests/testutil.h"

/* One mixed job and one read-only job, 2 simulated seconds on the SSD model; the mixed one
 * writes every log averaged over 100 ms, the reader its latency log a line a request. */
static const char scenario[] = "[global]\n"
                               "filename=t.db\n"
                               "size=16m\n"
                               "bs=4k\n"
                               "direct=1\n"
                               "runtime=2\n"
                               "time_based\n"
                               "ioengine=psync\n"
                               "[mixed]\n"
                               "rw=randrw\n"
                               "write_bw_log=x\n"
                               "write_lat_log=x\n"
                               "write_iops_log=x\n"
                               "write_hist_log=x\n"
                               "log_avg_msec=100\n"
                               "log_hist_msec=500\n"
                               "[reader]\n"
                               "rw=randread\n"
                               "write_lat_log=y\n"
                               "[disk]\n"
                               "model=ssd\n"
                               "[sim]\n"
                               "seed=1\n";

/* Run the scenario with --output-format FMT into tmp/NAME; the run's directory. */
static char *
run(const char *name, const char *fmt)
{
	const char *sc = tu_write("fio.ini", scenario);
	char *dir = g_build_filename(tu_tmpdir(), name, NULL), *out = NULL;
	int st = tu_sh(&out, "%s run %s -q --out %s --output-format=%s", tu_prog(), sc, dir, fmt);
	ck_assert_msg(st == 0, "exit %d: %.400s", st, out);
	g_free(out);
	char *d = g_build_filename(dir, "serial", NULL);
	g_free(dir);
	return d;
}

static JsonObject *
load(JsonParser *p, const char *dir)
{
	char *path = g_build_filename(dir, "result.json", NULL);
	GError *err = NULL;
	ck_assert_msg(json_parser_load_from_file(p, path, &err), "%s", path);
	g_free(path);
	return json_node_get_object(json_parser_get_root(p));
}

static JsonObject *
job(JsonObject *root, int i)
{
	return json_array_get_object_element(json_object_get_array_member(root, "jobs"), (guint)i);
}

/* a path a/b/c of numbers below O */
static double
at(JsonObject *o, const char *path)
{
	char **p = g_strsplit(path, "/", -1);
	JsonNode *n = NULL;
	for (int i = 0; p[i]; i++) {
		ck_assert_msg(json_object_has_member(o, p[i]), "no %s in %s", p[i], path);
		n = json_object_get_member(o, p[i]);
		if (p[i + 1])
			o = json_node_get_object(n);
	}
	g_strfreev(p);
	return json_node_get_double(n);
}

/* A program fio's package brings, or SKIP (under CI=true: fail). */
static bool
have(const char *test, const char *prog)
{
	char *out = NULL;
	bool ok = tu_sh(&out, "command -v %s", prog) == 0;
	g_free(out);
	if (!ok) {
		const char *ci = getenv("CI");
		ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "%s: %s missing and CI=true", test,
		              prog);
		printf("SKIP: %s (%s not installed: make deps-test)\n", test, prog);
	}
	return ok;
}

START_TEST(test_fio_buckets)
{
	/* 56056 ns: highest bit 15, so 15 - 6 = 9 bits dropped; bucket (9 + 1) * 64 +
	 * ((56056 >> 9) & 63) = 640 + (109 & 63) = 685, printed as its middle
	 * 2^15 + (45 + 0.5) * 2^9 = 32768 + 23296 = 56064 (fio 3.33 printed bin "56064" for
	 * a 56056 ns minimum). */
	ck_assert_uint_eq(fio_plat_idx(56056), 685);
	ck_assert_uint_eq(fio_plat_val(685), 56064);
	/* below 2 x 64 every value has its bucket */
	ck_assert_uint_eq(fio_plat_idx(127), 127);
	ck_assert_uint_eq(fio_plat_val(127), 127);
	/* 128: 1 bit dropped, bucket 2 * 64 + (64 & 63) = 128, middle 128 + 0.5 * 2 = 129 */
	ck_assert_uint_eq(fio_plat_idx(128), 128);
	ck_assert_uint_eq(fio_plat_val(128), 129);
	/* beyond the last group: the last bucket */
	ck_assert_uint_eq(fio_plat_idx(UINT64_MAX), FIO_PLAT_NR - 1);
}
END_TEST

START_TEST(test_fio_directions)
{
	char *dir = run("dirs", "json");
	JsonParser *p = json_parser_new();
	JsonObject *root = load(p, dir);
	JsonObject *m = job(root, 0), *r = job(root, 1);
	/* the mixed job: each direction has its own latencies (they were all zeros) */
	double nr = at(m, "read/lat_ns/N"), nw = at(m, "write/lat_ns/N");
	ck_assert_msg(nr > 0 && nw > 0, "N read %g write %g", nr, nw);
	ck_assert_double_eq(nr, at(m, "read/total_ios"));
	ck_assert_double_eq(nw, at(m, "write/total_ios"));
	ck_assert_double_eq(nr, at(m, "read/clat_ns/N"));
	/* the directions' means weighted by their counts are the job's mean (summary.csv,
	 * printed to 1e-3 us) */
	double mean =
	    (nr * at(m, "read/lat_ns/mean") + nw * at(m, "write/lat_ns/mean")) / (nr + nw);
	double sum_us = tu_summary_field(g_path_get_dirname(dir), "serial", "mixed", "lat_mean_us");
	ck_assert_msg(fabs(mean / 1e3 - sum_us) < 1e-3 + 1e-9 * sum_us, "%.6f vs %.6f us",
	              mean / 1e3, sum_us);
	/* a one-direction job: its p99 is the summary's, with the same rule (stats.h) */
	double p99 = at(r, "read/clat_ns/percentile/99.000000");
	double p99_us = tu_summary_field(g_path_get_dirname(dir), "serial", "reader", "lat_p99_us");
	ck_assert_msg(fabs(p99 / 1e3 - p99_us) < 2e-3, "%.3f vs %.3f us", p99 / 1e3, p99_us);
	ck_assert_double_eq(at(r, "write/lat_ns/N"), 0);
	/* latency_ns/us/ms share out every request: 100 % */
	double total = 0;
	static const char *const maps[] = {"latency_ns", "latency_us", "latency_ms"};
	for (int i = 0; i < 3; i++) {
		JsonObject *o = json_object_get_object_member(m, maps[i]);
		GList *keys = json_object_get_members(o);
		for (GList *k = keys; k; k = k->next)
			total += json_object_get_double_member(o, k->data);
		g_list_free(keys);
	}
	ck_assert_msg(fabs(total - 100) < 1e-9, "buckets sum to %.12f", total);
	/* 2 s in 500 ms bandwidth windows from the first request: 3 or 4 whole windows */
	double ns = at(m, "read/bw_samples");
	ck_assert_msg(ns >= 3 && ns <= 4, "bw_samples %g", ns);
	/* mean of the window samples x their span = the bytes they hold, at most the total */
	ck_assert_msg(at(m, "read/bw_mean") * 1024 * 0.5 * ns <= at(m, "read/io_bytes") + 1,
	              "bw_mean too high");
	/* fixed machine-dependent keys */
	ck_assert_double_eq(at(root, "timestamp"), 0);
	ck_assert_double_eq(at(m, "usr_cpu"), 0);
	ck_assert(!json_object_has_member(json_object_get_object_member(m, "read"), "bins"));
	g_object_unref(p);
	g_free(dir);
}
END_TEST

START_TEST(test_fio_keys_vs_fio)
{
	if (!have("fio_keys_vs_fio", "fio"))
		return;
	char *dir = run("keys", "json+");
	const char *t = tu_tmpdir();
	char *out = NULL;
	/* the real fio on a small file: its JSON is the reference layout */
	int st = tu_sh(&out,
	               "cd %s && fio --name=t --filename=%s/f --size=1M --rw=randrw --bs=4k "
	               "--ioengine=psync --output-format=json+ --output=%s/fio.json",
	               t, t, t);
	ck_assert_msg(st == 0, "fio: exit %d: %.400s", st, out);
	g_free(out);
	st = tu_sh(&out, "python3 tests/fio/keys.py %s/fio.json %s/result.json", t, dir);
	ck_assert_msg(st == 0, "key paths missing:\n%.2000s", out);
	g_free(out);
	st = tu_sh(&out, "python3 tests/fio/keys.py --fio-plot %s/result.json", dir);
	ck_assert_msg(st == 0, "%.1000s", out);
	g_free(out);
	g_free(dir);
}
END_TEST

START_TEST(test_fio_clat2csv)
{
	if (!have("fio_clat2csv", "fio_jsonplus_clat2csv"))
		return;
	char *dir = run("plus", "json+");
	char *out = NULL;
	int st = tu_sh(&out,
	               "cd %s && fio_jsonplus_clat2csv result.json c.csv && "
	               "fio_jsonplus_clat2csv result.json c.csv --validate",
	               dir);
	ck_assert_msg(st == 0, "exit %d: %.1000s", st, out);
	ck_assert_msg(strstr(out, "c_job0.csv validated") && strstr(out, "c_job1.csv validated"),
	              "%.1000s", out);
	g_free(out);
	/* the bins of one direction count its requests */
	JsonParser *p = json_parser_new();
	JsonObject *m = job(load(p, dir), 0);
	JsonObject *bins = json_object_get_object_member(
	    json_object_get_object_member(json_object_get_object_member(m, "write"), "clat_ns"),
	    "bins");
	double n = 0;
	GList *keys = json_object_get_members(bins);
	for (GList *k = keys; k; k = k->next)
		n += json_object_get_double_member(bins, k->data);
	g_list_free(keys);
	ck_assert_double_eq(n, at(m, "write/total_ios"));
	g_object_unref(p);
	g_free(dir);
}
END_TEST

static char *
slurp(const char *dir, const char *name)
{
	char *p = g_build_filename(dir, name, NULL), *text = NULL;
	ck_assert_msg(g_file_get_contents(p, &text, NULL, NULL), "%s missing", p);
	g_free(p);
	return text;
}

START_TEST(test_fio_logs)
{
	char *dir = run("logs", "json");
	JsonParser *p = json_parser_new();
	JsonObject *root = load(p, dir);
	double ios = at(job(root, 0), "read/total_ios") + at(job(root, 0), "write/total_ios");
	/* averaged iops log: each line is a window's requests / 0.1 s, an integer (10 x the
	 * count), so the values / 10 add up to the job's requests */
	char *iops = slurp(dir, "x_iops.1.log");
	char **lines = g_strsplit(iops, "\n", -1);
	double sum = 0;
	for (char **l = lines; *l && **l; l++) {
		char **f = g_strsplit(*l, ", ", -1);
		ck_assert_msg(g_strv_length(f) == 5, "not 5 columns: %s", *l);
		sum += g_ascii_strtod(f[1], NULL);
		g_strfreev(f);
	}
	ck_assert_double_eq(sum / 10, ios);
	g_strfreev(lines);
	g_free(iops);
	/* the reader (thread 2: the mixed job is thread 1): a line a request */
	char *lat = slurp(dir, "y_lat.2.log");
	guint n = 0;
	for (char *c = lat; *c; c++)
		n += *c == '\n';
	ck_assert_double_eq(n, at(job(root, 1), "read/total_ios"));
	g_free(lat);
	static const char *const files[] = {"x_bw.1.log",   "x_lat.1.log",       "x_clat.1.log",
	                                    "x_slat.1.log", "x_clat_hist.1.log", "y_clat.2.log"};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
		g_free(slurp(dir, files[i]));
	g_object_unref(p);
	/* fio's own plotting script reads the bandwidth and IOPS logs */
	if (have("fio_logs (fio2gnuplot)", "fio2gnuplot")) {
		char *out = NULL;
		int st = tu_sh(&out, "cd %s && fio2gnuplot -i -g && fio2gnuplot -b -g", dir);
		ck_assert_msg(st == 0, "fio2gnuplot: exit %d: %.1000s", st, out);
		g_free(out);
		g_free(slurp(dir, "x_iops.1-2Draw.png"));
		g_free(slurp(dir, "x_bw.1-2Draw.png"));
	}
	/* and fio's other plotting script, the bandwidth, latency and IOPS logs */
	if (have("fio_logs (fio_generate_plots)", "fio_generate_plots")) {
		char *out = NULL;
		int st = tu_sh(&out, "cd %s && fio_generate_plots t", dir);
		ck_assert_msg(st == 0, "fio_generate_plots: exit %d: %.1000s", st, out);
		g_free(out);
		static const char *const svg[] = {"t-bw.svg", "t-lat.svg", "t-clat.svg",
		                                  "t-iops.svg"};
		for (size_t i = 0; i < G_N_ELEMENTS(svg); i++) {
			char *text = slurp(dir, svg[i]);
			ck_assert_msg(strstr(text, "<path"), "%s: no curve", svg[i]);
			g_free(text);
		}
	}
	g_free(dir);
}
END_TEST

START_TEST(test_fio_bad_options)
{
	static const char *const bad[][2] = {
	    {"percentile_list=50:abc", "percentile_list"},
	    {"percentile_list=101", "percentile_list"},
	    {"write_bw_log=a/b", "write_bw_log"},
	    {"log_avg_msec=-1", "log_avg_msec"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *text = g_strdup_printf("[j]\nfilename=t\nsize=1m\nrw=read\n%s\n", bad[i][0]);
		const char *sc = tu_write("bad.ini", text);
		char *out = NULL;
		int st = tu_sh(&out, "%s check %s", tu_prog(), sc);
		ck_assert_msg(st == 2, "%s: exit %d", bad[i][0], st);
		ck_assert_msg(strstr(out, "bad.ini:5:") && strstr(out, bad[i][1]), "%s: %.300s",
		              bad[i][0], out);
		g_free(out);
		g_free(text);
	}
}
END_TEST

Suite *
suite_fio(void)
{
	Suite *s = suite_create("fio");
	TCase *tc = tcase_create("fio");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fio_buckets);
	tcase_add_test(tc, test_fio_directions);
	tcase_add_test(tc, test_fio_keys_vs_fio);
	tcase_add_test(tc, test_fio_clat2csv);
	tcase_add_test(tc, test_fio_logs);
	tcase_add_test(tc, test_fio_bad_options);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_vsfio.c -- `vnodesim vs-fio RESULT.json SCENARIO`: a real fio 3.33 run, made here on a
 * small file (psync, a few MB), put beside the simulation of the same job file.  The fio
 * column must be fio's own figures read independently here (clones summed), the vnodesim
 * column the simulation's result.json, the ratio their quotient; a second call reuses the
 * simulation; input that is not fio's JSON exits 2 naming the file.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

/* The program under test by an absolute path (the commands below cd first). */
static const char *
abs_prog(void)
{
	static char *p;
	if (!p)
		p = g_canonicalize_filename(tu_prog(), NULL);
	return p;
}

static bool
have_fio(const char *test)
{
	char *out = NULL;
	bool ok = tu_sh(&out, "command -v fio") == 0;
	g_free(out);
	if (!ok) {
		const char *ci = getenv("CI");
		ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "%s: fio missing and CI=true",
		              test);
		printf("SKIP: %s (fio not installed: make deps-test)\n", test);
	}
	return ok;
}

/* Sum of jobs[].DIR.MEMBER over the jobs named NAME in the JSON file PATH. */
static double
sum_member(const char *path, const char *name, const char *dir, const char *member)
{
	JsonParser *p = json_parser_new();
	GError *e = NULL;
	ck_assert_msg(json_parser_load_from_file(p, path, &e), "%s: %s", path, e ? e->message : "");
	JsonArray *jobs =
	    json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "jobs");
	double s = 0;
	for (guint i = 0; i < json_array_get_length(jobs); i++) {
		JsonObject *j = json_array_get_object_element(jobs, i);
		if (strcmp(json_object_get_string_member(j, "jobname"), name) == 0)
			s += json_object_get_double_member(json_object_get_object_member(j, dir),
			                                   member);
	}
	g_object_unref(p);
	return s;
}

/* The row JOB,DIR,METRIC of vs-fio.csv TEXT: its fio, vnodesim and ratio fields. */
static void
row(const char *text, const char *key, double v[3])
{
	const char *r = strstr(text, key);
	ck_assert_msg(r, "no row %s in:\n%s", key, text);
	r += strlen(key);
	char **f = g_strsplit(r, ",", 4);
	for (int i = 0; i < 3; i++)
		v[i] = g_ascii_strtod(f[i], NULL);
	g_strfreev(f);
}

START_TEST(test_vsfio_real_run)
{
	if (!have_fio("vsfio_real_run"))
		return;
	const char *t = tu_tmpdir();
	char *out = NULL;
	/* a pure fio job file (two clones of a reader, one writer) and its simulator file */
	char *jf = g_strdup_printf("%s/v.fio", t);
	char *text = g_strdup_printf("[global]\nfilename=%s/v.dat\nsize=4m\nbs=4k\n"
	                             "ioengine=psync\n[rd]\nrw=randread\nnumjobs=2\n"
	                             "[wr]\nrw=randwrite\n",
	                             t);
	ck_assert(g_file_set_contents(jf, text, -1, NULL));
	g_free(text);
	tu_write("v.sim", "[disk]\nmodel=ssd\n[fs]\nlayout=preallocated\n");
	int st = tu_sh(&out, "cd %s && fio --output-format=json+ --output=fio.json v.fio", t);
	ck_assert_msg(st == 0, "fio: exit %d: %.500s", st, out);
	g_free(out);
	st = tu_sh(&out, "cd %s && %s vs-fio fio.json v.fio --sim v.sim --out vs", t, abs_prog());
	ck_assert_msg(st == 0, "exit %d: %.1500s", st, out);
	ck_assert_msg(strstr(out, "clat_p999_us") && strstr(out, "ratio"), "%s", out);
	g_free(out);
	char *fj = g_build_filename(t, "fio.json", NULL);
	char *sj = g_build_filename(t, "vs", "serial", "result.json", NULL);
	char *cp = g_build_filename(t, "vs", "vs-fio.csv", NULL);
	char *csv = NULL;
	ck_assert(g_file_get_contents(cp, &csv, NULL, NULL));
	ck_assert(g_str_has_prefix(csv, "job,direction,metric,fio,vnodesim,ratio\n"));
	/* rd's two clones summed; the printed figures have 3 decimals */
	double v[3];
	row(csv, "\nrd,read,iops,", v);
	double fio_iops = sum_member(fj, "rd", "read", "iops");
	double sim_iops = sum_member(sj, "rd", "read", "iops");
	ck_assert_msg(fabs(v[0] - fio_iops) < 1e-3 && fabs(v[1] - sim_iops) < 1e-3,
	              "iops %g %g vs %g %g", v[0], v[1], fio_iops, sim_iops);
	ck_assert_msg(fabs(v[2] - sim_iops / fio_iops) < 1e-3, "ratio %g", v[2]);
	row(csv, "\nwr,write,bw_KiB_s,", v);
	ck_assert(fabs(v[0] - sum_member(fj, "wr", "write", "bw_bytes") / 1024) < 1e-3);
	/* 4 MiB in 4 KiB requests: 1024 writes in both (closed form: size / bs) */
	ck_assert_double_eq(sum_member(fj, "wr", "write", "total_ios"), 1024);
	ck_assert_double_eq(sum_member(sj, "wr", "write", "total_ios"), 1024);
	row(csv, "\nrd,read,clat_p99_us,", v); /* from the merged bins: a value */
	ck_assert_msg(v[0] > 0 && v[1] > 0, "p99 %g %g", v[0], v[1]);
	ck_assert_msg(!strstr(csv, "\nrd,write,"), "a direction no one used is listed");
	g_free(csv);
	/* the second call simulates nothing */
	st = tu_sh(&out, "cd %s && %s vs-fio fio.json v.fio --sim v.sim --out vs", t, abs_prog());
	ck_assert_msg(st == 0 && strstr(out, "reused"), "exit %d: %.500s", st, out);
	g_free(out);
	/* fio's lines before the JSON (its normal line when --output-format came late) */
	st = tu_sh(&out,
	           "cd %s && cp vs/vs-fio.csv first.csv && (echo 'rd: (g=0): rw=randread, bs=(R) "
	           "4096B-4096B'; cat fio.json) > pre.json && %s vs-fio pre.json v.fio --sim v.sim "
	           "--out vs -q && cmp first.csv vs/vs-fio.csv",
	           t, abs_prog());
	ck_assert_msg(st == 0, "exit %d: %.500s", st, out);
	g_free(out);
	g_free(fj);
	g_free(sj);
	g_free(cp);
	g_free(jf);
}
END_TEST

START_TEST(test_vsfio_bad_json)
{
	const char *t = tu_tmpdir();
	tu_write("b.fio", "[j]\nrw=read\nsize=1m\nfilename=b.dat\n");
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"", "no JSON object"},
	    {"garbage\n", "no JSON object"},
	    {"{\"jobs\": [ {\"jobname\": \"j\"", "not JSON"},
	    {"{\"jobs\": 3}", "no \"jobs\" array"},
	    {"{\"jobs\": []}", "no \"jobs\" array"},
	    {"{\"jobs\": [ {\"read\": {}} ]}", "jobs[0].jobname: missing"},
	    {"{\"jobs\": [ {\"jobname\": \"j\", \"read\": {\"total_ios\": \"x\"}} ]}",
	     "jobs[0].read: total_ios, iops and bw_bytes must be numbers"},
	    {"{\"jobs\": [ {\"jobname\": \"j\", \"read\": {\"total_ios\": 1, \"iops\": 1, "
	     "\"bw_bytes\": 1}} ]}",
	     "jobs[0].read.clat_ns: missing"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		tu_write("bad.json", bad[i].text);
		char *out = NULL;
		int st = tu_sh(&out, "cd %s && %s vs-fio bad.json b.fio --out o", t, abs_prog());
		ck_assert_msg(st == 2 && strstr(out, "bad.json: ") && strstr(out, bad[i].want),
		              "case %zu: exit %d: %s", i, st, out);
		ck_assert_msg(!strstr(out, "(the simulation"),
		              "simulated before the JSON was read");
		g_free(out);
	}
	char *out = NULL;
	int st = tu_sh(&out, "cd %s && %s vs-fio b.fio", t, abs_prog());
	ck_assert_msg(st == 2 && strstr(out, "expected RESULT.json and SCENARIO"), "%d %s", st,
	              out);
	g_free(out);
	st = tu_sh(&out, "cd %s && %s vs-fio /nonexistent.json b.fio", t, abs_prog());
	ck_assert_msg(st == 2 && strstr(out, "/nonexistent.json"), "%d %s", st, out);
	g_free(out);
}
END_TEST

Suite *
suite_vsfio(void)
{
	Suite *s = suite_create("vsfio");
	TCase *tc = tcase_create("vsfio");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_vsfio_real_run);
	tcase_add_test(tc, test_vsfio_bad_json);
	suite_add_tcase(s, tc);
	return s;
}

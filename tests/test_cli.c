/*
 * test_cli.c -- the command line as a user meets it: help and version, exit statuses,
 * messages naming file:line and the key, the output files of run/replay/validate, --set,
 * SimGrid's options passed through, determinism, raw-device jobs.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

static char *
slurp(const char *dir, const char *file)
{
	char *p = g_build_filename(dir, file, NULL), *text = NULL;
	g_file_get_contents(p, &text, NULL, NULL);
	g_free(p);
	return text;
}

static const char small_raw[] = "[global]\n"
                                "filename=/dev/sim0\n"
                                "bs=4k\n"
                                "rw=randread\n"
                                "number_ios=2000\n"
                                "[reader]\n"
                                "ioengine=libaio\n"
                                "iodepth=4\n"
                                "[writer]\n"
                                "rw=write\n"
                                "number_ios=500\n";

START_TEST(test_help_version)
{
	char *out;
	ck_assert_int_eq(tu_sh(&out, "%s --version", tu_prog()), 0);
	ck_assert_msg(strstr(out, "vnodesim 0."), "version: %s", out);
	g_free(out);
	ck_assert_int_eq(tu_sh(&out, "%s --help", tu_prog()), 0);
	ck_assert(strstr(out, "vnodesim run") && strstr(out, "vnodesim validate"));
	g_free(out);
	static const char *const cmds[] = {"run", "replay", "validate", "check", "policies"};
	for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
		ck_assert_int_eq(tu_sh(&out, "%s %s --help", tu_prog(), cmds[i]), 0);
		ck_assert_msg(strstr(out, "Usage:"), "%s --help: %s", cmds[i], out);
		g_free(out);
	}
}
END_TEST

START_TEST(test_usage_errors)
{
	static const char *const bad[] = {
	    "",
	    "frobnicate",
	    "run",
	    "run --no-such-option x.ini",
	    "run /nonexistent.ini",
	    "replay",
	    "replay x --format nope --disk y",
	    "validate /nonexistent --disk x",
	    "run %s --policy nonesuch",
	    "run %s --set disk.model",
	    "run %s --seeds 0",
	};
	const char *sc = tu_write("ok.ini", small_raw);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *args = g_strdup_printf(bad[i], sc);
		char *out;
		int st = tu_sh(&out, "%s %s", tu_prog(), args);
		ck_assert_msg(st == 2, "'vnodesim %s' exited %d: %s", args, st, out);
		ck_assert_msg(strstr(out, "vnodesim") != NULL, "no message for '%s'", args);
		g_free(out);
		g_free(args);
	}
}
END_TEST

START_TEST(test_policies)
{
	char *out;
	ck_assert_int_eq(tu_sh(&out, "%s policies", tu_prog()), 0);
	static const char *const names[] = {"serial",    "extent-list", "extent-tree",
	                                    "two-color", "four-color",  "none",
	                                    "xfs",       "range-color"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		ck_assert_msg(strstr(out, names[i]), "policies lacks %s", names[i]);
	g_free(out);
}
END_TEST

START_TEST(test_bad_scenario_names_line)
{
	/* the bad value sits on line 4: the message must say FILE:4 and the key */
	const char *p = tu_write("bad.ini", "[global]\nfilename=/dev/sim0\n[j]\nbs=banana\n");
	char *out;
	ck_assert_int_eq(tu_sh(&out, "%s run %s", tu_prog(), p), 2);
	ck_assert_msg(strstr(out, "bad.ini:4") && strstr(out, "bs"), "message: %s", out);
	g_free(out);
	ck_assert_int_eq(tu_sh(&out, "%s check %s", tu_prog(), p), 2);
	g_free(out);
	p = tu_write("bad2.ini", "[j]\nfilename=/dev/sim0\nnumber_ios=10\n[disk]\nmodel=ssd\n"
	                         "read_us=fast\n");
	ck_assert_int_eq(tu_sh(&out, "%s run %s", tu_prog(), p), 2);
	ck_assert_msg(strstr(out, "bad2.ini:6") && strstr(out, "read_us"), "message: %s", out);
	g_free(out);
}
END_TEST

START_TEST(test_run_outputs)
{
	const char *sc = tu_write("small.ini", small_raw);
	char *dir = g_build_filename(tu_tmpdir(), "out", NULL), *out;
	int st = tu_sh(&out, "%s run %s --out %s --requests", tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "run exited %d: %s", st, out);
	g_free(out);
	char *sum = slurp(dir, "summary.csv");
	ck_assert(sum);
	ck_assert(g_str_has_prefix(
	    sum, "scenario,policy,seed,job,ops,read_iops,write_iops,read_mbps,write_mbps,"
	         "lat_mean_us,lat_p50_us,lat_p99_us,lat_p999_us,lat_max_us,vnode_wait_us,"
	         "getpages_wait_us,range_wait_us,disk_util,cache_hit_ratio,torn_reads,"
	         "torn_writes,stale_reads,lost_writes,sim_seconds,events\n"));
	/* rows: reader (2000 ops), writer (500), all (2500); events = 2 per raw request */
	ck_assert_msg(strstr(sum, "small,serial,1,reader,2000,"), "%s", sum);
	ck_assert_msg(strstr(sum, "small,serial,1,writer,500,"), "%s", sum);
	ck_assert_msg(strstr(sum, "small,serial,1,all,2500,"), "%s", sum);
	ck_assert_msg(g_str_has_suffix(sum, ",5000\n"), "%s", sum);
	char *req = slurp(dir, "serial/requests.csv");
	ck_assert(req && g_str_has_prefix(req, "id,job,op,path,offset,len,t_issue,t_done,"
	                                       "lock_wait_us,queue_us,seek_us,rot_us,xfer_us,"
	                                       "ctrl_us,service_us\n"));
	int lines = 0;
	for (char *c = req; *c; c++)
		lines += *c == '\n';
	ck_assert_int_eq(lines, 2501);
	char *json = slurp(dir, "serial/result.json");
	ck_assert(json && strstr(json, "\"jobs\"") && strstr(json, "\"vnodesim\"") &&
	          strstr(json, "\"conservation\" : true"));
	char *timing = slurp(dir, "timing.csv");
	ck_assert(timing && g_str_has_prefix(timing, "policy,wall_seconds,requests_per_s,"
	                                             "peak_rss_kb\nserial,"));
	g_free(sum);
	g_free(req);
	g_free(json);
	g_free(timing);
	g_free(dir);
}
END_TEST

START_TEST(test_determinism_and_set)
{
	const char *sc = tu_write("det.ini", small_raw);
	char *a = g_build_filename(tu_tmpdir(), "a", NULL);
	char *b = g_build_filename(tu_tmpdir(), "b", NULL);
	char *c = g_build_filename(tu_tmpdir(), "c", NULL);
	ck_assert_int_eq(tu_sh(NULL, "%s run %s -q --out %s", tu_prog(), sc, a), 0);
	ck_assert_int_eq(tu_sh(NULL, "%s run %s -q --out %s", tu_prog(), sc, b), 0);
	ck_assert_int_eq(tu_sh(NULL, "%s run %s -q --out %s --seed 7", tu_prog(), sc, c), 0);
	char *sa = slurp(a, "summary.csv"), *sb = slurp(b, "summary.csv");
	char *ja = slurp(a, "serial/result.json"), *jb = slurp(b, "serial/result.json");
	char *sc7 = slurp(c, "summary.csv");
	ck_assert_str_eq(sa, sb);
	ck_assert_str_eq(ja, jb);
	ck_assert_msg(strcmp(sa, sc7) != 0, "a different seed gave the same summary");
	/* --set global.number_ios reaches every job */
	char *d = g_build_filename(tu_tmpdir(), "d", NULL);
	ck_assert_int_eq(
	    tu_sh(NULL, "%s run %s -q --out %s --set global.number_ios=100", tu_prog(), sc, d), 0);
	char *sd = slurp(d, "summary.csv");
	ck_assert_msg(strstr(sd, ",reader,100,") && strstr(sd, ",writer,100,"), "%s", sd);
	g_free(sa), g_free(sb), g_free(ja), g_free(jb), g_free(sc7), g_free(sd);
	g_free(a), g_free(b), g_free(c), g_free(d);
}
END_TEST

START_TEST(test_simgrid_options)
{
	const char *sc = tu_write("sg.ini", small_raw);
	char *dir = g_build_filename(tu_tmpdir(), "sg", NULL), *out;
	int st = tu_sh(&out,
	               "%s run %s -q --out %s --log=vnodesim_disk.thres:debug "
	               "--cfg=contexts/stack-size:128",
	               tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	g_free(dir);
}
END_TEST

START_TEST(test_replay_formats)
{
	/* hand-made traces, 3 requests each, on the simple model (1 ms, const) */
	char *disk = g_strdup(tu_write("d.disk", "[disk]\nmodel=simple\nservice_us=1000\n"
	                                         "capacity_gb=1\n"));
	static const struct {
		const char *fmt, *text;
	} cases[] = {
	    {"ascii", "0.0 0 100 8 1\n0.5 0 200 8 0\n10.0 1 300 8 1\n"},
	    {"mqsim", "0 0 100 8 1\n500000 0 200 8 0\n10000000 1 300 8 1\n"},
	    {"validate", "R Hit 100 8 900.0 0.0\nW Hit 200 8 1100.0 500.0\nR Hit 300 8 1000.0 "
	                 "0.0\n"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char name[32];
		snprintf(name, sizeof name, "t%zu.trace", i);
		const char *tr = tu_write(name, cases[i].text);
		char *dir = g_strdup_printf("%s/r%zu", tu_tmpdir(), i), *out;
		int st = tu_sh(&out, "%s replay %s --format %s --disk %s --out %s -q", tu_prog(),
		               tr, cases[i].fmt, disk, dir);
		ck_assert_msg(st == 0, "%s: exit %d: %s", cases[i].fmt, st, out);
		g_free(out);
		char *sum = slurp(dir, "summary.csv");
		ck_assert_msg(sum && strstr(sum, ",raw,") && strstr(sum, ",all,3,"), "%s: %s",
		              cases[i].fmt, sum);
		char *req = slurp(dir, "requests.csv");
		/* every request served alone: service 1000 us, queue 0 except where the 0.5 ms
		 * arrival finds the disk busy (ascii, mqsim: request 2 waits 500 us) */
		ck_assert_msg(req && strstr(req, ",1000.000\n"), "%s", req);
		ck_assert(slurp(dir, "result.json") && slurp(dir, "timing.csv"));
		g_free(sum);
		g_free(req);
		g_free(dir);
	}
	/* --devno keeps device 0 only */
	const char *tr = tu_write("dev.trace", cases[0].text);
	char *dir = g_strdup_printf("%s/dev", tu_tmpdir()), *out;
	ck_assert_int_eq(tu_sh(&out, "%s replay %s --format ascii --devno 0 --disk %s --out %s -q",
	                       tu_prog(), tr, disk, dir),
	                 0);
	char *sum = slurp(dir, "summary.csv");
	ck_assert_msg(strstr(sum, ",all,2,"), "%s", sum);
	g_free(out), g_free(sum), g_free(dir);
}
END_TEST

START_TEST(test_replay_bad_traces)
{
	char *disk = g_strdup(tu_write("d1.disk", "[disk]\nmodel=simple\ncapacity_gb=1\n"));
	static const struct {
		const char *fmt, *text, *want;
	} cases[] = {
	    {"ascii", "0.0 0 100 8 1\n0.1 0 5000000 8 1\n", ":2:"}, /* beyond 1 GB */
	    {"ascii", "0.0 0 100 8\n", ":1:"},                      /* 4 fields */
	    {"mqsim", "0 0 100 8 1\n1 0 x 8 1\n", ":2:"},           /* non-numeric */
	    {"mqsim", "0 0 100 8 7\n", "type"},
	    {"validate", "R Hit 100 8 900.0\n", ":1:"},
	    {"validate", "Q Hit 100 8 900.0 1.0\n", "op"},
	    {"ascii", "", "no requests"},
	    {"ascii", "0.0 0 100 0 1\n", "size"},
	    {"ascii", "-1.0 0 100 8 1\n", "time"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char name[32];
		snprintf(name, sizeof name, "bad%zu.trace", i);
		const char *tr = tu_write(name, cases[i].text);
		char *out;
		int st = tu_sh(&out, "%s replay %s --format %s --disk %s --out %s/x -q", tu_prog(),
		               tr, cases[i].fmt, disk, tu_tmpdir());
		ck_assert_msg(st == 2 && strstr(out, cases[i].want), "case %zu: exit %d: %s", i, st,
		              out);
		g_free(out);
	}
}
END_TEST

START_TEST(test_validate_cheetah)
{
	char *tr = g_strdup(tu_data("validate_cheetah", "disks/cheetah9LP.trace"));
	const char *spec = tu_data("validate_cheetah", "disks/cheetah9LP.diskspecs");
	if (!tr || !spec)
		return;
	char *out;
	int st =
	    tu_sh(&out, "%s validate %s --disk %s --out %s/v", tu_prog(), tr, spec, tu_tmpdir());
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	double mm = 0, sm = 0, rms = 0;
	char *p;
	ck_assert((p = strstr(out, "measured_mean_ms")) && sscanf(p, "measured_mean_ms %lf", &mm));
	ck_assert((p = strstr(out, "simulated_mean_ms")) &&
	          sscanf(p, "simulated_mean_ms %lf", &sm));
	ck_assert((p = strstr(out, "rms_ms")) && sscanf(p, "rms_ms %lf", &rms));
	printf("validate cheetah9LP: measured %.3f ms, simulated %.3f ms, rms %.3f ms\n", mm, sm,
	       rms);
	ck_assert_msg(fabs(sm - mm) / mm < 0.03, "mean %.3f vs %.3f", sm, mm);
	ck_assert_msg(rms < 2 * 0.107, "rms %.3f ms", rms);
	g_free(out);
}
END_TEST

/* Bounds checked before a run: the horizon of a time-bounded job and the memory of a
 * replay are refused with exit 2, and a run of 10^8 requests is still admitted.
 * 80 days at even 1,000 requests/s (slower than any device here) is 6.9e9 requests, past
 * the 10^9 bound; 10^8 raw requests keep no per-request statistics (a histogram) and fit
 * a 16 GiB limit. */
START_TEST(test_bounds_before_run)
{
	char *out;
	const char *far = tu_write("far.ini", "[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\n"
	                                      "time_based=1\nruntime=80d\n");
	int st = tu_sh(&out, "timeout 20 %s check %s", tu_prog(), far);
	ck_assert_msg(st == 2 && strstr(out, "far.ini:6: [j] runtime: the run would simulate"),
	              "%d: %s", st, out);
	g_free(out);
	const char *big = tu_write("e8.ini", "[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\n"
	                                     "number_ios=100000000\n");
	st = tu_sh(&out, "VNODESIM_MEM_LIMIT_MB=16384 %s check %s", tu_prog(), big);
	ck_assert_msg(st == 0, "10^8 requests refused: %d: %s", st, out);
	g_free(out);
	st = tu_sh(&out,
	           "VNODESIM_MEM_LIMIT_MB=10 %s replay tests/bad/ok.trace --format ascii --disk "
	           "disks/ssd.disk --out %s/never",
	           tu_prog(), tu_tmpdir());
	ck_assert_msg(st == 2 && strstr(out, "ok.trace: the replay of 2 requests would need"),
	              "%d: %s", st, out);
	g_free(out);
	char *never = g_build_filename(tu_tmpdir(), "never", NULL);
	ck_assert(!g_file_test(never, G_FILE_TEST_EXISTS));
	g_free(never);
}
END_TEST

/* The program under test by an absolute path (the commands below cd first). */
static const char *
abs_prog(void)
{
	static char *p;
	if (!p)
		p = g_canonicalize_filename(tu_prog(), NULL);
	return p;
}

/* fio's command-line form for run, --output-format/--output, --sim everywhere. */
START_TEST(test_fio_cmdline)
{
	const char *t = tu_tmpdir();
	char *out = NULL;
	/* 100 requests of 4 KiB (number_ios) for a; the file's job reads 1 MiB in the command
	 * line's 8 KiB blocks: 1048576 / 8192 = 128 requests.  "--KEY VALUE" as fio's getopt
	 * takes it, but not after a flag (--group_reporting) */
	const char *jf = tu_write("cl.fio", "[filejob]\nrw=read\nsize=1m\n");
	char *jfc = g_strdup(jf);
	int st = tu_sh(&out,
	               "cd %s && %s run --bs=8k --filename=cl.db --size=4m --name a --rw randread "
	               "--group_reporting --bs=4k --number_ios 100 %s --out r --output-format=json "
	               "2>/dev/null",
	               t, abs_prog(), jfc);
	ck_assert_msg(st == 0, "exit %d: %.500s", st, out);
	ck_assert_msg(out[0] == '{', "stdout is not the JSON: %.200s", out);
	JsonParser *p = json_parser_new();
	ck_assert_msg(json_parser_load_from_data(p, out, -1, NULL), "%.300s", out);
	JsonArray *jobs =
	    json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "jobs");
	ck_assert_uint_eq(json_array_get_length(jobs), 2);
	JsonObject *j0 = json_array_get_object_element(jobs, 0);
	JsonObject *j1 = json_array_get_object_element(jobs, 1);
	ck_assert_str_eq(json_object_get_string_member(j0, "jobname"), "a"); /* fio's order */
	ck_assert_str_eq(json_object_get_string_member(j1, "jobname"), "filejob");
	ck_assert_int_eq(
	    json_object_get_int_member(json_object_get_object_member(j0, "read"), "total_ios"),
	    100);
	ck_assert_int_eq(
	    json_object_get_int_member(json_object_get_object_member(j1, "read"), "total_ios"),
	    128);
	g_object_unref(p);
	/* the same document as the file in DIR; the scenario named after the job file */
	char *dir = g_build_filename(t, "r", NULL);
	char *rj = slurp(dir, "serial/result.json");
	ck_assert(rj && g_str_has_prefix(out, rj));
	char *sum = slurp(dir, "summary.csv");
	ck_assert_msg(strstr(sum, "\ncl,serial,"), "%.300s", sum);
	g_free(sum);
	g_free(rj);
	g_free(out);
	/* --output FILE: the table there (normal), nothing on stdout */
	st = tu_sh(&out,
	           "cd %s && %s run --name=solo --rw=read --size=1m --filename=s.db --out r2 "
	           "--output t.txt 2>/dev/null",
	           t, abs_prog());
	ck_assert_msg(st == 0 && out[0] == '\0', "exit %d, stdout '%.200s'", st, out);
	g_free(out);
	char *tab = slurp(t, "t.txt");
	ck_assert_msg(tab && strstr(tab, "policy") && strstr(tab, "solo"), "%s", tab);
	g_free(tab);
	sum = slurp(t, "r2/summary.csv"); /* no job file: named after the first job */
	ck_assert_msg(strstr(sum, "\nsolo,serial,"), "%.300s", sum);
	g_free(sum);
	/* bad options: exit 2, the argument named */
	static const struct {
		const char *args, *want;
	} bad[] = {
	    {"--name=a --rw=read --bs=4q", "argument 3 (--bs=4q): [a] bs:"},
	    {"--name=a --rw=read --frob=1", "argument 3 (--frob=1): [a] frob: unknown option"},
	    {"--rw=read --bs=4k", "no job (--name=NAME starts one)"},
	    {"--name=a --rw=read --output-format=xml", "--output-format"},
	    {"--name=a --rw=bogus", "argument 2 (--rw=bogus)"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		st = tu_sh(&out, "cd %s && %s run %s --out rb", t, abs_prog(), bad[i].args);
		ck_assert_msg(st == 2 && strstr(out, bad[i].want), "%s: exit %d: %s", bad[i].args,
		              st, out);
		g_free(out);
	}
	g_free(dir);
	g_free(jfc);
}
END_TEST

START_TEST(test_sim_option)
{
	/* a scenario split into a pure fio job file and its simulator file gives the bytes
	 * the combined file gives (both are named "sp": the file name without .ini/.fio) */
	const char *t = tu_tmpdir();
	char *out = NULL;
	tu_write("sp.fio", "[global]\nfilename=sp.db\nsize=16m\nbs=4k\ndirect=1\n"
	                   "rw=randrw\nnumber_ios=300\n[w]\nnumjobs=2\n[r]\nrw=randread\n");
	tu_write("sp.sim", "[fs]\nlayout=preallocated\n[disk]\nmodel=simple\nservice_us=50\n"
	                   "[job:w]\nconcurrent=1\n");
	tu_write("sp.ini", "[global]\nfilename=sp.db\nsize=16m\nbs=4k\ndirect=1\n"
	                   "rw=randrw\nnumber_ios=300\n[w]\nnumjobs=2\nconcurrent=1\n"
	                   "[r]\nrw=randread\n[fs]\nlayout=preallocated\n[disk]\nmodel=simple\n"
	                   "service_us=50\n");
	int st =
	    tu_sh(&out,
	          "cd %s && %s run sp.ini -p four-color -q --out a && %s run sp.fio --sim sp.sim "
	          "-p four-color -q --out b && cmp a/summary.csv b/summary.csv && cmp "
	          "a/four-color/result.json b/four-color/result.json && %s check sp.fio --sim "
	          "sp.sim && %s compare sp.fio --sim sp.sim --policies serial -q --out c && "
	          "cmp a/summary.csv b/summary.csv",
	          t, abs_prog(), abs_prog(), abs_prog(), abs_prog());
	ck_assert_msg(st == 0, "exit %d: %.1500s", st, out);
	g_free(out);
	/* without the sim file the job file alone is another scenario (no O_CONCURRENT, ssd) */
	st = tu_sh(&out,
	           "cd %s && %s run sp.fio -p four-color -q --out d && ! cmp -s "
	           "a/summary.csv d/summary.csv",
	           t, abs_prog());
	ck_assert_msg(st == 0, "exit %d: %.500s", st, out);
	g_free(out);
	/* a sweep's points read the sim file too */
	st = tu_sh(&out,
	           "cd %s && %s sweep sp.fio --sim sp.sim --vary disk.service_us=40,60 -p serial "
	           "--out sw --joblist jl.txt -q && grep -c -- '--sim %s/sp.sim' jl.txt",
	           t, abs_prog(), t);
	ck_assert_msg(st == 0 && atoi(out) == 2, "exit %d: %.500s", st, out);
	g_free(out);
	/* a sweep run with the sim file resumes while it is unchanged, reruns when it changes
	 * (the points' stamps hold its digest) */
	st = tu_sh(&out,
	           "cd %s && S='%s sweep sp.fio --sim sp.sim --vary disk.channels=1,2 -p serial "
	           "--out sw2 -j 1' && $S -q && $S 2>&1 | grep -q '2 of 2 points already done' && "
	           "sed -i s/service_us=50/service_us=60/ sp.sim && { $S > re.log 2>&1; echo "
	           "rc=$?; grep -c 'already done' re.log; }",
	           t, abs_prog());
	ck_assert_msg(strstr(out, "rc=0\n0\n"), "exit %d: %.500s", st, out);
	g_free(out);
	/* bad sim files: exit 2 naming FILE:LINE and the key, for every command */
	tu_write("bad.sim", "[disk]\nmodel=ssd\n[job:nojob]\nconcurrent=1\n");
	static const char *const cmds[] = {"run --out e", "check", "compare --out e",
	                                   "sweep --vary fs.cache_mb=1,2 --out e",
	                                   "vs-fio x.json --out e"};
	for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
		if (i == 4) /* vs-fio reads the JSON first */
			tu_write("x.json",
			         "{\"jobs\": [{\"jobname\": \"w\", \"read\": {\"total_ios\": 1, "
			         "\"iops\": 1, \"bw_bytes\": 1, \"clat_ns\": {\"mean\": 1}}, "
			         "\"write\": {\"total_ios\": 0, \"iops\": 0, \"bw_bytes\": 0, "
			         "\"clat_ns\": {}}}]}");
		st = tu_sh(&out, "cd %s && %s %s sp.fio --sim bad.sim", t, abs_prog(), cmds[i]);
		ck_assert_msg(st == 2 &&
		                  strstr(out, "bad.sim:3: [job:nojob]: no job named 'nojob'"),
		              "%s: exit %d: %s", cmds[i], st, out);
		g_free(out);
	}
}
END_TEST

Suite *
suite_cli(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_help_version);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_policies);
	tcase_add_test(tc, test_bad_scenario_names_line);
	tcase_add_test(tc, test_run_outputs);
	tcase_add_test(tc, test_determinism_and_set);
	tcase_add_test(tc, test_simgrid_options);
	tcase_add_test(tc, test_replay_formats);
	tcase_add_test(tc, test_replay_bad_traces);
	tcase_add_test(tc, test_validate_cheetah);
	tcase_add_test(tc, test_bounds_before_run);
	tcase_add_test(tc, test_fio_cmdline);
	tcase_add_test(tc, test_sim_option);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_sweep.c -- sweeps: the cross product and its summary columns, merging a split sweep
 * equals the sweep run at once, a sweep killed mid-run and restarted loses nothing and
 * redoes only what was missing, job lists run unchanged by sh (a Slurm array's way) and by
 * GNU parallel, and a directory holding another sweep is refused.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/testutil.h"

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

static char *
tmp(const char *name)
{
	return g_build_filename(tu_tmpdir(), name, NULL);
}

static void
sweep_ok(const char *fmt_args, const char *sc, const char *dir)
{
	char *out;
	char *args = g_strdup_printf(fmt_args, sc, dir);
	int st = tu_sh(&out, "%s sweep %s", tu_prog(), args);
	ck_assert_msg(st == 0, "sweep %s exited %d: %s", args, st, out);
	g_free(out);
	g_free(args);
}

START_TEST(test_cross_product)
{
	const char *sc = tu_write("tiny.ini", tiny);
	char *d = tmp("cross"), *out;
	int st = tu_sh(&out,
	               "%s sweep %s --vary global.bs=4k,64k,16k --vary host.cores=1,2 "
	               "--policies serial,none --out %s --jobs 2",
	               tu_prog(), sc, d);
	ck_assert_msg(st == 0 && strstr(out, "12 points (0 failed)"), "%d: %s", st, out);
	ck_assert_msg(!strchr(out, '\r'), "a progress bar without a terminal: %s", out);
	g_free(out);
	char *sum = slurp(d, "summary.csv");
	ck_assert(g_str_has_prefix(sum, "scenario,policy,seed,job,ops,"));
	ck_assert(strstr(sum, ",sim_seconds,events,global.bs,host.cores\n"));
	/* sizes sort as sizes, values are the last columns, 3 rows per point */
	ck_assert(strstr(sum, "\ntiny,serial,1,all,240,"));
	ck_assert(strstr(sum, ",4k,1\n") < strstr(sum, ",16k,1\n"));
	ck_assert(strstr(sum, ",16k,2\n") < strstr(sum, ",64k,1\n"));
	int rows = 0;
	for (const char *p = sum; (p = strchr(p, '\n')) && p[1]; p++)
		rows++;
	ck_assert_int_eq(rows, 12 * 3);
	g_free(sum);
	char *png = g_build_filename(d, "plots", "sweep.png", NULL);
	ck_assert(g_file_test(png, G_FILE_TEST_EXISTS));
	g_free(png);
	g_free(d);
}
END_TEST

START_TEST(test_merge_split)
{
	/* merging a sweep split by values, or by policies, equals the sweep run at once */
	const char *sc = tu_write("tiny.ini", tiny);
	char *all = tmp("whole"), *a = tmp("part-a"), *b = tmp("part-b"), *c = tmp("part-c"),
	     *e = tmp("part-d"), *m1 = tmp("merged-1"), *m2 = tmp("merged-2"), *out;
	sweep_ok("%s -q --vary host.cores=1,4 --policies serial,none --seeds 2 --out %s", sc, all);
	sweep_ok("%s -q --vary host.cores=4 --policies serial,none --seeds 2 --out %s", sc, a);
	sweep_ok("%s -q --vary host.cores=1 --policies serial,none --seeds 2 --out %s", sc, b);
	sweep_ok("%s -q --vary host.cores=1,4 --policies none --seeds 2 --out %s", sc, c);
	sweep_ok("%s -q --vary host.cores=1,4 --policies serial --seeds 2 --out %s", sc, e);
	ck_assert_int_eq(tu_sh(&out, "%s merge %s %s --out %s", tu_prog(), a, b, m1), 0);
	g_free(out);
	ck_assert_int_eq(tu_sh(&out, "%s merge %s %s --out %s -q", tu_prog(), c, e, m2), 0);
	g_free(out);
	char *s0 = slurp(all, "summary.csv"), *s1 = slurp(m1, "summary.csv"),
	     *s2 = slurp(m2, "summary.csv");
	ck_assert(s0 && strstr(s0, ",seeds,ops_ci95,") && strstr(s0, ",mean,all,"));
	ck_assert_str_eq(s0, s1);
	ck_assert_str_eq(s0, s2);
	g_free(s0);
	g_free(s1);
	g_free(s2);
	g_free(all);
	g_free(a);
	g_free(b);
	g_free(c);
	g_free(e);
	g_free(m1);
	g_free(m2);
}
END_TEST

static int
count_done(const char *dir, GPtrArray *names)
{
	char *pts = g_build_filename(dir, "points", NULL);
	GDir *d = g_dir_open(pts, 0, NULL);
	int n = 0;
	const char *e;
	while (d && (e = g_dir_read_name(d))) {
		char *p = g_build_filename(pts, e, NULL);
		char *s = g_build_filename(p, "summary.csv", NULL);
		char *t = g_build_filename(p, "timing.csv", NULL);
		char *k = g_build_filename(p, "stamp", NULL); /* written last: the point is done */
		if (g_file_test(s, G_FILE_TEST_EXISTS) && g_file_test(t, G_FILE_TEST_EXISTS) &&
		    g_file_test(k, G_FILE_TEST_EXISTS)) {
			n++;
			if (names)
				g_ptr_array_add(names, g_strdup(e));
		}
		g_free(s);
		g_free(t);
		g_free(k);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_free(pts);
	return n;
}

/* No file under DIR is truncated: every CSV ends with a newline and has whole rows. */
static void
assert_whole(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *e;
	while (d && (e = g_dir_read_name(d))) {
		char *p = g_build_filename(dir, e, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR)) {
			assert_whole(p);
		} else if (g_str_has_suffix(e, ".csv") || g_str_has_suffix(e, ".json")) {
			char *text = NULL;
			gsize len = 0;
			ck_assert(g_file_get_contents(p, &text, &len, NULL));
			ck_assert_msg(len > 0 && text[len - 1] == '\n', "%s is truncated", p);
			if (!strcmp(e, "summary.csv")) {
				char **l = g_strsplit(text, "\n", -1);
				int n0 = 0;
				for (char **x = l; *x && **x; x++) {
					char **f = g_strsplit(*x, ",", -1);
					int n = (int)g_strv_length(f);
					ck_assert_msg(x == l || n == n0, "%s: ragged row %s", p,
					              *x);
					n0 = n;
					g_strfreev(f);
				}
				g_strfreev(l);
			}
			g_free(text);
		}
		g_free(p);
	}
	if (d)
		g_dir_close(d);
}

START_TEST(test_kill_and_resume)
{
	/* io_size: without it size= ends each job after 64 requests (points of a few ms) */
	const char *sc = tu_write("slow.ini", "[global]\nfilename=shared\nsize=1m\nbs=16k\n"
	                                      "io_size=1g\nioengine=psync\nnumber_ios=1000\n"
	                                      "[writers]\nrw=randwrite\ndirect=1\nnumjobs=2\n"
	                                      "[readers]\nrw=randread\nnumjobs=2\n");
	char *d = tmp("killed"), *ref = tmp("unkilled"), *out;
	const char *sweep = "--vary host.cores=1,2,3,4,5,6 --policies serial,none -q --jobs 1";
	/* started in its own process group, killed (-9, the whole group) mid-run */
	char *pidf = tmp("sweep.pid");
	ck_assert_int_eq(tu_sh(NULL,
	                       "setsid sh -c 'echo $$ > %s; exec %s sweep %s %s --out %s' "
	                       ">/dev/null 2>&1 &",
	                       pidf, tu_prog(), sc, sweep, d),
	                 0);
	int done = 0;
	for (int i = 0; i < 3000 && done < 3; i++) {
		g_usleep(10000);
		done = count_done(d, NULL);
	}
	char *pid = NULL;
	ck_assert(g_file_get_contents(pidf, &pid, NULL, NULL));
	g_strchomp(pid);
	char *kout = NULL;
	int kst = tu_sh(&kout, "kill -9 -%s", pid);
	ck_assert_msg(kst == 0, "kill -9 -%s: %s (%d points done)", pid, kout, done);
	g_free(kout);
	g_usleep(200000);
	g_free(pid);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	done = count_done(d, names);
	ck_assert_msg(done >= 3 && done < 12, "killed after %d of 12 points", done);
	assert_whole(d);
	/* the done points, as they were */
	GPtrArray *stats = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < names->len; i++) {
		char *p = g_build_filename(d, "points", names->pdata[i], "summary.csv", NULL);
		struct stat *st = g_new(struct stat, 1);
		ck_assert(stat(p, st) == 0);
		g_ptr_array_add(stats, st);
		g_free(p);
	}
	int st = tu_sh(&out, "%s sweep %s %s --out %s", tu_prog(), sc, sweep, d);
	ck_assert_msg(st == 0, "restart exited %d: %s", st, out);
	char *msg =
	    g_strdup_printf("resuming: %d of 12 points already done, %d to run", done, 12 - done);
	ck_assert_msg(strstr(out, msg), "expected '%s' in: %s", msg, out);
	g_free(msg);
	g_free(out);
	for (guint i = 0; i < names->len; i++) { /* not redone */
		char *p = g_build_filename(d, "points", names->pdata[i], "summary.csv", NULL);
		struct stat now, *was = stats->pdata[i];
		ck_assert(stat(p, &now) == 0);
		ck_assert_msg(now.st_ino == was->st_ino && now.st_mtime == was->st_mtime,
		              "%s was redone", p);
		g_free(p);
	}
	ck_assert_int_eq(count_done(d, NULL), 12);
	assert_whole(d);
	/* nothing lost: the same summary as a sweep never interrupted */
	st = tu_sh(&out, "%s sweep %s %s --out %s", tu_prog(), sc, sweep, ref);
	ck_assert_msg(st == 0, "%s", out);
	g_free(out);
	char *s0 = slurp(ref, "summary.csv"), *s1 = slurp(d, "summary.csv");
	ck_assert_str_eq(s0, s1);
	g_free(s0);
	g_free(s1);
	g_ptr_array_free(stats, TRUE);
	g_ptr_array_free(names, TRUE);
	g_free(pidf);
	g_free(d);
	g_free(ref);
}
END_TEST

START_TEST(test_joblist)
{
	const char *sc = tu_write("tiny.ini", tiny);
	char *d = tmp("jl"), *jl = tmp("jobs.txt"), *ref = tmp("jl-ref"), *out;
	const char *sweep = "--vary host.cores=1,4 --policies serial,none";
	int st = tu_sh(&out, "%s sweep %s %s --out %s --joblist %s", tu_prog(), sc, sweep, d, jl);
	ck_assert_msg(st == 0 && strstr(out, "parallel"), "%d: %s", st, out);
	g_free(out);
	char *text = NULL;
	ck_assert(g_file_get_contents(jl, &text, NULL, NULL));
	char **lines = g_strsplit(g_strchomp(text), "\n", -1);
	ck_assert_int_eq(g_strv_length(lines), 4);
	/* no build path: vnodesim is $VNODESIM, else the program as the sweep was run
	 * (relative to the directory the lines run from) */
	char *word = g_strdup_printf("\"${VNODESIM:-%s}\" run ", tu_prog());
	char *cwd = g_get_current_dir();
	for (char **l = lines; *l; l++)
		ck_assert_msg(g_str_has_prefix(*l, word) && strstr(*l, "--set host.cores=") &&
		                  (g_path_is_absolute(tu_prog()) || !strstr(*l, cwd)),
		              "job line: %s", *l);
	/* a line runs unchanged by sh from the sweep's directory, and from anywhere with
	 * $VNODESIM set (the paths of a temporary folder stay absolute) */
	ck_assert_int_eq(tu_sh(&out, "sed -n 2p %s | sh", jl), 0);
	g_free(out);
	char *abs = g_canonicalize_filename(tu_prog(), NULL);
	ck_assert_int_eq(tu_sh(&out, "cd / && sed -n 2p %s | VNODESIM=%s sh", jl, abs), 0);
	g_free(out);
	g_free(abs);
	g_free(cwd);
	g_free(word);
	g_strfreev(lines);
	g_free(text);
	sweep_ok("%s -q --vary host.cores=1,4 --policies serial,none --out %s", sc, ref);
	char *s0 = slurp(ref, "summary.csv");
	if (tu_sh(NULL, "command -v parallel") != 0) {
		printf("SKIP: test_joblist GNU parallel part (parallel is not installed)\n");
	} else {
		st = tu_sh(&out, "parallel -j 2 --halt now,fail=1 < %s", jl);
		ck_assert_msg(st == 0, "parallel exited %d: %s", st, out);
		g_free(out);
		st = tu_sh(&out, "%s merge %s --out %s", tu_prog(), d, d);
		ck_assert_msg(st == 0 && !strstr(out, "not done"), "%d: %s", st, out);
		g_free(out);
		char *s1 = slurp(d, "summary.csv");
		ck_assert_str_eq(s0, s1);
		g_free(s1);
		/* and the sweep itself now finds every point done */
		st = tu_sh(&out, "%s sweep %s %s --out %s", tu_prog(), sc, sweep, d);
		ck_assert_msg(st == 0 && strstr(out, "4 of 4 points already done"), "%s", out);
		g_free(out);
	}
	g_free(s0);
	/* another sweep into the same directory is refused */
	st = tu_sh(&out, "%s sweep %s --vary host.cores=2 --out %s", tu_prog(), sc, d);
	ck_assert_msg(st == 2 && strstr(out, "another sweep"), "%d: %s", st, out);
	g_free(out);
	g_free(d);
	g_free(jl);
	g_free(ref);
}
END_TEST

/* Resume keys on every input: after the disk file named by spec= changes (rpm), no point
 * counts as done and every one reruns; unchanged, every one is reused. */
START_TEST(test_resume_inputs)
{
	char *disk = NULL;
	ck_assert(g_file_get_contents("disks/hp_c3323a.disk", &disk, NULL, NULL));
	ck_assert(strstr(disk, "\nrpm = 5396\n"));
	tu_write("resume.disk", disk);
	char *sc = g_strdup(tu_write("resume.ini",
	                             "[disk]\nspec=resume.disk\n[global]\nfilename=f\nsize=4m\n"
	                             "bs=4k\nioengine=psync\nnumber_ios=100\n"
	                             "[r]\nrw=randread\ndirect=1\nnumjobs=2\n"));
	char *d = tmp("resume"), *out;
	const char *sweep = "--vary host.cores=1,2 --policies serial -q";
	int st = tu_sh(&out, "%s sweep %s %s --out %s", tu_prog(), sc, sweep, d);
	ck_assert_msg(st == 0, "%d: %s", st, out);
	g_free(out);
	char *s0 = slurp(d, "summary.csv");
	st = tu_sh(&out, "%s sweep %s %s --out %s", tu_prog(), sc, sweep, d);
	ck_assert_msg(st == 0 && strstr(out, "2 of 2 points already done, 0 to run"), "%s", out);
	g_free(out);
	memcpy(strstr(disk, "\nrpm = 5396\n"), "\nrpm = 9999\n", 12);
	tu_write("resume.disk", disk);
	st = tu_sh(&out, "%s sweep %s %s --out %s", tu_prog(), sc, sweep, d);
	ck_assert_msg(st == 0 && !strstr(out, "already done"), "stale points reused: %s", out);
	g_free(out);
	char *s1 = slurp(d, "summary.csv");
	ck_assert_msg(s0 && s1 && strcmp(s0, s1) != 0, "the faster disk changed nothing");
	g_free(s0);
	g_free(s1);
	g_free(disk);
	g_free(sc);
	g_free(d);
}
END_TEST

/* The state letter of process PID ('\0' when it is gone; 'Z' once it has exited). */
static char
proc_state(const char *pid)
{
	char *p = g_strdup_printf("/proc/%s/stat", pid), *text = NULL;
	char st = '\0';
	if (g_file_get_contents(p, &text, NULL, NULL)) {
		const char *r = strrchr(text, ')');
		if (r && r[1] == ' ')
			st = r[2];
	}
	g_free(text);
	g_free(p);
	return st;
}

/* Every file under DIR with its size and modification time, one line each, sorted. */
static char *
listing(const char *dir)
{
	char *out = NULL;
	tu_sh(&out, "find %s -type f -printf '%%p %%s %%T@\\n' | sort", dir);
	return out;
}

/* SIGINT to a sweep stops and reaps its points' runs (and their simulations) before it says
 * what was removed: afterwards no process of it is left and nothing under its folder changes;
 * no temporary file is left.  Each point runs for many minutes of wall time (time_based, ten
 * minutes of simulated time, about 5e8 requests: size= alone would end a job after 64
 * requests, and points that end before the signal test nothing), so exactly the two first
 * points are running when it comes. */
START_TEST(test_interrupt_reaps)
{
	const char *sc = tu_write("intr.ini", "[global]\nfilename=shared\nsize=1m\nbs=16k\n"
	                                      "ioengine=psync\ntime_based=1\nruntime=600\n"
	                                      "[writers]\nrw=randwrite\ndirect=1\nnumjobs=2\n"
	                                      "[readers]\nrw=randread\nnumjobs=2\n");
	char *d = tmp("intr"), *pidf = tmp("intr.pid"), *errf = tmp("intr.err");
	ck_assert_int_eq(tu_sh(NULL,
	                       "setsid sh -c 'echo $$ > %s; exec %s sweep %s --vary "
	                       "host.cores=1,2,3,4 --policies serial --jobs 2 --out %s' "
	                       ">/dev/null 2>%s &",
	                       pidf, tu_prog(), sc, d, errf),
	                 0);
	/* both first points running: their logs exist */
	char *l1 = g_build_filename(d, "points", "host.cores=1,serial,seed-1", "log.txt", NULL);
	char *l2 = g_build_filename(d, "points", "host.cores=2,serial,seed-1", "log.txt", NULL);
	for (int i = 0; i < 1000 && !(g_file_test(l1, G_FILE_TEST_EXISTS) &&
	                              g_file_test(l2, G_FILE_TEST_EXISTS));
	     i++)
		g_usleep(10000);
	ck_assert(g_file_test(l1, G_FILE_TEST_EXISTS) && g_file_test(l2, G_FILE_TEST_EXISTS));
	g_usleep(100000);
	char *pid = NULL;
	ck_assert(g_file_get_contents(pidf, &pid, NULL, NULL));
	g_strchomp(pid);
	ck_assert_int_eq(tu_sh(NULL, "kill -INT %s", pid), 0);
	char state = 'R';
	for (int i = 0; i < 1000 && state && state != 'Z'; i++) {
		g_usleep(10000);
		state = proc_state(pid);
	}
	ck_assert_msg(!state || state == 'Z', "the sweep is still running after SIGINT");
	char *err = NULL;
	ck_assert(g_file_get_contents(errf, &err, NULL, NULL));
	ck_assert_msg(strstr(err, "interrupted by SIGINT: stopped 2 running simulations"), "%s",
	              err);
	/* no process of the sweep left (its runs and their simulations name its folder) */
	char *ps = NULL;
	tu_sh(&ps, "ps -eo stat=,args= | grep -F -- '%s' | grep -v -e grep -e '^Z' || true", d);
	ck_assert_msg(!ps || !*ps, "still running after the sweep said it stopped: %s", ps);
	char *a = listing(d);
	g_usleep(500000);
	char *b = listing(d);
	ck_assert_msg(!strcmp(a, b), "files changed after the sweep exited:\n%s---\n%s", a, b);
	ck_assert_msg(!strstr(a, ".tmp ") && !strstr(a, ".part "), "temporaries left: %s", a);
	g_free(a);
	g_free(b);
	g_free(ps);
	g_free(err);
	g_free(pid);
	g_free(l1);
	g_free(l2);
	g_free(d);
	g_free(pidf);
	g_free(errf);
}
END_TEST

/* Point folder names: values that slug to the same name (a/b, a_b) or are longer than
 * NAME_MAX get safe unique names, recorded in sweep.json; every point runs and is merged.
 * --joblist planted as a symlink or a FIFO is replaced, never written through. */
START_TEST(test_point_names)
{
	char *sc = g_strdup(tu_write("names.ini", tiny));
	char *d = tmp("names"), *out;
	char *longv = g_strnfill(300, 'x');
	int st = tu_sh(&out,
	               "%s sweep %s --vary global.description=a/b,a_b,%s --policies serial -q "
	               "--out %s",
	               tu_prog(), sc, longv, d);
	ck_assert_msg(st == 0, "%d: %s", st, out);
	g_free(out);
	char *pts = g_build_filename(d, "points", NULL);
	GDir *dir = g_dir_open(pts, 0, NULL);
	ck_assert(dir);
	int n = 0;
	const char *e;
	char *def = slurp(d, "sweep.json");
	while ((e = g_dir_read_name(dir))) {
		n++;
		ck_assert_msg(strlen(e) <= 255, "%zu bytes: %s", strlen(e), e);
		char *q = g_strdup_printf("\"name\" : \"%s\"", e);
		ck_assert_msg(strstr(def, q), "%s is not in sweep.json", e);
		g_free(q);
	}
	g_dir_close(dir);
	ck_assert_int_eq(n, 3); /* three values, three folders */
	char *sum = slurp(d, "summary.csv");
	int all = 0;
	for (const char *p = sum; (p = strstr(p, ",all,")); p++)
		all++;
	ck_assert_int_eq(all, 3);
	g_free(sum);
	g_free(def);
	g_free(pts);
	/* a job list planted as a symlink to a victim, or as a FIFO */
	const char *victim = tu_write("victim.txt", "keep me\n");
	char *jl = tmp("planted.txt"), *fifo = tmp("planted.fifo");
	ck_assert_int_eq(symlink(victim, jl), 0);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	for (int i = 0; i < 2; i++) {
		const char *f = i ? fifo : jl;
		char *o = tmp(i ? "jl-fifo" : "jl-link");
		st = tu_sh(&out,
		           "timeout 20 %s sweep %s --vary host.cores=1,2 --out %s --joblist %s",
		           tu_prog(), sc, o, f);
		g_free(o);
		ck_assert_msg(st == 0, "%d: %s", st, out);
		g_free(out);
		struct stat sb;
		ck_assert(lstat(f, &sb) == 0 && S_ISREG(sb.st_mode));
	}
	char *v = NULL;
	ck_assert(g_file_get_contents(victim, &v, NULL, NULL));
	ck_assert_str_eq(v, "keep me\n");
	g_free(v);
	g_free(jl);
	g_free(fifo);
	g_free(longv);
	g_free(d);
	g_free(sc);
}
END_TEST

/* A sweep's points running at once share the memory: 2,000 threads reading 20 requests
 * each are estimated at 142.7 MiB (4 KiB) and 173.2 MiB (8 KiB) a run, so under a 200 MiB
 * limit both points fit one at a time (--jobs 1: exit 0) and neither as one of two at once
 * (--jobs 2: 285 and 346 MiB; each point refuses itself, naming the runs at once, and the
 * sweep fails). */
START_TEST(test_parallel_memory)
{
	const char *sc = tu_write("mem.ini", "[w]\nfilename=f\nsize=1m\nbs=4k\nrw=randread\n"
	                                     "number_ios=20\nnumjobs=2000\n"
	                                     "[disk]\nmodel=simple\nservice_us=10\n");
	char *out;
	int st = tu_sh(&out,
	               "VNODESIM_MEM_LIMIT_MB=200 %s sweep %s --vary w.bs=4k,8k --policies serial "
	               "--jobs 2 --out %s/mem2",
	               tu_prog(), sc, tu_tmpdir());
	ck_assert_msg(st != 0 && strstr(out, "2 runs at once"), "exit %d: %s", st, out);
	g_free(out);
	st = tu_sh(&out,
	           "VNODESIM_MEM_LIMIT_MB=200 %s sweep %s --vary w.bs=4k,8k --policies serial "
	           "--jobs 1 --out %s/mem1",
	           tu_prog(), sc, tu_tmpdir());
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
}
END_TEST

/* merge refuses a sweep with points not done (exit 2), naming each of them, and writes
 * nothing; --allow-missing merges the others */
START_TEST(test_merge_missing)
{
	const char *sc = tu_write("tiny.ini", tiny);
	char *d = tmp("miss"), *jl = tmp("miss.txt"), *out;
	int st = tu_sh(&out,
	               "%s sweep %s --vary host.cores=1,4 --policies serial,none --out %s "
	               "--joblist %s -q",
	               tu_prog(), sc, d, jl);
	ck_assert_msg(st == 0, "%d: %s", st, out);
	g_free(out);
	/* the first three lines only: host.cores=4,none is not done */
	ck_assert_int_eq(tu_sh(&out, "head -n 3 %s | sh", jl), 0);
	g_free(out);
	st = tu_sh(&out, "%s merge %s --out %s", tu_prog(), d, d);
	ck_assert_msg(st == 2 && strstr(out, "1 point not done") &&
	                  strstr(out, "points/host.cores=4,none,seed-1") &&
	                  !strstr(out, "host.cores=1,none"),
	              "%d: %s", st, out);
	g_free(out);
	char *sum = g_build_filename(d, "summary.csv", NULL);
	ck_assert(!g_file_test(sum, G_FILE_TEST_EXISTS));
	st = tu_sh(&out, "%s merge %s --out %s --allow-missing", tu_prog(), d, d);
	ck_assert_msg(st == 0 && strstr(out, "1 point not done yet"), "%d: %s", st, out);
	g_free(out);
	char *text = slurp(d, "summary.csv");
	ck_assert(text);
	int none4 = 0, serial4 = 0; /* rows of host.cores=4 (the last column) per policy */
	char **rows = g_strsplit(text, "\n", -1);
	for (char **r = rows; *r; r++) {
		none4 += g_str_has_prefix(*r, "tiny,none,") && g_str_has_suffix(*r, ",4");
		serial4 += g_str_has_prefix(*r, "tiny,serial,") && g_str_has_suffix(*r, ",4");
	}
	g_strfreev(rows);
	ck_assert_msg(none4 == 0 && serial4 == 3, "%s", text); /* writers, readers, all */
	g_free(text);
	g_free(sum);
	g_free(d);
	g_free(jl);
}
END_TEST

/* --slurm's script and job list without a cluster: chunks under --slurm-max-array, the
 * throttle, --mem from the memory guard's estimate, no absolute path of the program; the
 * Slurm options need --slurm.  (tests/test_slurm.c runs one on a real Slurm.) */
START_TEST(test_slurm_script)
{
	const char *sc = tu_write("tiny.ini", tiny);
	char *d = tmp("slurm"), *f = tmp("sw.sh"), *out;
	int st = tu_sh(&out,
	               "PATH=/usr/bin:/bin %s sweep %s --vary host.cores=1,2,3,4,5 --policies "
	               "serial --out %s --slurm %s --slurm-max-array 2 --slurm-throttle 3",
	               tu_prog(), sc, d, f);
	ck_assert_msg(st == 0 && strstr(out, "5 points") &&
	                  strstr(out, "3 array jobs of at most 2"),
	              "%d: %s", st, out);
	g_free(out);
	char *script = NULL, *jl = NULL, *jlf = g_strconcat(f, ".joblist", NULL);
	ck_assert(g_file_get_contents(f, &script, NULL, NULL));
	ck_assert(g_file_get_contents(jlf, &jl, NULL, NULL));
	/* 5 points in chunks of 2: offsets 0, 2, 4; indices 0-1, 0-1, 0-0 */
	ck_assert_msg(strstr(script, "--array=0-1%3 --output=") &&
	                  strstr(script, "--array=0-0%3 --output=") &&
	                  strstr(script, "/%x-%A_%a.out \"$@\" \"$0\" point 0)") &&
	                  strstr(script, "/%x-%A_%a.out \"$@\" \"$0\" point 2)") &&
	                  strstr(script, "/%x-%A_%a.out \"$@\" \"$0\" point 4)") &&
	                  strstr(script, "--dependency=afterany$ids") &&
	                  g_file_test(f, G_FILE_TEST_IS_EXECUTABLE),
	              "%s", script);
	/* --mem: the guard's estimate x 1.5 in MiB; the estimate holds 64 MiB fixed, so at
	 * least 96 and, for this tiny run, well under 1 GiB */
	const char *m = strstr(script, "#SBATCH --mem=");
	ck_assert(m);
	long mem = strtol(m + 14, NULL, 10);
	ck_assert_msg(mem >= 96 && mem < 1024, "--mem=%ldM", mem);
	char *cwd = g_get_current_dir();
	if (!g_path_is_absolute(tu_prog()))
		ck_assert_msg(!strstr(script, cwd) && !strstr(jl, cwd), "%s\n%s", script, jl);
	ck_assert_int_eq(g_strv_length(g_strsplit(g_strchomp(jl), "\n", -1)), 5);
	g_free(cwd);
	/* a task of the array: line OFFSET + SLURM_ARRAY_TASK_ID + 1 (here 2 + 1 + 1 = 4) */
	st = tu_sh(&out, "SLURM_ARRAY_TASK_ID=1 sh %s point 2 && ls %s/points", f, d);
	ck_assert_msg(st == 0 && strstr(out, "host.cores=4,serial,seed-1") &&
	                  !strstr(out, "host.cores=3,"),
	              "%d: %s", st, out);
	g_free(out);
	st = tu_sh(&out, "SLURM_ARRAY_TASK_ID=1 sh %s point 4", f);
	ck_assert_msg(st == 2 && strstr(out, "no line 6"), "%d: %s", st, out);
	g_free(out);
	/* the merge job names the four points not done */
	st = tu_sh(&out, "sh %s merge", f);
	ck_assert_msg(st == 2 && strstr(out, "4 points not done"), "%d: %s", st, out);
	g_free(out);
	st = tu_sh(&out, "%s sweep %s --vary host.cores=1 --slurm-throttle 3", tu_prog(), sc);
	ck_assert_msg(st == 2 && strstr(out, "go with --slurm"), "%d: %s", st, out);
	g_free(out);
	g_free(script);
	g_free(jl);
	g_free(jlf);
	g_free(f);
	g_free(d);
}
END_TEST

Suite *
suite_sweep(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("sweep");
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_cross_product);
	tcase_add_test(tc, test_merge_split);
	tcase_add_test(tc, test_kill_and_resume);
	tcase_add_test(tc, test_joblist);
	tcase_add_test(tc, test_merge_missing);
	tcase_add_test(tc, test_slurm_script);
	tcase_add_test(tc, test_resume_inputs);
	tcase_add_test(tc, test_interrupt_reaps);
	tcase_add_test(tc, test_point_names);
	tcase_add_test(tc, test_parallel_memory);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_host.c -- the host model (docs/host.md): the per-request kernel path split by stage,
 * the wake-up latency of every hand-off, a range structure's walk serialized under its own
 * mutex, and the [host] profiles.  Every expected value is a closed form worked out in the
 * comment beside it; whole runs go through build/vnodesim (tu_sh).
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

/* Run TEXT (a scenario) under POLICY; returns the field COLUMN of its "all" row. */
static double
run_field(const char *name, const char *text, const char *policy, const char *column)
{
	const char *sc = tu_write(name, text);
	char *base = g_strconcat(name, ".out", NULL);
	char *dir = g_build_filename(tu_tmpdir(), base, NULL), *out;
	g_free(base);
	int st = tu_sh(&out, "%s run %s -q --out %s --policy %s", tu_prog(), sc, dir, policy);
	ck_assert_msg(st == 0, "%s: exit %d: %s", name, st, out);
	double v = tu_summary_field(dir, policy, "all", column);
	g_free(out);
	g_free(dir);
	return v;
}

/* One thread, direct 4 KiB writes to a preallocated file, the simple device (L = 100 us). */
static const char one_thread[] =
    "[global]\nfilename=shared\nsize=1m\nbs=4k\ndirect=1\nrw=write\nnumber_ios=200\n"
    "ioengine=psync\n[t0]\noffset=0\n"
    "[disk]\nmodel=simple\nservice_us=100\nchannels=2\ncapacity_gb=1\n"
    "[fs]\nlayout=preallocated\n[policy]\nname=serial\n";

START_TEST(test_stages_sum)
{
	/* A single thread's request = entry/exit + file system + block submit + completion
	 * (CPU) + the wake-up after its I/O + the device:
	 *   1 + 2 + 3 + 4 + 5 + 100 = 115 us, so 1e6 / 115 = 8695.652 writes/s. */
	char *text = g_strdup_printf("%s[host]\nprofile=ideal\nsyscall_entry_ns=1000\n"
	                             "fs_path_ns=2000\nblk_submit_ns=3000\ncompletion_ns=4000\n"
	                             "wake_ns=5000\n",
	                             one_thread);
	tu_near(run_field("stages.ini", text, "serial", "lat_mean_us"), 115, 1e-6, "latency");
	tu_near(run_field("stages.ini", text, "serial", "write_iops"), 1e6 / 115, 1e-6, "writes/s");
	g_free(text);
}
END_TEST

START_TEST(test_syscall_alias)
{
	/* syscall_ns (the single figure of before) is the sum of the four stages.  ideal:
	 * they are all 0, so it all goes to the entry stage: 10 + 100 = 110 us. */
	char *text = g_strdup_printf("%s[host]\nprofile=ideal\nsyscall_ns=10000\n", one_thread);
	tu_near(run_field("alias.ini", text, "serial", "lat_mean_us"), 110, 1e-6, "ideal");
	g_free(text);
	/* linux-x86 with its other costs set to 0: syscall_ns=1005 is split 202.5 : 300 over
	 * entry and file system (2 x 502.5 = 1005), whatever the split the sum is 1.005 us:
	 * 101.005 us a request. */
	text = g_strdup_printf("%s[host]\nprofile=linux-x86\nsyscall_ns=1005\nwake_ns=0\n"
	                       "lock_op_ns=0\nlock_node_ns=0\nlock_cacheline_ns=0\n"
	                       "page_lookup_ns=0\n",
	                       one_thread);
	tu_near(run_field("alias.ini", text, "serial", "lat_mean_us"), 101.005, 1e-6, "linux-x86");
	g_free(text);
	/* and an explicit stage key overrides its share: entry 0, file system 600 ns left */
	text = g_strdup_printf("%s[host]\nprofile=linux-x86\nsyscall_ns=1005\nwake_ns=0\n"
	                       "lock_op_ns=0\nlock_node_ns=0\nlock_cacheline_ns=0\n"
	                       "page_lookup_ns=0\nsyscall_entry_ns=0\n",
	                       one_thread);
	tu_near(run_field("alias.ini", text, "serial", "lat_mean_us"), 100.6, 1e-6, "override");
	g_free(text);
}
END_TEST

/* N = 4 threads, direct 4 KiB writes to disjoint ranges, the simple device with C = 2
 * channels of L = 100 us, every cost 0 but the wake-up W = 20 us. */
static const char convoy[] =
    "[global]\nfilename=shared\nsize=1m\nbs=4k\ndirect=1\nrw=write\nnumber_ios=200\n"
    "ioengine=psync\n[t0]\noffset=0\n[t1]\noffset=1m\n[t2]\noffset=2m\n[t3]\noffset=3m\n"
    "[disk]\nmodel=simple\nservice_us=100\nchannels=2\ncapacity_gb=1\n"
    "[fs]\nlayout=preallocated\n[host]\nprofile=ideal\nwake_ns=20000\n[policy]\nname=serial\n";

START_TEST(test_convoy)
{
	/* serial: the writers hold the vnode lock exclusive across their I/O.  Each grant is a
	 * hand-off to a sleeping waiter, which runs W after it; then its I/O (L); then the
	 * wake-up after the I/O (W), still holding the lock.  The lock is busy L + 2W per
	 * request: 1e6 / 140 = 7142.857 writes/s (800 requests: 800 hand-offs less the first
	 * four grants, which wait for nobody -- within 0.1%).  Without the wake-up it was
	 * 1/L = 10,000. */
	tu_near(run_field("convoy.ini", convoy, "serial", "write_iops"), 1e6 / 140, 1e-3, "serial");
	/* xfs shares aligned overwrites: no hand-off, each thread L + W, C = 2 channels
	 * shared by 4 threads: the device is the bound, C / L = 20,000 writes/s */
	tu_near(run_field("convoy.ini", convoy, "xfs", "write_iops"), 20000, 1e-3, "xfs");
}
END_TEST

/* 32 threads of direct 4 KiB random writes under extent-list (a range lock), the device
 * never the bound (32 channels of 100 us: 320,000/s), each lock operation 10 us of the
 * structure's work, nothing else. */
static const char walks[] =
    "[global]\nfilename=big\nsize=1g\nbs=4k\ndirect=1\nrw=randwrite\nioengine=psync\n"
    "runtime=0.05\ntime_based\n[w]\nnumjobs=32\n"
    "[disk]\nmodel=simple\nservice_us=100\nchannels=32\ncapacity_gb=2\n"
    "[fs]\nlayout=preallocated\n[policy]\nname=extent-list\n"
    "[host]\nprofile=ideal\nlock_op_ns=10000\n";

START_TEST(test_serialized_walk)
{
	/* Under its own mutex, the range structure does one walk at a time: each request
	 * makes two (acquire, release) of 10 us, so at most 1 / 20 us = 50,000 requests/s,
	 * whatever the number of cores (the 32 threads keep the mutex always busy).  The
	 * cores only have to be enough for the CPU: 40 us a request in all (the two walks
	 * and the getpages lock's two operations), 4 cores: 100,000/s, above the cap. */
	static const int cores[] = {4, 64};
	for (size_t i = 0; i < G_N_ELEMENTS(cores); i++) {
		char *text = g_strdup_printf("%scores=%d\n", walks, cores[i]);
		char what[32];
		snprintf(what, sizeof what, "%d cores", cores[i]);
		tu_near(run_field("walks.ini", text, "extent-list", "write_iops"), 50000, 0.01,
		        what);
		g_free(text);
	}
	/* range_mutex=0 (the walk charged as parallel CPU, as before): 64 cores, and the
	 * getpages lock's two operations (10 us each, whole-file: always parallel) as well,
	 * 100 + 4 x 10 = 140 us a request and 32 / 140 us = 228,571/s -- far above the cap
	 * (disjoint random ranges rarely collide; 5% for those that do). */
	char *text = g_strdup_printf("%scores=64\nrange_mutex=0\n", walks);
	tu_near(run_field("walks.ini", text, "extent-list", "write_iops"), 32e6 / 140, 0.05,
	        "parallel");
	g_free(text);
}
END_TEST

START_TEST(test_profiles)
{
	/* every profile loads and runs; result.json names it */
	static const char *const names[] = {"linux-x86", "linux-x86-nopti", "ideal", "core2-e7500",
	                                    "xeon-gold-6140"};
	/* each profile's core count (the published machines': Intel ARK, sim/run.c) */
	static const char *const cores[] = {"8", "8", "8", "2", "18"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *text = g_strdup_printf("%s[host]\nprofile=%s\n", one_thread, names[i]);
		const char *sc = tu_write("prof.ini", text);
		char *dir = g_build_filename(tu_tmpdir(), "prof", NULL), *out;
		int st = tu_sh(&out,
		               "%s run %s -q --out %s --policy serial && grep -c "
		               "'\"profile\" *: *\"%s\"' %s/serial/result.json && grep -c "
		               "'\"cores\" *: *\"%s\"' %s/serial/result.json",
		               tu_prog(), sc, dir, names[i], dir, cores[i], dir);
		ck_assert_msg(st == 0, "%s: exit %d: %s", names[i], st, out);
		g_free(out);
		g_free(dir);
		g_free(text);
	}
	/* an unknown profile: FILE:LINE, the key, exit status 2 */
	char *text = g_strdup_printf("%s[host]\nprofile=cray-1\n", one_thread);
	const char *sc = tu_write("badprof.ini", text);
	int line = 1;
	for (const char *p = text; *p; p++)
		line += *p == '\n';
	char *out, *where = g_strdup_printf("badprof.ini:%d", line - 1);
	int st = tu_sh(&out, "%s run %s -q --out %s/bp", tu_prog(), sc, tu_tmpdir());
	ck_assert_msg(st == 2, "exit %d: %s", st, out);
	ck_assert_msg(strstr(out, where) && strstr(out, "profile") && strstr(out, "cray-1"),
	              "message: %s", out);
	g_free(where);
	g_free(out);
	g_free(text);
}
END_TEST

Suite *
suite_host(void)
{
	Suite *s = suite_create("host");
	TCase *tc = tcase_create("closed");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_stages_sum);
	tcase_add_test(tc, test_syscall_alias);
	tcase_add_test(tc, test_convoy);
	tcase_add_test(tc, test_serialized_walk);
	tcase_add_test(tc, test_profiles);
	suite_add_tcase(s, tc);
	return s;
}

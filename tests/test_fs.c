/*
 * test_fs.c -- the file system model through whole runs: the closed form of DESIGN.md §7
 * for every policy, the oracle's verdicts on a policy that is too weak, fallbacks by reason,
 * write-back, fsync and O_DSYNC metadata writes, block allocation, lock statistics and the
 * lock timeline.
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

/* Field FIELD (0-based) of the summary row for POLICY and JOB. */
static double
summary_field(const char *dir, const char *policy, const char *job, int field)
{
	char *path = g_build_filename(dir, "summary.csv", NULL), *text = NULL;
	ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "no %s", path);
	double v = NAN;
	char **lines = g_strsplit(text, "\n", -1);
	for (char **l = lines + 1; *l && **l; l++) {
		char **f = g_strsplit(*l, ",", -1);
		if (!strcmp(f[1], policy) && !strcmp(f[3], job))
			v = g_ascii_strtod(f[field], NULL);
		g_strfreev(f);
	}
	g_strfreev(lines);
	g_free(text);
	g_free(path);
	ck_assert_msg(!isnan(v), "no row %s/%s in %s", policy, job, dir);
	return v;
}

static char *
json_of(const char *dir, const char *policy)
{
	char *path = g_build_filename(dir, policy, "result.json", NULL), *text = NULL;
	ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "no %s", path);
	g_free(path);
	return text;
}

/* The number after "KEY" : in TEXT. */
static double
json_num(const char *text, const char *key)
{
	char *pat = g_strdup_printf("\"%s\" : ", key);
	const char *p = strstr(text, pat);
	ck_assert_msg(p, "no %s in result.json", key);
	double v = g_ascii_strtod(p + strlen(pat), NULL);
	g_free(pat);
	return v;
}

enum { F_OPS = 4, F_RIOPS = 5, F_WIOPS = 6, F_VWAIT = 14, F_GWAIT = 15, F_RWAIT = 16,
       F_TORN_R = 19, F_TORN_W = 20, F_STALE = 21, F_LOST = 22 };

static const char closed_form[] =
	"; N=4 threads, non-overlapping direct 4 KiB writes to one preallocated file, on the\n"
	"; simple device with C=2 channels of L=100 us, every host cost 0.\n"
	"[global]\nfilename=shared\nsize=1m\nbs=4k\ndirect=1\nrw=write\nnumber_ios=250\n"
	"ioengine=psync\n"
	"[t0]\noffset=0\n[t1]\noffset=1m\n[t2]\noffset=2m\n[t3]\noffset=3m\n"
	"[disk]\nmodel=simple\nservice_us=100\nchannels=2\ncapacity_gb=1\n"
	"[host]\nsyscall_ns=0\npage_lookup_ns=0\nlock_op_ns=0\nlock_node_ns=0\n"
	"lock_cacheline_ns=0\n";

START_TEST(test_closed_form)
{
	/* serial: one write at a time: 1 / L = 10,000 writes/s; every policy that lets these
	 * writes share: min(N, C) / L = 20,000 writes/s (DESIGN.md §7). */
	static const struct {
		const char *policy;
		double iops;
	} cases[] = {{"serial", 10000},	     {"two-color", 20000},   {"four-color", 20000},
		     {"xfs", 20000},	     {"extent-list", 20000}, {"extent-tree", 20000},
		     {"range-color", 20000}, {"none", 20000}};
	const char *sc = tu_write("closed.ini", closed_form);
	char *dir = g_build_filename(tu_tmpdir(), "closed", NULL), *out;
	int st = tu_sh(&out, "%s run %s -q --out %s --policy serial,two-color,four-color,xfs,"
			     "extent-list,extent-tree,range-color,none",
		       tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		double w = summary_field(dir, cases[i].policy, "all", F_WIOPS);
		ck_assert_msg(fabs(w - cases[i].iops) / cases[i].iops < 1e-6,
			      "%s: %.3f writes/s, closed form %.0f", cases[i].policy, w,
			      cases[i].iops);
		ck_assert_int_eq((int)summary_field(dir, cases[i].policy, "all", F_OPS), 1000);
	}
	/* serial waited for the vnode lock, the range policies report range waits instead */
	ck_assert(summary_field(dir, "serial", "all", F_VWAIT) > 0);
	ck_assert(summary_field(dir, "extent-tree", "all", F_VWAIT) == 0);
	g_free(dir);
}
END_TEST

static const char overlapping[] =
	"; 3 buffered writers and 3 buffered readers of 64 KiB on a 256 KiB file: constant\n"
	"; overlap.  Jitter lets copies interleave in every way.\n"
	"[global]\nfilename=shared\nsize=256k\nbs=64k\nioengine=psync\nnumber_ios=300\n"
	"[writers]\nrw=randwrite\nnumjobs=3\n[readers]\nrw=randread\nnumjobs=3\n"
	"[sim]\njitter=0.5\n";

START_TEST(test_oracle_weak_policy)
{
	/* none must show torn reads and torn writes; every locking policy must show no
	 * violation (DESIGN.md §3.5).  No stale reads are possible here, even with none: every
	 * copy is to or from the cache (256 KiB, all cached), so once a write W completed, each
	 * of its sectors holds W or a version that landed after it, whose first landing (its
	 * rank) is later than W's.  Stale reads need two places: see test_stale_window. */
	const char *sc = tu_write("overlap.ini", overlapping);
	char *dir = g_build_filename(tu_tmpdir(), "overlap", NULL), *out;
	int st = tu_sh(&out, "%s run %s -q --out %s --policy none,serial,extent-list,extent-tree,"
			     "two-color,four-color,xfs,range-color",
		       tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	ck_assert(summary_field(dir, "none", "all", F_TORN_R) > 0);
	ck_assert(summary_field(dir, "none", "all", F_TORN_W) > 0);
	ck_assert(summary_field(dir, "none", "all", F_STALE) == 0);
	static const char *const safe[] = {"serial",	 "extent-list", "extent-tree", "two-color",
					   "four-color", "xfs",		"range-color"};
	for (size_t i = 0; i < G_N_ELEMENTS(safe); i++)
		for (int f = F_TORN_R; f <= F_LOST; f++)
			ck_assert_msg(summary_field(dir, safe[i], "all", f) == 0,
				      "%s: field %d is %g", safe[i], f,
				      summary_field(dir, safe[i], "all", f));
	g_free(dir);
}
END_TEST

START_TEST(test_fallbacks_and_alloc)
{
	/* direct writes: 100 unaligned (bs=1000) fall back for alignment; with
	 * direct_alloc=fallback, 100 aligned writes into a sparse file fall back for
	 * allocation; with allocate, they stay direct and allocate 100 blocks. */
	const char *sc = tu_write("fb.ini", "[global]\nioengine=psync\ndirect=1\nrw=write\n"
					    "number_ios=100\n"
					    "[unaligned]\nfilename=a\nsize=1m\nbs=1000\n"
					    "[aligned]\nfilename=b\nsize=1m\nbs=4k\n"
					    "[fs]\nlayout=sparse\ndirect_alloc=fallback\n");
	char *dir = g_build_filename(tu_tmpdir(), "fb", NULL), *out;
	int st = tu_sh(&out, "%s run %s -q --out %s", tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	char *j = json_of(dir, "serial");
	ck_assert_int_eq((int)json_num(j, "fallback_unaligned"), 100);
	ck_assert_int_eq((int)json_num(j, "fallback_alloc"), 100);
	g_free(j);
	st = tu_sh(&out, "%s run %s -q --out %s --set fs.direct_alloc=allocate", tu_prog(), sc,
		   dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	j = json_of(dir, "serial");
	ck_assert_int_eq((int)json_num(j, "fallback_alloc"), 0);
	/* 100 aligned 4 KiB blocks for b, and the 1000-byte writes cover 100000 bytes of a:
	 * 25 blocks (ceil(100000 / 4096)) */
	ck_assert_int_eq((int)json_num(j, "allocated_blocks"), 100 + 25);
	g_free(j);
	g_free(dir);
}
END_TEST

START_TEST(test_sync_and_writeback)
{
	/* O_DSYNC appends into a sparse file: every write allocates, so every write also
	 * writes a metadata block (meta_write=1): 200 metadata writes; with meta_write=0, none.
	 * Buffered writes without sync leave dirty pages that the final sync writes back. */
	const char *sc = tu_write("sync.ini", "[log]\nfilename=log\nsize=800k\nbs=4k\nrw=write\n"
					      "sync=dsync\nnumber_ios=200\n"
					      "[fs]\nlayout=sparse\n");
	char *dir = g_build_filename(tu_tmpdir(), "sync", NULL), *out;
	ck_assert_int_eq(tu_sh(&out, "%s run %s -q --out %s", tu_prog(), sc, dir), 0);
	g_free(out);
	char *j = json_of(dir, "serial");
	ck_assert_int_eq((int)json_num(j, "meta_writes"), 200);
	ck_assert_int_eq((int)json_num(j, "writeback_pages"), 200);
	ck_assert_int_eq((int)json_num(j, "dirty_pages_at_end"), 0);
	g_free(j);
	ck_assert_int_eq(tu_sh(&out, "%s run %s -q --out %s --set fs.meta_write=0", tu_prog(), sc,
			       dir),
			 0);
	g_free(out);
	j = json_of(dir, "serial");
	ck_assert_int_eq((int)json_num(j, "meta_writes"), 0);
	g_free(j);
	/* without sync: nothing written during the run (30 s expiry), all at the final sync */
	ck_assert_int_eq(tu_sh(&out, "%s run %s -q --out %s --set log.sync=0", tu_prog(), sc, dir),
			 0);
	g_free(out);
	j = json_of(dir, "serial");
	ck_assert_int_eq((int)json_num(j, "writeback_pages"), 200);
	ck_assert_int_eq((int)json_num(j, "dirty_pages_at_end"), 0);
	ck_assert_int_eq((int)json_num(j, "lost_writes"), 0);
	g_free(j);
	g_free(dir);
}
END_TEST

START_TEST(test_locks_outputs)
{
	const char *sc = tu_write("lk.ini", closed_form);
	char *dir = g_build_filename(tu_tmpdir(), "lk", NULL), *out;
	ck_assert_int_eq(tu_sh(&out, "%s run %s -q --out %s --timeline --policy serial", tu_prog(),
			       sc, dir),
			 0);
	g_free(out);
	char *path = g_build_filename(dir, "serial", "locks.csv", NULL), *text = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	ck_assert(g_str_has_prefix(text, "t,lock,class,event,req,offset,len\n"));
	/* 1000 writes: each one grant and one release of the vnode lock in class W */
	int grants = 0, releases = 0;
	for (char *p = text; (p = strstr(p, ",vnode,W,")); p++) {
		grants += g_str_has_prefix(p, ",vnode,W,grant");
		releases += g_str_has_prefix(p, ",vnode,W,release");
	}
	ck_assert_int_eq(grants, 1000);
	ck_assert_int_eq(releases, 1000);
	g_free(text);
	g_free(path);
	char *j = json_of(dir, "serial");
	ck_assert_msg(strstr(j, "\"locks\"") && strstr(j, "\"vnode:shared\""), "%s", j);
	g_free(j);
	g_free(dir);
}
END_TEST

START_TEST(test_deadlock_detected)
{
	/* the test-only setting [sim] test_lock_inversion=1 makes buffered writes take the
	 * getpages lock before the vnode lock; a direct writer allocating into the sparse file
	 * takes them in the right order: the two deadlock, the periodic write-back daemon keeps
	 * SimGrid's own detector quiet, and vnodesim must print the chain and exit 3. */
	const char *sc = tu_write("dl.ini", "[global]\nfilename=f\nsize=1m\nbs=4k\n"
					    "ioengine=psync\nnumber_ios=2000\n"
					    "[buffered]\nrw=randwrite\n"
					    "[direct]\nrw=randwrite\ndirect=1\n"
					    "[fs]\nlayout=sparse\n[sim]\ntest_lock_inversion=1\n");
	char *out;
	int st = tu_sh(&out, "%s run %s -q --out %s/dl", tu_prog(), sc, tu_tmpdir());
	ck_assert_msg(st == 3, "exit %d: %s", st, out);
	ck_assert_msg(strstr(out, "deadlock: thread ") && strstr(out, "holds getpages") &&
			      strstr(out, "waits for vnode"),
		      "%s", out);
	g_free(out);
	/* the same jobs in the right order complete */
	st = tu_sh(&out, "%s run %s -q --out %s/dl --set sim.test_lock_inversion=0", tu_prog(), sc,
		   tu_tmpdir());
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
}
END_TEST

Suite *
suite_fs(void)
{
	Suite *s = suite_create("fs");
	TCase *tc = tcase_create("fs");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_closed_form);
	tcase_add_test(tc, test_oracle_weak_policy);
	tcase_add_test(tc, test_fallbacks_and_alloc);
	tcase_add_test(tc, test_sync_and_writeback);
	tcase_add_test(tc, test_locks_outputs);
	tcase_add_test(tc, test_deadlock_detected);
	suite_add_tcase(s, tc);
	return s;
}

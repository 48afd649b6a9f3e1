/*
 * test_kernels.c -- the policies that name a kernel, through whole runs, each against a
 * closed form worked by hand in its comment (DESIGN.md §1, §3.3, §7):
 *  (1) appending block-aligned direct writers: shared under xfs (Linux 6.6
 *      xfs_file_dio_write_aligned), exclusive under ext4 (Linux 6.4 ext4_dio_write_checks);
 *  (2) 2 KiB (sub-block) direct overwrites: shared over written extents, exclusive over
 *      unwritten ones (layout=fallocated), under xfs and ext4;
 *  (3) extent9's offset_bits: 32 aliases offsets 0 and 4 GiB, 64 does not;
 *  (4) [fs] getpages_hold: io holds the getpages lock across the page-in I/O (an allocating
 *      writer waits), lookup does not;
 *  (5) a direct request not sector-aligned: EINVAL under xfs and ext4, buffered under the
 *      NetBSD-modelled policies;
 *  (6) ext4's buffered reads take no lock: the oracle shows torn reads where xfs shows none;
 *  (7) extent9 ignores fairness= with a warning; rwsem is xfs and ext4's default, fifo for
 *      a range lock given rwsem (a warning);
 *  (8) aio_lock: completion holds the vnode lock to the end of an asynchronous I/O,
 *      submission drops it once submitted, except where the rule forces the wait.
 * Every device is `simple` (each request exactly L = 100 us, C channels) and every host
 * cost 0, so a run's rate is a closed form.
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

#define ZERO_HOST                                                                                  \
	"[host]\nsyscall_ns=0\npage_lookup_ns=0\nlock_op_ns=0\nlock_node_ns=0\n"                   \
	"lock_cacheline_ns=0\nalloc_ns=0\n"

/* Run TEXT under POLICY with the extra --set SETS (may be ""); returns the output folder. */
static char *
run(const char *text, const char *policy, const char *sets)
{
	static int n; /* each run its own folder */
	const char *sc = tu_write("k.ini", text);
	char *d = g_strdup_printf("%s/run%d", tu_tmpdir(), n++), *out;
	/* every expectation here is worked out with the host's costs at zero ([host]
	 * profile=ideal): the figures follow from the device and the locking rules alone */
	int st = tu_sh(&out, "%s run %s -q --out %s --policy %s --set host.profile=ideal %s",
	               tu_prog(), sc, d, policy, sets);
	ck_assert_msg(st == 0, "%s: exit %d: %s", policy, st, out);
	g_free(out);
	return d;
}

/* vnodesim.fs.KEY (or, with KEY NULL, the warnings joined) of DIR/POLICY/result.json. */
static double
fs_counter(const char *dir, const char *policy, const char *key, char **warnings)
{
	char *path = g_build_filename(dir, policy, "result.json", NULL);
	JsonParser *jp = json_parser_new();
	ck_assert_msg(json_parser_load_from_file(jp, path, NULL), "%s", path);
	JsonObject *v = json_object_get_object_member(
	    json_node_get_object(json_parser_get_root(jp)), "vnodesim");
	double x = -1;
	if (key)
		x = json_object_get_double_member(json_object_get_object_member(v, "fs"), key);
	if (warnings) {
		GString *w = g_string_new(NULL);
		JsonArray *a = json_object_get_array_member(v, "warnings");
		for (guint i = 0; i < json_array_get_length(a); i++)
			g_string_append_printf(w, "%s\n", json_array_get_string_element(a, i));
		*warnings = g_string_free(w, FALSE);
	}
	g_object_unref(jp);
	g_free(path);
	return x;
}

/* ---- (1) appending writers ---- */

/* N = 4 direct psync writers of 4 KiB blocks, each appending to its own 64 MiB stretch past
 * EOF (file_append + offset_increment; the file starts empty), on C = 4 channels of
 * L = 100 us, 100 writes each.
 *   xfs: every write is block-aligned and asks for the lock shared; one that finds itself
 *   past EOF under it drops it and takes it exclusive (with a drain) while the gap is
 *   zeroed -- a hole, no I/O, no time -- then demotes to shared (models/vnode.c note 12).
 *   At t = 0 writer 0 writes at EOF (shared, 0..L); writer 1 upgrades and waits for it;
 *   writers 2-3 queue behind writer 1's exclusive request (fifo arrival, as a reader
 *   behind a waiting writer in rwsem_down_read_slowpath).  At L writer 1 is exclusive,
 *   demotes, writes L..2L; writers 2-3, granted shared at L, are still past EOF (EOF is
 *   4 KiB): each upgrades and waits for writers 0 and 1's writes in flight, to 2L, then
 *   writes 2L..3L.  From then on writer 3 extends the file and writers 1-2 fill holes
 *   below EOF, all shared, 4 in flight: writer 0's 100 writes end at 100 L, writer 1's at
 *   101 L, writers 2-3's at 102 L: 400 / (102 x 100 us) = 39,216/s.
 *   ext4: extending or hole-filling writes are not overwrites: exclusive, held to
 *   completion: one at a time, 400 writes in 400 L: 1 / L = 10,000/s. */
static const char appenders[] = "[global]\nfilename=log\ndirect=1\nioengine=psync\nrw=write\n"
                                "bs=4k\nnumber_ios=100\n"
                                "[a]\nsize=64m\nfile_append=1\noffset_increment=64m\nnumjobs=4\n"
                                "[fs]\nlayout=sparse\n"
                                "[disk]\nmodel=simple\nservice_us=100\nchannels=4\n"
                                "capacity_gb=1\n" ZERO_HOST;

START_TEST(test_appenders)
{
	char *x = run(appenders, "xfs", ""), *e = run(appenders, "ext4", "");
	double wx = tu_summary_field(x, "xfs", "all", "write_iops");
	double we = tu_summary_field(e, "ext4", "all", "write_iops");
	printf("appenders: xfs %.0f writes/s, ext4 %.0f writes/s\n", wx, we);
	tu_near(wx, 400 / (102 * 100e-6), 1e-3, "xfs appenders");
	tu_near(we, 10000, 1e-6, "ext4 appenders");
	/* xfs: writer 1 at 0, writers 2-3 at L (above); ext4: hole fills ask shared, find under
	 * the lock that they are not overwrites and upgrade */
	ck_assert_double_eq(fs_counter(x, "xfs", "lock_upgrades", NULL), 3);
	ck_assert_double_gt(fs_counter(e, "ext4", "lock_upgrades", NULL), 0);
	g_free(x);
	g_free(e);
}
END_TEST

/* ---- (2) sub-block overwrites ---- */

/* N = 4 direct psync writers of 2 KiB, each at the start of a fresh 4 KiB block
 * (rw=write:2k skips 2 KiB after each write), in its own 1 MiB of a 4 MiB file, on C = 4
 * channels of L = 100 us.  No write reaches EOF (400 KiB of each 1 MiB).
 *   layout=preallocated: every block is a written extent: a pure overwrite, shared under
 *   xfs (xfs_file_dio_write_unaligned, IOMAP_DIO_OVERWRITE_ONLY) and ext4: 4 / L = 40,000/s;
 *   layout=fallocated: every block is unwritten: exclusive with a drain and a forced wait
 *   under both (XFS: the overwrite-only mapping fails; ext4: unaligned over unwritten):
 *   1 / L = 10,000/s.  Each write converts its block at completion (converted_blocks =
 *   400). */
static const char overwrites[] = "[global]\nfilename=data\ndirect=1\nioengine=psync\n"
                                 "rw=write:2k\nbs=2k\nnumber_ios=100\nsize=1m\n"
                                 "[t0]\noffset=0\n[t1]\noffset=1m\n[t2]\noffset=2m\n"
                                 "[t3]\noffset=3m\n"
                                 "[disk]\nmodel=simple\nservice_us=100\nchannels=4\n"
                                 "capacity_gb=1\n" ZERO_HOST;

START_TEST(test_sub_block)
{
	static const struct {
		const char *policy, *layout;
		double iops, converted;
	} cases[] = {
	    {"xfs", "preallocated", 40000, 0},
	    {"xfs", "fallocated", 10000, 400},
	    {"ext4", "preallocated", 40000, 0},
	    {"ext4", "fallocated", 10000, 400},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char set[64];
		snprintf(set, sizeof set, "--set fs.layout=%s", cases[i].layout);
		char *d = run(overwrites, cases[i].policy, set);
		double w = tu_summary_field(d, cases[i].policy, "all", "write_iops");
		double conv = fs_counter(d, cases[i].policy, "converted_blocks", NULL);
		printf("2 KiB overwrites, %s, %s: %.0f writes/s, %.0f blocks converted\n",
		       cases[i].policy, cases[i].layout, w, conv);
		char what[96];
		snprintf(what, sizeof what, "%s %s", cases[i].policy, cases[i].layout);
		tu_near(w, cases[i].iops, 0.01, what);
		ck_assert_msg(conv == cases[i].converted, "%s: %g blocks converted", what, conv);
		g_free(d);
	}
}
END_TEST

/* ---- (3) extent9's offset width ---- */

/* Two direct psync writers, each rewriting one 4 KiB block 100 times: one at offset 0, one
 * at 4 GiB, on C = 2 channels of L = 100 us.
 *   offset_bits=64: the regions are disjoint: both at once, 2 / L = 20,000/s;
 *   offset_bits=32: 4 GiB mod 2^32 = 0: both lock [0, 4 KiB) and take turns: 1 / L =
 *   10,000/s.  extent-tree ignores offset_bits: 20,000/s. */
static const char aliases[] = "[global]\nfilename=big\ndirect=1\nioengine=psync\nrw=randwrite\n"
                              "bs=4k\nsize=4k\nnumber_ios=100\n"
                              "[low]\noffset=0\n[high]\noffset=4g\n"
                              "[disk]\nmodel=simple\nservice_us=100\nchannels=2\n"
                              "capacity_gb=8\n" ZERO_HOST;

START_TEST(test_offset_bits)
{
	static const struct {
		const char *policy, *bits;
		double iops;
	} cases[] = {
	    {"extent9", "64", 20000},
	    {"extent9", "32", 10000},
	    {"extent-tree", "32", 20000},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char set[64];
		snprintf(set, sizeof set, "--set policy.offset_bits=%s", cases[i].bits);
		char *d = run(aliases, cases[i].policy, set);
		double w = tu_summary_field(d, cases[i].policy, "all", "write_iops");
		printf("writers at 0 and 4 GiB, %s offset_bits=%s: %.0f writes/s\n",
		       cases[i].policy, cases[i].bits, w);
		tu_near(w, cases[i].iops, 1e-6, cases[i].policy);
		g_free(d);
	}
}
END_TEST

/* ---- (4) getpages_hold ---- */

/* A buffered random reader of 4 KiB over a preallocated 64 MiB (no read-ahead: each read a
 * miss, one page-in of L = 100 us) and a direct appender whose every write allocates (the
 * getpages lock exclusive), with 30 us of think time so that its phase drifts against the
 * reader's; extent-tree: their byte ranges are disjoint, so only the getpages lock can make
 * them meet.  C = 2 channels: the disk never queues.
 *   lookup: the reader holds the getpages lock for 0 s (no host cost): the writer never
 *   waits, getpages_wait = 0;
 *   io: the reader holds it shared for its page-in, L: the writer waits for the rest of the
 *   read in progress, more than 0 and at most L = 100 us on average (FIFO: the reader's next
 *   page-in queues behind the waiting writer, so one read at most). */
static const char pagein[] = "[global]\nfilename=f\nioengine=psync\nnumber_ios=200\n"
                             "[reader]\nrw=randread\nbs=4k\nsize=64m\n"
                             "[writer]\ndirect=1\nrw=write\nbs=4k\nsize=4m\nfile_append=1\n"
                             "thinktime=30\n"
                             "[fs]\nreadahead_kb=0\n"
                             "[disk]\nmodel=simple\nservice_us=100\nchannels=2\n"
                             "capacity_gb=1\n" ZERO_HOST;

START_TEST(test_getpages_hold)
{
	char *io = run(pagein, "extent-tree", "--set fs.getpages_hold=io");
	char *lk = run(pagein, "extent-tree", "--set fs.getpages_hold=lookup");
	double wio = tu_summary_field(io, "extent-tree", "writer", "getpages_wait_us");
	double wlk = tu_summary_field(lk, "extent-tree", "writer", "getpages_wait_us");
	printf("getpages wait of an allocating writer: io %.3f us, lookup %.3f us\n", wio, wlk);
	ck_assert_msg(wlk == 0, "lookup: %g us", wlk);
	ck_assert_msg(wio > 1 && wio <= 100 + 1e-6, "io: %g us", wio);
	g_free(io);
	g_free(lk);
}
END_TEST

/* ---- (5) sector-misaligned direct I/O ---- */

/* 50 direct writes of 1,000 bytes: Linux fails each (xfs_file_dio_write: not aligned to the
 * logical sector, EINVAL) -- no write completes, fs.einval = 50; NetBSD's genfs_directio
 * sends them buffered: fallback_unaligned = 50, 50 writes done. */
static const char misaligned[] = "[global]\nfilename=f\ndirect=1\nioengine=psync\nrw=write\n"
                                 "bs=1000\nsize=1m\nnumber_ios=50\n[w]\n"
                                 "[disk]\nmodel=simple\nservice_us=100\ncapacity_gb=1\n" ZERO_HOST;

START_TEST(test_einval)
{
	static const char *const linux_[] = {"xfs", "ext4"};
	for (size_t i = 0; i < 2; i++) {
		char *d = run(misaligned, linux_[i], "");
		ck_assert_msg(fs_counter(d, linux_[i], "einval", NULL) == 50, "%s", linux_[i]);
		ck_assert_msg(tu_summary_field(d, linux_[i], "all", "ops") == 0, "%s", linux_[i]);
		g_free(d);
	}
	char *d = run(misaligned, "serial", "");
	ck_assert(fs_counter(d, "serial", "einval", NULL) == 0);
	ck_assert(fs_counter(d, "serial", "fallback_unaligned", NULL) == 50);
	ck_assert(tu_summary_field(d, "serial", "all", "ops") == 50);
	g_free(d);
}
END_TEST

/* ---- (6) ext4's unlocked buffered reads ---- */

/* Four buffered writers of 64 KiB and four buffered readers of 16 KiB over the same
 * 256 KiB, cached, for 20 ms.  Under xfs a buffered write holds the IOLOCK exclusive and a
 * read shared: no read sees part of a write (0 torn reads, the POSIX promise).  Under ext4 a
 * buffered read takes no i_rwsem: a read copying while a write copies can see part of it --
 * the oracle must show torn reads (> 0), ext4's real behaviour; the writes stay atomic among
 * themselves (0 torn writes).  The oracle follows each copy byte by byte at its rate: two
 * copies at the same rate never cross (the later one stays behind the earlier on every
 * byte), so a read can only come out torn where it overtakes a write, as a real reader does
 * when the writer's per-page work is slower.  [sim] jitter=0.5 gives each copy its own
 * rate, within +-50%, so overtaking happens (measured: 298 torn reads under ext4 on this
 * run, 0 without jitter). */
static const char unlocked[] = "[global]\nfilename=f\nioengine=psync\nsize=256k\n"
                               "runtime=0.02\ntime_based\n"
                               "[w]\nrw=randwrite\nbs=64k\nnumjobs=4\n"
                               "[r]\nrw=randread\nbs=16k\nnumjobs=4\n"
                               "[disk]\nmodel=simple\nservice_us=100\ncapacity_gb=1\n"
                               "[sim]\njitter=0.5\n";

/* the default host: the copies take time (an ideal host copies in none), and the
 * measured 298 above was on it */
#define HOST "--set host.profile=linux-x86"

START_TEST(test_ext4_unlocked_reads)
{
	char *x = run(unlocked, "xfs", HOST), *e = run(unlocked, "ext4", HOST);
	double tx = tu_summary_field(x, "xfs", "all", "torn_reads");
	double te = tu_summary_field(e, "ext4", "all", "torn_reads");
	double twe = tu_summary_field(e, "ext4", "all", "torn_writes");
	printf("buffered readers against buffered writers: torn reads xfs %.0f, ext4 %.0f\n", tx,
	       te);
	ck_assert_msg(tx == 0, "xfs: %g torn reads", tx);
	ck_assert_msg(te > 0, "ext4: no torn read shown");
	ck_assert_msg(twe == 0, "ext4: %g torn writes", twe);
	g_free(x);
	g_free(e);
}
END_TEST

/* ---- (7) extent9 and fairness= ---- */

/* rwsem is the Linux policies' default (their i_rwsem is an rw_semaphore); the range locks
 * given fairness=rwsem (one setting for a whole comparison) take fifo, with a warning. */
START_TEST(test_rwsem_default)
{
	static const char *const lx[] = {"xfs", "ext4"};
	char *d, *path, *json = NULL;
	for (int i = 0; i < 2; i++) {
		d = run(aliases, lx[i], "");
		path = g_build_filename(d, lx[i], "result.json", NULL);
		ck_assert(g_file_get_contents(path, &json, NULL, NULL));
		ck_assert_msg(strstr(json, "\"fairness\" : \"rwsem\""), "%s: fairness not rwsem",
		              lx[i]);
		g_free(json);
		g_free(path);
		g_free(d);
	}
	char *text = g_strdup_printf("%s[policy]\nfairness=rwsem\n", aliases);
	d = run(text, "extent-tree", "");
	char *w = NULL;
	fs_counter(d, "extent-tree", NULL, &w);
	ck_assert_msg(strstr(w, "fairness=rwsem orders a whole-file lock; extent-tree"),
	              "warnings: %s", w);
	path = g_build_filename(d, "extent-tree", "result.json", NULL);
	ck_assert(g_file_get_contents(path, &json, NULL, NULL));
	ck_assert_msg(strstr(json, "\"fairness\" : \"fifo\""), "extent-tree: fairness not fifo");
	g_free(json);
	g_free(path);
	g_free(w);
	g_free(d);
	g_free(text);
}
END_TEST

START_TEST(test_extent9_fairness)
{
	char *text = g_strdup_printf("%s[policy]\nfairness=batch:4\n", aliases);
	char *d = run(text, "extent9", "");
	char *w = NULL;
	fs_counter(d, "extent9", NULL, &w);
	ck_assert_msg(strstr(w, "fairness= does not apply to extent9"), "warnings: %s", w);
	g_free(w);
	g_free(d);
	g_free(text);
}
END_TEST

/* ---- (8) aio_lock ---- */

/* One libaio job, iodepth 4, direct writes on C = 4 channels of L = 100 us, 400 writes.
 *   serial, aio_lock=completion (NetBSD): each write holds the vnode lock exclusive until
 *   its I/O completes: one in flight, 1 / L = 10,000/s;
 *   serial, aio_lock=submission: the lock is dropped once the I/O is submitted: 4 in
 *   flight, 4 / L = 40,000/s;
 *   xfs (submission), 2 KiB writes over written extents (rw=write:2k): shared anyway,
 *   40,000/s;  over unwritten extents (fallocated): exclusive with a drain and
 *   IOMAP_DIO_FORCE_WAIT -- the lock is held to completion whatever aio_lock says:
 *   10,000/s. */
static const char aio[] = "[global]\nfilename=f\ndirect=1\nioengine=libaio\niodepth=4\n"
                          "rw=write:2k\nbs=2k\nsize=4m\nnumber_ios=400\n[a]\n"
                          "[disk]\nmodel=simple\nservice_us=100\nchannels=4\n"
                          "capacity_gb=1\n" ZERO_HOST;

START_TEST(test_aio_lock)
{
	static const struct {
		const char *policy, *sets;
		double iops;
	} cases[] = {
	    {"serial", "--set policy.aio_lock=completion", 10000},
	    {"serial", "--set policy.aio_lock=submission", 40000},
	    {"xfs", "--set fs.layout=preallocated", 40000},
	    {"xfs", "--set fs.layout=fallocated", 10000},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *d = run(aio, cases[i].policy, cases[i].sets);
		double w = tu_summary_field(d, cases[i].policy, "all", "write_iops");
		printf("libaio iodepth 4, %s %s: %.0f writes/s\n", cases[i].policy, cases[i].sets,
		       w);
		tu_near(w, cases[i].iops, 1e-3, cases[i].sets);
		g_free(d);
	}
}
END_TEST

Suite *
suite_kernels(void)
{
	Suite *s = suite_create("kernels");
	TCase *tc = tcase_create("runs");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_appenders);
	tcase_add_test(tc, test_sub_block);
	tcase_add_test(tc, test_offset_bits);
	tcase_add_test(tc, test_getpages_hold);
	tcase_add_test(tc, test_einval);
	tcase_add_test(tc, test_ext4_unlocked_reads);
	tcase_add_test(tc, test_extent9_fairness);
	tcase_add_test(tc, test_rwsem_default);
	tcase_add_test(tc, test_aio_lock);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_fastpath.c -- the fast path of a raw job (sim/workload.c note 6, models/disk.c note 6):
 * the disk actor bringing in the job's requests itself must give the same outputs, byte for
 * byte (every file but timing.csv), as the job's own thread (VNODESIM_FASTRAW=0), on raw
 * configurations that take the different branches: a deep queue on a busy mechanical drive
 * (arrivals brought in late), free channels on an SSD (the disk waits for the arrival),
 * synchronous jobs, zero host cost (arrivals at the completion's instant), mq-deadline and
 * its merges, time_based with ramp_time and startdelay, a job going in and out of the fast
 * path, and constant service times that put arrivals on completions (the hand-back).  Each case
 * also checks, from the debug log, that the path it means to exercise was taken -- so a fast path
 * that silently never runs fails.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

/* Run SCENARIO TEXT both ways; return the fast run's stderr (its debug log). */
static char *
both_ways(const char *name, const char *text)
{
	char *cwd = g_get_current_dir();
	char *full = g_strdup_printf("%s", text);
	/* the drive file by absolute path: the scenario lives in the temporary folder */
	char *at = strstr(full, "@DISKS@");
	if (at) {
		*at = '\0';
		char *t = g_strdup_printf("%s%s/disks%s", full, cwd, at + strlen("@DISKS@"));
		g_free(full);
		full = t;
	}
	const char *sc = tu_write(name, full);
	char *slow = g_strdup_printf("%s/%s.slow", tu_tmpdir(), name);
	char *fast = g_strdup_printf("%s/%s.fast", tu_tmpdir(), name);
	char *out, *log;
	int st = tu_sh(&out, "VNODESIM_FASTRAW=0 %s run %s -q --requests --timeline --out %s",
	               tu_prog(), sc, slow);
	ck_assert_msg(st == 0, "%s (old path): exit %d: %s", name, st, out);
	g_free(out);
	st = tu_sh(&log,
	           "%s run %s -q --requests --timeline --out %s "
	           "--log=vnodesim_workload.thres:verbose",
	           tu_prog(), sc, fast);
	ck_assert_msg(st == 0, "%s (fast path): exit %d: %s", name, st, log);
	st = tu_sh(&out, "diff -r -x timing.csv %s %s", slow, fast);
	ck_assert_msg(st == 0, "%s: the fast path changed the outputs:\n%.2000s", name, out);
	g_free(out);
	g_free(slow), g_free(fast), g_free(full), g_free(cwd);
	return log;
}

/* The counts the fast run's log gives: requests the disk brought in, handed back; -1 when the
 * fast path was not taken. */
static void
fast_counts(const char *log, long *in, long *back)
{
	const char *p = strstr(log, "the fast path (note 6): ");
	*in = *back = -1;
	if (p)
		ck_assert(sscanf(p,
		                 "the fast path (note 6): %ld requests brought in by the disk, %ld",
		                 in, back) == 2);
}

static const struct {
	const char *name;
	const char *text;
	int want_back; /* 1: hand-backs must occur; 0: any */
} cases[] = {
    /* bench/cheetah-randread.ini at 3,000 requests: C-LOOK 16 deep, a busy drive */
    {"cheetah.ini",
     "[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nioengine=libaio\niodepth=16\n"
     "number_ios=3000\nnorandommap\n[disk]\nspec=@DISKS@/cheetah9LP.disk\nscheduler=clook\n"
     "queue_depth=16\n[block]\nscheduler=none\n",
     0},
    /* writes and reads, SPTF with its age limit, mq-deadline, more in flight than the tags */
    {"mixed.ini",
     "[j]\nfilename=/dev/sim0\nrw=randrw\nrwmixread=70\nbs=8k\nioengine=libaio\niodepth=8\n"
     "number_ios=2000\n[disk]\nspec=@DISKS@/cheetah9LP.disk\nscheduler=sptf\nqueue_depth=4\n"
     "[block]\nscheduler=mq-deadline\n",
     0},
    /* sequential reads: the drive's cache hits, short services at the start */
    {"seq.ini",
     "[j]\nfilename=/dev/sim0\nrw=read\nbs=4k\nioengine=libaio\niodepth=4\nnumber_ios=3000\n"
     "[disk]\nspec=@DISKS@/cheetah9LP.disk\n",
     0},
    /* an SSD's free channels: the disk waits for each arrival */
    {"ssd.ini",
     "[j]\nfilename=/dev/sim0\nrw=randrw\nbs=4k\nioengine=libaio\niodepth=32\n"
     "number_ios=10000\n[disk]\nmodel=ssd\n",
     0},
    /* synchronous (psync): one at a time */
    {"sync.ini",
     "[j]\nfilename=/dev/sim0\nrw=randread\nbs=8k\nnumber_ios=3000\n[disk]\nmodel=ssd\n", 0},
    /* no host cost: each arrival at its completion's instant, after the disk's choice */
    {"ideal.ini",
     "[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nioengine=libaio\niodepth=8\n"
     "number_ios=3000\n[disk]\nmodel=simple\nservice_us=100\nchannels=2\n[host]\n"
     "profile=ideal\n",
     0},
    /* exponential services on three channels, default host */
    {"exp.ini",
     "[j]\nfilename=/dev/sim0\nrw=randwrite\nbs=16k\nioengine=libaio\niodepth=6\n"
     "number_ios=3000\n[disk]\nmodel=simple\nservice_us=50\nservice_dist=exp\nchannels=3\n",
     0},
    /* time_based with ramp_time and startdelay: the job's end decided in the disk actor */
    {"timed.ini",
     "[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nioengine=libaio\niodepth=16\n"
     "time_based\nruntime=1\nramp_time=0.3\nstartdelay=0.1\n[disk]\n"
     "spec=@DISKS@/cheetah9LP.disk\nscheduler=clook\nqueue_depth=16\n",
     0},
    /* 2 KiB sequential writes 32 deep, mq-deadline: bios merged into one drive request */
    {"merge.ini",
     "[j]\nfilename=/dev/sim0\nrw=write\nbs=2k\nioengine=libaio\niodepth=32\nnumber_ios=1500\n"
     "[disk]\nspec=@DISKS@/cheetah9LP.disk\n[block]\nscheduler=mq-deadline\nnr_requests=32\n",
     0},
    /* host cost near the service time: the job blocks now and then, in and out of the fast
     * path, with completions during its charges */
    {"inout.ini",
     "[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nioengine=libaio\niodepth=9\n"
     "number_ios=3000\n[disk]\nmodel=simple\nservice_us=7\nservice_dist=exp\nchannels=4\n"
     "[host]\nprofile=ideal\nsyscall_ns=2500\n",
     0},
    /* constant 8 us services on two channels, 4 us host cost: arrivals fall on completions,
     * whose order is SimGrid's: every one handed back to the job's thread */
    {"ties.ini",
     "[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nioengine=libaio\niodepth=2\n"
     "number_ios=2000\n[disk]\nmodel=simple\nservice_us=8\nchannels=2\n[host]\n"
     "profile=ideal\nsyscall_ns=4000\n",
     1},
};

START_TEST(test_same_outputs)
{
	char *log = both_ways(cases[_i].name, cases[_i].text);
	long in, back;
	fast_counts(log, &in, &back);
	ck_assert_msg(in >= 0, "%s: the fast path was not taken:\n%.2000s", cases[_i].name, log);
	if (cases[_i].want_back)
		ck_assert_msg(back > 0, "%s: nothing handed back", cases[_i].name);
	else /* most requests by the disk: only the first iodepth and a few early ones not */
		ck_assert_msg(in > 0 && back < in, "%s: %ld brought in, %ld handed back",
		              cases[_i].name, in, back);
	g_free(log);
}
END_TEST

/* Where the fast path could not keep the results (workload.c note 6), it is not taken. */
START_TEST(test_not_taken)
{
	static const char *const texts[] = {
	    /* [sim] jitter draws from the run's one stream */
	    "[j]\nfilename=/dev/sim0\nrw=randread\nioengine=libaio\niodepth=4\nnumber_ios=500\n"
	    "[disk]\nmodel=ssd\n[sim]\njitter=0.1\n",
	    /* two clones draw ids in turn */
	    "[j]\nfilename=/dev/sim0\nrw=randread\nioengine=libaio\niodepth=4\nnumber_ios=500\n"
	    "numjobs=2\n[disk]\nmodel=ssd\n",
	    /* rate limits, thinktime */
	    "[j]\nfilename=/dev/sim0\nrw=randread\nioengine=libaio\niodepth=4\nnumber_ios=500\n"
	    "rate_iops=1000\n[disk]\nmodel=ssd\n",
	    "[j]\nfilename=/dev/sim0\nrw=randread\nioengine=libaio\niodepth=4\nnumber_ios=500\n"
	    "thinktime=100\n[disk]\nmodel=ssd\n",
	    /* bfq's idle timer */
	    "[j]\nfilename=/dev/sim0\nrw=randread\nioengine=libaio\niodepth=4\nnumber_ios=500\n"
	    "[disk]\nmodel=ssd\n[block]\nscheduler=bfq\n",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		char name[32];
		snprintf(name, sizeof name, "off%zu.ini", i);
		char *log = both_ways(name, texts[i]);
		long in, back;
		fast_counts(log, &in, &back);
		ck_assert_msg(in < 0, "%s: the fast path was taken", name);
		g_free(log);
	}
}
END_TEST

Suite *
suite_fastpath(void)
{
	Suite *s = suite_create("fastpath");
	TCase *tc = tcase_create("fastpath");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_same_outputs, 0, G_N_ELEMENTS(cases));
	tcase_add_test(tc, test_not_taken);
	suite_add_tcase(s, tc);
	return s;
}

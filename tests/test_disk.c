/*
 * test_disk.c -- the disk actor: scheduler orders on hand-made queues, channels, the SSD's
 * closed forms, merging, and queueing theory (M/M/1, M/D/1, Little's law) on the simple
 * model.  Each test runs a real SimGrid simulation (Check's fork mode: one per process).
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/semaphore.h>
#include <stdio.h>

#include "models/disk.h"
#include "sim/config.h"
#include "sim/platform.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "tests/testutil.h"

/* ---- a tiny harness: one submitter actor, a list of requests, completion order ---- */

struct h_req {
	double at; /* submit time */
	enum io_dir op;
	uint64_t lbn;
	uint32_t nsect;
};

struct harness {
	struct disk *d;
	const struct h_req *reqs;
	size_t n;
	struct disk_io *ios;
	GArray *order; /* indices, in completion order */
	sg_sem_t done;
	size_t ndone;
};

static void
h_done(struct disk_io *io)
{
	struct harness *h = io->arg;
	size_t idx = (size_t)io->id;
	g_array_append_val(h->order, idx);
	h->ndone++;
	sg_sem_release(h->done);
}

static void
h_actor(int argc, char **argv)
{
	struct harness *h = sg_actor_self_get_data();
	for (size_t i = 0; i < h->n; i++) {
		double now = simgrid_get_clock();
		if (h->reqs[i].at > now)
			sg_actor_sleep_for(h->reqs[i].at - now);
		struct disk_io *io = &h->ios[i];
		io->op = h->reqs[i].op;
		io->lbn = h->reqs[i].lbn;
		io->nsect = h->reqs[i].nsect;
		io->id = i;
		io->done = h_done;
		io->arg = h;
		disk_submit(h->d, io);
	}
	while (h->ndone < h->n)
		sg_sem_acquire(h->done);
}

static struct harness *
h_run(const char *disk_ini, const struct h_req *reqs, size_t n)
{
	struct scn *s = tu_plain(disk_ini);
	GError *err = NULL;
	struct harness *h = g_new0(struct harness, 1);
	/* without a [block] section the drive is driven directly (its own queue, unbounded) */
	const struct scn_sect *blk = strstr(disk_ini, "[block]") ? scn_section(s, "block") : NULL;
	h->d = cfg_disk(scn_section(s, "disk"), blk, 1, 0, &err);
	ck_assert_msg(h->d, "disk_create: %s", err ? err->message : "?");
	h->reqs = reqs;
	h->n = n;
	h->ios = g_new0(struct disk_io, n);
	h->order = g_array_new(FALSE, FALSE, sizeof(size_t));
	engine_init(NULL);
	void *host = vn_platform_create(1, 1e9);
	disk_start(h->d, host);
	h->done = sg_sem_init(0);
	sg_actor_t a = sg_actor_init("submitter", host);
	sg_actor_set_data(a, h);
	sg_actor_start(a, h_actor, 0, NULL);
	engine_run();
	ck_assert_uint_eq(h->ndone, n);
	return h;
}

/* ---- scheduler orders ---- */

/* Request 0 occupies the disk; 1..5 arrive while it is busy.  Positions are LBNs (the simple
 * model has no cylinders): the arm is at 508 after request 0 (500 + 8 sectors). */
static const struct h_req sched_q[] = {
    {0, IO_READ, 500, 8},    {1e-6, IO_READ, 900, 8}, {1e-6, IO_READ, 100, 8},
    {1e-6, IO_READ, 600, 8}, {1e-6, IO_READ, 300, 8}, {1e-6, IO_READ, 700, 8},
};

static const struct {
	const char *sched;
	int depth;
	size_t order[6]; /* expected, worked out by hand from the rules */
} sched_cases[] = {
    {"fcfs", 32, {0, 1, 2, 3, 4, 5}},
    /* SSTF from 508: 600 (92), 700 (92 from 608), 900, 300, 100 */
    {"sstf", 32, {0, 3, 5, 1, 4, 2}},
    /* C-LOOK: upward from 508: 600, 700, 900; wrap to the lowest: 100, 300 */
    {"clook", 32, {0, 3, 5, 1, 2, 4}},
    /* SPTF and SPCTF without a positioning model fall back to SSTF */
    {"sptf", 32, {0, 3, 5, 1, 4, 2}},
    {"spctf", 32, {0, 3, 5, 1, 4, 2}},
    /* SSTF seeing only 2 queued: {900,100} from 508 -> 900; {100,600} from 908 -> 600;
     * {100,300} from 608 -> 300; {100,700} from 308 -> 100; then 700 */
    {"sstf", 2, {0, 1, 3, 4, 2, 5}},
};

START_TEST(test_scheduler_order)
{
	char ini[256];
	snprintf(ini, sizeof ini,
	         "[disk]\nmodel=simple\nservice_us=100\nscheduler=%s\nqueue_depth=%d\n",
	         sched_cases[_i].sched, sched_cases[_i].depth);
	struct harness *h = h_run(ini, sched_q, G_N_ELEMENTS(sched_q));
	for (size_t k = 0; k < 6; k++)
		ck_assert_msg(g_array_index(h->order, size_t, k) == sched_cases[_i].order[k],
		              "%s depth %d: position %zu served request %zu, expected %zu",
		              sched_cases[_i].sched, sched_cases[_i].depth, k,
		              g_array_index(h->order, size_t, k), sched_cases[_i].order[k]);
}
END_TEST

/* The drive's age limit (DiskSim's scheduling timeout): 100 us requests; a far request F
 * (lbn 100000, at 1 us) and near ones arriving one per service time, each closer to the head
 * than F.  Shortest-first alone serves F last.  With age_limit_ms=0.35, F is served at the
 * first decision where it has waited 350 us: at 100 us it has waited 99, at 200 us 199, at
 * 300 us 299, at 400 us 399 >= 350, so F goes fifth; from F's end (100008) lbn 50 is
 * nearer than 40, so N5 before N4. */
static const struct h_req age_q[] = {{0, IO_READ, 0, 8},       {1e-6, IO_READ, 100000, 8},
                                     {1e-6, IO_READ, 10, 8},   {150e-6, IO_READ, 20, 8},
                                     {250e-6, IO_READ, 30, 8}, {350e-6, IO_READ, 40, 8},
                                     {450e-6, IO_READ, 50, 8}};

START_TEST(test_age_limit)
{
	static const size_t aged[7] = {0, 2, 3, 4, 1, 6, 5}, pure[7] = {0, 2, 3, 4, 5, 6, 1};
	struct harness *h = h_run(_i == 0 ? "[disk]\nmodel=simple\nservice_us=100\nscheduler=sptf\n"
	                                    "age_limit_ms=0.35\n"
	                                  : "[disk]\nmodel=simple\nservice_us=100\nscheduler=sptf\n"
	                                    "age_limit_ms=0\n",
	                          age_q, 7);
	for (size_t k = 0; k < 7; k++)
		ck_assert_msg(g_array_index(h->order, size_t, k) == (_i == 0 ? aged[k] : pure[k]),
		              "case %d: position %zu served %zu", _i, k,
		              g_array_index(h->order, size_t, k));
	ck_assert(fabs(h->ios[1].t_done - (_i == 0 ? 500e-6 : 700e-6)) < 1e-12);
}
END_TEST

/* ---- channels and the SSD's closed forms ---- */

START_TEST(test_channels)
{
	/* 8 requests at t=0 on 4 channels of 100 us: four finish at 100 us, four at 200 us */
	struct h_req q[8];
	for (int i = 0; i < 8; i++)
		q[i] = (struct h_req){0, IO_READ, (uint64_t)i * 8, 8};
	struct harness *h =
	    h_run("[disk]\nmodel=simple\nservice_us=100\nchannels=4\nscheduler=fcfs\n", q, 8);
	for (int i = 0; i < 8; i++) {
		double want = i < 4 ? 100e-6 : 200e-6;
		ck_assert_msg(fabs(h->ios[i].t_done - want) < 1e-12, "request %d done at %.12f", i,
		              h->ios[i].t_done);
		ck_assert(h->ios[i].t_start <= h->ios[i].t_done);
	}
	const struct disk_stats *st = disk_get_stats(h->d);
	ck_assert_uint_eq(st->nreq, 8);
	ck_assert(fabs(st->busy - 200e-6) < 1e-12);
}
END_TEST

START_TEST(test_ssd_closed_form)
{
	/* 8 channels, 80 us reads, 2000 MB/s: a 4 KiB read takes 80 + 4096/2000 us; eight at
	 * once share the interface, so the k-th (1..8) finishes at 80 + k * 2.048 us. */
	struct h_req q[8];
	for (int i = 0; i < 8; i++)
		q[i] = (struct h_req){0, IO_READ, (uint64_t)i * 8, 8};
	struct harness *h = h_run("[disk]\nmodel=ssd\nscheduler=fcfs\n", q, 8);
	for (int i = 0; i < 8; i++) {
		double want = 80e-6 + (i + 1) * 4096 / 2000e6;
		ck_assert_msg(fabs(h->ios[i].t_done - want) < 1e-12,
		              "read %d done at %.12f, want %.12f", i, h->ios[i].t_done, want);
	}
	ck_assert(fabs(h->ios[0].svc.ctrl - 80e-6) < 1e-15);
}
END_TEST

START_TEST(test_ssd_interface_gaps)
{
	/* The interface is free while a long read is still in the array.  A 256 KiB read at 0:
	 * ready at 80 us, transfer 262144 / 2000e6 = 131.072 us, done at 211.072 us.  A 4 KiB
	 * write at 1 us: ready at 1 + 20 = 21 us, before the read's transfer starts, so it
	 * transfers at once: done 21 + 2.048 = 23.048 us.  A 4 KiB write at 70 us: ready at
	 * 90 us, inside the read's transfer [80, 211.072): it waits for its end, done
	 * 211.072 + 2.048 = 213.12 us. */
	static const struct h_req q[] = {
	    {0, IO_READ, 0, 512}, {1e-6, IO_WRITE, 1024, 8}, {70e-6, IO_WRITE, 2048, 8}};
	struct harness *h = h_run("[disk]\nmodel=ssd\nscheduler=fcfs\n", q, 3);
	const double want[] = {211.072e-6, 23.048e-6, 213.12e-6};
	for (int i = 0; i < 3; i++)
		ck_assert_msg(fabs(h->ios[i].t_done - want[i]) < 1e-12,
		              "request %d done at %.12f, want %.12f", i, h->ios[i].t_done, want[i]);
}
END_TEST
static const struct h_req merge_q[] = {{0, IO_WRITE, 0, 8},
                                       {1e-6, IO_WRITE, 108, 8},
                                       {1e-6, IO_WRITE, 100, 8},
                                       {1e-6, IO_WRITE, 116, 8}};

/* A disk file carries its interface: disks/nvme.disk's queue_depth (1023) and hw_queues (8,
 * hence no elevator) reach the run, and the scenario's [disk] wins over the file. */
START_TEST(test_spec_interface)
{
	char *cwd = g_get_current_dir();
	for (int over = 0; over < 2; over++) {
		char *ini = g_strdup_printf("[j]\nfilename=/dev/sim0\nbs=4k\nrw=randread\n"
		                            "number_ios=10\n[disk]\nspec=%s/disks/nvme.disk\n%s",
		                            cwd, over ? "queue_depth=64\n" : "");
		const char *sc = tu_write("spec-if.ini", ini);
		char *out;
		int st = tu_sh(&out,
		               "%s run %s -q --out %s/specif%d && grep -c "
		               "'\"queue_depth\" : \"%s\"\\|\"block_scheduler\" : \"none\"' "
		               "%s/specif%d/serial/result.json",
		               tu_prog(), sc, tu_tmpdir(), over, over ? "64" : "1023", tu_tmpdir(),
		               over);
		ck_assert_msg(st == 0 && atoi(out) == 2, "exit %d: %s", st, out);
		g_free(out);
		g_free(ini);
	}
	g_free(cwd);
}
END_TEST

START_TEST(test_merge)
{
	/* A drive of one tag busy with write 0: 108 waits in mq-deadline, 100 front-merges
	 * into it, 116 back-merges: one request [100, 124), dispatched at 100 us and done at
	 * 200 us, two bios merged.  [disk] merge=1 is the old name of [block] merges. */
	static const char *const inis[] = {
	    "[disk]\nmodel=simple\nservice_us=100\nmerge=1\nscheduler=fcfs\nqueue_depth=1\n"
	    "[block]\nscheduler=mq-deadline\n",
	    "[disk]\nmodel=simple\nservice_us=100\nscheduler=fcfs\nqueue_depth=1\n"
	    "[block]\nscheduler=mq-deadline\nmerges=1\n"};
	{ /* one simulation per process: _i picks the case */
		struct harness *h = h_run(inis[_i], merge_q, 4);
		ck_assert_uint_eq(disk_get_stats(h->d)->nmerged, 2);
		ck_assert_uint_eq(disk_get_stats(h->d)->nreq, 4);
		ck_assert(fabs(h->ios[1].t_done - 200e-6) < 1e-12);
		ck_assert(h->ios[2].t_done == h->ios[1].t_done &&
		          h->ios[3].t_done == h->ios[1].t_done);
		ck_assert_uint_eq(h->ios[1].svc.hit, 0);
	}
}
END_TEST

START_TEST(test_no_merge)
{
	/* merges=0 (nomerges=2): four requests, served one at a time: 100, 200, 300, 400 us,
	 * 108 then 116 then 100 (mq-deadline: writes in sector order from the FIFO head 108,
	 * then 116, then, none left above, the FIFO head 100).  nr_requests=64: the default
	 * for one tag, 2, would hold the submitter back until 100 us, and 108 would be alone
	 * when it is dispatched. */
	struct harness *h = h_run("[disk]\nmodel=simple\nservice_us=100\nscheduler=fcfs\n"
	                          "queue_depth=1\n[block]\nmerges=0\nnr_requests=64\n",
	                          merge_q, 4);
	ck_assert_uint_eq(disk_get_stats(h->d)->nmerged, 0);
	ck_assert(fabs(h->ios[1].t_done - 200e-6) < 1e-12);
	ck_assert(fabs(h->ios[3].t_done - 300e-6) < 1e-12);
	ck_assert(fabs(h->ios[2].t_done - 400e-6) < 1e-12);
}
END_TEST

/* nr_requests=2 on a drive of one tag: request 0 at the drive, 1 queued: 2 and 3 (not
 * adjacent) wait in their submitters until a completion frees a request.  One submitter
 * issues them in order, so it is blocked in disk_submit: request 2 is stamped when 0
 * completes (100 us), 3 when 1 completes (200 us). */
START_TEST(test_nr_requests)
{
	static const struct h_req q[] = {{0, IO_READ, 0, 8},
	                                 {0, IO_READ, 1000, 8},
	                                 {0, IO_READ, 2000, 8},
	                                 {0, IO_READ, 3000, 8}};
	struct harness *h = h_run("[disk]\nmodel=simple\nservice_us=100\nscheduler=fcfs\n"
	                          "queue_depth=1\n[block]\nnr_requests=2\n",
	                          q, 4);
	ck_assert(h->ios[1].t_issue == 0);
	ck_assert_msg(fabs(h->ios[2].t_issue - 100e-6) < 1e-12, "2 issued at %.9f",
	              h->ios[2].t_issue);
	ck_assert_msg(fabs(h->ios[3].t_issue - 200e-6) < 1e-12, "3 issued at %.9f",
	              h->ios[3].t_issue);
	ck_assert(fabs(h->ios[3].t_done - 400e-6) < 1e-12);
}
END_TEST

/* The drive's own queue (NCQ) reorders what the block layer hands it: with none in front
 * (nothing held by the host) and queue_depth=32, SSTF serves as in test_scheduler_order;
 * with queue_depth=1 the drive cannot reorder: FCFS whatever its scheduler. */
START_TEST(test_ncq_reorders)
{
	static const size_t sstf[6] = {0, 3, 5, 1, 4, 2}, fifo[6] = {0, 1, 2, 3, 4, 5};
	struct harness *h =
	    h_run(_i == 0 ? "[disk]\nmodel=simple\nservice_us=100\nscheduler=sstf\n"
	                    "queue_depth=32\n[block]\nscheduler=none\n"
	                  : "[disk]\nmodel=simple\nservice_us=100\nscheduler=sstf\n"
	                    "queue_depth=1\n[block]\nscheduler=none\nnr_requests=64\n",
	          sched_q, 6);
	for (size_t k = 0; k < 6; k++)
		ck_assert_uint_eq(g_array_index(h->order, size_t, k), _i == 0 ? sstf[k] : fifo[k]);
}
END_TEST

/* ---- queueing theory ---- */

struct qt {
	double lambda, svc_us;
	const char *dist;
	size_t n;
};

/* Poisson arrivals (rate lambda) on one server; returns the harness. */
static struct harness *
qt_run(const struct qt *c)
{
	struct h_req *q = g_new(struct h_req, c->n);
	GRand *rng = g_rand_new_with_seed(42);
	double t = 0;
	for (size_t i = 0; i < c->n; i++) {
		t += -log(1.0 - g_rand_double(rng)) / c->lambda;
		q[i] = (struct h_req){t, IO_READ, 0, 8};
	}
	g_rand_free(rng);
	char ini[256];
	snprintf(ini, sizeof ini,
	         "[disk]\nmodel=simple\nservice_us=%g\nservice_dist=%s\nscheduler=fcfs\n",
	         c->svc_us, c->dist);
	return h_run(ini, q, c->n);
}

/* Mean response within 3% of THEORY, or THEORY inside the 99% batch-means interval. */
static void
qt_check(struct harness *h, double theory, const char *what)
{
	const size_t nb = 20, skip = 1000;
	size_t per = (h->n - skip) / nb;
	double bm[20], mean = 0, var = 0;
	for (size_t b = 0; b < nb; b++) {
		double s = 0;
		for (size_t i = 0; i < per; i++) {
			const struct disk_io *io = &h->ios[skip + b * per + i];
			s += io->t_done - io->t_issue;
		}
		bm[b] = s / (double)per;
		mean += bm[b] / (double)nb;
	}
	for (size_t b = 0; b < nb; b++)
		var += (bm[b] - mean) * (bm[b] - mean) / (double)(nb - 1);
	double half = 2.861 * sqrt(var / (double)nb); /* t(0.995, 19 d.f.) */
	double rel = fabs(mean - theory) / theory;
	printf("%s: mean response %.3f us, theory %.3f us (%.2f%%), 99%% CI +-%.3f us\n", what,
	       mean * 1e6, theory * 1e6, rel * 100, half * 1e6);
	ck_assert_msg(rel < 0.03 || fabs(mean - theory) <= half,
	              "%s: mean %.3f us vs theory %.3f us (CI +-%.3f)", what, mean * 1e6,
	              theory * 1e6, half * 1e6);
	/* Little's law, exactly (the run starts and ends empty) */
	const struct disk_stats *st = disk_get_stats(h->d);
	double span = st->t_last - st->t_first;
	double L = st->area / span, lw = st->sum_resp / span;
	ck_assert_msg(fabs(L - lw) <= 1e-9 * lw, "Little: L %.12f vs lambda W %.12f", L, lw);
}

/* ---- the arrival a model is given (disk.c note 8) ---- */

/* A model taking 1 ms a request that records, in service order, the time each request became
 * one the drive holds. */
struct arr_cfg {
	int unused;
};
static double arr_seen[8];
static int arr_n;

static void *
arr_create(const void *cfg, GError **err)
{
	return g_new0(struct arr_cfg, 1);
}

static uint64_t
arr_capacity(const void *m)
{
	return 1000000;
}

static int
arr_channels(const void *m)
{
	return 1;
}

static void
arr_service(void *m, enum io_dir op, uint64_t lbn, uint32_t nsect, double now, double queued,
            struct disk_svc *out)
{
	if (arr_n < 8)
		arr_seen[arr_n++] = queued;
	*out = (struct disk_svc){.xfer = 1e-3};
}

static void
arr_service_plain(void *m, enum io_dir op, uint64_t lbn, uint32_t nsect, double now,
                  struct disk_svc *out)
{
	arr_service(m, op, lbn, nsect, now, now, out);
}

static const struct disk_param arr_params[] = {{NULL}};

static const struct disk_model arr_model = {
    .name = "test-arrival",
    .summary = "test only: 1 ms a request, records the arrival it is given",
    .params = arr_params,
    .cfg_size = sizeof(struct arr_cfg),
    .create = arr_create,
    .destroy = g_free,
    .capacity = arr_capacity,
    .channels = arr_channels,
    .service = arr_service_plain,
    .service_queued = arr_service,
};

/* Four requests at t = 0 to a drive of queue_depth 2 without a block layer (as `replay`
 * drives it, FCFS): the first starts at 0 (held at 0), the second is held at 0 (two tags:
 * one in service, one queued), the third gets a tag when the first completes (1 ms), the
 * fourth when the second does (2 ms).  So the model is given 0, 0, 1 ms, 2 ms: a request
 * that waited beyond the drive's tags is not one the drive could work on. */
START_TEST(test_drive_arrival)
{
	disk_model_register(&arr_model);
	arr_n = 0;
	static const struct h_req q[] = {
	    {0, IO_READ, 0, 8}, {0, IO_READ, 100, 8}, {0, IO_READ, 200, 8}, {0, IO_READ, 300, 8}};
	struct harness *h =
	    h_run("[disk]\nmodel=test-arrival\nscheduler=fcfs\nqueue_depth=2\n", q, 4);
	static const double want[] = {0, 0, 1e-3, 2e-3};
	ck_assert_int_eq(arr_n, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_msg(fabs(arr_seen[i] - want[i]) < 1e-12,
		              "request %d held at %.9f, want %g", i, arr_seen[i], want[i]);
	(void)h;
}
END_TEST

START_TEST(test_mm1)
{
	/* rho = 0.6: W = 1 / (mu - lambda) = 1 / (10000 - 6000) = 250 us */
	struct qt c = {6000, 100, "exp", 201000};
	qt_check(qt_run(&c), 1.0 / (10000.0 - 6000.0), "M/M/1 rho=0.6");
}
END_TEST

START_TEST(test_md1)
{
	/* rho = 0.6: W = S + rho S / (2 (1 - rho)) = 100 + 60 / 0.8 = 175 us */
	struct qt c = {6000, 100, "const", 201000};
	qt_check(qt_run(&c), 100e-6 + 0.6 * 100e-6 / (2 * 0.4), "M/D/1 rho=0.6");
}
END_TEST

START_TEST(test_bad_disk)
{
	static const struct {
		const char *ini, *key, *line;
	} cases[] = {
	    {"[disk]\nmodel=tape\n", "model", ":2:"},
	    {"[disk]\nmodel=ssd\nscheduler=elevator\n", "scheduler", ":3:"},
	    {"[disk]\nmodel=ssd\nqueue_depth=0\n", "queue_depth", ":3:"},
	    {"[disk]\nmodel=ssd\nchannels=-1\n", "channels", ":3:"},
	    {"[disk]\nmodel=simple\nservice_dist=gamma\n", "service_dist", ":3:"},
	    {"[disk]\nmodel=ssd\nrpm=7200\n", "rpm", ":3:"},
	    {"[disk]\nmodel=ssd\n[block]\nscheduler=cfq\n", "scheduler", ":4:"},
	    {"[disk]\nmodel=ssd\n[block]\nnr_requests=0\n", "nr_requests", ":4:"},
	    {"[disk]\nmodel=ssd\n[block]\nread_expire=-1\n", "read_expire", ":4:"},
	    {"[disk]\nmodel=ssd\n[block]\nfifo_batch=0\n", "fifo_batch", ":4:"},
	    {"[disk]\nmodel=ssd\n[block]\nelevator=noop\n", "elevator", ":4:"},
	    {"[disk]\nmodel=ssd\nage_limit_ms=-1\n", "age_limit_ms", ":3:"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct scn *s = tu_plain(cases[i].ini);
		GError *err = NULL;
		struct disk *d =
		    cfg_disk(scn_section(s, "disk"), scn_section(s, "block"), 1, 0, &err);
		ck_assert_msg(d == NULL, "case %zu accepted", i);
		ck_assert_msg(strstr(err->message, cases[i].key) &&
		                  strstr(err->message, cases[i].line),
		              "case %zu: message '%s' does not name line %s and %s", i,
		              err->message, cases[i].line, cases[i].key);
		g_error_free(err);
		scn_free(s);
	}
}
END_TEST

Suite *
suite_disk(void)
{
	Suite *s = suite_create("disk");
	TCase *tc = tcase_create("scheduler");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_scheduler_order, 0, G_N_ELEMENTS(sched_cases));
	tcase_add_test(tc, test_channels);
	tcase_add_test(tc, test_ssd_closed_form);
	tcase_add_test(tc, test_ssd_interface_gaps);
	tcase_add_test(tc, test_spec_interface);
	tcase_add_loop_test(tc, test_merge, 0, 2);
	tcase_add_test(tc, test_no_merge);
	tcase_add_test(tc, test_nr_requests);
	tcase_add_loop_test(tc, test_ncq_reorders, 0, 2);
	tcase_add_loop_test(tc, test_age_limit, 0, 2);
	tcase_add_test(tc, test_bad_disk);
	tcase_add_test(tc, test_drive_arrival);
	suite_add_tcase(s, tc);
	tc = tcase_create("queueing");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mm1);
	tcase_add_test(tc, test_md1);
	suite_add_tcase(s, tc);
	return s;
}

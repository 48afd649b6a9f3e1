/*
 * test_block.c -- the block layer on hand-made queues: none's order, mq-deadline's sector
 * order and batches, deadline expiry, writes_starved, fifo_batch, merge counts and the
 * request pool.  Expected orders are worked out by hand from Linux v5.10's
 * __dd_dispatch_request (models/block.c note 1), step by step in each comment; bfq's from
 * models/block.c note 5 (B-WF2Q+ virtual times written out in each comment).
 */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "models/block.h"
#include "sim/config.h"
#include "sim/scenario.h"
#include "tests/testutil.h"

struct bio {
	double at; /* insertion time */
	enum io_dir op;
	uint64_t lbn;
	uint32_t nsect;
	uint32_t ioc; /* bfq: the submitting thread */
};

/* A block layer with SCHED's defaults (queue depth 32), changed by the caller. */
static struct blk_config
cfg(enum blk_sched sched)
{
	struct blk_config c;
	blk_config_default(&c, sched, 32);
	return c;
}

static struct disk_io *
insert_all(struct blk *b, const struct bio *q, size_t n)
{
	struct disk_io *ios = g_new0(struct disk_io, n);
	for (size_t i = 0; i < n; i++) {
		ios[i].op = q[i].op;
		ios[i].lbn = q[i].lbn;
		ios[i].nsect = q[i].nsect;
		ios[i].id = i;
		ios[i].ioc = q[i].ioc;
		blk_insert(b, &ios[i], q[i].at);
		blk_check(b);
	}
	return ios;
}

/* Dispatch everything at times AT[k] (the last repeated), and check the ids against WANT. */
static void
expect_order(struct blk *b, const double *at, size_t nat, const uint64_t *want, size_t n,
             const char *what)
{
	for (size_t k = 0; k < n; k++) {
		double t = at[k < nat ? k : nat - 1];
		struct disk_io *rq = blk_dispatch(b, t);
		ck_assert_msg(rq, "%s: nothing at step %zu", what, k);
		ck_assert_msg(rq->id == want[k], "%s: step %zu dispatched %llu, expected %llu",
		              what, k, (unsigned long long)rq->id, (unsigned long long)want[k]);
		blk_check(b);
		blk_complete(b, rq, t);
	}
	ck_assert(blk_dispatch(b, 1e9) == NULL);
	ck_assert_int_eq(blk_in_use(b), 0);
}

START_TEST(test_none_fifo)
{
	/* none: arrival order, whatever the direction and sector */
	static const struct bio q[] = {{0, IO_WRITE, 900, 8, 0},
	                               {0, IO_READ, 100, 8, 0},
	                               {0, IO_WRITE, 500, 8, 0},
	                               {0, IO_READ, 300, 8, 0}};
	struct blk_config c = cfg(BLK_SCHED_NONE);
	ck_assert_int_eq(c.nr_requests, 32); /* the tag set's depth */
	struct blk *b = blk_create(&c);
	insert_all(b, q, 4);
	static const double at[] = {0};
	static const uint64_t want[] = {0, 1, 2, 3};
	expect_order(b, at, 1, want, 4, "none");
	blk_destroy(b);
}
END_TEST

START_TEST(test_deadline_sorted)
{
	/* reads at 500, 100, 300, 900, nothing dispatched before: no next request, so the
	 * FIFO head 500; the batch goes on in sector order: 900; nothing above 900: a new
	 * batch from the FIFO head, 100, then 300 in sector order */
	static const struct bio q[] = {{0, IO_READ, 500, 8, 0},
	                               {0, IO_READ, 100, 8, 0},
	                               {0, IO_READ, 300, 8, 0},
	                               {0, IO_READ, 900, 8, 0}};
	struct blk_config c = cfg(BLK_SCHED_MQ_DEADLINE);
	ck_assert_int_eq(c.nr_requests, 64); /* 2 x min(32, 128) */
	struct blk *b = blk_create(&c);
	insert_all(b, q, 4);
	static const double at[] = {0.01};
	static const uint64_t want[] = {0, 3, 1, 2};
	expect_order(b, at, 1, want, 4, "sorted");
	blk_destroy(b);
}
END_TEST

/* Writes A at 1000 (t=0), then C at 10 and B at 2000 (t=1 ms): the FIFO is A, C, B.  A goes
 * first (no next request); the next in sector order is B.  With fifo_batch=1 the second
 * dispatch starts a batch: before write_expire (5 s) has passed for C, B (sector order); at
 * 6 s C has expired and goes next.  With fifo_batch=16 the batch goes on to B even then
 * (Linux checks expiry only when a batch starts). */
static const struct bio expire_q[] = {
    {0, IO_WRITE, 1000, 8, 0}, {1e-3, IO_WRITE, 10, 8, 0}, {1e-3, IO_WRITE, 2000, 8, 0}};

START_TEST(test_deadline_expiry)
{
	static const struct {
		int fifo_batch;
		double t2;
		uint64_t want[3];
		uint64_t nexpired; /* batches started from an expired FIFO head */
	} cases[] = {
	    {1, 3.0, {0, 2, 1}, 0},  /* C's deadline 5.001 s not reached */
	    {1, 6.0, {0, 1, 2}, 2},  /* expired: C next; then B, expired too, heads the FIFO */
	    {16, 6.0, {0, 2, 1}, 1}, /* the batch goes on to B; C starts the next, expired */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct blk_config c = cfg(BLK_SCHED_MQ_DEADLINE);
		c.fifo_batch = cases[i].fifo_batch;
		struct blk *b = blk_create(&c);
		insert_all(b, expire_q, 3);
		double at[] = {2e-3, cases[i].t2};
		char what[64];
		snprintf(what, sizeof what, "expiry case %zu", i);
		expect_order(b, at, 2, cases[i].want, 3, what);
		ck_assert_uint_eq(blk_get_stats(b)->nexpired, cases[i].nexpired);
		blk_destroy(b);
	}
}
END_TEST

START_TEST(test_deadline_read_expire)
{
	/* the same for reads, with read_expire 500 ms: C waits 0.6 s -> expired */
	struct bio q[3];
	for (int i = 0; i < 3; i++)
		q[i] = expire_q[i], q[i].op = IO_READ;
	struct blk_config c = cfg(BLK_SCHED_MQ_DEADLINE);
	c.fifo_batch = 1;
	struct blk *b = blk_create(&c);
	insert_all(b, q, 3);
	static const double at[] = {2e-3, 0.6};
	static const uint64_t want[] = {0, 1, 2};
	expect_order(b, at, 2, want, 3, "read expiry");
	blk_destroy(b);
}
END_TEST

START_TEST(test_writes_starved)
{
	/* reads R1..R4 at 100..400 and a write W at 1000, fifo_batch=1 so every dispatch starts
	 * a batch.  writes_starved=2: starved 0 -> 1 (read R1), 1 -> 2 (read R2), 2 >= 2: the
	 * write, starved = 0; then R3 (1), R4 (2).  writes_starved=0: the write first. */
	static const struct bio q[] = {{0, IO_READ, 100, 8, 0},
	                               {0, IO_READ, 200, 8, 0},
	                               {0, IO_READ, 300, 8, 0},
	                               {0, IO_READ, 400, 8, 0},
	                               {0, IO_WRITE, 1000, 8, 0}};
	static const struct {
		int starved;
		uint64_t want[5];
	} cases[] = {{2, {0, 1, 4, 2, 3}}, {0, {4, 0, 1, 2, 3}}, {10, {0, 1, 2, 3, 4}}};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct blk_config c = cfg(BLK_SCHED_MQ_DEADLINE);
		c.fifo_batch = 1;
		c.writes_starved = cases[i].starved;
		struct blk *b = blk_create(&c);
		insert_all(b, q, 5);
		static const double at[] = {0.01};
		char what[64];
		snprintf(what, sizeof what, "writes_starved=%d", cases[i].starved);
		expect_order(b, at, 1, cases[i].want, 5, what);
		blk_destroy(b);
	}
}
END_TEST

START_TEST(test_fifo_batch)
{
	/* reads, FIFO A 100, C 400, B 300, D 200, all expired at 1 s.  First dispatch at
	 * 0.1 s: A (no next); the batch goes on in sector order: D 200.  fifo_batch=2: the
	 * third starts a batch at 1 s, C (FIFO head) has expired: C, then its next in sector
	 * order... none above 400: B.  fifo_batch=16: the batch goes on: B 300, C 400. */
	static const struct bio q[] = {{0, IO_READ, 100, 8, 0},
	                               {0, IO_READ, 400, 8, 0},
	                               {0, IO_READ, 300, 8, 0},
	                               {0, IO_READ, 200, 8, 0}};
	static const double at[] = {0.1, 0.1, 1.0};
	struct blk_config c = cfg(BLK_SCHED_MQ_DEADLINE);
	c.fifo_batch = 2;
	struct blk *b = blk_create(&c);
	insert_all(b, q, 4);
	static const uint64_t want2[] = {0, 3, 1, 2};
	expect_order(b, at, 3, want2, 4, "fifo_batch=2");
	blk_destroy(b);
	c.fifo_batch = 16;
	b = blk_create(&c);
	insert_all(b, q, 4);
	static const uint64_t want16[] = {0, 3, 2, 1};
	expect_order(b, at, 3, want16, 4, "fifo_batch=16");
	blk_destroy(b);
}
END_TEST

START_TEST(test_merge_counts)
{
	/* writes [0,8) and [16,24); a read [8,16) does not merge (other direction); a write
	 * [8,16) back-merges into [0,8), which then touches [16,24) and absorbs it: 2 requests
	 * in use of 4 bios -> 1 read + 1 write request; then a write [24,32) back-merges (the
	 * request ends at 24) and a write [-..) in front at [100-8) starts its own */
	static const struct bio q[] = {{0, IO_WRITE, 0, 8, 0},  {0, IO_WRITE, 16, 8, 0},
	                               {0, IO_READ, 8, 8, 0},   {0, IO_WRITE, 8, 8, 0},
	                               {0, IO_WRITE, 24, 8, 0}, {0, IO_WRITE, 92, 8, 0}};
	struct blk_config c = cfg(BLK_SCHED_MQ_DEADLINE);
	struct blk *b = blk_create(&c);
	struct disk_io *ios = insert_all(b, q, 6);
	const struct blk_stats *st = blk_get_stats(b);
	ck_assert_uint_eq(st->nbio, 6);
	ck_assert_uint_eq(st->nmerged, 2);    /* [8,16) and [24,32) */
	ck_assert_uint_eq(st->nrq_merged, 1); /* [16,24) absorbed */
	ck_assert_int_eq(blk_in_use(b), 3);   /* write [0,32), read [8,16), write [92,100) */
	ck_assert_uint_eq(ios[0].rq_lbn, 0);
	ck_assert_uint_eq(ios[0].rq_nsect, 32);
	/* front merge: [84,92) joins [92,100) in front */
	struct disk_io f = {.op = IO_WRITE, .lbn = 84, .nsect = 8};
	blk_insert(b, &f, 0);
	ck_assert_uint_eq(ios[5].rq_lbn, 84);
	ck_assert_uint_eq(st->nmerged, 3);
	blk_check(b);
	blk_destroy(b);
	g_free(ios);

	/* front_merges=0: the same front merge opens a request; merges=0: nothing merges;
	 * max_sectors 16: [0,8)+[8,16) fits, +[16,24) does not */
	static const struct bio fq[] = {{0, IO_WRITE, 92, 8, 0}, {0, IO_WRITE, 84, 8, 0}};
	c.front_merges = false;
	b = blk_create(&c);
	g_free(insert_all(b, fq, 2));
	ck_assert_uint_eq(blk_get_stats(b)->nmerged, 0);
	ck_assert_int_eq(blk_in_use(b), 2);
	blk_destroy(b);
	c = cfg(BLK_SCHED_MQ_DEADLINE);
	c.merges = false;
	b = blk_create(&c);
	g_free(insert_all(b, q, 6));
	ck_assert_uint_eq(blk_get_stats(b)->nmerged, 0);
	ck_assert_int_eq(blk_in_use(b), 6);
	blk_destroy(b);
	static const struct bio mq[] = {
	    {0, IO_WRITE, 0, 8, 0}, {0, IO_WRITE, 8, 8, 0}, {0, IO_WRITE, 16, 8, 0}};
	c = cfg(BLK_SCHED_MQ_DEADLINE);
	c.max_sectors = 16;
	b = blk_create(&c);
	g_free(insert_all(b, mq, 3));
	ck_assert_uint_eq(blk_get_stats(b)->nmerged, 1);
	ck_assert_int_eq(blk_in_use(b), 2);
	blk_destroy(b);
}
END_TEST

START_TEST(test_pool)
{
	/* nr_requests=2: two requests in use -> full for a bio that cannot merge, not for one
	 * that can; a completion frees a slot */
	struct blk_config c = cfg(BLK_SCHED_MQ_DEADLINE);
	c.nr_requests = 2;
	struct blk *b = blk_create(&c);
	static const struct bio q[] = {{0, IO_READ, 0, 8, 0}, {0, IO_READ, 100, 8, 0}};
	struct disk_io *ios = insert_all(b, q, 2);
	struct disk_io far = {.op = IO_READ, .lbn = 500, .nsect = 8};
	struct disk_io near = {.op = IO_READ, .lbn = 108, .nsect = 8};
	ck_assert(blk_full(b, &far));
	ck_assert(!blk_full(b, &near));
	struct disk_io *rq = blk_dispatch(b, 0);
	ck_assert(rq == &ios[0]);
	ck_assert(blk_full(b, &far)); /* dispatched still holds its slot */
	blk_complete(b, rq, 0);
	ck_assert(!blk_full(b, &far));
	blk_destroy(b);
	g_free(ios);
}
END_TEST

/* ---- bfq (models/block.c note 5) ---- */

/* bfq with SLICE_IDLE, merges off (each bio its own request) and budget BUDGET. */
static struct blk_config
bfq_cfg(uint32_t budget, double slice_idle)
{
	struct blk_config c = cfg(BLK_SCHED_BFQ);
	c.merges = false;
	c.bfq_max_budget = budget;
	c.bfq_slice_idle = slice_idle;
	return c;
}

/* Two threads, A (ioc 1: sectors 0, 8, 16, 24) and B (ioc 2: 1000 .. 1024), 8 sectors each,
 * all at t=0, budget 16 sectors, no idling.  V = 0; both queues S = 0, F = 16 (A first on a
 * tie).  A in service: A0 (V += 8/2 = 4), A1 (V = 8); A2 does not fit the 8 sectors left:
 * BUDGET_EXHAUSTED, A charged 16, back with S = 16, F = 32.  Eligible (S <= V = 8): B only:
 * B0, B1 (V = 16); B exhausted, S = 16, F = 32.  Both eligible, F equal: A: A2, A3; A empty,
 * no idling: NO_MORE_REQUESTS; B: B2, B3.  Budget slots alternate: mq-deadline would serve
 * A0-A3 then B0-B3 (sector order in one batch). */
START_TEST(test_bfq_budgets)
{
	static const struct bio q[] = {{0, IO_READ, 0, 8, 1},    {0, IO_READ, 8, 8, 1},
	                               {0, IO_READ, 16, 8, 1},   {0, IO_READ, 24, 8, 1},
	                               {0, IO_READ, 1000, 8, 2}, {0, IO_READ, 1008, 8, 2},
	                               {0, IO_READ, 1016, 8, 2}, {0, IO_READ, 1024, 8, 2}};
	struct blk_config c = bfq_cfg(16, 0);
	struct blk *b = blk_create(&c);
	struct disk_io *ios = insert_all(b, q, 8);
	static const double at[] = {0.01};
	static const uint64_t want[] = {0, 1, 4, 5, 2, 3, 6, 7};
	expect_order(b, at, 1, want, 8, "bfq budgets");
	const struct blk_stats *st = blk_get_stats(b);
	ck_assert_uint_eq(st->nslots, 4);
	ck_assert_uint_eq(st->nexhausted, 2);
	/* A's slot ended empty; B's too, but the final empty-queue check comes at t = 1e9,
	 * past its budget timeout, so it counts as a timeout */
	ck_assert_uint_eq(st->nempty, 1);
	ck_assert_uint_eq(st->ntimeout, 1);
	blk_destroy(b);
	g_free(ios);
}
END_TEST

/* The budgets of test_bfq_budgets with A's requests async (the write-back daemon's writes):
 * each costs bfq_async_charge_factor (3) x 8 = 24 sectors of A's 16-sector budget
 * (bfq_serv_to_charge), so A gets one request a slot.  A0 (service 24, V = 24/2 = 12); A1
 * does not fit: A charged 24, back with S = 24, F = 48; only B eligible (0 <= 12): B0 (V =
 * 16), B1 (V = 20); B exhausted, S = 16, F = 32; B again (16 <= 20, A's 24 is not): B2,
 * B3; then A alone: A1, A2, A3 (a slot each).  Without the factor: 0 1 4 5 2 3 6 7. */
START_TEST(test_bfq_async_charge)
{
	static const struct bio q[] = {{0, IO_WRITE, 0, 8, 1},   {0, IO_WRITE, 8, 8, 1},
	                               {0, IO_WRITE, 16, 8, 1},  {0, IO_WRITE, 24, 8, 1},
	                               {0, IO_READ, 1000, 8, 2}, {0, IO_READ, 1008, 8, 2},
	                               {0, IO_READ, 1016, 8, 2}, {0, IO_READ, 1024, 8, 2}};
	struct blk_config c = bfq_cfg(16, 0.008); /* idling on: never for the async queue */
	struct blk *b = blk_create(&c);
	struct disk_io *ios = g_new0(struct disk_io, 8);
	for (size_t i = 0; i < 8; i++) {
		ios[i] = (struct disk_io){
		    .op = q[i].op, .lbn = q[i].lbn, .nsect = q[i].nsect, .id = i, .ioc = q[i].ioc};
		ios[i].async = q[i].ioc == 1;
		blk_insert(b, &ios[i], 0);
		ck_assert_double_eq_tol(ios[i].fifo_time, ios[i].async ? 0.25 : 0.125, 1e-12);
	}
	static const uint64_t want[] = {0, 4, 5, 6, 7, 1, 2, 3};
	double t = 0.001;
	for (size_t k = 0; k < 8; k++) {
		struct disk_io *rq = blk_dispatch(b, t);
		if (!rq && blk_timer(b) < INFINITY) /* B (sync) emptied: idled for, 8 ms */
			rq = blk_dispatch(b, t = blk_timer(b));
		ck_assert_msg(rq && rq->id == want[k], "step %zu: %lld, expected %llu", k,
		              rq ? (long long)rq->id : -1LL, (unsigned long long)want[k]);
		blk_complete(b, rq, t);
	}
	/* A (async) emptied in service: never idled for, no timer */
	ck_assert(blk_timer(b) == INFINITY);
	blk_destroy(b);
	g_free(ios);
}
END_TEST

/* Fair in sectors, not in requests: A (ioc 1) asks 64-sector requests, B (ioc 2) 8-sector
 * ones, budget 64.  A0 (V = 64/2 = 32); A exhausted, S = 64, F = 128; only B eligible
 * (0 <= 32): B0..B7, 64 sectors (V = 64); B exhausted, S = 64, F = 128; tie: A1; then B8-B15,
 * A2, B16-B23, A3, B24-B31.  Each queue gets 64 sectors a turn: A one request, B eight. */
START_TEST(test_bfq_sector_fair)
{
	struct bio q[36];
	for (int i = 0; i < 4; i++)
		q[i] = (struct bio){0, IO_READ, 64 * (uint64_t)i, 64, 1};
	for (int i = 0; i < 32; i++)
		q[4 + i] = (struct bio){0, IO_READ, 10000 + 8 * (uint64_t)i, 8, 2};
	struct blk_config c = bfq_cfg(64, 0);
	struct blk *b = blk_create(&c);
	struct disk_io *ios = insert_all(b, q, 36);
	uint64_t want[36];
	size_t n = 0;
	for (int turn = 0; turn < 4; turn++) {
		want[n++] = (uint64_t)turn;
		for (int k = 0; k < 8; k++)
			want[n++] = 4 + 8 * (uint64_t)turn + (uint64_t)k;
	}
	static const double at[] = {0.01};
	expect_order(b, at, 1, want, 36, "bfq sector fairness");
	blk_destroy(b);
	g_free(ios);
}
END_TEST

/* Idling (slice_idle 8 ms) on a drive that does not queue (hw_tag off): A (ioc 1) and B
 * (ioc 2) have one request each at t=0.  A0 goes; A is empty but its request is at the
 * drive: nothing else is dispatched.  A0 completes at 5 ms: the idle timer is armed for
 * 13 ms.  A's next request arrives at 10 ms and goes at once (idling paid off, B still
 * waits); it completes at 12 ms: timer 20 ms; at 20 ms A is TOO_IDLE and B0 goes.  Without
 * idling (slice_idle 0) B0 goes right after A0. */
START_TEST(test_bfq_idle)
{
	static const struct bio q[] = {{0, IO_READ, 0, 8, 1}, {0, IO_READ, 5000, 8, 2}};
	struct blk_config c = bfq_cfg(16384, 0.008);
	c.bfq_hw_tag = false;
	struct blk *b = blk_create(&c);
	struct disk_io *ios = insert_all(b, q, 2);
	struct disk_io *rq = blk_dispatch(b, 0);
	ck_assert(rq == &ios[0]);
	ck_assert(blk_dispatch(b, 0) == NULL); /* A's request is at the drive */
	ck_assert(blk_timer(b) == INFINITY);
	blk_complete(b, rq, 0.005);
	ck_assert_double_eq_tol(blk_timer(b), 0.013, 1e-12);
	ck_assert(blk_dispatch(b, 0.006) == NULL);
	struct disk_io a1 = {.op = IO_READ, .lbn = 8, .nsect = 8, .ioc = 1, .id = 9};
	blk_insert(b, &a1, 0.010);
	ck_assert(blk_timer(b) == INFINITY);
	rq = blk_dispatch(b, 0.010);
	ck_assert(rq == &a1);
	blk_complete(b, rq, 0.012);
	ck_assert_double_eq_tol(blk_timer(b), 0.020, 1e-12);
	ck_assert(blk_dispatch(b, 0.019) == NULL);
	rq = blk_dispatch(b, 0.020);
	ck_assert(rq == &ios[1]);
	ck_assert_uint_eq(blk_get_stats(b)->nidle_expired, 1);
	blk_check(b);
	blk_destroy(b);
	g_free(ios);

	c.bfq_slice_idle = 0;
	b = blk_create(&c);
	ios = insert_all(b, q, 2);
	ck_assert(blk_dispatch(b, 0) == &ios[0]);
	ck_assert(blk_dispatch(b, 0) == &ios[1]);
	blk_destroy(b);
	g_free(ios);
}
END_TEST

/* With the drive queueing (hw_tag) a seeky queue is not idled for: A (ioc 1) inserts 21
 * requests 1000 sectors apart (20 seeky samples > 19: BFQQ_SEEKY) and B one; once A's 21
 * are dispatched, B goes at once although A's requests are still at the drive.  A
 * sequential A (8 sectors apart: no seeky sample) keeps the device: nothing more is
 * dispatched while its requests are out. */
START_TEST(test_bfq_seeky)
{
	for (int seq = 0; seq < 2; seq++) {
		struct bio q[22];
		for (int i = 0; i < 21; i++)
			q[i] = (struct bio){0, IO_READ, (uint64_t)i * (seq ? 8 : 1000), 8, 1};
		q[21] = (struct bio){0, IO_READ, 900000, 8, 2};
		struct blk_config c = bfq_cfg(16384, 0.008);
		ck_assert(c.bfq_hw_tag); /* queue depth 32 > BFQ_HW_QUEUE_THRESHOLD */
		struct blk *b = blk_create(&c);
		struct disk_io *ios = insert_all(b, q, 22);
		for (int i = 0; i < 21; i++)
			ck_assert(blk_dispatch(b, 0) == &ios[i]);
		struct disk_io *next = blk_dispatch(b, 0);
		if (seq)
			ck_assert_msg(next == NULL, "sequential queue: no idling");
		else
			ck_assert_msg(next == &ios[21], "seeky queue: idled");
		blk_destroy(b);
		g_free(ios);
	}
}
END_TEST

/* On a rotational drive that does not queue (hw_tag off) bfq idles for every queue, but for a
 * seeky one at most BFQ_MIN_TT = 2 ms (bfq_arm_slice_timer): A's 21 requests, 1000 sectors
 * apart (seeky) or 8 apart (sequential), all complete at 5 ms: the timer is at 7 ms for the
 * seeky A and at 13 ms (slice_idle 8 ms) for the sequential one. */
START_TEST(test_bfq_seeky_idle)
{
	for (int seq = 0; seq < 2; seq++) {
		struct bio q[22];
		for (int i = 0; i < 21; i++)
			q[i] = (struct bio){0, IO_READ, (uint64_t)i * (seq ? 8 : 1000), 8, 1};
		q[21] = (struct bio){0, IO_READ, 900000, 8, 2};
		struct blk_config c = bfq_cfg(16384, 0.008);
		c.bfq_hw_tag = false;
		struct blk *b = blk_create(&c);
		struct disk_io *ios = insert_all(b, q, 22);
		for (int i = 0; i < 21; i++)
			ck_assert(blk_dispatch(b, 0) == &ios[i]);
		ck_assert(blk_dispatch(b, 0) == NULL); /* idling: A's requests are at the drive */
		for (int i = 0; i < 21; i++)
			blk_complete(b, &ios[i], 0.005);
		ck_assert_double_eq_tol(blk_timer(b), seq ? 0.013 : 0.007, 1e-12);
		ck_assert(blk_dispatch(b, blk_timer(b)) == &ios[21]);
		blk_destroy(b);
		g_free(ios);
	}
}
END_TEST

/* The budget timeout (125 ms) and the FIFO.  A (ioc 1) has requests at 1000 (t=0) and 10
 * (t=1 ms); B (ioc 2) one at 5000 (t=1 ms).  At t=0.1 A's slot starts: nothing is older than
 * fifo_expire_sync (125 ms), so sector order from 0: 10 (V = 8/2 = 4).  At t=0.2 the slot is
 * 100 ms old: A goes on (1000).  At t=0.25 (150 ms): BUDGET_TIMEOUT; 16 sectors of 16384
 * served (more than a third left), so A is charged for the time: max_budget x
 * min(0.15, 0.125) / 0.125 = 16384 sectors and put back (a request at 20 came at 0.2) with
 * S = 16384; B (S = 0) is served, then A again.
 * In a second run A's slot starts at 0.2: the FIFO head (1000, inserted at 0) has passed
 * its 125 ms (Linux's sync default; 250 ms is the async one) and goes first; then 10. */
START_TEST(test_bfq_timeout_fifo)
{
	static const struct bio q[] = {
	    {0, IO_READ, 1000, 8, 1}, {1e-3, IO_READ, 10, 8, 1}, {1e-3, IO_READ, 5000, 8, 2}};
	struct blk_config c = bfq_cfg(16384, 0);
	struct blk *b = blk_create(&c);
	struct disk_io *ios = insert_all(b, q, 3);
	ck_assert(blk_dispatch(b, 0.1) == &ios[1]);
	ck_assert(blk_dispatch(b, 0.2) == &ios[0]);
	struct disk_io a2 = {.op = IO_READ, .lbn = 20, .nsect = 8, .ioc = 1, .id = 9};
	blk_insert(b, &a2, 0.2);
	ck_assert(blk_dispatch(b, 0.25) == &ios[2]);
	ck_assert_uint_eq(blk_get_stats(b)->ntimeout, 1);
	ck_assert(blk_dispatch(b, 0.25) == &a2); /* B empty, no idling: A again */
	blk_destroy(b);
	g_free(ios);

	b = blk_create(&c);
	ios = insert_all(b, q, 3);
	ck_assert(blk_dispatch(b, 0.2) == &ios[0]);
	ck_assert_uint_eq(blk_get_stats(b)->nexpired, 1);
	ck_assert(blk_dispatch(b, 0.2) == &ios[1]);
	blk_destroy(b);
	g_free(ios);
}
END_TEST

/* bfq's [block] keys (sysfs names, ms and KiB as in /sys/block/X/queue/iosched/) reach the
 * scheduler.  Defaults: slice_idle 8 ms, timeout_sync 125 ms, max_budget 16384 sectors,
 * fifo_expire_sync 125 ms, fifo_expire_async 250 ms, back_seek_max 16384 KiB = 32768
 * sectors, back_seek_penalty 2.
 * The queue order on a drive of one tag (hw_tag off, rotational: bfq idles): A (ioc 1) and B
 * (ioc 2) have one request each at t=0; A0 goes at 0 and completes at 5 ms; A's next request
 * A1 arrives at 10 ms.
 *   slice_idle=8 (default): the idle timer runs to 5 + 8 = 13 ms > 10: A1 goes at 10 ms, before
 *   B0 (A0, A1, B0; B0 after A1 completes at 12 ms + 8 = 20 ms).
 *   slice_idle=3: the timer ends at 5 + 3 = 8 ms < 10: A is TOO_IDLE at 8 ms, B0 goes then
 *   and B keeps the device while B0 is at the drive (done at 12 ms) and 3 ms more: A1 goes at
 *   15 ms (A0, B0, A1). */
static void
bfq_keys_order(const char *text, const uint64_t *want)
{
	struct scn *sc = tu_plain(text);
	struct blk_config c;
	GError *e = NULL;
	ck_assert_msg(cfg_block(scn_section(sc, "block"), NULL, 1, 1, &c, &e), "%s",
	              e ? e->message : "");
	c.merges = false;
	struct blk *b = blk_create(&c);
	static const struct bio q[] = {{0, IO_READ, 0, 8, 1}, {0, IO_READ, 5000, 8, 2}};
	struct disk_io *ios = insert_all(b, q, 2);
	struct disk_io a1 = {.op = IO_READ, .lbn = 8, .nsect = 8, .ioc = 1, .id = 2};
	struct disk_io *rq = blk_dispatch(b, 0);
	ck_assert(rq && rq->id == want[0]);
	blk_complete(b, rq, 0.005);
	/* step the clock by 1 ms; A1 arrives at 10 ms; each request takes 2 ms after A0 */
	double busy_until = 0;
	struct disk_io *busy = NULL;
	size_t k = 1;
	for (int ms = 6; ms <= 40 && k < 3; ms++) {
		double t = ms / 1e3;
		if (ms == 10)
			blk_insert(b, &a1, t);
		if (busy && t >= busy_until - 1e-12) {
			blk_complete(b, busy, t);
			busy = NULL;
		}
		if (!busy && (rq = blk_dispatch(b, t))) {
			ck_assert_msg(rq->id == want[k], "step %zu at %d ms: %llu, expected %llu",
			              k, ms, (unsigned long long)rq->id,
			              (unsigned long long)want[k]);
			k++;
			busy = rq;
			busy_until = t + 0.002;
		}
		blk_check(b);
	}
	ck_assert_uint_eq(k, 3);
	blk_destroy(b);
	g_free(ios);
	scn_free(sc);
}

START_TEST(test_bfq_keys)
{
	struct scn *sc = tu_plain("[block]\nscheduler=bfq\n");
	struct blk_config c;
	GError *e = NULL;
	ck_assert(cfg_block(scn_section(sc, "block"), NULL, 32, 1, &c, &e));
	ck_assert_double_eq_tol(c.bfq_slice_idle, 0.008, 1e-12);
	ck_assert_double_eq_tol(c.bfq_timeout, 0.125, 1e-12);
	ck_assert_uint_eq(c.bfq_max_budget, 16384);
	ck_assert_double_eq_tol(c.bfq_fifo_expire, 0.125, 1e-12);
	ck_assert_double_eq_tol(c.bfq_fifo_expire_async, 0.25, 1e-12);
	ck_assert_uint_eq(c.bfq_back_max, 32768);
	ck_assert_uint_eq(c.bfq_back_penalty, 2);
	scn_free(sc);
	sc = tu_plain("[block]\nscheduler=bfq\nslice_idle=2\ntimeout_sync=50\nmax_budget=4096\n"
	              "fifo_expire_sync=100\nfifo_expire_async=40\nback_seek_max=8\n"
	              "back_seek_penalty=5\nlow_latency=0\n");
	ck_assert_msg(cfg_block(scn_section(sc, "block"), NULL, 32, 1, &c, &e), "%s",
	              e ? e->message : "");
	ck_assert_double_eq_tol(c.bfq_slice_idle, 0.002, 1e-12);
	ck_assert_double_eq_tol(c.bfq_timeout, 0.050, 1e-12);
	ck_assert_uint_eq(c.bfq_max_budget, 4096);
	ck_assert_double_eq_tol(c.bfq_fifo_expire, 0.1, 1e-12);
	ck_assert_double_eq_tol(c.bfq_fifo_expire_async, 0.04, 1e-12);
	ck_assert_uint_eq(c.bfq_back_max, 16); /* 8 KiB */
	ck_assert_uint_eq(c.bfq_back_penalty, 5);
	scn_free(sc);
	/* low_latency=1 (Linux's default) is refused: weight raising is not modelled */
	sc = tu_plain("[block]\nscheduler=bfq\nlow_latency=1\n");
	ck_assert(!cfg_block(scn_section(sc, "block"), NULL, 32, 1, &c, &e));
	ck_assert_msg(strstr(e->message, "low_latency") && strstr(e->message, "weight raising"),
	              "%s", e->message);
	g_clear_error(&e);
	scn_free(sc);

	static const uint64_t idle8[] = {0, 2, 1}, idle3[] = {0, 1, 2};
	bfq_keys_order("[block]\nscheduler=bfq\n", idle8);
	bfq_keys_order("[block]\nscheduler=bfq\nslice_idle=3\n", idle3);
}
END_TEST

Suite *
suite_block(void)
{
	Suite *s = suite_create("block");
	TCase *tc = tcase_create("schedulers");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_none_fifo);
	tcase_add_test(tc, test_deadline_sorted);
	tcase_add_test(tc, test_deadline_expiry);
	tcase_add_test(tc, test_deadline_read_expire);
	tcase_add_test(tc, test_writes_starved);
	tcase_add_test(tc, test_fifo_batch);
	tcase_add_test(tc, test_merge_counts);
	tcase_add_test(tc, test_pool);
	tcase_add_test(tc, test_bfq_budgets);
	tcase_add_test(tc, test_bfq_sector_fair);
	tcase_add_test(tc, test_bfq_idle);
	tcase_add_test(tc, test_bfq_seeky);
	tcase_add_test(tc, test_bfq_async_charge);
	tcase_add_test(tc, test_bfq_seeky_idle);
	tcase_add_test(tc, test_bfq_timeout_fifo);
	tcase_add_test(tc, test_bfq_keys);
	suite_add_tcase(s, tc);
	return s;
}

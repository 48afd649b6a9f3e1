/*
 * test_block.c -- the block layer on hand-made queues: none's order, mq-deadline's sector
 * order and batches, deadline expiry, writes_starved, fifo_batch, merge counts and the
 * request pool.  Expected orders are worked out by hand from Linux v5.10's
 * __dd_dispatch_request (models/block.c note 1), step by step in each comment.
 */
#include <check.h>
#include <glib.h>
#include <stdio.h>

#include "models/block.h"

struct bio {
	double at; /* insertion time */
	enum io_dir op;
	uint64_t lbn;
	uint32_t nsect;
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
		blk_complete(b);
	}
	ck_assert(blk_dispatch(b, 1e9) == NULL);
	ck_assert_int_eq(blk_in_use(b), 0);
}

START_TEST(test_none_fifo)
{
	/* none: arrival order, whatever the direction and sector */
	static const struct bio q[] = {{0, IO_WRITE, 900, 8},
	                               {0, IO_READ, 100, 8},
	                               {0, IO_WRITE, 500, 8},
	                               {0, IO_READ, 300, 8}};
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
	static const struct bio q[] = {
	    {0, IO_READ, 500, 8}, {0, IO_READ, 100, 8}, {0, IO_READ, 300, 8}, {0, IO_READ, 900, 8}};
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
    {0, IO_WRITE, 1000, 8}, {1e-3, IO_WRITE, 10, 8}, {1e-3, IO_WRITE, 2000, 8}};

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
	static const struct bio q[] = {{0, IO_READ, 100, 8},
	                               {0, IO_READ, 200, 8},
	                               {0, IO_READ, 300, 8},
	                               {0, IO_READ, 400, 8},
	                               {0, IO_WRITE, 1000, 8}};
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
	static const struct bio q[] = {
	    {0, IO_READ, 100, 8}, {0, IO_READ, 400, 8}, {0, IO_READ, 300, 8}, {0, IO_READ, 200, 8}};
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
	static const struct bio q[] = {{0, IO_WRITE, 0, 8},  {0, IO_WRITE, 16, 8},
	                               {0, IO_READ, 8, 8},   {0, IO_WRITE, 8, 8},
	                               {0, IO_WRITE, 24, 8}, {0, IO_WRITE, 92, 8}};
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
	static const struct bio fq[] = {{0, IO_WRITE, 92, 8}, {0, IO_WRITE, 84, 8}};
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
	    {0, IO_WRITE, 0, 8}, {0, IO_WRITE, 8, 8}, {0, IO_WRITE, 16, 8}};
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
	static const struct bio q[] = {{0, IO_READ, 0, 8}, {0, IO_READ, 100, 8}};
	struct disk_io *ios = insert_all(b, q, 2);
	struct disk_io far = {.op = IO_READ, .lbn = 500, .nsect = 8};
	struct disk_io near = {.op = IO_READ, .lbn = 108, .nsect = 8};
	ck_assert(blk_full(b, &far));
	ck_assert(!blk_full(b, &near));
	struct disk_io *rq = blk_dispatch(b, 0);
	ck_assert(rq == &ios[0]);
	ck_assert(blk_full(b, &far)); /* dispatched still holds its slot */
	blk_complete(b);
	ck_assert(!blk_full(b, &far));
	blk_destroy(b);
	g_free(ios);
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
	suite_add_tcase(s, tc);
	return s;
}

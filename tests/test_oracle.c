/*
 * test_oracle.c -- the correctness oracle on hand-built timelines whose verdicts follow from
 * DESIGN.md §3.5's definitions (worked out in the comments), independent of any simulation.
 */
#include <glib.h>

#include "models/oracle.h"
#include "tests/testutil.h"

/* Verdicts by kind: how many, and the first requests' ids (every request here is recorded
 * with tag 7, which must come back unchanged). */
struct counts {
	int n[5];
	uint64_t req[5][4];
};

static void
count(void *ctx, const struct or_verdict *v)
{
	struct counts *c = ctx;
	ck_assert_uint_eq(v->tag, 7);
	if (c->n[v->kind] < 4)
		c->req[v->kind][c->n[v->kind]] = v->req;
	c->n[v->kind]++;
}

static struct or_totals
judge(struct oracle *o, struct counts *c)
{
	struct or_totals t;
	*c = (struct counts){0};
	or_evaluate(o, count, c, &t);
	return t;
}

START_TEST(test_clean_sequence)
{
	/* W1 then W2 on the same 8 sectors, one after the other, R reads after both: no
	 * violation of any kind. */
	struct oracle *o = or_new();
	uint32_t w1 = or_write_new(o, 0, 0, 8, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 8, w1, 0.0, 1.0);
	or_write_done(o, w1, 1.0);
	uint32_t w2 = or_write_new(o, 0, 0, 8, 2.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 8, w2, 2.0, 1.0);
	or_write_done(o, w2, 3.0);
	or_writeback(o, 0, 0, 8, 4.0, 4.5, 0.5);
	uint32_t r = or_read_new(o, 0, 0, 8, 5.0, true, __LINE__, 7);
	or_read_copy(o, r, OR_CACHE, 0, 8, 5.0, 1.0);
	or_read_done(o, r, 6.0);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.torn_reads + t.torn_writes + t.stale_reads + t.lost_writes, 0);
	or_free(o);
}
END_TEST

START_TEST(test_torn_read)
{
	/* W copies 8 sectors over [0, 8]: sector i lands at i + 1.  R copies them over [3, 4]:
	 * sector i is read at 3 + (i + 1) / 8.  Sectors 0-2 landed (at 1, 2, 3) before R reads
	 * them (3.125 .. 3.375): R sees W; sector 3 lands at 4, read at 3.5: R sees the old
	 * version.  R saw W on some shared sectors and older data on others: torn. */
	struct oracle *o = or_new();
	uint32_t w = or_write_new(o, 0, 0, 8, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 8, w, 0.0, 8.0);
	uint32_t r = or_read_new(o, 0, 0, 8, 3.0, true, __LINE__, 7);
	or_read_copy(o, r, OR_CACHE, 0, 8, 3.0, 1.0);
	or_read_done(o, r, 4.0);
	or_write_done(o, w, 8.0);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.torn_reads, 1);
	ck_assert_int_eq(c.n[OR_TORN_READ], 1);
	ck_assert_uint_eq(t.stale_reads, 0); /* W had not completed when R was issued */
	or_free(o);
}
END_TEST

START_TEST(test_concurrent_read_not_torn)
{
	/* the same interleaving, but R is of the concurrent class: no torn-read count */
	struct oracle *o = or_new();
	uint32_t w = or_write_new(o, 0, 0, 8, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 8, w, 0.0, 8.0);
	uint32_t r = or_read_new(o, 0, 0, 8, 3.0, false, __LINE__, 7);
	or_read_copy(o, r, OR_CACHE, 0, 8, 3.0, 1.0);
	or_write_done(o, w, 8.0);
	struct counts c;
	ck_assert_uint_eq(judge(o, &c).torn_reads, 0);
	or_free(o);
}
END_TEST

START_TEST(test_stale_read)
{
	/* W lands in the cache and completes at 1; the page is dropped without write-back
	 * (as an invalidation that lost the race would), and R reads the disk at 2: it sees
	 * version 0, older than W, which completed before R was issued: stale.  After the run
	 * the disk never got W: W is also a lost write. */
	struct oracle *o = or_new();
	uint32_t w = or_write_new(o, 0, 0, 8, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 8, w, 0.0, 1.0);
	or_write_done(o, w, 1.0);
	uint32_t r = or_read_new(o, 0, 0, 8, 2.0, true, __LINE__, 7);
	or_read_copy(o, r, OR_DISK, 0, 8, 2.0, 1.0);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.stale_reads, 1);
	ck_assert_uint_eq(t.lost_writes, 1);
	ck_assert_uint_eq(t.torn_reads, 0);
	or_free(o);
}
END_TEST

START_TEST(test_fill_and_writeback_chain)
{
	/* W lands in the cache [0,1]; write-back snapshots at 2, lands on disk [3,4]; the page
	 * is dropped; a fill at [5,6] brings the disk's content back; R reads the cache at 7:
	 * sees W everywhere.  No violation; the disk holds W (not lost). */
	struct oracle *o = or_new();
	uint32_t w = or_write_new(o, 0, 0, 8, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 8, w, 0.0, 1.0);
	or_write_done(o, w, 1.0);
	or_writeback(o, 0, 0, 8, 2.0, 3.0, 1.0);
	or_fill(o, 0, 0, 8, 5.0, 1.0, false);
	uint32_t r = or_read_new(o, 0, 0, 8, 7.0, true, __LINE__, 7);
	or_read_copy(o, r, OR_CACHE, 0, 8, 7.0, 1.0);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.stale_reads + t.torn_reads + t.lost_writes, 0);
	/* a write-back snapshot taken BEFORE W landed carries old data: lost */
	struct oracle *o2 = or_new();
	w = or_write_new(o2, 0, 0, 8, 0.0, true, __LINE__, 7);
	or_land(o2, OR_CACHE, 0, 0, 8, w, 1.0, 1.0);
	or_write_done(o2, w, 2.0);
	or_writeback(o2, 0, 0, 8, 0.5, 3.0, 1.0);
	ck_assert_uint_eq(judge(o2, &c).lost_writes, 1);
	or_free(o);
	or_free(o2);
}
END_TEST

START_TEST(test_torn_write)
{
	/* A copies sectors 0-7 over [0, 8] (sector i lands at i + 1); B over [0.5, 6] (sector
	 * i at 0.5 + 0.6875 (i + 1)).  Sector 0: A at 1, B at 1.19: B lands last; sector 7: B
	 * at 6, A at 8: A lands last.  Once both completed, the shared sectors hold partly B
	 * and partly A: a torn write, counted for both requests. */
	struct oracle *o = or_new();
	uint32_t a = or_write_new(o, 0, 0, 8, 0.0, true, 101, 7);
	uint32_t b = or_write_new(o, 0, 0, 8, 0.5, true, 102, 7);
	or_land(o, OR_CACHE, 0, 0, 8, a, 0.0, 8.0);
	or_land(o, OR_CACHE, 0, 0, 8, b, 0.5, 5.5);
	or_write_done(o, b, 6.0);
	or_write_done(o, a, 8.0);
	or_writeback(o, 0, 0, 8, 9.0, 9.5, 0.5);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.torn_writes, 2);
	ck_assert_int_eq(c.n[OR_TORN_WRITE], 2); /* the verdicts name both, by id */
	ck_assert(c.req[OR_TORN_WRITE][0] + c.req[OR_TORN_WRITE][1] == 203 &&
	          c.req[OR_TORN_WRITE][0] != c.req[OR_TORN_WRITE][1]);
	ck_assert_uint_eq(t.lost_writes, 0); /* the disk holds A, which overlapped B in time */
	or_free(o);
}
END_TEST

START_TEST(test_concurrent_overlaps)
{
	struct oracle *o = or_new();
	or_concurrent(o, 0, 0, 8, 0, 2, 201, 7);
	or_concurrent(o, 0, 4, 8, 1, 3, 202, 7);      /* overlaps the first in space and time */
	or_concurrent(o, 0, 4, 8, 5, 6, __LINE__, 7); /* same space, later */
	or_concurrent(o, 1, 0, 8, 0, 2, __LINE__, 7); /* another file */
	struct counts c;
	ck_assert_uint_eq(judge(o, &c).conc_overlaps, 2);
	ck_assert(c.req[OR_CONC_OVERLAP][0] + c.req[OR_CONC_OVERLAP][1] == 403 &&
	          c.req[OR_CONC_OVERLAP][0] != c.req[OR_CONC_OVERLAP][1]);
	or_free(o);
}
END_TEST

Suite *
suite_oracle(void)
{
	Suite *s = suite_create("oracle");
	TCase *tc = tcase_create("oracle");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_clean_sequence);
	tcase_add_test(tc, test_torn_read);
	tcase_add_test(tc, test_concurrent_read_not_torn);
	tcase_add_test(tc, test_stale_read);
	tcase_add_test(tc, test_fill_and_writeback_chain);
	tcase_add_test(tc, test_torn_write);
	tcase_add_test(tc, test_concurrent_overlaps);
	suite_add_tcase(s, tc);
	return s;
}

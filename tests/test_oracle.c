/*
 * test_oracle.c -- the correctness oracle on hand-built timelines whose verdicts follow from
 * DESIGN.md §3.5's definitions (worked out in the comments), independent of any simulation.
 * Ranges are in bytes (the first tests use whole sectors: 4096 bytes are sectors 0-7); the
 * last ones are unaligned, and their verdicts differ from what a sector-granular oracle
 * would give (said in each).
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
	uint32_t w1 = or_write_new(o, 0, 0, 4096, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 4096, w1, 0.0, 1.0);
	or_write_done(o, w1, 1.0);
	uint32_t w2 = or_write_new(o, 0, 0, 4096, 2.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 4096, w2, 2.0, 1.0);
	or_write_done(o, w2, 3.0);
	or_writeback(o, 0, 0, 4096, 4.0, 4.5, 0.5);
	uint32_t r = or_read_new(o, 0, 0, 4096, 5.0, true, __LINE__, 7);
	or_read_copy(o, r, OR_CACHE, 0, 4096, 5.0, 1.0);
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
	uint32_t w = or_write_new(o, 0, 0, 4096, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 4096, w, 0.0, 8.0);
	uint32_t r = or_read_new(o, 0, 0, 4096, 3.0, true, __LINE__, 7);
	or_read_copy(o, r, OR_CACHE, 0, 4096, 3.0, 1.0);
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
	uint32_t w = or_write_new(o, 0, 0, 4096, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 4096, w, 0.0, 8.0);
	uint32_t r = or_read_new(o, 0, 0, 4096, 3.0, false, __LINE__, 7);
	or_read_copy(o, r, OR_CACHE, 0, 4096, 3.0, 1.0);
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
	uint32_t w = or_write_new(o, 0, 0, 4096, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 4096, w, 0.0, 1.0);
	or_write_done(o, w, 1.0);
	uint32_t r = or_read_new(o, 0, 0, 4096, 2.0, true, __LINE__, 7);
	or_read_copy(o, r, OR_DISK, 0, 4096, 2.0, 1.0);
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
	uint32_t w = or_write_new(o, 0, 0, 4096, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 4096, w, 0.0, 1.0);
	or_write_done(o, w, 1.0);
	or_writeback(o, 0, 0, 4096, 2.0, 3.0, 1.0);
	or_fill(o, 0, 0, 4096, 5.0, 1.0, false);
	uint32_t r = or_read_new(o, 0, 0, 4096, 7.0, true, __LINE__, 7);
	or_read_copy(o, r, OR_CACHE, 0, 4096, 7.0, 1.0);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.stale_reads + t.torn_reads + t.lost_writes, 0);
	/* a write-back snapshot taken BEFORE W landed carries old data: lost */
	struct oracle *o2 = or_new();
	w = or_write_new(o2, 0, 0, 4096, 0.0, true, __LINE__, 7);
	or_land(o2, OR_CACHE, 0, 0, 4096, w, 1.0, 1.0);
	or_write_done(o2, w, 2.0);
	or_writeback(o2, 0, 0, 4096, 0.5, 3.0, 1.0);
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
	uint32_t a = or_write_new(o, 0, 0, 4096, 0.0, true, 101, 7);
	uint32_t b = or_write_new(o, 0, 0, 4096, 0.5, true, 102, 7);
	or_land(o, OR_CACHE, 0, 0, 4096, a, 0.0, 8.0);
	or_land(o, OR_CACHE, 0, 0, 4096, b, 0.5, 5.5);
	or_write_done(o, b, 6.0);
	or_write_done(o, a, 8.0);
	or_writeback(o, 0, 0, 4096, 9.0, 9.5, 0.5);
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
	or_concurrent(o, 0, 0, 4096, 0, 2, 201, 7);
	or_concurrent(o, 0, 2048, 4096, 1, 3, 202, 7); /* overlaps the first in space and time */
	or_concurrent(o, 0, 2048, 4096, 5, 6, __LINE__, 7); /* same space, later */
	or_concurrent(o, 1, 0, 4096, 0, 2, __LINE__, 7);    /* another file */
	struct counts c;
	ck_assert_uint_eq(judge(o, &c).conc_overlaps, 2);
	ck_assert(c.req[OR_CONC_OVERLAP][0] + c.req[OR_CONC_OVERLAP][1] == 403 &&
	          c.req[OR_CONC_OVERLAP][0] != c.req[OR_CONC_OVERLAP][1]);
	or_free(o);
}
END_TEST

/* ---- byte granularity (oracle.c note 7) ---- */

START_TEST(test_unaligned_torn_read)
{
	/* W0 then W write bytes [0, 1000) (a 1,000-byte buffered write: two cells, [0, 512)
	 * and [512, 1000)).  W lands over [2, 10]: the cell ending at byte e lands at
	 * 2 + 8 e / 1000, so [0, 512) at 6.096 and [512, 1000) at 10.  R reads [0, 1000)
	 * over [7, 8]: [0, 512) at 7 + 512 / 1000 = 7.512 (after 6.096: W), [512, 1000) at 8
	 * (before 10: W0, older).  R saw W on some of W's bytes and older data on others:
	 * torn.  Not stale: W had not completed when R was issued.  R2 reads [1000, 1500), a
	 * range no write touched, at the same time: no verdict.  (An oracle of whole sectors
	 * that rounds the write down to 1000 / 512 = 1 sector never sees W on [512, 1000):
	 * no torn read.)  The write-back at 11 leaves no lost write; W0 completed before W
	 * landed anywhere: no torn write. */
	struct oracle *o = or_new();
	uint32_t w0 = or_write_new(o, 0, 0, 1000, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 1000, w0, 0.0, 1.0);
	or_write_done(o, w0, 1.0);
	uint32_t w = or_write_new(o, 0, 0, 1000, 2.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 1000, w, 2.0, 8.0);
	uint32_t r = or_read_new(o, 0, 0, 1000, 7.0, true, 301, 7);
	or_read_copy(o, r, OR_CACHE, 0, 1000, 7.0, 1.0);
	or_read_done(o, r, 8.0);
	uint32_t r2 = or_read_new(o, 0, 1000, 500, 7.0, true, __LINE__, 7);
	or_read_copy(o, r2, OR_CACHE, 1000, 500, 7.0, 1.0);
	or_read_done(o, r2, 8.0);
	or_write_done(o, w, 10.0);
	or_writeback(o, 0, 0, 4096, 11.0, 11.0, 1.0);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.torn_reads, 1);
	ck_assert_uint_eq(c.req[OR_TORN_READ][0], 301);
	ck_assert_uint_eq(t.stale_reads + t.torn_writes + t.lost_writes, 0);
	or_free(o);
}
END_TEST

START_TEST(test_unaligned_stale_read)
{
	/* W writes [1000, 2000) into the cache over [0, 1] and completes at 1; nothing is
	 * written back before 4.  R reads [1500, 2500) from the disk over [2, 3]: it shares
	 * [1500, 2000) with W, sees version 0 there while W completed (1) before R was issued
	 * (2): stale.  R2 reads [2000, 3000) from the disk at the same time: it shares
	 * sector 3 ([1536, 2048)) with W but no byte: not stale.  (Rounded to sectors, W is
	 * sector 1 only and neither read is stale.)  No read saw W: no torn read.  The
	 * write-back of the page at 4 leaves no lost write. */
	struct oracle *o = or_new();
	uint32_t w = or_write_new(o, 0, 1000, 1000, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 1000, 1000, w, 0.0, 1.0);
	or_write_done(o, w, 1.0);
	uint32_t r = or_read_new(o, 0, 1500, 1000, 2.0, true, 302, 7);
	or_read_copy(o, r, OR_DISK, 1500, 1000, 2.0, 1.0);
	or_read_done(o, r, 3.0);
	uint32_t r2 = or_read_new(o, 0, 2000, 1000, 2.0, true, __LINE__, 7);
	or_read_copy(o, r2, OR_DISK, 2000, 1000, 2.0, 1.0);
	or_read_done(o, r2, 3.0);
	or_writeback(o, 0, 0, 4096, 4.0, 4.0, 1.0);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.stale_reads, 1);
	ck_assert_uint_eq(c.req[OR_STALE_READ][0], 302);
	ck_assert_uint_eq(t.torn_reads + t.torn_writes + t.lost_writes, 0);
	or_free(o);
}
END_TEST

START_TEST(test_adjacent_bytes)
{
	/* Requests that share a sector but no byte never conflict.
	 * (a) W1 writes [0, 1000) (cache, done 1), written back from a snapshot at 1.5 (disk
	 * over [2, 3]); W2 writes [1000, 2000) (cache over [4, 5], done 5).  R1 reads [0, 1000)
	 * from the disk over [6, 6.5]: it sees W1 on every byte, and W2, though completed
	 * before R1 was issued and newer on sector 1, holds none of R1's bytes: not stale
	 * (by sectors it would be).  A second write-back (snapshot 7) makes both durable.
	 * (b) W3 [4096, 5096) and W4 [5096, 6096) land in the cache at the same time (over
	 * [10, 12] and [11, 13]) and are written back at 14; R3 reads [4096, 6096) at 16: it
	 * sees W3 on all of W3's bytes and W4 on all of W4's: not torn, and no torn write.
	 * (c) Concurrent-class requests [0, 1000) over [0, 2] and [1000, 2000) over [1, 3]
	 * overlap in time but share no byte: not counted; on file 1, [0, 1001) and
	 * [1000, 2000) share byte 1000: both counted.  Total: 2 concurrent overlaps, nothing
	 * else. */
	struct oracle *o = or_new();
	uint32_t w1 = or_write_new(o, 0, 0, 1000, 0.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 0, 1000, w1, 0.0, 1.0);
	or_write_done(o, w1, 1.0);
	or_writeback(o, 0, 0, 4096, 1.5, 2.0, 1.0);
	uint32_t w2 = or_write_new(o, 0, 1000, 1000, 4.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 1000, 1000, w2, 4.0, 1.0);
	or_write_done(o, w2, 5.0);
	uint32_t r1 = or_read_new(o, 0, 0, 1000, 6.0, true, __LINE__, 7);
	or_read_copy(o, r1, OR_DISK, 0, 1000, 6.0, 0.5);
	or_read_done(o, r1, 6.5);
	or_writeback(o, 0, 0, 4096, 7.0, 7.0, 1.0);
	uint32_t w3 = or_write_new(o, 0, 4096, 1000, 10.0, true, __LINE__, 7);
	uint32_t w4 = or_write_new(o, 0, 5096, 1000, 11.0, true, __LINE__, 7);
	or_land(o, OR_CACHE, 0, 4096, 1000, w3, 10.0, 2.0);
	or_land(o, OR_CACHE, 0, 5096, 1000, w4, 11.0, 2.0);
	or_write_done(o, w3, 12.0);
	or_write_done(o, w4, 13.0);
	or_writeback(o, 0, 4096, 4096, 14.0, 14.0, 1.0);
	uint32_t r3 = or_read_new(o, 0, 4096, 2000, 16.0, true, __LINE__, 7);
	or_read_copy(o, r3, OR_CACHE, 4096, 2000, 16.0, 1.0);
	or_read_done(o, r3, 17.0);
	or_concurrent(o, 0, 0, 1000, 0, 2, __LINE__, 7);
	or_concurrent(o, 0, 1000, 1000, 1, 3, __LINE__, 7);
	or_concurrent(o, 1, 0, 1001, 0, 2, 401, 7);
	or_concurrent(o, 1, 1000, 1000, 1, 3, 402, 7);
	struct counts c;
	struct or_totals t = judge(o, &c);
	ck_assert_uint_eq(t.torn_reads + t.torn_writes + t.stale_reads + t.lost_writes, 0);
	ck_assert_uint_eq(t.conc_overlaps, 2);
	ck_assert_uint_eq(c.req[OR_CONC_OVERLAP][0] + c.req[OR_CONC_OVERLAP][1], 803);
	or_free(o);
}
END_TEST

START_TEST(test_estimate_cells)
{
	/* or_estimate: 104 bytes of records a request and 100 a cell; a request of B bytes
	 * spans at most ceil(B / 512) + 1 sectors and cuts at most 2 cells (oracle.c note 7):
	 * 8192 bytes: 16 + 3 = 19 cells, 104 + 1900 = 2004 bytes; 1000 bytes: 2 + 3 = 5
	 * cells, 604 bytes; saturating at UINT64_MAX. */
	ck_assert_uint_eq(or_estimate(1, 8192), 2004);
	ck_assert_uint_eq(or_estimate(10, 1000), 6040);
	ck_assert_uint_eq(or_estimate(UINT64_MAX / 2, 8192), UINT64_MAX);
	/* or_estimate_run: a run that compacts holds the window (2 Mi requests: 2^21 x 2004
	 * bytes at 8 KiB) and 256 bytes per sector of its region (4 GiB: 2^23 + 1 sectors);
	 * 10^8 requests: that bound, not 10^8 x 2004; an unaligned run (never compacts) or a
	 * short one: or_estimate */
	uint64_t win = (1ull << 21) * 2004, base = ((1ull << 23) + 1) * 256;
	ck_assert_uint_eq(or_estimate_run(100000000, 8192, 4ull << 30, true), win + base);
	ck_assert_uint_eq(or_estimate_run(100000000, 8192, 4ull << 30, false),
	                  or_estimate(100000000, 8192));
	ck_assert_uint_eq(or_estimate_run(1000, 8192, 4ull << 30, true), or_estimate(1000, 8192));
}
END_TEST

/* ---- incremental judging (oracle.c note 8) ---- */

/* A random timeline on a small region: buffered writes (cache landings), direct writes and
 * reads (disk), buffered reads (cache copies, a fill first when the page is not cached),
 * write-backs of dirty pages with their snapshot time, and requests of the concurrent
 * class; requests overlap in time (each lasts 0.5-3 units, one issued per unit).  As the
 * simulator does, a request's token is open from its issue to its end and its records are
 * made at its end; write-backs and fills are disk I/Os with their own tokens.  The oracle
 * with WINDOW records per window (0: never compacted) judges it; the verdicts (request,
 * kind) go to OUT sorted; the largest record count seen to *PEAK. */
struct vlist {
	GArray *v; /* uint64_t req << 3 | kind */
};

static void
collect(void *ctx, const struct or_verdict *v)
{
	struct vlist *l = ctx;
	uint64_t k = v->req << 3 | v->kind;
	g_array_append_val(l->v, k);
}

static gint
u64cmp(gconstpointer a, gconstpointer b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

enum { REGION = 64 }; /* sectors: 32 KiB, 8 pages */

struct evq { /* a pending completion */
	double t_issue, t_done;
	int kind; /* 0 buffered write, 1 direct write, 2 direct read, 3 buffered read,
	             4 write-back, 5 concurrent write */
	uint64_t off, len;
	uint32_t tok;
	uint64_t req;
};

static gint
by_done(gconstpointer a, gconstpointer b)
{
	const struct evq *x = a, *y = b;
	return x->t_done < y->t_done ? -1 : x->t_done > y->t_done;
}

static GArray *
timeline(uint32_t seed, int n, size_t window, size_t *peak, struct or_totals *tot)
{
	GRand *r = g_rand_new_with_seed(seed);
	struct oracle *o = or_new();
	or_set_window(o, window ? window : (size_t)1 << 40);
	GArray *pend = g_array_new(FALSE, FALSE, sizeof(struct evq));
	bool cached[REGION / 8] = {0};
	double dirty_since[REGION / 8];
	for (int p = 0; p < REGION / 8; p++)
		dirty_since[p] = -1;
	*peak = 0;
	for (int i = 0; i <= n; i++) {
		double now = i;
		/* complete what ended before now, in completion order */
		g_array_sort(pend, by_done);
		while (pend->len && (i == n || g_array_index(pend, struct evq, 0).t_done <= now)) {
			struct evq e = g_array_index(pend, struct evq, 0);
			g_array_remove_index(pend, 0);
			double d = e.t_done - e.t_issue, t0 = e.t_done - d / 2;
			uint32_t w;
			switch (e.kind) {
			case 0:
				w = or_write_new(o, 0, e.off, e.len, e.t_issue, true, e.req, 7);
				or_land(o, OR_CACHE, 0, e.off, e.len, w, t0, d / 2);
				or_write_done(o, w, e.t_done);
				for (uint64_t p = e.off / 4096; p < (e.off + e.len + 4095) / 4096;
				     p++) {
					cached[p] = true;
					if (dirty_since[p] < 0)
						dirty_since[p] = e.t_done;
				}
				break;
			case 1:
			case 5:
				w = or_write_new(o, 0, e.off, e.len, e.t_issue, e.kind == 1, e.req,
				                 7);
				or_land(o, OR_DISK, 0, e.off, e.len, w, t0, d / 2);
				or_write_done(o, w, e.t_done);
				if (e.kind == 5)
					or_concurrent(o, 0, e.off, e.len, e.t_issue, e.t_done,
					              e.req, 7);
				break;
			case 2:
				w = or_read_new(o, 0, e.off, e.len, e.t_issue, true, e.req, 7);
				or_read_copy(o, w, OR_DISK, e.off, e.len, t0, d / 2);
				or_read_done(o, w, e.t_done);
				break;
			case 3:
				for (uint64_t p = e.off / 4096; p < (e.off + e.len + 4095) / 4096;
				     p++)
					if (!cached[p]) {
						or_fill(o, 0, p * 4096, 4096, e.t_issue, d / 4,
						        false);
						cached[p] = true;
					}
				w = or_read_new(o, 0, e.off, e.len, e.t_issue, true, e.req, 7);
				or_read_copy(o, w, OR_CACHE, e.off, e.len, t0, d / 2);
				or_read_done(o, w, e.t_done);
				break;
			default: /* write-back of one page, snapshot at issue */
				or_writeback(o, 0, e.off, 4096, e.t_issue, t0, d / 2);
				break;
			}
			or_io_end(o, e.tok, e.t_done);
			*peak = MAX(*peak, or_records(o));
		}
		if (i == n)
			break;
		/* issue one request (and perhaps a write-back of a dirty page) */
		struct evq e = {.t_issue = now + g_rand_double(r) * 0.25,
		                .kind =
		                    g_rand_int_range(r, 0, 6) == 4 ? 5 : g_rand_int_range(r, 0, 4),
		                .req = (uint64_t)i};
		e.t_done = e.t_issue + g_rand_double_range(r, 0.5, 3);
		uint64_t s0 = (uint64_t)g_rand_int_range(r, 0, REGION - 8);
		e.off = s0 * 512;
		e.len = (uint64_t)g_rand_int_range(r, 1, 9) * 512;
		e.tok = or_io_begin(o, e.t_issue);
		g_array_append_val(pend, e);
		int p = g_rand_int_range(r, 0, REGION / 8);
		if (dirty_since[p] >= 0 && dirty_since[p] < now - 2) {
			struct evq b = {
			    .t_issue = now, .t_done = now + 1.5, .kind = 4, .off = p * 4096};
			b.tok = or_io_begin(o, b.t_issue);
			g_array_append_val(pend, b);
			dirty_since[p] = -1;
		}
	}
	struct vlist l = {g_array_new(FALSE, FALSE, sizeof(uint64_t))};
	or_evaluate(o, collect, &l, tot);
	g_array_sort(l.v, u64cmp);
	or_free(o);
	g_array_free(pend, TRUE);
	g_rand_free(r);
	return l.v;
}

START_TEST(test_incremental_same_verdicts)
{
	/* Compacted every 50 records or never: the same verdicts, request by request.  The
	 * timeline has every kind (hand-checked on seed 1: torn and stale reads and torn writes
	 * among them; a weak timeline would make this test vacuous, so it asserts some). */
	for (uint32_t seed = 1; seed <= 4; seed++) {
		size_t p0, p1;
		struct or_totals t0, t1;
		GArray *a = timeline(seed, 3000, 0, &p0, &t0);
		GArray *b = timeline(seed, 3000, 50, &p1, &t1);
		ck_assert_uint_gt(t0.stale_reads, 0);
		ck_assert_uint_gt(t0.torn_writes + t0.torn_reads, 0);
		ck_assert_uint_gt(t0.conc_overlaps, 0);
		ck_assert_uint_eq(a->len, b->len);
		for (guint i = 0; i < a->len; i++)
			ck_assert_uint_eq(g_array_index(a, uint64_t, i),
			                  g_array_index(b, uint64_t, i));
		ck_assert(t0.torn_reads == t1.torn_reads && t0.torn_writes == t1.torn_writes &&
		          t0.stale_reads == t1.stale_reads && t0.lost_writes == t1.lost_writes &&
		          t0.conc_overlaps == t1.conc_overlaps);
		ck_assert_uint_lt(p1, p0); /* and it did compact */
		g_array_free(a, TRUE);
		g_array_free(b, TRUE);
	}
}
END_TEST

START_TEST(test_incremental_bounded)
{
	/* Ten times the requests on the same 32 KiB: the most records held stays within a
	 * small factor (the region's 64 cells and the requests in flight bound what is kept;
	 * a window of 200 records between compactions, at most twice what is kept), where
	 * without compaction it grows ten times. */
	size_t p1, p10, q1, q10;
	struct or_totals t;
	g_array_free(timeline(9, 2000, 200, &p1, &t), TRUE);
	g_array_free(timeline(9, 20000, 200, &p10, &t), TRUE);
	g_array_free(timeline(9, 2000, 0, &q1, &t), TRUE);
	g_array_free(timeline(9, 20000, 0, &q10, &t), TRUE);
	ck_assert_msg(p10 <= 2 * p1, "peak records %zu at 2,000 requests, %zu at 20,000", p1, p10);
	ck_assert_uint_ge(q10, 9 * q1); /* the batch oracle's grow with the run */
}
END_TEST

START_TEST(test_incremental_dirty_page_stale)
{
	/* W1 (buffered, at 0-1) stays in the cache, dirty, while 4,000 direct requests on
	 * another region are judged and collapsed around it; at 5,000 a direct read of W1's
	 * sector sees the disk's version 0 although W1 completed long before: a stale read,
	 * as without compaction.  A torn pair too: W2 and W3, direct, on sectors 0-1 each,
	 * land crosswise (W2 on sector 0 last, W3 on sector 1 last) around the collapses:
	 * the final disk holds W2's byte 0 and W3's byte 512, both completed -- torn.  And W1,
	 * never written back here, is a lost write at the end, compacted or not. */
	for (int compact = 0; compact < 2; compact++) {
		struct oracle *o = or_new();
		or_set_window(o, compact ? 20 : (size_t)1 << 40);
		uint32_t tk = or_io_begin(o, 0);
		uint32_t w1 = or_write_new(o, 0, 1 << 20, 512, 0, true, 1, 7);
		or_land(o, OR_CACHE, 0, 1 << 20, 512, w1, 0, 1);
		or_write_done(o, w1, 1);
		or_io_end(o, tk, 1);
		/* W2 on [0, 1024): sector 0 lands at 12, sector 1 at 11; W3: sector 0 at 11.5,
		 * sector 1 at 12.5 (two landings each) */
		uint32_t t2 = or_io_begin(o, 10), t3 = or_io_begin(o, 10);
		uint32_t w2 = or_write_new(o, 0, 0, 1024, 10, true, 2, 7);
		uint32_t w3 = or_write_new(o, 0, 0, 1024, 10, true, 3, 7);
		or_land(o, OR_DISK, 0, 512, 512, w2, 10, 1);
		or_land(o, OR_DISK, 0, 0, 512, w3, 11, 0.5);
		or_land(o, OR_DISK, 0, 0, 512, w2, 11, 1);
		or_land(o, OR_DISK, 0, 512, 512, w3, 12, 0.5);
		or_write_done(o, w2, 13);
		or_write_done(o, w3, 13.5);
		or_io_end(o, t2, 13);
		or_io_end(o, t3, 13.5);
		size_t most = 0;
		for (int i = 0; i < 4000; i++) {
			double t = 20 + i;
			uint32_t tok = or_io_begin(o, t);
			uint64_t off = (uint64_t)(64 + i % 64) * 4096;
			uint32_t w = or_write_new(o, 0, off, 4096, t, true, 100 + (uint64_t)i, 7);
			or_land(o, OR_DISK, 0, off, 4096, w, t, 0.5);
			or_write_done(o, w, t + 0.5);
			or_io_end(o, tok, t + 0.5);
			most = MAX(most, or_records(o));
		}
		uint32_t tok = or_io_begin(o, 5000);
		uint32_t r = or_read_new(o, 0, 1 << 20, 512, 5000, true, 9, 7);
		or_read_copy(o, r, OR_DISK, 1 << 20, 512, 5000, 1);
		or_read_done(o, r, 5001);
		or_io_end(o, tok, 5001);
		struct counts c;
		struct or_totals t = judge(o, &c);
		ck_assert_uint_eq(t.stale_reads, 1);
		ck_assert_uint_eq(c.req[OR_STALE_READ][0], 9);
		ck_assert_uint_eq(t.torn_writes, 2);
		/* W1 never reached the disk (no write-back here): lost, and only it */
		ck_assert_uint_eq(t.lost_writes, 1);
		ck_assert_uint_eq(c.req[OR_LOST_WRITE][0], 1);
		ck_assert_uint_eq(t.torn_reads, 0);
		if (compact) /* 64 pages of 8 cells, the dirty page, the torn pair: not 4,000 */
			ck_assert_uint_lt(most, 1500);
		or_free(o);
	}
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
	tcase_add_test(tc, test_unaligned_torn_read);
	tcase_add_test(tc, test_unaligned_stale_read);
	tcase_add_test(tc, test_adjacent_bytes);
	tcase_add_test(tc, test_estimate_cells);
	suite_add_tcase(s, tc);
	TCase *inc = tcase_create("incremental");
	tcase_set_timeout(inc, 60);
	tcase_add_test(inc, test_incremental_same_verdicts);
	tcase_add_test(inc, test_incremental_bounded);
	tcase_add_test(inc, test_incremental_dirty_page_stale);
	suite_add_tcase(s, inc);
	return s;
}

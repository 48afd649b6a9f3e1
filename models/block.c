/*
 * block.c -- the host's block layer: Linux's elevators none and mq-deadline, bio merging and
 * the request pool (nr_requests).  See block.h for the interface.
 *
 * Design notes:
 * (1) What is Linux's.  mq-deadline follows block/mq-deadline.c of Linux v5.10
 *     (__dd_dispatch_request, deadline_check_fifo, deadline_move_request, dd_insert_request,
 *     dd_request_merge, dd_merged_requests): per direction a FIFO (each request's deadline is
 *     its insertion time + read_expire or write_expire) and a sector-sorted list; a batch
 *     continues in sector order from the last dispatched request while fewer than fifo_batch
 *     were dispatched in it; a new batch prefers reads unless writes were passed over
 *     writes_starved times; it starts at the next request in sector order unless the
 *     direction's oldest request has expired (or none is left above), then at the FIFO head.
 *     Later kernels (v6.x) keep the same defaults, track the position per direction
 *     (latest_pos) instead of the next request, and add I/O priority classes: every request
 *     here is of one class, and the difference shows only when a batch changes direction.
 * (2) Merging follows blk_mq_sched_try_merge / elv_merge: a bio joins a queued request of its
 *     direction that ends where it starts (back merge) or starts where it ends (front merge,
 *     mq-deadline's front_merges); then, as attempt_back_merge / attempt_front_merge do, the
 *     grown request absorbs a neighbour it now touches, taking the earlier deadline
 *     (dd_merged_requests).  No request grows past max_sectors.  With none, requests go to
 *     the drive as soon as it has a free tag and the pool is the drive's depth, so nothing
 *     waits here to merge with; Linux's per-task plugging, which merges before the queue, is
 *     not modelled.
 * (3) The pool: a request holds its slot from insertion until blk_complete (a scheduler tag
 *     in Linux); a bio that merges takes none.
 * (4) Queues are short (nr_requests, 2 x 32 on a SATA drive), so they are linked lists in
 *     arrival order and the sector order is found by a scan.
 *
 * Invariants: in_use = queued + dispatched-not-completed <= nr_requests (except for bios
 * submitted from the drive's own completions, which may not wait); every queued request is
 * on exactly one FIFO; next_rq[d], when set, is queued in direction d.
 */
#include <glib.h>
#include <math.h>

#include "models/block.h"

const char *const blk_sched_names[] = {"none", "mq-deadline", NULL};

struct fifo {
	struct disk_io *head, *tail;
	size_t n;
};

struct blk {
	struct blk_config c;
	struct fifo q[2]; /* mq-deadline: per direction (IO_READ, IO_WRITE); none: q[0] only */
	int in_use;
	uint64_t seq; /* insertion order: ties in sector order */
	/* mq-deadline state (note 1) */
	struct disk_io *next_rq[2];
	int batching, starved;
	struct blk_stats st;
};

void
blk_config_default(struct blk_config *c, enum blk_sched sched, int queue_depth)
{
	c->sched = sched;
	c->merges = true;
	c->nr_requests = sched == BLK_SCHED_NONE
	                     ? queue_depth
	                     : 2 * (queue_depth < BLK_DEFAULT_RQ ? queue_depth : BLK_DEFAULT_RQ);
	c->max_sectors = 2560; /* max_sectors_kb 1280 (BLK_DEF_MAX_SECTORS) */
	c->read_expire = BLK_READ_EXPIRE_S;
	c->write_expire = BLK_WRITE_EXPIRE_S;
	c->fifo_batch = BLK_FIFO_BATCH;
	c->writes_starved = BLK_WRITES_STARVED;
	c->front_merges = true;
}

struct blk *
blk_create(const struct blk_config *c)
{
	g_assert(c->nr_requests >= 1 && c->max_sectors >= 1 && c->fifo_batch >= 1);
	struct blk *b = g_new0(struct blk, 1);
	b->c = *c;
	return b;
}

void
blk_destroy(struct blk *b)
{
	g_free(b);
}

static int
dir_of(const struct blk *b, const struct disk_io *io)
{
	return b->c.sched == BLK_SCHED_NONE ? 0 : io->op == IO_WRITE;
}

static void
fifo_append(struct fifo *f, struct disk_io *io)
{
	io->next = NULL;
	io->prev = f->tail;
	if (f->tail)
		f->tail->next = io;
	else
		f->head = io;
	f->tail = io;
	f->n++;
}

/* Put IO back into F in deadline order (it took an earlier deadline: note 2). */
static void
fifo_insert_sorted(struct fifo *f, struct disk_io *io)
{
	struct disk_io *at = f->head;
	while (at && at->fifo_time <= io->fifo_time)
		at = at->next;
	if (!at) {
		fifo_append(f, io);
		return;
	}
	io->next = at;
	io->prev = at->prev;
	if (at->prev)
		at->prev->next = io;
	else
		f->head = io;
	at->prev = io;
	f->n++;
}

static void
fifo_remove(struct fifo *f, struct disk_io *io)
{
	if (io->prev)
		io->prev->next = io->next;
	else
		f->head = io->next;
	if (io->next)
		io->next->prev = io->prev;
	else
		f->tail = io->prev;
	io->next = io->prev = NULL;
	f->n--;
}

/* Sector order: (start sector, insertion order). */
static bool
sorts_before(const struct disk_io *a, const struct disk_io *b)
{
	return a->rq_lbn < b->rq_lbn || (a->rq_lbn == b->rq_lbn && a->bseq < b->bseq);
}

/* The queued request after RQ in sector order (deadline_latter_request). */
static struct disk_io *
latter(const struct blk *b, const struct disk_io *rq)
{
	struct disk_io *best = NULL;
	for (struct disk_io *o = b->q[dir_of(b, rq)].head; o; o = o->next)
		if (o != rq && sorts_before(rq, o) && (!best || sorts_before(o, best)))
			best = o;
	return best;
}

/* Take RQ off its queue; keep next_rq pointing at a queued request (deadline_del_rq_rb). */
static void
unqueue(struct blk *b, struct disk_io *rq)
{
	int d = dir_of(b, rq);
	if (b->next_rq[d] == rq)
		b->next_rq[d] = latter(b, rq);
	fifo_remove(&b->q[d], rq);
}

static bool
fits(const struct blk *b, const struct disk_io *rq, uint32_t more)
{
	return (uint64_t)rq->rq_nsect + more <= b->c.max_sectors;
}

static bool
front_ok(const struct blk *b)
{
	return b->c.sched == BLK_SCHED_NONE || b->c.front_merges;
}

/* A queued request IO can join: back merge first, then front (elv_merge's order). */
static struct disk_io *
merge_target(const struct blk *b, const struct disk_io *io, bool *front)
{
	if (!b->c.merges)
		return NULL;
	const struct fifo *f = &b->q[dir_of(b, io)];
	for (struct disk_io *o = f->head; o; o = o->next)
		if (o->op == io->op && o->rq_lbn + o->rq_nsect == io->lbn &&
		    fits(b, o, io->nsect)) {
			*front = false;
			return o;
		}
	if (!front_ok(b))
		return NULL;
	for (struct disk_io *o = f->head; o; o = o->next)
		if (o->op == io->op && io->lbn + io->nsect == o->rq_lbn && fits(b, o, io->nsect)) {
			*front = true;
			return o;
		}
	return NULL;
}

bool
blk_full(const struct blk *b, const struct disk_io *io)
{
	bool front;
	return b->in_use >= b->c.nr_requests && !merge_target(b, io, &front);
}

/* Append chain FROM (a request and its bios) to RQ's chain. */
static void
chain_append(struct disk_io *rq, struct disk_io *from)
{
	struct disk_io *t = rq;
	while (t->merged)
		t = t->merged;
	t->merged = from;
}

/* RQ grew: absorb the neighbour it now touches, if any (note 2). */
static void
merge_requests(struct blk *b, struct disk_io *rq, bool front)
{
	if (b->c.sched == BLK_SCHED_NONE) /* blk_bio_list_merge does not merge requests */
		return;
	struct fifo *f = &b->q[dir_of(b, rq)];
	for (struct disk_io *o = f->head; o; o = o->next) {
		if (o == rq || o->op != rq->op || !fits(b, rq, o->rq_nsect))
			continue;
		bool touches = front ? o->rq_lbn + o->rq_nsect == rq->rq_lbn
		                     : rq->rq_lbn + rq->rq_nsect == o->rq_lbn;
		if (!touches)
			continue;
		unqueue(b, o);
		if (front)
			rq->rq_lbn = o->rq_lbn;
		rq->rq_nsect += o->rq_nsect;
		chain_append(rq, o);
		if (o->fifo_time < rq->fifo_time) { /* dd_merged_requests */
			fifo_remove(f, rq);
			rq->fifo_time = o->fifo_time;
			fifo_insert_sorted(f, rq);
		}
		b->in_use--;
		b->st.nrq_merged++;
		return;
	}
}

void
blk_insert(struct blk *b, struct disk_io *io, double now)
{
	b->st.nbio++;
	io->merged = NULL;
	bool front;
	struct disk_io *rq = merge_target(b, io, &front);
	if (rq) {
		if (front)
			rq->rq_lbn = io->lbn;
		rq->rq_nsect += io->nsect;
		chain_append(rq, io);
		b->st.nmerged++;
		merge_requests(b, rq, front);
		return;
	}
	io->rq_lbn = io->lbn;
	io->rq_nsect = io->nsect;
	io->bseq = b->seq++;
	if (b->c.sched == BLK_SCHED_NONE)
		io->fifo_time = now; /* one FIFO of both directions, no deadlines */
	else                         /* dd_insert_request */
		io->fifo_time = now + (io->op == IO_WRITE ? b->c.write_expire : b->c.read_expire);
	fifo_append(&b->q[dir_of(b, io)], io);
	b->in_use++;
}

/* deadline_move_request: the batch goes on from the request after RQ in sector order. */
static struct disk_io *
move_request(struct blk *b, struct disk_io *rq)
{
	int d = dir_of(b, rq);
	b->next_rq[0] = b->next_rq[1] = NULL;
	b->next_rq[d] = latter(b, rq);
	fifo_remove(&b->q[d], rq);
	return rq;
}

/* __dd_dispatch_request of v5.10 (note 1). */
static struct disk_io *
dd_dispatch(struct blk *b, double now)
{
	struct disk_io *rq = b->next_rq[IO_WRITE];
	if (!rq)
		rq = b->next_rq[IO_READ];
	if (rq && b->batching < b->c.fifo_batch) {
		b->batching++;
		return move_request(b, rq);
	}
	int d;
	if (b->q[IO_READ].n > 0) {
		if (b->q[IO_WRITE].n > 0 && b->starved++ >= b->c.writes_starved) {
			b->st.nstarved++;
			b->starved = 0;
			d = IO_WRITE;
		} else {
			d = IO_READ;
		}
	} else if (b->q[IO_WRITE].n > 0) {
		b->starved = 0;
		d = IO_WRITE;
	} else {
		return NULL;
	}
	struct disk_io *next = b->next_rq[d];
	struct disk_io *head = b->q[d].head;
	bool expired = now >= head->fifo_time; /* deadline_check_fifo: time_after_eq */
	if (expired || !next) {
		b->st.nexpired += expired;
		rq = head;
	} else {
		rq = next;
	}
	b->batching = 1;
	return move_request(b, rq);
}

struct disk_io *
blk_dispatch(struct blk *b, double now)
{
	struct disk_io *rq;
	if (b->c.sched == BLK_SCHED_NONE) {
		rq = b->q[0].head;
		if (rq)
			fifo_remove(&b->q[0], rq);
	} else {
		rq = dd_dispatch(b, now);
	}
	if (rq)
		b->st.ndispatch++;
	return rq;
}

void
blk_complete(struct blk *b)
{
	g_assert(b->in_use > 0);
	b->in_use--;
}

size_t
blk_queued(const struct blk *b)
{
	return b->q[0].n + b->q[1].n;
}

int
blk_in_use(const struct blk *b)
{
	return b->in_use;
}

const struct blk_stats *
blk_get_stats(const struct blk *b)
{
	return &b->st;
}

const struct blk_config *
blk_get_config(const struct blk *b)
{
	return &b->c;
}

void
blk_check(const struct blk *b)
{
	for (int d = 0; d < 2; d++) {
		size_t n = 0;
		double last = -INFINITY;
		for (const struct disk_io *o = b->q[d].head; o; o = o->next, n++) {
			g_assert(o->fifo_time >= last); /* deadlines in FIFO order */
			last = o->fifo_time;
			g_assert(dir_of(b, o) == d);
			uint64_t span = 0;
			for (const struct disk_io *m = o; m; m = m->merged)
				span += m->nsect;
			g_assert(span == o->rq_nsect);
		}
		g_assert(n == b->q[d].n);
		if (b->next_rq[d]) {
			const struct disk_io *o = b->q[d].head;
			while (o && o != b->next_rq[d])
				o = o->next;
			g_assert(o);
		}
	}
	g_assert((size_t)b->in_use >= blk_queued(b));
}

/*
 * block.c -- the host's block layer: Linux's elevators none, mq-deadline and a subset of bfq,
 * bio merging and the request pool (nr_requests).  See block.h for the interface.
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
 * (5) bfq, a subset of Linux 6.x's block/bfq-iosched.c and block/bfq-wf2q.c (docs/block.md
 *     says what is left out).  One queue per I/O context (disk_io.ioc, the submitting
 *     thread), every one of weight 1; an async request (disk_io.async: the write-back
 *     daemon's) has fifo_expire_async and costs bfq_async_charge_factor times its sectors
 *     (bfq_serv_to_charge), and its queue is never idled for (bfq_better_to_idle).  B-WF2Q+ among
 * them: a queue that becomes busy gets the virtual start S = max(V, its last finish) and the finish
 * F = S + budget (bfq_default_max_budget sectors); the queue served next is the one of smallest F
 * among those with S <= V (none: V jumps to the smallest S); V grows by the sectors served over the
 * number of busy queues (bfq_bfqq_served: vtime += served / wsum).  The queue in service is served
 * in its own order (bfq_choose_req: nearest ahead of the last dispatched sector, a backward seek
 * within back_max counting back_penalty times; once per slot its FIFO head first if older than
 * fifo_expire: bfq_check_fifo) until (bfq_select_queue, bfq_bfqq_expire's reasons) its next request
 * does not fit the budget left (BUDGET_EXHAUSTED), the budget timeout passes (BUDGET_TIMEOUT: then,
 * with a third of the budget left or more, it is charged for the time it held the device, as
 *     bfq_bfqq_charge_time does: max(service, max_budget x time / timeout)), or it is empty
 *     and idling would not help (NO_MORE_REQUESTS).  Idling (bfq_better_to_idle, for equal
 *     weights: idling_boosts_thr_without_issues): on a rotational drive that does not queue
 *     (hw_tag off), or for a queue that is not seeky; then an empty queue keeps the device
 *     while its requests are at the drive and for slice_idle after the last completes
 *     (a seeky queue, idling only on a rotational drive without queueing, for at most
 *     BFQ_MIN_TT = 2 ms: bfq_arm_slice_timer)
 *     (TOO_IDLE at the end), dispatching nothing else (on a non-rotational drive that
 *     queues, never).  A queue is seeky when more than 19
 *     of its last 32 requests started more than 800 sectors from where its previous one
 *     ended (BFQQ_SEEKY, BFQ_RQ_SEEKY on a rotational drive).  Expired and still busy, a
 *     queue is put back with S = its new F.  Merges happen within a queue.
 *
 * Invariants: in_use = queued + dispatched-not-completed <= nr_requests (except for bios
 * submitted from the drive's own completions, which may not wait); every queued request is
 * on exactly one FIFO; next_rq[d], when set, is queued in direction d.
 */
#include <glib.h>
#include <math.h>

#include "models/block.h"

const char *const blk_sched_names[] = {"none", "mq-deadline", "bfq", NULL};

struct fifo {
	struct disk_io *head, *tail;
	size_t n;
};

/* bfq's per-I/O-context queue (note 5) */
struct bfqq {
	uint32_t ioc;
	struct fifo q;      /* its requests, in arrival order (deadline order) */
	double vs, vf;      /* virtual start and finish (sectors) */
	uint64_t service;   /* sectors dispatched in the current slot */
	int dispatched;     /* its requests at the drive */
	bool busy;          /* on the service tree (has requests, not in service) */
	bool fifo_checked;  /* the FIFO was looked at in this slot */
	uint64_t last_end;  /* end sector of its last inserted request */
	uint64_t disp_end;  /* end sector of its last dispatched request */
	bool disp_seen;     /* disp_end is valid */
	uint32_t seek_hist; /* one bit per recent request: seeky */
	bool seen;          /* a request was inserted before (last_end is valid) */
	bool async;         /* its requests are async (the write-back daemon's): no idling,
	                       charged bfq_async_charge_factor times their sectors */
};

struct blk {
	struct blk_config c;
	/* bfq (note 5) */
	GPtrArray *bq; /* struct bfqq *, by first appearance (a deterministic order) */
	struct bfqq *in_service;
	double vtime, slot_start, idle_until;
	uint64_t head_pos; /* end sector of the last dispatched request */
	struct fifo q[2];  /* mq-deadline: per direction (IO_READ, IO_WRITE); none: q[0] only */
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
	c->bfq_max_budget = BLK_BFQ_MAX_BUDGET;
	c->bfq_timeout = BLK_BFQ_TIMEOUT_S;
	c->bfq_slice_idle = BLK_BFQ_SLICE_IDLE_S;
	c->bfq_fifo_expire = BLK_BFQ_FIFO_EXPIRE_S;
	c->bfq_fifo_expire_async = BLK_BFQ_FIFO_EXPIRE_ASYNC_S;
	c->bfq_back_max = BLK_BFQ_BACK_MAX;
	c->bfq_back_penalty = BLK_BFQ_BACK_PENALTY;
	c->bfq_rotational = true;
	c->bfq_hw_tag = queue_depth > BLK_BFQ_HW_QUEUE_THRESHOLD;
}

struct blk *
blk_create(const struct blk_config *c)
{
	g_assert(c->nr_requests >= 1 && c->max_sectors >= 1 && c->fifo_batch >= 1);
	struct blk *b = g_new0(struct blk, 1);
	b->c = *c;
	b->bq = g_ptr_array_new_with_free_func(g_free);
	b->idle_until = INFINITY;
	return b;
}

void
blk_destroy(struct blk *b)
{
	g_ptr_array_free(b->bq, TRUE);
	g_free(b);
}

/* IO's bfq queue, made on first use. */
static struct bfqq *
bfqq_of(struct blk *b, uint32_t ioc)
{
	for (guint i = 0; i < b->bq->len; i++) {
		struct bfqq *q = g_ptr_array_index(b->bq, i);
		if (q->ioc == ioc)
			return q;
	}
	struct bfqq *q = g_new0(struct bfqq, 1);
	q->ioc = ioc;
	g_ptr_array_add(b->bq, q);
	return q;
}

static struct bfqq *
bfqq_find(const struct blk *b, uint32_t ioc)
{
	for (guint i = 0; i < b->bq->len; i++) {
		struct bfqq *q = g_ptr_array_index(b->bq, i);
		if (q->ioc == ioc)
			return q;
	}
	return NULL;
}

static int
dir_of(const struct blk *b, const struct disk_io *io)
{
	return b->c.sched == BLK_SCHED_NONE ? 0 : io->op == IO_WRITE;
}

static void fifo_append(struct fifo *f, struct disk_io *io);

/* The list IO's request is (or would be) queued on. */
static struct fifo *
list_of(const struct blk *b, const struct disk_io *io)
{
	if (b->c.sched == BLK_SCHED_BFQ) {
		struct bfqq *q = bfqq_find(b, io->ioc);
		return q ? &q->q : NULL;
	}
	return (struct fifo *)&b->q[dir_of(b, io)];
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
	if (b->c.sched == BLK_SCHED_BFQ) {
		fifo_remove(list_of(b, rq), rq);
		return;
	}
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
	const struct fifo *f = list_of(b, io);
	if (!f)
		return NULL;
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
	struct fifo *f = list_of(b, rq);
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

static void bfq_insert(struct blk *b, struct disk_io *io, double now);

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
	if (b->c.sched == BLK_SCHED_BFQ) {
		bfq_insert(b, io, now);
		b->in_use++;
		return;
	}
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

/* ---- bfq (note 5) ---- */

static int
popcount32(uint32_t x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

static bool
bfq_seeky(const struct bfqq *q)
{
	return popcount32(q->seek_hist) > BLK_BFQ_SEEKY_SAMPLES;
}

static int
nbusy(const struct blk *b)
{
	int n = 0;
	for (guint i = 0; i < b->bq->len; i++)
		n += ((struct bfqq *)g_ptr_array_index(b->bq, i))->busy;
	return n;
}

/* Q becomes busy: on the service tree with S = max(V, F), F = S + budget. */
static void
bfq_activate(struct blk *b, struct bfqq *q)
{
	q->vs = MAX(b->vtime, q->vf);
	q->vf = q->vs + b->c.bfq_max_budget;
	q->busy = true;
}

static void
bfq_insert(struct blk *b, struct disk_io *io, double now)
{
	struct bfqq *q = bfqq_of(b, io->ioc);
	/* bfq_update_io_seektime: seeky if it starts far from where the last one ended */
	uint64_t d = !q->seen                ? 0
	             : io->lbn > q->last_end ? io->lbn - q->last_end
	                                     : q->last_end - io->lbn;
	/* BFQ_RQ_SEEKY: far, and on a non-rotational drive also small */
	bool seeky = q->seen && d > BLK_BFQ_SEEK_THR &&
	             (b->c.bfq_rotational || io->nsect < BLK_BFQ_SECT_THR_NONROT);
	q->seek_hist = (q->seek_hist << 1) | seeky;
	q->seen = true;
	q->last_end = io->lbn + io->nsect;
	io->fifo_time = now + (io->async ? b->c.bfq_fifo_expire_async : b->c.bfq_fifo_expire);
	q->async = io->async;
	fifo_append(&q->q, io);
	if (q == b->in_service)
		b->idle_until = INFINITY; /* the request idling waited for */
	else if (!q->busy)
		bfq_activate(b, q);
}

/* Idling would keep the device for Q (bfq_better_to_idle with equal weights). */
static bool
bfq_may_idle(const struct blk *b, const struct bfqq *q)
{
	if (b->c.bfq_slice_idle <= 0 || q->async) /* bfq_better_to_idle: !bfq_bfqq_sync */
		return false;
	bool rot_no_queueing = b->c.bfq_rotational && !b->c.bfq_hw_tag;
	return rot_no_queueing || ((b->c.bfq_rotational || !b->c.bfq_hw_tag) && !bfq_seeky(q));
}

/* End Q's slot at NOW (bfq_bfqq_expire); put it back if it still has requests. */
static void
bfq_expire(struct blk *b, struct bfqq *q, double now, uint64_t *reason)
{
	(*reason)++;
	uint64_t charge = q->service;
	if (reason == &b->st.ntimeout && q->service * 3 <= 2 * (uint64_t)b->c.bfq_max_budget) {
		/* budget left >= budget / 3: charged for the time (bfq_bfqq_charge_time) */
		double used = MIN(now - b->slot_start, b->c.bfq_timeout);
		uint64_t t = (uint64_t)(b->c.bfq_max_budget * used / b->c.bfq_timeout);
		charge = MAX(charge, t);
	}
	int n = nbusy(b) + 1;                          /* the busy queues and Q */
	b->vtime += (double)(charge - q->service) / n; /* the rest was charged at dispatch */
	q->vf = q->vs + (double)charge;
	q->service = 0;
	b->in_service = NULL;
	b->idle_until = INFINITY;
	if (q->q.n > 0) {
		q->vs = q->vf;
		q->vf = q->vs + b->c.bfq_max_budget;
		q->busy = true;
	}
}

/* The next queue by B-WF2Q+: smallest finish among the eligible (S <= V). */
static struct bfqq *
bfq_select(struct blk *b)
{
	struct bfqq *best = NULL;
	double minvs = INFINITY;
	for (guint i = 0; i < b->bq->len; i++) {
		struct bfqq *q = g_ptr_array_index(b->bq, i);
		if (q->busy && q->vs < minvs)
			minvs = q->vs;
	}
	if (minvs == INFINITY)
		return NULL;
	if (minvs > b->vtime)
		b->vtime = minvs; /* bfq_update_vtime: nobody eligible, V jumps */
	for (guint i = 0; i < b->bq->len; i++) {
		struct bfqq *q = g_ptr_array_index(b->bq, i);
		if (q->busy && q->vs <= b->vtime && (!best || q->vf < best->vf))
			best = q;
	}
	return best;
}

/* bfq_choose_req: the request of Q nearest ahead of where Q's last dispatched request ended
 * (bfq_find_next_rq: the neighbours of the last one; the device's last position before Q's
 * first), a backward one within back_max costing back_penalty times its distance; past
 * back_max, after every other. */
static struct disk_io *
bfq_next_rq(const struct blk *b, const struct bfqq *q)
{
	struct disk_io *best = NULL;
	uint64_t bestd = 0;
	bool best_wrap = true;
	uint64_t last = q->disp_seen ? q->disp_end : b->head_pos;
	for (struct disk_io *o = q->q.head; o; o = o->next) {
		uint64_t s = o->rq_lbn, d;
		bool wrap = false;
		if (s >= last)
			d = s - last;
		else if (last - s <= b->c.bfq_back_max)
			d = (last - s) * b->c.bfq_back_penalty;
		else {
			wrap = true;
			d = s; /* both wrapped: the lower sector first */
		}
		if (!best || (best_wrap && !wrap) ||
		    (wrap == best_wrap && (d < bestd || (d == bestd && sorts_before(o, best))))) {
			best = o;
			bestd = d;
			best_wrap = wrap;
		}
	}
	return best;
}

static struct disk_io *
bfq_dispatch(struct blk *b, double now)
{
	for (;;) {
		struct bfqq *q = b->in_service;
		if (!q) {
			q = bfq_select(b);
			if (!q)
				return NULL;
			q->busy = false;
			q->fifo_checked = false;
			q->service = 0;
			b->in_service = q;
			b->slot_start = now;
			b->idle_until = INFINITY;
			b->st.nslots++;
		}
		if (now >= b->slot_start + b->c.bfq_timeout) {
			bfq_expire(b, q, now, &b->st.ntimeout);
			continue;
		}
		if (q->q.n == 0) {
			if (!bfq_may_idle(b, q)) {
				bfq_expire(b, q, now, &b->st.nempty);
				continue;
			}
			if (q->dispatched > 0)
				return NULL; /* wait for its requests, then idle */
			if (now < b->idle_until)
				return NULL;
			bfq_expire(b, q, now,
			           b->idle_until < INFINITY ? &b->st.nidle_expired : &b->st.nempty);
			continue;
		}
		struct disk_io *rq = NULL;
		if (!q->fifo_checked) { /* bfq_check_fifo: once a slot */
			q->fifo_checked = true;
			if (now >= q->q.head->fifo_time) {
				rq = q->q.head;
				b->st.nexpired++;
			}
		}
		if (!rq)
			rq = bfq_next_rq(b, q);
		/* bfq_serv_to_charge: an async request (equal weights, no weight raising: a
		 * symmetric scenario) costs bfq_async_charge_factor times its sectors */
		uint64_t charge = (uint64_t)rq->rq_nsect * (q->async ? BLK_BFQ_ASYNC_CHARGE : 1);
		if (q->service + charge > b->c.bfq_max_budget && q->service > 0) {
			bfq_expire(b, q, now, &b->st.nexhausted);
			continue;
		}
		fifo_remove(&q->q, rq);
		q->service += charge;
		b->vtime += (double)charge / (nbusy(b) + 1); /* bfq_bfqq_served */
		q->dispatched++;
		b->head_pos = q->disp_end = rq->rq_lbn + rq->rq_nsect;
		q->disp_seen = true;
		return rq;
	}
}

struct disk_io *
blk_dispatch(struct blk *b, double now)
{
	struct disk_io *rq;
	if (b->c.sched == BLK_SCHED_BFQ) {
		rq = bfq_dispatch(b, now);
	} else if (b->c.sched == BLK_SCHED_NONE) {
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
blk_complete(struct blk *b, const struct disk_io *rq, double now)
{
	g_assert(b->in_use > 0);
	b->in_use--;
	if (b->c.sched != BLK_SCHED_BFQ)
		return;
	struct bfqq *q = bfqq_find(b, rq->ioc);
	g_assert(q && q->dispatched > 0);
	q->dispatched--;
	/* bfq_completed_request: the queue in service is empty and its last request is done:
	 * arm the idle timer (bfq_arm_slice_timer: a seeky queue, not weight-raised, in a
	 * symmetric scenario -- every queue here -- idles at most BFQ_MIN_TT, 2 ms) */
	if (q == b->in_service && q->q.n == 0 && q->dispatched == 0 && bfq_may_idle(b, q))
		b->idle_until = now + (bfq_seeky(q) ? MIN(b->c.bfq_slice_idle, BLK_BFQ_MIN_TT_S)
		                                    : b->c.bfq_slice_idle);
}

double
blk_timer(const struct blk *b)
{
	return b->c.sched == BLK_SCHED_BFQ ? b->idle_until : INFINITY;
}

size_t
blk_queued(const struct blk *b)
{
	size_t n = b->q[0].n + b->q[1].n;
	for (guint i = 0; i < b->bq->len; i++)
		n += ((struct bfqq *)g_ptr_array_index(b->bq, i))->q.n;
	return n;
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
	for (guint i = 0; i < b->bq->len; i++) {
		const struct bfqq *q = g_ptr_array_index(b->bq, i);
		size_t n = 0;
		for (const struct disk_io *o = q->q.head; o; o = o->next, n++)
			g_assert(o->ioc == q->ioc);
		g_assert(n == q->q.n);
		g_assert(!(q->busy && q == b->in_service));
		g_assert(!q->busy || q->q.n > 0);
	}
	g_assert((size_t)b->in_use >= blk_queued(b));
}

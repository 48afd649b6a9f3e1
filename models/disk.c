/*
 * disk.c -- the device: the host's block layer in front (models/block.c), and one daemonized
 * SimGrid actor per drive with its own tagged queue, scheduler and channels, driving a disk
 * model (disk_mech.c, ssd.c, simple.c).
 *
 * Design notes:
 * (1) Two queues, as in a real stack.  A bio goes into the block layer (Linux's elevator,
 *     merging, nr_requests); a request moves from there into the drive's queue while the
 *     drive holds fewer than queue_depth requests, queued or in service (its tags: NCQ 32,
 *     1 = no queueing); the drive's scheduler picks among those.  Without a block layer
 *     (a trace taken below the host scheduler), every request goes straight into the drive's
 *     queue in arrival order and the drive picks among the first queue_depth waiting.
 * (2) A model is pure computation: the actor asks it for a request's service time when the
 *     request starts service, records the completion time, and sleeps until the earliest
 *     completion or a new arrival, whichever comes first (one sg_sem per disk, released by a
 *     submitter only when the actor is idle or a channel is free, so a busy disk costs no
 *     extra wake-ups).
 * (3) Completion times are the model's computed times, not the clock read after waking, so
 *     results carry no rounding of the timeout machinery.
 * (4) Statistics integrate the number of requests in the system (block layer + drive) over
 *     time (Little's law: area = throughput x mean response over a run that starts and ends
 *     empty) and the busy time (at least one request in service, as iostat's %util).
 * (5) The drive's SPTF with an age limit: a request that has waited age_limit in the drive's
 *     queue is served next, oldest first -- DiskSim 4.0's ioqueue "Scheduling timeout scheme"
 *     with "Timeout time/weight"; Worthington, Ganger and Patt (SIGMETRICS 1994) show that
 *     pure SPTF starves distant requests and that ageing bounds the wait at little cost.
 * (6) A submitter may hand its arrivals to the actor (struct disk_src: the fast path of a
 *     raw job, sim/workload.c note 6).  Its next arrival at t_next is what its own actor
 *     would submit after a timed wait (a CPU charge) ending then; the disk brings it in
 *     (arrive, with that time) at the point where the old order would have it:
 *     - due now: after the disk's own work at this instant (the woken job ran after it);
 *     - before the next completion with every channel busy: the disk sleeps to the
 *       completion as before and brings in every arrival due before it first, each at its
 *       own time -- nothing else could see it earlier (the old submission did not wake
 *       the disk), so one timed wait a request instead of two plus a semaphore each way;
 *     - before the next completion with a free channel (or an idle disk): the disk waits
 *       until the arrival, which then starts service, as the old submission's wake did.
 *     SimGrid 3.32 moves its clock by NOW + (date - NOW) (EngineImpl::solve), exactly to
 *     the date when NOW >= date/2 (Sterbenz), so skipping the arrival's own clock step
 *     leaves every later clock value the same only when the wait starts at >= half its
 *     end.  It also ends at once every timed wait whose date is within surf/precision (1e-9
 *     s by default) of the new clock (CpuModel::update_actions_state_lazy), the later one
 *     early, and their order is then SimGrid's (by date, then by age); and a sleep shorter
 *     than that precision lasts the precision (CpuCas01::sleep).  So where a wait would not
 *     start at >= half its end (the first milliseconds), or an arrival (or one the
 *     submitter would chain after it) comes within the precision of the completion, the
 *     disk hands the arrival back and the submitter's actor waits for it itself, as before
 *     (yielding first when its wait is the older one, so that it is older again).  The
 *     disk's block layer must never block the submitter nor keep a timer (disk_src_ok).
 * (7) SPCTF ("shortest positioning (with cache) time first", DiskSim 4.0's SPCTF_OPT:
 *     disk_buffer_estimate_servtime with checkcache, Worthington, Ganger and Patt 1994):
 *     SPTF whose estimate of a read the drive's buffer holds, wholly or from its first
 *     block (the running read-ahead's segment, or another), is no positioning at all.  A
 *     drive's firmware serves such a read from the buffer before it moves the arm; plain
 *     SPTF (DiskSim's SPTF_OPT) estimates every request as a miss and, with several
 *     sequential reads queued, may pick one beyond the one the read-ahead is reaching.
 * (8) A request's service is given the time it became one of the queue_depth requests the
 *     drive holds (t_drive: from the block layer at a free tag; without a block layer, as
 *     in `replay`, at submission if a tag is free, else when a completion frees one, oldest
 *     first; one the scheduler takes from beyond the tags arrives when it starts), so that
 *     a model can process the command as it arrives, as a drive's controller does while
 *     the media serves another request (disk_mech.c note 15).
 *
 * Invariants: ninservice <= channels; with a block layer, queued + in service <= queue_depth;
 * every submitted request completes exactly once; a request's t_issue <= t_start <= t_done.
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/config.h>
#include <xbt/log.h>

#include "models/block.h"
#include "models/disk.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_disk, vnodesim, "disk actor and scheduler");

const char *const disk_sched_names[] = {"fcfs", "sstf", "clook", "sptf", "spctf", NULL};

struct inflight {
	double t_done;
	uint64_t seq; /* tie-break: start order */
	struct disk_io *io;
};

struct disk {
	const struct disk_model *model;
	void *m;
	enum disk_sched sched;
	int queue_depth;
	double age_limit;
	struct blk *blk; /* NULL: bypassed (note 1) */
	sg_actor_t actor;
	GQueue blocked; /* sg_sem_t of submitters waiting for a free request */
	double jitter;
	GRand *rng;
	int channels;

	/* queue, arrival order (note 1) */
	struct disk_io *head, *tail;
	size_t nqueued;
	int held;                /* queued requests the drive holds (t_drive set, note 8) */
	struct disk_io *outside; /* the oldest queued request it does not hold yet, or NULL */
	/* in service: a small binary heap on (t_done, seq) */
	struct inflight *fl;
	int nfl;
	uint64_t seq;

	uint32_t cur_cyl; /* arm position for SSTF / C-LOOK */
	uint64_t cur_lbn; /* last LBN served, when the model has no cylinders */
	sg_sem_t wake;
	bool waiting;         /* the actor is blocked on `wake` */
	struct disk_src *src; /* note 6, or NULL */
	double prec;          /* SimGrid's surf/precision (note 6) */
	uint64_t ninsys;      /* requests queued or in service (merged ones counted each) */
	double t_mark;        /* last time area/busy were integrated */
	struct disk_stats st;
};

const char *const disk_common_keys[] = {"model",        "spec",        "scheduler",
                                        "queue_depth",  "capacity_gb", "merge",
                                        "age_limit_ms", "hw_queues",   NULL};

/* The built-in rows, then the registered ones (tests). */
static GPtrArray *
all_models(void)
{
	static GPtrArray *all;
	if (!all) {
		static const struct disk_model *const builtin[] = {
		    &disk_model_mechanical, &disk_model_ssd, &disk_model_simple};
		all = g_ptr_array_new();
		for (size_t i = 0; i < G_N_ELEMENTS(builtin); i++)
			g_ptr_array_add(all, (gpointer)builtin[i]);
	}
	return all;
}

const struct disk_model *
disk_model_find(const char *name)
{
	GPtrArray *all = all_models();
	for (guint i = 0; i < all->len; i++) {
		const struct disk_model *m = all->pdata[i];
		if (strcmp(m->name, name) == 0)
			return m;
	}
	return NULL;
}

const struct disk_model *const *
disk_model_all(int *n)
{
	GPtrArray *all = all_models();
	*n = (int)all->len;
	return (const struct disk_model *const *)all->pdata;
}

const struct disk_model *
disk_model_drive(void)
{
	GPtrArray *all = all_models();
	for (guint i = 0; i < all->len; i++)
		if (((const struct disk_model *)all->pdata[i])->drive)
			return all->pdata[i];
	g_assert_not_reached();
}

void
disk_model_register(const struct disk_model *m)
{
	g_assert(m && m->name && !disk_model_find(m->name));
	g_assert(m->create && m->destroy && m->capacity && m->channels && m->service);
	g_assert(!m->drive && (m->params || m->cfg_size == 0)); /* one drive model */
	g_ptr_array_add(all_models(), (gpointer)m);
}

struct disk *
disk_create(const struct disk_config *c, GError **err)
{
	const struct disk_model *model = c->model;
	g_assert(model && c->queue_depth >= 1);
	void *m = model->create(c->model_cfg, err);
	if (!m)
		return NULL;
	struct disk *d = g_new0(struct disk, 1);
	d->model = model;
	d->m = m;
	d->sched = c->sched;
	d->queue_depth = c->queue_depth;
	d->age_limit = c->age_limit;
	if (c->blk) {
		struct blk_config bc = *c->blk;
		bc.bfq_rotational = d->model->cylinder != NULL; /* bfq: a drive with positions */
		d->blk = blk_create(&bc);
	}
	g_queue_init(&d->blocked);
	d->jitter = c->jitter;
	d->rng = g_rand_new_with_seed((guint32)(c->seed * 2654435761u + 17));
	if (model->seed)
		model->seed(m, c->seed);
	d->channels = model->channels(m);
	g_assert(d->channels >= 1);
	d->fl = g_new0(struct inflight, d->channels);
	d->st.t_first = -1;
	return d;
}

void
disk_destroy(struct disk *d)
{
	if (!d)
		return;
	d->model->destroy(d->m);
	if (d->blk) /* replay and validate run without a block layer */
		blk_destroy(d->blk);
	g_rand_free(d->rng);
	g_free(d->fl);
	if (d->wake)
		sg_sem_destroy(d->wake);
	g_free(d);
}

uint64_t
disk_capacity(const struct disk *d)
{
	return d->model->capacity(d->m);
}

double
disk_probe_rate(struct disk *d, enum io_dir op, uint32_t nsect)
{
	struct disk_svc svc;
	memset(&svc, 0, sizeof svc);
	d->model->service(d->m, op, 0, nsect, 0, &svc);
	double t = disk_svc_total(&svc);
	int ch = d->model->channels ? d->model->channels(d->m) : 1;
	return t > 0 ? (double)MAX(ch, 1) / t : INFINITY;
}

const struct disk_stats *
disk_get_stats(const struct disk *d)
{
	return &d->st;
}

const struct disk_model *
disk_get_model(const struct disk *d)
{
	return d->model;
}

double
disk_flush(struct disk *d, double now)
{
	return d->model->flush ? d->model->flush(d->m, now) : 0;
}

void
disk_describe(const struct disk *d, void (*put)(void *ctx, const char *k, const char *v), void *ctx)
{
	char buf[32];
	put(ctx, "model", d->model->name);
	put(ctx, "scheduler", disk_sched_names[d->sched]);
	snprintf(buf, sizeof buf, "%d", d->queue_depth);
	put(ctx, "queue_depth", buf);
	snprintf(buf, sizeof buf, "%g", d->age_limit * 1e3);
	put(ctx, "age_limit_ms", buf);
	if (d->blk) {
		const struct blk_config *b = blk_get_config(d->blk);
		put(ctx, "block_scheduler", blk_sched_names[b->sched]);
		put(ctx, "merge", b->merges ? "1" : "0"); /* the old name, kept for readers */
		put(ctx, "merges", b->merges ? "1" : "0");
		snprintf(buf, sizeof buf, "%d", b->nr_requests);
		put(ctx, "nr_requests", buf);
		snprintf(buf, sizeof buf, "%u", b->max_sectors / 2);
		put(ctx, "max_sectors_kb", buf);
		if (b->sched == BLK_SCHED_MQ_DEADLINE) {
			snprintf(buf, sizeof buf, "%g", b->read_expire * 1e3);
			put(ctx, "read_expire", buf); /* ms, as the key */
			snprintf(buf, sizeof buf, "%g", b->write_expire * 1e3);
			put(ctx, "write_expire", buf);
			snprintf(buf, sizeof buf, "%d", b->fifo_batch);
			put(ctx, "fifo_batch", buf);
			snprintf(buf, sizeof buf, "%d", b->writes_starved);
			put(ctx, "writes_starved", buf);
			put(ctx, "front_merges", b->front_merges ? "1" : "0");
		} else if (b->sched == BLK_SCHED_BFQ) {
			snprintf(buf, sizeof buf, "%u", b->bfq_max_budget);
			put(ctx, "max_budget", buf); /* sectors */
			snprintf(buf, sizeof buf, "%g", b->bfq_timeout * 1e3);
			put(ctx, "timeout_sync", buf); /* ms */
			snprintf(buf, sizeof buf, "%g", b->bfq_slice_idle * 1e3);
			put(ctx, "slice_idle", buf); /* ms */
			snprintf(buf, sizeof buf, "%g", b->bfq_fifo_expire * 1e3);
			put(ctx, "fifo_expire_sync", buf); /* ms */
			put(ctx, "rotational", b->bfq_rotational ? "1" : "0");
		}
	} else {
		put(ctx, "merge", "0");
		put(ctx, "block_scheduler", "bypassed");
	}
	snprintf(buf, sizeof buf, "%d", d->channels);
	put(ctx, "channels", buf);
	if (d->model->describe)
		d->model->describe(d->m, put, ctx);
}

/* ---- statistics (note 4) ---- */

static void
integrate(struct disk *d, double now)
{
	double dt = now - d->t_mark;
	if (dt > 0) {
		d->st.area += dt * (double)d->ninsys;
		if (d->nfl > 0)
			d->st.busy += dt;
	}
	d->t_mark = now;
}

/* ---- queue ---- */

/* Give the queued requests the drive does not hold yet, oldest first, the tags free at NOW
 * (note 8).  They follow every held one in the queue (tags go in arrival order), so
 * `outside` is where they start. */
static void
admit(struct disk *d, double now)
{
	while (d->outside && d->held + d->nfl < d->queue_depth) {
		d->outside->t_drive = now;
		d->held++;
		d->outside = d->outside->next;
	}
}

/* Append IO at NOW: held at once if a tag is free (then no older request waits for one). */
static void
q_append(struct disk *d, struct disk_io *io, double now)
{
	if (!d->outside && d->held + d->nfl < d->queue_depth) {
		io->t_drive = now;
		d->held++;
	} else {
		io->t_drive = -1;
		if (!d->outside)
			d->outside = io;
	}
	io->next = NULL;
	io->prev = d->tail;
	if (d->tail)
		d->tail->next = io;
	else
		d->head = io;
	d->tail = io;
	d->nqueued++;
}

static void
q_remove(struct disk *d, struct disk_io *io)
{
	if (io == d->outside)
		d->outside = io->next;
	if (io->prev)
		io->prev->next = io->next;
	else
		d->head = io->next;
	if (io->next)
		io->next->prev = io->prev;
	else
		d->tail = io->prev;
	io->next = io->prev = NULL;
	d->nqueued--;
}

static uint64_t
pos_of(const struct disk *d, uint64_t lbn)
{
	return d->model->cylinder ? d->model->cylinder(d->m, lbn) : lbn;
}

/* The scheduler's choice among the first queue_depth requests (note 1). */
static struct disk_io *
pick(struct disk *d, double now)
{
	struct disk_io *best = d->head;
	if (d->sched == DISK_SCHED_FCFS || !best)
		return best;
	if ((d->sched == DISK_SCHED_SPTF || d->sched == DISK_SCHED_SPCTF) &&
	    d->age_limit > 0) { /* note 5 */
		struct disk_io *old = NULL;
		int k = 0;
		for (struct disk_io *io = d->head; io && k < d->queue_depth; io = io->next, k++)
			if (now - io->t_queued >= d->age_limit &&
			    (!old || io->t_queued < old->t_queued))
				old = io;
		if (old)
			return old;
	}
	uint64_t cur = d->model->cylinder ? d->cur_cyl : d->cur_lbn;
	double bestv = INFINITY;
	/* C-LOOK: the lowest position at or above the arm; if none, the lowest overall. */
	bool up_found = false;
	int n = 0;
	best = NULL;
	for (struct disk_io *io = d->head; io && n < d->queue_depth; io = io->next, n++) {
		uint64_t p = io->pos;
		double v;
		switch (d->sched) {
		case DISK_SCHED_SSTF:
			v = p > cur ? (double)(p - cur) : (double)(cur - p);
			break;
		case DISK_SCHED_CLOOK:
			if (p >= cur) {
				if (!up_found) {
					up_found = true;
					bestv = INFINITY;
				}
				v = (double)(p - cur);
			} else {
				if (up_found)
					continue;
				v = (double)p;
			}
			break;
		default: /* SPTF, SPCTF (note 7) */
			if (d->model->position)
				v = d->model->position(d->m, io->op, io->rq_lbn, io->rq_nsect, now,
				                       io->t_drive >= 0 ? io->t_drive : now,
				                       d->sched == DISK_SCHED_SPCTF);
			else
				v = p > cur ? (double)(p - cur) : (double)(cur - p);
			break;
		}
		if (v < bestv) { /* strict: ties go to the earliest arrival */
			bestv = v;
			best = io;
		}
	}
	return best;
}

static void
heap_push(struct disk *d, struct inflight f)
{
	int i = d->nfl++;
	while (i > 0) {
		int p = (i - 1) / 2;
		if (d->fl[p].t_done < f.t_done ||
		    (d->fl[p].t_done == f.t_done && d->fl[p].seq < f.seq))
			break;
		d->fl[i] = d->fl[p];
		i = p;
	}
	d->fl[i] = f;
}

static struct inflight
heap_pop(struct disk *d)
{
	struct inflight top = d->fl[0], last = d->fl[--d->nfl];
	int i = 0;
	for (;;) {
		int c = 2 * i + 1;
		if (c >= d->nfl)
			break;
		if (c + 1 < d->nfl &&
		    (d->fl[c + 1].t_done < d->fl[c].t_done ||
		     (d->fl[c + 1].t_done == d->fl[c].t_done && d->fl[c + 1].seq < d->fl[c].seq)))
			c++;
		if (last.t_done < d->fl[c].t_done ||
		    (last.t_done == d->fl[c].t_done && last.seq < d->fl[c].seq))
			break;
		d->fl[i] = d->fl[c];
		i = c;
	}
	d->fl[i] = last;
	return top;
}

static void
start_one(struct disk *d, struct disk_io *io, double now)
{
	q_remove(d, io);
	uint64_t lbn = io->rq_lbn; /* the request's span: its bios merged by the block layer */
	uint32_t nsect = io->rq_nsect;
	struct disk_svc svc;
	if (io->t_drive >= 0)
		d->held--;
	else
		io->t_drive = now;    /* chosen from beyond the drive's tags: it arrives now */
	if (d->model->service_queued) /* note 8 */
		d->model->service_queued(d->m, io->op, lbn, nsect, now, io->t_drive, &svc);
	else
		d->model->service(d->m, io->op, lbn, nsect, now, &svc);
	if (d->jitter > 0) {
		double f = 1.0 + d->jitter * (2.0 * g_rand_double(d->rng) - 1.0);
		svc.ctrl *= f;
		svc.seek *= f;
		svc.rot *= f;
		svc.xfer *= f;
	}
	double t_done = now + disk_svc_total(&svc);
	for (struct disk_io *o = io; o; o = o->merged) {
		o->t_start = now;
		o->svc = svc;
		o->t_done = t_done;
	}
	if (d->model->cylinder)
		d->cur_cyl = d->model->cylinder(d->m, lbn + nsect - 1);
	d->cur_lbn = lbn + nsect;
	XBT_DEBUG("dispatch %s lbn %llu +%u (raw req %llu; queued %.9f s, %zu behind it): done at "
	          "%.9f (ctrl %.9f seek %.9f rot %.9f xfer %.9f%s)",
	          io->op == IO_READ ? "read" : "write", (unsigned long long)lbn, nsect,
	          (unsigned long long)io->id, now - io->t_issue, d->nqueued, t_done, svc.ctrl,
	          svc.seek, svc.rot, svc.xfer, svc.hit ? ", cache hit" : "");
	heap_push(d, (struct inflight){t_done, d->seq++, io});
}

static void
complete(struct disk *d, struct disk_io *io)
{
	struct disk_io rq = *io; /* the request as the block layer saw it (io may be reused) */
	struct disk_io *o = io;
	while (o) {
		struct disk_io *next = o->merged;
		struct disk_stats *st = &d->st;
		st->nreq++;
		if (o->op == IO_READ) {
			st->nread++;
			st->sectors_read += o->nsect;
		} else {
			st->nwrite++;
			st->sectors_written += o->nsect;
		}
		st->nhit += o->svc.hit;
		st->sum_resp += o->t_done - o->t_issue;
		st->sum_queue += o->t_start - o->t_issue;
		st->sum_ctrl += o->svc.ctrl;
		st->sum_seek += o->svc.seek;
		st->sum_rot += o->svc.rot;
		st->sum_xfer += o->svc.xfer;
		st->t_last = o->t_done;
		d->ninsys--;
		if (o != io)
			st->nmerged++;
		XBT_DEBUG("complete %s lbn %llu +%u (raw req %llu): response %.9f s",
		          o->op == IO_READ ? "read" : "write", (unsigned long long)o->lbn, o->nsect,
		          (unsigned long long)o->id, o->t_done - o->t_issue);
		o->merged = NULL;
		o->done(o); /* may resubmit: do not touch o after this */
		o = next;
	}
	if (d->blk) { /* the request's slot is free: wake one waiting submitter (note 1) */
		blk_complete(d->blk, &rq, rq.t_done);
		sg_sem_t w = g_queue_pop_head(&d->blocked);
		if (w)
			sg_sem_release(w);
	}
}

/* Move requests from the block layer into the drive's queue while it has a free tag. */
static void
feed(struct disk *d, double now)
{
	if (!d->blk)
		return;
	while ((int)d->nqueued + d->nfl < d->queue_depth) {
		struct disk_io *rq = blk_dispatch(d->blk, now);
		if (!rq)
			break;
		rq->pos = pos_of(d, rq->rq_lbn);
		rq->t_queued = now;
		q_append(d, rq, now);
	}
}

/* Complete everything due by NEXT, at its computed time (note 3). */
static void
complete_due(struct disk *d, double next)
{
	while (d->nfl > 0 && d->fl[0].t_done <= next) {
		integrate(d, d->fl[0].t_done);
		struct inflight f = heap_pop(d);
		admit(d, f.t_done); /* before complete(): its callbacks may submit at that time */
		complete(d, f.io);
	}
}

/* A disk_src arrival at or before the next completion NEXT (note 6): wait for it (or sleep
 * through it to NEXT), or hand it back. */
static void
src_wait(struct disk *d, struct disk_src *s, double now, double next)
{
	double ta = s->t_next;
	bool lazy = d->nfl == d->channels;
	bool tie = fabs(ta - next) <= d->prec;
	/* the arrivals the submitter would chain before the completion (lazy: brought in late) */
	double tk = ta;
	for (int k = 0; lazy && !tie && k < s->room && tk < next; k++) {
		tk = tk + s->charge;
		tie = fabs(tk - next) <= d->prec;
	}
	if (tie || ta - now < d->prec || 2.0 * now < (lazy ? next : ta)) {
		bool older = !s->late; /* its wait began before this instant's disk wait */
		s->handback(s);
		if (tie && older)
			sg_actor_yield(); /* its timed wait first, as it was */
		return;
	}
	s->late = false;
	if (!lazy) { /* a free channel: the arrival starts service at once */
		d->waiting = true;
		sg_sem_acquire_timeout(d->wake, ta - now);
		d->waiting = false;
		return;
	}
	sg_actor_sleep_for(next - now);
	while (s->t_next < next)
		s->arrive(s);
	complete_due(d, next);
}

static void
disk_actor(int argc, char **argv)
{
	struct disk *d = (struct disk *)sg_actor_self_get_data();
	for (;;) {
		double now = simgrid_get_clock();
		feed(d, now);
		while (d->nfl < d->channels && d->head)
			start_one(d, pick(d, now), now);
		struct disk_src *s = d->src;
		if (s && s->t_next <= now) { /* the submitter's turn, after the disk's (note 6) */
			s->arrive(s);
			continue;
		}
		double next = d->nfl ? d->fl[0].t_done : INFINITY;
		if (s && s->t_next < INFINITY && s->t_next <= next + d->prec) {
			src_wait(d, s, now, next);
			continue;
		}
		if (s)
			s->late = false; /* a wait of the disk's own begins */
		/* the elevator's own timer (bfq's idling): it may dispatch then unprompted */
		double tm = d->blk ? blk_timer(d->blk) : INFINITY;
		if (d->nfl == 0) {
			d->waiting = true;
			if (tm < INFINITY)
				sg_sem_acquire_timeout(d->wake, MAX(tm - now, 0));
			else
				sg_sem_acquire(d->wake);
			d->waiting = false;
			continue;
		}
		if (tm < next) { /* wake at the timer; nothing completes before */
			d->waiting = true;
			sg_sem_acquire_timeout(d->wake, MAX(tm - now, 0));
			d->waiting = false;
			continue;
		}
		if (d->nfl == d->channels) {
			/* every channel busy: no arrival can change anything before `next` */
			if (next > now)
				sg_actor_sleep_for(next - now);
		} else {
			d->waiting = true;
			int timeout = next > now ? sg_sem_acquire_timeout(d->wake, next - now) : 1;
			d->waiting = false;
			if (!timeout)
				continue; /* a new arrival: maybe a free channel can take it */
		}
		complete_due(d, next);
	}
}

void
disk_start(struct disk *d, void *host)
{
	d->wake = sg_sem_init(0);
	d->prec = sg_cfg_get_double("surf/precision");
	sg_actor_t a = sg_actor_init("disk", (sg_host_t)host);
	d->actor = a;
	sg_actor_set_data(a, d);
	sg_actor_daemonize(a);
	sg_actor_start(a, disk_actor, 0, NULL);
}

static void
submit_at(struct disk *d, struct disk_io *io, double now, uint32_t ioc)
{
	integrate(d, now);
	io->t_issue = now;
	io->ioc = ioc; /* bfq's queue: the submitter */
	io->merged = NULL;
	io->rq_lbn = io->lbn;
	io->rq_nsect = io->nsect;
	if (d->st.t_first < 0)
		d->st.t_first = now;
	d->ninsys++;
	if (d->blk) {
		blk_insert(d->blk, io, now);
		feed(d, now);
		/* a merge of two requests freed a slot: let a waiting submitter have it */
		if (blk_in_use(d->blk) < blk_get_config(d->blk)->nr_requests) {
			sg_sem_t w = g_queue_pop_head(&d->blocked);
			if (w)
				sg_sem_release(w);
		}
	} else {
		io->pos = pos_of(d, io->lbn); /* once, not at every scheduling decision */
		io->t_queued = now;
		q_append(d, io, now);
	}
	if (d->waiting && d->nfl < d->channels && d->head) {
		d->waiting = false;
		sg_sem_release(d->wake);
	}
}

void
disk_submit(struct disk *d, struct disk_io *io)
{
	g_assert(io->lbn + io->nsect <= disk_capacity(d));
	if (d->blk && sg_actor_self() != d->actor) {
		while (blk_full(d->blk, io)) { /* no free request: wait for a completion */
			sg_sem_t w = sg_sem_init(0);
			g_queue_push_tail(&d->blocked, w);
			sg_sem_acquire(w);
			sg_sem_destroy(w);
		}
	}
	submit_at(d, io, simgrid_get_clock(), (uint32_t)sg_actor_get_pid(sg_actor_self()));
}

void
disk_submit_at(struct disk *d, struct disk_io *io, double now, uint32_t ioc)
{
	g_assert(io->lbn + io->nsect <= disk_capacity(d));
	g_assert(sg_actor_self() == d->actor && now <= simgrid_get_clock());
	g_assert(!d->blk || !blk_full(d->blk, io)); /* disk_src_ok */
	submit_at(d, io, now, ioc);
}

void
disk_set_src(struct disk *d, struct disk_src *s)
{
	g_assert(!s || !d->src); /* one at a time */
	d->src = s;
}

bool
disk_src_ok(const struct disk *d, int outstanding)
{
	if (!d->blk)
		return true;
	const struct blk_config *b = blk_get_config(d->blk);
	return b->sched != BLK_SCHED_BFQ && b->nr_requests >= outstanding;
}

const struct blk_stats *
disk_blk_stats(const struct disk *d)
{
	return d->blk ? blk_get_stats(d->blk) : NULL;
}

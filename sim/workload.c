/*
 * workload.c -- the actors of fio jobs (see workload.h): each job clone's threads, which take
 * their requests from the clone's generator (generator.c) and issue them to the file system
 * or the raw device at their times, and the raw trace replay.
 *
 * Design notes:
 * (1) Synchronous engines keep one request outstanding, asynchronous ones up to iodepth (a
 *     file job's clone runs iodepth threads, each one request at a time, since the file
 *     system blocks its caller).  A clone ends when its generator does, or at `ramp_time +
 *     runtime`.  Requests issued during ramp_time are not measured.
 * (2) rate_iops / rate: a request whose slot (generator.c note 4) comes while iodepth are
 *     outstanding is issued when one completes, and the schedule does not shift.
 * (3) stonewall: the jobs after a stonewall start when every earlier job has ended (groups,
 *     numbered by job.c).  A group's last actor releases the next group's waiters;
 *     sg_sem_release may run the woken actor at once, so it counts them first.
 * (4) Raw completions are handled in the disk actor's context by a callback that records the
 *     statistics and releases the issuing clone's semaphore (one sg_sem per clone).
 * (5) read_iolog=FILE replays a trace through the file system as offsets in the job's file:
 *     each clone's threads take the records in order and issue each at its time (scaled by
 *     replay_time_scale; at once with replay_no_stall), at most iodepth at a time.
 * (6) The fast path of a raw job: where the job's thread would wait for a completion, it
 *     hands its loop to the disk actor (a struct disk_src, disk.c note 6) and sleeps until
 *     the job ends or the disk hands a request back.  The completion callback, in the disk
 *     actor, does what the woken thread would: it takes the next request (the clone's own
 *     generator, whose draws no other actor shares), and its arrival is the time the
 *     thread's CPU charge would end; the disk brings it in then (arrive), and the loop
 *     continues there.  Each request then costs one timed wait of the disk instead of a
 *     CPU charge, a semaphore each way and the disk's wait, and every result is the same
 *     (tests/test_fastpath.c compares both paths).  Only where nothing else could tell:
 *     one raw job of one clone in the run (no other thread draws ids, shares the CPU or
 *     the [sim] jitter stream), no jitter, no thinktime, no rate limits, CPU charges as
 *     exact sleeps (threads <= cores), a block layer that never blocks the job (iodepth <=
 *     nr_requests) nor keeps a timer (not bfq).  VNODESIM_FASTRAW=0 in the environment
 *     keeps the old path (a debugging aid: docs/performance.md).
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/semaphore.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/config.h>
#include <xbt/log.h>

#include "models/disk.h"
#include "models/fs.h"
#include "sim/output.h"
#include "sim/run.h"
#include "sim/trace.h"
#include "sim/workload.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_workload, vnodesim, "jobs: threads ending, groups");

struct wl_group {
	int live;    /* actors of this group still running */
	int waiting; /* actors of the next group waiting for this one */
	bool done;
	sg_sem_t gate; /* the next group's actors wait here */
};

/* ---- stonewall groups (note 3) ---- */

static void
groups_init(struct run *r)
{
	int n = 0;
	for (guint i = 0; i < r->jobs->len; i++)
		n = MAX(n, ((struct wl_job *)r->jobs->pdata[i])->group + 1);
	struct wl_group *g = g_new0(struct wl_group, n);
	for (guint i = 0; i < r->jobs->len; i++)
		((struct wl_job *)r->jobs->pdata[i])->groups = g;
	((struct wl_job *)r->jobs->pdata[0])->owns_groups = true;
}

static int
job_actors(const struct wl_job *j)
{
	return j->numjobs * (j->raw ? 1 : j->iodepth);
}

/* Wait until every earlier group has ended. */
static void
group_enter(struct wl_job *j)
{
	if (!j->groups || j->group == 0)
		return;
	struct wl_group *prev = &j->groups[j->group - 1];
	if (prev->done)
		return;
	if (!prev->gate)
		prev->gate = sg_sem_init(0);
	prev->waiting++;
	sg_sem_acquire(prev->gate);
	if (--prev->waiting == 0) {
		sg_sem_destroy(prev->gate);
		prev->gate = NULL;
	}
}

static void
thread_exit(struct run *r, struct wl_job *j)
{
	XBT_VERB("a thread of job %s ended (%d still running)", j ? j->name : "-",
	         r->live_threads - 1);
	if (j && j->groups) {
		struct wl_group *g = &j->groups[j->group];
		if (--g->live == 0) {
			g->done = true;
			XBT_VERB("stonewall group %d done", j->group);
			/* a release may run the woken actor at once: count first */
			int n = g->waiting;
			sg_sem_t gate = g->gate;
			for (int k = 0; k < n; k++)
				sg_sem_release(gate);
		}
	}
	if (--r->live_threads == 0)
		sg_sem_release(r->all_done);
}

/* ---- the clones ---- */

/* The fast path's states (note 6): the thread's loop, as run by the disk actor. */
enum fstate {
	F_OFF,      /* the thread runs its own loop */
	F_BLOCKED,  /* waits for a completion (iodepth outstanding), the next request in hand */
	F_PENDING,  /* charges CPU for a request until src.t_next */
	F_WAIT_OWN, /* synchronous: waits for its request's completion */
	F_DRAIN,    /* no more requests: waits for the outstanding ones */
	F_END,      /* all done: the thread ends */
	F_BACK,     /* the disk handed the pending request back: the thread waits for it */
};

struct wl_thread {
	struct wl_job *job;
	struct wl_gen *gen;
	struct run *run;
	int clone;
	int slots;        /* file jobs: slot actors still running */
	uint64_t writes;  /* for fsync=N */
	uint64_t thought; /* requests since the last think time */
	sg_sem_t done;    /* raw: released once per completion (note 4) */
	int outstanding;
	struct disk_io *pool, *freelist;
	struct vnode **vn; /* file jobs: the clone's files */
	double t_start;    /* after startdelay; -1 before */
	bool started;
	guint cursor; /* read_iolog: the next record */
	/* the fast path (note 6) */
	bool fast;             /* eligible */
	enum fstate fstate;    /* where the loop the disk runs stands */
	struct disk_src src;   /* its arrivals */
	struct wl_io fio;      /* F_BLOCKED: the request in hand */
	struct disk_io *fd;    /* F_PENDING, F_BACK: the request being charged for */
	double t_back;         /* F_BACK: the end of its charge */
	uint32_t pid;          /* the thread's: the requests' I/O context */
	uint64_t nfast, nback; /* requests the disk brought in, handed back (the debug log) */
};

static bool
measured(const struct run *r, const struct wl_thread *t, double t_issue)
{
	return t_issue >= r->sim.warmup_s && t_issue >= t->t_start + t->job->ramp;
}

static bool
more(const struct wl_thread *t, double now)
{
	const struct wl_job *j = t->job;
	return !(j->runtime > 0 && now >= t->t_start + j->ramp + j->runtime);
}

static void io_done(struct disk_io *io);

/* The thread's next request from IO (a disk_io from the clone's pool, a new id). */
static struct disk_io *
form(struct wl_thread *t, const struct wl_io *io)
{
	struct run *r = t->run;
	struct disk_io *d = t->freelist;
	g_assert(d);
	t->freelist = d->next;
	d->op = io->dir;
	d->lbn = io->off / DISK_SECTOR;
	d->nsect = (uint32_t)(io->len / DISK_SECTOR);
	d->id = r->next_id++;
	d->done = io_done;
	d->arg = t;
	return d;
}

/* a raw device: no file system; the whole kernel path is charged before the request, the
 * completion included (the sum is what a closed form sees) */
static double
host_cost(const struct run *r)
{
	return r->host.syscall + r->host.blk_submit + r->host.completion;
}

/* ---- the fast path (note 6) ---- */

static struct wl_thread *
src_thread(struct disk_src *s)
{
	return (struct wl_thread *)((char *)s - offsetof(struct wl_thread, src));
}

/* The thread forms IO's request at NOW and charges the host's cost for it (run_cpu's exact
 * sleep): its arrival.  LATE: NOW is a completion the disk handles first. */
static void
fast_charge(struct wl_thread *t, const struct wl_io *io, double now, bool late)
{
	t->fd = form(t, io);
	t->src.t_next = now + t->src.charge;
	t->src.late = late;
	/* after this one, it goes on at once while fewer than iodepth are outstanding */
	t->src.room = t->job->async ? t->job->iodepth - t->outstanding - 1 : 0;
	t->fstate = F_PENDING;
}

/* The thread stops: wake its actor, which ends (F_END) or takes the request back. */
static void
fast_wake(struct wl_thread *t, enum fstate st)
{
	t->fstate = st;
	t->src.t_next = INFINITY;
	sg_sem_release(t->done);
}

/* The top of the thread's loop at NOW: the next request, or the end of the job. */
static void
fast_next(struct wl_thread *t, double now, bool late)
{
	struct wl_io io;
	t->src.t_next = INFINITY;
	if (!more(t, now) || !wl_gen_next(t->gen, &io)) { /* wait_slot: no rate limits */
		if (t->outstanding > 0)
			t->fstate = F_DRAIN;
		else
			fast_wake(t, F_END);
		return;
	}
	if (t->outstanding >= t->job->iodepth) {
		t->fio = io;
		t->fstate = F_BLOCKED;
		return;
	}
	fast_charge(t, &io, now, late);
}

/* A completion of the thread's, in the disk actor (from io_done): what the woken thread
 * would do. */
static void
fast_done(struct wl_thread *t)
{
	double now = simgrid_get_clock();
	switch (t->fstate) {
	case F_BLOCKED:
		fast_charge(t, &t->fio, now, true);
		break;
	case F_WAIT_OWN:
		fast_next(t, now, true);
		break;
	case F_DRAIN:
		if (t->outstanding == 0)
			fast_wake(t, F_END);
		break;
	default: /* F_PENDING: the charge goes on, with room for one more after it */
		if (t->job->async)
			t->src.room = t->job->iodepth - t->outstanding - 1;
		break;
	}
}

/* The disk brings in the pending request at its arrival (disk_src.arrive). */
static void
fast_arrive(struct disk_src *s)
{
	struct wl_thread *t = src_thread(s);
	struct run *r = t->run;
	double now = s->t_next;
	g_assert(t->fstate == F_PENDING);
	t->outstanding++;
	r->app_issued++;
	t->nfast++;
	disk_submit_at(r->disk, t->fd, now, t->pid);
	t->fd = NULL;
	if (!t->job->async) {
		t->src.t_next = INFINITY;
		t->fstate = F_WAIT_OWN;
	} else {
		fast_next(t, now, false);
	}
}

static void
fast_handback(struct disk_src *s)
{
	struct wl_thread *t = src_thread(s);
	g_assert(t->fstate == F_PENDING);
	t->nback++;
	t->t_back = s->t_next;
	fast_wake(t, F_BACK);
}

/* The thread would wait on its semaphore in state ST (IO: the request in hand): the disk runs
 * its loop until it ends (F_END) or hands a request back (F_BACK, in t->fd). */
static enum fstate
fast_wait(struct wl_thread *t, const struct wl_io *io, enum fstate st)
{
	if (io)
		t->fio = *io;
	t->fstate = st;
	while (t->fstate != F_END && t->fstate != F_BACK)
		sg_sem_acquire(t->done);
	st = t->fstate;
	t->fstate = F_OFF;
	return st;
}

static void
io_done(struct disk_io *io)
{
	struct wl_thread *t = io->arg;
	struct run *r = t->run;
	struct wl_job *j = t->job;
	enum io_dir op = io->op;
	uint64_t bytes = (uint64_t)io->nsect * DISK_SECTOR;
	r->app_done++;
	j->st.events += 2; /* the application request and its disk request */
	if (t->t_start < 0 ? io->t_issue >= r->sim.warmup_s : measured(r, t, io->t_issue)) {
		st_job_add(&j->st, op, bytes, io->t_issue, io->t_done);
		fio_series_add(&j->series, &j->fio, op, bytes, io->t_issue, io->t_done);
	}
	if (r->service && io->id < r->nservice)
		r->service[io->id] = disk_svc_total(&io->svc);
	if (r->requests) {
		const struct disk_svc *v = &io->svc;
		struct out_request rec = {.id = io->id,
		                          .job = j->name,
		                          .op = op == IO_READ ? "read" : "write",
		                          .path = "raw",
		                          .offset = io->lbn * DISK_SECTOR,
		                          .len = bytes,
		                          .t_issue = io->t_issue,
		                          .t_done = io->t_done,
		                          .queue = io->t_start - io->t_issue,
		                          .seek = v->seek,
		                          .rot = v->rot,
		                          .xfer = v->xfer,
		                          .ctrl = v->ctrl,
		                          .service = disk_svc_total(v)};
		out_request_row(r->requests, &rec);
	}
	io->next = t->freelist;
	t->freelist = io;
	t->outstanding--;
	if (t->fstate == F_OFF || t->fstate == F_BACK)
		sg_sem_release(t->done);
	else
		fast_done(t);
}

static void
thread_free(struct wl_thread *t)
{
	if (t->done)
		sg_sem_destroy(t->done);
	wl_gen_free(t->gen);
	g_free(t->vn);
	g_free(t->pool);
	g_free(t);
}

/* The clone's start: stonewall, then startdelay (once per clone). */
static void
clone_start(struct wl_thread *t)
{
	struct wl_job *j = t->job;
	group_enter(j);
	if (!t->started) {
		t->started = true;
		double d = j->startdelay;
		if (j->startdelay_max > j->startdelay)
			d += wl_gen_uniform(t->gen) * (j->startdelay_max - j->startdelay);
		t->t_start = simgrid_get_clock() + d; /* the clone's other slots wait too */
		wl_gen_start(t->gen, t->t_start);
	}
	double now = simgrid_get_clock();
	if (t->t_start > now)
		sg_actor_sleep_for(t->t_start - now);
}

/* thinktime after every thinktime_blocks requests: spin, then sleep the rest */
static void
think(struct wl_thread *t)
{
	const struct wl_job *j = t->job;
	if (j->thinktime <= 0 || ++t->thought < j->thinktime_blocks)
		return;
	t->thought = 0;
	if (j->thinktime_spin > 0)
		run_cpu(t->run, MIN(j->thinktime_spin, j->thinktime));
	if (j->thinktime > j->thinktime_spin)
		sg_actor_sleep_for(j->thinktime - j->thinktime_spin);
}

static void
wait_slot(struct wl_thread *t, const struct wl_io *io)
{
	double now = simgrid_get_clock();
	if (io->not_before > now)
		sg_actor_sleep_for(io->not_before - now);
}

static void
job_actor(int argc, char **argv)
{
	struct wl_thread *t = sg_actor_self_get_data();
	struct wl_job *j = t->job;
	struct run *r = t->run;
	clone_start(t);
	if (t->fast) { /* note 6 */
		t->pid = (uint32_t)sg_actor_get_pid(sg_actor_self());
		/* run_cpu's sleep: none at 0, at least SimGrid's precision (disk.c note 6) */
		double c = host_cost(r);
		if (c > 0)
			c = MAX(c, sg_cfg_get_double("surf/precision"));
		t->src = (struct disk_src){.t_next = INFINITY,
		                           .charge = c,
		                           .arrive = fast_arrive,
		                           .handback = fast_handback};
		disk_set_src(r->disk, &t->src);
	}
	struct wl_io io;
	bool back = false; /* the disk handed t->fd back: charged until src.t_next */
	for (;;) {
		struct disk_io *d;
		if (back) {
			back = false;
			d = t->fd;
			t->fd = NULL;
			double now = simgrid_get_clock();
			if (t->t_back > now) /* the rest of the charge (disk.c note 6) */
				sg_actor_sleep_for(t->t_back - now);
		} else {
			if (!more(t, simgrid_get_clock()) || !wl_gen_next(t->gen, &io))
				break;
			wait_slot(t, &io);
			if (!more(t, simgrid_get_clock()))
				break;
			if (t->fast && t->outstanding >= j->iodepth) {
				enum fstate st = fast_wait(t, &io, F_BLOCKED);
				if (st == F_END)
					goto end;
				back = true;
				continue;
			}
			while (t->outstanding >= j->iodepth)
				sg_sem_acquire(t->done);
			d = form(t, &io);
			run_cpu(r, host_cost(r));
		}
		t->outstanding++;
		r->app_issued++;
		disk_submit(r->disk, d);
		if (!j->async) {
			if (t->fast) {
				enum fstate st = fast_wait(t, NULL, F_WAIT_OWN);
				if (st == F_END)
					goto end;
				back = true;
				continue;
			}
			sg_sem_acquire(t->done);
		}
		if (j->thinktime > 0 && t->thought + 1 >= j->thinktime_blocks)
			while (t->outstanding > 0) /* fio quiesces before thinking */
				sg_sem_acquire(t->done);
		think(t);
	}
	while (t->outstanding > 0)
		sg_sem_acquire(t->done);
end:
	if (t->fast) {
		disk_set_src(r->disk, NULL);
		XBT_VERB(
		    "job %s: the fast path (note 6): %llu requests brought in by the disk, %llu "
		    "handed back",
		    j->name, (unsigned long long)t->nfast, (unsigned long long)t->nback);
	}
	thread_free(t);
	thread_exit(r, j);
}

/* ---- file jobs: each clone runs iodepth slot actors, each one request at a time ---- */

struct wl_slot {
	struct wl_thread *t;
	struct fs_thread *ft;
};

static void
file_request(struct wl_slot *sl, struct vnode *v, enum io_dir op, uint64_t off, uint64_t len,
             bool fsync, bool datasync)
{
	struct wl_thread *t = sl->t;
	struct wl_job *j = t->job;
	struct run *r = t->run;
	struct fs_res res = {0};
	uint64_t id = r->next_id++;
	r->app_issued++;
	if (fsync) {
		fs_fsync(sl->ft, v, datasync, &res);
	} else {
		struct fs_req rq = {.op = op,
		                    .off = off,
		                    .len = len,
		                    .direct = j->direct,
		                    .concurrent = j->concurrent,
		                    .async = j->async,
		                    .sync = (enum fs_sync)j->sync,
		                    .id = id,
		                    .tag = j->index}; /* verdicts come back by it (run.c) */
		fs_rw(sl->ft, v, &rq, &res);
	}
	double now = simgrid_get_clock();
	r->app_done++;
	j->st.events += 1 + res.disk_requests;
	if (fsync) { /* not I/O requests in the statistics: fio counts them apart ("sync") */
		if (measured(r, t, res.t_issue))
			fio_series_sync(&j->series, now - res.t_issue);
		return;
	}
	/* a failed request (EINVAL) moved no data: counted in result.json's fs.einval only */
	if (!res.error && measured(r, t, res.t_issue)) {
		st_job_add(&j->st, op, len, res.t_issue, now);
		fio_series_add(&j->series, &j->fio, op, len, res.t_issue, now);
		j->st.vnode_wait += res.vnode_wait;
		j->st.getpages_wait += res.getpages_wait;
		j->st.range_wait += res.range_wait;
		j->st.cache_hits += res.cache_hits;
		j->st.cache_lookups += res.cache_lookups;
	}
	if (r->requests) {
		struct out_request rec = {.id = id,
		                          .job = j->name,
		                          .op = op == IO_READ ? "read" : "write",
		                          .path = res.path,
		                          .offset = off,
		                          .len = len,
		                          .t_issue = res.t_issue,
		                          .t_done = now,
		                          .lock_wait = res.vnode_wait + res.range_wait +
		                                       res.getpages_wait + res.busy_wait,
		                          .queue = res.queue,
		                          .seek = res.seek,
		                          .rot = res.rot,
		                          .xfer = res.xfer,
		                          .ctrl = res.ctrl,
		                          .service = res.service};
		out_request_row(r->requests, &rec);
	}
}

static void
after_write(struct wl_slot *sl, struct vnode *v)
{
	struct wl_thread *t = sl->t;
	const struct wl_job *j = t->job;
	t->writes++;
	if (j->fsync_n && t->writes % j->fsync_n == 0)
		file_request(sl, v, IO_WRITE, 0, 0, true, false);
	if (j->fdatasync_n && t->writes % j->fdatasync_n == 0)
		file_request(sl, v, IO_WRITE, 0, 0, true, true);
}

/* read_iolog (note 5): the next record's turn, or false at the end. */
static bool
replay_next(struct wl_thread *t, const struct tr_rec **rec)
{
	const struct wl_job *j = t->job;
	guint n = j->recs->len;
	uint64_t total = n * (uint64_t)MAX(j->loops, 1);
	if (t->cursor >= total || (j->number_ios && t->cursor >= j->number_ios))
		return false;
	guint i = t->cursor % n;
	double base = t->t_start;
	if (n && t->cursor >= n) { /* a later loop starts after the trace's last time */
		const struct tr_rec *last = &g_array_index(j->recs, struct tr_rec, n - 1);
		base += (double)(t->cursor / n) * last->t * 100 / j->replay_time_scale;
	}
	t->cursor++;
	*rec = &g_array_index(j->recs, struct tr_rec, i);
	if (!j->replay_no_stall) {
		double due = base + (*rec)->t * 100 / j->replay_time_scale;
		double now = simgrid_get_clock();
		if (due > now)
			sg_actor_sleep_for(due - now);
	}
	return true;
}

static void
file_actor(int argc, char **argv)
{
	struct wl_slot *sl = sg_actor_self_get_data();
	struct wl_thread *t = sl->t;
	struct wl_job *j = t->job;
	struct run *r = t->run;
	clone_start(t);
	if (j->recs) {
		const struct tr_rec *rec;
		while (more(t, simgrid_get_clock()) && replay_next(t, &rec)) {
			if (!more(t, simgrid_get_clock()))
				break;
			if (rec->kind == TR_SYNC || rec->kind == TR_DATASYNC) {
				file_request(sl, t->vn[0], IO_WRITE, 0, 0, true,
				             rec->kind == TR_DATASYNC);
				continue;
			}
			file_request(sl, t->vn[0], rec->write ? IO_WRITE : IO_READ, rec->off,
			             rec->len, false, false);
			if (rec->write)
				after_write(sl, t->vn[0]);
			think(t);
		}
	} else {
		struct wl_io io;
		while (more(t, simgrid_get_clock()) && wl_gen_next(t->gen, &io)) {
			wait_slot(t, &io);
			if (!more(t, simgrid_get_clock()))
				break;
			struct vnode *v = t->vn[io.file];
			file_request(sl, v, io.dir, io.off, io.len, false, false);
			if (io.dir == IO_WRITE)
				after_write(sl, v);
			think(t);
		}
	}
	if (--t->slots == 0) {
		if (j->end_fsync)
			for (int f = 0; f < wl_gen_nfiles(t->gen); f++)
				file_request(sl, t->vn[f], IO_WRITE, 0, 0, true, false);
		thread_free(t);
	}
	fs_thread_free(sl->ft);
	g_free(sl);
	thread_exit(r, j);
}

/* NAME.C.K, as "%s.%d.%d" prints it (C, K >= 0; SIZE >= strlen(NAME) + 24 holds it) */
static void
actor_name(char *buf, size_t size, const char *name, int c, int k)
{
	char tail[32], *p = tail + sizeof tail;
	*--p = '\0';
	int v[2] = {k, c};
	for (int i = 0; i < 2; i++) {
		unsigned u = (unsigned)v[i];
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) > 0);
		*--p = '.';
	}
	size_t n = strlen(name), t = strlen(p);
	n = MIN(n, size - 1);
	memcpy(buf, name, n);
	t = MIN(t, size - 1 - n);
	memcpy(buf + n, p, t);
	buf[n + t] = '\0';
}

/* May job J's clone take the fast path (note 6)? */
static bool
fast_ok(const struct run *r, const struct wl_job *j)
{
	const char *e = getenv("VNODESIM_FASTRAW");
	if (e && strcmp(e, "0") == 0)
		return false;
	return j->raw && r->jobs && r->jobs->len == 1 && j->numjobs == 1 && r->cpu_uncontended &&
	       r->sim.jitter == 0 && j->thinktime == 0 && j->rate_iops[0] == 0 &&
	       j->rate_iops[1] == 0 && j->rate_bps[0] == 0 && j->rate_bps[1] == 0 &&
	       disk_src_ok(r->disk, j->iodepth);
}

void
wl_job_start(struct run *r, struct wl_job *j, void *host)
{
	j->run = r;
	if (!j->groups && r->jobs && r->jobs->len && r->jobs->pdata[0] == j)
		groups_init(r);
	if (j->groups)
		j->groups[j->group].live += job_actors(j);
	for (int c = 0; c < j->numjobs; c++) {
		struct wl_thread *t = g_new0(struct wl_thread, 1);
		t->job = j;
		t->run = r;
		t->clone = c;
		t->t_start = -1;
		t->gen = wl_gen_new(j, c, r->seed);
		if (!j->raw) {
			int nf = wl_gen_nfiles(t->gen);
			t->vn = g_new0(struct vnode *, nf);
			for (int f = 0; f < nf; f++) {
				uint64_t size;
				char *fname = wl_gen_file(t->gen, f, &size);
				/* file_append: the file as the other jobs make it; writes extend */
				t->vn[f] = fs_file(r->fs, fname, j->file_append ? 0 : size);
				g_free(fname);
			}
			t->slots = j->iodepth;
			for (int k = 0; k < j->iodepth; k++) {
				struct wl_slot *sl = g_new0(struct wl_slot, 1);
				/* "JOB.CLONE.SLOT" (g_strdup_printf: 2,400 instructions) */
				size_t len = strlen(j->name) + 24;
				char *name = g_malloc(len);
				actor_name(name, len, j->name, c, k);
				sl->t = t;
				sl->ft = fs_thread_new(r->fs, name);
				sg_actor_t a = sg_actor_init(name, (sg_host_t)host);
				g_free(name);
				sg_actor_set_data(a, sl);
				r->live_threads++;
				sg_actor_start(a, file_actor, 0, NULL);
			}
			continue;
		}
		t->done = sg_sem_init(0);
		t->fast = fast_ok(r, j);
		t->pool = g_new0(struct disk_io, j->iodepth);
		for (int i = 0; i < j->iodepth; i++) {
			t->pool[i].next = t->freelist;
			t->freelist = &t->pool[i];
		}
		char *name = g_strdup_printf("%s.%d", j->name, c);
		sg_actor_t a = sg_actor_init(name, (sg_host_t)host);
		g_free(name);
		sg_actor_set_data(a, t);
		r->live_threads++;
		sg_actor_start(a, job_actor, 0, NULL);
	}
}

/* ---- raw trace replay ---- */

struct replay {
	struct wl_thread *t;
	const GArray *recs;
	bool closed;
};

static void
replay_actor(int argc, char **argv)
{
	struct replay *rp = sg_actor_self_get_data();
	struct wl_thread *t = rp->t;
	struct run *r = t->run;
	for (guint i = 0; i < rp->recs->len; i++) {
		const struct tr_rec *rec = &g_array_index(rp->recs, struct tr_rec, i);
		if (rp->closed) { /* the previous line's think time after its completion */
			double gap = i > 0 ? g_array_index(rp->recs, struct tr_rec, i - 1).t : 0;
			if (gap > 0)
				sg_actor_sleep_for(gap);
		} else {
			double now = simgrid_get_clock();
			if (rec->t > now)
				sg_actor_sleep_for(rec->t - now);
		}
		if (rec->nsect == 0) /* a sync: the raw device has nothing to do */
			continue;
		struct disk_io *io = t->freelist;
		g_assert(io);
		t->freelist = io->next;
		io->op = rec->write ? IO_WRITE : IO_READ;
		io->lbn = rec->lbn;
		io->nsect = rec->nsect;
		io->id = i;
		io->done = io_done;
		io->arg = t;
		t->outstanding++;
		r->app_issued++;
		disk_submit(r->disk, io);
		if (rp->closed)
			sg_sem_acquire(t->done);
	}
	while (t->outstanding > 0)
		sg_sem_acquire(t->done);
	sg_sem_destroy(t->done);
	g_free(t->pool);
	g_free(t);
	g_free(rp);
	thread_exit(r, NULL);
}

void
wl_replay_start(struct run *r, struct wl_job *j, const GArray *recs, bool closed, void *host)
{
	j->run = r;
	struct wl_thread *t = g_new0(struct wl_thread, 1);
	t->job = j;
	t->run = r;
	t->t_start = -1;
	t->done = sg_sem_init(0);
	guint n = closed ? 1 : recs->len;
	t->pool = g_new0(struct disk_io, n);
	for (guint i = 0; i < n; i++) {
		t->pool[i].next = t->freelist;
		t->freelist = &t->pool[i];
	}
	struct replay *rp = g_new0(struct replay, 1);
	*rp = (struct replay){t, recs, closed};
	sg_actor_t a = sg_actor_init("replay", (sg_host_t)host);
	sg_actor_set_data(a, rp);
	r->live_threads++;
	sg_actor_start(a, replay_actor, 0, NULL);
}

/*
 * writeback.c -- the write-back daemon and page flushing.
 *
 * Design notes:
 * (1) One daemonized actor.  It wakes every writeback_interval_s / 6 (as Linux's flusher
 *     wakes every 5 s against a 30 s expiry) or when woken: it writes back the pages that
 *     have been dirty longer than writeback_interval_s and, when dirty pages exceed
 *     dirty_ratio of the cache, the oldest ones until (once the I/Os in flight complete) at
 *     most half that ratio stays dirty; when the cache is full (a writer may wait for a clean
 *     page), at least the oldest maxphys worth of pages.  Pages dirtied at the same instant as
 *     the last one chosen go too (a cut by time, as the dirty lists are in time order).
 *     Its periodic sleep is why SimGrid's own deadlock detector never fires in vnodesim
 *     runs: lock deadlocks are detected by the lock layer.
 * (2) A dirty page remembers its disk page, so write-back never consults the block map and
 *     takes no file-system lock (no lock-order inversion with the request paths).
 * (3) Clusters: pages of one file with consecutive indices and consecutive disk pages, at
 *     most maxphys, one disk request each.  A page re-dirtied while its write-back is in
 *     flight stays dirty (generation check at completion, pc_wb_done).
 * (4) The data written is the page's content when the I/O was issued (t_snap), which the
 *     oracle uses to know what reached the disk.
 * (5) Submitting an I/O can wake the disk actor, and in SimGrid releasing a semaphore is a
 *     scheduling point: other actors may run before the submitter goes on.  So a flush marks
 *     every page it selected as under I/O before it submits the first request; otherwise a
 *     concurrent flusher (the daemon, an fsync, a direct write's flush) could select the same
 *     page again and two write-backs would complete it twice.
 *
 * Invariants: a page is under at most one write-back at a time (pc_wb_start asserts it is
 * idle); only dirty pages with a disk page are written; every write-back I/O completes once,
 * cleaning its pages unless they were re-dirtied meanwhile.
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdlib.h>
#include <xbt/log.h>

#include "models/fs_impl.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_wb, vnodesim, "write-back daemon and page flushing");

static int
page_cmp(const void *a, const void *b)
{
	const struct page *x = *(struct page *const *)a, *y = *(struct page *const *)b;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Build the write-back of pages PG[0..n) and mark them under I/O (not yet submitted). */
static struct fs_dio *
make_cluster(struct fs *fs, struct vnode *v, struct page **pg, uint32_t n)
{
	struct fs_dio *d = g_new0(struct fs_dio, 1);
	d->kind = DIO_WRITEBACK;
	d->v = v;
	d->p0 = pg[0]->idx;
	d->np = n;
	d->gens = g_new(uint32_t, n);
	d->t_snap = env_now(fs->env);
	for (uint32_t i = 0; i < n; i++) {
		d->gens[i] = pg[i]->gen;
		pc_wb_start(fs->pc, pg[i]);
	}
	d->io.op = IO_WRITE;
	d->io.lbn = pg[0]->dpage * PC_SECT_PER_PAGE;
	d->io.nsect = n * PC_SECT_PER_PAGE;
	fs->c.wb_requests++;
	fs->c.wb_pages += n;
	XBT_DEBUG("write back %s pages %llu+%u to disk page %llu", v->name,
	          (unsigned long long)d->p0, n, (unsigned long long)pg[0]->dpage);
	return d;
}

int
wb_flush(struct fs *fs, struct vnode *v, uint64_t p0, uint64_t p1, double older, struct fs_batch *b)
{
	if (!v->pcf.dhead) /* nothing dirty (every direct request on an uncached file) */
		return 0;
	GPtrArray *sel = g_ptr_array_new();
	for (struct page *p = v->pcf.dhead; p; p = p->dnext) {
		if (p->dirtied > older)
			break; /* the list is in dirtying order */
		if (!p->io && p->idx >= p0 && p->idx < p1 && p->dpage != BMAP_HOLE)
			g_ptr_array_add(sel, p);
	}
	if (sel->len > 1)
		qsort(sel->pdata, sel->len, sizeof(gpointer), page_cmp);
	/* note 5: every selected page is marked under I/O before the first submission, which
	 * is a scheduling point (another flusher must not select them again) */
	GPtrArray *dios = g_ptr_array_new();
	guint i = 0;
	while (i < sel->len) {
		struct page **pg = (struct page **)sel->pdata + i;
		uint32_t n = 1;
		while (i + n < sel->len && n < fs->maxphys_pages && pg[n]->idx == pg[0]->idx + n &&
		       pg[n]->dpage == pg[0]->dpage + n)
			n++;
		g_ptr_array_add(dios, make_cluster(fs, v, pg, n));
		i += n;
	}
	g_ptr_array_free(sel, TRUE);
	for (guint k = 0; k < dios->len; k++)
		fs_submit(fs, dios->pdata[k], b);
	int nio = (int)dios->len;
	g_ptr_array_free(dios, TRUE);
	return nio;
}

void
wb_sync_range(struct fs *fs, struct vnode *v, uint64_t p0, uint64_t p1, sg_sem_t sem,
              struct fs_res *res)
{
	if (!v->pcf.dhead) /* nothing dirty, nothing being written */
		return;
	/* pages already being written: wait, they may carry older data than the page holds */
	for (;;) {
		struct page *busy = NULL;
		for (struct page *p = v->pcf.dhead; p && !busy; p = p->dnext)
			if (p->io && p->idx >= p0 && p->idx < p1)
				busy = p;
		if (!busy)
			break;
		pc_pin(busy);
		pc_wait_io(busy, sem);
		pc_unpin(fs->pc, busy);
	}
	struct fs_batch b = {.sem = sem, .res = res};
	wb_flush(fs, v, p0, p1, INFINITY, &b);
	fs_batch_wait(&b);
}

struct scan {
	struct fs *fs;
	double older;
	GArray *times; /* when each idle dirty page became dirty */
	uint64_t inflight;
};

static void
collect(struct pc_file *f, void *ctx)
{
	struct scan *s = ctx;
	for (struct page *p = f->dhead; p; p = p->dnext)
		if (p->io)
			s->inflight++;
		else
			g_array_append_val(s->times, p->dirtied);
}

static void
flush_file(struct pc_file *f, void *ctx)
{
	struct scan *s = ctx;
	wb_flush(s->fs, g_ptr_array_index(s->fs->files, f->id), 0, UINT64_MAX, s->older, NULL);
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* note 1: one pass of the daemon at NOW */
static void
wb_pass(struct fs *fs, double now)
{
	uint64_t cap = pc_capacity(fs->pc), dirty = pc_dirty(fs->pc);
	uint64_t limit = (uint64_t)(fs->dirty_ratio * (double)cap);
	struct scan s = {fs, now - fs->wb_interval, g_array_new(FALSE, FALSE, sizeof(double)), 0};
	pc_foreach_file(fs->pc, collect, &s);
	/* the oldest pages to write beyond the expired ones: down to half the ratio when over
	 * it (pages already in flight will be clean), and a cluster when the cache is full */
	uint64_t want = 0;
	if (dirty > limit && dirty - s.inflight > limit / 2)
		want = dirty - s.inflight - limit / 2;
	if (pc_pages(fs->pc) >= cap)
		want = MAX(want, MIN(fs->maxphys_pages, s.times->len));
	if (want && s.times->len) {
		if (s.times->len > 1)
			qsort(s.times->data, s.times->len, sizeof(double), dbl_cmp);
		double cut = g_array_index(s.times, double, MIN(want, s.times->len) - 1);
		s.older = MAX(s.older, cut);
	}
	XBT_VERB("pass: %llu dirty of %llu pages (limit %llu), %llu in flight, writing those "
	         "dirty since %.9f s",
	         (unsigned long long)dirty, (unsigned long long)cap, (unsigned long long)limit,
	         (unsigned long long)s.inflight, s.older);
	pc_foreach_file(fs->pc, flush_file, &s);
	g_array_free(s.times, TRUE);
}

static void
wb_actor(int argc, char **argv)
{
	struct fs *fs = sg_actor_self_get_data();
	double period = fs->wb_interval / 6;
	for (;;) {
		fs->wb_waiting = true;
		sg_sem_acquire_timeout(fs->wb_wake, period);
		fs->wb_waiting = false;
		wb_pass(fs, env_now(fs->env));
	}
}

void
wb_wake(void *ctx)
{
	struct fs *fs = ctx;
	fs->c.wb_wakeups++;
	if (fs->wb_waiting) {
		fs->wb_waiting = false;
		sg_sem_release(fs->wb_wake);
	}
}

void
wb_start(struct fs *fs, void *host)
{
	fs->wb_wake = sg_sem_init(0);
	sg_actor_t a = sg_actor_init("writeback", host);
	sg_actor_set_data(a, fs);
	sg_actor_daemonize(a);
	sg_actor_start(a, wb_actor, 0, NULL);
}

/*
 * vnode.c -- files and the request paths: buffered read, buffered write, direct read and
 * write (DESIGN.md §3.3, §3.4), each readable top to bottom in one function.
 *
 * LOCK ORDER (asserted at every acquisition, see lock_order()):
 *     vnode or range lock  ->  getpages lock  ->  block busy locks (bmap=buffer)
 *                          ->  page busy (page I/O, or the busy range of a concurrent copy)
 * A thread never waits for a lock earlier in this order while holding a later one.  The
 * write-back daemon takes none of them (a dirty page remembers its disk page).  (The
 * deadlock detector is tested on locks taken in the wrong order in tests/test_locks.c.)
 *
 * Design notes:
 * (1) A request holds its vnode or range lock from entry to the end of its data movement:
 *     for direct I/O until its disk transfers complete, for a buffered read until its copy
 *     completes (including any wait for a missing page), for a buffered write until its copy
 *     into the cache completes (and, with O_SYNC/O_DSYNC, until the data is on disk).
 * (2) An allocating write (extending the file or filling a hole) takes the getpages lock
 *     exclusive (bmap=global), or shared plus the busy locks of the blocks it allocates
 *     (bmap=buffer); every other block-map lookup takes it shared.  The allocation's CPU
 *     time ([host] alloc_ns per block) is spent holding them: the request's first CPU charge
 *     is made there, so allocations serialize on the block map as they do in a kernel.
 * (3) CPU: a request is charged at most twice: once when its vnode lock is granted (system
 *     call, page lookups, the lock structure's own work; an allocating write: once it holds
 *     the block map, allocation included) and once for its copy (buffered).
 *     The lock work of a release is charged with the thread's next request.
 * (4) A direct request that is not sector-aligned, or (direct_alloc=fallback) a direct write
 *     that must allocate, goes buffered, as NetBSD's genfs_directio does; each fallback is
 *     counted by reason.
 * (5) Direct writes flush and invalidate the cached pages of their range before the I/O and
 *     (dio_invalidate=both) again after it; pages pinned by a concurrent reader or re-dirtied
 *     meanwhile cannot be invalidated and are counted: the oracle shows what that costs.
 *     A re-dirtied page is a real collision (Linux warns of possible corruption).  A page a
 *     reader pins is not: Linux's invalidate_inode_pages2 takes the folio lock, not the
 *     readers' references, and drops it.  Skipping it is pessimistic; it leaves stale data
 *     only if its fill read the disk before the write landed (a device that reorders).
 *     With before, the page a reader filled during the write stays: the stale-read window.
 * (6) Pins: a request pins the pages it will copy, in a pinset, before anything can make it
 *     block (the CPU charge comes first), and unpins exactly those pages at the end, so a
 *     page it counted as present, or read for it, cannot be evicted before its copy (a
 *     partial page evicted between the read-modify-write read and the copy would otherwise
 *     come back as a zero page).  pc_insert may wait for room and then return a page that
 *     another request inserted meanwhile: pc_fresh() tells the two apart.
 * (7) Read-ahead: a reader is sequential if it starts where its previous read of the file
 *     ended, or at offset 0.  It reads ahead [end, end + readahead_kb) (clipped at EOF) when
 *     the page half a window ahead is not cached: one trigger per half window, so read-ahead
 *     goes out in clusters rather than a page per request.  Read-ahead pages are pinned by
 *     their I/O only; the reader does not wait for them.
 * (8) Releasing a SimGrid semaphore is a scheduling point: the woken actor may run before
 *     the releasing code goes on.  So a page's state is complete before its waiters are woken
 *     (dio_done unpins a read-ahead page, then ends its I/O): an invalidation woken by the
 *     end of a read-ahead found the page still pinned, skipped it, and left stale data in
 *     the cache even under serial.
 * (9) Asynchronous direct I/O ([policy] aio_lock=): under `completion` (NetBSD) a request
 *     holds its vnode lock until its I/O completes, as note 1 says; under `submission`
 *     (Linux: iomap_dio_rw returns -EIOCBQUEUED and xfs/ext4 drop i_rwsem) a request from an
 *     asynchronous engine releases it once its I/O is submitted, unless the policy's rule
 *     forces the wait (IOMAP_DIO_FORCE_WAIT).  Every direct request counts in the file's
 *     dio_inflight from submission to completion; the requests whose rule drains
 *     (inode_dio_wait) wait, once granted, until it is 0.  Truncate and fallocate, the other
 *     callers of inode_dio_wait, are not operations of the model.  A buffered writer does
 *     not drain (as on Linux), except under xfs one that starts past EOF
 *     (xfs_file_write_checks drains before it zeroes the gap): direct I/O still in flight
 *     may land after its copy, which the oracle judges.
 * (10) [fs] getpages_hold=io (the NetBSD-modelled policies' default): a page-in (buffered
 *     read miss, read-modify-write read) holds the getpages lock shared until its reads
 *     complete, as genfs_getpages holds the genfs node lock (g_glock) across biowait
 *     (NetBSD sys/miscfs/genfs/genfs_io.c); `lookup` (xfs, ext4: Linux's mapping locks are
 *     held only while mapping) drops it once the reads are issued.  An allocating write
 *     holds it exclusive only while it allocates and looks up, never across its data I/O.
 * (11) Extent state: a read of an unwritten extent (layout=fallocated) reads zeroes without
 *     I/O; a write to one converts it once its data has landed (direct: at completion, as
 *     xfs_dio_write_end_io / ext4_end_io_unwritten do; buffered: once copied, a
 *     simplification -- Linux converts at write-back completion, and until then reads are
 *     served from the cached page).  The conversion is a block-map update: getpages
 *     exclusive, [host] alloc_ns a block, and a metadata write where meta_write and
 *     O_DSYNC/O_SYNC/fsync ask for one (the journal commit of the extent change).
 * (12) What the Linux rules see of the file (struct lk_req, lr_file): its size and block
 *     map.  As Linux does, a write asks for the class its checks before locking give
 *     (classify_pre: ext4_dio_write_iter's extending test; xfs's aligned direct writes
 *     always shared, sub-block ones exclusive when they reach EOF), then, once granted,
 *     looks at the file again and, if it now needs exclusive while holding shared, drops
 *     the lock, takes it exclusive and looks again (ext4_dio_write_checks' restart,
 *     xfs_file_write_checks' upgrade, the sub-block -EAGAIN retry); it never downgrades,
 *     except xfs's aligned path, which demotes whatever made it exclusive.  The drains and
 *     forced waits follow the class held and the file as last seen.
 *     "One mapping" (lk_req.split): ext4_overwrite_io asks ext4_map_blocks for the range
 *     and calls it an overwrite only when one mapping covers it, and xfs's overwrite-only
 *     sub-block path (xfs_direct_write_iomap_begin, imap_spans_range) does the same; both
 *     file systems merge adjacent extents contiguous on disk in one state, so a range is one
 *     mapping when its blocks are one disk run, all written or all unwritten.  On-disk
 *     extent length limits (ext4: 32,768 blocks) are not modelled.
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <string.h>
#include <xbt/log.h>

#include "models/fs_impl.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_fs, vnodesim,
                                "file system: requests, their paths, fallbacks, invalidations");

enum { L_VNODE = 1, L_GETPAGES = 2, L_BLOCKS = 4, L_BUSY = 8 };

struct fs_thread {
	struct fs *fs;
	char *name;
	struct lk_owner *owner;
	sg_sem_t sem;
	unsigned held; /* lock-order levels held */
	struct lk_cost debt;
	struct vnode *last_v; /* sequential read detection */
	uint64_t last_end;
};

/* ---- set-up ---- */

struct fs *
fs_create(const struct fs_config *c, const struct env *env, struct disk *d)
{
	struct fs *fs = g_new0(struct fs, 1);
	fs->env = env;
	fs->disk = d;
	fs->block_size = c->block_size;
	fs->ppb = (uint32_t)(c->block_size / PC_PAGE);
	fs->pc = pc_new(c->cache_pages);
	fs->ra_pages = c->ra_pages;
	fs->maxphys_pages = c->maxphys_pages;
	fs->dirty_ratio = c->dirty_ratio;
	fs->wb_interval = c->wb_interval;
	fs->sparse = c->sparse;
	fs->fallocated = c->fallocated;
	fs->gp_hold_io = c->gp_hold_io;
	fs->aio_submission = c->aio_submission;
	fs->meta_write = c->meta_write;
	fs->direct_fallback = c->direct_fallback;
	fs->dio_inval_before = c->dio_inval_before;
	fs->bmap_buffer = c->bmap_buffer;
	fs->params = c->params;
	fs->conc_text = g_strdup(c->conc_text);
	fs->pol = c->policy;
	fs->policy_text = g_strdup(c->policy->name);
	fs->fair = c->fair;
	fs->batch_n = c->batch_n;
	fs->fair_text = g_strdup(c->fair_text);
	fs->matrix = c->matrix;
	fs->matrix_text = g_strdup(c->matrix_text);
	static const char *const rw_names[] = {"R", "W"}, *const x_names[] = {"X"};
	bool ok = lk_matrix_parse("R:R W:", 2, rw_names, &fs->rw_matrix, NULL) &&
	          lk_matrix_parse("X:", 1, x_names, &fs->x_matrix, NULL);
	g_assert(ok);
	uint64_t nblocks = disk_capacity(d) * DISK_SECTOR / c->block_size;
	g_assert(nblocks >= 64); /* sim/config.c checks it */
	fs->alloc = bmap_alloc_new(nblocks, 16);
	fs->files = g_ptr_array_new();
	fs->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	fs->oracle = c->oracle ? or_new() : NULL;
	fs->world = lk_world_new();
	return fs;
}

static void
vnode_free(struct vnode *v)
{
	bmap_free(v->bmap);
	if (v->vlock)
		lk_destroy(v->vlock);
	lk_destroy(v->gp);
	lk_destroy(v->busy);
	lk_destroy(v->blk);
	if (v->drainers)
		g_ptr_array_free(v->drainers, TRUE);
	g_free(v->name);
	g_free(v);
}

void
fs_destroy(struct fs *fs)
{
	if (!fs)
		return;
	if (fs->files) {
		for (guint i = 0; i < fs->files->len; i++)
			vnode_free(fs->files->pdata[i]);
		g_ptr_array_free(fs->files, TRUE);
	}
	if (fs->by_name)
		g_hash_table_destroy(fs->by_name);
	pc_free(fs->pc);
	if (fs->wb_wake)
		sg_sem_destroy(fs->wb_wake);
	bmap_alloc_free(fs->alloc);
	or_free(fs->oracle);
	if (fs->world)
		lk_world_free(fs->world);
	g_free(fs->policy_text);
	g_free(fs->fair_text);
	g_free(fs->matrix_text);
	g_free(fs->conc_text);
	g_free(fs);
}

static struct lk_lock *
new_lock(struct fs *fs, const char *name, const struct lk_matrix *m, const char *const *cls,
         bool ranged, enum lk_fair fair)
{
	struct lk_config c = {.name = name,
	                      .matrix = m,
	                      .class_names = cls,
	                      .ranged = ranged,
	                      .impl = fs->pol->impl,
	                      .fair = fair,
	                      .batch_n = fs->batch_n,
	                      .cores = fs->env->host.cores,
	                      .timeline = fs->env->timeline,
	                      .check = true,
	                      .now = fs->env->now,
	                      .env = fs->env};
	struct lk_lock *l = lk_create(&c);
	lk_set_world(l, fs->world);
	return l;
}

struct vnode *
fs_file(struct fs *fs, const char *name, uint64_t size)
{
	struct vnode *v = g_hash_table_lookup(fs->by_name, name);
	if (!v) {
		static const char *const rw_names[] = {"R", "W"}, *const x_names[] = {"X"};
		v = g_new0(struct vnode, 1);
		v->fs = fs;
		v->name = g_strdup(name);
		v->id = fs->files->len;
		g_ptr_array_add(fs->files, v);
		g_hash_table_insert(fs->by_name, v->name, v);
		pc_file_init(fs->pc, &v->pcf, v->id);
		if (!fs->pol->no_lock)
			v->vlock = new_lock(fs, lk_policy_lock_name(fs->pol), &fs->matrix,
			                    fs->pol->class_names, fs->pol->ranged,
			                    fs->pol->retry_all ? LK_FAIR_READERS : fs->fair);
		if (v->vlock && fs->pol->ranged)
			lk_set_range_mutex(v->vlock, fs->env->host.range_mutex);
		v->gp = new_lock(fs, "getpages", &fs->rw_matrix, rw_names, false, fs->fair);
		v->busy = new_lock(fs, "busy", &fs->x_matrix, x_names, true, LK_FAIR_FIFO);
		v->blk = new_lock(fs, "blocks", &fs->x_matrix, x_names, true, LK_FAIR_FIFO);
		v->drainers = g_ptr_array_new();
	}
	if (size > v->want)
		v->want = size;
	return v;
}

void
fs_start(struct fs *fs, void *host)
{
	for (guint i = 0; i < fs->files->len; i++) {
		struct vnode *v = fs->files->pdata[i];
		uint64_t nb = (v->want + fs->block_size - 1) / fs->block_size;
		v->bmap = bmap_new(fs->alloc, nb, !fs->sparse);
		if (fs->fallocated)
			bmap_set_unwritten(v->bmap, 0, nb);
		v->size = v->want; /* sparse: the size is set, the blocks are holes */
	}
	wb_start(fs, host);
}

struct fs_thread *
fs_thread_new(struct fs *fs, const char *name)
{
	struct fs_thread *t = g_new0(struct fs_thread, 1);
	t->fs = fs;
	t->name = g_strdup(name);
	t->owner = lk_owner_new(t->name);
	t->sem = sg_sem_init(0);
	lk_world_add(fs->world, t->owner);
	return t;
}

void
fs_thread_free(struct fs_thread *t)
{
	lk_world_remove(t->fs->world, t->owner);
	lk_owner_free(t->owner);
	sg_sem_destroy(t->sem);
	g_free(t->name);
	g_free(t);
}

/* ---- disk I/O ---- */

static void
dio_done(struct disk_io *io)
{
	struct fs_dio *d = (struct fs_dio *)io;
	struct fs *fs = d->fs;
	struct vnode *v = d->v;
	double xfer = io->svc.xfer, t0 = io->t_done - xfer;
	switch (d->kind) {
	case DIO_READ_PAGES:
		for (uint32_t i = 0; i < d->np; i++) {
			struct page *p = pc_lookup(fs->pc, &v->pcf, d->p0 + i);
			g_assert(p);
			if (fs->oracle)
				or_fill(fs->oracle, v->id, (d->p0 + i) * PC_PAGE, PC_PAGE,
				        t0 + xfer * i / d->np, xfer / d->np, false);
			pc_read_done(fs->pc, p,
			             d->unpin); /* unpinned before the wake-up (note 8) */
		}
		break;
	case DIO_WRITEBACK:
		if (fs->oracle)
			or_writeback(fs->oracle, v->id, d->p0 * PC_PAGE, (uint64_t)d->np * PC_PAGE,
			             d->t_snap, t0, xfer);
		for (uint32_t i = 0; i < d->np; i++) {
			struct page *p = pc_lookup(fs->pc, &v->pcf, d->p0 + i);
			g_assert(p);
			pc_wb_done(fs->pc, p, d->gens[i]);
		}
		g_free(d->gens);
		break;
	case DIO_DIRECT_WRITE:
		if (fs->oracle)
			or_land(fs->oracle, OR_DISK, v->id, d->s0 * DISK_SECTOR,
			        (uint64_t)io->nsect * DISK_SECTOR, d->ver, t0, xfer);
		break;
	case DIO_DIRECT_READ:
		if (fs->oracle)
			or_read_copy(fs->oracle, d->ver, OR_DISK, d->s0 * DISK_SECTOR,
			             (uint64_t)io->nsect * DISK_SECTOR, t0, xfer);
		break;
	case DIO_META:
		break;
	}
	if (fs->oracle && d->otok)
		or_io_end(fs->oracle, d->otok, env_now(fs->env));
	struct fs_batch *b = d->b;
	if (b) {
		if (b->res && io->t_done >= b->last_done) {
			struct fs_res *r = b->res;
			b->last_done = io->t_done;
			r->queue = io->t_start - io->t_issue;
			r->seek = io->svc.seek;
			r->rot = io->svc.rot;
			r->xfer = io->svc.xfer;
			r->ctrl = io->svc.ctrl;
			r->service = disk_svc_total(&io->svc);
		}
		if (b->res)
			b->res->disk_requests++;
		if (--b->pending == 0 && b->waiting) {
			b->waiting = false;
			sg_sem_release(b->sem);
		}
	}
	g_free(d);
}

void
fs_submit(struct fs *fs, struct fs_dio *d, struct fs_batch *b)
{
	d->fs = fs;
	d->b = b;
	d->io.done = dio_done;
	d->io.arg = d;
	d->io.id = 0;
	/* the daemon's write-back, which no one waits for, is async (WB_SYNC_NONE: no REQ_SYNC);
	 * an fsync's or a direct write's flush is waited for, and sync */
	d->io.async = d->kind == DIO_WRITEBACK && !b;
	if (b)
		b->pending++;
	if (fs->oracle) /* records of this I/O carry times from its start (write-back: its snapshot)
	                 */
		d->otok = or_io_begin(fs->oracle,
		                      d->kind == DIO_WRITEBACK ? d->t_snap : env_now(fs->env));
	disk_submit(fs->disk, &d->io);
}

void
fs_batch_wait(struct fs_batch *b)
{
	while (b->pending > 0) {
		b->waiting = true;
		sg_sem_acquire(b->sem);
	}
}

static uint64_t
disk_page(const struct vnode *v, uint64_t idx)
{
	uint64_t blk = bmap_lookup(v->bmap, idx / v->fs->ppb);
	return blk == BMAP_HOLE ? BMAP_HOLE : blk * v->fs->ppb + idx % v->fs->ppb;
}

/* The disk page to read for page IDX: BMAP_HOLE for a hole and for an unwritten extent,
 * which reads as zeroes without I/O (bmap.c note 4). */
static uint64_t
read_page(const struct vnode *v, uint64_t idx)
{
	if (bmap_unwritten(v->bmap, idx / v->fs->ppb, 1))
		return BMAP_HOLE;
	return disk_page(v, idx);
}

static void
meta_write(struct fs *fs, struct vnode *v, struct fs_batch *b)
{
	struct fs_dio *d = g_new0(struct fs_dio, 1);
	d->kind = DIO_META;
	d->v = v;
	d->io.op = IO_WRITE;
	d->io.lbn = bmap_meta_block(fs->alloc, v->id) * (fs->block_size / DISK_SECTOR);
	d->io.nsect = PC_SECT_PER_PAGE;
	fs->c.meta_writes++;
	fs_submit(fs, d, b);
}

/* ---- locks ---- */

static void
lock_order(struct fs_thread *t, unsigned level)
{
	/* nothing later in the order may be held (the order is the numeric order) */
	g_assert((t->held & ~((level << 1) - 1)) == 0);
	t->held |= level;
}

static struct lk_hold *
take(struct fs_thread *t, struct lk_lock *l, unsigned level, int cls, uint64_t off, uint64_t end,
     uint64_t id, struct lk_cost *cost, double *wait)
{
	lock_order(t, level);
	double w = 0;
	struct lk_hold *h = lk_acquire(l, t->owner, cls, off, end, id, cost, &w);
	*wait += w;
	return h;
}

static void
drop(struct fs_thread *t, struct lk_lock *l, unsigned level, struct lk_hold *h)
{
	lk_release(l, h, &t->debt);
	t->held &= ~level;
}

static double
cost_seconds(const struct fs *fs, const struct lk_cost *c)
{
	const struct env_host *h = &fs->env->host;
	return c->ops * h->lock_op + c->nodes * h->lock_node + c->lines * h->lock_cacheline;
}

/* ---- block allocation (note 2) ---- */

static bool
needs_alloc(const struct vnode *v, uint64_t off, uint64_t len)
{
	uint64_t bs = v->fs->block_size;
	uint64_t b0 = off / bs, b1 = (off + len + bs - 1) / bs;
	return bmap_holes(v->bmap, b0, b1 - b0) > 0;
}

/* What the lock rules see of the file for R (struct lk_req), from V as it is now: its size
 * and block map (note 12).  ALLOC: R is a write over a hole (needs_alloc, which the caller
 * has).  The one-mapping test (split) is made only for the policies that read it, those
 * with the Linux rules' re-check. */
static void
lr_file(struct lk_req *r, const struct fs *fs, const struct vnode *v, bool alloc)
{
	bool w = r->op == IO_WRITE;
	uint64_t bs = fs->block_size, b0 = r->off / bs, b1 = (r->off + r->len + bs - 1) / bs;
	uint64_t nunw = bmap_unwritten(v->bmap, b0, b1 - b0), disk;
	r->extending = w && r->off + r->len > v->size;
	r->fills_hole = alloc && !r->extending;
	r->unwritten = nunw > 0;
	r->written = !alloc && !r->unwritten;
	/* one mapping: contiguous on disk and all written or all unwritten */
	r->split = w && !alloc && fs->pol->classify_pre &&
	           ((r->unwritten && nunw < b1 - b0) ||
	            bmap_extent(v->bmap, b0, b1 - b0, &disk) < b1 - b0);
	r->past_eof = w && r->off > v->size;
	r->ends_at_eof = w && r->off + r->len >= v->size;
}

/* Give [off, off+len) disk blocks where it has holes.  => called with the vnode lock held.
 * Returns the getpages hold under which it allocated, still held so that the caller can look
 * the new blocks up (exclusive with bmap=global; shared with bmap=buffer, whose block busy
 * locks are held only around the allocation itself); the caller drops it. */
static struct lk_hold *
allocate(struct fs_thread *t, struct vnode *v, uint64_t off, uint64_t len, uint64_t id,
         struct lk_cost *cost, struct fs_res *res, struct lk_hold **blocks, int64_t *nalloc)
{
	struct fs *fs = t->fs;
	uint64_t b0 = off / fs->block_size, b1 = (off + len + fs->block_size - 1) / fs->block_size;
	struct lk_hold *g = NULL;
	*blocks = NULL;
	if (fs->bmap_buffer) {
		g = take(t, v->gp, L_GETPAGES, 0, 0, LK_INF, id, cost, &res->getpages_wait);
		*blocks = take(t, v->blk, L_BLOCKS, 0, b0, b1, id, cost, &res->busy_wait);
	} else {
		g = take(t, v->gp, L_GETPAGES, 1, 0, LK_INF, id, cost, &res->getpages_wait);
	}
	int64_t got = bmap_allocate(v->bmap, b0, b1 - b0);
	if (got > 0) {
		fs->c.alloc_blocks += (uint64_t)got;
		v->meta_dirty = true;
	}
	*nalloc = got > 0 ? got : 0;
	return g;
}

/* ---- pages a request holds (note 6) ---- */

/* The pages [p0, p0 + n) a request has pinned, by index: NULL where it holds none yet. */
struct pinset {
	uint64_t p0, n;
	struct page **pg;
	struct page *small[16];
};

static void
pins_init(struct pinset *ps, uint64_t p0, uint64_t p1)
{
	ps->p0 = p0;
	ps->n = p1 - p0;
	ps->pg = ps->n <= G_N_ELEMENTS(ps->small) ? ps->small : g_new(struct page *, ps->n);
	memset(ps->pg, 0, ps->n * sizeof *ps->pg);
}

/* Pin P for the request (once per page). */
static void
pins_add(struct pinset *ps, uint64_t idx, struct page *p)
{
	g_assert(idx >= ps->p0 && idx < ps->p0 + ps->n && !ps->pg[idx - ps->p0]);
	pc_pin(p);
	ps->pg[idx - ps->p0] = p;
}

static bool
pins_has(const struct pinset *ps, uint64_t idx)
{
	return ps->pg[idx - ps->p0] != NULL;
}

/* Pin the pages of the range that are cached now; returns how many. */
static uint64_t
pins_present(struct fs *fs, struct vnode *v, struct pinset *ps)
{
	uint64_t n = 0;
	for (uint64_t i = ps->p0; i < ps->p0 + ps->n; i++) {
		struct page *p = pc_lookup(fs->pc, &v->pcf, i);
		if (p && !pins_has(ps, i)) {
			pins_add(ps, i, p);
			n++;
		}
	}
	return n;
}

/* Wait until every pinned page holds its data, and mark them used (LRU). */
static void
pins_wait_valid(struct fs_thread *t, struct pinset *ps)
{
	for (uint64_t k = 0; k < ps->n; k++) {
		struct page *p = ps->pg[k];
		g_assert(p);
		pc_wait_io(p, t->sem);
		g_assert(p->valid);
		pc_touch(t->fs->pc, p);
	}
}

static void
pins_release(struct fs *fs, struct pinset *ps)
{
	for (uint64_t k = 0; k < ps->n; k++)
		if (ps->pg[k])
			pc_unpin(fs->pc, ps->pg[k]);
	if (ps->pg != ps->small)
		g_free(ps->pg);
	ps->pg = NULL;
}

/* ---- page reads ---- */

/* Read the missing pages [p0, p1) of V into the cache; holes and pages past EOF become zero
 * pages.  PS (a demand read): every page of [p0, p1) ends up pinned in PS, the reads join B.
 * PS NULL (read-ahead): only missing pages are inserted, nobody waits, and the pages are
 * unpinned when their read completes.  => called with the getpages lock held (shared). */
static void
read_pages(struct fs_thread *t, struct vnode *v, uint64_t p0, uint64_t p1, struct pinset *ps,
           struct fs_batch *b)
{
	struct fs *fs = t->fs;
	g_assert(t->held & L_GETPAGES);
	uint64_t i = p0;
	while (i < p1) {
		struct page *p = pc_lookup(fs->pc, &v->pcf, i);
		if (p) {
			if (ps && !pins_has(ps, i))
				pins_add(ps, i, p);
			i++;
			continue;
		}
		uint64_t dp = read_page(v, i);
		if (dp == BMAP_HOLE || i * PC_PAGE >= v->size) {
			p = pc_insert(fs->pc, &v->pcf, i, t->sem, wb_wake, fs); /* pinned */
			if (pc_fresh(p)) {
				pc_zero(fs->pc, p);
				if (fs->oracle)
					or_fill(fs->oracle, v->id, i * PC_PAGE, PC_PAGE,
					        env_now(fs->env), 0, true);
			}
			if (ps)
				ps->pg[i - ps->p0] = p; /* keep pc_insert's pin */
			else
				pc_unpin(fs->pc, p);
			i++;
			continue;
		}
		/* a run of missing pages contiguous on disk, at most maxphys (pc_insert may wait
		 * for room: the conditions are checked again for each page) */
		uint32_t n = 0;
		bool raced = false;
		while (i + n < p1 && n < fs->maxphys_pages && !pc_lookup(fs->pc, &v->pcf, i + n) &&
		       read_page(v, i + n) == dp + n && (i + n) * PC_PAGE < v->size) {
			struct page *q = pc_insert(fs->pc, &v->pcf, i + n, t->sem, wb_wake, fs);
			if (!pc_fresh(
			        q)) { /* inserted by someone else meanwhile: it ends the run */
				if (ps)
					ps->pg[i + n - ps->p0] = q; /* keep pc_insert's pin */
				else
					pc_unpin(fs->pc, q);
				raced = true;
				break;
			}
			pc_read_start(fs->pc, q, dp + n);
			if (ps) /* the requester keeps the pin; read-ahead's goes at completion */
				ps->pg[i + n - ps->p0] = q;
			n++;
		}
		if (n) {
			struct fs_dio *d = g_new0(struct fs_dio, 1);
			d->kind = DIO_READ_PAGES;
			d->v = v;
			d->p0 = i;
			d->np = n;
			d->unpin = !ps;
			d->io.op = IO_READ;
			d->io.lbn = dp * PC_SECT_PER_PAGE;
			d->io.nsect = n * PC_SECT_PER_PAGE;
			if (ps)
				fs->c.demand_read_pages += n;
			else
				fs->c.readahead_pages += n;
			fs_submit(fs, d, ps ? b : NULL);
		}
		i += n + raced;
	}
}

/* Drop the cached pages of [p0, p1) of V (note 5): each page's I/O is waited for; dirty pages
 * and pages pinned by another request are left, and counted. */
static void
invalidate(struct fs_thread *t, struct vnode *v, uint64_t p0, uint64_t p1)
{
	struct fs *fs = t->fs;
	for (uint64_t i = p0; i < p1; i++) {
		struct page *p = pc_lookup(fs->pc, &v->pcf, i);
		if (!p)
			continue;
		if (p->io) {
			pc_pin(p);
			pc_wait_io(p, t->sem);
			pc_unpin(fs->pc, p);
			p = pc_lookup(fs->pc, &v->pcf, i); /* it may have gone meanwhile */
			if (!p)
				continue;
		}
		if (p->dirty || p->io || p->pin) {
			fs->c.invalidate_skipped++;
			XBT_VERB("%s page %llu not invalidated: %s", v->name, (unsigned long long)i,
			         p->dirty ? "dirty"
			         : p->io  ? "under I/O"
			                  : "pinned");
			continue;
		}
		pc_remove(fs->pc, p);
		fs->c.invalidated_pages++;
	}
}

/* ---- the paths ---- */

struct ctx {
	struct fs_thread *t;
	struct vnode *v;
	const struct fs_req *rq;
	struct fs_res *res;
	struct lk_req lr;
	bool posix;
	struct lk_cost cost;
	struct lk_hold *vh;
	uint64_t p0, p1; /* pages of the request */
	int64_t nalloc;  /* blocks it allocated, charged with its first CPU charge */
	bool force_wait; /* holds the vnode lock to completion even under aio_lock=submission */
};

/* The system call's entry and exit (docs/host.md), before any file lock is taken: a
 * kernel enters the system call, looks the file up and checks the range before
 * ext4_file_write_iter/xfs_file_write_iter take i_rwsem. */
static void
charge_entry(struct ctx *c)
{
	const struct env *e = c->t->fs->env;
	if (e->host.syscall > 0)
		env_cpu(e, e->host.syscall);
}

/* The file system's part of the request, with its locks held: the VFS + iomap/genfs path,
 * the block layer's submission for a direct I/O, LOOKUPS page-cache lookups, the lock
 * structures' work and the block allocation. */
static void
charge_pre(struct ctx *c, uint64_t lookups)
{
	struct fs *fs = c->t->fs;
	const struct env_host *h = &fs->env->host;
	double s = h->fs_path + (c->lr.direct ? h->blk_submit : 0) +
	           (double)lookups * h->page_lookup + cost_seconds(fs, &c->cost) +
	           cost_seconds(fs, &c->t->debt) + (double)c->nalloc * h->alloc;
	c->t->debt = (struct lk_cost){0};
	c->cost = (struct lk_cost){0}; /* what the locks do after this goes to the debt */
	env_cpu(fs->env, s);
}

/* The lock work done after charge_pre (the getpages lock taken after it, for one) is
 * charged with the thread's next request, as its releases are (t->debt). */
static void
charge_carry(struct ctx *c)
{
	struct lk_cost *d = &c->t->debt;
	d->ops += c->cost.ops;
	d->nodes += c->cost.nodes;
	d->lines += c->cost.lines;
	c->cost = (struct lk_cost){0};
}

/* After a direct I/O it waited for: the completion (interrupt handler, or polling), then
 * the wake-up of the thread that slept on it (the wake-up latency), still under the
 * locks the direct path holds across the wait. */
static void
charge_post(struct ctx *c)
{
	const struct env *e = c->t->fs->env;
	if (c->res->disk_requests == 0)
		return;
	if (e->host.completion > 0)
		env_cpu(e, e->host.completion);
	if (e->host.wake > 0)
		sg_actor_sleep_for(e->host.wake);
}

/* Copy LEN bytes (buffered): returns [t0, t1] of the copy. */
static void
charge_copy(struct ctx *c, double *t0, double *t1)
{
	const struct env *e = c->t->fs->env;
	*t0 = env_now(e);
	env_cpu(e, (double)c->rq->len / e->host.memcpy_bps);
	*t1 = env_now(e);
}

/* ---- in-flight direct I/O (note 9) ---- */

static void
dio_begin(struct vnode *v)
{
	v->dio_inflight++;
}

static void
dio_end(struct vnode *v)
{
	g_assert(v->dio_inflight > 0);
	if (--v->dio_inflight > 0 || v->drainers->len == 0)
		return;
	/* the state is complete before the wake-ups (note 8) */
	GPtrArray *w = v->drainers;
	v->drainers = g_ptr_array_new();
	for (guint i = 0; i < w->len; i++)
		sg_sem_release(w->pdata[i]);
	g_ptr_array_free(w, TRUE);
}

/* inode_dio_wait: wait until no direct I/O of the file is in flight.  => called with the
 * vnode lock held exclusive; the wait counts as vnode-lock wait. */
static void
dio_drain(struct ctx *c)
{
	struct fs *fs = c->t->fs;
	struct vnode *v = c->v;
	if (!v->dio_inflight)
		return;
	fs->c.drains++;
	double t0 = env_now(fs->env);
	while (v->dio_inflight > 0) {
		g_ptr_array_add(v->drainers, c->t->sem);
		sg_sem_acquire(c->t->sem);
	}
	c->res->vnode_wait += env_now(fs->env) - t0;
}

static void
vnode_lock(struct ctx *c)
{
	struct fs *fs = c->t->fs;
	struct vnode *v = c->v;
	if (!v->vlock)
		return;
	if (fs->pol->no_lock_read && c->lr.op == IO_READ && !c->lr.direct)
		return; /* ext4's buffered reads take no i_rwsem */
	const struct lk_policy *p = fs->pol;
	bool recheck = p->classify_pre && c->lr.op == IO_WRITE; /* note 12 */
	int cls = recheck ? p->classify_pre(&c->lr, &fs->params)
	                  : lk_policy_classify(p, &c->lr, &fs->params);
	uint64_t off, end; /* ranged: an extending write locks [min(off, EOF), inf) */
	lk_policy_range_p(p, &c->lr, &fs->params, v->size, &off, &end);
	double *w = p->ranged ? &c->res->range_wait : &c->res->vnode_wait;
	c->vh = take(c->t, v->vlock, L_VNODE, cls, off, end, c->rq->id, &c->cost, w);
	if (recheck) { /* writes only: needs_alloc asks the block map again */
		lr_file(&c->lr, fs, v, needs_alloc(v, c->lr.off, c->lr.len));
		if (cls == 0 && lk_policy_classify(p, &c->lr, &fs->params) == 1) {
			/* upgrade: drop the shared lock, wait for the exclusive one, check again */
			fs->c.upgrades++;
			drop(c->t, v->vlock, L_VNODE, c->vh);
			cls = 1;
			c->vh =
			    take(c->t, v->vlock, L_VNODE, cls, off, end, c->rq->id, &c->cost, w);
			lr_file(&c->lr, fs, v, needs_alloc(v, c->lr.off, c->lr.len));
		}
		c->lr.held_excl = cls == 1;
	}
	struct lk_dio_rule d = lk_policy_dio_rule(p, &c->lr, &fs->params);
	if (d.drain)
		dio_drain(c);
	if (d.demote) {
		/* xfs_ilock_demote after the gap past EOF is zeroed (a hole: no I/O), modelled
		 * as release then shared (class 0) acquisition: a waiter queued meanwhile may be
		 * granted in between, where XFS's demotion is atomic */
		drop(c->t, v->vlock, L_VNODE, c->vh);
		c->vh = take(c->t, v->vlock, L_VNODE, 0, off, end, c->rq->id, &c->cost, w);
	}
	c->force_wait = d.force_wait;
}

static void
vnode_unlock(struct ctx *c)
{
	if (c->vh)
		drop(c->t, c->v->vlock, L_VNODE, c->vh);
	c->vh = NULL;
}

/* Buffered read: pages present? copy : getpages shared -> read the missing pages (clustered)
 * and, for a sequential reader, read ahead -> wait -> copy. */
static void
buffered_read(struct ctx *c)
{
	struct fs_thread *t = c->t;
	struct fs *fs = t->fs;
	struct vnode *v = c->v;
	const struct fs_req *rq = c->rq;
	vnode_lock(c);
	charge_pre(c, c->p1 - c->p0);
	/* pin what is cached before anything can block (note 6) */
	struct pinset ps;
	pins_init(&ps, c->p0, c->p1);
	uint64_t hits = pins_present(fs, v, &ps);
	c->res->cache_hits += hits; /* cache_hit_ratio: buffered reads' pages found cached */
	c->res->cache_lookups += c->p1 - c->p0;
	/* read-ahead (note 7): a sequential reader keeps a window of ra_pages ahead of it */
	uint64_t eof_page = (v->size + PC_PAGE - 1) / PC_PAGE;
	uint64_t ra_end = MIN(c->p1 + fs->ra_pages, eof_page), mark = c->p1 + fs->ra_pages / 2;
	bool seq = (t->last_v == v && t->last_end == rq->off) || rq->off == 0;
	bool ahead = seq && c->p1 < ra_end && !pc_lookup(fs->pc, &v->pcf, MIN(mark, ra_end - 1));
	if (hits < c->p1 - c->p0 || ahead) {
		struct fs_batch b = {.sem = t->sem, .res = c->res};
		struct lk_hold *g = take(t, v->gp, L_GETPAGES, 0, 0, LK_INF, rq->id, &c->cost,
		                         &c->res->getpages_wait);
		read_pages(t, v, c->p0, c->p1, &ps, &b);
		if (ahead)
			read_pages(t, v, c->p1, ra_end, NULL, NULL);
		if (!fs->gp_hold_io) /* note 10 */
			drop(t, v->gp, L_GETPAGES, g);
		fs_batch_wait(&b);
		if (fs->gp_hold_io)
			drop(t, v->gp, L_GETPAGES, g);
	}
	pins_wait_valid(t, &ps);
	double t0, t1;
	charge_copy(c, &t0, &t1);
	if (fs->oracle) {
		uint32_t r = or_read_new(fs->oracle, v->id, rq->off, rq->len, c->res->t_issue,
		                         c->posix, rq->id, rq->tag);
		or_read_copy(fs->oracle, r, OR_CACHE, rq->off, rq->len, t0, t1 - t0);
		or_read_done(fs->oracle, r, t1);
	}
	pins_release(fs, &ps);
	vnode_unlock(c);
	t->last_v = v;
	t->last_end = rq->off + rq->len;
}

/* O_SYNC / O_DSYNC after a write: its data on disk (the buffered path's pages; the direct
 * path's data already is), and the metadata block when the write allocated (O_DSYNC: needed
 * to read the data back) or, for O_SYNC, whenever an allocation is not yet durable. */
static void
sync_after_write(struct ctx *c, bool buffered, bool allocated)
{
	struct fs_thread *t = c->t;
	struct fs *fs = t->fs;
	struct vnode *v = c->v;
	if (c->rq->sync == FS_NOSYNC)
		return;
	if (buffered)
		wb_sync_range(fs, v, c->p0, c->p1, t->sem, c->res);
	if (fs->meta_write && v->meta_dirty && (allocated || c->rq->sync == FS_OSYNC)) {
		struct fs_batch b = {.sem = t->sem, .res = c->res};
		meta_write(fs, v, &b);
		v->meta_dirty = false;
		fs_batch_wait(&b);
	}
}

/* Unwritten extents of the request's range become written (note 11): a metadata update
 * under the block map (getpages exclusive), alloc_ns of CPU a block, and not yet durable
 * (meta_dirty: O_DSYNC, O_SYNC and fsync write the metadata block).  Returns the blocks
 * converted.  => called with no lock later than the vnode lock held. */
static uint64_t
convert(struct ctx *c)
{
	struct fs_thread *t = c->t;
	struct fs *fs = t->fs;
	struct vnode *v = c->v;
	uint64_t bs = fs->block_size;
	uint64_t b0 = c->rq->off / bs, b1 = (c->rq->off + c->rq->len + bs - 1) / bs;
	if (!bmap_unwritten(v->bmap, b0, b1 - b0))
		return 0;
	struct lk_cost cost = {0};
	struct lk_hold *g =
	    take(t, v->gp, L_GETPAGES, 1, 0, LK_INF, c->rq->id, &cost, &c->res->getpages_wait);
	uint64_t k = bmap_convert(v->bmap, b0, b1 - b0);
	fs->c.converted_blocks += k;
	v->meta_dirty = true;
	env_cpu(fs->env, (double)k * fs->env->host.alloc + cost_seconds(fs, &cost));
	drop(t, v->gp, L_GETPAGES, g);
	return k;
}

/* Buffered write: allocate if needed (getpages exclusive) -> read-modify-write of a partial
 * page that is not cached -> copy -> mark dirty -> O_SYNC/O_DSYNC flush. */
static void
buffered_write(struct ctx *c)
{
	struct fs_thread *t = c->t;
	struct fs *fs = t->fs;
	struct vnode *v = c->v;
	const struct fs_req *rq = c->rq;
	vnode_lock(c);
	bool alloc = needs_alloc(v, rq->off, rq->len);
	if (alloc) { /* note 2: the allocation's CPU time is spent with the block map locked */
		struct lk_hold *bk, *g = allocate(t, v, rq->off, rq->len, rq->id, &c->cost, c->res,
		                                  &bk, &c->nalloc);
		charge_pre(c, c->p1 - c->p0);
		if (bk)
			drop(t, v->blk, L_BLOCKS, bk);
		if (g)
			drop(t, v->gp, L_GETPAGES, g);
	} else {
		charge_pre(c, c->p1 - c->p0);
	}
	struct pinset ps;
	pins_init(&ps, c->p0, c->p1);
	pins_present(fs, v, &ps);
	/* a partial first or last page that is not cached but holds data: read it first */
	struct fs_batch b = {.sem = t->sem, .res = c->res};
	struct lk_hold *g = NULL;
	uint64_t ends[2] = {c->p0, c->p1 - 1};
	for (int k = 0; k < (ends[1] > ends[0] ? 2 : 1); k++) {
		uint64_t i = ends[k], ps0 = i * PC_PAGE;
		bool partial = rq->off > ps0 || rq->off + rq->len < ps0 + PC_PAGE;
		if (!partial || pins_has(&ps, i) || ps0 >= v->size || read_page(v, i) == BMAP_HOLE)
			continue;
		if (!g)
			g = take(t, v->gp, L_GETPAGES, 0, 0, LK_INF, rq->id, &c->cost,
			         &c->res->getpages_wait);
		fs->c.rmw_reads++;
		read_pages(t, v, i, i + 1, &ps, &b);
	}
	if (g && !fs->gp_hold_io) /* note 10 */
		drop(t, v->gp, L_GETPAGES, g);
	fs_batch_wait(&b);
	if (g && fs->gp_hold_io)
		drop(t, v->gp, L_GETPAGES, g);
	/* the other pages are overwritten whole, or lie past EOF or in a hole: zero pages */
	for (uint64_t i = c->p0; i < c->p1; i++) {
		if (pins_has(&ps, i))
			continue;
		struct page *p = pc_insert(fs->pc, &v->pcf, i, t->sem, wb_wake, fs);
		ps.pg[i - ps.p0] = p; /* keep pc_insert's pin */
		if (pc_fresh(p)) {
			pc_zero(fs->pc, p);
			if (fs->oracle)
				or_fill(fs->oracle, v->id, i * PC_PAGE, PC_PAGE, env_now(fs->env),
				        0, true);
		}
	}
	pins_wait_valid(t, &ps);
	/* the copy; a concurrent-class copy holds the busy bits of its pages */
	struct lk_hold *busy = NULL;
	if (!c->posix)
		busy =
		    take(t, v->busy, L_BUSY, 0, c->p0, c->p1, rq->id, &c->cost, &c->res->busy_wait);
	uint32_t w = 0;
	if (fs->oracle)
		w = or_write_new(fs->oracle, v->id, rq->off, rq->len, c->res->t_issue, c->posix,
		                 rq->id, rq->tag);
	double t0, t1;
	charge_copy(c, &t0, &t1);
	if (fs->oracle)
		or_land(fs->oracle, OR_CACHE, v->id, rq->off, rq->len, w, t0, t1 - t0);
	double now = env_now(fs->env);
	for (uint64_t k = 0; k < ps.n; k++) {
		struct page *p = ps.pg[k];
		pc_set_dirty(fs->pc, p, disk_page(v, p->idx), now);
	}
	pins_release(fs, &ps);
	if (rq->off + rq->len > v->size)
		v->size = rq->off + rq->len;
	if (busy)
		drop(t, v->busy, L_BUSY, busy);
	uint64_t conv = convert(c);
	if (pc_dirty(fs->pc) > fs->dirty_ratio * (double)pc_capacity(fs->pc))
		wb_wake(fs);
	sync_after_write(c, true, alloc || conv);
	vnode_unlock(c);
	if (fs->oracle)
		or_write_done(fs->oracle, w, env_now(fs->env));
}

/* Disk I/O for [off, off+len) of V, per contiguous extent, at most maxphys each.
 * => called with the getpages lock held (the block map is read). */
static void
direct_io(struct ctx *c, uint32_t ver, struct fs_batch *b)
{
	struct fs *fs = c->t->fs;
	struct vnode *v = c->v;
	uint64_t off = c->rq->off, end = c->rq->off + c->rq->len;
	uint64_t max = fs->maxphys_pages * (uint64_t)PC_PAGE;
	while (off < end) {
		bool rd = c->rq->op == IO_READ; /* a read sees an unwritten extent as a hole */
		uint64_t idx = off / PC_PAGE, dp = rd ? read_page(v, idx) : disk_page(v, idx);
		/* extend the run while the next page continues the extent (or the hole) */
		uint64_t stop = MIN((idx + 1) * PC_PAGE, end);
		while (stop < end && stop - off < max) {
			uint64_t j = stop / PC_PAGE, dj = rd ? read_page(v, j) : disk_page(v, j);
			if (dp == BMAP_HOLE ? dj != BMAP_HOLE : dj != dp + (j - idx))
				break;
			stop = MIN(stop + PC_PAGE, end);
		}
		uint64_t run = MIN(stop - off, max);
		if (dp == BMAP_HOLE) { /* a direct read of a hole reads zeroes, no I/O */
			g_assert(c->rq->op == IO_READ);
			if (fs->oracle)
				or_read_copy(fs->oracle, ver, OR_DISK, off, run, env_now(fs->env),
				             0);
		} else {
			struct fs_dio *d = g_new0(struct fs_dio, 1);
			d->kind = c->rq->op == IO_READ ? DIO_DIRECT_READ : DIO_DIRECT_WRITE;
			d->v = v;
			d->s0 = off / 512;
			d->ver = ver;
			d->io.op = c->rq->op;
			d->io.lbn = dp * PC_SECT_PER_PAGE + (off % PC_PAGE) / 512;
			d->io.nsect = (uint32_t)(run / 512);
			fs_submit(fs, d, b);
		}
		off += run;
	}
}

/* Direct read or write: flush the cached pages of the range (writes: and invalidate them)
 * -> getpages shared for the lookup, or the allocation -> disk I/O -> wait -> writes: size,
 * invalidate again (dio_invalidate=both), O_SYNC/O_DSYNC metadata. */
static void
direct_rw(struct ctx *c)
{
	struct fs_thread *t = c->t;
	struct fs *fs = t->fs;
	struct vnode *v = c->v;
	const struct fs_req *rq = c->rq;
	bool write = rq->op == IO_WRITE;
	vnode_lock(c);
	bool alloc = write && needs_alloc(v, rq->off, rq->len);
	if (!alloc) /* an allocating write is charged once it holds the block map (note 2) */
		charge_pre(c, 0);
	wb_sync_range(fs, v, c->p0, c->p1, t->sem, c->res);
	if (write)
		invalidate(t, v, c->p0, c->p1);
	struct lk_hold *g;
	if (alloc) {
		struct lk_hold *bk;
		g = allocate(t, v, rq->off, rq->len, rq->id, &c->cost, c->res, &bk, &c->nalloc);
		charge_pre(c, 0);
		if (bk)
			drop(t, v->blk, L_BLOCKS, bk);
	} else {
		g = take(t, v->gp, L_GETPAGES, 0, 0, LK_INF, rq->id, &c->cost,
		         &c->res->getpages_wait);
	}
	uint32_t ver = 0;
	if (fs->oracle)
		ver = write ? or_write_new(fs->oracle, v->id, rq->off, rq->len, c->res->t_issue,
		                           c->posix, rq->id, rq->tag)
		            : or_read_new(fs->oracle, v->id, rq->off, rq->len, c->res->t_issue,
		                          c->posix, rq->id, rq->tag);
	struct fs_batch b = {.sem = t->sem, .res = c->res};
	dio_begin(v);
	direct_io(c, ver, &b);
	drop(t, v->gp, L_GETPAGES, g);
	if (fs->aio_submission && rq->async && !c->force_wait)
		vnode_unlock(c); /* note 9: i_rwsem dropped once the I/O is submitted */
	fs_batch_wait(&b);
	charge_post(c);
	uint64_t conv = write ? convert(c) : 0;
	dio_end(v);
	if (write) {
		if (rq->off + rq->len > v->size)
			v->size = rq->off + rq->len;
		if (!fs->dio_inval_before)
			invalidate(t, v, c->p0, c->p1);
		sync_after_write(c, false, alloc || conv);
	}
	vnode_unlock(c);
	if (fs->oracle) {
		if (write)
			or_write_done(fs->oracle, ver, env_now(fs->env));
		else
			or_read_done(fs->oracle, ver, env_now(fs->env));
	}
}

/* ---- invariants (make DEBUG=1) ---- */

#ifdef VN_DEBUG
/* After a request: the page cache (pc_check), the file's block map (bmap_check) and its locks
 * (lk_check), when the checks' budget allows it: each request adds DEBUG_WORK steps to it and
 * a check spends one a cached page and a block-map entry, so a run's checks cost at most
 * DEBUG_WORK steps a request on average (a full check after every request would walk a
 * large cache thousands of times).  ALL: every file, whatever the budget (the end of a run). */
#define DEBUG_WORK 512

static bool
check_file(struct vnode *v, GString *why)
{
	struct lk_lock *locks[] = {v->vlock, v->gp, v->busy, v->blk};
	for (size_t i = 0; i < G_N_ELEMENTS(locks); i++)
		if (locks[i] && !lk_check(locks[i], why))
			return false;
	if (v->bmap && !bmap_check(v->bmap)) {
		g_string_append(why, "block map");
		return false;
	}
	return true;
}

static void
check_state(struct fs *fs, struct vnode *v, bool all)
{
	fs->debug_budget += DEBUG_WORK;
	uint64_t cost = pc_pages(fs->pc) + (v && v->bmap ? bmap_entries(v->bmap) : 0) + 1;
	if (!all && fs->debug_budget < cost)
		return;
	fs->debug_budget = fs->debug_budget > cost ? fs->debug_budget - cost : 0;
	GString *why = g_string_new(NULL);
	bool ok = pc_check(fs->pc, why);
	for (guint i = 0; ok && i < fs->files->len; i++) {
		struct vnode *f = fs->files->pdata[i];
		if (all || f == v)
			ok = check_file(f, why);
	}
	if (!ok)
		g_error("invariant broken at %.9f s (file %s): %s", env_now(fs->env),
		        v ? v->name : "-", why->str);
	g_string_free(why, TRUE);
}
#else
static inline void
check_state(struct fs *fs, struct vnode *v, bool all)
{
}
#endif

static void rw(struct ctx *cp);

void
fs_rw(struct fs_thread *t, struct vnode *v, const struct fs_req *rq, struct fs_res *res)
{
	struct fs *fs = t->fs;
	g_assert(t->held == 0);
	g_assert(rq->len > 0);
	struct ctx c = {.t = t, .v = v, .rq = rq, .res = res};
	res->t_issue = env_now(fs->env);
	if (fs->oracle) { /* the request's records carry times from its issue (oracle.h) */
		uint32_t tok = or_io_begin(fs->oracle, res->t_issue);
		rw(&c);
		or_io_end(fs->oracle, tok, env_now(fs->env));
	} else
		rw(&c);
}

/* fs_rw's body (C: its context, issue time set). */
static void
rw(struct ctx *cp)
{
	struct ctx c = *cp;
	struct fs_thread *t = c.t;
	struct vnode *v = c.v;
	const struct fs_req *rq = c.rq;
	struct fs_res *res = c.res;
	struct fs *fs = t->fs;
	c.p0 = rq->off / PC_PAGE;
	c.p1 = (rq->off + rq->len + PC_PAGE - 1) / PC_PAGE;
	bool aligned = rq->off % DISK_SECTOR == 0 && rq->len % DISK_SECTOR == 0;
	bool alloc = rq->op == IO_WRITE && needs_alloc(v, rq->off, rq->len);
	bool direct = rq->direct;
	res->path = direct ? "direct" : "buffered";
	if (direct && !aligned && fs->pol->linux_rules) { /* note 4: Linux fails it */
		fs->c.einval++;
		res->path = "einval";
		res->error = true;
		env_cpu(fs->env, fs->env->host.syscall);
		XBT_VERB("req %llu: direct request [%llu,+%llu) not sector-aligned: EINVAL",
		         (unsigned long long)rq->id, (unsigned long long)rq->off,
		         (unsigned long long)rq->len);
		return;
	}
	if (direct && !aligned) { /* note 4 */
		direct = false;
		fs->c.fallback_unaligned++;
		res->path = "fallback-unaligned";
	} else if (direct && alloc && fs->direct_fallback) {
		direct = false;
		fs->c.fallback_alloc++;
		res->path = "fallback-alloc";
	}
	if (direct != rq->direct)
		XBT_VERB("req %llu: direct %s of %s [%llu,+%llu) goes buffered (%s)",
		         (unsigned long long)rq->id, rq->op == IO_READ ? "read" : "write", v->name,
		         (unsigned long long)rq->off, (unsigned long long)rq->len, res->path);
	uint64_t bs = fs->block_size;
	c.lr = (struct lk_req){.op = rq->op,
	                       .off = rq->off,
	                       .len = rq->len,
	                       .direct = direct,
	                       .concurrent = rq->concurrent,
	                       .aligned = aligned,
	                       .block_aligned = rq->off % bs == 0 && rq->len % bs == 0};
	lr_file(&c.lr, fs, v, alloc);
	c.posix = !lk_policy_is_concurrent(fs->pol, &c.lr, &fs->params);
	charge_entry(&c);
	if (direct)
		direct_rw(&c);
	else if (rq->op == IO_READ)
		buffered_read(&c);
	else
		buffered_write(&c);
	charge_carry(&c);
	g_assert(t->held == 0);
	XBT_DEBUG("req %llu done: %s %s %s [%llu,+%llu) %s, waits vnode %.9f range %.9f getpages "
	          "%.9f busy %.9f s, %u disk requests",
	          (unsigned long long)rq->id, t->name, rq->op == IO_READ ? "read" : "write",
	          v->name, (unsigned long long)rq->off, (unsigned long long)rq->len, res->path,
	          res->vnode_wait, res->range_wait, res->getpages_wait, res->busy_wait,
	          res->disk_requests);
	if (!c.posix && fs->oracle)
		or_concurrent(fs->oracle, v->id, rq->off, rq->len, res->t_issue, env_now(fs->env),
		              rq->id, rq->tag);
	check_state(fs, v, false);
}

void
fs_fsync(struct fs_thread *t, struct vnode *v, bool datasync, struct fs_res *res)
{
	struct fs *fs = t->fs;
	res->t_issue = env_now(fs->env);
	res->path = datasync ? "fdatasync" : "fsync";
	if (datasync)
		fs->c.fdatasyncs++;
	else
		fs->c.fsyncs++;
	env_cpu(fs->env, fs->env->host.syscall);
	wb_sync_range(fs, v, 0, UINT64_MAX, t->sem, res);
	/* fdatasync too: an allocation is metadata needed to read the data back */
	if (fs->meta_write && v->meta_dirty) {
		struct fs_batch b = {.sem = t->sem, .res = res};
		meta_write(fs, v, &b);
		v->meta_dirty = false;
		fs_batch_wait(&b);
	}
	check_state(fs, v, false);
}

void
fs_sync_all(struct fs *fs)
{
	sg_sem_t sem = sg_sem_init(0);
	for (guint i = 0; i < fs->files->len; i++)
		wb_sync_range(fs, fs->files->pdata[i], 0, UINT64_MAX, sem, NULL);
	sg_sem_destroy(sem);
	check_state(fs, NULL, true);
	double t = disk_flush(fs->disk, env_now(fs->env));
	if (t > 0)
		sg_actor_sleep_for(t);
}

void
fs_judge(struct fs *fs, void (*verdict)(void *ctx, const struct or_verdict *v), void *ctx)
{
	if (!fs->oracle)
		return;
	struct or_totals tot;
	or_evaluate(fs->oracle, verdict, ctx, &tot);
}

const struct lk_policy *
fs_policy(const struct fs *fs)
{
	return fs->pol;
}

bool
fs_is_ranged(const struct fs *fs)
{
	return fs->pol->ranged;
}

void
fs_describe(const struct fs *fs, void (*put)(void *ctx, const char *k, const char *v), void *ctx)
{
	char b[64];
#define P(k, fmt, x)                                                                               \
	do {                                                                                       \
		snprintf(b, sizeof b, fmt, x);                                                     \
		put(ctx, k, b);                                                                    \
	} while (0)
	P("block_size", "%llu", (unsigned long long)fs->block_size);
	P("cache_mb", "%.17g", (double)pc_capacity(fs->pc) * PC_PAGE / 1048576.0);
	P("readahead_kb", "%u", fs->ra_pages * 4);
	P("maxphys_kb", "%u", fs->maxphys_pages * 4);
	P("dirty_ratio", "%.17g", fs->dirty_ratio);
	P("writeback_interval_s", "%.17g", fs->wb_interval);
	put(ctx, "layout", fs->sparse ? "sparse" : fs->fallocated ? "fallocated" : "preallocated");
	put(ctx, "meta_write", fs->meta_write ? "1" : "0");
	put(ctx, "direct_alloc", fs->direct_fallback ? "fallback" : "allocate");
	put(ctx, "dio_invalidate", fs->dio_inval_before ? "before" : "both");
	put(ctx, "getpages_hold", fs->gp_hold_io ? "io" : "lookup");
#undef P
}

void
fs_describe_policy(const struct fs *fs, void (*put)(void *ctx, const char *k, const char *v),
                   void *ctx)
{
	put(ctx, "fairness", fs->fair_text);
	put(ctx, "bmap", fs->bmap_buffer ? "buffer" : "global");
	put(ctx, "concurrent", fs->conc_text);
	put(ctx, "matrix", fs->matrix_text);
	put(ctx, "aio_lock", fs->aio_submission ? "submission" : "completion");
	if (fs->pol->offset_wraps)
		put(ctx, "offset_bits", fs->params.offset_bits == 32 ? "32" : "64");
}

void
fs_counters(const struct fs *fs, void (*put)(void *ctx, const char *k, double v), void *ctx)
{
	const struct fs_counters *c = &fs->c;
	put(ctx, "fallback_unaligned", (double)c->fallback_unaligned);
	put(ctx, "fallback_alloc", (double)c->fallback_alloc);
	put(ctx, "meta_writes", (double)c->meta_writes);
	put(ctx, "rmw_reads", (double)c->rmw_reads);
	put(ctx, "readahead_pages", (double)c->readahead_pages);
	put(ctx, "demand_read_pages", (double)c->demand_read_pages);
	put(ctx, "writeback_requests", (double)c->wb_requests);
	put(ctx, "writeback_pages", (double)c->wb_pages);
	put(ctx, "allocated_blocks", (double)c->alloc_blocks);
	put(ctx, "invalidated_pages", (double)c->invalidated_pages);
	put(ctx, "invalidate_skipped", (double)c->invalidate_skipped);
	put(ctx, "fsyncs", (double)c->fsyncs);
	put(ctx, "fdatasyncs", (double)c->fdatasyncs);
	put(ctx, "einval", (double)c->einval);
	put(ctx, "converted_blocks", (double)c->converted_blocks);
	put(ctx, "dio_drains", (double)c->drains);
	put(ctx, "lock_upgrades", (double)c->upgrades);
	put(ctx, "writeback_bytes", (double)c->wb_pages * PC_PAGE);
	put(ctx, "cache_pages_at_end", (double)pc_pages(fs->pc));
	put(ctx, "dirty_pages_at_end", (double)pc_dirty(fs->pc));
}

void
fs_lock_stats(struct fs *fs,
              void (*put)(void *ctx, const char *lock, const char *cls, double acq,
                          double contended, double wait_mean, double wait_p99, double wait_max,
                          double hold_mean, double hold_p99, double hold_max),
              void *ctx)
{
	/* per lock kind, all files together: the first file's locks carry the class names */
	for (guint i = 0; i < fs->files->len; i++) {
		struct vnode *v = fs->files->pdata[i];
		struct {
			struct lk_lock *l;
			const char *name;
			int n;
			const char *const *cls;
		} locks[] = {
		    {v->vlock, lk_policy_lock_name(fs->pol), fs->pol->nclasses,
		     fs->pol->class_names},
		    {v->gp, "getpages", 2, (const char *const[]){"R", "W"}},
		    {v->busy, "busy", 1, (const char *const[]){"X"}},
		    {v->blk, "blocks", 1, (const char *const[]){"X"}},
		};
		for (size_t k = 0; k < G_N_ELEMENTS(locks); k++) {
			if (!locks[k].l)
				continue;
			struct lk_class_stats st[LK_MAX_CLASSES];
			lk_stats(locks[k].l, st);
			for (int c = 0; c < locks[k].n; c++) {
				if (!st[c].acquisitions)
					continue;
				char lname[256];
				snprintf(lname, sizeof lname, "%s:%s", locks[k].name, v->name);
				double n = (double)st[c].acquisitions;
				put(ctx, lname, locks[k].cls[c], n, (double)st[c].contended,
				    st[c].wait_sum / n, st[c].wait_p99, st[c].wait_max,
				    st[c].hold_sum / n, st[c].hold_p99, st[c].hold_max);
			}
		}
	}
}

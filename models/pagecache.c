/*
 * pagecache.c -- the page cache (see pagecache.h).
 *
 * Design notes and invariants:
 * (1) A dirty page is never evicted before its write-back completes: eviction takes only
 *     clean, idle (no I/O), unpinned pages, from the LRU tail.
 * (2) A dirty page is valid, and it is on exactly one list of dirty pages (its file's), in
 *     the order it became dirty; `ndirty` counts them, per file and in all.
 * (3) A page with `io` set has waiters only while io is set; pc_io_done wakes them all.
 * (4) When nothing is evictable and dirty pages or I/Os exist, an inserting thread wakes the
 *     write-back daemon and waits (write throttling) until a page becomes evictable or an
 *     I/O completes, then looks again; when nothing could ever be freed (every page pinned,
 *     none dirty, no I/O), the cache goes past its capacity instead of deadlocking.  After a
 *     wait the page may have been inserted by someone else: it is returned (pinned) as is.
 * (5) States change only here (pagecache.h's diagram), each function asserting the state it
 *     starts from: a page under I/O is either being read (not valid, not dirty) or written
 *     back (valid and dirty, with a disk page that a re-dirtying does not move); only a
 *     fresh page is read into or zeroed; pc_read_done unpins before it wakes the waiters
 *     (vnode.c note 8).
 *
 * Locks: pages are guarded by the simulated locks of the request paths (vnode.c); the
 * structure itself needs none (SimGrid runs one actor at a time).
 */
#include <simgrid/semaphore.h>
#include <xbt/log.h>

#include "models/bmap.h"
#include "models/env.h"
#include "models/pagecache.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_pc, vnodesim, "page cache: throttled writers");

struct pc {
	GHashTable *map; /* key -> struct page */
	uint64_t cap, n, ndirty;
	struct page *head, *tail; /* LRU */
	GPtrArray *files;
	GSList *space_waiters; /* sg_sem_t of threads waiting for a clean page */
};

uint64_t
pc_estimate(uint64_t pages)
{
	return env_sat_mul(pages, 160);
}

struct pc *
pc_new(uint64_t capacity_pages)
{
	struct pc *pc = g_new0(struct pc, 1);
	pc->map = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
	pc->cap = capacity_pages ? capacity_pages : 1;
	pc->files = g_ptr_array_new();
	return pc;
}

void
pc_free(struct pc *pc)
{
	if (!pc)
		return;
	g_hash_table_destroy(pc->map);
	g_ptr_array_free(pc->files, TRUE);
	g_slist_free(pc->space_waiters);
	g_free(pc);
}

void
pc_file_init(struct pc *pc, struct pc_file *f, unsigned id)
{
	*f = (struct pc_file){.id = id};
	g_ptr_array_add(pc->files, f);
}

static uint64_t
key_of(const struct pc_file *f, uint64_t idx)
{
	return ((uint64_t)f->id << 40) | idx;
}

struct page *
pc_lookup(struct pc *pc, struct pc_file *f, uint64_t idx)
{
	uint64_t k = key_of(f, idx);
	return g_hash_table_lookup(pc->map, &k);
}

static void
lru_unlink(struct pc *pc, struct page *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		pc->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		pc->tail = p->prev;
	p->prev = p->next = NULL;
}

static void
lru_push(struct pc *pc, struct page *p)
{
	p->prev = NULL;
	p->next = pc->head;
	if (pc->head)
		pc->head->prev = p;
	else
		pc->tail = p;
	pc->head = p;
}

void
pc_touch(struct pc *pc, struct page *p)
{
	if (pc->head != p) {
		lru_unlink(pc, p);
		lru_push(pc, p);
	}
}

void
pc_pin(struct page *p)
{
	p->pin++;
}

static void
wake_space(struct pc *pc)
{
	GSList *w = pc->space_waiters;
	pc->space_waiters = NULL;
	for (GSList *l = w; l; l = l->next)
		sg_sem_release(l->data);
	g_slist_free(w);
}

void
pc_unpin(struct pc *pc, struct page *p)
{
	g_assert(p->pin > 0);
	if (--p->pin == 0 && pc->space_waiters && !p->dirty && !p->io)
		wake_space(pc);
}

static void
drop(struct pc *pc, struct page *p)
{
	g_assert(!p->dirty && !p->io && p->pin == 0 && !p->waiters); /* note 1 */
	lru_unlink(pc, p);
	pc->n--;
	g_hash_table_remove(pc->map, &p->key);
}

void
pc_remove(struct pc *pc, struct page *p)
{
	drop(pc, p);
}

/* The least recently used evictable page, or NULL (note 1). */
static struct page *
victim(struct pc *pc)
{
	for (struct page *p = pc->tail; p; p = p->prev)
		if (!p->dirty && !p->io && p->pin == 0)
			return p;
	return NULL;
}

struct page *
pc_insert(struct pc *pc, struct pc_file *f, uint64_t idx, void *sem, void (*wake)(void *ctx),
          void *ctx)
{
	/* the caller looked the page up before, but may have blocked since (a block-map
	 * look-up, a lock): a page inserted meanwhile is returned, never replaced -- replacing
	 * it orphaned a page under I/O, whose completion then found no page (a crash) */
	struct page *p = pc_lookup(pc, f, idx);
	if (p) {
		pc_pin(p);
		return p;
	}
	while (pc->n >= pc->cap) {
		struct page *v = victim(pc);
		if (v) {
			drop(pc, v);
			continue;
		}
		bool busy = pc->ndirty > 0;
		for (struct page *p = pc->tail; p && !busy; p = p->prev)
			busy = p->io;
		if (!busy || !sem)
			break; /* note 4: nothing will ever be freed: grow */
		XBT_VERB("cache full (%llu pages, %llu dirty): waiting for room for page %llu",
		         (unsigned long long)pc->n, (unsigned long long)pc->ndirty,
		         (unsigned long long)idx);
		/* registered before the wake-up, which is a scheduling point */
		pc->space_waiters = g_slist_prepend(pc->space_waiters, sem);
		wake(ctx);
		sg_sem_acquire(sem);
		/* someone may have inserted this page while we waited */
		if ((p = pc_lookup(pc, f, idx))) {
			pc_pin(p);
			return p;
		}
	}
	p = g_new0(struct page, 1);
	p->f = f;
	p->idx = idx;
	p->key = key_of(f, idx);
	p->dpage = BMAP_HOLE;
	p->pin = 1;
	g_hash_table_insert(pc->map, &p->key, p);
	lru_push(pc, p);
	pc->n++;
	return p;
}

void
pc_zero(struct pc *pc, struct page *p)
{
	g_assert(pc_fresh(p) && !p->dirty);
	p->valid = true;
}

void
pc_read_start(struct pc *pc, struct page *p, uint64_t dpage)
{
	g_assert(pc_fresh(p) && !p->dirty && dpage != BMAP_HOLE);
	p->io = true;
	p->dpage = dpage;
}

void
pc_set_dirty(struct pc *pc, struct page *p, uint64_t dpage, double now)
{
	g_assert(p->valid);
	g_assert(!p->io || p->dpage == dpage); /* a write-back in flight keeps its place */
	p->dpage = dpage;
	p->gen++;
	if (p->dirty)
		return;
	p->dirty = true;
	p->dirtied = now;
	struct pc_file *f = p->f;
	p->dnext = NULL;
	p->dprev = f->dtail;
	if (f->dtail)
		f->dtail->dnext = p;
	else
		f->dhead = p;
	f->dtail = p;
	f->ndirty++;
	pc->ndirty++;
}

void
pc_wb_start(struct pc *pc, struct page *p)
{
	g_assert(p->valid && p->dirty && !p->io && p->dpage != BMAP_HOLE);
	p->io = true;
}

static void
cleaned(struct pc *pc, struct page *p, uint32_t gen)
{
	if (!p->dirty || p->gen != gen)
		return; /* re-dirtied while being written: stays dirty */
	struct pc_file *f = p->f;
	if (p->dprev)
		p->dprev->dnext = p->dnext;
	else
		f->dhead = p->dnext;
	if (p->dnext)
		p->dnext->dprev = p->dprev;
	else
		f->dtail = p->dprev;
	p->dprev = p->dnext = NULL;
	p->dirty = false;
	f->ndirty--;
	pc->ndirty--;
}

void
pc_wait_io(struct page *p, void *sem)
{
	while (p->io) {
		p->waiters = g_slist_prepend(p->waiters, sem);
		sg_sem_acquire(sem);
	}
}

static void
io_done(struct pc *pc, struct page *p)
{
	p->io = false;
	GSList *w = p->waiters;
	p->waiters = NULL;
	for (GSList *l = w; l; l = l->next)
		sg_sem_release(l->data);
	g_slist_free(w);
	/* note 4: any I/O completion may be the last thing a waiter for room waits for (it
	 * re-checks: evicts, waits again, or grows the cache if nothing is busy any more) */
	if (pc->space_waiters)
		wake_space(pc);
}

void
pc_read_done(struct pc *pc, struct page *p, bool unpin)
{
	g_assert(p->io && !p->valid && !p->dirty);
	p->valid = true;
	if (unpin)
		pc_unpin(pc, p);
	io_done(pc, p);
}

void
pc_wb_done(struct pc *pc, struct page *p, uint32_t gen)
{
	g_assert(p->io && p->valid && p->dirty);
	cleaned(pc, p, gen);
	io_done(pc, p);
}

uint64_t
pc_pages(const struct pc *pc)
{
	return pc->n;
}

uint64_t
pc_capacity(const struct pc *pc)
{
	return pc->cap;
}

uint64_t
pc_dirty(const struct pc *pc)
{
	return pc->ndirty;
}

void
pc_foreach_file(struct pc *pc, void (*fn)(struct pc_file *f, void *ctx), void *ctx)
{
	for (guint i = 0; i < pc->files->len; i++)
		fn(pc->files->pdata[i], ctx);
}

bool
pc_check(const struct pc *pc, GString *why)
{
	uint64_t n = 0, dirty = 0;
	for (const struct page *p = pc->head; p; p = p->next) {
		n++;
		if (p->next && p->next->prev != p) {
			g_string_append_printf(why, "LRU links broken at page %llu",
			                       (unsigned long long)p->idx);
			return false;
		}
		if (p->dirty && !p->valid) {
			g_string_append_printf(why, "page %llu dirty but not valid",
			                       (unsigned long long)p->idx);
			return false;
		}
		if (!p->io && p->waiters) {
			g_string_append_printf(why, "page %llu has waiters without I/O",
			                       (unsigned long long)p->idx);
			return false;
		}
	}
	for (guint i = 0; i < pc->files->len; i++) {
		const struct pc_file *f = pc->files->pdata[i];
		uint64_t fd = 0;
		double last = -1;
		for (const struct page *p = f->dhead; p; p = p->dnext, fd++)
			if (!p->dirty || p->dirtied < last) {
				g_string_append_printf(why, "file %u: dirty list out of order",
				                       f->id);
				return false;
			} else
				last = p->dirtied;
		if (fd != f->ndirty) {
			g_string_append_printf(why, "file %u: %llu dirty listed, %llu counted",
			                       f->id, (unsigned long long)fd,
			                       (unsigned long long)f->ndirty);
			return false;
		}
		dirty += fd;
	}
	if (n != pc->n || n != g_hash_table_size(pc->map) || dirty != pc->ndirty) {
		g_string_append_printf(
		    why, "counts: %llu on LRU, %u hashed, n %llu; dirty %llu vs %llu",
		    (unsigned long long)n, g_hash_table_size(pc->map), (unsigned long long)pc->n,
		    (unsigned long long)dirty, (unsigned long long)pc->ndirty);
		return false;
	}
	return true;
}

/*
 * pagecache.h -- 4 KiB pages of files: lookup, LRU replacement under a capacity, clean /
 * dirty / I/O states, per-file dirty lists in dirtying order, and waits for a page's I/O.
 * Blocking calls block the calling actor on the semaphore it passes.
 *
 * A page's state changes only through these functions, each asserting where it may come
 * from; callers read the fields but never write them:
 *
 *   pc_insert -> fresh --pc_zero-------------------------> valid, clean
 *                      --pc_read_start -> reading --pc_read_done--^
 *   valid --pc_set_dirty--> dirty --pc_wb_start--> writing --pc_wb_done--> clean (or still
 *   dirty if re-dirtied meanwhile); pc_set_dirty of a writing page keeps it writing;
 *   clean, idle, unpinned --pc_remove / eviction--> gone.
 */
#ifndef VN_PAGECACHE_H
#define VN_PAGECACHE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define PC_PAGE 4096u
#define PC_SECT_PER_PAGE (PC_PAGE / 512u)

struct pc_file; /* a file's pages */

/* Fields are written by pagecache.c only. */
struct page {
	uint64_t key; /* hash key: file << 40 | idx */
	struct pc_file *f;
	uint64_t idx;
	uint64_t dpage; /* its disk page (4 KiB units), BMAP_HOLE if none yet */
	bool valid;     /* holds the file's data (else being read) */
	bool dirty;
	bool io;                    /* a read or a write-back is in flight */
	uint32_t pin;               /* requests using it: not evictable */
	uint32_t gen;               /* bumped at each dirtying */
	double dirtied;             /* when it became dirty */
	struct page *prev, *next;   /* LRU, most recent at head */
	struct page *dprev, *dnext; /* the file's dirty list, oldest at head */
	GSList *waiters;            /* sg_sem_t of actors waiting for io to end */
};

struct pc_file {
	unsigned id;
	struct page *dhead, *dtail;
	uint64_t ndirty;
};

struct pc;

/* Memory of PAGES cached pages (bytes, saturating; sim/guard.c's estimate): the page, its
 * hash entry and its share of the block map (measured). */
uint64_t pc_estimate(uint64_t pages);

struct pc *pc_new(uint64_t capacity_pages);
void pc_free(struct pc *pc);
/* Register a file's page set. */
void pc_file_init(struct pc *pc, struct pc_file *f, unsigned id);

/* The page, or NULL. */
struct page *pc_lookup(struct pc *pc, struct pc_file *f, uint64_t idx);
/* Insert a new (invalid, clean, pinned) page; makes room by evicting the least recently
 * used clean, idle, unpinned page.  If every page is dirty or busy, calls WAKE(CTX) (the
 * write-back daemon) and blocks on SEM until one is freed; if nothing can ever be freed
 * (all pinned) the cache grows past its capacity.  SEM NULL: never blocks (grows instead).
 * After blocking, the page may have been inserted by another actor meanwhile: that page is
 * returned, pinned, valid or under I/O (a fresh page is neither).  Never returns NULL. */
struct page *pc_insert(struct pc *pc, struct pc_file *f, uint64_t idx, void *sem,
                       void (*wake)(void *ctx), void *ctx);
/* Drop a page (invalidation).  It must be clean, idle and unpinned. */
void pc_remove(struct pc *pc, struct page *p);
void pc_touch(struct pc *pc, struct page *p);
void pc_pin(struct page *p);
void pc_unpin(struct pc *pc, struct page *p);
/* A page pc_insert just returned is fresh -- neither valid nor under I/O -- unless another
 * actor inserted it while pc_insert waited for room: then it is that actor's. */
static inline bool
pc_fresh(const struct page *p)
{
	return !p->valid && !p->io;
}
/* Fresh P holds zeroes (a hole, past EOF, or about to be overwritten whole): valid. */
void pc_zero(struct pc *pc, struct page *p);
/* Fresh P is being read from disk page DPAGE: under I/O until pc_read_done. */
void pc_read_start(struct pc *pc, struct page *p, uint64_t dpage);
/* P's read completed: valid; UNPIN drops the reader's pin (read-ahead) before its I/O ends
 * and its waiters are woken, so they find the page complete. */
void pc_read_done(struct pc *pc, struct page *p, bool unpin);
/* Valid P was written (at NOW), its data belonging on disk page DPAGE: dirty, and its
 * generation moves on.  A page under write-back stays under it (and dirty at completion). */
void pc_set_dirty(struct pc *pc, struct page *p, uint64_t dpage, double now);
/* Dirty, idle P with a disk page is being written back: under I/O until pc_wb_done. */
void pc_wb_start(struct pc *pc, struct page *p);
/* P's write-back completed: clean unless re-dirtied since GEN; its I/O ends, waiters wake. */
void pc_wb_done(struct pc *pc, struct page *p, uint32_t gen);
/* Block on SEM until P's I/O is over. */
void pc_wait_io(struct page *p, void *sem);

uint64_t pc_pages(const struct pc *pc);
uint64_t pc_capacity(const struct pc *pc);
uint64_t pc_dirty(const struct pc *pc);
/* Call FN for every registered file (the write-back daemon's scan). */
void pc_foreach_file(struct pc *pc, void (*fn)(struct pc_file *f, void *ctx), void *ctx);
/* State check (debug builds and tests): counters agree with the pages, LRU and dirty lists
 * are consistent, a dirty page is valid, a page under I/O is pinned or listed... (pagecache.c
 * invariants). */
bool pc_check(const struct pc *pc, GString *why);

#endif

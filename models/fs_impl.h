/*
 * fs_impl.h -- the file system's internal structures, shared by vnode.c (the request paths)
 * and writeback.c (the write-back daemon and page flushing).  Not for other modules: they
 * use fs.h.
 *
 * Lock legend for the fields below (CONVENTIONS.md §3):
 *   v  the vnode (or range) lock of the file, per policy
 *   g  the getpages lock: shared for block-map lookups, exclusive for block-map changes
 *   b  a page's busy state (page->io, or the busy range lock for concurrent buffered copies)
 *   -  immutable after fs_start, or statistics
 */
#ifndef VN_FS_IMPL_H
#define VN_FS_IMPL_H

#include <simgrid/semaphore.h>
#include <stdio.h>

#include "models/bmap.h"
#include "models/disk.h"
#include "models/env.h"
#include "models/fs.h"
#include "models/locks/lock.h"
#include "models/oracle.h"
#include "models/pagecache.h"

struct vnode {
	struct fs *fs;         /* - */
	char *name;            /* - */
	unsigned id;           /* - */
	uint64_t size;         /* v: EOF in bytes */
	uint64_t want;         /* -: the size the jobs asked for (layout) */
	struct bmap *bmap;     /* g */
	struct pc_file pcf;    /* b: its pages */
	struct lk_lock *vlock; /* -: vnode or range lock; NULL for policy none */
	struct lk_lock *gp;    /* -: getpages lock */
	struct lk_lock *busy;  /* -: page busy range lock (page numbers) */
	struct lk_lock *blk;   /* -: bmap=buffer: block busy range lock (block numbers) */
	bool meta_dirty;       /* g: an allocation not yet made durable */
	uint32_t dio_inflight; /* -: direct requests with I/O in flight (inode_dio_wait) */
	GPtrArray *drainers;   /* -: semaphores of threads waiting for dio_inflight == 0 */
};

/* Counters (result.json). */
struct fs_counters {
	uint64_t fallback_unaligned, fallback_alloc;
	uint64_t meta_writes, rmw_reads, readahead_pages, demand_read_pages;
	uint64_t wb_requests, wb_pages, wb_wakeups, throttled;
	uint64_t alloc_blocks, invalidated_pages, invalidate_skipped;
	uint64_t deadlock_checks;
	uint64_t fsyncs, fdatasyncs;
	uint64_t einval, converted_blocks, drains, upgrades;
};

struct fs {
	const struct env *env; /* the host, CPU charging, the lock timeline */
	struct disk *disk;
	const struct lk_policy *pol;
	struct lk_params params;
	struct lk_matrix matrix, rw_matrix, x_matrix;
	enum lk_fair fair;
	int batch_n;
	bool bmap_buffer;
	uint64_t block_size;
	uint32_t ppb; /* pages per block */
	struct pc *pc;
	double dirty_ratio, wb_interval;
	uint32_t ra_pages, maxphys_pages;
	bool sparse, meta_write, direct_fallback, dio_inval_before;
	bool fallocated, gp_hold_io, aio_submission;
	struct bmap_alloc *alloc;
	GPtrArray *files;
	GHashTable *by_name;
	struct oracle *oracle; /* NULL with [sim] oracle=off */
	struct lk_world *world;
	sg_sem_t wb_wake;
	bool wb_waiting;
	struct fs_counters c;
	uint64_t debug_budget; /* make DEBUG=1: check steps not yet spent (vnode.c) */
	char *policy_text, *fair_text, *matrix_text, *conc_text;
};

/* A set of disk I/Os someone may wait for. */
struct fs_batch {
	int pending;
	sg_sem_t sem; /* the waiter's, or NULL */
	bool waiting;
	struct fs_res *res; /* gets the breakdown of the last I/O to complete, or NULL */
	double last_done;
};

enum dio_kind { DIO_READ_PAGES, DIO_WRITEBACK, DIO_DIRECT_READ, DIO_DIRECT_WRITE, DIO_META };

/* One disk I/O of the file system. */
struct fs_dio {
	struct disk_io io;
	struct fs *fs;
	struct fs_batch *b; /* NULL: nobody waits (read-ahead, background write-back) */
	enum dio_kind kind;
	struct vnode *v;
	uint64_t p0;    /* first page (pages I/O) */
	uint32_t np;    /* pages */
	bool unpin;     /* read-ahead: unpin the pages at completion */
	uint32_t *gens; /* write-back: each page's generation when issued */
	double t_snap;  /* write-back: when the data was taken */
	uint64_t s0;    /* file sector of the first sector (direct I/O) */
	uint32_t ver;   /* oracle: the write's version, or the read's id */
	uint32_t otok;  /* oracle: its token (or_io_begin), 0: none */
};

/* writeback.c */
void wb_start(struct fs *fs, void *host);
void wb_wake(void *fs);
/* Issue write-back of V's dirty, idle pages in [p0, p1) that became dirty at or before
 * OLDER (INFINITY: all), clustered up to maxphys; I/Os join B (may be NULL).  Returns the
 * number of I/Os issued. */
int wb_flush(struct fs *fs, struct vnode *v, uint64_t p0, uint64_t p1, double older,
             struct fs_batch *b);
/* Wait for V's pages in [p0, p1) under write-back I/O, then write the dirty ones and wait:
 * on return every page of the range that was dirty at the call is on disk. */
void wb_sync_range(struct fs *fs, struct vnode *v, uint64_t p0, uint64_t p1, sg_sem_t sem,
                   struct fs_res *res);

/* vnode.c */
void fs_submit(struct fs *fs, struct fs_dio *d, struct fs_batch *b);
void fs_batch_wait(struct fs_batch *b);

#endif

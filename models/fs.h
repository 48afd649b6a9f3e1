/*
 * fs.h -- the file system under the vnode (DESIGN.md §3.3, §3.4): what the workload calls.
 * A request blocks the calling actor (an application thread) until its data movement is
 * complete, as read(2)/write(2) do.
 *
 * It is built from a struct fs_config (its settings, read by sim/config.c) and a struct env
 * (models/env.h: host costs, CPU charging, the lock timeline), and reports correctness by
 * request id (fs_judge).  Inside: vnode.c (files, the request paths, the lock order),
 * writeback.c, over pagecache.c, bmap.c, locks/ and the disk (disk.h); fs_impl.h holds
 * their shared structures with the lock that guards each field.
 *
 * Invariants (asserted): a thread holds no lock between requests; locks are taken in the
 * order vnode/range -> getpages -> block busy -> page busy; with make DEBUG=1 the page
 * cache, the file's block map and its locks pass their checks after requests (vnode.c).
 */
#ifndef VN_FS_H
#define VN_FS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/locks/lock.h"
#include "models/locks/policy.h"

struct env;
struct disk;
struct fs;
struct vnode;
struct fs_thread;
struct or_verdict;

enum fs_sync { FS_NOSYNC = 0, FS_OSYNC = 1, FS_ODSYNC = 2 };

struct fs_req {
	enum io_dir op;
	uint64_t off, len;
	bool direct;     /* O_DIRECT */
	bool concurrent; /* the job is marked concurrent=1 */
	bool async;      /* issued by an asynchronous engine (libaio, io_uring, posixaio) */
	enum fs_sync sync;
	uint64_t id;  /* the request's id (requests.csv, locks.csv, verdicts) */
	uint32_t tag; /* the caller's (its job): verdicts carry it back with the id */
};

/* What one request met on its way (seconds, pages). */
struct fs_res {
	double vnode_wait, getpages_wait, range_wait, busy_wait;
	uint64_t cache_hits, cache_lookups;
	uint32_t disk_requests;
	const char *path; /* "buffered", "direct", "fallback-<reason>", or "einval" */
	bool error;       /* failed (EINVAL): no data moved, not counted as an I/O */
	double queue, seek, rot, xfer, ctrl, service; /* the device's times for its I/O */
	double t_issue;                               /* set by fs_rw / fs_fsync */
};

/* The file system's settings ([fs], [policy]; DESIGN.md §3.3, §3.4, §4), read from the
 * scenario by sim/config.c.  Texts are kept as written, for result.json. */
struct fs_config {
	const struct lk_policy *policy;
	struct lk_params params; /* concurrent= */
	struct lk_matrix matrix; /* the policy's classes' compatibility (matrix=) */
	enum lk_fair fair;       /* fairness= */
	int batch_n;             /* fairness=batch:N */
	bool bmap_buffer;        /* bmap=buffer: per-block busy locks, not the whole map */
	uint64_t block_size;     /* bytes, a multiple of PC_PAGE */
	uint64_t cache_pages;    /* cache_mb in pages */
	uint32_t ra_pages;       /* readahead_kb in pages */
	uint32_t maxphys_pages;  /* >= 1 */
	double dirty_ratio;      /* (0, 1] */
	double wb_interval;      /* writeback_interval_s */
	bool sparse;             /* layout=sparse */
	bool fallocated;         /* layout=fallocated: allocated, unwritten extents */
	bool gp_hold_io;         /* getpages_hold=io: held across the page-in I/O */
	bool aio_submission;     /* aio_lock=submission: async direct I/O drops the vnode
	                            lock once submitted */
	bool meta_write;         /* durable allocations write a metadata block */
	bool direct_fallback;    /* direct_alloc=fallback */
	bool dio_inval_before;   /* dio_invalidate=before */
	bool oracle;             /* [sim] oracle: record and judge correctness */
	const char *fair_text, *matrix_text, *conc_text; /* as written (copied by fs_create) */
};

/* The file system over disk D, with C's settings (valid: never fails) and ENV (kept: it
 * must outlive the file system). */
struct fs *fs_create(const struct fs_config *c, const struct env *env, struct disk *d);
void fs_destroy(struct fs *fs);
/* The file NAME, created at first use with SIZE bytes (the largest size asked wins). */
struct vnode *fs_file(struct fs *fs, const char *name, uint64_t size);
/* Lay the files out (layout=) and start the write-back daemon on HOST. */
void fs_start(struct fs *fs, void *host);

/* An application thread: owner of locks (deadlock detection), its own semaphore. */
struct fs_thread *fs_thread_new(struct fs *fs, const char *name);
void fs_thread_free(struct fs_thread *t);

/* One read or write through the stack (blocks the calling actor). */
void fs_rw(struct fs_thread *t, struct vnode *v, const struct fs_req *rq, struct fs_res *res);
/* fsync(2) / fdatasync(2) of V (blocks). */
void fs_fsync(struct fs_thread *t, struct vnode *v, bool datasync, struct fs_res *res);
/* The final sync at the end of a run: every dirty page and the drive's cache (blocks). */
void fs_sync_all(struct fs *fs);
/* After the run: judge correctness (the oracle); VERDICT gets each request that violated a
 * promise, once per counter (oracle.h), by its id and tag.  Nothing with [sim] oracle=off. */
void fs_judge(struct fs *fs, void (*verdict)(void *ctx, const struct or_verdict *v), void *ctx);

/* Facts for result.json: the [fs]/[policy] settings and the counters. */
void fs_describe(const struct fs *fs, void (*put)(void *ctx, const char *k, const char *v),
                 void *ctx);
void fs_describe_policy(const struct fs *fs, void (*put)(void *ctx, const char *k, const char *v),
                        void *ctx);
void fs_counters(const struct fs *fs, void (*put)(void *ctx, const char *k, double v), void *ctx);
/* Lock statistics per lock and class. */
void fs_lock_stats(struct fs *fs,
                   void (*put)(void *ctx, const char *lock, const char *cls, double acq,
                               double contended, double wait_mean, double wait_p99, double wait_max,
                               double hold_mean, double hold_p99, double hold_max),
                   void *ctx);
const struct lk_policy *fs_policy(const struct fs *fs);
bool fs_is_ranged(const struct fs *fs);

#endif

/*
 * lock.h -- the simulated locks: one lock manager serves every policy (DESIGN.md §1, §4):
 * whole-file locks (a range of [0, inf)) and byte-range locks, classes judged by a
 * compatibility matrix, FIFO / readers / batch:N / rwsem / netbsd fairness, lockstat-style
 * statistics, the lock invariant, the CPU cost of the lock structure itself, and the
 * wait-for graph the deadlock detector walks.
 *
 * Threading: SimGrid runs one actor at a time, so lock state is plain data; a waiter blocks
 * on its own sg_sem (one per waiting request), released by whoever grants it.
 *
 * Lock rules: see models/vnode.c for the order (vnode/range lock -> getpages -> page busy).
 */
#ifndef VN_LK_LOCK_H
#define VN_LK_LOCK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "models/env.h"
#include "models/locks/policy.h"

#define LK_INF UINT64_MAX /* range end meaning "to infinity" */

/* LK_FAIR_RWSEM: Linux's rw_semaphore; LK_FAIR_NETBSD: NetBSD's rwlock(9) (whole-file locks
 * only; lock.c note on fast_grant) */
enum lk_fair { LK_FAIR_FIFO, LK_FAIR_READERS, LK_FAIR_BATCH, LK_FAIR_RWSEM, LK_FAIR_NETBSD };
/* Is F decided by the whole-file fast path alone (no ranged lock may use it)? */
static inline bool
lk_fair_whole_file(enum lk_fair f)
{
	return f == LK_FAIR_RWSEM || f == LK_FAIR_NETBSD;
}

/* A compatibility matrix over up to LK_MAX_CLASSES classes. */
struct lk_matrix {
	int n;
	const char *names[LK_MAX_CLASSES];
	bool ok[LK_MAX_CLASSES][LK_MAX_CLASSES]; /* ok[a][b]: a and b may hold at once */
};

/* Parse TEXT in the `matrix=` syntax ("PR:PR,CR PW: CR:PR,CR,CW CW:CR,CW") over the
 * policy's classes.  Every class must have a row; an unknown class or an asymmetric matrix
 * is an error (message without file:line: the caller adds them). */
bool lk_matrix_parse(const char *text, int nclasses, const char *const *class_names,
                     struct lk_matrix *m, GError **err);
/* "fifo", "readers", "batch:N", "rwsem", "netbsd" */
bool lk_fair_parse(const char *text, enum lk_fair *f, int *batch_n, GError **err);

/* CPU work the lock structure did for one operation, charged by the caller in its own CPU
 * charge (DESIGN.md §3.1): ops x lock_op_ns + nodes x lock_node_ns + lines x
 * lock_cacheline_ns. */
struct lk_cost {
	uint32_t ops;   /* acquire or release operations */
	uint32_t nodes; /* nodes of the interval structure visited */
	uint32_t lines; /* cache-line transfers: (min(holders + waiters, cores) - 1) per shared
	                   acquisition */
};

struct lk_lock;  /* one lock (a vnode's lock, a range lock, a getpages lock) */
struct lk_owner; /* a thread that may hold and wait (for the wait-for graph) */

struct lk_config {
	const char *name; /* "vnode", "range", "getpages": statistics and locks.csv */
	const struct lk_matrix *matrix;
	const char *const *class_names;
	bool ranged;       /* byte ranges, or every request on [0, inf) */
	enum lk_impl impl; /* interval structure for ranged locks */
	enum lk_fair fair;
	int batch_n; /* LK_FAIR_BATCH: overtakes allowed before a waiter blocks others */
	int cores;   /* for the cache-line cost */
	/* where wait, grant and release events go (locks.csv), or NULL; a whole-file
	   lock's events carry its range, [0, inf) */
	const struct env_timeline *timeline;
	bool check; /* assert the lock invariant at every grant */
	/* the simulated clock (env.now); NULL: SimGrid's, for tests that build a lock alone */
	double (*now)(void);
	/* the host, or NULL (tests that build a lock alone: no wake-up latency, no internal
	 * mutex).  With it, a granted waiter starts running env->host.wake after its grant
	 * (sleep-queue wake-up plus context switch), and a lock given lk_set_range_mutex does
	 * its structure's work under its own mutex (below). */
	const struct env *env;
};

struct lk_lock *lk_create(const struct lk_config *c);
/* A range lock whose structure is protected by its own mutex, as extent(9)'s ex_lock,
 * OpenZFS zfs_rangelock's rl_lock and FreeBSD's rangelock mutex are (when the host's
 * range_mutex is set): each acquire and release walks the structure holding that mutex, so
 * the walks of all threads are serialized.  The walk costs ops x lock_op + nodes x
 * lock_node, plus one lock_cacheline when the mutex was last held by another thread (its
 * line moves between cores); it is charged as CPU by the lock itself, holding the mutex,
 * and is then not added to the caller's lk_cost (which would charge it in parallel).  The
 * shared-acquisition lines are replaced by that one transfer. */
void lk_set_range_mutex(struct lk_lock *l, bool on);
void lk_destroy(struct lk_lock *l);

/* A grant (or a pending request) on a lock. */
struct lk_hold;

/* Acquire class CLS on [off, end) (end may be LK_INF) for request REQ_ID by OWNER.  Blocks
 * the calling actor until granted (FIFO/readers/batch rules).  Adds the structure's work to
 * *COST and returns the hold; *WAITED gets the simulated time spent waiting.  COST and
 * WAITED may be NULL; OWNER may be NULL (a daemon: not in the wait-for graph).  A whole-file
 * lock (config.ranged false) ignores the range and charges no nodes.
 * => never called with a lock later in the lock order held (asserted by the caller). */
struct lk_hold *lk_acquire(struct lk_lock *l, struct lk_owner *owner, int cls, uint64_t off,
                           uint64_t end, uint64_t req_id, struct lk_cost *cost, double *waited);
/* Release H; grants whoever can now hold (in arrival order).  Adds the work to *COST,
 * including the grants it makes; COST may be NULL. */
void lk_release(struct lk_lock *l, struct lk_hold *h, struct lk_cost *cost);

/* Statistics per class, lockstat-style: acquisitions, contended acquisitions, wait and
 * hold times (mean, p99, max), in seconds. */
struct lk_class_stats {
	uint64_t acquisitions, contended;
	double wait_sum, wait_p99, wait_max;
	double hold_sum, hold_p99, hold_max;
};
/* Fill STATS[0..nclasses-1]; computes the percentiles (call after the run). */
void lk_stats(struct lk_lock *l, struct lk_class_stats *stats);
/* Check the invariant now: no two incompatible holders overlap.  Returns false (and says
 * which) if violated. */
bool lk_check(const struct lk_lock *l, GString *why);

/* ---- owners and deadlock detection ---- */

/* An application thread, registered once; NAME is kept (not copied). */
struct lk_owner *lk_owner_new(const char *name);
void lk_owner_free(struct lk_owner *o);
/* Called by a lock just before OWNER blocks on it.  If every live application thread is
 * then blocked on a simulated lock and a wait-for cycle exists, prints the chain (who holds
 * what, who waits for what) to stderr and exits the process with status 3 (fflush(NULL),
 * then _exit: exit() inside a running SimGrid actor aborts).  lk_world_remove checks too. */
struct lk_world;
struct lk_world *lk_world_new(void);
void lk_world_free(struct lk_world *w);
void lk_world_add(struct lk_world *w, struct lk_owner *o);    /* a live application thread */
void lk_world_remove(struct lk_world *w, struct lk_owner *o); /* it finished */
void lk_set_world(struct lk_lock *l, struct lk_world *w);

#endif

/*
 * env.h -- what the models get from the program that runs them.  models/ depends only on
 * models/ (and SimGrid, glib): the file system, the locks and the disks never call up into
 * sim/.  What they need from above -- the host's costs, a way to charge CPU time to the
 * calling actor, and a sink for the lock timeline -- comes in a struct env that sim/ fills
 * (sim/runenv.c) and hands down at creation.  Each model's settings come the same way, as a
 * plain struct sim/ parses from the scenario (fs.h, disk.h): no model reads a scenario.
 *
 * The clock comes the same way (env.now, which sim/ sets to SimGrid's simgrid_get_clock):
 * the file system, the write-back daemon and the locks read the time only through it.  It
 * must be the clock the models block on (SimGrid semaphores and timeouts), so no other
 * clock could be consistent with them.  Pure models (a disk model's service, the oracle)
 * are given their times as arguments; the one exception is the drive's own actor
 * (models/disk.c), which is a SimGrid actor that sleeps until its next completion and
 * reads SimGrid's clock beside its own sleeps.
 *
 * Also here, for every module of models/ and sim/: the root XBT log category `vnodesim`
 * (each module's category is a child, so --log=vnodesim.thres:debug shows them all) and
 * the models' error domain for bad input found below sim/ (a message without file:line:
 * sim/ adds where the value came from).
 */
#ifndef VN_ENV_H
#define VN_ENV_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define ENV_ERROR (env_error_quark())
GQuark env_error_quark(void);
enum { ENV_ERROR_BAD_INPUT = 1 };

/* [host] (DESIGN.md §3.1, docs/host.md), costs in seconds.  Each figure's source and the
 * CPU it was measured on are in sim/run.c's profile table and docs/host.md.  The per-request
 * kernel path is split by stage, charged where a kernel spends it:
 *   syscall     system call entry + exit, outside every file lock (before the file system)
 *   fs_path     VFS + iomap/genfs, under the file's locks (models/vnode.c charge_pre)
 *   blk_submit  block layer submission of a direct I/O, under the locks (charge_pre)
 *   completion  completion of a direct I/O (interrupt handler, or polling), charged after the
 *               I/O, still under the locks, as ext4/XFS wait for a sync direct I/O holding
 *               i_rwsem (charge_post)
 * and the old single `syscall_ns` is their sum (sim/run.c). */
struct env_host {
	int cores;
	double syscall, fs_path, blk_submit, completion;
	/* every hand-off (a lock granted to a sleeping waiter, a direct I/O's completion
	 * waking its thread): sleep-queue wake-up plus context switch.  The woken thread runs
	 * only this long after it was granted (a latency, not CPU: see docs/host.md). */
	double wake;
	double page_lookup, memcpy_bps, lock_op, lock_node, lock_cacheline;
	double alloc; /* per block allocated, charged while the block map is locked */
	/* a range lock's structure is walked under its own mutex (extent(9)'s ex_lock,
	 * OpenZFS's rl_lock, FreeBSD's rangelock mutex): serialized across threads */
	bool range_mutex;
	const char *profile; /* the [host] profile the defaults came from (static string) */
};

/* Where the lock events go (locks.csv): lock LOCK (its kind, "vnode", "getpages", ...),
 * class CLS, EVENT "wait", "grant" or "release", for request REQ on [off, end) (end
 * UINT64_MAX: to infinity), at simulated time T. */
struct env_timeline {
	void (*event)(void *ctx, double t, const char *lock, const char *cls, const char *event,
	              uint64_t req, uint64_t off, uint64_t end);
	void *ctx;
};

struct env {
	struct env_host host;
	/* Charge SECONDS of CPU work to the calling actor: it is blocked meanwhile (sharing
	 * the host's cores with the other actors).  Never NULL. */
	void (*cpu)(void *ctx, double seconds);
	void *cpu_ctx;
	const struct env_timeline *timeline; /* NULL: no timeline */
	/* The simulated time, in seconds.  Never NULL. */
	double (*now)(void);
};

static inline double
env_now(const struct env *e)
{
	return e->now();
}

static inline void
env_cpu(const struct env *e, double seconds)
{
	e->cpu(e->cpu_ctx, seconds);
}

/* Memory estimates: each module says what it keeps (or_estimate, pc_estimate, ...) and
 * sim/guard.c sums them before a run.  Saturating arithmetic: an absurd scenario gives an
 * absurd estimate, not a wrapped one. */
static inline uint64_t
env_sat_mul(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static inline uint64_t
env_sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

#endif

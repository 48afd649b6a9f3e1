/*
 * lock.c -- the lock manager (lock.h; DESIGN.md §1, §3.1, §3.5): grants, the wait queue,
 * the five fairness rules, lockstat-style statistics, the locks.csv timeline, the lock
 * invariant, and the owners' wait-for graph with its deadlock detector.
 *
 * Every request, holding or waiting, is an entry (struct lk_hold) in the lock's interval
 * structure, keyed on its range and its arrival number seq.  A whole-file lock is the same
 * thing with every range [0, inf).  The grant rule is one relation between an entry E and
 * a waiting entry W whose ranges overlap and whose classes conflict (!matrix.ok):
 *
 *	E blocks W  iff  E holds, or E arrived before W and E "queues ahead", where
 *	    fifo:     every waiter queues ahead   (no overtaking of a conflicting waiter,
 *	                                           as FreeBSD rangelock and OpenZFS);
 *	    readers:  no waiter queues ahead      (only holders block: starvation possible);
 *	    batch:N:  a waiter queues ahead once it has been overtaken N times;
 *	    rwsem,
 *	    netbsd:   as fifo, except at a release (whole-file locks only: below).
 *
 * A request is granted as soon as nothing blocks it.  "Overtaken": a conflicting request
 * that arrived later is granted while the waiter waits.  Each waiter counts its blockers
 * (nblock), kept up to date incrementally, in the manner of the Linux range-lock patches'
 * "blocking ranges" count, so that an operation costs one query of the structure plus one
 * per request it grants:
 *	arrival of R:      nblock(R) = #entries blocking R.  If 0, R holds at once and overtakes
 *	                   every conflicting waiter (all arrived earlier): their nblock++.
 *	grant of waiter W: each conflicting waiter X that W did not already block (W later
 *	                   than X, or W not queued ahead) gets nblock(X)++; if W arrived after
 *	                   X, X has been overtaken.
 *	release of H:      each conflicting waiter gets nblock--; those reaching 0 are granted
 *	                   in arrival order, each rechecked first (an earlier grant in the same
 *	                   pass may block it again).
 *	batch:N, X overtaken for the N-th time: X queues ahead from now on, so every later
 *	                   conflicting waiter gets nblock++.
 *
 * The whole-file fast path: on a whole-file lock every entry overlaps every other, so under
 * fifo and readers the rule needs no walk.  Such a lock keeps its holders' count per class
 * and one FIFO of waiters per class instead of the interval structure:
 *	arrival of R:  R holds at once iff no holder's class conflicts with R's (fifo: and no
 *	               waiter's class either, every waiter having arrived earlier); else R
 *	               joins its class's FIFO.  O(1).
 *	release:       the waiters are visited in arrival order across the FIFOs (a merge of
 *	               their heads) and each is granted iff nothing blocks it now -- no holder
 *	               of a conflicting class, and under fifo no earlier waiter of one; the
 *	               first of a class that stays blocked closes its class for the pass (every
 *	               later one of the class is blocked too).  O(granted + classes).
 * Under fifo and readers this grants the same requests in the same order as the counting
 * rule above (a waiter's count reaches 0 exactly when nothing blocks it).  rwsem and netbsd
 * are decided by the fast path alone (fast_grant: at some releases readers are granted past
 * waiting writers); the counting rule would treat them as fifo, so lk_create refuses a
 * ranged lock under either.  No count is kept per waiter (nblock is only 1 while it waits),
 * and under readers the overtaken count is not kept: only batch:N reads it, and a
 * whole-file lock under batch:N takes the general path.
 *
 * Invariants (lk_check verifies all of them; config.check asserts (1) at every grant):
 *  (1) no two holders with overlapping ranges have conflicting classes;
 *  (2) a waiter's nblock equals the number of entries that block it, and is > 0: nobody
 *      waits who could hold, and a waiter is woken exactly when its count reaches 0 (the
 *      fast path: something blocks every waiter; the class counts match the holders);
 *  (3) overtaken is 0 under fifo and at most N under batch:N;
 *  (4) nheld + nwaiting = entries in the structure (fast path: in the holder list and the
 *      FIFOs); a world's nblocked = its live owners whose `waiting` is set.
 *
 * Costs (struct lk_cost, DESIGN.md §3.1): ops += 1 per acquire and per release; nodes +=
 * the nodes the interval structure visited, ranged locks only (a whole-file lock is a
 * counter in a real kernel: it walks nothing); the releaser pays for the grants its release
 * causes, as the unlocking thread does the wakeups in a kernel.  A *shared acquisition* is
 * a grant while at least one other holder's range overlaps the granted range (necessarily a
 * compatible class); it costs lines = min(holders + waiters, cores) - 1, holders counting
 * the overlapping holders including the new one and waiters the requests waiting on
 * overlapping ranges (for a whole-file lock: all of them) -- the cores touching the lock
 * word's cache line.  The lines are charged to the acquirer.
 *
 * Lock rules: the lock state is plain data (SimGrid runs one actor at a time; no SimGrid
 * mutex).  A waiter blocks on its hold's own sg_sem, created on its first wait and kept
 * with the pooled hold; the granter sets the state, then releases the semaphore.
 * sg_sem_release and sg_sem_acquire are simcalls, where other actors may run: the state
 * is complete before either is called.  The order between different locks (vnode/range ->
 * getpages -> page busy) is the callers' (models/vnode.c).
 */
#include <inttypes.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/mutex.h>
#include <simgrid/semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xbt/log.h>

#include "models/hist.h"
#include "models/locks/interval.h"
#include "models/locks/lock.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_lock, vnodesim,
                                "lock manager: waits, grants, releases, deadlocks");

enum hstate { H_FREE, H_WAITING, H_HELD };

struct lk_hold {
	struct iv_node iv; /* first: the range, and the arrival number iv.seq */
	struct lk_lock *lock;
	struct lk_owner *owner; /* NULL: outside the wait-for graph (a daemon) */
	uint64_t req;
	int cls;
	enum hstate state;
	uint32_t nblock;    /* entries blocking it (waiting only); invariant (2) */
	uint32_t overtaken; /* later conflicting requests granted while it waited */
	uint32_t lines;     /* cache-line transfers of its grant, for the acquirer */
	double t_arrive, t_grant;
	sg_sem_t sem; /* its wait: created on the first wait, kept while pooled */
	struct lk_hold *next_free;
	struct lk_hold *next_wake;     /* granted in this release, semaphore not yet released */
	struct lk_hold *qprev, *qnext; /* whole-file fast path: holder list or class FIFO */
};

#define HOLD(n) ((struct lk_hold *)(n)) /* iv is the first member */
#define HOLD_CHUNK 64

struct lk_lock {
	char *name;
	double (*now)(void); /* the simulated clock */
	struct lk_matrix m;
	const char *const *class_names;
	bool ranged;
	enum lk_fair fair;
	uint32_t batch_n;
	int cores;
	const struct env_timeline *timeline;
	bool check;
	struct lk_world *world;
	const struct env *env; /* NULL: no wake-up latency, no internal mutex */
	sg_mutex_t imutex;     /* lk_set_range_mutex: the structure's own mutex, or NULL */
	sg_actor_t ilast;      /* the actor that held it last (its cache line is there) */

	struct iv_set set; /* every entry, holding or waiting (not used by the fast path) */
	/* whole-file fast path (note at the top): holders per class, a FIFO per class */
	bool fast;
	unsigned conf[LK_MAX_CLASSES]; /* classes conflicting with each class, a bit each */
	unsigned held_mask, wait_mask; /* classes with holders / with waiters */
	uint32_t hcnt[LK_MAX_CLASSES];
	struct lk_hold *holders; /* doubly linked (qprev, qnext), any order */
	struct lk_hold *qhead[LK_MAX_CLASSES], *qtail[LK_MAX_CLASSES]; /* arrival order */
	uint64_t seq;                                                  /* last arrival number */
	uint32_t nheld, nwaiting;
	struct lk_hold *free; /* pool of holds */
	GPtrArray *chunks;    /* the pool's allocations */
	GPtrArray *scratch;   /* holds collected by a query (reused: no allocation) */
	GPtrArray *ahead;     /* waiters that just began to queue ahead (batch:N) */

	uint64_t acq[LK_MAX_CLASSES], contended[LK_MAX_CLASSES];
	struct hist wait[LK_MAX_CLASSES], hold[LK_MAX_CLASSES]; /* seconds, every acquisition */
};

struct lk_owner {
	const char *name;
	struct lk_world *world;
	struct lk_hold *waiting; /* the request it is blocked on, or NULL */
	bool live;
	guint pos;           /* its slot in the world's owners */
	int mark;            /* deadlock search: 0 unseen, 1 on the path, 2 done */
	struct lk_hold *via; /* deadlock search: the blocker it was reached through */
};

struct lk_world {
	GPtrArray *owners; /* live owners in arrival order; NULL: a slot left by one removed */
	uint32_t nlive;    /* the live owners */
	uint32_t nblocked; /* live owners blocked on a simulated lock */
};

/* ---- the rule ---- */

static inline bool
conflict(const struct lk_lock *l, const struct lk_hold *a, const struct lk_hold *b)
{
	return !l->m.ok[a->cls][b->cls];
}

static inline bool
queues_ahead(const struct lk_lock *l, const struct lk_hold *e)
{
	switch (l->fair) {
	case LK_FAIR_FIFO:
	case LK_FAIR_RWSEM: /* whole-file only: the fast path decides its grants */
	case LK_FAIR_NETBSD:
		return true;
	case LK_FAIR_READERS:
		return false;
	default:
		return e->overtaken >= l->batch_n;
	}
}

/* Does E block the waiting W?  (Their ranges overlap: the caller found E by a query.) */
static inline bool
blocks(const struct lk_lock *l, const struct lk_hold *e, const struct lk_hold *w)
{
	return e != w && conflict(l, e, w) &&
	       (e->state == H_HELD || (e->iv.seq < w->iv.seq && queues_ahead(l, e)));
}

/* ---- creation and the hold pool ---- */

struct lk_lock *
lk_create(const struct lk_config *c)
{
	g_assert(c && c->matrix && c->matrix->n > 0 && c->matrix->n <= LK_MAX_CLASSES);
	g_assert(c->fair != LK_FAIR_BATCH || c->batch_n >= 0);
	g_assert(!lk_fair_whole_file(c->fair) || !c->ranged);
	struct lk_lock *l = g_new0(struct lk_lock, 1);
	l->name = g_strdup(c->name ? c->name : "lock");
	l->m = *c->matrix;
	l->class_names = c->class_names ? c->class_names : l->m.names;
	l->ranged = c->ranged;
	l->fair = c->fair;
	l->batch_n = c->fair == LK_FAIR_BATCH ? (uint32_t)c->batch_n : 0;
	l->cores = c->cores > 0 ? c->cores : 1;
	l->now = c->now ? c->now : simgrid_get_clock;
	l->timeline = c->timeline;
	l->check = c->check;
	l->env = c->env;
	/* a whole-file lock's entries all start at 0: only the tree keeps that O(log n) */
	iv_init(&l->set, c->ranged && c->impl == LK_IMPL_LIST ? &iv_list_ops : &iv_tree_ops);
	l->chunks = g_ptr_array_new_with_free_func(g_free);
	l->scratch = g_ptr_array_new();
	l->ahead = g_ptr_array_new();
	for (int i = 0; i < l->m.n; i++) {
		hist_init(&l->wait[i]);
		hist_init(&l->hold[i]);
	}
	l->fast = !c->ranged && c->fair != LK_FAIR_BATCH;
	for (int a = 0; a < l->m.n; a++)
		for (int b = 0; b < l->m.n; b++)
			if (!l->m.ok[a][b])
				l->conf[a] |= 1u << b;
	return l;
}

void
lk_set_range_mutex(struct lk_lock *l, bool on)
{
	g_assert(l->ranged || !on);
	if (on && !l->imutex && l->env)
		l->imutex = sg_mutex_init();
	else if (!on && l->imutex) {
		sg_mutex_destroy(l->imutex);
		l->imutex = NULL;
	}
}

/* The structure's work of one operation: OPS operations that visited NODES nodes.  Without
 * an internal mutex it goes to *COST (the caller charges it with its own CPU, in parallel
 * with the other threads).  With one, it is done here, holding the mutex: the walks of all
 * threads are serialized, and a walk after another thread's moves the mutex's cache line
 * (one lock_cacheline).  Seconds: ops x lock_op + nodes x lock_node [+ lock_cacheline]. */
static void
structure_work(struct lk_lock *l, uint32_t ops, uint32_t nodes, struct lk_cost *cost)
{
	if (!l->imutex) {
		if (cost) {
			cost->ops += ops;
			cost->nodes += nodes;
		}
		return;
	}
	const struct env_host *h = &l->env->host;
	sg_mutex_lock(l->imutex);
	sg_actor_t self = sg_actor_self();
	double s = ops * h->lock_op + nodes * h->lock_node;
	if (l->ilast && l->ilast != self)
		s += h->lock_cacheline;
	l->ilast = self;
	if (s > 0)
		env_cpu(l->env, s);
	sg_mutex_unlock(l->imutex);
}

/* A granted waiter runs only after the wake-up (sleep queue + context switch). */
static void
woken(const struct lk_lock *l)
{
	if (l->env && l->env->host.wake > 0)
		sg_actor_sleep_for(l->env->host.wake);
}

void
lk_destroy(struct lk_lock *l)
{
	if (!l)
		return;
	for (guint i = 0; i < l->chunks->len; i++) {
		struct lk_hold *c = g_ptr_array_index(l->chunks, i);
		for (int k = 0; k < HOLD_CHUNK; k++)
			if (c[k].sem)
				sg_sem_destroy(c[k].sem);
	}
	if (l->imutex)
		sg_mutex_destroy(l->imutex);
	g_ptr_array_free(l->chunks, TRUE);
	g_ptr_array_free(l->scratch, TRUE);
	g_ptr_array_free(l->ahead, TRUE);
	for (int i = 0; i < l->m.n; i++) {
		hist_free(&l->wait[i]);
		hist_free(&l->hold[i]);
	}
	g_free(l->name);
	g_free(l);
}

static struct lk_hold *
hold_get(struct lk_lock *l)
{
	if (!l->free) {
		struct lk_hold *c = g_new0(struct lk_hold, HOLD_CHUNK);
		g_ptr_array_add(l->chunks, c);
		for (int k = HOLD_CHUNK - 1; k >= 0; k--) {
			c[k].next_free = l->free;
			l->free = &c[k];
		}
	}
	struct lk_hold *h = l->free;
	l->free = h->next_free;
	sg_sem_t sem = h->sem;
	*h = (struct lk_hold){.lock = l, .sem = sem};
	return h;
}

static void
hold_put(struct lk_lock *l, struct lk_hold *h)
{
	h->state = H_FREE;
	h->next_free = l->free;
	l->free = h;
}

/* ---- events: timeline, statistics, the asserted invariant ---- */

static void range_str(char *buf, size_t n, const struct lk_hold *h);

static void G_GNUC_NO_INLINE
log_event(const struct lk_lock *l, const struct lk_hold *h, const char *ev)
{
	char r[64];
	range_str(r, sizeof r, h);
	XBT_DEBUG("%s %s: req %" PRIu64 " %s %s (%u held, %u waiting)", l->name, ev, h->req,
	          l->class_names[h->cls], r, l->nheld, l->nwaiting);
}

/* Event EV of H at T: the debug log (--log=vnodesim_lock.thres:debug) and locks.csv.  Inline:
 * with both off it costs two tests. */
static inline void
timeline(const struct lk_lock *l, double t, const struct lk_hold *h, const char *ev)
{
	if (XBT_LOG_ISENABLED(vnodesim_lock, xbt_log_priority_debug))
		log_event(l, h, ev);
	if (!l->timeline)
		return;
	l->timeline->event(l->timeline->ctx, t, l->name, l->class_names[h->cls], ev, h->req,
	                   h->iv.start, h->iv.end);
}

static void
range_str(char *buf, size_t n, const struct lk_hold *h)
{
	if (h->iv.end == LK_INF)
		snprintf(buf, n, "[%" PRIu64 ",inf)", h->iv.start);
	else
		snprintf(buf, n, "[%" PRIu64 ",%" PRIu64 ")", h->iv.start, h->iv.end);
}

/* Describe entry H ("req 7 [0,4096) PW"). */
static void
hold_str(char *buf, size_t n, const struct lk_hold *h)
{
	char r[64];
	range_str(r, sizeof r, h);
	snprintf(buf, n, "req %" PRIu64 " %s %s", h->req, r, h->lock->class_names[h->cls]);
}

struct incompat {
	const struct lk_lock *l;
	const struct lk_hold *h;
	const struct lk_hold *bad;
};

static bool
incompat_fn(struct iv_node *n, void *arg)
{
	struct incompat *c = arg;
	const struct lk_hold *e = HOLD(n);
	if (e != c->h && e->state == H_HELD && conflict(c->l, e, c->h)) {
		c->bad = e;
		return false;
	}
	return true;
}

/* A holder incompatible with H overlapping it, or NULL.  Not charged as lock work. */
static const struct lk_hold *
find_incompatible(const struct lk_lock *l, const struct lk_hold *h)
{
	if (l->fast) {
		uint32_t n = 0; /* holders of classes conflicting with H's, H aside */
		for (int k = 0; k < l->m.n; k++)
			if (l->conf[h->cls] >> k & 1)
				n += l->hcnt[k] - (k == h->cls && h->state == H_HELD);
		for (const struct lk_hold *e = n ? l->holders : NULL; e; e = e->qnext)
			if (e != h && conflict(l, e, h))
				return e;
		return NULL;
	}
	struct iv_set *s = (struct iv_set *)&l->set;
	uint64_t v = s->visits;
	struct incompat c = {l, h, NULL};
	iv_overlap(s, h->iv.start, h->iv.end, incompat_fn, &c);
	s->visits = v;
	return c.bad;
}

/* H has just been granted at NOW. */
static void
granted(struct lk_lock *l, struct lk_hold *h, double now)
{
	h->t_grant = now;
	double w = now - h->t_arrive;
	l->acq[h->cls]++;
	if (w > 0)
		l->contended[h->cls]++;
	hist_add(&l->wait[h->cls], w);
	timeline(l, now, h, "grant");
	if (l->check) {
		const struct lk_hold *bad = find_incompatible(l, h);
		if (bad) {
			char a[128], b[128];
			hold_str(a, sizeof a, h);
			hold_str(b, sizeof b, bad);
			g_error("lock invariant violated on %s: %s granted while %s holds", l->name,
			        a, b);
		}
	}
}

static inline uint32_t
shared_lines(const struct lk_lock *l, uint32_t other_holders, uint32_t waiters)
{
	if (other_holders == 0)
		return 0;
	uint32_t touching = other_holders + 1 + waiters;
	return (touching < (uint32_t)l->cores ? touching : (uint32_t)l->cores) - 1;
}

/* X, waiting, has been overtaken by a later conflicting grant. */
static inline void
overtake(struct lk_lock *l, struct lk_hold *x)
{
	x->overtaken++;
	if (l->fair == LK_FAIR_BATCH && x->overtaken == l->batch_n)
		g_ptr_array_add(l->ahead, x);
}

struct ahead_scan {
	struct lk_lock *l;
	const struct lk_hold *x;
};

static bool
ahead_fn(struct iv_node *n, void *arg)
{
	struct ahead_scan *a = arg;
	struct lk_hold *y = HOLD(n);
	if (y->state == H_WAITING && y->iv.seq > a->x->iv.seq && conflict(a->l, y, a->x))
		y->nblock++;
	return true;
}

/* The waiters collected in l->ahead now queue ahead: later conflicting waiters count them. */
static void
process_ahead(struct lk_lock *l)
{
	for (guint i = 0; i < l->ahead->len; i++) {
		struct lk_hold *x = g_ptr_array_index(l->ahead, i);
		if (x->state != H_WAITING)
			continue;
		struct ahead_scan a = {l, x};
		iv_overlap(&l->set, x->iv.start, x->iv.end, ahead_fn, &a);
	}
	g_ptr_array_set_size(l->ahead, 0);
}

/* ---- owners: block and unblock (the detector is further down) ---- */

static void deadlock_check(struct lk_world *w);

static void
owner_block(struct lk_lock *l, struct lk_owner *o, struct lk_hold *h)
{
	if (!o || !o->world)
		return;
	g_assert(o->live && !o->waiting);
	g_assert(!l->world || l->world == o->world);
	o->waiting = h;
	o->world->nblocked++;
	if (o->world->nblocked == o->world->nlive)
		deadlock_check(o->world);
}

static void
owner_unblock(struct lk_owner *o)
{
	if (!o || !o->world || !o->waiting)
		return;
	o->waiting = NULL;
	o->world->nblocked--;
}

/* ---- acquire ---- */

struct arrive {
	struct lk_lock *l;
	struct lk_hold *r;
	uint32_t nblock, holders, waiters;
};

static bool
arrive_fn(struct iv_node *n, void *arg)
{
	struct arrive *a = arg;
	struct lk_hold *e = HOLD(n);
	if (e->state == H_HELD)
		a->holders++;
	else
		a->waiters++;
	if (!conflict(a->l, e, a->r))
		return true;
	if (e->state == H_HELD || queues_ahead(a->l, e))
		a->nblock++;
	else
		g_ptr_array_add(a->l->scratch, e); /* R overtakes it if granted now */
	return true;
}

/* ---- the whole-file fast path ---- */

static void
holder_add(struct lk_lock *l, struct lk_hold *h)
{
	h->state = H_HELD;
	h->qprev = NULL;
	h->qnext = l->holders;
	if (l->holders)
		l->holders->qprev = h;
	l->holders = h;
	l->hcnt[h->cls]++;
	l->held_mask |= 1u << h->cls;
	l->nheld++;
}

static void
holder_remove(struct lk_lock *l, struct lk_hold *h)
{
	if (h->qprev)
		h->qprev->qnext = h->qnext;
	else
		l->holders = h->qnext;
	if (h->qnext)
		h->qnext->qprev = h->qprev;
	if (--l->hcnt[h->cls] == 0)
		l->held_mask &= ~(1u << h->cls);
	l->nheld--;
}

/* Can a request of class CLS arriving now hold at once?  Fifo, rwsem, netbsd: no conflicting
 * holder and no conflicting waiter (every waiter arrived earlier and queues ahead); readers:
 * no conflicting holder. */
static inline bool
fast_free(const struct lk_lock *l, int cls)
{
	unsigned against = l->held_mask | (l->fair != LK_FAIR_READERS ? l->wait_mask : 0);
	return !(against & l->conf[cls]);
}

/* R (class, owner, time set) arrives on a whole-file lock: held at once, or queued. */
static void
fast_arrive(struct lk_lock *l, struct lk_hold *r, double now)
{
	int c = r->cls;
	if (fast_free(l, c)) {
		/* readers: the conflicting waiters are overtaken; nothing reads that count
		 * outside batch:N, which does not take this path */
		r->lines = shared_lines(l, l->nheld, l->nwaiting);
		holder_add(l, r);
		granted(l, r, now);
		return;
	}
	r->nblock = 1; /* some entry blocks it; the count itself is not kept here */
	r->qnext = NULL;
	if (l->qtail[c])
		l->qtail[c]->qnext = r;
	else
		l->qhead[c] = r;
	l->qtail[c] = r;
	l->wait_mask |= 1u << c;
	l->nwaiting++;
	timeline(l, now, r, "wait");
}

/* After a release: grant, in arrival order, every waiter nothing blocks any more; returns
 * them linked by next_wake.  Waiters are visited in arrival order across the class FIFOs;
 * once a class's first waiter stays blocked, every later one of its class does too (the
 * same holders block it, and under fifo that waiter as well), so the class is closed: the
 * pass visits at most the granted plus one per class.
 * rwsem, as Linux's rw_semaphore wakes (kernel/locking/rwsem.c, rwsem_mark_wake with
 * RWSEM_WAKE_ANY, Linux 6.6): a waiter arriving while the lock is held or waited for
 * queues, as under fifo (rwsem_down_read_slowpath queues a reader when other readers hold
 * the lock and waiters exist); at a release, if the oldest waiter is a writer only it is
 * woken (fifo gives the same), but if it is a reader every queued reader is woken,
 * "irrespective of their order in the queue": here, once the oldest waiter is granted in a
 * class that shares with itself, every later waiter the holders allow is granted too,
 * past the conflicting waiters between them (with the S/E and R/W matrices, every queued
 * reader; under a custom matrix= whatever the holders allow).  Not modelled: Linux's cap
 * of 256 readers a release (MAX_READERS_WAKEUP; more wait for the next release that frees
 * the lock), a writer's optimistic spinning (it may take the lock from queued waiters while the
 * holder runs on a CPU), lock stealing in the instant between a release and the woken
 * waiter running, and the 4 ms hand-off (RWSEM_WAIT_TIMEOUT), which only limits that
 * stealing.
 * netbsd, as NetBSD's rwlock(9) (sys/kern/kern_rwlock.c, NetBSD 9/10): a reader arriving
 * while a writer holds or waits (RW_WRITE_WANTED) sleeps, a writer while anyone holds, so
 * arrivals are as under fifo; rw_vector_exit, releasing a write lock, wakes every waiting
 * reader, past older waiting writers; otherwise (the last reader left, or no reader waits)
 * it hands the lock to one writer, the oldest (the turnstile's order at equal priority):
 * here, after an exclusive class's release with a shared class waiting, the pass grants
 * the classes that share with themselves alone; else it is fifo's. */
static struct lk_hold *
fast_grant(struct lk_lock *l, int released, double now)
{
	struct lk_hold *wake = NULL, **tail = &wake;
	unsigned open = l->wait_mask, closed = 0;
	bool phase = false; /* rwsem, netbsd: the readers woken together by one release */
	unsigned ngrant = 0;
	if (l->fair == LK_FAIR_NETBSD && !l->m.ok[released][released])
		for (int k = 0; k < l->m.n && !phase; k++) /* a writer left: readers waiting? */
			phase = (l->wait_mask >> k & 1) && l->m.ok[k][k] &&
			        !(l->held_mask & l->conf[k]);
	bool readers_only = phase; /* netbsd: this pass grants readers alone */
	while (open) {
		int c = -1;
		for (unsigned m = open; m; m &= m - 1) {
			int k = __builtin_ctz(m);
			if (c < 0 || l->qhead[k]->iv.seq < l->qhead[c]->iv.seq)
				c = k;
		}
		bool fifo = l->fair == LK_FAIR_FIFO || (lk_fair_whole_file(l->fair) && !phase);
		unsigned against = l->held_mask | (fifo ? closed : 0);
		if ((against & l->conf[c]) || (readers_only && !l->m.ok[c][c])) {
			open &= ~(1u << c);
			closed |= 1u << c;
			continue;
		}
		struct lk_hold *w = l->qhead[c];
		l->qhead[c] = w->qnext;
		if (!l->qhead[c]) {
			l->qtail[c] = NULL;
			l->wait_mask &= ~(1u << c);
			open &= ~(1u << c);
		}
		w->lines = shared_lines(l, l->nheld, l->nwaiting - 1);
		w->nblock = 0;
		l->nwaiting--;
		holder_add(l, w);
		owner_unblock(w->owner);
		granted(l, w, now);
		*tail = w;
		tail = &w->next_wake;
		if (l->fair == LK_FAIR_RWSEM && !ngrant++ && !closed && l->m.ok[c][c])
			phase = true; /* the oldest waiter was a reader */
	}
	*tail = NULL;
	return wake;
}

struct lk_hold *
lk_acquire(struct lk_lock *l, struct lk_owner *owner, int cls, uint64_t off, uint64_t end,
           uint64_t req_id, struct lk_cost *cost, double *waited)
{
	g_assert(cls >= 0 && cls < l->m.n);
	g_assert(off < end);
	if (!l->ranged) {
		off = 0;
		end = LK_INF;
	}
	double now = l->now();
	uint64_t v0 = l->set.visits;
	struct lk_hold *r = hold_get(l);
	r->iv.start = off;
	r->iv.end = end;
	r->iv.seq = ++l->seq;
	r->owner = owner;
	r->req = req_id;
	r->cls = cls;
	r->state = H_WAITING;
	r->t_arrive = now;

	if (l->fast) {
		fast_arrive(l, r, now);
		goto arrived;
	}
	g_ptr_array_set_size(l->scratch, 0);
	struct arrive a = {l, r, 0, 0, 0};
	iv_overlap(&l->set, off, end, arrive_fn, &a);
	iv_insert(&l->set, &r->iv);
	r->nblock = a.nblock;
	if (a.nblock == 0) {
		r->state = H_HELD;
		l->nheld++;
		for (guint i = 0; i < l->scratch->len; i++) {
			struct lk_hold *x = g_ptr_array_index(l->scratch, i);
			x->nblock++;
			overtake(l, x);
		}
		process_ahead(l);
		r->lines = shared_lines(l, a.holders, a.waiters);
		granted(l, r, now);
	} else {
		l->nwaiting++;
		timeline(l, now, r, "wait");
	}
arrived:;
	/* the state above is complete: the walk (a simcall, under the internal mutex) and the
	 * wait may let other actors run */
	bool wait = r->state == H_WAITING;
	if (wait) { /* before the walk: a release during it may grant R and post its sem */
		if (!r->sem)
			r->sem = sg_sem_init(0);
		owner_block(l, owner, r);
	}
	structure_work(l, 1, l->ranged ? (uint32_t)(l->set.visits - v0) : 0, cost);
	if (wait) {
		sg_sem_acquire(r->sem);
		g_assert(r->state == H_HELD); /* set by the granter */
		woken(l);
	}
	if (cost && !l->imutex)
		cost->lines += r->lines;
	if (waited) /* until the grant, as the lock's statistics count it (the wake-up after
	             * it is in the request's latency) */
		*waited = r->t_grant - r->t_arrive;
	return r;
}

/* ---- release ---- */

struct grant_scan {
	struct lk_lock *l;
	struct lk_hold *w;
	uint32_t holders, waiters;
};

static bool
grant_fn(struct iv_node *n, void *arg)
{
	struct grant_scan *g = arg;
	struct lk_lock *l = g->l;
	struct lk_hold *e = HOLD(n), *w = g->w;
	if (e == w)
		return true;
	if (e->state == H_HELD) {
		g->holders++;
		return true;
	}
	g->waiters++;
	if (!conflict(l, e, w))
		return true;
	if (!(w->iv.seq < e->iv.seq && queues_ahead(l, w)))
		e->nblock++; /* W did not block E as a waiter; it does as a holder */
	if (w->iv.seq > e->iv.seq)
		overtake(l, e);
	return true;
}

/* Grant the waiting W (its nblock is 0) at NOW; the caller wakes it. */
static void
grant_waiter(struct lk_lock *l, struct lk_hold *w, double now)
{
	g_assert(w->state == H_WAITING && w->nblock == 0);
	struct grant_scan g = {l, w, 0, 0};
	iv_overlap(&l->set, w->iv.start, w->iv.end, grant_fn, &g);
	w->state = H_HELD;
	l->nwaiting--;
	l->nheld++;
	process_ahead(l);
	w->lines = shared_lines(l, g.holders, g.waiters);
	owner_unblock(w->owner);
	granted(l, w, now);
}

struct release_scan {
	struct lk_lock *l;
	const struct lk_hold *h;
};

static bool
release_fn(struct iv_node *n, void *arg)
{
	struct release_scan *r = arg;
	struct lk_hold *x = HOLD(n);
	if (x->state == H_WAITING && conflict(r->l, x, r->h)) {
		g_assert(x->nblock > 0);
		if (--x->nblock == 0)
			g_ptr_array_add(r->l->scratch, x);
	}
	return true;
}

static gint
by_seq(gconstpointer a, gconstpointer b)
{
	const struct lk_hold *x = *(struct lk_hold *const *)a, *y = *(struct lk_hold *const *)b;
	return x->iv.seq < y->iv.seq ? -1 : x->iv.seq > y->iv.seq;
}

void
lk_release(struct lk_lock *l, struct lk_hold *h, struct lk_cost *cost)
{
	g_assert(h && h->lock == l && h->state == H_HELD);
	double now = l->now();
	uint64_t v0 = l->set.visits;
	double held = now - h->t_grant;
	hist_add(&l->hold[h->cls], held);
	timeline(l, now, h, "release");
	struct lk_hold *wake = NULL, **tail = &wake;
	if (l->fast) {
		holder_remove(l, h);
		h->state = H_FREE;
		if (l->nwaiting > 0)
			wake = fast_grant(l, h->cls, now);
	} else {
		iv_remove(&l->set, &h->iv);
		h->state = H_FREE;
		l->nheld--;
	}
	if (!l->fast && l->nwaiting > 0) {
		g_ptr_array_set_size(l->scratch, 0);
		struct release_scan rs = {l, h};
		iv_overlap(&l->set, h->iv.start, h->iv.end, release_fn, &rs);
		if (l->scratch->len > 1)
			g_ptr_array_sort(l->scratch, by_seq);
		/* grant_waiter does not touch scratch: iterate it in place */
		for (guint i = 0; i < l->scratch->len; i++) {
			struct lk_hold *w = g_ptr_array_index(l->scratch, i);
			if (w->nblock == 0) {
				grant_waiter(l, w, now);
				*tail = w;
				tail = &w->next_wake;
			}
		}
		g_ptr_array_set_size(l->scratch, 0);
		*tail = NULL;
	}
	uint32_t nodes = l->ranged ? (uint32_t)(l->set.visits - v0) : 0;
	hold_put(l, h);
	/* the releaser walks holding the internal mutex, then wakes whom it granted */
	structure_work(l, 1, nodes, cost);
	/* Wake the granted only now: sg_sem_release is a simcall, so other actors may run
	 * (and use this lock) before it returns -- the state must be complete by then, and
	 * nothing of this call (scratch, the list's next pointers) may be used after. */
	while (wake) {
		struct lk_hold *w = wake;
		wake = w->next_wake; /* W stays held until its actor runs: not recycled yet */
		sg_sem_release(w->sem);
	}
}

/* ---- statistics ---- */

static void
summarize(const struct hist *x, double *sum, double *p99, double *max)
{
	*sum = x->sum;
	*p99 = hist_quantile(x, 0.99);
	*max = x->n ? x->max : 0;
}

void
lk_stats(struct lk_lock *l, struct lk_class_stats *stats)
{
	for (int c = 0; c < l->m.n; c++) {
		struct lk_class_stats *s = &stats[c];
		*s = (struct lk_class_stats){.acquisitions = l->acq[c],
		                             .contended = l->contended[c]};
		summarize(&l->wait[c], &s->wait_sum, &s->wait_p99, &s->wait_max);
		summarize(&l->hold[c], &s->hold_sum, &s->hold_p99, &s->hold_max);
	}
}

/* ---- the full check ---- */

struct count_blockers {
	const struct lk_lock *l;
	const struct lk_hold *w;
	GPtrArray *out; /* may be NULL */
	uint32_t n;
};

static bool
count_blockers_fn(struct iv_node *n, void *arg)
{
	struct count_blockers *c = arg;
	struct lk_hold *e = HOLD(n);
	if (blocks(c->l, e, c->w)) {
		c->n++;
		if (c->out)
			g_ptr_array_add(c->out, e);
	}
	return true;
}

/* Every entry of a fast-path lock, in arrival order (the interval walk's order). */
static void
fast_entries(const struct lk_lock *l, GPtrArray *out)
{
	for (struct lk_hold *e = l->holders; e; e = e->qnext)
		g_ptr_array_add(out, e);
	for (int c = 0; c < l->m.n; c++)
		for (struct lk_hold *e = l->qhead[c]; e; e = e->qnext)
			g_ptr_array_add(out, e);
	g_ptr_array_sort(out, by_seq);
}

/* The entries blocking W, recomputed from the rule (into OUT if not NULL); not charged. */
static uint32_t
blockers(const struct lk_lock *l, const struct lk_hold *w, GPtrArray *out)
{
	if (l->fast) {
		GPtrArray *all = g_ptr_array_new();
		fast_entries(l, all);
		struct count_blockers c = {l, w, out, 0};
		for (guint i = 0; i < all->len; i++)
			count_blockers_fn(all->pdata[i], &c);
		g_ptr_array_free(all, TRUE);
		return c.n;
	}
	struct iv_set *s = (struct iv_set *)&l->set;
	uint64_t v = s->visits;
	struct count_blockers c = {l, w, out, 0};
	iv_overlap(s, w->iv.start, w->iv.end, count_blockers_fn, &c);
	s->visits = v;
	return c.n;
}

static bool
collect_fn(struct iv_node *n, void *arg)
{
	g_ptr_array_add(arg, HOLD(n));
	return true;
}

bool
lk_check(const struct lk_lock *l, GString *why)
{
	struct iv_set *s = (struct iv_set *)&l->set;
	uint64_t v = s->visits;
	bool ok = s->ops->check(s, why);
	GPtrArray *all = g_ptr_array_new();
	if (l->fast)
		fast_entries(l, all);
	else
		iv_overlap(s, 0, LK_INF, collect_fn, all);
	s->visits = v;
	uint32_t held = 0, waiting = 0;
	char a[128], b[128];
	for (guint i = 0; ok && i < all->len; i++) {
		const struct lk_hold *h = g_ptr_array_index(all, i);
		if (h->state == H_HELD) {
			held++;
			const struct lk_hold *bad = find_incompatible(l, h);
			if (bad) {
				hold_str(a, sizeof a, h);
				hold_str(b, sizeof b, bad);
				g_string_append_printf(why, "%s: incompatible holders %s and %s",
				                       l->name, a, b);
				ok = false;
			}
			continue;
		}
		g_assert(h->state == H_WAITING);
		waiting++;
		uint32_t n = blockers(l, h, NULL);
		hold_str(a, sizeof a, h);
		if (n == 0 || (!l->fast && n != h->nblock)) { /* the fast path keeps no count */
			g_string_append_printf(why, "%s: waiter %s has %u blockers, counts %u",
			                       l->name, a, n, h->nblock);
			ok = false;
		} else if ((l->fair == LK_FAIR_FIFO && h->overtaken > 0) ||
		           (l->fair == LK_FAIR_BATCH && h->overtaken > l->batch_n)) {
			g_string_append_printf(why, "%s: waiter %s overtaken %u times", l->name, a,
			                       h->overtaken);
			ok = false;
		}
	}
	for (int c = 0; ok && l->fast && c < l->m.n; c++) {
		uint32_t n = 0;
		for (const struct lk_hold *e = l->holders; e; e = e->qnext)
			n += e->cls == c;
		if (n != l->hcnt[c] || !(l->held_mask >> c & 1) != !n ||
		    !(l->wait_mask >> c & 1) != !l->qhead[c]) {
			g_string_append_printf(why, "%s: class %s: %u holders, count says %u",
			                       l->name, l->class_names[c], n, l->hcnt[c]);
			ok = false;
		}
	}
	if (ok && (held != l->nheld || waiting != l->nwaiting)) {
		g_string_append_printf(why, "%s: %u held and %u waiting, counts say %u and %u",
		                       l->name, held, waiting, l->nheld, l->nwaiting);
		ok = false;
	}
	g_ptr_array_free(all, TRUE);
	return ok;
}

/* ---- owners, worlds, deadlock ---- */

void
lk_set_world(struct lk_lock *l, struct lk_world *w)
{
	l->world = w;
}

struct lk_owner *
lk_owner_new(const char *name)
{
	struct lk_owner *o = g_new0(struct lk_owner, 1);
	o->name = name;
	return o;
}

/* Take O out of W's owners in O(1) (amortised) and keep the others' order: its slot is
 * cleared, and the array is packed when half of it is empty.  (Removing from the array
 * itself cost a search and a move of the rest: at 10,000 threads ending one after the
 * other, 400 M instructions, a fifth of the run's start-up and teardown.) */
static void
owner_out(struct lk_world *w, struct lk_owner *o)
{
	g_assert(o->pos < w->owners->len && g_ptr_array_index(w->owners, o->pos) == o);
	g_ptr_array_index(w->owners, o->pos) = NULL;
	w->nlive--;
	if (2 * w->nlive >= w->owners->len)
		return;
	guint n = 0;
	for (guint i = 0; i < w->owners->len; i++) {
		struct lk_owner *x = g_ptr_array_index(w->owners, i);
		if (!x)
			continue;
		x->pos = n;
		g_ptr_array_index(w->owners, n++) = x;
	}
	g_ptr_array_set_size(w->owners, n);
}

void
lk_owner_free(struct lk_owner *o)
{
	if (!o)
		return;
	g_assert(!o->waiting);
	if (o->live)
		owner_out(o->world, o);
	g_free(o);
}

struct lk_world *
lk_world_new(void)
{
	struct lk_world *w = g_new0(struct lk_world, 1);
	w->owners = g_ptr_array_new();
	return w;
}

void
lk_world_free(struct lk_world *w)
{
	if (!w)
		return;
	for (guint i = 0; i < w->owners->len; i++) {
		struct lk_owner *o = g_ptr_array_index(w->owners, i);
		if (!o)
			continue;
		o->live = false;
		o->world = NULL;
		o->waiting = NULL;
	}
	g_ptr_array_free(w->owners, TRUE);
	g_free(w);
}

void
lk_world_add(struct lk_world *w, struct lk_owner *o)
{
	g_assert(!o->live && !o->waiting);
	o->world = w;
	o->live = true;
	o->pos = w->owners->len;
	g_ptr_array_add(w->owners, o);
	w->nlive++;
}

void
lk_world_remove(struct lk_world *w, struct lk_owner *o)
{
	g_assert(o->world == w && o->live && !o->waiting);
	o->live = false;
	owner_out(w, o);
	/* the threads left may all be blocked now */
	if (w->nlive > 0 && w->nblocked == w->nlive)
		deadlock_check(w);
}

/* Print the cycle PATH[from..] (each owner reached through its `via`) and exit(3). */
static void G_GNUC_NORETURN
deadlock_report(GPtrArray *path, guint from, struct lk_owner *closing, struct lk_hold *via)
{
	GString *msg = g_string_new("deadlock:");
	guint n = path->len - from;
	for (guint k = 0; k < n; k++) {
		struct lk_owner *o = g_ptr_array_index(path, from + k);
		struct lk_owner *next = k + 1 < n ? g_ptr_array_index(path, from + k + 1) : closing;
		/* what O holds that the previous thread waits for: how O was reached */
		struct lk_hold *mine = k == 0 ? via : o->via;
		struct lk_hold *theirs = k + 1 < n ? next->via : via;
		struct lk_hold *w = o->waiting;
		char r1[64], r2[64];
		range_str(r1, sizeof r1, mine);
		range_str(r2, sizeof r2, w);
		g_string_append_printf(
		    msg, "%s thread %s %s %s %s %s, waits for %s %s %s %s by %s", k ? ";" : "",
		    o->name, mine->state == H_HELD ? "holds" : "is queued for", mine->lock->name,
		    r1, mine->lock->class_names[mine->cls], w->lock->name, r2,
		    w->lock->class_names[w->cls], theirs->state == H_HELD ? "held" : "queued ahead",
		    next->name);
	}
	XBT_VERB("deadlock detected at %.9f s: exit status 3", via->lock->now());
	fprintf(stderr, "%s\n", msg->str);
	g_string_free(msg, TRUE);
	/* exit() from inside an actor runs SimGrid's atexit cleanup on a live engine, which
	 * aborts: flush our streams (locks.csv and the like) and leave at once. */
	fflush(NULL);
	_exit(3);
}

/* Depth-first search of the wait-for graph from ROOT; reports (and exits) on a cycle.
 * Iterative (an explicit stack of frames, visiting in the order the recursive search did):
 * a wait-for chain can be as long as the thread count, and an actor's stack is small
 * (sim/engine.c). */
struct dfs_frame {
	struct lk_owner *o;
	GPtrArray *bl; /* its blockers */
	guint i;       /* the next one to follow */
};

static void
dfs_enter(GArray *st, struct lk_owner *o, GPtrArray *path)
{
	o->mark = 1;
	g_ptr_array_add(path, o);
	struct dfs_frame f = {o, g_ptr_array_new(), 0};
	blockers(o->waiting->lock, o->waiting, f.bl);
	g_array_append_val(st, f);
}

static void
dfs(struct lk_owner *root, GPtrArray *path)
{
	GArray *st = g_array_new(FALSE, FALSE, sizeof(struct dfs_frame));
	dfs_enter(st, root, path);
	while (st->len) {
		struct dfs_frame *f = &g_array_index(st, struct dfs_frame, st->len - 1);
		if (f->i == f->bl->len) {
			g_ptr_array_free(f->bl, TRUE);
			g_ptr_array_set_size(path, path->len - 1);
			f->o->mark = 2;
			g_array_set_size(st, st->len - 1);
			continue;
		}
		struct lk_hold *e = g_ptr_array_index(f->bl, f->i++);
		struct lk_owner *p = e->owner;
		if (!p || !p->live || !p->waiting || p->world != f->o->world)
			continue; /* a daemon's or a running thread's hold: not a cycle edge */
		if (p->mark == 1) {
			guint from = 0;
			while (g_ptr_array_index(path, from) != p)
				from++;
			deadlock_report(path, from, p, e);
		}
		if (p->mark == 0) {
			p->via = e;
			dfs_enter(st, p, path); /* F is not used after this */
		}
	}
	g_array_free(st, TRUE);
}

/* Every live owner of W is blocked on a simulated lock: look for a wait-for cycle. */
static void
deadlock_check(struct lk_world *w)
{
	GPtrArray *path = g_ptr_array_new();
	for (guint i = 0; i < w->owners->len; i++)
		if (g_ptr_array_index(w->owners, i))
			((struct lk_owner *)g_ptr_array_index(w->owners, i))->mark = 0;
	for (guint i = 0; i < w->owners->len; i++) {
		struct lk_owner *o = g_ptr_array_index(w->owners, i);
		if (o && o->mark == 0 && o->waiting)
			dfs(o, path);
	}
	g_ptr_array_free(path, TRUE);
}

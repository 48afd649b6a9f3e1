/*
 * test_locks.c -- the lock manager (models/locks/lock.c, matrix.c): matrix and fairness
 * parsing; the grant rule of every matrix for every pair of classes on overlapping,
 * adjacent and infinite ranges (expected tables written by hand from DESIGN.md §1);
 * fairness (a writer starving under `readers`, bounded under `fifo` and `batch:N`); exact
 * statistics and timeline rows on a hand-built schedule; the CPU cost counts of the list
 * and the tree; a randomized stress run checking every invariant after every operation,
 * list and tree giving the same timeline; and deadlock detection in a forked child (exit
 * status 3 and the chain on stderr).  Simulations run in Check's fork mode, one per test.
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/locks/lock.h"
#include "sim/platform.h"
#include "sim/run.h"
#include "tests/testutil.h"

#define EPS 1e-9
#define KB 4096ULL

/* ---- matrix and fairness parsing ---- */

static const char *const pc[] = {"PR", "PW", "CR", "CW"};
static const char *const dnx[] = {"D", "N", "X"};
static const char *const rw[] = {"R", "W"};

static const struct {
	const char *text;
	int n;
	const char *const *names;
	const char *error; /* NULL: valid; else a substring of the message */
	const char *yes;   /* valid: the compatible pairs, "a-b a-b" (both orders implied) */
} matrix_cases[] = {
    {"PR:PR,CR PW: CR:PR,CR,CW CW:CR,CW", 4, pc, NULL, "PR-PR PR-CR CR-CR CR-CW CW-CW"},
    {"  CW:CW,CR   PW:  PR:CR,PR CR:CW,PR,CR ", 4, pc, NULL, "PR-PR PR-CR CR-CR CR-CW CW-CW"},
    {"D:D N:N X:", 3, dnx, NULL, "D-D N-N"},
    {"R:R W:", 2, rw, NULL, "R-R"},
    {"R: W:", 2, rw, NULL, ""},
    {"R:R,W W:R,W", 2, rw, NULL, "R-R R-W W-W"},
    {"D:D N:N X:Y", 3, dnx, "unknown class 'Y'", NULL},
    {"D:D N:N Z:", 3, dnx, "unknown class 'Z'", NULL},
    {"PR:PR,CR PW:PR CR:PR,CR,CW CW:CR,CW", 4, pc, "not symmetric", NULL},
    {"PR:PR,CR PW: CR:PR,CR,CW", 4, pc, "no row for class CW", NULL},
    {"D:D N:N X: D:", 3, dnx, "duplicate row for class D", NULL},
    {"D:D N:N X", 3, dnx, "not CLASS:", NULL},
    {"", 2, rw, "no row for class R", NULL},
};

START_TEST(test_matrix_parse)
{
	struct lk_matrix m;
	GError *err = NULL;
	bool ok = lk_matrix_parse(matrix_cases[_i].text, matrix_cases[_i].n, matrix_cases[_i].names,
	                          &m, &err);
	if (matrix_cases[_i].error) {
		ck_assert_msg(!ok, "'%s' accepted", matrix_cases[_i].text);
		ck_assert_msg(err && strstr(err->message, matrix_cases[_i].error),
		              "'%s': message '%s', expected '%s'", matrix_cases[_i].text,
		              err ? err->message : "(none)", matrix_cases[_i].error);
		g_error_free(err);
		return;
	}
	ck_assert_msg(ok, "'%s': %s", matrix_cases[_i].text, err ? err->message : "?");
	ck_assert_int_eq(m.n, matrix_cases[_i].n);
	bool want[LK_MAX_CLASSES][LK_MAX_CLASSES] = {{false}};
	gchar **pairs = g_strsplit(matrix_cases[_i].yes, " ", -1);
	for (gchar **p = pairs; *p; p++) {
		if (!**p)
			continue;
		gchar **ab = g_strsplit(*p, "-", 2);
		int a = -1, b = -1;
		for (int i = 0; i < m.n; i++) {
			if (strcmp(matrix_cases[_i].names[i], ab[0]) == 0)
				a = i;
			if (strcmp(matrix_cases[_i].names[i], ab[1]) == 0)
				b = i;
		}
		ck_assert(a >= 0 && b >= 0);
		// cppcheck-suppress negativeIndex ; ck_assert above ends the test when a or b < 0
		want[a][b] = want[b][a] = true;
		g_strfreev(ab);
	}
	g_strfreev(pairs);
	for (int a = 0; a < m.n; a++)
		for (int b = 0; b < m.n; b++)
			ck_assert_msg(m.ok[a][b] == want[a][b], "'%s': %s-%s is %d",
			              matrix_cases[_i].text, m.names[a], m.names[b], m.ok[a][b]);
}
END_TEST

START_TEST(test_fair_parse)
{
	static const struct {
		const char *text;
		bool ok;
		enum lk_fair f;
		int n;
	} cases[] = {
	    {"fifo", true, LK_FAIR_FIFO, 0},
	    {"readers", true, LK_FAIR_READERS, 0},
	    {"rwsem", true, LK_FAIR_RWSEM, 0},
	    {"netbsd", true, LK_FAIR_NETBSD, 0},
	    {"batch:4", true, LK_FAIR_BATCH, 4},
	    {"batch:0", true, LK_FAIR_BATCH, 0},
	    {"batch:", false, 0, 0},
	    {"batch:-1", false, 0, 0},
	    {"batch:3x", false, 0, 0},
	    {"batch: 3", false, 0, 0},
	    {"FIFO", false, 0, 0},
	    {"", false, 0, 0},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		enum lk_fair f = -1;
		int n = -1;
		GError *err = NULL;
		bool ok = lk_fair_parse(cases[i].text, &f, &n, &err);
		ck_assert_msg(ok == cases[i].ok, "'%s'", cases[i].text);
		if (ok) {
			ck_assert_int_eq(f, cases[i].f);
			ck_assert_int_eq(n, cases[i].n);
		} else {
			ck_assert(err && strstr(err->message, cases[i].text));
			g_error_free(err);
		}
	}
}
END_TEST

/* ---- a small harness: scripted actors on a set of locks ---- */

enum opk { OP_AT, OP_SLEEP, OP_ACQ, OP_REL };
struct op {
	enum opk k;
	double t;      /* OP_AT: sleep until t; OP_SLEEP: sleep for t */
	int lock, cls; /* OP_ACQ */
	uint64_t off, end;
	int slot; /* OP_ACQ / OP_REL: which of the actor's holds */
};

struct sim;
struct actor {
	struct sim *sim;
	const char *name;
	struct op *ops;
	int nops;
	struct lk_owner *owner;
	uint64_t req0;
	GArray *waits;  /* double: waited, one per OP_ACQ, in order */
	GArray *grants; /* double: grant time, one per OP_ACQ */
	struct lk_cost cost;
	bool done;
};

struct sim {
	struct lk_lock *locks[256];
	int nlocks;
	struct lk_world *world;
	struct actor *actors[256];
	int nactors;
	bool check_each; /* lk_check every lock after every operation */
	void *host;
	int daemon_iters;
};

static void
check_all(struct sim *s)
{
	GString *why = g_string_new(NULL);
	for (int i = 0; i < s->nlocks; i++)
		ck_assert_msg(lk_check(s->locks[i], why), "lock %d: %s", i, why->str);
	g_string_free(why, TRUE);
}

static void
actor_main(int argc, char **argv)
{
	struct actor *a = sg_actor_self_get_data();
	struct lk_hold *slots[8] = {NULL};
	uint64_t req = a->req0;
	for (int i = 0; i < a->nops; i++) {
		struct op *o = &a->ops[i];
		switch (o->k) {
		case OP_AT: {
			double now = simgrid_get_clock();
			if (o->t > now)
				sg_actor_sleep_for(o->t - now);
			break;
		}
		case OP_ACQ: {
			double w = -1;
			g_assert(!slots[o->slot]);
			struct lk_lock *l = a->sim->locks[o->lock];
			slots[o->slot] =
			    lk_acquire(l, a->owner, o->cls, o->off, o->end, ++req, &a->cost, &w);
			g_array_append_val(a->waits, w);
			double now = simgrid_get_clock();
			g_array_append_val(a->grants, now);
			break;
		}
		case OP_REL:
			lk_release(a->sim->locks[o->lock], slots[o->slot], &a->cost);
			slots[o->slot] = NULL;
			break;
		case OP_SLEEP:
			sg_actor_sleep_for(o->t);
			break;
		}
		if (a->sim->check_each)
			check_all(a->sim);
	}
	a->done = true;
	if (a->owner)
		lk_world_remove(a->sim->world, a->owner);
}

static struct sim *
sim_new(int cores)
{
	struct sim *s = g_new0(struct sim, 1);
	engine_init(NULL);
	s->host = vn_platform_create(cores, 1e9);
	return s;
}

static int
sim_lock(struct sim *s, const struct lk_config *c)
{
	g_assert(s->nlocks < 256);
	s->locks[s->nlocks] = lk_create(c);
	if (s->world)
		lk_set_world(s->locks[s->nlocks], s->world);
	return s->nlocks++;
}

static struct actor *
sim_actor(struct sim *s, const char *name, const struct op *ops, int nops, uint64_t req0)
{
	struct actor *a = g_new0(struct actor, 1);
	a->sim = s;
	a->name = name;
	a->ops = g_memdup2(ops, sizeof *ops * (size_t)nops);
	a->nops = nops;
	a->req0 = req0;
	a->waits = g_array_new(FALSE, FALSE, sizeof(double));
	a->grants = g_array_new(FALSE, FALSE, sizeof(double));
	if (s->world) {
		a->owner = lk_owner_new(name);
		lk_world_add(s->world, a->owner);
	}
	s->actors[s->nactors++] = a;
	sg_actor_t act = sg_actor_init(name, s->host);
	sg_actor_set_data(act, a);
	sg_actor_start(act, actor_main, 0, NULL);
	return a;
}

/* One acquisition: at T, take CLS on [off, end) of LOCK for HOLD seconds. */
static struct actor *
sim_once(struct sim *s, const char *name, int lock, int cls, uint64_t off, uint64_t end, double t,
         double hold, uint64_t req)
{
	struct op ops[] = {
	    {.k = OP_AT, .t = t},
	    {.k = OP_ACQ, .lock = lock, .cls = cls, .off = off, .end = end},
	    {.k = OP_SLEEP, .t = hold},
	    {.k = OP_REL, .lock = lock},
	};
	return sim_actor(s, name, ops, 4, req - 1);
}

static void
sim_run(struct sim *s)
{
	engine_run();
	for (int i = 0; i < s->nactors; i++)
		ck_assert_msg(s->actors[i]->done, "actor %s did not finish", s->actors[i]->name);
}

static void
sim_free(struct sim *s)
{
	for (int i = 0; i < s->nactors; i++) {
		struct actor *a = s->actors[i];
		g_array_free(a->waits, TRUE);
		g_array_free(a->grants, TRUE);
		lk_owner_free(a->owner);
		g_free(a->ops);
		g_free(a);
	}
	for (int i = 0; i < s->nlocks; i++)
		lk_destroy(s->locks[i]);
	lk_world_free(s->world);
	g_free(s);
}

/* A simulation of one whole-file R/W lock (matrix R:R W:) under FAIR, every invariant
 * checked after every operation; *L gets the lock. */
static struct sim *
rw_sim(const char *fair, int *l)
{
	struct lk_matrix m;
	GError *err = NULL;
	ck_assert(lk_matrix_parse("R:R W:", 2, rw, &m, &err));
	struct lk_config c = {
	    .name = "vnode", .matrix = &m, .class_names = rw, .cores = 8, .check = true};
	ck_assert(lk_fair_parse(fair, &c.fair, &c.batch_n, &err));
	struct sim *s = sim_new(8);
	s->check_each = true;
	*l = sim_lock(s, &c); /* lk_create copies the matrix */
	return s;
}

static double
wait_of(const struct actor *a, guint k)
{
	return g_array_index(a->waits, double, k);
}

/* ---- grant rules: every pair of classes, by hand from DESIGN.md §1 ---- */

static const struct {
	const char *policy;
	int n;
	const char *yes[LK_MAX_CLASSES]; /* row a: the classes a may hold with ("" none) */
} grant_cases[] = {
    /* serial, extent-*: reads shared, writes exclusive */
    {"serial", 2, {"R", ""}},
    {"extent-tree", 2, {"R", ""}},
    /* two-color: D shares with D, N with N, X with nothing */
    {"two-color", 3, {"D", "N", ""}},
    /* four-color: the table of DESIGN.md §1 read row by row */
    {"four-color", 4, {"PR CR", "", "PR CR CW", "CR CW"}},
    {"range-color", 4, {"PR CR", "", "PR CR CW", "CR CW"}},
};

/* placements of the second request relative to the first ([4K, 8K) held; "whole" modes use
 * a whole-file lock): */
static const struct {
	const char *what;
	bool ranged, overlap;
	uint64_t a_off, a_end, b_off, b_end;
} places[] = {
    {"overlapping", true, true, 4 * KB, 8 * KB, 6 * KB, 10 * KB},
    {"adjacent after", true, false, 4 * KB, 8 * KB, 8 * KB, 12 * KB},
    {"adjacent before", true, false, 4 * KB, 8 * KB, 0, 4 * KB},
    {"to infinity, overlapping", true, true, 4 * KB, LK_INF, 1ULL << 50, (1ULL << 50) + KB},
    {"to infinity, both", true, true, 4 * KB, LK_INF, 1ULL << 40, LK_INF},
    {"before an infinite range", true, false, 4 * KB, LK_INF, 0, 4 * KB},
    {"whole file, disjoint", false, true, 0, 4 * KB, 1ULL << 30, (1ULL << 30) + KB},
};

START_TEST(test_grant_rules)
{
	const struct lk_policy *p = lk_policy_find(grant_cases[_i].policy);
	ck_assert(p && p->nclasses == grant_cases[_i].n);
	struct lk_matrix m;
	GError *err = NULL;
	ck_assert(lk_matrix_parse(p->default_matrix, p->nclasses, p->class_names, &m, &err));
	int n = p->nclasses;
	bool want[LK_MAX_CLASSES][LK_MAX_CLASSES] = {{false}};
	for (int a = 0; a < n; a++) {
		gchar **ys = g_strsplit(grant_cases[_i].yes[a], " ", -1);
		for (gchar **y = ys; *y; y++)
			for (int b = 0; b < n; b++)
				if (**y && strcmp(*y, p->class_names[b]) == 0)
					want[a][b] = true;
		g_strfreev(ys);
	}
	struct sim *s = sim_new(8);
	s->check_each = true;
	struct actor *second[LK_MAX_CLASSES][LK_MAX_CLASSES][G_N_ELEMENTS(places)];
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
			for (size_t k = 0; k < G_N_ELEMENTS(places); k++) {
				struct lk_config c = {.name = "L",
				                      .matrix = &m,
				                      .class_names = p->class_names,
				                      .ranged = places[k].ranged,
				                      .impl =
				                          (a + b) % 2 ? LK_IMPL_LIST : LK_IMPL_TREE,
				                      .cores = 8,
				                      .check = true};
				int l = sim_lock(s, &c);
				sim_once(s, "first", l, a, places[k].a_off, places[k].a_end, 0, 1.0,
				         1);
				second[a][b][k] = sim_once(s, "second", l, b, places[k].b_off,
				                           places[k].b_end, 0.25, 1.0, 2);
			}
	sim_run(s);
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
			for (size_t k = 0; k < G_N_ELEMENTS(places); k++) {
				bool together = !places[k].overlap || want[a][b];
				double w = wait_of(second[a][b][k], 0);
				ck_assert_msg(fabs(w - (together ? 0 : 0.75)) < EPS,
				              "%s: %s held, %s %s: waited %g, expected %s", p->name,
				              p->class_names[a], p->class_names[b], places[k].what,
				              w, together ? "0" : "0.75");
			}
	sim_free(s);
}
END_TEST

/* ---- fairness: readers overlapping each other and a writer ---- */

/* Reader i arrives at 0.5 i and holds 1.0, so consecutive readers always overlap; the
 * writer arrives at 0.25 and holds 0.1.  Worked out by hand:
 *   readers: the writer waits until the last reader leaves: 0.5 (K-1) + 1.0 - 0.25;
 *   fifo:    the writer waits for reader 0 only (until 1.0): 0.75; readers 1.. queue;
 *   batch:N: readers 1..N overtake it, then reader N+1 queues behind it: 0.5 N + 0.75. */
static const struct {
	const char *fair;
	int k;              /* readers */
	double writer_wait; /* expected */
	int overtakes;      /* readers granted after the writer arrived and before it */
} fair_cases[] = {
    {"readers", 4, 2.25, 3},
    {"readers", 8, 4.25, 7},
    {"readers", 16, 8.25, 15},
    {"fifo", 4, 0.75, 0},
    {"fifo", 16, 0.75, 0},
    {"batch:2", 8, 1.75, 2},
    {"batch:2", 16, 1.75, 2},
    {"batch:0", 8, 0.75, 0},
    {"batch:5", 16, 3.25, 5},
    /* rwsem: the oldest waiter is the writer, so it alone is woken, as under fifo */
    {"rwsem", 4, 0.75, 0},
    {"rwsem", 16, 0.75, 0},
};

START_TEST(test_fairness)
{
	int l;
	struct sim *s = rw_sim(fair_cases[_i].fair, &l);
	int k = fair_cases[_i].k;
	struct actor *r[32];
	for (int i = 0; i < k; i++)
		r[i] = sim_once(s, "reader", l, 0, 0, KB, 0.5 * i, 1.0, (uint64_t)(100 + i));
	struct actor *w = sim_once(s, "writer", l, 1, 0, KB, 0.25, 0.1, 1);
	sim_run(s);
	double ww = wait_of(w, 0), wg = g_array_index(w->grants, double, 0);
	ck_assert_msg(fabs(ww - fair_cases[_i].writer_wait) < EPS, "%s K=%d: writer waited %g",
	              fair_cases[_i].fair, k, ww);
	int overtakes = 0;
	for (int i = 1; i < k; i++)
		if (g_array_index(r[i]->grants, double, 0) < wg - EPS)
			overtakes++;
	ck_assert_int_eq(overtakes, fair_cases[_i].overtakes);
	/* the first reader queued behind the writer waits until the writer leaves */
	if (fair_cases[_i].overtakes + 1 < k) {
		int q = fair_cases[_i].overtakes + 1;
		ck_assert_msg(fabs(g_array_index(r[q]->grants, double, 0) - (wg + 0.1)) < EPS,
		              "reader %d granted at %g", q, g_array_index(r[q]->grants, double, 0));
	}
	sim_free(s);
}
END_TEST

/* Two waiters conflicting with each other and with a holder H, the later one with the lower
 * offset (first in the structure's order): when H leaves, both are free of blockers under
 * every rule, and the earlier must be granted first -- a release grants in arrival order. */
START_TEST(test_release_order)
{
	static const char *const fairs[] = {"fifo", "readers", "batch:1"};
	struct lk_matrix m;
	GError *err = NULL;
	ck_assert(lk_matrix_parse("R:R W:", 2, rw, &m, &err));
	struct lk_config c = {.name = "range",
	                      .matrix = &m,
	                      .class_names = rw,
	                      .ranged = true,
	                      .impl = LK_IMPL_TREE,
	                      .cores = 8,
	                      .check = true};
	ck_assert(lk_fair_parse(fairs[_i], &c.fair, &c.batch_n, &err));
	struct sim *s = sim_new(8);
	s->check_each = true;
	int l = sim_lock(s, &c);
	sim_once(s, "H", l, 1, 0, 2 * KB, 0, 1, 1);
	struct actor *w1 = sim_once(s, "W1", l, 1, KB, 3 * KB, 0.1, 1, 2);
	struct actor *w2 = sim_once(s, "W2", l, 1, 0, KB + 1, 0.2, 1, 3);
	sim_run(s);
	ck_assert_double_eq_tol(g_array_index(w1->grants, double, 0), 1.0, EPS);
	ck_assert_double_eq_tol(g_array_index(w2->grants, double, 0), 2.0, EPS);
	sim_free(s);
}
END_TEST

/* Linux's rw_semaphore against fifo and readers, on a whole-file R/W lock; each request
 * holds 1 s.  W0 holds from 0; R1, W2, R3 queue at 0.1, 0.2, 0.3; R4 arrives at 1.5.
 * Worked out by hand (grant times):
 *   rwsem:   W0 leaves at 1, the oldest waiter R1 is a reader, so every queued reader is
 *            woken (rwsem_mark_wake): R1 and R3 at 1; R4 arrives while readers hold and W2
 *            waits, so it queues (rwsem_down_read_slowpath); W2 at 2, R4 at 3;
 *   fifo:    R1 at 1, W2 at 2, R3 and R4 at 3;
 *   readers: R1 and R3 at 1, R4 at 1.5 (only holders block), W2 once R4 leaves, at 2.5. */
START_TEST(test_rwsem)
{
	static const struct {
		const char *fair;
		double g[4]; /* R1, W2, R3, R4 */
	} cases[] = {
	    {"rwsem", {1, 2, 1, 3}},
	    {"fifo", {1, 2, 3, 3}},
	    {"readers", {1, 2.5, 1, 1.5}},
	    /* netbsd: W0, a writer, leaves with readers waiting: R1 and R3 at 1; R4 arrives
	     * while W2 wants the lock (RW_WRITE_WANTED): it sleeps; the readers' release hands
	     * the lock to W2 at 2; W2's wakes R4 at 3 */
	    {"netbsd", {1, 2, 1, 3}},
	};
	int l;
	struct sim *s = rw_sim(cases[_i].fair, &l);
	sim_once(s, "W0", l, 1, 0, KB, 0, 1, 1);
	struct actor *a[4] = {
	    sim_once(s, "R1", l, 0, 0, KB, 0.1, 1, 2),
	    sim_once(s, "W2", l, 1, 0, KB, 0.2, 1, 3),
	    sim_once(s, "R3", l, 0, 0, KB, 0.3, 1, 4),
	    sim_once(s, "R4", l, 0, 0, KB, 1.5, 1, 5),
	};
	sim_run(s);
	for (int i = 0; i < 4; i++) {
		double g = g_array_index(a[i]->grants, double, 0);
		ck_assert_msg(fabs(g - cases[_i].g[i]) < EPS, "%s: %s granted at %g, expected %g",
		              cases[_i].fair, a[i]->name, g, cases[_i].g[i]);
	}
	sim_free(s);
}
END_TEST

/* Where Linux and NetBSD part: W0 holds from 0 for 1 s; W1 queues at 0.1, R2 at 0.2, each
 * to hold 1 s.  At 1 the oldest waiter is W1, a writer: rwsem and fifo grant it (R2 at 2);
 * NetBSD's rw_vector_exit, releasing a write lock, wakes the waiting readers first: R2 at 1,
 * W1 at 2. */
START_TEST(test_writer_release)
{
	static const struct {
		const char *fair;
		double w1, r2;
	} cases[] = {{"rwsem", 1, 2}, {"fifo", 1, 2}, {"netbsd", 2, 1}};
	int l;
	struct sim *s = rw_sim(cases[_i].fair, &l);
	sim_once(s, "W0", l, 1, 0, KB, 0, 1, 1);
	struct actor *w1 = sim_once(s, "W1", l, 1, 0, KB, 0.1, 1, 2);
	struct actor *r2 = sim_once(s, "R2", l, 0, 0, KB, 0.2, 1, 3);
	sim_run(s);
	ck_assert_double_eq_tol(g_array_index(w1->grants, double, 0), cases[_i].w1, EPS);
	ck_assert_double_eq_tol(g_array_index(r2->grants, double, 0), cases[_i].r2, EPS);
	sim_free(s);
}
END_TEST

/* ---- statistics and timeline on a hand-built schedule ---- */

/* A whole-file R/W lock, fifo:
 *   A: W at 0 for 2            -> wait 0,   hold 2    (0..2)
 *   B: R at 0.5 for 1          -> wait 1.5, hold 1    (2..3)
 *   C: R at 1.0 for 3          -> wait 1.0, hold 3    (2..5), shared with B, D waiting
 *   D: W at 1.5 for 0.5        -> wait 3.5, hold 0.5  (5..5.5)
 *   E: R at 6 for 1            -> wait 0,   hold 1    (6..7) */
static struct actor *sched[5];

static struct sim *
run_schedule(FILE *tl, bool ranged)
{
	static struct lk_matrix m;
	GError *err = NULL;
	ck_assert(lk_matrix_parse("R:R W:", 2, rw, &m, &err));
	struct sim *s = sim_new(8);
	static struct env_timeline sink; /* locks.csv rows, as a run writes them */
	sink = run_locks_csv(tl);
	struct lk_config c = {.name = ranged ? "range" : "vnode",
	                      .matrix = &m,
	                      .class_names = rw,
	                      .ranged = ranged,
	                      .cores = 8,
	                      .timeline = tl ? &sink : NULL,
	                      .check = true};
	int l = sim_lock(s, &c);
	sched[0] = sim_once(s, "A", l, 1, 0, LK_INF, 0, 2, 1);
	sched[1] = sim_once(s, "B", l, 0, 0, KB, 0.5, 1, 2);
	sched[2] = sim_once(s, "C", l, 0, 2 * KB, 3 * KB, 1.0, 3, 3);
	sched[3] = sim_once(s, "D", l, 1, KB, 4 * KB, 1.5, 0.5, 4);
	sched[4] = sim_once(s, "E", l, 0, 0, KB, 6, 1, 5);
	sim_run(s);
	return s;
}

START_TEST(test_statistics)
{
	struct sim *s = run_schedule(NULL, false);
	struct lk_class_stats st[2];
	lk_stats(s->locks[0], st);
	/* R: waits {0, 1.0, 1.5}, holds {1, 1, 3}; p99 at position 0.99 * 2 = 1.98 */
	ck_assert_uint_eq(st[0].acquisitions, 3);
	ck_assert_uint_eq(st[0].contended, 2);
	ck_assert_double_eq_tol(st[0].wait_sum, 2.5, EPS);
	ck_assert_double_eq_tol(st[0].wait_max, 1.5, EPS);
	ck_assert_double_eq_tol(st[0].wait_p99, 1.0 + 0.98 * 0.5, EPS);
	ck_assert_double_eq_tol(st[0].hold_sum, 5, EPS);
	ck_assert_double_eq_tol(st[0].hold_max, 3, EPS);
	ck_assert_double_eq_tol(st[0].hold_p99, 1 + 0.98 * 2, EPS);
	/* W: waits {0, 3.5}, holds {0.5, 2}; p99 at position 0.99 */
	ck_assert_uint_eq(st[1].acquisitions, 2);
	ck_assert_uint_eq(st[1].contended, 1);
	ck_assert_double_eq_tol(st[1].wait_sum, 3.5, EPS);
	ck_assert_double_eq_tol(st[1].wait_max, 3.5, EPS);
	ck_assert_double_eq_tol(st[1].wait_p99, 0.99 * 3.5, EPS);
	ck_assert_double_eq_tol(st[1].hold_sum, 2.5, EPS);
	ck_assert_double_eq_tol(st[1].hold_max, 2, EPS);
	ck_assert_double_eq_tol(st[1].hold_p99, 0.5 + 0.99 * 1.5, EPS);
	/* waits seen by the callers */
	static const double waits[5] = {0, 1.5, 1.0, 3.5, 0};
	for (int i = 0; i < 5; i++)
		ck_assert_double_eq_tol(wait_of(sched[i], 0), waits[i], EPS);
	/* cost: one op per acquire and release; a whole-file lock charges no nodes; only C's
	 * acquisition was shared: holders B and C, waiter D -> min(3, 8) - 1 = 2 lines */
	static const uint32_t lines[5] = {0, 0, 2, 0, 0};
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(sched[i]->cost.ops, 2);
		ck_assert_uint_eq(sched[i]->cost.nodes, 0);
		ck_assert_msg(sched[i]->cost.lines == lines[i], "actor %d: %u lines", i,
		              sched[i]->cost.lines);
	}
	sim_free(s);
}
END_TEST

START_TEST(test_timeline)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct sim *s = run_schedule(f, _i == 1);
	fclose(f);
	static const char *const whole = "0.000000000,vnode,W,grant,1,0,-1\n"
	                                 "0.500000000,vnode,R,wait,2,0,-1\n"
	                                 "1.000000000,vnode,R,wait,3,0,-1\n"
	                                 "1.500000000,vnode,W,wait,4,0,-1\n"
	                                 "2.000000000,vnode,W,release,1,0,-1\n"
	                                 "2.000000000,vnode,R,grant,2,0,-1\n"
	                                 "2.000000000,vnode,R,grant,3,0,-1\n"
	                                 "3.000000000,vnode,R,release,2,0,-1\n"
	                                 "5.000000000,vnode,R,release,3,0,-1\n"
	                                 "5.000000000,vnode,W,grant,4,0,-1\n"
	                                 "5.500000000,vnode,W,release,4,0,-1\n"
	                                 "6.000000000,vnode,R,grant,5,0,-1\n"
	                                 "7.000000000,vnode,R,release,5,0,-1\n";
	/* ranged: B [0,4K) does not overlap D [4K,16K), C [8K,12K) does; all overlap A [0,inf) */
	static const char *const ranged = "0.000000000,range,W,grant,1,0,-1\n"
	                                  "0.500000000,range,R,wait,2,0,4096\n"
	                                  "1.000000000,range,R,wait,3,8192,4096\n"
	                                  "1.500000000,range,W,wait,4,4096,12288\n"
	                                  "2.000000000,range,W,release,1,0,-1\n"
	                                  "2.000000000,range,R,grant,2,0,4096\n"
	                                  "2.000000000,range,R,grant,3,8192,4096\n"
	                                  "3.000000000,range,R,release,2,0,4096\n"
	                                  "5.000000000,range,R,release,3,8192,4096\n"
	                                  "5.000000000,range,W,grant,4,4096,12288\n"
	                                  "5.500000000,range,W,release,4,4096,12288\n"
	                                  "6.000000000,range,R,grant,5,0,4096\n"
	                                  "7.000000000,range,R,release,5,0,4096\n";
	ck_assert_str_eq(buf, _i == 1 ? ranged : whole);
	free(buf);
	sim_free(s);
}
END_TEST

/* ---- the CPU cost of the structures ---- */

START_TEST(test_cost_list_vs_tree)
{
	enum { N = 2000 };
	struct lk_matrix m;
	GError *err = NULL;
	ck_assert(lk_matrix_parse("R:R W:", 2, rw, &m, &err));
	engine_init(NULL); /* nothing blocks: no actor needed */
	uint32_t nodes[2];
	for (int impl = 0; impl < 2; impl++) {
		struct lk_config c = {.name = "range",
		                      .matrix = &m,
		                      .ranged = true,
		                      .impl = impl ? LK_IMPL_TREE : LK_IMPL_LIST,
		                      .cores = 8,
		                      .check = false};
		struct lk_lock *l = lk_create(&c);
		static struct lk_hold *h[N];
		for (int i = 0; i < N; i++) {
			/* held back to front: the list's cheapest order, each insert at its head */
			uint64_t off = (uint64_t)(N - 1 - i) * 2 * KB;
			h[i] = lk_acquire(l, NULL, 1, off, off + KB, (uint64_t)i, NULL, NULL);
		}
		struct lk_cost cost = {0};
		double waited = -1;
		/* a write near the end of the file, free */
		struct lk_hold *x = lk_acquire(l, NULL, 1, (uint64_t)(N - 1) * 2 * KB + KB,
		                               (uint64_t)N * 2 * KB, 99999, &cost, &waited);
		ck_assert_double_eq(waited, 0);
		lk_release(l, x, &cost);
		ck_assert_uint_eq(cost.ops, 2);
		ck_assert_uint_eq(cost.lines, 0);
		nodes[impl] = cost.nodes;
		GString *why = g_string_new(NULL);
		ck_assert_msg(lk_check(l, why), "%s", why->str);
		g_string_free(why, TRUE);
		for (int i = 0; i < N; i++)
			lk_release(l, h[i], NULL);
		lk_destroy(l);
	}
	/* list: the query and the insert each walk all N nodes; tree: a few root paths */
	ck_assert_msg(nodes[0] >= 2 * N, "list visited %u", nodes[0]);
	ck_assert_msg(nodes[1] <= 5 * (log2(N) + 2), "tree visited %u", nodes[1]);

	/* shared acquisitions: three overlapping readers, 2 and 8 cores */
	for (int cores = 2; cores <= 8; cores += 6) {
		struct lk_config c = {.name = "vnode", .matrix = &m, .cores = cores, .check = true};
		struct lk_lock *l = lk_create(&c);
		struct lk_hold *h[3];
		uint32_t want[3] = {0, 1, cores == 2 ? 1 : 2};
		for (int i = 0; i < 3; i++) {
			struct lk_cost cost = {0};
			h[i] = lk_acquire(l, NULL, 0, 0, KB, (uint64_t)i, &cost, NULL);
			ck_assert_uint_eq(cost.lines, want[i]);
			ck_assert_uint_eq(cost.nodes, 0); /* whole-file */
		}
		for (int i = 0; i < 3; i++)
			lk_release(l, h[i], NULL);
		lk_destroy(l);
	}
}
END_TEST

/* ---- randomized stress: every invariant after every operation; list == tree ---- */

START_TEST(test_stress)
{
	static const char *const fairs[] = {"fifo", "readers", "batch:3"};
	enum { ACTORS = 12, OPS = 150 };
	struct lk_matrix m;
	GError *err = NULL;
	ck_assert(lk_matrix_parse("PR:PR,CR PW: CR:PR,CR,CW CW:CR,CW", 4, pc, &m, &err));
	char *buf[2] = {NULL, NULL};
	size_t len[2];
	FILE *f[2] = {open_memstream(&buf[0], &len[0]), open_memstream(&buf[1], &len[1])};
	struct sim *s = sim_new(4);
	s->check_each = true;
	int l[2];
	struct env_timeline sink[2] = {run_locks_csv(f[0]), run_locks_csv(f[1])};
	for (int k = 0; k < 2; k++) {
		struct lk_config c = {.name = "range",
		                      .matrix = &m,
		                      .class_names = pc,
		                      .ranged = true,
		                      .impl = k ? LK_IMPL_TREE : LK_IMPL_LIST,
		                      .cores = 4,
		                      .timeline = &sink[k],
		                      .check = true};
		ck_assert(lk_fair_parse(fairs[_i], &c.fair, &c.batch_n, &err));
		l[k] = sim_lock(s, &c);
	}
	GRand *r = g_rand_new_with_seed(99 + (guint32)_i);
	struct op *ops = g_new0(struct op, 4 * OPS);
	for (int a = 0; a < ACTORS; a++) {
		double t = 0;
		int n = 0;
		for (int i = 0; i < OPS; i++) {
			t += g_rand_double_range(r, 0, 2e-3);
			uint64_t off = (uint64_t)g_rand_int_range(r, 0, 64) * KB;
			uint64_t end = g_rand_int_range(r, 0, 20) == 0
			                   ? LK_INF
			                   : off + (uint64_t)g_rand_int_range(r, 1, 16) * KB;
			ops[n++] = (struct op){.k = OP_AT, .t = t};
			ops[n++] = (struct op){
			    .k = OP_ACQ, .cls = g_rand_int_range(r, 0, 4), .off = off, .end = end};
			ops[n++] = (struct op){.k = OP_SLEEP, .t = g_rand_double_range(r, 0, 1e-3)};
			ops[n++] = (struct op){.k = OP_REL};
		}
		/* the same script on both locks */
		for (int k = 0; k < 2; k++) {
			for (int i = 0; i < n; i++)
				ops[i].lock = l[k];
			sim_actor(s, k ? "tree" : "list", ops, n, (uint64_t)a * 100000);
		}
	}
	sim_run(s);
	fclose(f[0]);
	fclose(f[1]);
	ck_assert_msg(len[0] > 1000 && strstr(buf[0], ",wait,"), "too little contention");
	ck_assert_msg(strcmp(buf[0], buf[1]) == 0, "list and tree timelines differ");
	free(buf[0]);
	free(buf[1]);
	g_free(ops);
	g_rand_free(r);
	sim_free(s);
}
END_TEST

/* rwsem and netbsd on a whole-file R/W lock under random load: every invariant checked
 * after every operation (no conflicting holders, every waiter blocked by something),
 * everyone done, and readers overtook queued writers (both rules' point) while fifo on the
 * same script never lets a reader overtake. */
START_TEST(test_stress_rwsem)
{
	static const char *const fairs[] = {"rwsem", "fifo", "netbsd"};
	enum { ACTORS = 12, OPS = 150 };
	struct lk_matrix m;
	GError *err = NULL;
	ck_assert(lk_matrix_parse("R:R W:", 2, rw, &m, &err));
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	struct env_timeline sink = run_locks_csv(f);
	struct lk_config c = {.name = "vnode",
	                      .matrix = &m,
	                      .class_names = rw,
	                      .cores = 4,
	                      .timeline = &sink,
	                      .check = true};
	ck_assert(lk_fair_parse(fairs[_i], &c.fair, &c.batch_n, &err));
	struct sim *s = sim_new(4);
	s->check_each = true;
	int l = sim_lock(s, &c);
	GRand *r = g_rand_new_with_seed(7);
	struct op *ops = g_new0(struct op, 4 * OPS);
	for (int a = 0; a < ACTORS; a++) {
		double t = 0;
		int n = 0;
		for (int i = 0; i < OPS; i++) {
			t += g_rand_double_range(r, 0, 2e-3);
			ops[n++] = (struct op){.k = OP_AT, .t = t};
			ops[n++] = (struct op){.k = OP_ACQ,
			                       .lock = l,
			                       .cls = g_rand_int_range(r, 0, 4) == 0,
			                       .off = 0,
			                       .end = KB};
			ops[n++] = (struct op){.k = OP_SLEEP, .t = g_rand_double_range(r, 0, 1e-3)};
			ops[n++] = (struct op){.k = OP_REL, .lock = l};
		}
		sim_actor(s, "a", ops, n, (uint64_t)a * 100000);
	}
	sim_run(s);
	fclose(f);
	ck_assert_msg(len > 1000 && strstr(buf, ",wait,"), "too little contention");
	/* a reader granted before a writer that arrived before it: an overtake */
	struct acq {
		double at, grant;
		int cls;
	};
	GArray *acq = g_array_new(FALSE, FALSE, sizeof(struct acq));
	for (int a = 0; a < s->nactors; a++) {
		const struct actor *x = s->actors[a];
		for (int i = 0, q = 0; i < x->nops; i++)
			if (x->ops[i].k == OP_ACQ) {
				double g = g_array_index(x->grants, double, q);
				struct acq e = {g - wait_of(x, q), g, x->ops[i].cls};
				g_array_append_val(acq, e);
				q++;
			}
	}
	unsigned overtakes = 0;
	for (guint i = 0; i < acq->len; i++)
		for (guint j = 0; j < acq->len; j++) {
			const struct acq *rd = &g_array_index(acq, struct acq, i),
			                 *wr = &g_array_index(acq, struct acq, j);
			if (rd->cls == 0 && wr->cls == 1 && wr->at < rd->at - EPS &&
			    wr->grant > rd->grant + EPS)
				overtakes++;
		}
	g_array_free(acq, TRUE);
	printf("rwsem stress, %s: %u reader-over-writer overtakes\n", fairs[_i], overtakes);
	ck_assert_msg(_i != 1 ? overtakes > 0 : overtakes == 0, "%s: %u overtakes", fairs[_i],
	              overtakes);
	free(buf);
	g_free(ops);
	g_rand_free(r);
	sim_free(s);
}
END_TEST

/* ---- deadlock ---- */

static void
daemon_main(int argc, char **argv)
{
	struct sim *s = sg_actor_self_get_data();
	for (int i = 0; i < s->daemon_iters; i++)
		sg_actor_sleep_for(0.1); /* keeps SimGrid's own detector silent */
}

/* In a child process: threads A and B take vnode and getpages (C, if any, only sleeps);
 * ORDERED: both in the same order.  Returns the exit status; *err gets stderr. */
static int
deadlock_child(bool ordered, bool third, char **errtext)
{
	char path[] = "/tmp/vnodesim-lk-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		dup2(fd, 2);
		static struct lk_matrix m4, m2;
		GError *err = NULL;
		bool ok = lk_matrix_parse("PR:PR,CR PW: CR:PR,CR,CW CW:CR,CW", 4, pc, &m4, &err) &&
		          lk_matrix_parse("R:R W:", 2, rw, &m2, &err);
		g_assert(ok); /* not the call itself: G_DISABLE_ASSERT would drop it */
		struct sim *s = sim_new(8);
		s->world = lk_world_new();
		s->daemon_iters = 100000;
		struct lk_config vc = {
		    .name = "vnode", .matrix = &m4, .class_names = pc, .cores = 8, .check = true};
		struct lk_config gc = {.name = "getpages",
		                       .matrix = &m2,
		                       .class_names = rw,
		                       .cores = 8,
		                       .check = true};
		int v = sim_lock(s, &vc), g = sim_lock(s, &gc);
		struct op a[] = {
		    {.k = OP_ACQ, .lock = v, .cls = 0, .off = 0, .end = KB, .slot = 0},
		    {.k = OP_AT, .t = 1},
		    {.k = OP_ACQ, .lock = g, .cls = 1, .off = 0, .end = KB, .slot = 1},
		    {.k = OP_REL, .lock = g, .slot = 1},
		    {.k = OP_REL, .lock = v, .slot = 0},
		};
		struct op b[] = {
		    {.k = OP_AT, .t = 0.5},
		    {.k = OP_ACQ, .lock = g, .cls = 1, .off = 0, .end = KB, .slot = 1},
		    {.k = OP_AT, .t = 1.5},
		    {.k = OP_ACQ, .lock = v, .cls = 1, .off = 0, .end = KB, .slot = 0},
		    {.k = OP_REL, .lock = v, .slot = 0},
		    {.k = OP_REL, .lock = g, .slot = 1},
		};
		if (ordered) { /* B takes vnode first too */
			b[1].lock = v, b[1].cls = 1, b[1].slot = 0;
			b[3].lock = g, b[3].slot = 1;
		}
		sim_actor(s, "A", a, G_N_ELEMENTS(a), 0);
		sim_actor(s, "B", b, G_N_ELEMENTS(b), 100);
		if (third) {
			struct op c[] = {{.k = OP_AT, .t = 50}};
			sim_actor(s, "C", c, 1, 200);
		}
		sg_actor_t d = sg_actor_init("syncer", s->host);
		sg_actor_set_data(d, s);
		sg_actor_daemonize(d);
		sg_actor_start(d, daemon_main, 0, NULL);
		engine_run();
		fprintf(stderr, "finished at %g\n", simgrid_get_clock());
		fflush(stderr);
		_exit(0);
	}
	int status;
	ck_assert(waitpid(pid, &status, 0) == pid);
	g_file_get_contents(path, errtext, NULL, NULL);
	close(fd);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(test_deadlock)
{
	char *text = NULL;
	int st = deadlock_child(false, _i == 1, &text);
	ck_assert_msg(st == 3, "exit status %d, stderr: %s", st, text);
	ck_assert_msg(strstr(text, "deadlock: thread A holds vnode [0,inf) PR, waits for getpages "
	                           "[0,inf) W held by B; thread B holds getpages [0,inf) W, waits "
	                           "for vnode [0,inf) PW held by A\n"),
	              "stderr: %s", text);
	ck_assert_msg(!strstr(text, "finished"), "the simulation went on: %s", text);
	g_free(text);
}
END_TEST

START_TEST(test_no_deadlock)
{
	char *text = NULL;
	int st = deadlock_child(true, false, &text);
	ck_assert_msg(st == 0, "exit status %d, stderr: %s", st, text);
	ck_assert_msg(!strstr(text, "deadlock"), "stderr: %s", text);
	g_free(text);
}
END_TEST

Suite *
suite_locks(void)
{
	Suite *s = suite_create("locks");
	TCase *tc = tcase_create("parse");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_matrix_parse, 0, G_N_ELEMENTS(matrix_cases));
	tcase_add_test(tc, test_fair_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_grant_rules, 0, G_N_ELEMENTS(grant_cases));
	tcase_add_loop_test(tc, test_fairness, 0, G_N_ELEMENTS(fair_cases));
	tcase_add_loop_test(tc, test_release_order, 0, 3);
	tcase_add_loop_test(tc, test_rwsem, 0, 4);
	tcase_add_loop_test(tc, test_writer_release, 0, 3);
	tcase_add_test(tc, test_statistics);
	tcase_add_loop_test(tc, test_timeline, 0, 2);
	tcase_add_test(tc, test_cost_list_vs_tree);
	tcase_add_loop_test(tc, test_stress, 0, 3);
	tcase_add_loop_test(tc, test_stress_rwsem, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("deadlock");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_deadlock, 0, 2);
	tcase_add_test(tc, test_no_deadlock);
	suite_add_tcase(s, tc);
	return s;
}

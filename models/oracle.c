/*
 * oracle.c -- the correctness oracle (see oracle.h and DESIGN.md §3.5).
 *
 * Design notes:
 * (1) State is kept only for sectors that were written or filled: per sector, two event
 *     lists, one for the page cache and one for the disk.  An event is a landing at time t of
 *     either a write's version (WRITE), of zeroes (ZERO), of the disk's content at t (FILL,
 *     cache only), or of the cache's content at an earlier snapshot time (WB, disk only).
 *     Contents are resolved after the run, when every event is known: a copy that started
 *     earlier may land later than one recorded after it.
 * (2) "Older" means earlier in a sector's landing order: a version's rank on a sector is the
 *     time its data first landed there (cache or disk); never-written sectors hold version 0,
 *     older than everything.
 * (3) value(cache, s, tau) = the last cache event at or before tau (FILL: value(disk, s, t)),
 *     value(disk, s, tau) = the last disk event at or before tau (WB: value(cache, s, t_snap));
 *     each step moves strictly back in time (t_snap < t), so resolution terminates.
 * (4) A request is counted at most once per counter.
 * (5) Evaluation cost: once a sector's events are sorted, its versions' ranks are kept in two
 *     arrays (by version, for rank(); by rank, for "the latest by T" and "newer than"), so
 *     judging a request costs O(sectors x log versions), not O(sectors x events^2): a run of
 *     a few thousand overlapping 64 KiB requests is judged in well under a second.
 */
#include <glib.h>
#include <math.h>
#include <stdlib.h>

#include "models/oracle.h"

enum ev_kind { EV_WRITE, EV_ZERO, EV_FILL, EV_WB };

/* Landing times are computed (t + (i+1) d / n with t = t_done - d): the last sector's may
 * exceed the request's completion time by a rounding error.  Comparisons of a landing with a
 * completion allow this much (far below any modelled duration). */
#define OR_EPS 1e-12

struct ev {
	double t;
	double tref; /* EV_WB: the snapshot time */
	uint32_t v;  /* EV_WRITE: the version */
	uint32_t seq;
	uint8_t kind;
};

struct rk {
	uint32_t v;
	double t; /* the first landing of version v on the sector (note 2) */
};

struct sector {
	GArray *ev[2]; /* OR_CACHE, OR_DISK; struct ev */
	bool sorted;
	GArray *by_v, *by_t; /* struct rk, sorted by v / by (t, v); valid while sorted (note 5) */
};

struct wreq {
	unsigned file;
	uint64_t s0;
	uint32_t n;
	double t_issue, t_done;
	bool posix, done;
	void *job;
};

struct copy {
	uint64_t s0;
	uint32_t n;
	uint8_t where;
	double t, d;
};

struct rreq {
	unsigned file;
	uint64_t s0;
	uint32_t n;
	double t_issue, t_done;
	bool posix;
	void *job;
	GArray *copies; /* struct copy */
};

struct creq {
	unsigned file;
	uint64_t s0;
	uint32_t n;
	double t_issue, t_done;
	void *job;
};

struct oracle {
	GHashTable *sectors; /* key (file << 44 | sector) -> struct sector */
	GArray *writes;      /* struct wreq, index = version - 1 */
	GArray *reads;       /* struct rreq */
	GArray *conc;        /* struct creq */
	uint32_t seq;
};

static uint64_t
skey(unsigned file, uint64_t s)
{
	return ((uint64_t)file << 44) | s;
}

static void
sector_free(gpointer p)
{
	struct sector *s = p;
	for (int w = 0; w < 2; w++)
		if (s->ev[w])
			g_array_free(s->ev[w], TRUE);
	if (s->by_v)
		g_array_free(s->by_v, TRUE);
	if (s->by_t)
		g_array_free(s->by_t, TRUE);
	g_free(s);
}

struct oracle *
or_new(void)
{
	struct oracle *o = g_new0(struct oracle, 1);
	o->sectors = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, sector_free);
	o->writes = g_array_new(FALSE, FALSE, sizeof(struct wreq));
	o->reads = g_array_new(FALSE, FALSE, sizeof(struct rreq));
	o->conc = g_array_new(FALSE, FALSE, sizeof(struct creq));
	return o;
}

void
or_free(struct oracle *o)
{
	if (!o)
		return;
	g_hash_table_destroy(o->sectors);
	for (guint i = 0; i < o->reads->len; i++)
		g_array_free(g_array_index(o->reads, struct rreq, i).copies, TRUE);
	g_array_free(o->writes, TRUE);
	g_array_free(o->reads, TRUE);
	g_array_free(o->conc, TRUE);
	g_free(o);
}

static struct sector *
sector_get(struct oracle *o, unsigned file, uint64_t s)
{
	uint64_t k = skey(file, s);
	struct sector *sec = g_hash_table_lookup(o->sectors, &k);
	if (!sec) {
		uint64_t *kp = g_new(uint64_t, 1);
		*kp = k;
		sec = g_new0(struct sector, 1);
		g_hash_table_insert(o->sectors, kp, sec);
	}
	return sec;
}

static void
add_events(struct oracle *o, enum or_where where, unsigned file, uint64_t s0, uint32_t n,
           struct ev proto, double t, double d)
{
	for (uint32_t i = 0; i < n; i++) {
		struct sector *sec = sector_get(o, file, s0 + i);
		if (!sec->ev[where])
			sec->ev[where] = g_array_new(FALSE, FALSE, sizeof(struct ev));
		struct ev e = proto;
		e.t = t + (double)(i + 1) * d / (double)n;
		e.seq = o->seq++;
		g_array_append_val(sec->ev[where], e);
		sec->sorted = false;
	}
}

uint32_t
or_write_new(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_issue, bool posix,
             void *job)
{
	struct wreq w = {file, s0, n, t_issue, 0, posix, false, job};
	g_array_append_val(o->writes, w);
	return o->writes->len;
}

void
or_write_done(struct oracle *o, uint32_t w, double t_done)
{
	struct wreq *x = &g_array_index(o->writes, struct wreq, w - 1);
	x->t_done = t_done;
	x->done = true;
}

uint32_t
or_read_new(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_issue, bool posix,
            void *job)
{
	struct rreq r = {file, s0,    n,   t_issue,
	                 0,    posix, job, g_array_new(FALSE, FALSE, sizeof(struct copy))};
	g_array_append_val(o->reads, r);
	return o->reads->len - 1;
}

void
or_read_done(struct oracle *o, uint32_t r, double t_done)
{
	g_array_index(o->reads, struct rreq, r).t_done = t_done;
}

void
or_land(struct oracle *o, enum or_where where, unsigned file, uint64_t s0, uint32_t n, uint32_t w,
        double t, double d)
{
	add_events(o, where, file, s0, n, (struct ev){.kind = EV_WRITE, .v = w}, t, d);
}

void
or_fill(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t, double d, bool zero)
{
	add_events(o, OR_CACHE, file, s0, n, (struct ev){.kind = zero ? EV_ZERO : EV_FILL}, t, d);
}

void
or_writeback(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_snap, double t,
             double d)
{
	add_events(o, OR_DISK, file, s0, n, (struct ev){.kind = EV_WB, .tref = t_snap}, t, d);
}

void
or_read_copy(struct oracle *o, uint32_t r, enum or_where where, uint64_t s0, uint32_t n, double t,
             double d)
{
	struct copy c = {s0, n, (uint8_t)where, t, d};
	g_array_append_val(g_array_index(o->reads, struct rreq, r).copies, c);
}

void
or_concurrent(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_issue,
              double t_done, void *job)
{
	struct creq c = {file, s0, n, t_issue, t_done, job};
	g_array_append_val(o->conc, c);
}

/* ---- evaluation ---- */

static int
ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int
rk_cmp_v(const void *a, const void *b)
{
	const struct rk *x = a, *y = b;
	return (x->v > y->v) - (x->v < y->v);
}

static int
rk_cmp_t(const void *a, const void *b)
{
	const struct rk *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return rk_cmp_v(a, b);
}

/* Sort the events and compute the ranks of the sector's versions (note 5). */
static void
sector_sort(struct sector *s)
{
	if (s->sorted)
		return;
	if (!s->by_v) {
		s->by_v = g_array_new(FALSE, FALSE, sizeof(struct rk));
		s->by_t = g_array_new(FALSE, FALSE, sizeof(struct rk));
	}
	g_array_set_size(s->by_v, 0);
	for (int w = 0; w < 2; w++) {
		if (!s->ev[w])
			continue;
		qsort(s->ev[w]->data, s->ev[w]->len, sizeof(struct ev), ev_cmp);
		for (guint i = 0; i < s->ev[w]->len; i++) {
			const struct ev *e = &g_array_index(s->ev[w], struct ev, i);
			if (e->kind == EV_WRITE) {
				struct rk r = {e->v, e->t};
				g_array_append_val(s->by_v, r);
			}
		}
	}
	/* keep the earliest landing of each version */
	g_array_sort(s->by_v, rk_cmp_t);
	GHashTable *seen = g_hash_table_new(NULL, NULL);
	guint n = 0;
	for (guint i = 0; i < s->by_v->len; i++) {
		struct rk r = g_array_index(s->by_v, struct rk, i);
		if (g_hash_table_add(seen, GUINT_TO_POINTER(r.v)))
			g_array_index(s->by_v, struct rk, n++) = r;
	}
	g_hash_table_destroy(seen);
	g_array_set_size(s->by_v, n);
	g_array_set_size(s->by_t, 0);
	g_array_append_vals(s->by_t, s->by_v->data, n); /* already by (t, v) */
	g_array_sort(s->by_v, rk_cmp_v);
	s->sorted = true;
}

/* The last event of LIST at or before TAU, or NULL. */
static const struct ev *
last_before(const GArray *list, double tau)
{
	if (!list || list->len == 0)
		return NULL;
	const struct ev *e = (const struct ev *)list->data;
	guint lo = 0, hi = list->len; /* first index with t > tau */
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		if (e[mid].t <= tau)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &e[lo - 1] : NULL;
}

/* note 3 */
static uint32_t
value_at(struct sector *s, enum or_where where, double tau)
{
	for (int depth = 0; s && depth < 1000; depth++) {
		sector_sort(s);
		const struct ev *e = last_before(s->ev[where], tau);
		if (!e)
			return 0;
		switch (e->kind) {
		case EV_WRITE:
			return e->v;
		case EV_ZERO:
			return 0;
		case EV_FILL:
			where = OR_DISK;
			tau = e->t;
			break;
		default: /* EV_WB */
			where = OR_CACHE;
			tau = e->tref;
			break;
		}
	}
	return 0;
}

/* note 2: the time version V first landed on S; -inf for 0, +inf if it never did. */
static double
rank(struct sector *s, uint32_t v)
{
	if (v == 0)
		return -INFINITY;
	if (!s)
		return INFINITY;
	sector_sort(s);
	const struct rk *a = (const struct rk *)s->by_v->data;
	guint lo = 0, hi = s->by_v->len;
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		if (a[mid].v < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->by_v->len && a[lo].v == v ? a[lo].t : INFINITY;
}

static struct sector *
lookup(struct oracle *o, unsigned file, uint64_t s)
{
	uint64_t k = skey(file, s);
	return g_hash_table_lookup(o->sectors, &k);
}

static const struct wreq *
wr(const struct oracle *o, uint32_t v)
{
	return &g_array_index(o->writes, struct wreq, v - 1);
}

static void
judge_read(struct oracle *o, const struct rreq *r, bool *torn, bool *stale)
{
	uint32_t *seen = g_new0(uint32_t, r->n);
	bool *have = g_new0(bool, r->n);
	for (guint c = 0; c < r->copies->len; c++) {
		const struct copy *cp = &g_array_index(r->copies, struct copy, c);
		for (uint32_t i = 0; i < cp->n; i++) {
			uint64_t s = cp->s0 + i;
			if (s < r->s0 || s >= r->s0 + r->n)
				continue;
			double tau = cp->t + (double)(i + 1) * cp->d / (double)cp->n;
			seen[s - r->s0] = value_at(lookup(o, r->file, s), cp->where, tau);
			have[s - r->s0] = true;
		}
	}
	*torn = *stale = false;
	for (uint32_t i = 0; i < r->n && !*stale; i++) {
		struct sector *sec = lookup(o, r->file, r->s0 + i);
		if (!have[i] || !sec)
			continue;
		sector_sort(sec);
		double rs = rank(sec, seen[i]);
		/* the versions newer than the one seen are a suffix of by_t */
		for (guint k = sec->by_t->len; k-- > 0 && !*stale;) {
			const struct rk *e = &g_array_index(sec->by_t, struct rk, k);
			if (e->t <= rs)
				break;
			const struct wreq *x = wr(o, e->v);
			*stale = x->done && x->t_done < r->t_issue;
		}
	}
	if (r->posix) {
		for (uint32_t i = 0; i < r->n && !*torn; i++) {
			uint32_t W = seen[i];
			if (!have[i] || W == 0 || !wr(o, W)->posix)
				continue;
			const struct wreq *x = wr(o, W);
			for (uint64_t s = x->s0; s < x->s0 + x->n && !*torn; s++) {
				if (s < r->s0 || s >= r->s0 + r->n || !have[s - r->s0])
					continue;
				uint32_t v = seen[s - r->s0];
				struct sector *sec = lookup(o, r->file, s);
				if (v != W && rank(sec, v) < rank(sec, W))
					*torn = true;
			}
		}
	}
	g_free(seen);
	g_free(have);
}

/* The latest version to land on S at or before T (either place), by first landing: the
 * versions with an event at or before T are those whose rank is at or before T. */
static uint32_t
latest_by(struct sector *s, double T)
{
	if (!s)
		return 0;
	sector_sort(s);
	const struct rk *a = (const struct rk *)s->by_t->data;
	guint lo = 0, hi = s->by_t->len; /* first index with t > T */
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		if (a[mid].t <= T)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? a[lo - 1].v : 0;
}

static int
creq_cmp(const void *a, const void *b)
{
	const struct creq *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return (x->s0 > y->s0) - (x->s0 < y->s0);
}

void
or_evaluate(struct oracle *o, void (*count)(void *ctx, void *job, enum or_kind k), void *ctx,
            struct or_totals *tot)
{
	*tot = (struct or_totals){.writes = o->writes->len,
	                          .reads = o->reads->len,
	                          .sectors_tracked = g_hash_table_size(o->sectors)};
	/* reads */
	for (guint i = 0; i < o->reads->len; i++) {
		const struct rreq *r = &g_array_index(o->reads, struct rreq, i);
		bool torn, stale;
		judge_read(o, r, &torn, &stale);
		if (torn) {
			tot->torn_reads++;
			count(ctx, r->job, OR_TORN_READ);
		}
		if (stale) {
			tot->stale_reads++;
			count(ctx, r->job, OR_STALE_READ);
		}
	}
	/* torn writes: B the later to complete, A any POSIX write holding some shared sector */
	guint nw = o->writes->len;
	bool *torn = g_new0(bool, nw + 1);
	bool *lost = g_new0(bool, nw + 1);
	for (uint32_t b = 1; b <= nw; b++) {
		const struct wreq *B = wr(o, b);
		if (!B->posix || !B->done)
			continue;
		uint32_t *c = g_new(uint32_t, B->n);
		for (uint32_t i = 0; i < B->n; i++)
			c[i] = latest_by(lookup(o, B->file, B->s0 + i), B->t_done + OR_EPS);
		for (uint32_t i = 0; i < B->n; i++) {
			uint32_t a = c[i];
			if (a == 0 || a == b || !wr(o, a)->posix || !wr(o, a)->done ||
			    wr(o, a)->t_done > B->t_done)
				continue;
			const struct wreq *A = wr(o, a);
			for (uint32_t j = 0; j < B->n; j++) {
				uint64_t s = B->s0 + j;
				if (c[j] == b && s >= A->s0 && s < A->s0 + A->n) {
					torn[a] = torn[b] = true;
					break;
				}
			}
		}
		g_free(c);
	}
	/* lost writes: the disk's final content of each sector */
	GHashTableIter it;
	gpointer kp, vp;
	g_hash_table_iter_init(&it, o->sectors);
	while (g_hash_table_iter_next(&it, &kp, &vp)) {
		struct sector *sec = vp;
		sector_sort(sec);
		/* the last completed write to this sector */
		uint32_t last = 0;
		for (int w = 0; w < 2; w++)
			for (guint i = 0; sec->ev[w] && i < sec->ev[w]->len; i++) {
				const struct ev *e = &g_array_index(sec->ev[w], struct ev, i);
				if (e->kind != EV_WRITE || !wr(o, e->v)->done)
					continue;
				if (!last || wr(o, e->v)->t_done > wr(o, last)->t_done)
					last = e->v;
			}
		if (!last)
			continue;
		uint32_t d = value_at(sec, OR_DISK, INFINITY);
		const struct wreq *L = wr(o, last);
		bool ok = d == last || (d != 0 && wr(o, d)->t_issue < L->t_done &&
		                        wr(o, d)->t_done > L->t_issue);
		if (!ok)
			lost[last] = true;
	}
	for (uint32_t w = 1; w <= nw; w++) {
		if (torn[w]) {
			tot->torn_writes++;
			count(ctx, wr(o, w)->job, OR_TORN_WRITE);
		}
		if (lost[w]) {
			tot->lost_writes++;
			count(ctx, wr(o, w)->job, OR_LOST_WRITE);
		}
	}
	g_free(torn);
	g_free(lost);
	/* concurrent-class requests that overlapped in space and time */
	qsort(o->conc->data, o->conc->len, sizeof(struct creq), creq_cmp);
	bool *hit = g_new0(bool, o->conc->len + 1);
	for (guint i = 0; i < o->conc->len; i++) {
		const struct creq *x = &g_array_index(o->conc, struct creq, i);
		for (guint j = i + 1; j < o->conc->len; j++) {
			const struct creq *y = &g_array_index(o->conc, struct creq, j);
			if (y->file != x->file || y->s0 >= x->s0 + x->n)
				break;
			if (y->t_issue < x->t_done && x->t_issue < y->t_done)
				hit[i] = hit[j] = true;
		}
	}
	for (guint i = 0; i < o->conc->len; i++)
		if (hit[i]) {
			tot->conc_overlaps++;
			count(ctx, g_array_index(o->conc, struct creq, i).job, OR_CONC_OVERLAP);
		}
	g_free(hit);
}

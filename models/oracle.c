/*
 * oracle.c -- the correctness oracle (see oracle.h and DESIGN.md §3.5).
 *
 * Design notes:
 * (1) State is kept only for sectors that were written or filled: per sector, two event
 *     lists, one for the page cache and one for the disk (note 6).  An event is a landing at
 *     time t of either a write's version (WRITE), of zeroes (ZERO), of the disk's content at
 *     t (FILL, cache only), or of the cache's content at an earlier snapshot time (WB, disk
 *     only).  Contents are resolved after the run, when every event is known: a copy that
 *     started earlier may land later than one recorded after it.
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
 * (6) Storage: nothing is allocated per sector or per event.  During the run events are
 *     appended to one array (24 bytes each) and sectors to another, by groups of 8 (a page:
 *     one lookup for 8 sectors), found through an open-addressing table keyed on (file,
 *     group); a sector of a group with no event counts as absent.  A read's copies are a
 *     list threaded through one array.  or_evaluate lays each sector's events out
 *     contiguously (a counting sort by sector, then a sort of each sector's few events by
 *     place, time and recording order) and builds every sector's rank arrays as slices of
 *     two arrays, then frees them.
 */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/oracle.h"

enum ev_kind { EV_WRITE, EV_ZERO, EV_FILL, EV_WB };

/* Landing times are computed (t + (i+1) d / n with t = t_done - d): the last sector's may
 * exceed the request's completion time by a rounding error.  Comparisons of a landing with a
 * completion allow this much (far below any modelled duration). */
#define OR_EPS 1e-12

struct ev {
	double t;
	union {
		double tref; /* EV_WB: the snapshot time */
		uint32_t v;  /* EV_WRITE: the version */
	} u;
	uint32_t sec; /* index in o->sec */
	uint8_t kind;
	uint8_t where;
};

struct rk {
	uint32_t v;
	double t; /* the first landing of version v on the sector (note 2) */
};

/* A sector (note 6): its events and ranks are slices of the arrays or_evaluate builds. */
struct sector {
	uint32_t nev;         /* events recorded (0: none, as if absent) */
	uint32_t ev0, ncache; /* evaluation: cache events [ev0, +ncache), then the disk's */
	uint32_t rk0, nrk;    /* evaluation: ranks [rk0, +nrk) of by_v and of by_t */
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
	uint32_t next; /* the read's next copy + 1, or 0 */
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
	uint32_t first, last; /* its copies, in recording order: index + 1, or 0 */
};

struct creq {
	unsigned file;
	uint64_t s0;
	uint32_t n;
	double t_issue, t_done;
	void *job;
};

struct slot {
	uint64_t gkey; /* (file << 44 | sector) / OR_GROUP */
	uint32_t idx1; /* index + 1 of the group's first sector; 0: empty */
};

/* A growable array of fixed-size records (realloc; no per-record allocation). */
struct vec {
	void *data;
	size_t len, cap, size;
};

struct oracle {
	struct vec ev;     /* struct ev, in recording order */
	struct vec sec;    /* struct sector */
	struct slot *slot; /* open addressing on the key (linear probing) */
	size_t nslot;      /* a power of two, at least twice the sectors */
	struct vec copies; /* struct copy */
	GArray *writes;    /* struct wreq, index = version - 1 */
	GArray *reads;     /* struct rreq */
	GArray *conc;      /* struct creq */
	/* evaluation only (note 6) */
	struct rk *by_v, *by_t;
};

static void *
vec_push(struct vec *v)
{
	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1024;
		v->data = g_realloc(v->data, v->cap * v->size);
	}
	return (char *)v->data + v->len++ * v->size;
}

#define VEC_AT(v, type, i) (&((type *)(v).data)[i])

static uint64_t
skey(unsigned file, uint64_t s)
{
	return ((uint64_t)file << 44) | s;
}

#define OR_GROUP 8 /* sectors recorded together: a 4 KiB page */

static inline size_t
slot_of(const struct oracle *o, uint64_t gkey)
{
	return (size_t)((gkey * 0x9E3779B97F4A7C15ull) >> 20) & (o->nslot - 1);
}

static void
slots_grow(struct oracle *o)
{
	struct slot *old = o->slot;
	size_t nold = o->nslot;
	o->nslot = o->nslot ? o->nslot * 2 : 4096;
	o->slot = g_new0(struct slot, o->nslot);
	for (size_t i = 0; i < nold; i++) {
		if (!old[i].idx1)
			continue;
		size_t h = slot_of(o, old[i].gkey);
		while (o->slot[h].idx1)
			h = (h + 1) & (o->nslot - 1);
		o->slot[h] = old[i];
	}
	g_free(old);
}

/* The index of the first sector of the group holding FILE's sector S, or -1. */
static int64_t
group_find(const struct oracle *o, unsigned file, uint64_t s)
{
	if (!o->nslot)
		return -1;
	uint64_t g = skey(file, s) / OR_GROUP;
	for (size_t h = slot_of(o, g); o->slot[h].idx1; h = (h + 1) & (o->nslot - 1))
		if (o->slot[h].gkey == g)
			return o->slot[h].idx1 - 1;
	return -1;
}

/* The index of FILE's sector S, or -1 when nothing was recorded on it. */
static int64_t
sector_find(const struct oracle *o, unsigned file, uint64_t s)
{
	int64_t i = group_find(o, file, s);
	if (i < 0)
		return -1;
	i += (int64_t)(s % OR_GROUP);
	return VEC_AT(o->sec, struct sector, i)->nev ? i : -1;
}

/* The index of the first sector of the group holding FILE's sector S, created if need be. */
static uint32_t
group_get(struct oracle *o, unsigned file, uint64_t s)
{
	int64_t i = group_find(o, file, s);
	if (i >= 0)
		return (uint32_t)i;
	uint64_t g = skey(file, s) / OR_GROUP;
	if (2 * (o->sec.len / OR_GROUP + 1) > o->nslot)
		slots_grow(o);
	size_t h = slot_of(o, g);
	while (o->slot[h].idx1)
		h = (h + 1) & (o->nslot - 1);
	o->slot[h] = (struct slot){g, (uint32_t)o->sec.len + 1};
	for (int k = 0; k < OR_GROUP; k++)
		*(struct sector *)vec_push(&o->sec) = (struct sector){0};
	return (uint32_t)(o->sec.len - OR_GROUP);
}

struct oracle *
or_new(void)
{
	struct oracle *o = g_new0(struct oracle, 1);
	o->ev.size = sizeof(struct ev);
	o->sec.size = sizeof(struct sector);
	o->copies.size = sizeof(struct copy);
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
	g_free(o->ev.data);
	g_free(o->sec.data);
	g_free(o->slot);
	g_free(o->copies.data);
	g_array_free(o->writes, TRUE);
	g_array_free(o->reads, TRUE);
	g_array_free(o->conc, TRUE);
	g_free(o);
}

static void
add_events(struct oracle *o, enum or_where where, unsigned file, uint64_t s0, uint32_t n,
           struct ev proto, double t, double d)
{
	uint32_t g = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t s = s0 + i;
		if (i == 0 || s % OR_GROUP == 0)
			g = group_get(o, file, s);
		uint32_t si = g + (uint32_t)(s % OR_GROUP);
		VEC_AT(o->sec, struct sector, si)->nev++;
		struct ev *e = vec_push(&o->ev);
		*e = proto;
		e->t = t + (double)(i + 1) * d / (double)n;
		e->sec = si;
		e->where = (uint8_t)where;
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
	struct rreq r = {file, s0, n, t_issue, 0, posix, job, 0, 0};
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
	add_events(o, where, file, s0, n, (struct ev){.kind = EV_WRITE, .u.v = w}, t, d);
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
	add_events(o, OR_DISK, file, s0, n, (struct ev){.kind = EV_WB, .u.tref = t_snap}, t, d);
}

void
or_read_copy(struct oracle *o, uint32_t r, enum or_where where, uint64_t s0, uint32_t n, double t,
             double d)
{
	struct copy *c = vec_push(&o->copies);
	*c = (struct copy){s0, n, 0, (uint8_t)where, t, d};
	uint32_t ci = (uint32_t)o->copies.len; /* index + 1 */
	struct rreq *rq = &g_array_index(o->reads, struct rreq, r);
	if (rq->last)
		VEC_AT(o->copies, struct copy, rq->last - 1)->next = ci;
	else
		rq->first = ci;
	rq->last = ci;
}

void
or_concurrent(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_issue,
              double t_done, void *job)
{
	struct creq c = {file, s0, n, t_issue, t_done, job};
	g_array_append_val(o->conc, c);
}

/* ---- evaluation ---- */

static inline bool
ev_less(const struct ev *x, const struct ev *y)
{
	return x->where < y->where || (x->where == y->where && x->t < y->t);
}

static gint
ev_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	const struct ev *x = a, *y = b;
	return ev_less(x, y) ? -1 : ev_less(y, x);
}

/* Sort a sector's events by (place, time), stably: equal times keep recording order. */
static void
ev_sort(struct ev *e, uint32_t n)
{
	if (n > 16) {
		g_qsort_with_data(e, (gint)n, sizeof *e, ev_cmp, NULL); /* stable (GLib >= 2.32) */
		return;
	}
	for (uint32_t i = 1; i < n; i++) {
		struct ev x = e[i];
		uint32_t j = i;
		for (; j > 0 && ev_less(&x, &e[j - 1]); j--)
			e[j] = e[j - 1];
		e[j] = x;
	}
}

static int
rk_cmp_v(const void *a, const void *b)
{
	const struct rk *x = a, *y = b;
	return (x->v > y->v) - (x->v < y->v);
}

static int
rk_cmp_vt(const void *a, const void *b)
{
	const struct rk *x = a, *y = b;
	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

static int
rk_cmp_t(const void *a, const void *b)
{
	const struct rk *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return rk_cmp_v(a, b);
}

/* Lay every sector's events out contiguously, sorted (cache then disk, each by time, then
 * recording order), and compute the ranks of its versions (notes 5, 6). */
static void
prepare(struct oracle *o)
{
	size_t ns = o->sec.len, ne = o->ev.len;
	struct sector *sec = o->sec.data;
	g_free(o->by_v);
	g_free(o->by_t);
	struct ev *sorted = g_new(struct ev, ne ? ne : 1);
	size_t nw = 0;
	uint32_t at = 0;
	for (size_t i = 0; i < ns; i++) {
		sec[i].ev0 = at;
		sec[i].ncache = 0;
		at += sec[i].nev;
	}
	for (size_t i = 0; i < ne; i++) { /* a counting sort by sector keeps recording order */
		const struct ev *e = VEC_AT(o->ev, struct ev, i);
		struct sector *s = &sec[e->sec];
		sorted[s->ev0 + s->ncache++] = *e; /* ncache: a cursor for now */
		nw += e->kind == EV_WRITE;
	}
	/* the events stay in sector order (a later evaluation sorts them again, stably) */
	g_free(o->ev.data);
	o->ev.data = sorted;
	o->ev.cap = ne;
	o->by_v = g_new(struct rk, nw ? nw : 1);
	o->by_t = g_new(struct rk, nw ? nw : 1);
	uint32_t rat = 0;
	for (size_t i = 0; i < ns; i++) {
		struct sector *s = &sec[i];
		struct ev *e = (struct ev *)o->ev.data + s->ev0;
		ev_sort(e, s->nev);
		s->ncache = 0;
		while (s->ncache < s->nev && e[s->ncache].where == OR_CACHE)
			s->ncache++;
		/* each version's earliest landing on the sector, either place */
		struct rk *v = o->by_v + rat;
		uint32_t n = 0;
		for (uint32_t k = 0; k < s->nev; k++)
			if (e[k].kind == EV_WRITE)
				v[n++] = (struct rk){e[k].u.v, e[k].t};
		if (n > 1) {
			qsort(v, n, sizeof *v, rk_cmp_vt);
			uint32_t m = 1;
			for (uint32_t k = 1; k < n; k++)
				if (v[k].v != v[m - 1].v)
					v[m++] = v[k];
			n = m;
		}
		if (n) /* an empty run may sit at a NULL array: memcpy wants non-NULL pointers */
			memcpy(o->by_t + rat, v, n * sizeof *v);
		if (n > 1)
			qsort(o->by_t + rat, n, sizeof *v, rk_cmp_t);
		s->rk0 = rat;
		s->nrk = n;
		rat += n;
	}
}

/* The events of S in WHERE (sorted by time), *N of them. */
static const struct ev *
events(const struct oracle *o, const struct sector *s, enum or_where where, uint32_t *n)
{
	*n = where == OR_CACHE ? s->ncache : s->nev - s->ncache;
	return (const struct ev *)o->ev.data + s->ev0 + (where == OR_CACHE ? 0 : s->ncache);
}

/* The last of the N events E (sorted by time) at or before TAU, or NULL. */
static const struct ev *
last_before(const struct ev *e, uint32_t n, double tau)
{
	uint32_t lo = 0, hi = n; /* first index with t > tau */
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (e[mid].t <= tau)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &e[lo - 1] : NULL;
}

/* note 3 */
static uint32_t
value_at(const struct oracle *o, const struct sector *s, enum or_where where, double tau)
{
	for (int depth = 0; s && depth < 1000; depth++) {
		uint32_t n;
		const struct ev *list = events(o, s, where, &n);
		const struct ev *e = last_before(list, n, tau);
		if (!e)
			return 0;
		switch (e->kind) {
		case EV_WRITE:
			return e->u.v;
		case EV_ZERO:
			return 0;
		case EV_FILL:
			where = OR_DISK;
			tau = e->t;
			break;
		default: /* EV_WB */
			where = OR_CACHE;
			tau = e->u.tref;
			break;
		}
	}
	return 0;
}

/* note 2: the time version V first landed on S; -inf for 0, +inf if it never did. */
static double
rank(const struct oracle *o, const struct sector *s, uint32_t v)
{
	if (v == 0)
		return -INFINITY;
	if (!s)
		return INFINITY;
	const struct rk *a = o->by_v + s->rk0;
	uint32_t lo = 0, hi = s->nrk;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (a[mid].v < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nrk && a[lo].v == v ? a[lo].t : INFINITY;
}

static const struct sector *
lookup(const struct oracle *o, unsigned file, uint64_t s)
{
	int64_t i = sector_find(o, file, s);
	return i < 0 ? NULL : VEC_AT(o->sec, struct sector, i);
}

static const struct wreq *
wr(const struct oracle *o, uint32_t v)
{
	return &g_array_index(o->writes, struct wreq, v - 1);
}

/* SEEN and HAVE: scratch of at least r->n entries. */
static void
judge_read(struct oracle *o, const struct rreq *r, uint32_t *seen, bool *have, bool *torn,
           bool *stale)
{
	memset(seen, 0, r->n * sizeof *seen);
	memset(have, 0, r->n * sizeof *have);
	for (uint32_t c = r->first; c; c = VEC_AT(o->copies, struct copy, c - 1)->next) {
		const struct copy *cp = VEC_AT(o->copies, struct copy, c - 1);
		for (uint32_t i = 0; i < cp->n; i++) {
			uint64_t s = cp->s0 + i;
			if (s < r->s0 || s >= r->s0 + r->n)
				continue;
			double tau = cp->t + (double)(i + 1) * cp->d / (double)cp->n;
			seen[s - r->s0] = value_at(o, lookup(o, r->file, s), cp->where, tau);
			have[s - r->s0] = true;
		}
	}
	*torn = *stale = false;
	for (uint32_t i = 0; i < r->n && !*stale; i++) {
		const struct sector *sec = lookup(o, r->file, r->s0 + i);
		if (!have[i] || !sec)
			continue;
		double rs = rank(o, sec, seen[i]);
		/* the versions newer than the one seen are a suffix of by_t */
		for (uint32_t k = sec->nrk; k-- > 0 && !*stale;) {
			const struct rk *e = &o->by_t[sec->rk0 + k];
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
				const struct sector *sec = lookup(o, r->file, s);
				if (v != W && rank(o, sec, v) < rank(o, sec, W))
					*torn = true;
			}
		}
	}
}

/* The latest version to land on S at or before T (either place), by first landing: the
 * versions with an event at or before T are those whose rank is at or before T. */
static uint32_t
latest_by(const struct oracle *o, const struct sector *s, double T)
{
	if (!s)
		return 0;
	const struct rk *a = o->by_t + s->rk0;
	uint32_t lo = 0, hi = s->nrk; /* first index with t > T */
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
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
	*tot = (struct or_totals){
	    .writes = o->writes->len, .reads = o->reads->len, .sectors_tracked = 0};
	prepare(o);
	for (size_t i = 0; i < o->sec.len; i++)
		tot->sectors_tracked += VEC_AT(o->sec, struct sector, i)->nev > 0;
	/* reads */
	uint32_t nscratch = 0, *seen = NULL;
	bool *have = NULL;
	for (guint i = 0; i < o->reads->len; i++) {
		const struct rreq *r = &g_array_index(o->reads, struct rreq, i);
		bool torn, stale;
		if (r->n > nscratch) {
			nscratch = r->n;
			seen = g_renew(uint32_t, seen, nscratch);
			have = g_renew(bool, have, nscratch);
		}
		judge_read(o, r, seen, have, &torn, &stale);
		if (torn) {
			tot->torn_reads++;
			count(ctx, r->job, OR_TORN_READ);
		}
		if (stale) {
			tot->stale_reads++;
			count(ctx, r->job, OR_STALE_READ);
		}
	}
	g_free(seen);
	g_free(have);
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
			c[i] = latest_by(o, lookup(o, B->file, B->s0 + i), B->t_done + OR_EPS);
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
	for (size_t si = 0; si < o->sec.len; si++) {
		const struct sector *sec = VEC_AT(o->sec, struct sector, si);
		/* the last completed write to this sector (cache events first, then the disk's,
		 * each in time order: the first of equal completion times wins) */
		uint32_t last = 0;
		const struct ev *e = (const struct ev *)o->ev.data + sec->ev0;
		for (uint32_t i = 0; i < sec->nev; i++) {
			if (e[i].kind != EV_WRITE || !wr(o, e[i].u.v)->done)
				continue;
			if (!last || wr(o, e[i].u.v)->t_done > wr(o, last)->t_done)
				last = e[i].u.v;
		}
		if (!last)
			continue;
		uint32_t d = value_at(o, sec, OR_DISK, INFINITY);
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
	if (o->conc->len > 1)
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
	g_free(o->by_v);
	g_free(o->by_t);
	o->by_v = o->by_t = NULL;
}

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
 * (5) Evaluation cost: once a sector's events are sorted, its versions' ranks are kept in
 *     first-landing order (for "the latest by T" and "newer than") with a permutation into
 *     them by version (for rank()), so judging a request costs O(sectors x log versions), not
 *     O(sectors x events^2): a run of a few thousand overlapping 64 KiB requests is judged in
 *     well under a second.  A request's sectors are looked up once per group (note 6); a
 *     read that touched no recorded sector saw version 0 everywhere and is not looked at
 *     further.
 * (6) Storage: nothing is allocated per sector or per event during the run.  Each landing
 *     call (or_land, or_fill, or_writeback) is one 48-byte record, whatever its length (a
 *     direct 8 KiB write: one record, not 16 sector events); requests and copies are
 *     records too, all appended to growable arrays.  or_evaluate expands the landings into
 *     sector events, computing sector i's time t + (i+1) d / n exactly as oracle.h's rule
 *     says.  Sectors are numbered by groups of 8 (a page: one lookup for 8 sectors)
 *     in recording order, found through an open-addressing table keyed on (file, group); a
 *     sector of a group with no event counts as absent.  Each sector's events (16 bytes)
 *     are laid out contiguously (a counting sort by sector keeps recording order, then a
 *     stable sort of each sector's few events by place and time); its ranks are slices of
 *     three arrays, except for a sector whose only event is a write, whose rank is that
 *     event (nothing stored); the sector array (12 bytes a sector) ends with a sentinel,
 *     so a sector's event and rank counts are differences with the next one's starts.
 *     All of that is freed before the concurrent-class pass, which orders an index of
 *     those requests by (file, first sector), equal keys in recording order (a stable LSD
 *     radix sort: the order a stable comparison sort gives).  A read's copies are a list
 *     threaded through one array.
 */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/log.h>

#include "models/env.h"
#include "models/oracle.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_oracle, vnodesim, "correctness oracle: every verdict");

enum ev_kind { EV_WRITE, EV_ZERO, EV_FILL, EV_WB };

/* Landing times are computed (t + (i+1) d / n with t = t_done - d): the last sector's may
 * exceed the request's completion time by a rounding error.  Comparisons of a landing with a
 * completion allow this much (far below any modelled duration). */
#define OR_EPS 1e-12

/* A landing call: sectors [s0, s0 + n) of FILE over [t, t + d] (note 6). */
struct land {
	uint64_t s0;
	double t, d;
	union {
		double tref; /* EV_WB: the snapshot time */
		uint32_t v;  /* EV_WRITE: the version */
	} u;
	unsigned file;
	uint32_t n;
	uint8_t kind;
	uint8_t where;
};

_Static_assert(sizeof(struct land) == 48, "note 6");

/* An event of one sector (evaluation only). */
struct ev {
	double t;
	uint32_t x; /* EV_WRITE: the version; EV_WB: its landing (the snapshot time) */
	uint8_t kind;
	uint8_t where;
};

/* A sector (note 6): its events are [ev0, next ev0) of o->ev, the cache's first; its
 * stored ranks are [rk0, next rk0) of rk_v/rk_t (by first landing) and of rk_perm (by
 * version); a sector whose only event is a write stores none (see ranks_of). */
struct sector {
	uint32_t ev0, ncache, rk0;
};
_Static_assert(sizeof(struct ev) == 16 && sizeof(struct sector) == 12, "note 6");

struct wreq {
	unsigned file;
	uint32_t n;
	uint64_t s0;
	double t_issue, t_done;
	uint64_t req;
	uint32_t tag;
	bool posix, done;
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
	uint32_t n;
	uint64_t s0;
	double t_issue, t_done;
	uint64_t req;
	uint32_t tag;
	uint32_t first, last; /* its copies, in recording order: index + 1, or 0 */
	bool posix;
};

struct creq {
	uint64_t s0;
	double t_issue, t_done;
	uint64_t req;
	unsigned file;
	uint32_t n;
	uint32_t tag;
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
	struct vec land;   /* struct land, in recording order */
	struct vec copies; /* struct copy */
	struct vec writes; /* struct wreq, index = version - 1 */
	struct vec reads;  /* struct rreq */
	struct vec conc;   /* struct creq */
	/* evaluation only (note 6) */
	struct slot *slot;  /* open addressing on the key (linear probing) */
	size_t nslot;       /* a power of two, at least twice the groups */
	struct sector *sec; /* nsec sectors, then a sentinel */
	size_t nsec;
	struct ev *ev;
	uint32_t *rk_v;    /* a sector's versions by first landing (then version) */
	double *rk_t;      /* their first landings */
	uint32_t *rk_perm; /* a sector's ranks by version: indexes into its rk_v slice */
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

#define OR_GROUP 8 /* sectors looked up together: a 4 KiB page */

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

/* The index of the first sector of the group holding FILE's sector S, numbered if need be
 * (the sectors themselves are allocated once every group is known). */
static uint32_t
group_get(struct oracle *o, unsigned file, uint64_t s)
{
	uint64_t g = skey(file, s) / OR_GROUP;
	if (2 * (o->nsec / OR_GROUP + 1) > o->nslot)
		slots_grow(o);
	size_t h = slot_of(o, g);
	for (; o->slot[h].idx1; h = (h + 1) & (o->nslot - 1))
		if (o->slot[h].gkey == g)
			return o->slot[h].idx1 - 1;
	o->slot[h] = (struct slot){g, (uint32_t)o->nsec + 1};
	o->nsec += OR_GROUP;
	return (uint32_t)(o->nsec - OR_GROUP);
}

static inline uint32_t
sec_nev(const struct sector *s)
{
	return s[1].ev0 - s[0].ev0;
}

/* A sector's ranks (note 5): by first landing, (v[k], t[k]) for k < n; by version,
 * v[perm[k]]. */
struct ranks {
	const uint32_t *v, *perm;
	const double *t;
	uint32_t n;
	uint32_t v1, perm1; /* a lone write's rank, not stored (note 6) */
	double t1;
};

static void
ranks_of(const struct oracle *o, const struct sector *s, struct ranks *r)
{
	r->n = s[1].rk0 - s->rk0;
	if (r->n) {
		r->v = o->rk_v + s->rk0;
		r->t = o->rk_t + s->rk0;
		r->perm = o->rk_perm + s->rk0;
		return;
	}
	const struct ev *e = o->ev + s->ev0;
	if (sec_nev(s) == 1 && e->kind == EV_WRITE) {
		r->v1 = e->x;
		r->t1 = e->t;
		r->perm1 = 0;
		r->v = &r->v1;
		r->t = &r->t1;
		r->perm = &r->perm1;
		r->n = 1;
	}
}

/* OUT[i] = FILE's sector S0 + i, or NULL when nothing was recorded on it, for i < N; returns
 * how many are not NULL. */
static uint32_t
lookup_range(const struct oracle *o, unsigned file, uint64_t s0, uint32_t n,
             const struct sector **out)
{
	uint32_t found = 0;
	for (uint32_t i = 0; i < n;) {
		uint64_t s = s0 + i;
		uint32_t k = (uint32_t)(s % OR_GROUP), m = MIN(OR_GROUP - k, n - i);
		int64_t g = group_find(o, file, s);
		if (g < 0) {
			for (uint32_t j = 0; j < m; j++)
				out[i + j] = NULL;
		} else {
			const struct sector *p = &o->sec[g + k];
			for (uint32_t j = 0; j < m; j++) {
				bool has = sec_nev(&p[j]) > 0;
				out[i + j] = has ? &p[j] : NULL;
				found += has;
			}
		}
		i += m;
	}
	return found;
}

struct oracle *
or_new(void)
{
	struct oracle *o = g_new0(struct oracle, 1);
	o->land.size = sizeof(struct land);
	o->copies.size = sizeof(struct copy);
	o->writes.size = sizeof(struct wreq);
	o->reads.size = sizeof(struct rreq);
	o->conc.size = sizeof(struct creq);
	return o;
}

static void
eval_free(struct oracle *o)
{
	g_free(o->slot);
	g_free(o->sec);
	g_free(o->ev);
	g_free(o->rk_v);
	g_free(o->rk_t);
	g_free(o->rk_perm);
	o->slot = NULL;
	o->nslot = o->nsec = 0;
	o->sec = NULL;
	o->ev = NULL;
	o->rk_v = o->rk_perm = NULL;
	o->rk_t = NULL;
}

void
or_free(struct oracle *o)
{
	if (!o)
		return;
	eval_free(o);
	g_free(o->land.data);
	g_free(o->copies.data);
	g_free(o->writes.data);
	g_free(o->reads.data);
	g_free(o->conc.data);
	g_free(o);
}

static void
add_land(struct oracle *o, enum or_where where, unsigned file, uint64_t s0, uint32_t n,
         struct land proto, double t, double d)
{
	if (!n)
		return;
	struct land *l = vec_push(&o->land);
	*l = proto;
	l->s0 = s0;
	l->t = t;
	l->d = d;
	l->file = file;
	l->n = n;
	l->where = (uint8_t)where;
}

#define OR_REQUEST_BYTES 96u /* its request record, landings and copies */
#define OR_SECTOR_BYTES 100u /* its events per sector (32 B) and the sector index */

uint64_t
or_estimate(uint64_t requests, uint64_t sectors)
{
	return env_sat_mul(requests,
	                   env_sat_add(OR_REQUEST_BYTES, env_sat_mul(sectors, OR_SECTOR_BYTES)));
}

uint32_t
or_write_new(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_issue, bool posix,
             uint64_t req, uint32_t tag)
{
	struct wreq w = {.file = file,
	                 .n = n,
	                 .s0 = s0,
	                 .t_issue = t_issue,
	                 .req = req,
	                 .tag = tag,
	                 .posix = posix};
	*(struct wreq *)vec_push(&o->writes) = w;
	return (uint32_t)o->writes.len;
}

void
or_write_done(struct oracle *o, uint32_t w, double t_done)
{
	struct wreq *x = VEC_AT(o->writes, struct wreq, w - 1);
	x->t_done = t_done;
	x->done = true;
}

uint32_t
or_read_new(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_issue, bool posix,
            uint64_t req, uint32_t tag)
{
	struct rreq r = {.file = file,
	                 .n = n,
	                 .s0 = s0,
	                 .t_issue = t_issue,
	                 .req = req,
	                 .tag = tag,
	                 .posix = posix};
	*(struct rreq *)vec_push(&o->reads) = r;
	return (uint32_t)o->reads.len - 1;
}

void
or_read_done(struct oracle *o, uint32_t r, double t_done)
{
	VEC_AT(o->reads, struct rreq, r)->t_done = t_done;
}

void
or_land(struct oracle *o, enum or_where where, unsigned file, uint64_t s0, uint32_t n, uint32_t w,
        double t, double d)
{
	add_land(o, where, file, s0, n, (struct land){.kind = EV_WRITE, .u.v = w}, t, d);
}

void
or_fill(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t, double d, bool zero)
{
	add_land(o, OR_CACHE, file, s0, n, (struct land){.kind = zero ? EV_ZERO : EV_FILL}, t, d);
}

void
or_writeback(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_snap, double t,
             double d)
{
	add_land(o, OR_DISK, file, s0, n, (struct land){.kind = EV_WB, .u.tref = t_snap}, t, d);
}

void
or_read_copy(struct oracle *o, uint32_t r, enum or_where where, uint64_t s0, uint32_t n, double t,
             double d)
{
	struct copy *c = vec_push(&o->copies);
	*c = (struct copy){s0, n, 0, (uint8_t)where, t, d};
	uint32_t ci = (uint32_t)o->copies.len; /* index + 1 */
	struct rreq *rq = VEC_AT(o->reads, struct rreq, r);
	if (rq->last)
		VEC_AT(o->copies, struct copy, rq->last - 1)->next = ci;
	else
		rq->first = ci;
	rq->last = ci;
}

void
or_concurrent(struct oracle *o, unsigned file, uint64_t s0, uint32_t n, double t_issue,
              double t_done, uint64_t req, uint32_t tag)
{
	struct creq c = {s0, t_issue, t_done, req, file, n, tag};
	*(struct creq *)vec_push(&o->conc) = c;
}

/* ---- evaluation ---- */

static const char *const kind_names[] = {"torn read", "torn write", "stale read", "lost write",
                                         "concurrent overlap"};

/* Hand one verdict to the caller (and the debug log). */
static void
judged(void (*verdict)(void *ctx, const struct or_verdict *v), void *ctx, uint64_t req,
       uint32_t tag, enum or_kind kind)
{
	XBT_DEBUG("req %llu: %s", (unsigned long long)req, kind_names[kind]);
	verdict(ctx, &(struct or_verdict){req, tag, kind});
}

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

/* A version's first landing on a sector, and (once deduplicated) its index by version. */
struct rk {
	double t;
	uint32_t v, k;
};

static inline bool
rk_less_vt(const struct rk *x, const struct rk *y)
{
	return x->v < y->v || (x->v == y->v && x->t < y->t);
}

static inline bool
rk_less_tv(const struct rk *x, const struct rk *y)
{
	return x->t < y->t || (x->t == y->t && x->v < y->v);
}

static int
rk_cmp_vt(const void *a, const void *b)
{
	const struct rk *x = a, *y = b;
	return rk_less_vt(x, y) ? -1 : rk_less_vt(y, x);
}

static int
rk_cmp_tv(const void *a, const void *b)
{
	const struct rk *x = a, *y = b;
	return rk_less_tv(x, y) ? -1 : rk_less_tv(y, x);
}

/* Sort R[0..n) by LESS (a total order on the records that matter: the result is unique). */
static void
rk_sort(struct rk *r, uint32_t n, bool by_v)
{
	if (n > 16) {
		qsort(r, n, sizeof *r, by_v ? rk_cmp_vt : rk_cmp_tv);
		return;
	}
	for (uint32_t i = 1; i < n; i++) {
		struct rk x = r[i];
		uint32_t j = i;
		for (; j > 0 && (by_v ? rk_less_vt(&x, &r[j - 1]) : rk_less_tv(&x, &r[j - 1])); j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
}

/* Sector i of landing L lands at this time (note 6). */
static inline double
land_time(const struct land *l, uint32_t i)
{
	return l->t + (double)(i + 1) * l->d / (double)l->n;
}

/* Build the sectors, lay every sector's events out contiguously, sorted (cache then disk,
 * each by time, then recording order), and compute the ranks of its versions (notes 5, 6). */
static void
prepare(struct oracle *o)
{
	const struct land *land = o->land.data;
	size_t nl = o->land.len;
	eval_free(o);
	/* number the groups in recording order, and note the ones each landing touches */
	size_t ng = 0, at = 0, ne = 0;
	for (size_t i = 0; i < nl; i++)
		ng += (land[i].s0 + land[i].n - 1) / OR_GROUP - land[i].s0 / OR_GROUP + 1;
	uint32_t *gi = g_new(uint32_t, ng ? ng : 1);
	for (size_t i = 0; i < nl; i++) {
		const struct land *l = &land[i];
		for (uint64_t s = l->s0; s < l->s0 + l->n; s = (s / OR_GROUP + 1) * OR_GROUP)
			gi[at++] = group_get(o, l->file, s);
	}
	o->sec = g_new0(struct sector, o->nsec + 1);
	at = 0;
	for (size_t i = 0; i < nl; i++) { /* count each sector's events in ev0 */
		const struct land *l = &land[i];
		for (uint32_t k = 0; k < l->n;) {
			uint32_t g = gi[at++];
			for (uint32_t j = (uint32_t)((l->s0 + k) % OR_GROUP);
			     j < OR_GROUP && k < l->n; j++, k++)
				o->sec[g + j].ev0++;
		}
		ne += l->n;
	}
	uint32_t sum = 0;
	for (size_t i = 0; i < o->nsec; i++) {
		uint32_t n = o->sec[i].ev0;
		o->sec[i].ev0 = sum; /* rk0 = 0: a cursor for now */
		sum += n;
	}
	o->sec[o->nsec] = (struct sector){.ev0 = sum};
	/* a counting sort by sector keeps recording order */
	o->ev = g_new(struct ev, ne ? ne : 1);
	size_t nw = 0;
	at = 0;
	for (size_t i = 0; i < nl; i++) {
		const struct land *l = &land[i];
		struct ev proto = {.x = l->kind == EV_WB ? (uint32_t)i : l->u.v,
		                   .kind = l->kind,
		                   .where = l->where};
		for (uint32_t k = 0; k < l->n;) {
			uint64_t s = l->s0 + k;
			uint32_t g = gi[at++];
			for (uint32_t j = (uint32_t)(s % OR_GROUP); j < OR_GROUP && k < l->n;
			     j++, k++) {
				struct sector *sec = &o->sec[g + j];
				struct ev *e = &o->ev[sec->ev0 + sec->rk0++];
				*e = proto;
				e->t = land_time(l, k);
				nw += l->kind == EV_WRITE && sec_nev(sec) > 1;
			}
		}
	}
	g_free(gi);
	o->rk_v = g_new(uint32_t, nw ? nw : 1);
	o->rk_t = g_new(double, nw ? nw : 1);
	o->rk_perm = g_new(uint32_t, nw ? nw : 1);
	struct rk *tmp = NULL;
	uint32_t ntmp = 0, rat = 0;
	for (size_t i = 0; i < o->nsec; i++) {
		struct sector *s = &o->sec[i];
		uint32_t nev = s[1].ev0 - s->ev0;
		struct ev *e = o->ev + s->ev0;
		ev_sort(e, nev);
		s->ncache = 0;
		while (s->ncache < nev && e[s->ncache].where == OR_CACHE)
			s->ncache++;
		s->rk0 = rat;
		if (nev < 2)
			continue; /* a lone write's rank is its event (ranks_of) */
		/* each version's earliest landing on the sector, either place */
		uint32_t n = 0;
		for (uint32_t k = 0; k < nev; k++) {
			if (e[k].kind != EV_WRITE)
				continue;
			if (n == 0) { /* one version: no scratch */
				o->rk_v[rat] = e[k].x;
				o->rk_t[rat] = e[k].t;
			}
			n++;
		}
		if (n == 1)
			o->rk_perm[rat] = 0;
		if (n > 1) {
			if (n > ntmp) {
				ntmp = n;
				tmp = g_renew(struct rk, tmp, ntmp);
			}
			uint32_t m = 0;
			for (uint32_t k = 0; k < nev; k++)
				if (e[k].kind == EV_WRITE)
					tmp[m++] = (struct rk){e[k].t, e[k].x, 0};
			rk_sort(tmp, n, true);
			m = 1;
			for (uint32_t k = 1; k < n; k++)
				if (tmp[k].v != tmp[m - 1].v)
					tmp[m++] = tmp[k];
			n = m;
			for (uint32_t k = 0; k < n; k++)
				tmp[k].k = k;
			rk_sort(tmp, n, false);
			for (uint32_t k = 0; k < n; k++) {
				o->rk_v[rat + k] = tmp[k].v;
				o->rk_t[rat + k] = tmp[k].t;
				o->rk_perm[rat + tmp[k].k] = k;
			}
		}
		rat += n;
	}
	o->sec[o->nsec].rk0 = rat;
	g_free(tmp);
}

/* The events of S in WHERE (sorted by time), *N of them. */
static const struct ev *
events(const struct oracle *o, const struct sector *s, enum or_where where, uint32_t *n)
{
	*n = where == OR_CACHE ? s->ncache : sec_nev(s) - s->ncache;
	return o->ev + s->ev0 + (where == OR_CACHE ? 0 : s->ncache);
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
			return e->x;
		case EV_ZERO:
			return 0;
		case EV_FILL:
			where = OR_DISK;
			tau = e->t;
			break;
		default: /* EV_WB */
			where = OR_CACHE;
			tau = VEC_AT(o->land, struct land, e->x)->u.tref;
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
	struct ranks r;
	ranks_of(o, s, &r);
	uint32_t lo = 0, hi = r.n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (r.v[r.perm[mid]] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r.n && r.v[r.perm[lo]] == v ? r.t[r.perm[lo]] : INFINITY;
}

static const struct wreq *
wr(const struct oracle *o, uint32_t v)
{
	return VEC_AT(o->writes, struct wreq, v - 1);
}

/* SEEN, HAVE and SEC: scratch of at least r->n entries. */
static void
judge_read(struct oracle *o, const struct rreq *r, uint32_t *seen, bool *have,
           const struct sector **sec, bool *torn, bool *stale)
{
	*torn = *stale = false;
	if (!lookup_range(o, r->file, r->s0, r->n, sec))
		return; /* it saw version 0 everywhere: nothing newer, nothing to tear */
	memset(seen, 0, r->n * sizeof *seen);
	memset(have, 0, r->n * sizeof *have);
	for (uint32_t c = r->first; c; c = VEC_AT(o->copies, struct copy, c - 1)->next) {
		const struct copy *cp = VEC_AT(o->copies, struct copy, c - 1);
		/* the copy's sectors within the request: i in [lo, hi) */
		uint32_t lo = cp->s0 < r->s0 ? (uint32_t)MIN(r->s0 - cp->s0, cp->n) : 0;
		uint32_t hi = cp->s0 + cp->n > r->s0 + r->n
		                  ? (uint32_t)(r->s0 + r->n > cp->s0 ? r->s0 + r->n - cp->s0 : 0)
		                  : cp->n;
		for (uint32_t i = lo; i < hi; i++) {
			uint32_t at = (uint32_t)(cp->s0 + i - r->s0);
			have[at] = true;
			if (!sec[at]) {
				seen[at] = 0;
				continue;
			}
			double tau = cp->t + (double)(i + 1) * cp->d / (double)cp->n;
			seen[at] = value_at(o, sec[at], cp->where, tau);
		}
	}
	for (uint32_t i = 0; i < r->n && !*stale; i++) {
		const struct sector *s = sec[i];
		if (!have[i] || !s)
			continue;
		double rs = rank(o, s, seen[i]);
		/* the versions newer than the one seen are a suffix of the ranks */
		struct ranks rk;
		ranks_of(o, s, &rk);
		for (uint32_t k = rk.n; k-- > 0 && !*stale;) {
			if (rk.t[k] <= rs)
				break;
			const struct wreq *x = wr(o, rk.v[k]);
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
				const struct sector *ss = sec[s - r->s0];
				if (v != W && rank(o, ss, v) < rank(o, ss, W))
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
	struct ranks r;
	ranks_of(o, s, &r);
	uint32_t lo = 0, hi = r.n; /* first index with t > T */
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (r.t[mid] <= T)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? r.v[lo - 1] : 0;
}

/* The indexes of the N concurrent-class requests C in (file, first sector) order, equal
 * keys in recording order: an LSD radix sort by bytes, skipping the bytes all keys share. */
static uint32_t *
conc_order(const struct creq *c, uint32_t n)
{
	uint32_t *a = g_new(uint32_t, n ? n : 1), *b = g_new(uint32_t, n ? n : 1);
	uint64_t ds = 0, df = 0; /* the bits where some key differs from the first */
	for (uint32_t i = 0; i < n; i++) {
		a[i] = i;
		ds |= c[i].s0 ^ c[0].s0;
		df |= (uint64_t)(c[i].file ^ c[0].file);
	}
	uint64_t diff[2] = {ds, df};
	for (int d = 0; d < 12; d++) { /* s0's 8 bytes, then file's 4, least significant first */
		int w = d < 8 ? 0 : 1, sh = 8 * (d < 8 ? d : d - 8);
		if (!((diff[w] >> sh) & 0xff))
			continue;
		uint32_t cnt[256] = {0};
		for (uint32_t i = 0; i < n; i++) {
			uint64_t key = w ? c[a[i]].file : c[a[i]].s0;
			cnt[(key >> sh) & 0xff]++;
		}
		uint32_t sum = 0;
		for (int k = 0; k < 256; k++) {
			uint32_t x = cnt[k];
			cnt[k] = sum;
			sum += x;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint64_t key = w ? c[a[i]].file : c[a[i]].s0;
			b[cnt[(key >> sh) & 0xff]++] = a[i];
		}
		uint32_t *t = a;
		a = b;
		b = t;
	}
	g_free(b);
	return a;
}

void
or_evaluate(struct oracle *o, void (*verdict)(void *ctx, const struct or_verdict *v), void *ctx,
            struct or_totals *tot)
{
	*tot = (struct or_totals){
	    .writes = o->writes.len, .reads = o->reads.len, .sectors_tracked = 0};
	prepare(o);
	for (size_t i = 0; i < o->nsec; i++)
		tot->sectors_tracked += sec_nev(&o->sec[i]) > 0;
	/* reads */
	uint32_t nscratch = 0, *seen = NULL;
	bool *have = NULL;
	const struct sector **sec = NULL;
	for (size_t i = 0; i < o->reads.len; i++) {
		const struct rreq *r = VEC_AT(o->reads, struct rreq, i);
		bool torn, stale;
		if (r->n > nscratch) {
			nscratch = r->n;
			seen = g_renew(uint32_t, seen, nscratch);
			have = g_renew(bool, have, nscratch);
			sec = g_renew(const struct sector *, sec, nscratch);
		}
		judge_read(o, r, seen, have, sec, &torn, &stale);
		if (torn) {
			tot->torn_reads++;
			judged(verdict, ctx, r->req, r->tag, OR_TORN_READ);
		}
		if (stale) {
			tot->stale_reads++;
			judged(verdict, ctx, r->req, r->tag, OR_STALE_READ);
		}
	}
	g_free(have);
	/* torn writes: B the later to complete, A any POSIX write holding some shared sector */
	uint32_t nw = (uint32_t)o->writes.len;
	bool *torn = g_new0(bool, nw + 1);
	bool *lost = g_new0(bool, nw + 1);
	for (uint32_t b = 1; b <= nw; b++) {
		const struct wreq *B = wr(o, b);
		if (!B->posix || !B->done)
			continue;
		if (B->n > nscratch) {
			nscratch = B->n;
			seen = g_renew(uint32_t, seen, nscratch);
			sec = g_renew(const struct sector *, sec, nscratch);
		}
		uint32_t *c = seen;
		lookup_range(o, B->file, B->s0, B->n, sec);
		for (uint32_t i = 0; i < B->n; i++)
			c[i] = latest_by(o, sec[i], B->t_done + OR_EPS);
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
	}
	g_free(seen);
	g_free(sec);
	/* lost writes: the disk's final content of each sector */
	for (size_t si = 0; si < o->nsec; si++) {
		const struct sector *s = &o->sec[si];
		/* the last completed write to this sector (cache events first, then the disk's,
		 * each in time order: the first of equal completion times wins) */
		uint32_t last = 0;
		const struct ev *e = o->ev + s->ev0;
		for (uint32_t i = 0, n = sec_nev(s); i < n; i++) {
			if (e[i].kind != EV_WRITE || !wr(o, e[i].x)->done)
				continue;
			if (!last || wr(o, e[i].x)->t_done > wr(o, last)->t_done)
				last = e[i].x;
		}
		if (!last)
			continue;
		/* value_at(disk, INFINITY); a sector's only disk event is the common case */
		uint32_t nd = sec_nev(s) - s->ncache;
		const struct ev *d1 = &e[s->ncache];
		uint32_t d = nd == 0 ? 0
		             : nd == 1 && d1->kind == EV_WRITE && d1->t <= INFINITY
		                 ? d1->x
		                 : value_at(o, s, OR_DISK, INFINITY);
		const struct wreq *L = wr(o, last);
		bool ok = d == last || (d != 0 && wr(o, d)->t_issue < L->t_done &&
		                        wr(o, d)->t_done > L->t_issue);
		if (!ok)
			lost[last] = true;
	}
	eval_free(o);
	for (uint32_t w = 1; w <= nw; w++) {
		if (torn[w]) {
			tot->torn_writes++;
			judged(verdict, ctx, wr(o, w)->req, wr(o, w)->tag, OR_TORN_WRITE);
		}
		if (lost[w]) {
			tot->lost_writes++;
			judged(verdict, ctx, wr(o, w)->req, wr(o, w)->tag, OR_LOST_WRITE);
		}
	}
	g_free(torn);
	g_free(lost);
	/* concurrent-class requests that overlapped in space and time */
	const struct creq *cr = o->conc.data;
	uint32_t nc = (uint32_t)o->conc.len;
	uint32_t *ord = conc_order(cr, nc);
	bool *hit = g_new0(bool, nc + 1);
	for (uint32_t i = 0; i < nc; i++) {
		const struct creq *x = &cr[ord[i]];
		for (uint32_t j = i + 1; j < nc; j++) {
			const struct creq *y = &cr[ord[j]];
			if (y->file != x->file || y->s0 >= x->s0 + x->n)
				break;
			if (y->t_issue < x->t_done && x->t_issue < y->t_done)
				hit[i] = hit[j] = true;
		}
	}
	for (uint32_t i = 0; i < nc; i++)
		if (hit[i]) {
			tot->conc_overlaps++;
			judged(verdict, ctx, cr[ord[i]].req, cr[ord[i]].tag, OR_CONC_OVERLAP);
		}
	g_free(hit);
	g_free(ord);
	XBT_VERB("judged %llu writes and %llu reads: %llu torn reads, %llu torn writes, %llu stale "
	         "reads, %llu lost writes, %llu concurrent overlaps",
	         (unsigned long long)tot->writes, (unsigned long long)tot->reads,
	         (unsigned long long)tot->torn_reads, (unsigned long long)tot->torn_writes,
	         (unsigned long long)tot->stale_reads, (unsigned long long)tot->lost_writes,
	         (unsigned long long)tot->conc_overlaps);
}

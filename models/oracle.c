/*
 * oracle.c -- the correctness oracle (see oracle.h and DESIGN.md §3.5).
 *
 * Design notes:
 * (1) State is kept only for the cells that were written or filled: per cell, two event
 *     lists, one for the page cache and one for the disk (note 6).  An event is a landing at
 *     time t of either a write's version (WRITE), of zeroes (ZERO), of the disk's content at
 *     t (FILL, cache only), or of the cache's content at an earlier snapshot time (WB, disk
 *     only).  Contents are resolved after the run, when every event is known: a copy that
 *     started earlier may land later than one recorded after it.
 * (2) "Older" means earlier in a cell's landing order: a version's rank on a cell is the
 *     time its data first landed there (cache or disk); never-written bytes hold version 0,
 *     older than everything.
 * (3) value(cache, c, tau) = the last cache event at or before tau (FILL: value(disk, c, t)),
 *     value(disk, c, tau) = the last disk event at or before tau (WB: value(cache, c, t_snap));
 *     each step moves strictly back in time (t_snap < t), so resolution terminates.
 * (4) A request is counted at most once per counter.
 * (5) Evaluation cost: once a cell's events are sorted, its versions' ranks are kept in
 *     first-landing order (for "the latest by T" and "newer than") with a permutation into
 *     them by version (for rank()), so judging a request costs O(cells x log versions), not
 *     O(cells x events^2): a run of a few thousand overlapping 64 KiB requests is judged in
 *     well under a second.  A request's cells are looked up once per group (note 6); a
 *     read that touched no recorded cell saw version 0 everywhere and is not looked at
 *     further.
 * (6) Storage: nothing is allocated per byte, cell or event during the run.  Each landing
 *     call (or_land, or_fill, or_writeback) is one 48-byte record, whatever its length (a
 *     direct 8 KiB write: one record, not 16 sector events); requests and copies are
 *     records too, all appended to growable arrays.  or_evaluate expands the landings into
 *     cell events.  Cells (note 7) are numbered by groups of 4096 bytes (a page: one lookup
 *     for its cells) in recording order, found through an open-addressing table keyed on
 *     (file, group); a cell of a group with no event counts as absent.  Each cell's events
 *     (16 bytes) are laid out contiguously (a counting sort by cell keeps recording order,
 *     then a stable sort of each cell's few events by place and time); its ranks are slices
 *     of three arrays, except for a cell whose only event is a write, whose rank is that
 *     event (nothing stored); the cell array (12 bytes a cell, and 2 for its offset in its
 *     group) ends with a sentinel, so a cell's event and rank counts are differences with
 *     the next one's starts.  All of that is freed before the concurrent-class pass, which
 *     orders an index of those requests by (file, first byte), equal keys in recording
 *     order (a stable LSD radix sort: the order a stable comparison sort gives).  A read's
 *     copies are a list threaded through one array.
 * (7) Byte granularity: every record is a byte interval [a, a + len), any offset and
 *     length, and two requests overlap only when they share a byte.  The unit of the
 *     evaluation is the cell: the 512-byte sectors of the groups that were landed on, each
 *     cut at every record's ends that fall inside it (a buffered 1,000-byte write at 0 cuts
 *     sector 1 into [512, 1000) and [1000, 1024)), so every record covers whole cells and
 *     every byte of a cell has the same history.  Aligned records cut nothing: a cell is a
 *     sector, and the cuts cost one test per record end.  A copy or transfer of [a, a + len)
 *     over [t, t + d] lands (or reads) the cell ending at byte e at t + (e - a) d / len: the
 *     sector rule of oracle.h, byte for byte (for a sector, e - a = (i + 1) 512 and
 *     len = 512 n, and scaling by a power of two leaves every rounding unchanged).
 * (8) Incremental judging: memory follows what is in flight and the data touched, not the
 *     requests completed.  The caller keeps a token open over every interval in which
 *     records can be made (a request from its issue, a disk I/O from its start, a
 *     write-back from its snapshot: oracle.h); no record made later carries an earlier
 *     time than the earliest open token's start.  When a window's records have
 *     accumulated (OR_WINDOW, or twice what was kept), closing a token compacts at
 *     H = min(now, earliest open start): the evaluation is built, every read and every
 *     write (as the later of a torn pair) completed before H is judged exactly as
 *     or_evaluate would (all the events that can bear on it are known), its verdicts kept
 *     for or_evaluate.  Then history before H2 (H, lowered to the issue of every request not
 *     judged and to the snapshot of every write-back kept) collapses into the base: per
 *     cell and place, the content at H2 (EV_VAL) and the last completed write (EV_LAST,
 *     for lost writes, whose first-of-equals rule it keeps), and the first landing
 *     (EV_RANK, a copy of the landing record cut to the cell, so its time is the same)
 *     of each version that can still matter: any place's content (a later read may see
 *     it), the latest (latest_by), the latest completed before H2 (a later read is stale
 *     if any version newer than what it saw completed before it: that one answers for
 *     all of them) and every one completed since H2.  A real record's events before H2 are
 *     dropped (ev_kept); requests judged, their copies and records wholly before H2 go,
 *     a write still referred to is kept aside (wold); a write found torn says so when it
 *     goes (a write can be found torn only while a cell refers to it).  Concurrent-class
 *     requests done by H2 overlap nothing to come: marked, counted and dropped.  The
 *     ends of what goes that are not sector boundaries stay as cut points, so cells stay
 *     as fine as the batch's.  The verdicts are the batch's, request for request (tested
 *     on random timelines, and byte for byte on every scenario of bench/identical.sh
 *     compacted every 200 records); one case is not covered: a record not in whole
 *     sectors would cut cells already judged, changing landing times within a sector
 *     after the fact, so a run compacts only while every record has been in whole
 *     sectors (direct I/O always is; a buffered run with unaligned requests keeps its
 *     whole history, as before).
 */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/log.h>

#include "models/env.h"
#include "models/oracle.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_oracle, vnodesim, "correctness oracle: every verdict");

/* EV_RANK, EV_VAL and EV_LAST are the base's (note 8): a version's first landing on a
 * cell, a place's content, and a place's last completed write, for history collapsed. */
enum ev_kind { EV_WRITE, EV_ZERO, EV_FILL, EV_WB, EV_RANK, EV_VAL, EV_LAST };

/* Landing times are computed (t + (i+1) d / n with t = t_done - d): the last sector's may
 * exceed the request's completion time by a rounding error.  Comparisons of a landing with a
 * completion allow this much (far below any modelled duration). */
#define OR_EPS 1e-12

/* A landing call: bytes [a, a + len) of FILE over [t, t + d] (note 6). */
struct land {
	uint64_t a, len;
	double t, d;
	union {
		double tref; /* EV_WB: the snapshot time */
		uint32_t v;  /* EV_WRITE: the version */
	} u;
	unsigned file;
	uint8_t kind;
	uint8_t where;
};

_Static_assert(sizeof(struct land) == 48, "note 6");

/* An event of one cell (evaluation only): kind (3 bits), place (1 bit) and the index of
 * its landing record (the rest) packed in one word. */
struct ev {
	double t;
	uint32_t x; /* EV_WRITE, EV_RANK, EV_VAL, EV_LAST: the version; EV_WB: its landing */
	uint32_t kw;
};
#define EV_KW(kind, where, rec) ((uint32_t)(rec) << 4 | (uint32_t)(where) << 3 | (kind))
static inline unsigned
ev_kind(const struct ev *e)
{
	return e->kw & 7;
}
static inline unsigned
ev_where(const struct ev *e)
{
	return (e->kw >> 3) & 1;
}
static inline uint32_t
ev_rec(const struct ev *e)
{
	return e->kw >> 4;
}

/* A cell (notes 6, 7): its events are [ev0, next ev0) of o->ev, the cache's first; its
 * stored ranks are [rk0, next rk0) of rk_v/rk_t (by first landing) and of rk_perm (by
 * version); a cell whose only event is a write stores none (see ranks_of). */
struct sector {
	uint32_t ev0, ncache, rk0;
};
_Static_assert(sizeof(struct ev) == 16 && sizeof(struct sector) == 12, "note 6");

/* Requests and copies: bytes [a, a + len) (note 7). */
struct wreq {
	uint64_t a, len;
	double t_issue, t_done;
	uint64_t req;
	unsigned file;
	uint32_t tag;
	bool posix, done;
	bool judged; /* as the later write of a torn pair (note 8) */
	bool torn, lost;
};

struct copy {
	uint64_t a, len;
	double t, d;
	uint32_t next; /* the read's next copy + 1, or 0 */
	uint8_t where;
};

struct rreq {
	uint64_t a, len;
	double t_issue, t_done;
	uint64_t req;
	unsigned file;
	uint32_t tag;
	uint32_t first, last; /* its copies, in recording order: index + 1, or 0 */
	bool posix, done;
	bool judged; /* note 8 */
};

struct creq {
	uint64_t a, len;
	double t_issue, t_done;
	uint64_t req;
	unsigned file;
	uint32_t tag;
	bool hit; /* note 8 */
};

_Static_assert(sizeof(struct wreq) == 56 && sizeof(struct copy) == 40 &&
                   sizeof(struct rreq) == 64 && sizeof(struct creq) == 56,
               "OR_REQUEST_BYTES");

/* An open interval of the caller's (a request or a disk I/O in flight): no record made
 * later has a time before the earliest open one's start (note 8). */
struct tok {
	double t;
	uint32_t pos; /* in the heap; UINT32_MAX: free */
};

struct slot {
	uint64_t gkey; /* file << 41 | byte / OR_GROUP */
	uint32_t idx1; /* index + 1 of the group's first cell (prepare: its number + 1); 0: empty */
	uint32_t ncell; /* its cells: OR_GROUP / 512, plus one a cut */
};

/* A growable array of fixed-size records (realloc; no per-record allocation). */
struct vec {
	void *data;
	size_t len, cap, size;
};

struct oracle {
	struct vec land;   /* struct land, in recording order: the base's first (note 8) */
	struct vec copies; /* struct copy */
	struct vec writes; /* struct wreq, index = version - wbase */
	struct vec reads;  /* struct rreq, index = id - rbase */
	struct vec conc;   /* struct creq */
	/* incremental judging (note 8) */
	size_t nbase;          /* land[0, nbase) is the base: each with its clip */
	uint64_t (*clip)[2];   /* [lo, hi) of base record i */
	uint32_t wbase, rbase; /* the first version and read id kept in the vectors */
	GHashTable *wold;      /* older versions still referenced: version -> struct wreq * */
	double h2;             /* real records' events before this are in the base */
	struct vec verdicts;   /* struct or_verdict, found before or_evaluate */
	struct vec tok;        /* struct tok, by token - 1 */
	uint32_t *heap, nheap; /* open tokens by start time */
	struct vec tfree;      /* uint32_t: free token numbers */
	size_t window, next;   /* compaction: records per window; when the next one is due */
	bool unaligned;        /* a record not in whole sectors was made: no compaction */
	uint64_t nwrites, nreads;
	struct vec oldcuts; /* uint64_t (file << 41 | byte): ends of records dropped, unaligned */
	/* evaluation only (note 6) */
	struct slot *slot;  /* open addressing on the key (linear probing) */
	size_t nslot;       /* a power of two, at least twice the groups */
	struct sector *sec; /* nsec cells, then a sentinel */
	uint16_t *coff;     /* each cell's first byte in its group */
	size_t nsec, ngroup;
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

/* Records between two compactions at least (note 8): about two million requests (some
 * 200 MiB), so that shorter runs keep their whole history, as before, and pay nothing. */
#define OR_WINDOW (1u << 22)

#define OR_GROUP 4096u /* bytes looked up together: a page */
#define OR_SECT 512u   /* a group's cells before cuts are its sectors */
#define OR_GSECT (OR_GROUP / OR_SECT)

static uint64_t
gkey_of(unsigned file, uint64_t byte)
{
	return ((uint64_t)file << 41) | byte / OR_GROUP;
}

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

/* The slot of the group holding FILE's byte B, or NULL. */
static struct slot *
group_find(const struct oracle *o, unsigned file, uint64_t b)
{
	if (!o->nslot)
		return NULL;
	uint64_t g = gkey_of(file, b);
	for (size_t h = slot_of(o, g); o->slot[h].idx1; h = (h + 1) & (o->nslot - 1))
		if (o->slot[h].gkey == g)
			return &o->slot[h];
	return NULL;
}

/* The number of the group holding FILE's byte B, numbered if need be (its cells are laid
 * out once every group and cut is known). */
static uint32_t
group_get(struct oracle *o, unsigned file, uint64_t b)
{
	uint64_t g = gkey_of(file, b);
	if (2 * (o->ngroup + 1) > o->nslot)
		slots_grow(o);
	size_t h = slot_of(o, g);
	for (; o->slot[h].idx1; h = (h + 1) & (o->nslot - 1))
		if (o->slot[h].gkey == g)
			return o->slot[h].idx1 - 1;
	o->slot[h] = (struct slot){g, (uint32_t)o->ngroup + 1, OR_GSECT};
	return (uint32_t)o->ngroup++;
}

/* The index of the cell of group G (its slot) holding byte OFF of the group. */
static inline uint32_t
cell_at(const struct oracle *o, const struct slot *g, uint32_t off)
{
	uint32_t first = g->idx1 - 1;
	if (g->ncell == OR_GSECT)
		return first + off / OR_SECT;
	uint32_t lo = 0, hi = g->ncell; /* the last cell starting at or before OFF */
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (o->coff[first + mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return first + lo;
}

/* The end of cell K of group G (its slot), as an offset in the group. */
static inline uint32_t
cell_end(const struct oracle *o, const struct slot *g, uint32_t k)
{
	uint32_t first = g->idx1 - 1;
	return k + 1 < first + g->ncell ? o->coff[k + 1] : OR_GROUP;
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
	if (sec_nev(s) == 1 && ev_kind(e) == EV_WRITE) {
		r->v1 = e->x;
		r->t1 = e->t;
		r->perm1 = 0;
		r->v = &r->v1;
		r->t = &r->t1;
		r->perm = &r->perm1;
		r->n = 1;
	}
}

/* The cells of a byte range, in order (scratch of the evaluation, grown as needed): cell i
 * covers [lo[i], hi[i]) of the range; sec[i] is NULL when nothing was recorded on it (a
 * group with no landing contributes its sectors, cut to the range). */
struct cells {
	const struct sector **sec;
	uint64_t *lo, *hi;
	uint32_t n, cap;
};

static void
cells_push(struct cells *c, const struct sector *s, uint64_t lo, uint64_t hi)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->sec = g_renew(const struct sector *, c->sec, c->cap);
		c->lo = g_renew(uint64_t, c->lo, c->cap);
		c->hi = g_renew(uint64_t, c->hi, c->cap);
	}
	c->sec[c->n] = s;
	c->lo[c->n] = lo;
	c->hi[c->n] = hi;
	c->n++;
}

static void
cells_free(struct cells *c)
{
	g_free(c->sec);
	g_free(c->lo);
	g_free(c->hi);
}

/* OUT = the cells of FILE's bytes [a, b); returns how many are not NULL. */
static uint32_t
cells_of(const struct oracle *o, unsigned file, uint64_t a, uint64_t b, struct cells *out)
{
	uint32_t found = 0;
	out->n = 0;
	for (uint64_t x = a; x < b;) {
		uint64_t base = x / OR_GROUP * OR_GROUP, gend = MIN(base + OR_GROUP, b);
		const struct slot *g = group_find(o, file, x);
		if (!g) {
			for (; x < gend; x = MIN((x / OR_SECT + 1) * OR_SECT, gend))
				cells_push(out, NULL, x, MIN((x / OR_SECT + 1) * OR_SECT, gend));
			continue;
		}
		for (uint32_t k = cell_at(o, g, (uint32_t)(x - base)); x < gend; k++) {
			uint64_t e = MIN(base + cell_end(o, g, k), gend);
			const struct sector *p = &o->sec[k];
			bool has = sec_nev(p) > 0;
			cells_push(out, has ? p : NULL, x, e);
			found += has;
			x = e;
		}
	}
	return found;
}

/* The first of the N cells C whose end is past byte X (N if none). */
static uint32_t
cells_from(const struct cells *c, uint64_t x)
{
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (c->hi[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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
	o->verdicts.size = sizeof(struct or_verdict);
	o->tok.size = sizeof(struct tok);
	o->tfree.size = sizeof(uint32_t);
	o->oldcuts.size = sizeof(uint64_t);
	o->wbase = 1;
	o->h2 = -INFINITY;
	const char *w = getenv("VNODESIM_ORACLE_WINDOW"); /* tests: note 8 */
	o->window = w && atol(w) > 0 ? (size_t)atol(w) : OR_WINDOW;
	o->next = o->window;
	return o;
}

static void
eval_free(struct oracle *o)
{
	g_free(o->slot);
	g_free(o->sec);
	g_free(o->coff);
	g_free(o->ev);
	g_free(o->rk_v);
	g_free(o->rk_t);
	g_free(o->rk_perm);
	o->slot = NULL;
	o->nslot = o->nsec = o->ngroup = 0;
	o->sec = NULL;
	o->coff = NULL;
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
	g_free(o->verdicts.data);
	g_free(o->tok.data);
	g_free(o->tfree.data);
	g_free(o->oldcuts.data);
	g_free(o->heap);
	g_free(o->clip);
	if (o->wold)
		g_hash_table_destroy(o->wold);
	g_free(o);
}

static void
add_land(struct oracle *o, enum or_where where, unsigned file, uint64_t a, uint64_t len,
         struct land proto, double t, double d)
{
	if (!len)
		return;
	o->unaligned |= (a | len) % OR_SECT != 0;
	struct land *l = vec_push(&o->land);
	*l = proto;
	l->a = a;
	l->len = len;
	l->t = t;
	l->d = d;
	l->file = file;
	l->where = (uint8_t)where;
}

/* A request's records: a write's request (56 B) and landing (48 B), or a read's request
 * (64 B) and copy (40 B); a direct request split into several disk requests has a landing
 * or copy per disk request, and a buffered read a fill per missing page, which the cell
 * term's slack covers (measured, note 6). */
#define OR_REQUEST_BYTES 104u
#define OR_CELL_BYTES 100u /* its events (32 B), the cell (14 B) and the lookup table */

uint64_t
or_estimate(uint64_t requests, uint64_t bytes)
{
	/* a request of BYTES bytes spans at most ceil(bytes / 512) + 1 sectors, and its two
	 * ends cut at most two cells in two (note 7) */
	uint64_t cells = env_sat_add(bytes / OR_SECT + (bytes % OR_SECT != 0), 3);
	return env_sat_mul(requests,
	                   env_sat_add(OR_REQUEST_BYTES, env_sat_mul(cells, OR_CELL_BYTES)));
}

static struct wreq *
wr_mut(const struct oracle *o, uint32_t v)
{
	if (v >= o->wbase)
		return VEC_AT(o->writes, struct wreq, v - o->wbase);
	struct wreq *x = g_hash_table_lookup(o->wold, GUINT_TO_POINTER(v));
	g_assert(x);
	return x;
}

static struct rreq *
rd(const struct oracle *o, uint32_t r)
{
	g_assert(r >= o->rbase);
	return VEC_AT(o->reads, struct rreq, r - o->rbase);
}

static void compact(struct oracle *o, double now);

/* What the oracle holds at most per 512-byte sector of the data a run touches once it
 * compacts (note 8): the base's records, and at a compaction the evaluation built over
 * them and the window's records (measured: 1,802 MiB peak at 10^7 requests of
 * nvme-oltp.ini, whose 4 GiB file is then all touched: 8.4 M sectors, 225 bytes each). */
#define OR_SECTOR_BYTES 256u

uint64_t
or_estimate_run(uint64_t requests, uint64_t bytes, uint64_t region, bool aligned)
{
	uint64_t all = or_estimate(requests, bytes);
	if (!aligned) /* it never compacts */
		return all;
	uint64_t window = or_estimate(OR_WINDOW / 2, bytes); /* two records a request */
	uint64_t base = env_sat_mul(region / OR_SECT + 1, OR_SECTOR_BYTES);
	return MIN(all, env_sat_add(window, base));
}

uint32_t
or_write_new(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t_issue,
             bool posix, uint64_t req, uint32_t tag)
{
	o->unaligned |= (off | len) % OR_SECT != 0;
	struct wreq w = {.file = file,
	                 .a = off,
	                 .len = len,
	                 .t_issue = t_issue,
	                 .req = req,
	                 .tag = tag,
	                 .posix = posix};
	*(struct wreq *)vec_push(&o->writes) = w;
	o->nwrites++;
	return o->wbase + (uint32_t)o->writes.len - 1;
}

void
or_write_done(struct oracle *o, uint32_t w, double t_done)
{
	struct wreq *x = wr_mut(o, w);
	x->t_done = t_done;
	x->done = true;
}

uint32_t
or_read_new(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t_issue, bool posix,
            uint64_t req, uint32_t tag)
{
	o->unaligned |= (off | len) % OR_SECT != 0;
	struct rreq r = {.file = file,
	                 .a = off,
	                 .len = len,
	                 .t_issue = t_issue,
	                 .req = req,
	                 .tag = tag,
	                 .posix = posix};
	*(struct rreq *)vec_push(&o->reads) = r;
	o->nreads++;
	return o->rbase + (uint32_t)o->reads.len - 1;
}

void
or_read_done(struct oracle *o, uint32_t r, double t_done)
{
	rd(o, r)->t_done = t_done;
	rd(o, r)->done = true;
}

void
or_land(struct oracle *o, enum or_where where, unsigned file, uint64_t off, uint64_t len,
        uint32_t w, double t, double d)
{
	add_land(o, where, file, off, len, (struct land){.kind = EV_WRITE, .u.v = w}, t, d);
}

void
or_fill(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t, double d, bool zero)
{
	add_land(o, OR_CACHE, file, off, len, (struct land){.kind = zero ? EV_ZERO : EV_FILL}, t,
	         d);
}

void
or_writeback(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t_snap, double t,
             double d)
{
	add_land(o, OR_DISK, file, off, len, (struct land){.kind = EV_WB, .u.tref = t_snap}, t, d);
}

void
or_read_copy(struct oracle *o, uint32_t r, enum or_where where, uint64_t off, uint64_t len,
             double t, double d)
{
	o->unaligned |= (off | len) % OR_SECT != 0;
	struct copy *c = vec_push(&o->copies);
	*c = (struct copy){.a = off, .len = len, .t = t, .d = d, .where = (uint8_t)where};
	uint32_t ci = (uint32_t)o->copies.len; /* index + 1 */
	struct rreq *rq = rd(o, r);
	if (rq->last)
		VEC_AT(o->copies, struct copy, rq->last - 1)->next = ci;
	else
		rq->first = ci;
	rq->last = ci;
}

void
or_concurrent(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t_issue,
              double t_done, uint64_t req, uint32_t tag)
{
	struct creq c = {off, len, t_issue, t_done, req, file, tag, false};
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
	unsigned wx = ev_where(x), wy = ev_where(y);
	return wx < wy || (wx == wy && x->t < y->t);
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

/* The cell of landing L ending at byte E lands at this time (note 7). */
static inline double
land_time(const struct land *l, uint64_t e)
{
	return l->t + (double)(e - l->a) * l->d / (double)l->len;
}

/* Record I's bytes that make events: a base record's clip, else all of it (note 8). */
static inline void
rec_span(const struct oracle *o, size_t i, uint64_t *lo, uint64_t *hi)
{
	const struct land *l = VEC_AT(o->land, struct land, i);
	if (i < o->nbase) {
		*lo = o->clip[i][0];
		*hi = o->clip[i][1];
	} else {
		*lo = l->a;
		*hi = l->a + l->len;
	}
}

/* Whether record I's event on the cell ending at byte E is kept: a real record's events
 * before the base's horizon are in the base (note 8). */
static inline bool
ev_kept(const struct oracle *o, size_t i, const struct land *l, uint64_t e)
{
	return i < o->nbase || land_time(l, e) >= o->h2;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Note the cut at FILE's byte X (a record's end) when it falls inside a sector of a group
 * that was landed on: CUTS gets (group number << 12 | offset in the group). */
static void
cut_at(const struct oracle *o, GArray *cuts, unsigned file, uint64_t x)
{
	if (x % OR_SECT == 0)
		return;
	const struct slot *g = group_find(o, file, x);
	if (g) {
		uint64_t k = (uint64_t)(g->idx1 - 1) << 12 | (x % OR_GROUP);
		g_array_append_val(cuts, k);
	}
}

/* Lay out the cells (note 7): number the groups landed on (in recording order), cut their
 * sectors at every record's ends inside them, and give each group its first cell. */
static void
make_cells(struct oracle *o)
{
	const struct land *land = o->land.data;
	size_t nl = o->land.len;
	for (size_t i = 0; i < nl; i++) {
		uint64_t lo, hi;
		rec_span(o, i, &lo, &hi);
		for (uint64_t b = lo; b < hi; b = (b / OR_GROUP + 1) * OR_GROUP)
			group_get(o, land[i].file, b);
	}
	GArray *cuts = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	for (size_t i = 0; i < nl; i++) {
		uint64_t lo, hi;
		rec_span(o, i, &lo, &hi);
		cut_at(o, cuts, land[i].file, lo);
		cut_at(o, cuts, land[i].file, hi);
		if (i < o->nbase) { /* the record it was cut from */
			cut_at(o, cuts, land[i].file, land[i].a);
			cut_at(o, cuts, land[i].file, land[i].a + land[i].len);
		}
	}
	for (size_t i = 0; i < o->oldcuts.len; i++) { /* of records dropped (note 8) */
		const uint64_t *c = VEC_AT(o->oldcuts, uint64_t, i);
		cut_at(o, cuts, (unsigned)(*c >> 41), *c & ((1ull << 41) - 1));
	}
	for (size_t i = 0; i < o->writes.len; i++) {
		const struct wreq *w = VEC_AT(o->writes, struct wreq, i);
		cut_at(o, cuts, w->file, w->a);
		cut_at(o, cuts, w->file, w->a + w->len);
	}
	if (o->wold) {
		GHashTableIter it;
		gpointer k, val;
		g_hash_table_iter_init(&it, o->wold);
		while (g_hash_table_iter_next(&it, &k, &val)) {
			const struct wreq *w = val;
			cut_at(o, cuts, w->file, w->a);
			cut_at(o, cuts, w->file, w->a + w->len);
		}
	}
	for (size_t i = 0; i < o->reads.len; i++) {
		const struct rreq *r = VEC_AT(o->reads, struct rreq, i);
		cut_at(o, cuts, r->file, r->a);
		cut_at(o, cuts, r->file, r->a + r->len);
		for (uint32_t c = r->first; c; c = VEC_AT(o->copies, struct copy, c - 1)->next) {
			const struct copy *cp = VEC_AT(o->copies, struct copy, c - 1);
			cut_at(o, cuts, r->file, cp->a);
			cut_at(o, cuts, r->file, cp->a + cp->len);
		}
	}
	uint64_t *cu = (uint64_t *)(void *)cuts->data;
	size_t nc = 0;
	if (cuts->len) {
		qsort(cu, cuts->len, sizeof *cu, u64_cmp);
		for (size_t i = 0; i < cuts->len; i++)
			if (!nc || cu[i] != cu[nc - 1])
				cu[nc++] = cu[i];
	}
	/* group g's first cell: OR_GSECT a group before it, plus the cuts before it */
	uint32_t *first = g_new(uint32_t, o->ngroup + 1);
	o->nsec = 0;
	for (size_t g = 0, c = 0; g <= o->ngroup; g++) {
		first[g] = (uint32_t)o->nsec;
		size_t c0 = c;
		while (c < nc && cu[c] >> 12 == g)
			c++;
		o->nsec += OR_GSECT + (c - c0);
	}
	o->nsec -= OR_GSECT; /* the sentinel group */
	o->coff = g_new(uint16_t, o->nsec + 1);
	for (size_t g = 0, c = 0; g < o->ngroup; g++) {
		uint32_t k = first[g];
		for (uint32_t s = 0; s < OR_GSECT; s++) {
			o->coff[k++] = (uint16_t)(s * OR_SECT);
			for (; c < nc && cu[c] >> 12 == g && (cu[c] & 0xfff) < (s + 1) * OR_SECT;
			     c++)
				o->coff[k++] = (uint16_t)(cu[c] & 0xfff);
		}
	}
	o->coff[o->nsec] = 0;
	for (size_t h = 0; h < o->nslot; h++) {
		struct slot *sl = &o->slot[h];
		if (!sl->idx1)
			continue;
		uint32_t g = sl->idx1 - 1;
		sl->idx1 = first[g] + 1;
		sl->ncell = first[g + 1] - first[g];
	}
	g_free(first);
	g_array_free(cuts, TRUE);
}

/* Build the cells, lay every cell's events out contiguously, sorted (cache then disk,
 * each by time, then recording order), and compute the ranks of its versions (notes 5-7). */
static void
prepare(struct oracle *o)
{
	const struct land *land = o->land.data;
	size_t nl = o->land.len, ne = 0;
	eval_free(o);
	make_cells(o);
	o->sec = g_new0(struct sector, o->nsec + 1);
	for (size_t i = 0; i < nl; i++) { /* count each cell's events in ev0 */
		const struct land *l = &land[i];
		uint64_t b, end;
		rec_span(o, i, &b, &end);
		while (b < end) {
			uint64_t base = b / OR_GROUP * OR_GROUP, gend = MIN(base + OR_GROUP, end);
			const struct slot *g = group_find(o, l->file, b);
			for (uint32_t k = cell_at(o, g, (uint32_t)(b - base)); b < gend; k++) {
				b = base + cell_end(o, g, k);
				if (!ev_kept(o, i, l, b))
					continue;
				o->sec[k].ev0++;
				ne++;
			}
		}
	}
	uint32_t sum = 0;
	for (size_t i = 0; i < o->nsec; i++) {
		uint32_t n = o->sec[i].ev0;
		o->sec[i].ev0 = sum; /* rk0 = 0: a cursor for now */
		sum += n;
	}
	o->sec[o->nsec] = (struct sector){.ev0 = sum};
	/* a counting sort by cell keeps recording order */
	o->ev = g_new(struct ev, ne ? ne : 1);
	size_t nw = 0;
	for (size_t i = 0; i < nl; i++) {
		const struct land *l = &land[i];
		struct ev proto = {.x = l->kind == EV_WB ? (uint32_t)i : l->u.v,
		                   .kw = EV_KW(l->kind, l->where, i)};
		g_assert(i < (1u << 28));
		bool ranked = l->kind == EV_WRITE || l->kind == EV_RANK;
		uint64_t b, end;
		rec_span(o, i, &b, &end);
		while (b < end) {
			uint64_t base = b / OR_GROUP * OR_GROUP, gend = MIN(base + OR_GROUP, end);
			const struct slot *g = group_find(o, l->file, b);
			for (uint32_t k = cell_at(o, g, (uint32_t)(b - base)); b < gend; k++) {
				struct sector *sec = &o->sec[k];
				b = base + cell_end(o, g, k);
				if (!ev_kept(o, i, l, b))
					continue;
				struct ev *e = &o->ev[sec->ev0 + sec->rk0++];
				*e = proto;
				e->t = land_time(l, b);
				nw += ranked && sec_nev(sec) > 1;
			}
		}
	}
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
		while (s->ncache < nev && ev_where(&e[s->ncache]) == OR_CACHE)
			s->ncache++;
		s->rk0 = rat;
		if (nev < 2)
			continue; /* a lone write's rank is its event (ranks_of) */
		/* each version's earliest landing on the sector, either place */
		uint32_t n = 0;
		for (uint32_t k = 0; k < nev; k++) {
			if (ev_kind(&e[k]) != EV_WRITE && ev_kind(&e[k]) != EV_RANK)
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
				if (ev_kind(&e[k]) == EV_WRITE || ev_kind(&e[k]) == EV_RANK)
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
		while (e && (ev_kind(e) == EV_RANK || ev_kind(e) == EV_LAST)) /* not contents */
			e = e > list ? e - 1 : NULL;
		if (!e)
			return 0;
		switch (ev_kind(e)) {
		case EV_WRITE:
		case EV_VAL:
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
	return wr_mut(o, v);
}

/* C: the read's cells (scratch); SEEN and HAVE: scratch of at least as many entries. */
static void
judge_read(struct oracle *o, const struct rreq *r, struct cells *c, uint32_t **seen, bool **have,
           uint32_t *nscratch, bool *torn, bool *stale)
{
	*torn = *stale = false;
	uint64_t ra = r->a, rb = r->a + r->len;
	if (!cells_of(o, r->file, ra, rb, c))
		return; /* it saw version 0 everywhere: nothing newer, nothing to tear */
	uint32_t n = c->n;
	if (n > *nscratch) {
		*nscratch = n;
		*seen = g_renew(uint32_t, *seen, n);
		*have = g_renew(bool, *have, n);
	}
	uint32_t *sn = *seen;
	bool *hv = *have;
	memset(sn, 0, n * sizeof *sn);
	memset(hv, 0, n * sizeof *hv);
	for (uint32_t k = r->first; k; k = VEC_AT(o->copies, struct copy, k - 1)->next) {
		const struct copy *cp = VEC_AT(o->copies, struct copy, k - 1);
		/* the copy's cells within the request */
		uint64_t lo = MAX(cp->a, ra), hi = MIN(cp->a + cp->len, rb);
		for (uint32_t i = cells_from(c, lo); i < n && c->lo[i] < hi; i++) {
			hv[i] = true;
			if (!c->sec[i]) {
				sn[i] = 0;
				continue;
			}
			double tau = cp->t + (double)(c->hi[i] - cp->a) * cp->d / (double)cp->len;
			sn[i] = value_at(o, c->sec[i], cp->where, tau);
		}
	}
	for (uint32_t i = 0; i < n && !*stale; i++) {
		const struct sector *s = c->sec[i];
		if (!hv[i] || !s)
			continue;
		double rs = rank(o, s, sn[i]);
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
		for (uint32_t i = 0; i < n && !*torn; i++) {
			uint32_t W = sn[i];
			if (!hv[i] || W == 0 || !wr(o, W)->posix)
				continue;
			/* the cells of W's bytes that the read copied: a byte of W older than W */
			const struct wreq *x = wr(o, W);
			for (uint32_t j = cells_from(c, x->a);
			     j < n && c->lo[j] < x->a + x->len && !*torn; j++) {
				if (!hv[j])
					continue;
				uint32_t v = sn[j];
				if (v != W && rank(o, c->sec[j], v) < rank(o, c->sec[j], W))
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

/* The indexes of the N concurrent-class requests C in (file, first byte) order, equal
 * keys in recording order: an LSD radix sort by bytes, skipping the bytes all keys share. */
static uint32_t *
conc_order(const struct creq *c, uint32_t n)
{
	uint32_t *a = g_new(uint32_t, n ? n : 1), *b = g_new(uint32_t, n ? n : 1);
	uint64_t ds = 0, df = 0; /* the bits where some key differs from the first */
	for (uint32_t i = 0; i < n; i++) {
		a[i] = i;
		ds |= c[i].a ^ c[0].a;
		df |= (uint64_t)(c[i].file ^ c[0].file);
	}
	uint64_t diff[2] = {ds, df};
	for (int d = 0; d < 12; d++) { /* a's 8 bytes, then file's 4, least significant first */
		int w = d < 8 ? 0 : 1, sh = 8 * (d < 8 ? d : d - 8);
		if (!((diff[w] >> sh) & 0xff))
			continue;
		uint32_t cnt[256] = {0};
		for (uint32_t i = 0; i < n; i++) {
			uint64_t key = w ? c[a[i]].file : c[a[i]].a;
			cnt[(key >> sh) & 0xff]++;
		}
		uint32_t sum = 0;
		for (int k = 0; k < 256; k++) {
			uint32_t x = cnt[k];
			cnt[k] = sum;
			sum += x;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint64_t key = w ? c[a[i]].file : c[a[i]].a;
			b[cnt[(key >> sh) & 0xff]++] = a[i];
		}
		uint32_t *t = a;
		a = b;
		b = t;
	}
	g_free(b);
	return a;
}

/* Judging scratch: a range's cells and two arrays as long. */
struct scratch {
	struct cells cl;
	uint32_t *seen;
	bool *have;
	uint32_t n;
};

static void
scratch_free(struct scratch *x)
{
	g_free(x->seen);
	g_free(x->have);
	cells_free(&x->cl);
}

/* B, a completed POSIX write: mark B and any POSIX write A torn when some byte they share
 * holds A's data and another B's, as of B's completion (the latest to land by then). */
static void
judge_torn_write(struct oracle *o, uint32_t b, struct scratch *x)
{
	const struct wreq *B = wr(o, b);
	struct cells *cl = &x->cl;
	cells_of(o, B->file, B->a, B->a + B->len, cl);
	uint32_t n = cl->n;
	if (n > x->n) {
		x->n = n;
		x->seen = g_renew(uint32_t, x->seen, n);
		x->have = g_renew(bool, x->have, n);
	}
	uint32_t *c = x->seen;
	for (uint32_t i = 0; i < n; i++)
		c[i] = latest_by(o, cl->sec[i], B->t_done + OR_EPS);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a = c[i];
		if (a == 0 || a == b || !wr(o, a)->posix || !wr(o, a)->done ||
		    wr(o, a)->t_done > B->t_done)
			continue;
		const struct wreq *A = wr(o, a);
		for (uint32_t j = cells_from(cl, A->a); j < n && cl->lo[j] < A->a + A->len; j++) {
			if (c[j] == b) {
				wr_mut(o, a)->torn = wr_mut(o, b)->torn = true;
				break;
			}
		}
	}
}

/* A verdict found before or_evaluate, kept for it (note 8). */
static void
keep_verdict(struct oracle *o, uint64_t req, uint32_t tag, enum or_kind kind)
{
	*(struct or_verdict *)vec_push(&o->verdicts) = (struct or_verdict){req, tag, kind};
}

/* Mark the concurrent-class requests that overlapped in space and time (note 8: called on
 * the ones kept, again and again; a mark is never undone). */
static void
conc_mark(struct oracle *o)
{
	struct creq *cr = o->conc.data;
	uint32_t nc = (uint32_t)o->conc.len;
	uint32_t *ord = conc_order(cr, nc);
	for (uint32_t i = 0; i < nc; i++) {
		struct creq *x = &cr[ord[i]];
		for (uint32_t j = i + 1; j < nc; j++) {
			struct creq *y = &cr[ord[j]];
			if (y->file != x->file || y->a >= x->a + x->len)
				break;
			if (y->t_issue < x->t_done && x->t_issue < y->t_done)
				x->hit = y->hit = true;
		}
	}
	g_free(ord);
}

void
or_evaluate(struct oracle *o, void (*verdict)(void *ctx, const struct or_verdict *v), void *ctx,
            struct or_totals *tot)
{
	*tot = (struct or_totals){.writes = o->nwrites, .reads = o->nreads, .cells_tracked = 0};
	/* what earlier windows found (note 8) */
	for (size_t i = 0; i < o->verdicts.len; i++) {
		const struct or_verdict *v = VEC_AT(o->verdicts, struct or_verdict, i);
		uint64_t *n[] = {&tot->torn_reads, &tot->torn_writes, &tot->stale_reads,
		                 &tot->lost_writes, &tot->conc_overlaps};
		(*n[v->kind])++;
		judged(verdict, ctx, v->req, v->tag, v->kind);
	}
	o->verdicts.len = 0;
	prepare(o);
	for (size_t i = 0; i < o->nsec; i++)
		tot->cells_tracked += sec_nev(&o->sec[i]) > 0;
	/* reads */
	struct scratch x = {0};
	for (size_t i = 0; i < o->reads.len; i++) {
		struct rreq *r = VEC_AT(o->reads, struct rreq, i);
		if (r->judged)
			continue;
		bool torn, stale;
		judge_read(o, r, &x.cl, &x.seen, &x.have, &x.n, &torn, &stale);
		r->judged = true;
		if (torn) {
			tot->torn_reads++;
			judged(verdict, ctx, r->req, r->tag, OR_TORN_READ);
		}
		if (stale) {
			tot->stale_reads++;
			judged(verdict, ctx, r->req, r->tag, OR_STALE_READ);
		}
	}
	/* torn writes: B the later to complete, A any POSIX write holding some shared byte */
	for (size_t i = 0; i < o->writes.len; i++) {
		struct wreq *B = VEC_AT(o->writes, struct wreq, i);
		if (B->judged || !B->posix || !B->done)
			continue;
		judge_torn_write(o, o->wbase + (uint32_t)i, &x);
		B->judged = true;
	}
	scratch_free(&x);
	/* lost writes: the disk's final content of each cell */
	for (size_t si = 0; si < o->nsec; si++) {
		const struct sector *s = &o->sec[si];
		/* the last completed write to this sector (cache events first, then the disk's,
		 * each in time order: the first of equal completion times wins) */
		uint32_t last = 0;
		const struct ev *e = o->ev + s->ev0;
		for (uint32_t i = 0, n = sec_nev(s); i < n; i++) {
			unsigned k = ev_kind(&e[i]);
			if ((k != EV_WRITE && k != EV_LAST) || !wr(o, e[i].x)->done)
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
		             : nd == 1 && ev_kind(d1) == EV_WRITE && d1->t <= INFINITY
		                 ? d1->x
		                 : value_at(o, s, OR_DISK, INFINITY);
		const struct wreq *L = wr(o, last);
		bool ok = d == last || (d != 0 && wr(o, d)->t_issue < L->t_done &&
		                        wr(o, d)->t_done > L->t_issue);
		if (!ok)
			wr_mut(o, last)->lost = true;
	}
	eval_free(o);
	/* the writes kept from earlier windows first (any order: verdicts are counted), then
	 * the window's in version order */
	GPtrArray *olds = g_ptr_array_new();
	if (o->wold) {
		GHashTableIter it;
		gpointer k, val;
		g_hash_table_iter_init(&it, o->wold);
		while (g_hash_table_iter_next(&it, &k, &val))
			g_ptr_array_add(olds, val);
	}
	for (size_t i = 0; i < olds->len + o->writes.len; i++) {
		const struct wreq *w =
		    i < olds->len ? olds->pdata[i] : VEC_AT(o->writes, struct wreq, i - olds->len);
		if (w->torn) {
			tot->torn_writes++;
			judged(verdict, ctx, w->req, w->tag, OR_TORN_WRITE);
		}
		if (w->lost) {
			tot->lost_writes++;
			judged(verdict, ctx, w->req, w->tag, OR_LOST_WRITE);
		}
	}
	g_ptr_array_free(olds, TRUE);
	/* concurrent-class requests that overlapped in space and time */
	conc_mark(o);
	const struct creq *cr = o->conc.data;
	uint32_t nc = (uint32_t)o->conc.len;
	uint32_t *ord = conc_order(cr, nc);
	for (uint32_t i = 0; i < nc; i++)
		if (cr[ord[i]].hit) {
			tot->conc_overlaps++;
			judged(verdict, ctx, cr[ord[i]].req, cr[ord[i]].tag, OR_CONC_OVERLAP);
		}
	g_free(ord);
	XBT_VERB("judged %llu writes and %llu reads: %llu torn reads, %llu torn writes, %llu stale "
	         "reads, %llu lost writes, %llu concurrent overlaps",
	         (unsigned long long)tot->writes, (unsigned long long)tot->reads,
	         (unsigned long long)tot->torn_reads, (unsigned long long)tot->torn_writes,
	         (unsigned long long)tot->stale_reads, (unsigned long long)tot->lost_writes,
	         (unsigned long long)tot->conc_overlaps);
}

/* ---- incremental judging (note 8) ---- */

static void
heap_swap(struct oracle *o, uint32_t i, uint32_t j)
{
	uint32_t a = o->heap[i], b = o->heap[j];
	o->heap[i] = b;
	o->heap[j] = a;
	VEC_AT(o->tok, struct tok, b)->pos = i;
	VEC_AT(o->tok, struct tok, a)->pos = j;
}

static double
tok_t(const struct oracle *o, uint32_t h)
{
	return VEC_AT(o->tok, struct tok, o->heap[h])->t;
}

static void
heap_fix(struct oracle *o, uint32_t i)
{
	while (i > 0 && tok_t(o, (i - 1) / 2) > tok_t(o, i)) {
		heap_swap(o, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		uint32_t m = i, l = 2 * i + 1, r = l + 1;
		if (l < o->nheap && tok_t(o, l) < tok_t(o, m))
			m = l;
		if (r < o->nheap && tok_t(o, r) < tok_t(o, m))
			m = r;
		if (m == i)
			return;
		heap_swap(o, i, m);
		i = m;
	}
}

uint32_t
or_io_begin(struct oracle *o, double t)
{
	uint32_t k;
	if (o->tfree.len)
		k = *VEC_AT(o->tfree, uint32_t, --o->tfree.len);
	else {
		k = (uint32_t)o->tok.len;
		vec_push(&o->tok);
		o->heap = g_renew(uint32_t, o->heap, o->tok.cap);
	}
	struct tok *x = VEC_AT(o->tok, struct tok, k);
	x->t = t;
	x->pos = o->nheap;
	o->heap[o->nheap++] = k;
	heap_fix(o, x->pos);
	return k + 1;
}

static size_t
records(const struct oracle *o)
{
	return o->land.len + o->copies.len + o->reads.len + o->writes.len + o->conc.len;
}

void
or_io_end(struct oracle *o, uint32_t token, double now)
{
	uint32_t k = token - 1;
	struct tok *x = VEC_AT(o->tok, struct tok, k);
	uint32_t i = x->pos;
	g_assert(i < o->nheap && o->heap[i] == k);
	x->pos = UINT32_MAX;
	o->nheap--;
	if (i < o->nheap) {
		heap_swap(o, i, o->nheap);
		heap_fix(o, i);
	}
	*(uint32_t *)vec_push(&o->tfree) = k;
	if (records(o) >= o->next && !o->unaligned)
		compact(o, now);
}

void
or_set_window(struct oracle *o, size_t n)
{
	o->window = n ? n : 1;
	o->next = records(o) + o->window;
}

size_t
or_records(const struct oracle *o)
{
	return records(o);
}

/* One record of the base for bytes [lo, hi) of a cell: a copy of SRC (its geometry, so its
 * landing times are the same) of kind KIND, or (SRC NULL) a record of no duration at -inf. */
struct bdesc {
	const struct land *src;
	uint32_t v;
	uint8_t kind, where;
};

static bool
bdesc_eq(const struct bdesc *x, const struct bdesc *y)
{
	return x->src == y->src && x->v == y->v && x->kind == y->kind && x->where == y->where;
}

typedef uint64_t span2[2];

struct base {
	struct vec land;    /* the new base's records */
	struct vec clip;    /* uint64_t[2] */
	struct bdesc *prev; /* the previous cell's descriptions (merged when equal) */
	uint32_t nprev, capprev;
	size_t prev0; /* their records' first index */
	uint64_t prev_hi;
	unsigned prev_file;
};

static void
base_cell(struct base *b, unsigned file, uint64_t lo, uint64_t hi, const struct bdesc *d,
          uint32_t n)
{
	bool same = b->nprev == n && b->prev_hi == lo && b->prev_file == file && n > 0;
	for (uint32_t i = 0; same && i < n; i++)
		same = bdesc_eq(&b->prev[i], &d[i]);
	if (same) {
		for (uint32_t i = 0; i < n; i++)
			(*VEC_AT(b->clip, span2, b->prev0 + i))[1] = hi;
		b->prev_hi = hi;
		return;
	}
	b->prev0 = b->land.len;
	for (uint32_t i = 0; i < n; i++) {
		struct land *l = vec_push(&b->land);
		if (d[i].src) {
			*l = *d[i].src;
		} else {
			*l = (struct land){.a = lo, .len = hi - lo, .t = -INFINITY, .file = file};
		}
		l->kind = d[i].kind;
		l->where = d[i].where;
		if (d[i].kind != EV_WB)
			l->u.v = d[i].v;
		uint64_t *c = *(span2 *)vec_push(&b->clip);
		c[0] = lo;
		c[1] = hi;
	}
	if (n > b->capprev) {
		b->capprev = n;
		b->prev = g_renew(struct bdesc, b->prev, n);
	}
	memcpy(b->prev, d, n * sizeof *d);
	b->nprev = n;
	b->prev_hi = hi;
	b->prev_file = file;
}

/* The content of place P of cell S from its events before H2 (note 8); false: none. */
static bool
old_value(const struct oracle *o, const struct sector *s, enum or_where p, double H2, uint32_t *v)
{
	uint32_t n;
	const struct ev *list = events(o, s, p, &n);
	const struct ev *e = NULL;
	for (uint32_t i = 0; i < n && list[i].t < H2; i++)
		if (ev_kind(&list[i]) != EV_RANK && ev_kind(&list[i]) != EV_LAST)
			e = &list[i];
	if (!e)
		return false;
	switch (ev_kind(e)) {
	case EV_WRITE:
	case EV_VAL:
		*v = e->x;
		break;
	case EV_ZERO:
		*v = 0;
		break;
	case EV_FILL:
		*v = value_at(o, s, OR_DISK, e->t);
		break;
	default: /* EV_WB */
		*v = value_at(o, s, OR_CACHE, VEC_AT(o->land, struct land, e->x)->u.tref);
		break;
	}
	return true;
}

static void
set_add(GHashTable *set, uint32_t v)
{
	if (v)
		g_hash_table_add(set, GUINT_TO_POINTER(v));
}

/* Push the ends of [a, a + len) of FILE that are not sector boundaries (note 8). */
static void
keep_cuts(struct oracle *o, unsigned file, uint64_t a, uint64_t len)
{
	uint64_t e[2] = {a, a + len};
	for (int i = 0; i < 2; i++)
		if (e[i] % OR_SECT)
			*(uint64_t *)vec_push(&o->oldcuts) = (uint64_t)file << 41 | e[i];
}

/* note 8 */
static void
compact(struct oracle *o, double now)
{
	double H = o->nheap ? MIN(now, tok_t(o, 0)) : now;
	size_t before = records(o);
	o->next = before + o->window;
	if (!(H > o->h2))
		return;
	prepare(o);
	/* judge what completed before H */
	struct scratch x = {0};
	for (size_t i = 0; i < o->reads.len; i++) {
		struct rreq *r = VEC_AT(o->reads, struct rreq, i);
		if (r->judged || !r->done || !(r->t_done < H))
			continue;
		bool torn, stale;
		judge_read(o, r, &x.cl, &x.seen, &x.have, &x.n, &torn, &stale);
		r->judged = true;
		if (torn)
			keep_verdict(o, r->req, r->tag, OR_TORN_READ);
		if (stale)
			keep_verdict(o, r->req, r->tag, OR_STALE_READ);
	}
	for (size_t i = 0; i < o->writes.len; i++) {
		struct wreq *B = VEC_AT(o->writes, struct wreq, i);
		if (B->judged || !B->done || !(B->t_done + OR_EPS < H))
			continue;
		if (B->posix)
			judge_torn_write(o, o->wbase + (uint32_t)i, &x);
		B->judged = true;
	}
	scratch_free(&x);
	/* the horizon of the base: nothing left to judge started before it */
	double H2 = H;
	for (size_t i = 0; i < o->reads.len; i++) {
		const struct rreq *r = VEC_AT(o->reads, struct rreq, i);
		if (!r->judged)
			H2 = MIN(H2, r->t_issue);
	}
	uint32_t wlow = o->wbase + (uint32_t)o->writes.len; /* the first write not judged */
	for (size_t i = 0; i < o->writes.len; i++) {
		const struct wreq *w = VEC_AT(o->writes, struct wreq, i);
		if (!w->judged) {
			H2 = MIN(H2, w->t_issue);
			wlow = MIN(wlow, o->wbase + (uint32_t)i);
		}
	}
	/* a write-back kept must find the cache as it was at its snapshot */
	for (bool again = true; again;) {
		again = false;
		for (size_t i = o->nbase; i < o->land.len; i++) {
			const struct land *l = VEC_AT(o->land, struct land, i);
			if (l->kind == EV_WB && l->u.tref < H2 &&
			    land_time(l, l->a + l->len) >= H2) {
				H2 = l->u.tref;
				again = true;
			}
		}
	}
	if (!(H2 > o->h2)) {
		eval_free(o);
		return;
	}
	/* concurrent-class requests done by H2 overlap nothing to come */
	conc_mark(o);
	size_t nc = 0;
	for (size_t i = 0; i < o->conc.len; i++) {
		struct creq *c = VEC_AT(o->conc, struct creq, i);
		if (c->t_done <= H2) {
			if (c->hit)
				keep_verdict(o, c->req, c->tag, OR_CONC_OVERLAP);
			continue;
		}
		*VEC_AT(o->conc, struct creq, nc++) = *c;
	}
	o->conc.len = nc;
	/* the versions a future read may see: each place's content at H2 */
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (size_t si = 0; si < o->nsec; si++) {
		uint32_t v;
		if (old_value(o, &o->sec[si], OR_CACHE, H2, &v))
			set_add(seen, v);
		if (old_value(o, &o->sec[si], OR_DISK, H2, &v))
			set_add(seen, v);
	}
	/* the base, cell by cell (group by group, merged along a group) */
	struct base b = {.land.size = sizeof(struct land), .clip.size = sizeof(span2)};
	struct bdesc *d = NULL;
	struct rk *rks = NULL;
	uint32_t cap = 0;
	for (size_t h = 0; h < o->nslot; h++) {
		const struct slot *g = &o->slot[h];
		if (!g->idx1)
			continue;
		unsigned file = (unsigned)(g->gkey >> 41);
		uint64_t gbase = (g->gkey & ((1ull << 41) - 1)) * OR_GROUP;
		b.nprev = 0;
		for (uint32_t k = g->idx1 - 1; k < g->idx1 - 1 + g->ncell; k++) {
			const struct sector *s = &o->sec[k];
			uint64_t lo = gbase + o->coff[k], hi = gbase + cell_end(o, g, k);
			uint32_t nev = sec_nev(s), n = 0;
			const struct ev *e = o->ev + s->ev0;
			if (cap < 2 * nev + 4) {
				cap = 2 * nev + 4;
				d = g_renew(struct bdesc, d, cap);
				rks = g_renew(struct rk, rks, cap);
			}
			/* each place: the last completed write (first of equal completions), the
			 * content */
			for (int p = 0; p < 2; p++) {
				uint32_t np;
				const struct ev *l = events(o, s, (enum or_where)p, &np),
				                *last = NULL;
				for (uint32_t i = 0; i < np && l[i].t < H2; i++) {
					unsigned kd = ev_kind(&l[i]);
					if ((kd != EV_WRITE && kd != EV_LAST) ||
					    !wr(o, l[i].x)->done)
						continue;
					if (!last || wr(o, l[i].x)->t_done > wr(o, last->x)->t_done)
						last = &l[i];
				}
				if (last)
					d[n++] = (struct bdesc){NULL, last->x, EV_LAST, (uint8_t)p};
				uint32_t v;
				if (old_value(o, s, (enum or_where)p, H2, &v))
					d[n++] = (struct bdesc){NULL, v, EV_VAL, (uint8_t)p};
			}
			/* each version's first landing before H2: its rank (t), and where from (k)
			 */
			uint32_t m = 0;
			for (uint32_t i = 0; i < nev; i++) {
				unsigned kd = ev_kind(&e[i]);
				if (e[i].t >= H2 || (kd != EV_WRITE && kd != EV_RANK))
					continue;
				uint32_t j = 0;
				while (j < m && rks[j].v != e[i].x)
					j++;
				if (j == m)
					rks[m++] = (struct rk){e[i].t, e[i].x, i};
				else if (e[i].t < rks[j].t)
					rks[j] = (struct rk){e[i].t, e[i].x, i};
			}
			/* kept: the versions some place may still show, the latest (latest_by), the
			 * latest completed before H2 (stale reads: any of those will do) and every
			 * one completed since */
			int top = -1, topdone = -1;
			for (uint32_t j = 0; j < m; j++) {
				if (top < 0 || rk_less_tv(&rks[top], &rks[j]))
					top = (int)j;
				if (wr(o, rks[j].v)->t_done < H2 &&
				    (topdone < 0 || rk_less_tv(&rks[topdone], &rks[j])))
					topdone = (int)j;
			}
			for (uint32_t j = 0; j < m; j++) {
				const struct wreq *w = wr(o, rks[j].v);
				if ((int)j != top && (int)j != topdone && w->t_done < H2 &&
				    w->done &&
				    !g_hash_table_contains(seen, GUINT_TO_POINTER(rks[j].v)))
					continue;
				const struct ev *src = &e[rks[j].k];
				d[n++] = (struct bdesc){VEC_AT(o->land, struct land, ev_rec(src)),
				                        rks[j].v, EV_RANK, (uint8_t)ev_where(src)};
			}
			if (n)
				base_cell(&b, file, lo, hi, d, n);
			else
				b.nprev = 0;
		}
	}
	g_free(d);
	g_free(rks);
	g_free(b.prev);
	g_hash_table_destroy(seen);
	eval_free(o);
	/* the records kept: the base, then the real ones with an event at or after H2 */
	GHashTable *ref = g_hash_table_new(g_direct_hash, g_direct_equal);
	size_t nb = b.land.len;
	for (size_t i = 0; i < nb; i++)
		set_add(ref, VEC_AT(b.land, struct land, i)->u.v);
	for (size_t i = o->nbase; i < o->land.len; i++) {
		const struct land *l = VEC_AT(o->land, struct land, i);
		if (land_time(l, l->a + l->len) < H2) {
			keep_cuts(o, l->file, l->a, l->len);
			continue;
		}
		if (l->kind == EV_WRITE)
			set_add(ref, l->u.v);
		*(struct land *)vec_push(&b.land) = *l;
	}
	g_free(o->land.data);
	o->land = b.land;
	o->nbase = nb;
	g_free(o->clip);
	o->clip = (uint64_t(*)[2])b.clip.data;
	o->h2 = H2;
	/* reads: the judged ones up to the first kept go; the others keep their copies */
	size_t r0 = 0;
	while (r0 < o->reads.len && VEC_AT(o->reads, struct rreq, r0)->judged)
		r0++;
	struct vec cp = {.size = sizeof(struct copy)};
	for (size_t i = 0; i < o->reads.len; i++) {
		struct rreq *r = VEC_AT(o->reads, struct rreq, i);
		keep_cuts(o, r->file, r->a, r->len);
		uint32_t first = 0, last = 0;
		for (uint32_t c = r->first; c; c = VEC_AT(o->copies, struct copy, c - 1)->next) {
			const struct copy *x0 = VEC_AT(o->copies, struct copy, c - 1);
			if (r->judged) {
				keep_cuts(o, r->file, x0->a, x0->len);
				continue;
			}
			struct copy *y = vec_push(&cp);
			*y = *x0;
			y->next = 0;
			uint32_t ci = (uint32_t)cp.len;
			if (last)
				VEC_AT(cp, struct copy, last - 1)->next = ci;
			else
				first = ci;
			last = ci;
		}
		r->first = first;
		r->last = last;
	}
	g_free(o->copies.data);
	o->copies = cp;
	if (r0 && o->reads.len > r0) /* (an empty vector's data may be NULL) */
		memmove(o->reads.data, VEC_AT(o->reads, struct rreq, r0),
		        (o->reads.len - r0) * sizeof(struct rreq));
	o->reads.len -= r0;
	o->rbase += (uint32_t)r0;
	/* writes: the judged ones below the first not judged go, unless a record refers to
	 * them (then kept aside); torn ones say so now (note 4: once) */
	if (!o->wold)
		o->wold = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	GHashTableIter it;
	gpointer key, val;
	g_hash_table_iter_init(&it, o->wold);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		if (g_hash_table_contains(ref, key))
			continue;
		const struct wreq *w = val;
		if (w->torn)
			keep_verdict(o, w->req, w->tag, OR_TORN_WRITE);
		keep_cuts(o, w->file, w->a, w->len);
		g_hash_table_iter_remove(&it);
	}
	for (uint32_t v = o->wbase; v < wlow; v++) {
		const struct wreq *w = VEC_AT(o->writes, struct wreq, v - o->wbase);
		if (g_hash_table_contains(ref, GUINT_TO_POINTER(v))) {
			g_hash_table_insert(o->wold, GUINT_TO_POINTER(v), g_memdup2(w, sizeof *w));
			continue;
		}
		if (w->torn)
			keep_verdict(o, w->req, w->tag, OR_TORN_WRITE);
		keep_cuts(o, w->file, w->a, w->len);
	}
	size_t drop = wlow - o->wbase;
	if (drop && o->writes.len > drop)
		memmove(o->writes.data, VEC_AT(o->writes, struct wreq, drop),
		        (o->writes.len - drop) * sizeof(struct wreq));
	o->writes.len -= drop;
	o->wbase = wlow;
	g_hash_table_destroy(ref);
	/* the cut points kept, once each */
	uint64_t *cu = o->oldcuts.data;
	size_t ncu = 0;
	if (o->oldcuts.len) {
		qsort(cu, o->oldcuts.len, sizeof *cu, u64_cmp);
		for (size_t i = 0; i < o->oldcuts.len; i++)
			if (!ncu || cu[i] != cu[ncu - 1])
				cu[ncu++] = cu[i];
	}
	o->oldcuts.len = ncu;
	size_t after = records(o) + g_hash_table_size(o->wold);
	o->next = records(o) + MAX(o->window, 2 * after);
	XBT_VERB("oracle: history before %.9f s collapsed: %zu records -> %zu", H2, before, after);
}

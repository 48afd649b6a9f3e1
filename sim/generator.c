/*
 * generator.c -- the requests of one job clone: offsets, sizes, directions, files and
 * arrival slots, with fio's semantics (see generator.h).  Pure computation: no actor, no
 * clock but the times it is given.
 *
 * Design notes:
 * (1) Each clone has its own generator and random stream, seeded from the run's seed, the
 *     job's index and the clone's number (or fio's `randseed`), so runs are deterministic.
 * (2) Offsets follow fio: the region of a file is [offset + offset_increment x clone, + size
 *     / nfiles) (filesize= sets the file's size instead); offsets are multiples of the
 *     smallest block size or of blockalign (the "unit").  A clone's files take turns as
 *     file_service_type says.  Sequential jobs walk the region and wrap; random
 *     jobs draw units uniformly and, unless norandommap, never repeat a unit before every
 *     unit was done once in the loop (the next free unit after a used one, as fio's random
 *     map does).  zipf:theta and pareto:h draw a rank (1 hottest) and scatter ranks over the
 *     units by a fixed bijection (or, with a center, from center x units on); fio disables
 *     the random map for them.  A request that would cross the region's end is shortened.
 * (3) A clone's requests end after io_size (default size) x loops bytes unless time_based,
 *     and after number_ios requests (which never extends it); the time limits (runtime,
 *     ramp_time) are its actors' (workload.c).
 * (4) rate_iops / rate: each rated direction has its own schedule of slots, fixed (linear)
 *     or exponentially distributed (poisson) intervals, as fio's; a mixed job rated in both
 *     directions issues whichever direction is due first (fio's rate overrides the mix).
 * (5) The random map has fio's semantics (a bit per unit) but starts sparse: a directory of
 *     4-byte entries, one per 512 units, and 64-byte leaves allocated as units in them are
 *     used.  A clone doing a hundred requests over a 4 GiB region of 8 KiB units costs ~10 KiB
 *     instead of fio's 64 KiB bitmap (10,000 threads: the memory target).  Once its leaves
 *     would take half the flat bitmap it becomes that bitmap (a dense map is smaller and
 *     faster flat: scattered leaves miss the cache).
 */
#include <math.h>
#include <string.h>

#include "models/env.h"
#include "sim/generator.h"
#include "sim/job.h"

/* ---- the generator (notes 2, 4) ---- */

/* The random map (note 5): a bit per unit.  Sparse at first: leaves of RM_LEAF units, a leaf
 * allocated when a unit in it is first used, dir[i] = leaf i's index in `leaves` plus one (0
 * while untouched); once the leaves would take half of a flat bitmap, a flat bitmap. */
#define RM_LEAF 512
#define RM_WORDS (RM_LEAF / 64)
struct rmap {
	uint32_t *dir;
	GArray *leaves; /* of uint64_t[RM_WORDS] */
	uint64_t *flat; /* after the switch: (nunits + 63) / 64 words; dir and leaves freed */
	uint64_t nunits;
};

static bool
rm_test(const struct rmap *m, uint64_t b)
{
	if (m->flat)
		return m->flat[b / 64] >> (b % 64) & 1;
	uint32_t l = m->dir[b / RM_LEAF];
	if (!l)
		return false;
	const uint64_t *w = &g_array_index(m->leaves, uint64_t, (l - 1) * RM_WORDS);
	return w[b % RM_LEAF / 64] >> (b % 64) & 1;
}

static uint64_t
rm_words(const struct rmap *m)
{
	return (m->nunits + 63) / 64;
}

static void
rm_set(struct rmap *m, uint64_t b)
{
	if (m->flat) {
		m->flat[b / 64] |= 1ull << (b % 64);
		return;
	}
	uint32_t *l = &m->dir[b / RM_LEAF];
	if (!*l) {
		if ((m->leaves->len + RM_WORDS) * 2 > rm_words(m)) { /* go flat */
			m->flat = g_new0(uint64_t, rm_words(m));
			uint64_t nl = (m->nunits + RM_LEAF - 1) / RM_LEAF;
			for (uint64_t i = 0; i < nl; i++)
				if (m->dir[i])
					memcpy(&m->flat[i * RM_WORDS],
					       &g_array_index(m->leaves, uint64_t,
					                      (m->dir[i] - 1) * RM_WORDS),
					       MIN(RM_WORDS, rm_words(m) - i * RM_WORDS) * 8);
			g_free(m->dir);
			m->dir = NULL;
			g_array_free(m->leaves, TRUE);
			m->leaves = NULL;
			rm_set(m, b);
			return;
		}
		g_array_set_size(m->leaves, m->leaves->len + RM_WORDS); /* zeroed */
		*l = m->leaves->len / RM_WORDS;
	}
	uint64_t *w = &g_array_index(m->leaves, uint64_t, (*l - 1) * RM_WORDS);
	w[b % RM_LEAF / 64] |= 1ull << (b % 64);
}

static void
rm_init(struct rmap *m, uint64_t nunits)
{
	m->nunits = nunits;
	m->dir = g_new0(uint32_t, (nunits + RM_LEAF - 1) / RM_LEAF);
	m->leaves = g_array_new(FALSE, TRUE, sizeof(uint64_t));
}

static bool
rm_ready(const struct rmap *m)
{
	return m->dir || m->flat;
}

/* A new loop.  Only a full map is cleared, and a full map is flat: the switch comes when the
 * leaves reach half the bitmap, before every leaf exists. */
static void
rm_clear(struct rmap *m)
{
	g_assert(m->flat);
	memset(m->flat, 0, rm_words(m) * 8);
}

static void
rm_free(struct rmap *m)
{
	g_free(m->dir);
	g_free(m->flat);
	if (m->leaves)
		g_array_free(m->leaves, TRUE);
}

uint64_t
wl_map_estimate(uint64_t nunits, uint64_t requests)
{
	/* a leaf (RM_WORDS words) per unit touched at most; the switch to flat when the leaves
	 * would take half the bitmap; at the switch the directory (4 bytes a leaf), the leaves
	 * and the bitmap exist together */
	uint64_t leaves = nunits / RM_LEAF + 1, leaf_bytes = RM_WORDS * 8;
	uint64_t used = MIN(leaves, env_sat_add(requests, 1));
	uint64_t flat = nunits / 8 + 1, dir = env_sat_mul(leaves, sizeof(uint32_t));
	return env_sat_mul(used, 2 * leaf_bytes) > flat
	           ? env_sat_add(env_sat_add(flat, flat / 2), dir)
	           : env_sat_add(dir, env_sat_mul(used, leaf_bytes));
}

struct wl_fstate {
	char *name;
	uint64_t fsize;      /* the size the file is created with */
	uint64_t start, len; /* the region: bytes */
	uint64_t nunits;
	uint64_t seqpos; /* next sequential offset in the region */
	struct rmap map; /* random map (note 5) */
	bool use_map;
	uint64_t map_used;
	uint64_t mult, add; /* rank -> unit bijection (skewed distributions) */
	double zx1, zn, zs; /* zipf rejection-inversion constants */
};

struct wl_gen {
	const struct wl_job *j;
	GRand *rng_; /* made at the first draw (rng()): a clone set up only to name its
	              * files (wl_jobs_load) never seeds one */
	guint32 rng_seed;
	int nfiles, cur_file;
	uint64_t file_left; /* file_service_type: requests (bytes: sequential) left on cur_file */
	struct wl_fstate *f;
	uint64_t issued, bytes, limit_bytes;
	uint64_t run_left; /* rw=...:N: requests left in this run */
	int run_file;
	uint64_t run_off, run_len;
	double due[2];
};

/* The clone's random stream, seeded at its first draw: the same seed and so the same stream
 * as seeding it in wl_gen_new, but wl_jobs_load's clones, made only to name their files and
 * sizes, never pay glib's Mersenne twister set-up (about 8,500 instructions each: 10,000
 * threads set up twice before the run, in the check and in the run's own load). */
static inline GRand *
rng(struct wl_gen *g)
{
	if (G_UNLIKELY(!g->rng_))
		g->rng_ = g_rand_new_with_seed(g->rng_seed);
	return g->rng_;
}

static double
zh1(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

static double
zh2(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
}

static double
zhint(double x, double e)
{
	double lx = log(x);
	return zh2((1 - e) * lx) * lx;
}

static double
zh(double x, double e)
{
	return exp(-e * log(x));
}

static double
zhinv(double x, double e)
{
	double t = x * (1 - e);
	if (t < -1)
		t = -1;
	return exp(zh1(t) * x);
}

/* Zipf(theta) rank in [1, n] by rejection-inversion (Hoermann & Derflinger 1996): exact. */
static uint64_t
zipf_rank(struct wl_fstate *f, double e, GRand *rng)
{
	for (;;) {
		double u = f->zn + g_rand_double(rng) * (f->zx1 - f->zn);
		double x = zhinv(u, e);
		double k = floor(x + 0.5);
		if (k < 1)
			k = 1;
		else if (k > (double)f->nunits)
			k = (double)f->nunits;
		if (k - x <= f->zs || u >= zhint(k + 0.5, e) - zh(k, e))
			return (uint64_t)k;
	}
}

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* A unit for rank R (0 hottest): scattered by a bijection, or contiguous from the center. */
static uint64_t
place(const struct wl_job *j, const struct wl_fstate *f, uint64_t r)
{
	if (j->dist_center >= 0)
		return (r + (uint64_t)(j->dist_center * (double)(f->nunits - 1))) % f->nunits;
	return (uint64_t)(((unsigned __int128)r * f->mult + f->add) % f->nunits);
}

static uint64_t
pick_unit(struct wl_gen *g, struct wl_fstate *f)
{
	const struct wl_job *j = g->j;
	if (j->dist == WL_ZIPF)
		return place(j, f, zipf_rank(f, j->dist_param, rng(g)) - 1);
	if (j->dist == WL_PARETO) { /* fio: (n - 1) * u^(ln h / ln(1 - h)) */
		double p = log(j->dist_param) / log(1 - j->dist_param);
		uint64_t r = (uint64_t)((double)(f->nunits - 1) * pow(g_rand_double(rng(g)), p));
		return place(j, f, MIN(r, f->nunits - 1));
	}
	uint64_t b = (uint64_t)(g_rand_double(rng(g)) * (double)f->nunits);
	if (b >= f->nunits)
		b = f->nunits - 1;
	if (!f->use_map)
		return b;
	if (!rm_ready(&f->map)) /* at first use: loading a scenario (check) allocates nothing */
		rm_init(&f->map, f->nunits);
	if (f->map_used == f->nunits) { /* every unit done: a new loop */
		rm_clear(&f->map);
		f->map_used = 0;
	}
	while (rm_test(&f->map, b))
		b = b + 1 == f->nunits ? 0 : b + 1;
	return b;
}

static void
mark(struct wl_fstate *f, uint64_t b, uint64_t n)
{
	for (uint64_t k = b; rm_ready(&f->map) && k < b + n && k < f->nunits; k++)
		if (!rm_test(&f->map, k)) {
			rm_set(&f->map, k);
			f->map_used++;
		}
}

static uint64_t
pick_len(struct wl_gen *g, enum io_dir dir)
{
	const struct wl_bs *b = &g->j->bs[dir];
	if (b->n) {
		unsigned r = (unsigned)g_rand_int_range(rng(g), 1, 101);
		for (int i = 0; i < b->n; i++)
			if (r <= b->perc[i])
				return b->size[i];
		return b->size[b->n - 1];
	}
	if (b->min == b->max)
		return b->min;
	/* fio: uniform in [min, max], then down to a multiple of min unless unaligned */
	uint64_t len = b->min + (uint64_t)(g_rand_double(rng(g)) * (double)(b->max - b->min + 1));
	len = MIN(len, b->max);
	if (!b->unaligned)
		len -= len % b->min;
	return len;
}

struct wl_gen *
wl_gen_new(const struct wl_job *j, int clone, uint64_t seed)
{
	struct wl_gen *g = g_new0(struct wl_gen, 1);
	g->j = j;
	uint64_t sd = j->has_randseed ? j->randseed + (uint64_t)clone
	                              : seed * 1000003u + j->index * 7919u + (uint64_t)clone;
	g->rng_ = NULL; /* rng() seeds it at the first draw */
	g->rng_seed = (guint32)(sd ^ (sd >> 32));
	g->nfiles = j->raw ? 1 : j->nfiles;
	g->f = g_new0(struct wl_fstate, g->nfiles);
	uint64_t start = j->offset + j->offset_increment * (uint64_t)clone;
	/* the skewed distributions' placement is the job's, shared by its clones */
	uint64_t jseed = j->has_randseed ? j->randseed : seed * 31u + j->index;
	for (int i = 0; i < g->nfiles; i++) {
		struct wl_fstate *f = &g->f[i];
		if (j->raw)
			f->name = g_strdup(j->filename);
		else if (j->files)
			f->name = g_strdup(j->files[i]);
		else {
			char *n = g_strdup_printf("%s.%d.%d", j->name, clone, i);
			f->name = wl_job_in_dir(j, clone, n);
			g_free(n);
		}
		f->start = start + (j->append_base && j->files ? j->append_base[i] : 0);
		f->len = j->size;
		f->fsize = j->filesize ? j->filesize : f->start + j->size;
		if (f->start + f->len > f->fsize && !j->raw)
			f->len = f->fsize > f->start ? f->fsize - f->start : 0;
		f->nunits = MAX(f->len / j->unit, 1);
		f->use_map = j->rand && !j->norandommap && !j->recs;
		f->mult = (0x9E3779B97F4A7C15ull ^ jseed) % f->nunits;
		while (f->nunits > 1 && (f->mult == 0 || gcd64(f->mult, f->nunits) != 1))
			f->mult++;
		f->add = (jseed * 0x2545F4914F6CDD1Dull + (uint64_t)i) % f->nunits;
		if (j->dist == WL_ZIPF) {
			double e = j->dist_param;
			f->zx1 = zhint(1.5, e) - 1;
			f->zn = zhint((double)f->nunits + 0.5, e);
			f->zs = 2 - zhinv(zhint(2.5, e) - zh(2, e), e);
		}
	}
	g->limit_bytes = j->io_limit * (uint64_t)MAX(j->loops, 1);
	return g;
}

void
wl_gen_start(struct wl_gen *g, double t)
{
	g->due[0] = g->due[1] = t;
}

void
wl_gen_free(struct wl_gen *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->nfiles; i++) {
		g_free(g->f[i].name);
		rm_free(&g->f[i].map);
	}
	g_free(g->f);
	if (g->rng_)
		g_rand_free(g->rng_);
	g_free(g);
}

double
wl_gen_uniform(struct wl_gen *g)
{
	return g_rand_double(rng(g));
}

int
wl_gen_nfiles(const struct wl_gen *g)
{
	return g->nfiles;
}

char *
wl_gen_file(const struct wl_gen *g, int i, uint64_t *size)
{
	if (size)
		*size = g->f[i].fsize;
	return g_strdup(g->f[i].name);
}

static bool
rated(const struct wl_job *j, int d)
{
	return j->rate_iops[d] > 0 || j->rate_bps[d] > 0;
}

static double
gap(struct wl_gen *g, int d, uint64_t len)
{
	const struct wl_job *j = g->j;
	double mean = j->rate_iops[d] > 0 ? 1.0 / j->rate_iops[d] : (double)len / j->rate_bps[d];
	if (j->poisson)
		return -log(1.0 - g_rand_double(rng(g))) * mean;
	return mean;
}

/* file_service_type: roundrobin[:N] and random[:N] switch after N requests, sequential after
 * a file's whole region */
static int
next_file(struct wl_gen *g)
{
	const struct wl_job *j = g->j;
	if (g->nfiles == 1)
		return 0;
	if (g->file_left > 0) {
		g->file_left--;
		return g->cur_file;
	}
	if (j->fst == 1)
		g->cur_file = g_rand_int_range(rng(g), 0, g->nfiles);
	else if (g->issued > 0)
		g->cur_file = (g->cur_file + 1) % g->nfiles;
	g->file_left = j->fst == 2 ? MAX(g->f[g->cur_file].nunits, 1) - 1 : j->fst_n - 1;
	return g->cur_file;
}

bool
wl_gen_next(struct wl_gen *g, struct wl_io *io)
{
	const struct wl_job *j = g->j;
	if (j->number_ios && g->issued >= j->number_ios)
		return false;
	if (!j->time_based && g->bytes >= g->limit_bytes) /* number_ios does not extend it */
		return false;
	enum io_dir dir;
	if (j->mix_read > 0 && j->mix_read < 100 && rated(j, 0) && rated(j, 1))
		dir = g->due[IO_WRITE] < g->due[IO_READ] ? IO_WRITE : IO_READ; /* note 4 */
	else
		dir = j->mix_read == 100 ||
		              (j->mix_read > 0 && g_rand_int_range(rng(g), 0, 100) < j->mix_read)
		          ? IO_READ
		          : IO_WRITE;
	uint64_t len = pick_len(g, dir);
	int fi;
	struct wl_fstate *f;
	uint64_t pos;
	if (j->seq_nr && j->rand && g->run_left > 0) { /* rw=randread:N: continue the run */
		fi = g->run_file;
		f = &g->f[fi];
		pos = j->seq_identical ? g->run_off : g->run_off + g->run_len;
		if (pos + j->unit > f->nunits * j->unit)
			pos = 0;
		g->run_left--;
	} else {
		fi = next_file(g);
		f = &g->f[fi];
		if (j->rand) {
			uint64_t b = pick_unit(g, f);
			pos = b * j->unit;
			if (j->seq_nr) {
				g->run_left = j->seq_nr - 1;
				g->run_file = fi;
			}
		} else {
			pos = f->seqpos;
		}
	}
	uint64_t end = f->nunits * j->unit;
	if (pos >= end)
		pos = 0;
	if (pos + len > end) /* shortened at the region's end (note 2) */
		len = end - pos;
	if (j->rand) {
		mark(f, pos / j->unit, (len + j->unit - 1) / j->unit);
	} else {
		uint64_t next = pos + len + j->seq_nr; /* rw=write:4k: a 4k hole after each */
		f->seqpos = next + j->unit > end ? 0 : next;
	}
	g->run_off = pos;
	g->run_len = len;
	io->dir = dir;
	io->file = fi;
	io->off = f->start + pos;
	io->len = len;
	io->not_before = 0;
	if (rated(j, dir)) {
		io->not_before = g->due[dir];
		g->due[dir] += gap(g, dir, len);
	}
	g->issued++;
	g->bytes += len;
	return true;
}

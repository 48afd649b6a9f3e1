/*
 * hist.c -- the streaming log-linear histogram (see hist.h for the error bound, the quantile
 * rule and the memory).
 *
 * A positive double's bits, read as an unsigned integer, grow with its value; their top 21
 * bits are the sign (0), the 11-bit biased exponent and the first HIST_SUB_BITS bits of the
 * mantissa.  So the exponent picks the power of two and those mantissa bits the bucket
 * within it: the index is two shifts, with no logarithm on the hot path.
 */
#include <glib.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "models/cdfdist.h"
#include "models/hist.h"

_Static_assert(HIST_CPO *HIST_CHUNK == HIST_SUB, "chunks must tile an octave");

#define EXP_BIAS 1023
#define OCT_LOW (-HIST_OCTAVES / 2) /* the first power of two kept: 2^-64 */

void
hist_init(struct hist *h)
{
	memset(h, 0, sizeof *h);
}

void
hist_free(struct hist *h)
{
	g_free(h->ex);
	for (int c = 0; c < h->o_n * HIST_CPO; c++)
		g_free(h->chunk[c]);
	g_free(h->chunk);
	hist_init(h);
}

/* Make the directory cover octave O. */
static void
cover(struct hist *h, int o)
{
	if (h->o_n && o >= h->o_lo && o < h->o_lo + h->o_n)
		return;
	int lo = h->o_n ? MIN(h->o_lo, o) : o, hi = h->o_n ? MAX(h->o_lo + h->o_n, o + 1) : o + 1;
	struct hist_chunk **d = g_new0(struct hist_chunk *, (gsize)(hi - lo) * HIST_CPO);
	if (h->o_n)
		memcpy(d + (h->o_lo - lo) * HIST_CPO, h->chunk,
		       (size_t)h->o_n * HIST_CPO * sizeof *d);
	g_free(h->chunk);
	h->chunk = d;
	h->o_lo = lo;
	h->o_n = hi - lo;
}

/* Add N values summing to SUM to bucket SUB of octave O. */
static void
count(struct hist *h, int o, uint32_t sub, uint64_t n, double sum)
{
	cover(h, o);
	struct hist_chunk **c = &h->chunk[(o - h->o_lo) * HIST_CPO + sub / HIST_CHUNK];
	if (!*c) {
		*c = g_new0(struct hist_chunk, 1);
		h->nchunks++;
	}
	(*c)->n[sub % HIST_CHUNK] += n;
	(*c)->sum[sub % HIST_CHUNK] += sum;
}

static void ex_push(struct hist *h, const double *v, uint64_t n);

void
hist_add(struct hist *h, double v)
{
	g_assert(v >= 0 && isfinite(v));
	if (h->n == 0 || v < h->min)
		h->min = v;
	if (h->n == 0 || v > h->max)
		h->max = v;
	h->n++;
	h->sum += v;
	h->sumsq += v * v;
	if (h->exact)
		ex_push(h, &v, 1);
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	int o = (int)(u >> 52) - EXP_BIAS - OCT_LOW;
	if (o < 0) {
		h->zeros++;
		return;
	}
	uint32_t sub = (uint32_t)(u >> (52 - HIST_SUB_BITS)) & (HIST_SUB - 1);
	if (o >= HIST_OCTAVES) {
		o = HIST_OCTAVES - 1;
		sub = HIST_SUB - 1;
	}
	count(h, o, sub, 1, v);
}

void
hist_keep_exact(struct hist *h)
{
	g_assert(h->n == 0);
	h->exact = true;
}

static void
ex_push(struct hist *h, const double *v, uint64_t n)
{
	if (h->ex_n + n > h->ex_cap) {
		h->ex_cap = MAX(MAX(2 * h->ex_cap, h->ex_n + n), 1024);
		h->ex = g_renew(double, h->ex, h->ex_cap);
	}
	memcpy(h->ex + h->ex_n, v, n * sizeof *v);
	h->ex_n += n;
	h->ex_sorted = false;
}

void
hist_merge(struct hist *d, const struct hist *s)
{
	if (s->n == 0)
		return;
	if (d->exact && s->exact)
		ex_push(d, s->ex, s->ex_n);
	else if (d->exact) { /* SRC's values are not known one by one: back to the buckets */
		g_free(d->ex);
		d->ex = NULL;
		d->ex_n = d->ex_cap = 0;
		d->exact = false;
	}
	if (d->n == 0 || s->min < d->min)
		d->min = s->min;
	if (d->n == 0 || s->max > d->max)
		d->max = s->max;
	d->n += s->n;
	d->zeros += s->zeros;
	d->sum += s->sum;
	d->sumsq += s->sumsq;
	for (int c = 0; c < s->o_n * HIST_CPO; c++) {
		const struct hist_chunk *k = s->chunk[c];
		if (!k)
			continue;
		int o = s->o_lo + c / HIST_CPO;
		for (uint32_t i = 0; i < HIST_CHUNK; i++)
			if (k->n[i])
				count(d, o, (uint32_t)(c % HIST_CPO) * HIST_CHUNK + i, k->n[i],
				      k->sum[i]);
	}
}

double
hist_mean(const struct hist *h)
{
	return h->n ? h->sum / (double)h->n : 0;
}

double
hist_stddev(const struct hist *h)
{
	if (h->n == 0)
		return 0;
	double m = hist_mean(h), var = h->sumsq / (double)h->n - m * m;
	return var > 0 ? sqrt(var) : 0;
}

static void
bounds(int o, uint32_t sub, double *lo, double *hi)
{
	*lo = ldexp(1.0 + (double)sub / HIST_SUB, o + OCT_LOW);
	*hi = ldexp(1.0 + (double)(sub + 1) / HIST_SUB, o + OCT_LOW);
}

static double
clamp(const struct hist *h, double x)
{
	return x < h->min ? h->min : x > h->max ? h->max : x;
}

/* Visit the non-empty buckets of the octaves in increasing order, with their count and the
 * mean of their values clamped to [min, max], until FN returns false. */
static void
walk(const struct hist *h, bool (*fn)(void *ctx, int o, uint32_t sub, uint64_t n, double mean),
     void *ctx)
{
	for (int c = 0; c < h->o_n * HIST_CPO; c++) {
		const struct hist_chunk *k = h->chunk[c];
		if (!k)
			continue;
		for (uint32_t i = 0; i < HIST_CHUNK; i++)
			if (k->n[i] && !fn(ctx, h->o_lo + c / HIST_CPO,
			                   (uint32_t)(c % HIST_CPO) * HIST_CHUNK + i, k->n[i],
			                   clamp(h, k->sum[i] / (double)k->n[i])))
				return;
	}
}

struct find {
	uint64_t k, seen;
	double x;
};

static bool
find_rank(void *ctx, int o, uint32_t sub, uint64_t n, double mean)
{
	struct find *f = ctx;
	f->seen += n;
	if (f->k >= f->seen)
		return true;
	f->x = mean;
	return false;
}

/* The K-th order statistic (0-based) as the histogram knows it. */
static double
order_stat(const struct hist *h, uint64_t k)
{
	if (k == 0)
		return h->min;
	if (k >= h->n - 1)
		return h->max;
	if (k < h->zeros)
		return clamp(h, 0);
	struct find f = {.k = k, .seen = h->zeros, .x = h->max};
	walk(h, find_rank, &f);
	return f.x;
}

double
hist_quantile(const struct hist *h, double p)
{
	if (h->n == 0)
		return 0;
	double pos = p * (double)(h->n - 1);
	uint64_t i = (uint64_t)floor(pos);
	double f = pos - (double)i;
	if (h->exact) { /* the sorted values (a cache of the histogram's: sorted in place) */
		struct hist *w = (struct hist *)h;
		g_assert(h->ex_n == h->n);
		if (!w->ex_sorted) {
			cdf_sort(w->ex, w->ex_n);
			w->ex_sorted = true;
		}
		return cdf_quantile(h->ex, h->ex_n, p); /* the rule's own code */
	}
	double xi = order_stat(h, i);
	if (i + 1 >= h->n || f == 0)
		return xi;
	return xi + f * (order_stat(h, i + 1) - xi);
}

struct each {
	const struct hist *h;
	void (*fn)(void *ctx, double lo, double hi, double mid, uint64_t count);
	void *ctx;
};

static bool
each_bucket(void *ctx, int o, uint32_t sub, uint64_t n, double mean)
{
	struct each *e = ctx;
	double lo, hi;
	bounds(o, sub, &lo, &hi);
	e->fn(e->ctx, lo, hi, mean, n);
	return true;
}

void
hist_foreach(const struct hist *h,
             void (*fn)(void *ctx, double lo, double hi, double mean, uint64_t count), void *ctx)
{
	if (h->zeros)
		fn(ctx, 0, 0, clamp(h, 0), h->zeros);
	struct each e = {h, fn, ctx};
	walk(h, each_bucket, &e);
}

uint64_t
hist_estimate(int octaves)
{
	octaves = CLAMP(octaves, 0, HIST_OCTAVES);
	return sizeof(struct hist) + (uint64_t)octaves * HIST_CPO *
	                                 (sizeof(struct hist_chunk *) + sizeof(struct hist_chunk));
}

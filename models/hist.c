/*
 * hist.c -- the streaming log-linear histogram (see hist.h for the error bound and the
 * quantile rule).
 *
 * A positive double's bits, read as an unsigned integer, grow with its value; their top 21
 * bits are the sign (0), the 11-bit biased exponent and the first HIST_SUB_BITS bits of the
 * mantissa.  So the exponent picks the power of two and those mantissa bits the bucket
 * within it: the index is two shifts, with no logarithm on the hot path.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "models/hist.h"

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
	for (int o = 0; o < HIST_OCTAVES; o++)
		g_free(h->oct[o]);
	hist_init(h);
}

static uint64_t *
block(struct hist *h, int o)
{
	if (!h->oct[o]) {
		h->oct[o] = g_new0(uint64_t, HIST_SUB);
		h->nblocks++;
	}
	return h->oct[o];
}

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
	block(h, o)[sub]++;
}

void
hist_merge(struct hist *d, const struct hist *s)
{
	if (s->n == 0)
		return;
	if (d->n == 0 || s->min < d->min)
		d->min = s->min;
	if (d->n == 0 || s->max > d->max)
		d->max = s->max;
	d->n += s->n;
	d->zeros += s->zeros;
	d->sum += s->sum;
	d->sumsq += s->sumsq;
	for (int o = 0; o < HIST_OCTAVES; o++) {
		if (!s->oct[o])
			continue;
		uint64_t *b = block(d, o);
		for (uint32_t k = 0; k < HIST_SUB; k++)
			b[k] += s->oct[o][k];
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
	uint64_t seen = h->zeros;
	for (int o = 0; o < HIST_OCTAVES; o++) {
		const uint64_t *b = h->oct[o];
		if (!b)
			continue;
		for (uint32_t s = 0; s < HIST_SUB; s++) {
			seen += b[s];
			if (k < seen) {
				double lo, hi;
				bounds(o, s, &lo, &hi);
				return clamp(h, (lo + hi) / 2);
			}
		}
	}
	return h->max; /* not reached: the counts sum to n */
}

double
hist_quantile(const struct hist *h, double p)
{
	if (h->n == 0)
		return 0;
	double pos = p * (double)(h->n - 1);
	uint64_t i = (uint64_t)floor(pos);
	double f = pos - (double)i;
	double xi = order_stat(h, i);
	if (i + 1 >= h->n || f == 0)
		return xi;
	return xi + f * (order_stat(h, i + 1) - xi);
}

void
hist_foreach(const struct hist *h,
             void (*fn)(void *ctx, double lo, double hi, double mid, uint64_t count), void *ctx)
{
	if (h->zeros)
		fn(ctx, 0, 0, clamp(h, 0), h->zeros);
	for (int o = 0; o < HIST_OCTAVES; o++) {
		const uint64_t *b = h->oct[o];
		if (!b)
			continue;
		for (uint32_t s = 0; s < HIST_SUB; s++) {
			if (!b[s])
				continue;
			double lo, hi;
			bounds(o, s, &lo, &hi);
			fn(ctx, lo, hi, clamp(h, (lo + hi) / 2), b[s]);
		}
	}
}

uint64_t
hist_estimate(void)
{
	return sizeof(struct hist) + (uint64_t)HIST_OCTAVES * HIST_SUB * sizeof(uint64_t);
}

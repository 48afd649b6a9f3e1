/*
 * stats.c -- request statistics (see stats.h).  Latencies are kept individually so that
 * percentiles are exact, not binned: 8 bytes a request.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cdfdist.h"
#include "sim/stats.h"

void
st_job_init(struct st_job *j)
{
	*j = (struct st_job){
	    .lat = g_array_new(FALSE, FALSE, sizeof(double)), .t_first = -1, .t_last = -1};
}

void
st_job_free(struct st_job *j)
{
	if (j->lat)
		g_array_free(j->lat, TRUE);
	j->lat = NULL;
}

void
st_job_add(struct st_job *j, enum io_dir op, uint64_t bytes, double t_issue, double t_done)
{
	double l = t_done - t_issue;
	j->ops[op]++;
	j->bytes[op] += bytes;
	g_array_append_val(j->lat, l);
	if (j->t_first < 0 || t_issue < j->t_first)
		j->t_first = t_issue;
	if (t_done > j->t_last)
		j->t_last = t_done;
}

void
st_job_merge(struct st_job *d, const struct st_job *s)
{
	for (int op = 0; op < 2; op++) {
		d->ops[op] += s->ops[op];
		d->bytes[op] += s->bytes[op];
	}
	g_array_append_vals(d->lat, s->lat->data, s->lat->len);
	if (s->t_first >= 0 && (d->t_first < 0 || s->t_first < d->t_first))
		d->t_first = s->t_first;
	if (s->t_last > d->t_last)
		d->t_last = s->t_last;
	d->vnode_wait += s->vnode_wait;
	d->getpages_wait += s->getpages_wait;
	d->range_wait += s->range_wait;
	d->cache_hits += s->cache_hits;
	d->cache_lookups += s->cache_lookups;
	d->torn_reads += s->torn_reads;
	d->torn_writes += s->torn_writes;
	d->stale_reads += s->stale_reads;
	d->lost_writes += s->lost_writes;
	d->conc_overlaps += s->conc_overlaps;
	d->events += s->events;
}

uint64_t
st_job_ops(const struct st_job *j)
{
	return j->ops[0] + j->ops[1];
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sort X ascending.  Non-negative doubles order as their bit patterns, so a radix sort on the
 * bits (11-bit digits, least significant first, digits every key shares skipped) gives exactly
 * the array qsort gives, in O(n); anything negative or NaN (never a latency or a wait) goes to
 * qsort.  The sums taken over sorted arrays then add in the same order either way. */
void
st_sort(double *x, size_t n)
{
	enum { BITS = 11, NB = 1 << BITS };
	if (n < 64) {
		if (n) /* an empty GArray's data is NULL */
			qsort(x, n, sizeof *x, cmp_double);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!(x[i] >= 0) || signbit(x[i])) { /* NaN, negative, or -0.0 */
			qsort(x, n, sizeof *x, cmp_double);
			return;
		}
	uint64_t *src = g_new(uint64_t, 2 * n), *dst = src + n, *buf = src, all_or = 0,
	         all_and = ~0ull;
	memcpy(src, x, n * sizeof *x); /* the bits, without aliasing x */
	for (size_t i = 0; i < n; i++) {
		all_or |= src[i];
		all_and &= src[i];
	}
	size_t *count = g_new(size_t, NB);
	for (int shift = 0; shift < 64; shift += BITS) {
		if (!(((all_or ^ all_and) >> shift) & (NB - 1)))
			continue; /* every key has the same digit here */
		memset(count, 0, NB * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[src[i] >> shift & (NB - 1)]++;
		size_t at = 0;
		for (int d = 0; d < NB; d++) {
			size_t c = count[d];
			count[d] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[src[i] >> shift & (NB - 1)]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	memcpy(x, src, n * sizeof *x);
	g_free(count);
	g_free(buf);
}

void
st_job_sort(struct st_job *j)
{
	st_sort((double *)j->lat->data, j->lat->len);
}

double
st_quantile(const double *xs, size_t n, double p)
{
	return n ? cdf_quantile(xs, n, p)
	         : 0; /* one rule for every percentile the program prints */
}

double
st_mean(const double *xs, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += xs[i];
	return n ? s / (double)n : 0;
}

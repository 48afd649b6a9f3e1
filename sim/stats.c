/*
 * stats.c -- request statistics (see stats.h).  Latencies are kept individually so that
 * percentiles are exact, not binned: 8 bytes a request.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cdfdist.h"
#include "models/env.h"
#include "sim/stats.h"

uint64_t
st_estimate(uint64_t requests)
{
	return env_sat_mul(requests, 4 * sizeof(double) + 1);
}

void
st_job_init(struct st_job *j)
{
	*j = (struct st_job){.lat = g_array_new(FALSE, FALSE, sizeof(double)),
	                     .dir = g_byte_array_new(),
	                     .t_first = -1,
	                     .t_last = -1};
}

void
st_job_free(struct st_job *j)
{
	if (j->lat)
		g_array_free(j->lat, TRUE);
	j->lat = NULL;
	if (j->dir)
		g_byte_array_free(j->dir, TRUE);
	j->dir = NULL;
	for (int op = 0; op < 2; op++) {
		if (j->dlat[op])
			g_array_free(j->dlat[op], TRUE);
		j->dlat[op] = NULL;
	}
}

void
st_job_add(struct st_job *j, enum io_dir op, uint64_t bytes, double t_issue, double t_done)
{
	double l = t_done - t_issue;
	j->ops[op]++;
	j->bytes[op] += bytes;
	g_array_append_val(j->lat, l);
	guint8 d = (guint8)op;
	if (j->dir)
		g_byte_array_append(j->dir, &d, 1);
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
	/* the directions follow only while both are unsorted (the merged rows do not use them) */
	if (d->dir && s->dir && s->dir->len == s->lat->len &&
	    d->dir->len + s->lat->len == d->lat->len)
		g_byte_array_append(d->dir, s->dir->data, s->dir->len);
	else if (d->dir) {
		g_byte_array_free(d->dir, TRUE);
		d->dir = NULL;
	}
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

/* The sort lives with the percentile rule in models/cdfdist.c: the lock statistics use it
 * too, and models/ does not call into sim/. */
void
st_sort(double *x, size_t n)
{
	cdf_sort(x, n);
}

void
st_job_sort(struct st_job *j)
{
	if (j->dir && j->dir->len == j->lat->len && j->ops[IO_READ] && j->ops[IO_WRITE]) {
		const double *l = (const double *)j->lat->data;
		for (int op = 0; op < 2; op++) {
			j->dlat[op] =
			    g_array_sized_new(FALSE, FALSE, sizeof(double), (guint)j->ops[op]);
			for (guint i = 0; i < j->lat->len; i++)
				if (j->dir->data[i] == op)
					g_array_append_val(j->dlat[op], l[i]);
			st_sort((double *)j->dlat[op]->data, j->dlat[op]->len);
		}
	}
	if (j->dir)
		g_byte_array_free(j->dir, TRUE);
	j->dir = NULL;
	st_sort((double *)j->lat->data, j->lat->len);
}

const double *
st_job_dir_lat(const struct st_job *j, enum io_dir op, size_t *n)
{
	if (j->dlat[op]) {
		*n = j->dlat[op]->len;
		return (const double *)j->dlat[op]->data;
	}
	/* one direction: the job's own array, or nothing */
	*n = j->ops[op] == st_job_ops(j) ? j->lat->len : 0;
	return (const double *)j->lat->data;
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

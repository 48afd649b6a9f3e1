/*
 * stats.c -- request statistics (see stats.h): counters, and the latencies in a streaming
 * histogram (models/hist.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/env.h"
#include "sim/stats.h"

uint64_t
st_estimate(uint64_t jobs)
{
	/* three histograms a job (all, read, write), latencies from 1 ns to 1,000 s: 2^-30 ..
	 * 2^10 s, 40 powers of two */
	return env_sat_mul(env_sat_mul(env_sat_add(jobs, 2), 3), hist_estimate(40));
}

void
st_job_init(struct st_job *j)
{
	*j = (struct st_job){.t_first = -1, .t_last = -1};
	hist_init(&j->lat);
	hist_init(&j->dlat[0]);
	hist_init(&j->dlat[1]);
}

void
st_job_exact(struct st_job *j)
{
	hist_keep_exact(&j->lat);
	hist_keep_exact(&j->dlat[0]);
	hist_keep_exact(&j->dlat[1]);
}

void
st_job_free(struct st_job *j)
{
	hist_free(&j->lat);
	hist_free(&j->dlat[0]);
	hist_free(&j->dlat[1]);
}

void
st_job_add(struct st_job *j, enum io_dir op, uint64_t bytes, double t_issue, double t_done)
{
	j->ops[op]++;
	j->bytes[op] += bytes;
	hist_add(&j->lat, t_done - t_issue);
	hist_add(&j->dlat[op], t_done - t_issue);
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
	hist_merge(&d->lat, &s->lat);
	hist_merge(&d->dlat[0], &s->dlat[0]);
	hist_merge(&d->dlat[1], &s->dlat[1]);
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

double
st_quantile(const struct st_job *j, double p)
{
	return hist_quantile(&j->lat, p);
}

double
st_mean(const struct st_job *j)
{
	return hist_mean(&j->lat);
}

double
st_max(const struct st_job *j)
{
	return j->lat.n ? j->lat.max : 0;
}

const struct hist *
st_job_dir(const struct st_job *j, enum io_dir op)
{
	return &j->dlat[op];
}

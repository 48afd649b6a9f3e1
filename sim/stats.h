/*
 * stats.h -- per-job request statistics: counts, bytes, the latencies (a streaming
 * histogram, models/hist.h: memory bounded by their spread, not their number; every
 * percentile within 0.098% of the exact one), lock waits, cache hits.  The histogram's
 * quantile is the one rule every output uses.
 */
#ifndef VN_STATS_H
#define VN_STATS_H

#include <glib.h>
#include <stdint.h>

#include "models/hist.h"
#include "models/io.h"

struct st_job {
	uint64_t ops[2], bytes[2];
	struct hist lat;        /* seconds, the measured requests */
	struct hist dlat[2];    /* the same, by direction (fio's read and write) */
	double t_first, t_last; /* first issue, last completion (measured requests); -1 if none */
	double vnode_wait, getpages_wait, range_wait; /* sums, seconds */
	uint64_t cache_hits, cache_lookups;           /* pages */
	uint64_t torn_reads, torn_writes, stale_reads, lost_writes;
	uint64_t conc_overlaps; /* information: interleaved overlapping concurrent requests */
	uint64_t events;        /* completed application + disk requests, warm-up included */
};

/* Memory the statistics of JOBS jobs keep at most (bytes, saturating; sim/guard.c's
 * estimate): a histogram per job, plus `all` and one aggregate, whatever the run's length. */
uint64_t st_estimate(uint64_t jobs);

void st_job_init(struct st_job *j);
void st_job_free(struct st_job *j);
/* Keep every latency of J from now on for exact quantiles ([sim] exact_quantiles,
 * hist_keep_exact: 8 bytes per request in each of its three histograms). */
void st_job_exact(struct st_job *j);
/* Count one completed request. */
void st_job_add(struct st_job *j, enum io_dir op, uint64_t bytes, double t_issue, double t_done);
/* Add SRC's requests into DST. */
void st_job_merge(struct st_job *dst, const struct st_job *src);
uint64_t st_job_ops(const struct st_job *j);
/* The P-quantile (0 <= P <= 1) of J's latencies, seconds (hist_quantile: linear
 * interpolation between order statistics at position P * (n - 1)); 0 when none. */
double st_quantile(const struct st_job *j, double p);
double st_mean(const struct st_job *j); /* seconds; 0 when none */
double st_max(const struct st_job *j);  /* seconds; 0 when none */
/* The latencies of direction OP of J. */
const struct hist *st_job_dir(const struct st_job *j, enum io_dir op);

#endif

/*
 * stats.h -- per-job request statistics: counts, bytes, every latency (for exact
 * percentiles), lock waits, cache hits; and the percentile rule every output uses.
 */
#ifndef VN_STATS_H
#define VN_STATS_H

#include <glib.h>
#include <stdint.h>

#include "models/io.h"

struct st_job {
	uint64_t ops[2], bytes[2];
	GArray *lat;            /* double seconds, one per measured request */
	GByteArray *dir;        /* each latency's direction (enum io_dir), until st_job_sort */
	GArray *dlat[2];        /* after st_job_sort, for a job with both directions: each
	                         * direction's latencies, sorted (NULL: the job has one, `lat`) */
	double t_first, t_last; /* first issue, last completion (measured requests); -1 if none */
	double vnode_wait, getpages_wait, range_wait; /* sums, seconds */
	uint64_t cache_hits, cache_lookups;           /* pages */
	uint64_t torn_reads, torn_writes, stale_reads, lost_writes;
	uint64_t conc_overlaps; /* information: interleaved overlapping concurrent requests */
	uint64_t events;        /* completed application + disk requests, warm-up included */
};

/* Memory the statistics keep for REQUESTS requests (bytes, saturating; sim/guard.c's
 * estimate): a latency (8 B) in its job, in `all`, in a sort's copy and in its direction's
 * array (jobs with reads and writes), and its direction (1 B). */
uint64_t st_estimate(uint64_t requests);

void st_job_init(struct st_job *j);
void st_job_free(struct st_job *j);
/* Count one completed request. */
void st_job_add(struct st_job *j, enum io_dir op, uint64_t bytes, double t_issue, double t_done);
/* Add SRC's requests into DST. */
void st_job_merge(struct st_job *dst, const struct st_job *src);
uint64_t st_job_ops(const struct st_job *j);
/* Sort the latencies (once, before percentiles); a job that has both directions first gets
 * each direction's sorted latencies in dlat (then `dir` is freed). */
void st_job_sort(struct st_job *j);
/* Sort ascending (exactly as qsort would; O(n) when nothing is negative or NaN). */
void st_sort(double *x, size_t n);
/* The P-quantile (0 <= P <= 1) of sorted XS: linear interpolation between order statistics
 * at position P * (n - 1); 0 for an empty array. */
double st_quantile(const double *xs, size_t n, double p);
double st_mean(const double *xs, size_t n);
/* The latencies of direction OP of sorted J, sorted (*n of them). */
const double *st_job_dir_lat(const struct st_job *j, enum io_dir op, size_t *n);

#endif

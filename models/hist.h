/*
 * hist.h -- a streaming log-linear histogram of non-negative durations (seconds): memory
 * bounded by the range of values seen, not by how many, and quantiles within a stated
 * relative error.
 *
 * Each power of two [2^e, 2^(e+1)) is cut into HIST_SUB equal buckets, so a bucket's width
 * is at most 2^e / HIST_SUB and any value in it is within HIST_REL_ERR (1 / (2 HIST_SUB),
 * 0.098%) of the bucket's midpoint.  Count, sum (so the mean), sum of squares, minimum and
 * maximum are exact.
 *
 * The quantile rule is cdf_quantile's (models/cdfdist.c) applied to the order statistics the
 * histogram knows: the P-quantile sits at rank P (n - 1), interpolated linearly between the
 * order statistics on either side; the k-th order statistic is the mean of the values in
 * the bucket holding it (each bucket keeps their sum beside their count), clamped to
 * [min, max] (so rank 0 is the exact minimum and rank n - 1 the exact maximum).  That mean
 * lies in the bucket, so each order statistic is within twice HIST_REL_ERR of the exact one
 * (the bucket's width relative to its lower end, 1/512 at most), and exact when the bucket's
 * values are all equal -- the usual case in a simulation, where many requests take the same
 * time.  An interpolation between two such order statistics is within the same bound:
 * every quantile is within 2 HIST_REL_ERR (0.2%) of what the sorted array would give.
 *
 * Values below 2^-64 s (5.4e-20 s) are counted as zero; values of 2^64 s and more (beyond
 * any simulated horizon) in the last bucket.  Memory grows with the spread of the values,
 * never with their number: counters and sums come in chunks of HIST_CHUNK buckets (1 KiB),
 * allocated when a value first falls in one, under a directory of HIST_CPO pointers per
 * power of two between the smallest and the largest value seen.  An empty histogram holds
 * nothing; one of latencies between 1 us and 1 s at most 20 x 8 chunks, 165 KiB.
 *
 * Exact quantiles, on request (hist_keep_exact, `[sim] exact_quantiles=1`): the histogram
 * also keeps every value, 8 bytes each, and hist_quantile takes the order statistics from
 * the sorted values instead of the buckets (the same rule: rank P (n - 1), interpolated).
 * Everything else (count, sums, buckets, hist_foreach) is unchanged.  Memory then grows
 * with the values: 8 bytes per value per histogram that keeps them.
 */
#ifndef VN_HIST_H
#define VN_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS 9
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_REL_ERR (1.0 / (2.0 * HIST_SUB)) /* a bucket's half width, relative */
#define HIST_OCTAVES 128                      /* 2^-64 .. 2^64 */
#define HIST_CHUNK 64                         /* counters allocated together */
#define HIST_CPO 8                            /* chunks per octave: HIST_SUB / HIST_CHUNK */

struct hist {
	uint64_t n, zeros;
	double sum, sumsq, min, max;
	/* octaves [o_lo, o_lo + o_n) have HIST_CPO chunk pointers each in `chunk` (NULL until a
	   value falls in that chunk); o_n == 0: none yet */
	int o_lo, o_n, nchunks;
	struct hist_chunk **chunk;
	/* exact quantiles (hist_keep_exact): every value, sorted at the first quantile after a
	   change (a cache: hist_quantile sorts it in place) */
	double *ex;
	uint64_t ex_n, ex_cap;
	bool exact, ex_sorted;
};

struct hist_chunk {
	uint64_t n[HIST_CHUNK];
	double sum[HIST_CHUNK];
};

void hist_init(struct hist *h);
void hist_free(struct hist *h);
/* Count V (finite, >= 0: the caller's invariant, asserted). */
void hist_add(struct hist *h, double v);
/* Keep every value from now on, for exact quantiles (call on an empty histogram). */
void hist_keep_exact(struct hist *h);
/* Add SRC's values into DST (DST keeps them too when both keep them). */
void hist_merge(struct hist *dst, const struct hist *src);
double hist_mean(const struct hist *h);   /* exact; 0 when empty */
double hist_stddev(const struct hist *h); /* population; 0 when empty */
/* The P-quantile (0 <= P <= 1) by the rule above (exact when the histogram keeps its
 * values); 0 when empty. */
double hist_quantile(const struct hist *h, double p);
/* Visit every non-empty bucket in increasing order: [lo, hi), the mean of its values
 * clamped to [min, max], and its count (zeros first, as [0, 0)). */
void hist_foreach(const struct hist *h,
                  void (*fn)(void *ctx, double lo, double hi, double mean, uint64_t count),
                  void *ctx);
/* Bytes a histogram holds at most when its values span OCTAVES powers of two (every chunk
 * allocated): the memory guard's bound. */
uint64_t hist_estimate(int octaves);

#endif

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
 * order statistics on either side; the k-th order statistic is the midpoint of the bucket
 * holding it, clamped to [min, max] (so rank 0 is the exact minimum and rank n - 1 the exact
 * maximum).  Each order statistic is within HIST_REL_ERR of the exact one, hence so is any
 * interpolation between two of them: every quantile is within HIST_REL_ERR of what the
 * sorted array would give.
 *
 * Values below 2^-64 s (5.4e-20 s) are counted as zero; values of 2^64 s and more (beyond
 * any simulated horizon) in the last bucket.  Memory: a 128-pointer directory and one block
 * of HIST_SUB counters (4 KiB) for each power of two that holds a value: a histogram of
 * latencies from 1 us to 1 s uses 20 blocks, 80 KiB.
 */
#ifndef VN_HIST_H
#define VN_HIST_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS 9
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_REL_ERR (1.0 / (2.0 * HIST_SUB))
#define HIST_OCTAVES 128 /* 2^-64 .. 2^64 */

struct hist {
	uint64_t n, zeros;
	double sum, sumsq, min, max;
	uint64_t *oct[HIST_OCTAVES]; /* NULL until a value falls in that power of two */
	int nblocks;
};

void hist_init(struct hist *h);
void hist_free(struct hist *h);
/* Count V (finite, >= 0: the caller's invariant, asserted). */
void hist_add(struct hist *h, double v);
/* Add SRC's values into DST. */
void hist_merge(struct hist *dst, const struct hist *src);
double hist_mean(const struct hist *h);   /* exact; 0 when empty */
double hist_stddev(const struct hist *h); /* population; 0 when empty */
/* The P-quantile (0 <= P <= 1) by the rule above; 0 when empty. */
double hist_quantile(const struct hist *h, double p);
/* Visit every non-empty bucket in increasing order: [lo, hi), its midpoint clamped to
 * [min, max], and its count (zeros first, as [0, 0)). */
void hist_foreach(const struct hist *h,
                  void (*fn)(void *ctx, double lo, double hi, double mid, uint64_t count),
                  void *ctx);
/* Bytes a histogram may hold at most (every block allocated): the guard's bound. */
uint64_t hist_estimate(void);

#endif

/*
 * fio.h -- fio's own outputs for a job (docs/outputs.md): the objects of fio's
 * --output-format=json and json+ (fio 3.33, stat.c: show_thread_status_json and
 * add_ddir_status_json), the bandwidth and IOPS samples behind their bw_* and iops_* keys,
 * and fio's log files (write_bw_log, write_lat_log, write_iops_log, write_hist_log; fio's
 * HOWTO, "Log File Formats"), streamed to files as the run goes.  Every time is the
 * simulated clock's.
 */
#ifndef VN_FIO_H
#define VN_FIO_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "models/io.h"
#include "sim/stats.h"

struct scn_sect;

/* fio's clat histogram (stat.h: FIO_IO_U_PLAT_BITS 6, FIO_IO_U_PLAT_GROUP_NR 29): 64
 * buckets a power of two, 29 groups. */
#define FIO_PLAT_BITS 6
#define FIO_PLAT_VAL (1u << FIO_PLAT_BITS)
#define FIO_PLAT_NR (29u * FIO_PLAT_VAL)

/* The bucket of a latency of NS nanoseconds, and the value fio prints for a bucket. */
unsigned fio_plat_idx(uint64_t ns);
uint64_t fio_plat_val(unsigned idx);

/* A job's reporting and logging options (fio's names and defaults). */
struct fio_opts {
	char *log[4];    /* write_bw_log, write_lat_log, write_iops_log, write_hist_log (NULL) */
	double avg;      /* log_avg_msec, seconds; 0: one line a request */
	double hist_win; /* log_hist_msec, seconds; 0: no histogram entries */
	int coarse;      /* log_hist_coarseness */
	double bw_win;   /* bwavgtime, seconds (fio: 500 ms) */
	double iops_win; /* iopsavgtime, seconds (fio: 500 ms) */
	double pct[64];  /* percentile_list (fio's default list when absent) */
	int npct;
};
enum { FIO_LOG_BW, FIO_LOG_LAT, FIO_LOG_IOPS, FIO_LOG_HIST };

/* The keys above, for the modelled-options list. */
extern const char *const fio_opt_keys[];

/* fio's defaults (every key absent). */
void fio_opts_default(struct fio_opts *o);
bool fio_opts_load(const struct scn_sect *s, struct fio_opts *o, GError **err);
void fio_opts_free(struct fio_opts *o);

/* Running mean and variance (Welford), min and max. */
struct fio_acc {
	uint64_t n;
	double min, max, mean, m2;
};
void fio_acc_add(struct fio_acc *a, double x);

/* A job's time series: fio's bw/iops samples (one a bwavgtime window, from the job's first
 * measured request) and its open log files.  O(1) memory (the histogram log: 2 x 1856
 * counters). */
struct fio_series {
	double origin; /* the first measured request's issue time; < 0 before */
	uint64_t bw_k, iops_k, log_k, hist_k;
	uint64_t bw_bytes[2], iops_ios[2];
	struct fio_acc bw[2], iops[2]; /* samples: KiB/s, IO/s */
	struct fio_acc sync;           /* fsync/fdatasync latencies, ns */
	uint64_t l_bytes[2], l_ios[2];
	double l_sum[2];
	uint64_t *hist[2];
	uint64_t bs;  /* the histogram log's block size column */
	bool seen[2]; /* a request of the direction was measured: it is sampled */
	FILE *f[6];   /* bw, lat, clat, slat, iops, clat_hist */
	char *path[6];
};

/* Open the job's log files in DIR, numbered N as fio numbers its threads (the job's first
 * clone).  BS: the hist log's block size column. */
bool fio_series_open(struct fio_series *s, const struct fio_opts *o, const char *dir, int n,
                     uint64_t bs, GError **err);
/* One measured request completed. */
void fio_series_add(struct fio_series *s, const struct fio_opts *o, enum io_dir op, uint64_t bytes,
                    double t_issue, double t_done);
/* One measured fsync completed after LAT seconds. */
void fio_series_sync(struct fio_series *s, double lat);
/* The run ended at T_END: the last partial log window written, the files committed. */
bool fio_series_close(struct fio_series *s, const struct fio_opts *o, double t_end, GError **err);
/* Close without committing (error paths). */
void fio_series_free(struct fio_series *s);

/* fio's members of one job object, from "read" to "latency_window", added to B (between
 * "job options" and the object's end).  J sorted (st_job_sort); PLUS: json+ (bins). */
void fio_job_json(JsonBuilder *b, const struct st_job *j, const struct fio_series *s,
                  const struct fio_opts *o, int iodepth, bool plus);
/* fio's top-level members before "jobs", with fixed values (outputs are deterministic). */
void fio_top_json(JsonBuilder *b);

#endif

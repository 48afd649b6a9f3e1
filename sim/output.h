/*
 * output.h -- the files a run writes (DESIGN.md §8): summary.csv rows, result.json in the
 * shape of fio's JSON output plus a `vnodesim` object, timing.csv; all written atomically
 * (a temporary file renamed into place), numbers in the C locale with fixed formats.
 */
#ifndef VN_OUTPUT_H
#define VN_OUTPUT_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "sim/columns.h"
#include "sim/stats.h"

#define VNODESIM_VERSION "0.1.0"

/* summary.csv's header line: col_header() (columns.h), under the name the tests knew it by
 * when it was a constant. */
#define out_summary_header (col_header())
extern const char out_requests_header[];
extern const char out_timing_header[];
extern const char out_locks_header[];

/* One summary.csv row, every column of the table (columns.h).  J's latencies must be sorted
 * (st_job_sort). */
void out_summary_row(GString *s, const char *scenario, const char *policy, unsigned long long seed,
                     const char *job, const struct st_job *j, double disk_util);
/* Add to the object B is building a member for each column flagged FLAG (COL_JSON_*), in
 * the table's order, with its value for ROW (an integer for COL_COUNT). */
void out_json_columns(JsonBuilder *b, const struct col_row *row, unsigned flag);

/* One requests.csv record (out_requests_header's columns); times and durations in seconds. */
struct out_request {
	uint64_t id;
	const char *job, *op, *path; /* op "read" or "write"; path as fs_res's, or "raw" */
	uint64_t offset, len;        /* bytes */
	double t_issue, t_done;
	double lock_wait;                             /* every lock the request waited for */
	double queue, seek, rot, xfer, ctrl, service; /* the device's times */
};
/* Write R to F as one requests.csv line (the only writer of those lines). */
void out_request_row(FILE *f, const struct out_request *r);

/* Write one locks.csv record (out_locks_header's columns) to F: the lock event EVENT of
 * request REQ on [OFF, END) at time T (END UINT64_MAX: to infinity, written as len -1; the
 * only writer of those lines). */
void out_lock_row(FILE *f, double t, const char *lock, const char *cls, const char *event,
                  uint64_t req, uint64_t off, uint64_t end);

/* Write CONTENT to PATH atomically.  false + *err on failure. */
bool out_write_atomic(const char *path, const char *content, gsize len, GError **err);
/* DIR/latency_cdf.csv: "fraction,lat_us" at fractions 0, 0.005, ..., 1 and the tail points
 * 0.99, 0.995, 0.999, 0.9995, 0.9999, by the statistics' quantile rule (st_quantile), so
 * the CDF passes through summary.csv's p50, p99 and p99.9 (the measured requests). */
bool out_latency_cdf(const char *dir, const struct st_job *all, GError **err);
/* Open PATH.tmp for writing; out_commit() renames it to PATH (false on any write error). */
FILE *out_open_tmp(const char *path, GError **err);
bool out_commit(FILE *f, const char *path, GError **err);
/* Give up a file out_open_tmp opened: close it and remove PATH.tmp. */
void out_abort(FILE *f, const char *path);
/* Serialise NODE (pretty) to PATH atomically. */
bool out_write_json(const char *path, JsonNode *node, GError **err);

/* Peak resident set of this process, KiB (from /proc/self/status; 0 if unknown). */
long out_peak_rss_kb(void);

#endif

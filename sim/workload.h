/*
 * workload.h -- fio jobs: their options with fio's meanings and defaults, and the actors
 * (one per job clone, `numjobs` of them) that issue their requests.
 */
#ifndef VN_WORKLOAD_H
#define VN_WORKLOAD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/stats.h"

struct run;
struct scn;
struct scn_sect;

struct wl_job {
	char *name;
	guint index;
	const struct scn_sect *sect;
	bool rand;	   /* random offsets */
	int mix_read;	   /* percent of reads (100 read-only, 0 write-only) */
	uint64_t bs;	   /* bytes */
	uint64_t offset;   /* bytes */
	uint64_t size;	   /* bytes; 0: to the end of the device */
	uint64_t number_ios;
	int64_t loops;
	int numjobs;
	int iodepth;	   /* 1 for synchronous engines */
	bool async;
	double runtime;	   /* seconds; 0 = unlimited */
	bool time_based;
	double startdelay, thinktime;
	double rate_iops;  /* 0 = unlimited */
	bool poisson;
	bool has_randseed;
	uint64_t randseed;
	bool norandommap;
	char *filename;
	bool raw;	   /* filename starts with /dev/ */
	bool direct;	   /* O_DIRECT */
	int sync;	   /* 0, 1 = O_SYNC, 2 = O_DSYNC */
	uint64_t fsync_n, fdatasync_n; /* fsync / fdatasync after every N writes */
	bool end_fsync;
	bool concurrent;   /* concurrent=1: O_CONCURRENT */
	char *trace;	   /* a replayed trace's path (replay/validate), else NULL */
	struct st_job st;  /* all clones */
	struct run *run;
};

/* fio options this program models (for scn_check_job_keys), NULL-terminated. */
extern const char *const wl_modelled_options[];

/* Parse every job of S (and check its keys).  Returns a GPtrArray of struct wl_job * owning
 * them, or NULL + *err. */
GPtrArray *wl_jobs_load(struct scn *s, uint64_t capacity_sectors, GError **err);
void wl_job_free(struct wl_job *j);
/* An empty job named NAME (replays). */
struct wl_job *wl_job_new(const char *name);
/* Start the job's clones as actors on HOST (a sg_host_t). */
void wl_job_start(struct run *r, struct wl_job *j, void *host);
/* Replay RECS (struct tr_rec) against the raw device as job J: open loop at the trace's
 * arrival times, or CLOSED loop (each request after the previous completion plus its think
 * time). */
void wl_replay_start(struct run *r, struct wl_job *j, const GArray *recs, bool closed, void *host);
/* The job's effective options, as key/value pairs (result.json). */
void wl_job_describe(const struct wl_job *j, void (*put)(void *ctx, const char *k, const char *v),
		     void *ctx);

#endif

/*
 * job.h -- fio jobs: a job section's options with fio's meanings and defaults (struct
 * wl_job), parsed and checked from a scenario; the options a run reports.  Requests come
 * from generator.h, the actors that issue them from workload.h.
 */
#ifndef VN_JOB_H
#define VN_JOB_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/fio.h"
#include "sim/stats.h"

struct run;
struct scn;
struct scn_sect;

#define WL_MAX_SPLIT 64

/* Block sizes of one direction: bs (fixed), bsrange (uniform, a multiple of the minimum
 * unless bs_unaligned), or bssplit (weighted). */
struct wl_bs {
	uint64_t min, max;
	int n; /* bssplit entries, sorted by size; 0: no split */
	uint64_t size[WL_MAX_SPLIT];
	unsigned perc[WL_MAX_SPLIT]; /* cumulative percentages */
	bool unaligned;
};

enum wl_dist { WL_UNIFORM, WL_ZIPF, WL_PARETO };

struct wl_job {
	char *name;
	guint index;
	const struct scn_sect *sect;
	bool rand;          /* random offsets */
	int mix_read;       /* percent of reads (100 read-only, 0 write-only) */
	uint64_t seq_nr;    /* rw=...:N, the offset modifier (0: none) */
	bool seq_identical; /* rw_sequencer=identical */
	int fst;            /* file_service_type: 0 roundrobin, 1 random, 2 sequential */
	uint64_t fst_n;     /* ...:N requests per turn */
	bool blockalign;    /* blockalign= set the unit */
	struct wl_bs bs[2]; /* by IO_READ / IO_WRITE */
	uint64_t unit;      /* offsets are multiples of this (the smallest block size) */
	uint64_t offset;    /* bytes (offset=) */
	uint64_t offset_increment;
	uint64_t size;     /* bytes: each file's region (raw: the device region) */
	uint64_t filesize; /* bytes: each file's size, 0: offset + size */
	uint64_t io_limit; /* bytes a clone transfers per loop */
	uint64_t number_ios;
	int64_t loops;
	int numjobs;
	int nfiles;
	char **files; /* explicit file names (directory applied), or NULL: generated */
	char **dirs;  /* directory= entries, or NULL */
	bool file_append;
	uint64_t *append_base; /* file_append: each named file's size from the other jobs */
	int iodepth;           /* actual depth: 1 for synchronous engines */
	bool async;
	double runtime; /* seconds; 0 = unlimited */
	bool time_based;
	double ramp; /* ramp_time: not measured, before runtime */
	double startdelay, startdelay_max;
	double thinktime, thinktime_spin;
	uint64_t thinktime_blocks;
	double rate_iops[2], rate_bps[2]; /* 0 = unlimited */
	bool poisson;
	enum wl_dist dist;
	double dist_param, dist_center; /* center < 0: scattered (fio's default) */
	bool has_randseed;
	uint64_t randseed;
	bool norandommap;
	char *filename;                /* as given ("" when absent) */
	bool raw;                      /* filename starts with /dev/ */
	bool direct;                   /* O_DIRECT */
	int sync;                      /* 0, 1 = O_SYNC, 2 = O_DSYNC */
	uint64_t fsync_n, fdatasync_n; /* fsync / fdatasync after every N writes */
	bool end_fsync;
	bool concurrent;      /* concurrent=1: O_CONCURRENT */
	int group;            /* stonewall group, 0 first */
	const char *skip_key; /* the key that made the job skipped, or NULL */
	char *trace;          /* a replayed trace's path, else NULL */
	GArray *recs;         /* read_iolog: its records (struct tr_rec), else NULL */
	bool replay_no_stall;
	double replay_time_scale; /* percent, 100 = as recorded */
	struct st_job st;         /* all clones */
	struct fio_opts fio;      /* fio's reporting and log options */
	struct fio_series series; /* fio's samples and logs (all clones) */
	struct run *run;
	struct wl_group *groups; /* the run's stonewall groups */
	bool owns_groups;
};

/* fio options this program models (for scn_check_job_keys), NULL-terminated. */
extern const char *const wl_modelled_options[];

/* Parse every job of S (and check its keys).  Returns a GPtrArray of struct wl_job * owning
 * them, or NULL + *err.  Jobs an unmodelled option makes meaningless (ioengine=falloc,
 * rw=trim, ...) are left out, with a warning in scn_warnings(S) giving the reason. */
GPtrArray *wl_jobs_load(struct scn *s, uint64_t capacity_sectors, GError **err);
void wl_job_free(struct wl_job *j);
/* An empty job named NAME (replays). */
struct wl_job *wl_job_new(const char *name);
/* The job's effective options, as key/value pairs (result.json). */
void wl_job_describe(const struct wl_job *j, void (*put)(void *ctx, const char *k, const char *v),
                     void *ctx);

/* NAME inside the I-th of the job's directory= entries (round robin), or NAME itself when it
 * is absolute or there is no directory=.  Newly allocated. */
char *wl_job_in_dir(const struct wl_job *j, int i, const char *name);

#endif

/*
 * workload.h -- fio jobs: their options with fio's meanings and defaults, the generator of
 * their requests (offsets, sizes, directions, arrival slots), and the actors (one per job
 * clone, `numjobs` of them; a file job's clone runs `iodepth` threads) that issue them.
 * Traces replay as jobs too: raw (vnodesim replay) or through the file system (read_iolog=).
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
/* Start the job's clones as actors on HOST (a sg_host_t).  Call it for every job of the run
 * in order, before the simulation runs (stonewall groups are set up from r->jobs). */
void wl_job_start(struct run *r, struct wl_job *j, void *host);
/* Replay RECS (struct tr_rec) against the raw device as job J: open loop at the trace's
 * arrival times, or CLOSED loop (each request after the previous completion plus its think
 * time).  Records without data (syncs) are skipped. */
void wl_replay_start(struct run *r, struct wl_job *j, const GArray *recs, bool closed, void *host);
/* The job's effective options, as key/value pairs (result.json). */
void wl_job_describe(const struct wl_job *j, void (*put)(void *ctx, const char *k, const char *v),
                     void *ctx);

/* Memory of one random map (norandommap=0) over NUNITS units after REQUESTS requests
 * (bytes, saturating; sim/guard.c's estimate for each file of each clone). */
uint64_t wl_map_estimate(uint64_t nunits, uint64_t requests);

/* ---- the request generator of one clone (exposed for tests) ---- */
struct wl_gen;
struct wl_io {
	enum io_dir dir;
	int file;          /* index among the clone's files */
	uint64_t off, len; /* bytes */
	double not_before; /* rate_iops/rate: the request's slot (seconds), or 0 */
};
/* The generator of clone CLONE of J, random stream from SEED (the run's seed). */
struct wl_gen *wl_gen_new(const struct wl_job *j, int clone, uint64_t seed);
/* Start the rate schedule at time T. */
void wl_gen_start(struct wl_gen *g, double t);
/* The next request; false once the job's size x loops or number_ios is done (time limits
 * are the caller's). */
bool wl_gen_next(struct wl_gen *g, struct wl_io *io);
void wl_gen_free(struct wl_gen *g);
/* The clone's files: count, and name of file I (newly allocated). */
int wl_gen_nfiles(const struct wl_gen *g);
char *wl_gen_file(const struct wl_gen *g, int i, uint64_t *size);

#endif

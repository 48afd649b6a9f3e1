/*
 * sweep.h -- many runs as parallel processes: a process pool with a progress bar, parameter
 * sweeps (the cross product of varied values x policies x seeds), their job lists for GNU
 * parallel or Slurm, resuming, and merging per-point outputs into one summary.csv.
 *
 * Sweep directory layout (DIR):
 *   DIR/sweep.json              the sweep's definition and its points (written first)
 *   DIR/points/NAME/            one point = one `vnodesim run` of one policy and seed:
 *                               summary.csv, timing.csv, POLICY/result.json, log.txt
 *   DIR/summary.csv, timing.csv the merged rows, varied keys as extra columns (compare.h)
 *   DIR/plots/                  throughput against the first varied key, per policy
 * A point is done when its summary.csv, timing.csv and stamp exist and the stamp is the one
 * the point would write now: `run --stamp` writes every file atomically and the stamp last
 * (the build id, the digest of every input the point reads -- scenario, includes, disk and
 * DiskSim files, traces -- and its options: cli_run_stamp), so a killed sweep leaves no
 * point that passes for done, and a restarted one reruns exactly the points that are not
 * done or whose inputs or program changed (after clearing their directories).
 */
#ifndef VN_SWEEP_H
#define VN_SWEEP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* One unit of work for the pool: CHILD(ARG) runs in a forked process; its return value is
 * the process's exit status (exit statuses and signals land in STATUS: 128 + signal). */
struct sw_task {
	int (*child)(void *arg);
	void *arg;
	int status;
};

/* Run the N tasks, at most JOBS at a time (JOBS < 1: the core count), in order of the
 * array.  With PROGRESS and stderr a terminal, draws "WHAT done/total, ETA" there.  Returns
 * the number of tasks whose status is not 0. */
int sw_pool_run(struct sw_task *tasks, int n, int jobs, bool progress, const char *what);

/* A sweep definition.  Paths are absolute (job lines run from any directory). */
struct sw_sweep {
	char *prog; /* this program */
	char *scenario;
	char *scenario_sha256;
	char **keys;       /* SECTION.KEY, NULL-terminated */
	GPtrArray *values; /* char ** per key */
	char **policies;
	uint64_t seed0;
	int nseeds;
	char **sets; /* --set assignments applied before the varied ones */
	char *outdir;
};

/* The longest point folder name (NAME_MAX is 255 on Linux file systems). */
#define SW_NAME_MAX 255

/* The points, in canonical order.  Folder names are unique and at most SW_NAME_MAX bytes
 * (a colliding or long one is mapped to a safe name: sweep.c note 4).  POINT is a char ** of varied
 * values (one per key). */
struct sw_point {
	char *name;
	char **values;
	const char *policy;
	uint64_t seed;
	char **argv; /* the `vnodesim run` command line of this point */
	char **sets; /* its --set assignments (the sweep's, then the varied ones) */
	char *stamp; /* the stamp its results must carry (NULL: any stamp will do) */
};
GPtrArray *sw_points(const struct sw_sweep *sw); /* of struct sw_point *, freed with the array */

/* Write DIR/sweep.json; if one exists and describes another sweep, false + *err. */
bool sw_write_def(const struct sw_sweep *sw, GPtrArray *points, GError **err);
/* How job lists and Slurm scripts name things (sweep.c note 5): PROG, the word that runs
 * vnodesim when $VNODESIM is not set ("vnodesim" when PATH finds this program, else its
 * path relative to BASE when it is under it, else its absolute path); BASE, the directory
 * the lines run from (the sweep's working directory: paths under it are written relative
 * to it). */
struct sw_names {
	char *prog;
	char *base;
};
void sw_names_init(struct sw_names *n, const char *exe);
void sw_names_clear(struct sw_names *n);
/* PATH relative to N->base when under it, else PATH (newly allocated). */
char *sw_rel(const struct sw_names *n, const char *path);
/* One shell command line per point, for `parallel < FILE` or a Slurm array, run from
 * N->base: "${VNODESIM:-PROG}" run SCENARIO ... */
bool sw_write_joblist(GPtrArray *points, const char *file, const struct sw_names *n, GError **err);

/* The Slurm script of a sweep (sweep.c note 6). */
struct sw_slurm {
	const char *file;    /* the script */
	const char *joblist; /* its job list (written beside it) */
	const char *outdir;  /* the sweep's DIR */
	unsigned max_array;  /* the cluster's MaxArraySize (array indices 0..max_array-1) */
	unsigned throttle;   /* at most this many tasks at once (0: no limit) */
	uint64_t mem_mib;    /* --mem of each task */
	const char *name;    /* the job name */
};
bool sw_write_slurm(const struct sw_slurm *sl, unsigned npoints, const struct sw_names *n,
                    GError **err);
/* The cluster's MaxArraySize from `scontrol show config`, or 0 when it cannot be read. */
unsigned sw_slurm_max_array(void);
/* Is the point's output complete? */
bool sw_point_done(const struct sw_sweep *sw, const struct sw_point *p);
char *sw_point_dir(const char *outdir, const struct sw_point *p);

/* Run the missing points (JOBS processes), print what was resumed.  Returns the number of
 * points that failed. */
int sw_run(const struct sw_sweep *sw, GPtrArray *points, int jobs);

/* Merge the sweeps (or compare/run directories) DIRS into OUT: summary.csv, timing.csv and
 * the sweep plot.  A point that is not done fails the merge, naming the points (false +
 * *err, nothing written), unless ALLOW_MISSING: then they are left out and counted on
 * stderr.  false + *err on failure (bad input: a directory with neither sweep.json nor
 * summary.csv, a bad summary, points missing). */
bool sw_merge(char **dirs, const char *out, bool quiet, bool allow_mixed, bool allow_missing,
              GError **err);

/* Hex SHA-256 of a file's content, or NULL. */
char *sw_file_sha256(const char *path);

#endif

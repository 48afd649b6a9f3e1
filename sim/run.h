/*
 * run.h -- one simulation run: the context every part of a run hangs off (no loose
 * globals), the host and simulation settings, and the entry points the commands use.
 *
 * One run is one process (SimGrid allows one simulation per process): the commands fork a
 * child per (policy, seed) and the child calls run_simulate().
 */
#ifndef VN_RUN_H
#define VN_RUN_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "models/disk.h"
#include "models/env.h"
#include "sim/stats.h"

struct scn;
struct scn_sect;
struct wl_job;

/* [sim] */
struct sim_cfg {
	uint64_t seed;
	double warmup_s;
	double jitter;
	bool oracle;
	bool exact_quantiles; /* keep every latency for exact quantiles (hist.h) */
	char *policies;       /* list for compare, as written */
};

/* What to write besides the summary. */
struct run_opts {
	const char *outdir; /* DIR/<policy>/ for this run (created by the caller) */
	bool requests;      /* requests.csv */
	bool timeline;      /* locks.csv */
	bool json_plus;     /* result.json as fio's json+ (the clat histograms' bins) */
	const char *policy; /* vnode lock policy */
	uint64_t seed;
	const char *const *simgrid_args; /* --cfg=/--log= handed to SimGrid, NULL-terminated */
	/* replay/validate: the trace (struct tr_rec) replayed as the only job */
	const GArray *trace;
	const char *trace_path;
	bool closed_loop;
	double *service; /* out: each trace request's device time (seconds), or NULL */
};

struct run {
	const struct scn *scn;
	const char *policy;
	uint64_t seed;
	struct env_host host; /* [host] (DESIGN.md §3.1) */
	struct sim_cfg sim;
	void *sg_host;
	struct disk *disk;
	GPtrArray *jobs; /* struct wl_job *, one per job section (clones share it) */
	struct st_job all;
	uint64_t next_id;
	uint64_t app_done; /* completed application requests */
	uint64_t app_issued;
	FILE *requests;                /* requests.csv, or NULL */
	FILE *timeline;                /* locks.csv, or NULL */
	struct fs *fs;                 /* the file system, when a job addresses a file */
	int live_threads;              /* application actors still running */
	void *all_done;                /* sg_sem_t released when the last one ends */
	struct disk_stats disk_at_end; /* the disk's counters when the last one ended */
	double t_app_end;
	bool fs_started;
	GRand *rng;      /* jitter of CPU costs */
	double *service; /* per-request device time by id (replay), or NULL */
	size_t nservice;
	double t_end;
	bool cpu_uncontended; /* no more CPU-using threads than cores (see run_cpu) */
	struct env env;       /* what the models get (run_env_init) */
	struct env_timeline locks_csv;
};

/* Charge SECONDS of CPU work to the calling actor.  With no more threads than cores no one
 * ever waits for a core, so the charge is an exact sleep (cheaper for SimGrid than an
 * execution, which goes through its CPU-sharing solver); otherwise sg_actor_execute shares
 * the cores. */
void run_cpu(struct run *r, double seconds);
/* Fill R->env for the models: R's host costs and run_cpu; the timeline is set once
 * locks.csv is open (runenv.c). */
void run_env_init(struct run *r);
/* A timeline sink writing locks.csv rows (without the header) to F. */
struct env_timeline run_locks_csv(FILE *f);

/* Read [host] and [sim] (with --seed applied by the caller through opts). */
bool run_load_host(const struct scn_sect *s, struct env_host *h, GError **err);
/* [host]'s keys, NULL-terminated: the table run_load_host checks a section against. */
const char *const *run_host_keys(void);
/* Is [host] KEY a cost (a time in ns or a rate in GB/s: not the profile, the core count, a
 * switch, nor syscall_ns, the sum of the four stage costs)?  Then *VALUE is its value in H, in
 * the key's unit (what `KEY=` would write to give H).  `vnodesim sensitivity` varies these. */
bool run_host_cost(const struct env_host *h, const char *key, double *value);
bool run_load_sim(const struct scn_sect *s, struct sim_cfg *c, GError **err);

/* Validate a scenario completely without simulating (vnodesim check and before forking). */
bool run_check(const struct scn *s, GError **err);
/* The same for the run of POLICY (its classes judge [policy] matrix=); NULL: [policy] name. */
bool run_check_policy(const struct scn *s, const char *policy, GError **err);

/* Simulate SCENARIO once in this process and write DIR/result.json, DIR/summary.part (its
 * summary.csv rows) and the optional outputs.  Returns the exit status (0, 2, 3). */
int run_simulate(const struct scn *s, const struct run_opts *o);

/* Engine glue (engine.c): hand SimGrid its options (argv[0] + --cfg/--log ones).  Every
 * actor's stack is VN_STACK_KIB KiB unless the user's --cfg=contexts/stack-size says
 * otherwise (engine.c's note). */
#if defined(__SANITIZE_ADDRESS__) /* make SAN=1: ASan's redzones make every frame larger */
#define VN_STACK_KIB 256
#else
#define VN_STACK_KIB 64
#endif
#define VN_STACK_B ((uint64_t)VN_STACK_KIB << 10)
void engine_init(const char *const *simgrid_args);
/* Before engine_init: start the engine with contexts/guard-size:0 (before the user's
 * --cfg=, which still wins): guard_auto_pages_off said the actors' guard pages would
 * exhaust the kernel's memory maps. */
void engine_no_guard_pages(void);
/* Would SimGrid accept ARG (one --cfg= or --log=)?  Tried in a child process with an empty
 * run; false + *WHY (SimGrid's message, g_free it) when it aborts. */
bool engine_check_arg(const char *arg, char **why);
/* Run the simulation to completion; returns the final clock. */
double engine_run(void);

#endif

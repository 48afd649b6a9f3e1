/*
 * guard.h -- what keeps a run's results whole and its memory within the machine:
 *
 * - Signals.  SIGINT or SIGTERM to the command stops the children it is waiting for (SIGTERM,
 *   then SIGKILL after 5 s; a sweep's `vnodesim run` children stop their own simulations in
 *   turn) and reaps them all before it says anything,
 *   removes the half-written temporary files (*.tmp, *.part) under the output directory,
 *   says which outputs are intact (each is a complete file, from an earlier run or from
 *   this one, or absent) and exits 128 + the signal (130, 143).  The outputs themselves are
 *   always renamed into place complete (output.h), so a kill at any moment leaves a
 *   complete file or none.
 * - Resource bounds.  Before a run starts, its memory is estimated (actors and their
 *   stacks, latencies and oracle records kept per request, the page cache) and a run that
 *   would not fit is refused as bad input (exit 2) naming the key, the estimate and the
 *   limit, instead of being killed by the kernel half-way.
 */
#ifndef VN_GUARD_H
#define VN_GUARD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct run;

/* Install the SIGINT/SIGTERM handlers; note the SimGrid options given in ARGV that change
 * an actor's cost (contexts/stack-size, contexts/guard-size).  Call first in main(). */
void guard_install(int argc, char **argv);
/* The directory the command writes its results to (copied). */
void guard_outdir(const char *dir);
/* Remove the temporary files (*.tmp, *.part) under that directory (not in a signal handler:
 * after a failed run, so none outlives a failure). */
void guard_clean_tmp(void);
/* The files cli_retire_results moved aside: FROM[i] (NAME.prev) goes back to TO[i] if the
 * command is interrupted before it wrote any new file under the output directory (both
 * NULL-terminated; copied; empty arrays forget them). */
void guard_retired(const char *const *from, const char *const *to);
/* After fork(): in the parent, PID > 0 is a simulation child now running (several may run
 * at once) and -PID says it has been waited for; in the child (PID 0) the default signal
 * dispositions are restored. */
void guard_child(pid_t pid);
/* fork() with SIGINT and SIGTERM held until the child is known to the handler (the parent)
 * or has the default dispositions (the child); stdio flushed first.  As fork() otherwise. */
pid_t guard_fork(void);
/* waitpid(PID, STATUS, 0) for a child of guard_fork (PID -1: any), forgetting it as it is
 * reaped (guard_child(-pid) with the signals held).  -1 and errno as waitpid (EINTR). */
pid_t guard_wait(pid_t pid, int *status);
/* Run ARGV (its program searched in PATH) as a known child and wait for it, as
 * g_spawn_sync does: a signal to the command stops it with the simulations.  QUIET: its
 * stdin and stdout are /dev/null (else inherited).  ERROUT: its stderr, captured (else
 * inherited).  IS_HELPER: not counted as a simulation when the command is interrupted.
 * false + ERR when it cannot be started; else *STATUS is waitpid's status. */
bool guard_spawn_sync(char *const *argv, bool is_helper, bool quiet, char **errout, int *status,
                      GError **err);

/* Refuse a run that would need more memory, or more memory maps, than the machine allows.
 * R is a fully loaded run (run_check's).  false + *err ("FILE:LINE: [sect] KEY: ...") when
 * it would not fit.  The limit is guard_mem_limit's. */
bool guard_check_bounds(const struct run *r, GError **err);

/* Whether a run of ACTORS actors must drop SimGrid's guard pages itself: with a guard page
 * each (two memory maps an actor) they exceed MAP_COUNT (vm.max_map_count, less the maps
 * that are not stacks), without (one) they fit, and the user set no contexts/guard-size
 * (USER_SET: the user's choice wins). */
bool guard_pages_off(uint64_t actors, long map_count, bool user_set);
/* guard_pages_off for R (a fully loaded run: guard_estimate's actor count, this machine's
 * vm.max_map_count, the --cfg= guard_install saw); when true, says so in one line on
 * stderr.  The caller then starts the engine with contexts/guard-size:0. */
bool guard_auto_pages_off(const struct run *r);

/* The memory a run may use, bytes, and what sets it (*WHAT, a static string): the smallest
 * of the physical memory, MemAvailable, the memory cgroup's limit (v2 memory.max or v1
 * memory.limit_in_bytes, of the process's cgroup and those above it) and ulimit -v/-d;
 * $VNODESIM_MEM_LIMIT_MB overrides them all.  $VNODESIM_SYS_ROOT: read /proc and /sys
 * under that directory instead (tests). */
uint64_t guard_mem_limit(const char **what);

/* The estimate itself, bytes (for tests and docs): what guard_check_bounds compares. */
struct guard_estimate {
	uint64_t actors;    /* SimGrid actors */
	uint64_t requests;  /* application requests whose records are kept */
	uint64_t map_bytes; /* random maps (norandommap=0), part of request_bytes */
	uint64_t actor_bytes, request_bytes, cache_bytes, total;
	uint64_t stack_map_bytes; /* the actors' stacks as mapped (contexts/stack-size, guard) */
	uint64_t address_space;   /* total + stack_map_bytes: checked against ulimit -v */
	uint64_t parallel;        /* runs at once (guard_parallel) */
	uint64_t all_runs;        /* total x parallel: checked against the memory limit */
};
/* N runs of the command may run at once (compare --jobs): the memory limit must hold N
 * times a run's estimate. */
void guard_parallel(int n);
/* The environment variable by which a sweep tells its points' `run` commands how many of
 * them run at once (each checks its memory as one of that many). */
#define GUARD_RUNS_ENV "VNODESIM_RUNS_AT_ONCE"

void guard_estimate(const struct run *r, struct guard_estimate *e);
/* The largest estimate (total, one run) guard_check_bounds has seen in this process: a
 * sweep checks every point, then asks for its tasks' memory (sweep --slurm). */
uint64_t guard_peak_estimate(void);
/* The requests R's count-bounded jobs will issue (number_ios=, else size= / bs x loops, per
 * clone) and, in *HORIZON_S, the latest end (ramp + runtime) of its time-bounded jobs (0:
 * none): what progress.c measures the run against. */
uint64_t guard_requests_expected(const struct run *r, double *horizon_s);
/* The memory bound of a replay of NREC trace records of REC_BYTES each (TRACE names the
 * file in the message).  false + *err when it would not fit. */
bool guard_check_replay(const char *trace, uint64_t nrec, size_t rec_bytes, GError **err);

#endif

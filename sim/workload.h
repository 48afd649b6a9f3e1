/*
 * workload.h -- the actors of fio jobs: one per job clone (`numjobs` of them; a file job's
 * clone runs `iodepth` threads) issuing the generator's requests at their times.  Traces
 * replay as jobs too: raw (vnodesim replay) or through the file system (read_iolog=).
 * A job's options are job.h's, its requests generator.h's; this header brings both.
 */
#ifndef VN_WORKLOAD_H
#define VN_WORKLOAD_H

#include <glib.h>
#include <stdbool.h>

#include "sim/generator.h"
#include "sim/job.h"

struct run;

/* Start the job's clones as actors on HOST (a sg_host_t).  Call it for every job of the run
 * in order, before the simulation runs (stonewall groups are set up from r->jobs). */
void wl_job_start(struct run *r, struct wl_job *j, void *host);
/* Replay RECS (struct tr_rec) against the raw device as job J: open loop at the trace's
 * arrival times, or CLOSED loop (each request after the previous completion plus its think
 * time).  Records without data (syncs) are skipped. */
void wl_replay_start(struct run *r, struct wl_job *j, const GArray *recs, bool closed, void *host);

#endif

/*
 * progress.h -- `vnodesim run`'s progress line on a terminal: how far the simulation is
 * (simulated time over the horizon of time-bounded jobs, requests done over those of
 * count-bounded ones; the smaller when both) and an ETA from the wall time so far, drawn on
 * stderr at most twice a second from the first second on and erased when the run ends.
 * Only when stderr is a terminal and the command asked for it (progress_enable), or
 * $VNODESIM_PROGRESS=1 (forced, for tests); $VNODESIM_PROGRESS=0 turns it off.  It only
 * observes SimGrid's clock (its time-advance signal): the simulation and every output are
 * the same with or without it.
 */
#ifndef VN_PROGRESS_H
#define VN_PROGRESS_H

#include <stdbool.h>

struct run;

/* The command wants a progress line (run without -q); off by default. */
void progress_enable(bool on);
/* Called by run_simulate around engine_run(): R's jobs give the horizon, R->app_done the
 * requests done.  TRACE_LEN: a replay's requests (0 otherwise). */
void progress_begin(const struct run *r, unsigned long long trace_len);
void progress_end(void);
/* From the engine's time-advance signal (progress_sg.cpp): the simulated clock NOW. */
void progress_tick(double now);

#endif

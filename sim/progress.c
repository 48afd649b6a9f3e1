/*
 * progress.c -- the progress line of `vnodesim run` (progress.h).
 *
 * (1) The fraction done: with time-bounded jobs, the simulated clock over the latest end
 *     of their ramp + runtime; with count-bounded ones, requests done over the requests
 *     they will issue (the memory guard's count, guard_requests_expected); the smaller of
 *     the two when there are both (the run ends with its last job).  A run bounded by
 *     neither (size= only with time_based=0 counts as count-bounded) shows its counts only.
 * (2) The wall clock is read once every CHECK_EVERY time advances (SimGrid advances its
 *     clock once per event date; a clock_gettime per advance would cost more than the
 *     line), and the line drawn at most every DRAW_S, the first time after FIRST_S
 *     ($VNODESIM_PROGRESS_AFTER seconds if set): a run of less than a second never shows
 *     one (forced, the first time at once).
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/guard.h"
#include "sim/progress.h"
#include "sim/run.h"

#define CHECK_EVERY 64
#define FIRST_S 1.0
#define DRAW_S 0.5

void progress_connect(void); /* progress_sg.cpp */

static bool wanted;
static struct {
	bool on;
	const struct run *r;
	double horizon, t0, next;
	unsigned long long requests;
	unsigned ticks;
	int width; /* of the line drawn, to erase it */
} pg;

void
progress_enable(bool on)
{
	wanted = on;
}

static double
wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void
progress_begin(const struct run *r, unsigned long long trace_len)
{
	const char *env = getenv("VNODESIM_PROGRESS");
	bool forced = env && !strcmp(env, "1");
	pg.on = forced || (wanted && isatty(STDERR_FILENO) && !(env && !strcmp(env, "0")));
	if (!pg.on)
		return;
	pg.r = r;
	pg.requests = trace_len ? trace_len : guard_requests_expected(r, &pg.horizon);
	if (trace_len)
		pg.horizon = 0;
	/* on a terminal the first line waits FIRST_S, or $VNODESIM_PROGRESS_AFTER seconds */
	double first = FIRST_S;
	const char *after = getenv("VNODESIM_PROGRESS_AFTER");
	if (after && *after) {
		char *end;
		double v = g_ascii_strtod(after, &end);
		if (!*end && v >= 0 && v < 1e6)
			first = v;
	}
	pg.t0 = wall();
	pg.next = pg.t0 + (forced ? 0 : first);
	pg.ticks = 0;
	pg.width = 0;
	progress_connect();
}

static void
draw(double now, double t)
{
	double f = -1;
	if (pg.horizon > 0)
		f = now / pg.horizon;
	if (pg.requests > 0) {
		double fr = (double)pg.r->app_done / (double)pg.requests;
		f = f < 0 ? fr : MIN(f, fr);
	}
	char line[200], eta[40] = "";
	if (f > 0) {
		f = MIN(f, 1.0);
		int s = (int)((t - pg.t0) * (1 - f) / f + 0.5);
		snprintf(eta, sizeof eta, ", ETA %d:%02d", s / 60, s % 60);
	}
	char pct[16] = "";
	if (f >= 0)
		snprintf(pct, sizeof pct, "%.0f%% ", f * 100);
	char hz[32] = "", rq[48] = "";
	if (pg.horizon > 0)
		snprintf(hz, sizeof hz, " of %.0f", pg.horizon);
	if (pg.requests > 0)
		snprintf(rq, sizeof rq, " of %llu", pg.requests);
	int n =
	    snprintf(line, sizeof line, "vnodesim: %s %s(%.3f s%s simulated, %llu%s requests)%s",
	             pg.r->policy, pct, now, hz, (unsigned long long)pg.r->app_done, rq, eta);
	n = MIN(n, (int)sizeof line - 1);
	fprintf(stderr, "\r%s%*s", line, pg.width > n ? pg.width - n : 0, "");
	fflush(stderr);
	pg.width = n;
}

void
progress_tick(double now)
{
	if (!pg.on || ++pg.ticks % CHECK_EVERY)
		return;
	double t = wall();
	if (t < pg.next)
		return;
	pg.next = t + DRAW_S;
	draw(now, t);
}

void
progress_end(void)
{
	if (pg.on && pg.width > 0) { /* erase the line: nothing of it stays on the terminal */
		fprintf(stderr, "\r%*s\r", pg.width, "");
		fflush(stderr);
	}
	pg.on = false;
	pg.r = NULL;
}

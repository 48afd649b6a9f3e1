/*
 * runenv.c -- sim/'s side of models/env.h: what a run gives its models.  CPU charging (the
 * [sim] jitter of every modelled cost, and the choice between an exact sleep and a share of
 * the host's cores) and the locks.csv sink, for the run's struct env.
 */
#include <simgrid/actor.h>
#include <simgrid/engine.h>

#include "sim/output.h"
#include "sim/run.h"

void
run_cpu(struct run *r, double seconds)
{
	if (seconds <= 0)
		return;
	if (r->sim.jitter > 0) /* [sim] jitter: every modelled cost, seeded */
		seconds *= 1.0 + r->sim.jitter * (2.0 * g_rand_double(r->rng) - 1.0);
	if (r->cpu_uncontended)
		sg_actor_sleep_for(seconds);
	else
		sg_actor_execute(seconds * 1e9); /* the host does 1e9 flop/s */
}

static void
cpu(void *ctx, double seconds)
{
	run_cpu(ctx, seconds);
}

/* The lock timeline's sink: one locks.csv row per event (sim/output.c writes it). */
static void
locks_csv_row(void *ctx, double t, const char *lock, const char *cls, const char *event,
              uint64_t req, uint64_t off, uint64_t end)
{
	out_lock_row(ctx, t, lock, cls, event, req, off, end);
}

struct env_timeline
run_locks_csv(FILE *f)
{
	return (struct env_timeline){.event = locks_csv_row, .ctx = f};
}

void
run_env_init(struct run *r)
{
	r->env = (struct env){.host = r->host, .cpu = cpu, .cpu_ctx = r, .now = simgrid_get_clock};
}

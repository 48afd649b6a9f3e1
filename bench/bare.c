/*
 * bare.c -- the floor for vnodesim's cost per request: a bare SimGrid program doing the
 * same actor hand-offs and CPU charges per request as a direct request through vnodesim,
 * and nothing else (no scenario, no locks, no file system, no statistics).
 *
 * Per request, as vnodesim does it: the thread charges its CPU work (one sleep when no thread
 * waits for a core, else one execution), queues the request for the disk actor (waking it
 * only when it is idle or has a free channel), and blocks on its own semaphore; the disk actor
 * serves C channels of fixed latency L, sleeping until the next completion or arrival, and
 * releases the thread's semaphore at completion.  With BANDWIDTH_MBPS and BYTES, each
 * request's transfer then crosses one shared interface, as models/ssd.c does: completions are
 * spaced by the transfer time instead of coinciding, so the engine has as many distinct event
 * times (time steps, solver runs) as vnodesim on the same device, not a few large batches.
 *
 * Usage: bare THREADS REQUESTS_PER_THREAD [CHANNELS LATENCY_US CPU_US CORES
 *        [BANDWIDTH_MBPS BYTES]]
 * Prints: requests, simulated seconds, wall seconds, requests per wall second.
 */
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/platform.h"

struct req {
	struct req *next;
	sg_sem_t done;
	double t_done;
};

static struct {
	struct req *head, *tail;
	sg_sem_t wake;
	int waiting, busy, channels;
	double latency, cpu;
	double xfer, bus_free; /* the shared interface: seconds per request, next free time */
	int uncontended;
	long nreq;
	struct req **inflight; /* completion order = start order (fixed latency) */
	int first, count;
} D;

static void
disk(int argc, char **argv)
{
	for (;;) {
		double now = simgrid_get_clock();
		while (D.count < D.channels && D.head) {
			struct req *r = D.head;
			D.head = r->next;
			if (!D.head)
				D.tail = NULL;
			/* as models/ssd.c: the array latency, then the transfer over the one
			 * interface, in start order (so completions stay in start order) */
			double ready = now + D.latency;
			r->t_done = (ready > D.bus_free ? ready : D.bus_free) + D.xfer;
			D.bus_free = r->t_done;
			D.inflight[(D.first + D.count++) % D.channels] = r;
		}
		if (D.count == 0) {
			D.waiting = 1;
			sg_sem_acquire(D.wake);
			D.waiting = 0;
			continue;
		}
		struct req *r = D.inflight[D.first];
		if (D.count == D.channels) {
			if (r->t_done > now)
				sg_actor_sleep_for(r->t_done - now);
		} else if (r->t_done > now) {
			D.waiting = 1;
			int timeout = sg_sem_acquire_timeout(D.wake, r->t_done - now);
			D.waiting = 0;
			if (!timeout)
				continue;
		}
		D.first = (D.first + 1) % D.channels;
		D.count--;
		sg_sem_release(r->done);
	}
}

static void
thread(int argc, char **argv)
{
	long n = atol(argv[1]);
	struct req r = {.done = sg_sem_init(0)};
	for (long i = 0; i < n; i++) {
		if (D.uncontended)
			sg_actor_sleep_for(D.cpu);
		else
			sg_actor_execute(D.cpu * 1e9);
		r.next = NULL;
		if (D.tail)
			D.tail->next = &r;
		else
			D.head = &r;
		D.tail = &r;
		if (D.waiting && D.count < D.channels) {
			D.waiting = 0;
			sg_sem_release(D.wake);
		}
		sg_sem_acquire(r.done);
		D.nreq++;
	}
	sg_sem_destroy(r.done);
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bare THREADS REQUESTS [CHANNELS LATENCY_US CPU_US CORES "
		                "[BANDWIDTH_MBPS BYTES]]\n");
		return 2;
	}
	int threads = atoi(argv[1]);
	long per = atol(argv[2]);
	D.channels = argc > 3 ? atoi(argv[3]) : 32;
	D.latency = (argc > 4 ? atof(argv[4]) : 10) * 1e-6;
	D.cpu = (argc > 5 ? atof(argv[5]) : 1) * 1e-6;
	int cores = argc > 6 ? atoi(argv[6]) : 8;
	if (argc > 8) /* a shared interface of BANDWIDTH_MBPS, requests of BYTES */
		D.xfer = atof(argv[8]) / (atof(argv[7]) * 1e6);
	D.uncontended = threads <= cores;
	D.inflight = calloc((size_t)D.channels, sizeof *D.inflight);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int sargc = 2;
	char *sargv[] = {argv[0], "--cfg=surf/precision:1e-15", NULL};
	simgrid_init(&sargc, sargv);
	sg_host_t host = vn_platform_create(cores, 1e9);
	D.wake = sg_sem_init(0);
	sg_actor_t d = sg_actor_init("disk", host);
	sg_actor_daemonize(d);
	sg_actor_start(d, disk, 0, NULL);
	char arg[32];
	snprintf(arg, sizeof arg, "%ld", per);
	for (int i = 0; i < threads; i++) {
		char *av[] = {"t", arg, NULL};
		sg_actor_create("t", host, thread, 2, av);
	}
	simgrid_run();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	printf("requests %ld\nsim_seconds %.6f\nwall_seconds %.3f\nrequests_per_s %.0f\n", D.nreq,
	       simgrid_get_clock(), wall, (double)D.nreq / wall);
	return 0;
}

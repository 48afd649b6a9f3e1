/*
 * generator.h -- the request generator of one job clone: offsets, sizes, directions, files
 * and arrival slots with fio's semantics (see generator.c's notes).  Pure computation, so
 * the tests drive it directly.
 */
#ifndef VN_GENERATOR_H
#define VN_GENERATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "models/io.h"

struct wl_job;
struct wl_gen; /* one clone's generator (opaque) */

/* One request. */
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
/* A uniform draw in [0, 1) from the clone's random stream (its actors' startdelay range). */
double wl_gen_uniform(struct wl_gen *g);
/* The clone's files: count, and name of file I (newly allocated). */
int wl_gen_nfiles(const struct wl_gen *g);
char *wl_gen_file(const struct wl_gen *g, int i, uint64_t *size);

/* Memory of one random map (norandommap=0) over NUNITS units after REQUESTS requests
 * (bytes, saturating; sim/guard.c's estimate for each file of each clone). */
uint64_t wl_map_estimate(uint64_t nunits, uint64_t requests);

#endif

/*
 * disk.h -- the block device: the model plug-in table and the disk actor's interface.
 *
 * A disk model is pure computation: given the device's state and a request that starts
 * service at time `now`, it says how long each part takes and updates its state (head
 * position, on-drive cache).  It never sleeps and knows nothing of SimGrid, so it can be
 * tested and validated without a simulation.  The disk actor (disk.c) owns the queue, the
 * scheduler, the channels and the clock.
 *
 * Units: sectors of 512 bytes, times in seconds.
 */
#ifndef VN_DISK_H
#define VN_DISK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/io.h"

struct scn;
struct scn_sect;

#define DISK_SECTOR 512u

/* What a model reports for one request it serves (seconds). */
struct disk_svc {
	double ctrl; /* controller overheads: command decode, completion */
	double seek; /* arm movement, settle and head switches before the first sector */
	double rot;  /* rotational latency before the first sector */
	double xfer; /* media and bus transfer not overlapped with the above */
	bool hit;    /* served from the on-drive cache */
};

static inline double
disk_svc_total(const struct disk_svc *s)
{
	return s->ctrl + s->seek + s->rot + s->xfer;
}

/* A disk model plug-in (one static const table per model, found by name). */
struct disk_model {
	const char *name;
	const char *summary;
	/* Keys this model accepts in [disk] besides the common ones; NULL-terminated. */
	const char *const *keys;
	/* Build from the [disk] section (and the spec file it names).  NULL + *err on bad
	 * input (file:line and key). */
	void *(*create)(const struct scn_sect *disk, GError **err);
	void (*destroy)(void *m);
	uint64_t (*capacity)(const void *m); /* sectors */
	int (*channels)(const void *m);      /* requests in service at once */
	/* Serve a request that starts service at NOW: fill *out, update the device state. */
	void (*service)(void *m, enum io_dir op, uint64_t lbn, uint32_t nsect, double now,
	                struct disk_svc *out);
	/* Optional: the cylinder holding LBN (SSTF, C-LOOK); NULL: the LBN orders requests. */
	uint32_t (*cylinder)(const void *m, uint64_t lbn);
	/* Optional: positioning time (seek + rotation) if served at NOW (SPTF); must not
	 * change the state.  NULL: SPTF falls back to SSTF. */
	double (*position)(const void *m, enum io_dir op, uint64_t lbn, uint32_t nsect, double now);
	/* Optional: time to write back the drive's write cache at NOW (final sync). */
	double (*flush)(void *m, double now);
	/* Optional: seed the model's own random stream (the run's seed; determinism). */
	void (*seed)(void *m, uint64_t seed);
	/* Optional: add model-specific facts to the effective configuration (key, value). */
	void (*describe)(const void *m, void (*put)(void *ctx, const char *k, const char *v),
	                 void *ctx);
};

/* One request to the device. */
struct disk_io {
	enum io_dir op;
	uint64_t lbn;
	uint32_t nsect;
	uint64_t id;         /* caller's id, for requests.csv */
	double t_issue;      /* set by disk_submit: arrival at the device queue */
	double t_start;      /* service starts (queue time = t_start - t_issue) */
	double t_done;       /* completion */
	struct disk_svc svc; /* the device's time for this request (a merged request shares
	                        the service of the one it joined) */
	/* Called by the disk actor at completion (in its context): must not block. */
	void (*done)(struct disk_io *io);
	void *arg;
	struct disk_io *next, *prev, *merged; /* disk.c only */
	uint64_t pos; /* disk.c only: the cylinder (or LBN) the scheduler orders by */
};

/* Counters kept by the disk actor (seconds unless named otherwise). */
struct disk_stats {
	uint64_t nreq, nread, nwrite, nhit, nmerged;
	uint64_t sectors_read, sectors_written;
	double busy;     /* time with at least one request in service */
	double area;     /* integral of requests in the system (queue + service) over time */
	double sum_resp; /* sum of t_done - t_issue */
	double sum_queue, sum_ctrl, sum_seek, sum_rot, sum_xfer;
	double t_first, t_last; /* first arrival, last completion */
};

struct disk;
/* Build the device from [disk] (model, scheduler, queue_depth, merge, the model's keys).
 * SEED seeds the model's random streams; JITTER (from [sim]) perturbs each service time by a
 * uniform factor in [1-JITTER, 1+JITTER].  NULL + *err on bad input. */
struct disk *disk_create(const struct scn_sect *sect, uint64_t seed, double jitter, GError **err);
void disk_destroy(struct disk *d);
/* Start the disk's daemon actor on HOST (a sg_host_t). */
void disk_start(struct disk *d, void *host);
/* Queue IO (from any actor; does not block).  Stamps io->t_issue with the current time. */
void disk_submit(struct disk *d, struct disk_io *io);
uint64_t disk_capacity(const struct disk *d);
const struct disk_stats *disk_get_stats(const struct disk *d);
const struct disk_model *disk_get_model(const struct disk *d);
void *disk_model_state(const struct disk *d);
/* The [disk] settings in effect, as key/value pairs, for result.json. */
void disk_describe(const struct disk *d, void (*put)(void *ctx, const char *k, const char *v),
                   void *ctx);
/* A project disk file's values are defaults under the scenario's own [disk] keys.  SPEC is
 * the [disk] section of the file that SECT's `spec=` names (loaded by disk_spec_open; NULL
 * when there is none or it is a DiskSim .diskspecs); these read KEY from SPEC, then SECT. */
bool disk_spec_open(const struct scn_sect *sect, struct scn **spec, GError **err);
bool disk_get_double(const struct scn_sect *spec, const struct scn_sect *sect, const char *key,
                     double def, double min, double max, double *out, GError **err);
bool disk_get_int(const struct scn_sect *spec, const struct scn_sect *sect, const char *key,
                  int64_t def, int64_t min, int64_t max, int64_t *out, GError **err);
bool disk_get_str(const struct scn_sect *spec, const struct scn_sect *sect, const char *key,
                  const char *def, const char **out, GError **err);
/* Keys accepted in [disk] by every model. */
extern const char *const disk_common_keys[];

/* The models linked in; NULL when NAME is unknown. */
const struct disk_model *disk_model_find(const char *name);
extern const struct disk_model disk_model_mechanical;
extern const struct disk_model disk_model_ssd;
extern const struct disk_model disk_model_simple;

#endif

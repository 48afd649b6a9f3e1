/*
 * disk.h -- the block device: the model plug-in table and the disk actor's interface.
 *
 * A disk model is pure computation: given the device's state and a request that starts
 * service at time `now`, it says how long each part takes and updates its state (head
 * position, on-drive cache).  It never sleeps and knows nothing of SimGrid, so it can be
 * tested and validated without a simulation.  The disk actor (disk.c) owns the queue, the
 * scheduler, the channels and the clock.
 *
 * A model is one file and one row (struct disk_model): its functions, and what its settings
 * are -- a plain struct that sim/ fills from [disk] before create, either key by key from the
 * row's params table (bounds and defaults are data) or, for a model described by a drive
 * file (drive = true), a struct mech_params read by sim/diskspec.c.  disk.c dispatches to the
 * row and supplies the defaults of its optional hooks; nothing tests a model by name.
 *
 * Units: sectors of 512 bytes, times in seconds.
 */
#ifndef VN_DISK_H
#define VN_DISK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/io.h"

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

/* One [disk] key of a model's own: sim/ reads it (from the disk file spec= names, then from
 * the scenario's [disk], whose value wins) into the model's configuration struct at OFF. */
enum disk_param_type {
	DISK_PARAM_DOUBLE, /* a double in [min, max] */
	DISK_PARAM_INT,    /* an int in [min, max] */
	DISK_PARAM_CHOICE, /* one of CHOICES: its index, an int; def is the default's index */
};
struct disk_param {
	const char *name;
	enum disk_param_type type;
	size_t off;
	double def, min, max;
	const char *const *choices; /* NULL-terminated */
};

/* A disk model plug-in (one static const row per model, found by name). */
struct disk_model {
	const char *name;
	const char *summary;
	/* Its settings: the keys of PARAMS (NULL-name-terminated) into a struct of CFG_SIZE
	 * bytes; or, DRIVE, a struct mech_params describing the drive (the keys of a drive
	 * description; a DiskSim .diskspecs or .parv spec= means this model). */
	const struct disk_param *params;
	size_t cfg_size;
	bool drive;
	/* Build from CFG (the settings above, read and bounded by sim/).  NULL + *err (without
	 * file:line: sim/ names the spec) when they describe no device the model can be. */
	void *(*create)(const void *cfg, GError **err);
	void (*destroy)(void *m);
	uint64_t (*capacity)(const void *m); /* sectors */
	int (*channels)(const void *m);      /* requests in service at once */
	/* Serve a request that starts service at NOW: fill *out, update the device state. */
	void (*service)(void *m, enum io_dir op, uint64_t lbn, uint32_t nsect, double now,
	                struct disk_svc *out);
	/* Optional: service() of a request that entered the drive's queue at QUEUED (<= NOW):
	 * a drive that processes a command as it arrives (DiskSim's overhead_done) has done
	 * part of its work by NOW.  NULL: service(). */
	void (*service_queued)(void *m, enum io_dir op, uint64_t lbn, uint32_t nsect, double now,
	                       double queued, struct disk_svc *out);
	/* Optional: the cylinder holding LBN (SSTF, C-LOOK); NULL: the LBN orders requests. */
	uint32_t (*cylinder)(const void *m, uint64_t lbn);
	/* Optional: positioning time (seek + rotation) if served at NOW (SPTF), the request
	 * held by the drive since QUEUED (as service_queued); must not change the state.
	 * CACHE: a read the drive's buffer holds, or is reading, costs no positioning (SPCTF).
	 * NULL: SPTF and SPCTF fall back to SSTF. */
	double (*position)(const void *m, enum io_dir op, uint64_t lbn, uint32_t nsect, double now,
	                   double queued, bool cache);
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
	struct disk_io *next, *prev, *merged; /* disk.c and block.c only */
	uint64_t pos;    /* disk.c only: the cylinder (or LBN) the drive's scheduler orders by */
	double t_queued; /* disk.c only: entered the drive's own queue (its age limit) */
	double t_drive;  /* disk.c only: became one of the queue_depth requests the drive holds
	                    (note 8; < 0: not yet) */
	/* block.c (and disk.c, which serves the span): the request this io opened, with the
	 * bios merged into it chained on ->merged */
	uint64_t rq_lbn;
	uint32_t rq_nsect;
	uint64_t bseq; /* insertion order */
	uint32_t ioc;  /* the I/O context (submitting thread): bfq's queue; set by disk_submit */
	bool async;    /* not waited for by its submitter (the write-back daemon's writes): Linux's
	                  !rq_is_sync, for bfq's fifo_expire_async */
	double fifo_time; /* mq-deadline: the request's deadline */
};

/* Counters kept by the disk actor (seconds unless named otherwise). */
struct disk_stats {
	uint64_t nreq, nread, nwrite, nhit, nmerged; /* nmerged: bios served in another's request */
	uint64_t sectors_read, sectors_written;
	double busy;     /* time with at least one request in service */
	double area;     /* integral of requests in the system (queue + service) over time */
	double sum_resp; /* sum of t_done - t_issue */
	double sum_queue, sum_ctrl, sum_seek, sum_rot, sum_xfer;
	double t_first, t_last; /* first arrival, last completion */
};

/* The drive's own queue: its scheduler (DESIGN.md §3.2), by index in disk_sched_names. */
enum disk_sched {
	DISK_SCHED_FCFS,
	DISK_SCHED_SSTF,
	DISK_SCHED_CLOOK,
	DISK_SCHED_SPTF,
	DISK_SCHED_SPCTF /* SPTF counting cached reads as positioned (note 7 of disk.c) */
};
extern const char *const disk_sched_names[]; /* NULL-terminated */

struct blk_config;

/* A device's settings ([disk], and [block] for the host's block layer), read by
 * sim/config.c. */
struct disk_config {
	const struct disk_model *model;
	const void *model_cfg; /* the model's own settings (struct disk_model) */
	enum disk_sched sched;
	int queue_depth;  /* requests the drive holds at once, in service or queued (its tags) */
	double age_limit; /* seconds; 0 = none: a request queued in the drive this long is
	                     served next, oldest first (DiskSim's scheduling timeout) */
	/* The host's block layer (models/block.h), or NULL to bypass it: every request goes
	 * straight into the drive's queue, unbounded, the drive choosing among its first
	 * queue_depth (a trace taken below the host scheduler). */
	const struct blk_config *blk;
	uint64_t seed; /* the run's: seeds the model's random streams */
	double jitter; /* [sim] jitter: each service time x a uniform [1-J, 1+J] */
};

struct disk;
/* Build the device from C.  NULL + *err when the model's create refuses its settings. */
struct disk *disk_create(const struct disk_config *c, GError **err);
void disk_destroy(struct disk *d);
/* Start the disk's daemon actor on HOST (a sg_host_t). */
void disk_start(struct disk *d, void *host);
/* Queue IO (a bio) through the block layer.  Stamps io->t_issue with the current time.
 * Blocks the calling actor while the block layer has no free request (nr_requests) and IO
 * cannot merge, except when called from the disk's own actor (a completion callback). */
void disk_submit(struct disk *d, struct disk_io *io);
/* A submitter whose requests the disk actor brings in itself at their arrival times (disk.c
 * note 6): the fast path of a raw job (sim/workload.c note 6).  The submitter fills T_NEXT
 * (INFINITY: nothing coming), LATE, ROOM, CHARGE and the two hooks. */
struct disk_src {
	double t_next; /* the arrival the submitter is charging host CPU for, or INFINITY */
	/* the charge began at an instant where the disk acted first (a completion callback),
	 * so it began after the disk's next wait; otherwise it began before it */
	bool late;
	/* after the arrival at t_next, the submitter may go on at once with up to ROOM more,
	 * each CHARGE later than the one before (it would not wait for a completion first) */
	int room;
	double charge;
	/* Bring in the arrival due at t_next, in the disk actor: disk_submit_at(.., t_next, ..),
	 * then set the next t_next (or INFINITY). */
	void (*arrive)(struct disk_src *s);
	/* The disk cannot bring the arrival in with the exact clock of the submitter's own
	 * wait: the submitter takes it back (its actor waits for t_next itself); t_next is set to
	 * INFINITY by the callee.  Called in the disk actor, which then yields to the submitter
	 * when its charge began first (note 6). */
	void (*handback)(struct disk_src *s);
};
/* Let S (NULL: none) supply arrivals (one at a time, kept by the caller). */
void disk_set_src(struct disk *d, struct disk_src *s);
/* True when D can run a disk_src submitter with up to OUTSTANDING requests and keep every
 * result the same: its block layer never blocks them nor keeps a timer (not bfq). */
bool disk_src_ok(const struct disk *d, int outstanding);
/* disk_submit at NOW (<= the clock) for the submitter whose I/O context is IOC, from the
 * disk actor's own context (a disk_src's arrive). */
void disk_submit_at(struct disk *d, struct disk_io *io, double now, uint32_t ioc);
/* The block layer's counters (NULL when bypassed). */
const struct blk_stats *disk_blk_stats(const struct disk *d);
uint64_t disk_capacity(const struct disk *d);
/* Requests per second the device serves at most, estimated from one request of NSECT
 * sectors at LBN 0 (its channels at once): for bounds checked before a run, on a disk not
 * simulated yet (the probe may change the model's state, e.g. the head position). */
double disk_probe_rate(struct disk *d, enum io_dir op, uint32_t nsect);
const struct disk_stats *disk_get_stats(const struct disk *d);
const struct disk_model *disk_get_model(const struct disk *d);
/* The time the drive needs at NOW to write its write-back cache to the media (the final
 * sync): the model's flush, or 0 for a model without one. */
double disk_flush(struct disk *d, double now);
/* The [disk] settings in effect, as key/value pairs, for result.json. */
void disk_describe(const struct disk *d, void (*put)(void *ctx, const char *k, const char *v),
                   void *ctx);
/* Keys accepted in [disk] by every model. */
extern const char *const disk_common_keys[];

/* The models linked in (and registered); NULL when NAME is unknown. */
const struct disk_model *disk_model_find(const char *name);
/* All of them, in order; *n gets the count. */
const struct disk_model *const *disk_model_all(int *n);
/* The model a drive description (a DiskSim file) describes: the one whose row says drive. */
const struct disk_model *disk_model_drive(void);
/* Add M (kept, not copied) after the built-in models: for tests, which add a model the way
 * ssd.c is written.  Its name must be new. */
void disk_model_register(const struct disk_model *m);
extern const struct disk_model disk_model_mechanical;
extern const struct disk_model disk_model_ssd;
extern const struct disk_model disk_model_simple;

#endif

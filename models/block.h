/*
 * block.h -- the host's block layer: Linux's I/O scheduler (none, mq-deadline or bfq), merging
 * of adjacent requests, and the request pool (nr_requests) between the file system and the
 * drive.
 *
 * Pure data structure: no SimGrid, no clock of its own (times come in as arguments), so the
 * schedulers can be tested on hand-made queues.  The device (models/disk.c) owns one, puts
 * every submitted bio into it (blk_insert), moves requests to the drive's tagged queue while
 * the drive has a free tag (blk_dispatch) and returns each request's slot at completion
 * (blk_complete); a submitter that finds every request in use waits (blk_full).
 *
 * bfq keeps one queue per I/O context (disk_io.ioc: the submitting thread).
 *
 * A request is the disk_io that opened it (its rq_lbn / rq_nsect span the request) with the
 * bios merged into it chained on ->merged.
 */
#ifndef VN_BLOCK_H
#define VN_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "models/disk.h"

/* The elevators, by index in blk_sched_names: Linux's names (/sys/block/X/queue/scheduler). */
enum blk_sched { BLK_SCHED_NONE, BLK_SCHED_MQ_DEADLINE, BLK_SCHED_BFQ };
extern const char *const blk_sched_names[]; /* NULL-terminated */

/* Linux's defaults (block/mq-deadline.c, v5.10 .. v6.12: read_expire HZ/2, write_expire 5*HZ,
 * writes_starved 2, fifo_batch 16, front_merges 1). */
#define BLK_READ_EXPIRE_S 0.5
#define BLK_WRITE_EXPIRE_S 5.0
#define BLK_WRITES_STARVED 2
#define BLK_FIFO_BATCH 16
/* bfq's defaults (block/bfq-iosched.c, Linux 6.x): bfq_default_max_budget 16 * 1024 sectors,
 * bfq_timeout HZ / 8 (the budget timeout), bfq_slice_idle NSEC_PER_SEC / 125,
 * bfq_fifo_expire (below), bfq_back_max 16 * 1024 KiB, bfq_back_penalty 2,
 * BFQQ_SEEK_THR 8 * 100 sectors (on a non-rotational drive only requests under
 * BFQQ_SECT_THR_NONROT count), BFQQ_SEEKY: more than 19 of the last 32 requests seeky,
 * BFQ_HW_QUEUE_THRESHOLD 3 (a drive holding more requests than this queues them itself). */
#define BLK_BFQ_MAX_BUDGET 16384
#define BLK_BFQ_TIMEOUT_S 0.125
#define BLK_BFQ_SLICE_IDLE_S 0.008
#define BLK_BFQ_MIN_TT_S 0.002 /* BFQ_MIN_TT, 2 * NSEC_PER_MSEC: a seeky queue's idling */
/* bfq_fifo_expire[2] = {NSEC_PER_SEC / 4, NSEC_PER_SEC / 8}, indexed by rq_is_sync() in
 * __bfq_insert_request (sysfs: fifo_expire_sync shows [1], fifo_expire_async [0]): sync
 * 125 ms, async 250 ms (the comment above the array named them the other way round until
 * a 2021 fix of that comment) */
#define BLK_BFQ_FIFO_EXPIRE_S 0.125
#define BLK_BFQ_FIFO_EXPIRE_ASYNC_S 0.25
#define BLK_BFQ_ASYNC_CHARGE 3 /* bfq_async_charge_factor (Linux 6.x; older kernels: 10) */
#define BLK_BFQ_BACK_MAX 32768 /* sectors (16 MiB) */
#define BLK_BFQ_BACK_PENALTY 2
#define BLK_BFQ_SEEK_THR 800
#define BLK_BFQ_SEEKY_SAMPLES 19
#define BLK_BFQ_SECT_THR_NONROT 64 /* BFQQ_SECT_THR_NONROT: 2 * 32 sectors */
#define BLK_BFQ_HW_QUEUE_THRESHOLD 3
/* blk_mq_init_sched (block/blk-mq-sched.c): an elevator gets 2 * min(queue depth,
 * BLKDEV_DEFAULT_RQ = 128) requests; none gets the tag set's depth. */
#define BLK_DEFAULT_RQ 128

struct blk_config {
	enum blk_sched sched;
	bool merges;          /* /sys/block/X/queue/nomerges = 0 (Linux's default) */
	int nr_requests;      /* requests allocated at once, queued here or held by the drive */
	uint32_t max_sectors; /* the largest request merging builds */
	/* mq-deadline's tunables (seconds; counts) */
	double read_expire, write_expire;
	int fifo_batch, writes_starved;
	bool front_merges;
	/* bfq's (models/block.c note 5) */
	uint32_t bfq_max_budget;      /* sectors a queue may be served in one slot */
	double bfq_timeout;           /* seconds a queue may hold its slot */
	double bfq_slice_idle;        /* seconds to wait for an emptied sync queue's next request */
	double bfq_fifo_expire;       /* seconds: a request this old is served next in its queue */
	double bfq_fifo_expire_async; /* the same for async requests (disk_io.async) */
	uint32_t bfq_back_max;        /* sectors: a backward seek this short may be chosen */
	uint32_t bfq_back_penalty;    /* the factor on a backward seek's distance */
	bool bfq_rotational;          /* idling helps throughput (!blk_queue_nonrot) */
	bool bfq_hw_tag; /* the drive queues more than BFQ_HW_QUEUE_THRESHOLD requests */
};

/* Fill C with Linux's defaults for SCHED on a drive with QUEUE_DEPTH tags. */
void blk_config_default(struct blk_config *c, enum blk_sched sched, int queue_depth);

struct blk_stats {
	uint64_t nbio;       /* bios inserted */
	uint64_t nmerged;    /* bios merged into a request already queued */
	uint64_t nrq_merged; /* requests merged into another (after a bio merge made them touch) */
	uint64_t ndispatch;  /* requests dispatched */
	uint64_t nexpired;   /* mq-deadline: dispatches that started from an expired FIFO head */
	uint64_t nstarved;   /* mq-deadline: writes chosen because reads starved them */
	/* bfq: queues put in service, and why each slot ended */
	uint64_t nslots, nexhausted, ntimeout, nidle_expired, nempty;
};

struct blk;
struct blk *blk_create(const struct blk_config *c);
void blk_destroy(struct blk *b);
/* True when IO could not merge and every request is in use: the submitter must wait for a
 * blk_complete (Linux sleeps in blk_mq_get_tag).  Merging is tried first, as blk_mq_submit_bio
 * does, so a bio that merges never waits. */
bool blk_full(const struct blk *b, const struct disk_io *io);
/* Add bio IO at NOW: merged into a queued request (back, or front if allowed), or opening a
 * request of its own.  IO's t_issue is the caller's. */
void blk_insert(struct blk *b, struct disk_io *io, double now);
/* The next request the elevator sends to the drive at NOW, removed from the queue; NULL when
 * nothing is queued.  The request keeps its slot until blk_complete. */
struct disk_io *blk_dispatch(struct blk *b, double now);
/* Dispatched request RQ completed at NOW: its slot is free (bfq may start idling). */
void blk_complete(struct blk *b, const struct disk_io *rq, double now);
/* The time at which blk_dispatch may return a request although nothing arrives or completes
 * before (bfq's idle timer); INFINITY when there is none. */
double blk_timer(const struct blk *b);
size_t blk_queued(const struct blk *b); /* requests queued (not dispatched) */
int blk_in_use(const struct blk *b);    /* requests allocated: queued + at the drive */
const struct blk_stats *blk_get_stats(const struct blk *b);
const struct blk_config *blk_get_config(const struct blk *b);
/* Debug: the queues are consistent (sorted lists sorted, counts right). */
void blk_check(const struct blk *b);

#endif

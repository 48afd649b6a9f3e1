/*
 * ssd.c -- a flash device: per-operation array latency, `channels` operations in flight at
 * once, and one host interface of `bandwidth_mbps` that every transfer shares.
 *
 * Design notes:
 * (1) A request's time is its array latency (read_us or write_us, reported as controller
 *     time) followed by its transfer over the interface, which transfers one request at a
 *     time: the wait for the interface and the transfer are reported as xfer.  The interface
 *     is a calendar of reserved transfers: a request's transfer takes the earliest gap, at or
 *     after its data is ready, long enough for it, so a short write started after a long
 *     read transfers while the read is still in the array, instead of queueing behind the
 *     read's later transfer (transfers are never split or preempted once reserved).
 *     Simplification: a write's data crosses the interface after its array time, as a
 *     read's does (a real write is transferred first); the totals are the same, the
 *     interface's order may differ when reads and writes of different sizes mix.
 * (2) So with small requests the device does `channels` / latency requests per second, and
 *     with large ones bandwidth_mbps: the two limits real SSDs show.
 * (3) write_mbps (0: none): the flash's own write rate, below the interface's on most SATA
 *     drives (a data sheet's sequential write).  A write's data, once across the interface,
 *     goes into the drive's write buffer of write_buffer_kb, which the flash drains at
 *     write_mbps; the write completes as soon as its bytes fit, i.e. when what is still
 *     to be programmed, its own bytes included, is at most the buffer.  So writes slower
 *     than write_mbps on average never wait (small random writes stay bound by write_us and
 *     the channels), and a stream faster than it is held to it once the buffer is full.
 *     The wait holds the write's channel and is reported as controller time.  Reads do not
 *     compete with the programming (simplification: on a real drive they share the flash).
 */
#include <stddef.h>
#include <stdio.h>

#include "models/disk.h"

/* Its settings ([disk], and the disk file spec= names): DESIGN.md §8's keys and defaults. */
struct ssd_cfg {
	double read_us, write_us;
	int channels;
	double bandwidth_mbps, capacity_gb, write_mbps, write_buffer_kb;
};

#define P(key, type, field, def, min, max)                                                         \
	{                                                                                          \
		key, DISK_PARAM_##type, offsetof(struct ssd_cfg, field), def, min, max, NULL       \
	}
static const struct disk_param ssd_params[] = {
    P("read_us", DOUBLE, read_us, 80, 0, 1e9),
    P("write_us", DOUBLE, write_us, 20, 0, 1e9),
    P("channels", INT, channels, 8, 1, 4096),
    P("bandwidth_mbps", DOUBLE, bandwidth_mbps, 2000, 1e-3, 1e9),
    P("capacity_gb", DOUBLE, capacity_gb, 256, 1e-6, 1e6),
    P("write_mbps", DOUBLE, write_mbps, 0, 0, 1e9),
    P("write_buffer_kb", DOUBLE, write_buffer_kb, 4096, 0, 1e9),
    {NULL},
};
#undef P

struct ssd {
	double read_s, write_s, bw;  /* bytes per second */
	double wbw, wbuf, prog_free; /* note 3: write_mbps in bytes/s (0: none), the buffer in
	                                bytes, when what is buffered will all be programmed */
	int channels;
	uint64_t capacity;
	GArray *busy; /* struct span: reserved transfers not yet over, by start (note 1) */
};

struct span {
	double s, e;
};

static void *
ssd_create(const void *cfg, GError **err)
{
	const struct ssd_cfg *c = cfg;
	struct ssd *m = g_new0(struct ssd, 1);
	m->read_s = c->read_us * 1e-6;
	m->write_s = c->write_us * 1e-6;
	m->channels = c->channels;
	m->bw = c->bandwidth_mbps * 1e6;
	m->wbw = c->write_mbps * 1e6;
	m->wbuf = c->write_buffer_kb * 1024;
	m->capacity = (uint64_t)(c->capacity_gb * 1e9 / DISK_SECTOR);
	m->busy = g_array_new(FALSE, FALSE, sizeof(struct span));
	return m;
}

static void
ssd_destroy(void *mv)
{
	struct ssd *m = mv;
	g_array_free(m->busy, TRUE);
	g_free(m);
}

static uint64_t
ssd_capacity(const void *m)
{
	return ((const struct ssd *)m)->capacity;
}

static int
ssd_channels(const void *m)
{
	return ((const struct ssd *)m)->channels;
}

static void
ssd_service(void *mv, enum io_dir op, uint64_t lbn, uint32_t nsect, double now,
            struct disk_svc *out)
{
	struct ssd *m = mv;
	double lat = op == IO_READ ? m->read_s : m->write_s;
	double ready = now + lat, d = (double)nsect * DISK_SECTOR / m->bw;
	/* transfers over by NOW can no longer be in the way: services start in time order */
	guint old = 0;
	while (old < m->busy->len && g_array_index(m->busy, struct span, old).e <= now)
		old++;
	g_array_remove_range(m->busy, 0, old);
	/* the earliest gap at or after READY that holds D (the spans do not overlap) */
	double start = ready;
	guint k = 0;
	for (; k < m->busy->len; k++) {
		const struct span *sp = &g_array_index(m->busy, struct span, k);
		if (sp->e <= start)
			continue;
		if (start + d <= sp->s)
			break;
		start = sp->e;
	}
	struct span mine = {start, start + d};
	g_array_insert_val(m->busy, k, mine);
	double prog = 0; /* note 3 */
	if (op == IO_WRITE && m->wbw > 0) {
		double p0 = mine.e > m->prog_free ? mine.e : m->prog_free;
		m->prog_free = p0 + (double)nsect * DISK_SECTOR / m->wbw;
		double fits = m->prog_free - m->wbuf / m->wbw; /* backlog down to the buffer */
		prog = fits > mine.e ? fits - mine.e : 0;
	}
	*out = (struct disk_svc){.ctrl = lat + prog, .xfer = mine.e - ready};
}

static void
ssd_describe(const void *mv, void (*put)(void *, const char *, const char *), void *ctx)
{
	const struct ssd *m = mv;
	char b[64];
	snprintf(b, sizeof b, "%.17g", m->read_s * 1e6);
	put(ctx, "read_us", b);
	snprintf(b, sizeof b, "%.17g", m->write_s * 1e6);
	put(ctx, "write_us", b);
	snprintf(b, sizeof b, "%.17g", m->bw / 1e6);
	put(ctx, "bandwidth_mbps", b);
	if (m->wbw > 0) {
		snprintf(b, sizeof b, "%.17g", m->wbw / 1e6);
		put(ctx, "write_mbps", b);
		snprintf(b, sizeof b, "%.17g", m->wbuf / 1024);
		put(ctx, "write_buffer_kb", b);
	}
	snprintf(b, sizeof b, "%llu", (unsigned long long)m->capacity);
	put(ctx, "capacity_sectors", b);
}

const struct disk_model disk_model_ssd = {
    .name = "ssd",
    .summary = "flash: per-op latency, channels, shared interface bandwidth",
    .params = ssd_params,
    .cfg_size = sizeof(struct ssd_cfg),
    .create = ssd_create,
    .destroy = ssd_destroy,
    .capacity = ssd_capacity,
    .channels = ssd_channels,
    .service = ssd_service,
    .describe = ssd_describe,
};

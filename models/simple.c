/*
 * simple.c -- a device for validation against queueing theory and closed forms: every
 * request takes `service_us` (const) or an exponentially distributed time of that mean
 * (exp), on `channels` identical servers.  No positional state.
 *
 * The exponential draws come from the model's own stream, seeded from the run's seed, so a
 * run is deterministic and independent of how other components draw.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "models/disk.h"

/* Its settings ([disk], and the disk file spec= names). */
struct simple_cfg {
	double service_us;
	int dist; /* index in dists */
	int channels;
	double capacity_gb;
};

static const char *const dists[] = {"const", "exp", NULL};

#define P(key, type, field, def, min, max, choices)                                                \
	{                                                                                          \
		key, DISK_PARAM_##type, offsetof(struct simple_cfg, field), def, min, max, choices \
	}
static const struct disk_param simple_params[] = {
    P("service_us", DOUBLE, service_us, 100, 0, 1e12, NULL),
    P("service_dist", CHOICE, dist, 0, 0, 0, dists),
    P("channels", INT, channels, 1, 1, 1 << 20, NULL),
    P("capacity_gb", DOUBLE, capacity_gb, 256, 1e-6, 1e6, NULL),
    {NULL},
};
#undef P

struct simple {
	double mean_s;
	bool exp;
	int channels;
	uint64_t capacity;
	GRand *rng;
};

static void *
simple_create(const void *cfg, GError **err)
{
	const struct simple_cfg *c = cfg;
	struct simple *m = g_new0(struct simple, 1);
	m->mean_s = c->service_us * 1e-6;
	m->exp = c->dist == 1;
	m->channels = c->channels;
	m->capacity = (uint64_t)(c->capacity_gb * 1e9 / DISK_SECTOR);
	m->rng = g_rand_new_with_seed(1);
	return m;
}

static void
simple_seed(void *mv, uint64_t seed)
{
	struct simple *m = mv;
	g_rand_set_seed(m->rng, (guint32)(seed ^ 0x5eed5eedu));
}

static void
simple_destroy(void *mv)
{
	struct simple *m = mv;
	g_rand_free(m->rng);
	g_free(m);
}

static uint64_t
simple_capacity(const void *m)
{
	return ((const struct simple *)m)->capacity;
}

static int
simple_channels(const void *m)
{
	return ((const struct simple *)m)->channels;
}

static void
simple_service(void *mv, enum io_dir op, uint64_t lbn, uint32_t nsect, double now,
               struct disk_svc *out)
{
	struct simple *m = mv;
	double t = m->mean_s;
	if (m->exp) /* 1 - U in (0, 1]: log never sees 0 */
		t = -m->mean_s * log(1.0 - g_rand_double(m->rng));
	*out = (struct disk_svc){.xfer = t};
}

static void
simple_describe(const void *mv, void (*put)(void *, const char *, const char *), void *ctx)
{
	const struct simple *m = mv;
	char b[64];
	snprintf(b, sizeof b, "%.17g", m->mean_s * 1e6);
	put(ctx, "service_us", b);
	put(ctx, "service_dist", m->exp ? "exp" : "const");
}

const struct disk_model disk_model_simple = {
    .name = "simple",
    .summary = "fixed or exponential service time on C channels (validation)",
    .params = simple_params,
    .cfg_size = sizeof(struct simple_cfg),
    .create = simple_create,
    .destroy = simple_destroy,
    .capacity = simple_capacity,
    .channels = simple_channels,
    .service = simple_service,
    .seed = simple_seed,
    .describe = simple_describe,
};

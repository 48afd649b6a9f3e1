/*
 * simple.c -- a device for validation against queueing theory and closed forms: every
 * request takes `service_us` (const) or an exponentially distributed time of that mean
 * (exp), on `channels` identical servers.  No positional state.
 *
 * The exponential draws come from the model's own stream, seeded from the run's seed, so a
 * run is deterministic and independent of how other components draw.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/disk.h"
#include "sim/scenario.h"

struct simple {
	double mean_s;
	bool exp;
	int channels;
	uint64_t capacity;
	GRand *rng;
};

static const char *const simple_keys[] = {"service_us", "service_dist", "channels", NULL};

static void *
simple_create(const struct scn_sect *s, GError **err)
{
	double us, cap;
	int64_t ch;
	const char *dist;
	struct scn *f;
	if (!disk_spec_open(s, &f, err))
		return NULL;
	const struct scn_sect *b = f ? scn_section(f, "disk") : NULL;
	bool ok = disk_get_double(b, s, "service_us", 100, 0, 1e12, &us, err) &&
	          disk_get_str(b, s, "service_dist", "const", &dist, err) &&
	          disk_get_int(b, s, "channels", 1, 1, 1 << 20, &ch, err) &&
	          disk_get_double(b, s, "capacity_gb", 256, 1e-6, 1e6, &cap, err);
	if (ok && strcmp(dist, "const") != 0 && strcmp(dist, "exp") != 0)
		ok = scn_error(scn_has(s, "service_dist") ? s : b, "service_dist", err,
		               "expected const or exp, got '%s'", dist);
	bool exp = ok && strcmp(dist, "exp") == 0;
	scn_free(f);
	if (!ok)
		return NULL;
	struct simple *m = g_new0(struct simple, 1);
	m->mean_s = us * 1e-6;
	m->exp = exp;
	m->channels = (int)ch;
	m->capacity = (uint64_t)(cap * 1e9 / DISK_SECTOR);
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
    .keys = simple_keys,
    .create = simple_create,
    .destroy = simple_destroy,
    .capacity = simple_capacity,
    .channels = simple_channels,
    .service = simple_service,
    .seed = simple_seed,
    .describe = simple_describe,
};

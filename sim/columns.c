/*
 * columns.c -- the table of summary.csv's columns (see columns.h).
 *
 * (1) Each getter computes its figure from the row's statistics exactly as written here and
 *     nowhere else: rates over the measured span, waits as means per measured request,
 *     latencies from the streaming histogram with the one percentile rule (stats.h).
 * (2) The first NCONTRACT rows are DESIGN.md §8's columns in its order: never reorder or
 *     rename them; add a row after them.
 */
#include <stdio.h>
#include <string.h>

#include "sim/columns.h"
#include "sim/csv.h"

/* ---- getters ---- */

static const char *
get_scenario(const struct col_row *r)
{
	return r->scenario;
}

static const char *
get_policy(const struct col_row *r)
{
	return r->policy;
}

static uint64_t
get_seed(const struct col_row *r)
{
	return r->seed;
}

static const char *
get_job(const struct col_row *r)
{
	return r->job;
}

static uint64_t
get_ops(const struct col_row *r)
{
	return r->ops;
}

static double
per_span(const struct col_row *r, uint64_t n)
{
	return r->span > 0 ? (double)n / r->span : 0;
}

static double
get_read_iops(const struct col_row *r)
{
	return per_span(r, r->st->ops[IO_READ]);
}

static double
get_write_iops(const struct col_row *r)
{
	return per_span(r, r->st->ops[IO_WRITE]);
}

static double
get_read_mbps(const struct col_row *r)
{
	return r->span > 0 ? (double)r->st->bytes[IO_READ] / r->span / 1e6 : 0;
}

static double
get_write_mbps(const struct col_row *r)
{
	return r->span > 0 ? (double)r->st->bytes[IO_WRITE] / r->span / 1e6 : 0;
}

static double
get_lat_mean(const struct col_row *r)
{
	return st_mean(r->st) * 1e6;
}

static double
get_lat_p50(const struct col_row *r)
{
	return st_quantile(r->st, 0.5) * 1e6;
}

static double
get_lat_p99(const struct col_row *r)
{
	return st_quantile(r->st, 0.99) * 1e6;
}

static double
get_lat_p999(const struct col_row *r)
{
	return st_quantile(r->st, 0.999) * 1e6;
}

static double
get_lat_max(const struct col_row *r)
{
	return st_max(r->st) * 1e6;
}

/* A sum of seconds over the measured requests as a mean in microseconds. */
static double
mean_us(const struct col_row *r, double sum)
{
	return sum * (r->ops ? 1e6 / (double)r->ops : 0);
}

static double
get_vnode_wait(const struct col_row *r)
{
	return mean_us(r, r->st->vnode_wait);
}

static double
get_getpages_wait(const struct col_row *r)
{
	return mean_us(r, r->st->getpages_wait);
}

static double
get_range_wait(const struct col_row *r)
{
	return mean_us(r, r->st->range_wait);
}

static double
get_disk_util(const struct col_row *r)
{
	return r->disk_util;
}

static double
get_cache_hit_ratio(const struct col_row *r)
{
	const struct st_job *j = r->st;
	return j->cache_lookups ? (double)j->cache_hits / (double)j->cache_lookups : 0;
}

static uint64_t
get_torn_reads(const struct col_row *r)
{
	return r->st->torn_reads;
}

static uint64_t
get_torn_writes(const struct col_row *r)
{
	return r->st->torn_writes;
}

static uint64_t
get_stale_reads(const struct col_row *r)
{
	return r->st->stale_reads;
}

static uint64_t
get_lost_writes(const struct col_row *r)
{
	return r->st->lost_writes;
}

static double
get_sim_seconds(const struct col_row *r)
{
	return r->span;
}

static uint64_t
get_events(const struct col_row *r)
{
	return r->st->events;
}

/* ---- the table ---- */

#define TEXT(f) .type = COL_TEXT, .get.text = (f)
#define COUNT(f) .type = COL_COUNT, .get.count = (f)
#define REAL(p, f) .type = COL_REAL, .prec = (p), .get.real = (f)

static const struct col table[] = {
    {.name = "scenario",
     TEXT(get_scenario),
     .unit = "",
     .desc = "the scenario: its file name without `.ini`",
     .flags = COL_KEY},
    {.name = "policy",
     TEXT(get_policy),
     .unit = "",
     .desc = "the lock policy (`raw` for replay and validate)",
     .flags = COL_KEY},
    {.name = "seed",
     COUNT(get_seed),
     .unit = "",
     .desc = "the run's seed (`mean` on the mean rows of several seeds)",
     .flags = COL_KEY},
    {.name = "job",
     TEXT(get_job),
     .unit = "",
     .desc = "the job's section name (its `numjobs` clones and sections of the same name "
             "together), or `all`",
     .flags = COL_KEY},
    {.name = "ops",
     COUNT(get_ops),
     .unit = "requests",
     .desc = "reads and writes completed in the measured span (warm-up excluded; fsyncs are not "
             "counted)",
     .flags = COL_NODIFF},
    {.name = "read_iops",
     REAL(3, get_read_iops),
     .unit = "1/s",
     .desc = "reads per second over `sim_seconds`",
     .diff_label = "iops",
     .diff_add = "write_iops"},
    {.name = "write_iops",
     REAL(3, get_write_iops),
     .unit = "1/s",
     .desc = "writes per second over `sim_seconds`",
     .flags = COL_NODIFF},
    {.name = "read_mbps",
     REAL(6, get_read_mbps),
     .unit = "MB/s",
     .desc = "bytes read per second over `sim_seconds`, in 10^6 bytes",
     .diff_label = "MB/s",
     .diff_add = "write_mbps"},
    {.name = "write_mbps",
     REAL(6, get_write_mbps),
     .unit = "MB/s",
     .desc = "bytes written per second over `sim_seconds`, in 10^6 bytes",
     .flags = COL_NODIFF},
    {.name = "lat_mean_us",
     REAL(3, get_lat_mean),
     .unit = "µs",
     .desc = "mean latency, from issue to completion, lock waits included"},
    {.name = "lat_p50_us",
     REAL(3, get_lat_p50),
     .unit = "µs",
     .desc = "median latency (percentiles interpolate linearly between order statistics, taken "
             "from a streaming histogram: within 0.2% of the exact value, exact when a bucket's "
             "latencies are equal)",
     .flags = COL_NODIFF},
    {.name = "lat_p99_us",
     REAL(3, get_lat_p99),
     .unit = "µs",
     .desc = "99th percentile of the latency"},
    {.name = "lat_p999_us",
     REAL(3, get_lat_p999),
     .unit = "µs",
     .desc = "99.9th percentile of the latency"},
    {.name = "lat_max_us",
     REAL(3, get_lat_max),
     .unit = "µs",
     .desc = "the largest latency",
     .flags = COL_NODIFF},
    {.name = "vnode_wait_us",
     REAL(3, get_vnode_wait),
     .unit = "µs",
     .desc = "mean wait for the vnode lock per request"},
    {.name = "getpages_wait_us",
     REAL(3, get_getpages_wait),
     .unit = "µs",
     .desc = "mean wait for the getpages (block-map) lock per request"},
    {.name = "range_wait_us",
     REAL(3, get_range_wait),
     .unit = "µs",
     .desc = "mean wait for the byte-range lock per request (range policies take no vnode lock and "
             "report their waits here)"},
    {.name = "disk_util",
     REAL(6, get_disk_util),
     .unit = "fraction",
     .desc = "the fraction of time the device had at least one request in service, up to the end "
             "of the last application request (iostat's %util); the run's, on every row"},
    {.name = "cache_hit_ratio",
     REAL(6, get_cache_hit_ratio),
     .unit = "fraction",
     .desc = "page-cache hits over pages looked up",
     .flags = COL_NODIFF},
    {.name = "torn_reads",
     COUNT(get_torn_reads),
     .unit = "requests",
     .desc = "POSIX reads that saw part of an overlapping POSIX write and an older version "
             "elsewhere (the oracle counts each request at most once per counter)",
     .flags = COL_JSON_CHECK},
    {.name = "torn_writes",
     COUNT(get_torn_writes),
     .unit = "requests",
     .desc = "overlapping POSIX writes whose shared bytes, once both completed, hold partly one "
             "and partly the other",
     .flags = COL_JSON_CHECK},
    {.name = "stale_reads",
     COUNT(get_stale_reads),
     .unit = "requests",
     .desc = "reads that saw a version older than a write completed before they were issued",
     .flags = COL_JSON_CHECK},
    {.name = "lost_writes",
     COUNT(get_lost_writes),
     .unit = "requests",
     .desc = "writes whose data is not on disk after the final sync, though no later or "
             "overlapping write replaced it",
     .flags = COL_JSON_CHECK},
    {.name = "sim_seconds",
     REAL(9, get_sim_seconds),
     .unit = "s",
     .desc = "the measured span: from the row's first request's issue to its last completion",
     .flags = COL_NODIFF},
    {.name = "events",
     COUNT(get_events),
     .unit = "events",
     .desc = "completed application requests plus the disk requests they caused, warm-up "
             "included (`all`: plus write-back and metadata writes)",
     .flags = COL_NODIFF | COL_JSON_TOP},
};

#define NCONTRACT 25 /* DESIGN.md §8 */
G_STATIC_ASSERT(G_N_ELEMENTS(table) >= NCONTRACT);

#define MAX_EXTRA 16
static const struct col *extra[MAX_EXTRA]; /* col_register's, in order */
static int nextra;
static GString *header; /* col_header's, rebuilt after a registration */

int
col_count(void)
{
	return (int)G_N_ELEMENTS(table) + nextra;
}

const struct col *
col_at(int i)
{
	g_assert(i >= 0 && i < col_count());
	return i < (int)G_N_ELEMENTS(table) ? &table[i] : extra[i - (int)G_N_ELEMENTS(table)];
}

int
col_find(const char *name)
{
	for (int i = 0; i < col_count(); i++)
		if (!strcmp(col_at(i)->name, name))
			return i;
	return -1;
}

int
col_ncontract(void)
{
	return NCONTRACT;
}

const char *
col_header(void)
{
	if (!header) {
		header = g_string_new(NULL);
		for (int i = 0; i < col_count(); i++)
			g_string_append_printf(header, "%s%s", i ? "," : "", col_at(i)->name);
		g_string_append_c(header, '\n');
	}
	return header->str;
}

void
col_row_init(struct col_row *row, const char *scenario, const char *policy, unsigned long long seed,
             const char *job, const struct st_job *st, double disk_util)
{
	*row = (struct col_row){.scenario = scenario,
	                        .policy = policy,
	                        .seed = seed,
	                        .job = job,
	                        .st = st,
	                        .disk_util = disk_util,
	                        .span = st->t_first >= 0 ? st->t_last - st->t_first : 0,
	                        .ops = st_job_ops(st)};
}

void
col_append(GString *s, const struct col *c, const struct col_row *row)
{
	switch (c->type) {
	case COL_TEXT:
		csv_field(s, c->get.text(row));
		break;
	case COL_COUNT:
		g_string_append_printf(s, "%llu", (unsigned long long)c->get.count(row));
		break;
	case COL_REAL:
		g_string_append_printf(s, "%.*f", c->prec, c->get.real(row));
		break;
	}
}

void
col_register(const struct col *c)
{
	g_assert(nextra < MAX_EXTRA);
	g_assert(c->name && !strchr(c->name, ',') && col_find(c->name) < 0);
	g_assert(c->type == COL_TEXT    ? c->get.text != NULL
	         : c->type == COL_COUNT ? c->get.count != NULL
	                                : c->get.real != NULL);
	extra[nextra++] = c;
	if (header) {
		g_string_free(header, TRUE);
		header = NULL;
	}
}

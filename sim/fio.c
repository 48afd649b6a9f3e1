/*
 * fio.c -- fio's JSON objects, bw/iops samples and log files for a job (see fio.h).
 *
 * (1) Latency figures come from the statistics module's histograms (stats.h: one a job and
 *     one a direction): min, max, mean and stddev exact, percentiles by its one rule (within
 *     0.2% of the exact value; fio reads its own off a histogram of 1/64 of the value).
 *     json+ `bins` are fio's histogram (fio_plat_idx), filled from ours bucket by bucket,
 *     so fio's scripts can read them.
 * (2) stddev is the sample standard deviation (n - 1), as fio's (stat.c calc_lat).
 * (3) bw_* and iops_* are fio's per-window samples (bwavgtime, iopsavgtime: 500 ms by
 *     default) of one job (its clones together), counted from the job's first measured
 *     request; a direction is sampled once the job has done a request of it; a last partial
 *     window is not a sample (as fio).  Memory is O(1): a running mean and variance.
 * (4) Logs (fio HOWTO "Log File Formats", 5 columns: time in ms, value, direction 0/1, block
 *     size, 0 for the priority): one line a request without log_avg_msec (lat/clat in ns,
 *     bw = the request's bytes over its latency in KiB/s, iops = 1), else one line a window
 *     and direction with the window's mean latency, KiB/s or IO/s and block size 0; the
 *     window still open at the end is written.  slat is not modelled apart from clat (as
 *     fio's synchronous engines): its log is empty and slat_ns has N = 0.  Lines are written
 *     as the run goes (stdio buffers), never kept.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fio.h"
#include "sim/output.h"
#include "sim/scenario.h"

const char *const fio_opt_keys[] = {"write_bw_log",
                                    "write_lat_log",
                                    "write_iops_log",
                                    "write_hist_log",
                                    "log_avg_msec",
                                    "log_hist_msec",
                                    "log_hist_coarseness",
                                    "bwavgtime",
                                    "iopsavgtime",
                                    "percentile_list",
                                    NULL};

/* fio's default percentile list (stat.c, fio_percentiles... in options.c: def_percentile_list) */
static const double def_pct[] = {1,  5,  10, 20, 30,   40,   50,    60,   70,
                                 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};

/* ---- fio's histogram buckets ---- */

/* Values below 2 x 64 have a bucket each; above, each power of two is split into 64 equal
 * buckets (fio's stat.c plat_val_to_idx / plat_idx_to_val, re-derived from that rule). */
unsigned
fio_plat_idx(uint64_t ns)
{
	unsigned msb = ns ? 63u - (unsigned)__builtin_clzll(ns) : 0;
	if (msb <= FIO_PLAT_BITS)
		return (unsigned)ns;
	unsigned err = msb - FIO_PLAT_BITS;
	uint64_t idx = ((uint64_t)(err + 1) << FIO_PLAT_BITS) + ((ns >> err) & (FIO_PLAT_VAL - 1));
	return idx > FIO_PLAT_NR - 1 ? FIO_PLAT_NR - 1 : (unsigned)idx;
}

uint64_t
fio_plat_val(unsigned idx)
{
	if (idx < (FIO_PLAT_VAL << 1))
		return idx;
	unsigned err = (idx >> FIO_PLAT_BITS) - 1;
	uint64_t base = 1ull << (err + FIO_PLAT_BITS);
	unsigned k = idx % FIO_PLAT_VAL;
	return base + (uint64_t)(((double)k + 0.5) * (double)(1ull << err));
}

/* ---- options ---- */

static bool
get_ms(const struct scn_sect *s, const char *key, double def, double min, double *out, GError **err)
{
	int64_t v;
	if (!scn_get_int(s, key, (int64_t)def, (int64_t)min, 86400000, &v, err))
		return false;
	*out = (double)v * 1e-3;
	return true;
}

bool
fio_opts_load(const struct scn_sect *s, struct fio_opts *o, GError **err)
{
	static const char *const logk[] = {"write_bw_log", "write_lat_log", "write_iops_log",
	                                   "write_hist_log"};
	*o = (struct fio_opts){0};
	for (int i = 0; i < 4; i++) {
		const char *v;
		if (!scn_get_str(s, logk[i], NULL, &v, err))
			return false;
		if (!v)
			continue;
		/* fio: a bare key or an empty value names the logs after the job */
		if (!*v || strcmp(v, "1") == 0)
			v = scn_sect_name(s);
		if (strchr(v, '/') || strcmp(v, "..") == 0 || strcmp(v, ".") == 0)
			return scn_error(s, logk[i], err,
			                 "expected a file name prefix without '/' (logs go to the "
			                 "run's directory), got '%s'",
			                 v);
		o->log[i] = g_strdup(v);
	}
	int64_t c;
	if (!get_ms(s, "log_avg_msec", 0, 0, &o->avg, err) ||
	    !get_ms(s, "log_hist_msec", 0, 0, &o->hist_win, err) ||
	    !scn_get_int(s, "log_hist_coarseness", 0, 0, 6, &c, err) ||
	    !get_ms(s, "bwavgtime", 500, 1, &o->bw_win, err) ||
	    !get_ms(s, "iopsavgtime", 500, 1, &o->iops_win, err))
		return false;
	o->coarse = (int)c;
	const char *pl;
	if (!scn_get_str(s, "percentile_list", NULL, &pl, err))
		return false;
	if (!pl) {
		memcpy(o->pct, def_pct, sizeof def_pct);
		o->npct = (int)G_N_ELEMENTS(def_pct);
		return true;
	}
	char **parts = g_strsplit(pl, ":", -1);
	bool ok = true;
	for (char **p = parts; *p && ok; p++) {
		char *end;
		double x = g_ascii_strtod(*p, &end);
		if (!**p || *end || !(x >= 0 && x <= 100) || o->npct >= (int)G_N_ELEMENTS(o->pct))
			ok =
			    scn_error(s, "percentile_list", err,
			              "expected up to 64 percentages in [0, 100] separated by ':', "
			              "got '%s'",
			              pl);
		else
			o->pct[o->npct++] = x;
	}
	g_strfreev(parts);
	return ok;
}

void
fio_opts_default(struct fio_opts *o)
{
	*o = (struct fio_opts){.bw_win = 0.5, .iops_win = 0.5, .npct = (int)G_N_ELEMENTS(def_pct)};
	memcpy(o->pct, def_pct, sizeof def_pct);
}

void
fio_opts_free(struct fio_opts *o)
{
	for (int i = 0; i < 4; i++)
		g_free(o->log[i]);
	*o = (struct fio_opts){0};
}

void
fio_acc_add(struct fio_acc *a, double x)
{
	if (!a->n || x < a->min)
		a->min = x;
	if (!a->n || x > a->max)
		a->max = x;
	a->n++;
	double d = x - a->mean;
	a->mean += d / (double)a->n;
	a->m2 += d * (x - a->mean);
}

static double
acc_dev(const struct fio_acc *a)
{
	return a->n > 1 ? sqrt(a->m2 / (double)(a->n - 1)) : 0;
}

/* ---- the series and the logs ---- */

enum { F_BW, F_LAT, F_CLAT, F_SLAT, F_IOPS, F_HIST };

bool
fio_series_open(struct fio_series *s, const struct fio_opts *o, const char *dir, int n, uint64_t bs,
                GError **err)
{
	static const struct {
		int log;
		const char *suffix;
	} files[] = {{FIO_LOG_BW, "bw"},    {FIO_LOG_LAT, "lat"},   {FIO_LOG_LAT, "clat"},
	             {FIO_LOG_LAT, "slat"}, {FIO_LOG_IOPS, "iops"}, {FIO_LOG_HIST, "clat_hist"}};
	*s = (struct fio_series){.origin = -1, .bs = bs};
	for (int i = 0; i < 6; i++) {
		const char *name = o->log[files[i].log];
		if (!name)
			continue;
		char *base = g_strdup_printf("%s_%s.%d.log", name, files[i].suffix, n);
		s->path[i] = g_build_filename(dir, base, NULL);
		g_free(base);
		if (!(s->f[i] = out_open_tmp(s->path[i], err)))
			return false;
	}
	if (o->log[FIO_LOG_HIST] && o->hist_win > 0)
		for (int op = 0; op < 2; op++)
			s->hist[op] = g_new0(uint64_t, FIO_PLAT_NR);
	return true;
}

static uint64_t
ms(double t)
{
	return t > 0 ? (uint64_t)(t * 1e3) : 0;
}

static uint64_t
rnd(double x)
{
	return x > 0 ? (uint64_t)llround(x) : 0;
}

/* Write the averaged log lines of the window ending at T (relative, seconds). */
static void
log_window(struct fio_series *s, const struct fio_opts *o, double t)
{
	for (int op = 0; op < 2; op++) {
		if (!s->l_ios[op])
			continue;
		double mean = s->l_sum[op] / (double)s->l_ios[op] * 1e9;
		for (int f = F_LAT; f <= F_CLAT; f++)
			if (s->f[f])
				fprintf(s->f[f], "%" PRIu64 ", %" PRIu64 ", %d, 0, 0\n", ms(t),
				        rnd(mean), op);
		if (s->f[F_BW])
			fprintf(s->f[F_BW], "%" PRIu64 ", %" PRIu64 ", %d, 0, 0\n", ms(t),
			        rnd((double)s->l_bytes[op] / o->avg / 1024), op);
		if (s->f[F_IOPS])
			fprintf(s->f[F_IOPS], "%" PRIu64 ", %" PRIu64 ", %d, 0, 0\n", ms(t),
			        rnd((double)s->l_ios[op] / o->avg), op);
		s->l_ios[op] = s->l_bytes[op] = 0;
		s->l_sum[op] = 0;
	}
}

static void
hist_window(struct fio_series *s, const struct fio_opts *o, double t)
{
	for (int op = 0; op < 2; op++) {
		uint64_t any = 0;
		for (unsigned i = 0; i < FIO_PLAT_NR; i++)
			any |= s->hist[op][i];
		if (!any)
			continue;
		FILE *f = s->f[F_HIST];
		fprintf(f, "%" PRIu64 ", %d, %" PRIu64, ms(t), op, s->bs);
		unsigned step = 1u << o->coarse;
		for (unsigned i = 0; i < FIO_PLAT_NR; i += step) {
			uint64_t sum = 0;
			for (unsigned k = i; k < i + step; k++)
				sum += s->hist[op][k];
			fprintf(f, ", %" PRIu64, sum);
		}
		fputc('\n', f);
		memset(s->hist[op], 0, FIO_PLAT_NR * sizeof(uint64_t));
	}
}

/* Close every window of every series that ended by T (relative to the origin). */
static void
advance(struct fio_series *s, const struct fio_opts *o, double t)
{
	while (o->bw_win > 0 && (double)(s->bw_k + 1) * o->bw_win <= t) {
		for (int op = 0; op < 2; op++)
			if (s->seen[op])
				fio_acc_add(&s->bw[op], (double)s->bw_bytes[op] / o->bw_win / 1024);
		s->bw_bytes[0] = s->bw_bytes[1] = 0;
		s->bw_k++;
	}
	while (o->iops_win > 0 && (double)(s->iops_k + 1) * o->iops_win <= t) {
		for (int op = 0; op < 2; op++)
			if (s->seen[op])
				fio_acc_add(&s->iops[op], (double)s->iops_ios[op] / o->iops_win);
		s->iops_ios[0] = s->iops_ios[1] = 0;
		s->iops_k++;
	}
	if (o->avg > 0)
		while ((double)(s->log_k + 1) * o->avg <= t) {
			log_window(s, o, (double)(s->log_k + 1) * o->avg);
			s->log_k++;
		}
	if (s->hist[0])
		while ((double)(s->hist_k + 1) * o->hist_win <= t) {
			hist_window(s, o, (double)(s->hist_k + 1) * o->hist_win);
			s->hist_k++;
		}
}

void
fio_series_add(struct fio_series *s, const struct fio_opts *o, enum io_dir op, uint64_t bytes,
               double t_issue, double t_done)
{
	if (s->origin < 0)
		s->origin = t_issue;
	double t = t_done - s->origin, lat = t_done - t_issue;
	advance(s, o, t);
	s->seen[op] = true;
	s->bw_bytes[op] += bytes;
	s->iops_ios[op]++;
	if (o->avg > 0) {
		s->l_bytes[op] += bytes;
		s->l_ios[op]++;
		s->l_sum[op] += lat;
	} else {
		for (int f = F_LAT; f <= F_CLAT; f++)
			if (s->f[f])
				fprintf(s->f[f], "%" PRIu64 ", %" PRIu64 ", %d, %" PRIu64 ", 0\n",
				        ms(t), (uint64_t)(lat * 1e9), op, bytes);
		if (s->f[F_BW])
			fprintf(s->f[F_BW], "%" PRIu64 ", %" PRIu64 ", %d, %" PRIu64 ", 0\n", ms(t),
			        lat > 0 ? rnd((double)bytes / lat / 1024) : 0, op, bytes);
		if (s->f[F_IOPS])
			fprintf(s->f[F_IOPS], "%" PRIu64 ", 1, %d, %" PRIu64 ", 0\n", ms(t), op,
			        bytes);
	}
	if (s->hist[op])
		s->hist[op][fio_plat_idx((uint64_t)(lat * 1e9))]++;
}

void
fio_series_sync(struct fio_series *s, double lat)
{
	fio_acc_add(&s->sync, lat * 1e9);
}

bool
fio_series_close(struct fio_series *s, const struct fio_opts *o, double t_end, GError **err)
{
	double t = s->origin >= 0 ? t_end - s->origin : 0;
	if (s->origin >= 0) {
		advance(s, o, t);
		if (o->avg > 0)
			log_window(s, o, t);
		if (s->hist[0])
			hist_window(s, o, t);
	}
	bool ok = true;
	for (int i = 0; i < 6; i++)
		if (s->f[i]) {
			if (ok && !out_commit(s->f[i], s->path[i], err))
				ok = false;
			else if (!ok)
				fclose(s->f[i]);
			s->f[i] = NULL;
		}
	fio_series_free(s);
	return ok;
}

void
fio_series_free(struct fio_series *s)
{
	for (int i = 0; i < 6; i++) {
		if (s->f[i]) {
			fclose(s->f[i]);
			char *tmp = g_strdup_printf("%s.tmp", s->path[i]);
			remove(tmp);
			g_free(tmp);
		}
		s->f[i] = NULL;
		g_free(s->path[i]);
		s->path[i] = NULL;
	}
	for (int op = 0; op < 2; op++) {
		g_free(s->hist[op]);
		s->hist[op] = NULL;
	}
}

/* ---- JSON ---- */

static void
put_i(JsonBuilder *b, const char *k, int64_t v)
{
	json_builder_set_member_name(b, k);
	json_builder_add_int_value(b, v);
}

static void
put_d(JsonBuilder *b, const char *k, double v)
{
	json_builder_set_member_name(b, k);
	json_builder_add_double_value(b, v);
}

static int64_t
ns(double seconds)
{
	return (int64_t)(seconds * 1e9);
}

struct bins {
	JsonBuilder *b;
	unsigned idx;
	uint64_t n;
	bool any;
};

static void
bins_flush(struct bins *x)
{
	if (!x->any)
		return;
	char key[32];
	snprintf(key, sizeof key, "%" PRIu64, fio_plat_val(x->idx));
	put_i(x->b, key, (int64_t)x->n);
}

/* The histogram's buckets, ascending, into fio's (each by the mean of its values: ours are
 * 512 to a power of two, fio's 64, so a bucket of ours straddles one of fio's boundaries
 * only at 1 in 8 of them, and then counts wholly on its mean's side). */
static void
bins_add(void *ctx, double lo, double hi, double mean, uint64_t count)
{
	struct bins *x = ctx;
	unsigned idx = fio_plat_idx((uint64_t)ns(mean));
	if (x->any && idx == x->idx) {
		x->n += count;
		return;
	}
	bins_flush(x);
	*x = (struct bins){x->b, idx, count, true};
}

/* {min, max, mean, stddev, N[, percentile][, bins]} of H (seconds; NULL: none). */
static void
lat_obj(JsonBuilder *b, const char *key, const struct hist *h, const struct fio_opts *o, bool pct,
        bool bins)
{
	uint64_t n = h ? h->n : 0;
	double mean = n ? hist_mean(h) : 0;
	/* fio's stddev is the sample one, n - 1 in the divisor */
	double var = n > 1 ? (h->sumsq - (double)n * mean * mean) / (double)(n - 1) : 0;
	json_builder_set_member_name(b, key);
	json_builder_begin_object(b);
	put_i(b, "min", n ? ns(h->min) : 0);
	put_i(b, "max", n ? ns(h->max) : 0);
	put_d(b, "mean", mean * 1e9);
	put_d(b, "stddev", var > 0 ? sqrt(var) * 1e9 : 0);
	put_i(b, "N", (int64_t)n);
	if (pct && n) { /* fio writes the map only when there are samples */
		json_builder_set_member_name(b, "percentile");
		json_builder_begin_object(b);
		for (int i = 0; i < o->npct; i++) {
			char k[32];
			snprintf(k, sizeof k, "%f", o->pct[i]);
			put_i(b, k, ns(hist_quantile(h, o->pct[i] / 100)));
		}
		json_builder_end_object(b);
	}
	if (bins && n) {
		json_builder_set_member_name(b, "bins");
		json_builder_begin_object(b);
		struct bins x = {.b = b};
		hist_foreach(h, bins_add, &x);
		bins_flush(&x);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
}

static void
zero_lat(JsonBuilder *b, const char *key)
{
	lat_obj(b, key, NULL, NULL, false, false);
}

static void
samples(JsonBuilder *b, const char *prefix, const char *dev, const struct fio_acc *a, bool agg)
{
	char k[32];
#define K(s) (snprintf(k, sizeof k, "%s_%s", prefix, s), k)
	put_i(b, K("min"), a->n ? (int64_t)llround(a->min) : 0);
	put_i(b, K("max"), a->n ? (int64_t)llround(a->max) : 0);
	if (agg) /* percent of the group's bandwidth: a job is its own group */
		put_d(b, K("agg"), a->n ? 100.0 : 0.0);
	put_d(b, K("mean"), a->n ? a->mean : 0);
	put_d(b, K(dev), acc_dev(a));
	put_i(b, K("samples"), (int64_t)a->n);
#undef K
}

static void
dir_obj(JsonBuilder *b, const char *name, const struct st_job *j, const struct fio_series *s,
        const struct fio_opts *o, int op, bool plus)
{
	static const struct fio_acc none;
	uint64_t ops = op < 2 ? j->ops[op] : 0, bytes = op < 2 ? j->bytes[op] : 0;
	double span = ops && j->t_first >= 0 ? j->t_last - j->t_first : 0;
	const struct hist *lat = op < 2 ? st_job_dir(j, (enum io_dir)op) : NULL;
	json_builder_set_member_name(b, name);
	json_builder_begin_object(b);
	put_i(b, "io_bytes", (int64_t)bytes);
	put_i(b, "io_kbytes", (int64_t)(bytes / 1024));
	put_i(b, "bw_bytes", span > 0 ? (int64_t)((double)bytes / span) : 0);
	put_i(b, "bw", span > 0 ? (int64_t)((double)bytes / span / 1024) : 0);
	put_d(b, "iops", span > 0 ? (double)ops / span : 0);
	put_i(b, "runtime", (int64_t)(span * 1e3));
	put_i(b, "total_ios", (int64_t)ops);
	put_i(b, "short_ios", 0);
	put_i(b, "drop_ios", 0);
	zero_lat(b, "slat_ns");
	/* the simulated request has no submission part apart: clat = lat (fio's psync too) */
	lat_obj(b, "clat_ns", lat, o, true, plus);
	lat_obj(b, "lat_ns", lat, o, true, false);
	samples(b, "bw", "dev", op < 2 && s ? &s->bw[op] : &none, true);
	samples(b, "iops", "stddev", op < 2 && s ? &s->iops[op] : &none, false);
	json_builder_end_object(b);
}

/* fio's latency_ns/us/ms maps: percent of the job's requests by latency (all directions),
 * each key the bucket's exclusive upper bound (fio io_u_mark_lat_nsec/usec/msec). */
struct lat_cnt {
	uint64_t cnt[3][12];
};

/* Count a histogram bucket into fio's latency maps by the mean of its values (a bucket of
 * ours spans 0.2% at most: it straddles a map's edge only where an edge falls inside it). */
static void
lat_bucket(void *ctx, double lo, double hi, double mean, uint64_t count)
{
	static const uint64_t edge[] = {2, 4, 10, 20, 50, 100, 250, 500, 750, 1000, 2000};
	struct lat_cnt *c = ctx;
	uint64_t v = (uint64_t)ns(mean);
	int u = v < 1000 ? 0 : v < 1000000 ? 1 : 2;
	uint64_t x = u == 0 ? v : u == 1 ? v / 1000 : v / 1000000;
	int k = 0;
	while (k < (u == 2 ? 11 : 10) && x >= edge[k])
		k++;
	c->cnt[u][k] += count;
}

static void
lat_buckets(JsonBuilder *b, const struct hist *h)
{
	static const uint64_t edge[] = {2, 4, 10, 20, 50, 100, 250, 500, 750, 1000, 2000};
	struct lat_cnt c = {{{0}}};
	hist_foreach(h, lat_bucket, &c);
	uint64_t n = h->n;
	uint64_t(*cnt)[12] = c.cnt;
	static const char *const names[] = {"latency_ns", "latency_us", "latency_ms"};
	for (int u = 0; u < 3; u++) {
		json_builder_set_member_name(b, names[u]);
		json_builder_begin_object(b);
		for (int k = 0; k < (u == 2 ? 12 : 10); k++) {
			char key[16];
			if (k == 11)
				snprintf(key, sizeof key, ">=2000");
			else
				snprintf(key, sizeof key, "%" PRIu64, edge[k]);
			put_d(b, key, n ? (double)cnt[u][k] * 100.0 / (double)n : 0);
		}
		json_builder_end_object(b);
	}
}

/* A fixed distribution (100 % in the bucket of the configured depth D): fio measures
 * these; the simulator does not (documented). */
static void
depth_map(JsonBuilder *b, const char *name, const char *const *keys, const int *lo, int nk, int d)
{
	int at = 0;
	for (int k = 0; k < nk; k++)
		if (d >= lo[k])
			at = k;
	json_builder_set_member_name(b, name);
	json_builder_begin_object(b);
	for (int k = 0; k < nk; k++)
		put_d(b, keys[k], k == at ? 100.0 : 0.0);
	json_builder_end_object(b);
}

void
fio_job_json(JsonBuilder *b, const struct st_job *j, const struct fio_series *s,
             const struct fio_opts *o, int iodepth, bool plus)
{
	dir_obj(b, "read", j, s, o, IO_READ, plus);
	dir_obj(b, "write", j, s, o, IO_WRITE, plus);
	dir_obj(b, "trim", j, s, o, 2, plus);
	json_builder_set_member_name(b, "sync");
	json_builder_begin_object(b);
	static const struct fio_acc none;
	const struct fio_acc *sy = s ? &s->sync : &none;
	put_i(b, "total_ios", (int64_t)sy->n);
	json_builder_set_member_name(b, "lat_ns");
	json_builder_begin_object(b);
	put_i(b, "min", sy->n ? (int64_t)sy->min : 0);
	put_i(b, "max", sy->n ? (int64_t)sy->max : 0);
	put_d(b, "mean", sy->n ? sy->mean : 0);
	put_d(b, "stddev", acc_dev(sy));
	put_i(b, "N", (int64_t)sy->n);
	json_builder_end_object(b);
	json_builder_end_object(b);
	double span = j->t_first >= 0 ? j->t_last - j->t_first : 0;
	put_i(b, "job_runtime", (int64_t)(span * 1e3));
	/* the host's CPU accounting is not simulated: fixed values */
	put_d(b, "usr_cpu", 0);
	put_d(b, "sys_cpu", 0);
	put_i(b, "ctx", 0);
	put_i(b, "majf", 0);
	put_i(b, "minf", 0);
	static const char *const lk[] = {"1", "2", "4", "8", "16", "32", ">=64"};
	static const int ll[] = {1, 2, 4, 8, 16, 32, 64};
	depth_map(b, "iodepth_level", lk, ll, 7, iodepth);
	static const char *const sk[] = {"0", "4", "8", "16", "32", "64", ">=64"};
	static const int sl[] = {0, 1, 5, 9, 17, 33, 65};
	depth_map(b, "iodepth_submit", sk, sl, 7, iodepth);
	depth_map(b, "iodepth_complete", sk, sl, 7, iodepth);
	lat_buckets(b, &j->lat);
	put_i(b, "latency_depth", iodepth);
	put_i(b, "latency_target", 0);
	put_d(b, "latency_percentile", 100.0);
	put_i(b, "latency_window", 0);
}

void
fio_top_json(JsonBuilder *b)
{
	json_builder_set_member_name(b, "fio version");
	json_builder_add_string_value(b, "vnodesim-" VNODESIM_VERSION);
	/* the wall clock would make equal runs differ: the epoch */
	put_i(b, "timestamp", 0);
	put_i(b, "timestamp_ms", 0);
	json_builder_set_member_name(b, "time");
	json_builder_add_string_value(b, "Thu Jan  1 00:00:00 1970");
}

/*
 * job.c -- fio jobs: each job section's options, with fio's meanings and defaults, parsed
 * and checked into one struct wl_job (see job.h); and the effective options for result.json.
 *
 * Design notes:
 * (1) A job section becomes one struct wl_job, shared by its `numjobs` clones; the clones'
 *     requests are the generator's (generator.c), their actors workload.c's.  Every value
 *     is checked here, with a message naming the file:line and the key.
 * (2) Jobs that an unmodelled option makes meaningless (ioengine=falloc, rw=trim, ...) are
 *     left out with a warning naming the option's line; the options fio has and this
 *     program does not model (all but wl_modelled_options) get one warning listing them
 *     (scn_check_job_keys).
 * (3) Engines: synchronous ones (sync, psync, ...) keep one request outstanding (iodepth 1),
 *     asynchronous ones (libaio, io_uring, posixaio) up to iodepth; libaio on buffered files
 *     is synchronous, as on Linux (fio HOWTO, iodepth).
 * (4) read_iolog=FILE: the trace's records are read here (trace.h), once per job, and the
 *     file made large enough for them; workload.c replays them.
 * (5) stonewall: each job gets its group's number (0 first; a stonewall starts the next
 *     group); new_group only starts a reporting group, and rows are per job anyway.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/disk.h"
#include "sim/generator.h"
#include "sim/job.h"
#include "sim/scenario.h"
#include "sim/trace.h"

const char *const wl_modelled_options[] = {
    "name", "description", "filename", "directory", "nrfiles", "nr_files", "rw", "readwrite",
    "rw_sequencer", "rwmixread", "rwmixwrite", "bs", "blocksize", "bsrange", "blocksize_range",
    "bssplit", "bs_unaligned", "blocksize_unaligned", "offset", "offset_increment", "offset_align",
    "size", "filesize", "io_size", "io_limit", "file_append", "number_ios", "loops", "numjobs",
    "iodepth", "ioengine", "direct", "buffered", "sync", "fsync", "fdatasync", "end_fsync",
    "runtime", "timeout", "time_based", "ramp_time", "startdelay", "thinktime", "thinktime_spin",
    "thinktime_blocks", "rate", "rate_iops", "rate_process", "random_distribution", "norandommap",
    "randseed", "stonewall", "file_service_type", "blockalign", "ba", "wait_for_previous",
    "new_group", "group_reporting", "thread", "read_iolog", "replay_no_stall", "replay_time_scale",
    "replay_scale", "replay_align", "replay_redirect", "write_bw_log", "write_lat_log",
    "write_iops_log", "write_hist_log", "log_avg_msec", "log_hist_msec", "log_hist_coarseness",
    "bwavgtime", "iopsavgtime", "percentile_list",
    /* vnodesim job keys */
    "concurrent", "trace_format", "trace_devno", "trace_arrival", NULL};

/* ---- option parsing ---- */

/* One more warning in the scenario's list (once: runs load a scenario more than once). */
static void warn(struct scn *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void
warn(struct scn *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	GPtrArray *w = (GPtrArray *)scn_warnings(s); /* scn owns it (g_free) */
	for (guint i = 0; i < w->len; i++)
		if (strcmp(w->pdata[i], m) == 0) {
			g_free(m);
			return;
		}
	g_ptr_array_add(w, m);
}

/* fio applies a job's options after its [global]'s, each section in order: the rank of KEY's
 * setting in that order (-1 if absent; --set values come last). */
static long
setting_rank(const struct scn_sect *s, const char *key)
{
	const char *file;
	int line;
	if (!scn_where(s, key, &file, &line))
		return -1;
	bool own = false;
	for (guint i = 0; i < scn_nkeys(s) && !own; i++)
		own = strcmp(scn_key_at(s, i), key) == 0;
	return (own ? 1L << 40 : 0) + (line == 0 ? 1L << 39 : line);
}

/* The key of two aliases in effect (the later one). */
static const char *
alias(const struct scn_sect *s, const char *a, const char *b)
{
	return setting_rank(s, b) > setting_rank(s, a) ? b : a;
}

/* Split a per-direction value "R,W[,T]" (fio's bs syntax): an empty part is the default
 * (NULL), a single value applies to both. */
static void
split_dirs(const char *v, char *out[2])
{
	char **p = g_strsplit(v, ",", 3);
	guint n = g_strv_length(p);
	out[0] = n > 0 && p[0][0] ? g_strdup(p[0]) : NULL;
	out[1] = n > 1 ? (p[1][0] ? g_strdup(p[1]) : NULL) : (out[0] ? g_strdup(out[0]) : NULL);
	g_strfreev(p);
}

static bool
size_or_percent(const struct scn_sect *s, const char *key, const char *text, uint64_t whole,
                bool whole_known, uint64_t align, uint64_t *out, GError **err)
{
	size_t n = strlen(text);
	if (n > 1 && text[n - 1] == '%') {
		char *num = g_strndup(text, n - 1), *end;
		double pc = g_ascii_strtod(num, &end);
		bool ok = *end == '\0' && pc > 0 && pc <= 100;
		g_free(num);
		if (!ok)
			return scn_error(s, key, err, "expected a percentage in (0, 100], got '%s'",
			                 text);
		if (!whole_known)
			return scn_error(
			    s, key, err,
			    "a percentage needs a known size: a raw device, or filesize=");
		*out = (uint64_t)((double)whole * pc / 100.0);
		if (align) /* fio: a percentage offset is aligned upwards (offset_align) */
			*out = (*out + align - 1) / align * align;
		return true;
	}
	if (!scn_parse_size(text, out))
		return scn_error(s, key, err, "expected a size (e.g. 4k, 1m, 2g), got '%s'", text);
	return true;
}

static bool
parse_time(const struct scn_sect *s, const char *key, const char *v, double *out, bool usec_default,
           GError **err)
{
	/* fio time values: plain numbers are seconds (thinktime: microseconds); suffixes
	 * us, ms, s, m, h, d, case-insensitive. */
	char *end;
	double x = g_ascii_strtod(v, &end);
	if (end == v || !isfinite(x) || x < 0)
		return scn_error(s, key, err, "expected a time (e.g. 30, 500ms, 2m), got '%s'", v);
	double mul = usec_default ? 1e-6 : 1;
	if (*end) {
		static const struct {
			const char *suf;
			double mul;
		} sufs[] = {{"us", 1e-6}, {"usec", 1e-6}, {"ms", 1e-3}, {"msec", 1e-3},
		            {"s", 1},     {"sec", 1},     {"m", 60},    {"min", 60},
		            {"h", 3600},  {"d", 86400}};
		bool found = false;
		for (size_t i = 0; i < G_N_ELEMENTS(sufs) && !found; i++)
			if (g_ascii_strcasecmp(end, sufs[i].suf) == 0) {
				mul = sufs[i].mul;
				found = true;
			}
		if (!found)
			return scn_error(s, key, err, "unknown time unit in '%s'", v);
	}
	if (x * mul > SCN_MAX_SECONDS)
		return scn_error(s, key, err,
		                 "'%s' is past the longest simulated time, 90 days (%.0f s)", v,
		                 SCN_MAX_SECONDS);
	*out = x * mul;
	return true;
}

static bool
get_time(const struct scn_sect *s, const char *key, double *out, bool usec, GError **err)
{
	const char *v;
	*out = 0;
	if (!scn_has(s, key))
		return true;
	return scn_get_str(s, key, "0", &v, err) && parse_time(s, key, v, out, usec, err);
}

static bool
parse_rw(const struct scn_sect *s, struct wl_job *j, char **skip, GError **err)
{
	static const struct {
		const char *name;
		bool rand;
		int read;
	} kinds[] = {{"read", false, 100},   {"write", false, 0}, {"randread", true, 100},
	             {"randwrite", true, 0}, {"rw", false, -1},   {"readwrite", false, -1},
	             {"randrw", true, -1}};
	const char *rw, *key = alias(s, "rw", "readwrite");
	if (!scn_get_str(s, key, "read", &rw, err))
		return false;
	char *base = g_strdup(rw);
	char *colon = strchr(base, ':'); /* rw=randread:8, rw=write:4k (the offset modifier) */
	if (colon) {
		*colon = '\0';
		if (!scn_parse_size(colon + 1, &j->seq_nr)) {
			g_free(base);
			return scn_error(s, key, err, "expected a number after ':', got '%s'", rw);
		}
	}
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (strcmp(base, kinds[i].name) == 0) {
			g_free(base);
			j->rand = kinds[i].rand;
			j->mix_read = kinds[i].read;
			if (j->mix_read < 0) {
				int64_t r, w;
				if (!scn_get_int(s, "rwmixread", 50, 0, 100, &r, err) ||
				    !scn_get_int(s, "rwmixwrite", 50, 0, 100, &w, err))
					return false;
				/* both given and not adding up: the later one wins (HOWTO) */
				bool use_w =
				    setting_rank(s, "rwmixwrite") > setting_rank(s, "rwmixread");
				j->mix_read = use_w ? (int)(100 - w) : (int)r;
			}
			return true;
		}
	}
	if (!strcmp(base, "trim") || !strcmp(base, "randtrim") || !strcmp(base, "trimwrite") ||
	    !strcmp(base, "randtrimwrite") || !strcmp(base, "filecreate") ||
	    !strcmp(base, "filestat") || !strcmp(base, "filedelete")) {
		*skip = g_strdup_printf("rw=%s is not modelled", base);
		j->skip_key = key;
		g_free(base);
		return true;
	}
	g_free(base);
	return scn_error(s, key, err,
	                 "unknown rw '%s' (read, write, randread, randwrite, rw, randrw)", rw);
}

static bool
parse_engine(struct scn *scn, const struct scn_sect *s, struct wl_job *j, char **skip, GError **err)
{
	static const char *const sync_engines[] = {"sync",   "psync",   "vsync",
	                                           "pvsync", "pvsync2", NULL};
	static const char *const as_sync[] = {"null", "mmap", "splice", "sg", NULL};
	static const char *const async_engines[] = {
	    "libaio", "io_uring", "io_uring_cmd", "posixaio", "windowsaio", "solarisaio", NULL};
	static const char *const no_data[] = {
	    "falloc",  "ftruncate", "e4defrag", "filecreate", "filestat", "filedelete", "dircreate",
	    "dirstat", "dirdelete", "cpuio",    "exec",       "net",      "netsplice",  NULL};
	const char *e;
	int64_t depth;
	if (!scn_get_str(s, "ioengine", "psync", &e, err) ||
	    !scn_get_int(s, "iodepth", 1, 1, 65536, &depth, err))
		return false;
	j->async = false;
	j->iodepth = 1;
	for (const char *const *p = sync_engines; *p; p++)
		if (strcmp(e, *p) == 0)
			return true;
	for (const char *const *p = as_sync; *p; p++)
		if (strcmp(e, *p) == 0) {
			warn(scn,
			     "%s: job '%s': ioengine=%s is modelled as psync (its requests go "
			     "through the simulated stack)",
			     scn_path(scn), scn_sect_name(s), e);
			return true;
		}
	for (const char *const *p = async_engines; *p; p++)
		if (strcmp(e, *p) == 0) {
			j->async = true;
			j->iodepth = (int)depth;
			return true;
		}
	for (const char *const *p = no_data; *p; p++)
		if (strcmp(e, *p) == 0) {
			*skip = g_strdup_printf("ioengine=%s moves no data through read/write", e);
			j->skip_key = "ioengine";
			return true;
		}
	return scn_error(s, "ioengine", err,
	                 "ioengine '%s' is not modelled (sync, psync, vsync, pvsync, pvsync2, "
	                 "libaio, io_uring, posixaio; null, mmap, splice, sg as psync)",
	                 e);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* bssplit=4k/10:64k/50:32k/40 (one direction) */
static bool
parse_bssplit(const struct scn_sect *s, const char *text, struct wl_bs *b, GError **err)
{
	char **parts = g_strsplit(text, ":", -1);
	guint n = g_strv_length(parts);
	uint64_t pairs[WL_MAX_SPLIT][2]; /* size, percent + 1 (0: blank) */
	unsigned sum = 0, blanks = 0;
	bool ok = n > 0 && n <= WL_MAX_SPLIT;
	if (!ok)
		scn_error(s, "bssplit", err, "expected 1 to %d size/percent pairs, got %u",
		          WL_MAX_SPLIT, n);
	for (guint i = 0; ok && i < n; i++) {
		char *slash = strchr(parts[i], '/');
		if (slash)
			*slash = '\0';
		uint64_t sz, pc = 0;
		char *end = NULL;
		if (!scn_parse_size(parts[i], &sz) || sz == 0) {
			ok = scn_error(s, "bssplit", err, "'%s' is not a block size", parts[i]);
			break;
		}
		if (slash && slash[1]) {
			pc = g_ascii_strtoull(slash + 1, &end, 10);
			if (*end || pc > 100) {
				ok = scn_error(s, "bssplit", err, "'%s' is not a percentage",
				               slash + 1);
				break;
			}
			sum += (unsigned)pc;
			pairs[i][1] = pc + 1;
		} else {
			blanks++;
			pairs[i][1] = 0;
		}
		pairs[i][0] = sz;
	}
	if (ok && sum > 100)
		ok = scn_error(s, "bssplit", err, "the percentages add up to %u, more than 100",
		               sum);
	if (ok) {
		/* blanks share what is left evenly (HOWTO) */
		for (guint i = 0; i < n; i++)
			if (!pairs[i][1])
				pairs[i][1] = 1 + (100 - sum) / blanks;
		qsort(pairs, n, sizeof pairs[0], cmp_u64); /* fio sorts by size */
		unsigned cum = 0;
		b->n = (int)n;
		for (guint i = 0; i < n; i++) {
			cum += (unsigned)pairs[i][1] - 1;
			b->size[i] = pairs[i][0];
			b->perc[i] = cum;
		}
		b->perc[n - 1] = 100; /* fio: what is left over goes to the last (largest) */
		b->min = b->size[0];
		b->max = b->size[n - 1];
	}
	g_strfreev(parts);
	return ok;
}

static bool
parse_block_sizes(const struct scn_sect *s, struct wl_job *j, GError **err)
{
	const char *bskey = alias(s, "bs", "blocksize"),
	           *rkey = alias(s, "bsrange", "blocksize_range");
	const char *v;
	bool unaligned = false;
	if (!scn_get_bool(s, alias(s, "bs_unaligned", "blocksize_unaligned"), false, &unaligned,
	                  err))
		return false;
	for (int d = 0; d < 2; d++)
		j->bs[d] = (struct wl_bs){.min = 4096, .max = 4096, .unaligned = unaligned};
	char *parts[2];
	if (scn_has(s, "bssplit")) {
		if (!scn_get_str(s, "bssplit", "", &v, err))
			return false;
		char **dirs = g_strsplit(v, ",", 3);
		guint n = g_strv_length(dirs);
		bool ok = n > 0;
		for (int d = 0; ok && d < 2; d++) {
			const char *t = dirs[d < (int)n ? d : (int)n - 1];
			if (*t)
				ok = parse_bssplit(s, t, &j->bs[d], err);
		}
		g_strfreev(dirs);
		if (!ok)
			return n > 0 ? false : scn_error(s, "bssplit", err, "empty value");
	} else if (scn_has(s, rkey)) {
		if (!scn_get_str(s, rkey, "", &v, err))
			return false;
		split_dirs(v, parts);
		bool ok = parts[0] || parts[1] || scn_error(s, rkey, err, "empty value");
		for (int d = 0; d < 2; d++) {
			if (ok && parts[d]) {
				char *sep = strpbrk(parts[d], "-:");
				uint64_t lo, hi;
				if (!sep)
					ok = scn_error(s, rkey, err, "expected MIN-MAX, got '%s'",
					               v);
				else {
					*sep = '\0';
					ok = scn_parse_size(parts[d], &lo) &&
					     scn_parse_size(sep + 1, &hi) && lo > 0 && hi > 0;
					if (!ok)
						scn_error(s, rkey, err,
						          "expected MIN-MAX sizes, got '%s'", v);
					else if (lo > hi) /* fio swaps them */
						j->bs[d].min = hi, j->bs[d].max = lo;
					else
						j->bs[d].min = lo, j->bs[d].max = hi;
				}
			}
			g_free(parts[d]);
		}
		if (!ok)
			return false;
	} else if (scn_has(s, bskey)) {
		if (!scn_get_str(s, bskey, "4k", &v, err))
			return false;
		split_dirs(v, parts);
		bool ok = parts[0] || parts[1] || scn_error(s, bskey, err, "empty value");
		for (int d = 0; d < 2; d++) {
			uint64_t b;
			if (ok && parts[d]) {
				if (!scn_parse_size(parts[d], &b) || b == 0)
					ok = scn_error(s, bskey, err,
					               "expected a block size, got '%s'", v);
				else
					j->bs[d].min = j->bs[d].max = b;
			}
			g_free(parts[d]);
		}
		if (!ok)
			return false;
	}
	j->unit = MIN(j->bs[0].min, j->bs[1].min);
	if (j->mix_read == 100)
		j->unit = j->bs[IO_READ].min;
	else if (j->mix_read == 0)
		j->unit = j->bs[IO_WRITE].min;
	const char *bakey = alias(s, "blockalign", "ba");
	if (scn_has(s, bakey)) { /* random offsets aligned to this; no random map (fio) */
		uint64_t ba;
		if (!scn_get_str(s, bakey, "", &v, err))
			return false;
		split_dirs(v, parts);
		bool ok = parts[0] && scn_parse_size(parts[0], &ba) && ba > 0 &&
		          (!j->raw || ba % DISK_SECTOR == 0);
		g_free(parts[0]);
		g_free(parts[1]);
		if (!ok)
			return scn_error(s, bakey, err, "expected a block size%s, got '%s'",
			                 j->raw ? " (a multiple of 512 bytes)" : "", v);
		j->unit = ba;
		j->blockalign = true;
	}
	if (j->raw) {
		for (int d = 0; d < 2; d++) {
			bool bad = j->bs[d].min % DISK_SECTOR || j->bs[d].max % DISK_SECTOR ||
			           (j->bs[d].unaligned && j->bs[d].min != j->bs[d].max);
			for (int i = 0; i < j->bs[d].n; i++)
				bad = bad || j->bs[d].size[i] % DISK_SECTOR;
			if (bad)
				return scn_error(
				    s, scn_has(s, "bssplit") ? "bssplit" : bskey, err,
				    "a raw device needs block sizes that are multiples of "
				    "%u bytes",
				    DISK_SECTOR);
		}
	}
	return true;
}

static bool
parse_dist(const struct scn_sect *s, struct wl_job *j, GError **err)
{
	const char *v;
	j->dist = WL_UNIFORM;
	j->dist_center = -1;
	if (!scn_get_str(s, "random_distribution", "random", &v, err))
		return false;
	if (!strcmp(v, "random"))
		return true;
	char **p = g_strsplit(v, ":", 4);
	guint n = g_strv_length(p);
	bool ok = false;
	if ((!strcmp(p[0], "zipf") || !strcmp(p[0], "pareto")) && (n == 2 || n == 3)) {
		char *end;
		j->dist = p[0][0] == 'z' ? WL_ZIPF : WL_PARETO;
		j->dist_param = g_ascii_strtod(p[1], &end);
		ok = *end == '\0' && isfinite(j->dist_param) && j->dist_param > 0 &&
		     (j->dist == WL_ZIPF || j->dist_param < 1);
		if (ok && n == 3) {
			j->dist_center = g_ascii_strtod(p[2], &end);
			ok = *end == '\0' && j->dist_center >= 0 && j->dist_center <= 1;
		}
	}
	g_strfreev(p);
	if (!ok)
		return scn_error(s, "random_distribution", err,
		                 "expected random, zipf:THETA (THETA > 0) or pareto:H (0 < H < 1), "
		                 "optionally :CENTER in [0, 1]; got '%s' (normal, zoned, zoned_abs "
		                 "are not modelled)",
		                 v);
	return true;
}

static bool
parse_rates(const struct scn_sect *s, struct wl_job *j, GError **err)
{
	static const char *const keys[] = {"rate_iops", "rate"};
	for (int k = 0; k < 2; k++) {
		const char *v;
		if (!scn_has(s, keys[k]))
			continue;
		if (!scn_get_str(s, keys[k], "", &v, err))
			return false;
		char *parts[2];
		split_dirs(v, parts);
		bool ok = true;
		for (int d = 0; d < 2; d++) {
			uint64_t x = 0;
			if (ok && parts[d] && (!scn_parse_size(parts[d], &x)))
				ok = scn_error(s, keys[k], err, "expected a number, got '%s'", v);
			if (k == 0)
				j->rate_iops[d] = (double)x;
			else
				j->rate_bps[d] = (double)x;
			g_free(parts[d]);
		}
		if (!ok)
			return false;
	}
	const char *proc;
	if (!scn_get_str(s, "rate_process", "linear", &proc, err))
		return false;
	if (strcmp(proc, "linear") != 0 && strcmp(proc, "poisson") != 0)
		return scn_error(s, "rate_process", err, "expected linear or poisson, got '%s'",
		                 proc);
	j->poisson = strcmp(proc, "poisson") == 0;
	return true;
}

/* filename=a:b (colons escaped as \:), directory=d1:d2 */
static char **
split_colons(const char *v)
{
	GPtrArray *out = g_ptr_array_new();
	GString *cur = g_string_new(NULL);
	for (const char *c = v;; c++) {
		if (*c == '\\' && c[1] == ':') {
			g_string_append_c(cur, ':');
			c++;
		} else if (*c == ':' || !*c) {
			if (cur->len)
				g_ptr_array_add(out, g_strdup(cur->str));
			g_string_truncate(cur, 0);
			if (!*c)
				break;
		} else {
			g_string_append_c(cur, *c);
		}
	}
	g_string_free(cur, TRUE);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

char *
wl_job_in_dir(const struct wl_job *j, int i, const char *name)
{
	char **dirs = j->dirs;
	if (!dirs || !dirs[0] || name[0] == '/')
		return g_strdup(name);
	int n = (int)g_strv_length(dirs);
	return g_build_filename(dirs[i % n], name, NULL);
}

static bool
parse_files(struct scn *scn, const struct scn_sect *s, struct wl_job *j, uint64_t cap, GError **err)
{
	const char *fname, *dir;
	int64_t nr;
	if (!scn_get_str(s, "filename", "", &fname, err) ||
	    !scn_get_str(s, "directory", "", &dir, err) ||
	    !scn_get_int(s, alias(s, "nrfiles", "nr_files"), 1, 1, 100000, &nr, err))
		return false;
	j->filename = g_strdup(fname);
	if (dir[0])
		j->dirs = split_colons(dir);
	if (!fname[0]) {
		j->nfiles = (int)nr;
		return true;
	}
	char **names = split_colons(fname);
	j->nfiles = (int)g_strv_length(names);
	int raw = 0;
	for (int i = 0; i < j->nfiles; i++)
		raw += g_str_has_prefix(names[i], "/dev/");
	if (j->nfiles == 0 || (raw && (raw != j->nfiles || j->nfiles > 1))) {
		g_strfreev(names);
		return scn_error(s, "filename", err,
		                 j->nfiles == 0
		                     ? "no file name"
		                     : "a raw-device job addresses exactly one /dev/ device");
	}
	j->raw = raw > 0;
	j->files = g_new0(char *, j->nfiles + 1);
	for (int i = 0; i < j->nfiles; i++)
		j->files[i] = j->raw ? g_strdup(names[i]) : wl_job_in_dir(j, 0, names[i]);
	g_strfreev(names);
	return true;
}

#define WL_MAX_BYTES ((uint64_t)1 << 50) /* 1 PiB: capacity_gb's bound, 2^41 sectors */

static bool
parse_sizes(const struct scn_sect *s, struct wl_job *j, uint64_t cap, GError **err)
{
	const char *v;
	uint64_t fsz = 0;
	if (scn_has(s, "filesize")) {
		if (j->raw)
			return scn_error(s, "filesize", err, "a raw device has no file size");
		if (!scn_get_str(s, "filesize", "", &v, err))
			return false;
		const char *dash = strchr(v, '-');
		if (dash) /* filesize=irange: the files get random sizes in the range; the mean */
			return scn_error(s, "filesize", err,
			                 "a size range is not modelled: give one "
			                 "size");
		if (!size_or_percent(s, "filesize", v, 0, false, 0, &fsz, err))
			return false;
		if (fsz == 0)
			return scn_error(s, "filesize", err, "must be > 0");
	}
	j->filesize = fsz;
	uint64_t whole = j->raw ? cap : fsz;
	bool known = j->raw || fsz;
	j->offset = 0;
	uint64_t align;
	if (!scn_get_size(s, "offset_align", 0, &align, err))
		return false;
	if (!align)
		align = j->unit;
	if (scn_has(s, "offset") &&
	    (!scn_get_str(s, "offset", "0", &v, err) ||
	     !size_or_percent(s, "offset", v, whole, known, align, &j->offset, err)))
		return false;
	if (scn_has(s, "offset_increment") &&
	    (!scn_get_str(s, "offset_increment", "0", &v, err) ||
	     !size_or_percent(s, "offset_increment", v, whole, known, align, &j->offset_increment,
	                      err)))
		return false;
	uint64_t size = 0;
	if (scn_has(s, "size") && (!scn_get_str(s, "size", "0", &v, err) ||
	                           !size_or_percent(s, "size", v, whole, known, 0, &size, err)))
		return false;
	const char *iokey = alias(s, "io_size", "io_limit");
	uint64_t iosz = 0;
	if (scn_has(s, iokey) && (!scn_get_str(s, iokey, "0", &v, err) ||
	                          !size_or_percent(s, iokey, v, whole, known, 0, &iosz, err)))
		return false;
	if (j->raw) {
		if (j->offset % DISK_SECTOR || j->offset_increment % DISK_SECTOR)
			return scn_error(s, "offset", err,
			                 "a raw device needs sector-aligned offsets");
		if (j->offset >= cap)
			return scn_error(s, "offset", err,
			                 "offset %llu is beyond the device (%llu bytes)",
			                 (unsigned long long)j->offset, (unsigned long long)cap);
		j->size = size ? size : cap - j->offset;
		uint64_t last = j->offset + j->offset_increment * (uint64_t)(j->numjobs - 1);
		if (last + j->size > cap)
			return scn_error(
			    s, "size", err,
			    "offset + size = %llu bytes is beyond the device (%llu bytes)",
			    (unsigned long long)(last + j->size), (unsigned long long)cap);
	} else if (fsz) {
		if (j->offset >= fsz)
			return scn_error(s, "offset", err, "offset %llu is beyond filesize %llu",
			                 (unsigned long long)j->offset, (unsigned long long)fsz);
		j->size = fsz - j->offset;
		if (!size)
			size = fsz * (uint64_t)j->nfiles;
	} else {
		if (!size && !j->recs)
			return scn_error(s, "size", err,
			                 "job '%s' addresses a file: it needs size= (or filesize=)",
			                 j->name);
		j->size = j->recs ? MAX(j->size, size) : size / (uint64_t)j->nfiles;
	}
	/* the last clone's region ends within the largest device a model describes (1 PiB), so
	 * no offset arithmetic wraps (an offset near 2^64 wrapped and the run never ended) */
	uint64_t span, end;
	bool wraps = __builtin_mul_overflow(j->offset_increment, (uint64_t)(j->numjobs - 1), &span);
	if (wraps || __builtin_add_overflow(span, j->offset, &end) ||
	    __builtin_add_overflow(end, j->size, &end) || end > WL_MAX_BYTES)
		return scn_error(
		    s,
		    j->offset > WL_MAX_BYTES       ? "offset"
		    : wraps || span > WL_MAX_BYTES ? "offset_increment"
		    : fsz                          ? "filesize"
		                                   : "size",
		    err,
		    "the region ends past %llu bytes (1 PiB, the largest device a model describes)",
		    (unsigned long long)WL_MAX_BYTES);
	j->io_limit = iosz ? iosz : (size ? size : j->size * (uint64_t)j->nfiles);
	if (!j->recs && j->size < j->unit)
		return scn_error(s, fsz ? "filesize" : "size", err,
		                 "each file's region (%llu bytes) is smaller than the block size "
		                 "%llu",
		                 (unsigned long long)j->size, (unsigned long long)j->unit);
	return true;
}

/* read_iolog=FILE (note 4): the records, and the file size they need. */
static bool
load_iolog(struct scn *scn, const struct scn_sect *s, struct wl_job *j, GError **err)
{
	char *path = NULL;
	const char *fmtname, *arrival;
	int64_t devno, scale = 1, align = 0, tscale = 100;
	if (!scn_get_path(s, "read_iolog", &path, err))
		return false;
	if (!path)
		return true;
	bool ok = scn_get_str(s, "trace_format", "iolog", &fmtname, err) &&
	          scn_get_str(s, "trace_arrival", "queue", &arrival, err) &&
	          scn_get_int(s, "trace_devno", -1, -1, UINT32_MAX, &devno, err) &&
	          scn_get_int(s, "replay_scale", 1, 1, INT64_MAX, &scale, err) &&
	          scn_get_int(s, "replay_align", 0, 0, 1L << 40, &align, err) &&
	          scn_get_int(s, "replay_time_scale", 100, 1, 1000000, &tscale, err) &&
	          scn_get_bool(s, "replay_no_stall", false, &j->replay_no_stall, err);
	const struct tr_format *f = ok ? tr_format_find(fmtname) : NULL;
	if (ok && !f)
		ok = scn_error(s, "trace_format", err, "unknown format '%s' (%s)", fmtname,
		               tr_format_names());
	if (ok && strcmp(arrival, "queue") != 0 && strcmp(arrival, "dispatch") != 0)
		ok = scn_error(s, "trace_arrival", err, "expected queue or dispatch, got '%s'",
		               arrival);
	if (ok && align & (align - 1))
		ok = scn_error(s, "replay_align", err, "must be a power of 2");
	if (ok && j->raw)
		ok = scn_error(s, "read_iolog", err,
		               "a raw-device trace replays with `vnodesim replay`; here the trace "
		               "addresses the job's file");
	GError *e = NULL;
	if (ok)
		j->trace = g_strdup(path);
	if (ok &&
	    !(j->recs = tr_read_at(path, f, (int)devno, 0, arrival[0] == 'd' ? 'D' : 'Q', &e))) {
		const char *where;
		int line;
		scn_where(s, "read_iolog", &where, &line);
		if (g_error_matches(e, SCN_ERROR, SCN_ERROR_FILE)) /* the file itself */
			scn_error(s, "read_iolog", err, "%s", e->message);
		else
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s (read_iolog=, %s:%d)",
			            e->message, where, line);
		g_clear_error(&e);
		ok = false;
	}
	g_free(path);
	if (!ok)
		return false;
	j->replay_time_scale = (double)tscale;
	double last = j->recs->len ? g_array_index(j->recs, struct tr_rec, j->recs->len - 1).t : 0;
	if (last * 100 / j->replay_time_scale > SCN_MAX_SECONDS)
		return scn_error(
		    s, scn_has(s, "replay_time_scale") ? "replay_time_scale" : "read_iolog", err,
		    "the trace's last request would arrive at %.0f s, past the longest "
		    "simulated time, 90 days (%.0f s)",
		    last * 100 / j->replay_time_scale, SCN_MAX_SECONDS);
	uint64_t end = 0;
	for (guint i = 0; i < j->recs->len; i++) {
		struct tr_rec *r = &g_array_index(j->recs, struct tr_rec, i);
		r->off /= (uint64_t)scale;
		if (align)
			r->off &= ~((uint64_t)align - 1);
		end = MAX(end, r->off + r->len);
	}
	j->size = MAX(end, 4096);
	return true;
}

static struct wl_job *
job_load(struct scn *scn, guint idx, uint64_t capacity_sectors, char **skip, GError **err)
{
	const struct scn_sect *s = scn_job(scn, idx);
	struct wl_job *j = g_new0(struct wl_job, 1);
	j->index = idx;
	j->sect = s;
	st_job_init(&j->st);
	const char *name;
	int64_t v;
	bool b;
	uint64_t cap = capacity_sectors * DISK_SECTOR;
	if (!scn_get_str(s, "name", scn_sect_name(s), &name, err))
		goto fail;
	j->name = g_strdup(name);
	if (!scn_get_int(s, "numjobs", 1, 1, 100000, &v, err))
		goto fail;
	j->numjobs = (int)v;
	if (!fio_opts_load(s, &j->fio, err))
		goto fail;
	if (!parse_files(scn, s, j, cap, err) || !parse_rw(s, j, skip, err))
		goto fail;
	if (!*skip && !parse_engine(scn, s, j, skip, err))
		goto fail;
	if (*skip)
		return j;
	const char *seqr;
	if (!scn_get_str(s, "rw_sequencer", "sequential", &seqr, err))
		goto fail;
	if (strcmp(seqr, "sequential") && strcmp(seqr, "identical")) {
		scn_error(s, "rw_sequencer", err, "expected sequential or identical, got '%s'",
		          seqr);
		goto fail;
	}
	j->seq_identical = seqr[0] == 'i';
	const char *fst;
	if (!scn_get_str(s, "file_service_type", "roundrobin", &fst, err))
		goto fail;
	{
		static const char *const kinds[] = {"roundrobin", "random", "sequential"};
		char *k = g_strdup(fst), *colon = strchr(k, ':'), *end = NULL;
		j->fst_n = 1;
		if (colon) {
			*colon = '\0';
			j->fst_n = g_ascii_strtoull(colon + 1, &end, 10);
		}
		j->fst = -1;
		for (int i = 0; i < 3; i++)
			if (!strcmp(k, kinds[i]))
				j->fst = i;
		bool ok = j->fst >= 0 && (!colon || (*end == '\0' && j->fst_n > 0 && j->fst < 2));
		g_free(k);
		if (!ok) {
			scn_error(s, "file_service_type", err,
			          "expected roundrobin[:N], random[:N] or sequential, got '%s' "
			          "(zipf, pareto, normal are not modelled)",
			          fst);
			goto fail;
		}
	}
	if (!parse_block_sizes(s, j, err) || !load_iolog(scn, s, j, err) ||
	    !parse_sizes(s, j, cap, err) || !parse_dist(s, j, err) || !parse_rates(s, j, err))
		goto fail;
	if (!scn_get_int(s, "number_ios", 0, 0, INT64_MAX, &v, err))
		goto fail;
	j->number_ios = (uint64_t)v;
	if (!scn_get_int(s, "loops", 1, 1, INT32_MAX, &j->loops, err) ||
	    !get_time(s, alias(s, "runtime", "timeout"), &j->runtime, false, err) ||
	    !scn_get_bool(s, "time_based", false, &j->time_based, err) ||
	    !get_time(s, "ramp_time", &j->ramp, false, err) ||
	    !get_time(s, "thinktime", &j->thinktime, true, err) ||
	    !get_time(s, "thinktime_spin", &j->thinktime_spin, true, err) ||
	    !scn_get_int(s, "thinktime_blocks", 1, 1, INT32_MAX, &v, err))
		goto fail;
	j->thinktime_blocks = (uint64_t)v;
	if (scn_has(s, "startdelay")) { /* irange(time): a clone picks in [lo, hi] */
		const char *sd;
		if (!scn_get_str(s, "startdelay", "0", &sd, err))
			goto fail;
		char *lo = g_strdup(sd), *sep = *lo ? strpbrk(lo + 1, "-:") : NULL;
		if (sep)
			*sep++ = '\0';
		bool ok =
		    parse_time(s, "startdelay", lo, &j->startdelay, false, err) &&
		    (!sep || parse_time(s, "startdelay", sep, &j->startdelay_max, false, err));
		g_free(lo);
		if (!ok)
			goto fail;
		if (!sep)
			j->startdelay_max = j->startdelay;
		if (j->startdelay > j->startdelay_max) { /* fio swaps them */
			double t = j->startdelay;
			j->startdelay = j->startdelay_max;
			j->startdelay_max = t;
		}
	}
	if (j->time_based && j->runtime <= 0) {
		scn_error(s, "time_based", err, "time_based needs a runtime");
		goto fail;
	}
	j->has_randseed = scn_has(s, "randseed");
	if (!scn_get_int(s, "randseed", 0, 0, INT64_MAX, &v, err) ||
	    !scn_get_bool(s, "norandommap", false, &b, err))
		goto fail;
	j->randseed = (uint64_t)v;
	/* fio: no random map for skewed distributions nor with blockalign */
	j->norandommap = b || j->dist != WL_UNIFORM || j->blockalign;
	bool direct, buffered;
	const char *sync;
	if (!scn_get_bool(s, "direct", false, &direct, err) ||
	    !scn_get_bool(s, "buffered", true, &buffered, err) ||
	    !scn_get_str(s, "sync", "0", &sync, err) ||
	    !scn_get_int(s, "fsync", 0, 0, INT64_MAX, &v, err))
		goto fail;
	/* direct= and buffered= set one flag: the later setting wins */
	j->direct = setting_rank(s, "buffered") > setting_rank(s, "direct") ? !buffered : direct;
	j->fsync_n = (uint64_t)v;
	if (!scn_get_int(s, "fdatasync", 0, 0, INT64_MAX, &v, err) ||
	    !scn_get_bool(s, "end_fsync", false, &j->end_fsync, err) ||
	    !scn_get_bool(s, "concurrent", false, &j->concurrent, err) ||
	    !scn_get_bool(s, "file_append", false, &j->file_append, err))
		goto fail;
	j->fdatasync_n = (uint64_t)v;
	if (!strcmp(sync, "0") || !strcmp(sync, "none"))
		j->sync = 0;
	else if (!strcmp(sync, "1") || !strcmp(sync, "sync"))
		j->sync = 1;
	else if (!strcmp(sync, "dsync"))
		j->sync = 2;
	else {
		scn_error(s, "sync", err, "expected 0, 1, none, sync or dsync, got '%s'", sync);
		goto fail;
	}
	if (j->file_append && j->raw) {
		scn_error(s, "file_append", err, "a raw device cannot be appended to");
		goto fail;
	}
	if (j->async && !j->direct && !j->raw) {
		const char *e;
		scn_get_str(s, "ioengine", "", &e, NULL);
		if (!strcmp(e, "libaio") && j->iodepth > 1) {
			warn(scn,
			     "%s: job '%s': libaio on buffered I/O is synchronous on Linux "
			     "(fio HOWTO, iodepth): depth 1, not %d",
			     scn_path(scn), j->name, j->iodepth);
			j->iodepth = 1;
			j->async = false;
		}
	}
	/* thinktime after every thinktime_blocks requests quiesces: no deeper than that */
	if (j->thinktime > 0 && (uint64_t)j->iodepth > j->thinktime_blocks)
		j->iodepth = (int)j->thinktime_blocks;
	return j;
fail:
	wl_job_free(j);
	return NULL;
}

GPtrArray *
wl_jobs_load(struct scn *s, uint64_t capacity_sectors, GError **err)
{
	if (!scn_check_job_keys(s, wl_modelled_options, err))
		return NULL;
	GPtrArray *jobs = g_ptr_array_new_with_free_func((GDestroyNotify)wl_job_free);
	int group = 0;
	bool any = false;
	for (guint i = 0; i < scn_njobs(s); i++) {
		char *skip = NULL;
		struct wl_job *j = job_load(s, i, capacity_sectors, &skip, err);
		if (!j) {
			g_ptr_array_free(jobs, TRUE);
			return NULL;
		}
		bool wall = false;
		const struct scn_sect *sec = scn_job(s, i);
		if (!scn_get_bool(sec, alias(sec, "stonewall", "wait_for_previous"), false, &wall,
		                  err)) {
			wl_job_free(j);
			g_free(skip);
			g_ptr_array_free(jobs, TRUE);
			return NULL;
		}
		if (wall && any)
			group++;
		if (skip) {
			const char *file = scn_path(s);
			int line = 0;
			scn_where(sec, j->skip_key, &file, &line);
			warn(s, "%s:%d: job '%s' skipped: %s", file, line, scn_sect_name(sec),
			     skip);
			g_free(skip);
			wl_job_free(j);
			continue;
		}
		j->group = group;
		any = true;
		g_ptr_array_add(jobs, j);
	}
	if (jobs->len == 0) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: no job to run%s", scn_path(s),
		            scn_njobs(s) ? " (every job was skipped: see the warnings)" : "");
		g_ptr_array_free(jobs, TRUE);
		return NULL;
	}
	/* renumber groups densely; file_append: start at the size the other jobs give the file;
	 * the files must fit on the disk */
	GHashTable *sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	uint64_t total = 0;
	for (int pass = 0; pass < 2; pass++)
		for (guint i = 0; i < jobs->len; i++) {
			struct wl_job *j = jobs->pdata[i];
			if (j->raw || (pass == 0) == j->file_append)
				continue;
			if (j->file_append && j->files) { /* fio: offset = the file's size */
				j->append_base = g_new0(uint64_t, j->nfiles);
				for (int f = 0; f < j->nfiles; f++)
					j->append_base[f] = GPOINTER_TO_SIZE(
					    g_hash_table_lookup(sizes, j->files[f]));
			}
			for (int c = 0; c < j->numjobs; c++) {
				struct wl_gen *g = wl_gen_new(j, c, 1);
				for (int f = 0; f < wl_gen_nfiles(g); f++) {
					uint64_t want;
					char *n = wl_gen_file(g, f, &want);
					uint64_t had =
					    GPOINTER_TO_SIZE(g_hash_table_lookup(sizes, n));
					if (want > had) {
						total += want - had;
						g_hash_table_insert(sizes, n,
						                    GSIZE_TO_POINTER(want));
					} else {
						g_free(n);
					}
				}
				wl_gen_free(g);
			}
			/* the job whose files no longer fit is named, with its size key */
			if (total + (64u << 20) > capacity_sectors * DISK_SECTOR) {
				scn_error(j->sect,
				          scn_has(j->sect, "filesize") ? "filesize" : "size", err,
				          "the files need %llu bytes; the disk holds %llu",
				          (unsigned long long)total,
				          (unsigned long long)(capacity_sectors * DISK_SECTOR));
				g_hash_table_destroy(sizes);
				g_ptr_array_free(jobs, TRUE);
				return NULL;
			}
		}
	g_hash_table_destroy(sizes);
	return jobs;
}

struct wl_job *
wl_job_new(const char *name)
{
	struct wl_job *j = g_new0(struct wl_job, 1);
	j->name = g_strdup(name);
	j->raw = true;
	j->numjobs = 1;
	j->filename = g_strdup("");
	st_job_init(&j->st);
	fio_opts_default(&j->fio);
	return j;
}

void
wl_job_free(struct wl_job *j)
{
	if (!j)
		return;
	if (j->owns_groups)
		g_free(j->groups);
	if (j->recs)
		g_array_free(j->recs, TRUE);
	g_strfreev(j->files);
	g_free(j->append_base);
	g_strfreev(j->dirs);
	g_free(j->trace);
	st_job_free(&j->st);
	fio_series_free(&j->series);
	fio_opts_free(&j->fio);
	g_free(j->name);
	g_free(j->filename);
	g_free(j);
}

/* ---- result.json ---- */

static void
describe_bs(const struct wl_bs *b, char *out, size_t n)
{
	if (b->n) {
		size_t k = 0;
		unsigned prev = 0;
		for (int i = 0; i < b->n && k < n; i++) {
			k += (size_t)snprintf(out + k, n - k, "%s%llu/%u", i ? ":" : "",
			                      (unsigned long long)b->size[i], b->perc[i] - prev);
			prev = b->perc[i];
		}
	} else if (b->min != b->max) {
		snprintf(out, n, "%llu-%llu", (unsigned long long)b->min,
		         (unsigned long long)b->max);
	} else {
		snprintf(out, n, "%llu", (unsigned long long)b->min);
	}
}

void
wl_job_describe(const struct wl_job *j, void (*put)(void *ctx, const char *k, const char *v),
                void *ctx)
{
	char b[512];
	if (j->trace && !j->recs) {
		put(ctx, "trace", j->trace);
		return;
	}
#define PUTF(k, fmt, val)                                                                          \
	do {                                                                                       \
		snprintf(b, sizeof b, fmt, val);                                                   \
		put(ctx, k, b);                                                                    \
	} while (0)
	put(ctx, "filename", j->filename);
	if (j->recs) {
		PUTF("read_iolog_records", "%u", j->recs->len);
		PUTF("replay_time_scale", "%.17g", j->replay_time_scale);
		PUTF("replay_no_stall", "%d", j->replay_no_stall);
	}
	const char *rw = j->mix_read == 100 ? (j->rand ? "randread" : "read")
	                 : j->mix_read == 0 ? (j->rand ? "randwrite" : "write")
	                                    : (j->rand ? "randrw" : "rw");
	put(ctx, "rw", rw);
	PUTF("rwmixread", "%d", j->mix_read);
	describe_bs(&j->bs[IO_READ], b, sizeof b);
	put(ctx, "bs_read", b);
	describe_bs(&j->bs[IO_WRITE], b, sizeof b);
	put(ctx, "bs_write", b);
	PUTF("bs", "%llu", (unsigned long long)j->unit);
	PUTF("offset", "%llu", (unsigned long long)j->offset);
	PUTF("offset_increment", "%llu", (unsigned long long)j->offset_increment);
	PUTF("size", "%llu", (unsigned long long)j->size);
	PUTF("io_size", "%llu", (unsigned long long)j->io_limit);
	PUTF("nrfiles", "%d", j->nfiles);
	PUTF("number_ios", "%llu", (unsigned long long)j->number_ios);
	PUTF("loops", "%lld", (long long)j->loops);
	PUTF("numjobs", "%d", j->numjobs);
	PUTF("iodepth", "%d", j->iodepth);
	put(ctx, "ioengine_kind", j->async ? "async" : "sync");
	PUTF("direct", "%d", j->direct);
	PUTF("sync", "%d", j->sync);
	PUTF("runtime", "%.17g", j->runtime);
	PUTF("time_based", "%d", j->time_based);
	PUTF("ramp_time", "%.17g", j->ramp);
	PUTF("startdelay", "%.17g", j->startdelay);
	PUTF("thinktime", "%.17g", j->thinktime);
	PUTF("rate_iops", "%.17g", j->rate_iops[IO_READ] + j->rate_iops[IO_WRITE]);
	put(ctx, "rate_process", j->poisson ? "poisson" : "linear");
	snprintf(b, sizeof b, "%s",
	         j->dist == WL_ZIPF     ? "zipf"
	         : j->dist == WL_PARETO ? "pareto"
	                                : "random");
	if (j->dist != WL_UNIFORM)
		snprintf(b + strlen(b), sizeof b - strlen(b), ":%g", j->dist_param);
	put(ctx, "random_distribution", b);
	PUTF("norandommap", "%d", j->norandommap);
	PUTF("stonewall_group", "%d", j->group);
#undef PUTF
}

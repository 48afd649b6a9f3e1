/*
 * workload.c -- fio jobs (options with fio's meaning and defaults), their request generator
 * and their actors.
 *
 * Design notes:
 * (1) A job section becomes one struct wl_job; `numjobs` clones each run with their own
 *     generator and random stream, seeded from the run's seed, the job's index and the
 *     clone's number (or fio's `randseed`), so runs are deterministic.
 * (2) Offsets follow fio: the region of a file is [offset + offset_increment x clone, + size
 *     / nfiles) (filesize= sets the file's size instead); offsets are multiples of the
 *     smallest block size or of blockalign (the "unit").  A clone's files take turns as
 *     file_service_type says.  Sequential jobs walk the region and wrap; random
 *     jobs draw units uniformly and, unless norandommap, never repeat a unit before every
 *     unit was done once in the loop (the next free unit after a used one, as fio's random
 *     map does).  zipf:theta and pareto:h draw a rank (1 hottest) and scatter ranks over the
 *     units by a fixed bijection (or, with a center, from center x units on); fio disables
 *     the random map for them.  A request that would cross the region's end is shortened.
 * (3) A clone ends after io_size (default size) x loops bytes unless time_based, after
 *     number_ios requests (which never extends it), and at `ramp_time + runtime`.  Requests issued
 * during ramp_time are not measured.  Synchronous engines keep one request outstanding,
 *     asynchronous ones up to iodepth (a file job's clone runs iodepth threads, each one
 *     request at a time, since the file system blocks its caller).  libaio on buffered files
 *     is synchronous, as on Linux (fio HOWTO, iodepth).
 * (4) rate_iops / rate: each rated direction has its own schedule of slots, fixed (linear)
 *     or exponentially distributed (poisson) intervals, as fio's; a mixed job rated in both
 *     directions issues whichever direction is due first (fio's rate overrides the mix).  A
 *     request whose slot comes while iodepth are outstanding is issued when one completes,
 *     and the schedule does not shift.
 * (5) stonewall: the jobs after a stonewall start when every earlier job has ended (groups;
 *     new_group only starts a reporting group, and rows are per job anyway).  A group's
 *     last actor releases the next group's waiters; sg_sem_release may run the woken actor
 *     at once, so it counts them first.  Jobs that an unmodelled option makes meaningless
 *     (ioengine=falloc, rw=trim, ...) are left out with a warning naming the option's line.
 * (6) Raw completions are handled in the disk actor's context by a callback that records the
 *     statistics and releases the issuing clone's semaphore (one sg_sem per clone).
 * (7) read_iolog=FILE replays a trace through the file system as offsets in the job's file:
 *     each clone's threads take the records in order and issue each at its time (scaled by
 *     replay_time_scale; at once with replay_no_stall), at most iodepth at a time.
 * (8) The random map has fio's semantics (a bit per unit) but starts sparse: a directory of
 *     4-byte entries, one per 512 units, and 64-byte leaves allocated as units in them are
 *     used.  A clone doing a hundred requests over a 4 GiB region of 8 KiB units costs ~10 KiB
 *     instead of fio's 64 KiB bitmap (10,000 threads: the memory target).  Once its leaves
 *     would take half the flat bitmap it becomes that bitmap (a dense map is smaller and
 *     faster flat: scattered leaves miss the cache).
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <string.h>

#include "models/disk.h"
#include "models/fs.h"
#include "sim/output.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/trace.h"
#include "sim/workload.h"

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
    "replay_scale", "replay_align", "replay_redirect",
    /* vnodesim job keys */
    "concurrent", "trace_format", "trace_devno", NULL};

struct wl_group {
	int live;    /* actors of this group still running */
	int waiting; /* actors of the next group waiting for this one */
	bool done;
	sg_sem_t gate; /* the next group's actors wait here */
};

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
		bool ok = true;
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
		bool ok = true;
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
		j->unit = j->bs[ST_READ].min;
	else if (j->mix_read == 0)
		j->unit = j->bs[ST_WRITE].min;
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

static char *
in_dir(char **dirs, int i, const char *name)
{
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
		j->files[i] = j->raw ? g_strdup(names[i]) : in_dir(j->dirs, 0, names[i]);
	g_strfreev(names);
	return true;
}

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
	j->io_limit = iosz ? iosz : (size ? size : j->size * (uint64_t)j->nfiles);
	if (!j->recs && j->size < j->unit)
		return scn_error(s, fsz ? "filesize" : "size", err,
		                 "each file's region (%llu bytes) is smaller than the block size "
		                 "%llu",
		                 (unsigned long long)j->size, (unsigned long long)j->unit);
	return true;
}

/* read_iolog=FILE (note 7): the records, and the file size they need. */
static bool
load_iolog(struct scn *scn, const struct scn_sect *s, struct wl_job *j, GError **err)
{
	char *path = NULL;
	const char *fmtname;
	int64_t devno, scale = 1, align = 0, tscale = 100;
	if (!scn_get_path(s, "read_iolog", &path, err))
		return false;
	if (!path)
		return true;
	bool ok = scn_get_str(s, "trace_format", "iolog", &fmtname, err) &&
	          scn_get_int(s, "trace_devno", -1, -1, UINT32_MAX, &devno, err) &&
	          scn_get_int(s, "replay_scale", 1, 1, INT64_MAX, &scale, err) &&
	          scn_get_int(s, "replay_align", 0, 0, 1L << 40, &align, err) &&
	          scn_get_int(s, "replay_time_scale", 100, 1, 1000000, &tscale, err) &&
	          scn_get_bool(s, "replay_no_stall", false, &j->replay_no_stall, err);
	const struct tr_format *f = ok ? tr_format_find(fmtname) : NULL;
	if (ok && !f)
		ok = scn_error(s, "trace_format", err, "unknown format '%s' (%s)", fmtname,
		               tr_format_names());
	if (ok && align & (align - 1))
		ok = scn_error(s, "replay_align", err, "must be a power of 2");
	if (ok && j->raw)
		ok = scn_error(s, "read_iolog", err,
		               "a raw-device trace replays with `vnodesim replay`; here the trace "
		               "addresses the job's file");
	GError *e = NULL;
	if (ok)
		j->trace = g_strdup(path);
	if (ok && !(j->recs = tr_read(path, f, (int)devno, 0, &e))) {
		const char *where;
		int line;
		scn_where(s, "read_iolog", &where, &line);
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s (read_iolog=, %s:%d)",
		            e->message, where, line);
		g_clear_error(&e);
		ok = false;
	}
	g_free(path);
	if (!ok)
		return false;
	j->replay_time_scale = (double)tscale;
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
	g_free(j->name);
	g_free(j->filename);
	g_free(j);
}

/* ---- the generator (notes 2, 4) ---- */

/* The random map (note 8): a bit per unit.  Sparse at first: leaves of RM_LEAF units, a leaf
 * allocated when a unit in it is first used, dir[i] = leaf i's index in `leaves` plus one (0
 * while untouched); once the leaves would take half of a flat bitmap, a flat bitmap. */
#define RM_LEAF 512
#define RM_WORDS (RM_LEAF / 64)
struct rmap {
	uint32_t *dir;
	GArray *leaves; /* of uint64_t[RM_WORDS] */
	uint64_t *flat; /* after the switch: (nunits + 63) / 64 words; dir and leaves freed */
	uint64_t nunits;
};

static bool
rm_test(const struct rmap *m, uint64_t b)
{
	if (m->flat)
		return m->flat[b / 64] >> (b % 64) & 1;
	uint32_t l = m->dir[b / RM_LEAF];
	if (!l)
		return false;
	const uint64_t *w = &g_array_index(m->leaves, uint64_t, (l - 1) * RM_WORDS);
	return w[b % RM_LEAF / 64] >> (b % 64) & 1;
}

static uint64_t
rm_words(const struct rmap *m)
{
	return (m->nunits + 63) / 64;
}

static void
rm_set(struct rmap *m, uint64_t b)
{
	if (m->flat) {
		m->flat[b / 64] |= 1ull << (b % 64);
		return;
	}
	uint32_t *l = &m->dir[b / RM_LEAF];
	if (!*l) {
		if ((m->leaves->len + RM_WORDS) * 2 > rm_words(m)) { /* go flat */
			m->flat = g_new0(uint64_t, rm_words(m));
			uint64_t nl = (m->nunits + RM_LEAF - 1) / RM_LEAF;
			for (uint64_t i = 0; i < nl; i++)
				if (m->dir[i])
					memcpy(&m->flat[i * RM_WORDS],
					       &g_array_index(m->leaves, uint64_t,
					                      (m->dir[i] - 1) * RM_WORDS),
					       MIN(RM_WORDS, rm_words(m) - i * RM_WORDS) * 8);
			g_free(m->dir);
			m->dir = NULL;
			g_array_free(m->leaves, TRUE);
			m->leaves = NULL;
			rm_set(m, b);
			return;
		}
		g_array_set_size(m->leaves, m->leaves->len + RM_WORDS); /* zeroed */
		*l = m->leaves->len / RM_WORDS;
	}
	uint64_t *w = &g_array_index(m->leaves, uint64_t, (*l - 1) * RM_WORDS);
	w[b % RM_LEAF / 64] |= 1ull << (b % 64);
}

static void
rm_init(struct rmap *m, uint64_t nunits)
{
	m->nunits = nunits;
	m->dir = g_new0(uint32_t, (nunits + RM_LEAF - 1) / RM_LEAF);
	m->leaves = g_array_new(FALSE, TRUE, sizeof(uint64_t));
}

static bool
rm_ready(const struct rmap *m)
{
	return m->dir || m->flat;
}

/* A new loop.  Only a full map is cleared, and a full map is flat: the switch comes when the
 * leaves reach half the bitmap, before every leaf exists. */
static void
rm_clear(struct rmap *m)
{
	g_assert(m->flat);
	memset(m->flat, 0, rm_words(m) * 8);
}

static void
rm_free(struct rmap *m)
{
	g_free(m->dir);
	g_free(m->flat);
	if (m->leaves)
		g_array_free(m->leaves, TRUE);
}

struct wl_fstate {
	char *name;
	uint64_t fsize;      /* the size the file is created with */
	uint64_t start, len; /* the region: bytes */
	uint64_t nunits;
	uint64_t seqpos; /* next sequential offset in the region */
	struct rmap map; /* random map (note 8) */
	bool use_map;
	uint64_t map_used;
	uint64_t mult, add; /* rank -> unit bijection (skewed distributions) */
	double zx1, zn, zs; /* zipf rejection-inversion constants */
};

struct wl_gen {
	const struct wl_job *j;
	GRand *rng;
	int nfiles, cur_file;
	uint64_t file_left; /* file_service_type: requests (bytes: sequential) left on cur_file */
	struct wl_fstate *f;
	uint64_t issued, bytes, limit_bytes;
	uint64_t run_left; /* rw=...:N: requests left in this run */
	int run_file;
	uint64_t run_off, run_len;
	double due[2];
};

static double
zh1(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

static double
zh2(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
}

static double
zhint(double x, double e)
{
	double lx = log(x);
	return zh2((1 - e) * lx) * lx;
}

static double
zh(double x, double e)
{
	return exp(-e * log(x));
}

static double
zhinv(double x, double e)
{
	double t = x * (1 - e);
	if (t < -1)
		t = -1;
	return exp(zh1(t) * x);
}

/* Zipf(theta) rank in [1, n] by rejection-inversion (Hoermann & Derflinger 1996): exact. */
static uint64_t
zipf_rank(struct wl_fstate *f, double e, GRand *rng)
{
	for (;;) {
		double u = f->zn + g_rand_double(rng) * (f->zx1 - f->zn);
		double x = zhinv(u, e);
		double k = floor(x + 0.5);
		if (k < 1)
			k = 1;
		else if (k > (double)f->nunits)
			k = (double)f->nunits;
		if (k - x <= f->zs || u >= zhint(k + 0.5, e) - zh(k, e))
			return (uint64_t)k;
	}
}

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* A unit for rank R (0 hottest): scattered by a bijection, or contiguous from the center. */
static uint64_t
place(const struct wl_job *j, const struct wl_fstate *f, uint64_t r)
{
	if (j->dist_center >= 0)
		return (r + (uint64_t)(j->dist_center * (double)(f->nunits - 1))) % f->nunits;
	return (uint64_t)(((unsigned __int128)r * f->mult + f->add) % f->nunits);
}

static uint64_t
pick_unit(struct wl_gen *g, struct wl_fstate *f)
{
	const struct wl_job *j = g->j;
	if (j->dist == WL_ZIPF)
		return place(j, f, zipf_rank(f, j->dist_param, g->rng) - 1);
	if (j->dist == WL_PARETO) { /* fio: (n - 1) * u^(ln h / ln(1 - h)) */
		double p = log(j->dist_param) / log(1 - j->dist_param);
		uint64_t r = (uint64_t)((double)(f->nunits - 1) * pow(g_rand_double(g->rng), p));
		return place(j, f, MIN(r, f->nunits - 1));
	}
	uint64_t b = (uint64_t)(g_rand_double(g->rng) * (double)f->nunits);
	if (b >= f->nunits)
		b = f->nunits - 1;
	if (!f->use_map)
		return b;
	if (!rm_ready(&f->map)) /* at first use: loading a scenario (check) allocates nothing */
		rm_init(&f->map, f->nunits);
	if (f->map_used == f->nunits) { /* every unit done: a new loop */
		rm_clear(&f->map);
		f->map_used = 0;
	}
	while (rm_test(&f->map, b))
		b = b + 1 == f->nunits ? 0 : b + 1;
	return b;
}

static void
mark(struct wl_fstate *f, uint64_t b, uint64_t n)
{
	for (uint64_t k = b; rm_ready(&f->map) && k < b + n && k < f->nunits; k++)
		if (!rm_test(&f->map, k)) {
			rm_set(&f->map, k);
			f->map_used++;
		}
}

static uint64_t
pick_len(struct wl_gen *g, int dir)
{
	const struct wl_bs *b = &g->j->bs[dir];
	if (b->n) {
		unsigned r = (unsigned)g_rand_int_range(g->rng, 1, 101);
		for (int i = 0; i < b->n; i++)
			if (r <= b->perc[i])
				return b->size[i];
		return b->size[b->n - 1];
	}
	if (b->min == b->max)
		return b->min;
	/* fio: uniform in [min, max], then down to a multiple of min unless unaligned */
	uint64_t len = b->min + (uint64_t)(g_rand_double(g->rng) * (double)(b->max - b->min + 1));
	len = MIN(len, b->max);
	if (!b->unaligned)
		len -= len % b->min;
	return len;
}

struct wl_gen *
wl_gen_new(const struct wl_job *j, int clone, uint64_t seed)
{
	struct wl_gen *g = g_new0(struct wl_gen, 1);
	g->j = j;
	uint64_t sd = j->has_randseed ? j->randseed + (uint64_t)clone
	                              : seed * 1000003u + j->index * 7919u + (uint64_t)clone;
	g->rng = g_rand_new_with_seed((guint32)(sd ^ (sd >> 32)));
	g->nfiles = j->raw ? 1 : j->nfiles;
	g->f = g_new0(struct wl_fstate, g->nfiles);
	uint64_t start = j->offset + j->offset_increment * (uint64_t)clone;
	/* the skewed distributions' placement is the job's, shared by its clones */
	uint64_t jseed = j->has_randseed ? j->randseed : seed * 31u + j->index;
	for (int i = 0; i < g->nfiles; i++) {
		struct wl_fstate *f = &g->f[i];
		if (j->raw)
			f->name = g_strdup(j->filename);
		else if (j->files)
			f->name = g_strdup(j->files[i]);
		else {
			char *n = g_strdup_printf("%s.%d.%d", j->name, clone, i);
			f->name = in_dir(j->dirs, clone, n);
			g_free(n);
		}
		f->start = start + (j->append_base && j->files ? j->append_base[i] : 0);
		f->len = j->size;
		f->fsize = j->filesize ? j->filesize : f->start + j->size;
		if (f->start + f->len > f->fsize && !j->raw)
			f->len = f->fsize > f->start ? f->fsize - f->start : 0;
		f->nunits = MAX(f->len / j->unit, 1);
		f->use_map = j->rand && !j->norandommap && !j->recs;
		f->mult = (0x9E3779B97F4A7C15ull ^ jseed) % f->nunits;
		while (f->nunits > 1 && (f->mult == 0 || gcd64(f->mult, f->nunits) != 1))
			f->mult++;
		f->add = (jseed * 0x2545F4914F6CDD1Dull + (uint64_t)i) % f->nunits;
		if (j->dist == WL_ZIPF) {
			double e = j->dist_param;
			f->zx1 = zhint(1.5, e) - 1;
			f->zn = zhint((double)f->nunits + 0.5, e);
			f->zs = 2 - zhinv(zhint(2.5, e) - zh(2, e), e);
		}
	}
	g->limit_bytes = j->io_limit * (uint64_t)MAX(j->loops, 1);
	return g;
}

void
wl_gen_start(struct wl_gen *g, double t)
{
	g->due[0] = g->due[1] = t;
}

void
wl_gen_free(struct wl_gen *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->nfiles; i++) {
		g_free(g->f[i].name);
		rm_free(&g->f[i].map);
	}
	g_free(g->f);
	g_rand_free(g->rng);
	g_free(g);
}

int
wl_gen_nfiles(const struct wl_gen *g)
{
	return g->nfiles;
}

char *
wl_gen_file(const struct wl_gen *g, int i, uint64_t *size)
{
	if (size)
		*size = g->f[i].fsize;
	return g_strdup(g->f[i].name);
}

static bool
rated(const struct wl_job *j, int d)
{
	return j->rate_iops[d] > 0 || j->rate_bps[d] > 0;
}

static double
gap(struct wl_gen *g, int d, uint64_t len)
{
	const struct wl_job *j = g->j;
	double mean = j->rate_iops[d] > 0 ? 1.0 / j->rate_iops[d] : (double)len / j->rate_bps[d];
	if (j->poisson)
		return -log(1.0 - g_rand_double(g->rng)) * mean;
	return mean;
}

/* file_service_type: roundrobin[:N] and random[:N] switch after N requests, sequential after
 * a file's whole region */
static int
next_file(struct wl_gen *g)
{
	const struct wl_job *j = g->j;
	if (g->nfiles == 1)
		return 0;
	if (g->file_left > 0) {
		g->file_left--;
		return g->cur_file;
	}
	if (j->fst == 1)
		g->cur_file = g_rand_int_range(g->rng, 0, g->nfiles);
	else if (g->issued > 0)
		g->cur_file = (g->cur_file + 1) % g->nfiles;
	g->file_left = j->fst == 2 ? MAX(g->f[g->cur_file].nunits, 1) - 1 : j->fst_n - 1;
	return g->cur_file;
}

bool
wl_gen_next(struct wl_gen *g, struct wl_io *io)
{
	const struct wl_job *j = g->j;
	if (j->number_ios && g->issued >= j->number_ios)
		return false;
	if (!j->time_based && g->bytes >= g->limit_bytes) /* number_ios does not extend it */
		return false;
	int dir;
	if (j->mix_read > 0 && j->mix_read < 100 && rated(j, 0) && rated(j, 1))
		dir = g->due[ST_WRITE] < g->due[ST_READ] ? ST_WRITE : ST_READ; /* note 4 */
	else
		dir = j->mix_read == 100 ||
		              (j->mix_read > 0 && g_rand_int_range(g->rng, 0, 100) < j->mix_read)
		          ? ST_READ
		          : ST_WRITE;
	uint64_t len = pick_len(g, dir);
	int fi;
	struct wl_fstate *f;
	uint64_t pos;
	if (j->seq_nr && j->rand && g->run_left > 0) { /* rw=randread:N: continue the run */
		fi = g->run_file;
		f = &g->f[fi];
		pos = j->seq_identical ? g->run_off : g->run_off + g->run_len;
		if (pos + j->unit > f->nunits * j->unit)
			pos = 0;
		g->run_left--;
	} else {
		fi = next_file(g);
		f = &g->f[fi];
		if (j->rand) {
			uint64_t b = pick_unit(g, f);
			pos = b * j->unit;
			if (j->seq_nr) {
				g->run_left = j->seq_nr - 1;
				g->run_file = fi;
			}
		} else {
			pos = f->seqpos;
		}
	}
	uint64_t end = f->nunits * j->unit;
	if (pos >= end)
		pos = 0;
	if (pos + len > end) /* shortened at the region's end (note 2) */
		len = end - pos;
	if (j->rand) {
		mark(f, pos / j->unit, (len + j->unit - 1) / j->unit);
	} else {
		uint64_t next = pos + len + j->seq_nr; /* rw=write:4k: a 4k hole after each */
		f->seqpos = next + j->unit > end ? 0 : next;
	}
	g->run_off = pos;
	g->run_len = len;
	io->dir = dir;
	io->file = fi;
	io->off = f->start + pos;
	io->len = len;
	io->not_before = 0;
	if (rated(j, dir)) {
		io->not_before = g->due[dir];
		g->due[dir] += gap(g, dir, len);
	}
	g->issued++;
	g->bytes += len;
	return true;
}

/* ---- stonewall groups (note 5) ---- */

static void
groups_init(struct run *r)
{
	int n = 0;
	for (guint i = 0; i < r->jobs->len; i++)
		n = MAX(n, ((struct wl_job *)r->jobs->pdata[i])->group + 1);
	struct wl_group *g = g_new0(struct wl_group, n);
	for (guint i = 0; i < r->jobs->len; i++)
		((struct wl_job *)r->jobs->pdata[i])->groups = g;
	((struct wl_job *)r->jobs->pdata[0])->owns_groups = true;
}

static int
job_actors(const struct wl_job *j)
{
	return j->numjobs * (j->raw ? 1 : j->iodepth);
}

/* Wait until every earlier group has ended. */
static void
group_enter(struct wl_job *j)
{
	if (!j->groups || j->group == 0)
		return;
	struct wl_group *prev = &j->groups[j->group - 1];
	if (prev->done)
		return;
	if (!prev->gate)
		prev->gate = sg_sem_init(0);
	prev->waiting++;
	sg_sem_acquire(prev->gate);
	if (--prev->waiting == 0) {
		sg_sem_destroy(prev->gate);
		prev->gate = NULL;
	}
}

static void
thread_exit(struct run *r, struct wl_job *j)
{
	if (j && j->groups) {
		struct wl_group *g = &j->groups[j->group];
		if (--g->live == 0) {
			g->done = true;
			/* a release may run the woken actor at once: count first */
			int n = g->waiting;
			sg_sem_t gate = g->gate;
			for (int k = 0; k < n; k++)
				sg_sem_release(gate);
		}
	}
	if (--r->live_threads == 0)
		sg_sem_release(r->all_done);
}

/* ---- the clones ---- */

struct wl_thread {
	struct wl_job *job;
	struct wl_gen *gen;
	struct run *run;
	int clone;
	int slots;        /* file jobs: slot actors still running */
	uint64_t writes;  /* for fsync=N */
	uint64_t thought; /* requests since the last think time */
	sg_sem_t done;    /* raw: released once per completion (note 6) */
	int outstanding;
	struct disk_io *pool, *freelist;
	struct vnode **vn; /* file jobs: the clone's files */
	double t_start;    /* after startdelay; -1 before */
	bool started;
	guint cursor; /* read_iolog: the next record */
};

static bool
measured(const struct run *r, const struct wl_thread *t, double t_issue)
{
	return t_issue >= r->sim.warmup_s && t_issue >= t->t_start + t->job->ramp;
}

static bool
more(const struct wl_thread *t, double now)
{
	const struct wl_job *j = t->job;
	return !(j->runtime > 0 && now >= t->t_start + j->ramp + j->runtime);
}

static void
io_done(struct disk_io *io)
{
	struct wl_thread *t = io->arg;
	struct run *r = t->run;
	struct wl_job *j = t->job;
	int op = io->op == DISK_READ ? ST_READ : ST_WRITE;
	uint64_t bytes = (uint64_t)io->nsect * DISK_SECTOR;
	r->app_done++;
	j->st.events += 2; /* the application request and its disk request */
	if (t->t_start < 0 ? io->t_issue >= r->sim.warmup_s : measured(r, t, io->t_issue))
		st_job_add(&j->st, op, bytes, io->t_issue, io->t_done);
	if (r->service && io->id < r->nservice)
		r->service[io->id] = disk_svc_total(&io->svc);
	if (r->requests) {
		const struct disk_svc *v = &io->svc;
		struct out_request rec = {.id = io->id,
		                          .job = j->name,
		                          .op = op == ST_READ ? "read" : "write",
		                          .path = "raw",
		                          .offset = io->lbn * DISK_SECTOR,
		                          .len = bytes,
		                          .t_issue = io->t_issue,
		                          .t_done = io->t_done,
		                          .queue = io->t_start - io->t_issue,
		                          .seek = v->seek,
		                          .rot = v->rot,
		                          .xfer = v->xfer,
		                          .ctrl = v->ctrl,
		                          .service = disk_svc_total(v)};
		out_request_row(r->requests, &rec);
	}
	io->next = t->freelist;
	t->freelist = io;
	t->outstanding--;
	sg_sem_release(t->done);
}

static void
thread_free(struct wl_thread *t)
{
	if (t->done)
		sg_sem_destroy(t->done);
	wl_gen_free(t->gen);
	g_free(t->vn);
	g_free(t->pool);
	g_free(t);
}

/* The clone's start: stonewall, then startdelay (once per clone). */
static void
clone_start(struct wl_thread *t)
{
	struct wl_job *j = t->job;
	group_enter(j);
	if (!t->started) {
		t->started = true;
		double d = j->startdelay;
		if (j->startdelay_max > j->startdelay)
			d += g_rand_double(t->gen->rng) * (j->startdelay_max - j->startdelay);
		t->t_start = simgrid_get_clock() + d; /* the clone's other slots wait too */
		wl_gen_start(t->gen, t->t_start);
	}
	double now = simgrid_get_clock();
	if (t->t_start > now)
		sg_actor_sleep_for(t->t_start - now);
}

/* thinktime after every thinktime_blocks requests: spin, then sleep the rest */
static void
think(struct wl_thread *t)
{
	const struct wl_job *j = t->job;
	if (j->thinktime <= 0 || ++t->thought < j->thinktime_blocks)
		return;
	t->thought = 0;
	if (j->thinktime_spin > 0)
		run_cpu(t->run, MIN(j->thinktime_spin, j->thinktime));
	if (j->thinktime > j->thinktime_spin)
		sg_actor_sleep_for(j->thinktime - j->thinktime_spin);
}

static void
wait_slot(struct wl_thread *t, const struct wl_io *io)
{
	double now = simgrid_get_clock();
	if (io->not_before > now)
		sg_actor_sleep_for(io->not_before - now);
}

static void
job_actor(int argc, char **argv)
{
	struct wl_thread *t = sg_actor_self_get_data();
	struct wl_job *j = t->job;
	struct run *r = t->run;
	clone_start(t);
	struct wl_io io;
	while (more(t, simgrid_get_clock()) && wl_gen_next(t->gen, &io)) {
		wait_slot(t, &io);
		if (!more(t, simgrid_get_clock()))
			break;
		while (t->outstanding >= j->iodepth)
			sg_sem_acquire(t->done);
		struct disk_io *d = t->freelist;
		g_assert(d);
		t->freelist = d->next;
		d->op = io.dir == ST_READ ? DISK_READ : DISK_WRITE;
		d->lbn = io.off / DISK_SECTOR;
		d->nsect = (uint32_t)(io.len / DISK_SECTOR);
		d->id = r->next_id++;
		d->done = io_done;
		d->arg = t;
		run_cpu(r, r->host.syscall);
		t->outstanding++;
		r->app_issued++;
		disk_submit(r->disk, d);
		if (!j->async)
			sg_sem_acquire(t->done);
		if (j->thinktime > 0 && t->thought + 1 >= j->thinktime_blocks)
			while (t->outstanding > 0) /* fio quiesces before thinking */
				sg_sem_acquire(t->done);
		think(t);
	}
	while (t->outstanding > 0)
		sg_sem_acquire(t->done);
	thread_free(t);
	thread_exit(r, j);
}

/* ---- file jobs: each clone runs iodepth slot actors, each one request at a time ---- */

struct wl_slot {
	struct wl_thread *t;
	struct fs_thread *ft;
};

static void
file_request(struct wl_slot *sl, struct vnode *v, enum lk_op op, uint64_t off, uint64_t len,
             bool fsync, bool datasync)
{
	struct wl_thread *t = sl->t;
	struct wl_job *j = t->job;
	struct run *r = t->run;
	struct fs_res res = {0};
	uint64_t id = r->next_id++;
	r->app_issued++;
	if (fsync) {
		fs_fsync(sl->ft, v, datasync, &res);
	} else {
		struct fs_req rq = {.op = op,
		                    .off = off,
		                    .len = len,
		                    .direct = j->direct,
		                    .concurrent = j->concurrent,
		                    .sync = (enum fs_sync)j->sync,
		                    .id = id,
		                    .job = j};
		fs_rw(sl->ft, v, &rq, &res);
	}
	double now = simgrid_get_clock();
	r->app_done++;
	j->st.events += 1 + res.disk_requests;
	if (fsync)
		return; /* fsyncs are not I/O requests in the statistics (fio counts them apart) */
	if (measured(r, t, res.t_issue)) {
		st_job_add(&j->st, op == LK_READ ? ST_READ : ST_WRITE, len, res.t_issue, now);
		j->st.vnode_wait += res.vnode_wait;
		j->st.getpages_wait += res.getpages_wait;
		j->st.range_wait += res.range_wait;
		j->st.cache_hits += res.cache_hits;
		j->st.cache_lookups += res.cache_lookups;
	}
	if (r->requests) {
		struct out_request rec = {.id = id,
		                          .job = j->name,
		                          .op = op == LK_READ ? "read" : "write",
		                          .path = res.path,
		                          .offset = off,
		                          .len = len,
		                          .t_issue = res.t_issue,
		                          .t_done = now,
		                          .lock_wait = res.vnode_wait + res.range_wait +
		                                       res.getpages_wait + res.busy_wait,
		                          .queue = res.queue,
		                          .seek = res.seek,
		                          .rot = res.rot,
		                          .xfer = res.xfer,
		                          .ctrl = res.ctrl,
		                          .service = res.service};
		out_request_row(r->requests, &rec);
	}
}

static void
after_write(struct wl_slot *sl, struct vnode *v)
{
	struct wl_thread *t = sl->t;
	const struct wl_job *j = t->job;
	t->writes++;
	if (j->fsync_n && t->writes % j->fsync_n == 0)
		file_request(sl, v, LK_WRITE, 0, 0, true, false);
	if (j->fdatasync_n && t->writes % j->fdatasync_n == 0)
		file_request(sl, v, LK_WRITE, 0, 0, true, true);
}

/* read_iolog (note 7): the next record's turn, or false at the end. */
static bool
replay_next(struct wl_thread *t, const struct tr_rec **rec)
{
	const struct wl_job *j = t->job;
	guint n = j->recs->len;
	uint64_t total = n * (uint64_t)MAX(j->loops, 1);
	if (t->cursor >= total || (j->number_ios && t->cursor >= j->number_ios))
		return false;
	guint i = t->cursor % n;
	double base = t->t_start;
	if (n && t->cursor >= n) { /* a later loop starts after the trace's last time */
		const struct tr_rec *last = &g_array_index(j->recs, struct tr_rec, n - 1);
		base += (double)(t->cursor / n) * last->t * 100 / j->replay_time_scale;
	}
	t->cursor++;
	*rec = &g_array_index(j->recs, struct tr_rec, i);
	if (!j->replay_no_stall) {
		double due = base + (*rec)->t * 100 / j->replay_time_scale;
		double now = simgrid_get_clock();
		if (due > now)
			sg_actor_sleep_for(due - now);
	}
	return true;
}

static void
file_actor(int argc, char **argv)
{
	struct wl_slot *sl = sg_actor_self_get_data();
	struct wl_thread *t = sl->t;
	struct wl_job *j = t->job;
	struct run *r = t->run;
	clone_start(t);
	if (j->recs) {
		const struct tr_rec *rec;
		while (more(t, simgrid_get_clock()) && replay_next(t, &rec)) {
			if (!more(t, simgrid_get_clock()))
				break;
			if (rec->kind == TR_SYNC || rec->kind == TR_DATASYNC) {
				file_request(sl, t->vn[0], LK_WRITE, 0, 0, true,
				             rec->kind == TR_DATASYNC);
				continue;
			}
			file_request(sl, t->vn[0], rec->write ? LK_WRITE : LK_READ, rec->off,
			             rec->len, false, false);
			if (rec->write)
				after_write(sl, t->vn[0]);
			think(t);
		}
	} else {
		struct wl_io io;
		while (more(t, simgrid_get_clock()) && wl_gen_next(t->gen, &io)) {
			wait_slot(t, &io);
			if (!more(t, simgrid_get_clock()))
				break;
			struct vnode *v = t->vn[io.file];
			file_request(sl, v, io.dir == ST_READ ? LK_READ : LK_WRITE, io.off, io.len,
			             false, false);
			if (io.dir == ST_WRITE)
				after_write(sl, v);
			think(t);
		}
	}
	if (--t->slots == 0) {
		if (j->end_fsync)
			for (int f = 0; f < wl_gen_nfiles(t->gen); f++)
				file_request(sl, t->vn[f], LK_WRITE, 0, 0, true, false);
		thread_free(t);
	}
	fs_thread_free(sl->ft);
	g_free(sl);
	thread_exit(r, j);
}

void
wl_job_start(struct run *r, struct wl_job *j, void *host)
{
	j->run = r;
	if (!j->groups && r->jobs && r->jobs->len && r->jobs->pdata[0] == j)
		groups_init(r);
	if (j->groups)
		j->groups[j->group].live += job_actors(j);
	for (int c = 0; c < j->numjobs; c++) {
		struct wl_thread *t = g_new0(struct wl_thread, 1);
		t->job = j;
		t->run = r;
		t->clone = c;
		t->t_start = -1;
		t->gen = wl_gen_new(j, c, r->seed);
		if (!j->raw) {
			int nf = wl_gen_nfiles(t->gen);
			t->vn = g_new0(struct vnode *, nf);
			for (int f = 0; f < nf; f++) {
				uint64_t size;
				char *fname = wl_gen_file(t->gen, f, &size);
				/* file_append: the file as the other jobs make it; writes extend */
				t->vn[f] = fs_file(r->fs, fname, j->file_append ? 0 : size);
				g_free(fname);
			}
			t->slots = j->iodepth;
			for (int k = 0; k < j->iodepth; k++) {
				struct wl_slot *sl = g_new0(struct wl_slot, 1);
				char *name = g_strdup_printf("%s.%d.%d", j->name, c, k);
				sl->t = t;
				sl->ft = fs_thread_new(r->fs, name);
				sg_actor_t a = sg_actor_init(name, (sg_host_t)host);
				g_free(name);
				sg_actor_set_data(a, sl);
				r->live_threads++;
				sg_actor_start(a, file_actor, 0, NULL);
			}
			continue;
		}
		t->done = sg_sem_init(0);
		t->pool = g_new0(struct disk_io, j->iodepth);
		for (int i = 0; i < j->iodepth; i++) {
			t->pool[i].next = t->freelist;
			t->freelist = &t->pool[i];
		}
		char *name = g_strdup_printf("%s.%d", j->name, c);
		sg_actor_t a = sg_actor_init(name, (sg_host_t)host);
		g_free(name);
		sg_actor_set_data(a, t);
		r->live_threads++;
		sg_actor_start(a, job_actor, 0, NULL);
	}
}

/* ---- raw trace replay ---- */

struct replay {
	struct wl_thread *t;
	const GArray *recs;
	bool closed;
};

static void
replay_actor(int argc, char **argv)
{
	struct replay *rp = sg_actor_self_get_data();
	struct wl_thread *t = rp->t;
	struct run *r = t->run;
	for (guint i = 0; i < rp->recs->len; i++) {
		const struct tr_rec *rec = &g_array_index(rp->recs, struct tr_rec, i);
		if (rp->closed) { /* the previous line's think time after its completion */
			double gap = i > 0 ? g_array_index(rp->recs, struct tr_rec, i - 1).t : 0;
			if (gap > 0)
				sg_actor_sleep_for(gap);
		} else {
			double now = simgrid_get_clock();
			if (rec->t > now)
				sg_actor_sleep_for(rec->t - now);
		}
		if (rec->nsect == 0) /* a sync: the raw device has nothing to do */
			continue;
		struct disk_io *io = t->freelist;
		g_assert(io);
		t->freelist = io->next;
		io->op = rec->write ? DISK_WRITE : DISK_READ;
		io->lbn = rec->lbn;
		io->nsect = rec->nsect;
		io->id = i;
		io->done = io_done;
		io->arg = t;
		t->outstanding++;
		r->app_issued++;
		disk_submit(r->disk, io);
		if (rp->closed)
			sg_sem_acquire(t->done);
	}
	while (t->outstanding > 0)
		sg_sem_acquire(t->done);
	sg_sem_destroy(t->done);
	g_free(t->pool);
	g_free(t);
	g_free(rp);
	thread_exit(r, NULL);
}

void
wl_replay_start(struct run *r, struct wl_job *j, const GArray *recs, bool closed, void *host)
{
	j->run = r;
	struct wl_thread *t = g_new0(struct wl_thread, 1);
	t->job = j;
	t->run = r;
	t->t_start = -1;
	t->done = sg_sem_init(0);
	guint n = closed ? 1 : recs->len;
	t->pool = g_new0(struct disk_io, n);
	for (guint i = 0; i < n; i++) {
		t->pool[i].next = t->freelist;
		t->freelist = &t->pool[i];
	}
	struct replay *rp = g_new0(struct replay, 1);
	*rp = (struct replay){t, recs, closed};
	sg_actor_t a = sg_actor_init("replay", (sg_host_t)host);
	sg_actor_set_data(a, rp);
	r->live_threads++;
	sg_actor_start(a, replay_actor, 0, NULL);
}

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
	describe_bs(&j->bs[ST_READ], b, sizeof b);
	put(ctx, "bs_read", b);
	describe_bs(&j->bs[ST_WRITE], b, sizeof b);
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
	PUTF("rate_iops", "%.17g", j->rate_iops[ST_READ] + j->rate_iops[ST_WRITE]);
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

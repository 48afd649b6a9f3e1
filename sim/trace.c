/*
 * trace.c -- block and I/O trace readers (see trace.h).
 *
 * (1) Lines are split on blanks and commas; blank lines and lines starting with '#' are
 *     skipped.  A number field must be a whole (or, for times, finite) number of the right
 *     sign.  Any other problem is an error naming FILE:LINE and the field.
 * (2) Arrival times are kept as the trace gives them (seconds from the trace's origin); the
 *     replay starts its clock at zero, so a trace whose first request is at t arrives at t.
 * (3) Formats and their units:
 *       validate  R|W Hit blkno bcount service_us interarrival_us  (DiskSim; closed loop)
 *       ascii     time_ms devno blkno bcount flags                  (DiskSim; bit 0 = read)
 *       mqsim     time_ns devno lba size type                       (sectors; 1 = read)
 *       spc       ASU,LBA,size,opcode,timestamp[,...]              (UMass/SPC: LBA in
 *                 512-byte blocks, size in bytes, opcode r|R|w|W, timestamp in seconds;
 *                 the ASU is the device number; optional further fields are ignored)
 *       blkparse  `blkparse -i` default output: "maj,min cpu seq time pid action rwbs
 *                 sector + nsect [process]"; the queue events (Q) are the requests, or the
 *                 completions (C) when the trace has no queue events; other events,
 *                 requests without data (flushes, discards: no R or W in rwbs) and the
 *                 summary blkparse prints at the end are skipped; devno = maj * 256 + min
 *       iolog     fio iolog v2 ("fio version 2 iolog": "file action [offset length]",
 *                 `wait` = microseconds since the previous wait) or v3 ("fio version 3
 *                 iolog": "timestamp_us file action [offset length]"); offsets and lengths
 *                 in bytes; sync/datasync are records without data, trims are skipped;
 *                 devno = the file's number in `add` order.  iolog2/iolog3 insist on
 *                 their version.
 * (4) Times are bounded and ordered: every time a trace gives (an arrival, a wait, a think
 *     or service time, and the sum of the waits or think times) is at most SCN_MAX_SECONDS
 *     (90 days; past it the clock cannot resolve a request's costs, and 1e16 ms crashed the
 *     engine), and arrivals never go backwards in file order (blkparse: among the queue
 *     events, and among the completions), so a replay never runs a request "in the past".
 *     The file is read through scn_read_input (a regular file, at most TR_MAX_BYTES).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "sim/trace.h"

#define SECTOR 512u
/* 64 GiB: a trace of 10^8 requests in blkparse's text (about 100 bytes a line) is 10 GB */
#define TR_MAX_BYTES ((uint64_t)64 << 30)

static bool bad(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static bool
bad(GError **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, m);
	g_free(m);
	return false;
}

static bool
num_u64(const char *s, const char *what, uint64_t *out, GError **err)
{
	char *end;
	errno = 0;
	if (*s == '-' || *s == '+')
		return bad(err, "%s: expected a whole number >= 0, got '%s'", what, s);
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || *end || errno)
		return bad(err, "%s: expected a whole number >= 0, got '%s'", what, s);
	*out = v;
	return true;
}

static bool
num_dbl(const char *s, const char *what, double *out, GError **err)
{
	char *end;
	double v = g_ascii_strtod(s, &end);
	if (end == s || *end || !isfinite(v) || v < 0)
		return bad(err, "%s: expected a number >= 0, got '%s'", what, s);
	*out = v;
	return true;
}

/* A time field's value T_S (seconds; TEXT as written, UNIT its unit) within the simulated
 * horizon (note 4). */
static bool
time_ok(double t_s, const char *what, const char *text, const char *unit, GError **err)
{
	if (t_s <= SCN_MAX_SECONDS)
		return true;
	return bad(err,
	           "%s: %s %s is past the longest simulated time, 90 days (%.0f s): the clock "
	           "could not resolve a request's costs there",
	           what, text, unit, SCN_MAX_SECONDS);
}

static bool
want_fields(int n, int want, const char *layout, GError **err)
{
	if (n == want)
		return true;
	return bad(err, "expected %d fields (%s), got %d", want, layout, n);
}

static bool
count_ok(uint64_t n, GError **err)
{
	if (n > 0 && n <= UINT32_MAX)
		return true;
	return bad(err, "size: %llu sectors is not a valid request size", (unsigned long long)n);
}

/* A record from a sector range. */
static void
from_sectors(struct tr_rec *r, double t, uint32_t dev, uint64_t blk, uint64_t cnt, bool write)
{
	*r = (struct tr_rec){.t = t,
	                     .lbn = blk,
	                     .nsect = (uint32_t)cnt,
	                     .devno = dev,
	                     .write = write,
	                     .kind = write ? TR_WRITE : TR_READ,
	                     .off = blk * SECTOR,
	                     .len = cnt * SECTOR,
	                     .measured = -1};
}

/* A record from a byte range (widened to whole sectors for the raw device). */
static bool
from_bytes(struct tr_rec *r, double t, uint32_t dev, uint64_t off, uint64_t len, int kind,
           GError **err)
{
	if (off > UINT64_MAX / 2 || len > UINT64_MAX / 2)
		return bad(err, "offset: %llu + %llu is out of range", (unsigned long long)off,
		           (unsigned long long)len);
	uint64_t first = off / SECTOR, end = (off + len + SECTOR - 1) / SECTOR;
	if (end - first > UINT32_MAX)
		return bad(err, "length: %llu bytes is not a valid request size",
		           (unsigned long long)len);
	*r = (struct tr_rec){.t = t,
	                     .lbn = first,
	                     .nsect = (uint32_t)(end - first),
	                     .devno = dev,
	                     .write = kind == TR_WRITE,
	                     .kind = (uint8_t)kind,
	                     .off = off,
	                     .len = len,
	                     .measured = -1};
	return true;
}

/* R|W Hit|Miss blkno bcount service_us interarrival_us (DiskSim "validate") */
static bool
parse_validate(struct tr_ctx *c, char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	uint64_t blk, cnt;
	double svc, gap;
	if (!want_fields(n, 6, "R|W hit blkno bcount service_us interarrival_us", err))
		return false;
	if (strcmp(f[0], "R") != 0 && strcmp(f[0], "W") != 0)
		return bad(err, "op: expected R or W, got '%s'", f[0]);
	if (!num_u64(f[2], "blkno", &blk, err) || !num_u64(f[3], "bcount", &cnt, err) ||
	    !count_ok(cnt, err) || !num_dbl(f[4], "service_us", &svc, err) ||
	    !num_dbl(f[5], "interarrival_us", &gap, err) ||
	    !time_ok(svc * 1e-6, "service_us", f[4], "us", err) ||
	    !time_ok(gap * 1e-6, "interarrival_us", f[5], "us", err))
		return false;
	/* the think times add up along the closed loop */
	c->wait += gap * 1e-6;
	if (c->wait > SCN_MAX_SECONDS)
		return bad(err,
		           "interarrival_us: the think times add up to %.0f s, past the longest "
		           "simulated time, 90 days (%.0f s)",
		           c->wait, SCN_MAX_SECONDS);
	from_sectors(r, gap * 1e-6, 0, blk, cnt, f[0][0] == 'W');
	r->measured = svc * 1e-6;
	return true;
}

/* time_ms devno blkno bcount flags (DiskSim ASCII; flags bit 0 = read) */
static bool
parse_ascii(struct tr_ctx *c, char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	double t;
	uint64_t dev, blk, cnt, flags;
	if (!want_fields(n, 5, "time_ms devno blkno bcount flags", err))
		return false;
	if (!num_dbl(f[0], "time_ms", &t, err) || !num_u64(f[1], "devno", &dev, err) ||
	    !num_u64(f[2], "blkno", &blk, err) || !num_u64(f[3], "bcount", &cnt, err) ||
	    !count_ok(cnt, err) || !num_u64(f[4], "flags", &flags, err) ||
	    !time_ok(t * 1e-3, "time_ms", f[0], "ms", err))
		return false;
	if (dev > UINT32_MAX)
		return bad(err, "devno: %s is out of range", f[1]);
	from_sectors(r, t * 1e-3, (uint32_t)dev, blk, cnt, !(flags & 1));
	return true;
}

/* time_ns devno lba_sectors size_sectors type (MQSim; type 1 = read, 0 = write) */
static bool
parse_mqsim(struct tr_ctx *c, char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	uint64_t t, dev, blk, cnt, type;
	if (!want_fields(n, 5, "time_ns devno lba size type", err))
		return false;
	if (!num_u64(f[0], "time_ns", &t, err) || !num_u64(f[1], "devno", &dev, err) ||
	    !num_u64(f[2], "lba", &blk, err) || !num_u64(f[3], "size", &cnt, err) ||
	    !count_ok(cnt, err) || !num_u64(f[4], "type", &type, err))
		return false;
	if (type > 1)
		return bad(err, "type: expected 1 (read) or 0 (write), got '%s'", f[4]);
	if (!time_ok((double)t * 1e-9, "time_ns", f[0], "ns", err))
		return false;
	if (dev > UINT32_MAX)
		return bad(err, "devno: %s is out of range", f[1]);
	from_sectors(r, (double)t * 1e-9, (uint32_t)dev, blk, cnt, type == 0);
	return true;
}

/* ASU,LBA,size_bytes,opcode,timestamp_s[,...] (SPC / UMass trace repository) */
static bool
parse_spc(struct tr_ctx *c, char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	uint64_t asu, lba, size;
	double t;
	if (n < 5)
		return bad(err,
		           "expected at least 5 fields (ASU,LBA,size,opcode,timestamp), got %d", n);
	if (!num_u64(f[0], "ASU", &asu, err) || !num_u64(f[1], "LBA", &lba, err) ||
	    !num_u64(f[2], "size", &size, err) || !num_dbl(f[4], "timestamp", &t, err) ||
	    !time_ok(t, "timestamp", f[4], "s", err))
		return false;
	if (asu > UINT32_MAX)
		return bad(err, "ASU: %s is out of range", f[0]);
	if (size == 0)
		return bad(err, "size: 0 bytes is not a valid request size");
	if (lba > UINT64_MAX / SECTOR / 2)
		return bad(err, "LBA: %s is out of range", f[1]);
	int kind;
	if (!strcmp(f[3], "r") || !strcmp(f[3], "R"))
		kind = TR_READ;
	else if (!strcmp(f[3], "w") || !strcmp(f[3], "W"))
		kind = TR_WRITE;
	else
		return bad(err, "opcode: expected r, R, w or W, got '%s'", f[3]);
	return from_bytes(r, t, (uint32_t)asu, lba * SECTOR, size, kind, err);
}

static bool
is_summary_start(char **f, int n)
{
	/* "CPU0 (8,0):" or "Total (8,0):" open blkparse's closing summary */
	if (!strcmp(f[0], "Total"))
		return true;
	if (!g_str_has_prefix(f[0], "CPU"))
		return false;
	const char *d = f[0] + 3;
	if (!*d)
		return false;
	for (; *d; d++)
		if (!g_ascii_isdigit(*d))
			return false;
	return true;
}

/* maj,min cpu seq time pid action rwbs sector + nsect [process] (blkparse -i, default) */
static bool
parse_blkparse(struct tr_ctx *c, char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	if (c->summary || is_summary_start(f, n)) {
		c->summary = true;
		*skip = true;
		return true;
	}
	uint64_t maj, min, cpu, seq, pid;
	double t;
	if (n < 7)
		return bad(err, "expected 'maj,min cpu seq time pid action ...', got %d fields", n);
	if (!num_u64(f[0], "device major", &maj, err) ||
	    !num_u64(f[1], "device minor", &min, err) || !num_u64(f[2], "cpu", &cpu, err) ||
	    !num_u64(f[3], "sequence", &seq, err) || !num_dbl(f[4], "time", &t, err) ||
	    !num_u64(f[5], "pid", &pid, err) || !time_ok(t, "time", f[4], "s", err))
		return false;
	if (maj > 65535 || min > 255)
		return bad(err, "device: %s,%s is out of range (major <= 65535, minor <= 255)",
		           f[0], f[1]);
	const char *act = f[6];
	if (strlen(act) > 2 || !g_ascii_isalpha(act[0]))
		return bad(err, "action: expected an event letter (Q, C, D, ...), got '%s'", act);
	if (strcmp(act, "Q") != 0 && strcmp(act, "C") != 0) {
		*skip = true; /* other events: not requests of their own */
		return true;
	}
	if (n < 11)
		return bad(err, "expected 'rwbs sector + nsect' after the %s event, got %d fields",
		           act, n);
	const char *rwbs = f[7];
	for (const char *p = rwbs; *p; p++)
		if (!strchr("RWDFNSAMEB", *p))
			return bad(err, "rwbs: unexpected '%c' in '%s'", *p, rwbs);
	uint64_t sector, cnt;
	if (!num_u64(f[8], "sector", &sector, err))
		return false;
	if (strcmp(f[9], "+") != 0)
		return bad(err, "expected '+' between sector and count, got '%s'", f[9]);
	if (!num_u64(f[10], "nsect", &cnt, err))
		return false;
	bool rd = strchr(rwbs, 'R') != NULL, wr = strchr(rwbs, 'W') != NULL;
	if ((!rd && !wr) || cnt == 0) { /* flush, discard, or no data */
		*skip = true;
		return true;
	}
	if (cnt > UINT32_MAX)
		return bad(err, "nsect: %s is not a valid request size", f[10]);
	from_sectors(r, t, (uint32_t)(maj * 256 + min), sector, cnt, wr);
	r->action = (uint8_t)act[0];
	return true;
}

static void
finish_blkparse(GArray *recs)
{
	bool queued = false;
	for (guint i = 0; i < recs->len && !queued; i++)
		queued = g_array_index(recs, struct tr_rec, i).action == 'Q';
	uint8_t keep = queued ? 'Q' : 'C';
	guint k = 0;
	for (guint i = 0; i < recs->len; i++) {
		struct tr_rec *r = &g_array_index(recs, struct tr_rec, i);
		if (r->action == keep)
			g_array_index(recs, struct tr_rec, k++) = *r;
	}
	g_array_set_size(recs, k);
}

/* fio iolog v2 / v3 (note 3) */

static bool
parse_iolog(struct tr_ctx *c, char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	*skip = true;
	if (!c->version) {
		if (n == 4 && !strcmp(f[0], "fio") && !strcmp(f[1], "version") &&
		    !strcmp(f[3], "iolog") && (!strcmp(f[2], "2") || !strcmp(f[2], "3"))) {
			c->version = f[2][0] - '0';
			if (c->want_version && c->version != c->want_version)
				return bad(
				    err, "header: this is a version %d iolog, expected version %d",
				    c->version, c->want_version);
			return true;
		}
		return bad(err, "header: expected 'fio version 2 iolog' or 'fio version 3 iolog' "
		                "(version 1 logs are not supported, as in fio)");
	}
	double t = c->wait;
	if (c->version == 3) {
		if (n != 3 && n != 5)
			return bad(err,
			           "expected 'timestamp file action' or 'timestamp file action "
			           "offset length', got %d fields",
			           n);
		uint64_t us;
		if (!num_u64(f[0], "timestamp", &us, err) ||
		    !time_ok((double)us * 1e-6, "timestamp", f[0], "us", err))
			return false;
		t = (double)us * 1e-6;
		f++;
		n--;
	} else if (n != 2 && n != 4) {
		return bad(
		    err, "expected 'file action' or 'file action offset length', got %d fields", n);
	}
	GHashTable **files = &c->files;
	if (!*files)
		*files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *name = f[0], *act = f[1];
	gpointer known = g_hash_table_lookup(*files, name);
	if (n == 2) {
		if (!strcmp(act, "add")) {
			if (!known)
				g_hash_table_insert(
				    *files, g_strdup(name),
				    GUINT_TO_POINTER(g_hash_table_size(*files) + 1));
			return true;
		}
		if (!strcmp(act, "open") || !strcmp(act, "close") || !strcmp(act, "unlink")) {
			if (!known)
				return bad(err, "file: '%s' was not added before '%s'", name, act);
			return true;
		}
		return bad(err, "action: expected add, open or close, got '%s'", act);
	}
	uint64_t off, len;
	if (!num_u64(f[2], "offset", &off, err) || !num_u64(f[3], "length", &len, err))
		return false;
	int kind;
	if (!strcmp(act, "wait")) {
		if (c->version == 3)
			return bad(err, "action: 'wait' is not allowed in a version 3 iolog");
		if (off >= 100) /* fio discards waits below 100 us */
			c->wait += (double)off * 1e-6;
		if (c->wait > SCN_MAX_SECONDS)
			return bad(err,
			           "wait: the waits add up to %.0f s, past the longest simulated "
			           "time, 90 days (%.0f s)",
			           c->wait, SCN_MAX_SECONDS);
		return true;
	} else if (!strcmp(act, "read")) {
		kind = TR_READ;
	} else if (!strcmp(act, "write")) {
		kind = TR_WRITE;
	} else if (!strcmp(act, "sync")) {
		kind = TR_SYNC;
	} else if (!strcmp(act, "datasync")) {
		kind = TR_DATASYNC;
	} else if (!strcmp(act, "trim")) {
		return true; /* trims are not modelled */
	} else {
		return bad(err,
		           "action: expected wait, read, write, sync, datasync or trim, got '%s'",
		           act);
	}
	if (!known)
		return bad(err, "file: '%s' was not added (an 'add' line must come first)", name);
	uint32_t dev = GPOINTER_TO_UINT(known) - 1;
	*skip = false;
	if (kind == TR_SYNC || kind == TR_DATASYNC) {
		*r = (struct tr_rec){.t = t, .devno = dev, .kind = (uint8_t)kind, .measured = -1};
		return true;
	}
	if (len == 0)
		return bad(err, "length: 0 bytes is not a valid request size");
	return from_bytes(r, t, dev, off, len, kind, err);
}

static const struct tr_format formats[] = {
    {"validate", "DiskSim validate: closed loop, measured service times", true, 0, parse_validate,
     NULL, NULL},
    {"ascii", "DiskSim ASCII: time_ms devno blkno bcount flags", false, 0, parse_ascii, NULL,
     "time_ms"},
    {"mqsim", "MQSim: time_ns devno lba size type", false, 0, parse_mqsim, NULL, "time_ns"},
    {"spc", "SPC/UMass: ASU,LBA,size,opcode,timestamp", false, 0, parse_spc, NULL, "timestamp"},
    {"blkparse", "blkparse -i default output: queue events (else completions)", false, 0,
     parse_blkparse, finish_blkparse, "time"},
    {"iolog", "fio iolog, version 2 or 3 (by its header)", false, 0, parse_iolog, NULL,
     "timestamp"},
    {"iolog2", "fio iolog version 2 (file action offset length; wait)", false, 2, parse_iolog, NULL,
     "timestamp"},
    {"iolog3", "fio iolog version 3 (timestamp_us file action offset length)", false, 3,
     parse_iolog, NULL, "timestamp"},
};

const struct tr_format *
tr_format_find(const char *name)
{
	for (size_t i = 0; name && i < G_N_ELEMENTS(formats); i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

const char *
tr_format_names(void)
{
	static char names[128];
	if (!names[0])
		for (size_t i = 0; i < G_N_ELEMENTS(formats); i++)
			g_strlcat(names, formats[i].name, sizeof names),
			    g_strlcat(names, i + 1 < G_N_ELEMENTS(formats) ? "|" : "",
			              sizeof names);
	return names;
}

GArray *
tr_read(const char *path, const struct tr_format *fmt, int devno, uint64_t capacity, GError **err)
{
	char *text;
	size_t len;
	GError *e = NULL;
	if (!scn_read_input(path, TR_MAX_BYTES, &text, &len, &e)) {
		g_set_error_literal(err, SCN_ERROR, SCN_ERROR_FILE, e->message);
		g_error_free(e);
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
		            "%s: contains NUL bytes: not a text trace", path);
		g_free(text);
		return NULL;
	}
	GArray *recs = g_array_new(FALSE, FALSE, sizeof(struct tr_rec));
	struct tr_ctx ctx = {.want_version = fmt->want_version};
	/* the last arrival and its line, per blkparse event kind (note 4) */
	double last_t[3] = {-1, -1, -1};
	uint32_t last_line[3] = {0, 0, 0};
	uint32_t lineno = 0;
	char *save = NULL, *line;
	char *p = text;
	bool ok = true;
	while (ok && (line = strsep(&p, "\n")) != NULL) {
		lineno++;
		g_strstrip(line);
		if (!*line || *line == '#')
			continue;
		char *fields[24];
		int n = 0;
		for (char *tok = strtok_r(line, " \t,", &save); tok;
		     tok = strtok_r(NULL, " \t,", &save))
			if (n < (int)G_N_ELEMENTS(fields))
				fields[n++] = tok;
		if (n == 0) /* only separators (",", " , "): a blank line */
			continue;
		struct tr_rec r = {0};
		bool skip = false;
		if (!fmt->parse(&ctx, fields, n, &r, &skip, &e)) {
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s:%u: %s", path, lineno,
			            e->message);
			g_clear_error(&e);
			ok = false;
			break;
		}
		if (skip)
			continue;
		int k = r.action == 'Q' ? 1 : r.action == 'C' ? 2 : 0;
		if (fmt->time_field && r.t < last_t[k]) {
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			            "%s:%u: %s: this request arrives at %.9g s, before the one on "
			            "line %u (%.9g s): a trace's times must not go backwards",
			            path, lineno, fmt->time_field, r.t, last_line[k], last_t[k]);
			ok = false;
			break;
		}
		last_t[k] = r.t;
		last_line[k] = lineno;
		if (devno >= 0 && r.devno != (uint32_t)devno)
			continue;
		if (capacity && (r.nsect > capacity || r.lbn > capacity - r.nsect)) {
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			            "%s:%u: blkno: request [%llu, +%u) is beyond the disk's %llu "
			            "sectors",
			            path, lineno, (unsigned long long)r.lbn, r.nsect,
			            (unsigned long long)capacity);
			ok = false;
			break;
		}
		r.line = lineno;
		g_array_append_val(recs, r);
	}
	g_free(text);
	if (ctx.files)
		g_hash_table_destroy(ctx.files);
	if (ok && fmt->parse == parse_iolog && !ctx.version) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
		            "%s:1: header: expected 'fio version 2 iolog' or 'fio version 3 iolog'",
		            path);
		ok = false;
	}
	if (ok && fmt->finish)
		fmt->finish(recs);
	if (ok && recs->len == 0) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: no requests%s", path,
		            devno >= 0 ? " for this --devno" : "");
		ok = false;
	}
	if (!ok) {
		g_array_free(recs, TRUE);
		return NULL;
	}
	return recs;
}

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
 *                 [sector [+ nsect]] [process]" (note 5); devno = maj * 256 + min
 *       blktrace  blktrace's binary per-CPU files (note 6)
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
 *     events, among the dispatches, and among the completions), so a replay never runs a request
 * "in the past". The file is read through scn_read_input (a regular file, at most TR_MAX_BYTES).
 * (5) blkparse: every event of its default output is accepted (Q G I D C M F P U UT X A S
 *     R B T m); the requests are the Q (queued) events, or the D (dispatched to the driver)
 *     events when the caller asks (trace_arrival=dispatch, replay --arrival=dispatch), or
 *     the C (completed) events when the trace has none of those.  Merges (M, F), requeues
 *     (R), splits (X), remaps (A), plugs (P, U, UT), sleeps (S), bounces (B) and messages
 *     (m) are not requests of their own: a merged bio is part of a request already queued,
 *     a requeued one is dispatched again.  RWBS is blkparse's [F]{W|D|R|N}[F][A][S][M] (the
 *     kernel's blk_fill_rwbs also prints E, secure erase): W is a write, R a read, a
 *     leading F a preflush and an F after the direction FUA (both kept on the record, not
 *     modelled by the drives); D (discard) and E are skipped, as fio's trims are; an empty
 *     request with a flush ("Q FWS [jbd2]", "D FN", zero sectors) is a sync (an fsync
 *     through the file system, nothing on a raw device); an empty request without a flush
 *     ("C WS 0 [0]", "Q WS 8 + 0") is skipped; the per-CPU summary at the end is skipped.
 * (6) blktrace: each record is struct blk_io_trace (blktrace_api.h, version 7: 48 bytes,
 *     magic 0x65617400 | version, sequence, time ns, sector, bytes, action, pid, device,
 *     cpu, error, pdu_len) followed by pdu_len bytes of payload, in the byte order of the
 *     machine that recorded it (found from the first magic).  action = category bits << 16
 *     | action code; notify records (category NOTIFY: process names, messages) are
 *     skipped; codes 1 (queue), 7 (issue = D) and 8 (complete) are requests as in note 5,
 *     with R/W/D/F/FUA from the category bits as blkparse derives them; SCSI pass-through
 *     (category PC) is skipped.  device is the kernel's dev_t (major << 20 | minor).  A path
 *     that is a file is one CPU's file; otherwise PATH.blktrace.N for every N are read, as
 *     `blkparse -i PATH` does, and merged by time (ties: CPU order, then file order); times
 *     are from the first event of all files.  Each file's times must not go backwards (a
 *     CPU's relay buffer is written in time order); errors name the file, the record (from
 *     1) and its byte offset.  Version 8 (struct blk_io_trace2) is refused by name.
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

/* blkparse (note 5): the request flags of an RWBS string, as blkparse's fill_rwbs writes
 * it: [F]{W|D|E|R|N}[F][A][S][M] (a leading F is a preflush, one after the direction is FUA;
 * B (barrier) from older kernels is accepted). */
struct rwbs {
	char dir; /* 'R', 'W', 'D' (discard), 'E' (secure erase) or 'N' (no data) */
	bool preflush, fua;
};

static bool
parse_rwbs(const char *s, struct rwbs *o, GError **err)
{
	*o = (struct rwbs){0};
	const char *p = s;
	if (p[0] == 'F' && p[1] && strchr("WDERN", p[1]))
		o->preflush = true, p++;
	if (!*p || !strchr("WDERN", *p)) {
		if (*p == 'F' && !p[1]) { /* "F": an empty preflush alone */
			o->preflush = true, o->dir = 'N';
			return true;
		}
		return bad(err, "rwbs: expected R, W, D, E or N in '%s' (blkparse's flags)", s);
	}
	o->dir = *p++;
	if (*p == 'F')
		o->fua = true, p++;
	for (; *p; p++)
		if (!strchr("ASMB", *p))
			return bad(err, "rwbs: unexpected '%c' in '%s'", *p, s);
	return true;
}

/* The events blkparse prints (its default format's action column). */
static bool
known_action(const char *a)
{
	static const char *const acts[] = {"A", "B", "C", "D", "F", "G",  "I", "M", "P",
	                                   "Q", "R", "S", "T", "U", "UT", "X", "m", NULL};
	for (int i = 0; acts[i]; i++)
		if (!strcmp(a, acts[i]))
			return true;
	return false;
}

/* A request event (Q, D or C) with flags F at T, position SECTOR + CNT sectors, on DEV:
 * a read or write when it carries data, a sync (a device flush) when it is an empty flush;
 * discards, secure erases and empty requests without a flush are skipped (note 5). */
static bool
blk_request(struct tr_rec *r, double t, uint32_t dev, uint64_t sector, uint64_t cnt,
            const struct rwbs *f, char act, bool *skip, GError **err)
{
	*skip = true;
	if (f->dir == 'D' || f->dir == 'E')
		return true;
	if (cnt == 0 || f->dir == 'N') {
		if (!f->preflush && !f->fua)
			return true;
		*r = (struct tr_rec){.t = t, .devno = dev, .kind = TR_SYNC, .measured = -1};
	} else {
		if (cnt > UINT32_MAX)
			return bad(err, "nsect: %llu is not a valid request size",
			           (unsigned long long)cnt);
		from_sectors(r, t, dev, sector, cnt, f->dir == 'W');
	}
	r->action = (uint8_t)act;
	r->preflush = f->preflush;
	r->fua = f->fua;
	*skip = false;
	return true;
}

/* maj,min cpu seq time pid action rwbs [sector [+ nsect]] [process] (blkparse -i, default) */
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
	if (!known_action(act))
		return bad(err,
		           "action: expected one of blkparse's events (Q G I D C M F P U UT X A S "
		           "R B T m), got '%s'",
		           act);
	*skip = true;
	if (strcmp(act, "Q") != 0 && strcmp(act, "D") != 0 && strcmp(act, "C") != 0)
		return true; /* other events: not requests of their own (note 5) */
	if (n < 8)
		return bad(err,
		           "expected 'rwbs [sector + nsect]' after the %s event, got %d fields",
		           act, n);
	struct rwbs fl;
	if (!parse_rwbs(f[7], &fl, err))
		return false;
	/* "sector + nsect", "sector" alone (a completion without data: "C WS 0 [0]") or
	 * nothing before the [process] / [error] (an empty flush: "Q FWS [jbd2/sda1-8]") */
	uint64_t sector = 0, cnt = 0;
	if (n > 8 && f[8][0] != '[') {
		if (!num_u64(f[8], "sector", &sector, err))
			return false;
		if (n > 9 && f[9][0] != '[') {
			if (strcmp(f[9], "+") != 0)
				return bad(err, "expected '+' between sector and count, got '%s'",
				           f[9]);
			if (n < 11)
				return bad(err, "expected 'sector + nsect', got no nsect");
			if (!num_u64(f[10], "nsect", &cnt, err))
				return false;
		}
	}
	return blk_request(r, t, (uint32_t)(maj * 256 + min), sector, cnt, &fl, act[0], skip, err);
}

/* Keep the requests at their arrival events (Q, or D with trace_arrival=dispatch); a
 * trace without them arrives at its completions (note 5). */
static void
finish_blkparse(GArray *recs, char arrival)
{
	bool any = false;
	for (guint i = 0; i < recs->len && !any; i++)
		any = g_array_index(recs, struct tr_rec, i).action == arrival;
	uint8_t keep = any ? (uint8_t)arrival : 'C';
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
    {.name = "validate",
     .summary = "DiskSim validate: closed loop, measured service times",
     .closed_loop = true,
     .parse = parse_validate},
    {.name = "ascii",
     .summary = "DiskSim ASCII: time_ms devno blkno bcount flags",
     .parse = parse_ascii,
     .time_field = "time_ms"},
    {.name = "mqsim",
     .summary = "MQSim: time_ns devno lba size type",
     .parse = parse_mqsim,
     .time_field = "time_ns"},
    {.name = "spc",
     .summary = "SPC/UMass: ASU,LBA,size,opcode,timestamp",
     .parse = parse_spc,
     .time_field = "timestamp"},
    {.name = "blkparse",
     .summary = "blkparse -i default output: queue (or dispatch) events, else completions",
     .parse = parse_blkparse,
     .finish = finish_blkparse,
     .time_field = "time"},
    {.name = "blktrace",
     .summary = "blktrace's binary per-CPU files NAME.blktrace.N, merged by time",
     .finish = finish_blkparse,
     .time_field = "time",
     .binary = true},
    {.name = "iolog",
     .summary = "fio iolog, version 2 or 3 (by its header)",
     .parse = parse_iolog,
     .time_field = "timestamp"},
    {.name = "iolog2",
     .summary = "fio iolog version 2 (file action offset length; wait)",
     .want_version = 2,
     .parse = parse_iolog,
     .time_field = "timestamp"},
    {.name = "iolog3",
     .summary = "fio iolog version 3 (timestamp_us file action offset length)",
     .want_version = 3,
     .parse = parse_iolog,
     .time_field = "timestamp"},
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

/* The records a replay uses (the format's finish), or an error when none is left. */
static GArray *
tr_finish(const char *path, const struct tr_format *fmt, int devno, GArray *recs, char arrival,
          GError **err)
{
	if (fmt->finish)
		fmt->finish(recs, arrival);
	if (recs->len == 0) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: no requests%s", path,
		            devno >= 0 ? " for this --devno" : "");
		g_array_free(recs, TRUE);
		return NULL;
	}
	return recs;
}

/* ---- blktrace's binary per-CPU files (note 6) ---- */

#define BT_MAGIC 0x65617400u /* blktrace_api.h: BLK_IO_TRACE_MAGIC */
#define BT_VERSION 7         /* struct blk_io_trace; 8 is struct blk_io_trace2, not read */
#define BT_SIZE 48           /* sizeof(struct blk_io_trace) */
#define BT_TA_QUEUE 1        /* __BLK_TA_QUEUE; ISSUE = 7, COMPLETE = 8 */
#define BT_TA_ISSUE 7
#define BT_TA_COMPLETE 8
#define BT_TA_LAST 17 /* __BLK_TA_DRV_DATA; higher bits of the low 16 are flags (CGROUP) */
enum {                /* category bits, action >> 16 (BLK_TC_*) */
       BT_TC_WRITE = 1 << 1,
       BT_TC_FLUSH = 1 << 2,
       BT_TC_PC = 1 << 9,
       BT_TC_NOTIFY = 1 << 10,
       BT_TC_DISCARD = 1 << 13,
       BT_TC_FUA = 1 << 15,
};

struct bt_ev {
	struct tr_rec r;
	uint64_t ns;
	uint32_t file; /* index into the file list */
};

static uint64_t
bt_get(const uint8_t *p, int bytes, bool be)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[be ? bytes - 1 - i : i] << (8 * i);
	return v;
}

/* One per-CPU file: every request event (Q, D, C) into EVS, in file order; its earliest time
 * into *FIRST. */
static bool
bt_read_file(const char *path, uint32_t fileno, GArray *evs, uint64_t *first, GError **err)
{
	char *data;
	size_t len;
	GError *e = NULL;
	if (!scn_read_input(path, TR_MAX_BYTES, &data, &len, &e)) {
		g_set_error_literal(err, SCN_ERROR, SCN_ERROR_FILE, e->message);
		g_error_free(e);
		return false;
	}
	const uint8_t *d = (const uint8_t *)data;
	size_t off = 0;
	uint32_t rec = 0;
	uint64_t last = 0;
	bool be = false, ok = true;
	while (ok && off < len) {
		rec++;
		const uint8_t *p = d + off;
		if (len - off < BT_SIZE) {
			ok = bad(err,
			         "%s: record %u (byte %zu): truncated: %zu of the %d bytes of a "
			         "struct blk_io_trace",
			         path, rec, off, len - off, BT_SIZE);
			break;
		}
		if (rec == 1) /* the file's byte order, by its first magic */
			be = (bt_get(p, 4, false) & 0xffffff00u) != BT_MAGIC &&
			     (bt_get(p, 4, true) & 0xffffff00u) == BT_MAGIC;
		uint32_t magic = (uint32_t)bt_get(p, 4, be);
		if ((magic & 0xffffff00u) != BT_MAGIC) {
			ok = bad(err,
			         "%s: record %u (byte %zu): magic: 0x%08x is not blktrace's "
			         "(0x656174nn): not a blktrace file, or a record is cut short",
			         path, rec, off, magic);
			break;
		}
		if ((magic & 0xff) != BT_VERSION) {
			ok = bad(err,
			         "%s: record %u: version: %u is not read (version 7, struct "
			         "blk_io_trace, is)",
			         path, rec, magic & 0xff);
			break;
		}
		uint16_t pdu = (uint16_t)bt_get(p + 46, 2, be);
		if (pdu > len - off - BT_SIZE) {
			ok = bad(err,
			         "%s: record %u (byte %zu): pdu_len: %u bytes of payload run past "
			         "the end of the file (%zu bytes left)",
			         path, rec, off, pdu, len - off - BT_SIZE);
			break;
		}
		uint64_t ns = bt_get(p + 8, 8, be);
		if (rec > 1 && ns < last) {
			ok =
			    bad(err,
			        "%s: record %u: time: %.9f s is before the previous record's "
			        "(%.9f s): one CPU's events must be in time order (blkparse merges "
			        "the CPUs' files by time)",
			        path, rec, (double)ns * 1e-9, (double)last * 1e-9);
			break;
		}
		last = ns;
		*first = MIN(*first, ns);
		off += BT_SIZE + pdu;
		uint32_t action = (uint32_t)bt_get(p + 28, 4, be), cat = action >> 16,
		         code = action & 0xff;
		if (cat & BT_TC_NOTIFY) /* process names, timestamps, messages */
			continue;
		if (code == 0 || code > BT_TA_LAST) {
			ok = bad(err, "%s: record %u: action: %u is not a blktrace action", path,
			         rec, code);
			break;
		}
		if ((code != BT_TA_QUEUE && code != BT_TA_ISSUE && code != BT_TA_COMPLETE) ||
		    (cat & BT_TC_PC))
			continue; /* other events; SCSI pass-through commands */
		uint32_t dev = (uint32_t)bt_get(p + 36, 4, be), maj = dev >> 20,
		         min = dev & 0xfffff;
		if (maj > 65535 || min > 255) {
			ok = bad(err, "%s: record %u: device: %u,%u is out of range (minor <= 255)",
			         path, rec, maj, min);
			break;
		}
		uint64_t sector = bt_get(p + 16, 8, be), bytes = bt_get(p + 24, 4, be);
		struct rwbs fl = {.preflush = (cat & BT_TC_FLUSH) != 0,
		                  .fua = (cat & BT_TC_FUA) != 0};
		fl.dir = cat & BT_TC_DISCARD ? 'D' : cat & BT_TC_WRITE ? 'W' : bytes ? 'R' : 'N';
		if (sector > UINT64_MAX / SECTOR / 2) {
			ok = bad(err, "%s: record %u: sector: %llu is out of range", path, rec,
			         (unsigned long long)sector);
			break;
		}
		struct bt_ev ev = {.ns = ns, .file = fileno};
		bool skip;
		char act = code == BT_TA_QUEUE ? 'Q' : code == BT_TA_ISSUE ? 'D' : 'C';
		ok = blk_request(&ev.r, 0, maj * 256 + min, sector, (bytes + SECTOR - 1) / SECTOR,
		                 &fl, act, &skip, err);
		if (ok && !skip) {
			ev.r.line = rec;
			g_array_append_val(evs, ev);
		}
	}
	g_free(data);
	return ok;
}

static int
bt_ev_cmp(gconstpointer a, gconstpointer b)
{
	const struct bt_ev *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->r.line < y->r.line ? -1 : x->r.line > y->r.line;
}

/* PATH itself when it is a file, else blkparse's PATH.blktrace.N, in CPU order. */
static GPtrArray *
bt_files(const char *path, GError **err)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_ptr_array_add(files, g_strdup(path));
		return files;
	}
	char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
	char *prefix = g_strconcat(base, ".blktrace.", NULL);
	GDir *dh = g_dir_open(dir, 0, NULL);
	const char *name;
	GArray *cpus = g_array_new(FALSE, FALSE, sizeof(guint64));
	while (dh && (name = g_dir_read_name(dh))) {
		const char *n = name + strlen(prefix);
		guint64 cpu;
		if (g_str_has_prefix(name, prefix) && *n &&
		    g_ascii_string_to_unsigned(n, 10, 0, 1u << 20, &cpu, NULL))
			g_array_append_val(cpus, cpu);
	}
	if (dh)
		g_dir_close(dh);
	for (guint i = 0; i < cpus->len; i++) /* CPU order (few files: insertion) */
		for (guint j = i;
		     j > 0 && g_array_index(cpus, guint64, j - 1) > g_array_index(cpus, guint64, j);
		     j--) {
			guint64 t = g_array_index(cpus, guint64, j);
			g_array_index(cpus, guint64, j) = g_array_index(cpus, guint64, j - 1);
			g_array_index(cpus, guint64, j - 1) = t;
		}
	for (guint i = 0; i < cpus->len; i++)
		g_ptr_array_add(files, g_strdup_printf("%s.blktrace.%" G_GUINT64_FORMAT, path,
		                                       g_array_index(cpus, guint64, i)));
	if (!files->len) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_FILE,
		            "%s: no such file, and no per-CPU files %s.blktrace.N", path, path);
		g_ptr_array_unref(files);
		files = NULL;
	}
	g_array_free(cpus, TRUE);
	g_free(prefix);
	g_free(base);
	g_free(dir);
	return files;
}

/* Read blktrace's files for PATH and keep what passes the checks tr_read makes on text
 * (note 4): times within the horizon, the device, the capacity. */
static GArray *
bt_read(const char *path, int devno, uint64_t capacity, GError **err)
{
	GPtrArray *files = bt_files(path, err);
	if (!files)
		return NULL;
	GArray *evs = g_array_new(FALSE, FALSE, sizeof(struct bt_ev));
	GArray *recs = g_array_new(FALSE, FALSE, sizeof(struct tr_rec));
	uint64_t first = UINT64_MAX;
	bool ok = true;
	for (guint i = 0; ok && i < files->len; i++)
		ok = bt_read_file(files->pdata[i], i, evs, &first, err);
	if (ok)
		g_array_sort(evs, bt_ev_cmp); /* blkparse's merge of the CPUs, by time */
	for (guint i = 0; ok && i < evs->len; i++) {
		struct bt_ev *ev = &g_array_index(evs, struct bt_ev, i);
		const char *file = files->pdata[ev->file];
		ev->r.t = (double)(ev->ns - first) * 1e-9; /* from the first event, as blkparse */
		if (ev->r.t > SCN_MAX_SECONDS) {
			ok = bad(err,
			         "%s: record %u: time: %.0f s after the first event is past the "
			         "longest simulated time, 90 days (%.0f s)",
			         file, ev->r.line, ev->r.t, SCN_MAX_SECONDS);
			break;
		}
		if (devno >= 0 && ev->r.devno != (uint32_t)devno)
			continue;
		if (capacity && (ev->r.nsect > capacity || ev->r.lbn > capacity - ev->r.nsect)) {
			ok = bad(err,
			         "%s: record %u: sector: request [%llu, +%u) is beyond the disk's "
			         "%llu sectors",
			         file, ev->r.line, (unsigned long long)ev->r.lbn, ev->r.nsect,
			         (unsigned long long)capacity);
			break;
		}
		g_array_append_val(recs, ev->r);
	}
	g_array_free(evs, TRUE);
	g_ptr_array_unref(files);
	if (!ok) {
		g_array_free(recs, TRUE);
		return NULL;
	}
	return recs;
}

GArray *
tr_read(const char *path, const struct tr_format *fmt, int devno, uint64_t capacity, GError **err)
{
	return tr_read_at(path, fmt, devno, capacity, 'Q', err);
}

GArray *
tr_read_at(const char *path, const struct tr_format *fmt, int devno, uint64_t capacity,
           char arrival, GError **err)
{
	if (fmt->binary) {
		GArray *recs = bt_read(path, devno, capacity, err);
		if (!recs)
			return NULL;
		return tr_finish(path, fmt, devno, recs, arrival, err);
	}
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
	double last_t[4] = {-1, -1, -1, -1};
	uint32_t last_line[4] = {0, 0, 0, 0};
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
		int k = r.action == 'Q' ? 1 : r.action == 'C' ? 2 : r.action == 'D' ? 3 : 0;
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
	if (!ok) {
		g_array_free(recs, TRUE);
		return NULL;
	}
	return tr_finish(path, fmt, devno, recs, arrival, err);
}

/*
 * trace.c -- block trace readers (see trace.h).
 *
 * (1) Lines are split on blanks and commas; blank lines and lines starting with '#' are
 *     skipped.  A number field must be a whole, finite number of the right sign.
 * (2) Arrival times are kept as the trace gives them (seconds from the trace's origin); the
 *     replay starts its clock at zero, so a trace whose first request is at t arrives at t.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "sim/trace.h"

static bool
num_u64(const char *s, const char *what, uint64_t *out, GError **err)
{
	char *end;
	errno = 0;
	if (*s == '-' || *s == '+') {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: expected a whole number >= 0, got '%s'",
			    what, s);
		return false;
	}
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || *end || errno) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			    "%s: expected a whole number >= 0, got '%s'", what, s);
		return false;
	}
	*out = v;
	return true;
}

static bool
num_dbl(const char *s, const char *what, double *out, GError **err)
{
	char *end;
	double v = g_ascii_strtod(s, &end);
	if (end == s || *end || !isfinite(v) || v < 0) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			    "%s: expected a number >= 0, got '%s'", what, s);
		return false;
	}
	*out = v;
	return true;
}

static bool
want_fields(int n, int want, const char *layout, GError **err)
{
	if (n == want)
		return true;
	g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "expected %d fields (%s), got %d", want,
		    layout, n);
	return false;
}

static bool
count_ok(uint64_t n, GError **err)
{
	if (n > 0 && n <= UINT32_MAX)
		return true;
	g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "size: %llu sectors is not a valid request size",
		    (unsigned long long)n);
	return false;
}

/* R|W Hit|Miss blkno bcount service_us interarrival_us (DiskSim "validate") */
static bool
parse_validate(char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	uint64_t blk, cnt;
	double svc, gap;
	if (!want_fields(n, 6, "R|W hit blkno bcount service_us interarrival_us", err))
		return false;
	if (strcmp(f[0], "R") != 0 && strcmp(f[0], "W") != 0) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "op: expected R or W, got '%s'",
			    f[0]);
		return false;
	}
	if (!num_u64(f[2], "blkno", &blk, err) || !num_u64(f[3], "bcount", &cnt, err) ||
	    !count_ok(cnt, err) || !num_dbl(f[4], "service_us", &svc, err) ||
	    !num_dbl(f[5], "interarrival_us", &gap, err))
		return false;
	*r = (struct tr_rec){.t = gap * 1e-6,
			     .lbn = blk,
			     .nsect = (uint32_t)cnt,
			     .write = f[0][0] == 'W',
			     .measured = svc * 1e-6};
	return true;
}

/* time_ms devno blkno bcount flags (DiskSim ASCII; flags bit 0 = read) */
static bool
parse_ascii(char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	double t;
	uint64_t dev, blk, cnt, flags;
	if (!want_fields(n, 5, "time_ms devno blkno bcount flags", err))
		return false;
	if (!num_dbl(f[0], "time_ms", &t, err) || !num_u64(f[1], "devno", &dev, err) ||
	    !num_u64(f[2], "blkno", &blk, err) || !num_u64(f[3], "bcount", &cnt, err) ||
	    !count_ok(cnt, err) || !num_u64(f[4], "flags", &flags, err))
		return false;
	*r = (struct tr_rec){.t = t * 1e-3,
			     .lbn = blk,
			     .nsect = (uint32_t)cnt,
			     .devno = (uint32_t)dev,
			     .write = !(flags & 1),
			     .measured = -1};
	return true;
}

/* time_ns devno lba_sectors size_sectors type (MQSim; type 1 = read, 0 = write) */
static bool
parse_mqsim(char **f, int n, struct tr_rec *r, bool *skip, GError **err)
{
	uint64_t t, dev, blk, cnt, type;
	if (!want_fields(n, 5, "time_ns devno lba size type", err))
		return false;
	if (!num_u64(f[0], "time_ns", &t, err) || !num_u64(f[1], "devno", &dev, err) ||
	    !num_u64(f[2], "lba", &blk, err) || !num_u64(f[3], "size", &cnt, err) ||
	    !count_ok(cnt, err) || !num_u64(f[4], "type", &type, err))
		return false;
	if (type > 1) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			    "type: expected 1 (read) or 0 (write), got '%s'", f[4]);
		return false;
	}
	*r = (struct tr_rec){.t = (double)t * 1e-9,
			     .lbn = blk,
			     .nsect = (uint32_t)cnt,
			     .devno = (uint32_t)dev,
			     .write = type == 0,
			     .measured = -1};
	return true;
}

static const struct tr_format formats[] = {
	{"validate", "DiskSim validate: closed loop, measured service times", true,
	 parse_validate},
	{"ascii", "DiskSim ASCII: time_ms devno blkno bcount flags", false, parse_ascii},
	{"mqsim", "MQSim: time_ns devno lba size type", false, parse_mqsim},
};

const struct tr_format *
tr_format_find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(formats); i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

const char *
tr_format_names(void)
{
	return "validate|ascii|mqsim";
}

GArray *
tr_read(const char *path, const struct tr_format *fmt, int devno, uint64_t capacity,
	GError **err)
{
	char *text;
	gsize len;
	GError *e = NULL;
	if (!g_file_get_contents(path, &text, &len, &e)) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: %s", path, e->message);
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
	uint32_t lineno = 0;
	char *save = NULL, *line;
	char *p = text;
	bool ok = true;
	while (ok && (line = strsep(&p, "\n")) != NULL) {
		lineno++;
		g_strstrip(line);
		if (!*line || *line == '#')
			continue;
		char *fields[16];
		int n = 0;
		for (char *tok = strtok_r(line, " \t,", &save); tok;
		     tok = strtok_r(NULL, " \t,", &save))
			if (n < (int)G_N_ELEMENTS(fields))
				fields[n++] = tok;
			else
				n++;
		struct tr_rec r;
		bool skip = false;
		if (n > (int)G_N_ELEMENTS(fields) || !fmt->parse(fields, n, &r, &skip, &e)) {
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s:%u: %s", path, lineno,
				    e ? e->message : "too many fields");
			g_clear_error(&e);
			ok = false;
			break;
		}
		if (skip || (devno >= 0 && r.devno != (uint32_t)devno))
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

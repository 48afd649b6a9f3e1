/*
 * trace.h -- block trace readers: one static const table per format, found by name.
 * A reader turns a file into records of (arrival time, device, sector, count, op); every
 * malformed line is an error naming FILE:LINE and the field.
 */
#ifndef VN_TRACE_H
#define VN_TRACE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct tr_rec {
	double t;	  /* arrival, seconds (validate: the think time between this request's
			     completion and the next request) */
	uint64_t lbn;	  /* 512-byte sectors */
	uint32_t nsect;
	uint32_t devno;
	bool write;
	double measured;  /* validate: the drive's measured service time, seconds; else -1 */
	uint32_t line;
};

struct tr_format {
	const char *name;
	const char *summary;
	bool closed_loop; /* the next request follows the previous completion */
	/* Parse one non-empty, non-comment line; false + *err (without file:line: the caller
	 * adds them) on a bad line.  Return true with *skip to ignore a line. */
	bool (*parse)(char **fields, int nfields, struct tr_rec *out, bool *skip, GError **err);
};

const struct tr_format *tr_format_find(const char *name);
/* "validate|ascii|mqsim|..." for messages. */
const char *tr_format_names(void);

/* Read PATH in FORMAT; keep only device DEVNO (or all when DEVNO < 0); every request must
 * end within CAPACITY sectors (0: no check).  NULL + *err on bad input. */
GArray *tr_read(const char *path, const struct tr_format *f, int devno, uint64_t capacity,
		GError **err);

#endif

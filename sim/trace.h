/*
 * trace.h -- block and I/O trace readers: one static const table entry per format, found by
 * name.  A reader turns a file into records of (arrival time, device, position, size, kind);
 * every malformed line is an error naming FILE:LINE and the field.
 *
 * Records carry their position twice: in 512-byte sectors (lbn, nsect: what a raw-device
 * replay submits; a byte range is widened to whole sectors) and in bytes (off, len: what a
 * replay through the file system uses, so an iolog's unaligned requests stay unaligned).
 */
#ifndef VN_TRACE_H
#define VN_TRACE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/io.h"

/* A data record's kind is its direction (enum io_dir); a sync has one of its own. */
enum tr_kind { TR_READ = IO_READ, TR_WRITE = IO_WRITE, TR_SYNC = 2, TR_DATASYNC = 3 };

struct tr_rec {
	double t;     /* arrival, seconds (validate: the think time between this request's
	                 completion and the next request) */
	uint64_t lbn; /* 512-byte sectors */
	uint32_t nsect;
	uint32_t devno;
	bool write;        /* kind == TR_WRITE */
	uint8_t kind;      /* enum tr_kind; syncs have nsect = len = 0 */
	uint8_t action;    /* blkparse, blktrace: the event letter ('Q', 'D', 'C'); else 0 */
	bool preflush;     /* blkparse, blktrace: a cache flush before the data (rwbs F...) */
	bool fua;          /* blkparse, blktrace: forced unit access (rwbs .F) */
	uint64_t off, len; /* bytes */
	double measured;   /* validate: the drive's measured service time, seconds; else -1 */
	uint32_t line;
};

/* Per-file reading state a reader may keep (iolog versions and waits, blkparse summary). */
struct tr_ctx {
	int version;       /* iolog: 2 or 3 once the header was read */
	int want_version;  /* iolog2/iolog3: the header must say this; 0: either */
	double wait;       /* iolog v2: the sum of `wait` actions so far; validate: of the think
	                      times; seconds */
	bool summary;      /* blkparse: inside the per-CPU summary at the end */
	GHashTable *files; /* iolog: file name -> its number + 1 (in `add` order) */
};

struct tr_format {
	const char *name;
	const char *summary;
	bool closed_loop; /* the next request follows the previous completion */
	int want_version; /* copied into tr_ctx (iolog2, iolog3) */
	/* Parse one non-empty, non-comment line split on blanks and commas; false + *err
	 * (without file:line: the caller adds them) on a bad line.  Return true with *skip to
	 * ignore a line (headers, events a replay does not use). */
	bool (*parse)(struct tr_ctx *c, char **fields, int nfields, struct tr_rec *out, bool *skip,
	              GError **err);
	/* Optional: after the whole file, keep the records a replay uses (blkparse: the
	 * events at ARRIVAL, 'Q' or 'D', or the completions when there are none). */
	void (*finish)(GArray *recs, char arrival);
	/* The field that gives arrival times, named when they go backwards (trace.c note 4);
	 * NULL when the times are gaps (validate's think times). */
	const char *time_field;
	/* blktrace's binary files (trace.c note 6): read whole, not line by line (parse is
	 * NULL); PATH is one per-CPU file or the NAME of NAME.blktrace.N. */
	bool binary;
};

const struct tr_format *tr_format_find(const char *name);
/* "validate|ascii|mqsim|..." for messages. */
const char *tr_format_names(void);

/* Read PATH in FORMAT; keep only device DEVNO (or all when DEVNO < 0); every request must
 * end within CAPACITY sectors (0: no check).  Records are in file order, their times within
 * SCN_MAX_SECONDS and never going backwards (trace.c note 4).  NULL + *err on bad input
 * (SCN_ERROR_FILE when the file itself cannot be read). */
GArray *tr_read(const char *path, const struct tr_format *f, int devno, uint64_t capacity,
                GError **err);
/* tr_read with the blkparse/blktrace event a request arrives at: 'Q' (queued, the default)
 * or 'D' (dispatched to the driver); ignored by the other formats. */
GArray *tr_read_at(const char *path, const struct tr_format *f, int devno, uint64_t capacity,
                   char arrival, GError **err);

#endif

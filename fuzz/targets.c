/*
 * targets.c -- the bodies of the fuzz targets, shared by the libFuzzer drivers (fuzz/fuzz.c,
 * built by `make fuzz`) and by the regression replay in `make check` (tests/test_bad.c
 * includes this file and feeds every kept corpus input and crasher through it).
 *
 * (1) Every target writes its input to a file in a private temporary directory and calls the
 *     reader exactly as the command line does: the readers take paths, and `include` /
 *     `spec=` / `seek=` resolve relative to the file, so a fuzz input can name its neighbours.
 * (2) A reader must either accept the input or return false with a message that names the
 *     file (and a line, except for whole-file problems); a NULL or empty message is a bug and
 *     aborts, as would a crash, a leak (ASan) or undefined behaviour (UBSan).
 * (3) What a reader accepts must keep its contract: a trace's times are finite, within
 *     SCN_MAX_SECONDS and never go backwards (trace.c note 4; the replay cannot run here,
 *     one simulation a process, so the contract stands in for it); a drive that is read
 *     builds into a model.
 * (4) `include` and `source` resolve to neighbouring files: the include and source targets
 *     split their input at lines "%%%" into up to FZ_NFILES files (f0, f1, ...; every one
 *     written, empty if absent, so nothing is left from an earlier input) and read f0, so
 *     the fuzzer can build chains, cycles and fan-outs between files.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/disk_mech.h"
#include "sim/diskspec.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/trace.h"

/* The fuzz targets, by name: fz_find("scenario") etc. */
struct fz_target {
	const char *name;
	int (*fn)(const uint8_t *data, size_t size);
};

static char *fz_dir;

static void
fz_cleanup(void)
{
	if (!fz_dir)
		return;
	GDir *d = g_dir_open(fz_dir, 0, NULL);
	const char *e;
	while (d && (e = g_dir_read_name(d))) {
		char *p = g_build_filename(fz_dir, e, NULL);
		g_unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(fz_dir);
}

/* Write DATA to NAME in the private directory; the path is newly allocated. */
static char *
fz_file(const char *name, const uint8_t *data, size_t size)
{
	if (!fz_dir) {
		fz_dir = g_dir_make_tmp("vnodesim-fuzz-XXXXXX", NULL);
		if (!fz_dir)
			abort();
		atexit(fz_cleanup);
	}
	char *path = g_build_filename(fz_dir, name, NULL);
	FILE *f = fopen(path, "wb"); /* not g_file_set_contents: it fsyncs a replaced file */
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	return path;
}

/* A refusal must carry a message (note 2); which file it names is the bad-input corpus's
 * business (an error may be in an included or referenced file). */
static void
fz_refused(GError *e)
{
	if (!e || !e->message || !*e->message)
		abort();
	g_error_free(e);
}

/* Job-file mode, then the whole check `vnodesim check` does (disk, file system, jobs). */
static int
fz_scenario(const uint8_t *data, size_t size)
{
	char *path = fz_file("fuzz.ini", data, size);
	GError *e = NULL;
	struct scn *s = scn_load(path, SCN_JOBFILE, &e);
	if (!s) {
		fz_refused(e);
	} else {
		if (!run_check(s, &e))
			fz_refused(e);
		scn_free(s);
	}
	g_free(path);
	return 0;
}

/* Plain mode (the parser under .disk files). */
static int
fz_plain(const uint8_t *data, size_t size)
{
	char *path = fz_file("fuzz.ini", data, size);
	GError *e = NULL;
	struct scn *s = scn_load(path, SCN_PLAIN, &e);
	if (s)
		scn_free(s);
	else
		fz_refused(e);
	g_free(path);
	return 0;
}

/* Each input line is one --set SECTION.KEY=VALUE over a small valid scenario, then check. */
static int
fz_set(const uint8_t *data, size_t size)
{
	static const char base[] = "[global]\nfilename=/dev/sim0\nbs=4k\nnumber_ios=100\n"
	                           "[j]\nrw=randread\n[disk]\nmodel=ssd\n";
	char *path = fz_file("set.ini", (const uint8_t *)base, sizeof base - 1);
	GError *e = NULL;
	struct scn *s = scn_load(path, SCN_JOBFILE, &e);
	if (!s)
		abort(); /* the base scenario is valid */
	char *text = g_strndup((const char *)data, size);
	char **lines = g_strsplit(text, "\n", 16);
	bool ok = true;
	for (char **l = lines; ok && *l; l++)
		if (**l && !(ok = scn_set(s, *l, &e)))
			fz_refused(e), e = NULL;
	if (ok && !run_check(s, &e))
		fz_refused(e);
	g_strfreev(lines);
	g_free(text);
	scn_free(s);
	g_free(path);
	return 0;
}

static int
fz_trace(const char *format, const uint8_t *data, size_t size)
{
	char *path = fz_file("fuzz.trace", data, size);
	const struct tr_format *f = tr_format_find(format);
	GError *e = NULL;
	if (!f) { /* a format this build does not have */
		g_free(path);
		return 0;
	}
	/* capacity of a small disk: requests beyond it must be refused, not wrapped */
	GArray *recs = tr_read(path, f, -1, 1u << 20, &e);
	if (recs) {
		/* the time contract (note 3): per blkparse event stream, else in file order;
		 * validate's times are think times, bounded in sum */
		double last[4] = {0, 0, 0, 0}, sum = 0;
		for (guint i = 0; i < recs->len; i++) {
			const struct tr_rec *r = &g_array_index(recs, struct tr_rec, i);
			int k = r->action == 'Q'   ? 1
			        : r->action == 'C' ? 2
			        : r->action == 'D' ? 3
			                           : 0;
			if (!isfinite(r->t) || r->t < 0 || r->t > SCN_MAX_SECONDS)
				abort();
			if (f->time_field && r->t < last[k])
				abort();
			last[k] = r->t;
			sum += r->t;
		}
		if (!f->time_field && sum > SCN_MAX_SECONDS * (1 + 1e-12))
			abort();
		g_array_free(recs, TRUE);
	} else {
		fz_refused(e);
	}
	g_free(path);
	return 0;
}

static int
fz_trace_validate(const uint8_t *data, size_t size)
{
	return fz_trace("validate", data, size);
}

static int
fz_trace_ascii(const uint8_t *data, size_t size)
{
	return fz_trace("ascii", data, size);
}

static int
fz_trace_mqsim(const uint8_t *data, size_t size)
{
	return fz_trace("mqsim", data, size);
}

static int
fz_trace_spc(const uint8_t *data, size_t size)
{
	return fz_trace("spc", data, size);
}

static int
fz_trace_blkparse(const uint8_t *data, size_t size)
{
	return fz_trace("blkparse", data, size);
}

/* blktrace's binary records (one per-CPU file) */
static int
fz_trace_blktrace(const uint8_t *data, size_t size)
{
	return fz_trace("blktrace", data, size);
}

static int
fz_trace_iolog(const uint8_t *data, size_t size)
{
	return fz_trace("iolog", data, size);
}

/* A disk description read, then built into a model as disk_create does. */
static int
fz_diskfile(const char *name,
            bool (*rd)(const char *, struct mech_params *, GPtrArray *, GError **),
            const uint8_t *data, size_t size)
{
	char *path = fz_file(name, data, size);
	struct mech_params p;
	GPtrArray *warn = g_ptr_array_new_with_free_func(g_free);
	GError *e = NULL;
	if (rd(path, &p, warn, &e)) {
		struct mech *m = mech_new(&p, &e);
		if (!m) /* the reader checked the drive: the model must build (note 3) */
			abort();
		mech_free(m);
		mech_params_clear(&p);
	} else {
		fz_refused(e);
	}
	g_ptr_array_free(warn, TRUE);
	g_free(path);
	return 0;
}

static int
fz_diskspecs(const uint8_t *data, size_t size)
{
	return fz_diskfile("fuzz.diskspecs", dspec_read_diskspecs, data, size);
}

static int
fz_disk(const uint8_t *data, size_t size)
{
	return fz_diskfile("fuzz.disk", dspec_read_disk, data, size);
}

#define FZ_NFILES 4

/* Split DATA at "\n%%%\n" into f0.EXT .. f3.EXT (note 4); the path of f0. */
static char *
fz_files(const char *ext, const uint8_t *data, size_t size)
{
	static const char sep[] = "\n%%%\n";
	char *path0 = NULL;
	size_t pos = 0;
	for (int i = 0; i < FZ_NFILES; i++) {
		size_t end = size;
		for (size_t j = pos; i + 1 < FZ_NFILES && j + sizeof sep - 1 <= size; j++)
			if (!memcmp(data + j, sep, sizeof sep - 1)) {
				end = j;
				break;
			}
		if (pos > size)
			pos = end = size;
		char name[32];
		snprintf(name, sizeof name, "f%d.%s", i, ext);
		char *p = fz_file(name, data + pos, end - pos);
		if (i == 0)
			path0 = p;
		else
			g_free(p);
		pos = end + sizeof sep - 1;
	}
	return path0;
}

/* A job file with includes between up to four files, then the whole check. */
static int
fz_include(const uint8_t *data, size_t size)
{
	char *path = fz_files("ini", data, size);
	GError *e = NULL;
	struct scn *s = scn_load(path, SCN_JOBFILE, &e);
	if (!s) {
		fz_refused(e);
	} else {
		if (!run_check(s, &e))
			fz_refused(e);
		scn_free(s);
	}
	g_free(path);
	return 0;
}

/* A DiskSim file with `source`s between up to four files, built into a model. */
static int
fz_source(const uint8_t *data, size_t size)
{
	char *path = fz_files("diskspecs", data, size);
	struct mech_params p;
	GError *e = NULL;
	if (dspec_read_diskspecs(path, &p, NULL, &e)) {
		struct mech *m = mech_new(&p, &e);
		if (!m) /* the reader checked the drive: the model must build (note 3) */
			abort();
		mech_free(m);
		mech_params_clear(&p);
	} else {
		fz_refused(e);
	}
	g_free(path);
	return 0;
}

static const struct fz_target fz_targets[] = {
    {"scenario", fz_scenario},
    {"plain", fz_plain},
    {"set", fz_set},
    {"trace_validate", fz_trace_validate},
    {"trace_ascii", fz_trace_ascii},
    {"trace_mqsim", fz_trace_mqsim},
    {"trace_spc", fz_trace_spc},
    {"trace_blkparse", fz_trace_blkparse},
    {"trace_blktrace", fz_trace_blktrace},
    {"trace_iolog", fz_trace_iolog},
    {"diskspecs", fz_diskspecs},
    {"disk", fz_disk},
    {"include", fz_include},
    {"source", fz_source},
};

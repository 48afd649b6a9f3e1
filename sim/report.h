/*
 * report.h -- the design-review page (`make report`, `vnodesim report`): one self-contained
 * results/report/index.html over the compare directories of several workloads, and the
 * stamps that let compare reuse results whose scenario and program are unchanged.
 *
 * The page embeds its PNG figures (data: URIs), so it can be mailed or moved alone; its
 * links point into the page (#workload anchors) or at copies it makes beside itself
 * (REPORT/<workload>/: the scenario, summary.csv, the SVG figures, commands.txt).
 */
#ifndef VN_REPORT_H
#define VN_REPORT_H

#include <glib.h>
#include <stdbool.h>

/* What makes a result directory current: the program's build id (SHA-256 of its sources),
 * the content of every input read since scn_inputs_reset() (the scenario, its includes,
 * disk and DiskSim files, traces: scn_inputs_digest) and the options that shape the results
 * (OPTIONS, canonical text).  Newly allocated. */
char *rep_stamp(const char *scenario, const char *options);

struct rep_workload {
	const char *scenario; /* the scenario file */
	const char *dir;      /* its compare directory */
	const char *command;  /* the compare command line that produced it */
	int status;           /* its exit status: not 0 = no results, the page says so */
};

/* Write OUT/index.html (and OUT/<workload>/ copies) for the N workloads.  SEEDS is the
 * number of seeds the comparisons used (stated on the page).  false + *err on failure. */
bool rep_write(const struct rep_workload *w, int n, int seeds, const char *out, GError **err);

#endif

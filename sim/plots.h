/*
 * plots.h -- the figures of DESIGN.md §6 (gnuplot, scripts in results/): per-run digests for
 * the plots (latency CDF points, time breakdown, lock-holding timeline), the figures of a
 * compare directory, and gnuplot itself for the sweep plot and the heat map.
 */
#ifndef VN_PLOTS_H
#define VN_PLOTS_H

#include <glib.h>
#include <stdbool.h>

/* In a child, after a run wrote RUNDIR/requests.csv and RUNDIR/locks.csv: write the small
 * digests the plots use (latency_cdf.csv, request_means.csv, holds.csv) and delete the big
 * files unless KEEP_REQUESTS / KEEP_TIMELINE.  Missing inputs are skipped. */
bool plot_digest(const char *rundir, bool keep_requests, bool keep_timeline, GError **err);

/* Run gnuplot SCRIPT with `dat`, `out` (path without extension: the script writes out.png
 * and out.svg) and EXTRA (more gnuplot assignments, or NULL).  If CMD is not NULL the
 * equivalent shell command is appended to it.  false + *err on failure. */
bool plot_gnuplot(const char *script, const char *dat, const char *out, const char *extra,
                  GString *cmd, GError **err);

/* The plots of a compare directory DIR (DIR/plots/NAME.png, .svg and .dat):
 * throughput per policy with CI and correctness counters, latency CDF, time breakdown,
 * lock-holding timeline.  POLICIES in the order to show.  CMDS (or NULL) receives one line
 * per figure: "NAME<TAB>command".  false + *err on failure. */
bool plot_compare(const char *dir, char **policies, GString *cmds, GError **err);

#endif

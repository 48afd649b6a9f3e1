/*
 * cli.h -- what the commands (sim/cmd_*.c) share: option parsing and bad-input messages,
 * loading a scenario with its --set overrides, the policies a command runs, each run's
 * directory and process, and gathering the runs' parts into DIR/summary.csv and timing.csv.
 *
 * Every message goes to stderr as "vnodesim: ..."; a function that reports bad input
 * returns CLI_EXIT_BAD (or false / NULL after printing), so a command passes it on as its
 * exit status (DESIGN.md §8: 2 = bad input).  No state but the SimGrid options main() set aside.
 */
#ifndef VN_CLI_H
#define VN_CLI_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/run.h"

#define CLI_EXIT_BAD 2

/* The --cfg=/--log= options main() set aside for SimGrid (NULL-terminated; empty until
 * cli_set_simgrid_args).  ARGS must outlive every run. */
void cli_set_simgrid_args(const char *const *args);
const char *const *cli_simgrid_args(void);

/* Print "vnodesim: MESSAGE" on stderr; returns CLI_EXIT_BAD. */
int cli_bad(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* The same with ERR's message; frees ERR. */
int cli_bad_err(GError *err);

/* Parse command CMD's options (GOption; PARAMS and SUMMARY for --help).  On a usage error
 * print it and return false. */
bool cli_parse_opts(const char *cmd, const char *params, const char *summary, GOptionEntry *entries,
                    int *argc, char ***argv);

/* mkdir -p DIR; on failure print why and return false. */
bool cli_mkdir_p(const char *dir);
/* cli_mkdir_p, then check that a file can be created in DIR (a probe, removed): an output
 * directory is checked before any simulation runs.  On failure print it, false. */
bool cli_outdir_ready(const char *dir);
/* The stamp `run --stamp` writes last into its directory (rep_stamp: build id, every input
 * read since scn_inputs_reset(), and these options); a sweep computes the same text for each
 * point to decide whether the point's results are current. */
char *cli_run_stamp(const char *scenario, const char *policy, uint64_t seed, int nseeds,
                    bool requests, bool timeline, char **sets);
/* Before new runs write into DIR, move its stamp, summary.csv and timing.csv aside (NAME.prev):
 * a summary of earlier runs never sits beside newer results.  Interrupted (SIGINT/SIGTERM)
 * before any new file was written, the command puts them back (guard.h); killed outright it
 * leaves no summary.  cli_retire_done(DIR) removes the NAME.prev files once the new results
 * are complete. */
void cli_retire_results(const char *dir);
void cli_retire_done(const char *dir);

/* Apply the --set assignments SETS (NULL-terminated, may be NULL) to S; on an error print
 * it and return false. */
bool cli_apply_sets(struct scn *s, char **sets);
/* Print the scenario's warnings (options accepted but not modelled) on stderr. */
void cli_print_warnings(const struct scn *s);
/* Load SCENARIO, merge the simulator file SIM (--sim; NULL: none) and apply SETS; on an
 * error print it and return NULL.  cli_load_scenario is the same without a simulator file. */
struct scn *cli_load_scenario_sim(const char *path, const char *sim, char **sets);
/* The --sim option's entry, one wording for every command that takes a scenario. */
#define CLI_OPT_SIM(var)                                                                           \
	{                                                                                          \
		"sim", 0, 0, G_OPTION_ARG_FILENAME, &(var),                                        \
		    "The simulator's sections ([disk] [host] [fs] [policy] [block] [sim] "         \
		    "[job:NAME]) in "                                                              \
		    "their own file: SCENARIO stays a pure fio job file",                          \
		    "FILE"                                                                         \
	}
struct scn *cli_load_scenario(const char *path, char **sets);
/* scn_load (SCN_JOBFILE) and, when SIM, scn_load_sim: the scenario as a command loads it. */
struct scn *cli_scn_load(const char *path, const char *sim, GError **err);
/* The same from fio's command-line form: the job options JOBARGS (NULL-terminated; "--KEY=V"
 * at argument positions POS) and the job file PATH (may be NULL): scn_load_args. */
struct scn *cli_load_jobs(const char *path, char **jobargs, const int *pos, const char *sim,
                          char **sets);
/* Take fio's job options out of *ARGV (fio's command-line form): every "--KEY[=VALUE]" whose
 * KEY is not one of the command's own options, which are the GOption ENTRIES (the next
 * argument is an option's value when it takes one and has no '='), is moved in order to
 * JOBARGS (newly allocated char *: give the array g_free) with its position in POS (int);
 * "--" ends the options.  As fio's getopt, "--KEY VALUE" is "--KEY=VALUE" for a fio option
 * that takes a value (all but fio's flags: time_based, norandommap, ...). */
void cli_split_job_args(GOptionEntry *entries, int *argc, char **argv, GPtrArray *jobargs,
                        GArray *pos);

/* Every policy of POLS must exist and, when JUDGE, accept the scenario's [policy] matrix=
 * with its own classes; on an error print it (naming CMD's option OPT) and return false. */
bool cli_check_policies(struct scn *s, char **pols, const char *cmd, const char *opt, bool judge);
/* The policies a comparison runs: ARG (--policies), else FROM_SIM ([sim] policies), else all
 * of them; "all" means every policy in the order of `vnodesim policies`.  g_strfreev it. */
char **cli_policies(const char *arg, const char *from_sim);

/* The directory of the run of POLICY with the K-th seed (seed SEED0 + K) under OUTDIR:
 * OUTDIR/POLICY for the first seed, OUTDIR/POLICY/seed-N for the others.  g_free it. */
char *cli_seed_dir(const char *outdir, const char *policy, uint64_t seed0, int k);

/* Run one simulation in a child process; returns its exit status (128 + signal if it died). */
int cli_fork_run(const struct scn *s, const struct run_opts *o);

/* Gather the runs' DIR/<policy>[/seed-N]/{summary,timing}.part (removed) into
 * OUTDIR/summary.csv and timing.csv; SUMMARY receives summary.csv's text.  false (after a
 * message) when a part is missing or a file cannot be written. */
bool cli_gather(const char *outdir, char **policies, uint64_t seed0, int nseeds, GString *summary);

/* Print a readable table of summary.csv text CSV's main columns (found by name) on stdout;
 * cli_summary_text returns it instead (g_free it). */
void cli_print_summary(const char *csv);
char *cli_summary_text(const char *csv);

/* --seed not given: [sim] seed */
#define SEED_UNSET G_MININT64
/* --seed as given is SEED_UNSET or >= 0; else the message for CMD and false. */
bool cli_seed_ok(const char *cmd, gint64 seed);
/* --output-format FMT (fio's names: normal, json, json+, comma-separated; NULL: normal):
 * *plus when json+ is among them.  Else the message for CMD and false. */
bool cli_output_format(const char *cmd, const char *fmt, bool *plus);

#endif

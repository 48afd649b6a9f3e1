/*
 * scenario.h -- a scenario: an fio job file plus the simulator sections, read through GKeyFile
 * after a normalising pass that keeps a line map, so every value knows the file:line it came
 * from and every message can name it.
 *
 * Sections: the simulator sections [host] [disk] [fs] [policy] [sim] (each at most once),
 * [global] (fio's: applies to the jobs that follow it), and one job per other section
 * (duplicate names are separate jobs, as fio treats them).  In SCN_PLAIN mode (disk files)
 * every section is a plain named section and no fio rules apply.
 *
 * Errors are GErrors in SCN_ERROR whose message begins "FILE:LINE: " and names the key; the
 * command line turns them into exit status 2.  A value set by scn_set() has the origin
 * "--set SECTION.KEY=VALUE" in messages (scn_where: file "--set", line 0).
 *
 * Syntax (both modes): ';' and '#' start a comment anywhere on a line (as fio), blanks around
 * '=' are dropped, a bare KEY has no value (true for scn_get_bool, "needs a value" for the
 * other getters), a repeated key in one section: the last wins.  `include FILE` (fio's
 * directive) reads FILE's KEY=VALUE lines into the current section; FILE is relative to the
 * including file.  $VAR and ${VAR} are kept as written.
 */
#ifndef VN_SCENARIO_H
#define VN_SCENARIO_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define SCN_ERROR (scn_error_quark())
GQuark scn_error_quark(void);
/* SCN_ERROR_FILE: the file itself cannot be read (missing, not a regular file, too large);
 * a caller that read its name from a key names that key too. */
enum { SCN_ERROR_BAD_INPUT = 1, SCN_ERROR_FILE = 2 };

enum scn_mode { SCN_JOBFILE, SCN_PLAIN };

struct scn;      /* a loaded file */
struct scn_sect; /* a section (simulator section, job, or plain section) */

/* Load PATH.  Returns NULL and sets *err (file:line and key) on any problem. */
struct scn *scn_load(const char *path, enum scn_mode mode, GError **err);
/* fio's command-line form (`fio --bs=4k --name=a --rw=read ... [JOBFILE]`): ARGS[i] is one
 * job option "--KEY=VALUE" (or a bare "--KEY") found at argument position POS[i] of the
 * command line.  Options before the first --name form a [global] of their own, each
 * --name=NAME starts a job (--name=global a [global]), and the jobs of PATH (may be NULL)
 * follow them, as fio orders them: the command line's [global] applies to PATH's jobs too.
 * The values go through the same loader as a file's; their origin in messages is "command
 * line, argument N (--KEY=VALUE)".  The scenario is named after PATH, else after the first
 * job.  NULL + *err on any problem. */
struct scn *scn_load_args(const char *path, char *const *args, const int *pos, int nargs,
                          GError **err);
/* Merge the simulator file PATH (--sim) into S: sections [host] [disk] [block] [fs]
 * [policy] [sim] (each once, in S or PATH, not both) and [job:NAME], whose keys (the
 * simulator's own job keys, e.g. concurrent=1; a fio option there is an error) go into every
 * job named NAME.  Values keep PATH:LINE as their origin.  Any other section, or a
 * [job:NAME] naming no job of S, is an error naming PATH:LINE.  Call it before scn_set. */
bool scn_load_sim(struct scn *s, const char *path, GError **err);
/* The effective scenario as sorted text, "[SECTION] KEY=VALUE" per simulator key and
 * "job I [NAME] KEY=VALUE" per job key (its [global]s' included): two scenarios that give
 * the same text are the same scenario (the split shipped scenarios' test).  g_free it. */
char *scn_describe(const struct scn *s);
/* An empty scenario (all defaults), named NAME; used by replay/validate. */
struct scn *scn_new_empty(const char *name);
void scn_free(struct scn *s);

/* Apply one --set SECTION.KEY=VALUE.  SECTION is a simulator section, "global" (every job
 * too) or a job name.  Origin in messages: "--set SECTION.KEY=VALUE". */
bool scn_set(struct scn *s, const char *assignment, GError **err);

const char *scn_path(const struct scn *s); /* as given */
const char *scn_name(const struct scn *s); /* file name without directory and .ini */
/* Warnings gathered while loading (unmodelled fio options, ...), one string each. */
const GPtrArray *scn_warnings(const struct scn *s);

/* A simulator section (or, in SCN_PLAIN mode, any section) by name; an absent section
 * is returned as an empty one, never NULL. */
const struct scn_sect *scn_section(const struct scn *s, const char *name);
/* Sections in file order (e.g. [zone 0], [zone 1], ...); in SCN_JOBFILE mode every section,
 * [global]s and jobs included. */
guint scn_nsections(const struct scn *s);
const struct scn_sect *scn_section_at(const struct scn *s, guint i);
const char *scn_sect_name(const struct scn_sect *sec);

/* Jobs in file order; a job's lookups fall back to the [global] in effect before it. */
guint scn_njobs(const struct scn *s);
const struct scn_sect *scn_job(const struct scn *s, guint i);

/* Lookups.  Each returns true on success (the default when the key is absent) and false
 * with *err set ("FILE:LINE: [sect] KEY: ...") when the value is malformed or out of
 * [min, max]. */
bool scn_has(const struct scn_sect *sec, const char *key);
bool scn_get_str(const struct scn_sect *sec, const char *key, const char *def, const char **out,
                 GError **err);
bool scn_get_int(const struct scn_sect *sec, const char *key, int64_t def, int64_t min, int64_t max,
                 int64_t *out, GError **err);
bool scn_get_double(const struct scn_sect *sec, const char *key, double def, double min, double max,
                    double *out, GError **err);
/* fio size syntax: 4k, 1m, 2g, 1.5M, ... (fio's kb_base=1024 default, where k/m/g/t/p[b] are
 * powers of 1024 and, as fio documents it, ki/kib/mi/... are powers of 1000: 4KiB = 4000). */
bool scn_get_size(const struct scn_sect *sec, const char *key, uint64_t def, uint64_t *out,
                  GError **err);
/* 0/1, true/false, yes/no, on/off; a bare key ("time_based") is true. */
bool scn_get_bool(const struct scn_sect *sec, const char *key, bool def, bool *out, GError **err);
/* A path value resolved against the directory of the file that named it (newly allocated;
 * *out = NULL when absent; a --set value is left relative to the current directory). */
bool scn_get_path(const struct scn_sect *sec, const char *key, char **out, GError **err);

/* Where KEY's value came from (file and line; line 0 for --set); false if absent. */
bool scn_where(const struct scn_sect *sec, const char *key, const char **file, int *line);
/* Set *err to "FILE:LINE: [sect] KEY: <printf message>"; always returns false. */
bool scn_error(const struct scn_sect *sec, const char *key, GError **err, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Every key in SEC must be in the NULL-terminated list KNOWN, else an error naming it. */
bool scn_check_keys(const struct scn_sect *sec, const char *const *known, GError **err);
/* Keys of SEC (own keys only, in file order), for iteration. */
guint scn_nkeys(const struct scn_sect *sec);
const char *scn_key_at(const struct scn_sect *sec, guint i);

/* Job keys ([global] and every job): a key in MODELLED is fine; a key that is a real fio
 * option but not modelled is collected into ONE warning listing them all (scn_warnings);
 * anything else is an error naming file:line and the key. */
bool scn_check_job_keys(struct scn *s, const char *const *modelled, GError **err);
/* Is NAME one of fio's own option names (fio_options.c)? */
bool scn_is_fio_option(const char *name);

/* Read PATH whole into *DATA (NUL-terminated; *LEN bytes, not counting the NUL; g_free it).
 * Only a regular file is read: it is opened without blocking (a FIFO would wait for a
 * writer) and checked with fstat on the opened descriptor, so a FIFO, device, directory or
 * socket is refused by name.  false + *err in G_FILE_ERROR ("PATH: ...") when it cannot be
 * opened or read, is not a regular file (G_FILE_ERROR_INVAL), or holds more than MAX bytes
 * (G_FILE_ERROR_FAILED, that case only).  Every reader of an input file uses it. */
bool scn_read_input(const char *path, uint64_t max, char **data, size_t *len, GError **err);

/* The inputs this process has read (every scn_read_input that succeeded: scenarios and
 * their includes, disk files, DiskSim .parv/.diskspecs/.model/.seek files and whatever they
 * `source`, traces), for the stamps that decide whether a result is still current:
 * scn_inputs_digest() is one line "input SHA256\n" per distinct content (SHA-256 of the
 * bytes read), sorted, newly allocated; scn_inputs_reset() forgets them (call it before
 * loading what a stamp is to cover).  scn_inputs_note records one (scn_read_input calls it). */
void scn_inputs_note(const char *path, const char *data, size_t len);
void scn_inputs_reset(void);
char *scn_inputs_digest(void);

/* The longest simulated time a value may give: an arrival time in a trace, a runtime,
 * ramp_time, startdelay, thinktime.  90 days (7,776,000 s), under 2^23 s, so the simulated
 * clock (seconds in a double) still resolves 2^-30 s (about 1 ns) there, 20 times finer
 * than the finest modelled cost (lock_node_ns, 20 ns).  A month-long trace fits. */
#define SCN_MAX_SECONDS 7776000.0

/* fio's size parser, exposed for traces and tests: "4k" -> 4096.  false on junk. */
bool scn_parse_size(const char *text, uint64_t *out);

#endif

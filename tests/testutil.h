/*
 * testutil.h -- shared helpers for the Check suites.
 *
 * Every suite file defines `Suite *suite_NAME(void)` with the function name at the start of
 * a line; the Makefile finds them (build/tests/suites.inc), so adding a suite needs no edit
 * elsewhere.  Tests run from the project root in Check's fork mode.
 */
#ifndef VN_TESTUTIL_H
#define VN_TESTUTIL_H

#include <check.h>
#include <stdbool.h>

/* Absolute path of FILE under the reference data ($VNODESIM_DATA, else ../shared/data from the
 * project root), or NULL after printing "SKIP: TEST (reason)" when it is absent; under CI=true
 * an absent file fails the test instead. */
const char *tu_data(const char *test, const char *file);
/* Path of the vnodesim binary under test ($VNODESIM, default build/vnodesim). */
const char *tu_prog(void);
/* Run a shell command, capture stdout+stderr into *out (may be NULL); returns exit status. */
int tu_sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A fresh temporary directory (removed at exit of the test process, and with the runner's
 * folder $VNODESIM_TEST_TMP when the test fails). */
const char *tu_tmpdir(void);
/* Long validations run only under `make validate` (VNODESIM_VALIDATE=1). */
bool tu_validate(const char *test);

/* Column COLUMN (by name, e.g. "write_iops") of summary.csv's row for POLICY and JOB under DIR
 * (fails the test when there is no such column or row). */
double tu_summary_field(const char *dir, const char *policy, const char *job, const char *column);
/* Assert GOT is within REL (relative) of WANT, naming WHAT. */
void tu_near(double got, double want, double rel, const char *what);

struct scn;
/* Write TEXT to a fresh file NAME in tu_tmpdir() and return its path (static buffer). */
const char *tu_write(const char *name, const char *text);
/* Load TEXT as a scenario (SCN_JOBFILE); fails the test on error. */
struct scn *tu_scn(const char *text);
/* The same in SCN_PLAIN mode (sections only, no jobs needed). */
struct scn *tu_plain(const char *text);

#endif

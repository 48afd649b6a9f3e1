/* testutil.c -- helpers shared by the Check suites (see testutil.h). */
#include <glib.h>
#include <math.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/csv.h"
#include "sim/scenario.h"
#include "tests/testutil.h"

/* The reference data's folder as one absolute path: $VNODESIM_DATA, else ../shared/data from
 * the project root (the tests' working directory), resolved once before any test changes
 * directory; NULL when absent. */
static const char *
data_root(void)
{
	static char *root;
	static bool done;
	if (!done) {
		const char *env = getenv("VNODESIM_DATA");
		char *abs = realpath(env && *env ? env : "../shared/data", NULL);
		root = abs;
		done = true;
	}
	return root;
}

const char *
tu_data(const char *test, const char *file)
{
	static char buf[4096];
	const char *root = data_root();
	const char *env = getenv("VNODESIM_DATA");
	if (root)
		snprintf(buf, sizeof buf, "%s/%s", root, file);
	if (!root || access(buf, R_OK) != 0) {
		const char *where = env && *env ? env : "../shared/data";
		/* Under CI the data is always there: a missing file is a broken setup, not a
		 * reason to skip. */
		const char *ci = getenv("CI");
		if (ci && strcmp(ci, "true") == 0)
			ck_abort_msg("%s: %s/%s not found and CI=true (set VNODESIM_DATA)", test,
			             where, file);
		printf("SKIP: %s (%s/%s not found: set VNODESIM_DATA to the reference data)\n",
		       test, where, file);
		fflush(stdout);
		return NULL;
	}
	return buf;
}

const char *
tu_prog(void)
{
	const char *p = getenv("VNODESIM");
	return p ? p : "build/vnodesim";
}

int
tu_sh(char **out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *full = g_strdup_printf("%s 2>&1", cmd);
	FILE *p = popen(full, "r");
	GString *s = g_string_new(NULL);
	char buf[4096];
	size_t n;
	while (p && (n = fread(buf, 1, sizeof buf, p)) > 0)
		g_string_append_len(s, buf, n);
	int st = p ? pclose(p) : -1;
	g_free(cmd);
	g_free(full);
	if (out)
		*out = g_string_free(s, FALSE);
	else
		g_string_free(s, TRUE);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static char *tmpdir;
static void
rm_tmpdir(void)
{
	if (tmpdir) {
		char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
		g_free(cmd);
	}
}

const char *
tu_tmpdir(void)
{
	if (!tmpdir) {
		/* Inside the runner's own folder (tests/main.c), which it removes at the end:
		 * a failing test leaves through _exit, past atexit. */
		const char *parent = getenv("VNODESIM_TEST_TMP");
		if (parent && *parent) {
			tmpdir = g_build_filename(parent, "test-XXXXXX", NULL);
			if (!g_mkdtemp(tmpdir))
				ck_abort_msg("cannot create a folder in %s", parent);
		} else {
			tmpdir = g_dir_make_tmp("vnodesim-test-XXXXXX", NULL);
		}
		ck_assert_msg(tmpdir != NULL, "cannot create a temporary folder");
		atexit(rm_tmpdir);
	}
	return tmpdir;
}

bool
tu_validate(const char *test)
{
	if (getenv("VNODESIM_VALIDATE"))
		return true;
	printf("SKIP: %s (long validation: runs under make validate)\n", test);
	fflush(stdout);
	return false;
}

const char *
tu_write(const char *name, const char *text)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
	ck_assert_msg(g_file_set_contents(path, text, -1, NULL), "cannot write %s", path);
	return path;
}

static struct scn *
load_text(const char *text, enum scn_mode mode)
{
	static int n;
	char name[64];
	snprintf(name, sizeof name, "scenario-%d.ini", n++);
	GError *err = NULL;
	struct scn *s = scn_load(tu_write(name, text), mode, &err);
	ck_assert_msg(s != NULL, "scenario does not load: %s", err ? err->message : "?");
	return s;
}

struct scn *
tu_scn(const char *text)
{
	return load_text(text, SCN_JOBFILE);
}

struct scn *
tu_plain(const char *text)
{
	return load_text(text, SCN_PLAIN);
}

double
tu_summary_field(const char *dir, const char *policy, const char *job, const char *column)
{
	char *path = g_build_filename(dir, "summary.csv", NULL), *text = NULL;
	ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "no %s", path);
	double v = NAN;
	char **lines = g_strsplit(text, "\n", -1);
	char **hdr = csv_split(lines[0]);
	int c_pol = -1, c_job = -1, c_val = -1; /* the header's positions of the names */
	for (int i = 0; hdr[i]; i++) {
		c_pol = !strcmp(hdr[i], "policy") ? i : c_pol;
		c_job = !strcmp(hdr[i], "job") ? i : c_job;
		c_val = !strcmp(hdr[i], column) ? i : c_val;
	}
	ck_assert_msg(c_pol >= 0 && c_job >= 0 && c_val >= 0, "%s: no column %s", path, column);
	int need = MAX(c_val, MAX(c_pol, c_job));
	for (char **l = lines + 1; *l && **l; l++) {
		char **f = csv_split(*l);
		if ((int)g_strv_length(f) > need && !strcmp(f[c_pol], policy) &&
		    !strcmp(f[c_job], job))
			v = g_ascii_strtod(f[c_val], NULL);
		g_strfreev(f);
	}
	g_strfreev(hdr);
	g_strfreev(lines);
	g_free(text);
	g_free(path);
	ck_assert_msg(!isnan(v), "no row %s/%s in %s", policy, job, dir);
	return v;
}

void
tu_near(double got, double want, double rel, const char *what)
{
	ck_assert_msg(fabs(got - want) <= rel * want, "%s: %.3f, expected %.3f (within %.2g%%)",
	              what, got, want, rel * 100);
}

/*
 * test_slurm.c -- `sweep --slurm` on a real Slurm: tests/slurm/cluster.sh starts a one-node
 * cluster of Debian's slurmctld and slurmd with their own configuration (auth/none, free
 * ports, state and logs in the test's folder, MaxArraySize=3 so that four points take two
 * array jobs), tests/slurm/sweep.sh writes a four-point sweep's script from the project root
 * with the relative build/vnodesim and no $VNODESIM, submits it with sh, waits for the queue
 * to empty and stops the cluster; this file checks what it left: two array jobs and a merge
 * job, every point done, the merged summary.csv byte-identical to the same sweep run
 * locally, and no absolute path of the program in the script or its job list.  Without
 * Slurm the test prints SKIP, except under CI=true, where it fails.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

static const char tiny[] = "[global]\nfilename=shared\nsize=1m\nbs=16k\nioengine=psync\n"
                           "number_ios=60\n"
                           "[writers]\nrw=randwrite\ndirect=1\nnumjobs=2\n"
                           "[readers]\nrw=randread\nnumjobs=2\n";

static char *
slurp(const char *dir, const char *file)
{
	char *p = g_build_filename(dir, file, NULL), *text = NULL;
	g_file_get_contents(p, &text, NULL, NULL);
	g_free(p);
	return text;
}

START_TEST(test_slurm_sweep)
{
	const char *t = tu_tmpdir();
	tu_write("tiny.ini", tiny);
	const char *ci = getenv("CI");
	bool must = ci && !strcmp(ci, "true");
	char *out = NULL;
	int st = tu_sh(&out, "timeout -s TERM 120 sh tests/slurm/sweep.sh %s %s", tu_prog(), t);
	if (st == 77 && !must) {
		char *nl = strchr(out, '\n');
		if (nl)
			*nl = '\0';
		printf("SKIP: test_slurm_sweep (%s)\n", out);
		g_free(out);
		return;
	}
	ck_assert_msg(st == 0, "tests/slurm/sweep.sh exited %d%s:\n%s", st,
	              st == 77 ? " (Slurm cannot run here, and CI=true)" : "", out);
	g_free(out);
	/* four points under MaxArraySize=3: two array jobs (3 + 1 tasks), then the merge */
	char *sw = slurp(t, "sweep.out"), *sub = slurp(t, "submit.out");
	ck_assert_msg(sw && strstr(sw, "4 points") && strstr(sw, "2 array jobs of at most 3") &&
	                  strstr(sw, "from scontrol show config"),
	              "%s", sw);
	ck_assert_msg(sub && strstr(sub, "submitted: points in job") && strstr(sub, "merge in job"),
	              "%s", sub);
	/* the program is named as the submitter ran it (relative), never by an absolute path */
	char *cwd = g_get_current_dir();
	char *script = slurp(t, "sw.sh"), *jl = slurp(t, "sw.sh.joblist");
	ck_assert(script && jl);
	ck_assert_msg(!strstr(script, cwd) && !strstr(jl, cwd), "absolute path %s in:\n%s\n%s", cwd,
	              script, jl);
	if (!g_path_is_absolute(tu_prog())) {
		char *word = g_strdup_printf("\"${VNODESIM:-%s}\" run ", tu_prog());
		ck_assert_msg(strstr(jl, word), "%s not in %s", word, jl);
		g_free(word);
	}
	ck_assert(strstr(script, "#SBATCH --mem=") && strstr(script, "--array=0-2%2") &&
	          strstr(script, "--array=0-0%2"));
	/* the merge job's summary equals the same sweep run here */
	char *ref = g_build_filename(t, "ref", NULL);
	ck_assert_int_eq(tu_sh(&out,
	                       "%s sweep %s/tiny.ini --vary host.cores=1,2 --policies "
	                       "serial,none --out %s -q",
	                       tu_prog(), t, ref),
	                 0);
	g_free(out);
	char *merged_dir = g_build_filename(t, "sw", NULL);
	char *a = slurp(ref, "summary.csv"), *b = slurp(merged_dir, "summary.csv");
	ck_assert(a && b);
	ck_assert_str_eq(a, b);
	g_free(a);
	g_free(b);
	g_free(merged_dir);
	g_free(ref);
	g_free(script);
	g_free(jl);
	g_free(cwd);
	g_free(sw);
	g_free(sub);
}
END_TEST

Suite *
suite_slurm(void)
{
	Suite *s = suite_create("slurm");
	TCase *tc = tcase_create("slurm");
	tcase_set_timeout(tc, 150);
	tcase_add_test(tc, test_slurm_sweep);
	suite_add_tcase(s, tc);
	return s;
}

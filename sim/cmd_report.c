/*
 * cmd_report.c -- `vnodesim report [SCENARIO...]`: run `vnodesim compare --reuse` on each
 * scenario (every .ini file in scenarios/ by default) as a child program, then write one
 * self-contained page (report.h).
 *
 * (1) A workload whose comparison fails still leaves a page: its section says it failed,
 *     and the command's exit status is the failure's (2 for bad input, else 1).
 * (2) Each comparison is a child `vnodesim compare --reuse` (this very program), so a
 *     workload whose scenario and program are unchanged is not simulated again.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/guard.h"
#include "sim/report.h"

static gint
path_order(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cmd_report(int argc, char **argv)
{
	char *out = NULL, *results = NULL, *sim = NULL;
	int nseeds = 3, jobs = 0;
	gboolean quiet = FALSE;
	GOptionEntry entries[] = {
	    {"seeds", 0, 0, G_OPTION_ARG_INT, &nseeds, "Seeds per comparison (default 3)", "N"},
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Runs at once (default: the core count)",
	     "N"},
	    {"results", 'r', 0, G_OPTION_ARG_FILENAME, &results,
	     "Where the comparisons go (default results)", "DIR"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
	     "Report directory (default results/report)", "DIR"},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
	    {"sim", 0, 0, G_OPTION_ARG_FILENAME, &sim,
	     "The simulator's sections for every SCENARIO (each then a pure fio job file), "
	     "passed to each compare",
	     "FILE"},
	    {NULL}};
	int status = CLI_EXIT_BAD;
	GPtrArray *scns = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *keep = g_ptr_array_new_with_free_func(g_free);
	struct rep_workload *w = NULL;
	GError *err = NULL;
	if (!cli_parse_opts(
	        "report", "[SCENARIO...]",
	        "Compare every policy on each scenario (default: scenarios/*.ini), reusing "
	        "unchanged results, and write one self-contained page DIR/index.html.",
	        entries, &argc, &argv))
		goto done;
	if (nseeds < 1 || nseeds > 1000 || jobs < 0) {
		cli_bad("report: --seeds must be between 1 and 1000, --jobs positive");
		goto done;
	}
	if (!results)
		results = g_strdup("results");
	if (!out)
		out = g_build_filename(results, "report", NULL);
	for (int i = 1; i < argc; i++)
		g_ptr_array_add(scns, g_strdup(argv[i]));
	if (argc < 2) {
		GDir *d = g_dir_open("scenarios", 0, NULL);
		const char *e;
		while (d && (e = g_dir_read_name(d)))
			if (g_str_has_suffix(e, ".ini"))
				g_ptr_array_add(scns, g_build_filename("scenarios", e, NULL));
		if (d)
			g_dir_close(d);
		g_ptr_array_sort(scns, path_order);
	}
	if (!scns->len) {
		cli_bad("report: no scenarios (give SCENARIO... or run from the project root)");
		goto done;
	}
	w = g_new0(struct rep_workload, scns->len);
	char *prog = g_file_read_link("/proc/self/exe", NULL);
	int failed = 0;
	status = 0;
	for (guint i = 0; i < scns->len; i++) {
		const char *sp = scns->pdata[i];
		char *name = g_path_get_basename(sp);
		if (g_str_has_suffix(name, ".ini") || g_str_has_suffix(name, ".fio"))
			name[strlen(name) - 4] = '\0'; /* as scn_name */
		char *dir = g_build_filename(results, name, NULL);
		char *seeds = g_strdup_printf("%d", nseeds), *jb = g_strdup_printf("%d", jobs);
		char *cargv[] = {prog ? prog : "vnodesim",
		                 "compare",
		                 (char *)sp,
		                 "--seeds",
		                 seeds,
		                 "--out",
		                 dir,
		                 "--reuse",
		                 "-q",
		                 "--jobs", /* 0: compare's default */
		                 jb,
		                 sim ? "--sim" : NULL,
		                 sim,
		                 NULL};
		char *shown = g_strdup_printf("vnodesim compare %s --seeds %d --out %s%s%s", sp,
		                              nseeds, dir, sim ? " --sim " : "", sim ? sim : "");
		if (!quiet) {
			printf("[%u/%u] %s\n", i + 1, scns->len, shown);
			fflush(stdout);
		}
		int st = 0, cst = 0;
		if (!guard_spawn_sync((char *const *)cargv, false, false, NULL, &st, &err)) {
			status = cli_bad_err(err);
			err = NULL;
		} else if (!g_spawn_check_wait_status(st, NULL)) {
			/* the other workloads still make a page; this one says it failed */
			cst = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			fprintf(stderr, "vnodesim: report: %s failed (exit %d)\n", shown, cst);
			failed = failed ? failed : cst;
		}
		w[i] = (struct rep_workload){sp, dir, shown, cst};
		g_ptr_array_add(keep, dir);
		g_ptr_array_add(keep, shown);
		g_free(name);
		g_free(seeds);
		g_free(jb);
		if (status)
			break;
	}
	g_free(prog);
	if (status == 0) {
		if (!rep_write(w, (int)scns->len, nseeds, out, &err)) {
			fprintf(stderr, "vnodesim: report: %s\n", err->message);
			g_clear_error(&err);
			status = 1;
		} else if (!quiet) {
			printf("report: %s/index.html\n", out);
		}
		if (status == 0 && failed)
			status = failed == CLI_EXIT_BAD ? CLI_EXIT_BAD : 1;
	}
done:
	g_free(w);
	g_ptr_array_free(keep, TRUE);
	g_ptr_array_free(scns, TRUE);
	g_free(out);
	g_free(results);
	g_free(sim);
	return status;
}

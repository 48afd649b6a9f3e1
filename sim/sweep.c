/*
 * sweep.c -- the process pool, sweeps, job lists, resuming and merging (see sweep.h).
 *
 * (1) The pool forks; a task's child never returns into the caller (it _exits), so a run's
 *     SimGrid state never meets another's.
 * (2) A sweep runs exactly the command lines its job list would hold (fork + exec of this
 *     program's `run`): running locally, under GNU parallel or in a Slurm array gives the
 *     same files.
 * (3) The merged summary is recomputed from the points' files every time (compare.h (2)):
 *     nothing is appended in place, so an interrupted merge leaves the old summary whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/compare.h"
#include "sim/output.h"
#include "sim/plots.h"
#include "sim/guard.h"
#include "sim/sweep.h"

/* ---- the pool ---- */

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
progress_draw(const char *what, int done, int total, double t0)
{
	enum { WIDTH = 30 };
	int fill = total ? done * WIDTH / total : WIDTH;
	char bar[WIDTH + 1];
	for (int i = 0; i < WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[WIDTH] = '\0';
	double el = now_s() - t0;
	char eta[40] = "ETA --:--";
	if (done > 0 && done < total) {
		int s = (int)(el / done * (total - done) + 0.5);
		snprintf(eta, sizeof eta, "ETA %d:%02d", s / 60, s % 60);
	} else if (done == total) {
		snprintf(eta, sizeof eta, "done in %.0f s", el);
	}
	fprintf(stderr, "\r[%s] %d/%d %s, %s   ", bar, done, total, what, eta);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

int
sw_pool_run(struct sw_task *tasks, int n, int jobs, bool progress, const char *what)
{
	if (jobs < 1)
		jobs = (int)g_get_num_processors();
	bool bar = progress && n > 0 && isatty(STDERR_FILENO);
	pid_t *pids = g_new0(pid_t, n);
	int next = 0, running = 0, done = 0, failed = 0;
	double t0 = now_s();
	if (bar)
		progress_draw(what, 0, n, t0);
	while (done < n) {
		while (running < jobs && next < n) {
			pid_t pid = guard_fork(); /* the child: default signals; us: whom to kill */
			if (pid < 0) {
				if (running > 0)
					break; /* wait for one, then retry */
				tasks[next].status = 1;
				fprintf(stderr, "vnodesim: fork: %s\n", g_strerror(errno));
				next++;
				done++;
				failed++;
				continue;
			}
			if (pid == 0)
				_exit(tasks[next].child(tasks[next].arg));
			pids[next++] = pid;
			running++;
		}
		if (running == 0)
			continue;
		int st;
		pid_t pid = guard_wait(-1, &st);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < next; i++)
			if (pids[i] == pid) {
				pids[i] = 0;
				tasks[i].status = WIFEXITED(st)     ? WEXITSTATUS(st)
				                  : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
				                                    : 1;
				failed += tasks[i].status != 0;
				running--;
				done++;
				if (bar)
					progress_draw(what, done, n, t0);
			}
	}
	g_free(pids);
	return failed;
}

/* ---- points ---- */

char *
sw_file_sha256(const char *path)
{
	char *text;
	gsize len;
	if (!g_file_get_contents(path, &text, &len, NULL))
		return NULL;
	char *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
	g_free(text);
	return h;
}

/* Characters kept in a point's directory name; others become '_'. */
static char *
slug(const char *s)
{
	char *r = g_strdup(s);
	for (char *c = r; *c; c++)
		if (!g_ascii_isalnum(*c) && !strchr(".=-+:", *c))
			*c = '_';
	return r;
}

/* (4) A point's folder name is its values made safe (slug) with its policy and seed.  Two
 * points whose values differ only in characters slug() replaces would share a folder, and a
 * long value would exceed NAME_MAX: such a name becomes the first characters of the slug,
 * '~' and 16 hex digits of the SHA-256 of the point's exact values, policy and seed, unique
 * and at most NAME_MAX bytes.  Points keep canonical order, so the first of a colliding
 * group keeps its plain name and every rerun maps the same way; sweep.json records each. */
static void
safe_names(GPtrArray *pts, guint nk, char **keys, const char *outdir)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < pts->len; i++) {
		struct sw_point *p = pts->pdata[i];
		if (strlen(p->name) <= SW_NAME_MAX && !g_hash_table_contains(seen, p->name)) {
			g_hash_table_add(seen, p->name);
			continue;
		}
		GString *id = g_string_new(NULL);
		for (guint k = 0; k < nk; k++)
			g_string_append_printf(id, "%s=%s%c", keys[k], p->values[k], 0x1f);
		g_string_append_printf(id, "%s%c%llu", p->policy, 0x1f,
		                       (unsigned long long)p->seed);
		char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, id->str, id->len);
		g_string_free(id, TRUE);
		enum { KEEP = 200 };
		char *name = g_strdup_printf("%.*s~%.16s", KEEP, p->name, h);
		g_free(h);
		g_free(p->name);
		p->name = name;
		g_hash_table_add(seen, p->name);
		for (char **a = p->argv; *a; a++) /* the run's --out follows */
			if (!strcmp(*a, "--out") && a[1]) {
				g_free(a[1]);
				a[1] = sw_point_dir(outdir, p);
				break;
			}
	}
	g_hash_table_unref(seen);
}

static void
point_free(struct sw_point *p)
{
	g_free(p->name);
	g_strfreev(p->values);
	g_strfreev(p->argv);
	g_strfreev(p->sets);
	g_free(p->stamp);
	g_free(p);
}

char *
sw_point_dir(const char *outdir, const struct sw_point *p)
{
	return g_build_filename(outdir, "points", p->name, NULL);
}

GPtrArray *
sw_points(const struct sw_sweep *sw)
{
	GPtrArray *pts = g_ptr_array_new_with_free_func((GDestroyNotify)point_free);
	guint nk = g_strv_length(sw->keys);
	guint *idx = g_new0(guint, nk + 1);
	for (;;) {
		for (char **pol = sw->policies; *pol; pol++)
			for (int k = 0; k < sw->nseeds; k++) {
				struct sw_point *p = g_new0(struct sw_point, 1);
				p->policy = *pol;
				p->seed = sw->seed0 + (uint64_t)k;
				p->values = g_new0(char *, nk + 1);
				GString *name = g_string_new(NULL);
				for (guint i = 0; i < nk; i++) {
					char **vals = g_ptr_array_index(sw->values, i);
					p->values[i] = g_strdup(vals[idx[i]]);
					char *sl = slug(p->values[i]);
					g_string_append_printf(name, "%s=%s,", sw->keys[i], sl);
					g_free(sl);
				}
				g_string_append_printf(name, "%s,seed-%llu", *pol,
				                       (unsigned long long)p->seed);
				p->name = g_string_free(name, FALSE);
				GPtrArray *av = g_ptr_array_new();
				g_ptr_array_add(av, g_strdup(sw->prog));
				g_ptr_array_add(av, g_strdup("run"));
				g_ptr_array_add(av, g_strdup(sw->scenario));
				g_ptr_array_add(av, g_strdup("--policy"));
				g_ptr_array_add(av, g_strdup(*pol));
				g_ptr_array_add(av, g_strdup_printf("--seed=%llu",
				                                    (unsigned long long)p->seed));
				GPtrArray *sets = g_ptr_array_new();
				for (char **s = sw->sets; s && *s; s++)
					g_ptr_array_add(sets, g_strdup(*s));
				for (guint i = 0; i < nk; i++)
					g_ptr_array_add(sets, g_strdup_printf("%s=%s", sw->keys[i],
					                                      p->values[i]));
				for (guint i = 0; i < sets->len; i++) {
					g_ptr_array_add(av, g_strdup("--set"));
					g_ptr_array_add(av, g_strdup(sets->pdata[i]));
				}
				g_ptr_array_add(sets, NULL);
				p->sets = (char **)g_ptr_array_free(sets, FALSE);
				g_ptr_array_add(av, g_strdup("--out"));
				g_ptr_array_add(av, sw_point_dir(sw->outdir, p));
				g_ptr_array_add(av, g_strdup("-q"));
				g_ptr_array_add(av, g_strdup("--stamp"));
				g_ptr_array_add(av, NULL);
				p->argv = (char **)g_ptr_array_free(av, FALSE);
				g_ptr_array_add(pts, p);
			}
		/* odometer over the values, the last key fastest */
		guint i = nk;
		while (i > 0) {
			i--;
			char **vals = g_ptr_array_index(sw->values, i);
			if (vals[++idx[i]])
				break;
			idx[i] = 0;
			if (i == 0) {
				i = nk + 1;
				break;
			}
		}
		if (nk == 0 || i == nk + 1)
			break;
	}
	g_free(idx);
	safe_names(pts, nk, sw->keys, sw->outdir);
	return pts;
}

static char *
def_json(const struct sw_sweep *sw, GPtrArray *points)
{
	JsonBuilder *b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "vnodesim_sweep");
	json_builder_add_int_value(b, 1);
	json_builder_set_member_name(b, "scenario");
	json_builder_add_string_value(b, sw->scenario);
	json_builder_set_member_name(b, "scenario_sha256");
	json_builder_add_string_value(b, sw->scenario_sha256);
	json_builder_set_member_name(b, "sets");
	json_builder_begin_array(b);
	for (char **s = sw->sets; s && *s; s++)
		json_builder_add_string_value(b, *s);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "vary");
	json_builder_begin_array(b);
	for (guint i = 0; sw->keys[i]; i++) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "key");
		json_builder_add_string_value(b, sw->keys[i]);
		json_builder_set_member_name(b, "values");
		json_builder_begin_array(b);
		for (char **v = g_ptr_array_index(sw->values, i); *v; v++)
			json_builder_add_string_value(b, *v);
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "policies");
	json_builder_begin_array(b);
	for (char **p = sw->policies; *p; p++)
		json_builder_add_string_value(b, *p);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "seed");
	json_builder_add_int_value(b, (gint64)sw->seed0);
	json_builder_set_member_name(b, "seeds");
	json_builder_add_int_value(b, sw->nseeds);
	json_builder_set_member_name(b, "points");
	json_builder_begin_array(b);
	for (guint i = 0; i < points->len; i++) {
		struct sw_point *p = points->pdata[i];
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, p->name);
		json_builder_set_member_name(b, "policy");
		json_builder_add_string_value(b, p->policy);
		json_builder_set_member_name(b, "seed");
		json_builder_add_int_value(b, (gint64)p->seed);
		json_builder_set_member_name(b, "values");
		json_builder_begin_object(b);
		for (guint k = 0; sw->keys[k]; k++) {
			json_builder_set_member_name(b, sw->keys[k]);
			json_builder_add_string_value(b, p->values[k]);
		}
		json_builder_end_object(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	JsonGenerator *g = json_generator_new();
	JsonNode *root = json_builder_get_root(b);
	json_generator_set_root(g, root);
	json_generator_set_pretty(g, TRUE);
	char *data = json_generator_to_data(g, NULL);
	char *text = g_strconcat(data, "\n", NULL);
	g_free(data);
	json_node_unref(root);
	g_object_unref(g);
	g_object_unref(b);
	return text;
}

bool
sw_write_def(const struct sw_sweep *sw, GPtrArray *points, GError **err)
{
	char *path = g_build_filename(sw->outdir, "sweep.json", NULL);
	char *text = def_json(sw, points), *old = NULL;
	bool ok = true;
	if (g_file_get_contents(path, &old, NULL, NULL)) {
		if (strcmp(old, text) != 0) {
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_EXIST,
			            "%s holds another sweep (different scenario, values, policies, "
			            "seeds or --set): remove it or choose another --out",
			            sw->outdir);
			ok = false;
		}
	} else {
		ok = out_write_atomic(path, text, strlen(text), err);
	}
	g_free(old);
	g_free(text);
	g_free(path);
	return ok;
}

/* (5) Job lists and Slurm scripts name no build path: vnodesim is "${VNODESIM:-PROG}", PROG
 *     being "vnodesim" when PATH finds this very program, else its path relative to the
 *     sweep's working directory when it lies under it (build/vnodesim), else (a program run
 *     from elsewhere) its absolute path, which $VNODESIM overrides on the machines that run
 *     the lines.  The scenario and the output folder are written relative to that
 *     directory when under it: the lines run from there (GNU parallel from the same
 *     directory; Slurm in the submit directory). */
void
sw_names_init(struct sw_names *n, const char *exe)
{
	n->base = g_get_current_dir();
	char *real = exe ? realpath(exe, NULL) : NULL;
	char *inpath = g_find_program_in_path("vnodesim");
	char *inreal = inpath ? realpath(inpath, NULL) : NULL;
	if (real && inreal && !strcmp(real, inreal))
		n->prog = g_strdup("vnodesim");
	else
		n->prog = sw_rel(n, exe ? exe : "vnodesim");
	free(real);
	free(inreal);
	g_free(inpath);
}

void
sw_names_clear(struct sw_names *n)
{
	g_free(n->prog);
	g_free(n->base);
	n->prog = n->base = NULL;
}

char *
sw_rel(const struct sw_names *n, const char *path)
{
	size_t bl = strlen(n->base);
	if (bl > 1 && !strncmp(path, n->base, bl) && path[bl] == '/' && path[bl + 1])
		return g_strdup(path + bl + 1);
	if (bl == 1 && path[0] == '/' && path[1]) /* base is / */
		return g_strdup(path + 1);
	return g_strdup(path);
}

/* WORD for the shell: plain words as they are, others single-quoted. */
static void
append_word(GString *s, const char *w)
{
	bool plain = *w != '\0';
	for (const char *c = w; *c; c++)
		plain = plain && (g_ascii_isalnum(*c) || strchr("/._-=,+:@", *c));
	if (plain) {
		g_string_append(s, w);
	} else {
		char *q = g_shell_quote(w);
		g_string_append(s, q);
		g_free(q);
	}
}

/* "${VNODESIM:-PROG}", PROG escaped for a double-quoted word */
static void
append_prog(GString *s, const char *prog)
{
	g_string_append(s, "\"${VNODESIM:-");
	for (const char *c = prog; *c; c++) {
		if (strchr("\\\"$`}", *c))
			g_string_append_c(s, '\\');
		g_string_append_c(s, *c);
	}
	g_string_append(s, "}\"");
}

bool
sw_write_joblist(GPtrArray *points, const char *file, const struct sw_names *n, GError **err)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < points->len; i++) {
		struct sw_point *p = points->pdata[i];
		append_prog(s, n->prog);
		for (char **a = p->argv + 1; *a; a++) {
			/* the scenario (argv[2]) and --out's folder: relative to the base */
			bool path = a == p->argv + 2 || !strcmp(a[-1], "--out");
			char *w = path ? sw_rel(n, *a) : g_strdup(*a);
			g_string_append_c(s, ' ');
			append_word(s, w);
			g_free(w);
		}
		g_string_append_c(s, '\n');
	}
	bool ok = out_write_atomic(file, s->str, s->len, err);
	g_string_free(s, TRUE);
	return ok;
}

/* (6) The Slurm script is a POSIX shell script that is also the array's batch script:
 *     `sh FILE [SBATCH_OPTION...]` submits it once per chunk of at most MaxArraySize points
 *     (array indices 0..MaxArraySize-1, each chunk with its offset into the job list as an
 *     argument), then itself once more as `merge`, depending on every chunk with afterany,
 *     so that the merge runs whatever happened and exits 2 naming the points that did not
 *     finish.  Under Slurm it is run with `point OFFSET` (a task: line OFFSET +
 *     SLURM_ARRAY_TASK_ID + 1 of the job list) or `merge`.  Each task asks for the memory
 *     guard's estimate of the largest point (--mem) and one CPU: a point is one process
 *     with one simulation. */
unsigned
sw_slurm_max_array(void)
{
	char *scontrol = g_find_program_in_path("scontrol");
	if (!scontrol)
		return 0;
	char *argv[] = {"timeout", "20", scontrol, "show", "config", NULL};
	char *out = NULL;
	int st = -1;
	unsigned v = 0;
	if (g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
	                 NULL, &out, NULL, &st, NULL) &&
	    g_spawn_check_wait_status(st, NULL) && out) {
		char **lines = g_strsplit(out, "\n", -1);
		for (char **l = lines; *l; l++) {
			char *t = g_strstrip(*l);
			if (!g_str_has_prefix(t, "MaxArraySize"))
				continue;
			const char *eq = strchr(t, '=');
			guint64 x = 0;
			if (eq && g_ascii_string_to_unsigned(g_strstrip((char *)eq + 1), 10, 1,
			                                     4000001, &x, NULL))
				v = (unsigned)x;
		}
		g_strfreev(lines);
	}
	g_free(out);
	g_free(scontrol);
	return v;
}

bool
sw_write_slurm(const struct sw_slurm *sl, unsigned npoints, const struct sw_names *n, GError **err)
{
	char *dir = sw_rel(n, sl->outdir), *jl = sw_rel(n, sl->joblist);
	char *qdir = g_shell_quote(dir), *qjl = g_shell_quote(jl);
	char *logdir = g_build_filename(sl->outdir, "slurm", NULL), *rf = sw_rel(n, sl->file);
	char *rlog = sw_rel(n, logdir), *qlog = g_shell_quote(rlog);
	unsigned chunk = MAX(sl->max_array, 1);
	unsigned nchunks = (npoints + chunk - 1) / chunk;
	char *limit = sl->throttle ? g_strdup_printf("at most %u tasks at once", sl->throttle)
	                           : g_strdup("no limit on tasks at once");
	GString *s = g_string_new("#!/bin/sh\n");
	g_string_append_printf(
	    s,
	    "# A Slurm job array over the %u points of the vnodesim sweep %s, written by\n"
	    "# `vnodesim sweep --slurm`.  Submit it from the directory the sweep was run in (the\n"
	    "# paths below are relative to it):\n"
	    "#   sh %s [SBATCH_OPTION...]\n"
	    "# It calls sbatch %u time%s for the points (chunks of at most %u, the cluster's\n"
	    "# MaxArraySize; %s), then once for `vnodesim merge`, which runs after\n"
	    "# every point has ended and exits 2 naming the points that did not finish.  Each\n"
	    "# task runs one line of %s.  vnodesim is $VNODESIM, else the word below.\n",
	    npoints, dir, rf, nchunks, nchunks == 1 ? "" : "s", chunk, limit, jl);
	g_free(limit);
	/* the task logs' --output goes on sbatch's command line, shell-quoted, not in an
	 * #SBATCH line, whose value sbatch does not unquote: a log folder may hold spaces */
	g_string_append_printf(s,
	                       "#SBATCH --job-name=%s\n"
	                       "#SBATCH --mem=%lluM\n"
	                       "#SBATCH --ntasks=1\n"
	                       "#SBATCH --cpus-per-task=1\n",
	                       sl->name, (unsigned long long)sl->mem_mib);
	g_string_append(s, "set -eu\nVNODESIM=");
	append_prog(s, n->prog);
	g_string_append_printf(s,
	                       "\nexport VNODESIM\n"
	                       "joblist=%s\n"
	                       "case \"${1:-}\" in\n"
	                       "point)\n"
	                       "\tn=$(($2 + SLURM_ARRAY_TASK_ID + 1))\n"
	                       "\tline=$(sed -n \"${n}p\" \"$joblist\")\n"
	                       "\tif [ -z \"$line\" ]; then\n"
	                       "\t\techo \"vnodesim-slurm: no line $n in $joblist\" >&2\n"
	                       "\t\texit 2\n"
	                       "\tfi\n"
	                       "\texec sh -c \"$line\"\n"
	                       "\t;;\n"
	                       "merge)\n"
	                       "\texec \"$VNODESIM\" merge %s --out %s\n"
	                       "\t;;\n"
	                       "esac\n"
	                       "if [ ! -f \"$joblist\" ]; then\n"
	                       "\techo \"$0: $joblist is not here: submit from the directory "
	                       "the sweep was run in\" >&2\n"
	                       "\texit 2\n"
	                       "fi\n"
	                       "mkdir -p %s\n"
	                       "ids=\n",
	                       qjl, qdir, qdir, qlog);
	for (unsigned c = 0; c < nchunks; c++) {
		unsigned cnt = MIN(chunk, npoints - c * chunk);
		char thr[24] = "";
		if (sl->throttle)
			snprintf(thr, sizeof thr, "%%%u", sl->throttle);
		g_string_append_printf(s,
		                       "id=$(sbatch --parsable --array=0-%u%s "
		                       "--output=%s/%%x-%%A_%%a.out \"$@\" \"$0\" point %u)\n"
		                       "ids=\"$ids:${id%%%%;*}\"\n",
		                       cnt - 1, thr, qlog, c * chunk);
	}
	g_string_append_printf(
	    s,
	    "id=$(sbatch --parsable --dependency=afterany$ids --output=%s/%%x-merge-%%j.out "
	    "\"$@\" \"$0\" merge)\n"
	    "echo \"submitted: points in job$(echo \"$ids\" | tr ':' ' '), merge in job "
	    "${id%%%%;*}\"\n",
	    qlog);
	bool ok = g_mkdir_with_parents(logdir, 0755) == 0;
	if (!ok)
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", logdir,
		            g_strerror(errno));
	ok = ok && out_write_atomic(sl->file, s->str, s->len, err);
	if (ok && g_chmod(sl->file, 0755) != 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", sl->file,
		            g_strerror(errno));
		ok = false;
	}
	g_string_free(s, TRUE);
	g_free(rlog);
	g_free(qlog);
	g_free(rf);
	g_free(logdir);
	g_free(qdir);
	g_free(qjl);
	g_free(dir);
	g_free(jl);
	return ok;
}

static bool
exists_in(const char *dir, const char *file)
{
	char *p = g_build_filename(dir, file, NULL);
	bool ok = g_file_test(p, G_FILE_TEST_IS_REGULAR);
	g_free(p);
	return ok;
}

bool
sw_point_done(const struct sw_sweep *sw, const struct sw_point *p)
{
	char *dir = sw_point_dir(sw->outdir, p);
	bool ok = exists_in(dir, "summary.csv") && exists_in(dir, "timing.csv") &&
	          exists_in(dir, "stamp");
	if (ok && p->stamp) {
		char *sp = g_build_filename(dir, "stamp", NULL), *old = NULL;
		ok = g_file_get_contents(sp, &old, NULL, NULL) && !strcmp(old, p->stamp);
		g_free(old);
		g_free(sp);
	}
	g_free(dir);
	return ok;
}

/* rm -rf DIR (a point's own directory only) */
static void
rm_tree(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	if (!d)
		return;
	const char *e;
	while ((e = g_dir_read_name(d))) {
		char *p = g_build_filename(dir, e, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			rm_tree(p);
		else
			g_unlink(p);
		g_free(p);
	}
	g_dir_close(d);
	g_rmdir(dir);
}

struct exec_arg {
	char **argv;
	char *log;
};

static int
exec_child(void *arg)
{
	struct exec_arg *a = arg;
	int null = open("/dev/null", O_WRONLY);
	/* the point's folder was just emptied: the log is created, never followed */
	int log = open(a->log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (null >= 0)
		dup2(null, STDOUT_FILENO);
	if (log >= 0)
		dup2(log, STDERR_FILENO);
	execv(a->argv[0], a->argv);
	fprintf(stderr, "vnodesim: cannot run %s: %s\n", a->argv[0], g_strerror(errno));
	return 127;
}

int
sw_run(const struct sw_sweep *sw, GPtrArray *points, int jobs)
{
	GPtrArray *todo = g_ptr_array_new();
	for (guint i = 0; i < points->len; i++)
		if (!sw_point_done(sw, points->pdata[i]))
			g_ptr_array_add(todo, points->pdata[i]);
	if (todo->len < points->len)
		fprintf(stderr,
		        "vnodesim: sweep: resuming: %u of %u points already done, %u to "
		        "run\n",
		        points->len - todo->len, points->len, todo->len);
	struct sw_task *tasks = g_new0(struct sw_task, todo->len);
	struct exec_arg *args = g_new0(struct exec_arg, todo->len);
	for (guint i = 0; i < todo->len; i++) {
		struct sw_point *p = todo->pdata[i];
		char *dir = sw_point_dir(sw->outdir, p);
		rm_tree(dir); /* whatever a killed run left */
		g_mkdir_with_parents(dir, 0755);
		args[i].argv = p->argv;
		args[i].log = g_build_filename(dir, "log.txt", NULL);
		tasks[i].child = exec_child;
		tasks[i].arg = &args[i];
		g_free(dir);
	}
	/* each point's `run` checks its memory as one of this many at once (guard.c) */
	int at_once = MIN(jobs < 1 ? (int)g_get_num_processors() : jobs, (int)todo->len);
	char n[16];
	snprintf(n, sizeof n, "%d", MAX(at_once, 1));
	g_setenv(GUARD_RUNS_ENV, n, TRUE);
	int failed = sw_pool_run(tasks, (int)todo->len, jobs, true, "points");
	g_unsetenv(GUARD_RUNS_ENV);
	for (guint i = 0; i < todo->len; i++) {
		if (tasks[i].status != 0) {
			struct sw_point *p = todo->pdata[i];
			char *log = NULL;
			g_file_get_contents(args[i].log, &log, NULL, NULL);
			fprintf(stderr, "vnodesim: sweep: point %s exited %d%s%s", p->name,
			        tasks[i].status, log && *log ? ":\n" : "\n", log ? log : "");
			g_free(log);
		}
		g_free(args[i].log);
	}
	g_free(args);
	g_free(tasks);
	g_ptr_array_free(todo, TRUE);
	return failed;
}

/* ---- merge ---- */

/* The sweep plot: total IOPS of the `all` rows against the first varied key, one line per
 * policy and combination of the other varied keys; mean rows when there are several seeds. */
static bool
sweep_plot(const char *out, const char *summary, GError **err)
{
	struct cmp_table *t = cmp_table_parse(summary);
	bool ok = true;
	GArray *kc = g_array_new(FALSE, FALSE, sizeof(int));
	for (int c = 0; c < t->ncols; c++)
		if (cmp_is_varied_col(t->cols[c]))
			g_array_append_val(kc, c);
	if (kc->len == 0) {
		g_array_free(kc, TRUE);
		cmp_table_free(t);
		return true;
	}
	int x0 = g_array_index(kc, int, 0);
	bool multi = cmp_table_col(t, "seeds") >= 0;
	int rci = cmp_table_col(t, "read_iops_ci95"), wci = cmp_table_col(t, "write_iops_ci95");
	/* the columns read, by name (cmp_rows_summary wrote every one of them) */
	int c_pol = cmp_table_col(t, "policy"), c_seed = cmp_table_col(t, "seed");
	int c_job = cmp_table_col(t, "job"), c_r = cmp_table_col(t, "read_iops");
	int c_w = cmp_table_col(t, "write_iops");
	g_assert(c_pol >= 0 && c_seed >= 0 && c_job >= 0 && c_r >= 0 && c_w >= 0);
	/* series and x values in order of appearance (rows are in canonical order); x is the
	 * position of the value so that text values work too, xtics carry the values */
	GPtrArray *series = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *xs = g_ptr_array_new();
	GHashTable *pts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < t->rows->len; i++) {
		char **f = t->rows->pdata[i];
		if (strcmp(f[c_job], "all") || (multi && strcmp(f[c_seed], "mean")))
			continue;
		GString *name = g_string_new(f[c_pol]);
		for (guint k = 1; k < kc->len; k++)
			g_string_append_printf(name, ",%s=%s", t->cols[g_array_index(kc, int, k)],
			                       f[g_array_index(kc, int, k)]);
		bool seen = false;
		for (guint j = 0; j < series->len; j++)
			seen = seen || !strcmp(series->pdata[j], name->str);
		if (!seen)
			g_ptr_array_add(series, g_strdup(name->str));
		seen = false;
		for (guint j = 0; j < xs->len; j++)
			seen = seen || !strcmp(xs->pdata[j], f[x0]);
		if (!seen)
			g_ptr_array_add(xs, f[x0]);
		g_string_append_printf(name, "\x1f%s", f[x0]);
		g_hash_table_insert(pts, g_string_free(name, FALSE), f);
	}
	GString *d = g_string_new(NULL);
	g_string_append_printf(d,
	                       "# total IOPS (all rows%s) against %s, a block per series: "
	                       "x_index value iops ci95\n",
	                       multi ? ", means over seeds" : "", t->cols[x0]);
	GString *names = g_string_new(NULL);
	for (guint j = 0; j < series->len; j++) {
		g_string_append_printf(names, "%s%s", j ? " " : "", (char *)series->pdata[j]);
		g_string_append_printf(d, "# %s\n", (char *)series->pdata[j]);
		for (guint x = 0; x < xs->len; x++) {
			char *key = g_strdup_printf("%s\x1f%s", (char *)series->pdata[j],
			                            (char *)xs->pdata[x]);
			char **f = g_hash_table_lookup(pts, key);
			g_free(key);
			if (!f)
				continue;
			double ci = multi && rci >= 0 && wci >= 0 ? g_ascii_strtod(f[rci], NULL) +
			                                                g_ascii_strtod(f[wci], NULL)
			                                          : 0;
			g_string_append_printf(
			    d, "%u %s %.3f %.3f\n", x, f[x0],
			    g_ascii_strtod(f[c_r], NULL) + g_ascii_strtod(f[c_w], NULL), ci);
		}
		g_string_append(d, "\n\n");
	}
	char *pdir = g_build_filename(out, "plots", NULL);
	g_mkdir_with_parents(pdir, 0755);
	char *dat = g_build_filename(pdir, "sweep.dat", NULL);
	char *base = g_build_filename(pdir, "sweep", NULL);
	char *extra = g_strdup_printf("names='%s'; xlabel='%s'", names->str, t->cols[x0]);
	GString *cmd = g_string_new(NULL);
	ok = out_write_atomic(dat, d->str, d->len, err) &&
	     plot_gnuplot("sweep.gp", dat, base, extra, cmd, err);
	if (ok) {
		char *cf = g_build_filename(pdir, "commands.txt", NULL);
		g_string_prepend(cmd, "sweep\t");
		g_string_append_c(cmd, '\n');
		ok = out_write_atomic(cf, cmd->str, cmd->len, err);
		g_free(cf);
	}
	g_string_free(cmd, TRUE);
	g_free(extra);
	g_free(base);
	g_free(dat);
	g_free(pdir);
	g_string_free(names, TRUE);
	g_string_free(d, TRUE);
	g_ptr_array_free(series, TRUE);
	g_ptr_array_free(xs, TRUE);
	g_hash_table_unref(pts);
	g_array_free(kc, TRUE);
	cmp_table_free(t);
	return ok;
}

/* What a merge has seen: the scenario of its rows and where it came from (one scenario per
 * merge unless allow_mixed). */
struct merge_ctx {
	bool allow_mixed;
	char *scenario, *where;
};

/* Every row of summary TEXT (PATH) names the scenario the merge has seen so far. */
static bool
same_scenario(struct merge_ctx *m, const char *text, const char *path, GError **err)
{
	if (m->allow_mixed)
		return true;
	struct cmp_table *t = cmp_table_parse(text);
	int c = cmp_table_col(t, "scenario");
	bool ok = true;
	for (guint i = 0; ok && c >= 0 && i < t->rows->len; i++) {
		const char *sc = ((char **)t->rows->pdata[i])[c];
		if (!m->scenario) {
			m->scenario = g_strdup(sc);
			m->where = g_strdup_printf("%s:%u", path, i + 2);
		} else if (strcmp(m->scenario, sc)) {
			g_set_error(
			    err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s:%u: scenario '%s', but %s holds '%s': one scenario per merge "
			    "(--allow-mixed combines them)",
			    path, i + 2, sc, m->where, m->scenario);
			ok = false;
		}
	}
	cmp_table_free(t);
	return ok;
}

static bool
add_file(struct cmp_rows *rows, GString *timing, const char *dir, char **keys, char **values,
         struct merge_ctx *m, GError **err)
{
	char *p = g_build_filename(dir, "summary.csv", NULL);
	char *text = NULL;
	bool ok = g_file_get_contents(p, &text, NULL, err) && cmp_summary_check(text, p, err) &&
	          same_scenario(m, text, p, err);
	if (ok && !cmp_rows_add(rows, text, keys, values, err)) {
		g_prefix_error(err, "%s: ", p);
		ok = false;
	}
	g_free(text);
	g_free(p);
	p = g_build_filename(dir, "timing.csv", NULL);
	if (ok && g_file_get_contents(p, &text, NULL, NULL)) {
		char **lines = g_strsplit(text, "\n", -1);
		for (char **l = lines + 1; *l && **l; l++) {
			g_string_append(timing, *l);
			for (int k = 0; values && values[k]; k++)
				g_string_append_printf(timing, ",%s", values[k]);
			g_string_append_c(timing, '\n');
		}
		g_strfreev(lines);
		g_free(text);
	}
	g_free(p);
	return ok;
}

/* sweep.json's schema, types included: json-glib's node types are checked before any
 * getter runs (a getter on the wrong type is a GLib-CRITICAL, not an error). */
static bool
is_str(JsonObject *o, const char *k)
{
	JsonNode *n = o && json_object_has_member(o, k) ? json_object_get_member(o, k) : NULL;
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING;
}

static JsonObject *
obj_at(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);
	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *
arr_member(JsonObject *o, const char *k)
{
	JsonNode *n = o && json_object_has_member(o, k) ? json_object_get_member(o, k) : NULL;
	return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

/* A point's folder name: one path component, not . or .., at most SW_NAME_MAX bytes. */
static bool
safe_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") &&
	       strlen(s) <= SW_NAME_MAX;
}

static bool
def_check(JsonNode *root, const char *def, GError **err)
{
	const char *bad = NULL;
	char *where = NULL;
	JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
	JsonArray *vary = arr_member(o, "vary"), *pts = arr_member(o, "points");
	if (!o)
		bad = "the top level is not an object";
	else if (!vary)
		bad = "no array 'vary'";
	else if (!pts)
		bad = "no array 'points'";
	guint nk = vary ? json_array_get_length(vary) : 0;
	for (guint k = 0; !bad && k < nk; k++) {
		JsonObject *v = obj_at(vary, k);
		if (!v || !is_str(v, "key")) {
			where = g_strdup_printf("vary[%u]", k);
			bad = "expected an object with a string 'key'";
		}
	}
	for (guint i = 0; !bad && i < json_array_get_length(pts); i++) {
		JsonObject *p = obj_at(pts, i);
		JsonNode *vn = p && json_object_has_member(p, "values")
		                   ? json_object_get_member(p, "values")
		                   : NULL;
		JsonObject *vo = vn && JSON_NODE_HOLDS_OBJECT(vn) ? json_node_get_object(vn) : NULL;
		where = g_strdup_printf("points[%u]", i);
		if (!p)
			bad = "expected an object";
		else if (!is_str(p, "name") || !safe_name(json_object_get_string_member(p, "name")))
			bad = "'name' must be a string naming one folder";
		else if (vn && !vo)
			bad = "'values' must be an object";
		for (guint k = 0; !bad && vo && k < nk; k++) {
			const char *key = json_object_get_string_member(obj_at(vary, k), "key");
			if (json_object_has_member(vo, key) && !is_str(vo, key))
				bad = "every value must be a string";
		}
		if (!bad) {
			g_free(where);
			where = NULL;
		}
	}
	if (bad)
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "%s: not a vnodesim sweep definition: %s%s%s", def, where ? where : "",
		            where ? ": " : "", bad);
	g_free(where);
	return !bad;
}

bool
sw_merge(char **dirs, const char *out, bool quiet, bool allow_mixed, bool allow_missing,
         GError **err)
{
	struct merge_ctx mc = {.allow_mixed = allow_mixed};
	struct cmp_rows *rows = cmp_rows_new();
	GString *timing = g_string_new(NULL);
	GString *names = g_string_new(NULL); /* the missing points, for the message */
	bool ok = true;
	int missing = 0;
	enum { NAMED = 20 }; /* points named in the message */
	for (char **d = dirs; ok && *d; d++) {
		char *def = g_build_filename(*d, "sweep.json", NULL);
		if (!g_file_test(def, G_FILE_TEST_EXISTS)) {
			g_free(def);
			ok = add_file(rows, timing, *d, NULL, NULL, &mc, err);
			continue;
		}
		JsonParser *jp = json_parser_new();
		if (!json_parser_load_from_file(jp, def, err)) {
			g_prefix_error(err, "%s: ", def);
			ok = false;
		}
		ok = ok && def_check(json_parser_get_root(jp), def, err);
		JsonObject *o = ok ? json_node_get_object(json_parser_get_root(jp)) : NULL;
		JsonArray *vary = ok ? arr_member(o, "vary") : NULL;
		JsonArray *pts = ok ? arr_member(o, "points") : NULL;
		guint nk = vary ? json_array_get_length(vary) : 0;
		char **keys = g_new0(char *, nk + 1);
		for (guint k = 0; k < nk; k++)
			keys[k] = g_strdup(json_object_get_string_member(
			    json_array_get_object_element(vary, k), "key"));
		for (guint i = 0; ok && pts && i < json_array_get_length(pts); i++) {
			JsonObject *p = json_array_get_object_element(pts, i);
			JsonObject *vo = json_object_has_member(p, "values")
			                     ? json_object_get_object_member(p, "values")
			                     : NULL;
			char **values = g_new0(char *, nk + 1);
			for (guint k = 0; k < nk; k++)
				values[k] =
				    g_strdup(vo && json_object_has_member(vo, keys[k])
				                 ? json_object_get_string_member(vo, keys[k])
				                 : "");
			char *pdir = g_build_filename(
			    *d, "points", json_object_get_string_member(p, "name"), NULL);
			if (exists_in(pdir, "summary.csv") && exists_in(pdir, "timing.csv") &&
			    exists_in(pdir, "stamp"))
				ok = add_file(rows, timing, pdir, keys, values, &mc, err);
			else if (++missing <= NAMED)
				g_string_append_printf(names, "\n  %s", pdir);
			g_free(pdir);
			g_strfreev(values);
		}
		g_strfreev(keys);
		g_object_unref(jp);
		g_free(def);
	}
	if (ok && missing && !allow_missing) {
		/* a merge that silently drops points would look like a complete sweep */
		g_set_error(
		    err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
		    "merge: %d point%s not done (no summary.csv, timing.csv and stamp):%s%s\n"
		    "run them (the same sweep again runs only these), or merge "
		    "--allow-missing to leave them out",
		    missing, missing == 1 ? "" : "s", names->str, missing > NAMED ? "\n  ..." : "");
		ok = false;
	} else if (ok && missing && !quiet) {
		fprintf(stderr, "vnodesim: merge: %d point%s not done yet (left out)\n", missing,
		        missing == 1 ? "" : "s");
	}
	if (ok) {
		char *sum = cmp_rows_summary(rows, NULL);
		GString *tim = g_string_new(NULL);
		g_string_append_len(tim, out_timing_header, (gssize)strlen(out_timing_header) - 1);
		for (char **k = rows->keys; *k; k++)
			g_string_append_printf(tim, ",%s", *k);
		g_string_append_c(tim, '\n');
		g_string_append(tim, timing->str);
		char *sp = g_build_filename(out, "summary.csv", NULL);
		char *tp = g_build_filename(out, "timing.csv", NULL);
		ok = g_mkdir_with_parents(out, 0755) == 0;
		if (!ok)
			g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s",
			            out, g_strerror(errno));
		ok = ok && out_write_atomic(sp, sum, strlen(sum), err) &&
		     out_write_atomic(tp, tim->str, tim->len, err) && sweep_plot(out, sum, err);
		g_free(sp);
		g_free(tp);
		g_free(sum);
		g_string_free(tim, TRUE);
	}
	g_string_free(timing, TRUE);
	g_string_free(names, TRUE);
	cmp_rows_free(rows);
	g_free(mc.scenario);
	g_free(mc.where);
	return ok;
}

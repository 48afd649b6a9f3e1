/*
 * report.c -- the design-review page and the reuse stamps (see report.h).
 *
 * (1) The page is one file: figures are embedded PNGs, styles inline, no script.  Every link
 *     is an in-page anchor or a file this module copies beside the page, so the page never
 *     points at a file that is not there.
 * (2) Correctness counters sit in the same table row as the throughput they qualify, and a
 *     nonzero one is marked: the page never shows speed without safety.
 */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buildid.h"
#include "models/locks/policy.h"
#include "sim/compare.h"
#include "sim/output.h"
#include "sim/report.h"
#include "sim/scenario.h"
#include "sim/sensitivity.h"
#include "sim/sweep.h"

char *
rep_stamp(const char *scenario, const char *options)
{
	/* the build id (buildid.h, made by the Makefile from the sources) and every input the
	 * process read while loading and checking (scn_inputs_digest): the scenario, its
	 * includes, disk and DiskSim files, traces */
	char *sh = sw_file_sha256(scenario);
	char *in = scn_inputs_digest();
	char *s = g_strdup_printf("vnodesim-stamp 2\nversion %s\nbuild %s\nscenario_sha256 %s\n"
	                          "options %s\n%s",
	                          VNODESIM_VERSION, VNODESIM_BUILD_ID, sh ? sh : "unreadable",
	                          options, in);
	g_free(in);
	g_free(sh);
	return s;
}

static void
esc(GString *h, const char *text)
{
	char *e = g_markup_escape_text(text, -1);
	g_string_append(h, e);
	g_free(e);
}

static bool
copy_file(const char *from, const char *to, GError **err)
{
	char *text;
	gsize len;
	if (!g_file_get_contents(from, &text, &len, err))
		return false;
	bool ok = out_write_atomic(to, text, len, err);
	g_free(text);
	return ok;
}

/* Embed PNG as a data: URI image; false when it does not exist. */
static bool
embed_png(GString *h, const char *png, const char *alt)
{
	char *data;
	gsize len;
	if (!g_file_get_contents(png, &data, &len, NULL) || len == 0)
		return false;
	char *b64 = g_base64_encode((const guchar *)data, len);
	g_string_append(h, "<img alt=\"");
	esc(h, alt);
	g_string_append_printf(h, "\" src=\"data:image/png;base64,%s\">", b64);
	g_free(b64);
	g_free(data);
	return true;
}

/* The largest per-class lock wait of a run (result.json), as "CLASS on LOCK: N us". */
static char *
max_class_wait(const char *dir, const char *policy)
{
	char *path = g_build_filename(dir, policy, "result.json", NULL);
	JsonParser *p = json_parser_new();
	char *res = NULL;
	double best = -1;
	if (json_parser_load_from_file(p, path, NULL)) {
		JsonObject *root = json_node_get_object(json_parser_get_root(p));
		JsonObject *v = root && json_object_has_member(root, "vnodesim")
		                    ? json_object_get_object_member(root, "vnodesim")
		                    : NULL;
		JsonObject *locks = v && json_object_has_member(v, "locks")
		                        ? json_object_get_object_member(v, "locks")
		                        : NULL;
		GList *ln = locks ? json_object_get_members(locks) : NULL;
		for (GList *l = ln; l; l = l->next) {
			JsonObject *lk = json_object_get_object_member(locks, l->data);
			GList *cn = json_object_get_members(lk);
			for (GList *c = cn; c; c = c->next) {
				JsonObject *co = json_object_get_object_member(lk, c->data);
				double w = json_object_has_member(co, "wait_max_us")
				               ? json_object_get_double_member(co, "wait_max_us")
				               : 0;
				if (w > best) {
					best = w;
					g_free(res);
					char *lock = g_strdup(l->data), *colon = strchr(lock, ':');
					if (colon)
						*colon = '\0';
					res = g_strdup_printf("%s (%s) %.0f", (char *)c->data, lock,
					                      w);
					g_free(lock);
				}
			}
			g_list_free(cn);
		}
		g_list_free(ln);
	}
	g_object_unref(p);
	g_free(path);
	return res ? res : g_strdup("&ndash;");
}

static void
counter_cell(GString *h, double v)
{
	g_string_append_printf(h, "<td class=\"%s\">%.0f</td>", v > 0 ? "bad" : "ok", v);
}

/* The workloads x policies table rows of one workload. */
static void
table_rows(GString *h, const char *name, const char *dir, bool link)
{
	GArray *all = cmp_read_all(dir, NULL);
	if (!all) {
		g_string_append_printf(
		    h, "<tr><td>%s</td><td colspan=\"10\">no results</td></tr>\n", name);
		return;
	}
	double serial = cmp_serial_iops(all);
	for (guint i = 0; i < all->len; i++) {
		struct cmp_all *e = &g_array_index(all, struct cmp_all, i);
		g_string_append(h, "<tr>");
		if (i == 0) {
			g_string_append_printf(h, "<td rowspan=\"%u\">", all->len);
			if (link)
				g_string_append_printf(h, "<a href=\"#wl-%s\">%s</a>", name, name);
			else
				esc(h, name);
			g_string_append(h, "</td>");
		}
		g_string_append_printf(h, "<td>%s</td><td class=\"num\">%.0f", e->policy, e->iops);
		if (e->seeds > 1)
			g_string_append_printf(h, " &plusmn; %.0f", e->iops_ci);
		g_string_append_printf(h, "</td><td class=\"num\">%.1f", e->p99);
		if (e->seeds > 1)
			g_string_append_printf(h, " &plusmn; %.1f", e->p99_ci);
		g_string_append(h, "</td>");
		if (serial > 0)
			g_string_append_printf(h, "<td class=\"num\">%.2f&times;</td>",
			                       e->iops / serial);
		else
			g_string_append(h, "<td>&ndash;</td>");
		counter_cell(h, e->torn_reads);
		counter_cell(h, e->torn_writes);
		counter_cell(h, e->stale_reads);
		counter_cell(h, e->lost_writes);
		char *w = max_class_wait(dir, e->policy);
		g_string_append_printf(h, "<td>%s</td></tr>\n", w);
		g_free(w);
	}
	cmp_all_free(all);
}

static const char table_head[] =
    "<table>\n<tr><th>workload</th><th>policy</th><th>throughput, IOPS</th>"
    "<th>p99 latency, &micro;s</th><th>speedup over serial</th><th>torn reads</th>"
    "<th>torn writes</th><th>stale reads</th><th>lost writes</th>"
    "<th>max per-class lock wait, &micro;s (first seed)</th></tr>\n";

static const struct {
	const char *name, *title, *how;
} figures[] = {
    {"throughput", "Throughput per policy",
     "Total IOPS of the whole workload (the <code>all</code> rows); error bars are 95% "
     "confidence intervals over seeds. The label over each bar counts torn reads/writes, "
     "stale reads and lost writes over all seeds: a tall bar with a red label is a policy "
     "that is fast because it is wrong."},
    {"latency_cdf", "Latency CDF per policy",
     "Left: fraction of requests (y) finished within a latency (x, log scale), first seed; a "
     "curve further left is faster. Right: the tail, the fraction slower than x on a log "
     "scale, where p99 (0.01), p99.9 (0.001) and beyond stand apart and lock waits show "
     "first. Policies whose curves are identical are drawn once, titled P1=P2."},
    {"breakdown", "Where a request's time goes",
     "Mean time per request, first seed: waits for the vnode, getpages and range locks, "
     "then the disk's queue, seek, rotation, transfer and controller time, and the rest "
     "(CPU: system call, page-cache lookups, copies, lock work, waits for pages). Policies "
     "differ in the lock-wait slices; the disk slices show what is left once locks stop "
     "mattering."},
    {"locks", "Lock-holding timeline",
     "Each bar is one holder of the vnode (or range) lock, coloured by class, over the same "
     "window at the start of each policy's run; rows are concurrent holders. One row of "
     "back-to-back bars is a serialized lock; stacked bars are sharing."},
};

/* The sensitivity section of a workload whose comparison is DIR, when DIR-sensitivity (where
 * `vnodesim sensitivity` writes by default, beside the comparison) holds a sensitivity.csv:
 * copied to SUB (the page's folder of the workload NAME) and linked. */
static bool
sensitivity_section(GString *h, const char *dir, const char *sub, const char *name, GError **err)
{
	char *from = g_strdup_printf("%s-sensitivity/sensitivity.csv", dir), *text = NULL;
	bool ok = true;
	if (g_file_get_contents(from, &text, NULL, NULL)) {
		GString *sec = g_string_new(NULL);
		if (sens_report_section(sec, text)) {
			char *to = g_build_filename(sub, "sensitivity.csv", NULL);
			ok = out_write_atomic(to, text, strlen(text), err);
			g_free(to);
			g_string_append(h, sec->str);
			g_string_append_printf(
			    h,
			    "<p>Every setting's figures: <a "
			    "href=\"%s/sensitivity.csv\">sensitivity.csv</a>.</p>\n",
			    name);
		}
		g_string_free(sec, TRUE);
	}
	g_free(text);
	g_free(from);
	return ok;
}

static bool
write_workload(GString *h, const struct rep_workload *w, const char *name, const char *out,
               GError **err)
{
	char *sub = g_build_filename(out, name, NULL);
	if (g_mkdir_with_parents(sub, 0755) != 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", sub,
		            g_strerror(errno));
		g_free(sub);
		return false;
	}
	if (w->status != 0) {
		g_string_append_printf(h, "<section id=\"wl-%s\">\n<h2>Workload: ", name);
		esc(h, name);
		g_string_append(h, "</h2>\n");
		g_string_append_printf(h,
		                       "<p class=\"note\">The comparison failed (exit status %d%s"
		                       "): no results. Run <code>",
		                       w->status,
		                       w->status == 3 ? ": the simulated system deadlocked" : "");
		esc(h, w->command);
		g_string_append(h, "</code> to see why.</p>\n</section>\n");
		g_free(sub);
		return true;
	}
	char *to = g_build_filename(sub, "scenario.ini", NULL);
	bool ok = copy_file(w->scenario, to, err);
	g_free(to);
	char *from = g_build_filename(w->dir, "summary.csv", NULL);
	to = g_build_filename(sub, "summary.csv", NULL);
	ok = ok && copy_file(from, to, err);
	g_free(from);
	g_free(to);
	if (!ok) {
		g_free(sub);
		return false;
	}
	/* commands.txt: NAME<TAB>command */
	char *cp = g_build_filename(w->dir, "plots", "commands.txt", NULL), *ctext = NULL;
	g_file_get_contents(cp, &ctext, NULL, NULL);
	g_free(cp);
	GHashTable *cmds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char **lines = g_strsplit(ctext ? ctext : "", "\n", -1);
	for (char **l = lines; *l; l++) {
		char *tab = strchr(*l, '\t');
		if (tab)
			g_hash_table_insert(cmds, g_strndup(*l, (gsize)(tab - *l)),
			                    g_strdup(tab + 1));
	}
	g_strfreev(lines);
	g_free(ctext);

	g_string_append_printf(h, "<section id=\"wl-%s\">\n<h2>Workload: ", name);
	esc(h, name);
	g_string_append(h, "</h2>\n");

	/* the scenario's leading comment is its description */
	char *text = NULL;
	g_file_get_contents(w->scenario, &text, NULL, NULL);
	GString *desc = g_string_new(NULL);
	char **sl = g_strsplit(text ? text : "", "\n", -1);
	for (char **l = sl; *l && (**l == ';' || **l == '#'); l++)
		g_string_append_printf(desc, "%s ", g_strstrip(*l + 1));
	g_strfreev(sl);
	if (desc->len) {
		g_string_append(h, "<p class=\"desc\">");
		esc(h, desc->str);
		g_string_append(h, "</p>\n");
	}
	g_string_free(desc, TRUE);
	g_string_append(h, "<p>Results: <code>");
	esc(h, w->command);
	g_string_append_printf(h,
	                       "</code> &middot; <a href=\"%s/summary.csv\">summary.csv</a> "
	                       "&middot; <a href=\"%s/scenario.ini\">scenario</a></p>\n",
	                       name, name);
	g_string_append(h, table_head);
	table_rows(h, name, w->dir, false);
	g_string_append(h, "</table>\n");
	if (!sensitivity_section(h, w->dir, sub, name, err)) {
		g_hash_table_unref(cmds);
		g_free(text);
		g_free(sub);
		return false;
	}
	for (size_t f = 0; f < G_N_ELEMENTS(figures); f++) {
		char *png = g_strdup_printf("%s/plots/%s.png", w->dir, figures[f].name);
		char *svg = g_strdup_printf("%s/plots/%s.svg", w->dir, figures[f].name);
		if (!g_file_test(png, G_FILE_TEST_IS_REGULAR)) {
			if (!strcmp(figures[f].name, "locks"))
				g_string_append(h, "<p class=\"note\">No lock-holding timeline: "
				                   "no job of this workload takes a vnode lock "
				                   "(raw device).</p>\n");
			g_free(png);
			g_free(svg);
			continue;
		}
		g_string_append_printf(h, "<figure id=\"%s-%s\">\n", name, figures[f].name);
		char *alt = g_strdup_printf("%s: %s", name, figures[f].title);
		embed_png(h, png, alt);
		g_free(alt);
		g_string_append_printf(h, "\n<figcaption><b>%s.</b> %s<br>", figures[f].title,
		                       figures[f].how);
		char *svg_to = g_strdup_printf("%s/%s.svg", sub, figures[f].name);
		if (g_file_test(svg, G_FILE_TEST_IS_REGULAR) && copy_file(svg, svg_to, NULL))
			g_string_append_printf(h, "<a href=\"%s/%s.svg\">SVG</a> &middot; ", name,
			                       figures[f].name);
		g_free(svg_to);
		const char *c = g_hash_table_lookup(cmds, figures[f].name);
		g_string_append(h, "Reproduce: <code>");
		esc(h, w->command);
		if (c) {
			g_string_append(h, "; ");
			esc(h, c);
		}
		g_string_append(h, "</code></figcaption>\n</figure>\n");
		g_free(png);
		g_free(svg);
	}
	g_string_append(h, "<details><summary>Scenario text</summary><pre>");
	esc(h, text ? text : "");
	g_string_append(h, "</pre></details>\n</section>\n");
	g_free(text);
	g_hash_table_unref(cmds);
	g_free(sub);
	return true;
}

static const char style[] =
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0;font-size:90%}"
    "td,th{border:1px solid #ccc;padding:3px 7px}th{background:#f0f0f0}"
    "td.num{text-align:right}td.bad{background:#fbb;text-align:right;font-weight:bold}"
    "td.ok{text-align:right;color:#060}figure{margin:1.5em 0}img{max-width:100%;"
    "border:1px solid #ddd}figcaption{font-size:90%;color:#444}code{font-size:85%;"
    "background:#f6f6f6;word-break:break-all}pre{background:#f6f6f6;padding:.6em;"
    "overflow-x:auto}.note{color:#666;font-style:italic}section{border-top:2px solid #ddd;"
    "margin-top:2em}";

bool
rep_write(const struct rep_workload *w, int n, int seeds, const char *out, GError **err)
{
	if (g_mkdir_with_parents(out, 0755) != 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", out,
		            g_strerror(errno));
		return false;
	}
	char **names = g_new0(char *, n + 1), **dirs = g_new0(char *, n + 1);
	for (int i = 0; i < n; i++) {
		names[i] = g_path_get_basename(w[i].scenario);
		if (g_str_has_suffix(names[i], ".ini"))
			names[i][strlen(names[i]) - 4] = '\0';
		dirs[i] = g_strdup(w[i].dir);
	}
	int np;
	const struct lk_policy *const *all = lk_policy_all(&np);
	char **pols = g_new0(char *, np + 1);
	for (int i = 0; i < np; i++)
		pols[i] = g_strdup(all[i]->name);
	GString *h = g_string_new("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	                          "charset=\"utf-8\">\n<title>vnodesim: vnode lock policies, "
	                          "design review</title>\n<style>");
	g_string_append_printf(h, "%s</style>\n</head>\n<body>\n", style);
	g_string_append(h, "<h1>Vnode lock policies for concurrent I/O to one file</h1>\n");
	g_string_append_printf(
	    h,
	    "<p>Simulated by vnodesim %s: %d workload%s, every policy on the same %d seed%s "
	    "per workload. Throughput and p99 latency are means over seeds with 95%% "
	    "Student-t confidence intervals%s; correctness counters are summed over seeds. "
	    "Runs are deterministic: the commands below reproduce every number and figure "
	    "byte for byte.</p>\n",
	    VNODESIM_VERSION, n, n == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s",
	    seeds == 1 ? " (one seed: no interval)" : "");
	if (seeds < 5)
		g_string_append_printf(
		    h,
		    "<p class=\"note\">Seeds are reduced to %d so that <code>make report</code> "
		    "stays under 10 minutes on 2 cores; the intervals are correspondingly wide. "
		    "For a decision that hinges on a small difference, rerun with "
		    "<code>vnodesim report --seeds 10</code>.</p>\n",
		    seeds);
	g_string_append(h, "<nav><b>Contents:</b> <a href=\"#heatmap\">speedup heat map</a> "
	                   "&middot; <a href=\"#summary\">all workloads</a>");
	for (int i = 0; i < n; i++)
		g_string_append_printf(h, " &middot; <a href=\"#wl-%s\">%s</a>", names[i],
		                       names[i]);
	g_string_append(h, "</nav>\n");

	bool ok = true;
	char *hm = g_build_filename(out, "heatmap", NULL);
	GString *cmds = g_string_new(NULL);
	/* only workloads with results of this report (a failed one may have old files) */
	char **hn = g_new0(char *, n + 1), **hd = g_new0(char *, n + 1);
	for (int i = 0, k = 0; i < n; i++)
		if (w[i].status == 0) {
			hn[k] = names[i];
			hd[k++] = dirs[i];
		}
	ok = cmp_heatmap(hn, hd, pols, hm, cmds, err);
	g_free(hn);
	g_free(hd);
	char *hpng = g_strdup_printf("%s.png", hm);
	g_string_append(h, "<section id=\"heatmap\">\n<h2>Speedup over serial</h2>\n");
	if (ok && g_file_test(hpng, G_FILE_TEST_IS_REGULAR)) {
		g_string_append(h, "<figure>");
		embed_png(h, hpng, "speedup over serial, workloads x policies");
		g_string_append(h, "<figcaption>Throughput of each policy divided by serial's on "
		                   "the same workload (means over seeds). Above 1: the policy "
		                   "lets requests overlap that serial queues; check the table "
		                   "below for what it costs in correctness. <a "
		                   "href=\"heatmap.svg\">SVG</a> &middot; Reproduce: <code>");
		char *tab = strchr(cmds->str, '\t');
		esc(h, tab ? g_strstrip(tab + 1) : "");
		g_string_append(h, "</code></figcaption></figure>\n");
	} else {
		g_string_append(h, "<p class=\"note\">No workload has a serial run to compare "
		                   "with.</p>\n");
	}
	g_string_append(h, "</section>\n<section id=\"summary\">\n<h2>All workloads</h2>\n");
	g_string_append(h, table_head);
	for (int i = 0; i < n; i++)
		if (w[i].status == 0)
			table_rows(h, names[i], dirs[i], true);
		else
			g_string_append_printf(h,
			                       "<tr><td><a href=\"#wl-%s\">%s</a></td><td "
			                       "colspan=\"10\">the comparison failed (exit status "
			                       "%d)</td></tr>\n",
			                       names[i], names[i], w[i].status);
	g_string_append(h, "</table>\n<p>Torn, stale and lost counts come from the simulator's "
	                   "oracle (docs/policies.md: The correctness oracle); <code>none</code> "
	                   "is the control that "
	                   "must show them on overlapping workloads, every other policy must "
	                   "not. The wait column names the class that waited longest and on "
	                   "which lock: a large value there with a small mean is "
	                   "starvation.</p>\n</section>\n");
	for (int i = 0; ok && i < n; i++)
		ok = write_workload(h, &w[i], names[i], out, err);
	g_string_append(h, "</body>\n</html>\n");
	if (ok) {
		char *idx = g_build_filename(out, "index.html", NULL);
		ok = out_write_atomic(idx, h->str, h->len, err);
		g_free(idx);
	}
	g_string_free(cmds, TRUE);
	g_string_free(h, TRUE);
	g_free(hpng);
	g_free(hm);
	g_strfreev(pols);
	g_strfreev(names);
	g_strfreev(dirs);
	return ok;
}

/*
 * sensitivity.c -- rankings, flips and the outputs of `vnodesim sensitivity` (see
 * sensitivity.h; the runs are cmd_sensitivity.c's).
 *
 * (1) Everything here is computed from the settings' summary.csv files (through
 *     cmp_read_all), never from a run's process: the outputs are a function of those files,
 *     so the same scenario and seeds give byte-identical sensitivity.csv and .json.
 * (2) A ranking is a total order (IOPS, then the policy list's order) for the `rank`
 *     column; its text marks with `=` two neighbours the rule cannot tell apart, so a
 *     reader never takes a difference within the noise for an order.
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/compare.h"
#include "sim/csv.h"
#include "sim/sensitivity.h"

struct sens *
sens_new(const char *scenario, char **policies, int seeds, double threshold)
{
	struct sens *s = g_new0(struct sens, 1);
	s->scenario = g_strdup(scenario);
	s->policies = g_strdupv(policies);
	s->seeds = seeds;
	s->threshold = threshold;
	s->settings = g_ptr_array_new();
	return s;
}

struct sens_setting *
sens_add(struct sens *s, const char *key, double factor, double base_value, double value)
{
	struct sens_setting *t = g_new0(struct sens_setting, 1);
	t->key = g_strdup(key);
	t->factor = factor;
	t->base_value = base_value;
	t->value = value;
	g_ptr_array_add(s->settings, t);
	return t;
}

void
sens_free(struct sens *s)
{
	if (!s)
		return;
	for (guint i = 0; i < s->settings->len; i++) {
		struct sens_setting *t = s->settings->pdata[i];
		g_free(t->key);
		g_free(t->why);
		g_free(t->dir);
		if (t->all)
			cmp_all_free(t->all);
		g_free(t);
	}
	g_ptr_array_free(s->settings, TRUE);
	g_strfreev(s->policies);
	g_free(s->scenario);
	g_free(s);
}

static const struct cmp_all *
find(const GArray *all, const char *policy)
{
	for (guint i = 0; all && i < all->len; i++)
		if (!strcmp(g_array_index(all, struct cmp_all, i).policy, policy))
			return &g_array_index(all, struct cmp_all, i);
	return NULL;
}

int
sens_order(const struct sens *s, const GArray *all, const char *a, const char *b)
{
	const struct cmp_all *x = find(all, a), *y = find(all, b);
	if (!x || !y)
		return 0;
	double d = x->iops - y->iops;
	double rule = s->seeds > 1 ? x->iops_ci + y->iops_ci
	                           : s->threshold * fmax(fabs(x->iops), fabs(y->iops));
	if (fabs(d) <= rule)
		return 0;
	return d > 0 ? 1 : -1;
}

static double
iops_of(const GArray *all, const char *policy)
{
	const struct cmp_all *e = find(all, policy);
	return e ? e->iops : 0;
}

/* The policies' indexes in ranked order (highest IOPS first, ties in list order). */
static int *
ranked(const struct sens *s, const GArray *all)
{
	int n = (int)g_strv_length(s->policies);
	int *r = g_new(int, n);
	for (int i = 0; i < n; i++)
		r[i] = i;
	for (int i = 1; i < n; i++) /* insertion sort: stable, n is small */
		for (int j = i; j > 0; j--) {
			double a = iops_of(all, s->policies[r[j - 1]]);
			double b = iops_of(all, s->policies[r[j]]);
			if (b <= a)
				break;
			int t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	return r;
}

/* rank (1 = first) of policy I */
static int
rank_of(const int *r, int n, int i)
{
	for (int k = 0; k < n; k++)
		if (r[k] == i)
			return k + 1;
	return 0;
}

/* "a > b = c": `=` where the rule cannot tell the neighbours apart (note 2) */
static char *
ranking_text(const struct sens *s, const GArray *all)
{
	int n = (int)g_strv_length(s->policies);
	int *r = ranked(s, all);
	GString *t = g_string_new(NULL);
	for (int k = 0; k < n; k++) {
		if (k > 0)
			g_string_append(
			    t, sens_order(s, all, s->policies[r[k - 1]], s->policies[r[k]]) == 0
			           ? " = "
			           : " > ");
		g_string_append(t, s->policies[r[k]]);
	}
	g_free(r);
	return g_string_free(t, FALSE);
}

static double
serial_of(const GArray *all)
{
	return cmp_serial_iops(all);
}

static const struct sens_setting *
baseline(const struct sens *s)
{
	return s->settings->len ? s->settings->pdata[0] : NULL;
}

/* Does the order of policies A and B flip between the baseline and T? */
static bool
flipped(const struct sens *s, const struct sens_setting *t, const char *a, const char *b)
{
	const struct sens_setting *b0 = baseline(s);
	int o0 = sens_order(s, b0->all, a, b), o = sens_order(s, t->all, a, b);
	return o0 != 0 && o != 0 && o != o0;
}

static const char *
status_name(enum sens_status st)
{
	return st == SENS_OK ? "ok" : st == SENS_ZERO ? "zero" : "out-of-range";
}

static void
num(GString *out, const char *fmt, double v)
{
	char b[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(b, sizeof b, fmt, v);
	g_string_append(out, b);
}

static const char sens_csv_header[] =
    "scenario,key,factor,value,baseline_value,status,ranking,policy,iops,iops_ci95,rank,"
    "baseline_iops,baseline_rank,vs_serial,baseline_vs_serial,flips\n";

char *
sens_csv(const struct sens *s)
{
	GString *out = g_string_new(sens_csv_header);
	const struct sens_setting *b0 = baseline(s);
	int n = (int)g_strv_length(s->policies);
	int *r0 = b0 && b0->all ? ranked(s, b0->all) : NULL;
	double ser0 = b0 && b0->all ? serial_of(b0->all) : 0;
	for (guint i = 0; i < s->settings->len; i++) {
		const struct sens_setting *t = s->settings->pdata[i];
		int *r = t->all ? ranked(s, t->all) : NULL;
		char *rk = t->all ? ranking_text(s, t->all) : g_strdup("");
		double ser = t->all ? serial_of(t->all) : 0;
		for (int p = 0; p < (t->all ? n : 1); p++) {
			csv_field(out, s->scenario);
			g_string_append_c(out, ',');
			csv_field(out, t->key ? t->key : "baseline");
			g_string_append_c(out, ',');
			num(out, "%.12g", t->factor);
			g_string_append_c(out, ',');
			if (t->key) {
				num(out, "%.12g", t->value);
				g_string_append_c(out, ',');
				num(out, "%.12g", t->base_value);
			} else {
				g_string_append_c(out, ',');
			}
			g_string_append_printf(out, ",%s,", status_name(t->status));
			csv_field(out, rk);
			g_string_append_c(out, ',');
			if (!t->all) {
				g_string_append(out, ",,,,,,,,\n");
				continue;
			}
			const char *pol = s->policies[p];
			const struct cmp_all *e = find(t->all, pol), *e0 = find(b0->all, pol);
			csv_field(out, pol);
			g_string_append_c(out, ',');
			num(out, "%.1f", e ? e->iops : 0);
			g_string_append_c(out, ',');
			num(out, "%.1f", e && s->seeds > 1 ? e->iops_ci : 0);
			g_string_append_printf(out, ",%d,", rank_of(r, n, p));
			num(out, "%.1f", e0 ? e0->iops : 0);
			g_string_append_printf(out, ",%d,", rank_of(r0, n, p));
			if (ser > 0 && e)
				num(out, "%.4f", e->iops / ser);
			g_string_append_c(out, ',');
			if (ser0 > 0 && e0)
				num(out, "%.4f", e0->iops / ser0);
			g_string_append_c(out, ',');
			GString *fl = g_string_new(NULL);
			for (int q = 0; t->key && q < n; q++)
				if (q != p && flipped(s, t, pol, s->policies[q]))
					g_string_append_printf(fl, "%s%s", fl->len ? " " : "",
					                       s->policies[q]);
			csv_field(out, fl->str);
			g_string_free(fl, TRUE);
			g_string_append_c(out, '\n');
		}
		g_free(rk);
		g_free(r);
	}
	g_free(r0);
	return g_string_free(out, FALSE);
}

/* The best policy's IOPS over serial's in ALL, or 0 without serial. */
static double
best_over_serial(const struct sens *s, const GArray *all, const char **best)
{
	int *r = ranked(s, all);
	*best = s->policies[r[0]];
	double ser = serial_of(all), v = ser > 0 ? iops_of(all, *best) / ser : 0;
	g_free(r);
	return v;
}

/* [[a, b], ...]: the pairs of T whose order flipped, the one ahead in T first */
static int
add_flips(JsonBuilder *b, const struct sens *s, const struct sens_setting *t)
{
	int n = (int)g_strv_length(s->policies), count = 0;
	json_builder_begin_array(b);
	for (int p = 0; t->all && t->key && p < n; p++)
		for (int q = p + 1; q < n; q++)
			if (flipped(s, t, s->policies[p], s->policies[q])) {
				bool pa = sens_order(s, t->all, s->policies[p], s->policies[q]) > 0;
				json_builder_begin_array(b);
				json_builder_add_string_value(b, s->policies[pa ? p : q]);
				json_builder_add_string_value(b, s->policies[pa ? q : p]);
				json_builder_end_array(b);
				count++;
			}
	json_builder_end_array(b);
	return count;
}

JsonNode *
sens_json(const struct sens *s)
{
	JsonBuilder *b = json_builder_new();
	const struct sens_setting *b0 = baseline(s);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "scenario");
	json_builder_add_string_value(b, s->scenario);
	json_builder_set_member_name(b, "metric");
	json_builder_add_string_value(b, "total IOPS of the all rows");
	json_builder_set_member_name(b, "seeds");
	json_builder_add_int_value(b, s->seeds);
	json_builder_set_member_name(b, "rule");
	json_builder_add_string_value(
	    b, s->seeds > 1 ? "ordered when the difference exceeds the sum of the 95% confidence "
	                      "intervals"
	                    : "ordered when the difference exceeds threshold x the larger");
	json_builder_set_member_name(b, "threshold");
	json_builder_add_double_value(b, s->seeds > 1 ? 0 : s->threshold);
	json_builder_set_member_name(b, "policies");
	json_builder_begin_array(b);
	for (char **p = s->policies; *p; p++)
		json_builder_add_string_value(b, *p);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "settings");
	json_builder_begin_array(b);
	for (guint i = 0; i < s->settings->len; i++) {
		const struct sens_setting *t = s->settings->pdata[i];
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "key");
		json_builder_add_string_value(b, t->key ? t->key : "baseline");
		json_builder_set_member_name(b, "factor");
		json_builder_add_double_value(b, t->factor);
		if (t->key) {
			json_builder_set_member_name(b, "baseline_value");
			json_builder_add_double_value(b, t->base_value);
			json_builder_set_member_name(b, "value");
			json_builder_add_double_value(b, t->value);
		}
		json_builder_set_member_name(b, "status");
		json_builder_add_string_value(b, status_name(t->status));
		if (t->why) {
			json_builder_set_member_name(b, "why");
			json_builder_add_string_value(b, t->why);
		}
		if (t->all) {
			char *rk = ranking_text(s, t->all);
			json_builder_set_member_name(b, "ranking");
			json_builder_add_string_value(b, rk);
			g_free(rk);
			json_builder_set_member_name(b, "iops");
			json_builder_begin_object(b);
			for (char **p = s->policies; *p; p++) {
				json_builder_set_member_name(b, *p);
				json_builder_add_double_value(b, iops_of(t->all, *p));
			}
			json_builder_end_object(b);
			const char *best, *best0;
			double r = best_over_serial(s, t->all, &best);
			double r0 = best_over_serial(s, b0->all, &best0);
			json_builder_set_member_name(b, "best");
			json_builder_add_string_value(b, best);
			if (r > 0) {
				json_builder_set_member_name(b, "best_over_serial");
				json_builder_add_double_value(b, r);
				json_builder_set_member_name(b, "baseline_best_over_serial");
				json_builder_add_double_value(b, r0);
			}
			json_builder_set_member_name(b, "flips");
			add_flips(b, s, t);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	JsonNode *root = json_builder_get_root(b);
	g_object_unref(b);
	return root;
}

void
sens_print(const struct sens *s, FILE *f, int *nflips)
{
	*nflips = 0;
	fprintf(f, "%-18s %6s %12s  %-8s %s\n", "cost", "factor", "value", "best/ser", "ranking");
	for (guint i = 0; i < s->settings->len; i++) {
		const struct sens_setting *t = s->settings->pdata[i];
		char val[32] = "", fac[16], ratio[16] = "-";
		if (t->key)
			g_ascii_formatd(val, sizeof val, "%.6g", t->value);
		g_ascii_formatd(fac, sizeof fac, "%gx", t->factor);
		if (!t->all) {
			fprintf(f, "%-18s %6s %12s  %-8s (%s)\n", t->key, fac, val, "",
			        t->status == SENS_ZERO ? "0 at baseline: not varied"
			                               : "outside the key's range: not run");
			continue;
		}
		const char *best;
		double r = best_over_serial(s, t->all, &best);
		if (r > 0)
			snprintf(ratio, sizeof ratio, "%.2fx", r);
		char *rk = ranking_text(s, t->all);
		fprintf(f, "%-18s %6s %12s  %-8s %s\n", t->key ? t->key : "baseline",
		        t->key ? fac : "", val, ratio, rk);
		g_free(rk);
		int n = (int)g_strv_length(s->policies), count = 0;
		for (int p = 0; t->key && p < n; p++)
			for (int q = p + 1; q < n; q++)
				if (flipped(s, t, s->policies[p], s->policies[q])) {
					bool pa = sens_order(s, t->all, s->policies[p],
					                     s->policies[q]) > 0;
					fprintf(f,
					        "%-18s %6s %12s  %-8s   FLIP: %s now ahead of %s\n",
					        "", "", "", "", s->policies[pa ? p : q],
					        s->policies[pa ? q : p]);
					count++;
				}
		*nflips += count > 0;
	}
	/* how far the best policy's lead over serial moves */
	const struct sens_setting *lo = NULL, *hi = NULL;
	double rlo = 0, rhi = 0;
	for (guint i = 1; i < s->settings->len; i++) {
		const struct sens_setting *t = s->settings->pdata[i];
		const char *best;
		double r = t->all ? best_over_serial(s, t->all, &best) : 0;
		if (r > 0 && (!lo || r < rlo)) {
			lo = t;
			rlo = r;
		}
		if (r > 0 && (!hi || r > rhi)) {
			hi = t;
			rhi = r;
		}
	}
	const struct sens_setting *b0 = baseline(s);
	const char *best0;
	double r0 = b0 && b0->all ? best_over_serial(s, b0->all, &best0) : 0;
	if (r0 > 0 && lo)
		fprintf(f,
		        "best/serial: %.2fx at baseline, from %.2fx (%s x%g) to %.2fx (%s x%g)\n",
		        r0, rlo, lo->key, lo->factor, rhi, hi->key, hi->factor);
	if (s->seeds > 1)
		fprintf(f,
		        "(`=`: within the sum of the two 95%% confidence intervals over %d seeds; "
		        "a flip is an order so decided at baseline and the other way here)\n",
		        s->seeds);
	else
		fprintf(f,
		        "(`=`: within %g%% of the larger, one seed; a flip is an order so "
		        "decided at baseline and the other way here)\n",
		        s->threshold * 100);
}

/* ---- the report page's section ---- */

static void
esc(GString *h, const char *text)
{
	char *e = g_markup_escape_text(text, -1);
	g_string_append(h, e);
	g_free(e);
}

/* The flips of the rows R[i0..i1) (one setting), each pair once, the one now ahead first. */
static void
group_flips(GString *fl, GPtrArray *r, guint i0, guint i1, int policy, int rank, int flips)
{
	for (guint i = i0; i < i1; i++) {
		char **g = r->pdata[i];
		char **others = g_strsplit(g[flips], " ", -1);
		for (char **o = others; *o && **o; o++)
			for (guint k = i0; k < i1; k++) {
				char **x = r->pdata[k];
				if (strcmp(x[policy], *o) || atoi(g[rank]) >= atoi(x[rank]))
					continue;
				if (fl->len)
					g_string_append(fl, "; ");
				esc(fl, g[policy]);
				g_string_append(fl, " now ahead of ");
				esc(fl, *o);
			}
		g_strfreev(others);
	}
}

bool
sens_report_section(GString *h, const char *text)
{
	enum { KEY, FACTOR, VALUE, BASE, STATUS, RANKING, POLICY, RANK, VS, FLIPS, N };
	static const char *const names[N] = {"key",       "factor",  "value",  "baseline_value",
	                                     "status",    "ranking", "policy", "rank",
	                                     "vs_serial", "flips"};
	char **lines = g_strsplit(text, "\n", -1);
	char **head = csv_split(lines[0] ? lines[0] : "");
	int c[N], ncols = (int)g_strv_length(head);
	bool ok = true;
	for (int i = 0; i < N; i++) {
		c[i] = -1;
		for (int k = 0; head[k]; k++)
			if (!strcmp(head[k], names[i]))
				c[i] = k;
		ok = ok && c[i] >= 0;
	}
	g_strfreev(head);
	GPtrArray *r = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	for (char **l = lines + (lines[0] ? 1 : 0); ok && *l && **l; l++) {
		char **f = csv_split(*l);
		if ((int)g_strv_length(f) == ncols)
			g_ptr_array_add(r, f);
		else
			g_strfreev(f);
	}
	g_strfreev(lines);
	if (!ok || r->len == 0) {
		g_ptr_array_free(r, TRUE);
		return false;
	}
	GString *rows = g_string_new(NULL), *flipped_rows = g_string_new(NULL);
	const char *base_rank = NULL, *base_vs = NULL;
	char **lo = NULL,
	     **hi = NULL; /* the settings' rows of the lowest and highest best/serial */
	int nset = 0, nflip = 0, nskip = 0;
	for (guint i0 = 0, i1; i0 < r->len; i0 = i1) {
		char **f = r->pdata[i0];
		for (i1 = i0 + 1; i1 < r->len; i1++) {
			char **g = r->pdata[i1];
			if (strcmp(g[c[KEY]], f[c[KEY]]) || strcmp(g[c[FACTOR]], f[c[FACTOR]]))
				break;
		}
		for (guint k = i0; k < i1; k++) { /* the best policy's lead over serial */
			char **g = r->pdata[k];
			if (strcmp(g[c[RANK]], "1") || !*g[c[VS]])
				continue;
			double v = g_ascii_strtod(g[c[VS]], NULL);
			if (!strcmp(f[c[KEY]], "baseline"))
				base_vs = g[c[VS]];
			else if (!lo || v < g_ascii_strtod(lo[c[VS]], NULL))
				lo = g;
			if (strcmp(f[c[KEY]], "baseline") &&
			    (!hi || v > g_ascii_strtod(hi[c[VS]], NULL)))
				hi = g;
		}
		if (!strcmp(f[c[KEY]], "baseline")) {
			base_rank = f[c[RANKING]];
			continue;
		}
		nset++;
		nskip += strcmp(f[c[STATUS]], "ok") != 0;
		GString *row = g_string_new("<tr><td><code>");
		esc(row, f[c[KEY]]);
		g_string_append(row, "</code></td><td class=\"num\">");
		esc(row, f[c[FACTOR]]);
		g_string_append(row, "&times;</td><td class=\"num\">");
		esc(row, f[c[BASE]]);
		g_string_append(row, " &rarr; ");
		esc(row, f[c[VALUE]]);
		g_string_append(row, "</td><td>");
		if (!strcmp(f[c[STATUS]], "ok"))
			esc(row, f[c[RANKING]]);
		else
			g_string_append(row, !strcmp(f[c[STATUS]], "zero")
			                         ? "<i>0 at baseline: not varied</i>"
			                         : "<i>outside the key's range: not run</i>");
		g_string_append(row, "</td><td>");
		GString *fl = g_string_new(NULL);
		group_flips(fl, r, i0, i1, c[POLICY], c[RANK], c[FLIPS]);
		g_string_append(row, fl->len ? fl->str : "none");
		g_string_append(row, "</td></tr>\n");
		g_string_append(rows, row->str);
		if (fl->len) {
			nflip++;
			g_string_append(flipped_rows, row->str);
		}
		g_string_free(fl, TRUE);
		g_string_free(row, TRUE);
	}
	static const char head_row[] =
	    "<table>\n<tr><th>[host] cost</th><th>factor</th><th>value</th>"
	    "<th>ranking by total IOPS (<code>=</code>: not told apart)</th><th>flips against "
	    "the baseline</th></tr>\n";
	g_string_append(h, "<h3>Sensitivity to the host's costs</h3>\n<p>Baseline ranking: ");
	esc(h, base_rank ? base_rank : "?");
	g_string_append_printf(h,
	                       ". Each [host] cost multiplied by each factor, one at a time: "
	                       "%d settings run, %d not (0 at baseline, or out of the key's "
	                       "range); %d with a ranking flip (an order told apart at baseline "
	                       "and the other way round there; <code>vnodesim sensitivity</code>, "
	                       "docs/commands.md).</p>\n",
	                       nset - nskip, nskip, nflip);
	if (base_vs && lo) {
		g_string_append_printf(
		    h,
		    "<p>The best policy's throughput over serial's: %.2f&times; at "
		    "baseline, from %.2f&times; (<code>",
		    g_ascii_strtod(base_vs, NULL), g_ascii_strtod(lo[c[VS]], NULL));
		esc(h, lo[c[KEY]]);
		g_string_append(h, "</code> &times;");
		esc(h, lo[c[FACTOR]]);
		g_string_append_printf(h, ") to %.2f&times; (<code>",
		                       g_ascii_strtod(hi[c[VS]], NULL));
		esc(h, hi[c[KEY]]);
		g_string_append(h, "</code> &times;");
		esc(h, hi[c[FACTOR]]);
		g_string_append(h, ").</p>\n");
	}
	if (nflip) {
		g_string_append(h, head_row);
		g_string_append(h, flipped_rows->str);
		g_string_append(h, "</table>\n");
	}
	g_string_append(h, "<details><summary>Every setting</summary>");
	g_string_append(h, head_row);
	g_string_append(h, rows->str);
	g_string_append(h, "</table></details>\n");
	g_string_free(rows, TRUE);
	g_string_free(flipped_rows, TRUE);
	g_ptr_array_free(r, TRUE);
	return true;
}

/*
 * cmd_vsfio.c -- `vnodesim vs-fio RESULT.json SCENARIO [--policy P] [--out DIR]`: a real fio
 * run's figures beside the simulated ones.  RESULT.json is fio's --output-format=json (or
 * json+) output; SCENARIO (with --sim/--set as for run) is simulated under one policy, or
 * its earlier results reused, and per job and direction fio's iops, bandwidth and completion
 * latency (mean, p50, p99, p99.9) are printed beside vnodesim's with their ratio
 * (vnodesim / fio), and written to DIR/vs-fio.csv.
 *
 * Design notes:
 * (1) The simulation is `run SCENARIO --policy P --out DIR --stamp`'s: DIR/summary.csv,
 *     DIR/timing.csv, DIR/P/result.json and DIR/stamp.  When DIR/stamp is the one that run
 *     would write now (same build, inputs and options: cli_run_stamp), nothing is simulated
 *     and DIR/P/result.json is read as it is, so `run ... --stamp` followed by vs-fio with
 *     the same options simulates once.
 * (2) Both JSON documents are read by the same code: fio's and vnodesim's share the layout
 *     (fio.c).  Jobs are matched by jobname.  fio lists each clone of a numjobs job on its
 *     own (unless group_reporting); vnodesim reports a job section as one: the clones are
 *     summed (iops, bandwidth, requests), the mean is weighted by requests, and the
 *     percentiles are taken from the merged json+ bins when every clone has them (fio's
 *     bins are latencies in ns with their counts), else left out ("-").
 * (3) fio may print lines before its JSON (a job's "name: (g=0): rw=..." line when
 *     --output-format came after the job options, warnings): the document starts at the
 *     first line that begins with '{'.  Anything that is not fio's JSON (no "jobs" array, a
 *     job without "jobname", a direction without numbers) exits 2 naming the file and the
 *     member.
 */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/csv.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/run.h"
#include "sim/scenario.h"

/* The largest fio JSON read (a json+ of many jobs is a few MB). */
#define VS_MAX_JSON (256u << 20)

enum { M_IOPS, M_BW, M_MEAN, M_P50, M_P99, M_P999, NM };
static const char *const metric_names[NM] = {"iops",        "bw_KiB_s",    "clat_mean_us",
                                             "clat_p50_us", "clat_p99_us", "clat_p999_us"};
static const double quantiles[] = {50.0, 99.0, 99.9};

/* One job and direction of one document: clones summed (note 2). */
struct vs_dir {
	double ios, iops, bw_bytes, clat_sum_ns; /* clat_sum_ns: mean x requests */
	double pct[3];                           /* ns; NAN: unknown */
	GHashTable *bins;                        /* ns (string) -> count, NULL: none */
	int clones;
	bool all_bins;
};

struct vs_job {
	char *name;
	struct vs_dir d[2]; /* read, write */
};

static void
vs_job_free(gpointer p)
{
	struct vs_job *j = p;
	for (int i = 0; i < 2; i++)
		if (j->d[i].bins)
			g_hash_table_destroy(j->d[i].bins);
	g_free(j->name);
	g_free(j);
}

static bool
num_member(JsonObject *o, const char *name, double *out)
{
	JsonNode *n = json_object_get_member(o, name);
	if (!n || !JSON_NODE_HOLDS_VALUE(n))
		return false;
	GType t = json_node_get_value_type(n);
	if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
		return false;
	*out = json_node_get_double(n);
	return true;
}

static bool bad(GError **err, const char *file, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool
bad(GError **err, const char *file, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: %s", file, m);
	g_free(m);
	return false;
}

/* Add one document's job J, direction DIR ("read"/"write"), into D. */
static bool
add_dir(struct vs_dir *d, JsonObject *job, const char *dir, const char *file, guint idx,
        GError **err)
{
	JsonNode *dn = json_object_get_member(job, dir);
	if (!dn || !JSON_NODE_HOLDS_OBJECT(dn))
		return bad(err, file, "jobs[%u].%s: missing (not fio's JSON?)", idx, dir);
	JsonObject *o = json_node_get_object(dn);
	double ios, iops, bw;
	if (!num_member(o, "total_ios", &ios) || !num_member(o, "iops", &iops) ||
	    !num_member(o, "bw_bytes", &bw) || ios < 0 || iops < 0 || bw < 0)
		return bad(err, file,
		           "jobs[%u].%s: total_ios, iops and bw_bytes must be numbers >= 0", idx,
		           dir);
	JsonNode *cn = json_object_get_member(o, "clat_ns");
	if (!cn || !JSON_NODE_HOLDS_OBJECT(cn))
		return bad(err, file, "jobs[%u].%s.clat_ns: missing", idx, dir);
	JsonObject *c = json_node_get_object(cn);
	double mean = 0;
	if (ios > 0 && !num_member(c, "mean", &mean))
		return bad(err, file, "jobs[%u].%s.clat_ns.mean: missing", idx, dir);
	d->clones++;
	d->ios += ios;
	d->iops += iops;
	d->bw_bytes += bw;
	d->clat_sum_ns += mean * ios;
	/* the percentiles as given (one clone), and the bins for merging (note 2) */
	JsonNode *pn = json_object_get_member(c, "percentile");
	for (int q = 0; q < 3; q++) {
		char key[32];
		g_snprintf(key, sizeof key, "%f", quantiles[q]); /* fio's "99.900000" */
		double v = NAN;
		if (d->clones == 1 && pn && JSON_NODE_HOLDS_OBJECT(pn))
			num_member(json_node_get_object(pn), key, &v);
		d->pct[q] = d->clones == 1 ? v : NAN;
	}
	JsonNode *bn = json_object_get_member(c, "bins");
	if (d->clones == 1)
		d->all_bins = true;
	if (!bn || !JSON_NODE_HOLDS_OBJECT(bn)) {
		d->all_bins = d->all_bins && ios == 0;
		return true;
	}
	if (!d->bins)
		d->bins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	JsonObject *b = json_node_get_object(bn);
	GList *keys = json_object_get_members(b);
	for (GList *k = keys; k; k = k->next) {
		double n;
		if (!num_member(b, k->data, &n) || n < 0) {
			g_list_free(keys);
			return bad(err, file, "jobs[%u].%s.clat_ns.bins.%s: not a count", idx, dir,
			           (const char *)k->data);
		}
		double *cnt = g_hash_table_lookup(d->bins, k->data);
		if (!cnt) {
			cnt = g_new0(double, 1);
			g_hash_table_insert(d->bins, g_strdup(k->data), cnt);
		}
		*cnt += n;
	}
	g_list_free(keys);
	return true;
}

static int
cmp_ns(gconstpointer a, gconstpointer b)
{
	double x = g_ascii_strtod(*(char *const *)a, NULL),
	       y = g_ascii_strtod(*(char *const *)b, NULL);
	return x < y ? -1 : x > y;
}

/* Percentiles of several clones from their merged bins: the smallest bin value whose
 * cumulative count reaches q% of the requests (fio's rule over its bins). */
static void
merged_percentiles(struct vs_dir *d)
{
	if (d->clones <= 1 || !d->all_bins || !d->bins)
		return;
	GPtrArray *keys = g_ptr_array_new();
	GHashTableIter it;
	gpointer k, v;
	double total = 0;
	g_hash_table_iter_init(&it, d->bins);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		g_ptr_array_add(keys, k);
		total += *(double *)v;
	}
	g_ptr_array_sort(keys, cmp_ns);
	for (int q = 0; q < 3; q++) {
		double want = ceil(total * quantiles[q] / 100.0), cum = 0;
		for (guint i = 0; i < keys->len; i++) {
			cum += *(double *)g_hash_table_lookup(d->bins, keys->pdata[i]);
			if (cum >= want) {
				d->pct[q] = g_ascii_strtod(keys->pdata[i], NULL);
				break;
			}
		}
	}
	g_ptr_array_free(keys, TRUE);
}

/* Read fio's (or vnodesim's) JSON TEXT of FILE into jobs by name (in first-seen order). */
static GPtrArray *
read_doc(const char *file, const char *text, gsize len, GError **err)
{
	/* (3): from the first line that begins with '{' */
	const char *start = text;
	while (start && *start != '{') {
		start = memchr(start, '\n', len - (gsize)(start - text));
		if (start)
			start++;
	}
	if (!start) {
		bad(err, file, "no JSON object in it (not fio's --output-format=json output)");
		return NULL;
	}
	JsonParser *p = json_parser_new();
	GError *e = NULL;
	if (!json_parser_load_from_data(p, start, (gssize)(len - (gsize)(start - text)), &e)) {
		int skipped = 0;
		for (const char *c = text; c < start; c++)
			skipped += *c == '\n';
		if (skipped)
			bad(err, file,
			    "not JSON (read from line %d on, the lines before are not "
			    "JSON): %s",
			    skipped + 1, e->message);
		else
			bad(err, file, "not JSON: %s", e->message);
		g_error_free(e);
		g_object_unref(p);
		return NULL;
	}
	JsonNode *root = json_parser_get_root(p);
	JsonNode *jn = root && JSON_NODE_HOLDS_OBJECT(root)
	                   ? json_object_get_member(json_node_get_object(root), "jobs")
	                   : NULL;
	if (!jn || !JSON_NODE_HOLDS_ARRAY(jn) ||
	    json_array_get_length(json_node_get_array(jn)) == 0) {
		bad(err, file, "no \"jobs\" array with a job in it (not fio's JSON output)");
		g_object_unref(p);
		return NULL;
	}
	JsonArray *a = json_node_get_array(jn);
	GPtrArray *jobs = g_ptr_array_new_with_free_func(vs_job_free);
	bool ok = true;
	for (guint i = 0; ok && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
		JsonNode *nn = o ? json_object_get_member(o, "jobname") : NULL;
		if (!nn || !JSON_NODE_HOLDS_VALUE(nn) ||
		    json_node_get_value_type(nn) != G_TYPE_STRING) {
			ok = bad(err, file, "jobs[%u].jobname: missing or not a string", i);
			break;
		}
		const char *name = json_node_get_string(nn);
		struct vs_job *j = NULL;
		for (guint k = 0; k < jobs->len && !j; k++)
			if (!strcmp(((struct vs_job *)jobs->pdata[k])->name, name))
				j = jobs->pdata[k];
		if (!j) {
			j = g_new0(struct vs_job, 1);
			j->name = g_strdup(name);
			g_ptr_array_add(jobs, j);
		}
		ok = add_dir(&j->d[0], o, "read", file, i, err) &&
		     add_dir(&j->d[1], o, "write", file, i, err);
	}
	g_object_unref(p);
	if (!ok) {
		g_ptr_array_free(jobs, TRUE);
		return NULL;
	}
	for (guint k = 0; k < jobs->len; k++)
		for (int d = 0; d < 2; d++)
			merged_percentiles(&((struct vs_job *)jobs->pdata[k])->d[d]);
	return jobs;
}

static GPtrArray *
read_json(const char *file, GError **err)
{
	char *text;
	size_t len;
	GError *e = NULL;
	if (!scn_read_input(file, VS_MAX_JSON, &text, &len, &e)) {
		g_set_error_literal(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, e->message);
		g_error_free(e);
		return NULL;
	}
	GPtrArray *jobs = read_doc(file, text, len, err);
	g_free(text);
	return jobs;
}

static void
metrics(const struct vs_dir *d, double m[NM])
{
	m[M_IOPS] = d->iops;
	m[M_BW] = d->bw_bytes / 1024.0; /* fio's bw: KiB/s */
	m[M_MEAN] = d->ios > 0 ? d->clat_sum_ns / d->ios / 1e3 : NAN;
	for (int q = 0; q < 3; q++)
		m[M_P50 + q] = d->pct[q] / 1e3;
}

static void
put_num(GString *s, double v)
{
	if (isnan(v))
		g_string_append(s, "-");
	else
		g_string_append_printf(s, "%.3f", v);
}

/* The table on stdout (unless QUIET) and the CSV text into CSV. */
static void
compare_docs(GPtrArray *fio, GPtrArray *sim, GString *csv, bool quiet)
{
	static const char *const dirs[2] = {"read", "write"};
	g_string_append(csv, "job,direction,metric,fio,vnodesim,ratio\n");
	if (!quiet)
		printf("%-16s %-5s %-13s %14s %14s %8s\n", "job", "dir", "metric", "fio",
		       "vnodesim", "ratio");
	for (guint i = 0; i < fio->len; i++) {
		const struct vs_job *f = fio->pdata[i], *s = NULL;
		for (guint k = 0; k < sim->len && !s; k++)
			if (!strcmp(((struct vs_job *)sim->pdata[k])->name, f->name))
				s = sim->pdata[k];
		if (!s) {
			fprintf(stderr,
			        "vnodesim: vs-fio: fio's job '%s' is not in the simulation (a job "
			        "file other than the scenario's, or a job vnodesim skipped)\n",
			        f->name);
			continue;
		}
		for (int d = 0; d < 2; d++) {
			if (f->d[d].ios == 0 && s->d[d].ios == 0)
				continue;
			double mf[NM], ms[NM];
			metrics(&f->d[d], mf);
			metrics(&s->d[d], ms);
			for (int m = 0; m < NM; m++) {
				double r = mf[m] > 0 && !isnan(ms[m]) ? ms[m] / mf[m] : NAN;
				GString *row = g_string_new(NULL);
				csv_field(row, f->name);
				g_string_append_printf(row, ",%s,%s,", dirs[d], metric_names[m]);
				put_num(row, mf[m]);
				g_string_append_c(row, ',');
				put_num(row, ms[m]);
				g_string_append_c(row, ',');
				put_num(row, r);
				g_string_append_c(row, '\n');
				g_string_append(csv, row->str);
				g_string_free(row, TRUE);
				if (quiet)
					continue;
				char a[32], b[32], c[32];
				g_snprintf(a, sizeof a, isnan(mf[m]) ? "-" : "%.1f", mf[m]);
				g_snprintf(b, sizeof b, isnan(ms[m]) ? "-" : "%.1f", ms[m]);
				g_snprintf(c, sizeof c, isnan(r) ? "-" : "%.3f", r);
				printf("%-16s %-5s %-13s %14s %14s %8s\n", f->name, dirs[d],
				       metric_names[m], a, b, c);
			}
		}
	}
}

int
cmd_vsfio(int argc, char **argv)
{
	char *policy = NULL, *out = NULL, *sim = NULL;
	char **sets = NULL;
	gint64 seed = SEED_UNSET;
	gboolean quiet = FALSE;
	GOptionEntry entries[] = {
	    {"policy", 'p', 0, G_OPTION_ARG_STRING, &policy,
	     "The lock policy simulated (default: the scenario's [policy] name, the first of a "
	     "list)",
	     "P"},
	    {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default: [sim] seed)", "N"},
	    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
	     "Override a scenario key (global.KEY: every job too)", "SECTION.KEY=VALUE"},
	    {"sim", 0, 0, G_OPTION_ARG_FILENAME, &sim,
	     "The simulator's sections ([disk] [host] [fs] [policy] [block] [sim] [job:NAME]) "
	     "in their own file: SCENARIO stays the pure fio job file fio ran",
	     "FILE"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
	     "Output directory (default results/<scenario>-vs-fio)", "DIR"},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the table", NULL},
	    {NULL}};
	int status = CLI_EXIT_BAD;
	struct scn *s = NULL;
	GPtrArray *fio = NULL, *simj = NULL;
	char **pols = NULL;
	char *outdir = NULL, *stamp = NULL, *stamp_path = NULL, *old = NULL;
	GError *err = NULL;
	if (!cli_parse_opts("vs-fio", "RESULT.json SCENARIO",
	                    "Put a real fio run's figures (its --output-format=json or json+ "
	                    "output) beside the simulation of SCENARIO: per job and direction, "
	                    "iops, bandwidth and completion latency (mean, p50, p99, p99.9), and "
	                    "their ratio vnodesim/fio; also in DIR/vs-fio.csv.",
	                    entries, &argc, &argv))
		goto done;
	if (argc != 3) {
		cli_bad("vs-fio: expected RESULT.json and SCENARIO (see vnodesim vs-fio --help)");
		goto done;
	}
	if (!cli_seed_ok("vs-fio", seed))
		goto done;
	if (!(fio = read_json(argv[1], &err))) {
		status = cli_bad_err(err);
		goto done;
	}
	scn_inputs_reset(); /* the stamp covers every input read from here on */
	if (!(s = cli_load_scenario_sim(argv[2], sim, sets)))
		goto done;
	if (!run_check(s, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	struct sim_cfg sc;
	if (!run_load_sim(scn_section(s, "sim"), &sc, &err)) {
		status = cli_bad_err(err);
		goto done;
	}
	g_free(sc.policies);
	uint64_t seed0 = seed >= 0 ? (uint64_t)seed : sc.seed;
	if (!policy) {
		const char *name;
		scn_get_str(scn_section(s, "policy"), "name", "serial", &name, NULL);
		char **v = g_strsplit(name, ",", 2);
		policy = g_strdup(v[0] ? v[0] : "serial");
		g_strfreev(v);
	}
	pols = g_new0(char *, 2);
	pols[0] = g_strdup(policy);
	if (!cli_check_policies(s, pols, "vs-fio", "--policy", true))
		goto done;
	cli_print_warnings(s);
	outdir = out ? g_strdup(out) : g_strdup_printf("results/%s-vs-fio", scn_name(s));
	guard_outdir(outdir);
	if (!cli_outdir_ready(outdir))
		goto done;
	/* (1): the stamp `run SCENARIO --policy P --seed N --out DIR --stamp` writes */
	stamp = cli_run_stamp(argv[2], policy, seed0, 1, false, false, sets);
	stamp_path = g_build_filename(outdir, "stamp", NULL);
	char *rj = g_build_filename(outdir, policy, "result.json", NULL);
	bool reuse = g_file_get_contents(stamp_path, &old, NULL, NULL) && !strcmp(old, stamp) &&
	             g_file_test(rj, G_FILE_TEST_IS_REGULAR);
	g_free(rj);
	if (!reuse) {
		cli_retire_results(outdir);
		char *dir = cli_seed_dir(outdir, policy, seed0, 0);
		status = cli_mkdir_p(dir) ? 0 : CLI_EXIT_BAD;
		struct run_opts o = {.outdir = dir,
		                     .policy = policy,
		                     .seed = seed0,
		                     .simgrid_args = cli_simgrid_args()};
		if (status == 0)
			status = cli_fork_run(s, &o);
		g_free(dir);
		GString *sum = g_string_new(NULL);
		if (status == 0 && !cli_gather(outdir, pols, seed0, 1, sum))
			status = 1;
		g_string_free(sum, TRUE);
		if (status == 0 && !out_write_atomic(stamp_path, stamp, strlen(stamp), &err)) {
			fprintf(stderr, "vnodesim: %s\n", err->message);
			g_clear_error(&err);
			status = 1;
		}
		if (status != 0)
			guard_clean_tmp();
		cli_retire_done(outdir);
		if (status != 0)
			goto done;
	} else if (!quiet) {
		printf("(the simulation in %s is current: reused)\n", outdir);
	}
	status = 1;
	rj = g_build_filename(outdir, policy, "result.json", NULL);
	simj = read_json(rj, &err);
	g_free(rj);
	if (!simj) {
		fprintf(stderr, "vnodesim: %s\n", err->message);
		g_clear_error(&err);
		goto done;
	}
	GString *csv = g_string_new(NULL);
	compare_docs(fio, simj, csv, quiet);
	char *cp = g_build_filename(outdir, "vs-fio.csv", NULL);
	if (!out_write_atomic(cp, csv->str, csv->len, &err)) {
		fprintf(stderr, "vnodesim: %s\n", err->message);
		g_clear_error(&err);
	} else {
		status = 0;
		if (!quiet)
			printf("\nratio = vnodesim / fio; policy %s; written to %s\n", policy, cp);
	}
	g_free(cp);
	g_string_free(csv, TRUE);
done:
	if (fio)
		g_ptr_array_free(fio, TRUE);
	if (simj)
		g_ptr_array_free(simj, TRUE);
	scn_free(s);
	g_strfreev(pols);
	g_strfreev(sets);
	g_free(policy);
	g_free(out);
	g_free(sim);
	g_free(outdir);
	g_free(stamp);
	g_free(stamp_path);
	g_free(old);
	return status;
}

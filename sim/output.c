/*
 * output.c -- the records a run writes (summary rows from the column table, requests.csv
 * lines), fio-shaped JSON, atomic file writes (see output.h).
 *
 * (1) Every number is printed with snprintf in the C locale (the program never calls
 *     setlocale for LC_NUMERIC) with a fixed format, so equal runs give equal bytes.
 * (2) A file is written to PATH.tmp, flushed, fsync'ed and renamed: a reader sees the old
 *     file or the new one, never a truncated one.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/output.h"

const char out_requests_header[] =
    "id,job,op,path,offset,len,t_issue,t_done,lock_wait_us,queue_us,seek_us,rot_us,xfer_us,"
    "ctrl_us,service_us\n";
const char out_timing_header[] = "policy,wall_seconds,requests_per_s,peak_rss_kb\n";
const char out_locks_header[] = "t,lock,class,event,req,offset,len\n";

void
out_summary_row(GString *s, const char *scenario, const char *policy, unsigned long long seed,
                const char *job, const struct st_job *j, double disk_util)
{
	struct col_row row;
	col_row_init(&row, scenario, policy, seed, job, j, disk_util);
	for (int i = 0; i < col_count(); i++) {
		if (i)
			g_string_append_c(s, ',');
		col_append(s, col_at(i), &row);
	}
	g_string_append_c(s, '\n');
}

void
out_json_columns(JsonBuilder *b, const struct col_row *row, unsigned flag)
{
	for (int i = 0; i < col_count(); i++) {
		const struct col *c = col_at(i);
		if (!(c->flags & flag))
			continue;
		json_builder_set_member_name(b, c->name);
		switch (c->type) {
		case COL_TEXT:
			json_builder_add_string_value(b, c->get.text(row));
			break;
		case COL_COUNT:
			json_builder_add_int_value(b, (gint64)c->get.count(row));
			break;
		case COL_REAL:
			json_builder_add_double_value(b, c->get.real(row));
			break;
		}
	}
}

void
out_request_row(FILE *f, const struct out_request *r)
{
	fprintf(f, "%llu,%s,%s,%s,%llu,%llu,%.9f,%.9f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n",
	        (unsigned long long)r->id, r->job, r->op, r->path, (unsigned long long)r->offset,
	        (unsigned long long)r->len, r->t_issue, r->t_done, r->lock_wait * 1e6,
	        r->queue * 1e6, r->seek * 1e6, r->rot * 1e6, r->xfer * 1e6, r->ctrl * 1e6,
	        r->service * 1e6);
}

JsonNode *
out_fio_dir(const struct st_job *j, enum io_dir op)
{
	/* fio reports each direction's latency; ours are kept per job, so the percentiles of
	 * the direction are computed from the job's combined sorted array only when the job
	 * is one-directional, and from the direction's mean otherwise (documented). */
	static const double pct[] = {1,  5,  10, 20, 30,   40,   50,    60,   70,
	                             80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
	double span = j->t_first >= 0 ? j->t_last - j->t_first : 0;
	JsonBuilder *b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "io_bytes");
	json_builder_add_int_value(b, (gint64)j->bytes[op]);
	json_builder_set_member_name(b, "io_kbytes");
	json_builder_add_int_value(b, (gint64)(j->bytes[op] / 1024));
	json_builder_set_member_name(b, "bw_bytes");
	json_builder_add_int_value(b, span > 0 ? (gint64)((double)j->bytes[op] / span) : 0);
	json_builder_set_member_name(b, "bw");
	json_builder_add_int_value(b, span > 0 ? (gint64)((double)j->bytes[op] / span / 1024) : 0);
	json_builder_set_member_name(b, "iops");
	json_builder_add_double_value(b, span > 0 ? (double)j->ops[op] / span : 0);
	json_builder_set_member_name(b, "runtime");
	json_builder_add_int_value(b, (gint64)(span * 1e3));
	json_builder_set_member_name(b, "total_ios");
	json_builder_add_int_value(b, (gint64)j->ops[op]);
	json_builder_set_member_name(b, "short_ios");
	json_builder_add_int_value(b, 0);
	json_builder_set_member_name(b, "drop_ios");
	json_builder_add_int_value(b, 0);
	bool only = j->ops[op] == st_job_ops(j) && j->ops[op] > 0;
	json_builder_set_member_name(b, "lat_ns");
	json_builder_begin_object(b);
	/* the histogram's moments: fio's stddev is the sample one, n - 1 in the divisor */
	uint64_t n = only ? j->lat.n : 0;
	double mean = n ? st_mean(j) : 0;
	double var = n > 1 ? (j->lat.sumsq - (double)n * mean * mean) / (double)(n - 1) : 0;
	json_builder_set_member_name(b, "min");
	json_builder_add_int_value(b, n ? (gint64)(j->lat.min * 1e9) : 0);
	json_builder_set_member_name(b, "max");
	json_builder_add_int_value(b, n ? (gint64)(j->lat.max * 1e9) : 0);
	json_builder_set_member_name(b, "mean");
	json_builder_add_double_value(b, mean * 1e9);
	json_builder_set_member_name(b, "stddev");
	json_builder_add_double_value(b, var > 0 ? sqrt(var) * 1e9 : 0);
	json_builder_set_member_name(b, "N");
	json_builder_add_int_value(b, (gint64)n);
	json_builder_set_member_name(b, "percentile");
	json_builder_begin_object(b);
	for (size_t i = 0; i < G_N_ELEMENTS(pct); i++) {
		char k[32];
		snprintf(k, sizeof k, "%.6f", pct[i]);
		json_builder_set_member_name(b, k);
		json_builder_add_int_value(b, n ? (gint64)(st_quantile(j, pct[i] / 100) * 1e9) : 0);
	}
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	JsonNode *node = json_builder_get_root(b);
	g_object_unref(b);
	return node;
}

FILE *
out_open_tmp(const char *path, GError **err)
{
	char *tmp = g_strdup_printf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", tmp,
		            g_strerror(errno));
	g_free(tmp);
	return f;
}

bool
out_commit(FILE *f, const char *path, GError **err)
{
	char *tmp = g_strdup_printf("%s.tmp", path);
	bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = (fclose(f) == 0) && ok;
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
		            g_strerror(errno));
		unlink(tmp);
	}
	g_free(tmp);
	return ok;
}

bool
out_write_atomic(const char *path, const char *content, gsize len, GError **err)
{
	FILE *f = out_open_tmp(path, err);
	if (!f)
		return false;
	if (len && fwrite(content, 1, len, f) != len) {
		fclose(f);
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: write failed", path);
		return false;
	}
	return out_commit(f, path, err);
}

bool
out_write_json(const char *path, JsonNode *node, GError **err)
{
	JsonGenerator *g = json_generator_new();
	json_generator_set_pretty(g, TRUE);
	json_generator_set_indent(g, 2);
	json_generator_set_root(g, node);
	gsize len;
	char *text = json_generator_to_data(g, &len);
	g_object_unref(g);
	GString *s = g_string_new(text);
	g_free(text);
	g_string_append_c(s, '\n');
	bool ok = out_write_atomic(path, s->str, s->len, err);
	g_string_free(s, TRUE);
	return ok;
}

long
out_peak_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

void
out_lock_row(FILE *f, double t, const char *lock, const char *cls, const char *event, uint64_t req,
             uint64_t off, uint64_t end)
{
	int64_t len = end == UINT64_MAX ? -1 : (int64_t)(end - off);
	fprintf(f, "%.9f,%s,%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRId64 "\n", t, lock, cls, event, req,
	        off, len);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

bool
out_latency_cdf(const char *dir, const struct st_job *all, GError **err)
{
	static const double tail[] = {0.99, 0.995, 0.999, 0.9995, 0.9999};
	double qs[201 + G_N_ELEMENTS(tail)];
	size_t nq = 0;
	for (int i = 0; i <= 200; i++)
		qs[nq++] = i / 200.0;
	for (size_t i = 0; i < G_N_ELEMENTS(tail); i++)
		qs[nq++] = tail[i];
	qsort(qs, nq, sizeof *qs, cmp_double);
	GString *cdf = g_string_new("fraction,lat_us\n");
	for (size_t i = 0; all->lat.n && i < nq; i++)
		g_string_append_printf(cdf, "%.6f,%.3f\n", qs[i], st_quantile(all, qs[i]) * 1e6);
	char *p = g_build_filename(dir, "latency_cdf.csv", NULL);
	bool ok = out_write_atomic(p, cdf->str, cdf->len, err);
	g_free(p);
	g_string_free(cdf, TRUE);
	return ok;
}

/*
 * output.c -- the records a run writes (summary rows from the column table, requests.csv
 * lines), atomic file writes (see output.h); fio's JSON objects are sim/fio.c's.
 *
 * (1) Every number is printed with snprintf in the C locale (the program never calls
 *     setlocale for LC_NUMERIC) with a fixed format, so equal runs give equal bytes.
 * (2) A file is written to PATH.tmp, flushed, fsync'ed and renamed: a reader sees the old
 *     file or the new one, never a truncated one.
 * (3) The temporary is created (O_EXCL, O_NOFOLLOW, checked regular with fstat), never
 *     opened if it exists: no output follows a symlink or writes into a FIFO or device;
 *     on any failure it is removed.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/csv.h"
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
	fprintf(f, "%llu,", (unsigned long long)r->id);
	csv_fput(f, r->job);
	fprintf(f, ",%s,", r->op);
	csv_fput(f, r->path);
	fprintf(f, ",%llu,%llu,%.9f,%.9f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n",
	        (unsigned long long)r->offset, (unsigned long long)r->len, r->t_issue, r->t_done,
	        r->lock_wait * 1e6, r->queue * 1e6, r->seek * 1e6, r->rot * 1e6, r->xfer * 1e6,
	        r->ctrl * 1e6, r->service * 1e6);
}

FILE *
out_open_tmp(const char *path, GError **err)
{
	/* (3) created here, never an existing file: O_EXCL and O_NOFOLLOW, so a symlink, FIFO
	 * or device planted at PATH.tmp is not written through (a stale PATH.tmp, a link
	 * included, is removed -- the name, not what it points at -- and the create retried);
	 * rename() then replaces whatever PATH was by this regular file */
	char *tmp = g_strdup_printf("%s.tmp", path);
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 2; tries++) {
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno == EEXIST && tries == 0 && unlink(tmp) != 0)
			break;
		if (fd < 0 && errno != EEXIST)
			break;
	}
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
		errno = EINVAL;
	}
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", tmp,
		            g_strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	g_free(tmp);
	return f;
}

void
out_abort(FILE *f, const char *path)
{
	char *tmp = g_strdup_printf("%s.tmp", path);
	fclose(f);
	unlink(tmp);
	g_free(tmp);
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
		int e = errno;
		out_abort(f, path); /* no temporary outlives a failure */
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", path,
		            g_strerror(e));
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
	fprintf(f, "%.9f,", t);
	csv_fput(f, lock);
	fprintf(f, ",%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRId64 "\n", cls, event, req, off, len);
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

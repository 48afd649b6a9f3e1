/*
 * workload.c -- fio jobs (options with fio's meaning and defaults) and their actors.
 *
 * Design notes:
 * (1) A job section becomes one struct wl_job; `numjobs` clones each run as an actor with
 *     its own random stream, seeded from the run's seed, the job's index and the clone's
 *     number (or fio's `randseed`), so runs are deterministic.
 * (2) Offsets follow fio: sequential jobs walk [offset, offset + size) in bs steps and wrap;
 *     random jobs draw uniformly among the bs-sized blocks of the region and, unless
 *     `norandommap`, never repeat a block before every block was done once in the loop (the
 *     next free block after a used one, as fio's random map does).
 * (3) A job ends after number_ios requests, else after size/bs x loops requests, else (with
 *     time_based) at `runtime`; `runtime` always caps it.  Synchronous engines keep one
 *     request outstanding, asynchronous ones up to iodepth.
 * (4) With rate_iops, requests are scheduled at fixed (linear) or exponentially distributed
 *     (poisson) intervals; a request whose slot comes while iodepth are outstanding is issued
 *     when one completes, and the schedule does not shift.
 * (5) Completions are handled in the disk actor's context by a callback that records the
 *     statistics and releases the issuing thread's semaphore (one sg_sem per thread).
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <string.h>

#include "models/disk.h"
#include "models/fs.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/trace.h"
#include "sim/workload.h"

const char *const wl_modelled_options[] = {
	"name", "description", "filename", "rw", "readwrite", "rwmixread", "rwmixwrite", "bs",
	"blocksize", "offset", "size", "number_ios", "loops", "numjobs", "iodepth", "ioengine",
	"direct", "buffered", "runtime", "timeout", "time_based", "startdelay", "thinktime",
	"rate_iops", "rate_process", "randseed", "norandommap", "group_reporting", "concurrent",
	"sync", "fsync", "fdatasync", "end_fsync", "filesize", NULL};

struct wl_thread {
	struct wl_job *job;
	int slots;	   /* file jobs: slot actors still running */
	uint64_t writes;   /* for fsync=N */
	struct run *run;
	int clone;
	GRand *rng;
	sg_sem_t done; /* released once per completion (note 5) */
	int outstanding;
	struct disk_io *pool, *freelist;
	uint64_t nblocks, seqpos, issued, limit;
	uint8_t *map;	   /* random map: one bit per block (note 2) */
	uint64_t map_used;
	double t_start, next_slot;
};

static bool
parse_rw(const struct scn_sect *s, struct wl_job *j, GError **err)
{
	static const struct {
		const char *name;
		bool rand;
		int read;
	} kinds[] = {{"read", false, 100},   {"write", false, 0},   {"randread", true, 100},
		     {"randwrite", true, 0}, {"rw", false, -1},	    {"readwrite", false, -1},
		     {"randrw", true, -1}};
	const char *rw;
	const char *key = scn_has(s, "readwrite") && !scn_has(s, "rw") ? "readwrite" : "rw";
	if (!scn_get_str(s, key, "read", &rw, err))
		return false;
	char *base = g_strdup(rw);
	char *colon = strchr(base, ':'); /* fio's rw=randread:8 sequence modifier: ignored */
	if (colon)
		*colon = '\0';
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (strcmp(base, kinds[i].name) == 0) {
			g_free(base);
			j->rand = kinds[i].rand;
			j->mix_read = kinds[i].read;
			if (j->mix_read < 0) {
				int64_t r, w;
				if (!scn_get_int(s, "rwmixread", 50, 0, 100, &r, err) ||
				    !scn_get_int(s, "rwmixwrite", 100 - r, 0, 100, &w, err))
					return false;
				j->mix_read = scn_has(s, "rwmixread") || !scn_has(s, "rwmixwrite")
						      ? (int)r
						      : (int)(100 - w);
			}
			return true;
		}
	}
	g_free(base);
	if (strcmp(rw, "trim") == 0 || strcmp(rw, "randtrim") == 0 ||
	    strcmp(rw, "trimwrite") == 0)
		return scn_error(s, key, err, "rw=%s: trim is not modelled", rw);
	return scn_error(s, key, err,
			 "unknown rw '%s' (read, write, randread, randwrite, rw, randrw)", rw);
}

static bool
parse_engine(const struct scn_sect *s, struct wl_job *j, GError **err)
{
	static const char *const sync_engines[] = {"sync", "psync", "vsync", "pvsync", "pvsync2",
						   NULL};
	static const char *const async_engines[] = {"libaio", "io_uring", "posixaio",
						    "windowsaio", "solarisaio", NULL};
	const char *e;
	int64_t depth;
	if (!scn_get_str(s, "ioengine", "psync", &e, err) ||
	    !scn_get_int(s, "iodepth", 1, 1, 65536, &depth, err))
		return false;
	for (const char *const *p = sync_engines; *p; p++)
		if (strcmp(e, *p) == 0) {
			j->async = false;
			j->iodepth = 1;
			return true;
		}
	for (const char *const *p = async_engines; *p; p++)
		if (strcmp(e, *p) == 0) {
			j->async = true;
			j->iodepth = (int)depth;
			return true;
		}
	return scn_error(s, "ioengine", err,
			 "ioengine '%s' is not modelled (sync, psync, pvsync, libaio, io_uring, "
			 "posixaio)",
			 e);
}

static bool
parse_seconds(const struct scn_sect *s, const char *key, double *out, bool usec_default,
	      GError **err)
{
	/* fio time values: plain numbers are seconds (thinktime: microseconds); suffixes
	 * us, ms, s, m, h, d. */
	const char *v;
	*out = 0;
	if (!scn_has(s, key))
		return true;
	if (!scn_get_str(s, key, "0", &v, err))
		return false;
	char *end;
	double x = g_ascii_strtod(v, &end);
	if (end == v || !isfinite(x) || x < 0)
		return scn_error(s, key, err, "expected a time (e.g. 30, 500ms, 2m), got '%s'", v);
	double mul = usec_default ? 1e-6 : 1;
	if (*end) {
		static const struct {
			const char *suf;
			double mul;
		} sufs[] = {{"us", 1e-6}, {"usec", 1e-6}, {"ms", 1e-3}, {"msec", 1e-3},
			    {"s", 1},	  {"sec", 1},	  {"m", 60},	{"min", 60},
			    {"h", 3600},  {"d", 86400}};
		bool found = false;
		for (size_t i = 0; i < G_N_ELEMENTS(sufs); i++)
			if (g_ascii_strcasecmp(end, sufs[i].suf) == 0) {
				mul = sufs[i].mul;
				found = true;
			}
		if (!found)
			return scn_error(s, key, err, "unknown time unit in '%s'", v);
	}
	*out = x * mul;
	return true;
}

static struct wl_job *
job_load(const struct scn *scn, guint idx, uint64_t capacity_sectors, GError **err)
{
	const struct scn_sect *s = scn_job(scn, idx);
	struct wl_job *j = g_new0(struct wl_job, 1);
	j->index = idx;
	j->sect = s;
	st_job_init(&j->st);
	const char *name, *fname, *proc;
	int64_t v;
	bool b;
	uint64_t cap = capacity_sectors * DISK_SECTOR;
	if (!scn_get_str(s, "name", scn_sect_name(s), &name, err))
		goto fail;
	j->name = g_strdup(name);
	if (!scn_get_str(s, "filename", "", &fname, err))
		goto fail;
	j->filename = g_strdup(fname);
	j->raw = g_str_has_prefix(fname, "/dev/");
	if (!parse_rw(s, j, err) || !parse_engine(s, j, err))
		goto fail;
	const char *bskey = scn_has(s, "blocksize") && !scn_has(s, "bs") ? "blocksize" : "bs";
	if (!scn_get_size(s, bskey, 4096, &j->bs, err) || !scn_get_size(s, "offset", 0, &j->offset, err) ||
	    !scn_get_size(s, "size", 0, &j->size, err))
		goto fail;
	if (j->bs == 0 || (j->raw && j->bs % DISK_SECTOR)) {
		scn_error(s, bskey, err, "%llu is not a positive multiple of %u bytes",
			  (unsigned long long)j->bs, DISK_SECTOR);
		goto fail;
	}
	if (j->raw && j->offset % DISK_SECTOR) {
		scn_error(s, "offset", err, "a raw device needs sector-aligned offsets");
		goto fail;
	}
	if (j->raw && j->offset >= cap) {
		scn_error(s, "offset", err, "offset %llu is beyond the device (%llu bytes)",
			  (unsigned long long)j->offset, (unsigned long long)cap);
		goto fail;
	}
	if (!j->raw && j->size == 0 && !scn_get_size(s, "filesize", 0, &j->size, err))
		goto fail;
	if (!j->raw && j->size == 0) {
		scn_error(s, "size", err, "job '%s' addresses a file: it needs size= (or filesize=)",
			  j->name);
		goto fail;
	}
	if (j->size == 0)
		j->size = cap - j->offset;
	if (j->raw && j->offset + j->size > cap) {
		scn_error(s, "size", err,
			  "offset + size = %llu bytes is beyond the device (%llu bytes)",
			  (unsigned long long)(j->offset + j->size), (unsigned long long)cap);
		goto fail;
	}
	if (j->size < j->bs) {
		scn_error(s, "size", err, "size %llu is smaller than bs %llu",
			  (unsigned long long)j->size, (unsigned long long)j->bs);
		goto fail;
	}
	if (!scn_get_int(s, "number_ios", 0, 0, INT64_MAX, &v, err))
		goto fail;
	j->number_ios = (uint64_t)v;
	if (!scn_get_int(s, "loops", 1, 1, INT32_MAX, &j->loops, err) ||
	    !scn_get_int(s, "numjobs", 1, 1, 1000000, &v, err))
		goto fail;
	j->numjobs = (int)v;
	if (!parse_seconds(s, scn_has(s, "timeout") && !scn_has(s, "runtime") ? "timeout" : "runtime",
			   &j->runtime, false, err) ||
	    !scn_get_bool(s, "time_based", false, &j->time_based, err) ||
	    !parse_seconds(s, "startdelay", &j->startdelay, false, err) ||
	    !parse_seconds(s, "thinktime", &j->thinktime, true, err))
		goto fail;
	if (j->time_based && j->runtime <= 0) {
		scn_error(s, "time_based", err, "time_based needs a runtime");
		goto fail;
	}
	if (!scn_get_double(s, "rate_iops", 0, 0, 1e12, &j->rate_iops, err) ||
	    !scn_get_str(s, "rate_process", "linear", &proc, err))
		goto fail;
	if (strcmp(proc, "linear") != 0 && strcmp(proc, "poisson") != 0) {
		scn_error(s, "rate_process", err, "expected linear or poisson, got '%s'", proc);
		goto fail;
	}
	j->poisson = strcmp(proc, "poisson") == 0;
	j->has_randseed = scn_has(s, "randseed");
	if (!scn_get_int(s, "randseed", 0, 0, INT64_MAX, &v, err) ||
	    !scn_get_bool(s, "norandommap", false, &b, err))
		goto fail;
	j->randseed = (uint64_t)v;
	j->norandommap = b;
	bool buffered;
	const char *sync;
	if (!scn_get_bool(s, "direct", false, &j->direct, err) ||
	    !scn_get_bool(s, "buffered", !j->direct, &buffered, err) ||
	    !scn_get_str(s, "sync", "0", &sync, err) ||
	    !scn_get_int(s, "fsync", 0, 0, INT64_MAX, &v, err))
		goto fail;
	j->fsync_n = (uint64_t)v;
	if (!scn_get_int(s, "fdatasync", 0, 0, INT64_MAX, &v, err) ||
	    !scn_get_bool(s, "end_fsync", false, &j->end_fsync, err) ||
	    !scn_get_bool(s, "concurrent", false, &j->concurrent, err))
		goto fail;
	j->fdatasync_n = (uint64_t)v;
	if (scn_has(s, "buffered") && !scn_has(s, "direct"))
		j->direct = !buffered;
	if (!strcmp(sync, "0") || !strcmp(sync, "none"))
		j->sync = 0;
	else if (!strcmp(sync, "1") || !strcmp(sync, "sync"))
		j->sync = 1;
	else if (!strcmp(sync, "dsync"))
		j->sync = 2;
	else {
		scn_error(s, "sync", err, "expected 0, 1, none, sync or dsync, got '%s'", sync);
		goto fail;
	}
	return j;
fail:
	wl_job_free(j);
	return NULL;
}

GPtrArray *
wl_jobs_load(struct scn *s, uint64_t capacity_sectors, GError **err)
{
	if (!scn_check_job_keys(s, wl_modelled_options, err))
		return NULL;
	GPtrArray *jobs = g_ptr_array_new_with_free_func((GDestroyNotify)wl_job_free);
	for (guint i = 0; i < scn_njobs(s); i++) {
		struct wl_job *j = job_load(s, i, capacity_sectors, err);
		if (!j) {
			g_ptr_array_free(jobs, TRUE);
			return NULL;
		}
		g_ptr_array_add(jobs, j);
	}
	if (jobs->len == 0) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: no job sections",
			    scn_path(s));
		g_ptr_array_free(jobs, TRUE);
		return NULL;
	}
	return jobs;
}

struct wl_job *
wl_job_new(const char *name)
{
	struct wl_job *j = g_new0(struct wl_job, 1);
	j->name = g_strdup(name);
	j->raw = true;
	j->numjobs = 1;
	st_job_init(&j->st);
	return j;
}

void
wl_job_free(struct wl_job *j)
{
	if (!j)
		return;
	g_free(j->trace);
	st_job_free(&j->st);
	g_free(j->name);
	g_free(j->filename);
	g_free(j);
}

/* ---- the job actor ---- */

/* Next block under the random map (note 2). */
static uint64_t
rand_block(struct wl_thread *t)
{
	uint64_t b = (uint64_t)(g_rand_double(t->rng) * (double)t->nblocks);
	if (b >= t->nblocks)
		b = t->nblocks - 1;
	if (!t->map)
		return b;
	if (t->map_used == t->nblocks) {
		memset(t->map, 0, (t->nblocks + 7) / 8);
		t->map_used = 0;
	}
	while (t->map[b / 8] & (1u << (b % 8)))
		b = b + 1 == t->nblocks ? 0 : b + 1;
	t->map[b / 8] |= (uint8_t)(1u << (b % 8));
	t->map_used++;
	return b;
}

static void
io_done(struct disk_io *io)
{
	struct wl_thread *t = io->arg;
	struct run *r = t->run;
	struct wl_job *j = t->job;
	int op = io->op == DISK_READ ? ST_READ : ST_WRITE;
	uint64_t bytes = (uint64_t)io->nsect * DISK_SECTOR;
	r->app_done++;
	j->st.events += 2; /* the application request and its disk request */
	if (io->t_issue >= r->sim.warmup_s)
		st_job_add(&j->st, op, bytes, io->t_issue, io->t_done);
	if (r->service && io->id < r->nservice)
		r->service[io->id] = disk_svc_total(&io->svc);
	if (r->requests) {
		const struct disk_svc *v = &io->svc;
		fprintf(r->requests,
			"%llu,%s,%s,raw,%llu,%llu,%.9f,%.9f,0.000,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n",
			(unsigned long long)io->id, j->name, op == ST_READ ? "read" : "write",
			(unsigned long long)(io->lbn * DISK_SECTOR), (unsigned long long)bytes,
			io->t_issue, io->t_done, (io->t_start - io->t_issue) * 1e6, v->seek * 1e6,
			v->rot * 1e6, v->xfer * 1e6, v->ctrl * 1e6, disk_svc_total(v) * 1e6);
	}
	io->next = t->freelist;
	t->freelist = io;
	t->outstanding--;
	sg_sem_release(t->done);
}

static bool
more(struct wl_thread *t, double now)
{
	const struct wl_job *j = t->job;
	if (j->runtime > 0 && now >= t->t_start + j->runtime)
		return false;
	return t->limit == 0 || t->issued < t->limit;
}

/* The next request's direction and byte offset (note 2). */
static void
next_io(struct wl_thread *t, bool *read, uint64_t *off)
{
	const struct wl_job *j = t->job;
	uint64_t block;
	if (j->rand) {
		block = rand_block(t);
	} else {
		block = t->seqpos;
		t->seqpos = t->seqpos + 1 == t->nblocks ? 0 : t->seqpos + 1;
	}
	*read = j->mix_read == 100 ||
		(j->mix_read > 0 && g_rand_int_range(t->rng, 0, 100) < j->mix_read);
	*off = j->offset + block * j->bs;
}

static void
thread_exit(struct run *r)
{
	if (--r->live_threads == 0)
		sg_sem_release(r->all_done);
}

static void
issue(struct wl_thread *t)
{
	const struct wl_job *j = t->job;
	struct run *r = t->run;
	bool read;
	uint64_t off;
	next_io(t, &read, &off);
	struct disk_io *io = t->freelist;
	g_assert(io);
	t->freelist = io->next;
	io->op = read ? DISK_READ : DISK_WRITE;
	io->lbn = off / DISK_SECTOR;
	io->nsect = (uint32_t)(j->bs / DISK_SECTOR);
	io->id = r->next_id++;
	io->done = io_done;
	io->arg = t;
	run_cpu(r, r->host.syscall);
	t->outstanding++;
	t->issued++;
	r->app_issued++;
	disk_submit(r->disk, io);
}

static void
thread_free(struct wl_thread *t)
{
	if (t->done)
		sg_sem_destroy(t->done);
	g_rand_free(t->rng);
	g_free(t->map);
	g_free(t->pool);
	g_free(t);
}

static void
job_actor(int argc, char **argv)
{
	struct wl_thread *t = sg_actor_self_get_data();
	const struct wl_job *j = t->job;
	if (j->startdelay > 0)
		sg_actor_sleep_for(j->startdelay);
	t->t_start = simgrid_get_clock();
	t->next_slot = t->t_start;
	while (more(t, simgrid_get_clock())) {
		if (j->rate_iops > 0) { /* note 4 */
			double now = simgrid_get_clock();
			if (t->next_slot > now)
				sg_actor_sleep_for(t->next_slot - now);
			double gap = 1.0 / j->rate_iops;
			if (j->poisson)
				gap = -log(1.0 - g_rand_double(t->rng)) / j->rate_iops;
			t->next_slot += gap;
			if (!more(t, simgrid_get_clock()))
				break;
		}
		while (t->outstanding >= j->iodepth)
			sg_sem_acquire(t->done);
		issue(t);
		if (!j->async) {
			sg_sem_acquire(t->done);
			if (j->thinktime > 0)
				sg_actor_sleep_for(j->thinktime);
		} else if (j->thinktime > 0) {
			sg_actor_sleep_for(j->thinktime);
		}
	}
	while (t->outstanding > 0)
		sg_sem_acquire(t->done);
	struct run *r = t->run;
	thread_free(t);
	thread_exit(r);
}

/* ---- file jobs: each clone runs iodepth slot actors, each one request at a time ---- */

struct wl_slot {
	struct wl_thread *t;
	struct fs_thread *ft;
	struct vnode *v;
};

static void
file_request(struct wl_slot *sl, enum lk_op op, uint64_t off, uint64_t len, bool fsync,
	     bool datasync)
{
	struct wl_thread *t = sl->t;
	struct wl_job *j = t->job;
	struct run *r = t->run;
	struct fs_res res = {0};
	uint64_t id = r->next_id++;
	r->app_issued++;
	if (fsync) {
		fs_fsync(sl->ft, sl->v, datasync, &res);
	} else {
		struct fs_req rq = {.op = op,
				    .off = off,
				    .len = len,
				    .direct = j->direct,
				    .concurrent = j->concurrent,
				    .sync = (enum fs_sync)j->sync,
				    .id = id,
				    .job = j};
		fs_rw(sl->ft, sl->v, &rq, &res);
	}
	double now = simgrid_get_clock();
	r->app_done++;
	j->st.events += 1 + res.disk_requests;
	if (fsync)
		return; /* fsyncs are not I/O requests in the statistics (fio counts them apart) */
	if (res.t_issue >= r->sim.warmup_s) {
		st_job_add(&j->st, op == LK_READ ? ST_READ : ST_WRITE, len, res.t_issue, now);
		j->st.vnode_wait += res.vnode_wait;
		j->st.getpages_wait += res.getpages_wait;
		j->st.range_wait += res.range_wait;
		j->st.cache_hits += res.cache_hits;
		j->st.cache_lookups += res.cache_lookups;
	}
	if (r->requests)
		fprintf(r->requests,
			"%llu,%s,%s,%s,%llu,%llu,%.9f,%.9f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n",
			(unsigned long long)id, j->name, op == LK_READ ? "read" : "write", res.path,
			(unsigned long long)off, (unsigned long long)len, res.t_issue, now,
			(res.vnode_wait + res.range_wait + res.getpages_wait + res.busy_wait) * 1e6,
			res.queue * 1e6, res.seek * 1e6, res.rot * 1e6, res.xfer * 1e6,
			res.ctrl * 1e6, res.service * 1e6);
}

static void
file_actor(int argc, char **argv)
{
	struct wl_slot *sl = sg_actor_self_get_data();
	struct wl_thread *t = sl->t;
	const struct wl_job *j = t->job;
	struct run *r = t->run;
	if (j->startdelay > 0)
		sg_actor_sleep_for(j->startdelay);
	if (t->t_start < 0) {
		t->t_start = simgrid_get_clock();
		t->next_slot = t->t_start;
	}
	while (more(t, simgrid_get_clock())) {
		if (j->rate_iops > 0) { /* note 4: one schedule shared by the clone's slots */
			double now = simgrid_get_clock();
			double slot = t->next_slot;
			double gap = 1.0 / j->rate_iops;
			if (j->poisson)
				gap = -log(1.0 - g_rand_double(t->rng)) / j->rate_iops;
			t->next_slot += gap;
			if (slot > now)
				sg_actor_sleep_for(slot - now);
			if (!more(t, simgrid_get_clock()))
				break;
		}
		bool read;
		uint64_t off;
		next_io(t, &read, &off);
		t->issued++;
		file_request(sl, read ? LK_READ : LK_WRITE, off, j->bs, false, false);
		if (!read) {
			t->writes++;
			if (j->fsync_n && t->writes % j->fsync_n == 0)
				file_request(sl, LK_WRITE, 0, 0, true, false);
			else if (j->fdatasync_n && t->writes % j->fdatasync_n == 0)
				file_request(sl, LK_WRITE, 0, 0, true, true);
		}
		if (j->thinktime > 0)
			sg_actor_sleep_for(j->thinktime);
	}
	if (--t->slots == 0) {
		if (j->end_fsync)
			file_request(sl, LK_WRITE, 0, 0, true, false);
		thread_free(t);
	}
	fs_thread_free(sl->ft);
	g_free(sl);
	thread_exit(r);
}

void
wl_job_start(struct run *r, struct wl_job *j, void *host)
{
	j->run = r;
	for (int c = 0; c < j->numjobs; c++) {
		struct wl_thread *t = g_new0(struct wl_thread, 1);
		t->job = j;
		t->run = r;
		t->clone = c;
		t->t_start = -1;
		uint64_t seed = j->has_randseed ? j->randseed + (uint64_t)c
						: r->seed * 1000003u + j->index * 7919u + (uint64_t)c;
		t->rng = g_rand_new_with_seed((guint32)(seed ^ (seed >> 32)));
		t->nblocks = j->size / j->bs;
		if (j->number_ios)
			t->limit = j->number_ios;
		else if (!j->time_based)
			t->limit = t->nblocks * (uint64_t)j->loops;
		if (j->rand && !j->norandommap)
			t->map = g_malloc0((t->nblocks + 7) / 8);
		if (!j->raw) {
			/* fio: a job without filename= has a file per clone */
			char *fname = j->filename[0] ? g_strdup(j->filename)
						      : g_strdup_printf("%s.%d.0", j->name, c);
			struct vnode *v = fs_file(r->fs, fname, j->offset + j->size);
			g_free(fname);
			t->slots = j->iodepth;
			for (int k = 0; k < j->iodepth; k++) {
				struct wl_slot *sl = g_new0(struct wl_slot, 1);
				char *name = g_strdup_printf("%s.%d.%d", j->name, c, k);
				sl->t = t;
				sl->v = v;
				sl->ft = fs_thread_new(r->fs, name);
				sg_actor_t a = sg_actor_init(name, (sg_host_t)host);
				g_free(name);
				sg_actor_set_data(a, sl);
				r->live_threads++;
				sg_actor_start(a, file_actor, 0, NULL);
			}
			continue;
		}
		t->done = sg_sem_init(0);
		t->pool = g_new0(struct disk_io, j->iodepth);
		for (int i = 0; i < j->iodepth; i++) {
			t->pool[i].next = t->freelist;
			t->freelist = &t->pool[i];
		}
		char *name = g_strdup_printf("%s.%d", j->name, c);
		sg_actor_t a = sg_actor_init(name, (sg_host_t)host);
		g_free(name);
		sg_actor_set_data(a, t);
		r->live_threads++;
		sg_actor_start(a, job_actor, 0, NULL);
	}
}

/* ---- trace replay ---- */

struct replay {
	struct wl_thread *t;
	const GArray *recs;
	bool closed;
};

static void
replay_actor(int argc, char **argv)
{
	struct replay *rp = sg_actor_self_get_data();
	struct wl_thread *t = rp->t;
	struct run *r = t->run;
	for (guint i = 0; i < rp->recs->len; i++) {
		const struct tr_rec *rec = &g_array_index(rp->recs, struct tr_rec, i);
		if (rp->closed) { /* the previous line's think time after its completion */
			double gap = i > 0 ? g_array_index(rp->recs, struct tr_rec, i - 1).t : 0;
			if (gap > 0)
				sg_actor_sleep_for(gap);
		} else {
			double now = simgrid_get_clock();
			if (rec->t > now)
				sg_actor_sleep_for(rec->t - now);
		}
		struct disk_io *io = t->freelist;
		g_assert(io);
		t->freelist = io->next;
		io->op = rec->write ? DISK_WRITE : DISK_READ;
		io->lbn = rec->lbn;
		io->nsect = rec->nsect;
		io->id = i;
		io->done = io_done;
		io->arg = t;
		t->outstanding++;
		t->issued++;
		r->app_issued++;
		disk_submit(r->disk, io);
		if (rp->closed)
			sg_sem_acquire(t->done);
	}
	while (t->outstanding > 0)
		sg_sem_acquire(t->done);
	sg_sem_destroy(t->done);
	g_free(t->pool);
	g_free(t);
	g_free(rp);
	thread_exit(r);
}

void
wl_replay_start(struct run *r, struct wl_job *j, const GArray *recs, bool closed, void *host)
{
	j->run = r;
	struct wl_thread *t = g_new0(struct wl_thread, 1);
	t->job = j;
	t->run = r;
	t->done = sg_sem_init(0);
	guint n = closed ? 1 : recs->len;
	t->pool = g_new0(struct disk_io, n);
	for (guint i = 0; i < n; i++) {
		t->pool[i].next = t->freelist;
		t->freelist = &t->pool[i];
	}
	struct replay *rp = g_new0(struct replay, 1);
	*rp = (struct replay){t, recs, closed};
	sg_actor_t a = sg_actor_init("replay", (sg_host_t)host);
	sg_actor_set_data(a, rp);
	r->live_threads++;
	sg_actor_start(a, replay_actor, 0, NULL);
}

void
wl_job_describe(const struct wl_job *j, void (*put)(void *ctx, const char *k, const char *v),
		void *ctx)
{
	char b[64];
	if (j->trace) {
		put(ctx, "trace", j->trace);
		return;
	}
#define PUTF(k, fmt, val)                                                                    \
	do {                                                                                 \
		snprintf(b, sizeof b, fmt, val);                                             \
		put(ctx, k, b);                                                              \
	} while (0)
	put(ctx, "filename", j->filename);
	const char *rw = j->mix_read == 100 ? (j->rand ? "randread" : "read")
			 : j->mix_read == 0 ? (j->rand ? "randwrite" : "write")
					    : (j->rand ? "randrw" : "rw");
	put(ctx, "rw", rw);
	PUTF("rwmixread", "%d", j->mix_read);
	PUTF("bs", "%llu", (unsigned long long)j->bs);
	PUTF("offset", "%llu", (unsigned long long)j->offset);
	PUTF("size", "%llu", (unsigned long long)j->size);
	PUTF("number_ios", "%llu", (unsigned long long)j->number_ios);
	PUTF("loops", "%lld", (long long)j->loops);
	PUTF("numjobs", "%d", j->numjobs);
	PUTF("iodepth", "%d", j->iodepth);
	put(ctx, "ioengine_kind", j->async ? "async" : "sync");
	PUTF("runtime", "%.17g", j->runtime);
	PUTF("time_based", "%d", j->time_based);
	PUTF("startdelay", "%.17g", j->startdelay);
	PUTF("thinktime", "%.17g", j->thinktime);
	PUTF("rate_iops", "%.17g", j->rate_iops);
	put(ctx, "rate_process", j->poisson ? "poisson" : "linear");
	PUTF("norandommap", "%d", j->norandommap);
#undef PUTF
}

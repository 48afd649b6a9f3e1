/*
 * config.c -- the models' configuration read from the scenario (config.h).  Defaults and
 * bounds are DESIGN.md §8's; every message names the file, line and key.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "models/block.h"
#include "models/disk.h"
#include "models/disk_mech.h"
#include "models/pagecache.h"
#include "sim/config.h"
#include "sim/diskspec.h"
#include "sim/scenario.h"

static const char *const fs_keys[] = {"block_size",     "cache_mb",      "readahead_kb",
                                      "maxphys_kb",     "dirty_ratio",   "writeback_interval_s",
                                      "layout",         "meta_write",    "direct_alloc",
                                      "dio_invalidate", "getpages_hold", NULL};
static const char *const policy_keys[] = {"name",   "fairness", "bmap",        "concurrent",
                                          "matrix", "aio_lock", "offset_bits", NULL};

/* Add warning M (allocated) to the scenario's warnings unless it is already there. */
static void
warn_once(const struct scn *scn, char *m)
{
	GPtrArray *w = (GPtrArray *)scn_warnings(scn);
	for (guint i = 0; i < w->len; i++)
		if (strcmp(w->pdata[i], m) == 0) {
			g_free(m);
			return;
		}
	g_ptr_array_add(w, m);
}

/* KEY's value among CHOICES: its index in *OUT. */
static bool
pick(const struct scn_sect *s, const char *key, const char *def, const char *const *choices,
     int *out, GError **err)
{
	const char *v;
	if (!scn_get_str(s, key, def, &v, err))
		return false;
	for (int i = 0; choices[i]; i++)
		if (strcmp(v, choices[i]) == 0) {
			*out = i;
			return true;
		}
	GString *list = g_string_new(NULL);
	for (int i = 0; choices[i]; i++)
		g_string_append_printf(list, "%s%s", i ? ", " : "", choices[i]);
	scn_error(s, key, err, "unknown value '%s' (%s)", v, list->str);
	g_string_free(list, TRUE);
	return false;
}

bool
cfg_fs(const struct scn *scn, const char *policy, bool oracle, uint64_t disk_sectors,
       struct fs_config *c, GError **err)
{
	const struct scn_sect *fsec = scn_section(scn, "fs"), *psec = scn_section(scn, "policy");
	if (!scn_check_keys(fsec, fs_keys, err) || !scn_check_keys(psec, policy_keys, err))
		return false;
	memset(c, 0, sizeof *c);
	uint64_t bs;
	double cache_mb, ra_kb, maxphys_kb;
	int layout, meta, dalloc, dinval, bmap, conc;
	static const char *const layouts[] = {"preallocated", "sparse", "fallocated", NULL};
	static const char *const dallocs[] = {"allocate", "fallback", NULL};
	static const char *const dinvals[] = {"both", "before", NULL};
	static const char *const bmaps[] = {"global", "buffer", NULL};
	static const char *const concs[] = {"direct", "flag", "none", NULL};
	static const char *const bools[] = {"0", "1", NULL};
	const char *fair, *matrix;
	if (!scn_get_size(fsec, "block_size", 4096, &bs, err) ||
	    !scn_get_double(fsec, "cache_mb", 1024, 0.004, 1e7, &cache_mb, err) ||
	    !scn_get_double(fsec, "readahead_kb", 128, 0, 1e6, &ra_kb, err) ||
	    !scn_get_double(fsec, "maxphys_kb", 64, 4, 1e6, &maxphys_kb, err) ||
	    !scn_get_double(fsec, "dirty_ratio", 0.2, 0.001, 1, &c->dirty_ratio, err) ||
	    !scn_get_double(fsec, "writeback_interval_s", 30, 0.001, 1e6, &c->wb_interval, err) ||
	    !pick(fsec, "layout", "preallocated", layouts, &layout, err) ||
	    !pick(fsec, "meta_write", "1", bools, &meta, err) ||
	    !pick(fsec, "direct_alloc", "allocate", dallocs, &dalloc, err) ||
	    !pick(fsec, "dio_invalidate", "both", dinvals, &dinval, err) ||
	    !pick(psec, "bmap", "global", bmaps, &bmap, err) ||
	    !pick(psec, "concurrent", "flag", concs, &conc, err) ||
	    !scn_get_str(psec, "fairness", NULL, &fair, err))
		return false;
	if (bs < PC_PAGE || bs % PC_PAGE || bs > 1024 * 1024)
		return scn_error(fsec, "block_size", err,
		                 "%llu: a multiple of the 4096-byte page, at most 1 MiB",
		                 (unsigned long long)bs);
	c->block_size = bs;
	c->cache_pages = (uint64_t)(cache_mb * 1024 * 1024 / PC_PAGE);
	c->ra_pages = (uint32_t)(ra_kb * 1024 / PC_PAGE);
	c->maxphys_pages = (uint32_t)(maxphys_kb * 1024 / PC_PAGE);
	if (c->maxphys_pages < 1)
		c->maxphys_pages = 1;
	c->sparse = layout == 1;
	c->fallocated = layout == 2;
	c->meta_write = meta == 1;
	c->direct_fallback = dalloc == 1;
	c->dio_inval_before = dinval == 1;
	c->bmap_buffer = bmap == 1;
	c->params.concurrent = (enum lk_concurrent)conc;
	c->conc_text = concs[conc];
	c->policy = lk_policy_find(policy);
	g_assert(c->policy); /* the caller checked the name */
	/* the settings whose defaults follow the system the policy names */
	static const char *const holds[] = {"io", "lookup", NULL};
	static const char *const aios[] = {"completion", "submission", NULL};
	static const char *const bits[] = {"64", "32", NULL};
	bool lx = c->policy->linux_rules;
	int hold, aio, obits;
	if (!pick(fsec, "getpages_hold", lx ? "lookup" : "io", holds, &hold, err) ||
	    !pick(psec, "aio_lock", lx ? "submission" : "completion", aios, &aio, err) ||
	    !pick(psec, "offset_bits", "64", bits, &obits, err))
		return false;
	c->gp_hold_io = hold == 0;
	c->aio_submission = aio == 1;
	c->params.offset_bits = obits == 1 ? 32 : 64;
	if (c->policy->retry_all && scn_has(psec, "fairness"))
		/* extent(9) wakes every sleeper to retry: no queue whose order fairness= sets */
		warn_once(scn, g_strdup_printf("%s: [policy] fairness= does not apply to %s (every "
		                               "sleeper retries at each release): ignored",
		                               scn_path(scn), c->policy->name));
	GError *e = NULL;
	if (!fair) /* Linux's i_rwsem and XFS's IOLOCK are rw_semaphores */
		fair = lx ? "rwsem" : "fifo";
	if (!lk_fair_parse(fair, &c->fair, &c->batch_n, &e)) {
		scn_error(psec, "fairness", err, "%s", e->message);
		g_error_free(e);
		return false;
	}
	if (lk_fair_whole_file(c->fair) && c->policy->ranged && !c->policy->retry_all) {
		/* a comparison sets one fairness= for every policy: the range locks take fifo */
		warn_once(scn, g_strdup_printf("%s: [policy] fairness=%s orders a whole-file "
		                               "lock; %s locks byte ranges: fifo",
		                               scn_path(scn), fair, c->policy->name));
		fair = "fifo";
		c->fair = LK_FAIR_FIFO;
	}
	c->fair_text = fair;
	if (!scn_get_str(psec, "matrix", c->policy->default_matrix, &matrix, err))
		return false;
	if (!lk_matrix_parse(matrix, c->policy->nclasses, c->policy->class_names, &c->matrix, &e)) {
		scn_error(psec, "matrix", err, "%s", e->message);
		g_error_free(e);
		return false;
	}
	c->matrix_text = matrix;
	uint64_t nblocks = disk_sectors * DISK_SECTOR / bs;
	if (nblocks < 64)
		return scn_error(scn_section(scn, "disk"), "capacity_gb", err,
		                 "the disk holds only %llu blocks of %llu bytes",
		                 (unsigned long long)nblocks, (unsigned long long)bs);
	c->oracle = oracle;
	return true;
}

/* ---- [disk] ---- */

/* The file `spec=` names must be a readable regular file: else an error naming the key. */
static bool
spec_readable(const struct scn_sect *sect, const char *path, GError **err)
{
	if (g_file_test(path, G_FILE_TEST_IS_REGULAR) && access(path, R_OK) == 0)
		return true;
	return scn_error(sect, "spec", err, "cannot read the disk file '%s': %s", path,
	                 g_file_test(path, G_FILE_TEST_EXISTS) ? "not a readable regular file"
	                                                       : "no such file");
}

/* A project disk file's values are defaults under the scenario's own [disk] keys.  *SPEC is
 * the file SECT's `spec=` names (NULL when there is none or it is a DiskSim file). */
static bool
spec_open(const struct scn_sect *sect, struct scn **spec, GError **err)
{
	char *path;
	*spec = NULL;
	if (!scn_has(sect, "spec"))
		return true;
	if (!scn_get_path(sect, "spec", &path, err))
		return false;
	if (!spec_readable(sect, path, err)) {
		g_free(path);
		return false;
	}
	if (!dspec_is_disksim(path))
		*spec = scn_load(path, SCN_PLAIN, err);
	bool ok = dspec_is_disksim(path) || *spec;
	g_free(path);
	return ok;
}

/* The keys a model accepts in [disk]: the common ones, its params' or a drive's. */
static bool
check_disk_keys(const struct scn_sect *sect, const struct disk_model *model, GError **err)
{
	GPtrArray *known = g_ptr_array_new();
	for (const char *const *k = disk_common_keys; *k; k++)
		g_ptr_array_add(known, (gpointer)*k);
	for (const struct disk_param *p = model->params; p && p->name; p++)
		if (!g_strv_contains(disk_common_keys, p->name)) /* capacity_gb */
			g_ptr_array_add(known, (gpointer)p->name);
	for (const char *const *k = model->drive ? dspec_mech_keys : NULL; k && *k; k++)
		g_ptr_array_add(known, (gpointer)*k);
	g_ptr_array_add(known, NULL);
	bool ok = scn_check_keys(sect, (const char *const *)known->pdata, err);
	g_ptr_array_free(known, TRUE);
	return ok;
}

/* "a, b or c" */
static char *
choice_list(const char *const *choices)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; choices[i]; i++)
		g_string_append_printf(s, "%s%s",
		                       i == 0           ? ""
		                       : choices[i + 1] ? ", "
		                                        : " or ",
		                       choices[i]);
	return g_string_free(s, FALSE);
}

/* MODEL's params from SPEC's [disk] (may be NULL), then SECT, into CFG: in the table's order,
 * then each choice checked, naming the section its value came from. */
static bool
read_params(const struct disk_model *model, const struct scn_sect *spec,
            const struct scn_sect *sect, void *cfg, GError **err)
{
	for (const struct disk_param *p = model->params; p && p->name; p++) {
		void *dst = (char *)cfg + p->off;
		switch (p->type) {
		case DISK_PARAM_DOUBLE: {
			double v = p->def;
			if ((spec && !scn_get_double(spec, p->name, v, p->min, p->max, &v, err)) ||
			    !scn_get_double(sect, p->name, v, p->min, p->max, &v, err))
				return false;
			*(double *)dst = v;
			break;
		}
		case DISK_PARAM_INT: {
			int64_t v = (int64_t)p->def, lo = (int64_t)p->min, hi = (int64_t)p->max;
			if ((spec && !scn_get_int(spec, p->name, v, lo, hi, &v, err)) ||
			    !scn_get_int(sect, p->name, v, lo, hi, &v, err))
				return false;
			*(int *)dst = (int)v;
			break;
		}
		case DISK_PARAM_CHOICE: {
			const char *v = p->choices[(int)p->def];
			if ((spec && !scn_get_str(spec, p->name, v, &v, err)) ||
			    !scn_get_str(sect, p->name, v, &v, err))
				return false;
			break;
		}
		}
	}
	for (const struct disk_param *p = model->params; p && p->name; p++) {
		if (p->type != DISK_PARAM_CHOICE)
			continue;
		const char *v = p->choices[(int)p->def];
		const struct scn_sect *from = scn_has(sect, p->name) ? sect : spec;
		if (from && !scn_get_str(from, p->name, v, &v, err))
			return false;
		int k = 0;
		while (p->choices[k] && strcmp(p->choices[k], v) != 0)
			k++;
		if (!p->choices[k]) {
			char *list = choice_list(p->choices);
			scn_error(from, p->name, err, "expected %s, got '%s'", list, v);
			g_free(list);
			return false;
		}
		*(int *)((char *)cfg + p->off) = k;
	}
	return true;
}

/* The model [disk] names, or the one its spec= file describes. */
static const struct disk_model *
which_model(const struct scn_sect *sect, GError **err)
{
	const struct disk_model *drive = disk_model_drive();
	char *model_from_spec = NULL;
	if (!scn_has(sect, "model") && scn_has(sect, "spec")) {
		/* the spec file says which model it describes */
		char *spec;
		if (!scn_get_path(sect, "spec", &spec, err))
			return NULL;
		if (!spec_readable(sect, spec, err)) {
			g_free(spec);
			return NULL;
		}
		if (dspec_is_disksim(spec)) {
			model_from_spec = g_strdup(drive->name);
		} else {
			struct scn *f = scn_load(spec, SCN_PLAIN, err);
			const char *m = NULL;
			if (f && scn_get_str(scn_section(f, "disk"), "model", drive->name, &m, err))
				model_from_spec = g_strdup(m);
			scn_free(f);
		}
		g_free(spec);
		if (!model_from_spec)
			return NULL;
	}
	const char *name;
	if (!scn_get_str(sect, "model", model_from_spec ? model_from_spec : "ssd", &name, err)) {
		g_free(model_from_spec);
		return NULL;
	}
	const struct disk_model *model = disk_model_find(name);
	if (!model) {
		int n;
		const struct disk_model *const *all = disk_model_all(&n);
		GString *list = g_string_new(NULL);
		for (int i = 0; i < n; i++)
			g_string_append_printf(list, "%s%s", i ? ", " : "", all[i]->name);
		scn_error(sect, "model", err, "unknown disk model '%s' (%s)", name, list->str);
		g_string_free(list, TRUE);
	}
	g_free(model_from_spec);
	return model;
}

/* An integer KEY of the device's interface, from the spec file's [disk], then SECT's (which
 * wins): hw_queues (an NVMe has one per CPU, a SATA or SAS drive one; it only picks the
 * default elevator) and queue_depth (the device's tags). */
static bool
read_spec_int(const struct scn_sect *sect, const char *key, int64_t def, int64_t max, int64_t *out,
              GError **err)
{
	struct scn *f = NULL;
	*out = def;
	if (scn_has(sect, "spec")) {
		char *path;
		if (!scn_get_path(sect, "spec", &path, err))
			return false;
		bool plain = !dspec_is_disksim(path);
		g_free(path);
		if (plain && !spec_open(sect, &f, err))
			return false;
	}
	bool ok = (!f || scn_get_int(scn_section(f, "disk"), key, def, 1, max, out, err)) &&
	          scn_get_int(sect, key, *out, 1, max, out, err);
	scn_free(f);
	return ok;
}

static const char *const block_keys[] = {
    "scheduler", "merges", "nr_requests", "max_sectors_kb", "read_expire", "write_expire",
    "fifo_batch", "writes_starved", "front_merges",
    /* bfq's, named as in /sys/block/X/queue/iosched/ (block/bfq-iosched.c, bfq_attrs) */
    "slice_idle", "timeout_sync", "max_budget", "fifo_expire_sync", "fifo_expire_async",
    "back_seek_max", "back_seek_penalty", "low_latency", NULL};

/* bfq's [block] keys into C (ranges as bfq-iosched.c's STORE_FUNCTIONs, which clamp; here a
 * value outside is refused).  Times in ms, max_budget in sectors (0: bfq's automatic budget,
 * modelled as its starting value bfq_default_max_budget), back_seek_max in KiB. */
static bool
cfg_bfq(const struct scn_sect *sect, struct blk_config *c, GError **err)
{
	double idle, tmo, fsync, fasync;
	int64_t budget, backmax, penalty;
	bool lowlat;
	if (!scn_get_double(sect, "slice_idle", c->bfq_slice_idle * 1e3, 0, 1e9, &idle, err) ||
	    !scn_get_double(sect, "timeout_sync", c->bfq_timeout * 1e3, 1, 1e9, &tmo, err) ||
	    !scn_get_int(sect, "max_budget", 0, 0, INT32_MAX, &budget, err) ||
	    !scn_get_double(sect, "fifo_expire_sync", c->bfq_fifo_expire * 1e3, 1, 1e9, &fsync,
	                    err) ||
	    !scn_get_double(sect, "fifo_expire_async", c->bfq_fifo_expire_async * 1e3, 1, 1e9,
	                    &fasync, err) ||
	    !scn_get_int(sect, "back_seek_max", c->bfq_back_max / 2, 0, INT32_MAX / 2, &backmax,
	                 err) ||
	    !scn_get_int(sect, "back_seek_penalty", c->bfq_back_penalty, 1, INT32_MAX, &penalty,
	                 err) ||
	    !scn_get_bool(sect, "low_latency", false, &lowlat, err))
		return false;
	if (lowlat) {
		/* Linux's default is 1; what it turns on, weight raising of interactive and
		 * soft real-time queues, is not in the model, which runs as low_latency=0 */
		scn_error(sect, "low_latency", err,
		          "low_latency=1 is not modelled: bfq's weight raising (interactive and "
		          "soft real-time queues) is not in the model; set low_latency=0");
		return false;
	}
	c->bfq_slice_idle = idle / 1e3;
	c->bfq_timeout = tmo / 1e3;
	if (budget > 0)
		c->bfq_max_budget = (uint32_t)budget;
	c->bfq_fifo_expire = fsync / 1e3;
	c->bfq_fifo_expire_async = fasync / 1e3;
	c->bfq_back_max = (uint32_t)backmax * 2;
	c->bfq_back_penalty = (uint32_t)penalty;
	return true;
}

/* [block] into C, for a drive of QD tags and HWQ hardware queues; DISK's merge is the old
 * name of merges. */
bool
cfg_block(const struct scn_sect *sect, const struct scn_sect *disk, int qd, int hwq,
          struct blk_config *c, GError **err)
{
	if (!scn_check_keys(sect, block_keys, err))
		return false;
	/* elevator_get_default (block/elevator.c): mq-deadline for one hardware queue, else none */
	const char *def = hwq == 1 ? "mq-deadline" : "none", *name;
	if (!scn_get_str(sect, "scheduler", def, &name, err))
		return false;
	int si = -1;
	for (int i = 0; blk_sched_names[i]; i++)
		if (strcmp(name, blk_sched_names[i]) == 0)
			si = i;
	if (si < 0) {
		scn_error(sect, "scheduler", err, "unknown scheduler '%s' (none, mq-deadline, bfq)",
		          name);
		return false;
	}
	blk_config_default(c, (enum blk_sched)si, qd);
	bool merges = c->merges, front = c->front_merges;
	int64_t nr, maxkb, batch, starved;
	double rexp, wexp;
	if (!scn_get_bool(disk, "merge", merges, &merges, err) ||
	    !scn_get_bool(sect, "merges", merges, &merges, err) ||
	    !scn_get_int(sect, "nr_requests", c->nr_requests, 1, 1 << 20, &nr, err) ||
	    !scn_get_int(sect, "max_sectors_kb", c->max_sectors / 2, 1, 1 << 20, &maxkb, err) ||
	    !scn_get_double(sect, "read_expire", c->read_expire * 1e3, 0, 1e9, &rexp, err) ||
	    !scn_get_double(sect, "write_expire", c->write_expire * 1e3, 0, 1e9, &wexp, err) ||
	    !scn_get_int(sect, "fifo_batch", c->fifo_batch, 1, 1 << 20, &batch, err) ||
	    !scn_get_int(sect, "writes_starved", c->writes_starved, 0, 1 << 20, &starved, err) ||
	    !scn_get_bool(sect, "front_merges", front, &front, err))
		return false;
	c->merges = merges;
	c->nr_requests = (int)nr;
	c->max_sectors = (uint32_t)maxkb * 2;
	c->read_expire = rexp / 1e3;
	c->write_expire = wexp / 1e3;
	c->fifo_batch = (int)batch;
	c->writes_starved = (int)starved;
	c->front_merges = front;
	return cfg_bfq(sect, c, err);
}

/* The drive reader's warnings (DiskSim parameters read but not modelled: "FILE:LINE: KEY:
 * ..."), each printed once per process on stderr however many runs build the drive. */
static void
print_once(const GPtrArray *w)
{
	static GHashTable *seen;
	G_LOCK_DEFINE_STATIC(seen);
	G_LOCK(seen);
	if (!seen)
		seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < w->len; i++)
		if (!g_hash_table_contains(seen, w->pdata[i])) {
			fprintf(stderr, "vnodesim: warning: %s\n", (const char *)w->pdata[i]);
			g_hash_table_add(seen, g_strdup(w->pdata[i]));
		}
	G_UNLOCK(seen);
}

struct disk *
cfg_disk(const struct scn_sect *sect, const struct scn_sect *block, uint64_t seed, double jitter,
         GError **err)
{
	const struct disk_model *model = which_model(sect, err);
	if (!model || !check_disk_keys(sect, model, err))
		return NULL;
	if (!model->drive) { /* a drive's reader checks its file's keys itself */
		struct scn *f;
		if (!spec_open(sect, &f, err))
			return NULL;
		bool ok = !f || check_disk_keys(scn_section(f, "disk"), model, err);
		scn_free(f);
		if (!ok)
			return NULL;
	}
	/* the drive's queue: SPTF (with an age limit) where the model knows positioning times,
	 * FCFS where it does not (an SSD does not reorder by position) */
	const char *sched;
	int64_t qd, hwq;
	double age_ms;
	const char *sched_def = model->position ? "spctf" : "fcfs";
	if (!scn_get_str(sect, "scheduler", sched_def, &sched, err) ||
	    !read_spec_int(sect, "queue_depth", 32, 65536, &qd, err) ||
	    !scn_get_double(sect, "age_limit_ms", model->position ? DISK_AGE_LIMIT_MS : 0, 0, 1e9,
	                    &age_ms, err) ||
	    !read_spec_int(sect, "hw_queues", 1, 4096, &hwq, err))
		return NULL;
	int si = -1;
	for (int i = 0; disk_sched_names[i]; i++)
		if (strcmp(sched, disk_sched_names[i]) == 0)
			si = i;
	if (si < 0) {
		scn_error(sect, "scheduler", err,
		          "unknown scheduler '%s' (fcfs, sstf, clook, sptf, spctf)", sched);
		return NULL;
	}
	struct blk_config bc;
	if (block && !cfg_block(block, sect, (int)qd, (int)hwq, &bc, err))
		return NULL;
	/* the model's own settings */
	void *cfg = g_malloc0(MAX(model->cfg_size, 1));
	bool ok;
	if (model->drive) {
		GPtrArray *w = g_ptr_array_new_with_free_func(g_free);
		ok = dspec_params_from_section(sect, cfg, w, err);
		if (ok)
			print_once(w);
		g_ptr_array_free(w, TRUE);
	} else {
		struct scn *f = NULL;
		ok = spec_open(sect, &f, err) &&
		     read_params(model, f ? scn_section(f, "disk") : NULL, sect, cfg, err);
		scn_free(f);
	}
	struct disk *d = NULL;
	if (ok) {
		struct disk_config c = {.model = model,
		                        .model_cfg = cfg,
		                        .sched = (enum disk_sched)si,
		                        .queue_depth = (int)qd,
		                        .age_limit = age_ms / 1e3,
		                        .blk = block ? &bc : NULL,
		                        .seed = seed,
		                        .jitter = jitter};
		GError *e = NULL;
		d = disk_create(&c, &e);
		if (!d) { /* what the model refused, at the file that described it */
			const char *file = NULL;
			int line = 0;
			scn_where(sect, "spec", &file, &line);
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s:%d: [disk] spec: %s",
			            file ? file : "?", line, e->message);
			g_error_free(e);
		}
		if (model->drive)
			mech_params_clear(cfg);
	}
	g_free(cfg);
	return d;
}

/*
 * config.c -- the models' configuration read from the scenario (config.h).  Defaults and
 * bounds are DESIGN.md §8's; every message names the file, line and key.
 */
#include <string.h>

#include "models/disk.h"
#include "models/pagecache.h"
#include "sim/config.h"
#include "sim/scenario.h"

static const char *const fs_keys[] = {"block_size",     "cache_mb",    "readahead_kb",
                                      "maxphys_kb",     "dirty_ratio", "writeback_interval_s",
                                      "layout",         "meta_write",  "direct_alloc",
                                      "dio_invalidate", NULL};
static const char *const policy_keys[] = {"name", "fairness", "bmap", "concurrent", "matrix", NULL};

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
	static const char *const layouts[] = {"preallocated", "sparse", NULL};
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
	    !pick(psec, "concurrent", "direct", concs, &conc, err) ||
	    !scn_get_str(psec, "fairness", "fifo", &fair, err))
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
	c->meta_write = meta == 1;
	c->direct_fallback = dalloc == 1;
	c->dio_inval_before = dinval == 1;
	c->bmap_buffer = bmap == 1;
	c->params.concurrent = (enum lk_concurrent)conc;
	c->conc_text = concs[conc];
	c->policy = lk_policy_find(policy);
	g_assert(c->policy); /* the caller checked the name */
	GError *e = NULL;
	if (!lk_fair_parse(fair, &c->fair, &c->batch_n, &e)) {
		scn_error(psec, "fairness", err, "%s", e->message);
		g_error_free(e);
		return false;
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

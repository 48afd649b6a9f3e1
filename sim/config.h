/*
 * config.h -- the simulator sections of a scenario read into the models' configuration
 * structs: [disk] (and the disk file it names) into struct disk_config and the model's own
 * settings (models/disk.h), [fs] and [policy] into struct fs_config (models/fs.h).  The
 * models never read a scenario (models/env.h); every bad value is reported here, as
 * "FILE:LINE: [sect] KEY: ..." (scenario.h), exit status 2.
 */
#ifndef VN_CONFIG_H
#define VN_CONFIG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/disk.h"
#include "models/fs.h"

struct scn;
struct scn_sect;

/* The device [disk] SECT describes (model, scheduler, queue_depth, age_limit_ms, hw_queues,
 * the model's keys, the file spec= names) behind the block layer [block] BLOCK describes (NULL:
 * none, requests go straight to the drive -- a replayed trace taken below the host's
 * scheduler), built: SEED seeds its random streams, JITTER perturbs its service times
 * ([sim] jitter).  NULL + *err on bad input. */
struct disk *cfg_disk(const struct scn_sect *sect, const struct scn_sect *block, uint64_t seed,
                      double jitter, GError **err);
struct blk_config;
/* [block] SECT (NULL: every default) into C, for a drive of QD tags and HWQ hardware queues;
 * DISK's merge is the old name of merges.  false + *err on bad input. */
bool cfg_block(const struct scn_sect *sect, const struct scn_sect *disk, int qd, int hwq,
               struct blk_config *c, GError **err);
/* The drive's age limit by default (ms), for a drive whose model knows positioning times. */
#define DISK_AGE_LIMIT_MS 500

/* [fs] and [policy] of S for a run of POLICY
 * (a known policy) with the oracle on or off, on a disk of DISK_SECTORS sectors.  C's texts
 * point into S.  false + *err on bad input. */
bool cfg_fs(const struct scn *s, const char *policy, bool oracle, uint64_t disk_sectors,
            struct fs_config *c, GError **err);

#endif

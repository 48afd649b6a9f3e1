/*
 * diskspec.h -- reading disk descriptions into a struct mech_params: DiskSim 4.0 .diskspecs
 * files (with the .model and .seek files they name) and the project's own .disk files.
 *
 * Every function that reads input returns false with *err set ("FILE:LINE: KEY: what is
 * wrong") on bad input, never asserts on it.  Warnings (parameters read but not modelled) are
 * appended to WARN as newly allocated strings when WARN is not NULL.
 */
#ifndef VN_SIM_DISKSPEC_H
#define VN_SIM_DISKSPEC_H

#include <glib.h>
#include <stdbool.h>

#include "models/disk_mech.h"

struct scn_sect;

/* Keys the mechanical model accepts in [disk] (NULL-terminated), beyond the common ones. */
extern const char *const dspec_mech_keys[];

/* A DiskSim .diskspecs file: the first disksim_disk block in it. */
bool dspec_read_diskspecs(const char *path, struct mech_params *p, GPtrArray *warn, GError **err);
/* A project .disk file (INI: [disk] and [zone N] sections). */
bool dspec_read_disk(const char *path, struct mech_params *p, GPtrArray *warn, GError **err);
/* Is PATH a DiskSim file (by its name: *.diskspecs, or a *.parv system file)? */
bool dspec_is_disksim(const char *path);
/* Either, by the file name: *.diskspecs (or *.parv) is DiskSim's, anything else ours. */
bool dspec_load(const char *path, struct mech_params *p, GPtrArray *warn, GError **err);
/* Set the parameters named in SEC (a [disk] section) over *P; keys of other models and the
 * common keys are left alone.  A section without zones but with sectors_per_track makes one
 * zone over all cylinders. */
bool dspec_apply_section(const struct scn_sect *sec, struct mech_params *p, GError **err);
/* The scenario's [disk]: load spec= (if any), then apply the section's own keys. */
bool dspec_params_from_section(const struct scn_sect *disk, struct mech_params *p, GPtrArray *warn,
                               GError **err);
/* A seek table file: DiskSim's .seek format or lines "DIST MS" ('#' comments). */
bool dspec_read_seek_table(const char *path, struct mech_params *p, GError **err);

#endif

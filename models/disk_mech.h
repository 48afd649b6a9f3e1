/*
 * disk_mech.h -- the mechanical disk model's parameters and the internals its tests need.
 *
 * A `struct mech_params` is the full description of a drive (what a DiskSim .diskspecs or a
 * project .disk file says); diskspec.c fills it, mech_new() turns it into a ready model with
 * precomputed zone tables.  Times in the parameters are milliseconds (the unit of the specs);
 * the disk_model interface (disk.h) speaks seconds.
 */
#ifndef VN_DISK_MECH_H
#define VN_DISK_MECH_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/disk.h"

/* DiskSim's sparing schemes (dm_layout_g1 "Sparing scheme used"), the ones the model knows. */
enum mech_sparing {
	MECH_SPARE_NONE = 0,              /* no spares */
	MECH_SPARE_TRACK = 1,             /* spare tracks at the zone's end; slips are tracks */
	MECH_SPARE_CYL = 2,               /* spare sectors at the end of each cylinder */
	MECH_SPARE_PER_TRACK = 3,         /* spare sectors at the end of each track */
	MECH_SPARE_CYL_SLIPEND = 4,       /* as 2, but slips push LBNs on towards the zone's end */
	MECH_SPARE_CYL_FRONT = 5,         /* spare sectors at the front of each cylinder */
	MECH_SPARE_CYL_FRONT_SLIPEND = 6, /* as 5, but slips push LBNs on (as 4) */
	MECH_SPARE_DISK_END = 7,      /* spares at the disk's end: none in the zones; slips push */
	MECH_SPARE_RANGE = 8,         /* spare sectors at the end of each range of cylinders */
	MECH_SPARE_ZONE = 9,          /* spare sectors at the zone's end; slips are sectors */
	MECH_SPARE_ZONE_SLIPEND = 10, /* as 9, and each slip also costs a spare */
};

/* DiskSim's seek types (dm_mech_g1 "Seek type"): extracted, hpl, hplplus10, constant,
 * linear, curve (disk_mech.c note 13). */
enum mech_seek_kind {
	MECH_SEEK_TABLE,  /* "extracted": a measured table, linear between its points */
	MECH_SEEK_RW,     /* "hpl": Ruemmler and Wilkes's two-piece curve */
	MECH_SEEK_HPL10,  /* "hplplus10": the first ten distances from a list, then hpl */
	MECH_SEEK_CONST,  /* "constant": one time for every seek */
	MECH_SEEK_LINEAR, /* "linear": through single, average and full-strobe times */
	MECH_SEEK_CURVE,  /* "curve": Lee's equation through the same three times */
};

/* How far a prefetch goes (DiskSim's "Buffer continuous read"; see disk_mech.c note 7). */
enum mech_ra_mode {
	MECH_RA_NONE = 0,    /* no read-ahead */
	MECH_RA_TRACK = 1,   /* up to the maximum, not past the end of the track */
	MECH_RA_CYL = 2,     /* up to the maximum, not past the end of the cylinder */
	MECH_RA_SEGMENT = 3, /* up to the maximum (or the segment's size) */
	MECH_RA_DEC = 4,     /* to the end of the next block's track (one more if needed) */
};

struct mech_zone_params {
	int first_cyl, last_cyl;
	int spt;             /* sectors (blocks) per track */
	double first_offset; /* angle of the first block, in sectors */
	int front_space;     /* empty sectors at the zone's front */
	double track_skew;   /* sectors */
	double cyl_skew;     /* sectors */
	int spares;          /* per the sparing scheme: tracks, or sectors per unit */
	int nslips;
	int *slips; /* zone-relative physical sector (track for scheme 1) numbers, g_malloc'd */
};

struct mech_params {
	double rpm;
	int cylinders, surfaces;
	int64_t block_count; /* 0: whatever the zones give; else must match */
	int sparing;         /* enum mech_sparing */
	int sparing_range;   /* cylinders a range holds (scheme 8; DiskSim's "Rangesize") */
	int mapping;         /* 0 normal; 1, 2: cylinder switches stay on the surface */
	int nzones;
	struct mech_zone_params *zones; /* g_malloc'd */

	int seek_kind; /* enum mech_seek_kind */
	int nseek;
	double *seek_dist, *seek_ms; /* table, ascending distance, g_malloc'd */
	double rw_a, rw_b, rw_c, rw_e, rw_boundary;
	double single_cyl_ms;                            /* < 0: from the table or curve */
	double seek_const_ms, seek_avg_ms, seek_full_ms; /* constant, linear, curve */
	double seek_first10_ms[10];                      /* hplplus10: distances 1..10 */
	double head_switch_ms, write_settle_ms;

	/* controller: command overheads by request kind and what came before */
	double ovh_read_hit[2]; /* [0] after a read, [1] after a write */
	double ovh_read_miss[2];
	double ovh_write_hit[2];
	double ovh_write_miss[2];
	double ovh_read_complete, ovh_write_complete, ovh_data_prep, ovh_per_request;
	double ovh_read_disconnect[2]; /* a read miss lets go of the bus: after read / write */
	double ovh_reselect;           /* and takes it again to send the data */
	/* write-through writes, as DiskSim's controller times them (disk_write_arrive,
	 * disk_check_hda, disk_reconnection_or_transfer_complete, disk_check_bus; note 13) */
	double min_seek_delay_ms;    /* a write's positioning takes at least this long */
	double write_disconnect_ms;  /* the bus released after a write's data */
	double reselect_other_ms;    /* completion reselect after an extra disconnect */
	bool extra_write_disconnect; /* a write after a write it does not continue: three phases */
	double xdisc_command_ms, xdisc_disconnect_ms, xdisc_inter_ms, xdisc_disconnect2_ms,
	    xdisc_seek_delta_ms;
	double ovh_scale;
	double bus_ms_per_sector;       /* reads' (and writes', unless the next is set) */
	double bus_write_ms_per_sector; /* < 0: as bus_ms_per_sector (a .parv may differ) */
	/* fraction of a read that must be buffered before the bus transfer starts, and of a
	 * write that must be in the buffer before the media write starts (DiskSim's high and
	 * low water marks); of the request's size (capped by the segment) or, when
	 * !water_by_request, of the segment's */
	double read_water, write_water;
	bool water_by_request;

	/* on-drive cache */
	bool cache;
	int cache_segments, write_segments, segment_sectors;
	bool separate_write_segment;
	int readahead_mode;        /* enum mech_ra_mode: DiskSim's "Buffer continuous read" */
	int readahead_sectors;     /* maximum read-ahead (modes 1-3; 0: by the segment size) */
	int min_readahead_sectors; /* a prefetch is not stopped for a miss before this */
	/* DiskSim's "Read-ahead over requested": 1 the read-ahead counts from the request's
	 * end, 0 from its start, -1 from its end and data sent to the host leaves the segment */
	int readahead_over_requested;
	bool readahead_on_idle_hit;
	bool almost_read_hits; /* a read starting at the block being prefetched is a hit */
	/* DiskSim's "Disconnect write if seek" and "Stop prefetch in sector": a prefetch is
	 * stopped at once (a seek under way completes) unless the first is set and the second
	 * is not; then it stops at the next sector boundary */
	bool disconnect_in_seek, stop_prefetch_in_sector;
	bool immed_transfer_partial_hit; /* partial hits send their data at once */
	bool read_hits_on_write_data;
	bool combine_writes;
	int write_back; /* DiskSim's "Fast write level": 0 write-through, 1 and 2 write-back */
	/* DiskSim's "Allow write prebuffering": a fast write that does not append may come
	 * into a free write segment while the arm destages (at most write_segments dirty);
	 * without it, only once every dirty sector is on the media (disk_mech.c note 12) */
	bool write_prebuffer;
};

/* What the model can represent (disk_mech.c note 11): every parameter is checked against
 * these by mech_params_check, and by the readers where the number is read. */
#define MECH_MIN_RPM 1.0                    /* a revolution a minute */
#define MECH_MAX_RPM 100000.0               /* 0.6 ms a revolution; drives sold spin 3,600-15,000 */
#define MECH_MAX_MS 10000.0                 /* any one seek, switch, settle or overhead time (ms) */
#define MECH_MAX_SCALE 1000.0               /* overhead_scale */
#define MECH_MAX_SKEW 1e9                   /* first_offset, track_skew, cyl_skew, in sectors */
#define MECH_MAX_CYLINDERS 10000000         /* a 20 TB drive has about 500,000 */
#define MECH_MAX_TRACKS (1 << 24)           /* cylinders x surfaces: one hole entry each */
#define MECH_MAX_SECTORS ((int64_t)1 << 41) /* 1 PiB of 512-byte sectors, as capacity_gb */

void mech_params_init(struct mech_params *p); /* defaults: no zones, no seek data */
void mech_params_clear(struct mech_params *p);
void mech_params_copy(struct mech_params *dst, const struct mech_params *src);
/* Check that P describes a drive the model can represent; GError (no file:line, the caller
 * adds context). */
bool mech_params_check(const struct mech_params *p, GError **err);
/* The same, saying where the fault is so a reader can name the line: *ZONE the zone's index
 * (-1: not a zone's), *FIELD the parameter as the project's disk files name it ("rpm",
 * "seek", "spares", "front_space", ...).  The message does not repeat them. */
bool mech_params_check_at(const struct mech_params *p, int *zone, const char **field, GError **err);

/* A physical block address. */
struct mech_pbn {
	int cyl, head, sector;
};

struct mech;

/* Build a model from P (copied).  NULL + *err if P is inconsistent. */
struct mech *mech_new(const struct mech_params *p, GError **err);
void mech_free(struct mech *m);
const struct mech_params *mech_params_of(const struct mech *m);
uint64_t mech_capacity(const struct mech *m);

/* LBN -> PBN; false when LBN is past the end. */
bool mech_lbn_to_pbn(const struct mech *m, uint64_t lbn, struct mech_pbn *out);
/* PBN -> LBN; -1 when the sector holds no LBN (spare, slipped, front space, no zone). */
int64_t mech_pbn_to_lbn(const struct mech *m, const struct mech_pbn *p);
/* Angle of the start of physical sector P, in revolutions [0, 1). */
double mech_pbn_angle(const struct mech *m, const struct mech_pbn *p);
/* Angle of the platter at absolute time T_MS (ms), in revolutions [0, 1). */
double mech_angle_at(const struct mech *m, double t_ms);
/* Arm movement over DIST cylinders (ms, no head switch or settle). */
double mech_seek_ms(const struct mech *m, int dist);
/* Full positioning cost between tracks as DiskSim charges it: max(seek, head switch), plus the
 * write settle if anything moved and OP is a write. */
double mech_move_ms(const struct mech *m, int c0, int h0, int c1, int h1, enum io_dir op);
/* Rotation period (ms). */
double mech_period_ms(const struct mech *m);

/* The model's cache state, for tests: does the cache hold [lbn, lbn+n) at T (seconds)? */
bool mech_cached(struct mech *m, uint64_t lbn, uint32_t n, double now);
/* Where a prefetch after a read of [LBN, LBN+N) stops, the segment starting at SEG_START
 * (DiskSim's maximum read-ahead block; note 7). */
uint64_t mech_readahead_limit(const struct mech *m, uint64_t lbn, uint32_t n, uint64_t seg_start);
/* First LBN of the track (cylinder) after the one holding LBN. */
uint64_t mech_track_end(const struct mech *m, uint64_t lbn);
uint64_t mech_cyl_end(const struct mech *m, uint64_t lbn);

#endif

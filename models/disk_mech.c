/*
 * disk_mech.c -- the mechanical disk model: zoned geometry, seek, rotation, controller
 * overheads, bus transfer and a segmented on-drive cache with read-ahead and write-back.
 *
 * Pure computation (no SimGrid): service() is given the time a request starts service and
 * answers how long each part takes, updating the head position and the cache.  It follows
 * DiskSim 4.0's model (dm_layout_g1, dm_mech_g1, the disk controller and its cache) closely
 * enough to reproduce the validated drives' measured traces; tests/test_drives.c checks it.
 *
 * Design notes.
 * (1) Geometry.  Within a zone every physical sector has a "slot" number,
 *     slot = ((cyl - first_cyl) * surfaces + logical head) * spt + sector.  Whatever the sparing
 *     scheme, the zone's LBNs fill the slots in order, skipping "holes": the front space,
 *     slipped sectors (or tracks), and spares that sit in the middle of the zone (per track or
 *     per cylinder).  Spares at the zone's end are simply past its last LBN.  Holes are kept
 *     as sorted, merged runs with running totals, so LBN -> slot and back are binary searches
 *     and no request allocates.  Zones are found by binary search on their first LBN.
 * (2) Angles are fractions of a revolution.  A sector's start angle is
 *     (first_offset + track_switches * track_skew + cyl_switches * cyl_skew + sector) / spt,
 *     counted from the zone's first track, as dm_layout_g1 does.  The platter's angle at time
 *     t is frac(t / period): rotation is exact and absolute, so idle time moves it too.
 * (3) Positioning between tracks costs max(seek(distance), head switch), plus the write
 *     settle when anything moved and the request writes (dm_mech_g1).  A multi-track access
 *     repositions per contiguous run of sectors (a track, or the part of it between slips).
 * (4) Times inside are milliseconds (the specs' unit); the plug-in interface is in seconds.
 * (5) The arm is busy until `arm_free` (a destage may run after a write was acknowledged,
 *     note 12); a request that needs the media waits for it.  Read-ahead runs while the
 *     drive is otherwise idle: after a read miss the head keeps reading the following LBNs
 *     into the segment until the read-ahead target, the segment's end, or the next request
 *     that needs the arm.  How far it got is computed from the elapsed time when the next
 *     request arrives (`now`), not simulated sector by sector.
 * (6) Hits, as DiskSim's controller has them for one outstanding request.  A read hits a
 *     segment that holds its first block (whole hits win over partial ones); it pays the
 *     read-hit overhead and its data goes out at once (a partial hit only if
 *     immed_transfer_partial_hit or the water mark is buffered; else it disconnects with
 *     the miss overhead).  A block not yet read is a miss, even when the running prefetch is
 *     about to read it, unless almost_read_hits allows exactly the block being read.  A hit
 *     on the segment being prefetched lets the prefetch go on, to the further of the two
 *     targets, and waits for blocks it has not read yet; a hit on any other segment stops
 *     the prefetch.  A partial hit on an idle segment reads the rest from the segment's end.
 *     With readahead_on_idle_hit a whole hit restarts its idle segment's prefetch.  Media
 *     work of any read starts no earlier than arrival + read-miss overhead.
 * (7) How far a prefetch goes (mech_readahead_limit, DiskSim's "maximum read-ahead
 *     block"): mode 0 not at all; 1, 2, 3 up to readahead_sectors past the request (if 0:
 *     a segment past its end, or, with readahead_over_requested = 0, a segment past its
 *     start), 1 and 2 never leaving the request's last track / cylinder; 4 (DEC) to the end
 *     of the track holding the block after the request, one track further if the segment
 *     starts on an earlier track.  The target is never lowered by later hits.  Segments
 *     keep their last segment_sectors blocks (older ones scroll out), and with
 *     readahead_over_requested = -1 the blocks a read sent to the host leave its segment.
 * (8) Stopping a prefetch (a miss, a hit elsewhere, a write): not before it has read
 *     min_readahead_sectors past its request; a seek under way completes; it stops at once,
 *     unless disconnect_in_seek is set without stop_prefetch_in_sector, then at the next
 *     sector boundary.  The arm is free from then (arm_free).  A read miss or a
 *     write-through write stops it as it arrives (disk_activate_read / disk_activate_write
 *     call disk_buffer_stop_access at the arrival), a fast write once its data comes in.
 * (9) A read miss disconnects (read-miss + disconnect overhead, in parallel with the seek)
 *     and reconnects (reselect + data preparation) once its water mark is buffered (its
 *     sectors timed as they pass, track switches included: sector_done_at); the bus
 *     then follows the media, sending each block once it is read and the one before it
 *     sent, and waits when it has caught up, as at a track switch (struct busflow); so do
 *     the blocks a partial hit reads from the media.  Hits pay data preparation with
 *     their command overhead.
 * (10) Invariants (mech_check): zones ascend and do not overlap in cylinders or LBNs; holes
 *     ascend and do not touch; every segment holds at most segment_sectors sectors.
 * (11) What the model can represent (mech_params_check_at, bounds in disk_mech.h): rpm in
 *     [1, 100,000]; every time finite, >= 0 and at most 10 s, and so is the seek curve at
 *     every distance the drive can seek (a table is linear between its points and past its
 *     last one, the rw curve monotone on each piece, so the ends of each piece suffice);
 *     at most 10^7 cylinders and 2^24 tracks (per-track sparing keeps one hole a track), at
 *     most 2^41 sectors (1 PiB, what capacity_gb allows the other models); spares fewer
 *     than the unit they are taken from (a track, a cylinder, the zone's tracks or
 *     sectors), front space and slips inside the zone, and every zone holding at least one
 *     LBN: else a zone with no room crashed the request path (an LBN past the capacity).
 *     These are checked before any product that could overflow is formed.
 * (12) Write-back (DiskSim's fast writes, levels 1 and 2 alike: disk_write_arrive and
 *     disk_buffer_stopable_access in disksim_diskctlr.c).  A fast write is acknowledged once
 *     its data is in the buffer; its destage is computed at once (it starts when the arm is
 *     free) and kept in a ring (end time, sectors, segment) until it is done.  The data comes
 *     in only when DiskSim would let it: an append to a dirty segment while the segment has
 *     room, any other write once nothing is dirty -- or, with write_prebuffer, once fewer
 *     than write_segments segments are dirty.  The wait is the write's controller time.  So
 *     the rate of acknowledged writes never exceeds the media's for long: at most one
 *     segment (write_segments with prebuffering) runs ahead of the arm.  Dirty segments are
 *     never victims.  A write larger than a segment is written through.
 * (13) A write-through write, in DiskSim's phases (disksim_diskctlr.c): the media may start
 *     once the command overhead is paid (disk_write_arrive's overhead_done), its first
 *     positioning taking at least min_seek_delay_ms (disk_check_hda; DiskSim skips it for a
 *     write streaming on from one still under way, which a drive served one request at a
 *     time never has); the data comes from the command + data preparation (READY_TO_TRANSFER)
 *     and is written block by block as it comes (write_media).  With extra_write_disconnect,
 *     a write after a write it does not continue (disk_buffer_select_segment's
 *     EXTRA_WRITE_DISCONNECT) pays instead: the media after xdisc_command + xdisc_seek_delta,
 *     the data after xdisc_command + xdisc_disconnect + xdisc_inter (disk_disconnect) + the
 *     first reselect + data preparation (disk_check_bus).  After the data the drive
 *     disconnects (write_disconnect_ms, or xdisc_disconnect2_ms), and once the media is done
 *     it reselects (reselect_ms, or reselect_other_ms after an extra disconnect) and sends
 *     the completion (disk_buffer_request_complete, disk_request_complete).
 * (14) With extra_write_disconnect (the HP C2247A's firmware as DiskSim has it) a write's
 *     sector is written only once its segment holds min(N, 10) of the request's N blocks,
 *     15 if N >= 45 (disk_buffer_block_available): a write whose head is there before then
 *     lets the sector pass and writes it a turn later.  This applies to every write of such
 *     a drive, with an extra disconnect or not (write_gate, write_media).
 * (15) A read miss's command is processed as it arrives at the drive (DiskSim 4.0's
 *     disk_read_arrive sets overhead_done = arrival + the read-miss command overhead, after
 *     the per-request overhead that "takes place immediately after the arrival"; the media
 *     waits for overhead_done, not for a new overhead at service): a read that waited in
 *     the drive's queue (disk.c note 8) starts its media work at max(service start, arrival
 *     + overheads), and its disconnect follows the command.  Hits and writes pay their
 *     overheads at service: a queued write's data phases and a queued hit would need the
 *     hit type decided at arrival (DiskSim's hittype), which this model does not keep.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "models/disk_mech.h"
#include "models/env.h"

struct hole {
	int64_t start, len; /* slots [start, start + len) hold no LBN */
	int64_t cum;        /* hole slots in this run and every earlier one */
};

struct zone {
	int first_cyl, last_cyl, spt;
	double off, tskew, cskew; /* sectors */
	uint64_t first_lbn, nlbn;
	int64_t nslots;
	int nholes;
	struct hole *holes;
};

struct seg {
	uint64_t start, end; /* valid LBNs [max(start, drop), end) */
	uint64_t drop;       /* LBNs below were sent to the host and dropped (note 7) */
	uint64_t target;     /* a prefetch into this segment stops here (note 7) */
	uint64_t lru;        /* larger = used more recently */
	bool dirty;          /* write-back data not yet on the media */
	bool write;          /* holds write data (may be a dedicated write segment) */
};

#define MECH_MAXSEG 32
#define MECH_MAXDESTAGE 64 /* pending destages remembered; more wait for the oldest */

struct mech {
	struct mech_params p;
	int nzones;
	struct zone *z;
	uint64_t capacity;
	double period; /* ms */
	int maxcyl;

	/* state (ms, absolute) */
	int cyl, head;
	double arm_free;    /* the arm is busy until then (destage) */
	int last_op;        /* 0 read, 1 write: the previous request's kind */
	uint64_t last_wend; /* the LBN after the last write's (note 13) */
	uint64_t lru_tick;
	int nseg;
	struct seg seg[MECH_MAXSEG];
	/* read-ahead in progress: reading LBNs from ra_lbn on, flowing from ra_t0 */
	bool ra_on;
	int ra_seg;
	uint64_t ra_lbn, ra_target;
	uint64_t ra_min; /* a miss does not stop it before this */
	double ra_t0;
	/* write-back (note 12): the destages not known done, oldest first, in a ring; each
	 * ends by arm_free */
	struct destage {
		double end; /* ms: its sectors are on the media */
		uint32_t n;
		int seg; /* the segment holding its data */
	} wq[MECH_MAXDESTAGE];
	int wq_head, wq_len;
};

/* ---- geometry ---------------------------------------------------------------------- */

static int
hole_cmp(const void *a, const void *b)
{
	const struct hole *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort, merge and total the runs. */
static void
holes_finish(GArray *h)
{
	g_array_sort(h, hole_cmp);
	guint o = 0;
	for (guint i = 0; i < h->len; i++) {
		struct hole *c = &g_array_index(h, struct hole, i);
		if (c->len <= 0)
			continue;
		if (o > 0) {
			struct hole *p = &g_array_index(h, struct hole, o - 1);
			if (c->start <= p->start + p->len) {
				int64_t e = MAX(p->start + p->len, c->start + c->len);
				p->len = e - p->start;
				continue;
			}
		}
		g_array_index(h, struct hole, o++) = *c;
	}
	g_array_set_size(h, o);
	int64_t cum = 0;
	for (guint i = 0; i < h->len; i++) {
		struct hole *c = &g_array_index(h, struct hole, i);
		cum += c->len;
		c->cum = cum;
	}
}

static int64_t
zone_lbn_to_slot(const struct zone *z, int64_t l)
{
	/* last run with (LBNs before it) <= l */
	int lo = 0, hi = z->nholes - 1, best = -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const struct hole *h = &z->holes[mid];
		int64_t before = h->start - (h->cum - h->len);
		if (before <= l) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return best < 0 ? l : l + z->holes[best].cum;
}

/* -1 if SLOT is a hole. */
static int64_t
zone_slot_to_lbn(const struct zone *z, int64_t slot)
{
	int lo = 0, hi = z->nholes - 1, best = -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (z->holes[mid].start <= slot) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (best < 0)
		return slot;
	const struct hole *h = &z->holes[best];
	if (slot < h->start + h->len)
		return -1;
	return slot - h->cum;
}

/* First hole slot after SLOT (INT64_MAX if none). */
static int64_t
zone_next_hole(const struct zone *z, int64_t slot)
{
	int lo = 0, hi = z->nholes - 1, best = z->nholes;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (z->holes[mid].start > slot) {
			best = mid;
			hi = mid - 1;
		} else {
			lo = mid + 1;
		}
	}
	return best < z->nholes ? z->holes[best].start : INT64_MAX;
}

static int
find_zone_lbn(const struct mech *m, uint64_t lbn)
{
	int lo = 0, hi = m->nzones - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (m->z[mid].first_lbn <= lbn)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static int
find_zone_cyl(const struct mech *m, int cyl)
{
	int lo = 0, hi = m->nzones - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (cyl < m->z[mid].first_cyl)
			hi = mid - 1;
		else if (cyl > m->z[mid].last_cyl)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

/* Logical head (the order tracks are filled) <-> physical head, per the mapping scheme. */
static int
head_map(const struct mech *m, const struct zone *z, int cyl, int h)
{
	int S = m->p.surfaces;
	if (m->p.mapping == 1 && ((cyl - z->first_cyl) & 1))
		return S - 1 - h;
	if (m->p.mapping == 2 && (cyl & 1))
		return S - 1 - h;
	return h;
}

static void
slot_to_pbn(const struct mech *m, const struct zone *z, int64_t slot, struct mech_pbn *out)
{
	int64_t track = slot / z->spt;
	out->sector = (int)(slot % z->spt);
	out->cyl = z->first_cyl + (int)(track / m->p.surfaces);
	out->head = head_map(m, z, out->cyl, (int)(track % m->p.surfaces));
}

/* Angle (revolutions) of the start of slot SLOT in zone Z. */
static double
slot_angle(const struct mech *m, const struct zone *z, int64_t slot)
{
	int64_t track = slot / z->spt;
	int64_t c = track / m->p.surfaces, h = track % m->p.surfaces;
	double a = z->off + (double)(h + (m->p.surfaces - 1) * c) * z->tskew +
	           (double)c * z->cskew + (double)(slot % z->spt);
	a = fmod(a, (double)z->spt) / z->spt;
	return a < 0 ? a + 1.0 : a;
}

bool
mech_lbn_to_pbn(const struct mech *m, uint64_t lbn, struct mech_pbn *out)
{
	if (lbn >= m->capacity)
		return false;
	const struct zone *z = &m->z[find_zone_lbn(m, lbn)];
	slot_to_pbn(m, z, zone_lbn_to_slot(z, (int64_t)(lbn - z->first_lbn)), out);
	return true;
}

int64_t
mech_pbn_to_lbn(const struct mech *m, const struct mech_pbn *p)
{
	int zi = find_zone_cyl(m, p->cyl);
	if (zi < 0 || p->head < 0 || p->head >= m->p.surfaces)
		return -1;
	const struct zone *z = &m->z[zi];
	if (p->sector < 0 || p->sector >= z->spt)
		return -1;
	int lh = head_map(m, z, p->cyl, p->head); /* the map is its own inverse */
	int64_t slot = ((int64_t)(p->cyl - z->first_cyl) * m->p.surfaces + lh) * z->spt + p->sector;
	int64_t l = zone_slot_to_lbn(z, slot);
	if (l < 0 || (uint64_t)l >= z->nlbn)
		return -1;
	return (int64_t)z->first_lbn + l;
}

double
mech_pbn_angle(const struct mech *m, const struct mech_pbn *p)
{
	int zi = find_zone_cyl(m, p->cyl);
	g_assert(zi >= 0);
	const struct zone *z = &m->z[zi];
	int lh = head_map(m, z, p->cyl, p->head);
	int64_t slot = ((int64_t)(p->cyl - z->first_cyl) * m->p.surfaces + lh) * z->spt + p->sector;
	return slot_angle(m, z, slot);
}

double
mech_angle_at(const struct mech *m, double t_ms)
{
	double r = t_ms / m->period;
	return r - floor(r);
}

double
mech_period_ms(const struct mech *m)
{
	return m->period;
}

/* ---- seek -------------------------------------------------------------------------- */

static inline double
seek_ms(const struct mech_params *p, int dist)
{
	if (dist <= 0)
		return 0.0;
	switch (p->seek_kind) {
	case MECH_SEEK_CONST:
		return p->seek_const_ms;
	case MECH_SEEK_LINEAR: { /* note 13: (1, single), (C/3, average), (C-1, full) */
		double one = p->single_cyl_ms >= 0 ? p->single_cyl_ms : 0,
		       third = p->cylinders / 3.0, last = p->cylinders - 1;
		if (dist <= 1 || third <= 1)
			return dist <= 1 ? one : p->seek_full_ms;
		if (dist <= third)
			return one + (p->seek_avg_ms - one) * (dist - 1) / (third - 1);
		if (last <= third)
			return p->seek_full_ms;
		return p->seek_avg_ms +
		       (p->seek_full_ms - p->seek_avg_ms) * (dist - third) / (last - third);
	}
	case MECH_SEEK_CURVE: { /* note 13: Lee's equation */
		double one = p->single_cyl_ms >= 0 ? p->single_cyl_ms : 0, c = p->cylinders;
		double a = (-10 * one + 15 * p->seek_avg_ms - 5 * p->seek_full_ms) / (3 * sqrt(c));
		double b = (7 * one - 15 * p->seek_avg_ms + 8 * p->seek_full_ms) / (3 * c);
		return one + a * sqrt((double)(dist - 1)) + b * (dist - 1);
	}
	case MECH_SEEK_HPL10:
		if (dist <= 10)
			return p->seek_first10_ms[dist - 1];
		/* fall through */
	case MECH_SEEK_RW:
		if (dist == 1 && p->single_cyl_ms >= 0)
			return p->single_cyl_ms;
		if (dist < p->rw_boundary)
			return p->rw_a + p->rw_b * sqrt((double)dist);
		return p->rw_c + p->rw_e * dist;
	default:
		break;
	}
	int n = p->nseek;
	const double *d = p->seek_dist, *t = p->seek_ms;
	if (n == 1)
		return t[0];
	if (dist <= d[0]) {
		if (dist == d[0] || d[0] <= 1)
			return t[0];
		/* below the first point: from (1, single) or flat */
		if (p->single_cyl_ms >= 0)
			return p->single_cyl_ms +
			       (t[0] - p->single_cyl_ms) * (dist - 1) / (d[0] - 1);
		return t[0];
	}
	int lo = 0, hi = n - 1; /* find d[lo] <= dist < d[hi], or extrapolate past the end */
	if (dist >= d[n - 1]) {
		lo = n - 2;
		hi = n - 1;
	} else {
		while (hi - lo > 1) {
			int mid = (lo + hi) / 2;
			if (d[mid] <= dist)
				lo = mid;
			else
				hi = mid;
		}
	}
	return t[lo] + (t[hi] - t[lo]) * (dist - d[lo]) / (d[hi] - d[lo]);
}

double
mech_seek_ms(const struct mech *m, int dist)
{
	return seek_ms(&m->p, dist);
}

double
mech_move_ms(const struct mech *m, int c0, int h0, int c1, int h1, enum io_dir op)
{
	double s = mech_seek_ms(m, abs(c1 - c0));
	double hs = h0 != h1 ? m->p.head_switch_ms : 0.0;
	double r = s > hs ? s : hs;
	if (r > 0 && op == IO_WRITE) /* the settle may be negative (note 11): never below 0 */
		r = MAX(r + m->p.write_settle_ms, 0.0);
	return r;
}

/* The bus time of a written sector (a .parv's bus may differ for writes). */
static inline double
bus_write_ms(const struct mech_params *p)
{
	return p->bus_write_ms_per_sector >= 0 ? p->bus_write_ms_per_sector : p->bus_ms_per_sector;
}

/* ---- media access ------------------------------------------------------------------ */

/* Time from T until the platter brings angle A under the head. */
static inline double
rot_wait(const struct mech *m, double t, double a)
{
	double d = a - mech_angle_at(m, t);
	d -= floor(d);
	if (d > 1.0 - 1e-9)
		d = 0.0; /* within rounding: already there */
	return d * m->period;
}

struct access {
	double seek, rot, rest; /* first positioning, first latency, everything after */
	double end;             /* time the last sector is done */
	int cyl, head;          /* where the head ends */
};

/* How the bus and the media of one access are coupled.  A write's media is fed by the bus:
 * block k is in the buffer at FEED0 + max(k, KMIN) x BUS (note 14), and its sector waits for
 * it.  A read's bus follows the media (FOLLOW): it sends block k once the sector is read and
 * block k - 1 is sent, and SENT is when the last one was (DiskSim's disk_buffer_transfer_size
 * moves the blocks the segment holds, and with none the drive waits for the next). */
struct busflow {
	bool follow;
	double feed0, bus;
	uint64_t kmin;
	double sent;
	/* FOLLOW with MARK > 0: the bus starts once sector MARK is read (a read's water mark),
	 * at SENT = max(that time, FLOOR) + RESEL; the sectors before it are then sent back to
	 * back.  The one walk times the mark as a walk of MARK sectors would end (note 9). */
	uint64_t mark;
	double floor, resel;
};

/* Access N LBNs from LBN, starting at time T with the head at (CYL, HEAD).  Repositions per
 * contiguous run of slots (note 3).  F (may be NULL): the bus of the access. */
static void media_access_fed(const struct mech *m, int cyl, int head, double t, uint64_t lbn,
                             uint64_t n, enum io_dir op, struct busflow *f, double minmv,
                             struct access *a);

static void
media_access(const struct mech *m, int cyl, int head, double t, uint64_t lbn, uint64_t n,
             enum io_dir op, struct access *a)
{
	media_access_fed(m, cyl, head, t, lbn, n, op, NULL, 0, a);
}

/* Sector k of the run's J-th sector: written once it is in the buffer (block k of the request
 * is there at F's FEED0 + max(k, KMIN) x BUS: note 14), else the sector passes unwritten and
 * the write goes on when it comes round again (DiskSim's disk_buffer_sector_done: a block not
 * yet available makes the sector a dry pass).  Returns the delay (whole revolutions) before
 * sector J of a run whose sector 0 starts at TS, given K0 blocks done before the run. */
static double
fed_delay(const struct mech *m, double ts, double st, int64_t run, uint64_t k0,
          const struct busflow *f)
{
	double shift = 0;
	for (int64_t j = 0; j < run; j++) {
		double at = ts + shift + (double)j * st;
		double avail = f->feed0 + (double)MAX(k0 + (uint64_t)j, f->kmin) * f->bus;
		if (at < avail - 1e-9)
			shift += ceil((avail - at) / m->period - 1e-12) * m->period;
	}
	return shift;
}

static void
media_access_fed(const struct mech *m, int cyl, int head, double t, uint64_t lbn, uint64_t n,
                 enum io_dir op, struct busflow *f, double minmv, struct access *a)
{
	bool first = true;
	uint64_t k0 = 0;
	a->seek = a->rot = a->rest = 0;
	while (n > 0) {
		const struct zone *z = &m->z[find_zone_lbn(m, lbn)];
		int64_t l = (int64_t)(lbn - z->first_lbn);
		int64_t slot = zone_lbn_to_slot(z, l);
		int64_t tend = (slot / z->spt + 1) * z->spt;
		int64_t nh = zone_next_hole(z, slot);
		int64_t run = MIN(tend, nh) - slot;
		uint64_t zleft = z->nlbn - (uint64_t)l;
		if ((uint64_t)run > zleft)
			run = (int64_t)zleft;
		if ((uint64_t)run > n)
			run = (int64_t)n;
		struct mech_pbn p;
		slot_to_pbn(m, z, slot, &p);
		double mv = mech_move_ms(m, cyl, head, p.cyl, p.head, op);
		if (first && mv < minmv)
			mv = minmv; /* DiskSim's minimum seek delay (note 13) */
		double w = rot_wait(m, t + mv, slot_angle(m, z, slot));
		double st = m->period / z->spt;
		double x = (double)run * st;
		if (f && !f->follow)
			x += fed_delay(m, t + mv + w, st, run, k0, f);
		int64_t j0 = 0;
		if (f && f->follow && f->mark > k0) {
			if (f->mark > k0 + (uint64_t)run)
				j0 = run; /* the mark is further on */
			else {
				j0 = (int64_t)(f->mark - k0);
				/* the mark's time as a walk ending there would give it */
				double wm = t + (mv + w + (double)j0 * st);
				f->sent = MAX(wm, f->floor) + f->resel;
				/* the sectors up to the mark, read before the bus starts: back
				 * to back; the mark's own time as the loop below writes it */
				for (uint64_t k = 1; k < f->mark; k++)
					f->sent += f->bus;
				f->sent = MAX(f->sent, t + mv + w + (double)j0 * st) + f->bus;
				f->mark = 0;
			}
		}
		for (int64_t j = j0; f && f->follow && j < run; j++)
			f->sent = MAX(f->sent, t + mv + w + (double)(j + 1) * st) + f->bus;
		k0 += (uint64_t)run;
		if (first) {
			a->seek = mv;
			a->rot = w;
			a->rest = x;
			first = false;
		} else {
			a->rest += mv + w + x;
		}
		t += mv + w + x;
		cyl = p.cyl;
		head = p.head;
		lbn += (uint64_t)run;
		n -= (uint64_t)run;
	}
	a->end = t;
	a->cyl = cyl;
	a->head = head;
}

/* Can a prefetch be stopped between sector boundaries (note 8)? */
static inline bool
mech_stops_mid_sector(const struct mech *m)
{
	return !m->p.disconnect_in_seek || m->p.stop_prefetch_in_sector;
}

/* Sequential read flowing from LBN at T0 (head on track, positioned at LBN's start or
 * repositioning as needed): how many LBNs are done by T (at most MAX), and where the head
 * is.  *DONE_AT: the time the last counted one finished.  With FREE_AT, the read is stopped
 * at T (note 8): *FREE_AT is when the arm can be taken, and the head is where it is then. */
static uint64_t
media_progress(const struct mech *m, int *cyl, int *head, double t0, uint64_t lbn, uint64_t max,
               double t, double *done_at, double *free_at)
{
	uint64_t done = 0;
	double tt = t0;
	*done_at = t0;
	if (free_at)
		*free_at = t;
	while (done < max && lbn < m->capacity) {
		const struct zone *z = &m->z[find_zone_lbn(m, lbn)];
		int64_t l = (int64_t)(lbn - z->first_lbn);
		int64_t slot = zone_lbn_to_slot(z, l);
		int64_t tend = (slot / z->spt + 1) * z->spt;
		int64_t run = MIN(tend, zone_next_hole(z, slot)) - slot;
		if ((uint64_t)run > z->nlbn - (uint64_t)l)
			run = (int64_t)(z->nlbn - (uint64_t)l);
		if ((uint64_t)run > max - done)
			run = (int64_t)(max - done);
		struct mech_pbn p;
		slot_to_pbn(m, z, slot, &p);
		double mv = mech_move_ms(m, *cyl, *head, p.cyl, p.head, IO_READ);
		double w = rot_wait(m, tt + mv, slot_angle(m, z, slot));
		double st = tt + mv + w; /* data of this run starts flowing */
		if (st >= t) {
			if (free_at && t > tt) {
				/* a seek under way completes; waiting for the sector is given up,
				 * unless the prefetch stops only at sector boundaries */
				*cyl = p.cyl;
				*head = p.head;
				if (t < tt + mv)
					*free_at = tt + mv;
				else if (!mech_stops_mid_sector(m))
					*free_at = st;
			}
			break;
		}
		*cyl = p.cyl;
		*head = p.head;
		double per = m->period / z->spt;
		double kk = floor((t - st) / per + 1e-9);
		if (kk >= (double)run) {
			done += (uint64_t)run;
			lbn += (uint64_t)run;
			tt = st + run * per;
			*done_at = tt;
			continue;
		}
		done += (uint64_t)kk;
		*done_at = st + kk * per;
		if (free_at && !mech_stops_mid_sector(m) && *done_at < t - 1e-9) {
			/* the sector under the head is finished first */
			done++;
			*done_at += per;
			*free_at = *done_at;
		}
		break;
	}
	return done;
}

/* ---- cache ------------------------------------------------------------------------- */

/* Forget the destages done by T (note 12). */
static void
wq_expire(struct mech *m, double t)
{
	while (m->wq_len > 0 && m->wq[m->wq_head].end <= t) {
		m->wq_head = (m->wq_head + 1) % MECH_MAXDESTAGE;
		m->wq_len--;
	}
}

/* Wait at T for the oldest pending destage: the time its sectors are on the media. */
static double
wq_wait(struct mech *m, double t)
{
	g_assert(m->wq_len > 0);
	double end = m->wq[m->wq_head].end;
	wq_expire(m, end);
	return end > t ? end : t;
}

static void
wq_push(struct mech *m, double end, uint32_t n, int seg)
{
	g_assert(m->wq_len < MECH_MAXDESTAGE);
	g_assert(m->wq_len == 0 ||
	         end >= m->wq[(m->wq_head + m->wq_len - 1) % MECH_MAXDESTAGE].end);
	m->wq[(m->wq_head + m->wq_len) % MECH_MAXDESTAGE] = (struct destage){end, n, seg};
	m->wq_len++;
}

/* Dirty sectors of segment SEG (-1: of all). */
static uint32_t
wq_sectors(const struct mech *m, int seg)
{
	uint32_t n = 0;
	for (int i = 0; i < m->wq_len; i++) {
		const struct destage *d = &m->wq[(m->wq_head + i) % MECH_MAXDESTAGE];
		if (seg < 0 || d->seg == seg)
			n += d->n;
	}
	return n;
}

/* Segments holding dirty data. */
static int
wq_segments(const struct mech *m)
{
	uint64_t seen = 0;
	int k = 0;
	for (int i = 0; i < m->wq_len; i++) {
		int s = m->wq[(m->wq_head + i) % MECH_MAXDESTAGE].seg;
		if (!(seen & ((uint64_t)1 << s))) {
			seen |= (uint64_t)1 << s;
			k++;
		}
	}
	return k;
}

static bool
seg_is_dirty(const struct mech *m, int seg)
{
	for (int i = 0; i < m->wq_len; i++)
		if (m->wq[(m->wq_head + i) % MECH_MAXDESTAGE].seg == seg)
			return true;
	return false;
}

static int
seg_first_read(const struct mech *m)
{
	return (m->p.separate_write_segment && m->nseg > 1) ? 1 : 0;
}

/* The first block a segment still holds: data sent to the host is dropped (note 7). */
static inline uint64_t
seg_start(const struct seg *s)
{
	return s->start > s->drop ? s->start : s->drop;
}

/* Bring the read-ahead up to time T: extend its segment, move the head.  STOP: it ends
 * there (note 8), and the arm is busy until it has let go. */
static void
ra_advance(struct mech *m, double t, bool stop)
{
	if (!m->ra_on)
		return;
	struct seg *s = &m->seg[m->ra_seg];
	double free_at = t;
	if (t > m->ra_t0 && m->ra_target > m->ra_lbn) {
		double done_at;
		uint64_t k =
		    media_progress(m, &m->cyl, &m->head, m->ra_t0, m->ra_lbn,
		                   m->ra_target - m->ra_lbn, t, &done_at, stop ? &free_at : NULL);
		if (k > 0) {
			m->ra_lbn += k;
			m->ra_t0 = done_at;
			s->end = m->ra_lbn;
			if (s->end - s->start > (uint64_t)m->p.segment_sectors)
				s->start = s->end - (uint64_t)m->p.segment_sectors;
		}
	} else if (stop && t < m->ra_t0) {
		free_at = m->ra_t0; /* not started yet: the arm is still on the request */
	}
	if (stop) {
		if (free_at > m->arm_free)
			m->arm_free = free_at;
		m->ra_on = false;
	} else if (m->ra_lbn >= m->ra_target) {
		m->ra_on = false;
	}
}

/* Start a prefetch into segment SI from its end at T0, up to its target. */
static void
ra_start(struct mech *m, int si, double t0, uint64_t min_to)
{
	struct seg *s = &m->seg[si];
	if (s->target <= s->end)
		return;
	m->ra_on = true;
	m->ra_seg = si;
	m->ra_lbn = s->end;
	m->ra_target = s->target;
	m->ra_min = MIN(min_to, s->target);
	m->ra_t0 = t0;
}

/* When the running prefetch will have read every block below UPTO (<= its target). */
static double
ra_ready_at(const struct mech *m, uint64_t upto)
{
	if (upto <= m->ra_lbn)
		return m->ra_t0;
	int c = m->cyl, h = m->head;
	double done_at;
	uint64_t k = media_progress(m, &c, &h, m->ra_t0, m->ra_lbn, upto - m->ra_lbn, INFINITY,
	                            &done_at, NULL);
	g_assert(k == upto - m->ra_lbn);
	return done_at;
}

/* seg_lookup with the running read-ahead's segment ending at RA_END (>= its end: where the
 * prefetch will have got to, its start following as ra_advance moves it), and the prefetch
 * still running then only if RA_LIVE (it stops at its target: no almost read hit after). */
static int
seg_lookup_at(const struct mech *m, uint64_t lbn, uint32_t n, bool allow_write, uint64_t ra_end,
              bool ra_live, bool *whole)
{
	int part = -1;
	*whole = false;
	for (int i = 0; i < m->nseg; i++) {
		const struct seg *s = &m->seg[i];
		uint64_t st = seg_start(s), end = s->end;
		if (s->write && !allow_write)
			continue;
		if (m->ra_on && i == m->ra_seg && ra_end > end) {
			end = ra_end;
			if (end - st > (uint64_t)m->p.segment_sectors)
				st = end - (uint64_t)m->p.segment_sectors;
		}
		bool in = lbn >= st && lbn < end;
		if (!in && m->p.almost_read_hits && ra_live && i == m->ra_seg && lbn == end)
			in = true; /* the block being prefetched */
		if (!in)
			continue;
		if (lbn + n <= end) {
			*whole = true;
			return i;
		}
		if (part < 0)
			part = i;
	}
	return part;
}

/* The segment holding [LBN, LBN + N): whole hits first; *WHOLE says which it is.  A partial
 * hit holds LBN (or, with almost read hits, is being prefetched from LBN on). */
static int
seg_lookup(const struct mech *m, uint64_t lbn, uint32_t n, bool allow_write, bool *whole)
{
	return seg_lookup_at(m, lbn, n, allow_write, 0, m->ra_on, whole);
}

static int
seg_victim(struct mech *m, bool for_write)
{
	int first = seg_first_read(m);
	if (for_write && m->p.separate_write_segment)
		return 0;
	int best = -1;
	for (int i = first; i < m->nseg; i++) {
		if ((m->ra_on && i == m->ra_seg) || seg_is_dirty(m, i))
			continue;
		if (m->seg[i].end <= m->seg[i].start)
			return i; /* an empty segment trashes nothing */
		if (best < 0 || m->seg[i].lru < m->seg[best].lru)
			best = i;
	}
	return best >= 0 ? best : first;
}

static void
seg_touch(struct mech *m, int i)
{
	m->seg[i].lru = ++m->lru_tick;
}

static void
seg_invalidate_overlap(struct mech *m, uint64_t lbn, uint32_t n, int keep)
{
	for (int i = 0; i < m->nseg; i++) {
		struct seg *s = &m->seg[i];
		if (i == keep || s->end <= lbn || s->start >= lbn + n)
			continue;
		s->start = s->end = s->drop = s->target = 0;
	}
}

bool
mech_cached(struct mech *m, uint64_t lbn, uint32_t n, double now)
{
	bool whole;
	ra_advance(m, now * 1e3, false);
	return seg_lookup(m, lbn, n, m->p.read_hits_on_write_data, &whole) >= 0 && whole;
}

/* ---- read-ahead limits (note 7) ------------------------------------------------------ */

/* Hole slots of Z below slot X. */
static int64_t
zone_holes_below(const struct zone *z, int64_t x)
{
	int lo = 0, hi = z->nholes - 1, best = -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (z->holes[mid].start < x) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (best < 0)
		return 0;
	const struct hole *h = &z->holes[best];
	return h->cum - h->len + MIN(h->len, x - h->start);
}

/* First LBN of the unit (TRACKS tracks: a track or a cylinder) holding LBN, and the first
 * past it. */
static void
unit_bounds(const struct mech *m, uint64_t lbn, int64_t tracks, uint64_t *first, uint64_t *past)
{
	const struct zone *z = &m->z[find_zone_lbn(m, lbn)];
	int64_t slot = zone_lbn_to_slot(z, (int64_t)(lbn - z->first_lbn));
	int64_t unit = tracks * z->spt;
	int64_t x0 = slot / unit * unit, x1 = x0 + unit;
	int64_t l0 = x0 - zone_holes_below(z, x0), l1 = x1 - zone_holes_below(z, x1);
	*first = z->first_lbn + (uint64_t)MAX(l0, 0);
	*past = z->first_lbn + (uint64_t)MIN(l1, (int64_t)z->nlbn);
}

uint64_t
mech_track_end(const struct mech *m, uint64_t lbn)
{
	uint64_t a, b;
	if (lbn >= m->capacity)
		return m->capacity;
	unit_bounds(m, lbn, 1, &a, &b);
	return b;
}

uint64_t
mech_cyl_end(const struct mech *m, uint64_t lbn)
{
	uint64_t a, b;
	if (lbn >= m->capacity)
		return m->capacity;
	unit_bounds(m, lbn, m->p.surfaces, &a, &b);
	return b;
}

uint64_t
mech_readahead_limit(const struct mech *m, uint64_t lbn, uint32_t n, uint64_t seg_start)
{
	const struct mech_params *p = &m->p;
	uint64_t end = lbn + n, t, ts, te;
	int64_t seg = p->segment_sectors, minra = p->min_readahead_sectors;
	switch (p->readahead_mode) {
	case MECH_RA_NONE:
		return end;
	case MECH_RA_DEC:
		if (end >= m->capacity)
			return m->capacity;
		unit_bounds(m, end, 1, &ts, &te);
		t = te;
		if (seg_start < ts)
			t += (uint64_t)m->z[find_zone_lbn(m, lbn)].spt;
		break;
	default:
		if (p->readahead_sectors > 0 || minra > 0) /* the maximum is at least the minimum */
			t = end + (uint64_t)MAX(p->readahead_sectors, minra);
		else if (p->readahead_over_requested == 0)
			t = ((int64_t)n >= seg || seg - (int64_t)n < minra) ? end + (uint64_t)minra
			                                                    : lbn + (uint64_t)seg;
		else
			t = end + (uint64_t)seg;
		if (p->readahead_mode == MECH_RA_TRACK)
			t = MIN(t, mech_track_end(m, end - 1));
		else if (p->readahead_mode == MECH_RA_CYL)
			t = MIN(t, mech_cyl_end(m, end - 1));
		break;
	}
	return MIN(MAX(t, end), m->capacity);
}

/* With read-ahead modes 1 and 2 a prefetch never moves the arm off its track / cylinder. */
static bool
ra_may_move(const struct mech *m, uint64_t lbn)
{
	struct mech_pbn p;
	if (m->p.readahead_mode != MECH_RA_TRACK && m->p.readahead_mode != MECH_RA_CYL)
		return true;
	if (!mech_lbn_to_pbn(m, lbn, &p) || p.cyl != m->cyl)
		return false;
	return m->p.readahead_mode == MECH_RA_CYL || p.head == m->head;
}

/* ---- service ----------------------------------------------------------------------- */

/* Sectors that must be buffered before a read's data goes to the host (DiskSim's high
 * water mark), at least one and at most the request. */
static uint32_t
read_watermark(const struct mech_params *p, uint32_t n)
{
	double w;
	if (p->water_by_request)
		w = MAX(1.0, floor(MIN(p->segment_sectors, (int)n) * p->read_water));
	else
		w = ceil(p->segment_sectors * p->read_water - 1e-10);
	return w < 1 ? 1 : w > n ? n : (uint32_t)w;
}

/* Time the K-th sector (K >= 1) of a read of LBN on, started at T with the head at (CYL,
 * HEAD), is in the buffer: the end of the read of its first K sectors, track switches and
 * all, as DiskSim's disk_buffer_sector_done counts each sector as it passes. */
static double
sector_done_at(const struct mech *m, int cyl, int head, double t, uint64_t lbn, uint32_t k)
{
	struct access a;
	media_access(m, cyl, head, t, lbn, k, IO_READ, &a);
	return a.end;
}

static void
svc_read(struct mech *m, uint64_t lbn, uint32_t n, double t0, double tq, struct disk_svc *out)
{
	const struct mech_params *p = &m->p;
	double scale = p->ovh_scale;
	int after = m->last_op;
	double bus = p->bus_ms_per_sector;
	double per_req = p->ovh_per_request * scale;
	double hit_ovh = (p->ovh_read_hit[after] + p->ovh_data_prep) * scale;
	double miss_ovh = p->ovh_read_miss[after] * scale; /* also delays any media work */
	double disc = p->ovh_read_disconnect[after] * scale;
	double resel = (p->ovh_reselect + p->ovh_data_prep) * scale;
	double complete = p->ovh_read_complete * scale;
	uint64_t min_to = lbn + n + (uint64_t)p->min_readahead_sectors;
	double t = t0 + per_req;

	/* (5) how far did the read-ahead get while we were idle? */
	ra_advance(m, t, false);
	bool whole = false;
	int hs = p->cache ? seg_lookup(m, lbn, n, p->read_hits_on_write_data, &whole) : -1;
	if (hs >= 0) {
		/* (6) a hit: the data, or its start, is in segment HS */
		struct seg *s = &m->seg[hs];
		bool on_ra = m->ra_on && hs == m->ra_seg;
		if (m->ra_on && !on_ra)
			ra_advance(m, t, true); /* a hit elsewhere stops the prefetch */
		seg_touch(m, hs);
		if (!s->write) {
			uint64_t tg = mech_readahead_limit(m, lbn, n, seg_start(s));
			if (tg > s->target)
				s->target = tg;
		}
		uint32_t have = (uint32_t)MIN((uint64_t)n, s->end > lbn ? s->end - lbn : 0);
		bool ready = whole || p->immed_transfer_partial_hit || have >= read_watermark(p, n);
		double ctrl = ready ? hit_ovh : miss_ovh + disc;
		double data_at = t; /* the last sector is in the buffer */
		double wm_at = t;   /* the water mark is */
		/* the rest read from the media: from (fcyl, fhead) at fstart (-1: none) */
		int fcyl = m->cyl, fhead = m->head;
		double fstart = -1;
		if (on_ra) {
			m->ra_target = MAX(m->ra_target, s->target);
			m->ra_min = MAX(m->ra_min, MIN(min_to, m->ra_target));
			if (!whole) {
				data_at = ra_ready_at(m, lbn + n);
				wm_at = ra_ready_at(m, lbn + read_watermark(p, n));
			}
		} else if (!whole) {
			/* the rest from the media, from the segment's end, then read on */
			double start = MAX(t + miss_ovh, m->arm_free);
			struct access a;
			media_access(m, m->cyl, m->head, start, s->end, lbn + n - s->end, IO_READ,
			             &a);
			fstart = start;
			uint32_t k = read_watermark(p, n);
			wm_at = k > have
			            ? sector_done_at(m, m->cyl, m->head, start, s->end, k - have)
			            : t;
			m->cyl = a.cyl;
			m->head = a.head;
			m->arm_free = a.end;
			data_at = a.end;
			s->end = lbn + n;
			if (s->end - s->start > (uint64_t)p->segment_sectors)
				s->start = s->end - (uint64_t)p->segment_sectors;
			ra_start(m, hs, a.end, min_to);
		} else if (p->readahead_on_idle_hit && !s->write && s->end < s->target &&
		           ra_may_move(m, s->end)) {
			/* (6) the idle segment's prefetch starts again */
			ra_start(m, hs, MAX(t + miss_ovh, m->arm_free), min_to);
		}
		double bstart = ready ? t + ctrl : MAX(wm_at, t + ctrl) + resel;
		double fin = MAX(bstart + n * bus, whole ? t : data_at + bus);
		if (fstart >= 0) {
			/* the blocks held go at once, then the bus follows the media */
			struct busflow f = {.follow = true, .bus = bus};
			struct access fa;
			f.sent = bstart + have * bus;
			media_access_fed(m, fcyl, fhead, fstart, lbn + have, n - have, IO_READ, &f,
			                 0, &fa);
			fin = f.sent;
		}
		out->ctrl = per_req + ctrl + complete;
		out->xfer = fin - (t + ctrl);
		out->hit = true;
		if (p->readahead_over_requested < 0)
			s->drop = MAX(s->drop, lbn + n);
		m->last_op = 0;
		return;
	}

	/* Miss: the prefetch stops (once past its minimum), the arm goes. */
	if (m->ra_on) {
		double stop_t = t;
		if (m->ra_lbn < m->ra_min)
			stop_t = MAX(t, ra_ready_at(m, m->ra_min));
		ra_advance(m, stop_t, true);
	}
	double start = t + miss_ovh, floor = t + miss_ovh + disc;
	double ovh_left = per_req + miss_ovh; /* the command's work after T0 */
	if (tq < t0) {                        /* (15) done as it arrived */
		double done = tq + per_req + miss_ovh;
		start = MAX(t0, done);
		floor = done + disc;
		ovh_left = start - t0;
	}
	double wait = 0;
	if (m->arm_free > start) {
		wait = m->arm_free - start;
		start = m->arm_free;
	}
	/* (9) the drive disconnects, and reconnects once the water mark is buffered; the bus
	 * follows the media, waiting (at a track switch) when it has caught up */
	struct busflow f = {.follow = true,
	                    .bus = bus,
	                    .mark = read_watermark(p, n),
	                    .floor = floor,
	                    .resel = resel};
	struct access a;
	media_access_fed(m, m->cyl, m->head, start, lbn, n, IO_READ, &f, 0, &a);
	double fin = f.sent;
	out->ctrl = ovh_left + wait + complete;
	out->seek = a.seek;
	out->rot = a.rot;
	out->xfer = fin - (start + a.seek + a.rot);
	out->hit = false;
	m->cyl = a.cyl;
	m->head = a.head;
	m->arm_free = a.end;
	m->last_op = 0;

	if (p->cache) {
		wq_expire(m, start); /* the read waited for every destage */
		int si = seg_victim(m, false);
		struct seg *sg = &m->seg[si];
		sg->start = lbn;
		sg->end = lbn + n;
		sg->drop = p->readahead_over_requested < 0 ? lbn + n : 0;
		sg->dirty = sg->write = false;
		if (sg->end - sg->start > (uint64_t)p->segment_sectors)
			sg->start = sg->end - (uint64_t)p->segment_sectors;
		sg->target = mech_readahead_limit(m, lbn, n, lbn);
		seg_touch(m, si);
		ra_start(m, si, a.end, min_to);
	}
}

/* Blocks a write's segment must hold before its first sector may be written (note 14):
 * one, or with extra_write_disconnect min(N, 10) for a write of fewer than 45 sectors and 15
 * for a larger one (DiskSim's disk_buffer_block_available counts the segment's blocks from
 * the request's first). */
static uint32_t
write_gate(const struct mech_params *p, uint32_t n)
{
	if (!p->extra_write_disconnect || n == 0)
		return 1;
	return n < 45 ? MIN(n, 10) : 15;
}

/* The media part of a write of [LBN, LBN + N) whose data starts coming over the bus at
 * FROM; the arm is free at START >= FROM.  Each block is written only once the bus has
 * brought it (block k in the buffer at FROM + (k + 1) x the bus time a sector): a sector
 * whose block is not there yet passes unwritten and the write goes on when it comes round
 * again, as DiskSim's disk_buffer_sector_done has it (a block not available makes the
 * sector a dry pass), so a bus slower than the media costs revolutions.  A write that fits
 * its segment comes over in one transfer and the water mark does not hold its media work
 * back (DiskSim's disk_buffer_transfer_size moves the whole request; the mark only decides
 * when the drive reconnects for more, disk_buffer_request_complete); a larger one waits
 * for the write water mark of data first (the first sector comes round again).  The first
 * positioning takes at least MINMV (note 13). */
static void
write_media(struct mech *m, uint64_t lbn, uint32_t n, double from, double start, double minmv,
            struct access *a)
{
	double b = bus_write_ms(&m->p);
	struct busflow f = {.feed0 = from + b, .bus = b, .kmin = write_gate(&m->p, n) - 1};
	media_access_fed(m, m->cyl, m->head, start, lbn, n, IO_WRITE, &f, minmv, a);
	double need = from + m->p.write_water * n * b;
	bool fits = m->p.cache && n <= (uint32_t)m->p.segment_sectors;
	if (!fits && start + a->seek + a->rot < need) {
		/* the first sector comes round again once the water mark is buffered */
		double d = ceil((need - (start + a->seek + a->rot)) / m->period) * m->period;
		double seek = a->seek, rot = a->rot;
		media_access_fed(m, m->cyl, m->head, start + d, lbn, n, IO_WRITE, &f, minmv, a);
		/* the same positioning, a whole number of turns later: report it as before */
		a->rest += a->seek + a->rot + d - seek - rot;
		a->seek = seek;
		a->rot = rot;
	}
	m->cyl = a->cyl;
	m->head = a->head;
	m->arm_free = a->end;
}

static void
svc_write(struct mech *m, uint64_t lbn, uint32_t n, double t, struct disk_svc *out)
{
	const struct mech_params *p = &m->p;
	double scale = p->ovh_scale;
	int after = m->last_op;
	double bus = bus_write_ms(p);
	/* (12) a fast write needs the cache, and room for all of its data in one segment */
	bool fast = p->write_back && p->cache && n <= (uint32_t)p->segment_sectors;

	ra_advance(m, t, false);
	/* a write "hits" when it continues or overlaps data in a write segment */
	bool hit = false;
	int ws = -1;
	if (p->cache) {
		for (int i = 0; i < m->nseg; i++) {
			struct seg *s = &m->seg[i];
			if (!s->write || s->end <= s->start)
				continue;
			if ((p->combine_writes && lbn == s->end) ||
			    (lbn >= s->start && lbn < s->end)) {
				hit = true;
				ws = i;
				break;
			}
		}
	}
	/* DiskSim charges a fast write the write-hit overhead, whatever the buffer holds
	 * (disk_write_arrive); a write-through write its hit or miss overhead */
	bool ohit = fast || hit;
	double ctrl =
	    ((ohit ? p->ovh_write_hit[after] : p->ovh_write_miss[after]) + p->ovh_per_request) *
	    scale;

	/* (12) when the data can come in: an append to the dirty segment once it has room,
	 * any other write once every dirty sector is on the media */
	double accept = t + ctrl;
	if (fast) {
		wq_expire(m, accept);
		bool append = hit && lbn == m->seg[ws].end && seg_is_dirty(m, ws);
		int wsegs = p->separate_write_segment ? 1 : MIN(MAX(p->write_segments, 1), m->nseg);
		if (append) {
			while (m->wq_len == MECH_MAXDESTAGE ||
			       wq_sectors(m, ws) + n > (uint32_t)p->segment_sectors)
				accept = wq_wait(m, accept);
		} else if (p->write_prebuffer) {
			while (m->wq_len == MECH_MAXDESTAGE || wq_segments(m) >= wsegs ||
			       (hit && seg_is_dirty(m, ws)))
				accept = wq_wait(m, accept);
		} else {
			while (m->wq_len > 0)
				accept = wq_wait(m, accept);
		}
	}
	/* a write stops the read-ahead: a write-through one as it arrives, once past the
	 * prefetch's minimum, as a read miss does (note 8; disk_activate_write's
	 * disk_buffer_stop_access); a fast one once its data comes in */
	if (fast) {
		ra_advance(m, accept, true);
	} else if (m->ra_on) {
		double stop_t = t;
		if (m->ra_lbn < m->ra_min)
			stop_t = MAX(t, ra_ready_at(m, m->ra_min));
		ra_advance(m, stop_t, true);
	}

	if (p->cache) {
		seg_invalidate_overlap(m, lbn, n, ws);
		if (ws < 0)
			ws = seg_victim(m, true);
		struct seg *s = &m->seg[ws];
		s->drop = s->target = 0;
		if (hit && lbn == s->end) {
			s->end = lbn + n;
		} else if (!hit) {
			s->start = lbn;
			s->end = lbn + n;
		} else {
			s->end = MAX(s->end, lbn + n);
		}
		if (s->end - s->start > (uint64_t)p->segment_sectors)
			s->start = s->end - (uint64_t)p->segment_sectors;
		s->write = true;
		seg_touch(m, ws);
	}

	struct access a;
	if (fast) {
		/* acknowledged once the data is in the buffer; the media write (the destage)
		 * starts as soon as the arm is free, as a write-through one would */
		write_media(m, lbn, n, accept, MAX(accept, m->arm_free), 0, &a);
		wq_push(m, a.end, n, ws);
		m->last_wend = lbn + n;
		out->ctrl = (accept - t) + p->ovh_write_complete * scale;
		out->seek = out->rot = 0;
		out->xfer = n * bus;
		out->hit = true;
		m->last_op = 1;
		return;
	}
	/* (13) the phases of a write-through write: the command (the extra disconnect's
	 * own), the data from the host, the media, the disconnect after the data and the
	 * reselect before the completion */
	bool xd = p->extra_write_disconnect && after == 1 && lbn != m->last_wend;
	double cmd = ctrl; /* until the media may start */
	double ovh_done = t + cmd, data_at = t + ctrl + p->ovh_data_prep * scale;
	double disc = p->write_disconnect_ms * scale, resel = p->ovh_reselect * scale;
	if (xd) {
		cmd = (p->xdisc_command_ms + p->xdisc_seek_delta_ms) * scale;
		ovh_done = t + cmd;
		data_at = t + (p->xdisc_command_ms + p->xdisc_disconnect_ms + p->xdisc_inter_ms +
		               p->ovh_reselect + p->ovh_data_prep) *
		                  scale;
		disc = p->xdisc_disconnect2_ms * scale;
		resel = p->reselect_other_ms * scale;
	}
	double start = ovh_done;
	double wait = 0;
	if (m->arm_free > start) {
		wait = m->arm_free - start;
		start = m->arm_free;
	}
	double done_bus = data_at + n * bus;
	write_media(m, lbn, n, data_at, start, p->min_seek_delay_ms * scale, &a);
	double fin = MAX(a.end, done_bus + wait + disc) + resel;
	out->ctrl = cmd + wait + p->ovh_write_complete * scale;
	out->seek = a.seek;
	out->rot = a.rot;
	out->xfer = fin - (start + a.seek + a.rot);
	out->hit = false;
	m->last_op = 1;
	m->last_wend = lbn + n;
}

/* ---- construction ------------------------------------------------------------------ */

/* Sectors a unit of spares is taken from (a track, a cylinder, a range of cylinders), for
 * the schemes with spares in each unit; 0 for the others. */
static int64_t
spare_unit(const struct mech_params *p, const struct mech_zone_params *zp)
{
	int64_t cyl = (int64_t)zp->spt * p->surfaces;
	switch (p->sparing) {
	case MECH_SPARE_PER_TRACK:
		return zp->spt;
	case MECH_SPARE_CYL:
	case MECH_SPARE_CYL_SLIPEND:
	case MECH_SPARE_CYL_FRONT:
	case MECH_SPARE_CYL_FRONT_SLIPEND:
		return cyl;
	case MECH_SPARE_RANGE:
		return cyl * MAX(p->sparing_range, 1);
	default:
		return 0;
	}
}

static void
build_zone(const struct mech_params *p, const struct mech_zone_params *zp, struct zone *z,
           GArray *h)
{
	int S = p->surfaces;
	int64_t ncyl = zp->last_cyl - zp->first_cyl + 1;
	int64_t tracks = ncyl * S;
	z->first_cyl = zp->first_cyl;
	z->last_cyl = zp->last_cyl;
	z->spt = zp->spt;
	z->off = zp->first_offset;
	z->tskew = zp->track_skew;
	z->cskew = zp->cyl_skew;
	z->nslots = tracks * zp->spt;
	int64_t nlbn = z->nslots - zp->front_space;
	g_array_set_size(h, 0);
	struct hole x;
	switch (p->sparing) {
	case MECH_SPARE_TRACK:
		nlbn -= (int64_t)zp->spares * zp->spt;
		for (int i = 0; i < zp->nslips; i++) {
			x.start = (int64_t)zp->slips[i] * zp->spt;
			x.len = zp->spt;
			g_array_append_val(h, x);
		}
		break;
	case MECH_SPARE_ZONE_SLIPEND:
		nlbn -= zp->nslips;
		/* fall through */
	case MECH_SPARE_ZONE:
		nlbn -= zp->spares;
		for (int i = 0; i < zp->nslips; i++) {
			x.start = zp->slips[i];
			x.len = 1;
			g_array_append_val(h, x);
		}
		break;
	case MECH_SPARE_DISK_END:
		nlbn -= zp->nslips; /* the spares are past the last zone */
		for (int i = 0; i < zp->nslips; i++) {
			x.start = zp->slips[i];
			x.len = 1;
			g_array_append_val(h, x);
		}
		break;
	case MECH_SPARE_PER_TRACK:
	case MECH_SPARE_CYL:
	case MECH_SPARE_CYL_SLIPEND:
	case MECH_SPARE_CYL_FRONT:
	case MECH_SPARE_CYL_FRONT_SLIPEND:
	case MECH_SPARE_RANGE: {
		/* note 1: spares a unit (track, cylinder, range); a slip takes one of its unit's
		 * spares, except in the slip-to-end schemes, where it pushes the LBNs after it on
		 */
		int64_t unit = spare_unit(p, zp);
		int64_t units = z->nslots / unit; /* a range cut short by the zone's end: none */
		bool front = p->sparing == MECH_SPARE_CYL_FRONT ||
		             p->sparing == MECH_SPARE_CYL_FRONT_SLIPEND;
		bool slipend = p->sparing == MECH_SPARE_CYL_SLIPEND ||
		               p->sparing == MECH_SPARE_CYL_FRONT_SLIPEND;
		nlbn -= (int64_t)zp->spares * units + (slipend ? zp->nslips : 0);
		int si = 0;
		for (int64_t u = 0; u <= units; u++) {
			int k = 0;
			while (si < zp->nslips && (u == units || zp->slips[si] < (u + 1) * unit)) {
				x.start = zp->slips[si++];
				x.len = 1;
				g_array_append_val(h, x);
				k++;
			}
			if (u == units)
				break;
			x.len = slipend ? zp->spares : MAX(zp->spares - k, 0);
			x.start = front ? u * unit : (u + 1) * unit - x.len;
			g_array_append_val(h, x);
		}
		break;
	}
	case MECH_SPARE_NONE:
		break; /* DiskSim's no-sparing layout ignores slips */
	default:
		g_assert_not_reached();
	}
	if (spare_unit(p, zp) > 0 || p->sparing == MECH_SPARE_DISK_END) {
		/* the front space hides the first LBN positions: a hole up to the slot of
		 * logical index front_space */
		holes_finish(h);
		if (zp->front_space > 0) {
			struct zone tmp = {.nholes = (int)h->len,
			                   .holes = (struct hole *)(void *)h->data};
			x.start = 0;
			x.len = zone_lbn_to_slot(&tmp, zp->front_space);
			g_array_append_val(h, x);
		}
	} else if (zp->front_space > 0) {
		x.start = 0;
		x.len = zp->front_space;
		g_array_append_val(h, x);
	}
	holes_finish(h);
	z->nlbn = nlbn > 0 ? (uint64_t)nlbn : 0;
	z->nholes = (int)h->len;
	z->holes = g_memdup2(h->data, sizeof(struct hole) * h->len);
}

static void
mech_check(const struct mech *m)
{
	for (int i = 0; i < m->nzones; i++) {
		const struct zone *z = &m->z[i];
		g_assert(z->first_cyl <= z->last_cyl);
		if (i > 0) {
			g_assert(z->first_cyl > m->z[i - 1].last_cyl);
			g_assert(z->first_lbn == m->z[i - 1].first_lbn + m->z[i - 1].nlbn);
		}
		for (int j = 1; j < z->nholes; j++)
			g_assert(z->holes[j].start > z->holes[j - 1].start + z->holes[j - 1].len);
	}
	for (int i = 0; i < m->nseg; i++)
		g_assert(m->seg[i].end - m->seg[i].start <= (uint64_t)m->p.segment_sectors ||
		         m->seg[i].end == m->seg[i].start);
}

struct mech *
mech_new(const struct mech_params *p, GError **err)
{
	if (!mech_params_check(p, err))
		return NULL;
	struct mech *m = g_new0(struct mech, 1);
	mech_params_copy(&m->p, p);
	m->nzones = p->nzones;
	m->z = g_new0(struct zone, p->nzones);
	GArray *h = g_array_new(FALSE, FALSE, sizeof(struct hole));
	uint64_t lbn = 0;
	for (int i = 0; i < p->nzones; i++) {
		build_zone(p, &p->zones[i], &m->z[i], h);
		m->z[i].first_lbn = lbn;
		lbn += m->z[i].nlbn;
		/* every LBN must land inside the zone */
		const struct zone *z = &m->z[i];
		if (z->nlbn > 0 && zone_lbn_to_slot(z, (int64_t)z->nlbn - 1) >= z->nslots) {
			g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT,
			            "zone %d: slips and front space do not fit in the zone", i);
			g_array_free(h, TRUE);
			mech_free(m);
			return NULL;
		}
	}
	g_array_free(h, TRUE);
	m->capacity = lbn; /* as DiskSim, the zones decide; block_count is only checked by
	                    * the readers, which warn */
	m->period = 60000.0 / p->rpm;
	m->nseg = p->cache ? MIN(MAX(p->cache_segments, 1), MECH_MAXSEG) : 0;
	m->arm_free = -INFINITY;
	mech_check(m);
	return m;
}

void
mech_free(struct mech *m)
{
	if (!m)
		return;
	for (int i = 0; m->z && i < m->nzones; i++)
		g_free(m->z[i].holes);
	g_free(m->z);
	mech_params_clear(&m->p);
	g_free(m);
}

const struct mech_params *
mech_params_of(const struct mech *m)
{
	return &m->p;
}

uint64_t
mech_capacity(const struct mech *m)
{
	return m->capacity;
}

/* ---- parameters -------------------------------------------------------------------- */

void
mech_params_init(struct mech_params *p)
{
	memset(p, 0, sizeof(*p));
	p->rpm = 0;
	p->sparing = MECH_SPARE_NONE;
	p->sparing_range = 1;
	p->bus_write_ms_per_sector = -1;
	p->single_cyl_ms = -1;
	p->ovh_scale = 1.0;
	p->cache = true;
	p->cache_segments = 1;
	p->write_segments = 1;
	p->segment_sectors = 256;
	p->readahead_sectors = 0;
	p->readahead_mode = MECH_RA_SEGMENT;
	p->readahead_over_requested = 1;
	p->immed_transfer_partial_hit = true;
	p->water_by_request = true;
	p->read_hits_on_write_data = true;
	p->combine_writes = true;
	p->seek_kind = MECH_SEEK_TABLE;
}

void
mech_params_clear(struct mech_params *p)
{
	for (int i = 0; p->zones && i < p->nzones; i++)
		g_free(p->zones[i].slips);
	g_free(p->zones);
	g_free(p->seek_dist);
	g_free(p->seek_ms);
	p->zones = NULL;
	p->seek_dist = p->seek_ms = NULL;
	p->nzones = p->nseek = 0;
}

void
mech_params_copy(struct mech_params *dst, const struct mech_params *src)
{
	*dst = *src;
	dst->zones = g_memdup2(src->zones, sizeof(*src->zones) * src->nzones);
	for (int i = 0; i < src->nzones; i++)
		dst->zones[i].slips =
		    g_memdup2(src->zones[i].slips, sizeof(int) * src->zones[i].nslips);
	dst->seek_dist = g_memdup2(src->seek_dist, sizeof(double) * src->nseek);
	dst->seek_ms = g_memdup2(src->seek_ms, sizeof(double) * src->nseek);
}

static bool perr(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static bool
perr(GError **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(err, ENV_ERROR, ENV_ERROR_BAD_INPUT, s);
	g_free(s);
	return false;
}

/* The parameters that are times in ms (note 11), by their names in the project's files. */
static const struct {
	const char *name;
	size_t off;
} ms_fields[] = {
    {"head_switch_ms", offsetof(struct mech_params, head_switch_ms)},
    {"read_hit_after_read_ms", offsetof(struct mech_params, ovh_read_hit[0])},
    {"read_hit_after_write_ms", offsetof(struct mech_params, ovh_read_hit[1])},
    {"read_miss_after_read_ms", offsetof(struct mech_params, ovh_read_miss[0])},
    {"read_miss_after_write_ms", offsetof(struct mech_params, ovh_read_miss[1])},
    {"write_hit_after_read_ms", offsetof(struct mech_params, ovh_write_hit[0])},
    {"write_hit_after_write_ms", offsetof(struct mech_params, ovh_write_hit[1])},
    {"write_miss_after_read_ms", offsetof(struct mech_params, ovh_write_miss[0])},
    {"write_miss_after_write_ms", offsetof(struct mech_params, ovh_write_miss[1])},
    {"read_complete_ms", offsetof(struct mech_params, ovh_read_complete)},
    {"write_complete_ms", offsetof(struct mech_params, ovh_write_complete)},
    {"data_prep_ms", offsetof(struct mech_params, ovh_data_prep)},
    {"per_request_ms", offsetof(struct mech_params, ovh_per_request)},
    {"read_disconnect_after_read_ms", offsetof(struct mech_params, ovh_read_disconnect[0])},
    {"read_disconnect_after_write_ms", offsetof(struct mech_params, ovh_read_disconnect[1])},
    {"reselect_ms", offsetof(struct mech_params, ovh_reselect)},
    {"min_seek_delay_ms", offsetof(struct mech_params, min_seek_delay_ms)},
    {"write_disconnect_ms", offsetof(struct mech_params, write_disconnect_ms)},
    {"reselect_other_ms", offsetof(struct mech_params, reselect_other_ms)},
    {"xdisc_command_ms", offsetof(struct mech_params, xdisc_command_ms)},
    {"xdisc_disconnect_ms", offsetof(struct mech_params, xdisc_disconnect_ms)},
    {"xdisc_inter_ms", offsetof(struct mech_params, xdisc_inter_ms)},
    {"xdisc_disconnect2_ms", offsetof(struct mech_params, xdisc_disconnect2_ms)},
    {"xdisc_seek_delta_ms", offsetof(struct mech_params, xdisc_seek_delta_ms)},
    {"bus_ms_per_sector", offsetof(struct mech_params, bus_ms_per_sector)},
};

static bool
ms_ok(double v)
{
	return isfinite(v) && v >= 0 && v <= MECH_MAX_MS;
}

/* The seek curve at every distance 1..MAXDIST is within [0, MECH_MAX_MS] (note 11). */
static bool
seek_curve_ok(const struct mech_params *p, int maxdist, int *bad_dist, double *bad_ms)
{
	GArray *at = g_array_new(FALSE, FALSE, sizeof(double));
	bool rw = p->seek_kind == MECH_SEEK_RW || p->seek_kind == MECH_SEEK_HPL10;
	double ends[] = {1, maxdist, floor(p->rw_boundary), ceil(p->rw_boundary),
	                 floor(p->rw_boundary) - 1};
	for (size_t i = 0; i < G_N_ELEMENTS(ends); i++)
		if (rw || i < 2)
			g_array_append_val(at, ends[i]);
	for (double d = 2; p->seek_kind == MECH_SEEK_HPL10 && d <= 11; d++)
		g_array_append_val(at, d); /* the list's ten, and where the curve takes over */
	if (p->seek_kind == MECH_SEEK_LINEAR) {
		double third[] = {floor(p->cylinders / 3.0), ceil(p->cylinders / 3.0)};
		g_array_append_val(at, third[0]);
		g_array_append_val(at, third[1]);
	}
	if (p->seek_kind == MECH_SEEK_CURVE) {
		/* one + a sqrt(x) + b x has its one turning point at sqrt(x) = -a / 2b */
		double one = MAX(p->single_cyl_ms, 0), c = p->cylinders;
		double a = (-10 * one + 15 * p->seek_avg_ms - 5 * p->seek_full_ms) / (3 * sqrt(c));
		double b = (7 * one - 15 * p->seek_avg_ms + 8 * p->seek_full_ms) / (3 * c);
		if (b != 0 && -a / (2 * b) > 0) {
			double x = (a / (2 * b)) * (a / (2 * b)) + 1;
			double xs[] = {floor(x), ceil(x)};
			if (x < 1e9) {
				g_array_append_val(at, xs[0]);
				g_array_append_val(at, xs[1]);
			}
		}
	}
	for (int i = 0; p->seek_kind == MECH_SEEK_TABLE && i < p->nseek; i++) {
		double f = floor(p->seek_dist[i]), c = ceil(p->seek_dist[i]);
		g_array_append_val(at, f);
		g_array_append_val(at, c);
	}
	bool ok = true;
	for (guint i = 0; ok && i < at->len; i++) {
		double d = g_array_index(at, double, i);
		if (!(d >= 1 && d <= maxdist))
			continue;
		double t = seek_ms(p, (int)d);
		if (!ms_ok(t)) {
			*bad_dist = (int)d;
			*bad_ms = t;
			ok = false;
		}
	}
	g_array_free(at, TRUE);
	return ok;
}

/* Does every LBN of the zone land inside it, once the holes are laid out (as mech_new
 * builds it)? */
static bool
zone_fits(const struct mech_params *p, const struct mech_zone_params *zp)
{
	GArray *h = g_array_new(FALSE, FALSE, sizeof(struct hole));
	struct zone z = {0};
	build_zone(p, zp, &z, h);
	bool ok = z.nlbn == 0 || zone_lbn_to_slot(&z, (int64_t)z.nlbn - 1) < z.nslots;
	g_free(z.holes);
	g_array_free(h, TRUE);
	return ok;
}

/* LBNs the zone holds, by its sparing scheme (as build_zone counts them); its spares must
 * already be known to be fewer than their unit, so nothing overflows. */
static int64_t
zone_nlbn(const struct mech_params *p, const struct mech_zone_params *zp)
{
	int64_t tracks = (int64_t)(zp->last_cyl - zp->first_cyl + 1) * p->surfaces;
	int64_t nslots = tracks * zp->spt, nlbn = nslots - zp->front_space;
	switch (p->sparing) {
	case MECH_SPARE_TRACK:
		return nlbn - (int64_t)zp->spares * zp->spt;
	case MECH_SPARE_ZONE_SLIPEND:
		return nlbn - zp->nslips - zp->spares;
	case MECH_SPARE_ZONE:
		return nlbn - zp->spares;
	case MECH_SPARE_DISK_END:
		return nlbn - zp->nslips;
	case MECH_SPARE_CYL_SLIPEND:
	case MECH_SPARE_CYL_FRONT_SLIPEND:
		nlbn -= zp->nslips;
		/* fall through */
	case MECH_SPARE_PER_TRACK:
	case MECH_SPARE_CYL:
	case MECH_SPARE_CYL_FRONT:
	case MECH_SPARE_RANGE:
		return nlbn - (int64_t)zp->spares * (nslots / spare_unit(p, zp));
	default:
		return nlbn;
	}
}

static bool
zone_check(const struct mech_params *p, int i, const char **field, GError **err)
{
	const struct mech_zone_params *z = &p->zones[i];
	if (z->first_cyl < 0 || z->last_cyl < z->first_cyl || z->last_cyl >= p->cylinders) {
		*field = z->first_cyl < 0 ? "first_cyl" : "last_cyl";
		return perr(err, "cylinders %d..%d outside 0..%d", z->first_cyl, z->last_cyl,
		            p->cylinders - 1);
	}
	if (i > 0 && z->first_cyl <= p->zones[i - 1].last_cyl) {
		*field = "first_cyl";
		return perr(err, "overlaps or precedes zone %d", i - 1);
	}
	*field = "sectors_per_track";
	if (z->spt <= 0 || z->spt > (1 << 20))
		return perr(err, "%d is not in [1, %d]", z->spt, 1 << 20);
	static const char *const skew_names[] = {"first_offset", "track_skew", "cyl_skew"};
	const double skews[] = {z->first_offset, z->track_skew, z->cyl_skew};
	for (int k = 0; k < 3; k++)
		if (!isfinite(skews[k]) || fabs(skews[k]) > MECH_MAX_SKEW) {
			*field = skew_names[k];
			return perr(err, "%g sectors is not in [-%g, %g]", skews[k], MECH_MAX_SKEW,
			            MECH_MAX_SKEW);
		}
	int64_t tracks = (int64_t)(z->last_cyl - z->first_cyl + 1) * p->surfaces;
	int64_t nslots = tracks * z->spt;
	*field = "front_space";
	if (z->front_space < 0 || z->front_space >= nslots)
		return perr(err, "%d is not in [0, %" G_GINT64_FORMAT ") (the zone's sectors)",
		            z->front_space, nslots);
	*field = "spares";
	int64_t unit = 0;
	const char *what = "";
	switch (p->sparing) {
	case MECH_SPARE_TRACK:
		unit = tracks, what = "tracks in the zone (spare tracks)";
		break;
	case MECH_SPARE_CYL:
	case MECH_SPARE_CYL_SLIPEND:
	case MECH_SPARE_CYL_FRONT:
	case MECH_SPARE_CYL_FRONT_SLIPEND:
		unit = (int64_t)z->spt * p->surfaces, what = "sectors a cylinder";
		break;
	case MECH_SPARE_RANGE:
		unit = spare_unit(p, z), what = "sectors a range of cylinders";
		break;
	case MECH_SPARE_DISK_END:
		if (z->spares != 0)
			return perr(err,
			            "%d spares, but scheme 7 keeps its spares at the disk's end "
			            "(0 in each zone)",
			            z->spares);
		break;
	case MECH_SPARE_PER_TRACK:
		unit = z->spt, what = "sectors a track";
		break;
	case MECH_SPARE_ZONE:
	case MECH_SPARE_ZONE_SLIPEND:
		unit = nslots, what = "sectors in the zone";
		break;
	default:
		break;
	}
	if (z->spares < 0 || (unit && z->spares >= unit))
		return perr(err, "%d spares, but there are %" G_GINT64_FORMAT " %s", z->spares,
		            unit, what);
	*field = "slips";
	int64_t slip_end = p->sparing == MECH_SPARE_TRACK ? tracks : nslots;
	for (int j = 0; j < z->nslips; j++)
		if (z->slips[j] < 0 || (j > 0 && z->slips[j] <= z->slips[j - 1]) ||
		    (p->sparing != MECH_SPARE_NONE && z->slips[j] >= slip_end))
			return perr(
			    err,
			    "slips must ascend, each in [0, %" G_GINT64_FORMAT ") (the zone's "
			    "%s)",
			    slip_end, p->sparing == MECH_SPARE_TRACK ? "tracks" : "sectors");
	if (zone_nlbn(p, z) < 1) {
		*field = z->spares ? "spares" : "front_space";
		return perr(err, "the front space, spares and slips leave no sector for data");
	}
	if (!zone_fits(p, z)) {
		*field = "slips";
		return perr(err,
		            "%d slips and the front space push LBNs past the zone's end (more "
		            "slips than spares?)",
		            z->nslips);
	}
	return true;
}

bool
mech_params_check_at(const struct mech_params *p, int *zone, const char **field, GError **err)
{
	*zone = -1;
	*field = "rpm";
	if (p->rpm == 0)
		return perr(err, "must be given");
	if (!(p->rpm >= MECH_MIN_RPM && p->rpm <= MECH_MAX_RPM))
		return perr(err, "%g is not in [%g, %g]", p->rpm, MECH_MIN_RPM, MECH_MAX_RPM);
	*field = "surfaces";
	if (p->surfaces == 0)
		return perr(err, "must be given");
	if (p->surfaces < 0 || p->surfaces > 1024)
		return perr(err, "%d is not in [1, 1024]", p->surfaces);
	*field = "cylinders";
	if (p->cylinders == 0)
		return perr(err, "must be given");
	if (p->cylinders < 0 || p->cylinders > MECH_MAX_CYLINDERS)
		return perr(err, "%d is not in [1, %d]", p->cylinders, MECH_MAX_CYLINDERS);
	if ((int64_t)p->cylinders * p->surfaces > MECH_MAX_TRACKS)
		return perr(err, "%d cylinders x %d surfaces is over %d tracks", p->cylinders,
		            p->surfaces, MECH_MAX_TRACKS);
	*field = "block_count";
	if (p->block_count < 0 || p->block_count > MECH_MAX_SECTORS)
		return perr(err, "%" G_GINT64_FORMAT " is not in [0, %" G_GINT64_FORMAT "]",
		            p->block_count, MECH_MAX_SECTORS);
	*field = "sparing";
	if (p->sparing < MECH_SPARE_NONE || p->sparing > MECH_SPARE_ZONE_SLIPEND)
		return perr(err, "scheme %d is not one of DiskSim's (0 to 10)", p->sparing);
	*field = "sparing_range";
	if (p->sparing_range < 1 || p->sparing_range > p->cylinders)
		return perr(err, "%d is not in [1, %d] (cylinders)", p->sparing_range,
		            p->cylinders);
	*field = "mapping";
	if (p->mapping < 0 || p->mapping > 2)
		return perr(err, "must be 0, 1 or 2");
	*field = "sectors_per_track";
	if (p->nzones <= 0)
		return perr(err, "at least one zone is needed");
	int64_t sectors = 0;
	for (int i = 0; i < p->nzones; i++) {
		*zone = i;
		if (!zone_check(p, i, field, err))
			return false;
		sectors += (int64_t)(p->zones[i].last_cyl - p->zones[i].first_cyl + 1) *
		           p->surfaces * p->zones[i].spt;
		if (sectors > MECH_MAX_SECTORS) {
			*field = "sectors_per_track";
			return perr(err, "the zones so far hold over %" G_GINT64_FORMAT " sectors",
			            MECH_MAX_SECTORS);
		}
	}
	*zone = -1;
	for (size_t i = 0; i < G_N_ELEMENTS(ms_fields); i++) {
		double v = *(const double *)(const void *)((const char *)p + ms_fields[i].off);
		*field = ms_fields[i].name;
		if (!ms_ok(v))
			return perr(err, "%g ms is not in [0, %g]", v, MECH_MAX_MS);
	}
	*field = "write_settle_ms"; /* DiskSim allows it negative: the DEC RZ26's is -0.483 */
	if (!(fabs(p->write_settle_ms) <= MECH_MAX_MS))
		return perr(err, "%g ms is not in [-%g, %g]", p->write_settle_ms, MECH_MAX_MS,
		            MECH_MAX_MS);
	*field = "bus_write_ms_per_sector";
	if (p->bus_write_ms_per_sector >= 0 ? !ms_ok(p->bus_write_ms_per_sector)
	                                    : !isfinite(p->bus_write_ms_per_sector))
		return perr(err, "%g ms is not in [0, %g]", p->bus_write_ms_per_sector,
		            MECH_MAX_MS);
	*field = "single_cyl_seek_ms";
	if (p->single_cyl_ms >= 0 ? !ms_ok(p->single_cyl_ms) : !isfinite(p->single_cyl_ms))
		return perr(err, "%g ms is not in [0, %g]", p->single_cyl_ms, MECH_MAX_MS);
	*field = "overhead_scale";
	if (!(p->ovh_scale >= 0 && p->ovh_scale <= MECH_MAX_SCALE))
		return perr(err, "%g is not in [0, %g]", p->ovh_scale, MECH_MAX_SCALE);
	*field = "seek";
	if (p->seek_kind == MECH_SEEK_TABLE) {
		if (p->nseek < 1)
			return perr(err, "a seek table or curve is needed");
		for (int i = 0; i < p->nseek; i++) {
			if (!(p->seek_dist[i] >= 1 && p->seek_dist[i] <= INT32_MAX) ||
			    (i > 0 && p->seek_dist[i] <= p->seek_dist[i - 1]))
				return perr(err, "table distances must ascend from 1");
			if (!ms_ok(p->seek_ms[i]))
				return perr(err, "table time %g ms is not in [0, %g]",
				            p->seek_ms[i], MECH_MAX_MS);
		}
	} else if (p->seek_kind == MECH_SEEK_CONST) {
		if (!ms_ok(p->seek_const_ms))
			return perr(err, "constant seek time %g ms is not in [0, %g]",
			            p->seek_const_ms, MECH_MAX_MS);
	} else if (p->seek_kind == MECH_SEEK_LINEAR || p->seek_kind == MECH_SEEK_CURVE) {
		if (!ms_ok(p->seek_avg_ms) || !ms_ok(p->seek_full_ms))
			return perr(err, "average and full-strobe seek times must be in [0, %g] ms",
			            MECH_MAX_MS);
	} else {
		for (int i = 0; p->seek_kind == MECH_SEEK_HPL10 && i < 10; i++)
			if (!ms_ok(p->seek_first10_ms[i]))
				return perr(err, "first ten seek times: %g ms is not in [0, %g]",
				            p->seek_first10_ms[i], MECH_MAX_MS);
		if (!(p->rw_boundary >= 1 && p->rw_boundary <= INT32_MAX))
			return perr(err, "the rw curve's boundary must be in [1, %d]", INT32_MAX);
		if (!isfinite(p->rw_a) || !isfinite(p->rw_b) || !isfinite(p->rw_c) ||
		    !isfinite(p->rw_e))
			return perr(err, "the rw curve's coefficients must be finite");
	}
	int bad_dist;
	double bad_ms;
	if (!seek_curve_ok(p, p->cylinders - 1, &bad_dist, &bad_ms))
		return perr(err,
		            "a seek over %d cylinders would take %g ms, not in [0, %g] (the curve "
		            "%s)",
		            bad_dist, bad_ms, MECH_MAX_MS,
		            p->seek_kind == MECH_SEEK_TABLE ? "is extrapolated past its last point"
		                                            : "at that distance");
	*field = "cache_segments";
	if (p->cache && (p->segment_sectors <= 0 || p->cache_segments <= 0))
		return perr(err, "segments and segment size must be positive");
	if (p->cache_segments > MECH_MAXSEG)
		return perr(err, "at most %d", MECH_MAXSEG);
	*field = "readahead_mode";
	if (p->readahead_mode < MECH_RA_NONE || p->readahead_mode > MECH_RA_DEC)
		return perr(err, "must be 0 to 4");
	*field = "readahead_over_requested";
	if (p->readahead_over_requested < -1 || p->readahead_over_requested > 1)
		return perr(err, "must be -1, 0 or 1");
	*field = p->read_water > 1 || !(p->read_water >= 0) ? "read_water" : "write_water";
	if (!(p->read_water >= 0 && p->read_water <= 1 && p->write_water >= 0 &&
	      p->write_water <= 1))
		return perr(err, "must be a fraction (0 to 1)");
	*field = NULL;
	return true;
}

bool
mech_params_check(const struct mech_params *p, GError **err)
{
	int zone;
	const char *field;
	GError *e = NULL;
	if (mech_params_check_at(p, &zone, &field, &e))
		return true;
	if (zone >= 0)
		g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT, "zone %d: %s: %s", zone, field,
		            e->message);
	else
		g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT, "%s: %s", field, e->message);
	g_error_free(e);
	return false;
}

/* ---- the plug-in ------------------------------------------------------------------- */

/* CFG: the drive's struct mech_params (sim/diskspec.c reads it). */
static void *
dm_create(const void *cfg, GError **err)
{
	return mech_new(cfg, err);
}

static void
dm_destroy(void *m)
{
	mech_free(m);
}

static uint64_t
dm_capacity(const void *m)
{
	return ((const struct mech *)m)->capacity;
}

static int
dm_channels(const void *m)
{
	return 1;
}

static void
dm_service_queued(void *mv, enum io_dir op, uint64_t lbn, uint32_t nsect, double now, double queued,
                  struct disk_svc *out)
{
	struct mech *m = mv;
	g_assert(nsect > 0 && lbn + nsect <= m->capacity);
	memset(out, 0, sizeof(*out));
	double t = now * 1e3;
	if (op == IO_READ)
		svc_read(m, lbn, nsect, t, queued < now ? queued * 1e3 : t, out);
	else
		svc_write(m, lbn, nsect, t, out);
	out->ctrl *= 1e-3;
	out->seek *= 1e-3;
	out->rot *= 1e-3;
	out->xfer *= 1e-3;
}

static void
dm_service(void *mv, enum io_dir op, uint64_t lbn, uint32_t nsect, double now, struct disk_svc *out)
{
	dm_service_queued(mv, op, lbn, nsect, now, now, out);
}

static uint32_t
dm_cylinder(const void *mv, uint64_t lbn)
{
	struct mech_pbn p;
	if (!mech_lbn_to_pbn(mv, lbn, &p))
		return 0;
	return (uint32_t)p.cyl;
}

/* SPCTF's estimate of a read (disk.c note 7): 0 when the buffer will hold all of it once
 * the read-ahead has run to the service's start (svc_read's step 5, on copies), 1 ns when it
 * holds its first block (DiskSim's buffer_whole_servtime and buffer_partial_servtime), -1
 * when it is a miss. */
static double
position_cached(const struct mech *m, uint64_t lbn, uint32_t n, double t)
{
	uint64_t ra_end = 0, ra_at = m->ra_lbn;
	if (m->ra_on && t > m->ra_t0 && m->ra_target > m->ra_lbn) {
		int c = m->cyl, h = m->head;
		double done_at;
		ra_end = ra_at =
		    m->ra_lbn + media_progress(m, &c, &h, m->ra_t0, m->ra_lbn,
		                               m->ra_target - m->ra_lbn, t, &done_at, NULL);
	}
	bool whole, live = m->ra_on && ra_at < m->ra_target; /* as ra_advance leaves it */
	if (seg_lookup_at(m, lbn, n, m->p.read_hits_on_write_data, ra_end, live, &whole) < 0)
		return -1;
	return whole ? 0 : 1e-9;
}

static double
dm_position(const void *mv, enum io_dir op, uint64_t lbn, uint32_t nsect, double now, double queued,
            bool cache)
{
	const struct mech *m = mv;
	struct mech_pbn p;
	if (!mech_lbn_to_pbn(m, lbn, &p))
		return 0;
	double now_ms = now * 1e3;
	if (cache && op == IO_READ && m->p.cache) {
		double h =
		    position_cached(m, lbn, nsect, now_ms + m->p.ovh_per_request * m->p.ovh_scale);
		if (h >= 0)
			return h;
	}
	/* as service() would do for a miss, without touching the state */
	int after = m->last_op;
	double ctrl = ((op == IO_READ ? m->p.ovh_read_miss[after] : m->p.ovh_write_miss[after]) +
	               m->p.ovh_per_request) *
	              m->p.ovh_scale;
	int c = m->cyl, h = m->head;
	if (m->ra_on && now_ms > m->ra_t0) {
		double done_at;
		media_progress(m, &c, &h, m->ra_t0, m->ra_lbn, m->ra_target - m->ra_lbn, now_ms,
		               &done_at, NULL);
	}
	double t = MAX(now_ms + ctrl, m->arm_free);
	if (op == IO_READ && queued < now) { /* note 15: its command may be done already */
		double ready = MAX(now_ms, queued * 1e3 + ctrl);
		t = MAX(ready, m->arm_free);
		double mv_ms = mech_move_ms(m, c, h, p.cyl, p.head, op);
		double w = rot_wait(m, t + mv_ms, mech_pbn_angle(m, &p));
		return (t - ready + mv_ms + w) * 1e-3;
	}
	double mv_ms = mech_move_ms(m, c, h, p.cyl, p.head, op);
	double w = rot_wait(m, t + mv_ms, mech_pbn_angle(m, &p));
	return (t - now_ms - ctrl + mv_ms + w) * 1e-3;
}

static double
dm_flush(void *mv, double now)
{
	struct mech *m = mv;
	double t = now * 1e3;
	double r = m->arm_free > t ? m->arm_free - t : 0.0;
	for (int i = 0; i < m->nseg; i++)
		m->seg[i].dirty = false;
	wq_expire(m, INFINITY);
	return r * 1e-3;
}

static void
dm_describe(const void *mv, void (*put)(void *ctx, const char *k, const char *v), void *ctx)
{
	const struct mech *m = mv;
	char buf[64];
	g_snprintf(buf, sizeof buf, "%" G_GUINT64_FORMAT, m->capacity);
	put(ctx, "capacity_sectors", buf);
	g_snprintf(buf, sizeof buf, "%g", m->p.rpm);
	put(ctx, "rpm", buf);
	g_snprintf(buf, sizeof buf, "%d", m->p.cylinders);
	put(ctx, "cylinders", buf);
	g_snprintf(buf, sizeof buf, "%d", m->p.surfaces);
	put(ctx, "surfaces", buf);
	g_snprintf(buf, sizeof buf, "%d", m->nzones);
	put(ctx, "zones", buf);
}

const struct disk_model disk_model_mechanical = {
    .name = "mechanical",
    .summary = "zoned disk with seek, rotation, controller overheads and a segmented cache "
               "(DiskSim 4.0 parameters)",
    .drive = true,
    .cfg_size = sizeof(struct mech_params),
    .create = dm_create,
    .destroy = dm_destroy,
    .capacity = dm_capacity,
    .channels = dm_channels,
    .service = dm_service,
    .service_queued = dm_service_queued,
    .cylinder = dm_cylinder,
    .position = dm_position,
    .flush = dm_flush,
    .describe = dm_describe,
};

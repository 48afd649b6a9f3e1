/*
 * test_mech.c -- the mechanical disk model on small hand-made drives: LBN <-> PBN round trips
 * under each sparing scheme, zone boundaries, spares and slips, seek interpolation and
 * extrapolation, the Ruemmler-Wilkes curve, rotation arithmetic in closed form, and the
 * on-drive cache (hits, misses, read-ahead while idle, write-back and flush, destage under
 * load at each fast write level, prebuffering).
 */
#include <math.h>
#include <string.h>

#include "models/disk_mech.h"
#include "tests/testutil.h"

#define EPS 1e-9

/* A small drive: 6000 rpm (10 ms a turn), 2 surfaces, three zones of 10 cylinders each. */
static void
tiny(struct mech_params *p, int sparing)
{
	static const double d[] = {1, 10, 100}, t[] = {1.0, 2.0, 5.0};
	mech_params_init(p);
	p->rpm = 6000;
	p->cylinders = 40;
	p->surfaces = 2;
	p->sparing = sparing;
	p->nzones = 3;
	p->zones = g_new0(struct mech_zone_params, 3);
	for (int i = 0; i < 3; i++) {
		struct mech_zone_params *z = &p->zones[i];
		z->first_cyl = i * 10 + (i == 2 ? 5 : 0); /* a gap of unzoned cylinders */
		z->last_cyl = z->first_cyl + 9;
		z->spt = 20 - 4 * i;
		z->track_skew = 3;
		z->cyl_skew = 5;
	}
	p->nseek = 3;
	p->seek_dist = g_memdup2(d, sizeof d);
	p->seek_ms = g_memdup2(t, sizeof t);
	p->cache = false;
}

static void
set_slips(struct mech_zone_params *z, const int *s, int n)
{
	g_free(z->slips);
	z->slips = g_memdup2(s, sizeof(int) * n);
	z->nslips = n;
}

/* ---- round trips, table-driven over the sparing schemes ---- */

static const struct {
	int sparing, spares, front;
	int slips[3], nslips;
	uint64_t capacity; /* expected */
	int range;         /* scheme 8: cylinders a range (0: 1) */
} rt_cases[] = {
    /* 10 cyl * 2 surf: zone 0 400 slots, zone 1 320, zone 2 240 */
    {0, 0, 0, {0}, 0, 960, 0},
    {0, 0, 7, {0}, 0, 960 - 21, 0},
    {9, 6, 0, {3, 4, 50}, 3, 960 - 18, 0},
    {10, 6, 2, {3, 4, 50}, 3, 960 - 18 - 9 - 6, 0},
    {1, 2, 0, {1, 5}, 2, 400 - 40 + 320 - 32 + 240 - 24, 0},
    {1, 3, 20, {4}, 1, 960 - 3 * (20 + 16 + 12) - 60, 0},
    {3, 2, 0, {21}, 1, 960 - 2 * 60, 0},
    {2, 3, 0, {0}, 0, 960 - 3 * 30, 0},
    /* the schemes DiskSim's layout adds (4-8); the same spares, front space and slips in
     * each of the three zones, 10 cylinders each (40, 32 and 24 sectors a cylinder):
     * 4: 3 spares a cylinder, the 2 slips push on: 3 zones x (10 x 3 + 2) */
    {4, 3, 0, {3, 50}, 2, 960 - 3 * (30 + 2), 0},
    /* 5: 3 spares at each cylinder's front, the slips use them: 3 x 10 x 3 */
    {5, 3, 0, {3, 50}, 2, 960 - 3 * 30, 0},
    /* 5 with 7 sectors of front space: 3 x (30 + 7) */
    {5, 3, 7, {3, 50}, 2, 960 - 3 * 37, 0},
    /* 6: as 5, the slips pushing on: 3 x (30 + 2) */
    {6, 3, 0, {3, 50}, 2, 960 - 3 * 32, 0},
    /* 7: no spares in the zones, each slip costs one: 3 x 2 */
    {7, 0, 0, {3, 50}, 2, 960 - 6, 0},
    /* 8: ranges of 3 cylinders, 4 spares each: 3 full ranges a zone (the 10th cylinder
     * is a short range without spares), the slips in the first range use its spares:
     * 3 x 3 x 4 */
    {8, 4, 0, {3, 50}, 2, 960 - 36, 3},
    /* 8 with front space 5 and ranges of 4 cylinders (2 full a zone): 3 x (2 x 4 + 5) */
    {8, 4, 5, {3, 50}, 2, 960 - 39, 4},
};

START_TEST(test_roundtrip)
{
	struct mech_params p;
	tiny(&p, rt_cases[_i].sparing);
	p.sparing_range = rt_cases[_i].range ? rt_cases[_i].range : 1;
	for (int i = 0; i < 3; i++) {
		p.zones[i].spares = rt_cases[_i].spares;
		p.zones[i].front_space = rt_cases[_i].front;
		set_slips(&p.zones[i], rt_cases[_i].slips, rt_cases[_i].nslips);
	}
	GError *e = NULL;
	struct mech *m = mech_new(&p, &e);
	ck_assert_msg(m, "%s", e ? e->message : "");
	ck_assert_uint_eq(mech_capacity(m), rt_cases[_i].capacity);
	/* every LBN maps to a distinct PBN that maps back */
	GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
	struct mech_pbn prev = {-1, -1, -1};
	for (uint64_t l = 0; l < mech_capacity(m); l++) {
		struct mech_pbn pb;
		ck_assert(mech_lbn_to_pbn(m, l, &pb));
		ck_assert_int_eq(mech_pbn_to_lbn(m, &pb), (int64_t)l);
		gint64 *key = g_new(gint64, 1);
		*key = ((gint64)pb.cyl * 64 + pb.head) * 64 + pb.sector;
		ck_assert(!g_hash_table_contains(seen, key));
		g_hash_table_add(seen, key);
		/* LBN order never goes back to an earlier cylinder */
		ck_assert(pb.cyl >= prev.cyl);
		prev = pb;
	}
	struct mech_pbn pb;
	ck_assert(!mech_lbn_to_pbn(m, mech_capacity(m), &pb));
	/* every physical sector not holding an LBN says so */
	int holes = 0;
	for (int c = 0; c < 40; c++)
		for (int h = 0; h < 2; h++)
			for (int s = 0; s < 20; s++) {
				struct mech_pbn q = {c, h, s};
				if (mech_pbn_to_lbn(m, &q) < 0)
					holes++;
			}
	ck_assert_int_gt(holes, 0); /* at least the unzoned cylinders */
	g_hash_table_destroy(seen);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

START_TEST(test_zone_boundaries)
{
	struct mech_params p;
	tiny(&p, 0);
	p.zones[1].front_space = 5;
	struct mech *m = mech_new(&p, NULL);
	ck_assert(m);
	struct mech_pbn pb;
	/* last LBN of zone 0: cylinder 9, head 1, sector 19 */
	ck_assert(mech_lbn_to_pbn(m, 399, &pb));
	ck_assert_int_eq(pb.cyl, 9);
	ck_assert_int_eq(pb.head, 1);
	ck_assert_int_eq(pb.sector, 19);
	/* first of zone 1 sits after the front space */
	ck_assert(mech_lbn_to_pbn(m, 400, &pb));
	ck_assert_int_eq(pb.cyl, 10);
	ck_assert_int_eq(pb.head, 0);
	ck_assert_int_eq(pb.sector, 5);
	/* zone 2 starts at cylinder 25 (20..24 are in no zone) */
	ck_assert(mech_lbn_to_pbn(m, 400 + 315, &pb));
	ck_assert_int_eq(pb.cyl, 25);
	ck_assert_int_eq(pb.sector, 0);
	struct mech_pbn nz = {22, 0, 0};
	ck_assert_int_eq(mech_pbn_to_lbn(m, &nz), -1);
	struct mech_pbn fs = {10, 0, 4};
	ck_assert_int_eq(mech_pbn_to_lbn(m, &fs), -1);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

START_TEST(test_slips)
{
	struct mech_params p;
	struct mech_pbn pb;
	/* scheme 9: a slipped sector is skipped, the LBNs after it shift by one */
	tiny(&p, 9);
	static const int s9[] = {5};
	set_slips(&p.zones[0], s9, 1);
	p.zones[0].spares = 4;
	struct mech *m = mech_new(&p, NULL);
	ck_assert(mech_lbn_to_pbn(m, 4, &pb) && pb.sector == 4);
	ck_assert(mech_lbn_to_pbn(m, 5, &pb) && pb.sector == 6);
	struct mech_pbn sl = {0, 0, 5};
	ck_assert_int_eq(mech_pbn_to_lbn(m, &sl), -1);
	/* the spares are the zone's last 4 sectors, one of them used by the slip */
	struct mech_pbn last = {9, 1, 19};
	ck_assert_int_eq(mech_pbn_to_lbn(m, &last), -1);
	struct mech_pbn used = {9, 1, 16};
	ck_assert_int_eq(mech_pbn_to_lbn(m, &used), 395);
	mech_free(m);
	mech_params_clear(&p);

	/* scheme 1: slips are whole tracks */
	tiny(&p, 1);
	static const int s1[] = {1};
	set_slips(&p.zones[0], s1, 1);
	p.zones[0].spares = 2;
	m = mech_new(&p, NULL);
	ck_assert(mech_lbn_to_pbn(m, 20, &pb));
	ck_assert_int_eq(pb.cyl, 1);
	ck_assert_int_eq(pb.head, 0);
	ck_assert_int_eq(pb.sector, 0);
	ck_assert_uint_eq(mech_capacity(m), 400 - 40 + 320 + 240);
	mech_free(m);
	mech_params_clear(&p);

	/* too many slips for the zone's spares: an error, not a crash */
	tiny(&p, 9);
	static const int many[] = {1, 2, 3};
	set_slips(&p.zones[2], many, 3);
	GError *e = NULL;
	ck_assert(!mech_new(&p, &e));
	ck_assert(e && strstr(e->message, "zone 2"));
	g_error_free(e);
	mech_params_clear(&p);
}
END_TEST

/* PB is (C, H, S). */
static void
at(const struct mech *m, uint64_t lbn, int c, int h, int sct)
{
	struct mech_pbn pb;
	ck_assert(mech_lbn_to_pbn(m, lbn, &pb));
	ck_assert_msg(pb.cyl == c && pb.head == h && pb.sector == sct,
	              "LBN %" G_GUINT64_FORMAT ": (%d, %d, %d), want (%d, %d, %d)", lbn, pb.cyl,
	              pb.head, pb.sector, c, h, sct);
	ck_assert_int_eq(mech_pbn_to_lbn(m, &pb), (int64_t)lbn);
}

static struct mech *
zone0(struct mech_params *p, int sparing, int spares, const int *slips, int nslips, int range)
{
	tiny(p, sparing);
	p->sparing_range = range;
	p->zones[0].spares = spares;
	set_slips(&p->zones[0], slips, nslips);
	for (int i = 1; sparing == MECH_SPARE_DISK_END && i < 3; i++)
		p->zones[i].spares = 0;
	GError *e = NULL;
	struct mech *m = mech_new(p, &e);
	ck_assert_msg(m, "%s", e ? e->message : "");
	return m;
}

/* The schemes DiskSim 4.0 adds (layout_g1.h: 4 to 8), in zone 0 of the tiny drive: 10
 * cylinders of 2 tracks of 20 sectors, so cylinder c holds slots 40c .. 40c+39, and slot s
 * is (s / 40, s % 40 / 20, s % 20).  Zones 1 and 2 (320 + 240 sectors) have no spares. */
START_TEST(test_sparing_disksim)
{
	struct mech_params p;
	struct mech *m;
	struct mech_pbn q;
	static const int slip5[] = {5}, slip10[] = {10};

	/* 4: 3 spares at each cylinder's end (slots 37..39 of cylinder 0), slot 5 slipped and
	 * pushing on: LBN 5 -> slot 6, LBN 35 -> slot 36, LBN 36 -> slot 40 = (1, 0, 0);
	 * zone 0 holds 400 - 10 x 3 - 1 = 369 */
	m = zone0(&p, MECH_SPARE_CYL_SLIPEND, 3, slip5, 1, 1);
	at(m, 4, 0, 0, 4);
	at(m, 5, 0, 0, 6);
	at(m, 35, 0, 1, 16);
	at(m, 36, 1, 0, 0);
	q = (struct mech_pbn){0, 1, 17}; /* slot 37: a spare */
	ck_assert_int_eq(mech_pbn_to_lbn(m, &q), -1);
	ck_assert_uint_eq(mech_capacity(m), 369 + 320 + 240);
	mech_free(m);
	mech_params_clear(&p);

	/* 5: 3 spares at each cylinder's front: LBN 0 -> slot 3, LBN 36 -> slot 39 = (0, 1,
	 * 19), LBN 37 -> slot 43 = (1, 0, 3); 400 - 30 = 370 */
	m = zone0(&p, MECH_SPARE_CYL_FRONT, 3, NULL, 0, 1);
	at(m, 0, 0, 0, 3);
	at(m, 36, 0, 1, 19);
	at(m, 37, 1, 0, 3);
	ck_assert_uint_eq(mech_capacity(m), 370 + 320 + 240);
	mech_free(m);
	mech_params_clear(&p);
	/* 5, slot 10 slipped: it takes one of cylinder 0's spares, so the data starts a
	 * sector earlier: LBN 0 -> slot 2, LBN 7 -> slot 9, LBN 8 -> slot 11; LBN 37 is
	 * still the first of cylinder 1, at slot 43 */
	m = zone0(&p, MECH_SPARE_CYL_FRONT, 3, slip10, 1, 1);
	at(m, 0, 0, 0, 2);
	at(m, 7, 0, 0, 9);
	at(m, 8, 0, 0, 11);
	at(m, 37, 1, 0, 3);
	ck_assert_uint_eq(mech_capacity(m), 370 + 320 + 240);
	mech_free(m);
	mech_params_clear(&p);

	/* 6: front spares kept, slot 10 pushing on: LBN 0 -> slot 3, LBN 6 -> slot 9,
	 * LBN 7 -> slot 11, LBN 35 -> slot 39, LBN 36 -> slot 43 = (1, 0, 3); 400 - 30 - 1 */
	m = zone0(&p, MECH_SPARE_CYL_FRONT_SLIPEND, 3, slip10, 1, 1);
	at(m, 0, 0, 0, 3);
	at(m, 6, 0, 0, 9);
	at(m, 7, 0, 0, 11);
	at(m, 35, 0, 1, 19);
	at(m, 36, 1, 0, 3);
	ck_assert_uint_eq(mech_capacity(m), 369 + 320 + 240);
	mech_free(m);
	mech_params_clear(&p);

	/* 7: no spares in the zone, slot 5 slipped: LBN 5 -> slot 6, the zone's last LBN is
	 * 398 at slot 399 = (9, 1, 19) */
	m = zone0(&p, MECH_SPARE_DISK_END, 0, slip5, 1, 1);
	at(m, 5, 0, 0, 6);
	at(m, 398, 9, 1, 19);
	at(m, 399, 10, 0, 0);
	ck_assert_uint_eq(mech_capacity(m), 399 + 320 + 240);
	mech_free(m);
	mech_params_clear(&p);

	/* 8, ranges of 3 cylinders (120 slots), 4 spares at each range's end (slots 116..119,
	 * 236..239, 356..359); cylinder 9 is a short range with none: LBN 115 -> slot 115 =
	 * (2, 1, 15), LBN 116 -> slot 120 = (3, 0, 0), LBN 348 -> slot 360 = (9, 0, 0);
	 * 400 - 3 x 4 = 388, the last LBN 387 at slot 399 */
	m = zone0(&p, MECH_SPARE_RANGE, 4, NULL, 0, 3);
	at(m, 115, 2, 1, 15);
	at(m, 116, 3, 0, 0);
	at(m, 348, 9, 0, 0);
	at(m, 387, 9, 1, 19);
	q = (struct mech_pbn){2, 1, 16}; /* slot 116: a spare */
	ck_assert_int_eq(mech_pbn_to_lbn(m, &q), -1);
	ck_assert_uint_eq(mech_capacity(m), 388 + 320 + 240);
	mech_free(m);
	mech_params_clear(&p);
	/* 8, slot 5 slipped: it uses one of range 0's spares (now slots 117..119): LBN 5 ->
	 * slot 6, LBN 115 -> slot 116, LBN 116 -> slot 120 as before */
	m = zone0(&p, MECH_SPARE_RANGE, 4, slip5, 1, 3);
	at(m, 5, 0, 0, 6);
	at(m, 115, 2, 1, 16);
	at(m, 116, 3, 0, 0);
	ck_assert_uint_eq(mech_capacity(m), 388 + 320 + 240);
	mech_free(m);
	mech_params_clear(&p);

	/* 7 keeps its spares past the zones: a zone's own spares are refused */
	tiny(&p, MECH_SPARE_DISK_END);
	p.zones[1].spares = 2;
	GError *e = NULL;
	ck_assert(!mech_new(&p, &e));
	ck_assert_msg(e && strstr(e->message, "zone 1") && strstr(e->message, "scheme 7"), "%s",
	              e ? e->message : "");
	g_clear_error(&e);
	mech_params_clear(&p);
	/* a range longer than the drive */
	tiny(&p, MECH_SPARE_RANGE);
	p.sparing_range = 41;
	ck_assert(!mech_new(&p, &e));
	ck_assert_msg(e && strstr(e->message, "sparing_range"), "%s", e ? e->message : "");
	g_clear_error(&e);
	mech_params_clear(&p);
}
END_TEST

/* ---- seek ---- */

static const struct {
	int d;
	double ms;
} seek_cases[] = {
    {0, 0.0},
    {1, 1.0},
    {5, 1.0 + 4.0 / 9.0},
    {10, 2.0},
    {55, 2.0 + 45.0 * 3.0 / 90.0},
    {100, 5.0},
    {190, 5.0 + 90.0 * 3.0 / 90.0}, /* linear extrapolation past the last point */
};

START_TEST(test_seek_table)
{
	struct mech_params p;
	tiny(&p, 0);
	struct mech *m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_seek_ms(m, seek_cases[_i].d), seek_cases[_i].ms, EPS);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

START_TEST(test_seek_rw)
{
	struct mech_params p;
	tiny(&p, 0);
	p.seek_kind = MECH_SEEK_RW;
	p.rw_a = 3.75;
	p.rw_b = 0.33;
	p.rw_c = 7.69;
	p.rw_e = 0.0059;
	p.rw_boundary = 300;
	struct mech *m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_seek_ms(m, 0), 0, EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 4), 3.75 + 0.33 * 2, EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 299), 3.75 + 0.33 * sqrt(299), EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 300), 7.69 + 0.0059 * 300, EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 1000), 7.69 + 5.9, EPS);
	/* positioning = max(seek, head switch) + settle for writes */
	mech_free(m);
	mech_params_clear(&p);
	tiny(&p, 0);
	p.head_switch_ms = 1.5;
	p.write_settle_ms = 0.25;
	m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_move_ms(m, 0, 0, 0, 0, IO_WRITE), 0, EPS);
	ck_assert_double_eq_tol(mech_move_ms(m, 0, 0, 0, 1, IO_READ), 1.5, EPS);
	ck_assert_double_eq_tol(mech_move_ms(m, 0, 0, 1, 1, IO_READ), 1.5, EPS);
	ck_assert_double_eq_tol(mech_move_ms(m, 0, 0, 10, 1, IO_WRITE), 2.25, EPS);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

/* DiskSim's other seek types (dm_mech_g1 "Seek type"), by hand on the tiny drive (40
 * cylinders, so distances 1..39). */
START_TEST(test_seek_types)
{
	struct mech_params p;
	struct mech *m;
	/* constant: 2.5 ms for any move, 0 for none */
	tiny(&p, 0);
	p.seek_kind = MECH_SEEK_CONST;
	p.seek_const_ms = 2.5;
	m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_seek_ms(m, 0), 0, EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 1), 2.5, EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 39), 2.5, EPS);
	mech_free(m);
	mech_params_clear(&p);

	/* linear through (1, 1 ms), (40/3, 3 ms), (39, 6 ms) */
	tiny(&p, 0);
	p.seek_kind = MECH_SEEK_LINEAR;
	p.single_cyl_ms = 1;
	p.seek_avg_ms = 3;
	p.seek_full_ms = 6;
	m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_seek_ms(m, 1), 1, EPS);
	/* 7: 1 + (3 - 1) x 6 / (40/3 - 1) = 1 + 12 / (37/3) = 1 + 36/37 */
	ck_assert_double_eq_tol(mech_seek_ms(m, 7), 1 + 36.0 / 37, EPS);
	/* 26: 3 + (6 - 3) x (26 - 40/3) / (39 - 40/3) = 3 + 3 x 38 / 77 */
	ck_assert_double_eq_tol(mech_seek_ms(m, 26), 3 + 114.0 / 77, EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 39), 6, EPS);
	mech_free(m);
	mech_params_clear(&p);

	/* curve (Lee's): 1 + a sqrt(d - 1) + b (d - 1), a = (-10 + 45 - 30) / (3 sqrt 40) =
	 * 5 / (3 sqrt 40), b = (7 - 45 + 48) / 120 = 1/12; d = 11: 1 + 5 sqrt(10) / (3 sqrt
	 * 40) + 10/12 = 1 + 5/6 + 5/6 */
	tiny(&p, 0);
	p.seek_kind = MECH_SEEK_CURVE;
	p.single_cyl_ms = 1;
	p.seek_avg_ms = 3;
	p.seek_full_ms = 6;
	m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_seek_ms(m, 1), 1, EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 11), 1 + 5.0 / 6 + 5.0 / 6, EPS);
	mech_free(m);
	mech_params_clear(&p);

	/* hplplus10: distances 1..10 from the list, then hpl (the HP C2247A's values) */
	tiny(&p, 0);
	static const double ten[] = {2.89, 3.68, 3.81, 3.98, 4.27, 4.65, 4.93, 5.17, 5.43, 5.68};
	p.seek_kind = MECH_SEEK_HPL10;
	memcpy(p.seek_first10_ms, ten, sizeof ten);
	p.rw_boundary = 300;
	p.rw_a = 3.81;
	p.rw_b = 0.33;
	p.rw_c = 7.75;
	p.rw_e = 0.0059;
	m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_seek_ms(m, 1), 2.89, EPS);
	ck_assert_double_eq_tol(mech_seek_ms(m, 10), 5.68, EPS);
	/* 16 < 300: 3.81 + 0.33 x 4 */
	ck_assert_double_eq_tol(mech_seek_ms(m, 16), 3.81 + 1.32, EPS);
	mech_free(m);
	mech_params_clear(&p);

	/* a negative write settle (DiskSim allows it; the DEC RZ26's is -0.483 ms) shortens a
	 * write's move, never below 0: max(1.0 seek, 1.5 switch) - 0.5; 1.0 - 2.0 -> 0 */
	tiny(&p, 0);
	p.head_switch_ms = 1.5;
	p.write_settle_ms = -0.5;
	m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_move_ms(m, 0, 0, 1, 1, IO_WRITE), 1.0, EPS);
	mech_free(m);
	mech_params_clear(&p);
	tiny(&p, 0);
	p.write_settle_ms = -2.0;
	m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_move_ms(m, 0, 0, 1, 0, IO_WRITE), 0.0, EPS);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

/* ---- rotation, closed forms ---- */

START_TEST(test_rotation)
{
	struct mech_params p;
	tiny(&p, 0);
	struct mech *m = mech_new(&p, NULL);
	ck_assert_double_eq_tol(mech_period_ms(m), 10.0, EPS);
	ck_assert_double_eq_tol(mech_angle_at(m, 0), 0, EPS);
	ck_assert_double_eq_tol(mech_angle_at(m, 2.5), 0.25, EPS);
	ck_assert_double_eq_tol(mech_angle_at(m, 1002.5), 0.25, 1e-6);
	/* skews: track switch adds 3 sectors, a cylinder switch 5, in zone 0 (20 spt) */
	struct mech_pbn a = {0, 0, 0}, b = {0, 1, 0}, c = {1, 0, 0}, d = {1, 0, 7};
	ck_assert_double_eq_tol(mech_pbn_angle(m, &a), 0, EPS);
	ck_assert_double_eq_tol(mech_pbn_angle(m, &b), 3.0 / 20, EPS);
	ck_assert_double_eq_tol(mech_pbn_angle(m, &c), (3.0 + 5.0) / 20, EPS);
	ck_assert_double_eq_tol(mech_pbn_angle(m, &d), (8.0 + 7.0) / 20, EPS);

	/* a read of LBN 0 at t = 2.5 ms (angle 1/4): waits 3/4 turn, reads 4 sectors */
	struct disk_svc s;
	disk_model_mechanical.service(m, IO_READ, 0, 4, 0.0025, &s);
	ck_assert_double_eq_tol(s.seek, 0, EPS);
	ck_assert_double_eq_tol(s.rot, 0.0075, 1e-9);
	ck_assert_double_eq_tol(s.xfer, 0.010 * 4 / 20, 1e-9);
	ck_assert_double_eq_tol(s.ctrl, 0, EPS);
	/* then LBN 20 (head 1, skewed 3 sectors) at t = 20 ms: head switch 0, angle 0 */
	disk_model_mechanical.service(m, IO_READ, 20, 2, 0.020, &s);
	ck_assert_double_eq_tol(s.rot, 0.010 * 3 / 20, 1e-9);
	/* a request spanning a track switch: rotation of the skew inside xfer */
	disk_model_mechanical.service(m, IO_READ, 18, 4, 0.100, &s);
	/* at 100 ms the angle is 0: LBN 18 (sector 18 on head 0) is 18/20 away */
	ck_assert_double_eq_tol(s.rot, 0.009, 1e-9);
	/* 2 sectors end at angle 0; the next track's first sector is at 3/20 */
	ck_assert_double_eq_tol(s.xfer, 0.010 * (2 + 3 + 2) / 20, 1e-9);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

/* A write is fed by the bus block by block (disk_mech.c write_media; DiskSim's
 * disk_buffer_sector_done: a sector whose block is not in the buffer passes unwritten).
 * tiny(): 10 ms a turn, 20 sectors a track in zone 0 (0.5 ms a sector), the head on
 * track 0 at angle 0 at t = 0; no overheads, no cache (written through), water mark 0.
 * A 4-sector write of LBN 2 (sector 2, under the head at 1.0 ms):
 *   bus 1.0 ms a sector (slower than the media): block k is in the buffer at (k + 1) ms.
 *   Block 0 at 1.0 ms: there (1.0 >= 1.0), written 1.0-1.5.  Block 1's sector at 1.5 ms,
 *   the block only at 2.0: a dry pass; it comes round at 11.5 (>= 2): written, then blocks
 *   2 and 3 at 12.0 and 12.5 (there since 3 and 4 ms): done at 13.0 ms.  rot 1.0, the
 *   rest 12.0.
 *   bus 0.25 ms a sector: block k there at 0.25 (k + 1) ms, always before its sector
 *   (1.0 + 0.5 k): done at 1.0 + 4 x 0.5 = 3.0 ms. */
START_TEST(test_write_fed)
{
	static const struct {
		double bus_ms, total_ms, rot_ms;
	} c[] = {{1.0, 13.0, 1.0}, {0.25, 3.0, 1.0}};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		struct mech_params p;
		tiny(&p, 0);
		p.bus_ms_per_sector = c[i].bus_ms;
		struct mech *m = mech_new(&p, NULL);
		ck_assert(m);
		struct disk_svc s;
		disk_model_mechanical.service(m, IO_WRITE, 2, 4, 0.0, &s);
		ck_assert_double_eq_tol(s.seek, 0, EPS);
		ck_assert_double_eq_tol(s.rot * 1e3, c[i].rot_ms, 1e-9);
		ck_assert_double_eq_tol(disk_svc_total(&s) * 1e3, c[i].total_ms, 1e-9);
		mech_free(m);
		mech_params_clear(&p);
	}
}
END_TEST

/* A write-through write's phases as DiskSim's controller times them (disk_mech.c note 13;
 * disksim_diskctlr.c disk_write_arrive, disk_check_hda, disk_disconnect, disk_check_bus).
 * tiny(): 10 ms a turn, 20 sectors a track in zone 0 (0.5 ms a sector), the head on track 0
 * at angle 0 at t = 0.  Write overhead 0.5 ms (hit and miss), data preparation 0.1, bus
 * 0.2 ms a sector, write water mark 1.0, a 64-sector segment, disconnect after the data
 * 0.3, reselect 0.2, completion 0.05.  A 4-sector write of LBN 2 at t = 0 (sector 2 at
 * 1.0 ms): the media may start at 0.5 (the overhead), the data comes from 0.6, block k in
 * the buffer at 0.6 + 0.2 (k + 1) = 0.8, 1.0, 1.2, 1.4 ms.  Cases (a)-(c) without the extra
 * write disconnect, (d) and (e) with it (and its gate, note 14: test_write_gate).
 *   (a) minimum seek delay 0: sector 2 at 1.0 (rotation 0.5 from 0.5; block 0 there since
 *       0.8), sectors 3-5 at 1.5, 2.0, 2.5 (blocks there): media done 3.0.  The water mark (the
 * whole request, at 1.4) does not hold it back: the write fits its segment.  The bus is done
 * at 1.4, disconnected at 1.7 < 3.0; reselect: 3.2; completion: 3.25 ms. (b) the same with a
 * 2-sector segment: the request does not fit, the mark holds the media until 1.4; sector 2 comes
 * round at 11.0: done 13.0, 13.25 ms (reported as the first positioning, rotation 0.5, and a turn
 * more in the transfer). (c) minimum seek delay 2.0: the head is ready at 0.5 + 2.0 = 2.5, sector 2
 * at 11.0: 13.25 ms, reported seek 2.0, rotation 8.5.  In (d) and (e) the first write is
 * (a)'s with the gate of 4 blocks (in at 1.4): sector 2 passes at 1.0 and is written at 11.0,
 * 13.25 ms as in (b).  (d) then, at t = 14.0 (angle 0.4), a write of LBN 31 (cylinder 0,
 * head 1, sector 11, at angle (11 + 3 skew) / 20 = 0.70), which does not continue LBN 2-5: the
 * extra write disconnect (command 1.0, disconnect 0.1, inter-disconnect 0.4, seek delta 0.5,
 * second disconnect 0.2, other reselect 0.15): the media may start at 14.0 + 1.0 + 0.5 = 15.5
 * (angle 0.55: sector at 17.0, rotation 1.5), the data from 14.0 + 1.0 + 0.1 + 0.4 + 0.2
 * (first reselect) + 0.1 = 15.8, blocks at 16.0-16.6 (the gate's 4 at 16.6 <= 17.0); sectors
 * at 17.0, 17.5, 18.0, 18.5: done 19.0; bus done 16.6 + 0.2 < 19.0; + 0.15 + 0.05: 19.2,
 * i.e. 5.2 ms. (e) then, at t = 14.0, a write of LBN 6 (continuing it): no extra disconnect;
 * the media may start at 14.5 (angle 0.45), sector 6 (angle 0.3) at 23.0, rotation 8.5 (the
 * gate's 4 blocks in at 15.4), done 25.0; + 0.2 + 0.05: 25.25, i.e. 11.25 ms. */
START_TEST(test_write_phases)
{
	static const struct {
		int segment;
		double min_seek_ms;
		uint64_t second; /* 0: none */
		double total_ms, seek_ms, rot_ms;
	} c[] = {{64, 0, 0, 3.25, 0, 0.5},
	         {2, 0, 0, 13.25, 0, 0.5},
	         {64, 2.0, 0, 13.25, 2.0, 8.5},
	         {64, 0, 31, 5.2, 0, 1.5},
	         {64, 0, 6, 11.25, 0, 8.5}};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		struct mech_params p;
		tiny(&p, 0);
		p.cache = true;
		p.cache_segments = 2;
		p.segment_sectors = c[i].segment;
		p.bus_ms_per_sector = 0.2;
		p.write_water = 1.0;
		p.ovh_write_hit[0] = p.ovh_write_hit[1] = 0.5;
		p.ovh_write_miss[0] = p.ovh_write_miss[1] = 0.5;
		p.ovh_data_prep = 0.1;
		p.ovh_write_complete = 0.05;
		p.write_disconnect_ms = 0.3;
		p.ovh_reselect = 0.2;
		p.reselect_other_ms = 0.15;
		p.min_seek_delay_ms = c[i].min_seek_ms;
		p.extra_write_disconnect = c[i].second != 0;
		p.xdisc_command_ms = 1.0;
		p.xdisc_disconnect_ms = 0.1;
		p.xdisc_inter_ms = 0.4;
		p.xdisc_disconnect2_ms = 0.2;
		p.xdisc_seek_delta_ms = 0.5;
		struct mech *m = mech_new(&p, NULL);
		ck_assert(m);
		struct disk_svc s;
		disk_model_mechanical.service(m, IO_WRITE, 2, 4, 0.0, &s);
		if (c[i].second) {
			ck_assert_double_eq_tol(disk_svc_total(&s) * 1e3, 13.25, 1e-9);
			disk_model_mechanical.service(m, IO_WRITE, c[i].second, 4, 0.014, &s);
		}
		ck_assert_msg(fabs(disk_svc_total(&s) * 1e3 - c[i].total_ms) < 1e-9,
		              "case %zu: %.9f ms", i, disk_svc_total(&s) * 1e3);
		ck_assert_double_eq_tol(s.seek * 1e3, c[i].seek_ms, 1e-9);
		ck_assert_double_eq_tol(s.rot * 1e3, c[i].rot_ms, 1e-9);
		mech_free(m);
		mech_params_clear(&p);
	}
}
END_TEST

/* The extra write disconnect's gate (disk_mech.c note 14; DiskSim's
 * disk_buffer_block_available with "Extra write disconnect" set: a write's sector may be
 * written only once its segment holds min(N, 10) blocks, or 15 for N >= 45, counted from the
 * request's first block).  tiny() as in test_write_phases, overheads as there (write 0.5,
 * data preparation 0.1, disconnect 0.3, reselect 0.2, completion 0.05), a 64-sector segment,
 * minimum seek delay 0, one write at t = 0 (the first request: no extra disconnect); the
 * media may start at 0.5, the data comes from 0.6, block k in the buffer at
 * 0.6 + bus (k + 1).
 *   4 sectors of LBN 2, bus 0.2 (blocks at 0.8-1.4), sector 2 at 1.0: without the flag
 *   written at once, done 3.0, 3.25 ms (test_write_phases (a)); with it the gate is 4 blocks
 *   (1.4 > 1.0): sector 2 passes, comes round at 11.0, done 13.0: 13.25 ms.
 *   12 sectors of LBN 6, bus 0.21, sector 6 at 3.0: the gate is min(12, 10) = 10 blocks, in
 *   at 0.6 + 2.1 = 2.7 <= 3.0 (all 12 only at 3.12: a gate of the whole request would cost a
 *   turn); block j there at 0.81 + 0.21 j before its sector at 3.0 + 0.5 j: done 9.0, bus
 *   done 3.12 + 0.3 < 9.0, + 0.2 + 0.05: 9.25 ms.
 *   Zone 0 with 100 sectors a track (0.1 ms a sector), bus 0.05, LBN 12 (sector 12 at 1.2):
 *   44 sectors: gate 10 blocks, in at 0.6 + 0.5 = 1.1 <= 1.2: done 1.2 + 4.4 = 5.6, bus done
 *   0.6 + 2.2 + 0.3 = 3.1: 5.85 ms; 45 sectors: gate 15 blocks, in at 1.35 > 1.2: sector 12
 *   comes round at 11.2, done 15.7, bus 2.85 + 0.3: 15.95 ms. */
START_TEST(test_write_gate)
{
	static const struct {
		bool xwd;
		int spt0;
		double bus_ms;
		uint64_t lbn;
		uint32_t n;
		double total_ms;
	} c[] = {{false, 20, 0.2, 2, 4, 3.25},
	         {true, 20, 0.2, 2, 4, 13.25},
	         {true, 20, 0.21, 6, 12, 9.25},
	         {true, 100, 0.05, 12, 44, 5.85},
	         {true, 100, 0.05, 12, 45, 15.95}};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		struct mech_params p;
		tiny(&p, 0);
		p.zones[0].spt = c[i].spt0;
		p.cache = true;
		p.cache_segments = 2;
		p.segment_sectors = 64;
		p.bus_ms_per_sector = c[i].bus_ms;
		p.write_water = 1.0;
		p.ovh_write_hit[0] = p.ovh_write_hit[1] = 0.5;
		p.ovh_write_miss[0] = p.ovh_write_miss[1] = 0.5;
		p.ovh_data_prep = 0.1;
		p.ovh_write_complete = 0.05;
		p.write_disconnect_ms = 0.3;
		p.ovh_reselect = 0.2;
		p.extra_write_disconnect = c[i].xwd;
		struct mech *m = mech_new(&p, NULL);
		ck_assert(m);
		struct disk_svc s;
		disk_model_mechanical.service(m, IO_WRITE, c[i].lbn, c[i].n, 0.0, &s);
		ck_assert_msg(fabs(disk_svc_total(&s) * 1e3 - c[i].total_ms) < 1e-9,
		              "case %zu: %.9f ms", i, disk_svc_total(&s) * 1e3);
		mech_free(m);
		mech_params_clear(&p);
	}
}
END_TEST

/* A write-through write stops a running prefetch as it arrives, not once its command
 * overhead is paid (disk_mech.c note 8; DiskSim's disk_write_arrive -> disk_activate_write ->
 * disk_buffer_stop_access, at the arrival).  tiny() (10 ms a turn, 0.5 ms a sector, track
 * skew 3 sectors) with a head switch of 1.0 ms, a cache of two 64-sector segments,
 * read-ahead 32 sectors past the request, no read overheads, write overhead 0.6, the bus
 * 0.01 ms a sector, no other overhead.  A read of LBN 0-3 at t = 0 (sector 0 under the head):
 * the media done at 2.0 (the last block over the bus by 2.01), and the prefetch reads on
 * from LBN 4: LBN 19, the track's last, from 9.5 to 10.0, then the head switch to head 1
 * from 10.0 to 11.0.  A 1-sector write of LBN 1 at
 * t = 9.5: the prefetch stops at once (mid-sector), the head stays on head 0; the media may
 * start at 9.5 + 0.6 = 10.1 (angle 0.01), sector 1 (angle 0.05) at 10.5, written by 11.0
 * (its block in since 10.11): 1.5 ms.  Stopped only at 10.1 the prefetch would be in the head
 * switch, which completes (11.0); back to head 0 at 12.0 (angle 0.2), sector 1 at 20.5:
 * 11.5 ms. */
START_TEST(test_write_stops_prefetch)
{
	struct mech_params p;
	tiny(&p, 0);
	p.head_switch_ms = 1.0;
	p.cache = true;
	p.cache_segments = 2;
	p.segment_sectors = 64;
	p.readahead_mode = MECH_RA_SEGMENT;
	p.readahead_sectors = 32;
	p.bus_ms_per_sector = 0.01;
	p.ovh_write_hit[0] = p.ovh_write_hit[1] = 0.6;
	p.ovh_write_miss[0] = p.ovh_write_miss[1] = 0.6;
	struct mech *m = mech_new(&p, NULL);
	ck_assert(m);
	struct disk_svc s;
	disk_model_mechanical.service(m, IO_READ, 0, 4, 0.0, &s);
	ck_assert_double_eq_tol(disk_svc_total(&s) * 1e3, 2.01, 1e-9);
	disk_model_mechanical.service(m, IO_WRITE, 1, 1, 0.0095, &s);
	ck_assert_msg(fabs(disk_svc_total(&s) * 1e3 - 1.5) < 1e-9, "%.9f ms",
	              disk_svc_total(&s) * 1e3);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

/* A read miss reconnects once its water mark is in the buffer, its sectors counted as they
 * pass, a track switch included (disk_mech.c note 9; DiskSim's disk_buffer_sector_done and
 * disk_buffer_request_complete).  tiny() (10 ms a turn, 0.5 ms a sector, track skew 3
 * sectors, no head switch time), a cache without read-ahead, read water mark 0.75 of the
 * request, bus 0.5 ms a sector, reselect 0.2, no other overhead.  A read of LBN 16-23 at
 * t = 0: LBN 16 (sector 16, angle 0.8) at 8.0, 16-19 done at 10.0; LBN 20 (head 1, sector
 * 0, angle 3/20) at 11.5, 20-23 done at 13.5.  The water mark is 6 blocks: LBN 21, done at
 * 12.5; the bus from 12.5 + 0.2 = 12.7, 8 x 0.5 ms (each block there before its turn):
 * 16.7 ms.  Spread evenly over the access (the first sector at 8.5, the last at 13.5) the
 * sixth would be at 8.5 + 5.0 x 5/7 = 12.07 and the read 16.27 ms. */
START_TEST(test_read_water_switch)
{
	struct mech_params p;
	tiny(&p, 0);
	p.cache = true;
	p.cache_segments = 2;
	p.segment_sectors = 64;
	p.readahead_mode = MECH_RA_NONE;
	p.read_water = 0.75;
	p.bus_ms_per_sector = 0.5;
	p.ovh_reselect = 0.2;
	struct mech *m = mech_new(&p, NULL);
	ck_assert(m);
	struct disk_svc s;
	disk_model_mechanical.service(m, IO_READ, 16, 8, 0.0, &s);
	ck_assert_double_eq_tol(s.rot * 1e3, 8.0, 1e-9);
	ck_assert_msg(fabs(disk_svc_total(&s) * 1e3 - 16.7) < 1e-9, "%.9f ms",
	              disk_svc_total(&s) * 1e3);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

/* A read miss's bus follows the media: it sends each block once the block is read and the one
 * before it sent, and waits when it has caught up, as at a track switch (disk_mech.c note 9;
 * DiskSim's disk_buffer_transfer_size moves the blocks the segment holds, and the drive
 * waits for more when it holds none).  tiny() (0.5 ms a sector, track skew 3 sectors, no
 * head switch time), a cache without read-ahead, read water mark 0 (one block), bus 0.6 ms
 * a sector (slower than the media), reselect 0.2, no other overhead.  A read of LBN 16-23 at
 * t = 0: LBN 16-19 read by 8.5, 9.0, 9.5, 10.0; LBN 20-23 (head 1, from 11.5) by 12.0, 12.5,
 * 13.0, 13.5.  The bus from 8.5 + 0.2 = 8.7: blocks sent at 9.3, 9.9, 10.5, 11.1; LBN 20
 * only read at 12.0: sent 12.6, then 13.2, 13.8, 14.4: 14.4 ms.  A bus that never waits
 * after it started would give max(13.5 + 0.6, 8.7 + 8 x 0.6) = 14.1 ms.
 * The same for a partial hit's blocks read from the media: after a read of LBN 16-17 at
 * t = 0 (read by 8.5 and 9.0; sent 9.3, 9.9), a read of LBN 16-23 at t = 20.0 (angle 0) holds
 * 2 blocks, sent at once (immed_transfer_partial_hit): 20.6, 21.2; LBN 18-19 read by 29.5,
 * 30.0, sent 30.1, 30.7; LBN 20-23 (from 31.5) by 32.0-33.5, sent 32.6, 33.2, 33.8, 34.4:
 * 14.4 ms (max(33.5 + 0.6, 20.0 + 4.8) = 14.1 ms without the wait). */
START_TEST(test_read_bus_follows)
{
	struct mech_params p;
	tiny(&p, 0);
	p.cache = true;
	p.cache_segments = 2;
	p.segment_sectors = 64;
	p.readahead_mode = MECH_RA_NONE;
	p.read_water = 0;
	p.bus_ms_per_sector = 0.6;
	p.ovh_reselect = 0.2;
	struct mech *m = mech_new(&p, NULL);
	ck_assert(m);
	struct disk_svc s;
	disk_model_mechanical.service(m, IO_READ, 16, 8, 0.0, &s);
	ck_assert_msg(fabs(disk_svc_total(&s) * 1e3 - 14.4) < 1e-9, "%.9f ms",
	              disk_svc_total(&s) * 1e3);
	mech_free(m);
	m = mech_new(&p, NULL);
	ck_assert(m);
	disk_model_mechanical.service(m, IO_READ, 16, 2, 0.0, &s);
	ck_assert_double_eq_tol(disk_svc_total(&s) * 1e3, 9.9, 1e-9);
	disk_model_mechanical.service(m, IO_READ, 16, 8, 0.020, &s);
	ck_assert(s.hit);
	ck_assert_msg(fabs(disk_svc_total(&s) * 1e3 - 14.4) < 1e-9, "partial hit: %.9f ms",
	              disk_svc_total(&s) * 1e3);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

/* ---- cache ---- */

static struct mech *
cached_drive(int readahead, int write_back)
{
	struct mech_params p;
	tiny(&p, 0);
	p.cache = true;
	p.cache_segments = 2;
	p.segment_sectors = 64;
	p.readahead_mode = readahead ? MECH_RA_SEGMENT : MECH_RA_NONE;
	p.readahead_sectors = readahead;
	p.bus_ms_per_sector = 0.1;
	p.ovh_read_hit[0] = p.ovh_read_hit[1] = 0.05;
	p.ovh_read_miss[0] = p.ovh_read_miss[1] = 0.5;
	p.ovh_write_hit[0] = p.ovh_write_hit[1] = 0.3;
	p.ovh_write_miss[0] = p.ovh_write_miss[1] = 0.6;
	p.write_back = write_back;
	struct mech *m = mech_new(&p, NULL);
	mech_params_clear(&p);
	ck_assert(m);
	return m;
}

static const struct {
	const char *what;
	int readahead;
	double gap_s;    /* idle time between the two reads */
	uint64_t second; /* LBN of the second 4-sector read (the first is LBN 100) */
	bool hit;        /* expected */
	double max_ms;   /* the second read's service time at most */
} cache_cases[] = {
    {"same data again", 0, 0.050, 100, true, 0.05 + 0.4 + 1e-9},
    {"next data, no read-ahead", 0, 0.050, 104, false, 30},
    {"next data, idle read-ahead done", 16, 0.050, 104, true, 0.45 + 1e-9},
    /* the prefetch has read 104 and 105 (0.5 ms a sector) when 106 arrives: not yet read
     * is a miss; the prefetch stops and 106 comes round again in a turn */
    {"read-ahead not there yet", 16, 0.00091, 106, false, 12.09 + 1e-6},
    {"beyond the read-ahead", 16, 0.050, 140, false, 30},
    {"elsewhere", 16, 0.050, 900, false, 30},
};

START_TEST(test_cache)
{
	struct mech *m = cached_drive(cache_cases[_i].readahead, 0);
	struct disk_svc s;
	disk_model_mechanical.service(m, IO_READ, 100, 4, 0.0, &s);
	ck_assert(!s.hit);
	double t = disk_svc_total(&s) + cache_cases[_i].gap_s;
	disk_model_mechanical.service(m, IO_READ, cache_cases[_i].second, 4, t, &s);
	ck_assert_msg(s.hit == cache_cases[_i].hit, "%s", cache_cases[_i].what);
	ck_assert_msg(disk_svc_total(&s) * 1e3 <= cache_cases[_i].max_ms, "%s: %g ms",
	              cache_cases[_i].what, disk_svc_total(&s) * 1e3);
	mech_free(m);
}
END_TEST

/* A read right after the first (LBN 100, 4 sectors, track 5 = LBNs 100..119, 0.5 ms a sector,
 * bus 0.1 ms a sector, hit 0.05 ms, miss 0.5 ms).  The first read completes 0.1 ms after its
 * media end E, when the prefetch (if any) starts; GAP is counted from the completion. */
static const struct {
	const char *what;
	int readahead, over, almost;
	double gap_s;
	uint64_t lbn;
	uint32_t n;
	bool hit;
	double ms; /* expected service time */
} follow_cases[] = {
    /* at E + 1.01 ms 104 and 105 are read; 104..111 are by E + 4.0, sent by E + 4.1 */
    {"partial hit waits for the prefetch", 16, 1, 0, 0.00091, 104, 8, true, 3.09},
    /* 106 is under the head: with almost read hits 106..109 are by E + 3.0 */
    {"almost read hit", 16, 1, 1, 0.00091, 106, 4, true, 2.09},
    /* a miss: the prefetch stops, the seek starts at E + 1.51, 106 comes by at E + 11.0 */
    {"not read yet is a miss", 16, 1, 0, 0.00091, 106, 4, false, 12.09},
    {"request data kept", 0, 1, 0, 0.050, 100, 4, true, 0.45},
    {"request data dropped", 0, -1, 0, 0.050, 100, 4, false, -1},
    {"data read ahead kept", 16, -1, 0, 0.050, 104, 4, true, 0.45},
    /* the prefetch reached its target (120) and stopped: 120 is no almost read hit */
    {"almost, the prefetch done", 16, 1, 1, 0.050, 120, 4, false, -1},
};

START_TEST(test_follow)
{
	struct mech_params p;
	tiny(&p, 0);
	p.cache = true;
	p.cache_segments = 2;
	p.segment_sectors = 64;
	p.readahead_mode = follow_cases[_i].readahead ? MECH_RA_SEGMENT : MECH_RA_NONE;
	p.readahead_sectors = follow_cases[_i].readahead;
	p.readahead_over_requested = follow_cases[_i].over;
	p.almost_read_hits = follow_cases[_i].almost;
	p.bus_ms_per_sector = 0.1;
	p.ovh_read_hit[0] = p.ovh_read_hit[1] = 0.05;
	p.ovh_read_miss[0] = p.ovh_read_miss[1] = 0.5;
	struct mech *m = mech_new(&p, NULL);
	mech_params_clear(&p);
	struct disk_svc s;
	disk_model_mechanical.service(m, IO_READ, 100, 4, 0.0, &s);
	ck_assert(!s.hit);
	double t = disk_svc_total(&s) + follow_cases[_i].gap_s;
	/* SPCTF's estimate (disk.c note 7) foresees the hit exactly when the service has one */
	double pos = disk_model_mechanical.position(m, IO_READ, follow_cases[_i].lbn,
	                                            follow_cases[_i].n, t, t, true);
	ck_assert_msg((pos <= 1e-9) == follow_cases[_i].hit, "%s: SPCTF estimate %g s",
	              follow_cases[_i].what, pos);
	disk_model_mechanical.service(m, IO_READ, follow_cases[_i].lbn, follow_cases[_i].n, t, &s);
	ck_assert_msg(s.hit == follow_cases[_i].hit, "%s", follow_cases[_i].what);
	if (follow_cases[_i].ms >= 0)
		ck_assert_msg(fabs(disk_svc_total(&s) * 1e3 - follow_cases[_i].ms) < 1e-6,
		              "%s: %.6f ms", follow_cases[_i].what, disk_svc_total(&s) * 1e3);
	mech_free(m);
}
END_TEST

/* Read sequences (4 sectors each unless N says otherwise), each GAP after the previous one
 * completed: is the last one a hit? */
static const struct {
	const char *what;
	int readahead, min_ra;
	bool idle;
	int nreq;
	uint64_t lbn[4];
	uint32_t n[4];
	double gap[4];
	bool hit;
} chain_cases[] = {
    /* 300's prefetch (304..319) runs; a hit on 100's segment stops it before any sector */
    {"hit elsewhere stops the prefetch",
     16,
     0,
     0,
     4,
     {100, 300, 100, 310},
     {4, 4, 4, 4},
     {0, 0.050, 0.0002, 0.050},
     false},
    {"hit on it lets it run",
     16,
     0,
     0,
     4,
     {100, 300, 300, 310},
     {4, 4, 4, 4},
     {0, 0.050, 0.0002, 0.050},
     true},
    {"undisturbed prefetch", 16, 0, 0, 3, {100, 300, 310}, {4, 4, 4}, {0, 0.050, 0.050}, true},
    /* a miss 0.1 ms after 100: the prefetch must first reach 104 + 16 */
    {"minimum read-ahead", 16, 16, 0, 3, {100, 900, 110}, {4, 4, 4}, {0, 0.0001, 0.050}, true},
    {"no minimum", 16, 0, 0, 3, {100, 900, 110}, {4, 4, 4}, {0, 0.0001, 0.050}, false},
    /* 100's prefetch ends at 112; a hit on 104 (read by E + 2.0) while it runs moves its
     * target to 116 */
    {"hit on the prefetch moves its target",
     8,
     0,
     0,
     3,
     {100, 104, 113},
     {4, 4, 2},
     {0, 0.002, 0.050},
     true},
    /* once it is over, the hit on 104 moves the target to 116 */
    {"idle hit restarts", 8, 0, 1, 3, {100, 104, 113}, {4, 4, 2}, {0, 0.050, 0.050}, true},
    {"idle hit does not", 8, 0, 0, 3, {100, 104, 113}, {4, 4, 2}, {0, 0.050, 0.050}, false},
};

START_TEST(test_chain)
{
	struct mech_params p;
	tiny(&p, 0);
	p.cache = true;
	p.cache_segments = 2;
	p.segment_sectors = 64;
	p.readahead_sectors = chain_cases[_i].readahead;
	p.min_readahead_sectors = chain_cases[_i].min_ra;
	p.readahead_on_idle_hit = chain_cases[_i].idle;
	p.bus_ms_per_sector = 0.1;
	p.ovh_read_hit[0] = p.ovh_read_hit[1] = 0.05;
	p.ovh_read_miss[0] = p.ovh_read_miss[1] = 0.5;
	struct mech *m = mech_new(&p, NULL);
	mech_params_clear(&p);
	struct disk_svc s = {0};
	double t = 0;
	for (int i = 0; i < chain_cases[_i].nreq; i++) {
		t += chain_cases[_i].gap[i];
		disk_model_mechanical.service(m, IO_READ, chain_cases[_i].lbn[i],
		                              chain_cases[_i].n[i], t, &s);
		t += disk_svc_total(&s);
	}
	ck_assert_msg(s.hit == chain_cases[_i].hit, "%s", chain_cases[_i].what);
	mech_free(m);
}
END_TEST

/* Read-ahead limits on the tiny drive: zone 0 has 20 LBNs a track, 40 a cylinder. */
static const struct {
	int mode, readahead, min_ra, over;
	uint64_t lbn;
	uint32_t n;
	uint64_t seg_start, limit;
} limit_cases[] = {
    {MECH_RA_NONE, 16, 0, 1, 100, 4, 100, 104},
    {MECH_RA_DEC, 0, 0, 1, 100, 4, 100, 120},  /* end of 104's track */
    {MECH_RA_DEC, 0, 0, 1, 96, 8, 96, 140},    /* segment starts a track earlier */
    {MECH_RA_DEC, 0, 0, 1, 100, 20, 100, 160}, /* the next block is on track 6 */
    {MECH_RA_SEGMENT, 16, 0, 1, 100, 4, 100, 120},
    {MECH_RA_SEGMENT, 0, 0, 1, 100, 4, 100, 168},   /* a segment past the end */
    {MECH_RA_SEGMENT, 0, 0, 0, 100, 4, 100, 164},   /* a segment past the start */
    {MECH_RA_SEGMENT, 0, 0, 0, 100, 64, 100, 164},  /* request fills it: the minimum */
    {MECH_RA_SEGMENT, 10, 30, 1, 100, 4, 100, 134}, /* the maximum is at least the min */
    {MECH_RA_TRACK, 50, 0, 1, 100, 4, 100, 120},
    {MECH_RA_TRACK, 50, 0, 1, 110, 10, 110, 120}, /* ends at the track's end: none */
    {MECH_RA_CYL, 50, 0, 1, 82, 4, 82, 120},
    {MECH_RA_CYL, 50, 0, 1, 62, 4, 62, 80},
    {MECH_RA_SEGMENT, 0, 0, 1, 950, 4, 950, 960}, /* not past the disk */
};

START_TEST(test_ra_limit)
{
	struct mech_params p;
	tiny(&p, 0);
	p.cache = true;
	p.segment_sectors = 64;
	p.readahead_mode = limit_cases[_i].mode;
	p.readahead_sectors = limit_cases[_i].readahead;
	p.min_readahead_sectors = limit_cases[_i].min_ra;
	p.readahead_over_requested = limit_cases[_i].over;
	struct mech *m = mech_new(&p, NULL);
	mech_params_clear(&p);
	ck_assert_uint_eq(mech_readahead_limit(m, limit_cases[_i].lbn, limit_cases[_i].n,
	                                       limit_cases[_i].seg_start),
	                  limit_cases[_i].limit);
	ck_assert_uint_eq(mech_track_end(m, 100), 120);
	ck_assert_uint_eq(mech_track_end(m, 119), 120);
	ck_assert_uint_eq(mech_cyl_end(m, 100), 120);
	ck_assert_uint_eq(mech_cyl_end(m, 79), 80);
	ck_assert_uint_eq(mech_track_end(m, 400), 416); /* zone 1: 16 a track */
	mech_free(m);
}
END_TEST

START_TEST(test_write_back)
{
	struct mech *m = cached_drive(0, 2);
	struct disk_svc s;
	/* acknowledged after overhead + bus, no media time; the buffer was free: a "hit" */
	disk_model_mechanical.service(m, IO_WRITE, 700, 8, 0.0, &s);
	ck_assert_double_eq_tol(disk_svc_total(&s), (0.3 + 0.8) * 1e-3, 1e-9);
	/* the destage is still running: flush waits for it, then nothing is left */
	double f = disk_model_mechanical.flush(m, disk_svc_total(&s));
	ck_assert_double_gt(f, 0);
	ck_assert_double_eq_tol(disk_model_mechanical.flush(m, 1.0), 0, EPS);
	/* written data can be read back from the buffer */
	disk_model_mechanical.service(m, IO_READ, 702, 4, 1.0, &s);
	ck_assert(s.hit);
	mech_free(m);
}
END_TEST

/* Destage under load (disk_mech.c note 12), at fast write levels 1 and 2 (the same for one
 * request in service).  The drive: write-hit overhead 0.3 ms, bus 0.1 ms a sector, one write
 * segment of 64 sectors, so an 8-sector fast write is acknowledged 0.3 + 0.8 = 1.1 ms after
 * it arrives when nothing holds it back. */
static const double fast_ms = 0.3 + 0.8;

static struct mech *
wb_drive(int level, bool prebuffer, int write_segments)
{
	struct mech *m = cached_drive(0, level);
	struct mech_params p;
	mech_params_copy(&p, mech_params_of(m));
	mech_free(m);
	p.write_prebuffer = prebuffer;
	p.write_segments = write_segments;
	m = mech_new(&p, NULL);
	mech_params_clear(&p);
	ck_assert(m);
	return m;
}

/* ms */
static double
wb_write(struct mech *m, uint64_t lbn, uint32_t n, double t_ms, struct disk_svc *s)
{
	disk_model_mechanical.service(m, IO_WRITE, lbn, n, t_ms * 1e-3, s);
	return disk_svc_total(s) * 1e3;
}

/* The first write's destage ends F ms after its acknowledgement (at 1.1 ms): a model that
 * sees only that write is asked (flush). */
static double
first_destage(int level)
{
	struct mech *m = wb_drive(level, false, 1);
	struct disk_svc s;
	ck_assert_double_eq_tol(wb_write(m, 700, 8, 0, &s), fast_ms, EPS);
	double f = disk_model_mechanical.flush(m, fast_ms * 1e-3) * 1e3;
	mech_free(m);
	/* the arm goes from cylinder 0 to 19 (2.3 ms from 0.3 ms) and writes 8 of 16 sectors
	 * a turn (5 ms): done at 7.6 ms at the earliest */
	ck_assert_double_ge(f, 7.6 - fast_ms - EPS);
	return f;
}

START_TEST(test_burst_appends)
{
	/* a burst of sequential writes that fits the segment completes at cache speed: eight
	 * appends of 8 sectors, each sent when the previous is acknowledged, 1.1 ms each */
	struct mech *m = wb_drive(_i + 1, false, 1);
	struct disk_svc s;
	double t = 0;
	for (int i = 0; i < 8; i++) {
		double d = wb_write(m, 700 + 8 * (uint64_t)i, 8, t, &s);
		ck_assert_msg(fabs(d - fast_ms) < EPS, "append %d took %.6f ms", i, d);
		ck_assert(s.hit && s.seek == 0 && s.rot == 0);
		t += d;
	}
	mech_free(m);
}
END_TEST

START_TEST(test_random_waits)
{
	/* a write elsewhere is let in only once every dirty sector is on the media: it is
	 * acknowledged F + 0.8 ms after it arrives (at 1.1 ms, the first write's destage ends
	 * at 1.1 + F; its data then takes 0.8 ms on the bus) */
	int level = _i + 1;
	double f = first_destage(level);
	struct mech *m = wb_drive(level, false, 1);
	struct disk_svc s;
	wb_write(m, 700, 8, 0, &s);
	ck_assert_double_eq_tol(wb_write(m, 100, 8, fast_ms, &s), f + 0.8, 1e-6);
	ck_assert(s.hit);
	mech_free(m);
}
END_TEST

START_TEST(test_prebuffer)
{
	/* with prebuffering and two write segments, a burst of two random writes completes at
	 * cache speed; the third waits for the first destage (ends at 1.1 + F), arriving at
	 * 2.2 ms: F + 1.1 - 2.2 + 0.8 = F - 0.3 ms */
	int level = _i + 1;
	double f = first_destage(level);
	struct mech *m = wb_drive(level, true, 2);
	struct disk_svc s;
	ck_assert_double_eq_tol(wb_write(m, 700, 8, 0, &s), fast_ms, EPS);
	ck_assert_double_eq_tol(wb_write(m, 100, 8, fast_ms, &s), fast_ms, EPS);
	ck_assert_double_eq_tol(wb_write(m, 300, 8, 2 * fast_ms, &s), f - 0.3, 1e-6);
	mech_free(m);
}
END_TEST

START_TEST(test_big_write_through)
{
	/* a write larger than a segment cannot be buffered whole: written through */
	struct mech *m = wb_drive(2, true, 1);
	struct disk_svc s;
	double d = wb_write(m, 800, 100, 0, &s);
	ck_assert(!s.hit && s.seek > 0);
	ck_assert_double_ge(d, 0.6 + 100 * 0.1); /* miss overhead and the bus at least */
	ck_assert_double_eq_tol(disk_model_mechanical.flush(m, d * 1e-3), 0, EPS);
	mech_free(m);
}
END_TEST

/* SPCTF's estimate (disk.c note 7) on the drive of follow_cases: after the read of LBN 100
 * (4 sectors) and 0.91 ms idle, the prefetch has read 104 and 105 (the service's own
 * partial-hit case).  A read the buffer holds whole costs no positioning, one it holds from
 * its first block 1 ns, one it does not hold the miss estimate plain SPTF gives; plain
 * SPTF estimates the held ones as misses too: the head has passed 104, nearly a turn. */
START_TEST(test_position_cached)
{
	struct mech *m = cached_drive(16, 0);
	struct disk_svc s;
	disk_model_mechanical.service(m, IO_READ, 100, 4, 0.0, &s);
	double t = disk_svc_total(&s) + 0.00091;
	const struct disk_model *dm = &disk_model_mechanical;
	ck_assert_double_eq(dm->position(m, IO_READ, 100, 4, t, t, true), 0);    /* the request's */
	ck_assert_double_eq(dm->position(m, IO_READ, 104, 2, t, t, true), 0);    /* prefetched */
	ck_assert_double_eq(dm->position(m, IO_READ, 104, 8, t, t, true), 1e-9); /* from 104 on */
	double miss = dm->position(m, IO_READ, 106, 4, t, t, false);
	ck_assert_double_gt(miss, 1e-3);
	ck_assert_double_eq(dm->position(m, IO_READ, 106, 4, t, t, true), miss);
	/* plain SPTF: 104 lies behind the head, almost a turn (12 ms) away */
	ck_assert_double_gt(dm->position(m, IO_READ, 104, 8, t, t, false), 5e-3);
	/* writes are not looked up */
	ck_assert_double_eq(dm->position(m, IO_WRITE, 100, 4, t, t, true),
	                    dm->position(m, IO_WRITE, 100, 4, t, t, false));
	/* the service agrees: 104..111 is a hit (3.09 ms, follow_cases), the estimates changed
	 * nothing */
	dm->service(m, IO_READ, 104, 8, t, &s);
	ck_assert(s.hit);
	ck_assert_double_eq_tol(disk_svc_total(&s) * 1e3, 3.09, 1e-6);
	mech_free(m);
}
END_TEST

/* Note 15: a read miss that waited in the drive's queue has had its command processed since
 * it arrived.  The model is its own oracle: served at T0 having arrived at TQ, it must end
 * exactly when the same read served unqueued from the command's start would, that start
 * being TQ when the command ends after T0 (0.3 ms queued of a 0.5 ms overhead), and
 * T0 - 0.5 ms when it ended before (10 ms queued: the media starts at T0).  Not queued
 * (TQ = T0), service_queued is service. */
START_TEST(test_queued_overhead)
{
	static const double queued_ms[] = {0.3, 10.0, 0.0};
	for (size_t k = 0; k < G_N_ELEMENTS(queued_ms); k++) {
		struct mech *a = cached_drive(0, 0), *b = cached_drive(0, 0);
		struct disk_svc s, sa, sb;
		disk_model_mechanical.service(a, IO_READ, 100, 4, 0.0, &s);
		disk_model_mechanical.service(b, IO_READ, 100, 4, 0.0, &s);
		double t0 = disk_svc_total(&s) + 0.05, tq = t0 - queued_ms[k] * 1e-3;
		/* SPTF's estimate counts from when the command is done, as the service does */
		double pos = disk_model_mechanical.position(a, IO_READ, 900, 4, t0, tq, false);
		disk_model_mechanical.service_queued(a, IO_READ, 900, 4, t0, tq, &sa);
		ck_assert_double_eq_tol(pos, sa.seek + sa.rot, 1e-12);
		double from = MAX(tq, t0 - 0.5e-3); /* the unqueued read's command start */
		disk_model_mechanical.service(b, IO_READ, 900, 4, from, &sb);
		ck_assert(!sa.hit && !sb.hit);
		ck_assert_msg(fabs((t0 + disk_svc_total(&sa)) - (from + disk_svc_total(&sb))) <
		                  1e-12,
		              "queued %g ms: ends %.9f vs %.9f", queued_ms[k],
		              t0 + disk_svc_total(&sa), from + disk_svc_total(&sb));
		/* what is left of the command after T0 is what the controller time shows */
		ck_assert_double_eq_tol(sa.ctrl, MAX(0.0, 0.5e-3 - queued_ms[k] * 1e-3), 1e-12);
		ck_assert_double_eq_tol(sa.seek, sb.seek, 1e-12);
		mech_free(a);
		mech_free(b);
	}
}
END_TEST

START_TEST(test_position_pure)
{
	struct mech *m = cached_drive(16, 0);
	struct disk_svc s, s2;
	disk_model_mechanical.service(m, IO_READ, 300, 4, 0.0, &s);
	// cppcheck-suppress duplicateAssignExpression ; position() is pure: same call, same answer
	double a = disk_model_mechanical.position(m, IO_READ, 800, 4, 0.05, 0.05, false);
	double b = disk_model_mechanical.position(m, IO_READ, 800, 4, 0.05, 0.05, false);
	ck_assert_double_eq(a, b);
	ck_assert_double_gt(a, 0);
	disk_model_mechanical.service(m, IO_READ, 800, 4, 0.05, &s);
	ck_assert_double_eq_tol(s.seek + s.rot, a, 1e-9);
	/* and a cylinder() that orders LBNs */
	ck_assert_uint_le(disk_model_mechanical.cylinder(m, 10),
	                  disk_model_mechanical.cylinder(m, 800));
	(void)s2;
	mech_free(m);
}
END_TEST

/* ---- what the model can represent (note 11): each bound accepted at its edge, refused
 * just past it, and the fault named by zone and parameter ---- */

static const struct {
	const char *what;
	int zone;          /* expected fault: -1 not a zone's */
	const char *field; /* NULL: accepted */
} bound_cases[] = {
    {"rpm 1", -1, NULL},
    {"rpm 100000", -1, NULL},
    {"rpm 0.999", -1, "rpm"},
    {"rpm 100001", -1, "rpm"},
    {"per-track spares spt-1", -1, NULL},
    {"per-track spares spt", 0, "spares"},
    {"zone spares all but one", -1, NULL},
    {"zone spares all", 0, "spares"},
    {"front space all but one", -1, NULL},
    {"front space all", 1, "front_space"},
    {"head switch 10 s", -1, NULL},
    {"head switch past 10 s", -1, "head_switch_ms"},
    {"head switch NaN", -1, "head_switch_ms"},
    {"seek extrapolated below 0", -1, "seek"},
    {"2^24 tracks", -1, NULL},
    {"2^24 + 2 tracks", -1, "cylinders"},
    {"slip past the zone", 0, "slips"},
};

START_TEST(test_bounds)
{
	struct mech_params p;
	tiny(&p, _i >= 4 && _i <= 5 ? 3 : _i >= 6 && _i <= 7 ? 9 : _i == 16 ? 9 : 0);
	switch (_i) {
	case 0:
		p.rpm = 1;
		break;
	case 1:
		p.rpm = 100000;
		break;
	case 2:
		p.rpm = 0.999;
		break;
	case 3:
		p.rpm = 100001;
		break;
	case 4:
		p.zones[0].spares = 19;
		p.zones[1].spares = 15;
		p.zones[2].spares = 11;
		break;
	case 5:
		p.zones[0].spares = 20;
		break;
	case 6:
		p.zones[0].spares = 399;
		break;
	case 7:
		p.zones[0].spares = 400;
		break;
	case 8:
		p.zones[1].front_space = 319;
		break;
	case 9:
		p.zones[1].front_space = 320;
		break;
	case 10:
		p.head_switch_ms = MECH_MAX_MS;
		break;
	case 11:
		p.head_switch_ms = MECH_MAX_MS * 1.000001;
		break;
	case 12:
		p.head_switch_ms = NAN;
		break;
	case 13:
		p.seek_ms[2] = 0;
		p.cylinders = 200;
		break; /* 2 -> 0 over 10..100 cylinders */
	case 14:
		p.cylinders = (1 << 24) / 2, p.seek_ms[2] = 2;
		break; /* flat past 10 */
	case 15:
		p.cylinders = (1 << 24) / 2 + 1, p.seek_ms[2] = 2;
		break;
	case 16: {
		static const int sl[] = {5, 400}; /* zone 0 has 400 sectors */
		set_slips(&p.zones[0], sl, 2);
		break;
	}
	}
	int zone = 99;
	const char *field = "?";
	GError *e = NULL;
	bool ok = mech_params_check_at(&p, &zone, &field, &e);
	if (!bound_cases[_i].field) {
		ck_assert_msg(ok, "%s: refused: %s: %s", bound_cases[_i].what, field,
		              e ? e->message : "");
	} else {
		ck_assert_msg(!ok, "%s: accepted", bound_cases[_i].what);
		ck_assert_msg(zone == bound_cases[_i].zone && !strcmp(field, bound_cases[_i].field),
		              "%s: zone %d %s: %s", bound_cases[_i].what, zone, field, e->message);
		g_clear_error(&e);
		/* mech_new refuses what the check refuses */
		ck_assert(mech_new(&p, &e) == NULL && e);
		g_clear_error(&e);
	}
	mech_params_clear(&p);
}
END_TEST

Suite *
suite_mech(void)
{
	Suite *s = suite_create("mech");
	TCase *tc = tcase_create("layout");
	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_roundtrip, 0, G_N_ELEMENTS(rt_cases));
	tcase_add_test(tc, test_zone_boundaries);
	tcase_add_test(tc, test_slips);
	tcase_add_test(tc, test_sparing_disksim);
	tcase_add_loop_test(tc, test_bounds, 0, G_N_ELEMENTS(bound_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("mechanics");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_seek_table, 0, G_N_ELEMENTS(seek_cases));
	tcase_add_test(tc, test_seek_rw);
	tcase_add_test(tc, test_seek_types);
	tcase_add_test(tc, test_rotation);
	tcase_add_test(tc, test_write_fed);
	tcase_add_test(tc, test_write_phases);
	tcase_add_test(tc, test_write_gate);
	tcase_add_test(tc, test_write_stops_prefetch);
	tcase_add_test(tc, test_read_water_switch);
	tcase_add_test(tc, test_read_bus_follows);
	suite_add_tcase(s, tc);
	tc = tcase_create("cache");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_cache, 0, G_N_ELEMENTS(cache_cases));
	tcase_add_loop_test(tc, test_follow, 0, G_N_ELEMENTS(follow_cases));
	tcase_add_loop_test(tc, test_chain, 0, G_N_ELEMENTS(chain_cases));
	tcase_add_loop_test(tc, test_ra_limit, 0, G_N_ELEMENTS(limit_cases));
	tcase_add_test(tc, test_write_back);
	tcase_add_loop_test(tc, test_burst_appends, 0, 2);
	tcase_add_loop_test(tc, test_random_waits, 0, 2);
	tcase_add_loop_test(tc, test_prebuffer, 0, 2);
	tcase_add_test(tc, test_big_write_through);
	tcase_add_test(tc, test_position_pure);
	tcase_add_test(tc, test_position_cached);
	tcase_add_test(tc, test_queued_overhead);
	suite_add_tcase(s, tc);
	return s;
}

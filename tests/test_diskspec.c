/*
 * test_diskspec.c -- the disk-spec readers: DiskSim .diskspecs files (the validated drives,
 * and malformed ones written here, each of which must fail with FILE:LINE and the parameter),
 * the project's .disk files (which must describe the same drives), the [disk] overrides, and
 * the CDF distance in closed form.
 */
#include <math.h>
#include <stdio.h>

#include "models/cdfdist.h"
#include "sim/diskspec.h"
#include "sim/scenario.h"
#include "tests/testutil.h"

static const char *
wfile(const char *dir, const char *name, const char *text)
{
	static char path[4][1024];
	static int k;
	char *p = path[k++ % 4];
	snprintf(p, 1024, "%s/%s", dir, name);
	ck_assert(g_file_set_contents(p, text, -1, NULL));
	return p;
}

/* A small valid drive in DiskSim's syntax; %s slots let cases break one thing at a time. */
static const char spec_fmt[] = "disksim_disk TINY {\n"                                       /* 1 */
                               "   Model = source tiny.model,\n"                             /* 2 */
                               "   Bulk sector transfer time = %s,\n"                        /* 3 */
                               "   Print stats = 1,\n"                                       /* 4 */
                               "   Scheduler = disksim_ioqueue { Scheduling policy = 1 },\n" /* 5 */
                               "   Number of buffer segments = 2,\n"                         /* 6 */
                               "   Segment size (in blks) = 64\n"                            /* 7 */
                               "}\n";
static const char model_fmt[] = "dm_disk TINY_model {\n"                              /* 1 */
                                "   Number of data surfaces = 2,\n"                   /* 2 */
                                "   Number of cylinders = 20,\n"                      /* 3 */
                                "   Block count = 800,\n"                             /* 4 */
                                "   Layout Model = dm_layout_g1 {\n"                  /* 5 */
                                "      LBN-to-PBN mapping scheme = 0,\n"              /* 6 */
                                "      Sparing scheme used = %s,\n"                   /* 7 */
                                "      Zones = [\n"                                   /* 8 */
                                "         dm_layout_g1_zone {\n"                      /* 9 */
                                "            First cylinder number = 0,\n"            /* 10 */
                                "            Last cylinder number = 19,\n"            /* 11 */
                                "            Blocks per track = %s,\n"                /* 12 */
                                "            Offset of first block = 0,\n"            /* 13 */
                                "            Empty space at zone front = 0,\n"        /* 14 */
                                "            Skew for track switch = 2,\n"            /* 15 */
                                "            Skew for cylinder switch = 3,\n"         /* 16 */
                                "            Number of spares = 0,\n"                 /* 17 */
                                "            slips = [],\n"                           /* 18 */
                                "            defects = []\n"                          /* 19 */
                                "         }\n"                                        /* 20 */
                                "      ]\n"                                           /* 21 */
                                "   },\n"                                             /* 22 */
                                "   Mechanical Model = dm_mech_g1 {\n"                /* 23 */
                                "      Access time type = trackSwitchPlusRotation,\n" /* 24 */
                                "      Seek type = extracted,\n"                      /* 25 */
                                "      Full seek curve = %s,\n"                       /* 26 */
                                "      Head switch time = 0.5,\n"                     /* 27 */
                                "      Rotation speed (in rpms) = %s\n"               /* 28 */
                                "   }\n"
                                "}\n";
static const char seek_ok[] = "Seek distances measured: 3\n1, 1.0\n5, 2.0\n19, 4.0\n";

static const struct {
	const char *what;
	const char *bus, *sparing, *spt, *curve, *rpm, *seek;
	const char *file; /* which file the message names */
	int line;
	const char *key;
} bad[] = {
    {"bad number", "fast", "0", "20", "tiny.seek", "6000", NULL, "tiny.diskspecs", 3,
     "Bulk sector transfer time"},
    {"unknown sparing scheme", "0.1", "11", "20", "tiny.seek", "6000", NULL, "tiny.model", 7,
     "Sparing scheme used"},
    {"zero blocks per track", "0.1", "0", "0", "tiny.seek", "6000", NULL, "tiny.model", 12,
     "Blocks per track"},
    {"missing seek file", "0.1", "0", "20", "nowhere.seek", "6000", NULL, "tiny.model", 26,
     "Full seek curve"},
    {"bad seek line", "0.1", "0", "20", "tiny.seek", "6000",
     "Seek distances measured: 2\n1, 1\nx y\n", "tiny.seek", 3, "seek table"},
    {"descending seek", "0.1", "0", "20", "tiny.seek", "6000", "5, 1\n2, 1\n", "tiny.seek", 2,
     "seek table"},
    {"negative rpm", "0.1", "0", "20", "tiny.seek", "-5", NULL, "tiny.model", 28,
     "Rotation speed (in rpms)"},
    {"unclosed block", "0.1 \n disksim_x {", "0", "20", "tiny.seek", "6000", NULL, "tiny.diskspecs",
     0, "Bulk sector transfer time"},
};

static bool
write_spec(const char *dir, const char *bus, const char *sparing, const char *spt,
           const char *curve, const char *rpm, const char *seek)
{
	char *s = g_strdup_printf(spec_fmt, bus);
	char *m = g_strdup_printf(model_fmt, sparing, spt, curve, rpm);
	wfile(dir, "tiny.diskspecs", s);
	wfile(dir, "tiny.model", m);
	wfile(dir, "tiny.seek", seek ? seek : seek_ok);
	g_free(s);
	g_free(m);
	return true;
}

START_TEST(test_spec_ok)
{
	const char *dir = tu_tmpdir();
	write_spec(dir, "0.1", "0", "20", "tiny.seek", "6000", NULL);
	char *path = g_strdup_printf("%s/tiny.diskspecs", dir);
	struct mech_params p;
	GPtrArray *w = g_ptr_array_new_with_free_func(g_free);
	GError *e = NULL;
	ck_assert_msg(dspec_read_diskspecs(path, &p, w, &e), "%s", e ? e->message : "");
	ck_assert_double_eq(p.rpm, 6000);
	ck_assert_int_eq(p.surfaces, 2);
	ck_assert_int_eq(p.nzones, 1);
	ck_assert_int_eq(p.zones[0].spt, 20);
	ck_assert_double_eq(p.zones[0].cyl_skew, 3);
	ck_assert_int_eq(p.nseek, 3);
	ck_assert_double_eq(p.seek_ms[2], 4.0);
	ck_assert_double_eq(p.bus_ms_per_sector, 0.1);
	ck_assert_int_eq(p.cache_segments, 2);
	/* "Print stats" and the scheduler block are reported, with file:line */
	bool stats = false, sched = false;
	for (guint i = 0; i < w->len; i++) {
		const char *m = w->pdata[i];
		stats |= strstr(m, "tiny.diskspecs:4: Print stats") != NULL;
		sched |= strstr(m, "tiny.diskspecs:5: Scheduler") != NULL;
	}
	ck_assert(stats && sched);
	struct mech *m = mech_new(&p, &e);
	ck_assert(m);
	ck_assert_uint_eq(mech_capacity(m), 800);
	mech_free(m);
	mech_params_clear(&p);
	g_ptr_array_free(w, TRUE);
	g_free(path);
}
END_TEST

START_TEST(test_spec_bad)
{
	char *dir = g_strdup_printf("%s/bad%d", tu_tmpdir(), _i);
	g_mkdir_with_parents(dir, 0755);
	write_spec(dir, bad[_i].bus, bad[_i].sparing, bad[_i].spt, bad[_i].curve, bad[_i].rpm,
	           bad[_i].seek);
	char *path = g_strdup_printf("%s/tiny.diskspecs", dir);
	struct mech_params p;
	GError *e = NULL;
	ck_assert_msg(!dspec_read_diskspecs(path, &p, NULL, &e), "%s accepted", bad[_i].what);
	ck_assert(e);
	char *want = bad[_i].line ? g_strdup_printf("%s/%s:%d: %s: ", dir, bad[_i].file,
	                                            bad[_i].line, bad[_i].key)
	                          : g_strdup_printf("%s/%s:", dir, bad[_i].file);
	ck_assert_msg(g_str_has_prefix(e->message, want), "%s: got '%s', want '%s...'",
	              bad[_i].what, e->message, want);
	g_error_free(e);
	g_free(want);
	g_free(path);
	g_free(dir);
}
END_TEST

/* ---- .parv system files ---- */

/* A one-disk system around tiny.diskspecs (disk's own rate 0.1 ms a sector, from
 * spec_fmt); %s slots break one thing at a time. */
static const char parv_fmt[] = "disksim_global Global { Init Seed = 42 }\n" /* 1 */
                               "disksim_iodriver DRIVER0 {\n"               /* 2 */
                               "   type = 1,\n"                             /* 3 */
                               "   Constant access time = %s,\n"            /* 4 */
                               "   Scheduler = disksim_ioqueue { Scheduling policy = 1 }\n"
                               "}\n"                                                     /* 6 */
                               "disksim_bus BUS0 { type = 1, Arbitration time = 0.0 }\n" /* 7 */
                               "disksim_bus BUS1 {\n"                                    /* 8 */
                               "   Read block transfer time = %s,\n"                     /* 9 */
                               "   Write block transfer time = 0.3\n"                    /* 10 */
                               "}\n"                                                     /* 11 */
                               "disksim_ctlr CTLR0 { type = %s, Scale for delays = 0.0 }\n"
                               "source tiny.diskspecs\n"               /* 13 */
                               "instantiate [ bus0, bus1 ] as %s\n"    /* 14 */
                               "instantiate [ disk0 ] as TINY\n"       /* 15 */
                               "instantiate [ driver0 ] as DRIVER0\n"  /* 16 */
                               "instantiate [ ctlr0 ] as CTLR0\n"      /* 17 */
                               "topology disksim_iodriver driver0 [\n" /* 18 */
                               "   disksim_bus bus0 [\n"               /* 19 */
                               "      disksim_ctlr ctlr0 [\n"          /* 20 */
                               "         disksim_bus bus1 [ %s ]\n"    /* 21 */
                               "      ]\n"                             /* 22 */
                               "   ]\n"                                /* 23 */
                               "]\n";

static const char *
write_parv(const char *dir, const char *cat, const char *rd, const char *ctype, const char *bus_as,
           const char *disks)
{
	write_spec(dir, "0.1", "0", "20", "tiny.seek", "6000", NULL);
	char *t = g_strdup_printf(parv_fmt, cat, rd, ctype, bus_as, disks);
	const char *p = wfile(dir, "tiny.parv", t);
	g_free(t);
	return p;
}

START_TEST(test_parv_ok)
{
	const char *dir = tu_tmpdir();
	const char *path = write_parv(dir, "0.0", "0.2", "1", "BUS1", "disksim_disk disk0 [ ]");
	struct mech_params p;
	GPtrArray *w = g_ptr_array_new_with_free_func(g_free);
	GError *e = NULL;
	ck_assert_msg(dspec_load(path, &p, w, &e), "%s", e ? e->message : "");
	/* disk_get_blktranstime: the slower of the disk (0.1) and its bus: reads 0.2, writes
	 * 0.3 */
	ck_assert_double_eq_tol(p.bus_ms_per_sector, 0.2, 1e-12);
	ck_assert_double_eq_tol(p.bus_write_ms_per_sector, 0.3, 1e-12);
	ck_assert_double_eq(p.rpm, 6000);
	/* the driver's scheduler is reported as not modelled, with its line */
	bool sched = false;
	for (guint i = 0; i < w->len; i++)
		sched |= strstr(w->pdata[i], "tiny.parv:5: Scheduler") != NULL;
	ck_assert(sched);
	mech_params_clear(&p);
	g_ptr_array_free(w, TRUE);
	/* a scenario's [disk] spec= takes it too, its own keys over the file's */
	char *text = g_strdup_printf("[disk]\nspec=%s\nrpm=7200\n", path);
	struct scn *sc = tu_plain(text);
	ck_assert_msg(dspec_params_from_section(scn_section(sc, "disk"), &p, NULL, &e), "%s",
	              e ? e->message : "");
	ck_assert_double_eq(p.rpm, 7200);
	ck_assert_double_eq_tol(p.bus_ms_per_sector, 0.2, 1e-12);
	mech_params_clear(&p);
	scn_free(sc);
	g_free(text);
}
END_TEST

/* The reader's warnings reach the user: `vnodesim validate` builds the drive twice (once for
 * its capacity, once for the replay) and a scenario run once per policy, yet each ignored
 * DiskSim parameter is printed once, as "vnodesim: warning: FILE:LINE: KEY: ...": the
 * driver's Scheduler on tiny.parv's line 5 (parv_fmt). */
static int
count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

START_TEST(test_ignored_printed)
{
	const char *dir = tu_tmpdir();
	const char *path = write_parv(dir, "0.0", "0.2", "1", "BUS1", "disksim_disk disk0 [ ]");
	const char *trace = wfile(dir, "t.trace", "R Hit 0 1 1000.0 0.0\nR Hit 8 1 20.0 0.0\n");
	char *want = g_strdup_printf("vnodesim: warning: %s:5: Scheduler: ", path);
	char *out = NULL;
	int rc =
	    tu_sh(&out, "%s validate %s --disk %s --out %s/v 2>&1", tu_prog(), trace, path, dir);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, out);
	ck_assert_msg(count(out, want) == 1, "want '%s' once, got '%s'", want, out);
	g_free(out);
	/* a run of two policies on a scenario whose [disk] spec= is the .parv */
	char *text = g_strdup_printf("[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\n"
	                             "number_ios=4\ndirect=1\n[disk]\nspec=%s\n",
	                             path);
	const char *sc = wfile(dir, "s.ini", text);
	rc = tu_sh(&out, "%s run %s --policy serial,xfs --out %s/r -q 2>&1", tu_prog(), sc, dir);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, out);
	ck_assert_msg(count(out, want) == 1, "want '%s' once, got '%s'", want, out);
	g_free(out);
	g_free(text);
	g_free(want);
}
END_TEST

static const struct {
	const char *what;
	const char *cat, *rd, *ctype, *bus_as, *disks;
	int line;
	const char *key;
} parv_bad[] = {
    {"two disks", "0.0", "0.2", "1", "BUS1", "disksim_disk disk0 [ ], disksim_disk disk1 [ ]", 18,
     "topology"},
    {"no disk", "0.0", "0.2", "1", "BUS1", "", 18, "topology"},
    {"disk not instantiated", "0.0", "0.2", "1", "BUS1", "disksim_disk disk9 [ ]", 21, "topology"},
    {"bus of no such block", "0.0", "0.2", "1", "NOBUS", "disksim_disk disk0 [ ]", 14,
     "instantiate"},
    {"smart controller", "0.0", "0.2", "3", "BUS1", "disksim_disk disk0 [ ]", 12, "type"},
    {"constant access time", "1.5", "0.2", "1", "BUS1", "disksim_disk disk0 [ ]", 4,
     "Constant access time"},
    {"bad bus time", "0.0", "fast", "1", "BUS1", "disksim_disk disk0 [ ]", 9,
     "Read block transfer time"},
    {"negative bus time", "0.0", "-1", "1", "BUS1", "disksim_disk disk0 [ ]", 9,
     "Read block transfer time"},
    {"not a disksim_disk", "0.0", "0.2", "1", "BUS1", "disksim_simpledisk disk0 [ ]", 21,
     "topology"},
    {"topology syntax", "0.0", "0.2", "1", "BUS1", "disksim_disk disk0 { }", 21, "topology"},
    {"instantiate without as", "0.0", "0.2", "1", "BUS1\ninstantiate [ x ]",
     "disksim_disk disk0 [ ]", 15, "instantiate"},
};

START_TEST(test_parv_bad)
{
	char *dir = g_strdup_printf("%s/parv%d", tu_tmpdir(), _i);
	g_mkdir_with_parents(dir, 0755);
	const char *path = write_parv(dir, parv_bad[_i].cat, parv_bad[_i].rd, parv_bad[_i].ctype,
	                              parv_bad[_i].bus_as, parv_bad[_i].disks);
	struct mech_params p;
	GError *e = NULL;
	ck_assert_msg(!dspec_load(path, &p, NULL, &e), "%s accepted", parv_bad[_i].what);
	char *want = g_strdup_printf("%s:%d: %s: ", path, parv_bad[_i].line, parv_bad[_i].key);
	ck_assert_msg(g_str_has_prefix(e->message, want), "%s: got '%s', want '%s...'",
	              parv_bad[_i].what, e->message, want);
	/* and through the command line: one message, exit status 2 */
	const char *trace = wfile(dir, "t.trace", "R Hit 0 1 1000.0 0.0\n");
	char *out = NULL;
	int rc =
	    tu_sh(&out, "%s validate %s --disk %s --out %s/o 2>&1", tu_prog(), trace, path, dir);
	ck_assert_msg(rc == 2, "%s: exit %d: %s", parv_bad[_i].what, rc, out);
	ck_assert_msg(strstr(out, want) && !strchr(strchr(out, '\n') + 1, '\n'),
	              "%s: want one line with '%s', got '%s'", parv_bad[_i].what, want, out);
	g_free(out);
	g_error_free(e);
	g_free(want);
	g_free(dir);
}
END_TEST

/* DiskSim's own system files for the two drives in the reference data: the HP's bus rate
 * (BUS1's 0.14550 ms a block) comes from it; the Cheetah's bus is as fast as anything (0),
 * so its disk's own 0.105 ms stands, as in its .diskspecs. */
START_TEST(test_parv_drives)
{
	static const struct {
		const char *parv;
		double read_ms, write_ms;
		uint64_t capacity;
	} d[] = {
	    {"disks/hp_c3323a.parv", 0.1455, -1, 2056008},
	    {"disks/cheetah9LP.parv", 0.105, -1, 17918387},
	};
	const char *path = tu_data("diskspec_parv", d[_i].parv);
	if (!path)
		return;
	struct mech_params p;
	GError *e = NULL;
	ck_assert_msg(dspec_load(path, &p, NULL, &e), "%s", e ? e->message : "");
	ck_assert_double_eq_tol(p.bus_ms_per_sector, d[_i].read_ms, 1e-12);
	ck_assert_double_eq_tol(p.bus_write_ms_per_sector, d[_i].write_ms, 1e-12);
	struct mech *m = mech_new(&p, &e);
	ck_assert(m);
	ck_assert_uint_eq(mech_capacity(m), d[_i].capacity);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

/* ---- the validated drives, and the project's files for them ---- */

static const struct {
	const char *spec, *disk;
	uint64_t capacity;
	int zones;
	int ra_mode, stop_in_sector; /* as the .diskspecs says */
} drives[] = {
    {"disks/cheetah9LP.diskspecs", "disks/cheetah9LP.disk", 17918387, 11, 4, 0},
    {"disks/hp_c3323a_validate.diskspecs", "disks/hp_c3323a.disk", 2056008, 8, 3, 1},
};

START_TEST(test_drives_read)
{
	const char *path = tu_data("diskspec_drives", drives[_i].spec);
	if (!path)
		return;
	struct mech_params p, q;
	GPtrArray *w = g_ptr_array_new_with_free_func(g_free);
	GError *e = NULL;
	ck_assert_msg(dspec_read_diskspecs(path, &p, w, &e), "%s", e ? e->message : "");
	ck_assert_int_gt(w->len, 0);
	ck_assert_int_eq(p.nzones, drives[_i].zones);
	struct mech *a = mech_new(&p, &e);
	ck_assert(a);
	ck_assert_uint_eq(mech_capacity(a), drives[_i].capacity);
	/* the project's own file says the same (the bus rate aside, see the file) */
	ck_assert_msg(dspec_read_disk(drives[_i].disk, &q, NULL, &e), "%s", e ? e->message : "");
	struct mech *b = mech_new(&q, &e);
	ck_assert(b);
	ck_assert_uint_eq(mech_capacity(b), drives[_i].capacity);
	for (uint64_t l = 0; l < drives[_i].capacity; l += 7919) {
		struct mech_pbn x, y;
		ck_assert(mech_lbn_to_pbn(a, l, &x) && mech_lbn_to_pbn(b, l, &y));
		ck_assert(x.cyl == y.cyl && x.head == y.head && x.sector == y.sector);
		ck_assert_double_eq_tol(mech_pbn_angle(a, &x), mech_pbn_angle(b, &y), 1e-12);
	}
	for (int d = 0; d < p.cylinders; d += 37)
		ck_assert_double_eq_tol(mech_seek_ms(a, d), mech_seek_ms(b, d), 1e-9);
	ck_assert_double_eq(p.rpm, q.rpm);
	ck_assert_double_eq(p.head_switch_ms, q.head_switch_ms);
	ck_assert_double_eq(p.ovh_write_miss[1], q.ovh_write_miss[1]);
	ck_assert_int_eq(p.readahead_sectors, q.readahead_sectors);
	ck_assert_int_eq(p.write_back, q.write_back);
	/* the cache semantics, in both formats (docs/disks.md, "The disk file format") */
	ck_assert_int_eq(p.readahead_mode, drives[_i].ra_mode);
	ck_assert_int_eq(p.readahead_mode, q.readahead_mode);
	ck_assert_int_eq(p.min_readahead_sectors, q.min_readahead_sectors);
	ck_assert_int_eq(p.readahead_over_requested, q.readahead_over_requested);
	ck_assert_int_eq(p.readahead_on_idle_hit, q.readahead_on_idle_hit);
	ck_assert_int_eq(p.almost_read_hits, q.almost_read_hits);
	ck_assert_int_eq(p.stop_prefetch_in_sector, drives[_i].stop_in_sector);
	ck_assert_int_eq(p.stop_prefetch_in_sector, q.stop_prefetch_in_sector);
	ck_assert_int_eq(p.disconnect_in_seek, q.disconnect_in_seek);
	ck_assert_int_eq(p.immed_transfer_partial_hit, q.immed_transfer_partial_hit);
	ck_assert_int_eq(p.water_by_request, q.water_by_request);
	ck_assert_double_eq(p.read_water, q.read_water);
	ck_assert_double_eq(p.ovh_read_complete, q.ovh_read_complete);
	ck_assert_double_eq(p.ovh_read_disconnect[0], q.ovh_read_disconnect[0]);
	ck_assert_double_eq(p.ovh_read_disconnect[1], q.ovh_read_disconnect[1]);
	ck_assert_double_eq(p.ovh_reselect, q.ovh_reselect);
	ck_assert_double_eq(p.min_seek_delay_ms, q.min_seek_delay_ms);
	ck_assert_double_eq(p.write_disconnect_ms, q.write_disconnect_ms);
	ck_assert_double_eq(p.reselect_other_ms, q.reselect_other_ms);
	ck_assert_int_eq(p.extra_write_disconnect, q.extra_write_disconnect);
	ck_assert_double_eq(p.xdisc_command_ms, q.xdisc_command_ms);
	/* modelled parameters are not reported as ignored; the others still are */
	bool held = false;
	for (guint i = 0; i < w->len; i++) {
		const char *m = w->pdata[i];
		ck_assert_msg(!strstr(m, "Buffer continuous read") && !strstr(m, "Minimum read") &&
		                  !strstr(m, "Stop prefetch") && !strstr(m, "Immed transfer") &&
		                  !strstr(m, "Read disconnect") && !strstr(m, "First reselect") &&
		                  !strstr(m, "Set watermark") && !strstr(m, "Minimum seek delay") &&
		                  !strstr(m, "Write disconnect") && !strstr(m, "Other reselect") &&
		                  !strstr(m, "Extra write disconnect") && !strstr(m, "Extradisc"),
		              "%s", m);
		held |= strstr(m, "Hold bus entire read xfer") != NULL;
	}
	ck_assert(held);
	mech_free(a);
	mech_free(b);
	mech_params_clear(&p);
	mech_params_clear(&q);
	g_ptr_array_free(w, TRUE);
}
END_TEST

/* ---- the project's format: errors name file:line and key ---- */

static const char disk_ok[] = "[disk]\n"
                              "model = mechanical\n"
                              "rpm = 6000\n"
                              "cylinders = 20\n"
                              "surfaces = 2\n"
                              "seek = rw:1,0.5,3,0.01,10\n"
                              "sparing = 9\n"
                              "[zone 0]\n"
                              "first_cyl = 0\n"
                              "last_cyl = 9\n"
                              "sectors_per_track = 20\n"
                              "[zone 1]\n"
                              "first_cyl = 10\n"
                              "last_cyl = 19\n"
                              "sectors_per_track = 16\n"
                              "slips = 3 7\n"
                              "spares = 2\n";

static const struct {
	const char *what, *from, *to;
	int line;
	const char *key;
} disk_bad[] = {
    {"bad rw curve", "rw:1,0.5,3,0.01,10", "rw:1,2", 6, "seek"},
    {"bad seek kind", "rw:1,0.5,3,0.01,10", "curve:x", 6, "seek"},
    {"missing seek file", "rw:1,0.5,3,0.01,10", "table:none.seek", 6, "seek"},
    {"bad slips", "slips = 3 7", "slips = 7 3", 16, "slips"},
    {"bad rpm", "rpm = 6000", "rpm = fast", 3, "rpm"},
    {"zone key", "sectors_per_track = 16", "sectors = 16", 15, "sectors"},
    {"inline table", "seek = rw:1,0.5,3,0.01,10", "seek_table = 1:1 5:x", 6, "seek_table"},
    {"read-ahead mode", "sparing = 9", "readahead_mode = 5\nsparing = 9", 7, "readahead_mode"},
    {"over requested", "sparing = 9", "readahead_over_requested = -2\nsparing = 9", 7,
     "readahead_over_requested"},
};

START_TEST(test_disk_file)
{
	const char *dir = tu_tmpdir();
	const char *path = wfile(dir, "ok.disk", disk_ok);
	struct mech_params p;
	GError *e = NULL;
	ck_assert_msg(dspec_read_disk(path, &p, NULL, &e), "%s", e ? e->message : "");
	ck_assert_int_eq(p.nzones, 2);
	ck_assert_int_eq(p.zones[1].nslips, 2);
	ck_assert_int_eq(p.seek_kind, MECH_SEEK_RW);
	struct mech *m = mech_new(&p, &e);
	ck_assert_uint_eq(mech_capacity(m), 400 + 320 - 2);
	mech_free(m);
	mech_params_clear(&p);
}
END_TEST

START_TEST(test_disk_file_bad)
{
	const char *dir = tu_tmpdir();
	char *text = g_strdup(disk_ok);
	char *at = strstr(text, disk_bad[_i].from);
	ck_assert(at);
	GString *s = g_string_new_len(text, at - text);
	g_string_append(s, disk_bad[_i].to);
	g_string_append(s, at + strlen(disk_bad[_i].from));
	char *name = g_strdup_printf("bad%d.disk", _i);
	const char *path = wfile(dir, name, s->str);
	struct mech_params p;
	GError *e = NULL;
	ck_assert_msg(!dspec_read_disk(path, &p, NULL, &e), "%s accepted", disk_bad[_i].what);
	char *want = g_strdup_printf("%s:%d: ", path, disk_bad[_i].line);
	ck_assert_msg(g_str_has_prefix(e->message, want) && strstr(e->message, disk_bad[_i].key),
	              "%s: got '%s'", disk_bad[_i].what, e->message);
	g_error_free(e);
	g_free(want);
	g_free(name);
	g_string_free(s, TRUE);
	g_free(text);
}
END_TEST

/* ---- the CDF distance ---- */

START_TEST(test_cdf)
{
	double a[] = {3, 1, 2, 4}, b[] = {1, 2, 3, 4}, c[] = {1.5, 2.5, 3.5, 4.5};
	ck_assert_double_eq_tol(cdf_rms_ms(a, 4, b, 4), 0, 1e-12);
	ck_assert_double_eq_tol(cdf_rms_ms(a, 4, c, 4), 0.5, 1e-12);
	/* one sample constant: distance to a uniform 0..1 grid is the RMS of (p - k) */
	double u[1001], k[1] = {0.5};
	for (int i = 0; i <= 1000; i++)
		u[i] = i / 1000.0;
	double s = 0;
	for (int i = 1; i <= 10000; i++)
		s += (i / 10000.0 - 0.5) * (i / 10000.0 - 0.5);
	ck_assert_double_eq_tol(cdf_rms_ms(u, 1001, k, 1), sqrt(s / 10000), 1e-9);
	ck_assert(isnan(cdf_rms_ms(a, 0, b, 4)));
	double x[] = {0, 10};
	ck_assert_double_eq_tol(cdf_quantile(x, 2, 0.25), 2.5, 1e-12);
}
END_TEST

Suite *
suite_diskspec(void)
{
	Suite *s = suite_create("diskspec");
	TCase *tc = tcase_create("diskspecs");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_spec_ok);
	tcase_add_loop_test(tc, test_spec_bad, 0, G_N_ELEMENTS(bad));
	tcase_add_loop_test(tc, test_drives_read, 0, G_N_ELEMENTS(drives));
	suite_add_tcase(s, tc);
	tc = tcase_create("parv");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_parv_ok);
	tcase_add_test(tc, test_ignored_printed);
	tcase_add_loop_test(tc, test_parv_bad, 0, G_N_ELEMENTS(parv_bad));
	tcase_add_loop_test(tc, test_parv_drives, 0, 2);
	suite_add_tcase(s, tc);
	tc = tcase_create("disk file");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_disk_file);
	tcase_add_loop_test(tc, test_disk_file_bad, 0, G_N_ELEMENTS(disk_bad));
	tcase_add_test(tc, test_cdf);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_trace.c -- the trace readers (trace.c): each format's fields and units, what each
 * skips, every malformed line named FILE:LINE and the field; raw replays of the new formats
 * through `vnodesim replay`; traces replayed through the file system (read_iolog=), the
 * MQSim TPC-C trace through the whole stack.
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/scenario.h"
#include "sim/trace.h"
#include "tests/testutil.h"

static GArray *
read_ok(const char *fmt, const char *text, int devno)
{
	GError *e = NULL;
	GArray *a = tr_read(tu_write("t.trace", text), tr_format_find(fmt), devno, 0, &e);
	ck_assert_msg(a, "%s: %s", fmt, e ? e->message : "");
	return a;
}

#define REC(a, i) (&g_array_index((a), struct tr_rec, (i)))

START_TEST(test_spc)
{
	GArray *a = read_ok("spc",
	                    "0,303567,3584,w,0.000000\n1,20941264,8192,R,0.551706\n"
	                    "# a comment\n\n0,10,512,r,1.5,extra,fields\n",
	                    -1);
	ck_assert_int_eq(a->len, 3);
	ck_assert(REC(a, 0)->write && REC(a, 0)->lbn == 303567 && REC(a, 0)->nsect == 7);
	ck_assert(REC(a, 0)->off == 303567ull * 512 && REC(a, 0)->len == 3584);
	ck_assert(!REC(a, 1)->write && REC(a, 1)->devno == 1 && REC(a, 1)->nsect == 16);
	ck_assert(fabs(REC(a, 1)->t - 0.551706) < 1e-12 && REC(a, 2)->line == 5);
	g_array_free(a, TRUE);
	a = read_ok("spc", "0,1,512,r,0\n1,2,512,r,0\n0,3,512,w,0\n", 0); /* --devno = ASU */
	ck_assert_int_eq(a->len, 2);
	g_array_free(a, TRUE);
}
END_TEST

static const char blk_text[] =
    "  8,0    3        1     0.000000000   697  Q   W 223490 + 8 [kjournald]\n"
    "  8,0    3        2     0.000001000   697  G   W 223490 + 8 [kjournald]\n"
    "  8,0    3        0     0.000002000     0  m   N cfq workload slice:100\n"
    "  8,0    1        3     0.000500000  4004  Q   R 1234 + 16 [fio worker 1]\n"
    "  8,0    1        4     0.000600000  4004  Q  FWS 0 + 0 [fio]\n"
    "  8,16   0        5     0.010000000  4004  Q  RA 5000 + 16 [fio]\n"
    "  8,0    1        6     0.002000000     0  C   R 1234 + 16 [0]\n"
    "  8,0    1        7     0.003000000     0  D   W 99 + 8 [fio]\n"
    "CPU0 (8,0):\n"
    " Reads Queued:           1,        8KiB\t Writes Queued:           1,        4KiB\n"
    "Total (8,0):\n"
    "Throughput (R/W): 0KiB/s / 0KiB/s\n";

START_TEST(test_blkparse)
{
	/* queue events are the requests; other events and the summary are skipped; the empty
	 * flush "Q FWS 0 + 0" is a sync (a device cache flush) */
	GArray *a = read_ok("blkparse", blk_text, -1);
	ck_assert_int_eq(a->len, 4);
	ck_assert(REC(a, 0)->write && REC(a, 0)->lbn == 223490 && REC(a, 0)->nsect == 8);
	ck_assert(!REC(a, 1)->write && REC(a, 1)->lbn == 1234 && REC(a, 1)->t == 0.0005);
	ck_assert(REC(a, 2)->kind == TR_SYNC && REC(a, 2)->nsect == 0 && REC(a, 2)->preflush);
	ck_assert(REC(a, 3)->devno == 8 * 256 + 16 && REC(a, 3)->nsect == 16);
	g_array_free(a, TRUE);
	a = read_ok("blkparse", blk_text, 8 * 256 + 16); /* --devno = major * 256 + minor */
	ck_assert_int_eq(a->len, 1);
	g_array_free(a, TRUE);
	/* a trace of completions only: the completions are the requests */
	a = read_ok("blkparse",
	            "  8,0  1  1  0.5  0  C  W 100 + 8 [0]\n"
	            "  8,0  1  2  0.7  0  C  R 200 + 16 [0]\n",
	            -1);
	ck_assert(a->len == 2 && REC(a, 0)->write && REC(a, 1)->t == 0.7);
	g_array_free(a, TRUE);
}
END_TEST

/* Every event blkparse prints and every RWBS flag (blkparse's fill_rwbs: [F]{W|D|R|N}[F][A]
 * [S][M]; the kernel also prints E, secure erase).  Requests with data are reads or writes;
 * an empty flush (F with no data: "Q FWS [jbd2]", "D FN") is a sync; discards, secure
 * erases, empty requests without a flush ("C WS 0 [0]", "Q WS 100 + 0") are skipped. */
static const char blk_all[] =
    "  8,0  0  1 0.000000000  10  Q  FWS [jbd2/sda1-8]\n" /* 1 sync at Q */
    "  8,0  0  2 0.000001000  10  G  FWS [jbd2/sda1-8]\n"
    "  8,0  0  3 0.000002000  10  I  FWS [jbd2/sda1-8]\n"
    "  8,0  0  4 0.000003000  10  D  FN [jbd2/sda1-8]\n"    /* 1 sync at D */
    "  8,0  0  5 0.000004000   0  C  WS 0 [0]\n"            /* completion, no data */
    "  8,0  0  6 0.000010000  11  Q FWFSM 100 + 8 [jbd2]\n" /* 2 write, preflush+FUA */
    "  8,0  0  7 0.000011000  11  M  WSM 108 + 8 [jbd2]\n"
    "  8,0  0  8 0.000012000  11  F  WS 92 + 8 [jbd2]\n"
    "  8,0  0  9 0.000013000  11  P   N [fio]\n"
    "  8,0  0 10 0.000014000  11  U   N [fio] 1\n"
    "  8,0  0 11 0.000015000  11 UT   N [fio] 1\n"
    "  8,0  0 12 0.000016000  11  X  WS 100 / 104 [fio]\n"
    "  8,0  0 13 0.000017000  11  A  WS 100 + 8 <- (8,1) 36 [fio]\n"
    "  8,0  0 14 0.000018000  11  S  R 200 + 8 [fio]\n"
    "  8,0  0 15 0.000019000  11  B  R 200 + 8 [fio]\n"
    "  8,0  0 16 0.000020000  11  T   N [fio] 1\n"
    "  8,0  0  0 0.000021000   0  m   N cfq11 slice expired\n"
    "  8,0  1 17 0.000030000  12  Q  RA 300 + 16 [fio]\n"    /* 3 readahead read */
    "  8,0  1 18 0.000031000  12  Q RSM 400 + 8 [fio]\n"     /* 4 read */
    "  8,0  1 19 0.000032000  12  Q  DS 500 + 64 [fstrim]\n" /* discard: skipped */
    "  8,0  1 20 0.000033000  12  Q   E 600 + 8 [x]\n"       /* secure erase: skipped */
    "  8,0  1 21 0.000034000  12  Q  WS 700 + 0 [x]\n"       /* zero-length: skipped */
    "  8,0  1 22 0.000035000  12  Q   N [x]\n"               /* no data: skipped */
    "  8,0  1 23 0.000036000  12  Q  WF 800 + 8 [x]\n"       /* 5 write, FUA only */
    "  8,0  1 24 0.000037000  12  R  RA 300 + 16 [0]\n"      /* requeue */
    "  8,0  1 25 0.000040000  12  D  RA 300 + 16 [fio]\n"    /* D: read */
    "  8,0  1 26 0.000041000  12  D FWFSM 100 + 8 [fio]\n"   /* D: write */
    "  8,0  1 27 0.000050000   0  C  RA 300 + 16 [0]\n";

START_TEST(test_blkparse_all_events)
{
	GArray *a = read_ok("blkparse", blk_all, -1);
	ck_assert_int_eq(a->len, 5); /* the five numbered Q lines above */
	ck_assert(REC(a, 0)->kind == TR_SYNC && REC(a, 0)->preflush && REC(a, 0)->line == 1);
	ck_assert(REC(a, 1)->write && REC(a, 1)->preflush && REC(a, 1)->fua &&
	          REC(a, 1)->lbn == 100 && REC(a, 1)->nsect == 8 && REC(a, 1)->t == 10e-6);
	ck_assert(!REC(a, 2)->write && REC(a, 2)->lbn == 300 && REC(a, 2)->nsect == 16);
	ck_assert(!REC(a, 3)->write && REC(a, 3)->lbn == 400);
	ck_assert(REC(a, 4)->write && REC(a, 4)->fua && !REC(a, 4)->preflush);
	g_array_free(a, TRUE);
	/* arriving at dispatch: the D lines (the flush, the read, the write) */
	GError *e = NULL;
	a = tr_read_at(tu_write("t.trace", blk_all), tr_format_find("blkparse"), -1, 0, 'D', &e);
	ck_assert_msg(a, "%s", e ? e->message : "");
	ck_assert_int_eq(a->len, 3);
	ck_assert(REC(a, 0)->kind == TR_SYNC && REC(a, 0)->t == 3e-6);
	ck_assert(!REC(a, 1)->write && REC(a, 1)->t == 40e-6);
	ck_assert(REC(a, 2)->write && REC(a, 2)->lbn == 100 && REC(a, 2)->t == 41e-6);
	g_array_free(a, TRUE);
}
END_TEST

/* A record of blktrace's struct blk_io_trace (blktrace_api.h, version 7; 48 bytes: magic,
 * sequence, time ns, sector, bytes, action, pid, device, cpu u32, error u16, pdu_len u16),
 * then PDU bytes of payload, in either byte order.  This generator is written from the
 * documented layout (synthetic input); the recorded trace below is the real one. */
static void
bt_put(GByteArray *b, bool be, uint32_t magic, uint64_t ns, uint64_t sector, uint32_t bytes,
       uint32_t action, uint32_t dev, uint32_t cpu, uint16_t pdu)
{
	uint8_t r[48] = {0};
	const struct {
		int off, len;
		uint64_t v;
	} f[] = {{0, 4, magic},   {4, 4, 0},   {8, 8, ns},   {16, 8, sector}, {24, 4, bytes},
	         {28, 4, action}, {32, 4, 42}, {36, 4, dev}, {40, 4, cpu},    {46, 2, pdu}};
	for (size_t i = 0; i < G_N_ELEMENTS(f); i++)
		for (int k = 0; k < f[i].len; k++)
			r[f[i].off + (be ? f[i].len - 1 - k : k)] = (uint8_t)(f[i].v >> (8 * k));
	g_byte_array_append(b, r, sizeof r);
	for (uint16_t k = 0; k < pdu; k++)
		g_byte_array_append(b, (const uint8_t *)"\x01", 1);
}

#define BT_MAGIC7 0x65617407u
#define BT_DEV(maj, min) (((uint32_t)(maj) << 20) | (min))
/* action = category bits << 16 | action code: Q 1, D (issue) 7, C 8, P (plug) 9 */
#define BT_ACT(cat, code) (((uint32_t)(cat) << 16) | (code))

static const char *
bt_write(const char *name, GByteArray *b)
{
	char *p = g_build_filename(tu_tmpdir(), name, NULL);
	ck_assert(g_file_set_contents(p, (const char *)b->data, b->len, NULL));
	static char keep[4096];
	g_strlcpy(keep, p, sizeof keep);
	g_free(p);
	return keep;
}

START_TEST(test_blktrace_synthetic)
{
	/* CPU 0 (little-endian): a write Q at 1000 ns, a plug with a 4-byte payload, a notify
	 * (category bit 10), a read Q at 5000 ns; CPU 1 (big-endian): a read Q at 3000 ns,
	 * an empty flush Q (category FLUSH, 0 bytes) at 4000 ns, a discard Q (bit 13) */
	GByteArray *c0 = g_byte_array_new(), *c1 = g_byte_array_new();
	bt_put(c0, false, BT_MAGIC7, 1000, 64, 4096, BT_ACT(0x0002 | 0x8000 | 0x0004, 1),
	       BT_DEV(8, 16), 0, 0);
	bt_put(c0, false, BT_MAGIC7, 1100, 0, 0, BT_ACT(0x0010, 9), BT_DEV(8, 16), 0, 4);
	bt_put(c0, false, BT_MAGIC7, 1200, 0, 0, BT_ACT(0x0400, 0), BT_DEV(8, 16), 0, 5);
	bt_put(c0, false, BT_MAGIC7, 5000, 128, 512, BT_ACT(0x0001, 1), BT_DEV(8, 16), 0, 0);
	bt_put(c1, true, BT_MAGIC7, 3000, 8, 1024, BT_ACT(0x0001 | 0x0800, 1), BT_DEV(8, 0), 1, 0);
	bt_put(c1, true, BT_MAGIC7, 4000, 0, 0, BT_ACT(0x0002 | 0x0004, 1), BT_DEV(8, 0), 1, 0);
	bt_put(c1, true, BT_MAGIC7, 4500, 256, 65536, BT_ACT(0x2000, 1), BT_DEV(8, 0), 1, 0);
	bt_write("syn.blktrace.0", c0);
	const char *p1 = bt_write("syn.blktrace.1", c1);
	char *base = g_strndup(p1, strlen(p1) - strlen(".blktrace.1"));
	GError *e = NULL;
	GArray *a = tr_read(base, tr_format_find("blktrace"), -1, 0, &e);
	ck_assert_msg(a, "%s", e ? e->message : "");
	/* merged by time: 1000 (W), 3000 (R), 4000 (sync), 5000 (R); times from the first
	 * event (1000 ns); devno = major * 256 + minor */
	ck_assert_int_eq(a->len, 4);
	ck_assert(REC(a, 0)->write && REC(a, 0)->preflush && REC(a, 0)->fua);
	ck_assert(REC(a, 0)->lbn == 64 && REC(a, 0)->nsect == 8 && REC(a, 0)->t == 0);
	ck_assert(REC(a, 0)->devno == 8 * 256 + 16);
	ck_assert(!REC(a, 1)->write && REC(a, 1)->nsect == 2 && REC(a, 1)->devno == 8 * 256);
	ck_assert(fabs(REC(a, 1)->t - 2000e-9) < 1e-15);
	ck_assert(REC(a, 2)->kind == TR_SYNC && REC(a, 2)->preflush);
	ck_assert(!REC(a, 3)->write && REC(a, 3)->lbn == 128 && REC(a, 3)->nsect == 1);
	ck_assert(REC(a, 3)->line == 4); /* record 4 of its file */
	g_array_free(a, TRUE);
	/* one per-CPU file by its own name */
	a = tr_read(p1, tr_format_find("blktrace"), -1, 0, &e);
	ck_assert(a && a->len == 2);
	g_array_free(a, TRUE);
	/* bad input: file and record number */
	static const struct {
		int cut; /* bytes of c0 kept (-1: all) */
		uint32_t magic;
		uint64_t ns;
		uint16_t pdu;
		const char *want;
	} bad[] = {
	    {-1, 0x12345678u, 6000, 0, "syn.blktrace.0: record 5 (byte 201): magic"},
	    {-1, BT_MAGIC7, 6000, 9, "syn.blktrace.0: record 5 (byte 201): pdu_len: 9"},
	    {-1, BT_MAGIC7, 4000, 0, "syn.blktrace.0: record 5: time"},
	    {-1, 0x65617408u, 6000, 0, "syn.blktrace.0: record 5: version: 8"},
	    {120, 0, 0, 0, "syn.blktrace.0: record 3 (byte 100): truncated: 20 of the 48"},
	};
	/* c0: records at bytes 0, 48, 100 (48 + 4 of payload), 153 (48 + 5); 201 bytes */
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		GByteArray *b = g_byte_array_new();
		g_byte_array_append(b, c0->data, bad[i].cut < 0 ? c0->len : (guint)bad[i].cut);
		if (bad[i].cut < 0) {
			bt_put(b, false, bad[i].magic, bad[i].ns, 0, 512, BT_ACT(1, 1),
			       BT_DEV(8, 16), 0, 0);
			if (bad[i].pdu) /* claims 9 bytes of payload, has 0 */
				b->data[b->len - 2] = (uint8_t)bad[i].pdu;
		}
		bt_write("syn.blktrace.0", b);
		ck_assert_msg(!tr_read(base, tr_format_find("blktrace"), -1, 0, &e), "case %zu", i);
		ck_assert_msg(strstr(e->message, bad[i].want), "case %zu: %s", i, e->message);
		g_clear_error(&e);
		g_byte_array_free(b, TRUE);
	}
	g_free(base);
	g_byte_array_free(c0, TRUE);
	g_byte_array_free(c1, TRUE);
}
END_TEST

/* The trace recorded by tests/traces/record-blktrace.sh (tests/traces/README.md): the binary
 * per-CPU files and blkparse's text of them give the same requests, record by record.  209
 * is the count of Q events with data (R or W, not D, nsect > 0) in the text, by awk, and
 * one empty flush is queued ("Q FWS [(null)]", line 265 of CPU 0); at dispatch, 167 D events
 * with data and 35 empty flushes ("D FN"), counted the same way. */
static void
recorded_same(const char *name, char arrival, guint want, guint want_sync)
{
	GError *e = NULL;
	char *base = g_build_filename("tests", "traces", name, NULL);
	char *text = g_strconcat(base, ".blkparse", NULL);
	GArray *b = tr_read_at(base, tr_format_find("blktrace"), -1, 0, arrival, &e);
	ck_assert_msg(b, "%s", e ? e->message : "");
	GArray *t = tr_read_at(text, tr_format_find("blkparse"), -1, 0, arrival, &e);
	ck_assert_msg(t, "%s", e ? e->message : "");
	ck_assert_int_eq(b->len, t->len);
	guint data = 0, sync = 0;
	for (guint i = 0; i < b->len; i++) {
		const struct tr_rec *x = REC(b, i), *y = REC(t, i);
		ck_assert_msg(x->kind == y->kind && x->lbn == y->lbn && x->nsect == y->nsect &&
		                  x->devno == y->devno && x->preflush == y->preflush &&
		                  x->fua == y->fua && fabs(x->t - y->t) < 1e-9,
		              "%s: request %u differs (text line %u)", name, i, y->line);
		data += x->nsect > 0;
		sync += x->kind == TR_SYNC;
	}
	if (want) {
		ck_assert_int_eq(data, want);
		ck_assert_int_eq(sync, want_sync);
	}
	g_array_free(b, TRUE);
	g_array_free(t, TRUE);
	g_free(text);
	g_free(base);
}

START_TEST(test_blktrace_recorded)
{
	recorded_same("ext4-fio", 'Q', 209, 1);
	recorded_same("ext4-fio", 'D', 167, 35);
}
END_TEST

/* The recorded blktrace through the file system: read_iolog= the trace's NAME (its per-CPU
 * files), arriving at dispatch: the 167 D events with data are the operations (the 35 empty
 * flushes become fsyncs, not operations); a bad trace_arrival names the key. */
START_TEST(test_blktrace_fs_replay)
{
	char *cwd = g_get_current_dir();
	char *base = g_build_filename(cwd, "tests", "traces", "ext4-fio", NULL);
	g_free(cwd);
	char *ini = g_strdup_printf("[disk]\nmodel=ssd\n[rep]\nfilename=data\nread_iolog=%s\n"
	                            "trace_format=blktrace\ntrace_arrival=dispatch\n",
	                            base);
	const char *sc = tu_write("bt.ini", ini);
	char *dir = g_build_filename(tu_tmpdir(), "btfs", NULL), *out;
	int st = tu_sh(&out, "%s run %s -q --policy serial --out %s", tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	ck_assert_msg(tu_summary_field(dir, "serial", "rep", "ops") == 167, "%s", out);
	g_free(out);
	g_free(ini);
	ini = g_strdup_printf("[rep]\nfilename=data\nread_iolog=%s\ntrace_format=blktrace\n"
	                      "trace_arrival=issue\n",
	                      base);
	sc = tu_write("bt.ini", ini);
	st = tu_sh(&out, "%s check %s", tu_prog(), sc);
	ck_assert_msg(st == 2 && strstr(out, "bt.ini:5: [rep] trace_arrival"), "exit %d: %s", st,
	              out);
	g_free(out);
	g_free(ini);
	g_free(dir);
	g_free(base);
}
END_TEST

/* make validate: record a new trace here (root, debugfs, a loop device) and read it */
START_TEST(test_blktrace_live)
{
	if (!tu_validate("blktrace_live"))
		return;
	char *dir = g_build_filename(tu_tmpdir(), "live", NULL), *out;
	int st = tu_sh(&out, "tests/traces/record-blktrace.sh %s live 2>&1", dir);
	if (st == 77) {
		printf("SKIP: blktrace_live (%s)\n", g_strstrip(out));
	} else {
		ck_assert_msg(st == 0, "record-blktrace.sh: exit %d: %s", st, out);
		char *base = g_build_filename(dir, "live", NULL);
		char *text = g_strconcat(base, ".blkparse", NULL);
		GError *e = NULL;
		GArray *b = tr_read(base, tr_format_find("blktrace"), -1, 0, &e);
		ck_assert_msg(b, "%s", e ? e->message : "");
		GArray *t = tr_read(text, tr_format_find("blkparse"), -1, 0, &e);
		ck_assert_msg(t && t->len == b->len && b->len > 50, "%s",
		              e ? e->message : "counts differ");
		g_array_free(b, TRUE);
		g_array_free(t, TRUE);
		g_free(text);
		g_free(base);
	}
	g_free(out);
	g_free(dir);
}
END_TEST

START_TEST(test_iolog)
{
	/* v2: waits add up (microseconds, below 100 ignored); syncs are records without data;
	 * trims and file actions are skipped; offsets in bytes */
	GArray *a = read_ok("iolog",
	                    "fio version 2 iolog\n/dev/x add\n/dev/y add\n"
	                    "/dev/x open\n/dev/x read 0 4096\n/dev/x wait 500 0\n"
	                    "/dev/x wait 50 0\n/dev/y write 4097 8192\n/dev/x sync 0 0\n"
	                    "/dev/x trim 0 4096\n/dev/x wait 1000 0\n/dev/x datasync 0 0\n"
	                    "/dev/x close\n",
	                    -1);
	ck_assert_int_eq(a->len, 4);
	ck_assert(REC(a, 0)->kind == TR_READ && REC(a, 0)->t == 0 && REC(a, 0)->len == 4096);
	ck_assert(REC(a, 1)->kind == TR_WRITE && fabs(REC(a, 1)->t - 500e-6) < 1e-12);
	ck_assert(REC(a, 1)->off == 4097 && REC(a, 1)->lbn == 8 && REC(a, 1)->nsect == 17);
	ck_assert(REC(a, 1)->devno == 1);
	ck_assert(REC(a, 2)->kind == TR_SYNC && REC(a, 2)->nsect == 0);
	ck_assert(REC(a, 3)->kind == TR_DATASYNC && fabs(REC(a, 3)->t - 1500e-6) < 1e-12);
	g_array_free(a, TRUE);
	/* v3: timestamps in microseconds from the start */
	static const char v3[] = "fio version 3 iolog\n0 f add\n1 f open\n10 f read 0 4096\n"
	                         "2500 f write 8192 4096\n3000 f close\n";
	a = read_ok("iolog3", v3, -1);
	ck_assert(a->len == 2 && fabs(REC(a, 0)->t - 10e-6) < 1e-15 &&
	          fabs(REC(a, 1)->t - 2500e-6) < 1e-15);
	g_array_free(a, TRUE);
	a = read_ok("iolog", v3, -1);
	ck_assert_int_eq(a->len, 2);
	g_array_free(a, TRUE);
	ck_assert(tr_format_find("iolog2") && !tr_format_find("iolog4"));
	ck_assert(strstr(tr_format_names(), "spc") && strstr(tr_format_names(), "blkparse"));
}
END_TEST

/* every malformed line: FILE:LINE and the field */
static const struct {
	const char *fmt, *text, *want;
} bad[] = {
    {"spc", "0,1,512,r,0\n0,1,512,x,0\n", ":2: opcode"},
    {"spc", "0,1,0,r,0\n", ":1: size"},
    {"spc", "0,1,512\n", ":1: expected at least 5"},
    {"spc", "0,-1,512,r,0\n", ":1: LBA"},
    {"spc", "a,1,512,r,0\n", ":1: ASU"},
    {"spc", "0,1,512,r,later\n", ":1: timestamp"},
    {"blkparse", "  8,0  1  1  0.5  0  Q  W 100 8 [x]\n", ":1: expected '+'"},
    {"blkparse", "  8,0  1  1  0.5  0  Q  W x + 8 [x]\n", ":1: sector"},
    {"blkparse", "  8,0  1  1  0.5  0  Q  W 1 + y [x]\n", ":1: nsect"},
    {"blkparse", "  8,0  1  1  -0.5  0  Q  W 1 + 8 [x]\n", ":1: time"},
    {"blkparse", "  8,0  1  1  0.5  0  Q  Z 1 + 8 [x]\n", ":1: rwbs"},
    {"blkparse", "  8,0  1  1  0.5  0  Q\n", ":1: expected 'rwbs"},
    {"blkparse", "hello world\n", ":1: expected 'maj,min"},
    {"blkparse", "hello world 1 2 3 4 5 6\n", ":1: device major"},
    {"blkparse", "  8,0  1  1  0.5  0  QQQ  W 1 + 8\n", ":1: action"},
    {"iolog", "fio version 1 iolog\n", ":1: header"},
    {"iolog", "0 1 4096\n", ":1: header"},
    {"iolog", "", "header"},
    {"iolog", "fio version 2 iolog\nf add\nf read 0\n", ":3: expected"},
    {"iolog", "fio version 2 iolog\nf add\nf read x 4096\n", ":3: offset"},
    {"iolog", "fio version 2 iolog\nf add\nf read 0 0\n", ":3: length"},
    {"iolog", "fio version 2 iolog\nf add\nf frob 0 10\n", ":3: action"},
    {"iolog", "fio version 2 iolog\ng read 0 10\n", ":2: file"},
    {"iolog", "fio version 2 iolog\nf add\nf explode\n", ":3: action"},
    {"iolog", "fio version 3 iolog\n0 f add\n5 f wait 10 0\n", ":3: action"},
    {"iolog", "fio version 3 iolog\n0 f add\nx f read 0 10\n", ":3: timestamp"},
    {"iolog2", "fio version 3 iolog\n", ":1: header"},
    {"mqsim", "0 0 100 8 1\n1 0 100 8 1 9\n", ":2: expected 5"},
};

START_TEST(test_malformed)
{
	GError *e = NULL;
	const char *path = tu_write("bad.trace", bad[_i].text);
	GArray *a = tr_read(path, tr_format_find(bad[_i].fmt), -1, 0, &e);
	ck_assert_msg(!a, "case %d loaded", _i);
	ck_assert_msg(g_str_has_prefix(e->message, path) && strstr(e->message, bad[_i].want),
	              "case %d: %s", _i, e->message);
	g_error_free(e);
	/* the command line: exit 2 and the same message */
	char *disk = g_strdup(tu_write("d.disk", "[disk]\nmodel=simple\ncapacity_gb=1\n")), *out;
	path = tu_write("bad.trace", bad[_i].text);
	int st = tu_sh(&out, "%s replay %s --format %s --disk %s --out %s/x -q", tu_prog(), path,
	               bad[_i].fmt, disk, tu_tmpdir());
	ck_assert_msg(st == 2 && strstr(out, bad[_i].want), "case %d: exit %d: %s", _i, st, out);
	g_free(out);
	g_free(disk);
}
END_TEST

/* Times are bounded by SCN_MAX_SECONDS (90 days) inclusive, and the clock still resolves a
 * request's costs there: a request at the bound takes exactly as long as one at 0 (the
 * closed form: the same read on an idle SSD, so the two latencies are equal); equal arrival
 * times are not "backwards". */
START_TEST(test_time_bound)
{
	GArray *a = read_ok("ascii", "0 0 0 8 1\n0 0 8 8 1\n7776000000 0 16 8 1\n", -1);
	ck_assert_int_eq(a->len, 3);
	ck_assert(REC(a, 2)->t == SCN_MAX_SECONDS);
	g_array_free(a, TRUE);
	GError *e = NULL;
	const char *path = tu_write("past.trace", "0 0 0 8 1\n7776000000.001 0 16 8 1\n");
	ck_assert(!tr_read(path, tr_format_find("ascii"), -1, 0, &e));
	ck_assert_msg(strstr(e->message, "past.trace:2: time_ms:"), "%s", e->message);
	g_clear_error(&e);
	char *edge = g_strdup(tu_write("edge.trace", "0 0 0 8 1\n7776000000 0 16 8 1\n"));
	char *disk = g_strdup(tu_write("d.disk", "[disk]\nmodel=ssd\nread_us=80\n")), *out;
	char *dir = g_build_filename(tu_tmpdir(), "edge", NULL);
	int st = tu_sh(&out, "%s replay %s --format ascii --disk %s --out %s -q", tu_prog(), edge,
	               disk, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	double mean = tu_summary_field(dir, "raw", "edge", "lat_mean_us");
	double max = tu_summary_field(dir, "raw", "edge", "lat_max_us");
	ck_assert_msg(mean == max && mean > 80, "mean %g max %g", mean, max);
	g_free(out);
	g_free(dir);
	g_free(disk);
	g_free(edge);
}
END_TEST

static char *
slurp(const char *dir, const char *file)
{
	char *p = g_build_filename(dir, file, NULL), *text = NULL;
	g_file_get_contents(p, &text, NULL, NULL);
	g_free(p);
	return text;
}

START_TEST(test_raw_replays)
{
	/* the new formats through `vnodesim replay` on a 1 ms device */
	char *disk = g_strdup(tu_write("d.disk", "[disk]\nmodel=simple\nservice_us=1000\n"
	                                         "capacity_gb=1\n"));
	static const struct {
		const char *fmt, *text;
		int n;
	} c[] = {
	    {"spc", "0,100,4096,r,0.0\n0,200,4096,W,0.0005\n1,300,4096,r,0.01\n", 3},
	    {"blkparse", blk_text, 3},
	    {"iolog",
	     "fio version 2 iolog\nf add\nf read 0 4096\nf wait 500 0\n"
	     "f write 4096 4096\nf sync 0 0\n",
	     2},
	    {"iolog3", "fio version 3 iolog\n0 f add\n0 f read 0 4096\n500 f write 4096 4096\n", 2},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		const char *tr = tu_write("r.trace", c[i].text);
		char *dir = g_strdup_printf("%s/raw%zu", tu_tmpdir(), i), *out;
		int st = tu_sh(&out, "%s replay %s --format %s --disk %s --out %s -q", tu_prog(),
		               tr, c[i].fmt, disk, dir);
		ck_assert_msg(st == 0, "%s: exit %d: %s", c[i].fmt, st, out);
		char *sum = slurp(dir, "summary.csv");
		char *want = g_strdup_printf(",all,%d,", c[i].n);
		ck_assert_msg(sum && strstr(sum, want), "%s: %s", c[i].fmt, sum);
		/* the second request comes 0.5 ms after the first and waits 0.5 ms */
		char *req = slurp(dir, "requests.csv");
		ck_assert_msg(i == 1 || strstr(req, ",500.000,0.000,0.000,1000.000"), "%s: %s",
		              c[i].fmt, req);
		g_free(req);
		g_free(want);
		g_free(sum);
		g_free(out);
		g_free(dir);
	}
	g_free(disk);
}
END_TEST

START_TEST(test_fs_replay)
{
	/* read_iolog=: the trace's byte offsets in the job's file, through the file system;
	 * syncs become fsyncs; replay_time_scale=200 halves the times */
	const char *tr = tu_write("fs.log", "fio version 3 iolog\n0 /dev/sdb add\n"
	                                    "1000 /dev/sdb write 0 8192\n"
	                                    "2000 /dev/sdb read 4096 4096\n"
	                                    "3000 /dev/sdb sync 0 0\n"
	                                    "4000 /dev/sdb write 1048576 512\n");
	char *sc = g_strdup_printf("[replay]\nfilename=db\nread_iolog=%s\nreplay_time_scale=200\n"
	                           "ioengine=libaio\niodepth=4\ndirect=1\n",
	                           tr);
	const char *path = tu_write("fsr.ini", sc);
	char *dir = g_strdup_printf("%s/fsr", tu_tmpdir()), *out;
	int st = tu_sh(&out, "%s run %s -q --out %s --requests --policy extent-tree", tu_prog(),
	               path, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	char *sum = slurp(dir, "summary.csv");
	ck_assert_msg(strstr(sum, ",replay,3,"), "%s", sum);
	char *req = slurp(dir, "extent-tree/requests.csv");
	ck_assert_msg(strstr(req, ",replay,write,direct,0,8192,0.000500000,"), "%s", req);
	ck_assert_msg(strstr(req, ",replay,read,direct,4096,4096,0.001000000,"), "%s", req);
	/* 512 bytes at 1 MiB: sector-aligned direct I/O, the file is 1 MiB + 512 */
	ck_assert_msg(strstr(req, ",replay,write,direct,1048576,512,0.002000000,"), "%s", req);
	char *json = slurp(dir, "extent-tree/result.json");
	ck_assert_msg(strstr(json, "\"fsyncs\" : 1"), "%s", json);
	g_free(json);
	g_free(req);
	g_free(sum);
	g_free(out);
	g_free(dir);
	g_free(sc);
}
END_TEST

START_TEST(test_tpcc_whole_stack)
{
	/* MQSim's TPC-C trace (16 devices, 6,999 requests) as offsets in one file, scaled
	 * down 128x so the file is 1.8 GB, direct through every layer */
	const char *tr = tu_data("tpcc through the stack", "traces/mqsim_tpcc-small.trace");
	if (!tr)
		return;
	char *sc = g_strdup_printf("[tpcc]\nfilename=tpcc.db\nread_iolog=%s\ntrace_format=mqsim\n"
	                           "replay_scale=128\nreplay_align=4096\nioengine=libaio\n"
	                           "iodepth=32\ndirect=1\n",
	                           tr);
	const char *path = tu_write("tpcc.ini", sc);
	char *dir = g_strdup_printf("%s/tpcc", tu_tmpdir()), *out;
	int st =
	    tu_sh(&out, "%s run %s -q --out %s --policy serial,range-color", tu_prog(), path, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	char *sum = slurp(dir, "summary.csv");
	ck_assert_msg(strstr(sum, "tpcc,serial,1,tpcc,6999,") &&
	                  strstr(sum, "tpcc,range-color,1,tpcc,6999,"),
	              "%s", sum);
	char *json = slurp(dir, "range-color/result.json");
	ck_assert(strstr(json, "\"conservation\" : true"));
	g_free(json);
	/* --set trace_devno: one device of the sixteen */
	char *dir2 = g_strdup_printf("%s/tpcc4", tu_tmpdir());
	g_free(out);
	st = tu_sh(&out, "%s run %s -q --out %s --policy serial --set tpcc.trace_devno=4",
	           tu_prog(), path, dir2);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	char *sum2 = slurp(dir2, "summary.csv");
	ck_assert_msg(!strstr(sum2, ",tpcc,6999,") && strstr(sum2, ",tpcc,"), "%s", sum2);
	g_free(sum2);
	g_free(dir2);
	g_free(sum);
	g_free(out);
	g_free(dir);
	g_free(sc);
}
END_TEST

Suite *
suite_trace(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("readers");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_spc);
	tcase_add_test(tc, test_blkparse);
	tcase_add_test(tc, test_blkparse_all_events);
	tcase_add_test(tc, test_blktrace_synthetic);
	tcase_add_test(tc, test_blktrace_recorded);
	tcase_add_test(tc, test_iolog);
	tcase_add_loop_test(tc, test_malformed, 0, G_N_ELEMENTS(bad));
	tcase_add_test(tc, test_time_bound);
	suite_add_tcase(s, tc);
	tc = tcase_create("replays");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_raw_replays);
	tcase_add_test(tc, test_fs_replay);
	tcase_add_test(tc, test_tpcc_whole_stack);
	tcase_add_test(tc, test_blktrace_fs_replay);
	tcase_add_test(tc, test_blktrace_live);
	suite_add_tcase(s, tc);
	return s;
}

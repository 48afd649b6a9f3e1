/* test_scenario.c -- the scenario loader: normalisation, line numbers, [global], --set, sizes. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "sim/scenario.h"
#include "tests/testutil.h"

/* Write LEN bytes of DATA to a fresh file NAME in the test's temporary directory. */
static char *
put_file(const char *name, const char *data, gssize len)
{
	char *path = g_build_filename(tu_tmpdir(), name, NULL);
	GError *e = NULL;
	if (!g_file_set_contents(path, data, len < 0 ? (gssize)strlen(data) : len, &e))
		ck_abort_msg("cannot write %s: %s", path, e->message);
	return path;
}

static struct scn *
load_text(const char *name, const char *text, enum scn_mode mode, GError **err)
{
	char *path = put_file(name, text, -1);
	struct scn *s = scn_load(path, mode, err);
	g_free(path);
	return s;
}

/* Load TEXT, which must fail with a message starting with "<tmpdir>/NAME:" + WANT. */
static void
expect_error(const char *name, const char *text, gssize len, enum scn_mode mode, const char *want)
{
	char *path = put_file(name, text, len);
	GError *e = NULL;
	struct scn *s = scn_load(path, mode, &e);
	ck_assert_msg(s == NULL, "%s: loaded, expected error '%s'", name, want);
	ck_assert(e != NULL);
	ck_assert_int_eq(e->domain, SCN_ERROR);
	char *full = g_strdup_printf("%s%s", path, want);
	ck_assert_msg(g_str_has_prefix(e->message, full), "%s: got '%s', want prefix '%s'", name,
	              e->message, full);
	g_free(full);
	g_error_free(e);
	g_free(path);
}

static const char *
str_of(const struct scn_sect *sec, const char *key)
{
	const char *v = NULL;
	GError *e = NULL;
	ck_assert_msg(scn_get_str(sec, key, NULL, &v, &e), "%s: %s", key, e ? e->message : "");
	return v;
}

static int
line_of(const struct scn_sect *sec, const char *key)
{
	const char *f;
	int line = -1;
	ck_assert_msg(scn_where(sec, key, &f, &line), "%s not found", key);
	return line;
}

/* ---- normalisation ---- */

static const struct norm_case {
	const char *name;
	const char *text;
	const char *job, *key, *want; /* job "" = the first job */
	int line;
} norm_cases[] = {
    {"semicolon comment", "; c\n[j]\n;bs=1k\nbs=4k\n", "j", "bs", "4k", 4},
    {"hash comment", "# c\n[j]\n  # bs=1k\nbs=4k\n", "j", "bs", "4k", 4},
    {"trailing ; comment", "[j]\nbs=4k ; the block size\n", "j", "bs", "4k", 2},
    {"trailing # comment", "[j]\nbs=4k # the block size\n", "j", "bs", "4k", 2},
    {"comment glued to value", "[j]\nbs=4k;x\n", "j", "bs", "4k", 2},
    {"bare key", "[j]\ntime_based\nrw=read\n", "j", "time_based", "", 2},
    {"blanks around =", "[j]\n  rw   =   randread  \n", "j", "rw", "randread", 2},
    {"tabs around =", "[j]\n\trw\t=\trandread\t\n", "j", "rw", "randread", 2},
    {"repeated key: last wins", "[j]\nbs=1k\nrw=read\nbs=8k\n", "j", "bs", "8k", 4},
    {"$VAR kept", "[j]\nsize=${SIZE}\n", "j", "size", "${SIZE}", 2},
    {"$VAR kept bare", "[j]\nnumjobs=$ncpus\n", "j", "numjobs", "$ncpus", 2},
    {"CRLF", "[j]\r\nbs=4k\r\nrw=read\r\n", "j", "rw", "read", 3},
    {"no final newline", "[j]\nbs=4k\nrw=write", "j", "rw", "write", 3},
    {"BOM", "\xef\xbb\xbf[j]\nbs=4k\n", "j", "bs", "4k", 2},
    {"spaces in name", "[punch hole-fuzzer]\nbs=4k\n", "punch hole-fuzzer", "bs", "4k", 2},
    {"blank lines", "\n\n[j]\n\n\nbs=4k\n\n", "j", "bs", "4k", 6},
    {"empty value", "[j]\ndescription=\n", "j", "description", "", 2},
    {"value with =", "[j]\ndescription=a=b\n", "j", "description", "a=b", 2},
    {"backslash kept", "[j]\nfilename=F\\:\\x\n", "j", "filename", "F\\:\\x", 2},
    {"UTF-8 value", "[j]\ndescription=d\xc3\xa9j\xc3\xa0\n", "j", "description",
     "d\xc3\xa9j\xc3\xa0", 2},
};

START_TEST(test_normalise)
{
	const struct norm_case *c = &norm_cases[_i];
	GError *e = NULL;
	struct scn *s = load_text("norm.fio", c->text, SCN_JOBFILE, &e);
	ck_assert_msg(s, "%s: %s", c->name, e ? e->message : "");
	ck_assert_uint_eq(scn_njobs(s), 1);
	const struct scn_sect *j = scn_job(s, 0);
	ck_assert_str_eq(scn_sect_name(j), c->job);
	const char *v = NULL;
	bool bare = strcmp(c->name, "bare key") == 0;
	ck_assert(scn_get_str(j, c->key, NULL, &v, NULL) == !bare); /* a bare key has no value */
	if (!bare)
		ck_assert_str_eq(v, c->want);
	ck_assert_int_eq(line_of(j, c->key), c->line);
	scn_free(s);
}
END_TEST

START_TEST(test_bare_key_is_true)
{
	struct scn *s =
	    load_text("bare.fio", "[j]\ntime_based\nnorandommap=0\n", SCN_JOBFILE, NULL);
	ck_assert(s);
	const struct scn_sect *j = scn_job(s, 0);
	bool b = false;
	ck_assert(scn_get_bool(j, "time_based", false, &b, NULL));
	ck_assert(b);
	ck_assert(scn_get_bool(j, "norandommap", true, &b, NULL));
	ck_assert(!b);
	/* A bare key has no value for a non-boolean getter. */
	GError *e = NULL;
	int64_t x;
	ck_assert(!scn_get_int(j, "time_based", 0, 0, 10, &x, &e));
	ck_assert_msg(strstr(e->message, ":2: [j] time_based: needs a value"), "%s", e->message);
	g_error_free(e);
	scn_free(s);
}
END_TEST

START_TEST(test_key_order)
{
	struct scn *s =
	    load_text("order.fio", "[j]\nrw=read\nbs=1k\nsize=1m\nrw=write\n", SCN_JOBFILE, NULL);
	ck_assert(s);
	const struct scn_sect *j = scn_job(s, 0);
	ck_assert_uint_eq(scn_nkeys(j), 3);
	ck_assert_str_eq(scn_key_at(j, 0), "rw");
	ck_assert_str_eq(scn_key_at(j, 1), "bs");
	ck_assert_str_eq(scn_key_at(j, 2), "size");
	ck_assert_str_eq(str_of(j, "rw"), "write");
	ck_assert_int_eq(line_of(j, "rw"), 5);
	scn_free(s);
}
END_TEST

/* ---- errors with exact lines ---- */

static const struct err_case {
	const char *name;
	const char *text;
	int len; /* -1: strlen */
	enum scn_mode mode;
	const char *want; /* after the path */
} err_cases[] = {
    {"empty", "", -1, SCN_JOBFILE, ": empty file"},
    {"empty plain", "", -1, SCN_PLAIN, ": empty file"},
    {"only comments", "; nothing\n# here\n\n", -1, SCN_JOBFILE, ": no sections"},
    {"no jobs", "[global]\nbs=4k\n[disk]\nmodel=ssd\n", -1, SCN_JOBFILE, ": no job sections"},
    {"outside section", "\n; c\nbs=4k\n[j]\n", -1, SCN_JOBFILE, ":3: 'bs' outside any section"},
    {"outside section plain", "model=ssd\n", -1, SCN_PLAIN, ":1: 'model' outside any section"},
    {"NUL byte", "[j]\nbs=4k\nrw=re\0ad\n", 17, SCN_JOBFILE, ":3: NUL byte"},
    {"binary garbage", "[j]\n\x01\x02\xff\xfe\x80garbage\n", -1, SCN_JOBFILE,
     ":2: control character 0x01"},
    {"invalid UTF-8", "[j]\nbs=4k\ndescription=\xff\xfe\n", -1, SCN_JOBFILE, ":3: invalid UTF-8"},
    {"lone CR", "[j]\nbs=4k\rrw=read\n", -1, SCN_JOBFILE, ":2: control character 0x0d"},
    {"unclosed header", "[j]\nbs=4k\n[k\n", -1, SCN_JOBFILE, ":3: malformed section header"},
    {"empty header", "[j]\n[ ]\n", -1, SCN_JOBFILE, ":2: empty section name"},
    {"bracket in header", "[a[b]\n", -1, SCN_JOBFILE, ":1: malformed section header"},
    {"bad key", "[j]\n\nb s=4k\n", -1, SCN_JOBFILE, ":3: malformed line 'b s'"},
    {"no key", "[j]\n=4k\n", -1, SCN_JOBFILE, ":2: malformed line ''"},
    {"repeated sim section", "[disk]\nmodel=ssd\n[j]\n\n[disk]\n", -1, SCN_JOBFILE,
     ":5: [disk] repeated (first at "},
    {"repeated plain section", "[zone 0]\na=1\n[zone 0]\n", -1, SCN_PLAIN,
     ":3: [zone 0] repeated (first at "},
    {"include missing", "[j]\ninclude nothere.fio\n", -1, SCN_JOBFILE, ":2: include: "},
};

START_TEST(test_errors)
{
	const struct err_case *c = &err_cases[_i];
	char *name = g_strdup_printf("err%d.fio", _i);
	expect_error(name, c->text, c->len, c->mode, c->want);
	g_free(name);
}
END_TEST

START_TEST(test_repeated_names_both_lines)
{
	char *path = put_file("rep.fio", "[sim]\nseed=1\n[j]\n[sim]\nseed=2\n", -1);
	GError *e = NULL;
	ck_assert(!scn_load(path, SCN_JOBFILE, &e));
	char *want = g_strdup_printf("%s:4: [sim] repeated (first at %s:1)", path, path);
	ck_assert_msg(g_str_has_prefix(e->message, want), "%s", e->message);
	g_free(want);
	g_error_free(e);
	g_free(path);
}
END_TEST

START_TEST(test_missing_file)
{
	GError *e = NULL;
	ck_assert(!scn_load("/nonexistent/x.fio", SCN_JOBFILE, &e));
	ck_assert_msg(g_str_has_prefix(e->message, "/nonexistent/x.fio: cannot open"), "%s",
	              e->message);
	g_clear_error(&e);
	/* A directory is not a scenario either. */
	ck_assert(!scn_load(tu_tmpdir(), SCN_JOBFILE, &e));
	g_error_free(e);
}
END_TEST

/* Random bytes never crash the loader: either a scenario or an error. */
START_TEST(test_random_garbage)
{
	GRand *r = g_rand_new_with_seed(42);
	for (int round = 0; round < 200; round++) {
		int len = g_rand_int_range(r, 0, 300);
		char *buf = g_malloc(len + 1);
		for (int i = 0; i < len; i++) {
			/* Mostly printable, sometimes the characters the parser cares about. */
			static const char pick[] = "[]=;#\n\r\t ab_0\x01\xff";
			buf[i] = g_rand_boolean(r) ? pick[g_rand_int_range(r, 0, sizeof pick - 1)]
			                           : (char)g_rand_int_range(r, 0, 256);
		}
		char *path = put_file("garbage.fio", buf, len);
		GError *e = NULL;
		struct scn *s = scn_load(path, round % 2 ? SCN_PLAIN : SCN_JOBFILE, &e);
		ck_assert((s == NULL) != (e == NULL));
		if (e) {
			ck_assert(g_str_has_prefix(e->message, path));
			g_error_free(e);
		}
		scn_free(s);
		g_free(path);
		g_free(buf);
	}
	g_rand_free(r);
}
END_TEST

/* ---- jobs and [global] ---- */

START_TEST(test_duplicate_jobs)
{
	struct scn *s = load_text(
	    "dup.fio", "[global]\nbs=4k\n[w]\nrw=write\n[r]\nrw=read\n[w]\nrw=randwrite\n",
	    SCN_JOBFILE, NULL);
	ck_assert(s);
	ck_assert_uint_eq(scn_njobs(s), 3);
	ck_assert_str_eq(scn_sect_name(scn_job(s, 0)), "w");
	ck_assert_str_eq(scn_sect_name(scn_job(s, 2)), "w");
	ck_assert_str_eq(str_of(scn_job(s, 0), "rw"), "write");
	ck_assert_str_eq(str_of(scn_job(s, 1), "rw"), "read");
	ck_assert_str_eq(str_of(scn_job(s, 2), "rw"), "randwrite");
	ck_assert_int_eq(line_of(scn_job(s, 2), "rw"), 8);
	ck_assert_str_eq(str_of(scn_job(s, 2), "bs"), "4k");
	scn_free(s);
}
END_TEST

START_TEST(test_global_inheritance)
{
	static const char text[] = "[a]\n"        /* 1: before any [global] */
	                           "rw=read\n"    /* 2 */
	                           "[global]\n"   /* 3 */
	                           "bs=4k\n"      /* 4 */
	                           "size=1m\n"    /* 5 */
	                           "[b]\n"        /* 6 */
	                           "size=2m\n"    /* 7: overrides the global */
	                           "[global]\n"   /* 8: a later global */
	                           "bs=64k\n"     /* 9 */
	                           "iodepth=8\n"  /* 10 */
	                           "[c]\n"        /* 11 */
	                           "[disk]\n"     /* 12: not a job */
	                           "model=ssd\n"  /* 13 */
	                           "[d]\n"        /* 14 */
	                           "iodepth=2\n"; /* 15 */
	GError *e = NULL;
	struct scn *s = load_text("glob.fio", text, SCN_JOBFILE, &e);
	ck_assert_msg(s, "%s", e ? e->message : "");
	ck_assert_uint_eq(scn_njobs(s), 4);
	const struct scn_sect *a = scn_job(s, 0), *b = scn_job(s, 1), *c = scn_job(s, 2),
	                      *d = scn_job(s, 3);
	ck_assert(!scn_has(a, "bs")); /* a global below a job does not affect it */
	ck_assert(!scn_has(a, "size"));
	ck_assert_str_eq(str_of(b, "bs"), "4k");
	ck_assert_int_eq(line_of(b, "bs"), 4);
	ck_assert_str_eq(str_of(b, "size"), "2m");
	ck_assert_int_eq(line_of(b, "size"), 7);
	ck_assert(!scn_has(b, "iodepth")); /* the later global does not reach back */
	ck_assert_str_eq(str_of(c, "bs"), "64k");
	ck_assert_int_eq(line_of(c, "bs"), 9);
	ck_assert_str_eq(str_of(c, "size"), "1m"); /* the first global still applies */
	ck_assert_str_eq(str_of(c, "iodepth"), "8");
	ck_assert_str_eq(str_of(d, "iodepth"), "2");
	ck_assert_str_eq(str_of(d, "bs"), "64k");
	ck_assert(!scn_has(d, "model"));
	ck_assert_str_eq(str_of(scn_section(s, "disk"), "model"), "ssd");
	/* Errors about an inherited value name the [global] line. */
	int64_t x;
	ck_assert(scn_get_int(c, "iodepth", 1, 1, 4096, &x, NULL));
	ck_assert_int_eq(x, 8);
	ck_assert(!scn_get_int(c, "iodepth", 1, 1, 4, &x, &e));
	ck_assert_msg(strstr(e->message, "glob.fio:10: [global] iodepth: expected an integer in "
	                                 "[1, 4], got '8'"),
	              "%s", e->message);
	g_error_free(e);
	scn_free(s);
}
END_TEST

START_TEST(test_sections)
{
	struct scn *s =
	    load_text("sect.ini", "[host]\ncores=4\n[policy]\nname=serial\n[job]\nrw=read\n",
	              SCN_JOBFILE, NULL);
	ck_assert(s);
	ck_assert_uint_eq(scn_njobs(s), 1);
	ck_assert_str_eq(str_of(scn_section(s, "host"), "cores"), "4");
	const struct scn_sect *fs = scn_section(s, "fs");
	ck_assert(fs != NULL);
	ck_assert_str_eq(scn_sect_name(fs), "fs");
	ck_assert_uint_eq(scn_nkeys(fs), 0);
	ck_assert(!scn_has(fs, "block_size"));
	ck_assert(scn_section(s, "fs") == fs);
	int64_t bsz;
	ck_assert(scn_get_int(fs, "block_size", 4096, 512, 65536, &bsz, NULL));
	ck_assert_int_eq(bsz, 4096);
	ck_assert_str_eq(scn_name(s), "sect");
	scn_free(s);
}
END_TEST

START_TEST(test_plain_mode)
{
	static const char text[] = "; a disk\n[disk]\nmodel = mechanical\nrpm=7200\n"
	                           "[zone 0]\nfirst=0\n[zone 1]\nfirst=1000\n[global]\nx=1\n";
	GError *e = NULL;
	struct scn *s = load_text("drive.disk", text, SCN_PLAIN, &e);
	ck_assert_msg(s, "%s", e ? e->message : "");
	ck_assert_uint_eq(scn_njobs(s), 0);
	ck_assert_uint_eq(scn_nsections(s), 4);
	ck_assert_str_eq(scn_sect_name(scn_section_at(s, 1)), "zone 0");
	ck_assert_str_eq(scn_sect_name(scn_section_at(s, 3)), "global");
	ck_assert_str_eq(str_of(scn_section(s, "zone 1"), "first"), "1000");
	ck_assert_str_eq(str_of(scn_section(s, "global"), "x"), "1");
	ck_assert_str_eq(str_of(scn_section(s, "disk"), "model"), "mechanical");
	ck_assert_uint_eq(scn_nkeys(scn_section(s, "absent")), 0);
	ck_assert_str_eq(scn_name(s), "drive.disk");
	scn_free(s);
}
END_TEST

START_TEST(test_include)
{
	char *inc = put_file("inc-common.fio", "; shared\nbs=16k\niodepth=4\n", -1);
	char *bad = put_file("inc-bad.fio", "[x]\n", -1);
	GError *e = NULL;
	struct scn *s = load_text("incl.fio", "[global]\ninclude inc-common.fio\n[j]\nrw=read\n",
	                          SCN_JOBFILE, &e);
	ck_assert_msg(s, "%s", e ? e->message : "");
	const char *f;
	int line;
	ck_assert(scn_where(scn_job(s, 0), "iodepth", &f, &line));
	ck_assert_str_eq(f, inc);
	ck_assert_int_eq(line, 3);
	scn_free(s);
	s = load_text("incl2.fio", "[j]\ninclude inc-bad.fio\n", SCN_JOBFILE, &e);
	ck_assert(!s);
	char *want = g_strdup_printf("%s:1: section header", bad);
	ck_assert_msg(g_str_has_prefix(e->message, want), "%s", e->message);
	g_clear_error(&e);
	char *self = put_file("inc-self.fio", "[j]\ninclude inc-loop.fio\n", -1);
	char *loop = put_file("inc-loop.fio", "include inc-loop.fio\n", -1);
	ck_assert(!scn_load(self, SCN_JOBFILE, &e));
	ck_assert_msg(strstr(e->message, "nested more than"), "%s", e->message);
	g_clear_error(&e);
	g_free(want);
	g_free(inc);
	g_free(bad);
	g_free(self);
	g_free(loop);
}
END_TEST

/* ---- getters ---- */

START_TEST(test_getters)
{
	static const char text[] = "[sim]\n"
	                           "seed=42\n"                  /* 2 */
	                           "jitter=0.25\n"              /* 3 */
	                           "oracle=off\n"               /* 4 */
	                           "bad=abc\n"                  /* 5 */
	                           "big=99999999999999999999\n" /* 6 */
	                           "neg=-3\n"                   /* 7 */
	                           "hex=0x10\n"                 /* 8 */
	                           "size=1.5m\n"                /* 9 */
	                           "spec=disks/a.disk\n"        /* 10 */
	                           "abs=/etc/x\n"               /* 11 */
	                           "frac=1.5\n"                 /* 12 */
	                           "[j]\n";
	struct scn *s = load_text("get.ini", text, SCN_JOBFILE, NULL);
	ck_assert(s);
	const struct scn_sect *sim = scn_section(s, "sim");
	int64_t i;
	double d;
	bool b;
	uint64_t u;
	GError *e = NULL;
	ck_assert(scn_get_int(sim, "seed", 1, 0, 1000, &i, NULL) && i == 42);
	ck_assert(scn_get_int(sim, "absent", 7, 0, 1000, &i, NULL) && i == 7);
	ck_assert(scn_get_int(sim, "neg", 0, -10, 10, &i, NULL) && i == -3);
	ck_assert(scn_get_int(sim, "hex", 0, 0, 100, &i, NULL) && i == 16);
	ck_assert(scn_get_double(sim, "jitter", 0, 0, 1, &d, NULL) && d == 0.25);
	ck_assert(scn_get_double(sim, "seed", 0, 0, 100, &d, NULL) && d == 42);
	ck_assert(scn_get_bool(sim, "oracle", true, &b, NULL) && !b);
	ck_assert(scn_get_size(sim, "size", 0, &u, NULL) && u == 1572864);
	ck_assert(scn_get_size(sim, "absent", 99, &u, NULL) && u == 99);

	static const struct {
		const char *key;
		int kind; /* 0 int in [0, max], 1 double in [0.5, 1], 2 bool, 3 size */
		int64_t max;
		const char *want;
	} bad[] = {
	    {"bad", 0, 1000, ":5: [sim] bad: expected an integer in [0, 1000], got 'abc'"},
	    {"big", 0, 1000, ":6: [sim] big: expected an integer in [0, 1000], got '9999"},
	    {"neg", 0, 1000, ":7: [sim] neg: expected an integer in [0, 1000], got '-3'"},
	    {"seed", 0, 40, ":2: [sim] seed: expected an integer in [0, 40], got '42'"},
	    {"frac", 0, 1000, ":12: [sim] frac: expected an integer in [0, 1000], got '1.5'"},
	    {"jitter", 1, 0, ":3: [sim] jitter: expected a number in [0.5, 1], got '0.25'"},
	    {"bad", 1, 0, ":5: [sim] bad: expected a number in [0.5, 1], got 'abc'"},
	    {"bad", 2, 0, ":5: [sim] bad: expected a boolean"},
	    {"jitter", 2, 0, ":3: [sim] jitter: expected a boolean"},
	    {"bad", 3, 0, ":5: [sim] bad: expected a size"},
	    {"neg", 3, 0, ":7: [sim] neg: expected a size"},
	};
	for (size_t k = 0; k < G_N_ELEMENTS(bad); k++) {
		bool ok;
		switch (bad[k].kind) {
		case 0:
			ok = scn_get_int(sim, bad[k].key, 0, 0, bad[k].max, &i, &e);
			break;
		case 1:
			ok = scn_get_double(sim, bad[k].key, 0.5, 0.5, 1, &d, &e);
			break;
		case 2:
			ok = scn_get_bool(sim, bad[k].key, false, &b, &e);
			break;
		default:
			ok = scn_get_size(sim, bad[k].key, 0, &u, &e);
			break;
		}
		ck_assert_msg(!ok, "%s accepted", bad[k].key);
		ck_assert_msg(e && g_str_has_prefix(e->message, scn_path(s)), "%s: %s", bad[k].key,
		              e ? e->message : "no error");
		ck_assert_msg(g_str_has_prefix(e->message + strlen(scn_path(s)), bad[k].want),
		              "got '%s'", e->message);
		g_clear_error(&e);
	}

	/* Paths resolve against the directory of the file that names them. */
	char *p;
	ck_assert(scn_get_path(sim, "spec", &p, NULL));
	char *want = g_build_filename(tu_tmpdir(), "disks/a.disk", NULL);
	ck_assert_str_eq(p, want);
	g_free(want);
	g_free(p);
	ck_assert(scn_get_path(sim, "abs", &p, NULL));
	ck_assert_str_eq(p, "/etc/x");
	g_free(p);
	ck_assert(scn_get_path(sim, "absent", &p, NULL));
	ck_assert(p == NULL);
	ck_assert(scn_set(s, "sim.spec=rel/b.disk", NULL));
	ck_assert(scn_get_path(sim, "spec", &p, NULL));
	ck_assert_str_eq(p, "rel/b.disk"); /* --set: relative to the current directory */
	g_free(p);

	/* scn_error names the line of the key, or of the section when the key is absent. */
	scn_error(sim, "seed", &e, "too %s", "big");
	ck_assert_str_eq(e->message + strlen(scn_path(s)), ":2: [sim] seed: too big");
	g_clear_error(&e);
	scn_error(sim, "nothere", &e, "missing");
	ck_assert_str_eq(e->message + strlen(scn_path(s)), ":1: [sim] nothere: missing");
	g_clear_error(&e);
	scn_error(scn_section(s, "disk"), "model", &e, "required");
	ck_assert_str_eq(e->message + strlen(scn_path(s)), ": [disk] model: required");
	g_clear_error(&e);
	scn_free(s);
}
END_TEST

START_TEST(test_bool_words)
{
	static const struct {
		const char *v;
		bool want;
	} t[] = {{"1", true},   {"0", false},  {"true", true}, {"FALSE", false},
	         {"yes", true}, {"No", false}, {"on", true},   {"OFF", false}};
	for (size_t k = 0; k < G_N_ELEMENTS(t); k++) {
		char *text = g_strdup_printf("[j]\nflag=%s\n", t[k].v);
		struct scn *s = load_text("bool.fio", text, SCN_JOBFILE, NULL);
		bool b = !t[k].want;
		ck_assert(scn_get_bool(scn_job(s, 0), "flag", !t[k].want, &b, NULL));
		ck_assert_msg(b == t[k].want, "%s", t[k].v);
		scn_free(s);
		g_free(text);
	}
}
END_TEST

/* ---- sizes ---- */

static const struct size_case {
	const char *text;
	bool ok;
	uint64_t want;
} size_cases[] = {
    /* fio HOWTO, "int", examples with kb_base=1024 (the default) */
    {"4096", true, 4096},
    {"4096b", true, 4096},
    {"4096B", true, 4096},
    {"4k", true, 4096},
    {"4kb", true, 4096},
    {"4kB", true, 4096},
    {"4K", true, 4096},
    {"4KB", true, 4096},
    {"1m", true, 1048576},
    {"1024k", true, 1048576},
    {"1mi", true, 1000000},
    {"1000ki", true, 1000000},
    {"1t", true, 1099511627776ull},
    {"1024g", true, 1099511627776ull},
    {"1048576m", true, 1099511627776ull},
    {"1ti", true, 1000000000000ull}, /* the HOWTO prints 1000000000: a typo */
    {"1000mi", true, 1000000000ull},
    {"1000000ki", true, 1000000000ull},
    /* more suffixes, any case */
    {"4KiB", true, 4000},
    {"4kib", true, 4000},
    {"2g", true, 2147483648ull},
    {"2GB", true, 2147483648ull},
    {"1p", true, 1125899906842624ull},
    {"1pi", true, 1000000000000000ull},
    {"100M", true, 104857600},
    {"10G", true, 10737418240ull},
    {"256K", true, 262144},
    {"0", true, 0},
    {"0x10", true, 16},
    {"0x10k", true, 16384},
    /* decimals (beyond fio), rounded down to bytes */
    {"1.5m", true, 1572864},
    {"1.5M", true, 1572864},
    {"0.5k", true, 512},
    {".5k", true, 512},
    {"1.1k", true, 1126},
    {"2.", true, 2},
    /* limits */
    {"18446744073709551615", true, UINT64_MAX},
    {"18446744073709551616", false, 0},
    {"16384p", false, 0},
    {"16383.99999p", true, 18446744062450552547ull},
    {"99999999999999999999999", false, 0},
    /* junk */
    {"", false, 0},
    {"-1", false, 0},
    {"-4k", false, 0},
    {"+4k", false, 0},
    {"k", false, 0},
    {".", false, 0},
    {"4 k", false, 0},
    {" 4k", false, 0},
    {"4k ", false, 0},
    {"4x", false, 0},
    {"4kk", false, 0},
    {"4kibb", false, 0},
    {"4ib", false, 0},
    {"1.5.5m", false, 0},
    {"0x", false, 0},
    {"0x1.5", false, 0},
    {"50%", false, 0},
    {"4e3", false, 0},
    {"abc", false, 0},
};

START_TEST(test_parse_size)
{
	const struct size_case *c = &size_cases[_i];
	uint64_t v = 12345;
	bool ok = scn_parse_size(c->text, &v);
	ck_assert_msg(ok == c->ok, "'%s': got %s", c->text, ok ? "ok" : "rejected");
	if (ok)
		ck_assert_msg(v == c->want,
		              "'%s': got %" G_GUINT64_FORMAT ", want %" G_GUINT64_FORMAT, c->text,
		              (guint64)v, (guint64)c->want);
	else
		ck_assert_msg(v == 12345, "'%s': output written on failure", c->text);
}
END_TEST

/* ---- --set ---- */

static const char set_text[] = "[global]\n"   /* 1 */
                               "bs=4k\n"      /* 2 */
                               "[w]\n"        /* 3 */
                               "rw=write\n"   /* 4 */
                               "bs=8k\n"      /* 5 */
                               "[r]\n"        /* 6 */
                               "rw=read\n"    /* 7 */
                               "[w]\n"        /* 8 */
                               "[disk]\n"     /* 9 */
                               "model=ssd\n"; /* 10 */

START_TEST(test_set_sections)
{
	struct scn *s = load_text("set.fio", set_text, SCN_JOBFILE, NULL);
	ck_assert(s);
	GError *e = NULL;
	/* into an existing simulator section, and into one the file lacks */
	ck_assert(scn_set(s, "disk.model=simple", NULL));
	ck_assert(scn_set(s, "fs.cache_mb=64", NULL));
	ck_assert(scn_set(s, "policy.matrix=PR:PR,CR PW: CR:PR,CR,CW CW:CR,CW", NULL));
	ck_assert_str_eq(str_of(scn_section(s, "disk"), "model"), "simple");
	ck_assert_str_eq(str_of(scn_section(s, "fs"), "cache_mb"), "64");
	ck_assert_str_eq(str_of(scn_section(s, "policy"), "matrix"),
	                 "PR:PR,CR PW: CR:PR,CR,CW CW:CR,CW");
	const char *f;
	int line = -1;
	ck_assert(scn_where(scn_section(s, "disk"), "model", &f, &line));
	ck_assert_str_eq(f, "--set");
	ck_assert_int_eq(line, 0);
	/* a message about a --set value shows the whole assignment */
	ck_assert(scn_set(s, "fs.cache_mb=lots", NULL));
	int64_t x;
	ck_assert(!scn_get_int(scn_section(s, "fs"), "cache_mb", 1, 1, 100, &x, &e));
	ck_assert_str_eq(e->message, "--set fs.cache_mb=lots: [fs] cache_mb: expected an integer "
	                             "in [1, 100], got 'lots'");
	g_clear_error(&e);
	static const char *const known[] = {"model", NULL};
	ck_assert(scn_set(s, "disk.rpmm=7200", NULL));
	ck_assert(!scn_check_keys(scn_section(s, "disk"), known, &e));
	ck_assert_str_eq(e->message, "--set disk.rpmm=7200: [disk] rpmm: unknown key (known: "
	                             "model)");
	g_clear_error(&e);
	scn_free(s);
}
END_TEST

START_TEST(test_set_global_and_jobs)
{
	struct scn *s = load_text("set.fio", set_text, SCN_JOBFILE, NULL);
	ck_assert(s);
	/* global: every [global] and every job, even one that set the key itself */
	ck_assert(scn_set(s, "global.bs=64k", NULL));
	for (guint i = 0; i < scn_njobs(s); i++)
		ck_assert_str_eq(str_of(scn_job(s, i), "bs"), "64k");
	ck_assert_str_eq(str_of(scn_section(s, "global"), "bs"), "64k");
	/* a job name: every job of that name, and only those */
	ck_assert(scn_set(s, "w.iodepth=16", NULL));
	ck_assert_str_eq(str_of(scn_job(s, 0), "iodepth"), "16");
	ck_assert(!scn_has(scn_job(s, 1), "iodepth"));
	ck_assert_str_eq(str_of(scn_job(s, 2), "iodepth"), "16");
	ck_assert_str_eq(str_of(scn_job(s, 0), "rw"), "write"); /* untouched */
	ck_assert_int_eq(line_of(scn_job(s, 0), "rw"), 4);
	scn_free(s);

	/* global with no [global] in the file */
	s = load_text("set2.fio", "[a]\nrw=read\n[b]\n", SCN_JOBFILE, NULL);
	ck_assert(scn_set(s, "global.size=1g", NULL));
	ck_assert_str_eq(str_of(scn_job(s, 0), "size"), "1g");
	ck_assert_str_eq(str_of(scn_job(s, 1), "size"), "1g");
	ck_assert_str_eq(str_of(scn_section(s, "global"), "size"), "1g");
	/* a job name with a dot, and a value with = and . */
	scn_free(s);
	s = load_text("set3.fio", "[job.1]\n", SCN_JOBFILE, NULL);
	ck_assert(scn_set(s, "job.1.description=a=b.c", NULL));
	ck_assert_str_eq(str_of(scn_job(s, 0), "description"), "a=b.c");
	scn_free(s);
}
END_TEST

START_TEST(test_set_errors)
{
	static const char *const bad[] = {
	    "disk.model",      /* no = */
	    "model=ssd",       /* no section */
	    ".model=ssd",      /* empty section */
	    "disk.=ssd",       /* empty key */
	    "disk.mo del=ssd", /* bad key */
	    "nosuchjob.bs=4k", /* neither a section nor a job */
	    "",
	};
	struct scn *s = load_text("set.fio", set_text, SCN_JOBFILE, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		GError *e = NULL;
		ck_assert_msg(!scn_set(s, bad[i], &e), "'%s' accepted", bad[i]);
		ck_assert_msg(g_str_has_prefix(e->message, "--set: '"), "%s", e->message);
		ck_assert_msg(strstr(e->message, bad[i]), "%s", e->message);
		g_error_free(e);
	}
	scn_free(s);
	/* plain mode: any section, created if absent */
	s = load_text("p.disk", "[disk]\nrpm=7200\n", SCN_PLAIN, NULL);
	ck_assert(scn_set(s, "disk.rpm=10000", NULL));
	ck_assert(scn_set(s, "zone 3.first=5", NULL));
	ck_assert_str_eq(str_of(scn_section(s, "disk"), "rpm"), "10000");
	ck_assert_str_eq(str_of(scn_section(s, "zone 3"), "first"), "5");
	ck_assert_uint_eq(scn_nsections(s), 2);
	scn_free(s);
}
END_TEST

/* ---- key checks ---- */

START_TEST(test_check_keys)
{
	struct scn *s =
	    load_text("keys.ini", "[disk]\nmodel=ssd\n\nrpmm=1\n[j]\n", SCN_JOBFILE, NULL);
	static const char *const known[] = {"model", "rpm", NULL};
	GError *e = NULL;
	ck_assert(!scn_check_keys(scn_section(s, "disk"), known, &e));
	char *want =
	    g_strdup_printf("%s:4: [disk] rpmm: unknown key (known: model, rpm)", scn_path(s));
	ck_assert_str_eq(e->message, want);
	g_free(want);
	g_clear_error(&e);
	ck_assert(scn_check_keys(scn_section(s, "host"), known, NULL)); /* absent: nothing */
	scn_free(s);
}
END_TEST

START_TEST(test_check_job_keys)
{
	static const char *const modelled[] = {"rw", "bs", "size", "concurrent", NULL};
	static const char text[] = "[global]\n"      /* 1 */
	                           "bs=4k\n"         /* 2 */
	                           "stonewall\n"     /* 3 */
	                           "[a]\n"           /* 4 */
	                           "rw=read\n"       /* 5 */
	                           "verify=md5\n"    /* 6 */
	                           "concurrent=1\n"  /* 7 */
	                           "[b]\n"           /* 8 */
	                           "stonewall\n"     /* 9 */
	                           "readwrite=rw\n"; /* 10: an alias */
	struct scn *s = load_text("warn.fio", text, SCN_JOBFILE, NULL);
	GError *e = NULL;
	ck_assert_msg(scn_check_job_keys(s, modelled, &e), "%s", e ? e->message : "");
	const GPtrArray *w = scn_warnings(s);
	ck_assert_uint_eq(w->len, 1);
	char *want = g_strdup_printf("%s: fio options not modelled, ignored: stonewall (lines 3, "
	                             "9), verify (line 6), readwrite (line 10)",
	                             scn_path(s));
	ck_assert_str_eq(g_ptr_array_index(w, 0), want);
	g_free(want);
	/* Checking again replaces the warning rather than adding a second one. */
	ck_assert(scn_check_job_keys(s, modelled, NULL));
	ck_assert_uint_eq(scn_warnings(s)->len, 1);
	/* Simulator sections are not job keys. */
	scn_free(s);

	s = load_text("bad.fio", "[j]\nrw=read\n\nrwmix=50\n[disk]\nfoo=1\n", SCN_JOBFILE, NULL);
	ck_assert(!scn_check_job_keys(s, modelled, &e));
	want = g_strdup_printf("%s:4: [j] rwmix: unknown option", scn_path(s));
	ck_assert_msg(g_str_has_prefix(e->message, want), "%s", e->message);
	g_free(want);
	g_clear_error(&e);
	scn_free(s);
}
END_TEST

START_TEST(test_fio_options)
{
	static const char *const yes[] = {"rw",
	                                  "readwrite",
	                                  "bs",
	                                  "blocksize",
	                                  "bssplit",
	                                  "time_based",
	                                  "runtime",
	                                  "timeout",
	                                  "io_submit_mode",
	                                  "rate_process",
	                                  "random_distribution",
	                                  "norandommap",
	                                  "group_reporting",
	                                  "stonewall",
	                                  "new_group",
	                                  "kb_base",
	                                  "hipri",
	                                  "sqthread_poll",
	                                  "fixedbufs",
	                                  "ioengine",
	                                  "iodepth",
	                                  "numjobs",
	                                  "fdatasync",
	                                  "softrandommap",
	                                  "hugepage-size",
	                                  "proto",
	                                  "mem_align",
	                                  "http_host"};
	static const char *const no[] = {"",      "RW",         "concurrent", "cores", "model",
	                                 "rwmix", "blocksizes", "bs ",        "zzz"};
	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++)
		ck_assert_msg(scn_is_fio_option(yes[i]), "%s", yes[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(no); i++)
		ck_assert_msg(!scn_is_fio_option(no[i]), "%s", no[i]);
	ck_assert(!scn_is_fio_option(NULL));
}
END_TEST

/* ---- the real fio job files ---- */

static const struct fio_file {
	const char *file;
	guint njobs;
	const char *first_job;
	const char *unmodelled; /* one option the warning must list */
} fio_files[] = {
    {"fio/falloc.fio", 4, "falloc-fuzzer", "io_submit_mode"},
    {"fio/fio-rand-RW.fio", 1, "file1", NULL},
    {"fio/fio-rand-write.fio", 1, "file1", NULL},
    {"fio/fio-seq-read.fio", 1, "file1", NULL},
    {"fio/poisson-rate-submission.fio", 1, "poisson-rate-submit", "io_submit_mode"},
    {"fio/zipf.fio", 1, "job", NULL},
};

START_TEST(test_real_fio_files)
{
	const struct fio_file *c = &fio_files[_i];
	const char *path = tu_data("scenario real fio files", c->file);
	if (!path)
		return;
	GError *e = NULL;
	struct scn *s = scn_load(path, SCN_JOBFILE, &e);
	ck_assert_msg(s, "%s", e ? e->message : "");
	ck_assert_uint_eq(scn_njobs(s), c->njobs);
	ck_assert_str_eq(scn_sect_name(scn_job(s, 0)), c->first_job);
	/* A small modelled list: everything else these files use is a real fio option. */
	static const char *const modelled[] = {"rw",       "bs",     "size",    "iodepth",
	                                       "ioengine", "direct", "numjobs", NULL};
	ck_assert_msg(scn_check_job_keys(s, modelled, &e), "%s", e ? e->message : "");
	const GPtrArray *w = scn_warnings(s);
	ck_assert_uint_eq(w->len, 1);
	const char *msg = g_ptr_array_index(w, 0);
	ck_assert(g_str_has_prefix(msg, path));
	if (c->unmodelled && strcmp(c->file, "fio/falloc.fio") != 0)
		ck_assert_msg(strstr(msg, c->unmodelled), "%s", msg);
	ck_assert_msg(!strstr(msg, "rw ("), "%s", msg);
	scn_free(s);
}
END_TEST

/* falloc.fio in detail: duplicate-free names with spaces, bare keys, a [global] above. */
START_TEST(test_falloc_fio)
{
	const char *path = tu_data("scenario falloc.fio", "fio/falloc.fio");
	if (!path)
		return;
	struct scn *s = scn_load(path, SCN_JOBFILE, NULL);
	ck_assert(s);
	ck_assert_str_eq(scn_name(s), "falloc");
	ck_assert_str_eq(scn_sect_name(scn_job(s, 1)), "punch hole-fuzzer");
	ck_assert_str_eq(scn_sect_name(scn_job(s, 3)), "sequential buffered read");
	bool b;
	ck_assert(scn_get_bool(scn_job(s, 0), "time_based", false, &b, NULL) && b);
	ck_assert(scn_get_bool(scn_job(s, 3), "group_reporting", false, &b, NULL) && b);
	ck_assert(!scn_has(scn_job(s, 3), "time_based"));
	uint64_t u;
	ck_assert(scn_get_size(scn_job(s, 2), "size", 0, &u, NULL) && u == 100u << 20);
	ck_assert_int_eq(line_of(scn_job(s, 2), "iodepth"), 37);
	ck_assert_int_eq(line_of(scn_job(s, 1), "iodepth"), 3);
	static const char *const modelled[] = {"rw", "bs", NULL};
	ck_assert(scn_check_job_keys(s, modelled, NULL));
	const char *msg = g_ptr_array_index(scn_warnings(s), 0);
	ck_assert_msg(strstr(msg, "stonewall (lines 16, 34, 45)"), "%s", msg);
	ck_assert_msg(strstr(msg, "ioengine (lines 2, 35, 46)"), "%s", msg);
	scn_free(s);
}
END_TEST

START_TEST(test_names)
{
	static const struct {
		const char *path, *name;
	} t[] = {{"scenarios/default.ini", "default"},
	         {"a/b/zipf.fio", "zipf"},
	         {"x.job", "x.job"},
	         {"noext", "noext"},
	         {"/abs/dir/two.parts.ini", "two.parts"},
	         {"ini", "ini"}};
	for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
		struct scn *s = scn_new_empty(t[i].path);
		ck_assert_str_eq(scn_name(s), t[i].name);
		ck_assert_str_eq(scn_path(s), t[i].path);
		ck_assert_uint_eq(scn_njobs(s), 0);
		ck_assert_uint_eq(scn_nkeys(scn_section(s, "disk")), 0);
		scn_free(s);
	}
}
END_TEST

/* ---- --sim FILE and fio's command-line form ---- */

static const char split_fio[] = "[global]\n"               /* 1 */
                                "filename=db\n"            /* 2 */
                                "size=1m\n"                /* 3 */
                                "[a]\n"                    /* 4 */
                                "rw=randread\n"            /* 5 */
                                "[b]\n"                    /* 6 */
                                "rw=write\n"               /* 7 */
                                "[a]\n"                    /* 8 */
                                "rw=randwrite\n";          /* 9 */
static const char split_sim[] = "; the simulator's side\n" /* 1 */
                                "[disk]\n"                 /* 2 */
                                "model=simple\n"           /* 3 */
                                "[job:a]\n"                /* 4 */
                                "concurrent=1\n"           /* 5 */
                                "[fs]\n"                   /* 6 */
                                "layout=sparse\n";         /* 7 */
/* the same scenario in one file */
static const char split_ini[] = "[global]\nfilename=db\nsize=1m\n"
                                "[a]\nrw=randread\nconcurrent=1\n"
                                "[b]\nrw=write\n"
                                "[a]\nrw=randwrite\nconcurrent=1\n"
                                "[disk]\nmodel=simple\n[fs]\nlayout=sparse\n";

START_TEST(test_sim_merge)
{
	char *jf = put_file("split.fio", split_fio, -1);
	char *sf = put_file("split.sim", split_sim, -1);
	GError *err = NULL;
	struct scn *s = scn_load(jf, SCN_JOBFILE, &err);
	ck_assert_msg(s && scn_load_sim(s, sf, &err), "%s", err ? err->message : "");
	ck_assert_str_eq(scn_name(s), "split"); /* named after the job file */
	ck_assert_uint_eq(scn_njobs(s), 3);     /* [job:NAME] is not a job */
	/* both jobs named a get the key, with the sim file's line 5 as its origin */
	const char *file, *v;
	int line;
	for (guint i = 0; i < 3; i += 2) {
		ck_assert(scn_where(scn_job(s, i), "concurrent", &file, &line));
		ck_assert_str_eq(file, sf);
		ck_assert_int_eq(line, 5);
	}
	ck_assert(!scn_has(scn_job(s, 1), "concurrent"));
	ck_assert(scn_get_str(scn_section(s, "disk"), "model", NULL, &v, NULL));
	ck_assert_str_eq(v, "simple");
	ck_assert(scn_where(scn_section(s, "fs"), "layout", &file, &line));
	ck_assert_int_eq(line, 7);
	/* the split pair and the combined file are one scenario; a change shows */
	char *inip = put_file("split.ini", split_ini, -1);
	struct scn *c = scn_load(inip, SCN_JOBFILE, &err);
	ck_assert(c);
	char *d1 = scn_describe(s), *d2 = scn_describe(c);
	ck_assert_str_eq(d1, d2);
	ck_assert(strstr(d1, "job 2 [a] concurrent=1\n") && strstr(d1, "[disk] model=simple\n"));
	ck_assert(scn_set(c, "b.concurrent=1", NULL));
	char *d3 = scn_describe(c);
	ck_assert_str_ne(d1, d3);
	g_free(d1);
	g_free(d2);
	g_free(d3);
	scn_free(c);
	scn_free(s);
	g_free(inip);
	g_free(jf);
	g_free(sf);
}
END_TEST

/* scn_load_sim of SIM onto split.fio must fail with "<tmp>/x.sim:WANT" in the message. */
static void
sim_fails(const char *sim, const char *want)
{
	char *jf = put_file("split.fio", split_fio, -1);
	char *sf = put_file("x.sim", sim, -1);
	GError *err = NULL;
	struct scn *s = scn_load(jf, SCN_JOBFILE, &err);
	ck_assert(s);
	ck_assert_msg(!scn_load_sim(s, sf, &err), "accepted: %s", sim);
	char *w = g_strdup_printf("%s:%s", sf, want);
	ck_assert_msg(strstr(err->message, w), "got '%s', want '%s'", err->message, w);
	g_free(w);
	g_error_free(err);
	scn_free(s);
	g_free(jf);
	g_free(sf);
}

START_TEST(test_sim_errors)
{
	sim_fails("[disk]\nmodel=ssd\n[job:c]\nconcurrent=1\n", "3: [job:c]: no job named 'c'");
	sim_fails("[a]\nconcurrent=1\n", "1: [a] in a simulator file");
	sim_fails("[global]\nbs=4k\n", "1: [global] in a simulator file");
	sim_fails("[job:a]\nbs=4k\n", "2: [job:a] bs: a fio option");
	sim_fails("[job:]\n", "1: [job:]: no job name");
	sim_fails("[job:a]\nconcurrent=1\n[job:a]\n", "3: [job:a] repeated (first at ");
	sim_fails("[fs]\n[fs]\n", "2: [fs] repeated");
	sim_fails("x=1\n", "1: 'x' outside any section");
	/* a section in both files: named in both places */
	char *jf = put_file("both.fio", "[a]\nrw=read\n[disk]\nmodel=ssd\n", -1);
	char *sf = put_file("both.sim", "[disk]\nmodel=simple\n", -1);
	GError *err = NULL;
	struct scn *s = scn_load(jf, SCN_JOBFILE, &err);
	ck_assert(!scn_load_sim(s, sf, &err));
	char *w = g_strdup_printf("%s:1: [disk] repeated (first at %s:3)", sf, jf);
	ck_assert_msg(strstr(err->message, w), "%s", err->message);
	g_free(w);
	g_clear_error(&err);
	scn_free(s);
	/* a bad value is reported where it was written */
	sf = (g_free(sf), put_file("v.sim", "[job:a]\nconcurrent=maybe\n", -1));
	s = scn_load(jf, SCN_JOBFILE, &err);
	ck_assert(scn_load_sim(s, sf, &err));
	bool b;
	ck_assert(!scn_get_bool(scn_job(s, 0), "concurrent", false, &b, &err));
	w = g_strdup_printf("%s:2: [a] concurrent:", sf);
	ck_assert_msg(g_str_has_prefix(err->message, w), "%s", err->message);
	g_free(w);
	g_clear_error(&err);
	scn_free(s);
	g_free(jf);
	g_free(sf);
}
END_TEST

START_TEST(test_cmdline_jobs)
{
	/* fio's order: the command line's [global] first, its jobs, then the file's jobs;
	 * the file's [global] follows the command line's */
	char *jf = put_file("f.fio", "[global]\nrw=write\n[filejob]\nsize=2m\n", -1);
	char *args[] = {"--bs=8k",       "--size=1m",    "--name=x",
	                "--rw=randread", "--time_based", "--name=global",
	                "--iodepth=4",   "--name=y",     NULL};
	int pos[] = {1, 2, 3, 4, 6, 7, 8, 9};
	GError *err = NULL;
	struct scn *s = scn_load_args(jf, args, pos, 8, &err);
	ck_assert_msg(s, "%s", err ? err->message : "");
	ck_assert_str_eq(scn_name(s), "f");
	ck_assert_uint_eq(scn_njobs(s), 3);
	const char *names[] = {"x", "y", "filejob"};
	for (guint i = 0; i < 3; i++)
		ck_assert_str_eq(scn_sect_name(scn_job(s, i)), names[i]);
	const char *v;
	bool tb;
	ck_assert(scn_get_str(scn_job(s, 0), "bs", NULL, &v, NULL));
	ck_assert_str_eq(v, "8k");
	ck_assert(scn_get_bool(scn_job(s, 0), "time_based", false, &tb, NULL) && tb);
	ck_assert(!scn_has(scn_job(s, 0), "iodepth")); /* --name=global came after x */
	ck_assert(scn_get_str(scn_job(s, 1), "iodepth", NULL, &v, NULL));
	ck_assert_str_eq(v, "4");
	/* the file's job: the command line's bs and size, the file's rw and size */
	ck_assert(scn_get_str(scn_job(s, 2), "bs", NULL, &v, NULL));
	ck_assert_str_eq(v, "8k");
	ck_assert(scn_get_str(scn_job(s, 2), "rw", NULL, &v, NULL));
	ck_assert_str_eq(v, "write");
	ck_assert(scn_get_str(scn_job(s, 2), "size", NULL, &v, NULL));
	ck_assert_str_eq(v, "2m");
	uint64_t sz;
	ck_assert(scn_get_size(scn_job(s, 0), "size", 0, &sz, NULL));
	ck_assert_uint_eq(sz, 1048576); /* the command line's 1m */
	scn_free(s);
	/* a bad value names the argument */
	char *bad[] = {"--name=a", "--size=4q", NULL};
	int bpos[] = {5, 6};
	s = scn_load_args(NULL, bad, bpos, 2, &err);
	ck_assert(s);
	ck_assert_str_eq(scn_name(s), "a"); /* no job file: the first job's name */
	ck_assert(!scn_get_size(scn_job(s, 0), "size", 0, &sz, &err));
	ck_assert_msg(
	    g_str_has_prefix(err->message, "command line, argument 6 (--size=4q): [a] size:"), "%s",
	    err->message);
	g_clear_error(&err);
	scn_free(s);
	static const struct {
		char *arg;
		const char *want;
	} errs[] = {
	    {"--name=", "argument 2 (--name=): --name needs a job name"},
	    {"--name=disk", "argument 2 (--name=disk): 'disk' is a simulator section's name"},
	    {"--b s=1", "argument 2 (--b s=1): expected a job option"},
	    {"-x", "argument 2 (-x): expected a job option"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(errs); i++) {
		char *a[] = {"--name=ok", errs[i].arg, NULL};
		int p[] = {1, 2};
		ck_assert(!scn_load_args(NULL, a, p, 2, &err));
		ck_assert_msg(strstr(err->message, errs[i].want), "%s", err->message);
		g_clear_error(&err);
	}
	char *none[] = {"--bs=4k", NULL};
	int npos[] = {1};
	ck_assert(!scn_load_args(NULL, none, npos, 1, &err));
	ck_assert_msg(strstr(err->message, "no job (--name=NAME starts one)"), "%s", err->message);
	g_clear_error(&err);
	g_free(jf);
}
END_TEST

/* Every shipped scenarios/NAME.fio: fio itself accepts it, and with NAME.sim it is the same
 * scenario as NAME.ini (scn_describe), so a change to one side that the other lacks fails. */
START_TEST(test_shipped_split)
{
	GDir *d = g_dir_open("scenarios", 0, NULL);
	ck_assert(d);
	const char *e;
	int n = 0;
	char *out = NULL;
	bool fio = tu_sh(&out, "command -v fio") == 0;
	g_free(out);
	const char *ci = getenv("CI");
	ck_assert_msg(fio || !(ci && !strcmp(ci, "true")), "fio missing and CI=true");
	while ((e = g_dir_read_name(d))) {
		if (!g_str_has_suffix(e, ".fio"))
			continue;
		char *base = g_strndup(e, strlen(e) - 4);
		char *jf = g_strdup_printf("scenarios/%s.fio", base);
		char *sf = g_strdup_printf("scenarios/%s.sim", base);
		char *ini = g_strdup_printf("scenarios/%s.ini", base);
		GError *err = NULL;
		struct scn *a = scn_load(jf, SCN_JOBFILE, &err);
		ck_assert_msg(a && scn_load_sim(a, sf, &err), "%s", err ? err->message : "");
		struct scn *b = scn_load(ini, SCN_JOBFILE, &err);
		ck_assert_msg(b, "%s", err ? err->message : "");
		ck_assert_str_eq(scn_name(a), scn_name(b));
		char *da = scn_describe(a), *db = scn_describe(b);
		ck_assert_msg(!strcmp(da, db), "%s + %s differ from %s:\n%s\nvs\n%s", jf, sf, ini,
		              da, db);
		g_free(da);
		g_free(db);
		scn_free(a);
		scn_free(b);
		if (fio) {
			int st = tu_sh(&out, "fio --parse-only %s", jf);
			ck_assert_msg(st == 0, "fio --parse-only %s: exit %d: %s", jf, st, out);
			g_free(out);
		}
		n++;
		g_free(base);
		g_free(jf);
		g_free(sf);
		g_free(ini);
	}
	g_dir_close(d);
	printf("shipped split scenarios checked: %d%s\n", n, fio ? " (and by fio)" : "");
}
END_TEST

Suite *
suite_scenario(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc;

	tc = tcase_create("normalise");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_normalise, 0, G_N_ELEMENTS(norm_cases));
	tcase_add_test(tc, test_bare_key_is_true);
	tcase_add_test(tc, test_key_order);
	tcase_add_test(tc, test_include);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_errors, 0, G_N_ELEMENTS(err_cases));
	tcase_add_test(tc, test_repeated_names_both_lines);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_random_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("jobs");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_duplicate_jobs);
	tcase_add_test(tc, test_global_inheritance);
	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_plain_mode);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("getters");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_getters);
	tcase_add_test(tc, test_bool_words);
	tcase_add_loop_test(tc, test_parse_size, 0, G_N_ELEMENTS(size_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("set");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_set_sections);
	tcase_add_test(tc, test_set_global_and_jobs);
	tcase_add_test(tc, test_set_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_check_keys);
	tcase_add_test(tc, test_check_job_keys);
	tcase_add_test(tc, test_fio_options);
	suite_add_tcase(s, tc);

	tc = tcase_create("fio files");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_real_fio_files, 0, G_N_ELEMENTS(fio_files));
	tcase_add_test(tc, test_falloc_fio);
	suite_add_tcase(s, tc);

	tc = tcase_create("sim file and command line");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_sim_merge);
	tcase_add_test(tc, test_sim_errors);
	tcase_add_test(tc, test_cmdline_jobs);
	tcase_add_test(tc, test_shipped_split);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_sensitivity.c -- `vnodesim sensitivity`: a ranking flip forced by a closed form is
 * reported, a ranking that cannot flip reports none, the outputs are deterministic and
 * reused, the report page shows the section, every [host] cost of the key table is varied,
 * and bad options exit 2 writing nothing.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/compare.h"
#include "sim/csv.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/sensitivity.h"
#include "tests/testutil.h"

/*
 * The forced flip.  N=2 threads write 4 KiB directly to their own half of a preallocated
 * file (no overlap), on the simple device with C=2 channels of L=100 us, with 2 cores and
 * every host cost 0 (profile=ideal) but lock_cacheline_ns = X.
 *  - serial: the writes are exclusive; an exclusive grant has no other holder, so it moves
 *    no shared cache line (lock.c shared_lines): one write per L, 1/L = 10,000 writes/s,
 *    whatever X.
 *  - xfs: block-aligned direct overwrites share the IOLOCK.  Each acquisition finds the
 *    other thread holding it (their cycles are offset by L, see below) and pays
 *    min(holders + 1, cores) - 1 = 1 line, X of CPU under the lock, on its own core: each
 *    thread does one write per L + X, 2/(L + X) writes/s in all.  (Thread 0 starts alone;
 *    thread 1 acquires while 0 holds, so their releases are L apart and never coincide.)
 * With X = L/1.5 = 66,666.667 ns: xfs 2/(166.67 us) = 12,000 > serial 10,000 (20% apart).
 *   x0.5: X = L/3, xfs 2/(133.3 us) = 15,000: xfs still ahead, no flip.
 *   x2:   X = 4L/3, xfs 2/(233.3 us) = 8,571.4 < 10,000 (14% apart): serial ahead, a flip.
 * Both gaps exceed the 2% threshold of one seed.
 */
static const char flip_ini[] =
    "; forced flip: xfs vs serial decided by lock_cacheline_ns (test_sensitivity.c)\n"
    "[global]\nfilename=shared\nsize=2m\nbs=4k\ndirect=1\nrw=write\nnumber_ios=200\n"
    "ioengine=psync\n"
    "[t0]\noffset=0\n[t1]\noffset=1m\n"
    "[disk]\nmodel=simple\nservice_us=100\nchannels=2\ncapacity_gb=1\n"
    "[host]\nprofile=ideal\ncores=2\nlock_cacheline_ns=66666.6667\n"
    "[sim]\npolicies=serial,xfs\n";

/*
 * No flip possible.  The same two writers on the same device, with small costs: entry 200 ns,
 * file-system path 1,000 ns, wake-up 1,000 ns, lock op 50 ns (every other cost 0).  serial
 * serializes each write's L plus at most fs_path + 2 wake-ups + 2 ops ~ 3.1 us (x2: 6.2 us):
 * at least 1/(106.2 us) = 9,416/s and at most 1/L = 10,000/s.  xfs shares, each thread paying
 * at most entry + fs_path + wake + 2 ops ~ 2.3 us (x2: 4.6 us): at least 2/(104.6 us) =
 * 19,120/s.  xfs is ahead by at least 1.9x in every setting, and no multiplied cost comes near
 * changing that: device-bound.
 */
static const char noflip_ini[] =
    "; device-bound: xfs ahead of serial in every setting (test_sensitivity.c)\n"
    "[global]\nfilename=shared\nsize=2m\nbs=4k\ndirect=1\nrw=write\nnumber_ios=100\n"
    "ioengine=psync\n"
    "[t0]\noffset=0\n[t1]\noffset=1m\n"
    "[disk]\nmodel=simple\nservice_us=100\nchannels=2\ncapacity_gb=1\n"
    "[host]\nprofile=ideal\ncores=2\nsyscall_entry_ns=200\nfs_path_ns=1000\nwake_ns=1000\n"
    "lock_op_ns=50\n"
    "[sim]\npolicies=serial,xfs\n";

static char *
slurp(const char *dir, const char *file)
{
	char *p = g_build_filename(dir, file, NULL), *text = NULL;
	ck_assert_msg(g_file_get_contents(p, &text, NULL, NULL), "%s missing", p);
	g_free(p);
	return text;
}

/* sensitivity.csv as rows of fields, the header first */
static GPtrArray *
read_csv(const char *dir)
{
	char *text = slurp(dir, "sensitivity.csv");
	char **lines = g_strsplit(text, "\n", -1);
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	for (char **l = lines; *l && **l; l++)
		g_ptr_array_add(rows, csv_split(*l));
	g_strfreev(lines);
	g_free(text);
	return rows;
}

static int
col(GPtrArray *rows, const char *name)
{
	char **h = rows->pdata[0];
	for (int i = 0; h[i]; i++)
		if (!strcmp(h[i], name))
			return i;
	ck_abort_msg("sensitivity.csv has no column %s", name);
	return -1;
}

/* The row of KEY x FACTOR for POLICY ("" for a setting that did not run). */
static char **
row(GPtrArray *rows, const char *key, const char *factor, const char *policy)
{
	int k = col(rows, "key"), f = col(rows, "factor"), p = col(rows, "policy");
	for (guint i = 1; i < rows->len; i++) {
		char **r = rows->pdata[i];
		if (!strcmp(r[k], key) && !strcmp(r[f], factor) && !strcmp(r[p], policy))
			return r;
	}
	ck_abort_msg("sensitivity.csv: no row %s x%s %s", key, factor, policy);
	return NULL;
}

static double
num(GPtrArray *rows, char **r, const char *name)
{
	return g_ascii_strtod(r[col(rows, name)], NULL);
}

static const char *
str(GPtrArray *rows, char **r, const char *name)
{
	return r[col(rows, name)];
}

static char *
run_sens(const char *ini, const char *name, const char *dir, const char *extra)
{
	const char *sc = tu_write(name, ini);
	char *out;
	int st = tu_sh(&out, "%s sensitivity %s --out %s --jobs 2 %s", tu_prog(), sc, dir, extra);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	return out;
}

START_TEST(test_flip_reported)
{
	char *dir = g_build_filename(tu_tmpdir(), "flip", NULL);
	char *out = run_sens(flip_ini, "flip.ini", dir, "");
	ck_assert_msg(strstr(out, "FLIP: serial now ahead of xfs"), "%s", out);
	ck_assert_msg(strstr(out, "1 setting with a flip"), "%s", out);
	/* xfs/serial: 12,000/10,000 at baseline; at x2 serial is the best (1); at x0.5 1.5 */
	ck_assert_msg(strstr(out, "best/serial: 1.20x at baseline, from 1.00x (lock_cacheline_ns "
	                          "x2) to 1.50x (lock_cacheline_ns x0.5)"),
	              "%s", out);
	GPtrArray *r = read_csv(dir);
	/* the closed forms of the comment above (exact but for the 0.1 of the printed figure) */
	static const struct {
		const char *key, *factor, *policy;
		double iops;
		const char *flips;
		int rank;
	} want[] = {
	    {"baseline", "1", "serial", 10000, "", 2},
	    {"baseline", "1", "xfs", 12000, "", 1},
	    {"lock_cacheline_ns", "0.5", "serial", 10000, "", 2},
	    {"lock_cacheline_ns", "0.5", "xfs", 15000, "", 1},
	    {"lock_cacheline_ns", "2", "serial", 10000, "xfs", 1},
	    {"lock_cacheline_ns", "2", "xfs", 2e6 / 233.33333, "serial", 2},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		char **x = row(r, want[i].key, want[i].factor, want[i].policy);
		tu_near(num(r, x, "iops"), want[i].iops, 0.001, want[i].policy);
		ck_assert_str_eq(str(r, x, "flips"), want[i].flips);
		ck_assert_int_eq((int)num(r, x, "rank"), want[i].rank);
		ck_assert_str_eq(str(r, x, "status"), "ok");
	}
	char **x2 = row(r, "lock_cacheline_ns", "2", "xfs");
	ck_assert_str_eq(str(r, x2, "ranking"), "serial > xfs");
	tu_near(num(r, x2, "vs_serial"), 0.8571, 0.001, "xfs/serial at x2");
	tu_near(num(r, x2, "baseline_vs_serial"), 1.2, 0.001, "xfs/serial at baseline");
	tu_near(num(r, x2, "value"), 133333.3334, 1e-9, "the varied value");
	/* costs that are 0 at baseline are not varied; memcpy's bound refuses 2 x 10^6 */
	ck_assert_str_eq(str(r, row(r, "wake_ns", "2", ""), "status"), "zero");
	ck_assert_str_eq(str(r, row(r, "memcpy_gbps", "2", ""), "status"), "out-of-range");
	ck_assert_str_eq(str(r, row(r, "memcpy_gbps", "0.5", "xfs"), "flips"), "");
	g_ptr_array_free(r, TRUE);
	/* sensitivity.json: the flipped pair, the one now ahead first; why memcpy did not run */
	char *jp = g_build_filename(dir, "sensitivity.json", NULL);
	JsonParser *parser = json_parser_new();
	ck_assert(json_parser_load_from_file(parser, jp, NULL));
	JsonArray *set = json_object_get_array_member(
	    json_node_get_object(json_parser_get_root(parser)), "settings");
	int seen = 0;
	for (guint i = 0; i < json_array_get_length(set); i++) {
		JsonObject *o = json_array_get_object_element(set, i);
		const char *key = json_object_get_string_member(o, "key");
		double f = json_object_get_double_member(o, "factor");
		if (!strcmp(key, "lock_cacheline_ns") && f == 2) {
			JsonArray *fl = json_object_get_array_member(o, "flips");
			ck_assert_int_eq(json_array_get_length(fl), 1);
			JsonArray *pair = json_array_get_array_element(fl, 0);
			ck_assert_str_eq(json_array_get_string_element(pair, 0), "serial");
			ck_assert_str_eq(json_array_get_string_element(pair, 1), "xfs");
			tu_near(json_object_get_double_member(o, "best_over_serial"), 1, 1e-9,
			        "best/serial at x2");
			seen++;
		}
		if (!strcmp(key, "memcpy_gbps") && f == 2) {
			ck_assert_msg(strstr(json_object_get_string_member(o, "why"),
			                     "memcpy_gbps: expected a number in"),
			              "%s", json_object_get_string_member(o, "why"));
			seen++;
		}
	}
	ck_assert_int_eq(seen, 2);
	g_object_unref(parser);
	g_free(jp);

	/* determinism: another directory, the same bytes */
	char *dir2 = g_build_filename(tu_tmpdir(), "flip2", NULL);
	g_free(run_sens(flip_ini, "flip.ini", dir2, "-q"));
	char *a = slurp(dir, "sensitivity.csv"), *b = slurp(dir2, "sensitivity.csv");
	ck_assert_msg(!strcmp(a, b), "sensitivity.csv differs between two runs");
	g_free(b);

	/* --reuse: nothing reruns (a result keeps its time), the same outputs */
	char *res = g_build_filename(dir, "lock_cacheline_ns-x2", "xfs", "result.json", NULL);
	struct stat s0, s1;
	ck_assert(g_stat(res, &s0) == 0);
	g_free(run_sens(flip_ini, "flip.ini", dir, "--reuse -q"));
	ck_assert(g_stat(res, &s1) == 0);
	ck_assert_msg(s0.st_mtim.tv_sec == s1.st_mtim.tv_sec &&
	                  s0.st_mtim.tv_nsec == s1.st_mtim.tv_nsec,
	              "--reuse ran the setting again");
	b = slurp(dir, "sensitivity.csv");
	ck_assert_msg(!strcmp(a, b), "sensitivity.csv differs after --reuse");
	g_free(a);
	g_free(b);
	g_free(res);
	g_free(out);
	g_free(dir2);
	g_free(dir);
}
END_TEST

START_TEST(test_no_flip)
{
	/* two seeds: the confidence-interval rule (the simple device is deterministic, so
	 * the intervals are 0 and any difference orders) */
	char *dir = g_build_filename(tu_tmpdir(), "noflip", NULL);
	char *out = run_sens(noflip_ini, "noflip.ini", dir, "--seeds 2");
	ck_assert_msg(strstr(out, "0 settings with a flip"), "%s", out);
	ck_assert_msg(!strstr(out, "FLIP"), "%s", out);
	GPtrArray *r = read_csv(dir);
	int nok = 0;
	for (guint i = 1; i < r->len; i++) {
		char **x = r->pdata[i];
		ck_assert_str_eq(str(r, x, "flips"), "");
		if (strcmp(str(r, x, "status"), "ok"))
			continue;
		nok++;
		ck_assert_str_eq(str(r, x, "ranking"), "xfs > serial");
		if (!strcmp(str(r, x, "policy"), "xfs"))
			ck_assert_msg(num(r, x, "vs_serial") > 1.9, "xfs/serial %s at %s x%s",
			              str(r, x, "vs_serial"), str(r, x, "key"),
			              str(r, x, "factor"));
	}
	/* baseline + 4 costs x 2 + memcpy x 0.5, two policies each */
	ck_assert_int_eq(nok, 2 * (1 + 4 * 2 + 1));
	row(r, "fs_path_ns", "2", "serial"); /* the nonzero costs ran */
	row(r, "wake_ns", "0.5", "xfs");
	g_ptr_array_free(r, TRUE);
	g_free(out);
	g_free(dir);
}
END_TEST

START_TEST(test_report_section)
{
	/* sensitivity.csv beside a scenario's comparison (DIR-sensitivity) puts its section
	 * on the report page, with the flip */
	char *res = g_build_filename(tu_tmpdir(), "res", NULL);
	char *sdir = g_build_filename(res, "flip-sensitivity", NULL), *out;
	g_free(run_sens(flip_ini, "flip.ini", sdir, "-q"));
	const char *sc = tu_write("flip.ini", flip_ini);
	int st = tu_sh(&out, "%s report %s --seeds 1 --results %s -q", tu_prog(), sc, res);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	char *page = g_build_filename(res, "report", NULL);
	char *html = slurp(page, "index.html");
	ck_assert_msg(strstr(html, "Sensitivity to the host's costs"), "no section");
	ck_assert_msg(strstr(html, "serial now ahead of xfs"), "no flip on the page");
	ck_assert_msg(strstr(html, "1 with a ranking flip"), "no count on the page");
	ck_assert_msg(strstr(html, "1.20&times; at baseline, from 1.00&times;"), "no best/serial");
	char *copy = g_build_filename(page, "flip", "sensitivity.csv", NULL);
	ck_assert_msg(g_file_test(copy, G_FILE_TEST_IS_REGULAR), "the linked csv is not copied");
	g_free(copy);
	g_free(html);
	g_free(page);
	g_free(out);
	g_free(sdir);
	g_free(res);
}
END_TEST

START_TEST(test_order_rule)
{
	/* the rule by hand: with several seeds two policies are ordered when the difference of
	 * their means exceeds the sum of their 95% intervals; with one seed, when it exceeds the
	 * threshold times the larger */
	static const struct {
		int seeds;
		double a, a_ci, b, b_ci;
		int want;
	} cases[] = {
	    {3, 100, 3, 95, 3, 0},   /* 5 <= 3 + 3: the intervals overlap */
	    {3, 100, 2, 95, 2, 1},   /* 5 > 2 + 2 */
	    {3, 95, 2, 100, 2, -1},  /* the other way */
	    {3, 100, 0, 99.9, 0, 1}, /* intervals of 0 (a deterministic model): any difference */
	    {1, 100, 0, 98.5, 0, 0}, /* 1.5 <= 2% of 100 */
	    {1, 100, 0, 97.9, 0, 1}, /* 2.1 > 2 */
	    {1, 97.9, 0, 100, 0, -1},
	};
	char *pols[] = {"a", "b", NULL};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct sens *s = sens_new("t", pols, cases[i].seeds, 0.02);
		GArray *all = g_array_new(FALSE, TRUE, sizeof(struct cmp_all));
		struct cmp_all x = {.policy = g_strdup("a"),
		                    .iops = cases[i].a,
		                    .iops_ci = cases[i].a_ci,
		                    .seeds = cases[i].seeds},
		               y = {.policy = g_strdup("b"),
		                    .iops = cases[i].b,
		                    .iops_ci = cases[i].b_ci,
		                    .seeds = cases[i].seeds};
		g_array_append_val(all, x);
		g_array_append_val(all, y);
		ck_assert_msg(sens_order(s, all, "a", "b") == cases[i].want,
		              "case %zu: %d, want %d", i, sens_order(s, all, "a", "b"),
		              cases[i].want);
		ck_assert_int_eq(sens_order(s, all, "b", "a"), -cases[i].want);
		ck_assert_int_eq(sens_order(s, all, "a", "c"), 0); /* absent: never ordered */
		cmp_all_free(all);
		sens_free(s);
	}
}
END_TEST

START_TEST(test_every_host_cost)
{
	/* every [host] key with a unit of time or rate, but syscall_ns (the sum of the four
	 * stages), is a cost the command varies, and run_host_cost reads back what the key
	 * wrote: a key added to the table cannot be left out of the sensitivity */
	int n = 0;
	for (const char *const *k = run_host_keys(); *k; k++) {
		bool unit = g_str_has_suffix(*k, "_ns") || g_str_has_suffix(*k, "_gbps");
		double v;
		struct env_host h0 = {0};
		bool cost = run_host_cost(&h0, *k, &v);
		if (!strcmp(*k, "syscall_ns")) {
			ck_assert_msg(!cost, "syscall_ns is the stages' sum, not a cost");
			continue;
		}
		ck_assert_msg(cost == unit, "[host] %s: cost %d, unit %d", *k, cost, unit);
		if (!cost)
			continue;
		n++;
		char *text = g_strdup_printf("[host]\n%s=%d\n", *k, 37 + n);
		struct scn *s = tu_plain(text);
		struct env_host h;
		GError *err = NULL;
		ck_assert_msg(run_load_host(scn_section(s, "host"), &h, &err), "%s",
		              err ? err->message : "?");
		ck_assert(run_host_cost(&h, *k, &v));
		tu_near(v, 37 + n, 1e-12, *k);
		scn_free(s);
		g_free(text);
	}
	ck_assert_int_eq(n, 11); /* 4 stages, wake, page lookup, memcpy, 3 lock costs, alloc */
}
END_TEST

START_TEST(test_bad_options)
{
	char *sc = g_strdup(tu_write("flip.ini", flip_ini)); /* tu_write's buffer is static */
	char *bad = g_strdup(tu_write("banana.ini", "[j]\nfilename=f\nsize=1m\nbs=banana\n"));
	static const struct {
		const char *args, *says;
	} cases[] = {
	    {"", "expected one SCENARIO"},
	    {"%s %s", "expected one SCENARIO"},
	    {"%s --seeds 0", "--seeds"},
	    {"%s --factors 1", "--factors"},
	    {"%s --factors 0", "--factors"},
	    {"%s --factors -2", "--factors"},
	    {"%s --factors abc", "--factors"},
	    {"%s --factors 0.5,0.5", "given twice"},
	    {"%s --factors 2,2.0000000000001", "given twice"}, /* the same in the outputs */
	    {"%s --factors ''", "--factors"},
	    {"%s --threshold 100", "--threshold"},
	    {"%s --threshold -1", "--threshold"},
	    {"%s --jobs -1", "--jobs"},
	    {"%s --policies serial,bogus", "bogus"},
	    {"%s --bogus", "bogus"},
	    {"/nonexistent/x.ini", "x.ini"},
	    {"BAD", "banana.ini:4"},
	    {"%s --set host.wake_ns=-1", "wake_ns"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *dir = g_build_filename(tu_tmpdir(), "bad", NULL);
		char *args = !strcmp(cases[i].args, "BAD") ? g_strdup(bad)
		                                           : g_strdup_printf(cases[i].args, sc, sc);
		char *out;
		int st = tu_sh(&out, "%s sensitivity %s --out %s", tu_prog(), args, dir);
		ck_assert_msg(st == 2, "'%s': exit %d: %s", args, st, out);
		ck_assert_msg(strstr(out, cases[i].says), "'%s' does not say %s: %s", args,
		              cases[i].says, out);
		char *csv = g_build_filename(dir, "sensitivity.csv", NULL);
		ck_assert_msg(!g_file_test(csv, G_FILE_TEST_EXISTS), "'%s' wrote %s", args, csv);
		g_free(csv);
		g_free(out);
		g_free(args);
		g_free(dir);
	}
	g_free(sc);
	g_free(bad);
}
END_TEST

Suite *
suite_sensitivity(void)
{
	Suite *s = suite_create("sensitivity");
	TCase *tc = tcase_create("sensitivity");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_order_rule);
	tcase_add_test(tc, test_every_host_cost);
	tcase_add_test(tc, test_bad_options);
	tcase_add_test(tc, test_flip_reported);
	tcase_add_test(tc, test_no_flip);
	tcase_add_test(tc, test_report_section);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_plugins.c -- a new policy is one row plus its classify function, a new disk model one
 * file plus one row: this file adds a test-only policy and a test-only disk model exactly
 * that way (lk_policy_register, disk_model_register), and runs them through the whole stack
 * (run_simulate: scenario, file system, locks, disk actor, outputs), judged by closed forms.
 *
 * The policy, "test-writers-share": classes R and W, writes share with writes, a read with
 * nothing -- the opposite of serial.  The disk model, "test-linear": a request takes
 * base_us + per_kib_us per KiB on `channels` servers: 60 + 4 x 10 = 100 us for 4 KiB.
 * N = 4 threads doing non-overlapping direct 4 KiB requests to one preallocated file, every
 * host cost 0, C = 2 channels, L = 100 us (DESIGN.md §7's closed form):
 *   writes: serial 1 / L = 10,000/s; test-writers-share min(N, C) / L = 20,000/s;
 *   reads:  serial min(N, C) / L = 20,000/s; test-writers-share 1 / L = 10,000/s.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stddef.h>

#include "models/disk.h"
#include "models/locks/policy.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "tests/testutil.h"

/* ---- the policy: one row and its classify function ---- */

static const char *const rw_classes[] = {"R", "W"};

static int
classify_writers_share(const struct lk_req *r, const struct lk_params *p)
{
	return r->op == IO_READ ? 0 : 1;
}

static const struct lk_policy writers_share = {
    .name = "test-writers-share",
    .summary = "test only: writes share the vnode lock, reads take it alone",
    .nclasses = 2,
    .class_names = rw_classes,
    .default_matrix = "R: W:W",
    .classify = classify_writers_share,
};

/* ---- the disk model: what its file holds, and its row ---- */

struct linear_cfg {
	double base_us, per_kib_us;
	int channels;
	double capacity_gb;
};

static const struct disk_param linear_params[] = {
    {"base_us", DISK_PARAM_DOUBLE, offsetof(struct linear_cfg, base_us), 50, 0, 1e9, NULL},
    {"per_kib_us", DISK_PARAM_DOUBLE, offsetof(struct linear_cfg, per_kib_us), 1, 0, 1e9, NULL},
    {"channels", DISK_PARAM_INT, offsetof(struct linear_cfg, channels), 1, 1, 64, NULL},
    {"capacity_gb", DISK_PARAM_DOUBLE, offsetof(struct linear_cfg, capacity_gb), 1, 1e-3, 1e3,
     NULL},
    {NULL},
};

static void *
linear_create(const void *cfg, GError **err)
{
	return g_memdup2(cfg, sizeof(struct linear_cfg));
}

static void
linear_destroy(void *m)
{
	g_free(m);
}

static uint64_t
linear_capacity(const void *m)
{
	return (uint64_t)(((const struct linear_cfg *)m)->capacity_gb * 1e9 / DISK_SECTOR);
}

static int
linear_channels(const void *m)
{
	return ((const struct linear_cfg *)m)->channels;
}

static void
linear_service(void *mv, enum io_dir op, uint64_t lbn, uint32_t nsect, double now,
               struct disk_svc *out)
{
	const struct linear_cfg *m = mv;
	*out = (struct disk_svc){.xfer = (m->base_us + m->per_kib_us * nsect / 2.0) * 1e-6};
}

static const struct disk_model linear = {
    .name = "test-linear",
    .summary = "test only: base_us + per_kib_us per KiB, on channels servers",
    .params = linear_params,
    .cfg_size = sizeof(struct linear_cfg),
    .create = linear_create,
    .destroy = linear_destroy,
    .capacity = linear_capacity,
    .channels = linear_channels,
    .service = linear_service,
};

/* ---- runs ---- */

static const char scenario[] =
    "[global]\nfilename=shared\nsize=1m\nbs=4k\ndirect=1\nnumber_ios=250\nioengine=psync\n"
    "[t0]\noffset=0\n[t1]\noffset=1m\n[t2]\noffset=2m\n[t3]\noffset=3m\n"
    "[disk]\nmodel=test-linear\nbase_us=60\nper_kib_us=10\nchannels=2\n"
    "[host]\nprofile=ideal\nsyscall_ns=0\npage_lookup_ns=0\nlock_op_ns=0\nlock_node_ns=0\n"
    "lock_cacheline_ns=0\n";

static const struct {
	const char *policy, *rw;
	double iops; /* closed form (the top of this file) */
	bool waited; /* the vnode lock made someone wait */
} cases[] = {
    {"serial", "write", 10000, true},
    {"test-writers-share", "write", 20000, false},
    {"serial", "read", 20000, false},
    {"test-writers-share", "read", 10000, true},
};

START_TEST(test_registered_plugins)
{
	lk_policy_register(&writers_share);
	disk_model_register(&linear);
	ck_assert_ptr_eq(lk_policy_find("test-writers-share"), &writers_share);
	ck_assert_ptr_eq(disk_model_find("test-linear"), &linear);
	struct scn *s = tu_scn(scenario);
	GError *err = NULL;
	char *set = g_strdup_printf("global.rw=%s", cases[_i].rw);
	ck_assert_msg(scn_set(s, set, &err), "%s", err ? err->message : "");
	g_free(set);
	char *dir = g_build_filename(tu_tmpdir(), cases[_i].policy, NULL);
	ck_assert(g_mkdir_with_parents(dir, 0755) == 0);
	struct run_opts o = {.outdir = dir, .policy = cases[_i].policy, .seed = 1};
	ck_assert_int_eq(run_simulate(s, &o), 0); /* one simulation in this (forked) process */
	/* the `all` row of summary.part: ops (4), read_iops (5), write_iops (6), vnode_wait_us
	 * (14), as summary.csv's columns */
	char *path = g_build_filename(dir, "summary.part", NULL), *text = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	char *all = strstr(text, ",all,");
	ck_assert_msg(all, "%s", text);
	while (all > text && all[-1] != '\n')
		all--;
	char **f = g_strsplit(all, ",", -1);
	ck_assert(g_strv_length(f) > 14);
	ck_assert_int_eq(atoi(f[4]), 1000);
	double iops = g_ascii_strtod(f[strcmp(cases[_i].rw, "read") == 0 ? 5 : 6], NULL);
	ck_assert_msg(fabs(iops - cases[_i].iops) / cases[_i].iops < 1e-6,
	              "%s %s: %.3f/s, closed form %.0f", cases[_i].policy, cases[_i].rw, iops,
	              cases[_i].iops);
	ck_assert_msg((g_ascii_strtod(f[14], NULL) > 0) == cases[_i].waited, "vnode wait %s",
	              f[14]);
	g_strfreev(f);
	g_free(text);
	g_free(path);
	/* result.json names the registered model, and its settings */
	path = g_build_filename(dir, "result.json", NULL);
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	ck_assert_msg(strstr(text, "\"model\" : \"test-linear\""), "%.400s", text);
	g_free(text);
	g_free(path);
	g_free(dir);
	scn_free(s);
}
END_TEST

START_TEST(test_registered_bad_input)
{
	/* the registered model's keys are checked as the built-in ones are: bounds, unknown
	 * keys, named by file:line */
	disk_model_register(&linear);
	static const struct {
		const char *set, *msg;
	} bad[] = {
	    {"disk.channels=0", "[disk] channels: expected an integer in [1, 64], got '0'"},
	    {"disk.read_us=80", "[disk] read_us: unknown key"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct scn *s = tu_scn(scenario);
		GError *err = NULL;
		ck_assert(scn_set(s, bad[i].set, &err));
		ck_assert(!run_check(s, &err));
		ck_assert_msg(strstr(err->message, bad[i].msg), "%s", err->message);
		g_clear_error(&err);
		scn_free(s);
	}
}
END_TEST

Suite *
suite_plugins(void)
{
	Suite *s = suite_create("plugins");
	TCase *tc = tcase_create("plugins");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_registered_plugins, 0, G_N_ELEMENTS(cases));
	tcase_add_test(tc, test_registered_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * run.c -- one simulation run in this process: load the settings, build the platform, the
 * disk and the jobs, run SimGrid, and write the run's outputs.
 *
 * (1) Everything a run owns hangs off struct run (run.h); nothing is global but SimGrid.
 * (2) The outputs of a run are a pure function of the scenario, the policy and the seed:
 *     nothing machine-dependent goes into result.json or the summary rows (wall time and
 *     memory go to timing.part only).
 * (3) The final sync (the drive's write-back cache) happens after the measured requests and
 *     is left out of the statistics.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <glib/gstdio.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <xbt/log.h>

#include "models/disk.h"
#include "models/fs.h"
#include "models/oracle.h"
#include <simgrid/semaphore.h>
#include "models/locks/policy.h"
#include "sim/config.h"
#include "sim/guard.h"
#include "sim/output.h"
#include "sim/platform.h"
#include "sim/progress.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/workload.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_run, vnodesim, "a run: start, end, final sync");

static const char *const host_keys[] = {
    "profile",           "cores",         "syscall_ns",    "syscall_entry_ns",
    "fs_path_ns",        "blk_submit_ns", "completion_ns", "wake_ns",
    "page_lookup_ns",    "memcpy_gbps",   "lock_op_ns",    "lock_node_ns",
    "lock_cacheline_ns", "alloc_ns",      "range_mutex",   NULL};

/* [host] profile=NAME: a set of defaults; explicit keys override them (docs/host.md, which
 * repeats every source).  A figure is a measurement published with the machine it was made
 * on; a figure marked UNSOURCED is a value kept from before the host model (no published
 * measurement found): its sensitivity is what `vnodesim sensitivity` is for.
 *
 * Sources:
 *  [PTI]  Alexandre Chartre (Oracle), linux-kernel, 18 Nov 2020, "Re: [RFC][PATCH v2 00/21]
 *         x86/pti: Defer CR3 switch to C code": `perf bench syscall basic` (getppid, which
 *         is only the kernel entry and exit) on an x86 server running 5.10-rc4: 0.0792 us
 *         booted nopti, 0.2025 us with PTI.  The CPU is not named in the post.
 *  [WAKE] Andrei Vagin, linux-kernel, 27 Oct 2022, "sched/fair: consider WF_SYNC to find
 *         idle siblings": `perf bench sched pipe`, 8.81 us per round trip before the patch
 *         (the woken task placed on another, idle CPU).  A round trip is two hand-offs
 *         (wake-up + context switch each, plus a pipe write and read): 4.4 us per hand-off,
 *         an upper bound since the pipe calls are inside.  The CPU is not named.
 *  [LINE] John D. McCalpin ("Dr. Bandwidth"), Intel Developer Zone forum, "Core-to-Core
 *         Communication Latency in Skylake/Kaby Lake": Intel Memory Latency Checker on a
 *         Xeon E5-2660 v4 (Broadwell EP, 10 cores, 2.0 GHz): L2-to-L2 modified-line
 *         intervention in one socket 40.3-42.3 ns (snoop mode, uncore clock); we take 40.3.
 *  [ARK]  Intel ARK product specifications: Core 2 Duo E7500 (2 cores, 2.93 GHz, 2009) and
 *         Xeon Gold 6140 (18 cores, 2.30 GHz, Skylake-SP, 2017): the core counts.  Whether
 *         a kernel ran with PTI follows from its date (PTI merged January 2018, Linux 4.15)
 *         and the CPU (Skylake-SP is affected by Meltdown, so PTI is on by default).
 *  UNSOURCED: fs_path (the previous syscall_ns of 500 ns less the sourced entry/exit,
 *         rounded: the file system's and block layer's share of the old single figure),
 *         blk_submit and completion (0: inside fs_path's remainder until a published
 *         per-stage figure is found), page_lookup, memcpy, lock_op, lock_node, alloc. */
static const char *const sim_keys[] = {"seed",   "warmup_s",        "policies", "jitter",
                                       "oracle", "exact_quantiles", NULL};

struct host_profile {
	const char *name;
	int cores;
	double syscall, fs_path, blk_submit, completion, wake; /* ns */
	double page_lookup, memcpy_gbps, lock_op, lock_node, lock_cacheline, alloc;
	bool range_mutex;
};

static const struct host_profile host_profiles[] = {
    /* the default: Linux on x86 with the Meltdown mitigation (PTI) */
    {"linux-x86", 8, 202.5 /* [PTI] */, 300 /* UNSOURCED */, 0 /* UNSOURCED */, 0 /* UNSOURCED */,
     4400 /* [WAKE] */, 100, 8, 50, 20, 40.3 /* [LINE] */, 1000, true},
    /* the same without PTI (a CPU not vulnerable to Meltdown, or booted nopti) */
    {"linux-x86-nopti", 8, 79.2 /* [PTI] nopti */, 300, 0, 0, 4400, 100, 8, 50, 20, 40.3, 1000,
     true},
    /* every cost zero (closed forms); memcpy at the largest rate accepted */
    {"ideal", 8, 0, 0, 0, 0, 0, 0, 1e6, 0, 0, 0, 0, true},
    /* the machines of the published measurements (scenarios/published/): their core counts
     * [ARK]; per-stage costs as linux-x86(-nopti), none having been published for them */
    /* Core 2 Duo E7500 under a 2012-2013 kernel (before PTI): btrfs-unlocked-dio */
    {"core2-e7500", 2, 79.2 /* [PTI] nopti */, 300, 0, 0, 4400, 100, 8, 50, 20, 40.3, 1000, true},
    /* one Xeon Gold 6140 (Skylake-SP, PTI on) under Linux 6.2: ext4-prealloc-dio */
    {"xeon-gold-6140", 18, 202.5 /* [PTI] */, 300, 0, 0, 4400, 100, 8, 50, 20, 40.3, 1000, true},
};

static const char *
run_host_profiles(void)
{
	return "linux-x86, linux-x86-nopti, ideal, core2-e7500, xeon-gold-6140";
}

bool
run_load_host(const struct scn_sect *s, struct env_host *h, GError **err)
{
	int64_t cores;
	const char *name;
	if (!scn_check_keys(s, host_keys, err) ||
	    !scn_get_str(s, "profile", host_profiles[0].name, &name, err))
		return false;
	const struct host_profile *p = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(host_profiles); i++)
		if (!strcmp(name, host_profiles[i].name))
			p = &host_profiles[i];
	if (!p)
		return scn_error(s, "profile", err, "unknown host profile '%s' (known: %s)", name,
		                 run_host_profiles());
	/* syscall_ns, the single figure of before: the sum of the four per-request stages,
	 * split in the profile's proportions (all to the entry stage if they are all 0); an
	 * explicit stage key then overrides its share */
	double sys = p->syscall, fsp = p->fs_path, blk = p->blk_submit, cpl = p->completion;
	double total = sys + fsp + blk + cpl, t;
	if (!scn_get_double(s, "syscall_ns", total, 0, 1e12, &t, err))
		return false;
	if (t != total) {
		if (total > 0) {
			sys *= t / total;
			fsp *= t / total;
			blk *= t / total;
			cpl *= t / total;
		} else {
			sys = t;
		}
	}
	double wake, look, mem, op, node, line, alloc;
	bool rmutex;
	if (!scn_get_int(s, "cores", p->cores, 1, 4096, &cores, err) ||
	    !scn_get_double(s, "syscall_entry_ns", sys, 0, 1e12, &sys, err) ||
	    !scn_get_double(s, "fs_path_ns", fsp, 0, 1e12, &fsp, err) ||
	    !scn_get_double(s, "blk_submit_ns", blk, 0, 1e12, &blk, err) ||
	    !scn_get_double(s, "completion_ns", cpl, 0, 1e12, &cpl, err) ||
	    !scn_get_double(s, "wake_ns", p->wake, 0, 1e12, &wake, err) ||
	    !scn_get_double(s, "page_lookup_ns", p->page_lookup, 0, 1e12, &look, err) ||
	    !scn_get_double(s, "memcpy_gbps", p->memcpy_gbps, 1e-6, 1e6, &mem, err) ||
	    !scn_get_double(s, "lock_op_ns", p->lock_op, 0, 1e12, &op, err) ||
	    !scn_get_double(s, "lock_node_ns", p->lock_node, 0, 1e12, &node, err) ||
	    !scn_get_double(s, "lock_cacheline_ns", p->lock_cacheline, 0, 1e12, &line, err) ||
	    !scn_get_double(s, "alloc_ns", p->alloc, 0, 1e12, &alloc, err) ||
	    !scn_get_bool(s, "range_mutex", p->range_mutex, &rmutex, err))
		return false;
	*h = (struct env_host){.cores = (int)cores,
	                       .syscall = sys * 1e-9,
	                       .fs_path = fsp * 1e-9,
	                       .blk_submit = blk * 1e-9,
	                       .completion = cpl * 1e-9,
	                       .wake = wake * 1e-9,
	                       .page_lookup = look * 1e-9,
	                       .memcpy_bps = mem * 1e9,
	                       .lock_op = op * 1e-9,
	                       .lock_node = node * 1e-9,
	                       .lock_cacheline = line * 1e-9,
	                       .alloc = alloc * 1e-9,
	                       .range_mutex = rmutex,
	                       .profile = p->name};
	return true;
}

const char *const *
run_host_keys(void)
{
	return host_keys;
}

/* The costs among host_keys: where each lives in struct env_host and its unit (the field in
 * seconds or bytes/s is the key's value times UNIT).  syscall_ns is not one: it is the sum of
 * the four stages, each a cost of its own. */
static const struct {
	const char *key;
	size_t off;
	double unit;
} host_costs[] = {
    {"syscall_entry_ns", offsetof(struct env_host, syscall), 1e-9},
    {"fs_path_ns", offsetof(struct env_host, fs_path), 1e-9},
    {"blk_submit_ns", offsetof(struct env_host, blk_submit), 1e-9},
    {"completion_ns", offsetof(struct env_host, completion), 1e-9},
    {"wake_ns", offsetof(struct env_host, wake), 1e-9},
    {"page_lookup_ns", offsetof(struct env_host, page_lookup), 1e-9},
    {"memcpy_gbps", offsetof(struct env_host, memcpy_bps), 1e9},
    {"lock_op_ns", offsetof(struct env_host, lock_op), 1e-9},
    {"lock_node_ns", offsetof(struct env_host, lock_node), 1e-9},
    {"lock_cacheline_ns", offsetof(struct env_host, lock_cacheline), 1e-9},
    {"alloc_ns", offsetof(struct env_host, alloc), 1e-9},
};

bool
run_host_cost(const struct env_host *h, const char *key, double *value)
{
	for (size_t i = 0; i < G_N_ELEMENTS(host_costs); i++)
		if (!strcmp(key, host_costs[i].key)) {
			double v;
			memcpy(&v, (const char *)h + host_costs[i].off, sizeof v);
			*value = v / host_costs[i].unit;
			return true;
		}
	return false;
}

bool
run_load_sim(const struct scn_sect *s, struct sim_cfg *c, GError **err)
{
	int64_t seed;
	const char *pol;
	if (!scn_check_keys(s, sim_keys, err) ||
	    !scn_get_int(s, "seed", 1, 0, INT64_MAX, &seed, err) ||
	    !scn_get_double(s, "warmup_s", 0, 0, SCN_MAX_SECONDS, &c->warmup_s, err) ||
	    !scn_get_double(s, "jitter", 0, 0, 0.99, &c->jitter, err) ||
	    !scn_get_bool(s, "oracle", true, &c->oracle, err) ||
	    !scn_get_bool(s, "exact_quantiles", false, &c->exact_quantiles, err) ||
	    !scn_get_str(s, "policies", "all", &pol, err))
		return false;
	c->seed = (uint64_t)seed;
	c->policies = g_strdup(pol);
	return true;
}

static bool
load_all(struct run *r, struct scn *s, const struct run_opts *o, GError **err)
{
	r->scn = s;
	if (!run_load_host(scn_section(s, "host"), &r->host, err) ||
	    !run_load_sim(scn_section(s, "sim"), &r->sim, err))
		return false;
	const char *pol;
	const struct scn_sect *ps = scn_section(s, "policy");
	if (!scn_get_str(ps, "name", "serial", &pol, err))
		return false;
	if (!lk_policy_find(pol))
		return scn_error(ps, "name", err, "unknown policy '%s' (vnodesim policies)", pol);
	if (!r->policy)
		r->policy = pol;
	/* a replayed trace was taken below the host's scheduler: it bypasses the block layer */
	bool replay = o && o->trace;
	r->disk = cfg_disk(scn_section(s, "disk"), replay ? NULL : scn_section(s, "block"), r->seed,
	                   r->sim.jitter, err);
	if (!r->disk)
		return false;
	if (o && o->trace) { /* a replay addresses the raw device: no file system */
		r->jobs = g_ptr_array_new_with_free_func((GDestroyNotify)wl_job_free);
		struct wl_job *j = wl_job_new(scn_name(s));
		j->trace = g_strdup(o->trace_path);
		g_ptr_array_add(r->jobs, j);
		return true;
	}
	struct fs_config fc;
	if (!cfg_fs(s, r->policy, r->sim.oracle, disk_capacity(r->disk), &fc, err))
		return false;
	run_env_init(r);
	r->fs = fs_create(&fc, &r->env, r->disk);
	r->jobs = wl_jobs_load(s, disk_capacity(r->disk), err);
	return r->jobs != NULL;
}

static void
run_free(struct run *r)
{
	if (r->jobs)
		g_ptr_array_free(r->jobs, TRUE);
	fs_destroy(r->fs);
	disk_destroy(r->disk);
	if (r->rng)
		g_rand_free(r->rng);
	g_free(r->sim.policies);
	st_job_free(&r->all);
}

bool
run_check(const struct scn *s, GError **err)
{
	return run_check_policy(s, NULL, err);
}

bool
run_check_policy(const struct scn *s, const char *policy, GError **err)
{
	struct run r = {.policy = policy};
	bool ok = load_all(&r, (struct scn *)s, NULL, err) && guard_check_bounds(&r, err);
	run_free(&r);
	return ok;
}

/* ---- result.json ---- */

static void
put_member(void *ctx, const char *k, const char *v)
{
	JsonBuilder *b = ctx;
	json_builder_set_member_name(b, k);
	json_builder_add_string_value(b, v);
}

static void
put_num(JsonBuilder *b, const char *k, double v)
{
	json_builder_set_member_name(b, k);
	json_builder_add_double_value(b, v);
}

static void
put_int(JsonBuilder *b, const char *k, long long v)
{
	json_builder_set_member_name(b, k);
	json_builder_add_int_value(b, v);
}

static void
put_counter(void *ctx, const char *k, double v)
{
	put_num(ctx, k, v);
}

struct lock_json {
	JsonBuilder *b;
	char *open; /* the lock whose object is open */
};

static void
put_lock(void *ctx, const char *lock, const char *cls, double acq, double contended,
         double wait_mean, double wait_p99, double wait_max, double hold_mean, double hold_p99,
         double hold_max)
{
	struct lock_json *lj = ctx;
	JsonBuilder *b = lj->b;
	if (!lj->open || strcmp(lj->open, lock) != 0) {
		if (lj->open)
			json_builder_end_object(b);
		g_free(lj->open);
		lj->open = g_strdup(lock);
		json_builder_set_member_name(b, lock);
		json_builder_begin_object(b);
	}
	json_builder_set_member_name(b, cls);
	json_builder_begin_object(b);
	put_num(b, "acquisitions", acq);
	put_num(b, "contended", contended);
	put_num(b, "wait_mean_us", wait_mean * 1e6);
	put_num(b, "wait_p99_us", wait_p99 * 1e6);
	put_num(b, "wait_max_us", wait_max * 1e6);
	put_num(b, "hold_mean_us", hold_mean * 1e6);
	put_num(b, "hold_p99_us", hold_p99 * 1e6);
	put_num(b, "hold_max_us", hold_max * 1e6);
	json_builder_end_object(b);
}

static void
describe_host(const struct run *r, JsonBuilder *b)
{
	char v[64];
	json_builder_set_member_name(b, "host");
	json_builder_begin_object(b);
#define H(k, fmt, x)                                                                               \
	snprintf(v, sizeof v, fmt, x);                                                             \
	put_member(b, k, v)
	H("profile", "%s", r->host.profile ? r->host.profile : "");
	H("cores", "%d", r->host.cores);
	H("syscall_ns", "%.17g",
	  (r->host.syscall + r->host.fs_path + r->host.blk_submit + r->host.completion) * 1e9);
	H("syscall_entry_ns", "%.17g", r->host.syscall * 1e9);
	H("fs_path_ns", "%.17g", r->host.fs_path * 1e9);
	H("blk_submit_ns", "%.17g", r->host.blk_submit * 1e9);
	H("completion_ns", "%.17g", r->host.completion * 1e9);
	H("wake_ns", "%.17g", r->host.wake * 1e9);
	H("page_lookup_ns", "%.17g", r->host.page_lookup * 1e9);
	H("memcpy_gbps", "%.17g", r->host.memcpy_bps / 1e9);
	H("lock_op_ns", "%.17g", r->host.lock_op * 1e9);
	H("lock_node_ns", "%.17g", r->host.lock_node * 1e9);
	H("lock_cacheline_ns", "%.17g", r->host.lock_cacheline * 1e9);
	H("alloc_ns", "%.17g", r->host.alloc * 1e9);
	H("range_mutex", "%s", r->host.range_mutex ? "on" : "off");
	json_builder_end_object(b);
	json_builder_set_member_name(b, "sim");
	json_builder_begin_object(b);
	H("seed", "%llu", (unsigned long long)r->seed);
	H("warmup_s", "%.17g", r->sim.warmup_s);
	H("jitter", "%.17g", r->sim.jitter);
	H("oracle", "%s", r->sim.oracle ? "on" : "off");
	if (r->sim.exact_quantiles) { /* only when asked: the default's result.json is unchanged */
		H("exact_quantiles", "%s", "on");
	}
#undef H
	json_builder_end_object(b);
}

/* fio's disk_util array: the simulated drive, named after its model. */
static void
disk_util_json(const struct run *r, JsonBuilder *b)
{
	const struct disk_stats *ds = &r->disk_at_end;
	json_builder_set_member_name(b, "disk_util");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, "vnodesim0");
	put_int(b, "read_ios", (long long)ds->nread);
	put_int(b, "write_ios", (long long)ds->nwrite);
	put_int(b, "read_merges", 0);
	put_int(b, "write_merges", (long long)ds->nmerged);
	/* the drive keeps one response-time sum: split by request count (documented) */
	double n = ds->nreq ? (double)ds->nreq : 1;
	put_int(b, "read_ticks", (long long)(ds->sum_resp * (double)ds->nread / n * 1e3));
	put_int(b, "write_ticks", (long long)(ds->sum_resp * (double)ds->nwrite / n * 1e3));
	put_int(b, "in_queue", (long long)(ds->area * 1e3));
	put_num(b, "util", r->t_end > 0 ? ds->busy / r->t_end * 100 : 0);
	json_builder_end_object(b);
	json_builder_end_array(b);
}

static JsonNode *
result_json(struct run *r, bool plus)
{
	const struct disk_stats *ds = &r->disk_at_end;
	JsonBuilder *b = json_builder_new();
	json_builder_begin_object(b);
	fio_top_json(b);
	json_builder_set_member_name(b, "jobs");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->jobs->len; i++) {
		struct wl_job *j = r->jobs->pdata[i];
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "jobname");
		json_builder_add_string_value(b, j->name);
		put_int(b, "groupid", j->group);
		put_int(b, "error", 0);
		put_int(b, "eta", 0);
		put_int(b, "elapsed", (long long)ceil(r->t_end));
		json_builder_set_member_name(b, "job options");
		json_builder_begin_object(b);
		wl_job_describe(j, put_member, b);
		json_builder_end_object(b);
		fio_job_json(b, &j->st, &j->series, &j->fio, j->iodepth, plus);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	disk_util_json(r, b);

	json_builder_set_member_name(b, "vnodesim");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "version");
	json_builder_add_string_value(b, VNODESIM_VERSION);
	json_builder_set_member_name(b, "scenario");
	json_builder_add_string_value(b, scn_name(r->scn));
	json_builder_set_member_name(b, "policy");
	json_builder_add_string_value(b, r->policy);
	put_int(b, "seed", (long long)r->seed);
	json_builder_set_member_name(b, "config");
	json_builder_begin_object(b);
	describe_host(r, b);
	json_builder_set_member_name(b, "disk");
	json_builder_begin_object(b);
	disk_describe(r->disk, put_member, b);
	json_builder_end_object(b);
	if (r->fs) {
		json_builder_set_member_name(b, "fs");
		json_builder_begin_object(b);
		fs_describe(r->fs, put_member, b);
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "policy");
	json_builder_begin_object(b);
	put_member(b, "name", r->policy);
	if (r->fs)
		fs_describe_policy(r->fs, put_member, b);
	json_builder_end_object(b);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "disk");
	json_builder_begin_object(b);
	double n = ds->nreq ? (double)ds->nreq : 1;
	double span = ds->t_last - (ds->t_first > 0 ? ds->t_first : 0);
	put_int(b, "requests", (long long)ds->nreq);
	put_int(b, "reads", (long long)ds->nread);
	put_int(b, "writes", (long long)ds->nwrite);
	put_int(b, "cache_hits", (long long)ds->nhit);
	put_int(b, "merged", (long long)ds->nmerged);
	put_num(b, "busy_s", ds->busy);
	put_num(b, "util", r->t_end > 0 ? ds->busy / r->t_end : 0);
	put_num(b, "mean_response_us", ds->sum_resp / n * 1e6);
	put_num(b, "mean_queue_us", ds->sum_queue / n * 1e6);
	put_num(b, "mean_ctrl_us", ds->sum_ctrl / n * 1e6);
	put_num(b, "mean_seek_us", ds->sum_seek / n * 1e6);
	put_num(b, "mean_rot_us", ds->sum_rot / n * 1e6);
	put_num(b, "mean_xfer_us", ds->sum_xfer / n * 1e6);
	/* Little's law over [first arrival, last completion]: L = lambda W. */
	json_builder_set_member_name(b, "little");
	json_builder_begin_object(b);
	put_num(b, "L", span > 0 ? ds->area / span : 0);
	put_num(b, "lambda", span > 0 ? (double)ds->nreq / span : 0);
	put_num(b, "W_s", ds->sum_resp / n);
	put_num(b, "lambda_W", span > 0 ? ds->sum_resp / span : 0);
	json_builder_end_object(b);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "fs");
	json_builder_begin_object(b);
	if (r->fs_started)
		fs_counters(r->fs, put_counter, b);
	json_builder_end_object(b);

	/* lockstat-style: per lock (kind:file) and class */
	json_builder_set_member_name(b, "locks");
	json_builder_begin_object(b);
	if (r->fs_started) {
		struct lock_json lj = {b, NULL};
		fs_lock_stats(r->fs, put_lock, &lj);
		if (lj.open)
			json_builder_end_object(b);
		g_free(lj.open);
	}
	json_builder_end_object(b);

	/* the summary's `all` row's figures where they repeat it (columns.h) */
	struct col_row all;
	col_row_init(&all, scn_name(r->scn), r->policy, (unsigned long long)r->seed, "all", &r->all,
	             r->t_end > 0 ? ds->busy / r->t_end : 0);
	json_builder_set_member_name(b, "correctness");
	json_builder_begin_object(b);
	out_json_columns(b, &all, COL_JSON_CHECK);
	put_int(b, "concurrent_overlaps", (long long)r->all.conc_overlaps);
	put_int(b, "issued", (long long)r->app_issued);
	put_int(b, "completed", (long long)r->app_done);
	json_builder_set_member_name(b, "conservation");
	json_builder_add_boolean_value(b, r->app_issued == r->app_done);
	json_builder_end_object(b);

	out_json_columns(b, &all, COL_JSON_TOP);
	put_num(b, "sim_seconds", r->t_end);
	json_builder_set_member_name(b, "warnings");
	json_builder_begin_array(b);
	const GPtrArray *w = scn_warnings(r->scn);
	for (guint i = 0; w && i < w->len; i++)
		json_builder_add_string_value(b, w->pdata[i]);
	json_builder_end_array(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	JsonNode *root = json_builder_get_root(b);
	g_object_unref(b);
	return root;
}

static bool
write_outputs(struct run *r, const struct run_opts *o, GError **err)
{
	const struct disk_stats *ds = &r->disk_at_end;
	double util = r->t_end > 0 ? ds->busy / r->t_end : 0;
	GString *rows = g_string_new(NULL);
	st_job_init(&r->all);
	if (r->sim.exact_quantiles)
		st_job_exact(&r->all);
	for (guint i = 0; i < r->jobs->len; i++)
		st_job_merge(&r->all, &((struct wl_job *)r->jobs->pdata[i])->st);
	for (guint i = 0; i < r->jobs->len; i++) {
		struct wl_job *j = r->jobs->pdata[i];
		/* jobs with one name (duplicate sections) are one row, at the first of them */
		guint same = 0;
		bool first = true;
		for (guint k = 0; k < r->jobs->len; k++)
			if (strcmp(((struct wl_job *)r->jobs->pdata[k])->name, j->name) == 0) {
				first = first && k >= i;
				same++;
			}
		if (!first)
			continue;
		if (same == 1) {
			out_summary_row(rows, scn_name(r->scn), r->policy,
			                (unsigned long long)r->seed, j->name, &j->st, util);
			continue;
		}
		struct st_job agg;
		st_job_init(&agg);
		if (r->sim.exact_quantiles)
			st_job_exact(&agg);
		for (guint k = i; k < r->jobs->len; k++) {
			struct wl_job *o2 = r->jobs->pdata[k];
			if (strcmp(o2->name, j->name) == 0)
				st_job_merge(&agg, &o2->st);
		}
		out_summary_row(rows, scn_name(r->scn), r->policy, (unsigned long long)r->seed,
		                j->name, &agg, util);
		st_job_free(&agg);
	}
	out_summary_row(rows, scn_name(r->scn), r->policy, (unsigned long long)r->seed, "all",
	                &r->all, util);
	char *path = g_build_filename(o->outdir, "summary.part", NULL);
	bool ok = out_write_atomic(path, rows->str, rows->len, err);
	g_free(path);
	g_string_free(rows, TRUE);
	if (!ok)
		return false;
	if (o->requests && !out_latency_cdf(o->outdir, &r->all, err))
		return false;
	JsonNode *root = result_json(r, o->json_plus);
	path = g_build_filename(o->outdir, "result.json", NULL);
	ok = out_write_json(path, root, err);
	g_free(path);
	json_node_unref(root);
	return ok;
}

/* Waits for the application threads, notes when they ended and what the disk had done by
 * then, and performs the final sync outside the statistics (note 3). */
static void
supervisor(int argc, char **argv)
{
	struct run *r = sg_actor_self_get_data();
	sg_sem_acquire(r->all_done);
	r->t_app_end = simgrid_get_clock();
	XBT_VERB("every job ended at %.9f s (%llu requests): final sync", r->t_app_end,
	         (unsigned long long)r->app_done);
	r->disk_at_end = *disk_get_stats(r->disk);
	if (r->fs_started) {
		fs_sync_all(r->fs);
	} else {
		double t = disk_flush(r->disk, r->t_app_end);
		if (t > 0)
			sg_actor_sleep_for(t);
	}
}

/* A verdict of the oracle, counted into the job that issued the request (its tag is the
 * job's index among the scenario's jobs). */
static void
count_violation(void *ctx, const struct or_verdict *v)
{
	struct run *r = ctx;
	struct wl_job *j = NULL;
	for (guint i = 0; i < r->jobs->len && !j; i++)
		if (((struct wl_job *)r->jobs->pdata[i])->index == v->tag)
			j = r->jobs->pdata[i];
	g_assert(j);
	struct st_job *st = &j->st;
	switch (v->kind) {
	case OR_TORN_READ:
		st->torn_reads++;
		break;
	case OR_TORN_WRITE:
		st->torn_writes++;
		break;
	case OR_STALE_READ:
		st->stale_reads++;
		break;
	case OR_LOST_WRITE:
		st->lost_writes++;
		break;
	default:
		st->conc_overlaps++;
		break;
	}
}

int
run_simulate(const struct scn *s, const struct run_opts *o)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct run r = {0};
	GError *err = NULL;
	r.policy = o->policy;
	r.seed = o->seed;
	int status = 0;
	char *reqpath = NULL, *timepath = NULL;
	FILE *reqf = NULL, *timef = NULL;
	if (!load_all(&r, (struct scn *)s, o, &err))
		goto bad;
	for (guint i = 0; r.sim.exact_quantiles && i < r.jobs->len; i++)
		st_job_exact(&((struct wl_job *)r.jobs->pdata[i])->st);
	r.rng = g_rand_new_with_seed((guint32)(r.seed * 2246822519u + 3266489917u));
	if (o->requests) {
		reqpath = g_build_filename(o->outdir, "requests.csv", NULL);
		if (!(reqf = out_open_tmp(reqpath, &err)))
			goto bad;
		fputs(out_requests_header, reqf);
		r.requests = reqf;
	}
	/* fio's logs, named as fio numbers threads: a job's file takes its first clone's number */
	for (guint i = 0, n = 1; i < r.jobs->len; i++) {
		struct wl_job *j = r.jobs->pdata[i];
		if (!fio_series_open(&j->series, &j->fio, o->outdir, (int)n, j->unit, &err))
			goto bad;
		n += (guint)j->numjobs;
	}
	if (guard_auto_pages_off(&r)) /* past ~32,000 actors (guard.c note 4) */
		engine_no_guard_pages();
	engine_init(o->simgrid_args);
	r.sg_host = vn_platform_create(r.host.cores, 1e9);
	disk_start(r.disk, r.sg_host);
	long threads = 0;
	bool files = false;
	for (guint i = 0; i < r.jobs->len; i++) {
		struct wl_job *j = r.jobs->pdata[i];
		threads += (long)j->numjobs * (j->raw ? 1 : j->iodepth);
		files = files || !j->raw;
	}
	r.cpu_uncontended = threads <= r.host.cores;
	if (o->timeline) {
		timepath = g_build_filename(o->outdir, "locks.csv", NULL);
		if (!(timef = out_open_tmp(timepath, &err)))
			goto bad;
		fputs(out_locks_header, timef);
		r.timeline = timef;
		r.locks_csv = run_locks_csv(timef);
		r.env.timeline = &r.locks_csv; /* before the jobs make their files' locks */
	}
	r.all_done = sg_sem_init(0);
	if (o->trace) {
		r.service = o->service;
		r.nservice = o->service ? o->trace->len : 0;
		wl_replay_start(&r, r.jobs->pdata[0], o->trace, o->closed_loop, r.sg_host);
	} else {
		for (guint i = 0; i < r.jobs->len; i++)
			wl_job_start(&r, r.jobs->pdata[i], r.sg_host);
	}
	if (files)
		fs_start(r.fs, r.sg_host);
	sg_actor_t sup = sg_actor_init("supervisor", r.sg_host);
	sg_actor_set_data(sup, &r);
	r.fs_started = files;
	sg_actor_start(sup, supervisor, 0, NULL);
	progress_begin(&r, o->trace ? o->trace->len : 0); /* a line on a terminal (progress.h) */
	engine_run();
	progress_end();
	r.t_end = r.t_app_end;
	if (r.fs_started)
		fs_judge(r.fs, count_violation, &r);
	if (reqf && !out_commit(reqf, reqpath, &err)) {
		reqf = NULL;
		goto bad;
	}
	reqf = NULL;
	if (timef && !out_commit(timef, timepath, &err)) {
		timef = NULL;
		goto bad;
	}
	timef = NULL;
	for (guint i = 0; i < r.jobs->len; i++) {
		struct wl_job *j = r.jobs->pdata[i];
		if (!fio_series_close(&j->series, &j->fio, r.t_app_end, &err))
			goto bad;
	}
	if (!write_outputs(&r, o, &err))
		goto bad;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	char *tp = g_build_filename(o->outdir, "timing.part", NULL);
	char *line = g_strdup_printf("%s,%.3f,%.0f,%ld\n", r.policy, wall,
	                             wall > 0 ? (double)r.app_done / wall : 0, out_peak_rss_kb());
	if (!out_write_atomic(tp, line, strlen(line), &err))
		status = 2;
	g_free(line);
	g_free(tp);
	goto done;
bad:
	fprintf(stderr, "vnodesim: %s\n", err->message);
	status = 2;
done:
	if (reqf)
		out_abort(reqf, reqpath); /* a failed run leaves no temporary */
	if (timef)
		out_abort(timef, timepath);
	g_free(reqpath);
	g_free(timepath);
	if (r.all_done)
		sg_sem_destroy(r.all_done);
	g_clear_error(&err);
	run_free(&r);
	return status;
}

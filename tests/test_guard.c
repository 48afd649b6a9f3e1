/*
 * test_guard.c -- the memory limit the guard checks runs against (guard.h guard_mem_limit):
 * cgroup v2 (memory.max, the smallest on the walk from the process's cgroup to the mount's
 * top), cgroup v1 (memory.limit_in_bytes of the memory hierarchy, a container's mount root
 * stripped), "no limit" values of both, MemAvailable, and a hybrid tree like the machines
 * of this project (v1 memory unlimited, v2 without a memory controller).  Each tree is a
 * fake /proc and /sys under a temporary folder, read through $VNODESIM_SYS_ROOT; the
 * expected limits are the numbers written there.  One case goes end to end: `check` of a
 * small run refused under a 40 MiB cgroup, naming the file.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "sim/guard.h"
#include "tests/testutil.h"

#define MIB (1ull << 20)

/* Write TEXT to ROOT/PATH, creating the folders. */
static void
put(const char *root, const char *path, const char *text)
{
	char *p = g_build_filename(root, path, NULL), *d = g_path_get_dirname(p);
	ck_assert(g_mkdir_with_parents(d, 0755) == 0);
	ck_assert(g_file_set_contents(p, text, -1, NULL));
	g_free(d);
	g_free(p);
}

/* A fake root with a large MemAvailable (the cgroup decides) */
static const char *
fake_root(const char *name)
{
	char *r = g_build_filename(tu_tmpdir(), name, NULL);
	put(r, "proc/meminfo", "MemTotal:       1048576000 kB\nMemAvailable:   1048576000 kB\n");
	g_setenv("VNODESIM_SYS_ROOT", r, TRUE);
	g_unsetenv("VNODESIM_MEM_LIMIT_MB");
	return r;
}

static const char v2_mounts[] =
    "25 30 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n"
    "30 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n";

START_TEST(test_cgroup_v2)
{
	const char *r = fake_root("v2");
	put(r, "proc/self/cgroup", "0::/user.slice/job-7/step\n");
	put(r, "proc/self/mountinfo", v2_mounts);
	/* the process's cgroup says max; its parent 300 MiB; the grandparent 200 MiB: the
	 * smallest above the process holds */
	put(r, "sys/fs/cgroup/user.slice/job-7/step/memory.max", "max\n");
	put(r, "sys/fs/cgroup/user.slice/job-7/memory.max", "314572800\n");
	put(r, "sys/fs/cgroup/user.slice/memory.max", "209715200\n");
	const char *what;
	ck_assert_uint_eq(guard_mem_limit(&what), 200 * MIB);
	ck_assert_msg(strstr(what, "cgroup") && strstr(what, "user.slice/memory.max"), "%s", what);
	/* every level "max": no cgroup limit, MemAvailable (1000 GiB) */
	put(r, "sys/fs/cgroup/user.slice/job-7/memory.max", "max\n");
	put(r, "sys/fs/cgroup/user.slice/memory.max", "max\n");
	uint64_t lim = guard_mem_limit(&what);
	ck_assert_msg(!strstr(what, "cgroup"), "%s", what);
	ck_assert(lim > 200 * MIB);
}
END_TEST

START_TEST(test_cgroup_v1)
{
	const char *r = fake_root("v1");
	/* a container: its memory hierarchy's mount shows /docker/abc as the top */
	put(r, "proc/self/cgroup",
	    "12:pids:/docker/abc\n4:memory:/docker/abc/inner\n1:name=systemd:/docker/abc\n");
	put(r, "proc/self/mountinfo",
	    "40 30 0:35 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup "
	    "rw,memory\n"
	    "41 30 0:36 /docker/abc /sys/fs/cgroup/pids ro,nosuid - cgroup cgroup rw,pids\n");
	put(r, "sys/fs/cgroup/memory/inner/memory.limit_in_bytes", "9223372036854771712\n");
	put(r, "sys/fs/cgroup/memory/memory.limit_in_bytes", "41943040\n");
	/* a limit in the pids hierarchy's folder is not the memory one */
	put(r, "sys/fs/cgroup/pids/memory.limit_in_bytes", "1048576\n");
	const char *what;
	ck_assert_uint_eq(guard_mem_limit(&what), 40 * MIB);
	ck_assert_msg(strstr(what, "memory/memory.limit_in_bytes"), "%s", what);
	/* and the command refuses a run of ~64 MiB, naming the file (exit 2) */
	const char *sc = tu_write("small.ini", "[global]\nfilename=f\nsize=1m\nbs=16k\n"
	                                       "number_ios=60\n[w]\nrw=randwrite\n");
	char *out;
	int st = tu_sh(&out, "VNODESIM_SYS_ROOT=%s %s check %s", r, tu_prog(), sc);
	ck_assert_msg(st == 2 && strstr(out, "the limit is 40.0 MiB (the memory cgroup's limit") &&
	                  strstr(out, "memory.limit_in_bytes"),
	              "%d: %s", st, out);
	g_free(out);
	/* no limit (PAGE_COUNTER_MAX pages) at both levels: none */
	put(r, "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	guard_mem_limit(&what);
	ck_assert_msg(!strstr(what, "cgroup"), "%s", what);
}
END_TEST

START_TEST(test_mem_available)
{
	const char *r = fake_root("avail");
	put(r, "proc/meminfo",
	    "MemTotal:       1048576000 kB\nMemFree:        10 kB\n"
	    "MemAvailable:      51200 kB\n");
	put(r, "proc/self/cgroup", "0::/\n");
	put(r, "proc/self/mountinfo", v2_mounts);
	const char *what;
	ck_assert_uint_eq(guard_mem_limit(&what), 50 * MIB); /* 51200 kB */
	ck_assert_str_eq(what, "MemAvailable in /proc/meminfo");
	/* $VNODESIM_MEM_LIMIT_MB still overrides everything */
	g_setenv("VNODESIM_MEM_LIMIT_MB", "7", TRUE);
	ck_assert_uint_eq(guard_mem_limit(&what), 7 * MIB);
	g_unsetenv("VNODESIM_MEM_LIMIT_MB");
}
END_TEST

START_TEST(test_cgroup_hybrid)
{
	/* this project's machines: v1 controllers, v2 mounted at .../unified without memory */
	const char *r = fake_root("hybrid");
	put(r, "proc/self/cgroup", "4:memory:/process_api/7b66\n3:cpuset:/\n0::/\n");
	put(r, "proc/self/mountinfo",
	    "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	    "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
	put(r, "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	put(r, "sys/fs/cgroup/memory/process_api/7b66/memory.limit_in_bytes", "2147483648\n");
	put(r, "sys/fs/cgroup/unified/cgroup.procs", "1\n");
	const char *what;
	ck_assert_uint_eq(guard_mem_limit(&what), 2048 * MIB);
	ck_assert_msg(strstr(what, "process_api/7b66/memory.limit_in_bytes"), "%s", what);
}
END_TEST

Suite *
suite_guard(void)
{
	Suite *s = suite_create("guard");
	TCase *tc = tcase_create("guard");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_cgroup_v2);
	tcase_add_test(tc, test_cgroup_v1);
	tcase_add_test(tc, test_mem_available);
	tcase_add_test(tc, test_cgroup_hybrid);
	suite_add_tcase(s, tc);
	return s;
}

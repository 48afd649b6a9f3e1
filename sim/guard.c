/*
 * guard.c -- signals that leave results whole, and memory bounds checked up front (guard.h).
 *
 * (1) The signal handler uses only async-signal-safe calls (kill, waitpid, open, getdents64,
 *     unlinkat, fstatat, write, _exit): it may interrupt the parent anywhere, malloc
 *     included.  Everything it needs (the output directory, the start time) is prepared
 *     before, in normal context.
 * (2) The handler removes only temporary files: *.tmp (a file being written, not yet renamed
 *     into place) and *.part (a run's summary rows not yet gathered into summary.csv).  Every
 *     other file under the output directory is complete by construction (output.c note 2).
 * (3) A file is "from this run" when it was modified after the command started, otherwise
 *     it is a complete result of an earlier run.
 * (4) Cost of an actor (SimGrid 3.32, raw contexts, measured): about 9 KiB resident for the
 *     actor and its context plus the part of its stack it touches (a few KiB for our actors;
 *     the stack is mapped in full, contexts/stack-size, 64 KiB (engine.c), but only touched
 *     pages are resident).  Each stack is one memory map plus one for its guard page, so past
 *     about 32,000 actors the kernel's vm.max_map_count (65530) is exhausted unless
 *     contexts/guard-size:0 drops the guard pages.  The actor count is known before the run
 *     (guard_estimate), so a run past that count and within it without guard pages drops
 *     them itself (guard_auto_pages_off: engine_no_guard_pages, a notice on stderr); a
 *     --cfg=contexts/guard-size: from the user is kept, and refused with advice when it
 *     does not fit.
 * (5) The horizon: a job bounded only by time (time_based, runtime=) issues as many requests
 *     as its threads can in that time.  Each request costs a thread at least the host's
 *     syscall plus copying its block (host costs), the host's cores bound the threads'
 *     rate together, and a direct or raw job is bounded by the device too (its channels
 *     over the service time of one request, disk_probe_rate).  Their product with the
 *     runtime estimates the requests simulated; past MAX_REQUESTS the run is refused
 *     naming runtime=, instead of running for days.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "models/env.h"
#include "models/oracle.h"
#include "models/pagecache.h"
#include "sim/guard.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/workload.h"

/* Per-item costs of the estimate (note 4; measured with peak_rss_kb on this program).  What
 * the modules keep is their own estimate: st_estimate, or_estimate, pc_estimate,
 * wl_map_estimate. */
#define ACTOR_BYTES (16u << 10)   /* resident per actor: context + touched stack */
#define FIXED_BYTES (64ull << 20) /* SimGrid, glib, the program */
#define MAPS_SPARE 1000           /* memory maps not for actor stacks */
/* The most requests a run may simulate (note 5): ten times the 10^8 a run must be able to
 * do; about 10^9 / 300,000 requests a second of wall time = an hour, or more. */
#define MAX_REQUESTS 1e9

static pid_t main_pid; /* the command's process */
#define MAX_CHILDREN 256
static volatile pid_t children[MAX_CHILDREN];      /* simulations running (0: free slot) */
static volatile sig_atomic_t helper[MAX_CHILDREN]; /* children[i] is a helper (gnuplot) */
static char *outdir;                               /* results directory, or NULL */
static struct timespec t_start;                    /* when the command started */
static bool no_guard_pages;                        /* --cfg=contexts/guard-size:0 */
static bool user_guard;                            /* any --cfg=contexts/guard-size: (it wins) */
static uint64_t stack_bytes = VN_STACK_B;          /* contexts/stack-size (KiB), engine.c's */
static uint64_t guard_bytes = 4096;                /* contexts/guard-size (pages), one */
static int parallel = 1;                           /* runs at once (compare --jobs) */
#define MAX_RETIRED 4
static char *retired_from[MAX_RETIRED], *retired_to[MAX_RETIRED]; /* guard_retired's */
static volatile int nretired;

/* ---- async-signal-safe output (note 1) ---- */

static void
put(const char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void
put_num(long v)
{
	char buf[24], *p = buf + sizeof buf - 1;
	*p = '\0';
	bool neg = v < 0;
	unsigned long u = neg ? (unsigned long)-v : (unsigned long)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (neg)
		*--p = '-';
	put(p);
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

struct linux_dirent64 {
	ino64_t d_ino;
	off64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Walk DIRFD (whose path is PATH, for messages) DEPTH levels down: remove temporaries, report
 * complete outputs.  Counts into *removed and *intact.  PATH NULL: only count into *intact
 * the results (.csv, .json) written since the command started, touching nothing. */
static void
sweep(int dirfd, const char *path, int depth, int *removed, int *intact, bool quiet)
{
	char buf[4096] __attribute__((aligned(8)));
	long n;
	while ((n = syscall(SYS_getdents64, dirfd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			const char *name = d->d_name;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			struct stat st;
			if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			if (S_ISDIR(st.st_mode)) {
				if (depth <= 0 || !strcmp(name, "plots"))
					continue;
				int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				if (fd < 0)
					continue;
				if (!path) { /* counting only */
					sweep(fd, NULL, depth - 1, removed, intact, quiet);
					close(fd);
					continue;
				}
				/* the path for messages: PATH/NAME, bounded */
				char sub[1024];
				size_t pl = strlen(path), nl = strlen(name);
				if (pl + nl + 2 < sizeof sub) {
					memcpy(sub, path, pl);
					sub[pl] = '/';
					memcpy(sub + pl + 1, name, nl + 1);
					sweep(fd, sub, depth - 1, removed, intact, quiet);
				}
				close(fd);
				continue;
			}
			if (!S_ISREG(st.st_mode))
				continue;
			if (!path && (ends_with(name, ".tmp") || ends_with(name, ".part")))
				continue;
			if (ends_with(name, ".tmp") || ends_with(name, ".part")) {
				if (unlinkat(dirfd, name, 0) == 0)
					++*removed;
				continue;
			}
			if (quiet || (!ends_with(name, ".csv") && !ends_with(name, ".json")))
				continue;
			bool fresh = st.st_mtim.tv_sec > t_start.tv_sec ||
			             (st.st_mtim.tv_sec == t_start.tv_sec &&
			              st.st_mtim.tv_nsec >= t_start.tv_nsec);
			if (!path) { /* counting only: new results written by this command */
				*intact += fresh;
				continue;
			}
			put("vnodesim: intact: ");
			put(path);
			put("/");
			put(name);
			put(fresh ? " (complete, from this run)\n"
			          : " (complete, from an earlier run)\n");
			++*intact;
		}
	}
}

static void
on_signal(int sig)
{
	if (getpid() != main_pid) { /* a simulation child: die as the signal says */
		signal(sig, SIG_DFL);
		raise(sig);
		_exit(128 + sig);
	}
	put("\nvnodesim: interrupted by ");
	put(sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* SIGTERM first: a child that is itself a vnodesim command (a sweep's `run`) stops its
	 * own simulations and removes its temporaries; one still there after 5 s is killed.
	 * Every child is reaped before the messages below, so nothing writes after them. */
	int stopped = 0;
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i] > 0 && kill(children[i], SIGTERM) == 0 && !helper[i])
			stopped++;
	for (int tick = 0;; tick++) {
		bool left = false;
		for (int i = 0; i < MAX_CHILDREN; i++) {
			pid_t c = children[i];
			if (c <= 0)
				continue;
			pid_t w = waitpid(c, NULL, tick >= 500 ? 0 : WNOHANG);
			if (w == c || (w < 0 && errno == ECHILD))
				children[i] = 0;
			else
				left = true;
		}
		if (!left)
			break;
		if (tick == 499)
			for (int i = 0; i < MAX_CHILDREN; i++)
				if (children[i] > 0)
					kill(children[i], SIGKILL);
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (stopped) {
		put(": stopped ");
		put_num(stopped);
		put(stopped == 1 ? " running simulation" : " running simulations");
	}
	put("\n");
	if (outdir && nretired > 0) {
		/* nothing new written: the earlier summary is current again, put it back */
		int fresh = 0, none = 0;
		int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			sweep(fd, NULL, 3, &none, &fresh, false);
			close(fd);
		}
		for (int i = 0; fresh == 0 && i < nretired; i++)
			rename(retired_from[i], retired_to[i]);
	}
	if (outdir) {
		int removed = 0, intact = 0;
		int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			sweep(fd, outdir, 3, &removed, &intact, false);
			close(fd);
		}
		put("vnodesim: removed ");
		put_num(removed);
		put(" temporary file");
		put(removed == 1 ? "" : "s");
		put(" under ");
		put(outdir);
		put("\n");
		if (intact == 0) {
			put("vnodesim: no results under ");
			put(outdir);
			put(" (none were there before this run)\n");
		}
	}
	_exit(128 + sig);
}

void
guard_install(int argc, char **argv)
{
	main_pid = getpid();
	clock_gettime(CLOCK_REALTIME, &t_start);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cfg=contexts/guard-size:0"))
			no_guard_pages = true;
		else if (g_str_has_prefix(argv[i], "--cfg=contexts/stack-size:"))
			stack_bytes = g_ascii_strtoull(argv[i] + 26, NULL, 10) << 10;
		else if (g_str_has_prefix(argv[i], "--cfg=contexts/guard-size:"))
			guard_bytes = g_ascii_strtoull(argv[i] + 26, NULL, 10) * 4096;
		if (g_str_has_prefix(argv[i], "--cfg=contexts/guard-size:"))
			user_guard = true;
	}
	if (no_guard_pages)
		guard_bytes = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask); /* one handler at a time: it ends the process */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
guard_outdir(const char *dir)
{
	char *d = g_strdup(dir);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	char *old = outdir;
	outdir = d; /* a pointer store: the handler sees the old or the new string */
	g_free(old);
}

void
guard_retired(const char *const *from, const char *const *to)
{
	nretired = 0; /* the handler sees none while they change */
	int n = 0;
	for (; n < MAX_RETIRED && from[n] && to[n]; n++) {
		g_free(retired_from[n]);
		g_free(retired_to[n]);
		retired_from[n] = g_strdup(from[n]);
		retired_to[n] = g_strdup(to[n]);
	}
	nretired = n;
}

void
guard_parallel(int n)
{
	parallel = n > 1 ? n : 1;
}

void
guard_clean_tmp(void)
{
	if (!outdir)
		return;
	int removed = 0, intact = 0;
	int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		sweep(fd, outdir, 3, &removed, &intact, true);
		close(fd);
	}
}

static void mark_helper(pid_t pid);

/* SIGINT and SIGTERM held (their old mask in *OLD) or let through again. */
static void
hold_signals(bool hold, sigset_t *old)
{
	if (!hold) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, old);
}

/* guard_fork, the child marked a helper if HELPER, both before any signal can come. */
static pid_t
fork_known(bool helper)
{
	/* SIGINT and SIGTERM wait while the child is made and named: a signal that came between
	 * fork() and the parent's guard_child(pid) would find a child the handler does not know,
	 * left running after the command said it stopped everything (seen in CI: a sweep's fourth
	 * point started just as the signal came).  Pending signals are not inherited by the child;
	 * the parent's is delivered once the child is in children[]. */
	sigset_t old;
	fflush(NULL);
	hold_signals(true, &old);
	pid_t pid = fork();
	if (pid >= 0)
		guard_child(pid);
	if (pid > 0 && helper)
		mark_helper(pid);
	hold_signals(false, &old);
	return pid;
}

pid_t
guard_fork(void)
{
	return fork_known(false);
}

pid_t
guard_wait(pid_t pid, int *status)
{
	/* learn which child ended without reaping it (WNOWAIT), then reap it and forget it with
	 * the signals held: the handler never sees a reaped child's pid, which the system may
	 * have given to another process */
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (waitid(pid < 0 ? P_ALL : P_PID, pid < 0 ? 0 : (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		return -1; /* errno: EINTR (a signal whose handler returned), ECHILD */
	pid_t c = si.si_pid;
	sigset_t old;
	hold_signals(true, &old);
	pid_t r;
	while ((r = waitpid(c, status, 0)) < 0 && errno == EINTR)
		;
	if (r == c)
		guard_child(-c);
	hold_signals(false, &old);
	return r;
}

void
guard_child(pid_t pid)
{
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		return;
	}
	pid_t find = pid > 0 ? 0 : -pid, set = pid > 0 ? pid : 0;
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i] == find) {
			helper[i] = 0;
			children[i] = set;
			return;
		}
}

/* Mark the known child PID as a helper: stopped like the others, not counted as a
 * simulation in the handler's message. */
static void
mark_helper(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i] == pid)
			helper[i] = 1;
}

bool
guard_spawn_sync(char *const *argv, bool is_helper, bool quiet, char **errout, int *status,
                 GError **err)
{
	int ex[2], fe[2] = {-1, -1};
	if (pipe2(ex, O_CLOEXEC) != 0 || (errout && pipe2(fe, O_CLOEXEC) != 0)) {
		int e = errno;
		if (errout && fe[0] < 0) {
			close(ex[0]);
			close(ex[1]);
		}
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e), "%s: pipe: %s", argv[0],
		            g_strerror(e));
		return false;
	}
	pid_t pid = fork_known(is_helper);
	if (pid == 0) { /* stdin and stdout from/to /dev/null when QUIET, stderr to the pipe */
		int nul = quiet ? open("/dev/null", O_RDWR) : -1;
		if (nul >= 0) {
			dup2(nul, STDIN_FILENO);
			dup2(nul, STDOUT_FILENO);
			if (nul > STDERR_FILENO)
				close(nul);
		}
		if (errout)
			dup2(fe[1], STDERR_FILENO);
		/* as g_spawn does, the program inherits no descriptor but 0, 1 and 2 (an output
		 * being written, a pipe); an old kernel without close_range keeps them */
		close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
		execvp(argv[0], argv);
		int e = errno;
		if (write(ex[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	int e = 0;
	if (pid < 0)
		e = errno;
	close(ex[1]);
	if (errout)
		close(fe[1]);
	if (pid > 0) {
		ssize_t n;
		while ((n = read(ex[0], &e, sizeof e)) < 0 && errno == EINTR)
			;
		if (n != sizeof e)
			e = 0; /* closed by exec: it runs */
	}
	close(ex[0]);
	GString *text = errout ? g_string_new(NULL) : NULL;
	if (errout) {
		char buf[4096];
		ssize_t n;
		while ((n = read(fe[0], buf, sizeof buf)) != 0)
			if (n > 0 && text->len < (1u << 20))
				g_string_append_len(text, buf, n);
			else if (n < 0 && errno != EINTR)
				break;
		close(fe[0]);
	}
	int st = 0;
	if (pid > 0)
		while (guard_wait(pid, &st) < 0 && errno == EINTR)
			;
	if (e) {
		g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "cannot run %s: %s", argv[0],
		            g_strerror(e));
		if (text)
			g_string_free(text, TRUE);
		return false;
	}
	if (status)
		*status = st;
	if (errout)
		*errout = g_string_free(text, FALSE);
	return true;
}

/* ---- resource bounds ---- */

/* (6) The memory a run may use is the smallest of: the physical memory, MemAvailable
 *     (/proc/meminfo: what can be had without swapping, page cache counted as reclaimable),
 *     the memory cgroup's limit and ulimit -v/-d.  The cgroup is found as the kernel
 *     describes it: /proc/self/cgroup names the process's cgroup per hierarchy ("0::PATH"
 *     for v2, "N:...memory...:PATH" for v1), /proc/self/mountinfo where each hierarchy is
 *     mounted (a cgroup2 mount; a cgroup mount whose options hold "memory") and the part of
 *     it the mount shows (its root, inside a container's cgroup namespace).  A limit holds
 *     for every cgroup below, so the walk reads memory.max (v2; "max" is none) or
 *     memory.limit_in_bytes (v1; PAGE_COUNTER_MAX pages, about 2^63, is none) from the
 *     process's cgroup up to the mount's top, and keeps the smallest.  The limit is the
 *     cgroup's, not what its other processes leave of it.  $VNODESIM_SYS_ROOT puts every
 *     path under another directory (fake trees for tests). */
static char *
sys_path(const char *path)
{
	const char *root = g_getenv("VNODESIM_SYS_ROOT");
	return g_strconcat(root ? root : "", path, NULL);
}

static char *
sys_read(const char *path)
{
	char *p = sys_path(path), *text = NULL;
	if (!g_file_get_contents(p, &text, NULL, NULL))
		text = NULL;
	g_free(p);
	return text;
}

/* A limit file's value: false when absent, unreadable or "no limit". */
static bool
cg_value(const char *file, uint64_t *v)
{
	char *text = NULL;
	if (!g_file_get_contents(file, &text, NULL, NULL))
		return false;
	g_strstrip(text);
	guint64 x = 0;
	bool ok = strcmp(text, "max") != 0 &&
	          g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &x, NULL) &&
	          x < (1ull << 62); /* v1 says none with PAGE_COUNTER_MAX pages */
	g_free(text);
	if (ok)
		*v = x;
	return ok;
}

/* The mount of a hierarchy (V2, or v1's memory controller): its mount point and root. */
static bool
cg_mount(bool v2, char **point, char **root)
{
	char *mi = sys_read("/proc/self/mountinfo");
	bool found = false;
	char **lines = mi ? g_strsplit(mi, "\n", -1) : NULL;
	for (char **l = lines; l && *l && !found; l++) {
		/* ID PARENT MAJ:MIN ROOT POINT OPTIONS [TAGS...] - FSTYPE SOURCE SUPEROPTS */
		char **f = g_strsplit(*l, " ", -1);
		guint n = g_strv_length(f), dash = 0;
		for (guint i = 6; i < n; i++)
			if (!strcmp(f[i], "-")) {
				dash = i;
				break;
			}
		if (dash && dash + 1 < n) {
			const char *fs = f[dash + 1], *opts = dash + 3 < n ? f[dash + 3] : "";
			bool mem = false;
			char **o = g_strsplit(opts, ",", -1);
			for (char **x = o; *x; x++)
				mem = mem || !strcmp(*x, "memory");
			g_strfreev(o);
			if (v2 ? !strcmp(fs, "cgroup2") : !strcmp(fs, "cgroup") && mem) {
				*root = g_strcompress(f[3]); /* mountinfo escapes spaces as \040 */
				*point = g_strcompress(f[4]);
				found = true;
			}
		}
		g_strfreev(f);
	}
	g_strfreev(lines);
	g_free(mi);
	if (!found && !mi) { /* no mountinfo: the usual places */
		*root = g_strdup("/");
		*point = g_strdup(v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory");
		found = true;
	}
	return found;
}

/* The smallest memory limit of the process's cgroup and those above it, in hierarchy V2 or
 * v1; WHERE gets the file that set it. */
static bool
cg_limit(bool v2, uint64_t *limit, char **where)
{
	char *cg = sys_read("/proc/self/cgroup");
	char *path = NULL;
	char **lines = cg ? g_strsplit(cg, "\n", -1) : NULL;
	for (char **l = lines; l && *l && !path; l++) {
		char **f = g_strsplit(*l, ":", 3);
		if (g_strv_length(f) == 3) {
			bool mem = false;
			char **c = g_strsplit(f[1], ",", -1);
			for (char **x = c; *x; x++)
				mem = mem || !strcmp(*x, "memory");
			g_strfreev(c);
			if (v2 ? !strcmp(f[0], "0") && !*f[1] : mem)
				path = g_strdup(f[2]);
		}
		g_strfreev(f);
	}
	g_strfreev(lines);
	g_free(cg);
	char *point = NULL, *root = NULL;
	if (!path || !cg_mount(v2, &point, &root)) {
		g_free(path);
		return false;
	}
	/* PATH is from the hierarchy's top; the mount shows it from ROOT down */
	const char *rel = path;
	size_t rl = strlen(root);
	if (strcmp(root, "/") && !strncmp(path, root, rl) && (!path[rl] || path[rl] == '/'))
		rel = path + rl;
	char *top = sys_path(point), *dir = g_build_filename(top, rel, NULL);
	bool found = false;
	const char *file = v2 ? "memory.max" : "memory.limit_in_bytes";
	for (;;) {
		char *f = g_build_filename(dir, file, NULL);
		uint64_t v = 0;
		if (cg_value(f, &v) && (!found || v < *limit)) {
			*limit = v;
			g_free(*where);
			*where = g_strdup(f);
			found = true;
		}
		g_free(f);
		if (strlen(dir) <= strlen(top))
			break;
		char *up = g_path_get_dirname(dir);
		g_free(dir);
		dir = up;
	}
	g_free(dir);
	g_free(top);
	g_free(point);
	g_free(root);
	g_free(path);
	return found;
}

/* MemAvailable, bytes (false: the kernel does not say) */
static bool
mem_available(uint64_t *v)
{
	char *mi = sys_read("/proc/meminfo");
	const char *p = mi ? strstr(mi, "\nMemAvailable:") : NULL;
	if (!p && mi && g_str_has_prefix(mi, "MemAvailable:"))
		p = mi - 1;
	bool ok = false;
	if (p) {
		guint64 kb = g_ascii_strtoull(p + 14, NULL, 10);
		*v = kb << 10;
		ok = kb > 0;
	}
	g_free(mi);
	return ok;
}

uint64_t
guard_mem_limit(const char **what)
{
	static char why[600];
	const char *env = getenv("VNODESIM_MEM_LIMIT_MB");
	if (env && *env) {
		*what = "$VNODESIM_MEM_LIMIT_MB";
		return g_ascii_strtoull(env, NULL, 10) << 20;
	}
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	uint64_t lim = pages > 0 && psz > 0 ? (uint64_t)pages * (uint64_t)psz : UINT64_MAX, v = 0;
	*what = "physical memory";
	if (mem_available(&v) && v < lim) {
		lim = v;
		*what = "MemAvailable in /proc/meminfo";
	}
	for (int k = 0; k < 2; k++) {
		char *where = NULL;
		if (cg_limit(k == 0, &v, &where) && v < lim) {
			lim = v;
			snprintf(why, sizeof why, "the memory cgroup's limit, %s", where);
			*what = why;
		}
		g_free(where);
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < lim) {
		lim = rl.rlim_cur;
		*what = "ulimit -v";
	}
	if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < lim) {
		lim = rl.rlim_cur;
		*what = "ulimit -d";
	}
	return lim;
}

static long
max_map_count(void)
{
	long v = 65530;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 65530;
		fclose(f);
	}
	return v;
}

bool
guard_pages_off(uint64_t actors, long map_count, bool user_set)
{
	uint64_t maps = (uint64_t)MAX(map_count - MAPS_SPARE, 0);
	return !user_set && env_sat_mul(actors, 2) > maps && actors <= maps;
}

bool
guard_auto_pages_off(const struct run *r)
{
	if (!r->jobs || !r->jobs->len)
		return false;
	struct guard_estimate e;
	guard_estimate(r, &e);
	long mc = max_map_count();
	if (!guard_pages_off(e.actors, mc, user_guard || no_guard_pages))
		return false;
	fprintf(stderr,
	        "vnodesim: guard pages off (contexts/guard-size:0): %llu actors (the threads "
	        "and the model's own) with a guard page each need %llu memory maps, "
	        "vm.max_map_count allows %ld; "
	        "a stack overflow is no longer caught\n",
	        (unsigned long long)e.actors, (unsigned long long)env_sat_mul(e.actors, 2), mc);
	return true;
}

/* Saturating arithmetic (env_sat_mul, env_sat_add): absurd scenarios must give an absurd
 * estimate, not a wrapped one. */

/* J's smallest block size as written (bs=, blocksize=; the workload has checked it). */
static uint64_t
job_bs(const struct wl_job *j)
{
	uint64_t bs = 4096;
	const char *key = scn_has(j->sect, "bs") ? "bs" : "blocksize";
	const char *v;
	if (scn_get_str(j->sect, key, "4k", &v, NULL) && v) {
		char *first = g_strndup(v, strcspn(v, ",-:/")); /* bs=4k,8k / bsrange 4k-16k */
		if (!scn_parse_size(first, &bs) || bs == 0)
			bs = 4096;
		g_free(first);
	}
	return bs;
}

/* Requests one clone of J issues (0 when only time bounds it). */
static uint64_t
job_requests(const struct wl_job *j, uint64_t capacity_bytes)
{
	if (j->number_ios)
		return j->number_ios;
	if (j->time_based)
		return 0;
	uint64_t bs = job_bs(j);
	uint64_t span =
	    j->size ? j->size : (capacity_bytes > j->offset ? capacity_bytes - j->offset : 0);
	return env_sat_mul(span / bs + 1, j->loops > 0 ? (uint64_t)j->loops : 1);
}

void
guard_estimate(const struct run *r, struct guard_estimate *e)
{
	memset(e, 0, sizeof *e);
	uint64_t cap = r->disk ? disk_capacity(r->disk) * DISK_SECTOR : 0, oracle = 0, files = 0;
	for (guint i = 0; r->jobs && i < r->jobs->len; i++) {
		const struct wl_job *j = r->jobs->pdata[i];
		uint64_t clones = (uint64_t)j->numjobs;
		e->actors =
		    env_sat_add(e->actors, env_sat_mul(clones, j->raw ? 1 : (uint64_t)j->iodepth));
		uint64_t n = env_sat_mul(clones, job_requests(j, cap));
		e->requests = env_sat_add(e->requests, n);
		if (!j->raw && r->sim.oracle)
			oracle = env_sat_add(
			    oracle,
			    or_estimate_run(
			        n, job_bs(j),
			        env_sat_mul(j->filename && j->filename[0] ? 1 : clones,
			                    env_sat_add(j->offset, j->size ? j->size : job_bs(j))),
			        ((job_bs(j) | j->unit | j->offset) % 512) == 0));
		if (!j->raw)
			files = env_sat_add(
			    files,
			    env_sat_mul(j->filename && j->filename[0] ? 1 : clones,
			                env_sat_add(j->offset, j->size ? j->size : job_bs(j))));
		if (j->rand && !j->norandommap) { /* each file and clone: generator.c note 5 */
			uint64_t span = j->size ? j->size : (cap > j->offset ? cap - j->offset : 0);
			uint64_t bytes =
			    wl_map_estimate(span / MAX(j->unit, 1), job_requests(j, cap));
			e->map_bytes = env_sat_add(
			    e->map_bytes,
			    env_sat_mul(
			        env_sat_mul(clones, j->raw ? 1 : (uint64_t)MAX(j->nfiles, 1)),
			        bytes));
		}
	}
	e->actors = env_sat_add(e->actors, 8); /* disk, write-back, supervisor, ... */
	/* without guard pages SimGrid 3.32 takes each stack from calloc (SwappedContext's
	 * constructor: xbt_malloc0), which zeroes it: the whole stack is resident (measured:
	 * 16,000 actors, 190 MiB peak with guard pages, 1,110 MiB without) */
	bool calloc_stacks =
	    no_guard_pages || guard_bytes == 0 ||
	    (r->jobs && r->jobs->len && guard_pages_off(e->actors, max_map_count(), user_guard));
	e->actor_bytes = env_sat_mul(e->actors, ACTOR_BYTES + (calloc_stacks ? stack_bytes : 0));
	e->stack_map_bytes =
	    env_sat_mul(e->actors, stack_bytes + (calloc_stacks ? 0 : guard_bytes));
	e->request_bytes =
	    env_sat_add(env_sat_add(st_estimate(r->jobs ? r->jobs->len : 0), oracle), e->map_bytes);
	if (r->fs) {
		double mb = 1024;
		scn_get_double(scn_section(r->scn, "fs"), "cache_mb", 1024, 0, 1e300, &mb, NULL);
		uint64_t pages = (uint64_t)(mb * 256); /* 4 KiB pages */
		pages = MIN(pages, (files + 4095) / 4096);
		e->cache_bytes = pc_estimate(pages);
	}
	e->total =
	    env_sat_add(env_sat_add(env_sat_add(e->actor_bytes, e->request_bytes), e->cache_bytes),
	                FIXED_BYTES);
	int at_once = parallel;
	const char *ev = g_getenv(GUARD_RUNS_ENV); /* a sweep's point */
	if (ev) {
		gint64 k = g_ascii_strtoll(ev, NULL, 10);
		if (k > at_once && k <= 4096)
			at_once = (int)k;
	}
	e->parallel = (uint64_t)at_once;
	e->all_runs = env_sat_mul(e->total, e->parallel);
	e->address_space = env_sat_add(e->total, e->stack_map_bytes);
}

uint64_t
guard_requests_expected(const struct run *r, double *horizon_s)
{
	uint64_t cap = r->disk ? disk_capacity(r->disk) * DISK_SECTOR : 0, n = 0;
	*horizon_s = 0;
	for (guint i = 0; r->jobs && i < r->jobs->len; i++) {
		const struct wl_job *j = r->jobs->pdata[i];
		if (j->time_based && j->runtime > 0 && !j->number_ios)
			*horizon_s = MAX(*horizon_s, j->ramp + j->runtime);
		else { /* number_ios= or the size, whichever ends the job first (fio) */
			uint64_t k = job_requests(j, cap);
			if (j->number_ios && !j->time_based) {
				struct wl_job one = *j;
				one.number_ios = 0;
				k = MIN(k, job_requests(&one, cap));
			}
			n = env_sat_add(n, env_sat_mul((uint64_t)j->numjobs, k));
		}
	}
	return n;
}

/* The address space a process may map (ulimit -v), or UINT64_MAX. */
static uint64_t
as_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		return rl.rlim_cur;
	return UINT64_MAX;
}

static char *human(uint64_t b);

bool
guard_check_replay(const char *trace, uint64_t nrec, size_t rec_bytes, GError **err)
{
	/* a replay keeps each record, its latency (st_estimate) and its service time (8 bytes
	 * shared with the parent), and runs a handful of actors */
	uint64_t need =
	    env_sat_add(env_sat_add(FIXED_BYTES, env_sat_mul(nrec, (uint64_t)rec_bytes + 8)),
	                env_sat_add(st_estimate(nrec), env_sat_mul(16, ACTOR_BYTES)));
	const char *what;
	uint64_t lim = guard_mem_limit(&what);
	if (need <= lim)
		return true;
	char *n = human(need), *l = human(lim);
	g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
	            "%s: the replay of %llu requests would need about %s of memory; the limit "
	            "is %s (%s)",
	            trace, (unsigned long long)nrec, n, l, what);
	g_free(n);
	g_free(l);
	return false;
}

/* The requests the time-bounded jobs of R would simulate at most (note 5), and the job with
 * the most (*WORST). */
static double
horizon_requests(const struct run *r, const struct wl_job **worst, double *worst_rate)
{
	double total = 0, most = -1;
	for (guint i = 0; r->jobs && i < r->jobs->len; i++) {
		const struct wl_job *j = r->jobs->pdata[i];
		if (!j->time_based || j->runtime <= 0 || j->number_ios)
			continue;
		uint64_t bs = job_bs(j);
		double t_host = r->host.syscall +
		                (r->host.memcpy_bps > 0 ? (double)bs / r->host.memcpy_bps : 0);
		double threads = (double)j->numjobs * (j->raw ? 1 : MAX(j->iodepth, 1));
		double rate =
		    t_host > 0 ? MIN(threads, (double)MAX(r->host.cores, 1)) / t_host : INFINITY;
		if ((j->raw || j->direct) && r->disk) {
			uint32_t ns =
			    (uint32_t)MIN((bs + DISK_SECTOR - 1) / DISK_SECTOR, UINT32_MAX);
			rate = MIN(rate, disk_probe_rate(r->disk, IO_READ, MAX(ns, 1)));
		}
		if (!isfinite(rate))
			rate = 1e9; /* no cost at all: 10^9 requests a second */
		double n = rate * (j->runtime + j->ramp);
		total += n;
		if (n > most) {
			most = n;
			*worst = j;
			*worst_rate = rate;
		}
	}
	return total;
}

/* "2.3 GiB" (ASCII: g_format_size puts a no-break space before the unit) */
static char *
human(uint64_t b)
{
	static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	double v = (double)b;
	int u = 0;
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	return u ? g_strdup_printf("%.1f %s", v, unit[u])
	         : g_strdup_printf("%llu bytes", (unsigned long long)b);
}

/* The job section and key most to blame for COMPONENT. */
static const struct wl_job *
biggest(const struct run *r, int what)
{
	const struct wl_job *best = NULL;
	uint64_t most = 0;
	for (guint i = 0; r->jobs && i < r->jobs->len; i++) {
		const struct wl_job *j = r->jobs->pdata[i];
		uint64_t v =
		    what == 0 ? env_sat_mul((uint64_t)j->numjobs, j->raw ? 1 : (uint64_t)j->iodepth)
		              : env_sat_mul((uint64_t)j->numjobs, job_requests(j, UINT64_MAX / 2));
		if (!best || v > most) {
			best = j;
			most = v;
		}
	}
	return best;
}

static bool refuse_actors(const struct run *r, GError **err, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
static bool
refuse_actors(const struct run *r, GError **err, const char *fmt, ...)
{
	const struct wl_job *j = biggest(r, 0);
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!j) {
		scn_error(scn_section(r->scn, "sim"), NULL, err, "%s", msg);
		g_free(msg);
		return false;
	}
	const char *key = !j->raw && j->iodepth > j->numjobs ? "iodepth" : "numjobs";
	scn_error(j->sect, key, err, "%s", msg);
	g_free(msg);
	return false;
}

static uint64_t peak_estimate; /* guard_peak_estimate */

uint64_t
guard_peak_estimate(void)
{
	return peak_estimate;
}

bool
guard_check_bounds(const struct run *r, GError **err)
{
	struct guard_estimate e;
	guard_estimate(r, &e);
	peak_estimate = MAX(peak_estimate, e.total);
	long maps = max_map_count() - MAPS_SPARE;
	/* past the map count with guard pages but within it without, the run drops them itself
	 * (guard_auto_pages_off, note 4) unless the user set contexts/guard-size: */
	bool auto_off = r->jobs && r->jobs->len &&
	                guard_pages_off(e.actors, maps + MAPS_SPARE, user_guard || no_guard_pages);
	uint64_t per = no_guard_pages || auto_off ? 1 : 2;
	if (r->jobs && r->jobs->len && env_sat_mul(e.actors, per) > (uint64_t)MAX(maps, 0)) {
		if (!no_guard_pages && e.actors <= (uint64_t)MAX(maps, 0))
			return refuse_actors(
			    r, err,
			    "%llu simulated threads need %llu memory maps (a stack "
			    "and its guard page each); vm.max_map_count allows %ld: "
			    "add --cfg=contexts/guard-size:0",
			    (unsigned long long)e.actors, (unsigned long long)(e.actors * 2),
			    maps + MAPS_SPARE);
		return refuse_actors(
		    r, err,
		    "%llu simulated threads need %llu memory maps even without guard "
		    "pages (a stack each); vm.max_map_count allows %ld (raise it with "
		    "sysctl, or simulate fewer threads)",
		    (unsigned long long)e.actors, (unsigned long long)e.actors, maps + MAPS_SPARE);
	}
	uint64_t as = as_limit();
	if (e.address_space > as) {
		/* every actor's stack is mapped in full (contexts/stack-size), touched or not:
		 * SimGrid aborts ("Failed to allocate stack") when ulimit -v is reached */
		char *need = human(e.address_space), *l = human(as), *st = human(stack_bytes);
		bool ok = refuse_actors(r, err,
		                        "%llu simulated threads map %s of stack each "
		                        "(contexts/stack-size), %s of address space in all; "
		                        "ulimit -v allows %s: add --cfg=contexts/stack-size:KIB "
		                        "(e.g. 64), raise ulimit -v, or simulate fewer threads",
		                        (unsigned long long)e.actors, st, need, l);
		g_free(need);
		g_free(l);
		g_free(st);
		return ok;
	}
	const char *what;
	uint64_t lim = guard_mem_limit(&what);
	if (e.all_runs <= lim) {
		const struct wl_job *j = NULL;
		double rate = 0, n = horizon_requests(r, &j, &rate);
		/* a count given: the same bound (the oracle's memory no longer stops it) */
		for (guint i = 0; r->jobs && i < r->jobs->len; i++) {
			const struct wl_job *c = r->jobs->pdata[i];
			uint64_t cnt = env_sat_mul((uint64_t)c->numjobs, c->number_ios);
			if ((double)cnt > MAX_REQUESTS)
				return scn_error(
				    c->sect, "number_ios", err,
				    "the run would simulate %llu requests; the bound is "
				    "%.0g requests (an hour of wall time or more)",
				    (unsigned long long)cnt, MAX_REQUESTS);
		}
		if (n <= MAX_REQUESTS || !j)
			return true;
		return scn_error(j->sect, scn_has(j->sect, "runtime") ? "runtime" : "time_based",
		                 err,
		                 "the run would simulate about %.2g requests (%.0f s of simulated "
		                 "time at up to %.3g requests/s); the bound is %.0g requests: "
		                 "shorten runtime= or set number_ios=",
		                 n, j->runtime + j->ramp, rate, MAX_REQUESTS);
	}
	char *tot = human(e.total), *l = human(lim), *a = human(e.actor_bytes),
	     *q = human(e.request_bytes), *c = human(e.cache_bytes);
	char *m = human(e.map_bytes), *all = human(e.all_runs);
	char *par = e.parallel > 1
	                ? g_strdup_printf(", %d runs at once (--jobs): %s", (int)e.parallel, all)
	                : g_strdup("");
	char *msg = g_strdup_printf("the run would need about %s of memory (%llu threads: %s; "
	                            "%llu requests kept, random maps %s: %s; page cache: %s%s); "
	                            "the limit is %s (%s)",
	                            tot, (unsigned long long)e.actors, a,
	                            (unsigned long long)e.requests, m, q, c, par, l, what);
	g_free(par);
	g_free(all);
	g_free(m);
	bool ok;
	if (e.cache_bytes >= e.actor_bytes && e.cache_bytes >= e.request_bytes) {
		ok = scn_error(scn_section(r->scn, "fs"), "cache_mb", err, "%s", msg);
	} else if (e.actor_bytes >= e.request_bytes) {
		ok = refuse_actors(r, err, "%s", msg);
	} else {
		const struct wl_job *j = biggest(r, 1);
		bool maps = e.map_bytes > e.request_bytes / 2; /* norandommap=1 drops them */
		const char *key =
		    j && (maps || !scn_has(j->sect, "number_ios")) && scn_has(j->sect, "size")
		        ? "size"
		        : "number_ios";
		ok = j ? scn_error(j->sect, key, err, "%s", msg)
		       : scn_error(scn_section(r->scn, "sim"), NULL, err, "%s", msg);
	}
	g_free(msg);
	g_free(tot);
	g_free(l);
	g_free(a);
	g_free(q);
	g_free(c);
	return ok;
}

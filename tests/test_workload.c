/*
 * test_workload.c -- fio jobs: the request generator's distributions (offsets, sizes, mix,
 * zipf and pareto skew, poisson arrivals) over many draws against closed forms; option
 * meanings (per-direction bs, rwmix precedence, offset_increment, numjobs sharing a file);
 * skipped jobs and the warning list; and whole runs: stonewall ordering, duplicate
 * sections, --set global.KEY, file_append, ramp_time, every job file of ../shared/data/fio,
 * every scenario under every policy.
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "sim/stats.h"
#include "sim/workload.h"
#include "tests/testutil.h"

#define CAP_SECTORS (256ull << 21) /* 256 GiB */

static GPtrArray *
jobs_of(const char *text)
{
	struct scn *s = tu_scn(text);
	GError *e = NULL;
	GPtrArray *j = wl_jobs_load(s, CAP_SECTORS, &e);
	ck_assert_msg(j, "%s", e ? e->message : "");
	return j; /* the scenario stays loaded: jobs point into it */
}

static struct wl_job *
job0(const char *text)
{
	return jobs_of(text)->pdata[0];
}

/* The message of a scenario that must fail to load. */
static char *
load_error(const char *text)
{
	GError *e = NULL;
	struct scn *s = scn_load(tu_write("bad.fio", text), SCN_JOBFILE, &e);
	if (s && wl_jobs_load(s, CAP_SECTORS, &e))
		return NULL;
	char *m = g_strdup(e->message);
	g_error_free(e);
	return m;
}

__attribute__((noinline)) static char *
slurp(const char *dir, const char *file)
{
	char *p = g_build_filename(dir, file, NULL), *text = NULL;
	g_file_get_contents(p, &text, NULL, NULL);
	g_free(p);
	return text;
}

/* ---- the generator ---- */

/* A random 4k job over BLOCKS blocks from 0 with LOOPS loops: every block exactly once per
 * loop (the random map, generator.c note 5). */
static void
map_covers_each_loop(const char *text, uint64_t seed, int blocks, int loops)
{
	struct wl_gen *g = wl_gen_new(job0(text), 0, seed);
	uint8_t *seen = g_new0(uint8_t, blocks);
	struct wl_io io;
	int n = 0;
	while (wl_gen_next(g, &io)) {
		uint64_t b = io.off / 4096;
		ck_assert(b < (uint64_t)blocks);
		ck_assert_msg(seen[b] == n / blocks, "block %llu twice in loop %d",
		              (unsigned long long)b, n / blocks);
		seen[b]++;
		n++;
	}
	ck_assert_int_eq(n, loops * blocks);
	g_free(seen);
	wl_gen_free(g);
}

START_TEST(test_uniform_offsets)
{
	/* randread over [1m, 1m + 4m) in 4k: every offset aligned and inside; the random map
	 * covers every block once per loop; mean offset ~ the middle */
	struct wl_job *j = job0("[r]\nfilename=/dev/sim0\nrw=randread\nbs=4k\noffset=1m\n"
	                        "size=4m\nloops=3\n");
	struct wl_gen *g = wl_gen_new(j, 0, 1);
	struct wl_io io;
	int n = 0;
	uint8_t seen[1024] = {0};
	double sum = 0;
	while (wl_gen_next(g, &io)) {
		ck_assert(io.off >= (1u << 20) && io.off + io.len <= (5u << 20));
		ck_assert(io.off % 4096 == 0 && io.len == 4096 && io.dir == IO_READ);
		uint64_t b = (io.off - (1u << 20)) / 4096;
		ck_assert_msg(seen[b] == n / 1024, "block %llu twice in loop %d",
		              (unsigned long long)b, n / 1024);
		seen[b]++;
		sum += (double)io.off;
		n++;
	}
	ck_assert_int_eq(n, 3 * 1024); /* size x loops */
	double mid = (1u << 20) + (4u << 20) / 2.0 - 2048;
	ck_assert(fabs(sum / n - mid) < 1.0);
	wl_gen_free(g);
	/* the sparse map's last leaf partly used (1027 blocks: 512 + 512 + 3) */
	map_covers_each_loop("[r]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nsize=4108k\nloops=2\n",
	                     7, 1027, 2);
	/* 16,384 blocks: the map starts sparse (32 leaves of 512) and goes flat after 16 leaves,
	 * copying them */
	map_covers_each_loop("[r]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nsize=64m\nloops=2\n", 3,
	                     16384, 2);
	/* norandommap: repeats allowed, still inside; the mean within 2% of the middle */
	j = job0("[r]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nsize=4m\nnorandommap\n"
	         "number_ios=40000\ntime_based\nruntime=1\n");
	g = wl_gen_new(j, 0, 1);
	sum = 0;
	n = 0;
	while (wl_gen_next(g, &io)) {
		ck_assert(io.off + io.len <= (4u << 20));
		sum += (double)io.off;
		n++;
	}
	ck_assert_int_eq(n, 40000);
	ck_assert_msg(fabs(sum / n / ((4u << 20) / 2.0 - 2048) - 1) < 0.02, "mean %g", sum / n);
	wl_gen_free(g);
}
END_TEST

START_TEST(test_sequential_and_modifiers)
{
	struct wl_job *j = job0("[s]\nfilename=/dev/sim0\nrw=write\nbs=4k\nsize=16k\n");
	struct wl_gen *g = wl_gen_new(j, 0, 1);
	struct wl_io io;
	for (uint64_t k = 0; k < 4; k++) {
		ck_assert(wl_gen_next(g, &io));
		ck_assert(io.off == k * 4096 && io.dir == IO_WRITE);
	}
	ck_assert(!wl_gen_next(g, &io)); /* size done */
	wl_gen_free(g);
	/* rw=write:4k: a 4k hole after every write (HOWTO) */
	j = job0("[s]\nfilename=/dev/sim0\nrw=write:4k\nbs=4k\nsize=64k\n");
	g = wl_gen_new(j, 0, 1);
	for (uint64_t k = 0; k < 3; k++) {
		ck_assert(wl_gen_next(g, &io));
		ck_assert_int_eq(io.off, k * 8192);
	}
	wl_gen_free(g);
	/* rw=randread:4: runs of 4 sequential offsets from a random start */
	j = job0("[s]\nfilename=/dev/sim0\nrw=randread:4\nbs=4k\nsize=64m\nnorandommap\n");
	g = wl_gen_new(j, 0, 1);
	for (int run = 0; run < 5; run++) {
		ck_assert(wl_gen_next(g, &io));
		uint64_t first = io.off;
		for (uint64_t k = 1; k < 4; k++) {
			ck_assert(wl_gen_next(g, &io));
			if (first + 4 * 4096 <= (64u << 20))
				ck_assert_int_eq(io.off, first + k * 4096);
		}
	}
	wl_gen_free(g);
}
END_TEST

START_TEST(test_block_sizes)
{
	/* bsrange=4k-16k: uniform in [4096, 16384], down to a multiple of 4k (fio) */
	struct wl_job *j = job0("[r]\nfilename=/dev/sim0\nrw=randread\nbsrange=4k-16k\n"
	                        "number_ios=60000\nnorandommap\n");
	struct wl_gen *g = wl_gen_new(j, 0, 1);
	struct wl_io io;
	double sum = 0;
	int n = 0;
	while (wl_gen_next(g, &io)) {
		ck_assert(io.len >= 4096 && io.len <= 16384 && io.len % 4096 == 0);
		ck_assert(io.off % 4096 == 0);
		sum += (double)io.len;
		n++;
	}
	double w = 4096.0 / 12289, mean = (4096 + 8192 + 12288) * w + 16384.0 / 12289;
	ck_assert_msg(fabs(sum / n / mean - 1) < 0.01, "mean %g, want %g", sum / n, mean);
	wl_gen_free(g);
	/* bssplit=4k/10:64k/50:32k/40 */
	j = job0("[r]\nfilename=/dev/sim0\nrw=randwrite\nbssplit=4k/10:64k/50:32k/40\n"
	         "number_ios=40000\nnorandommap\n");
	g = wl_gen_new(j, 0, 1);
	int c4 = 0, c32 = 0, c64 = 0;
	n = 0;
	while (wl_gen_next(g, &io)) {
		c4 += io.len == 4096;
		c32 += io.len == 32768;
		c64 += io.len == 65536;
		ck_assert(io.off % 4096 == 0);
		n++;
	}
	ck_assert_int_eq(c4 + c32 + c64, n);
	ck_assert_msg(fabs(c4 / (double)n - 0.10) < 0.01 && fabs(c32 / (double)n - 0.40) < 0.015 &&
	                  fabs(c64 / (double)n - 0.50) < 0.015,
	              "%d %d %d of %d", c4, c32, c64, n);
	wl_gen_free(g);
	/* blanks share the rest: 4k/50:1k/:32k/ = 50, 25, 25 */
	j = job0("[r]\nfilename=f\nsize=64m\nrw=randread\nbssplit=4k/50:1k/:32k/\n");
	ck_assert_int_eq(j->bs[IO_READ].n, 3);
	ck_assert(j->bs[IO_READ].size[0] == 1024 && j->bs[IO_READ].perc[0] == 25);
	ck_assert(j->bs[IO_READ].size[1] == 4096 && j->bs[IO_READ].perc[1] == 75);
	ck_assert(j->bs[IO_READ].perc[2] == 100 && j->unit == 1024);
	/* bs=8k,32k: reads 8k, writes 32k; bs=,16k: reads keep 4k */
	j = job0("[r]\nfilename=/dev/sim0\nrw=randrw\nbs=8k,32k\nnumber_ios=2000\n");
	g = wl_gen_new(j, 0, 1);
	while (wl_gen_next(g, &io))
		ck_assert_int_eq(io.len, io.dir == IO_READ ? 8192 : 32768);
	wl_gen_free(g);
	j = job0("[r]\nfilename=/dev/sim0\nrw=randrw\nbs=,16k\n");
	ck_assert(j->bs[IO_READ].min == 4096 && j->bs[IO_WRITE].min == 16384);
}
END_TEST

START_TEST(test_mix)
{
	static const struct {
		const char *keys;
		int want;
	} c[] = {
	    {"", 50},
	    {"rwmixread=70\n", 70},
	    {"rwmixwrite=20\n", 80},
	    {"rwmixread=70\nrwmixwrite=40\n", 60}, /* the later one wins */
	    {"rwmixwrite=40\nrwmixread=70\n", 70},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		char *t = g_strdup_printf(
		    "[m]\nfilename=/dev/sim0\nrw=randrw\n%snumber_ios=40000\n", c[i].keys);
		struct wl_job *j = job0(t);
		g_free(t);
		ck_assert_int_eq(j->mix_read, c[i].want);
		struct wl_gen *g = wl_gen_new(j, 0, 1);
		struct wl_io io;
		int reads = 0, n = 0;
		while (wl_gen_next(g, &io))
			reads += io.dir == IO_READ, n++;
		ck_assert_msg(fabs(reads / (double)n - c[i].want / 100.0) < 0.01, "%zu: %d of %d",
		              i, reads, n);
		wl_gen_free(g);
	}
	/* a [global] value and the job's own: the job's wins whatever the lines */
	struct wl_job *j = job0("[global]\nrw=randrw\nrwmixwrite=10\nfilename=/dev/sim0\n"
	                        "[m]\nrwmixread=30\n");
	ck_assert_int_eq(j->mix_read, 30);
	/* direct= and buffered= set one flag: the later wins */
	j = job0("[global]\ndirect=0\nbuffered=0\n[m]\nfilename=f\nsize=1m\n");
	ck_assert(j->direct);
	j = job0("[global]\nbuffered=0\n[m]\nfilename=f\nsize=1m\nbuffered=1\ndirect=0\n");
	ck_assert(!j->direct);
}
END_TEST

static double
harmonic(uint64_t n, double s)
{
	double h = 0;
	for (uint64_t k = n; k >= 1; k--)
		h += pow((double)k, -s);
	return h;
}

static int
cmp_desc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

static double
top_share(struct wl_job *j, uint64_t nunits, int draws, uint64_t top)
{
	struct wl_gen *g = wl_gen_new(j, 0, 1);
	uint32_t *count = g_new0(uint32_t, nunits);
	struct wl_io io;
	for (int i = 0; i < draws; i++) {
		ck_assert(wl_gen_next(g, &io));
		ck_assert(io.off / 4096 < nunits);
		count[io.off / 4096]++;
	}
	wl_gen_free(g);
	qsort(count, nunits, sizeof *count, cmp_desc);
	uint64_t hot = 0;
	for (uint64_t i = 0; i < top; i++)
		hot += count[i];
	g_free(count);
	return (double)hot / draws;
}

START_TEST(test_zipf_pareto)
{
	const uint64_t n = 10000;
	const int draws = 400000;
	/* zipf:theta: P(rank k) = k^-theta / H(n, theta): the hottest 10% take H(n/10)/H(n) */
	static const double thetas[] = {0.5, 0.9, 1.2};
	for (size_t i = 0; i < G_N_ELEMENTS(thetas); i++) {
		char *t = g_strdup_printf("[z]\nfilename=/dev/sim0\nrw=randread\nsize=%llu\n"
		                          "random_distribution=zipf:%g\ntime_based\nruntime=1\n",
		                          (unsigned long long)n * 4096, thetas[i]);
		struct wl_job *j = job0(t);
		g_free(t);
		ck_assert(j->norandommap); /* fio disables the random map */
		double want = harmonic(n / 10, thetas[i]) / harmonic(n, thetas[i]);
		double got = top_share(j, n, draws, n / 10);
		ck_assert_msg(fabs(got - want) < 0.01,
		              "zipf:%g: hottest 10%% %.4f, closed form %.4f", thetas[i], got, want);
	}
	/* pareto:h (fio): rank = (n-1) u^(ln h / ln(1-h)): the hottest fraction f takes
	 * f^(ln(1-h)/ln h); h = 0.2 gives about 80/20 */
	static const double hs[] = {0.2, 0.3};
	for (size_t i = 0; i < G_N_ELEMENTS(hs); i++) {
		char *t = g_strdup_printf("[p]\nfilename=/dev/sim0\nrw=randread\nsize=%llu\n"
		                          "random_distribution=pareto:%g\ntime_based\nruntime=1\n",
		                          (unsigned long long)n * 4096, hs[i]);
		struct wl_job *j = job0(t);
		g_free(t);
		double p = log(hs[i]) / log(1 - hs[i]);
		double want = pow((double)(n / 5) / (double)(n - 1), 1 / p);
		double got = top_share(j, n, draws, n / 5);
		ck_assert_msg(fabs(got - want) < 0.01,
		              "pareto:%g: hottest 20%% %.4f, closed form %.4f", hs[i], got, want);
	}
	/* uniform: the hottest 10% take little more than 10% */
	struct wl_job *j = job0("[u]\nfilename=/dev/sim0\nrw=randread\nsize=40960000\n"
	                        "norandommap\ntime_based\nruntime=1\n");
	ck_assert(top_share(j, n, draws, n / 10) < 0.14);
	/* bad parameters name the line and the key */
	char *m =
	    load_error("[z]\nfilename=/dev/sim0\nrw=randread\nrandom_distribution=normal:5\n");
	ck_assert_msg(m && strstr(m, "bad.fio:4") && strstr(m, "random_distribution"), "%s", m);
	g_free(m);
	m = load_error("[z]\nfilename=/dev/sim0\nrw=randread\nrandom_distribution=pareto:1.5\n");
	ck_assert(m && strstr(m, "random_distribution"));
	g_free(m);
}
END_TEST

START_TEST(test_arrivals)
{
	/* rate_iops=1000 poisson: exponential gaps, mean 1 ms, CV 1; counts per 10 ms window:
	 * index of dispersion (variance / mean) 1.  linear: fixed 1 ms gaps. */
	for (int poisson = 0; poisson < 2; poisson++) {
		char *t = g_strdup_printf("[a]\nfilename=/dev/sim0\nrw=randread\nrate_iops=1000\n"
		                          "rate_process=%s\nnumber_ios=50000\nnorandommap\n",
		                          poisson ? "poisson" : "linear");
		struct wl_job *j = job0(t);
		g_free(t);
		struct wl_gen *g = wl_gen_new(j, 0, 1);
		wl_gen_start(g, 2.0);
		struct wl_io io;
		double prev = -1, s = 0, s2 = 0;
		int n = 0;
		int windows[6000] = {0};
		while (wl_gen_next(g, &io)) {
			ck_assert(io.not_before >= 2.0);
			if (prev >= 0) {
				double d = io.not_before - prev;
				s += d, s2 += d * d, n++;
			}
			prev = io.not_before;
			int w = (int)((io.not_before - 2.0) / 0.01);
			if (w < 4900) /* whole windows only */
				windows[w]++;
		}
		wl_gen_free(g);
		double mean = s / n, cv = sqrt(fabs(s2 / n - mean * mean)) / mean;
		ck_assert_msg(fabs(mean / 1e-3 - 1) < 0.02, "mean gap %g", mean);
		double m = 0, v = 0;
		for (int w = 0; w < 4900; w++)
			m += windows[w];
		m /= 4900;
		for (int w = 0; w < 4900; w++)
			v += (windows[w] - m) * (windows[w] - m);
		v /= 4899;
		if (poisson) {
			ck_assert_msg(fabs(cv - 1) < 0.03, "poisson CV %g", cv);
			ck_assert_msg(fabs(v / m - 1) < 0.08, "index of dispersion %g", v / m);
		} else {
			ck_assert_msg(cv < 1e-6 && v / m < 0.05, "linear CV %g, dispersion %g", cv,
			              v / m);
		}
	}
	/* a mixed job rated in both directions alternates (fio's rate overrides the mix) */
	struct wl_job *j = job0("[a]\nfilename=/dev/sim0\nrw=randrw\nrwmixread=90\n"
	                        "rate_iops=100,100\nnumber_ios=1000\n");
	struct wl_gen *g = wl_gen_new(j, 0, 1);
	struct wl_io io;
	int reads = 0;
	while (wl_gen_next(g, &io))
		reads += io.dir == IO_READ;
	ck_assert_int_eq(reads, 500);
	wl_gen_free(g);
}
END_TEST

START_TEST(test_files_and_clones)
{
	/* numjobs sharing one filename: every clone names the same file; offset_increment
	 * gives each clone its own region */
	struct wl_job *j = job0("[c]\nfilename=shared\nsize=1m\nnumjobs=4\nrw=randwrite\n"
	                        "offset_increment=1m\n");
	for (int c = 0; c < 4; c++) {
		struct wl_gen *g = wl_gen_new(j, c, 1);
		uint64_t size;
		char *name = wl_gen_file(g, 0, &size);
		ck_assert_str_eq(name, "shared");
		ck_assert_int_eq(size, (uint64_t)(c + 1) << 20);
		struct wl_io io;
		while (wl_gen_next(g, &io))
			ck_assert(io.off >= (uint64_t)c << 20 && io.off < (uint64_t)(c + 1) << 20);
		g_free(name);
		wl_gen_free(g);
	}
	/* no filename: a file per clone and per nrfiles, in directory=; size split */
	j = job0("[gen]\nsize=8m\nnrfiles=2\nnumjobs=2\ndirectory=/a:/b\nrw=read\n");
	struct wl_gen *g = wl_gen_new(j, 1, 1);
	ck_assert_int_eq(wl_gen_nfiles(g), 2);
	uint64_t size;
	char *name = wl_gen_file(g, 1, &size);
	ck_assert_str_eq(name, "/b/gen.1.1");
	ck_assert_int_eq(size, 4u << 20);
	g_free(name);
	struct wl_io io;
	int files[2] = {0};
	while (wl_gen_next(g, &io))
		files[io.file]++;
	ck_assert(files[0] == 1024 && files[1] == 1024); /* round robin, 8m of 4k */
	wl_gen_free(g);
	/* filename=a:b; filesize= with offset: the region is the rest of the file */
	j = job0("[ab]\nfilename=a:b\nfilesize=1m\noffset=25%\nrw=read\n");
	ck_assert(j->nfiles == 2 && j->offset == 256 * 1024 && j->size == 768 * 1024);
	ck_assert(j->io_limit == 2u << 20);
	/* file_service_type: sequential finishes a file's region first; random:4 runs of 4 */
	j = job0("[fsvc]\nsize=64k\nnrfiles=2\nrw=read\nfile_service_type=sequential\n");
	g = wl_gen_new(j, 0, 1);
	for (int k = 0; k < 16; k++) {
		ck_assert(wl_gen_next(g, &io));
		ck_assert_int_eq(io.file, k / 8);
	}
	wl_gen_free(g);
	j = job0("[fsvc]\nsize=4m\nnrfiles=4\nrw=randread\nfile_service_type=random:4\n");
	g = wl_gen_new(j, 0, 1);
	int changes = 0, prev = -1;
	for (int k = 0; k < 400; k++) {
		ck_assert(wl_gen_next(g, &io));
		if (k % 4)
			ck_assert_int_eq(io.file, prev);
		changes += io.file != prev;
		prev = io.file;
	}
	ck_assert(changes > 50); /* about 3/4 of the 100 turns change file */
	wl_gen_free(g);
	/* blockalign=512 with bs=4k: random offsets on 512-byte boundaries, no random map */
	j = job0("[ba]\nfilename=/dev/sim0\nrw=randread\nbs=4k\nba=512\nsize=1m\n"
	         "number_ios=1000\ntime_based\nruntime=1\n");
	ck_assert(j->norandommap && j->unit == 512);
	g = wl_gen_new(j, 0, 1);
	int odd = 0;
	while (wl_gen_next(g, &io)) {
		ck_assert(io.off % 512 == 0 && io.off + io.len <= (1u << 20));
		odd += io.off % 4096 != 0;
	}
	ck_assert(odd > 500);
	wl_gen_free(g);
	/* a percentage offset is aligned upwards to the block size (or offset_align) */
	j = job0("[p]\nfilename=/dev/sim0\nbs=64k\noffset=10%\nsize=1m\n");
	double tenth = (double)(CAP_SECTORS * 512) / 10;
	ck_assert(j->offset % 65536 == 0 && (double)j->offset >= tenth - 1 &&
	          (double)j->offset < tenth + 65536);
	j = job0("[p]\nfilename=/dev/sim0\nbs=4k\noffset=10%\noffset_align=1m\nsize=1m\n");
	ck_assert(j->offset % (1u << 20) == 0);
}
END_TEST

START_TEST(test_skips_and_warnings)
{
	struct scn *s = tu_scn("[global]\nfilename=f\nsize=1m\n"
	                       "[fa]\nioengine=falloc\nrw=randwrite\n"
	                       "[tr]\nrw=randtrim\n"
	                       "[ok]\nrw=randread\nverify=md5\nio_submit_mode=offload\n"
	                       "[aio]\nioengine=libaio\niodepth=8\nrw=randread\n"
	                       "[nul]\nioengine=null\n");
	GError *e = NULL;
	GPtrArray *jobs = wl_jobs_load(s, CAP_SECTORS, &e);
	ck_assert_msg(jobs, "%s", e ? e->message : "");
	ck_assert_int_eq(jobs->len, 3);
	const GPtrArray *w = scn_warnings(s);
	GString *all = g_string_new(NULL);
	for (guint i = 0; i < w->len; i++)
		g_string_append_printf(all, "%s\n", (const char *)w->pdata[i]);
	ck_assert_msg(strstr(all->str, "job 'fa' skipped: ioengine=falloc"), "%s", all->str);
	ck_assert_msg(strstr(all->str, "job 'tr' skipped: rw=randtrim"), "%s", all->str);
	ck_assert_msg(strstr(all->str, "not modelled, ignored: verify (line 11), io_submit_mode "
	                               "(line 12)"),
	              "%s", all->str);
	ck_assert_msg(strstr(all->str, "libaio on buffered I/O is synchronous"), "%s", all->str);
	ck_assert_msg(strstr(all->str, "ioengine=null is modelled as psync"), "%s", all->str);
	/* loading again does not repeat a warning */
	guint n = w->len;
	g_ptr_array_free(wl_jobs_load(s, CAP_SECTORS, NULL), TRUE);
	ck_assert_int_eq(scn_warnings(s)->len, n);
	g_string_free(all, TRUE);
	g_ptr_array_free(jobs, TRUE);
	/* every job skipped, bad values: FILE:LINE and the key */
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"[fa]\nioengine=falloc\n", "no job to run"},
	    {"[j]\nfilename=f\nsize=1m\nioengine=rdma\n", "bad.fio:4: [j] ioengine"},
	    {"[j]\nfilename=f\nsize=1m\nbssplit=4k/60:8k/50\n", "bad.fio:4: [j] bssplit"},
	    {"[j]\nfilename=f\nsize=1m\nbsrange=4k\n", "bad.fio:4: [j] bsrange"},
	    {"[j]\nfilename=f\nrw=rndread\nsize=1m\n", "bad.fio:3: [j] rw"},
	    {"[j]\nfilename=f\n", "size"},
	    {"[j]\nfilename=f\nsize=50%\n", "bad.fio:3: [j] size"},
	    {"[j]\nfilename=/dev/a:/dev/b\n", "filename"},
	    {"[j]\nfilename=/dev/sim0\nbs=1000\n", "bad.fio:3: [j] bs"},
	    {"[j]\nfilename=f\nsize=1m\nrate_process=bursty\n", "bad.fio:4: [j] rate_process"},
	    {"[j]\nfilename=f\nsize=1m\nstartdelay=5x\n", "bad.fio:4: [j] startdelay"},
	    {"[j]\nfilename=f\nsize=1m\nread_iolog=nope.log\n", "nope.log"},
	    {"[j]\nfilename=f\nsize=1m\nbogus_option=1\n", "bad.fio:4: [j] bogus_option"},
	    {"[j]\nfilename=f\nsize=1m\ntime_based\n", "time_based"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *m = load_error(bad[i].text);
		ck_assert_msg(m && strstr(m, bad[i].want), "case %zu: %s", i, m ? m : "(loaded)");
		g_free(m);
	}
}
END_TEST

/* ---- whole runs ---- */

/* Each request of REQ (requests.csv) for JOB: min issue and max completion times. */
static int
span_of(const char *req, const char *job, double *first, double *last)
{
	*first = 1e300, *last = -1;
	int n = 0;
	char **lines = g_strsplit(req, "\n", -1);
	for (char **l = lines + 1; *l && **l; l++) {
		char **f = g_strsplit(*l, ",", -1);
		if (strcmp(f[1], job) == 0) {
			double a = g_ascii_strtod(f[6], NULL), b = g_ascii_strtod(f[7], NULL);
			*first = MIN(*first, a);
			*last = MAX(*last, b);
			n++;
		}
		g_strfreev(f);
	}
	g_strfreev(lines);
	return n;
}

START_TEST(test_stonewall_and_groups)
{
	const char *sc = tu_write("wall.ini", "[global]\nfilename=data\nsize=4m\nbs=4k\n"
	                                      "[a]\nrw=randwrite\nnumjobs=2\nnumber_ios=200\n"
	                                      "[b]\nrw=randread\nnumber_ios=300\n"
	                                      "[c]\nstonewall\nrw=read\nnumber_ios=100\nnumjobs=2\n"
	                                      "[d]\nrw=randread\ndirect=1\nnumber_ios=50\n"
	                                      "[e]\nwait_for_previous\nrw=write\nnumber_ios=10\n");
	char *dir = g_build_filename(tu_tmpdir(), "wall", NULL), *out;
	int st =
	    tu_sh(&out, "%s run %s -q --out %s --requests --policy serial", tu_prog(), sc, dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	char *req = slurp(dir, "serial/requests.csv");
	double f[5], l[5];
	static const char *const jobs[] = {"a", "b", "c", "d", "e"};
	static const int n[] = {400, 300, 200, 50, 10};
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(span_of(req, jobs[i], &f[i], &l[i]), n[i]);
	ck_assert(f[0] == 0 && f[1] == 0);
	ck_assert_msg(f[2] >= MAX(l[0], l[1]) && f[3] >= MAX(l[0], l[1]),
	              "group 1 starts at %g, %g; group 0 ends at %g", f[2], f[3], MAX(l[0], l[1]));
	ck_assert(f[2] < l[3] && f[3] < l[2]); /* c and d run together */
	ck_assert(f[4] >= MAX(l[2], l[3]));
	g_free(req);
	g_free(dir);
}
END_TEST

START_TEST(test_runs_duplicates_set_append_ramp)
{
	/* duplicate sections are separate jobs, one summary row; --set global.KEY reaches
	 * every job, also ones with their own value */
	const char *sc = tu_write("dup.ini", "[global]\nfilename=data\nsize=8m\n"
	                                     "[w]\nrw=randwrite\nnumber_ios=100\n"
	                                     "[w]\nrw=randwrite\nnumber_ios=100\nbs=8k\n"
	                                     "[r]\nrw=randread\nnumber_ios=70\n"
	                                     "[log]\nrw=write\nbs=4k\nsize=64k\nfile_append=1\n"
	                                     "direct=1\nsync=dsync\n");
	char *dir = g_build_filename(tu_tmpdir(), "dup", NULL), *out;
	int st = tu_sh(&out, "%s run %s -q --out %s --requests --policy extent-tree", tu_prog(), sc,
	               dir);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	char *sum = slurp(dir, "summary.csv");
	ck_assert_msg(strstr(sum, ",w,200,") && strstr(sum, ",r,70,") && strstr(sum, ",log,16,"),
	              "%s", sum);
	ck_assert(!strstr(strstr(sum, ",w,200,") + 1, ",w,"));
	/* file_append: the log writes start at the file's size (8m) and extend it */
	char *req = slurp(dir, "extent-tree/requests.csv");
	int logs = 0;
	for (char *p = strstr(req, ",log,write,"); p; p = strstr(p + 1, ",log,write,")) {
		char **f = g_strsplit(p + 1, ",", 6);
		ck_assert_msg(g_ascii_strtoull(f[3], NULL, 10) >= (8u << 20), "append at %s", f[3]);
		g_strfreev(f);
		logs++;
	}
	ck_assert_int_eq(logs, 16);
	g_free(req);
	g_free(sum);
	char *dir2 = g_build_filename(tu_tmpdir(), "dupset", NULL);
	st = tu_sh(&out,
	           "%s run %s -q --out %s --policy extent-tree --set global.number_ios=30 "
	           "--set global.bs=16k",
	           tu_prog(), sc, dir2);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	sum = slurp(dir2, "summary.csv");
	/* log: 4, its 64k in 16k: number_ios does not extend a job (HOWTO) */
	ck_assert_msg(strstr(sum, ",w,60,") && strstr(sum, ",r,30,") && strstr(sum, ",log,4,"),
	              "%s", sum);
	char *json = slurp(dir2, "extent-tree/result.json");
	int n16 = 0;
	for (char *p = strstr(json, "\"bs\" : \"16384\""); p;
	     p = strstr(p + 1, "\"bs\" : \"16384\""))
		n16++;
	ck_assert_int_eq(n16, 4);
	g_free(json);
	g_free(sum);
	/* ramp_time: requests before it are issued but not measured; runtime comes after */
	sc = tu_write("ramp.ini",
	              "[j]\nfilename=/dev/sim0\nrw=randread\nramp_time=10ms\n"
	              "runtime=20ms\ntime_based\n[disk]\nmodel=simple\nservice_us=1000\n");
	char *dir3 = g_build_filename(tu_tmpdir(), "ramp", NULL);
	st = tu_sh(&out, "%s run %s -q --out %s --requests", tu_prog(), sc, dir3);
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	g_free(out);
	sum = slurp(dir3, "summary.csv");
	ck_assert_msg(strstr(sum, ",j,20,"), "%s", sum); /* 30 ms at 1 ms each, 20 measured */
	g_free(sum);
	g_free(dir);
	g_free(dir2);
	g_free(dir3);
}
END_TEST

/* One job on a 1 ms, 4-channel device with no host costs: closed forms. */
static char *
timed_run(const char *name, const char *job)
{
	char *text =
	    g_strdup_printf("%s[disk]\nmodel=simple\nservice_us=1000\nchannels=4\n"
	                    "[host]\nprofile=ideal\nsyscall_ns=0\npage_lookup_ns=0\nlock_op_ns=0\n"
	                    "lock_node_ns=0\nlock_cacheline_ns=0\nmemcpy_gbps=1000000\n",
	                    job);
	const char *sc = tu_write(name, text);
	char *dir = g_strdup_printf("%s/%s.out", tu_tmpdir(), name), *out;
	int st = tu_sh(&out, "%s run %s -q --out %s --requests --policy extent-tree", tu_prog(), sc,
	               dir);
	ck_assert_msg(st == 0, "%s: exit %d: %s", name, st, out);
	g_free(out);
	g_free(text);
	return dir;
}

START_TEST(test_timing_options)
{
	double f, l;
	/* psync: one at a time, 100 x 1 ms; libaio iodepth=4: four at a time on 4 channels */
	char *d = timed_run("sync.ini", "[j]\nfilename=/dev/sim0\nrw=randread\nnumber_ios=100\n");
	char *req = slurp(d, "extent-tree/requests.csv");
	span_of(req, "j", &f, &l);
	ck_assert_msg(fabs(l - 0.100) < 1e-9, "psync ends at %g", l);
	g_free(req), g_free(d);
	d = timed_run("aio.ini", "[j]\nfilename=/dev/sim0\nrw=randread\nnumber_ios=100\n"
	                         "ioengine=libaio\niodepth=4\n");
	req = slurp(d, "extent-tree/requests.csv");
	span_of(req, "j", &f, &l);
	ck_assert_msg(fabs(l - 0.025) < 1e-9, "libaio x4 ends at %g", l);
	g_free(req), g_free(d);
	/* thinktime=1ms after each: 2 ms a request; startdelay=5ms first */
	d = timed_run("think.ini", "[j]\nfilename=/dev/sim0\nrw=randread\nnumber_ios=10\n"
	                           "thinktime=1000\nstartdelay=5ms\n");
	req = slurp(d, "extent-tree/requests.csv");
	span_of(req, "j", &f, &l);
	ck_assert_msg(fabs(f - 0.005) < 1e-9 && fabs(l - 0.024) < 1e-9, "think: %g .. %g", f, l);
	g_free(req), g_free(d);
	/* rate_iops=200 for 0.5 s (linear): 100 requests, 5 ms apart */
	d = timed_run("rate.ini", "[j]\nfilename=/dev/sim0\nrw=randread\nrate_iops=200\n"
	                          "runtime=0.5\ntime_based\n");
	char *sum = slurp(d, "summary.csv");
	ck_assert_msg(strstr(sum, ",j,100,"), "%s", sum);
	g_free(sum), g_free(d);
	/* fsync=4, fdatasync=8, end_fsync on 16 buffered writes: 4 + 2 + 1 */
	d = timed_run("fsync.ini", "[j]\nfilename=f\nsize=64k\nrw=write\nfsync=4\n"
	                           "fdatasync=8\nend_fsync=1\n");
	char *json = slurp(d, "extent-tree/result.json");
	ck_assert_msg(strstr(json, "\"fsyncs\" : 5") && strstr(json, "\"fdatasyncs\" : 2"), "%s",
	              strstr(json, "\"fs\""));
	g_free(json), g_free(d);
}
END_TEST

/* every job file of ../shared/data/fio runs unmodified (runtime shortened) */
static const struct {
	const char *file;
	const char *rows; /* job rows expected, '|'-separated */
	const char *warn;
} fio_files[] = {
    {"fio/falloc.fio", "sequential aio-dio write,|sequential buffered read,",
     "job 'falloc-fuzzer' skipped"},
    {"fio/fio-rand-RW.fio", "fio-rand-RW,", "libaio on buffered I/O"},
    {"fio/fio-rand-write.fio", "fio-rand-write,", "libaio on buffered I/O"},
    {"fio/fio-seq-read.fio", "fio-seq-reads,", NULL},
    {"fio/poisson-rate-submission.fio", "poisson-rate-submit,", "io_submit_mode"},
    {"fio/zipf.fio", "job,", "ioengine=null"},
};

START_TEST(test_fio_file)
{
	const char *path = tu_data("workload fio file", fio_files[_i].file);
	if (!path)
		return;
	char *p = g_strdup(path);
	char *dir = g_strdup_printf("%s/fio%d", tu_tmpdir(), _i), *out;
	int st = tu_sh(&out, "%s run '%s' --out %s --policy serial --set global.runtime=0.05",
	               tu_prog(), p, dir);
	ck_assert_msg(st == 0, "%s: exit %d: %s", p, st, out);
	if (fio_files[_i].warn)
		ck_assert_msg(strstr(out, fio_files[_i].warn), "%s: %s", p, out);
	char *sum = slurp(dir, "summary.csv");
	char **rows = g_strsplit(fio_files[_i].rows, "|", -1);
	for (char **r = rows; *r; r++) {
		char *want = g_strdup_printf(",serial,1,%s", *r);
		ck_assert_msg(sum && strstr(sum, want), "%s: no row %s in %s", p, want, sum);
		g_free(want);
	}
	/* every measured job did something */
	ck_assert_msg(!strstr(sum, ",all,0,"), "%s", sum);
	g_strfreev(rows);
	g_free(sum);
	g_free(out);
	g_free(dir);
	g_free(p);
}
END_TEST

/* every scenario runs under every policy (reduced by --set) */
static const char *const scenarios[] = {
    "default",         "oltp",
    "log-append",      "backup-during-oltp",
    "sparse-fill",     "overlapping-writers",
    "file-per-thread", "nvme-oltp",
    "hdd-oltp",        "backup-vs-writers",
};

START_TEST(test_scenario_policies)
{
	const char *name = scenarios[_i];
	char *dir = g_strdup_printf("%s/scn-%s", tu_tmpdir(), name), *out;
	const char *pols = "serial,extent-list,extent-tree,two-color,four-color,none,xfs,"
	                   "range-color,ext4,extent9";
	/* the HDD scenarios need 0.2 s for a few dozen requests (milliseconds each) */
	int hdd = !strcmp(name, "hdd-oltp") || !strcmp(name, "backup-vs-writers");
	int st = tu_sh(&out,
	               "%s run scenarios/%s.ini -q --out %s --policy %s "
	               "--set global.runtime=%s",
	               tu_prog(), name, dir, pols, hdd ? "0.2" : "0.01");
	ck_assert_msg(st == 0, "%s: exit %d: %s", name, st, out);
	char *sum = slurp(dir, "summary.csv");
	char **p = g_strsplit(pols, ",", -1);
	for (char **q = p; *q; q++) {
		char *row = g_strdup_printf("%s,%s,1,all,", name, *q);
		ck_assert_msg(sum && strstr(sum, row), "%s: no row %s", name, row);
		g_free(row);
	}
	/* the correctness promise: no torn or stale reads and no lost writes but under none
	 * (the columns found by name); ext4's buffered reads take no lock, so torn reads are
	 * its real behaviour (docs/policies.md#ext4), and so are reads that fill a page while a
	 * direct write of it is in flight: the invalidation after the write drops such a page in
	 * Linux, but the model skips a page a reader has pinned and leaves it stale
	 * (docs/filesystem.md, "Direct I/O and the page cache": 2 stale reads on
	 * overlapping-writers).  Under ext4, torn and stale reads are allowed; torn and lost
	 * writes still 0. */
	static const char *const counters[] = {"torn_reads", "torn_writes", "stale_reads",
	                                       "lost_writes"};
	char **lines = g_strsplit(sum, "\n", -1);
	char **hdr = g_strsplit(lines[0], ",", -1);
	int c_pol = -1, cc[4] = {-1, -1, -1, -1};
	for (int i = 0; hdr[i]; i++) {
		c_pol = !strcmp(hdr[i], "policy") ? i : c_pol;
		for (int k = 0; k < 4; k++)
			cc[k] = !strcmp(hdr[i], counters[k]) ? i : cc[k];
	}
	ck_assert(c_pol >= 0 && cc[0] >= 0 && cc[1] >= 0 && cc[2] >= 0 && cc[3] >= 0);
	for (char **l = lines + 1; *l && **l; l++) {
		char **f = g_strsplit(*l, ",", -1);
		if (strcmp(f[c_pol], "none") != 0)
			for (int k = 0; k < 4; k++)
				if ((k != 0 && k != 2) || strcmp(f[c_pol], "ext4") != 0)
					ck_assert_msg(strcmp(f[cc[k]], "0") == 0, "%s: %s", name,
					              *l);
		g_strfreev(f);
	}
	g_strfreev(hdr);
	g_strfreev(lines);
	g_strfreev(p);
	g_free(sum);
	g_free(out);
	g_free(dir);
}
END_TEST

Suite *
suite_workload(void)
{
	Suite *s = suite_create("workload");
	TCase *tc = tcase_create("generator");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_uniform_offsets);
	tcase_add_test(tc, test_sequential_and_modifiers);
	tcase_add_test(tc, test_block_sizes);
	tcase_add_test(tc, test_mix);
	tcase_add_test(tc, test_zipf_pareto);
	tcase_add_test(tc, test_arrivals);
	tcase_add_test(tc, test_files_and_clones);
	tcase_add_test(tc, test_skips_and_warnings);
	suite_add_tcase(s, tc);
	tc = tcase_create("runs");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_stonewall_and_groups);
	tcase_add_test(tc, test_runs_duplicates_set_append_ramp);
	tcase_add_test(tc, test_timing_options);
	tcase_add_loop_test(tc, test_fio_file, 0, G_N_ELEMENTS(fio_files));
	tcase_add_loop_test(tc, test_scenario_policies, 0, G_N_ELEMENTS(scenarios));
	suite_add_tcase(s, tc);
	return s;
}

/*
 * models_only.c -- the dependency rule, checked by the linker: models/ depends only on
 * models/ (and SimGrid, glib).  `make check` links this program with every object of models/
 * and nothing of sim/: a models/ file that calls a sim/ function, or uses a sim/ variable or
 * log category, leaves an undefined reference and the link fails.  (The Makefile also
 * refuses any models/ file that includes a sim/ header.)
 *
 * Linked, it runs a little of each layer without sim/, each through the interface sim/
 * uses, and checks what it gets against values worked out by hand.
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>

#include "models/bmap.h"
#include "models/cdfdist.h"
#include "models/disk.h"
#include "models/locks/lock.h"
#include "models/locks/policy.h"
#include "models/oracle.h"
#include "models/pagecache.h"

static int failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "models_only: %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
			failed = 1;                                                                \
		}                                                                                  \
	} while (0)

/* Torn-read verdicts of request 2. */
static void
count(void *ctx, const struct or_verdict *v)
{
	*(int *)ctx += v->kind == OR_TORN_READ && v->req == 2;
}

int
main(void)
{
	/* locks: four-color's matrix, from its row */
	const struct lk_policy *p = lk_policy_find("four-color");
	struct lk_matrix m;
	CHECK(p && lk_matrix_parse(p->default_matrix, p->nclasses, p->class_names, &m, NULL));
	CHECK(m.ok[2][3] && !m.ok[0][1]); /* CR with CW; not PR with PW */
	/* disks: an ssd of the default settings serves a 4 KiB read in 80 us + 4096 B at
	 * 2000 MB/s = 82.048 us */
	const struct disk_model *ssd = disk_model_find("ssd");
	struct {
		double read_us, write_us;
		int channels;
		double bw, cap, write_mbps, write_buffer_kb;
	} cfg = {80, 20, 8, 2000, 1, 0, 4096};
	if (!ssd || ssd->cfg_size != sizeof cfg) {
		fprintf(stderr, "models_only: no ssd model of the expected settings\n");
		return 1;
	}
	void *d = ssd->create(&cfg, NULL);
	struct disk_svc s;
	ssd->service(d, IO_READ, 0, 8, 0, &s);
	CHECK(fabs(disk_svc_total(&s) - 82.048e-6) < 1e-12);
	ssd->destroy(d);
	/* the page cache, the block map, the oracle: a page dirtied and written back; two
	 * blocks allocated; a read torn by a write landing over it */
	struct pc *pc = pc_new(4);
	struct pc_file f;
	pc_file_init(pc, &f, 0);
	struct page *pg = pc_insert(pc, &f, 0, NULL, NULL, NULL);
	pc_zero(pc, pg);
	pc_set_dirty(pc, pg, 7, 1.0);
	pc_wb_start(pc, pg);
	pc_wb_done(pc, pg, pg->gen);
	CHECK(pc_dirty(pc) == 0 && pc_check(pc, g_string_new(NULL)));
	pc_unpin(pc, pg);
	pc_free(pc);
	struct bmap_alloc *a = bmap_alloc_new(100, 16);
	struct bmap *b = bmap_new(a, 2, false);
	CHECK(bmap_allocate(b, 0, 2) == 2 && bmap_lookup(b, 1) == 17 && bmap_check(b));
	bmap_free(b);
	bmap_alloc_free(a);
	/* W lands sector i at i + 1; R reads it at 3 + (i + 1) / 8: sectors 0-2 new, 3-7 old
	 * (tests/test_oracle.c, test_torn_read) */
	struct oracle *o = or_new();
	uint32_t w = or_write_new(o, 0, 0, 4096, 0.0, true, 1, 0);
	or_land(o, OR_CACHE, 0, 0, 4096, w, 0.0, 8.0);
	uint32_t r = or_read_new(o, 0, 0, 4096, 3.0, true, 2, 0);
	or_read_copy(o, r, OR_CACHE, 0, 4096, 3.0, 1.0);
	or_read_done(o, r, 4.0);
	or_write_done(o, w, 8.0); /* (and never written back: a lost write too) */
	int verdicts = 0;
	struct or_totals t;
	or_evaluate(o, count, &verdicts, &t);
	CHECK(t.torn_reads == 1 && verdicts == 1);
	or_free(o);
	double x[] = {3, 1, 2};
	cdf_sort(x, 3);
	CHECK(x[0] == 1 && cdf_quantile(x, 3, 0.5) == 2);
	if (!failed)
		printf("models_only: models/ links and runs without sim/\n");
	return failed;
}

/*
 * test_pagecache.c -- the page cache (models/pagecache.c) on its own, without a simulation
 * (pc_insert with no semaphore never blocks): LRU order, dirty, pinned and busy pages are
 * never evicted, write-back generations, pc_check after thousands of random operations, and
 * the page-state transitions refusing to start from a wrong state (an assertion: SIGABRT).
 */
#include <glib.h>
#include <signal.h>
#include <stdio.h>

#include "models/pagecache.h"
#include "tests/testutil.h"

static struct page *
add(struct pc *pc, struct pc_file *f, uint64_t idx)
{
	struct page *p = pc_insert(pc, f, idx, NULL, NULL, NULL);
	pc_zero(pc, p);
	pc_unpin(pc, p);
	return p;
}

static void
check(const struct pc *pc)
{
	GString *why = g_string_new(NULL);
	ck_assert_msg(pc_check(pc, why), "pc_check: %s", why->str);
	g_string_free(why, TRUE);
}

START_TEST(test_lru_order)
{
	/* capacity 4: pages 0..3, then 0 is used again: LRU order (oldest first) 1, 2, 3, 0.
	 * Inserting 4 evicts 1, inserting 5 evicts 2. */
	struct pc *pc = pc_new(4);
	struct pc_file f;
	pc_file_init(pc, &f, 0);
	for (uint64_t i = 0; i < 4; i++)
		add(pc, &f, i);
	pc_touch(pc, pc_lookup(pc, &f, 0));
	add(pc, &f, 4);
	ck_assert_ptr_null(pc_lookup(pc, &f, 1));
	add(pc, &f, 5);
	ck_assert_ptr_null(pc_lookup(pc, &f, 2));
	ck_assert_ptr_nonnull(pc_lookup(pc, &f, 0));
	ck_assert_ptr_nonnull(pc_lookup(pc, &f, 3));
	ck_assert_uint_eq(pc_pages(pc), 4);
	check(pc);
	pc_free(pc);
}
END_TEST

START_TEST(test_unevictable)
{
	/* capacity 3: page 0 dirty, 1 pinned, 2 under I/O: nothing can be evicted, so (no
	 * semaphore to wait on) the cache grows to 4 and keeps all three. */
	struct pc *pc = pc_new(3);
	struct pc_file f;
	pc_file_init(pc, &f, 0);
	struct page *d = add(pc, &f, 0), *p = add(pc, &f, 1);
	struct page *io = pc_insert(pc, &f, 2, NULL, NULL, NULL);
	pc_read_start(pc, io, 102);
	pc_unpin(pc, io);
	pc_set_dirty(pc, d, 100, 1.0);
	pc_pin(p);
	add(pc, &f, 3);
	ck_assert_uint_eq(pc_pages(pc), 4);
	ck_assert_ptr_eq(pc_lookup(pc, &f, 0), d);
	ck_assert_ptr_eq(pc_lookup(pc, &f, 1), p);
	ck_assert_ptr_eq(pc_lookup(pc, &f, 2), io);
	/* the I/O of 2 ends.  LRU, oldest first: 0 (dirty), 1 (pinned), 2, 3.  Inserting 4 in a
	 * cache of 4 pages over a capacity of 3 evicts the oldest evictable pages until there
	 * is room: 2, then 3; the cache holds 0, 1 and 4. */
	pc_read_done(pc, io, false);
	ck_assert(io->valid && !io->io);
	add(pc, &f, 4);
	ck_assert_ptr_null(pc_lookup(pc, &f, 2));
	ck_assert_ptr_null(pc_lookup(pc, &f, 3));
	ck_assert_uint_eq(pc_pages(pc), 3);
	ck_assert_uint_eq(pc_dirty(pc), 1);
	check(pc);
	pc_unpin(pc, p);
	pc_free(pc);
}
END_TEST

START_TEST(test_writeback_generation)
{
	/* a page re-dirtied while its write-back is in flight stays dirty (pagecache.c note 2
	 * and writeback.c note 3); the write-back of the latest generation cleans it */
	struct pc *pc = pc_new(8);
	struct pc_file f;
	pc_file_init(pc, &f, 0);
	struct page *p = add(pc, &f, 0);
	pc_set_dirty(pc, p, 100, 1.0);
	uint32_t g1 = p->gen;
	pc_wb_start(pc, p);
	pc_set_dirty(pc, p, 100, 2.0); /* re-dirtied: still listed once, with its first time */
	ck_assert_uint_eq(pc_dirty(pc), 1);
	ck_assert(p->dirtied == 1.0 && p->io);
	pc_wb_done(pc, p, g1);
	ck_assert(p->dirty && !p->io);
	pc_wb_start(pc, p);
	pc_wb_done(pc, p, p->gen);
	ck_assert(!p->dirty && !p->io);
	ck_assert_uint_eq(pc_dirty(pc), 0);
	ck_assert_uint_eq(f.ndirty, 0);
	check(pc);
	pc_free(pc);
}
END_TEST

START_TEST(test_random_operations)
{
	/* 20,000 random operations on two files in a cache of 16 pages: after each one the
	 * state check holds, every page this test made dirty and did not clean is still cached
	 * and dirty (note 1: a dirty page is never evicted), and the dirty count matches. */
	GRand *rng = g_rand_new_with_seed(7);
	struct pc *pc = pc_new(16);
	struct pc_file f[2];
	pc_file_init(pc, &f[0], 0);
	pc_file_init(pc, &f[1], 1);
	GHashTable *dirty = g_hash_table_new(NULL, NULL); /* (file << 8 | idx) + 1 */
	GHashTable *pinned = g_hash_table_new(NULL, NULL);
	double now = 0;
	for (int op = 0; op < 20000; op++) {
		int fi = g_rand_int_range(rng, 0, 2);
		uint64_t idx = (uint64_t)g_rand_int_range(rng, 0, 40);
		gpointer key = GSIZE_TO_POINTER(((uint64_t)fi << 8 | idx) + 1);
		struct page *p = pc_lookup(pc, &f[fi], idx);
		now += 1;
		switch (g_rand_int_range(rng, 0, 6)) {
		case 0: /* read or write it into the cache */
		case 1:
			if (!p)
				p = add(pc, &f[fi], idx);
			pc_touch(pc, p);
			break;
		case 2: /* dirty it */
			if (p) {
				pc_set_dirty(pc, p, 1000 + idx, now);
				g_hash_table_add(dirty, key);
			}
			break;
		case 3: /* write it back */
			if (p && p->dirty) {
				pc_wb_start(pc, p);
				pc_wb_done(pc, p, p->gen);
				g_hash_table_remove(dirty, key);
			}
			break;
		case 4: /* pin or unpin it */
			if (p && g_hash_table_contains(pinned, p)) {
				g_hash_table_remove(pinned, p);
				pc_unpin(pc, p);
			} else if (p) {
				g_hash_table_add(pinned, p);
				pc_pin(p);
			}
			break;
		default: /* invalidate it */
			if (p && !p->dirty && !p->pin && !p->io)
				pc_remove(pc, p);
			break;
		}
		check(pc);
		ck_assert_uint_eq(pc_dirty(pc), g_hash_table_size(dirty));
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, dirty);
		while (g_hash_table_iter_next(&it, &k, NULL)) {
			uint64_t x = GPOINTER_TO_SIZE(k) - 1;
			struct page *q = pc_lookup(pc, &f[x >> 8], x & 0xff);
			ck_assert_msg(q && q->dirty, "op %d: dirty page %llu/%llu evicted", op,
			              (unsigned long long)(x >> 8), (unsigned long long)(x & 0xff));
		}
	}
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, pinned);
	while (g_hash_table_iter_next(&it, &k, NULL))
		pc_unpin(pc, k);
	g_hash_table_destroy(dirty);
	g_hash_table_destroy(pinned);
	g_rand_free(rng);
	pc_free(pc);
}
END_TEST

/* Each transition from a state it must not start from: an assertion (pagecache.h). */
START_TEST(test_illegal_transition)
{
	struct pc *pc = pc_new(8);
	struct pc_file f;
	pc_file_init(pc, &f, 0);
	struct page *valid = add(pc, &f, 0);
	struct page *fresh = pc_insert(pc, &f, 1, NULL, NULL, NULL);
	/* the expected assertion's message (glib also prints "Bail out!" on stdout) */
	ck_assert(freopen("/dev/null", "w", stderr) && freopen("/dev/null", "w", stdout));
	switch (_i) {
	case 0: /* a valid page cannot become a zero page */
		pc_zero(pc, valid);
		break;
	case 1: /* nor be read into */
		pc_read_start(pc, valid, 5);
		break;
	case 2: /* a read that was never started cannot complete */
		pc_read_done(pc, fresh, false);
		break;
	case 3: /* a page without data cannot be dirtied */
		pc_set_dirty(pc, fresh, 5, 1.0);
		break;
	case 4: /* a clean page is not written back */
		pc_wb_start(pc, valid);
		break;
	case 5: /* nor a dirty page twice at once */
		pc_set_dirty(pc, valid, 5, 1.0);
		pc_wb_start(pc, valid);
		pc_wb_start(pc, valid);
		break;
	default: /* nor completed without being started */
		pc_set_dirty(pc, valid, 5, 1.0);
		pc_wb_done(pc, valid, valid->gen);
		break;
	}
	pc_free(pc);
}
END_TEST

Suite *
suite_pagecache(void)
{
	Suite *s = suite_create("pagecache");
	TCase *tc = tcase_create("pagecache");
	tcase_add_test(tc, test_lru_order);
	tcase_add_test(tc, test_unevictable);
	tcase_add_test(tc, test_writeback_generation);
	tcase_add_test(tc, test_random_operations);
	tcase_add_loop_test_raise_signal(tc, test_illegal_transition, SIGABRT, 0, 7);
	suite_add_tcase(s, tc);
	return s;
}

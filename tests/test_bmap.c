/*
 * test_bmap.c -- block maps and the extent allocator (models/bmap.c) on their own: appends
 * are sequential on disk, interleaved appends fragment, holes, preallocation, a full disk,
 * unwritten extents.
 * Expected block numbers follow from bmap.c note 1 (a frontier that starts after the
 * metadata area and only moves up), worked out in the comments.
 */
#include <glib.h>

#include "models/bmap.h"
#include "tests/testutil.h"

START_TEST(test_appends_sequential)
{
	/* 1000 blocks, 16 of metadata: the first data block is 16.  Ten appends of one block
	 * each get 16..25: one extent of 10 blocks starting at 16. */
	struct bmap_alloc *a = bmap_alloc_new(1000, 16);
	struct bmap *m = bmap_new(a, 0, false);
	for (uint64_t i = 0; i < 10; i++)
		ck_assert_int_eq(bmap_allocate(m, i, 1), 1);
	uint64_t d;
	ck_assert_uint_eq(bmap_extent(m, 0, 100, &d), 10);
	ck_assert_uint_eq(d, 16);
	ck_assert_uint_eq(bmap_lookup(m, 9), 25);
	ck_assert_uint_eq(bmap_alloc_used(a), 10);
	ck_assert(bmap_check(m));
	bmap_free(m);
	bmap_alloc_free(a);
}
END_TEST

START_TEST(test_interleaved_fragment)
{
	/* A and B append one block each in turn, 4 times: A gets 16, 18, 20, 22 and B 17, 19,
	 * 21, 23: every extent of either file is one block long. */
	struct bmap_alloc *a = bmap_alloc_new(1000, 16);
	struct bmap *fa = bmap_new(a, 0, false), *fb = bmap_new(a, 0, false);
	for (uint64_t i = 0; i < 4; i++) {
		ck_assert_int_eq(bmap_allocate(fa, i, 1), 1);
		ck_assert_int_eq(bmap_allocate(fb, i, 1), 1);
	}
	uint64_t d;
	for (uint64_t i = 0; i < 4; i++) {
		ck_assert_uint_eq(bmap_extent(fa, i, 100, &d), 1);
		ck_assert_uint_eq(d, 16 + 2 * i);
		ck_assert_uint_eq(bmap_extent(fb, i, 100, &d), 1);
		ck_assert_uint_eq(d, 17 + 2 * i);
	}
	ck_assert(bmap_check(fa) && bmap_check(fb));
	bmap_free(fa);
	bmap_free(fb);
	bmap_alloc_free(a);
}
END_TEST

START_TEST(test_holes)
{
	/* a sparse map of 8 blocks: all holes.  Allocating block 3 gives it 16; then [2, 6)
	 * allocates its holes in order: 2 -> 17, 4 -> 18, 5 -> 19 (3 is kept): 3 blocks. */
	struct bmap_alloc *a = bmap_alloc_new(1000, 16);
	struct bmap *m = bmap_new(a, 8, false);
	ck_assert_uint_eq(bmap_holes(m, 0, 8), 8);
	ck_assert_int_eq(bmap_allocate(m, 3, 1), 1);
	ck_assert_uint_eq(bmap_holes(m, 0, 8), 7);
	ck_assert_uint_eq(bmap_lookup(m, 3), 16);
	ck_assert_uint_eq(bmap_lookup(m, 2), BMAP_HOLE);
	uint64_t d;
	ck_assert_uint_eq(bmap_extent(m, 0, 8, &d), 3); /* the hole run 0..2 */
	ck_assert_uint_eq(d, BMAP_HOLE);
	ck_assert_int_eq(bmap_allocate(m, 2, 4), 3);
	ck_assert_uint_eq(bmap_lookup(m, 2), 17);
	ck_assert_uint_eq(bmap_lookup(m, 4), 18);
	ck_assert_uint_eq(bmap_lookup(m, 5), 19);
	ck_assert_uint_eq(bmap_extent(m, 3, 8, &d), 1); /* 16 then 18: not contiguous */
	ck_assert_uint_eq(bmap_extent(m, 4, 8, &d), 2); /* 18, 19 */
	ck_assert_uint_eq(bmap_holes(m, 0, 8), 4);      /* 0, 1, 6, 7 */
	/* past the end of the map is a hole, and allocating there grows the map */
	ck_assert_uint_eq(bmap_lookup(m, 100), BMAP_HOLE);
	ck_assert_int_eq(bmap_allocate(m, 100, 1), 1);
	ck_assert_uint_eq(bmap_lookup(m, 100), 20);
	ck_assert(bmap_check(m));
	bmap_free(m);
	bmap_alloc_free(a);
}
END_TEST

START_TEST(test_preallocated_and_full)
{
	/* preallocated: 10 blocks in one extent from 16.  A disk of 20 blocks with 16 of
	 * metadata holds 4 data blocks: a 5-block allocation fails. */
	struct bmap_alloc *a = bmap_alloc_new(1000, 16);
	struct bmap *m = bmap_new(a, 10, true);
	uint64_t d;
	ck_assert_uint_eq(bmap_extent(m, 0, 100, &d), 10);
	ck_assert_uint_eq(d, 16);
	ck_assert_int_eq(bmap_allocate(m, 0, 10), 0); /* nothing to allocate */
	ck_assert_uint_eq(bmap_meta_block(a, 3), 3);
	ck_assert_uint_eq(bmap_meta_block(a, 17), 1); /* file % meta */
	/* past the preallocated run (kept as a run, bmap.c note 3): a hole at 12, then the
	 * allocation of [10, 14) takes the next frontier blocks 26..29 in order */
	ck_assert_uint_eq(bmap_lookup(m, 9), 25);
	ck_assert_uint_eq(bmap_lookup(m, 12), BMAP_HOLE);
	ck_assert_uint_eq(bmap_holes(m, 8, 6), 4);
	ck_assert_int_eq(bmap_allocate(m, 8, 6), 4);
	ck_assert_uint_eq(bmap_extent(m, 0, 100, &d), 14);
	ck_assert_uint_eq(d, 16);
	ck_assert_uint_eq(bmap_holes(m, 0, 14), 0);
	ck_assert(bmap_check(m));
	bmap_free(m);
	bmap_alloc_free(a);
	a = bmap_alloc_new(20, 16);
	m = bmap_new(a, 0, false);
	ck_assert_int_eq(bmap_allocate(m, 0, 5), -1);
	bmap_free(m);
	bmap_alloc_free(a);
}
END_TEST

START_TEST(test_unwritten)
{
	/* A fallocated file of 8 blocks: all 8 unwritten (bmap.c note 4).  A hole stays a hole
	 * when marked: a sparse map of 4 blocks with block 1 allocated has 1 unwritten after
	 * marking all 4.  Converting [2, 5) of the 8 clears 3; converting it again clears 0;
	 * 5 remain.  Growing the map past its first size keeps the bits (block 7 still
	 * unwritten) and new blocks are written once allocated. */
	struct bmap_alloc *a = bmap_alloc_new(1000, 16);
	struct bmap *m = bmap_new(a, 8, true);
	ck_assert_uint_eq(bmap_unwritten(m, 0, 8), 0);
	bmap_set_unwritten(m, 0, 8);
	ck_assert_uint_eq(bmap_unwritten(m, 0, 8), 8);
	ck_assert_uint_eq(bmap_convert(m, 2, 3), 3);
	ck_assert_uint_eq(bmap_convert(m, 2, 3), 0);
	ck_assert_uint_eq(bmap_unwritten(m, 0, 8), 5);
	ck_assert_uint_eq(bmap_unwritten(m, 2, 3), 0);
	ck_assert_int_eq(bmap_allocate(m, 8, 100), 100); /* grows the map to 108 blocks */
	ck_assert_uint_eq(bmap_unwritten(m, 7, 1), 1);
	ck_assert_uint_eq(bmap_unwritten(m, 8, 100), 0);
	ck_assert(bmap_check(m));
	struct bmap *h = bmap_new(a, 4, false);
	ck_assert_int_eq(bmap_allocate(h, 1, 1), 1);
	bmap_set_unwritten(h, 0, 4);
	ck_assert_uint_eq(bmap_unwritten(h, 0, 4), 1);
	ck_assert_uint_eq(bmap_unwritten(h, 1, 1), 1);
	bmap_free(h);
	bmap_free(m);
	bmap_alloc_free(a);
}
END_TEST

Suite *
suite_bmap(void)
{
	Suite *s = suite_create("bmap");
	TCase *tc = tcase_create("bmap");
	tcase_add_test(tc, test_appends_sequential);
	tcase_add_test(tc, test_interleaved_fragment);
	tcase_add_test(tc, test_holes);
	tcase_add_test(tc, test_preallocated_and_full);
	tcase_add_test(tc, test_unwritten);
	suite_add_tcase(s, tc);
	return s;
}

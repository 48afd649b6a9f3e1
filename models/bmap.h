/*
 * bmap.h -- a file's block map (logical block -> disk block, with holes) and the file
 * system's extent allocator.  Pure bookkeeping: the locks that guard it (the getpages lock,
 * or per-block busy locks with bmap=buffer) are taken by the request paths in vnode.c.
 */
#ifndef VN_BMAP_H
#define VN_BMAP_H

#include <stdbool.h>
#include <stdint.h>

#define BMAP_HOLE UINT64_MAX

struct bmap_alloc; /* the file system's free space: one per file system */
struct bmap;       /* one file's map */

/* Free space of NBLOCKS blocks, the first META blocks reserved for metadata. */
struct bmap_alloc *bmap_alloc_new(uint64_t nblocks, uint64_t meta);
void bmap_alloc_free(struct bmap_alloc *a);
uint64_t bmap_alloc_used(const struct bmap_alloc *a);
/* The disk block of the metadata area that a durable allocation of FILE writes. */
uint64_t bmap_meta_block(const struct bmap_alloc *a, unsigned file);

/* A map of NBLOCKS logical blocks (grows as needed).  PREALLOCATE: every block exists,
 * laid out contiguously (one extent); else every block is a hole. */
struct bmap *bmap_new(struct bmap_alloc *a, uint64_t nblocks, bool preallocate);
void bmap_free(struct bmap *m);
/* The disk block of logical block LB, or BMAP_HOLE. */
uint64_t bmap_lookup(const struct bmap *m, uint64_t lb);
/* Length of the run of logical blocks from LB (at most MAX) that are contiguous on disk
 * (or all holes); *disk gets the first disk block (BMAP_HOLE for a hole run). */
uint64_t bmap_extent(const struct bmap *m, uint64_t lb, uint64_t max, uint64_t *disk);
/* Count holes in [lb, lb + n). */
uint64_t bmap_holes(const struct bmap *m, uint64_t lb, uint64_t n);
/* Give every hole in [lb, lb + n) a disk block, next to the file's previous allocation when
 * that space is free (appends stay sequential on disk).  Returns the blocks allocated, or
 * -1 if the disk is full. */
int64_t bmap_allocate(struct bmap *m, uint64_t lb, uint64_t n);
/* Extent state (bmap.c note 4).  Mark the mapped blocks of [lb, lb + n) unwritten (as
 * fallocate leaves them; holes stay holes). */
void bmap_set_unwritten(struct bmap *m, uint64_t lb, uint64_t n);
/* Unwritten blocks in [lb, lb + n). */
uint64_t bmap_unwritten(const struct bmap *m, uint64_t lb, uint64_t n);
/* Mark the unwritten blocks of [lb, lb + n) written (a write to them completed); returns how
 * many were converted. */
uint64_t bmap_convert(struct bmap *m, uint64_t lb, uint64_t n);
/* Invariant check (tests, debug builds): every mapped block is inside the data area and no
 * disk block is mapped twice within the file.  Costs O(bmap_entries). */
bool bmap_check(const struct bmap *m);
/* Blocks the map keeps one by one (those past a preallocated file's run). */
uint64_t bmap_entries(const struct bmap *m);

#endif

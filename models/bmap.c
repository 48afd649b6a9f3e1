/*
 * bmap.c -- block maps and the extent allocator (see bmap.h).
 *
 * Design notes:
 * (1) The allocator hands out disk blocks from a frontier that only moves up (a log-like
 *     allocator: no frees are modelled, files are never truncated).  A file that allocates
 *     again right after its own previous allocation gets the next block: its appends are
 *     sequential on disk.  Two files appending in turn interleave their extents, as simple
 *     allocators do.
 * (2) The first `meta` blocks of the disk are the metadata area: each file has one block
 *     there, written when an allocation must be durable (O_SYNC, O_DSYNC, fsync).
 * (3) A map is an array of disk block numbers (8 bytes a block); BMAP_HOLE marks a hole.
 *     A preallocated file's blocks are one contiguous run from the frontier, kept as its
 *     first block and length (lin_base, lin_n) instead of an array: a 4 GiB preallocated file
 *     costs nothing per block; the array holds only the blocks from lin_n on.
 * (4) Extent state: a mapped block is written or unwritten (allocated by fallocate, not yet
 *     written: it reads as zeroes without I/O).  One bit a block, kept only once some block
 *     is unwritten (`unw`, n bits); bmap_convert clears them when a write completes.
 *
 * Invariants (bmap_check): every mapped block lies in the data area below the frontier and
 * no disk block is mapped twice within a file (nor, the frontier only rising, across files).
 *
 * Locks: none here.  Callers hold the getpages lock (shared for lookups, exclusive for
 * allocation with bmap=global) or, with bmap=buffer, the busy locks of the blocks they
 * allocate plus the getpages lock shared.
 */
#include <glib.h>
#include <string.h>
#include <xbt/log.h>

#include "models/bmap.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_bmap, vnodesim, "block maps: allocations");

struct bmap_alloc {
	uint64_t nblocks, meta, frontier;
};

struct bmap {
	struct bmap_alloc *a;
	uint64_t lin_n, lin_base; /* blocks [0, lin_n) are lin_base + i (note 3) */
	uint64_t *map;            /* blocks [lin_n, n): map[i - lin_n] */
	uint64_t n, cap;          /* cap: entries of map */
	uint64_t last;            /* disk block of this file's latest allocation, or BMAP_HOLE */
	uint8_t *unw;             /* note 4: bit i set = block i unwritten (NULL: none) */
	uint64_t unw_bytes, nunw; /* size of unw; unwritten blocks */
};

struct bmap_alloc *
bmap_alloc_new(uint64_t nblocks, uint64_t meta)
{
	g_assert(meta < nblocks);
	struct bmap_alloc *a = g_new0(struct bmap_alloc, 1);
	*a = (struct bmap_alloc){nblocks, meta, meta};
	return a;
}

void
bmap_alloc_free(struct bmap_alloc *a)
{
	g_free(a);
}

uint64_t
bmap_alloc_used(const struct bmap_alloc *a)
{
	return a->frontier - a->meta;
}

uint64_t
bmap_meta_block(const struct bmap_alloc *a, unsigned file)
{
	return file % a->meta;
}

static void
grow(struct bmap *m, uint64_t n)
{
	if (n <= m->n)
		return;
	if (n - m->lin_n > m->cap) {
		uint64_t cap = m->cap ? m->cap : 64;
		while (cap < n - m->lin_n)
			cap *= 2;
		m->map = g_renew(uint64_t, m->map, cap);
		m->cap = cap;
	}
	for (uint64_t i = m->n; i < n; i++)
		m->map[i - m->lin_n] = BMAP_HOLE;
	m->n = n;
	if (m->unw && (n + 7) / 8 > m->unw_bytes) {
		uint64_t nb = MAX((n + 7) / 8, 2 * m->unw_bytes);
		m->unw = g_realloc(m->unw, nb);
		memset(m->unw + m->unw_bytes, 0, nb - m->unw_bytes);
		m->unw_bytes = nb;
	}
}

static bool
unw_get(const struct bmap *m, uint64_t lb)
{
	return m->unw && lb < m->n && (m->unw[lb / 8] >> (lb % 8) & 1);
}

struct bmap *
bmap_new(struct bmap_alloc *a, uint64_t nblocks, bool preallocate)
{
	struct bmap *m = g_new0(struct bmap, 1);
	m->a = a;
	m->last = BMAP_HOLE;
	if (preallocate && nblocks) { /* note 3: what bmap_allocate(m, 0, nblocks) would do */
		g_assert(a->frontier <= a->nblocks && nblocks <= a->nblocks - a->frontier);
		m->lin_n = m->n = nblocks;
		m->lin_base = a->frontier;
		a->frontier += nblocks;
		m->last = a->frontier - 1;
		return m;
	}
	grow(m, nblocks);
	return m;
}

void
bmap_free(struct bmap *m)
{
	if (!m)
		return;
	g_free(m->map);
	g_free(m->unw);
	g_free(m);
}

uint64_t
bmap_lookup(const struct bmap *m, uint64_t lb)
{
	if (lb < m->lin_n)
		return m->lin_base + lb;
	return lb < m->n ? m->map[lb - m->lin_n] : BMAP_HOLE;
}

uint64_t
bmap_extent(const struct bmap *m, uint64_t lb, uint64_t max, uint64_t *disk)
{
	uint64_t first = bmap_lookup(m, lb), n = 1;
	*disk = first;
	while (n < max) {
		uint64_t d = bmap_lookup(m, lb + n);
		if (first == BMAP_HOLE ? d != BMAP_HOLE : d != first + n)
			break;
		n++;
	}
	return n;
}

uint64_t
bmap_holes(const struct bmap *m, uint64_t lb, uint64_t n)
{
	uint64_t h = 0;
	for (uint64_t i = lb < m->lin_n ? MIN(m->lin_n - lb, n) : 0; i < n; i++)
		h += bmap_lookup(m, lb + i) == BMAP_HOLE;
	return h;
}

int64_t
bmap_allocate(struct bmap *m, uint64_t lb, uint64_t n)
{
	grow(m, lb + n);
	int64_t got = 0;
	for (uint64_t i = MAX(lb, m->lin_n); i < lb + n; i++) {
		uint64_t *e = &m->map[i - m->lin_n];
		if (*e != BMAP_HOLE)
			continue;
		if (m->a->frontier >= m->a->nblocks)
			return -1;
		/* note 1: the next block is free only if nobody allocated since */
		*e = m->a->frontier++;
		m->last = *e;
		got++;
	}
	if (got)
		XBT_DEBUG("allocated %lld blocks in [%llu,+%llu), up to disk block %llu",
		          (long long)got, (unsigned long long)lb, (unsigned long long)n,
		          (unsigned long long)m->last);
	return got;
}

void
bmap_set_unwritten(struct bmap *m, uint64_t lb, uint64_t n)
{
	g_assert(lb + n <= m->n);
	if (!m->unw) {
		m->unw_bytes = (m->n + 7) / 8 + 1;
		m->unw = g_malloc0(m->unw_bytes);
	}
	for (uint64_t i = lb; i < lb + n; i++)
		if (bmap_lookup(m, i) != BMAP_HOLE && !unw_get(m, i)) {
			m->unw[i / 8] |= (uint8_t)(1u << (i % 8));
			m->nunw++;
		}
}

uint64_t
bmap_unwritten(const struct bmap *m, uint64_t lb, uint64_t n)
{
	if (!m->nunw)
		return 0;
	uint64_t k = 0;
	for (uint64_t i = lb; i < lb + n && i < m->n; i++)
		k += unw_get(m, i);
	return k;
}

uint64_t
bmap_convert(struct bmap *m, uint64_t lb, uint64_t n)
{
	if (!m->nunw)
		return 0;
	uint64_t k = 0;
	for (uint64_t i = lb; i < lb + n && i < m->n; i++)
		if (unw_get(m, i)) {
			m->unw[i / 8] &= (uint8_t) ~(1u << (i % 8));
			k++;
		}
	m->nunw -= k;
	return k;
}

uint64_t
bmap_entries(const struct bmap *m)
{
	return m->n - m->lin_n;
}

bool
bmap_check(const struct bmap *m)
{
	/* the run of note 3 at once, then the array's blocks one by one */
	const struct bmap_alloc *a = m->a;
	if (m->lin_n && (m->lin_base < a->meta || m->lin_base + m->lin_n > a->frontier))
		return false;
	GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
	bool ok = true;
	uint64_t n = m->n - m->lin_n;
	for (uint64_t i = 0; i < n && ok; i++) {
		uint64_t *b = &m->map[i];
		if (*b == BMAP_HOLE)
			continue;
		ok = *b >= a->meta && *b < a->frontier &&
		     (*b < m->lin_base || *b >= m->lin_base + m->lin_n) &&
		     !g_hash_table_contains(seen, b);
		g_hash_table_add(seen, b);
	}
	g_hash_table_destroy(seen);
	return ok;
}

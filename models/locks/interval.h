/*
 * interval.h -- sets of half-open ranges [start, end) of 64-bit offsets, behind one small
 * table of operations with two implementations:
 *   iv_list_ops  a list sorted by start, as NetBSD extent(9): O(n) insert and query;
 *   iv_tree_ops  an AVL tree keyed on (start, seq), each node augmented with the largest
 *                end in its subtree: O(log n) insert/remove, O(log n + k) query.
 * Both count the nodes they visit (iv_set.visits, a running total) so the lock manager can
 * charge lock_node_ns per node (DESIGN.md §3.1).
 *
 * The node is embedded in the caller's structure (no allocation here).  end == IV_INF
 * means "to infinity"; a range is never empty (start < end).  Nodes with equal starts are
 * ordered by seq, which the caller makes unique, so iteration order is deterministic.
 *
 * Lock rules: none (plain data; SimGrid runs one actor at a time).  A visitor must not
 * insert or remove while a query runs.
 */
#ifndef VN_LK_INTERVAL_H
#define VN_LK_INTERVAL_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IV_INF UINT64_MAX

struct iv_node {
	uint64_t start, end; /* [start, end), start < end; end == IV_INF: to infinity */
	uint64_t seq;        /* tie-break among equal starts; unique within a set */
	struct iv_node *left, *right, *parent; /* tree links; the list uses left/right only */
	uint64_t max_end;                      /* tree: largest end in this subtree */
	int height;                            /* tree: AVL height, a leaf is 1 */
};

struct iv_set;
/* Called for each node overlapping the query, in (start, seq) order; return false to stop. */
typedef bool (*iv_visit_fn)(struct iv_node *n, void *arg);

struct iv_ops {
	const char *name;
	void (*insert)(struct iv_set *s, struct iv_node *n);
	void (*remove)(struct iv_set *s, struct iv_node *n);
	void (*overlap)(struct iv_set *s, uint64_t start, uint64_t end, iv_visit_fn fn, void *arg);
	int (*height)(const struct iv_set *s); /* longest root-to-leaf path (list: n) */
	bool (*check)(const struct iv_set *s, GString *why); /* structure invariants */
};

struct iv_set {
	const struct iv_ops *ops;
	struct iv_node *root; /* tree root, or list head */
	size_t n;
	uint64_t visits; /* nodes visited so far, all operations: callers take differences */
};

extern const struct iv_ops iv_list_ops;
extern const struct iv_ops iv_tree_ops;

static inline void
iv_init(struct iv_set *s, const struct iv_ops *ops)
{
	*s = (struct iv_set){.ops = ops};
}

/* Insert N (start, end, seq set by the caller; the links are the set's). */
static inline void
iv_insert(struct iv_set *s, struct iv_node *n)
{
	g_assert(n->start < n->end);
	s->ops->insert(s, n);
}

/* Remove N, which is in S. */
static inline void
iv_remove(struct iv_set *s, struct iv_node *n)
{
	s->ops->remove(s, n);
}

/* Call FN on every node overlapping [start, end), in (start, seq) order. */
static inline void
iv_overlap(struct iv_set *s, uint64_t start, uint64_t end, iv_visit_fn fn, void *arg)
{
	s->ops->overlap(s, start, end, fn, arg);
}

/* Do [a, b) and [c, d) overlap? */
static inline bool
iv_overlaps(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	return a < d && c < b;
}

#endif

/*
 * interval.c -- the two interval structures of interval.h: a sorted list (NetBSD extent(9)
 * style) and an augmented AVL tree (the shape of OpenZFS's AVL range lock and Linux's
 * interval tree).
 *
 * Invariants (checked by ->check):
 *  (1) both: nodes are in strictly increasing (start, seq) order; s->n counts them.
 *  (2) list: left/right are prev/next and agree with each other.
 *  (3) tree: parent links agree with child links; height = 1 + max(child heights); the two
 *      children's heights differ by at most 1 (so height <= 1.44 log2(n + 2)).
 *  (4) tree: max_end = max(end, children's max_end).
 *
 * Visit counting: a node counts each time an operation reads it while searching (list walk,
 * tree descent, a query's pruned or matched node) or repairs it (the tree's fix-up walk from
 * a changed leaf to the root).  This is the work the real structure does.
 *
 * Lock rules: none; the caller serializes (interval.h).
 */
#include "models/locks/interval.h"

static inline bool
node_less(const struct iv_node *a, const struct iv_node *b)
{
	return a->start < b->start || (a->start == b->start && a->seq < b->seq);
}

/* ---- sorted doubly linked list: left = prev, right = next ---- */

static void
list_insert(struct iv_set *s, struct iv_node *n)
{
	struct iv_node *prev = NULL, *cur = s->root;
	while (cur && !node_less(n, cur)) {
		s->visits++;
		prev = cur;
		cur = cur->right;
	}
	if (cur)
		s->visits++; /* the node that stopped the walk was read too */
	n->left = prev;
	n->right = cur;
	n->parent = NULL;
	if (prev)
		prev->right = n;
	else
		s->root = n;
	if (cur)
		cur->left = n;
	s->n++;
}

static void
list_remove(struct iv_set *s, struct iv_node *n)
{
	g_assert(s->n > 0);
	s->visits++;
	if (n->left)
		n->left->right = n->right;
	else
		s->root = n->right;
	if (n->right)
		n->right->left = n->left;
	n->left = n->right = NULL;
	s->n--;
}

static void
list_overlap(struct iv_set *s, uint64_t start, uint64_t end, iv_visit_fn fn, void *arg)
{
	for (struct iv_node *cur = s->root; cur; cur = cur->right) {
		s->visits++;
		if (cur->start >= end)
			break; /* sorted: nothing further can overlap */
		if (cur->end > start && !fn(cur, arg))
			break;
	}
}

static int
list_height(const struct iv_set *s)
{
	return (int)s->n;
}

static bool
list_check(const struct iv_set *s, GString *why)
{
	size_t n = 0;
	const struct iv_node *prev = NULL;
	for (const struct iv_node *cur = s->root; cur; prev = cur, cur = cur->right, n++) {
		if (cur->left != prev) {
			g_string_append_printf(why, "list: bad prev link at seq %" G_GUINT64_FORMAT,
			                       cur->seq);
			return false;
		}
		if (cur->start >= cur->end || (prev && !node_less(prev, cur))) {
			g_string_append_printf(why, "list: out of order at seq %" G_GUINT64_FORMAT,
			                       cur->seq);
			return false;
		}
	}
	if (n != s->n) {
		g_string_append_printf(why, "list: %zu nodes, count says %zu", n, s->n);
		return false;
	}
	return true;
}

const struct iv_ops iv_list_ops = {
    .name = "list",
    .insert = list_insert,
    .remove = list_remove,
    .overlap = list_overlap,
    .height = list_height,
    .check = list_check,
};

/* ---- AVL tree keyed on (start, seq), augmented with the subtree's max end ---- */

static inline int
ht(const struct iv_node *n)
{
	return n ? n->height : 0;
}

static inline uint64_t
mx(const struct iv_node *n)
{
	return n ? n->max_end : 0;
}

static inline void
fix(struct iv_node *n)
{
	int hl = ht(n->left), hr = ht(n->right);
	n->height = 1 + (hl > hr ? hl : hr);
	uint64_t m = n->end;
	if (mx(n->left) > m)
		m = mx(n->left);
	if (mx(n->right) > m)
		m = mx(n->right);
	n->max_end = m;
}

/* Put NEW where OLD hangs under PARENT (or at the root). */
static inline void
replace_child(struct iv_set *s, struct iv_node *parent, struct iv_node *old, struct iv_node *new)
{
	if (!parent)
		s->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

static struct iv_node *
rotate_left(struct iv_set *s, struct iv_node *x)
{
	struct iv_node *y = x->right;
	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace_child(s, x->parent, x, y);
	y->left = x;
	x->parent = y;
	fix(x);
	fix(y);
	return y;
}

static struct iv_node *
rotate_right(struct iv_set *s, struct iv_node *x)
{
	struct iv_node *y = x->left;
	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	replace_child(s, x->parent, x, y);
	y->right = x;
	x->parent = y;
	fix(x);
	fix(y);
	return y;
}

/* Restore heights, balance and max_end from N upwards.  A node's height and max_end depend
 * only on its children's, so the walk stops at the first node that needed no rotation and
 * whose two values did not change: everything above is already right. */
static void
rebalance(struct iv_set *s, struct iv_node *n)
{
	while (n) {
		s->visits++;
		int oh = n->height;
		uint64_t om = n->max_end;
		fix(n);
		int b = ht(n->left) - ht(n->right);
		if (b > 1) {
			if (ht(n->left->left) < ht(n->left->right))
				rotate_left(s, n->left);
			n = rotate_right(s, n);
		} else if (b < -1) {
			if (ht(n->right->right) < ht(n->right->left))
				rotate_right(s, n->right);
			n = rotate_left(s, n);
		} else if (n->height == oh && n->max_end == om) {
			break;
		}
		n = n->parent;
	}
}

static void
tree_insert(struct iv_set *s, struct iv_node *n)
{
	struct iv_node *parent = NULL, *cur = s->root;
	bool left = false;
	while (cur) {
		s->visits++;
		parent = cur;
		left = node_less(n, cur);
		cur = left ? cur->left : cur->right;
	}
	n->left = n->right = NULL;
	n->parent = parent;
	n->height = 1;
	n->max_end = n->end;
	if (!parent)
		s->root = n;
	else if (left)
		parent->left = n;
	else
		parent->right = n;
	s->n++;
	rebalance(s, parent);
}

static void
tree_remove(struct iv_set *s, struct iv_node *n)
{
	g_assert(s->n > 0);
	struct iv_node *from; /* lowest node whose subtree changed */
	if (!n->left || !n->right) {
		from = n->parent;
		replace_child(s, n->parent, n, n->left ? n->left : n->right);
	} else {
		/* Splice out the successor Y (leftmost of the right subtree, no left child)
		 * and put it in N's place: nodes are embedded, so links move, not data. */
		struct iv_node *y = n->right;
		while (y->left) {
			s->visits++;
			y = y->left;
		}
		if (y->parent != n) {
			from = y->parent;
			replace_child(s, y->parent, y, y->right);
			y->right = n->right;
			y->right->parent = y;
		} else {
			from = y;
		}
		y->left = n->left;
		y->left->parent = y;
		replace_child(s, n->parent, n, y);
		/* Y stands where N stood: start from N's values so that the walks below see
		 * (and propagate) exactly what changed -- the subtree under FROM, and Y's own
		 * end replacing N's.  The first walk may stop below Y, hence the second. */
		y->height = n->height;
		y->max_end = n->max_end;
		n->left = n->right = n->parent = NULL;
		s->n--;
		rebalance(s, from);
		rebalance(s, y);
		return;
	}
	n->left = n->right = n->parent = NULL;
	s->n--;
	rebalance(s, from);
}

/* All nodes of the subtree at N overlapping [start, end); false once FN said stop. */
static bool
tree_query(struct iv_set *s, struct iv_node *n, uint64_t start, uint64_t end, iv_visit_fn fn,
           void *arg)
{
	while (n) {
		s->visits++;
		if (n->max_end <= start)
			return true; /* everything below ends before the query */
		if (n->left && !tree_query(s, n->left, start, end, fn, arg))
			return false;
		if (n->start >= end)
			return true; /* this node and its right subtree start after the query */
		if (n->end > start && !fn(n, arg))
			return false;
		n = n->right;
	}
	return true;
}

static void
tree_overlap(struct iv_set *s, uint64_t start, uint64_t end, iv_visit_fn fn, void *arg)
{
	tree_query(s, s->root, start, end, fn, arg);
}

static int
tree_height(const struct iv_set *s)
{
	return ht(s->root);
}

struct tcheck {
	GString *why;
	size_t n;
	const struct iv_node *prev;
};

static bool
tree_check_node(const struct iv_node *n, struct tcheck *c)
{
	if (!n)
		return true;
	if ((n->left && n->left->parent != n) || (n->right && n->right->parent != n)) {
		g_string_append_printf(c->why, "tree: bad parent link under seq %" G_GUINT64_FORMAT,
		                       n->seq);
		return false;
	}
	if (!tree_check_node(n->left, c))
		return false;
	if (n->start >= n->end || (c->prev && !node_less(c->prev, n))) {
		g_string_append_printf(c->why, "tree: out of order at seq %" G_GUINT64_FORMAT,
		                       n->seq);
		return false;
	}
	c->prev = n;
	c->n++;
	if (!tree_check_node(n->right, c))
		return false;
	int hl = ht(n->left), hr = ht(n->right);
	uint64_t m = n->end;
	if (mx(n->left) > m)
		m = mx(n->left);
	if (mx(n->right) > m)
		m = mx(n->right);
	if (n->height != 1 + (hl > hr ? hl : hr) || hl - hr > 1 || hr - hl > 1 || n->max_end != m) {
		g_string_append_printf(c->why,
		                       "tree: seq %" G_GUINT64_FORMAT
		                       " height %d (children %d, %d) or max_end wrong",
		                       n->seq, n->height, hl, hr);
		return false;
	}
	return true;
}

static bool
tree_check(const struct iv_set *s, GString *why)
{
	struct tcheck c = {.why = why};
	if (s->root && s->root->parent) {
		g_string_append(why, "tree: root has a parent");
		return false;
	}
	if (!tree_check_node(s->root, &c))
		return false;
	if (c.n != s->n) {
		g_string_append_printf(why, "tree: %zu nodes, count says %zu", c.n, s->n);
		return false;
	}
	return true;
}

const struct iv_ops iv_tree_ops = {
    .name = "tree",
    .insert = tree_insert,
    .remove = tree_remove,
    .overlap = tree_overlap,
    .height = tree_height,
    .check = tree_check,
};

/*
 * test_interval.c -- the interval structures (models/locks/interval.c): a randomized
 * differential test of the list and the tree against a brute-force array (inserts, removes,
 * overlap queries, ranges to infinity), the tree's balance bound, and the node-visit counts
 * that the lock manager charges as CPU (O(n) for the list, O(log n + k) for the tree).
 */
#include <math.h>

#include "models/locks/interval.h"
#include "tests/testutil.h"

static const struct iv_ops *const impls[] = {&iv_list_ops, &iv_tree_ops};

/* ---- differential test ---- */

struct collect {
	GArray *seqs;
	int stop_after; /* stop the query after this many (<= 0: never) */
};

static bool
collect_fn(struct iv_node *n, void *arg)
{
	struct collect *c = arg;
	g_array_append_val(c->seqs, n->seq);
	return c->stop_after <= 0 || (int)c->seqs->len < c->stop_after;
}

/* Ranges concentrated on a small space so that overlaps, equal starts and nesting happen. */
static void
random_range(GRand *r, uint64_t *start, uint64_t *end)
{
	if (g_rand_int_range(r, 0, 50) == 0) {
		*start =
		    g_rand_int_range(r, 0, 4) == 0 ? 0 : (uint64_t)g_rand_int_range(r, 0, 2000);
		*end = IV_INF;
		return;
	}
	if (g_rand_int_range(r, 0, 100) == 0) {
		*start = IV_INF - 1 - (uint64_t)g_rand_int_range(r, 0, 3); /* near the top */
		*end = IV_INF - (uint64_t)g_rand_int_range(r, 0, 2);
		if (*end <= *start)
			*end = *start + 1;
		return;
	}
	*start = (uint64_t)g_rand_int_range(r, 0, 2000);
	*end = *start + 1 + (uint64_t)g_rand_int_range(r, 0, 120);
}

START_TEST(test_differential)
{
	enum { NODES = 1500, OPS = 20000 };
	GRand *r = g_rand_new_with_seed(12345 + (guint32)_i);
	struct iv_set sets[2];
	struct iv_node *nodes[2];
	bool in[NODES] = {false};
	uint64_t st[NODES], en[NODES];
	for (int k = 0; k < 2; k++) {
		iv_init(&sets[k], impls[k]);
		nodes[k] = g_new0(struct iv_node, NODES);
	}
	for (int i = 0; i < NODES; i++)
		random_range(r, &st[i], &en[i]);
	GArray *got = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	GArray *want = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	GString *why = g_string_new(NULL);
	size_t present = 0, queries = 0, matched = 0;
	for (int op = 0; op < OPS; op++) {
		int what = g_rand_int_range(r, 0, 10);
		int i = g_rand_int_range(r, 0, NODES);
		if (what < 4 && !in[i]) {
			for (int k = 0; k < 2; k++) {
				nodes[k][i] = (struct iv_node){
				    .start = st[i], .end = en[i], .seq = (uint64_t)i};
				iv_insert(&sets[k], &nodes[k][i]);
			}
			in[i] = true;
			present++;
		} else if (what < 7 && in[i]) {
			for (int k = 0; k < 2; k++)
				iv_remove(&sets[k], &nodes[k][i]);
			in[i] = false;
			present--;
		} else {
			uint64_t qs, qe;
			random_range(r, &qs, &qe);
			int stop = g_rand_int_range(r, 0, 8) == 0 ? g_rand_int_range(r, 1, 4) : 0;
			/* brute force, in (start, seq) order */
			g_array_set_size(want, 0);
			for (int j = 0; j < NODES; j++) {
				if (!in[j] || !iv_overlaps(st[j], en[j], qs, qe))
					continue;
				guint pos = 0;
				while (pos < want->len) {
					uint64_t o = g_array_index(want, uint64_t, pos);
					if (st[o] > st[j] || (st[o] == st[j] && o > (uint64_t)j))
						break;
					pos++;
				}
				uint64_t sj = (uint64_t)j;
				g_array_insert_val(want, pos, sj);
			}
			if (stop > 0 && want->len > (guint)stop)
				g_array_set_size(want, (guint)stop);
			for (int k = 0; k < 2; k++) {
				g_array_set_size(got, 0);
				struct collect c = {got, stop};
				iv_overlap(&sets[k], qs, qe, collect_fn, &c);
				ck_assert_msg(got->len == want->len,
				              "%s op %d: query [%" G_GUINT64_FORMAT
				              ",%" G_GUINT64_FORMAT ") found %u, brute force %u",
				              impls[k]->name, op, qs, qe, got->len, want->len);
				for (guint p = 0; p < got->len; p++)
					ck_assert_uint_eq(g_array_index(got, uint64_t, p),
					                  g_array_index(want, uint64_t, p));
			}
			queries++;
			matched += want->len;
		}
		if (op % 97 == 0)
			for (int k = 0; k < 2; k++) {
				ck_assert_msg(sets[k].ops->check(&sets[k], why), "%s", why->str);
				ck_assert_uint_eq(sets[k].n, present);
			}
	}
	for (int k = 0; k < 2; k++)
		ck_assert_msg(sets[k].ops->check(&sets[k], why), "%s", why->str);
	ck_assert(queries > 1000 && matched > queries); /* the test really exercised overlaps */
	g_string_free(why, TRUE);
	g_array_free(got, TRUE);
	g_array_free(want, TRUE);
	for (int k = 0; k < 2; k++)
		g_free(nodes[k]);
	g_rand_free(r);
}
END_TEST

/* ---- balance ---- */

START_TEST(test_tree_balance)
{
	enum { N = 50000 };
	struct iv_node *nodes = g_new0(struct iv_node, N);
	GRand *r = g_rand_new_with_seed(7);
	GString *why = g_string_new(NULL);
	/* three insertion orders: ascending (a naive BST's worst case), descending, random */
	for (int order = 0; order < 3; order++) {
		struct iv_set s;
		iv_init(&s, &iv_tree_ops);
		for (int i = 0; i < N; i++) {
			uint64_t key = order == 0   ? (uint64_t)i
			               : order == 1 ? (uint64_t)(N - i)
			                            : (uint64_t)g_rand_int_range(r, 0, 1 << 30);
			nodes[i] =
			    (struct iv_node){.start = key, .end = key + 10, .seq = (uint64_t)i};
			iv_insert(&s, &nodes[i]);
			if ((i & (i + 1)) == 0 || i == N - 1) {
				double bound = 1.45 * log2((double)s.n + 2);
				ck_assert_msg(iv_tree_ops.height(&s) <= bound,
				              "order %d n %zu height %d > %.2f", order, s.n,
				              iv_tree_ops.height(&s), bound);
			}
		}
		ck_assert_msg(iv_tree_ops.check(&s, why), "%s", why->str);
		/* remove every other node, then most of the rest, checking the bound */
		for (int i = 0; i < N; i += 2)
			iv_remove(&s, &nodes[i]);
		ck_assert_msg(iv_tree_ops.check(&s, why), "%s", why->str);
		ck_assert(iv_tree_ops.height(&s) <= 1.45 * log2((double)s.n + 2));
		for (int i = 1; i < N - 100; i += 2)
			iv_remove(&s, &nodes[i]);
		ck_assert_msg(iv_tree_ops.check(&s, why), "%s", why->str);
		ck_assert_uint_eq(s.n, 50);
		ck_assert(iv_tree_ops.height(&s) <= 1.45 * log2((double)s.n + 2));
	}
	g_string_free(why, TRUE);
	g_rand_free(r);
	g_free(nodes);
}
END_TEST

/* ---- node-visit counts: the CPU the lock structure is charged ---- */

static bool
count_fn(struct iv_node *n, void *arg)
{
	(*(int *)arg)++;
	return true;
}

START_TEST(test_visit_counts)
{
	enum { N = 100000 };
	struct iv_node *nodes[2] = {g_new0(struct iv_node, N), g_new0(struct iv_node, N)};
	struct iv_set s[2];
	for (int k = 0; k < 2; k++) {
		iv_init(&s[k], impls[k]);
		/* disjoint ranges [8i, 8i+4), inserted in random order for the tree and
		 * ascending for the list (its cheapest order is still a walk) */
		for (int i = 0; i < N; i++) {
			nodes[k][i] = (struct iv_node){.start = (uint64_t)i * 8,
			                               .end = (uint64_t)i * 8 + 4,
			                               .seq = (uint64_t)i};
			if (k == 1)
				iv_insert(&s[k], &nodes[k][i]);
		}
	}
	/* the list built by linking (inserting 100,000 nodes by walking would be quadratic) */
	for (int i = N - 1; i >= 0; i--)
		iv_insert(&s[0], &nodes[0][i]); /* descending: each insert stops at the head */
	double lg = log2((double)N);
	static const struct {
		uint64_t qs, qe;
		int k; /* expected matches */
	} qs[] = {
	    {8 * 90000, 8 * 90000 + 1, 1},     /* one range near the end */
	    {8 * 50000 + 5, 8 * 50000 + 7, 0}, /* a gap */
	    {8 * 70000, 8 * 70100, 100},       /* 100 ranges */
	    {8 * 99999, IV_INF, 1},            /* to infinity */
	};
	for (size_t q = 0; q < G_N_ELEMENTS(qs); q++) {
		uint64_t visits[2];
		for (int k = 0; k < 2; k++) {
			int found = 0;
			uint64_t v0 = s[k].visits;
			iv_overlap(&s[k], qs[q].qs, qs[q].qe, count_fn, &found);
			visits[k] = s[k].visits - v0;
			ck_assert_int_eq(found, qs[q].k);
		}
		/* list: walks every node that starts before the query's end */
		ck_assert_msg(visits[0] >= qs[q].qs / 8,
		              "list query %zu visited %" G_GUINT64_FORMAT, q, visits[0]);
		/* tree: two root-to-leaf paths plus the matches and their pruned neighbours */
		ck_assert_msg(visits[1] <= 2 * (lg + 2) + 2 * (double)qs[q].k + 2,
		              "tree query %zu visited %" G_GUINT64_FORMAT " (k %d, log2 n %.1f)", q,
		              visits[1], qs[q].k, lg);
	}
	/* insert and remove one range at the far end */
	struct iv_node extra[2];
	for (int k = 0; k < 2; k++) {
		extra[k] = (struct iv_node){.start = 8 * 99990 + 5, .end = 8 * 99990 + 6, .seq = N};
		uint64_t v0 = s[k].visits;
		iv_insert(&s[k], &extra[k]);
		iv_remove(&s[k], &extra[k]);
		uint64_t v = s[k].visits - v0;
		if (k == 0)
			ck_assert_msg(v >= 99990, "list insert+remove: %" G_GUINT64_FORMAT, v);
		else
			ck_assert_msg(v <= 4 * (lg + 2), "tree insert+remove: %" G_GUINT64_FORMAT,
			              v);
	}
	g_free(nodes[0]);
	g_free(nodes[1]);
}
END_TEST

Suite *
suite_interval(void)
{
	Suite *s = suite_create("interval");
	TCase *tc = tcase_create("structures");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_differential, 0, 3);
	tcase_add_test(tc, test_tree_balance);
	tcase_add_test(tc, test_visit_counts);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * policy.c -- the policy tables (DESIGN.md §1, §4).  Each policy is data plus two small
 * functions; granting, waiting, fairness and statistics are common code elsewhere.  A row
 * leaves out what it does not need: classify (class 0), is_concurrent (never), impl (a
 * whole-file lock has no structure to choose).
 *
 * Matrices are written in the `[policy] matrix=` syntax: space-separated rows
 * `CLASS:COMPATIBLE,COMPATIBLE`; an empty list after the colon means compatible with none.
 */
#include <glib.h>
#include <string.h>

#include "models/locks/lock.h"
#include "models/locks/policy.h"

/* ---- classes shared by several policies ---- */

static const char *const rw_classes[] = {"R", "W"};
enum { C_R, C_W };

static int
classify_rw(const struct lk_req *r, const struct lk_params *p)
{
	return r->op == IO_READ ? C_R : C_W;
}

/* two-color: D (every direct request), N (buffered read), X (buffered write) */
static const char *const dnx_classes[] = {"D", "N", "X"};
enum { C_D, C_N, C_X };

static int
classify_two_color(const struct lk_req *r, const struct lk_params *p)
{
	if (r->direct)
		return C_D;
	return r->op == IO_READ ? C_N : C_X;
}

static bool
direct_is_concurrent(const struct lk_req *r, const struct lk_params *p)
{
	return r->direct;
}

/* four-color and range-color: {P, C} x {R, W} */
static const char *const pc_classes[] = {"PR", "PW", "CR", "CW"};
enum { C_PR, C_PW, C_CR, C_CW };

static bool
pc_is_concurrent(const struct lk_req *r, const struct lk_params *p)
{
	switch (p->concurrent) {
	case LK_CONC_DIRECT:
		return r->direct || r->concurrent;
	case LK_CONC_FLAG:
		return r->concurrent;
	default:
		return false;
	}
}

static int
classify_four_color(const struct lk_req *r, const struct lk_params *p)
{
	bool c = pc_is_concurrent(r, p);
	if (r->op == IO_READ)
		return c ? C_CR : C_PR;
	return c ? C_CW : C_PW;
}

/* xfs: S (shared) or E (exclusive) on the whole-file rwlock */
static const char *const se_classes[] = {"S", "E"};
enum { C_S, C_E };

static int
classify_xfs(const struct lk_req *r, const struct lk_params *p)
{
	if (r->op == IO_READ)
		return C_S; /* buffered and direct reads share */
	if (r->direct && r->aligned && !r->extending && !r->fills_hole)
		return C_S; /* aligned overwrite: xfs_file_dio_write_aligned */
	return C_E;
}

static const struct lk_policy policies[] = {
    {.name = "serial",
     .summary = "vnode lock: reads shared, writes exclusive, buffered and direct alike "
                "(NetBSD vn_read/vn_write)",
     .nclasses = 2,
     .class_names = rw_classes,
     .default_matrix = "R:R W:",
     .ranged = false,
     .classify = classify_rw},
    {.name = "extent-list",
     .summary = "byte-range lock on a sorted list, O(n): overlapping writes conflict, reads "
                "share (NetBSD extent(9), FreeBSD rangelock)",
     .nclasses = 2,
     .class_names = rw_classes,
     .default_matrix = "R:R W:",
     .ranged = true,
     .impl = LK_IMPL_LIST,
     .classify = classify_rw},
    {.name = "extent-tree",
     .summary = "the same byte-range rule on a balanced interval tree, O(log n + k) "
                "(OpenZFS zfs_rangelock, Lustre)",
     .nclasses = 2,
     .class_names = rw_classes,
     .default_matrix = "R:R W:",
     .ranged = true,
     .impl = LK_IMPL_TREE,
     .classify = classify_rw},
    {.name = "two-color",
     .summary = "one lock, classes D (direct), N (buffered read), X (buffered write): D "
                "shares with D, N with N (Linux NFS/Ceph direct I/O mode)",
     .nclasses = 3,
     .class_names = dnx_classes,
     .default_matrix = "D:D N:N X:",
     .ranged = false,
     .classify = classify_two_color,
     .is_concurrent = direct_is_concurrent},
    {.name = "four-color",
     .summary = "classes {POSIX, concurrent} x {read, write} with the seed mail's matrix "
                "(AIX JFS2 O_CIO, VxFS cio)",
     .nclasses = 4,
     .class_names = pc_classes,
     .default_matrix = "PR:PR,CR PW: CR:PR,CR,CW CW:CR,CW",
     .ranged = false,
     .classify = classify_four_color,
     .is_concurrent = pc_is_concurrent},
    {.name = "none",
     .summary = "no vnode lock at all: the control, which must show violations",
     .nclasses = 1,
     .class_names = (const char *const[]){"A"},
     .default_matrix = "A:A",
     .ranged = false,
     .no_lock = true},
    {.name = "xfs",
     .summary = "whole-file rwlock: aligned non-extending direct I/O and reads shared, the "
                "rest exclusive (Linux XFS, ext4)",
     .nclasses = 2,
     .class_names = se_classes,
     .default_matrix = "S:S E:",
     .ranged = false,
     .classify = classify_xfs,
     .is_concurrent = direct_is_concurrent},
    {.name = "range-color",
     .summary = "a byte-range lock whose overlapping holders are judged by the four-color "
                "matrix",
     .nclasses = 4,
     .class_names = pc_classes,
     .default_matrix = "PR:PR,CR PW: CR:PR,CR,CW CW:CR,CW",
     .ranged = true,
     .impl = LK_IMPL_TREE,
     .classify = classify_four_color,
     .is_concurrent = pc_is_concurrent},
};

int
lk_policy_classify(const struct lk_policy *p, const struct lk_req *r,
                   const struct lk_params *params)
{
	int c = p->classify ? p->classify(r, params) : 0;
	g_assert(c >= 0 && c < p->nclasses);
	return c;
}

void
lk_policy_range(const struct lk_policy *p, const struct lk_req *r, uint64_t eof, uint64_t *off,
                uint64_t *end)
{
	g_assert(r->len > 0);
	if (!p->ranged) {
		*off = 0;
		*end = UINT64_MAX;
	} else if (r->op == IO_WRITE && r->extending) {
		*off = r->off < eof ? r->off : eof;
		*end = UINT64_MAX;
	} else {
		*off = r->off;
		*end = r->off + r->len;
	}
}

bool
lk_policy_is_concurrent(const struct lk_policy *p, const struct lk_req *r,
                        const struct lk_params *params)
{
	return p->is_concurrent && p->is_concurrent(r, params);
}

const char *
lk_policy_lock_name(const struct lk_policy *p)
{
	return p->ranged ? "range" : "vnode";
}

/* The built-in rows, then the registered ones (tests). */
static GPtrArray *
all_policies(void)
{
	static GPtrArray *all;
	if (!all) {
		all = g_ptr_array_new();
		for (size_t i = 0; i < G_N_ELEMENTS(policies); i++)
			g_ptr_array_add(all, (gpointer)&policies[i]);
	}
	return all;
}

const struct lk_policy *
lk_policy_find(const char *name)
{
	GPtrArray *all = all_policies();
	for (guint i = 0; i < all->len; i++) {
		const struct lk_policy *p = all->pdata[i];
		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

const struct lk_policy *const *
lk_policy_all(int *n)
{
	GPtrArray *all = all_policies();
	*n = (int)all->len;
	return (const struct lk_policy *const *)all->pdata;
}

void
lk_policy_register(const struct lk_policy *p)
{
	g_assert(p && p->name && !lk_policy_find(p->name));
	g_assert(p->nclasses >= 1 && p->nclasses <= LK_MAX_CLASSES && p->class_names);
	struct lk_matrix m;
	bool ok = lk_matrix_parse(p->default_matrix, p->nclasses, p->class_names, &m, NULL);
	g_assert(ok);
	g_ptr_array_add(all_policies(), (gpointer)p);
}

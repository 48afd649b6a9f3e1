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

/* xfs: S (shared) or E (exclusive) on the whole-file rwlock (XFS's IOLOCK), as Linux 6.6
 * fs/xfs/xfs_file.c does:
 *  - reads, buffered (xfs_file_buffered_read) and direct (xfs_file_dio_read): IOLOCK_SHARED;
 *  - buffered writes (xfs_file_buffered_write): IOLOCK_EXCL;
 *  - direct writes aligned to the file-system block (xfs_file_dio_write ->
 *    xfs_file_dio_write_aligned): IOLOCK_SHARED, extending ones and those that allocate
 *    included; xfs_file_write_checks upgrades to IOLOCK_EXCL when the write starts past EOF,
 *    waits for in-flight direct I/O (inode_dio_wait) and zeroes the gap (xfs_zero_range in
 *    6.6), and the aligned path demotes it to shared (xfs_ilock_demote) for the I/O:
 *    classified E, with drain and demote.  A buffered write starting past EOF drains the
 *    same way (xfs_file_write_checks serves both paths);
 *  - sub-block direct writes (xfs_file_dio_write_unaligned, since Linux 5.12): shared with
 *    IOMAP_DIO_OVERWRITE_ONLY when one written extent maps the whole range
 *    (xfs_direct_write_iomap_begin: imap_spans_range and XFS_EXT_NORM) and off + len < EOF;
 *    otherwise (the check `ki_pos + count >= isize`, or -EAGAIN from the overwrite-only
 *    mapping) IOLOCK_EXCL with inode_dio_wait and IOMAP_DIO_FORCE_WAIT.
 * A direct request not aligned to the 512-byte sector fails with EINVAL in xfs_file_dio_write
 * (models/vnode.c: linux_rules). */
static const char *const se_classes[] = {"S", "E"};
enum { C_S, C_E };

static bool
xfs_sub_block_shared(const struct lk_req *r)
{
	return r->written && !r->split && !r->ends_at_eof && !r->extending;
}

/* xfs before locking: aligned direct writes ask for IOLOCK_SHARED
 * (xfs_file_dio_write_aligned), sub-block ones for IOLOCK_EXCL when the write reaches EOF by
 * the i_size read before locking (xfs_file_dio_write_unaligned), buffered writes for EXCL;
 * xfs_file_write_checks then upgrades a shared holder starting past EOF, and a sub-block
 * write whose overwrite-only mapping fails (-EAGAIN) retries exclusive. */
static int
classify_xfs_pre(const struct lk_req *r, const struct lk_params *p)
{
	if (r->op == IO_READ)
		return C_S;
	if (!r->direct)
		return C_E;
	if (r->block_aligned)
		return C_S;
	return r->past_eof || r->ends_at_eof ? C_E : C_S;
}

static int
classify_xfs(const struct lk_req *r, const struct lk_params *p)
{
	if (r->op == IO_READ)
		return C_S;
	if (!r->direct)
		return C_E;
	if (r->block_aligned)
		return r->past_eof ? C_E : C_S;
	return xfs_sub_block_shared(r) ? C_S : C_E;
}

static struct lk_dio_rule
xfs_dio_rule(const struct lk_req *r, const struct lk_params *p)
{
	struct lk_dio_rule d = {0};
	if (r->op != IO_WRITE)
		return d;
	if (!r->direct) { /* xfs_file_buffered_write -> xfs_file_write_checks */
		d.drain = r->past_eof;
		return d;
	}
	bool excl = r->held_excl || classify_xfs(r, p) == C_E;
	if (r->block_aligned) {
		/* past EOF under IOLOCK_EXCL: inode_dio_wait, zeroing; the aligned path demotes
		 * whenever it holds EXCL */
		d.drain = r->past_eof;
		d.demote = excl;
	} else if (excl) /* IOMAP_DIO_FORCE_WAIT, and inode_dio_wait because of it */
		d.drain = d.force_wait = true;
	return d;
}

/* ext4, as Linux 6.4 fs/ext4/file.c does (ext4_dio_write_checks, ext4_overwrite_io):
 *  - direct writes: shared i_rwsem when the write does not extend i_size and one mapping
 *    covers it (ext4_overwrite_io: ext4_map_blocks returns the whole length, i.e. one run of
 *    blocks contiguous on disk, all written or all unwritten; models/vnode.c note 12),
 *    except an unaligned write to an unwritten extent;
 *    otherwise exclusive.  Under the exclusive lock an unaligned or extending write sets
 *    IOMAP_DIO_FORCE_WAIT (the lock is held until its I/O completes), and an unaligned one
 *    that is not a pure overwrite of written blocks drains in-flight direct I/O
 *    (inode_dio_wait).  "Unaligned" is ext4_unaligned_io: not aligned to the fs block;
 *  - buffered writes (ext4_buffered_write_iter): exclusive;
 *  - direct reads (ext4_dio_read_iter): shared;
 *  - buffered reads (ext4_file_read_iter -> generic_file_read_iter) take no i_rwsem at all,
 *    only folio locks: the row classifies them S for the table's sake, but models/vnode.c
 *    takes no lock for them (no_lock_read).  The oracle still holds them to POSIX's promise
 *    (they are not marked concurrent), so a buffered read that overlaps a buffered write
 *    shows as a torn read: ext4's real behaviour, a multi-page read copying page by page
 *    while a writer copies under each folio's lock. */
static bool
ext4_mapped(const struct lk_req *r)
{
	return !r->fills_hole && !r->extending && !r->split;
}

/* ext4 before locking: ext4_dio_write_iter asks for i_rwsem shared unless the write
 * extends i_size as read before locking (ext4_extending_io); ext4_dio_write_checks then
 * re-checks under the lock and upgrades (inode_unlock_shared, inode_lock, restart). */
static int
classify_ext4_pre(const struct lk_req *r, const struct lk_params *p)
{
	if (r->op == IO_READ)
		return C_S;
	return !r->direct || r->extending ? C_E : C_S;
}

static int
classify_ext4(const struct lk_req *r, const struct lk_params *p)
{
	if (r->op == IO_READ)
		return C_S;
	if (!r->direct)
		return C_E;
	if (r->extending || !ext4_mapped(r) || (!r->block_aligned && r->unwritten))
		return C_E;
	return C_S;
}

static struct lk_dio_rule
ext4_dio_rule(const struct lk_req *r, const struct lk_params *p)
{
	struct lk_dio_rule d = {0};
	if (r->op != IO_WRITE || !r->direct || (!r->held_excl && classify_ext4(r, p) != C_E))
		return d;
	if (!r->block_aligned || r->extending)
		d.force_wait = true;
	if (!r->block_aligned && (!ext4_mapped(r) || r->unwritten))
		d.drain = true;
	return d;
}

/* extent9: NetBSD extent(9) (sys/kern/subr_extent.c, NetBSD-current) used as a range lock:
 * a request allocates its range with extent_alloc_region(EX_WAITSPACE), which on any overlap
 * with an allocated region sleeps on the extent's condition variable and, woken, retries
 * from the start of the list; extent_free ends with cv_broadcast(&ex->ex_cv), waking every
 * sleeper.  So regions are exclusive whatever the direction (one class, X), only holders
 * block (the lock's fairness is `readers`: no queue among sleepers), and the list is walked
 * per operation (LK_IMPL_LIST).  Start and size are u_long: [policy] offset_bits=32 takes
 * offsets modulo 2^32 (lk_policy_range_p). */
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
                "share (FreeBSD rangelock; extent(9)'s list, not its rule: see extent9)",
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
     .summary = "whole-file IOLOCK as Linux 6.6 XFS: block-aligned direct writes shared "
                "(past EOF: exclusive to zero the gap, then demoted), sub-block ones shared "
                "only over written extents, reads shared, buffered writes exclusive",
     .nclasses = 2,
     .class_names = se_classes,
     .default_matrix = "S:S E:",
     .ranged = false,
     .classify = classify_xfs,
     .classify_pre = classify_xfs_pre,
     .is_concurrent = direct_is_concurrent,
     .dio_rule = xfs_dio_rule,
     .linux_rules = true},
    {.name = "ext4",
     .summary = "i_rwsem as Linux 6.4 ext4: direct overwrites of mapped blocks shared (not "
                "unaligned over unwritten), the rest exclusive; buffered reads take no lock",
     .nclasses = 2,
     .class_names = se_classes,
     .default_matrix = "S:S E:",
     .ranged = false,
     .classify = classify_ext4,
     .classify_pre = classify_ext4_pre,
     .is_concurrent = direct_is_concurrent,
     .dio_rule = ext4_dio_rule,
     .linux_rules = true,
     .no_lock_read = true},
    {.name = "extent9",
     .summary = "NetBSD extent(9) as a range lock: exclusive regions only, every sleeper "
                "retries at each release, u_long offsets (offset_bits=32|64)",
     .nclasses = 1,
     .class_names = (const char *const[]){"X"},
     .default_matrix = "X:",
     .ranged = true,
     .impl = LK_IMPL_LIST,
     .retry_all = true,
     .offset_wraps = true},
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

void
lk_policy_range_p(const struct lk_policy *p, const struct lk_req *r, const struct lk_params *params,
                  uint64_t eof, uint64_t *off, uint64_t *end)
{
	lk_policy_range(p, r, eof, off, end);
	if (!p->offset_wraps || !params || params->offset_bits != 32)
		return;
	const uint64_t span = 1ULL << 32;
	uint64_t o = *off % span, len = *end == UINT64_MAX ? span : *end - *off;
	*off = o;
	*end = len >= span - o ? span : o + len; /* wraps or runs to infinity: to 4 GiB */
}

struct lk_dio_rule
lk_policy_dio_rule(const struct lk_policy *p, const struct lk_req *r,
                   const struct lk_params *params)
{
	return p->dio_rule ? p->dio_rule(r, params) : (struct lk_dio_rule){0};
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

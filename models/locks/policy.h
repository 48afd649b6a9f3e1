/*
 * policy.h -- vnode lock policies as plug-ins (DESIGN.md §4): a policy is a static const
 * row -- its classes, its compatibility matrix (data, in the `matrix=` syntax), whether it
 * locks byte ranges or the whole file and on which structure, whether it locks at all, and
 * two functions: which class a request takes and whether the oracle judges it as an
 * opted-out ("concurrent") request.  Everything the file system does differently for a
 * policy comes from its row, through the wrappers below (which supply the defaults of the
 * optional fields): a new policy is one row in policy.c plus its classify function.
 */
#ifndef VN_LK_POLICY_H
#define VN_LK_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "models/io.h"

enum lk_concurrent { LK_CONC_DIRECT, LK_CONC_FLAG, LK_CONC_NONE };
/* The interval structure of a byte-range lock: a balanced interval tree (O(log n + k), as
 * OpenZFS's rangelock; the default) or a sorted list (O(n) an operation, as NetBSD's
 * extent(9)). */
enum lk_impl { LK_IMPL_TREE, LK_IMPL_LIST };

/* What a request tells the lock layer about itself. */
struct lk_req {
	enum io_dir op;
	uint64_t off, len;
	bool direct;     /* O_DIRECT and aligned: takes the direct path */
	bool concurrent; /* the job is marked concurrent=1 (O_CONCURRENT) */
	bool aligned;    /* offset and length sector-aligned */
	bool extending;  /* writes past EOF */
	bool fills_hole; /* allocates inside the file */
	/* what the Linux rules (xfs, ext4) look at; models/vnode.c fills them in */
	bool block_aligned; /* offset and length multiples of [fs] block_size */
	bool written;       /* every block of the range is a written extent (no hole, no
	                       unwritten extent) */
	bool unwritten;     /* some block of the range is an unwritten extent */
	bool split;         /* the range is more than one mapping: its blocks are not one run
	                       contiguous on disk in one state (written or unwritten), so one
	                       ext4_map_blocks / xfs_bmapi_read does not cover it (filled in
	                       only for policies with classify_pre, the only readers) */
	bool past_eof;      /* a write that starts beyond EOF (the gap must be zeroed) */
	bool ends_at_eof;   /* a write whose end reaches or passes EOF (off + len >= EOF) */
	bool held_excl;     /* set by models/vnode.c once granted: it holds the exclusive class
	                       (the Linux rules' drains and forced waits follow what is held) */
};

struct lk_params {
	enum lk_concurrent concurrent; /* [policy] concurrent= */
	int offset_bits;               /* [policy] offset_bits= (extent9): 64 or 32 */
};

/* What a direct write does besides taking its class (the Linux rules, xfs and ext4). */
struct lk_dio_rule {
	bool drain;      /* inode_dio_wait: wait for in-flight direct I/O once granted */
	bool force_wait; /* IOMAP_DIO_FORCE_WAIT: the lock is held until the I/O completes,
	                    even under aio_lock=submission */
	bool demote;     /* exclusive while the gap past EOF is zeroed, then shared */
};

#define LK_MAX_CLASSES 8

struct lk_policy {
	const char *name;
	const char *summary; /* one line, shown by `vnodesim policies` */
	int nclasses;
	const char *const *class_names;
	const char *default_matrix; /* `matrix=` syntax */
	bool ranged;                /* locks byte ranges, or the whole file */
	enum lk_impl impl;          /* the structure of its range locks, and of the file
	                               system's own (page and block busy locks) */
	bool no_lock;               /* takes no vnode lock at all (the control) */
	bool no_lock_read;          /* buffered reads take no vnode lock (ext4: page locks
	                               only); the oracle judges them as opted out */
	/* Optional: the class a request takes (NULL: class 0). */
	int (*classify)(const struct lk_req *, const struct lk_params *);
	/* Optional, for policies of two classes, 0 shared and 1 exclusive (the Linux rules):
	 * the class a write asks for from the checks made before locking.  Once it is granted,
	 * models/vnode.c refreshes the request from the file and, if classify now says
	 * exclusive while it holds shared, drops the lock and takes it exclusive, as Linux
	 * re-checks under i_rwsem and upgrades (NULL: classify at issue, held as is). */
	int (*classify_pre)(const struct lk_req *, const struct lk_params *);
	/* Optional: the request opted out of POSIX atomicity (NULL: never). */
	bool (*is_concurrent)(const struct lk_req *, const struct lk_params *);
	/* Optional: the drain / force-wait / demote rule of a request (NULL: none). */
	struct lk_dio_rule (*dio_rule)(const struct lk_req *, const struct lk_params *);
	/* Defaults of the settings that follow the system a policy names. */
	bool linux_rules;  /* Linux: [fs] getpages_hold=lookup, [policy] aio_lock=submission,
	                      and a direct request not sector-aligned fails (EINVAL) instead of
	                      going buffered; else NetBSD's io / completion / fallback */
	bool retry_all;    /* extent(9): every sleeper retries at each release (the lock's
	                      fairness is `readers`: only holders block; fairness= ignored) */
	bool offset_wraps; /* offsets taken modulo 2^offset_bits ([policy] offset_bits=) */
};

/* The class request R takes under P: P's classify, or class 0 for a policy without one
 * (none).  Never fails. */
int lk_policy_classify(const struct lk_policy *p, const struct lk_req *r,
                       const struct lk_params *params);
/* Whether the oracle judges R as a concurrent-class request under P (false without
 * is_concurrent). */
bool lk_policy_is_concurrent(const struct lk_policy *p, const struct lk_req *r,
                             const struct lk_params *params);
/* The name of P's vnode lock in statistics and locks.csv: "range" for a ranged policy,
 * else "vnode". */
const char *lk_policy_lock_name(const struct lk_policy *p);
/* The range R locks under P on a file of EOF bytes, [*off, *end): a ranged policy locks
 * [off, off + len), an extending write [min(off, EOF), inf) (end = UINT64_MAX: the model's
 * own rule, docs/policies.md); a whole-file policy [0, inf).  The vnode lock of models/vnode.c
 * takes exactly this. */
void lk_policy_range(const struct lk_policy *p, const struct lk_req *r, uint64_t eof, uint64_t *off,
                     uint64_t *end);
/* The same with P's offset width applied: under offset_bits=32 a policy with offset_wraps
 * (extent9) locks [off mod 4 GiB, end mod 4 GiB), and a range that wraps (or runs to
 * infinity) locks from its start to 4 GiB, as a u_long offset on an ILP32 kernel would. */
void lk_policy_range_p(const struct lk_policy *p, const struct lk_req *r,
                       const struct lk_params *params, uint64_t eof, uint64_t *off, uint64_t *end);
/* R's drain / force-wait / demote rule under P (all false without dio_rule). */
struct lk_dio_rule lk_policy_dio_rule(const struct lk_policy *p, const struct lk_req *r,
                                      const struct lk_params *params);

/* The policy named NAME, or NULL. */
const struct lk_policy *lk_policy_find(const char *name);
/* All policies, in the order `vnodesim policies` lists them; *n gets the count. */
const struct lk_policy *const *lk_policy_all(int *n);
/* Add P (kept, not copied) after the built-in policies: for tests, which add a policy the
 * way policy.c's rows are written.  Its name must be new and its default matrix valid. */
void lk_policy_register(const struct lk_policy *p);

#endif

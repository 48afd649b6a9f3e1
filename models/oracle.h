/*
 * oracle.h -- the correctness oracle (DESIGN.md §3.5): records when each written byte's
 * data lands where (page cache or disk) and what each read copied when, then judges every
 * request after the run: torn reads, torn writes, stale reads, lost writes, and (for
 * information) interleaved overlapping concurrent-class requests.
 *
 * Unit: the byte.  Every range is [off, off + len) in bytes, any offset and length, buffered
 * or direct; two requests overlap only when they share a byte.  A copy or transfer of
 * [off, off + len) that starts at t and lasts d lands (or reads) each 512-byte sector it
 * covers (or the part of one it covers) at t + d (e - off) / len, e being the end of that
 * part: for whole sectors, sector i of n lands at t + (i+1) d / n.
 */
#ifndef VN_ORACLE_H
#define VN_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

enum or_where { OR_CACHE = 0, OR_DISK = 1 };
enum or_kind { OR_TORN_READ, OR_TORN_WRITE, OR_STALE_READ, OR_LOST_WRITE, OR_CONC_OVERLAP };

struct oracle;

/* Memory the oracle keeps for REQUESTS requests of BYTES bytes each (bytes, saturating;
 * sim/guard.c's estimate): a request's records, and its landings' events per cell once
 * expanded for the evaluation (measured, note 6 of oracle.c). */
uint64_t or_estimate(uint64_t requests, uint64_t bytes);
/* The same for a run whose requests fall in REGION bytes of files: bounded by the data
 * touched once the oracle compacts (ALIGNED: every request in whole 512-byte sectors;
 * note 8 of oracle.c), else or_estimate. */
uint64_t or_estimate_run(uint64_t requests, uint64_t bytes, uint64_t region, bool aligned);

struct oracle *or_new(void);
void or_free(struct oracle *o);

/* A write request of bytes [off, off + len) of FILE; returns its version (> 0).  POSIX: its
 * class promises atomicity; REQ (the request's id) and TAG (the caller's) come back in its
 * verdicts. */
uint32_t or_write_new(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t_issue,
                      bool posix, uint64_t req, uint32_t tag);
void or_write_done(struct oracle *o, uint32_t w, double t_done);
/* A read request; returns its id.  Its copies are recorded by or_read_copy. */
uint32_t or_read_new(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t_issue,
                     bool posix, uint64_t req, uint32_t tag);
void or_read_done(struct oracle *o, uint32_t r, double t_done);

/* Write W's data lands on bytes [off, off + len) in WHERE, over [t, t + d]. */
void or_land(struct oracle *o, enum or_where where, unsigned file, uint64_t off, uint64_t len,
             uint32_t w, double t, double d);
/* Cache bytes [off, off + len) are filled from the disk over [t, t + d] (they take the
 * disk's content at their landing times); ZERO: filled with zeroes (a hole or past EOF). */
void or_fill(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t, double d,
             bool zero);
/* Write-back: disk bytes [off, off + len) take the cache content as of T_SNAP (when the
 * I/O was issued), landing over [t, t + d]. */
void or_writeback(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t_snap,
                  double t, double d);
/* Read R copies bytes [off, off + len) (a part of its range) from WHERE over [t, t + d]. */
void or_read_copy(struct oracle *o, uint32_t r, enum or_where where, uint64_t off, uint64_t len,
                  double t, double d);
/* A request of the concurrent class (information only: concurrent requests that share a
 * byte and interleaved are counted). */
void or_concurrent(struct oracle *o, unsigned file, uint64_t off, uint64_t len, double t_issue,
                   double t_done, uint64_t req, uint32_t tag);

/* Incremental judging (oracle.c note 8).  The caller opens a token for every interval in
 * which records may be made (a request from its issue, a disk I/O from its issue or, for
 * write-back, from its snapshot time) and closes it at the end; no record may carry a time
 * before the earliest open token's start.  When enough records have accumulated, closing a
 * token judges what completed and collapses history that nothing in flight can observe. */
uint32_t or_io_begin(struct oracle *o, double t);
void or_io_end(struct oracle *o, uint32_t token, double now);
/* Compact when RECORDS records have accumulated (default 4 Mi, about two million requests;
 * tests make it small; VNODESIM_ORACLE_WINDOW sets it for a whole run). */
void or_set_window(struct oracle *o, size_t records);
/* Records held now (requests, copies, landings and the base): what the memory follows. */
size_t or_records(const struct oracle *o);

/* One verdict: request REQ (TAG, as recorded) violated KIND. */
struct or_verdict {
	uint64_t req;
	uint32_t tag;
	enum or_kind kind;
};

/* Judge everything, after the final sync.  VERDICT is called once per request and counter
 * that it violated. */
struct or_totals {
	uint64_t torn_reads, torn_writes, stale_reads, lost_writes, conc_overlaps;
	uint64_t writes, reads, cells_tracked;
};
void or_evaluate(struct oracle *o, void (*verdict)(void *ctx, const struct or_verdict *v),
                 void *ctx, struct or_totals *tot);

#endif

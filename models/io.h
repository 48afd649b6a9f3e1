/*
 * io.h -- the direction of an I/O, one enum for every layer: a file request (fs.h), a lock
 * request (locks/policy.h), a disk request (disk.h), a job's statistics (sim/stats.h) and a
 * trace record (sim/trace.h) all say "read or write" with it.  The values index arrays
 * (statistics by direction), so they are 0 and 1.
 */
#ifndef VN_IO_H
#define VN_IO_H

enum io_dir { IO_READ = 0, IO_WRITE = 1 };

#endif

/*
 * fio_options.c -- the names of fio's own job options (and their aliases), so that a job file
 * can be checked: a key that fio knows but vnodesim does not model is a warning, anything
 * else an error.
 *
 * (1) The list is the union of what fio 3.33 itself reports (every name --cmdhelp=NAME
 *     accepts, aliases included: readwrite, blocksize, timeout, ...; and --enghelp=ENGINE for
 *     each built-in I/O engine) and every `.. option::` name, aliases included, in fio's
 *     HOWTO.rst (which also documents engines not built into Debian's fio: http, xnvme,
 *     libblkio, ...).  The act/tiobench profile options are left out: they are only
 *     options under `profile=`.  Options added to fio after that are errors until added here.
 * (2) It is sorted (strcmp order, checked on first use) and searched by bsearch.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"

/* clang-format off */
static const char *const fio_options[] = {
	"allow_file_create", "allow_mounted_write", "allrandrepeat", "arguments", "atomic", "ba",
	"bindname", "block_error_percentiles", "blockalign", "blocksize", "blocksize_range",
	"blocksize_unaligned", "brick", "bs", "bs_is_seq_rand", "bs_unaligned", "bsrange",
	"bssplit", "buffer_compress_chunk", "buffer_compress_percentage", "buffer_pattern",
	"buffered", "busy_poll", "busy_wait_polling", "bwavgtime", "cgroup", "cgroup_nodelete",
	"cgroup_weight", "chunk_size", "clat_percentiles", "clientname", "clocksource",
	"clustername", "cmd_type", "cmdprio", "cmdprio_bssplit", "cmdprio_class",
	"cmdprio_percentage", "conf", "cont", "continue_on_error", "cpuchunks", "cpuload",
	"cpumask", "cpumode", "cpus_allowed", "cpus_allowed_policy", "create_fsync",
	"create_on_open", "create_only", "create_serialize", "cuda_io", "dedupe_global",
	"dedupe_mode", "dedupe_percentage", "dedupe_working_set_percentage", "description",
	"direct", "direct_write_to_pmem", "directory", "disable_bw", "disable_bw_measurement",
	"disable_clat", "disable_lat", "disable_slat", "disk_util", "do_verify", "donorname",
	"end_fsync", "error_dump", "exec_postrun", "exec_prerun", "exit_on_io_done", "exit_what",
	"exitall", "exitall_on_error", "experimental_verify", "fadvise_hint", "fallocate",
	"fdatasync", "fdp", "fdp_pli", "file_append", "file_service_type", "filename",
	"filename_format", "fileoffset", "filesize", "fill_device", "fill_fs", "fixedbufs",
	"flow", "flow_id", "flow_sleep", "force_async", "fsync", "fsync_on_close", "gid",
	"gpu_dev_ids", "grace_time", "group_reporting", "gtod_cpu", "gtod_reduce",
	"hdfsdirectory", "hipri", "hipri_percentage", "hostname", "http_host", "http_mode",
	"http_pass", "http_s3_key", "http_s3_keyid", "http_s3_region",
	"http_s3_sse_customer_algorithm", "http_s3_sse_customer_key", "http_s3_storage_class",
	"http_swift_auth_token", "http_user", "http_verbose", "https", "hugepage-size",
	"ignore_error", "ignore_zone_limits", "inplace", "interface", "invalidate", "io_limit",
	"io_size", "io_submit_mode", "iodepth", "iodepth_batch", "iodepth_batch_complete",
	"iodepth_batch_complete_max", "iodepth_batch_complete_min", "iodepth_batch_submit",
	"iodepth_low", "ioengine", "iomem", "iomem_align", "iopsavgtime", "ioscheduler",
	"job_max_open_zones", "kb_base", "lat_percentiles", "latency_percentile", "latency_run",
	"latency_target", "latency_window", "libblkio_driver",
	"libblkio_force_enable_completion_eventfd", "libblkio_num_entries", "libblkio_path",
	"libblkio_pre_connect_props", "libblkio_pre_start_props", "libblkio_queue_size",
	"libblkio_vectored", "libblkio_wait_mode", "libblkio_write_zeroes_on_trim", "listen",
	"lockfile", "lockmem", "log_alternate_epoch", "log_alternate_epoch_clock_id",
	"log_avg_msec", "log_compression", "log_compression_cpus", "log_entries",
	"log_hist_coarseness", "log_hist_msec", "log_max_value", "log_offset", "log_prio",
	"log_store_compressed", "log_unix_epoch", "loops", "max_latency", "max_open_zones", "mem",
	"mem_align", "merge_blktrace_file", "merge_blktrace_iters", "merge_blktrace_scalars",
	"mss", "name", "namenode", "new_group", "nfs_url", "nice", "nodelay", "nonvectored",
	"norandommap", "nowait", "nr_files", "nrfiles", "numa_cpu_nodes", "numa_mem_policy",
	"number_ios", "numjobs", "object_class", "offset", "offset_align", "offset_increment",
	"opendir", "openfiles", "overwrite", "per_job_logs", "percentage_random",
	"percentile_list", "pingpong", "pool", "port", "pre_read", "prio", "prioclass", "profile",
	"program", "proto", "protocol", "ramp_time", "random_distribution", "random_generator",
	"randrepeat", "randseed", "rate", "rate_cycle", "rate_ignore_thinktime", "rate_iops",
	"rate_iops_min", "rate_min", "rate_process", "ratecycle", "ratemin", "rbdname",
	"read_beyond_wp", "read_iolog", "read_iolog_chunked", "readfua", "readwrite",
	"refill_buffers", "registerfiles", "replay_align", "replay_no_stall", "replay_redirect",
	"replay_scale", "replay_skip", "replay_time_scale", "runtime", "rw", "rw_sequencer",
	"rwmixread", "rwmixwrite", "scramble_buffers", "serialize_overlap", "serverip",
	"sg_write_mode", "significant_figures", "size", "skip_bad", "slat_percentiles",
	"softrandommap", "sqthread_poll", "sqthread_poll_cpu", "ss", "ss_dur", "ss_ramp",
	"startdelay", "stat_type", "stats", "std_redirect", "steadystate", "steadystate_duration",
	"steadystate_ramp_time", "stonewall", "stream_id", "sync", "sync_file_range", "thinktime",
	"thinktime_blocks", "thinktime_blocks_type", "thinktime_iotime", "thinktime_spin", "thp",
	"thread", "time_based", "timeout", "touch_objects", "trim_backlog", "trim_backlog_batch",
	"trim_percentage", "trim_verify_zero", "ttl", "uid", "uncached", "unified_rw_reporting",
	"unique_filename", "unit_base", "unlink", "unlink_each_loop", "uri", "userspace_reap",
	"verb", "verify", "verify_async", "verify_async_cpus", "verify_backlog",
	"verify_backlog_batch", "verify_dump", "verify_fatal", "verify_interval", "verify_offset",
	"verify_only", "verify_pattern", "verify_state_load", "verify_state_save", "volume",
	"wait_for", "wait_for_previous", "window_size", "write_barrier", "write_bw_log",
	"write_hint", "write_hist_log", "write_iolog", "write_iops_log", "write_lat_log",
	"writefua", "xnvme_admin", "xnvme_async", "xnvme_dev_nsid", "xnvme_dev_subnqn",
	"xnvme_iovec", "xnvme_mem", "xnvme_sync", "zero_buffers", "zone_reset_frequency",
	"zone_reset_threshold", "zonecapacity", "zonemode", "zonerange", "zonesize", "zoneskip",
};
/* clang-format on */

static int
cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool
scn_is_fio_option(const char *name)
{
	static bool checked;
	if (!checked) {
		for (size_t i = 1; i < G_N_ELEMENTS(fio_options); i++)
			g_assert(strcmp(fio_options[i - 1], fio_options[i]) < 0);
		checked = true;
	}
	return name && bsearch(name, fio_options, G_N_ELEMENTS(fio_options), sizeof fio_options[0],
	                       cmp_name) != NULL;
}

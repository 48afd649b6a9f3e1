#!/bin/sh
# identical.sh -- optimisations must not move the model's results: run a fixed set of
# scenarios at reduced sizes under all ten policies (and the fairness, bmap, jitter and
# invalidation variants) with --requests --timeline, and compare every output but timing.csv
# byte for byte with a reference set.
#
#   VNODESIM=build-base/vnodesim bench/identical.sh /tmp/ref        # make the reference
#   VNODESIM=build/vnodesim bench/identical.sh /tmp/new /tmp/ref    # run and compare
#
# Exit status 0 when identical (or no reference given), 1 when any output differs.
set -eu
VNODESIM=${VNODESIM:-build/vnodesim}
out=${1:?usage: identical.sh OUTDIR [REFDIR]}
ref=${2:-}
all=serial,extent-list,extent-tree,two-color,four-color,none,xfs,range-color,ext4,extent9
rm -rf "$out"
mkdir -p "$out"

# name scenario policies settings...
cases() {
	cat <<'EOF'
default scenarios/default.ini ALL global.runtime=0.01
backup scenarios/backup-during-oltp.ini ALL global.runtime=0.01 fs.cache_mb=16
fpt scenarios/file-per-thread.ini ALL global.runtime=0.005
hdd scenarios/hdd-oltp.ini ALL global.runtime=0.3
log scenarios/log-append.ini ALL global.runtime=0.01
nvme scenarios/nvme-oltp.ini ALL global.runtime=0.002
nvme64 scenarios/nvme-oltp.ini ALL global.runtime=0.002 oltp.numjobs=8
oltp scenarios/oltp.ini ALL global.runtime=0.005
smallmap scenarios/oltp.ini ALL global.runtime=0.02 global.size=512k
nvme-map scenarios/nvme-oltp.ini ALL global.runtime=0.005 oltp.numjobs=1 global.size=5m
overlap scenarios/overlapping-writers.ini ALL global.runtime=0.02
overlap-readers scenarios/overlapping-writers.ini ALL global.runtime=0.02 policy.fairness=readers
overlap-batch scenarios/overlapping-writers.ini ALL global.runtime=0.02 policy.fairness=batch:2
overlap-jitter scenarios/overlapping-writers.ini ALL global.runtime=0.02 sim.jitter=0.2
overlap-before scenarios/overlapping-writers.ini ALL global.runtime=0.02 fs.dio_invalidate=before
sparse scenarios/sparse-fill.ini ALL global.runtime=0.01
sparse-falloc scenarios/sparse-fill.ini ALL global.runtime=0.01 fs.layout=fallocated
sparse-gp-lookup scenarios/sparse-fill.ini ALL global.runtime=0.01 fs.getpages_hold=lookup
log-aio scenarios/log-append.ini ALL global.runtime=0.01 appenders.ioengine=libaio appenders.iodepth=4 policy.aio_lock=submission
log-extent9-32 scenarios/log-append.ini extent9 global.runtime=0.01 policy.offset_bits=32
sparse-buffer scenarios/sparse-fill.ini ALL global.runtime=0.01 policy.bmap=buffer
sparse-fallback scenarios/sparse-fill.ini ALL global.runtime=0.01 fs.direct_alloc=fallback
default-readers scenarios/default.ini ALL global.runtime=0.01 policy.fairness=readers
default-batch scenarios/default.ini ALL global.runtime=0.01 policy.fairness=batch:3
cheetah bench/cheetah-randread.ini raw bench.number_ios=3000
EOF
}

run_case() {
	name=$1 scn=$2 pol=$3
	shift 3
	sets=""
	for s in "$@"; do sets="$sets --set $s"; done
	[ "$pol" = ALL ] && pol=$all
	if [ "$pol" = raw ]; then
		# shellcheck disable=SC2086
		$VNODESIM run "$scn" --out "$out/$name" --requests --timeline -q $sets ||
			echo "identical.sh: $name: exit status $? (compared like the rest)"
	else
		# shellcheck disable=SC2086
		$VNODESIM run "$scn" --policy "$pol" --out "$out/$name" --requests --timeline -q \
			$sets || echo "identical.sh: $name: exit status $? (compared like the rest)"
	fi
	rm -f "$out/$name/timing.csv" "$out/$name"/*/timing.part
}

# two at a time (two cores)
cases | {
	n=0
	while read -r line; do
		# shellcheck disable=SC2086
		run_case $line &
		n=$((n + 1))
		[ $((n % 2)) -eq 0 ] && wait
	done
	wait
}
echo "identical.sh: $(find "$out" -type f | wc -l) files in $out"
[ -z "$ref" ] && exit 0
if diff -r "$ref" "$out" >"$out.diff" 2>&1; then
	echo "identical.sh: byte-identical to $ref"
	rm -f "$out.diff"
	exit 0
fi
echo "identical.sh: DIFFERENT from $ref (first lines of $out.diff):"
head -n 20 "$out.diff"
exit 1

#!/bin/sh
# sweep.sh PROG DIR -- a sweep on a real one-node Slurm cluster (tests/test_slurm.c): starts
# the cluster under DIR/cluster (cluster.sh), writes the sweep DIR/tiny.ini's Slurm script
# with `PROG sweep --slurm` (from the current directory, which is the submit directory, so
# that PROG may be a relative path and no VNODESIM is set), submits it with `sh`, waits
# (60 s at most) until the queue is empty, and stops the cluster on every path (trap).
# Leaves DIR/sweep.out, DIR/submit.out, DIR/sw (the points, the merge's summary.csv) for
# the test to check.  Exit 77 with the reason when Slurm cannot run here; on failure the
# daemons' logs and the jobs' outputs are printed.
set -u
here=$(dirname "$0")
prog=$1
dir=$2
cl=$dir/cluster
mkdir -p "$cl"
out=$(sh "$here/cluster.sh" "$cl" start)
rc=$?
if [ $rc -ne 0 ]; then
	echo "$out"
	exit $rc
fi
trap 'sh "$here/cluster.sh" "$cl" stop' EXIT
trap 'exit 143' INT TERM
export SLURM_CONF="$cl/slurm.conf"
unset VNODESIM

fail() {
	echo "FAILED: $*"
	for f in "$dir/sweep.out" "$dir/submit.out" "$dir"/sw/slurm/*.out; do
		[ -f "$f" ] && { echo "---- $f"; cat "$f"; }
	done
	squeue 2>&1
	sh "$here/cluster.sh" "$cl" logs
	exit 1
}

"$prog" sweep "$dir/tiny.ini" --vary host.cores=1,2 --policies serial,none \
	--out "$dir/sw" --slurm "$dir/sw.sh" --slurm-throttle 2 >"$dir/sweep.out" 2>&1 ||
	fail "sweep --slurm"
sh "$dir/sw.sh" >"$dir/submit.out" 2>&1 || fail "sh sw.sh (sbatch)"
i=0
while :; do
	n=$(squeue -h 2>/dev/null | wc -l)
	[ "$n" -eq 0 ] && break
	i=$((i + 1))
	[ $i -ge 600 ] && fail "jobs still queued after 60 s"
	sleep 0.1
done
[ -f "$dir/sw/summary.csv" ] || fail "no merged summary"
exit 0

#!/bin/sh
# bench.sh -- `make bench`: the benchmarks whose figures go into bench/RESULTS.md.
# Prints the machine, the date, each command and its figures.  Never part of make check.
set -eu
VNODESIM=${VNODESIM:-build/vnodesim}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "version: $($VNODESIM --version)"
echo
echo "## disk only: bench/cheetah-randread.ini (200,000 random 4 KiB reads, Cheetah 9LP, 16 outstanding, C-LOOK)"
# This machine's speed varies from run to run (a shared host): five runs, the median counts.
for i in 1 2 3 4 5; do
	$VNODESIM run bench/cheetah-randread.ini --out "$out/c$i" -q
	tail -n 1 "$out/c$i/timing.csv" | awk -F, '{printf "run %s: wall %s s, %s simulated requests per wall second, peak RSS %s KiB\n", "'$i'", $2, $3, $4}'
done
for i in 1 2 3 4 5; do tail -n 1 "$out/c$i/timing.csv" | cut -d, -f3; done | sort -n | awk '{a[NR]=$1} END {printf "median %s requests per wall second (min %s, max %s)\n", a[3], a[1], a[5]}'

# CPU seconds (user + sys, the simulation's child included) of a command, and its peak RSS:
# on this shared host wall time moves with the load; CPU time much less.
cpu() {
	/usr/bin/time -f "%U %S %M" -o "$out/time" "$@" >/dev/null 2>&1 || echo "(exit $?)"
	awk '{printf "%.2f %d", $1 + $2, $3}' "$out/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# column NAME of the last row of summary.csv FILE, found by its name in the header
last_col() { awk -F, -v name="$1" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == name) c = i; next} {v = $c} END {print v}' "$2"; }

echo
echo "## full stack: scenarios/nvme-oltp.ini, 64 threads (8 clones x iodepth 8), four-color, vs bench/bare"
BARE=${BARE:-build/bench/bare}
for i in 1 2 3 4 5; do
	$VNODESIM run scenarios/nvme-oltp.ini --policy four-color --set oltp.numjobs=8 --out "$out/n$i" -q
	tail -n 1 "$out/n$i/timing.csv" | awk -F, '{printf "run %s: wall %s s, %s simulated requests per wall second, peak RSS %s KiB\n", "'$i'", $2, $3, $4}'
done
for i in 1 2 3 4 5; do tail -n 1 "$out/n$i/timing.csv" | cut -d, -f3; done | sort -n | awk '{a[NR]=$1} END {printf "vnodesim median %s requests per wall second (min %s, max %s)\n", a[3], a[1], a[5]}'
n=$(last_col ops "$out/n1/summary.csv")
per=$(( (n + 63) / 64 ))
# bare on the same device as disks/nvme.disk: 32 channels of 10 us, then each 8 KiB transfer
# over the one 7000 MB/s interface (as models/ssd.c), 8 cores, ~0.8 us CPU per request
# (vnodesim's syscall 500 ns plus four lock operations and their cache lines).  The shared
# interface matters: without it every completion coincides with others and SimGrid runs a
# thirtieth of the time steps vnodesim's run needs (1,072 solver runs against 34,227 in
# callgrind on 17,141 requests; with it 34,242).
bare_args="32 10 0.8 8 7000 8192"
echo "bare: 64 threads x $per requests (the same $n), $bare_args (channels, latency us, CPU us, cores, MB/s, bytes)"
for i in 1 2 3 4 5; do
	# shellcheck disable=SC2086
	"$BARE" 64 "$per" $bare_args 2>/dev/null | awk '/requests_per_s/ {print $2}'
done | sort -n | awk '{a[NR]=$1} END {printf "bare median %s requests per wall second (min %s, max %s)\n", a[3], a[1], a[5]}'
# CPU seconds, the two programs alternating so that both see the same minutes of the host;
# the ratio is the median of the nine pairs' ratios (the host's speed moves within a minute)
for i in 1 2 3 4 5 6 7 8 9; do
	v=$(cpu $VNODESIM run scenarios/nvme-oltp.ini --policy four-color --set oltp.numjobs=8 --out "$out/c" -q | cut -d' ' -f1)
	# shellcheck disable=SC2086
	b=$(cpu "$BARE" 64 "$per" $bare_args | cut -d' ' -f1)
	echo "$v $b"
done >"$out/vb"
v=$(cut -d' ' -f1 "$out/vb" | median)
b=$(cut -d' ' -f2 "$out/vb" | median)
r=$(awk '{printf "%.3f\n", $1 / $2}' "$out/vb" | median)
echo "CPU seconds (median of 9, alternating): vnodesim $v, bare $b; vnodesim / bare: median of the pairs $r (pairs: $(awk '{printf "%s/%s ", $1, $2}' "$out/vb"))"
# Instructions do not move with the host: callgrind on a fifth of the run (17,141 requests).
# vnodesim's parent loads the scenario and forks the simulation; callgrind's child profile
# starts with the counts the parent had at the fork, so the child's total is the whole cost
# (the parent only waits after it): the largest total is taken, not the sum.
if command -v valgrind >/dev/null; then
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.v.%p" $VNODESIM run scenarios/nvme-oltp.ini --policy four-color --set oltp.numjobs=8 --set global.runtime=0.02 --out "$out/cgv" -q >/dev/null 2>&1
	# shellcheck disable=SC2086
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.b.%p" "$BARE" 64 268 $bare_args >/dev/null 2>&1
	iv=$(cat "$out"/cg.v.* | awk '/^summary:/ && $2 > s {s = $2} END {print s}')
	ib=$(cat "$out"/cg.b.* | awk '/^summary:/ {s += $2} END {print s}')
	nv=$(last_col ops "$out/cgv/summary.csv")
	echo "instructions (callgrind): vnodesim $iv for $nv requests, bare $ib for $((64 * 268)); ratio $(echo "$iv $ib" | awk '{printf "%.2f", $1 / $2}')"
fi

echo
echo "## scale: 1,000,000 direct 8 KiB randrw requests on nvme-oltp, four-color, psync: 10 vs 10,000 threads"
scale="scenarios/nvme-oltp.ini --policy four-color --set global.iodepth=1 --set global.ioengine=psync --set global.runtime=0 --set global.time_based=0"
for t in 10 10000; do
	# shellcheck disable=SC2086
	r=$(cpu $VNODESIM run $scale --set oltp.numjobs=$t --set global.number_ios=$((1000000 / t)) --out "$out/s$t" -q)
	tail -n 1 "$out/s$t/timing.csv" | awk -F, -v t=$t -v r="$r" '{split(r, c, " "); printf "%5d threads: wall %s s, %s requests per wall second, %s CPU s (%.2f us per request), peak RSS %s KiB (%.1f KiB per thread)\n", t, $2, $3, c[1], c[1], $4, $4 / t}'
done

echo
echo "## sweep: bench/sweep.ini, 32 points (w.numjobs=1..8 x 4 policies), --jobs 1 vs --jobs 2"
k=0
for j in 1 2 1 2; do
	k=$((k + 1))
	s=$(date +%s.%N)
	# a fresh directory each time: a sweep resumes, it would find every point done
	$VNODESIM sweep bench/sweep.ini --vary w.numjobs=1,2,3,4,5,6,7,8 \
		--policies serial,two-color,four-color,extent-tree --jobs $j --out "$out/sw$k" -q
	e=$(date +%s.%N)
	awk -v j=$j -v s=$s -v e=$e 'BEGIN { printf "jobs=%s wall %.2f s\n", j, e - s }'
done

echo
# the scale targets: memory against the run's length, instructions per request, 10 vs 10,000
# threads (bench/scale.sh says how each is measured)
VNODESIM=$VNODESIM sh "$(dirname "$0")/scale.sh"

echo
echo "## disk only against DiskSim 4.0 (bench/disksim.sh; SKIP unless \$DISKSIM names its binary)"
VNODESIM=$VNODESIM sh "$(dirname "$0")/disksim.sh"

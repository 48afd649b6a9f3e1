#!/bin/sh
# scale.sh -- the scale targets of `make bench` (bench/RESULTS.md, "Scale targets"): run by
# bench.sh after its other sections, or alone: VNODESIM=build/vnodesim sh bench/scale.sh
#
#   (a) memory and time against the run's length: nvme-oltp four-color at 1e6 and 2e6 requests
#       (BENCH_LONG=1 adds 4e6 and 1e7; BENCH_1E8=1 5e7 and 1e8, about 40 min): peak RSS, CPU s
#   (b) disk only, bench/cheetah-randread.ini: instructions per request by callgrind, the
#       difference of two run lengths (2,000 and 20,000 requests), so that start-up cancels;
#       and the same with the raw-device fast path off (VNODESIM_FASTRAW=0)
#   (c) full stack, nvme-oltp four-color with its defaults: CPU us per request (median of 5)
#       and instructions per request (callgrind, runtime 0.01 s against 0.02 s)
#   (d) 10 threads against 10,000: cost per request (the slope between 50,000 and 100,000
#       requests) and start-up (the intercept), CPU s, medians of 3; and start-up in
#       instructions (callgrind, oracle off): 10,000 threads x 1 and x 2 requests, less the
#       second request and a 10-thread run's fixed cost, per thread
#   (e) past the memory maps: 32,300 raw threads x 1 request (guard pages dropped by
#       vnodesim itself, guard.c note 4): CPU s and peak RSS
#
# On a shared host wall and CPU time move with the load: instructions (callgrind) do not.
set -eu
VNODESIM=${VNODESIM:-build/vnodesim}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cpu() { # CPU seconds (user + sys, the simulation's child included) and peak RSS KiB
	/usr/bin/time -f "%U %S %M" -o "$out/time" "$@" >/dev/null 2>&1 || echo "(exit $?)"
	awk '{printf "%.2f %d\n", $1 + $2, $3}' "$out/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# instructions of a vnodesim command under callgrind: the largest total of its processes
# (the simulation's child profile starts with the parent's counts at the fork)
instr() {
	rm -f "$out"/cg.*
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" "$@" >/dev/null 2>&1
	cat "$out"/cg.* | awk '/^summary:/ && $2 > s {s = $2} END {print s}'
}
oltp="scenarios/nvme-oltp.ini --policy four-color"
fixed="--set global.runtime=0 --set global.time_based=0"

echo "## (a) nvme-oltp four-color: memory and time against the number of requests"
ns="1000000 2000000"
[ "${BENCH_LONG:-0}" = 1 ] && ns="$ns 4000000 10000000"
[ "${BENCH_1E8:-0}" = 1 ] && ns="$ns 50000000 100000000"
for n in $ns; do
	# time_based with a long runtime: fio ends a job at size= (4 GiB: 524,288 requests of
	# 8 KiB a job, 8,388,608 in all) before number_ios otherwise
	# shellcheck disable=SC2086
	r=$(cpu $VNODESIM run $oltp --set global.runtime=100000 --set global.time_based=1 \
		--set global.number_ios=$((n / 16)) --out "$out/a" -q)
	echo "$n requests: $r" | awk '{printf "%s requests: %s CPU s (%.2f us per request), peak RSS %d KiB (%.0f bytes per request)\n", $1, $3, $3 / $1 * 1e6, $4, $4 * 1024 / $1}'
done

if command -v valgrind >/dev/null; then
	echo
	echo "## (b) disk only, bench/cheetah-randread.ini: instructions per request (callgrind)"
	i1=$(instr "$VNODESIM" run bench/cheetah-randread.ini --set bench.number_ios=2000 --out "$out/b" -q)
	i2=$(instr "$VNODESIM" run bench/cheetah-randread.ini --set bench.number_ios=20000 --out "$out/b" -q)
	echo "2,000 requests: $i1; 20,000: $i2; per request: $(( (i2 - i1) / 18000 ))"
	# the same without the raw-device fast path (docs/performance.md)
	i1=$(VNODESIM_FASTRAW=0 instr "$VNODESIM" run bench/cheetah-randread.ini --set bench.number_ios=2000 --out "$out/b" -q)
	i2=$(VNODESIM_FASTRAW=0 instr "$VNODESIM" run bench/cheetah-randread.ini --set bench.number_ios=20000 --out "$out/b" -q)
	echo "old path (VNODESIM_FASTRAW=0): 2,000 requests: $i1; 20,000: $i2; per request: $(( (i2 - i1) / 18000 ))"
fi

echo
echo "## (c) full stack, $oltp (defaults)"
for _ in 1 2 3 4 5; do
	# shellcheck disable=SC2086
	r=$(cpu $VNODESIM run $oltp --out "$out/c" -q)
	n=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "ops") c = i; next} {v = $c} END {print v}' "$out/c/summary.csv")
	echo "$r $n" | awk '{printf "%.3f\n", $1 / $3 * 1e6}'
done | median | awk '{printf "CPU us per request (median of 5, start-up included): %s\n", $1}'
if command -v valgrind >/dev/null; then
	# shellcheck disable=SC2086
	i1=$(instr $VNODESIM run $oltp --set global.runtime=0.01 --out "$out/c1" -q)
	# shellcheck disable=SC2086
	i2=$(instr $VNODESIM run $oltp --set global.runtime=0.02 --out "$out/c2" -q)
	n1=$(tail -n 1 "$out/c1/summary.csv" | cut -d, -f5)
	n2=$(tail -n 1 "$out/c2/summary.csv" | cut -d, -f5)
	echo "instructions: $i1 for $n1 requests, $i2 for $n2; per request: $(( (i2 - i1) / (n2 - n1) ))"
fi

echo
echo "## (d) 10 threads against 10,000: psync, iodepth 1, 50,000 and 100,000 requests"
for t in 10 10000; do
	for n in 50000 100000; do
		for _ in 1 2 3; do
			# shellcheck disable=SC2086
			cpu $VNODESIM run $oltp $fixed --set global.iodepth=1 --set global.ioengine=psync \
				--set oltp.numjobs=$t --set global.number_ios=$((n / t)) --out "$out/d" -q |
				cut -d' ' -f1
		done | median >"$out/d.$t.$n"
	done
	awk -v t=$t -v a="$(cat "$out/d.$t.50000")" -v b="$(cat "$out/d.$t.100000")" 'BEGIN {
		per = (b - a) / 50000; printf "%5d threads: %s CPU s at 50,000, %s at 100,000: %.2f us per request, start-up %.3f s\n", t, a, b, per * 1e6, a - 50000 * per }'
done

if command -v valgrind >/dev/null; then
	st="$oltp $fixed --set global.iodepth=1 --set global.ioengine=psync --set sim.oracle=0"
	# shellcheck disable=SC2086
	s1=$(instr $VNODESIM run $st --set oltp.numjobs=10000 --set global.number_ios=1 --out "$out/e" -q)
	# shellcheck disable=SC2086
	s2=$(instr $VNODESIM run $st --set oltp.numjobs=10000 --set global.number_ios=2 --out "$out/e" -q)
	# shellcheck disable=SC2086
	s0=$(instr $VNODESIM run $st --set oltp.numjobs=10 --set global.number_ios=1 --out "$out/e" -q)
	echo "start-up, instructions: 10,000 threads x 1 request $s1, x 2 $s2, 10 threads x 1 $s0:" \
		"$(( (s1 - (s2 - s1) - s0) / 10000 )) per thread"
fi

echo
echo "## (e) 32,300 raw threads x 1 request (guard pages off by vnodesim itself)"
cpu $VNODESIM run bench/cheetah-randread.ini --set bench.numjobs=32300 --set bench.number_ios=1 \
	--set bench.iodepth=1 --set sim.oracle=0 --out "$out/f" -q |
	awk '{printf "%s CPU s, peak RSS %d KiB\n", $1, $2}'

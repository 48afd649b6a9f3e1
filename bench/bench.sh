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

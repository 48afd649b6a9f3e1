#!/bin/sh
# disksim.sh -- vnodesim against DiskSim 4.0 on the same work, bench/cheetah-randread.ini
# (200,000 random 4 KiB reads over the whole Cheetah 9LP, 16 outstanding, the drive's C-LOOK
# 16 deep, no host-side scheduling) and DiskSim's side of it, bench/disksim-randread.parv.
# Run by bench.sh (make bench) when $DISKSIM names DiskSim's binary; prints SKIP otherwise.
#
#   DISKSIM=/path/to/disksim VNODESIM=build/vnodesim sh bench/disksim.sh
#
# The drive's parameters come from the reference data ($VNODESIM_DATA/disks, else
# ../shared/data/disks: cheetah9LP.diskspecs, its .model and .seek files, statdefs), which
# DiskSim finds through LP_PATH.  Prints:
#   - both programs' mean response time on the 200,000 requests (they should agree);
#   - wall time, alternating pairs (DiskSim, vnodesim) so that both see the same minutes of
#     this shared host: requests per wall second of each, and the median of the five pairs'
#     ratios (vnodesim's rate over DiskSim's);
#   - instructions per request of each (callgrind, 20,000 minus 2,000 requests, so that
#     start-up and teardown cancel), when valgrind is installed.
set -eu
VNODESIM=${VNODESIM:-build/vnodesim}
DATA=${VNODESIM_DATA:-../shared/data}
if [ -z "${DISKSIM:-}" ] || [ ! -x "$DISKSIM" ]; then
	echo "SKIP: DiskSim comparison (set DISKSIM to DiskSim 4.0's disksim binary)"
	exit 0
fi
if [ ! -f "$DATA/disks/cheetah9LP.diskspecs" ]; then
	echo "SKIP: DiskSim comparison ($DATA/disks/cheetah9LP.diskspecs not found)"
	exit 0
fi
DATA=$(cd "$DATA" && pwd)
DISKSIM=$(cd "$(dirname "$DISKSIM")" && pwd)/$(basename "$DISKSIM")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# DiskSim on N requests: the .parv with its request count replaced; the drive's queue 16 deep
# and its scheduler C-LOOK by cylinder (CYCLE_CYL, 6), overriding the .diskspecs' values
parv() {
	sed "s/Number of I\/O requests to generate = [0-9]*/Number of I\/O requests to generate = $1/" \
		bench/disksim-randread.parv >"$out/ds$1.parv"
}
ds() { # N [launcher...]: run DiskSim on N requests, its output in $out/ds.out
	n=$1
	shift
	# in $out: DiskSim writes its time stamp file ("stamps") to the current folder
	(cd "$out" && LP_PATH="$DATA/disks" "$@" "$DISKSIM" "$out/ds$n.parv" "$out/ds.out" ascii 0 1 \
		disk0 "Max queue length" 16 disk0 "Scheduler:Scheduling policy" 6 >/dev/null 2>&1)
}
vn() { # N [launcher...]
	n=$1
	shift
	"$@" "$VNODESIM" run bench/cheetah-randread.ini --set bench.number_ios="$n" --out "$out/vn" -q \
		>/dev/null 2>&1
}
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for n in 200000 2000 20000; do parv $n; done

echo "DiskSim: $DISKSIM ($(file -b "$DISKSIM" | cut -d, -f1))"
ds 200000
dsr=$(awk -F: '/^Overall I\/O System Response time average/ {gsub(/[ \t]/, "", $2); print $2}' "$out/ds.out")
vn 200000
vnr=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "lat_mean_us") c = i; next}
	$4 == "all" {printf "%.6f", $c / 1000}' "$out/vn/summary.csv")
echo "mean response time, 200,000 requests: DiskSim $dsr ms, vnodesim $vnr ms" |
	awk -v a="$dsr" -v b="$vnr" '{printf "%s (vnodesim %+.2f%%)\n", $0, (b / a - 1) * 100}'

echo "wall time, 200,000 requests, 5 alternating pairs:"
for i in 1 2 3 4 5; do
	t0=$(now)
	ds 200000
	t1=$(now)
	vn 200000
	t2=$(now)
	echo "$t0 $t1 $t2" | awk -v i="$i" '{d = $2 - $1; v = $3 - $2
		printf "pair %d: DiskSim %.3f s (%.0f req/s), vnodesim %.3f s (%.0f req/s): ratio %.2f\n",
		i, d, 200000 / d, v, 200000 / v, d / v}'
done | tee "$out/pairs"
awk '{print $NF}' "$out/pairs" | median | awk '{printf "vnodesim / DiskSim wall rate: %s (median of the 5 pairs)\n", $1}'

if command -v valgrind >/dev/null; then
	instr() { # the largest total among the profiles a command left (vnodesim forks)
		rm -f "$out"/cg.*
		"$@"
		cat "$out"/cg.* | awk '/^summary:/ && $2 > s {s = $2} END {print s}'
	}
	cg="valgrind --tool=callgrind --callgrind-out-file=$out/cg.%p"
	# shellcheck disable=SC2086
	d1=$(instr ds 2000 $cg)
	# shellcheck disable=SC2086
	d2=$(instr ds 20000 $cg)
	# shellcheck disable=SC2086
	v1=$(instr vn 2000 $cg)
	# shellcheck disable=SC2086
	v2=$(instr vn 20000 $cg)
	echo "instructions per request (callgrind, 20,000 minus 2,000 requests):" \
		"DiskSim $(((d2 - d1) / 18000)) ($d1, $d2), vnodesim $(((v2 - v1) / 18000)) ($v1, $v2)"
fi

#!/bin/sh
# validate.sh -- `make validate`: replay the measured traces of the two real drives against
# their own parameters (DiskSim .diskspecs and the project's .disk files) and print the mean
# service times and the RMS CDF distance (DiskSim 4.0 scores 0.107 ms on cheetah9LP, 0.306 ms
# on hp_c3323a).  Needs ../shared/data.
set -eu
VNODESIM=${VNODESIM:-build/vnodesim}
DATA=${VNODESIM_DATA:-../shared/data}
if [ ! -d "$DATA/disks" ]; then
	echo "SKIP: validate drives ($DATA/disks not found)"
	exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for d in "cheetah9LP cheetah9LP.diskspecs cheetah9LP.disk" "hp_c3323a hp_c3323a_validate.diskspecs hp_c3323a.disk"; do
	set -- $d
	echo "== $1: DiskSim spec"
	$VNODESIM validate "$DATA/disks/$1.trace" --disk "$DATA/disks/$2" --out "$out/$1-spec" | grep -v results
	echo "== $1: project disk file disks/$3"
	$VNODESIM validate "$DATA/disks/$1.trace" --disk "disks/$3" --out "$out/$1-disk" | grep -v results
	if command -v python3 >/dev/null; then
		echo "   cross-check (shared/tools/rms.py): $(python3 ../shared/tools/rms.py "$DATA/disks/$1.trace" "$out/$1-disk/requests.csv")"
	fi
done

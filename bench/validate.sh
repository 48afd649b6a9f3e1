#!/bin/sh
# validate.sh -- `make validate`: replay measured "validate" traces of real drives against
# their own parameters and print the mean service times and the RMS CDF distance, beside
# DiskSim 4.0's own RMS for the same drive (docs/validation.md has the table).  Nothing is
# fitted to the traces.
#
# 1. The two drives of the reference data ($VNODESIM_DATA/disks, else ../shared/data/disks):
#    from DiskSim's .diskspecs, its .parv system file, and the project's disks/*.disk.
# 2. DiskSim 4.0's whole validation suite, when $DISKSIM_VALID names DiskSim's valid/
#    folder (its .parv, .diskspecs, .model, .seek and .trace files; e.g. from a checkout of
#    github.com/benh/disksim): each of its ten drives from its .parv.  Those files are not
#    part of this project and never copied into it.
# A drive that does not load or replay fails the script.
set -eu
VNODESIM=${VNODESIM:-build/vnodesim}
DATA=${VNODESIM_DATA:-../shared/data}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

# VALUE of KEY in vnodesim validate's output file $1
field() { sed -n "s/^$2 //p" "$1"; }

if [ ! -d "$DATA/disks" ]; then
	echo "SKIP: validate drives ($DATA/disks not found)"
else
	for d in "cheetah9LP cheetah9LP.diskspecs cheetah9LP.disk" "hp_c3323a hp_c3323a_validate.diskspecs hp_c3323a.disk"; do
		set -- $d
		for spec in "$DATA/disks/$2" "$DATA/disks/$1.parv" "disks/$3"; do
			echo "== $1: $spec"
			if ! $VNODESIM validate "$DATA/disks/$1.trace" --disk "$spec" --out "$out/$1" >"$out/res" 2>&1; then
				cat "$out/res"
				status=1
				continue
			fi
			# the reader's warnings (parameters ignored) are counted, not repeated here
			grep -v -e results -e 'vnodesim: warning:' "$out/res"
			nw=$(grep -c 'vnodesim: warning:' "$out/res" || true)
			[ "$nw" -eq 0 ] || echo "   ($nw warnings: DiskSim parameters and blocks not modelled)"
		done
		if command -v python3 >/dev/null && [ -f ../shared/tools/rms.py ] && [ -f "$out/$1/requests.csv" ]; then
			echo "   cross-check (shared/tools/rms.py, disks/$3): $(python3 ../shared/tools/rms.py "$DATA/disks/$1.trace" "$out/$1/requests.csv")"
		fi
	done
fi

# DiskSim 4.0's figures: valid/runvalid ("rms should be about ...") for each drive.
suite="atlas_III:QUANTUM_QM39100TD-SW:0.378 barracuda:SEAGATE_ST32171W:0.349
cheetah4LP:SEAGATE_ST34501N:0.318 cheetah9LP:SEAGATE_ST39102LW:0.107
ibm18es:IBM_DNES-309170W:0.135 atlas10k:QUANTUM_TORNADO:0.268
hp_c2247a:HP_C2247A:0.090 hp_c3323a:HP_C3323A:0.306 hp_c2490a:HP_C2490A:0.254
dec_rz26:DEC_RZ26:0.340"
V=${DISKSIM_VALID:-}
if [ -z "$V" ] || [ ! -d "$V" ]; then
	echo "SKIP: DiskSim validation suite (set DISKSIM_VALID to DiskSim 4.0's valid/ folder)"
	exit $status
fi
echo
echo "DiskSim 4.0 validation suite ($V), each drive from its .parv:"
printf '%-11s %-22s %8s %10s %10s %9s %9s %11s\n' drive model requests measured simulated error rms_ms disksim_rms
for e in $suite; do
	name=${e%%:*}
	rest=${e#*:}
	model=${rest%%:*}
	dsrms=${rest#*:}
	if ! $VNODESIM validate "$V/$name.trace" --disk "$V/$name.parv" --out "$out/$name" >"$out/res" 2>&1; then
		printf '%-11s FAILED: %s\n' "$name" "$(cat "$out/res")"
		status=1
		continue
	fi
	printf '%-11s %-22s %8s %10s %10s %8s%% %9s %11s\n' "$name" "$model" \
		"$(field "$out/res" requests)" "$(field "$out/res" measured_mean_ms)" \
		"$(field "$out/res" simulated_mean_ms)" "$(field "$out/res" mean_error_pct)" \
		"$(field "$out/res" rms_ms)" "$dsrms"
done
exit $status

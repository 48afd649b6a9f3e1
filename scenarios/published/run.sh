#!/bin/sh
# run.sh -- `make validate`'s published results: runs every scenario of scenarios/published/
# the way its table says and prints, row by row, the published figure, the published ratio,
# vnodesim's figure and ratio, and whether the ratio is within the band (25%).
#
# The table is in each scenario's header, one line a row (docs/published.md):
#   ;@metric iops|read_iops|write_iops        what a row's figure is (the `all` row of summary.csv)
#   ;@figures N                               the published table's figures (tests/test_published.c)
#   ;@row NAME POLICY PUBLISHED REF [SECTION.KEY=VALUE ...]
# PUBLISHED is the published figure, or `-` when the publication gives only a ratio;
# REF is `-` for the baseline row (the row device and host were set from: its vnodesim
# ratio is vnodesim's figure over the published one, a check of that calibration), else
# `NAME:RATIO`: the published ratio of this row to row NAME (as the publication gives it, or
# PUBLISHED over NAME's PUBLISHED, worked out in the header).  A REF of `NAME:-` runs the row
# for reference and judges nothing.  The SECTION.KEY=VALUE words are passed as --set.
# Rows with the same --set words run as one `vnodesim compare --policies ...`.
#
# A row that misses its band fails the run unless EXPECTED_FAILURES names it (scenario row
# reason): then it prints "expected" and the reason.  An expected failure that passes is
# reported (so the list is kept honest) but does not fail the run.
#
# usage: run.sh [SCENARIO.ini ...]   (default: every scenarios/published/*.ini)
set -eu
VNODESIM=${VNODESIM:-build/vnodesim}
BAND=${BAND:-0.25}
here=$(dirname "$0")
[ $# -gt 0 ] || set -- "$here"/*.ini
expected="$here/EXPECTED_FAILURES"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM

printf '%-26s %-14s %12s %9s %12s %9s  %s\n' scenario row published pub_ratio vnodesim vn_ratio "within ${BAND}"
status=0
for scn in "$@"; do
	name=$(basename "$scn" .ini)
	metric=$(sed -n 's/^;@metric[[:space:]]*//p' "$scn" | head -1)
	[ -n "$metric" ] || { echo "$scn: no ;@metric line" >&2; exit 2; }
	grep '^;@row' "$scn" | sed 's/^;@row[[:space:]]*//' > "$out/$name.rows"
	[ -s "$out/$name.rows" ] || { echo "$scn: no ;@row lines" >&2; exit 2; }
	# one compare per distinct --set list: the group key is the words after REF
	awk '{ key = ""; for (i = 5; i <= NF; i++) key = key " " $i; print key "\t" $2 }' \
		"$out/$name.rows" | sort -u > "$out/$name.groups"
	: > "$out/$name.values"
	g=0
	cut -f1 "$out/$name.groups" | sort -u > "$out/$name.keys"
	while IFS= read -r sets; do
		g=$((g + 1))
		pols=$(awk -F'\t' -v k="$sets" '$1 == k { printf "%s%s", (n++ ? "," : ""), $2 }' "$out/$name.groups")
		args=""
		for s in $sets; do args="$args --set $s"; done
		# shellcheck disable=SC2086
		"$VNODESIM" compare "$scn" --policies "$pols" $args --out "$out/$name.g$g" --jobs 1 -q \
			> "$out/$name.g$g.log" 2>&1 || { cat "$out/$name.g$g.log" >&2; exit 1; }
		# figure per policy from the `all` row
		awk -F, -v m="$metric" -v k="$sets" '
			NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
			$4 == "all" {
				v = (m == "iops") ? $col["read_iops"] + $col["write_iops"] : $col[m]
				printf "%s\t%s\t%.3f\n", k, $2, v
			}' "$out/$name.g$g/summary.csv" >> "$out/$name.values"
	done < "$out/$name.keys"
	# join rows with their figures, compute ratios, judge
	awk -v scn="$name" -v band="$BAND" -v expf="$expected" '
		BEGIN {
			FS = "\t"
			while ((getline line < expf) > 0) {
				if (line ~ /^#/ || line ~ /^[[:space:]]*$/) continue
				split(line, w, " ")
				if (w[1] == scn) xf[w[2]] = 1
			}
		}
		FILENAME ~ /values$/ { val[$1 "\t" $2] = $3; next }
		{
			split($0, f, " ")
			row = f[1]; pol = f[2]; pub = f[3]; ref = f[4]
			key = ""
			for (i = 5; i in f; i++) key = key " " f[i]
			v = val[key "\t" pol]
			order[++n] = row; sim[row] = v; p[row] = pub; r[row] = ref
		}
		END {
			bad = 0
			for (i = 1; i <= n; i++) {
				row = order[i]; ref = r[row]
				if (ref == "-") { pr = 1; vr = (p[row] == "-") ? "-" : sim[row] / p[row] }
				else {
					split(ref, rr, ":"); pr = rr[2]
					vr = (sim[rr[1]] > 0) ? sim[row] / sim[rr[1]] : 0
				}
				if (pr == "-" || vr == "-") verdict = "-"
				else {
					d = vr / pr - 1
					verdict = (d <= band && d >= -band) ? "yes" : "no"
				}
				note = ""
				if (verdict == "no" && (row in xf)) note = "expected failure (EXPECTED_FAILURES)"
				else if (verdict == "no") { note = "MISS"; bad = 1 }
				else if (verdict == "yes" && (row in xf)) note = "listed as expected failure but within band"
				printf "%-26s %-14s %12s %9s %12.1f %9s  %-4s %s\n", scn, row, p[row],
					(pr == "-") ? "-" : sprintf("%.3f", pr), sim[row],
					(vr == "-") ? "-" : sprintf("%.3f", vr), verdict, note
			}
			exit bad
		}' "$out/$name.values" "$out/$name.rows" || status=1
done
if [ $status -ne 0 ]; then
	echo "published: a ratio missed its band and is not an expected failure (scenarios/published/EXPECTED_FAILURES)"
fi
exit $status

#!/bin/sh
# run.sh -- `make fuzz`: run each libFuzzer target for SECONDS over its corpus, merge what it
# found into fuzz/corpus/NAME (minimised: only inputs that add coverage), keep any crash under
# fuzz/crashers/NAME/ and print one line per target (executions, corpus size, crashes).
#   usage: fuzz/run.sh BUILDDIR SECONDS TARGET...
# FUZZ_RUNS=N stops each after N executions; FUZZ_FLAGS adds libFuzzer flags
# (e.g. -malloc_limit_mb=65536: a large calloc that is never touched is not an error).
set -u
bin=$1 secs=$2
shift 2
status=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vnodesim-fuzz-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for t in "$@"; do
	mkdir -p "fuzz/corpus/$t" "fuzz/crashers/$t" "$tmp/$t"
	dict=""
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	case $t in trace_*) dict="-dict=fuzz/trace.dict" ;; esac # one for every format
	runs=""
	[ -n "${FUZZ_RUNS:-}" ] && runs="-runs=$FUZZ_RUNS"
	"$bin/fuzz-$t" -max_total_time="$secs" $runs $dict -max_len=4096 -timeout=10 ${FUZZ_FLAGS:-} \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="fuzz/crashers/$t/" \
		"$tmp/$t" "fuzz/corpus/$t" >"$tmp/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t.log" | tail -1)
	# keep only what adds coverage: merge the new units into the stored corpus
	"$bin/fuzz-$t" -merge=1 $dict "fuzz/corpus/$t" "$tmp/$t" >"$tmp/$t.merge" 2>&1
	crashes=$(ls "fuzz/crashers/$t" | wc -l)
	printf '%-16s executions %10s  corpus %5d files  crashers %d  exit %d\n' "$t" \
		"${execs:-?}" "$(ls "fuzz/corpus/$t" | wc -l)" "$crashes" "$rc"
	if [ "$rc" != 0 ]; then
		status=1
		grep -m3 -E 'ERROR|SUMMARY|Test unit written' "$tmp/$t.log"
	fi
done
exit $status

#!/bin/sh
# memcheck.sh -- `make memcheck`: valgrind's memcheck over a small set of runs that together
# pass through every module: the parser and checks (vnodesim check), a raw-device run (SSD),
# a file-system run (page cache, write-back, locks, oracle), a mechanical-disk replay and
# the bad-input path.  Any invalid access, use of uninitialised memory or definite leak fails
# (the simulation children are forks, so valgrind follows them without --trace-children).
# SimGrid's raw contexts work under valgrind as they are (it registers their stacks).
#   VNODESIM=path/to/vnodesim (default build/vnodesim)
set -u
V=${VNODESIM:-build/vnodesim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vnodesim-memcheck-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
VG="valgrind -q --error-exitcode=99 --suppressions=tests/memcheck.supp --leak-check=full
    --show-leak-kinds=definite
    --errors-for-leak-kinds=definite --track-origins=yes"
export G_SLICE=always-malloc G_DEBUG=gc-friendly

cat >"$tmp/raw.ini" <<'INI'
[global]
filename=/dev/sim0
bs=4k
rw=randrw
number_ios=200
[async]
ioengine=libaio
iodepth=4
[writer]
rw=write
INI
cat >"$tmp/fs.ini" <<'INI'
[global]
filename=shared.db
size=1m
bs=4k
number_ios=100
[writers]
rw=randwrite
numjobs=2
[readers]
rw=randread
[direct]
rw=randrw
direct=1
[fs]
cache_mb=1
[policy]
name=range-color
INI
printf '0 0 0 8 1\n1.5 0 4096 16 0\n3 0 100000 8 1\n4 0 8 8 1\n' >"$tmp/t.trace"

fail=0
check() {
	what=$1
	shift
	start=$(date +%s)
	$VG "$V" "$@" >"$tmp/out" 2>&1
	rc=$?
	want=0
	[ "$what" = bad-input ] && want=2
	if [ "$rc" != "$want" ]; then
		echo "memcheck: $what: FAILED (exit $rc, want $want)"
		cat "$tmp/out"
		fail=1
	else
		echo "memcheck: $what: clean ($(($(date +%s) - start)) s)"
	fi
}
check check-scenarios check scenarios/default.ini
check raw-device run "$tmp/raw.ini" --out "$tmp/r1" -q --requests --timeline
check file-system run "$tmp/fs.ini" --out "$tmp/r2" -q --requests --timeline
check mechanical-replay replay "$tmp/t.trace" --format ascii --disk disks/cheetah9LP.disk \
	--out "$tmp/r3" -q
check bad-input check tests/bad/job-bs_banana.ini
exit $fail

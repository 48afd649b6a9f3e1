#!/bin/sh
# lockbench.sh -- `make bench`: the lock micro-benchmark (bench/lockbench.c), with the
# machine and the date, in the form bench/RESULTS.md records.  Never part of make check.
# Usage: sh bench/lockbench.sh [BINARY [BUDGET]]   (BUDGET scales the repetitions, 1.0)
set -eu
BIN=${1:-build/bench/lockbench}
echo "## lock micro-benchmark: acquire + release, extent-list vs extent-tree (bench/lockbench.c)"
echo "machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
"$BIN" "${2:-1.0}"

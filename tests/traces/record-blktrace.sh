#!/bin/sh
# record-blktrace.sh OUTDIR [NAME] -- record a real block trace of fio on a small ext4 file
# system on a loop device, as NAME.blktrace.N (blktrace's per-CPU binary files) plus
# NAME.blkparse (blkparse's default text output of the same files).
#
# Needs root, losetup, mkfs.ext4, fio, blkparse and debugfs mounted.  It first runs blktrace
# itself.  Where the kernel refuses blktrace's relay files (as in some VMs and containers:
# "failed open .../trace0: Operation not permitted") it falls back to the kernel's other
# front end for the same events, ftrace's "blk" tracer in binary mode: each event is then the
# kernel's struct blk_io_trace (version 7) behind a 16-byte ftrace header (pid, cpu,
# timestamp); the header is removed, the events are split by CPU and numbered per CPU (ftrace
# leaves the sequence field 0), which is the layout blktrace writes.
# Exit status: 0 recorded, 77 cannot record here (no root, no debugfs, no loop device).
set -eu
OUT=${1:?usage: record-blktrace.sh OUTDIR [NAME]}
NAME=${2:-ext4-fio}
skip() { echo "record-blktrace: cannot record here: $*" >&2; exit 77; }
[ "$(id -u)" = 0 ] || skip "not root"
for t in losetup mkfs.ext4 fio blkparse python3; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
DBG=/sys/kernel/debug
[ -d "$DBG/block" ] || mount -t debugfs none "$DBG" 2>/dev/null || skip "no debugfs"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
LOOP=
cleanup() {
	set +e
	[ -n "${TR:-}" ] && { echo 0 > "$TR/tracing_on"; echo nobin > "$TR/trace_options";
		echo nop > "$TR/current_tracer"; }
	[ -n "$LOOP" ] && { echo 0 > "/sys/block/${LOOP#/dev/}/trace/enable" 2>/dev/null;
		umount "$WORK/mnt" 2>/dev/null; losetup -d "$LOOP"; }
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
truncate -s 64M "$WORK/img"
LOOP=$(losetup -f --show "$WORK/img" 2>/dev/null) || skip "no free loop device"
mkfs.ext4 -q "$LOOP"
mkdir "$WORK/mnt"
mount "$LOOP" "$WORK/mnt"
# the workload: buffered random writes with an fsync every 8 (journal commits: preflush and
# FUA writes), a sequential read through the page cache and a discard of the file's blocks
JOB="--name=rec --directory=$WORK/mnt --size=512k --bs=4k --ioengine=psync --output=/dev/null"
workload() {
	fio $JOB --rw=randwrite --fsync=8 --randseed=1
	sync
	echo 3 > /proc/sys/vm/drop_caches
	fio $JOB --rw=read
	fstrim "$WORK/mnt" 2>/dev/null || true
	sync
}
rm -f "$OUT/$NAME".blktrace.*
how=
if command -v blktrace >/dev/null 2>&1; then
	blktrace -d "$LOOP" -D "$WORK" -o "$NAME" > "$WORK/bt.log" 2>&1 &
	BT=$!
	sleep 1
	if kill -0 "$BT" 2>/dev/null; then
		workload
		kill -INT "$BT"
		wait "$BT" || true
		mv "$WORK/$NAME".blktrace.* "$OUT/"
		how="blktrace $(blktrace -V 2>&1 | sed -n 's/.*version //p')"
	else
		wait "$BT" || true
		echo "record-blktrace: blktrace failed ($(head -1 "$WORK/bt.log")); using ftrace's blk tracer" >&2
	fi
fi
if [ -z "$how" ]; then
	TR=$DBG/tracing
	[ -w "$TR/current_tracer" ] || skip "no ftrace"
	echo 1 > "/sys/block/${LOOP#/dev/}/trace/enable"
	echo blk > "$TR/current_tracer"
	echo bin > "$TR/trace_options"
	echo > "$TR/trace"
	echo 1 > "$TR/tracing_on"
	workload
	echo 0 > "$TR/tracing_on"
	cat "$TR/trace" > "$WORK/ftrace.bin"
	python3 - "$WORK/ftrace.bin" "$OUT/$NAME" <<'PY'
import struct, sys
src, name = sys.argv[1], sys.argv[2]
d = open(src, 'rb').read()
i = 0
while d.startswith(b'#', i):  # "# tracer: blk" lines
    i = d.index(b'\n', i) + 1
out = {}
while i < len(d):
    pid, cpu, ts = struct.unpack_from('<IIQ', d, i)  # ftrace's header
    rec = bytearray(d[i + 16:i + 64])                  # struct blk_io_trace, 48 bytes
    if struct.unpack_from('<I', rec, 0)[0] != 0x65617407:
        sys.exit('%s: byte %d: not a blk_io_trace (version 7)' % (src, i + 16))
    pdu = struct.unpack_from('<H', rec, 46)[0]
    ev = out.setdefault(cpu, [])
    struct.pack_into('<I', rec, 4, len(ev))            # sequence, per CPU
    struct.pack_into('<I', rec, 40, cpu)
    ev.append(bytes(rec) + d[i + 64:i + 64 + pdu])
    i += 64 + pdu
for c, ev in sorted(out.items()):
    open('%s.blktrace.%d' % (name, c), 'wb').write(b''.join(ev))
PY
	how="the kernel's ftrace blk tracer (blktrace's relay files were refused)"
fi
blkparse -D "$OUT" -i "$NAME" > "$OUT/$NAME.blkparse"
echo "recorded $(ls "$OUT/$NAME".blktrace.* | wc -l) per-CPU files with $how on Linux $(uname -r)," \
	"ext4 on a 64 MiB loop device, fio $(fio --version)" > "$OUT/$NAME.origin"
cat "$OUT/$NAME.origin"

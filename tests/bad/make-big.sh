#!/bin/sh
# make-big.sh DIR -- writes the bad inputs that are too large to commit, or that git cannot
# hold (FIFOs), into DIR; tests/test_bad.c runs it for every MANIFEST case whose arguments
# name %/ (DIR).  Each input is made the way the hostile corpus made it:
#   deep-list.diskspecs, deep-block.diskspecs   a list / a block nested 200,000 levels deep
#                                               (the recursive reader overflowed its stack)
#   fan-N.diskspecs                             each file sources the next one twice, 12
#                                               levels (source "billion laughs")
#   wide-N.diskspecs                            each sources the next one 8 times, 8 levels
#   laughs.ini, laugh-N.inc                     each include file includes the next twice, 15
#                                               levels deep (2^15 reads), then 1,000 keys
#   wide-laughs.ini, wlaugh-N.inc               three includes a level, 15 levels
#   big.ini; big.inc, big-include.ini           a 65 MiB scenario; a 65 MiB include (over the
#                                               64 MiB a job file and its includes may hold)
#   fifo, fifo-include.ini, fifo-disk.ini,      a FIFO as the scenario, an include, a disk
#   fifo-source.diskspecs, fifo-seek.disk       file, a DiskSim source and a seek table
#   ok.trace                                    a valid trace, for the disk cases
set -eu
d=${1:?usage: make-big.sh DIR}
mkdir -p "$d"
cd "$d"

awk 'BEGIN { n = 200000
	printf "disksim_disk X {\n   A = "
	for (i = 0; i < n; i++) printf "["
	for (i = 0; i < n; i++) printf "]"
	printf "\n}\n" }' > deep-list.diskspecs
awk 'BEGIN { n = 200000
	printf "disksim_disk X {\n"
	for (i = 0; i < n; i++) printf "   A = b {"
	for (i = 0; i < n; i++) printf "}"
	printf "\n}\n" }' > deep-block.diskspecs

i=0
while [ $i -lt 12 ]; do
	n=$((i + 1))
	printf 'disksim_disk X {\n   A = [ source fan-%d.diskspecs, source fan-%d.diskspecs ]\n}\n' \
		$n $n > fan-$i.diskspecs
	i=$n
done
printf 'disksim_disk X {\n   B = 1\n}\n' > fan-12.diskspecs
i=0
while [ $i -lt 8 ]; do
	n=$((i + 1))
	{
		printf 'disksim_disk X {\n   A = [ source wide-%d.diskspecs' $n
		for k in 2 3 4 5 6 7 8; do printf ', source wide-%d.diskspecs' $n; done
		printf ' ]\n}\n'
	} > wide-$i.diskspecs
	i=$n
done
printf 'disksim_disk X {\n   B = 1\n}\n' > wide-8.diskspecs

printf '[j]\nfilename=/dev/sim0\nnumber_ios=10\ninclude laugh-0.inc\n' > laughs.ini
printf '[j]\nfilename=/dev/sim0\nnumber_ios=10\ninclude wlaugh-0.inc\n' > wide-laughs.ini
i=0
while [ $i -lt 15 ]; do
	n=$((i + 1))
	printf 'include laugh-%d.inc\ninclude laugh-%d.inc\n' $n $n > laugh-$i.inc
	printf 'include wlaugh-%d.inc\ninclude wlaugh-%d.inc\ninclude wlaugh-%d.inc\n' $n $n $n \
		> wlaugh-$i.inc
	i=$n
done
awk 'BEGIN { for (i = 0; i < 1000; i++) print "bs=4k" }' > laugh-15.inc
cp laugh-15.inc wlaugh-15.inc

rm -f big.inc big.ini
truncate -s 65M big.inc # sparse: refused by its size before a byte is read
truncate -s 65M big.ini
printf '[j]\nfilename=/dev/sim0\nnumber_ios=10\ninclude big.inc\n' > big-include.ini

rm -f fifo
mkfifo fifo
printf '[j]\nfilename=/dev/sim0\nnumber_ios=10\ninclude fifo\n' > fifo-include.ini
printf '[j]\nfilename=/dev/sim0\nnumber_ios=10\n[disk]\nmodel=mechanical\nspec=fifo\n' \
	> fifo-disk.ini
printf 'disksim_disk X {\n   Model = source fifo,\n}\n' > fifo-source.diskspecs
printf '[disk]\nmodel=mechanical\nrpm=5400\ncylinders=100\nsurfaces=2\nsectors_per_track=10\nseek=table:fifo\n' \
	> fifo-seek.disk
printf '0 0 0 8 1\n1 0 8 8 0\n' > ok.trace

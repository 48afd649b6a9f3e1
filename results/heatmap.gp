# heatmap.gp -- workload x policy heat map of speedup over serial (IOPS / serial's IOPS).
# usage: gnuplot -e "dat='OUT.dat'; out='OUT'; nrows=R; ncols=C" heatmap.gp
# dat: a header "speedup P1 P2 ...", then one row per workload: NAME v1 v2 ... (NaN: no run)
# Any number of rows and columns, one included.
set datafile separator whitespace
set datafile missing "NaN"
set title "Speedup over serial (throughput / serial's, same workload)"
set palette defined (0 "#b2182b", 1 "#f7f7f7", 2 "#92c5de", 4 "#2166ac")
set cbrange [0:4]
set cblabel "× serial"
set xtics rotate by -30 left
set tics scale 0
unset key
if (!exists("nrows")) nrows = 1
if (!exists("ncols")) ncols = 8
set yrange [nrows-0.5:-0.5]
set xrange [-0.5:ncols-0.5]
do for [fmt in "pngcairo svg"] {
	if (fmt eq "pngcairo") { set terminal pngcairo noenhanced size 900,(200 + 40*nrows) font ",10"; set output out.".png" } \
	else { set terminal svg noenhanced size 900,(200 + 40*nrows) dynamic font ",10"; set output out.".svg" }
	# one filled box per cell (not "with image": gnuplot draws no image under 2 x 2
	# cells, so one workload or one policy gave a blank map)
	plot dat matrix rowheaders columnheaders using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder fc palette, \
	     dat matrix rowheaders columnheaders using 1:2:($3 == $3 ? sprintf("%.2f", $3) : "no run") with labels font ",9"
	set output
}

# breakdown.gp -- where a request's time goes, stacked per policy (first seed, µs).
# usage: gnuplot -e "dat='DIR/plots/breakdown.dat'; out='DIR/plots/breakdown'" breakdown.gp
# dat: a header line, then: policy vnode_wait getpages_wait range_wait disk_queue seek rotation
#      transfer controller cpu_and_other
set datafile separator whitespace
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.6
set grid ytics
set key outside right top
set ylabel "mean time per request, µs"
set title "Time breakdown per policy"
set xtics rotate by -30 left
set yrange [0:*]
# lock waits in reds, the disk in blues and greys, CPU and the rest in green
colors = "#b2182b #ef8a62 #fddbc7 #2166ac #4393c3 #92c5de #d1e5f0 #777777 #5aae61"
do for [fmt in "pngcairo svg"] {
	if (fmt eq "pngcairo") { set terminal pngcairo noenhanced size 880,460 font ",10"; set output out.".png" } \
	else { set terminal svg noenhanced size 880,460 dynamic font ",10"; set output out.".svg" }
	plot for [c=2:10] dat using c:xtic(1) title columnheader(c) lc rgb word(colors, c-1)
	set output
}

# throughput.gp -- total IOPS per policy, 95% CI error bars (several seeds), and the
# correctness counters over each bar (red when any is nonzero).
# usage: gnuplot -e "dat='DIR/plots/throughput.dat'; out='DIR/plots/throughput'; seeds=N" throughput.gp
# dat columns: index policy iops ci95 "torn r/w" "stale, lost" any(0/1); writes out.png, out.svg
if (!exists("seeds")) seeds = 1
set datafile separator whitespace
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0
set ylabel "requests per second (all jobs)"
set title (seeds > 1 ? sprintf("Throughput per policy (mean of %d seeds, 95%% CI)", seeds) \
	: "Throughput per policy (one seed)")
set xtics rotate by -30 left
unset key
do for [fmt in "pngcairo svg"] {
	if (fmt eq "pngcairo") { set terminal pngcairo noenhanced size 800,460 font ",10"; set output out.".png" } \
	else { set terminal svg noenhanced size 800,460 dynamic font ",10"; set output out.".svg" }
	plot dat using 1:3:xtic(2) with boxes lc rgb "#4a7ab5", \
	     dat using 1:3:4 with yerrorbars lc rgb "black" ps 0, \
	     dat using 1:($3+$4):5:($7 > 0 ? 0xcc0000 : 0x2e7d32) with labels offset 0,2.0 \
	         font ",8" tc rgb variable, \
	     dat using 1:($3+$4):6:($7 > 0 ? 0xcc0000 : 0x2e7d32) with labels offset 0,1.0 \
	         font ",8" tc rgb variable
	set output
}

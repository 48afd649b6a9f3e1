# latency_cdf.gp -- latency CDF per policy (first seed), log-scale latency.
# usage: gnuplot -e "dat='DIR/plots/latency_cdf.dat'; out='DIR/plots/latency_cdf'; names='P1 P2 ...'" latency_cdf.gp
# dat: one block per policy (in the order of names), columns: latency_us fraction
set datafile separator whitespace
set logscale x
set grid
set key bottom right
set xlabel "latency, µs (log scale)"
set ylabel "fraction of requests"
set yrange [0:1.02]
set title "Latency CDF per policy"
do for [fmt in "pngcairo svg"] {
	if (fmt eq "pngcairo") { set terminal pngcairo noenhanced size 800,460 font ",10"; set output out.".png" } \
	else { set terminal svg noenhanced size 800,460 dynamic font ",10"; set output out.".svg" }
	plot for [i=1:words(names)] dat index (i-1) using 1:2 with steps lw 2 title word(names, i)
	set output
}

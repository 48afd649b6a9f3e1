# latency_cdf.gp -- latency CDF per policy (first seed), in two panels: the CDF against the
# latency (log scale), and its tail, the fraction of requests slower than x (log-log), where
# p99, p99.9 and p99.99 stand apart.  Each curve has its own colour, dash type and point
# type; policies whose curves are identical come as one curve titled P1=P2=...
# usage: gnuplot -e "dat='DIR/plots/latency_cdf.dat'; out='DIR/plots/latency_cdf'; names='P1 P2=P3 ...'" latency_cdf.gp
# dat: one block per curve (in the order of names), columns: latency_us fraction
set datafile separator whitespace
set grid
set logscale x
set xlabel "latency, µs (log scale)"
# Colours by hand: gnuplot's default line types repeat after eight, and a ninth policy would
# take the first one's colour.
colours = "#9400d3 #009e73 #56b4e9 #e69f00 #f0e442 #0072b2 #e51e10 #000000 #a0522d #808080 #ff69b4 #2e8b57"
colour(i) = word(colours, (i - 1) % words(colours) + 1)
do for [fmt in "pngcairo svg"] {
	if (fmt eq "pngcairo") { set terminal pngcairo noenhanced dashed size 1100,480 font ",10"; set output out.".png" } \
	else { set terminal svg noenhanced dashed size 1100,480 dynamic font ",10"; set output out.".svg" }
	set multiplot layout 1,2 title "Latency per policy (P1=P2: identical curves, drawn once)"
	set title "CDF"
	unset logscale y
	set ylabel "fraction of requests"
	set yrange [0:1.02]
	set key bottom right
	plot for [i=1:words(names)] dat index (i-1) using 1:2 with linespoints lw 2 lc rgb colour(i) dt i pt i ps 0.8 pi 20 title word(names, i)
	set title "Tail: fraction slower than x"
	set logscale y
	set ylabel "1 - CDF (log scale)"
	set yrange [5e-5:1]
	set format y "%g"
	set key bottom left
	# the last point (fraction 1) has no tail: left out rather than drawn at 0
	plot for [i=1:words(names)] dat index (i-1) using 1:((1 - $2) > 1e-9 ? 1 - $2 : NaN) with linespoints lw 2 lc rgb colour(i) dt i pt i ps 0.8 pi 4 title word(names, i)
	unset multiplot
	set output
	unset logscale y
	set format y "% h"
}

# sweep.gp -- throughput against a swept variable, one line per policy (95% CI error bars
# when the sweep ran several seeds).
# usage: gnuplot -e "dat='DIR/plots/sweep.dat'; out='DIR/plots/sweep'; names='P1 P2 ...'; xlabel='SECTION.KEY'" sweep.gp
# dat: one block per policy (order of names): x_index value iops ci95
set datafile separator whitespace
set grid
set key outside right top
set ylabel "requests per second (all jobs)"
set xlabel xlabel
set title "Throughput against ".xlabel
set yrange [0:*]
set offsets 0.2, 0.2, 0, 0
do for [fmt in "pngcairo svg"] {
	if (fmt eq "pngcairo") { set terminal pngcairo noenhanced size 860,460 font ",10"; set output out.".png" } \
	else { set terminal svg noenhanced size 860,460 dynamic font ",10"; set output out.".svg" }
	plot for [i=1:words(names)] dat index (i-1) using 1:3:4:xtic(2) with yerrorlines lw 2 \
		pt 7 title word(names, i)
	set output
}

# locks.gp -- lock-holding timeline (Gantt) of the vnode or range lock per policy.
# usage: gnuplot -e "dat='DIR/plots/locks.dat'; out='DIR/plots/locks'; classes='R W ...'; tics='DIR/plots/locks.tics'; xmax=T" locks.gp
# dat: one block per class (order of classes): x_mid_us row x_half_width_us
# tics: a `set ytics (...)` line naming each policy's band of rows
set datafile separator whitespace
set xlabel "simulated time, µs"
set title "Lock-holding timeline: one bar per holder, colour = class"
set key outside right top title "class"
set grid xtics
set style fill solid 0.8 border lc rgb "black"
# One colour per class: gnuplot's default line types repeat after eight, and the ninth class
# (X) would take the first one's colour (R).
colours = "#9400d3 #009e73 #56b4e9 #e69f00 #f0e442 #0072b2 #e51e10 #000000 #a0522d #808080"
if (exists("xmax")) set xrange [0:xmax]
if (exists("tics")) load tics
set ytics nomirror
set yrange [-1:*]
do for [fmt in "pngcairo svg"] {
	if (fmt eq "pngcairo") { set terminal pngcairo noenhanced size 900,520 font ",10"; set output out.".png" } \
	else { set terminal svg noenhanced size 900,520 dynamic font ",10"; set output out.".svg" }
	plot for [i=1:words(classes)] dat index (i-1) using 1:2:3:(0.38) with boxxyerror \
		lc rgb word(colours, (i - 1) % words(colours) + 1) title word(classes, i)
	set output
}

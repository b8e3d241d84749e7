# spectrogram.gp - a clip's spectrogram from `plotdata spectrogram`: dB relative to
# the clip's maximum over time and a logarithmic frequency axis.
#   gnuplot -e "in='spec.tsv'; out='spec.png'; title='clip.wav'" spectrogram.gp
load ARG0[1:strstrt(ARG0, "spectrogram.gp") - 1]."style.gp"

stats in using 1 nooutput
duration = STATS_max
stats in using 2 nooutput
nyquist = STATS_max
stats in using 3 nooutput
floor = STATS_min
# The lowest bin above 0 Hz: 0 Hz has no place on a logarithmic axis.
stats in using ($2 > 0 ? $2 : NaN) nooutput
# Below 20 Hz (the limit of hearing) the few coarse bins of a long FFT say little.
lowest = (STATS_min > 20 ? STATS_min : 20)

set view map
# retrace: each cell's edges are drawn in its own colour, hiding anti-aliasing seams.
set pm3d map corners2color c1 border retrace
set logscale y 10
set yrange [lowest:nyquist]
set xrange [0:duration]
set ytics ("20" 20, "50" 50, "100" 100, "200" 200, "500" 500, "1k" 1000, "2k" 2000, \
           "5k" 5000, "10k" 10000, "20k" 20000)
set mytics 1
set xlabel "Time (s)"
set ylabel "Frequency (Hz)" offset -1.5, 0
set cblabel "Magnitude (dB re max)"
set cbrange [floor:0]
set cbtics 10
set lmargin at screen 0.12
set rmargin at screen 0.84
set bmargin at screen 0.14
set tmargin at screen 0.90
set colorbox vertical user origin screen 0.86, 0.14 size screen 0.025, 0.76
set grid noxtics noytics
set border 15 front lw 1
set tics front
set key off
# magma, as librosa's specshow uses for dB.
set palette defined (0 "#000004", 1 "#1c1044", 2 "#4f127b", 3 "#812581", 4 "#b5367a", \
                     5 "#e55964", 6 "#fb8761", 7 "#fec287", 8 "#fcfdbf")
splot in using 1:2:3 every ::1 with pm3d notitle

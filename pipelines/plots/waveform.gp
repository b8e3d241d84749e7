# waveform.gp - a clip's waveform from `plotdata waveform`: every sample as a line,
# or, for a long clip, the band between each column's minimum and maximum.
#   gnuplot -e "in='wave.tsv'; out='wave.png'; title='clip.wav'" waveform.gp
load ARG0[1:strstrt(ARG0, "waveform.gp") - 1]."style.gp"

# Two columns: time, amplitude. Three: time, min, max (an envelope).
stats in using 1 nooutput
duration = STATS_max
stats in using 2 nooutput
lowest = STATS_min
highest = STATS_max
envelope = 0
stats in using (envelope = valid(3) ? 1 : envelope, 0) nooutput
if (envelope) { stats in using 3 nooutput; highest = STATS_max }
peak = (abs(lowest) > abs(highest) ? abs(lowest) : abs(highest))
peak = (peak > 0 ? peak * 1.1 : 1)

set xlabel "Time (s)"
set ylabel "Amplitude (full scale = 1)"
set xrange [0:duration]
set yrange [-peak:peak]
set key off
wave = "#1f5fa8"
if (envelope) {
    plot in using 1:2:3 with filledcurves fill solid 0.85 noborder lc rgb wave, \
         '' using 1:2 with lines lw 0.5 lc rgb wave, \
         '' using 1:3 with lines lw 0.5 lc rgb wave
} else {
    plot in using 1:2 with lines lw 1 lc rgb wave
}

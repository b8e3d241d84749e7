# confusion.gp - a confusion-matrix heatmap from `plotdata confusion`: true classes
# down, predicted classes across, each cell coloured by its value and labelled with
# its count (and its row fraction when the data is normalised).
#   gnuplot -e "in='ann_confusion.tsv'; out='ann_confusion.png'; title='ANN'" confusion.gp
load ARG0[1:strstrt(ARG0, "confusion.gp") - 1]."style.gp"

# Columns: 1 pred_index, 2 true_index, 3 value, 4 count, 5 pred_class, 6 true_class.
stats in using 1 nooutput
k = int(STATS_max) + 1
stats in using 3 nooutput
top = (STATS_max > 0 ? STATS_max : 1)
# Normalised data has fractions (value differs from count somewhere).
normalized = 0
stats in using (normalized = ($3 != $4) ? 1 : normalized, 0) nooutput
stats in using 4 nooutput
total = STATS_sum
stats in using ($1 == $2 ? $4 : 0) nooutput
correct = STATS_sum
subtitle = sprintf("accuracy %.1f%% (%d of %d)", 100.0 * correct / total, correct, total)
set title (title eq "" ? subtitle : title."\n".subtitle)

set xrange [-0.5:k - 0.5]
set yrange [k - 0.5:-0.5]
set size ratio -1
set xlabel "Predicted class"
set ylabel "True class"
set cblabel (normalized ? "Fraction of the true class" : "Number of predictions")
if (normalized) { top = 1 }
set cbrange [0:top]
set border 15 lw 1
set tics scale 0
set grid noxtics noytics
set key off
set colorbox vertical default
set palette defined (0 "#f7fbff", 0.25 "#c6dbef", 0.5 "#6baed6", 0.75 "#2171b5", 1 "#08306b")
cell_text(v, n) = normalized ? sprintf("%.2f\n(%d)", v, n) : sprintf("%d", n)
# Light text on dark cells.
text_colour(v) = (v > 0.55 * top ? 0xffffff : 0x202020)
plot in using 1:2:3:xtic(5) with image, \
     '' using 1:2:3:ytic(6) with image, \
     '' using 1:2:(cell_text($3, $4)):(text_colour($3)) with labels font ",15" tc rgb variable

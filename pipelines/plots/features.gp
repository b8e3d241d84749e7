# features.gp - a scatter plot by class of the records projected on their first two
# principal components, from `plotdata features`; the axes say how much of the
# variance each component explains.
#   gnuplot -e "in='pca.tsv'; out='pca.png'; title='TRAIN features'" features.gp
load ARG0[1:strstrt(ARG0, "features.gp") - 1]."style.gp"

# Columns: 1 pc1, 2 pc2, 3 class_index, 4 label, 5 key. The header line
# "# explained_variance<TAB>F1<TAB>F2" gives each component's share of the variance.
ev1 = NaN
ev2 = NaN
set datafile commentschars ""
stats in using (strcol(1) eq "# explained_variance" ? (ev1 = column(2), ev2 = column(3), 0) : 0) nooutput
set datafile commentschars "#"
stats in using 3 nooutput
k = int(STATS_max) + 1
array names[k]
stats in using (names[int($3) + 1] = strcol(4), 0) nooutput

axis_label(n, f) = (f == f ? sprintf("PC%d (%.1f%% of the variance)", n, 100 * f) : sprintf("PC%d", n))
set xlabel axis_label(1, ev1)
set ylabel axis_label(2, ev2)
set key outside right top Left reverse noopaque nobox samplen 1
set grid xtics ytics
set xzeroaxis lt 1 lw 1 lc rgb "#c8c8c8"
set yzeroaxis lt 1 lw 1 lc rgb "#c8c8c8"
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
array palette[8] = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]
array shapes[8] = [7, 5, 9, 11, 13, 15, 7, 5]
plot for [i = 0:k - 1] in using 1:(int($3) == i ? $2 : NaN) with points \
     pt shapes[i % 8 + 1] ps 1.1 lc rgb palette[i % 8 + 1] title names[i + 1]

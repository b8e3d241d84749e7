# curves.gp - training curves from `plotdata curves`: training and validation on the
# same axes, the epoch of the lowest validation loss (the weights EarlyStopping keeps)
# marked. metric='acc' draws accuracy, metric='loss' the loss, and by default both
# side by side.
#   gnuplot -e "in='ann.tsv'; out='ann_loss.png'; title='ANN'; metric='loss'" curves.gp
load ARG0[1:strstrt(ARG0, "curves.gp") - 1]."style.gp"
if (!exists("metric")) metric = "both"
if (metric ne "acc" && metric ne "loss" && metric ne "both") {
    print "curves.gp: metric must be acc, loss or both, not '".metric."'"
    exit status 2
}

stats in using 1 nooutput
last_epoch = STATS_max
# Columns: 1 epoch, 2 loss, 3 acc, 4 val_loss, 5 val_acc, 6 lr. NaN = not recorded.
has_val = 0
stats in using (has_val = (valid(4) && $4 == $4) ? 1 : has_val, 0) nooutput
if (has_val) { stats in using 1:4 nooutput; best_epoch = STATS_pos_min_y }

train_colour = "#1f77b4"
val_colour = "#d62728"
set xlabel "Epoch"
set xrange [0.5:last_epoch + 0.5]
set key bottom right
if (last_epoch <= 20) { set xtics 1 } else { set xtics autofreq }

# The epoch of the lowest validation loss: a dashed line, named in the key.
best_line = "set arrow 1 from best_epoch, graph 0 to best_epoch, graph 1 nohead dt 2 lw 1.5 lc rgb '#606060' back"
best_key = "keyentry with lines dt 2 lw 1.5 lc rgb '#606060' title sprintf('Best epoch (%d)', best_epoch)"
if (has_val) { eval best_line } else { best_key = "NaN notitle" }
draw_acc = "set ylabel 'Accuracy (fraction correct)'; set yrange [0:1.02]; set ytics 0.1; set key bottom right; \
  plot in using 1:3 with lines lw 2 lc rgb train_colour title 'Training', \
       '' using 1:5 with lines lw 2 lc rgb val_colour title (has_val ? 'Validation' : ''), ".best_key
draw_loss = "set ylabel 'Loss (cross-entropy, nats)'; set yrange [0:*]; set ytics autofreq; set key top right; \
  plot in using 1:2 with lines lw 2 lc rgb train_colour title 'Training', \
       '' using 1:4 with lines lw 2 lc rgb val_colour title (has_val ? 'Validation' : ''), ".best_key

if (metric eq "acc") {
    eval draw_acc
} else { if (metric eq "loss") {
    eval draw_loss
} else {
    set multiplot layout 1, 2 title title font ",15"
    unset title
    set title "Accuracy"
    eval draw_acc
    set title "Loss"
    eval draw_loss
    unset multiplot
} }

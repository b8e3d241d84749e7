# style.gp - the look shared by sentio's figures; each script loads it first.
# Needs the variables in (plotdata's output) and out (the PNG); title is optional.
if (!exists("in") || !exists("out")) {
    print "usage: gnuplot -e \"in='DATA'; out='FIGURE.png'; title='TITLE'\" ".ARG0
    exit status 2
}
if (!exists("title")) title = ""

# 800x500 pixels; text is not 'enhanced', so file and class names keep their underscores.
set terminal pngcairo size 800,500 noenhanced font "DejaVu Sans,13" linewidth 1.5 background rgb "white"
set output out
set datafile separator "\t"
set title title font ",15"
set border 3 lw 1 lc rgb "#404040"
set tics nomirror out scale 0.6 textcolor rgb "#202020"
set style line 100 lt 1 lw 1 lc rgb "#e4e4e4"
set grid back ls 100
set key top right opaque box lc rgb "#c0c0c0" samplen 3 spacing 1.2

# Feature streams for the nnfit/nnpredict suites, written with perl's pack from a
# text form (featdump --from-text will do the same once it lands).

# text2feat: stdin lines "key<TAB>label<TAB>meta<TAB>values", values separated by
# spaces and rows by ';' ("nan" and "inf" allowed); the binary stream on stdout.
text2feat() {
  perl -e '
    binmode STDOUT;
    while (my $l = <STDIN>) {
      chomp $l;
      my ($k, $lab, $m, $vals) = split /\t/, $l, 4;
      my @rows = split /;/, $vals;
      my @first = split / /, $rows[0];
      my @v = map { $_ eq "nan" ? (9**9**9) / (9**9**9) * 0 + (-(9**9**9) + 9**9**9)
                  : $_ eq "inf" ? 9**9**9 : $_ } map { split / / } @rows;
      print pack("a4 v v V V V V V", "SNTF", 1, 0, length($k), length($lab), length($m),
                 scalar(@rows), scalar(@first)), $k, $lab, $m, pack("f<*", @v);
    }'
}

NN_META="sr=22050 n_fft=2048 hop=512 n_mels=128 n_mfcc=40 fmin=0 fmax=11025 top_db=80 pool=mean"

# synth_text N SEED [COLS] [LABELS]: N records of COLS (40) values in three classes
# (Negative, Neutral, Positive, cycling) that are easy to separate; LABELS=noise
# draws the labels at random instead.
synth_text() {
  awk -v n="$1" -v seed="$2" -v cols="${3:-40}" -v noise="${4:-}" -v meta="$NN_META" 'BEGIN {
    srand(seed); split("Negative Neutral Positive", name, " ")
    for (i = 0; i < n; i++) {
      c = i % 3; lab = noise == "noise" ? int(rand() * 3) : c
      printf "clip%04d.wav\t%s\t%s\t", i, name[lab + 1], meta
      for (j = 0; j < cols; j++)
        printf "%s%.6g", (j ? " " : ""), 50 * (j % 3 == c) + 20 * (rand() - 0.5) - 100
      printf "\n"
    }
  }'
}

synth_stream() { synth_text "$@" | text2feat; }

#!/usr/bin/env bats
# wav2mfcc: golden MFCCs, every option, bad inputs, CSV quirks, threads.
load helper
bats_require_minimum_version 1.5.0

setup() {
  T="$BATS_TEST_TMPDIR"
  G="$FIXTURES/golden"
}

# values STREAM: the matrix rows of every record, space-separated, as featdump prints them.
values() { featdump "$1" | grep -v '^#' | cut -f4- | tr '\t' ' '; }

# within TOL GOLDEN STREAM: same shape as the golden rows, every value within TOL.
within() {
  values "$3" >"$T/got.txt"
  awk -v tol="$1" '
    NR == FNR { n = split($0, g, " "); for (i = 1; i <= n; i++) want[FNR, i] = g[i]; cols[FNR] = n; rows = FNR; next }
    { got_rows = FNR
      if (NF != cols[FNR]) { printf "row %d: %d values, golden has %d\n", FNR, NF, cols[FNR]; bad = 1; exit }
      for (i = 1; i <= NF; i++) { d = $i - want[FNR, i]; if (d < 0) d = -d
        if (d > worst) worst = d
        if (d > tol) { printf "row %d col %d: %s, golden %s\n", FNR, i, $i, want[FNR, i]; bad = 1; exit } } }
    END { if (!bad && got_rows != rows) { printf "%d rows, golden has %d\n", got_rows, rows; bad = 1 }
          if (!bad) printf "worst difference %g\n", worst; exit bad }' "$2" "$T/got.txt"
}

@test "native rate, every frame: within 0.01 of the golden frames" {
  for name in short silence speech16k_float speech22k speech44k_stereo24; do
    wav2mfcc --sr native --pool none "$FIXTURES/$name.wav" >"$T/$name.feat"
    run within 0.01 "$G/$name.native.frames" "$T/$name.feat"
    echo "$name: $output"
    [ "$status" -eq 0 ]
  done
}

@test "native rate, --pool mean: within 0.01 of the golden means" {
  for name in short silence speech16k_float speech22k speech44k_stereo24; do
    wav2mfcc --sr native --pool mean "$FIXTURES/$name.wav" >"$T/$name.feat"
    run within 0.01 "$G/$name.native.mean" "$T/$name.feat"
    echo "$name: $output"
    [ "$status" -eq 0 ]
  done
}

@test "13 coefficients, 40 mels, n_fft 512, hop 160 match their golden frames" {
  wav2mfcc --sr native --pool none --n-mfcc 13 --n-mels 40 --n-fft 512 --hop 160 \
    "$FIXTURES/speech16k_float.wav" >"$T/c13.feat"
  run within 0.01 "$G/speech16k_float.native.c13_m40_fft512_hop160.frames" "$T/c13.feat"
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "defaults (22050 Hz): within 0.5 of the golden means" {
  for name in short silence speech16k_float speech22k speech44k_stereo24; do
    wav2mfcc "$FIXTURES/$name.wav" >"$T/$name.feat"
    run within 0.5 "$G/$name.sr22050.mean" "$T/$name.feat"
    echo "$name: $output"
    [ "$status" -eq 0 ]
  done
}

@test "real 48 kHz recordings from ../shared match their goldens" {
  [ -d "$SHARED/fixtures" ] || skip "../shared is not present"
  for name in real48k_mono16_ravdess real48k_stereo24_cubase; do
    wav2mfcc --sr native --pool none "$SHARED/fixtures/$name.wav" >"$T/$name.feat"
    run within 0.01 "$SHARED/fixtures/golden/$name.native.frames" "$T/$name.feat"
    echo "$name native: $output"
    [ "$status" -eq 0 ]
    wav2mfcc "$SHARED/fixtures/$name.wav" >"$T/$name.mean.feat"
    run within 0.5 "$SHARED/fixtures/golden/$name.sr22050.mean" "$T/$name.mean.feat"
    echo "$name 22050: $output"
    [ "$status" -eq 0 ]
  done
}

@test "records carry key, empty label and the metadata string" {
  wav2mfcc "$FIXTURES/short.wav" >"$T/a.feat"
  run featdump --info "$T/a.feat"
  [[ "$output" == *"sr=22050 n_fft=2048 hop=512 n_mels=128 n_mfcc=40 fmin=0 fmax=11025 top_db=80 pool=mean"* ]]
  featdump "$T/a.feat" | grep -v '^#' | cut -f1-3 >"$T/keys"
  [ "$(cat "$T/keys")" = "$FIXTURES/short.wav		0" ]
  wav2mfcc --sr native --fmin 100 --fmax 4000 --top-db none --pool meanstd \
    "$FIXTURES/speech16k_float.wav" >"$T/b.feat"
  run featdump --info "$T/b.feat"
  [[ "$output" == *"sr=native n_fft=2048 hop=512 n_mels=128 n_mfcc=40 fmin=100 fmax=4000 top_db=none pool=meanstd"* ]]
}

@test "--pool: mean is one row, meanstd 2*n_mfcc columns, none one row per frame" {
  f="$FIXTURES/speech22k.wav"
  wav2mfcc --sr native --pool none "$f" >"$T/none.feat"
  wav2mfcc --sr native --pool meanstd "$f" >"$T/ms.feat"
  wav2mfcc --sr native --pool mean "$f" >"$T/mean.feat"
  [ "$(values "$T/none.feat" | wc -l)" -eq "$(wc -l <"$G/speech22k.native.frames")" ]
  [ "$(values "$T/ms.feat" | awk '{ print NF }')" = 80 ]
  # meanstd = the mean, then the population standard deviation of the frames.
  values "$T/none.feat" | awk '{ for (i = 1; i <= NF; i++) { s[i] += $i; q[i] += $i * $i } n++ }
    END { for (i = 1; i <= 40; i++) { m = s[i] / n; v = q[i] / n - m * m; printf "%s%.6f", (i > 1 ? " " : ""), m }
          for (i = 1; i <= 40; i++) { m = s[i] / n; v = q[i] / n - m * m; printf " %.6f", sqrt(v < 0 ? 0 : v) }
          print "" }' >"$T/expect"
  run within 0.01 "$T/expect" "$T/ms.feat"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(values "$T/mean.feat" | cut -d' ' -f1-40)" = "$(values "$T/ms.feat" | cut -d' ' -f1-40)" ]
}

@test "--n-mfcc, --n-mels, --n-fft and --hop shape the output" {
  wav2mfcc --sr native --pool none --n-mfcc 20 --n-mels 64 --n-fft 1024 --hop 256 \
    "$FIXTURES/speech22k.wav" >"$T/x.feat"
  run featdump --info "$T/x.feat"
  n=$(soxi -s "$FIXTURES/speech22k.wav")
  [[ "$output" == *"shape	$((1 + n / 256))x20	1"* ]]
  [[ "$output" == *"n_fft=1024 hop=256 n_mels=64 n_mfcc=20"* ]]
}

@test "--fmin/--fmax change the features; --top-db none keeps the floor at -100 dB" {
  f="$FIXTURES/speech22k.wav"
  wav2mfcc "$f" >"$T/a.feat"
  wav2mfcc --fmin 300 --fmax 8000 "$f" >"$T/b.feat"
  [ "$(values "$T/a.feat")" != "$(values "$T/b.feat")" ]
  # silence: every band at the -100 dB floor, so c0 = -100 * sqrt(128) with or without top_db.
  wav2mfcc --top-db none "$FIXTURES/silence.wav" >"$T/s.feat"
  values "$T/s.feat" | awk '{ d = $1 + 100 * sqrt(128); exit !(d < 0.01 && d > -0.01) }'
  wav2mfcc --top-db 20 "$f" >"$T/c.feat"
  [ "$(values "$T/a.feat")" != "$(values "$T/c.feat")" ]
}

@test "--sr: any positive rate; native keeps the file's rate" {
  wav2mfcc --sr 16000 "$FIXTURES/speech22k.wav" >"$T/a.feat"
  run featdump --info "$T/a.feat"
  [[ "$output" == *"sr=16000 "*"fmax=8000 "* ]]
  wav2mfcc --sr 22050 --pool none "$FIXTURES/speech22k.wav" >"$T/b.feat"
  wav2mfcc --sr native --pool none "$FIXTURES/speech22k.wav" >"$T/c.feat"
  [ "$(values "$T/b.feat")" = "$(values "$T/c.feat")" ]
}

@test "short and silent clips work" {
  wav2mfcc "$FIXTURES/short.wav" "$FIXTURES/silence.wav" >"$T/x.feat"
  [ "$(values "$T/x.feat" | wc -l)" -eq 2 ]
  [ "$(featdump --info "$T/x.feat" | grep nonfinite)" = "nonfinite	0" ]
}

@test "cat of two streams is one valid stream" {
  wav2mfcc "$FIXTURES/short.wav" >"$T/a.feat"
  wav2mfcc "$FIXTURES/speech22k.wav" >"$T/b.feat"
  wav2mfcc "$FIXTURES/short.wav" "$FIXTURES/speech22k.wav" >"$T/ab.feat"
  cat "$T/a.feat" "$T/b.feat" >"$T/cat.feat"
  cmp "$T/cat.feat" "$T/ab.feat"
  run featdump --info "$T/cat.feat"
  [[ "$output" == *"records	2"* ]]
}

@test "-j 2 output is byte-identical to -j 1, in input order" {
  for f in speech44k_stereo24 short speech22k silence speech16k_float short; do
    echo "$FIXTURES/$f.wav"
  done >"$T/list"
  wav2mfcc --list "$T/list" -j 1 >"$T/j1.feat"
  wav2mfcc --list "$T/list" -j 2 >"$T/j2.feat"
  wav2mfcc --list "$T/list" --jobs 5 >"$T/j5.feat"
  cmp "$T/j1.feat" "$T/j2.feat"
  cmp "$T/j1.feat" "$T/j5.feat"
  [ "$(featdump "$T/j2.feat" | grep -v '^#' | cut -f1)" = "$(cat "$T/list")" ]
}

@test "same input twice: byte-identical output" {
  wav2mfcc --pool none "$FIXTURES/speech44k_stereo24.wav" >"$T/a.feat"
  wav2mfcc --pool none "$FIXTURES/speech44k_stereo24.wav" >"$T/b.feat"
  cmp "$T/a.feat" "$T/b.feat"
}

@test "--csv: BOM, CRLF, quoted names with spaces and commas; default folder" {
  mkdir -p "$T/data/TRAIN"
  cp "$FIXTURES/short.wav" "$T/data/TRAIN/a b, c.wav"
  cp "$FIXTURES/speech22k.wav" "$T/data/TRAIN/say \"hi\".wav"
  printf '\357\273\277Filename,Class\r\n"a b, c.wav",Positive\r\n"say ""hi"".wav",Negative\r\n' \
    >"$T/data/TRAIN.csv"
  wav2mfcc --csv "$T/data/TRAIN.csv" >"$T/x.feat"
  featdump "$T/x.feat" | grep -v '^#' | cut -f1,2 >"$T/kl"
  printf 'a b, c.wav\tPositive\nsay "hi".wav\tNegative\n' | diff - "$T/kl"
  wav2mfcc "$T/data/TRAIN/a b, c.wav" >"$T/one.feat"
  [ "$(values "$T/one.feat")" = "$(values "$T/x.feat" | head -1)" ]
}

@test "--dir looks the CSV's files up elsewhere" {
  mkdir -p "$T/audio"
  cp "$FIXTURES/short.wav" "$T/audio/x.wav"
  printf 'Filename,Class\nx.wav,Neutral\n' >"$T/list.csv"
  wav2mfcc --csv "$T/list.csv" --dir "$T/audio" >"$T/x.feat"
  [ "$(featdump "$T/x.feat" | grep -v '^#' | cut -f1,2)" = "x.wav	Neutral" ]
  run wav2mfcc --dir "$T/audio" "$T/audio/x.wav"
  [ "$status" -eq 2 ]
}

@test "--csv: a row with a wrong field count names the CSV and line" {
  printf 'Filename,Class\na.wav,Positive,extra\n' >"$T/bad.csv"
  run wav2mfcc --csv "$T/bad.csv"
  [ "$status" -eq 1 ]
  [[ "$output" == "wav2mfcc: $T/bad.csv: 3 fields, the header has 2 (line 2)" ]]
}

@test "--csv: a row naming a missing file fails after the earlier records" {
  mkdir -p "$T/d/TRAIN"
  cp "$FIXTURES/short.wav" "$T/d/TRAIN/a.wav"
  printf 'Filename,Class\na.wav,Positive\ngone.wav,Negative\n' >"$T/d/TRAIN.csv"
  run --separate-stderr wav2mfcc --csv "$T/d/TRAIN.csv"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "wav2mfcc: $T/d/TRAIN/gone.wav: No such file or directory" ]]
  wav2mfcc --csv "$T/d/TRAIN.csv" >"$T/part.feat" 2>/dev/null || true
  run featdump --info "$T/part.feat"
  [ "$status" -eq 0 ]
  [[ "$output" == *"records	1"* ]]
}

@test "--list: PATH<TAB>LABEL lines, CRLF, from stdin" {
  printf '%s\tPositive\r\n\n%s\n' "$FIXTURES/short.wav" "$FIXTURES/silence.wav" >"$T/list"
  wav2mfcc --list - <"$T/list" >"$T/x.feat"
  featdump "$T/x.feat" | grep -v '^#' | cut -f1,2 >"$T/kl"
  printf '%s\tPositive\n%s\t\n' "$FIXTURES/short.wav" "$FIXTURES/silence.wav" | diff - "$T/kl"
}

@test "audio on stdin when no input is given" {
  wav2mfcc <"$FIXTURES/speech22k.wav" >"$T/a.feat"
  wav2mfcc "$FIXTURES/speech22k.wav" >"$T/b.feat"
  [ "$(values "$T/a.feat")" = "$(values "$T/b.feat")" ]
  [ "$(featdump "$T/a.feat" | grep -v '^#' | cut -f1)" = "-" ]
}

@test "bad inputs: a clear error naming the file, exit 1, earlier records intact" {
  printf 'RIFF\x34\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x03\x00\x01\x00\x40\x1f\x00\x00\x00\x7d\x00\x00\x04\x00\x20\x00data\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xc0\x7f\x00\x00\x00\x00' >"$T/nan.wav"
  : >"$T/zero.wav"
  for bad in "$FIXTURES/empty.wav:no audio samples" "$FIXTURES/truncated.wav:not a readable audio file" \
             "$FIXTURES/notaudio.wav:not a readable audio file" "$T/missing.wav:No such file" \
             "$T/nan.wav:non-finite sample (NaN) at frame 2" "$T/zero.wav:empty file" "$T:is a directory"; do
    file=${bad%%:*} why=${bad#*:}
    run --separate-stderr wav2mfcc "$FIXTURES/short.wav" "$file" "$FIXTURES/silence.wav"
    echo "$file: $stderr"
    [ "$status" -eq 1 ]
    [[ "$stderr" == "wav2mfcc: $file: $why"* ]]
    wav2mfcc "$FIXTURES/short.wav" "$file" "$FIXTURES/silence.wav" >"$T/part.feat" 2>/dev/null || true
    featdump --info "$T/part.feat" | grep -qx 'records	1'
  done
}

@test "--keep-going skips bad files with a warning and exits 3" {
  run --separate-stderr wav2mfcc --keep-going -o "$T/x.feat" "$FIXTURES/short.wav" \
    "$FIXTURES/notaudio.wav" "$FIXTURES/silence.wav" "$FIXTURES/empty.wav"
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"wav2mfcc: warning: $FIXTURES/notaudio.wav: "*"skipped"* ]]
  [[ "$stderr" == *"wav2mfcc: warning: $FIXTURES/empty.wav: "*"skipped"* ]]
  featdump --info "$T/x.feat" | grep -qx 'records	2'
  run wav2mfcc --keep-going -j 2 "$FIXTURES/short.wav" "$FIXTURES/silence.wav"
  [ "$status" -eq 0 ]
}

@test "-o writes the file; a failure leaves no file and keeps an old one" {
  wav2mfcc -o "$T/out.feat" "$FIXTURES/short.wav"
  featdump --info "$T/out.feat" | grep -qx 'records	1'
  run wav2mfcc -o "$T/new.feat" "$FIXTURES/short.wav" "$FIXTURES/notaudio.wav"
  [ "$status" -eq 1 ]
  [ ! -e "$T/new.feat" ]
  cp "$T/out.feat" "$T/keep"
  run wav2mfcc --output "$T/out.feat" -j 2 "$FIXTURES/silence.wav" "$FIXTURES/truncated.wav"
  [ "$status" -eq 1 ]
  cmp "$T/keep" "$T/out.feat"
  [ -z "$(ls "$T" | grep '\.tmp\.')" ]
}

@test "stopped by a signal while reading: dies of it, keeps an old file, leaves no temporary" {
  echo old > "$T/x.feat"
  mkfifo "$T/audio"
  # Opened read-write, the FIFO never reaches end-of-file: wav2mfcc waits on it for ever.
  stop_midway TERM "$T/x.feat.tmp*" "$SENTIO_BIN/wav2mfcc" -j 2 -o "$T/x.feat" 0<>"$T/audio" 2>/dev/null
  [ "$status" -eq 143 ]
  [ "$(cat "$T/x.feat")" = old ]
  [ -z "$(find "$T" -name 'x.feat.tmp*')" ]
}

@test "--stage decode reads and resamples but writes nothing" {
  run wav2mfcc --stage decode "$FIXTURES/speech44k_stereo24.wav"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run wav2mfcc --stage decode "$FIXTURES/notaudio.wav"
  [ "$status" -eq 1 ]
}

@test "usage errors exit 2" {
  for args in "--n-fft 8" "--n-mfcc 0" "--n-mfcc 50 --n-mels 40" "--hop 0" "--sr 0" "--sr fast" \
              "--pool max" "--top-db -1" "--fmin 5000 --fmax 4000" "--fmax 20000" "-j 0" \
              "--stage mfcc" "--bogus"; do
    run wav2mfcc $args "$FIXTURES/short.wav"
    echo "$args: $output"
    [ "$status" -eq 2 ]
    [[ "$output" == *"Try 'wav2mfcc --help'"* ]]
  done
}

@test "--fmax above a native file's Nyquist frequency is an error naming the file" {
  run wav2mfcc --sr native --fmax 10000 "$FIXTURES/speech16k_float.wav"
  [ "$status" -eq 1 ]
  [[ "$output" == "wav2mfcc: $FIXTURES/speech16k_float.wav: fmax 10000 is above the Nyquist"* ]]
}

@test "-h and --version" {
  run wav2mfcc -h
  [ "$status" -eq 0 ]
  [[ "$output" == Usage:* ]]
  [[ "$output" == *"See also:"* ]]
  run wav2mfcc --version
  [ "$status" -eq 0 ]
  [[ "$output" == "wav2mfcc (sentio) "* ]]
}

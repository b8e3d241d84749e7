#!/usr/bin/env bats
# Smaller things a user met (issue 12, section 5): the progress counter, binary output
# to a terminal, long spectrograms, man page rendering.

load helper
bats_require_minimum_version 1.5.0

setup() {
  T="$BATS_TEST_TMPDIR"
}

# on_tty CMD...: runs CMD with stdout and stderr on a pseudo-terminal (script(1)); its
# exit status is CMD's and the terminal's bytes are in $T/tty.
on_tty() {
  local cmd
  printf -v cmd '%q ' "$@"
  script -qec "$cmd" /dev/null >"$T/tty"
}

@test "progress: on a terminal only, its line always ended, --quiet turns it off" {
  f="$FIXTURES/short.wav"
  on_tty "$SENTIO_BIN/wav2mfcc" --keep-going -o "$T/x.feat" "$f" "$FIXTURES/notaudio.wav" "$f" || [ $? -eq 3 ]
  od -c "$T/tty" | head -20
  # the counter, then the warning on a line of its own, then the counter to its end, ended
  grep -q $'^\rwav2mfcc: 1/3 clips\r$' "$T/tty"
  grep -q $'^wav2mfcc: warning: .*notaudio.wav: .*skipped\r$' "$T/tty"
  [ "$(tail -c 2 "$T/tty" | od -An -c | tr -d ' ')" = '\r\n' ]
  grep -q 'wav2mfcc: 3/3 clips' "$T/tty"
  on_tty "$SENTIO_BIN/wav2mfcc" --quiet -o "$T/x.feat" "$f" "$f"
  [ ! -s "$T/tty" ]
  # not a terminal: never
  wav2mfcc -o "$T/x.feat" "$f" "$f" 2>"$T/err"
  [ ! -s "$T/err" ]
}

@test "binary streams are never written to a terminal: wav2mfcc, featsplit, featdump --from-text" {
  f="$FIXTURES/short.wav"
  wav2mfcc "$f" "$f" >"$T/a.feat"
  run on_tty "$SENTIO_BIN/wav2mfcc" "$f"
  [ "$status" -eq 2 ]
  grep -q 'wav2mfcc: refusing to write a binary stream to a terminal; use -o FILE or a pipe' "$T/tty"
  run on_tty "$SENTIO_BIN/featsplit" --test-size 0.5 "$T/a.feat" --train - --val "$T/v.feat"
  [ "$status" -eq 2 ]
  grep -q 'featsplit: refusing to write a binary stream to a terminal' "$T/tty"
  [ ! -e "$T/v.feat" ] && [ -z "$(ls "$T" | grep '\.tmp\.')" ]
  if [ -x "$SENTIO_BIN/wav2egemaps" ]; then
    run on_tty "$SENTIO_BIN/wav2egemaps" "$f"
    [ "$status" -eq 2 ]
    grep -q 'wav2egemaps: refusing to write a binary stream to a terminal' "$T/tty"
  fi
  featdump "$T/a.feat" >"$T/a.txt"
  run on_tty "$SENTIO_BIN/featdump" --from-text "$T/a.txt"
  [ "$status" -eq 2 ]
  # text is fine, and so is a binary stream into a pipe or a file
  on_tty "$SENTIO_BIN/featdump" "$T/a.feat"
  on_tty sh -c "'$SENTIO_BIN/wav2mfcc' '$f' | cat >/dev/null"
}

@test "plotdata spectrogram: a 2-minute clip is pooled into 500 columns that keep every peak" {
  # 120 s of quiet noise with one loud 4 kHz tone burst of 50 ms at 61 s
  sox -n -r 22050 "$T/quiet.wav" synth 120 whitenoise vol 0.01
  sox -n -r 22050 "$T/burst.wav" synth 0.05 sine 4000 vol 0.9
  sox -n -r 22050 "$T/pad.wav" trim 0 61
  sox "$T/pad.wav" "$T/burst.wav" "$T/burst61.wav"
  sox -m "$T/quiet.wav" "$T/burst61.wav" "$T/long.wav"
  plotdata spectrogram -o "$T/s.tsv" "$T/long.wav"
  [ "$(grep -v '^#' "$T/s.tsv" | awk 'NF == 0 { blocks++ } END { print blocks + 1 }')" = 500 ]
  grep -q '^# 5168 frames x 1025 bins, pooled into 500 columns' "$T/s.tsv"
  [ "$(wc -c <"$T/s.tsv")" -lt 40000000 ]
  # the burst's 0 dB (the clip's maximum) is kept, near 4 kHz, in the column holding 61 s
  grep -v '^#' "$T/s.tsv" | awk '$3 == 0 { print $1, $2 }' >"$T/max.txt"
  cat "$T/max.txt"
  awk '{ if ($1 < 60.5 || $1 > 61.2 || $2 < 3900 || $2 > 4100) exit 1 }' "$T/max.txt"
  [ -s "$T/max.txt" ]
  # --frames sets the bound; --frames all keeps every frame
  plotdata spectrogram --frames 100 -o "$T/s100.tsv" "$T/long.wav"
  [ "$(grep -v '^#' "$T/s100.tsv" | awk 'NF == 0 { blocks++ } END { print blocks + 1 }')" = 100 ]
  plotdata spectrogram --frames all --top-db 10 -o "$T/all.tsv" "$T/long.wav"
  [ "$(grep -v '^#' "$T/all.tsv" | awk 'NF == 0 { blocks++ } END { print blocks + 1 }')" = 5168 ]
  # a short clip keeps every frame
  plotdata spectrogram -o "$T/short.tsv" "$FIXTURES/speech22k.wav"
  [ "$(grep -v '^#' "$T/short.tsv" | awk 'NF == 0 { blocks++ } END { print blocks + 1 }')" = 124 ]
}

@test "man pages render no option glued to a word (every --hopth sample)" {
  for page in "$SENTIO_ROOT"/man/man*/*.[15]; do
    # every --word the rendered page shows is written as such in its source
    source_words=$(sed 's/\\-/-/g' "$page" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    for w in $(MANWIDTH=200 man -l "$page" 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
      grep -qxF -- "$w" <<<"$source_words" || { echo "$page renders '$w'"; false; }
    done
  done
}

@test "a line too long for memory is an error, not the end of the input" {
  if ldd "$SENTIO_BIN/featdump" | grep -q libasan; then skip "AddressSanitizer needs more address space than the limit"; fi
  head -c 150000000 /dev/zero | tr '\0' a >"$T/long.txt"
  echo >>"$T/long.txt"
  for cmd in "featdump --from-text -o $T/x.feat" "wav2mfcc --list" "metrics"; do
    run --separate-stderr bash -c "ulimit -v 100000; $SENTIO_BIN/$cmd '$T/long.txt'"
    echo "$cmd: $status $stderr"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"$T/long.txt: "*"read error"*"Cannot allocate memory"* ]]
  done
}

@test "a CSV with a NUL byte in a field is refused, like the list" {
  mkdir "$T/TRAIN"
  cp "$FIXTURES/short.wav" "$T/TRAIN/a.wav"
  printf 'Filename,Class\na.wav\0junk,Positive\n' >"$T/TRAIN.csv"
  run --separate-stderr wav2mfcc --csv "$T/TRAIN.csv" -o "$T/x.feat"
  [ "$status" -eq 1 ]
  [ "$stderr" = "wav2mfcc: $T/TRAIN.csv: a NUL byte (line 2)" ]
}

@test "a replaced output keeps its mode; write errors name the -o file" {
  synth() { wav2mfcc "$FIXTURES/short.wav" "$FIXTURES/silence.wav"; }
  synth >"$T/a.feat"
  echo old >"$T/out.feat"
  chmod 600 "$T/out.feat"
  wav2mfcc -o "$T/out.feat" "$FIXTURES/short.wav"
  [ "$(stat -c %a "$T/out.feat")" = 600 ]
  chmod 640 "$T/out.feat"
  featdump --from-text -o "$T/out.feat" <(featdump "$T/a.feat")
  [ "$(stat -c %a "$T/out.feat")" = 640 ]
  # a new file gets the umask's mode, as before
  (umask 022; featdump --csv -o "$T/new.csv" "$T/a.feat")
  [ "$(stat -c %a "$T/new.csv")" = 644 ]
  for cmd in "featdump --csv" "featdump" "plotdata features"; do
    run --separate-stderr $cmd -o /dev/full "$T/a.feat"
    echo "$cmd: $stderr"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *": /dev/full: "*"No space left on device" ]]
  done
  run --separate-stderr plotdata waveform -o /dev/full "$FIXTURES/short.wav"
  [[ "$stderr" == "plotdata: /dev/full: "* ]]
}

@test "nnpredict refuses huge finite values that overflow the network, instead of NaN" {
  load nnstreams
  synth_stream 60 1 >"$T/train.feat"
  nnfit --no-standardize --epochs 3 "$T/train.feat" -o "$T/raw.nn" 2>/dev/null
  synth_text 2 5 | awk -F'\t' 'BEGIN { OFS = "\t" } NR == 2 { n = split($4, v, " "); s = ""
      for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") (i % 2 ? "3e38" : "-3e38"); $4 = s } { print }' |
    text2feat >"$T/huge.feat"
  run --separate-stderr nnpredict -m "$T/raw.nn" -o "$T/p.tsv" "$T/huge.feat"
  echo "$stderr"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "nnpredict: $T/huge.feat: record 'clip0001.wav': the network overflows on its values (largest magnitude 3e+38)"* ]]
  [ ! -e "$T/p.tsv" ]
}

@test "an unknown option is reported once by every tool; --n-mfcc 0 names the range -h shows" {
  for t in featdump featsplit metrics nnfit nnpredict wav2mfcc "plotdata waveform"; do
    run --separate-stderr $t --bogus
    echo "$t: $stderr"
    [ "$status" -eq 2 ]
    [ "$(grep -c -- '--bogus' <<<"$stderr")" = 1 ]
  done
  range=$(wav2mfcc -h | grep -- '--n-mfcc' | grep -o '1\.\.[a-z0-9-]*')
  run --separate-stderr wav2mfcc --n-mfcc 0 "$FIXTURES/short.wav"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"--n-mfcc: 0 is outside $range"* ]]
}

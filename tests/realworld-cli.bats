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

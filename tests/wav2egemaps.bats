#!/usr/bin/env bats
# wav2egemaps: openSMILE's eGeMAPS v02 goldens, every option, bad inputs, edge clips, threads.
load helper
bats_require_minimum_version 1.5.0

setup() {
  T="$BATS_TEST_TMPDIR"
  G="$FIXTURES/golden/egemaps"
}

# values STREAM: the matrix rows of every record, space-separated, as featdump prints them.
values() { featdump "$1" | grep -v '^#' | cut -f4- | tr '\t' ' '; }

# golden_row NAME: the 88 functionals of NAME.wav in fixtures.csv, space-separated.
golden_row() { grep "^$1.wav," "$G/fixtures.csv" | cut -d, -f2- | tr ',' ' '; }

# close TOL COLS "GOT" "WANT": every listed column (1-based) within TOL relative
# (absolute below 1e-6).
close() {
  awk -v tol="$1" -v cols="$2" -v got="$3" -v want="$4" 'BEGIN {
    split(got, g, " "); split(want, w, " "); n = split(cols, c, ",")
    for (i = 1; i <= n; i++) { k = c[i]; d = g[k] - w[k]; if (d < 0) d = -d
      s = w[k] < 0 ? -w[k] : w[k]; if (s < 1e-6) s = 1e-6
      if (d / s > tol) { printf "column %d: %s, openSMILE %s\n", k, g[k], w[k]; exit 1 } } }'
}

# The functionals that depend on no voice LLD: loudness (11-20), spectral flux
# and MFCC 1-4 (21-30), loudness peaks (82), equivalent sound level (88).
# The extra functionals of --extra: how many, and the first one's name.
NEXTRA=28
FIRST_EXTRA=F1pole_p20

SPECTRAL_COLS=11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,82,88

@test "functionals: one row of 88 per clip; loudness, flux, MFCC and sound level as openSMILE's" {
  for name in silence speech16k_float speech22k speech44k_stereo24; do
    wav2egemaps "$FIXTURES/$name.wav" >"$T/$name.feat"
    featdump --info "$T/$name.feat" | grep -qx 'shape	1x88	1'
    run close 1e-4 "$SPECTRAL_COLS" "$(values "$T/$name.feat")" "$(golden_row "$name")"
    echo "$name: $output"
    [ "$status" -eq 0 ]
  done
}

@test "functionals with sentio's voice LLDs: F0 and segments within 1e-3 of openSMILE, all 88 within 20%" {
  for name in speech16k_float speech22k speech44k_stereo24; do
    wav2egemaps "$FIXTURES/$name.wav" >"$T/$name.feat"
    run close 1e-3 "$(seq -s, 1 10),$(seq -s, 83 87)" "$(values "$T/$name.feat")" "$(golden_row "$name")"
    echo "$name F0 and segments: $output"
    [ "$status" -eq 0 ]
    # The widest gaps are jitter (16% on speech44k_stereo24) and formant statistics (< 2%).
    run close 0.2 "$(seq -s, 1 88)" "$(values "$T/$name.feat")" "$(golden_row "$name")"
    echo "$name all: $output"
    [ "$status" -eq 0 ]
  done
}

@test "--lld: openSMILE's LLD rows; the ten spectral columns within 1e-3 of its frames" {
  for name in silence speech16k_float speech22k speech44k_stereo24; do
    wav2egemaps --lld "$FIXTURES/$name.wav" >"$T/$name.feat"
    tail -n +2 "$G/lld/$name.lld.csv" | cut -d';' -f3-12 | tr ';' ' ' >"$T/want"
    values "$T/$name.feat" | cut -d' ' -f1-10 >"$T/got"
    [ "$(wc -l <"$T/got")" -eq "$(wc -l <"$T/want")" ]
    featdump --info "$T/$name.feat" | grep -q "^shape	[0-9]*x25	1"
    run awk 'NR == FNR { for (i = 1; i <= NF; i++) w[FNR, i] = $i; next }
      { for (i = 1; i <= NF; i++) { d = $i - w[FNR, i]; if (d < 0) d = -d
          s = w[FNR, i] < 0 ? -w[FNR, i] : w[FNR, i]; if (s < 1e-3) s = 1e-3
          if (d / s > 1e-3) { printf "row %d col %d: %s, openSMILE %s\n", FNR, i, $i, w[FNR, i]; exit 1 } } }' \
      "$T/want" "$T/got"
    echo "$name: $output"
    [ "$status" -eq 0 ]
  done
}

@test "real 48 kHz recordings from ../shared: the spectral functionals as openSMILE's" {
  skip_without_shared
  for name in real48k_mono16_ravdess real48k_stereo24_cubase; do
    wav2egemaps "$SHARED/fixtures/$name.wav" >"$T/$name.feat"
    want=$(grep "^$name.wav," "$SHARED/fixtures/golden/egemaps/fixtures.csv" | cut -d, -f2- | tr ',' ' ')
    run close 1e-3 "$SPECTRAL_COLS" "$(values "$T/$name.feat")" "$want"
    echo "$name: $output"
    [ "$status" -eq 0 ]
  done
}

@test "metadata names the set and the columns; featdump --csv --header prints openSMILE's names" {
  wav2egemaps "$FIXTURES/speech22k.wav" >"$T/x.feat"
  meta=$(featdump "$T/x.feat" | grep '^#meta' | cut -f2)
  [[ "$meta" == "set=egemaps02 level=func names=F0semitoneFrom27.5Hz_sma3nz_amean,"* ]]
  featdump --csv --header "$T/x.feat" | head -1 >"$T/header"
  [ "$(cut -d, -f3 "$T/header")" = F0semitoneFrom27.5Hz_sma3nz_amean ]
  # Exactly openSMILE's 88 names, in its order.
  [ "$(cut -d, -f3- "$T/header")" = "$(head -1 "$G/fixtures.csv" | cut -d, -f2-)" ]
  wav2egemaps --lld "$FIXTURES/speech22k.wav" | featdump --csv --header 2>&1 | grep -q 'rows'
  wav2egemaps --lld "$FIXTURES/speech22k.wav" | featdump --header | head -1 >"$T/lldheader"
  [ "$(cut -f4- "$T/lldheader" | tr '\t' ';')" = "$(head -1 "$G/lld/speech22k.lld.csv" | cut -d';' -f3-)" ]
}

@test "edge clips: silence, shorter than a frame; never NaN" {
  wav2egemaps "$FIXTURES/silence.wav" "$FIXTURES/short.wav" >"$T/x.feat"
  featdump --info "$T/x.feat" | grep -qx 'nonfinite	0'
  # Silence: openSMILE's values (pitch-based 0, formant levels at its -201 dB floor,
  # the sound level at its -120 dB floor).
  run close 1e-4 "$(seq -s, 1 88)" "$(values "$T/x.feat" | head -1)" "$(golden_row silence)"
  echo "$output"
  [ "$status" -eq 0 ]
  # short.wav (459 samples): one 20 ms frame, no 60 ms pitch frame, so no LLD row.
  [ "$(values "$T/x.feat" | tail -1 | cut -d' ' -f1-10)" = "0 0 0 0 0 0 0 0 0 0" ]
  wav2egemaps --lld "$FIXTURES/short.wav" >"$T/s.feat"
  featdump --info "$T/s.feat" | grep -qx 'shape	0x25	1'
}

@test "-j 2 output is byte-identical to -j 1, in input order" {
  set -- "$FIXTURES/speech22k.wav" "$FIXTURES/short.wav" "$FIXTURES/speech16k_float.wav" \
    "$FIXTURES/silence.wav" "$FIXTURES/speech44k_stereo24.wav"
  wav2egemaps -j 1 "$@" >"$T/1.feat"
  wav2egemaps -j 2 "$@" >"$T/2.feat"
  wav2egemaps --jobs 3 --lld "$@" >"$T/3.feat"
  wav2egemaps --lld "$@" >"$T/3ref.feat"
  cmp "$T/1.feat" "$T/2.feat"
  cmp "$T/3.feat" "$T/3ref.feat"
  [ "$(featdump "$T/2.feat" | grep -v '^#' | cut -f1 | xargs -n1 basename | tr '\n' ' ')" = \
    "speech22k.wav short.wav speech16k_float.wav silence.wav speech44k_stereo24.wav " ]
}

@test "--csv with --dir, --list from stdin, audio on stdin" {
  mkdir -p "$T/audio"
  cp "$FIXTURES/speech22k.wav" "$T/audio/a b.wav"
  printf '\357\273\277Filename,Class\r\n"a b.wav",Positive\r\n' >"$T/list.csv"
  wav2egemaps --csv "$T/list.csv" --dir "$T/audio" >"$T/x.feat"
  [ "$(featdump "$T/x.feat" | grep -v '^#' | cut -f1,2)" = "a b.wav	Positive" ]
  printf '%s\tNegative\r\n' "$FIXTURES/speech22k.wav" | wav2egemaps --list - >"$T/l.feat"
  [ "$(featdump "$T/l.feat" | grep -v '^#' | cut -f2)" = Negative ]
  wav2egemaps <"$FIXTURES/speech22k.wav" >"$T/s.feat"
  [ "$(values "$T/s.feat")" = "$(values "$T/x.feat")" ]
  [ "$(featdump "$T/s.feat" | grep -v '^#' | cut -f1)" = "-" ]
}

@test "bad inputs: a clear error naming the file, exit 1, earlier records intact" {
  for bad in "$FIXTURES/empty.wav:no audio samples" "$FIXTURES/truncated.wav:not a readable audio file" \
             "$FIXTURES/notaudio.wav:not a readable audio file" "$T/missing.wav:No such file"; do
    file=${bad%%:*} why=${bad#*:}
    run --separate-stderr wav2egemaps "$FIXTURES/short.wav" "$file" "$FIXTURES/silence.wav"
    echo "$file: $stderr"
    [ "$status" -eq 1 ]
    [[ "$stderr" == "wav2egemaps: $file: $why"* ]]
    wav2egemaps "$FIXTURES/short.wav" "$file" >"$T/part.feat" 2>/dev/null || true
    featdump --info "$T/part.feat" | grep -qx 'records	1'
  done
  sox -n -r 800 -c 1 "$T/slow.wav" synth 0.5 sine 100
  run wav2egemaps "$T/slow.wav"
  [ "$status" -eq 1 ]
  [[ "$output" == "wav2egemaps: $T/slow.wav: sample rate 800 Hz is outside"* ]]
}

@test "--keep-going skips bad files with a warning and exits 3; -o is atomic" {
  run --separate-stderr wav2egemaps --keep-going -o "$T/x.feat" "$FIXTURES/short.wav" \
    "$FIXTURES/notaudio.wav" "$FIXTURES/silence.wav"
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"wav2egemaps: warning: $FIXTURES/notaudio.wav: "*"skipped"* ]]
  featdump --info "$T/x.feat" | grep -qx 'records	2'
  cp "$T/x.feat" "$T/keep"
  run wav2egemaps --output "$T/x.feat" -j 2 "$FIXTURES/silence.wav" "$FIXTURES/truncated.wav"
  [ "$status" -eq 1 ]
  cmp "$T/keep" "$T/x.feat"
  [ -z "$(ls "$T" | grep '\.tmp\.')" ]
}

@test "--scp: a Kaldi wav.scp; commands ('CMD |') only with --scp-pipes, run by the shell" {
  printf 'utt1 %s\nutt2   %s\n\nutt3 sox %s -t wav - |\n' "$FIXTURES/short.wav" "$FIXTURES/speech22k.wav" \
    "$FIXTURES/speech16k_float.wav" >"$T/wav.scp"
  scp_errors wav2egemaps "$T/wav.scp"
  wav2egemaps --scp "$T/wav.scp" --scp-pipes -o "$T/x.feat"
  [ "$(featdump "$T/x.feat" | grep -v '^#' | cut -f1 | paste -sd' ')" = "utt1 utt2 utt3" ]
  # each entry has the functionals of the file it names or decodes
  wav2egemaps "$FIXTURES/short.wav" "$FIXTURES/speech22k.wav" "$FIXTURES/speech16k_float.wav" >"$T/direct.feat"
  [ "$(values "$T/x.feat")" = "$(values "$T/direct.feat")" ]
  # from stdin too, and --lld and -j 2 work on it alike; wav.scp first, then the other inputs
  wav2egemaps --scp - -j 2 --scp-pipes -o "$T/y.feat" <"$T/wav.scp"
  cmp "$T/x.feat" "$T/y.feat"
  wav2egemaps --scp "$T/wav.scp" --scp-pipes --lld "$FIXTURES/silence.wav" -o "$T/l.feat"
  featdump --info "$T/l.feat" | grep -qx 'records	4'
  # (short.wav is shorter than a 60 ms frame: a record without LLD rows)
  [ "$(featdump "$T/l.feat" | grep -v '^#' | cut -f1 | uniq | paste -sd' ')" = "utt2 utt3 $FIXTURES/silence.wav" ]
  # usage: stdin cannot be both the wav.scp and another input
  run --separate-stderr wav2egemaps --scp - --list - <"$T/wav.scp"
  [ "$status" -eq 2 ]
  [[ "$stderr" == "wav2egemaps: stdin cannot be both the --scp and another input"* ]]
}

@test "--keep-going --skipped-list: KEY<TAB>reason per skipped clip; --quiet is accepted" {
  printf 'good %s\nbroken %s\nlast %s\n' "$FIXTURES/short.wav" "$FIXTURES/notaudio.wav" \
    "$FIXTURES/silence.wav" >"$T/wav.scp"
  run --separate-stderr wav2egemaps -q --keep-going --skipped-list "$T/skipped.tsv" --scp "$T/wav.scp" -o "$T/x.feat"
  [ "$status" -eq 3 ]
  [ "$(cut -f1 "$T/skipped.tsv")" = broken ]
  [[ "$(cut -f2 "$T/skipped.tsv")" == "not a readable audio file"* ]]
  [ "$(featdump "$T/x.feat" | grep -v '^#' | cut -f1 | paste -sd' ')" = "good last" ]
  # nothing skipped: an empty list; --skipped-list needs --keep-going and a file name
  wav2egemaps --keep-going --skipped-list "$T/skipped.tsv" "$FIXTURES/short.wav" >/dev/null
  [ -e "$T/skipped.tsv" ] && [ ! -s "$T/skipped.tsv" ]
  run wav2egemaps --skipped-list "$T/s2.tsv" "$FIXTURES/short.wav"
  [ "$status" -eq 2 ]
  run wav2egemaps --keep-going --skipped-list - "$FIXTURES/short.wav"
  [ "$status" -eq 2 ]
}

@test "--stage decode reads but writes nothing" {
  run wav2egemaps --stage decode "$FIXTURES/speech44k_stereo24.wav"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run wav2egemaps --stage decode "$FIXTURES/notaudio.wav"
  [ "$status" -eq 1 ]
}

@test "usage errors exit 2" {
  for args in "-j 0" "--stage all2" "--dir x" "--bogus" "--lld=1"; do
    run wav2egemaps $args "$FIXTURES/short.wav"
    echo "$args: $output"
    [ "$status" -eq 2 ]
    [[ "$output" == *"Try 'wav2egemaps --help'"* ]]
  done
}

@test "-h and --version; the man page lists every option and all 88 names" {
  run wav2egemaps -h
  [ "$status" -eq 0 ]
  [[ "$output" == Usage:* ]]
  [[ "$output" == *"See also:"* ]]
  run wav2egemaps --version
  [ "$status" -eq 0 ]
  [[ "$output" == "wav2egemaps (sentio) "* ]]
  man="$SENTIO_ROOT/man/man1/wav2egemaps.1"
  for opt in $(wav2egemaps --help | grep -oE '^  (-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
    grep -q -- "${opt//-/\\\\-}" "$man" || { echo "man page lacks $opt"; false; }
  done
  for name in $(head -1 "$G/fixtures.csv" | cut -d, -f2- | tr ',' ' '); do
    grep -qF -- "$(printf '%s' "$name" | sed 's/-/\\-/g')" "$man" || { echo "man page lacks $name"; false; }
  done
  for name in $(wav2egemaps --extra "$FIXTURES/short.wav" | featdump --csv | head -1 | cut -d, -f91- | tr ',' ' '); do
    grep -qF -- "\\fB$(printf '%s' "$name" | sed 's/-/\\-/g')\\fR" "$man" || { echo "man page lacks $name"; false; }
  done
}

@test "--extra: the 88 unchanged, then the extra functionals with their own names" {
  set -- "$FIXTURES/speech22k.wav" "$FIXTURES/speech16k_float.wav" "$FIXTURES/silence.wav" "$FIXTURES/short.wav"
  wav2egemaps "$@" >"$T/88.feat"
  wav2egemaps --extra "$@" >"$T/x.feat"
  featdump --info "$T/x.feat" | grep -q "^shape	1x$((88 + NEXTRA))	4$"
  featdump --info "$T/x.feat" | grep -qx 'nonfinite	0'
  # The first 88 columns are the default output's, value for value.
  [ "$(values "$T/x.feat" | cut -d' ' -f1-88)" = "$(values "$T/88.feat")" ]
  meta=$(featdump "$T/x.feat" | grep -m1 '^#meta' | cut -f2)
  [[ "$meta" == "set=egemaps02+extra level=func names=F0semitoneFrom27.5Hz_sma3nz_amean,"* ]]
  [[ "$meta" == *",equivalentSoundLevel_dBp,$FIRST_EXTRA,"* ]]
  # The default output does not change: its metadata names the 88 only.
  [[ "$(featdump "$T/88.feat" | grep -m1 '^#meta' | cut -f2)" == *",equivalentSoundLevel_dBp" ]]
  # A model trained on one set refuses the other (the metadata differ).
  featdump --info "$T/x.feat" | grep -q 'set=egemaps02+extra'
  # Silence: every extra value 0. short.wav: one 20 ms frame of sound and no pitch frame, so a
  # speech span of 10 ms, all of it active, and nothing voiced.
  [ "$(values "$T/x.feat" | sed -n 3p | cut -d' ' -f89- | tr ' ' '\n' | sort -u)" = 0 ]
  [ "$(values "$T/x.feat" | sed -n 4p | cut -d' ' -f89-)" = "$(printf '0 %.0s' $(seq 17))0.00999999978 1$(printf ' 0%.0s' $(seq 9))" ]
  wav2egemaps --extra -j 2 "$@" >"$T/x2.feat"
  cmp "$T/x.feat" "$T/x2.feat"
  run wav2egemaps --extra --lld "$FIXTURES/short.wav"
  [ "$status" -eq 2 ]
}

# extra NAME FILE: the value of extra functional NAME in FILE's one record.
extra() {
  featdump --csv "$2" | awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }'
}

@test "--extra rhythm: speech span, pause and voiced segments of a made-up utterance" {
  # 0.3 s silence, 0.5 s of a 150 Hz sawtooth, 0.4 s silence, 0.5 s sawtooth, 0.3 s silence.
  sox -n -r 16000 -c 1 "$T/z.wav" synth 0.3 sine 0 vol 0
  sox -n -r 16000 -c 1 "$T/tone.wav" synth 0.5 sawtooth 150 vol 0.5
  sox -n -r 16000 -c 1 "$T/gap.wav" synth 0.4 sine 0 vol 0
  sox "$T/z.wav" "$T/tone.wav" "$T/gap.wav" "$T/tone.wav" "$T/z.wav" "$T/clip.wav"
  wav2egemaps --extra "$T/clip.wav" >"$T/c.feat"
  near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; exit !(d <= t && -d <= t) }' || { echo "$1 is not $2 +- $3"; false; }; }
  near "$(extra speechSec "$T/c.feat")" 1.4 0.03
  near "$(extra pauseMeanSec "$T/c.feat")" 0.4 0.03
  near "$(extra pausesPerSec "$T/c.feat")" "$(awk 'BEGIN { print 1 / 1.4 }')" 0.03
  near "$(extra voicedSegPerSec "$T/c.feat")" "$(awk 'BEGIN { print 2 / 1.4 }')" 0.05
  near "$(extra peakIntervalSec "$T/c.feat")" 0.9 0.05
}

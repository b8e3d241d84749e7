#!/usr/bin/env bats
# wav2mfcc on audio as users have it: MP3, Ogg Vorbis, Opus, µ-law, 8 kHz,
# piped input, files cut short, headers that lie. Every file is made at test
# time from the fixtures (lame, opusenc and sox: the `test` profile of
# pipelines/deps.sh installs them).
load helper
bats_require_minimum_version 1.5.0

setup() {
  T="$BATS_TEST_TMPDIR"
  S22="$FIXTURES/speech22k.wav"
  S44="$FIXTURES/speech44k_stereo24.wav"
}

# frames FILE: the number of frames wav2mfcc makes of FILE at its own rate.
frames() { wav2mfcc --sr native --pool none "$1" | featdump --info | awk -F'\t' '$1 == "rows" { print $2 }'; }
# records STREAM: its record count.
records() { featdump --info "$1" | awk -F'\t' '$1 == "records" { print $2 }'; }

@test "MP3 at 44.1 and 22.05 kHz is decoded to its end (the header's length is an estimate)" {
  lame --quiet "$S44" "$T/a44.mp3"
  lame --quiet "$S22" "$T/a22.mp3"
  for f in a44 a22; do
    run --separate-stderr wav2mfcc -o "$T/$f.feat" "$T/$f.mp3"
    echo "$f: $stderr"
    [ "$status" -eq 0 ]
    [ "$(records "$T/$f.feat")" = 1 ]
  done
  # The decoder's padding adds frames; it never loses the end of the clip.
  [ "$(frames "$T/a44.mp3")" -ge "$(frames "$S44")" ]
  [ "$(frames "$T/a22.mp3")" -ge "$(frames "$S22")" ]
}

@test "Ogg Vorbis, Opus and µ-law WAV are read, from a file and from a pipe" {
  sox "$S22" "$T/a.ogg"
  opusenc --quiet "$S22" "$T/a.opus"
  sox "$S22" -e u-law "$T/ulaw.wav"
  lame --quiet "$S22" "$T/a.mp3"
  for f in a.ogg a.opus ulaw.wav a.mp3; do
    wav2mfcc "$T/$f" >"$T/file.feat"
    cat "$T/$f" | wav2mfcc >"$T/pipe.feat"
    [ "$(records "$T/file.feat")" = 1 ]
    # The same samples either way: only the key differs ("-" for stdin).
    diff <(featdump "$T/file.feat" | grep -v '^#' | cut -f2-) \
         <(featdump "$T/pipe.feat" | grep -v '^#' | cut -f2-)
  done
}

@test "a FLAC piped on stdin gives the features of the file" {
  sox "$S44" "$T/a.flac"
  wav2mfcc "$T/a.flac" >"$T/file.feat"
  run --separate-stderr wav2mfcc -o "$T/pipe.feat" < <(cat "$T/a.flac")
  echo "$stderr"
  [ "$status" -eq 0 ]
  diff <(featdump "$T/file.feat" | grep -v '^#' | cut -f2-) \
       <(featdump "$T/pipe.feat" | grep -v '^#' | cut -f2-)
  # The spooled copy of stdin is unnamed: nothing is left in TMPDIR.
  mkdir "$T/tmp"
  cat "$T/a.flac" | TMPDIR="$T/tmp" wav2mfcc >/dev/null
  [ -z "$(ls -A "$T/tmp")" ]
}

@test "a WAV cut inside its data chunk is refused as truncated, like a cut FLAC, from a file or a pipe" {
  head -c 60000 "$S22" >"$T/cut.wav"
  run --separate-stderr wav2mfcc "$T/cut.wav"
  [ "$status" -eq 1 ]
  [ "$stderr" = "wav2mfcc: $T/cut.wav: truncated: the data chunk declares 126684 bytes, the file holds 59956" ]
  run --separate-stderr wav2mfcc < <(cat "$T/cut.wav")
  [ "$status" -eq 1 ]
  [[ "$stderr" == "wav2mfcc: -: truncated"* ]]
  sox "$S22" "$T/a.flac"
  head -c 30000 "$T/a.flac" >"$T/cut.flac"
  run --separate-stderr wav2mfcc "$T/cut.flac"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "wav2mfcc: $T/cut.flac: read error after 24576 frames"* ]]
  # --keep-going skips it with the same words.
  run --separate-stderr wav2mfcc --keep-going "$S22" "$T/cut.wav"
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"$T/cut.wav: truncated"*"skipped"* ]]
  # A streaming encoder's "unknown" size (0xFFFFFFFF) is no truncation.
  cp "$S22" "$T/stream.wav"
  printf '\xff\xff\xff\xff' | dd of="$T/stream.wav" bs=1 seek=40 conv=notrunc status=none
  run wav2mfcc "$T/stream.wav"
  [ "$status" -eq 0 ]
}

@test "a WAV whose header claims 1 Hz is refused at once, not resampled 22050x" {
  cp "$S22" "$T/1hz.wav"
  # sample rate 1, byte rate 2
  printf '\x01\x00\x00\x00\x02\x00\x00\x00' | dd of="$T/1hz.wav" bs=1 seek=24 conv=notrunc status=none
  # (a memory limit proves it; AddressSanitizer needs more address space than that)
  limit="ulimit -v 400000;"
  ldd "$SENTIO_BIN/wav2mfcc" | grep -q libasan && limit=""
  run --separate-stderr bash -c "$limit '$SENTIO_BIN/wav2mfcc' '$T/1hz.wav'"
  echo "$stderr"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "wav2mfcc: $T/1hz.wav: a sample rate of 1 Hz would be resampled 22050x to 22050 Hz (the limit is 64x)"* ]]
  # At its own rate there is nothing to resample.
  run wav2mfcc --sr native --fmax 0.5 "$T/1hz.wav"
  [ "$status" -eq 0 ]
}

@test "8 kHz audio: one warning that the mel bands above 4 kHz are empty" {
  sox "$S22" -r 8000 "$T/a8k.wav"
  sox "$S22" -r 8000 -e u-law "$T/b8k.wav"
  run --separate-stderr wav2mfcc -o "$T/x.feat" "$T/a8k.wav" "$T/b8k.wav" "$S22"
  [ "$status" -eq 0 ]
  echo "$stderr"
  [ "$stderr" = "wav2mfcc: warning: $T/a8k.wav: 8000 Hz audio resampled to 22050 Hz: 37 of the 128 mel bands lie above its 4000 Hz Nyquist frequency and are empty (--sr 8000 keeps its rate; said once)" ]
  [ "$(records "$T/x.feat")" = 3 ]
  # Kept at its own rate, or at 22050 Hz audio: no warning.
  run --separate-stderr wav2mfcc --sr 8000 "$T/a8k.wav"
  [ -z "$stderr" ]
  run --separate-stderr wav2mfcc -j 2 "$S22" "$S44"
  [ -z "$stderr" ]
}

@test "--scp: a Kaldi wav.scp; commands ('CMD |') only with --scp-pipes, run by the shell" {
  printf 'utt1 %s\nutt2   %s\n\nutt3 sox %s -t wav - |\n' "$FIXTURES/short.wav" "$S22" "$FIXTURES/speech16k_float.wav" >"$T/wav.scp"
  scp_errors wav2mfcc "$T/wav.scp"
  wav2mfcc --scp "$T/wav.scp" --scp-pipes -o "$T/x.feat" 2>/dev/null
  [ "$(featdump "$T/x.feat" | grep -v '^#' | cut -f1 | paste -sd' ')" = "utt1 utt2 utt3" ]
  # the piped entry has the features of the file it decodes
  wav2mfcc "$FIXTURES/speech16k_float.wav" >"$T/direct.feat" 2>/dev/null
  diff <(featdump "$T/x.feat" | grep '^utt3' | cut -f2-) <(featdump "$T/direct.feat" | grep -v '^#' | cut -f2-)
  # from stdin too
  wav2mfcc --scp - -o "$T/y.feat" <"$T/wav.scp" --scp-pipes 2>/dev/null
  cmp "$T/x.feat" "$T/y.feat"
}

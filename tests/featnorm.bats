#!/usr/bin/env bats
# featnorm: per-speaker z-scores shrunk toward the global statistics.

load helper
load nnstreams

setup() {
  T="$BATS_TEST_TMPDIR"
  # Speaker a: 1, 3 (and 10, 20 in column 2); speaker b: 10, 20, 30 (and 0, 0, 6).
  printf 'a-1.wav\tX\tm=1\t1 10\na-2.wav\tY\tm=1\t3 20\nb-1.wav\tX\tm=1\t10 0\nb-2.wav\t\tm=1\t20 0\nb-3.wav\tY\tm=1\t30 6\n' |
    text2feat >"$T/s.feat"
}

values() { featdump "$1" | awk -F'\t' '!/^#/ { print $1, $4, $5 }'; }

@test "featnorm --help lists every option and exits 0" {
  run featnorm --help
  [ "$status" -eq 0 ]
  for o in --speaker --utt2spk --prior --min-clips --output Examples "See also:"; do
    [[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
  done
}

@test "featnorm --prior 0 is each speaker's own z-score" {
  run values <(featnorm --speaker '^([a-z])-' --prior 0 "$T/s.feat" 2>/dev/null)
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "a-1.wav -1 -1" ]
  [ "${lines[1]}" = "a-2.wav 1 1" ]
  # b, column 1: mean 20, sd sqrt(200/3) = 8.16497.
  echo "${lines[2]}" | awk '{ exit !($1 == "b-1.wav" && $2 > -1.22475 && $2 < -1.22474) }'
}

@test "featnorm --prior 2 shrinks toward the global statistics as the man page's formula says" {
  # a, column 1: m' = 7.4, v' = 88.74 (the unit test's hand computation): (1 - 7.4)/sqrt(88.74).
  run values <(featnorm --speaker '^([a-z])-' --prior 2 "$T/s.feat" 2>/dev/null)
  [ "$status" -eq 0 ]
  echo "${lines[0]}" | awk '{ v = (1 - 7.4) / sqrt(88.74); d = $2 - v; exit !(d < 1e-5 && d > -1e-5) }'
}

@test "featnorm never reads labels: relabelling the input changes no value" {
  featnorm --speaker '^([a-z])-' "$T/s.feat" -o "$T/a.feat" 2>/dev/null
  featdump "$T/s.feat" | sed 's/\tX\t/\tY\t/' | featdump --from-text | featnorm --speaker '^([a-z])-' -o "$T/b.feat" 2>/dev/null
  diff <(featdump "$T/a.feat" | cut -f1,4-) <(featdump "$T/b.feat" | cut -f1,4-)
}

@test "featnorm reads stdin (spooled) exactly as a file, and keeps keys, labels and order" {
  featnorm --speaker '^([a-z])-' "$T/s.feat" -o "$T/a.feat" 2>/dev/null
  featnorm --speaker '^([a-z])-' <"$T/s.feat" >"$T/b.feat" 2>/dev/null
  cat "$T/s.feat" | featnorm --speaker '^([a-z])-' >"$T/c.feat" 2>/dev/null
  cmp "$T/a.feat" "$T/b.feat"
  cmp "$T/a.feat" "$T/c.feat"
  [ "$(featdump "$T/a.feat" | cut -f1,2 | tail -n +2 | tr '\n' ' ')" = "$(printf 'a-1.wav\tX a-2.wav\tY b-1.wav\tX b-2.wav\t b-3.wav\tY ')" ]
}

@test "featnorm records what it did in the metadata" {
  run featdump --info <(featnorm --speaker '^([a-z])-' --prior 3 "$T/s.feat" 2>/dev/null)
  [[ "$output" == *"meta	m=1 featnorm=speaker prior=3	5"* ]]
}

@test "a model trained on normalised features refuses raw ones" {
  synth_stream 60 1 >"$T/train.feat"
  featnorm --speaker '^clip00([0-9])' "$T/train.feat" -o "$T/train.norm.feat" 2>/dev/null
  nnfit --epochs 2 "$T/train.norm.feat" -o "$T/m.nn" 2>/dev/null
  run nnpredict -m "$T/m.nn" "$T/train.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"featnorm=speaker"* ]]
}

@test "featnorm --utt2spk reads Kaldi's utt2spk: keys, bare names or stems" {
  printf 'a-1 s1\na-2.wav s1\nb-1 s2\nb-2 s2\nb-3 s2\n' >"$T/utt2spk"
  featnorm --utt2spk "$T/utt2spk" "$T/s.feat" -o "$T/u.feat" 2>/dev/null
  featnorm --speaker '^([a-z])-' "$T/s.feat" -o "$T/r.feat" 2>/dev/null
  cmp "$T/u.feat" "$T/r.feat"
}

@test "featnorm: a bad utt2spk line is an error naming the file and the line" {
  printf 'a-1 s1\nb-1\n' >"$T/utt2spk"
  run featnorm --utt2spk "$T/utt2spk" "$T/s.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"featnorm: $T/utt2spk: expected 'UTTERANCE SPEAKER'"*"(line 2)"* ]]
  printf 'a-1 s1\na-1 s2\n' >"$T/utt2spk"
  run featnorm --utt2spk "$T/utt2spk" "$T/s.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"listed twice (line 2)"* ]]
  printf 'a-1 s1\r\nb-1\rx s2\n' >"$T/utt2spk"
  run featnorm --utt2spk "$T/utt2spk" "$T/s.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"a control character"*"(line 2)"* ]]
  printf 'a-1 s1\nb-1 s\0002\n' >"$T/utt2spk"
  run featnorm --utt2spk "$T/utt2spk" "$T/s.feat"
  [ "$status" -eq 1 ]
  [ "$output" = "featnorm: $T/utt2spk: contains a NUL byte (line 2)" ]
  run featnorm --utt2spk "$T/missing" "$T/s.feat"
  [ "$status" -eq 1 ]
  [ "$output" = "featnorm: $T/missing: No such file or directory" ]
}

@test "featnorm: a key without a speaker is an error naming the file, the record and the key" {
  printf 'a-1 s1\n' >"$T/utt2spk"
  run featnorm --utt2spk "$T/utt2spk" "$T/s.feat" -o "$T/out.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"featnorm: $T/s.feat: record 2: key 'a-2.wav' is not in utt2spk $T/utt2spk (byte "* ]]
  [ ! -e "$T/out.feat" ]
  run featnorm --speaker '^([0-9]+)' "$T/s.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"record 1: key 'a-1.wav' does not match '^([0-9]+)' (byte 0)"* ]]
}

@test "featnorm warns, naming them, about speakers with fewer than --min-clips clips" {
  run featnorm --speaker '^([a-z])-' --min-clips 3 "$T/s.feat" -o "$T/o.feat"
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: 1 speaker with fewer than 3 clips"*" a (2)"* ]]
  run featnorm --speaker '^([a-z])-' --min-clips 2 "$T/s.feat" -o "$T/o.feat"
  [ -z "$output" ]
}

@test "featnorm: usage errors exit 2" {
  run featnorm "$T/s.feat"
  [ "$status" -eq 2 ]
  run featnorm --speaker '^(' "$T/s.feat"
  [ "$status" -eq 2 ]
  run featnorm --speaker '^a' "$T/s.feat"
  [ "$status" -eq 2 ]
  [[ "$output" == *"no capture group"* ]]
  run featnorm --speaker '(a)' --utt2spk /dev/null "$T/s.feat"
  [ "$status" -eq 2 ]
  run featnorm --speaker '(a)' --prior -1 "$T/s.feat"
  [ "$status" -eq 2 ]
}

@test "featnorm: NaN, differing widths, empty and damaged input are errors naming the file" {
  printf 'a-1\tX\t\t1 nan\n' | text2feat >"$T/nan.feat"
  run featnorm --speaker '^([a-z])' "$T/nan.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/nan.feat: record 'a-1': value 2 of row 1 is not finite"* ]]
  printf 'a-1\tX\t\t1 2\na-2\tX\t\t1 2 3\n' | text2feat >"$T/wide.feat"
  run featnorm --speaker '^([a-z])' "$T/wide.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/wide.feat: record 'a-2' has 3 values per row, the first record had 2"* ]]
  run featnorm --speaker '^([a-z])' /dev/null
  [ "$status" -eq 1 ]
  [[ "$output" == *"no records to normalise"* ]]
  head -c 40 "$T/s.feat" >"$T/cut.feat"
  run featnorm --speaker '^([a-z])' "$T/cut.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/cut.feat"* ]]
}

@test "featnorm on ravdess3_dev: every actor's normalised clips have mean 0 with --prior 0" {
  skip_without_shared
  [ -d "$SHARED/data/ravdess3_dev" ] || skip "no ravdess3_dev"
  wav2mfcc -j 2 --csv "$SHARED/data/ravdess3_dev/TRAIN.csv" -o "$T/r.feat"
  featnorm --speaker '-([0-9]+)\.[a-z]+$' --prior 0 "$T/r.feat" -o "$T/n.feat"
  featdump "$T/n.feat" | awk -F'\t' '!/^#/ { split($1, p, "-"); s[p[7]] += $4; n[p[7]]++ }
    END { for (a in s) if (s[a] / n[a] > 1e-4 || s[a] / n[a] < -1e-4) exit 1 }'
}

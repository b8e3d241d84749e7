#!/usr/bin/env bats
# pipelines/extract-sharded.sh and make experiment NJ=N CMD=LAUNCHER: sharded extraction is
# byte-identical to one run; a failed or missing shard fails the step, naming it.
load helper

setup() {
  T=$BATS_TEST_TMPDIR
  SHARD=$SENTIO_ROOT/pipelines/extract-sharded.sh
  CMDS=$SENTIO_ROOT/pipelines/cmd
  [ -x "$SENTIO_BIN/wav2mfcc" ] || skip "wav2mfcc is not built yet"
  export PATH=$SENTIO_BIN:$PATH
  # 15 clips as a list and as a CSV (keys and labels differ clip to clip)
  good=(short silence speech16k_float speech22k speech44k_stereo24)
  : >"$T/clips.list"
  printf 'Filename,Class\n' >"$T/clips.csv"
  for r in 1 2 3; do
    for c in "${good[@]}"; do
      printf '%s\tL%s\n' "$FIXTURES/$c.wav" $r >>"$T/clips.list"
      printf '%s.wav,C%s\n' "$c" $r >>"$T/clips.csv"
    done
  done
}

mk() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -C "$SENTIO_ROOT" --no-print-directory SENTIO_BIN="$SENTIO_BIN" "$@"
}

@test "extract-sharded.sh: N = 1, 2, 4, 7, 20 shards through run.sh: the bytes of one run" {
  wav2mfcc --list "$T/clips.list" -o "$T/whole.feat"
  wav2mfcc --csv "$T/clips.csv" --dir "$FIXTURES" -o "$T/whole-csv.feat"
  for n in 1 2 4 7 20; do
    "$SHARD" --nj $n --dir "$T/s$n" -o "$T/list$n.feat" "$T/clips.list" -- wav2mfcc -j 1 --list
    cmp "$T/whole.feat" "$T/list$n.feat"
    "$SHARD" --nj $n --header --dir "$T/c$n" -o "$T/csv$n.feat" "$T/clips.csv" \
      -- wav2mfcc --dir "$FIXTURES" --csv
    cmp "$T/whole-csv.feat" "$T/csv$n.feat"
    # contiguous shards: their lists, in order, are the list; each CSV shard has the header
    [ "$(for k in $(seq $n); do cat "$T/s$n/list.$k"; done)" = "$(cat "$T/clips.list")" ]
    for k in $(seq $n); do [ "$(head -n 1 "$T/c$n/list.$k")" = Filename,Class ]; done
    [ "$(ls "$T/s$n/log" | wc -l)" -eq $n ]
    # the shard streams are gone once concatenated
    [ -z "$(ls "$T/s$n" | grep '^out\.')" ]
  done
}

@test "extract-sharded.sh: the list from stdin; through parallel.sh too" {
  command -v parallel >/dev/null || skip "GNU parallel is not installed (deps.sh cluster)"
  wav2mfcc --list "$T/clips.list" -o "$T/whole.feat"
  "$SHARD" --cmd "$CMDS/parallel.sh --max-jobs-run 2" --nj 3 --dir "$T/p" -o "$T/p.feat" - \
    -- wav2mfcc --list <"$T/clips.list"
  cmp "$T/whole.feat" "$T/p.feat"
}

@test "extract-sharded.sh: a failed shard fails the run, naming it and its log, with the tool's error" {
  wav2mfcc --list "$T/clips.list" -o "$T/old.feat"
  cp "$T/old.feat" "$T/out.feat"
  # line 12 of 15 is in shard 4 of 5
  sed -i "12s|.*|$FIXTURES/notaudio.wav|" "$T/clips.list"
  run "$SHARD" --nj 5 --dir "$T/s" -o "$T/out.feat" "$T/clips.list" -- wav2mfcc --list
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"run.sh: 1 of 5 jobs failed, see $T/s/log/extract.*.log"* ]]
  [[ "$output" == *"extract-sharded.sh: shard 4 of 5 failed (code 1); see $T/s/log/extract.4.log:"* ]]
  [[ "$output" == *"wav2mfcc: $FIXTURES/notaudio.wav: "* ]]
  # the older output is intact, and no temporary is left beside it
  cmp "$T/old.feat" "$T/out.feat"
  [ "$(ls "$T" | grep -c '^out\.feat')" -eq 1 ]
}

@test "extract-sharded.sh --keep-going: shards skip bad clips; the bytes and the skipped list of one run, exit 3" {
  # lines 4 and 12 of 15 are in different shards for every N below but 1
  sed -i -e "4s|.*|$FIXTURES/notaudio.wav|" -e "12s|.*|$FIXTURES/truncated.wav	L3|" "$T/clips.list"
  run wav2mfcc --keep-going --skipped-list "$T/whole.tsv" --list "$T/clips.list" -o "$T/whole.feat"
  [ "$status" -eq 3 ]
  [ "$(wc -l <"$T/whole.tsv")" -eq 2 ]
  for n in 1 2 5; do
    run "$SHARD" --nj $n --keep-going "$T/sk$n.tsv" --dir "$T/s$n" -o "$T/list$n.feat" "$T/clips.list" \
      -- wav2mfcc -j 1 --list
    echo "$output"
    [ "$status" -eq 3 ]
    cmp "$T/whole.feat" "$T/list$n.feat"
    cmp "$T/whole.tsv" "$T/sk$n.tsv"
    # the launcher saw no failure; the shards' lists are gone once joined
    [[ "$output" != *"failed"* ]]
    [ -z "$(ls "$T/s$n" | grep -e '^out\.' -e '^skipped\.')" ]
  done
  # nothing to skip: exit 0 and an empty list, replacing the old one
  sed -i -e "4s|.*|$FIXTURES/short.wav|" -e "12s|.*|$FIXTURES/short.wav|" "$T/clips.list"
  "$SHARD" --nj 2 --keep-going "$T/sk2.tsv" --dir "$T/s2" -o "$T/list2.feat" "$T/clips.list" -- wav2mfcc --list
  [ -e "$T/sk2.tsv" ] && [ ! -s "$T/sk2.tsv" ]
  # a shard that fails for another reason still fails the run (here a usage error, exit 2)
  run "$SHARD" --nj 2 --keep-going "$T/sk3.tsv" --dir "$T/s3" -o "$T/list3.feat" "$T/clips.list" \
    -- wav2mfcc --n-mfcc 0 --list
  [ "$status" -eq 1 ]
  [[ "$output" == *"shard 1 of 2 failed (code 2); see $T/s3/log/extract.1.log:"* ]]
  [ ! -e "$T/sk3.tsv" ] && [ ! -e "$T/list3.feat" ]
}

@test "extract-sharded.sh: a shard that leaves no output fails the run, naming it" {
  mkdir "$T/bin"
  # an extractor that 'succeeds' without writing shard 2
  printf '#!/bin/sh\ncase "$1" in *list.2) exit 0 ;; esac\ncp "$1" "$3"\n' >"$T/bin/lazy"
  chmod +x "$T/bin/lazy"
  run "$SHARD" --nj 3 --dir "$T/s" -o "$T/out" "$T/clips.list" -- "$T/bin/lazy"
  [ "$status" -eq 1 ]
  [[ "$output" == *"shard 2 of 3 left no $T/s/out.2; see $T/s/log/extract.2.log"* ]]
  [ ! -e "$T/out" ]
}

@test "extract-sharded.sh: usage errors exit 2" {
  run "$SHARD" --nj 0 --dir "$T/s" -o "$T/o" "$T/clips.list" -- wav2mfcc --list
  [ "$status" -eq 2 ]
  [[ "$output" == *"--nj '0'"* ]]
  run "$SHARD" --dir "$T/s" "$T/clips.list" -- wav2mfcc --list
  [ "$status" -eq 2 ]
  run "$SHARD" --dir "$T/s" -o "$T/o" "$T/clips.list"
  [ "$status" -eq 2 ]
  run "$SHARD" --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"Usage: extract-sharded.sh"* ]]
  run "$SHARD" --dir "$T/s" -o "$T/o" "$T/nonexistent" -- wav2mfcc --list
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/nonexistent: cannot read it"* ]]
}

@test "make experiment NJ=1,2,4 (run.sh), NJ=3 CMD=parallel.sh: TRAIN and TEST features byte-identical to one run" {
  d=$T/demo
  sh "$SENTIO_ROOT/pipelines/demo-data.sh" "$d"
  mk DEMO="$d" OUT="$T/one" DB="$T/e.db" "$T/one/train.feat" "$T/one/test.feat"
  runs=(NJ=1,CMD=pipelines/cmd/run.sh NJ=2 NJ=4)
  command -v parallel >/dev/null && runs+=("NJ=3,CMD=pipelines/cmd/parallel.sh")
  for r in "${runs[@]}"; do
    o=$T/out-${r//[=,\/]/_}
    run mk DEMO="$d" OUT="$o" DB="$T/e.db" JOBS=1 ${r//,/ } "$o/train.feat" "$o/test.feat"
    echo "$output"
    [ "$status" -eq 0 ]
    grep -q 'extract-sharded.sh' <<<"$output"
    cmp "$T/one/train.feat" "$o/train.feat"
    cmp "$T/one/test.feat" "$o/test.feat"
    n=${r#NJ=}; n=${n%%,*}
    [ "$(ls "$o/shards/train/log" | grep -c "^extract\.[0-9]*\.log$")" -eq "$n" ]
    [ "$(ls "$o/shards/test/log" | grep -c "^extract\.[0-9]*\.log$")" -eq "$n" ]
  done
  # NJ and CMD change nothing but speed: not part of the step's stamp, so nothing is redone
  mk -q DEMO="$d" OUT="$T/one" DB="$T/e.db" NJ=2 "$T/one/train.feat" "$T/one/test.feat"
}

@test "make experiment NJ=2: a failed shard fails the step, naming the shard" {
  d=$T/data
  mkdir -p "$d/TRAIN"
  printf 'Filename,Class\n' >"$d/TRAIN.csv"
  for c in short silence speech22k notaudio; do
    cp "$FIXTURES/$c.wav" "$d/TRAIN/"
    echo "$c.wav,Neutral" >>"$d/TRAIN.csv"
  done
  run mk experiment DATA="$d" OUT="$T/out" DB="$T/e.db" NJ=2
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"shard 2 of 2 failed (code 1); see $T/out/shards/train/log/extract.2.log"* ]]
  [ ! -e "$T/out/train.feat" ]
}

@test "extract-sharded.sh: wav2egemaps shards are the bytes of one run; make experiment FEATURES=egemaps NJ=2 shards it" {
  [ -x "$SENTIO_BIN/wav2egemaps" ] || skip "wav2egemaps is not built yet"
  wav2egemaps --list "$T/clips.list" -o "$T/whole.feat"
  for n in 1 3; do
    "$SHARD" --nj $n --dir "$T/e$n" -o "$T/eg$n.feat" "$T/clips.list" -- wav2egemaps -j 1 --list
    cmp "$T/whole.feat" "$T/eg$n.feat"
  done
  # the experiment's eGeMAPS steps take the sharded form too (TRAIN here; TEST likewise)
  mkdir "$T/data"
  cp "$T/clips.csv" "$T/data/TRAIN.csv"
  ln -s "$FIXTURES" "$T/data/TRAIN"
  run mk -n experiment FEATURES=egemaps NJ=2 DATA="$T/data" OUT="$T/out" DB="$T/e.db"
  [ "$status" -eq 0 ]
  grep -E 'extract-sharded\.sh .*--nj 2 .*-o [^ ]*/egemaps\.feat .*-- wav2egemaps ' <<<"$output"
  # FEATURES=egemapsx+mfcc: wav2egemaps --extra into egemapsx.feat, pasted before the MFCCs
  run mk -n experiment FEATURES=egemapsx+mfcc NJ=2 DATA="$T/data" OUT="$T/out" DB="$T/e.db"
  [ "$status" -eq 0 ]
  grep -E 'extract-sharded\.sh .*--nj 2 .*-o [^ ]*/egemapsx\.feat .*-- wav2egemaps --extra ' <<<"$output"
  grep -E 'featpaste [^ ]*/egemapsx\.feat [^ ]*/train\.feat -o [^ ]*/egemapsx\+mfcc\.feat' <<<"$output"
  run mk -n experiment FEATURES=egemapsx DATA="$T/data" OUT="$T/out" DB="$T/e.db"
  [ "$status" -eq 0 ]
  grep -E 'wav2egemaps --extra -j [0-9]+ --csv [^ ]*/TRAIN\.csv -o [^ ]*/egemapsx\.feat' <<<"$output"
}

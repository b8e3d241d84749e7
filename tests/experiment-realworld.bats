#!/usr/bin/env bats
# make experiment never loses a clip silently: failed steps leave no output, KEEP_GOING=1
# lists and records the skipped clips, the submission has one row per TEST clip, two
# studies in one store stay apart.

load helper

mk() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -C "$SENTIO_ROOT" --no-print-directory SENTIO_BIN="$SENTIO_BIN" "$@"
}

setup_file() {
  for t in wav2mfcc featsplit nnfit nnpredict metrics; do
    [ -x "$SENTIO_BIN/$t" ] || return 0
  done
  sh "$SENTIO_ROOT/pipelines/demo-data.sh" -j 2 "$BATS_FILE_TMPDIR/demo" >/dev/null 2>&1
}

setup() {
  for t in wav2mfcc featsplit nnfit nnpredict metrics; do
    [ -x "$SENTIO_BIN/$t" ] || skip "$t is not built yet"
  done
  t=$BATS_TEST_TMPDIR
  cp -r "$BATS_FILE_TMPDIR/demo" "$t/data"
}

# break_clip FILE: replaces an audio file by bytes no decoder reads.
break_clip() { echo "not audio" >"$1"; }

@test "a step that fails leaves no output behind: the next run does not take it as done" {
  break_clip "$t/data/TRAIN/0005.wav"
  # --keep-going alone makes wav2mfcc exit 3 after writing the other clips: a failure for make
  run mk experiment DATA="$t/data" OUT="$t/out" DB="$t/e.db" MFCC_OPTS=--keep-going
  echo "$output"
  [ "$status" -ne 0 ]
  [ ! -e "$t/out/train.feat" ]
  [ -z "$(find "$t/out" -name '*.tmp.*')" ]
  # ...so the second run fails the same way instead of going on with a clip fewer
  run mk experiment DATA="$t/data" OUT="$t/out" DB="$t/e.db" MFCC_OPTS=--keep-going
  [ "$status" -ne 0 ]
  [[ "$output" == *"0005.wav: not a readable audio file"* ]]
  [ ! -e "$t/out/split/train.feat" ]
}

# keep_going_study [VARIABLE=VALUE ...]: the demo study under KEEP_GOING=1 with one
# unreadable TRAIN clip and one unreadable TEST clip; checks that it goes on, and that the
# two clips are in the summary, the store and not in the submission.
keep_going_study() {
  break_clip "$t/data/TRAIN/0005.wav"
  break_clip "$t/data/TEST/1003.wav"
  run mk experiment DATA="$t/data" OUT="$t/out" DB="$t/e.db" KEEP_GOING=1 "$@"
  echo "$output"
  [ "$status" -eq 0 ]
  grep -qE '^CNN \| [01]\.[0-9]{4} \| ' <<<"$output"
  grep -qx 'Skipped train clips (KEEP_GOING=1; not in the study):' <<<"$output"
  grep -qx "  0005.wav	not a readable audio file (libsndfile: Format not recognised.)" <<<"$output"
  grep -qx 'Skipped test clips (KEEP_GOING=1; not in the study nor the submission):' <<<"$output"
  grep -q '^  1003.wav	not a readable audio file' <<<"$output"
  [ "$(featdump --info "$t/out/train.feat" | grep '^records')" = "records	$(($(sed 1d "$t/data/TRAIN.csv" | wc -l) - 1))" ]
  # the store: the split run names the skipped TRAIN clip, every TEST prediction run (ANN, CNN, SVM) the TEST one
  [ "$(sqlite3 "$t/e.db" "SELECT p.value FROM params p JOIN runs r ON r.id = p.run_id
        WHERE r.tool = 'featsplit' AND p.key = 'skipped_train'")" = 0005.wav ]
  [ "$(sqlite3 "$t/e.db" "SELECT count(*) FROM params p JOIN runs r ON r.id = p.run_id
        WHERE r.tool = 'nnpredict' AND p.key = 'skipped_test' AND p.value = '1003.wav'")" = 3 ]
  # the submission: every other TEST clip, once
  [ "$(sed 1d "$t/out/TEST_predictions.csv" | wc -l)" = 29 ]
  ! grep -q '^1003.wav,' "$t/out/TEST_predictions.csv"
}

@test "KEEP_GOING=1: the study goes on; skipped clips are in the summary and the store" {
  keep_going_study
}

@test "KEEP_GOING=1 NJ=2: sharded extraction skips, lists and records the clips as NJ=1 does" {
  keep_going_study NJ=2
  grep -q 'extract-sharded\.sh .*--keep-going ' <<<"$output"
  # the features are the bytes of one wav2mfcc --keep-going run
  run wav2mfcc --keep-going --csv "$t/data/TRAIN.csv" -o "$t/one.feat"
  [ "$status" -eq 3 ]
  cmp "$t/one.feat" "$t/out/train.feat"
}

@test "KEEP_GOING=1 FEATURES=egemaps+mfcc NJ=2: wav2egemaps keeps going too, its skipped clips listed" {
  [ -x "$SENTIO_BIN/wav2egemaps" ] && [ -x "$SENTIO_BIN/featpaste" ] || skip "wav2egemaps is not built yet"
  break_clip "$t/data/TRAIN/0005.wav"
  break_clip "$t/data/TEST/1003.wav"
  run mk experiment DATA="$t/data" OUT="$t/out" DB="$t/e.db" KEEP_GOING=1 FEATURES=egemaps+mfcc NJ=2
  echo "$output"
  [ "$status" -eq 0 ]
  grep -qE '^SVM \| [01]\.[0-9]{4} \| ' <<<"$output"
  grep -qx 'Skipped egemaps clips (KEEP_GOING=1; not in the study):' <<<"$output"
  grep -qx 'Skipped test-egemaps clips (KEEP_GOING=1; not in the study nor the submission):' <<<"$output"
  [ "$(cut -f1 "$t/out/egemaps_skipped.tsv")" = 0005.wav ]
  [ "$(cut -f1 "$t/out/test-egemaps_skipped.tsv")" = 1003.wav ]
  [ "$(sed 1d "$t/out/TEST_predictions_svm.csv" | wc -l)" = 29 ]
  # the shards' features are the bytes of one wav2egemaps --keep-going run (as with NJ=1)
  run wav2egemaps -j 2 --keep-going --csv "$t/data/TRAIN.csv" -o "$t/one.feat"
  [ "$status" -eq 3 ]
  cmp "$t/one.feat" "$t/out/egemaps.feat"
}

@test "NJ=2 without KEEP_GOING: an unreadable clip fails the study, naming the clip" {
  break_clip "$t/data/TRAIN/0005.wav"
  run mk experiment DATA="$t/data" OUT="$t/out" DB="$t/e.db" NJ=2
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"extract-sharded.sh: shard 1 of 2 failed (code 1)"* ]]
  [[ "$output" == *"wav2mfcc: $t/data/TRAIN/0005.wav: not a readable audio file"* ]]
  [ ! -e "$t/out/train.feat" ] && [ ! -e "$t/out/train_skipped.tsv" ]
}

@test "the submission has one row per TEST clip, or the step fails naming the missing ones" {
  run mk experiment DATA="$t/data" OUT="$t/out" DB="$t/e.db"
  [ "$status" -eq 0 ]
  [ "$(sed 1d "$t/out/TEST_predictions.csv" | wc -l)" = 30 ]
  # test.feat loses two clips (as an older --keep-going run would have left it)
  featdump --from-text -o "$t/out/test.feat" \
    <(featdump "$t/out/test.feat" | grep -v -e '^1004\.wav' -e '^1017\.wav')
  run mk experiment DATA="$t/data" OUT="$t/out" DB="$t/e.db"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"TEST_predictions_cnn.csv: no row for (2 of 30 TEST clips): 1004.wav 1017.wav"* ]]
  [ ! -e "$t/out/TEST_predictions.csv" ]
  # a TEST clip in a format the step lists but no row for it is caught the same way
  run sh "$SENTIO_ROOT/pipelines/check-submission.sh" "$t/out/TEST_predictions_ann.csv" "$t/data/TEST" '\.wav$'
  [ "$status" -eq 1 ]
}

@test "two studies in one store (same OUT, same folder name) stay apart" {
  mkdir "$t/other"
  cp -r "$t/data" "$t/other/data"
  rm "$t/other/data/TRAIN/0007.wav"
  grep -v '^0007.wav,' "$t/data/TRAIN.csv" >"$t/other/data/TRAIN.csv"
  run mk experiment DATA="$t/data" OUT="$t/out" DB="$t/e.db"
  [ "$status" -eq 0 ]
  run mk experiment DATA="$t/other/data" OUT="$t/out" DB="$t/e.db"
  [ "$status" -eq 0 ]
  # The tags each study's ANN run was given (its command as recorded) tell the two apart.
  tags() { sqlite3 "$t/e.db" "SELECT command FROM runs WHERE tool = 'nnfit' AND name = 'ANN'
             ORDER BY id LIMIT 1 OFFSET $1" | grep -o -e '--tag [^ ]*' | sort | paste -sd' '; }
  echo "first: $(tags 0)"
  echo "second: $(tags 1)"
  [ -n "$(tags 1)" ]
  [ "$(tags 0)" != "$(tags 1)" ]
}

#!/usr/bin/env bats
# make demo-data and make experiment (pipelines/experiment.mk, pipelines/demo-data.sh).

load helper

# make in the checkout, with the tools under test, isolated from any make that runs this suite
# (its MAKEFLAGS would carry its own variables and job server into ours).
mk() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -C "$SENTIO_ROOT" --no-print-directory SENTIO_BIN="$SENTIO_BIN" "$@"
}

need_tools() {
  for t in wav2mfcc featsplit nnfit nnpredict metrics; do
    [ -x "$SENTIO_BIN/$t" ] || skip "$t is not built yet"
  done
}

# The experiment's step commands make echoed, one per line; all_run adds the plots' commands.
steps_run() { grep -E '^(wav2mfcc|featsplit|nnfit|nnpredict|metrics|cp|cd) ' <<<"$1" || true; }
all_run() { grep -E '^((wav2mfcc|featsplit|nnfit|nnpredict|metrics|cp|cd|mkdir|gnuplot|sh) |\S*/plotdata )' <<<"$1" || true; }

@test "demo-data.sh: same bytes every run, whatever the number of jobs" {
  sh "$SENTIO_ROOT/pipelines/demo-data.sh" -j 2 "$BATS_TEST_TMPDIR/a"
  sh "$SENTIO_ROOT/pipelines/demo-data.sh" -j 3 "$BATS_TEST_TMPDIR/b"
  diff -r "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
  [ -z "$(ls -d "$BATS_TEST_TMPDIR"/*.tmp.* 2>/dev/null)" ]
}

@test "demo-data.sh: a balanced Kaggle-layout set of 22050 Hz mono 16-bit WAVs" {
  d=$BATS_TEST_TMPDIR/demo
  sh "$SENTIO_ROOT/pipelines/demo-data.sh" "$d"
  [ "$(head -n 1 "$d/TRAIN.csv")" = "Filename,Class" ]
  # every row is NAME.wav,CLASS; no CR, no quotes, no blank lines
  run grep -cvE '^[0-9]{4}\.wav,(Positive|Neutral|Negative)$' <(sed 1d "$d/TRAIN.csv")
  [ "$output" = 0 ]
  n=$(sed 1d "$d/TRAIN.csv" | wc -l)
  [ "$n" -ge 120 ]
  for c in Positive Neutral Negative; do
    [ "$(grep -c ",$c\$" "$d/TRAIN.csv")" -eq $((n / 3)) ]
  done
  # TRAIN/ holds exactly the files the CSV names; TEST/ at least 30 others
  diff <(sed 1d "$d/TRAIN.csv" | cut -d, -f1 | sort) <(ls "$d/TRAIN" | sort)
  [ "$(ls "$d/TEST" | wc -l)" -ge 30 ]
  [ -z "$(comm -12 <(ls "$d/TRAIN") <(ls "$d/TEST"))" ]
  # the answers for TEST/, balanced too
  diff <(sed 1d "$d/TEST_solution.csv" | cut -d, -f1 | sort) <(ls "$d/TEST" | sort)
  wavs=("$d"/TRAIN/*.wav "$d"/TEST/*.wav)
  [ "$(soxi -t "${wavs[@]}" | sort -u)" = wav ]
  [ "$(soxi -r "${wavs[@]}" | sort -u)" = 22050 ]
  [ "$(soxi -c "${wavs[@]}" | sort -u)" = 1 ]
  [ "$(soxi -b "${wavs[@]}" | sort -u)" = 16 ]
  [ "$(soxi -e "${wavs[@]}" | sort -u)" = "Signed Integer PCM" ]
  # speech of a sensible length, not clipped
  soxi -D "${wavs[@]}" | awk '$1 < 1 || $1 > 8 { exit 1 }'
  for f in "$d"/TRAIN/000[1-9].wav; do
    sox "$f" -n stat 2>&1 | awk '/^Maximum amplitude/ { exit !($3 < 0.999) }'
  done
}

@test "demo-data.sh: never replaces a folder it did not make" {
  d=$BATS_TEST_TMPDIR/mine
  mkdir "$d" && echo precious >"$d/notes.txt"
  run sh "$SENTIO_ROOT/pipelines/demo-data.sh" "$d"
  [ "$status" -eq 1 ]
  [[ "$output" == *"not a sentio demo set"* ]]
  [ "$(cat "$d/notes.txt")" = precious ]
  run sh "$SENTIO_ROOT/pipelines/demo-data.sh" -j 0 "$d"
  [ "$status" -eq 2 ]
}

@test "demo-data.sh: a failed synthesis leaves no folder behind" {
  mkdir "$BATS_TEST_TMPDIR/stub"
  printf '#!/bin/sh\necho "espeak-ng: broken" >&2; exit 1\n' >"$BATS_TEST_TMPDIR/stub/espeak-ng"
  chmod +x "$BATS_TEST_TMPDIR/stub/espeak-ng"
  PATH="$BATS_TEST_TMPDIR/stub:$PATH" run sh "$SENTIO_ROOT/pipelines/demo-data.sh" "$BATS_TEST_TMPDIR/d"
  [ "$status" -eq 1 ]
  [[ "$output" == *"failed to synthesise TRAIN/"* ]]
  [ -z "$(ls "$BATS_TEST_TMPDIR" | grep -v '^stub$')" ]
}

@test "make demo-data: makes DEMO once; a second run has nothing to do" {
  d=$BATS_TEST_TMPDIR/demo
  mk demo-data DEMO="$d"
  [ -f "$d/TRAIN.csv" ] && [ -d "$d/TEST" ]
  mk -q DEMO="$d" "$d/TRAIN.csv"
}

@test "make experiment: DATA without TRAIN.csv, or an unknown SUBMIT model, is a clear error" {
  mkdir "$BATS_TEST_TMPDIR/empty"
  run mk experiment DATA="$BATS_TEST_TMPDIR/empty" OUT="$BATS_TEST_TMPDIR/out" DB="$BATS_TEST_TMPDIR/e.db"
  [ "$status" -ne 0 ]
  [[ "$output" == *"has no TRAIN.csv"* ]]
  run mk experiment DEMO="$BATS_TEST_TMPDIR/demo" SUBMIT=rf OUT="$BATS_TEST_TMPDIR/out" DB="$BATS_TEST_TMPDIR/e.db"
  [ "$status" -ne 0 ]
  [[ "$output" == *"SUBMIT=rf: give one of ann cnn svm"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/e.db" ]
  run mk experiment DEMO="$BATS_TEST_TMPDIR/demo" FEATURES=mel OUT="$BATS_TEST_TMPDIR/out" DB="$BATS_TEST_TMPDIR/e.db"
  [ "$status" -ne 0 ]
  [[ "$output" == *"FEATURES=mel: give mfcc, egemaps, egemaps+mfcc, egemapsx or egemapsx+mfcc"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/e.db" ]
}

@test "make experiment on the demo set: table from the store, reports, TEST predictions; incremental; reproducible" {
  need_tools
  t=$BATS_TEST_TMPDIR
  args=(DEMO="$t/demo" OUT="$t/out" DB="$t/e.db")
  run mk experiment "${args[@]}"
  echo "$output"
  [ "$status" -eq 0 ]
  # the seed's table, one row per model, from the store
  grep -qx 'Model | Validation Accuracy | Validation Loss' <<<"$output"
  grep -qE '^ANN \| [01]\.[0-9]{4} \| [0-9]+\.[0-9]{4}$' <<<"$output"
  grep -qE '^CNN \| [01]\.[0-9]{4} \| [0-9]+\.[0-9]{4}$' <<<"$output"
  grep -qE '^SVM \| [01]\.[0-9]{4} \| [0-9]+\.[0-9]{4}$' <<<"$output"
  table=$(grep -E '^(ANN|CNN|SVM) \|' <<<"$output")
  # the demo set is learnable: every model well above chance (1/3)
  awk -F' [|] ' '{ if ($2 < 0.6) exit 1 }' <<<"$table"
  # every run finished, each tool ran, and all of them carry this experiment's tag
  [ "$(sqlite3 "$t/e.db" "SELECT count(*) FROM runs WHERE status != 'finished'")" = 0 ]
  [ "$(sqlite3 "$t/e.db" "SELECT group_concat(tool || ':' || name, ' ') FROM (SELECT tool, name FROM runs ORDER BY tool, name)")" = \
    "featsplit:split metrics:ANN metrics:CNN metrics:SVM nnfit:ANN nnfit:CNN nnpredict:ANN nnpredict:ANN nnpredict:CNN nnpredict:CNN nnpredict:SVM nnpredict:SVM svmfit:SVM" ]
  [ "$(sqlite3 "$t/e.db" "SELECT count(DISTINCT run_id) FROM params WHERE key = 'experiment' AND value = '$t/out'")" = 13 ]
  [ "$(sqlite3 "$t/e.db" "SELECT count(DISTINCT run_id) FROM params WHERE key = 'dataset' AND value = 'demo'")" = 13 ]
  # OUT keeps every intermediate
  for f in train.feat split/train.feat split/val.feat ann.nn cnn.nn svm.svm ann_val.tsv cnn_val.tsv \
    svm_val.tsv ann_report.txt cnn_report.txt svm_report.txt test.feat TEST_predictions_ann.csv \
    TEST_predictions_cnn.csv TEST_predictions_svm.csv; do
    [ -s "$t/out/$f" ]
  done
  # the experiment ends with `make plots` when a plots recipe exists
  if [ -f "$SENTIO_ROOT/pipelines/plots.mk" ]; then
    [ -s "$t/out/plots/ann_loss.png" ] && [ -s "$t/out/plots/cnn_confusion.png" ]
  fi
  # the submission: the CNN's, one row per TEST clip, keyed by bare file name
  cmp "$t/out/TEST_predictions.csv" "$t/out/TEST_predictions_cnn.csv"
  [ "$(head -n 1 "$t/out/TEST_predictions.csv")" = "Filename,Class" ]
  diff <(sed 1d "$t/out/TEST_predictions.csv" | cut -d, -f1) <(cd "$t/demo/TEST" && LC_ALL=C ls)
  run grep -cvE '^[0-9]{4}\.wav,(Positive|Neutral|Negative)$' <(sed 1d "$t/out/TEST_predictions.csv")
  [ "$output" = 0 ]
  # ...and it beats chance on the hidden answers
  right=$(join -t, <(sed 1d "$t/out/TEST_predictions.csv" | sort) <(sed 1d "$t/demo/TEST_solution.csv" | sort) |
    awk -F, '$2 == $3' | wc -l)
  [ "$right" -ge 18 ]

  # a second run redoes nothing and records nothing
  runs=$(sqlite3 "$t/e.db" "SELECT count(*) FROM runs")
  mk -q "${args[@]}" "$t/out/TEST_predictions.csv" "$t/out/ann_report.txt" "$t/out/cnn_report.txt"
  run mk experiment "${args[@]}"
  [ "$status" -eq 0 ]
  [ -z "$(all_run "$output")" ]
  grep -qx "$(head -n 1 <<<"$table")" <<<"$output"
  [ "$(sqlite3 "$t/e.db" "SELECT count(*) FROM runs")" = "$runs" ]

  # from scratch (same OUT and DB paths): the same bytes and the same numbers
  mkdir "$t/first"
  cp -r "$t/out/." "$t/first/"
  rm -rf "$t/out" "$t/e.db"*
  run mk experiment "${args[@]}"
  [ "$status" -eq 0 ]
  [ "$(grep -E '^(ANN|CNN|SVM) \|' <<<"$output")" = "$table" ]
  for f in train.feat split/train.feat split/val.feat ann.nn cnn.nn svm.svm ann_val.tsv cnn_val.tsv \
    svm_val.tsv ann_report.txt cnn_report.txt test.feat TEST_predictions.csv TEST_predictions_ann.csv \
    TEST_predictions_svm.csv; do
    cmp "$t/first/$f" "$t/out/$f"
  done

  # a changed option redoes only the steps downstream of it
  run mk experiment "${args[@]}" FIT_OPTS="--seed 2"
  [ "$status" -eq 0 ]
  ran=$(steps_run "$output" | cut -d' ' -f1 | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')
  [ "$ran" = "cp=1 metrics=2 nnfit=2 nnpredict=4 " ]
}

@test "make experiment on sentimiento_es: finishes, predicts TEST/, records both models" {
  skip_without_shared
  [ -f "$SHARED/data/sentimiento_es/TRAIN.csv" ] || skip "no sentimiento_es"
  need_tools
  t=$BATS_TEST_TMPDIR
  run mk experiment DATA="$SHARED/data/sentimiento_es" OUT="$t/out" DB="$t/e.db"
  echo "$output"
  [ "$status" -eq 0 ]
  table=$(grep -E '^(ANN|CNN) \|' <<<"$output")
  [ "$(wc -l <<<"$table")" -eq 2 ]
  # a sanity bound: nnfit's own suite holds the models to the issue's 0.95
  awk -F' [|] ' '{ if ($2 < 0.8) exit 1 }' <<<"$table"
  [ "$(sqlite3 "$t/e.db" "SELECT count(*) FROM runs WHERE status = 'finished' AND tool = 'nnfit'")" = 2 ]
  [ "$(sqlite3 "$t/e.db" "SELECT DISTINCT value FROM params WHERE key = 'dataset'")" = sentimiento_es ]
  [ "$(head -n 1 "$t/out/TEST_predictions.csv")" = "Filename,Class" ]
  diff <(sed 1d "$t/out/TEST_predictions.csv" | cut -d, -f1) <(cd "$SHARED/data/sentimiento_es/TEST" && LC_ALL=C ls)
}

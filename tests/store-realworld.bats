#!/usr/bin/env bats
# The experiment store on runs made by the tools themselves (never rows inserted by
# hand): output hashes and lineage, the everyday queries, runs cut short by a closed
# pipe, a file size limit or a store that refuses the record, read-only stores.

load helper
load nnstreams

QUERIES="$SENTIO_ROOT/pipelines/queries"

setup() {
  cd "$BATS_TEST_TMPDIR"
  export SENTIO_GIT_REV=0123abcd
  synth_stream 120 1 > all.feat
}

q() { sqlite3 -batch -noheader s.db "$@"; }
sha() { sha256sum < "$1" | cut -d' ' -f1; }
param() { q "SELECT value FROM params WHERE run_id = $1 AND key = '$2'"; }

# study DATASET: split, ANN and CNN, validation predictions and their scores, all recorded.
study() {
  featsplit --sklearn --seed 42 --db s.db --tag dataset="$1" all.feat --train tr.feat --val va.feat 2>/dev/null
  for arch in ann cnn; do
    nnfit --arch $arch --epochs 15 --seed 1 --val va.feat --db s.db --tag dataset="$1" --run-name "$arch" \
      -o "$arch.nn" tr.feat 2>/dev/null
    nnpredict -m "$arch.nn" --db s.db --run-name "$arch" va.feat > "$arch.tsv"
    metrics --db s.db --run-name "$arch" -o "${arch}_report.txt" "$arch.tsv"
  done
}

@test "every file a tool writes has its SHA-256 in the store, stdout included" {
  study demo
  split=$(q "SELECT id FROM runs WHERE tool = 'featsplit'")
  [ "$(param "$split" train_sha256)" = "$(sha tr.feat)" ]
  [ "$(param "$split" val_sha256)" = "$(sha va.feat)" ]
  for arch in ann cnn; do
    fit=$(q "SELECT id FROM runs WHERE tool = 'nnfit' AND name = '$arch'")
    pred=$(q "SELECT id FROM runs WHERE tool = 'nnpredict' AND name = '$arch'")
    met=$(q "SELECT id FROM runs WHERE tool = 'metrics' AND name = '$arch'")
    [ "$(param "$fit" output_sha256)" = "$(sha "$arch.nn")" ]
    [ "$(q "SELECT sha256 FROM models WHERE run_id = $fit")" = "$(sha "$arch.nn")" ]
    [ "$(param "$fit" input_sha256)" = "$(sha tr.feat)" ]
    [ "$(param "$pred" output_sha256)" = "$(sha "$arch.tsv")" ]   # written to stdout
    [ "$(param "$met" input_sha256)" = "$(sha "$arch.tsv")" ]
    [ "$(param "$met" output_sha256)" = "$(sha "${arch}_report.txt")" ]
  done
}

@test "best-runs.sql follows the lineage of real runs: one row per dataset and architecture" {
  study demo
  cp all.feat first.feat
  synth_stream 120 7 > all.feat
  study other
  run sqlite3 -batch -noheader s.db < "$QUERIES/best-runs.sql"
  printf '%s\n' "${lines[@]}"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 4 ]
  # each row names the metrics run and the nnfit run of that dataset, and the accuracy metrics printed
  for i in 0 1 2 3; do
    IFS='|' read -r dataset arch met fit acc ll <<<"${lines[$i]}"
    [ "$(q "SELECT name FROM runs WHERE id = $fit")" = "$arch" ]
    [ "$(param "$fit" dataset)" = "$dataset" ]
    [ "$(q "SELECT name FROM runs WHERE id = $met")" = "$arch" ]
    [ "$(q "SELECT round(value, 4) FROM metrics WHERE run_id = $met AND key = 'accuracy'")" = "$acc" ]
  done
  [ "$(printf '%s\n' "${lines[@]}" | cut -d'|' -f1,2 | paste -sd' ')" = "demo|ann demo|cnn other|ann other|cnn" ]
}

@test "make best-runs prints the study's two models after a real make experiment" {
  for t in wav2mfcc featsplit nnfit nnpredict metrics; do
    [ -x "$SENTIO_BIN/$t" ] || skip "$t is not built yet"
  done
  sh "$SENTIO_ROOT/pipelines/demo-data.sh" demo >/dev/null 2>&1
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$SENTIO_ROOT" --no-print-directory \
    SENTIO_BIN="$SENTIO_BIN" experiment DATA="$PWD/demo" OUT="$PWD/out" DB="$PWD/e.db" >/dev/null 2>&1
  run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$SENTIO_ROOT" --no-print-directory best-runs DB="$PWD/e.db"
  echo "$output"
  [ "$status" -eq 0 ]
  grep -qE '^demo +ann +[0-9]+ +[0-9]+ +0\.[0-9]+' <<<"$output"
  grep -qE '^demo +cnn +[0-9]+ +[0-9]+ +0\.[0-9]+' <<<"$output"
}

@test "diff-runs shows the results beside the differing parameters, and says when a run does not exist" {
  featsplit --sklearn --seed 42 all.feat --train tr.feat --val va.feat 2>/dev/null
  nnfit --epochs 5 --seed 1 --val va.feat --db s.db -o a.nn tr.feat 2>/dev/null
  nnfit --epochs 8 --seed 1 --val va.feat --db s.db -o b.nn tr.feat 2>/dev/null
  nnpredict -m a.nn va.feat | metrics --db s.db >/dev/null
  nnpredict -m b.nn va.feat | metrics --db s.db --digits 3 >/dev/null
  run sqlite3 -batch -noheader -cmd '.param set :a 1' -cmd '.param set :b 2' s.db < "$QUERIES/diff-runs.sql"
  echo "$output"
  [ "$status" -eq 0 ]
  grep -qx "epochs|5|8" <<<"$output"
  bv() { q "SELECT value FROM metrics WHERE run_id = $1 AND key = 'best_val_loss'"; }
  grep -qx "result.best_val_loss|$(bv 1)|$(bv 2)" <<<"$output"
  run sqlite3 -batch -noheader -cmd '.param set :a 3' -cmd '.param set :b 4' s.db < "$QUERIES/diff-runs.sql"
  echo "$output"
  acc() { q "SELECT value FROM metrics WHERE run_id = $1 AND key = '$2' AND step = 0"; }
  grep -qx "digits|2|3" <<<"$output"
  grep -qx "result.accuracy|$(acc 3 accuracy)|$(acc 4 accuracy)" <<<"$output"
  grep -qx "result.log_loss|$(acc 3 log_loss)|$(acc 4 log_loss)" <<<"$output"
  # a run that does not exist is named, by the query and by make
  run sqlite3 -batch -noheader -cmd '.param set :a 1' -cmd '.param set :b 99' s.db < "$QUERIES/diff-runs.sql"
  grep -qx "run.exists|yes|no such run" <<<"$output"
  run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$SENTIO_ROOT" --no-print-directory diff-runs \
    DB="$PWD/s.db" A=1 B=99
  [ "$status" -ne 0 ]
  [[ "$output" == *"no run 99 in $PWD/s.db"* ]]
}

@test "a closed pipe or a file size limit: the run is marked failed, no temporary is left" {
  for i in $(seq 40); do cat all.feat; done > big.feat
  nnfit --epochs 3 all.feat -o m.nn 2>/dev/null
  # the reader of stdout goes away: a write error, not a silent death
  run bash -c "nnpredict() { '$SENTIO_BIN/nnpredict' \"\$@\"; }; nnpredict -m m.nn --db s.db big.feat 2>/dev/null | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}"
  [ "$output" = 1 ]
  [ "$(q "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = failed ]
  # a file size limit (ulimit -f, in KiB here): the same
  run bash -c "ulimit -f 300; '$SENTIO_BIN/featsplit' --db s.db big.feat --train tr.feat --val va.feat"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"tr.feat: write error: File too large"* ]]
  [ "$(q "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = failed ]
  [ ! -e tr.feat ] && [ ! -e va.feat ]
  [ -z "$(ls | grep '\.tmp\.')" ]
  # only the messages go to a closed pipe: the run finishes and installs its model
  nnfit --epochs 40 --db s.db all.feat -o m2.nn 2>&1 | head -1 >/dev/null
  [ "$(q "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = finished ]
  [ -s m2.nn ] && [ -z "$(ls | grep '\.tmp\.')" ]
  # without a store, a closed pipe ends the tool as it ends any filter (SIGPIPE, quietly),
  # and its other output's temporary goes with it
  run bash -c "'$SENTIO_BIN/featsplit' big.feat --train - --val va.feat 2>err.txt | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}"
  [ "$output" = 141 ]
  [ ! -s err.txt ] && [ ! -e va.feat ] && [ -z "$(ls | grep '\.tmp\.')" ]
}

@test "nnfit and svmfit stopped by SIGINT, SIGTERM or SIGHUP: the run ends failed, the tool dies of the signal, no temporary" {
  for sig in INT TERM HUP; do
    echo old > m.nn
    stop_midway $sig "m.nn.tmp*" "$SENTIO_BIN/nnfit" -j 2 --epochs 1000000 --db s.db all.feat -o m.nn 2>/dev/null
    [ "$status" -eq $((128 + $(kill -l $sig))) ] || { echo "$sig: status $status"; false; }
    [ "$(q "SELECT tool, status FROM runs ORDER BY id DESC LIMIT 1")" = "nnfit|failed" ]
    [ "$(cat m.nn)" = old ]
    [ -z "$(ls | grep '\.tmp\.')" ]
  done
  # svmfit's grid search: the same (noisy labels, so that the grid takes a while)
  synth_stream 1500 2 40 noise > noisy.feat
  stop_midway TERM "m.svm.tmp*" "$SENTIO_BIN/svmfit" --grid --db s.db noisy.feat -o m.svm 2>/dev/null
  [ "$status" -eq $((128 + $(kill -l TERM))) ]
  [ "$(q "SELECT tool, status FROM runs ORDER BY id DESC LIMIT 1")" = "svmfit|failed" ]
  [ ! -e m.svm ] && [ -z "$(ls | grep '\.tmp\.')" ]
  # no run was left running
  [ "$(q "SELECT count(*) FROM runs WHERE status = 'running'")" = 0 ]
}

@test "a run that cannot be recorded at its end leaves no new output" {
  echo old > m.nn
  nnfit --epochs 1500 --db s.db all.feat -o m.nn 2>/dev/null &
  pid=$!
  for ((i = 0; i < 200; i++)); do
    [ "$(q "SELECT count(*) FROM runs WHERE status = 'running'" 2>/dev/null)" = 1 ] && break
    sleep 0.02
  done
  # another process gives up on the run (as store_open does for a dead one): it cannot finish
  q "UPDATE runs SET status = 'failed' WHERE status = 'running'"
  kill -0 $pid
  status=0
  wait $pid || status=$?
  [ "$status" -eq 1 ]
  [ "$(cat m.nn)" = old ]
  [ -z "$(ls | grep '\.tmp\.')" ]
}

@test "plotdata reads a store in a directory it cannot write" {
  nnfit --epochs 5 --val all.feat --db s.db all.feat -o m.nn 2>/dev/null
  d=$(mktemp -d /tmp/sentio-ro.XXXXXX)
  cp s.db "$d/"
  chmod 755 "$d"
  chmod 444 "$d/s.db"
  chmod 555 "$d"
  if [ "$(id -u)" = 0 ]; then
    as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
  else
    as_reader() { "$@"; }
  fi
  run as_reader "$SENTIO_BIN/plotdata" curves --db "$d/s.db" --run 1
  chmod 755 "$d"
  rm -rf "$d"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(grep -vc '^#' <<<"$output")" -ge 5 ]
}

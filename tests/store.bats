#!/usr/bin/env bats
# The experiment store (man 5 sentio-store), exercised through `metrics --db`,
# and the man page's everyday queries (pipelines/queries/*.sql), on runs the tools
# made (tests/store-realworld.bats: lineage, best-runs, signals, read-only stores).

load helper
load nnstreams

QUERIES="$SENTIO_ROOT/pipelines/queries"

setup() {
  cd "$BATS_TEST_TMPDIR"
  export SENTIO_GIT_REV=0123abcd
  {
    printf 'key\tlabel\tpred\tp_Negative\tp_Neutral\tp_Positive\n'
    printf 'a.wav\tNegative\tNegative\t0.8\t0.1\t0.1\n'
    printf 'b.wav\tNeutral\tNegative\t0.5\t0.3\t0.2\n'
    printf 'c.wav\tPositive\tPositive\t0.2\t0.2\t0.6\n'
    printf 'd.wav\tNeutral\tNeutral\t0.1\t0.6\t0.3\n'
    printf 'e.wav\tPositive\tPositive\t0.3\t0.1\t0.6\n'
  } > p.tsv
}

q() { sqlite3 -batch -noheader db.sqlite "$@"; }

@test "store: metrics --db creates the schema, in WAL mode, with its indexes" {
  metrics --db db.sqlite p.tsv > /dev/null
  [ "$(q "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)")" = "metrics models params predictions runs" ]
  [ "$(q 'PRAGMA user_version')" = 1 ]
  [ "$(q 'PRAGMA journal_mode')" = wal ]
  for index in runs_tool_started runs_name params_key_value metrics_key models_sha256; do
    [ "$(q "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '$index'")" = 1 ]
  done
  [ "$(q "PRAGMA foreign_key_list(params)" | cut -d'|' -f3,7)" = "runs|CASCADE" ]
}

@test "store: one finished run per invocation, with its command, version, host, pid and times" {
  metrics --db db.sqlite p.tsv > /dev/null
  metrics --db db.sqlite --run-name ann-val --tag dataset=demo p.tsv > /dev/null
  [ "$(q 'SELECT count(*) FROM runs')" = 2 ]
  [ "$(q "SELECT name, tool, status FROM runs ORDER BY id")" = "metrics|metrics|finished
ann-val|metrics|finished" ]
  [ "$(q 'SELECT command FROM runs WHERE id = 2')" = "$SENTIO_BIN/metrics --db db.sqlite --run-name ann-val --tag dataset=demo p.tsv" ]
  [ "$(q 'SELECT version FROM runs WHERE id = 2')" = "$(metrics --version | sed 's/.* //')" ]
  [ "$(q 'SELECT git_rev FROM runs WHERE id = 2')" = 0123abcd ]
  [ "$(q 'SELECT host FROM runs WHERE id = 2')" = "$(hostname)" ]
  [ "$(q 'SELECT seed IS NULL AND pid > 0 FROM runs WHERE id = 2')" = 1 ]
  [ "$(q "SELECT started GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z' AND finished >= started FROM runs WHERE id = 2")" = 1 ]
}

@test "store: params hold every option after defaults, the tags and the input's sha256" {
  metrics --db db.sqlite --tag dataset=demo --tag split=val -o report.txt p.tsv
  [ "$(q "SELECT group_concat(key || '=' || value, ' ') FROM (SELECT * FROM params WHERE key NOT IN ('input_sha256', 'output_sha256') ORDER BY key)")" = "dataset=demo digits=2 format=text group= output=report.txt split=val utt2spk= zero_division=warn" ]
  [ "$(q "SELECT value FROM params WHERE key = 'input_sha256'")" = "$(sha256sum < p.tsv | cut -d' ' -f1)" ]
  [ "$(q "SELECT value FROM params WHERE key = 'output_sha256'")" = "$(sha256sum < report.txt | cut -d' ' -f1)" ]
  # over two inputs: the sha256 of their concatenation, as read
  cp p.tsv q.tsv
  metrics --db db.sqlite -f json --digits 3 p.tsv q.tsv > /dev/null
  [ "$(q "SELECT value FROM params WHERE key = 'input_sha256' ORDER BY run_id DESC LIMIT 1")" = "$(cat p.tsv q.tsv | sha256sum | cut -d' ' -f1)" ]
  [ "$(q "SELECT value FROM params WHERE key = 'digits' ORDER BY run_id DESC LIMIT 1")" = 3 ]
}

@test "store: the metrics recorded equal the tool's own figures" {
  metrics --db db.sqlite p.tsv -f json > out.json
  acc=$(sed 's/.*"accuracy":\([^,]*\),.*/\1/' out.json)
  ll=$(sed 's/.*"log_loss":\([^,]*\),.*/\1/' out.json)
  [ "$(q "SELECT value = $acc FROM metrics WHERE key = 'accuracy' AND step = 0")" = 1 ]
  [ "$(q "SELECT value = $ll FROM metrics WHERE key = 'log_loss'")" = 1 ]
  [ "$(q "SELECT value FROM metrics WHERE key = 'n'")" = 5.0 ]
  [ "$(q "SELECT count(*) FROM metrics WHERE key GLOB '*/*'")" = 12 ]
  [ "$(q "SELECT value FROM metrics WHERE key = 'support/Neutral'")" = 2.0 ]
  [ "$(q "SELECT value FROM metrics WHERE key = 'recall/Neutral'")" = 0.5 ]
  [ "$(q "SELECT group_concat(key, ' ') FROM (SELECT key FROM metrics WHERE key NOT GLOB '*/*' ORDER BY key)")" = "accuracy log_loss macro_f1 n weighted_f1" ]
}

@test "store: a run that fails on bad input is 'failed' with no params or metrics" {
  printf 'key\tlabel\tpred\tp_A\tp_B\nx\t\tA\t0.5\t0.5\n' > unlabelled.tsv
  run metrics --db db.sqlite --tag dataset=demo unlabelled.tsv
  [ "$status" -eq 1 ]
  [ "$(q 'SELECT status, finished IS NOT NULL FROM runs')" = "failed|1" ]
  [ "$(q 'SELECT count(*) FROM params')" = 0 ]
  [ "$(q 'SELECT count(*) FROM metrics')" = 0 ]
  run metrics --db db.sqlite missing.tsv
  [ "$(q "SELECT status FROM runs WHERE id = 2")" = failed ]
}

@test "store: a usage error records no run" {
  metrics --db db.sqlite p.tsv > /dev/null
  run metrics --db db.sqlite --format xml p.tsv
  [ "$status" -eq 2 ]
  [ "$(q 'SELECT count(*) FROM runs')" = 1 ]
}

@test "store: 8 concurrent writers on a new store are all recorded" {
  for i in 1 2 3 4 5 6 7 8; do
    metrics --db db.sqlite --tag i=$i p.tsv > out.$i 2> err.$i &
  done
  wait
  cat err.*
  [ -z "$(cat err.*)" ]
  [ "$(q "SELECT count(*) FROM runs WHERE status = 'finished'")" = 8 ]
  [ "$(q "SELECT count(DISTINCT value) FROM params WHERE key = 'i'")" = 8 ]
  [ "$(q 'SELECT count(*) FROM metrics')" = $((8 * 17)) ]
}

@test "store: a run left 'running' by a dead process is marked failed by the next tool" {
  synth_stream 30 1 > t.feat
  for name in elsewhere crashed; do
    "$SENTIO_BIN/nnfit" --epochs 1000000 --db db.sqlite --run-name $name t.feat -o m.nn 2>/dev/null &
    pid=$!
    wait_for_file "m.nn.tmp*"
    kill -KILL $pid
    wait $pid || true
    rm -f m.nn.tmp*
    # a run of another host is none of this host's business, whatever its pid
    q "UPDATE runs SET host = 'another-host' WHERE name = 'elsewhere'"
  done
  [ "$(q "SELECT count(*) FROM runs WHERE status = 'running'")" = 2 ]
  metrics --db db.sqlite p.tsv > /dev/null
  [ "$(q "SELECT status FROM runs WHERE name = 'crashed'")" = failed ]
  [ "$(q "SELECT status FROM runs WHERE name = 'elsewhere'")" = running ]
}

@test "store: a tag may not override a parameter the tool records" {
  run metrics --db db.sqlite --tag digits=7 p.tsv
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: db.sqlite: tag 'digits' not recorded: the tool records a parameter of that name"* ]]
  [ "$(q "SELECT value FROM params WHERE key = 'digits'")" = 2 ]
}

@test "store: files that are not a sentio store are refused and left alone" {
  echo "just some text, certainly not a SQLite database header at all" > notes.txt
  cp notes.txt before.txt
  run metrics --db notes.txt p.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == "metrics: notes.txt: "*"not a database"* ]]
  cmp notes.txt before.txt
  sqlite3 other.db 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
  run metrics --db other.db p.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == "metrics: other.db: a SQLite database, but not a sentio store"* ]]
  metrics --db db.sqlite p.tsv > /dev/null
  q 'PRAGMA user_version = 2'
  run metrics --db db.sqlite p.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == *"schema version 2, newer than this sentio's 1"* ]]
  run metrics --db no/such/dir/x.db p.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == "metrics: no/such/dir/x.db: cannot open the store"* ]]
}

@test "store: SENTIO_GIT_REV empty records no revision" {
  SENTIO_GIT_REV= metrics --db db.sqlite p.tsv > /dev/null
  [ "$(q 'SELECT git_rev IS NULL FROM runs')" = 1 ]
}

# --- the everyday queries, on runs as nnfit and nnpredict record them -------

@test "store: query 'last N runs with their accuracy' (man 5 sentio-store)" {
  synth_stream 60 1 > t.feat
  synth_stream 30 2 > v.feat
  nnfit --epochs 12 --val v.feat --db db.sqlite --run-name fit t.feat -o m.nn 2>/dev/null
  metrics --db db.sqlite p.tsv > /dev/null
  metrics --db db.sqlite --run-name second p.tsv > /dev/null
  run sqlite3 -batch -noheader -cmd '.param set :n 2' db.sqlite < "$QUERIES/last-runs.sql"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 2 ]
  [[ "${lines[0]}" == "3|second|metrics|finished|"*"|0.8" ]]
  [[ "${lines[1]}" == "2|metrics|metrics|finished|"*"|0.8" ]]
  # default N = 10; the nnfit run shows val_acc at its best epoch
  run sqlite3 -batch -noheader db.sqlite < "$QUERIES/last-runs.sql"
  [ "${#lines[@]}" -eq 3 ]
  best=$(q "SELECT value FROM metrics WHERE run_id = 1 AND key = 'best_epoch'")
  acc=$(q "SELECT round(value, 4) FROM metrics WHERE run_id = 1 AND key = 'val_acc' AND step = $best")
  [[ "${lines[2]}" == "1|fit|nnfit|finished|"*"|$acc" ]]
}

@test "store: query 'two runs side by side, only the parameters that differ'" {
  metrics --db db.sqlite --tag dataset=demo p.tsv > /dev/null
  metrics --db db.sqlite --tag dataset=demo --digits 4 -f json p.tsv > /dev/null
  SENTIO_GIT_REV=feed metrics --db db.sqlite --tag split=val p.tsv > /dev/null
  run sqlite3 -batch -noheader -cmd '.param set :a 1' -cmd '.param set :b 2' db.sqlite < "$QUERIES/diff-runs.sql"
  [ "$status" -eq 0 ]
  [ "$output" = "digits|2|4
format|text|json
output_sha256|$(metrics p.tsv | sha256sum | cut -d' ' -f1)|$(metrics --digits 4 -f json p.tsv | sha256sum | cut -d' ' -f1)
result.accuracy|0.8|0.8
result.log_loss|$(q "SELECT value FROM metrics WHERE run_id = 1 AND key = 'log_loss'")|$(q "SELECT value FROM metrics WHERE run_id = 2 AND key = 'log_loss'")" ]
  run sqlite3 -batch -noheader -cmd '.param set :a 1' -cmd '.param set :b 3' db.sqlite < "$QUERIES/diff-runs.sql"
  [ "$output" = "dataset|demo|
result.accuracy|0.8|0.8
result.log_loss|$(q "SELECT value FROM metrics WHERE run_id = 1 AND key = 'log_loss'")|$(q "SELECT value FROM metrics WHERE run_id = 3 AND key = 'log_loss'")
run.git_rev|0123abcd|feed
split||val" ]
}

@test "store: the man page shows the three queries exactly as tested" {
  man5="$SENTIO_ROOT/man/man5/sentio-store.5"
  # the page's text with roff escapes undone
  page=$(sed -e 's/\\-/-/g' -e 's/\\(aq/'"'"'/g' -e 's/\\e/\\/g' -e 's/^\\&//' "$man5")
  for f in last-runs best-runs diff-runs; do
    while IFS= read -r line; do
      [ -z "$line" ] && continue
      printf '%s\n' "$page" | grep -qxF -- "$line" || { echo "not in the man page: $line"; false; }
    done < "$QUERIES/$f.sql"
  done
}

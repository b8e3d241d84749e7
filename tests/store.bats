#!/usr/bin/env bats
# The experiment store (man 5 sentio-store), exercised through `metrics --db`,
# and the man page's everyday queries (pipelines/queries/*.sql).

load helper

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
  [ "$(q "SELECT group_concat(key || '=' || value, ' ') FROM (SELECT * FROM params WHERE key != 'input_sha256' ORDER BY key)")" = "dataset=demo digits=2 format=text group= output=report.txt split=val utt2spk= zero_division=warn" ]
  [ "$(q "SELECT value FROM params WHERE key = 'input_sha256'")" = "$(sha256sum < p.tsv | cut -d' ' -f1)" ]
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
  metrics --db db.sqlite p.tsv > /dev/null
  sh -c 'exit 0' & dead=$!
  wait $dead
  q "INSERT INTO runs (name, tool, started, status, command, version, host, pid)
     VALUES ('crashed', 'nnfit', '2024-01-01T00:00:00.000Z', 'running', 'nnfit', '0', '$(hostname)', $dead)"
  q "INSERT INTO runs (name, tool, started, status, command, version, host, pid)
     VALUES ('elsewhere', 'nnfit', '2024-01-01T00:00:00.000Z', 'running', 'nnfit', '0', 'another-host', $dead)"
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

# An empty store: the schema as the tools create it, no runs.
new_store() {
  metrics --db db.sqlite p.tsv > /dev/null
  q 'PRAGMA foreign_keys = ON; DELETE FROM runs;'
}

# fake_fit DATASET ARCH MODEL_SHA: an nnfit run that wrote a model (dataset tag on it).
fake_fit() {
  q "INSERT INTO runs (name, tool, started, finished, status, command, version, seed)
       VALUES ('fit-$1-$2', 'nnfit', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.000Z', 'finished', 'nnfit', '0.1.0', 1);
     INSERT INTO params VALUES (last_insert_rowid(), 'arch', '$2');
     INSERT INTO params SELECT max(id), 'dataset', '$1' FROM runs;
     INSERT INTO metrics SELECT max(id), 'best_epoch', 0, 2 FROM runs;
     INSERT INTO metrics SELECT max(id), 'val_acc', 1, 0.5 FROM runs;
     INSERT INTO metrics SELECT max(id), 'val_acc', 2, 0.875 FROM runs;
     INSERT INTO metrics SELECT max(id), 'val_acc', 3, 0.75 FROM runs;
     INSERT INTO models SELECT max(id), 'm.nn', '$3', 100 FROM runs;"
}

# fake_predict MODEL_SHA FILE: an nnpredict run whose output was FILE.
fake_predict() {
  q "INSERT INTO runs (name, tool, started, finished, status, command, version)
       VALUES ('predict', 'nnpredict', '2024-01-01T00:00:02.000Z', '2024-01-01T00:00:03.000Z', 'finished', 'nnpredict', '0.1.0');
     INSERT INTO params VALUES (last_insert_rowid(), 'model_sha256', '$1');
     INSERT INTO params SELECT max(id), 'output_sha256', '$(sha256sum < "$2" | cut -d' ' -f1)' FROM runs;"
}

# predictions FILE ACCURACY_PATTERN: variants of p.tsv with a distinct key suffix
variant() { sed "s/\.wav/-$2.wav/" "$1"; }

@test "store: query 'last N runs with their accuracy' (man 5 sentio-store)" {
  new_store
  fake_fit demo ann m1
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
  [[ "${lines[2]}" == "1|fit-demo-ann|nnfit|finished|2024-01-01T00:00:00.000Z|0.875" ]]
}

@test "store: query 'best run per dataset and architecture' follows the content-hash lineage" {
  # p.tsv: accuracy 0.8; worse.tsv: accuracy 0.6; perfect.tsv: accuracy 1
  sed 's/^d.wav\tNeutral\tNeutral/d.wav\tNeutral\tPositive/' p.tsv > worse.tsv
  sed 's/^b.wav\tNeutral\tNegative/b.wav\tNeutral\tNeutral/' p.tsv > perfect.tsv
  new_store
  fake_fit demo ann m-demo-ann
  fake_fit demo cnn m-demo-cnn
  fake_fit es ann m-es-ann
  fake_fit es cnn m-es-cnn-never-evaluated
  variant p.tsv da1 > da1.tsv;       fake_predict m-demo-ann da1.tsv
  variant perfect.tsv da2 > da2.tsv; fake_predict m-demo-ann da2.tsv
  variant worse.tsv dc > dc.tsv;     fake_predict m-demo-cnn dc.tsv
  variant p.tsv ea > ea.tsv;         fake_predict m-es-ann ea.tsv
  metrics --db db.sqlite --tag dataset=demo da1.tsv > /dev/null
  metrics --db db.sqlite --tag dataset=demo --run-name best-demo-ann da2.tsv > /dev/null
  metrics --db db.sqlite --tag dataset=demo --run-name best-demo-cnn dc.tsv > /dev/null
  metrics --db db.sqlite --run-name best-es-ann ea.tsv > /dev/null   # dataset from the nnfit run's tag
  variant perfect.tsv ea > ea-failed.tsv
  printf 'x\t\tNeutral\t0.1\t0.8\t0.1\n' >> ea-failed.tsv
  run metrics --db db.sqlite ea-failed.tsv                             # a failed run never counts
  [ "$status" -eq 1 ]
  run sqlite3 -batch -noheader db.sqlite < "$QUERIES/best-runs.sql"
  [ "$status" -eq 0 ]
  printf '%s\n' "${lines[@]}"
  [ "${#lines[@]}" -eq 3 ]
  best() { q "SELECT id FROM runs WHERE name = '$1'"; }
  fit() { q "SELECT id FROM runs WHERE name = 'fit-$1'"; }
  [[ "${lines[0]}" == "demo|ann|$(best best-demo-ann)|$(fit demo-ann)|1.0|"* ]]
  [[ "${lines[1]}" == "demo|cnn|$(best best-demo-cnn)|$(fit demo-cnn)|0.6|"* ]]
  [[ "${lines[2]}" == "es|ann|$(best best-es-ann)|$(fit es-ann)|0.8|"* ]]
}

@test "store: query 'two runs side by side, only the parameters that differ'" {
  metrics --db db.sqlite --tag dataset=demo p.tsv > /dev/null
  metrics --db db.sqlite --tag dataset=demo --digits 4 -f json p.tsv > /dev/null
  SENTIO_GIT_REV=feed metrics --db db.sqlite --tag split=val p.tsv > /dev/null
  run sqlite3 -batch -noheader -cmd '.param set :a 1' -cmd '.param set :b 2' db.sqlite < "$QUERIES/diff-runs.sql"
  [ "$status" -eq 0 ]
  [ "$output" = "digits|2|4
format|text|json" ]
  run sqlite3 -batch -noheader -cmd '.param set :a 1' -cmd '.param set :b 3' db.sqlite < "$QUERIES/diff-runs.sql"
  [ "$output" = "dataset|demo|
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

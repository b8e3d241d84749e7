#!/bin/sh
# experiment-table.sh: print the seed's results table from the experiment store.
#
# Usage: sh pipelines/experiment-table.sh DB NAME=PREDICTIONS ...
#
# One row per NAME (a model's run name, e.g. ANN), in the order given, as the seed shows it:
#   Model | Validation Accuracy | Validation Loss
#   ANN | 0.8966 | 0.3123
# filled from the summary metrics (step 0: accuracy, log_loss) of the metrics run that scored
# exactly the file PREDICTIONS (nnpredict's TSV): the store records the sha256 of what metrics
# read as its input_sha256, so the row belongs to those bytes, whoever else shares the store.
# The latest such finished run named NAME wins. For results/ann_val.tsv, by hand:
#   sqlite3 experiments.db "SELECT a.value, l.value FROM runs r
#     JOIN params p ON p.run_id = r.id AND p.key = 'input_sha256'
#     JOIN metrics a ON a.run_id = r.id AND a.key = 'accuracy' AND a.step = 0
#     JOIN metrics l ON l.run_id = r.id AND l.key = 'log_loss' AND l.step = 0
#     WHERE r.tool = 'metrics' AND r.status = 'finished' AND r.name = 'ANN'
#       AND p.value = '$(sha256sum < results/ann_val.tsv | cut -d' ' -f1)'
#     ORDER BY r.id DESC LIMIT 1"
# Exits 1, naming the model, when the store has no such run (a new or emptied store).
set -eu
[ $# -ge 2 ] || { echo "usage: sh experiment-table.sh DB NAME=PREDICTIONS ..." >&2; exit 2; }
db=$1
shift
[ -f "$db" ] || { echo "experiment-table.sh: $db: no such store" >&2; exit 1; }
sql_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

echo "Model | Validation Accuracy | Validation Loss"
for arg in "$@"; do
  name=${arg%%=*} file=${arg#*=}
  hash=$(sha256sum <"$file" | cut -d' ' -f1)
  row=$(sqlite3 -bail -separator ' | ' "$db" "
    SELECT r.name, printf('%.4f', a.value), printf('%.4f', l.value)
    FROM runs r
    JOIN params p ON p.run_id = r.id AND p.key = 'input_sha256'
    JOIN metrics a ON a.run_id = r.id AND a.key = 'accuracy' AND a.step = 0
    JOIN metrics l ON l.run_id = r.id AND l.key = 'log_loss' AND l.step = 0
    WHERE r.tool = 'metrics' AND r.status = 'finished' AND r.name = $(sql_quote "$name")
      AND p.value = '$hash'
    ORDER BY r.id DESC LIMIT 1;")
  if [ -z "$row" ]; then
    echo "experiment-table.sh: $db has no finished metrics run named $name that scored $file" >&2
    echo "experiment-table.sh: (a new or emptied store?) redo the steps: make -B experiment" >&2
    exit 1
  fi
  printf '%s\n' "$row"
done

#!/bin/sh
# experiment-table.sh: print the seed's results table from the experiment store.
#
# Usage: sh pipelines/experiment-table.sh DB EXPERIMENT NAME...
#
# One row per NAME (the run names of the models, e.g. ANN CNN), in that order, as the seed shows it:
#   Model | Validation Accuracy | Validation Loss
#   ANN | 0.8966 | 0.3123
# filled from the summary metrics (step 0: accuracy, log_loss) of the latest finished `metrics`
# run with that name whose `experiment` tag is EXPERIMENT (`make experiment` tags every run with
# the absolute path of its OUT folder, so several experiments can share one store). Exits 1,
# naming the models, when the store has no such run for some NAME.
set -eu
[ $# -ge 3 ] || { echo "usage: sh experiment-table.sh DB EXPERIMENT NAME..." >&2; exit 2; }
db=$1 experiment=$2
shift 2
[ -f "$db" ] || { echo "experiment-table.sh: $db: no such store" >&2; exit 1; }
sql_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

names="" order="CASE l.name" i=0
for n in "$@"; do
  i=$((i + 1))
  names="$names${names:+, }$(sql_quote "$n")"
  order="$order WHEN $(sql_quote "$n") THEN $i"
done

# The same query by hand, e.g. for results/ in experiments.db:
#   sqlite3 -header -separator ' | ' experiments.db "SELECT ... p.value = '$PWD/results' ..."
table=$(sqlite3 -bail -header -separator ' | ' "$db" "
WITH latest AS (
  SELECT r.name, max(r.id) AS id
  FROM runs r JOIN params p ON p.run_id = r.id
  WHERE r.tool = 'metrics' AND r.status = 'finished' AND r.name IN ($names)
    AND p.key = 'experiment' AND p.value = $(sql_quote "$experiment")
  GROUP BY r.name)
SELECT l.name AS \"Model\",
  printf('%.4f', (SELECT value FROM metrics WHERE run_id = l.id AND key = 'accuracy' AND step = 0))
    AS \"Validation Accuracy\",
  printf('%.4f', (SELECT value FROM metrics WHERE run_id = l.id AND key = 'log_loss' AND step = 0))
    AS \"Validation Loss\"
FROM latest l ORDER BY $order END;")
rows=$(printf '%s\n' "$table" | sed 1d | grep -c . || true)
if [ "$rows" -ne $# ]; then
  echo "experiment-table.sh: $db has no finished metrics runs of experiment $experiment for some of: $*" >&2
  echo "experiment-table.sh: (a new or emptied store?) rerun the steps with: make -B experiment" >&2
  exit 1
fi
printf '%s\n' "$table"

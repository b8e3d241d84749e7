#!/bin/sh
# experiment-si-table.sh: the speaker-independent study's table, read from the store.
#
# Usage: sh pipelines/experiment-si-table.sh DB STUDY
#
# STUDY is the study tag (experiment-si.sh's absolute OUT). For each configuration (model,
# features, norm) the latest finished nnpredict run of each fold gives that fold's accuracy
# (its recorded predictions against their labels); the row shows the folds' mean, sd
# (population), min and max, and the pooled accuracy over every held-out clip.
set -eu
[ $# -eq 2 ] || { echo "usage: sh experiment-si-table.sh DB STUDY" >&2; exit 2; }
db=$1 study=$(printf '%s' "$2" | sed "s/'/''/g")
echo "model | features | speaker norm | folds | accuracy mean | sd | min | max | pooled accuracy"
sqlite3 -bail -separator ' | ' "$db" "
WITH tagged AS (
  SELECT r.id,
    (SELECT value FROM params WHERE run_id = r.id AND key = 'si_model') AS model,
    (SELECT value FROM params WHERE run_id = r.id AND key = 'si_features') AS features,
    (SELECT value FROM params WHERE run_id = r.id AND key = 'si_norm') AS norm,
    (SELECT value FROM params WHERE run_id = r.id AND key = 'si_fold') AS fold
  FROM runs r JOIN params s ON s.run_id = r.id AND s.key = 'study' AND s.value = '$study'
  WHERE r.tool = 'nnpredict' AND r.status = 'finished'),
latest AS (SELECT MAX(id) AS id, model, features, norm, fold FROM tagged
           GROUP BY model, features, norm, fold),
per_fold AS (
  SELECT l.model, l.features, l.norm, l.fold, COUNT(*) AS n,
         SUM(p.pred = p.label) AS correct, AVG(p.pred = p.label) AS acc
  FROM latest l JOIN predictions p ON p.run_id = l.id
  GROUP BY l.model, l.features, l.norm, l.fold)
SELECT model, features, norm, COUNT(*),
  printf('%.3f', AVG(acc)),
  printf('%.3f', sqrt(MAX(AVG(acc * acc) - AVG(acc) * AVG(acc), 0))),
  printf('%.3f', MIN(acc)), printf('%.3f', MAX(acc)),
  printf('%.3f', 1.0 * SUM(correct) / SUM(n))
FROM per_fold GROUP BY model, features, norm
ORDER BY model <> 'ANN', model <> 'CNN', features, norm;"

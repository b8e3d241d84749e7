-- Runs :a and :b side by side: only the parameters that differ (a parameter
-- one run lacks shows as NULL), with the run's own fields as run.* rows, and
-- always their results as result.* rows (metrics: accuracy and log loss;
-- nnfit: best_val_loss). run.exists says 'no such run' for an unknown id.
WITH kv(run_id, key, value) AS (
  SELECT run_id, key, value FROM params WHERE run_id IN (:a, :b)
  UNION ALL SELECT id, 'run.tool', tool FROM runs WHERE id IN (:a, :b)
  UNION ALL SELECT id, 'run.version', version FROM runs WHERE id IN (:a, :b)
  UNION ALL SELECT id, 'run.git_rev', git_rev FROM runs WHERE id IN (:a, :b)
  UNION ALL SELECT id, 'run.seed', seed FROM runs WHERE id IN (:a, :b)
  UNION ALL SELECT run_id, 'result.' || key, value FROM metrics
    WHERE run_id IN (:a, :b) AND step = 0 AND key IN ('accuracy', 'log_loss', 'best_val_loss')
  UNION ALL SELECT ids.id, 'run.exists', CASE WHEN r.id IS NULL THEN 'no such run' ELSE 'yes' END
    FROM (SELECT :a AS id UNION SELECT :b) AS ids LEFT JOIN runs AS r ON r.id = ids.id
)
SELECT k.key, a.value AS run_a, b.value AS run_b
FROM (SELECT DISTINCT key FROM kv) AS k
LEFT JOIN kv AS a ON a.run_id = :a AND a.key = k.key
LEFT JOIN kv AS b ON b.run_id = :b AND b.key = k.key
WHERE a.value IS NOT b.value OR k.key LIKE 'result.%'
ORDER BY k.key;

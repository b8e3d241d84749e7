-- The last :n runs (default 10), newest first, with their accuracy: a metrics
-- run's accuracy, or an nnfit run's val_acc at its best epoch.
SELECT r.id, r.name, r.tool, r.status, r.started,
       round(coalesce(acc.value, best.value), 4) AS accuracy
FROM runs AS r
LEFT JOIN metrics AS acc ON acc.run_id = r.id AND acc.key = 'accuracy' AND acc.step = 0
LEFT JOIN metrics AS be ON be.run_id = r.id AND be.key = 'best_epoch' AND be.step = 0
LEFT JOIN metrics AS best ON best.run_id = r.id AND best.key = 'val_acc' AND best.step = be.value
ORDER BY r.id DESC
LIMIT coalesce(:n, 10);

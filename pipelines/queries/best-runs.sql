-- The best evaluation per dataset and architecture (highest accuracy, then
-- lowest log loss). A metrics run is traced back by content hashes: its
-- input_sha256 is the output_sha256 of the nnpredict run that wrote the
-- predictions, whose model_sha256 is the sha256 of the model an nnfit run
-- recorded; that run's arch param is the architecture. The dataset is the
-- 'dataset' tag of the metrics run, else of the nnpredict or the nnfit run.
WITH evaluated AS (
  SELECT DISTINCT m.id AS run, fit.id AS fit_run, arch.value AS arch,
         coalesce(dm.value, dp.value, df.value) AS dataset,
         acc.value AS accuracy, ll.value AS log_loss
  FROM runs AS m
  JOIN metrics AS acc ON acc.run_id = m.id AND acc.key = 'accuracy' AND acc.step = 0
  LEFT JOIN metrics AS ll ON ll.run_id = m.id AND ll.key = 'log_loss' AND ll.step = 0
  JOIN params AS input ON input.run_id = m.id AND input.key = 'input_sha256'
  JOIN params AS output ON output.key = 'output_sha256' AND output.value = input.value
  JOIN runs AS pred ON pred.id = output.run_id AND pred.tool = 'nnpredict' AND pred.status = 'finished'
  JOIN params AS model ON model.run_id = pred.id AND model.key = 'model_sha256'
  JOIN models AS mo ON mo.sha256 = model.value
  JOIN runs AS fit ON fit.id = mo.run_id AND fit.tool = 'nnfit' AND fit.status = 'finished'
  JOIN params AS arch ON arch.run_id = fit.id AND arch.key = 'arch'
  LEFT JOIN params AS dm ON dm.run_id = m.id AND dm.key = 'dataset'
  LEFT JOIN params AS dp ON dp.run_id = pred.id AND dp.key = 'dataset'
  LEFT JOIN params AS df ON df.run_id = fit.id AND df.key = 'dataset'
  WHERE m.tool = 'metrics' AND m.status = 'finished'
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY dataset, arch
                               ORDER BY accuracy DESC, log_loss ASC, run DESC) AS rank
  FROM evaluated
)
SELECT dataset, arch, run AS metrics_run, fit_run AS nnfit_run,
       round(accuracy, 4) AS accuracy, round(log_loss, 4) AS log_loss
FROM ranked
WHERE rank = 1
ORDER BY dataset, arch;

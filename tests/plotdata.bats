#!/usr/bin/env bats
# plotdata: the data of every kind checked on known inputs, bad inputs, and every
# figure rendered by its gnuplot script.

load helper

setup() {
  T="$BATS_TEST_TMPDIR"
  PLOTS="$SENTIO_ROOT/pipelines/plots"
}

# A 1 s sine of $2 Hz at amplitude 0.5, 22050 Hz, 16-bit, into $1.
make_sine() {
  sox -n -r 22050 -b 16 -c 1 "$1" synth 1.0 sine "$2" vol 0.5
}

# The experiment store of INTERFACES.md, with two training runs named ANN (the later
# one finished), a running and a failed ANN, a CNN, and an nnpredict run with predictions.
make_store() {
  sqlite3 "$1" <<'SQL'
PRAGMA foreign_keys = ON;
CREATE TABLE runs(id INTEGER PRIMARY KEY, name TEXT NOT NULL, tool TEXT NOT NULL,
  started TEXT NOT NULL, finished TEXT,
  status TEXT NOT NULL CHECK (status IN ('running','finished','failed')),
  command TEXT NOT NULL, version TEXT NOT NULL, git_rev TEXT, seed INTEGER, host TEXT, pid INTEGER);
CREATE TABLE params(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
CREATE TABLE metrics(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL, step INTEGER NOT NULL DEFAULT 0, value REAL NOT NULL,
  PRIMARY KEY (run_id, key, step));
CREATE TABLE models(run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  path TEXT, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL);
CREATE TABLE predictions(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, pred TEXT NOT NULL,
  probs TEXT NOT NULL, PRIMARY KEY (run_id, idx));
INSERT INTO runs VALUES
  (1, 'ANN', 'nnfit', '2026-01-01T10:00:00.000Z', '2026-01-01T10:01:00.000Z', 'finished', 'nnfit', '0.1.0', NULL, 1, 'h', 1),
  (2, 'ANN', 'nnfit', '2026-01-02T10:00:00.000Z', '2026-01-02T10:01:00.000Z', 'finished', 'nnfit', '0.1.0', NULL, 1, 'h', 1),
  (3, 'ANN', 'nnfit', '2026-01-03T10:00:00.000Z', NULL, 'running', 'nnfit', '0.1.0', NULL, 1, 'h', 1),
  (4, 'ANN', 'nnpredict', '2026-01-04T10:00:00.000Z', '2026-01-04T10:00:01.000Z', 'finished', 'nnpredict', '0.1.0', NULL, NULL, 'h', 1),
  (5, 'CNN', 'nnfit', '2026-01-02T11:00:00.000Z', '2026-01-02T11:01:00.000Z', 'finished', 'nnfit', '0.1.0', NULL, 1, 'h', 1),
  (6, 'ANN', 'nnfit', '2026-01-05T10:00:00.000Z', '2026-01-05T10:00:01.000Z', 'failed', 'nnfit', '0.1.0', NULL, 1, 'h', 1);
INSERT INTO params VALUES (1, 'experiment', '/first'), (2, 'experiment', '/second');
WITH RECURSIVE e(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM e WHERE n < 12)
INSERT INTO metrics SELECT r.id, k.key, e.n,
  CASE k.key WHEN 'loss' THEN 1.0 / (e.n + r.id) WHEN 'acc' THEN 1.0 - 1.0 / (e.n + 1 + r.id)
             WHEN 'val_loss' THEN 1.5 / (e.n + r.id) + 0.01 * (e.n % 3)
             WHEN 'val_acc' THEN 0.9 - 1.0 / (e.n + 2 + r.id)
             ELSE 0.001 / (1 << (e.n / 5)) END
FROM e, (SELECT 1 AS id UNION ALL SELECT 2 UNION ALL SELECT 5) AS r,
     (SELECT 'loss' AS key UNION ALL SELECT 'acc' UNION ALL SELECT 'val_loss'
      UNION ALL SELECT 'val_acc' UNION ALL SELECT 'lr') AS k;
INSERT INTO metrics VALUES (2, 'best_epoch', 0, 9), (2, 'epochs_run', 0, 12);
INSERT INTO predictions VALUES
  (4, 0, 'a.wav', 'Positive', 'Positive', '{"Negative":0.1,"Neutral":0.2,"Positive":0.7}'),
  (4, 1, 'b.wav', 'Positive', 'Neutral', '{"Negative":0.1,"Neutral":0.5,"Positive":0.4}'),
  (4, 2, 'c.wav', 'Negative', 'Negative', '{"Negative":0.8,"Neutral":0.1,"Positive":0.1}'),
  (4, 3, 'd.wav', 'Neutral', 'Neutral', '{"Negative":0.1,"Neutral":0.8,"Positive":0.1}'),
  (4, 4, 'e.wav', 'Negative', 'Positive', '{"Negative":0.3,"Neutral":0.1,"Positive":0.6}');
SQL
}

# nnpredict's TSV: N predictions over three classes, deterministic, with some errors.
make_predictions() {
  awk -v n="$2" 'BEGIN {
    split("Negative Neutral Positive", c, " ")
    print "key\tlabel\tpred\tp_Negative\tp_Neutral\tp_Positive"
    for (i = 0; i < n; i++) {
      t = c[i % 3 + 1]; p = (i % 7 == 0) ? c[(i + 1) % 3 + 1] : t
      printf "clip %d.wav\t%s\t%s\t0.2\t0.3\t0.5\n", i, t, p
    }
  }' > "$1"
}

# A feature stream (man 5 featstream) of one-row records KEY LABEL V1 V2 ... read from
# stdin, one record per line, written with perl's pack (float32 little-endian).
write_stream() {
  perl -ne 'chomp; my ($key, $label, @v) = split / /;
    print "SNTF", pack("v v V V V V V", 1, 0, length $key, length $label, 0, 1, scalar @v),
          $key, $label, pack("f<*", @v);'
}

# PNG magic and an IHDR of 800 x 500.
check_png() {
  [ -s "$1" ]
  [ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = "89504e470d0a1a0a" ]
  [ "$(od -An -tx1 -j12 -N4 "$1" | tr -d ' \n')" = "49484452" ]      # IHDR
  [ "$(od -An -tx1 -j16 -N8 "$1" | tr -d ' \n')" = "00000320000001f4" ] # 800, 500
}

# ---- the command line --------------------------------------------------------------------

@test "plotdata -h prints usage with every option and exits 0" {
  run plotdata -h
  [ "$status" -eq 0 ]
  [[ "$output" == Usage:\ plotdata\ KIND* ]]
  for opt in --points --sr --n-fft --hop --top-db --db --run --where --normalize --standardize -o; do
    [[ "$output" == *"  $opt"* ]]
  done
  [[ "$output" == *"See also:"* ]]
  run plotdata spectrogram --help
  [ "$status" -eq 0 ]
  [[ "$output" == Usage:* ]]
}

@test "plotdata --version names the tool and version" {
  run plotdata --version
  [ "$status" -eq 0 ]
  [[ "$output" == "plotdata (sentio) "[0-9]* ]]
}

@test "usage errors exit 2 with a hint" {
  run plotdata
  [ "$status" -eq 2 ]
  [[ "$output" == *"missing KIND"* ]]
  run plotdata histogram x
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown KIND 'histogram'"* ]]
  run plotdata spectrogram --points 10 x.wav
  [ "$status" -eq 2 ]
  [[ "$output" == *"--points does not apply to spectrogram"* ]]
  run plotdata waveform
  [ "$status" -eq 2 ]
  [[ "$output" == *"exactly one AUDIO"* ]]
  run plotdata curves --db x.db
  [ "$status" -eq 2 ]
  [[ "$output" == *"needs both --db FILE and --run"* ]]
  run plotdata confusion --db x.db --run 1 preds.tsv
  [ "$status" -eq 2 ]
  run plotdata spectrogram --n-fft 8 x.wav
  [ "$status" -eq 2 ]
  [[ "$output" == *"--n-fft: 8 is outside 16..65536"* ]]
  run plotdata curves --db x.db --run 1 --where nokey
  [ "$status" -eq 2 ]
  [[ "$output" == *"Try 'plotdata --help'"* ]]
}

# ---- waveform ----------------------------------------------------------------------------

@test "waveform: every sample of a short clip, with time in seconds" {
  make_sine "$T/sine.wav" 440
  run plotdata waveform --points 100000 "$T/sine.wav"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "# sentio waveform of $T/sine.wav: 22050 samples at 22050 Hz"* ]]
  printf '%s\n' "$output" | grep -q $'^# time_s\tamplitude$'
  [ "$(printf '%s\n' "$output" | grep -vc '^#')" -eq 22050 ]
  # Sample 22049 is at 22049/22050 s.
  last=$(printf '%s\n' "$output" | tail -n 1 | cut -f1)
  awk -v t="$last" 'BEGIN { exit !(t > 0.99995 && t < 0.99996) }'
}

@test "waveform: the envelope has --points columns and contains the true min and max" {
  sox -n -r 22050 -b 16 -c 1 "$T/mix.wav" synth 3.0 sine 300 synth 3.0 sine amod 2 vol 0.7
  plotdata waveform --points 10000000 "$T/mix.wav" > "$T/all.tsv"
  plotdata waveform --points 500 "$T/mix.wav" > "$T/env.tsv"
  grep -q $'^# time_s\tmin\tmax$' "$T/env.tsv"
  [ "$(grep -vc '^#' "$T/env.tsv")" -eq 500 ]
  true_min=$(grep -v '^#' "$T/all.tsv" | cut -f2 | sort -g | head -n 1)
  true_max=$(grep -v '^#' "$T/all.tsv" | cut -f2 | sort -g | tail -n 1)
  env_min=$(grep -v '^#' "$T/env.tsv" | cut -f2 | sort -g | head -n 1)
  env_max=$(grep -v '^#' "$T/env.tsv" | cut -f3 | sort -g | tail -n 1)
  [ "$env_min" = "$true_min" ]
  [ "$env_max" = "$true_max" ]
  # Every column's min <= max, and times increase.
  grep -v '^#' "$T/env.tsv" | awk -F'\t' '$2 > $3 || $1 <= prev && NR > 1 { exit 1 } { prev = $1 }'
}

@test "waveform --sr resamples before plotting" {
  make_sine "$T/sine.wav" 440
  run plotdata waveform --sr 11025 --points 100000 "$T/sine.wav"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *": 11025 samples at 11025 Hz"* ]]
}

# ---- spectrogram -------------------------------------------------------------------------

@test "spectrogram: a sine's every frame peaks at its frequency bin, 0 dB max, 80 dB floor" {
  make_sine "$T/sine.wav" 1000
  plotdata spectrogram "$T/sine.wav" > "$T/spec.tsv"
  grep -q $'^# time_s\tfreq_hz\tdb$' "$T/spec.tsv"
  # 1 + 22050/512 = 44 frames of 1025 bins, separated by 43 blank lines.
  [ "$(grep -v '^#' "$T/spec.tsv" | grep -c .)" -eq $((44 * 1025)) ]
  [ "$(grep -c '^$' "$T/spec.tsv")" -eq 43 ]
  # 1000 Hz is bin round(1000 * 2048 / 22050) = 93, i.e. 93 * 22050 / 2048 = 1001.29 Hz.
  grep -v '^#' "$T/spec.tsv" | awk -F'\t' '
    NF == 3 { if (!($1 in best) || $3 > best[$1]) { best[$1] = $3; at[$1] = $2 }
              if ($3 > top) top = $3; if (min == "" || $3 < min) min = $3 }
    END { n = 0; for (t in at) { n++; if (at[t] != 1001.29) { print "frame " t " peaks at " at[t]; exit 1 } }
          if (n != 44 || top != 0 || min != -80) { print n, top, min; exit 1 } }'
}

@test "spectrogram --n-fft --hop: the frame count and the peak bin follow" {
  make_sine "$T/sine.wav" 1000
  plotdata spectrogram --n-fft 1024 --hop 256 "$T/sine.wav" > "$T/spec.tsv"
  grep -q '87 frames x 513 bins' "$T/spec.tsv"
  # round(1000 * 1024 / 22050) = 46: 990.527 Hz; check the middle frame.
  peak=$(grep -v '^#' "$T/spec.tsv" | awk -F'\t' '$1 == 0.510839' | sort -t$'\t' -k3 -g | tail -n 1 | cut -f2)
  [ "$peak" = "990.527" ]
}

@test "spectrogram --top-db none keeps values below -80 dB; output is deterministic" {
  make_sine "$T/sine.wav" 1000
  plotdata spectrogram --top-db none "$T/sine.wav" > "$T/a.tsv"
  plotdata spectrogram --top-db none "$T/sine.wav" > "$T/b.tsv"
  cmp "$T/a.tsv" "$T/b.tsv"
  grep -v '^#' "$T/a.tsv" | awk -F'\t' 'NF == 3 && $3 < -80 { found = 1 } END { exit !found }'
}

@test "spectrogram of digital silence and of a clip shorter than one FFT" {
  run plotdata spectrogram "$FIXTURES/silence.wav"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$output" | grep -v '^#' | grep . | cut -f3 | sort -u)" = "0.00" ]
  run plotdata spectrogram "$FIXTURES/short.wav"
  [ "$status" -eq 0 ]
}

# ---- curves ------------------------------------------------------------------------------

@test "curves by id equal the stored metrics" {
  make_store "$T/s.db"
  plotdata curves --db "$T/s.db" --run 5 > "$T/c.tsv"
  grep -q $'^# epoch\tloss\tacc\tval_loss\tval_acc\tlr$' "$T/c.tsv"
  grep -q "run 5 'CNN' (nnfit" "$T/c.tsv"
  sqlite3 -separator $'\t' "$T/s.db" "SELECT step,
      printf('%.9g', max(CASE key WHEN 'loss' THEN value END)),
      printf('%.9g', max(CASE key WHEN 'acc' THEN value END)),
      printf('%.9g', max(CASE key WHEN 'val_loss' THEN value END)),
      printf('%.9g', max(CASE key WHEN 'val_acc' THEN value END)),
      printf('%.9g', max(CASE key WHEN 'lr' THEN value END))
    FROM metrics WHERE run_id = 5 AND step >= 1 GROUP BY step ORDER BY step" > "$T/want.tsv"
  [ "$(wc -l < "$T/want.tsv")" -eq 12 ]
  # Compare as numbers: %.9g in C and in SQLite may differ in the last digit's spelling.
  paste "$T/want.tsv" <(grep -v '^#' "$T/c.tsv") | awk -F'\t' '
    { for (i = 1; i <= 6; i++) { d = $i - $(i + 6); if (d < 0) d = -d
        if (d > 1e-8 * ($i < 0 ? -$i : $i) + 1e-15) { print "row " NR " col " i ": " $i " vs " $(i + 6); exit 1 } } }'
}

@test "curves by name: the latest finished run with per-epoch metrics; --where narrows it" {
  make_store "$T/s.db"
  run plotdata curves --db "$T/s.db" --run ANN
  [ "$status" -eq 0 ]
  # Run 2: not 3 (running), 4 (nnpredict: no epochs) or 6 (failed).
  [[ "${lines[0]}" == *"run 2 'ANN' (nnfit, finished"* ]]
  run plotdata curves --db "$T/s.db" --run ANN --where experiment=/first
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"run 1 'ANN'"* ]]
  run plotdata curves --db "$T/s.db" --run ANN --where experiment=/third
  [ "$status" -eq 1 ]
  [[ "$output" == "plotdata: $T/s.db: no finished run named 'ANN' with per-epoch metrics and the given parameters" ]]
}

@test "curves: NaN where a run recorded no validation metrics" {
  make_store "$T/s.db"
  sqlite3 "$T/s.db" "DELETE FROM metrics WHERE run_id = 5 AND key LIKE 'val_%'"
  run plotdata curves --db "$T/s.db" --run CNN
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$output" | grep -v '^#' | cut -f4,5 | sort -u)" = $'NaN\tNaN' ]
}

@test "curves: steps that are not integers are left out, so epochs stay in order (fuzz_store)" {
  make_store "$T/s.db"
  # A column's affinity does not stop text or reals: 'x' sorted after every number
  # and was printed as epoch 0 after epoch 12.
  sqlite3 "$T/s.db" "INSERT INTO metrics VALUES (5, 'loss', 'x', 0.5), (5, 'acc', 2.5, 0.5)"
  run plotdata curves --db "$T/s.db" --run CNN
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$output" | grep -v '^#' | cut -f1 | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 11 12 " ]
  [[ "${lines[0]}" == *": 12 epochs" ]]
}

@test "curves: missing runs, runs without epochs, missing and non-store files" {
  make_store "$T/s.db"
  run plotdata curves --db "$T/s.db" --run 99
  [ "$status" -eq 1 ]
  [ "$output" = "plotdata: $T/s.db: no run with id 99" ]
  run plotdata curves --db "$T/s.db" --run 4
  [ "$status" -eq 1 ]
  [[ "$output" == "plotdata: $T/s.db: run 4 'ANN' (nnpredict, finished "*") has no per-epoch metrics" ]]
  run plotdata curves --db "$T/s.db" --run Nobody
  [ "$status" -eq 1 ]
  [[ "$output" == *"no finished run named 'Nobody'"* ]]
  run plotdata curves --db "$T/missing.db" --run 1
  [ "$status" -eq 1 ]
  [ "$output" = "plotdata: $T/missing.db: No such file or directory" ]
  run plotdata curves --db "$FIXTURES/short.wav" --run 1
  [ "$status" -eq 1 ]
  [[ "$output" == "plotdata: $FIXTURES/short.wav: not a readable SQLite database"* ]]
  sqlite3 "$T/other.db" "CREATE TABLE t(x)"
  run plotdata curves --db "$T/other.db" --run 1
  [ "$status" -eq 1 ]
  [[ "$output" == *"not a sentio experiment store"* ]]
}

@test "curves never writes to the store" {
  make_store "$T/s.db"
  before=$(sha256sum < "$T/s.db")
  plotdata curves --db "$T/s.db" --run ANN > /dev/null
  [ "$(sha256sum < "$T/s.db")" = "$before" ]
}

# ---- confusion ---------------------------------------------------------------------------

@test "confusion from nnpredict TSV: the cells sum to the number of predictions" {
  make_predictions "$T/p.tsv" 100
  plotdata confusion "$T/p.tsv" > "$T/c.tsv"
  grep -q $'^# pred_index\ttrue_index\tvalue\tcount\tpred_class\ttrue_class$' "$T/c.tsv"
  grep -q '^# classes: 0=Negative, 1=Neutral, 2=Positive$' "$T/c.tsv"
  [ "$(grep -vc '^#' "$T/c.tsv")" -eq 9 ]
  [ "$(grep -v '^#' "$T/c.tsv" | awk -F'\t' '{ s += $4 } END { print s }')" -eq 100 ]
  # Every 7th prediction is wrong: 15 of 100 (i = 0, 7, ..., 98).
  [ "$(grep -v '^#' "$T/c.tsv" | awk -F'\t' '$1 == $2 { s += $4 } END { print s }')" -eq 85 ]
  grep -q 'accuracy 0.8500 (85/100)' "$T/c.tsv"
  # The same from stdin.
  plotdata confusion < "$T/p.tsv" | grep -v '^#' | cmp - <(grep -v '^#' "$T/c.tsv")
}

@test "confusion --normalize: each true class's row sums to 1" {
  make_predictions "$T/p.tsv" 100
  plotdata confusion --normalize "$T/p.tsv" | grep -v '^#' |
    awk -F'\t' '{ s[$2] += $3 } END { for (r in s) if (s[r] < 0.999999 || s[r] > 1.000001) exit 1 }'
}

@test "confusion from the store's predictions, by id and by name" {
  make_store "$T/s.db"
  run plotdata confusion --db "$T/s.db" --run 4
  [ "$status" -eq 0 ]
  [[ "$output" == *"5 predictions, 3 classes, accuracy 0.6000 (3/5)"* ]]
  printf '%s\n' "$output" | grep -q $'^2\t0\t1\t1\tPositive\tNegative$'
  [ "$(printf '%s\n' "$output" | grep -v '^#' | awk -F'\t' '{ s += $4 } END { print s }')" -eq 5 ]
  run plotdata confusion --db "$T/s.db" --run ANN
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"run 4 'ANN' (nnpredict"* ]]
}

@test "confusion accepts a BOM, CRLF and spaces in keys; classes keep the header's order" {
  printf '\xef\xbb\xbfkey\tlabel\tpred\tp_b\tp_a\r\nx y.wav\ta\tb\t0.4\t0.6\r\nz.wav\tb\tb\t0.9\t0.1\r\n' > "$T/p.tsv"
  run plotdata confusion "$T/p.tsv"
  [ "$status" -eq 0 ]
  printf '%s\n' "$output" | grep -q '^# classes: 0=b, 1=a$'
  printf '%s\n' "$output" | grep -q $'^0\t1\t1\t1\tb\ta$'
  printf '%s\n' "$output" | grep -q $'^0\t0\t1\t1\tb\tb$'
}

@test "confusion: bad predictions files get a clear error" {
  printf 'key\tlabel\tpred\tp_a\tp_b\nx.wav\t\ta\t0.5\t0.5\n' > "$T/unlabelled.tsv"
  run plotdata confusion "$T/unlabelled.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == "plotdata: $T/unlabelled.tsv: record 'x.wav' has no label"*"(line 2)" ]]
  printf 'key\tlabel\tpred\tp_a\tp_b\nx.wav\ta\tq\t0.5\t0.5\n' > "$T/unknown.tsv"
  run plotdata confusion "$T/unknown.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == *"prediction 'q' of record 'x.wav' is not one of the header's classes (a, b) (line 2)" ]]
  printf 'key\tlabel\tpred\tp_a\tp_b\nx.wav\tz\ta\t0.5\t0.5\n' > "$T/unseen.tsv"
  run plotdata confusion "$T/unseen.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == *"label 'z' of record 'x.wav' is not one of the header's classes"* ]]
  printf 'key\tlabel\tpred\tp_a\tp_b\nx.wav\ta\ta\t0.5\n' > "$T/short.tsv"
  run plotdata confusion "$T/short.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == *"4 fields, the header has 5 (line 2)" ]]
  printf 'Filename,Class\n1.wav,Positive\n' > "$T/kaggle.csv"
  run plotdata confusion "$T/kaggle.csv"
  [ "$status" -eq 1 ]
  [[ "$output" == *"not an nnpredict TSV header"*"(line 1)" ]]
  printf 'key\tlabel\tpred\tp_a\tp_b\n' > "$T/header.tsv"
  run plotdata confusion "$T/header.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == *"no predictions after the header" ]]
  : > "$T/empty.tsv"
  run plotdata confusion "$T/empty.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == *"empty input"* ]]
  run plotdata confusion "$T/none.tsv"
  [ "$status" -eq 1 ]
  [ "$output" = "plotdata: $T/none.tsv: No such file or directory" ]
  run plotdata confusion "$FIXTURES/short.wav"
  [ "$status" -eq 1 ]
  run plotdata confusion - < "$T/empty.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == "plotdata: (stdin): empty input"* ]]
}

@test "confusion from the store: unlabelled predictions are refused" {
  make_store "$T/s.db"
  sqlite3 "$T/s.db" "UPDATE predictions SET label = '' WHERE idx = 3"
  run plotdata confusion --db "$T/s.db" --run 4
  [ "$status" -eq 1 ]
  [[ "$output" == *"prediction 3 ('d.wav') has no label"* ]]
}

# ---- features ----------------------------------------------------------------------------

# 60 records in 5 dimensions: class c's points lie along (1, 2, 0, 0, 0) around a centre
# that moves with c along (0, 0, 1, 0, 0), plus tiny noise: PC1 is the line, PC2 the class.
make_features() {
  awk 'BEGIN { split("Negative Neutral Positive", c, " ")
    for (i = 0; i < 60; i++) { k = i % 3; t = (i - 29.5) / 3
      printf "r%02d %s %.6f %.6f %.6f %.6f %.6f\n", i, c[k + 1], 1 + t, 2 + 2 * t, 4 * k, \
        0.01 * ((i * 7) % 5 - 2), 0.01 * ((i * 3) % 4 - 1.5) } }' | write_stream
}

@test "features: PCA of a 2-D-dominant set finds the line and the classes" {
  make_features > "$T/f.feat"
  plotdata features "$T/f.feat" > "$T/pca.tsv"
  grep -q $'^# pc1\tpc2\tclass_index\tlabel\tkey$' "$T/pca.tsv"
  [ "$(grep -vc '^#' "$T/pca.tsv")" -eq 60 ]
  # PC1 + PC2 explain nearly everything; the header gives each share.
  grep '^# explained_variance' "$T/pca.tsv" | awk -F'\t' '{ exit !($2 > $3 && $2 + $3 > 0.9999) }'
  # PC1 is the position t along the line: r00 has the smallest value (t = -9.83), r59 the largest.
  [ "$(grep -v '^#' "$T/pca.tsv" | sort -t$'\t' -k1,1g | head -n 1 | cut -f5)" = r00 ]
  [ "$(grep -v '^#' "$T/pca.tsv" | sort -t$'\t' -k1,1g | tail -n 1 | cut -f5)" = r59 ]
  # PC1's spread is sqrt5 times t's.
  grep -v '^#' "$T/pca.tsv" | awk -F'\t' '$5 == "r00" { exit !($1 < -21.9 && $1 > -22.1) }'
  # Class indices follow the labels' byte order.
  grep -v '^#' "$T/pca.tsv" | awk -F'\t' '($4 == "Negative") != ($3 == 0) { exit 1 }'
}

@test "features --standardize uses the correlation matrix; the output is deterministic" {
  make_features > "$T/f.feat"
  plotdata features --standardize "$T/f.feat" > "$T/a.tsv"
  grep -q 'correlation' "$T/a.tsv"
  plotdata features --standardize "$T/f.feat" -o "$T/b.tsv"
  cmp "$T/a.tsv" "$T/b.tsv"
  ! cmp -s "$T/a.tsv" <(plotdata features "$T/f.feat")
  # Several streams and stdin read alike.
  cat "$T/f.feat" "$T/f.feat" | plotdata features | grep -q '120 records of 5 values'
  plotdata features "$T/f.feat" "$T/f.feat" | grep -q '120 records of 5 values'
}

@test "features: bad streams get a clear error" {
  make_features > "$T/f.feat"
  head -c 100 "$T/f.feat" > "$T/trunc.feat"
  run plotdata features "$T/trunc.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == "plotdata: $T/trunc.feat: "*"(byte "* ]]
  { make_features; echo "odd Negative 1 2 3" | write_stream; } > "$T/ragged.feat"
  run plotdata features "$T/ragged.feat"
  [ "$status" -eq 1 ]
  [ "$output" = "plotdata: $T/ragged.feat: record 'odd' has 3 values, the first record has 5" ]
  { make_features; echo "bad Negative 1 nan 3 4 5" | write_stream; } > "$T/nan.feat"
  run plotdata features "$T/nan.feat"
  [ "$status" -eq 1 ]
  [ "$output" = "plotdata: $T/nan.feat: record 'bad': value 2 is not finite" ]
  echo "only Negative 1 2" | write_stream > "$T/one.feat"
  run plotdata features "$T/one.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"at least 2 records"* ]]
  run plotdata features "$FIXTURES/short.wav"
  [ "$status" -eq 1 ]
  run plotdata features "$T/none.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/none.feat"* ]]
}

# ---- audio errors and -o -----------------------------------------------------------------

@test "bad audio gets a clear error naming the file, and -o leaves nothing behind" {
  for f in empty.wav truncated.wav notaudio.wav; do
    run plotdata spectrogram "$FIXTURES/$f"
    [ "$status" -eq 1 ]
    [[ "$output" == "plotdata: $FIXTURES/$f: "* ]]
  done
  run plotdata waveform "$T/missing.wav"
  [ "$status" -eq 1 ]
  [[ "$output" == "plotdata: $T/missing.wav: "* ]]
  echo keep > "$T/out.tsv"
  run plotdata waveform -o "$T/out.tsv" "$FIXTURES/notaudio.wav"
  [ "$status" -eq 1 ]
  [ "$(cat "$T/out.tsv")" = keep ]
  [ "$(ls "$T" | grep -c tmp)" -eq 0 ]
}

# ---- figures -----------------------------------------------------------------------------

@test "every gnuplot script renders an 800x500 PNG from plotdata's output" {
  make_sine "$T/sine.wav" 1000
  make_store "$T/s.db"
  make_predictions "$T/p.tsv" 60
  make_features > "$T/f.feat"
  plotdata waveform "$FIXTURES/speech22k.wav" > "$T/wave.tsv"
  plotdata waveform --points 100000 "$T/sine.wav" > "$T/wave_all.tsv"
  plotdata spectrogram "$FIXTURES/speech22k.wav" > "$T/spec.tsv"
  plotdata curves --db "$T/s.db" --run ANN > "$T/curves.tsv"
  plotdata confusion "$T/p.tsv" > "$T/conf.tsv"
  plotdata confusion --normalize "$T/p.tsv" > "$T/confn.tsv"
  plotdata features "$T/f.feat" > "$T/feat.tsv"
  render() { gnuplot -e "in='$T/$2.tsv'; out='$T/$3.png'; title='test $3'; $4" "$PLOTS/$1.gp"; }
  render waveform wave wave
  render waveform wave_all wave_all
  render spectrogram spec spec
  render curves curves acc "metric='acc'"
  render curves curves loss "metric='loss'"
  render curves curves both
  render confusion conf conf
  render confusion confn confn
  render features feat feat
  for png in wave wave_all spec acc loss both conf confn feat; do
    check_png "$T/$png.png"
  done
  run gnuplot "$PLOTS/curves.gp"
  [ "$status" -ne 0 ]
  [[ "$output" == *"usage: gnuplot -e"* ]]
}

@test "make plots renders every figure of an experiment's outputs" {
  mkdir -p "$T/data/TRAIN" "$T/out"
  make_sine "$T/data/TRAIN/first.wav" 300
  printf 'Filename,Class\r\n"first.wav",Positive\r\nother.wav,Negative\r\n' > "$T/data/TRAIN.csv"
  make_store "$T/s.db"
  sqlite3 "$T/s.db" "UPDATE runs SET name = 'CNN' WHERE id = 1"
  make_features > "$T/out/train.feat"
  make_predictions "$T/out/ann_val.tsv" 40
  make_predictions "$T/out/cnn_val.tsv" 50
  touch "$T/out/ann.nn" "$T/out/cnn.nn"
  run make -s -C "$SENTIO_ROOT" --no-print-directory plots SENTIO_BIN="$SENTIO_BIN" \
    DATA="$T/data" OUT="$T/out" DB="$T/s.db"
  [ "$status" -eq 0 ]
  for png in waveform spectrogram ann_accuracy ann_loss cnn_accuracy cnn_loss \
             ann_confusion cnn_confusion features; do
    check_png "$T/out/plots/$png.png"
  done
  grep -q "run 2 'ANN'" "$T/out/plots/data/ann_curves.tsv"
  grep -q '50 predictions' "$T/out/plots/data/cnn_confusion.tsv"
  grep -q "of $T/data/TRAIN/first.wav:" "$T/out/plots/data/waveform.tsv"
  # A second run has nothing to do.
  run make -C "$SENTIO_ROOT" --no-print-directory plots SENTIO_BIN="$SENTIO_BIN" \
    DATA="$T/data" OUT="$T/out" DB="$T/s.db"
  [ "$status" -eq 0 ]
  [[ "$output" != *gnuplot* ]]
  # RUN= renders one run's figures.
  run make -s -C "$SENTIO_ROOT" --no-print-directory plots SENTIO_BIN="$SENTIO_BIN" \
    DATA="$T/data" OUT="$T/out" DB="$T/s.db" RUN=4 PLOTS_DIR="$T/one"
  [ "$status" -ne 0 ] # run 4 is nnpredict's: no curves
  run make -s -C "$SENTIO_ROOT" --no-print-directory plots SENTIO_BIN="$SENTIO_BIN" \
    DATA="$T/data" OUT="$T/out" DB="$T/s.db" RUN=5 PLOTS_DIR="$T/one"
  [ "$status" -eq 0 ]
  check_png "$T/one/run-5_accuracy.png"
  check_png "$T/one/run-5_loss.png"
}

#!/usr/bin/env bats
# nnfit: options, the epoch log, the model file, determinism and every bad input.

load helper
load nnstreams

setup() {
  T="$BATS_TEST_TMPDIR"
  synth_stream 90 1 > "$T/train.feat"
  synth_stream 30 2 > "$T/val.feat"
}

no_model_left() {
  [ ! -e "$T/m.nn" ]
  [ -z "$(find "$T" -name 'm.nn.tmp*')" ]
}

@test "nnfit --help lists every option with its default and exits 0" {
  run nnfit --help
  [ "$status" -eq 0 ]
  for o in --output --arch --epochs --batch --lr --beta1 --beta2 --epsilon --val --patience \
           --lr-factor --lr-patience --lr-min-delta --no-standardize --seed --jobs --db --run-name \
           --tag --version; do
    [[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
  done
  [[ "$output" == *"See also:"* ]]
  run nnfit -h
  [ "$status" -eq 0 ]
}

@test "nnfit --version" {
  run nnfit --version
  [ "$status" -eq 0 ]
  [[ "$output" == "nnfit (sentio) "* ]]
}

@test "nnfit prints one line per epoch and the best epoch, and writes a model" {
  run nnfit --epochs 5 --val "$T/val.feat" "$T/train.feat" -o "$T/m.nn"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 6 ]
  [[ "${lines[0]}" =~ ^epoch\ 1\ loss\ [0-9]+\.[0-9]{4}\ acc\ [0-9]\.[0-9]{4}\ val_loss\ [0-9]+\.[0-9]{4}\ val_acc\ [0-9]\.[0-9]{4}\ lr\ 0\.001$ ]]
  [[ "${lines[5]}" =~ ^best\ epoch\ [1-5]\ val_loss ]]
  head -1 "$T/m.nn" | grep -qx 'sentio-nnet 1'
  grep -qx 'arch dense:128,relu,dropout:0.3,dense:64,relu,dropout:0.3' "$T/m.nn"
  [ "$(grep '^class ' "$T/m.nn" | tr '\n' ' ')" = "class Negative class Neutral class Positive " ]
  grep -qx "feature_meta $NN_META" "$T/m.nn"
  grep -qx 'standardize 1' "$T/m.nn"
  grep -qx 'result epochs_run 5' "$T/m.nn"
  tail -1 "$T/m.nn" | grep -Eq '^sha256 [0-9a-f]{64}$'
}

@test "nnfit learns separable classes: validation accuracy 1 after 30 epochs" {
  run nnfit --epochs 30 --val "$T/val.feat" "$T/train.feat" -o "$T/m.nn"
  [ "$status" -eq 0 ]
  [[ "${lines[$((${#lines[@]} - 1))]}" == *"val_acc 1.0000"* ]]
}

@test "nnfit without --val trains every epoch and reports no validation" {
  run nnfit --epochs 3 "$T/train.feat" -o "$T/m.nn"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 4 ]
  [[ "${lines[2]}" =~ ^epoch\ 3\ loss\ [0-9.]+\ acc\ [0-9.]+\ lr\ 0\.001$ ]]
  [[ "${lines[3]}" == "best epoch 3 "*"no validation"* ]]
}

@test "nnfit reads stdin, and '-'" {
  nnfit --epochs 2 -o "$T/a.nn" < "$T/train.feat" 2>/dev/null
  nnfit --epochs 2 -o "$T/b.nn" - < "$T/train.feat" 2>/dev/null
  nnfit --epochs 2 -o "$T/c.nn" "$T/train.feat" 2>/dev/null
  cmp "$T/a.nn" "$T/b.nn"
  cmp "$T/a.nn" "$T/c.nn"
}

@test "nnfit: the same seed gives byte-identical models; another seed does not" {
  for a in ann cnn; do
    nnfit --arch $a --epochs 4 --seed 7 --val "$T/val.feat" "$T/train.feat" -o "$T/a.nn" 2>/dev/null
    nnfit --arch $a --epochs 4 --seed 7 --val "$T/val.feat" "$T/train.feat" -o "$T/b.nn" 2>/dev/null
    nnfit --arch $a --epochs 4 --seed 8 --val "$T/val.feat" "$T/train.feat" -o "$T/c.nn" 2>/dev/null
    cmp "$T/a.nn" "$T/b.nn"
    ! cmp -s "$T/a.nn" "$T/c.nn"
  done
}

@test "nnfit -j: 1, 2 and 3 threads give byte-identical models (ann, cnn, with --val)" {
  # Batch 32: two pieces of 16 rows; batch 48: three; batch 7: one piece, the others idle.
  for a in ann cnn; do
    for b in 32 48 7; do
      for j in 1 2 3; do
        nnfit -j $j --arch $a --batch $b --epochs 5 --seed 4 --val "$T/val.feat" "$T/train.feat" \
          -o "$T/$j.nn" 2> "$T/$j.log"
      done
      cmp "$T/1.nn" "$T/2.nn"
      cmp "$T/1.nn" "$T/3.nn"
      cmp "$T/1.log" "$T/2.log"
      cmp "$T/1.log" "$T/3.log"
    done
  done
  nnfit --jobs 2 --epochs 5 --seed 4 --val "$T/val.feat" "$T/train.feat" -o "$T/long.nn" 2>/dev/null
  nnfit --epochs 5 --seed 4 --val "$T/val.feat" "$T/train.feat" -o "$T/default.nn" 2>/dev/null
  cmp "$T/long.nn" "$T/default.nn"
}

@test "nnfit --arch cnn and a layer spec are stored in canonical form" {
  nnfit --arch cnn --epochs 2 "$T/train.feat" -o "$T/m.nn" 2>/dev/null
  grep -qx 'arch conv:32:3,relu,maxpool:2,flatten,dense:64,relu,dropout:0.5' "$T/m.nn"
  grep -qx 'params 39299' "$T/m.nn"
  nnfit --arch conv:4:5,maxpool:3,flatten,dropout:0.25,dense:8 --epochs 2 "$T/train.feat" -o "$T/m.nn" 2>/dev/null
  grep -qx 'arch conv:4:5,maxpool:3,flatten,dropout:0.25,dense:8' "$T/m.nn"
  grep -qx 'option arch conv:4:5,maxpool:3,flatten,dropout:0.25,dense:8' "$T/m.nn"
  nnfit --arch '' --epochs 2 "$T/train.feat" -o "$T/m.nn" 2>/dev/null
  grep -qx 'params 123' "$T/m.nn"
}

@test "nnfit --no-standardize stores no scaler" {
  nnfit --no-standardize --epochs 2 "$T/train.feat" -o "$T/m.nn" 2>/dev/null
  grep -qx 'standardize 0' "$T/m.nn"
  ! grep -q '^mean ' "$T/m.nn"
  grep -qx 'option standardize 0' "$T/m.nn"
}

@test "nnfit records every option in the model" {
  nnfit --epochs 2 --batch 7 --lr 0.002 --beta1 0.8 --beta2 0.99 --epsilon 1e-8 --patience 3 \
    --lr-factor 0.25 --lr-patience 2 --lr-min-delta 0.01 --seed 11 --val "$T/val.feat" \
    "$T/train.feat" -o "$T/m.nn" 2>/dev/null
  for kv in "epochs 2" "batch 7" "lr 0.002" "beta1 0.8" "beta2 0.99" \
            "epsilon 1e-08" "val yes" "patience 3" "lr_factor 0.25" "lr_patience 2" \
            "lr_min_delta 0.01" "standardize 1" "seed 11" "train_rows 90" "val_rows 30"; do
    grep -qx "option $kv" "$T/m.nn" || { echo "missing option $kv"; false; }
  done
}

@test "nnfit --batch changes the training; --lr changes the training" {
  nnfit --epochs 2 "$T/train.feat" -o "$T/a.nn" 2>/dev/null
  nnfit --epochs 2 --batch 5 "$T/train.feat" -o "$T/b.nn" 2>/dev/null
  nnfit --epochs 2 --lr 0.01 "$T/train.feat" -o "$T/c.nn" 2>/dev/null
  [ "$(sed -n '/^params/,$p' "$T/a.nn" | md5sum)" != "$(sed -n '/^params/,$p' "$T/b.nn" | md5sum)" ]
  [ "$(sed -n '/^params/,$p' "$T/a.nn" | md5sum)" != "$(sed -n '/^params/,$p' "$T/c.nn" | md5sum)" ]
}

@test "nnfit: EarlyStopping stops --patience epochs after the best and restores it" {
  synth_stream 30 3 40 noise > "$T/noise.feat"
  run nnfit --epochs 100 --patience 3 --val "$T/noise.feat" "$T/train.feat" -o "$T/m.nn"
  [ "$status" -eq 0 ]
  last="${lines[$((${#lines[@]} - 1))]}"
  [[ "$last" == "best epoch "*"weights were restored"* ]]
  best=$(echo "$last" | awk '{print $3}')
  [ "${#lines[@]}" -eq $((best + 3 + 1)) ]
  grep -qx "result best_epoch $best" "$T/m.nn"
  grep -qx "result restored_best yes" "$T/m.nn"
}

@test "nnfit: ReduceLROnPlateau halves the rate after --lr-patience epochs without improvement" {
  synth_stream 30 3 40 noise > "$T/noise.feat"
  run nnfit --epochs 12 --patience 100 --lr-patience 1 --lr-factor 0.5 --val "$T/noise.feat" "$T/train.feat" -o "$T/m.nn"
  [ "$status" -eq 0 ]
  [[ "$output" == *"lr 0.0005"* ]]
  [[ "$output" == *"lr 0.00025"* ]]
  [[ "${lines[12]}" == *"last epoch's weights are kept"* ]]
  # --lr-min-delta so large that nothing counts as an improvement: halves every epoch after the first.
  run nnfit --epochs 3 --lr-patience 1 --lr-min-delta 1000 --val "$T/val.feat" "$T/train.feat" -o "$T/m.nn"
  [[ "${lines[0]}" == *"lr 0.001" ]]
  [[ "${lines[1]}" == *"lr 0.001" ]]
  [[ "${lines[2]}" == *"lr 0.0005" ]]
}

@test "nnfit: usage errors exit 2 and leave no model" {
  run nnfit "$T/train.feat"
  [ "$status" -eq 2 ]
  [[ "$output" == *"-o MODEL is required"* ]]
  run nnfit --arch dense:64,tanh "$T/train.feat" -o "$T/m.nn"
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown term 'tanh'"* ]]
  no_model_left
  run nnfit --arch conv:8:41,flatten "$T/train.feat" -o "$T/m.nn"
  [ "$status" -eq 2 ]
  [[ "$output" == *"wider than its input of length 40"* ]]
  no_model_left
  for bad in "--epochs 0" "--epochs x" "--batch 0" "--lr 0" "--lr -1" "--beta1 1" "--beta2 1.5" \
             "--epsilon 0" "--patience -1" "--lr-factor 1" "--lr-factor 0" "--lr-patience -2" \
             "--lr-min-delta -1" "--seed -3" "-j 0" "--jobs 257" "-j x" "--bogus"; do
    run nnfit $bad "$T/train.feat" -o "$T/m.nn"
    [ "$status" -eq 2 ] || { echo "accepted: $bad"; false; }
  done
  no_model_left
}

@test "nnfit: bad training input is an error naming the file, and leaves no model" {
  printf 'a\t\t%s\t1 2 3\n' "$NN_META" | text2feat > "$T/unlabelled.feat"
  printf 'a\tX\t%s\t1 2 3\nb\tX\t%s\t2 3 4\n' "$NN_META" "$NN_META" | text2feat > "$T/oneclass.feat"
  printf 'a\tX\t%s\t1 2 3\nb\tY\t%s\t2 3\n' "$NN_META" "$NN_META" | text2feat > "$T/widths.feat"
  printf 'a\tX\t%s\t1 2 3;4 5 6\n' "$NN_META" | text2feat > "$T/rows.feat"
  printf 'a\tX\t%s\t1 nan 3\nb\tY\t%s\t1 2 3\n' "$NN_META" "$NN_META" | text2feat > "$T/nan.feat"
  printf 'a\tX\t%s\t1 2 3\nb\tY\t%s\tinf 2 3\n' "$NN_META" "$NN_META" | text2feat > "$T/inf.feat"
  printf 'a\tX\tm1\t1 2 3\nb\tY\tm2\t1 2 3\n' | text2feat > "$T/meta.feat"
  : > "$T/empty.feat"
  head -c 100 "$T/train.feat" > "$T/truncated.feat"
  echo "not a stream at all" > "$T/text.feat"
  for case in "unlabelled:no label" "oneclass:only one class" "widths:has 2 values where the first had 3" \
              "rows:has 2 rows" "nan:not finite" "inf:not finite" "meta:feature metadata 'm2'" \
              "empty:no records" "truncated:truncated" "text:" "missing:"; do
    f=${case%%:*} msg=${case#*:}
    run nnfit "$T/$f.feat" -o "$T/m.nn"
    [ "$status" -eq 1 ] || { echo "$f: status $status"; false; }
    [[ "$output" == *"$T/$f.feat"* ]] || { echo "$f: file not named: $output"; false; }
    [[ "$output" == *"$msg"* ]] || { echo "$f: $output"; false; }
    no_model_left
  done
}

@test "nnfit: a bad validation stream is an error naming it" {
  synth_stream 10 4 39 > "$T/narrow.feat"
  printf 'a\tUnheard\t%s\t%s\n' "$NN_META" "$(seq -s ' ' 1 40)" | text2feat > "$T/unseen.feat"
  printf 'a\tNeutral\tother\t%s\n' "$(seq -s ' ' 1 40)" | text2feat > "$T/othermeta.feat"
  for case in "narrow:39 values per record" "unseen:label 'Unheard'" "othermeta:feature metadata 'other'"; do
    f=${case%%:*} msg=${case#*:}
    run nnfit --val "$T/$f.feat" "$T/train.feat" -o "$T/m.nn"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$T/$f.feat"* && "$output" == *"$msg"* ]] || { echo "$output"; false; }
    no_model_left
  done
}

@test "nnfit: a failed run keeps an existing model file intact" {
  echo old > "$T/m.nn"
  : > "$T/empty.feat"
  run nnfit "$T/empty.feat" -o "$T/m.nn"
  [ "$status" -eq 1 ]
  [ "$(cat "$T/m.nn")" = old ]
  [ -z "$(find "$T" -name 'm.nn.tmp*')" ]
}

@test "nnfit stopped by SIGINT, SIGTERM or SIGHUP dies of it, keeps the old model, leaves no temporary" {
  for sig in INT TERM HUP; do
    echo old > "$T/m.nn"
    stop_midway $sig "$T/m.nn.tmp*" "$SENTIO_BIN/nnfit" -j 2 --epochs 1000000 "$T/train.feat" -o "$T/m.nn" 2>/dev/null
    [ "$status" -eq $((128 + $(kill -l $sig))) ] || { echo "$sig: status $status"; false; }
    [ "$(cat "$T/m.nn")" = old ]
    [ -z "$(find "$T" -name 'm.nn.tmp*')" ]
  done
}

@test "nnfit started with SIGHUP ignored (nohup) keeps ignoring it" {
  perl -e '$SIG{HUP} = "IGNORE"; exec @ARGV' "$SENTIO_BIN/nnfit" --epochs 1000000 "$T/train.feat" -o "$T/m.nn" 2>/dev/null &
  pid=$!
  wait_for_file "$T/m.nn.tmp*"
  kill -HUP $pid
  sleep 0.2
  kill -0 $pid
  kill -TERM $pid
  wait $pid || true
  no_model_left
}

@test "nnfit: both seed models reach Keras's validation accuracy on sentimiento_es (80/20, seed 42)" {
  skip_without_shared
  [ -x "$SENTIO_BIN/wav2mfcc" ] && [ -x "$SENTIO_BIN/featsplit" ] || skip "wav2mfcc and featsplit are not built"
  d="$SHARED/data/sentimiento_es"
  # The accuracy of the model file (nnpredict on the validation split), averaged
  # over seeds 1..5 (1 clip of 51 is 0.0196). Measured with `make fidelity-nn
  # SEEDS=200`: nnfit, and a PyTorch replica of Keras's training on the same
  # features, seeds 1..200 each; mean (sd of one seed, sd of a 5-seed mean):
  #   --pool mean     ANN nnfit 0.906 (0.022, 0.010)  Keras 0.907
  #                   CNN nnfit 0.874 (0.023, 0.011)  Keras 0.875
  #   --pool meanstd  ANN nnfit 0.933 (0.026, 0.014)  Keras 0.929
  #                   CNN nnfit 0.946 (0.021, 0.008)  Keras 0.947
  # (sklearn on the mean features: LogisticRegression 0.88, SVC 0.90.) The
  # issue's 0.95 is above what Keras itself reaches on these features (split 42
  # is one of the hardest: see the next test and `make splits-nn`). Each
  # floor sits about three deviations of a 5-seed mean below nnfit's mean (the
  # lowest of forty 5-seed means: 0.878, 0.851, 0.898, 0.929), and far above what
  # a broken trainer gets (unstandardised inputs: about 0.45).
  for pool in mean meanstd; do
    wav2mfcc --pool $pool --csv "$d/TRAIN.csv" > "$T/all.feat"
    featsplit --sklearn --test-size 0.2 --seed 42 --train "$T/tr.feat" --val "$T/va.feat" "$T/all.feat" 2>/dev/null
    for a in ann cnn; do
      for seed in 1 2 3 4 5; do
        nnfit --arch $a --seed $seed --val "$T/va.feat" "$T/tr.feat" -o "$T/m.nn" 2>/dev/null
        nnpredict -m "$T/m.nn" "$T/va.feat" |
          awk -F'\t' 'NR > 1 { n++; c += $2 == $3 } END { printf "%.6f\n", c / n }'
      done > "$T/acc"
      mean=$(awk '{ s += $1 } END { printf "%.4f", s / NR }' "$T/acc")
      echo "$pool $a: val_acc $(tr '\n' ' ' < "$T/acc")mean $mean"
      case $pool-$a in
        mean-ann) floor=0.87 ;; mean-cnn) floor=0.84 ;; meanstd-ann) floor=0.89 ;; meanstd-cnn) floor=0.92 ;;
      esac
      awk -v m="$mean" -v f=$floor 'BEGIN { exit !(m >= f) }' || { echo "below $floor"; false; }
    done
  done
}

@test "nnfit: with --pool meanstd both seed models average at least 0.95 over twenty 80/20 splits of sentimiento_es" {
  skip_without_shared
  [ -x "$SENTIO_BIN/wav2mfcc" ] && [ -x "$SENTIO_BIN/featsplit" ] || skip "wav2mfcc and featsplit are not built"
  # Split 42 (the test above) is one of the hardest: `make splits-nn` measured,
  # for splits 1..20 with seeds 1..3, nnfit ANN 0.965 and CNN 0.958 on average
  # (the PyTorch replica of Keras: 0.966, 0.961), against 0.928 and 0.935 on
  # split 42, which only 2 and 5 of the twenty splits are harder than.
  d="$SHARED/data/sentimiento_es"
  wav2mfcc -j 2 --pool meanstd --csv "$d/TRAIN.csv" > "$T/all.feat"
  for split in $(seq 1 20); do
    featsplit --sklearn --test-size 0.2 --seed $split --train "$T/tr.feat" --val "$T/va.feat" "$T/all.feat" 2>/dev/null
    for a in ann cnn; do
      for seed in 1 2 3; do
        nnfit --arch $a --seed $seed --val "$T/va.feat" "$T/tr.feat" -o "$T/m.nn" 2>/dev/null
        nnpredict -m "$T/m.nn" "$T/va.feat" |
          awk -F'\t' -v a=$a 'NR > 1 { n++; c += $2 == $3 } END { printf "%s %.6f\n", a, c / n }'
      done
    done
  done > "$T/acc"
  for a in ann cnn; do
    mean=$(awk -v a=$a '$1 == a { s += $2; n++ } END { printf "%.4f", s / n }' "$T/acc")
    echo "$a: mean val_acc over 20 splits x 3 seeds $mean"
    awk -v m="$mean" 'BEGIN { exit !(m >= 0.95) }' || { echo "below 0.95"; false; }
  done
}

@test "nnfit --db records params, per-epoch metrics, the summary and the model" {
  nnfit --db "$T/s.db" --run-name fit1 --tag dataset=synth --epochs 4 --seed 3 --val "$T/val.feat" \
    "$T/train.feat" -o "$T/m.nn" 2>/dev/null
  [ "$(sqlite3 "$T/s.db" "select name, tool, status, seed from runs")" = "fit1|nnfit|finished|3" ]
  for kv in "arch|ann" "epochs|4" "batch|32" "lr|0.001" "patience|10" "lr_factor|0.5" "seed|3" \
            "standardize|1" "dataset|synth" "val|$T/val.feat" "output|$T/m.nn"; do
    sqlite3 "$T/s.db" "select key || '|' || value from params" | grep -qxF "$kv" || { echo "no $kv"; false; }
  done
  [ "$(sqlite3 "$T/s.db" "select value from params where key = 'input_sha256'")" = "$(sha256sum < "$T/train.feat" | cut -d' ' -f1)" ]
  sqlite3 "$T/s.db" "select value from params where key = 'feature_meta'" | grep -qxF "$NN_META"
  [ "$(sqlite3 "$T/s.db" "select count(*) from metrics where key in ('loss','acc','val_loss','val_acc','lr') and step between 1 and 4")" -eq 20 ]
  [ "$(sqlite3 "$T/s.db" "select value from metrics where key = 'epochs_run' and step = 0")" = "4.0" ]
  sqlite3 "$T/s.db" "select count(*) from metrics where key in ('best_epoch', 'best_val_loss') and step = 0" | grep -qx 2
  [ "$(sqlite3 "$T/s.db" "select sha256 || ' ' || bytes from models")" = "$(sha256sum < "$T/m.nn" | cut -d' ' -f1) $(wc -c < "$T/m.nn")" ]
}

@test "nnfit --db: a failed run is recorded as failed" {
  : > "$T/empty.feat"
  run nnfit --db "$T/s.db" "$T/empty.feat" -o "$T/m.nn"
  [ "$status" -eq 1 ]
  [ "$(sqlite3 "$T/s.db" "select status from runs")" = failed ]
}

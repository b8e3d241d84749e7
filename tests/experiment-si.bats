#!/usr/bin/env bats
# make experiment-si (pipelines/experiment-si.mk, experiment-si.sh, experiment-si-table.sh):
# leave-speakers-out cross-validation, every run in the store, the table read back from it.

load helper

mk() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -C "$SENTIO_ROOT" --no-print-directory SENTIO_BIN="$SENTIO_BIN" "$@"
}

need_tools() {
  for t in wav2mfcc featsplit featnorm featpaste nnfit svmfit nnpredict metrics; do
    [ -x "$SENTIO_BIN/$t" ] || skip "$t is not built yet"
  done
}

# The table's row for MODEL FEATURES NORM: "folds mean sd min max pooled".
row() { awk -F' [|] ' -v m="$2" -v f="$3" -v n="$4" '$1 == m && $2 == f && $3 == n { print $4, $5, $6, $7, $8, $9 }' <<<"$1"; }

@test "make experiment-si on the demo set: every configuration, fold by fold, from the store" {
  need_tools
  t=$BATS_TEST_TMPDIR
  run mk experiment-si DEMO="$t/demo" SI_OUT="$t/si" DB="$t/si.db"
  echo "$output" | grep -v '^+'
  [ "$status" -eq 0 ]
  [ -s "$t/demo/utt2spk" ]
  grep -qx 'model | features | speaker norm | folds | accuracy mean | sd | min | max | pooled accuracy' <<<"$output"
  # mfcc and mfccstd, and egemaps, egemaps+mfccstd, egemapsx and egemapsx+mfccstd (--extra)
  # when wav2egemaps is built
  sets=$(cat "$t/si/sets")
  nsets=$(wc -w <<<"$sets")
  [ -x "$SENTIO_BIN/wav2egemaps" ] && [ "$nsets" -eq 6 ] || [ "$nsets" -eq 2 ]
  cfgs=("ANN mfcc none" "CNN mfcc none")
  for s in $sets; do cfgs+=("SVM $s none" "SVM $s speaker"); done
  for cfg in "${cfgs[@]}"; do
    r=$(row "$output" $cfg)
    [ -n "$r" ] || { echo "no row $cfg"; false; }
    # four folds (four voices), accuracies in [0, 1], min <= mean <= max
    awk '{ exit !($1 == 4 && $5 <= 1 && $4 >= 0 && $4 <= $2 && $2 <= $5) }' <<<"$r"
  done
  # every run finished: per fold 2 nnfit and sets x 2 svmfit, a nnpredict each; one pooled metrics per configuration
  [ "$(sqlite3 "$t/si.db" "SELECT count(*) FROM runs WHERE status != 'finished'")" = 0 ]
  [ "$(sqlite3 "$t/si.db" "SELECT group_concat(tool || '=' || n, ' ') FROM (SELECT tool, count(*) AS n FROM runs GROUP BY tool ORDER BY tool)")" = \
    "metrics=$((2 + 2 * nsets)) nnfit=8 nnpredict=$((8 + 8 * nsets)) svmfit=$((8 * nsets))" ]
  # the table's pooled accuracy is the store's predictions, recounted here from the files
  pooled=$(awk -F'\t' 'NR > 1 { n++; c += $2 == $3 } END { printf "%.3f", c / n }' "$t/si/svm-mfccstd.norm.pooled.tsv")
  [ "$(row "$output" SVM mfccstd speaker | cut -d' ' -f6)" = "$pooled" ]
  # no speaker is both trained on and held out in a fold
  for i in 1 2 3 4; do
    tr=$(featdump "$t/si/fold$i/mfcc.train.feat" | cut -f1 | sed 1d | grep -Ff - "$t/demo/utt2spk" | cut -d' ' -f2 | sort -u)
    va=$(featdump "$t/si/fold$i/mfcc.val.feat" | cut -f1 | sed 1d | grep -Ff - "$t/demo/utt2spk" | cut -d' ' -f2 | sort -u)
    [ -z "$(comm -12 <(echo "$tr") <(echo "$va"))" ]
  done
  # the per-speaker breakdown: four voices and their spread, for each configuration
  [ "$(grep -c '^over 4 speakers: accuracy mean' <<<"$output")" -eq $((2 + 2 * nsets)) ]
}

@test "make experiment-si PRIORS=\"0 4\": featnorm's prior chosen per fold inside the training folds" {
  need_tools
  [ -x "$SENTIO_BIN/wav2egemaps" ] || skip "wav2egemaps is not built yet"
  t=$BATS_TEST_TMPDIR
  run mk experiment-si DEMO="$t/demo" SI_OUT="$t/si" DB="$t/si.db" PRIORS="0 4" SI_NETS=no \
    SI_SETS="mfccstd egemapsx+mfccstd"
  echo "$output" | grep -v '^+'
  [ "$status" -eq 0 ]
  [ "$(cat "$t/si/sets")" = "mfccstd egemapsx+mfccstd" ]
  [ -z "$(row "$output" ANN mfcc none)" ]
  [ -n "$(row "$output" SVM egemapsx+mfccstd speaker)" ]
  # each fold's prior came from its training speakers: the inner splits never hold a clip
  # of the held-out fold
  for i in 1 2 3 4; do
    for s in mfccstd egemapsx+mfccstd; do
      k=$(cat "$t/si/fold$i/$s.prior")
      [ "$k" = 0 ] || [ "$k" = 4 ]
      [ "$(sqlite3 "$t/si.db" "SELECT DISTINCT p.value FROM params p JOIN params f ON f.run_id = p.run_id AND f.key = 'si_fold' AND f.value = '$i'
         JOIN params s ON s.run_id = p.run_id AND s.key = 'si_features' AND s.value = '$s' WHERE p.key = 'si_prior'")" = "$k" ]
    done
    featdump "$t/si/fold$i/mfccstd.val.feat" | grep -v '^#' | cut -f1 | sort >"$t/val"
    featdump "$t/si/fold$i/egemapsx+mfccstd.train.feat.inner/in.train.feat" "$t/si/fold$i/egemapsx+mfccstd.train.feat.inner/in.val.feat" |
      grep -v '^#' | cut -f1 | sort >"$t/inner"
    [ -z "$(comm -12 "$t/val" "$t/inner")" ]
  done
  run mk experiment-si DEMO="$t/demo" SI_OUT="$t/si2" DB="$t/si2.db" SI_SETS=bogus SI_NETS=no
  [ "$status" -ne 0 ]
  [[ "$output" == *"SI_SETS: no feature set bogus"* ]]
}

@test "make experiment-si: a data set without SPEAKER or UTT2SPK is a usage error" {
  mkdir -p "$BATS_TEST_TMPDIR/d"
  run mk experiment-si DATA="$BATS_TEST_TMPDIR/d" SI_OUT="$BATS_TEST_TMPDIR/si" DB="$BATS_TEST_TMPDIR/si.db"
  [ "$status" -ne 0 ]
  [[ "$output" == *"give SPEAKER=REGEX or UTT2SPK=FILE"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/si.db" ]
}

@test "make experiment-si on ravdess3_dev: per-speaker normalisation lifts the MFCC mean+std SVM" {
  skip_without_shared
  [ -f "$SHARED/data/ravdess3_dev/TRAIN.csv" ] || skip "no ravdess3_dev"
  need_tools
  t=$BATS_TEST_TMPDIR
  run mk experiment-si DATA="$SHARED/data/ravdess3_dev" SPEAKER='-([0-9]+)\.[a-z]+$' SI_OUT="$t/si" DB="$t/si.db"
  [ "$status" -eq 0 ]
  raw=$(row "$output" SVM mfccstd none | cut -d' ' -f6)
  norm=$(row "$output" SVM mfccstd speaker | cut -d' ' -f6)
  echo "raw $raw norm $norm"
  # the issue's prototype measured 0.58 and 0.70 on this protocol; sentio measured 0.653 and 0.764
  awk -v a="$raw" -v b="$norm" 'BEGIN { exit !(a >= 0.58 && b >= 0.70 && b > a) }'
  [ "$(grep -c '^over 18 speakers: accuracy mean' <<<"$output")" -ge 6 ]
}

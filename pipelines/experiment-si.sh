#!/bin/sh
# experiment-si.sh: speaker-independent cross-validation (make experiment-si; README,
# "Speakers the model has never heard").
#
# Usage: sh pipelines/experiment-si.sh DATA OUT DB FOLDS (--group REGEX | --utt2spk FILE)
#
# DATA is a Kaggle-layout folder (TRAIN.csv, TRAIN/). Each of FOLDS folds holds out whole
# speakers (featsplit --folds --group/--utt2spk, seed 1: the same partition for every feature
# set, whose records come in the same order). Per fold it trains, on the other folds only:
#   ANN, CNN    the seed's networks on mean MFCCs (nnfit --epochs 60, no early stopping: that
#               would peek at the held-out speakers)
#   SVM         svmfit --grid (C and gamma by 5-fold CV grouped by speaker INSIDE the training
#               folds) on every feature set: mfcc (mean, 40), mfccstd (mean+std, 80), and, when
#               wav2egemaps is built, egemaps and egemaps+mfccstd (featpaste), and egemapsx
#               and egemapsx+mfccstd (wav2egemaps --extra: the 88 and 28 more)
#   SVM+norm    the same after featnorm (per-speaker z-scores: the training folds and the
#               held-out fold each normalised with their own clips, labels never used), with
#               --prior K; when PRIORS lists several, K is chosen per fold and feature set
#               INSIDE the training folds (pipelines/inner-prior.sh: 5 speaker-grouped inner
#               folds; the most inner-correct K, ties to the first listed)
# The environment may narrow the study: SI_SETS (SVM feature sets, default all of the above),
# SI_NETS=no (no ANN and CNN), PRIORS (default 4, featnorm's default).
# Every nnfit/svmfit/nnpredict/metrics run goes to the store DB, tagged study=OUT (absolute),
# si_fold=I, si_model=M, si_features=F, si_norm=none|speaker. The table is then read from the store
# (pipelines/experiment-si-table.sh): accuracy per fold, their mean, sd, min and max, and the
# pooled accuracy and macro-F1 over all held-out clips; then each configuration's per-speaker
# breakdown (metrics --group/--utt2spk on the pooled predictions).
set -eu
[ $# -eq 6 ] || { echo "usage: sh experiment-si.sh DATA OUT DB FOLDS --group REGEX|--utt2spk FILE" >&2; exit 2; }
data=$1 out=$2 db=$3 folds=$4 spk_opt=$5 spk_arg=$6
priors=${PRIORS:-4} nets=${SI_NETS:-yes}
bin=${SENTIO_BIN:-bin}
PATH=$bin:$PATH
case $spk_opt in
  --group) norm_opt=--speaker ;;
  --utt2spk) norm_opt=--utt2spk ;;
  *) echo "experiment-si.sh: $spk_opt: --group or --utt2spk expected" >&2; exit 2 ;;
esac
mkdir -p "$out"
study=$(cd "$out" && pwd)
dataset=$(basename "$(cd "$data" && pwd)")
run() { echo "+ $*" >&2; "$@"; }
tags() { echo --db "$db" --tag study="$study" --tag dataset="$dataset" "$@"; }

# Features: one stream per set, records in TRAIN.csv's order.
run wav2mfcc -j 2 --csv "$data/TRAIN.csv" -o "$out/mfcc.feat"
run wav2mfcc -j 2 --pool meanstd --csv "$data/TRAIN.csv" -o "$out/mfccstd.feat"
sets="mfcc mfccstd"
if command -v wav2egemaps >/dev/null 2>&1; then
  run wav2egemaps -j 2 --csv "$data/TRAIN.csv" -o "$out/egemaps.feat"
  run featpaste "$out/egemaps.feat" "$out/mfccstd.feat" -o "$out/egemaps+mfccstd.feat"
  sets="$sets egemaps egemaps+mfccstd"
  if wav2egemaps --help | grep -q -- --extra; then
    run wav2egemaps -j 2 --extra --csv "$data/TRAIN.csv" -o "$out/egemapsx.feat"
    run featpaste "$out/egemapsx.feat" "$out/mfccstd.feat" -o "$out/egemapsx+mfccstd.feat"
    sets="$sets egemapsx egemapsx+mfccstd"
  fi
fi
if [ -n "${SI_SETS:-}" ]; then
  for s in $SI_SETS; do
    case " $sets " in *" $s "*) ;; *) echo "experiment-si.sh: SI_SETS: no feature set $s (have: $sets)" >&2; exit 2 ;; esac
  done
  sets=$SI_SETS
fi
echo "$sets" >"$out/sets"

# featnorm's prior for the training folds in $1: the only one of PRIORS, or the one the
# training speakers alone choose (inner-prior.sh; the held-out fold is never read).
choose_prior() {
  case $priors in *" "*) ;; *) echo "$priors"; return ;; esac
  sh "$(dirname "$0")/inner-prior.sh" "$1" "$1.inner" 5 "$spk_opt" "$spk_arg" "$priors" |
    awk -F'\t' -v order="$priors" '{ n[$1] += $2; c[$1] += $3 }
      END { m = split(order, k, " "); best = 1
            for (i = 2; i <= m; i++) if (c[k[i]] / n[k[i]] > c[k[best]] / n[k[best]]) best = i
            print k[best] }'
}

i=1
while [ "$i" -le "$folds" ]; do
  f=$out/fold$i
  mkdir -p "$f"
  for s in $sets; do
    run featsplit --folds "$folds" --fold "$i" --seed 1 "$spk_opt" "$spk_arg" "$out/$s.feat" \
      --train "$f/$s.train.feat" --val "$f/$s.val.feat" 2>/dev/null
    k=$(choose_prior "$f/$s.train.feat")
    echo "$k" >"$f/$s.prior"
    run featnorm "$norm_opt" "$spk_arg" --prior "$k" "$f/$s.train.feat" -o "$f/$s.train.norm.feat" 2>/dev/null
    run featnorm "$norm_opt" "$spk_arg" --prior "$k" "$f/$s.val.feat" -o "$f/$s.val.norm.feat" 2>/dev/null
  done
  archs="ann cnn"
  [ "$nets" = no ] && archs=
  for arch in $archs; do
    name=$(echo "$arch" | tr a-z A-Z)
    run nnfit --arch "$arch" --epochs 60 --seed 1 $(tags --tag si_fold=$i --tag si_model=$name --tag si_features=mfcc --tag si_norm=none) \
      "$f/mfcc.train.feat" -o "$f/$arch.nn" 2>"$f/$arch.fit.log"
    run nnpredict -m "$f/$arch.nn" $(tags --tag si_fold=$i --tag si_model=$name --tag si_features=mfcc --tag si_norm=none) \
      "$f/mfcc.val.feat" -o "$f/$arch.tsv"
  done
  for s in $sets; do
    for norm in none speaker; do
      sfx= prior=
      [ "$norm" = speaker ] && sfx=.norm prior="--tag si_prior=$(cat "$f/$s.prior")"
      run svmfit --grid "$spk_opt" "$spk_arg" --seed 1 $(tags --tag si_fold=$i --tag si_model=SVM --tag si_features=$s --tag si_norm=$norm $prior) \
        "$f/$s.train$sfx.feat" -o "$f/svm-$s$sfx.svm" 2>"$f/svm-$s$sfx.fit.log"
      run nnpredict -m "$f/svm-$s$sfx.svm" $(tags --tag si_fold=$i --tag si_model=SVM --tag si_features=$s --tag si_norm=$norm $prior) \
        "$f/$s.val$sfx.feat" -o "$f/svm-$s$sfx.tsv"
    done
  done
  i=$((i + 1))
done

# The pooled predictions of each configuration, scored and recorded.
configs=
[ "$nets" = no ] || configs="ann cnn"
for s in $sets; do configs="$configs svm-$s svm-$s.norm"; done
for c in $configs; do
  cat "$out"/fold*/"$c.tsv" | awk 'NR == 1 || !/^key\t/' >"$out/$c.pooled.tsv"
  run metrics $(tags --tag si_config="$c" --tag pooled=yes) --format tsv "$out/$c.pooled.tsv" -o "$out/$c.pooled.metrics.tsv"
done

sh "$(dirname "$0")/experiment-si-table.sh" "$db" "$study"
echo
echo "Per speaker (pooled held-out predictions; accuracy and macro-F1 per speaker and their spread):"
for c in $configs; do
  echo "== $c"
  metrics "$spk_opt" "$spk_arg" "$out/$c.pooled.tsv" 2>/dev/null | sed -n '/^speaker/,$p' || true
done

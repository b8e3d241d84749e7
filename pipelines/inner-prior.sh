#!/bin/sh
# inner-prior.sh: featnorm's --prior scored inside one training set, never looking outside it
# (choose-prior.sh, and experiment-si.sh when PRIORS lists several).
#
# Usage: sh pipelines/inner-prior.sh TRAIN WORK INNER (--group REGEX | --utt2spk FILE) PRIORS
#
# TRAIN's speakers are split into INNER speaker-grouped folds (featsplit --seed 2; one per
# speaker when there are fewer, as svmfit --grid does); for each prior K of PRIORS (a
# space-separated list), both sides of every split are normalised with featnorm --prior K (each
# with its own clips), svmfit --grid is trained on one side and scored on the other. Prints one
# line per split and K: K TAB held-out rows TAB correct. WORK holds scratch files.
set -eu
[ $# -eq 6 ] || { echo "usage: sh inner-prior.sh TRAIN WORK INNER --group REGEX|--utt2spk FILE PRIORS" >&2; exit 2; }
train=$1 work=$2 inner=$3 spk_opt=$4 spk_arg=$5 priors=$6
PATH=${SENTIO_BIN:-bin}:$PATH
case $spk_opt in --group) norm_opt=--speaker ;; *) norm_opt=--utt2spk ;; esac
mkdir -p "$work"
while ! featsplit --folds "$inner" --fold 1 --seed 2 "$spk_opt" "$spk_arg" "$train" \
  --train "$work/in.train.feat" --val "$work/in.val.feat" 2>/dev/null; do
  inner=$((inner - 1))
  [ "$inner" -ge 2 ] || { echo "inner-prior.sh: $train: fewer than 2 speakers" >&2; exit 1; }
done
j=1
while [ "$j" -le "$inner" ]; do
  featsplit --folds "$inner" --fold "$j" --seed 2 "$spk_opt" "$spk_arg" "$train" \
    --train "$work/in.train.feat" --val "$work/in.val.feat" 2>/dev/null
  for k in $priors; do
    featnorm "$norm_opt" "$spk_arg" --prior "$k" "$work/in.train.feat" -o "$work/n.train.feat" 2>/dev/null
    featnorm "$norm_opt" "$spk_arg" --prior "$k" "$work/in.val.feat" -o "$work/n.val.feat" 2>/dev/null
    svmfit --grid "$spk_opt" "$spk_arg" --grid-folds 4 "$work/n.train.feat" -o "$work/m.svm" 2>/dev/null
    nnpredict -m "$work/m.svm" "$work/n.val.feat" |
      awk -F'\t' -v k="$k" 'NR > 1 { n++; c += $2 == $3 } END { print k "\t" n "\t" c }'
  done
  j=$((j + 1))
done

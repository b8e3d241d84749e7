#!/bin/sh
# Speaker-independent evaluation: K-fold cross-validation where each fold holds out
# whole speakers, so no voice is heard in both training and validation.
# For RAVDESS-style names (03-01-EE-II-SS-RR-AA.wav) the actor is the last field.
#
#   examples/speaker-independent.sh DATA_DIR [K] [ARCH]
#
# DATA_DIR holds TRAIN.csv and TRAIN/. Prints the accuracy of each fold and the report
# over all folds' predictions together.
set -eu
data=${1:?usage: $0 DATA_DIR [K] [ARCH]}
k=${2:-5}
arch=${3:-ann}
actor='-([0-9]+)\.[a-z0-9]+$'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

wav2mfcc -j 2 --csv "$data/TRAIN.csv" -o "$work/all.feat"
for i in $(seq 1 "$k"); do
  featsplit --folds "$k" --fold "$i" --group "$actor" "$work/all.feat" \
    --train "$work/train$i.feat" --val "$work/val$i.feat" 2>/dev/null
  # No early stopping on the held-out speakers: that would peek at them.
  nnfit --arch "$arch" --epochs 60 "$work/train$i.feat" -o "$work/m$i.nn" 2>/dev/null
  nnpredict -m "$work/m$i.nn" "$work/val$i.feat" -o "$work/pred$i.tsv"
  printf 'fold %s: accuracy %s\n' "$i" \
    "$(metrics --format tsv "$work/pred$i.tsv" | awk -F'\t' '$1 == "accuracy" { print $2 }')"
done
metrics "$work"/pred*.tsv

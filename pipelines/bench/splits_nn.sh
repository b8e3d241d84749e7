#!/bin/sh
# make splits-nn: a developer check of how much the validation accuracy on
# ../shared/data/sentimiento_es depends on which 80/20 split is held out. For
# --pool mean and meanstd and both seed models, it trains on the split of
# `featsplit --sklearn --seed 42` (the issue's, sklearn's random_state=42) and on
# the splits of seeds 1..SPLITS (default 20), with nnfit --seed 1..SEEDS (default
# 3) and, where /usr/bin/python3 has torch, the PyTorch replica of Keras's
# training (keras_reference.py) with as many seeds. It prints, per pool, model and
# trainer: the mean accuracy on split 42, its mean over the other splits, how
# many of those splits are harder than 42, and how many reach 0.95; then the
# clips of split 42 that nnfit gets wrong in at least half of its runs.
# Skips (exit 0) without the data.
set -eu
bin=${SENTIO_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
here=$(cd "$(dirname "$0")" && pwd)
data=${SENTIO_DATA:-$(cd "$here/../../.." && pwd)/shared/data/sentimiento_es}
splits=${SPLITS:-20}
seeds=${SEEDS:-3}

[ -f "$data/TRAIN.csv" ] || { echo "splits-nn: skipped: no $data/TRAIN.csv"; exit 0; }
. "$here/torch_python.sh"
[ -n "$py" ] || echo "splits-nn: no python3 with torch and numpy: nnfit only"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for pool in mean meanstd; do
  "$bin/wav2mfcc" -j 2 --pool $pool --csv "$data/TRAIN.csv" -o "$tmp/all.feat"
  for split in 42 $(seq 1 "$splits"); do
    "$bin/featsplit" --sklearn --test-size 0.2 --seed "$split" --train "$tmp/tr.feat" --val "$tmp/va.feat" \
      "$tmp/all.feat" 2>/dev/null
    [ -z "$py" ] || { "$bin/featdump" --csv "$tmp/tr.feat" > "$tmp/tr.csv"; "$bin/featdump" --csv "$tmp/va.feat" > "$tmp/va.csv"; }
    for arch in ann cnn; do
      for s in $(seq 1 "$seeds"); do
        "$bin/nnfit" --arch $arch --seed "$s" --val "$tmp/va.feat" "$tmp/tr.feat" -o "$tmp/m.nn" 2>/dev/null
        "$bin/nnpredict" -m "$tmp/m.nn" "$tmp/va.feat" |
          awk -F'\t' -v p=$pool -v a=$arch -v sp="$split" -v out="$tmp/wrong" '
            NR > 1 { n++; if ($2 == $3) c++; else if (sp == 42) print p, a, $1, $2, $3 >> out }
            END { printf "%s %s nnfit %s %.6f\n", p, a, sp, c / n }' >> "$tmp/acc"
      done
      [ -z "$py" ] || "$py" "$here/keras_reference.py" --arch $arch --seeds "$seeds" "$tmp/tr.csv" "$tmp/va.csv" |
        awk -v p=$pool -v a=$arch -v sp="$split" '{ for (i = 1; i < NF; i++) if ($i == "val_acc") print p, a, "keras", sp, $(i + 1) }' >> "$tmp/acc"
    done
  done
done

echo "Validation accuracy of the final model, sentimiento_es, 80/20 splits (51 clips: 1 clip = 0.0196);"
echo "each split's accuracy is the mean of $seeds seeds."
printf '%-8s %-4s %-6s | %-8s | %-16s | %-16s | %s\n' pool arch impl split42 "other splits" "harder than 42" ">= 0.95"
awk '{ k = $1 " " $2 " " $3; s[k, $4] += $5; n[k, $4]++; keys[k] = 1; sp[$4] = 1 }
  END {
    for (k in keys) {
      a42 = s[k, 42] / n[k, 42]; m = 0; cnt = 0; harder = 0; reach = 0
      for (p in sp) if (p != 42) { a = s[k, p] / n[k, p]; m += a; cnt++; harder += a < a42; reach += a >= 0.95 }
      split(k, f, " ")
      printf "%-8s %-4s %-6s | %8.4f | %8.4f (%d)    | %5d of %-7d | %d of %d\n", f[1], f[2], f[3], a42, m / cnt, cnt, harder, cnt, reach, cnt
    }
  }' "$tmp/acc" | sort
echo
echo "Split 42: clips nnfit gets wrong in at least half of its $seeds runs (pool arch key label -> predictions)"
sort "$tmp/wrong" | awk -v half="$seeds" '
  { k = $1 " " $2 " " $3 " " $4; c[k]++; pred[k] = pred[k] " " $5 }
  END { for (k in c) if (2 * c[k] >= half) printf "%s ->%s\n", k, pred[k] }' | sort

#!/bin/sh
# make fidelity-nn: a developer check that nnfit trains as Keras does (see
# keras_reference.py). On ../shared/data/sentimiento_es, 80/20 split with
# `featsplit --sklearn --seed 42`, for --pool mean and meanstd, both seed models:
#   1. nnfit --seed 1..SEEDS and the PyTorch replica of Keras (its own RNG, seeds
#      1..SEEDS): the distributions of the final model's validation accuracy and
#      loss, the first epoch's training loss and the epochs run (mean, median, min,
#      max), and a Mann-Whitney U test of the two accuracy samples;
#   2. nnfit --seed 1 and the replica drawing nnfit's own initial weights, batches
#      and dropout masks: the largest difference of any epoch's loss and val_loss,
#      and whether both stop at the same epoch.
# Skips (exit 0) without the data or without python3 + torch. SEEDS (default 30);
# RUNS_OUT=FILE keeps the table of every run.
set -eu
bin=${SENTIO_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
here=$(cd "$(dirname "$0")" && pwd)
data=${SENTIO_DATA:-$(cd "$here/../../.." && pwd)/shared/data/sentimiento_es}
seeds=${SEEDS:-30}

[ -f "$data/TRAIN.csv" ] || { echo "fidelity-nn: skipped: no $data/TRAIN.csv"; exit 0; }
. "$here/torch_python.sh"
[ -n "$py" ] || { echo "fidelity-nn: skipped: no python3 with torch and numpy"; exit 0; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# nnfit's final model: the restored best epoch's figures, else the last epoch's.
nnfit_summary() { # seed log
  awk -v seed="$1" '
    /^epoch / { n++; if (n == 1) first = $4; vl = $8; va = $10 }
    /^best epoch / { best = $3; if ($0 ~ /restored/) { vl = $5; va = $7; r = "yes" } else r = "no" }
    END { printf "seed %d epochs_run %d best_epoch %d restored %s first_loss %s val_loss %s val_acc %s\n",
          seed, n, best, r, first, vl, va }' "$2"
}

for pool in mean meanstd; do
  "$bin/wav2mfcc" -j 2 --pool $pool --csv "$data/TRAIN.csv" -o "$tmp/all.feat"
  "$bin/featsplit" --sklearn --test-size 0.2 --seed 42 --train "$tmp/tr.feat" --val "$tmp/va.feat" \
    "$tmp/all.feat" 2>/dev/null
  "$bin/featdump" --csv "$tmp/tr.feat" > "$tmp/tr.csv"
  "$bin/featdump" --csv "$tmp/va.feat" > "$tmp/va.csv"
  for arch in ann cnn; do
    s=1
    while [ $s -le "$seeds" ]; do
      "$bin/nnfit" --arch $arch --seed $s --val "$tmp/va.feat" "$tmp/tr.feat" -o "$tmp/m.nn" 2> "$tmp/log"
      echo "$pool $arch nnfit $(nnfit_summary $s "$tmp/log")" >> "$tmp/runs"
      s=$((s + 1))
    done
    # Rounded as nnfit prints them (%.4f), so that equal accuracies tie.
    "$py" "$here/keras_reference.py" --arch $arch --seeds "$seeds" "$tmp/tr.csv" "$tmp/va.csv" |
      awk -v p=$pool -v a=$arch '{ for (i = 14; i <= NF; i += 2) $i = sprintf("%.4f", $i)
                                   print p, a, "keras", $0 }' >> "$tmp/runs"
    # Same initial weights, batches and dropout masks: epoch by epoch.
    rm -f "$tmp/e.db"
    "$bin/nnfit" --arch $arch --seed 1 --db "$tmp/e.db" --val "$tmp/va.feat" "$tmp/tr.feat" -o "$tmp/m.nn" 2> "$tmp/log"
    sqlite3 -separator ' ' "$tmp/e.db" "select step, key, printf('%.9g', value) from metrics where step > 0 and key in ('loss', 'val_loss')" > "$tmp/nn_trace"
    "$py" "$here/keras_reference.py" --arch $arch --seed 1 --rng nnfit --trace "$tmp/tr.csv" "$tmp/va.csv" > "$tmp/ref_trace"
    echo "$pool $arch $(nnfit_summary 1 "$tmp/log")" >> "$tmp/exact_nn"
    awk -v p=$pool -v a=$arch '{ print p, a, $0 }' "$tmp/nn_trace" >> "$tmp/exact_nn_trace"
    awk -v p=$pool -v a=$arch '/^epoch / { print p, a, $0 }' "$tmp/ref_trace" >> "$tmp/exact_ref_trace"
  done
done

[ -z "${RUNS_OUT:-}" ] || cp "$tmp/runs" "$RUNS_OUT"
"$py" - "$tmp" <<'EOF'
import statistics, sys
tmp = sys.argv[1]
def fields(line):
    w = line.split()
    return w[:3], dict(zip(w[3::2], w[4::2]))
runs = {}
for line in open(tmp + "/runs"):
    key, f = fields(line)
    runs.setdefault(tuple(key), []).append(f)
try:
    from scipy.stats import mannwhitneyu
except ImportError:
    mannwhitneyu = None
print("1. Final model on the validation split, seeds 1..%d (val 51 clips: 1 clip = 0.0196)"
      % len(next(iter(runs.values()))))
print("%-8s %-4s %-6s | %-27s | %-27s | %-6s %-5s" % ("pool", "arch", "impl", "val_acc mean med min max",
      "val_loss mean med min max", "loss_1", "epochs"))
print("(loss_1: the first epoch's training loss, mean; epochs: epochs run, mean)")
for (pool, arch, impl), rs in sorted(runs.items()):
    acc = [float(r["val_acc"]) for r in rs]
    loss = [float(r["val_loss"]) for r in rs]
    first = [float(r["first_loss"]) for r in rs]
    ep = [int(r["epochs_run"]) for r in rs]
    q = lambda v: "%.3f %.3f %.3f %.3f" % (statistics.mean(v), statistics.median(v), min(v), max(v))
    print("%-8s %-4s %-6s | %-27s | %-27s | %.4f %5.1f" % (pool, arch, impl, q(acc), q(loss),
          statistics.mean(first), statistics.mean(ep)))
    if impl == "nnfit" and mannwhitneyu:
        other = runs[(pool, arch, "keras")]
        ps = ["%s %.2f" % (k, mannwhitneyu([float(r[k]) for r in rs], [float(r[k]) for r in other],
                                           alternative="two-sided").pvalue)
              for k in ("val_acc", "val_loss", "first_loss", "epochs_run")]
        print("%-20s   Mann-Whitney U p, nnfit vs keras: %s" % ("", ", ".join(ps)))
print()
print("2. Same initial weights, batches and dropout masks (seed 1): largest |difference| over all epochs")
nn, ref = {}, {}
for line in open(tmp + "/exact_nn_trace"):
    pool, arch, step, key, v = line.split()
    nn[(pool, arch, int(step), key)] = float(v)
for line in open(tmp + "/exact_ref_trace"):
    w = line.split()
    pool, arch, f = w[0], w[1], dict(zip(w[2::2], w[3::2]))
    for key in ("loss", "val_loss"):
        ref[(pool, arch, int(f["epoch"]), key)] = float(f[key])
ends = {}
for line in open(tmp + "/exact_nn"):
    w = line.split()
    ends[(w[0], w[1])] = dict(zip(w[2::2], w[3::2]))
for pool, arch in sorted({(k[0], k[1]) for k in nn}):
    keys = [k for k in nn if k[:2] == (pool, arch)]
    common = [k for k in keys if k in ref]
    epochs_ref = max(k[2] for k in ref if k[:2] == (pool, arch))
    d1 = max(abs(nn[k] - ref[k]) for k in common if k[2] == 1)
    d = max(abs(nn[k] - ref[k]) for k in common)
    print("%-8s %-4s epochs nnfit %d keras %d | epoch 1: %.1e | all epochs: %.1e" % (
        pool, arch, max(k[2] for k in keys), epochs_ref, d1, d))
EOF

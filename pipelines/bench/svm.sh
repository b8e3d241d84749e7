#!/bin/sh
# Times svmfit --grid (5 C x 5 gamma, 5 speaker-grouped folds, then the final model with
# probabilities) on 216 x 168 features (18 speakers of 12 clips, 3 classes, synthetic: the
# size of ravdess3_dev with eGeMAPS + MFCC mean+std), against scikit-learn's GridSearchCV
# over SVC (also libsvm) on the very same folds and grid, refit with probability=True, in the
# same session. Prints the medians of RUNS runs (default 5) and their ratio, and checks that
# both grids found the same accuracies (the same libsvm solver on the same data).
set -eu
bin=${SENTIO_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
group='^s([0-9]+)-'

# 216 records of 168 values: class means differ a little, every speaker has an offset.
awk 'BEGIN { srand(3); for (s = 0; s < 18; s++) { for (j = 0; j < 168; j++) off[j] = rand() * 2 - 1
  for (c = 0; c < 12; c++) { k = c % 3; printf "s%02d-%02d\t%s\t\t", s, c, substr("NPU", k + 1, 1)
    for (j = 0; j < 168; j++) printf "%s%.6f", (j ? " " : ""), off[j] + 0.25 * (j % 3 == k) + rand() * 2 - 1
    printf "\n" } } }' |
  perl -e 'binmode STDOUT; while (<STDIN>) { chomp; my ($k, $l, $m, $v) = split /\t/; my @v = split / /, $v;
    print pack("a4 v v V V V V V", "SNTF", 1, 0, length $k, length $l, 0, 1, scalar @v), $k, $l, pack("f<*", @v) }' \
  >"$tmp/b.feat"
"$bin/featdump" --csv "$tmp/b.feat" >"$tmp/b.csv"
# The grid's folds, as svmfit draws them (featsplit's grouped K-fold with the same seed).
for k in 1 2 3 4 5; do
  "$bin/featsplit" --folds 5 --fold "$k" --seed 1 --group "$group" "$tmp/b.feat" \
    --train /dev/null --val "$tmp/v.feat" 2>/dev/null
  "$bin/featdump" "$tmp/v.feat" | awk -F'\t' -v k="$k" '!/^#/ { print $1 "\t" k - 1 }'
done >"$tmp/folds.tsv"

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
: >"$tmp/t_svmfit"
i=0
while [ $i -lt "$runs" ]; do
  t0=$(now)
  "$bin/svmfit" --grid --group "$group" "$tmp/b.feat" -o "$tmp/m.svm" 2>"$tmp/grid.txt"
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$tmp/t_svmfit"
  i=$((i + 1))
done
ours=$(median <"$tmp/t_svmfit")
echo "svmfit --grid, 216 x 168, 5 x 5 grid, 5 grouped folds + final fit: median $ours s ($runs runs)"
awk -v t="$ours" 'BEGIN { printf "  that is %.3f s per fold of the grid, the final fit included\n", t / 5 }'

# Debian's python3-sklearn is for the system python3, which may not be first in PATH.
py=
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import sklearn, numpy' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
  echo "scikit-learn: not installed (apt-get install python3-sklearn; make bench installs it as root)"
  exit 0
fi
"$py" - "$tmp/b.csv" "$tmp/folds.tsv" "$runs" "$tmp/grid.txt" <<'PY'
import sys, time, numpy as np
from sklearn.svm import SVC
from sklearn.model_selection import GridSearchCV, PredefinedSplit
from sklearn.preprocessing import StandardScaler
csv, folds_path, runs, grid_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = [l.rstrip("\n").split(",") for l in open(csv)][1:]
keys = [r[0] for r in rows]; y = np.array([r[1] for r in rows])
X = np.array([[float(v) for v in r[2:]] for r in rows])
fold = dict(l.split("\t") for l in open(folds_path).read().split("\n") if l)
test_fold = np.array([int(fold[k]) for k in keys])
d = X.shape[1]
grid = {"C": [0.25, 1, 4, 16, 64], "gamma": [m / d for m in (0.125, 0.25, 0.5, 1, 2)]}
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    Xs = StandardScaler().fit_transform(X)
    gs = GridSearchCV(SVC(kernel="rbf", cache_size=100), grid, cv=PredefinedSplit(test_fold),
                      scoring="accuracy", n_jobs=1, refit=False).fit(Xs, y)
    best = gs.best_params_
    SVC(kernel="rbf", C=best["C"], gamma=best["gamma"], probability=True, random_state=1).fit(Xs, y)
    times.append(time.perf_counter() - t0)
ref = float(np.median(times))
# sklearn's mean_test_score averages the folds; svmfit pools the held-out rows. The folds
# differ in size, so compare the pooled figure: sum over folds of acc_k * n_k / n.
n_k = np.bincount(test_fold)
pooled = sum(gs.cv_results_["split%d_test_score" % k] * n_k[k] for k in range(len(n_k))) / len(y)
ours = []
for line in open(grid_path).read().split("\n")[2:]:
    f = line.replace("*", " ").split()
    if len(f) == 6:
        ours += [float(v) for v in f[1:]]
diff = float(np.max(np.abs(np.array(ours) - pooled))) if len(ours) == 25 else float("nan")
print("scikit-learn %s GridSearchCV(SVC) + refit with probabilities, same folds and grid: "
      "median %.4f s (in-process, imports excluded)" % (__import__("sklearn").__version__, ref))
print("largest difference between the two grids' accuracies: %.4f" % diff)
with open(grid_path + ".ref", "w") as f:
    f.write("%.6f\n" % ref)
PY
ref=$(cat "$tmp/grid.txt.ref")
awk -v a="$ours" -v b="$ref" 'BEGIN { printf "svmfit / scikit-learn time: %.2f (below 1: svmfit is faster)\n", a / b }'

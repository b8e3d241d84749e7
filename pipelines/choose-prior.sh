#!/bin/sh
# choose-prior.sh: featnorm's --prior chosen inside the training folds only (make choose-prior).
#
# Usage: sh pipelines/choose-prior.sh FEATURES OUT FOLDS INNER (--group REGEX | --utt2spk FILE) [PRIORS]
#
# For each outer fold I of FOLDS (whole speakers held out, featsplit --seed 1 as in
# experiment-si.sh) the held-out fold is set aside and never read: the training folds alone are
# split again into INNER speaker-grouped folds; for each prior K, both sides of each inner split
# are normalised with featnorm --prior K (each with its own clips), svmfit --grid is trained on
# the inner training side and scored on the inner held-out side. Prints, per outer fold, the
# inner accuracy of every K and the K it would choose (highest; ties to the smaller K), then
# the inner accuracy of each K averaged over the outer folds.
set -eu
[ $# -ge 6 ] || { echo "usage: sh choose-prior.sh FEATURES OUT FOLDS INNER --group REGEX|--utt2spk FILE [PRIORS]" >&2; exit 2; }
feat=$1 out=$2 folds=$3 inner=$4 spk_opt=$5 spk_arg=$6
priors=${7:-0 1 2 4 8 16 32}
PATH=${SENTIO_BIN:-bin}:$PATH
mkdir -p "$out"
: >"$out/inner.tsv"
i=1
while [ "$i" -le "$folds" ]; do
  featsplit --folds "$folds" --fold "$i" --seed 1 "$spk_opt" "$spk_arg" "$feat" \
    --train "$out/outer.train.feat" --val /dev/null 2>/dev/null
  sh "$(dirname "$0")/inner-prior.sh" "$out/outer.train.feat" "$out" "$inner" "$spk_opt" "$spk_arg" "$priors" |
    awk -v i="$i" '{ print i "\t" $0 }' >>"$out/inner.tsv"
  i=$((i + 1))
done
awk -F'\t' '
  { n[$1, $2] += $3; c[$1, $2] += $4; folds[$1]; ks[$2] }
  END {
    printf "outer fold"; for (k in ks) order[++nk] = k + 0
    for (a = 1; a <= nk; a++) for (b = a + 1; b <= nk; b++) if (order[b] < order[a]) { t = order[a]; order[a] = order[b]; order[b] = t }
    for (a = 1; a <= nk; a++) printf "\tK=%s", order[a]; print "\tchosen"
    for (i in folds) {
      printf "%s", i; best = -1
      for (a = 1; a <= nk; a++) { acc = c[i, order[a]] / n[i, order[a]]; printf "\t%.3f", acc; if (acc > best) { best = acc; bk = order[a] } }
      print "\t" bk; chosen[bk]++; tot_folds++
      for (a = 1; a <= nk; a++) { sn[order[a]] += n[i, order[a]]; sc[order[a]] += c[i, order[a]] }
    }
    printf "all"; for (a = 1; a <= nk; a++) printf "\t%.3f", sc[order[a]] / sn[order[a]]; print ""
    printf "times chosen"; for (a = 1; a <= nk; a++) printf "\t%d", chosen[order[a]]; print ""
  }' "$out/inner.tsv"

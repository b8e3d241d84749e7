#!/bin/bash
# Benchmark of sharded extraction (pipelines/extract-sharded.sh) through the launchers
# (man 7 sentio-cmd) on ../shared/data:
#   1. launcher overhead: the wall time of T tasks of `true` through run.sh, parallel.sh and
#      slurm.sh, per task (T = 1, 4, 16);
#   2. extraction of each set's TRAIN list with wav2mfcc -j 1 per shard, NJ = 1, 2, 4, through
#      each launcher, against one wav2mfcc -j 1 process over the whole list ("direct"), and
#      each worker's peak resident memory (GNU time's %M) as its shard shrinks from the whole
#      list to a quarter: a streaming extractor's stays the same.
# slurm.sh runs on the local four-node cluster of tests/cluster/slurm-up.sh (root and the
# deps.sh cluster packages; skipped otherwise), parallel.sh with --sshlogin : (skipped without
# GNU parallel). Every sharded output is checked byte-identical to the direct one. Medians of
# BENCH_RUNS runs (default 3), the configurations interleaved run by run.
# Usage: cluster.sh [BIN_DIR [DATA_DIR]]
set -uo pipefail
bin=$(cd "${1:-bin}" && pwd)
data=${2:-../shared/data}
runs=${BENCH_RUNS:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
cmds=$here/cmd
if [ ! -d "$data" ]; then
  echo "bench cluster: skipped: $data is not present"
  exit 0
fi
data=$(cd "$data" && pwd)
gnutime=/usr/bin/time
[ -x $gnutime ] || { echo "bench cluster: $gnutime not found (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d)
cluster=""
cleanup() {
  [ -n "$cluster" ] && "$here/../tests/cluster/slurm-down.sh" "$cluster" && rm -rf "$cluster"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

launchers=(run.sh)
command -v parallel >/dev/null && launchers+=(parallel.sh) ||
  echo "bench cluster: parallel.sh skipped: GNU parallel is not installed"
cluster=$(mktemp -d /tmp/sentio-slurm.XXXXXX)
if up=$("$here/../tests/cluster/slurm-up.sh" "$cluster" 2>&1); then
  export SLURM_CONF=$cluster/slurm.conf
  launchers+=(slurm.sh)
else
  echo "bench cluster: slurm.sh skipped: ${up#slurm-up.sh: }"
  rm -rf "$cluster"
  cluster=""
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# launcher NAME: the launcher's command (run.sh may run 16 at once, as the others may)
launcher() {
  case $1 in
    run.sh) echo "$cmds/run.sh --max-jobs-run 16" ;;
    *) echo "$cmds/$1" ;;
  esac
}

echo "== launcher overhead: T tasks of 'true', wall time per task (median of $runs)"
printf '%-12s %5s %12s %14s\n' launcher tasks median_s per_task_ms
for l in "${launchers[@]}"; do
  for t in 1 4 16; do
    : >"$tmp/o"
    for _ in $(seq "$runs"); do
      t0=$(now)
      $(launcher $l) JOB=1:$t "$tmp/ov/log/true.JOB.log" true || { echo "bench cluster: $l failed" >&2; exit 1; }
      t1=$(now)
      elapsed "$t0" "$t1" >>"$tmp/o"; echo >>"$tmp/o"
    done
    m=$(median <"$tmp/o")
    printf '%-12s %5d %12.3f %14.1f\n' "$l" "$t" "$m" "$(awk -v m="$m" -v t="$t" 'BEGIN { print m / t * 1000 }')"
  done
done

echo
echo "== extraction of TRAIN, wav2mfcc -j 1 per worker (median of $runs; peak RSS of each worker)"
printf '%-16s %6s %-12s %3s %10s %8s %11s %16s\n' set clips launcher NJ median_s speedup clips/worker worker_maxrss_kB
for set in sentimiento_es ravdess3_dev; do
  csv=$data/$set/TRAIN.csv
  [ -f "$csv" ] || continue
  clips=$(($(grep -c . "$csv") - 1))
  configs=(direct:1)
  for l in "${launchers[@]}"; do for nj in 1 2 4; do configs+=("$l:$nj"); done; done
  for c in "${configs[@]}"; do : >"$tmp/t.$c"; : >"$tmp/m.$c"; done
  for _ in $(seq "$runs"); do
    for c in "${configs[@]}"; do
      l=${c%%:*} nj=${c#*:}
      rm -rf "$tmp/sh" "$tmp/out.feat"
      t0=$(now)
      if [ "$l" = direct ]; then
        $gnutime -f '# maxrss_kb=%M' -o "$tmp/direct.rss" "$bin/wav2mfcc" -j 1 --csv "$csv" -o "$tmp/direct.feat" ||
          exit 1
      else
        bash "$here/extract-sharded.sh" --cmd "$(launcher "$l")" --nj "$nj" --header --dir "$tmp/sh" \
          -o "$tmp/out.feat" "$csv" -- $gnutime -f '# maxrss_kb=%M' "$bin/wav2mfcc" -j 1 \
          --dir "$data/$set/TRAIN" --csv || { echo "bench cluster: $l NJ=$nj failed" >&2; exit 1; }
      fi
      t1=$(now)
      elapsed "$t0" "$t1" >>"$tmp/t.$c"; echo >>"$tmp/t.$c"
      if [ "$l" = direct ]; then
        sed -n 's/^# maxrss_kb=//p' "$tmp/direct.rss" >>"$tmp/m.$c"
      else
        cmp -s "$tmp/direct.feat" "$tmp/out.feat" || { echo "bench cluster: $l NJ=$nj: not the direct bytes" >&2; exit 1; }
        cat "$tmp/sh/log"/extract.*.log | sed -n 's/^# maxrss_kb=//p' >>"$tmp/m.$c"
      fi
    done
  done
  direct=$(median <"$tmp/t.direct:1")
  for c in "${configs[@]}"; do
    l=${c%%:*} nj=${c#*:}
    m=$(median <"$tmp/t.$c")
    rss=$(sort -n "$tmp/m.$c" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print (lo == hi) ? lo : lo ".." hi }')
    printf '%-16s %6d %-12s %3d %10.3f %8.2f %11d %16s\n' "$set" "$clips" "$l" "$nj" "$m" \
      "$(awk -v d="$direct" -v m="$m" 'BEGIN { print d / m }')" $(((clips + nj - 1) / nj)) "$rss"
  done
done
echo "(speedup: direct's median / this one's; $(nproc) cores here, shared with whatever else runs)"

#!/bin/bash
# Benchmark of wav2egemaps on ../shared/data (48 kHz sets): x-realtime on one core (-j 1),
# against its own decode stage (--stage decode, the floor any tool reading these files pays),
# and the scaling of -j 2 over -j 1. Runs are interleaved so all see the same machine;
# medians over BENCH_RUNS runs (default 3) are reported, of wall time and of CPU time
# (user + system: what one core spends, not inflated when other work shares the machine).
# Usage: wav2egemaps.sh [BIN_DIR [DATA_DIR]]
set -euo pipefail
bin=${1:-bin}
data=${2:-../shared/data}
runs=${BENCH_RUNS:-3}
if [ ! -d "$data" ]; then
  echo "bench wav2egemaps: skipped: $data is not present"
  exit 0
fi
tool=$bin/wav2egemaps
command -v soxi >/dev/null || { echo "bench wav2egemaps: soxi not found (apt-get install sox)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# timed CMD...: "WALL CPU" seconds of CMD (CPU = user + system of it and its children).
timed() {
  local t0 t1 cpu TIMEFORMAT='%3U %3S'
  t0=$(now)
  cpu=$( { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }')
  t1=$(now)
  echo "$(elapsed "$t0" "$t1") $cpu"
}

printf '%-16s %6s %8s | %-28s %9s %10s %6s\n' set clips audio_s what median_s x_realtime ratio
for set in sentimiento_es ravdess3_dev; do
  csv=$data/$set/TRAIN.csv
  [ -f "$csv" ] || continue
  tail -n +2 "$csv" | tr -d '\r' | cut -d, -f1 | sed "s|^|$data/$set/TRAIN/|" >"$tmp/files"
  clips=$(wc -l <"$tmp/files")
  audio=$(tr '\n' '\0' <"$tmp/files" | xargs -0 soxi -D | awk '{ s += $1 } END { printf "%.1f", s }')
  : >"$tmp/j1"; : >"$tmp/decode"; : >"$tmp/j2"
  for _ in $(seq "$runs"); do
    timed "$tool" -j 1 --csv "$csv" >>"$tmp/j1"
    timed "$tool" -j 1 --stage decode --csv "$csv" >>"$tmp/decode"
    timed "$tool" -j 2 --csv "$csv" >>"$tmp/j2"
  done
  m1=$(cut -d' ' -f1 "$tmp/j1" | median); md=$(cut -d' ' -f1 "$tmp/decode" | median)
  m2=$(cut -d' ' -f1 "$tmp/j2" | median)
  c1=$(cut -d' ' -f2 "$tmp/j1" | median); cd=$(cut -d' ' -f2 "$tmp/decode" | median)
  row() { printf '%-16s %6s %8s | %-28s %9.3f %10.0f %6s\n' "$set" "$clips" "$audio" "$1" "$2" \
    "$(awk -v a="$audio" -v t="$2" 'BEGIN { print a / t }')" "$3"; }
  row "wav2egemaps -j 1" "$m1" "1.00"
  row "wav2egemaps --stage decode" "$md" "$(awk -v a="$m1" -v b="$md" 'BEGIN { printf "%.2f", b / a }')"
  row "wav2egemaps -j 2" "$m2" "$(awk -v a="$m1" -v b="$m2" 'BEGIN { printf "%.2f", b / a }')"
  row "wav2egemaps -j 1, CPU time" "$c1" "-"
  row "--stage decode, CPU time" "$cd" "-"
  awk -v a="$audio" -v t="$c1" -v d="$cd" -v w1="$m1" -v w2="$m2" -v s="$set" 'BEGIN {
    xr = a / t; xf = a / (t - d); sc = w1 / w2
    printf "%-16s targets: %.0fx realtime on one core, CPU time (>= 300: %s); %.0fx without decoding; -j 2 scales %.2fx (wall)\n",
      s, xr, (xr >= 300 ? "met" : "MISSED"), xf, sc }'
done

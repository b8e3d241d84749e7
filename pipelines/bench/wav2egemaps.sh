#!/bin/bash
# Benchmark of wav2egemaps on ../shared/data (48 kHz sets): x-realtime on one core (-j 1),
# against its own decode stage (--stage decode, the floor any tool reading these files pays),
# and the scaling of -j 2 over -j 1. Runs are interleaved so all see the same machine;
# medians over BENCH_RUNS runs (default 3) are reported, of wall time and of CPU time
# (user + system: what one core spends, less inflated when other work shares the machine).
# The timing loop is xrealtime.sh's.
# Usage: wav2egemaps.sh [BIN_DIR [DATA_DIR]]
set -euo pipefail
. "$(dirname "$0")/xrealtime.sh"
bench_init wav2egemaps 3 "$@"
tool=$bin/wav2egemaps

run() {
  timed j1 "$tool" -j 1 --csv "$csv"
  timed decode "$tool" -j 1 --stage decode --csv "$csv"
  timed j2 "$tool" -j 2 --csv "$csv"
}
report() {
  local m1 md m2 c1 cd c2
  m1=$(median_of j1 wall) md=$(median_of decode wall) m2=$(median_of j2 wall)
  c1=$(median_of j1 cpu) cd=$(median_of decode cpu) c2=$(median_of j2 cpu)
  row "wav2egemaps -j 1" "$m1" "1.00"
  row "wav2egemaps --stage decode" "$md" "$(ratio "$m1" "$md")"
  row "wav2egemaps -j 2" "$m2" "$(ratio "$m1" "$m2")"
  row "wav2egemaps -j 1, CPU time" "$c1" "-"
  row "--stage decode, CPU time" "$cd" "-"
  row "wav2egemaps -j 2, CPU time" "$c2" "-"
  awk -v a="$audio" -v t="$c1" -v d="$cd" -v w1="$m1" -v w2="$m2" -v s="$set" 'BEGIN {
    xr = a / t; xf = a / (t - d); sc = w1 / w2
    printf "%-16s targets: %.0fx realtime on one core, CPU time (>= 300: %s); %.0fx without decoding; -j 2 scales %.2fx (wall)\n",
      s, xr, (xr >= 300 ? "met" : "MISSED"), xf, sc }'
}
bench_sets run report

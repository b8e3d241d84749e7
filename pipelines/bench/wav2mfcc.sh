#!/bin/bash
# Benchmark of wav2mfcc on ../shared/data: x-realtime on one core (-j 1), against
# (a) its own decode+resample stage (--stage decode), the floor any MFCC tool
#     reading these files pays, and
# (b) SPTK 3's MFCC pipeline on the same files in the same run:
#     sox FILE -t raw -r 22050 -b 16 -c 1 - | x2x +sf | frame | window | mfcc
# Runs are interleaved (a, b, c, a, b, c, ...) so the three see the same machine;
# medians of wall time over BENCH_RUNS runs (default 5) are reported. The timing loop is
# xrealtime.sh's.
# Usage: wav2mfcc.sh [BIN_DIR [DATA_DIR]]
set -euo pipefail
. "$(dirname "$0")/xrealtime.sh"
bench_init wav2mfcc 5 "$@"
wav2mfcc=$bin/wav2mfcc
[ -d /usr/libexec/sptk/bin ] && PATH=/usr/libexec/sptk/bin:$PATH
for tool in sox x2x frame window mfcc; do
  command -v $tool >/dev/null || { echo "bench wav2mfcc: $tool not found (apt-get install sox sptk)" >&2; exit 1; }
done

sptk_mfcc() { # every file of list $1, one process chain per file as an SPTK user runs it
  while IFS= read -r f; do
    sox -V1 "$f" -t raw -r 22050 -e signed -b 16 -c 1 - |
      x2x +sf | frame -l 2048 -p 512 | window -l 2048 -L 2048 -w 1 |
      mfcc -l 2048 -L 2048 -m 40 -n 128 -s 22.05 -w 1 -a 0 -c 0
  done <"$1" >/dev/null
}

run() {
  timed all "$wav2mfcc" -j 1 --csv "$csv"
  timed decode "$wav2mfcc" -j 1 --stage decode --csv "$csv"
  timed sptk sptk_mfcc "$tmp/files"
}
report() {
  local m_all m_dec m_sptk
  m_all=$(median_of all wall) m_dec=$(median_of decode wall) m_sptk=$(median_of sptk wall)
  row "wav2mfcc -j 1" "$m_all" "1.00"
  row "wav2mfcc --stage decode" "$m_dec" "$(ratio "$m_all" "$m_dec")"
  row "SPTK sox|x2x|frame|window|mfcc" "$m_sptk" "$(awk -v a="$m_all" -v b="$m_sptk" 'BEGIN { printf "%.1f", b / a }')"
  awk -v a="$audio" -v t="$m_all" -v d="$m_dec" -v s="$set" 'BEGIN {
    xr = a / t; fl = t / d
    printf "%-16s targets: %.0fx realtime (>= 800: %s), %.2fx the decode+resample floor (<= 1.3: %s)\n",
      s, xr, (xr >= 800 ? "met" : "MISSED"), fl, (fl <= 1.3 ? "met" : "MISSED") }'
}
bench_sets run report

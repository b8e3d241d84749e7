#!/bin/bash
# Benchmark of wav2mfcc on ../shared/data: x-realtime on one core (-j 1), against
# (a) its own decode+resample stage (--stage decode), the floor any MFCC tool
#     reading these files pays, and
# (b) SPTK 3's MFCC pipeline on the same files in the same run:
#     sox FILE -t raw -r 22050 -b 16 -c 1 - | x2x +sf | frame | window | mfcc
# Runs are interleaved (a, b, c, a, b, c, ...) so the three see the same machine;
# medians over BENCH_RUNS runs (default 5) are reported.
# Usage: wav2mfcc.sh [BIN_DIR [DATA_DIR]]
set -euo pipefail
bin=${1:-bin}
data=${2:-../shared/data}
runs=${BENCH_RUNS:-5}
if [ ! -d "$data" ]; then
  echo "bench wav2mfcc: skipped: $data is not present"
  exit 0
fi
wav2mfcc=$bin/wav2mfcc
[ -d /usr/libexec/sptk/bin ] && PATH=/usr/libexec/sptk/bin:$PATH
for tool in sox soxi x2x frame window mfcc; do
  command -v $tool >/dev/null || { echo "bench wav2mfcc: $tool not found (apt-get install sox sptk)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

sptk_mfcc() { # every file of list $1, one process chain per file as an SPTK user runs it
  while IFS= read -r f; do
    sox -V1 "$f" -t raw -r 22050 -e signed -b 16 -c 1 - |
      x2x +sf | frame -l 2048 -p 512 | window -l 2048 -L 2048 -w 1 |
      mfcc -l 2048 -L 2048 -m 40 -n 128 -s 22.05 -w 1 -a 0 -c 0
  done <"$1" >/dev/null
}

printf '%-16s %6s %8s | %-28s %9s %10s %6s\n' set clips audio_s what median_s x_realtime ratio
for set in sentimiento_es ravdess3_dev; do
  csv=$data/$set/TRAIN.csv
  [ -f "$csv" ] || continue
  # Paths of the clips, from the CSV's Filename column (plain names in these sets).
  tail -n +2 "$csv" | tr -d '\r' | cut -d, -f1 | sed "s|^|$data/$set/TRAIN/|" >"$tmp/files"
  clips=$(wc -l <"$tmp/files")
  audio=$(tr '\n' '\0' <"$tmp/files" | xargs -0 soxi -D | awk '{ s += $1 } END { printf "%.1f", s }')
  : >"$tmp/all"; : >"$tmp/decode"; : >"$tmp/sptk"
  for _ in $(seq "$runs"); do
    t0=$(now); "$wav2mfcc" -j 1 --csv "$csv" >/dev/null; t1=$(now)
    elapsed "$t0" "$t1" >>"$tmp/all"; echo >>"$tmp/all"
    t0=$(now); "$wav2mfcc" -j 1 --stage decode --csv "$csv"; t1=$(now)
    elapsed "$t0" "$t1" >>"$tmp/decode"; echo >>"$tmp/decode"
    t0=$(now); sptk_mfcc "$tmp/files"; t1=$(now)
    elapsed "$t0" "$t1" >>"$tmp/sptk"; echo >>"$tmp/sptk"
  done
  m_all=$(median <"$tmp/all"); m_dec=$(median <"$tmp/decode"); m_sptk=$(median <"$tmp/sptk")
  row() { printf '%-16s %6s %8s | %-28s %9.3f %10.0f %6s\n' "$set" "$clips" "$audio" "$1" "$2" \
    "$(awk -v a="$audio" -v t="$2" 'BEGIN { print a / t }')" "$3"; }
  row "wav2mfcc -j 1" "$m_all" "1.00"
  row "wav2mfcc --stage decode" "$m_dec" "$(awk -v a="$m_all" -v b="$m_dec" 'BEGIN { printf "%.2f", b / a }')"
  row "SPTK sox|x2x|frame|window|mfcc" "$m_sptk" "$(awk -v a="$m_all" -v b="$m_sptk" 'BEGIN { printf "%.1f", b / a }')"
  awk -v a="$audio" -v t="$m_all" -v d="$m_dec" -v s="$set" 'BEGIN {
    xr = a / t; fl = t / d
    printf "%-16s targets: %.0fx realtime (>= 800: %s), %.2fx the decode+resample floor (<= 1.3: %s)\n",
      s, xr, (xr >= 800 ? "met" : "MISSED"), fl, (fl <= 1.3 ? "met" : "MISSED") }'
done

# xrealtime.sh - the timing loop shared by the x-realtime benchmarks of the feature extractors
# (wav2mfcc.sh, wav2egemaps.sh): sourced, not run. A benchmark calls
#   bench_init NAME DEFAULT_RUNS [BIN_DIR [DATA_DIR]]   (exits 0, "skipped", without the data)
#   bench_sets RUN REPORT
# where, for each 48 kHz set of DATA_DIR present (sentimiento_es, ravdess3_dev), RUN is called
# once per run (BENCH_RUNS runs, default DEFAULT_RUNS) to time its commands, interleaved, with
# `timed LABEL CMD ...`, and REPORT once with the medians at hand
# (`median_of LABEL wall|cpu`) to print `row` lines. Each set ends with the load average,
# the measure of how much other work shared the machine.
# Set by bench_init: bin, data, runs, tmp (removed at exit). By bench_sets: set, csv, clips,
# audio (seconds), and $tmp/files (the set's clip paths).

bench_init() {
  bench_name=$1
  runs=${BENCH_RUNS:-$2}
  bin=${3:-bin}
  data=${4:-../shared/data}
  if [ ! -d "$data" ]; then
    echo "bench $bench_name: skipped: $data is not present"
    exit 0
  fi
  command -v soxi >/dev/null ||
    { echo "bench $bench_name: soxi not found (apt-get install sox)" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
}

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# timed LABEL CMD...: appends "WALL CPU" seconds of CMD (its output discarded) to $tmp/LABEL;
# CPU = user + system of it and its children: what the cores spend on it, less inflated than
# wall time when other work shares the machine.
timed() {
  local label=$1 t0 t1 cpu TIMEFORMAT='%3U %3S'
  shift
  t0=$(now)
  cpu=$( { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }')
  t1=$(now)
  awk -v a="$t0" -v b="$t1" -v c="$cpu" 'BEGIN { printf "%.4f %s\n", b - a, c }' >>"$tmp/t/$label"
}

# median_of LABEL wall|cpu: the median over the runs.
median_of() {
  local field=1
  [ "$2" = cpu ] && field=2
  cut -d' ' -f$field "$tmp/t/$1" | median
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

row_header() {
  printf '%-16s %6s %8s | %-30s %9s %10s %6s\n' set clips audio_s what median_s x_realtime ratio
}

# row WHAT SECONDS RATIO: a table line for the current set.
row() {
  printf '%-16s %6s %8s | %-30s %9.3f %10.0f %6s\n' "$set" "$clips" "$audio" "$1" "$2" \
    "$(awk -v a="$audio" -v t="$2" 'BEGIN { print a / t }')" "$3"
}

bench_sets() {
  local run=$1 report=$2
  row_header
  for set in sentimiento_es ravdess3_dev; do
    csv=$data/$set/TRAIN.csv
    [ -f "$csv" ] || continue
    # Paths of the clips, from the CSV's Filename column (plain names in these sets).
    tail -n +2 "$csv" | tr -d '\r' | cut -d, -f1 | sed "s|^|$data/$set/TRAIN/|" >"$tmp/files"
    clips=$(wc -l <"$tmp/files")
    audio=$(tr '\n' '\0' <"$tmp/files" | xargs -0 soxi -D | awk '{ s += $1 } END { printf "%.1f", s }')
    rm -rf "$tmp/t" && mkdir "$tmp/t"
    for _ in $(seq "$runs"); do
      "$run"
    done
    "$report"
    printf '%-16s load average during the runs (1, 5, 15 min): %s\n' "$set" \
      "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
}

#!/bin/sh
# Runs each libFuzzer harness named for SECONDS on its seed corpus and prints, per
# harness, the executions, the coverage reached and any crash with its reproducer.
# Usage: run.sh SECONDS NAME...   (FUZZ_BUILD: where make fuzz-build put the harnesses)
# New interesting inputs go to $FUZZ_BUILD/corpus/NAME (the seeds in
# tests/fuzz/corpus/NAME are only read), crashes to $FUZZ_BUILD/crashes/NAME/.
# tests/fuzz/NAME.options, when present, holds more libFuzzer flags for NAME (one
# per line, '#' comments), as OSS-Fuzz's .options files do.
set -u
seconds=$1
shift
build=${FUZZ_BUILD:-build-fuzz}
here=$(dirname "$0")
failed=0
for name in "$@"; do
  bin=$build/fuzz/fuzz_$name
  work=$build/corpus/$name
  crashes=$build/crashes/$name
  log=$build/logs/$name.log
  mkdir -p "$work" "$crashes" "$build/logs"
  set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/"
  [ -f "$here/$name.dict" ] && set -- "$@" -dict="$here/$name.dict"
  if [ -f "$here/$name.options" ]; then
    # shellcheck disable=SC2046 # one flag per line, none with blanks
    set -- "$@" $(sed -e 's/#.*//' "$here/$name.options")
  fi
  seeds=$here/corpus/$name
  [ -d "$seeds" ] || seeds=
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
    "$bin" "$@" "$work" $seeds > "$log" 2>&1
  rc=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1 ft \2/p')
  if [ "$rc" = 0 ]; then
    printf 'fuzz %-11s ok    %10s execs  %6s/s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}"
  else
    failed=1
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    printf 'fuzz %-11s FAIL  %10s execs  %s (log %s)\n' "$name" "${execs:-?}" "${cov:-?}" "$log"
    grep -E 'property broken|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" | head -n 5
    [ -n "$crash" ] && echo "  reproduce: make fuzz-repro HARNESS=$name FILE=$crash"
  fi
done
exit $failed

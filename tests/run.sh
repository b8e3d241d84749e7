#!/bin/sh
# Runs the C unit tests given as arguments and every tests/*.bats file, all as TAP,
# and ends with one line "N passed, N failed, N skipped". Exit 1 if anything failed.
# SENTIO_ONLY=unit|bats runs one half.
set -u
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
if [ "${SENTIO_ONLY:-}" != bats ]; then
  for t in "$@"; do
    echo "# unit: $(basename "$t")"
    # A unit binary that dies (a sanitizer report, a crash) counts as a failure of its own.
    "$t" || { status=1; echo "not ok - $(basename "$t") exited with status $?"; }
  done
fi >>"$log" 2>&1
if [ "${SENTIO_ONLY:-}" != unit ]; then
  set -- "$here"/*.bats
  if [ -e "$1" ]; then
    bats --tap "$@" || status=1
  fi
fi >>"$log" 2>&1
cat "$log"
skipped=$(grep -c '^ok .*# [sS][kK][iI][pP]' "$log")
passed=$(( $(grep -c '^ok ' "$log") - skipped ))
failed=$(grep -c '^not ok ' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "not ok - a test runner failed without reporting a failing test (see above)"
  failed=1
fi
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status

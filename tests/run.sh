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
    "$t" || status=1
  done
fi >>"$log" 2>&1
if [ "${SENTIO_ONLY:-}" != unit ]; then
  # --jobs needs GNU parallel; the suites are cheap enough to run in turn.
  bats --tap "$here"/*.bats || status=1
fi >>"$log" 2>&1
cat "$log"
passed=$(grep -c '^ok .*# [sS][kK][iI][pP]' "$log")
skipped=$passed
passed=$(( $(grep -c '^ok ' "$log") - skipped ))
failed=$(grep -c '^not ok ' "$log")
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status

#!/bin/sh
# A long fuzzing campaign toward an execution target, resumable: each harness named runs in
# turn, CHUNK seconds at a time (through run.sh: the same flags, dictionaries, persistent
# corpus and crash handling as make fuzz), until the executions tallied in
# $FUZZ_BUILD/campaign/NAME reach TARGET. A crash ends that harness's turn for good (run.sh
# prints the reproducer; its chunk is tallied as failed). Running it again continues from
# the tallies; `touch $FUZZ_BUILD/campaign/stop` ends it after the chunk under way.
# At the end it prints one row per harness: executions, chunks, the last coverage, crashes.
# Exit status: 0 when every harness named reached TARGET without a crash, else 1.
# Usage: campaign.sh TARGET CHUNK NAME...
set -u
target=$1 chunk=$2
shift 2
build=${FUZZ_BUILD:-build-fuzz}
here=$(dirname "$0")
tally=$build/campaign
mkdir -p "$tally"

executed() { awk '{ s += $1 } END { print s + 0 }' "$tally/$1" 2>/dev/null || echo 0; }
crashed() { grep -q ' FAIL ' "$tally/$1" 2>/dev/null; }

for name in "$@"; do
  while [ ! -f "$tally/stop" ] && ! crashed "$name" && [ "$(executed "$name")" -lt "$target" ]; do
    said=$(FUZZ_BUILD=$build sh "$here/run.sh" "$chunk" "$name")
    printf '%s\n' "$said" >&2
    line=$(printf '%s\n' "$said" | head -n 1)
    # "fuzz NAME ok|FAIL EXECS execs ... cov C ft F": one tally line per chunk
    printf '%s\n' "$line" | awk -v when="$(date -u +%FT%TZ)" '{
      cov = ft = "?"
      for (i = 1; i < NF; i++) { if ($i == "cov") cov = $(i + 1); if ($i == "ft") ft = $(i + 1) }
      printf "%s %s %s %s %s\n", ($4 ~ /^[0-9]+$/ ? $4 : 0), ($3 == "ok" ? "ok" : "FAIL"), cov, ft, when
    }' >>"$tally/$name"
  done
done

status=0
printf '%-11s %12s %7s %7s %7s %8s\n' harness executions chunks cov ft crashes
for name in "$@"; do
  n=$(executed "$name")
  awk -v name="$name" -v n="$n" '{ chunks++; if ($2 == "FAIL") crashes++; cov = $3; ft = $4 }
    END { printf "%-11s %12d %7d %7s %7s %8d\n", name, n, chunks, cov, ft, crashes }' "$tally/$name" 2>/dev/null ||
    printf '%-11s %12d %7d %7s %7s %8d\n' "$name" 0 0 - - 0
  if crashed "$name" || [ "$n" -lt "$target" ]; then status=1; fi
done
exit $status

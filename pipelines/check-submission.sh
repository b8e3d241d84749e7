#!/bin/sh
# check-submission.sh: a Kaggle submission has exactly one row per TEST clip.
#
# Usage: sh pipelines/check-submission.sh SUBMISSION.csv TESTDIR AUDIO_RE [SKIPPED.tsv]
#
# The TEST clips are TESTDIR's files whose names match the extended regular expression
# AUDIO_RE (case-insensitive), as make experiment's TEST step lists them. SUBMISSION's
# Filename column (its first; RFC 4180 quotes allowed) must name each of them exactly once
# and nothing else; the keys of SKIPPED.tsv (wav2mfcc --skipped-list) may be missing.
# Exits 1 naming the missing, repeated or unknown clips.
set -eu
[ $# -ge 3 ] || { echo "usage: sh check-submission.sh SUBMISSION.csv TESTDIR AUDIO_RE [SKIPPED.tsv]" >&2; exit 2; }
csv=$1 dir=$2 re=$3 skipped=${4:-/dev/null}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-submission.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$dir" && LC_ALL=C ls) | grep -Ei "$re" | LC_ALL=C sort >"$tmp/clips" || true
cut -f1 "$skipped" | LC_ALL=C sort >"$tmp/skipped"
LC_ALL=C comm -23 "$tmp/clips" "$tmp/skipped" >"$tmp/want"
# The first field of every row after the header, unquoted.
awk 'NR > 1 {
  sub(/\r$/, "")
  if (substr($0, 1, 1) != "\"") { sub(/,.*/, ""); print; next }
  f = ""; i = 2
  while (i <= length($0)) {
    c = substr($0, i, 1)
    if (c == "\"") { if (substr($0, i + 1, 1) == "\"") { f = f "\""; i += 2; continue } break }
    f = f c; i++
  }
  print f
}' "$csv" | LC_ALL=C sort >"$tmp/rows"
bad=0
report() { # report WHAT FILE
  [ -s "$2" ] || return 0
  echo "check-submission.sh: $csv: $1 ($(wc -l <"$2") of $(wc -l <"$tmp/want") TEST clips): $(paste -sd' ' "$2")" >&2
  bad=1
}
LC_ALL=C comm -23 "$tmp/want" "$tmp/rows" >"$tmp/missing"
LC_ALL=C uniq -d "$tmp/rows" >"$tmp/repeated"
LC_ALL=C sort -u "$tmp/rows" | LC_ALL=C comm -13 "$tmp/clips" - >"$tmp/unknown"
report "no row for" "$tmp/missing"
report "more than one row for" "$tmp/repeated"
report "rows for files that are not TEST clips" "$tmp/unknown"
exit $bad

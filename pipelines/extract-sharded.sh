#!/bin/bash
# extract-sharded.sh: runs a feature extractor over a clip list in N shards through a launcher
# (pipelines/cmd/run.sh, slurm.sh, parallel.sh: man 7 sentio-cmd) and concatenates the shard
# streams, in order, into one file: the bytes one run over the whole list writes.
#
# Usage: extract-sharded.sh [--cmd LAUNCHER] [--nj N] [--header] [--keep-going SKIPPED] \
#            --dir DIR -o OUT LIST -- EXTRACTOR [ARG...]
#
#   LIST            the clips, one a line (- = stdin); with --header its first line is a
#                   header (a CSV's) repeated atop every shard
#   --nj N          shards (int, 1..100000, default 1): contiguous runs of LIST's lines
#                   (split -n l/N), so that concatenating them keeps LIST's order
#   --cmd LAUNCHER  the launcher and its options, words separated by spaces (default:
#                   pipelines/cmd/run.sh)
#   --dir DIR       where the shards go: DIR/list.K, DIR/log/extract.K.log, DIR/out.K (removed
#                   once OUT is written). On a cluster, on the file system every node sees.
#   -o OUT          the concatenation, written under a temporary name and renamed: a failure
#                   leaves no OUT and an older OUT intact
#   --keep-going SKIPPED
#                   each shard runs `EXTRACTOR --keep-going --skipped-list DIR/skipped.K ARGS
#                   ...`, its exit 3 (clips skipped) counting as success; the shards' lists of
#                   KEY<TAB>reason lines are concatenated, in order, into SKIPPED (written like
#                   OUT, empty when no clip was skipped), and the run exits 3 when any was
#                   skipped
#   EXTRACTOR ARGS  the command; each shard runs `EXTRACTOR ARGS DIR/list.K -o DIR/out.K`, so
#                   ARGS end with the option that takes the list (wav2mfcc's --csv or --list)
#
# A shard that failed or left no output fails the whole run, naming the shard, its log and the
# tool's last words (which name the clip it stopped at).
# Exit status: 0, 1 on a failed or missing shard, 2 on a usage error (-h: this help, 0), 3 when
# --keep-going skipped clips (OUT and SKIPPED are written).
#
# Example (what make experiment NJ=4 CMD=pipelines/cmd/slurm.sh runs):
#   extract-sharded.sh --cmd pipelines/cmd/slurm.sh --nj 4 --header --dir out/shards/train \
#       -o out/train.feat data/TRAIN.csv -- wav2mfcc -j 2 --dir data/TRAIN --csv
set -u
prog=extract-sharded.sh
here=$(cd "$(dirname "$0")" && pwd)
# usage [STATUS]: the header above as help, on stdout with 0, on stderr with 2 (the default).
usage() {
  local status=${1:-2}
  [ "$status" = 0 ] || exec >&2
  sed -n '2,/^set -u/{/^set -u/d; s/^# \{0,1\}//; p}' "$0"
  exit "$status"
}
die() { echo "$prog: $*" >&2; exit 2; }

launcher=$here/cmd/run.sh nj=1 header=0 dir="" out="" skipped=""
while [ $# -gt 0 ]; do
  case $1 in
    --cmd) [ $# -ge 2 ] || usage; launcher=$2; shift 2 ;;
    --nj) [ $# -ge 2 ] || usage; nj=$2; shift 2 ;;
    --header) header=1; shift ;;
    --keep-going) [ $# -ge 2 ] || usage; skipped=$2; shift 2 ;;
    --dir) [ $# -ge 2 ] || usage; dir=$2; shift 2 ;;
    -o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    --) shift; break ;;
    -?*) die "unknown option $1 (see $prog --help)" ;;
    *) [ -z "${list+x}" ] || die "one LIST only (then -- EXTRACTOR ...)"; list=$1; shift ;;
  esac
done
[[ $nj =~ ^[1-9][0-9]{0,4}$ ]] && [ "$nj" -le 100000 ] || die "--nj '$nj': give a whole number from 1 to 100000"
[ -n "$dir" ] || die "--dir DIR is required"
[ -n "$out" ] || die "-o OUT is required"
[ -n "${list+x}" ] || die "no LIST given"
[ $# -ge 1 ] || die "no extractor given after --"
read -r -a launch <<<"$launcher"
[ ${#launch[@]} -ge 1 ] || die "--cmd is empty"

mkdir -p "$dir/log" || exit 1
# (what an earlier run with more shards left must not be mistaken for this run's)
rm -f "$dir"/list.* "$dir"/out.* "$dir"/skipped.* "$dir"/log/extract.*.log
whole=$dir/list.all
if [ "$list" = - ]; then
  cat >"$whole" || exit 1
else
  [ -r "$list" ] || { echo "$prog: $list: cannot read it" >&2; exit 1; }
  cp "$list" "$whole" || exit 1
fi
body=$whole
if [ $header = 1 ]; then
  body=$dir/list.body
  tail -n +2 "$whole" >"$body" || exit 1
fi
for ((k = 1; k <= nj; k++)); do
  {
    [ $header = 1 ] && head -n 1 "$whole"
    split -n "l/$k/$nj" "$body"
  } >"$dir/list.$k" || exit 1
done

if [ -n "$skipped" ]; then
  # (words without blanks or quotes reach the task's bash as they are: exit 3 becomes 0)
  "${launch[@]}" JOB=1:"$nj" "$dir/log/extract.JOB.log" "$1" --keep-going \
    --skipped-list "$dir/skipped.JOB" "${@:2}" "$dir/list.JOB" -o "$dir/out.JOB" '||' exit '$(($?==3?0:$?))'
else
  "${launch[@]}" JOB=1:"$nj" "$dir/log/extract.JOB.log" "$@" "$dir/list.JOB" -o "$dir/out.JOB"
fi
launched=$?

# Every shard must have ended with code 0 and left its output; name those that did not, with
# the last lines their command wrote.
bad=0
for ((k = 1; k <= nj; k++)); do
  log=$dir/log/extract.$k.log
  code=$(sed -n 's/^# Ended (code \([0-9]*\)).*/\1/p' "$log" 2>/dev/null | tail -n 1)
  if [ "$code" = 0 ] && [ -f "$dir/out.$k" ] && { [ -z "$skipped" ] || [ -f "$dir/skipped.$k" ]; }; then
    continue
  fi
  bad=$((bad + 1))
  if [ -z "$code" ]; then
    echo "$prog: shard $k of $nj did not finish; see $log" >&2
  elif [ "$code" != 0 ]; then
    echo "$prog: shard $k of $nj failed (code $code); see $log:" >&2
    grep -v '^#' "$log" | tail -n 3 | sed 's/^/  /' >&2
  elif [ ! -f "$dir/out.$k" ]; then
    echo "$prog: shard $k of $nj left no $dir/out.$k; see $log" >&2
  else
    echo "$prog: shard $k of $nj left no $dir/skipped.$k; see $log" >&2
  fi
done
if [ $bad -gt 0 ] || [ $launched -ne 0 ]; then
  [ $bad -gt 0 ] || echo "$prog: the launcher ${launch[0]} failed (status $launched)" >&2
  exit 1
fi

# OUT (and SKIPPED) under temporary names first, renamed once both are whole.
tmp="" tmp_skipped=""
trap 'rm -f ${tmp:+"$tmp"} ${tmp_skipped:+"$tmp_skipped"}' EXIT
trap 'exit 130' INT TERM HUP
# concat TARGET PART: the shards' DIR/PART.K, in order, into TARGET.
concat() {
  local k
  for ((k = 1; k <= nj; k++)); do cat "$dir/$2.$k" || return 1; done >"$1" &&
    chmod "$(printf %o $((0666 & ~$(umask))))" "$1"
}
tmp=$(mktemp "$out.XXXXXX") && concat "$tmp" out || exit 1
if [ -n "$skipped" ]; then
  tmp_skipped=$(mktemp "$skipped.XXXXXX") && concat "$tmp_skipped" skipped || exit 1
fi
mv -f "$tmp" "$out" || exit 1
tmp=""
status=0
if [ -n "$skipped" ]; then
  mv -f "$tmp_skipped" "$skipped" || exit 1
  tmp_skipped=""
  [ -s "$skipped" ] && status=3
fi
trap - EXIT
rm -f "$dir"/out.* "$dir"/skipped.*
exit $status

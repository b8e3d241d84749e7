#!/bin/bash
# pipelines/cmd/task.sh: runs one task of a launcher (run.sh, slurm.sh, parallel.sh), on
# whatever host the engine chose, and writes its log as Kaldi's launchers do:
#
#   # COMMAND (NAME replaced by N)
#   # Started at DATE on HOST (task N of NAME=A:B[, slurm job J on node NODE])
#   #
#   ...the command's stdout and stderr...
#   # Accounting: time=SECONDS threads=T
#   # Ended (code C) at DATE, elapsed time SECONDS seconds
#
# Usage: task.sh [-C DIR] [--threads T] [--timeout SECONDS] NAME N LOG COMMAND
# NAME is the placeholder ("-": none) that becomes N in LOG and COMMAND. COMMAND runs under
# bash with pipefail, stdin from /dev/null, in DIR. Exit status: COMMAND's (124 after the
# timeout); SIGTERM, SIGINT or SIGHUP stop COMMAND and still write the footer.
set -u
dir=. threads=1 timeout=""
while [ $# -gt 0 ]; do
  case $1 in
    -C) dir=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -eq 4 ] || { echo "usage: task.sh [-C DIR] [--threads T] [--timeout SECONDS] NAME N LOG COMMAND" >&2; exit 2; }
name=$1 n=$2 log=$3 cmd=$4
if [ "$name" != - ]; then
  log=${log//$name/$n}
  cmd=${cmd//$name/$n}
fi
cd "$dir" || exit 1
mkdir -p "$(dirname "$log")" 2>/dev/null
where="task $n"
[ -n "${SLURM_JOB_ID:-}" ] &&
  where+=", slurm job ${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}_${SLURM_ARRAY_TASK_ID:-0} on node ${SLURMD_NODENAME:-?}"
start=$(date +%s)
{
  printf '# %s\n' "$cmd"
  printf '# Started at %s on %s (%s)\n' "$(date)" "$(hostname)" "$where"
  printf '#\n'
} >"$log" || { echo "task.sh: cannot write $log" >&2; exit 1; }

# The command gets a process group of its own (setsid), so that a signal stops all of it.
if [ -n "$timeout" ]; then
  setsid timeout "$timeout" bash -o pipefail -c "$cmd" </dev/null >>"$log" 2>&1 &
else
  setsid bash -o pipefail -c "$cmd" </dev/null >>"$log" 2>&1 &
fi
child=$!
stop() { kill -TERM -- "-$child" 2>/dev/null; }
trap stop TERM INT HUP
# wait returns early when a trapped signal arrives; wait again until the command is gone.
code=""
while :; do
  wait "$child"
  code=$?
  kill -0 "$child" 2>/dev/null || break
done
[ -n "$timeout" ] && [ "$code" = 124 ] && echo "# Timed out after $timeout seconds" >>"$log"

end=$(date +%s)
{
  printf '# Accounting: time=%d threads=%d\n' $((end - start)) "$threads"
  printf '# Ended (code %d) at %s, elapsed time %d seconds\n' "$code" "$(date)" $((end - start))
} >>"$log"
exit "$code"

#!/bin/bash
# pipelines/cmd/run.sh: the local launcher (Kaldi's run.pl): tasks as processes on this machine.
#   run.sh [--max-jobs-run M] [--num-threads T] [--mem SIZE] [--time LIMIT] [JOB=A:B] LOG COMMAND...
# At most M tasks at once; by default as many as fit this machine: its cores divided by T,
# and, given --mem, no more than its available memory (MemAvailable) holds. --time stops a
# task (code 124) after LIMIT. The convention and the logs: man 7 sentio-cmd.
set -u
CMD_PROG=run.sh
CMD_ENGINE_OPTS=""
CMD_ENGINE_HELP=""
CMD_DEFAULT_MAX="cores / T, within MemAvailable / SIZE"
CMD_ENGINE_MAP="--max-jobs-run caps the processes at once; --num-threads and --mem lower
the default cap to what the cores and MemAvailable hold; --time runs each task under timeout(1)."
. "$(dirname "$0")/common.sh"
cmd_parse "$@"

max=$CMD_MAX_JOBS
if [ -z "$max" ]; then
  max=$(($(nproc) / CMD_THREADS))
  if [ -n "$CMD_MEM" ]; then
    avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo 2>/dev/null)
    if [[ $avail_kb =~ ^[0-9]+$ ]]; then
      fit=$((avail_kb * 1024 / $(cmd_mem_bytes "$CMD_MEM")))
      [ "$fit" -lt "$max" ] && max=$fit
    fi
  fi
  [ "$max" -ge 1 ] || max=1
fi
cmd_prepare

declare -A running=() # PID -> task number
interrupted() {
  local pid
  for pid in "${!running[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait
  echo "$CMD_PROG: interrupted; stopped the running tasks" >&2
  exit 130
}
trap interrupted INT TERM HUP

for ((n = CMD_FIRST; n <= CMD_LAST; n++)); do
  while [ ${#running[@]} -ge "$max" ]; do
    wait -n -p done_pid
    unset "running[$done_pid]"
  done
  cmd_task_args $n
  "$CMD_TASK" "${CMD_TASK_ARGS[@]}" &
  running[$!]=$n
done
while [ ${#running[@]} -gt 0 ]; do
  wait -n -p done_pid
  unset "running[$done_pid]"
done
cmd_collect

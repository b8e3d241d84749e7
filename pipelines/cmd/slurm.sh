#!/bin/bash
# pipelines/cmd/slurm.sh: the Slurm launcher (Kaldi's slurm.pl): the tasks as one job array.
#   slurm.sh [--max-jobs-run M] [--num-threads T] [--mem SIZE] [--time LIMIT] [JOB=A:B] LOG COMMAND...
# Submits `sbatch --array=A-B[%M]` (a batch script LOGDIR/q/NAME.sh running
# pipelines/cmd/task.sh), polls squeue until no task is left, then reads each task's log
# footer. SENTIO_SLURM_OPTS adds sbatch options (e.g. "--partition=long --account=proj").
# The submitting directory, the logs and the programs must be at the same paths on every
# node (a shared file system). The convention and the logs: man 7 sentio-cmd.
set -u
CMD_PROG=slurm.sh
CMD_ENGINE_OPTS=""
CMD_ENGINE_HELP=""
CMD_DEFAULT_MAX="as many as Slurm grants"
CMD_ENGINE_MAP="one sbatch --array=A-B%M job; --num-threads T is --cpus-per-task=T,
--mem --mem, --time --time. SENTIO_SLURM_OPTS adds sbatch options."
. "$(dirname "$0")/common.sh"
cmd_parse "$@"
for prog in sbatch squeue scontrol scancel; do
  command -v $prog >/dev/null 2>&1 || { echo "$CMD_PROG: $prog not found: is this a Slurm submit host?" >&2; exit 1; }
done
cmd_prepare

base=$(cmd_base)
script=$CMD_QDIR/$base.sh
cmd_write_script "$script"
array=$CMD_FIRST-$CMD_LAST${CMD_MAX_JOBS:+%$CMD_MAX_JOBS}
jobname=$(cmd_subst "$base" "")
jobname=${jobname%.}
opts=(--parsable --job-name="${jobname:-sentio}" --array="$array" --cpus-per-task="$CMD_THREADS"
  --output="$CMD_QDIR/$(cmd_subst "$base" %a).out")
[ -n "$CMD_MEM" ] && opts+=(--mem="$CMD_MEM")
[ -n "$CMD_TIME" ] && opts+=(--time="$CMD_TIME")
# shellcheck disable=SC2206 # SENTIO_SLURM_OPTS is a list of words by design
opts+=(${SENTIO_SLURM_OPTS:-})

out=$(sbatch "${opts[@]}" "$script" 2>&1) || {
  echo "$CMD_PROG: sbatch failed: $out" >&2
  exit 1
}
job=${out%%;*}
[[ $job =~ ^[0-9]+$ ]] || { echo "$CMD_PROG: sbatch said '$out', not a job id" >&2; exit 1; }

cancel() {
  scancel "$job" 2>/dev/null
  echo "$CMD_PROG: interrupted; cancelled job $job" >&2
  exit 130
}
trap cancel INT TERM HUP

# Poll squeue until the job has left the queue, every tenth of the time waited so far (0.1 s
# at least, 5 s at most): a short array is seen done within 0.1 s, a long one costs the
# controller one query per 5 s, and the wait is never more than about 10% late. A job gone
# from the controller reads "Invalid job id"; other errors (the controller restarting) are
# waited out for up to 5 minutes.
ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
start=$(ms) since_ok=$SECONDS
while :; do
  if out=$(squeue -h -j "$job" -o %i 2>&1); then
    [ -z "$out" ] && break
    since_ok=$SECONDS
  elif [[ $out == *"Invalid job id"* ]]; then
    break
  elif [ $((SECONDS - since_ok)) -ge 300 ]; then
    echo "$CMD_PROG: squeue has failed for 5 minutes ($out); job $job may still be running" >&2
    exit 1
  fi
  delay=$((($(ms) - start) / 10))
  [ $delay -lt 100 ] && delay=100
  [ $delay -gt 5000 ] && delay=5000
  sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
done

# What Slurm knows of each task (no accounting database is needed: the controller keeps
# finished jobs for MinJobAge), for the message about a task that wrote no footer.
declare -A CMD_TASK_STATE=()
while read -r line; do
  [[ $line =~ ArrayTaskId=([0-9]+) ]] || continue
  n=${BASH_REMATCH[1]}
  [[ $line =~ JobState=([A-Z_]+) ]] && CMD_TASK_STATE[$n]="slurm job ${job}_$n: ${BASH_REMATCH[1]}"
done < <(scontrol -o show job "$job" 2>/dev/null)
cmd_collect "${SENTIO_LOG_WAIT:-5}"

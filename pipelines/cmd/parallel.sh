#!/bin/bash
# pipelines/cmd/parallel.sh: the GNU parallel launcher: the tasks spread over hosts by ssh.
#   parallel.sh [--hosts FILE] [--max-jobs-run M] [--num-threads T] [--mem SIZE] [--time LIMIT]
#               [JOB=A:B] LOG COMMAND...
# The hosts are parallel's sshlogins ([N/][user@]host, ":" for this machine): one a line in
# FILE, or else the comma- or space-separated list in SENTIO_HOSTS, or else ":" alone. Each
# task runs LOGDIR/q/NAME.sh (pipelines/cmd/task.sh) on its host with this PATH, in this
# directory: the logs, the programs and the data must be at the same paths on every host.
# The convention and the logs: man 7 sentio-cmd.
set -u
CMD_PROG=parallel.sh
CMD_ENGINE_OPTS="--hosts"
CMD_ENGINE_HELP="  --hosts FILE       sshlogins, one a line (default: \$SENTIO_HOSTS, else \":\", this machine)
"
CMD_DEFAULT_MAX="each host's cores / T"
CMD_ENGINE_MAP="--max-jobs-run M is parallel's --jobs M (per host);
--num-threads T, without it, --jobs 100/T% (of each host's cores); --mem is --memfree
(start a task only when a host has that much free); --time runs each task under timeout(1)."
. "$(dirname "$0")/common.sh"
cmd_parse "$@"
command -v parallel >/dev/null 2>&1 || { echo "$CMD_PROG: GNU parallel is not installed (Debian package: parallel)" >&2; exit 1; }

if [ -n "${CMD_ENGINE_VALUE[--hosts]:-}" ]; then
  hosts=${CMD_ENGINE_VALUE[--hosts]}
  [ -r "$hosts" ] || cmd_die "--hosts $hosts: cannot read it"
  logins=(--sshloginfile "$hosts")
else
  hosts=$(echo ${SENTIO_HOSTS:-} | tr ' ' ,)
  logins=(--sshlogin "${hosts:-:}")
fi

if [ -n "$CMD_MAX_JOBS" ]; then
  jobs=$CMD_MAX_JOBS
else
  jobs=$((100 / CMD_THREADS))
  [ "$jobs" -ge 1 ] || jobs=1
  jobs=$jobs%
fi
opts=(--will-cite --jobs "$jobs" --env PATH "${logins[@]}")
if [ -n "$CMD_MEM" ]; then
  mem=$CMD_MEM
  [[ $mem =~ [0-9]$ ]] && mem=${mem}M
  opts+=(--memfree "$mem")
fi
cmd_prepare

script=$CMD_QDIR/$(cmd_base).sh
cmd_write_script "$script"
joblog=$CMD_QDIR/$(cmd_base).joblog
rm -f "$joblog"
# The task's output is in its log; what parallel itself says (ssh failures) goes to stderr.
parallel "${opts[@]}" --joblog "$joblog" bash "$(printf '%q' "$script")" \
  ::: $(seq "$CMD_FIRST" "$CMD_LAST") >/dev/null &
pid=$!
interrupted() {
  kill -TERM $pid 2>/dev/null
  wait $pid
  echo "$CMD_PROG: interrupted; stopped the running tasks" >&2
  exit 130
}
trap interrupted INT TERM HUP
wait $pid

declare -A CMD_TASK_STATE=()
if [ -f "$joblog" ]; then
  # joblog: Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
  while IFS=$'\t' read -r seq host _ _ _ _ exitval signal _; do
    [[ $seq =~ ^[0-9]+$ ]] || continue
    CMD_TASK_STATE[$((CMD_FIRST + seq - 1))]="on ${host}: exit $exitval, signal $signal (see $joblog)"
  done <"$joblog"
fi
cmd_collect "${SENTIO_LOG_WAIT:-5}"

#!/bin/bash
# slurm-down.sh DIR: stops the cluster tests/cluster/slurm-up.sh started in DIR, by PID.
#
# Cancels every job still queued or running and waits (15 s at most) for the queue to empty;
# sends SIGTERM to every daemon whose PID is in DIR/run/*.pid (the slurmd first, then
# slurmctld, then munged, then the supervisor that started them), waits until each has
# exited, and sends SIGKILL to any still running after 15 s; last, kills any slurmstepd of
# this cluster (and what it runs) that outlived its slurmd. A stopped daemon that nobody
# reaped (PID 1 may not) stays as a zombie: it counts as stopped, so liveness is read from
# `ps -o stat=`, never from `kill -0`. Exit 1 if any daemon survives, naming it.
set -u
[ $# -eq 1 ] || { echo "usage: slurm-down.sh DIR" >&2; exit 2; }
run=$1/run
[ -d "$run" ] || exit 0

# alive PID: the process exists and is not a zombie.
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ -n "$stat" ] && [ "${stat#Z}" = "$stat" ]
}

stop() { # stop NAME...: TERM, wait up to 15 s, then KILL
  local name pid pids=() i
  for name in "$@"; do
    [ -s "$run/$name.pid" ] || continue
    pid=$(cat "$run/$name.pid")
    case $pid in '' | *[!0-9]*) continue ;; esac
    alive "$pid" && kill -TERM "$pid" 2>/dev/null && pids+=("$pid:$name")
  done
  for ((i = 0; i < 150; i++)); do
    local left=()
    for p in "${pids[@]}"; do alive "${p%%:*}" && left+=("$p"); done
    pids=("${left[@]}")
    [ ${#pids[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  for p in "${pids[@]}"; do
    echo "slurm-down.sh: ${p#*:} (PID ${p%%:*}) ignored SIGTERM for 15 s; sending SIGKILL" >&2
    kill -KILL "${p%%:*}" 2>/dev/null
  done
  sleep 0.5
  for p in "${pids[@]}"; do
    alive "${p%%:*}" && { echo "slurm-down.sh: ${p#*:} (PID ${p%%:*}) is still running" >&2; status=1; }
  done
  return 0
}

# descendants PID: PID's children, their children, ...
descendants() {
  local kid
  for kid in $(ps -o pid= --ppid "$1"); do echo "$kid"; descendants "$kid"; done
}

status=0
export SLURM_CONF=$1/slurm.conf
if [ -f "$SLURM_CONF" ] && command -v squeue >/dev/null; then
  jobs=$(squeue -h -o %A 2>/dev/null | sort -u)
  [ -n "$jobs" ] && scancel $jobs 2>/dev/null
  for ((i = 0; i < 150; i++)); do
    [ -z "$(squeue -h 2>/dev/null)" ] && break
    sleep 0.1
  done
fi
stop slurmd-n1 slurmd-n2 slurmd-n3 slurmd-n4
stop slurmctld
stop munged
stop supervisor
# A job step's slurmstepd outlives its slurmd; it carries this cluster's SLURM_CONF.
for pid in $(pgrep -x slurmstepd); do
  tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "SLURM_CONF=$SLURM_CONF" || continue
  echo "slurm-down.sh: killing slurmstepd (PID $pid) and what it runs, left by a stopped slurmd" >&2
  kill -KILL $pid $(descendants $pid) 2>/dev/null
done
exit $status

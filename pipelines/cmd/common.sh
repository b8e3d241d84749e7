# pipelines/cmd/common.sh: what run.sh, slurm.sh and parallel.sh share (sourced, bash).
#
# The calling convention (Kaldi's; man 7 sentio-cmd):
#   LAUNCHER [options] [NAME=A:B] LOG COMMAND [ARG...]
# runs COMMAND once per task number N in A..B, each time with every literal NAME in LOG and
# in the command replaced by N, its stdout and stderr in its own LOG between a header and a
# footer (pipelines/cmd/task.sh writes them), waits for every task and exits 1 with
# "K of N jobs failed, see LOG-with-*" if any failed.
#
# A launcher sets CMD_PROG (its name), CMD_ENGINE_OPTS (the options only it takes) and, for
# its help, CMD_ENGINE_HELP (those options), CMD_DEFAULT_MAX and CMD_ENGINE_MAP (how the
# options map to its engine); calls cmd_parse "$@", runs the tasks its way, then exits with
# cmd_collect's status.

CMD_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CMD_TASK=$CMD_HERE/task.sh

# cmd_usage [STATUS]: the help on stdout and exit 0, or (STATUS 2, a usage error) on stderr.
cmd_usage() {
  local status=${1:-2}
  [ "$status" = 0 ] || exec >&2
  cat <<EOF
usage: $CMD_PROG [options] [JOB=A:B] LOG COMMAND [ARG...]
Runs COMMAND once for each task number N from A to B (1 <= A <= B), every literal JOB in LOG
and in the command replaced by N, each task's output in its own LOG; exits 1 if any failed.
Options (each may also be written --opt=VALUE):
  --max-jobs-run M   tasks running at once (int, 1..; default: $CMD_DEFAULT_MAX)
  --num-threads T    threads each task uses (int, 1.., default 1)
  --mem SIZE         memory each task needs (int with K, M, G or T, default M; default: none)
  --time LIMIT       wall-clock limit of each task (Slurm's forms: MIN, MIN:SEC, H:MIN:SEC,
                     D-H, D-H:MIN, D-H:MIN:SEC; default: none)
$CMD_ENGINE_HELP  -h, --help         show this help
How the options map to this engine: $CMD_ENGINE_MAP
Words of COMMAND without white space or quotes reach bash as they are (so a quoted '|' or
'>' is a shell operator, as in Kaldi); other words are quoted. Tasks run under bash with
pipefail, stdin from /dev/null, in the current directory.
Examples:
  $CMD_PROG JOB=1:4 log/mfcc.JOB.log wav2mfcc --list lists/JOB -o feats/JOB.feat
  $CMD_PROG --mem 2G --time 1:00:00 JOB=1:8 exp/log/x.JOB.log prog JOB '|' gzip '>' out.JOB.gz
See also: run.sh, slurm.sh, parallel.sh in pipelines/cmd/; sentio-cmd(7)
EOF
  exit "$status"
}

cmd_die() { echo "$CMD_PROG: $*" >&2; exit 2; }

# cmd_time_seconds LIMIT: Slurm's time forms in seconds (prints nothing if malformed).
cmd_time_seconds() {
  local t=$1 d=0 h=0 m=0 s=0
  if [[ $t =~ ^([0-9]{1,4})-([0-9]{1,6})(:([0-9]{1,6})(:([0-9]{1,6}))?)?$ ]]; then
    d=${BASH_REMATCH[1]} h=${BASH_REMATCH[2]} m=${BASH_REMATCH[4]:-0} s=${BASH_REMATCH[6]:-0}
  elif [[ $t =~ ^([0-9]{1,6}):([0-9]{1,6}):([0-9]{1,6})$ ]]; then
    h=${BASH_REMATCH[1]} m=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
  elif [[ $t =~ ^([0-9]{1,8})(:([0-9]{1,6}))?$ ]]; then
    m=${BASH_REMATCH[1]} s=${BASH_REMATCH[3]:-0}
  else
    return 0
  fi
  echo $(((10#$d * 24 + 10#$h) * 3600 + 10#$m * 60 + 10#$s))
}

# cmd_mem_bytes SIZE: Slurm's memory forms (default unit M) in bytes.
cmd_mem_bytes() {
  local n=${1%[KkMmGgTt]} u=${1:${#1}-1}
  case $u in
    [Kk]) echo $((10#$n << 10)) ;;
    [Gg]) echo $((10#$n << 30)) ;;
    [Tt]) echo $((10#$n << 40)) ;;
    *) echo $((10#$n << 20)) ;;
  esac
}

# cmd_join WORD...: one bash command line. A word without white space or quotes stays as it
# is (so '|' pipes, as in Kaldi); any other is single-quoted (a bare quote would unbalance).
cmd_join() {
  local out="" a q="'" bare='^[^[:space:]'\''"\\]+$'
  for a; do
    if [[ $a =~ $bare ]]; then
      out+="$a "
    else
      out+="'${a//$q/$q\\$q$q}' "
    fi
  done
  printf '%s' "${out% }"
}

# cmd_parse "$@": sets CMD_NAME ("-" when no NAME=A:B), CMD_FIRST, CMD_LAST, CMD_LOG,
# CMD_LINE (the command as bash will read it), CMD_MAX_JOBS (empty: the engine's default),
# CMD_THREADS, CMD_MEM (empty or as given), CMD_TIME (empty or as given), CMD_TIME_SECONDS,
# and CMD_ENGINE_VALUE[option] for the engine's own options.
cmd_parse() {
  CMD_NAME=- CMD_FIRST=1 CMD_LAST=1 CMD_MAX_JOBS="" CMD_THREADS=1 CMD_MEM="" CMD_TIME=""
  CMD_TIME_SECONDS=""
  declare -gA CMD_ENGINE_VALUE=()
  local opt val
  while [ $# -gt 0 ]; do
    case $1 in
      -h | --help) cmd_usage 0 ;;
      --) shift; break ;;
      --*)
        opt=${1%%=*}
        if [ "$opt" != "$1" ]; then val=${1#*=}; shift
        else
          [ $# -ge 2 ] || cmd_die "$1 needs a value (see $CMD_PROG --help)"
          val=$2; shift 2
        fi
        case $opt in
          --max-jobs-run)
            [[ $val =~ ^[1-9][0-9]{0,5}$ ]] || cmd_die "--max-jobs-run '$val': give a whole number from 1"
            CMD_MAX_JOBS=$((10#$val)) ;;
          --num-threads)
            [[ $val =~ ^[1-9][0-9]{0,3}$ ]] || cmd_die "--num-threads '$val': give a whole number from 1"
            CMD_THREADS=$((10#$val)) ;;
          --mem)
            [[ $val =~ ^[1-9][0-9]{0,8}[KkMmGgTt]?$ ]] ||
              cmd_die "--mem '$val': give a size such as 500M or 2G (default unit M)"
            CMD_MEM=$val ;;
          --time)
            CMD_TIME_SECONDS=$(cmd_time_seconds "$val")
            [ -n "$CMD_TIME_SECONDS" ] && [ "$CMD_TIME_SECONDS" -gt 0 ] ||
              cmd_die "--time '$val': give MIN, MIN:SEC, H:MIN:SEC, D-H, D-H:MIN or D-H:MIN:SEC"
            CMD_TIME=$val ;;
          *)
            [[ " $CMD_ENGINE_OPTS " == *" $opt "* ]] ||
              cmd_die "unknown option $opt (see $CMD_PROG --help)"
            CMD_ENGINE_VALUE[$opt]=$val ;;
        esac ;;
      -*) cmd_die "unknown option $1 (see $CMD_PROG --help)" ;;
      *=*)
        if [[ $1 =~ ^([A-Za-z_][A-Za-z0-9_]*)=([0-9]+):([0-9]+)$ ]]; then
          CMD_FIRST=$((10#${BASH_REMATCH[2]})) CMD_LAST=$((10#${BASH_REMATCH[3]}))
        elif [[ $1 =~ ^([A-Za-z_][A-Za-z0-9_]*)=([0-9]+)$ ]]; then
          CMD_FIRST=$((10#${BASH_REMATCH[2]})) CMD_LAST=$CMD_FIRST
        else
          break
        fi
        CMD_NAME=${BASH_REMATCH[1]}
        [ "$CMD_FIRST" -ge 1 ] && [ "$CMD_FIRST" -le "$CMD_LAST" ] ||
          cmd_die "$1: give NAME=A:B with 1 <= A <= B"
        shift ;;
      *) break ;;
    esac
  done
  [ $# -ge 2 ] || cmd_usage
  CMD_LOG=$1
  shift
  if [ "$CMD_LAST" -gt "$CMD_FIRST" ] && [[ $CMD_LOG != *"$CMD_NAME"* ]]; then
    cmd_die "$CMD_NAME=$CMD_FIRST:$CMD_LAST runs several tasks but the log $CMD_LOG has no $CMD_NAME: they would share it"
  fi
  CMD_LINE=$(cmd_join "$@")
}

# cmd_subst TEXT N: TEXT with every NAME replaced by N.
cmd_subst() {
  if [ "$CMD_NAME" = - ]; then printf '%s' "$1"; else printf '%s' "${1//$CMD_NAME/$2}"; fi
}

cmd_task_log() { cmd_subst "$CMD_LOG" "$1"; }

# cmd_abs PATH: PATH made absolute against the current directory (it need not exist).
cmd_abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }

# cmd_prepare: removes every task's old log (a stale footer must not pass for this run's) and
# makes the folders the logs go in, plus LOGDIR/q for the engine's own files (CMD_QDIR).
cmd_prepare() {
  local n log
  for ((n = CMD_FIRST; n <= CMD_LAST; n++)); do
    log=$(cmd_task_log $n)
    mkdir -p "$(dirname "$log")" || cmd_die "cannot create the folder of $log"
    rm -f "$log"
  done
  CMD_QDIR=$(dirname "$(cmd_abs "$CMD_LOG")")/q
}

# cmd_task_args N: task.sh's arguments for task N, in the array CMD_TASK_ARGS.
cmd_task_args() {
  cmd_task_opts
  CMD_TASK_ARGS=("${CMD_TASK_OPTS[@]}" "$CMD_NAME" "$1" "$(cmd_abs "$CMD_LOG")" "$CMD_LINE")
}
cmd_task_opts() {
  CMD_TASK_OPTS=(-C "$PWD" --threads "$CMD_THREADS")
  [ -n "$CMD_TIME_SECONDS" ] && CMD_TASK_OPTS+=(--timeout "$CMD_TIME_SECONDS")
}

# cmd_write_script FILE: a bash script running task.sh for the task numbered by its first
# argument, or else by SLURM_ARRAY_TASK_ID (what slurm.sh submits and parallel.sh runs).
cmd_write_script() {
  local head tail
  cmd_task_opts
  head=$(printf '%q ' "$CMD_TASK" "${CMD_TASK_OPTS[@]}" "$CMD_NAME")
  tail=$(printf ' %q' "$(cmd_abs "$CMD_LOG")" "$CMD_LINE")
  mkdir -p "$(dirname "$1")" || cmd_die "cannot create the folder of $1"
  # shellcheck disable=SC2016 # the task number is expanded when the script runs
  printf '#!/bin/bash\n# Written by %s: one task of\n#   %s\nexec %s"${1:-$SLURM_ARRAY_TASK_ID}"%s\n' \
    "$CMD_PROG" "$CMD_LINE" "$head" "$tail" >"$1" || cmd_die "cannot write $1"
}

# cmd_base: the log's file name without .log, NAME kept (names the engine's files in q/).
cmd_base() { local b; b=$(basename "$CMD_LOG"); printf '%s' "${b%.log}"; }

# cmd_footer_code LOG: the exit code in LOG's footer, nothing if it has none.
cmd_footer_code() {
  [ -f "$1" ] || return 0
  sed -n 's/^# Ended (code \([0-9]*\)).*/\1/p' "$1" | tail -n 1
}

# cmd_collect [WAIT]: reads every task's footer; prints one line per failed task and
# "K of N jobs failed, see LOG" and returns 1, or returns 0 if all succeeded. A log without
# a footer (the task was killed, or its host's writes have not reached us yet over a network
# file system) is re-read for up to WAIT seconds. CMD_TASK_STATE[N], when an engine sets it,
# says what the engine knows of task N.
cmd_collect() {
  local wait=${1:-0} n log code failed=0 total=$((CMD_LAST - CMD_FIRST + 1)) i state
  declare -gA CMD_TASK_STATE
  for ((i = 0; i < wait * 10; i++)); do
    for ((n = CMD_FIRST; n <= CMD_LAST; n++)); do
      [ -n "$(cmd_footer_code "$(cmd_task_log $n)")" ] || break
    done
    [ $n -gt "$CMD_LAST" ] && break
    sleep 0.1
  done
  for ((n = CMD_FIRST; n <= CMD_LAST; n++)); do
    log=$(cmd_task_log $n)
    code=$(cmd_footer_code "$log")
    state=${CMD_TASK_STATE[$n]:-}
    [ "$code" = 0 ] && continue
    failed=$((failed + 1))
    if [ ! -f "$log" ]; then
      echo "$CMD_PROG: task $n never started (no $log)${state:+; $state}" >&2
    elif [ -z "$code" ]; then
      echo "$CMD_PROG: task $n did not finish (no footer in $log)${state:+; $state}" >&2
    else
      echo "$CMD_PROG: task $n failed with code $code, see $log" >&2
    fi
  done
  [ $failed -eq 0 ] && return 0
  echo "$CMD_PROG: $failed of $total jobs failed, see $(cmd_subst "$CMD_LOG" '*')" >&2
  return 1
}

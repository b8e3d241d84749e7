#!/usr/bin/env bats
# pipelines/cmd/run.sh and parallel.sh (GNU parallel on this machine, --sshlogin :): Kaldi's
# calling convention, the task logs, failed tasks, options. slurm.sh: tests/slurm.bats.
load helper

setup() {
  CMDS=$SENTIO_ROOT/pipelines/cmd
  cd "$BATS_TEST_TMPDIR"
}

need_parallel() { command -v parallel >/dev/null || skip "GNU parallel is not installed (deps.sh cluster)"; }

# launchers: run.sh, and parallel.sh when GNU parallel is installed.
launchers() {
  echo run.sh
  command -v parallel >/dev/null && echo parallel.sh
  return 0
}

@test "run.sh, parallel.sh: JOB=1:N runs N tasks, JOB replaced in the log and the command" {
  for l in $(launchers); do
    rm -rf log out.*
    run "$CMDS/$l" JOB=1:4 log/x.JOB.log echo task JOB of 4 '|' tr a-z A-Z '>' out.JOB
    echo "$l: $output"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    for n in 1 2 3 4; do
      [ "$(cat out.$n)" = "TASK $n OF 4" ]
      # header: the command as run, where and when it started; footer: its exit code
      [ "$(sed -n 1p log/x.$n.log)" = "# echo task $n of 4 | tr a-z A-Z > out.$n" ]
      sed -n 2p log/x.$n.log | grep -qE "^# Started at .+ on $(hostname) \(task $n\)\$"
      [ "$(sed -n 3p log/x.$n.log)" = "#" ]
      sed -n 4p log/x.$n.log | grep -qE '^# Accounting: time=[0-9]+ threads=1$'
      sed -n 5p log/x.$n.log | grep -qE '^# Ended \(code 0\) at .+, elapsed time [0-9]+ seconds$'
      [ "$(wc -l <log/x.$n.log)" -eq 5 ]
    done
    [ ! -e out.0 ] && [ ! -e out.5 ] && [ ! -e log/x.JOB.log ]
  done
}

@test "run.sh, parallel.sh: the task's stdout and stderr go to its log, between header and footer" {
  for l in $(launchers); do
    "$CMDS/$l" JOB=2:3 log/$l.JOB.log bash -c 'echo out JOB; echo err JOB >&2'
    [ ! -e log/$l.1.log ]
    for n in 2 3; do
      [ "$(grep -v '^#' log/$l.$n.log | sort | tr '\n' ' ')" = "err $n out $n " ]
    done
  done
}

@test "run.sh, parallel.sh: a failed task: K of N jobs failed, its footer has its code, the others finish" {
  for l in $(launchers); do
    rm -rf log
    run "$CMDS/$l" JOB=1:4 log/x.JOB.log bash -c 'echo doing JOB; [ JOB != 3 ] || exit 7'
    echo "$l: $output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$l: task 3 failed with code 7, see log/x.3.log"* ]]
    [ "$(tail -n 1 <<<"$output")" = "$l: 1 of 4 jobs failed, see log/x.*.log" ]
    grep -qE '^# Ended \(code 7\) at ' log/x.3.log
    grep -qx 'doing 3' log/x.3.log
    for n in 1 2 4; do grep -qE '^# Ended \(code 0\) at ' log/x.$n.log; done
    # every task failing
    run "$CMDS/$l" JOB=1:2 log/y.JOB.log false
    [ "$status" -eq 1 ]
    [ "$(tail -n 1 <<<"$output")" = "$l: 2 of 2 jobs failed, see log/y.*.log" ]
  done
}

@test "run.sh, parallel.sh: a pipeline fails when any of its commands does (pipefail)" {
  for l in $(launchers); do
    run "$CMDS/$l" log/p.log false '|' cat
    [ "$status" -eq 1 ]
    [ "$(tail -n 1 <<<"$output")" = "$l: 1 of 1 jobs failed, see log/p.log" ]
    grep -qE '^# Ended \(code 1\)' log/p.log
  done
}

@test "run.sh, parallel.sh: no JOB=: one task, JOB left alone; another NAME=A:B works as JOB does" {
  for l in $(launchers); do
    "$CMDS/$l" log/$l.one.log echo JOB
    [ "$(grep -v '^#' log/$l.one.log)" = JOB ]
    "$CMDS/$l" SHARD=2:3 log/$l.SHARD.log echo JOB SHARD
    [ "$(grep -v '^#' log/$l.3.log)" = "JOB 3" ]
    "$CMDS/$l" JOB=5 log/$l.JOB.log echo JOB
    [ "$(grep -v '^#' log/$l.5.log)" = 5 ]
  done
}

@test "run.sh, parallel.sh: words with white space or quotes are quoted; bare shell operators act" {
  for l in $(launchers); do
    "$CMDS/$l" log/$l.q.log printf '%s .\n' 'a b' "it's" 'say "$HOME"' 'back\slash' '>' out.$l
    [ "$(cat out.$l)" = "$(printf 'a b .\nit'"'"'s .\nsay "$HOME" .\nback\\slash .')" ]
    # a bare word is the shell's: $HOME expands, | pipes
    "$CMDS/$l" log/$l.q.log echo '$HOME' '|' tr / : '>' out.$l
    [ "$(cat out.$l)" = "$(echo "$HOME" | tr / :)" ]
  done
}

@test "run.sh, parallel.sh: a log left by an earlier run never passes for this run's" {
  for l in $(launchers); do
    mkdir -p log
    printf '# old\n# Ended (code 0) at then\n' >log/s.2.log
    run "$CMDS/$l" JOB=1:2 log/s.JOB.log bash -c '[ JOB = 1 ] || exit 4'
    [ "$status" -eq 1 ]
    ! grep -q '# old' log/s.2.log
  done
}

@test "run.sh, parallel.sh: --time stops a task with code 124 and says so in its log" {
  for l in $(launchers); do
    SECONDS=0
    run "$CMDS/$l" --time 0:1 JOB=1:2 log/t.JOB.log bash -c '[ JOB = 1 ] || sleep 30'
    [ "$status" -eq 1 ]
    [ "$SECONDS" -lt 20 ]
    [ "$(tail -n 1 <<<"$output")" = "$l: 1 of 2 jobs failed, see log/t.*.log" ]
    grep -qx '# Timed out after 1 seconds' log/t.2.log
    grep -qE '^# Ended \(code 124\)' log/t.2.log
    grep -qE '^# Ended \(code 0\)' log/t.1.log
  done
}

@test "run.sh: --max-jobs-run 1 runs one task at a time; without it tasks overlap" {
  # each task holds a lock folder for a moment: two at once would collide
  task='mkdir lock || exit 9; sleep 0.3; rmdir lock'
  "$CMDS/run.sh" --max-jobs-run 1 JOB=1:4 log/m.JOB.log bash -c "$task"
  run "$CMDS/run.sh" --max-jobs-run 4 JOB=1:4 log/n.JOB.log bash -c "$task"
  [ "$status" -eq 1 ]
  grep -q '^# Ended (code 9)' log/n.*.log
}

@test "run.sh: --num-threads and --mem lower how many tasks run at once" {
  task='mkdir lock || exit 9; sleep 0.3; rmdir lock'
  # threads as many as the cores: one task at a time
  "$CMDS/run.sh" --num-threads "$(nproc)" JOB=1:3 log/a.JOB.log bash -c "$task"
  grep -q '^# Accounting: time=[0-9]* threads='"$(nproc)"'$' log/a.1.log
  # each task needing more than half the available memory: one at a time
  avail_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
  "$CMDS/run.sh" --mem $((avail_mb * 2 / 3))M JOB=1:3 log/b.JOB.log bash -c "$task"
}

@test "run.sh: SIGTERM stops every running task and its children" {
  "$CMDS/run.sh" JOB=1:2 log/k.JOB.log bash -c 'sleep 60 & echo $! >pid.JOB; wait' &
  launcher=$!
  wait_for_file pid.2
  wait_for_file pid.1
  kill -TERM $launcher
  status=0
  wait $launcher || status=$?
  [ "$status" -eq 130 ]
  sleep 0.2
  for n in 1 2; do
    ! ps -o stat= -p "$(cat pid.$n)" | grep -qv '^Z'
    grep -qE '^# Ended \(code 143\)' log/k.$n.log
  done
}

@test "run.sh, parallel.sh: usage errors exit 2 and say what is wrong" {
  for l in $(launchers); do
    run "$CMDS/$l" JOB=1:4 log/one.log true
    [ "$status" -eq 2 ]
    [[ "$output" == *"has no JOB: they would share it"* ]]
    run "$CMDS/$l" JOB=0:4 log/x.JOB.log true
    [ "$status" -eq 2 ]
    [[ "$output" == *"1 <= A <= B"* ]]
    run "$CMDS/$l" JOB=4:2 log/x.JOB.log true
    [ "$status" -eq 2 ]
    run "$CMDS/$l" --mem lots JOB=1:2 log/x.JOB.log true
    [ "$status" -eq 2 ]
    [[ "$output" == *"--mem 'lots'"* ]]
    run "$CMDS/$l" --time 1:2:3:4 log/x.log true
    [ "$status" -eq 2 ]
    run "$CMDS/$l" --max-jobs-run 0 log/x.log true
    [ "$status" -eq 2 ]
    run "$CMDS/$l" --frobnicate 1 log/x.log true
    [ "$status" -eq 2 ]
    [[ "$output" == *"unknown option --frobnicate"* ]]
    run "$CMDS/$l" log/x.log
    [ "$status" -eq 2 ]
    [[ "$output" == *"usage: $l"* ]]
    run "$CMDS/$l" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"Examples:"* ]] && [[ "$output" == *"See also:"* ]]
    [ -n "$("$CMDS/$l" -h 2>/dev/null)" ]
    [ ! -e log ]
  done
  run "$CMDS/run.sh" --hosts /dev/null log/x.log true
  [ "$status" -eq 2 ]
}

@test "parallel.sh: hosts from --hosts FILE or SENTIO_HOSTS (here: this machine, ':')" {
  need_parallel
  printf '2/:\n' >hosts
  "$CMDS/parallel.sh" --hosts hosts JOB=1:3 log/h.JOB.log echo JOB
  [ "$(cat log/h.*.log | grep -v '^#' | sort | tr '\n' ' ')" = "1 2 3 " ]
  grep -q '^3	:	' log/q/h.JOB.joblog
  SENTIO_HOSTS="1/:" "$CMDS/parallel.sh" JOB=1:2 log/e.JOB.log echo JOB
  [ "$(grep -v '^#' log/e.2.log)" = 2 ]
  run "$CMDS/parallel.sh" --hosts missing log/x.log true
  [ "$status" -eq 2 ]
  [[ "$output" == *"--hosts missing: cannot read it"* ]]
}

@test "parallel.sh: each task runs in the caller's folder with the caller's PATH" {
  need_parallel
  mkdir -p bin sub
  printf '#!/bin/sh\necho "mine $1 in $(pwd)"\n' >bin/mytool
  chmod +x bin/mytool
  cd sub
  PATH="$BATS_TEST_TMPDIR/bin:$PATH" "$CMDS/parallel.sh" JOB=1:2 log/w.JOB.log mytool JOB
  [ "$(grep -v '^#' log/w.2.log)" = "mine 2 in $BATS_TEST_TMPDIR/sub" ]
}

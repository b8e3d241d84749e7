#!/usr/bin/env bats
# pipelines/cmd/slurm.sh on a real Slurm cluster: tests/cluster/slurm-up.sh starts munge,
# slurmctld and four slurmd (nodes n1-n4, all on 127.0.0.1) under a private slurm.conf;
# teardown_file stops every daemon by PID. Skips when not root or without the packages
# (pipelines/deps.sh cluster installs them).
load helper

# (bats 1.8 cannot skip from setup_file: it leaves the reason for setup to skip with.)
setup_file() {
  export CLUSTER_DIR CLUSTER_SKIP=""
  CLUSTER_DIR=$(mktemp -d /tmp/sentio-slurm.XXXXXX)
  local out status=0
  out=$("$BATS_TEST_DIRNAME/cluster/slurm-up.sh" "$CLUSTER_DIR" 2>&1) || status=$?
  if [ "$status" -eq 3 ]; then
    rm -rf "$CLUSTER_DIR"
    CLUSTER_DIR=""
    CLUSTER_SKIP="no local Slurm cluster: ${out#slurm-up.sh: }"
    return 0
  fi
  [ "$status" -eq 0 ] || { echo "$out" >&3; return 1; }
  export SLURM_CONF=$CLUSTER_DIR/slurm.conf
}

teardown_file() {
  if [ -z "${CLUSTER_DIR:-}" ] || [ ! -d "$CLUSTER_DIR/run" ]; then return 0; fi
  "$BATS_TEST_DIRNAME/cluster/slurm-down.sh" "$CLUSTER_DIR"
  # every daemon is gone (or a zombie nobody reaps, which holds nothing)
  local f stat
  for f in "$CLUSTER_DIR"/run/*.pid; do
    stat=$(ps -o stat= -p "$(cat "$f")" || true)
    if [ -n "$stat" ] && [ "${stat#Z}" = "$stat" ]; then echo "$f: still running" >&3; return 1; fi
  done
  rm -rf "$CLUSTER_DIR"
}

setup() {
  [ -z "$CLUSTER_SKIP" ] || skip "$CLUSTER_SKIP"
  CMDS=$SENTIO_ROOT/pipelines/cmd
  cd "$BATS_TEST_TMPDIR"
  launcher=""
}

# Whatever a test left (a failed one), the next starts with an empty queue and no launcher.
teardown() {
  [ -z "$CLUSTER_SKIP" ] || return 0
  [ -n "$launcher" ] && kill -TERM "$launcher" 2>/dev/null
  local jobs
  jobs=$(squeue -h -o %A 2>/dev/null | sort -u)
  [ -z "$jobs" ] || scancel $jobs
  for ((i = 0; i < 100; i++)); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.1; done
}

@test "slurm-up.sh: four idle nodes n1-n4 on the loopback address, with private paths" {
  [ "$(sinfo -h -N -o '%N %t' | sort | tr '\n' ' ')" = "n1 idle n2 idle n3 idle n4 idle " ]
  [ "$(scontrol show node n3 | grep -o 'NodeAddr=[^ ]*')" = NodeAddr=127.0.0.1 ]
  ! grep -E '^[A-Za-z]+(File|Dir|Location)=' "$SLURM_CONF" | grep -v "=$CLUSTER_DIR/"
}

@test "slurm.sh: one array job over the four nodes; JOB replaced; the node in each log's header" {
  SECONDS=0
  run "$CMDS/slurm.sh" JOB=1:4 log/x.JOB.log echo task JOB '>' out.JOB
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$SECONDS" -lt 10 ]
  for n in 1 2 3 4; do
    [ "$(cat out.$n)" = "task $n" ]
    [ "$(sed -n 1p log/x.$n.log)" = "# echo task $n > out.$n" ]
    grep -qE '^# Ended \(code 0\) at ' log/x.$n.log
  done
  # four one-CPU nodes, four tasks: each on its own node, all from one job
  nodes=$(sed -n 's/^# Started at .*, slurm job \([0-9]*\)_\([0-9]\) on node \(n[1-4]\))$/\1 \3/p' log/x.*.log)
  [ "$(cut -d' ' -f1 <<<"$nodes" | sort -u | wc -l)" -eq 1 ]
  [ "$(cut -d' ' -f2 <<<"$nodes" | sort -u | tr '\n' ' ')" = "n1 n2 n3 n4 " ]
  # the job and its tasks have left the queue
  [ -z "$(squeue -h)" ]
}

@test "slurm.sh: a failed task: K of N jobs failed and its footer; a task killed outright is named with its Slurm state" {
  run "$CMDS/slurm.sh" JOB=1:3 log/f.JOB.log bash -c '[ JOB != 2 ] || exit 5'
  [ "$status" -eq 1 ]
  [[ "$output" == *"slurm.sh: task 2 failed with code 5, see log/f.2.log"* ]]
  [ "$(tail -n 1 <<<"$output")" = "slurm.sh: 1 of 3 jobs failed, see log/f.*.log" ]
  grep -qE '^# Ended \(code 5\)' log/f.2.log
  # task 3 kills its task.sh: no footer; Slurm knows the task failed
  SENTIO_LOG_WAIT=1 run "$CMDS/slurm.sh" JOB=1:3 log/k.JOB.log bash -c '[ JOB != 3 ] || kill -KILL $PPID'
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"slurm.sh: task 3 did not finish (no footer in log/k.3.log); slurm job "*"_3: FAILED"* ]]
  [ "$(tail -n 1 <<<"$output")" = "slurm.sh: 1 of 3 jobs failed, see log/k.*.log" ]
}

@test "slurm.sh: --mem, --num-threads, --time and --max-jobs-run reach sbatch" {
  "$CMDS/slurm.sh" --mem 300M --num-threads 1 --time 5 --max-jobs-run 2 JOB=1:2 log/r.JOB.log \
    bash -c 'echo mem=$SLURM_MEM_PER_NODE cpus=$SLURM_CPUS_PER_TASK; scontrol show job $SLURM_JOB_ID | grep -o "TimeLimit=[^ ]*"'
  grep -qx 'mem=300 cpus=1' log/r.2.log
  grep -qx 'TimeLimit=00:05:00' log/r.2.log
  job=$(sed -n 's/.*slurm job \([0-9]*\)_.*/\1/p' log/r.2.log)
  [ "$(scontrol -o show job "$job" | grep -o 'ArrayTaskThrottle=[0-9]*' | sort -u)" = ArrayTaskThrottle=2 ]
  # what no node can grant is refused at once, with sbatch's reason
  run "$CMDS/slurm.sh" --num-threads 2 JOB=1:2 log/big.JOB.log true
  [ "$status" -eq 1 ]
  [[ "$output" == *"slurm.sh: sbatch failed: "* ]]
  run "$CMDS/slurm.sh" --mem 2G log/big.log true
  [ "$status" -eq 1 ]
  [[ "$output" == *"slurm.sh: sbatch failed: "* ]]
}

@test "slurm.sh: SIGTERM cancels the job" {
  "$CMDS/slurm.sh" JOB=1:2 log/c.JOB.log sleep 120 &
  launcher=$!
  for ((i = 0; i < 200; i++)); do grep -q 'slurm job' log/c.2.log 2>/dev/null && break; sleep 0.05; done
  job=$(sed -n 's/.*slurm job \([0-9]*\)_.*/\1/p' log/c.2.log)
  [ -n "$job" ]
  [ -n "$(squeue -h -j "$job")" ]
  kill -TERM $launcher
  status=0
  wait $launcher || status=$?
  [ "$status" -eq 130 ]
  for ((i = 0; i < 100; i++)); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 0.1; done
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ]
}

@test "make experiment NJ=4 CMD=pipelines/cmd/slurm.sh: the study runs, its features byte-identical to NJ=1" {
  [ -x "$SENTIO_BIN/wav2mfcc" ] && [ -x "$SENTIO_BIN/nnfit" ] || skip "the tools are not built yet"
  t=$BATS_TEST_TMPDIR
  sh "$SENTIO_ROOT/pipelines/demo-data.sh" "$t/demo"
  mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
      make -C "$SENTIO_ROOT" --no-print-directory SENTIO_BIN="$SENTIO_BIN" DEMO="$t/demo" "$@"
  }
  # the reference: the extraction steps as one process each (everything after them is a
  # function of their bytes, so equal features mean an equal study)
  mk OUT="$t/one" DB="$t/one.db" "$t/one/train.feat" "$t/one/test.feat"
  run mk experiment OUT="$t/four" DB="$t/four.db" NJ=4 JOBS=1 CMD=pipelines/cmd/slurm.sh
  echo "$output"
  [ "$status" -eq 0 ]
  grep -q "extract-sharded.sh --cmd '$CMDS/slurm.sh --num-threads 1' --nj 4" <<<"$output"
  grep -qE '^CNN \| [01]\.[0-9]{4} \| ' <<<"$output"
  cmp "$t/one/train.feat" "$t/four/train.feat"
  cmp "$t/one/test.feat" "$t/four/test.feat"
  [ -s "$t/four/TEST_predictions.csv" ]
  # each set's four shards ran on the cluster's four nodes
  for set in train test; do
    [ "$(sed -n 's/^# Started at .* on node \(n[1-4]\))$/\1/p' "$t/four/shards/$set/log"/extract.*.log |
      sort -u | wc -l)" -eq 4 ]
  done
}

#!/bin/bash
# slurm-up.sh DIR: a private four-node Slurm cluster on this machine, for the test suite.
#
# Starts munged (as the munge user, on its own socket and key), slurmctld and four slurmd
# posing as nodes n1..n4, all on 127.0.0.1 and five free ports, with every file under DIR:
# DIR/slurm.conf (point SLURM_CONF at it to use the cluster), the key, the socket, state,
# spool, logs (DIR/log) and pid files (DIR/run). Waits until the four nodes are idle (about
# a second), then prints `export SLURM_CONF=DIR/slurm.conf`.
# tests/cluster/slurm-down.sh DIR stops every daemon by its PID.
#
# Needs root and the Debian packages munge, slurmctld, slurmd and slurm-client. DIR must be
# new or empty, and every folder above it searchable by the munge user (e.g. under /tmp).
# Exit status: 0 when the cluster is up, 1 when something failed (the daemons' logs are
# printed), 2 on a usage error, 3 when it cannot run here (not root, packages absent).
set -u
usage() { echo "usage: slurm-up.sh DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
cannot() { echo "slurm-up.sh: $*" >&2; exit 3; }
fail() { echo "slurm-up.sh: $*" >&2; exit 1; }
PATH=$PATH:/usr/sbin

# supervise DIR: run every daemon in the foreground as a child of this shell, which reaps them
# when they stop (PID 1 here may reap nothing: daemons that fork themselves away would leave
# zombies behind), recording each PID in DIR/run/NAME.pid.
supervise() {
  local dir=$1 socket=$1/munge/munge.socket n i
  export SLURM_CONF=$dir/slurm.conf
  setpriv --reuid=munge --regid=munge --init-groups munged -F --socket="$socket" \
    --key-file="$dir/munge/private/munge.key" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/munge/private/munged.log" --seed-file="$dir/munge/private/munged.seed" \
    >"$dir/log/munged.out" 2>&1 &
  echo $! >"$dir/run/munged.pid"
  for ((i = 0; i < 100; i++)); do [ -S "$socket" ] && break; sleep 0.05; done
  slurmctld -D -c >"$dir/log/slurmctld.out" 2>&1 &
  echo $! >"$dir/run/slurmctld.pid"
  for n in 1 2 3 4; do
    slurmd -D -N n$n >"$dir/log/slurmd-n$n.out" 2>&1 &
    echo $! >"$dir/run/slurmd-n$n.pid"
  done
  wait
}
if [ -n "${SLURM_UP_SUPERVISE:-}" ]; then
  supervise "$1"
  exit 0
fi

[ "$(id -u)" = 0 ] || cannot "needs root (it starts munged and slurmd)"
for prog in munged slurmctld slurmd sbatch squeue sinfo scontrol setpriv setsid; do
  command -v $prog >/dev/null 2>&1 ||
    cannot "$prog is not installed (Debian packages: munge slurmctld slurmd slurm-client)"
done
id munge >/dev/null 2>&1 || cannot "no munge user (Debian package: munge)"

mkdir -p "$1" || fail "cannot create $1"
dir=$(cd "$1" && pwd)
[ -z "$(ls -A "$dir")" ] || fail "$dir is not empty"
chmod 755 "$dir"

# Five free TCP ports on the loopback interface: the controller's and one per node.
port_free() { ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
for ((try = 0; try < 50; try++)); do
  base=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
  ok=1
  for ((p = base; p <= base + 4; p++)); do port_free $p || { ok=0; break; }; done
  [ $ok = 1 ] && break
done
[ $ok = 1 ] || fail "found no five free ports"

# munge: its own key, socket, pid, log and seed, owned by the munge user as munged demands
# (the socket's folder open to all, the key's closed to all but munge).
mkdir -p "$dir/munge/private" "$dir/state" "$dir/run" "$dir/log" \
  "$dir/spool/n1" "$dir/spool/n2" "$dir/spool/n3" "$dir/spool/n4"
dd if=/dev/urandom of="$dir/munge/private/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$dir/munge"
chmod 755 "$dir/munge"
chmod 700 "$dir/munge/private"
chmod 400 "$dir/munge/private/munge.key"

cat >"$dir/slurm.conf" <<CONF
# A private test cluster made by tests/cluster/slurm-up.sh; every path is under $dir.
ClusterName=sentio
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$base
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.daemon.pid
SlurmdPidFile=$dir/run/slurmd-%n.daemon.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerParameters=batch_sched_delay=0
NodeName=n[1-4] NodeHostname=localhost NodeAddr=127.0.0.1 Port=[$((base + 1))-$((base + 4))] CPUs=1 RealMemory=1024 State=UNKNOWN
PartitionName=debug Nodes=n[1-4] Default=YES MaxTime=INFINITE State=UP
CONF

# The supervisor: its own session, none of our file descriptors (a test harness waits for
# them to close), so the cluster outlives this script until slurm-down.sh stops it.
SLURM_UP_SUPERVISE=1 setsid "$BASH" "$0" "$dir" </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- \
  6>&- 7>&- 8>&- 9>&- &
echo $! >"$dir/run/supervisor.pid"

# Up when sinfo sees four idle nodes; give up after 30 s.
export SLURM_CONF=$dir/slurm.conf
for ((i = 0; i < 300; i++)); do
  if [ "$(sinfo -h -N -o '%N %t' 2>/dev/null | grep -c ' idle$')" = 4 ]; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.1
done
sinfo -N >&2
tail -n 20 "$dir"/log/* "$dir/munge/private/munged.log" >&2 2>/dev/null
fail "the four nodes were not idle after 30 s (logs above; stop it with slurm-down.sh $dir)"

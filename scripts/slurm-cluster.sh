#!/usr/bin/env bash
# A one-node Slurm cluster in a directory, for tests and benchmarks: munged, slurmctld and slurmd
# on 127.0.0.1, run as root, with every file (config, key, sockets, state, logs, pid files) under
# DIR so nothing of the system's own Slurm or munge setup is read or written.
#
#   bash scripts/slurm-cluster.sh start DIR   # prints `export SLURM_CONF=DIR/slurm.conf`
#   bash scripts/slurm-cluster.sh stop DIR    # cancels the jobs, stops the three daemons by their pids
#
# Clients reach it through SLURM_CONF=DIR/slurm.conf (sbatch, squeue, scancel, scontrol, sinfo).
# Needs Debian's slurm-wlm and munge (scripts/lib.sh installs them with the test packages).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

# Pids of the processes whose environment names this cluster's config (slurmstepd and the job
# steps it runs inherit it from slurmd), leaving out this script and its ancestors.
cluster_processes() {
  local conf=$1 p pid ancestors=" " a=$$
  while [ -n "$a" ] && [ "$a" -gt 1 ] 2>/dev/null; do
    ancestors+="$a "
    a=$(awk '{ print $4 }' "/proc/$a/stat" 2>/dev/null || true)
  done
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    case "$ancestors" in *" $pid "*) continue ;; esac
    { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$conf" && echo "$pid"
  done
  return 0
}

stop_cluster() {
  local d=$1 name pid jobs
  # Jobs first: slurmd kills their steps when they are cancelled; stopped by itself, it leaves
  # slurmstepd and the job's processes running.
  if [ -f "$d/slurmctld.pid" ] && kill -0 "$(cat "$d/slurmctld.pid")" 2>/dev/null; then
    jobs=$(SLURM_CONF="$d/slurm.conf" timeout 10 squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ' || true)
    if [ -n "${jobs// /}" ]; then
      # shellcheck disable=SC2086
      SLURM_CONF="$d/slurm.conf" timeout 10 scancel $jobs 2>/dev/null || true
      for _ in $(seq 1 100); do
        [ -z "$(SLURM_CONF="$d/slurm.conf" timeout 10 squeue -h -o %A 2>/dev/null || true)" ] && break
        sleep 0.2
      done
    fi
  fi
  for name in slurmd slurmctld munged; do
    [ -f "$d/$name.pid" ] || continue
    pid=$(cat "$d/$name.pid")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$d/$name.pid"
  done
  # What is left of the jobs (steps that outlived their slurmstepd): killed by pid.
  for pid in $(cluster_processes "$d/slurm.conf"); do
    kill -9 "$pid" 2>/dev/null || true
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$action" in
stop)
  [ -d "$dir" ] || exit 0
  stop_cluster "$(cd "$dir" && pwd)"
  exit 0
  ;;
start) ;;
*) usage ;;
esac

for tool in munged slurmctld slurmd sbatch; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
    echo "error: $tool not found; install Debian's slurm-wlm and munge" >&2; exit 1; }
done
export PATH="$PATH:/usr/sbin"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# munged refuses a socket directory that others may write to.
chmod 0700 "$dir"
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 0700 "$dir/munge"

# munge: a fresh key, its own socket.
if [ ! -f "$dir/munge/munge.key" ]; then
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$dir/munge/munge.key"
fi
socket="$dir/munge/munge.socket"
munged --force --key-file="$dir/munge/munge.key" --socket="$socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed" \
  >"$dir/log/munged.out" 2>&1 || { cat "$dir/log/munged.out" "$dir/log/munged.log" >&2; exit 1; }

node=$(hostname -s)
cpus=$(nproc)
memory_mb=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
# A job that asks for no memory gets its CPUs' share of the node, not the whole node (Slurm's
# default with CR_Core_Memory), so array tasks run side by side as on a real cluster.
mem_per_cpu=$((memory_mb / cpus))
ctld_port=$(free_port)
slurmd_port=$(free_port)
cat >"$dir/slurm.conf" <<EOF
ClusterName=nndsl-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/state/slurmctld.pid
SlurmdPidFile=$dir/spool/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=3600
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
MaxArraySize=10001
DefMemPerCPU=$mem_per_cpu
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"

# Both daemons in the foreground of a background process, so their pids are ours to stop.
setsid slurmctld -D -i >"$dir/log/slurmctld.out" 2>&1 </dev/null &
echo $! >"$dir/slurmctld.pid.start"
setsid slurmd -D -N "$node" >"$dir/log/slurmd.out" 2>&1 </dev/null &
echo $! >"$dir/slurmd.pid.start"
mv "$dir/slurmctld.pid.start" "$dir/slurmctld.pid"
mv "$dir/slurmd.pid.start" "$dir/slurmd.pid"

# Up when the node is idle (not down/unknown) in the controller's eyes.
for _ in $(seq 1 150); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1 || true)
  case "$state" in
  idle | mixed | allocated) echo "export SLURM_CONF=$SLURM_CONF"; exit 0 ;;
  esac
  sleep 0.2
done
echo "error: the one-node Slurm cluster did not come up in 30 s (node state: ${state:-none})" >&2
tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" "$dir/log/slurmctld.out" "$dir/log/slurmd.out" >&2 2>/dev/null || true
stop_cluster "$dir"
exit 1

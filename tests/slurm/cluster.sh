#!/bin/sh
# cluster.sh -- a one-node Slurm cluster of its own for a test: `cluster.sh DIR start` writes
# DIR/slurm.conf (auth/none, free ports, every state, spool, pid and log file under DIR, the
# machine's CPUs and memory, a small MaxArraySize so that sweeps are chunked), starts
# slurmctld and slurmd in the foreground of their own processes (-D) and waits until the
# node is idle; `cluster.sh DIR stop` stops both (TERM, then KILL after 10 s), waits for them
# and removes their state; `cluster.sh DIR logs` prints their logs.  The clients find the
# cluster through SLURM_CONF=DIR/slurm.conf.  Exit 77 with the reason on stdout when
# Slurm is not installed or will not start here (the caller skips or fails).
set -u
dir=$1
cmd=$2
conf=$dir/slurm.conf
export SLURM_CONF="$conf"

stop() {
	for d in slurmd slurmctld; do
		[ -f "$dir/$d.pid.own" ] || continue
		pid=$(cat "$dir/$d.pid.own")
		kill -TERM "$pid" 2>/dev/null
	done
	for d in slurmd slurmctld; do
		[ -f "$dir/$d.pid.own" ] || continue
		pid=$(cat "$dir/$d.pid.own")
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$pid" 2>/dev/null
		rm -f "$dir/$d.pid.own"
	done
	if [ -f "$dir/spool.own" ]; then
		rm -rf "$(cat "$dir/spool.own")"
		rm -f "$dir/spool.own"
	fi
	rm -rf "$dir/state" "$dir/spool"
}

logs() {
	for f in slurmctld.log slurmd.log slurmctld.out slurmd.out; do
		[ -s "$dir/$f" ] || continue
		echo "---- $dir/$f (last 40 lines)"
		tail -n 40 "$dir/$f"
	done
}

# a TCP port nobody listens on, from the kernel (bind to port 0)
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case $cmd in
stop)
	stop
	exit 0
	;;
logs)
	logs
	exit 0
	;;
start) ;;
*)
	echo "usage: cluster.sh DIR start|stop|logs" >&2
	exit 2
	;;
esac

for p in slurmctld slurmd sbatch sinfo scontrol; do
	command -v $p >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	if ! command -v $p >/dev/null 2>&1; then
		echo "$p is not installed (Debian: slurmctld, slurmd, slurm-client)"
		exit 77
	fi
done
# slurmd binds Unix sockets in its spool folder (108 bytes a path at most): a long DIR
# gets a short folder under /tmp instead, removed with the rest
spool=$dir/spool
if [ ${#spool} -gt 60 ]; then
	spool=$(mktemp -d /tmp/vnsl.XXXXXX) || exit 1
	echo "$spool" >"$dir/spool.own"
fi
mkdir -p "$dir/state" "$spool"
cpus=$(nproc)
# RealMemory in MiB, a little under MemTotal (slurmd refuses a node that claims more)
mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
ctl_port=$(free_port)
d_port=$(free_port)
while [ "$d_port" = "$ctl_port" ]; do d_port=$(free_port); done
user=$(id -un)
cat >"$conf" <<CONF
ClusterName=vnodesimtest
SlurmctldHost=localhost
SlurmctldPort=$ctl_port
SlurmdPort=$d_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/builtin
SwitchType=switch/none
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MaxArraySize=3
MinJobAge=300
SchedulerParameters=sched_interval=1
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=vnodesimtest Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i -f "$conf" >"$dir/slurmctld.out" 2>&1 &
echo $! >"$dir/slurmctld.pid.own"
slurmd -D -N localhost -f "$conf" >"$dir/slurmd.out" 2>&1 &
echo $! >"$dir/slurmd.pid.own"
# wait (30 s at most) for the node to be idle
i=0
while [ $i -lt 300 ]; do
	state=$(sinfo -h -N -o %t 2>/dev/null | head -n 1)
	case $state in
	idle*) exit 0 ;;
	esac
	for d in slurmctld slurmd; do
		if ! kill -0 "$(cat "$dir/$d.pid.own")" 2>/dev/null; then
			echo "$d exited at start (node state '${state:-none}')"
			logs
			stop
			exit 77
		fi
	done
	sleep 0.1
	i=$((i + 1))
done
echo "the node is not idle after 30 s (state '${state:-none}')"
logs
stop
exit 77

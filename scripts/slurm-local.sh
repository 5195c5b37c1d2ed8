#!/usr/bin/env bash
# A real single-node Slurm on localhost (docs/sweeps.md), used to prove `bitsgd sweep` shards:
#   1. installs Debian's slurm-wlm and munge with apt if missing,
#   2. starts munged (unless one already answers), slurmctld and slurmd with a slurm.conf of its own
#      (under $BITSGD_SLURM_DIR, default /tmp/bitsgd-slurm; /etc/slurm is not touched),
#   3. submits a tiny sweep as a 4-task job array (the script `bitsgd sweep --print-sbatch` prints),
#      waits, merges the shard outputs, and checks: every task ran under Slurm with its array ids,
#      the merge reports nothing missing or duplicated, and the merged summary equals an
#      unsharded run of the same spec,
#   4. stops the daemons it started (by their pid files).
# Idempotent: a re-run starts from a clean state dir. Exit 0 on success, 1 on a failed check.
# SKIP (exit 0) only where slurmd cannot run on this machine: not root (slurmd and the munge key
# need root here), or the packages are neither installed nor installable (no package registry).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BITSGD=$ROOT/bin/bitsgd
W=${BITSGD_SLURM_DIR:-/tmp/bitsgd-slurm}
PORT=${BITSGD_SLURM_PORT:-6817}          # slurmctld; slurmd uses PORT+1
TASKS=4
say() { echo "slurm-local: $*"; }
skip() { echo "SKIP slurm-local: $*"; exit 0; }
fail() { echo "FAIL slurm-local: $*"; for f in "$W"/slurmctld.log "$W"/slurmd.log; do [ -f "$f" ] && { echo "--- tail $f"; tail -n 15 "$f"; }; done; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root (slurmd runs jobs as any user, munged needs a root-owned key); run as root"

# 1. packages
if ! command -v slurmd >/dev/null || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  say "installing slurm-wlm and munge with apt"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -q && apt-get install -y -q slurm-wlm munge; } >"${TMPDIR:-/tmp}/bitsgd-slurm-apt.log" 2>&1 \
    || { command -v slurmd >/dev/null || skip "apt-get install slurm-wlm munge failed (no package registry?), see ${TMPDIR:-/tmp}/bitsgd-slurm-apt.log"; }
fi
command -v slurmd >/dev/null || skip "slurmd not installed and not installable"

# a re-run: stop what a previous run of this script left behind (only our own pid files)
stop_pidfile() { local f=$1; [ -f "$f" ] || return 0; local p; p=$(cat "$f" 2>/dev/null); [ -n "$p" ] && kill "$p" 2>/dev/null; for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -9 "$p" 2>/dev/null; rm -f "$f"; }
stop_pidfile "$W/slurmd.pid"
stop_pidfile "$W/slurmctld.pid"
[ -f "$W/munged.started" ] && { stop_pidfile "$W/munged.pid"; rm -f "$W/munged.started"; }
rm -rf "$W"
mkdir -p "$W/state" "$W/spool" "$W/out"

STARTED_MUNGE=0
cleanup() {
  stop_pidfile "$W/slurmd.pid"
  stop_pidfile "$W/slurmctld.pid"
  if [ "$STARTED_MUNGE" = 1 ]; then stop_pidfile "$W/munged.pid"; rm -f "$W/munged.started"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# 2. munge: a key owned by munge, mode 400; start munged unless one already answers
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key /etc/munge && chmod 400 /etc/munge/munge.key && chmod 700 /etc/munge
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 755 /run/munge
  # munged runs as the munge user and writes its pid file itself
  su -s /bin/sh munge -c "munged --pid-file=/run/munge/munged.pid" || munged --force --pid-file=/run/munge/munged.pid \
    || fail "munged did not start"
  cp /run/munge/munged.pid "$W/munged.pid" 2>/dev/null
  STARTED_MUNGE=1; touch "$W/munged.started"
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null 2>&1 || fail "munge does not answer"
  say "started munged"
else
  say "munged already running"
fi

# 3. slurm.conf of our own
HOST=$(hostname -s)
CPUS=$(nproc)
MEM=$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.8}' /proc/meminfo)
export SLURM_CONF=$W/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=bitsgd
SlurmctldHost=$HOST
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/slurmctld.pid
SlurmdPidFile=$W/slurmd.pid
SlurmctldLogFile=$W/slurmctld.log
SlurmdLogFile=$W/slurmd.log
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
state=
for _ in $(seq 60); do
  state=$(sinfo -h -N -o %T 2>/dev/null | head -n 1)
  case $state in idle*|mix*|alloc*) break ;; esac
  sleep 0.5
done
case $state in idle*|mix*|alloc*) say "node $HOST is $state ($CPUS CPUs)" ;; *) fail "node did not become idle (state '$state')" ;; esac

# 4. a tiny sweep as a 4-task job array
SPEC=$W/tiny.json
cat >"$SPEC" <<'EOF'
{
  "name": "slurm-tiny",
  "fixed": {"width": 32, "batch": 32, "lr": 1, "eval_every": 10, "eval_samples": 1024},
  "grid": {"k": [2, 3], "n": [8, 12]},
  "seeds": 3,
  "budget": 5000
}
EOF
"$BITSGD" --version >/dev/null || fail "bin/bitsgd does not build/run"
"$BITSGD" sweep "$SPEC" --print-sbatch --shard-count $TASKS --out "$W/out" >"$W/job.sh" || fail "--print-sbatch failed"
job=$(cd "$W" && sbatch --parsable "$W/job.sh") || fail "sbatch failed"
job=${job%%;*}
say "submitted job array $job ($TASKS tasks)"
for _ in $(seq 600); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 0.5
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || { scancel "$job"; fail "job $job still queued/running after 300 s"; }

ok=1
for t in $(seq 0 $((TASKS - 1))); do
  f=$W/slurm-${job}_$t.out
  [ -f "$f" ] || { echo "task $t: no output file $f"; ok=0; continue; }
  grep -q "^sweep slurm-tiny (shard $t of $TASKS" "$f" || { echo "task $t did not finish its shard:"; cat "$f"; ok=0; }
  grep -q "\"slurm_array_task_id\":\"$t\"" "$W"/out/shards/"$t"/runs/*.json 2>/dev/null || { echo "task $t: records lack its Slurm ids"; ok=0; }
  say "task $t: $(grep '^sweep slurm-tiny' "$f")"
done
[ "$ok" = 1 ] || fail "some array tasks failed"

"$BITSGD" merge --out "$W/out" "$W"/out/shards/* | tee "$W/merge.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "merge reported missing or conflicting runs"
grep -q ', 0 missing, 0 duplicates' "$W/merge.txt" || fail "merge reported missing or duplicate runs"

# the merged result equals an unsharded run (summary without the timing columns)
"$BITSGD" sweep "$SPEC" --out "$W/local" --threads "$CPUS" --progress none >/dev/null || fail "unsharded sweep failed"
"$BITSGD" summarize "$W/out" >/dev/null && "$BITSGD" summarize "$W/local" >/dev/null || fail "summarize failed"
# drop the last two columns (median steps/s and wall seconds: timings)
# the timing columns by name: the sweep's name and fixed settings follow them
strip_timing() {
  awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "steps_per_second_median" || $i == "wall_seconds_median") drop[i] = 1 }
    { line = ""; n = 0; for (i = 1; i <= NF; i++) if (!(i in drop)) line = line (n++ ? OFS : "") $i; print line }' "$1"
}
strip_timing "$W/out/summary.csv" >"$W/a.csv"; strip_timing "$W/local/summary.csv" >"$W/b.csv"
diff "$W/a.csv" "$W/b.csv" || fail "merged shards differ from the unsharded sweep"
cat "$W/a.csv"
say "OK: $TASKS-task job array $job ran on a real slurmd, merge complete, equal to the unsharded sweep"
exit 0

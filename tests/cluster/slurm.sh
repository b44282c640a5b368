#!/usr/bin/env bash
# The Slurm recipe of docs/DISTRIBUTED.md on a real one-node Slurm cluster
# (issue 17).  Run by `make test-slurm` (which installs Slurm with `make
# deps-slurm`), not by `make test`; needs root.
#
# The cluster is started here, in a temporary directory, and stopped by the
# pids this suite started whatever happens (tests/cluster/lib.sh): munged, as
# the munge user, with a key made for the run; slurmctld and slurmd with a
# slurm.conf of their own (free ports of 127.0.0.1, state, spool and logs in the
# directory, proctrack/linuxproc, task/none).  Debian's Slurm 22.05 keeps
# accounting only through slurmdbd and a database, so the job completion
# records go to a text file (jobcomp/filetxt) that `sacct -c` reads.  slurmd
# runs without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so its jobs (root's)
# are refused a mode-000 directory as any user's jobs would be.
#
# The commands of the page's section "Slurm job array" are run as written: the
# block is read from the page, and only LINES=50 (LINES=4) and the /shared
# paths (the scenario's directory) are replaced; hgym-index is found on PATH.
#   clean    16 standard-library packages: 4 array tasks, then the merge
#            (afterok); every task and the merge COMPLETED with exit 0 in sacct,
#            and the merged index has the bytes of one `hgym-index --manifest` run
#   fault    the same, with task 1 stopped by `scontrol requeue` while its
#            hgym-index runs (a part written, the shard index not): the parts it
#            wrote are kept, it runs again (Restarts=1), and the merged bytes are
#            the same
#   failing  a repository of task 1 is a mode-000 directory: task 1 FAILED with
#            exit 3 in sacct, its log names the directory, it leaves no shard
#            index, and the merge never runs (DependencyNeverSatisfied); a merge
#            submitted anyway fails naming the shard; after the fix, the page's
#            recovery (requeue, cancel, merge again) gives the one-run bytes
# When the cluster cannot start, the suite says why and fails.
#
# Env: HGYM_BIN (bin), PYTHON (python3), HGYM_KEEP_TMP=1 keeps the directory,
# HGYM_SLURM_PORTS="CTLD SLURMD" the two ports (default: two free ones).
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
NAME=slurm
PYTHON=${PYTHON:-python3}
# shellcheck source=tests/cluster/lib.sh
. tests/cluster/lib.sh

BIN=$(cd "${HGYM_BIN:-bin}" 2> /dev/null && pwd) && [ -x "$BIN/hgym-index" ] \
  || die "no ${HGYM_BIN:-bin}/hgym-index: build first (make test-slurm does)"
./deps.sh check slurm || die "Slurm, munge or OpenSSH is missing: run \`make deps-slurm\`"
[ "$(id -u)" = 0 ] || die "cannot start the cluster: not root (slurmd runs jobs, munged switches to its user)"
std=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])') \
  || die "$PYTHON cannot name its standard library"
# a Slurm environment around the suite must not leak into its commands
for v in $(env | sed -n 's/^\(SLURM_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hgym-slurm.XXXXXX") || die "mktemp failed"
chmod 755 "$TMP" # munged runs as munge and must reach its directories in here
cluster_init

# ---- the commands of the page ----------------------------------------------------
BLOCK=$(doc_block "Slurm job array" 1)
BLOCK=$(replace "$BLOCK" "LINES=50" "LINES=4" 1) \
  && BLOCK=$(replace "$BLOCK" "/shared/run" '$PWD/work' 2) \
  && BLOCK=$(replace "$BLOCK" "/shared/corpus.idx" '$PWD/all.idx' 1) \
  || die "the page's Slurm commands changed shape: update this suite with them"
RECOVERY=$(doc_block "Slurm job array" 2)
RECOVERY=$(replace "$RECOVERY" '${jid}_7' '${jid}_1' 1) \
  && RECOVERY=$(replace "$RECOVERY" "/shared/run" '$PWD/work' 1) \
  && RECOVERY=$(replace "$RECOVERY" "/shared/corpus.idx" '$PWD/all.idx' 1) \
  || die "the page's recovery commands changed shape: update this suite with them"
REQUEUE_CMD=$(printf '%s\n' "$RECOVERY" | grep '^scontrol requeue ')
CANCEL_CMD=$(printf '%s\n' "$RECOVERY" | grep '^scancel ')
MERGE_CMD=$(printf '%s\n' "$RECOVERY" | grep '^sbatch ')
[ -n "$REQUEUE_CMD" ] && [ -n "$CANCEL_CMD" ] && [ -n "$MERGE_CMD" ] \
  || die "the page's recovery block lacks its scontrol requeue, scancel or sbatch line"
echo "$NAME: the page's commands, as run (in each scenario's directory):"
printf '%s\n' "$BLOCK" "$RECOVERY" | sed 's/^/    /'

# ---- helpers over the cluster (every client call bounded) -----------------------------
queue_empty() { # [JOBID]: squeue answers and lists no pending, running or completing job
  local out
  out=$(timeout 10 squeue -h ${1:+-j "$1"} -o %i 2> /dev/null) && [ -z "$out" ]
}
field() { # JOB FIELD: FIELD of `scontrol show job JOB` (JOB: an id, or ARRAY_TASK)
  timeout 10 scontrol -o show job "$1" 2> /dev/null | sed -n "1{s/^\(.* \)\{0,1\}$2=\([^ ]*\).*/\2/p}"
}
# the records `sacct -c` has of one job: "STATE EXITCODE" for each, in order, comma-separated
sacct_of() {
  timeout 10 sacct -c -n -P -o jobid,state,exitcode -j "$1" 2> /dev/null \
    | awk -F'|' -v id="$1" '$1 == id { printf "%s%s %s", s, $2, $3; s = "," }'
}
# check_sacct DESCRIPTION JOB EXPECTED: the records reach EXPECTED within 10 s
check_sacct() {
  local got
  same() { got=$(sacct_of "$2") && [ "$got" = "$3" ]; }
  wait_until 10 same "$@"
  check "$1 (sacct -c: state, exit code)" "$3" "$got"
}
wait_gone() { # SECONDS JOB WHAT: wait until squeue no longer lists JOB
  wait_until "$1" queue_empty "$2" \
    || die "$3: still queued after $1 s: $(timeout 10 squeue -h -j "$2" -o '%i %T %r' 2> /dev/null | tr '\n' ';')"
}
# submit DIR: the page's commands in DIR (corpus.manifest there); sets ARRAY and MERGE
submit() {
  local dir=$1
  ln -sfn "$ROOT/docs" "$dir/docs"
  (cd "$dir" && PATH="$BIN:$PATH" timeout 60 bash -eu -c "$BLOCK"$'\necho "array job $jid, merge job $merge"') \
    > "$dir/submit.out" 2>&1 || die "the page's commands failed in $dir: $(cat "$dir/submit.out")"
  ARRAY=$(sed -n 's/^array job \([0-9][0-9]*\), merge job [0-9][0-9]*$/\1/p' "$dir/submit.out")
  MERGE=$(sed -n 's/^array job [0-9][0-9]*, merge job \([0-9][0-9]*\)$/\1/p' "$dir/submit.out")
  [ -n "$ARRAY" ] && [ -n "$MERGE" ] || die "no job ids in the output of the page's commands: $(cat "$dir/submit.out")"
  echo "$NAME: submitted in $dir: array job $ARRAY, merge job $MERGE"
}
# page_cmd DIR COMMAND: a recovery command of the page, in DIR, with jid and merge set
page_cmd() {
  (cd "$1" && jid=$ARRAY merge=$MERGE PATH="$BIN:$PATH" timeout 30 bash -eu -c "$2") > "$1/cmd.out" 2>&1
}
task_id() { field "${ARRAY}_$1" JobId; } # the job id Slurm gave array task N
tasks_of() { # ARRAY: its task ids, sorted
  timeout 10 scontrol -o show job "$1" 2> /dev/null | sed -n 's/.* ArrayTaskId=\([^ ]*\).*/\1/p' | sort -n | paste -s -d ' '
}

# ---- the cluster ----------------------------------------------------------------------
t_start=$SECONDS
host=$(hostname -s)
addr=$(getent hosts "$host" | awk '{ print $1; exit }')
[ -n "$addr" ] || die "cannot start the cluster: the host name '$host' does not resolve (slurmd finds its node by it)"
# the daemons listen on 127.0.0.1 alone when the host name says so; with another
# address they listen on every address, and are still reached on 127.0.0.1
case $addr in 127.*) listen="CommunicationParameters=NoInAddrAny" ;; *) listen="" ;; esac
id munge > /dev/null 2>&1 || die "cannot start the cluster: there is no munge user: run \`make deps-slurm\`"
M=$TMP/munge               # the key, seed and pid: the munge user's alone
MS=$TMP/munge-socket       # the socket: every user's
SOCK=$MS/munge.socket
mkdir -p "$M" "$MS" "$TMP/slurm/state" "$TMP/slurm/spool"
chown munge:munge "$M" "$MS" && chmod 700 "$M" && chmod 755 "$MS" \
  || die "cannot start the cluster: cannot give $M and $MS to the munge user"
as_munge() { setpriv --reuid=munge --regid=munge --init-groups -- "$@"; }
as_munge mungekey --create --keyfile="$M/munge.key" > "$TMP/mungekey.log" 2>&1 \
  || die "cannot start the cluster: no munge key could be made (mungekey --create): $(cat "$TMP/mungekey.log")"
cd "$TMP" || die "cannot enter $TMP"
start_daemon munged "$TMP/munged.log" setpriv --reuid=munge --regid=munge --init-groups -- \
  munged --foreground --key-file="$M/munge.key" --socket="$SOCK" --pid-file="$M/munged.pid" \
  --seed-file="$M/munged.seed" --log-file="$M/munged.file.log"
munged_pid=${daemon_pids[-1]}
munge_up() { alive "$munged_pid" && [ -S "$SOCK" ]; }
wait_until 15 munge_up \
  || die "cannot start the cluster: munged did not start: $(tail -n 5 "$TMP/munged.log")"
munge -n -S "$SOCK" | unmunge -S "$SOCK" > /dev/null 2> "$TMP/unmunge.log" \
  || die "cannot start the cluster: munged does not decode its own credential: $(cat "$TMP/unmunge.log")"

read -r ctld_port slurmd_port <<< "${HGYM_SLURM_PORTS:-$(free_ports 2)}"
[ -n "${slurmd_port:-}" ] || die "cannot start the cluster: no free TCP port on 127.0.0.1"
node=$(slurmd -C 2> "$TMP/slurmd-C.log" | sed -n 1p)
case $node in
  "NodeName=$host "*RealMemory=*) ;;
  *) die "cannot start the cluster: slurmd -C does not describe this node: '$node' $(cat "$TMP/slurmd-C.log")" ;;
esac
export SLURM_CONF=$TMP/slurm/slurm.conf
cat > "$SLURM_CONF" << EOF
# written by tests/cluster/slurm.sh
ClusterName=hgymtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
$listen
AuthType=auth/munge
CredType=cred/munge
# cred_expire is also how long a requeued job waits before it starts again (120 s by default)
AuthInfo=socket=$SOCK,cred_expire=10
StateSaveLocation=$TMP/slurm/state
SlurmdSpoolDir=$TMP/slurm/spool
SlurmctldPidFile=$TMP/slurm/slurmctld.pid
SlurmdPidFile=$TMP/slurm/slurmd.pid
SlurmctldLogFile=$TMP/slurm/slurmctld.log
SlurmdLogFile=$TMP/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=bf_interval=1,sched_interval=2
MinJobAge=900
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$TMP/slurm/jobcomp.txt
$node NodeAddr=127.0.0.1
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
start_daemon slurmctld "$TMP/slurmctld.out" slurmctld -D -f "$SLURM_CONF"
ctld_pid=${daemon_pids[-1]}
start_daemon slurmd "$TMP/slurmd.out" setpriv --bounding-set=-dac_override,-dac_read_search -- \
  slurmd -D -f "$SLURM_CONF"
slurmd_pid=${daemon_pids[-1]}
cancel_jobs() { # STOP_HOOK: no job outlives the suite
  alive "$ctld_pid" || return 0
  timeout 20 scancel --user=root 2> /dev/null
  wait_until 30 queue_empty
}
STOP_HOOK=cancel_jobs
node_idle() { [ "$(timeout 10 sinfo -h -n "$host" -o %T 2> /dev/null)" = idle ]; }
up_or_down() {
  node_idle || ! alive "$ctld_pid" || ! alive "$slurmd_pid" \
    || grep -q 'Address already in use' "$TMP/slurmctld.out" "$TMP/slurmd.out"
}
wait_until 30 up_or_down
if ! node_idle; then
  why="the node did not become idle in 30 s"
  alive "$ctld_pid" || why="slurmctld exited"
  alive "$slurmd_pid" || why="slurmd exited"
  grep -q 'Address already in use' "$TMP/slurmctld.out" \
    && why="slurmctld's port $ctld_port on 127.0.0.1 is taken (Address already in use)"
  grep -q 'Address already in use' "$TMP/slurmd.out" \
    && why="slurmd's port $slurmd_port is taken (Address already in use)"
  die "cannot start the cluster: $why
--- slurmctld: $(tail -n 8 "$TMP/slurmctld.out")
--- slurmd: $(tail -n 8 "$TMP/slurmd.out")"
fi
echo "$NAME: cluster up in $((SECONDS - t_start)) s: $node; slurmctld on 127.0.0.1:$ctld_port, slurmd on :$slurmd_port"

# ---- the manifests and their one-run indexes ----------------------------------------------
pkgs16="email json importlib xml  logging test concurrent urllib  http asyncio unittest multiprocessing  ctypes tkinter sqlite3 html"
for p in $pkgs16; do [ -d "$std/$p" ] || die "the standard library at $std has no package $p"; done
{
  echo "# 16 packages of the standard library, 4 a shard; shard 1 holds the slowest (test)"
  echo
  for p in $pkgs16; do echo "$std/$p std/$p"; done
} > "$TMP/m16.txt"
t0=$SECONDS
"$BIN/hgym-index" -q --manifest "$TMP/m16.txt" -o "$TMP/one16.idx" 2> "$TMP/one16.err" \
  || die "the one-run index failed: $(cat "$TMP/one16.err")"
echo "$NAME: one-run index of 16 repositories: $(stat -c %s "$TMP/one16.idx") bytes, $((SECONDS - t0)) s"

# ---- 1. clean ------------------------------------------------------------------------------
t0=$SECONDS
d=$TMP/clean
mkdir -p "$d" && cp "$TMP/m16.txt" "$d/corpus.manifest"
submit "$d"
wait_gone 150 "$ARRAY" "clean: the array"
wait_gone 60 "$MERGE" "clean: the merge"
check "clean: 16 repositories in shards of 4 made array tasks 0 1 2 3" "0 1 2 3" "$(tasks_of "$ARRAY")"
for t in 0 1 2 3; do check_sacct "clean: task $t" "$(task_id $t)" "COMPLETED 0:0"; done
check_sacct "clean: the merge" "$MERGE" "COMPLETED 0:0"
if cmp -s "$TMP/one16.idx" "$d/all.idx"; then
  pass "clean: the merged index has the bytes of the one-run index"
else
  fail "clean: the merged index differs from the one-run index ($(cmp "$TMP/one16.idx" "$d/all.idx" 2>&1))"
fi
echo "$NAME: clean scenario: $((SECONDS - t0)) s"

# ---- 2. fault: task 1 stopped while it runs, and requeued ------------------------------------
t0=$SECONDS
d=$TMP/fault
mkdir -p "$d" && cp "$TMP/m16.txt" "$d/corpus.manifest"
submit "$d"
shard1=$d/work/shard.000001
parts() { ls "$shard1.idx.parts" 2> /dev/null | grep -c '^[0-9]\{6\}\.idx$'; }
mid_run() {
  [ "$(field "${ARRAY}_1" JobState)" = RUNNING ] && [ "$(parts)" -ge 1 ] && [ ! -e "$shard1.idx" ]
}
wait_until 120 mid_run || die "fault: task 1 was never seen running with a part written and no shard index"
n_parts=$(parts)
timeout 20 scontrol requeue "${ARRAY}_1" > "$d/requeue.out" 2>&1 \
  || die "fault: scontrol requeue ${ARRAY}_1 failed: $(cat "$d/requeue.out")"
requeued() { [ "$(field "${ARRAY}_1" JobState)" = PENDING ]; }
wait_until 30 requeued || die "fault: task 1 is not pending again after the requeue: $(field "${ARRAY}_1" JobState)"
if [ ! -e "$shard1.idx" ] && [ "$(parts)" -ge "$n_parts" ]; then
  pass "fault: task 1 was stopped mid-run ($n_parts of 4 parts written, kept; no shard index)"
else
  fail "fault: task 1 was not stopped mid-run: shard index $(ls "$shard1.idx" 2>&1), $(parts) parts (had $n_parts)"
fi
wait_gone 150 "$ARRAY" "fault: the array"
wait_gone 60 "$MERGE" "fault: the merge"
check "fault: task 1 ran twice (Restarts)" 1 "$(field "${ARRAY}_1" Restarts)"
check_sacct "fault: task 1" "$(task_id 1)" "PENDING 0:0,COMPLETED 0:0"
for t in 0 2 3; do check_sacct "fault: task $t" "$(task_id $t)" "COMPLETED 0:0"; done
check_sacct "fault: the merge" "$MERGE" "COMPLETED 0:0"
if cmp -s "$TMP/one16.idx" "$d/all.idx"; then
  pass "fault: the merged index has the bytes of the one-run index"
else
  fail "fault: the merged index differs from the one-run index ($(cmp "$TMP/one16.idx" "$d/all.idx" 2>&1))"
fi
echo "$NAME: fault scenario: $((SECONDS - t0)) s"

# ---- 3. failing shard: a repository that cannot be read ------------------------------------
t0=$SECONDS
d=$TMP/failing
bad=$d/unreadable
mkdir -p "$bad" && echo 'def f(): pass' > "$bad/f.py" && chmod 000 "$bad"
{
  for p in email json importlib xml logging; do echo "$std/$p std/$p"; done
  echo "$bad local/unreadable"
  for p in concurrent urllib; do echo "$std/$p std/$p"; done
} > "$d/corpus.manifest"
submit "$d"
wait_gone 120 "$ARRAY" "failing: the array"
check_sacct "failing: task 0" "$(task_id 0)" "COMPLETED 0:0"
check_sacct "failing: task 1" "$(task_id 1)" "FAILED 3:0"
log1=$d/slurm-${ARRAY}_1.out
if grep -q -F -x "hgym-index: $bad: cannot read directory: Permission denied" "$log1" 2> /dev/null; then
  pass "failing: task 1's log names the unreadable repository"
else
  fail "failing: task 1's log ($log1) lacks 'hgym-index: $bad: cannot read directory: Permission denied': $(cat "$log1" 2>&1)"
fi
check "failing: task 1 left no shard index" "absent" "$([ -e "$d/work/shard.000001.idx" ] && echo present || echo absent)"
never() { [ "$(field "$MERGE" Reason)" = DependencyNeverSatisfied ]; }
wait_until 20 never
check "failing: the merge waits for good" "PENDING DependencyNeverSatisfied" \
  "$(field "$MERGE" JobState) $(field "$MERGE" Reason)"
check "failing: the merge never ran (no record, log or index)" "none" \
  "$(sacct_of "$MERGE")$(ls "$d/slurm-$MERGE.out" "$d/all.idx" 2> /dev/null)none"
# the page's merge command submitted before the fix: it refuses the incomplete shards
page_cmd "$d" "$MERGE_CMD" || die "failing: the page's merge command failed: $(cat "$d/cmd.out")"
early=$(sed -n 's/^Submitted batch job \([0-9][0-9]*\)$/\1/p' "$d/cmd.out")
[ -n "$early" ] || die "failing: no job id from the page's merge command: $(cat "$d/cmd.out")"
wait_gone 60 "$early" "failing: the early merge"
check_sacct "failing: a merge submitted before the fix" "$early" "FAILED 1:0"
check "failing: ... says which shard has no index, and writes nothing" \
  "slurm_merge.sbatch: $d/work/shard.000001 has no index: its array task did not complete" \
  "$(cat "$d/slurm-$early.out" 2>&1)$(ls "$d/all.idx" 2> /dev/null)"
# the page's recovery: fix, requeue the task, cancel the stuck merge, merge again
chmod 755 "$bad"
page_cmd "$d" "$REQUEUE_CMD" || die "failing: '$REQUEUE_CMD' failed: $(cat "$d/cmd.out")"
wait_gone 90 "$ARRAY" "failing: the requeued task"
check_sacct "failing: task 1, requeued after the fix" "$(task_id 1)" "FAILED 3:0,PENDING 3:0,COMPLETED 0:0"
check "failing: the first merge still waits for good (Slurm keeps the array's failure)" \
  "PENDING DependencyNeverSatisfied" "$(field "$MERGE" JobState) $(field "$MERGE" Reason)"
page_cmd "$d" "$CANCEL_CMD" || die "failing: '$CANCEL_CMD' failed: $(cat "$d/cmd.out")"
page_cmd "$d" "$MERGE_CMD" || die "failing: the page's merge command failed: $(cat "$d/cmd.out")"
again=$(sed -n 's/^Submitted batch job \([0-9][0-9]*\)$/\1/p' "$d/cmd.out")
[ -n "$again" ] || die "failing: no job id from the page's merge command: $(cat "$d/cmd.out")"
wait_gone 60 "$again" "failing: the merge after the fix"
check_sacct "failing: the merge after the fix" "$again" "COMPLETED 0:0"
"$BIN/hgym-index" -q --manifest "$d/corpus.manifest" -o "$TMP/one8.idx" 2> "$TMP/one8.err" \
  || die "the one-run index of the fixed manifest failed: $(cat "$TMP/one8.err")"
if cmp -s "$TMP/one8.idx" "$d/all.idx"; then
  pass "failing: after the fix, the merged index has the bytes of the one-run index"
else
  fail "failing: after the fix, the merged index differs from the one-run index ($(cmp "$TMP/one8.idx" "$d/all.idx" 2>&1))"
fi
echo "$NAME: failing-shard scenario: $((SECONDS - t0)) s"

cluster_summary

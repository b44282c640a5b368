# What the suites of tests/cluster/ share (sourced, not run): checks and their
# count, bounded waits, the daemons a suite starts and stops by their pids, free
# ports on 127.0.0.1, and the commands of docs/DISTRIBUTED.md as written there.
#
# A suite sets NAME (its name in messages) and TMP (its temporary directory,
# removed at the end unless HGYM_KEEP_TMP=1), calls cluster_init, starts its
# daemons with start_daemon, and ends with cluster_summary.  cluster_init traps
# EXIT, INT, TERM, HUP and PIPE: whatever happens short of SIGKILL, every daemon
# started is stopped (TERM, then KILL after 15 s), with STOP_HOOK run first
# while they still answer, and any process left with its working directory
# inside TMP (a job a daemon started) is killed.

passed=0
failed=0
daemon_pids=()
daemon_names=()
STOP_HOOK=${STOP_HOOK:-}

pass() { echo "$NAME: ok: $*"; passed=$((passed + 1)); }
fail() { echo "$NAME: FAIL: $*"; failed=$((failed + 1)); }
# a check that went wrong: the suite goes no further (the trap stops the daemons)
die() {
  echo "$NAME: FAIL: $*"
  failed=$((failed + 1))
  echo "$NAME: $passed passed, $failed failed"
  exit 1
}

# check DESCRIPTION EXPECTED ACTUAL: exact equality
check() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# wait_until SECONDS COMMAND...: run COMMAND every 0.2 s until it succeeds;
# 1 when SECONDS pass first
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

alive() { # PID: running, and not a zombie waiting for its parent
  local s
  s=$(ps -o stat= -p "$1" 2> /dev/null) && [ "${s:0:1}" != Z ]
}

# start_daemon NAME LOG COMMAND...: COMMAND in the background, in the foreground
# mode of the daemon (its pid is $!), output to LOG
start_daemon() {
  local name=$1 log=$2
  shift 2
  "$@" > "$log" 2>&1 < /dev/null &
  daemon_pids+=("$!")
  daemon_names+=("$name")
  echo "$NAME: started $name (pid $!)"
}

# free_ports N: N TCP ports of 127.0.0.1 that nothing listens on now (the
# kernel's choice); the daemon that takes one says so if it was taken since
free_ports() {
  "${PYTHON:-python3}" -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

# doc_block HEADING N: the Nth ```sh block of the section "## HEADING" of
# docs/DISTRIBUTED.md, as written there
doc_block() {
  awk -v h="## $1" -v n="$2" '
    /^## / { sec = ($0 == h) }
    sec && !on && /^```sh$/ { if (++k == n) { on = 1; next } }
    on && /^```$/ { exit }
    on { print }' docs/DISTRIBUTED.md
}

# replace TEXT FROM TO COUNT: TEXT with every FROM replaced by TO; FROM must
# occur exactly COUNT times, or the page's commands changed shape and the suite
# says so
replace() {
  local n
  n=$(printf '%s\n' "$1" | grep -o -F -- "$2" | wc -l)
  if [ "$n" != "$4" ]; then
    echo "$NAME: docs/DISTRIBUTED.md: expected '$2' $4 times in the commands, found it $n times" >&2
    return 1
  fi
  printf '%s\n' "${1//"$2"/"$3"}"
}

cluster_stop() {
  local rc=$? i p left=() deadline
  trap - EXIT INT TERM HUP
  trap '' PIPE # a reader gone (make ... | head) must not cut the stopping short
  cd / || true
  if [ -n "$STOP_HOOK" ]; then $STOP_HOOK || true; fi
  for i in "${!daemon_pids[@]}"; do
    alive "${daemon_pids[$i]}" && kill -TERM "${daemon_pids[$i]}" 2> /dev/null
  done
  deadline=$((SECONDS + 15))
  for i in "${!daemon_pids[@]}"; do
    p=${daemon_pids[$i]}
    while alive "$p" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$p"; then
      echo "$NAME: ${daemon_names[$i]} (pid $p) did not stop on TERM in 15 s: KILL"
      kill -KILL "$p" 2> /dev/null
    fi
    wait "$p" 2> /dev/null
  done
  # what the daemons started and left (a job's processes): working directory in TMP
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" != $$ ] || continue
    case $(readlink "/proc/$p/cwd" 2> /dev/null) in
      "$TMP" | "$TMP"/*) left+=("$p") ;;
    esac
  done
  if [ ${#left[@]} -gt 0 ]; then
    echo "$NAME: killing processes left in $TMP: ${left[*]}"
    kill -KILL "${left[@]}" 2> /dev/null
  fi
  if [ "${HGYM_KEEP_TMP:-}" = 1 ]; then
    echo "$NAME: kept $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}

cluster_init() {
  trap cluster_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  trap 'exit 141' PIPE
}

cluster_summary() {
  echo "$NAME: took $SECONDS s"
  echo "$NAME: $passed passed, $failed failed"
  [ "$failed" = 0 ]
}

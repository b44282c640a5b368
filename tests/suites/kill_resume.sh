#!/usr/bin/env bash
# Nothing lost (issue 6): `hgym-index --manifest M -o X` killed with SIGKILL at
# a random moment, then run again with --resume until it succeeds, writes X
# with exactly the bytes of an uninterrupted run.
#
# The manifest lists several repositories: packages of the standard library
# (email, json, importlib, xml, ...) each as a repository of its own, and the
# Debian packages flask, jinja2, click and requests when they are installed.
# Each trial kills a fresh run after a random delay within the uninterrupted
# run's time (some trials kill the first --resume run too), then resumes until
# the run exits 0; the last trials kill while the parts are being merged into
# X (once every part is written and X is not yet there).  After every trial X
# must equal the uninterrupted index (cmp) and OUT.parts/ must be gone.
#
# Env: HGYM_BIN (bin), KILL_TRIALS (6 random trials + 2 during the merge),
# KILL_SEED (the random seed, printed, to repeat a run), VALGRIND=1 (a
# reduced manifest: json, email and http only).
set -u
cd "$(dirname "$0")/../.." || exit 1
PYTHON=${PYTHON:-python3}
BIN=${HGYM_BIN:-bin}
TRIALS=${KILL_TRIALS:-6}
SEED=${KILL_SEED:-$$}
RANDOM=$SEED
std=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
D=/usr/lib/python3/dist-packages
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in ${pids[@]+"${pids[@]}"}; do kill -9 "$p" 2> /dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
fail() { echo "kill_resume: FAIL: $*"; failed=$((failed + 1)); }
now_ms() { date +%s%3N; }

M=$tmp/manifest.txt
if [ "${VALGRIND:-}" = 1 ]; then
  pkgs="json email http"
  echo "kill_resume: reduced manifest under valgrind: $pkgs"
else
  pkgs="email json importlib xml logging concurrent urllib http unittest"
fi
for p in $pkgs; do echo "$std/$p std/$p"; done > "$M"
if [ "${VALGRIND:-}" != 1 ]; then
  for p in flask jinja2 click requests; do
    if [ -d "$D/$p" ]; then echo "$D/$p debian/$p" >> "$M"; fi
  done
fi
n_repos=$(wc -l < "$M")

t0=$(now_ms)
if ! "$BIN/hgym-index" -q --manifest "$M" -o "$tmp/ref.idx" 2> "$tmp/ref.err"; then
  echo "kill_resume: FAIL: the uninterrupted run failed: $(head -c 300 "$tmp/ref.err")"
  exit 1
fi
t_ref=$(($(now_ms) - t0))
echo "kill_resume: $n_repos repositories, uninterrupted run ${t_ref} ms, $(stat -c %s "$tmp/ref.idx") bytes; seed $SEED"

X=$tmp/x.idx
# start [--resume]: run hgym-index on the manifest in the background ($pid)
start() {
  "$BIN/hgym-index" -q --manifest "$M" -o "$X" "$@" 2>> "$tmp/x.err" &
  pid=$!
  pids+=("$pid")
}
# kill_now: SIGKILL $pid now; $how says how the run ended (killed, or exit N first)
kill_now() {
  local rc
  kill -9 "$pid" 2> /dev/null
  { wait "$pid"; } 2> /dev/null
  rc=$?
  if [ "$rc" -eq 137 ]; then how=killed; else how="exit $rc"; fi
}
# resume_until_done: run --resume until it exits 0 (at most 5 times)
resume_until_done() {
  local k
  for k in 1 2 3 4 5; do
    if "$BIN/hgym-index" -q --manifest "$M" -o "$X" --resume 2>> "$tmp/x.err"; then return 0; fi
  done
  return 1
}
# check TRIAL: X equals the reference and the parts are gone
check() {
  if ! cmp -s "$X" "$tmp/ref.idx"; then
    fail "trial $1: the resumed index differs from the uninterrupted one (seed $SEED)"
    cmp "$X" "$tmp/ref.idx" | head -n 1
  elif [ -e "$X.parts" ]; then
    fail "trial $1: $X.parts is left behind"
  else
    passed=$((passed + 1))
  fi
}
parts_written() { find "$X.parts" -maxdepth 1 -name '??????.idx' 2> /dev/null | wc -l; }

for trial in $(seq 1 "$TRIALS"); do
  rm -rf "$X" "$X.parts" "$tmp/x.err"
  delay=$((RANDOM % (t_ref + t_ref / 5 + 1)))
  start
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill_now
  msg="trial $trial: killed after ${delay} ms ($how, $(parts_written)/$n_repos parts)"
  # every other trial: kill the first resumed run too
  if [ $((trial % 2)) -eq 0 ] && [ "$how" = killed ]; then
    delay2=$((RANDOM % (t_ref / 2 + 1)))
    start --resume
    sleep "$(printf '%d.%03d' $((delay2 / 1000)) $((delay2 % 1000)))"
    kill_now
    msg="$msg; resumed run killed after ${delay2} ms ($how, $(parts_written)/$n_repos parts)"
  fi
  if resume_until_done; then
    echo "kill_resume: $msg; resumed"
    check "$trial"
  else
    fail "$msg; --resume did not succeed in 5 runs: $(tail -c 300 "$tmp/x.err")"
  fi
done

# Kill during the merge: poll until every part is written, then kill before X
# appears.  The merge may win the race; up to 10 tries for 2 kills inside it.
merge_kills=0
for try in $(seq 1 10); do
  [ "$merge_kills" -ge 2 ] && break
  rm -rf "$X" "$X.parts" "$tmp/x.err"
  start
  while [ "$(parts_written)" -lt "$n_repos" ] && kill -0 "$pid" 2> /dev/null; do sleep 0.002; done
  kill_now
  if [ "$how" != killed ] || [ -e "$X" ]; then
    echo "kill_resume: merge try $try: the run ended before the kill ($how); again"
    rm -rf "$X" "$X.parts"
    continue
  fi
  merge_kills=$((merge_kills + 1))
  leftovers=$(find "$tmp" -maxdepth 1 -name 'x.idx.tmp.*' | wc -l)
  if resume_until_done; then
    echo "kill_resume: merge try $try: killed during the merge ($n_repos/$n_repos parts written, X not yet renamed, $leftovers partial X); resumed"
    check "merge-$try"
    # the writer that finished removed what the killed one left
    left=$(find "$tmp" -maxdepth 1 -name 'x.idx.tmp.*' | wc -l)
    if [ "$left" -eq 0 ]; then passed=$((passed + 1)); else fail "merge try $try: $left temporary files left after the resume"; fi
  else
    fail "merge try $try: --resume did not succeed in 5 runs: $(tail -c 300 "$tmp/x.err")"
  fi
done
[ "$merge_kills" -ge 1 ] || fail "no kill landed during the merge in 10 tries"

# A part damaged after it was written: parts are not fsynced, so a power loss
# can leave one whose header is whole and whose data is not.  --resume must
# index that repository again (its report line says "indexed", the others'
# "resumed", in manifest order) and X must still be the reference.  Parts of a finished run are
# kept with --keep-parts; the second part has a byte changed mid-file.
rm -rf "$X" "$X.parts" "$tmp/x.err"
if "$BIN/hgym-index" -q --manifest "$M" -o "$X" --keep-parts 2>> "$tmp/x.err"; then
  part=$X.parts/000001.idx
  size=$(stat -c %s "$part")
  off=$((size / 2))
  byte=$(od -An -tu1 -j "$off" -N1 "$part" | tr -d ' ')
  printf "$(printf '\\%03o' $(((byte + 1) % 256)))" | dd of="$part" bs=1 seek="$off" conv=notrunc status=none
  rm -f "$X"
  if "$BIN/hgym-index" -q --manifest "$M" -o "$X" --resume --report "$tmp/report.jsonl" 2>> "$tmp/x.err"; then
    statuses=$("$PYTHON" -c '
import json, sys
rs = sorted((r["index"], r["status"]) for r in map(json.loads, open(sys.argv[1])) if r["record"] == "repository")
print(" ".join(s for _, s in rs))' "$tmp/report.jsonl")
    want="resumed indexed$(for _ in $(seq 3 "$n_repos"); do printf ' resumed'; done)"
    if [ "$statuses" = "$want" ]; then passed=$((passed + 1)); else fail "damaged part: report says '$statuses', want '$want'"; fi
    check damaged-part
  else
    fail "damaged part: --resume failed: $(tail -c 300 "$tmp/x.err")"
  fi
else
  fail "damaged part: the run with --keep-parts failed: $(tail -c 300 "$tmp/x.err")"
fi

echo "kill_resume: [${SECONDS}s] $passed passed, $failed failed"
[ "$failed" -eq 0 ]

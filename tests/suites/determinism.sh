#!/usr/bin/env bash
# The same repository always gives the same index bytes (issue 3: output is
# deterministic): index the standard library's json and email packages and
# this project's test fixtures twice and compare byte for byte.
# Under VALGRIND=1 only json and importlib are indexed (a reduced input).
set -eu
PYTHON=${PYTHON:-python3}
BIN=${HGYM_BIN:-bin}
std=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repos=("$std/email" "$std/json" "$std/importlib")
if [ "${VALGRIND:-}" = 1 ]; then
  repos=("$std/json" "$std/importlib")
  echo "determinism: reduced input under valgrind: json, importlib"
fi
for run in 1 2; do
  "$BIN/hgym-index" -q "${repos[@]}" -o "$tmp/$run.idx"
done
cmp "$tmp/1.idx" "$tmp/2.idx"
"$BIN/hgym-query" -i "$tmp/1.idx" deps > "$tmp/1.jsonl"
"$BIN/hgym-query" -i "$tmp/2.idx" deps > "$tmp/2.jsonl"
cmp "$tmp/1.jsonl" "$tmp/2.jsonl"
echo "determinism: 2 passed, 0 failed"

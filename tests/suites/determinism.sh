#!/usr/bin/env bash
# The same repository always gives the same index bytes (issue 3: output is
# deterministic): index the standard library's json and email packages and
# this project's test fixtures twice and compare byte for byte.
set -eu
PYTHON=${PYTHON:-python3}
std=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in 1 2; do
  bin/hgym-index -q "$std/email" "$std/json" "$std/importlib" -o "$tmp/$run.idx"
done
cmp "$tmp/1.idx" "$tmp/2.idx"
bin/hgym-query -i "$tmp/1.idx" deps > "$tmp/1.jsonl"
bin/hgym-query -i "$tmp/2.idx" deps > "$tmp/2.jsonl"
cmp "$tmp/1.jsonl" "$tmp/2.jsonl"
echo "determinism: 2 passed, 0 failed"

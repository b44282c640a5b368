#!/usr/bin/env bash
# `make run`: index the default corpus every machine has (the Python standard
# library of the machine's python3, found at run time) and print a summary.
# Usage: tests/make_run.sh PYTHON OUT_DIR
set -eu
PYTHON=${1:-python3}
out=${2:-build/run}
mkdir -p "$out"
root=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
echo "hgym: indexing the Python standard library at $root"
bin/hgym-index "$root" --name python/stdlib -o "$out/stdlib.idx"
bin/hgym-query -i "$out/stdlib.idx" repos
bin/hgym-query -i "$out/stdlib.idx" defs > "$out/stdlib.defs.jsonl"
echo "hgym: index at $out/stdlib.idx; definitions at $out/stdlib.defs.jsonl ($(wc -l < "$out/stdlib.defs.jsonl") rows)"

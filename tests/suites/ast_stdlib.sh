#!/usr/bin/env bash
# Issue 2's acceptance check: over the machine's whole Python standard
# library, the (file, qualname, line_start, line_end, decorator_line) set that
# `hgym-query defs` prints equals Python's ast, for every file ast parses.
set -eu
PYTHON=${PYTHON:-python3}
root=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${TEST_WRAP:-} bin/hgym-index -q "$root" -o "$tmp/std.idx"
bin/hgym-query -i "$tmp/std.idx" defs > "$tmp/defs.jsonl"
bin/hgym-query -i "$tmp/std.idx" files > "$tmp/files.jsonl"
"$PYTHON" tests/ast_compare.py "$root" "$tmp/defs.jsonl" "$tmp/files.jsonl"

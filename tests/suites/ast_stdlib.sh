#!/usr/bin/env bash
# Issue 2's acceptance check: over the machine's whole Python standard
# library, the (file, qualname, line_start, line_end, decorator_line) set that
# `hgym-query defs` prints equals Python's ast, for every file ast parses.
# Under VALGRIND=1 (make check VALGRIND=1) the input is reduced to the
# standard library's email package: the whole library would take hours.
set -eu
PYTHON=${PYTHON:-python3}
BIN=${HGYM_BIN:-bin}
root=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
if [ "${VALGRIND:-}" = 1 ]; then
  root=$root/email
  echo "ast_stdlib: reduced input under valgrind: $root"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN/hgym-index" -q "$root" -o "$tmp/std.idx"
"$BIN/hgym-query" -i "$tmp/std.idx" defs > "$tmp/defs.jsonl"
"$BIN/hgym-query" -i "$tmp/std.idx" files > "$tmp/files.jsonl"
"$PYTHON" tests/ast_compare.py "$root" "$tmp/defs.jsonl" "$tmp/files.jsonl"

#!/usr/bin/env bash
# Golden repositories: each tests/golden/<case>/repo/ is indexed and the
# queries' output must equal the expectations beside it, byte for byte:
#   defs.jsonl    `hgym-query defs`                     (every case)
#   files.jsonl   `hgym-query files`                    (every case)
#   export.jsonl  `hgym-query export`                   (when present)
#   diags.jsonl   `hgym-query diags`                    (when present)
# The index is built from inside the case directory with the relative path
# `repo`, so the repository's `root` field is "repo" wherever the checkout is.
# Then tests/golden/check_expectations.py checks the expectations themselves
# against Python's ast and the source bytes (see tests/golden/README.md).
#
# Usage: tests/suites/golden.sh [--update] [CASE...]
#   --update  rewrite the expectations from the current build (defs, files,
#             and export/diags where the case has them; `touch` one of those
#             first to start expecting it), then check them against ast.
#             For humans: review `git diff tests/golden` before committing.
# Env: PYTHON (python3), TEST_WRAP (e.g. "valgrind -q --error-exitcode=99"),
#      HGYM_BIN (the directory of the binaries, default bin).
set -u
cd "$(dirname "$0")/../.."
top=$PWD
BIN=${HGYM_BIN:-bin}
case $BIN in /*) ;; *) BIN=$top/$BIN ;; esac
PYTHON=${PYTHON:-python3}
TEST_WRAP=${TEST_WRAP:-}
. tests/golden_lib.sh
golden_init golden tests/golden 21 hgym-index hgym-query -- "$@"
# Field by field differences between two JSONL files (export lines are long).
JSONDIFF='
import json, sys
out = []
def name(v):
    if isinstance(v, dict):
        for k in ("qualname", "path", "name", "repo"):
            if isinstance(v.get(k), str):
                return "[" + v[k] + "]"
    return ""
def walk(x, y, at):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in list(x) + [k for k in y if k not in x]:
            if k not in y:
                out.append("%s.%s: %s -> (absent)" % (at, k, json.dumps(x[k])[:120]))
            elif k not in x:
                out.append("%s.%s: (absent) -> %s" % (at, k, json.dumps(y[k])[:120]))
            else:
                walk(x[k], y[k], at + "." + k)
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            out.append("%s: %d items -> %d" % (at, len(x), len(y)))
        for i, (a, b) in enumerate(zip(x, y)):
            walk(a, b, "%s[%d]%s" % (at, i, name(a)))
    elif x != y:
        out.append("%s: %s -> %s" % (at, json.dumps(x)[:120], json.dumps(y)[:120]))
want, got = (open(p, encoding="utf-8").read().splitlines() for p in sys.argv[1:3])
if len(want) != len(got):
    out.append("%d lines -> %d" % (len(want), len(got)))
for i, (a, b) in enumerate(zip(want, got)):
    if a != b:
        a, b = json.loads(a), json.loads(b)
        walk(a, b, "line %d%s" % (i + 1, name(a)))
for line in out[:40]:
    print("  " + line)
if len(out) > 40:
    print("  ... %d more differences" % (len(out) - 40))
'

for c in "${cases[@]}"; do
  dir=tests/golden/$c
  [ -d "$dir/repo" ] || { fail "$c: no $dir/repo"; continue; }
  idx=$tmp/${c//\//_}.idx
  out=$tmp/${c//\//_}
  mkdir -p "$out"
  if ! (cd "$dir" && $TEST_WRAP "$BIN/hgym-index" -q repo --root repo --name "golden/$c" -o "$idx") 2> "$out/index.err"; then
    fail "$c: hgym-index exited $?:"
    cat "$out/index.err"
    continue
  fi
  for q in defs files export diags; do
    [ "$q" = defs ] || [ "$q" = files ] || [ -e "$dir/$q.jsonl" ] || continue
    if ! $TEST_WRAP "$BIN/hgym-query" -i "$idx" "$q" > "$out/$q.jsonl" 2> "$out/$q.err"; then
      fail "$c: hgym-query $q failed:"
      cat "$out/$q.err"
      continue
    fi
    compare "$c" "hgym-query $q (expected -> got)" "$out/$q.jsonl" "$dir/$q.jsonl" "$PYTHON" -c "$JSONDIFF"
  done
  # The expectations themselves must agree with the sources.
  if ! "$PYTHON" tests/golden/check_expectations.py "$dir"; then
    fail "$c: $dir: the expectations disagree with the sources (see above)"
  fi
done

if [ "$update" = 1 ]; then
  echo "golden: ${#cases[@]} cases, $updated expectation files rewritten (review them), $failed failures"
else
  echo "golden: ${#cases[@]} cases, $checked outputs equal to their expectations, $failed failures"
fi
[ "$failed" -eq 0 ]

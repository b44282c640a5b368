#!/usr/bin/env bash
# Call-resolution golden cases: each tests/golden_deps/<case>/repo/ is a small
# repository written for one resolution rule.  It is indexed and the queries'
# output must equal the expectations beside it, byte for byte:
#   expected.jsonl           `hgym-query deps` (no target: every function and method)
#   expected_callers.jsonl   each `callers TARGET...` line of <case>/queries, in order
#   expected_imports.jsonl   each `imports FILE` line of <case>/queries, in order
#   expected_callgraph.json  the `callgraph --format pycg` line of <case>/queries
#   expected_deps_bare.jsonl the `deps --count-bare-decorators` line of <case>/queries
# Then tests/golden_deps/expect.py checks the expectations themselves against
# the `#>` annotations of the sources, which say what each call reaches when
# Python runs it, and tests/golden_deps/trace.py runs the code to check the
# annotations against the calls it makes (see tests/golden_deps/README.md).
#
# Usage: tests/suites/golden_deps.sh [--update] [CASE...]
#   --update  rewrite the expectations from the current build, then check them
#             against the annotations (a wrong resolution shows up there).
# Env: PYTHON (python3), HGYM_BIN (the binaries' directory, bin; see
# tests/run_all.sh, which points it at wrappers under make check VALGRIND=1).
set -u
cd "$(dirname "$0")/../.." || exit 1
PYTHON=${PYTHON:-python3}
BIN=${HGYM_BIN:-bin}
. tests/golden_lib.sh
golden_init golden_deps tests/golden_deps 17 hgym-index hgym-query -- "$@"

for c in "${cases[@]}"; do
  dir=tests/golden_deps/$c
  before=$failed
  [ -d "$dir/repo" ] || { fail "$c: no $dir/repo"; failed_cases+=("$c"); continue; }
  idx=$tmp/${c//\//_}.idx
  out=$tmp/${c//\//_}
  mkdir -p "$out"
  if ! "$BIN/hgym-index" "$dir/repo" --root "$dir/repo" --name "golden/$c" -o "$idx" -q 2> "$out/index.err"; then
    fail "$c: hgym-index exited non-zero:"
    cat "$out/index.err"
    failed_cases+=("$c")
    continue
  fi
  query() { # OUTFILE ARGS...: append the output of one query
    local o=$1; shift
    if ! "$BIN/hgym-query" -i "$idx" "$@" >> "$o" 2> "$out/query.err"; then
      fail "$c: hgym-query $* failed:"
      cat "$out/query.err"
    fi
  }
  : > "$out/deps.jsonl"
  query "$out/deps.jsonl" deps
  compare "$c" "hgym-query deps" "$out/deps.jsonl" "$dir/expected.jsonl"
  kinds=()
  if [ -e "$dir/queries" ]; then
    : > "$out/callers.jsonl"
    : > "$out/imports.jsonl"
    : > "$out/callgraph.json"
    while read -r cmd rest; do
      read -ra args <<< "$rest"
      case $cmd in
      '' | '#'*) continue ;;
      callers) query "$out/callers.jsonl" callers "${args[@]}"; kinds+=(callers) ;;
      imports) query "$out/imports.jsonl" imports "${args[@]}"; kinds+=(imports) ;;
      callgraph) query "$out/callgraph.json" callgraph "${args[@]}"; kinds+=(callgraph) ;;
      deps) : > "$out/deps_bare.jsonl"; query "$out/deps_bare.jsonl" deps "${args[@]}"; kinds+=(deps_bare) ;;
      *) fail "$c: $dir/queries: unknown query '$cmd'" ;;
      esac
    done < "$dir/queries"
  fi
  for k in $(printf '%s\n' "${kinds[@]+"${kinds[@]}"}" | sort -u); do
    case $k in
    callers) compare "$c" "hgym-query callers" "$out/callers.jsonl" "$dir/expected_callers.jsonl" ;;
    imports) compare "$c" "hgym-query imports" "$out/imports.jsonl" "$dir/expected_imports.jsonl" ;;
    callgraph) compare "$c" "hgym-query callgraph" "$out/callgraph.json" "$dir/expected_callgraph.json" ;;
    deps_bare) compare "$c" "hgym-query deps --count-bare-decorators" "$out/deps_bare.jsonl" "$dir/expected_deps_bare.jsonl" ;;
    esac
  done
  # The expectations themselves must agree with the annotated sources, and the
  # annotations with the calls Python makes when it runs the code.
  if ! "$PYTHON" tests/golden_deps/expect.py "$dir"; then
    fail "$c: the expectations of $dir disagree with its annotations (see above)"
  fi
  if ! "$PYTHON" tests/golden_deps/trace.py "$dir" > "$out/trace.txt"; then
    cat "$out/trace.txt"
    fail "$c: a call made when $dir/repo runs is not annotated as such (see above)"
  fi
  [ "$failed" -eq "$before" ] || failed_cases+=("$c")
done

echo "golden_deps: ${#cases[@]} cases, $checked outputs equal to their expectations, $failed failures"
if [ "$failed" -gt 0 ]; then
  echo "golden_deps: failing cases: ${failed_cases[*]}"
  exit 1
fi

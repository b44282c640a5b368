#!/usr/bin/env bash
# hgym-synth golden cases: each tests/golden_synth/<case>/repo/ is a small
# repository written for the test.  It is indexed at a fixed commit, every run
# of <case>/runs (`NAME TASK [OPTIONS]`) is made with hgym-synth, and
#   <case>/expected/NAME.jsonl    the rows (stdout)
#   <case>/expected/NAME.summary  the summary (stderr)
# must equal the output byte for byte.  Every run is made twice and must give
# the same bytes; the runs paired by a `differ A B` line must differ.  Then
# tests/golden_synth/expect.py checks the expectations themselves: it derives
# them from the sources with Python's ast and the task definitions, sharing no
# code with hgym (see tests/golden_synth/README.md).  Every run's rows also
# pass tests/synth_check.py, and for each `mutate NAME` line, changing any one
# field of NAME's rows must make synth_check fail (tests/golden_synth/mutate.py).
# tests/pipeline_check.py replays Hybrid-Gym's own steps (docstring removal,
# masking, dependency comments and grading, pass-through) on every row.
#
# Usage: tests/suites/golden_synth.sh [--update] [CASE...]
#   --update  rewrite the expectations from the current build, then check them
#             against the derivation (a wrong row shows up there).
# Env: PYTHON (python3), TEST_WRAP (e.g. "valgrind -q --error-exitcode=99"),
#      HGYM_BIN (the directory of the binaries, default bin; tests/run_all.sh).
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
BIN=$(cd "${HGYM_BIN:-bin}" && pwd) || exit 1
PYTHON=${PYTHON:-python3}
TEST_WRAP=${TEST_WRAP:-}
COMMIT=5ca1ab1e0ddba11c0ffee0ddf00dfacade123456 # tests/golden_synth/expect.py has the same
. tests/golden_lib.sh
golden_init golden_synth tests/golden_synth 16 hgym-index hgym-synth -- "$@"

for c in "${cases[@]}"; do
  dir=tests/golden_synth/$c
  before=$failed
  [ -d "$dir/repo" ] && [ -e "$dir/runs" ] || { fail "$c: no $dir/repo or $dir/runs"; failed_cases+=("$c"); continue; }
  out=$tmp/$c
  mkdir -p "$out"
  idx=$out/index
  # from inside the case, so the index's root is "repo" and --input paths are the case's
  if ! (cd "$dir" && $TEST_WRAP "$BIN/hgym-index" repo --root repo --name "golden/$c" --commit "$COMMIT" -o "$idx" -q) \
    2> "$out/index.err"; then
    fail "$c: hgym-index exited non-zero:"
    cat "$out/index.err"
    failed_cases+=("$c")
    continue
  fi
  differ=()
  mutate=()
  while read -r name task rest; do
    case $name in '' | '#'*) continue ;; esac
    if [ "$name" = differ ]; then
      differ+=("$task ${rest%%#*}")
      continue
    fi
    if [ "$name" = mutate ]; then
      mutate+=("$task")
      continue
    fi
    read -ra args <<< "${rest%%#*}"
    for k in 1 2; do
      if ! (cd "$dir" && $TEST_WRAP "$BIN/hgym-synth" -i "$idx" "$task" "${args[@]}") \
        > "$out/$name.jsonl.$k" 2> "$out/$name.summary.$k"; then
        fail "$c: hgym-synth $task ${args[*]} exited non-zero:"
        cat "$out/$name.summary.$k"
      fi
    done
    if ! cmp -s "$out/$name.jsonl.1" "$out/$name.jsonl.2" || ! cmp -s "$out/$name.summary.1" "$out/$name.summary.2"; then
      fail "$c: run $name gave different bytes the second time (same index, same seed)"
    fi
    mv "$out/$name.jsonl.1" "$out/$name.jsonl"
    mv "$out/$name.summary.1" "$out/$name.summary"
    compare "$c" "run $name ($task ${args[*]}) rows" "$out/$name.jsonl" "$dir/expected/$name.jsonl"
    compare "$c" "run $name summary" "$out/$name.summary" "$dir/expected/$name.summary"
    echo "$task ${args[*]}" > "$out/$name.args"
    if ! (cd "$dir" && "$PYTHON" "$top/tests/synth_check.py" -i "$idx" "${args[@]}" "$out/$name.jsonl" "$task") \
      > "$out/$name.check" 2>&1; then
      fail "$c: run $name: tests/synth_check.py rejects rows:"
      cat "$out/$name.check"
    fi
    # Hybrid-Gym's own steps replayed on every row: removal, masking, comments, pass-through
    pargs=()
    for ((k = 0; k < ${#args[@]}; k++)); do
      case ${args[k]} in
      --input) pargs+=(--input "${args[k + 1]}") ;;
      --allow-unpinned) pargs+=(--allow-unpinned) ;;
      esac
    done
    if ! (cd "$dir" && "$PYTHON" "$top/tests/pipeline_check.py" -i "$idx" "${pargs[@]+"${pargs[@]}"}" \
      "$out/$name.jsonl" "$task") > "$out/$name.pipeline" 2>&1; then
      fail "$c: run $name: tests/pipeline_check.py: a row does not survive Hybrid-Gym's steps:"
      cat "$out/$name.pipeline"
    fi
  done < "$dir/runs"
  for name in "${mutate[@]+"${mutate[@]}"}"; do
    [ -e "$out/$name.args" ] || { fail "$c: mutate $name: no such run"; continue; }
    read -ra margs < "$out/$name.args"
    minput=()
    for ((k = 1; k < ${#margs[@]}; k++)); do
      [ "${margs[k]}" = --input ] && minput=(--input "${margs[k + 1]}")
    done
    if ! (cd "$dir" && "$PYTHON" "$top/tests/golden_synth/mutate.py" "$idx" "$out/$name.jsonl" "${margs[0]}" \
      "${minput[@]+"${minput[@]}"}"); then
      fail "$c: tests/synth_check.py misses a wrong field in run $name's rows (see above)"
    fi
  done
  for pair in "${differ[@]+"${differ[@]}"}"; do
    read -r a b <<< "$pair"
    if [ ! -e "$out/$a.jsonl" ] || [ ! -e "$out/$b.jsonl" ]; then
      fail "$c: differ $a $b: no such run"
    elif cmp -s "$out/$a.jsonl" "$out/$b.jsonl"; then
      fail "$c: runs $a and $b (different seeds) gave the same rows"
    fi
  done
  # The expectations must agree with what the sources and the task definitions say.
  if ! "$PYTHON" tests/golden_synth/expect.py "$dir"; then
    fail "$c: the expectations of $dir disagree with the derivation from its sources (see above)"
  fi
  [ "$failed" -eq "$before" ] || failed_cases+=("$c")
done

echo "golden_synth: ${#cases[@]} cases, $checked outputs equal to their expectations, $failed failures"
if [ "$failed" -gt 0 ]; then
  echo "golden_synth: failing cases: ${failed_cases[*]}"
  exit 1
fi

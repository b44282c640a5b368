#!/usr/bin/env bash
# Run every test of hgym: unit binaries (CMocka), golden repositories, bad
# inputs, and the comparison with Python's ast over the standard library.
# Usage: tests/run_all.sh UNIT_BINARY...   (make test passes them)
# Env: PYTHON (python3), TEST_WRAP (e.g. "valgrind -q --error-exitcode=99").
set -u
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
export PYTHON TEST_WRAP=${TEST_WRAP:-}
passed=0
failed=0
failures=()
run() { # name command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}
for bin in "$@"; do
  run "unit $(basename "$bin")" $TEST_WRAP "$bin"
done
for t in tests/suites/*.sh; do
  [ -e "$t" ] || continue
  run "$(basename "$t" .sh)" bash "$t"
done
echo
echo "suites: $passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
  exit 1
fi

#!/usr/bin/env bash
# Run every test of hgym: unit binaries (CMocka), golden repositories, bad
# inputs, and the comparison with Python's ast over the standard library.
# Usage: tests/run_all.sh UNIT_BINARY...   (make test passes them)
# Env: PYTHON (python3); HGYM_BIN, the directory of hgym-index, hgym-query and
# hgym-synth (bin; make check SANITIZE=... gives bin/san-...); TEST_WRAP, a
# command put in front of every unit test and every hgym binary (make check
# VALGRIND=1 gives valgrind): the suites get HGYM_BIN pointing at wrappers,
# and HGYM_RAW_BIN at the binaries themselves for inputs too big to wrap;
# VALGRIND=1 tells the suites to take their reduced inputs.
set -u
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TEST_WRAP=${TEST_WRAP:-}
HGYM_BIN=$(cd "${HGYM_BIN:-bin}" && pwd) || exit 1
HGYM_RAW_BIN=$HGYM_BIN
if [ -n "$TEST_WRAP" ]; then
  wrap=$(mktemp -d)
  trap 'rm -rf "$wrap"' EXIT
  for b in "$HGYM_RAW_BIN"/hgym-*; do
    printf '#!/bin/sh\nexec %s %q "$@"\n' "$TEST_WRAP" "$b" > "$wrap/${b##*/}"
    chmod +x "$wrap/${b##*/}"
  done
  HGYM_BIN=$wrap
fi
export PYTHON TEST_WRAP HGYM_BIN HGYM_RAW_BIN VALGRIND=${VALGRIND:-}
echo "run_all: binaries ${HGYM_RAW_BIN#$PWD/}${TEST_WRAP:+, each under: $TEST_WRAP}"
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
  # HGYM_BIN already wraps the binaries: a suite must not wrap them again
  run "$(basename "$t" .sh)" env TEST_WRAP= bash "$t"
done
echo
echo "suites: $passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
  exit 1
fi

#!/usr/bin/env bash
# hgym-synth over the benchmark corpus (benchmarks/corpus.sh: the standard
# library and 20+ Debian python3-* packages), every field of every row checked
# against the sources with Python's ast by tests/synth_check.py.  For each
# repository of the corpus, each task writes its rows with no cap:
#   dep_search      every dependency count, ambiguous and private targets kept
#   func_localize   single and --multi
#   func_gen        default filters
#   issue_localize  rows tests/make_issue_rows.py makes with difflib from the
#                   repository's own files
# and the checks run in parallel, one process per repository.  Writes a line
# per repository and task (rows, checks passed, failures) to OUT/results.txt
# and the rows and any failure under OUT/.  Not part of `make test`;
# `make bench` can call it after the corpus is installed.
#
# Usage: benchmarks/synth_check.sh [MANIFEST] [OUT]
#   MANIFEST  the corpus (default build/bench/manifest.txt; made by
#             benchmarks/corpus.sh when missing)
#   OUT       default build/bench/synth
# Env: PYTHON (python3), JOBS (parallel checks; default: the number of cores)
# Exit status: 0 every row passed, 1 a row failed or a step failed, 2 usage.
set -u
cd "$(dirname "$0")/.." || exit 2
PYTHON=${PYTHON:-python3}
MANIFEST=${1:-build/bench/manifest.txt}
OUT=${2:-build/bench/synth}
JOBS=${JOBS:-$(nproc)}
COMMIT=0000000000000000000000000000000000be7c11 # fixed: issue rows name it
case ${1:-} in -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
for b in bin/hgym-index bin/hgym-query bin/hgym-synth; do
  [ -x "$b" ] || { echo "synth_check: $b is not built (run make)" >&2; exit 1; }
done
if [ ! -e "$MANIFEST" ]; then
  bash benchmarks/corpus.sh "$PYTHON" "$MANIFEST" || exit 1
fi
mkdir -p "$OUT/rows"
rm -f "$OUT"/rows/* "$OUT/results.txt"
start=$SECONDS

# the corpus's manifest is `path name version`; index each at a fixed commit
awk -v c="$COMMIT" '!/^#/ && NF >= 2 { print $1, $2, c }' "$MANIFEST" > "$OUT/manifest"
echo "synth_check: indexing $(wc -l < "$OUT/manifest") repositories"
if ! bin/hgym-index --manifest "$OUT/manifest" -o "$OUT/index" -q 2> "$OUT/index.err"; then
  echo "synth_check: hgym-index failed:" >&2
  cat "$OUT/index.err" >&2
  exit 1
fi

DEPS_WIDE=(--per-repo 0 --min-deps 0 --max-deps 64 --allow-ambiguous --allow-private)
failed=0
# repo: write its rows, then check them (runs in the background)
check_repo() {
  local repo=$1 root=$2 commit=$3 safe=${1//\//__}
  local r=$OUT/rows/$safe check=() t name args
  "$PYTHON" tests/make_issue_rows.py "$root" "$repo" "$commit" --rows 10 > "$r.issues.in" 2> "$r.issues.err" \
    || { echo "$repo make_issue_rows FAILED (the oracle misreads a difflib patch; $r.issues.err)"; return 1; }
  for t in "dep_search:dep_search ${DEPS_WIDE[*]}" "func_localize:func_localize --per-repo 0" \
    "func_localize_multi:func_localize --multi --per-repo 0" "func_gen:func_gen --per-repo 0" \
    "issue_localize:issue_localize --input $r.issues.in"; do
    name=${t%%:*}
    read -ra args <<< "${t#*:}"
    if ! bin/hgym-synth -i "$OUT/index" --repo "$repo" "${args[@]}" -o "$r.$name.jsonl" 2> "$r.$name.summary"; then
      echo "$repo $name hgym-synth FAILED ($r.$name.summary)"
      return 1
    fi
    check+=("$r.$name.jsonl" "${args[0]}")
  done
  "$PYTHON" tests/synth_check.py -i "$OUT/index" "${DEPS_WIDE[@]}" --input "$r.issues.in" --max-errors 50 "${check[@]}" \
    > "$r.check" 2>&1
  local rc=$?
  # one line per task: repo task rows passed failed
  sed -n 's/^synth_check: \([a-z_]*\) .*\/[^ ]*\.\([a-z_]*\)\.jsonl: \([0-9]*\) rows, \([0-9]*\) checks passed, \([0-9]*\) failed$/\2 \3 \4 \5/p' \
    "$r.check" | while read -r task rows passed nfail; do
    printf '%-32s %-20s %7d rows %9d checks passed %5d failed\n' "$repo" "$task" "$rows" "$passed" "$nfail"
  done
  [ "$rc" = 0 ] || echo "$repo: failures are listed in $r.check"
  return "$rc"
}

running=0
while read -r repo root commit; do
  check_repo "$repo" "$root" "$commit" >> "$OUT/results.txt" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n || failed=$((failed + 1))
    running=$((running - 1))
  fi
done < <(bin/hgym-query -i "$OUT/index" repos | "$PYTHON" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["repo"], r["root"], r["commit"])')
while [ "$running" -gt 0 ]; do
  wait -n || failed=$((failed + 1))
  running=$((running - 1))
done
sort -o "$OUT/results.txt" "$OUT/results.txt"
cat "$OUT/results.txt"
awk '/ rows / { rows += $3; checks += $5; bad += $8 } END {
  printf "synth_check: %d rows, %d checks passed, %d failed\n", rows, checks, bad }' "$OUT/results.txt"
echo "synth_check: $((SECONDS - start)) s; repositories with a failure: $failed; rows and details under $OUT/"
[ "$failed" = 0 ]

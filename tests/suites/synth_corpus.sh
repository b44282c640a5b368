#!/usr/bin/env bash
# hgym-synth over real code, every field of every row checked against the
# sources with Python's ast (tests/synth_check.py), and every row replayed
# through Hybrid-Gym's own steps (tests/pipeline_check.py: the docstring
# removal, the masking, the dependency comments and their grading, the
# pass-through of issue fields).  Corpora: the standard library of $PYTHON,
# and /usr/lib/python3/dist-packages/{flask,requests,jinja2,click} (those
# installed; the suite fails when none is), indexed under their GitHub names
# with no commit (no checkout: --allow-unpinned).  For each:
#   dep_search       default filters, no cap (each filter's count in the summary)
#   dep_search_wide  every dependency count, ambiguous, private and unresolved
#                    targets kept, no cap: every dependency line of every
#                    kept target is checked
#   func_localize    single and --multi, no cap
#   func_gen         no cap (default filters, --max-lines 25)
#   issue_localize   rows whose patches tests/make_issue_rows.py makes with
#                    difflib from the corpus's own files
# and each task must write a reasonable number of rows (a check of nothing
# passes nothing).  The summaries are printed.  Takes about 2 min of CPU.
#
# Usage: tests/suites/synth_corpus.sh
# Env: PYTHON (python3; its standard library is the first corpus), KEEP=DIR
#      (write the indexes and rows under DIR and keep them), HGYM_BIN (the
#      directory of the binaries, default bin), VALGRIND=1 (a reduced input:
#      the packages corpus only).
set -u
cd "$(dirname "$0")/../.." || exit 1
PYTHON=${PYTHON:-python3}
BIN=${HGYM_BIN:-bin}
for b in "$BIN/hgym-index" "$BIN/hgym-query" "$BIN/hgym-synth"; do
  [ -x "$b" ] || { echo "synth_corpus: FAIL: $b is not built (run make)"; exit 1; }
done
if [ -n "${KEEP:-}" ]; then
  tmp=$KEEP
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
failed=0
fail() { echo "synth_corpus: FAIL: $*"; failed=$((failed + 1)); }
start=$SECONDS

stdlib=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
: > "$tmp/packages.manifest"
# Neither the standard library nor a Debian package directory is a git
# checkout: they are indexed under their GitHub names with no commit, and
# their rows written with --allow-unpinned (they can be checked, not cloned).
for p in flask:pallets/flask requests:psf/requests jinja2:pallets/jinja click:pallets/click; do
  d=/usr/lib/python3/dist-packages/${p%%:*}
  if [ -d "$d" ]; then
    echo "$d ${p#*:}" >> "$tmp/packages.manifest"
  else
    echo "synth_corpus: note: $d is not installed; left out"
  fi
done
[ -s "$tmp/packages.manifest" ] || fail "none of flask, requests, jinja2, click is in /usr/lib/python3/dist-packages"

# corpus NAME: index it, write every task's rows, then check them (in the background)
DEPS_WIDE=(--per-repo 0 --min-deps 0 --max-deps 64 --allow-ambiguous --allow-private --allow-unresolved)
: > "$tmp/summaries"
pids=()
corpus() {
  local c=$1 idx=$tmp/$1.idx
  if [ "$c" = stdlib ]; then
    "$BIN/hgym-index" "$stdlib" --name python/stdlib -o "$idx" -q 2> "$tmp/$c.index.err"
  else
    "$BIN/hgym-index" --manifest "$tmp/packages.manifest" -o "$idx" -q 2> "$tmp/$c.index.err"
  fi || { fail "$c: hgym-index failed:"; cat "$tmp/$c.index.err"; return; }
  : > "$tmp/$c.issues.in"
  while read -r repo root commit; do
    "$PYTHON" tests/make_issue_rows.py "$root" "$repo" "$commit" --rows "$([ "$c" = stdlib ] && echo 40 || echo 10)" \
      >> "$tmp/$c.issues.in" || fail "$c: make_issue_rows.py: the oracle misreads a difflib patch of $repo (see above)"
  done < <("$BIN/hgym-query" -i "$idx" repos | "$PYTHON" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["repo"], r["root"], r["commit"])')
  local runs=(
    "dep_search:dep_search --per-repo 0"
    "dep_search_wide:dep_search ${DEPS_WIDE[*]}"
    "func_localize:func_localize --per-repo 0"
    "func_localize_multi:func_localize --multi --per-repo 0"
    "func_gen:func_gen --per-repo 0"
    "issue_localize:issue_localize --input $tmp/$c.issues.in"
  )
  local check=() wide=() all=() r name args
  for r in "${runs[@]}"; do
    name=${r%%:*}
    read -ra args <<< "${r#*:}"
    if ! "$BIN/hgym-synth" -i "$idx" "${args[@]}" --allow-unpinned -o "$tmp/$c.$name.jsonl" 2> "$tmp/$c.$name.summary"; then
      fail "$c: hgym-synth ${args[*]} failed:"
      cat "$tmp/$c.$name.summary"
      continue
    fi
    { echo "synth_corpus: $c: hgym-synth ${args[*]} --allow-unpinned"; cat "$tmp/$c.$name.summary"; } >> "$tmp/summaries"
    if [ "$name" = dep_search_wide ]; then wide+=("$tmp/$c.$name.jsonl" "${args[0]}"); else
      check+=("$tmp/$c.$name.jsonl" "${args[0]}")
    fi
    all+=("$tmp/$c.$name.jsonl" "${args[0]}")
  done
  # at least this many rows, or the check proves little
  local want_stdlib=(dep_search:2000 dep_search_wide:10000 func_localize:4000 func_localize_multi:1500 func_gen:400
    issue_localize:40)
  local want_pkgs=(dep_search:100 dep_search_wide:1000 func_localize:500 func_localize_multi:150 func_gen:50
    issue_localize:10)
  local w
  if [ "$c" = stdlib ]; then w=("${want_stdlib[@]}"); else w=("${want_pkgs[@]}"); fi
  for r in "${w[@]}"; do
    local n
    n=$(wc -l < "$tmp/$c.${r%%:*}.jsonl" 2> /dev/null || echo 0)
    [ "$n" -ge "${r#*:}" ] || fail "$c: ${r%%:*} wrote $n rows, fewer than ${r#*:}"
  done
  { "$PYTHON" tests/synth_check.py -i "$idx" --per-repo 0 --input "$tmp/$c.issues.in" "${check[@]}" &&
    "$PYTHON" tests/synth_check.py -i "$idx" "${DEPS_WIDE[@]}" "${wide[@]}"; } > "$tmp/$c.check.out" 2>&1 &
  pids+=("$c:$!")
  "$PYTHON" tests/pipeline_check.py -i "$idx" --allow-unpinned --input "$tmp/$c.issues.in" "${all[@]}" \
    > "$tmp/$c.pipeline.out" 2>&1 &
  pids+=("$c pipeline:$!")
}

if [ "${VALGRIND:-}" = 1 ]; then
  echo "synth_corpus: reduced input under valgrind: the packages corpus only"
else
  corpus stdlib
fi
[ -s "$tmp/packages.manifest" ] && corpus packages
cat "$tmp/summaries"
for p in "${pids[@]}"; do
  c=${p%%:*}
  wait "${p#*:}"
  rc=$?
  case $c in
  *" pipeline")
    cat "$tmp/${c% pipeline}.pipeline.out"
    [ "$rc" = 0 ] || fail "${c% pipeline}: rows that Hybrid-Gym's steps would break (see above)" ;;
  *)
    cat "$tmp/$c.check.out"
    [ "$rc" = 0 ] || fail "$c: rows whose fields disagree with the sources (see above)" ;;
  esac
done
echo "synth_corpus: $((SECONDS - start)) s, $failed failures"
[ "$failed" = 0 ]

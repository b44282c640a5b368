#!/usr/bin/env bash
# Exit codes (issue 6): every CLI documents 0 success, 1 not found (hgym-query,
# hgym-synth), 2 usage, 3 input error (partial results written), 4 internal,
# in --help and in docs/CLI.md; and each code is what the programs return,
# with the partial results where the code promises them.
# Env: HGYM_BIN (bin).
set -u
cd "$(dirname "$0")/../.." || exit 1
PYTHON=${PYTHON:-python3}
BIN=${HGYM_BIN:-bin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "exit_codes: FAIL: $*"; failed=$((failed + 1)); }

# expect WANT WHAT PROGRAM ARGS...: run $BIN/PROGRAM, stdout to $tmp/out, stderr to $tmp/err
expect() {
  local want=$1 what=$2 prog=$3 rc
  shift 3
  "$BIN/$prog" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
  rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else
    fail "$what: $prog $*: exit $rc, expected $want: $(head -c 300 "$tmp/err")"
  fi
}
# expect_full WANT WHAT PROGRAM ARGS...: the same with stdout on /dev/full
expect_full() {
  local want=$1 what=$2 prog=$3 rc
  shift 3
  "$BIN/$prog" "$@" > /dev/full 2> "$tmp/err" < /dev/null
  rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else fail "$what: $prog $* > /dev/full: exit $rc, expected $want"; fi
}
# stderr_has REGEX WHAT / stdout_lines N WHAT
stderr_has() { if grep -Eq -- "$1" "$tmp/err"; then ok; else fail "$2: stderr does not match /$1/: $(head -c 300 "$tmp/err")"; fi; }
stdout_lines() {
  local n
  n=$(wc -l < "$tmp/out")
  if [ "$n" -eq "$1" ]; then ok; else fail "$2: $n lines on stdout, expected $1"; fi
}

# ---- documented in --help and docs/CLI.md ------------------------------------------
for prog in hgym-index hgym-query hgym-synth; do
  expect 0 "--help" "$prog" --help
  codes="0 2 3 4"
  [ "$prog" = hgym-index ] || codes="0 1 2 3 4"
  for c in $codes; do
    if sed -n '/^Exit status:/,$p' "$tmp/out" | grep -Eq "^  $c  [a-z]"; then ok; else
      fail "$prog --help does not document exit status $c"
    fi
  done
  expect 2 "no arguments" "$prog"
  stderr_has "^$prog: .*" "no arguments: a message"
done
row() { grep -E "^\| $1 \| \`$2\` \|" docs/CLI.md; }
for c in 0:HG_EXIT_OK 1:HG_EXIT_NOT_FOUND 2:HG_EXIT_USAGE 3:HG_EXIT_INPUT 4:HG_EXIT_INTERNAL; do
  line=$(row "${c%%:*}" "${c#*:}")
  # | code | name | hgym-index | hgym-query | hgym-synth |
  if [ -n "$line" ] && [ "$(printf '%s' "$line" | tr -cd '|' | wc -c)" -eq 6 ]; then ok; else
    fail "docs/CLI.md: no row '| ${c%%:*} | \`${c#*:}\` |' with a column for each of the three programs"
  fi
done
grep -q '^| code | name | hgym-index | hgym-query | hgym-synth |$' docs/CLI.md && ok \
  || fail "docs/CLI.md: the exit code table does not have the columns code, name, hgym-index, hgym-query, hgym-synth"
for c in 0 1 2 3 4; do
  v=$(grep -E "HG_EXIT_[A-Z_]+ = $c," base/diag.h | sed -E 's/.*(HG_EXIT_[A-Z_]+).*/\1/')
  if [ -n "$v" ] && row "$c" "$v" > /dev/null; then ok; else fail "base/diag.h and docs/CLI.md disagree on exit code $c"; fi
done

# ---- hgym-index --------------------------------------------------------------------
r=$tmp/repo
mkdir -p "$r/pkg"
printf 'def helper():\n    return 1\n\n\ndef main():\n    return helper()\n' > "$r/pkg/__init__.py"
printf 'def broken(:\n    pass\n' > "$r/pkg/bad.py"
expect 0 "index: success (a file with a syntax error is indexed)" hgym-index -q "$r" -o "$tmp/good.idx"
expect 2 "index: no -o" hgym-index -q "$r"
expect 2 "index: unknown option" hgym-index --no-such-option "$r" -o "$tmp/x.idx"
expect 2 "index: --jobs 0" hgym-index -j 0 "$r" -o "$tmp/x.idx"
expect 2 "index: REPO_DIR and --manifest together" hgym-index "$r" --manifest "$tmp/m.txt" -o "$tmp/x.idx"
expect 2 "index: --name with two repositories" hgym-index --name a "$r" "$r/pkg" -o "$tmp/x.idx"
expect 3 "index: the only repository is missing" hgym-index -q "$tmp/missing" -o "$tmp/x.idx"
stderr_has "missing: cannot open repository" "index: missing repository: named"
# 3 with partial results: the good repository is indexed and OUT written
expect 3 "index: a missing repository beside a good one" hgym-index -q "$tmp/missing" "$r" -o "$tmp/partial.idx"
expect 0 "index: partial OUT is readable" hgym-query -i "$tmp/partial.idx" repos
stdout_lines 1 "index: partial OUT holds the good repository"
grep -q '"repo":"repo"' "$tmp/out" && ok || fail "index: partial OUT does not hold repository 'repo': $(head -c 200 "$tmp/out")"
printf '%s\n' "$tmp/missing" "$r" > "$tmp/m.txt"
expect 3 "index: manifest naming a missing directory" hgym-index -q --manifest "$tmp/m.txt" -o "$tmp/partial2.idx"
[ -s "$tmp/partial2.idx" ] && ok || fail "index: manifest with a missing directory: OUT not written"
expect 3 "index: manifest that cannot be opened" hgym-index -q --manifest "$tmp/no-such-manifest" -o "$tmp/x.idx"
expect 4 "index: OUT in a directory that does not exist" hgym-index -q "$r" -o "$tmp/no/such/dir/x.idx"
expect 3 "index merge: a damaged input" hgym-index -q merge "$tmp/good.idx" "$tmp/m.txt" -o "$tmp/x.idx"

# Numbers are range-checked (a sign, overflow, trailing text, out of range: exit 2
# with a message naming the option and the range); an option that takes a value
# is refused when given twice; the manifest's NUL bytes and a directory as the
# manifest are errors naming the line or the path.
expect 2 "index: --max-file-size -1" hgym-index -q "$r" --max-file-size -1 -o "$tmp/x.idx"
stderr_has "^hgym-index: --max-file-size: '-1' is not a size from 1 to 4G$" "index: --max-file-size -1: the range"
expect 2 "index: --max-file-size 17179869184G (wraps to 0)" hgym-index -q "$r" --max-file-size 17179869184G -o "$tmp/x.idx"
stderr_has "^hgym-index: --max-file-size: '17179869184G' is not a size from 1 to 4G$" "index: 17179869184G: the range"
expect 2 "index: --max-file-size 0" hgym-index -q "$r" --max-file-size 0 -o "$tmp/x.idx"
expect 2 "index: --max-file-size 5G" hgym-index -q "$r" --max-file-size 5G -o "$tmp/x.idx"
expect 2 "index: --max-file-size 1KB" hgym-index -q "$r" --max-file-size 1KB -o "$tmp/x.idx"
expect 2 "index: --max-files -1" hgym-index -q "$r" --max-files -1 -o "$tmp/x.idx"
stderr_has "^hgym-index: --max-files: '-1' is not a number from 1 to 4294967295$" "index: --max-files -1: the range"
expect 2 "index: --max-files 4294967296" hgym-index -q "$r" --max-files 4294967296 -o "$tmp/x.idx"
expect 2 "index: --jobs -1" hgym-index -q "$r" -j -1 -o "$tmp/x.idx"
expect 2 "index: --jobs ' 2'" hgym-index -q "$r" -j ' 2' -o "$tmp/x.idx"
expect 0 "index: --max-file-size 4G is the largest" hgym-index -q "$r" --max-file-size 4G -o "$tmp/x.idx"
expect 2 "index: a second --name" hgym-index -q --name a --name b "$r" -o "$tmp/x.idx"
stderr_has "^hgym-index: --name is given twice$" "index: a second --name: named"
expect 2 "index: a second -o" hgym-index -q "$r" -o "$tmp/x.idx" -o "$tmp/y.idx"
expect 2 "index: a second --commit" hgym-index -q --commit a --commit b "$r" -o "$tmp/x.idx"
printf '%s\n%s\0 name\n' "$r" "$tmp/missing" > "$tmp/nul.txt"
expect 2 "index: a NUL byte in a manifest line" hgym-index -q --manifest "$tmp/nul.txt" -o "$tmp/x.idx"
stderr_has "^hgym-index: $tmp/nul.txt:2: NUL byte in the line \\(byte $((${#tmp} + 9))\\)$" "index: NUL byte: the line named"
# the same rules for issue 13's --root and the manifest's fourth field (root)
expect 2 "index: a second --root" hgym-index -q --root "$tmp" --root "$tmp" "$r" -o "$tmp/x.idx"
stderr_has "^hgym-index: --root is given twice$" "index: a second --root: named"
expect 2 "index: --root with two repositories" hgym-index -q --root "$tmp" "$r" "$r/pkg" -o "$tmp/x.idx"
stderr_has "^hgym-index: --name, --commit and --root apply to one REPO_DIR$" "index: --root with two repositories: named"
printf '%s - - %s\0/elsewhere\n' "$r" "$tmp" > "$tmp/nul4.txt"
expect 2 "index: a NUL byte in a manifest line's root" hgym-index -q --manifest "$tmp/nul4.txt" -o "$tmp/x.idx"
stderr_has "^hgym-index: $tmp/nul4.txt:1: NUL byte in the line \\(byte $((${#r} + ${#tmp} + 6))\\)$" "index: NUL byte in the root: the line named"
printf '%s name - %s extra\n' "$r" "$tmp" > "$tmp/five.txt"
expect 2 "index: a manifest line of five fields" hgym-index -q --manifest "$tmp/five.txt" -o "$tmp/x.idx"
stderr_has "^hgym-index: $tmp/five.txt:1: expected \`path \[name \[commit \[root\]\]\]\`, found more fields$" "index: five fields: the line named"
mkdir -p "$tmp/mdir"
expect 3 "index: a directory as the manifest" hgym-index -q --manifest "$tmp/mdir" -o "$tmp/x.idx"
stderr_has "^hgym-index: $tmp/mdir: cannot read manifest: Is a directory$" "index: manifest directory: the path named"

# ---- hgym-query ------------------------------------------------------------------------
I=$tmp/good.idx
expect 0 "query: defs" hgym-query -i "$I" defs
stdout_lines 3 "query: defs of the test repository"
expect 1 "query: unknown target" hgym-query -i "$I" deps pkg/__init__.py:nosuch
stderr_has "no definition 'nosuch' in pkg/__init__.py; closest: " "query: unknown target: closest matches"
# 1 with partial results: the known target is still answered
expect 1 "query: a known and an unknown target" hgym-query -i "$I" deps pkg/__init__.py:main pkg/__init__.py:nosuch
stdout_lines 1 "query: the known target is answered"
expect 1 "query: unknown file" hgym-query -i "$I" imports nosuch.py
expect 1 "query: unknown --repo" hgym-query -i "$I" --repo nosuch defs
expect 2 "query: no -i" hgym-query defs
expect 2 "query: no command" hgym-query -i "$I"
expect 2 "query: unknown command" hgym-query -i "$I" nosuch
expect 2 "query: malformed target" hgym-query -i "$I" deps nocolon
expect 2 "query: unknown command option" hgym-query -i "$I" defs --nosuch
expect 3 "query: missing index" hgym-query -i "$tmp/none.idx" defs
expect 3 "query: not an index" hgym-query -i "$tmp/m.txt" defs
expect_full 4 "query: output cannot be written" hgym-query -i "$I" defs
expect 2 "query: deps FILE:-1" hgym-query -i "$I" deps pkg/__init__.py:-1
stderr_has "^hgym-query: target 'pkg/__init__.py:-1': the line must be a number from 0 to 4294967295$" "query: FILE:-1: the range"
stdout_lines 0 "query: FILE:-1 prints no row"
expect 2 "query: deps FILE:99999999999" hgym-query -i "$I" deps pkg/__init__.py:99999999999
expect 2 "query: --depth -1" hgym-query -i "$I" deps --transitive --depth -1 pkg/__init__.py:main
expect 2 "query: a second -i" hgym-query -i "$I" -i "$I" defs
expect 2 "query: a second --repo" hgym-query -i "$I" --repo repo defs --repo repo
# 3 with partial results: a damaged block met during the command stops it;
# what was printed before stays printed.
"$PYTHON" - "$I" "$tmp/damaged.idx" << 'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
nsec = struct.unpack_from("<I", b, 12)[0]
for i in range(nsec):
    kind, size, off, count = struct.unpack_from("<IIQQ", b, 32 + 32 * i)
    if kind == 4 and count:   # HG_SEC_DEFS
        b[off + size * count // 2] ^= 0x5A
open(sys.argv[2], "wb").write(b)
EOF
expect 3 "query: damaged definitions block" hgym-query -i "$tmp/damaged.idx" export
stderr_has "corrupt index \\(definitions section, bytes 0-65535: checksum mismatch\\)" "query: damaged block: named"
if [ "$(wc -l < "$tmp/out")" -ge 1 ] && head -n 1 "$tmp/out" | grep -q '"record":"repository"'; then ok; else
  fail "query: damaged block: the repository line printed before the damage is missing"
fi
expect 3 "query: verify a damaged index" hgym-query -i "$tmp/damaged.idx" verify

# ---- hgym-synth ------------------------------------------------------------------------
# the test repository is no checkout: its rows are written only with --allow-unpinned
expect 0 "synth: dep_search" hgym-synth -q -i "$I" dep_search --allow-unpinned -o "$tmp/rows.jsonl"
[ "$(wc -l < "$tmp/rows.jsonl")" -eq 1 ] && ok || fail "synth: dep_search: expected one row (main -> helper)"
rm -f "$tmp/rows.jsonl"
expect 2 "synth: a repository that is not pinned" hgym-synth -q -i "$I" dep_search -o "$tmp/rows.jsonl"
stderr_has "repository 'repo' \\(commit ''\\) is not pinned: its name is not owner/name and it has no commit" \
  "synth: not pinned: the reason is given"
[ ! -e "$tmp/rows.jsonl" ] && ok || fail "synth: not pinned: the output was created"
expect 1 "synth: unknown --repo" hgym-synth -q -i "$I" dep_search --repo nosuch -o "$tmp/rows.jsonl"
expect 2 "synth: unknown task" hgym-synth -i "$I" nosuch
stderr_has "^hgym-synth: unknown task 'nosuch' \\(dep_search, func_localize, func_gen or issue_localize\\)$" "synth: unknown task: named"
expect 2 "synth: no -i" hgym-synth dep_search
# the test repository is not pinned: --allow-unpinned, so that each exit 2 below
# is the option's own
expect 2 "synth: --per-repo -1" hgym-synth -q -i "$I" dep_search --allow-unpinned --per-repo -1 -o "$tmp/rows.jsonl"
stderr_has "^hgym-synth: --per-repo: '-1' is not a number from 0 to 4294967295$" "synth: --per-repo -1: the range"
expect 2 "synth: --seed 18446744073709551616" hgym-synth -q -i "$I" dep_search --allow-unpinned --seed 18446744073709551616
stderr_has "^hgym-synth: --seed: '18446744073709551616' is not a number from 0 to 18446744073709551615$" "synth: --seed 2^64: the range"
expect 2 "synth: --max-lines 4294967296" hgym-synth -q -i "$I" func_gen --allow-unpinned --max-lines 4294967296
stderr_has "^hgym-synth: --max-lines: '4294967296' is not a number from 0 to 4294967295$" "synth: --max-lines 2^32: the range"
expect 2 "synth: a second --seed" hgym-synth -q -i "$I" dep_search --allow-unpinned --seed 1 --seed 2
stderr_has "^hgym-synth: --seed is given twice$" "synth: a second --seed: named"
expect 2 "synth: a second -o" hgym-synth -q -i "$I" dep_search --allow-unpinned -o "$tmp/a.jsonl" -o "$tmp/b.jsonl"
stderr_has "^hgym-synth: -o is given twice$" "synth: a second -o: named"
# an index file named like a task is the index, not the task
cp "$I" "$tmp/dep_search"
abs_bin=$(cd "$BIN" && pwd)
if (cd "$tmp" && "$abs_bin/hgym-synth" -q -i dep_search func_gen --allow-unpinned -o rows2.jsonl 2> "$tmp/err"); then ok; else
  fail "synth: -i dep_search func_gen: exit $?: $(head -c 300 "$tmp/err")"
fi
expect 2 "synth: issue_localize without --input" hgym-synth -i "$I" issue_localize
expect 3 "synth: missing index" hgym-synth -i "$tmp/none.idx" dep_search
expect 3 "synth: --input cannot be read" hgym-synth -i "$I" issue_localize --input "$tmp/none.jsonl"
expect 4 "synth: output cannot be created" hgym-synth -q -i "$I" dep_search --allow-unpinned -o "$tmp/no/such/dir/rows.jsonl"
expect_full 4 "synth: output cannot be written" hgym-synth -q -i "$I" dep_search --allow-unpinned

echo "exit_codes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# `make run`: index the default corpus every machine has (the Python standard
# library of the machine's python3, found at run time), print a summary, and
# write sample rows of each Hybrid-Gym task.
# Usage: tests/make_run.sh PYTHON OUT_DIR
set -eu
PYTHON=${1:-python3}
out=${2:-build/run}
mkdir -p "$out"
root=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
echo "hgym: indexing the Python standard library at $root"
bin/hgym-index "$root" --name python/stdlib -o "$out/stdlib.idx"
bin/hgym-query -i "$out/stdlib.idx" stats
bin/hgym-query -i "$out/stdlib.idx" defs > "$out/stdlib.defs.jsonl"

# The installed standard library is no git checkout: it has no commit, and its
# paths (json/decoder.py) are not those of a GitHub repository (python/cpython
# has Lib/json/decoder.py), so Hybrid-Gym could not clone its rows; hgym-synth
# writes them as samples only with --allow-unpinned (docs/tasks/README.md).
echo "hgym: synthesizing sample tasks"
bin/hgym-synth -i "$out/stdlib.idx" dep_search --allow-unpinned --per-repo 200 -o "$out/dep_search.jsonl"
bin/hgym-synth -i "$out/stdlib.idx" func_localize --allow-unpinned --per-repo 200 -o "$out/func_localize.jsonl"
bin/hgym-synth -i "$out/stdlib.idx" func_localize --allow-unpinned --multi --per-repo 50 \
  -o "$out/func_localize_multi.jsonl"
bin/hgym-synth -i "$out/stdlib.idx" func_gen --allow-unpinned --per-repo 200 -o "$out/func_gen.jsonl"

# issue_localize needs issues: make one from a real change to a function of
# json/decoder.py (a unified diff against this machine's own copy).
"$PYTHON" - "$root" "$out/issues.jsonl" <<'PY'
import ast, difflib, json, sys
root, dest = sys.argv[1], sys.argv[2]
path = "json/decoder.py"
src = open(f"{root}/{path}", encoding="utf-8").read()
lines = src.splitlines(keepends=True)
fn = next(n for n in ast.parse(src).body if isinstance(n, ast.FunctionDef) and n.name == "py_scanstring")
new = list(lines)
i = fn.body[-1].lineno - 1                  # the function's last statement
new[i] = new[i].rstrip("\n") + "  # changed\n"
patch = "".join(difflib.unified_diff(lines, new, f"a/{path}", f"b/{path}"))
row = {"repo": "python/stdlib", "base_commit": "", "instance_id": "python__stdlib__sample__0",
       "problem_statement": "py_scanstring mishandles a string (a sample issue made by make run)",
       "patch": patch}
open(dest, "w").write(json.dumps(row) + "\n")
PY
bin/hgym-synth -i "$out/stdlib.idx" issue_localize --allow-unpinned --input "$out/issues.jsonl" \
  -o "$out/issue_localize.jsonl"

echo
echo "hgym: index at $out/stdlib.idx; definitions at $out/stdlib.defs.jsonl"
for t in dep_search func_localize func_localize_multi func_gen issue_localize; do
  printf 'hgym: %-20s %6d rows in %s\n' "$t" "$(wc -l < "$out/$t.jsonl")" "$out/$t.jsonl"
done

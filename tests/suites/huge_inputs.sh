#!/usr/bin/env bash
# Huge and deep inputs, generated (issue 14): what the fuzzers' 16 KB inputs
# cannot reach.  Tree-sitter 0.20.7 counts a node's children in 16 bits, so a
# file that ends inside 65,529 unclosed brackets (65,536 entries left on the
# parser's stack) crashed hgym; names sharing a 2 MB prefix overflowed the
# stack when JudySL freed them; a long parse had no budget.  Every file here
# is generated at the sizes around those limits, each in a repository with a
# good file beside it; each run must exit 0, never crash or hang, index the
# good file, and either index the bad one (its first def found, exactly) or
# refuse it with exactly the documented message.
#
# Sections: bracket piles around 65,536 (refused unparsed past HG_MAX_NESTING,
# 16384); piles at the limit (four stack entries a level wrap the count: the
# tree is refused); piles the pre-scan cannot see (`*`, f-string fields,
# `a = a = ... (`); a random generator of piles (KEPT seeds, printed);
# long names; a --manifest run with one such file, and --resume; the parse
# budget.  docs/BAD_INPUTS.md lists each case.
# Env: HGYM_BIN (bin), HGYM_RAW_BIN (the unwrapped binaries: valgrind is not
# put in front of these inputs), PYTHON, HUGE_SEEDS (8 random files),
# HUGE_SEED (the generator's seed, printed).
set -u
cd "$(dirname "$0")/../.." || exit 1
PYTHON=${PYTHON:-python3}
BIN=${HGYM_RAW_BIN:-${HGYM_BIN:-bin}}
SEEDS=${HUGE_SEEDS:-8}
SEED=${HUGE_SEED:-$$}
T=300
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "huge_inputs: FAIL: $*"; failed=$((failed + 1)); }
REFUSED_NESTING="brackets nested more than 16384 deep (Python allows 200): not indexed"
REFUSED_TREE="tree-sitter could not build the tree whole (a node of 65,536 or more children): not indexed"

# gen DIR PY: run generator code with d = DIR (helpers: piled(name, head, n))
gen() {
  "$PYTHON" - "$1" << EOF
import os, random, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
def piled(name, head, n, prefix="x = "):
    with open(os.path.join(d, name), "w") as f:
        f.write("def before():\n    pass\n\n" + prefix + head * n + "\n\ndef after():\n    pass\n")
open(os.path.join(d, "good.py"), "w").write("def good():\n    return 1\n")
$2
EOF
}

# run_index NAME DIR [OPTIONS...]: index DIR into $tmp/NAME.idx; exit 0, no crash, no hang
run_index() {
  local name=$1 dir=$2 rc
  shift 2
  timeout "$T" "$BIN/hgym-index" -q "$dir" -o "$tmp/$name.idx" "$@" > /dev/null 2> "$tmp/$name.err"
  rc=$?
  if [ "$rc" -eq 124 ]; then fail "$name: hgym-index hung (killed after ${T}s)"; return 1; fi
  if [ "$rc" -ge 128 ]; then fail "$name: hgym-index crashed (signal $((rc - 128))): $(tail -c 300 "$tmp/$name.err")"; return 1; fi
  if [ "$rc" -ne 0 ]; then fail "$name: hgym-index exited $rc: $(head -c 300 "$tmp/$name.err")"; return 1; fi
  ok
  "$BIN/hgym-query" -i "$tmp/$name.idx" defs > "$tmp/$name.defs" && "$BIN/hgym-query" -i "$tmp/$name.idx" diags > "$tmp/$name.diags" \
    || fail "$name: the index cannot be queried"
}

# expect NAME FILE OUTCOME: OUTCOME is "indexed" (before() at 0-1, no refusal),
# or the exact refusal message (a repository-level error "FILE: message", and
# no definition of FILE)
expect() {
  "$PYTHON" - "$tmp/$1.defs" "$tmp/$1.diags" "$2" "$3" << 'EOF' || fail "$1: $2"
import json, sys
defs_p, diags_p, f, want = sys.argv[1:]
defs = [json.loads(l) for l in open(defs_p)]
diags = [json.loads(l) for l in open(diags_p)]
mine = [(d["qualname"], d["line_start"], d["line_end"]) for d in defs if d["file_path"] == f]
refused = [d["message"][len(f) + 2:] for d in diags if d["path"] is None and d["message"].startswith(f + ": ")]
if not any(d["file_path"] == "good.py" and d["qualname"] == "good" for d in defs):
    sys.exit("the good file was not indexed")
if want == "indexed":
    if refused or ("before", 0, 1) not in mine:
        sys.exit("expected indexed with before() at 0-1; defs %s, refused %s" % (mine[:3], refused))
elif refused != [want] or mine:
    sys.exit("expected refused with '%s'; refused %s, defs %s" % (want, refused, mine[:3]))
EOF
  [ $? -eq 0 ] && ok
}

# ---- bracket piles around 65,536 (the reported crash) ------------------------------
r=$tmp/piles
gen "$r" '
for head, tag in (("(", "paren"), ("[", "bracket"), ("{", "brace"), ("f(", "call")):
    for n in (65528, 65529, 65530, 70000, 131079):
        piled("%s_%d.py" % (tag, n), head, n)'
if run_index piles "$r"; then
  for tag in paren bracket brace call; do
    for n in 65528 65529 65530 70000 131079; do expect piles "${tag}_$n.py" "$REFUSED_NESTING"; done
  done
fi
echo "huge_inputs: [${SECONDS}s] piles of 65,528 to 131,079 unclosed ( [ { f( refused unparsed"

# ---- piles at the limit: depth 16384 (16383 + after()'s) ------------------------------
# One to four parser stack entries a level: with four (f(a, and f(k=) 16383
# levels are 65,532 entries + the rest of the file, past 65,535: the tree is
# refused; with fewer the file is indexed.
r=$tmp/limit
gen "$r" '
heads = {"paren": "(", "bracket": "[", "brace": "{", "call": "f(", "list": "[1, ", "args": "f(a, ", "kw": "f(k=",
         "dict": "{1: ", "sub": "a[", "cond": "x if (", "not": "not (", "neg": "-(", "lambda": "lambda: (",
         "splat": "[*", "tuple": "(1, ("}
for tag, h in heads.items():
    piled(tag + ".py", h, 16383 // sum(h.count(c) for c in "([{"))'
if run_index limit "$r"; then
  for tag in paren bracket brace call list dict sub cond not neg lambda splat tuple; do expect limit "$tag.py" indexed; done
  for tag in args kw; do expect limit "$tag.py" "$REFUSED_TREE"; done
fi
echo "huge_inputs: [${SECONDS}s] piles at the nesting limit"

# ---- piles the pre-scan does not see ----------------------------------------------
r=$tmp/unseen
gen "$r" '
for n in (65520, 65528, 65529, 65536, 140000):
    piled("star_%d.py" % n, "*", n)
piled("fstring_16000.py", "(", 16000, prefix="x = f\"{")
piled("fstring_70000.py", "(", 70000, prefix="x = f\"{")
open(os.path.join(d, "assign_70000.py"), "w").write(
    "def before():\n    pass\n\n" + "a = " * 70000 + "(\n\ndef after():\n    pass\n")
piled("not_70000.py", "not ", 70000)
piled("lambda_70000.py", "lambda: ", 70000)'
if run_index unseen "$r"; then
  for n in 65520 65528; do expect unseen "star_$n.py" indexed; done
  for n in 65529 65536 140000; do expect unseen "star_$n.py" "$REFUSED_TREE"; done
  expect unseen fstring_16000.py indexed
  expect unseen fstring_70000.py "$REFUSED_TREE"
  expect unseen assign_70000.py "$REFUSED_TREE"
  expect unseen not_70000.py indexed
  expect unseen lambda_70000.py indexed
fi
echo "huge_inputs: [${SECONDS}s] piles the pre-scan does not see"

# ---- a random generator of piles ------------------------------------------------------
# Each file: before(), then 60,000 to 140,000 heads drawn from the piles
# above, then after().  Outcome: indexed, or one of the two refusals.
r=$tmp/random
gen "$r" "
rng = random.Random($SEED)
heads = ['(', '[', '{', 'f(', '[1, ', 'f(a, ', '{1: ', 'a[', 'x if ', 'not ', '-', 'lambda: ', '*', 'a = ', 'f\"{',
         ', ', ':', '1 ', '\\\\n', ')', ']', '}', '\\\"', '#', 'def f(', 'class C(']
for k in range($SEEDS):
    n = rng.randrange(60000, 140000)
    with open(os.path.join(d, 'random_%02d.py' % k), 'w') as f:
        f.write('def before():\\n    pass\\n\\nx = ' + ''.join(rng.choice(heads) for _ in range(n)) + '\\n\\ndef after():\\n    pass\\n')"
echo "huge_inputs: random piles, seed $SEED (HUGE_SEED=$SEED repeats them), $SEEDS files"
if run_index random "$r"; then
  for f in "$r"/random_*.py; do
    f=${f##*/}
    "$PYTHON" - "$tmp/random.defs" "$tmp/random.diags" "$f" "$REFUSED_NESTING" "$REFUSED_TREE" << 'EOF' || fail "random (seed $SEED): $f"
import json, sys
defs_p, diags_p, f, *allowed = sys.argv[1:]
defs = [json.loads(l) for l in open(defs_p)]
diags = [json.loads(l) for l in open(diags_p)]
mine = [(d["qualname"], d["line_start"], d["line_end"]) for d in defs if d["file_path"] == f]
refused = [d["message"][len(f) + 2:] for d in diags if d["path"] is None and d["message"].startswith(f + ": ")]
if refused:
    if len(refused) != 1 or refused[0] not in allowed or mine:
        sys.exit("refused with %s, defs %s" % (refused, mine[:3]))
elif ("before", 0, 1) not in mine:
    sys.exit("indexed without before() at 0-1: %s" % mine[:3])
EOF
    [ $? -eq 0 ] && ok
  done
fi
echo "huge_inputs: [${SECONDS}s] random piles"

# ---- long names -----------------------------------------------------------------------
r=$tmp/names
gen "$r" '
p = "n" * (2 << 20)
open(os.path.join(d, "shared_prefix.py"), "w").write("def %s1():\n    pass\n\n\ndef %s2():\n    return %s1()\n" % (p, p, p))
lines = ["    " * i + "class C%d%s:" % (i, "x" * 50000) for i in range(50)]
open(os.path.join(d, "nested_classes.py"), "w").write("\n".join(lines) + "\n" + "    " * 50 + "pass\n")
open(os.path.join(d, "defaults.py"), "w").write("def f(a=\"%s1\", b=\"%s2\"):\n    pass\n" % (p, p))
open(os.path.join(d, "chain.py"), "w").write("def g():\n    return " + ".".join(["a"] * 200000) + "()\n")'
if run_index names "$r"; then
  "$PYTHON" - "$tmp/names.defs" << 'EOF' && ok || fail "long names: the definitions"
import json, sys
defs = {}
for l in open(sys.argv[1]):
    d = json.loads(l)
    defs.setdefault(d["file_path"], []).append(d)
p = "n" * (2 << 20)
got = [(d["name"], d["qualname"], d["line_start"], d["line_end"]) for d in defs["shared_prefix.py"]]
assert got == [(p + "1", p + "1", 0, 1), (p + "2", p + "2", 4, 5)], "shared prefix"
nest = defs["nested_classes.py"]
assert len(nest) == 50, len(nest)
for i, d in enumerate(nest):
    name = "C%d%s" % (i, "x" * 50000)
    assert d["name"] == name and d["qualname"] == ".".join("C%d%s" % (k, "x" * 50000) for k in range(i + 1)), i
    assert (d["line_start"], d["line_end"]) == (i, 50), (i, d["line_start"], d["line_end"])
assert [(d["name"], d["line_start"]) for d in defs["defaults.py"]] == [("f", 0)]
assert [(d["name"], d["line_start"]) for d in defs["chain.py"]] == [("g", 0)]
EOF
  "$BIN/hgym-query" -i "$tmp/names.idx" export > "$tmp/names.export" && ok || fail "long names: export"
fi
# two repositories whose names share a 2 MB prefix, from a manifest, then merged
mkdir -p "$tmp/nr1" "$tmp/nr2"
echo 'def a(): pass' > "$tmp/nr1/a.py"
echo 'def b(): pass' > "$tmp/nr2/b.py"
long=$(head -c $((2 << 20)) < /dev/zero | tr '\0' 'r')
printf '%s %s1\n%s %s2\n' "$tmp/nr1" "$long" "$tmp/nr2" "$long" > "$tmp/names.manifest"
printf '%s %s1\n' "$tmp/nr1" "$long" > "$tmp/names1.manifest"
printf '%s %s1\n' "$tmp/nr2" "$long" > "$tmp/names2.manifest"
timeout "$T" "$BIN/hgym-index" -q --manifest "$tmp/names.manifest" -o "$tmp/ln.idx" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 0 ] && ok || fail "repository names sharing a 2 MB prefix: exit $rc: $(head -c 200 "$tmp/err")"
timeout "$T" "$BIN/hgym-index" -q --manifest "$tmp/names1.manifest" -o "$tmp/ln1.idx" 2> "$tmp/err" \
  && timeout "$T" "$BIN/hgym-index" -q --manifest "$tmp/names2.manifest" -o "$tmp/ln2.idx" 2>> "$tmp/err" || fail "long repository names: $(head -c 200 "$tmp/err")"
timeout "$T" "$BIN/hgym-index" merge -q "$tmp/ln.idx" "$tmp/ln1.idx" -o "$tmp/lnm.idx" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 3 ] && grep -q "is in $tmp/ln.idx and again in $tmp/ln1.idx" "$tmp/err" && ok \
  || fail "merge of a repository name of 2 MB given twice: exit $rc (want 3): $(head -c 200 "$tmp/err" | tr -d 'r')"
echo "huge_inputs: [${SECONDS}s] long names"

# ---- one such file in a --manifest run, and --resume -------------------------------------
for k in 1 2 3; do gen "$tmp/m$k" "piled('mid.py', '(', 65529 if $k == 2 else 10)"; done
printf '%s\n' "$tmp/m1" "$tmp/m2" "$tmp/m3" > "$tmp/m.txt"
timeout "$T" "$BIN/hgym-index" -q --manifest "$tmp/m.txt" --keep-parts -o "$tmp/m.idx" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 0 ] && ok || fail "manifest with one pile: exit $rc: $(head -c 300 "$tmp/err")"
# as if killed after the first part: the other two are indexed again on --resume
rm -f "$tmp/m.idx" "$tmp/m.idx.parts/000001."* "$tmp/m.idx.parts/000002."*
timeout "$T" "$BIN/hgym-index" -q --manifest "$tmp/m.txt" --resume -o "$tmp/m.idx" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 0 ] && ok || fail "manifest with one pile, --resume: exit $rc: $(head -c 300 "$tmp/err")"
got=$("$BIN/hgym-query" -i "$tmp/m.idx" defs | "$PYTHON" -c 'import json, sys
print(" ".join("%s:%s" % (d["repo"], d["qualname"]) for d in map(json.loads, sys.stdin)))')
want="m1:good m1:before m2:good m3:good m3:before" # after() is inside the brackets left open
[ "$got" = "$want" ] && ok || fail "manifest with one pile: defs '$got', want '$want'"
echo "huge_inputs: [${SECONDS}s] a --manifest run and --resume"

# ---- the parse budget -------------------------------------------------------------------
r=$tmp/budget
gen "$r" '
rng = random.Random(1)
import string
open(os.path.join(d, "random.py"), "w").write("".join(rng.choice(string.printable) for _ in range(1 << 20)))
open(os.path.join(d, "chain.py"), "w").write("def before():\n    pass\n\n" + "a = " * 70000 + "1\n")'
start=$SECONDS
if run_index budget "$r" --parse-timeout 1; then
  expect budget random.py "parsing ran past its budget of 1 s (--parse-timeout): not indexed"
  expect budget chain.py "analysis ran past its budget of 1 s (--parse-timeout): not indexed"
  [ $((SECONDS - start)) -le 60 ] && ok || fail "parse budget: the run took $((SECONDS - start)) s"
fi
echo "huge_inputs: [${SECONDS}s] the parse budget"

echo "huge_inputs: [${SECONDS}s] $passed passed, $failed failed"
[ "$failed" -eq 0 ]

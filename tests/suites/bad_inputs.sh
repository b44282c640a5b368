#!/usr/bin/env bash
# Bad inputs: hgym-index, hgym-query and hgym-synth must survive every one of them with
# the documented exit code, a diagnostic that says what happened, and, where
# something could still be extracted, exactly the definitions expected.  The
# inputs are generated in a temporary directory (nothing big is committed).
# Each command runs under `timeout 120`, so a hang fails; an exit code >= 128
# is a crash.  docs/BAD_INPUTS.md lists every input and what hgym does.
# Env: PYTHON (python3); HGYM_BIN, the directory of the binaries (default
# bin), possibly wrappers (tests/run_all.sh); HGYM_RAW_BIN, the unwrapped
# binaries, used for the huge inputs and the corruption loop; TEST_WRAP, a
# command put in front of the commands on small inputs.
set -u
cd "$(dirname "$0")/../.."
BIN=${HGYM_BIN:-bin}
RAW=${HGYM_RAW_BIN:-$BIN}
PYTHON=${PYTHON:-python3}
TEST_WRAP=${TEST_WRAP:-}
T=120
for b in "$BIN/hgym-index" "$BIN/hgym-query" "$BIN/hgym-synth"; do
  [ -x "$b" ] || { echo "bad_inputs: FAIL: $b is not built (run make)"; exit 1; }
done
tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2> /dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
n_ok=0
n_fail=0
ok() { n_ok=$((n_ok + 1)); }
fail() { echo "bad_inputs: FAIL: $*"; n_fail=$((n_fail + 1)); }
section() {
  run_checks
  echo "bad_inputs: [${SECONDS}s] $*"
}

# JSON assertions over query output (one object a line).  `check` queues one
# and `run_checks` runs the queue in a single Python process (a process per
# check would cost more than everything else).
CHECK='
import ast, json, re, sys
def rows(p):
    with open(p, "rb") as f:
        return [json.loads(l.decode("utf-8")) for l in f if l.strip()]
class Fail(Exception):
    pass
def die(msg):
    raise Fail(msg)
def run(mode, path, args):
    if mode == "utf8":          # every line is strict UTF-8 JSON
        for p in [path] + args:
            rows(p)
    elif mode == "diag":        # FILE(- for null) LINE COL SEVERITY REGEX, * for any
        want_path, line, col, sev, rx = args
        for d in rows(path):
            if ((d["path"] is None) if want_path == "-" else d["path"] == want_path) \
               and line in ("*", str(d["line"])) and col in ("*", str(d["col"])) \
               and sev in ("*", d["severity"]) and re.search(rx, d["message"]):
                return
        die("no diagnostic %s:%s:%s %s /%s/ in %s" % (want_path, line, col, sev, rx,
            [(d["path"], d["line"], d["col"], d["severity"], d["message"]) for d in rows(path)][:12]))
    elif mode == "ndiags":      # FILE SEVERITY N: exactly N diagnostics of FILE with that severity
        want_path, sev, n = args
        got = [d for d in rows(path) if d["path"] == want_path and d["severity"] == sev]
        if len(got) != int(n):
            die("%d %s diagnostics for %s, expected %s" % (len(got), sev, want_path, n))
    elif mode == "defs":        # FILE QUALNAME:START:END...: exactly these, in this order
        got = ["%s:%d:%d" % (d["qualname"], d["line_start"], d["line_end"]) for d in rows(path) if d["file_path"] == args[0]]
        if got != args[1:]:
            die("defs of %s are %s, expected %s" % (args[0], got[:20], args[1:]))
    elif mode == "file":        # FILE KEY=JSON...: the file record has these values
        recs = [f for f in rows(path) if f["path"] == args[0]]
        if len(recs) != 1:
            die("%s is listed %d times" % (args[0], len(recs)))
        for kv in args[1:]:
            k, v = kv.split("=", 1)
            if recs[0][k] != json.loads(v):
                die("%s: %s is %r, expected %s" % (args[0], k, recs[0][k], v))
    elif mode == "files":       # PATH...: exactly these files were indexed
        got = [f["path"] for f in rows(path)]
        if got != args:
            die("files indexed are %s, expected %s" % (got, args))
    elif mode == "repo":        # KEY=JSON...: the only repository record has these values
        recs = rows(path)
        if len(recs) != 1:
            die("%d repositories in the index, expected 1" % len(recs))
        for kv in args:
            k, v = kv.split("=", 1)
            if recs[0][k] != json.loads(v):
                die("repository %s is %r, expected %s" % (k, recs[0][k], v))
    elif mode == "astdefs":     # SOURCE FILE: defs equal Python ast (qualname, lines, decorator line)
        src, rel = args
        want = []
        stack = [(ast.parse(open(src, "rb").read()), "")]
        while stack:
            node, prefix = stack.pop()
            for c in ast.iter_child_nodes(node):
                if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    q = prefix + c.name
                    first = c.decorator_list[0].lineno if c.decorator_list else c.lineno
                    want.append((q, c.lineno - 1, c.end_lineno - 1, first - 1))
                    stack.append((c, q + ("." if isinstance(c, ast.ClassDef) else ".<locals>.")))
                else:
                    stack.append((c, prefix))
        got = [(d["qualname"], d["line_start"], d["line_end"], d["decorator_line"]) for d in rows(path) if d["file_path"] == rel]
        if sorted(want) != sorted(got) or not want:
            die("defs of %s differ from ast: ast %d, hgym %d; first differences %s" % (rel, len(want), len(got),
                sorted(set(want) ^ set(got))[:4]))
    else:
        die("unknown check " + mode)
passed = failed = 0
with open(sys.argv[1], encoding="utf-8") as q:
    for line in q:
        what, mode, path, *args = line.rstrip("\n").split("\x1f")
        try:
            run(mode, path, args)
            passed += 1
        except Exception as e:
            failed += 1
            print("bad_inputs: FAIL: %s: %s" % (what, e))
print(passed, failed)
'
queue=$tmp/checks
: > "$queue"
# check WHAT MODE FILE ARGS...: queue one assertion
check() {
  local IFS=$'\x1f'
  printf '%s\n' "$*" >> "$queue"
}
run_checks() {
  local out counts
  [ -s "$queue" ] || return 0
  out=$("$PYTHON" -c "$CHECK" "$queue" 2>&1)
  counts=$(printf '%s\n' "$out" | tail -n 1)
  printf '%s\n' "$out" | sed '$d'
  if [[ $counts =~ ^([0-9]+)\ ([0-9]+)$ ]]; then
    n_ok=$((n_ok + BASH_REMATCH[1]))
    n_fail=$((n_fail + BASH_REMATCH[2]))
  else
    fail "the checks did not run: $out"
  fi
  : > "$queue"
}

# no_crash WHAT RC ERRFILE: the command neither hung nor died of a signal
no_crash() {
  if [ "$2" -eq 124 ]; then
    fail "$1: timed out after ${T}s (a hang)"
    return 1
  elif [ "$2" -ge 128 ]; then
    fail "$1: crashed (exit $2, signal $(($2 - 128)))"
    sed 's/^/    /' "$3" | tail -n 5
    return 1
  fi
  ok
}

# index NAME DIR [OPTIONS...]: index DIR into $tmp/NAME.idx and record the exit
# code in $rc.  WRAP=0 before the call runs the unwrapped binary (huge inputs).
index() {
  local name=$1 dir=$2 wrap=$TEST_WRAP bin=$BIN
  shift 2
  [ "${WRAP:-1}" = 1 ] || { wrap= && bin=$RAW; }
  timeout "$T" $wrap "$bin/hgym-index" -q "$dir" -o "$tmp/$name.idx" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
  rc=$?
  no_crash "$name: hgym-index" "$rc" "$tmp/$name.err"
}

# expect_rc NAME WANT: $rc, the exit code of the last command run, is WANT
expect_rc() {
  if [ "$rc" -eq "$2" ]; then ok; else
    fail "$1: exit code $rc, expected $2"
    sed 's/^/    /' "$tmp/$1.err" | head -n 5
  fi
}

# query NAME COMMAND...: run hgym-query on $tmp/NAME.idx into $tmp/NAME.COMMAND
query() {
  local name=$1 cmd=$2 r
  shift
  timeout "$T" $TEST_WRAP "$BIN/hgym-query" -i "$tmp/$name.idx" "$@" > "$tmp/$name.$cmd" 2> "$tmp/$name.$cmd.err"
  r=$?
  no_crash "$name: hgym-query $cmd" "$r" "$tmp/$name.$cmd.err" || return
  if [ "$r" -ne 0 ]; then fail "$name: hgym-query $cmd exited $r: $(head -c 300 "$tmp/$name.$cmd.err")"; fi
}

# queries NAME: defs, files, diags, repos and export of the index, all valid UTF-8 JSON
queries() {
  local q
  for q in defs files diags repos export; do query "$1" "$q"; done
  check "$1: outputs are UTF-8 JSON" utf8 "$tmp/$1.defs" "$tmp/$1.files" "$tmp/$1.diags" "$tmp/$1.repos" "$tmp/$1.export"
}

# expect_stderr NAME REGEX: the last command's stderr matches
expect_stderr() {
  if grep -Eq -- "$2" "$tmp/$1.err"; then ok; else fail "$1: stderr does not match /$2/: $(head -c 300 "$tmp/$1.err")"; fi
}

# ---- syntax errors of several kinds -------------------------------------------
section "syntax errors"
r=$tmp/syntax
mkdir -p "$r"
printf 'def ok():\n    pass\n\n\ndef no_colon()\n    pass\n\n\ndef after():\n    pass\n' > "$r/missing_colon.py"
printf 'def ok():\n    pass\n\n\ndef broken(:\n    pass\n\n\nclass After:\n    def m(self):\n        return 1\n' > "$r/missing_paren.py"
printf 'def ok():\n    pass\n\n\nx = $y\n\n\ndef after():\n    pass\n' > "$r/bad_token.py"
printf 'def ok():\n    pass\n\n\nclass = 1\n\n\ndef after():\n    pass\n' > "$r/keyword.py"
printf 'def ok():\n    pass\n\n\nx = "abc\n\n\ndef after():\n    pass\n' > "$r/unterminated_string.py"
printf 'def ok():\n    pass\n\n\nx = """abc\n\n\ndef after():\n    pass\n' > "$r/unterminated_triple.py"
printf 'def ok():\n    pass\n\n\ndef second():\n    return [1, 2,\n' > "$r/unclosed_at_eof.py"
printf 'def ok():\n    pass\n\n\ndef no_body():\n' > "$r/no_body.py"
printf 'def ok():\n    pass\n\n\ndef after():\n    pass\n  x = 1\n' > "$r/stray_indent.py"
"$PYTHON" -c 'import random, sys
r = random.Random(1234)
open(sys.argv[1], "wb").write(bytes(r.randrange(256) for _ in range(65536)))' "$r/garbage.py"
index syntax "$r"
expect_rc syntax 0
queries syntax
d=$tmp/syntax.diags
D=$tmp/syntax.defs
F=$tmp/syntax.files
check "missing colon: diagnostic" diag "$d" missing_colon.py 4 0 error '^syntax error$'
check "missing colon: defs around it" defs "$D" missing_colon.py ok:0:1 after:8:9
check "missing colon: flagged" file "$F" missing_colon.py has_syntax_error=true n_definitions=2
check "missing paren: diagnostic" diag "$d" missing_paren.py 4 11 error "^missing '\\)'$"
check "missing paren: defs, the broken one kept" defs "$D" missing_paren.py ok:0:1 broken:4:5 After:8:10 After.m:9:10
check "bad token: diagnostic" diag "$d" bad_token.py 4 4 error '^syntax error$'
check "bad token: defs" defs "$D" bad_token.py ok:0:1 after:7:8
check "keyword as a name: diagnostic" diag "$d" keyword.py 4 0 error '^syntax error$'
check "keyword as a name: defs" defs "$D" keyword.py ok:0:1 after:7:8
check "unterminated string: diagnostic" diag "$d" unterminated_string.py 4 4 error '^syntax error$'
check "unterminated string: defs" defs "$D" unterminated_string.py ok:0:1 after:7:8
check "unterminated triple quote: diagnostic" diag "$d" unterminated_triple.py 4 4 error '^syntax error$'
check "unterminated triple quote: defs" defs "$D" unterminated_triple.py ok:0:1 after:7:8
check "unclosed bracket at EOF: diagnostic" diag "$d" unclosed_at_eof.py 0 0 error '^syntax error$'
check "unclosed bracket at EOF: the def before it" defs "$D" unclosed_at_eof.py ok:0:1
# Not detected (tree-sitter's grammar accepts them; Python does not):
check "def without a body at EOF: indexed, no error" file "$F" no_body.py has_syntax_error=false n_diagnostics=0
check "def without a body at EOF: defs" defs "$D" no_body.py ok:0:1 no_body:4:4
check "unindent to no level: indexed, no error" file "$F" stray_indent.py has_syntax_error=false n_diagnostics=0
check "unindent to no level: defs" defs "$D" stray_indent.py ok:0:1 after:4:5
check "random bytes: 20 syntax errors shown" ndiags "$d" garbage.py error 20
check "random bytes: the rest counted" diag "$d" garbage.py 0 0 note '^[0-9]+ more syntax errors not shown$'
check "random bytes: not UTF-8" diag "$d" garbage.py '*' '*' warning '^invalid UTF-8'
check "random bytes: NUL" diag "$d" garbage.py '*' '*' warning '^NUL byte in source'
check "random bytes: flags" file "$F" garbage.py has_syntax_error=true not_utf8=true bytes=65536

# ---- Python 2 -----------------------------------------------------------------
section "Python 2"
r=$tmp/py2
mkdir -p "$r"
cat > "$r/legacy.py" << 'EOF'
import sys


def greet(name):
    print "hello", name
    print >>sys.stderr, "to stderr"


def risky():
    try:
        return int("x")
    except ValueError, e:
        raise ValueError, "bad value"


def octal():
    exec "x = 1"
    return 0777 <> 1


class Old:
    def method(self):
        return `self`


def tail():
    pass
EOF
index py2 "$r"
expect_rc py2 0
queries py2
# tree-sitter-python still parses Python 2 statements: every def is found and
# no syntax error is reported (Python 3 would reject the file).
check "python 2: every def" defs "$tmp/py2.defs" legacy.py greet:3:5 risky:8:12 octal:15:17 Old:20:22 Old.method:21:22 tail:25:26
check "python 2: no syntax error reported" file "$tmp/py2.files" legacy.py has_syntax_error=false n_diagnostics=0 n_imports=1

# ---- encodings, line ends, NUL --------------------------------------------------
section "encodings, BOM, CR/CRLF, NUL, empty"
r=$tmp/enc
mkdir -p "$r"
printf 'def f():\n    s = "caf\xe9"\n    return s\n\n\ndef g():\n    pass\n' > "$r/latin1.py"
printf '# -*- coding: latin-1 -*-\ndef caf\xe9(x="\xe9t\xe9"):\n    return x\n\n\ndef ok():\n    return 1\n' > "$r/latin1_cookie.py"
printf 'def gr\xc3\xbc\xc3\x9fe():\n    return "\xe2\x82\xac"\n\n\n# caf\xe9\ndef after():\n    pass\n' > "$r/mixed_enc.py"
printf '\xef\xbb\xbfdef bom():\n    """doc"""\n    pass\n' > "$r/bom.py"
printf '\xef\xbb\xbfx = $\n\ndef f():\n    pass\n' > "$r/bom_error.py"
printf 'def a():\r\n    pass\r\n\r\ndef b():\r\n    pass\r\n' > "$r/crlf.py"
printf 'def a():\r    pass\r\rdef b():\r    pass\r' > "$r/cr.py"
printf 'def a():\r\n    pass\r\ndef b():\n    pass\rdef c():\r    pass\r\n' > "$r/mixed_eol.py"
printf 'def a():\n    x = "\x00"\n    pass\n\n\ndef b():\n    pass\n' > "$r/nul.py"
printf '\x00\x00\x00' > "$r/only_nul.py"
: > "$r/empty.py"
printf '\xef\xbb\xbf' > "$r/only_bom.py"
index enc "$r"
expect_rc enc 0
queries enc
d=$tmp/enc.diags
D=$tmp/enc.defs
F=$tmp/enc.files
check "latin-1: reported at the byte" diag "$d" latin1.py 1 12 warning '^invalid UTF-8'
check "latin-1: defs" defs "$D" latin1.py f:0:2 g:5:6
check "latin-1: flags" file "$F" latin1.py not_utf8=true has_syntax_error=false lines=7
# A coding cookie is not honoured: the latin-1 byte ends the identifier.
check "latin-1 identifier: reported" diag "$d" latin1_cookie.py 1 7 warning '^invalid UTF-8'
check "latin-1 identifier: syntax error" diag "$d" latin1_cookie.py 1 7 error '^syntax error$'
check "latin-1 identifier: defs (name cut at the byte)" defs "$D" latin1_cookie.py caf:1:2 ok:5:6
check "mixed encodings: first bad byte" diag "$d" mixed_enc.py 4 5 warning '^invalid UTF-8'
check "mixed encodings: UTF-8 name kept" defs "$D" mixed_enc.py 'grüße:0:1' after:5:6
check "BOM: defs" defs "$D" bom.py bom:0:2
check "BOM: no diagnostic" file "$F" bom.py n_diagnostics=0 bytes=37 lines=3 not_utf8=false
check "BOM: columns exclude it" diag "$d" bom_error.py 0 4 error '^syntax error$'
check "BOM: defs after an error" defs "$D" bom_error.py f:2:3
if grep -q '"byte_start":10,' "$tmp/enc.export"; then ok; else fail "BOM: byte offsets must count the BOM (def f at byte 10)"; fi
check "CRLF: defs" defs "$D" crlf.py a:0:1 b:3:4
check "CRLF: lines" file "$F" crlf.py lines=5 n_diagnostics=0 has_syntax_error=false
if grep -q '"signature":"def a():"' "$tmp/enc.defs"; then ok; else fail "CRLF: a signature must not keep the CR"; fi
check "lone CR: defs" defs "$D" cr.py a:0:1 b:3:4
check "lone CR: lines" file "$F" cr.py lines=5 n_diagnostics=0 has_syntax_error=false
check "mixed line ends: defs" defs "$D" mixed_eol.py a:0:1 b:2:3 c:4:5
check "mixed line ends: lines" file "$F" mixed_eol.py lines=6 has_syntax_error=false
check "NUL: reported where it is" diag "$d" nul.py 1 9 warning '^NUL byte in source \(read as a space\)$'
check "NUL: defs" defs "$D" nul.py a:0:2 b:5:6
check "only NUL bytes" file "$F" only_nul.py n_diagnostics=1 n_definitions=0 bytes=3
check "empty file" file "$F" empty.py lines=0 bytes=0 n_definitions=0 n_diagnostics=0 has_syntax_error=false
check "only a BOM" file "$F" only_bom.py bytes=3 n_definitions=0 n_diagnostics=0 has_syntax_error=false

# ---- NFKC: identifiers Python normalizes -----------------------------------------------
# Python reads identifiers in NFKC form (PEP 3131): `ﬁx` (U+FB01 LATIN SMALL
# LIGATURE FI) is the name `fix`, and `ｆ` (fullwidth) is `f`.  hgym keeps
# every identifier as written, not normalized: the documented difference.
section "NFKC identifiers"
r=$tmp/nfkc
mkdir -p "$r"
printf 'def \xef\xac\x81x():\n    return 1\n\n\ndef use():\n    return fix()\n\n\nclass \xef\xbd\x86ull:\n    pass\n' > "$r/lig.py"
index nfkc "$r"
expect_rc nfkc 0
queries nfkc
check "NFKC: the names are kept as written" defs "$tmp/nfkc.defs" lig.py 'ﬁx:0:1' use:4:5 'ｆull:8:9'
"$PYTHON" - "$r/lig.py" << 'EOF' && ok || fail "NFKC: Python's ast must see fix and full (the difference this row documents)"
import ast, sys
names = [n.name for n in ast.walk(ast.parse(open(sys.argv[1], "rb").read())) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
assert names == ["fix", "use", "full"], names
EOF
timeout "$T" $TEST_WRAP "$BIN/hgym-query" -i "$tmp/nfkc.idx" deps lig.py:use > "$tmp/nfkc.use" 2> "$tmp/nfkc.use.err"
if grep -q '"num_dependencies":0,' "$tmp/nfkc.use"; then ok; else
  fail "NFKC: use() calls fix(), which hgym does not bind to ﬁx: expected no dependency, got $(head -c 300 "$tmp/nfkc.use")"
fi
run_checks

# ---- sizes: 50 MB, the limit, one 10 MB line --------------------------------------
section "50 MB file, size limit, one 10 MB line"
r=$tmp/big
mkdir -p "$r"
"$PYTHON" -c 'import sys
n = 50 * 1024 * 1024 // 100
with open(sys.argv[1], "w") as f:
    f.write("def head():\n    pass\n\n\nBLOB = \"\"\"\n")
    f.write(("x" * 99 + "\n") * n)
    f.write("\"\"\"\n\n\ndef tail():\n    return BLOB\n")' "$r/big.py"
echo 'def small(): pass' > "$r/small.py"
size=$(stat -c %s "$r/big.py")
WRAP=0 index big_default "$r"
expect_rc big_default 0
queries big_default
check "50 MB, default limit: skipped and reported" diag "$tmp/big_default.diags" - 0 0 warning "^big.py: file of $size bytes exceeds the limit of 16777216: not indexed$"
check "50 MB, default limit: only the small file" files "$tmp/big_default.files" small.py
check "50 MB, default limit: counted as skipped" repo "$tmp/big_default.repos" skipped=1 files=1
WRAP=0 index big_64m "$r" --max-file-size 64M
expect_rc big_64m 0
queries big_64m
check "50 MB, --max-file-size 64M: indexed" files "$tmp/big_64m.files" big.py small.py
check "50 MB, --max-file-size 64M: defs" defs "$tmp/big_64m.defs" big.py head:0:1 tail:524296:524297
check "50 MB, --max-file-size 64M: size and lines" file "$tmp/big_64m.files" big.py bytes=$size lines=524298 has_syntax_error=false
run_checks
rm -f "$r/big.py"
# The limit itself: a file of exactly N bytes is indexed, N + 1 is not.
r=$tmp/limit
mkdir -p "$r"
"$PYTHON" -c 'import sys
for name, n in (("at.py", 1024), ("over.py", 1025)):
    body = "def %s():\n    pass\n" % name[:-3]
    open(sys.argv[1] + "/" + name, "w").write(body + "#" * (n - len(body) - 1) + "\n")' "$r"
index limit "$r" --max-file-size 1K
expect_rc limit 0
queries limit
check "--max-file-size 1K: 1024 bytes indexed, 1025 not" files "$tmp/limit.files" at.py
check "--max-file-size 1K: reported" diag "$tmp/limit.diags" - 0 0 warning '^over.py: file of 1025 bytes exceeds the limit of 1024: not indexed$'
r=$tmp/oneline
mkdir -p "$r"
"$PYTHON" -c 'import sys
open(sys.argv[1], "w").write("def big(): return [" + "\"abcdefghijklmnop\", " * (10 * 1024 * 1024 // 20) + "]")' "$r/oneline.py"
size=$(stat -c %s "$r/oneline.py")
WRAP=0 index oneline "$r"
expect_rc oneline 0
queries oneline
check "one 10 MB line: the def" defs "$tmp/oneline.defs" oneline.py big:0:0
check "one 10 MB line: no error" file "$tmp/oneline.files" oneline.py lines=1 bytes=$size has_syntax_error=false n_diagnostics=0
run_checks
rm -f "$r/oneline.py"

# ---- deep nesting ----------------------------------------------------------------
section "deep nesting"
r=$tmp/nest
mkdir -p "$r"
"$PYTHON" -c 'import sys
d = sys.argv[1]
n = 10000
open(d + "/brackets.py", "w").write("x = " + "(" * n + "1" + ")" * n + "\ny = " + "[{(" * (n // 3) + "1" + ")}]" * (n // 3) + "\n\ndef after():\n    pass\n")
open(d + "/unclosed.py", "w").write("def before():\n    pass\n\nx = " + "(" * n + "\n\ndef after():\n    pass\n")
open(d + "/calls.py", "w").write("x = " + "f(" * n + "1" + ")" * n + "\ny = a" + ".m()" * n + "\n")
lines = [" " * i + ("if x:" if i % 2 == 0 else "def f%d():" % i) for i in range(98)]
open(d + "/blocks98.py", "w").write("\n".join(lines) + "\n" + " " * 98 + "pass\n")' "$r"
index nest "$r"
expect_rc nest 0
queries nest
check "10,000 nested brackets: no error" file "$tmp/nest.files" brackets.py has_syntax_error=false n_diagnostics=0
check "10,000 nested brackets: the def after" defs "$tmp/nest.defs" brackets.py after:3:4
check "10,000 unclosed brackets: flagged" file "$tmp/nest.files" unclosed.py has_syntax_error=true
check "10,000 unclosed brackets: the def before" defs "$tmp/nest.defs" unclosed.py before:0:1
check "10,000 nested calls: every call" file "$tmp/nest.files" calls.py n_calls=20000 has_syntax_error=false
check "98 nested blocks (Python's limit is 100): defs equal ast" astdefs "$tmp/nest.defs" "$r/blocks98.py" blocks98.py
r=$tmp/blocks
mkdir -p "$r"
"$PYTHON" -c 'import sys
lines = [" " * i + ("if x:" if i % 2 == 0 else "def f%d():" % i) for i in range(10000)]
open(sys.argv[1], "w").write("\n".join(lines) + "\n" + " " * 10000 + "pass\ndef tail():\n    pass\n")' "$r/blocks.py"
WRAP=0 index blocks "$r" --max-file-size 64M
expect_rc blocks 0
queries blocks
# Python stops at 100 levels; tree-sitter's scanner loses track past a few
# hundred: the file is flagged and the def after the nest is still found.
check "10,000 nested blocks: flagged" file "$tmp/blocks.files" blocks.py has_syntax_error=true lines=10003
check "10,000 nested blocks: reported" diag "$tmp/blocks.diags" blocks.py '*' '*' error '^syntax error$'
if grep -q '"qualname":"tail","type":"function","line_start":10001,"line_end":10002,' "$tmp/blocks.defs"; then ok; else
  fail "10,000 nested blocks: def tail at lines 10001-10002 not found"
fi
run_checks
rm -f "$r/blocks.py"

# ---- unreadable files and directories ------------------------------------------------
section "unreadable file and directory"
r=$tmp/unreadable
mkdir -p "$r/locked"
echo 'def a(): pass' > "$r/ok.py"
echo 'def b(): pass' > "$r/secret.py"
echo 'def c(): pass' > "$r/locked/inner.py"
chmod 000 "$r/secret.py" "$r/locked"
# Root reads mode-000 files anyway; without CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH it is refused like any user.
drop=()
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv > /dev/null; then
    drop=(setpriv --bounding-set=-dac_override,-dac_read_search --)
  else
    echo "bad_inputs: NOTE: running as root without setpriv: checking only that root reads mode-000 files"
  fi
fi
if [ "$(id -u)" != 0 ] || [ ${#drop[@]} -gt 0 ]; then
  timeout "$T" ${drop[@]+"${drop[@]}"} $TEST_WRAP "$BIN/hgym-index" -q "$r" -o "$tmp/unreadable.idx" > /dev/null 2> "$tmp/unreadable.err"
  rc=$?
  no_crash "unreadable: hgym-index" "$rc" "$tmp/unreadable.err"
  expect_rc unreadable 0
  queries unreadable
  check "unreadable file: reported" diag "$tmp/unreadable.diags" - 0 0 error '^secret.py: cannot read: Permission denied$'
  check "unreadable directory: reported" diag "$tmp/unreadable.diags" - 0 0 warning '^locked: cannot read directory: Permission denied$'
  check "unreadable: the rest indexed" files "$tmp/unreadable.files" ok.py
  check "unreadable: counted as skipped" repo "$tmp/unreadable.repos" skipped=1 files=1
  chmod 000 "$r"
  timeout "$T" ${drop[@]+"${drop[@]}"} $TEST_WRAP "$BIN/hgym-index" -q "$r" -o "$tmp/unreadable_root.idx" > /dev/null 2> "$tmp/unreadable_root.err"
  rc=$?
  no_crash "unreadable root: hgym-index" "$rc" "$tmp/unreadable_root.err"
  expect_rc unreadable_root 3
  expect_stderr unreadable_root "unreadable: cannot read directory: Permission denied"
  chmod 755 "$r"
fi
if [ "$(id -u)" = 0 ]; then
  index unreadable_as_root "$r"
  expect_rc unreadable_as_root 0
  queries unreadable_as_root
  check "as root: mode 000 does not stop reading" files "$tmp/unreadable_as_root.files" locked/inner.py ok.py secret.py
fi
chmod 755 "$r/locked"
chmod 644 "$r/secret.py"

# ---- symlinks, a directory named x.py, no Python, no repository ---------------------
section "symlinks, x.py directory, no Python, missing repository"
r=$tmp/links/repo
mkdir -p "$r/sub" "$tmp/links/outside" "$r/x.py"
echo 'def out(): pass' > "$tmp/links/outside/o.py"
echo 'def a(): pass' > "$r/a.py"
echo 'def inside(): pass' > "$r/x.py/inner.py"
ln -s .. "$r/sub/loop"
ln -s loop2.py "$r/loop1.py"
ln -s loop1.py "$r/loop2.py"
ln -s ../outside/o.py "$r/leave.py"
ln -s ../outside "$r/outside_dir"
ln -s "$tmp/links/outside/o.py" "$r/leave_abs.py"
ln -s a.py "$r/alias.py"
ln -s missing.py "$r/dangling.py"
index links "$r"
expect_rc links 0
queries links
L=$tmp/links.diags
check "symlinks: files once each, nothing outside" files "$tmp/links.files" a.py alias.py x.py/inner.py
check "symlink loop (.py): reported" diag "$L" - 0 0 note '^loop1.py: symlink leaves the repository or is dangling: not followed$'
check "symlink leaving the repository: reported" diag "$L" - 0 0 note '^leave.py: symlink leaves the repository or is dangling: not followed$'
check "absolute symlink leaving: reported" diag "$L" - 0 0 note '^leave_abs.py: symlink leaves'
check "dangling symlink: reported" diag "$L" - 0 0 note '^dangling.py: symlink leaves the repository or is dangling'
check "directory named x.py: walked, its module named" file "$tmp/links.files" x.py/inner.py module='"x.py.inner"'
check "symlinked file inside: indexed under its own name" defs "$tmp/links.defs" alias.py a:0:0
r=$tmp/nopython
mkdir -p "$r/docs"
echo '# readme' > "$r/README.md"
echo 'print("not .py")' > "$r/script.pyw"
echo 'x' > "$r/docs/notes.txt"
index nopython "$r"
expect_rc nopython 0
queries nopython
check "no Python: nothing indexed" files "$tmp/nopython.files"
check "no Python: an empty repository" repo "$tmp/nopython.repos" files=0 definitions=0 skipped=0
index missing "$tmp/does/not/exist"
expect_rc missing 3
expect_stderr missing "$tmp/does/not/exist: cannot open repository: No such file or directory"
# ... and beside a good repository: that one is still indexed and written.
timeout "$T" $TEST_WRAP "$BIN/hgym-index" -q "$tmp/does/not/exist" "$tmp/nopython" "$tmp/links/repo" -o "$tmp/missing2.idx" \
  > /dev/null 2> "$tmp/missing2.err"
rc=$?
no_crash "missing2: hgym-index" "$rc" "$tmp/missing2.err"
expect_rc missing2 3
query missing2 repos
if [ "$(grep -c '"record"\|"repo"' "$tmp/missing2.repos")" -eq 2 ] && grep -q '"repo":"repo","commit":"","root":"'"$tmp/links/repo"'","files":3,' "$tmp/missing2.repos"; then ok; else
  fail "missing2: the two readable repositories must be in the index: $(head -c 300 "$tmp/missing2.repos")"
fi
echo 'not a directory' > "$tmp/plainfile"
index notadir "$tmp/plainfile"
expect_rc notadir 3
expect_stderr notadir "plainfile: .*not a directory"

# ---- bytes that are not UTF-8 in paths and names: every JSON output is UTF-8 -------------
# The repository's directory, a subdirectory, file names, the manifest's name
# and commit hold latin-1 or stray bytes; a docstring holds one too.  Every
# line of every command's output (each query, the report, each synth task) must
# be strict UTF-8 JSON, a bad byte printed as U+FFFD (the index keeps the bytes).
# Docstrings are of five words or more, so that func_localize keeps them.
section "bytes that are not UTF-8 in paths and names"
u=$tmp/nonutf8
r=$u/caf$'\xe9'
mkdir -p "$r/d"$'\xff' "$u/plain"
printf 'def f\xc3\xa9():\n    """Doc \xe9 here, a note of several words."""\n    return g()\n\n\ndef g():\n    return 1\n' > "$r/m"$'\xe9'".py"
printf 'import os\n\n\ndef h(x):\n    """Call g, then more, in a joined path."""\n    y = os.path.join(x)\n    z = helper(y)\n    return y + z\n\n\ndef helper(v):\n    return v\n' > "$r/d"$'\xff'"/n.py"
printf 'def work(a):\n    """Work on a: add one, then double it."""\n    b = a + 1\n    c = b * 2\n    return c\n' > "$u/plain/pl"$'\xe9'".py"
printf 'def other(a):\n    """Other work, handed over to the worker."""\n    return work(a)\n' > "$u/plain/ok.py"
printf '%s r\xe9po c\xe9\n%s plain abcdef1234\n' "$r" "$u/plain" > "$u/manifest"
timeout "$T" $TEST_WRAP "$BIN/hgym-index" -q --manifest "$u/manifest" --report "$u/report.jsonl" -o "$tmp/u8.idx" > /dev/null 2> "$tmp/u8.err"
rc=$?
no_crash "non-UTF-8: hgym-index" "$rc" "$tmp/u8.err" && expect_rc u8 0
# every command of hgym-query
outs=("$u/report.jsonl")
for cmd in defs files diags repos export stats verify "deps" "callers ok.py:other" "imports d"$'\xff'"/n.py" \
  "deps d"$'\xff'"/n.py:h" "deps --transitive d"$'\xff'"/n.py:h"; do
  name=$(printf '%s' "$cmd" | tr -c 'a-z' '_')
  # shellcheck disable=SC2086
  timeout "$T" $TEST_WRAP "$BIN/hgym-query" -i "$tmp/u8.idx" $cmd > "$u/q_$name" 2> "$u/q_$name.err"
  r2=$?
  no_crash "non-UTF-8: hgym-query $cmd" "$r2" "$u/q_$name.err"
  [ "$r2" -eq 0 ] && ok || fail "non-UTF-8: hgym-query $cmd exited $r2: $(head -c 200 "$u/q_$name.err")"
  outs+=("$u/q_$name")
done
timeout "$T" $TEST_WRAP "$BIN/hgym-query" -i "$tmp/u8.idx" --repo plain callgraph > "$u/callgraph_plain" 2> "$u/cg.err" || fail "non-UTF-8: callgraph (plain)"
timeout "$T" $TEST_WRAP "$BIN/hgym-query" -i "$tmp/u8.idx" --repo r$'\xe9'po callgraph > "$u/callgraph_repo" 2> "$u/cg.err" || fail "non-UTF-8: callgraph: $(head -c 200 "$u/cg.err")"
# every task of hgym-synth (the repositories are not pinned: --allow-unpinned)
printf '{"repo": "plain", "base_commit": "abcdef1234", "problem_statement": "fix work", "patch": "--- a/ok.py\\n+++ b/ok.py\\n@@ -3,1 +3,1 @@\\n-    return work(a)\\n+    return work(a) + 1\\n"}\n' > "$u/issues.jsonl"
# an issue row whose own text holds bytes that are not UTF-8, for a file whose name
# holds one: issue_localize passes the input's fields through, as valid UTF-8
printf '{"repo": "plain", "base_commit": "abcdef1234", "problem_statement": "fix w\xffrk in pl\xe9", "patch": "--- a/pl\xe9.py\\n+++ b/pl\xe9.py\\n@@ -3,1 +3,1 @@\\n-    b = a + 1\\n+    b = a + 2\\n"}\n' >> "$u/issues.jsonl"
for task in "dep_search --allow-private --min-deps 1" "func_localize" "func_localize --multi" "func_gen --max-lines 100" \
  "issue_localize --input $u/issues.jsonl"; do
  name=$(printf '%s' "$task" | cut -d' ' -f1-2 | tr -c 'a-z' '_')
  # shellcheck disable=SC2086
  timeout "$T" $TEST_WRAP "$BIN/hgym-synth" -q -i "$tmp/u8.idx" $task --allow-unpinned -o "$u/s_$name" 2> "$u/s_$name.err"
  r2=$?
  no_crash "non-UTF-8: hgym-synth $task" "$r2" "$u/s_$name.err"
  [ "$r2" -eq 0 ] && ok || fail "non-UTF-8: hgym-synth $task exited $r2: $(head -c 200 "$u/s_$name.err")"
  outs+=("$u/s_$name")
done
check "non-UTF-8: every line of every output is UTF-8 JSON" utf8 "${outs[@]}"
"$PYTHON" - "$u" "${outs[@]}" << 'EOF' && ok || fail "non-UTF-8: the outputs"
import json, sys
u, *outs = sys.argv[1:]
def rows(p):
    return [json.loads(l.decode("utf-8")) for l in open(p, "rb") if l.strip()]
for p in (u + "/callgraph_plain", u + "/callgraph_repo"):
    json.loads(open(p, "rb").read().decode("utf-8"))  # one indented object
repos = {r["repo"]: r for r in rows(u + "/q_repos")}
assert set(repos) == {"r\ufffdpo", "plain"}, repos.keys()
assert repos["r\ufffdpo"]["commit"] == "c\ufffd" and repos["r\ufffdpo"]["root"].endswith("/caf\ufffd"), repos
files = sorted((f["repo"], f["path"], f["module"]) for f in rows(u + "/q_files"))
assert files == [("plain", "ok.py", "ok"), ("plain", "pl\ufffd.py", "pl\ufffd"),
                 ("r\ufffdpo", "d\ufffd/n.py", "d\ufffd.n"), ("r\ufffdpo", "m\ufffd.py", "m\ufffd")], files
defs = {d["qualname"]: d for d in rows(u + "/q_defs")}
assert defs["f\u00e9"]["file_path"] == "m\ufffd.py"
report = rows(u + "/report.jsonl")
assert sorted(r["repo"] for r in report if r["record"] == "repository") == ["plain", "r\ufffdpo"]
issues = rows(u + "/s_issue_localize___input_")
assert [(r["problem_statement"], r["gold_files"]) for r in issues] == [
    ("fix work", ["ok.py"]), ("fix w\ufffdrk in pl\ufffd", ["pl\ufffd.py"])], issues
assert issues[1]["gold_functions"][0]["file_path"] == "pl\ufffd.py", issues[1]
assert issues[1]["patch"].startswith("--- a/pl\ufffd.py\n"), issues[1]
synth = {p.rsplit("/", 1)[1]: len(rows(p)) for p in outs if "/s_" in p}
print("bad_inputs: non-UTF-8: synth rows %s" % synth)
assert all(synth.values()), "a task without a row: %s" % synth
EOF
run_checks

# ---- FIFOs, sockets and devices named *.py; files changed after the walk -------------
section "special files, and files changed between the walk and the read"
r=$tmp/special
mkdir -p "$r"
echo 'def keep(): pass' > "$r/keep.py"
mkfifo "$r/pipe.py"
"$PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$r/sock.py"
special_skipped=2
if [ "$(id -u)" = 0 ]; then
  mknod "$r/dev.py" c 1 3 # a device node made here; the walk only stats it
  special_skipped=3
fi
index special "$r"
expect_rc special 0
queries special
check "FIFO named .py: reported" diag "$tmp/special.diags" - 0 0 warning '^pipe.py: not a regular file \(a FIFO\): not indexed$'
check "socket named .py: reported" diag "$tmp/special.diags" - 0 0 warning '^sock.py: not a regular file \(a socket\): not indexed$'
if [ "$(id -u)" = 0 ]; then
  check "device named .py: reported" diag "$tmp/special.diags" - 0 0 warning '^dev.py: not a regular file \(a character device\): not indexed$'
fi
check "special files: only the regular file indexed" files "$tmp/special.files" keep.py
check "special files: counted as skipped" repo "$tmp/special.repos" skipped=$special_skipped files=1
# Swaps made while hgym-index parses a slow first file (200 KB of random
# printable text, a few seconds): by then the walk is done, and the next file
# is open ahead (its descriptor shows in /proc/PID/fd, which is what the test
# waits for).  c.py becomes a FIFO, d/ a symbolic link to a directory outside
# the repository holding an e.py of its own, f.py grows past --max-file-size.
r=$tmp/swap/repo
mkdir -p "$r/d" "$tmp/swap/outside"
# (under valgrind everything is slower: 16 KB are enough, and stay within the parse budget)
"$PYTHON" -c 'import random, string, sys
r = random.Random(7)
open(sys.argv[1], "w").write("".join(r.choice(string.printable) for _ in range(int(sys.argv[2]) * 1024)))' \
  "$r/a_slow.py" "$([ "${VALGRIND:-}" = 1 ] && echo 16 || echo 200)"
echo 'def b(): pass' > "$r/b.py"
echo 'def c(): pass' > "$r/c.py"
echo 'def e(): pass' > "$r/d/e.py"
echo 'def outside(): pass' > "$tmp/swap/outside/e.py"
echo 'def f(): pass' > "$r/f.py"
timeout "$T" $TEST_WRAP "$BIN/hgym-index" -q "$r" --max-file-size 256K -o "$tmp/swap.idx" > /dev/null 2> "$tmp/swap.err" &
pid=$!
# open_ahead: some process under timeout (hgym-index, or its wrapper) holds b.py open
open_ahead() {
  local c
  for c in $(pgrep -P "$pid") $(pgrep -P "$(pgrep -P "$pid" | head -n 1)" 2> /dev/null); do
    ls -l "/proc/$c/fd" 2> /dev/null | grep -q "$r/b.py" && return 0
  done
  return 1
}
waited=0
until open_ahead; do
  if ! kill -0 "$pid" 2> /dev/null || [ "$waited" -ge 6000 ]; then break; fi
  sleep 0.01
  waited=$((waited + 1))
done
if open_ahead; then
  rm "$r/c.py" && mkfifo "$r/c.py"
  rm -r "$r/d" && ln -s "$tmp/swap/outside" "$r/d"
  "$PYTHON" -c 'import sys; open(sys.argv[1], "a").write("#" * (300 * 1024) + "\n")' "$r/f.py"
  wait "$pid"
  rc=$?
  no_crash "swap: hgym-index" "$rc" "$tmp/swap.err"
  expect_rc swap 0
  queries swap
  check "file swapped for a FIFO after the walk: reported, no hang" diag "$tmp/swap.diags" - 0 0 warning '^c.py: not a regular file \(a FIFO\) when it was read: not indexed$'
  check "directory swapped for a symlink after the walk: not followed" diag "$tmp/swap.diags" - 0 0 error '^d/e.py: cannot read: its path now leads through a symbolic link \(not followed\)$'
  check "file grown past --max-file-size after the walk: not read" diag "$tmp/swap.diags" - 0 0 warning "^f.py: file of 307215 bytes exceeds the limit of 262144: not indexed$"
  check "changed after the walk: only the unchanged files indexed" files "$tmp/swap.files" a_slow.py b.py
  if grep -q outside "$tmp/swap.defs" "$tmp/swap.export"; then fail "directory swapped for a symlink: a file outside the repository was indexed"; else ok; fi
else
  kill "$pid" 2> /dev/null
  wait "$pid"
  fail "swap: b.py was never seen open ahead in /proc/$pid/fd (exit $?): $(head -c 300 "$tmp/swap.err")"
fi

# ---- git metadata that is not a regular file --------------------------------------
# The repository's identity is read from .git (index/gitinfo.c: HEAD, refs,
# packed-refs, config, the index of a checkout above): a FIFO or a device there
# is passed over like a missing file, as the walk passes over a FIFO named *.py,
# never read (it would block, or never end). T_GIT bounds each run.
section "git metadata that is not a regular file"
T_GIT=20
sha=0123456789abcdef0123456789abcdef01234567
# gitrun NAME DIR [OPTIONS...]: index DIR with the short bound
gitrun() {
  local name=$1 dir=$2
  shift 2
  timeout "$T_GIT" $TEST_WRAP "$BIN/hgym-index" -q "$dir" -o "$tmp/$name.idx" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
  rc=$?
  if [ "$rc" -eq 124 ]; then fail "$name: hgym-index timed out after ${T_GIT}s (a hang)"; else no_crash "$name: hgym-index" "$rc" "$tmp/$name.err"; fi
}
g=$tmp/git
mkdir -p "$g/head_fifo/.git" "$g/ref_fifo/.git/refs/heads" "$g/config_dev/.git" "$g/above/.git" "$g/above/sub"
for d in head_fifo ref_fifo config_dev above/sub; do echo 'def f(): pass' > "$g/$d/m.py"; done
mkfifo "$g/head_fifo/.git/HEAD"
echo 'ref: refs/heads/main' > "$g/ref_fifo/.git/HEAD"
mkfifo "$g/ref_fifo/.git/refs/heads/main" "$g/ref_fifo/.git/packed-refs"
echo "$sha" > "$g/config_dev/.git/HEAD"
ln -s /dev/zero "$g/config_dev/.git/config" # endless: a device, never read
echo "$sha" > "$g/above/.git/HEAD"
mkfifo "$g/above/.git/config" "$g/above/.git/index" # the checkout above sub: does it track sub?
gitrun git_head_fifo "$g/head_fifo"
expect_rc git_head_fifo 0
query git_head_fifo repos
check "git: HEAD a FIFO: no commit, no hang" repo "$tmp/git_head_fifo.repos" 'repo="head_fifo"' 'commit=""'
gitrun git_ref_fifo "$g/ref_fifo"
expect_rc git_ref_fifo 0
query git_ref_fifo repos
check "git: the branch's ref and packed-refs FIFOs: no commit, no hang" repo "$tmp/git_ref_fifo.repos" 'repo="ref_fifo"' 'commit=""'
gitrun git_config_dev "$g/config_dev"
expect_rc git_config_dev 0
query git_config_dev repos
check "git: config a link to /dev/zero: no origin name, the commit kept" repo "$tmp/git_config_dev.repos" \
  'repo="config_dev"' "commit=\"$sha\""
gitrun git_above "$g/above/sub"
expect_rc git_above 0
query git_above repos
check "git: the checkout above has FIFOs for config and index: sub is its own root" repo "$tmp/git_above.repos" \
  'repo="sub"' 'commit=""' "root=\"$g/above/sub\""

# ---- damaged indexes ---------------------------------------------------------------
section "damaged indexes"
good=$tmp/links.idx
cp "$good" "$tmp/x_truncated.idx"
truncate -s $(($(stat -c %s "$good") / 2)) "$tmp/x_truncated.idx"
"$PYTHON" -c 'import struct, sys
good, tmp = sys.argv[1], sys.argv[2]
b = open(good, "rb").read()
nsec = struct.unpack_from("<I", b, 12)[0]
strings = None
for i in range(nsec):
    kind, size, off, count = struct.unpack_from("<IIQQ", b, 32 + 32 * i)
    if kind == 1:
        strings = (off, count)
def write(name, data):
    open(tmp + "/" + name + ".idx", "wb").write(data)
x = bytearray(b); x[strings[0] + strings[1] // 2] ^= 0x20; write("x_bitflip_section", x)
x = bytearray(b); x[32 + 8] ^= 0x01; write("x_bitflip_directory", x)
x = bytearray(b); x[16] ^= 0x04; write("x_bitflip_size", x)
x = bytearray(b); x[8:12] = struct.pack("<I", 99); write("x_version", x)
x = bytearray(b); x[0] ^= 0xFF; write("x_magic", x)
write("x_empty", b"")
write("x_text", b"this is a text file, not an hgym index; it is long enough to hold a header\n")
write("x_short_text", b"not an index\n")' "$good" "$tmp"
mkdir -p "$tmp/x_dir.idx"
# A forged index whose checksums all match but whose first definition names
# file 16777215: the reader must refuse the reference, not follow it
# (tests/forge_index.py rewrites a field and every checksum).
"$PYTHON" tests/forge_index.py "$good" "$tmp/x_forged.idx" defs:0:file=0xffffff
# The reader checks the header and directory when it opens an index and each
# 64 KiB block of a section when a query first reads it (store/reader.c), so a
# damaged section is caught by the query that reads it: exit 3 and one line
# naming the file and the fault, after at most the output that came from
# intact blocks (a prefix of the good index's output, never damaged data).
# expect_fault WHAT CMD IDX REGEX: exit 3, one line on stderr, stdout a prefix
# of the good output.  QBIN (default $BIN) is where hgym-query is taken from.
expect_fault() {
  local what=$1 cmd=$2 idx=$3 rx=$4 size wrap=$TEST_WRAP
  [ "${QBIN:-$BIN}" = "$BIN" ] || wrap=
  timeout "$T" $wrap "${QBIN:-$BIN}/hgym-query" -i "$idx" "$cmd" > "$tmp/fault.out" 2> "$tmp/fault.err"
  rc=$?
  no_crash "$what: hgym-query $cmd" "$rc" "$tmp/fault.err" || return
  if [ "$rc" -ne 3 ]; then fail "$what: $cmd: exit code $rc, expected 3"; return; fi
  if [ "$(wc -l < "$tmp/fault.err")" -eq 1 ] && grep -Eq -- "^hgym(-query)?: $idx: $rx\$" "$tmp/fault.err"; then ok; else
    fail "$what: $cmd: expected one line 'hgym-query: $idx: /$rx/', got: $(head -c 300 "$tmp/fault.err")"
  fi
  size=$(stat -c %s "$tmp/fault.out")
  if cmp -s -n "$size" "$tmp/fault.out" "$tmp/good.$cmd"; then ok; else
    fail "$what: $cmd printed output that the good index does not hold"
  fi
}
for cmd in defs export verify; do "$RAW/hgym-query" -i "$good" "$cmd" > "$tmp/good.$cmd"; done
faults=(
  "x_truncated:index is [0-9]+ bytes but its header says [0-9]+: truncated or extended"
  "x_bitflip_section:corrupt index \\(strings section, bytes 0-65535: checksum mismatch\\)(; rebuild it)?"
  "x_bitflip_directory:corrupt index \\(header checksum mismatch\\)"
  "x_bitflip_size:index is [0-9]+ bytes but its header says [0-9]+: truncated or extended"
  "x_version:index format version 99, this hgym reads version [0-9]+; rebuild the index"
  "x_magic:not an hgym index \\(bad magic\\)"
  "x_empty:not an index \\(empty file\\)"
  "x_text:not an hgym index \\(bad magic\\)"
  "x_short_text:not an index \\([0-9]+ bytes, too short for a header\\)"
  "x_missing:cannot open index: No such file or directory"
  "x_dir:not an index \\(not a regular file\\)"
)
# The forged index passes `verify` (every checksum matches); the queries that
# follow the reference refuse it.
timeout "$T" $TEST_WRAP "$BIN/hgym-query" -i "$tmp/x_forged.idx" verify > /dev/null 2> "$tmp/x_forged.err"
rc=$?
no_crash "x_forged: hgym-query verify" "$rc" "$tmp/x_forged.err" && expect_rc x_forged 0
for cmd in defs export; do
  expect_fault x_forged "$cmd" "$tmp/x_forged.idx" "corrupt index \\(files record 16777215 out of range\\)(; rebuild it)?"
done
for f in "${faults[@]}"; do
  name=${f%%:*}
  for cmd in defs export verify; do expect_fault "$name" "$cmd" "$tmp/$name.idx" "${f#*:}"; done
done
# Every single-byte corruption of the header and the first two directory
# entries (one checksum covers them all), and of one byte in every 48 of the
# sections: `verify` either finds it (exit 3, one line) or
# finds nothing (padding no checksum covers), and then `export` must print
# exactly the good index's export; never a crash or a hang.
"$PYTHON" -c 'import sys
b = open(sys.argv[1], "rb").read()
nsec = int.from_bytes(b[12:16], "little")
pos = list(range(32 + 2 * 32)) + list(range(32 + 32 * nsec, len(b), 48))
for p in pos:
    x = bytearray(b); x[p] ^= 0x5A
    open("%s/flip_%06d.idx" % (sys.argv[2], p), "wb").write(x)' "$good" "$tmp"
n_flips=0
n_caught=0
for f in "$tmp"/flip_*.idx; do
  n_flips=$((n_flips + 1))
  timeout "$T" "$RAW/hgym-query" -i "$f" verify > "$tmp/flip.out" 2> "$tmp/flip.err"
  rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -ge 128 ]; then
    no_crash "$(basename "$f"): hgym-query verify" "$rc" "$tmp/flip.err"
  elif [ "$rc" -eq 3 ] && [ "$(wc -l < "$tmp/flip.err")" -eq 1 ] && grep -q "^hgym-query: $f: " "$tmp/flip.err" \
    && [ ! -s "$tmp/flip.out" ]; then
    n_caught=$((n_caught + 1))
    # export fails the same way or, when the damage is in blocks it does not
    # read (repository-level diagnostics), prints the good export.
    timeout "$T" "$RAW/hgym-query" -i "$f" export > "$tmp/flip.out" 2> "$tmp/flip.err"
    rc=$?
    if [ "$rc" -eq 0 ] && cmp -s "$tmp/flip.out" "$tmp/good.export"; then ok; else
      QBIN=$RAW expect_fault "$(basename "$f")" export "$f" '.*'
    fi
  elif [ "$rc" -eq 0 ]; then
    timeout "$T" "$RAW/hgym-query" -i "$f" export > "$tmp/flip.out" 2> "$tmp/flip.err"
    rc=$?
    if [ "$rc" -eq 0 ] && cmp -s "$tmp/flip.out" "$tmp/good.export"; then ok; else
      no_crash "$(basename "$f"): hgym-query export" "$rc" "$tmp/flip.err"
      fail "$(basename "$f"): verify found nothing, but export exited $rc or differs from the good index's"
    fi
  else
    fail "$(basename "$f"): verify exited $rc with: $(head -c 200 "$tmp/flip.err")"
  fi
  rm -f "$f"
done
echo "bad_inputs: $n_flips single-byte corruptions tried, $n_caught caught by verify, the rest in padding"


# ---- forged indexes and hgym-synth ---------------------------------------------------
# Indexes whose checksums all match but whose records are hostile
# (tests/forge_index.py): names, paths, commits, docstrings and decorator texts of
# HG_NOSTR, ranges that wrap or reach past their table, a parent that does not
# come before its child, byte and line offsets outside the file.  hgym-synth
# validates what it dereferences as hgym-query does: a missing name reads as "",
# a def whose offsets do not fit its file is dropped like one whose source
# changed, and a reference or range outside its table is a fault: exit 3, one
# line naming the index.  Every task runs on each (under make check SANITIZE=
# these runs are where a memory error would show).
section "forged indexes and hgym-synth"
r=$tmp/forged_repo
mkdir -p "$r/shop"
: > "$r/shop/__init__.py"
printf '%s\n' 'import functools' 'import os' '' '' '@functools.lru_cache(maxsize=None)' 'def norm(path):' \
  '    """Normalize a path for the shop'"'"'s catalogue lookups."""' '    p = os.path.normpath(path)' '    q = p.strip()' \
  '    return q' '' '' 'def total(items, tax):' '    """Add up the prices of the items with the tax rate applied."""' \
  '    s = sum(items)' '    t = s * tax' '    return s + t' > "$r/shop/util.py"
printf '%s\n' 'from .util import norm, total' '' '' 'class Cart:' '    """A shopping cart holding the items a customer picked."""' \
  '' '    def __init__(self, items):' '        self.items = items' '' '    def price(self, tax):' \
  '        """Compute the price of every item in the cart, taxed."""' '        n = len(self.items)' \
  '        v = total(self.items, tax)' '        return v / max(n, 1)' '' '' 'def checkout(cart, where):' \
  '    """Check the cart out at the shop found under the given path."""' '    place = norm(where)' \
  '    value = cart.price(0.2)' '    return place, value' > "$r/shop/cart.py"
sha=0123456789abcdef0123456789abcdef01234567
printf '{"repo": "shop/repo", "base_commit": "%s", "problem_statement": "checkout breaks", "patch": "--- a/shop/cart.py\\n+++ b/shop/cart.py\\n@@ -19,1 +19,1 @@\\n-    place = norm(where)\\n+    place = norm(where) or where\\n"}\n' "$sha" > "$tmp/forged_issues.jsonl"
timeout "$T" "$RAW/hgym-index" -q "$r" --name shop/repo --commit "$sha" -o "$tmp/forged_good.idx" 2> "$tmp/forged_good.err" \
  || fail "forged: indexing the fixture failed: $(head -c 300 "$tmp/forged_good.err")"
SYNTH_TASKS=("dep_search" "func_localize" "func_localize --multi" "func_gen" "issue_localize --input $tmp/forged_issues.jsonl")
# synth_all IDX: every task on IDX (--allow-unpinned); sets $rcs ("0 0 3 ..."), each run's stderr in $tmp/synth.N.err
synth_all() {
  local k=0 t r2
  rcs=
  for t in "${SYNTH_TASKS[@]}"; do
    # shellcheck disable=SC2086
    timeout "$T" $TEST_WRAP "$BIN/hgym-synth" -q -i "$1" $t --allow-unpinned -o "$tmp/synth.$k.jsonl" 2> "$tmp/synth.$k.err"
    r2=$?
    rcs="$rcs${rcs:+ }$r2"
    k=$((k + 1))
  done
}
synth_all "$tmp/forged_good.idx"
[ "$rcs" = "0 0 0 0 0" ] && ok || fail "forged: the good fixture: exit codes $rcs"
rows=
for k in 0 1 2 3 4; do rows="$rows${rows:+ }$(wc -l < "$tmp/synth.$k.jsonl")"; done
# every task writes rows from the good fixture, so the forged runs reach the code that reads the records
[ "$rows" = "1 5 2 4 1" ] && ok || fail "forged: the good fixture's rows per task are '$rows', expected '1 5 2 4 1'"
# forged NAME WANT_RCS REGEX EDIT...: forge, run every task: the exit codes are WANT_RCS, none
# crashed or hung, and each exit 3 printed one line: hgym-synth: IDX: corrupt index (REGEX); rebuild it
forged() {
  local name=$1 want=$2 rx=$3 k=0 w
  shift 3
  "$PYTHON" tests/forge_index.py "$tmp/forged_good.idx" "$tmp/$name.idx" "$@" || { fail "forged $name: cannot forge"; return; }
  synth_all "$tmp/$name.idx"
  for w in $rcs; do
    no_crash "forged $name: hgym-synth ${SYNTH_TASKS[$k]}" "$w" "$tmp/synth.$k.err"
    if [ "$w" -eq 3 ]; then
      if [ "$(wc -l < "$tmp/synth.$k.err")" -eq 1 ] \
        && grep -Eq -- "^hgym-synth: $tmp/$name.idx: corrupt index \\($rx\\); rebuild it\$" "$tmp/synth.$k.err"; then ok; else
        fail "forged $name: ${SYNTH_TASKS[$k]}: expected one line 'corrupt index ($rx)', got: $(head -c 300 "$tmp/synth.$k.err")"
      fi
    fi
    k=$((k + 1))
  done
  [ "$rcs" = "$want" ] && ok || fail "forged $name: exit codes '$rcs', expected '$want' ($(head -c 200 "$tmp/synth.0.err"))"
}
every_def() { # FIELD=VALUE: the edit for each of the fixture's 6 definitions
  local d
  for d in 0 1 2 3 4 5; do printf 'defs:%s:%s\n' "$d" "$1"; done
}
# shellcheck disable=SC2046
{
  forged nostr_repo_name "0 0 0 0 0" - repos:0:name=NOSTR
  forged nostr_commit "0 0 0 0 0" - repos:0:commit=NOSTR
  forged nostr_root "0 0 0 0 0" - repos:0:root=NOSTR
  forged nostr_paths "0 0 0 0 0" - files:0:path=NOSTR files:1:path=NOSTR files:2:path=NOSTR
  forged nostr_modules "0 0 0 0 0" - files:0:module=NOSTR files:1:module=NOSTR files:2:module=NOSTR
  forged nostr_def_names "0 0 0 0 0" - $(every_def name=NOSTR)
  forged nostr_qualnames "0 0 0 0 0" - $(every_def qualname=NOSTR)
  forged nostr_docstrings "0 0 0 0 0" - $(every_def docstring=NOSTR)
  forged nostr_signatures "0 0 0 0 0" - $(every_def signature=NOSTR)
  forged nostr_decorator "0 0 0 0 0" - strids:0:id=NOSTR
  forged nostr_import "0 0 0 0 0" - imports:0:module=NOSTR imports:1:module=NOSTR imports:2:module=NOSTR
  forged repo_defs_wrap "3 3 3 3 0" "definitions range 0\\+4294967295 reaches past the table of 6 records" repos:0:defs.count=0xffffffff
  forged repo_defs_huge "3 3 3 3 0" "definitions range 0\\+2147483647 reaches past the table of 6 records" repos:0:defs.count=0x7fffffff
  forged repo_defs_past "3 3 3 3 0" "definitions range 4\\+4 reaches past the table of 6 records" repos:0:defs.first=4 repos:0:defs.count=4
  forged repo_files_wrap "0 3 3 0 0" "files range 1\\+4294967295 reaches past the table of 3 records" repos:0:files.first=1 repos:0:files.count=0xffffffff
  forged parent_self "3 0 0 3 0" "definition 0's parent 0 does not come before it" defs:0:parent=0
  forged parent_later "3 0 0 3 0" "definition 1's parent 5 does not come before it" defs:1:parent=5
  forged decorator_bytes "0 0 0 0 0" - $(every_def decorator_byte=0x7fffffff)
  forged body_bytes "0 0 0 0 0" - $(every_def body_byte_start=0x7fffffff)
  forged def_bytes "0 0 0 0 0" - $(every_def byte_end=0x7fffffff) $(every_def byte_start=0x7fffffff)
  forged doc_bytes "0 0 0 0 0" - $(every_def doc_byte_start=0x7ffffff0) $(every_def doc_byte_end=0x7fffffff)
  forged doc_lines_far "0 0 0 0 0" - $(every_def doc_line_start=0x7fffffff)
  forged doc_lines_negative "0 0 0 0 0" - $(every_def doc_line_start=-5)
  forged doc_lines_reversed "0 0 0 0 0" - $(every_def doc_line_end=-2)
  forged def_lines "0 0 0 0 0" - $(every_def line_start=0xffffffff) $(every_def line_end=0xfffffff0)
}
# without --allow-unpinned, the pinning check reads the name and commit first
"$PYTHON" tests/forge_index.py "$tmp/forged_good.idx" "$tmp/nostr_pin.idx" repos:0:name=NOSTR repos:0:commit=NOSTR
timeout "$T" $TEST_WRAP "$BIN/hgym-synth" -q -i "$tmp/nostr_pin.idx" dep_search -o "$tmp/synth.pin.jsonl" 2> "$tmp/synth.pin.err"
rc=$?
no_crash "forged nostr_pin: hgym-synth dep_search" "$rc" "$tmp/synth.pin.err"
[ "$rc" -eq 2 ] && grep -q "^hgym-synth: repository '' (commit '') is not pinned: its name is not owner/name and it has no commit$" \
  "$tmp/synth.pin.err" && ok || fail "forged nostr_pin: exit $rc: $(head -c 300 "$tmp/synth.pin.err")"
# hgym-query reads the same decorator texts (deps: is a dependency an @overload stub?)
timeout "$T" $TEST_WRAP "$BIN/hgym-query" -i "$tmp/nostr_decorator.idx" deps shop/cart.py:checkout > "$tmp/q.out" 2> "$tmp/q.err"
rc=$?
no_crash "forged nostr_decorator: hgym-query deps" "$rc" "$tmp/q.err"
[ "$rc" -eq 0 ] && grep -q '"num_dependencies":1' "$tmp/q.out" && ok \
  || fail "forged nostr_decorator: hgym-query deps exit $rc: $(head -c 300 "$tmp/q.err")"

run_checks
echo "bad_inputs: [${SECONDS}s] $n_ok checks passed, $n_fail failed"
[ "$n_fail" -eq 0 ]

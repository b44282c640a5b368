#!/usr/bin/env bash
# Repository identity from git checkouts (docs/CLI.md, hgym-index): checkouts
# made here with `git init` and a GitHub origin URL must give `repo:
# owner/name`, the full commit (`git rev-parse HEAD`) and paths relative to the
# checkout root, whether the checkout itself, a subdirectory (found by walking
# up to .git, or given with --root or a manifest's fourth field), a worktree,
# packed refs, a detached HEAD, index versions 2, 3 and 4, or a SHA-256
# repository is indexed; module names still come from the directory analysed.
# An ignored or untracked directory inside a checkout is not part of it.  Each
# URL form of a GitHub remote gives owner/name, another host none.  The rows
# hgym-synth writes for the checkout carry the same repo, base_commit and paths
# without --allow-unpinned; an unpinned index is refused (exit 2, nothing
# written) with the reason unless --allow-unpinned is given.
#
# Usage: tests/suites/git_identity.sh
# Env: HGYM_BIN (the directory of the binaries, default bin), PYTHON (python3).
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=$(cd "${HGYM_BIN:-bin}" && pwd) || exit 1
PYTHON=${PYTHON:-python3}
command -v git > /dev/null || { echo "git_identity: FAIL: git is not installed (make deps)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "git_identity: FAIL: $*"; failed=$((failed + 1)); }
export GIT_AUTHOR_NAME=hgym GIT_AUTHOR_EMAIL=hgym@example.org GIT_COMMITTER_NAME=hgym
export GIT_COMMITTER_EMAIL=hgym@example.org GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
g() { git -C "$@"; }

# check NAME INDEX REPO COMMIT ROOT PATH MODULE: the index has one repository
# with these repo, commit and root, and a file PATH whose module is MODULE
check() {
  local what=$1 idx=$2
  local got
  got=$("$PYTHON" - "$BIN/hgym-query" "$idx" "${@:3}" << 'PY'
import json, subprocess, sys
q, idx, repo, commit, root, path, module = sys.argv[1:]
r = [json.loads(l) for l in subprocess.run([q, "-i", idx, "repos"], capture_output=True, text=True).stdout.splitlines()]
f = [json.loads(l) for l in subprocess.run([q, "-i", idx, "files"], capture_output=True, text=True).stdout.splitlines()]
errs = []
if len(r) != 1:
    errs.append("%d repositories" % len(r))
else:
    for k, want in (("repo", repo), ("commit", commit), ("root", root)):
        if r[0][k] != want:
            errs.append("%s %r, want %r" % (k, r[0][k], want))
mods = {x["path"]: x["module"] for x in f}
if mods.get(path) != module:
    errs.append("file %s: module %r, want %r (files: %s)" % (path, mods.get(path), module, sorted(mods)))
print("; ".join(errs))
PY
)
  if [ -z "$got" ]; then ok; else fail "$what: $got"; fi
}

index() { # OUT ARGS...: index quietly; a failure is reported
  local out=$1
  shift
  "$BIN/hgym-index" -q "$@" -o "$out" 2> "$out.err" || { fail "hgym-index $* exited $?: $(cat "$out.err")"; return 1; }
}

# ---- a checkout: src layout, a test, an ignored build directory, an untracked one ----------------
co=$tmp/co
mkdir -p "$co/src/pkg" "$co/tests" "$co/build/lib/pkg" "$co/scratch"
printf '' > "$co/src/pkg/__init__.py"
printf 'def helper(x):\n    """Return the value given, as it was given to it."""\n    return x\n\n\ndef main(y):\n    """Call the helper on the value y and return its result."""\n    z = helper(y)\n    z = z + 1\n    return z\n' > "$co/src/pkg/mod.py"
printf 'def test_main():\n    assert True\n' > "$co/tests/test_mod.py"
printf 'def built():\n    return 1\n' > "$co/build/lib/pkg/mod.py"
printf 'def scratch():\n    return 1\n' > "$co/scratch/tmp.py"
printf 'build/\n' > "$co/.gitignore"
g "$tmp" init -q co
g "$co" add .gitignore src tests
g "$co" commit -qm "first"
g "$co" remote add origin https://github.com/Owner-1/repo.name.git
sha=$(g "$co" rev-parse HEAD)
real_co=$(cd "$co" && pwd -P)

index "$tmp/a.idx" "$co" && check "the checkout" "$tmp/a.idx" Owner-1/repo.name "$sha" "$co" src/pkg/mod.py pkg.mod
index "$tmp/b.idx" "$co/src/pkg" &&
  check "a subdirectory (walking up to .git)" "$tmp/b.idx" Owner-1/repo.name "$sha" "$real_co" src/pkg/mod.py pkg.mod
index "$tmp/c.idx" "$co/src/pkg" --root "$co" &&
  check "a subdirectory with --root" "$tmp/c.idx" Owner-1/repo.name "$sha" "$co" src/pkg/mod.py pkg.mod
index "$tmp/d.idx" "$co/src" && check "src/" "$tmp/d.idx" Owner-1/repo.name "$sha" "$real_co" src/pkg/mod.py pkg.mod
printf '# path name commit root\n%s - - %s\n' "$co/src/pkg" "$co" > "$tmp/m1"
index "$tmp/e.idx" --manifest "$tmp/m1" &&
  check "a manifest's root field" "$tmp/e.idx" Owner-1/repo.name "$sha" "$co" src/pkg/mod.py pkg.mod
printf '%s my/name 0123456789012345678901234567890123456789\n' "$co/src/pkg" > "$tmp/m2"
index "$tmp/f.idx" --manifest "$tmp/m2" &&
  check "a manifest's name and commit" "$tmp/f.idx" my/name 0123456789012345678901234567890123456789 "$real_co" \
    src/pkg/mod.py pkg.mod
index "$tmp/g.idx" "$co/src/pkg" --name x/y --commit abc &&
  check "--name and --commit" "$tmp/g.idx" x/y abc "$real_co" src/pkg/mod.py pkg.mod
index "$tmp/h.idx" "$co/build/lib/pkg" &&
  check "an ignored directory" "$tmp/h.idx" pkg "" "$co/build/lib/pkg" mod.py mod
index "$tmp/i.idx" "$co/scratch" && check "an untracked directory" "$tmp/i.idx" scratch "" "$co/scratch" tmp.py tmp

# --root must hold the directory
if "$BIN/hgym-index" -q "$co/src/pkg" --root "$co/tests" -o "$tmp/x.idx" 2> "$tmp/x.err"; then
  fail "--root that does not hold REPO_DIR: exit 0"
elif [ $? -eq 2 ] && grep -q "not inside the root" "$tmp/x.err"; then ok; else fail "--root outside: $(cat "$tmp/x.err")"; fi
printf '%s - - %s\n' "$co/src/pkg" "$tmp/nonexistent" > "$tmp/m3"
if "$BIN/hgym-index" -q --manifest "$tmp/m3" -o "$tmp/x.idx" 2> "$tmp/x.err"; then
  fail "a manifest root that does not exist: exit 0"
elif [ $? -eq 2 ] && grep -q "m3:1: .*cannot be resolved" "$tmp/x.err"; then ok; else fail "bad manifest root: $(cat "$tmp/x.err")"; fi

# ---- hgym-synth: rows of the checkout carry its identity; an unpinned index is refused ------------
synth_rows() { # WHAT INDEX TASK [ARGS...]: the rows' repo, base_commit, instance ids and paths
  local what=$1 idx=$2
  shift 2
  if ! "$BIN/hgym-synth" -q -i "$idx" "$@" -o "$tmp/rows.jsonl" 2> "$tmp/rows.err"; then
    fail "$what: hgym-synth $* exited non-zero: $(cat "$tmp/rows.err")"
    return
  fi
  local got
  got=$("$PYTHON" - "$tmp/rows.jsonl" "$sha" "$1" << 'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
sha, task = sys.argv[2], sys.argv[3]
errs = [] if rows else ["no rows"]
for k, r in enumerate(rows):
    want = {"repo": "Owner-1/repo.name", "base_commit": sha, "instance_id": "Owner-1__repo.name__%s__%d" % (sha[:8], k)}
    for f, v in want.items():
        if r.get(f) != v:
            errs.append("row %d: %s %r, want %r" % (k, f, r.get(f), v))
    path = r.get("target_function_file") or r.get("file_path")
    if path != "src/pkg/mod.py":
        errs.append("row %d: path %r, want src/pkg/mod.py" % (k, path))
print("; ".join(errs))
PY
)
  if [ -z "$got" ]; then ok; else fail "$what: $got"; fi
  # Hybrid-Gym's steps on the rows, pinned: the clone's repo, commit and paths, removal, masking
  if "$PYTHON" tests/pipeline_check.py -i "$idx" "$tmp/rows.jsonl" "$1" > "$tmp/rows.pipeline" 2>&1; then ok; else
    fail "$what: tests/pipeline_check.py: $(cat "$tmp/rows.pipeline")"
  fi
}
for t in dep_search func_localize func_gen; do
  synth_rows "$t rows of a subdirectory" "$tmp/b.idx" "$t"
  synth_rows "$t rows with --root" "$tmp/c.idx" "$t"
done
unpinned() { # WHAT INDEX REASON: refused, with the reason, nothing written; written with --allow-unpinned
  rm -f "$tmp/rows.jsonl"
  if "$BIN/hgym-synth" -q -i "$2" dep_search -o "$tmp/rows.jsonl" 2> "$tmp/rows.err"; then
    fail "$1: hgym-synth wrote the rows of an unpinned repository"
  elif [ $? -eq 2 ] && grep -q "is not pinned: $3" "$tmp/rows.err" && grep -q -- "--allow-unpinned" "$tmp/rows.err" &&
    [ ! -e "$tmp/rows.jsonl" ]; then
    ok
  else
    fail "$1: not refused with the reason '$3' (or the output was created): $(cat "$tmp/rows.err")"
  fi
  "$BIN/hgym-synth" -q -i "$2" dep_search --allow-unpinned -o "$tmp/rows.jsonl" 2> "$tmp/rows.err" && ok ||
    fail "$1: --allow-unpinned: $(cat "$tmp/rows.err")"
}
unpinned "an ignored directory" "$tmp/h.idx" "its name is not owner/name and it has no commit"
unpinned "--commit abc" "$tmp/g.idx" "its commit is not a full SHA"
index "$tmp/n.idx" "$co/build/lib/pkg" --name o/n && unpinned "--name o/n, no commit" "$tmp/n.idx" "it has no commit"
index "$tmp/n2.idx" "$co/build/lib/pkg" --commit "$sha" &&
  unpinned "no owner/name" "$tmp/n2.idx" "its name is not owner/name"
# issue_localize: a row of an unpinned repository is dropped, with the reason
printf '{"repo": "o/n", "base_commit": "", "problem_statement": "x", "patch": ""}\n' > "$tmp/issues.jsonl"
if "$BIN/hgym-synth" -i "$tmp/n.idx" issue_localize --input "$tmp/issues.jsonl" -o "$tmp/rows.jsonl" \
  2> "$tmp/rows.err" && [ ! -s "$tmp/rows.jsonl" ] && grep -q "issues.jsonl:1: repository 'o/n' .* is not pinned" \
  "$tmp/rows.err" && grep -q "dropped        1  repository not pinned" "$tmp/rows.err"; then
  ok
else
  fail "issue_localize of an unpinned repository: $(cat "$tmp/rows.err")"
fi

# ---- every form of a GitHub URL; other hosts give the directory's name ---------------------------
while read -r url want; do
  g "$co" remote set-url origin "$url"
  index "$tmp/u.idx" "$co/src/pkg" && check "origin $url" "$tmp/u.idx" "$want" "$sha" "$real_co" src/pkg/mod.py pkg.mod
done << 'URLS'
https://github.com/pallets/flask pallets/flask
https://github.com/pallets/flask.git pallets/flask
https://github.com/pallets/flask/ pallets/flask
http://www.github.com/pallets/flask.git pallets/flask
https://user:token@github.com/pallets/flask.git pallets/flask
git@github.com:pallets/flask.git pallets/flask
github.com:pallets/flask pallets/flask
ssh://git@github.com/pallets/flask.git pallets/flask
ssh://git@ssh.github.com:443/pallets/flask.git pallets/flask
git://github.com/pallets/flask.git pallets/flask
https://gitlab.com/pallets/flask.git pkg
/srv/git/flask.git pkg
URLS
g "$co" remote remove origin
index "$tmp/u.idx" "$co" && check "no origin" "$tmp/u.idx" co "$sha" "$co" src/pkg/mod.py pkg.mod
g "$co" remote add origin git@github.com:Owner-1/repo.name.git

# ---- refs: packed, detached; index versions; a worktree -------------------------------------------
printf '\n' >> "$co/src/pkg/__init__.py"
g "$co" commit -qam "second"
sha2=$(g "$co" rev-parse HEAD)
g "$co" pack-refs --all --prune
[ ! -e "$co/.git/refs/heads/$(g "$co" symbolic-ref --short HEAD)" ] && ok || fail "pack-refs left a loose ref"
index "$tmp/p.idx" "$co/src/pkg" && check "packed refs" "$tmp/p.idx" Owner-1/repo.name "$sha2" "$real_co" src/pkg/mod.py pkg.mod
g "$co" checkout -q --detach "$sha"
index "$tmp/p.idx" "$co/src/pkg" && check "a detached HEAD" "$tmp/p.idx" Owner-1/repo.name "$sha" "$real_co" src/pkg/mod.py pkg.mod
g "$co" checkout -q -
for v in 2 3 4; do
  g "$co" update-index --index-version "$v"
  if [ "$v" = 3 ]; then # version 3 is written when an entry has extended flags: an intent-to-add
    printf 'x = 1\n' > "$co/src/pkg/new.py"
    g "$co" add -N src/pkg/new.py
  fi
  got=$(od -An -tu1 -j7 -N1 "$co/.git/index" | tr -d ' ')
  [ "$got" = "$v" ] && ok || fail "the git index is version $got, wanted $v"
  index "$tmp/v.idx" "$co/src/pkg" &&
    check "index version $v" "$tmp/v.idx" Owner-1/repo.name "$sha2" "$real_co" src/pkg/mod.py pkg.mod
done
g "$co" worktree add -q "$tmp/wt" "$sha" 2> /dev/null
index "$tmp/w.idx" "$tmp/wt/src/pkg" &&
  check "a worktree" "$tmp/w.idx" Owner-1/repo.name "$sha" "$(cd "$tmp/wt" && pwd -P)" src/pkg/mod.py pkg.mod

if g "$tmp" init -q --object-format=sha256 sha256 2> /dev/null; then
  mkdir -p "$tmp/sha256/lib"
  printf 'def f():\n    return 1\n' > "$tmp/sha256/lib/m.py"
  g "$tmp/sha256" add lib
  g "$tmp/sha256" commit -qm one
  g "$tmp/sha256" remote add origin https://github.com/o/sha
  index "$tmp/s.idx" "$tmp/sha256/lib" &&
    check "a SHA-256 repository" "$tmp/s.idx" o/sha "$(g "$tmp/sha256" rev-parse HEAD)" \
      "$(cd "$tmp/sha256" && pwd -P)" lib/m.py m
else
  echo "git_identity: note: this git cannot make a SHA-256 repository; that case is left out"
fi

echo "git_identity: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

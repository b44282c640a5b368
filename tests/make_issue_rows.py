#!/usr/bin/env python3
"""Write issue_localize input rows whose patches are made with difflib from real files.

usage: make_issue_rows.py ROOT REPO COMMIT [--rows N] [--seed S] > rows.jsonl

Picks files of the repository at ROOT (deterministically, from --seed) and, for
each row, edits one or two of them at random lines (a line changed, a line
inserted, a line removed), then writes the unified diff (difflib, 3 lines of
context or none) as {repo, base_commit, problem_statement, patch}.  Some rows
also touch a test file or create a new file.  The script knows which old
lines it edited, and checks that the patch parser of the test oracle
(tests/golden_synth/expect.py) finds exactly those in the diff, so the
oracle that synth_check.py applies to hgym's rows is itself checked on real
diffs.  Exit status 1 if it does not.
"""
import difflib
import importlib.util
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("golden_synth_expect", os.path.join(HERE, "golden_synth", "expect.py"))
X = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(X)


def py_files(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith(".") and x not in ("__pycache__", "site-packages"))
        for f in sorted(files):
            if f.endswith(".py"):
                out.append(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))
    return out


def read_lines(root, path):
    with open(os.path.join(root, path), "rb") as f:
        data = f.read()
    try:
        return [b.decode("utf-8") for b in data.splitlines(keepends=True)]
    except UnicodeDecodeError:
        return None


def edit(lines, rng, k):
    """k edits at distinct places: (new lines, the old lines each edit marks)."""
    new = list(lines)
    marks = []
    # a line whose neighbours differ from it, so difflib cannot shift the edit
    ok = [i for i in range(1, len(lines) - 1)
          if lines[i].strip() and lines[i] != lines[i - 1] and lines[i] != lines[i + 1]]
    places = []
    for i in rng.sample(ok, min(4 * k, len(ok))):  # at least 3 lines apart: adjacent edits read ambiguously
        if len(places) < k and all(abs(i - j) >= 3 for j in places):
            places.append(i)
    places.sort(reverse=True)
    for i in places:  # from the bottom, so earlier indices stay valid
        kind = rng.choice(("change", "insert", "remove"))
        if kind == "change":
            new[i] = lines[i].rstrip("\r\n") + "  # hgym-changed\n"
        elif kind == "insert":
            new.insert(i + 1, "# hgym-inserted after old line %d\n" % i)
        else:
            del new[i]
        marks.append(i)
    # edits close together can share a hunk; the marks stay the same
    return new, sorted(marks)


def diff(path, old, new, context, created=False):
    a = "/dev/null" if created else "a/" + path
    out = []
    for line in difflib.unified_diff(old, new, a, "b/" + path, n=context):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root, repo, commit = argv[:3]
    n_rows, seed = 20, 0
    rest = argv[3:]
    for i in range(0, len(rest) - 1, 2):
        if rest[i] == "--rows":
            n_rows = int(rest[i + 1])
        elif rest[i] == "--seed":
            seed = int(rest[i + 1])
    rng = random.Random(seed)
    files = py_files(root)
    tests = [p for p in files if X.is_test_path(p)]
    plain = [p for p in files if not X.is_test_path(p)]
    bad = 0
    for r in range(n_rows):
        picks = rng.sample(plain, 2 if r % 3 == 0 else 1)
        if r % 5 == 0 and tests:
            picks.append(rng.choice(tests))
        patch, truth = [], []
        for path in picks:
            lines = read_lines(root, path)
            if not lines or len(lines) < 10:
                continue
            new, marks = edit(lines, rng, rng.randint(1, 3))
            patch.append(diff(path, lines, new, 3 if r % 2 == 0 else 0))
            truth.append((path, marks))
        if r % 7 == 0:
            path = "hgym_new_%d.py" % r
            patch.append(diff(path, [], ["def added():\n", "    return %d\n" % r], 3, created=True))
            truth.append((path, [0, 0]))
        text = "".join(patch)
        got = [(p, sorted(set(c))) for p, c in X.patch_files(text)]
        want = [(p, sorted(set(m))) for p, m in truth]
        if got != want:
            bad += 1
            print("make_issue_rows: row %d: the oracle reads %s from the diff, the edits were %s" % (r, got, want),
                  file=sys.stderr)
        print(json.dumps({"repo": repo, "base_commit": commit,
                          "problem_statement": "hgym synthetic issue %d: edits in %s" % (r, ", ".join(picks)),
                          "patch": text}, ensure_ascii=False))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

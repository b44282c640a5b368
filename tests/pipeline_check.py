#!/usr/bin/env python3
"""Replay what Hybrid-Gym's own scripts do with hgym-synth rows, and check each row survives it.

usage: pipeline_check.py -i INDEX [--allow-unpinned] [--input FILE] [--max-errors N]
                         ROWS.jsonl TASK [ROWS.jsonl TASK...]

Hybrid-Gym's code is not at hand: each rule below is written again here from its
description (../shared/hybrid-gym.md, issue 13), sharing no code with hgym.  The
files are read from the root `hgym-query -i INDEX repos` gives each repository.

  every row     the task clones github.com/{repo} at base_commit: repo is owner/name
                and base_commit a full SHA (40 or 64 hex digits; for issue_localize,
                the input's, which may be a prefix of 7 or more of the indexed one),
                unless --allow-unpinned; every path names a file under the root
  dep_search    a perfect agent writes a comment line right above each dependency's
                decorator_line (indented like it); the file still parses to the same
                ast, and the grader, which takes a comment within 5 lines above a
                decorator_line (inserted before lines decorator_line-5 ..
                decorator_line) as that dependency's, finds exactly one comment for
                each dependency and no comment that two dependencies could claim
  func_localize the task deletes lines docstring_line_start..docstring_line_end with
                sed (lines split at "\\n" only); the file still parses, and its ast is
                the original's with exactly the target's docstring statement gone
                (each target of a --multi row)
  func_gen      the masking step finds the target by func_name split once on ".":
                the first module-level `class` of that name, then the first `def` of
                the method's name directly in its body (or the first module-level
                `def` of the name); it must be the row's target (line_start).  It
                keeps the lines up to the docstring's last line, replaces the rest of
                the body by one `pass` line indented like the line after the
                docstring (as the pipeline does), and keeps what follows: the file
                must parse, with the target's body the docstring and `pass` and
                nothing else changed.  orig_context is the file.
  issue_localize  repo and base_commit as above; every field of the input row is in
                the output row unchanged, byte for byte (with --input: the row's text
                starts with the input object's text); gold_files exist (or the patch
                creates them); module_level_only is true exactly when gold_functions
                is empty (an input that has gold_files, gold_functions or
                module_level_only gets hgym's instead: its other fields keep their
                values)

A def is parsed on its own (dedented) when the whole file need not be: a change
inside one def's lines leaves the tokenizer's state at its end as it was, so the
file parses when the changed def does and its ast equals what is expected; a file
with a carriage return that does not end a CRLF (sed and Python count its lines
differently) is handled whole.  Exit status: 0 every row passes, 1 a row fails,
2 usage or an unreadable file.
"""
import ast
import copy
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHA = re.compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")
OWNER_NAME = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
WINDOW = 5  # the grader takes a comment within 5 lines above a dependency's decorator_line


def dump(node):
    return ast.dump(node, include_attributes=False)


def pinned(repo, commit):
    return (isinstance(repo, str) and OWNER_NAME.fullmatch(repo) and repo.split("/")[0] not in (".", "..")
            and repo.split("/")[1] not in (".", "..") and isinstance(commit, str) and SHA.fullmatch(commit))


def lone_cr(data):
    return b"\r" in data.replace(b"\r\n", b"")


def defs_of(tree):
    """Every def and class of a module, with its statement-list parent: (node, parent body)."""
    out = []
    stack = [tree]
    while stack:
        n = stack.pop()
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for c in getattr(n, field, None) or ():
                if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    out.append(c)
                stack.append(c)
    return out


def first_line(node):
    """0-indexed first line of a def or class, its decorators included."""
    return min([d.lineno - 1 for d in node.decorator_list] + [node.lineno - 1])


class File:
    """A file's bytes (sed's lines, with their ends) and its ast."""

    def __init__(self, data):
        self.data = data
        self.lines = data.split(b"\n")
        self.lines = [x + b"\n" for x in self.lines[:-1]] + ([self.lines[-1]] if self.lines[-1] else [])
        self.tree = ast.parse(data)
        self.lone_cr = lone_cr(data)
        self.defs = defs_of(self.tree)

    def def_at(self, line, name):
        """The def or class whose def/class line is the 0-indexed line and name is name."""
        for d in self.defs:
            if d.lineno - 1 == line and d.name == name:
                return d
        return None


def chunk_check(f, node, new_lines, first, last, transform):
    """new_lines replace lines first..last (0-indexed, inclusive) of node's span in f: parse the
    changed def (dedented) or the whole file, and compare its ast with node as transform (given a
    copy) says it should become.  Returns an error message or None."""
    lo, hi = first_line(node), node.end_lineno - 1
    if f.lone_cr or not (lo <= first and last <= hi):
        return whole_check(f, new_lines, first, last, node, transform)
    indent = re.match(rb"[ \t]*", f.lines[lo]).group()

    def dedent(lines):
        return b"".join(x[len(indent):] if x.startswith(indent) else x for x in lines)

    old = f.lines[lo:hi + 1]
    new = f.lines[lo:first] + new_lines + f.lines[last + 1:hi + 1]
    try:
        t_old = ast.parse(dedent(old))
    except SyntaxError:
        return whole_check(f, new_lines, first, last, node, transform)
    if len(t_old.body) != 1:
        return whole_check(f, new_lines, first, last, node, transform)
    try:
        t = ast.parse(dedent(new))
    except SyntaxError as e:
        return "the changed file does not parse: %s (line %s of the definition)" % (e.msg, e.lineno)
    want = transform(copy.deepcopy(t_old.body[0]))
    if len(t.body) != 1 or dump(t.body[0]) != dump(want):
        return "the change alters more than the target: %s" % describe_diff(t.body, [want])
    return None


def whole_check(f, new_lines, first, last, node, transform):
    data = b"".join(f.lines[:first] + new_lines + f.lines[last + 1:])
    try:
        t = ast.parse(data)
    except SyntaxError as e:
        return "the changed file does not parse: %s (line %s)" % (e.msg, e.lineno)
    want = copy.deepcopy(f.tree, {id(node): transform(copy.deepcopy(node))})
    if dump(t) != dump(want):
        return "the change alters more than the target"
    return None


def describe_diff(got, want):
    a = [type(x).__name__ for x in got]
    b = [type(x).__name__ for x in want]
    return "got %s, want %s" % (a, b) if a != b else "statements differ"


def without_docstring(node):
    node.body = node.body[1:]
    return node


def removal(f, node, l0, l1):
    """Hybrid-Gym's func_localize step: `sed -i 'A,Bd'` of the docstring's lines.  None when the
    file stays valid with exactly node's docstring statement gone, else what went wrong."""
    c = node.body[0] if node.body else None
    if not (isinstance(c, ast.Expr) and isinstance(c.value, ast.Constant) and isinstance(c.value.value, str)):
        return "the target's first statement is not a docstring"
    if (c.lineno - 1, c.end_lineno - 1) != (l0, l1):
        return "docstring lines %d-%d, the ast has %d-%d" % (l0, l1, c.lineno - 1, c.end_lineno - 1)
    if not node.body[1:]:
        return "the body is only the docstring: deleting it leaves no statement"
    return chunk_check(f, node, [], l0, l1, without_docstring)


def mask_find(tree, func_name):
    """The masking step's look-up: func_name split once on "."; a module-level class, then the
    first def of that name directly in its body; or the first module-level def."""
    if "." in func_name:
        cls, meth = func_name.split(".", 1)
        c = next((x for x in tree.body if isinstance(x, ast.ClassDef) and x.name == cls), None)
        if c is None:
            return None
        return next((x for x in c.body if isinstance(x, (ast.FunctionDef, ast.AsyncFunctionDef)) and x.name == meth),
                    None)
    return next((x for x in tree.body if isinstance(x, (ast.FunctionDef, ast.AsyncFunctionDef)) and x.name == func_name),
                None)


def masking(f, func_name, line_start):
    """Hybrid-Gym's func_gen masking: None when it finds the row's target and leaves a valid file
    with only the target's body (after the docstring) replaced by `pass`, else what went wrong."""
    node = mask_find(f.tree, func_name)
    if node is None:
        return "the masking step finds no def %r" % func_name
    if node.lineno - 1 != line_start:
        return "the masking step finds %r at line %d, not the target at line %d" % (func_name, node.lineno - 1,
                                                                                    line_start)
    c = node.body[0]
    if not (isinstance(c, ast.Expr) and isinstance(c.value, ast.Constant) and isinstance(c.value.value, str)):
        return "the target has no docstring to keep"
    after = c.end_lineno  # 0-indexed: the first line after the docstring
    last = node.end_lineno - 1
    if after > last:
        return "nothing after the docstring to mask"
    indent = re.match(rb"[ \t]*", f.lines[after] if after < len(f.lines) else b"").group()
    def masked(n):
        n.body = [n.body[0], ast.Pass()]
        return n

    return chunk_check(f, node, [indent + b"pass\n"], after, last, masked)


def dep_comments(f, deps, cache):
    """A perfect dep_search agent: a comment line above each dependency's decorator_line (all of one
    file at once); the file must keep its ast, and the grader must match each comment to one
    dependency.  deps: [(decorator_line, node)]; cache: decorator_line -> the result of the
    comment above it (one parse per dependency, however many rows list it).  Returns an error
    message or None."""
    # the grader: a comment inserted before line p is within 5 lines above decorator_line d when
    # d - WINDOW <= p <= d; each dependency needs one, and no comment may serve two
    for i, (d, _) in enumerate(deps):
        claim = [e for j, (e, _) in enumerate(deps) if j != i and e - WINDOW <= d <= e]
        if claim:
            return "the comment above line %d is within %d lines of another dependency's line %d: ungradeable" % (
                d, WINDOW, claim[0])
    for d, node in deps:
        if d not in cache:
            indent = re.match(rb"[ \t]*", f.lines[d]).group()
            cache[d] = chunk_check(f, node, [indent + b"# a dependency of the target\n", f.lines[d]], d, d,
                                   lambda n: n)
        if cache[d]:
            return cache[d]
    return None


class Checker:
    def __init__(self, index, opts):
        self.opts = opts
        out = subprocess.run([os.path.join(HERE, "..", "bin", "hgym-query"), "-i", index, "repos"],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit("pipeline_check: hgym-query -i %s repos: %s" % (index, out.stderr.strip()))
        self.repos = {}
        for line in out.stdout.splitlines():
            r = json.loads(line)
            self.repos[r["repo"]] = r
        self.files = {}
        self.dep_cache = {}  # (repo, path) -> {decorator_line: error or None}
        self.errors = self.printed = self.rows = self.checked = 0

    def fail(self, n, msg):
        self.errors += 1
        if self.printed < self.opts["max_errors"]:
            self.printed += 1
            print("pipeline_check: %s row %d: %s" % (self.task, n, msg))

    def ok(self, cond, n, msg):
        if cond:
            self.checked += 1
        else:
            self.fail(n, msg)
        return cond

    def file(self, repo, path):
        key = (repo, path)
        if key not in self.files:
            if len(self.files) > 512:
                self.files.clear()
                self.dep_cache.clear()
            try:
                with open(os.path.join(self.repos[repo]["root"], path), "rb") as fh:
                    self.files[key] = File(fh.read())
            except (OSError, SyntaxError, ValueError) as e:
                self.files[key] = e
        return self.files[key]

    def head(self, n, row):
        repo = row.get("repo")
        if not self.ok(repo in self.repos, n, "repo %r is not in the index" % repo):
            return None
        commit = row.get("base_commit")
        if self.task == "issue_localize" and isinstance(commit, str) and len(commit) >= 7:
            # the input's own base_commit, which names the indexed commit by a prefix git resolves
            indexed = self.repos[repo]["commit"]
            commit = indexed if indexed.startswith(commit) else commit
        if not self.opts["allow_unpinned"]:
            self.ok(pinned(repo, commit), n, "github.com/%s at %r cannot be cloned: not owner/name at a full SHA" %
                    (repo, row.get("base_commit")))
        return repo

    def get(self, n, repo, path):
        f = self.file(repo, path) if isinstance(path, str) else None
        if not self.ok(isinstance(f, File), n, "%s: no such file under the root, or it does not parse: %s" % (path, f)):
            return None
        return f

    # ---- tasks ----

    def dep_search(self, n, row):
        repo = self.head(n, row)
        if repo is None:
            return
        self.get(n, repo, row.get("target_function_file"))
        by_file = {}
        for dep in row.get("dependencies", []):
            f = self.get(n, repo, dep.get("file_path"))
            if f is None:
                return
            node = f.def_at(dep.get("line_start"), dep.get("name"))
            if not self.ok(node is not None and first_line(node) == dep.get("decorator_line"), n,
                           "dependency %s: no def at line %s with decorator_line %s" % (
                               dep.get("qualname"), dep.get("line_start"), dep.get("decorator_line"))):
                return
            by_file.setdefault(dep["file_path"], []).append((dep["decorator_line"], node))
        for path, deps in by_file.items():
            err = dep_comments(self.file(repo, path), deps, self.dep_cache.setdefault((repo, path), {}))
            self.ok(err is None, n, "%s: %s" % (path, err))

    def localize_item(self, n, repo, item):
        f = self.get(n, repo, item.get("file_path"))
        if f is None:
            return
        node = f.def_at(item.get("module_line_start"), item.get("module_name"))
        if not self.ok(node is not None, n, "no def or class %r at line %s" % (item.get("module_name"),
                                                                               item.get("module_line_start"))):
            return
        err = removal(f, node, item.get("docstring_line_start"), item.get("docstring_line_end"))
        self.ok(err is None, n, "%s:%s: removing the docstring: %s" % (item.get("file_path"), item.get("qualname"), err))

    def func_localize(self, n, row):
        repo = self.head(n, row)
        if repo is None:
            return
        for item in row.get("functions", [row]):
            self.localize_item(n, repo, item)

    def func_gen(self, n, row):
        repo = self.head(n, row)
        if repo is None:
            return
        f = self.get(n, repo, row.get("file_path"))
        if f is None:
            return
        self.ok(row.get("orig_context", "").encode() == f.data, n, "orig_context is not the file")
        err = masking(f, row.get("func_name", ""), row.get("line_start"))
        self.ok(err is None, n, "%s:%s: masking: %s" % (row.get("file_path"), row.get("func_name"), err))

    def issue_localize(self, n, row, raw, inputs):
        repo = self.head(n, row)
        if repo is None:
            return
        created, lines = set(), row.get("patch", "").split("\n")
        for a, b in zip(lines, lines[1:]):
            if a.startswith("--- /dev/null") and b.startswith("+++ "):
                path = b[4:].split("\t")[0]
                created.add(path[2:] if path[:2] in ("a/", "b/") else path)
        for path in row.get("gold_files", []):
            self.ok(path in created or os.path.exists(os.path.join(self.repos[repo]["root"], path)), n,
                    "gold file %s is not under the root" % path)
        self.ok(row.get("module_level_only") is (row.get("gold_functions") == []), n,
                "module_level_only %r with %d gold functions" % (row.get("module_level_only"),
                                                                 len(row.get("gold_functions") or [])))
        if inputs is not None:
            key = tuple(row.get(k) for k in ("repo", "base_commit", "problem_statement", "patch"))
            src = inputs.get(key)
            if self.ok(src is not None, n, "no input row with this repo, base_commit, problem_statement and patch"):
                obj = json.loads(src)
                own = ("gold_files", "gold_functions", "module_level_only")
                if any(k in obj for k in own):  # hgym replaces its own fields: the others keep their values
                    self.ok(all(row.get(k) == v for k, v in obj.items() if k not in own), n,
                            "the input's fields are not passed through")
                else:
                    head = src.strip()
                    head = head[:-1] if head.endswith("}") else head
                    self.ok(raw.startswith(head) and raw[len(head):len(head) + 1] == ",", n,
                            "the input's fields are not passed through byte for byte")


def check_file(ck, path, task, inputs):
    ck.task = task
    ck.rows = ck.checked = ck.errors = ck.printed = 0
    with open(path, encoding="utf-8") as fh:
        rows = []
        for n, line in enumerate(fh, 1):
            try:
                rows.append((n, json.loads(line), line))
            except ValueError as e:
                ck.fail(n, "not JSON: %s" % e)
    # by file, so that each file is read and parsed once
    def key(x):
        r = x[1]
        return (r.get("repo") or "", r.get("target_function_file") or r.get("file_path") or
                ((r.get("functions") or [{}])[0].get("file_path")) or "")
    for n, row, line in sorted(rows, key=key):
        ck.rows += 1
        if task == "issue_localize":
            ck.issue_localize(n, row, line, inputs)
        else:
            getattr(ck, task)(n, row)
    print("pipeline_check: %s %s: %d rows, %d checks passed, %d failed" % (task, path, ck.rows, ck.checked, ck.errors))
    return ck.errors > 0


def main(argv):
    opts = {"allow_unpinned": False, "max_errors": 20}
    index, inp, pos = None, None, []
    it = iter(argv)
    for a in it:
        if a in ("-i", "--index"):
            index = next(it, None)
        elif a == "--allow-unpinned":
            opts["allow_unpinned"] = True
        elif a == "--input":
            inp = next(it, None)
        elif a == "--max-errors":
            opts["max_errors"] = int(next(it, "20"))
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            pos.append(a)
    pairs = list(zip(pos[0::2], pos[1::2]))
    tasks = ("dep_search", "func_localize", "func_gen", "issue_localize")
    if not index or not pairs or len(pos) % 2 or any(t not in tasks for _, t in pairs):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    inputs = None
    if inp:
        inputs = {}
        with open(inp, encoding="utf-8") as fh:
            for line in fh:
                try:
                    o = json.loads(line)
                except ValueError:
                    continue
                if isinstance(o, dict):
                    inputs[tuple(o.get(k) for k in ("repo", "base_commit", "problem_statement", "patch"))] = line
    ck = Checker(index, opts)
    failed = False
    for path, task in pairs:
        failed |= check_file(ck, path, task, inputs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

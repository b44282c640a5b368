#!/usr/bin/env python3
"""Check every field of hgym-synth rows against the source files, with Python's ast.

usage: synth_check.py -i INDEX [OPTIONS] ROWS.jsonl TASK [ROWS.jsonl TASK...]

TASK is dep_search, func_localize, func_gen or issue_localize.  Each row's
repository is looked up in INDEX (`hgym-query -i INDEX repos` gives its root
and commit) and every field is checked against the files under that root:

  all rows        instance_id is `{repo with / as __}__{base_commit[:8]}__{n}` (or,
                  for issue_localize, the input's own), unique, n counting a
                  repository's rows from 0; repo and base_commit are the index's
  definitions     (the target, each dependency, each gold function, each
                  localize item) a def/class of that name at exactly line_start
                  (its `def`/`class` line, 0-indexed), line_end = end_lineno - 1,
                  decorator_line = first decorator's line or line_start, type,
                  qualname (`A.b`, `f.<locals>.g`)
  dep_search      dependencies: no duplicates, not the target, not nested in it,
                  scope (intra-class / intra-file / cross-file), each called by
                  the target (its name, or an alias it was imported as, is
                  called in the target's code or decorators; `cls`/`self` calls
                  for the class itself); num_dependencies; the filters: public
                  name, dependency count bounds, no ambiguous dependency, not a
                  test file
  func_localize   the docstring is the first body statement: its raw text (between
                  the quotes, parts of a concatenation joined) and its lines;
                  function_description is its first sentence with the name
                  masked (docs/tasks/func_localize.md), description_source;
                  --multi rows: 2-3 targets from different files, n_functions
  func_gen        func_name is the qualname; func_signature, func_docstring_raw,
                  func_body (the lines after the docstring to the end) and
                  orig_context (the whole file) are the file's text; file_imports
                  are the module-level imports; dependencies as for dep_search;
                  the filters: a function or method not nested in a function, a
                  parameter besides self/cls, a `return VALUE` of its own, more
                  than two statements after the docstring, not trivial, at most
                  --max-lines lines, not a test file
  issue_localize  the input fields are kept; gold_files are the non-test files the
                  patch touches; gold_functions the innermost definitions around
                  each changed line (re-derived from the patch and the file)

Options (the ones the rows were made with, for the filter checks):
  --min-deps N --max-deps N --allow-private --allow-ambiguous --include-tests
  --count-bare-decorators --allow-unresolved
  --allow-unpinned (without it, repo must be owner/name and base_commit a full SHA)
  --max-lines N (func_gen default 25; 0: none) --min-lines N
  --max-errors N   errors printed (default 20; all are counted)
  --input FILE     issue_localize: the input rows, whose fields each row must keep
  --seed, --per-repo, --max-instances, --repo, --multi are accepted and ignored, so
  a run's own options can be passed as they are.
Exit status: 0 every row passes, 1 a check failed, 2 usage or unreadable input.
"""
import ast
import bisect
import importlib.util
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("golden_synth_expect", os.path.join(HERE, "golden_synth", "expect.py"))
X = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(X)  # helpers independent of hgym: Source, docstring rules, describe, patch parser

TASKS = ("dep_search", "func_localize", "func_gen", "issue_localize")
INPUT_KEY = ("repo", "base_commit", "problem_statement", "patch")


STMT_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def stmt_children(node):
    for f in STMT_FIELDS:
        for c in getattr(node, f, None) or ():
            yield c


class Def:
    __slots__ = ("node", "name", "qualname", "kind", "line_start", "line_end", "decorator_line", "parent",
                 "parent_kinds", "cls")


class File:
    """A parsed file: its defs in pre-order, by def line."""

    def __init__(self, root, path):
        self.path = path
        self.src = X.Source(root, path)
        self.tree = ast.parse(self.src.data, filename=path)
        self.defs = []
        self.by_line = {}
        self._walk(self.tree, None, "", [])
        self.imports = None

    def _walk(self, node, parent, prefix, kinds):
        # definitions are statements: follow statement lists only (bodies, else/finally
        # blocks, handlers, match cases), not expressions
        for c in stmt_children(node):
            if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                d = Def()
                d.node = c
                d.name = c.name
                d.qualname = prefix + c.name
                d.kind = "class" if isinstance(c, ast.ClassDef) else "function"
                d.line_start = c.lineno - 1
                d.line_end = c.end_lineno - 1
                d.decorator_line = min([x.lineno - 1 for x in c.decorator_list] + [d.line_start])
                d.parent = parent
                d.parent_kinds = kinds
                d.cls = parent if parent is not None and parent.kind == "class" else None
                self.defs.append(d)
                self.by_line.setdefault(d.line_start, []).append(d)
                self._walk(c, d, d.qualname + (".<locals>." if d.kind == "function" else "."), kinds + [d.kind])
            else:
                self._walk(c, parent, prefix, kinds)

    def innermost(self, line):
        best = None
        for d in self.defs:
            if d.decorator_line <= line <= d.line_end:
                best = d  # pre-order: a later match is nested deeper
        return best

    def aliases(self):
        """name -> the other names it is bound to anywhere in the file: by an import
        (`from m import f as g`, `import a.f as g`) or by an assignment of the bare
        name or an attribute (`g = f`, `x.g = m.f`, `g = h = C.f`), or as a parameter's
        default (`def h(g=f)`)."""
        if self.imports is None:
            self.imports = {}
            for n in ast.walk(self.tree):
                if isinstance(n, (ast.Import, ast.ImportFrom)):
                    for a in n.names:
                        base = a.name.split(".")[-1]
                        self.imports.setdefault(base, set()).add(a.asname or a.name.split(".")[0])
                elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):  # def f(x=g): x may be g
                    a = n.args
                    pos = a.posonlyargs + a.args
                    pairs = list(zip(pos[len(pos) - len(a.defaults):], a.defaults)) + list(zip(a.kwonlyargs, a.kw_defaults))
                    for arg, dv in pairs:
                        if isinstance(dv, (ast.Name, ast.Attribute)):
                            self.imports.setdefault(dv.id if isinstance(dv, ast.Name) else dv.attr, set()).add(arg.arg)
                elif isinstance(n, (ast.Assign, ast.AnnAssign)) and isinstance(n.value, (ast.Name, ast.Attribute)):
                    v = n.value.id if isinstance(n.value, ast.Name) else n.value.attr
                    for t in (n.targets if isinstance(n, ast.Assign) else [n.target]):
                        if isinstance(t, ast.Name):
                            self.imports.setdefault(v, set()).add(t.id)
                        elif isinstance(t, ast.Attribute):
                            self.imports.setdefault(v, set()).add(t.attr)
        return self.imports


# for Checker.closure_in_repo: an assignment of a (dotted) name, its targets; `x as y`;
# `name=default` in a signature or a call
RX_ASSIGN = re.compile(r"^[ \t]*((?:[A-Za-z_][\w.]*[ \t]*(?::[^=\n]*)?=[ \t]*)+)"
                       r"(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)[ \t]*(?:#.*)?$", re.M)
RX_TARGET = re.compile(r"([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=")
RX_AS = re.compile(r"\b([A-Za-z_]\w*)[ \t]+as[ \t]+([A-Za-z_]\w*)")
RX_DEFAULT = re.compile(r"\b([A-Za-z_]\w*)[ \t]*(?::[^=,()\n]*)?=[ \t]*(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)[ \t]*[,)]")


def closure(names, maps):
    """names and every name they are bound to through the alias maps, transitively."""
    out, todo = set(names), list(names)
    while todo:
        x = todo.pop()
        for m in maps:
            for y in m.get(x, ()):
                if y not in out:
                    out.add(y)
                    todo.append(y)
    return out


def names_word(text, name):
    """Does name occur in text as a whole identifier?"""
    def ident(ch):
        return ch == "_" or ch.isalnum()
    i = text.find(name)
    while i >= 0:
        j = i + len(name)
        if (i == 0 or not ident(text[i - 1])) and (j == len(text) or not ident(text[j])):
            return True
        i = text.find(name, i + 1)
    return False


class Checker:
    def __init__(self, index, opts):
        self.opts = opts
        self.repos = {}
        out = subprocess.run([os.path.join(HERE, "..", "bin", "hgym-query"), "-i", index, "repos"],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit("synth_check: hgym-query -i %s repos: %s" % (index, out.stderr.strip()))
        for line in out.stdout.splitlines():
            r = json.loads(line)
            self.repos[r["repo"]] = r
        self.index = index
        self.files = {}
        self.repo_alias = {}
        self.errors = 0
        self.printed = 0
        self.rows = 0
        self.checked = 0  # individual checks passed

    def fail(self, row_no, msg):
        self.errors += 1
        if self.printed < self.opts["max_errors"]:
            self.printed += 1
            print("synth_check: row %d: %s" % (row_no, msg))

    def ok(self, cond, row_no, msg):
        if cond:
            self.checked += 1
        else:
            self.fail(row_no, msg)
        return cond

    def file(self, repo, path):
        key = (repo, path)
        if key not in self.files:
            root = self.repos[repo]["root"]
            try:
                self.files[key] = File(root, path)
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as e:
                self.files[key] = e
        return self.files[key]

    # ---- shared pieces ----

    def check_def(self, n, repo, obj, keys, what):
        """obj names a def: (name, file, line_start, line_end, type, decorator_line, qualname) under
        keys.  Returns (File, Def) or (None, None)."""
        name, path, ls, le, typ, dl, qual = (obj.get(k) if k else None for k in keys)
        f = self.file(repo, path) if isinstance(path, str) else None
        if not self.ok(isinstance(f, File), n, "%s: %s cannot be read or parsed: %s" % (what, path, f)):
            return None, None
        cands = [d for d in f.by_line.get(ls, []) if d.name == name]
        if not self.ok(len(cands) >= 1, n, "%s: no def/class %r at line %s of %s (found %s)" %
                       (what, name, ls, path, [d.name for d in f.by_line.get(ls, [])] or "nothing")):
            return None, None
        d = cands[0]
        self.ok(le == d.line_end, n, "%s %s:%s: line_end %s, the def ends at %d" % (what, path, name, le, d.line_end))
        if typ is not None:
            self.ok(typ == d.kind, n, "%s %s:%s: type %s, it is a %s" % (what, path, name, typ, d.kind))
        if keys[5]:
            self.ok(dl == d.decorator_line, n, "%s %s:%s: decorator_line %s, want %d" %
                    (what, path, name, dl, d.decorator_line))
        if keys[6]:
            self.ok(qual == d.qualname, n, "%s %s:%s: qualname %r, want %r" % (what, path, name, qual, d.qualname))
        return f, d

    def check_head(self, n, row, ids):
        repo = row.get("repo")
        if not self.ok(repo in self.repos, n, "repo %r is not in the index" % repo):
            return None
        commit = self.repos[repo]["commit"]
        self.ok(row.get("base_commit") == commit, n, "base_commit %r, the index has %r" % (row.get("base_commit"), commit))
        iid = row.get("instance_id")
        want = re.escape("%s__%s__" % (repo.replace("/", "__"), (commit or "")[:8])) + r"(0|[1-9][0-9]*)"
        m = re.fullmatch(want, iid) if isinstance(iid, str) else None
        self.ok(m, n, "instance_id %r is not %s" % (iid, want))
        self.ok(iid not in ids, n, "instance_id %r repeated" % iid)
        ids.add(iid)
        if m:
            self.idx.setdefault(repo, []).append((int(m.group(1)), n))
        return repo

    def check_idx(self):
        """A repository's rows are numbered 0, 1, ... n-1."""
        for repo, got in self.idx.items():
            nums = sorted(k for k, _ in got)
            self.ok(nums == list(range(len(nums))), got[-1][1],
                    "%s: the instance_id numbers are not 0..%d: %s" % (repo, len(nums) - 1, nums[:20]))

    def not_test(self, n, path):
        if not self.opts["include_tests"]:
            self.ok(not X.is_test_path(path), n, "%s is a test file" % path)

    def check_deps(self, n, repo, f, d, deps, num):
        if not self.ok(isinstance(deps, list), n, "dependencies is not a list"):
            return
        self.ok(num == len(deps), n, "num_dependencies %s, %d listed" % (num, len(deps)))
        seen = set()
        called = self.called_names(f, d)
        for k, dep in enumerate(deps):
            what = "dependency %d (%s)" % (k, dep.get("name"))
            df, dd = self.check_def(n, repo, dep, ("name", "file_path", "line_start", "line_end", "type",
                                                   "decorator_line", "qualname"), what)
            if dd is None:
                continue
            key = (dep["file_path"], dep["line_start"])
            self.ok(key not in seen, n, "%s listed twice" % what)
            seen.add(key)
            same_file = dep["file_path"] == f.path
            self.ok(not (same_file and dd is d), n, "%s is the target itself" % what)
            self.ok(not (same_file and d.line_start < dd.line_start <= d.line_end), n, "%s is nested in the target" % what)
            scope = ("intra-class" if d.cls is not None and same_file and dd.cls is d.cls else
                     "intra-file" if same_file else "cross-file")
            self.ok(dep.get("scope") == scope, n, "%s: scope %r, want %r" % (what, dep.get("scope"), scope))
            self.ok(isinstance(dep.get("ambiguous"), bool), n, "%s: ambiguous is not a bool" % what)
            start = {dd.name}
            if dd.name == "__init__" and dd.parent is not None:
                start.add(dd.parent.name)  # a class call runs it
            # the names the definition is bound to, followed through aliases; calls that
            # reach it under a generic name are added after (and not followed)
            generic = set()
            if dd.kind == "class":
                generic = {"cls", "self", "type", "__class__", "super"}
                for m in (d, d.parent):  # a method's first parameter is its class or instance
                    if m is not None and m.kind == "function" and m.cls is not None:
                        pos = m.node.args.posonlyargs + m.node.args.args
                        if pos:
                            generic.add(pos[0].arg)
            if dd.name == "__init__":
                generic = {"super", "__class__"}  # super().__init__
            names = closure(start, [df.aliases(), f.aliases()])
            if not (names | generic) & called:  # bound to another name in a third file (`attr_class = Cls`)
                names = self.closure_in_repo(repo, names)
            names |= generic
            if "__call__" in names:
                names |= called  # calling an instance of its class, under whatever name
            self.ok(bool(names & called), n, "%s %s:%d is not called by %s (calls: %s)" %
                    (what, dep["file_path"], dep["line_start"], d.qualname, ", ".join(sorted(called))[:200]))

    def closure_in_repo(self, repo, names):
        """closure() through a repository-wide alias map made by scanning the bytes of every
        file the index holds with regular expressions (`x = a.b`, `a = b = c`, `f as g`,
        `name=default`).  It over-approximates the ast-based File.aliases(), so it is used
        only when those fail, and it costs one pass over the files."""
        if repo not in self.repo_alias:
            out = subprocess.run([os.path.join(HERE, "..", "bin", "hgym-query"), "-i", self.index, "-r", repo, "files"],
                                 capture_output=True, text=True)
            root = self.repos[repo]["root"]
            amap = {}
            for line in out.stdout.splitlines():
                try:
                    with open(os.path.join(root, json.loads(line)["path"]), "rb") as fh:
                        text = fh.read().decode("utf-8", "replace")
                except OSError:
                    continue
                for m in RX_ASSIGN.finditer(text):
                    for t in RX_TARGET.findall(m.group(1)):
                        amap.setdefault(m.group(2), set()).add(t)
                for m in RX_AS.finditer(text):  # x as y
                    amap.setdefault(m.group(1), set()).add(m.group(2))
                for m in RX_DEFAULT.finditer(text):  # y=x
                    amap.setdefault(m.group(2), set()).add(m.group(1))
            self.repo_alias[repo] = amap
        return closure(names, [self.repo_alias[repo]])

    def called_names(self, f, d):
        """Names called in d's code, its decorator calls and everything nested in it:
        the callee's name, the attribute of a dotted callee; bare decorators only
        with --count-bare-decorators (a bare `@d` is no Call node)."""
        out = set()
        nodes = [d.node]
        while nodes:
            n = nodes.pop()
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and self.opts.get("count_bare_decorators"):
                for dec in n.decorator_list:
                    if not isinstance(dec, ast.Call):
                        out |= Checker.expr_names(dec)
            if isinstance(n, ast.Call):
                out |= Checker.expr_names(n.func)
            nodes.extend(ast.iter_child_nodes(n))
        return out

    @staticmethod
    def expr_names(e):
        out = set()
        while True:
            if isinstance(e, ast.Name):
                out.add(e.id)
                return out
            if isinstance(e, ast.Attribute):
                out.add(e.attr)
                e = e.value
            elif isinstance(e, ast.Call):
                e = e.func
            elif isinstance(e, ast.Subscript):
                e = e.value
            else:
                return out

    # ---- tasks ----

    def dep_search(self, n, row, ids):
        repo = self.check_head(n, row, ids)
        if repo is None:
            return
        f, d = self.check_def(n, repo, row, ("target_function_name", "target_function_file",
                                             "target_function_line_start", "target_function_line_end", None, None,
                                             "target_function_qualname"), "target")
        if d is None:
            return
        self.ok(d.kind == "function" and "function" not in d.parent_kinds, n,
                "target %s is not a function or method outside functions" % d.qualname)
        self.not_test(n, f.path)
        if not self.opts["allow_private"]:
            self.ok(not d.name.startswith("_"), n, "target %s is private" % d.qualname)
        deps = row.get("dependencies")
        self.check_deps(n, repo, f, d, deps, row.get("num_dependencies"))
        if isinstance(deps, list):
            self.ok(self.opts["min_deps"] <= len(deps) <= self.opts["max_deps"], n,
                    "%d dependencies, outside %d..%d" % (len(deps), self.opts["min_deps"], self.opts["max_deps"]))
            if not self.opts["allow_ambiguous"]:
                self.ok(not any(x.get("ambiguous") for x in deps), n, "an ambiguous dependency")
            # gradeable: no two dependencies of one file within 5 lines (decorator_line)
            close = [(a.get("qualname"), b.get("qualname")) for i, a in enumerate(deps) for b in deps[i + 1:]
                     if a.get("file_path") == b.get("file_path") and isinstance(a.get("decorator_line"), int)
                     and isinstance(b.get("decorator_line"), int)
                     and abs(a["decorator_line"] - b["decorator_line"]) <= 5]
            self.ok(not close, n, "dependencies within 5 lines of each other: %s" % close[:3])
            for x in deps:
                f2 = self.file(repo, x.get("file_path")) if isinstance(x.get("file_path"), str) else None
                hits = [y for y in f2.by_line.get(x.get("line_start"), [])] if isinstance(f2, File) else []
                self.ok(not any(any((isinstance(e, ast.Name) and e.id == "overload") or
                                    (isinstance(e, ast.Attribute) and e.attr == "overload")
                                    for e in y.node.decorator_list) for y in hits), n,
                        "dependency %s is an @overload stub" % x.get("qualname"))
        unres = row.get("num_unresolved_calls")
        self.ok(isinstance(unres, int) and unres >= 0 and (unres == 0 or self.opts.get("allow_unresolved")), n,
                "num_unresolved_calls %r%s" % (unres, "" if self.opts.get("allow_unresolved") else
                                               " (0 wanted without --allow-unresolved)"))
        self.check_lines(n, d)

    def check_lines(self, n, d):
        lines = d.line_end - d.line_start + 1
        lo, hi = self.opts["min_lines"], self.opts["max_lines"]
        self.ok((not lo or lines >= lo) and (not hi or lines <= hi), n,
                "%s has %d lines, outside the bounds %s..%s" % (d.qualname, lines, lo, hi))

    def localize_item(self, n, repo, item):
        f, d = self.check_def(n, repo, item, ("module_name", "file_path", "module_line_start", "module_line_end",
                                              "module_type", "decorator_line", "qualname"), "target")
        if d is None:
            return None
        self.not_test(n, f.path)
        self.check_lines(n, d)
        c = X.docstring_node(d.node)
        if not self.ok(c is not None, n, "%s: its first statement is not a docstring" % d.qualname):
            return f
        raw = X.string_contents(f.src.segment(c.lineno - 1, c.col_offset, c.end_lineno - 1, c.end_col_offset))
        self.ok(item.get("docstring") == raw, n, "%s: docstring %r, the file has %r" %
                (d.qualname, str(item.get("docstring"))[:80], raw[:80]))
        self.ok((item.get("docstring_line_start"), item.get("docstring_line_end")) == (c.lineno - 1, c.end_lineno - 1), n,
                "%s: docstring lines %s-%s, the file has %d-%d" % (d.qualname, item.get("docstring_line_start"),
                                                                  item.get("docstring_line_end"), c.lineno - 1,
                                                                  c.end_lineno - 1))
        noun = "this class" if d.kind == "class" else "this method" if d.cls is not None else "this function"
        want = X.describe(raw, d.name, noun)
        desc = item.get("function_description")
        self.ok(desc == want, n, "%s: function_description %r, want %r" % (d.qualname, desc, want))
        self.ok(isinstance(desc, str) and not names_word(desc.replace(noun, ""), d.name), n,
                "%s: the description names it: %r" % (d.qualname, desc))
        self.ok(item.get("description_source") == "docstring", n, "description_source %r" % item.get("description_source"))
        self.ok(isinstance(desc, str) and X.words(desc) >= 5, n, "%s: description under five words: %r" % (d.qualname, desc))
        if isinstance(desc, str):
            self.descs.setdefault((repo, desc), []).append(n)
        first = X.first_sentence(raw)
        if first:
            lo = sum(len(x) for x in f.src.blines[:c.lineno - 1]) + c.col_offset
            hi = sum(len(x) for x in f.src.blines[:c.end_lineno - 1]) + c.end_col_offset
            self.sentences.setdefault(repo, []).append((n, first.encode(), f.path, lo, hi))
        return f

    def check_descriptions(self):
        """Across the rows of a file: no two targets of a repository share a description, and no
        first sentence appears in the repository but in its own docstring (a file's text with
        white space folded, looked up at each occurrence of the sentence's first word)."""
        for (repo, desc), ns in self.descs.items():
            self.ok(len(set(ns)) == 1, ns[-1], "rows %s share the description %r" % (sorted(set(ns)), desc))
        for repo, sents in self.sentences.items():
            by_word = {}
            for t in sents:
                m = re.search(rb"\w+", t[1])
                if m:
                    by_word.setdefault(m.group(), []).append((m.start(), t))
            found = set()
            out = subprocess.run([os.path.join(HERE, "..", "bin", "hgym-query"), "-i", self.index, "-r", repo, "files"],
                                 capture_output=True, text=True)
            for line in out.stdout.splitlines():
                path = json.loads(line)["path"]
                try:
                    with open(os.path.join(self.repos[repo]["root"], path), "rb") as fh:
                        data = fh.read()
                except OSError:
                    continue
                # folded text, and for each folded offset where a run of white space was cut, the original one
                folded, cuts, last, size = [], [], 0, 0
                for m in re.finditer(rb"[ \t\n\r\f]+", data):
                    folded.append(data[last:m.start()])
                    folded.append(b" ")
                    size += m.start() - last + 1
                    cuts.append((size, m.end()))
                    last = m.end()
                folded.append(data[last:])
                text = b"".join(folded)
                starts = [c[0] for c in cuts]
                for m in re.finditer(rb"\w+", text):
                    for off, (n, sent, own, lo, hi) in by_word.get(m.group(), ()):
                        k = m.start() - off
                        if k < 0 or text[k:k + len(sent)] != sent:
                            continue
                        j = bisect.bisect_right(starts, k) - 1
                        orig = k if j < 0 else cuts[j][1] + (k - cuts[j][0])
                        if not (path == own and lo <= orig < hi):
                            found.add(n)
            for n in sorted(found):
                self.fail(n, "its description's first sentence appears elsewhere in the repository")
            self.checked += len(sents) - len(found)

    def func_localize(self, n, row, ids):
        repo = self.check_head(n, row, ids)
        if repo is None:
            return
        if "functions" in row:
            items = row["functions"]
            self.ok(isinstance(items, list) and 2 <= len(items) <= 3 and row.get("n_functions") == len(items), n,
                    "a --multi row has %r functions, n_functions %r" % (len(items), row.get("n_functions")))
            self.ok(len({x.get("file_path") for x in items}) == len(items), n, "two targets of a group share a file")
            for it in items:
                self.localize_item(n, repo, it)
        else:
            self.localize_item(n, repo, row)

    def func_gen(self, n, row, ids):
        repo = self.check_head(n, row, ids)
        if repo is None:
            return
        qual = row.get("func_name", "")
        f, d = self.check_def(n, repo, {"name": qual.split(".")[-1], "file_path": row.get("file_path"),
                                        "line_start": row.get("line_start"), "line_end": row.get("line_end"),
                                        "qualname": qual},
                              ("name", "file_path", "line_start", "line_end", None, None, "qualname"), "target")
        if d is None:
            return
        node, s = d.node, f.src
        self.ok(d.kind == "function" and "function" not in d.parent_kinds, n,
                "%s is not a top-level function or method" % qual)
        self.ok(qual.count(".") <= 1 and (d.parent is None or d.parent.parent is None), n,
                "%s: the masking step looks for `f` or `Class.method` with the class at module level" % qual)
        self.not_test(n, f.path)
        self.check_lines(n, d)
        c = X.docstring_node(node)
        if not self.ok(c is not None, n, "%s has no docstring" % qual):
            return
        l0, l1 = c.lineno - 1, c.end_lineno - 1
        self.ok((row.get("docstring_line_start"), row.get("docstring_line_end")) == (l0, l1), n,
                "%s: docstring lines %s-%s, want %d-%d" % (qual, row.get("docstring_line_start"),
                                                          row.get("docstring_line_end"), l0, l1))
        raw = X.string_contents(s.segment(l0, c.col_offset, l1, c.end_col_offset))
        self.ok(row.get("func_docstring_raw") == raw, n, "%s: func_docstring_raw differs from the file" % qual)
        self.ok(row.get("func_signature") == X.signature(s, node), n, "%s: func_signature %r, the file has %r" %
                (qual, row.get("func_signature"), X.signature(s, node)))
        self.ok(row.get("func_body") == s.line_range(l1 + 1, d.line_end), n, "%s: func_body is not lines %d-%d" %
                (qual, l1 + 1, d.line_end))
        self.ok(row.get("orig_context") == s.text, n, "%s: orig_context is not the file" % qual)
        imps = X.file_imports(type("M", (), {"repo": type("R", (), {"trees": {f.path: f.tree}})})(), f.path)
        self.ok(row.get("file_imports") == imps, n, "%s: file_imports %s, want %s" %
                (qual, str(row.get("file_imports"))[:120], str(imps)[:120]))
        # the filters
        after = node.body[1:]
        self.ok(not (all(X.is_placeholder(x) for x in after) or (len(after) == 1 and X.is_forward(after[0]))), n,
                "%s: a trivial body" % qual)
        a = node.args
        pos = a.posonlyargs + a.args
        nparams = len(pos) + len(a.kwonlyargs) + (a.vararg is not None) + (a.kwarg is not None)
        static = any(isinstance(x, ast.Name) and x.id == "staticmethod" for x in node.decorator_list)
        if d.cls is not None and not static and pos:
            nparams -= 1
        self.ok(nparams >= 1, n, "%s: no parameter" % qual)
        self.ok(any(isinstance(x, ast.Return) and x.value is not None for x in X.own_nodes(node)), n,
                "%s: no return value" % qual)
        self.ok(len(after) > 2, n, "%s: %d statements after the docstring" % (qual, len(after)))
        self.check_deps(n, repo, f, d, row.get("dependencies"), row.get("num_dependencies"))

    def issue_localize(self, n, row, ids, inputs):
        repo = row.get("repo")
        if not self.ok(repo in self.repos, n, "repo %r is not in the index" % repo):
            return
        iid = row.get("instance_id")
        self.ok(isinstance(iid, str) and iid not in ids, n, "instance_id %r missing or repeated" % iid)
        ids.add(iid)
        if inputs is not None:
            src = inputs.get(tuple(row.get(k) for k in INPUT_KEY))
            if self.ok(src is not None, n, "no input row with this repo, base_commit, problem_statement and patch"):
                for k, v in src.items():
                    if k not in ("gold_files", "gold_functions", "module_level_only"):  # hgym's own: replaced
                        self.ok(row.get(k) == v, n, "input field %s changed" % k)
                if "instance_id" not in src:
                    want = "%s__%s__" % (repo.replace("/", "__"), self.repos[repo]["commit"][:8])
                    self.ok(re.fullmatch(re.escape(want) + r"\d+", iid or ""), n,
                            "instance_id %r is not {repo}__{commit[:8]}__{n}" % iid)
        gold_files, gold_funcs = [], []
        for path, changed in X.patch_files(row.get("patch", "")):
            if not self.opts["include_tests"] and X.is_test_path(path):
                continue
            gold_files.append(path)
            f = self.file(repo, path) if path.endswith(".py") else None
            if not isinstance(f, File):
                continue
            seen = set()
            for ln in changed:
                d = f.innermost(ln)
                if d is not None and id(d) not in seen:
                    seen.add(id(d))
                    gold_funcs.append({"name": d.name, "file_path": path, "line_start": d.line_start,
                                       "line_end": d.line_end, "type": d.kind, "decorator_line": d.decorator_line,
                                       "qualname": d.qualname})
        self.ok(row.get("gold_files") == gold_files, n, "gold_files %s, want %s" % (row.get("gold_files"), gold_files))
        self.ok(row.get("module_level_only") is (not gold_funcs), n, "module_level_only %r with %d gold functions" %
                (row.get("module_level_only"), len(gold_funcs)))
        self.ok(row.get("gold_functions") == gold_funcs, n, "gold_functions %s, want %s" %
                ([(x.get("qualname"), x.get("line_start")) for x in row.get("gold_functions", [])],
                 [(x["qualname"], x["line_start"]) for x in gold_funcs]))
        for k, g in enumerate(row.get("gold_functions") or []):
            self.check_def(n, repo, g, ("name", "file_path", "line_start", "line_end", "type", "decorator_line",
                                        "qualname"), "gold function %d" % k)


def main(argv):
    opts = {"min_deps": 1, "max_deps": 5, "allow_private": False, "allow_ambiguous": False, "include_tests": False,
            "count_bare_decorators": False, "allow_unresolved": False, "allow_unpinned": False,
            "min_lines": 0, "max_lines": None, "max_errors": 20}
    index, inp, pos = None, None, []
    it = iter(argv)
    for a in it:
        if a in ("-i", "--index"):
            index = next(it, None)
        elif a == "--input":
            inp = next(it, None)
        elif a in ("--allow-private", "--allow-ambiguous", "--include-tests", "--count-bare-decorators",
                   "--allow-unresolved", "--allow-unpinned"):
            opts[a[2:].replace("-", "_")] = True
        elif a in ("--min-deps", "--max-deps", "--min-lines", "--max-lines", "--max-errors"):
            opts[a[2:].replace("-", "_")] = int(next(it, "x"))
        elif a in ("--seed", "--per-repo", "--max-instances", "-r", "--repo"):
            next(it, None)  # sampling options: nothing to check row by row
        elif a in ("--multi", "-q", "--quiet"):
            pass
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            pos.append(a)
    pairs = list(zip(pos[0::2], pos[1::2]))
    if not index or not pairs or len(pos) % 2 or any(t not in TASKS for _, t in pairs):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    max_lines = opts["max_lines"]
    ck = Checker(index, opts)  # one checker: each source file is parsed once for all the row files
    failed = False
    for rows_path, task in pairs:
        opts["max_lines"] = (25 if task == "func_gen" else 0) if max_lines is None else max_lines
        failed |= check_file(ck, rows_path, task, inp)
    return 1 if failed else 0


def check_file(ck, rows_path, task, inp):
    ck.rows = ck.checked = ck.errors = ck.printed = 0
    ck.idx = {}
    ck.descs, ck.sentences = {}, {}
    inputs = None
    if inp:
        inputs = {}
        with open(inp, encoding="utf-8") as f:
            for line in f:
                try:
                    o = json.loads(line)
                except ValueError:
                    continue
                if isinstance(o, dict):
                    inputs[tuple(o.get(k) for k in INPUT_KEY)] = o
    ids = set()
    with open(rows_path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            ck.rows += 1
            try:
                row = json.loads(line)
            except ValueError as e:
                ck.fail(n, "not JSON: %s" % e)
                continue
            if task == "issue_localize":
                ck.issue_localize(n, row, ids, inputs)
            else:
                getattr(ck, task)(n, row, ids)
    if task != "issue_localize":
        ck.check_idx()
    if task == "func_localize":
        ck.check_descriptions()
    print("synth_check: %s %s: %d rows, %d checks passed, %d failed" % (task, rows_path, ck.rows, ck.checked, ck.errors))
    return ck.errors > 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

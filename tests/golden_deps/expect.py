#!/usr/bin/env python3
"""Derive the expectations of a golden_deps case from its annotated sources.

usage: expect.py [--write] CASE_DIR...

Every call site in a case's repo/ carries a comment that says what Python
calls there at run time, decided by reading the source (see README.md):

    return helper(len(x))  #> dep pkg/util.py:helper ; builtin len

This script shares no code with hgym.  From the annotations, Python's ast
(lines, qualnames, scopes of definitions) and the rules of a dep_search row,
it builds what `hgym-query deps` (every function), `callers` and `imports`
must print, and compares that with expected.jsonl, expected_callers.jsonl and
expected_imports.jsonl.  With --write it writes those files instead.  An
expectation regenerated from a buggy build (`golden_deps.sh --update`) is
therefore caught here.  expected_callgraph.json is written by hand; this
script checks its node set and that its edges agree with the annotations.

Annotation grammar: a comment starting with `#>` lists the calls that start
on its line, separated by `;`, in source pre-order (an enclosing call before
the calls in its receiver or arguments; a bare decorator is a call too).  A
call is one or more alternatives separated by `|` (several: the call may reach
any of them, and the repository's among them are ambiguous); an alternative is
  dep [PATH:]QUALNAME[@LINE]   a definition of the repository: PATH relative to
                               repo/ (default: this file), LINE the 0-indexed
                               def line when the qualname is defined twice
  builtin NAME                 a builtin (reported as <builtin>.NAME)
  stdlib NAME                  the standard library (dotted name)
  third_party NAME             another package (dotted name)
  unresolved                   nothing can be said about it
optionally followed by `as NAME` when the source calls it by another name
(the name called in the source is checked against it).  Every call in the
repository must be annotated: the number of calls starting on each line is
checked against the annotation.  On an import line, `#> import: RES, ...`
gives one resolution per imported name: `module PATH`, `package DOTTED`,
`def PATH:QUALNAME[@LINE]`, `external ORIGIN NAME` or `unresolved`.

Row rules (Hybrid-Gym's dep_search, as queries/deps.h states them): a row for
every function and method, in file order (paths sorted) and source pre-order;
its dependencies are the calls of its own code (decorator calls `@d(...)`
included) and of everything nested in it, owner by owner in pre-order and in
source order within an owner; without duplicates (ambiguous if any of its calls
is), without itself and without the definitions nested in it.  A bare
decorator `@d` is annotated as a call (Python calls d), but it is no `Call`
node, so it counts for `deps` only with --count-bare-decorators (a `queries`
line `deps --count-bare-decorators` checks expected_deps_bare.jsonl); callers
and the call graph count it.  Exit status 1 on any mismatch.
"""
import ast
import json
import os
import sys
import tokenize

errors = []


def err(msg):
    errors.append(msg)


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


class Def:
    __slots__ = ("index", "file", "name", "qualname", "kind", "line_start", "line_end", "decorator_line",
                 "parent", "end", "node")


class Repo:
    def __init__(self, root, name):
        self.root = root
        self.name = name
        self.paths = []
        for d, dirs, files in os.walk(root):
            dirs[:] = sorted(x for x in dirs if not x.startswith("."))
            for f in files:
                if f.endswith(".py"):
                    self.paths.append(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))
        self.paths.sort()
        self.defs = []
        self.trees = {}
        self.file_defs = {}
        for p in self.paths:
            with open(os.path.join(root, p), "rb") as f:
                src = f.read()
            tree = ast.parse(src, filename=p)
            self.trees[p] = tree
            first = len(self.defs)
            self._collect(p, tree, None, "")
            self.file_defs[p] = (first, len(self.defs))
        for d in reversed(self.defs):
            d.end = max(d.end, d.index + 1)
            if d.parent is not None:
                p = self.defs[d.parent]
                p.end = max(p.end, d.end)

    def _collect(self, path, node, parent, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                d = Def()
                d.index = len(self.defs)
                d.file = path
                d.name = child.name
                d.qualname = prefix + child.name
                d.kind = "class" if isinstance(child, ast.ClassDef) else "function"
                d.line_start = child.lineno - 1
                d.line_end = child.end_lineno - 1
                d.decorator_line = min([x.lineno - 1 for x in child.decorator_list] + [d.line_start])
                d.parent = parent
                d.end = 0
                d.node = child
                self.defs.append(d)
                sub = d.qualname + (".<locals>." if d.kind == "function" else ".")
                self._collect(path, child, d.index, sub)
            else:
                self._collect(path, child, parent, prefix)

    def owner_of(self, path, line):
        """The innermost def whose span (decorators included) holds line, or None."""
        first, last = self.file_defs[path]
        best = None
        for d in self.defs[first:last]:
            if d.decorator_line <= line <= d.line_end:
                best = d.index  # pre-order: later matches are nested deeper
        return best

    def find(self, path, qualname, line=None):
        first, last = self.file_defs.get(path, (0, 0))
        hits = [d for d in self.defs[first:last] if d.qualname == qualname and (line is None or d.line_start == line)]
        if len(hits) != 1:
            raise ValueError("%s:%s%s names %d definitions" % (path, qualname, "" if line is None else "@%d" % line,
                                                              len(hits)))
        return hits[0]

    def class_of(self, d):
        if d.parent is not None and self.defs[d.parent].kind == "class":
            return d.parent
        return None


class Site:
    __slots__ = ("file", "owner", "line", "seq", "kind", "value", "ambiguous", "alias", "bare")


def parse_annotations(repo):
    """Call sites and import resolutions from the #> comments."""
    sites = []
    imports = {}  # (path, line) -> list of resolutions
    for p in repo.paths:
        with open(os.path.join(repo.root, p), "rb") as f:
            toks = list(tokenize.tokenize(f.readline))
        for t in toks:
            if t.type != tokenize.COMMENT or not t.string.startswith("#>"):
                continue
            line = t.start[0] - 1
            owner = repo.owner_of(p, line)
            text = t.string[2:].strip()
            if text.startswith("import:"):
                imports[(p, line)] = [parse_import_res(repo, p, x.strip()) for x in text[7:].split(",")]
                continue
            for seq, call in enumerate(text.split(";")):
                alts = [x.split() for x in call.split("|")]
                for words in alts:
                    alias = None
                    if len(words) == 4 and words[2] == "as":
                        alias = words[3]
                        words = words[:2]
                    if words == ["unresolved"]:
                        sites.append(make_site(p, owner, line, seq, "unresolved", None, False, None))
                        continue
                    if len(words) != 2 or words[0] not in ("dep", "builtin", "stdlib", "third_party"):
                        err("%s:%d: bad annotation %r" % (p, line, call.strip()))
                        continue
                    kind, x = words
                    if kind == "dep":
                        path, qual = (x.rsplit(":", 1) if ".py:" in x else (p, x))
                        at = None
                        if "@" in qual:
                            qual, at = qual.split("@")
                            at = int(at)
                        try:
                            d = repo.find(path, qual, at)
                        except ValueError as e:
                            err("%s:%d: %s" % (p, line, e))
                            continue
                        sites.append(make_site(p, owner, line, seq, "dep", d.index, len(alts) > 1, alias))
                    else:
                        name = "<builtin>." + x if kind == "builtin" else x
                        sites.append(make_site(p, owner, line, seq, kind, name, False, alias))
    return sites, imports


def make_site(path, owner, line, seq, kind, value, ambiguous, alias):
    s = Site()
    s.file, s.owner, s.line, s.seq, s.kind, s.value, s.ambiguous, s.alias = (path, owner, line, seq, kind, value,
                                                                             ambiguous, alias)
    s.bare = False  # a bare decorator; site_columns sets it from the ast
    return s


def site_name(repo, s):
    """The name the source calls the site's target by."""
    if s.alias:
        return s.alias
    if s.kind == "dep":
        return repo.defs[s.value].name
    return s.value.rsplit(".", 1)[-1]


def parse_import_res(repo, path, text):
    parts = text.split()
    if parts[0] == "module":
        return ("module", "repository", parts[1])
    if parts[0] == "package":
        return ("package", "repository", parts[1])
    if parts[0] == "def":
        p, qual = parts[1].rsplit(":", 1)
        at = None
        if "@" in qual:
            qual, at = qual.split("@")
            at = int(at)
        return ("definition", "repository", dep_json(repo, repo.find(p, qual, at)))
    if parts[0] == "external":
        return ("external", parts[1], parts[2])
    if parts[0] == "unresolved":
        return ("unresolved", "unresolved", None)
    raise ValueError("%s: bad import annotation %r" % (path, text))


def dep_json(repo, d):
    return {"name": d.name, "file_path": d.file, "line_start": d.line_start, "line_end": d.line_end,
            "type": d.kind, "decorator_line": d.decorator_line, "qualname": d.qualname}


def target_json(repo, d):
    return {"repo": repo.name, "target_function_name": d.name, "target_function_file": d.file,
            "target_function_line_start": d.line_start, "target_function_line_end": d.line_end,
            "target_function_qualname": d.qualname}


def site_key(repo, s):
    return (repo.paths.index(s.file), -1 if s.owner is None else s.owner, s.line, s.seq)


def deps_row(repo, d, sites, bare_decorators=False):
    mine = sorted((s for s in sites if s.owner is not None and d.index <= s.owner < d.end
                   and (bare_decorators or not s.bare)), key=lambda s: site_key(repo, s))
    row = target_json(repo, d)
    deps, seen, ext, seen_ext, unresolved = [], {}, [], set(), 0
    for s in mine:
        if s.kind == "dep":
            if d.index <= s.value < d.end:
                continue  # itself, or nested in it
            if s.value not in seen:
                t = repo.defs[s.value]
                o = dep_json(repo, t)
                ct, cd = repo.class_of(d), repo.class_of(t)
                o["scope"] = ("intra-class" if ct is not None and ct == cd else
                              "intra-file" if t.file == d.file else "cross-file")
                o["ambiguous"] = False
                seen[s.value] = o
                deps.append(o)
            if s.ambiguous:
                seen[s.value]["ambiguous"] = True
        elif s.kind == "unresolved":
            unresolved += 1
        elif s.value not in seen_ext:
            seen_ext.add(s.value)
            ext.append({"name": s.value, "origin": s.kind})
    row["dependencies"] = deps
    row["num_dependencies"] = len(deps)
    row["external_calls"] = ext
    row["unresolved_calls"] = unresolved
    return row


def call_columns(tree):
    """line -> the column of every call starting on it, in source pre-order
    (an enclosing call before those in its receiver or arguments), decorator
    expressions included: applying a decorator calls it."""
    out = {}

    def callee_name(f):
        if isinstance(f, ast.Name):
            return f.id
        if isinstance(f, ast.Attribute):
            return f.attr
        return None

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for dec in node.decorator_list:
                if not isinstance(dec, ast.Call):
                    out.setdefault(dec.lineno - 1, []).append((dec.col_offset, callee_name(dec), True))
        if isinstance(node, ast.Call):
            out.setdefault(node.lineno - 1, []).append((node.col_offset, callee_name(node.func), False))
        for c in ast.iter_child_nodes(node):
            visit(c)

    visit(tree)
    for calls in out.values():
        calls.sort(key=lambda x: x[0])  # stable: an enclosing call starting at the same column stays first
    return out


def site_columns(repo, sites):
    """Give each site the column of its call: the k-th annotated call of a
    line is the k-th call starting on it.  Every call must be annotated.
    Marks the sites of bare decorators (s.bare)."""
    by_line = {}
    for s in sites:
        by_line.setdefault((s.file, s.line), []).append(s)
    cols = {}
    for p in repo.paths:
        calls = call_columns(repo.trees[p])
        for line in sorted(set(calls) | {l for (f, l) in by_line if f == p}):
            groups = {}
            for s in by_line.get((p, line), []):
                groups.setdefault(s.seq, []).append(s)
            have = [groups[k] for k in sorted(groups)]
            want = calls.get(line, [])
            if len(have) != len(want):
                err("%s:%d: %d calls start on this line, %d are annotated" % (p, line, len(want), len(have)))
                continue
            for alts, (col, name, bare) in zip(have, want):
                named = [site_name(repo, s) for s in alts if s.kind != "unresolved"]
                if named and name not in named:
                    err("%s:%d:%d: the call of %s is annotated as a call of %s (add `as %s` if it is)" %
                        (p, line, col, name, " | ".join(named), name))
                for s in alts:
                    cols[id(s)] = col
                    s.bare = bare
    return cols


def callers_rows(repo, target, sites, cols):
    path, what = target.rsplit(":", 1)
    first, last = repo.file_defs[path]
    if what.isdigit():
        hits = [d for d in repo.defs[first:last] if d.decorator_line <= int(what) <= d.line_end][-1:]
    else:
        hits = [d for d in repo.defs[first:last] if d.qualname == what]
    rows = []
    for d in hits:
        row = target_json(repo, d)
        calls = sorted((s for s in sites if s.kind == "dep" and s.value == d.index), key=lambda s: site_key(repo, s))
        out = []
        for s in calls:
            o = (dep_json(repo, repo.defs[s.owner]) if s.owner is not None else
                 {"name": "<module>", "file_path": s.file, "type": "module"})
            o["call_line"] = s.line
            o["call_col"] = cols.get(id(s), -1)
            o["ambiguous"] = s.ambiguous
            out.append(o)
        row["callers"] = out
        row["num_callers"] = len(out)
        rows.append(row)
    if not rows:
        err("callers %s: no such definition" % target)
    return rows


def imports_rows(repo, path, resolutions):
    tree = repo.trees[path]
    rows = []

    def walk(node, owner, flags):
        for field, value in ast.iter_fields(node):
            children = value if isinstance(value, list) else [value]
            for c in children:
                if not isinstance(c, ast.AST):
                    continue
                f = dict(flags)
                if isinstance(node, ast.Try):
                    if field == "body":
                        f["in_try"] = True
                    elif field == "handlers":
                        f["in_except"] = True
                if isinstance(node, ast.If) and field in ("body", "orelse"):
                    t = node.test
                    tc = (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
                        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")
                    if tc and field == "body":
                        f["type_checking"] = True
                    else:
                        f["conditional"] = True
                o = owner
                if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    o = repo.defs[repo.owner_of(path, c.lineno - 1)].qualname
                if isinstance(c, (ast.Import, ast.ImportFrom)):
                    emit(c, owner, f)
                walk(c, o, f)

    def emit(node, owner, flags):
        res = resolutions.get((path, node.lineno - 1))
        if res is None or len(res) != len(node.names):
            err("%s:%d: the import needs one `#> import:` resolution per name" % (path, node.lineno - 1))
            res = (res or []) + [("unresolved", "unresolved", None)] * len(node.names)
        for a, (kind, origin, target) in zip(node.names, res):
            frm = isinstance(node, ast.ImportFrom)
            rows.append({
                "module": (node.module or "") if frm else a.name,
                "name": a.name if frm else None,
                "asname": a.asname,
                "level": node.level if frm else 0,
                "line": a.lineno - 1,
                "col": a.col_offset,
                "owner": owner,
                "from": frm,
                "star": frm and a.name == "*",
                "in_try": flags.get("in_try", False),
                "in_except": flags.get("in_except", False),
                "type_checking": flags.get("type_checking", False),
                "conditional": flags.get("conditional", False),
                "resolved": kind,
                "origin": origin,
                "target": target,
            })

    walk(tree, None, {})
    return rows


def dotted(repo, d):
    p = d.file[:-3]
    if p.endswith("/__init__") or p == "__init__":
        p = p[: -len("/__init__")] if "/" in p else p
    return p.replace("/", ".") + "." + d.qualname.replace(".<locals>", "")


def check_callgraph(repo, path, sites):
    """Nodes: every module and definition, then the external targets; edges:
    each owner's annotated calls, a class call going to its __init__."""
    with open(path, encoding="utf-8") as f:
        graph = json.load(f)
    modules = []
    for p in repo.paths:
        m = p[:-3]
        if m.endswith("/__init__"):
            m = m[: -len("/__init__")]
        modules.append(m.replace("/", "."))
    want_nodes = set(modules) | {dotted(repo, d) for d in repo.defs}
    edges = {}
    for s in sorted(sites, key=lambda s: site_key(repo, s)):
        if s.kind == "unresolved":
            continue
        src = dotted(repo, repo.defs[s.owner]) if s.owner is not None else modules[repo.paths.index(s.file)]
        if s.kind == "dep":
            t = repo.defs[s.value]
            dst = dotted(repo, t)
            if t.kind == "class":
                dst = graph_init(repo, graph, t) or dst
        else:
            dst = s.value
        edges.setdefault(src, [])
        if dst not in edges[src]:
            edges[src].append(dst)
        want_nodes.add(dst)
    if set(graph) != want_nodes:
        err("%s: nodes differ: missing %s, extra %s" % (path, sorted(want_nodes - set(graph)), sorted(set(graph) - want_nodes)))
    for k, v in graph.items():
        if v != edges.get(k, []):
            err("%s: %s -> %s, the annotations say %s" % (path, k, v, edges.get(k, [])))


def graph_init(repo, graph, cls):
    """The __init__ the expectation names for a class call: it must be a node
    defined in the class or, for this hand-checked case, in one of its bases
    (the test fixture keeps hierarchies single-inheritance)."""
    d = cls
    while d is not None:
        for x in repo.defs[d.index + 1:d.end]:
            if x.parent == d.index and x.name == "__init__":
                return dotted(repo, x)
        bases = [b for b in d.node.bases if isinstance(b, ast.Name)]
        d = next((x for x in repo.defs if x.kind == "class" and bases and x.name == bases[0].id), None)
    return None


def compare(path, want_lines, write):
    text = "".join(x + "\n" for x in want_lines)
    if write:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return
    if not os.path.exists(path):
        err("%s is missing (expect.py --write writes it)" % path)
        return
    with open(path, encoding="utf-8") as f:
        have = f.read()
    if have != text:
        hl, wl = have.splitlines(), text.splitlines()
        for i in range(max(len(hl), len(wl))):
            a = hl[i] if i < len(hl) else "<none>"
            b = wl[i] if i < len(wl) else "<none>"
            if a != b:
                k = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
                lo = max(0, k - 80)
                err("%s line %d disagrees with the annotations from column %d:\n  file:        ...%s\n"
                    "  annotations: ...%s" % (path, i + 1, k, a[lo:k + 160], b[lo:k + 160]))
                break


def run_case(case_dir, write):
    case = os.path.basename(os.path.normpath(case_dir))
    repo = Repo(os.path.join(case_dir, "repo"), "golden/" + case)
    sites, imports = parse_annotations(repo)
    cols = site_columns(repo, sites)
    rows = [dumps(deps_row(repo, d, sites)) for d in repo.defs if d.kind == "function"]
    compare(os.path.join(case_dir, "expected.jsonl"), rows, write)
    qfile = os.path.join(case_dir, "queries")
    callers, imps, graph, bare = [], [], False, None
    if os.path.exists(qfile):
        with open(qfile, encoding="utf-8") as f:
            for q in f:
                words = q.split()
                if not words or words[0].startswith("#"):
                    continue
                if words[0] == "callers":
                    for t in words[1:]:
                        callers += [dumps(r) for r in callers_rows(repo, t, sites, cols)]
                elif words[0] == "imports":
                    imps += [dumps(r) for r in imports_rows(repo, words[1], imports)]
                elif words[0] == "callgraph":
                    graph = True
                elif words == ["deps", "--count-bare-decorators"]:
                    bare = [dumps(deps_row(repo, d, sites, True)) for d in repo.defs if d.kind == "function"]
                else:
                    err("%s: unknown query %r" % (qfile, q.strip()))
    if callers:
        compare(os.path.join(case_dir, "expected_callers.jsonl"), callers, write)
    if imps:
        compare(os.path.join(case_dir, "expected_imports.jsonl"), imps, write)
    if bare is not None:
        compare(os.path.join(case_dir, "expected_deps_bare.jsonl"), bare, write)
    if graph:
        check_callgraph(repo, os.path.join(case_dir, "expected_callgraph.json"), sites)


def main(argv):
    write = "--write" in argv
    cases = [a for a in argv if a != "--write"]
    if not cases:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    for c in cases:
        before = len(errors)
        run_case(c, write)
        for e in errors[before:]:
            print("expect: %s: %s" % (os.path.basename(os.path.normpath(c)), e))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

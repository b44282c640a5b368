#!/usr/bin/env python3
"""The reference method for dependency sets, timed, and cross-checked with hgym.

usage: jedi_compare.py --root DIR [--hgym-deps FILE.jsonl] [--json OUT]

The reference method (what the original builders of the data set did): parse
every .py file of the repository with Python's `ast`, find every function and
method (nested ones too), and for every call site inside each function (its
body, decorators and everything nested in it, as `ast.walk` sees them) ask
jedi where the callee is defined: `jedi.Script(...).goto(line, col,
follow_imports=True)` on the callee's last name.  A goto that lands on a
function or class of the repository is a dependency edge (function -> def),
without duplicates or self-recursion, as hgym's `deps` defines them.

The time covers reading, parsing and every goto, with one jedi.Script per
file (the cheapest way to drive jedi); it leaves out starting the
interpreter and importing jedi (reported apart as import_seconds).

With --hgym-deps (the output of `hgym-query -i INDEX deps` for the same
repository), the edges of both are compared, keyed by (file, 0-indexed def
line) of the function and of its dependency.

Run it with the Python that has Debian's python3-jedi: /usr/bin/python3.
"""
import argparse
import ast
import json
import os
import sys
import time


def py_files(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith(".") and x != "__pycache__")
        for f in files:
            if f.endswith(".py"):
                out.append(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))
    return sorted(out, key=lambda p: p.encode())


class Defs(ast.NodeVisitor):
    """Every def and class of a module: 0-indexed def line -> (qualname, kind), and the functions."""

    def __init__(self):
        self.by_line = {}
        self.functions = []
        self.stack = []

    def _def(self, node, kind):
        qual = ".".join(self.stack + [node.name])
        self.by_line[node.lineno - 1] = (qual, kind)
        if kind == "function":
            self.functions.append((node, qual))
            self.stack += [node.name, "<locals>"]
            self.generic_visit(node)
            del self.stack[-2:]
        else:
            self.stack.append(node.name)
            self.generic_visit(node)
            self.stack.pop()

    def visit_FunctionDef(self, node):
        self._def(node, "function")

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._def(node, "class")


def callee_position(call, lines):
    """(1-indexed line, column in characters) of the callee's last name, or None."""
    f = call.func
    if isinstance(f, ast.Name):
        line, byte_col = f.lineno, f.col_offset
    elif isinstance(f, ast.Attribute):
        line, byte_col = f.end_lineno, f.end_col_offset - len(f.attr.encode())
    else:
        return None  # f()(), a[0](), (lambda: 0)(): nothing for goto to name
    text = lines[line - 1] if line - 1 < len(lines) else b""
    return line, len(text[:byte_col].decode("utf-8", "replace"))


def reference(root):
    t_import = time.perf_counter()
    import jedi

    import_seconds = time.perf_counter() - t_import
    t0 = time.perf_counter()
    root = os.path.abspath(root)
    project = jedi.Project(os.path.dirname(root))
    stats = dict(files=0, lines=0, bytes=0, functions=0, call_sites=0, gotos=0, goto_errors=0, syntax_errors=0)
    files = py_files(root)
    defs_of = {}  # relpath -> Defs
    parsed = []
    for rel in files:
        with open(os.path.join(root, rel), "rb") as fh:
            raw = fh.read()
        stats["files"] += 1
        stats["bytes"] += len(raw)
        stats["lines"] += len(raw.splitlines())
        try:
            tree = ast.parse(raw, filename=rel)
        except (SyntaxError, ValueError):
            stats["syntax_errors"] += 1
            continue
        d = Defs()
        d.visit(tree)
        defs_of[rel] = d
        parsed.append((rel, raw))
    edges = {}  # (file, line) of the function -> ordered dependency keys
    for rel, raw in parsed:
        d = defs_of[rel]
        if not d.functions:
            continue
        src = raw.decode("utf-8", "replace")
        lines = raw.splitlines()
        script = jedi.Script(code=src, path=os.path.join(root, rel), project=project)
        for fn, qual in d.functions:
            stats["functions"] += 1
            me = (rel, fn.lineno - 1)
            deps = edges.setdefault(me, [])
            for node in ast.walk(fn):
                if not isinstance(node, ast.Call):
                    continue
                stats["call_sites"] += 1
                pos = callee_position(node, lines)
                if pos is None:
                    continue
                stats["gotos"] += 1
                try:
                    names = script.goto(pos[0], pos[1], follow_imports=True)
                except Exception:  # jedi gives up on some code; count it, go on
                    stats["goto_errors"] += 1
                    continue
                for n in names:
                    mp = n.module_path
                    if mp is None or n.line is None or n.type not in ("function", "class"):
                        continue
                    mp = os.path.abspath(str(mp))
                    if not mp.startswith(root + os.sep):
                        continue
                    drel = os.path.relpath(mp, root).replace(os.sep, "/")
                    target = (drel, n.line - 1)
                    dd = defs_of.get(drel)
                    if dd is None or target[1] not in dd.by_line or target == me or target in deps:
                        continue
                    deps.append(target)
    stats["seconds"] = time.perf_counter() - t0
    stats["import_seconds"] = import_seconds
    stats["jedi_version"] = jedi.__version__
    return stats, edges


def hgym_edges(path):
    edges = {}
    with open(path) as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            me = (r["target_function_file"], r["target_function_line_start"])
            deps = edges.setdefault(me, [])
            for dep in r["dependencies"]:
                t = (dep["file_path"], dep["line_start"])
                if t not in deps:
                    deps.append(t)
    return edges


def compare(jedi_e, hgym_e):
    def pairs(e):
        return {(f, t) for f, ts in e.items() for t in ts}

    j, h = pairs(jedi_e), pairs(hgym_e)
    both = j & h
    fmt = lambda p: f"{p[0][0]}:{p[0][1]} -> {p[1][0]}:{p[1][1]}"  # noqa: E731
    return dict(
        functions_jedi=len(jedi_e),
        functions_hgym=len(hgym_e),
        functions_both=len(set(jedi_e) & set(hgym_e)),
        edges_jedi=len(j),
        edges_hgym=len(h),
        edges_both=len(both),
        jedi_only=len(j - h),
        hgym_only=len(h - j),
        share_of_jedi_found_by_hgym=len(both) / len(j) if j else None,
        share_of_hgym_confirmed_by_jedi=len(both) / len(h) if h else None,
        samples_jedi_only=[fmt(p) for p in sorted(j - h)[:10]],
        samples_hgym_only=[fmt(p) for p in sorted(h - j)[:10]],
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True, help="the repository (a package directory)")
    ap.add_argument("--hgym-deps", help="`hgym-query deps` output for the same repository")
    ap.add_argument("--json", help="write the results here (default: stdout)")
    a = ap.parse_args()
    if not os.path.isdir(a.root):
        sys.exit(f"jedi_compare: {a.root}: not a directory")
    stats, edges = reference(a.root)
    stats["root"] = os.path.abspath(a.root)
    stats["python"] = sys.executable
    stats["lines_per_second"] = stats["lines"] / stats["seconds"] if stats["seconds"] > 0 else None
    stats["method"] = "ast + jedi.Script(...).goto(line, col, follow_imports=True) per call site, one Script per file"
    if a.hgym_deps:
        stats.update(compare(edges, hgym_edges(a.hgym_deps)))
    else:
        stats["edges_jedi"] = sum(len(v) for v in edges.values())
    out = json.dumps(stats, indent=1)
    if a.json:
        with open(a.json + ".tmp", "w") as fh:
            fh.write(out + "\n")
        os.replace(a.json + ".tmp", a.json)
    else:
        print(out)


if __name__ == "__main__":
    main()

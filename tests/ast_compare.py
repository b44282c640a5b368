#!/usr/bin/env python3
"""Compare `hgym-query defs` with Python's ast over a directory tree.

For every .py file that hgym indexed and that Python's ast parses, the set of
(file, qualname, line_start, line_end, decorator_line) must be equal, where ast
gives FunctionDef / AsyncFunctionDef / ClassDef with lineno-1, end_lineno-1 and
the first decorator's lineno-1, and qualnames are built as __qualname__ is.

usage: ast_compare.py ROOT DEFS.jsonl FILES.jsonl [--show N]
(DEFS from `hgym-query defs`, FILES from `hgym-query files`)
Prints a summary ending with 'N passed, N failed' (files) and exits 1 on any
difference, or when no file was compared at all.
"""
import ast
import json
import os
import sys
import warnings
from collections import defaultdict


def qualified_defs(tree):
    out = set()
    # (node, qualname prefix, parent is class); explicit stack, no recursion limit
    stack = [(tree, "", None)]
    while stack:
        node, prefix, kind = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                q = prefix + child.name
                first = child.decorator_list[0].lineno if child.decorator_list else child.lineno
                out.add((q, child.lineno - 1, child.end_lineno - 1, first - 1))
                sep = "." if isinstance(child, ast.ClassDef) else ".<locals>."
                stack.append((child, q + sep, child))
            else:
                stack.append((child, prefix, kind))
    return out


def main():
    args = sys.argv[1:]
    show = 20
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, defs_path, files_path = args
    hg = defaultdict(set)
    with open(defs_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            hg[d["file_path"]].add((d["qualname"], d["line_start"], d["line_end"], d["decorator_line"]))
    with open(files_path, encoding="utf-8") as f:
        files_indexed = {json.loads(line)["path"] for line in f}
    stray = set(hg) - files_indexed
    if stray:
        print(f"definitions in files not listed as indexed: {sorted(stray)[:5]}")
        return 1
    passed = failed = unparsable = 0
    shown = 0
    for rel in sorted(files_indexed):
        try:
            with open(os.path.join(root, rel), "rb") as f:
                src = f.read()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(src)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            unparsable += 1
            continue
        want = qualified_defs(tree)
        got = hg.get(rel, set())
        if want == got:
            passed += 1
            continue
        failed += 1
        if shown < show:
            shown += 1
            print(f"MISMATCH {rel}")
            for x in sorted(want - got)[:5]:
                print(f"  ast only:  {x}")
            for x in sorted(got - want)[:5]:
                print(f"  hgym only: {x}")
    n_defs = sum(len(v) for v in hg.values())
    print(f"ast_compare: {len(files_indexed)} files indexed, {unparsable} not parsed by ast (skipped), "
          f"{n_defs} hgym definitions")
    print(f"ast_compare: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

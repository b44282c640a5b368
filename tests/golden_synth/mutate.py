#!/usr/bin/env python3
"""Check that tests/synth_check.py notices a wrong field.

usage: mutate.py INDEX ROWS.jsonl TASK   (run from the directory the index's root is relative to)

Takes the rows (correct ones: the check of the unchanged rows must pass),
changes one field of one row at a time (a line off by one, a docstring or body
that is not the file's, a dependency that is not there, a gold function
missing...), and requires synth_check to report every such change.  Exit
status 1 if one goes unnoticed.
"""
import copy
import importlib.util
import io
import json
import os
import sys
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("synth_check", os.path.join(HERE, "..", "synth_check.py"))
SC = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(SC)


def plus(k, by=1):
    def f(r):
        r[k] += by
    return f


def dep(k, fn):
    def f(r):
        fn(r[k][0])
    return f


def uncalled(rows, row):
    """Another row's target whose name the row's target file never mentions, as a dependency."""
    with open(os.path.join("repo", row["target_function_file"]), encoding="utf-8") as f:
        text = f.read()
    for r in rows:
        if r["target_function_name"] not in text:
            return {"name": r["target_function_name"], "file_path": r["target_function_file"],
                    "line_start": r["target_function_line_start"], "line_end": r["target_function_line_end"],
                    "type": "function", "decorator_line": r["target_function_line_start"],
                    "qualname": r["target_function_qualname"], "scope": "cross-file", "ambiguous": False}
    return None


def mutations(task, row, rows=()):
    m = []
    if task == "dep_search":
        other = uncalled(rows, row)
        if other is not None and other["file_path"] != row["target_function_file"]:
            m.append(("a dependency it does not call", lambda r: r["dependencies"].__setitem__(0, dict(other))))
        m += [("target line_start + 1", plus("target_function_line_start")),
              ("target line_end + 1", plus("target_function_line_end")),
              ("target line_end - 1", plus("target_function_line_end", -1)),
              ("target qualname", lambda r: r.update(target_function_qualname="X." + r["target_function_qualname"])),
              ("instance_id", lambda r: r.update(instance_id=r["instance_id"] + "0")),
              ("base_commit", lambda r: r.update(base_commit="0" * 40)),
              ("num_dependencies + 1", plus("num_dependencies")),
              ("num_unresolved_calls + 1", plus("num_unresolved_calls"))]
        if row["dependencies"]:
            m += [("dependency line_start + 1", dep("dependencies", lambda d: d.update(line_start=d["line_start"] + 1))),
                  ("dependency line_end + 1", dep("dependencies", lambda d: d.update(line_end=d["line_end"] + 1))),
                  ("dependency decorator_line - 1", dep("dependencies", lambda d: d.update(decorator_line=d["decorator_line"] - 1))),
                  ("dependency type", dep("dependencies", lambda d: d.update(type="class" if d["type"] == "function" else "function"))),
                  ("dependency scope", dep("dependencies", lambda d: d.update(scope="cross-file" if d["scope"] != "cross-file" else "intra-file"))),
                  ("dependency listed twice", lambda r: (r["dependencies"].append(copy.deepcopy(r["dependencies"][0])),
                                                         r.update(num_dependencies=r["num_dependencies"] + 1)))]
    elif task == "func_localize":
        t = row["functions"][0] if "functions" in row else row
        def on(fn):
            def f(r):
                fn(r["functions"][0] if "functions" in r else r)
            return f
        m += [("module_line_start + 1", on(lambda t: t.update(module_line_start=t["module_line_start"] + 1))),
              ("module_line_end - 1", on(lambda t: t.update(module_line_end=t["module_line_end"] - 1))),
              ("decorator_line + 1", on(lambda t: t.update(decorator_line=t["decorator_line"] + 1))),
              ("docstring text", on(lambda t: t.update(docstring=t["docstring"] + " "))),
              ("docstring_line_start + 1", on(lambda t: t.update(docstring_line_start=t["docstring_line_start"] + 1))),
              ("docstring_line_end + 1", on(lambda t: t.update(docstring_line_end=t["docstring_line_end"] + 1))),
              ("description unmasked", on(lambda t: t.update(function_description=t["module_name"] + " " + t["function_description"]))),
              ("module_type", on(lambda t: t.update(module_type="class" if t["module_type"] == "function" else "function")))]
        if "functions" in row:
            m += [("n_functions", plus("n_functions")),
                  ("two targets in one file", lambda r: r["functions"][1].update(r["functions"][0]))]
    elif task == "func_gen":
        m += [("line_start + 1", plus("line_start")),
              ("func_name", lambda r: r.update(func_name="X." + r["func_name"])),
              ("func_signature", lambda r: r.update(func_signature=r["func_signature"].replace("def ", "def  "))),
              ("func_docstring_raw", lambda r: r.update(func_docstring_raw=r["func_docstring_raw"] + "x")),
              ("func_body without its last line", lambda r: r.update(func_body="".join(r["func_body"].splitlines(True)[:-1]))),
              ("orig_context", lambda r: r.update(orig_context=r["orig_context"] + "\n")),
              ("docstring_line_end + 1", plus("docstring_line_end")),
              ("file_imports line", lambda r: r["file_imports"].append({"line": 0, "statement": "import nothing"}))]
        if row["dependencies"]:
            m += [("dependency line_start + 1", dep("dependencies", lambda d: d.update(line_start=d["line_start"] + 1)))]
    elif task == "issue_localize":
        m += [("gold file added", lambda r: r["gold_files"].append("proj/elsewhere.py")),
              ("a test file as gold", lambda r: r["gold_files"].append("tests/test_x.py")),
              ("patch changed", lambda r: r.update(patch=r["patch"] + "\n")),
              ("module_level_only flipped", lambda r: r.update(module_level_only=not r["module_level_only"])),
              ("instance_id repeated", None)]
        if row["gold_functions"]:
            m += [("gold function missing", lambda r: r["gold_functions"].pop()),
                  ("gold function line_end + 1", dep("gold_functions", lambda d: d.update(line_end=d["line_end"] + 1))),
                  ("gold function qualname", dep("gold_functions", lambda d: d.update(qualname="X"))),
                  ("gold functions repeated", lambda r: r["gold_functions"].append(copy.deepcopy(r["gold_functions"][0])))]
    return m


def check(index, task, rows, inp):
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "hgym_mutate_%d.jsonl" % os.getpid())
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    opts = {"min_deps": 0, "max_deps": 64, "allow_private": True, "allow_ambiguous": True, "include_tests": False,
            "min_lines": 0, "max_lines": 25 if task == "func_gen" else 0, "max_errors": 0}
    ck = SC.Checker(index, opts)
    with redirect_stdout(io.StringIO()):
        SC.check_file(ck, path, task, inp)
    os.unlink(path)
    return ck.errors


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    index, rows_path, task = argv[:3]
    inp = argv[4] if len(argv) > 4 and argv[3] == "--input" else None
    with open(rows_path, encoding="utf-8") as f:
        rows = [json.loads(x) for x in f]
    if not rows:
        print("mutate: %s has no rows" % rows_path)
        return 1
    if check(index, task, rows, inp):
        print("mutate: %s: the unchanged rows do not pass synth_check" % rows_path)
        return 1
    # the first row with dependencies / gold functions, so those mutations apply
    row = next((r for r in rows if r.get("dependencies") or r.get("gold_functions")), rows[0])
    missed = []
    for name, fn in mutations(task, row, rows):
        bad = copy.deepcopy(rows)
        k = rows.index(row)
        if fn is None:  # instance_id repeated
            other = next((i for i in range(len(rows)) if i != k), None)
            if other is None:
                continue
            bad[other]["instance_id"] = bad[k]["instance_id"]
        else:
            fn(bad[k])
        if check(index, task, bad, inp) == 0:
            missed.append(name)
    n = len(mutations(task, row, rows))
    if missed:
        print("mutate: %s: synth_check did not notice: %s" % (rows_path, ", ".join(missed)))
        return 1
    print("mutate: %s: synth_check noticed all %d changed fields" % (os.path.basename(rows_path), n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

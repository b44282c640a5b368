#!/usr/bin/env python3
"""Run a golden_deps case's code and check the annotations against the calls
Python actually makes.

usage: trace.py CASE_DIR...

For each case, a fresh interpreter (python -I) imports every module of repo/
and calls every function and every method (on an instance of each class that
has it, so an inherited method runs once per subclass) with sample arguments,
under sys.setprofile.  Each call from one repository function to another is
recorded with the line it was made from, and the callee must be among the
`dep` alternatives annotated on that line (a call of a class may show up as
its __init__).  Calls that raise (an unbound name is a NameError) are expected
where the source is annotated `unresolved`.  This only checks what runs, so it
complements expect.py, which checks that every call is annotated and derives
the expected output.  Third-party modules are stubbed (requests, numpy) or
made missing (fastjson, simplejson) so the run is the same on every machine.
Exit status 1 when a call made at run time is not annotated on its line.
"""
import os
import subprocess
import sys


def main(argv):
    if len(argv) >= 2 and argv[0] == "--child":
        return child(argv[1])
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    rc = 0
    for c in argv:
        p = subprocess.run([sys.executable, "-I", "-B", os.path.abspath(__file__), "--child", c])
        rc |= p.returncode != 0
    return rc


MISSING = {"fastjson", "simplejson"}
STUBBED = {"requests", "numpy"}

SAMPLES = {"xs": [3, 1, 2], "text": "{}", "obj": {}, "key": "k", "n": 3, "x": 1, "v": 1, "name": "n", "path": "p",
           "a": "a", "b": "b", "fn": (lambda: None), "helper": (lambda: None)}


def child(case_dir):
    import importlib
    import importlib.abc
    import importlib.util
    import inspect
    import types

    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("golden_expect", os.path.join(here, "expect.py"))
    expect = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(expect)
    case = os.path.basename(os.path.normpath(case_dir))
    root = os.path.abspath(os.path.join(case_dir, "repo"))
    repo = expect.Repo(root, "golden/" + case)
    sites, _ = expect.parse_annotations(repo)
    if expect.errors:
        for e in expect.errors:
            print("trace: %s: %s" % (case, e))
        return 1
    by_line = {}
    for s in sites:
        by_line.setdefault((s.file, s.line), []).append(s)

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in MISSING:
                raise ModuleNotFoundError("No module named %r (made missing by trace.py)" % name, name=name)
            return None

    sys.meta_path.insert(0, Block())
    for name in STUBBED:
        m = types.ModuleType(name)
        m.__getattr__ = lambda attr: (lambda *a, **k: None)
        sys.modules[name] = m

    # where each file is imported from
    src = os.path.join(root, "src")
    has_src = os.path.isdir(src) and not os.path.exists(os.path.join(src, "__init__.py"))
    sys.path[:0] = [root] + ([src] if has_src else [])
    recorded = []
    files = {os.path.join(root, p): p for p in repo.paths}

    def profile(frame, event, arg):
        if event != "call":
            return
        callee = files.get(frame.f_code.co_filename)
        back = frame.f_back
        if callee is None or back is None:
            return
        caller = files.get(back.f_code.co_filename)
        if caller is None:
            return
        recorded.append((caller, back.f_lineno - 1, callee, frame.f_code.co_firstlineno - 1, frame.f_code.co_name))

    modules = []
    problems = []
    stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # the fixtures print
    sys.setprofile(profile)
    try:
        for p in repo.paths:
            rel = p[4:] if has_src and p.startswith("src/") else p
            d = os.path.dirname(rel)
            in_package = d == "" or os.path.exists(os.path.join(root, os.path.dirname(p), "__init__.py"))
            try:
                if in_package:
                    name = rel[:-3].replace("/", ".")
                    if name.endswith(".__init__"):
                        name = name[: -len(".__init__")]
                    modules.append((p, importlib.import_module(name)))
                else:
                    # a script: its directory first on sys.path, its siblings found there
                    sdir = os.path.join(root, os.path.dirname(p))
                    saved = dict(sys.modules)
                    for f in os.listdir(sdir):
                        sys.modules.pop(f[:-3], None)
                    sys.path.insert(0, sdir)
                    try:
                        sp = importlib.util.spec_from_file_location("__script_" + os.path.basename(p)[:-3],
                                                                    os.path.join(root, p))
                        m = importlib.util.module_from_spec(sp)
                        sp.loader.exec_module(m)
                        modules.append((p, m))
                    finally:
                        sys.path.remove(sdir)
                        sys.modules.clear()
                        sys.modules.update(saved)
            except Exception as e:  # noqa: BLE001 - reported, the run goes on
                problems.append("import %s: %s: %s" % (p, type(e).__name__, e))

        def call(fn):
            try:
                sig = inspect.signature(fn)
                args = [SAMPLES.get(n) for n, prm in sig.parameters.items()
                        if prm.kind in (prm.POSITIONAL_ONLY, prm.POSITIONAL_OR_KEYWORD) and prm.default is prm.empty]
                fn(*args)
            except NameError as e:  # where the source is annotated `unresolved`
                problems.append("%s raised NameError: %s" % (getattr(fn, "__qualname__", fn), e))
            except Exception:  # noqa: BLE001 - sample arguments do not suit every function
                pass

        def instance(cls):
            try:
                return cls()
            except Exception:  # noqa: BLE001
                return cls.__new__(cls)

        for p, m in modules:
            for d in repo.defs[repo.file_defs[p][0]:repo.file_defs[p][1]]:
                if d.parent is not None:
                    continue
                obj = getattr(m, d.name, None)
                if d.kind == "function" and inspect.isfunction(obj):
                    call(obj)
                elif d.kind == "class" and inspect.isclass(obj):
                    inst = instance(obj)
                    for attr in dir(obj):
                        raw = inspect.getattr_static(obj, attr)
                        fn = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
                        if isinstance(raw, property):
                            fn = raw.fget
                        code = getattr(fn, "__code__", None)
                        if code is None or code.co_filename not in files or attr.startswith("__"):
                            continue
                        if isinstance(raw, property):
                            try:
                                getattr(inst, attr)
                            except Exception:  # noqa: BLE001
                                pass
                        elif isinstance(raw, (staticmethod, classmethod)):
                            call(getattr(obj, attr))
                        else:
                            call(getattr(inst, attr))
    finally:
        sys.setprofile(None)
        sys.stdout.close()
        sys.stdout = stdout

    errors = []
    seen = set()
    observed = 0
    for caller, line, callee, first, name in recorded:
        target = None
        lo, hi = repo.file_defs[callee]
        for d in repo.defs[lo:hi]:
            if d.name == name and first in (d.decorator_line, d.line_start):
                target = d
        if target is None or target.kind == "class":
            continue  # a module, class body, lambda or comprehension: not a call of a definition
        alts = [s for s in by_line.get((caller, line), []) if s.kind == "dep"]
        ok = any(s.value == target.index for s in alts)
        if not ok and target.name == "__init__":
            ok = any(repo.defs[s.value].kind == "class" for s in alts)  # a class called: its __init__ runs
        key = (caller, line, target.index)
        if key in seen:
            continue
        seen.add(key)
        observed += 1
        if not ok:
            errors.append("%s:%d calls %s:%s at run time; the annotations there say %s" % (
                caller, line, target.file, target.qualname,
                [repo.defs[s.value].file + ":" + repo.defs[s.value].qualname for s in alts] or "nothing"))
    for e in errors:
        print("trace: %s: %s" % (case, e))
    for p in problems:
        print("trace: %s: note: %s" % (case, p))
    # annotated calls of functions that never ran: say so, it is not an error
    # (a branch not taken, one alternative of an ambiguous call)
    unseen = [s for s in sites if s.kind == "dep" and repo.defs[s.value].kind == "function"
              and (s.file, s.line, s.value) not in seen]
    for s in unseen:
        print("trace: %s: note: %s:%d: the call of %s did not run" % (case, s.file, s.line, repo.defs[s.value].qualname))
    print("trace: %s: %d distinct calls between the repository's functions ran, %s" % (
        case, observed, "all as annotated" if not errors else "%d not as annotated" % len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Check `deps` against `defs` for one indexed repository.

usage: deps_cover.py HGYM_QUERY INDEX
 - `deps` with no target prints exactly one row per function/method that
   `defs` lists (same file, qualname, lines);
 - every function/method is found again by FILE:QUALNAME and by FILE:LINE
   (its def line), in one batch call each;
 - every dependency of every row is a definition `defs` lists, with the same
   lines, type and decorator_line, and no row depends on itself.
Prints 'N passed, N failed' over the checks; exit 1 on any failure.
"""
import json
import subprocess
import sys


def run(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args[:4])}...: exit {p.returncode}: {p.stderr[:500]}")
    return [json.loads(l) for l in p.stdout.splitlines()]


def main():
    q, idx = sys.argv[1:3]
    defs = run(q, "-i", idx, "defs")
    by_key = {(d["file_path"], d["qualname"], d["line_start"]): d for d in defs}
    funcs = [d for d in defs if d["type"] == "function"]
    want = sorted((d["file_path"], d["qualname"], d["line_start"], d["line_end"]) for d in funcs)
    failures = []
    checks = 0

    rows = run(q, "-i", idx, "deps")
    got = sorted((r["target_function_file"], r["target_function_qualname"], r["target_function_line_start"],
                  r["target_function_line_end"]) for r in rows)
    checks += 1
    if got != want:
        failures.append(f"deps rows != function defs: {len(got)} rows vs {len(want)} defs; "
                        f"missing {sorted(set(want) - set(got))[:3]} extra {sorted(set(got) - set(want))[:3]}")

    # every target by name and by line, in batches
    names = [f"{d['file_path']}:{d['qualname']}" for d in funcs]
    by_name = run(q, "-i", idx, "deps", *names)
    found = {(r["target_function_file"], r["target_function_qualname"], r["target_function_line_start"]) for r in by_name}
    checks += 1
    missing = [n for n, d in zip(names, funcs) if (d["file_path"], d["qualname"], d["line_start"]) not in found]
    if missing:
        failures.append(f"FILE:QUALNAME not found for {len(missing)}: {missing[:3]}")
    lines = [f"{d['file_path']}:{d['line_start']}" for d in funcs]
    by_line = run(q, "-i", idx, "deps", *lines)
    checks += 1
    if len(by_line) != len(funcs):
        failures.append(f"FILE:LINE gave {len(by_line)} rows for {len(funcs)} targets")
    else:
        bad = [(t, r["target_function_qualname"]) for t, r, d in zip(lines, by_line, funcs)
               if (r["target_function_file"], r["target_function_line_start"]) != (d["file_path"], d["line_start"])]
        if bad:
            failures.append(f"FILE:LINE found the wrong def for {len(bad)}: {bad[:3]}")

    for r in rows:
        checks += 1
        if r["num_dependencies"] != len(r["dependencies"]):
            failures.append(f"{r['target_function_qualname']}: num_dependencies mismatch")
        seen = set()
        for dep in r["dependencies"]:
            key = (dep["file_path"], dep["qualname"], dep["line_start"])
            d = by_key.get(key)
            if d is None or (d["line_end"], d["type"], d["decorator_line"], d["name"]) != (
                    dep["line_end"], dep["type"], dep["decorator_line"], dep["name"]):
                failures.append(f"{r['target_function_qualname']}: dependency {key} is not a def as listed")
            if key in seen:
                failures.append(f"{r['target_function_qualname']}: duplicate dependency {key}")
            seen.add(key)
            if key == (r["target_function_file"], r["target_function_qualname"], r["target_function_line_start"]):
                failures.append(f"{r['target_function_qualname']}: depends on itself")
    for f in failures[:20]:
        print("FAIL", f)
    print(f"deps_cover {idx}: {len(funcs)} functions, {len(rows)} rows, "
          f"{sum(r['num_dependencies'] for r in rows)} dependencies")
    print(f"deps_cover: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

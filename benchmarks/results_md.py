#!/usr/bin/env python3
"""Turn hgym-bench's results.json into the figures part of benchmarks/RESULTS.md.

usage: results_md.py RESULTS.json [MANIFEST] > RESULTS.md

`make bench` writes build/bench/RESULTS.md this way; the committed
benchmarks/RESULTS.md is that text plus the notes written by whoever ran it.
"""
import json
import sys


def fmt(v, nd=2):
    return "-" if v is None else f"{v:.{nd}f}"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    r = json.load(open(sys.argv[1]))
    manifest = sys.argv[2] if len(sys.argv) > 2 else None
    m, c = r["machine"], r["corpus"]
    out = []
    w = out.append
    w(f"Measured {r['date']} with `{r['command']}` (`make bench` runs it), total {r['total_seconds']:.0f} s.\n")
    w(f"- Machine: {m['nproc']} cores, CPU `{m['cpu']}`, {m['mem_total']} RAM, Linux {m['kernel']}; "
      f"load average {m['loadavg_start']} at the start, {m['loadavg_end']} at the end.")
    w(f"- Corpus: {c['repositories']} repositories, {c['files']} files, {c['bytes'] / 1e6:.1f} MB, "
      f"{c['lines']} lines: {', '.join(c['names'])}.")
    w(f"- Method: {r['method']['reps']} runs of each throughput phase, {r['method']['schedule']}; "
      f"throughput = {r['method']['throughput']}; peak RSS = {r['method']['peak_rss']}. "
      "`other` = cores the rest of the machine kept busy during the phase (from /proc/stat), mean over the runs.\n")
    w("| phase | best s | median s | files/s | MB/s best | MB/s median | x floor best | x floor median | peak RSS | other |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for p in r["phases"]:
        if "best_seconds" not in p:
            w(f"| {p['phase']} | no successful run | | | | | | | | |")
            continue
        oth = [x for x in p.get("runs_other_load_cores", []) if x is not None and x >= 0]
        rss = f"{p['peak_rss_kib'] / 1024:.0f} MiB" if "peak_rss_kib" in p else "-"
        w(f"| {p['phase']} | {p['best_seconds']:.2f} | {p['median_seconds']:.2f} | {p['files_per_second']:.0f} | "
          f"{p['mb_per_second']:.2f} | {p['mb_per_second_median']:.2f} | {fmt(p.get('ratio_to_floor'))} | "
          f"{fmt(p.get('ratio_to_floor_median'))} | {rss} | {fmt(sum(oth) / len(oth) if oth else None)} |")
    w("")
    if "speedup_2_threads" in r:
        w(f"- 2 threads / 1 thread: {r['speedup_2_threads']:.2f}x (best), {r['speedup_2_threads_median']:.2f}x (median).")
    if "ratio_1_thread_to_hgym_parse" in r:
        w(f"- 1 thread / the parse as hgym does it (its tree-sitter allocator, analyzer/tsalloc.h), i.e. the cost of "
          f"hgym's own work beyond parsing: {r['ratio_1_thread_to_hgym_parse']:.2f}x (best), "
          f"{r['ratio_1_thread_to_hgym_parse_median']:.2f}x (median).")
    if "ratio_1_thread_to_floor_by_cpu" in r:
        w(f"- 1 thread / floor by CPU seconds instead of wall seconds: {r['ratio_1_thread_to_floor_by_cpu']:.2f}.")
    ix = r["index"]
    w(f"- Index size: {ix['bytes'] / 1e6:.1f} MB = {ix['ratio_to_source']:.2f}x the source "
      f"({ix['source_bytes'] / 1e6:.1f} MB); same bytes for every thread count: "
      f"{'yes' if ix['same_bytes_for_every_thread_count'] else 'NO'}.")
    lk = r["lookups"]
    if lk["measured"]:
        w(f"- `deps` lookups: {lk['n']} random functions (seed {lk['seed']}), each {lk['each']}: "
          f"p50 {lk['p50_us']:.1f} µs, p90 {lk['p90_us']:.1f} µs, p99 {lk['p99_us']:.1f} µs, max {lk['max_us']:.0f} µs; "
          f"{lk['not_found']} not found; index opened in {lk['open_ms']:.2f} ms.")
    j = r["jedi_comparison"]
    w(f"\n### jedi reference method vs hgym on {j['repository']}\n")
    h, jd = j.get("hgym"), j.get("jedi")
    if h:
        w(f"- hgym: `hgym-index` + `hgym-query deps` (all functions) as processes, best of {len(h['runs_seconds'])}: "
          f"{h['best_seconds']:.3f} s (index {h['index_best_seconds']:.3f} s, deps {h['deps_best_seconds']:.3f} s), "
          f"{h['lines_per_second']:.0f} lines/s over {h['lines']} lines.")
    if jd:
        w(f"- Reference: {jd['method']}, jedi {jd['jedi_version']}: {jd['seconds']:.2f} s "
          f"(in-process, without interpreter start and `import jedi`), {jd['lines_per_second']:.0f} lines/s; "
          f"{jd['functions']} functions, {jd['call_sites']} call sites, {jd['gotos']} gotos.")
    if "hgym_faster_by" in j:
        w(f"- **hgym is {j['hgym_faster_by']:.0f}x faster.**")
    if jd and "edges_both" in jd:
        w(f"- Dependency edges (function -> repository def): jedi {jd['edges_jedi']}, hgym {jd['edges_hgym']}, "
          f"both {jd['edges_both']}; jedi only {jd['jedi_only']}, hgym only {jd['hgym_only']}. hgym finds "
          f"{100 * jd['share_of_jedi_found_by_hgym']:.1f}% of jedi's edges; jedi confirms "
          f"{100 * jd['share_of_hgym_confirmed_by_jedi']:.1f}% of hgym's.")
    if "note" in j:
        w(f"- Note: {j['note']}")
    w("\n### Targets (issue 4)\n")
    w("| target | measured (best) | median | rule | met? |")
    w("|---|---|---|---|---|")
    for t in r["targets"]:
        if not t["measured"]:
            w(f"| {t['target']} | not measured | | {t['rule']} {t['threshold']} {t['unit']} | not measured |")
            continue
        med = f"{t['value_median']:.3f}" if "value_median" in t else "-"
        met = "**met**" if t["met"] else "**not met**"
        if "met_median" in t and t["met_median"] != t["met"]:
            met += f" (median: {'met' if t['met_median'] else 'not met'})"
        w(f"| {t['target']} | {t['value']:.3f} {t['unit']} | {med} | {t['rule']} {t['threshold']} {t['unit']} | {met} |")
    if manifest:
        w("\n### Corpus versions\n")
        w("```")
        w(open(manifest).read().rstrip())
        w("```")
    print("\n".join(out))


if __name__ == "__main__":
    main()

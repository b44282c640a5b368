#!/usr/bin/env python3
"""Derive the expected hgym-synth output of golden_synth cases from their sources.

usage: expect.py [--write] CASE_DIR...

A case is CASE_DIR/repo/ (a small repository written for the test), a `runs`
file and, for issue_localize, CASE_DIR/input.jsonl.  Each line of `runs` is

    NAME TASK [OPTIONS...]        one hgym-synth run (the options it takes)
    differ NAME1 NAME2            the two runs must select different targets
    mutate NAME                   (for the driver) synth_check must notice each
                                  field of that run's rows changed (mutate.py)

For every run this script builds, from Python's ast, the `#>` annotations of
the sources (for dependencies; grammar in tests/golden_deps/expect.py) and the
task definitions of docs/tasks/, the exact rows (CASE_DIR/expected/NAME.jsonl)
and stderr summary (CASE_DIR/expected/NAME.summary), and compares them with
the files (or writes them with --write).  It shares no code with hgym; the only
code it borrows is golden_deps' annotation reader, itself independent of hgym.
The sampling follows the algorithm docs/tasks/README.md documents (splitmix64
seeded by --seed xor FNV-1a of the repository name, Fisher-Yates), written
again here from that description.  Exit status 1 on any mismatch.
"""
import ast
import importlib.util
import io
import json
import os
import re
import sys
import tokenize

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("golden_deps_expect", os.path.join(HERE, "..", "golden_deps", "expect.py"))
gd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gd)
_spec = importlib.util.spec_from_file_location("pipeline_check", os.path.join(HERE, "..", "pipeline_check.py"))
PC = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(PC)  # Hybrid-Gym's removal and masking steps, written again from their description

COMMIT = "5ca1ab1e0ddba11c0ffee0ddf00dfacade123456"  # the --commit every case is indexed at
M64 = (1 << 64) - 1
errors = []

# Drop reasons in the order the summary prints them (the order of docs/tasks/README.md).
REASONS = ["not a target kind", "in a syntax error", "test file", "private name", "no docstring", "no parameter",
           "no return value", "two statements or fewer", "trivial body", "not found alone by the masking step",
           "masked file does not parse", "line bounds", "dependency count",
           "overload stub dependency", "ambiguous dependency", "unresolved calls",
           "dependencies within 5 lines (ungradeable)", "docstring removal breaks the file", "empty description",
           "description under five words", "description found elsewhere in the repository",
           "description shared by several targets", "source changed or missing", "duplicate body",
           "per-repo / max-instances cap", "repository or commit not indexed",
           "repository not pinned (owner/name at a full commit)", "malformed input row",
           "no partner in another file"]


# The reasons each task's summary lists even when they dropped nothing (docs/tasks/README.md).
DEFS = ["in a syntax error", "test file", "line bounds", "source changed or missing", "duplicate body",
        "per-repo / max-instances cap"]
TASK_REASONS = {
    "dep_search": DEFS + ["not a target kind", "private name", "dependency count", "overload stub dependency",
                          "ambiguous dependency", "unresolved calls", "dependencies within 5 lines (ungradeable)"],
    "func_localize": DEFS + ["no docstring", "docstring removal breaks the file", "empty description",
                             "description under five words", "description found elsewhere in the repository",
                             "description shared by several targets"],
    "func_gen": DEFS + ["not a target kind", "no docstring", "no parameter", "no return value",
                        "two statements or fewer", "trivial body", "not found alone by the masking step",
                        "masked file does not parse"],
    "issue_localize": ["per-repo / max-instances cap", "repository or commit not indexed",
                       "repository not pinned (owner/name at a full commit)", "malformed input row"],
}


def err(msg):
    errors.append(msg)


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# ---- the documented PRNG -----------------------------------------------------------

class Rng:
    def __init__(self, seed, repo_name):
        h = 0xCBF29CE484222325
        for b in repo_name.encode():
            h = ((h ^ b) * 0x100000001B3) & M64
        self.s = (seed ^ h) & M64

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def shuffle(self, a):
        for i in range(len(a), 1, -1):
            j = self.next() % i
            a[i - 1], a[j] = a[j], a[i - 1]


# ---- the repository ------------------------------------------------------------------

def is_test_path(path):
    """test_*.py, *_test.py, conftest.py, or a tests/ or test/ directory (whole components)."""
    parts = path.split("/")
    if any(p in ("tests", "test") for p in parts[:-1]):
        return True
    f = parts[-1]
    return (f.startswith("test_") and f.endswith(".py")) or f.endswith("_test.py") or f == "conftest.py"


class Source:
    """A file's bytes, text and line offsets."""

    def __init__(self, root, path):
        with open(os.path.join(root, path), "rb") as f:
            self.data = f.read()
        self.text = self.data.decode("utf-8")
        # lines end at \n, \r\n or \r as for Python's tokenizer (str.splitlines would
        # also split at form feeds); ast columns are UTF-8 byte offsets within a line
        self.blines = self.data.splitlines(keepends=True)
        self.lines = [b.decode("utf-8") for b in self.blines]

    def segment(self, l0, c0, l1, c1):
        """Text from (line, byte col) to (line, byte col), 0-indexed lines."""
        if l0 == l1:
            return self.blines[l0][c0:c1].decode()
        out = [self.blines[l0][c0:]] + self.blines[l0 + 1:l1] + [self.blines[l1][:c1]]
        return b"".join(out).decode()

    def line_range(self, first, last):
        return "".join(self.lines[first:last + 1])


def string_contents(seg):
    """The text between the quotes of each string literal in seg, concatenated."""
    out = []
    for t in tokenize.generate_tokens(io.StringIO(seg).readline):
        if t.type == tokenize.STRING:
            s = t.string
            i = 0
            while s[i] not in "'\"":
                i += 1
            q = s[i:i + 3] if s[i:i + 3] in ('"""', "'''") else s[i]
            out.append(s[i + len(q):len(s) - len(q)])
    return "".join(out)


def docstring_node(node):
    """The first body statement when it is a str literal (not f-string, not bytes)."""
    if not node.body:
        return None
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.value
    return None


def signature(src, node):
    """Source text from `def`/`async` to the ':' that ends the header."""
    seg = src.segment(node.lineno - 1, node.col_offset, node.end_lineno - 1, node.end_col_offset)
    depth = 0
    toks = tokenize.generate_tokens(io.StringIO(seg).readline)
    for t in toks:
        if t.type == tokenize.OP:
            if t.string in "([{":
                depth += 1
            elif t.string in ")]}":
                depth -= 1
            elif t.string == ":" and depth == 0:
                lines = seg.splitlines(keepends=True)
                return "".join(lines[:t.end[0] - 1]) + lines[t.end[0] - 1][:t.end[1]]
    raise ValueError("no header colon")


def own_nodes(node):
    """Nodes of a def's own body: nested defs, classes and lambdas excluded."""
    skip = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    stack = [x for x in node.body if not isinstance(x, skip)]
    while stack:
        n = stack.pop()
        yield n
        for c in ast.iter_child_nodes(n):
            if not isinstance(c, skip):
                stack.append(c)


def is_placeholder(st):
    if isinstance(st, ast.Pass):
        return True
    if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant) and st.value.value is Ellipsis:
        return True
    if isinstance(st, ast.Raise) and st.exc is not None:
        e = st.exc.func if isinstance(st.exc, ast.Call) else st.exc
        return isinstance(e, ast.Name) and e.id == "NotImplementedError"
    return False


def is_forward(st):
    """`f(...)`, `await f(...)`, `return f(...)`, `return await f(...)`."""
    if isinstance(st, (ast.Expr, ast.Return)) and st.value is not None:
        v = st.value
        if isinstance(v, ast.Await):
            v = v.value
        return isinstance(v, ast.Call)
    return False


class Model:
    """What the task definitions need to know of the fixture repository."""

    def __init__(self, case_dir, name, need_deps):
        self.repo = gd.Repo(os.path.join(case_dir, "repo"), name)
        self.name = name
        self.src = {p: Source(self.repo.root, p) for p in self.repo.paths}
        self.sites = None
        self.rows = {}
        if need_deps:
            before = len(gd.errors)
            self.sites, _ = gd.parse_annotations(self.repo)
            gd.site_columns(self.repo, self.sites)  # every call annotated, names match; marks bare decorators
            for e in gd.errors[before:]:
                err("annotations: " + e)

    def deps_row(self, d, bare=False):
        """golden_deps' row of d from the annotations: its dependencies (a bare decorator
        counts only when bare) and its unresolved calls."""
        if (d.index, bare) not in self.rows:
            self.rows[(d.index, bare)] = gd.deps_row(self.repo, d, self.sites, bare)
        return self.rows[(d.index, bare)]

    def deps(self, d, o):
        return self.deps_row(d, o.count_bare_decorators)["dependencies"]

    def is_overload(self, dep):
        """Is the dependency an @overload stub (a decorator `overload` or `x.overload`)?"""
        node = self.repo.find(dep["file_path"], dep["qualname"], dep["line_start"]).node
        return any((isinstance(x, ast.Name) and x.id == "overload") or (isinstance(x, ast.Attribute) and x.attr == "overload")
                   for x in node.decorator_list)

    def parent_kinds(self, d):
        p, out = d.parent, []
        while p is not None:
            out.append(self.repo.defs[p].kind)
            p = self.repo.defs[p].parent
        return out

    def is_method(self, d):
        return d.parent is not None and self.repo.defs[d.parent].kind == "class"

    def nested_in_function(self, d):
        return "function" in self.parent_kinds(d)

    def lines(self, d):
        return d.line_end - d.line_start + 1

    def body_key(self, d):
        """The body from its first statement to the def's end, whitespace runs made one space."""
        s = self.src[d.file]
        b = d.node.body[0]
        # decorators of a nested def start before the statement proper
        l0, c0 = b.lineno - 1, b.col_offset
        if isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and b.decorator_list:
            l0, c0 = b.decorator_list[0].lineno - 1, b.decorator_list[0].col_offset - 1
        text = s.segment(l0, c0, d.node.end_lineno - 1, d.node.end_col_offset)
        return " ".join(re.split(r"[ \t\n\r\f]+", text.strip(" \t\n\r\f")))

    def doc(self, d):
        """(text, line_start, line_end) of the docstring, or None."""
        c = docstring_node(d.node)
        if c is None:
            return None
        s = self.src[d.file]
        seg = s.segment(c.lineno - 1, c.col_offset, c.end_lineno - 1, c.end_col_offset)
        return string_contents(seg), c.lineno - 1, c.end_lineno - 1

    def noun(self, d):
        if d.kind == "class":
            return "this class"
        return "this method" if self.is_method(d) else "this function"


def dep_json(repo, d):
    return {"name": d.name, "file_path": d.file, "line_start": d.line_start, "line_end": d.line_end,
            "type": d.kind, "decorator_line": d.decorator_line, "qualname": d.qualname}


# ---- func_localize's description -------------------------------------------------------

WS = " \t\n\r\f"


def first_sentence(doc):
    """The first sentence of the first paragraph, whitespace folded, as written; None when empty."""
    para = []
    for ln in doc.split("\n"):
        if ln.strip(" \t\r") == "" and "".join(para).strip(WS):
            break
        para.append(ln)
    flat = " ".join(x for x in re.split(r"[ \t\n\r\f]+", "\n".join(para)) if x)
    for m in re.finditer(r"[.!?](?= |$)", flat):
        head = flat[:m.end()]
        if m.group() == "." and (head.endswith("e.g.") or head.endswith("i.e.")):
            continue
        flat = head
        break
    return flat or None


OPEN_BEFORE = " '\"([{<-/:"
CLOSE_AFTER = " '\")]}>-/:.,;!?"


def ref_text(t):
    """What a reference shows: `title <target>` -> title, `~a.b.c` -> c, `!x` -> x."""
    m = re.fullmatch(r"(.*?) +<[^<]*>", t)
    if m and m.group(1):
        return m.group(1)
    if len(t) > 1 and t[0] == "~":
        return t[1:].rsplit(".", 1)[-1]
    if len(t) > 1 and t[0] == "!":
        return t[1:]
    return t


ROLE = re.compile(r":(?:[A-Za-z0-9_.+-]+:)+`([^`]+)`")
EMPH = re.compile(r"(\*\*?)([^ *][^*]*)\*")


def strip_markup(s):
    """reST/Sphinx inline markup out of a sentence, left to right, trying at each position:
    a role (:func:`x`, :py:class:`x`; not after a letter or digit), an inline literal
    ``x``, interpreted text `x` (and a link's _ or __ after it), emphasis *x* / strong
    **x** (reST's start and end rules; the text holds no star)."""
    out, i, n = [], 0, len(s)
    while i < n:
        if s[i] == ":" and (i == 0 or not (s[i - 1].isascii() and s[i - 1].isalnum())):
            m = ROLE.match(s, i)
            if m:
                out.append(ref_text(m.group(1)))
                i = m.end()
                continue
        if s.startswith("``", i):
            j = s.find("``", i + 2)
            if j > i + 2:
                out.append(s[i + 2:j])
                i = j + 2
                continue
        if s[i] == "`":
            j = s.find("`", i + 1)
            if j > i + 1:
                out.append(ref_text(s[i + 1:j]))
                i = j + 1
                i += 2 if s.startswith("__", i) else 1 if s.startswith("_", i) else 0
                continue
        if s[i] == "*" and (i == 0 or s[i - 1] in OPEN_BEFORE):
            m = EMPH.match(s, i)
            if m:
                k = len(m.group(1))
                end = m.end()  # just after the first star that follows the text
                if (k == 1 or s[end:end + 1] == "*") and m.group(2)[-1] != " ":
                    after = end + k - 1
                    if after == n or s[after] in CLOSE_AFTER:
                        out.append(m.group(2))
                        i = after
                        continue
        out.append(s[i])
        i += 1
    return "".join(out)


def words(s):
    return len(s.split())


def describe(doc, name, noun):
    """The description: the first sentence without its markup, the name masked."""
    flat = first_sentence(doc)
    if flat is None:
        return None
    flat = strip_markup(flat)
    if not flat:
        return None

    def ident(ch):
        return ch == "_" or (ch.isascii() and ch.isalnum()) or ord(ch) >= 0x80

    out, i = [], 0
    while i < len(flat):
        if (name and flat.startswith(name, i) and (i == 0 or not ident(flat[i - 1]))
                and (i + len(name) == len(flat) or not ident(flat[i + len(name)]))):
            out.append(noun)
            i += len(name)
        else:
            out.append(flat[i])
            i += 1
    return "".join(out)


# ---- runs ---------------------------------------------------------------------------------

class Opts:
    def __init__(self, task, args):
        self.task = task
        self.seed = 0
        self.per_repo = 20 if task == "dep_search" else 0
        self.max_instances = 0
        self.min_lines = 0
        self.max_lines = 25 if task == "func_gen" else 0
        self.min_deps, self.max_deps = 1, 5
        self.allow_ambiguous = self.allow_private = self.multi = False
        self.count_bare_decorators = self.allow_unresolved = self.allow_unpinned = False
        self.exclude_tests = True
        self.input = None
        it = iter(args)
        for a in it:
            if a in ("--allow-ambiguous", "--allow-private", "--multi", "--count-bare-decorators", "--allow-unresolved",
                     "--allow-unpinned"):
                setattr(self, a[2:].replace("-", "_"), True)
            elif a == "--include-tests":
                self.exclude_tests = False
            elif a == "--input":
                self.input = next(it)
            elif a.startswith("--"):
                setattr(self, a[2:].replace("-", "_"), int(next(it)))
            else:
                raise ValueError("unknown run argument %r" % a)


class Stats:
    def __init__(self):
        self.seen = self.kept = self.rows = 0
        self.dropped = {}
        self.hist = {}
        self.diags = []  # stderr lines before the summary

    def drop(self, why, n=1):
        if why not in REASONS:
            raise ValueError(why)
        if n:
            self.dropped[why] = self.dropped.get(why, 0) + n

    def summary(self, task, multi=False):
        out = self.diags + ["hgym-synth %s: %d candidates, %d kept in %d rows" % (task, self.seen, self.kept, self.rows)]
        for r in REASONS:
            if self.dropped.get(r) or r in TASK_REASONS[task] or (multi and r == "no partner in another file"):
                out.append("  dropped %8d  %s" % (self.dropped.get(r, 0), r))
        if task in ("dep_search", "func_gen"):
            h = "".join(" %d%s:%d" % (k, "+" if k == 10 else "", self.hist[k]) for k in sorted(self.hist))
            out.append("  dependency counts of kept targets:" + h)
        return out


def instance_id(repo_name, idx):
    return "%s__%s__%d" % (repo_name.replace("/", "__"), COMMIT[:8], idx)


def head(repo_name, idx):
    return {"instance_id": instance_id(repo_name, idx), "repo": repo_name, "base_commit": COMMIT}


def common(m, d, o):
    """The filters every definition task shares, in order: test file, line bounds."""
    if o.exclude_tests and is_test_path(d.file):
        return "test file"
    n = m.lines(d)
    if (o.min_lines and n < o.min_lines) or (o.max_lines and n > o.max_lines):
        return "line bounds"
    return None


class Dedupe:
    def __init__(self):
        self.seen = set()

    def __call__(self, m, d):
        k = m.body_key(d)
        if k in self.seen:
            return "duplicate body"
        self.seen.add(k)
        return None


def ungradeable(deps):
    """Two dependencies in one file whose decorator lines are at most 5 apart: the grader
    takes a comment within 5 lines of a decorator line as that dependency's."""
    return any(a["file_path"] == b["file_path"] and abs(a["decorator_line"] - b["decorator_line"]) <= 5
               for i, a in enumerate(deps) for b in deps[i + 1:])


def run_dep_search(m, o, st):
    dd = Dedupe()
    buckets = {}
    for d in m.repo.defs:
        st.seen += 1
        why = None
        if d.kind != "function" or m.nested_in_function(d):
            why = "not a target kind"
        else:
            why = common(m, d, o)
        if why is None and not o.allow_private and d.name.startswith("_"):
            why = "private name"
        if why is None:
            deps = m.deps(d, o)
            if not (o.min_deps <= len(deps) <= o.max_deps):
                why = "dependency count"
            elif any(m.is_overload(x) for x in deps):
                why = "overload stub dependency"
            elif any(x["ambiguous"] for x in deps) and not o.allow_ambiguous:
                why = "ambiguous dependency"
            elif m.deps_row(d, o.count_bare_decorators)["unresolved_calls"] and not o.allow_unresolved:
                why = "unresolved calls"
            elif ungradeable(deps):
                why = "dependencies within 5 lines (ungradeable)"
            else:
                why = dd(m, d)
        if why:
            st.drop(why)
            continue
        buckets.setdefault(min(len(m.deps(d, o)), 64), []).append(d)
    rng = Rng(o.seed, m.name)
    for k in sorted(buckets):
        rng.shuffle(buckets[k])
    rows, taken = [], 0
    queues = [list(buckets[k]) for k in sorted(buckets)]
    while any(queues):
        for q in queues:
            if not q:
                continue
            d = q.pop(0)
            if (o.per_repo and taken >= o.per_repo) or (o.max_instances and st.rows >= o.max_instances):
                st.drop("per-repo / max-instances cap")
                continue
            deps = m.deps(d, o)
            row = head(m.name, len(rows))
            row.update({"target_function_name": d.name, "target_function_file": d.file,
                        "target_function_line_start": d.line_start, "target_function_line_end": d.line_end,
                        "dependencies": deps, "num_dependencies": len(deps),
                        "num_unresolved_calls": m.deps_row(d, o.count_bare_decorators)["unresolved_calls"],
                        "target_function_qualname": d.qualname})
            rows.append(row)
            st.rows += 1
            st.kept += 1
            taken += 1
            st.hist[min(len(deps), 10)] = st.hist.get(min(len(deps), 10), 0) + 1
    return rows


def localize_item(m, d):
    text, l0, l1 = m.doc(d)
    return {"file_path": d.file, "module_name": d.name, "module_type": d.kind, "module_line_start": d.line_start,
            "module_line_end": d.line_end, "docstring": text, "docstring_line_start": l0, "docstring_line_end": l1,
            "function_description": describe(text, d.name, m.noun(d)), "description_source": "docstring",
            "qualname": d.qualname, "decorator_line": d.decorator_line}


def found_elsewhere(m, d):
    """Does the docstring's first sentence, as written and whitespace folded, appear in a file of
    the repository anywhere but inside the target's own docstring?"""
    raw = first_sentence(m.doc(d)[0]).encode()
    c = docstring_node(d.node)
    own = m.src[d.file]
    lo = sum(len(x) for x in own.blines[:c.lineno - 1]) + c.col_offset
    hi = sum(len(x) for x in own.blines[:c.end_lineno - 1]) + c.end_col_offset
    for path in m.repo.paths:
        data = m.src[path].data
        folded, origin = bytearray(), []
        for i, ch in enumerate(data):
            if ch in b" \t\n\r\f":
                if folded and folded[-1:] == b" ":
                    continue
                ch = ord(" ")
            folded.append(ch)
            origin.append(i)
        k = folded.find(raw)
        while k >= 0:
            if not (path == d.file and lo <= origin[k] < hi):
                return True
            k = folded.find(raw, k + 1)
    return False


def removal_breaks(m, d):
    """Would deleting the docstring's lines as Hybrid-Gym's sed does break the file, or remove more
    than the docstring statement?  (tests/pipeline_check.py replays the step.)"""
    f = PC.File(m.src[d.file].data)
    node = f.def_at(d.line_start, d.name)
    c = docstring_node(d.node)
    return PC.removal(f, node, c.lineno - 1, c.end_lineno - 1) is not None


def run_func_localize(m, o, st):
    dd = Dedupe()
    first = []
    for d in m.repo.defs:
        st.seen += 1
        why = common(m, d, o)
        if why is None and m.doc(d) is None:
            why = "no docstring"
        if why is None and removal_breaks(m, d):
            why = "docstring removal breaks the file"
        desc = None if why else describe(m.doc(d)[0], d.name, m.noun(d))
        if why is None and desc is None:
            why = "empty description"
        if why is None and words(desc) < 5:
            why = "description under five words"
        if why:
            st.drop(why)
            continue
        first.append((d, desc))
    # across the repository's candidates
    dropped = {}
    for d, desc in first:
        if found_elsewhere(m, d):
            dropped[d.index] = "description found elsewhere in the repository"
    count = {}
    for d, desc in first:
        if d.index not in dropped:
            count[desc] = count.get(desc, 0) + 1
    cand = []
    for d, desc in first:
        why = dropped.get(d.index)
        if why is None and count[desc] > 1:
            why = "description shared by several targets"
        if why is None:
            why = dd(m, d)
        if why:
            st.drop(why)
            continue
        cand.append(d)
    rng = Rng(o.seed, m.name)
    rng.shuffle(cand)
    rows, taken, i = [], 0, 0
    while i < len(cand):
        if (o.per_repo and taken >= o.per_repo) or (o.max_instances and st.rows >= o.max_instances):
            st.drop("per-repo / max-instances cap", len(cand) - i)
            break
        if not o.multi:
            group = [cand[i]]
        else:
            want = 2 + rng.next() % 2
            group = []
            for d in cand[i:]:
                if len(group) < want and all(g.file != d.file for g in group):
                    group.append(d)
            if len(group) < 2:
                st.drop("no partner in another file", len(cand) - i)
                break
            # the group goes first, the rest keeps its order
            rest = [d for d in cand[i:] if d not in group]
            cand[i:] = group + rest
        i += len(group)
        row = head(m.name, len(rows))
        if o.multi:
            row["functions"] = [localize_item(m, d) for d in group]
            row["n_functions"] = len(group)
        else:
            row.update(localize_item(m, group[0]))
        rows.append(row)
        st.rows += 1
        st.kept += len(group)
        taken += 1
    return rows


def real_params(m, d):
    a = d.node.args
    pos = a.posonlyargs + a.args
    n = len(pos) + len(a.kwonlyargs) + (a.vararg is not None) + (a.kwarg is not None)
    static = any(isinstance(x, ast.Name) and x.id == "staticmethod" for x in d.node.decorator_list)
    if m.is_method(d) and not static and pos:
        n -= 1  # self or cls: the caller does not pass it
    return n


def file_imports(m, path):
    """Module-level imports (outside every def and class), one entry per imported name."""
    out = []

    def walk(node):
        for c in ast.iter_child_nodes(node):
            if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(c, ast.Import):
                for a in c.names:
                    out.append({"line": a.lineno - 1, "statement": "import %s%s" % (a.name, " as " + a.asname if a.asname else "")})
            elif isinstance(c, ast.ImportFrom):
                for a in c.names:
                    out.append({"line": a.lineno - 1, "statement": "from %s%s import %s%s" % (
                        "." * c.level, c.module or "", a.name, " as " + a.asname if a.asname else "")})
            walk(c)

    walk(m.repo.trees[path])
    return out


def mask_finds_alone(m, d):
    """The issue's rule for a target the masking step finds unambiguously: func_name `f` with the
    def directly in the module's body, or `Class.method` with the class directly in the module's
    body and the def directly in the class's; no other definition of its name in its scope (nor
    of the class's name in the module: definitions under an `if` count); not an @overload."""
    same = lambda x: [y for y in m.repo.defs if y.file == x.file and y.parent == x.parent and y.name == x.name]
    if any((isinstance(e, ast.Name) and e.id == "overload") or (isinstance(e, ast.Attribute) and e.attr == "overload")
           for e in d.node.decorator_list) or len(same(d)) > 1:
        return False
    tree = m.repo.trees[d.file]
    if d.parent is None:
        return d.node in tree.body
    c = m.repo.defs[d.parent]
    return c.kind == "class" and c.parent is None and c.node in tree.body and len(same(c)) == 1 and d.node in c.node.body


def mask_breaks(m, d):
    """Would the masking step (tests/pipeline_check.py replays it) leave a file that does not
    parse, or change more than the target's body?"""
    f = PC.File(m.src[d.file].data)
    return PC.masking(f, d.qualname, d.line_start) is not None


def run_func_gen(m, o, st):
    dd = Dedupe()
    cand = []
    for d in m.repo.defs:
        st.seen += 1
        n = d.node
        if d.kind != "function" or m.nested_in_function(d):
            why = "not a target kind"
        else:
            why = common(m, d, o)
        if why is None and m.doc(d) is None:
            why = "no docstring"
        if why is None:
            after = n.body[1:]
            if all(is_placeholder(s) for s in after) or (len(after) == 1 and is_forward(after[0])):
                why = "trivial body"
        if why is None and real_params(m, d) == 0:
            why = "no parameter"
        if why is None and not any(isinstance(x, ast.Return) and x.value is not None for x in own_nodes(n)):
            why = "no return value"
        if why is None and len(n.body) - 1 <= 2:
            why = "two statements or fewer"
        if why is None and not mask_finds_alone(m, d):
            why = "not found alone by the masking step"
        if why is None and mask_breaks(m, d):
            why = "masked file does not parse"
        if why is None:
            why = dd(m, d)
        if why:
            st.drop(why)
            continue
        cand.append(d)
    rng = Rng(o.seed, m.name)
    rng.shuffle(cand)
    rows = []
    for i, d in enumerate(cand):
        if (o.per_repo and len(rows) >= o.per_repo) or (o.max_instances and st.rows >= o.max_instances):
            st.drop("per-repo / max-instances cap", len(cand) - i)
            break
        s = m.src[d.file]
        text, l0, l1 = m.doc(d)
        deps = m.deps(d, o)
        row = head(m.name, len(rows))
        row.update({"file_path": d.file, "func_name": d.qualname, "func_signature": signature(s, d.node),
                    "func_docstring_raw": text, "func_body": s.line_range(l1 + 1, d.line_end),
                    "orig_context": s.text, "line_start": d.line_start, "line_end": d.line_end,
                    "docstring_line_start": l0, "docstring_line_end": l1, "file_imports": file_imports(m, d.file),
                    "dependencies": deps, "num_dependencies": len(deps)})
        rows.append(row)
        st.rows += 1
        st.kept += 1
        st.hist[min(len(deps), 10)] = st.hist.get(min(len(deps), 10), 0) + 1
    return rows


# ---- issue_localize ------------------------------------------------------------------------

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def patch_files(patch):
    """[(path, [changed old lines, 0-indexed])] of a unified diff.  A removed line is
    changed; an added line marks the old line before it (line 0 at the top).  Hunks
    are read by their line counts, so a removed `-- x` or added `++ x` is no header,
    and an empty line inside a hunk is a blank context line."""
    files = []
    lines = patch.split("\n")
    i = 0
    minus = None
    while i < len(lines):
        ln = lines[i].rstrip("\r")
        i += 1
        if ln.startswith("--- "):
            minus = ln[4:]
        elif ln.startswith("+++ ") and minus is not None:
            plus = ln[4:]
            path = (plus if minus.startswith("/dev/null") else minus).split("\t")[0]
            if path[:2] in ("a/", "b/"):
                path = path[2:]
            files.append((path, []))
            minus = None
        elif files and HUNK.match(ln):
            g = HUNK.match(ln).groups()
            a, b = int(g[0]), 1 if g[1] is None else int(g[1])
            c_new = 1 if g[3] is None else int(g[3])
            old = a if b == 0 else a - 1  # with no old lines, the hunk follows old line a (1-indexed)
            left_old, left_new = b, c_new
            changed = files[-1][1]
            while (left_old > 0 or left_new > 0) and i < len(lines):
                h = lines[i].rstrip("\r")
                i += 1
                if h.startswith("\\"):
                    continue
                if h == "" or h[0] == " ":
                    old += 1
                    left_old -= 1
                    left_new -= 1
                elif h[0] == "-":
                    changed.append(old)
                    old += 1
                    left_old -= 1
                elif h[0] == "+":
                    changed.append(old - 1 if old > 0 else 0)
                    left_new -= 1
                else:
                    break
    return files


def run_issue_localize(m, o, st, case_dir):
    rows = []
    with open(os.path.join(case_dir, o.input), encoding="utf-8") as f:
        raw = f.read().split("\n")
    for no, line in enumerate(raw, 1):
        if not line.strip(" \t\r\n"):
            continue
        st.seen += 1
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            st.diags.append("hgym-synth: %s:%d: not a JSON object" % (o.input, no))
            st.drop("malformed input row")
            continue
        if not all(isinstance(obj.get(k), str) for k in ("repo", "base_commit", "patch")):
            st.diags.append("hgym-synth: %s:%d: a row needs string fields repo, base_commit and patch" % (o.input, no))
            st.drop("malformed input row")
            continue
        c = obj["base_commit"]
        n = min(len(c), len(COMMIT))
        if obj["repo"] != m.name or n < 7 or COMMIT[:n] != c[:n]:
            st.drop("repository or commit not indexed")
            continue
        if o.max_instances and st.rows >= o.max_instances:
            st.drop("per-repo / max-instances cap")
            continue
        added = {}
        if "instance_id" not in obj:
            added["instance_id"] = instance_id(m.name, st.rows)
        gold_files, gold_funcs = [], []
        for path, changed in patch_files(obj["patch"]):
            if o.exclude_tests and is_test_path(path):
                continue
            gold_files.append(path)
            if path not in m.repo.file_defs:
                continue
            seen = set()
            for ln in changed:
                d = m.repo.owner_of(path, ln)
                if d is not None and d not in seen:
                    seen.add(d)
                    gold_funcs.append(dep_json(m.repo, m.repo.defs[d]))
        added["gold_files"] = gold_files
        added["gold_functions"] = gold_funcs
        added["module_level_only"] = not gold_funcs  # no changed line in a definition
        if any(k in obj for k in ("gold_files", "gold_functions", "module_level_only")):
            row = {k: v for k, v in obj.items() if k not in added}  # hgym's fields replace the input's
            row.update(added)
            rows.append(row)
        else:
            # every input field unchanged, byte for byte: the object's text, hgym's fields before its brace
            text = line.strip(" \t\r\n")
            rows.append(text[:-1] + "," + dumps(added)[1:])
        st.rows += 1
        st.kept += 1
    return rows


# ---- cases -------------------------------------------------------------------------------

def read_runs(case_dir):
    runs, checks = [], []
    with open(os.path.join(case_dir, "runs"), encoding="utf-8") as f:
        for line in f:
            w = line.split("#", 1)[0].split()
            if not w:
                continue
            if w[0] == "differ":
                checks.append(w)
            elif w[0] == "mutate":
                continue  # for the driver: tests/golden_synth/mutate.py on that run's rows
            else:
                runs.append((w[0], w[1], w[2:]))
    return runs, checks


def compare(path, text, write):
    if write:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return
    if not os.path.exists(path):
        err("%s is missing (expect.py --write writes it)" % path)
        return
    with open(path, encoding="utf-8", newline="") as f:
        have = f.read()
    if have != text:
        hl, wl = have.split("\n"), text.split("\n")
        for k in range(max(len(hl), len(wl))):
            a = hl[k] if k < len(hl) else "<none>"
            b = wl[k] if k < len(wl) else "<none>"
            if a != b:
                c = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
                lo = max(0, c - 60)
                err("%s line %d differs from the derivation at column %d:\n  file:    ...%s\n  derived: ...%s" %
                    (path, k + 1, c, a[lo:c + 140], b[lo:c + 140]))
                break


def target_key(row):
    if "functions" in row:
        return tuple((f["file_path"], f["qualname"]) for f in row["functions"])
    for k in ("target_function_qualname", "func_name", "qualname"):
        if k in row:
            return (row.get("target_function_file") or row.get("file_path"), row[k])
    return row.get("instance_id")


def run_case(case_dir, write):
    case = os.path.basename(os.path.normpath(case_dir))
    runs, checks = read_runs(case_dir)
    need_deps = any(t in ("dep_search", "func_gen") for _, t, _ in runs)
    m = Model(case_dir, "golden/" + case, need_deps)
    derived = {}
    for name, task, args in runs:
        o = Opts(task, args)
        st = Stats()
        if task == "dep_search":
            rows = run_dep_search(m, o, st)
        elif task == "func_localize":
            rows = run_func_localize(m, o, st)
        elif task == "func_gen":
            rows = run_func_gen(m, o, st)
        elif task == "issue_localize":
            rows = run_issue_localize(m, o, st, case_dir)
        else:
            err("%s: unknown task %s" % (case, task))
            continue
        derived[name] = rows
        compare(os.path.join(case_dir, "expected", name + ".jsonl"),
                "".join((r if isinstance(r, str) else dumps(r)) + "\n" for r in rows), write)
        compare(os.path.join(case_dir, "expected", name + ".summary"), "".join(x + "\n" for x in st.summary(task, o.multi)),
                write)
    for w in checks:
        a, b = derived.get(w[1]), derived.get(w[2])
        if a is None or b is None:
            err("%s: %s names an unknown run" % (case, " ".join(w)))
        elif {target_key(r) for r in a} == {target_key(r) for r in b}:
            err("%s: runs %s and %s should select different targets" % (case, w[1], w[2]))


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

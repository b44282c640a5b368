/*
 * test_index.c: build a small index with HgBuilder, read it back with
 * hg_index_open, and check every record; then damage copies of the file and
 * check each is refused with HG_ERR_FORMAT and a message that names the file
 * and the fault.
 *
 * The index holds two repositories: "owner/name" with four files (a package
 * __init__, a module with a class, a file with a syntax error, a file that
 * is not UTF-8) and one repository-level diagnostic; "other/repo" with one
 * file, so every global index is rebased at least once.
 */
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "store/builder.h"
#include "store/builder_p.h"
#include "store/reader.h"
#include "store/writer.h"

enum { N_FILES = 5 };

typedef struct {
  const char *path, *module;
  uint32_t flags;
  const char *src;
} Source;

static const Source SOURCES[N_FILES] = {
    {"pkg/__init__.py", "pkg", HG_FILE_PACKAGE,
     "\"\"\"Package.\"\"\"\n"
     "from .mod import K as Klass\n"
     "import os.path\n"
     "__all__ = [\"Klass\", \"helper\"]\n"
     "\n"
     "\n"
     "def helper(x: int = 1, *args, **kw) -> int:\n"
     "    \"\"\"Help.\"\"\"\n"
     "    return os.path.join(x)\n"},
    {"pkg/mod.py", "pkg.mod", 0,
     "@decorate(1)\n"
     "class K(Base, metaclass=Meta):\n"
     "    def m(self):\n"
     "        self.n().run()\n"
     "        super().m()\n"
     "\n"
     "    def n(self):\n"
     "        try:\n"
     "            import json\n"
     "        except ImportError:\n"
     "            json = None\n"
     "        return json\n"
     "\n"
     "\n"
     "x = K()\n"},
    {"pkg/broken.py", "pkg.broken", 0,
     "def ok():\n"
     "    pass\n"
     "x = (\n"},
    {"pkg/latin.py", "pkg.latin", 0, "s = '\xE9'\n"},
    {"m.py", "m", 0,
     "def f():\n"
     "    g()\n"},
};

typedef struct {
  char dir[PATH_MAX];
  char path[PATH_MAX + 32]; /* the index */
  HgAnalyzer *an;
  HgArena *arenas[N_FILES];
  HgFileFacts facts[N_FILES];
  HgIndex *ix;
  char err[1024];
} Fixture;

static int setup(void **state) {
  Fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx; /* cmocka skips the teardown of a failed setup: a test fails anyway */
  snprintf(fx->dir, sizeof fx->dir, "/tmp/hgym_index_XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  snprintf(fx->path, sizeof fx->path, "%s/test.hgi", fx->dir);
  fx->an = hg_analyzer_new();
  if (!fx->an) return -1;
  for (int i = 0; i < N_FILES; i++) {
    fx->arenas[i] = hg_arena_new();
    const char *src = SOURCES[i].src;
    if (hg_analyzer_run(fx->an, src, strlen(src), fx->arenas[i], &fx->facts[i]) != HG_OK) return -1;
  }
  return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int teardown(void **state) {
  Fixture *fx = *state;
  hg_index_close(fx->ix);
  for (int i = 0; i < N_FILES; i++) hg_arena_delete(fx->arenas[i]);
  hg_analyzer_delete(fx->an);
  nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free(fx);
  return 0;
}

static void build_index(Fixture *fx, const char *path) {
  HgBuilder *b = hg_builder_new();
  assert_non_null(b);
  assert_int_equal(hg_builder_begin_repo(b, "owner/name", "0123abcd", "/src/name"), 0);
  for (int i = 0; i < 4; i++)
    hg_builder_add_file(b, SOURCES[i].path, SOURCES[i].module, SOURCES[i].flags, 0, &fx->facts[i]);
  hg_builder_add_diag(b, "secret.py", 0, 0, HG_SEV_ERROR, "cannot read: Permission denied");
  hg_builder_end_repo(b, 1);
  assert_int_equal(hg_builder_begin_repo(b, "other/repo", NULL, "/src/other"), 1);
  hg_builder_add_file(b, SOURCES[4].path, SOURCES[4].module, SOURCES[4].flags, 0, &fx->facts[4]);
  hg_builder_end_repo(b, 0);
  HgStatus st = hg_builder_write(b, path, HG_WRITE_DURABLE, fx->err, sizeof fx->err);
  if (st != HG_OK) print_message("write: %s\n", fx->err);
  assert_int_equal(st, HG_OK);
  hg_builder_delete(b);
}

static void open_ok(Fixture *fx, const char *path) {
  HgStatus st = hg_index_open(path, &fx->ix, fx->err, sizeof fx->err);
  if (st != HG_OK) print_message("open: %s\n", fx->err);
  assert_int_equal(st, HG_OK);
  assert_non_null(fx->ix);
}

/* ---- round trip ------------------------------------------------------------------------- */

static const char *str(const Fixture *fx, uint32_t id) { return hg_index_str(fx->ix, id); }

static void expect_str(const char *got, const char *want) {
  if (!want) {
    assert_null(got);
    return;
  }
  assert_non_null(got);
  assert_string_equal(got, want);
}

static void expect_strids(const Fixture *fx, HgRange r, const char *const *want, uint32_t n) {
  assert_int_equal(r.count, n);
  for (uint32_t i = 0; i < n; i++) expect_str(str(fx, hg_index_strid(fx->ix, r.first + i)), want[i]);
}

static int32_t rebase(int32_t local, uint32_t base) { return local < 0 ? -1 : (int32_t)(base + (uint32_t)local); }

/* The global first index of each table for a file: the sums over the files
 * before it (checked against hand-counted values in the tests below). */
typedef struct {
  uint32_t defs, imports, calls, binds, diags, params, strids;
} Bases;

static void expect_defs(const Fixture *fx, const HgFileFacts *f, uint32_t fidx, const Bases *b) {
  for (uint32_t i = 0; i < f->defs.len; i++) {
    const HgDef *d = &f->defs.items[i];
    const HgDefRec *r = hg_index_def(fx->ix, b->defs + i);
    assert_non_null(r);
    expect_str(str(fx, r->name), d->name);
    expect_str(str(fx, r->qualname), d->qualname);
    assert_int_equal(r->file, fidx);
    assert_int_equal(r->parent, rebase(d->parent, b->defs));
    assert_int_equal(r->kind, d->kind);
    assert_int_equal(r->flags, d->flags);
    assert_int_equal(r->line_start, d->line_start);
    assert_int_equal(r->line_end, d->line_end);
    assert_int_equal(r->decorator_line, d->decorator_line);
    assert_int_equal(r->byte_start, d->byte_start);
    assert_int_equal(r->byte_end, d->byte_end);
    assert_int_equal(r->decorator_byte, d->decorator_byte);
    assert_int_equal(r->body_line_start, d->body_line_start);
    assert_int_equal(r->body_line_end, d->body_line_end);
    assert_int_equal(r->body_byte_start, d->body_byte_start);
    assert_int_equal(r->doc_line_start, d->doc_line_start);
    assert_int_equal(r->doc_line_end, d->doc_line_end);
    assert_int_equal(r->doc_byte_start, d->doc_byte_start);
    assert_int_equal(r->doc_byte_end, d->doc_byte_end);
    expect_str(str(fx, r->docstring), d->docstring);
    expect_str(str(fx, r->signature), d->signature);
    assert_int_equal(r->n_body_stmts, d->n_body_stmts);
    expect_strids(fx, r->decorators, d->decorators, d->n_decorators);
    expect_strids(fx, r->bases, d->bases, d->n_bases);
    assert_int_equal(r->params.count, d->n_params);
    for (uint32_t k = 0; k < d->n_params; k++) {
      const HgParamRec *p = hg_index_param(fx->ix, r->params.first + k);
      assert_non_null(p);
      expect_str(str(fx, p->name), d->params[k].name);
      expect_str(str(fx, p->annotation), d->params[k].annotation);
      expect_str(str(fx, p->default_), d->params[k].default_);
      assert_int_equal(p->kind, d->params[k].kind);
    }
  }
}

static void expect_imports(const Fixture *fx, const HgFileFacts *f, uint32_t fidx, const Bases *b) {
  for (uint32_t i = 0; i < f->imports.len; i++) {
    const HgImport *m = &f->imports.items[i];
    const HgImportRec *r = hg_index_import(fx->ix, b->imports + i);
    assert_non_null(r);
    expect_str(str(fx, r->module), m->module);
    expect_str(str(fx, r->name), m->name);
    expect_str(str(fx, r->asname), m->asname);
    assert_int_equal(r->owner, rebase(m->owner, b->defs));
    assert_int_equal(r->file, fidx);
    assert_int_equal(r->line, m->line);
    assert_int_equal(r->col, m->col);
    assert_int_equal(r->level, m->level);
    assert_int_equal(r->flags, m->flags);
    /* nothing resolved: the builder alone does not resolve */
    assert_int_equal(r->res_kind, HG_REF_NONE);
    assert_int_equal(r->res_class, HG_ORIGIN_UNRESOLVED);
  }
}

static void expect_calls(const Fixture *fx, const HgFileFacts *f, uint32_t fidx, const Bases *b) {
  for (uint32_t i = 0; i < f->calls.len; i++) {
    const HgCall *c = &f->calls.items[i];
    const HgCallRec *r = hg_index_call(fx->ix, b->calls + i);
    assert_non_null(r);
    assert_int_equal(r->owner, rebase(c->owner, b->defs));
    assert_int_equal(r->file, fidx);
    assert_int_equal(r->line, c->line);
    assert_int_equal(r->col, c->col);
    assert_int_equal(r->byte, c->byte);
    expect_str(str(fx, r->chain), c->chain);
    /* SELF names its method (a def); CALL and SUPER their receiver call */
    assert_int_equal(r->recv_call, rebase(c->recv_call, c->shape == HG_CALLEE_SELF ? b->defs : b->calls));
    assert_int_equal(r->shape, c->shape);
    assert_int_equal(r->flags, c->flags);
  }
}

static void expect_binds(const Fixture *fx, const HgFileFacts *f, uint32_t fidx, const Bases *b) {
  for (uint32_t i = 0; i < f->bindings.len; i++) {
    const HgBinding *x = &f->bindings.items[i];
    const HgBindRec *r = hg_index_bind(fx->ix, b->binds + i);
    assert_non_null(r);
    expect_str(str(fx, r->target), x->target);
    assert_int_equal(r->owner, rebase(x->owner, b->defs));
    assert_int_equal(r->file, fidx);
    assert_int_equal(r->line, x->line);
    expect_str(str(fx, r->value), x->value);
    assert_int_equal(r->kind, x->kind);
    assert_int_equal(r->value_kind, x->value_kind);
    assert_int_equal(r->ref, rebase(x->ref, x->kind == HG_BIND_IMPORT ? b->imports : b->defs));
  }
}

static void expect_diags(const Fixture *fx, const HgFileFacts *f, uint32_t fidx, const Bases *b) {
  for (uint32_t i = 0; i < f->diags.len; i++) {
    const HgDiagRec *r = hg_index_diag(fx->ix, b->diags + i);
    assert_non_null(r);
    assert_int_equal(r->file, fidx);
    assert_int_equal(r->line, f->diags.items[i].line);
    assert_int_equal(r->col, f->diags.items[i].col);
    assert_int_equal(r->severity, f->diags.items[i].severity);
    expect_str(str(fx, r->message), f->diags.items[i].message);
  }
}

/* File record fidx against SOURCES[fidx] and its facts. */
static void expect_file(const Fixture *fx, uint32_t fidx, uint32_t repo, const Bases *b) {
  const HgFileFacts *f = &fx->facts[fidx];
  const HgFileRec *r = hg_index_file(fx->ix, fidx);
  assert_non_null(r);
  expect_str(str(fx, r->path), SOURCES[fidx].path);
  expect_str(str(fx, r->module), SOURCES[fidx].module);
  assert_int_equal(r->repo, repo);
  uint32_t flags = SOURCES[fidx].flags | (f->has_error ? HG_FILE_HAS_ERROR : 0) | (f->not_utf8 ? HG_FILE_NOT_UTF8 : 0);
  assert_int_equal(r->flags, flags);
  assert_int_equal(r->defs.first, b->defs);
  assert_int_equal(r->defs.count, f->defs.len);
  assert_int_equal(r->imports.first, b->imports);
  assert_int_equal(r->imports.count, f->imports.len);
  assert_int_equal(r->calls.first, b->calls);
  assert_int_equal(r->calls.count, f->calls.len);
  assert_int_equal(r->binds.first, b->binds);
  assert_int_equal(r->binds.count, f->bindings.len);
  assert_int_equal(r->diags.first, b->diags);
  assert_int_equal(r->diags.count, f->diags.len);
  expect_strids(fx, r->all, f->all, f->n_all);
  assert_int_equal(r->all_state, f->all_state);
  assert_int_equal(r->n_lines, f->n_lines);
  assert_int_equal(r->n_bytes, f->n_bytes);
  expect_defs(fx, f, fidx, b);
  expect_imports(fx, f, fidx, b);
  expect_calls(fx, f, fidx, b);
  expect_binds(fx, f, fidx, b);
  expect_diags(fx, f, fidx, b);
}

static Bases bases_of(const Fixture *fx, uint32_t fidx) {
  Bases b = {0};
  for (uint32_t i = 0; i < fidx; i++) {
    b.defs += fx->facts[i].defs.len;
    b.imports += fx->facts[i].imports.len;
    b.calls += fx->facts[i].calls.len;
    b.binds += fx->facts[i].bindings.len;
    b.diags += fx->facts[i].diags.len + (i == 3); /* the repository's diagnostic follows file 3 */
  }
  return b;
}

static void test_facts_of_the_sources_are_as_counted(void **state) {
  /* The hand-counted shape of the two main files, so that the round trip
   * below rebases real, known indices. */
  Fixture *fx = *state;
  const HgFileFacts *a = &fx->facts[0], *m = &fx->facts[1];
  assert_int_equal(a->defs.len, 1);     /* helper */
  assert_int_equal(a->imports.len, 2);  /* .mod.K as Klass, os.path */
  assert_int_equal(a->calls.len, 1);    /* os.path.join */
  assert_int_equal(a->bindings.len, 7); /* Klass, os, __all__, x, args, kw, helper */
  assert_int_equal(a->n_all, 2);
  assert_int_equal(m->defs.len, 3);     /* K, K.m, K.n */
  assert_int_equal(m->imports.len, 1);  /* json */
  assert_int_equal(m->calls.len, 6);    /* decorate, .run, self.n, super().m, super, K */
  assert_int_equal(m->bindings.len, 8); /* K, self, m, self, n, json, json, x */
  assert_int_equal(m->calls.items[1].shape, HG_CALLEE_CALL);
  assert_int_equal(m->calls.items[1].recv_call, 2);
  assert_int_equal(m->calls.items[2].shape, HG_CALLEE_SELF);
  assert_int_equal(m->calls.items[2].recv_call, 1);
  assert_int_equal(fx->facts[2].has_error, 1);
  assert_int_equal(fx->facts[3].not_utf8, 1);
}

static int out_of_range_faults;
static char last_fault[1024];

static void record_fault(const char *message) {
  out_of_range_faults++;
  snprintf(last_fault, sizeof last_fault, "%s", message);
}

static void test_index_counts_and_repositories(void **state) {
  Fixture *fx = *state;
  build_index(fx, fx->path);
  open_ok(fx, fx->path);
  Bases end = bases_of(fx, N_FILES);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_REPOS), 2);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_FILES), N_FILES);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_DEFS), end.defs);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_IMPORTS), end.imports);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_CALLS), end.calls);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_BINDS), end.binds);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_DIAGS), end.diags);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_EDGES), 0);

  const HgRepoRec *r = hg_index_repo(fx->ix, 0);
  assert_non_null(r);
  assert_string_equal(str(fx, r->name), "owner/name");
  assert_string_equal(str(fx, r->commit), "0123abcd");
  assert_string_equal(str(fx, r->root), "/src/name");
  Bases b4 = bases_of(fx, 4);
  assert_int_equal(r->files.first, 0);
  assert_int_equal(r->files.count, 4);
  assert_int_equal(r->defs.first, 0);
  assert_int_equal(r->defs.count, b4.defs);
  assert_int_equal(r->imports.count, b4.imports);
  assert_int_equal(r->calls.count, b4.calls);
  assert_int_equal(r->binds.count, b4.binds);
  assert_int_equal(r->diags.count, b4.diags);
  assert_int_equal(r->n_skipped, 1);
  uint64_t bytes = 0, lines = 0;
  for (int i = 0; i < 4; i++) bytes += strlen(SOURCES[i].src), lines += fx->facts[i].n_lines;
  assert_int_equal(r->n_bytes, bytes);
  assert_int_equal(r->n_lines, lines);

  const HgRepoRec *o = hg_index_repo(fx->ix, 1);
  assert_non_null(o);
  assert_string_equal(str(fx, o->name), "other/repo");
  assert_string_equal(str(fx, o->commit), ""); /* NULL commit is stored as "" */
  assert_int_equal(o->files.first, 4);
  assert_int_equal(o->files.count, 1);
  assert_int_equal(o->defs.first, b4.defs);
  assert_int_equal(o->defs.count, 1);
  assert_int_equal(o->n_bytes, strlen(SOURCES[4].src));
  assert_int_equal(o->n_lines, 2);
  assert_int_equal(o->n_skipped, 0);

  assert_int_equal(hg_index_find_repo(fx->ix, "other/repo"), 1);
  assert_int_equal(hg_index_find_repo(fx->ix, "owner/name"), 0);
  assert_int_equal(hg_index_find_repo(fx->ix, "nobody/none"), -1);
  /* a record index past its table is corruption: the fault handler hears of it */
  hg_index_set_fault_handler(record_fault);
  out_of_range_faults = 0;
  assert_int_equal(hg_index_repo(fx->ix, 2)->name, 0); /* the handler returned: a zeroed record */
  assert_non_null(strstr(last_fault, "repositories record 2 out of range"));
  assert_int_equal(hg_index_def(fx->ix, end.defs)->qualname, 0);
  assert_non_null(strstr(last_fault, "definitions record"));
  hg_index_set_fault_handler(NULL);
  assert_int_equal(out_of_range_faults, 2);
  assert_null(hg_index_str(fx->ix, HG_NOSTR));
  assert_string_equal(hg_index_str(fx->ix, 0xFFFFFF0u), "");
  assert_int_equal(hg_index_verify(fx->ix, fx->err, sizeof fx->err), HG_OK);
}

static void test_index_round_trips_every_file(void **state) {
  Fixture *fx = *state;
  build_index(fx, fx->path);
  open_ok(fx, fx->path);
  for (uint32_t i = 0; i < N_FILES; i++) {
    Bases b = bases_of(fx, i);
    expect_file(fx, i, i < 4 ? 0 : 1, &b);
  }
}

static void test_index_rebases_indices_of_later_files(void **state) {
  /* pkg/mod.py is file 1: its defs start after helper (1), its calls after
   * os.path.join (1), its imports after two, its bindings after seven. */
  Fixture *fx = *state;
  build_index(fx, fx->path);
  open_ok(fx, fx->path);
  const HgFileRec *f = hg_index_file(fx->ix, 1);
  assert_int_equal(f->defs.first, 1);
  assert_int_equal(f->calls.first, 1);
  assert_int_equal(f->imports.first, 2);
  assert_int_equal(f->binds.first, 7);
  const HgDefRec *m = hg_index_def(fx->ix, 2);
  assert_string_equal(str(fx, m->qualname), "K.m");
  assert_int_equal(m->parent, 1);
  assert_int_equal(m->file, 1);
  const HgCallRec *run = hg_index_call(fx->ix, 2), *self_n = hg_index_call(fx->ix, 3);
  assert_string_equal(str(fx, run->chain), "run");
  assert_int_equal(run->recv_call, 3); /* self.n(), the next call */
  assert_string_equal(str(fx, self_n->chain), "self.n");
  assert_int_equal(self_n->recv_call, 2); /* K.m */
  const HgImportRec *json = hg_index_import(fx->ix, 2);
  assert_string_equal(str(fx, json->module), "json");
  assert_int_equal(json->owner, 3); /* K.n */
  assert_int_equal(json->flags, HG_IMP_IN_TRY);
  const HgBindRec *jb = hg_index_bind(fx->ix, 7 + 5);
  assert_string_equal(str(fx, jb->target), "json");
  assert_int_equal(jb->kind, HG_BIND_IMPORT);
  assert_int_equal(jb->ref, 2);
  const HgDefRec *k = hg_index_def(fx->ix, 1);
  static const char *const bases[] = {"Base", "metaclass=Meta"};
  expect_strids(fx, k->bases, bases, 2);
  static const char *const decorators[] = {"decorate(1)"};
  expect_strids(fx, k->decorators, decorators, 1);
  /* the second repository's only def */
  Bases b4 = bases_of(fx, 4);
  const HgDefRec *g = hg_index_def(fx->ix, b4.defs);
  assert_string_equal(str(fx, g->qualname), "f");
  assert_int_equal(g->parent, -1);
  assert_int_equal(g->file, 4);
  const HgCallRec *gc = hg_index_call(fx->ix, b4.calls);
  assert_int_equal(gc->owner, (int32_t)b4.defs);
}

static void test_index_keeps_file_flags_and_all(void **state) {
  Fixture *fx = *state;
  build_index(fx, fx->path);
  open_ok(fx, fx->path);
  assert_int_equal(hg_index_file(fx->ix, 0)->flags, HG_FILE_PACKAGE);
  assert_int_equal(hg_index_file(fx->ix, 1)->flags, 0);
  assert_int_equal(hg_index_file(fx->ix, 2)->flags, HG_FILE_HAS_ERROR);
  assert_int_equal(hg_index_file(fx->ix, 3)->flags, HG_FILE_NOT_UTF8);
  const HgFileRec *a = hg_index_file(fx->ix, 0);
  static const char *const all[] = {"Klass", "helper"};
  assert_int_equal(a->all_state, 1);
  expect_strids(fx, a->all, all, 2);
  const HgDefRec *h = hg_index_def(fx->ix, 0);
  assert_string_equal(str(fx, h->docstring), "Help.");
  assert_string_equal(str(fx, h->signature), "def helper(x: int = 1, *args, **kw) -> int:");
  assert_int_equal(h->params.count, 3);
  const HgParamRec *x = hg_index_param(fx->ix, h->params.first);
  assert_string_equal(str(fx, x->annotation), "int");
  assert_string_equal(str(fx, x->default_), "1");
  assert_null(str(fx, hg_index_param(fx->ix, h->params.first + 1)->annotation));
}

static void test_index_repository_diagnostic(void **state) {
  Fixture *fx = *state;
  build_index(fx, fx->path);
  open_ok(fx, fx->path);
  Bases b4 = bases_of(fx, 4);
  const HgDiagRec *d = hg_index_diag(fx->ix, b4.diags - 1);
  assert_non_null(d);
  assert_int_equal(d->file, HG_NOSTR);
  assert_int_equal(d->severity, HG_SEV_ERROR);
  assert_string_equal(str(fx, d->message), "secret.py: cannot read: Permission denied");
}

/* ---- atomic write ---------------------------------------------------------------------------- */

static int count_entries(const char *dir, const char *containing) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.' && (!containing || strstr(e->d_name, containing))) n++;
  closedir(d);
  return n;
}

/* hg_builder_find sees every interned string and no other, through the memo
 * (of 16K slots, so 100K strings share slots) or past it, for slices of
 * longer text too. */
/* Two names sharing a 2 MB prefix: JudySL spends a level per 8 shared bytes
 * and JudySLFreeArray recursed once per level, overflowing the stack when
 * the builder was deleted.  Strings past HG_INTERN_MAX are stored, not
 * interned: every id still reads back its string, equal long strings get
 * two ids, and look-ups do not find them. */
static void test_long_strings_are_stored_not_interned(void **state) {
  (void)state;
  enum { LONG = 2 << 20 };
  char *a = malloc(LONG + 2), *c = malloc(LONG + 2);
  assert_non_null(a);
  assert_non_null(c);
  memset(a, 'n', LONG);
  memcpy(c, a, LONG);
  a[LONG] = '1', c[LONG] = '2';
  a[LONG + 1] = c[LONG + 1] = 0;
  HgBuilder *b = hg_builder_new();
  uint32_t ia = hg_builder_str(b, a), ic = hg_builder_str(b, c), ia2 = hg_builder_str(b, a);
  assert_true(ia != ic && ia != ia2);
  assert_memory_equal(HG_BSTR(b, ia), a, LONG + 2);
  assert_memory_equal(HG_BSTR(b, ia2), a, LONG + 2);
  assert_memory_equal(HG_BSTR(b, ic), c, LONG + 2);
  assert_int_equal(hg_builder_find(b, a, LONG + 1), HG_NOSTR);
  /* at the limit a string is interned as before */
  a[HG_INTERN_MAX] = 0;
  uint32_t at = hg_builder_str(b, a);
  assert_int_equal(hg_builder_str(b, a), at);
  assert_int_equal(hg_builder_find(b, a, HG_INTERN_MAX), at);
  hg_builder_delete(b);
  free(a);
  free(c);
}

static void test_builder_find_agrees_with_interning(void **state) {
  (void)state;
  HgBuilder *b = hg_builder_new();
  assert_non_null(b);
  enum { N = 100000 };
  uint32_t *ids = malloc(N * sizeof *ids);
  assert_non_null(ids);
  char s[32];
  for (uint32_t i = 0; i < N; i += 2) { /* the even ones only */
    snprintf(s, sizeof s, "name%u", i);
    ids[i] = hg_builder_str(b, s);
  }
  for (int pass = 0; pass < 2; pass++) /* the second pass finds them in the memo */
    for (uint32_t i = 0; i < N; i++) {
      int n = snprintf(s, sizeof s, "name%u.attr", i);
      uint32_t got = hg_builder_find(b, s, (size_t)n - 5); /* "name<i>" of "name<i>.attr" */
      if (i % 2)
        assert_int_equal(got, HG_NOSTR);
      else
        assert_int_equal(got, ids[i]);
    }
  assert_int_equal(hg_builder_find(b, "name1", 4), HG_NOSTR); /* "name" */
  assert_int_equal(hg_builder_find(b, "", 0), 0);
  free(ids);
  hg_builder_delete(b);
}

static uint8_t *read_file(const char *path, size_t *len);
static void write_file(const char *path, const void *data, size_t len);

static void test_write_leaves_no_temporary_file(void **state) {
  Fixture *fx = *state;
  build_index(fx, fx->path);
  build_index(fx, fx->path); /* replacing an existing index */
  assert_int_equal(count_entries(fx->dir, NULL), 1);
  assert_int_equal(count_entries(fx->dir, ".tmp"), 0);
  open_ok(fx, fx->path);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_FILES), N_FILES);
}

static void test_write_into_missing_directory_fails_cleanly(void **state) {
  Fixture *fx = *state;
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/no/such/dir/x.hgi", fx->dir);
  HgBuilder *b = hg_builder_new();
  hg_builder_begin_repo(b, "r", "", "/r");
  hg_builder_end_repo(b, 0);
  fx->err[0] = 0;
  assert_int_equal(hg_builder_write(b, path, HG_WRITE_DURABLE, fx->err, sizeof fx->err), HG_ERR_IO);
  assert_non_null(strstr(fx->err, "cannot create"));
  hg_builder_delete(b);
  assert_int_equal(count_entries(fx->dir, NULL), 0);
}

/* Whatever sits at the writer's temporary name (a symbolic link planted
 * there, here to a file of its own) is never written through. */
static void test_write_never_follows_a_planted_temporary_name(void **state) {
  Fixture *fx = *state;
  char victim[PATH_MAX + 32], tmp[PATH_MAX + 64];
  snprintf(victim, sizeof victim, "%s/victim.txt", fx->dir);
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", fx->path, (long)getpid());
  write_file(victim, "precious\n", 9);
  assert_int_equal(symlink(victim, tmp), 0);
  build_index(fx, fx->path);
  size_t len;
  uint8_t *got = read_file(victim, &len);
  assert_int_equal(len, 9);
  assert_memory_equal(got, "precious\n", 9);
  free(got);
  open_ok(fx, fx->path);
  assert_int_equal(hg_index_count(fx->ix, HG_SEC_FILES), N_FILES);
}

/* An index is renamed over its path: a FIFO or a directory there is refused
 * (the caller checks first; the writer again before its rename). */
static void test_write_refuses_a_target_that_is_not_a_regular_file(void **state) {
  Fixture *fx = *state;
  char fifo[PATH_MAX + 32];
  snprintf(fifo, sizeof fifo, "%s/out.fifo", fx->dir);
  assert_int_equal(mkfifo(fifo, 0644), 0);
  assert_int_equal(hg_writer_check_target(fifo, fx->err, sizeof fx->err), HG_ERR_USAGE);
  assert_non_null(strstr(fx->err, "is a FIFO"));
  assert_int_equal(hg_writer_check_target(fx->dir, fx->err, sizeof fx->err), HG_ERR_USAGE);
  assert_non_null(strstr(fx->err, "is a directory"));
  assert_int_equal(hg_writer_check_target(fx->path, fx->err, sizeof fx->err), HG_OK); /* absent */
  HgBuilder *b = hg_builder_new();
  hg_builder_begin_repo(b, "r", "", "/r");
  hg_builder_end_repo(b, 0);
  assert_int_equal(hg_builder_write(b, fifo, HG_WRITE_ATOMIC, fx->err, sizeof fx->err), HG_ERR_IO);
  hg_builder_delete(b);
  struct stat st;
  assert_int_equal(lstat(fifo, &st), 0);
  assert_true(S_ISFIFO(st.st_mode));
  assert_int_equal(count_entries(fx->dir, ".tmp"), 0);
}

/* ---- damaged files --------------------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  assert_true(n > 0);
  rewind(f);
  uint8_t *buf = malloc((size_t)n);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static void write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  if (len) assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* The index's bytes, to damage; *damaged is a path beside it. */
static uint8_t *good_bytes(Fixture *fx, size_t *len, char *damaged, size_t cap) {
  build_index(fx, fx->path);
  snprintf(damaged, cap, "%s/damaged.hgi", fx->dir);
  return read_file(fx->path, len);
}

static const HgSectionEntry *section(const uint8_t *buf, HgSectionKind kind) {
  const HgHeader *h = (const HgHeader *)buf;
  const HgSectionEntry *e = (const HgSectionEntry *)(buf + sizeof *h);
  for (uint32_t i = 0; i < h->n_sections; i++)
    if (e[i].kind == (uint32_t)kind) return &e[i];
  fail_msg("no section %d", kind);
  return NULL;
}

/* Open must refuse path with HG_ERR_FORMAT and a message naming the file
 * and containing `fault`. */
static void expect_refused(Fixture *fx, const char *path, const char *fault) {
  fx->err[0] = 0;
  HgIndex *ix = NULL;
  assert_int_equal(hg_index_open(path, &ix, fx->err, sizeof fx->err), HG_ERR_FORMAT);
  assert_null(ix);
  if (!strstr(fx->err, fault)) print_message("message: %s\n", fx->err);
  assert_non_null(strstr(fx->err, path));
  assert_non_null(strstr(fx->err, fault));
}

/* Write an index whose only data is a string table of `len` bytes (first
 * and last NUL) in `mode`; returns the file's size. */
static uint64_t write_strings(Fixture *fx, const char *path, const uint8_t *strings, uint64_t len, HgWriteMode mode) {
  uint64_t bytes[HG_SEC_COUNT_] = {0};
  bytes[HG_SEC_STRINGS] = len;
  HgIndexWriter *w;
  assert_int_equal(hg_writer_open(&w, path, bytes, mode, fx->err, sizeof fx->err), HG_OK);
  for (int k = 1; k < HG_SEC_BLOCKCRCS; k++) {
    hg_writer_section(w, k);
    if (k == HG_SEC_STRINGS) /* in uneven pieces, as the builder hands them */
      for (uint64_t at = 0; at < len; at += 5000) hg_writer_put(w, strings + at, len - at < 5000 ? len - at : 5000);
  }
  HgStatus st = hg_writer_close(w, fx->err, sizeof fx->err);
  if (st != HG_OK) print_message("close: %s\n", fx->err);
  assert_int_equal(st, HG_OK);
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  return (uint64_t)sb.st_size;
}

/* A durable index is written with O_DIRECT in whole 4 KiB blocks (the last
 * padded, then cut off, the header written last into the first block); it
 * must be byte for byte the file the plain writer makes, at every size
 * around the block and buffer boundaries. */
static void test_durable_and_atomic_writes_are_the_same_bytes(void **state) {
  Fixture *fx = *state;
  enum { MAX = (1 << 20) + 8192 };
  uint8_t *strings = malloc(MAX);
  assert_non_null(strings);
  for (uint32_t i = 0; i < MAX; i++) strings[i] = (uint8_t)('a' + (i * 2654435761u >> 27) % 26);
  char atomic[PATH_MAX + 32], durable[PATH_MAX + 32];
  snprintf(atomic, sizeof atomic, "%s/atomic.hgi", fx->dir);
  snprintf(durable, sizeof durable, "%s/durable.hgi", fx->dir);
  /* the file is the 448 header and directory bytes, the table padded to 8,
   * and 4 bytes per 64 KiB block of it: take every length that ends the file
   * within 8 bytes of a block or buffer boundary (exactly on it when the
   * number of blocks is even: 128 KiB and 1 MiB) */
  static const uint64_t ends[] = {1000, 4096, 8192, 1 << 17, 1 << 20, (1 << 20) + 4096};
  uint32_t exact = 0;
  for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++)
    for (uint64_t len = ends[e] - 540; len <= ends[e] - 420; len++) {
      uint64_t size = 448 + ((len + 7) & ~(uint64_t)7) + 4 * ((len + 65535) / 65536);
      if (size + 8 < ends[e] || size > ends[e] + 8) continue;
      strings[0] = strings[len - 1] = 0;
      uint64_t sa = write_strings(fx, atomic, strings, len, HG_WRITE_ATOMIC);
      uint64_t sd = write_strings(fx, durable, strings, len, HG_WRITE_DURABLE);
      strings[0] = 'a', strings[len - 1] = 'b';
      assert_int_equal(sa, size);
      assert_int_equal(sd, size);
      exact += size % 4096 == 0;
      size_t la, ld;
      uint8_t *a = read_file(atomic, &la), *d = read_file(durable, &ld);
      assert_int_equal(la, ld);
      assert_memory_equal(a, d, la);
      free(a);
      free(d);
      open_ok(fx, durable);
      assert_int_equal(hg_index_verify(fx->ix, fx->err, sizeof fx->err), HG_OK);
      assert_int_equal(hg_index_count(fx->ix, HG_SEC_STRINGS), len);
      hg_index_close(fx->ix);
      fx->ix = NULL;
    }
  assert_int_equal(exact, 16); /* 8 lengths pad to each of the 2 exact sizes */
  assert_int_equal(count_entries(fx->dir, ".tmp"), 0);
  free(strings);
}

static void test_refuses_truncated_file(void **state) {
  Fixture *fx = *state;
  char damaged[PATH_MAX + 32];
  size_t len;
  uint8_t *buf = good_bytes(fx, &len, damaged, sizeof damaged);
  write_file(damaged, buf, len - 8);
  expect_refused(fx, damaged, "truncated");
  write_file(damaged, buf, len / 2);
  expect_refused(fx, damaged, "truncated");
  write_file(damaged, buf, 10);
  expect_refused(fx, damaged, "too short for a header");
  free(buf);
}

static void test_refuses_extended_file(void **state) {
  Fixture *fx = *state;
  char damaged[PATH_MAX + 32];
  size_t len;
  uint8_t *buf = good_bytes(fx, &len, damaged, sizeof damaged);
  uint8_t *longer = calloc(1, len + 8);
  memcpy(longer, buf, len);
  write_file(damaged, longer, len + 8);
  expect_refused(fx, damaged, "extended");
  free(longer);
  free(buf);
}

static jmp_buf fault_jump;
static char fault_message[1024];

static void on_fault(const char *message) {
  snprintf(fault_message, sizeof fault_message, "%s", message);
  longjmp(fault_jump, 1);
}

static void test_flipped_bit_in_data_section_is_caught(void **state) {
  /* Data blocks are checked when first read (index.h): open succeeds, then
   * verify, and any read of the damaged block, refuse it. */
  Fixture *fx = *state;
  char damaged[PATH_MAX + 32];
  size_t len;
  uint8_t *buf = good_bytes(fx, &len, damaged, sizeof damaged);
  const HgSectionEntry *defs = section(buf, HG_SEC_DEFS);
  assert_true(defs->count > 0);
  buf[defs->offset + 5] ^= 0x10;
  write_file(damaged, buf, len);
  open_ok(fx, damaged);
  fx->err[0] = 0;
  assert_int_equal(hg_index_verify(fx->ix, fx->err, sizeof fx->err), HG_ERR_FORMAT);
  assert_non_null(strstr(fx->err, damaged));
  assert_non_null(strstr(fx->err, "definitions section"));
  assert_non_null(strstr(fx->err, "checksum mismatch"));
  /* a read of the block goes to the fault handler, never returns garbage */
  hg_index_set_fault_handler(on_fault);
  fault_message[0] = 0;
  volatile int faulted = 0;
  if (setjmp(fault_jump) == 0)
    (void)hg_index_def(fx->ix, 0);
  else
    faulted = 1;
  hg_index_set_fault_handler(NULL);
  assert_true(faulted);
  assert_non_null(strstr(fault_message, damaged));
  assert_non_null(strstr(fault_message, "definitions section"));
  /* blocks that are intact still read */
  hg_index_set_fault_handler(on_fault);
  if (setjmp(fault_jump) == 0)
    assert_string_equal(str(fx, hg_index_repo(fx->ix, 0)->name), "owner/name");
  else
    fail_msg("intact block refused: %s", fault_message);
  hg_index_set_fault_handler(NULL);
  free(buf);
}

/* Found by tests/fuzz/fuzz_index: a forged count ran hg_index_strid (and
 * hg_index_caller) past their tables, where they returned a value instead of
 * faulting, so a query looped over four billion entries.  Every accessor now
 * goes to the fault handler; and a string that must be present reads "" for
 * HG_NOSTR (hg_index_text), never NULL. */
static void test_out_of_range_string_list_and_caller_fault(void **state) {
  Fixture *fx = *state;
  build_index(fx, fx->path);
  open_ok(fx, fx->path);
  uint32_t n_strids = (uint32_t)hg_index_count(fx->ix, HG_SEC_STRIDS);
  uint32_t n_callers = (uint32_t)hg_index_count(fx->ix, HG_SEC_CALLERS);
  hg_index_set_fault_handler(on_fault);
  volatile int faulted = 0;
  fault_message[0] = 0;
  if (setjmp(fault_jump) == 0)
    (void)hg_index_strid(fx->ix, n_strids);
  else
    faulted = 1;
  assert_true(faulted);
  assert_non_null(strstr(fault_message, "string lists record"));
  assert_non_null(strstr(fault_message, "out of range"));
  faulted = 0;
  if (setjmp(fault_jump) == 0)
    (void)hg_index_caller(fx->ix, n_callers);
  else
    faulted = 1;
  hg_index_set_fault_handler(NULL);
  assert_true(faulted);
  assert_non_null(strstr(fault_message, "callers record"));
  assert_null(hg_index_str(fx->ix, HG_NOSTR));
  assert_string_equal(hg_index_text(fx->ix, HG_NOSTR), "");
  assert_string_equal(hg_index_text(fx->ix, hg_index_repo(fx->ix, 0)->name), "owner/name");
}

/* A range is checked against its table whole, before a loop walks it or an
 * allocation is sized by it: one that ends past the table, or whose
 * first + count wraps past 2^32 (and so looked short), is a fault. */
static void test_range_past_the_table_faults(void **state) {
  Fixture *fx = *state;
  build_index(fx, fx->path);
  open_ok(fx, fx->path);
  uint32_t n = (uint32_t)hg_index_count(fx->ix, HG_SEC_DEFS);
  HgRange whole = {0, n}, tail = {n, 0};
  HgRange got = hg_index_range(fx->ix, HG_SEC_DEFS, whole);
  assert_int_equal(got.first, 0);
  assert_int_equal(got.count, n);
  got = hg_index_range(fx->ix, HG_SEC_DEFS, tail);
  assert_int_equal(got.first, n);
  assert_int_equal(got.count, 0);
  HgRange bad[] = {{0, n + 1}, {1, UINT32_MAX}, {n, 1}};
  hg_index_set_fault_handler(on_fault);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    volatile int faulted = 0;
    fault_message[0] = 0;
    if (setjmp(fault_jump) == 0)
      (void)hg_index_range(fx->ix, HG_SEC_DEFS, bad[i]);
    else
      faulted = 1;
    assert_true(faulted);
    char want[128];
    snprintf(want, sizeof want, "corrupt index (definitions range %u+%u reaches past the table of %u records)",
             bad[i].first, bad[i].count, n);
    assert_non_null(strstr(fault_message, want));
  }
  hg_index_set_fault_handler(NULL);
}

/* An index truncated in place while it is mapped: reading a page past the
 * new end raises SIGBUS, which killed the query (exit 135).  The reader maps
 * zeros over the page and the fault handler hears of it, from verify, from
 * any accessor, and from hg_index_check_all. */
static void test_index_truncated_while_mapped_is_a_fault_not_sigbus(void **state) {
  Fixture *fx = *state;
  build_index(fx, fx->path);
  open_ok(fx, fx->path);
  const char *name = hg_index_text(fx->ix, hg_index_repo(fx->ix, 0)->name); /* read before */
  assert_string_equal(name, "owner/name");
  assert_int_equal(truncate(fx->path, 0), 0);
  assert_int_equal(hg_index_vanished(fx->ix), 0);
  assert_int_equal(hg_index_verify(fx->ix, fx->err, sizeof fx->err), HG_ERR_FORMAT);
  assert_non_null(strstr(fx->err, "shrank while it was read"));
  assert_int_equal(hg_index_vanished(fx->ix), 1);
  hg_index_set_fault_handler(on_fault);
  volatile int faulted = 0;
  fault_message[0] = 0;
  if (setjmp(fault_jump) == 0)
    (void)hg_index_def(fx->ix, 0);
  else
    faulted = 1;
  assert_true(faulted);
  assert_non_null(strstr(fault_message, "the index file shrank while it was read (truncated in place"));
  assert_non_null(strstr(fault_message, fx->path));
  faulted = 0;
  if (setjmp(fault_jump) == 0)
    hg_index_check_all();
  else
    faulted = 1;
  hg_index_set_fault_handler(NULL);
  assert_true(faulted);
}

static void test_flipped_bit_in_string_table_is_caught(void **state) {
  Fixture *fx = *state;
  char damaged[PATH_MAX + 32];
  size_t len;
  uint8_t *buf = good_bytes(fx, &len, damaged, sizeof damaged);
  const HgSectionEntry *strings = section(buf, HG_SEC_STRINGS);
  buf[strings->offset + 3] ^= 0x01;
  write_file(damaged, buf, len);
  open_ok(fx, damaged);
  assert_int_equal(hg_index_verify(fx->ix, fx->err, sizeof fx->err), HG_ERR_FORMAT);
  assert_non_null(strstr(fx->err, "strings section"));
  free(buf);
}

static void test_flipped_bit_in_block_checksums_is_refused(void **state) {
  Fixture *fx = *state;
  char damaged[PATH_MAX + 32];
  size_t len;
  uint8_t *buf = good_bytes(fx, &len, damaged, sizeof damaged);
  const HgSectionEntry *crcs = section(buf, HG_SEC_BLOCKCRCS);
  assert_true(crcs->count > 0);
  buf[crcs->offset] ^= 0x80;
  write_file(damaged, buf, len);
  expect_refused(fx, damaged, "block checksum table");
  free(buf);
}

static void test_flipped_bit_in_header_is_refused(void **state) {
  Fixture *fx = *state;
  char damaged[PATH_MAX + 32];
  size_t len;
  uint8_t *buf = good_bytes(fx, &len, damaged, sizeof damaged);
  buf[offsetof(HgHeader, flags)] ^= 0x04; /* a reserved field: only the checksum sees it */
  write_file(damaged, buf, len);
  expect_refused(fx, damaged, "header checksum mismatch");
  buf[offsetof(HgHeader, flags)] ^= 0x04;
  buf[offsetof(HgHeader, magic) + 1] ^= 0x01;
  write_file(damaged, buf, len);
  expect_refused(fx, damaged, "bad magic");
  free(buf);
}

static void test_flipped_bit_in_section_directory_is_refused(void **state) {
  Fixture *fx = *state;
  char damaged[PATH_MAX + 32];
  size_t len;
  uint8_t *buf = good_bytes(fx, &len, damaged, sizeof damaged);
  buf[sizeof(HgHeader) + offsetof(HgSectionEntry, count)] ^= 0x02;
  write_file(damaged, buf, len);
  expect_refused(fx, damaged, "header checksum mismatch");
  free(buf);
}

static void test_refuses_other_version(void **state) {
  Fixture *fx = *state;
  char damaged[PATH_MAX + 32];
  size_t len;
  uint8_t *buf = good_bytes(fx, &len, damaged, sizeof damaged);
  uint32_t v = HG_FORMAT_VERSION + 1;
  memcpy(buf + offsetof(HgHeader, version), &v, sizeof v);
  write_file(damaged, buf, len);
  char want[64];
  snprintf(want, sizeof want, "index format version %u", v);
  expect_refused(fx, damaged, want);
  expect_refused(fx, damaged, "rebuild the index");
  free(buf);
}

static void test_refuses_empty_file(void **state) {
  Fixture *fx = *state;
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/empty.hgi", fx->dir);
  write_file(path, "", 0);
  expect_refused(fx, path, "empty file");
}

static void test_refuses_text_file(void **state) {
  Fixture *fx = *state;
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/notes.txt", fx->dir);
  const char *text = "These are notes, not an index; they run past a header's length.\n";
  write_file(path, text, strlen(text));
  expect_refused(fx, path, "not an hgym index");
  write_file(path, "hello\n", 6);
  expect_refused(fx, path, "too short for a header");
}

static void test_refuses_directory(void **state) {
  Fixture *fx = *state;
  expect_refused(fx, fx->dir, "not a regular file");
}

static void test_missing_file_is_io_error(void **state) {
  Fixture *fx = *state;
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/missing.hgi", fx->dir);
  HgIndex *ix = NULL;
  fx->err[0] = 0;
  assert_int_equal(hg_index_open(path, &ix, fx->err, sizeof fx->err), HG_ERR_IO);
  assert_null(ix);
  assert_non_null(strstr(fx->err, path));
  assert_non_null(strstr(fx->err, "cannot open index"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_facts_of_the_sources_are_as_counted),
      T(test_index_counts_and_repositories),
      T(test_index_round_trips_every_file),
      T(test_index_rebases_indices_of_later_files),
      T(test_index_keeps_file_flags_and_all),
      T(test_index_repository_diagnostic),
      cmocka_unit_test(test_builder_find_agrees_with_interning),
      cmocka_unit_test(test_long_strings_are_stored_not_interned),
      T(test_write_leaves_no_temporary_file),
      T(test_write_into_missing_directory_fails_cleanly),
      T(test_write_never_follows_a_planted_temporary_name),
      T(test_write_refuses_a_target_that_is_not_a_regular_file),
      T(test_durable_and_atomic_writes_are_the_same_bytes),
      T(test_refuses_truncated_file),
      T(test_refuses_extended_file),
      T(test_flipped_bit_in_data_section_is_caught),
      T(test_out_of_range_string_list_and_caller_fault),
      T(test_range_past_the_table_faults),
      T(test_index_truncated_while_mapped_is_a_fault_not_sigbus),
      T(test_flipped_bit_in_string_table_is_caught),
      T(test_flipped_bit_in_block_checksums_is_refused),
      T(test_flipped_bit_in_header_is_refused),
      T(test_flipped_bit_in_section_directory_is_refused),
      T(test_refuses_other_version),
      T(test_refuses_empty_file),
      T(test_refuses_text_file),
      T(test_refuses_directory),
      T(test_missing_file_is_io_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

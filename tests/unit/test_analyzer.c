/*
 * test_analyzer.c: hg_analyzer_run on small sources, checked field by field.
 *
 * Every expected value was worked out from the source beside it (lines and
 * byte offsets counted by hand, 0-indexed) and cross-checked with Python's
 * ast where ast has the notion.  Each run also checks the invariants of
 * facts.h: a def's parent precedes it, owners name real defs, and every
 * string is valid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "analyzer/prescan.h"

typedef struct {
  HgAnalyzer *an;
  HgArena *arena;
  HgFileFacts facts;
} Fixture;

static int group_setup(void **state) {
  Fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  fx->an = hg_analyzer_new();
  fx->arena = hg_arena_new();
  *state = fx;
  return fx->an && fx->arena ? 0 : -1;
}

static int group_teardown(void **state) {
  Fixture *fx = *state;
  hg_analyzer_delete(fx->an);
  hg_arena_delete(fx->arena);
  free(fx);
  return 0;
}

/* ---- checks shared by every test ----------------------------------------------- */

/* An independent UTF-8 check (not the analyzer's own): shortest form, no
 * surrogates, nothing above U+10FFFF. */
static int utf8_valid(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  while (*u) {
    unsigned c = *u, n, cp;
    if (c < 0x80) {
      u++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
      n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
      n = 3, cp = c & 0x07;
    else
      return 0;
    for (unsigned i = 1; i <= n; i++) {
      if ((u[i] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (u[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    u += n + 1;
  }
  return 1;
}

static void check_str(const char *s) {
  if (s) assert_true(utf8_valid(s));
}

static void check_invariants(const HgFileFacts *f) {
  int32_t ndefs = (int32_t)f->defs.len;
  for (int32_t i = 0; i < ndefs; i++) {
    const HgDef *d = &f->defs.items[i];
    assert_true(d->parent >= -1 && d->parent < i);
    assert_non_null(d->name);
    assert_non_null(d->qualname);
    assert_non_null(d->signature);
    check_str(d->name);
    check_str(d->qualname);
    check_str(d->signature);
    check_str(d->docstring);
    for (uint32_t k = 0; k < d->n_decorators; k++) check_str(d->decorators[k]);
    for (uint32_t k = 0; k < d->n_bases; k++) check_str(d->bases[k]);
    for (uint32_t k = 0; k < d->n_params; k++) {
      check_str(d->params[k].name);
      check_str(d->params[k].annotation);
      check_str(d->params[k].default_);
    }
    assert_true(d->line_start <= d->line_end);
    assert_true(d->decorator_line <= d->line_start);
    if (d->parent >= 0) { /* a parent's lines and bytes hold its children's */
      const HgDef *p = &f->defs.items[d->parent];
      assert_true(p->line_start <= d->line_start && d->line_end <= p->line_end);
      assert_true(p->byte_start <= d->byte_start && d->byte_end <= p->byte_end);
    }
  }
  for (uint32_t i = 0; i < f->imports.len; i++) {
    assert_true(f->imports.items[i].owner >= -1 && f->imports.items[i].owner < ndefs);
    check_str(f->imports.items[i].module);
    check_str(f->imports.items[i].name);
    check_str(f->imports.items[i].asname);
  }
  for (uint32_t i = 0; i < f->calls.len; i++) {
    assert_true(f->calls.items[i].owner >= -1 && f->calls.items[i].owner < ndefs);
    assert_non_null(f->calls.items[i].chain);
    check_str(f->calls.items[i].chain);
  }
  for (uint32_t i = 0; i < f->bindings.len; i++) {
    assert_true(f->bindings.items[i].owner >= -1 && f->bindings.items[i].owner < ndefs);
    check_str(f->bindings.items[i].target);
    check_str(f->bindings.items[i].value);
  }
  for (uint32_t i = 0; i < f->diags.len; i++) check_str(f->diags.items[i].message);
  for (uint32_t i = 0; i < f->n_all; i++) check_str(f->all[i]);
}

static const HgFileFacts *run_n(void **state, const char *src, size_t len) {
  Fixture *fx = *state;
  hg_arena_reset(fx->arena);
  assert_int_equal(hg_analyzer_run(fx->an, src, len, fx->arena, &fx->facts), HG_OK);
  check_invariants(&fx->facts);
  return &fx->facts;
}

/* For literals: sizeof keeps embedded NUL bytes. */
#define RUN(src) run_n(state, (src), sizeof(src) - 1)

/* ---- expectation helpers (they report the caller's line) ------------------------- */

#define EQ(a, b) _assert_int_equal((LargestIntegralType)(intmax_t)(a), (LargestIntegralType)(intmax_t)(b), file, line)

static void expect_str__(const char *got, const char *want, const char *file, int line) {
  if (!want) {
    _assert_true(got == NULL, "string is NULL", file, line);
    return;
  }
  _assert_true(got != NULL, "string is not NULL", file, line);
  _assert_string_equal(got, want, file, line);
}
#define STR(got, want) expect_str__((got), (want), file, line)

static void expect_def__(const char *file, int line, const HgDef *d, const char *name, const char *qualname,
                         int32_t parent, HgDefKind kind, unsigned flags, uint32_t line_start, uint32_t line_end,
                         uint32_t decorator_line) {
  STR(d->name, name);
  STR(d->qualname, qualname);
  EQ(d->parent, parent);
  EQ(d->kind, kind);
  EQ(d->flags, flags);
  EQ(d->line_start, line_start);
  EQ(d->line_end, line_end);
  EQ(d->decorator_line, decorator_line);
}
#define EXPECT_DEF(d, ...) expect_def__(__FILE__, __LINE__, (d), __VA_ARGS__)

static void expect_param__(const char *file, int line, const HgParam *p, const char *name, const char *annotation,
                           const char *default_, HgParamKind kind) {
  STR(p->name, name);
  STR(p->annotation, annotation);
  STR(p->default_, default_);
  EQ(p->kind, kind);
}
#define EXPECT_PARAM(p, ...) expect_param__(__FILE__, __LINE__, (p), __VA_ARGS__)

static void expect_import__(const char *file, int line, const HgImport *m, const char *module, const char *name,
                            const char *asname, int32_t owner, uint32_t iline, uint32_t col, unsigned level,
                            unsigned flags) {
  STR(m->module, module);
  STR(m->name, name);
  STR(m->asname, asname);
  EQ(m->owner, owner);
  EQ(m->line, iline);
  EQ(m->col, col);
  EQ(m->level, level);
  EQ(m->flags, flags);
}
#define EXPECT_IMPORT(m, ...) expect_import__(__FILE__, __LINE__, (m), __VA_ARGS__)

static void expect_call__(const char *file, int line, const HgCall *c, int32_t owner, uint32_t cline, uint32_t col,
                          uint32_t byte, HgCalleeShape shape, unsigned flags, const char *chain, int32_t recv_call) {
  EQ(c->owner, owner);
  EQ(c->line, cline);
  EQ(c->col, col);
  EQ(c->byte, byte);
  EQ(c->shape, shape);
  EQ(c->flags, flags);
  STR(c->chain, chain);
  EQ(c->recv_call, recv_call);
}
#define EXPECT_CALL(c, ...) expect_call__(__FILE__, __LINE__, (c), __VA_ARGS__)

static void expect_bind__(const char *file, int line, const HgBinding *b, const char *target, int32_t owner,
                          uint32_t bline, HgBindKind kind, HgValueKind vk, const char *value, int32_t ref) {
  STR(b->target, target);
  EQ(b->owner, owner);
  EQ(b->line, bline);
  EQ(b->kind, kind);
  EQ(b->value_kind, vk);
  STR(b->value, value);
  EQ(b->ref, ref);
}
#define EXPECT_BIND(b, ...) expect_bind__(__FILE__, __LINE__, (b), __VA_ARGS__)

static void expect_clean__(const char *file, int line, const HgFileFacts *f, uint32_t n_lines, uint32_t n_bytes) {
  EQ(f->n_lines, n_lines);
  EQ(f->n_bytes, n_bytes);
  EQ(f->has_error, 0);
  EQ(f->not_utf8, 0);
  EQ(f->diags.len, 0);
}
#define EXPECT_CLEAN(f, ...) expect_clean__(__FILE__, __LINE__, (f), __VA_ARGS__)

/* ---- definitions --------------------------------------------------------------------- */

static void test_module_function_every_field(void **state) {
  const HgFileFacts *f = RUN("def f(a, b=1):\n" /* 0: bytes 0..15 */
                             "    return a\n"); /* 1: bytes 15..28, `return` at 19 */
  EXPECT_CLEAN(f, 2, 28);
  assert_int_equal(f->defs.len, 1);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "f", "f", -1, HG_KIND_FUNCTION, HG_DEF_RETURNS, 0, 1, 0);
  assert_int_equal(d->byte_start, 0);
  assert_int_equal(d->byte_end, 27);
  assert_int_equal(d->decorator_byte, 0);
  assert_int_equal(d->body_line_start, 1);
  assert_int_equal(d->body_line_end, 1);
  assert_int_equal(d->body_byte_start, 19);
  assert_int_equal(d->doc_line_start, -1);
  assert_int_equal(d->doc_line_end, -1);
  assert_null(d->docstring);
  assert_string_equal(d->signature, "def f(a, b=1):");
  assert_int_equal(d->n_decorators, 0);
  assert_int_equal(d->n_bases, 0);
  assert_int_equal(d->n_body_stmts, 1);
  assert_int_equal(d->n_params, 2);
  EXPECT_PARAM(&d->params[0], "a", NULL, NULL, HG_PARAM_PLAIN);
  EXPECT_PARAM(&d->params[1], "b", NULL, "1", HG_PARAM_PLAIN);
  assert_int_equal(f->imports.len, 0);
  assert_int_equal(f->calls.len, 0);
  assert_int_equal(f->bindings.len, 3);
  EXPECT_BIND(&f->bindings.items[0], "a", 0, 0, HG_BIND_PARAM, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[1], "b", 0, 0, HG_BIND_PARAM, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[2], "f", -1, 0, HG_BIND_DEF, HG_VALUE_NONE, NULL, 0);
  assert_int_equal(f->all_state, 0);
  assert_null(f->all);
}

/* A def whose tree holds a syntax error has its body read by the analyzer
 * itself rather than by the walk: the same facts either way. */
static void test_body_facts_with_and_without_an_error(void **state) {
  const HgFileFacts *f = RUN("def g(a, @):\n"                  /* 0: error in the parameters */
                             "    \"Doc\"\n"                   /* 1 */
                             "    return h(a)\n"               /* 2 */
                             "def k(b, $):\n"                  /* 3 */
                             "    pass\n"                      /* 4 */
                             "def broken():\n"                 /* 5 */
                             "    \"\"\"Doc.\"\"\"\n"          /* 6 */
                             "    raise NotImplementedError\n" /* 7 */
                             "    x = = 1\n"                   /* 8: error in the body */
                             "def g2(a):\n"                    /* 9: g and k again, clean */
                             "    \"Doc\"\n"                   /* 10 */
                             "    return h(a)\n"               /* 11 */
                             "def k2(b):\n"                    /* 12 */
                             "    pass\n");                    /* 13 */
  assert_true(f->has_error);
  assert_int_equal(f->defs.len, 5);
  static const struct {
    uint32_t stmts, body_line;
    int32_t doc_line;
    uint32_t flags; /* of HAS_DOC, TRIVIAL, FORWARD */
  } want[] = {
      {2, 1, 1, HG_DEF_HAS_DOC | HG_DEF_FORWARD},   {1, 4, -1, HG_DEF_TRIVIAL},  {3, 6, 6, HG_DEF_HAS_DOC},
      {2, 10, 10, HG_DEF_HAS_DOC | HG_DEF_FORWARD}, {1, 13, -1, HG_DEF_TRIVIAL},
  };
  for (uint32_t i = 0; i < 5; i++) {
    const HgDef *d = &f->defs.items[i];
    assert_int_equal(d->n_body_stmts, want[i].stmts);
    assert_int_equal(d->body_line_start, want[i].body_line);
    assert_int_equal(d->doc_line_start, want[i].doc_line);
    assert_int_equal(d->flags & (HG_DEF_HAS_DOC | HG_DEF_TRIVIAL | HG_DEF_FORWARD), want[i].flags);
  }
  assert_string_equal(f->defs.items[0].docstring, "Doc");
  assert_string_equal(f->defs.items[2].docstring, "Doc.");
}

static void test_class_bases_and_metaclass(void **state) {
  const HgFileFacts *f = RUN("class C(Base, mod.Mixin, metaclass=Meta):\n" /* 0 */
                             "    x = 1\n");                               /* 1 */
  EXPECT_CLEAN(f, 2, 52);
  assert_int_equal(f->defs.len, 1);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "C", "C", -1, HG_KIND_CLASS, 0, 0, 1, 0);
  assert_string_equal(d->signature, "class C(Base, mod.Mixin, metaclass=Meta):");
  assert_int_equal(d->n_bases, 3);
  assert_string_equal(d->bases[0], "Base");
  assert_string_equal(d->bases[1], "mod.Mixin");
  assert_string_equal(d->bases[2], "metaclass=Meta");
  assert_int_equal(d->n_params, 0);
  assert_int_equal(d->n_body_stmts, 1);
  assert_int_equal(f->bindings.len, 2);
  EXPECT_BIND(&f->bindings.items[0], "C", -1, 0, HG_BIND_CLASS, HG_VALUE_NONE, NULL, 0);
  EXPECT_BIND(&f->bindings.items[1], "x", 0, 1, HG_BIND_ASSIGN, HG_VALUE_NONE, NULL, -1);
}

static void test_class_with_empty_parens_has_no_bases(void **state) {
  const HgFileFacts *f = RUN("class E():\n"
                             "    pass\n");
  assert_int_equal(f->defs.len, 1);
  EXPECT_DEF(&f->defs.items[0], "E", "E", -1, HG_KIND_CLASS, HG_DEF_TRIVIAL, 0, 1, 0);
  assert_int_equal(f->defs.items[0].n_bases, 0);
  assert_string_equal(f->defs.items[0].signature, "class E():");
}

static void test_async_function(void **state) {
  const HgFileFacts *f = RUN("x = 0\n"           /* 0: bytes 0..6 */
                             "async def g(y):\n" /* 1: bytes 6..22 */
                             "    await y\n");   /* 2: `await` at 26, ends 33 */
  EXPECT_CLEAN(f, 3, 34);
  assert_int_equal(f->defs.len, 1);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "g", "g", -1, HG_KIND_FUNCTION, HG_DEF_ASYNC, 1, 2, 1);
  assert_int_equal(d->byte_start, 6); /* the `async` keyword, as ast's col_offset */
  assert_int_equal(d->byte_end, 33);
  assert_int_equal(d->body_byte_start, 26);
  assert_string_equal(d->signature, "async def g(y):");
}

static void test_method_flags(void **state) {
  const HgFileFacts *f = RUN("class K:\n"               /* 0 */
                             "    def m(self):\n"       /* 1 */
                             "        pass\n"           /* 2 */
                             "    @staticmethod\n"      /* 3 */
                             "    def s(x):\n"          /* 4 */
                             "        pass\n"           /* 5 */
                             "    @classmethod\n"       /* 6 */
                             "    def c(cls):\n"        /* 7 */
                             "        pass\n"           /* 8 */
                             "    @property\n"          /* 9 */
                             "    def p(self):\n"       /* 10 */
                             "        return 1\n"       /* 11 */
                             "    @p.setter\n"          /* 12 */
                             "    def p(self, v):\n"    /* 13 */
                             "        pass\n"           /* 14 */
                             "    async def a(self):\n" /* 15 */
                             "        pass\n");         /* 16 */
  EXPECT_CLEAN(f, 17, 261);
  assert_int_equal(f->defs.len, 7);
  EXPECT_DEF(&f->defs.items[0], "K", "K", -1, HG_KIND_CLASS, 0, 0, 16, 0);
  assert_int_equal(f->defs.items[0].n_body_stmts, 6);
  EXPECT_DEF(&f->defs.items[1], "m", "K.m", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 1, 2, 1);
  EXPECT_DEF(&f->defs.items[2], "s", "K.s", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_STATICMETHOD | HG_DEF_TRIVIAL,
             4, 5, 3);
  EXPECT_DEF(&f->defs.items[3], "c", "K.c", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_CLASSMETHOD | HG_DEF_TRIVIAL, 7,
             8, 6);
  EXPECT_DEF(&f->defs.items[4], "p", "K.p", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_PROPERTY | HG_DEF_RETURNS, 10,
             11, 9);
  EXPECT_DEF(&f->defs.items[5], "p", "K.p", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_PROPERTY | HG_DEF_TRIVIAL, 13,
             14, 12);
  EXPECT_DEF(&f->defs.items[6], "a", "K.a", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_ASYNC | HG_DEF_TRIVIAL, 15, 16,
             15);
  assert_int_equal(f->defs.items[5].n_decorators, 1);
  assert_string_equal(f->defs.items[5].decorators[0], "p.setter");
  /* a decorator's line is its '@': line 3 starts at byte 39, the '@' at 43 */
  assert_int_equal(f->defs.items[2].decorator_byte, 43);
  assert_int_equal(f->defs.items[2].byte_start, 61);
}

static void test_nested_function_qualname(void **state) {
  const HgFileFacts *f = RUN("def outer():\n"       /* 0 */
                             "    def inner():\n"   /* 1 */
                             "        pass\n"       /* 2 */
                             "    return inner\n"); /* 3 */
  EXPECT_CLEAN(f, 4, 60);
  assert_int_equal(f->defs.len, 2);
  EXPECT_DEF(&f->defs.items[0], "outer", "outer", -1, HG_KIND_FUNCTION, HG_DEF_RETURNS, 0, 3, 0);
  EXPECT_DEF(&f->defs.items[1], "inner", "outer.<locals>.inner", 0, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 1, 2, 1);
  assert_int_equal(f->defs.items[0].n_body_stmts, 2);
  assert_int_equal(f->bindings.len, 2);
  EXPECT_BIND(&f->bindings.items[0], "outer", -1, 0, HG_BIND_DEF, HG_VALUE_NONE, NULL, 0);
  EXPECT_BIND(&f->bindings.items[1], "inner", 0, 1, HG_BIND_DEF, HG_VALUE_NONE, NULL, 1);
}

static void test_class_in_function_qualname(void **state) {
  const HgFileFacts *f = RUN("def f():\n"             /* 0 */
                             "    class C:\n"         /* 1 */
                             "        def m(self):\n" /* 2 */
                             "            pass\n");   /* 3 */
  assert_int_equal(f->defs.len, 3);
  EXPECT_DEF(&f->defs.items[0], "f", "f", -1, HG_KIND_FUNCTION, 0, 0, 3, 0);
  EXPECT_DEF(&f->defs.items[1], "C", "f.<locals>.C", 0, HG_KIND_CLASS, 0, 1, 3, 1);
  EXPECT_DEF(&f->defs.items[2], "m", "f.<locals>.C.m", 1, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 2, 3, 2);
}

static void test_nested_class_qualname(void **state) {
  const HgFileFacts *f = RUN("class A:\n"             /* 0 */
                             "    class B:\n"         /* 1 */
                             "        def m(self):\n" /* 2 */
                             "            pass\n");   /* 3 */
  assert_int_equal(f->defs.len, 3);
  EXPECT_DEF(&f->defs.items[0], "A", "A", -1, HG_KIND_CLASS, 0, 0, 3, 0);
  EXPECT_DEF(&f->defs.items[1], "B", "A.B", 0, HG_KIND_CLASS, 0, 1, 3, 1);
  EXPECT_DEF(&f->defs.items[2], "m", "A.B.m", 1, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 2, 3, 2);
}

static void test_defs_in_compound_statements_at_module_level(void **state) {
  const HgFileFacts *f = RUN("if X:\n"            /* 0 */
                             "    def a():\n"     /* 1 */
                             "        pass\n"     /* 2 */
                             "else:\n"            /* 3 */
                             "    class B:\n"     /* 4 */
                             "        pass\n"     /* 5 */
                             "try:\n"             /* 6 */
                             "    def c():\n"     /* 7 */
                             "        pass\n"     /* 8 */
                             "except E:\n"        /* 9 */
                             "    def d():\n"     /* 10 */
                             "        pass\n"     /* 11 */
                             "finally:\n"         /* 12 */
                             "    def e():\n"     /* 13 */
                             "        pass\n"     /* 14 */
                             "with ctx() as m:\n" /* 15 */
                             "    def g():\n"     /* 16 */
                             "        pass\n");   /* 17 */
  EXPECT_CLEAN(f, 18, 209);
  assert_int_equal(f->defs.len, 6);
  EXPECT_DEF(&f->defs.items[0], "a", "a", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 1, 2, 1);
  EXPECT_DEF(&f->defs.items[1], "B", "B", -1, HG_KIND_CLASS, HG_DEF_TRIVIAL, 4, 5, 4);
  EXPECT_DEF(&f->defs.items[2], "c", "c", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 7, 8, 7);
  EXPECT_DEF(&f->defs.items[3], "d", "d", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 10, 11, 10);
  EXPECT_DEF(&f->defs.items[4], "e", "e", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 13, 14, 13);
  EXPECT_DEF(&f->defs.items[5], "g", "g", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 16, 17, 16);
}

static void test_defs_in_compound_statements_in_class_body(void **state) {
  const HgFileFacts *f = RUN("class K:\n"             /* 0 */
                             "    if X:\n"            /* 1 */
                             "        def a(self):\n" /* 2 */
                             "            pass\n"     /* 3 */
                             "    else:\n"            /* 4 */
                             "        def b(self):\n" /* 5 */
                             "            pass\n"     /* 6 */
                             "    try:\n"             /* 7 */
                             "        def c(self):\n" /* 8 */
                             "            pass\n"     /* 9 */
                             "    except E:\n"        /* 10 */
                             "        def d(self):\n" /* 11 */
                             "            pass\n"     /* 12 */
                             "    with ctx():\n"      /* 13 */
                             "        def e(self):\n" /* 14 */
                             "            pass\n");   /* 15 */
  assert_int_equal(f->defs.len, 6);
  EXPECT_DEF(&f->defs.items[0], "K", "K", -1, HG_KIND_CLASS, 0, 0, 15, 0);
  assert_int_equal(f->defs.items[0].n_body_stmts, 3);
  EXPECT_DEF(&f->defs.items[1], "a", "K.a", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 2, 3, 2);
  EXPECT_DEF(&f->defs.items[2], "b", "K.b", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 5, 6, 5);
  EXPECT_DEF(&f->defs.items[3], "c", "K.c", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 8, 9, 8);
  EXPECT_DEF(&f->defs.items[4], "d", "K.d", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 11, 12, 11);
  EXPECT_DEF(&f->defs.items[5], "e", "K.e", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 14, 15, 14);
}

static void test_decorators_text_line_and_calls(void **state) {
  const HgFileFacts *f = RUN("@app.route(\"/x\", methods=get())\n" /* 0: bytes 0..32 */
                             "@cache\n"                            /* 1: bytes 32..39 */
                             "def view(request):\n"                /* 2: bytes 39..58 */
                             "    return render(request)\n");      /* 3: `render` at 69 */
  EXPECT_CLEAN(f, 4, 85);
  assert_int_equal(f->defs.len, 1);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "view", "view", -1, HG_KIND_FUNCTION, HG_DEF_RETURNS | HG_DEF_FORWARD, 2, 3, 0);
  assert_int_equal(d->decorator_byte, 0);
  assert_int_equal(d->byte_start, 39);
  assert_int_equal(d->n_decorators, 2);
  assert_string_equal(d->decorators[0], "app.route(\"/x\", methods=get())");
  assert_string_equal(d->decorators[1], "cache");
  assert_string_equal(d->signature, "def view(request):");
  /* a bare decorator (@cache) is a call of it, at its expression */
  assert_int_equal(f->calls.len, 4);
  EXPECT_CALL(&f->calls.items[0], 0, 0, 1, 1, HG_CALLEE_ATTR, HG_CALL_IN_DECORATOR, "app.route", -1);
  EXPECT_CALL(&f->calls.items[1], 0, 0, 25, 25, HG_CALLEE_NAME, HG_CALL_IN_DECORATOR, "get", -1);
  EXPECT_CALL(&f->calls.items[2], 0, 1, 1, 33, HG_CALLEE_NAME, HG_CALL_IN_DECORATOR | HG_CALL_BARE_DECORATOR, "cache",
              -1);
  EXPECT_CALL(&f->calls.items[3], 0, 3, 11, 69, HG_CALLEE_NAME, 0, "render", -1);
}

static void test_decorated_class_and_comment_between_decorators(void **state) {
  const HgFileFacts *f = RUN("@dataclass(frozen=True)\n" /* 0 */
                             "# a comment\n"             /* 1 */
                             "@mod.register\n"           /* 2 */
                             "class P:\n"                /* 3 */
                             "    x: int\n");            /* 4 */
  assert_int_equal(f->defs.len, 1);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "P", "P", -1, HG_KIND_CLASS, 0, 3, 4, 0);
  assert_int_equal(d->n_decorators, 2);
  assert_string_equal(d->decorators[0], "dataclass(frozen=True)");
  assert_string_equal(d->decorators[1], "mod.register");
  assert_int_equal(f->calls.len, 2);
  EXPECT_CALL(&f->calls.items[0], 0, 0, 1, 1, HG_CALLEE_NAME, HG_CALL_IN_DECORATOR, "dataclass", -1);
  /* line 2 starts at byte 24 + 12 = 36; `mod` is at column 1 */
  EXPECT_CALL(&f->calls.items[1], 0, 2, 1, 37, HG_CALLEE_ATTR, HG_CALL_IN_DECORATOR | HG_CALL_BARE_DECORATOR,
              "mod.register", -1);
}

static void test_line_end_excludes_trailing_comments(void **state) {
  const HgFileFacts *f = RUN("def f():\n"            /* 0 */
                             "    x = 1\n"           /* 1 */
                             "    # trailing\n"      /* 2 */
                             "\n"                    /* 3 */
                             "# module comment\n"    /* 4 */
                             "class K:\n"            /* 5 */
                             "    def m(self):\n"    /* 6 */
                             "        pass\n"        /* 7 */
                             "        # deeper\n"    /* 8 */
                             "    # class level\n"); /* 9 */
  assert_int_equal(f->defs.len, 3);
  EXPECT_DEF(&f->defs.items[0], "f", "f", -1, HG_KIND_FUNCTION, 0, 0, 1, 0);
  assert_int_equal(f->defs.items[0].body_line_end, 1);
  EXPECT_DEF(&f->defs.items[1], "K", "K", -1, HG_KIND_CLASS, 0, 5, 7, 5);
  EXPECT_DEF(&f->defs.items[2], "m", "K.m", 1, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 6, 7, 6);
}

static void test_one_line_bodies(void **state) {
  const HgFileFacts *f = RUN("def f(): return 1\n"       /* 0: `return` at 9 */
                             "class C: pass\n"           /* 1 */
                             "def g(): x = 1; y = 2\n"); /* 2 */
  EXPECT_CLEAN(f, 3, 54);
  assert_int_equal(f->defs.len, 3);
  EXPECT_DEF(&f->defs.items[0], "f", "f", -1, HG_KIND_FUNCTION, HG_DEF_RETURNS, 0, 0, 0);
  assert_int_equal(f->defs.items[0].body_line_start, 0);
  assert_int_equal(f->defs.items[0].body_byte_start, 9);
  assert_int_equal(f->defs.items[0].byte_end, 17);
  EXPECT_DEF(&f->defs.items[1], "C", "C", -1, HG_KIND_CLASS, HG_DEF_TRIVIAL, 1, 1, 1);
  EXPECT_DEF(&f->defs.items[2], "g", "g", -1, HG_KIND_FUNCTION, 0, 2, 2, 2);
  assert_int_equal(f->defs.items[2].n_body_stmts, 2);
}

static void test_body_shape_flags(void **state) {
  const HgFileFacts *f = RUN("def outer():\n"                  /* 0 */
                             "    def inner():\n"              /* 1 */
                             "        return 1\n"              /* 2 */
                             "    inner()\n"                   /* 3 */
                             "def stub():\n"                   /* 4 */
                             "    \"\"\"Doc.\"\"\"\n"          /* 5 */
                             "    raise NotImplementedError\n" /* 6 */
                             "async def fw(x):\n"              /* 7 */
                             "    await other(x)\n"            /* 8 */
                             "def bare():\n"                   /* 9 */
                             "    return\n");                  /* 10 */
  assert_int_equal(f->defs.len, 5);
  /* a return in a nested def is not the outer def's */
  EXPECT_DEF(&f->defs.items[0], "outer", "outer", -1, HG_KIND_FUNCTION, 0, 0, 3, 0);
  EXPECT_DEF(&f->defs.items[1], "inner", "outer.<locals>.inner", 0, HG_KIND_FUNCTION, HG_DEF_RETURNS, 1, 2, 1);
  EXPECT_DEF(&f->defs.items[2], "stub", "stub", -1, HG_KIND_FUNCTION, HG_DEF_HAS_DOC | HG_DEF_TRIVIAL, 4, 6, 4);
  EXPECT_DEF(&f->defs.items[3], "fw", "fw", -1, HG_KIND_FUNCTION, HG_DEF_ASYNC | HG_DEF_FORWARD, 7, 8, 7);
  /* a bare return returns no value */
  EXPECT_DEF(&f->defs.items[4], "bare", "bare", -1, HG_KIND_FUNCTION, 0, 9, 10, 9);
}

/* ---- docstrings ---------------------------------------------------------------------- */

static void test_docstring_multiline(void **state) {
  const HgFileFacts *f = RUN("def a():\n"            /* 0: bytes 0..9 */
                             "    \"\"\"Doc line.\n" /* 1: bytes 9..26, literal at 13 */
                             "\n"                    /* 2: bytes 26..27 */
                             "    More.\"\"\"\n"     /* 3: bytes 27..40, literal ends 39 */
                             "    return 1\n");      /* 4 */
  EXPECT_CLEAN(f, 5, 53);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "a", "a", -1, HG_KIND_FUNCTION, HG_DEF_HAS_DOC | HG_DEF_RETURNS, 0, 4, 0);
  assert_int_equal(d->doc_line_start, 1);
  assert_int_equal(d->doc_line_end, 3);
  assert_int_equal(d->doc_byte_start, 13);
  assert_int_equal(d->doc_byte_end, 39);
  assert_string_equal(d->docstring, "Doc line.\n\n    More.");
  assert_int_equal(d->body_line_start, 1);
  assert_int_equal(d->body_byte_start, 13);
  assert_int_equal(d->n_body_stmts, 2);
}

static void test_docstring_single_quoted_class(void **state) {
  const HgFileFacts *f = RUN("class C:\n"
                             "    'single'\n");
  const HgDef *d = &f->defs.items[0];
  assert_int_equal(d->flags, HG_DEF_HAS_DOC | HG_DEF_TRIVIAL);
  assert_int_equal(d->doc_line_start, 1);
  assert_int_equal(d->doc_line_end, 1);
  assert_string_equal(d->docstring, "single");
}

static void test_docstring_after_comment(void **state) {
  const HgFileFacts *f = RUN("def f():\n"
                             "    # note\n"
                             "    \"\"\"d\"\"\"\n");
  const HgDef *d = &f->defs.items[0];
  assert_int_equal(d->flags, HG_DEF_HAS_DOC | HG_DEF_TRIVIAL);
  assert_int_equal(d->doc_line_start, 2);
  assert_string_equal(d->docstring, "d");
  assert_int_equal(d->n_body_stmts, 1);
}

static void test_docstring_raw_keeps_backslashes(void **state) {
  const HgFileFacts *f = RUN("def f():\n"
                             "    r'''a\\n'''\n");
  assert_int_equal(f->defs.items[0].flags, HG_DEF_HAS_DOC | HG_DEF_TRIVIAL);
  assert_string_equal(f->defs.items[0].docstring, "a\\n");
}

static void test_docstring_concatenated_plain_strings(void **state) {
  const HgFileFacts *f = RUN("def f():\n"            /* 0: bytes 0..9 */
                             "    \"one\" 'two'\n"); /* 1: literal 13..24 */
  const HgDef *d = &f->defs.items[0];
  assert_int_equal(d->flags, HG_DEF_HAS_DOC | HG_DEF_TRIVIAL);
  assert_int_equal(d->doc_line_start, 1);
  assert_int_equal(d->doc_line_end, 1);
  assert_int_equal(d->doc_byte_start, 13);
  assert_int_equal(d->doc_byte_end, 24);
  assert_string_equal(d->docstring, "onetwo");
}

static void expect_no_docstring(void **state, const char *src, size_t len) {
  const HgFileFacts *f = run_n(state, src, len);
  assert_int_equal(f->defs.len, 1);
  const HgDef *d = &f->defs.items[0];
  assert_int_equal(d->flags & HG_DEF_HAS_DOC, 0);
  assert_int_equal(d->doc_line_start, -1);
  assert_int_equal(d->doc_line_end, -1);
  assert_null(d->docstring);
}

static void test_fstring_is_not_a_docstring(void **state) {
  static const char src[] = "def f():\n    f\"x {y}\"\n";
  expect_no_docstring(state, src, sizeof src - 1);
}

static void test_bytes_is_not_a_docstring(void **state) {
  static const char src[] = "def f():\n    b\"x\"\n";
  expect_no_docstring(state, src, sizeof src - 1);
}

static void test_concatenation_with_fstring_is_not_a_docstring(void **state) {
  static const char src[] = "def f():\n    \"a\" f\"b\"\n";
  expect_no_docstring(state, src, sizeof src - 1);
}

static void test_string_after_first_statement_is_not_a_docstring(void **state) {
  static const char src[] = "def f():\n    x = 1\n    \"late\"\n";
  expect_no_docstring(state, src, sizeof src - 1);
}

/* ---- signatures and parameters ---------------------------------------------------- */

/* The signature ends at the ':' before the body, found in the text after the
 * parameters, the return type, the bases or the name, across blanks,
 * comments and line joins; a form the scan does not know (type parameters
 * of a class) and a def with a syntax error are read child by child. */
static void test_signature_end_after_every_header_part(void **state) {
  const HgFileFacts *f = RUN("def a(x)  # (c): x\n"           /* 0 */
                             "  :\n"                          /* 1 */
                             "    pass\n"                     /* 2 */
                             "def b(x) -> \"T:\" \\\n"        /* 3 */
                             "   : pass\n"                    /* 4 */
                             "class C  : pass\n"              /* 5 */
                             "class D(E) :# c:\n"             /* 6 */
                             "    pass\n"                     /* 7 */
                             "class F[T]: pass\n"             /* 8 */
                             "async  def g(y=(1, 2)): pass\n" /* 9 */
                             "def asyncish(): pass\n"         /* 10 */
                             "def h(x, @): pass\n");          /* 11: a syntax error */
  static const char *const sigs[] = {
      "def a(x)  # (c): x\n  :",
      "def b(x) -> \"T:\" \\\n   :",
      "class C  :",
      "class D(E) :",
      "class F[T]:",
      "async  def g(y=(1, 2)):",
      "def asyncish():",
      "def h(x, @):",
  };
  assert_int_equal(f->defs.len, 8);
  for (uint32_t i = 0; i < 8; i++) assert_string_equal(f->defs.items[i].signature, sigs[i]);
  for (uint32_t i = 0; i < 8; i++) assert_int_equal(!!(f->defs.items[i].flags & HG_DEF_ASYNC), i == 5);
}

static void test_signature_keeps_comments_and_newlines(void **state) {
  const HgFileFacts *f = RUN("def h(a,  # c\n"
                             "      b) -> int:\n"
                             "    pass\n");
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "h", "h", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 0, 2, 0);
  assert_string_equal(d->signature, "def h(a,  # c\n      b) -> int:");
  assert_int_equal(d->n_params, 2);
  EXPECT_PARAM(&d->params[0], "a", NULL, NULL, HG_PARAM_PLAIN);
  EXPECT_PARAM(&d->params[1], "b", NULL, NULL, HG_PARAM_PLAIN);
}

static void test_parameters_of_every_kind(void **state) {
  const HgFileFacts *f = RUN("def g(a, /, b: int, c=2, d: str = \"x\", *args, e, f=None, **kw):\n"
                             "    pass\n");
  EXPECT_CLEAN(f, 2, 73);
  const HgDef *d = &f->defs.items[0];
  assert_string_equal(d->signature, "def g(a, /, b: int, c=2, d: str = \"x\", *args, e, f=None, **kw):");
  assert_int_equal(d->n_params, 9);
  EXPECT_PARAM(&d->params[0], "a", NULL, NULL, HG_PARAM_PLAIN);
  EXPECT_PARAM(&d->params[1], "", NULL, NULL, HG_PARAM_POSONLY_SEP);
  EXPECT_PARAM(&d->params[2], "b", "int", NULL, HG_PARAM_PLAIN);
  EXPECT_PARAM(&d->params[3], "c", NULL, "2", HG_PARAM_PLAIN);
  EXPECT_PARAM(&d->params[4], "d", "str", "\"x\"", HG_PARAM_PLAIN);
  EXPECT_PARAM(&d->params[5], "args", NULL, NULL, HG_PARAM_VARARGS);
  EXPECT_PARAM(&d->params[6], "e", NULL, NULL, HG_PARAM_PLAIN);
  EXPECT_PARAM(&d->params[7], "f", NULL, "None", HG_PARAM_PLAIN);
  EXPECT_PARAM(&d->params[8], "kw", NULL, NULL, HG_PARAM_KWARGS);
  /* every named parameter is bound in the function, then the function itself */
  static const char *const names[] = {"a", "b", "c", "d", "args", "e", "f", "kw"};
  assert_int_equal(f->bindings.len, 9);
  for (int i = 0; i < 8; i++)
    EXPECT_BIND(&f->bindings.items[i], names[i], 0, 0, HG_BIND_PARAM, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[8], "g", -1, 0, HG_BIND_DEF, HG_VALUE_NONE, NULL, 0);
}

static void test_bare_star_and_typed_splats(void **state) {
  const HgFileFacts *f = RUN("def k(*, a, **kw: str): pass\n"
                             "def v(*args: int): pass\n");
  assert_int_equal(f->defs.len, 2);
  const HgDef *k = &f->defs.items[0], *v = &f->defs.items[1];
  assert_int_equal(k->n_params, 3);
  EXPECT_PARAM(&k->params[0], "", NULL, NULL, HG_PARAM_KWONLY_SEP);
  EXPECT_PARAM(&k->params[1], "a", NULL, NULL, HG_PARAM_PLAIN);
  EXPECT_PARAM(&k->params[2], "kw", "str", NULL, HG_PARAM_KWARGS);
  assert_int_equal(v->n_params, 1);
  EXPECT_PARAM(&v->params[0], "args", "int", NULL, HG_PARAM_VARARGS);
}

/* ---- imports ----------------------------------------------------------------------------- */

static void test_import_dotted_binds_top_package(void **state) {
  const HgFileFacts *f = RUN("import a.b.c\n");
  EXPECT_CLEAN(f, 1, 13);
  assert_int_equal(f->imports.len, 1);
  EXPECT_IMPORT(&f->imports.items[0], "a.b.c", NULL, NULL, -1, 0, 7, 0, 0);
  assert_int_equal(f->bindings.len, 1);
  EXPECT_BIND(&f->bindings.items[0], "a", -1, 0, HG_BIND_IMPORT, HG_VALUE_NAME, "a", 0);
}

static void test_import_as_and_several_names(void **state) {
  const HgFileFacts *f = RUN("import a.b as c, d\n");
  assert_int_equal(f->imports.len, 2);
  EXPECT_IMPORT(&f->imports.items[0], "a.b", NULL, "c", -1, 0, 7, 0, 0);
  EXPECT_IMPORT(&f->imports.items[1], "d", NULL, NULL, -1, 0, 17, 0, 0);
  assert_int_equal(f->bindings.len, 2);
  EXPECT_BIND(&f->bindings.items[0], "c", -1, 0, HG_BIND_IMPORT, HG_VALUE_NAME, "a.b", 0);
  EXPECT_BIND(&f->bindings.items[1], "d", -1, 0, HG_BIND_IMPORT, HG_VALUE_NAME, "d", 1);
}

static void test_from_relative_import_as(void **state) {
  const HgFileFacts *f = RUN("from .x import y as z, w\n");
  assert_int_equal(f->imports.len, 2);
  EXPECT_IMPORT(&f->imports.items[0], "x", "y", "z", -1, 0, 15, 1, HG_IMP_FROM);
  EXPECT_IMPORT(&f->imports.items[1], "x", "w", NULL, -1, 0, 23, 1, HG_IMP_FROM);
  EXPECT_BIND(&f->bindings.items[0], "z", -1, 0, HG_BIND_IMPORT, HG_VALUE_NAME, ".x.y", 0);
  EXPECT_BIND(&f->bindings.items[1], "w", -1, 0, HG_BIND_IMPORT, HG_VALUE_NAME, ".x.w", 1);
}

static void test_from_parent_package_import(void **state) {
  const HgFileFacts *f = RUN("from .. import m\n");
  assert_int_equal(f->imports.len, 1);
  EXPECT_IMPORT(&f->imports.items[0], "", "m", NULL, -1, 0, 15, 2, HG_IMP_FROM);
  assert_int_equal(f->bindings.len, 1);
  EXPECT_BIND(&f->bindings.items[0], "m", -1, 0, HG_BIND_IMPORT, HG_VALUE_NAME, "..m", 0);
}

static void test_from_import_parenthesized_over_lines(void **state) {
  const HgFileFacts *f = RUN("from ...p.q import (r,\n"
                             "    s)\n");
  assert_int_equal(f->imports.len, 2);
  EXPECT_IMPORT(&f->imports.items[0], "p.q", "r", NULL, -1, 0, 20, 3, HG_IMP_FROM);
  EXPECT_IMPORT(&f->imports.items[1], "p.q", "s", NULL, -1, 1, 4, 3, HG_IMP_FROM);
  EXPECT_BIND(&f->bindings.items[1], "s", -1, 1, HG_BIND_IMPORT, HG_VALUE_NAME, "...p.q.s", 1);
}

static void test_star_import_binds_nothing(void **state) {
  const HgFileFacts *f = RUN("from m import *\n");
  assert_int_equal(f->imports.len, 1);
  EXPECT_IMPORT(&f->imports.items[0], "m", "*", NULL, -1, 0, 14, 0, HG_IMP_FROM | HG_IMP_STAR);
  assert_int_equal(f->bindings.len, 0);
}

static void test_future_import(void **state) {
  const HgFileFacts *f = RUN("from __future__ import annotations\n");
  assert_int_equal(f->imports.len, 1);
  EXPECT_IMPORT(&f->imports.items[0], "__future__", "annotations", NULL, -1, 0, 23, 0, HG_IMP_FROM);
  EXPECT_BIND(&f->bindings.items[0], "annotations", -1, 0, HG_BIND_IMPORT, HG_VALUE_NAME, "__future__.annotations", 0);
}

static void test_imports_inside_functions_are_owned(void **state) {
  const HgFileFacts *f = RUN("def f():\n"
                             "    import inner\n"
                             "    from . import rel\n");
  assert_int_equal(f->imports.len, 2);
  EXPECT_IMPORT(&f->imports.items[0], "inner", NULL, NULL, 0, 1, 11, 0, 0);
  EXPECT_IMPORT(&f->imports.items[1], "", "rel", NULL, 0, 2, 18, 1, HG_IMP_FROM);
  assert_int_equal(f->bindings.len, 3);
  EXPECT_BIND(&f->bindings.items[1], "inner", 0, 1, HG_BIND_IMPORT, HG_VALUE_NAME, "inner", 0);
  EXPECT_BIND(&f->bindings.items[2], "rel", 0, 2, HG_BIND_IMPORT, HG_VALUE_NAME, ".rel", 1);
}

static void test_imports_in_try_and_except(void **state) {
  const HgFileFacts *f = RUN("try:\n"                     /* 0 */
                             "    import ujson as json\n" /* 1 */
                             "except ImportError:\n"      /* 2 */
                             "    import json\n"          /* 3 */
                             "else:\n"                    /* 4 */
                             "    import after\n");       /* 5 */
  assert_int_equal(f->imports.len, 3);
  EXPECT_IMPORT(&f->imports.items[0], "ujson", NULL, "json", -1, 1, 11, 0, HG_IMP_IN_TRY);
  EXPECT_IMPORT(&f->imports.items[1], "json", NULL, NULL, -1, 3, 11, 0, HG_IMP_IN_EXCEPT);
  /* the else clause of a try is not guarded by the try */
  EXPECT_IMPORT(&f->imports.items[2], "after", NULL, NULL, -1, 5, 11, 0, 0);
}

static void test_imports_under_type_checking(void **state) {
  const HgFileFacts *f = RUN("import typing\n"            /* 0 */
                             "if TYPE_CHECKING:\n"        /* 1 */
                             "    from t import T\n"      /* 2 */
                             "if typing.TYPE_CHECKING:\n" /* 3 */
                             "    import u\n"             /* 4 */
                             "elif other:\n"              /* 5 */
                             "    import v\n"             /* 6 */
                             "else:\n"                    /* 7 */
                             "    import k\n"             /* 8 */
                             "if not TYPE_CHECKING:\n"    /* 9 */
                             "    import n\n");           /* 10 */
  assert_int_equal(f->imports.len, 6);
  EXPECT_IMPORT(&f->imports.items[0], "typing", NULL, NULL, -1, 0, 7, 0, 0);
  EXPECT_IMPORT(&f->imports.items[1], "t", "T", NULL, -1, 2, 18, 0, HG_IMP_FROM | HG_IMP_TYPE_CHECKING);
  EXPECT_IMPORT(&f->imports.items[2], "u", NULL, NULL, -1, 4, 11, 0, HG_IMP_TYPE_CHECKING);
  EXPECT_IMPORT(&f->imports.items[3], "v", NULL, NULL, -1, 6, 11, 0, HG_IMP_CONDITIONAL);
  EXPECT_IMPORT(&f->imports.items[4], "k", NULL, NULL, -1, 8, 11, 0, HG_IMP_CONDITIONAL);
  EXPECT_IMPORT(&f->imports.items[5], "n", NULL, NULL, -1, 10, 11, 0, HG_IMP_CONDITIONAL);
}

/* ---- calls ------------------------------------------------------------------------------- */

static void test_call_name_and_attribute_chain(void **state) {
  const HgFileFacts *f = RUN("f(1)\n"                 /* 0: bytes 0..5 */
                             "os.path.join(a, b)\n"); /* 1: bytes 5.. */
  EXPECT_CLEAN(f, 2, 24);
  assert_int_equal(f->calls.len, 2);
  EXPECT_CALL(&f->calls.items[0], -1, 0, 0, 0, HG_CALLEE_NAME, 0, "f", -1);
  EXPECT_CALL(&f->calls.items[1], -1, 1, 0, 5, HG_CALLEE_ATTR, 0, "os.path.join", -1);
}

static void test_call_self_in_method(void **state) {
  const HgFileFacts *f = RUN("class K:\n"                  /* 0: bytes 0..9 */
                             "    def m(self):\n"          /* 1: bytes 9..26 */
                             "        self.helper.run()\n" /* 2: `self` at 34 */
                             "    @classmethod\n"          /* 3 */
                             "    def c(cls):\n"           /* 4 */
                             "        cls.make()\n");      /* 5 */
  assert_int_equal(f->defs.len, 3);
  assert_int_equal(f->calls.len, 3);
  EXPECT_CALL(&f->calls.items[0], 1, 2, 8, 34, HG_CALLEE_SELF, 0, "self.helper.run", 1);
  /* @classmethod: line 3 starts at byte 52, the name at column 5 */
  EXPECT_CALL(&f->calls.items[1], 2, 3, 5, 57, HG_CALLEE_NAME, HG_CALL_IN_DECORATOR | HG_CALL_BARE_DECORATOR,
              "classmethod", -1);
  EXPECT_CALL(&f->calls.items[2], 2, 5, 8, 93, HG_CALLEE_SELF, 0, "cls.make", 2);
}

static void test_call_self_in_closure_of_method(void **state) {
  const HgFileFacts *f = RUN("class K:\n"
                             "    def m(self):\n"
                             "        def closure():\n"
                             "            self.inner()\n"
                             "        return closure\n");
  assert_int_equal(f->defs.len, 3);
  EXPECT_DEF(&f->defs.items[2], "closure", "K.m.<locals>.closure", 1, HG_KIND_FUNCTION, HG_DEF_FORWARD, 2, 3, 2);
  assert_int_equal(f->calls.len, 1);
  EXPECT_CALL(&f->calls.items[0], 2, 3, 12, 61, HG_CALLEE_SELF, 0, "self.inner", 1);
}

static void test_call_self_not_in_staticmethod_or_function(void **state) {
  const HgFileFacts *f = RUN("class K:\n"
                             "    @staticmethod\n"
                             "    def s(self):\n"
                             "        self.x()\n"
                             "def g(self):\n"
                             "    self.y()\n");
  assert_int_equal(f->calls.len, 3);
  assert_string_equal(f->calls.items[0].chain, "staticmethod"); /* the bare decorator */
  assert_int_equal(f->calls.items[1].owner, 1);
  assert_int_equal(f->calls.items[1].shape, HG_CALLEE_ATTR);
  assert_int_equal(f->calls.items[1].recv_call, -1);
  assert_int_equal(f->calls.items[2].owner, 2);
  assert_int_equal(f->calls.items[2].shape, HG_CALLEE_ATTR);
  assert_int_equal(f->calls.items[2].recv_call, -1);
}

static void test_call_on_super(void **state) {
  const HgFileFacts *f = RUN("class K(B):\n"
                             "    def m(self):\n"
                             "        super().m()\n"); /* line 2: bytes 29.., `super` at 37 */
  assert_int_equal(f->calls.len, 2);
  EXPECT_CALL(&f->calls.items[0], 1, 2, 8, 37, HG_CALLEE_SUPER, 0, "m", 1);
  EXPECT_CALL(&f->calls.items[1], 1, 2, 8, 37, HG_CALLEE_NAME, 0, "super", -1);
}

static void test_call_on_call_result(void **state) {
  const HgFileFacts *f = RUN("f().g.h()\n" /* 0: bytes 0..10 */
                             "k()()\n");   /* 1: bytes 10.. */
  assert_int_equal(f->calls.len, 4);
  EXPECT_CALL(&f->calls.items[0], -1, 0, 0, 0, HG_CALLEE_CALL, 0, "g.h", 1);
  EXPECT_CALL(&f->calls.items[1], -1, 0, 0, 0, HG_CALLEE_NAME, 0, "f", -1);
  EXPECT_CALL(&f->calls.items[2], -1, 1, 0, 10, HG_CALLEE_CALL, 0, "", 3);
  EXPECT_CALL(&f->calls.items[3], -1, 1, 0, 10, HG_CALLEE_NAME, 0, "k", -1);
}

static void test_call_on_subscript(void **state) {
  const HgFileFacts *f = RUN("a[0]()\n"     /* 0: bytes 0..7 */
                             "a[0].b()\n"); /* 1: bytes 7.. */
  assert_int_equal(f->calls.len, 2);
  EXPECT_CALL(&f->calls.items[0], -1, 0, 0, 0, HG_CALLEE_SUBSCRIPT, 0, "", -1);
  EXPECT_CALL(&f->calls.items[1], -1, 1, 0, 7, HG_CALLEE_SUBSCRIPT, 0, "b", -1);
}

static void test_call_other_shapes(void **state) {
  const HgFileFacts *f = RUN("(lambda: 0)()\n"  /* 0: bytes 0..14 */
                             "\"\".join(x)\n"); /* 1: bytes 14.. */
  assert_int_equal(f->calls.len, 2);
  EXPECT_CALL(&f->calls.items[0], -1, 0, 0, 0, HG_CALLEE_OTHER, 0, "(lambda: 0)", -1);
  EXPECT_CALL(&f->calls.items[1], -1, 1, 0, 14, HG_CALLEE_OTHER, 0, "\"\".join", -1);
}

static void test_call_raised_but_not_its_cause(void **state) {
  const HgFileFacts *f = RUN("def f():\n"
                             "    raise Err(\"x\") from cause()\n"); /* line 1: bytes 9.., Err at 19 */
  assert_int_equal(f->calls.len, 2);
  EXPECT_CALL(&f->calls.items[0], 0, 1, 10, 19, HG_CALLEE_NAME, HG_CALL_RAISE, "Err", -1);
  EXPECT_CALL(&f->calls.items[1], 0, 1, 24, 33, HG_CALLEE_NAME, 0, "cause", -1);
}

static void test_calls_in_lambda_and_comprehension_belong_to_def(void **state) {
  const HgFileFacts *f = RUN("def f(x):\n"
                             "    g = lambda: lam()\n"
                             "    return [comp(i) for i in x]\n");
  assert_int_equal(f->defs.len, 1);
  assert_int_equal(f->calls.len, 2);
  assert_string_equal(f->calls.items[0].chain, "lam");
  assert_int_equal(f->calls.items[0].owner, 0);
  assert_int_equal(f->calls.items[0].flags, 0);
  assert_string_equal(f->calls.items[1].chain, "comp");
  assert_int_equal(f->calls.items[1].owner, 0);
  assert_int_equal(f->calls.items[1].flags, 0);
}

/* The walk skips an operator, literal, subscript or attribute subtree whose
 * text holds no '(' and no ':=': every call and walrus inside such kinds is
 * still found, in pre-order, and a syntax error inside one still reported. */
static void test_calls_and_walrus_deep_inside_expressions(void **state) {
  const HgFileFacts *f = RUN("x = a.b + c.d[e] * -f(1)\n"       /* 0 */
                             "y = [1, {2: g()}, (3, h(4))]\n"   /* 1 */
                             "z = p if q else r.s(t)[0]\n"      /* 2 */
                             "w = not u or v == k(l=m(n))\n"    /* 3 */
                             "t = lambda: (o := lam())\n"       /* 4 */
                             "s = f\"{fs()}\" \"plain\"\n"      /* 5 */
                             "r = a.b.c + [1, 2] * {3: 4}[3]\n" /* 6: no call */
                             "q = [1, 2 +]\n");                 /* 7: syntax error */
  static const char *const chains[] = {"f", "g", "h", "r.s", "k", "m", "lam", "fs"};
  static const uint32_t lines[] = {0, 1, 1, 2, 3, 3, 4, 5};
  assert_int_equal(f->calls.len, 8);
  for (uint32_t i = 0; i < 8; i++) {
    assert_string_equal(f->calls.items[i].chain, chains[i]);
    assert_int_equal(f->calls.items[i].line, lines[i]);
    assert_int_equal(f->calls.items[i].owner, -1);
  }
  const HgBinding *walrus = NULL;
  for (uint32_t i = 0; i < f->bindings.len; i++)
    if (f->bindings.items[i].kind == HG_BIND_WALRUS) {
      assert_null(walrus);
      walrus = &f->bindings.items[i];
    }
  assert_non_null(walrus);
  assert_string_equal(walrus->target, "o");
  assert_int_equal(walrus->line, 4);
  assert_int_equal(walrus->value_kind, HG_VALUE_CALL);
  assert_string_equal(walrus->value, "lam");
  assert_true(f->has_error);
  assert_true(f->diags.len >= 1);
  for (uint32_t i = 0; i < f->diags.len; i++) assert_int_equal(f->diags.items[i].line, 7);
}

/* The walk also skips argument and parameter lists, comprehensions, await,
 * yield, lambdas, f-string interpolations and annotations, a plain call's
 * callee and arguments, and an assignment or return statement, when they
 * hold no '(' and no ':=' after their first byte: every call and walrus in
 * them is still found, in pre-order, with its owner. */
static void test_calls_and_walrus_inside_lists_and_statements(void **state) {
  const HgFileFacts *f = RUN("r = f(a, g(b), k=(w1 := h()))\n" /* 0 */
                             "s = sum(i(j) for j in x)\n"      /* 1 */
                             "t = [j for j in x if c(j)]\n"    /* 2 */
                             "u = {j: d(j) for j in x}\n"      /* 3 */
                             "async def m():\n"                /* 4 */
                             "    await aw()\n"                /* 5 */
                             "    yield yi()\n"                /* 6 */
                             "    v = lambda q=ld(): 0\n"      /* 7 */
                             "    return f\"{fi()}\"\n"        /* 8 */
                             "def n(p: ann[an2()] = 1):\n"     /* 9 */
                             "    return p\n"                  /* 10 */
                             "o = a().b(c)\n"                  /* 11 */
                             "z = (cm  # (\n"                  /* 12 */
                             "     (1, w2 := 2))\n"            /* 13 */
                             "e = [1, 2] + (3, 4)\n");         /* 14: no call */
  static const char *const chains[] = {"f",  "g",  "h",  "sum", "i", "c", "d", "aw",
                                       "yi", "ld", "fi", "an2", "b", "a", "cm"};
  static const uint32_t lines[] = {0, 0, 0, 1, 1, 2, 3, 5, 6, 7, 8, 9, 11, 11, 12};
  static const int32_t owners[] = {-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 1, -1, -1, -1};
  assert_int_equal(f->calls.len, 15);
  for (uint32_t i = 0; i < 15; i++) {
    assert_string_equal(f->calls.items[i].chain, chains[i]);
    assert_int_equal(f->calls.items[i].line, lines[i]);
    assert_int_equal(f->calls.items[i].owner, owners[i]);
  }
  assert_int_equal(f->calls.items[12].recv_call, 13); /* a().b(c) is b on the result of a() */
  const char *walrus[2] = {0};
  uint32_t nw = 0, ne = 0;
  for (uint32_t i = 0; i < f->bindings.len; i++) {
    if (f->bindings.items[i].kind == HG_BIND_WALRUS && nw < 2) walrus[nw++] = f->bindings.items[i].target;
    ne += !strcmp(f->bindings.items[i].target, "e");
  }
  assert_int_equal(nw, 2);
  assert_string_equal(walrus[0], "w1");
  assert_string_equal(walrus[1], "w2");
  assert_int_equal(ne, 1);
  assert_int_equal(f->defs.len, 2);
  assert_true(f->defs.items[0].flags & HG_DEF_RETURNS);
  assert_true(f->defs.items[1].flags & HG_DEF_RETURNS);
  assert_false(f->has_error);
}

static void test_calls_in_headers(void **state) {
  const HgFileFacts *f = RUN("def h(a: ann() = dflt()) -> ret():\n" /* 0 */
                             "    body()\n"                         /* 1 */
                             "class Q(base(), metaclass=meta()):\n" /* 2 */
                             "    x = attr()\n");                   /* 3 */
  assert_int_equal(f->calls.len, 7);
  EXPECT_CALL(&f->calls.items[0], 0, 0, 9, 9, HG_CALLEE_NAME, HG_CALL_IN_HEADER, "ann", -1);
  EXPECT_CALL(&f->calls.items[1], 0, 0, 17, 17, HG_CALLEE_NAME, HG_CALL_IN_HEADER, "dflt", -1);
  EXPECT_CALL(&f->calls.items[2], 0, 0, 28, 28, HG_CALLEE_NAME, HG_CALL_IN_HEADER, "ret", -1);
  EXPECT_CALL(&f->calls.items[3], 0, 1, 4, 39, HG_CALLEE_NAME, 0, "body", -1);
  EXPECT_CALL(&f->calls.items[4], 1, 2, 8, 54, HG_CALLEE_NAME, HG_CALL_IN_HEADER, "base", -1);
  EXPECT_CALL(&f->calls.items[5], 1, 2, 26, 72, HG_CALLEE_NAME, HG_CALL_IN_HEADER, "meta", -1);
  /* a call in the class body is the class's, not a header's */
  EXPECT_CALL(&f->calls.items[6], 1, 3, 8, 89, HG_CALLEE_NAME, 0, "attr", -1);
}

static void test_calls_in_method_defaults_are_header_not_self(void **state) {
  const HgFileFacts *f = RUN("class K:\n"
                             "    def m(self, x=self.y()):\n"
                             "        pass\n");
  assert_int_equal(f->calls.len, 1);
  EXPECT_CALL(&f->calls.items[0], 1, 1, 18, 27, HG_CALLEE_ATTR, HG_CALL_IN_HEADER, "self.y", -1);
}

/* ---- bindings ----------------------------------------------------------------------------- */

static void test_bindings_of_assignments(void **state) {
  const HgFileFacts *f = RUN("x = Cls()\n"           /* 0 */
                             "f = helper\n"          /* 1 */
                             "a, (b, *c) = t\n"      /* 2 */
                             "y: int = mod.make()\n" /* 3 */
                             "n += 1\n"              /* 4 */
                             "p = q = r.s\n");       /* 5 */
  assert_int_equal(f->bindings.len, 9);
  EXPECT_BIND(&f->bindings.items[0], "x", -1, 0, HG_BIND_ASSIGN, HG_VALUE_CALL, "Cls", -1);
  EXPECT_BIND(&f->bindings.items[1], "f", -1, 1, HG_BIND_ASSIGN, HG_VALUE_NAME, "helper", -1);
  EXPECT_BIND(&f->bindings.items[2], "a", -1, 2, HG_BIND_ASSIGN, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[3], "b", -1, 2, HG_BIND_ASSIGN, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[4], "c", -1, 2, HG_BIND_ASSIGN, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[5], "y", -1, 3, HG_BIND_ASSIGN, HG_VALUE_CALL, "mod.make", -1);
  EXPECT_BIND(&f->bindings.items[6], "n", -1, 4, HG_BIND_ASSIGN, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[7], "p", -1, 5, HG_BIND_ASSIGN, HG_VALUE_NAME, "r.s", -1);
  /* q is bound by the inner assignment of the chain */
  EXPECT_BIND(&f->bindings.items[8], "q", -1, 5, HG_BIND_ASSIGN, HG_VALUE_NAME, "r.s", -1);
}

static void test_binding_of_literal_has_no_value(void **state) {
  const HgFileFacts *f = RUN("z = 1\n");
  assert_int_equal(f->bindings.len, 1);
  EXPECT_BIND(&f->bindings.items[0], "z", -1, 0, HG_BIND_ASSIGN, HG_VALUE_NONE, NULL, -1);
}

static void test_bindings_of_self_attributes(void **state) {
  const HgFileFacts *f = RUN("class K:\n"                  /* 0 */
                             "    def __init__(self):\n"   /* 1 */
                             "        self.attr = Cls()\n" /* 2 */
                             "        self.o.p = 1\n");    /* 3 */
  assert_int_equal(f->bindings.len, 5);
  EXPECT_BIND(&f->bindings.items[0], "K", -1, 0, HG_BIND_CLASS, HG_VALUE_NONE, NULL, 0);
  EXPECT_BIND(&f->bindings.items[1], "self", 1, 1, HG_BIND_PARAM, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[2], "__init__", 0, 1, HG_BIND_DEF, HG_VALUE_NONE, NULL, 1);
  EXPECT_BIND(&f->bindings.items[3], "self.attr", 1, 2, HG_BIND_ASSIGN, HG_VALUE_CALL, "Cls", -1);
  EXPECT_BIND(&f->bindings.items[4], "self.o.p", 1, 3, HG_BIND_ASSIGN, HG_VALUE_NONE, NULL, -1);
}

static void test_bindings_of_for_with_except_walrus(void **state) {
  const HgFileFacts *f = RUN("for i, j in z:\n"                       /* 0 */
                             "    pass\n"                             /* 1 */
                             "with open(p) as fh, ctx() as (u, v):\n" /* 2 */
                             "    pass\n"                             /* 3 */
                             "try:\n"                                 /* 4 */
                             "    pass\n"                             /* 5 */
                             "except E as err:\n"                     /* 6 */
                             "    pass\n"                             /* 7 */
                             "if (w := calc()):\n"                    /* 8 */
                             "    pass\n"                             /* 9 */
                             "[k for k in z]\n");                     /* 10 */
  assert_int_equal(f->bindings.len, 7);
  EXPECT_BIND(&f->bindings.items[0], "i", -1, 0, HG_BIND_FOR, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[1], "j", -1, 0, HG_BIND_FOR, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[2], "fh", -1, 2, HG_BIND_WITH, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[3], "u", -1, 2, HG_BIND_WITH, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[4], "v", -1, 2, HG_BIND_WITH, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[5], "err", -1, 6, HG_BIND_EXCEPT, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[6], "w", -1, 8, HG_BIND_WALRUS, HG_VALUE_CALL, "calc", -1);
}

static void test_binding_of_except_star(void **state) {
  const HgFileFacts *f = RUN("try:\n"
                             "    pass\n"
                             "except* (A, B) as eg:\n"
                             "    pass\n");
  EXPECT_CLEAN(f, 4, 45);
  assert_int_equal(f->bindings.len, 1);
  EXPECT_BIND(&f->bindings.items[0], "eg", -1, 2, HG_BIND_EXCEPT, HG_VALUE_NONE, NULL, -1);
}

static void test_with_inside_except_is_a_with_binding(void **state) {
  const HgFileFacts *f = RUN("try:\n"
                             "    pass\n"
                             "except E:\n"
                             "    with f() as h:\n"
                             "        pass\n");
  assert_int_equal(f->bindings.len, 1);
  EXPECT_BIND(&f->bindings.items[0], "h", -1, 3, HG_BIND_WITH, HG_VALUE_NONE, NULL, -1);
}

static void test_bindings_of_global_and_nonlocal(void **state) {
  const HgFileFacts *f = RUN("def g():\n"             /* 0 */
                             "    global G, H\n"      /* 1 */
                             "    v = 1\n"            /* 2 */
                             "    def h():\n"         /* 3 */
                             "        nonlocal v\n"); /* 4 */
  assert_int_equal(f->bindings.len, 6);
  EXPECT_BIND(&f->bindings.items[0], "g", -1, 0, HG_BIND_DEF, HG_VALUE_NONE, NULL, 0);
  EXPECT_BIND(&f->bindings.items[1], "G", 0, 1, HG_BIND_GLOBAL, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[2], "H", 0, 1, HG_BIND_GLOBAL, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[3], "v", 0, 2, HG_BIND_ASSIGN, HG_VALUE_NONE, NULL, -1);
  EXPECT_BIND(&f->bindings.items[4], "h", 0, 3, HG_BIND_DEF, HG_VALUE_NONE, NULL, 1);
  EXPECT_BIND(&f->bindings.items[5], "v", 1, 4, HG_BIND_NONLOCAL, HG_VALUE_NONE, NULL, -1);
}

/* ---- __all__ ------------------------------------------------------------------------------- */

static void test_all_literal_list(void **state) {
  const HgFileFacts *f = RUN("__all__ = [\"a\", 'b']\n");
  assert_int_equal(f->all_state, 1);
  assert_int_equal(f->n_all, 2);
  assert_string_equal(f->all[0], "a");
  assert_string_equal(f->all[1], "b");
}

static void test_all_literal_tuple(void **state) {
  const HgFileFacts *f = RUN("__all__ = (\"a\",)\n");
  assert_int_equal(f->all_state, 1);
  assert_int_equal(f->n_all, 1);
  assert_string_equal(f->all[0], "a");
}

static void test_all_augmented(void **state) {
  const HgFileFacts *f = RUN("__all__ = [\"a\"]\n"
                             "__all__ += [\"b\", \"c\"]\n");
  assert_int_equal(f->all_state, 1);
  assert_int_equal(f->n_all, 3);
  assert_string_equal(f->all[0], "a");
  assert_string_equal(f->all[1], "b");
  assert_string_equal(f->all[2], "c");
}

static void test_all_not_literal(void **state) {
  const HgFileFacts *f = RUN("__all__ = [\"a\"] + other.__all__\n");
  assert_int_equal(f->all_state, 2);
  assert_int_equal(f->n_all, 0);
  assert_null(f->all);
}

static void test_all_made_not_literal_by_augmentation(void **state) {
  const HgFileFacts *f = RUN("__all__ = [\"a\"]\n"
                             "__all__ += helpers\n"
                             "__all__ += [\"z\"]\n");
  assert_int_equal(f->all_state, 2);
  assert_int_equal(f->n_all, 0);
  assert_null(f->all);
}

static void test_all_in_function_is_ignored(void **state) {
  const HgFileFacts *f = RUN("def f():\n"
                             "    __all__ = [\"no\"]\n");
  assert_int_equal(f->all_state, 0);
  assert_int_equal(f->n_all, 0);
}

/* ---- bad inputs ------------------------------------------------------------------------------ */

static void test_bom_counts_in_bytes_not_lines_or_columns(void **state) {
  const HgFileFacts *f = RUN("\xEF\xBB\xBF" /* BOM: bytes 0..3 */
                             "def f():\n"   /* 0: bytes 3..12 */
                             "    g()\n");  /* 1: bytes 12..20, g at 16 */
  EXPECT_CLEAN(f, 2, 20);
  assert_int_equal(f->defs.len, 1);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "f", "f", -1, HG_KIND_FUNCTION, HG_DEF_FORWARD, 0, 1, 0);
  assert_int_equal(d->byte_start, 3);
  assert_int_equal(d->decorator_byte, 3);
  assert_int_equal(d->body_byte_start, 16);
  assert_int_equal(d->byte_end, 19);
  assert_string_equal(d->signature, "def f():");
  EXPECT_CALL(&f->calls.items[0], 0, 1, 4, 16, HG_CALLEE_NAME, 0, "g", -1);
}

static void test_bom_on_first_line_column(void **state) {
  const HgFileFacts *f = RUN("\xEF\xBB\xBFg()\n");
  EXPECT_CLEAN(f, 1, 7);
  EXPECT_CALL(&f->calls.items[0], -1, 0, 0, 3, HG_CALLEE_NAME, 0, "g", -1);
}

static void test_crlf_line_ends(void **state) {
  const HgFileFacts *f = RUN("def f():\r\n"          /* 0: bytes 0..10 */
                             "    \"\"\"d\"\"\"\r\n" /* 1: bytes 10..23, literal 14..21 */
                             "    return 1\r\n"      /* 2: bytes 23..37, ends 35 */
                             "\r\n"                  /* 3: bytes 37..39 */
                             "x = g()\r\n");         /* 4: g at 43 */
  EXPECT_CLEAN(f, 5, 48);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "f", "f", -1, HG_KIND_FUNCTION, HG_DEF_HAS_DOC | HG_DEF_RETURNS, 0, 2, 0);
  assert_int_equal(d->byte_end, 35);
  assert_int_equal(d->doc_line_start, 1);
  assert_int_equal(d->doc_byte_start, 14);
  assert_int_equal(d->doc_byte_end, 21);
  assert_string_equal(d->docstring, "d");
  assert_string_equal(d->signature, "def f():");
  EXPECT_CALL(&f->calls.items[0], -1, 4, 4, 43, HG_CALLEE_NAME, 0, "g", -1);
}

static void test_lone_cr_ends_a_line(void **state) {
  const HgFileFacts *f = RUN("def f():\r"  /* 0: bytes 0..9 */
                             "    pass\r"  /* 1: bytes 9..18 */
                             "def g():\r"  /* 2: bytes 18..27 */
                             "    h()\r"); /* 3: bytes 27..35, h at 31 */
  EXPECT_CLEAN(f, 4, 35);
  assert_int_equal(f->defs.len, 2);
  EXPECT_DEF(&f->defs.items[0], "f", "f", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 0, 1, 0);
  EXPECT_DEF(&f->defs.items[1], "g", "g", -1, HG_KIND_FUNCTION, HG_DEF_FORWARD, 2, 3, 2);
  assert_int_equal(f->defs.items[1].byte_start, 18);
  EXPECT_CALL(&f->calls.items[0], 1, 3, 4, 31, HG_CALLEE_NAME, 0, "h", -1);
}

static void test_line_count_without_final_newline(void **state) {
  const HgFileFacts *f = RUN("a = 1\nb = 2");
  EXPECT_CLEAN(f, 2, 11);
  f = RUN("a = 1\rb = 2");
  EXPECT_CLEAN(f, 2, 11);
  f = RUN("a = 1\r\n\r\n");
  EXPECT_CLEAN(f, 2, 9);
}

static void test_tab_indentation(void **state) {
  const HgFileFacts *f = RUN("class C:\n"
                             "\tdef m(self):\n"
                             "\t\tpass\n");
  EXPECT_CLEAN(f, 3, 30);
  assert_int_equal(f->defs.len, 2);
  EXPECT_DEF(&f->defs.items[0], "C", "C", -1, HG_KIND_CLASS, 0, 0, 2, 0);
  EXPECT_DEF(&f->defs.items[1], "m", "C.m", 0, HG_KIND_FUNCTION, HG_DEF_METHOD | HG_DEF_TRIVIAL, 1, 2, 1);
  assert_int_equal(f->defs.items[1].body_byte_start, 25);
}

static void test_nul_byte_warns_and_parses_on(void **state) {
  const HgFileFacts *f = RUN("x = 1\n"        /* 0 */
                             "y = \"a\0b\"\n" /* 1: the NUL at column 6 */
                             "def f():\n"     /* 2 */
                             "    pass\n");   /* 3 */
  assert_int_equal(f->n_lines, 4);
  assert_int_equal(f->n_bytes, 34);
  assert_int_equal(f->has_error, 0);
  assert_int_equal(f->diags.len, 1);
  assert_int_equal(f->diags.items[0].line, 1);
  assert_int_equal(f->diags.items[0].col, 6);
  assert_int_equal(f->diags.items[0].severity, HG_SEV_WARNING);
  assert_non_null(strstr(f->diags.items[0].message, "NUL"));
  assert_int_equal(f->defs.len, 1);
  EXPECT_DEF(&f->defs.items[0], "f", "f", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 2, 3, 2);
}

static void test_nul_byte_column_does_not_count_bom(void **state) {
  const HgFileFacts *f = RUN("\xEF\xBB\xBF"
                             "x = \"\0\"\n"); /* the NUL at column 5, byte 8 */
  assert_int_equal(f->diags.len, 1);
  assert_int_equal(f->diags.items[0].line, 0);
  assert_int_equal(f->diags.items[0].col, 5);
}

static void test_invalid_utf8_is_repaired(void **state) {
  const HgFileFacts *f = RUN("def f():\n"                     /* 0 */
                             "    \"\"\"caf\xE9 \xFF\"\"\"\n" /* 1: first bad byte at column 10 */
                             "    g(\"\xC3\x28\")\n");        /* 2 */
  assert_int_equal(f->not_utf8, 1);
  assert_int_equal(f->has_error, 0);
  assert_int_equal(f->diags.len, 1);
  assert_int_equal(f->diags.items[0].line, 1);
  assert_int_equal(f->diags.items[0].col, 10);
  assert_int_equal(f->diags.items[0].severity, HG_SEV_WARNING);
  assert_int_equal(f->defs.len, 1);
  const HgDef *d = &f->defs.items[0];
  EXPECT_DEF(d, "f", "f", -1, HG_KIND_FUNCTION, HG_DEF_HAS_DOC | HG_DEF_FORWARD, 0, 2, 0);
  assert_string_equal(d->docstring, "caf\xEF\xBF\xBD \xEF\xBF\xBD");
  EXPECT_CALL(&f->calls.items[0], 0, 2, 4, 30, HG_CALLEE_NAME, 0, "g", -1);
}

static void test_invalid_utf8_after_lone_cr_reports_its_line(void **state) {
  const HgFileFacts *f = RUN("x = 1\r"
                             "y = '\x80'\r");
  assert_int_equal(f->n_lines, 2);
  assert_int_equal(f->not_utf8, 1);
  assert_int_equal(f->diags.len, 1);
  assert_int_equal(f->diags.items[0].line, 1);
  assert_int_equal(f->diags.items[0].col, 5);
}

static void test_truncated_text_stays_valid_utf8(void **state) {
  /* A decorator of more than 240 bytes is cut inside a 2-byte character:
   * "deco('x" is 7 bytes, 116 é fill 232 more, the 117th é is cut after
   * its first byte, which becomes U+FFFD. */
  char src[1024];
  size_t n = 0;
  memcpy(src, "@deco('x", 8);
  n = 8;
  for (int i = 0; i < 300; i++) src[n++] = '\xC3', src[n++] = '\xA9';
  memcpy(src + n, "')\ndef f():\n    pass\n", 21);
  n += 21;
  const HgFileFacts *f = run_n(state, src, n);
  EXPECT_CLEAN(f, 3, (uint32_t)n);
  const HgDef *d = &f->defs.items[0];
  assert_int_equal(d->n_decorators, 1);
  size_t len = strlen(d->decorators[0]);
  assert_int_equal(len, 239 + 3);
  assert_memory_equal(d->decorators[0], "deco('x\xC3\xA9", 9);
  assert_string_equal(d->decorators[0] + 239, "\xEF\xBF\xBD");
}

static void test_empty_file(void **state) {
  Fixture *fx = *state;
  hg_arena_reset(fx->arena);
  assert_int_equal(hg_analyzer_run(fx->an, "", 0, fx->arena, &fx->facts), HG_OK);
  const HgFileFacts *f = &fx->facts;
  EXPECT_CLEAN(f, 0, 0);
  assert_int_equal(f->defs.len, 0);
  assert_int_equal(f->imports.len, 0);
  assert_int_equal(f->calls.len, 0);
  assert_int_equal(f->bindings.len, 0);
  assert_int_equal(f->all_state, 0);
}

static void test_syntax_error_keeps_defs_before_it(void **state) {
  const HgFileFacts *f = RUN("def ok():\n"    /* 0 */
                             "    pass\n"     /* 1 */
                             "\n"             /* 2 */
                             "def bad(:\n"    /* 3: ast: line 4, offset 9 (1-indexed) */
                             "    pass\n"     /* 4 */
                             "\n"             /* 5 */
                             "def after():\n" /* 6 */
                             "    pass\n");   /* 7 */
  assert_int_equal(f->has_error, 1);
  assert_int_equal(f->n_lines, 8);
  assert_true(f->diags.len >= 1);
  assert_int_equal(f->diags.items[0].line, 3);
  assert_int_equal(f->diags.items[0].col, 8);
  assert_int_equal(f->diags.items[0].severity, HG_SEV_ERROR);
  assert_true(f->defs.len >= 1);
  EXPECT_DEF(&f->defs.items[0], "ok", "ok", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 0, 1, 0);
}

/* Lines are counted a word at a time: every position of a line end within a
 * word, next to bytes that differ from it in one bit (0x0b, 0x8a) or that
 * are CRs, in texts of every length up to 80, against a byte-by-byte count. */
static void test_line_count_at_every_offset(void **state) {
  static const char alphabet[] = {'\n', 'a', '\x8a', '\x0b', '\r', '\t', '\xff'};
  char text[80];
  uint32_t seed = 12345;
  for (size_t len = 0; len <= sizeof text; len++)
    for (int round = 0; round < 20; round++) {
      for (size_t i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        text[i] = alphabet[(seed >> 16) % sizeof alphabet];
      }
      uint32_t want = 0;
      for (size_t i = 0; i < len; i++)
        want += text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
      want += len && text[len - 1] != '\n' && text[len - 1] != '\r';
      const HgFileFacts *f = run_n(state, text, len);
      assert_int_equal(f->n_lines, want);
    }
}

/* Found by tests/fuzz/fuzz_analyzer (tests/fuzz/corpus_analyzer/
 * regress_child_ends_after_parent.py): in this error recovery the nested
 * `a` ended two lines after its parent `b`.  Parents now stretch to hold
 * their children (check_invariants checks it for every test). */
static void test_error_recovery_child_never_ends_after_parent(void **state) {
  static const char src[] = "\xef\xbb\xbf"
                            "def a():\r\n"
                            "    \"\"\"d\xe9j\xe0\"\"\"\r\n"
                            "    return \"caf\xe9\"\rdef b():\r    \xbf"
                            "def a():\r\n"
                            "   \x00\x00"
                            "a\x90\x00\x00g\xef\"\"\"\r\n"
                            "as (p, q):\n"
                            "    pass\n"
                            "for i, j\x00\x00"
                            "a\x90\x00\x00g\xef in enumerate(items):\n"
                            "    obj.attr[0].method()(1)\n"
                            "match command:\n"
                            "    case [x, *rest]:\n"
                            "        pass\n"
                            "    case {ef b():\r    \xbf"
                            "def a():\r\n"
                            "   \"\"\" d\xe9j\xe0\"\"\"\r\n"
                            "    return \"caf\xe9\"\rdef b():\r    pass\r\n"
                            "=pass\r\n"
                            "\x00x = 0\n";
  const HgFileFacts *f = RUN(src);
  assert_true(f->has_error);
  int nested = 0;
  for (uint32_t i = 0; i < f->defs.len; i++) nested += f->defs.items[i].parent >= 0;
  assert_true(nested > 0);
}

static void test_unclosed_bracket_at_end(void **state) {
  const HgFileFacts *f = RUN("def ok():\n"
                             "    pass\n"
                             "x = (\n");
  assert_int_equal(f->has_error, 1);
  assert_true(f->diags.len >= 1);
  assert_int_equal(f->diags.items[0].severity, HG_SEV_ERROR);
  assert_true(f->defs.len >= 1);
  EXPECT_DEF(&f->defs.items[0], "ok", "ok", -1, HG_KIND_FUNCTION, HG_DEF_TRIVIAL, 0, 1, 0);
}

enum { DEEP = 10000 };

static void test_deep_bracket_nesting(void **state) {
  size_t n = 4 + DEEP + 1 + DEEP + 1;
  char *src = malloc(n);
  assert_non_null(src);
  memcpy(src, "x = ", 4);
  memset(src + 4, '(', DEEP);
  src[4 + DEEP] = '1';
  memset(src + 5 + DEEP, ')', DEEP);
  src[n - 1] = '\n';
  const HgFileFacts *f = run_n(state, src, n);
  assert_int_equal(f->n_lines, 1);
  assert_int_equal(f->n_bytes, n);
  assert_int_equal(f->bindings.len, 1);
  assert_string_equal(f->bindings.items[0].target, "x");
  free(src);
}

static void test_deep_unclosed_brackets(void **state) {
  size_t n = DEEP + 1;
  char *src = malloc(n);
  assert_non_null(src);
  memset(src, '[', DEEP);
  src[DEEP] = '\n';
  const HgFileFacts *f = run_n(state, src, n);
  assert_int_equal(f->has_error, 1);
  assert_int_equal(f->n_lines, 1);
  free(src);
}

/* The file is refused (HG_ERR_INPUT) with `why` as its last diagnostic. */
static void expect_refused(void **state, const char *src, size_t len, const char *why) {
  Fixture *fx = *state;
  hg_arena_reset(fx->arena);
  assert_int_equal(hg_analyzer_run(fx->an, src, len, fx->arena, &fx->facts), HG_ERR_INPUT);
  const HgFileFacts *f = &fx->facts;
  assert_true(f->diags.len >= 1);
  assert_string_equal(f->diags.items[f->diags.len - 1].message, why);
  assert_int_equal(f->diags.items[f->diags.len - 1].severity, HG_SEV_ERROR);
}

/* before(): pass, then `x = `, `head` n times, then after(): pass */
static char *piled(const char *head, size_t n, size_t *len) {
  size_t hl = strlen(head), cap = 64 + hl * n + 64;
  char *src = malloc(cap);
  assert_non_null(src);
  size_t k = (size_t)snprintf(src, cap, "def before():\n    pass\n\nx = ");
  for (size_t i = 0; i < n; i++, k += hl) memcpy(src + k, head, hl);
  k += (size_t)snprintf(src + k, cap - k, "\n\ndef after():\n    pass\n");
  *len = k;
  return src;
}

/* Tree-sitter 0.20.7 counts a node's children in 16 bits: a file that ends
 * with 65,529 brackets open leaves a root of 65,536 children, whose free
 * crashed hgym (the region allocator wrote through a pointer into the
 * middle of the children array).  Past HG_MAX_NESTING the pre-scan refuses
 * the file unparsed; at the limit it is parsed. */
static void test_nesting_past_the_limit_is_refused_unparsed(void **state) {
  assert_int_equal(HG_MAX_NESTING, 16384);
  static const char *const heads[] = {"(", "[", "{", "f(", "[1, ", "f(a, "};
  for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
    size_t len;
    char *src = piled(heads[h], 65529, &len);
    expect_refused(state, src, len, "brackets nested more than 16384 deep (Python allows 200): not indexed");
    free(src);
  }
  size_t len;
  char *src = piled("(", HG_MAX_NESTING - 1, &len); /* and after()'s: at the limit */
  const HgFileFacts *f = run_n(state, src, len);
  assert_int_equal(f->has_error, 1);
  free(src);
  /* brackets in strings and comments do not count */
  static char text[40000];
  size_t n = (size_t)snprintf(text, sizeof text, "s = \"\"\"");
  memset(text + n, '(', 30000);
  n += 30000;
  n += (size_t)snprintf(text + n, sizeof text - n, "\"\"\"\n# [[[[[[\ndef f():\n    pass\n");
  f = run_n(state, text, n);
  assert_int_equal(f->defs.len, 1);
}

/* What the pre-scan cannot see still never crashes: 70,000 `*`, or 70,000
 * `(` inside an f-string field, leave a root of more than 65,535 children
 * too; the tree is refused (the allocator ignores and counts the frees of
 * pointers it never handed out, and a root that does not reach the last
 * token is not whole). */
static void test_a_tree_tree_sitter_cannot_hold_is_refused(void **state) {
  for (int h = 0; h < 2; h++) {
    size_t len;
    char *src = piled(h ? "(" : "*", 70000, &len);
    if (h) memcpy(src + 27, "f\"{", 3); /* `x = ` ends at byte 27: the first brackets become f"{ */
    expect_refused(state, src, len,
                   "tree-sitter could not build the tree whole (a node of 65,536 or more children): not indexed");
    free(src);
  }
  const HgFileFacts *f = RUN("def ok():\n    pass\n"); /* the analyzer is sound after it */
  assert_int_equal(f->defs.len, 1);
}

/* A parse past the budget is stopped and the file refused. */
static void test_parse_budget(void **state) {
  Fixture *fx = *state;
  size_t n = 300 * 1024;
  char *src = malloc(n);
  assert_non_null(src);
  /* random printable text, Python's string.printable (line ends included):
   * error recovery takes seconds over it */
  static const char printable[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c";
  uint32_t x = 12345;
  for (size_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    src[i] = printable[(x >> 16) % (sizeof printable - 1)];
  }
  hg_analyzer_set_parse_budget(fx->an, 20000); /* 20 ms */
  expect_refused(state, src, n, "parsing ran past its budget of 0.02 s (--parse-timeout): not indexed");
  hg_analyzer_set_parse_budget(fx->an, 0);
  free(src);
  const HgFileFacts *f = RUN("def ok():\n    pass\n");
  assert_int_equal(f->defs.len, 1);
}

/* DEEP nested blocks, level i indented by i spaces: about 50 MB. */
static char *deep_blocks(const char *stmt, size_t *len) {
  size_t cap = (size_t)DEEP * (DEEP + 1) / 2 + (size_t)DEEP * 16 + DEEP + 8, n = 0;
  char *src = malloc(cap);
  assert_non_null(src);
  for (int i = 0; i < DEEP; i++) {
    memset(src + n, ' ', (size_t)i);
    n += (size_t)i;
    n += (size_t)snprintf(src + n, cap - n, stmt, i);
  }
  memset(src + n, ' ', DEEP);
  n += DEEP;
  memcpy(src + n, "pass\n", 5);
  *len = n + 5;
  return src;
}

static void test_deep_block_nesting(void **state) {
  size_t n;
  char *src = deep_blocks("if x%d:\n", &n);
  const HgFileFacts *f = run_n(state, src, n);
  assert_int_equal(f->n_lines, DEEP + 1);
  assert_int_equal(f->n_bytes, n);
  free(src);
}

static void test_deep_def_nesting(void **state) {
  size_t n;
  char *src = deep_blocks("def f%d():\n", &n);
  const HgFileFacts *f = run_n(state, src, n);
  assert_int_equal(f->n_lines, DEEP + 1);
  /* Whatever the parser recovers, nesting is parent-linked and qualnames
   * follow the chain (check_invariants checked parent < self). */
  for (uint32_t i = 0; i < f->defs.len; i++) {
    const HgDef *d = &f->defs.items[i];
    if (d->parent < 0) continue;
    const char *pq = f->defs.items[d->parent].qualname;
    size_t pl = strlen(pq);
    char want[64];
    snprintf(want, sizeof want, ".<locals>.%s", d->name);
    assert_memory_equal(d->qualname, pq, pl);
    assert_string_equal(d->qualname + pl, want);
  }
  free(src);
}

static void test_very_long_lines(void **state) {
  enum { NARGS = 200000, NSTR = 1000000 };
  size_t cap = 16 + (size_t)NARGS * 3 + 64 + NSTR, n = 0;
  char *src = malloc(cap);
  assert_non_null(src);
  memcpy(src, "x = f(", 6);
  n = 6;
  for (int i = 0; i < NARGS; i++) {
    if (i) src[n++] = ',', src[n++] = ' ';
    src[n++] = 'a';
  }
  n += (size_t)snprintf(src + n, cap - n, ")\ndef g():\n    return \"");
  memset(src + n, 'y', NSTR);
  n += NSTR;
  memcpy(src + n, "\"\n", 2);
  n += 2;
  const HgFileFacts *f = run_n(state, src, n);
  EXPECT_CLEAN(f, 3, (uint32_t)n);
  assert_int_equal(f->calls.len, 1);
  EXPECT_CALL(&f->calls.items[0], -1, 0, 4, 4, HG_CALLEE_NAME, 0, "f", -1);
  assert_int_equal(f->defs.len, 1);
  EXPECT_DEF(&f->defs.items[0], "g", "g", -1, HG_KIND_FUNCTION, HG_DEF_RETURNS, 1, 2, 1);
  free(src);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_module_function_every_field),
      cmocka_unit_test(test_body_facts_with_and_without_an_error),
      cmocka_unit_test(test_class_bases_and_metaclass),
      cmocka_unit_test(test_class_with_empty_parens_has_no_bases),
      cmocka_unit_test(test_async_function),
      cmocka_unit_test(test_method_flags),
      cmocka_unit_test(test_nested_function_qualname),
      cmocka_unit_test(test_class_in_function_qualname),
      cmocka_unit_test(test_nested_class_qualname),
      cmocka_unit_test(test_defs_in_compound_statements_at_module_level),
      cmocka_unit_test(test_defs_in_compound_statements_in_class_body),
      cmocka_unit_test(test_decorators_text_line_and_calls),
      cmocka_unit_test(test_decorated_class_and_comment_between_decorators),
      cmocka_unit_test(test_line_end_excludes_trailing_comments),
      cmocka_unit_test(test_one_line_bodies),
      cmocka_unit_test(test_body_shape_flags),
      cmocka_unit_test(test_docstring_multiline),
      cmocka_unit_test(test_docstring_single_quoted_class),
      cmocka_unit_test(test_docstring_after_comment),
      cmocka_unit_test(test_docstring_raw_keeps_backslashes),
      cmocka_unit_test(test_docstring_concatenated_plain_strings),
      cmocka_unit_test(test_fstring_is_not_a_docstring),
      cmocka_unit_test(test_bytes_is_not_a_docstring),
      cmocka_unit_test(test_concatenation_with_fstring_is_not_a_docstring),
      cmocka_unit_test(test_string_after_first_statement_is_not_a_docstring),
      cmocka_unit_test(test_signature_end_after_every_header_part),
      cmocka_unit_test(test_signature_keeps_comments_and_newlines),
      cmocka_unit_test(test_parameters_of_every_kind),
      cmocka_unit_test(test_bare_star_and_typed_splats),
      cmocka_unit_test(test_import_dotted_binds_top_package),
      cmocka_unit_test(test_import_as_and_several_names),
      cmocka_unit_test(test_from_relative_import_as),
      cmocka_unit_test(test_from_parent_package_import),
      cmocka_unit_test(test_from_import_parenthesized_over_lines),
      cmocka_unit_test(test_star_import_binds_nothing),
      cmocka_unit_test(test_future_import),
      cmocka_unit_test(test_imports_inside_functions_are_owned),
      cmocka_unit_test(test_imports_in_try_and_except),
      cmocka_unit_test(test_imports_under_type_checking),
      cmocka_unit_test(test_call_name_and_attribute_chain),
      cmocka_unit_test(test_call_self_in_method),
      cmocka_unit_test(test_call_self_in_closure_of_method),
      cmocka_unit_test(test_call_self_not_in_staticmethod_or_function),
      cmocka_unit_test(test_call_on_super),
      cmocka_unit_test(test_call_on_call_result),
      cmocka_unit_test(test_call_on_subscript),
      cmocka_unit_test(test_call_other_shapes),
      cmocka_unit_test(test_call_raised_but_not_its_cause),
      cmocka_unit_test(test_calls_in_lambda_and_comprehension_belong_to_def),
      cmocka_unit_test(test_calls_and_walrus_deep_inside_expressions),
      cmocka_unit_test(test_calls_and_walrus_inside_lists_and_statements),
      cmocka_unit_test(test_calls_in_headers),
      cmocka_unit_test(test_calls_in_method_defaults_are_header_not_self),
      cmocka_unit_test(test_bindings_of_assignments),
      cmocka_unit_test(test_binding_of_literal_has_no_value),
      cmocka_unit_test(test_bindings_of_self_attributes),
      cmocka_unit_test(test_bindings_of_for_with_except_walrus),
      cmocka_unit_test(test_binding_of_except_star),
      cmocka_unit_test(test_with_inside_except_is_a_with_binding),
      cmocka_unit_test(test_bindings_of_global_and_nonlocal),
      cmocka_unit_test(test_all_literal_list),
      cmocka_unit_test(test_all_literal_tuple),
      cmocka_unit_test(test_all_augmented),
      cmocka_unit_test(test_all_not_literal),
      cmocka_unit_test(test_all_made_not_literal_by_augmentation),
      cmocka_unit_test(test_all_in_function_is_ignored),
      cmocka_unit_test(test_bom_counts_in_bytes_not_lines_or_columns),
      cmocka_unit_test(test_bom_on_first_line_column),
      cmocka_unit_test(test_crlf_line_ends),
      cmocka_unit_test(test_lone_cr_ends_a_line),
      cmocka_unit_test(test_line_count_without_final_newline),
      cmocka_unit_test(test_tab_indentation),
      cmocka_unit_test(test_nul_byte_warns_and_parses_on),
      cmocka_unit_test(test_nul_byte_column_does_not_count_bom),
      cmocka_unit_test(test_invalid_utf8_is_repaired),
      cmocka_unit_test(test_invalid_utf8_after_lone_cr_reports_its_line),
      cmocka_unit_test(test_truncated_text_stays_valid_utf8),
      cmocka_unit_test(test_empty_file),
      cmocka_unit_test(test_syntax_error_keeps_defs_before_it),
      cmocka_unit_test(test_line_count_at_every_offset),
      cmocka_unit_test(test_unclosed_bracket_at_end),
      cmocka_unit_test(test_error_recovery_child_never_ends_after_parent),
      cmocka_unit_test(test_deep_bracket_nesting),
      cmocka_unit_test(test_deep_unclosed_brackets),
      cmocka_unit_test(test_deep_block_nesting),
      cmocka_unit_test(test_deep_def_nesting),
      cmocka_unit_test(test_very_long_lines),
      cmocka_unit_test(test_nesting_past_the_limit_is_refused_unparsed),
      cmocka_unit_test(test_a_tree_tree_sitter_cannot_hold_is_refused),
      cmocka_unit_test(test_parse_budget),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * test_refs.c: the reference table of store/refs.h against a real merge.
 *
 * Three small repositories, each different (so a reference left unrebased
 * points at a record of another repository, with other names), are indexed
 * from files this test writes, each into its own index, and then merged.
 * For every record of every section of every input, the merged index holds
 * it at its position plus what the inputs before held (checked here from
 * the counts, not from the table), and for every reference field the table
 * lists, the merged reference points where the unmerged one did: to the same
 * string by content, to a record that is the same one (same bytes outside
 * its references, same strings), to a range of the same length whose first
 * and last records are the same ones.  The bytes outside the references are
 * compared as well, so a reference the table forgot would show as a value
 * copied unchanged that the comparison of its target catches only if listed:
 * test_every_u32_field_is_listed_or_plain lists the plain fields by hand.
 */
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

#include "index/indexer.h"
#include "store/builder.h"
#include "store/merge.h"
#include "store/reader.h"
#include "store/refs.h"

enum { N_REPOS = 3 };

/* Each repository: files as (path, source) pairs, NULL-terminated. */
static const char *const REPO_FILES[N_REPOS][12] = {
    {"pkg/__init__.py", "from .core import Engine as Motor\nfrom .util import *\n__all__ = ['Motor', 'helper']\n",
     "pkg/core.py",
     "import os\nfrom . import util\n\n@util.register(1)\nclass Engine(util.Base, metaclass=util.Meta):\n"
     "    def __init__(self, n: int = 2, *a, **k):\n        self.n = util.helper(n)\n"
     "    def run(self):\n        self.step().go()\n        super().run()\n        return os.path.join('a')\n"
     "    def step(self):\n        def inner():\n            return Engine()\n        return inner()\n",
     "pkg/util.py",
     "class Meta(type):\n    pass\n\nclass Base:\n    def run(self):\n        raise ValueError(1)\n\n"
     "def register(n):\n    return lambda c: c\n\ndef helper(x):\n    \"\"\"Help.\"\"\"\n    return x\n",
     "broken.py", "def ok():\n    pass\n\ndef bad(:\n    pass\n", NULL},
    {"app/main.py",
     "from app import models\nimport json\n\ndef start():\n    m = models.Model()\n    m.save()\n"
     "    return json.dumps(models.make())\n",
     "app/__init__.py", "", "app/models.py",
     "class Model:\n    def save(self):\n        return self.check()\n    def check(self):\n        return True\n\n"
     "def make():\n    return Model()\n",
     NULL},
    {"tool.py",
     "import sys\nimport lib.deep.mod as dm\n\nclass Tool(dm.Thing):\n    def __init__(self):\n"
     "        super().__init__()\n\ndef main(argv=sys.argv):\n    t = Tool()\n    return dm.work(t)\n",
     "lib/deep/mod.py", "class Thing:\n    def __init__(self):\n        self.x = 1\n\ndef work(t):\n    return t.x\n",
     NULL},
};
static const char *const REPO_NAMES[N_REPOS] = {"o/pkg", "o/app", "o/tool"};

typedef struct {
  char dir[64];
  char paths[N_REPOS + 1][128]; /* the inputs, then the merge */
  HgIndex *ix[N_REPOS + 1];
} Fx;

static void write_file(const char *root, const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
    *p = 0;
    mkdir(path, 0755);
    *p = '/';
  }
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static int setup(void **state) {
  Fx *fx = calloc(1, sizeof *fx);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/hgym-test-refs-XXXXXX");
  assert_non_null(mkdtemp(fx->dir));
  char err[512];
  for (int r = 0; r < N_REPOS; r++) {
    char root[128];
    snprintf(root, sizeof root, "%s/r%d", fx->dir, r);
    mkdir(root, 0755);
    for (int k = 0; REPO_FILES[r][k]; k += 2) write_file(root, REPO_FILES[r][k], REPO_FILES[r][k + 1]);
    HgBuilder *b = hg_builder_new();
    HgIndexOptions opt;
    hg_index_options_default(&opt);
    HgRepoStats st;
    assert_int_equal(hg_index_repository(b, &opt, root, REPO_NAMES[r], "", &st, err, sizeof err), HG_OK);
    snprintf(fx->paths[r], sizeof fx->paths[r], "%s/r%d.idx", fx->dir, r);
    assert_int_equal(hg_builder_write(b, fx->paths[r], HG_WRITE_ATOMIC, err, sizeof err), HG_OK);
    hg_builder_delete(b);
  }
  snprintf(fx->paths[N_REPOS], sizeof fx->paths[N_REPOS], "%s/merged.idx", fx->dir);
  char *inputs[N_REPOS];
  for (int r = 0; r < N_REPOS; r++) inputs[r] = fx->paths[r];
  assert_int_equal(hg_merge_indexes(inputs, N_REPOS, fx->paths[N_REPOS], err, sizeof err), HG_OK);
  for (int r = 0; r <= N_REPOS; r++) assert_int_equal(hg_index_open(fx->paths[r], &fx->ix[r], err, sizeof err), HG_OK);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  Fx *fx = *state;
  for (int r = 0; r <= N_REPOS; r++) {
    hg_index_close(fx->ix[r]);
    unlink(fx->paths[r]);
  }
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
  assert_int_equal(system(cmd), 0);
  free(fx);
  return 0;
}

static const uint8_t *rec_at(const HgIndex *ix, int sec, uint64_t i) {
  const uint8_t *base = hg_index_section(ix, (HgSectionKind)sec);
  assert_non_null(base);
  assert_true(i < hg_index_count(ix, (HgSectionKind)sec));
  return base + i * hg_format_record_size[sec];
}

static uint32_t u32_at(const uint8_t *rec, uint16_t off) {
  uint32_t v;
  memcpy(&v, rec + off, sizeof v);
  return v;
}

/* Which bytes of a record of sec are reference fields. */
static void ref_mask(int sec, uint8_t *mask) {
  memset(mask, 0, hg_format_record_size[sec]);
  for (uint32_t k = 0; k < hg_ref_field_count; k++)
    if (hg_ref_fields[k].sec == sec) memset(mask + hg_ref_fields[k].offset, 1, 4);
}

static int same_string(const HgIndex *a, uint32_t ia, const HgIndex *b, uint32_t ib) {
  if (ia == HG_NOSTR || ib == HG_NOSTR) return ia == ib;
  return strcmp(hg_index_str(a, ia), hg_index_str(b, ib)) == 0;
}

/* Record ia of sec in a and record ib of sec in b are the same record: the
 * same bytes outside their references, the same strings. */
static int same_record(const HgIndex *a, int sec, uint32_t ia, const HgIndex *b, uint32_t ib) {
  if (sec == HG_SEC_STRINGS) return same_string(a, ia, b, ib);
  if (ia >= hg_index_count(a, (HgSectionKind)sec) || ib >= hg_index_count(b, (HgSectionKind)sec)) return 0;
  const uint8_t *ra = rec_at(a, sec, ia), *rb = rec_at(b, sec, ib);
  uint8_t mask[256];
  ref_mask(sec, mask);
  for (uint32_t k = 0; k < hg_format_record_size[sec]; k++)
    if (!mask[k] && ra[k] != rb[k]) return 0;
  for (uint32_t k = 0; k < hg_ref_field_count; k++) {
    const HgRefField *f = &hg_ref_fields[k];
    if (f->sec != sec || hg_ref_target(f, ra) != HG_SEC_STRINGS) continue;
    if (!same_string(a, u32_at(ra, f->offset), b, u32_at(rb, f->offset))) return 0;
  }
  return 1;
}

/* Every reference of every record of every input points, in the merge, where
 * it pointed in the input. */
static void test_every_reference_points_where_it_did_before_the_merge(void **state) {
  Fx *fx = *state;
  const HgIndex *m = fx->ix[N_REPOS];
  uint64_t base[HG_SEC_COUNT_] = {0};
  uint32_t checked[HG_SEC_COUNT_] = {0};
  for (int r = 0; r < N_REPOS; r++) {
    const HgIndex *u = fx->ix[r];
    for (int sec = HG_SEC_REPOS; sec < HG_SEC_COUNT_; sec++) {
      if (sec == HG_SEC_BLOCKCRCS) continue;
      uint8_t mask[256];
      ref_mask(sec, mask);
      for (uint64_t i = 0; i < hg_index_count(u, (HgSectionKind)sec); i++) {
        const uint8_t *ru = rec_at(u, sec, i), *rm = rec_at(m, sec, i + base[sec]);
        for (uint32_t k = 0; k < hg_format_record_size[sec]; k++)
          if (!mask[k] && ru[k] != rm[k])
            fail_msg("section %d record %llu: byte %u differs", sec, (unsigned long long)i, k);
        for (uint32_t k = 0; k < hg_ref_field_count; k++) {
          const HgRefField *f = &hg_ref_fields[k];
          if (f->sec != sec) continue;
          int t = hg_ref_target(f, ru);
          assert_int_equal(t, hg_ref_target(f, rm));
          uint32_t vu = u32_at(ru, f->offset), vm = u32_at(rm, f->offset);
          int ok = 1;
          if (!t) {
            ok = vu == vm;
          } else if (f->form == HG_RF_INDEX) {
            ok = (vu == 0xFFFFFFFFu && vm == vu) || (vu != 0xFFFFFFFFu && same_record(u, t, vu, m, vm));
          } else if (f->form == HG_RF_RANGE) {
            uint32_t n = u32_at(ru, f->offset + 4);
            ok = n == u32_at(rm, f->offset + 4) &&
                 (!n || (same_record(u, t, vu, m, vm) && same_record(u, t, vu + n - 1, m, vm + n - 1)));
          } else { /* END: one past the last of a run that is not empty */
            ok = vu > 0 && vm > 0 && same_record(u, t, vu - 1, m, vm - 1);
          }
          if (!ok)
            fail_msg("%s of record %llu of input %d points elsewhere after the merge", f->name, (unsigned long long)i,
                     r);
          checked[sec]++;
        }
      }
    }
    for (int sec = 1; sec < HG_SEC_COUNT_; sec++) base[sec] += hg_index_count(u, (HgSectionKind)sec);
  }
  /* the inputs are all there, and nothing more */
  for (int sec = HG_SEC_REPOS; sec < HG_SEC_COUNT_; sec++)
    if (sec != HG_SEC_BLOCKCRCS) assert_int_equal(base[sec], hg_index_count(m, (HgSectionKind)sec));
  /* the fixtures exercise every section that holds references, and the
   * selector fields in each of their branches (below) */
  for (int sec = HG_SEC_REPOS; sec < HG_SEC_COUNT_; sec++)
    if (sec != HG_SEC_BLOCKCRCS && sec != HG_SEC_STRINGS) assert_true(checked[sec] > 0);
}

/* The fixtures reach every branch of the selectors, so the test above
 * checked each kind of target. */
static void test_fixtures_reach_every_selector_branch(void **state) {
  Fx *fx = *state;
  const HgIndex *m = fx->ix[N_REPOS];
  int import_def = 0, import_module = 0, import_ext = 0, import_none = 0, call_self = 0, call_recv = 0, bind_import = 0,
      bind_def = 0, edge_repo = 0, edge_ext = 0;
  for (uint32_t i = 0; i < hg_index_count(m, HG_SEC_IMPORTS); i++) {
    const HgImportRec *im = hg_index_import(m, i);
    import_def |= im->res_kind == HG_REF_DEF;
    import_module |= im->res_kind == HG_REF_MODULE;
    import_ext |= im->res_kind == HG_REF_EXTERNAL;
    import_none |= im->res_kind == HG_REF_NONE;
  }
  for (uint32_t i = 0; i < hg_index_count(m, HG_SEC_CALLS); i++) {
    const HgCallRec *c = hg_index_call(m, i);
    call_self |= c->shape == HG_CALLEE_SELF && c->recv_call >= 0;
    call_recv |= c->shape == HG_CALLEE_CALL && c->recv_call >= 0;
  }
  for (uint32_t i = 0; i < hg_index_count(m, HG_SEC_BINDS); i++) {
    const HgBindRec *b = hg_index_bind(m, i);
    bind_import |= b->kind == HG_BIND_IMPORT && b->ref >= 0;
    bind_def |= (b->kind == HG_BIND_DEF || b->kind == HG_BIND_CLASS) && b->ref >= 0;
  }
  for (uint32_t i = 0; i < hg_index_count(m, HG_SEC_EDGES); i++) {
    edge_repo |= hg_index_edge(m, i)->origin == HG_ORIGIN_REPO;
    edge_ext |= hg_index_edge(m, i)->origin != HG_ORIGIN_REPO;
  }
  assert_true(import_def && import_module && import_ext);
  (void)import_none;
  assert_true(call_self && call_recv && bind_import && bind_def && edge_repo && edge_ext);
}

/* Every u32-sized field of every record is either listed in the table or
 * named here as plain data: a reference field added to a record and to
 * neither list fails this test, so it cannot be forgotten. */
static void test_every_u32_field_is_listed_or_plain(void **state) {
  (void)state;
#define PLAIN(T, field)                                                                                                \
  { HG_SEC_##T, (uint16_t)offsetof(T##_REC, field) }
#define REPOS_REC   HgRepoRec
#define FILES_REC   HgFileRec
#define DEFS_REC    HgDefRec
#define PARAMS_REC  HgParamRec
#define IMPORTS_REC HgImportRec
#define CALLS_REC   HgCallRec
#define BINDS_REC   HgBindRec
#define DIAGS_REC   HgDiagRec
#define EDGES_REC   HgEdgeRec
  static const struct {
    uint8_t sec;
    uint16_t off;
  } plain[] = {
      PLAIN(REPOS, reserved),
      {HG_SEC_REPOS, offsetof(HgRepoRec, files) + 4},
      {HG_SEC_REPOS, offsetof(HgRepoRec, defs) + 4},
      {HG_SEC_REPOS, offsetof(HgRepoRec, imports) + 4},
      {HG_SEC_REPOS, offsetof(HgRepoRec, calls) + 4},
      {HG_SEC_REPOS, offsetof(HgRepoRec, binds) + 4},
      {HG_SEC_REPOS, offsetof(HgRepoRec, diags) + 4},
      {HG_SEC_REPOS, offsetof(HgRepoRec, edges) + 4},
      PLAIN(REPOS, n_bytes),
      {HG_SEC_REPOS, offsetof(HgRepoRec, n_bytes) + 4},
      PLAIN(REPOS, n_lines),
      PLAIN(REPOS, n_skipped),
      PLAIN(FILES, flags),
      {HG_SEC_FILES, offsetof(HgFileRec, defs) + 4},
      {HG_SEC_FILES, offsetof(HgFileRec, imports) + 4},
      {HG_SEC_FILES, offsetof(HgFileRec, calls) + 4},
      {HG_SEC_FILES, offsetof(HgFileRec, binds) + 4},
      {HG_SEC_FILES, offsetof(HgFileRec, diags) + 4},
      {HG_SEC_FILES, offsetof(HgFileRec, all) + 4},
      {HG_SEC_FILES, offsetof(HgFileRec, module_edges) + 4},
      PLAIN(FILES, all_state),
      PLAIN(FILES, n_lines),
      PLAIN(FILES, n_bytes),
      PLAIN(FILES, content_crc),
      PLAIN(DEFS, kind),
      PLAIN(DEFS, flags),
      PLAIN(DEFS, line_start),
      PLAIN(DEFS, line_end),
      PLAIN(DEFS, decorator_line),
      PLAIN(DEFS, byte_start),
      PLAIN(DEFS, byte_end),
      PLAIN(DEFS, decorator_byte),
      PLAIN(DEFS, body_line_start),
      PLAIN(DEFS, body_line_end),
      PLAIN(DEFS, body_byte_start),
      PLAIN(DEFS, doc_line_start),
      PLAIN(DEFS, doc_line_end),
      PLAIN(DEFS, doc_byte_start),
      PLAIN(DEFS, doc_byte_end),
      PLAIN(DEFS, n_body_stmts),
      {HG_SEC_DEFS, offsetof(HgDefRec, decorators) + 4},
      {HG_SEC_DEFS, offsetof(HgDefRec, params) + 4},
      {HG_SEC_DEFS, offsetof(HgDefRec, bases) + 4},
      {HG_SEC_DEFS, offsetof(HgDefRec, edges) + 4},
      {HG_SEC_DEFS, offsetof(HgDefRec, callers) + 4},
      PLAIN(PARAMS, kind),
      PLAIN(IMPORTS, line),
      PLAIN(IMPORTS, col),
      PLAIN(IMPORTS, level), /* level and flags: two u16 */
      PLAIN(IMPORTS, res_kind),
      PLAIN(IMPORTS, res_class),
      PLAIN(CALLS, line),
      PLAIN(CALLS, col),
      PLAIN(CALLS, byte),
      PLAIN(CALLS, shape), /* shape, flags, pad[2] */
      PLAIN(BINDS, line),
      PLAIN(BINDS, kind), /* kind, value_kind, pad[2] */
      PLAIN(DIAGS, line),
      PLAIN(DIAGS, col),
      PLAIN(DIAGS, severity),
      PLAIN(EDGES, origin), /* origin, flags, pad[2] */
  };
  for (int sec = HG_SEC_REPOS; sec < HG_SEC_COUNT_; sec++) {
    if (sec == HG_SEC_BLOCKCRCS) continue;
    for (uint32_t off = 0; off < hg_format_record_size[sec]; off += 4) {
      int n = 0;
      for (uint32_t k = 0; k < hg_ref_field_count; k++)
        n += hg_ref_fields[k].sec == sec && hg_ref_fields[k].offset == off;
      for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++) n += plain[k].sec == sec && plain[k].off == off;
      if (sec == HG_SEC_STRINGS) n = 1;
      if (n != 1) fail_msg("section %d: the 4 bytes at %u are %s", sec, off, n ? "listed twice" : "in neither list");
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_reference_points_where_it_did_before_the_merge),
      cmocka_unit_test(test_fixtures_reach_every_selector_branch),
      cmocka_unit_test(test_every_u32_field_is_listed_or_plain),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

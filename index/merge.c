#include "index/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/facts.h"
#include "index/builder_p.h"

int hg_builder_has_repo(HgBuilder *b, const char *name) {
  uint32_t n = HG_NREC(b, HG_SEC_REPOS);
  for (uint32_t i = 0; i < n; i++)
    if (strcmp(HG_BSTR(b, HG_AT(b, HG_SEC_REPOS, HgRepoRec, i)->name), name) == 0) return 1;
  return 0;
}

/* Offsets to add to each table's indices. */
typedef struct {
  uint32_t files, defs, params, imports, calls, binds, diags, strids, edges, callers;
  uint32_t *str;    /* ix string id -> builder string id (sparse: filled on demand) */
  const HgIndex *ix;
  HgBuilder *b;
} Remap;

static uint32_t re_str(Remap *m, uint32_t id) {
  if (id == HG_NOSTR) return HG_NOSTR;
  if (id == 0) return 0;
  uint64_t n = hg_index_count(m->ix, HG_SEC_STRINGS);
  if (id >= n) return 0;
  if (!m->str[id]) m->str[id] = hg_builder_str(m->b, hg_index_str(m->ix, id)) + 1;
  return m->str[id] - 1;
}

static int32_t re_idx(int32_t i, uint32_t base) { return i < 0 ? -1 : (int32_t)((uint32_t)i + base); }
static HgRange re_range(HgRange r, uint32_t base) { return (HgRange){r.first + base, r.count}; }

HgStatus hg_builder_append_index(HgBuilder *b, const HgIndex *ix, char *err, size_t errlen) {
  uint32_t nrepos = (uint32_t)hg_index_count(ix, HG_SEC_REPOS);
  for (uint32_t i = 0; i < nrepos; i++) {
    const char *name = hg_index_str(ix, hg_index_repo(ix, i)->name);
    if (hg_builder_has_repo(b, name)) {
      snprintf(err, errlen, "repository '%s' is already in the index being built", name);
      return HG_ERR_INPUT;
    }
  }
  Remap m = {
      HG_NREC(b, HG_SEC_FILES),   HG_NREC(b, HG_SEC_DEFS),  HG_NREC(b, HG_SEC_PARAMS), HG_NREC(b, HG_SEC_IMPORTS),
      HG_NREC(b, HG_SEC_CALLS),   HG_NREC(b, HG_SEC_BINDS), HG_NREC(b, HG_SEC_DIAGS),  HG_NREC(b, HG_SEC_STRIDS),
      HG_NREC(b, HG_SEC_EDGES),   HG_NREC(b, HG_SEC_CALLERS), NULL, ix, b};
  m.str = calloc(hg_index_count(ix, HG_SEC_STRINGS) + 1, sizeof(uint32_t));
  if (!m.str) return HG_ERR_INTERNAL;
  /* Strings are interned in the order the records are walked below, so the
   * output depends only on the inputs and their order.  Every hgym-index run
   * builds its final index this way, from one part per repository. */
  for (uint32_t i = 0; i < nrepos; i++) {
    HgRepoRec r = *hg_index_repo(ix, i);
    r.name = re_str(&m, r.name);
    r.commit = re_str(&m, r.commit);
    r.root = re_str(&m, r.root);
    r.files = re_range(r.files, m.files);
    r.defs = re_range(r.defs, m.defs);
    r.imports = re_range(r.imports, m.imports);
    r.calls = re_range(r.calls, m.calls);
    r.binds = re_range(r.binds, m.binds);
    r.diags = re_range(r.diags, m.diags);
    r.edges = re_range(r.edges, m.edges);
    *HG_REC(b, HG_SEC_REPOS, HgRepoRec) = r;
    /* the records of this repository's files, in table order */
    HgRange fr = hg_index_repo(ix, i)->files;
    for (uint32_t f = fr.first; f < fr.first + fr.count; f++) {
      HgFileRec x = *hg_index_file(ix, f);
      x.path = re_str(&m, x.path);
      x.module = re_str(&m, x.module);
      x.repo = HG_NREC(b, HG_SEC_REPOS) - 1;
      for (uint32_t k = x.all.first; k < x.all.first + x.all.count; k++)
        *HG_REC(b, HG_SEC_STRIDS, uint32_t) = re_str(&m, hg_index_strid(ix, k));
      x.all = re_range(x.all, m.strids);
      for (uint32_t d = x.defs.first; d < x.defs.first + x.defs.count; d++) {
        HgDefRec y = *hg_index_def(ix, d);
        y.name = re_str(&m, y.name);
        y.qualname = re_str(&m, y.qualname);
        y.file += m.files;
        y.parent = re_idx(y.parent, m.defs);
        y.docstring = re_str(&m, y.docstring);
        y.signature = re_str(&m, y.signature);
        for (uint32_t k = y.decorators.first; k < y.decorators.first + y.decorators.count; k++)
          *HG_REC(b, HG_SEC_STRIDS, uint32_t) = re_str(&m, hg_index_strid(ix, k));
        for (uint32_t k = y.bases.first; k < y.bases.first + y.bases.count; k++)
          *HG_REC(b, HG_SEC_STRIDS, uint32_t) = re_str(&m, hg_index_strid(ix, k));
        for (uint32_t k = y.params.first; k < y.params.first + y.params.count; k++) {
          HgParamRec p = *hg_index_param(ix, k);
          p.name = re_str(&m, p.name);
          p.annotation = re_str(&m, p.annotation);
          p.default_ = re_str(&m, p.default_);
          *HG_REC(b, HG_SEC_PARAMS, HgParamRec) = p;
        }
        y.decorators = re_range(y.decorators, m.strids);
        y.bases = re_range(y.bases, m.strids);
        y.params = re_range(y.params, m.params);
        y.subtree_end += m.defs;
        y.edges = re_range(y.edges, m.edges);
        y.callers = re_range(y.callers, m.callers);
        *HG_REC(b, HG_SEC_DEFS, HgDefRec) = y;
      }
      for (uint32_t k = x.imports.first; k < x.imports.first + x.imports.count; k++) {
        HgImportRec y = *hg_index_import(ix, k);
        y.module = re_str(&m, y.module);
        y.name = re_str(&m, y.name);
        y.asname = re_str(&m, y.asname);
        y.owner = re_idx(y.owner, m.defs);
        y.file += m.files;
        if (y.res_kind == HG_REF_DEF || y.res_kind == HG_REF_INSTANCE) y.res_target += m.defs;
        else if (y.res_kind == HG_REF_MODULE) y.res_target += m.files;
        else if (y.res_kind == HG_REF_PACKAGE || y.res_kind == HG_REF_EXTERNAL) y.res_target = re_str(&m, y.res_target);
        *HG_REC(b, HG_SEC_IMPORTS, HgImportRec) = y;
      }
      for (uint32_t k = x.calls.first; k < x.calls.first + x.calls.count; k++) {
        HgCallRec y = *hg_index_call(ix, k);
        y.owner = re_idx(y.owner, m.defs);
        y.file += m.files;
        y.chain = re_str(&m, y.chain);
        y.recv_call = re_idx(y.recv_call, y.shape == HG_CALLEE_SELF ? m.defs : m.calls);
        *HG_REC(b, HG_SEC_CALLS, HgCallRec) = y;
      }
      for (uint32_t k = x.binds.first; k < x.binds.first + x.binds.count; k++) {
        HgBindRec y = *hg_index_bind(ix, k);
        y.target = re_str(&m, y.target);
        y.owner = re_idx(y.owner, m.defs);
        y.file += m.files;
        y.value = re_str(&m, y.value);
        y.ref = re_idx(y.ref, y.kind == HG_BIND_IMPORT ? m.imports : m.defs);
        *HG_REC(b, HG_SEC_BINDS, HgBindRec) = y;
      }
      x.defs = re_range(x.defs, m.defs);
      x.imports = re_range(x.imports, m.imports);
      x.calls = re_range(x.calls, m.calls);
      x.binds = re_range(x.binds, m.binds);
      x.diags = re_range(x.diags, m.diags);
      x.module_edges = re_range(x.module_edges, m.edges);
      *HG_REC(b, HG_SEC_FILES, HgFileRec) = x;
    }
    HgRange dr = hg_index_repo(ix, i)->diags;
    for (uint32_t k = dr.first; k < dr.first + dr.count; k++) {
      HgDiagRec y = *hg_index_diag(ix, k);
      if (y.file != HG_NOSTR) y.file += m.files;
      y.message = re_str(&m, y.message);
      *HG_REC(b, HG_SEC_DIAGS, HgDiagRec) = y;
    }
    HgRange er = hg_index_repo(ix, i)->edges;
    for (uint32_t k = er.first; k < er.first + er.count; k++) {
      HgEdgeRec y = *hg_index_edge(ix, k);
      y.call += m.calls;
      y.owner = re_idx(y.owner, m.defs);
      y.file += m.files;
      y.target = y.origin == HG_ORIGIN_REPO ? y.target + m.defs : re_str(&m, y.target);
      y.init = re_idx(y.init, m.defs);
      *HG_REC(b, HG_SEC_EDGES, HgEdgeRec) = y;
    }
  }
  uint64_t nc = hg_index_count(ix, HG_SEC_CALLERS);
  for (uint32_t k = 0; k < nc; k++) *HG_REC(b, HG_SEC_CALLERS, uint32_t) = hg_index_caller(ix, k) + m.edges;
  free(m.str);
  return HG_OK;
}

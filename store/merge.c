#include "store/merge.h"

#include <Judy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/facts.h"
#include "store/reader.h"
#include "store/writer.h"

/* What the inputs before one hold, per table: its references are offset by this. */
typedef struct {
  uint64_t n[HG_SEC_COUNT_];
} Base;

#define B(kind) ((uint32_t)base->n[kind])

static uint32_t re_str(const Base *base, uint32_t id) { return id == HG_NOSTR ? HG_NOSTR : id + B(HG_SEC_STRINGS); }
static int32_t re_idx(int32_t i, uint32_t add) { return i < 0 ? -1 : (int32_t)((uint32_t)i + add); }
static HgRange re_range(HgRange r, uint32_t add) { return (HgRange){r.first + add, r.count}; }

/* Write input ix's records of one kind, rebased. */
static void put_rebased(HgIndexWriter *w, const HgIndex *ix, int kind, const Base *base) {
  const void *sec = hg_index_section(ix, (HgSectionKind)kind);
  uint64_t n = hg_index_count(ix, (HgSectionKind)kind);
  if (!sec) return;
  switch (kind) {
  case HG_SEC_STRINGS: hg_writer_put(w, sec, n); return;
  case HG_SEC_REPOS:
    for (uint64_t i = 0; i < n; i++) {
      HgRepoRec r = ((const HgRepoRec *)sec)[i];
      r.name = re_str(base, r.name);
      r.commit = re_str(base, r.commit);
      r.root = re_str(base, r.root);
      r.files = re_range(r.files, B(HG_SEC_FILES));
      r.defs = re_range(r.defs, B(HG_SEC_DEFS));
      r.imports = re_range(r.imports, B(HG_SEC_IMPORTS));
      r.calls = re_range(r.calls, B(HG_SEC_CALLS));
      r.binds = re_range(r.binds, B(HG_SEC_BINDS));
      r.diags = re_range(r.diags, B(HG_SEC_DIAGS));
      r.edges = re_range(r.edges, B(HG_SEC_EDGES));
      hg_writer_put(w, &r, sizeof r);
    }
    return;
  case HG_SEC_FILES:
    for (uint64_t i = 0; i < n; i++) {
      HgFileRec f = ((const HgFileRec *)sec)[i];
      f.path = re_str(base, f.path);
      f.module = re_str(base, f.module);
      f.repo += B(HG_SEC_REPOS);
      f.defs = re_range(f.defs, B(HG_SEC_DEFS));
      f.imports = re_range(f.imports, B(HG_SEC_IMPORTS));
      f.calls = re_range(f.calls, B(HG_SEC_CALLS));
      f.binds = re_range(f.binds, B(HG_SEC_BINDS));
      f.diags = re_range(f.diags, B(HG_SEC_DIAGS));
      f.all = re_range(f.all, B(HG_SEC_STRIDS));
      f.module_edges = re_range(f.module_edges, B(HG_SEC_EDGES));
      hg_writer_put(w, &f, sizeof f);
    }
    return;
  case HG_SEC_DEFS:
    for (uint64_t i = 0; i < n; i++) {
      HgDefRec d = ((const HgDefRec *)sec)[i];
      d.name = re_str(base, d.name);
      d.qualname = re_str(base, d.qualname);
      d.docstring = re_str(base, d.docstring);
      d.signature = re_str(base, d.signature);
      d.file += B(HG_SEC_FILES);
      d.parent = re_idx(d.parent, B(HG_SEC_DEFS));
      d.decorators = re_range(d.decorators, B(HG_SEC_STRIDS));
      d.bases = re_range(d.bases, B(HG_SEC_STRIDS));
      d.params = re_range(d.params, B(HG_SEC_PARAMS));
      d.subtree_end += B(HG_SEC_DEFS);
      d.edges = re_range(d.edges, B(HG_SEC_EDGES));
      d.callers = re_range(d.callers, B(HG_SEC_CALLERS));
      hg_writer_put(w, &d, sizeof d);
    }
    return;
  case HG_SEC_PARAMS:
    for (uint64_t i = 0; i < n; i++) {
      HgParamRec p = ((const HgParamRec *)sec)[i];
      p.name = re_str(base, p.name);
      p.annotation = re_str(base, p.annotation);
      p.default_ = re_str(base, p.default_);
      hg_writer_put(w, &p, sizeof p);
    }
    return;
  case HG_SEC_IMPORTS:
    for (uint64_t i = 0; i < n; i++) {
      HgImportRec m = ((const HgImportRec *)sec)[i];
      m.module = re_str(base, m.module);
      m.name = re_str(base, m.name);
      m.asname = re_str(base, m.asname);
      m.owner = re_idx(m.owner, B(HG_SEC_DEFS));
      m.file += B(HG_SEC_FILES);
      if (m.res_kind == HG_REF_DEF || m.res_kind == HG_REF_INSTANCE)
        m.res_target += B(HG_SEC_DEFS);
      else if (m.res_kind == HG_REF_MODULE)
        m.res_target += B(HG_SEC_FILES);
      else if (m.res_kind == HG_REF_PACKAGE || m.res_kind == HG_REF_EXTERNAL)
        m.res_target = re_str(base, m.res_target);
      hg_writer_put(w, &m, sizeof m);
    }
    return;
  case HG_SEC_CALLS:
    for (uint64_t i = 0; i < n; i++) {
      HgCallRec c = ((const HgCallRec *)sec)[i];
      c.owner = re_idx(c.owner, B(HG_SEC_DEFS));
      c.file += B(HG_SEC_FILES);
      c.chain = re_str(base, c.chain);
      c.recv_call = re_idx(c.recv_call, c.shape == HG_CALLEE_SELF ? B(HG_SEC_DEFS) : B(HG_SEC_CALLS));
      hg_writer_put(w, &c, sizeof c);
    }
    return;
  case HG_SEC_BINDS:
    for (uint64_t i = 0; i < n; i++) {
      HgBindRec b = ((const HgBindRec *)sec)[i];
      b.target = re_str(base, b.target);
      b.owner = re_idx(b.owner, B(HG_SEC_DEFS));
      b.file += B(HG_SEC_FILES);
      b.value = re_str(base, b.value);
      b.annotation = re_str(base, b.annotation);
      b.ref = re_idx(b.ref, b.kind == HG_BIND_IMPORT ? B(HG_SEC_IMPORTS) : B(HG_SEC_DEFS));
      hg_writer_put(w, &b, sizeof b);
    }
    return;
  case HG_SEC_DIAGS:
    for (uint64_t i = 0; i < n; i++) {
      HgDiagRec d = ((const HgDiagRec *)sec)[i];
      if (d.file != HG_NOSTR) d.file += B(HG_SEC_FILES);
      d.message = re_str(base, d.message);
      hg_writer_put(w, &d, sizeof d);
    }
    return;
  case HG_SEC_STRIDS:
    for (uint64_t i = 0; i < n; i++) {
      uint32_t id = re_str(base, ((const uint32_t *)sec)[i]);
      hg_writer_put(w, &id, sizeof id);
    }
    return;
  case HG_SEC_EDGES:
    for (uint64_t i = 0; i < n; i++) {
      HgEdgeRec e = ((const HgEdgeRec *)sec)[i];
      e.call += B(HG_SEC_CALLS);
      e.owner = re_idx(e.owner, B(HG_SEC_DEFS));
      e.file += B(HG_SEC_FILES);
      e.target = e.origin == HG_ORIGIN_REPO ? e.target + B(HG_SEC_DEFS) : re_str(base, e.target);
      e.init = re_idx(e.init, B(HG_SEC_DEFS));
      hg_writer_put(w, &e, sizeof e);
    }
    return;
  case HG_SEC_CALLERS:
    for (uint64_t i = 0; i < n; i++) {
      uint32_t e = ((const uint32_t *)sec)[i] + B(HG_SEC_EDGES);
      hg_writer_put(w, &e, sizeof e);
    }
    return;
  default: return;
  }
}

HgStatus hg_merge_indexes(char *const *inputs, uint32_t n, const char *out, char *err, size_t errlen) {
  HgIndex **ix = calloc(n ? n : 1, sizeof *ix);
  Base *base = calloc(n + 1, sizeof *base);
  Pvoid_t names = NULL;
  HgStatus st = HG_OK;
  uint32_t opened = 0;
  if (!ix || !base) {
    free(ix);
    free(base);
    return HG_ERR_INTERNAL;
  }
  for (; opened < n && st == HG_OK; opened++) {
    st = hg_index_open(inputs[opened], &ix[opened], err, errlen);
    if (st != HG_OK) break;
    const HgIndex *x = ix[opened];
    for (uint32_t r = 0; r < hg_index_count(x, HG_SEC_REPOS) && st == HG_OK; r++) {
      const char *name = hg_index_text(x, hg_index_repo(x, r)->name);
      PWord_t pv;
      JSLI(pv, names, (const uint8_t *)name);
      if (*pv) {
        snprintf(err, errlen, "repository '%s' is in %s and again in %s", name, inputs[*pv - 1], inputs[opened]);
        st = HG_ERR_INPUT;
      }
      *pv = opened + 1;
    }
    for (int k = 1; k < HG_SEC_COUNT_; k++)
      base[opened + 1].n[k] = base[opened].n[k] + hg_index_count(x, (HgSectionKind)k);
  }
  if (st == HG_OK) {
    uint64_t bytes[HG_SEC_COUNT_] = {0};
    for (int k = 1; k < HG_SEC_COUNT_; k++) bytes[k] = base[n].n[k] * hg_format_record_size[k];
    if (!n) bytes[HG_SEC_STRINGS] = 1; /* an index of nothing still has its empty string */
    HgIndexWriter *w;
    st = hg_writer_open(&w, out, bytes, HG_WRITE_DURABLE, err, errlen);
    if (st == HG_OK) {
      for (int k = 1; k < HG_SEC_COUNT_; k++) {
        if (k == HG_SEC_BLOCKCRCS) continue;
        hg_writer_section(w, k);
        if (!n && k == HG_SEC_STRINGS) hg_writer_put(w, "", 1);
        for (uint32_t i = 0; i < n; i++) put_rebased(w, ix[i], k, &base[i]);
      }
      st = hg_writer_close(w, err, errlen);
    }
  }
  for (uint32_t i = 0; i < opened && i < n; i++) hg_index_close(ix[i]);
  Word_t bytes_freed;
  JSLFA(bytes_freed, names);
  (void)bytes_freed;
  free(ix);
  free(base);
  return st;
}

#include "store/refs.h"

#include <stddef.h>
#include <string.h>

#define HG_REF(T, field, form, target, sel)                                                                            \
  { HG_SEC_##T, HG_RF_##form, HG_SEC_##target, HG_RS_##sel, (uint16_t)offsetof(T##_REC, field), #T "." #field }
/* the record type of each section, for offsetof */
#define REPOS_REC     HgRepoRec
#define FILES_REC     HgFileRec
#define DEFS_REC      HgDefRec
#define PARAMS_REC    HgParamRec
#define IMPORTS_REC   HgImportRec
#define CALLS_REC     HgCallRec
#define BINDS_REC     HgBindRec
#define DIAGS_REC     HgDiagRec
#define EDGES_REC     HgEdgeRec
#define HG_SEC_CHOSEN 0 /* the target is chosen by the selector */
typedef struct {
  uint32_t v;
} HgU32Rec; /* STRIDS and CALLERS: a bare u32 each */
#define STRIDS_REC  HgU32Rec
#define CALLERS_REC HgU32Rec

// clang-format off
const HgRefField hg_ref_fields[] = {
    HG_REF(REPOS, name, INDEX, STRINGS, FIXED),
    HG_REF(REPOS, commit, INDEX, STRINGS, FIXED),
    HG_REF(REPOS, root, INDEX, STRINGS, FIXED),
    HG_REF(REPOS, files, RANGE, FILES, FIXED),
    HG_REF(REPOS, defs, RANGE, DEFS, FIXED),
    HG_REF(REPOS, imports, RANGE, IMPORTS, FIXED),
    HG_REF(REPOS, calls, RANGE, CALLS, FIXED),
    HG_REF(REPOS, binds, RANGE, BINDS, FIXED),
    HG_REF(REPOS, diags, RANGE, DIAGS, FIXED),
    HG_REF(REPOS, edges, RANGE, EDGES, FIXED),

    HG_REF(FILES, path, INDEX, STRINGS, FIXED),
    HG_REF(FILES, module, INDEX, STRINGS, FIXED),
    HG_REF(FILES, repo, INDEX, REPOS, FIXED),
    HG_REF(FILES, defs, RANGE, DEFS, FIXED),
    HG_REF(FILES, imports, RANGE, IMPORTS, FIXED),
    HG_REF(FILES, calls, RANGE, CALLS, FIXED),
    HG_REF(FILES, binds, RANGE, BINDS, FIXED),
    HG_REF(FILES, diags, RANGE, DIAGS, FIXED),
    HG_REF(FILES, all, RANGE, STRIDS, FIXED),
    HG_REF(FILES, module_edges, RANGE, EDGES, FIXED),

    HG_REF(DEFS, name, INDEX, STRINGS, FIXED),
    HG_REF(DEFS, qualname, INDEX, STRINGS, FIXED),
    HG_REF(DEFS, file, INDEX, FILES, FIXED),
    HG_REF(DEFS, parent, INDEX, DEFS, FIXED),
    HG_REF(DEFS, docstring, INDEX, STRINGS, FIXED),
    HG_REF(DEFS, signature, INDEX, STRINGS, FIXED),
    HG_REF(DEFS, decorators, RANGE, STRIDS, FIXED),
    HG_REF(DEFS, params, RANGE, PARAMS, FIXED),
    HG_REF(DEFS, bases, RANGE, STRIDS, FIXED),
    HG_REF(DEFS, subtree_end, END, DEFS, FIXED),
    HG_REF(DEFS, edges, RANGE, EDGES, FIXED),
    HG_REF(DEFS, callers, RANGE, CALLERS, FIXED),

    HG_REF(PARAMS, name, INDEX, STRINGS, FIXED),
    HG_REF(PARAMS, annotation, INDEX, STRINGS, FIXED),
    HG_REF(PARAMS, default_, INDEX, STRINGS, FIXED),

    HG_REF(IMPORTS, module, INDEX, STRINGS, FIXED),
    HG_REF(IMPORTS, name, INDEX, STRINGS, FIXED),
    HG_REF(IMPORTS, asname, INDEX, STRINGS, FIXED),
    HG_REF(IMPORTS, owner, INDEX, DEFS, FIXED),
    HG_REF(IMPORTS, file, INDEX, FILES, FIXED),
    HG_REF(IMPORTS, res_target, INDEX, CHOSEN, IMPORT_RES),

    HG_REF(CALLS, owner, INDEX, DEFS, FIXED),
    HG_REF(CALLS, file, INDEX, FILES, FIXED),
    HG_REF(CALLS, chain, INDEX, STRINGS, FIXED),
    HG_REF(CALLS, recv_call, INDEX, CHOSEN, CALL_RECV),

    HG_REF(BINDS, target, INDEX, STRINGS, FIXED),
    HG_REF(BINDS, owner, INDEX, DEFS, FIXED),
    HG_REF(BINDS, file, INDEX, FILES, FIXED),
    HG_REF(BINDS, value, INDEX, STRINGS, FIXED),
    HG_REF(BINDS, ref, INDEX, CHOSEN, BIND_REF),
    HG_REF(BINDS, annotation, INDEX, STRINGS, FIXED),

    HG_REF(DIAGS, file, INDEX, FILES, FIXED),
    HG_REF(DIAGS, message, INDEX, STRINGS, FIXED),

    HG_REF(STRIDS, v, INDEX, STRINGS, FIXED),

    HG_REF(EDGES, call, INDEX, CALLS, FIXED),
    HG_REF(EDGES, owner, INDEX, DEFS, FIXED),
    HG_REF(EDGES, file, INDEX, FILES, FIXED),
    HG_REF(EDGES, target, INDEX, CHOSEN, EDGE_TARGET),
    HG_REF(EDGES, init, INDEX, DEFS, FIXED),

    HG_REF(CALLERS, v, INDEX, EDGES, FIXED),
};
// clang-format on
const uint32_t hg_ref_field_count = sizeof hg_ref_fields / sizeof hg_ref_fields[0];

int hg_ref_target(const HgRefField *f, const void *rec) {
  switch ((HgRefSelector)f->selector) {
  case HG_RS_FIXED: return f->target;
  case HG_RS_IMPORT_RES:
    switch (((const HgImportRec *)rec)->res_kind) {
    case HG_REF_DEF:
    case HG_REF_INSTANCE: return HG_SEC_DEFS;
    case HG_REF_MODULE: return HG_SEC_FILES;
    case HG_REF_PACKAGE:
    case HG_REF_EXTERNAL: return HG_SEC_STRINGS;
    default: return 0;
    }
  case HG_RS_CALL_RECV: return ((const HgCallRec *)rec)->shape == HG_CALLEE_SELF ? HG_SEC_DEFS : HG_SEC_CALLS;
  case HG_RS_BIND_REF: return ((const HgBindRec *)rec)->kind == HG_BIND_IMPORT ? HG_SEC_IMPORTS : HG_SEC_DEFS;
  case HG_RS_EDGE_TARGET: return ((const HgEdgeRec *)rec)->origin == HG_ORIGIN_REPO ? HG_SEC_DEFS : HG_SEC_STRINGS;
  }
  return 0;
}

void hg_refs_rebase(int sec, void *recs, uint64_t n, const uint64_t base[HG_SEC_COUNT_]) {
  /* the fields of this section: a contiguous run of the table */
  uint32_t a = 0;
  while (a < hg_ref_field_count && hg_ref_fields[a].sec != sec) a++;
  uint32_t z = a;
  while (z < hg_ref_field_count && hg_ref_fields[z].sec == sec) z++;
  if (a == z) return;
  uint32_t size = hg_format_record_size[sec];
  for (uint64_t i = 0; i < n; i++) {
    uint8_t *rec = (uint8_t *)recs + i * size;
    for (uint32_t k = a; k < z; k++) {
      const HgRefField *f = &hg_ref_fields[k];
      int t = hg_ref_target(f, rec);
      if (!t) continue;
      uint32_t v;
      memcpy(&v, rec + f->offset, sizeof v);
      if (v == 0xFFFFFFFFu && f->form == HG_RF_INDEX) continue; /* none */
      v += (uint32_t)base[t];
      memcpy(rec + f->offset, &v, sizeof v);
    }
  }
}

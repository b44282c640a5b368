#include "queries/listing.h"

#include "queries/jsonout.h"

/* The repositories selected: [first, last). */
static void hg_listing__repo_span(const HgIndex *ix, int64_t repo, uint32_t *first, uint32_t *last) {
  uint32_t n = (uint32_t)hg_index_count(ix, HG_SEC_REPOS);
  *first = repo < 0 ? 0 : (uint32_t)repo;
  *last = repo < 0 ? n : (uint32_t)repo + 1;
}

/* One JSON line per record of a per-repository range (defs, files). */
static int hg_listing__print_range(const HgIndex *ix, int64_t repo, FILE *out, HgRange (*range)(const HgRepoRec *),
                                   cJSON *(*json)(const HgIndex *, uint32_t)) {
  uint32_t a, z;
  hg_listing__repo_span(ix, repo, &a, &z);
  for (uint32_t r = a; r < z; r++) {
    HgRange g = range(hg_index_repo(ix, r));
    for (uint32_t i = g.first; i < g.first + g.count; i++)
      if (hg_json_println(out, json(ix, i))) return -1;
  }
  return 0;
}

static HgRange hg_listing__defs_of(const HgRepoRec *r) { return r->defs; }
static HgRange hg_listing__files_of(const HgRepoRec *r) { return r->files; }

int hg_query_defs(const HgIndex *ix, int64_t repo, FILE *out) {
  return hg_listing__print_range(ix, repo, out, hg_listing__defs_of, hg_json_def);
}

int hg_query_files(const HgIndex *ix, int64_t repo, FILE *out) {
  return hg_listing__print_range(ix, repo, out, hg_listing__files_of, hg_json_file);
}

int hg_query_repos(const HgIndex *ix, FILE *out) {
  for (uint32_t r = 0; r < hg_index_count(ix, HG_SEC_REPOS); r++)
    if (hg_json_println(out, hg_json_repo(ix, r))) return -1;
  return 0;
}

int hg_query_diags(const HgIndex *ix, int64_t repo, FILE *out) {
  uint32_t a, z;
  hg_listing__repo_span(ix, repo, &a, &z);
  for (uint32_t r = a; r < z; r++) {
    const HgRepoRec *rr = hg_index_repo(ix, r);
    for (uint32_t i = rr->diags.first; i < rr->diags.first + rr->diags.count; i++) {
      cJSON *o = hg_json_diag(ix, i);
      cJSON_AddStringToObject(o, "repo", hg_index_str(ix, rr->name));
      if (hg_json_println(out, o)) return -1;
    }
  }
  return 0;
}

#define HG_EACH(range, var) for (uint32_t var = (range).first; var < (range).first + (range).count; var++)

int hg_query_export(const HgIndex *ix, int64_t repo, FILE *out) {
  uint32_t a, z;
  hg_listing__repo_span(ix, repo, &a, &z);
  for (uint32_t r = a; r < z; r++) {
    const HgRepoRec *rr = hg_index_repo(ix, r);
    cJSON *ro = hg_json_repo(ix, r);
    cJSON_AddStringToObject(ro, "record", "repository");
    /* diagnostics of no file: unreadable directories, skipped files, limits */
    cJSON *rd = cJSON_AddArrayToObject(ro, "repository_diagnostics");
    HG_EACH(rr->diags, k) if (hg_index_diag(ix, k)->file == HG_NOSTR) cJSON_AddItemToArray(rd, hg_json_diag(ix, k));
    if (hg_json_println(out, ro)) return -1;
    HG_EACH(rr->files, fi) {
      const HgFileRec *f = hg_index_file(ix, fi);
      cJSON *o = hg_json_file(ix, fi);
      cJSON_AddStringToObject(o, "record", "file");
      if (f->all_state == 1) {
        cJSON *all = cJSON_AddArrayToObject(o, "all");
        HG_EACH(f->all, k) cJSON_AddItemToArray(all, cJSON_CreateString(hg_index_str(ix, hg_index_strid(ix, k))));
      } else {
        cJSON_AddItemToObject(o, "all", f->all_state == 2 ? cJSON_CreateString("<dynamic>") : cJSON_CreateNull());
      }
      cJSON *arr = cJSON_AddArrayToObject(o, "definitions");
      HG_EACH(f->defs, k) cJSON_AddItemToArray(arr, hg_json_def_full(ix, k));
      arr = cJSON_AddArrayToObject(o, "imports");
      HG_EACH(f->imports, k) cJSON_AddItemToArray(arr, hg_json_import(ix, k));
      arr = cJSON_AddArrayToObject(o, "calls");
      HG_EACH(f->calls, k) cJSON_AddItemToArray(arr, hg_json_call(ix, k));
      arr = cJSON_AddArrayToObject(o, "edges");
      HG_EACH(f->module_edges, k) cJSON_AddItemToArray(arr, hg_json_edge(ix, k));
      HG_EACH(f->defs, d) {
        HgRange er = hg_index_def(ix, d)->edges;
        HG_EACH(er, k) cJSON_AddItemToArray(arr, hg_json_edge(ix, k));
      }
      arr = cJSON_AddArrayToObject(o, "bindings");
      HG_EACH(f->binds, k) cJSON_AddItemToArray(arr, hg_json_bind(ix, k));
      arr = cJSON_AddArrayToObject(o, "diagnostics");
      HG_EACH(f->diags, k) cJSON_AddItemToArray(arr, hg_json_diag(ix, k));
      if (hg_json_println(out, o)) return -1;
    }
  }
  return 0;
}

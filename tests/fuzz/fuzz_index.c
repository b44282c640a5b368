/*
 * fuzz_index.c: libFuzzer target for the index reader and the queries
 * (make fuzz, docs/FUZZING.md).
 *
 * Each input is opened as it is and repaired (tests/fuzz/index_harness.h:
 * the checksums made to match, which lets the fuzzer reach the queries with
 * sections full of nonsense: out-of-range references, cycles, ranges that
 * wrap).  When the index opens, every listing, the deps of every function,
 * and callers, transitive deps, target lookup, imports and the call graph
 * run over it into /dev/null, each as one query of the harness (a fault
 * longjmps back; what the query left allocated is freed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "queries/deps.h"
#include "queries/listing.h"
#include "store/reader.h"
#include "tests/fuzz/index_harness.h"

#define devnull harness_devnull

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  harness_init();
  return 0;
}

typedef enum { Q_DEFS, Q_FILES, Q_REPOS, Q_DIAGS, Q_EXPORT, Q_STATS, Q_DEPS_ALL, Q_PER_DEF, Q_PER_REPO, Q_COUNT } Query;
static const char *const QUERY_NAMES[Q_COUNT] = {"defs",  "files",    "repos",   "diags",  "export",
                                                 "stats", "deps_all", "per_def", "per_repo"};

/* Targets and per-def queries over the first few defs (bounded work per input). */
static void per_def(const HgIndex *ix) {
  uint64_t n = hg_index_count(ix, HG_SEC_DEFS);
  for (uint32_t d = 0; d < n && d < 8; d++) {
    hg_query_deps(ix, d, 0, devnull);
    hg_query_callers(ix, d, devnull);
    hg_query_deps_transitive(ix, d, 3, HG_DEPS_BARE_DECORATORS, devnull);
    const HgDefRec *r = hg_index_def(ix, d);
    char target[512], err[512];
    const char *file = hg_index_str(ix, hg_index_file(ix, r->file)->path);
    uint32_t *defs, nd;
    snprintf(target, sizeof target, "%s:%s", file ? file : "", hg_index_str(ix, r->qualname));
    if (hg_target_find(ix, -1, target, &defs, &nd, err, sizeof err) == HG_OK) free(defs);
    snprintf(target, sizeof target, "%s:%u", file ? file : "", r->line_start);
    if (hg_target_find(ix, -1, target, &defs, &nd, err, sizeof err) == HG_OK) free(defs);
  }
}

static void per_repo(const HgIndex *ix) {
  uint64_t n = hg_index_count(ix, HG_SEC_REPOS);
  for (uint32_t r = 0; r < n && r < 4; r++) {
    char err[512];
    hg_query_callgraph_pycg(ix, r, devnull);
    const HgRepoRec *rr = hg_index_repo(ix, r);
    if (rr->files.count) {
      const char *file = hg_index_str(ix, hg_index_file(ix, rr->files.first)->path);
      hg_query_imports(ix, r, file ? file : "", devnull, err, sizeof err);
    }
    hg_query_imports(ix, -1, "no/such/file.py", devnull, err, sizeof err);
  }
}

static void run_query(const HgIndex *ix, int q) {
  switch ((Query)q) {
  case Q_DEFS: hg_query_defs(ix, -1, devnull); break;
  case Q_FILES: hg_query_files(ix, -1, devnull); break;
  case Q_REPOS: hg_query_repos(ix, devnull); break;
  case Q_DIAGS: hg_query_diags(ix, -1, devnull); break;
  case Q_EXPORT: hg_query_export(ix, -1, devnull); break;
  case Q_STATS: hg_query_stats(ix, -1, devnull); break;
  case Q_DEPS_ALL: hg_query_deps_all(ix, -1, HG_DEPS_BARE_DECORATORS, devnull); break;
  case Q_PER_DEF: per_def(ix); break;
  case Q_PER_REPO: per_repo(ix); break;
  default: break;
  }
}

static void run_index(const uint8_t *data, size_t size) {
  HgIndex *ix = harness_open(data, size);
  if (!ix) return;
  char verr[1024];
  (void)hg_index_verify(ix, verr, sizeof verr);
  for (int q = 0; q < Q_COUNT; q++) harness_query(QUERY_NAMES[q], run_query, ix, q);
  hg_index_close(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  harness_each_form(data, size, run_index);
  return 0;
}

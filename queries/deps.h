/*
 * deps.h: dependency queries over a resolved index.
 *
 * A target is `FILE:QUALNAME` (flask/app.py:Flask.run) or `FILE:LINE`
 * (0-indexed; the innermost definition holding that line), FILE relative to
 * the repository root.  A def's dependency set follows Hybrid-Gym's original
 * builder: the repository's functions, methods and classes that the call
 * expressions of its body, its decorator calls `@d(...)` or anything nested in
 * it reach (nested defs themselves excluded), without duplicates or
 * self-recursion, in order of first call.  A bare decorator `@d` is no call
 * expression there, so it counts only with HG_DEPS_BARE_DECORATORS (read from
 * the call's HG_CALL_BARE_DECORATOR flag, as the index recorded it).
 */
#ifndef HG_DEPS_H
#define HG_DEPS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/reader.h"

/* Find the defs a target names (several when a qualname is defined more than
 * once).  On failure, err names the closest matches; HG_ERR_NOT_FOUND, or
 * HG_ERR_USAGE for a malformed target.  *defs is malloc'd (caller frees). */
HgStatus hg_target_find(const HgIndex *ix, int64_t repo, const char *target, uint32_t **defs, uint32_t *n, char *err,
                        size_t errlen);

#include <cjson/cJSON.h>

/* Flags of a dependency query. */
enum {
  HG_DEPS_BARE_DECORATORS = 1 << 0, /* a bare decorator `@d` is a call of d (it is not, by default) */
};

/* A def's dependency set: repository defs in order of first call, each with
 * whether any edge to it was ambiguous; external names with their origin;
 * the count of calls that resolved nowhere. */
typedef struct {
  uint32_t *defs;
  uint8_t *ambiguous;
  uint32_t n;
  uint8_t any_ambiguous;
  uint8_t any_overload; /* a dependency is an @overload stub (hg_def_is_overload) */
  uint32_t *ext;        /* string ids */
  uint8_t *ext_origin;  /* HgOrigin */
  uint32_t n_ext;
  uint32_t unresolved; /* call sites that resolved nowhere */
} HgDeps;

/* flags: HG_DEPS_*. */
void hg_deps_collect(const HgIndex *ix, uint32_t def, unsigned flags, HgDeps *out);
/* Is def decorated with `@overload` (`typing.overload`, `t.overload`, ...:
 * a decorator whose text is a dotted name ending in `overload`)? */
int hg_def_is_overload(const HgIndex *ix, uint32_t def);
void hg_deps_free(HgDeps *d);
/* The `dependencies` array of a row: name, file_path, line_start, line_end,
 * type, decorator_line, qualname, scope, ambiguous. */
cJSON *hg_deps_json(const HgIndex *ix, uint32_t target, const HgDeps *d);

/* One dep_search row for def (see docs/CLI.md); flags: HG_DEPS_*. */
int hg_query_deps(const HgIndex *ix, uint32_t def, unsigned flags, FILE *out);
/* A row for every function and method of the selected repositories. */
int hg_query_deps_all(const HgIndex *ix, int64_t repo, unsigned flags, FILE *out);
/* Dependencies reached in up to depth steps, each with its distance. */
int hg_query_deps_transitive(const HgIndex *ix, uint32_t def, uint32_t depth, unsigned flags, FILE *out);
/* The defs (or modules) whose code calls def. */
int hg_query_callers(const HgIndex *ix, uint32_t def, FILE *out);
/* The whole call graph of a repository as PyCG's JSON adjacency list. */
int hg_query_callgraph_pycg(const HgIndex *ix, uint32_t repo, FILE *out);
/* The imports of one file and what each resolved to. */
HgStatus hg_query_imports(const HgIndex *ix, int64_t repo, const char *path, FILE *out, char *err, size_t errlen);
/* Per repository: call sites resolved in the repository, outside it, and not at all. */
int hg_query_stats(const HgIndex *ix, int64_t repo, FILE *out);

#endif

/*
 * resolve.h: resolve a repository's imports and call sites to what they reach.
 *
 * Runs once per repository, after all its files are in the builder.  It reads
 * the repository's defs, imports, bindings and calls, and
 *  - fills each import's resolution (res_kind / res_target / res_class),
 *  - appends one edge per candidate target of each call (EDGES, sorted by
 *    file, owner, call), with each def's own range and each file's
 *    module-level range, and each def's subtree_end,
 *  - appends the reverse map (CALLERS) and each def's callers range.
 * The rules, and their limits, are in docs/RESOLUTION.md.  The result depends
 * only on the records, so the same repository always gives the same bytes.
 */
#ifndef HG_RESOLVE_H
#define HG_RESOLVE_H

#include <stdint.h>

#include "store/builder.h"

typedef struct {
  uint64_t calls;     /* call sites */
  uint64_t repo;      /* resolved to a def of the repository */
  uint64_t ambiguous; /* of those, with more than one candidate */
  uint64_t builtin, stdlib, third_party;
  uint64_t unresolved;
} HgResolveStats;

HgStatus hg_resolve_repo(HgBuilder *b, uint32_t repo, HgResolveStats *stats);

#endif

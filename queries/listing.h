/*
 * listing.h: commands that list what an index holds, as JSON lines.
 *
 * Each takes a repository selection: repo < 0 means every repository.
 * Rows come in index order (repository, then file path, then source order),
 * so the same index always prints the same bytes.
 */
#ifndef HG_LISTING_H
#define HG_LISTING_H

#include <stdint.h>
#include <stdio.h>

#include "store/reader.h"

/* Every definition, one object a line (fields in docs/CLI.md). */
int hg_query_defs(const HgIndex *ix, int64_t repo, FILE *out);
/* Every file indexed: path, module, counts and flags. */
int hg_query_files(const HgIndex *ix, int64_t repo, FILE *out);
/* One line per repository with its counts. */
int hg_query_repos(const HgIndex *ix, FILE *out);
/* Every diagnostic (syntax errors, unreadable or skipped files). */
int hg_query_diags(const HgIndex *ix, int64_t repo, FILE *out);
/* Everything: a line per repository, then a line per file with its defs,
 * imports, calls, bindings, __all__ and diagnostics. */
int hg_query_export(const HgIndex *ix, int64_t repo, FILE *out);

#endif

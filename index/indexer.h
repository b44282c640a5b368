/*
 * indexer.h: index whole repositories into a HgBuilder.
 *
 * For each repository: walk it (walk.h), read and analyze every file
 * (analyzer.h) with one HgAnalyzer and one arena per worker, and add the
 * facts to the builder in path order.  Files over the size limit, and the
 * files past the per-repository limit, are skipped and reported; a file that
 * cannot be read is reported; a file with syntax errors is indexed as far as
 * its tree allows; a file the analyzer refuses (nesting tree-sitter cannot
 * hold, a parse past its budget) is skipped and reported with its reason.
 */
#ifndef HG_INDEXER_H
#define HG_INDEXER_H

#include <stdint.h>
#include <stdio.h>

#include "resolve/resolve.h"
#include "store/builder.h"

typedef struct {
  uint64_t max_file_bytes;  /* larger files are skipped (default 16 MiB) */
  uint32_t max_files;       /* files per repository (default 200000) */
  uint64_t parse_budget_us; /* a parse that runs longer is stopped, the file skipped (default 60 s; 0: none) */
  FILE *diag_out;           /* diagnostics as path:line:col text, or NULL */
} HgIndexOptions;

typedef struct {
  uint32_t files, skipped, unreadable, with_errors, not_utf8;
  uint64_t defs, bytes, lines, diags;
  double seconds;
  HgResolveStats resolve;
  uint64_t sources; /* hg_walk_digest of the files the repository was indexed from */
} HgRepoStats;

void hg_index_options_default(HgIndexOptions *opt);

/* Where a repository is and what it is called. */
typedef struct {
  const char *dir;    /* the directory analysed: its files are walked, their module names computed from it */
  const char *root;   /* recorded as the repository's root, the directory paths are relative to (dir when
                         they are the same) */
  const char *prefix; /* dir relative to root, '/'-separated, put before every path; NULL or "": dir is root */
  const char *name;   /* the repository's name */
  const char *commit; /* the commit recorded (may be NULL) */
} HgRepoLocation;

/* Index the repository at loc->dir.  Returns HG_OK when the repository was
 * indexed, even with skipped files (stats and diagnostics tell); HG_ERR_IO
 * when its directory cannot be read, with the reason in err ("cannot open
 * repository: No such file or directory"). */
HgStatus hg_index_repository_at(HgBuilder *b, const HgIndexOptions *opt, const HgRepoLocation *loc, HgRepoStats *stats,
                                char *err, size_t errlen);
/* The same for a directory that is its own root. */
HgStatus hg_index_repository(HgBuilder *b, const HgIndexOptions *opt, const char *root, const char *name,
                             const char *commit, HgRepoStats *stats, char *err, size_t errlen);

#endif

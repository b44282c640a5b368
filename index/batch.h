/*
 * batch.h: index many repositories with worker threads, resumably.
 *
 * Each repository is indexed and resolved alone by one worker (its own
 * analyzer, arena and builder) and written atomically as a part file,
 * OUT.parts/NNNNNN.idx, named by its position in the list (HG_WRITE_ATOMIC:
 * not fsynced, since it is an intermediate step).  OUT.parts/ is created by
 * the run and marked with a .hgym-parts file; an existing one without the
 * marker, or a symbolic link, is refused, and cleaning it removes only the
 * names hgym writes there.  When every repository is
 * done, the parts are merged in list order into OUT (HG_WRITE_DURABLE) and
 * the parts are removed.  So the index bytes depend only on the list, never
 * on the number of threads or on scheduling; and a run killed at any moment
 * and restarted with resume skips the parts already written, once each has
 * passed every block's checksum and its NNNNNN.src (the options, the root
 * and path prefix, and the digest of the files it was built from,
 * index/walk.h) matches what the present options, root and files give, and
 * produces the same bytes.
 */
#ifndef HG_BATCH_H
#define HG_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "index/indexer.h"

typedef struct {
  char *path;    /* the directory to analyse */
  char *name;    /* repository name (defaults to the checkout's GitHub origin, else the directory's name) */
  char *commit;  /* commit ("" when unknown; defaults to the checkout's HEAD) */
  char *root;    /* the repository's root, recorded; paths are relative to it (path itself, or the checkout above) */
  char *prefix;  /* path relative to root ("" when they are the same) */
  uint32_t line; /* manifest line, 0 when given on the command line */
} HgRepoEntry;

typedef struct {
  HgRepoEntry *items;
  uint32_t n, cap;
} HgRepoList;

/* Keep the memory a batch run frees for its next repository instead of
 * giving it back to the kernel (glibc: no mmap below 32 MiB, no trimming
 * below 1 GiB).  Pages the kernel hands out again must be faulted in and
 * zeroed; on the virtual machine of benchmarks/RESULTS.md that cost 10 % of
 * a run.  Call once at start, before any thread; process-wide. */
void hg_memory_keep_freed(void);

/* Add one repository; name, commit and root NULL take the defaults.  The
 * root is the checkout root given, else the checkout holding path
 * (hg_git_find_root: path itself, or a checkout above that tracks it), else
 * path; name and commit default to that checkout's GitHub origin and HEAD.
 * HG_ERR_USAGE, with err, when a root given cannot be resolved or does not
 * hold path. */
HgStatus hg_repo_list_add(HgRepoList *l, const char *path, const char *name, const char *commit, const char *root,
                          uint32_t line, char *err, size_t errlen);
void hg_repo_list_free(HgRepoList *l);
/* Read a manifest: one repository a line, `path [name [commit [root]]]`
 * (`-` for a name or commit that takes its default), blank lines and lines
 * starting with # ignored.  Errors name file:line. */
HgStatus hg_manifest_read(const char *file, HgRepoList *l, char *err, size_t errlen);
/* Duplicate names are refused: err names both lines. */
HgStatus hg_repo_list_check(const HgRepoList *l, char *err, size_t errlen);

typedef enum { HG_PROGRESS_NONE = 0, HG_PROGRESS_LINES, HG_PROGRESS_BAR } HgProgress;

typedef struct {
  HgIndexOptions index; /* per-file limits and diagnostics */
  uint32_t jobs;        /* worker threads (0: all cores) */
  int resume;           /* keep parts already written */
  int keep_parts;       /* do not remove OUT.parts after the merge */
  HgProgress progress;  /* to stderr */
  FILE *report;         /* JSONL: a line per repository and per diagnostic, or NULL */
} HgBatchOptions;

typedef struct {
  uint32_t repos, indexed, resumed, failed;
  HgRepoStats total; /* sums over the repositories indexed in this run */
  double seconds;
  int report_errno; /* the first failed write of the report, or 0 */
} HgBatchStats;

void hg_batch_options_default(HgBatchOptions *opt);

/* Lock the output OUT for this process: flock on OUT.lock (created beside it,
 * never a symbolic link), so two runs with the same -o never mix their parts
 * or their merges.  HG_ERR_USAGE when another process holds it (err names
 * it): the second run refuses rather than waits.  Unlock removes OUT.lock; a
 * killed run leaves it, unlocked, and the next run takes it. */
HgStatus hg_output_lock(const char *out, int *lock_fd, char *err, size_t errlen);
void hg_output_unlock(const char *out, int lock_fd);

/* Index every repository of the list into out.  HG_OK when all were indexed;
 * HG_ERR_INPUT when some could not be read (the others are in out);
 * HG_ERR_IO / HG_ERR_INTERNAL when out could not be written. */
HgStatus hg_batch_index(const HgRepoList *l, const char *out, const HgBatchOptions *opt, HgBatchStats *stats, char *err,
                        size_t errlen);

#endif

/*
 * synth.h: Hybrid-Gym task rows from an index (docs/tasks/).
 *
 * Each task walks the selected repositories' definitions in index order,
 * applies its filters (counting the first one each candidate fails),
 * drops candidates whose normalized body was already seen (corpus-wide),
 * samples with a PRNG seeded by the seed and the repository's name, and
 * writes one JSON row a line.  The same index, options and seed always give
 * the same bytes.
 */
#ifndef HG_SYNTH_H
#define HG_SYNTH_H

#include <stdint.h>
#include <stdio.h>

#include "store/reader.h"

/* dep_search's grader accepts a comment within this many lines of a
 * dependency's decorator_line: two dependencies of one file closer than that
 * cannot be told apart. */
#define HG_GRADE_WINDOW 5

typedef enum { HG_TASK_DEP_SEARCH = 0, HG_TASK_FUNC_LOCALIZE, HG_TASK_FUNC_GEN, HG_TASK_ISSUE_LOCALIZE } HgTask;

/* Why a candidate was left out; the summary counts each. */
typedef enum {
  HG_DROP_NOT_TARGET = 0, /* not the kind of definition the task takes (class, nested function) */
  HG_DROP_SYNTAX,         /* recovered from a syntax error */
  HG_DROP_TEST,           /* in a test file or directory */
  HG_DROP_PRIVATE,        /* name starts with _ */
  HG_DROP_NO_DOCSTRING,
  HG_DROP_NO_PARAMETER,
  HG_DROP_NO_RETURN,
  HG_DROP_FEW_STATEMENTS,       /* two body statements or fewer besides the docstring */
  HG_DROP_TRIVIAL,              /* pass / ... / raise NotImplementedError / a forwarding call */
  HG_DROP_MASK_AMBIGUOUS,       /* func_gen: the masking step would not find it, or would find another def */
  HG_DROP_MASK_BREAKS,          /* func_gen: the masked file would not parse */
  HG_DROP_LINES,                /* outside --min-lines / --max-lines */
  HG_DROP_DEPS,                 /* dependency count outside --min-deps / --max-deps */
  HG_DROP_OVERLOAD,             /* a dependency is an @overload stub */
  HG_DROP_AMBIGUOUS,            /* an ambiguous dependency */
  HG_DROP_UNRESOLVED,           /* a call that resolves nowhere: the dependencies may be incomplete */
  HG_DROP_UNGRADEABLE,          /* two dependencies' decorator_lines within HG_GRADE_WINDOW lines of one file */
  HG_DROP_REMOVAL_BREAKS,       /* func_localize: deleting the docstring's lines would break the file */
  HG_DROP_EMPTY_DESCRIPTION,    /* no first sentence to describe it with */
  HG_DROP_SHORT_DESCRIPTION,    /* a description of fewer than five words */
  HG_DROP_REPEATED_DESCRIPTION, /* the first sentence appears elsewhere in the repository */
  HG_DROP_SHARED_DESCRIPTION,   /* another target of the repository has the same description */
  HG_DROP_SOURCE,               /* the file is gone or changed since indexing */
  HG_DROP_DUPLICATE,            /* the same normalized body was already taken */
  HG_DROP_CAP,                  /* over --per-repo or --max-instances */
  HG_DROP_NOT_INDEXED,          /* issue row: repository / commit not in the index */
  HG_DROP_UNPINNED,             /* issue row: repo not owner/name or base_commit not a full SHA */
  HG_DROP_BAD_ROW,              /* issue row: not JSON, or a field missing */
  HG_DROP_UNGROUPED,            /* func_localize --multi: the targets left are all in one file */
  HG_DROP_COUNT_
} HgDrop;

typedef struct {
  HgTask task;
  int64_t repo;           /* -1: every repository */
  int exclude_tests;      /* default 1 */
  uint32_t min_lines;     /* 0: no bound */
  uint32_t max_lines;     /* 0: no bound (func_gen default 25) */
  uint32_t per_repo;      /* 0: no cap (dep_search default 20) */
  uint64_t max_instances; /* 0: no cap */
  uint64_t seed;
  uint32_t min_deps, max_deps; /* dep_search: 1..5 */
  int allow_ambiguous, allow_private;
  int count_bare_decorators; /* dep_search, func_gen: a bare decorator @d is a call of d (HG_DEPS_BARE_DECORATORS) */
  int allow_unpinned;        /* write rows whose repo is not owner/name or whose base_commit is not a full SHA */
  int allow_unresolved;      /* dep_search: keep targets with calls that resolve nowhere */
  int multi;                 /* func_localize: groups of 2-3 targets from different files */
  FILE *input;               /* issue_localize: JSONL rows */
  const char *input_name;    /* for messages */
} HgSynthOptions;

typedef struct {
  uint64_t seen, kept, rows;
  uint64_t dropped[HG_DROP_COUNT_];
  uint64_t deps_hist[11]; /* kept targets by dependency count; [10] is 10 or more */
} HgSynthStats;

/* Defaults for a task (per-repo cap, line and dependency bounds). */
void hg_synth_defaults(HgSynthOptions *opt, HgTask task);
HgStatus hg_synth_run(const HgIndex *ix, const HgSynthOptions *opt, FILE *out, HgSynthStats *st, char *err,
                      size_t errlen);
void hg_synth_summary(FILE *f, const HgSynthOptions *opt, const HgSynthStats *st);
const char *hg_task_name(HgTask t);
/* Why Hybrid-Gym could not clone github.com/{name} at commit: "its name is
 * not owner/name", "it has no commit", "its commit is not a full SHA" (40 or
 * 64 hex digits), or two of them joined; NULL when it can. */
const char *hg_synth_unpinned(const char *name, const char *commit);
/* The selected repositories (opt->repo, or all) that hg_synth_unpinned
 * refuses: each named on f with its reason, then how to pin them.  Returns
 * their count. */
uint32_t hg_synth_check_pinned(const HgIndex *ix, const HgSynthOptions *opt, FILE *f);
/* Is a path a test file: test_*.py, *_test.py, conftest.py, or under a
 * tests/ or test/ directory (whole path components, not substrings)? */
int hg_is_test_path(const char *path);

#endif

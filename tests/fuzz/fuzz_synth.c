/*
 * fuzz_synth.c: libFuzzer target for the task synthesizers, hgym-synth
 * (make fuzz, docs/FUZZING.md).
 *
 * Each input is opened as it is and repaired (tests/fuzz/index_harness.h:
 * the checksums made to match), so the synthesizers meet what a forged index
 * holds: names of HG_NOSTR, ranges that wrap or reach past their tables,
 * parents that do not come before their children, byte and line offsets
 * outside the file.  When the index opens, each of these runs over it into
 * /dev/null as one query of the harness (a fault longjmps back; what the
 * query left allocated is freed):
 *  - the pinning check of hgym-synth's main (hg_synth_check_pinned);
 *  - dep_search (and again with every option that widens it: private names,
 *    ambiguous and unresolved calls, bare decorators, no cap), func_localize
 *    (and --multi), func_gen (no line bound), tests included or not;
 *  - issue_localize over rows made from the index itself: for each of the
 *    first repositories, a patch of its first file's first lines at its name
 *    and commit, so the rows find their repository.
 * Tasks that quote code read the files back from the repository's root
 * (queries/source.c): the seeds of `make fuzz` index tests/fuzz/synth_repo
 * with a relative root, so those files are there whenever the fuzzer runs
 * from the top of the tree (an index whose root or CRCs no longer match
 * drops its targets as "source changed or missing").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queries/synth.h"
#include "store/reader.h"
#include "tests/fuzz/index_harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  harness_init();
  return 0;
}

/* The issue rows of the current index (see the top), and a stream over them
 * opened before the query (fmemopen allocates) and rewound for each. */
static char issues[16384];
static size_t issues_len;
static FILE *issues_in;

/* Append s as a JSON string's contents: quotes, backslashes and control
 * bytes escaped, the rest as it is (the synthesizer reads what cJSON
 * parses). */
static void put_escaped(const char *s) {
  for (; *s && issues_len + 8 < sizeof issues; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      issues_len += (size_t)snprintf(issues + issues_len, sizeof issues - issues_len, "\\%c", c);
    else if (c < 0x20)
      issues_len += (size_t)snprintf(issues + issues_len, sizeof issues - issues_len, "\\u%04x", c);
    else
      issues[issues_len++] = (char)c;
  }
}

static void put(const char *s) {
  size_t n = strlen(s);
  if (issues_len + n < sizeof issues) {
    memcpy(issues + issues_len, s, n);
    issues_len += n;
  }
}

/* The rows, read from the index under the harness (a damaged record faults
 * like any query); written into the static buffer, nothing allocated. */
static void make_issues(const HgIndex *ix, int unused) {
  uint64_t n = hg_index_count(ix, HG_SEC_REPOS);
  for (uint32_t r = 0; r < n && r < 4; r++) {
    const HgRepoRec *rr = hg_index_repo(ix, r);
    const char *file = rr->files.count ? hg_index_text(ix, hg_index_file(ix, rr->files.first)->path) : "x.py";
    put("{\"repo\": \"");
    put_escaped(hg_index_text(ix, rr->name));
    put("\", \"base_commit\": \"");
    put_escaped(hg_index_text(ix, rr->commit));
    put("\", \"problem_statement\": \"fuzz\", \"patch\": \"--- a/");
    put_escaped(file);
    put("\\n+++ b/");
    put_escaped(file);
    put("\\n@@ -2,2 +2,2 @@\\n-a\\n-b\\n+c\\n+d\\n\"}\n");
  }
}

typedef enum {
  S_PINNED,
  S_DEP,
  S_DEP_WIDE,
  S_LOC,
  S_LOC_MULTI,
  S_GEN,
  S_GEN_WIDE,
  S_ISSUE,
  S_COUNT
} Synth;
static const char *const SYNTH_NAMES[S_COUNT] = {"pinned",   "dep_search", "dep_search_wide", "func_localize",
                                                 "func_multi", "func_gen", "func_gen_wide",  "issue_localize"};

static void run_synth(const HgIndex *ix, int which) {
  static const HgTask TASK[S_COUNT] = {HG_TASK_DEP_SEARCH,    HG_TASK_DEP_SEARCH,   HG_TASK_DEP_SEARCH,
                                       HG_TASK_FUNC_LOCALIZE, HG_TASK_FUNC_LOCALIZE, HG_TASK_FUNC_GEN,
                                       HG_TASK_FUNC_GEN,      HG_TASK_ISSUE_LOCALIZE};
  HgSynthOptions opt;
  hg_synth_defaults(&opt, TASK[which]);
  opt.allow_unpinned = 1;
  switch ((Synth)which) {
  case S_PINNED: (void)hg_synth_check_pinned(ix, &opt, harness_devnull); return;
  case S_DEP_WIDE:
    opt.allow_private = opt.allow_ambiguous = opt.allow_unresolved = opt.count_bare_decorators = 1;
    opt.per_repo = 0;
    opt.max_deps = 64;
    opt.exclude_tests = 0;
    break;
  case S_LOC_MULTI: opt.multi = 1; break;
  case S_GEN_WIDE:
    opt.max_lines = 0;
    opt.exclude_tests = 0;
    opt.count_bare_decorators = 1;
    break;
  case S_ISSUE:
    rewind(issues_in);
    opt.input = issues_in;
    opt.input_name = "issues";
    break;
  default: break;
  }
  HgSynthStats st;
  char err[256];
  (void)hg_synth_run(ix, &opt, harness_devnull, &st, err, sizeof err);
}

static void run_index(const uint8_t *data, size_t size) {
  HgIndex *ix = harness_open(data, size);
  if (!ix) return;
  issues_len = 0;
  harness_query("issue rows", make_issues, ix, 0);
  if (!issues_len) issues[issues_len++] = '\n'; /* no repository: one blank line */
  issues_in = fmemopen(issues, issues_len, "r");
  if (!issues_in) abort();
  /* stdio would allocate the stream's buffer on the first read, inside the query */
  static char in_buf[1 << 12];
  setvbuf(issues_in, in_buf, _IOFBF, sizeof in_buf);
  for (int s = 0; s < S_COUNT; s++) harness_query(SYNTH_NAMES[s], run_synth, ix, s);
  fclose(issues_in);
  hg_index_close(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  harness_each_form(data, size, run_index);
  return 0;
}

/* hgym-synth: Hybrid-Gym task rows from an index (docs/tasks/). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/numarg.h"
#include "queries/synth.h"
#include "store/reader.h"

static const char USAGE[] =
    "Usage: hgym-synth -i INDEX TASK [OPTIONS] -o OUT.jsonl\n"
    "\n"
    "Write Hybrid-Gym task rows (JSONL, 0-indexed lines) chosen from an index.\n"
    "\n"
    "Tasks:\n"
    "  dep_search      functions with their exact dependency sets (default: public names,\n"
    "                  1 to 5 dependencies, none ambiguous or an @overload stub, no call\n"
    "                  that resolves nowhere, no two within 5 lines of one file; at most 20\n"
    "                  a repository, sampled round-robin across dependency counts)\n"
    "  func_localize   functions and classes whose first statement is their docstring, with\n"
    "                  a description from its first sentence (--multi: groups of 2-3)\n"
    "  func_gen        top-level functions and methods to re-implement from signature and\n"
    "                  docstring (a parameter, a return, more than two statements, at most\n"
    "                  --max-lines lines, not trivial), with the file and its imports\n"
    "  issue_localize  gold files and functions for issue rows {repo, base_commit,\n"
    "                  problem_statement, patch} read from --input\n"
    "\n"
    "Options:\n"
    "  -i, --index FILE        the index (required)\n"
    "  -o, --output FILE       the rows (default: stdout)\n"
    "  -r, --repo NAME         only this repository\n"
    "      --input FILE        issue_localize: the issue rows (JSONL; - for stdin)\n"
    "      --include-tests     also take targets in test files (test_*.py, *_test.py,\n"
    "                          conftest.py, tests/ and test/ directories); default: excluded\n"
    "      --min-lines N       targets of at least N lines (def line to last body line)\n"
    "      --max-lines N       targets of at most N lines (func_gen default 25)\n"
    "      --per-repo N        at most N rows a repository (dep_search default 20; 0: no cap)\n"
    "      --max-instances N   at most N rows in all\n"
    "      --seed N            sampling seed (default 0): the same seed gives the same bytes\n"
    "      --min-deps N        dep_search: at least N dependencies (default 1)\n"
    "      --max-deps N        dep_search: at most N dependencies (default 5)\n"
    "      --allow-ambiguous   dep_search: keep targets with an ambiguous dependency\n"
    "      --allow-private     dep_search: keep targets whose name starts with _\n"
    "      --allow-unresolved  dep_search: keep targets with calls that resolve nowhere\n"
    "                          (their dependencies may be incomplete; rows count them in\n"
    "                          num_unresolved_calls)\n"
    "      --count-bare-decorators\n"
    "                          dep_search, func_gen: a bare decorator @d counts as a call of d\n"
    "                          (by default only call expressions do, @d(...) included)\n"
    "      --multi             func_localize: rows of 2-3 targets from different files\n"
    "      --allow-unpinned    write rows whose repository is not owner/name or whose commit\n"
    "                          is not a full SHA (Hybrid-Gym clones github.com/{repo} at\n"
    "                          base_commit: such rows cannot be cloned); without it they are\n"
    "                          refused with the reason (exit 2; issue_localize: the row is dropped)\n"
    "  -q, --quiet             no summary on stderr\n"
    "  -h, --help              show this help\n"
    "\n"
    "A summary goes to stderr: candidates seen, kept, the count dropped by each filter, and\n"
    "the histogram of dependency counts.\n"
    "\n"
    "Exit status:\n"
    "  0  rows written (possibly none)\n"
    "  1  the repository asked for is not in the index\n"
    "  2  usage error, or a repository that is not pinned without --allow-unpinned\n"
    "  3  the index or the input cannot be read\n"
    "  4  internal failure (the output could not be written)\n";

static int hg_cli__usage_error(const char *msg) {
  fprintf(stderr, "hgym-synth: %s\n(hgym-synth --help shows the usage)\n", msg);
  return HG_EXIT_USAGE;
}

/* A number option: range-checked (base/numarg.h); -1 after the message. */
static int hg_cli__parse_u64(const char *opt, const char *s, uint64_t max, uint64_t *out) {
  if (hg_parse_uint(s, 0, max, out) == 0) return 0;
  char msg[256];
  hg_numarg_error(msg, sizeof msg, opt, s, 0, max, 0);
  fprintf(stderr, "hgym-synth: %s\n", msg);
  return -1;
}

static int hg_cli__parse_u32(const char *opt, const char *s, uint32_t *out) {
  uint64_t v;
  if (hg_cli__parse_u64(opt, s, UINT32_MAX, &v)) return -1;
  *out = (uint32_t)v;
  return 0;
}

/* The TASK operand: the first argument that is neither an option nor the
 * value of one (so `-i dep_search` names an index, not the task); NULL when
 * there is none. */
static const char *hg_cli__task_operand(int argc, char **argv, const struct option *longopts) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) return i + 1 < argc ? argv[i + 1] : NULL;
    if (a[0] != '-' || !a[1]) return a;
    if (a[1] == '-') {
      if (strchr(a, '=')) continue;
      /* getopt_long takes an unambiguous prefix: --ind FILE */
      const struct option *hit = NULL;
      size_t n = strlen(a + 2);
      for (const struct option *o = longopts; o->name; o++)
        if (!strncmp(a + 2, o->name, n) && (!hit || !o->name[n])) hit = o;
      if (hit && hit->has_arg == required_argument) i++;
    } else {
      /* a cluster such as -qi FILE: a value follows the first of i, o, r, in
       * the cluster when it ends the cluster */
      const char *v = a + 1 + strcspn(a + 1, "ior");
      if (*v && !v[1]) i++;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  enum {
    O_INPUT = 256,
    O_TESTS,
    O_MINL,
    O_MAXL,
    O_PER,
    O_MAXI,
    O_SEED,
    O_MIND,
    O_MAXD,
    O_AMB,
    O_PRIV,
    O_MULTI,
    O_BARE,
    O_UNPIN,
    O_UNRES,
    O_LAST_
  };
  static const struct option longopts[] = {{"index", required_argument, 0, 'i'},
                                           {"output", required_argument, 0, 'o'},
                                           {"repo", required_argument, 0, 'r'},
                                           {"input", required_argument, 0, O_INPUT},
                                           {"include-tests", no_argument, 0, O_TESTS},
                                           {"min-lines", required_argument, 0, O_MINL},
                                           {"max-lines", required_argument, 0, O_MAXL},
                                           {"per-repo", required_argument, 0, O_PER},
                                           {"max-instances", required_argument, 0, O_MAXI},
                                           {"seed", required_argument, 0, O_SEED},
                                           {"min-deps", required_argument, 0, O_MIND},
                                           {"max-deps", required_argument, 0, O_MAXD},
                                           {"allow-ambiguous", no_argument, 0, O_AMB},
                                           {"allow-private", no_argument, 0, O_PRIV},
                                           {"multi", no_argument, 0, O_MULTI},
                                           {"count-bare-decorators", no_argument, 0, O_BARE},
                                           {"allow-unpinned", no_argument, 0, O_UNPIN},
                                           {"allow-unresolved", no_argument, 0, O_UNRES},
                                           {"quiet", no_argument, 0, 'q'},
                                           {"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
  if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
    fputs(USAGE, stdout);
    return HG_EXIT_OK;
  }
  /* The task decides the defaults: find it first. */
  const char *task_arg = hg_cli__task_operand(argc, argv, longopts);
  if (!task_arg) return hg_cli__usage_error("missing TASK (dep_search, func_localize, func_gen or issue_localize)");
  HgTask task = HG_TASK_DEP_SEARCH;
  int have_task = 0;
  for (int t = 0; t <= HG_TASK_ISSUE_LOCALIZE && !have_task; t++)
    if (!strcmp(task_arg, hg_task_name((HgTask)t))) task = (HgTask)t, have_task = 1;
  if (!have_task) {
    char msg[300];
    snprintf(msg, sizeof msg, "unknown task '%.200s' (dep_search, func_localize, func_gen or issue_localize)",
             task_arg);
    return hg_cli__usage_error(msg);
  }
  HgSynthOptions opt;
  hg_synth_defaults(&opt, task);
  const char *index_path = NULL, *out_path = NULL, *repo = NULL, *input = NULL;
  int quiet = 0, c;
  /* An option that takes a value takes one: given twice, it is an error. */
  unsigned char seen[O_LAST_] = {0};
  int idx;
  while ((c = getopt_long(argc, argv, "i:o:r:qh", longopts, &idx)) != -1) {
    int bad = 0;
    if (c > 0 && c < O_LAST_ && optarg && seen[c]++) {
      char msg[128];
      if (c < 256)
        snprintf(msg, sizeof msg, "-%c is given twice", c);
      else
        snprintf(msg, sizeof msg, "--%s is given twice", longopts[idx].name);
      return hg_cli__usage_error(msg);
    }
    switch (c) {
    case 'i': index_path = optarg; break;
    case 'o': out_path = optarg; break;
    case 'r': repo = optarg; break;
    case O_INPUT: input = optarg; break;
    case O_TESTS: opt.exclude_tests = 0; break;
    case O_MINL: bad = hg_cli__parse_u32("--min-lines", optarg, &opt.min_lines); break;
    case O_MAXL: bad = hg_cli__parse_u32("--max-lines", optarg, &opt.max_lines); break;
    case O_PER: bad = hg_cli__parse_u32("--per-repo", optarg, &opt.per_repo); break;
    case O_MAXI: bad = hg_cli__parse_u64("--max-instances", optarg, UINT64_MAX, &opt.max_instances); break;
    case O_SEED: bad = hg_cli__parse_u64("--seed", optarg, UINT64_MAX, &opt.seed); break;
    case O_MIND: bad = hg_cli__parse_u32("--min-deps", optarg, &opt.min_deps); break;
    case O_MAXD: bad = hg_cli__parse_u32("--max-deps", optarg, &opt.max_deps); break;
    case O_AMB: opt.allow_ambiguous = 1; break;
    case O_PRIV: opt.allow_private = 1; break;
    case O_MULTI: opt.multi = 1; break;
    case O_BARE: opt.count_bare_decorators = 1; break;
    case O_UNPIN: opt.allow_unpinned = 1; break;
    case O_UNRES: opt.allow_unresolved = 1; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(USAGE, stdout); return HG_EXIT_OK;
    default: fputs(USAGE, stderr); return HG_EXIT_USAGE;
    }
    if (bad) return HG_EXIT_USAGE;
  }
  for (int i = optind, task_seen = 0; i < argc; i++)
    if (strcmp(argv[i], hg_task_name(task)) != 0 || task_seen++) {
      char msg[300];
      snprintf(msg, sizeof msg, "unexpected argument '%s'", argv[i]);
      return hg_cli__usage_error(msg);
    }
  if (!index_path) return hg_cli__usage_error("missing -i INDEX");
  if (opt.min_deps > opt.max_deps) return hg_cli__usage_error("--min-deps is above --max-deps");
  if (opt.max_lines && opt.min_lines > opt.max_lines) return hg_cli__usage_error("--min-lines is above --max-lines");
  if (opt.multi && task != HG_TASK_FUNC_LOCALIZE) return hg_cli__usage_error("--multi applies to func_localize");
  if ((task == HG_TASK_ISSUE_LOCALIZE) != (input != NULL))
    return hg_cli__usage_error(input ? "--input applies to issue_localize" : "issue_localize needs --input FILE");
  hg_index_set_program("hgym-synth");
  HgIndex *ix;
  char err[1024];
  HgStatus s = hg_index_open(index_path, &ix, err, sizeof err);
  if (s != HG_OK) {
    fprintf(stderr, "hgym-synth: %s\n", err);
    return hg_exit_code(s);
  }
  if (repo) {
    opt.repo = hg_index_find_repo(ix, repo);
    if (opt.repo < 0) {
      fprintf(stderr, "hgym-synth: repository '%s' is not in %s\n", repo, index_path);
      hg_index_close(ix);
      return HG_EXIT_NOT_FOUND;
    }
  }
  if (task != HG_TASK_ISSUE_LOCALIZE && !opt.allow_unpinned && hg_synth_check_pinned(ix, &opt, stderr)) {
    hg_index_close(ix);
    return HG_EXIT_USAGE; /* nothing written: the output is not even created */
  }
  if (input) {
    opt.input = strcmp(input, "-") ? fopen(input, "r") : stdin;
    opt.input_name = input;
    if (!opt.input) {
      fprintf(stderr, "hgym-synth: %s: cannot open the input\n", input);
      hg_index_close(ix);
      return HG_EXIT_INPUT;
    }
  }
  FILE *out = out_path ? fopen(out_path, "w") : stdout;
  if (!out) {
    fprintf(stderr, "hgym-synth: %s: cannot write\n", out_path);
    hg_index_close(ix);
    return HG_EXIT_INTERNAL;
  }
  HgSynthStats st;
  s = hg_synth_run(ix, &opt, out, &st, err, sizeof err);
  hg_index_check_all(); /* the index shrank under its mapping: exit 3 (store/reader.h) */
  int close_failed;
  if (out == stdout)
    close_failed = fflush(out) != 0;
  else
    close_failed = fclose(out) != 0;
  if (opt.input && opt.input != stdin) fclose(opt.input);
  hg_index_close(ix);
  if (s != HG_OK || close_failed) {
    fprintf(stderr, "hgym-synth: %s\n", s != HG_OK ? err : "cannot write the output");
    return HG_EXIT_INTERNAL;
  }
  if (!quiet) {
    hg_synth_summary(stderr, &opt, &st);
    if (out_path) fprintf(stderr, "hgym-synth: %llu rows -> %s\n", (unsigned long long)st.rows, out_path);
  }
  return HG_EXIT_OK;
}

/* hgym-index: build an index from Python repositories (docs/CLI.md). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/numarg.h"
#include "index/batch.h"
#include "store/merge.h"
#include "store/writer.h"

static const char USAGE[] =
    "Usage: hgym-index [OPTIONS] REPO_DIR... -o OUT\n"
    "       hgym-index [OPTIONS] --manifest FILE -o OUT\n"
    "       hgym-index merge INDEX... -o OUT\n"
    "\n"
    "Index every .py file of each repository into the index OUT, resolving imports and\n"
    "calls per repository.  Repositories are indexed in parallel, each written as a part\n"
    "under OUT.parts/ and then merged in the order given, so OUT does not depend on\n"
    "--jobs; a run that was stopped continues with --resume.  `merge` combines indexes\n"
    "built apart (shards) in the order given.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      index to write (atomically: temporary file, fsync, rename)\n"
    "  -m, --manifest FILE    repositories to index, one a line: `path [name [commit [root]]]`\n"
    "                         (- for a default name or commit); blank lines and # comments\n"
    "                         are ignored; - reads stdin\n"
    "      --name NAME        repository name (one REPO_DIR only; default: owner/name of the\n"
    "                         checkout's GitHub origin remote, else the directory's name)\n"
    "      --commit SHA       its commit (one REPO_DIR only; default: the checkout's HEAD, if any)\n"
    "      --root DIR         the checkout root REPO_DIR lies in (one REPO_DIR only): paths are\n"
    "                         relative to it; default: REPO_DIR when it holds .git, else the\n"
    "                         nearest checkout above it that tracks it, else REPO_DIR\n"
    "  -j, --jobs N           worker threads, 1 to 4096 (default: all cores)\n"
    "      --resume           keep the parts of an earlier, stopped run of the same command\n"
    "      --keep-parts       keep OUT.parts/ after the merge\n"
    "      --report FILE      write a JSONL report: a line per repository (status, counts,\n"
    "                         seconds) and per diagnostic\n"
    "      --max-file-size N  skip and report files larger than N bytes (default 16M;\n"
    "                         suffixes K, M, G; from 1 to 4G)\n"
    "      --max-files N      index at most N files per repository (default 200000)\n"
    "      --parse-timeout S  stop parsing a file after S seconds and skip it (default 60;\n"
    "                         0: no limit)\n"
    "      --diagnostics      print every diagnostic to stderr as path:line:col: severity: message\n"
    "  -q, --quiet            no progress and no summary\n"
    "  -h, --help             show this help\n"
    "\n"
    "Progress goes to stderr: a bar when it is a terminal, a line per repository otherwise.\n"
    "\n"
    "Exit status:\n"
    "  0  the index was written (files with syntax errors are indexed as far as they parse)\n"
    "  2  usage error, also: OUT is not a regular file (a device, FIFO, socket, directory\n"
    "     or symbolic link), OUT.parts/ is not hgym's, or another run holds OUT.lock\n"
    "  3  input error: a repository could not be read, or an input index is damaged\n"
    "     (the other repositories are indexed and written)\n"
    "  4  internal failure: out of memory, or OUT, a part or the report could not be\n"
    "     written (OUT is then left as it was)\n";

/* A number option: range-checked (base/numarg.h); a refused value is a usage error. */
static int hg_cli__number(const char *opt, const char *s, uint64_t min, uint64_t max, int size, uint64_t *out) {
  if ((size ? hg_parse_size(s, min, max, out) : hg_parse_uint(s, min, max, out)) == 0) return 0;
  char msg[256];
  hg_numarg_error(msg, sizeof msg, opt, s, min, max, size);
  fprintf(stderr, "hgym-index: %s\n", msg);
  return -1;
}

enum {
  OPT_NAME = 256,
  OPT_COMMIT,
  OPT_ROOT,
  OPT_MAXSIZE,
  OPT_MAXFILES,
  OPT_DIAG,
  OPT_RESUME,
  OPT_KEEP,
  OPT_REPORT,
  OPT_TIMEOUT,
  OPT_LAST_,
  HG_MAX_JOBS = 4096, /* threads; more than the repositories are never started anyway */
};
/* The analyzer takes files below 4 GiB (facts count bytes in 32 bits). */
#define HG_MAX_FILE_LIMIT ((uint64_t)4 << 30)

/* "--name" or "-o" for an option's code, for messages. */
static const char *hg_cli__option_name(const struct option *longopts, int code) {
  static char buf[64];
  for (const struct option *o = longopts; o->name; o++)
    if (o->val == code) {
      snprintf(buf, sizeof buf, "--%s", o->name);
      return buf;
    }
  snprintf(buf, sizeof buf, "-%c", code);
  return buf;
}

static int hg_cli__usage_error(const char *msg) {
  fprintf(stderr, "hgym-index: %s\n(hgym-index --help shows the usage)\n", msg);
  return HG_EXIT_USAGE;
}

/* hgym-index merge INDEX... -o OUT, OUT locked. */
static int hg_cli__merge(char *const *inputs, uint32_t n, const char *output, int quiet) {
  char err[1024];
  HgStatus st = hg_merge_indexes(inputs, n, output, err, sizeof err);
  if (st != HG_OK) {
    fprintf(stderr, "hgym-index: merge: %s\n", err);
    /* an input that cannot be read is 3; OUT that cannot be written is 4 */
    if (st == HG_ERR_FORMAT || st == HG_ERR_INPUT || (st == HG_ERR_IO && strstr(err, "cannot open index")))
      return HG_EXIT_INPUT;
    return st == HG_ERR_USAGE ? HG_EXIT_USAGE : HG_EXIT_INTERNAL;
  }
  if (!quiet) fprintf(stderr, "hgym-index: merged %u indexes -> %s\n", n, output);
  return HG_EXIT_OK;
}

/* hgym-index REPO_DIR... or --manifest FILE, -o OUT, OUT locked. */
static int hg_cli__index(HgBatchOptions *opt, char *const *dirs, int ndirs, const char *manifest, const char *name,
                         const char *commit, const char *root, const char *report, const char *output, int quiet) {
  char err[1024];
  HgRepoList list = {0};
  HgStatus st = HG_OK;
  if (manifest)
    st = hg_manifest_read(manifest, &list, err, sizeof err);
  else
    for (int i = 0; i < ndirs && st == HG_OK; i++)
      st = hg_repo_list_add(&list, dirs[i], name, commit, root, 0, err, sizeof err);
  if (st == HG_OK) st = hg_repo_list_check(&list, err, sizeof err);
  if (st != HG_OK) {
    fprintf(stderr, "hgym-index: %s\n", err);
    hg_repo_list_free(&list);
    return hg_exit_code(st);
  }
  if (report) {
    opt->report = fopen(report, "w");
    if (!opt->report) {
      fprintf(stderr, "hgym-index: %s: cannot write report: %s\n", report, strerror(errno));
      hg_repo_list_free(&list);
      return HG_EXIT_USAGE;
    }
  }
  opt->progress = quiet ? HG_PROGRESS_NONE : isatty(STDERR_FILENO) ? HG_PROGRESS_BAR : HG_PROGRESS_LINES;
  HgBatchStats bs;
  st = hg_batch_index(&list, output, opt, &bs, err, sizeof err);
  /* The report is written through (a FIFO or /dev/stdout works); a write that
   * failed is an internal failure, whatever became of OUT. */
  int report_failed = 0;
  if (opt->report) {
    int e = bs.report_errno;
    if (fclose(opt->report) != 0 && !e) e = errno ? errno : EIO;
    if (e) {
      fprintf(stderr, "hgym-index: %s: cannot write the report: %s\n", report, strerror(e));
      report_failed = 1;
    }
  }
  hg_repo_list_free(&list);
  if (st == HG_ERR_USAGE) { /* OUT.parts/ is not hgym's */
    fprintf(stderr, "hgym-index: %s\n", err);
    return HG_EXIT_USAGE;
  }
  if (st != HG_OK && st != HG_ERR_INPUT) {
    fprintf(stderr, "hgym-index: %s\n", err);
    return HG_EXIT_INTERNAL; /* OUT or its parts could not be written */
  }
  if (report_failed) return HG_EXIT_INTERNAL;
  if (!quiet) {
    const HgRepoStats *t = &bs.total;
    fprintf(stderr,
            "hgym-index: %u repositor%s (%u indexed, %u resumed, %u failed), %u files, %llu definitions, "
            "%u with syntax errors, %u skipped, %llu call sites (%llu in repository, %llu unresolved), "
            "%.2f s (%.1f MB/s) -> %s\n",
            bs.repos, bs.repos == 1 ? "y" : "ies", bs.indexed, bs.resumed, bs.failed, t->files,
            (unsigned long long)t->defs, t->with_errors, t->skipped, (unsigned long long)t->resolve.calls,
            (unsigned long long)t->resolve.repo, (unsigned long long)t->resolve.unresolved, bs.seconds,
            bs.seconds > 0 ? (double)t->bytes / 1e6 / bs.seconds : 0.0, output);
  }
  return hg_exit_code(st);
}

int main(int argc, char **argv) {
  hg_memory_keep_freed();
  /* A write past RLIMIT_FSIZE, or to a report pipe whose reader is gone,
   * fails with EFBIG or EPIPE and is reported (exit 4) instead of killing
   * the run: the parts written so far stay for --resume. */
  signal(SIGXFSZ, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  static const struct option longopts[] = {{"output", required_argument, 0, 'o'},
                                           {"manifest", required_argument, 0, 'm'},
                                           {"name", required_argument, 0, OPT_NAME},
                                           {"commit", required_argument, 0, OPT_COMMIT},
                                           {"root", required_argument, 0, OPT_ROOT},
                                           {"jobs", required_argument, 0, 'j'},
                                           {"resume", no_argument, 0, OPT_RESUME},
                                           {"keep-parts", no_argument, 0, OPT_KEEP},
                                           {"report", required_argument, 0, OPT_REPORT},
                                           {"max-file-size", required_argument, 0, OPT_MAXSIZE},
                                           {"max-files", required_argument, 0, OPT_MAXFILES},
                                           {"parse-timeout", required_argument, 0, OPT_TIMEOUT},
                                           {"diagnostics", no_argument, 0, OPT_DIAG},
                                           {"quiet", no_argument, 0, 'q'},
                                           {"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
  HgBatchOptions opt;
  hg_batch_options_default(&opt);
  const char *output = NULL, *manifest = NULL, *name = NULL, *commit = NULL, *root = NULL, *report = NULL;
  int quiet = 0, c;
  int merge = argc > 1 && strcmp(argv[1], "merge") == 0;
  if (merge) optind = 2;
  /* Every option that takes a value takes one: given twice, it is an error
   * rather than the last one silently winning. */
  unsigned char seen[OPT_LAST_] = {0};
  while ((c = getopt_long(argc, argv, "o:m:j:qh", longopts, NULL)) != -1) {
    if (c > 0 && c < OPT_LAST_ && optarg && seen[c]++) {
      char msg[128];
      snprintf(msg, sizeof msg, "%s is given twice", hg_cli__option_name(longopts, c));
      return hg_cli__usage_error(msg);
    }
    uint64_t v;
    switch (c) {
    case 'o': output = optarg; break;
    case 'm': manifest = optarg; break;
    case OPT_NAME: name = optarg; break;
    case OPT_COMMIT: commit = optarg; break;
    case OPT_ROOT: root = optarg; break;
    case 'j':
      if (hg_cli__number("--jobs", optarg, 1, HG_MAX_JOBS, 0, &v)) return HG_EXIT_USAGE;
      opt.jobs = (uint32_t)v;
      break;
    case OPT_RESUME: opt.resume = 1; break;
    case OPT_KEEP: opt.keep_parts = 1; break;
    case OPT_REPORT: report = optarg; break;
    case OPT_MAXSIZE:
      if (hg_cli__number("--max-file-size", optarg, 1, HG_MAX_FILE_LIMIT, 1, &opt.index.max_file_bytes))
        return HG_EXIT_USAGE;
      break;
    case OPT_MAXFILES:
      if (hg_cli__number("--max-files", optarg, 1, UINT32_MAX, 0, &v)) return HG_EXIT_USAGE;
      opt.index.max_files = (uint32_t)v;
      break;
    case OPT_TIMEOUT:
      if (hg_cli__number("--parse-timeout", optarg, 0, 86400, 0, &v)) return HG_EXIT_USAGE;
      opt.index.parse_budget_us = v * 1000000u;
      break;
    case OPT_DIAG: opt.index.diag_out = stderr; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(USAGE, stdout); return HG_EXIT_OK;
    default: fputs(USAGE, stderr); return HG_EXIT_USAGE;
    }
  }
  if (!output) return hg_cli__usage_error("missing -o OUT");
  char err[1024];
  /* OUT is replaced by a rename: a device, FIFO, socket, directory or symbolic
   * link there is refused before any work, never replaced. */
  if (hg_writer_check_target(output, err, sizeof err) != HG_OK) {
    fprintf(stderr, "hgym-index: %s\n", err);
    return HG_EXIT_USAGE;
  }
  if (merge && optind >= argc) return hg_cli__usage_error("merge: missing INDEX");
  int nrepos = argc - optind;
  if (!merge && manifest && nrepos) return hg_cli__usage_error("give REPO_DIR arguments or --manifest, not both");
  if (!merge && !manifest && nrepos < 1) return hg_cli__usage_error("missing REPO_DIR (or --manifest FILE)");
  if (!merge && (name || commit || root) && (manifest || nrepos > 1))
    return hg_cli__usage_error("--name, --commit and --root apply to one REPO_DIR");
  /* One writer of OUT at a time (OUT.lock): a second run refuses. */
  int lock_fd;
  HgStatus lst = hg_output_lock(output, &lock_fd, err, sizeof err);
  if (lst != HG_OK) {
    fprintf(stderr, "hgym-index: %s\n", err);
    return hg_exit_code(lst);
  }
  int code = merge ? hg_cli__merge(argv + optind, (uint32_t)nrepos, output, quiet)
                   : hg_cli__index(&opt, argv + optind, nrepos, manifest, name, commit, root, report, output, quiet);
  hg_output_unlock(output, lock_fd);
  return code;
}

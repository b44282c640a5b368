/* hgym-index: build an index from Python repositories (docs/CLI.md). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index/batch.h"
#include "store/merge.h"

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
    "  -j, --jobs N           worker threads (default: all cores)\n"
    "      --resume           keep the parts of an earlier, stopped run of the same command\n"
    "      --keep-parts       keep OUT.parts/ after the merge\n"
    "      --report FILE      write a JSONL report: a line per repository (status, counts,\n"
    "                         seconds) and per diagnostic\n"
    "      --max-file-size N  skip and report files larger than N bytes (default 16M;\n"
    "                         suffixes K, M, G)\n"
    "      --max-files N      index at most N files per repository (default 200000)\n"
    "      --diagnostics      print every diagnostic to stderr as path:line:col: severity: message\n"
    "  -q, --quiet            no progress and no summary\n"
    "  -h, --help             show this help\n"
    "\n"
    "Progress goes to stderr: a bar when it is a terminal, a line per repository otherwise.\n"
    "\n"
    "Exit status:\n"
    "  0  the index was written (files with syntax errors are indexed as far as they parse)\n"
    "  2  usage error\n"
    "  3  input error: a repository could not be read, or an input index is damaged\n"
    "     (the other repositories are indexed and written)\n"
    "  4  internal failure (out of memory, the index could not be written)\n";

static int hg_cli__parse_size(const char *s, uint64_t *out) {
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (end == s) return -1;
  switch (*end) {
  case 'k':
  case 'K':
    v <<= 10;
    end++;
    break;
  case 'm':
  case 'M':
    v <<= 20;
    end++;
    break;
  case 'g':
  case 'G':
    v <<= 30;
    end++;
    break;
  default: break;
  }
  if (*end) return -1;
  *out = v;
  return 0;
}

static int hg_cli__parse_count(const char *opt, const char *s, uint32_t *out) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*end || end == s || v == 0 || v > UINT32_MAX) {
    fprintf(stderr, "hgym-index: %s: not a positive count: %s\n", opt, s);
    return -1;
  }
  *out = (uint32_t)v;
  return 0;
}

static int hg_cli__usage_error(const char *msg) {
  fprintf(stderr, "hgym-index: %s\n(hgym-index --help shows the usage)\n", msg);
  return HG_EXIT_USAGE;
}

int main(int argc, char **argv) {
  hg_memory_keep_freed();
  enum { OPT_NAME = 256, OPT_COMMIT, OPT_ROOT, OPT_MAXSIZE, OPT_MAXFILES, OPT_DIAG, OPT_RESUME, OPT_KEEP, OPT_REPORT };
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
  while ((c = getopt_long(argc, argv, "o:m:j:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': output = optarg; break;
    case 'm': manifest = optarg; break;
    case OPT_NAME: name = optarg; break;
    case OPT_COMMIT: commit = optarg; break;
    case OPT_ROOT: root = optarg; break;
    case 'j':
      if (hg_cli__parse_count("--jobs", optarg, &opt.jobs)) return HG_EXIT_USAGE;
      break;
    case OPT_RESUME: opt.resume = 1; break;
    case OPT_KEEP: opt.keep_parts = 1; break;
    case OPT_REPORT: report = optarg; break;
    case OPT_MAXSIZE:
      if (hg_cli__parse_size(optarg, &opt.index.max_file_bytes)) {
        fprintf(stderr, "hgym-index: --max-file-size: not a size: %s\n", optarg);
        return HG_EXIT_USAGE;
      }
      break;
    case OPT_MAXFILES:
      if (hg_cli__parse_count("--max-files", optarg, &opt.index.max_files)) return HG_EXIT_USAGE;
      break;
    case OPT_DIAG: opt.index.diag_out = stderr; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(USAGE, stdout); return HG_EXIT_OK;
    default: fputs(USAGE, stderr); return HG_EXIT_USAGE;
    }
  }
  if (!output) return hg_cli__usage_error("missing -o OUT");
  char err[1024];
  if (merge) {
    if (optind >= argc) return hg_cli__usage_error("merge: missing INDEX");
    HgStatus st = hg_merge_indexes(argv + optind, (uint32_t)(argc - optind), output, err, sizeof err);
    if (st != HG_OK) {
      fprintf(stderr, "hgym-index: merge: %s\n", err);
      return hg_exit_code(st == HG_ERR_IO && strstr(err, "cannot open index") ? HG_ERR_INPUT : st);
    }
    if (!quiet) fprintf(stderr, "hgym-index: merged %d indexes -> %s\n", argc - optind, output);
    return HG_EXIT_OK;
  }
  int nrepos = argc - optind;
  if (manifest && nrepos) return hg_cli__usage_error("give REPO_DIR arguments or --manifest, not both");
  if (!manifest && nrepos < 1) return hg_cli__usage_error("missing REPO_DIR (or --manifest FILE)");
  if ((name || commit || root) && (manifest || nrepos > 1))
    return hg_cli__usage_error("--name, --commit and --root apply to one REPO_DIR");
  HgRepoList list = {0};
  HgStatus st = HG_OK;
  if (manifest)
    st = hg_manifest_read(manifest, &list, err, sizeof err);
  else
    for (int i = optind; i < argc && st == HG_OK; i++)
      st = hg_repo_list_add(&list, argv[i], name, commit, root, 0, err, sizeof err);
  if (st == HG_OK) st = hg_repo_list_check(&list, err, sizeof err);
  if (st != HG_OK) {
    fprintf(stderr, "hgym-index: %s\n", err);
    hg_repo_list_free(&list);
    return hg_exit_code(st);
  }
  if (report) {
    opt.report = fopen(report, "w");
    if (!opt.report) {
      fprintf(stderr, "hgym-index: %s: cannot write report\n", report);
      hg_repo_list_free(&list);
      return HG_EXIT_USAGE;
    }
  }
  opt.progress = quiet ? HG_PROGRESS_NONE : isatty(STDERR_FILENO) ? HG_PROGRESS_BAR : HG_PROGRESS_LINES;
  HgBatchStats bs;
  st = hg_batch_index(&list, output, &opt, &bs, err, sizeof err);
  if (opt.report) fclose(opt.report);
  hg_repo_list_free(&list);
  if (st != HG_OK && st != HG_ERR_INPUT) {
    fprintf(stderr, "hgym-index: %s\n", err);
    return HG_EXIT_INTERNAL; /* OUT or its parts could not be written */
  }
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

/* hgym-index: build an index from Python repositories (docs/CLI.md). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/builder.h"
#include "index/gitinfo.h"
#include "index/indexer.h"

static const char USAGE[] =
    "Usage: hgym-index [OPTIONS] REPO_DIR... -o OUT\n"
    "\n"
    "Index every .py file of each repository directory into the index OUT.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      index file to write (atomically: temporary file, fsync, rename)\n"
    "      --name NAME        repository name (one REPO_DIR only; default: the directory name)\n"
    "      --commit SHA       commit recorded for the repository (default: its git HEAD, if any)\n"
    "      --max-file-size N  skip and report files larger than N bytes (default 16777216;\n"
    "                         suffixes K, M, G)\n"
    "      --max-files N      index at most N files per repository (default 200000)\n"
    "      --diagnostics      print every diagnostic to stderr as path:line:col: severity: message\n"
    "  -q, --quiet            print no summary\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status:\n"
    "  0  the index was written (files with syntax errors are indexed as far as they parse)\n"
    "  2  usage error\n"
    "  3  a repository could not be read (the others are indexed and written)\n"
    "  4  internal failure (out of memory, the index could not be written)\n";

static int parse_size(const char *s, uint64_t *out) {
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (end == s) return -1;
  switch (*end) {
  case 'k': case 'K': v <<= 10; end++; break;
  case 'm': case 'M': v <<= 20; end++; break;
  case 'g': case 'G': v <<= 30; end++; break;
  default: break;
  }
  if (*end) return -1;
  *out = v;
  return 0;
}

static const char *base_name(const char *path, char *buf, size_t len) {
  char real[PATH_MAX];
  const char *p = realpath(path, real) ? real : path;
  const char *s = strrchr(p, '/');
  snprintf(buf, len, "%s", s && s[1] ? s + 1 : p);
  return buf;
}

int main(int argc, char **argv) {
  enum { OPT_NAME = 256, OPT_COMMIT, OPT_MAXSIZE, OPT_MAXFILES, OPT_DIAG };
  static const struct option longopts[] = {
      {"output", required_argument, 0, 'o'},    {"name", required_argument, 0, OPT_NAME},
      {"commit", required_argument, 0, OPT_COMMIT}, {"max-file-size", required_argument, 0, OPT_MAXSIZE},
      {"max-files", required_argument, 0, OPT_MAXFILES}, {"diagnostics", no_argument, 0, OPT_DIAG},
      {"quiet", no_argument, 0, 'q'},           {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  HgIndexOptions opt;
  hg_index_options_default(&opt);
  const char *output = NULL, *name = NULL, *commit = NULL;
  int quiet = 0, c;
  while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': output = optarg; break;
    case OPT_NAME: name = optarg; break;
    case OPT_COMMIT: commit = optarg; break;
    case OPT_MAXSIZE:
      if (parse_size(optarg, &opt.max_file_bytes)) {
        fprintf(stderr, "hgym-index: --max-file-size: not a size: %s\n", optarg);
        return HG_EXIT_USAGE;
      }
      break;
    case OPT_MAXFILES: {
      char *end;
      unsigned long v = strtoul(optarg, &end, 10);
      if (*end || end == optarg || v == 0 || v > UINT32_MAX) {
        fprintf(stderr, "hgym-index: --max-files: not a positive count: %s\n", optarg);
        return HG_EXIT_USAGE;
      }
      opt.max_files = (uint32_t)v;
      break;
    }
    case OPT_DIAG: opt.diag_out = stderr; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(USAGE, stdout); return HG_EXIT_OK;
    default: fputs(USAGE, stderr); return HG_EXIT_USAGE;
    }
  }
  int nrepos = argc - optind;
  if (!output || nrepos < 1) {
    fprintf(stderr, "hgym-index: %s\n%s", !output ? "missing -o OUT" : "missing REPO_DIR", USAGE);
    return HG_EXIT_USAGE;
  }
  if ((name || commit) && nrepos > 1) {
    fprintf(stderr, "hgym-index: --name and --commit apply to one REPO_DIR\n");
    return HG_EXIT_USAGE;
  }
  HgBuilder *b = hg_builder_new();
  if (!b) return HG_EXIT_INTERNAL;
  int exit_code = HG_EXIT_OK;
  HgRepoStats total = {0};
  for (int i = optind; i < argc; i++) {
    char nbuf[PATH_MAX], head[64];
    const char *rname = name ? name : base_name(argv[i], nbuf, sizeof nbuf);
    const char *rcommit = commit ? commit : (hg_git_head(argv[i], head, sizeof head) == 0 ? head : "");
    HgRepoStats st;
    HgStatus s = hg_index_repository(b, &opt, argv[i], rname, rcommit, &st);
    if (s != HG_OK) {
      fprintf(stderr, "hgym-index: %s: %s\n", argv[i], hg_status_str(s));
      exit_code = hg_exit_code(s);
      continue;
    }
    total.files += st.files;
    total.skipped += st.skipped;
    total.with_errors += st.with_errors;
    total.defs += st.defs;
    total.bytes += st.bytes;
    total.diags += st.diags;
    total.seconds += st.seconds;
  }
  char err[512];
  HgStatus ws = hg_builder_write(b, output, err, sizeof err);
  hg_builder_delete(b);
  if (ws != HG_OK) {
    fprintf(stderr, "hgym-index: %s\n", err);
    return HG_EXIT_INTERNAL;
  }
  if (!quiet)
    fprintf(stderr,
            "hgym-index: %d repositor%s, %u files, %llu definitions, %u files with syntax errors, "
            "%u skipped, %llu diagnostics, %.2f s (%.1f MB/s) -> %s\n",
            nrepos, nrepos == 1 ? "y" : "ies", total.files, (unsigned long long)total.defs, total.with_errors,
            total.skipped, (unsigned long long)total.diags, total.seconds,
            total.seconds > 0 ? (double)total.bytes / 1e6 / total.seconds : 0.0, output);
  return exit_code;
}

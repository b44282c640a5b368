/* hgym-query: answer questions from an index (docs/CLI.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "index/index.h"
#include "queries/listing.h"

static const char USAGE[] =
    "Usage: hgym-query -i INDEX [--repo NAME] COMMAND\n"
    "\n"
    "Commands (output is JSON, one object a line):\n"
    "  defs      every definition: file_path, module, name, qualname, type, line_start,\n"
    "            line_end, decorator_line, docstring_line_start/end, is_async, signature\n"
    "  files     every file indexed: path, module, is_package, has_syntax_error, counts\n"
    "  repos     the repositories in the index with their counts\n"
    "  diags     diagnostics: syntax errors, unreadable and skipped files\n"
    "  export    everything the index holds: a line per repository and per file\n"
    "\n"
    "Options:\n"
    "  -i, --index FILE   the index to read (required)\n"
    "  -r, --repo NAME    only this repository (default: all)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Lines are 0-indexed.\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  the repository asked for is not in the index\n"
    "  2  usage error\n"
    "  3  the index cannot be read: missing, truncated, corrupt or another version\n"
    "  4  internal failure (output could not be written)\n";

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"index", required_argument, 0, 'i'},
                                           {"repo", required_argument, 0, 'r'},
                                           {"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
  const char *index_path = NULL, *repo_name = NULL;
  int c;
  /* '+': options stop at the command, whose own arguments follow it. */
  while ((c = getopt_long(argc, argv, "+i:r:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'i': index_path = optarg; break;
    case 'r': repo_name = optarg; break;
    case 'h': fputs(USAGE, stdout); return HG_EXIT_OK;
    default: fputs(USAGE, stderr); return HG_EXIT_USAGE;
    }
  }
  if (!index_path || optind >= argc) {
    fprintf(stderr, "hgym-query: %s\n%s", !index_path ? "missing -i INDEX" : "missing COMMAND", USAGE);
    return HG_EXIT_USAGE;
  }
  const char *cmd = argv[optind];
  static const char *const known[] = {"defs", "files", "repos", "diags", "export"};
  int ok = 0;
  for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) ok |= strcmp(cmd, known[k]) == 0;
  if (!ok) {
    fprintf(stderr, "hgym-query: unknown command '%s'\n%s", cmd, USAGE);
    return HG_EXIT_USAGE;
  }
  HgIndex *ix;
  char err[512];
  HgStatus s = hg_index_open(index_path, &ix, err, sizeof err);
  if (s != HG_OK) {
    fprintf(stderr, "hgym-query: %s\n", err);
    return hg_exit_code(s);
  }
  int64_t repo = -1;
  if (repo_name) {
    repo = hg_index_find_repo(ix, repo_name);
    if (repo < 0) {
      fprintf(stderr, "hgym-query: repository '%s' is not in %s\n", repo_name, index_path);
      hg_index_close(ix);
      return HG_EXIT_NOT_FOUND;
    }
  }
  int rc;
  if (!strcmp(cmd, "defs")) rc = hg_query_defs(ix, repo, stdout);
  else if (!strcmp(cmd, "files")) rc = hg_query_files(ix, repo, stdout);
  else if (!strcmp(cmd, "repos")) rc = hg_query_repos(ix, stdout);
  else if (!strcmp(cmd, "diags")) rc = hg_query_diags(ix, repo, stdout);
  else rc = hg_query_export(ix, repo, stdout);
  hg_index_close(ix);
  if (rc != 0 || fflush(stdout) != 0) {
    fprintf(stderr, "hgym-query: cannot write output\n");
    return HG_EXIT_INTERNAL;
  }
  return HG_EXIT_OK;
}

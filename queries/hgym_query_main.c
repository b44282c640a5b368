/* hgym-query: answer questions from an index (docs/CLI.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/numarg.h"
#include "queries/deps.h"
#include "queries/jsonout.h"
#include "queries/listing.h"
#include "store/reader.h"

static const char USAGE[] =
    "Usage: hgym-query -i INDEX [--repo NAME] COMMAND [ARGS]\n"
    "\n"
    "Commands (output is JSON, one object a line):\n"
    "  deps [TARGET...]          each target's dependency set, in Hybrid-Gym's dep_search\n"
    "                            shape; with no TARGET, every function and method\n"
    "  deps --transitive [--depth N] TARGET...\n"
    "                            dependencies reached in up to N steps (default 2)\n"
    "       --count-bare-decorators\n"
    "                            deps: a bare decorator @d is a call of d (by default only\n"
    "                            call expressions count, decorator calls @d(...) included)\n"
    "  callers TARGET...         the definitions whose code calls each target\n"
    "  callgraph [--format pycg] the repository's call graph as PyCG's JSON adjacency list\n"
    "                            (one repository: give --repo when the index holds several)\n"
    "  imports FILE              each import of FILE and what it resolved to\n"
    "  defs                      every definition: file_path, module, name, qualname, type,\n"
    "                            line_start, line_end, decorator_line,\n"
    "                            docstring_line_start/end, is_async, signature\n"
    "  files                     every file indexed: path, module, flags, counts\n"
    "  repos                     the repositories in the index with their counts\n"
    "  stats                     call sites resolved in the repository, outside it, not at all\n"
    "  diags                     diagnostics: syntax errors, unreadable and skipped files\n"
    "  export                    everything the index holds: a line per repository and file\n"
    "  verify                    check every block of the index against its checksum\n"
    "\n"
    "A TARGET is FILE:QUALNAME (flask/app.py:Flask.run) or FILE:LINE (0-indexed line\n"
    "inside the definition), FILE relative to the repository root.  Lines are 0-indexed.\n"
    "\n"
    "Options:\n"
    "  -i, --index FILE   the index to read (required)\n"
    "  -r, --repo NAME    only this repository (default: all)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  a target, file or repository asked for is not in the index (the message names\n"
    "     the closest matches)\n"
    "  2  usage error\n"
    "  3  the index cannot be read: missing, truncated, corrupt or another version (a\n"
    "     damaged block met during a query stops it with this status)\n"
    "  4  internal failure (output could not be written)\n";

typedef struct {
  const char *name;
  int min_args, max_args; /* operands after the command (-1: any) */
} HgCommand;

static const HgCommand COMMANDS[] = {
    {"deps", 0, -1}, {"callers", 1, -1}, {"callgraph", 0, 0}, {"imports", 1, 1}, {"defs", 0, 0},   {"files", 0, 0},
    {"repos", 0, 0}, {"stats", 0, 0},    {"diags", 0, 0},     {"export", 0, 0},  {"verify", 0, 0},
};

static int hg_cli__usage_error(const char *msg) {
  fprintf(stderr, "hgym-query: %s\n(hgym-query --help shows the usage)\n", msg);
  return HG_EXIT_USAGE;
}

/* Run fn over the defs of every target; the first failure decides the exit code. */
static int hg_cli__for_targets(const HgIndex *ix, int64_t repo, char **targets, int n, int transitive, uint32_t depth,
                               unsigned flags, int callers) {
  int code = HG_EXIT_OK;
  for (int t = 0; t < n; t++) {
    uint32_t *defs, nd;
    char err[1024];
    HgStatus s = hg_target_find(ix, repo, targets[t], &defs, &nd, err, sizeof err);
    if (s != HG_OK) {
      fprintf(stderr, "hgym-query: %s\n", err);
      if (code == HG_EXIT_OK) code = hg_exit_code(s);
      continue;
    }
    for (uint32_t k = 0; k < nd; k++) {
      int rc = callers      ? hg_query_callers(ix, defs[k], stdout)
               : transitive ? hg_query_deps_transitive(ix, defs[k], depth, flags, stdout)
                            : hg_query_deps(ix, defs[k], flags, stdout);
      if (rc) {
        free(defs);
        return HG_EXIT_INTERNAL;
      }
    }
    free(defs);
  }
  return code;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"index", required_argument, 0, 'i'},
                                           {"repo", required_argument, 0, 'r'},
                                           {"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
  const char *index_path = NULL, *repo_name = NULL;
  int c;
  /* '+': options stop at the command, whose own arguments follow it.  An
   * option given twice is an error, not the last one winning. */
  while ((c = getopt_long(argc, argv, "+i:r:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'i':
      if (index_path) return hg_cli__usage_error("--index is given twice");
      index_path = optarg;
      break;
    case 'r':
      if (repo_name) return hg_cli__usage_error("--repo is given twice");
      repo_name = optarg;
      break;
    case 'h': fputs(USAGE, stdout); return HG_EXIT_OK;
    default: fputs(USAGE, stderr); return HG_EXIT_USAGE;
    }
  }
  if (!index_path) return hg_cli__usage_error("missing -i INDEX");
  if (optind >= argc) return hg_cli__usage_error("missing COMMAND");
  const char *cmd = argv[optind];
  char **args = argv + optind + 1;
  int nargs = argc - optind - 1;
  /* command options */
  int transitive = 0;
  unsigned deps_flags = 0;
  uint32_t depth = 2;
  const char *format = "pycg";
  int k = 0, w = 0, have_depth = 0, have_format = 0;
  for (; k < nargs; k++) {
    if (!strcmp(args[k], "--transitive") && !strcmp(cmd, "deps"))
      transitive = 1;
    else if (!strcmp(args[k], "--count-bare-decorators") && !strcmp(cmd, "deps"))
      deps_flags |= HG_DEPS_BARE_DECORATORS;
    else if (!strcmp(args[k], "--depth") && !strcmp(cmd, "deps") && k + 1 < nargs) {
      uint64_t v;
      if (have_depth++) return hg_cli__usage_error("--depth is given twice");
      if (hg_parse_uint(args[++k], 1, 1000, &v)) {
        char msg[256];
        hg_numarg_error(msg, sizeof msg, "--depth", args[k], 1, 1000, 0);
        return hg_cli__usage_error(msg);
      }
      depth = (uint32_t)v;
    } else if (!strcmp(args[k], "--format") && !strcmp(cmd, "callgraph") && k + 1 < nargs) {
      if (have_format++) return hg_cli__usage_error("--format is given twice");
      format = args[++k];
      if (strcmp(format, "pycg") != 0) return hg_cli__usage_error("callgraph --format: only pycg is known");
    } else if (!strcmp(args[k], "--repo") && k + 1 < nargs) {
      if (repo_name) return hg_cli__usage_error("--repo is given twice");
      repo_name = args[++k];
    } else if (args[k][0] == '-' && args[k][1] == '-') {
      char msg[256];
      snprintf(msg, sizeof msg, "%s: unknown option %s", cmd, args[k]);
      return hg_cli__usage_error(msg);
    } else {
      args[w++] = args[k];
    }
  }
  nargs = w;
  const HgCommand *command = NULL;
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    if (!strcmp(cmd, COMMANDS[i].name)) command = &COMMANDS[i];
  if (!command) {
    char msg[256];
    snprintf(msg, sizeof msg, "unknown command '%s'", cmd);
    return hg_cli__usage_error(msg);
  }
  if (nargs < command->min_args || (command->max_args >= 0 && nargs > command->max_args)) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s: wrong number of arguments", cmd);
    return hg_cli__usage_error(msg);
  }
  if (transitive && nargs == 0) return hg_cli__usage_error("deps --transitive needs a TARGET");

  hg_index_set_program("hgym-query");
  HgIndex *ix;
  char err[1024];
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
  int code = HG_EXIT_OK, rc = 0;
  if (!strcmp(cmd, "deps")) {
    if (nargs)
      code = hg_cli__for_targets(ix, repo, args, nargs, transitive, depth, deps_flags, 0);
    else
      rc = hg_query_deps_all(ix, repo, deps_flags, stdout);
  } else if (!strcmp(cmd, "callers")) {
    code = hg_cli__for_targets(ix, repo, args, nargs, 0, 0, 0, 1);
  } else if (!strcmp(cmd, "callgraph")) {
    if (repo < 0 && hg_index_count(ix, HG_SEC_REPOS) != 1) {
      fprintf(stderr, "hgym-query: callgraph: the index holds %llu repositories; choose one with --repo\n",
              (unsigned long long)hg_index_count(ix, HG_SEC_REPOS));
      code = HG_EXIT_USAGE;
    } else {
      rc = hg_query_callgraph_pycg(ix, repo < 0 ? 0 : (uint32_t)repo, stdout);
    }
  } else if (!strcmp(cmd, "imports")) {
    HgStatus is = hg_query_imports(ix, repo, args[0], stdout, err, sizeof err);
    if (is != HG_OK) {
      fprintf(stderr, "hgym-query: %s\n", err);
      code = hg_exit_code(is);
    }
  } else if (!strcmp(cmd, "defs"))
    rc = hg_query_defs(ix, repo, stdout);
  else if (!strcmp(cmd, "files"))
    rc = hg_query_files(ix, repo, stdout);
  else if (!strcmp(cmd, "repos"))
    rc = hg_query_repos(ix, stdout);
  else if (!strcmp(cmd, "stats"))
    rc = hg_query_stats(ix, repo, stdout);
  else if (!strcmp(cmd, "diags"))
    rc = hg_query_diags(ix, repo, stdout);
  else if (!strcmp(cmd, "verify")) {
    HgStatus vs = hg_index_verify(ix, err, sizeof err);
    if (vs != HG_OK)
      fprintf(stderr, "hgym-query: %s\n", err);
    else {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "index", index_path);
      cJSON_AddStringToObject(o, "status", "ok");
      rc = hg_json_println(stdout, o);
    }
    code = hg_exit_code(vs);
  } else
    rc = hg_query_export(ix, repo, stdout);
  hg_index_check_all(); /* a loop that read a count from a vanished page ended early: exit 3, not 0 */
  hg_index_close(ix);
  if (rc != 0 || fflush(stdout) != 0) {
    fprintf(stderr, "hgym-query: cannot write output\n");
    return HG_EXIT_INTERNAL;
  }
  return code;
}

#include "index/indexer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyzer/analyzer.h"
#include "base/alloc.h"
#include "base/crc32c.h"
#include "base/file.h"
#include "index/walk.h"
#include "resolve/modname.h"
#include "resolve/resolve.h"

void hg_index_options_default(HgIndexOptions *opt) {
  opt->max_file_bytes = 16u << 20;
  opt->max_files = 200000;
  opt->diag_out = NULL;
}

typedef struct {
  HgBuilder *b;
  const HgIndexOptions *opt;
  HgRepoStats *stats;
  char *err; /* the reason the repository cannot be read, for the caller */
  size_t errlen;
  const char *prefix; /* the analysed directory relative to the root, "" when it is the root */
  char *path;         /* scratch: prefix/relpath */
  size_t path_cap;
} HgReportCtx;

/* The path recorded for relpath (relative to the analysed directory): relative
 * to the repository's root.  Borrowed until the next call. */
static const char *hg_indexer__rooted(HgReportCtx *c, const char *relpath) {
  if (!c->prefix[0]) return relpath;
  size_t need = strlen(c->prefix) + strlen(relpath) + 2;
  if (need > c->path_cap) {
    c->path_cap = need * 2;
    c->path = hg_xrealloc(c->path, c->path_cap);
  }
  snprintf(c->path, c->path_cap, "%s%s%s", c->prefix, relpath[0] ? "/" : "", relpath);
  return c->path;
}

static void hg_indexer__report(void *vctx, const char *relpath, HgSeverity sev, const char *message) {
  HgReportCtx *c = vctx;
  if (!relpath[0] && sev == HG_SEV_ERROR && c->errlen) snprintf(c->err, c->errlen, "%s", message);
  const char *path = hg_indexer__rooted(c, relpath);
  hg_builder_add_diag(c->b, path, 0, 0, sev, message);
  c->stats->diags++;
  if (c->opt->diag_out) fprintf(c->opt->diag_out, "%s: %s: %s\n", path[0] ? path : ".", hg_severity_str(sev), message);
}

/* root/rel in *abs, grown as needed. */
static const char *hg_indexer__path(char **abs, size_t *cap, const char *root, size_t rootlen, const char *rel) {
  size_t need = rootlen + strlen(rel) + 2;
  if (need > *cap) {
    *cap = need * 2;
    char *na = hg_xrealloc(*abs, *cap);
    *abs = na;
  }
  snprintf(*abs, *cap, "%s/%s", root, rel);
  return *abs;
}

static double hg_indexer__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

HgStatus hg_index_repository(HgBuilder *b, const HgIndexOptions *opt, const char *root, const char *name,
                             const char *commit, HgRepoStats *stats, char *err, size_t errlen) {
  HgRepoLocation loc = {root, root, "", name, commit};
  return hg_index_repository_at(b, opt, &loc, stats, err, errlen);
}

HgStatus hg_index_repository_at(HgBuilder *b, const HgIndexOptions *opt, const HgRepoLocation *loc, HgRepoStats *stats,
                                char *err, size_t errlen) {
  memset(stats, 0, sizeof *stats);
  if (errlen) snprintf(err, errlen, "%s", hg_status_str(HG_ERR_IO));
  double t0 = hg_indexer__now();
  const char *root = loc->dir; /* what is read; loc->root is what is recorded */
  hg_builder_begin_repo(b, loc->name, loc->commit, loc->root);
  HgReportCtx rc = {b, opt, stats, err, errlen, loc->prefix ? loc->prefix : "", NULL, 0};
  HgFileList fl;
  HgStatus st = hg_walk_repo(root, &fl, hg_indexer__report, &rc);
  if (st != HG_OK) {
    free(rc.path);
    hg_builder_end_repo(b, 0);
    return st;
  }
  HgAnalyzer *an = hg_analyzer_new();
  HgArena *arena = hg_arena_new();
  if (!an) {
    free(rc.path);
    hg_file_list_free(&fl);
    hg_arena_delete(arena);
    hg_builder_end_repo(b, 0);
    if (errlen) snprintf(err, errlen, "cannot start the analyzer (out of memory, or a grammar of another ABI)");
    return HG_ERR_INTERNAL;
  }
  char *buf = NULL;
  size_t cap = 0;
  size_t rootlen = strlen(root);
  char *abs = NULL;
  size_t abscap = 0;
  int ahead = -1; /* file i, opened while file i - 1 was parsed */
  for (uint32_t i = 0; i < fl.n; i++) {
    const HgFileEntry *fe = &fl.files[i];
    char msg[160];
    if (i >= opt->max_files) {
      snprintf(msg, sizeof msg, "repository has more than %u files: %u not indexed", opt->max_files, fl.n - i);
      hg_indexer__report(&rc, fe->path, HG_SEV_WARNING, msg);
      stats->skipped += fl.n - i;
      break;
    }
    if (fe->size > opt->max_file_bytes) {
      snprintf(msg, sizeof msg, "file of %llu bytes exceeds the limit of %llu: not indexed",
               (unsigned long long)fe->size, (unsigned long long)opt->max_file_bytes);
      hg_indexer__report(&rc, fe->path, HG_SEV_WARNING, msg);
      stats->skipped++;
      continue;
    }
    size_t len = 0;
    int rd = ahead >= 0 ? hg_read_fd(ahead, &buf, &cap, &len)
                        : hg_read_file(hg_indexer__path(&abs, &abscap, root, rootlen, fe->path), &buf, &cap, &len);
    int read_errno = errno;
    ahead = -1;
    if (i + 1 < fl.n && i + 1 < opt->max_files && fl.files[i + 1].size <= opt->max_file_bytes)
      ahead = hg_open_ahead(
          hg_indexer__path(&abs, &abscap, root, rootlen, fl.files[i + 1].path)); /* read while this parses */
    if (rd != 0) {
      snprintf(msg, sizeof msg, "cannot read: %s", strerror(read_errno));
      hg_indexer__report(&rc, fe->path, HG_SEV_ERROR, msg);
      stats->unreadable++;
      stats->skipped++;
      continue;
    }
    HgFileFacts facts;
    hg_arena_reset(arena);
    hg_analyzer_run(an, buf, len, arena, &facts);
    char *module = hg_module_name(fe->path, fl.root_pkg, fl.src_package);
    size_t pl = strlen(fe->path);
    uint32_t flags = pl >= 11 && strcmp(fe->path + pl - 11, "__init__.py") == 0 ? HG_FILE_PACKAGE : 0;
    const char *path = hg_indexer__rooted(&rc, fe->path);
    hg_builder_add_file(b, path, module, flags, hg_crc32c(0, buf, len), &facts);
    free(module);
    stats->files++;
    stats->defs += facts.defs.len;
    stats->bytes += len;
    stats->lines += facts.n_lines;
    stats->diags += facts.diags.len;
    stats->with_errors += facts.has_error;
    stats->not_utf8 += facts.not_utf8;
    if (opt->diag_out)
      for (uint32_t k = 0; k < facts.diags.len; k++) hg_diag_print(opt->diag_out, path, &facts.diags.items[k]);
  }
  if (ahead >= 0) close(ahead); /* cannot be: the next file is opened only when it will be read */
  free(abs);
  free(rc.path);
  free(buf);
  hg_arena_delete(arena);
  hg_analyzer_delete(an);
  hg_file_list_free(&fl);
  uint32_t repo = (uint32_t)hg_builder_count(b, HG_SEC_REPOS) - 1;
  hg_builder_end_repo(b, stats->skipped);
  hg_resolve_repo(b, repo, &stats->resolve);
  stats->seconds = hg_indexer__now() - t0;
  return HG_OK;
}

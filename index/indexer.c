#include "index/indexer.h"

#include <errno.h>
#include <fcntl.h>
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
  opt->parse_budget_us = 60u * 1000000u;
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

static void hg_indexer__too_big(HgReportCtx *rc, const char *path, uint64_t size, uint64_t limit) {
  char msg[160];
  snprintf(msg, sizeof msg, "file of %llu bytes exceeds the limit of %llu: not indexed", (unsigned long long)size,
           (unsigned long long)limit);
  hg_indexer__report(rc, path, HG_SEV_WARNING, msg);
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
  if (an) hg_analyzer_set_parse_budget(an, opt->parse_budget_us);
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
  stats->skipped += fl.n_skipped; /* FIFOs, sockets, devices and over-long paths the walk reported */
  stats->sources = hg_walk_digest(&fl);
  /* file i + 1 is opened while file i is parsed */
  int ahead = -1, ahead_errno = 0;
  uint32_t ahead_of = UINT32_MAX;
  struct stat ahead_st;
  const char *ahead_why = NULL;
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
      hg_indexer__too_big(&rc, fe->path, fe->size, opt->max_file_bytes);
      stats->skipped++;
      continue;
    }
    /* Opened beneath the root held from the walk (never through a symbolic
     * link), refused unless it is still a regular file, and the limit
     * enforced on the open descriptor: the file may have changed since the
     * walk. */
    struct stat fst;
    const char *why = NULL;
    int fd;
    if (ahead_of == i) {
      fd = ahead;
      fst = ahead_st;
      why = ahead_why;
      errno = ahead_errno;
    } else {
      fd = hg_walk_open(&fl, i, &fst, &why);
    }
    int open_errno = errno;
    ahead = -1;
    ahead_of = UINT32_MAX;
    size_t len = 0;
    int rd = -1, read_errno = open_errno;
    if (fd >= 0 && (uint64_t)fst.st_size > opt->max_file_bytes) {
      close(fd);
      read_errno = EFBIG;
    } else if (fd >= 0) {
      rd = hg_read_fd_max(fd, opt->max_file_bytes, &buf, &cap, &len);
      read_errno = errno;
    }
    if (i + 1 < fl.n && i + 1 < opt->max_files && fl.files[i + 1].size <= opt->max_file_bytes) {
      ahead = hg_walk_open(&fl, i + 1, &ahead_st, &ahead_why); /* read while this parses */
      ahead_errno = errno;
      ahead_of = i + 1;
      if (ahead >= 0) (void)posix_fadvise(ahead, 0, 0, POSIX_FADV_WILLNEED); /* a hint: failure costs nothing */
    }
    if (rd != 0) {
      if (fd >= 0 && read_errno == EFBIG && (uint64_t)fst.st_size > opt->max_file_bytes) {
        hg_indexer__too_big(&rc, fe->path, (uint64_t)fst.st_size, opt->max_file_bytes);
      } else if (read_errno == EFBIG) {
        snprintf(msg, sizeof msg, "grew past the limit of %llu bytes while it was read: not indexed",
                 (unsigned long long)opt->max_file_bytes);
        hg_indexer__report(&rc, fe->path, HG_SEV_WARNING, msg);
      } else if (why) {
        snprintf(msg, sizeof msg, "%s when it was read: not indexed", why);
        hg_indexer__report(&rc, fe->path, HG_SEV_WARNING, msg);
      } else {
        snprintf(msg, sizeof msg, "cannot read: %s",
                 read_errno == ELOOP || read_errno == ENOTDIR
                     ? "its path now leads through a symbolic link (not followed)"
                     : strerror(read_errno));
        hg_indexer__report(&rc, fe->path, HG_SEV_ERROR, msg);
        stats->unreadable++;
      }
      stats->skipped++;
      continue;
    }
    HgFileFacts facts;
    hg_arena_reset(arena);
    if (hg_analyzer_run(an, buf, len, arena, &facts) != HG_OK) {
      /* refused: the reason is the analyzer's last diagnostic; nothing of
       * the file is added (its facts may come from a damaged tree) */
      const char *reason = facts.diags.len ? facts.diags.items[facts.diags.len - 1].message : "cannot be analyzed";
      hg_indexer__report(&rc, fe->path, HG_SEV_ERROR, reason);
      stats->skipped++;
      continue;
    }
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

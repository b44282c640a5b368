#include "index/walk.h"

#include "base/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *hg_walk__join(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *s = hg_xmalloc(la + lb + 2);
  memcpy(s, a, la);
  size_t o = la;
  if (la && lb) s[o++] = '/';
  memcpy(s + o, b, lb + 1);
  return s;
}

static int hg_walk__cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int hg_walk__cmp_entry(const void *a, const void *b) {
  return strcmp(((const HgFileEntry *)a)->path, ((const HgFileEntry *)b)->path);
}

static int hg_walk__skip_dir_name(const char *name) {
  return name[0] == '.' || strcmp(name, "__pycache__") == 0 || strcmp(name, "node_modules") == 0 ||
         strcmp(name, "site-packages") == 0;
}

static int hg_walk__ends_with_py(const char *name) {
  size_t n = strlen(name);
  return n > 3 && memcmp(name + n - 3, ".py", 3) == 0;
}

static void hg_walk__add(HgFileList *fl, char *rel, uint64_t size) {
  if (fl->n == fl->cap) {
    fl->cap = fl->cap ? fl->cap * 2 : 256;
    HgFileEntry *f = hg_xrealloc(fl->files, fl->cap * sizeof *f);
    fl->files = f;
  }
  fl->files[fl->n++] = (HgFileEntry){rel, size};
}

HgStatus hg_walk_repo(const char *root, HgFileList *out, HgWalkReport report, void *ctx) {
  memset(out, 0, sizeof *out);
  char real_root[PATH_MAX];
  if (!realpath(root, real_root)) {
    char msg[256];
    snprintf(msg, sizeof msg, "cannot open repository: %s", strerror(errno));
    if (report) report(ctx, "", HG_SEV_ERROR, msg);
    return HG_ERR_IO;
  }
  struct stat rs;
  if (stat(real_root, &rs) != 0 || !S_ISDIR(rs.st_mode)) {
    if (report) report(ctx, "", HG_SEV_ERROR, "repository is not a directory");
    return HG_ERR_IO;
  }
  size_t rootlen = strlen(real_root);
  /* Depth-first over directories with an explicit stack of relative paths. */
  char **stack = NULL;
  size_t sn = 0, scap = 0;
#define PUSH(p)                                                                                                        \
  do {                                                                                                                 \
    if (sn == scap) {                                                                                                  \
      scap = scap ? scap * 2 : 64;                                                                                     \
      stack = hg_xrealloc(stack, scap * sizeof(char *));                                                               \
    }                                                                                                                  \
    stack[sn++] = (p);                                                                                                 \
  } while (0)
  PUSH(hg_walk__join("", ""));
  while (sn) {
    char *rel = stack[--sn];
    char *abs = hg_walk__join(real_root, rel);
    DIR *d = opendir(abs);
    if (!d) {
      /* An unreadable subdirectory is reported and skipped; an unreadable
       * root means the repository could not be read at all. */
      int is_root = !rel[0];
      char msg[256];
      snprintf(msg, sizeof msg, "cannot read directory: %s", strerror(errno));
      if (report) report(ctx, rel, is_root ? HG_SEV_ERROR : HG_SEV_WARNING, msg);
      free(abs);
      free(rel);
      if (is_root) {
        free(stack);
        return HG_ERR_IO;
      }
      continue;
    }
    int dfd = dirfd(d);
    if (rel[0] && faccessat(dfd, "pyvenv.cfg", F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
      closedir(d);
      free(abs);
      free(rel);
      continue; /* a virtual environment */
    }
    char **names = NULL;
    size_t nn = 0, ncap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      if (nn == ncap) {
        ncap = ncap ? ncap * 2 : 64;
        char **n2 = hg_xrealloc(names, ncap * sizeof(char *));
        names = n2;
      }
      names[nn++] = strdup(e->d_name);
    }
    if (nn) qsort(names, nn, sizeof(char *), hg_walk__cmp_str);
    /* Push subdirectories in reverse so they pop in order. */
    for (size_t i = nn; i-- > 0;) {
      const char *name = names[i];
      struct stat st;
      char *child = hg_walk__join(rel, name);
      if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (report) report(ctx, child, HG_SEV_WARNING, strerror(errno));
        free(child);
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        if (!hg_walk__ends_with_py(name)) {
          free(child);
          continue; /* symlinked directories are never followed */
        }
        char *cabs = hg_walk__join(real_root, child);
        char target[PATH_MAX];
        int inside = realpath(cabs, target) && strncmp(target, real_root, rootlen) == 0 &&
                     (target[rootlen] == '/' || target[rootlen] == 0);
        free(cabs);
        if (!inside || stat(target, &st) != 0 || !S_ISREG(st.st_mode)) {
          if (report) report(ctx, child, HG_SEV_NOTE, "symlink leaves the repository or is dangling: not followed");
          free(child);
          continue;
        }
      }
      if (S_ISDIR(st.st_mode)) {
        if (hg_walk__skip_dir_name(name))
          free(child);
        else
          PUSH(child);
      } else if (S_ISREG(st.st_mode) && hg_walk__ends_with_py(name)) {
        hg_walk__add(out, child, (uint64_t)st.st_size);
      } else {
        free(child);
      }
    }
    for (size_t i = 0; i < nn; i++) free(names[i]);
    free(names);
    closedir(d);
    free(abs);
    free(rel);
  }
#undef PUSH
  free(stack);
  if (out->n) qsort(out->files, out->n, sizeof *out->files, hg_walk__cmp_entry);
  /* the root is itself a package when it holds __init__.py; src/ is a
   * layout directory unless it holds one (the list is sorted: search it) */
  for (uint32_t i = 0; i < out->n; i++) {
    const char *p = out->files[i].path;
    if (!strcmp(p, "__init__.py")) {
      const char *base = strrchr(real_root, '/');
      out->root_pkg = hg_xstrdup(base && base[1] ? base + 1 : real_root);
    } else if (!strcmp(p, "src/__init__.py")) {
      out->src_package = 1;
    }
  }
  return HG_OK;
}

void hg_file_list_free(HgFileList *fl) {
  for (uint32_t i = 0; i < fl->n; i++) free(fl->files[i].path);
  free(fl->files);
  free(fl->root_pkg);
  memset(fl, 0, sizeof *fl);
}

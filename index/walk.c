#include "index/walk.h"

#include <Judy.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *hg__join(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *s = malloc(la + lb + 2);
  if (!s) abort();
  memcpy(s, a, la);
  size_t o = la;
  if (la && lb) s[o++] = '/';
  memcpy(s + o, b, lb + 1);
  return s;
}

static int hg__cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int hg__cmp_entry(const void *a, const void *b) {
  return strcmp(((const HgFileEntry *)a)->path, ((const HgFileEntry *)b)->path);
}

static int hg__skip_dir_name(const char *name) {
  return name[0] == '.' || strcmp(name, "__pycache__") == 0 || strcmp(name, "node_modules") == 0 ||
         strcmp(name, "site-packages") == 0;
}

static int hg__ends_with_py(const char *name) {
  size_t n = strlen(name);
  return n > 3 && memcmp(name + n - 3, ".py", 3) == 0;
}

static void hg__add(HgFileList *fl, char *rel, uint64_t size) {
  if (fl->n == fl->cap) {
    fl->cap = fl->cap ? fl->cap * 2 : 256;
    HgFileEntry *f = realloc(fl->files, fl->cap * sizeof *f);
    if (!f) abort();
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
      char **ns_ = realloc(stack, scap * sizeof(char *));                                                              \
      if (!ns_) abort();                                                                                               \
      stack = ns_;                                                                                                     \
    }                                                                                                                  \
    stack[sn++] = (p);                                                                                                 \
  } while (0)
  PUSH(hg__join("", ""));
  while (sn) {
    char *rel = stack[--sn];
    char *abs = hg__join(real_root, rel);
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
        char **n2 = realloc(names, ncap * sizeof(char *));
        if (!n2) abort();
        names = n2;
      }
      names[nn++] = strdup(e->d_name);
    }
    if (nn) qsort(names, nn, sizeof(char *), hg__cmp_str);
    /* Push subdirectories in reverse so they pop in order. */
    for (size_t i = nn; i-- > 0;) {
      const char *name = names[i];
      struct stat st;
      char *child = hg__join(rel, name);
      if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (report) report(ctx, child, HG_SEV_WARNING, strerror(errno));
        free(child);
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        if (!hg__ends_with_py(name)) {
          free(child);
          continue; /* symlinked directories are never followed */
        }
        char *cabs = hg__join(real_root, child);
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
        if (hg__skip_dir_name(name))
          free(child);
        else
          PUSH(child);
      } else if (S_ISREG(st.st_mode) && hg__ends_with_py(name)) {
        hg__add(out, child, (uint64_t)st.st_size);
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
  if (out->n) qsort(out->files, out->n, sizeof *out->files, hg__cmp_entry);
  Pvoid_t set = NULL;
  for (uint32_t i = 0; i < out->n; i++) {
    PWord_t pv;
    JSLI(pv, set, (const uint8_t *)out->files[i].path);
    if (!pv) abort();
    *pv = 1;
  }
  out->paths = set;
  if (out->paths) {
    PWord_t pv;
    JSLG(pv, set, (const uint8_t *)"__init__.py");
    if (pv) {
      const char *base = strrchr(real_root, '/');
      out->root_pkg = strdup(base && base[1] ? base + 1 : real_root);
    }
  }
  return HG_OK;
}

void hg_file_list_free(HgFileList *fl) {
  for (uint32_t i = 0; i < fl->n; i++) free(fl->files[i].path);
  free(fl->files);
  Word_t bytes;
  Pvoid_t set = fl->paths;
  JSLFA(bytes, set);
  (void)bytes;
  free(fl->root_pkg);
  memset(fl, 0, sizeof *fl);
}

char *hg_module_name(const HgFileList *fl, const char *relpath) {
  size_t n = strlen(relpath);
  size_t plen = fl->root_pkg ? strlen(fl->root_pkg) : 0;
  char *m = malloc(plen + n + 2);
  if (!m) abort();
  const char *p = relpath;
  if (strncmp(p, "src/", 4) == 0) {
    PWord_t pv = NULL;
    Pvoid_t set = fl->paths;
    JSLG(pv, set, (const uint8_t *)"src/__init__.py");
    if (!pv) p += 4; /* src layout: src/pkg/..., src/mod.py */
  }
  size_t o = 0;
  if (plen) {
    memcpy(m, fl->root_pkg, plen);
    o = plen;
  }
  size_t len = strlen(p);
  if (len > 3 && memcmp(p + len - 3, ".py", 3) == 0) len -= 3;
  const char *last = NULL;
  for (size_t i = 0; i < len; i++)
    if (p[i] == '/') last = p + i + 1;
  if (!last) last = p;
  if ((size_t)(p + len - last) == 8 && memcmp(last, "__init__", 8) == 0) {
    len = last == p ? 0 : (size_t)(last - p) - 1; /* the package itself */
  }
  if (len && o) m[o++] = '.';
  for (size_t i = 0; i < len; i++) m[o++] = p[i] == '/' ? '.' : p[i];
  if (!o) { /* a root __init__.py of a repository that is not a package: cannot happen, but name it */
    memcpy(m, "__init__", 9);
    return m;
  }
  m[o] = 0;
  return m;
}

static int hg__grow(char **buf, size_t *cap, size_t need) {
  if (need <= *cap) return 0;
  char *nb = realloc(*buf, need);
  if (!nb) return -1;
  *buf = nb;
  *cap = need;
  return 0;
}

int hg_open_ahead(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC); // NOLINT(clang-analyzer-core.NonNullParamChecker): path is never NULL
  if (fd >= 0) (void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED); /* starts the read; a hint: failure costs nothing */
  return fd;
}

int hg_read_file(const char *path, char **buf, size_t *cap, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC); // NOLINT(clang-analyzer-core.NonNullParamChecker): path is never NULL
  return fd < 0 ? -1 : hg_read_fd(fd, buf, cap, len);
}

int hg_read_fd(int fd, char **buf, size_t *cap, size_t *len) {
  struct stat st;
  size_t n = 0;
  int e = 0;
  if (fstat(fd, &st) != 0)
    e = errno;
  else if (hg__grow(buf, cap, (size_t)st.st_size + 1) != 0)
    e = ENOMEM;
  while (!e) {
    if (n + 1 >= *cap) {
      /* full at the size fstat gave: grow only if the file did */
      char probe;
      ssize_t r = read(fd, &probe, 1);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) e = errno;
      if (r <= 0) break;
      if (hg__grow(buf, cap, *cap * 2) != 0) {
        e = ENOMEM;
        break;
      }
      (*buf)[n++] = probe;
      continue;
    }
    ssize_t r = read(fd, *buf + n, *cap - n - 1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) e = errno;
    if (r <= 0) break;
    n += (size_t)r;
  }
  close(fd);
  if (e) {
    errno = e;
    return -1;
  }
  (*buf)[n] = 0;
  *len = n;
  return 0;
}

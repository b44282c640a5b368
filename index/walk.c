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

const char *hg_walk_kind(mode_t m) {
  return S_ISFIFO(m)   ? "a FIFO"
         : S_ISSOCK(m) ? "a socket"
         : S_ISCHR(m)  ? "a character device"
         : S_ISBLK(m)  ? "a block device"
         : S_ISDIR(m)  ? "a directory"
         : S_ISLNK(m)  ? "a symbolic link"
         : S_ISREG(m)  ? "a regular file"
                       : "of an unknown type";
}

static int64_t hg_walk__ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static void hg_walk__add(HgFileList *fl, char *rel, char *target, const struct stat *st) {
  if (fl->n == fl->cap) {
    fl->cap = fl->cap ? fl->cap * 2 : 256;
    HgFileEntry *f = hg_xrealloc(fl->files, fl->cap * sizeof *f);
    fl->files = f;
  }
  fl->files[fl->n++] =
      (HgFileEntry){rel, target, (uint64_t)st->st_size, hg_walk__ns(st->st_mtim), hg_walk__ns(st->st_ctim)};
}

/* Open rel (relative to root_fd; "" is the root itself) one component at a
 * time, never following a symbolic link: the directories on the way as
 * O_PATH, the last with `flags`.  -1 with errno. */
static int hg_walk__open_beneath(int root_fd, const char *rel, int flags) {
  if (!rel[0]) return openat(root_fd, ".", flags | O_CLOEXEC);
  int cur = root_fd;
  const char *p = rel;
  for (;;) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    char name[NAME_MAX + 1];
    int fd;
    if (n == 0 || n > NAME_MAX || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
      errno = EINVAL; /* the walk never makes such a path */
      fd = -1;
    } else {
      memcpy(name, p, n);
      name[n] = 0;
      fd = openat(cur, name, (slash ? O_PATH | O_DIRECTORY : flags) | O_NOFOLLOW | O_CLOEXEC);
    }
    int e = errno;
    if (cur != root_fd) close(cur);
    if (fd < 0 || !slash) {
      errno = e;
      return fd;
    }
    cur = fd;
    p = slash + 1;
  }
}

HgStatus hg_walk_repo(const char *root, HgFileList *out, HgWalkReport report, void *ctx) {
  memset(out, 0, sizeof *out);
  out->root_fd = out->dir_fd = -1;
  out->has_fds = 1;
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
  /* The root as a descriptor: O_PATH needs no read permission, so an
   * unreadable root is reported below like any unreadable directory. */
  out->root_fd = open(real_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (out->root_fd < 0) {
    char msg[256];
    snprintf(msg, sizeof msg, "cannot open repository: %s", strerror(errno));
    if (report) report(ctx, "", HG_SEV_ERROR, msg);
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
    int dfd = hg_walk__open_beneath(out->root_fd, rel, O_RDONLY | O_DIRECTORY);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
      /* An unreadable subdirectory is reported and skipped; an unreadable
       * root means the repository could not be read at all. */
      int is_root = !rel[0];
      char msg[256];
      snprintf(msg, sizeof msg, "cannot read directory: %s",
               errno == ELOOP || errno == ENOTDIR ? "it is now a symbolic link (not followed)" : strerror(errno));
      if (dfd >= 0) close(dfd);
      if (report) report(ctx, rel, is_root ? HG_SEV_ERROR : HG_SEV_WARNING, msg);
      free(rel);
      if (is_root) {
        for (size_t k = 0; k < sn; k++) free(stack[k]);
        free(stack);
        hg_file_list_free(out);
        return HG_ERR_IO;
      }
      continue;
    }
    if (rel[0] && faccessat(dfd, "pyvenv.cfg", F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
      closedir(d);
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
      names[nn++] = hg_xstrdup(e->d_name);
    }
    if (nn) qsort(names, nn, sizeof(char *), hg_walk__cmp_str);
    /* Push subdirectories in reverse so they pop in order. */
    for (size_t i = nn; i-- > 0;) {
      const char *name = names[i];
      struct stat st;
      char *child = hg_walk__join(rel, name), *target = NULL;
      if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (report) report(ctx, child, HG_SEV_WARNING, strerror(errno));
        free(child);
        continue;
      }
      if (strlen(child) > HG_WALK_MAX_PATH && (S_ISDIR(st.st_mode) || hg_walk__ends_with_py(name))) {
        char msg[128];
        snprintf(msg, sizeof msg, "path longer than %d bytes: not %s", HG_WALK_MAX_PATH,
                 S_ISDIR(st.st_mode) ? "walked" : "indexed");
        if (!S_ISDIR(st.st_mode)) out->n_skipped++;
        if (report) report(ctx, child, HG_SEV_WARNING, msg);
        free(child);
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        if (!hg_walk__ends_with_py(name)) {
          free(child);
          continue; /* symlinked directories are never followed */
        }
        char *cabs = hg_walk__join(real_root, child);
        char real[PATH_MAX];
        int inside = realpath(cabs, real) && strncmp(real, real_root, rootlen) == 0 && real[rootlen] == '/' &&
                     strlen(real + rootlen + 1) <= HG_WALK_MAX_PATH;
        free(cabs);
        if (!inside || stat(real, &st) != 0 || S_ISDIR(st.st_mode)) {
          if (report) report(ctx, child, HG_SEV_NOTE, "symlink leaves the repository or is dangling: not followed");
          free(child);
          continue;
        }
        target = hg_xstrdup(real + rootlen + 1);
      }
      if (S_ISDIR(st.st_mode)) {
        if (hg_walk__skip_dir_name(name))
          free(child);
        else
          PUSH(child);
      } else if (!hg_walk__ends_with_py(name)) {
        free(child);
        free(target);
      } else if (S_ISREG(st.st_mode)) {
        hg_walk__add(out, child, target, &st);
      } else {
        /* a FIFO would block the read; a device or socket is not source */
        char msg[128];
        snprintf(msg, sizeof msg, "not a regular file (%s): not indexed", hg_walk_kind(st.st_mode));
        out->n_skipped++;
        if (report) report(ctx, child, HG_SEV_WARNING, msg);
        free(child);
        free(target);
      }
    }
    for (size_t i = 0; i < nn; i++) free(names[i]);
    free(names);
    closedir(d);
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

int hg_walk_open(HgFileList *fl, uint32_t i, struct stat *st, const char **why) {
  *why = NULL;
  if (!fl->has_fds || fl->root_fd < 0 || i >= fl->n) {
    errno = EBADF;
    return -1;
  }
  const char *rel = fl->files[i].target ? fl->files[i].target : fl->files[i].path;
  const char *slash = strrchr(rel, '/');
  size_t dn = slash ? (size_t)(slash - rel) : 0;
  /* the files are sorted: most share the directory of the one before */
  if (fl->dir_fd < 0 || strlen(fl->dir_rel) != dn || strncmp(fl->dir_rel, rel, dn) != 0) {
    if (fl->dir_fd >= 0) close(fl->dir_fd);
    free(fl->dir_rel);
    fl->dir_rel = hg_xstrndup(rel, dn);
    fl->dir_fd = hg_walk__open_beneath(fl->root_fd, fl->dir_rel, O_PATH | O_DIRECTORY);
    if (fl->dir_fd < 0) {
      int e = errno;
      free(fl->dir_rel);
      fl->dir_rel = NULL;
      errno = e;
      return -1;
    }
  }
  int fd = openat(fl->dir_fd, slash ? slash + 1 : rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return -1;
  if (fstat(fd, st) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  if (!S_ISREG(st->st_mode)) {
    static _Thread_local char msg[64];
    snprintf(msg, sizeof msg, "not a regular file (%s)", hg_walk_kind(st->st_mode));
    *why = msg;
    close(fd);
    errno = EINVAL;
    return -1;
  }
  return fd;
}

/* FNV-1a over a string with its NUL, and over the 8 bytes of a number. */
static uint64_t hg_walk__fnv_str(uint64_t h, const char *s) {
  const unsigned char *c = (const unsigned char *)s;
  do h = (h ^ *c) * 0x100000001b3ull;
  while (*c++);
  return h;
}

static uint64_t hg_walk__fnv_u64(uint64_t h, uint64_t v) {
  for (int i = 0; i < 8; i++) h = (h ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
  return h;
}

uint64_t hg_walk_digest(const HgFileList *fl) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint32_t i = 0; i < fl->n; i++) {
    const HgFileEntry *f = &fl->files[i];
    h = hg_walk__fnv_str(h, f->path);
    h = hg_walk__fnv_str(h, f->target ? f->target : "");
    h = hg_walk__fnv_u64(h, f->size);
    h = hg_walk__fnv_u64(h, (uint64_t)f->mtime_ns);
    h = hg_walk__fnv_u64(h, (uint64_t)f->ctime_ns);
  }
  h = hg_walk__fnv_u64(h, fl->n);
  return hg_walk__fnv_u64(h, fl->n_skipped);
}

void hg_file_list_free(HgFileList *fl) {
  for (uint32_t i = 0; i < fl->n; i++) {
    free(fl->files[i].path);
    free(fl->files[i].target);
  }
  free(fl->files);
  free(fl->root_pkg);
  free(fl->dir_rel);
  if (fl->has_fds && fl->dir_fd >= 0) close(fl->dir_fd);
  if (fl->has_fds && fl->root_fd >= 0) close(fl->root_fd);
  memset(fl, 0, sizeof *fl);
}

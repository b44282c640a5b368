#include "index/gitinfo.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* snprintf that reports truncation as failure. */
static int hg_git__fmt(char *buf, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, len, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): va_start is just above
  va_end(ap);
  return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int hg_git__read_line(const char *path, char *buf, size_t len) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char *ok = fgets(buf, (int)len, f);
  fclose(f);
  if (!ok) return -1;
  buf[strcspn(buf, "\r\n")] = 0;
  return 0;
}

static int hg_git__is_sha(const char *s) {
  size_t n = 0;
  while (isxdigit((unsigned char)s[n])) n++;
  return n == 40 && (s[n] == 0 || isspace((unsigned char)s[n]));
}

static void hg_git__copy_sha(char *out, const char *sha) {
  memcpy(out, sha, 40);
  out[40] = 0;
}

int hg_git_head(const char *dir, char *out, size_t outlen) {
  char gitdir[PATH_MAX], path[PATH_MAX], line[PATH_MAX], ref[PATH_MAX];
  if (outlen < 41 || hg_git__fmt(gitdir, sizeof gitdir, "%s/.git", dir)) return -1;
  /* A worktree or submodule has a .git file: "gitdir: PATH". */
  if (hg_git__read_line(gitdir, line, sizeof line) == 0 && strncmp(line, "gitdir: ", 8) == 0) {
    int bad = line[8] == '/' ? hg_git__fmt(gitdir, sizeof gitdir, "%s", line + 8)
                             : hg_git__fmt(gitdir, sizeof gitdir, "%s/%s", dir, line + 8);
    if (bad) return -1;
  }
  if (hg_git__fmt(path, sizeof path, "%s/HEAD", gitdir) || hg_git__read_line(path, line, sizeof line)) return -1;
  if (hg_git__is_sha(line)) {
    hg_git__copy_sha(out, line);
    return 0;
  }
  if (strncmp(line, "ref: ", 5) != 0 || hg_git__fmt(ref, sizeof ref, "%s", line + 5)) return -1;
  if (hg_git__fmt(path, sizeof path, "%s/%s", gitdir, ref) == 0 && hg_git__read_line(path, line, sizeof line) == 0 &&
      hg_git__is_sha(line)) {
    hg_git__copy_sha(out, line);
    return 0;
  }
  if (hg_git__fmt(path, sizeof path, "%s/packed-refs", gitdir)) return -1;
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  int rc = -1;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (hg_git__is_sha(line) && line[40] == ' ' && strcmp(line + 41, ref) == 0) {
      hg_git__copy_sha(out, line);
      rc = 0;
      break;
    }
  }
  fclose(f);
  return rc;
}

#include "index/gitinfo.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int hg__read_line(const char *path, char *buf, size_t len) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char *ok = fgets(buf, (int)len, f);
  fclose(f);
  if (!ok) return -1;
  buf[strcspn(buf, "\r\n")] = 0;
  return 0;
}

static int hg__is_sha(const char *s) {
  size_t n = 0;
  while (isxdigit((unsigned char)s[n])) n++;
  return n == 40 && (s[n] == 0 || isspace((unsigned char)s[n]));
}

int hg_git_head(const char *dir, char *out, size_t outlen) {
  char gitdir[4096], path[8192], line[8192];
  if (outlen < 41) return -1;
  snprintf(gitdir, sizeof gitdir, "%s/.git", dir);
  /* A worktree or submodule has a .git file: "gitdir: PATH". */
  if (hg__read_line(gitdir, line, sizeof line) == 0 && strncmp(line, "gitdir: ", 8) == 0) {
    if (line[8] == '/') snprintf(gitdir, sizeof gitdir, "%s", line + 8);
    else snprintf(gitdir, sizeof gitdir, "%s/%s", dir, line + 8);
  }
  snprintf(path, sizeof path, "%s/HEAD", gitdir);
  if (hg__read_line(path, line, sizeof line) != 0) return -1;
  if (hg__is_sha(line)) {
    memcpy(out, line, 40);
    out[40] = 0;
    return 0;
  }
  if (strncmp(line, "ref: ", 5) != 0) return -1;
  char ref[8192];
  snprintf(ref, sizeof ref, "%s", line + 5);
  snprintf(path, sizeof path, "%s/%s", gitdir, ref);
  if (hg__read_line(path, line, sizeof line) == 0 && hg__is_sha(line)) {
    memcpy(out, line, 40);
    out[40] = 0;
    return 0;
  }
  snprintf(path, sizeof path, "%s/packed-refs", gitdir);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  int rc = -1;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (hg__is_sha(line) && line[40] == ' ' && strcmp(line + 41, ref) == 0) {
      memcpy(out, line, 40);
      out[40] = 0;
      rc = 0;
      break;
    }
  }
  fclose(f);
  return rc;
}

#include "index/gitinfo.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/file.h"

/* snprintf that reports truncation as failure. */
static int hg_git__fmt(char *buf, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, len, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): va_start is just above
  va_end(ap);
  return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int hg_git__read_line(const char *path, char *buf, size_t len) {
  FILE *f = hg_fopen_regular(path);
  if (!f) return -1;
  char *ok = fgets(buf, (int)len, f);
  fclose(f);
  if (!ok) return -1;
  buf[strcspn(buf, "\r\n")] = 0;
  return 0;
}

/* The length of the object id s starts with: 40 hex digits (SHA-1) or 64
 * (SHA-256) followed by the end or white space; 0 when it is neither. */
static size_t hg_git__is_sha(const char *s) {
  size_t n = 0;
  while (isxdigit((unsigned char)s[n])) n++;
  return (n == 40 || n == 64) && (s[n] == 0 || isspace((unsigned char)s[n])) ? n : 0;
}

static void hg_git__copy_sha(char *out, const char *sha) {
  size_t n = hg_git__is_sha(sha);
  memcpy(out, sha, n);
  out[n] = 0;
}

/* The git directory of the checkout at dir (dir/.git, or where a .git file
 * points), and the common directory holding its shared refs and config. */
static int hg_git__dirs(const char *dir, char *gitdir, char *common, size_t len) {
  char line[PATH_MAX];
  if (hg_git__fmt(gitdir, len, "%s/.git", dir)) return -1;
  struct stat st;
  if (stat(gitdir, &st) != 0) return -1;
  if (S_ISREG(st.st_mode)) { /* a worktree or submodule: "gitdir: PATH" */
    if (hg_git__read_line(gitdir, line, sizeof line) || strncmp(line, "gitdir: ", 8) != 0) return -1;
    int bad =
        line[8] == '/' ? hg_git__fmt(gitdir, len, "%s", line + 8) : hg_git__fmt(gitdir, len, "%s/%s", dir, line + 8);
    if (bad) return -1;
  } else if (!S_ISDIR(st.st_mode)) {
    return -1;
  }
  char path[PATH_MAX];
  if (hg_git__fmt(path, sizeof path, "%s/commondir", gitdir) == 0 && hg_git__read_line(path, line, sizeof line) == 0 &&
      line[0]) {
    return line[0] == '/' ? hg_git__fmt(common, len, "%s", line) : hg_git__fmt(common, len, "%s/%s", gitdir, line);
  }
  return hg_git__fmt(common, len, "%s", gitdir);
}

/* The SHA a ref names: a loose ref in the worktree's git directory, then in
 * the common directory, then packed-refs. */
static int hg_git__resolve_ref(const char *gitdir, const char *common, const char *ref, char *out) {
  char path[PATH_MAX], line[PATH_MAX];
  const char *dirs[2] = {gitdir, common};
  for (int i = 0; i < 2; i++)
    if (hg_git__fmt(path, sizeof path, "%s/%s", dirs[i], ref) == 0 && hg_git__read_line(path, line, sizeof line) == 0 &&
        hg_git__is_sha(line)) {
      hg_git__copy_sha(out, line);
      return 0;
    }
  if (hg_git__fmt(path, sizeof path, "%s/packed-refs", common)) return -1;
  FILE *f = hg_fopen_regular(path);
  if (!f) return -1;
  int rc = -1;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    size_t n = hg_git__is_sha(line);
    if (n && line[n] == ' ' && strcmp(line + n + 1, ref) == 0) {
      hg_git__copy_sha(out, line);
      rc = 0;
      break;
    }
  }
  fclose(f);
  return rc;
}

int hg_git_head(const char *dir, char *out, size_t outlen) {
  char gitdir[PATH_MAX], common[PATH_MAX], path[PATH_MAX], line[PATH_MAX];
  if (outlen < 65 || hg_git__dirs(dir, gitdir, common, sizeof gitdir)) return -1;
  if (hg_git__fmt(path, sizeof path, "%s/HEAD", gitdir) || hg_git__read_line(path, line, sizeof line)) return -1;
  if (hg_git__is_sha(line)) {
    hg_git__copy_sha(out, line);
    return 0;
  }
  if (strncmp(line, "ref: ", 5) != 0) return -1;
  return hg_git__resolve_ref(gitdir, common, line + 5, out);
}

/* ---- config ------------------------------------------------------------------------- */

static char *hg_git__trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = 0;
  return s;
}

/* The first value of key in [section "sub"] (sub NULL: [section]) of a git
 * config file: section and key match in any case, sub exactly; a value may be
 * quoted; `#` and `;` start a comment outside quotes. */
static int hg_git__config(const char *path, const char *section, const char *sub, const char *key, char *out,
                          size_t outlen) {
  FILE *f = hg_fopen_regular(path);
  if (!f) return -1;
  char line[4096];
  int in = 0, rc = -1;
  while (rc != 0 && fgets(line, sizeof line, f)) {
    char *s = hg_git__trim(line);
    if (*s == '[') {
      char *end = strchr(s, ']');
      if (!end) continue;
      *end = 0;
      char *name = hg_git__trim(s + 1), *q = strchr(name, '"');
      char *subname = NULL;
      if (q) {
        *q = 0;
        subname = q + 1;
        char *q2 = strrchr(subname, '"');
        if (q2) *q2 = 0;
      }
      name = hg_git__trim(name);
      in = strcasecmp(name, section) == 0 && ((!sub && !subname) || (sub && subname && strcmp(sub, subname) == 0));
      continue;
    }
    if (!in) continue;
    char *eq = strchr(s, '=');
    if (!eq) continue;
    *eq = 0;
    if (strcasecmp(hg_git__trim(s), key) != 0) continue;
    char *v = hg_git__trim(eq + 1);
    size_t o = 0;
    int quoted = 0;
    for (; *v && o + 1 < outlen; v++) {
      if (*v == '"') {
        quoted = !quoted;
        continue;
      }
      if (!quoted && (*v == '#' || *v == ';')) break;
      if (*v == '\\' && v[1]) v++;
      out[o++] = *v;
    }
    while (o && (out[o - 1] == ' ' || out[o - 1] == '\t')) o--;
    out[o] = 0;
    rc = 0;
  }
  fclose(f);
  return rc;
}

/* ---- GitHub URLs ------------------------------------------------------------------------ */

static int hg_git__owner_char(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_'; }
static int hg_git__name_char(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.'; }

/* "owner/name[.git][/]" into out. */
static int hg_git__owner_name(const char *p, size_t n, char *out, size_t outlen) {
  while (n && p[n - 1] == '/') n--;
  if (n > 4 && strncasecmp(p + n - 4, ".git", 4) == 0) n -= 4;
  while (n && *p == '/') p++, n--;
  const char *slash = memchr(p, '/', n);
  if (!slash || slash == p || slash + 1 == p + n) return -1;
  size_t on = (size_t)(slash - p), nn = n - on - 1;
  for (size_t i = 0; i < on; i++)
    if (!hg_git__owner_char(p[i])) return -1;
  for (size_t i = 0; i < nn; i++)
    if (!hg_git__name_char(slash[1 + i])) return -1;
  if ((nn == 1 && slash[1] == '.') || (nn == 2 && slash[1] == '.' && slash[2] == '.')) return -1;
  return hg_git__fmt(out, outlen, "%.*s/%.*s", (int)on, p, (int)nn, slash + 1);
}

static int hg_git__github_host(const char *h, size_t n) {
  static const char *const hosts[] = {"github.com", "www.github.com", "ssh.github.com"};
  for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
    if (n == strlen(hosts[i]) && strncasecmp(h, hosts[i], n) == 0) return 1;
  return 0;
}

int hg_git_github_name(const char *url, char *out, size_t outlen) {
  while (isspace((unsigned char)*url)) url++;
  size_t n = strcspn(url, "?#");
  while (n && isspace((unsigned char)url[n - 1])) n--;
  const char *scheme_end = NULL;
  for (size_t i = 0; i + 2 < n; i++)
    if (url[i] == ':' && url[i + 1] == '/' && url[i + 2] == '/') {
      scheme_end = url + i + 3;
      break;
    }
  if (scheme_end) { /* scheme://[user[:password]@]host[:port]/owner/name */
    size_t s = (size_t)(scheme_end - 3 - url);
    static const char *const schemes[] = {"https", "http", "git", "ssh", "git+ssh", "ssh+git"};
    int known = 0;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
      known |= s == strlen(schemes[i]) && strncasecmp(url, schemes[i], s) == 0;
    if (!known) return -1;
    const char *a = scheme_end, *end = url + n;
    const char *path = memchr(a, '/', (size_t)(end - a));
    if (!path) return -1;
    const char *at = NULL;
    for (const char *q = a; q < path; q++)
      if (*q == '@') at = q;
    const char *host = at ? at + 1 : a, *hend = path;
    const char *colon = memchr(host, ':', (size_t)(hend - host));
    if (colon) { /* a port: digits only */
      for (const char *q = colon + 1; q < hend; q++)
        if (!isdigit((unsigned char)*q)) return -1;
      hend = colon;
    }
    if (!hg_git__github_host(host, (size_t)(hend - host))) return -1;
    return hg_git__owner_name(path, (size_t)(end - path), out, outlen);
  }
  /* scp form: [user@]host:owner/name (no slash before the colon) */
  const char *colon = memchr(url, ':', n);
  if (!colon || memchr(url, '/', (size_t)(colon - url))) return -1;
  const char *host = url;
  for (const char *q = url; q < colon; q++)
    if (*q == '@') host = q + 1;
  if (!hg_git__github_host(host, (size_t)(colon - host))) return -1;
  return hg_git__owner_name(colon + 1, (size_t)(url + n - colon - 1), out, outlen);
}

int hg_git_origin_name(const char *dir, char *out, size_t outlen) {
  char gitdir[PATH_MAX], common[PATH_MAX], path[PATH_MAX], url[4096];
  if (hg_git__dirs(dir, gitdir, common, sizeof gitdir) || hg_git__fmt(path, sizeof path, "%s/config", common) ||
      hg_git__config(path, "remote", "origin", "url", url, sizeof url))
    return -1;
  return hg_git_github_name(url, out, outlen);
}

/* ---- the index: does it track a file under prefix? ------------------------------------------- */

static uint32_t hg_git__be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Is path (an index entry) under prefix/?  A sparse index holds a directory
 * as one entry ending in '/': prefix is tracked when it lies in one. */
static int hg_git__under(const char *path, size_t pn, const char *prefix, size_t n) {
  if (pn > n && memcmp(path, prefix, n) == 0 && path[n] == '/') return 1;
  return pn && path[pn - 1] == '/' && pn <= n + 1 && memcmp(path, prefix, pn - 1) == 0 &&
         (pn - 1 == n || prefix[pn - 1] == '/');
}

/* 1 when the index file at path (versions 2 to 4) has an entry under prefix,
 * 0 when it has none, -1 when it cannot be read.  hash is the object id size
 * (20, or 32 for a sha256 repository). */
static int hg_git__index_tracks(const char *path, size_t hash, const char *prefix) {
  char *buf = NULL;
  size_t cap = 0, len = 0;
  if (hg_read_file(path, &buf, &cap, &len) != 0) {
    free(buf);
    return -1;
  }
  const unsigned char *b = (const unsigned char *)buf, *end = b + len;
  int rc = -1;
  size_t n = strlen(prefix);
  char *name = NULL; /* v4: the previous entry's path, which the next one shares a head of */
  size_t name_len = 0, name_cap = 0;
  if (len < 12 || memcmp(b, "DIRC", 4) != 0) goto done;
  uint32_t version = hg_git__be32(b + 4), count = hg_git__be32(b + 8);
  if (version < 2 || version > 4) goto done;
  const unsigned char *p = b + 12;
  rc = 0;
  for (uint32_t i = 0; i < count && rc == 0; i++) {
    const unsigned char *e = p;
    size_t fixed = 40 + hash + 2; /* stat data, object id, flags */
    if ((size_t)(end - p) < fixed) {
      rc = -1;
      break;
    }
    unsigned flags = (unsigned)p[40 + hash] << 8 | p[40 + hash + 1];
    p += fixed;
    if (version >= 3 && (flags & 0x4000)) {
      if (end - p < 2) {
        rc = -1;
        break;
      }
      p += 2;
    }
    size_t strip = 0;
    if (version == 4) { /* varint: bytes of the previous path to drop */
      size_t v = 0;
      unsigned char c;
      do {
        if (p >= end) {
          rc = -1;
          break;
        }
        c = *p++;
        v = (v << 7) | (c & 0x7f);
        if (c & 0x80) v++;
      } while (c & 0x80);
      if (rc) break;
      strip = v;
    }
    const unsigned char *nul = memchr(p, 0, (size_t)(end - p));
    if (!nul) {
      rc = -1;
      break;
    }
    size_t sl = (size_t)(nul - p);
    const char *path_now;
    size_t pn;
    if (version == 4) {
      if (strip > name_len) {
        rc = -1;
        break;
      }
      size_t keep = name_len - strip;
      if (!name || keep + sl + 1 > name_cap) {
        name_cap = (keep + sl + 1) * 2;
        name = hg_xrealloc(name, name_cap);
      }
      memcpy(name + keep, p, sl);
      name_len = keep + sl;
      name[name_len] = 0;
      path_now = name;
      pn = name_len;
      p = nul + 1;
    } else {
      path_now = (const char *)p;
      pn = sl;
      /* 1 to 8 NULs pad the entry to a multiple of 8 bytes */
      size_t entry = (size_t)(nul - e);
      p = e + ((entry + 8) & ~(size_t)7);
      if (p > end) {
        rc = -1;
        break;
      }
    }
    if (hg_git__under(path_now, pn, prefix, n)) rc = 1;
  }
done:
  free(name);
  free(buf);
  return rc;
}

int hg_git_find_root(const char *dir, char *root, size_t rootlen, char *prefix, size_t prefixlen) {
  char real[PATH_MAX], cur[PATH_MAX], gitdir[PATH_MAX], common[PATH_MAX], path[PATH_MAX], fmt[64];
  if (!realpath(dir, real) || hg_git__fmt(cur, sizeof cur, "%s", real)) return -1;
  for (;;) {
    if (hg_git__dirs(cur[0] ? cur : "/", gitdir, common, sizeof gitdir) == 0) break;
    char *slash = strrchr(cur, '/');
    if (!slash || !cur[0]) return -1;
    *slash = 0; /* "/a/b" -> "/a" -> "" (the root directory) */
  }
  size_t rl = strlen(cur);
  const char *rel = real[rl] == '/' ? real + rl + 1 : real + rl;
  if (rel[0]) {
    size_t hash = 20;
    if (hg_git__fmt(path, sizeof path, "%s/config", common) == 0 &&
        hg_git__config(path, "extensions", NULL, "objectformat", fmt, sizeof fmt) == 0 &&
        strcasecmp(fmt, "sha256") == 0)
      hash = 32;
    if (hg_git__fmt(path, sizeof path, "%s/index", gitdir) || hg_git__index_tracks(path, hash, rel) != 1) return -1;
  }
  if (hg_git__fmt(root, rootlen, "%s", cur[0] ? cur : "/")) return -1;
  return hg_git__fmt(prefix, prefixlen, "%s", rel);
}

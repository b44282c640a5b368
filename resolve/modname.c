#include "resolve/modname.h"

#include <string.h>

#include "base/alloc.h"

char *hg_module_name(const char *relpath, const char *root_pkg, int src_package) {
  size_t n = strlen(relpath);
  size_t plen = root_pkg ? strlen(root_pkg) : 0;
  char *m = hg_xmalloc(plen + n + 10);
  const char *p = relpath;
  if (strncmp(p, "src/", 4) == 0 && !src_package) p += 4; /* src layout: src/pkg/..., src/mod.py */
  size_t o = 0;
  if (plen) {
    memcpy(m, root_pkg, plen);
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

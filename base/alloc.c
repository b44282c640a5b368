#include "base/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void hg_oom(const char *what) {
  fprintf(stderr, "hgym: out of memory (%s)\n", what ? what : "allocation");
  abort();
}

void *hg_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) hg_oom("malloc");
  return p;
}

void *hg_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) hg_oom("calloc");
  return p;
}

void *hg_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) hg_oom("realloc");
  return q;
}

char *hg_xstrdup(const char *s) {
  char *d = strdup(s ? s : "");
  if (!d) hg_oom("strdup");
  return d;
}

char *hg_xstrndup(const char *s, size_t n) {
  char *d = strndup(s, n);
  if (!d) hg_oom("strndup");
  return d;
}

#include "analyzer/marks.h"

#include <string.h>

void hg_marks_find(HgMarks *m, HgArena *arena, const char *src, uint32_t len) {
  HG_VEC(uint32_t) paren = {0}, walrus = {0};
  const char *s = src, *end = s + len;
  for (const char *p = s; (p = memchr(p, '(', (size_t)(end - p))); p++) *HG_VEC_PUSH(arena, &paren) = (uint32_t)(p - s);
  for (const char *p = s; (p = memchr(p, ':', (size_t)(end - p))); p++) /* memchr: memmem is 5x slower */
    if (p + 1 < end && p[1] == '=') *HG_VEC_PUSH(arena, &walrus) = (uint32_t)(p++ - s);
  m->items = paren.items;
  m->n = paren.len;
  m->at = 0;
  if (!walrus.len) return;
  uint32_t *all = hg_arena_alloc(arena, (paren.len + walrus.len) * sizeof *all), i = 0, j = 0, k = 0;
  while (i < paren.len || j < walrus.len)
    all[k++] =
        j == walrus.len || (i < paren.len && paren.items[i] < walrus.items[j]) ? paren.items[i++] : walrus.items[j++];
  m->items = all;
  m->n = k;
}

int hg_marks_any(HgMarks *m, uint32_t a, uint32_t b) {
  uint32_t i = m->at;
  if (i > 0 && m->items[i - 1] >= a) {
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (m->items[mid] < a)
        lo = mid + 1;
      else
        hi = mid;
    }
    i = lo;
  }
  while (i < m->n && m->items[i] < a) i++;
  m->at = i;
  return i < m->n && m->items[i] < b;
}

int hg_marks_any_but(HgMarks *m, uint32_t a, uint32_t b, uint32_t p) {
  int held = hg_marks_any(m, a, p < b ? p : b);
  uint32_t at = m->at;
  if (!held && p < b) held = hg_marks_any(m, p + 1, b);
  m->at = at;
  return held;
}

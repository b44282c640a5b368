#include "base/strset.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static uint64_t hg_strset__hash(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 0x100000001b3ull;
  return h;
}

/* The slot of s (hash h): where it is, or the empty one where it goes. */
static size_t hg_strset__slot(const HgStrSet *set, const char *s, uint64_t h) {
  size_t i = (size_t)h & (set->cap - 1);
  while (set->keys[i] && (set->hashes[i] != h || strcmp(set->keys[i], s) != 0)) i = (i + 1) & (set->cap - 1);
  return i;
}

static void hg_strset__grow(HgStrSet *set) {
  HgStrSet bigger = {0};
  bigger.cap = set->cap ? set->cap * 2 : 64;
  bigger.keys = hg_xcalloc(bigger.cap, sizeof *bigger.keys);
  bigger.values = hg_xcalloc(bigger.cap, sizeof *bigger.values);
  bigger.hashes = hg_xcalloc(bigger.cap, sizeof *bigger.hashes);
  for (size_t i = 0; i < set->cap; i++)
    if (set->keys[i]) {
      size_t j = hg_strset__slot(&bigger, set->keys[i], set->hashes[i]);
      bigger.keys[j] = set->keys[i];
      bigger.values[j] = set->values[i];
      bigger.hashes[j] = set->hashes[i];
    }
  bigger.n = set->n;
  hg_strset_free(set);
  *set = bigger;
}

int hg_strset_add(HgStrSet *set, const char *s, uint32_t value, uint32_t *prev) {
  if ((set->n + 1) * 2 > set->cap) hg_strset__grow(set);
  uint64_t h = hg_strset__hash(s);
  size_t i = hg_strset__slot(set, s, h);
  if (set->keys[i]) {
    if (prev) *prev = set->values[i];
    return 1;
  }
  set->keys[i] = s;
  set->values[i] = value;
  set->hashes[i] = h;
  set->n++;
  return 0;
}

void hg_strset_free(HgStrSet *set) {
  free(set->keys);
  free(set->values);
  free(set->hashes);
  memset(set, 0, sizeof *set);
}

/*
 * strset.h: a set of strings, each with a value, for finding duplicates.
 *
 * Open addressing over 64-bit FNV-1a hashes: what a string costs is one pass
 * over its bytes whatever it shares with others (JudySL spends a level per 8
 * shared bytes and recurses per level when freed, so names sharing a 2 MB
 * prefix overflowed the stack).  The set borrows the strings.
 */
#ifndef HG_STRSET_H
#define HG_STRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  const char **keys;
  uint32_t *values;
  uint64_t *hashes;
  size_t n, cap;
} HgStrSet;

/* Add s with value; 1 when s was already there (*prev its first value, the
 * set unchanged), 0 when added.  Aborts on out-of-memory (base/alloc.h). */
int hg_strset_add(HgStrSet *set, const char *s, uint32_t value, uint32_t *prev);
void hg_strset_free(HgStrSet *set);

#endif

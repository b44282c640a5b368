#include "base/arena.h"

#include "base/alloc.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HG_ARENA_BLOCK = 64 * 1024 };
/* Blocks kept for reuse across resets, in bytes: a file's facts rarely need
 * more, and reusing blocks spares malloc the churn of freeing and asking
 * again for the same sizes at every file. */
#define HG_ARENA_KEEP ((size_t)32 << 20)

typedef struct HgBlock {
  struct HgBlock *next;
  size_t size, used;
  _Alignas(16) unsigned char data[];
} HgBlock;

struct HgArena {
  HgBlock *head;  /* block being filled; older blocks follow via next */
  HgBlock *spare; /* emptied blocks waiting for reuse */
  size_t total;   /* bytes handed out since the last reset */
};

static HgBlock *hg_arena__block(size_t size) {
  HgBlock *b = hg_xmalloc(sizeof(HgBlock) + size);
  b->next = NULL;
  b->size = size;
  b->used = 0;
  return b;
}

HgArena *hg_arena_new(void) {
  HgArena *a = hg_xcalloc(1, sizeof *a);
  a->head = hg_arena__block(HG_ARENA_BLOCK);
  return a;
}

static void hg_arena__free_chain(HgBlock *b) {
  for (HgBlock *n; b; b = n) {
    n = b->next;
    free(b);
  }
}

void hg_arena_delete(HgArena *a) {
  if (!a) return;
  hg_arena__free_chain(a->head);
  hg_arena__free_chain(a->spare);
  free(a);
}

void hg_arena_reset(HgArena *a) {
  /* Every block goes to the spare list (up to HG_ARENA_KEEP bytes, larger
   * ones are freed), then one becomes the head again. */
  size_t kept = 0;
  for (HgBlock *s = a->spare; s; s = s->next) kept += s->size;
  for (HgBlock *b = a->head, *n; b; b = n) {
    n = b->next;
    if (kept + b->size <= HG_ARENA_KEEP) {
      kept += b->size;
      b->used = 0;
      b->next = a->spare;
      a->spare = b;
    } else {
      free(b);
    }
  }
  a->head = a->spare;
  if (a->head)
    a->spare = a->head->next;
  else
    a->head = hg_arena__block(HG_ARENA_BLOCK);
  a->head->next = NULL;
  a->total = 0;
}

void *hg_arena_alloc(HgArena *a, size_t size) {
  size = (size + 7) & ~(size_t)7;
  HgBlock *b = a->head;
  if (b->size - b->used < size) {
    /* a spare block big enough, else a new one */
    HgBlock **pp = &a->spare, *nb = NULL;
    for (; *pp; pp = &(*pp)->next)
      if ((*pp)->size >= size) {
        nb = *pp;
        *pp = nb->next;
        break;
      }
    if (!nb) nb = hg_arena__block(size > HG_ARENA_BLOCK ? size : HG_ARENA_BLOCK);
    nb->used = 0;
    nb->next = b;
    a->head = nb;
    b = nb;
  }
  void *p = b->data + b->used;
  b->used += size;
  a->total += size;
  memset(p, 0, size);
  return p;
}

size_t hg_arena_used(const HgArena *a) { return a->total; }

void hg_arena__grow(HgArena *a, void **items, uint32_t *cap, size_t elem) {
  uint32_t ncap = *cap ? *cap * 2 : 8;
  void *n = hg_arena_alloc(a, (size_t)ncap * elem);
  if (*items) memcpy(n, *items, (size_t)*cap * elem);
  *items = n;
  *cap = ncap;
}

char *hg_arena_strndup(HgArena *a, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t out = 0, i = 0;
  int clean = 1;
  while (i < len) { /* fast scan: most strings are ASCII */
    if (u[i] >= 0x80 || u[i] == 0) {
      clean = 0;
      break;
    }
    i++;
  }
  if (clean) {
    char *d = hg_arena_alloc(a, len + 1);
    memcpy(d, s, len);
    return d;
  }
  /* Worst case every byte becomes the 3-byte U+FFFD. */
  char *d = hg_arena_alloc(a, len * 3 + 1);
  out = hg_utf8_repair(d, s, len);
  d[out] = 0;
  return d;
}

char *hg_arena_strdup(HgArena *a, const char *s) { return hg_arena_strndup(a, s, strlen(s)); }

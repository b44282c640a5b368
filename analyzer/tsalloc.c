/*
 * tsalloc.c: tree-sitter's allocator, regions dropped whole (see tsalloc.h).
 *
 * Every block handed to tree-sitter starts with a 16-byte header whose tag
 * says where it came from: a size class of the current region (1..CLASSES,
 * 16 bytes each), a large block of the region (malloc'd, on the region's
 * list so the session's end frees it), or malloc outside any session.  The
 * header keeps every pointer 16-byte aligned, as malloc's are.
 */
#include "analyzer/tsalloc.h"
#include "base/alloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#ifdef HG_ASAN
#include <sanitizer/asan_interface.h>
#define HG_POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define HG_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define HG_POISON(p, n)   ((void)(p), (void)(n))
#define HG_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

enum {
  GRAN = 16,        /* size-class step and header size */
  CLASSES = 256,    /* small requests: up to CLASSES * GRAN = 4 KiB */
  BLOCK = 1 << 20,  /* small blocks are cut from 1 MiB blocks */
  KEEP_BLOCKS = 64, /* blocks kept between sessions (64 MiB) */
};

#define TAG_LARGE  0u         /* region's large block: a HgTsLarge precedes the header */
#define TAG_SYSTEM UINT32_MAX /* malloc'd outside any session */

typedef struct {
  uint32_t tag;   /* size class, TAG_LARGE or TAG_SYSTEM */
  uint32_t check; /* large and system blocks: hg_tsalloc__check32 of the pointer */
  uint64_t size;  /* bytes asked for (large and system blocks); small blocks: the pointer ^ HG_CHECK */
} HgTsHeader;

/* Tree-sitter 0.20.7 keeps a node's child count in 16 bits: a node of 65,536
 * or more children (error recovery makes one of every entry left on its
 * stack, e.g. 65,529 unclosed brackets) later has its children array freed
 * through a pointer into its middle.  The header before such a pointer is
 * whatever the array holds, so each header carries a check derived from its
 * own address: a free or realloc of a pointer whose header does not check
 * out is not one of ours, is never acted on (a wild write into a free list
 * is what crashed hgym), and is counted (hg_tsregion_foreign) so the file's
 * tree can be refused.  The memory stays the session's and goes with it. */
#define HG_CHECK 0x9E3779B97F4A7C15ull

static uint64_t hg_tsalloc__check64(const void *p) { return (uint64_t)(uintptr_t)p ^ HG_CHECK; }
static uint32_t hg_tsalloc__check32(const void *p) {
  uint64_t v = hg_tsalloc__check64(p) * 0xff51afd7ed558ccdull;
  return (uint32_t)(v >> 32);
}

typedef struct HgTsLarge {
  struct HgTsLarge *prev, *next;
} HgTsLarge;

struct HgTsRegion {
  uint64_t foreign; /* frees and reallocs of pointers it never handed out (see HG_CHECK) */
  char **blocks;    /* every small block held, reused in order */
  uint32_t n_blocks, cap_blocks;
  uint32_t next_block; /* blocks[next_block] is the next to cut from */
  char *cur, *end;     /* the block being cut */
  void *free_list[CLASSES + 1];
  HgTsLarge large; /* sentinel of the session's large blocks */
};

static _Thread_local HgTsRegion *hg__current;

_Static_assert(sizeof(HgTsHeader) == GRAN && sizeof(HgTsLarge) == GRAN, "headers keep 16-byte alignment");

__attribute__((noreturn)) static void hg_tsalloc__oom(size_t n) {
  char what[64];
  snprintf(what, sizeof what, "tree-sitter asked for %zu bytes", n);
  hg_oom(what);
}

static void *hg_tsalloc__system(size_t n) {
  if (n > SIZE_MAX - sizeof(HgTsHeader)) hg_tsalloc__oom(n);
  HgTsHeader *h = malloc(sizeof(HgTsHeader) + n);
  if (!h) hg_tsalloc__oom(n);
  h->tag = TAG_SYSTEM;
  h->size = n;
  h->check = hg_tsalloc__check32(h + 1);
  return h + 1;
}

/* Outside a session, foreign pointers are counted here (process-wide). */
static uint64_t hg__foreign_outside;

static void hg_tsalloc__foreign(void) {
  HgTsRegion *r = hg__current;
  if (r)
    r->foreign++;
  else
    __atomic_add_fetch(&hg__foreign_outside, 1, __ATOMIC_RELAXED);
}

/* What the header before p says p is: a size class (1..CLASSES), TAG_LARGE,
 * TAG_SYSTEM, or -1 when p is not a block this allocator handed out. */
static int64_t hg_tsalloc__kind(void *p) {
  const HgTsHeader *h = (const HgTsHeader *)p - 1;
  if (h->tag >= 1 && h->tag <= CLASSES) return h->size == hg_tsalloc__check64(p) ? (int64_t)h->tag : -1;
  if (h->tag == TAG_SYSTEM) return h->check == hg_tsalloc__check32(p) ? (int64_t)TAG_SYSTEM : -1;
  if (h->tag != TAG_LARGE || h->check != hg_tsalloc__check32(p)) return -1;
  const HgTsLarge *l = (const HgTsLarge *)(const void *)h - 1;
  return l->prev->next == l && l->next->prev == l ? (int64_t)TAG_LARGE : -1;
}

static void hg_tsalloc__next_block(HgTsRegion *r) {
  if (r->next_block == r->n_blocks) {
    if (r->n_blocks == r->cap_blocks) {
      uint32_t nc = r->cap_blocks ? r->cap_blocks * 2 : 16;
      char **nb = realloc(r->blocks, nc * sizeof *nb);
      if (!nb) hg_tsalloc__oom(nc * sizeof *nb);
      r->blocks = nb;
      r->cap_blocks = nc;
    }
    char *b = malloc(BLOCK);
    if (!b) hg_tsalloc__oom(BLOCK);
    HG_POISON(b, BLOCK);
    r->blocks[r->n_blocks++] = b;
  }
  r->cur = r->blocks[r->next_block++];
  r->end = r->cur + BLOCK;
}

static void *hg_tsalloc__malloc(size_t n) {
  HgTsRegion *r = hg__current;
  if (!r) return hg_tsalloc__system(n);
  if (n <= (size_t)CLASSES * GRAN) {
    size_t c = n ? (n + GRAN - 1) / GRAN : 1;
    void *p = r->free_list[c];
    if (p) {
      HG_UNPOISON(p, c * GRAN);
      r->free_list[c] = *(void **)p;
      ((HgTsHeader *)p - 1)->size = hg_tsalloc__check64(p);
      return p;
    }
    size_t need = sizeof(HgTsHeader) + c * GRAN;
    if ((size_t)(r->end - r->cur) < need) hg_tsalloc__next_block(r);
    HgTsHeader *h = (HgTsHeader *)(void *)r->cur;
    r->cur += need;
    HG_UNPOISON(h, need);
    h->tag = (uint32_t)c;
    h->size = hg_tsalloc__check64(h + 1);
    return h + 1;
  }
  if (n > SIZE_MAX - sizeof(HgTsLarge) - sizeof(HgTsHeader)) hg_tsalloc__oom(n);
  HgTsLarge *l = malloc(sizeof(HgTsLarge) + sizeof(HgTsHeader) + n);
  if (!l) hg_tsalloc__oom(n);
  l->prev = &r->large;
  l->next = r->large.next;
  r->large.next->prev = l;
  r->large.next = l;
  HgTsHeader *h = (HgTsHeader *)(l + 1);
  h->tag = TAG_LARGE;
  h->size = n;
  h->check = hg_tsalloc__check32(h + 1);
  return h + 1;
}

static void hg_tsalloc__free(void *p) {
  if (!p) return;
  HgTsHeader *h = (HgTsHeader *)p - 1;
  if (hg_tsalloc__kind(p) < 0) {
    hg_tsalloc__foreign();
    return;
  }
  if (h->tag == TAG_SYSTEM) {
    free(h);
  } else if (h->tag == TAG_LARGE) {
    HgTsLarge *l = (HgTsLarge *)(void *)h - 1;
    l->prev->next = l->next;
    l->next->prev = l->prev;
    free(l);
  } else if (hg__current) {
    /* a small block goes back on its class's list (if no session is open,
     * the block is the region's and goes when the region does) */
    void **fl = &hg__current->free_list[h->tag];
    *(void **)p = *fl;
    *fl = p;
    h->size = 0; /* freed: a second free of it is foreign */
    HG_POISON(p, (size_t)h->tag * GRAN);
  }
}

static void *hg_tsalloc__calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) hg_tsalloc__oom(SIZE_MAX);
  void *p = hg_tsalloc__malloc(count * size);
  memset(p, 0, count * size);
  return p;
}

static void *hg_tsalloc__realloc(void *p, size_t n) {
  if (!p) return hg_tsalloc__malloc(n);
  HgTsHeader *h = (HgTsHeader *)p - 1;
  if (hg_tsalloc__kind(p) < 0) {
    /* not ours: its size is unknown, so nothing is copied (counted: the
     * tree is refused anyway) */
    hg_tsalloc__foreign();
    return hg_tsalloc__calloc(1, n);
  }
  if (h->tag == TAG_SYSTEM) {
    if (n > SIZE_MAX - sizeof(HgTsHeader)) hg_tsalloc__oom(n);
    HgTsHeader *nh = realloc(h, sizeof(HgTsHeader) + n);
    if (!nh) hg_tsalloc__oom(n);
    nh->size = n;
    nh->check = hg_tsalloc__check32(nh + 1);
    return nh + 1;
  }
  if (h->tag == TAG_LARGE) {
    if (n > SIZE_MAX - sizeof(HgTsLarge) - sizeof(HgTsHeader)) hg_tsalloc__oom(n);
    HgTsLarge *l = (HgTsLarge *)(void *)h - 1, *prev = l->prev, *next = l->next;
    HgTsLarge *nl = realloc(l, sizeof(HgTsLarge) + sizeof(HgTsHeader) + n);
    if (!nl) hg_tsalloc__oom(n);
    prev->next = nl;
    next->prev = nl;
    HgTsHeader *nh = (HgTsHeader *)(nl + 1);
    nh->size = n;
    nh->check = hg_tsalloc__check32(nh + 1);
    return nh + 1;
  }
  size_t cap = (size_t)h->tag * GRAN;
  if (n <= cap) return p;
  void *q = hg_tsalloc__malloc(n);
  memcpy(q, p, cap);
  hg_tsalloc__free(p);
  return q;
}

static pthread_once_t hg__once = PTHREAD_ONCE_INIT;

static void hg_tsalloc__install(void) {
  ts_set_allocator(hg_tsalloc__malloc, hg_tsalloc__calloc, hg_tsalloc__realloc, hg_tsalloc__free);
}

void hg_tsalloc_install(void) { pthread_once(&hg__once, hg_tsalloc__install); }

HgTsRegion *hg_tsregion_new(void) {
  HgTsRegion *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->large.prev = r->large.next = &r->large;
  return r;
}

void hg_tsregion_end(HgTsRegion *r) {
  if (hg__current == r) hg__current = NULL;
  for (HgTsLarge *l = r->large.next; l != &r->large;) {
    HgTsLarge *next = l->next;
    free(l);
    l = next;
  }
  r->large.prev = r->large.next = &r->large;
  memset(r->free_list, 0, sizeof r->free_list);
  for (uint32_t i = 0; i < r->n_blocks && i < r->next_block; i++) HG_POISON(r->blocks[i], BLOCK);
  /* a huge file's blocks go back to malloc; the usual working set stays */
  while (r->n_blocks > KEEP_BLOCKS) {
    char *b = r->blocks[--r->n_blocks];
    HG_UNPOISON(b, BLOCK);
    free(b);
  }
  r->next_block = 0;
  r->cur = r->end = NULL;
}

void hg_tsregion_begin(HgTsRegion *r) {
  hg__current = r;
  r->foreign = 0;
}

uint64_t hg_tsregion_foreign(const HgTsRegion *r) { return r->foreign; }

void hg_tsregion_delete(HgTsRegion *r) {
  if (!r) return;
  hg_tsregion_end(r);
  for (uint32_t i = 0; i < r->n_blocks; i++) {
    HG_UNPOISON(r->blocks[i], BLOCK);
    free(r->blocks[i]);
  }
  free(r->blocks);
  free(r);
}

size_t hg_tsregion_held(const HgTsRegion *r) { return (size_t)r->n_blocks * BLOCK; }

/*
 * arena.h: a bump allocator for one file's facts and scratch.
 *
 * Everything the analyzer extracts from one file lives in one HgArena; the
 * index copies what it keeps and then resets the arena, so the hot path does
 * one malloc per block (64 KiB or the request, whichever is larger), never
 * one per node.  Memory is released only by hg_arena_reset / hg_arena_delete.
 * Strings copied in are always valid UTF-8 (invalid bytes become U+FFFD, see
 * utf8.h), so every layer above can hand them to a JSON writer unchecked.
 * Out of memory follows alloc.h: a message and abort.
 */
#ifndef HG_ARENA_H
#define HG_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct HgArena HgArena;

HgArena *hg_arena_new(void);
void hg_arena_delete(HgArena *a);
/* Forget every allocation but keep the first block for reuse. */
void hg_arena_reset(HgArena *a);
/* Zeroed, 8-byte aligned; never NULL (aborts on out-of-memory). */
void *hg_arena_alloc(HgArena *a, size_t size);
/* Copy len bytes as a NUL-terminated string, repairing invalid UTF-8 and
 * replacing NUL bytes with U+FFFD. */
char *hg_arena_strndup(HgArena *a, const char *s, size_t len);
char *hg_arena_strdup(HgArena *a, const char *s);
/* Bytes currently allocated from the arena (for statistics). */
size_t hg_arena_used(const HgArena *a);

/* A growable array whose storage comes from an arena: the previous storage
 * is abandoned on growth (the arena frees it all at reset). */
#define HG_VEC(T)                                                                                                      \
  struct {                                                                                                             \
    T *items;                                                                                                          \
    uint32_t len, cap;                                                                                                 \
  }
#define HG_VEC_PUSH(arena, vec)                                                                                        \
  (((vec)->len == (vec)->cap ? hg_arena__grow((arena), (void **)&(vec)->items, &(vec)->cap, sizeof(*(vec)->items))     \
                             : (void)0),                                                                               \
   &(vec)->items[(vec)->len++])
void hg_arena__grow(HgArena *a, void **items, uint32_t *cap, size_t elem);

#endif

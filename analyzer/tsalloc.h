/*
 * tsalloc.h: the memory tree-sitter parses into, one region per analyzer.
 *
 * Tree-sitter makes a heap object of nearly every node and frees them one by
 * one when the tree is deleted: with glibc's malloc about a sixth of a parse
 * went to malloc, free and the delete walk itself.  The analyzer only needs a
 * tree until its walk ends, so it parses inside a session of a TsRegion: while
 * the session is open on a thread, every tree-sitter allocation that thread
 * makes comes from the region (16-byte size classes with free lists, bump
 * allocated from 1 MiB blocks; larger requests from malloc, tracked), and
 * ending the session drops the parser, the tree and the cursor at once, with
 * no ts_tree_delete.  Blocks are kept for the next file up to a budget.
 *
 * Invariants:
 *  - hg_tsalloc_install runs before the process makes any tree-sitter object
 *    (hg_analyzer_new calls it); it is process-wide (ts_set_allocator).
 *  - Outside a session, tree-sitter allocations go to malloc (with the same
 *    header), so objects made and deleted outside sessions stay valid.
 *  - Nothing made inside a session is used, deleted or freed after it ends.
 *  - A region is used by one thread at a time.
 * Under AddressSanitizer, free and dropped memory is poisoned, so a use after
 * the session ends is reported like a use after free.
 */
#ifndef HG_TSALLOC_H
#define HG_TSALLOC_H

#include <stddef.h>
#include <stdint.h>

/* HG_ASAN is 1 in a build with AddressSanitizer (gcc or clang), where the
 * region poisons what is freed or dropped. */
#if defined(__SANITIZE_ADDRESS__)
#define HG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HG_ASAN 1
#endif
#endif

typedef struct HgTsRegion HgTsRegion;

/* Route tree-sitter's allocations through this module (once per process). */
void hg_tsalloc_install(void);

HgTsRegion *hg_tsregion_new(void);
void hg_tsregion_delete(HgTsRegion *r);

/* Open a session of r on the calling thread (sessions do not nest). */
void hg_tsregion_begin(HgTsRegion *r);
/* Close it: everything allocated since begin is dropped at once. */
void hg_tsregion_end(HgTsRegion *r);

/* Frees and reallocs, since the session began, of pointers the region never
 * handed out: each was ignored (see tsalloc.c, HG_CHECK).  Nonzero means
 * tree-sitter's bookkeeping of this file's tree went wrong (a node of 65,536
 * or more children in tree-sitter 0.20.7): the tree must not be trusted. */
uint64_t hg_tsregion_foreign(const HgTsRegion *r);

/* Bytes the region holds from malloc now (blocks kept between sessions). */
size_t hg_tsregion_held(const HgTsRegion *r);

#endif

/*
 * prescan.h: a look at a file's bytes before tree-sitter parses them.
 *
 * Tree-sitter 0.20.7 keeps a node's child count in 16 bits.  When a file
 * ends inside a construct that never closes, error recovery makes the root
 * of every entry left on the parser's stack, one per unclosed bracket (and
 * more per level for `[1, [1, ...` or `f(a, f(a, ...`): from 65,536 entries
 * the count wraps, and the tree is freed through a pointer into the middle
 * of its children array (glibc aborts; hgym's region allocator crashed).
 * This scan, one pass with the bracket tokenizer the re-indentation uses
 * (strings and comments skipped), finds the deepest bracket nesting so a
 * file past HG_MAX_NESTING is reported and not parsed at all.  The limit is
 * a quarter of tree-sitter's 65,536, room for four stack entries a level
 * (`f(a, ` leaves four); Python's own parser refuses nesting past 200, so no
 * real source comes near it.
 * What the scan cannot see (brackets inside f-string fields, other
 * constructs that pile up) is caught after the parse: tsalloc.h counts the
 * frees of pointers it never handed out, and the analyzer refuses a tree
 * whose root does not span the file.
 */
#ifndef HG_PRESCAN_H
#define HG_PRESCAN_H

#include <stdint.h>

enum { HG_MAX_NESTING = 16384 };

/* The deepest nesting of ( [ { in src[0..len), strings and comments skipped;
 * the scan stops as soon as it passes `stop` (it returns stop + 1 then). */
uint32_t hg_prescan_nesting(const char *src, uint32_t len, uint32_t stop);

#endif

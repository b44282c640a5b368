/*
 * analyzer.h: one Python file's bytes to HgFileFacts (see facts.h).
 *
 * An HgAnalyzer owns a tree-sitter memory region (tsalloc.h), its walk stack
 * and its symbol tables; use one per thread.  Each file is parsed by a
 * TSParser made inside the region for that file and dropped with it, which
 * costs less than resetting a reused parser whose buffers live elsewhere.
 * The walk is iterative (an explicit stack), so deeply nested input never
 * overflows the C stack.  Input may be anything: invalid
 * UTF-8, a BOM, CRLF or lone CR line ends, NUL bytes; a file that does not
 * parse is indexed as far as the tree allows and described by diagnostics.
 */
#ifndef HG_ANALYZER_H
#define HG_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/facts.h"

typedef struct HgAnalyzer HgAnalyzer;

HgAnalyzer *hg_analyzer_new(void);
void hg_analyzer_delete(HgAnalyzer *an);

/* Parse src[0..len) and fill *out from arena.  Returns HG_OK, also when the
 * file has syntax errors (out->has_error and out->diags say so);
 * HG_ERR_INPUT when the file cannot be indexed, with the reason as the last
 * diagnostic of out (its other facts are then not to be used): brackets
 * nested past HG_MAX_NESTING (prescan.h), a parse that ran past the budget,
 * a tree tree-sitter could not build whole (a node of 65,536 or more
 * children), a file of 4 GiB or more, or no tree at all. */
HgStatus hg_analyzer_run(HgAnalyzer *an, const char *src, size_t len, HgArena *arena, HgFileFacts *out);

/* The parse budget of each file, in microseconds (0: none; the default).  A
 * parse that runs past it is stopped (tree-sitter's timeout, measured in
 * wall-clock time) and the file is refused with a diagnostic. */
void hg_analyzer_set_parse_budget(HgAnalyzer *an, uint64_t micros);

/* Parse only, discarding the tree: the floor the benchmarks compare against. */
HgStatus hg_analyzer_parse_only(HgAnalyzer *an, const char *src, size_t len);

#endif

/*
 * merge.h: combine index files into one, in order.
 *
 * The output is the concatenation of the inputs' tables, each reference
 * offset by what the inputs before it hold (string ids by the bytes of their
 * string tables, def indices by their defs, and so on).  No string is
 * re-interned and no table is held in memory whole: the merge streams, in
 * memory proportional to nothing but its write buffer.  Concatenation is
 * associative, so merging shards in order gives the bytes of merging all
 * their parts at once; hgym-index builds every index this way, from one part
 * per repository, so shards merged in manifest order give the bytes of a
 * one-run index.
 */
#ifndef HG_MERGE_H
#define HG_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

/* Merge the index files inputs[0..n) into out (atomically).  A repository
 * name held by two inputs, or an input that cannot be read, is refused
 * (HG_ERR_INPUT / HG_ERR_FORMAT / HG_ERR_IO, err says which). */
HgStatus hg_merge_indexes(char *const *inputs, uint32_t n, const char *out, char *err, size_t errlen);

#endif

/*
 * merge.h: append the repositories of an index file to a builder.
 *
 * Every table is copied with its cross-references rebased (string ids are
 * re-interned, global def / file / import / call / edge indices are offset),
 * so merging shards built apart gives the same bytes as building them in
 * one run, in the same order.
 */
#ifndef HG_MERGE_H
#define HG_MERGE_H

#include <stddef.h>

#include "index/builder.h"
#include "index/index.h"

/* Append every repository of ix.  A repository whose name the builder already
 * holds is refused (HG_ERR_INPUT, err says which). */
HgStatus hg_builder_append_index(HgBuilder *b, const HgIndex *ix, char *err, size_t errlen);

/* Does the builder already hold a repository of this name? */
int hg_builder_has_repo(HgBuilder *b, const char *name);

#endif

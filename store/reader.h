/*
 * index.h: read an index file (format.h) through a memory map.
 *
 * hg_index_open validates the header, the section directory (kinds, record
 * sizes, bounds, alignment) and the table of block checksums, and refuses a
 * truncated, corrupted, empty or other-version file with a message naming
 * the file and the fault.  Opening reads a few pages whatever the index's
 * size.  Accessors then verify each 64 KiB block of data the first time they
 * read from it, so a lookup reads and checks only the pages it needs; a
 * block that fails its checksum goes to the fault handler (by default: the
 * message on stderr and exit status 3).  Indices are bounds-checked.  A file
 * truncated in place while mapped (SIGBUS on the mapping) is caught and goes
 * to the fault handler the same way (hg_index_vanished).
 */
#ifndef HG_READER_H
#define HG_READER_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "store/format.h"

typedef struct HgIndex HgIndex;

HgStatus hg_index_open(const char *path, HgIndex **out, char *errbuf, size_t errlen);
/* Check every block now (hgym-query verify); HG_ERR_FORMAT names the first bad one. */
HgStatus hg_index_verify(const HgIndex *ix, char *errbuf, size_t errlen);

/* Called with a message when a block read fails its checksum or a record
 * index is outside its table (a forged or damaged index); must not
 * return into the query (exit, or longjmp out). */
typedef void (*HgIndexFault)(const char *message);
void hg_index_set_fault_handler(HgIndexFault fn);
/* The program the default handler speaks as ("hgym-query: ..."). */
void hg_index_set_program(const char *name);
void hg_index_close(HgIndex *ix);

uint64_t hg_index_count(const HgIndex *ix, HgSectionKind kind);
/* A whole section's records, every block verified first (merge reads
 * sections whole); NULL for an empty one. */
const void *hg_index_section(const HgIndex *ix, HgSectionKind kind);
/* NULL for HG_NOSTR; "" for an id outside the table (never garbage). */
const char *hg_index_str(const HgIndex *ix, uint32_t id);
/* The same for a string that is never absent (a name, a path, a qualname):
 * "" also for HG_NOSTR, which only a forged index holds there. */
const char *hg_index_text(const HgIndex *ix, uint32_t id);
const HgRepoRec *hg_index_repo(const HgIndex *ix, uint32_t i);
const HgFileRec *hg_index_file(const HgIndex *ix, uint32_t i);
const HgDefRec *hg_index_def(const HgIndex *ix, uint32_t i);
const HgParamRec *hg_index_param(const HgIndex *ix, uint32_t i);
const HgImportRec *hg_index_import(const HgIndex *ix, uint32_t i);
const HgCallRec *hg_index_call(const HgIndex *ix, uint32_t i);
const HgBindRec *hg_index_bind(const HgIndex *ix, uint32_t i);
const HgDiagRec *hg_index_diag(const HgIndex *ix, uint32_t i);
const HgEdgeRec *hg_index_edge(const HgIndex *ix, uint32_t i);
uint32_t hg_index_strid(const HgIndex *ix, uint32_t i);
/* A range of the records of table kind, checked before a loop walks it or an
 * allocation is sized by it: one that reaches past the table (a forged count,
 * or first + count past 2^32) goes to the fault handler, as a record index
 * out of range does; should the handler come back, the part of it inside the
 * table. */
HgRange hg_index_range(const HgIndex *ix, HgSectionKind kind, HgRange r);
/* Report a damage only the reader's caller can see (what = "definition 4's
 * parent 9 does not come before it") to the fault handler, as
 * "PATH: corrupt index (WHAT); rebuild it". */
void hg_index_corrupt(const HgIndex *ix, const char *what);
/* The i-th entry of CALLERS: an edge index. */
uint32_t hg_index_caller(const HgIndex *ix, uint32_t i);

/* The index file shrank while mapped (truncated in place by someone else):
 * a SIGBUS on its mapping was caught and the page read as zeros.  The
 * accessors then call the fault handler; code that copies mapped bytes out
 * without an accessor after (the merge) asks here before it trusts them. */
int hg_index_vanished(const HgIndex *ix);
/* The fault handler hears of any open index that shrank (called before a
 * line of output is printed, so a value read from the zeros never is). */
void hg_index_check_all(void);

/* The file of repository repo at path (the first len bytes), or -1: a
 * repository's files are sorted by path, so this is a binary search. */
int64_t hg_index_find_file(const HgIndex *ix, uint32_t repo, const char *path, size_t len);

/* The repository named name, or -1. */
int64_t hg_index_find_repo(const HgIndex *ix, const char *name);

#endif

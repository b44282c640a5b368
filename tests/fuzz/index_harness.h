/*
 * index_harness.h: what the libFuzzer targets that read indexes share
 * (fuzz_index.c, fuzz_synth.c; docs/FUZZING.md).
 *
 * An input is written to a temporary file and opened with hg_index_open,
 * once as it is and once "repaired" (the header's file size set to the real
 * size, every block checksum, the checksum table's and the header's
 * recomputed), so that random bytes get past the checksums into the code that
 * follows the records.
 *
 * A damaged block or an out-of-range reference calls the fault handler,
 * which must not return into the query: here it longjmps back to
 * harness_query.  What the abandoned query had allocated (half-built cJSON
 * trees, candidate arrays) is not reachable from anything once it is gone
 * (the programs exit then), so the malloc and free hooks keep the set of
 * blocks allocated during the query and not yet freed, and after a longjmp
 * the harness frees them all; kept, they added up to gigabytes over a long
 * run.  A query that ran to its end must have freed as many blocks as it
 * allocated (or the harness aborts, naming it).  LeakSanitizer ignores what a
 * query allocates (it cannot tell an abandoned block from a leak).
 */
#ifndef HG_FUZZ_INDEX_HARNESS_H
#define HG_FUZZ_INDEX_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/reader.h"

/* /dev/null, fully buffered from a static buffer (stdio must not allocate
 * inside a query): where the queries write. */
extern FILE *harness_devnull;

/* The temporary file, /dev/null, the hooks and the fault handler; from
 * LLVMFuzzerInitialize. */
void harness_init(void);

/* fn(data, size) for the input as it is and, when repairing changes it, for
 * the repaired copy. */
void harness_each_form(const uint8_t *data, size_t size, void (*fn)(const uint8_t *data, size_t size));

/* The input written to the temporary file and opened; NULL when it does not
 * open (hg_index_open refused it). */
HgIndex *harness_open(const uint8_t *data, size_t size);

/* Run fn(ix, arg) as one query, named name in the harness's messages: a
 * fault longjmps back here and what the query left allocated is freed. */
void harness_query(const char *name, void (*fn)(const HgIndex *ix, int arg), const HgIndex *ix, int arg);

#endif

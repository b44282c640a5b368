/*
 * builder.h: accumulate repositories' facts as index tables and write them.
 *
 * A HgBuilder holds one growable byte buffer per section (format.h) and a
 * JudySL map interning every string once.  Repositories are added one at a
 * time, their files in the order given; the bytes written depend only on that
 * order, never on timing.  hg_builder_write writes atomically: a temporary
 * file beside the target, renamed over it (index/writer.h).
 */
#ifndef HG_BUILDER_H
#define HG_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/facts.h"
#include "store/format.h"
#include "store/writer.h"

typedef struct HgBuilder HgBuilder;

HgBuilder *hg_builder_new(void);
void hg_builder_delete(HgBuilder *b);

/* Strings longer than this are stored as text, not interned: what a string
 * costs the JudySL map (a level per 8 bytes shared with another key, and a
 * recursion per level when it is freed) stays bounded whatever the input.
 * Every output is the same; only look-ups (hg_builder_find, and so the
 * resolution of names) do not find such a string, and two equal ones get
 * two ids. */
enum { HG_INTERN_MAX = 4096 };

/* Intern s (NULL gives HG_NOSTR); the id is its offset in STRINGS.  A string
 * longer than HG_INTERN_MAX is appended as hg_builder_text does. */
uint32_t hg_builder_str(HgBuilder *b, const char *s);
/* Append s without interning it: for long text that rarely repeats
 * (docstrings), where a JudySL look-up costs more than the bytes saved. */
uint32_t hg_builder_text(HgBuilder *b, const char *s);

/* Open a repository; files and their facts go to it until the next begin. */
uint32_t hg_builder_begin_repo(HgBuilder *b, const char *name, const char *commit, const char *root);
/* Add one file with its facts (copied; the caller may reset its arena). */
void hg_builder_add_file(HgBuilder *b, const char *path, const char *module, uint32_t flags, uint32_t content_crc,
                         const HgFileFacts *facts);
/* A diagnostic that belongs to the repository rather than a file's facts
 * (an unreadable file, a skipped one); path is relative to its root. */
void hg_builder_add_diag(HgBuilder *b, const char *path, uint32_t line, uint32_t col, HgSeverity sev,
                         const char *message);
void hg_builder_end_repo(HgBuilder *b, uint32_t n_skipped);

/* Counts so far, for summaries. */
uint64_t hg_builder_count(const HgBuilder *b, HgSectionKind kind);

/* Write the index to path atomically (writer.h says how durably).  On failure
 * errbuf says why. */
HgStatus hg_builder_write(HgBuilder *b, const char *path, HgWriteMode mode, char *errbuf, size_t errlen);

#endif

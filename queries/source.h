/*
 * source.h: a repository file's text, as it was indexed.
 *
 * The index holds no source text; tasks that quote code read the file from
 * the repository's root and accept it only when its CRC-32C still matches
 * the one recorded at indexing, so every line number in a row points into
 * the text the row quotes.  One file is cached (tasks visit a file's defs
 * together).
 */
#ifndef HG_SOURCE_H
#define HG_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "store/reader.h"

typedef struct {
  uint32_t file; /* file index of the cached text, UINT32_MAX when none */
  char *text;
  size_t len, cap;
  uint32_t *line_off; /* byte offset of each line's start; [n_lines] = len */
  uint32_t n_lines, line_cap;
} HgSource;

void hg_source_init(HgSource *s);
void hg_source_free(HgSource *s);
/* Load file (cached).  HG_ERR_IO when it cannot be read, HG_ERR_INPUT when
 * it changed since it was indexed. */
HgStatus hg_source_load(HgSource *s, const HgIndex *ix, uint32_t file);
/* Lines [first, last] (0-indexed, inclusive) as a malloc'd string. */
char *hg_source_lines(const HgSource *s, uint32_t first, uint32_t last);
/* Bytes [a, b) as a malloc'd string. */
char *hg_source_bytes(const HgSource *s, uint32_t a, uint32_t b);

#endif

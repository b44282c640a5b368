/*
 * builder_p.h: the builder's tables, for the index layer's own passes
 * (resolve.c) that read and complete a repository's records in place before
 * they are written.  Not for use outside index/.
 */
#ifndef HG_BUILDER_P_H
#define HG_BUILDER_P_H

#include <Judy.h>
#include <stddef.h>
#include <stdint.h>

#include "store/builder.h"

typedef struct {
  uint8_t *data;
  size_t len, cap;
} HgBuf;

enum { HG_STR_MEMO = 1 << 14 };

struct HgBuilder {
  HgBuf sec[HG_SEC_COUNT_]; /* indexed by HgSectionKind */
  Pvoid_t strings;          /* JudySL: string -> offset in sec[STRINGS] */
  int32_t repo;             /* open repository, -1 when none */
  /* in front of strings: FNV-1a of a string -> its offset + 1 (0: empty),
   * the string last interned with that hash; most strings are repeats */
  uint32_t str_memo[HG_STR_MEMO];
};

/* The id of the string s[0..n) (no NUL inside) when it was interned, else
 * HG_NOSTR; through the same memo as hg_builder_str. */
uint32_t hg_builder_find(HgBuilder *b, const char *s, size_t n);

/* Append n zeroed bytes; aborts on out-of-memory. */
void *hg_buf_push(HgBuf *buf, size_t n);

#define HG_REC(b, kind, T)   ((T *)hg_buf_push(&(b)->sec[kind], sizeof(T)))
#define HG_NREC(b, kind)     ((uint32_t)((b)->sec[kind].len / hg_format_record_size[kind]))
#define HG_AT(b, kind, T, i) (&((T *)(b)->sec[kind].data)[i])
/* A string of the table by id (valid until the next interning). */
#define HG_BSTR(b, id) ((const char *)(b)->sec[HG_SEC_STRINGS].data + (id))

#endif

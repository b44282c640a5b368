#include "store/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strset.h"
#include "store/reader.h"
#include "store/refs.h"
#include "store/writer.h"

/* What the inputs before one hold, per table: its references are offset by this. */
typedef struct {
  uint64_t n[HG_SEC_COUNT_];
} HgMergeBase;

/* Write input ix's records of one kind, rebased (refs.h), a buffer at a time. */
static void hg_merge__put(HgIndexWriter *w, const HgIndex *ix, int kind, const HgMergeBase *base) {
  const uint8_t *sec = hg_index_section(ix, (HgSectionKind)kind);
  uint64_t n = hg_index_count(ix, (HgSectionKind)kind);
  if (!sec) return;
  if (kind == HG_SEC_STRINGS) {
    hg_writer_put(w, sec, n);
    return;
  }
  uint32_t size = hg_format_record_size[kind];
  uint8_t buf[64 * 1024];
  uint64_t per = sizeof buf / size;
  for (uint64_t i = 0; i < n; i += per) {
    uint64_t k = n - i < per ? n - i : per;
    memcpy(buf, sec + i * size, k * size);
    hg_refs_rebase(kind, buf, k, base->n);
    hg_writer_put(w, buf, k * size);
  }
}

HgStatus hg_merge_indexes(char *const *inputs, uint32_t n, const char *out, char *err, size_t errlen) {
  HgIndex **ix = calloc(n ? n : 1, sizeof *ix);
  HgMergeBase *base = calloc(n + 1, sizeof *base);
  HgStrSet names = {0}; /* names of any length cost one pass (base/strset.h) */
  HgStatus st = HG_OK;
  uint32_t opened = 0;
  if (!ix || !base) {
    free(ix);
    free(base);
    return HG_ERR_INTERNAL;
  }
  for (; opened < n && st == HG_OK; opened++) {
    st = hg_index_open(inputs[opened], &ix[opened], err, errlen);
    if (st != HG_OK) break;
    const HgIndex *x = ix[opened];
    for (uint32_t r = 0; r < hg_index_count(x, HG_SEC_REPOS) && st == HG_OK; r++) {
      const char *name = hg_index_text(x, hg_index_repo(x, r)->name);
      uint32_t first;
      if (hg_strset_add(&names, name, opened, &first)) {
        snprintf(err, errlen, "repository '%.300s' is in %s and again in %s", name, inputs[first], inputs[opened]);
        st = HG_ERR_INPUT;
      }
    }
    for (int k = 1; k < HG_SEC_COUNT_; k++)
      base[opened + 1].n[k] = base[opened].n[k] + hg_index_count(x, (HgSectionKind)k);
  }
  if (st == HG_OK) {
    uint64_t bytes[HG_SEC_COUNT_] = {0};
    for (int k = 1; k < HG_SEC_COUNT_; k++) bytes[k] = base[n].n[k] * hg_format_record_size[k];
    if (!n) bytes[HG_SEC_STRINGS] = 1; /* an index of nothing still has its empty string */
    HgIndexWriter *w;
    st = hg_writer_open(&w, out, bytes, HG_WRITE_DURABLE, err, errlen);
    if (st == HG_OK) {
      for (int k = 1; k < HG_SEC_COUNT_; k++) {
        if (k == HG_SEC_BLOCKCRCS) continue;
        hg_writer_section(w, k);
        if (!n && k == HG_SEC_STRINGS) hg_writer_put(w, "", 1);
        for (uint32_t i = 0; i < n; i++) hg_merge__put(w, ix[i], k, &base[i]);
      }
      /* an input truncated in place while it was copied read as zeros there */
      for (uint32_t i = 0; i < n && st == HG_OK; i++)
        if (hg_index_vanished(ix[i])) {
          snprintf(err, errlen, "%s: the index file shrank while it was read (truncated in place); rebuild it",
                   inputs[i]);
          st = HG_ERR_FORMAT;
        }
      if (st == HG_OK)
        st = hg_writer_close(w, err, errlen);
      else
        hg_writer_abort(w);
    }
  }
  for (uint32_t i = 0; i < opened && i < n; i++) hg_index_close(ix[i]);
  hg_strset_free(&names);
  free(ix);
  free(base);
  return st;
}

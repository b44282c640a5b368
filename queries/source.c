#include "queries/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/crc32c.h"
#include "base/file.h"
#include "base/utf8.h"

void hg_source_init(HgSource *s) {
  memset(s, 0, sizeof *s);
  s->file = UINT32_MAX;
}

void hg_source_free(HgSource *s) {
  free(s->text);
  free(s->line_off);
  hg_source_init(s);
}

HgStatus hg_source_load(HgSource *s, const HgIndex *ix, uint32_t file) {
  if (s->file == file) return HG_OK;
  s->file = UINT32_MAX;
  const HgFileRec *f = hg_index_file(ix, file);
  const HgRepoRec *r = hg_index_repo(ix, f->repo);
  char path[8192];
  int pn = snprintf(path, sizeof path, "%s/%s", hg_index_text(ix, r->root), hg_index_text(ix, f->path));
  if (pn < 0 || (size_t)pn >= sizeof path) return HG_ERR_IO;
  if (hg_read_file(path, &s->text, &s->cap, &s->len) != 0) return errno == ENOMEM ? HG_ERR_INTERNAL : HG_ERR_IO;
  if (s->len != f->n_bytes || hg_crc32c(0, s->text, s->len) != f->content_crc) return HG_ERR_INPUT;
  /* line starts: LF, CRLF and a lone CR end a line, as Python and the analyzer count */
  s->n_lines = 0;
  for (size_t i = 0; i <= s->len; i++) {
    if (i == 0 || s->text[i - 1] == '\n' || (s->text[i - 1] == '\r' && s->text[i] != '\n')) {
      if (s->n_lines + 1 >= s->line_cap) {
        s->line_cap = s->line_cap ? s->line_cap * 2 : 1024;
        uint32_t *t = realloc(s->line_off, s->line_cap * sizeof(uint32_t));
        if (!t) return HG_ERR_INTERNAL;
        s->line_off = t;
      }
      if (i < s->len || i == 0) s->line_off[s->n_lines++] = (uint32_t)i;
    }
  }
  s->line_off[s->n_lines] = (uint32_t)s->len;
  s->file = file;
  return HG_OK;
}

char *hg_source_bytes(const HgSource *s, uint32_t a, uint32_t b) {
  if (b > s->len) b = (uint32_t)s->len;
  if (a > b) a = b;
  /* JSON wants UTF-8: invalid bytes and NULs become U+FFFD (3 bytes at most) */
  char *out = hg_xmalloc((size_t)(b - a) * 3 + 1);
  out[hg_utf8_repair(out, s->text + a, b - a)] = 0;
  return out;
}

char *hg_source_lines(const HgSource *s, uint32_t first, uint32_t last) {
  if (first >= s->n_lines) return hg_source_bytes(s, (uint32_t)s->len, (uint32_t)s->len);
  if (last >= s->n_lines) last = s->n_lines - 1;
  return hg_source_bytes(s, s->line_off[first], s->line_off[last + 1]);
}

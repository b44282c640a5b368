#include "store/builder.h"

#include <Judy.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "store/builder_p.h"
#include "store/refs.h"
#include "store/writer.h"

void *hg_buf_push(HgBuf *buf, size_t n) {
  if (buf->len + n > buf->cap) {
    size_t cap = buf->cap ? buf->cap : 4096;
    while (cap < buf->len + n) cap *= 2;
    uint8_t *d = hg_xrealloc(buf->data, cap);
    buf->data = d;
    buf->cap = cap;
  }
  void *p = buf->data + buf->len;
  memset(p, 0, n);
  buf->len += n;
  return p;
}

HgBuilder *hg_builder_new(void) {
  HgBuilder *b = hg_xcalloc(1, sizeof *b);
  *(char *)hg_buf_push(&b->sec[HG_SEC_STRINGS], 1) = 0; /* id 0 is "" */
  b->repo = -1;
  return b;
}

void hg_builder_delete(HgBuilder *b) {
  if (!b) return;
  for (int i = 0; i < HG_SEC_COUNT_; i++) free(b->sec[i].data);
  Word_t bytes;
  JSLFA(bytes, b->strings);
  (void)bytes;
  free(b);
}

/* The memo slot of s[0..n): FNV-1a of its bytes. */
static uint32_t *hg_builder__memo(HgBuilder *b, const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return &b->str_memo[h & (HG_STR_MEMO - 1)];
}

uint32_t hg_builder_find(HgBuilder *b, const char *s, size_t n) {
  if (n == 0) return 0;
  if (n > HG_INTERN_MAX) return HG_NOSTR; /* never interned (hg_builder_str) */
  uint32_t *memo = hg_builder__memo(b, s, n);
  if (*memo) {
    const char *m = HG_BSTR(b, *memo - 1);
    if (strncmp(m, s, n) == 0 && m[n] == 0) return *memo - 1;
  }
  char small[512], *key = n < sizeof small ? small : hg_xmalloc(n + 1);
  memcpy(key, s, n);
  key[n] = 0;
  PWord_t pv;
  JSLG(pv, b->strings, (const uint8_t *)key);
  if (key != small) free(key);
  if (!pv) return HG_NOSTR;
  *memo = (uint32_t)*pv + 1;
  return (uint32_t)*pv;
}

uint32_t hg_builder_str(HgBuilder *b, const char *s) {
  if (!s) return HG_NOSTR;
  if (!s[0]) return 0;
  size_t len = strlen(s);
  /* JudySL spends a level, and freeing it a recursion, per 8 bytes two keys
   * share: two names sharing a 2 MB prefix overflowed the stack in
   * JudySLFreeArray.  A longer string is stored, not interned. */
  if (len > HG_INTERN_MAX) return hg_builder_text(b, s);
  uint32_t *memo = hg_builder__memo(b, s, len);
  if (*memo && strcmp(HG_BSTR(b, *memo - 1), s) == 0) return *memo - 1;
  PWord_t pv;
  JSLI(pv, b->strings, (const uint8_t *)s);
  if (!pv) hg_oom("string table");
  if (!*pv) {
    size_t n = len + 1;
    HgBuf *sb = &b->sec[HG_SEC_STRINGS];
    if (sb->len + n > UINT32_MAX - 1) {
      hg_oom("string table over 4 GiB");
    }
    *pv = sb->len;
    /* s may point into the table itself (a suffix of a string), which the
     * push below can move: copy it out first. */
    char small[256], *tmp = NULL;
    if ((const uint8_t *)s >= sb->data && (const uint8_t *)s < sb->data + sb->len) {
      tmp = n <= sizeof small ? small : hg_xmalloc(n);
      memcpy(tmp, s, n);
      s = tmp;
    }
    memcpy(hg_buf_push(sb, n), s, n);
    if (tmp != small) free(tmp);
  }
  *memo = (uint32_t)*pv + 1;
  return (uint32_t)*pv;
}

uint32_t hg_builder_text(HgBuilder *b, const char *s) {
  if (!s) return HG_NOSTR;
  if (!s[0]) return 0;
  size_t n = strlen(s) + 1;
  HgBuf *sb = &b->sec[HG_SEC_STRINGS];
  if (sb->len + n > UINT32_MAX - 1) {
    hg_oom("string table over 4 GiB");
  }
  uint32_t id = (uint32_t)sb->len;
  memcpy(hg_buf_push(sb, n), s, n);
  return id;
}

/* Append the string ids of strs to STRIDS; the range counts from `from`
 * (the file's first, hg_builder_add_file rebases it). */
static HgRange hg_builder__strids(HgBuilder *b, const char *const *strs, uint32_t n, uint32_t from) {
  HgRange r = {HG_NREC(b, HG_SEC_STRIDS) - from, n};
  for (uint32_t i = 0; i < n; i++) {
    uint32_t id = hg_builder_str(b, strs[i]);
    *HG_REC(b, HG_SEC_STRIDS, uint32_t) = id;
  }
  return r;
}

uint32_t hg_builder_begin_repo(HgBuilder *b, const char *name, const char *commit, const char *root) {
  uint32_t idx = HG_NREC(b, HG_SEC_REPOS);
  HgRepoRec *r = HG_REC(b, HG_SEC_REPOS, HgRepoRec);
  r->name = hg_builder_str(b, name);
  r->commit = hg_builder_str(b, commit ? commit : "");
  r->root = hg_builder_str(b, root);
  r->files.first = HG_NREC(b, HG_SEC_FILES);
  r->defs.first = HG_NREC(b, HG_SEC_DEFS);
  r->imports.first = HG_NREC(b, HG_SEC_IMPORTS);
  r->calls.first = HG_NREC(b, HG_SEC_CALLS);
  r->binds.first = HG_NREC(b, HG_SEC_BINDS);
  r->diags.first = HG_NREC(b, HG_SEC_DIAGS);
  b->repo = (int32_t)idx;
  return idx;
}

static void hg_builder__diag(HgBuilder *b, uint32_t file, uint32_t line, uint32_t col, uint32_t sev, const char *msg) {
  HgDiagRec *d = HG_REC(b, HG_SEC_DIAGS, HgDiagRec);
  d->file = file;
  d->line = line;
  d->col = col;
  d->severity = sev;
  d->message = hg_builder_str(b, msg);
}

/* The sections a file's facts are appended to. */
static const int hg_builder__file_secs[] = {HG_SEC_FILES, HG_SEC_DEFS,  HG_SEC_PARAMS, HG_SEC_IMPORTS,
                                            HG_SEC_CALLS, HG_SEC_BINDS, HG_SEC_DIAGS,  HG_SEC_STRIDS};

/* The facts are copied with every reference counted from the file's own
 * first record of each table, as the analyzer gives them (a def's parent,
 * a binding's def or import, a call's receiver: indices into the file's
 * facts), then one pass of hg_refs_rebase offsets them all by what the
 * tables held before the file, as the merge offsets an index by what the
 * indexes before it hold.  String ids are global from the start (base 0)
 * and so is the repository (base b->repo). */
void hg_builder_add_file(HgBuilder *b, const char *path, const char *module, uint32_t flags, uint32_t content_crc,
                         const HgFileFacts *facts) {
  uint64_t base[HG_SEC_COUNT_] = {0};
  for (size_t k = 0; k < sizeof hg_builder__file_secs / sizeof hg_builder__file_secs[0]; k++)
    base[hg_builder__file_secs[k]] = HG_NREC(b, hg_builder__file_secs[k]);
  base[HG_SEC_REPOS] = (uint32_t)b->repo;
  const uint32_t strids0 = (uint32_t)base[HG_SEC_STRIDS], params0 = (uint32_t)base[HG_SEC_PARAMS];

  HgFileRec fr = {0};
  fr.path = hg_builder_str(b, path);
  fr.module = hg_builder_str(b, module);
  fr.repo = 0;
  fr.flags = flags | (facts->has_error ? HG_FILE_HAS_ERROR : 0) | (facts->not_utf8 ? HG_FILE_NOT_UTF8 : 0);
  fr.n_lines = facts->n_lines;
  fr.n_bytes = facts->n_bytes;
  fr.content_crc = content_crc;
  fr.all_state = facts->all_state;
  fr.all = hg_builder__strids(b, facts->all, facts->n_all, strids0);

  fr.defs = (HgRange){0, facts->defs.len};
  for (uint32_t i = 0; i < facts->defs.len; i++) {
    const HgDef *d = &facts->defs.items[i];
    HgDefRec r = {0};
    r.name = hg_builder_str(b, d->name);
    r.qualname = hg_builder_str(b, d->qualname);
    r.file = 0;
    r.parent = d->parent;
    r.kind = d->kind;
    r.flags = d->flags;
    r.line_start = d->line_start;
    r.line_end = d->line_end;
    r.decorator_line = d->decorator_line;
    r.byte_start = d->byte_start;
    r.byte_end = d->byte_end;
    r.decorator_byte = d->decorator_byte;
    r.body_line_start = d->body_line_start;
    r.body_line_end = d->body_line_end;
    r.body_byte_start = d->body_byte_start;
    r.doc_line_start = d->doc_line_start;
    r.doc_line_end = d->doc_line_end;
    r.doc_byte_start = d->doc_byte_start;
    r.doc_byte_end = d->doc_byte_end;
    r.docstring = hg_builder_text(b, d->docstring);
    r.signature = hg_builder_str(b, d->signature);
    r.n_body_stmts = d->n_body_stmts;
    r.decorators = hg_builder__strids(b, d->decorators, d->n_decorators, strids0);
    r.bases = hg_builder__strids(b, d->bases, d->n_bases, strids0);
    r.params = (HgRange){HG_NREC(b, HG_SEC_PARAMS) - params0, d->n_params};
    for (uint32_t k = 0; k < d->n_params; k++) {
      HgParamRec p = {hg_builder_str(b, d->params[k].name), hg_builder_str(b, d->params[k].annotation),
                      hg_builder_str(b, d->params[k].default_), d->params[k].kind};
      *HG_REC(b, HG_SEC_PARAMS, HgParamRec) = p;
    }
    *HG_REC(b, HG_SEC_DEFS, HgDefRec) = r;
  }
  fr.imports = (HgRange){0, facts->imports.len};
  for (uint32_t i = 0; i < facts->imports.len; i++) {
    const HgImport *m = &facts->imports.items[i];
    HgImportRec r = {hg_builder_str(b, m->module),
                     hg_builder_str(b, m->name),
                     hg_builder_str(b, m->asname),
                     m->owner,
                     0,
                     m->line,
                     m->col,
                     m->level,
                     m->flags,
                     HG_REF_NONE,
                     0,
                     HG_ORIGIN_UNRESOLVED};
    *HG_REC(b, HG_SEC_IMPORTS, HgImportRec) = r;
  }
  fr.calls = (HgRange){0, facts->calls.len};
  for (uint32_t i = 0; i < facts->calls.len; i++) {
    const HgCall *c = &facts->calls.items[i];
    HgCallRec r = {0};
    r.owner = c->owner;
    r.file = 0;
    r.line = c->line;
    r.col = c->col;
    r.byte = c->byte;
    r.chain = hg_builder_str(b, c->chain);
    r.recv_call = c->recv_call;
    r.shape = c->shape;
    r.flags = c->flags;
    *HG_REC(b, HG_SEC_CALLS, HgCallRec) = r;
  }
  fr.binds = (HgRange){0, facts->bindings.len};
  for (uint32_t i = 0; i < facts->bindings.len; i++) {
    const HgBinding *x = &facts->bindings.items[i];
    HgBindRec r = {0};
    r.target = hg_builder_str(b, x->target);
    r.owner = x->owner;
    r.file = 0;
    r.line = x->line;
    r.value = hg_builder_str(b, x->value);
    r.annotation = hg_builder_str(b, x->annotation);
    r.kind = x->kind;
    r.value_kind = x->value_kind;
    r.ref = x->ref;
    *HG_REC(b, HG_SEC_BINDS, HgBindRec) = r;
  }
  fr.diags = (HgRange){0, facts->diags.len};
  for (uint32_t i = 0; i < facts->diags.len; i++) {
    const HgDiag *d = &facts->diags.items[i];
    hg_builder__diag(b, 0, d->line, d->col, d->severity, d->message);
  }
  *HG_REC(b, HG_SEC_FILES, HgFileRec) = fr;
  for (size_t k = 0; k < sizeof hg_builder__file_secs / sizeof hg_builder__file_secs[0]; k++) {
    int sec = hg_builder__file_secs[k];
    uint32_t size = hg_format_record_size[sec], from = (uint32_t)base[sec];
    hg_refs_rebase(sec, b->sec[sec].data + (size_t)from * size, HG_NREC(b, sec) - from, base);
  }
}

void hg_builder_add_diag(HgBuilder *b, const char *path, uint32_t line, uint32_t col, HgSeverity sev,
                         const char *message) {
  /* A repository-level diagnostic names its file in the message: the file
   * has no record of its own. */
  size_t n = strlen(path) + strlen(message) + 3;
  char *msg = hg_xmalloc(n);
  snprintf(msg, n, "%s: %s", path, message);
  hg_builder__diag(b, HG_NOSTR, line, col, sev, msg);
  free(msg);
}

void hg_builder_end_repo(HgBuilder *b, uint32_t n_skipped) {
  if (b->repo < 0) return;
  HgRepoRec *r = HG_AT(b, HG_SEC_REPOS, HgRepoRec, b->repo);
  r->files.count = HG_NREC(b, HG_SEC_FILES) - r->files.first;
  r->defs.count = HG_NREC(b, HG_SEC_DEFS) - r->defs.first;
  r->imports.count = HG_NREC(b, HG_SEC_IMPORTS) - r->imports.first;
  r->calls.count = HG_NREC(b, HG_SEC_CALLS) - r->calls.first;
  r->binds.count = HG_NREC(b, HG_SEC_BINDS) - r->binds.first;
  r->diags.count = HG_NREC(b, HG_SEC_DIAGS) - r->diags.first;
  r->n_skipped = n_skipped;
  uint64_t bytes = 0, lines = 0;
  for (uint32_t f = r->files.first; f < r->files.first + r->files.count; f++) {
    const HgFileRec *fr = HG_AT(b, HG_SEC_FILES, HgFileRec, f);
    bytes += fr->n_bytes;
    lines += fr->n_lines;
  }
  r->n_bytes = bytes;
  r->n_lines = (uint32_t)(lines > UINT32_MAX ? UINT32_MAX : lines);
  b->repo = -1;
}

uint64_t hg_builder_count(const HgBuilder *b, HgSectionKind kind) { return HG_NREC(b, kind); }

HgStatus hg_builder_write(HgBuilder *b, const char *path, HgWriteMode mode, char *errbuf, size_t errlen) {
  uint64_t bytes[HG_SEC_COUNT_] = {0};
  for (int k = 1; k < HG_SEC_COUNT_; k++) bytes[k] = b->sec[k].len;
  HgIndexWriter *w;
  HgStatus st = hg_writer_open(&w, path, bytes, mode, errbuf, errlen);
  if (st != HG_OK) return st;
  for (int k = 1; k < HG_SEC_COUNT_; k++) {
    if (k == HG_SEC_BLOCKCRCS) continue;
    hg_writer_section(w, k);
    hg_writer_put(w, b->sec[k].data, b->sec[k].len);
  }
  return hg_writer_close(w, errbuf, errlen);
}

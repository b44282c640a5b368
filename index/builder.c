#include "index/builder.h"

#include <Judy.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index/builder_p.h"
#include "index/crc32c.h"

void *hg_buf_push(HgBuf *buf, size_t n) {
  if (buf->len + n > buf->cap) {
    size_t cap = buf->cap ? buf->cap : 4096;
    while (cap < buf->len + n) cap *= 2;
    uint8_t *d = realloc(buf->data, cap);
    if (!d) {
      fputs("hgym: out of memory\n", stderr);
      abort();
    }
    buf->data = d;
    buf->cap = cap;
  }
  void *p = buf->data + buf->len;
  memset(p, 0, n);
  buf->len += n;
  return p;
}

HgBuilder *hg_builder_new(void) {
  HgBuilder *b = calloc(1, sizeof *b);
  if (!b) return NULL;
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

uint32_t hg_builder_str(HgBuilder *b, const char *s) {
  if (!s) return HG_NOSTR;
  if (!s[0]) return 0;
  PWord_t pv;
  JSLI(pv, b->strings, (const uint8_t *)s);
  if (!pv) {
    fputs("hgym: out of memory\n", stderr);
    abort();
  }
  if (!*pv) {
    size_t n = strlen(s) + 1;
    HgBuf *sb = &b->sec[HG_SEC_STRINGS];
    if (sb->len + n > UINT32_MAX - 1) {
      fputs("hgym: string table exceeds 4 GiB\n", stderr);
      abort();
    }
    *pv = sb->len;
    /* s may point into the table itself (a suffix of a string), which the
     * push below can move: copy it out first. */
    char small[256], *tmp = NULL;
    if ((const uint8_t *)s >= sb->data && (const uint8_t *)s < sb->data + sb->len) {
      tmp = n <= sizeof small ? small : malloc(n);
      if (!tmp) abort();
      memcpy(tmp, s, n);
      s = tmp;
    }
    memcpy(hg_buf_push(sb, n), s, n);
    if (tmp != small) free(tmp);
  }
  return (uint32_t)*pv;
}

static HgRange hg__strids(HgBuilder *b, const char *const *strs, uint32_t n) {
  HgRange r = {HG_NREC(b, HG_SEC_STRIDS), n};
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

static int32_t hg__rebase(int32_t local, uint32_t base) { return local < 0 ? -1 : (int32_t)(base + (uint32_t)local); }

static void hg__diag_rec(HgBuilder *b, uint32_t file, uint32_t line, uint32_t col, uint32_t sev, const char *msg) {
  HgDiagRec *d = HG_REC(b, HG_SEC_DIAGS, HgDiagRec);
  d->file = file;
  d->line = line;
  d->col = col;
  d->severity = sev;
  d->message = hg_builder_str(b, msg);
}

void hg_builder_add_file(HgBuilder *b, const char *path, const char *module, uint32_t flags, uint32_t content_crc,
                         const HgFileFacts *facts) {
  uint32_t fidx = HG_NREC(b, HG_SEC_FILES);
  /* Interning may grow sections: fill the file record through its index. */
  uint32_t path_id = hg_builder_str(b, path), module_id = hg_builder_str(b, module);
  HgFileRec fr = {0};
  fr.path = path_id;
  fr.module = module_id;
  fr.repo = (uint32_t)b->repo;
  fr.flags = flags | (facts->has_error ? HG_FILE_HAS_ERROR : 0) | (facts->not_utf8 ? HG_FILE_NOT_UTF8 : 0);
  fr.n_lines = facts->n_lines;
  fr.n_bytes = facts->n_bytes;
  fr.content_crc = content_crc;
  fr.all_state = facts->all_state;
  fr.all = hg__strids(b, facts->all, facts->n_all);

  uint32_t def_base = HG_NREC(b, HG_SEC_DEFS), call_base = HG_NREC(b, HG_SEC_CALLS);
  fr.defs = (HgRange){def_base, facts->defs.len};
  for (uint32_t i = 0; i < facts->defs.len; i++) {
    const HgDef *d = &facts->defs.items[i];
    HgDefRec r = {0};
    r.name = hg_builder_str(b, d->name);
    r.qualname = hg_builder_str(b, d->qualname);
    r.file = fidx;
    r.parent = hg__rebase(d->parent, def_base);
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
    r.docstring = hg_builder_str(b, d->docstring);
    r.signature = hg_builder_str(b, d->signature);
    r.n_body_stmts = d->n_body_stmts;
    r.decorators = hg__strids(b, d->decorators, d->n_decorators);
    r.bases = hg__strids(b, d->bases, d->n_bases);
    r.params = (HgRange){HG_NREC(b, HG_SEC_PARAMS), d->n_params};
    for (uint32_t k = 0; k < d->n_params; k++) {
      HgParamRec p = {hg_builder_str(b, d->params[k].name), hg_builder_str(b, d->params[k].annotation),
                      hg_builder_str(b, d->params[k].default_), d->params[k].kind};
      *HG_REC(b, HG_SEC_PARAMS, HgParamRec) = p;
    }
    *HG_REC(b, HG_SEC_DEFS, HgDefRec) = r;
  }
  fr.imports = (HgRange){HG_NREC(b, HG_SEC_IMPORTS), facts->imports.len};
  for (uint32_t i = 0; i < facts->imports.len; i++) {
    const HgImport *m = &facts->imports.items[i];
    HgImportRec r = {hg_builder_str(b, m->module), hg_builder_str(b, m->name), hg_builder_str(b, m->asname),
                     hg__rebase(m->owner, def_base), fidx, m->line, m->col, m->level, m->flags,
                     HG_REF_NONE, 0, HG_ORIGIN_UNRESOLVED};
    *HG_REC(b, HG_SEC_IMPORTS, HgImportRec) = r;
  }
  fr.calls = (HgRange){call_base, facts->calls.len};
  for (uint32_t i = 0; i < facts->calls.len; i++) {
    const HgCall *c = &facts->calls.items[i];
    HgCallRec r = {0};
    r.owner = hg__rebase(c->owner, def_base);
    r.file = fidx;
    r.line = c->line;
    r.col = c->col;
    r.byte = c->byte;
    r.chain = hg_builder_str(b, c->chain);
    r.recv_call = hg__rebase(c->recv_call, c->shape == HG_CALLEE_SELF ? def_base : call_base);
    r.shape = c->shape;
    r.flags = c->flags;
    *HG_REC(b, HG_SEC_CALLS, HgCallRec) = r;
  }
  fr.binds = (HgRange){HG_NREC(b, HG_SEC_BINDS), facts->bindings.len};
  for (uint32_t i = 0; i < facts->bindings.len; i++) {
    const HgBinding *x = &facts->bindings.items[i];
    HgBindRec r = {0};
    r.target = hg_builder_str(b, x->target);
    r.owner = hg__rebase(x->owner, def_base);
    r.file = fidx;
    r.line = x->line;
    r.value = hg_builder_str(b, x->value);
    r.kind = x->kind;
    r.value_kind = x->value_kind;
    r.ref = x->kind == HG_BIND_IMPORT ? hg__rebase(x->ref, fr.imports.first)
                                      : hg__rebase(x->ref, def_base);
    *HG_REC(b, HG_SEC_BINDS, HgBindRec) = r;
  }
  fr.diags = (HgRange){HG_NREC(b, HG_SEC_DIAGS), facts->diags.len};
  for (uint32_t i = 0; i < facts->diags.len; i++) {
    const HgDiag *d = &facts->diags.items[i];
    hg__diag_rec(b, fidx, d->line, d->col, d->severity, d->message);
  }
  *HG_REC(b, HG_SEC_FILES, HgFileRec) = fr;
}

void hg_builder_add_diag(HgBuilder *b, const char *path, uint32_t line, uint32_t col, HgSeverity sev,
                         const char *message) {
  /* A repository-level diagnostic names its file in the message: the file
   * has no record of its own. */
  size_t n = strlen(path) + strlen(message) + 3;
  char *msg = malloc(n);
  if (!msg) abort();
  snprintf(msg, n, "%s: %s", path, message);
  hg__diag_rec(b, HG_NOSTR, line, col, sev, msg);
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

static int hg__write_all(int fd, const void *p, size_t n) {
  const uint8_t *c = p;
  while (n) {
    ssize_t w = write(fd, c, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

HgStatus hg_builder_write(HgBuilder *b, const char *path, char *errbuf, size_t errlen) {
  enum { NSEC = HG_SEC_COUNT_ - 1 };
  HgHeader h = {0};
  HgSectionEntry dir[NSEC];
  memcpy(h.magic, HG_MAGIC, 8);
  h.version = HG_FORMAT_VERSION;
  h.n_sections = NSEC;
  /* block CRCs of every section but BLOCKCRCS itself, which comes last */
  HgBuf *bc = &b->sec[HG_SEC_BLOCKCRCS];
  bc->len = 0;
  uint64_t off = sizeof h + sizeof dir;
  for (int k = 1; k < HG_SEC_COUNT_; k++) {
    HgSectionEntry *e = &dir[k - 1];
    const HgBuf *s = &b->sec[k];
    off = (off + 7) & ~(uint64_t)7;
    e->kind = (uint32_t)k;
    e->record_size = hg_format_record_size[k];
    e->offset = off;
    e->count = s->len / hg_format_record_size[k];
    e->crc = 0;
    e->blocks = (uint32_t)(bc->len / sizeof(uint32_t));
    if (k != HG_SEC_BLOCKCRCS)
      for (size_t at = 0; at < s->len; at += HG_BLOCK) {
        size_t n = s->len - at < HG_BLOCK ? s->len - at : HG_BLOCK;
        *(uint32_t *)hg_buf_push(bc, sizeof(uint32_t)) = hg_crc32c(0, s->data + at, n);
      }
    off += s->len;
  }
  /* BLOCKCRCS grew while its own entry was filled: set it now */
  dir[HG_SEC_BLOCKCRCS - 1].count = bc->len / sizeof(uint32_t);
  h.file_size = dir[HG_SEC_BLOCKCRCS - 1].offset + bc->len;
  for (int k = 1; k < HG_SEC_COUNT_; k++) dir[k - 1].crc = hg_crc32c(0, b->sec[k].data, b->sec[k].len);
  h.header_crc = hg_crc32c(hg_crc32c(0, &h, sizeof h), dir, sizeof dir);

  size_t tlen = strlen(path) + 32;
  char *tmp = malloc(tlen);
  if (!tmp) return HG_ERR_INTERNAL;
  snprintf(tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
  HgStatus st = HG_OK;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    snprintf(errbuf, errlen, "%s: cannot create: %s", tmp, strerror(errno));
    free(tmp);
    return HG_ERR_IO;
  }
  static const uint8_t zeros[8];
  uint64_t pos = sizeof h + sizeof dir;
  if (hg__write_all(fd, &h, sizeof h) || hg__write_all(fd, dir, sizeof dir)) goto io_error;
  for (int k = 1; k < HG_SEC_COUNT_; k++) {
    uint64_t pad = dir[k - 1].offset - pos;
    if (pad && hg__write_all(fd, zeros, pad)) goto io_error;
    if (b->sec[k].len && hg__write_all(fd, b->sec[k].data, b->sec[k].len)) goto io_error;
    pos = dir[k - 1].offset + b->sec[k].len;
  }
  if (fsync(fd) != 0) goto io_error;
  if (close(fd) != 0) {
    fd = -1;
    goto io_error;
  }
  fd = -1;
  if (rename(tmp, path) != 0) goto io_error;
  /* make the rename itself durable */
  {
    char *parent = strdup(path), *slash = parent ? strrchr(parent, '/') : NULL;
    if (parent) {
      if (slash) *slash = 0;
      int dfd = open(slash ? (parent[0] ? parent : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
      }
      free(parent);
    }
  }
  free(tmp);
  return HG_OK;
io_error:
  snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
  if (fd >= 0) close(fd);
  unlink(tmp);
  free(tmp);
  st = HG_ERR_IO;
  return st;
}

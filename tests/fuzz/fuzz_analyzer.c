/*
 * fuzz_analyzer.c: libFuzzer target for the analyzer (make fuzz, docs/FUZZING.md).
 *
 * Arbitrary bytes go to hg_analyzer_run as one Python file.  Besides not
 * crashing (ASan and UBSan watch every access), the facts must keep the
 * invariants facts.h promises; a broken one aborts, which libFuzzer reports
 * as a crash with the input that caused it:
 *  - a def's parent precedes it, every owner and cross-reference is a valid
 *    index (or -1), and a parent's lines hold its children's;
 *  - every line is within the file's line count (a syntax error may sit at
 *    the end of the file: diagnostics may name line n_lines), every byte
 *    offset within the file, starts before ends;
 *  - every string is NUL-terminated valid UTF-8 with no NUL inside.
 * A file the analyzer refuses (HG_ERR_INPUT) only has its reason, the last
 * diagnostic, checked: its other facts are not used.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"

static HgAnalyzer *an;
static HgArena *arena;

#define CHECK(cond)                                                                \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      fprintf(stderr, "fuzz_analyzer: invariant broken: %s (line %d)\n", #cond, __LINE__); \
      abort();                                                                     \
    }                                                                              \
  } while (0)

/* Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF),
 * written here independently of the analyzer's own checker. */
static int utf8_ok(const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  while (*s) {
    unsigned c = *s;
    int n;
    unsigned min;
    if (c < 0x80) { s++; continue; }
    if (c >= 0xC2 && c <= 0xDF) n = 1, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, min = 0x10000;
    else return 0;
    unsigned cp = c & (0x3F >> n);
    for (int k = 1; k <= n; k++) {
      if ((s[k] & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (s[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    s += n + 1;
  }
  return 1;
}

#define STR(s) CHECK((s) != NULL && utf8_ok(s))
#define OPTSTR(s) CHECK((s) == NULL || utf8_ok(s))

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  an = hg_analyzer_new();
  arena = hg_arena_new();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  HgFileFacts f;
  HgStatus st = hg_analyzer_run(an, (const char *)data, size, arena, &f);
  CHECK(st == HG_OK || st == HG_ERR_INPUT);
  CHECK(f.n_bytes == size);
  if (st != HG_OK) { /* refused: only the reason, its last diagnostic, is meant to be read */
    CHECK(f.diags.len > 0);
    STR(f.diags.items[f.diags.len - 1].message);
    return 0;
  }
  uint32_t nl = f.n_lines, last = nl ? nl - 1 : 0;
  int32_t nd = (int32_t)f.defs.len;
  for (int32_t i = 0; i < nd; i++) {
    const HgDef *d = &f.defs.items[i];
    STR(d->name);
    STR(d->qualname);
    STR(d->signature);
    OPTSTR(d->docstring);
    CHECK(d->parent >= -1 && d->parent < i);
    CHECK(d->kind == HG_KIND_FUNCTION || d->kind == HG_KIND_CLASS);
    CHECK(d->decorator_line <= d->line_start && d->line_start <= d->line_end && d->line_end <= last);
    CHECK(d->decorator_byte <= d->byte_start && d->byte_start <= d->byte_end && d->byte_end <= size);
    CHECK(d->body_line_start <= d->body_line_end && d->body_line_end <= last);
    CHECK(d->body_byte_start <= size);
    if (d->doc_line_start >= 0) {
      CHECK(d->docstring != NULL);
      CHECK(d->doc_line_start <= d->doc_line_end && (uint32_t)d->doc_line_end <= last);
      CHECK(d->doc_byte_start <= d->doc_byte_end && d->doc_byte_end <= size);
    } else {
      CHECK(d->doc_line_end < 0);
    }
    if (d->parent >= 0) {
      const HgDef *p = &f.defs.items[d->parent];
      CHECK(p->line_start <= d->line_start && d->line_end <= p->line_end);
    }
    for (uint32_t k = 0; k < d->n_decorators; k++) STR(d->decorators[k]);
    for (uint32_t k = 0; k < d->n_bases; k++) STR(d->bases[k]);
    for (uint32_t k = 0; k < d->n_params; k++) {
      STR(d->params[k].name);
      OPTSTR(d->params[k].annotation);
      OPTSTR(d->params[k].default_);
      CHECK(d->params[k].kind <= HG_PARAM_POSONLY_SEP);
    }
  }
  for (uint32_t i = 0; i < f.imports.len; i++) {
    const HgImport *m = &f.imports.items[i];
    STR(m->module);
    OPTSTR(m->name);
    OPTSTR(m->asname);
    CHECK(m->owner >= -1 && m->owner < nd);
    CHECK(m->line <= last);
  }
  for (uint32_t i = 0; i < f.calls.len; i++) {
    const HgCall *c = &f.calls.items[i];
    STR(c->chain);
    CHECK(c->owner >= -1 && c->owner < nd);
    CHECK(c->line <= last && c->byte <= size);
    CHECK(c->shape <= HG_CALLEE_OTHER);
    if (c->shape == HG_CALLEE_SELF) CHECK(c->recv_call >= -1 && c->recv_call < nd); /* the method */
    else if (c->recv_call != -1) CHECK(c->recv_call > (int32_t)i && c->recv_call < (int32_t)f.calls.len);
  }
  for (uint32_t i = 0; i < f.bindings.len; i++) {
    const HgBinding *b = &f.bindings.items[i];
    STR(b->target);
    OPTSTR(b->value);
    CHECK(b->owner >= -1 && b->owner < nd);
    CHECK(b->line <= last);
    CHECK(b->kind <= HG_BIND_PARAM && b->value_kind <= HG_VALUE_NAME);
    if (b->kind == HG_BIND_DEF || b->kind == HG_BIND_CLASS) CHECK(b->ref >= 0 && b->ref < nd);
    else if (b->kind == HG_BIND_IMPORT) CHECK(b->ref >= 0 && b->ref < (int32_t)f.imports.len);
    else CHECK(b->ref == -1);
  }
  for (uint32_t i = 0; i < f.diags.len; i++) {
    const HgDiag *d = &f.diags.items[i];
    STR(d->message);
    CHECK(d->line <= nl && d->severity <= HG_SEV_NOTE);
  }
  for (uint32_t i = 0; i < f.n_all; i++) STR(f.all[i]);
  CHECK(f.all_state <= 2 && (f.all_state == 1 || f.n_all == 0));
  hg_arena_reset(arena);
  return 0;
}

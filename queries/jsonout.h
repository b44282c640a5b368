/*
 * jsonout.h: index records as cJSON objects, and JSONL printing.
 *
 * One function per record kind, used by every command that prints that kind,
 * so a field is named and typed the same way everywhere.  Lines are 0-indexed
 * as in the index; absent values are JSON null.
 */
#ifndef HG_JSONOUT_H
#define HG_JSONOUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "store/reader.h"

/* A definition in the shape `hgym-query defs` prints. */
cJSON *hg_json_def(const HgIndex *ix, uint32_t def);
/* The same plus everything else the index knows of it (export). */
cJSON *hg_json_def_full(const HgIndex *ix, uint32_t def);
/* An import and what its bound name resolved to (resolved, origin, target). */
cJSON *hg_json_import(const HgIndex *ix, uint32_t imp);
/* A definition as a dependency: name, file_path, lines, type, decorator_line, qualname. */
cJSON *hg_json_dep(const HgIndex *ix, uint32_t def);
cJSON *hg_json_call(const HgIndex *ix, uint32_t call);
cJSON *hg_json_bind(const HgIndex *ix, uint32_t bind);
/* A resolved call edge: the call, its origin and its target. */
cJSON *hg_json_edge(const HgIndex *ix, uint32_t edge);
const char *hg_origin_name(uint32_t origin);
cJSON *hg_json_diag(const HgIndex *ix, uint32_t diag);
cJSON *hg_json_file(const HgIndex *ix, uint32_t file);
cJSON *hg_json_repo(const HgIndex *ix, uint32_t repo);

/* Add a string field that may be absent (NULL becomes null). */
void hg_json_add_str(cJSON *o, const char *key, const char *s);
/* Print o and a newline, compactly (pretty 0) or indented (1), and free it:
 * the one printer of every JSON output of hgym-query and hgym-synth.  The
 * text is written as valid UTF-8 (hg_utf8_fputs: a byte of a path or name
 * that is not UTF-8 becomes U+FFFD), and nothing is printed once an index
 * has shrunk under its mapping (hg_index_check_all).  -1 on write error. */
int hg_json_print(FILE *out, cJSON *o, int pretty);
/* hg_json_print on one line. */
int hg_json_println(FILE *out, cJSON *o);

const char *hg_def_kind_name(uint32_t kind);

#endif

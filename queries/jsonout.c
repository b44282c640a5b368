#include "queries/jsonout.h"

#include <stdlib.h>

#include "base/utf8.h"

void hg_json_add_str(cJSON *o, const char *key, const char *s) {
  if (s)
    cJSON_AddStringToObject(o, key, s);
  else
    cJSON_AddNullToObject(o, key);
}

static void hg_json__add_int(cJSON *o, const char *key, int64_t v) { cJSON_AddNumberToObject(o, key, (double)v); }

static void hg_json__add_line(cJSON *o, const char *key, int32_t v) {
  if (v < 0)
    cJSON_AddNullToObject(o, key);
  else
    hg_json__add_int(o, key, v);
}

int hg_json_print(FILE *out, cJSON *o, int pretty) {
  hg_index_check_all(); /* no value read from an index that shrank under its mapping is printed */
  char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if (!s) return -1;
  int rc = hg_utf8_fputs(s, out) == EOF || fputc('\n', out) == EOF ? -1 : 0;
  cJSON_free(s);
  return rc;
}

int hg_json_println(FILE *out, cJSON *o) { return hg_json_print(out, o, 0); }

static const char *const HG_ORIGIN_NAMES[] = {"repository", "builtin", "stdlib", "third_party", "unresolved"};

const char *hg_origin_name(uint32_t origin) { return HG_ORIGIN_NAMES[origin < 5 ? origin : 4]; }

const char *hg_def_kind_name(uint32_t kind) { return kind == HG_KIND_CLASS ? "class" : "function"; }

static const char *hg_json__repo_name_of_file(const HgIndex *ix, const HgFileRec *f) {
  const HgRepoRec *r = hg_index_repo(ix, f->repo);
  return r ? hg_index_str(ix, r->name) : "";
}

cJSON *hg_json_def(const HgIndex *ix, uint32_t def) {
  const HgDefRec *d = hg_index_def(ix, def);
  const HgFileRec *f = hg_index_file(ix, d->file);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "repo", hg_json__repo_name_of_file(ix, f));
  cJSON_AddStringToObject(o, "file_path", hg_index_str(ix, f->path));
  cJSON_AddStringToObject(o, "module", hg_index_str(ix, f->module));
  cJSON_AddStringToObject(o, "name", hg_index_str(ix, d->name));
  cJSON_AddStringToObject(o, "qualname", hg_index_str(ix, d->qualname));
  cJSON_AddStringToObject(o, "type", hg_def_kind_name(d->kind));
  hg_json__add_int(o, "line_start", d->line_start);
  hg_json__add_int(o, "line_end", d->line_end);
  hg_json__add_int(o, "decorator_line", d->decorator_line);
  hg_json__add_line(o, "docstring_line_start", d->doc_line_start);
  hg_json__add_line(o, "docstring_line_end", d->doc_line_end);
  cJSON_AddBoolToObject(o, "is_async", (d->flags & HG_DEF_ASYNC) != 0);
  cJSON_AddStringToObject(o, "signature", hg_index_str(ix, d->signature));
  return o;
}

static cJSON *hg_json__strids(const HgIndex *ix, HgRange r) {
  cJSON *a = cJSON_CreateArray();
  for (uint32_t i = 0; i < r.count; i++)
    cJSON_AddItemToArray(a, cJSON_CreateString(hg_index_str(ix, hg_index_strid(ix, r.first + i))));
  return a;
}

static const char *const HG_PARAM_KINDS[] = {"plain", "varargs", "kwargs", "kwonly_separator", "posonly_separator"};

cJSON *hg_json_def_full(const HgIndex *ix, uint32_t def) {
  const HgDefRec *d = hg_index_def(ix, def);
  cJSON *o = hg_json_def(ix, def);
  const HgDefRec *p = d->parent >= 0 ? hg_index_def(ix, (uint32_t)d->parent) : NULL;
  hg_json_add_str(o, "parent", p ? hg_index_str(ix, p->qualname) : NULL);
  cJSON_AddBoolToObject(o, "is_method", (d->flags & HG_DEF_METHOD) != 0);
  cJSON_AddBoolToObject(o, "is_staticmethod", (d->flags & HG_DEF_STATICMETHOD) != 0);
  cJSON_AddBoolToObject(o, "is_classmethod", (d->flags & HG_DEF_CLASSMETHOD) != 0);
  cJSON_AddBoolToObject(o, "is_property", (d->flags & HG_DEF_PROPERTY) != 0);
  cJSON_AddBoolToObject(o, "in_syntax_error", (d->flags & HG_DEF_IN_ERROR) != 0);
  cJSON_AddBoolToObject(o, "returns_value", (d->flags & HG_DEF_RETURNS) != 0);
  cJSON_AddBoolToObject(o, "trivial_body", (d->flags & HG_DEF_TRIVIAL) != 0);
  cJSON_AddBoolToObject(o, "forwarding_body", (d->flags & HG_DEF_FORWARD) != 0);
  hg_json__add_int(o, "byte_start", d->byte_start);
  hg_json__add_int(o, "byte_end", d->byte_end);
  hg_json__add_int(o, "decorator_byte", d->decorator_byte);
  hg_json__add_int(o, "body_line_start", d->body_line_start);
  hg_json__add_int(o, "body_line_end", d->body_line_end);
  hg_json__add_int(o, "body_statements", d->n_body_stmts);
  hg_json_add_str(o, "docstring", hg_index_str(ix, d->docstring));
  cJSON_AddItemToObject(o, "decorators", hg_json__strids(ix, d->decorators));
  cJSON_AddItemToObject(o, "bases", hg_json__strids(ix, d->bases));
  cJSON *params = cJSON_AddArrayToObject(o, "parameters");
  for (uint32_t i = 0; i < d->params.count; i++) {
    const HgParamRec *pr = hg_index_param(ix, d->params.first + i);
    cJSON *po = cJSON_CreateObject();
    cJSON_AddStringToObject(po, "name", hg_index_str(ix, pr->name));
    cJSON_AddStringToObject(po, "kind", HG_PARAM_KINDS[pr->kind < 5 ? pr->kind : 0]);
    hg_json_add_str(po, "annotation", hg_index_str(ix, pr->annotation));
    hg_json_add_str(po, "default", hg_index_str(ix, pr->default_));
    cJSON_AddItemToArray(params, po);
  }
  return o;
}

static const char *hg_json__owner(const HgIndex *ix, int32_t owner) {
  return owner >= 0 ? hg_index_str(ix, hg_index_def(ix, (uint32_t)owner)->qualname) : NULL;
}

cJSON *hg_json_dep(const HgIndex *ix, uint32_t dep) {
  const HgDefRec *d = hg_index_def(ix, dep);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "name", hg_index_str(ix, d->name));
  cJSON_AddStringToObject(o, "file_path", hg_index_str(ix, hg_index_file(ix, d->file)->path));
  cJSON_AddNumberToObject(o, "line_start", d->line_start);
  cJSON_AddNumberToObject(o, "line_end", d->line_end);
  cJSON_AddStringToObject(o, "type", hg_def_kind_name(d->kind));
  cJSON_AddNumberToObject(o, "decorator_line", d->decorator_line);
  cJSON_AddStringToObject(o, "qualname", hg_index_str(ix, d->qualname));
  return o;
}

static const char *const HG_REF_KINDS[] = {"unresolved", "definition", "module", "package",
                                           "external",   "instance",   "local"};

cJSON *hg_json_import(const HgIndex *ix, uint32_t imp) {
  const HgImportRec *m = hg_index_import(ix, imp);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "module", hg_index_str(ix, m->module));
  hg_json_add_str(o, "name", hg_index_str(ix, m->name));
  hg_json_add_str(o, "asname", hg_index_str(ix, m->asname));
  hg_json__add_int(o, "level", m->level);
  hg_json__add_int(o, "line", m->line);
  hg_json__add_int(o, "col", m->col);
  hg_json_add_str(o, "owner", hg_json__owner(ix, m->owner));
  cJSON_AddBoolToObject(o, "from", (m->flags & HG_IMP_FROM) != 0);
  cJSON_AddBoolToObject(o, "star", (m->flags & HG_IMP_STAR) != 0);
  cJSON_AddBoolToObject(o, "in_try", (m->flags & HG_IMP_IN_TRY) != 0);
  cJSON_AddBoolToObject(o, "in_except", (m->flags & HG_IMP_IN_EXCEPT) != 0);
  cJSON_AddBoolToObject(o, "type_checking", (m->flags & HG_IMP_TYPE_CHECKING) != 0);
  cJSON_AddBoolToObject(o, "conditional", (m->flags & HG_IMP_CONDITIONAL) != 0);
  cJSON_AddStringToObject(o, "resolved", HG_REF_KINDS[m->res_kind < 7 ? m->res_kind : 0]);
  cJSON_AddStringToObject(o, "origin", hg_origin_name(m->res_class));
  switch (m->res_kind) {
  case HG_REF_DEF: cJSON_AddItemToObject(o, "target", hg_json_dep(ix, m->res_target)); break;
  case HG_REF_MODULE:
    cJSON_AddStringToObject(o, "target", hg_index_str(ix, hg_index_file(ix, m->res_target)->path));
    break;
  case HG_REF_PACKAGE:
  case HG_REF_EXTERNAL: cJSON_AddStringToObject(o, "target", hg_index_str(ix, m->res_target)); break;
  default: cJSON_AddNullToObject(o, "target"); break;
  }
  return o;
}

static const char *const HG_SHAPES[] = {"name", "attribute", "self", "super", "call_result", "subscript", "other"};

cJSON *hg_json_call(const HgIndex *ix, uint32_t call) {
  const HgCallRec *c = hg_index_call(ix, call);
  cJSON *o = cJSON_CreateObject();
  hg_json_add_str(o, "owner", hg_json__owner(ix, c->owner));
  hg_json__add_int(o, "line", c->line);
  hg_json__add_int(o, "col", c->col);
  cJSON_AddStringToObject(o, "shape", HG_SHAPES[c->shape < 7 ? c->shape : 6]);
  cJSON_AddStringToObject(o, "callee", hg_index_str(ix, c->chain));
  cJSON_AddBoolToObject(o, "in_decorator", (c->flags & HG_CALL_IN_DECORATOR) != 0);
  cJSON_AddBoolToObject(o, "in_header", (c->flags & HG_CALL_IN_HEADER) != 0);
  cJSON_AddBoolToObject(o, "raise", (c->flags & HG_CALL_RAISE) != 0);
  if (c->shape == HG_CALLEE_CALL || c->shape == HG_CALLEE_SUPER) {
    const HgCallRec *r = c->recv_call >= 0 ? hg_index_call(ix, (uint32_t)c->recv_call) : NULL;
    if (r) {
      cJSON *ro = cJSON_AddObjectToObject(o, "receiver");
      hg_json__add_int(ro, "line", r->line);
      hg_json__add_int(ro, "col", r->col);
    }
  }
  return o;
}

static const char *const HG_BIND_KINDS[] = {"assign", "def",    "class",  "import",   "for",  "with",
                                            "except", "walrus", "global", "nonlocal", "param"};
static const char *const HG_VALUE_KINDS[] = {"none", "call", "name"};

cJSON *hg_json_bind(const HgIndex *ix, uint32_t bind) {
  const HgBindRec *b = hg_index_bind(ix, bind);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "name", hg_index_str(ix, b->target));
  hg_json_add_str(o, "owner", hg_json__owner(ix, b->owner));
  hg_json__add_int(o, "line", b->line);
  cJSON_AddStringToObject(o, "kind", HG_BIND_KINDS[b->kind < 11 ? b->kind : 0]);
  if (b->value_kind) {
    cJSON_AddStringToObject(o, "value_kind", HG_VALUE_KINDS[b->value_kind < 3 ? b->value_kind : 0]);
    hg_json_add_str(o, "value", hg_index_str(ix, b->value));
  }
  if (b->annotation != HG_NOSTR) cJSON_AddStringToObject(o, "annotation", hg_index_str(ix, b->annotation));
  if (b->ref >= 0 && (b->kind == HG_BIND_DEF || b->kind == HG_BIND_CLASS))
    cJSON_AddNumberToObject(o, "definition_line", hg_index_def(ix, (uint32_t)b->ref)->line_start);
  else if (b->ref >= 0 && b->kind == HG_BIND_IMPORT)
    cJSON_AddNumberToObject(o, "import_line", hg_index_import(ix, (uint32_t)b->ref)->line);
  return o;
}

cJSON *hg_json_edge(const HgIndex *ix, uint32_t edge) {
  const HgEdgeRec *e = hg_index_edge(ix, edge);
  const HgCallRec *c = hg_index_call(ix, e->call);
  cJSON *o = cJSON_CreateObject();
  hg_json_add_str(o, "owner", hg_json__owner(ix, e->owner));
  hg_json__add_int(o, "line", c->line);
  hg_json__add_int(o, "col", c->col);
  cJSON_AddStringToObject(o, "callee", hg_index_str(ix, c->chain));
  cJSON_AddStringToObject(o, "origin", hg_origin_name(e->origin));
  if (e->origin == HG_ORIGIN_REPO) {
    const HgDefRec *d = hg_index_def(ix, e->target);
    cJSON_AddStringToObject(o, "target", hg_index_str(ix, d->qualname));
    cJSON_AddStringToObject(o, "target_file", hg_index_str(ix, hg_index_file(ix, d->file)->path));
  } else if (e->origin != HG_ORIGIN_UNRESOLVED) {
    cJSON_AddStringToObject(o, "target", hg_index_str(ix, e->target));
  }
  cJSON_AddBoolToObject(o, "ambiguous", (e->flags & HG_EDGE_AMBIGUOUS) != 0);
  return o;
}

cJSON *hg_json_diag(const HgIndex *ix, uint32_t diag) {
  const HgDiagRec *d = hg_index_diag(ix, diag);
  const HgFileRec *f = d->file != HG_NOSTR ? hg_index_file(ix, d->file) : NULL;
  cJSON *o = cJSON_CreateObject();
  hg_json_add_str(o, "path", f ? hg_index_str(ix, f->path) : NULL);
  hg_json__add_int(o, "line", d->line);
  hg_json__add_int(o, "col", d->col);
  cJSON_AddStringToObject(o, "severity", hg_severity_str((HgSeverity)d->severity));
  cJSON_AddStringToObject(o, "message", hg_index_str(ix, d->message));
  return o;
}

cJSON *hg_json_file(const HgIndex *ix, uint32_t file) {
  const HgFileRec *f = hg_index_file(ix, file);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "repo", hg_json__repo_name_of_file(ix, f));
  cJSON_AddStringToObject(o, "path", hg_index_str(ix, f->path));
  cJSON_AddStringToObject(o, "module", hg_index_str(ix, f->module));
  cJSON_AddBoolToObject(o, "is_package", (f->flags & HG_FILE_PACKAGE) != 0);
  cJSON_AddBoolToObject(o, "has_syntax_error", (f->flags & HG_FILE_HAS_ERROR) != 0);
  cJSON_AddBoolToObject(o, "not_utf8", (f->flags & HG_FILE_NOT_UTF8) != 0);
  hg_json__add_int(o, "lines", f->n_lines);
  hg_json__add_int(o, "bytes", f->n_bytes);
  hg_json__add_int(o, "n_definitions", f->defs.count);
  hg_json__add_int(o, "n_imports", f->imports.count);
  hg_json__add_int(o, "n_calls", f->calls.count);
  hg_json__add_int(o, "n_diagnostics", f->diags.count);
  hg_json__add_int(o, "content_crc32c", f->content_crc);
  return o;
}

cJSON *hg_json_repo(const HgIndex *ix, uint32_t repo) {
  const HgRepoRec *r = hg_index_repo(ix, repo);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "repo", hg_index_str(ix, r->name));
  cJSON_AddStringToObject(o, "commit", hg_index_str(ix, r->commit));
  cJSON_AddStringToObject(o, "root", hg_index_str(ix, r->root));
  hg_json__add_int(o, "files", r->files.count);
  hg_json__add_int(o, "skipped", r->n_skipped);
  hg_json__add_int(o, "definitions", r->defs.count);
  hg_json__add_int(o, "imports", r->imports.count);
  hg_json__add_int(o, "calls", r->calls.count);
  hg_json__add_int(o, "diagnostics", r->diags.count);
  hg_json__add_int(o, "bytes", (int64_t)r->n_bytes);
  hg_json__add_int(o, "lines", r->n_lines);
  return o;
}

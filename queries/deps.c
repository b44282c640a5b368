#include "queries/deps.h"

#include <Judy.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/numarg.h"
#include "queries/jsonout.h"

/* ---- targets ------------------------------------------------------------------- */

static uint32_t hg_deps__repo_first(const HgIndex *ix, int64_t repo) { return repo < 0 ? 0 : (uint32_t)repo; }
static uint32_t hg_deps__repo_last(const HgIndex *ix, int64_t repo) {
  return repo < 0 ? (uint32_t)hg_index_count(ix, HG_SEC_REPOS) : (uint32_t)repo + 1;
}

static size_t hg_deps__edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 200 || lb > 200) return la > lb ? la - lb + 100 : lb - la + 100;
  size_t row[201];
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t cur = row[j];
      size_t sub = prev + (a[i - 1] != b[j - 1]);
      size_t del = row[j] + 1, ins = row[j - 1] + 1;
      row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
      prev = cur;
    }
  }
  return row[lb];
}

/* Append to err the (up to) three candidates closest to want. */
static void hg_deps__closest(char *err, size_t errlen, const char *want, const char *const *cands, uint32_t n) {
  size_t best[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
  const char *who[3] = {0};
  for (uint32_t i = 0; i < n; i++) {
    size_t d = hg_deps__edit_distance(want, cands[i]);
    for (int k = 0; k < 3; k++) {
      if (d < best[k]) {
        for (int m = 2; m > k; m--) best[m] = best[m - 1], who[m] = who[m - 1];
        best[k] = d;
        who[k] = cands[i];
        break;
      }
      if (who[k] && strcmp(who[k], cands[i]) == 0) break;
    }
  }
  size_t o = strlen(err);
  if (!who[0]) return;
  o += (size_t)snprintf(err + o, o < errlen ? errlen - o : 0, "; closest: ");
  for (int k = 0; k < 3 && who[k] && o < errlen; k++)
    o += (size_t)snprintf(err + o, errlen - o, "%s%s", k ? ", " : "", who[k]);
}

/* count, but at most the size of table k: a damaged count is no reason to
 * allocate more (the accessors fault before a loop gets past the table). */
static size_t hg_deps__at_most_table(const HgIndex *ix, HgSectionKind k, uint32_t count) {
  uint64_t n = hg_index_count(ix, k);
  return count < n ? count : (size_t)n;
}

HgStatus hg_target_find(const HgIndex *ix, int64_t repo, const char *target, uint32_t **defs, uint32_t *n, char *err,
                        size_t errlen) {
  *defs = NULL;
  *n = 0;
  const char *colon = strrchr(target, ':');
  if (!colon || colon == target || !colon[1]) {
    snprintf(err, errlen, "target '%s' is not FILE:QUALNAME or FILE:LINE", target);
    return HG_ERR_USAGE;
  }
  size_t plen = (size_t)(colon - target);
  const char *what = colon + 1;
  /* A qualname starts with a letter or _, so anything starting with a digit
   * or a sign is meant as a line, and must be one (strtoul would read -1 as
   * its largest value). */
  uint64_t line = 0;
  int by_line = (what[0] >= '0' && what[0] <= '9') || what[0] == '-' || what[0] == '+';
  if (by_line && hg_parse_uint(what, 0, UINT32_MAX, &line)) {
    snprintf(err, errlen, "target '%s': the line must be a number from 0 to %u", target, UINT32_MAX);
    return HG_ERR_USAGE;
  }
  int64_t file = -1;
  size_t nfiles_all = 0;
  for (uint32_t r = hg_deps__repo_first(ix, repo); r < hg_deps__repo_last(ix, repo); r++) {
    nfiles_all += hg_deps__at_most_table(ix, HG_SEC_FILES, hg_index_repo(ix, r)->files.count);
    if (file < 0) file = hg_index_find_file(ix, r, target, plen);
  }
  if (file < 0) {
    snprintf(err, errlen, "no file '%.*s' in the index", (int)plen, target);
    const char **c = malloc((nfiles_all + 1) * sizeof(char *));
    uint32_t k = 0;
    char want[1024];
    snprintf(want, sizeof want, "%.*s", (int)plen, target);
    for (uint32_t r = hg_deps__repo_first(ix, repo); c && r < hg_deps__repo_last(ix, repo); r++) {
      HgRange fr = hg_index_repo(ix, r)->files;
      for (uint32_t f = fr.first; f < fr.first + fr.count; f++) c[k++] = hg_index_text(ix, hg_index_file(ix, f)->path);
    }
    if (c) hg_deps__closest(err, errlen, want, c, k);
    free(c);
    return HG_ERR_NOT_FOUND;
  }
  const HgFileRec *f = hg_index_file(ix, (uint32_t)file);
  uint32_t *out = malloc((hg_deps__at_most_table(ix, HG_SEC_DEFS, f->defs.count) + 1) * sizeof(uint32_t));
  if (!out) return HG_ERR_INTERNAL;
  uint32_t k = 0;
  for (uint32_t d = f->defs.first; d < f->defs.first + f->defs.count; d++) {
    const HgDefRec *dr = hg_index_def(ix, d);
    if (by_line) {
      if (line >= dr->decorator_line && line <= dr->line_end) {
        out[0] = d; /* later defs are nested deeper: the innermost wins */
        k = 1;
      }
    } else if (strcmp(hg_index_text(ix, dr->qualname), what) == 0) {
      out[k++] = d;
    }
  }
  if (!k) {
    if (by_line) {
      snprintf(err, errlen, "no definition holds line %llu of %.*s", (unsigned long long)line, (int)plen, target);
    } else {
      snprintf(err, errlen, "no definition '%s' in %.*s", what, (int)plen, target);
      const char **c = malloc((hg_deps__at_most_table(ix, HG_SEC_DEFS, f->defs.count) + 1) * sizeof(char *));
      for (uint32_t d = 0; c && d < f->defs.count; d++)
        c[d] = hg_index_text(ix, hg_index_def(ix, f->defs.first + d)->qualname);
      if (c) hg_deps__closest(err, errlen, what, c, f->defs.count);
      free(c);
    }
    free(out);
    return HG_ERR_NOT_FOUND;
  }
  *defs = out;
  *n = k;
  return HG_OK;
}

/* ---- deps -------------------------------------------------------------------------------- */

/* The edges of def and everything nested in it. */
static HgRange hg_deps__subtree_edges(const HgIndex *ix, uint32_t def) {
  const HgDefRec *d = hg_index_def(ix, def);
  const HgDefRec *last = hg_index_def(ix, d->subtree_end - 1);
  return (HgRange){d->edges.first, last->edges.first + last->edges.count - d->edges.first};
}

/* The class a def belongs to: its parent when that is a class. */
static int32_t hg_deps__class_of(const HgIndex *ix, uint32_t def) {
  const HgDefRec *d = hg_index_def(ix, def);
  if (d->parent < 0) return -1;
  return hg_index_def(ix, (uint32_t)d->parent)->kind == HG_KIND_CLASS ? d->parent : -1;
}

static const char *hg_deps__scope(const HgIndex *ix, uint32_t target, uint32_t dep) {
  int32_t ct = hg_deps__class_of(ix, target), cd = hg_deps__class_of(ix, dep);
  if (ct >= 0 && ct == cd) return "intra-class";
  return hg_index_def(ix, target)->file == hg_index_def(ix, dep)->file ? "intra-file" : "cross-file";
}

/* The target fields of a row. */
static cJSON *hg_deps__target_json(const HgIndex *ix, uint32_t def) {
  const HgDefRec *d = hg_index_def(ix, def);
  const HgFileRec *f = hg_index_file(ix, d->file);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "repo", hg_index_str(ix, hg_index_repo(ix, f->repo)->name));
  cJSON_AddStringToObject(o, "target_function_name", hg_index_str(ix, d->name));
  cJSON_AddStringToObject(o, "target_function_file", hg_index_str(ix, f->path));
  cJSON_AddNumberToObject(o, "target_function_line_start", d->line_start);
  cJSON_AddNumberToObject(o, "target_function_line_end", d->line_end);
  cJSON_AddStringToObject(o, "target_function_qualname", hg_index_str(ix, d->qualname));
  return o;
}

/* Does the edge count under flags: a bare decorator's only with HG_DEPS_BARE_DECORATORS. */
static int hg_deps__counts(const HgIndex *ix, const HgEdgeRec *e, unsigned flags) {
  return (flags & HG_DEPS_BARE_DECORATORS) || !(hg_index_call(ix, e->call)->flags & HG_CALL_BARE_DECORATOR);
}

int hg_def_is_overload(const HgIndex *ix, uint32_t def) {
  const HgDefRec *d = hg_index_def(ix, def);
  for (uint32_t i = 0; i < d->decorators.count; i++) {
    const char *t = hg_index_text(ix, hg_index_strid(ix, d->decorators.first + i)); /* HG_NOSTR only if forged */
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t')) n--;
    if (n < 8 || strncmp(t + n - 8, "overload", 8) != 0) continue;
    if (n == 8 || t[n - 9] == '.') return 1;
  }
  return 0;
}

void hg_deps_collect(const HgIndex *ix, uint32_t def, unsigned flags, HgDeps *out) {
  memset(out, 0, sizeof *out);
  const HgDefRec *t = hg_index_def(ix, def);
  HgRange er = hg_deps__subtree_edges(ix, def);
  Pvoid_t seen = NULL, seen_ext = NULL; /* def -> position+1; name id -> 1 */
  uint32_t cap = 0, cap_ext = 0;
  for (uint32_t i = er.first; i < er.first + er.count; i++) {
    const HgEdgeRec *e = hg_index_edge(ix, i);
    if (!hg_deps__counts(ix, e, flags)) continue;
    int amb = (e->flags & HG_EDGE_AMBIGUOUS) != 0;
    if (e->origin == HG_ORIGIN_REPO) {
      if (e->target >= def && e->target < t->subtree_end) continue; /* itself, or nested in it */
      PWord_t pv;
      JLI(pv, seen, e->target);
      if (*pv) {
        // a seen def is in the arrays
        out->ambiguous[*pv - 1] |= (uint8_t)amb; // NOLINT(clang-analyzer-core.NullDereference)
        continue;
      }
      if (out->n == cap) {
        cap = cap ? cap * 2 : 8;
        out->defs = hg_xrealloc(out->defs, cap * sizeof(uint32_t));
        out->ambiguous = hg_xrealloc(out->ambiguous, cap);
      }
      out->defs[out->n] = e->target;
      out->ambiguous[out->n] = (uint8_t)amb;
      *pv = ++out->n;
    } else if (e->origin == HG_ORIGIN_UNRESOLVED) {
      out->unresolved++;
    } else {
      PWord_t pv;
      JLI(pv, seen_ext, e->target);
      if (*pv) continue;
      *pv = 1;
      if (out->n_ext == cap_ext) {
        cap_ext = cap_ext ? cap_ext * 2 : 8;
        out->ext = hg_xrealloc(out->ext, cap_ext * sizeof(uint32_t));
        out->ext_origin = hg_xrealloc(out->ext_origin, cap_ext);
      }
      out->ext[out->n_ext] = e->target;
      out->ext_origin[out->n_ext++] = e->origin;
    }
  }
  for (uint32_t i = 0; i < out->n; i++) {
    out->any_ambiguous |= out->ambiguous[i];
    out->any_overload |= (uint8_t)hg_def_is_overload(ix, out->defs[i]);
  }
  Word_t bytes;
  JLFA(bytes, seen);
  JLFA(bytes, seen_ext);
  (void)bytes;
}

void hg_deps_free(HgDeps *d) {
  free(d->defs);
  free(d->ambiguous);
  free(d->ext);
  free(d->ext_origin);
  memset(d, 0, sizeof *d);
}

cJSON *hg_deps_json(const HgIndex *ix, uint32_t target, const HgDeps *d) {
  cJSON *arr = cJSON_CreateArray();
  for (uint32_t i = 0; i < d->n; i++) {
    cJSON *o = hg_json_dep(ix, d->defs[i]);
    cJSON_AddStringToObject(o, "scope", hg_deps__scope(ix, target, d->defs[i]));
    cJSON_AddBoolToObject(o, "ambiguous", d->ambiguous[i]);
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

int hg_query_deps(const HgIndex *ix, uint32_t def, unsigned flags, FILE *out) {
  HgDeps d;
  hg_deps_collect(ix, def, flags, &d);
  cJSON *row = hg_deps__target_json(ix, def);
  cJSON_AddItemToObject(row, "dependencies", hg_deps_json(ix, def, &d));
  cJSON_AddNumberToObject(row, "num_dependencies", d.n);
  cJSON *ext = cJSON_AddArrayToObject(row, "external_calls");
  for (uint32_t i = 0; i < d.n_ext; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", hg_index_str(ix, d.ext[i]));
    cJSON_AddStringToObject(o, "origin", hg_origin_name(d.ext_origin[i]));
    cJSON_AddItemToArray(ext, o);
  }
  cJSON_AddNumberToObject(row, "unresolved_calls", d.unresolved);
  hg_deps_free(&d);
  return hg_json_println(out, row);
}

int hg_query_deps_all(const HgIndex *ix, int64_t repo, unsigned flags, FILE *out) {
  for (uint32_t r = hg_deps__repo_first(ix, repo); r < hg_deps__repo_last(ix, repo); r++) {
    HgRange dr = hg_index_repo(ix, r)->defs;
    for (uint32_t d = dr.first; d < dr.first + dr.count; d++)
      if (hg_index_def(ix, d)->kind == HG_KIND_FUNCTION && hg_query_deps(ix, d, flags, out)) return -1;
  }
  return 0;
}

int hg_query_deps_transitive(const HgIndex *ix, uint32_t def, uint32_t depth, unsigned flags, FILE *out) {
  cJSON *row = hg_deps__target_json(ix, def);
  cJSON *deps = cJSON_AddArrayToObject(row, "dependencies");
  Pvoid_t seen = NULL;
  PWord_t pv;
  JLI(pv, seen, def);
  *pv = 1;
  uint32_t *frontier = malloc(sizeof(uint32_t)), nf = 1, n = 0;
  if (!frontier) return -1;
  frontier[0] = def;
  for (uint32_t level = 1; level <= depth && nf; level++) {
    uint32_t *next = NULL, nn = 0, cap = 0;
    for (uint32_t k = 0; k < nf; k++) {
      uint32_t src = frontier[k];
      HgRange er = hg_deps__subtree_edges(ix, src);
      const HgDefRec *s = hg_index_def(ix, src);
      for (uint32_t i = er.first; i < er.first + er.count; i++) {
        const HgEdgeRec *e = hg_index_edge(ix, i);
        if (e->origin != HG_ORIGIN_REPO || (e->target >= src && e->target < s->subtree_end) ||
            !hg_deps__counts(ix, e, flags))
          continue;
        JLI(pv, seen, e->target);
        if (*pv) continue;
        *pv = 1;
        cJSON *o = hg_json_dep(ix, e->target);
        cJSON_AddNumberToObject(o, "depth", level);
        cJSON_AddStringToObject(o, "via", hg_index_str(ix, s->qualname));
        cJSON_AddItemToArray(deps, o);
        n++;
        if (nn == cap) {
          cap = cap ? cap * 2 : 16;
          uint32_t *g = hg_xrealloc(next, cap * sizeof(uint32_t));
          next = g;
        }
        next[nn++] = e->target;
      }
    }
    free(frontier);
    frontier = next;
    nf = nn;
  }
  free(frontier);
  Word_t bytes;
  JLFA(bytes, seen);
  (void)bytes;
  cJSON_AddNumberToObject(row, "num_dependencies", n);
  cJSON_AddNumberToObject(row, "depth", depth);
  return hg_json_println(out, row);
}

int hg_query_callers(const HgIndex *ix, uint32_t def, FILE *out) {
  const HgDefRec *t = hg_index_def(ix, def);
  cJSON *row = hg_deps__target_json(ix, def);
  cJSON *arr = cJSON_AddArrayToObject(row, "callers");
  for (uint32_t i = t->callers.first; i < t->callers.first + t->callers.count; i++) {
    const HgEdgeRec *e = hg_index_edge(ix, hg_index_caller(ix, i));
    const HgCallRec *c = hg_index_call(ix, e->call);
    cJSON *o;
    if (e->owner >= 0) {
      o = hg_json_dep(ix, (uint32_t)e->owner);
    } else {
      o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "name", "<module>");
      cJSON_AddStringToObject(o, "file_path", hg_index_str(ix, hg_index_file(ix, e->file)->path));
      cJSON_AddStringToObject(o, "type", "module");
    }
    cJSON_AddNumberToObject(o, "call_line", c->line);
    cJSON_AddNumberToObject(o, "call_col", c->col);
    cJSON_AddBoolToObject(o, "ambiguous", (e->flags & HG_EDGE_AMBIGUOUS) != 0);
    cJSON_AddItemToArray(arr, o);
  }
  cJSON_AddNumberToObject(row, "num_callers", t->callers.count);
  return hg_json_println(out, row);
}

/* ---- the PyCG call graph ------------------------------------------------------------------- */

/* The dotted name of a file relative to the repository root. */
static void hg_deps__file_dotted(const HgIndex *ix, uint32_t file, char *buf, size_t len) {
  const char *p = hg_index_text(ix, hg_index_file(ix, file)->path);
  size_t n = strlen(p);
  if (n > 3 && strcmp(p + n - 3, ".py") == 0) n -= 3;
  if (n >= 8 && strncmp(p + n - 8, "__init__", 8) == 0 && (n == 8 || p[n - 9] == '/')) n = n == 8 ? 8 : n - 9;
  if (n >= len) n = len - 1;
  for (size_t i = 0; i < n; i++) buf[i] = p[i] == '/' ? '.' : p[i];
  buf[n] = 0;
}

static void hg_deps__def_dotted(const HgIndex *ix, uint32_t def, char *buf, size_t len) {
  const HgDefRec *d = hg_index_def(ix, def);
  hg_deps__file_dotted(ix, d->file, buf, len);
  size_t o = strlen(buf);
  const char *q = hg_index_text(ix, d->qualname);
  if (o + 1 < len) buf[o++] = '.';
  for (; *q && o + 1 < len; q++) {
    if (strncmp(q, ".<locals>", 9) == 0) {
      q += 8;
      continue;
    }
    buf[o++] = *q;
  }
  buf[o] = 0;
}

static cJSON *hg_deps__node(cJSON *graph, const char *name) {
  cJSON *a = cJSON_GetObjectItemCaseSensitive(graph, name);
  if (!a) a = cJSON_AddArrayToObject(graph, name);
  return a;
}

static void hg_deps__add_unique(cJSON *arr, const char *name) {
  cJSON *it;
  cJSON_ArrayForEach(it, arr) if (strcmp(it->valuestring, name) == 0) return;
  cJSON_AddItemToArray(arr, cJSON_CreateString(name));
}

int hg_query_callgraph_pycg(const HgIndex *ix, uint32_t repo, FILE *out) {
  const HgRepoRec *r = hg_index_repo(ix, repo);
  cJSON *graph = cJSON_CreateObject();
  char src[2048], dst[2048];
  for (uint32_t f = r->files.first; f < r->files.first + r->files.count; f++) {
    hg_deps__file_dotted(ix, f, src, sizeof src);
    hg_deps__node(graph, src);
    HgRange dr = hg_index_file(ix, f)->defs;
    for (uint32_t d = dr.first; d < dr.first + dr.count; d++) {
      hg_deps__def_dotted(ix, d, src, sizeof src);
      hg_deps__node(graph, src);
    }
  }
  for (uint32_t i = r->edges.first; i < r->edges.first + r->edges.count; i++) {
    const HgEdgeRec *e = hg_index_edge(ix, i);
    if (e->origin == HG_ORIGIN_UNRESOLVED) continue;
    if (e->owner >= 0)
      hg_deps__def_dotted(ix, (uint32_t)e->owner, src, sizeof src);
    else
      hg_deps__file_dotted(ix, e->file, src, sizeof src);
    if (e->origin == HG_ORIGIN_REPO) {
      uint32_t t = e->init >= 0 ? (uint32_t)e->init : e->target;
      hg_deps__def_dotted(ix, t, dst, sizeof dst);
    } else {
      snprintf(dst, sizeof dst, "%s", hg_index_text(ix, e->target));
    }
    hg_deps__add_unique(hg_deps__node(graph, src), dst);
    hg_deps__node(graph, dst);
  }
  return hg_json_print(out, graph, 1);
}

/* ---- imports ---------------------------------------------------------------------------------- */

HgStatus hg_query_imports(const HgIndex *ix, int64_t repo, const char *path, FILE *out, char *err, size_t errlen) {
  for (uint32_t r = hg_deps__repo_first(ix, repo); r < hg_deps__repo_last(ix, repo); r++) {
    HgRange fr = hg_index_repo(ix, r)->files;
    for (uint32_t f = fr.first; f < fr.first + fr.count; f++) {
      const HgFileRec *file = hg_index_file(ix, f);
      if (strcmp(hg_index_text(ix, file->path), path) != 0) continue;
      for (uint32_t i = file->imports.first; i < file->imports.first + file->imports.count; i++) {
        cJSON *o = hg_json_import(ix, i);
        if (hg_json_println(out, o)) return HG_ERR_INTERNAL;
      }
      return HG_OK;
    }
  }
  snprintf(err, errlen, "no file '%s' in the index", path);
  return HG_ERR_NOT_FOUND;
}

int hg_query_stats(const HgIndex *ix, int64_t repo, FILE *out) {
  for (uint32_t r = hg_deps__repo_first(ix, repo); r < hg_deps__repo_last(ix, repo); r++) {
    const HgRepoRec *rr = hg_index_repo(ix, r);
    uint64_t by_origin[5] = {0}, ambiguous = 0, calls = 0;
    uint32_t last_call = UINT32_MAX;
    int last_origin = -1;
    /* a call counts once, as repository if any candidate is */
    for (uint32_t i = rr->edges.first; i <= rr->edges.first + rr->edges.count; i++) {
      const HgEdgeRec *e = i < rr->edges.first + rr->edges.count ? hg_index_edge(ix, i) : NULL;
      if (!e || e->call != last_call) {
        if (last_origin >= 0) by_origin[last_origin]++;
        if (!e) break;
        calls++;
        last_call = e->call;
        last_origin = e->origin <= HG_ORIGIN_UNRESOLVED ? e->origin : HG_ORIGIN_UNRESOLVED; /* as hg_origin_name */
        if (e->origin == HG_ORIGIN_REPO && (e->flags & HG_EDGE_AMBIGUOUS)) ambiguous++;
      } else if (e->origin == HG_ORIGIN_REPO && last_origin != HG_ORIGIN_REPO) {
        last_origin = HG_ORIGIN_REPO;
        if (e->flags & HG_EDGE_AMBIGUOUS) ambiguous++;
      }
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "repo", hg_index_str(ix, rr->name));
    cJSON_AddNumberToObject(o, "files", rr->files.count);
    cJSON_AddNumberToObject(o, "definitions", rr->defs.count);
    cJSON_AddNumberToObject(o, "call_sites", (double)calls);
    cJSON_AddNumberToObject(o, "in_repository", (double)by_origin[HG_ORIGIN_REPO]);
    cJSON_AddNumberToObject(o, "in_repository_ambiguous", (double)ambiguous);
    cJSON_AddNumberToObject(o, "builtin", (double)by_origin[HG_ORIGIN_BUILTIN]);
    cJSON_AddNumberToObject(o, "stdlib", (double)by_origin[HG_ORIGIN_STDLIB]);
    cJSON_AddNumberToObject(o, "third_party", (double)by_origin[HG_ORIGIN_THIRD_PARTY]);
    cJSON_AddNumberToObject(o, "unresolved", (double)by_origin[HG_ORIGIN_UNRESOLVED]);
    if (hg_json_println(out, o)) return -1;
  }
  return 0;
}

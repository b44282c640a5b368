/*
 * resolve.c: import resolution and call resolution for one repository.
 *
 * Everything here works on string ids of the builder's table: a name that was
 * never interned cannot be bound anywhere, so look-ups use JudySL's get, never
 * insert, and only external names that become edge targets are interned.
 *
 * Maps built once per repository:
 *   modules  JudySL  dotted module name -> HgRef (MODULE file, or PACKAGE)
 *   scopes   JudyL   (scope << 32 | name) -> first binding (+1); bnext[] chains
 *                    them in source order.  scope = file*2 (module) or def*2+1
 *   iattrs   JudyL   (class << 32 | attr) -> first `self.attr = ...` binding
 *   memo     JudyL   (file << 32 | name) -> module attribute look-up result
 * and per-class MROs, computed on demand with C3.
 */
#include "resolve/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "resolve/pynames.h"
#include "store/builder_p.h"

enum { HG_MAXCAND = 8, HG_MAXDEPTH = 40 };

typedef struct {
  uint8_t kind; /* HgRefKind */
  uint32_t id;
} HgRef;

typedef struct {
  HgRef r[HG_MAXCAND];
  uint8_t n;
  uint8_t ambiguous; /* more candidates were possible than one */
  uint8_t bound;     /* a binding was found (even one hgym does not follow) */
} HgRefSet;

typedef struct {
  uint32_t *items; /* class defs in MRO order, the class first */
  uint32_t n;
  uint32_t ext;  /* string id of the first external base, or HG_NOSTR */
  uint8_t state; /* 0 not computed, 1 in progress, 2 done */
} HgMro;

typedef struct {
  HgBuilder *b;
  HgRepoRec repo;     /* a copy: ranges of the repository */
  Pvoid_t modules;    /* JudySL */
  Pvoid_t scopes;     /* JudyL */
  Pvoid_t iattrs;     /* JudyL */
  Pvoid_t memo;       /* JudyL: (file<<32|name) -> index+1 into memo_sets, or ~0 in progress */
  Pvoid_t subclasses; /* JudyL: class -> index+1 into sub_lists */
  uint32_t *bnext;    /* per repository binding: next binding (+1) of the same scope and name */
  uint32_t *inext;    /* per repository binding: next instance-attribute binding (+1) */
  HgRefSet *memo_sets;
  uint32_t n_memo, cap_memo;
  HgRefSet *imports; /* per repository import: its resolution */
  uint8_t *import_state;
  HgMro *mros; /* per repository def */
  uint32_t **sub_lists;
  uint32_t *sub_counts;
  uint32_t n_sub;
  HgRefSet *call_results;                   /* per repository call: what calling it returns */
  uint8_t annotation;                       /* resolving an annotation: TYPE_CHECKING imports count */
  HgRefSet *bind_memo;                      /* per repository binding and mode: what it reaches */
  uint8_t *bind_state;                      /* 0 not resolved, 1 in progress, 2 done */
  uint32_t sid_init, sid_call, sid_builtin; /* "__init__", "__call__", "<builtin>" */
} HgResolver;

/* ---- records and strings ------------------------------------------------------ */

#define DEF(r, i)     HG_AT((r)->b, HG_SEC_DEFS, HgDefRec, i)
#define FILEREC(r, i) HG_AT((r)->b, HG_SEC_FILES, HgFileRec, i)
#define BIND(r, i)    HG_AT((r)->b, HG_SEC_BINDS, HgBindRec, i)
#define IMPORT(r, i)  HG_AT((r)->b, HG_SEC_IMPORTS, HgImportRec, i)
#define CALL(r, i)    HG_AT((r)->b, HG_SEC_CALLS, HgCallRec, i)
#define STR(r, id)    HG_BSTR((r)->b, id)

/* The id of an interned string, or HG_NOSTR when it was never interned. */
static uint32_t hg_resolve__sid(HgResolver *r, const char *s, size_t n) { return hg_builder_find(r->b, s, n); }

/* Intern "prefix.name" (or "prefix" when name is NULL). */
static uint32_t hg_resolve__join_id(HgResolver *r, uint32_t prefix, const char *name) {
  char buf[1024]; /* cut at 1023 bytes, as snprintf would (it costs 10x more here) */
  size_t o = 0;
  const char *head = STR(r, prefix);
  const char *parts[3] = {head ? head : "", name ? "." : "", name ? name : ""};
  for (int k = 0; k < 3; k++) {
    size_t n = strlen(parts[k]);
    if (n > sizeof buf - 1 - o) n = sizeof buf - 1 - o;
    memcpy(buf + o, parts[k], n);
    o += n;
  }
  buf[o] = 0;
  return hg_builder_str(r->b, buf);
}

static void hg_resolve__rs_add(HgRefSet *s, HgRef x) {
  for (uint8_t i = 0; i < s->n; i++)
    if (s->r[i].kind == x.kind && s->r[i].id == x.id) return;
  if (s->n == HG_MAXCAND) {
    s->ambiguous = 1;
    return;
  }
  s->r[s->n++] = x;
}

static void hg_resolve__rs_union(HgRefSet *d, const HgRefSet *s) {
  for (uint8_t i = 0; i < s->n; i++) hg_resolve__rs_add(d, s->r[i]);
  d->ambiguous |= s->ambiguous;
  d->bound |= s->bound;
}

static HgRefSet hg_resolve__rs_one(uint8_t kind, uint32_t id) {
  HgRefSet s = {0};
  s.r[0] = (HgRef){kind, id};
  s.n = 1;
  s.bound = 1;
  return s;
}

/* ---- maps --------------------------------------------------------------------- */

static Word_t hg_resolve__scope_key(uint32_t scope, uint32_t name) { return ((Word_t)scope << 32) | name; }
static uint32_t hg_resolve__scope_of_file(uint32_t file) { return file * 2; }
static uint32_t hg_resolve__scope_of_def(uint32_t def) { return def * 2 + 1; }

static void hg_resolve__map_module(HgResolver *r, const char *name, uint8_t kind, uint32_t id, int overwrite) {
  PWord_t pv;
  JSLI(pv, r->modules, (const uint8_t *)name);
  if (!pv) hg_oom("module map");
  if (*pv && !overwrite) return;
  *pv = ((Word_t)kind << 32) | id;
}

static int hg_resolve__find_module(HgResolver *r, const char *name, HgRef *out) {
  PWord_t pv;
  JSLG(pv, r->modules, (const uint8_t *)name);
  if (!pv) return 0;
  out->kind = (uint8_t)(*pv >> 32);
  out->id = (uint32_t)*pv;
  return 1;
}

static void hg_resolve__build_maps(HgResolver *r) {
  HgRepoRec *rp = &r->repo;
  /* modules, and namespace packages for every prefix that is not a module */
  for (uint32_t f = rp->files.first; f < rp->files.first + rp->files.count; f++) {
    char name[1024];
    snprintf(name, sizeof name, "%s", STR(r, FILEREC(r, f)->module));
    hg_resolve__map_module(r, name, HG_REF_MODULE, f, 1);
    for (char *dot = strrchr(name, '.'); dot; dot = strrchr(name, '.')) {
      *dot = 0;
      uint32_t id = hg_builder_str(r->b, name);
      hg_resolve__map_module(r, name, HG_REF_PACKAGE, id, 0);
    }
  }
  /* bindings by scope and name, in source order (built backwards) */
  r->bnext = hg_xcalloc(rp->binds.count + 1, sizeof(uint32_t));
  r->inext = hg_xcalloc(rp->binds.count + 1, sizeof(uint32_t));
  for (uint32_t k = rp->binds.count; k-- > 0;) {
    uint32_t bi = rp->binds.first + k;
    const HgBindRec *b = BIND(r, bi);
    uint32_t scope = b->owner < 0 ? hg_resolve__scope_of_file(b->file) : hg_resolve__scope_of_def((uint32_t)b->owner);
    const char *t = STR(r, b->target);
    const char *dot = strchr(t, '.');
    if (!dot) {
      PWord_t pv;
      JLI(pv, r->scopes, hg_resolve__scope_key(scope, b->target));
      r->bnext[k] = (uint32_t)*pv;
      *pv = k + 1;
      continue;
    }
    /* self.attr = ... in a method: an instance attribute of its class */
    if (b->owner < 0 || strchr(dot + 1, '.')) continue;
    const HgDefRec *m = DEF(r, (uint32_t)b->owner);
    if (m->parent < 0 || DEF(r, (uint32_t)m->parent)->kind != HG_KIND_CLASS || m->params.count == 0) continue;
    const HgParamRec *p0 = HG_AT(r->b, HG_SEC_PARAMS, HgParamRec, m->params.first);
    const char *self = STR(r, p0->name);
    size_t sl = strlen(self);
    if ((size_t)(dot - t) != sl || strncmp(t, self, sl) != 0) continue;
    uint32_t attr = hg_resolve__sid(r, dot + 1, strlen(dot + 1));
    if (attr == HG_NOSTR) attr = hg_builder_str(r->b, dot + 1);
    PWord_t pv;
    JLI(pv, r->iattrs, hg_resolve__scope_key((uint32_t)m->parent, attr));
    r->inext[k] = (uint32_t)*pv;
    *pv = k + 1;
  }
}

/* ---- resolution ------------------------------------------------------------------ */

static HgRefSet hg_resolve__resolve_name(HgResolver *r, int32_t scope_def, uint32_t file, uint32_t name, int64_t line,
                                         int depth);
static HgRefSet hg_resolve__module_attr(HgResolver *r, HgRef mod, uint32_t name, int depth);
static HgRefSet hg_resolve__class_attr(HgResolver *r, uint32_t cls, uint32_t name, int instance, int depth);
static HgRefSet hg_resolve__resolve_import(HgResolver *r, uint32_t imp, int depth);

static HgRefSet hg_resolve__attr_of(HgResolver *r, const HgRefSet *base, const char *name, size_t len, int depth) {
  HgRefSet out = {0};
  uint32_t nid = hg_resolve__sid(r, name, len);
  for (uint8_t i = 0; i < base->n; i++) {
    HgRef x = base->r[i];
    HgRefSet part = {0};
    switch (x.kind) {
    case HG_REF_MODULE:
    case HG_REF_PACKAGE:
      if (nid != HG_NOSTR) {
        part = hg_resolve__module_attr(r, x, nid, depth + 1);
      } else { /* a name no binding has: only a submodule ("b" of import a.b.c) */
        char sub[1024];
        const char *mname = x.kind == HG_REF_MODULE ? STR(r, FILEREC(r, x.id)->module) : STR(r, x.id);
        HgRef sm;
        int n = snprintf(sub, sizeof sub, "%s.%.*s", mname, (int)(len < 512 ? len : 512), name);
        if (n > 0 && (size_t)n < sizeof sub && hg_resolve__find_module(r, sub, &sm))
          part = hg_resolve__rs_one(sm.kind, sm.id);
      }
      break;
    case HG_REF_DEF:
      if (DEF(r, x.id)->kind == HG_KIND_CLASS && nid != HG_NOSTR)
        part = hg_resolve__class_attr(r, x.id, nid, 0, depth + 1);
      break;
    case HG_REF_INSTANCE:
      if (nid != HG_NOSTR) part = hg_resolve__class_attr(r, x.id, nid, 1, depth + 1);
      break;
    case HG_REF_EXTERNAL: {
      char buf[256];
      snprintf(buf, sizeof buf, "%.*s", (int)(len < 200 ? len : 200), name);
      part = hg_resolve__rs_one(HG_REF_EXTERNAL, hg_resolve__join_id(r, x.id, buf));
      break;
    }
    default: break;
    }
    hg_resolve__rs_union(&out, &part);
  }
  out.ambiguous |= base->ambiguous;
  return out;
}

/* Resolve a dotted chain ("a.b.c") from a scope. */
static HgRefSet hg_resolve__resolve_chain(HgResolver *r, int32_t scope_def, uint32_t file, const char *chain,
                                          int64_t line, int depth) {
  const char *dot = strchr(chain, '.');
  size_t hl = dot ? (size_t)(dot - chain) : strlen(chain);
  uint32_t head = hg_resolve__sid(r, chain, hl);
  HgRefSet s = {0};
  if (head != HG_NOSTR)
    s = hg_resolve__resolve_name(r, scope_def, file, head, line, depth + 1);
  else if (hl) {
    char buf[128];
    snprintf(buf, sizeof buf, "%.*s", (int)(hl < 100 ? hl : 100), chain);
    if (hg_py_is_builtin(buf)) s = hg_resolve__rs_one(HG_REF_EXTERNAL, hg_resolve__join_id(r, r->sid_builtin, buf));
  }
  while (dot && s.n) {
    const char *p = dot + 1;
    dot = strchr(p, '.');
    size_t pl = dot ? (size_t)(dot - p) : strlen(p);
    s = hg_resolve__attr_of(r, &s, p, pl, depth);
  }
  return s;
}

/* What calling something returns: an instance of a class; an external call's
 * result is named by the callee ("requests.Session" -> its instance). */
static HgRefSet hg_resolve__returned(HgResolver *r, uint32_t def, int depth);

/* Whether an external callee is a class, by Python's naming convention (its
 * last component starts with a capital): calling it names an instance; the
 * result of an external function is unknown (os.environ.get(...).lower()
 * is not os.environ.get.lower). */
static int hg_resolve__looks_like_class(const char *dotted) {
  const char *last = strrchr(dotted, '.');
  last = last ? last + 1 : dotted;
  return *last >= 'A' && *last <= 'Z';
}

static HgRefSet hg_resolve__call_result(HgResolver *r, const HgRefSet *callee, int depth) {
  HgRefSet out = {0};
  for (uint8_t i = 0; i < callee->n; i++) {
    HgRef x = callee->r[i];
    if (x.kind == HG_REF_DEF && DEF(r, x.id)->kind == HG_KIND_CLASS) {
      hg_resolve__rs_add(&out, (HgRef){HG_REF_INSTANCE, x.id});
    } else if (x.kind == HG_REF_DEF && depth < HG_MAXDEPTH) {
      HgRefSet ret = hg_resolve__returned(r, x.id, depth + 1);
      hg_resolve__rs_union(&out, &ret);
    } else if (x.kind == HG_REF_EXTERNAL && hg_resolve__looks_like_class(STR(r, x.id))) {
      hg_resolve__rs_add(&out, x); /* requests.Session() -> an instance named requests.Session */
    }
  }
  out.ambiguous = callee->ambiguous;
  out.bound = callee->bound;
  return out;
}

/* The class an annotation names, as a dotted chain in out: `Foo`, `m.Foo`,
 * `"Foo"`, `Optional[Foo]`, `Foo | None`.  0 when it names no single class. */
static int hg_resolve__annotation_chain(const char *ann, char *out, size_t len) {
  char buf[512];
  size_t n = 0;
  for (const char *p = ann; *p && n + 1 < sizeof buf; p++)
    if (*p != ' ' && *p != '"' && *p != '\'') buf[n++] = *p;
  buf[n] = 0;
  char *s = buf;
  for (int round = 0; round < 2; round++) {
    if (!strncmp(s, "Optional[", 9) || !strncmp(s, "t.Optional[", 11) || !strncmp(s, "typing.Optional[", 16)) {
      s = strchr(s, '[') + 1;
      size_t sl = strlen(s);
      if (sl && s[sl - 1] == ']') s[sl - 1] = 0;
    }
    size_t l = strlen(s);
    if (l > 5 && !strcmp(s + l - 5, "|None"))
      s[l - 5] = 0;
    else if (!strncmp(s, "None|", 5))
      s += 5;
  }
  for (const char *p = s; *p; p++) // NOLINT(clang-analyzer-core.uninitialized.Branch): buf is NUL-terminated above
    if (!(*p == '.' || *p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          (unsigned char)*p >= 0x80))
      return 0;
  if (!s[0] || !strcmp(s, "None")) return 0;
  snprintf(out, len, "%s", s);
  return 1;
}

/* Instances of the class an annotation names, resolved in the scope where it
 * is evaluated (scope_def -1: the module of file). */
static HgRefSet hg_resolve__annotated_instance(HgResolver *r, int32_t scope_def, uint32_t file, const char *ann,
                                               int depth) {
  char chain[512];
  HgRefSet out = {.bound = 1};
  if (!hg_resolve__annotation_chain(ann, chain, sizeof chain)) return out;
  uint8_t saved = r->annotation;
  r->annotation = 1;
  HgRefSet t = hg_resolve__resolve_chain(r, scope_def, file, chain, -1, depth + 1);
  r->annotation = saved;
  for (uint8_t i = 0; i < t.n; i++) {
    if (t.r[i].kind == HG_REF_DEF && DEF(r, t.r[i].id)->kind == HG_KIND_CLASS)
      hg_resolve__rs_add(&out, (HgRef){HG_REF_INSTANCE, t.r[i].id});
    else if (t.r[i].kind == HG_REF_EXTERNAL && strncmp(STR(r, t.r[i].id), "<builtin>.", 10) != 0)
      hg_resolve__rs_add(&out, t.r[i]);
  }
  return out;
}

/* A parameter: a method's first is its class's instance (self) or, in a
 * classmethod, the class (cls); others are what their annotation names. */
static HgRefSet hg_resolve__param_binding(HgResolver *r, const HgBindRec *b, int depth) {
  if (b->owner < 0) return (HgRefSet){.bound = 1};
  const HgDefRec *d = DEF(r, (uint32_t)b->owner);
  for (uint32_t i = 0; i < d->params.count; i++) {
    const HgParamRec *p = HG_AT(r->b, HG_SEC_PARAMS, HgParamRec, d->params.first + i);
    if (p->name != b->target || p->kind != HG_PARAM_PLAIN) continue;
    if (i == 0 && (d->flags & HG_DEF_METHOD) && !(d->flags & HG_DEF_STATICMETHOD))
      return hg_resolve__rs_one((d->flags & HG_DEF_CLASSMETHOD) ? HG_REF_DEF : HG_REF_INSTANCE, (uint32_t)d->parent);
    if (p->annotation == HG_NOSTR) break;
    char ann[512];
    snprintf(ann, sizeof ann, "%s", STR(r, p->annotation));
    return hg_resolve__annotated_instance(r, d->parent, d->file, ann, depth);
  }
  return (HgRefSet){.bound = 1};
}

/* What a function returns, by its return annotation (`-> Foo:`). */
static HgRefSet hg_resolve__returned(HgResolver *r, uint32_t def, int depth) {
  char sig[1024];
  snprintf(sig, sizeof sig, "%s", STR(r, DEF(r, def)->signature));
  char *arrow = strstr(sig, "->");
  if (!arrow) return (HgRefSet){0};
  size_t l = strlen(arrow);
  while (l && (arrow[l - 1] == ':' || arrow[l - 1] == ' ' || arrow[l - 1] == '\n' || arrow[l - 1] == '\r'))
    arrow[--l] = 0;
  return hg_resolve__annotated_instance(r, DEF(r, def)->parent, DEF(r, def)->file, arrow + 2, depth);
}

static HgRefSet hg_resolve__resolve_binding_now(HgResolver *r, uint32_t k, int depth) {
  const HgBindRec *b = BIND(r, r->repo.binds.first + k);
  if (depth > HG_MAXDEPTH) return (HgRefSet){.bound = 1};
  switch (b->kind) {
  case HG_BIND_DEF:
  case HG_BIND_CLASS: return b->ref >= 0 ? hg_resolve__rs_one(HG_REF_DEF, (uint32_t)b->ref) : (HgRefSet){.bound = 1};
  case HG_BIND_IMPORT:
    return b->ref >= 0 ? hg_resolve__resolve_import(r, (uint32_t)b->ref, depth + 1) : (HgRefSet){.bound = 1};
  case HG_BIND_ASSIGN:
  case HG_BIND_WALRUS:
    if (b->annotation != HG_NOSTR) { /* the declared type, when it names a class */
      char ann[512];
      snprintf(ann, sizeof ann, "%s", STR(r, b->annotation));
      HgRefSet t = hg_resolve__annotated_instance(r, b->owner, b->file, ann, depth + 1);
      if (t.n) return t;
    }
    if (b->value_kind != HG_VALUE_NONE && b->value != HG_NOSTR) {
      char chain[512];
      snprintf(chain, sizeof chain, "%s", STR(r, b->value));
      /* the value is read before the name is bound: look it up on earlier lines */
      HgRefSet v = hg_resolve__resolve_chain(r, b->owner, b->file, chain, (int64_t)b->line - 1, depth + 1);
      if (b->value_kind == HG_VALUE_CALL) v = hg_resolve__call_result(r, &v, depth + 1);
      v.bound = 1;
      return v;
    }
    return (HgRefSet){.bound = 1};
  case HG_BIND_PARAM: return hg_resolve__param_binding(r, b, depth + 1);
  default: return (HgRefSet){.bound = 1};
  }
}

/* A binding's value is resolved in its own scope, at its own line, so what it
 * reaches depends on nothing but the binding (and the annotation mode): each
 * is resolved once.  Without this, chains through instance attributes
 * (self.a = self.b.c()) re-resolve the same bindings exponentially. */
static HgRefSet hg_resolve__resolve_binding(HgResolver *r, uint32_t k, int depth) {
  uint32_t m = k * 2 + r->annotation;
  if (r->bind_state[m] == 2) return r->bind_memo[m];
  if (r->bind_state[m] == 1 || depth > HG_MAXDEPTH) return (HgRefSet){.bound = 1}; /* a cycle */
  r->bind_state[m] = 1;
  HgRefSet s = hg_resolve__resolve_binding_now(r, k, depth);
  r->bind_memo[m] = s;
  r->bind_state[m] = 2;
  return s;
}

/* An import under `if TYPE_CHECKING:` binds nothing when the code runs; it
 * only names types, so it counts while an annotation is resolved. */
static int hg_resolve__binding_exists(const HgResolver *r, const HgBindRec *b) {
  return r->annotation || b->kind != HG_BIND_IMPORT || b->ref < 0 ||
         !(IMPORT(r, (uint32_t)b->ref)->flags & HG_IMP_TYPE_CHECKING);
}

/* The bindings of name in one scope.  With line >= 0 (code of that same scope)
 * the latest binding at or before the line wins (all of them when none is
 * before it); otherwise definitions and imports win over other assignments,
 * and every one of them is a candidate.  *decl reports global (1) or
 * nonlocal (2) declarations. */
static int hg_resolve__scope_lookup(HgResolver *r, uint32_t scope, uint32_t name, int64_t line, HgRefSet *out,
                                    int *decl, int depth) {
  PWord_t pv;
  JLG(pv, r->scopes, hg_resolve__scope_key(scope, name));
  *decl = 0;
  if (!pv) return 0;
  uint32_t best_line = 0;
  int have_before = 0, have_strong = 0, any = 0;
  for (uint32_t k = (uint32_t)*pv; k; k = r->bnext[k - 1]) {
    const HgBindRec *b = BIND(r, r->repo.binds.first + k - 1);
    if (!hg_resolve__binding_exists(r, b)) continue;
    any = 1;
    if (b->kind == HG_BIND_GLOBAL)
      *decl = 1;
    else if (b->kind == HG_BIND_NONLOCAL)
      *decl = 2;
    if (line >= 0 && (int64_t)b->line <= line) {
      have_before = 1;
      if (b->line > best_line) best_line = b->line;
    }
    if (b->kind == HG_BIND_DEF || b->kind == HG_BIND_CLASS || b->kind == HG_BIND_IMPORT) have_strong = 1;
  }
  if (!any) return 0;
  if (*decl) return 1;
  HgRefSet acc = {0};
  uint32_t n = 0;
  for (uint32_t k = (uint32_t)*pv; k; k = r->bnext[k - 1]) {
    const HgBindRec *b = BIND(r, r->repo.binds.first + k - 1);
    if (!hg_resolve__binding_exists(r, b)) continue;
    if (line >= 0 && have_before) {
      if (b->line != best_line) continue;
    } else if (line < 0 && have_strong) {
      if (b->kind != HG_BIND_DEF && b->kind != HG_BIND_CLASS && b->kind != HG_BIND_IMPORT) continue;
    }
    HgRefSet s = hg_resolve__resolve_binding(r, k - 1, depth + 1);
    hg_resolve__rs_union(&acc, &s);
    n++;
  }
  acc.bound = 1;
  /* Several bindings reaching several different targets: ambiguous. */
  if (acc.n > 1) acc.ambiguous = 1;
  *out = acc;
  return 1;
}

/* Module look-ups differ in annotation mode, so the mode is part of the key. */
static Word_t hg_resolve__memo_key(const HgResolver *r, uint32_t file, uint32_t name) {
  return hg_resolve__scope_key(file, name) | ((Word_t)r->annotation << 63);
}

static const HgRefSet *hg_resolve__memo_get(HgResolver *r, uint32_t file, uint32_t name, int *in_progress) {
  PWord_t pv;
  JLG(pv, r->memo, hg_resolve__memo_key(r, file, name));
  *in_progress = 0;
  if (!pv) return NULL;
  if (*pv == (Word_t)~0) {
    *in_progress = 1;
    return NULL;
  }
  return &r->memo_sets[*pv - 1];
}

static void hg_resolve__memo_mark(HgResolver *r, uint32_t file, uint32_t name) {
  PWord_t pv;
  JLI(pv, r->memo, hg_resolve__memo_key(r, file, name));
  *pv = (Word_t)~0;
}

static void hg_resolve__memo_put(HgResolver *r, uint32_t file, uint32_t name, const HgRefSet *s) {
  if (r->n_memo == r->cap_memo) {
    r->cap_memo = r->cap_memo ? r->cap_memo * 2 : 1024;
    r->memo_sets = hg_xrealloc(r->memo_sets, r->cap_memo * sizeof(HgRefSet));
  }
  r->memo_sets[r->n_memo++] = *s;
  PWord_t pv;
  JLI(pv, r->memo, hg_resolve__memo_key(r, file, name));
  *pv = r->n_memo;
}

static int hg_resolve__name_is_public(HgResolver *r, uint32_t name) { return STR(r, name)[0] != '_'; }

/* Does module file f export name through `from f import *`? */
static int hg_resolve__star_exports(HgResolver *r, uint32_t f, uint32_t name) {
  const HgFileRec *fr = FILEREC(r, f);
  if (fr->all_state != 1) return hg_resolve__name_is_public(r, name);
  for (uint32_t i = 0; i < fr->all.count; i++)
    if (*HG_AT(r->b, HG_SEC_STRIDS, uint32_t, fr->all.first + i) == name) return 1;
  return 0;
}

static HgRefSet hg_resolve__module_attr(HgResolver *r, HgRef mod, uint32_t name, int depth) {
  HgRefSet out = {0};
  if (depth > HG_MAXDEPTH) return out;
  if (mod.kind == HG_REF_MODULE) {
    int busy;
    const HgRefSet *m = hg_resolve__memo_get(r, mod.id, name, &busy);
    if (m) return *m;
    if (busy) return out; /* an import cycle: no answer from this path */
    hg_resolve__memo_mark(r, mod.id, name);
    int decl;
    if (!hg_resolve__scope_lookup(r, hg_resolve__scope_of_file(mod.id), name, -1, &out, &decl, depth + 1) || !out.n) {
      /* a submodule */
      char sub[1024];
      snprintf(sub, sizeof sub, "%s.%s", STR(r, FILEREC(r, mod.id)->module), STR(r, name));
      HgRef sm;
      if (hg_resolve__find_module(r, sub, &sm)) {
        out = hg_resolve__rs_one(sm.kind, sm.id);
      } else {
        /* star imports of the module, in source order */
        const HgFileRec *fr = FILEREC(r, mod.id);
        for (uint32_t i = fr->imports.first; i < fr->imports.first + fr->imports.count && !out.n; i++) {
          const HgImportRec *im = IMPORT(r, i);
          if (!(im->flags & HG_IMP_STAR) || im->owner >= 0) continue;
          HgRefSet src = hg_resolve__resolve_import(r, i, depth + 1);
          for (uint8_t c = 0; c < src.n; c++) {
            if (src.r[c].kind == HG_REF_MODULE && hg_resolve__star_exports(r, src.r[c].id, name)) {
              HgRefSet s = hg_resolve__module_attr(r, src.r[c], name, depth + 1);
              hg_resolve__rs_union(&out, &s);
            } else if (src.r[c].kind == HG_REF_EXTERNAL && hg_resolve__name_is_public(r, name) && !out.n) {
              /* from os.path import *: an external name, origin of the module */
              out.bound = 1;
            }
          }
        }
      }
    }
    hg_resolve__memo_put(r, mod.id, name, &out);
    return out;
  }
  if (mod.kind == HG_REF_PACKAGE) {
    char sub[1024];
    snprintf(sub, sizeof sub, "%s.%s", STR(r, mod.id), STR(r, name));
    HgRef sm;
    if (hg_resolve__find_module(r, sub, &sm)) out = hg_resolve__rs_one(sm.kind, sm.id);
  }
  return out;
}

/* The package a file's relative imports start from, as a dotted name in buf;
 * level 1 is the package itself.  Returns -1 above the top. */
static int hg_resolve__relative_base(HgResolver *r, uint32_t file, uint32_t level, char *buf, size_t len) {
  const HgFileRec *f = FILEREC(r, file);
  snprintf(buf, len, "%s", STR(r, f->module));
  uint32_t up = level - 1 + ((f->flags & HG_FILE_PACKAGE) ? 0 : 1);
  for (uint32_t i = 0; i < up; i++) {
    char *dot = strrchr(buf, '.');
    if (!dot) {
      if (buf[0] && i + 1 == up) {
        buf[0] = 0; /* the top of the repository: a root-level sibling */
        return 0;
      }
      return -1;
    }
    *dot = 0;
  }
  return 0;
}

static uint8_t hg_resolve__origin_of_external(HgResolver *r, uint32_t id) {
  const char *s = STR(r, id);
  if (strncmp(s, "<builtin>.", 10) == 0) return HG_ORIGIN_BUILTIN;
  return hg_py_is_stdlib(s) ? HG_ORIGIN_STDLIB : HG_ORIGIN_THIRD_PARTY;
}

/* The module a.b (a alone when b is empty). */
static int hg_resolve__find_module2(HgResolver *r, const char *a, const char *b, HgRef *out) {
  char name[2048];
  int n = snprintf(name, sizeof name, "%s%s%s", a, a[0] && b[0] ? "." : "", b);
  return n > 0 && (size_t)n < sizeof name && hg_resolve__find_module(r, name, out);
}

/* A module imported absolutely from file: the repository's own, or, for a
 * file outside any regular package (a script: its directory is on sys.path
 * when it runs), a sibling.  Inside a package Python 3 never looks there. */
static int hg_resolve__find_absolute(HgResolver *r, uint32_t file, const char *name, HgRef *out) {
  if (hg_resolve__find_module(r, name, out)) return 1;
  char base[1024];
  HgRef pkg;
  if (hg_resolve__relative_base(r, file, 1, base, sizeof base) != 0 || !base[0]) return 0;
  if (hg_resolve__find_module(r, base, &pkg) && pkg.kind == HG_REF_MODULE) return 0; /* a regular package */
  return hg_resolve__find_module2(r, base, name, out);
}

static HgRefSet hg_resolve__resolve_import(HgResolver *r, uint32_t imp, int depth) {
  uint32_t k = (imp - r->repo.imports.first) * 2 + r->annotation;
  if (r->import_state[k] == 2) return r->imports[k];
  if (r->import_state[k] == 1 || depth > HG_MAXDEPTH) return (HgRefSet){.bound = 1};
  r->import_state[k] = 1;
  const HgImportRec *im = IMPORT(r, imp);
  /* copies: interning below may move the string table */
  char mod[1024], name[512];
  snprintf(mod, sizeof mod, "%s", STR(r, im->module));
  snprintf(name, sizeof name, "%s", im->name == HG_NOSTR ? "" : STR(r, im->name));
  uint32_t file = im->file, level = im->level;
  int star = (im->flags & HG_IMP_STAR) != 0, has_as = im->asname != HG_NOSTR;
  HgRefSet out = {0};
  HgRef m;
  if (!name[0]) { /* import a.b.c binds a; import a.b.c as x binds a.b.c */
    if (!has_as) mod[strcspn(mod, ".")] = 0;
    out = hg_resolve__find_absolute(r, file, mod, &m) ? hg_resolve__rs_one(m.kind, m.id)
                                                      : hg_resolve__rs_one(HG_REF_EXTERNAL, hg_builder_str(r->b, mod));
  } else if (level > 0) {
    char base[1024];
    if (hg_resolve__relative_base(r, file, level, base, sizeof base) == 0) {
      if (hg_resolve__find_module2(r, base, mod, &m)) {
        uint32_t nid = hg_resolve__sid(r, name, strlen(name));
        out = star              ? hg_resolve__rs_one(m.kind, m.id)
              : nid != HG_NOSTR ? hg_resolve__module_attr(r, m, nid, depth + 1)
                                : out;
      } else if (!base[0] && !mod[0] && hg_resolve__find_module(r, name, &m)) {
        out = hg_resolve__rs_one(m.kind, m.id); /* from . import x at the repository's top */
      }
    }
  } else if (hg_resolve__find_absolute(r, file, mod, &m)) {
    uint32_t nid = hg_resolve__sid(r, name, strlen(name));
    out = star              ? hg_resolve__rs_one(m.kind, m.id)
          : nid != HG_NOSTR ? hg_resolve__module_attr(r, m, nid, depth + 1)
                            : out;
  } else {
    uint32_t mid = hg_builder_str(r->b, mod);
    out = hg_resolve__rs_one(HG_REF_EXTERNAL, star ? mid : hg_resolve__join_id(r, mid, name));
  }
  out.bound = 1;
  r->imports[k] = out;
  r->import_state[k] = 2;
  return out;
}

/* ---- classes ---------------------------------------------------------------------- */

static int hg_resolve__in_list(const uint32_t *a, uint32_t n, uint32_t x) {
  for (uint32_t i = 0; i < n; i++)
    if (a[i] == x) return 1;
  return 0;
}

/* C3 linearization; falls back to depth-first, left to right, without
 * repeats when the hierarchy has no consistent order. */
static const HgMro *hg_resolve__mro_of(HgResolver *r, uint32_t cls, int depth) {
  uint32_t k = cls - r->repo.defs.first;
  HgMro *m = &r->mros[k];
  if (m->state == 2) return m;
  if (m->state == 1 || depth > HG_MAXDEPTH) return NULL;
  m->state = 1;
  m->ext = HG_NOSTR;
  const HgDefRec *d = DEF(r, cls);
  uint32_t nb = d->bases.count;
  uint32_t bases[64];
  const HgMro *bm[64];
  uint32_t n = 0;
  for (uint32_t i = 0; i < nb && n < 64; i++) {
    char text[512];
    snprintf(text, sizeof text, "%s", STR(r, *HG_AT(r->b, HG_SEC_STRIDS, uint32_t, d->bases.first + i)));
    if (strchr(text, '=') && strcspn(text, "=") < strcspn(text, "([")) continue; /* metaclass=... */
    text[strcspn(text, "[( ")] = 0;                                              /* Generic[T] */
    HgRefSet s = hg_resolve__resolve_chain(r, d->parent, d->file, text, -1, depth + 1);
    for (uint8_t c = 0; c < s.n; c++) {
      if (s.r[c].kind == HG_REF_DEF && DEF(r, s.r[c].id)->kind == HG_KIND_CLASS && s.r[c].id != cls) {
        const HgMro *sub = hg_resolve__mro_of(r, s.r[c].id, depth + 1);
        if (!sub) continue;
        bases[n] = s.r[c].id;
        bm[n++] = sub;
        if (m->ext == HG_NOSTR) m->ext = sub->ext;
        break;
      }
      if (s.r[c].kind == HG_REF_EXTERNAL && m->ext == HG_NOSTR) m->ext = s.r[c].id;
    }
  }
  uint32_t cap = 1;
  for (uint32_t i = 0; i < n; i++) cap += bm[i]->n;
  uint32_t *out = hg_xmalloc(cap * sizeof(uint32_t));
  uint32_t on = 0;
  out[on++] = cls;
  /* merge the bases' MROs and the bases list */
  uint32_t pos[65] = {0};
  int ok = 1;
  for (;;) {
    int remaining = 0;
    uint32_t pick = 0;
    int have = 0;
    for (uint32_t i = 0; i <= n && !have; i++) {
      const uint32_t *seq = i < n ? bm[i]->items : bases;
      uint32_t len = i < n ? bm[i]->n : n;
      if (pos[i] >= len) continue;
      remaining = 1;
      uint32_t cand = seq[pos[i]];
      int in_tail = 0;
      for (uint32_t j = 0; j <= n && !in_tail; j++) {
        const uint32_t *s2 = j < n ? bm[j]->items : bases;
        uint32_t l2 = j < n ? bm[j]->n : n;
        for (uint32_t t = pos[j] + 1; t < l2; t++)
          if (s2[t] == cand) {
            in_tail = 1;
            break;
          }
      }
      if (!in_tail) {
        pick = cand;
        have = 1;
      }
    }
    if (!remaining) break;
    if (!have) {
      ok = 0;
      break;
    }
    out[on++] = pick;
    for (uint32_t i = 0; i <= n; i++) {
      const uint32_t *seq = i < n ? bm[i]->items : bases;
      uint32_t len = i < n ? bm[i]->n : n;
      if (pos[i] < len && seq[pos[i]] == pick) pos[i]++;
    }
  }
  if (!ok) {
    on = 1;
    for (uint32_t i = 0; i < n; i++)
      for (uint32_t t = 0; t < bm[i]->n; t++)
        if (!hg_resolve__in_list(out, on, bm[i]->items[t])) out[on++] = bm[i]->items[t];
  }
  m->items = out;
  m->n = on;
  m->state = 2;
  return m;
}

/* The class attribute `name` along the MRO from position `from`; with
 * instance, also `self.name = ...` assignments in the classes' methods.
 * Falls back to the first external base (threading.Thread.start). */
static HgRefSet hg_resolve__class_attr_from(HgResolver *r, uint32_t cls, uint32_t from, uint32_t name, int instance,
                                            int depth) {
  HgRefSet out = {0};
  const HgMro *m = hg_resolve__mro_of(r, cls, depth + 1);
  if (!m) return out;
  for (uint32_t i = from; i < m->n; i++) {
    int decl;
    if (hg_resolve__scope_lookup(r, hg_resolve__scope_of_def(m->items[i]), name, -1, &out, &decl, depth + 1) && out.n)
      return out;
  }
  if (instance) {
    for (uint32_t i = from; i < m->n; i++) {
      PWord_t pv;
      JLG(pv, r->iattrs, hg_resolve__scope_key(m->items[i], name));
      if (!pv) continue;
      for (uint32_t k = (uint32_t)*pv; k; k = r->inext[k - 1]) {
        HgRefSet s = hg_resolve__resolve_binding(r, k - 1, depth + 1);
        hg_resolve__rs_union(&out, &s);
      }
      if (out.n) {
        if (out.n > 1) out.ambiguous = 1;
        return out;
      }
    }
  }
  if (m->ext != HG_NOSTR) return hg_resolve__rs_one(HG_REF_EXTERNAL, hg_resolve__join_id(r, m->ext, STR(r, name)));
  return out;
}

static HgRefSet hg_resolve__class_attr(HgResolver *r, uint32_t cls, uint32_t name, int instance, int depth) {
  return hg_resolve__class_attr_from(r, cls, 0, name, instance, depth);
}

static void hg_resolve__build_subclasses(HgResolver *r) {
  for (uint32_t d = r->repo.defs.first; d < r->repo.defs.first + r->repo.defs.count; d++) {
    if (DEF(r, d)->kind != HG_KIND_CLASS) continue;
    const HgMro *m = hg_resolve__mro_of(r, d, 0);
    if (!m) continue;
    for (uint32_t i = 1; i < m->n; i++) {
      PWord_t pv;
      JLI(pv, r->subclasses, m->items[i]);
      if (!*pv) {
        r->sub_lists = hg_xrealloc(r->sub_lists, (r->n_sub + 1) * sizeof(uint32_t *));
        r->sub_counts = hg_xrealloc(r->sub_counts, (r->n_sub + 1) * sizeof(uint32_t));
        r->sub_lists[r->n_sub] = NULL;
        r->sub_counts[r->n_sub] = 0;
        *pv = ++r->n_sub;
      }
      uint32_t s = (uint32_t)*pv - 1;
      uint32_t c = r->sub_counts[s];
      if ((c & (c - 1)) == 0) { /* grow at powers of two */
        r->sub_lists[s] = hg_xrealloc(r->sub_lists[s], (c ? c * 2 : 1) * sizeof(uint32_t));
      }
      r->sub_lists[s][r->sub_counts[s]++] = d;
    }
  }
}

/* self.name in a method of cls: along the MRO, else the overrides in every
 * subclass (a template method), each a candidate. */
static HgRefSet hg_resolve__self_attr(HgResolver *r, uint32_t cls, uint32_t name, int depth) {
  HgRefSet out = hg_resolve__class_attr(r, cls, name, 1, depth);
  if (out.n) return out;
  PWord_t pv;
  JLG(pv, r->subclasses, cls);
  if (!pv) return out;
  uint32_t s = (uint32_t)*pv - 1;
  // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): a subclasses entry implies its list
  for (uint32_t i = 0; i < r->sub_counts[s]; i++) {
    int decl;
    HgRefSet one;
    if (hg_resolve__scope_lookup(r, hg_resolve__scope_of_def(r->sub_lists[s][i]), name, -1, &one, &decl, depth + 1))
      hg_resolve__rs_union(&out, &one);
  }
  if (out.n > 1) out.ambiguous = 1;
  return out;
}

/* ---- names ----------------------------------------------------------------------------- */

static HgRefSet hg_resolve__resolve_name(HgResolver *r, int32_t scope_def, uint32_t file, uint32_t name, int64_t line,
                                         int depth) {
  HgRefSet out = {0};
  if (depth > HG_MAXDEPTH) return out;
  int first = 1;
  int32_t d = scope_def;
  while (d >= 0) {
    const HgDefRec *dr = DEF(r, (uint32_t)d);
    if (dr->kind == HG_KIND_CLASS && !first) { /* class bodies do not enclose their methods */
      d = dr->parent;
      continue;
    }
    int decl;
    if (hg_resolve__scope_lookup(r, hg_resolve__scope_of_def((uint32_t)d), name, first ? line : -1, &out, &decl,
                                 depth + 1)) {
      if (decl == 1) break; /* global: the module scope */
      if (decl == 0) return out;
    }
    d = dr->parent;
    first = 0;
  }
  if (scope_def < 0 && line >= 0) {
    int decl;
    if (hg_resolve__scope_lookup(r, hg_resolve__scope_of_file(file), name, line, &out, &decl, depth + 1) && out.n)
      return out;
  }
  out = hg_resolve__module_attr(r, (HgRef){HG_REF_MODULE, file}, name, depth + 1);
  if (out.n || out.bound) return out;
  if (hg_py_is_builtin(STR(r, name)))
    return hg_resolve__rs_one(HG_REF_EXTERNAL, hg_resolve__join_id(r, r->sid_builtin, STR(r, name)));
  return out;
}

/* ---- calls --------------------------------------------------------------------------------- */

typedef struct {
  uint32_t file;
  int32_t owner;
  uint32_t call;
  uint32_t order; /* candidate order within the call */
  HgEdgeRec e;
} HgEdgeTmp;

typedef struct {
  HgEdgeTmp *items;
  uint32_t n, cap;
} HgEdgeVec;

static void hg_resolve__push_edge(HgEdgeVec *v, const HgCallRec *c, uint32_t call, uint32_t order, uint8_t origin,
                                  uint32_t target, int32_t init, int ambiguous) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 4096;
    v->items = hg_xrealloc(v->items, v->cap * sizeof(HgEdgeTmp));
  }
  HgEdgeTmp *t = &v->items[v->n++];
  memset(t, 0, sizeof *t);
  t->file = c->file;
  t->owner = c->owner;
  t->call = call;
  t->order = order;
  t->e.call = call;
  t->e.owner = c->owner;
  t->e.file = c->file;
  t->e.target = target;
  t->e.init = init;
  t->e.origin = origin;
  t->e.flags = ambiguous ? HG_EDGE_AMBIGUOUS : 0;
}

static int hg_resolve__cmp_edge(const void *a, const void *b) {
  const HgEdgeTmp *x = a, *y = b;
  if (x->file != y->file) return x->file < y->file ? -1 : 1;
  if (x->owner != y->owner) return x->owner < y->owner ? -1 : 1;
  if (x->call != y->call) return x->call < y->call ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Order edges as hg_resolve__cmp_edge does.  They are pushed call by call, in the order
 * of the calls, which go file by file: so within each file's run the order
 * only needs a stable counting sort by owner (module first), O(n) instead of
 * a merge sort of 40-byte records.  Should the runs ever not come in file
 * order, qsort does it all. */
static void hg_resolve__sort_edges(HgEdgeVec *ev) {
  for (uint32_t i = 1; i < ev->n; i++)
    if (hg_resolve__cmp_edge(&ev->items[i - 1], &ev->items[i]) > 0 && ev->items[i - 1].file == ev->items[i].file &&
        ev->items[i - 1].owner == ev->items[i].owner) {
      qsort(ev->items, ev->n, sizeof *ev->items, hg_resolve__cmp_edge); /* not pushed in call order */
      return;
    }
  HgEdgeTmp *tmp = NULL;
  uint32_t *count = NULL, cap_tmp = 0, cap_count = 0;
  for (uint32_t a = 0, b; a < ev->n; a = b) {
    int32_t lo = INT32_MAX, hi = -1;
    for (b = a; b < ev->n && ev->items[b].file == ev->items[a].file; b++) {
      int32_t o = ev->items[b].owner;
      if (o >= 0 && o < lo) lo = o;
      if (o > hi) hi = o;
    }
    if (b < ev->n && ev->items[b].file < ev->items[a].file) {
      qsort(ev->items, ev->n, sizeof *ev->items, hg_resolve__cmp_edge);
      break;
    }
    if (hi < 0) continue;                             /* all the module's */
    uint32_t nb = (uint32_t)(hi - lo) + 2, n = b - a; /* bucket 0: the module (-1) */
    if (nb + 1 > cap_count) {
      cap_count = nb + 1;
      free(count);
      count = hg_xmalloc(cap_count * sizeof *count);
    }
    if (n > cap_tmp) {
      cap_tmp = n;
      free(tmp);
      tmp = hg_xmalloc(cap_tmp * sizeof *tmp);
    }
    memset(count, 0, (nb + 1) * sizeof *count);
    for (uint32_t i = a; i < b; i++) count[ev->items[i].owner < 0 ? 1 : (uint32_t)(ev->items[i].owner - lo) + 2]++;
    for (uint32_t k = 1; k <= nb; k++) count[k] += count[k - 1];
    for (uint32_t i = a; i < b; i++)
      tmp[count[ev->items[i].owner < 0 ? 0 : (uint32_t)(ev->items[i].owner - lo) + 1]++] = ev->items[i];
    memcpy(ev->items + a, tmp, n * sizeof *tmp);
  }
  free(tmp);
  free(count);
}

static int hg_resolve__cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The method a call in owner belongs to: owner itself or the nearest
 * enclosing function whose parent is a class. */
static int32_t hg_resolve__enclosing_method(HgResolver *r, int32_t owner) {
  while (owner >= 0) {
    const HgDefRec *d = DEF(r, (uint32_t)owner);
    if (d->kind == HG_KIND_FUNCTION && d->parent >= 0 && DEF(r, (uint32_t)d->parent)->kind == HG_KIND_CLASS)
      return owner;
    owner = d->parent;
  }
  return -1;
}

/* Resolve one call to the set of what it calls. */
static HgRefSet hg_resolve__resolve_call(HgResolver *r, uint32_t ci) {
  const HgCallRec *c = CALL(r, ci);
  HgRefSet s = {0};
  int32_t scope = c->owner;
  if ((c->flags & (HG_CALL_IN_DECORATOR | HG_CALL_IN_HEADER)) && scope >= 0) scope = DEF(r, (uint32_t)scope)->parent;
  char chain[1024];
  snprintf(chain, sizeof chain, "%s", STR(r, c->chain));
  switch (c->shape) {
  case HG_CALLEE_NAME:
  case HG_CALLEE_ATTR:
    /* the line orders bindings only in the scope the call's own code runs in */
    return hg_resolve__resolve_chain(r, scope, c->file, chain, scope == c->owner ? (int64_t)c->line : -1, 0);
  case HG_CALLEE_SELF: {
    if (c->recv_call < 0) return s;
    const HgDefRec *m = DEF(r, (uint32_t)c->recv_call);
    if (m->parent < 0) return s;
    uint32_t cls = (uint32_t)m->parent;
    const char *p = strchr(chain, '.');
    if (!p) return s;
    p++;
    const char *dot = strchr(p, '.');
    size_t pl = dot ? (size_t)(dot - p) : strlen(p);
    uint32_t nid = hg_resolve__sid(r, p, pl);
    if (nid == HG_NOSTR) {
      const HgMro *mm = hg_resolve__mro_of(r, cls, 0);
      if (mm && mm->ext != HG_NOSTR) {
        char part[256];
        snprintf(part, sizeof part, "%.*s", (int)(pl < 200 ? pl : 200), p);
        s = hg_resolve__rs_one(HG_REF_EXTERNAL, hg_resolve__join_id(r, mm->ext, part));
      }
    } else {
      s = hg_resolve__self_attr(r, cls, nid, 0);
    }
    while (dot && s.n) {
      p = dot + 1;
      dot = strchr(p, '.');
      s = hg_resolve__attr_of(r, &s, p, dot ? (size_t)(dot - p) : strlen(p), 0);
    }
    return s;
  }
  case HG_CALLEE_SUPER: {
    int32_t m = hg_resolve__enclosing_method(r, c->owner);
    char *attrs = chain;
    uint32_t cls = m >= 0 ? (uint32_t)DEF(r, (uint32_t)m)->parent : UINT32_MAX, from = 1;
    if (c->flags & HG_CALL_SUPER_CLASS) {
      /* super(Cls, self): along the MRO of the method's class, after Cls */
      char *colon = strchr(chain, ':');
      if (!colon) return s;
      *colon = 0;
      attrs = colon + 1;
      HgRefSet named = hg_resolve__resolve_chain(r, c->owner, c->file, chain, c->line, 0);
      if (named.n != 1 || named.r[0].kind != HG_REF_DEF || DEF(r, named.r[0].id)->kind != HG_KIND_CLASS) return s;
      uint32_t after = named.r[0].id;
      const HgMro *mm = cls != UINT32_MAX ? hg_resolve__mro_of(r, cls, 0) : NULL;
      uint32_t at = UINT32_MAX;
      for (uint32_t i = 0; mm && i < mm->n; i++)
        if (mm->items[i] == after) at = i;
      if (at == UINT32_MAX)
        cls = after; /* not in that MRO: Cls's own */
      else
        from = at + 1;
    }
    if (cls == UINT32_MAX || !attrs[0]) return s;
    const char *dot = strchr(attrs, '.');
    size_t pl = dot ? (size_t)(dot - attrs) : strlen(attrs);
    uint32_t nid = hg_resolve__sid(r, attrs, pl);
    if (nid != HG_NOSTR) s = hg_resolve__class_attr_from(r, cls, from, nid, 1, 0);
    while (dot && s.n) {
      const char *p = dot + 1;
      dot = strchr(p, '.');
      s = hg_resolve__attr_of(r, &s, p, dot ? (size_t)(dot - p) : strlen(p), 0);
    }
    return s;
  }
  case HG_CALLEE_CALL: {
    if (c->recv_call < 0) return s;
    s = r->call_results[(uint32_t)c->recv_call - r->repo.calls.first];
    if (!chain[0]) { /* f()(): calling what f() hg_resolve__returned */
      HgRefSet out = {0};
      for (uint8_t i = 0; i < s.n; i++)
        if (s.r[i].kind == HG_REF_INSTANCE) {
          HgRefSet one = hg_resolve__class_attr(r, s.r[i].id, r->sid_call, 0, 0);
          hg_resolve__rs_union(&out, &one);
        }
      return out;
    }
    const char *p = chain, *dot;
    do {
      dot = strchr(p, '.');
      s = hg_resolve__attr_of(r, &s, p, dot ? (size_t)(dot - p) : strlen(p), 0);
      p = dot ? dot + 1 : NULL;
    } while (p && s.n);
    return s;
  }
  default: return s;
  }
}

HgStatus hg_resolve_repo(HgBuilder *b, uint32_t repo, HgResolveStats *stats) {
  HgResolver r0 = {0}, *r = &r0;
  r->b = b;
  r->repo = *HG_AT(b, HG_SEC_REPOS, HgRepoRec, repo);
  memset(stats, 0, sizeof *stats);
  r->sid_init = hg_builder_str(b, "__init__");
  r->sid_call = hg_builder_str(b, "__call__");
  r->sid_builtin = hg_builder_str(b, "<builtin>");
  hg_resolve__build_maps(r);
  r->imports = calloc(r->repo.imports.count * 2 + 1, sizeof(HgRefSet)); /* run-time and annotation modes */
  r->import_state = calloc(r->repo.imports.count * 2 + 1, 1);
  r->mros = hg_xcalloc(r->repo.defs.count + 1, sizeof(HgMro));
  r->call_results = hg_xcalloc(r->repo.calls.count + 1, sizeof(HgRefSet));
  r->bind_memo = hg_xcalloc(r->repo.binds.count * 2 + 1, sizeof(HgRefSet));
  r->bind_state = hg_xcalloc(r->repo.binds.count * 2 + 1, 1);
  hg_resolve__build_subclasses(r);

  /* imports: what each bound name reaches */
  for (uint32_t i = r->repo.imports.first; i < r->repo.imports.first + r->repo.imports.count; i++) {
    HgRefSet s = hg_resolve__resolve_import(r, i, 0);
    HgImportRec *im = IMPORT(r, i);
    if (s.n) {
      im->res_kind = s.r[0].kind;
      im->res_target = s.r[0].id;
      im->res_class = s.r[0].kind == HG_REF_EXTERNAL ? hg_resolve__origin_of_external(r, s.r[0].id) : HG_ORIGIN_REPO;
    } else {
      im->res_kind = HG_REF_NONE;
      im->res_target = 0;
      im->res_class = HG_ORIGIN_UNRESOLVED;
    }
  }

  /* calls, receivers first (a receiver's index is above its outer call's) */
  HgEdgeVec ev = {0};
  for (uint32_t k = r->repo.calls.count; k-- > 0;) {
    uint32_t ci = r->repo.calls.first + k;
    HgRefSet s = hg_resolve__resolve_call(r, ci);
    r->call_results[k] = hg_resolve__call_result(r, &s, 0);
    const HgCallRec *c = CALL(r, ci);
    stats->calls++;
    uint32_t order = 0;
    int amb = s.ambiguous || s.n > 1;
    int any_repo = 0, any_ext = 0;
    for (uint8_t i = 0; i < s.n; i++) {
      HgRef x = s.r[i];
      if (x.kind == HG_REF_DEF) {
        int32_t init = -1;
        if (DEF(r, x.id)->kind == HG_KIND_CLASS) {
          HgRefSet in = hg_resolve__class_attr(r, x.id, r->sid_init, 0, 0);
          for (uint8_t j = 0; j < in.n; j++)
            if (in.r[j].kind == HG_REF_DEF) {
              init = (int32_t)in.r[j].id;
              break;
            }
        }
        hg_resolve__push_edge(&ev, c, ci, order++, HG_ORIGIN_REPO, x.id, init, amb);
        any_repo = 1;
      } else if (x.kind == HG_REF_INSTANCE) {
        HgRefSet cl = hg_resolve__class_attr(r, x.id, r->sid_call, 0, 0);
        for (uint8_t j = 0; j < cl.n; j++)
          if (cl.r[j].kind == HG_REF_DEF) {
            hg_resolve__push_edge(&ev, c, ci, order++, HG_ORIGIN_REPO, cl.r[j].id, -1, amb);
            any_repo = 1;
          }
      } else if (x.kind == HG_REF_EXTERNAL) {
        uint8_t o = hg_resolve__origin_of_external(r, x.id);
        hg_resolve__push_edge(&ev, c, ci, order++, o, x.id, -1, amb);
        if (!any_ext) {
          stats->builtin += o == HG_ORIGIN_BUILTIN;
          stats->stdlib += o == HG_ORIGIN_STDLIB;
          stats->third_party += o == HG_ORIGIN_THIRD_PARTY;
        }
        any_ext = 1;
      }
    }
    if (any_repo) {
      stats->repo++;
      stats->ambiguous += amb;
      if (any_ext) { /* counted once, as repository */
        const uint8_t o = ev.items[ev.n - 1].e.origin;
        stats->builtin -= o == HG_ORIGIN_BUILTIN;
        stats->stdlib -= o == HG_ORIGIN_STDLIB;
        stats->third_party -= o == HG_ORIGIN_THIRD_PARTY;
      }
    }
    if (!order) {
      hg_resolve__push_edge(&ev, c, ci, 0, HG_ORIGIN_UNRESOLVED, c->chain, -1, 0);
      stats->unresolved++;
    }
  }
  hg_resolve__sort_edges(&ev);

  /* write edges; per-def and per-file ranges; subtree ends */
  uint32_t edge_base = HG_NREC(b, HG_SEC_EDGES);
  for (uint32_t i = 0; i < ev.n; i++) *HG_REC(b, HG_SEC_EDGES, HgEdgeRec) = ev.items[i].e;
  uint32_t e = 0;
  for (uint32_t f = r->repo.files.first; f < r->repo.files.first + r->repo.files.count; f++) {
    HgFileRec *fr = FILEREC(r, f);
    fr->module_edges.first = edge_base + e;
    while (e < ev.n && ev.items[e].file == f && ev.items[e].owner < 0) e++;
    fr->module_edges.count = edge_base + e - fr->module_edges.first;
    for (uint32_t d = fr->defs.first; d < fr->defs.first + fr->defs.count; d++) {
      HgDefRec *dr = DEF(r, d);
      dr->edges.first = edge_base + e;
      while (e < ev.n && ev.items[e].file == f && ev.items[e].owner == (int32_t)d) e++;
      dr->edges.count = edge_base + e - dr->edges.first;
      dr->subtree_end = d + 1;
    }
  }
  /* Defs are in pre-order, so a def's descendants follow it contiguously:
   * children (higher indices) pass their subtree's end up to their parent. */
  for (uint32_t d = r->repo.defs.first + r->repo.defs.count; d-- > r->repo.defs.first;) {
    HgDefRec *dr = DEF(r, d);
    if (dr->parent >= 0) {
      HgDefRec *p = DEF(r, (uint32_t)dr->parent);
      if (p->subtree_end < dr->subtree_end) p->subtree_end = dr->subtree_end;
    }
  }

  /* callers: edges into each def, by (target, edge) */
  /* a constructor call also reaches the __init__ its class's MRO finds */
  uint32_t n_in = 0;
  for (uint32_t i = 0; i < ev.n; i++) n_in += (ev.items[i].e.origin == HG_ORIGIN_REPO) + (ev.items[i].e.init >= 0);
  uint64_t *pairs = hg_xmalloc((n_in + 1) * sizeof(uint64_t));
  uint32_t np = 0;
  for (uint32_t i = 0; i < ev.n; i++) {
    if (ev.items[i].e.origin == HG_ORIGIN_REPO) pairs[np++] = ((uint64_t)ev.items[i].e.target << 32) | (edge_base + i);
    if (ev.items[i].e.init >= 0) pairs[np++] = ((uint64_t)(uint32_t)ev.items[i].e.init << 32) | (edge_base + i);
  }
  if (np) qsort(pairs, np, sizeof *pairs, hg_resolve__cmp_u64);
  uint32_t caller_base = HG_NREC(b, HG_SEC_CALLERS);
  for (uint32_t i = 0; i < np; i++) *HG_REC(b, HG_SEC_CALLERS, uint32_t) = (uint32_t)pairs[i];
  uint32_t p = 0;
  for (uint32_t d = r->repo.defs.first; d < r->repo.defs.first + r->repo.defs.count; d++) {
    HgDefRec *dr = DEF(r, d);
    while (p < np && (uint32_t)(pairs[p] >> 32) < d) p++;
    dr->callers.first = caller_base + p;
    uint32_t q = p;
    while (q < np && (uint32_t)(pairs[q] >> 32) == d) q++;
    dr->callers.count = q - p;
    p = q;
  }
  HgRepoRec *rr = HG_AT(b, HG_SEC_REPOS, HgRepoRec, repo);
  rr->edges = (HgRange){edge_base, ev.n};

  free(pairs);
  free(ev.items);
  for (uint32_t i = 0; i < r->repo.defs.count; i++) free(r->mros[i].items);
  for (uint32_t i = 0; i < r->n_sub; i++) free(r->sub_lists[i]);
  free(r->sub_lists);
  free(r->sub_counts);
  free(r->mros);
  free(r->imports);
  free(r->import_state);
  free(r->call_results);
  free(r->bind_memo);
  free(r->bind_state);
  free(r->memo_sets);
  free(r->bnext);
  free(r->inext);
  Word_t bytes;
  JSLFA(bytes, r->modules);
  JLFA(bytes, r->scopes);
  JLFA(bytes, r->iattrs);
  JLFA(bytes, r->memo);
  JLFA(bytes, r->subclasses);
  (void)bytes;
  return HG_OK;
}

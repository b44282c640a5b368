#include "queries/synth.h"

#include <Judy.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/utf8.h"
#include "queries/deps.h"
#include "queries/jsonout.h"
#include "queries/source.h"

static const char *const HG_TASKS[] = {"dep_search", "func_localize", "func_gen", "issue_localize"};
const char *hg_task_name(HgTask t) { return HG_TASKS[t]; }

/* Each drop reason, and the tasks whose summary lists it even when it dropped
 * nothing (so every filter a run applied shows with its count). */
enum {
  HG_T_DEP = 1 << HG_TASK_DEP_SEARCH,
  HG_T_LOC = 1 << HG_TASK_FUNC_LOCALIZE,
  HG_T_GEN = 1 << HG_TASK_FUNC_GEN,
  HG_T_ISSUE = 1 << HG_TASK_ISSUE_LOCALIZE,
  HG_T_DEFS = HG_T_DEP | HG_T_LOC | HG_T_GEN,
};
static const struct {
  const char *name;
  unsigned tasks;
} HG_DROPS[HG_DROP_COUNT_] = {
    {"not a target kind", HG_T_DEP | HG_T_GEN},
    {"in a syntax error", HG_T_DEFS},
    {"test file", HG_T_DEFS},
    {"private name", HG_T_DEP},
    {"no docstring", HG_T_LOC | HG_T_GEN},
    {"no parameter", HG_T_GEN},
    {"no return value", HG_T_GEN},
    {"two statements or fewer", HG_T_GEN},
    {"trivial body", HG_T_GEN},
    {"not found alone by the masking step", HG_T_GEN},
    {"masked file does not parse", HG_T_GEN},
    {"line bounds", HG_T_DEFS},
    {"dependency count", HG_T_DEP},
    {"overload stub dependency", HG_T_DEP},
    {"ambiguous dependency", HG_T_DEP},
    {"unresolved calls", HG_T_DEP},
    {"dependencies within 5 lines (ungradeable)", HG_T_DEP},
    {"docstring removal breaks the file", HG_T_LOC},
    {"empty description", HG_T_LOC},
    {"description under five words", HG_T_LOC},
    {"description found elsewhere in the repository", HG_T_LOC},
    {"description shared by several targets", HG_T_LOC},
    {"source changed or missing", HG_T_DEFS},
    {"duplicate body", HG_T_DEFS},
    {"per-repo / max-instances cap", HG_T_DEFS | HG_T_ISSUE},
    {"repository or commit not indexed", HG_T_ISSUE},
    {"repository not pinned (owner/name at a full commit)", HG_T_ISSUE},
    {"malformed input row", HG_T_ISSUE},
    {"no partner in another file", 0}, /* listed for func_localize --multi */
};

void hg_synth_defaults(HgSynthOptions *opt, HgTask task) {
  memset(opt, 0, sizeof *opt);
  opt->task = task;
  opt->repo = -1;
  opt->exclude_tests = 1;
  opt->min_deps = 1;
  opt->max_deps = 5;
  if (task == HG_TASK_DEP_SEARCH) opt->per_repo = 20;
  if (task == HG_TASK_FUNC_GEN) opt->max_lines = 25;
}

int hg_is_test_path(const char *path) {
  const char *c = path;
  for (;;) {
    const char *slash = strchr(c, '/');
    size_t n = slash ? (size_t)(slash - c) : strlen(c);
    if (slash) {
      if ((n == 5 && !strncmp(c, "tests", 5)) || (n == 4 && !strncmp(c, "test", 4))) return 1;
      c = slash + 1;
      continue;
    }
    if (n > 8 && !strncmp(c, "test_", 5) && !strcmp(c + n - 3, ".py")) return 1;
    if (n > 8 && !strcmp(c + n - 8, "_test.py")) return 1;
    return !strcmp(c, "conftest.py");
  }
}

/* ---- repository identity -------------------------------------------------------------- */

static int hg_synth__name_part(const char *s, size_t n) {
  if (!n || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
          c == '.'))
      return 0;
  }
  return 1;
}

const char *hg_synth_unpinned(const char *name, const char *commit) {
  const char *slash = strchr(name, '/');
  int name_ok =
      slash && hg_synth__name_part(name, (size_t)(slash - name)) && hg_synth__name_part(slash + 1, strlen(slash + 1));
  size_t n = strspn(commit, "0123456789abcdefABCDEF");
  int commit_ok = !commit[n] && (n == 40 || n == 64);
  if (name_ok && commit_ok) return NULL;
  if (!commit_ok)
    return !commit[0] ? (name_ok ? "it has no commit" : "its name is not owner/name and it has no commit")
                      : (name_ok ? "its commit is not a full SHA"
                                 : "its name is not owner/name and its commit is not a full SHA");
  return "its name is not owner/name";
}

uint32_t hg_synth_check_pinned(const HgIndex *ix, const HgSynthOptions *opt, FILE *f) {
  uint32_t n = (uint32_t)hg_index_count(ix, HG_SEC_REPOS), bad = 0;
  for (uint32_t r = 0; r < n; r++) {
    if (opt->repo >= 0 && r != (uint32_t)opt->repo) continue;
    const HgRepoRec *rr = hg_index_repo(ix, r);
    const char *name = hg_index_text(ix, rr->name), *commit = hg_index_text(ix, rr->commit);
    const char *why = hg_synth_unpinned(name, commit);
    if (!why) continue;
    if (bad++ < 10) fprintf(f, "hgym-synth: repository '%s' (commit '%s') is not pinned: %s\n", name, commit, why);
  }
  if (bad > 10) fprintf(f, "hgym-synth: ... and %u more repositories not pinned\n", bad - 10);
  if (bad)
    fprintf(f, "hgym-synth: Hybrid-Gym clones github.com/{repo} at base_commit: index a git checkout with a GitHub "
               "origin (or give hgym-index --name OWNER/NAME --commit SHA), choose pinned repositories with --repo, "
               "or write the rows anyway with --allow-unpinned\n");
  return bad;
}

/* ---- randomness and hashing ------------------------------------------------------ */

static uint64_t hg_synth__splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t hg_synth__fnv(const char *s, size_t n) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001B3ull;
  return h;
}

/* Fisher-Yates over a[0..n). */
static void hg_synth__shuffle(uint32_t *a, uint32_t n, uint64_t *rng) {
  for (uint32_t i = n; i > 1; i--) {
    uint32_t j = (uint32_t)(hg_synth__splitmix(rng) % i);
    uint32_t t = a[i - 1]; // NOLINT(clang-analyzer-core.NullDereference): n > 1 means a holds n items
    a[i - 1] = a[j];
    a[j] = t;
  }
}

/* The hash of a body with every run of whitespace made one space. */
static uint64_t hg_synth__body_hash(const char *s, size_t n) {
  uint64_t h = 0xCBF29CE484222325ull;
  int space = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = 1;
      continue;
    }
    if (space) h = (h ^ ' ') * 0x100000001B3ull;
    space = 0;
    h = (h ^ (uint8_t)c) * 0x100000001B3ull;
  }
  return h;
}

/* ---- a run -------------------------------------------------------------------------- */

typedef struct {
  const HgIndex *ix;
  const HgSynthOptions *opt;
  HgSynthStats *st;
  FILE *out;
  HgSource src;
  Pvoid_t bodies; /* JudyL: body hash -> 1 (corpus-wide dedupe) */
  uint32_t idx;   /* rows of the current repository */
  int failed_write;
} HgSynthRun;

static void hg_synth__drop(HgSynthRun *run, HgDrop why) { run->st->dropped[why]++; }

static unsigned hg_synth__deps_flags(const HgSynthRun *run) {
  return run->opt->count_bare_decorators ? HG_DEPS_BARE_DECORATORS : 0;
}

static int hg_synth__emit(HgSynthRun *run, cJSON *row) {
  if (run->opt->max_instances && run->st->rows >= run->opt->max_instances) {
    cJSON_Delete(row);
    return 0;
  }
  if (hg_json_println(run->out, row)) run->failed_write = 1;
  run->st->rows++;
  return 1;
}

static int hg_synth__full(const HgSynthRun *run) {
  return run->opt->max_instances && run->st->rows >= run->opt->max_instances;
}

/* Is the repository's quota (--per-repo) or the run's (--max-instances) reached? */
static int hg_synth__capped(const HgSynthRun *run, uint32_t taken) {
  return (run->opt->per_repo && taken >= run->opt->per_repo) || hg_synth__full(run);
}

static void hg_synth__instance_id(HgSynthRun *run, cJSON *row, const HgRepoRec *r) {
  char id[1024], name[512];
  snprintf(name, sizeof name, "%s", hg_index_text(run->ix, r->name));
  size_t o = 0;
  for (const char *p = name; *p && o + 2 < sizeof id; p++) {
    if (*p == '/') {
      id[o++] = '_';
      id[o++] = '_';
    } else {
      id[o++] = *p;
    }
  }
  snprintf(id + o, sizeof id - o, "__%.8s__%u", hg_index_text(run->ix, r->commit), run->idx++);
  cJSON_AddStringToObject(row, "instance_id", id);
  cJSON_AddStringToObject(row, "repo", name);
  cJSON_AddStringToObject(row, "base_commit", hg_index_text(run->ix, r->commit));
}

/* Filters shared by the tasks over definitions; HG_DROP_COUNT_ when it passes. */
static HgDrop hg_synth__common(HgSynthRun *run, uint32_t d) {
  const HgDefRec *def = hg_index_def(run->ix, d);
  if (def->flags & HG_DEF_IN_ERROR) return HG_DROP_SYNTAX;
  if (run->opt->exclude_tests && hg_is_test_path(hg_index_text(run->ix, hg_index_file(run->ix, def->file)->path)))
    return HG_DROP_TEST;
  uint32_t lines = def->line_end - def->line_start + 1;
  if ((run->opt->min_lines && lines < run->opt->min_lines) || (run->opt->max_lines && lines > run->opt->max_lines))
    return HG_DROP_LINES;
  return HG_DROP_COUNT_;
}

/* Dedupe on the normalized body; loads the file (HG_DROP_SOURCE on failure). */
static HgDrop hg_synth__dedupe(HgSynthRun *run, uint32_t d) {
  const HgDefRec *def = hg_index_def(run->ix, d);
  if (hg_source_load(&run->src, run->ix, def->file) != HG_OK) return HG_DROP_SOURCE;
  uint32_t a = def->body_byte_start, b = def->byte_end;
  if (b > run->src.len || a > b) return HG_DROP_SOURCE;
  uint64_t h = hg_synth__body_hash(run->src.text + a, b - a);
  PWord_t pv;
  JLI(pv, run->bodies, h);
  if (*pv) return HG_DROP_DUPLICATE;
  *pv = 1;
  return HG_DROP_COUNT_;
}

/* Is def d nested in a function?  Definitions are in pre-order, a parent
 * before its children, so each step up goes to a lower index and the walk
 * ends; a parent that does not come before its child (a cycle) can only be
 * forged, and is a fault. */
static int hg_synth__is_nested_in_function(const HgIndex *ix, uint32_t d) {
  for (uint32_t child = d;;) {
    int32_t p = hg_index_def(ix, child)->parent;
    if (p < 0) return 0;
    if ((uint32_t)p >= child) {
      char what[128];
      snprintf(what, sizeof what, "definition %u's parent %d does not come before it", child, p);
      hg_index_corrupt(ix, what);
      return 0;
    }
    if (hg_index_def(ix, (uint32_t)p)->kind == HG_KIND_FUNCTION) return 1;
    child = (uint32_t)p;
  }
}

static uint64_t hg_synth__repo_seed(const HgSynthRun *run, const HgRepoRec *r) {
  const char *name = hg_index_text(run->ix, r->name);
  return run->opt->seed ^ hg_synth__fnv(name, strlen(name));
}

/* ---- dep_search ------------------------------------------------------------------- */

/* Do two dependencies lie in one file with their decorator_lines at most
 * HG_GRADE_WINDOW lines apart?  The grader takes a comment within that many
 * lines of a decorator_line as the one for that dependency, so one comment
 * could pass for both. */
static int hg_synth__ungradeable(const HgIndex *ix, const HgDeps *deps) {
  for (uint32_t i = 0; i < deps->n; i++) {
    const HgDefRec *a = hg_index_def(ix, deps->defs[i]);
    for (uint32_t j = i + 1; j < deps->n; j++) {
      const HgDefRec *b = hg_index_def(ix, deps->defs[j]);
      uint32_t gap = a->decorator_line > b->decorator_line ? a->decorator_line - b->decorator_line
                                                           : b->decorator_line - a->decorator_line;
      if (a->file == b->file && gap <= HG_GRADE_WINDOW) return 1;
    }
  }
  return 0;
}

static void hg_synth__dep_search_repo(HgSynthRun *run, uint32_t repo) {
  const HgIndex *ix = run->ix;
  const HgRepoRec *r = hg_index_repo(ix, repo);
  enum { MAXD = 64 };
  /* candidates bucketed by dependency count */
  uint32_t *bucket[MAXD + 1] = {0}, nb[MAXD + 1] = {0}, cap[MAXD + 1] = {0};
  HgRange dr = hg_index_range(ix, HG_SEC_DEFS, r->defs);
  for (uint32_t d = dr.first; d < dr.first + dr.count; d++) {
    const HgDefRec *def = hg_index_def(ix, d);
    run->st->seen++;
    HgDrop why = HG_DROP_COUNT_;
    if (def->kind != HG_KIND_FUNCTION || hg_synth__is_nested_in_function(ix, d))
      why = HG_DROP_NOT_TARGET;
    else if ((why = hg_synth__common(run, d)) != HG_DROP_COUNT_) {
    } else if (!run->opt->allow_private && hg_index_text(ix, def->name)[0] == '_')
      why = HG_DROP_PRIVATE;
    HgDeps deps = {0};
    if (why == HG_DROP_COUNT_) {
      hg_deps_collect(ix, d, hg_synth__deps_flags(run), &deps);
      if (deps.n < run->opt->min_deps || deps.n > run->opt->max_deps)
        why = HG_DROP_DEPS;
      else if (deps.any_overload) /* the implementation is the dependency, whatever the options */
        why = HG_DROP_OVERLOAD;
      else if (deps.any_ambiguous && !run->opt->allow_ambiguous)
        why = HG_DROP_AMBIGUOUS;
      else if (deps.unresolved && !run->opt->allow_unresolved)
        why = HG_DROP_UNRESOLVED;
      else if (hg_synth__ungradeable(ix, &deps))
        why = HG_DROP_UNGRADEABLE;
      else
        why = hg_synth__dedupe(run, d);
    }
    uint32_t n = deps.n > MAXD ? MAXD : deps.n;
    hg_deps_free(&deps);
    if (why != HG_DROP_COUNT_) {
      hg_synth__drop(run, why);
      continue;
    }
    if (nb[n] == cap[n]) {
      cap[n] = cap[n] ? cap[n] * 2 : 16;
      bucket[n] = hg_xrealloc(bucket[n], cap[n] * sizeof(uint32_t));
    }
    bucket[n][nb[n]++] = d;
  }
  uint64_t rng = hg_synth__repo_seed(run, r);
  for (uint32_t k = 0; k <= MAXD; k++)
    if (nb[k]) hg_synth__shuffle(bucket[k], nb[k], &rng);
  /* round-robin over the counts, so each is equally represented */
  uint32_t pos[MAXD + 1] = {0}, taken = 0, left = 0;
  for (uint32_t k = 0; k <= MAXD; k++) left += nb[k];
  run->idx = 0;
  while (left) {
    for (uint32_t k = 0; k <= MAXD && left; k++) {
      if (pos[k] >= nb[k]) continue;
      uint32_t d = bucket[k][pos[k]++];
      left--;
      if (hg_synth__capped(run, taken)) {
        hg_synth__drop(run, HG_DROP_CAP);
        continue;
      }
      const HgDefRec *def = hg_index_def(ix, d);
      HgDeps deps;
      hg_deps_collect(ix, d, hg_synth__deps_flags(run), &deps);
      cJSON *row = cJSON_CreateObject();
      hg_synth__instance_id(run, row, r);
      cJSON_AddStringToObject(row, "target_function_name", hg_index_text(ix, def->name));
      cJSON_AddStringToObject(row, "target_function_file", hg_index_text(ix, hg_index_file(ix, def->file)->path));
      cJSON_AddNumberToObject(row, "target_function_line_start", def->line_start);
      cJSON_AddNumberToObject(row, "target_function_line_end", def->line_end);
      cJSON_AddItemToObject(row, "dependencies", hg_deps_json(ix, d, &deps));
      cJSON_AddNumberToObject(row, "num_dependencies", deps.n);
      cJSON_AddNumberToObject(row, "num_unresolved_calls", deps.unresolved);
      cJSON_AddStringToObject(row, "target_function_qualname", hg_index_text(ix, def->qualname));
      run->st->deps_hist[deps.n < 10 ? deps.n : 10]++;
      hg_deps_free(&deps);
      if (hg_synth__emit(run, row)) {
        taken++;
        run->st->kept++;
      }
    }
  }
  for (uint32_t k = 0; k <= MAXD; k++) free(bucket[k]);
}

/* ---- func_localize ------------------------------------------------------------------ */

static int hg_synth__ident(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (unsigned char)c >= 0x80;
}

static int hg_synth__space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* The docstring's first sentence as written: the first paragraph, whitespace
 * folded, cut after the first . ! ? followed by white space or the end (not
 * the . of e.g. / i.e.).  NULL when there is none.  Caller frees. */
static char *hg_synth__first_sentence(const char *doc) {
  size_t n = strlen(doc);
  char *flat = hg_xmalloc(n + 1);
  size_t o = 0;
  int space = 0;
  for (size_t i = 0; i < n; i++) {
    char c = doc[i];
    if (c == '\n' && o) { /* a blank line ends the first paragraph */
      size_t j = i + 1;
      while (j < n && (doc[j] == ' ' || doc[j] == '\t' || doc[j] == '\r')) j++;
      if (j < n && doc[j] == '\n') break;
    }
    if (hg_synth__space(c)) {
      space = o > 0;
      continue;
    }
    if (space) flat[o++] = ' ';
    space = 0;
    flat[o++] = c;
    /* a sentence ends at . ! ? followed by white space (a tab, or the CR of a CRLF file, too) or the end */
    if ((c == '.' || c == '!' || c == '?') && (i + 1 == n || hg_synth__space(doc[i + 1]))) {
      if (!(c == '.' && o >= 4 && (!strncmp(flat + o - 4, "e.g.", 4) || !strncmp(flat + o - 4, "i.e.", 4)))) break;
    }
  }
  flat[o] = 0;
  if (!o) {
    free(flat);
    return NULL;
  }
  return flat;
}

static int hg_synth__alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The text a reference shows: `title <target>` -> title, `~a.b.c` -> c, `!x` -> x. */
static size_t hg_synth__ref_text(const char *s, size_t n, const char **out) {
  if (n >= 3 && s[n - 1] == '>') {
    for (size_t k = n - 1; k-- > 0;)
      if (s[k] == '<' && k > 0 && s[k - 1] == ' ') {
        size_t e = k - 1;
        while (e && s[e - 1] == ' ') e--;
        if (e) {
          *out = s;
          return e;
        }
        break;
      }
  }
  if (n > 1 && s[0] == '~') {
    size_t b = n;
    while (b > 1 && s[b - 1] != '.') b--;
    *out = s + b;
    return n - b;
  }
  if (n > 1 && s[0] == '!') {
    *out = s + 1;
    return n - 1;
  }
  *out = s;
  return n;
}

/* reST and Sphinx inline markup out of a folded sentence, scanning left to
 * right and trying at each position, in order: a role `:name:`text`` or
 * `:domain:name:`text`` (not after a letter or digit) -> the reference's text;
 * an inline literal ``text`` -> text; interpreted text `text` (with a
 * trailing _ or __ of a link) -> the reference's text; emphasis *text* or
 * strong **text** -> text, when the opening star(s) come at the start or
 * after white space or one of '"([{<-/:, before something else than white
 * space or a star, and the next star of the text closes them: after
 * something else than white space, at the end or before white space or one
 * of '")]}>-/:.,;!? (so `*args and **kwargs` stay as written).  Caller
 * frees. */
static char *hg_synth__strip_markup(const char *s) {
  size_t n = strlen(s), o = 0;
  char *out = hg_xmalloc(n + 1);
  for (size_t i = 0; i < n;) {
    const char *t;
    size_t tn;
    if (s[i] == ':' && (i == 0 || !hg_synth__alnum(s[i - 1]))) {
      size_t j = i + 1, segs = 0;
      for (;;) { /* name: segments ending in ':' */
        size_t k = j;
        while (k < n && (hg_synth__alnum(s[k]) || s[k] == '_' || s[k] == '.' || s[k] == '+' || s[k] == '-')) k++;
        if (k == j || k >= n || s[k] != ':') break;
        segs++;
        j = k + 1;
        if (j < n && s[j] == '`') break;
      }
      const char *close = segs && j < n && s[j] == '`' ? strchr(s + j + 1, '`') : NULL;
      if (close && close > s + j + 1) {
        tn = hg_synth__ref_text(s + j + 1, (size_t)(close - s - j - 1), &t);
        memcpy(out + o, t, tn);
        o += tn;
        i = (size_t)(close - s) + 1;
        continue;
      }
    }
    if (s[i] == '`' && i + 1 < n && s[i + 1] == '`') {
      const char *close = strstr(s + i + 2, "``");
      if (close && close > s + i + 2) {
        memcpy(out + o, s + i + 2, (size_t)(close - s - i - 2));
        o += (size_t)(close - s - i - 2);
        i = (size_t)(close - s) + 2;
        continue;
      }
    }
    if (s[i] == '`') {
      const char *close = strchr(s + i + 1, '`');
      if (close && close > s + i + 1) {
        tn = hg_synth__ref_text(s + i + 1, (size_t)(close - s - i - 1), &t);
        memcpy(out + o, t, tn);
        o += tn;
        i = (size_t)(close - s) + 1;
        if (i + 1 < n && s[i] == '_' && s[i + 1] == '_')
          i += 2;
        else if (i < n && s[i] == '_')
          i++;
        continue;
      }
    }
    if (s[i] == '*') {
      size_t k = i + 1 < n && s[i + 1] == '*' ? 2 : 1;
      int opens = (i == 0 || strchr(" '\"([{<-/:", s[i - 1])) && i + k < n && s[i + k] != ' ' && s[i + k] != '*';
      const char *star = opens ? strchr(s + i + k + 1, '*') : NULL;
      size_t j = star ? (size_t)(star - s) : n;
      if (star && j + k <= n && (k == 1 || s[j + 1] == '*') && s[j - 1] != ' ' &&
          (j + k == n || strchr(" '\")]}>-/:.,;!?", s[j + k]))) {
        memcpy(out + o, s + i + k, j - i - k);
        o += j - i - k;
        i = j + k;
        continue;
      }
    }
    out[o++] = s[i++];
  }
  out[o] = 0;
  return out;
}

/* s with the whole-word occurrences of name replaced by noun.  Caller frees. */
static char *hg_synth__mask(const char *s, const char *name, const char *noun) {
  size_t o = strlen(s), nl = strlen(name), ml = strlen(noun), count = 0;
  for (const char *p = strstr(s, name); nl && p; p = strstr(p + nl, name)) count++;
  char *out = hg_xmalloc(o + count * (ml + 1) + 1);
  size_t w = 0;
  for (size_t i = 0; i < o;) {
    if (nl && !strncmp(s + i, name, nl) && (i == 0 || !hg_synth__ident(s[i - 1])) && !hg_synth__ident(s[i + nl])) {
      memcpy(out + w, noun, ml);
      w += ml;
      i += nl;
    } else {
      out[w++] = s[i++];
    }
  }
  out[w] = 0;
  return out;
}

/* The description: the first sentence without its markup, the target's name
 * masked ("this function" / "this method" / "this class").  NULL when there
 * is none.  Caller frees. */
static char *hg_synth__describe(const char *doc, const char *name, const char *noun) {
  char *raw = hg_synth__first_sentence(doc);
  if (!raw) return NULL;
  char *plain = hg_synth__strip_markup(raw);
  free(raw);
  char *out = plain[0] ? hg_synth__mask(plain, name, noun) : NULL;
  free(plain);
  return out;
}

static uint32_t hg_synth__words(const char *s) {
  uint32_t n = 0;
  for (const char *p = s; *p; p++)
    if (*p != ' ' && (p == s || p[-1] == ' ')) n++;
  return n;
}

static const char *hg_synth__noun(const HgDefRec *d) {
  if (d->kind == HG_KIND_CLASS) return "this class";
  return (d->flags & HG_DEF_METHOD) ? "this method" : "this function";
}

/* Does the loaded source hold a carriage return that does not end a CRLF?
 * Python ends a line there, sed and str.split("\n") do not, so line numbers
 * would disagree. */
static int hg_synth__lone_cr(const HgSource *src) {
  for (size_t i = 0; i < src->len; i++)
    if (src->text[i] == '\r' && (i + 1 == src->len || src->text[i + 1] != '\n')) return 1;
  return 0;
}

/* Do the docstring's lines hold the docstring alone, so that deleting them
 * (as Hybrid-Gym's sed does, or its masking keeps them) touches nothing else:
 * only blanks before it on its first line, only blanks, a `;` or a comment
 * after it on its last line, no backslash joining the line before to it, and
 * lines that sed numbers as Python does (no lone CR)?  The source is loaded. */
static int hg_synth__doc_alone(const HgSource *src, const HgDefRec *def) {
  const char *t = src->text;
  uint32_t a = def->doc_byte_start, b = def->doc_byte_end;
  if (b > src->len || a > b || hg_synth__lone_cr(src)) return 0;
  uint32_t ls = a;
  while (ls > 0 && t[ls - 1] != '\n') ls--;
  for (uint32_t k = ls; k < a; k++)
    if (t[k] != ' ' && t[k] != '\t' && t[k] != '\f') return 0;
  if (ls >= 2) { /* the line before must not end with a backslash */
    uint32_t e = ls - 1;
    if (e > 0 && t[e - 1] == '\r') e--;
    if (e > 0 && t[e - 1] == '\\') return 0;
  }
  uint32_t k = b;
  while (k < src->len && (t[k] == ' ' || t[k] == '\t' || t[k] == '\f')) k++;
  if (k < src->len && t[k] == ';') {
    k++;
    while (k < src->len && (t[k] == ' ' || t[k] == '\t' || t[k] == '\f')) k++;
  }
  return k == src->len || t[k] == '\n' || t[k] == '\r' || t[k] == '#';
}

static cJSON *hg_synth__localize_item(HgSynthRun *run, uint32_t d, const char *desc) {
  const HgIndex *ix = run->ix;
  const HgDefRec *def = hg_index_def(ix, d);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "file_path", hg_index_text(ix, hg_index_file(ix, def->file)->path));
  cJSON_AddStringToObject(o, "module_name", hg_index_text(ix, def->name));
  cJSON_AddStringToObject(o, "module_type", hg_def_kind_name(def->kind));
  cJSON_AddNumberToObject(o, "module_line_start", def->line_start);
  cJSON_AddNumberToObject(o, "module_line_end", def->line_end);
  cJSON_AddStringToObject(o, "docstring", hg_index_text(ix, def->docstring));
  cJSON_AddNumberToObject(o, "docstring_line_start", def->doc_line_start);
  cJSON_AddNumberToObject(o, "docstring_line_end", def->doc_line_end);
  cJSON_AddStringToObject(o, "function_description", desc);
  cJSON_AddStringToObject(o, "description_source", "docstring");
  cJSON_AddStringToObject(o, "qualname", hg_index_text(ix, def->qualname));
  cJSON_AddNumberToObject(o, "decorator_line", def->decorator_line);
  return o;
}

/* Shuffle the repository's candidates cand[0..n) by its seed. */
static void hg_synth__shuffle_repo(HgSynthRun *run, const HgRepoRec *r, uint32_t *cand, uint32_t n, uint64_t *rng) {
  *rng = hg_synth__repo_seed(run, r);
  hg_synth__shuffle(cand, n, rng);
}

/* Collect the repository's definitions that pass filter (counting the drops
 * of the others), shuffled by the repository's seed.  Caller frees. */
typedef HgDrop (*HgFilter)(HgSynthRun *run, uint32_t def);

static uint32_t *hg_synth__candidates(HgSynthRun *run, const HgRepoRec *r, HgFilter filter, uint32_t *n,
                                      uint64_t *rng) {
  HgRange dr = hg_index_range(run->ix, HG_SEC_DEFS, r->defs); /* checked: a forged count + 1 could wrap to 0 */
  uint32_t *cand = hg_xmalloc(((size_t)dr.count + 1) * sizeof(uint32_t)), nc = 0;
  for (uint32_t d = dr.first; d < dr.first + dr.count; d++) {
    run->st->seen++;
    HgDrop why = filter(run, d);
    if (why != HG_DROP_COUNT_)
      hg_synth__drop(run, why);
    else
      cand[nc++] = d;
  }
  hg_synth__shuffle_repo(run, r, cand, nc, rng);
  *n = nc;
  return cand;
}

/* A func_localize candidate between the filters. */
typedef struct {
  uint32_t def;
  char *raw;    /* the first sentence as written, the text searched for elsewhere */
  char *desc;   /* the description */
  uint32_t len; /* the raw sentence's length */
  int dropped;
} HgLocCand;

/* The filters of one definition, up to the description's length. */
static HgDrop hg_synth__localize_filter(HgSynthRun *run, uint32_t d, HgLocCand *c) {
  const HgIndex *ix = run->ix;
  const HgDefRec *def = hg_index_def(ix, d);
  HgDrop why = hg_synth__common(run, d);
  if (why != HG_DROP_COUNT_) return why;
  const char *doc = hg_index_str(ix, def->docstring);
  if (!(def->flags & HG_DEF_HAS_DOC) || !doc) return HG_DROP_NO_DOCSTRING; /* no text: only a forged index */
  if (hg_source_load(&run->src, ix, def->file) != HG_OK) return HG_DROP_SOURCE;
  /* the task deletes the docstring's lines: the body must keep a statement, and the lines hold the docstring alone */
  if (def->n_body_stmts < 2 || !hg_synth__doc_alone(&run->src, def)) return HG_DROP_REMOVAL_BREAKS;
  c->raw = hg_synth__first_sentence(doc);
  c->desc = hg_synth__describe(doc, hg_index_text(ix, def->name), hg_synth__noun(def));
  if (!c->desc) return HG_DROP_EMPTY_DESCRIPTION;
  if (hg_synth__words(c->desc) < 5) return HG_DROP_SHORT_DESCRIPTION;
  c->def = d;
  c->len = (uint32_t)strlen(c->raw);
  return HG_DROP_COUNT_;
}

/* The text of a file with every run of white space made one space, and the
 * byte of the file each of its bytes comes from. */
typedef struct {
  char *text;
  uint32_t *from;
  size_t n, cap;
} HgFolded;

static void hg_synth__fold(HgFolded *f, const char *t, size_t len) {
  if (len + 1 > f->cap || !f->text || !f->from) {
    f->cap = len + 1;
    f->text = hg_xrealloc(f->text, f->cap);
    f->from = hg_xrealloc(f->from, f->cap * sizeof(uint32_t));
  }
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (hg_synth__space(t[i])) {
      if (o && f->text[o - 1] == ' ') continue;
      f->from[o] = (uint32_t)i;
      f->text[o++] = ' ';
      continue;
    }
    f->from[o] = (uint32_t)i;
    f->text[o++] = t[i];
  }
  f->text[o] = 0;
  f->n = o;
}

enum { HG_SYNTH_KEY = 12 }; /* bytes hashed at every position of the text searched */

static uint64_t hg_synth__key(const char *s) { return hg_synth__fnv(s, HG_SYNTH_KEY); }

/* Mark the candidates whose raw first sentence appears anywhere in the
 * repository's files but inside their own docstring.  Each file is read (its
 * CRC checked) and folded once; a sentence is looked up by the hash of its
 * first HG_SYNTH_KEY bytes at every position (a bitmap first, then a JudyL of
 * hash -> candidates), shorter ones by a plain search. */
static void hg_synth__mark_repeated(HgSynthRun *run, const HgRepoRec *r, HgLocCand *c, uint32_t n) {
  const HgIndex *ix = run->ix;
  Pvoid_t by_key = NULL; /* key hash -> 1 + index of the first candidate with that key; chained in next[] */
  uint32_t *next = hg_xmalloc((n + 1) * sizeof(uint32_t));
  enum { BITS = 1 << 20 };
  uint8_t *bitmap = hg_xcalloc(BITS / 8, 1);
  uint32_t n_short = 0;
  for (uint32_t i = 0; i < n; i++) {
    next[i] = UINT32_MAX;
    if (c[i].dropped) continue;
    if (c[i].len < HG_SYNTH_KEY) {
      n_short++;
      continue;
    }
    uint64_t h = hg_synth__key(c[i].raw);
    bitmap[(h % BITS) / 8] |= (uint8_t)(1u << (h % 8));
    PWord_t pv;
    JLI(pv, by_key, (Word_t)h);
    next[i] = *pv ? (uint32_t)(*pv - 1) : UINT32_MAX;
    *pv = i + 1;
  }
  HgFolded f = {0};
  HgRange fr = hg_index_range(ix, HG_SEC_FILES, r->files);
  for (uint32_t file = fr.first; file < fr.first + fr.count; file++) {
    if (hg_source_load(&run->src, ix, file) != HG_OK) continue;
    hg_synth__fold(&f, run->src.text, run->src.len);
    for (size_t p = 0; p + HG_SYNTH_KEY <= f.n; p++) {
      uint64_t h = hg_synth__key(f.text + p);
      if (!(bitmap[(h % BITS) / 8] & (1u << (h % 8)))) continue;
      PWord_t pv;
      JLG(pv, by_key, (Word_t)h);
      for (uint32_t i = pv ? (uint32_t)(*pv - 1) : UINT32_MAX; i != UINT32_MAX; i = next[i]) {
        if (c[i].dropped || p + c[i].len > f.n || memcmp(f.text + p, c[i].raw, c[i].len) != 0) continue;
        const HgDefRec *d = hg_index_def(ix, c[i].def);
        uint32_t at = f.from[p];
        if (d->file == file && at >= d->doc_byte_start && at < d->doc_byte_end) continue; /* its own docstring */
        c[i].dropped = HG_DROP_REPEATED_DESCRIPTION;
      }
    }
    for (uint32_t i = 0; n_short && i < n; i++) {
      if (c[i].dropped || c[i].len >= HG_SYNTH_KEY) continue;
      const HgDefRec *d = hg_index_def(ix, c[i].def);
      for (const char *q = strstr(f.text, c[i].raw); q; q = strstr(q + 1, c[i].raw)) {
        uint32_t at = f.from[q - f.text];
        if (!(d->file == file && at >= d->doc_byte_start && at < d->doc_byte_end)) {
          c[i].dropped = HG_DROP_REPEATED_DESCRIPTION;
          break;
        }
      }
    }
  }
  free(f.text);
  free(f.from);
  free(bitmap);
  free(next);
  Word_t bytes;
  JLFA(bytes, by_key);
  (void)bytes;
}

/* Mark the candidates whose description another candidate shares. */
static void hg_synth__mark_shared(HgLocCand *c, uint32_t n) {
  Pvoid_t count = NULL; /* JudySL: description -> candidates with it */
  PWord_t pv;
  for (uint32_t i = 0; i < n; i++) {
    if (c[i].dropped) continue;
    JSLI(pv, count, (const uint8_t *)c[i].desc);
    (*pv)++;
  }
  for (uint32_t i = 0; i < n; i++) {
    if (c[i].dropped) continue;
    JSLG(pv, count, (const uint8_t *)c[i].desc);
    if (pv && *pv > 1) c[i].dropped = HG_DROP_SHARED_DESCRIPTION;
  }
  Word_t bytes;
  JSLFA(bytes, count);
  (void)bytes;
}

static void hg_synth__func_localize_repo(HgSynthRun *run, uint32_t repo) {
  const HgIndex *ix = run->ix;
  const HgRepoRec *r = hg_index_repo(ix, repo);
  HgRange dr = hg_index_range(ix, HG_SEC_DEFS, r->defs); /* checked: a forged count + 1 could wrap to 0 */
  HgLocCand *lc = hg_xmalloc(((size_t)dr.count + 1) * sizeof *lc);
  uint32_t nl = 0;
  for (uint32_t d = dr.first; d < dr.first + dr.count; d++) {
    run->st->seen++;
    HgLocCand c = {0};
    HgDrop why = hg_synth__localize_filter(run, d, &c);
    if (why != HG_DROP_COUNT_) {
      hg_synth__drop(run, why);
      free(c.raw);
      free(c.desc);
      continue;
    }
    lc[nl++] = c;
  }
  /* across the repository's candidates: a description found elsewhere, or shared */
  hg_synth__mark_repeated(run, r, lc, nl);
  hg_synth__mark_shared(lc, nl);
  uint32_t *cand = hg_xmalloc((nl + 1) * sizeof(uint32_t)), nc = 0;
  for (uint32_t i = 0; i < nl; i++) {
    HgDrop why = lc[i].dropped ? (HgDrop)lc[i].dropped : hg_synth__dedupe(run, lc[i].def);
    if (why != HG_DROP_COUNT_)
      hg_synth__drop(run, why);
    else
      cand[nc++] = lc[i].def;
  }
  for (uint32_t i = 0; i < nl; i++) {
    free(lc[i].raw);
    free(lc[i].desc);
  }
  free(lc);
  uint64_t rng;
  hg_synth__shuffle_repo(run, r, cand, nc, &rng);
  run->idx = 0;
  uint32_t taken = 0;
  for (uint32_t i = 0; i < nc;) {
    if (hg_synth__capped(run, taken)) {
      run->st->dropped[HG_DROP_CAP] += nc - i;
      break;
    }
    /* a group: 1 target, or 2-3 from different files with --multi */
    uint32_t want = run->opt->multi ? 2 + (uint32_t)(hg_synth__splitmix(&rng) % 2) : 1;
    uint32_t group[3], ng = 0;
    for (uint32_t j = i; j < nc && ng < want; j++) {
      int same_file = 0;
      for (uint32_t g = 0; g < ng; g++)
        same_file |= hg_index_def(ix, group[g])->file == hg_index_def(ix, cand[j])->file;
      if (same_file) continue;
      /* move cand[j] to position i + ng, keeping the rest in order */
      uint32_t pick = cand[j];
      memmove(&cand[i + ng + 1], &cand[i + ng], (j - i - ng) * sizeof(uint32_t));
      cand[i + ng] = pick;
      group[ng++] = pick;
    }
    if (run->opt->multi && ng < 2) { /* what is left is all in one file */
      run->st->dropped[HG_DROP_UNGROUPED] += nc - i;
      break;
    }
    i += ng;
    cJSON *row = cJSON_CreateObject();
    hg_synth__instance_id(run, row, r);
    cJSON *items = run->opt->multi ? cJSON_AddArrayToObject(row, "functions") : NULL;
    for (uint32_t g = 0; g < ng; g++) {
      const HgDefRec *def = hg_index_def(ix, group[g]);
      char *desc =
          hg_synth__describe(hg_index_text(ix, def->docstring), hg_index_text(ix, def->name), hg_synth__noun(def));
      cJSON *item = hg_synth__localize_item(run, group[g], desc);
      free(desc);
      if (items) {
        cJSON_AddItemToArray(items, item);
        continue;
      }
      for (cJSON *f = item->child; f;) { /* a single target: its fields in the row */
        cJSON *next = f->next;
        cJSON_AddItemToObject(row, f->string, cJSON_DetachItemViaPointer(item, f));
        f = next;
      }
      cJSON_Delete(item);
    }
    if (items) cJSON_AddNumberToObject(row, "n_functions", ng);
    if (hg_synth__emit(run, row)) {
      taken++;
      run->st->kept += ng;
    }
  }
  free(cand);
}

/* ---- func_gen ------------------------------------------------------------------------ */

/* Parameters a caller passes: separators, and self/cls of a method, do not count. */
static uint32_t hg_synth__real_params(const HgIndex *ix, const HgDefRec *d) {
  uint32_t n = 0;
  HgRange pr = hg_index_range(ix, HG_SEC_PARAMS, d->params);
  for (uint32_t i = 0; i < pr.count; i++) {
    const HgParamRec *p = hg_index_param(ix, pr.first + i);
    if (p->kind == HG_PARAM_KWONLY_SEP || p->kind == HG_PARAM_POSONLY_SEP) continue;
    if (i == 0 && (d->flags & HG_DEF_METHOD) && !(d->flags & HG_DEF_STATICMETHOD)) continue;
    n++;
  }
  return n;
}

static cJSON *hg_synth__file_imports(const HgIndex *ix, uint32_t file) {
  const HgFileRec *f = hg_index_file(ix, file);
  cJSON *arr = cJSON_CreateArray();
  HgRange ir = hg_index_range(ix, HG_SEC_IMPORTS, f->imports);
  for (uint32_t i = ir.first; i < ir.first + ir.count; i++) {
    const HgImportRec *m = hg_index_import(ix, i);
    if (m->owner >= 0) continue; /* the module's imports, not a function's */
    char stmt[1200];
    const char *mod = hg_index_text(ix, m->module), *name = hg_index_str(ix, m->name), *as = hg_index_str(ix, m->asname);
    char dots[64];
    uint32_t lv = m->level < 63 ? m->level : 63;
    memset(dots, '.', lv);
    dots[lv] = 0;
    if (m->flags & HG_IMP_FROM)
      snprintf(stmt, sizeof stmt, "from %s%s import %s%s%s", dots, mod, name ? name : "", as ? " as " : "",
               as ? as : "");
    else
      snprintf(stmt, sizeof stmt, "import %s%s%s", mod, as ? " as " : "", as ? as : "");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "line", m->line);
    cJSON_AddStringToObject(o, "statement", stmt);
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

/* The column (bytes from the line's start) of a byte of the loaded source. */
static uint32_t hg_synth__column(const HgSource *src, uint32_t at) {
  uint32_t k = at;
  while (k > 0 && src->text[k - 1] != '\n' && src->text[k - 1] != '\r') k--;
  return at - k;
}

/* Is another definition of the file named like def in def's scope (the same
 * parent: the module, or the class), under an `if` or not? */
static int hg_synth__name_taken(const HgIndex *ix, uint32_t d) {
  const HgDefRec *def = hg_index_def(ix, d);
  const HgFileRec *f = hg_index_file(ix, def->file);
  HgRange dr = hg_index_range(ix, HG_SEC_DEFS, f->defs);
  for (uint32_t e = dr.first; e < dr.first + dr.count; e++) {
    const HgDefRec *o = hg_index_def(ix, e);
    if (e != d && o->parent == def->parent && o->name == def->name) return 1;
  }
  return 0;
}

/* Would Hybrid-Gym's masking step find this target, and only it?  It splits
 * func_name once on "." and takes the first module-level class of that name,
 * then the first def of the method's name directly in its body (or the first
 * module-level def of the name).  So: a function directly in the module's
 * body (column 0), or a method directly in the body of a class that is
 * directly in the module's body; no other definition of its name in its
 * scope (nor of its class's name in the module), so no @overload stubs.  The
 * source is loaded. */
static int hg_synth__mask_finds(const HgIndex *ix, const HgSource *src, uint32_t d) {
  const HgDefRec *def = hg_index_def(ix, d);
  if (hg_def_is_overload(ix, d) || hg_synth__name_taken(ix, d)) return 0;
  if (def->decorator_byte > src->len) return 0; /* outside its file: a forged index */
  if (def->parent < 0) return hg_synth__column(src, def->decorator_byte) == 0;
  const HgDefRec *cls = hg_index_def(ix, (uint32_t)def->parent);
  if (cls->decorator_byte > src->len || cls->body_byte_start > src->len) return 0;
  if (cls->kind != HG_KIND_CLASS || cls->parent >= 0 || hg_synth__column(src, cls->decorator_byte) != 0 ||
      hg_synth__name_taken(ix, (uint32_t)def->parent))
    return 0;
  return hg_synth__column(src, def->decorator_byte) == hg_synth__column(src, cls->body_byte_start);
}

/* Does the file stay valid Python after the masking step: the lines after the
 * docstring, to the def's last line, replaced by one `pass` line indented like
 * the first of them?  The docstring must stand alone on its lines
 * (hg_synth__doc_alone), and the line after it, which must be in the body,
 * must start with the docstring line's indentation exactly (a blank line, or a
 * comment at another column, would give `pass` another one).  The source is
 * loaded. */
static int hg_synth__mask_parses(const HgSource *src, const HgDefRec *def) {
  /* the docstring's lines within the file, the first no later than the last
   * (else a forged index: dropped, as a file that changed) */
  if (!hg_synth__doc_alone(src, def) || def->doc_line_start < 0 || def->doc_line_end < def->doc_line_start ||
      (uint32_t)def->doc_line_end >= def->line_end || (uint32_t)def->doc_line_end + 1 >= src->n_lines)
    return 0;
  const char *t = src->text;
  uint32_t doc_line = src->line_off[def->doc_line_start], next = src->line_off[def->doc_line_end + 1];
  if (doc_line > def->doc_byte_start) return 0; /* the docstring does not start on its line */
  uint32_t want = def->doc_byte_start - doc_line; /* the body's indentation: blanks only (hg_synth__doc_alone) */
  uint32_t have = 0;
  while (next + have < src->len && (t[next + have] == ' ' || t[next + have] == '\t')) have++;
  return have == want && memcmp(t + doc_line, t + next, want) == 0;
}

static HgDrop hg_synth__gen_filter(HgSynthRun *run, uint32_t d) {
  const HgIndex *ix = run->ix;
  const HgDefRec *def = hg_index_def(ix, d);
  HgDrop why = HG_DROP_COUNT_;
  if (def->kind != HG_KIND_FUNCTION || hg_synth__is_nested_in_function(ix, d))
    why = HG_DROP_NOT_TARGET;
  else if ((why = hg_synth__common(run, d)) != HG_DROP_COUNT_) {
  } else if (!(def->flags & HG_DEF_HAS_DOC) || def->docstring == HG_NOSTR)
    why = HG_DROP_NO_DOCSTRING;
  /* before the parameter, return and statement counts: a placeholder or a
   * forwarding body always fails one of those too, and the summary should
   * say it was trivial */
  else if (def->flags & (HG_DEF_TRIVIAL | HG_DEF_FORWARD))
    why = HG_DROP_TRIVIAL;
  else if (hg_synth__real_params(ix, def) == 0)
    why = HG_DROP_NO_PARAMETER;
  else if (!(def->flags & HG_DEF_RETURNS))
    why = HG_DROP_NO_RETURN;
  else if (def->n_body_stmts < 4)
    why = HG_DROP_FEW_STATEMENTS; /* the docstring and more than two */
  else if (hg_source_load(&run->src, ix, def->file) != HG_OK)
    why = HG_DROP_SOURCE;
  else if (!hg_synth__mask_finds(ix, &run->src, d))
    why = HG_DROP_MASK_AMBIGUOUS;
  else if (!hg_synth__mask_parses(&run->src, def))
    why = HG_DROP_MASK_BREAKS;
  else
    why = hg_synth__dedupe(run, d);
  return why;
}

static void hg_synth__func_gen_repo(HgSynthRun *run, uint32_t repo) {
  const HgIndex *ix = run->ix;
  const HgRepoRec *r = hg_index_repo(ix, repo);
  uint32_t nc;
  uint64_t rng;
  uint32_t *cand = hg_synth__candidates(run, r, hg_synth__gen_filter, &nc, &rng);
  run->idx = 0;
  uint32_t taken = 0;
  for (uint32_t i = 0; i < nc; i++) {
    if (hg_synth__capped(run, taken)) {
      run->st->dropped[HG_DROP_CAP] += nc - i;
      break;
    }
    uint32_t d = cand[i];
    const HgDefRec *def = hg_index_def(ix, d);
    if (hg_source_load(&run->src, ix, def->file) != HG_OK) {
      hg_synth__drop(run, HG_DROP_SOURCE);
      continue;
    }
    HgDeps deps;
    hg_deps_collect(ix, d, hg_synth__deps_flags(run), &deps);
    cJSON *row = cJSON_CreateObject();
    hg_synth__instance_id(run, row, r);
    cJSON_AddStringToObject(row, "file_path", hg_index_text(ix, hg_index_file(ix, def->file)->path));
    cJSON_AddStringToObject(row, "func_name", hg_index_text(ix, def->qualname));
    cJSON_AddStringToObject(row, "func_signature", hg_index_text(ix, def->signature));
    cJSON_AddStringToObject(row, "func_docstring_raw", hg_index_text(ix, def->docstring));
    char *body = hg_source_lines(&run->src, (uint32_t)def->doc_line_end + 1, def->line_end);
    cJSON_AddStringToObject(row, "func_body", body);
    free(body);
    char *ctx = hg_source_bytes(&run->src, 0, (uint32_t)run->src.len);
    cJSON_AddStringToObject(row, "orig_context", ctx);
    free(ctx);
    cJSON_AddNumberToObject(row, "line_start", def->line_start);
    cJSON_AddNumberToObject(row, "line_end", def->line_end);
    cJSON_AddNumberToObject(row, "docstring_line_start", def->doc_line_start);
    cJSON_AddNumberToObject(row, "docstring_line_end", def->doc_line_end);
    cJSON_AddItemToObject(row, "file_imports", hg_synth__file_imports(ix, def->file));
    cJSON_AddItemToObject(row, "dependencies", hg_deps_json(ix, d, &deps));
    cJSON_AddNumberToObject(row, "num_dependencies", deps.n);
    run->st->deps_hist[deps.n < 10 ? deps.n : 10]++;
    hg_deps_free(&deps);
    if (hg_synth__emit(run, row)) {
      taken++;
      run->st->kept++;
    }
  }
  free(cand);
}

/* ---- issue_localize ------------------------------------------------------------------- */

typedef struct {
  char *path;      /* old path, or the new one for a created file */
  uint32_t *lines; /* changed lines of the old file, 0-indexed */
  uint32_t n, cap;
} HgPatchFile;

static void hg_synth__add_line(HgPatchFile *f, uint32_t line) {
  if (f->n && f->lines[f->n - 1] == line) return;
  if (f->n == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 16;
    f->lines = hg_xrealloc(f->lines, f->cap * sizeof(uint32_t));
  }
  f->lines[f->n++] = line;
}

/* Parse a unified diff into files and the old-side lines each hunk changes:
 * a removed line is changed; an added line marks the line before it (the
 * code it is inserted after), or line 0 at the top of a file.  A hunk is read
 * by the line counts of its header, so a removed line reading `-- x` or an
 * added one reading `++ x` is not taken for a file header, and an empty line
 * inside a hunk is a blank context line (as GNU patch and git apply read it).
 * With no old lines (`@@ -N,0 ...`), the hunk follows old line N (1-indexed). */
static uint32_t hg_synth__parse_patch(const char *patch, HgPatchFile **out) {
  HgPatchFile *files = NULL;
  uint32_t nf = 0, cap = 0;
  HgPatchFile *cur = NULL;
  int64_t old_line = 0, left_old = 0, left_new = 0; /* the hunk being read */
  const char *p = patch;
  char *minus = NULL;
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    if (len && p[len - 1] == '\r') len--;
    if (cur && (left_old > 0 || left_new > 0)) { /* inside a hunk */
      char c = len ? p[0] : ' ';
      if (c == ' ') {
        old_line++, left_old--, left_new--;
      } else if (c == '-') {
        hg_synth__add_line(cur, (uint32_t)old_line++);
        left_old--;
      } else if (c == '+') {
        hg_synth__add_line(cur, old_line > 0 ? (uint32_t)old_line - 1 : 0);
        left_new--;
      } else if (c != '\\') { /* not "\ No newline at end of file": the hunk was short */
        left_old = left_new = 0;
        continue; /* read the line again as a header */
      }
    } else if (len >= 4 && !strncmp(p, "--- ", 4)) {
      free(minus);
      minus = strndup(p + 4, len - 4);
    } else if (len >= 4 && !strncmp(p, "+++ ", 4) && minus) {
      char *plus = strndup(p + 4, len - 4);
      const char *use = strncmp(minus, "/dev/null", 9) ? minus : plus;
      char *path = strdup(use);
      path[strcspn(path, "\t")] = 0;
      char *q = path;
      if ((q[0] == 'a' || q[0] == 'b') && q[1] == '/') q += 2;
      if (nf == cap) {
        cap = cap ? cap * 2 : 4;
        files = hg_xrealloc(files, cap * sizeof(HgPatchFile));
      }
      cur = &files[nf++];
      memset(cur, 0, sizeof *cur);
      cur->path = strdup(q);
      free(path);
      free(plus);
      free(minus);
      minus = NULL;
    } else if (len >= 4 && !strncmp(p, "@@ -", 4) && cur) {
      /* @@ -a[,b] +c[,d] @@: b and d default to 1 */
      char *e;
      long a = strtol(p + 4, &e, 10), b = 1, d = 1;
      if (*e == ',') b = strtol(e + 1, &e, 10);
      if (*e == ' ' && e[1] == '+') {
        (void)strtol(e + 2, &e, 10);
        if (*e == ',') d = strtol(e + 1, &e, 10);
      }
      old_line = b == 0 ? a : a - 1; /* 0-indexed: the first old line of the hunk, or the one after it */
      if (old_line < 0) old_line = 0;
      left_old = b > 0 ? b : 0;
      left_new = d > 0 ? d : 0;
    }
    p = eol ? eol + 1 : p + strlen(p);
  }
  free(minus);
  *out = files;
  return nf;
}

static int hg_synth__commit_matches(const char *indexed, const char *wanted) {
  size_t a = strlen(indexed), b = strlen(wanted);
  if (!a || !b) return a == b;
  size_t n = a < b ? a : b;
  return n >= 7 && strncmp(indexed, wanted, n) == 0;
}

/* The fields hgym adds to an issue row. */
static const char *const HG_ISSUE_FIELDS[] = {"gold_files", "gold_functions", "module_level_only"};

/* Write an issue row: the input object's text as it was (raw[0..raw_len),
 * ending in its '}'), every field unchanged byte for byte, then hgym's fields
 * (add, an object) before the closing brace.  When the input already has one
 * of hgym's fields, the row is rebuilt from in instead, hgym's values
 * replacing those (numbers are then printed as cJSON prints them).  Either
 * way the line is valid UTF-8: bytes of the input or of the index's paths
 * that are not become U+FFFD, as in every JSON output. */
static void hg_synth__emit_issue(HgSynthRun *run, const cJSON *in, const char *raw, size_t raw_len, cJSON *add) {
  if (hg_synth__full(run)) {
    cJSON_Delete(add);
    return;
  }
  int clash = 0;
  for (size_t k = 0; k < sizeof HG_ISSUE_FIELDS / sizeof HG_ISSUE_FIELDS[0]; k++)
    clash |= cJSON_GetObjectItemCaseSensitive(in, HG_ISSUE_FIELDS[k]) != NULL;
  if (clash) {
    cJSON *row = cJSON_Duplicate(in, 1);
    for (cJSON *f = add->child; f;) {
      cJSON *next = f->next;
      cJSON_DeleteItemFromObjectCaseSensitive(row, f->string);
      cJSON_AddItemToObject(row, f->string, cJSON_DetachItemViaPointer(add, f));
      f = next;
    }
    cJSON_Delete(add);
    hg_synth__emit(run, row);
    return;
  }
  hg_index_check_all(); /* as hg_json_print: nothing read from an index that shrank is printed */
  char *tail = cJSON_PrintUnformatted(add); /* {"gold_files":...}: spliced without its braces */
  cJSON_Delete(add);
  if (!tail)
    hg_oom("an issue row");
  else {
    size_t tl = strlen(tail);
    /* as every JSON line: valid UTF-8 (hg_utf8_fwrite), a byte that is not
     * becoming U+FFFD, whether in the input's text or in a path of the index */
    if (hg_utf8_fwrite(raw, raw_len - 1, run->out) == EOF || fputc(',', run->out) == EOF ||
        hg_utf8_fwrite(tail + 1, tl - 1, run->out) == EOF || fputc('\n', run->out) == EOF)
      run->failed_write = 1;
    cJSON_free(tail);
  }
  run->st->rows++;
}

static void hg_synth__issue_row(HgSynthRun *run, cJSON *in, const char *raw, size_t raw_len, uint64_t row_no) {
  const HgIndex *ix = run->ix;
  cJSON *repo = cJSON_GetObjectItemCaseSensitive(in, "repo"),
        *commit = cJSON_GetObjectItemCaseSensitive(in, "base_commit");
  cJSON *patch = cJSON_GetObjectItemCaseSensitive(in, "patch");
  run->st->seen++;
  if (!cJSON_IsString(repo) || !cJSON_IsString(commit) || !cJSON_IsString(patch)) {
    fprintf(stderr, "hgym-synth: %s:%llu: a row needs string fields repo, base_commit and patch\n",
            run->opt->input_name, (unsigned long long)row_no);
    hg_synth__drop(run, HG_DROP_BAD_ROW);
    return;
  }
  int64_t r = hg_index_find_repo(ix, repo->valuestring);
  if (r < 0 || (run->opt->repo >= 0 && r != run->opt->repo) ||
      !hg_synth__commit_matches(hg_index_text(ix, hg_index_repo(ix, (uint32_t)r)->commit), commit->valuestring)) {
    hg_synth__drop(run, HG_DROP_NOT_INDEXED);
    return;
  }
  /* the index's commit: the row's base_commit names it (a prefix of 7 characters or more) */
  const char *indexed = hg_index_text(ix, hg_index_repo(ix, (uint32_t)r)->commit);
  const char *unpinned = run->opt->allow_unpinned ? NULL : hg_synth_unpinned(repo->valuestring, indexed);
  if (unpinned) {
    fprintf(stderr,
            "hgym-synth: %s:%llu: repository '%s' (indexed at commit '%s') is not pinned: %s (--allow-unpinned "
            "keeps the row)\n",
            run->opt->input_name, (unsigned long long)row_no, repo->valuestring, indexed, unpinned);
    hg_synth__drop(run, HG_DROP_UNPINNED);
    return;
  }
  if (hg_synth__full(run)) {
    hg_synth__drop(run, HG_DROP_CAP);
    return;
  }
  HgPatchFile *files;
  uint32_t nf = hg_synth__parse_patch(patch->valuestring, &files);
  cJSON *row = cJSON_CreateObject(); /* what hgym adds to the input's fields */
  if (!cJSON_GetObjectItemCaseSensitive(in, "instance_id")) {
    run->idx = (uint32_t)run->st->rows;
    cJSON *tmp = cJSON_CreateObject();
    hg_synth__instance_id(run, tmp, hg_index_repo(ix, (uint32_t)r));
    cJSON_AddItemToObject(row, "instance_id", cJSON_DetachItemFromObject(tmp, "instance_id"));
    cJSON_Delete(tmp);
  }
  cJSON *gold_files = cJSON_AddArrayToObject(row, "gold_files");
  cJSON *gold_funcs = cJSON_AddArrayToObject(row, "gold_functions");
  for (uint32_t i = 0; i < nf; i++) {
    HgPatchFile *f = &files[i];
    if (!(run->opt->exclude_tests && hg_is_test_path(f->path))) {
      cJSON_AddItemToArray(gold_files, cJSON_CreateString(f->path));
      int64_t file = hg_index_find_file(ix, (uint32_t)r, f->path, strlen(f->path));
      if (file >= 0) {
        const HgFileRec *fr = hg_index_file(ix, (uint32_t)file);
        Pvoid_t seen = NULL;
        for (uint32_t k = 0; k < f->n; k++) {
          int64_t inner = -1;
          HgRange dr = hg_index_range(ix, HG_SEC_DEFS, fr->defs);
          for (uint32_t d = dr.first; d < dr.first + dr.count; d++) {
            const HgDefRec *def = hg_index_def(ix, d);
            if (f->lines[k] >= def->decorator_line && f->lines[k] <= def->line_end)
              inner = d; /* deeper ones come later */
          }
          if (inner < 0) continue;
          PWord_t pv;
          JLI(pv, seen, (Word_t)inner);
          if (*pv) continue;
          *pv = 1;
          cJSON_AddItemToArray(gold_funcs, hg_json_dep(ix, (uint32_t)inner));
        }
        Word_t bytes;
        JLFA(bytes, seen);
        (void)bytes;
      }
    }
    free(f->path);
    free(f->lines);
  }
  free(files);
  /* a patch that changes no line of a definition: no function-level gold */
  cJSON_AddBoolToObject(row, "module_level_only", cJSON_GetArraySize(gold_funcs) == 0);
  uint64_t before = run->st->rows;
  hg_synth__emit_issue(run, in, raw, raw_len, row);
  if (run->st->rows > before) run->st->kept++;
}

static HgStatus hg_synth__issue_localize(HgSynthRun *run, char *err, size_t errlen) {
  char *line = NULL;
  size_t cap = 0;
  uint64_t no = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, run->opt->input)) >= 0) {
    no++;
    size_t n = strspn(line, " \t\r\n");
    if (n == (size_t)len) continue;
    /* one JSON object a line, nothing but white space after it */
    const char *end = NULL;
    cJSON *in = cJSON_ParseWithLengthOpts(line, (size_t)len, &end, 0);
    size_t used = in && end ? (size_t)(end - line) : 0;
    if (in && used + strspn(line + used, " \t\r\n") != (size_t)len) {
      cJSON_Delete(in);
      in = NULL;
    }
    if (!in || !cJSON_IsObject(in)) {
      fprintf(stderr, "hgym-synth: %s:%llu: not a JSON object\n", run->opt->input_name, (unsigned long long)no);
      run->st->seen++;
      hg_synth__drop(run, HG_DROP_BAD_ROW);
      cJSON_Delete(in);
      continue;
    }
    hg_synth__issue_row(run, in, line + n, used - n, no);
    cJSON_Delete(in);
  }
  free(line);
  (void)err;
  (void)errlen;
  return HG_OK;
}

HgStatus hg_synth_run(const HgIndex *ix, const HgSynthOptions *opt, FILE *out, HgSynthStats *st, char *err,
                      size_t errlen) {
  memset(st, 0, sizeof *st);
  HgSynthRun run = {ix, opt, st, out, {0}, NULL, 0, 0};
  hg_source_init(&run.src);
  HgStatus s = HG_OK;
  if (opt->task == HG_TASK_ISSUE_LOCALIZE) {
    s = hg_synth__issue_localize(&run, err, errlen);
  } else {
    uint32_t n = (uint32_t)hg_index_count(ix, HG_SEC_REPOS);
    for (uint32_t r = 0; r < n; r++) {
      if (opt->repo >= 0 && r != (uint32_t)opt->repo) continue;
      if (opt->task == HG_TASK_DEP_SEARCH)
        hg_synth__dep_search_repo(&run, r);
      else if (opt->task == HG_TASK_FUNC_LOCALIZE)
        hg_synth__func_localize_repo(&run, r);
      else
        hg_synth__func_gen_repo(&run, r);
    }
  }
  hg_source_free(&run.src);
  Word_t bytes;
  JLFA(bytes, run.bodies);
  (void)bytes;
  if (run.failed_write) {
    snprintf(err, errlen, "cannot write the output");
    return HG_ERR_INTERNAL;
  }
  return s;
}

void hg_synth_summary(FILE *f, const HgSynthOptions *opt, const HgSynthStats *st) {
  fprintf(f, "hgym-synth %s: %llu candidates, %llu kept in %llu rows\n", hg_task_name(opt->task),
          (unsigned long long)st->seen, (unsigned long long)st->kept, (unsigned long long)st->rows);
  for (int i = 0; i < HG_DROP_COUNT_; i++)
    if (st->dropped[i] || (HG_DROPS[i].tasks & (1u << opt->task)) || (i == HG_DROP_UNGROUPED && opt->multi))
      fprintf(f, "  dropped %8llu  %s\n", (unsigned long long)st->dropped[i], HG_DROPS[i].name);
  if (opt->task == HG_TASK_DEP_SEARCH || opt->task == HG_TASK_FUNC_GEN) {
    fprintf(f, "  dependency counts of kept targets:");
    for (int i = 0; i <= 10; i++)
      if (st->deps_hist[i]) fprintf(f, " %d%s:%llu", i, i == 10 ? "+" : "", (unsigned long long)st->deps_hist[i]);
    fputc('\n', f);
  }
}

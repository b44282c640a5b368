/*
 * facts.h: what the analyzer knows about one Python file.
 *
 * A HgFileFacts is produced by hg_analyzer_run from a file's bytes and lives
 * in the caller's HgArena.  It holds no tree-sitter types, so the index layer
 * uses it without knowing how it was parsed.
 *
 * Invariants:
 *  - lines are 0-indexed, columns are byte offsets within the line;
 *  - defs are in source pre-order; a def's parent precedes it (parent < self),
 *    and -1 means the module;
 *  - every "owner" field names the innermost enclosing def (or -1), where
 *    calls in a def's decorators, parameter defaults, annotations and base
 *    classes belong to that def (as Python's ast.walk of the def would see);
 *  - every string is NUL-terminated valid UTF-8 (see arena.h).
 */
#ifndef HG_FACTS_H
#define HG_FACTS_H

#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"
#include "store/format.h" /* the on-disk enums the facts carry (HgDefKind, HgCalleeShape, ...) */

typedef struct {
  const char *name;       /* "" for separators */
  const char *annotation; /* source text or NULL */
  const char *default_;   /* source text or NULL */
  uint8_t kind;           /* HgParamKind */
} HgParam;

typedef struct {
  const char *name;                        /* bare name */
  const char *qualname;                    /* as __qualname__: C.m, f.<locals>.g */
  int32_t parent;                          /* enclosing def index, -1 for the module */
  uint8_t kind;                            /* HgDefKind */
  uint16_t flags;                          /* HgDefFlags */
  uint32_t line_start;                     /* the def/class (or async) line */
  uint32_t line_end;                       /* last line of the body's last statement */
  uint32_t decorator_line;                 /* first decorator's line, else line_start */
  uint32_t byte_start, byte_end;           /* def/class keyword to body end */
  uint32_t decorator_byte;                 /* first decorator's '@', else byte_start */
  uint32_t body_line_start, body_line_end; /* first/last body statement */
  uint32_t body_byte_start;                /* first body statement */
  int32_t doc_line_start, doc_line_end;    /* -1 when there is no docstring */
  uint32_t doc_byte_start, doc_byte_end;   /* the literal, quotes included */
  const char *docstring;                   /* literal's text without prefix and quotes, or NULL */
  const char *signature;                   /* "def f(a, b=1) -> int:" as written (whitespace kept) */
  const char **decorators;                 /* expression text after '@' */
  uint32_t n_decorators;
  HgParam *params;
  uint32_t n_params;
  const char **bases; /* class bases and keywords (metaclass=...) as text */
  uint32_t n_bases;
  uint32_t n_body_stmts; /* statements directly in the body */
} HgDef;

/* One imported name: `import a.b as c` is {module "a.b", name NULL, asname
 * "c"}; `from ..x import y as z` is {module "x", level 2, name "y", asname
 * "z"}; `from . import m` is {module "", level 1, name "m"}; a star import has
 * name "*".  The local name bound is asname, else name, else the first part
 * of module. */
typedef struct {
  const char *module;
  const char *name;
  const char *asname;
  int32_t owner;
  uint32_t line, col;
  uint16_t level;
  uint16_t flags; /* HgImportFlags */
} HgImport;

typedef struct {
  int32_t owner;
  uint32_t line, col;
  uint32_t byte;
  uint8_t shape; /* HgCalleeShape */
  uint8_t flags;
  /* For NAME/ATTR/SELF: the dotted chain as written ("f", "os.path.join",
   * "self.helper.run").  For SUPER, CALL and SUBSCRIPT: the attribute chain
   * applied to the receiver ("m", "x.y"), "" when the receiver itself is
   * called; with HG_CALL_SUPER_CLASS, super(Cls, self).m() is "Cls:m".  For
   * OTHER: the callee's source text (truncated). */
  const char *chain;
  int32_t recv_call; /* CALL, SUPER: index of the receiver call in calls[] (it
                        comes later); SELF: the method's def index; else -1 */
} HgCall;

/* A name bound in a scope.  target is a dotted chain: "x" or "self.attr". */
typedef struct {
  const char *target;
  int32_t owner; /* def whose scope binds it, -1 for the module */
  uint32_t line;
  uint8_t kind;           /* HgBindKind */
  uint8_t value_kind;     /* HgValueKind (single-target assignments only) */
  const char *value;      /* dotted chain of the value or callee, or NULL */
  int32_t ref;            /* DEF/CLASS: the def's index; IMPORT: the import's; else -1 */
  const char *annotation; /* x: T [= ...]: T's text, else NULL */
} HgBinding;

typedef struct {
  HG_VEC(HgDef) defs;
  HG_VEC(HgImport) imports;
  HG_VEC(HgCall) calls;
  HG_VEC(HgBinding) bindings;
  HG_VEC(HgDiag) diags;
  const char **all; /* literal __all__, or NULL */
  uint32_t n_all;
  uint8_t all_state; /* 0 absent, 1 literal, 2 present but not literal */
  uint32_t n_lines;
  uint32_t n_bytes;
  uint8_t has_error; /* the tree has ERROR or MISSING nodes */
  uint8_t not_utf8;  /* bytes that are not UTF-8 were seen */
} HgFileFacts;

#endif

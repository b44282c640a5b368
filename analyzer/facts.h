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

typedef enum { HG_KIND_FUNCTION = 0, HG_KIND_CLASS = 1 } HgDefKind;

typedef enum {
  HG_DEF_ASYNC = 1 << 0,
  HG_DEF_STATICMETHOD = 1 << 1,
  HG_DEF_CLASSMETHOD = 1 << 2,
  HG_DEF_PROPERTY = 1 << 3,
  HG_DEF_METHOD = 1 << 4,   /* a function whose parent is a class */
  HG_DEF_HAS_DOC = 1 << 5,  /* first body statement is a str literal */
  HG_DEF_IN_ERROR = 1 << 6, /* recovered from inside a syntax error */
  HG_DEF_RETURNS = 1 << 7,  /* a `return VALUE` in its own body (not in nested defs) */
  HG_DEF_TRIVIAL = 1 << 8,  /* after the docstring: nothing, or only pass / ... /
                               raise NotImplementedError */
  HG_DEF_FORWARD = 1 << 9,  /* after the docstring: one statement that only calls
                               (`return f(...)`, `f(...)`, `await f(...)`) */
} HgDefFlags;

typedef enum {
  HG_PARAM_PLAIN = 0,   /* x, x=1, x: int */
  HG_PARAM_VARARGS,     /* *args */
  HG_PARAM_KWARGS,      /* **kwargs */
  HG_PARAM_KWONLY_SEP,  /* bare * */
  HG_PARAM_POSONLY_SEP, /* / */
} HgParamKind;

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

typedef enum {
  HG_IMP_IN_TRY = 1 << 0,        /* inside a try: body */
  HG_IMP_IN_EXCEPT = 1 << 1,     /* inside an except clause */
  HG_IMP_TYPE_CHECKING = 1 << 2, /* inside if TYPE_CHECKING: */
  HG_IMP_STAR = 1 << 3,          /* from m import * */
  HG_IMP_FROM = 1 << 4,          /* from-import (else plain import) */
  HG_IMP_CONDITIONAL = 1 << 5,   /* inside if/else (other than TYPE_CHECKING) */
} HgImportFlags;

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

typedef enum {
  HG_CALLEE_NAME = 0,  /* f(...) */
  HG_CALLEE_ATTR,      /* a.b.c(...) on a plain name chain */
  HG_CALLEE_SELF,      /* self.x(...) / cls.x(...) in a method (first parameter) */
  HG_CALLEE_SUPER,     /* super().x(...) */
  HG_CALLEE_CALL,      /* f().x(...), f()(...): on a call's result */
  HG_CALLEE_SUBSCRIPT, /* a[0](...), a[0].x(...) */
  HG_CALLEE_OTHER,     /* (lambda: 0)(), "".join(...), ... */
} HgCalleeShape;

enum {
  HG_CALL_IN_DECORATOR = 1 << 0,   /* in the owner's decorators */
  HG_CALL_RAISE = 1 << 1,          /* the raised expression: raise E(...) */
  HG_CALL_IN_HEADER = 1 << 2,      /* parameters, annotations, bases */
  HG_CALL_BARE_DECORATOR = 1 << 3, /* @deco without parentheses: a call of deco */
  HG_CALL_SUPER_CLASS = 1 << 4,    /* SUPER with a class argument: chain is "Cls:attrs" */
};

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

typedef enum {
  HG_BIND_ASSIGN = 0, /* x = ..., x: T = ..., x += ..., a, b = ... */
  HG_BIND_DEF,        /* def x */
  HG_BIND_CLASS,      /* class x */
  HG_BIND_IMPORT,     /* import x / from m import x */
  HG_BIND_FOR,        /* for x in ..., comprehension targets excluded */
  HG_BIND_WITH,       /* with ... as x */
  HG_BIND_EXCEPT,     /* except E as x */
  HG_BIND_WALRUS,     /* (x := ...) */
  HG_BIND_GLOBAL,     /* global x */
  HG_BIND_NONLOCAL,   /* nonlocal x */
  HG_BIND_PARAM,      /* a parameter */
} HgBindKind;

typedef enum {
  HG_VALUE_NONE = 0, /* no value, or one hgym does not follow */
  HG_VALUE_CALL,     /* = chain(...) */
  HG_VALUE_NAME,     /* = chain */
} HgValueKind;

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

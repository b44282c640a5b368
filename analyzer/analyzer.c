/*
 * analyzer.c: the tree-sitter walk that turns one file into HgFileFacts.
 *
 * The walk visits every node once in pre-order with a TSTreeCursor.  For each
 * node it derives a HgFrame (the context its children inherit: the owning def,
 * whether we are in a decorator, a try body, an `if TYPE_CHECKING:` ...) from
 * its parent's HgFrame, the node's grammar symbol and the field it sits in.
 * Frames live in an explicit array indexed by depth, so nesting depth costs
 * heap, never C stack.  Grammar symbols are mapped once, at start, to the
 * small HgSym enum below; the hot loop compares integers only.
 */
#include "analyzer/analyzer.h"

#include "analyzer/marks.h"
#include "analyzer/prescan.h"
#include "analyzer/tsalloc.h"
#include "base/alloc.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);

/* The grammar symbols the walk cares about. */
typedef enum {
  S_OTHER = 0,
  S_MODULE,
  S_FUNCDEF,
  S_CLASSDEF,
  S_DECORATED,
  S_DECORATOR,
  S_BLOCK,
  S_EXPR_STMT,
  S_STRING,
  S_CONCAT_STRING,
  S_STRING_START,
  S_STRING_CONTENT,
  S_STRING_END,
  S_INTERPOLATION,
  S_ESCAPE_SEQ,
  S_IMPORT,
  S_IMPORT_FROM,
  S_FUTURE_IMPORT,
  S_DOTTED_NAME,
  S_ALIASED_IMPORT,
  S_RELATIVE_IMPORT,
  S_IMPORT_PREFIX,
  S_WILDCARD_IMPORT,
  S_CALL,
  S_ATTRIBUTE,
  S_IDENTIFIER,
  S_SUBSCRIPT,
  S_ASSIGNMENT,
  S_AUG_ASSIGNMENT,
  S_PATTERN_LIST,
  S_TUPLE_PATTERN,
  S_LIST_PATTERN,
  S_EXPRESSION_LIST,
  S_TUPLE,
  S_LIST,
  S_PAREN_EXPR,
  S_LIST_SPLAT,
  S_LIST_SPLAT_PATTERN,
  S_DICT_SPLAT_PATTERN,
  S_RAISE,
  S_TRY,
  S_EXCEPT,
  S_EXCEPT_GROUP,
  S_IF,
  S_ELIF,
  S_ELSE,
  S_FOR,
  S_WITH_ITEM,
  S_AS_PATTERN,
  S_AS_PATTERN_TARGET,
  S_NAMED_EXPR,
  S_GLOBAL,
  S_NONLOCAL,
  S_PARAMETERS,
  S_LAMBDA_PARAMETERS,
  S_TYPED_PARAM,
  S_DEFAULT_PARAM,
  S_TYPED_DEFAULT_PARAM,
  S_KEYWORD_SEP,
  S_POSITIONAL_SEP,
  S_COMMENT,
  S_KW_ASYNC,
  S_COLON,
  S_NOT_OPERATOR,
  S_RETURN,
  S_PASS,
  S_ELLIPSIS,
  S_AWAIT,
  S_COUNT
} HgSym;

static const struct {
  const char *name;
  int named;
  HgSym sym;
} HG_SYMS[] = {
    {"module", 1, S_MODULE},
    {"function_definition", 1, S_FUNCDEF},
    {"class_definition", 1, S_CLASSDEF},
    {"decorated_definition", 1, S_DECORATED},
    {"decorator", 1, S_DECORATOR},
    {"block", 1, S_BLOCK},
    {"expression_statement", 1, S_EXPR_STMT},
    {"string", 1, S_STRING},
    {"concatenated_string", 1, S_CONCAT_STRING},
    {"string_start", 1, S_STRING_START},
    {"string_content", 1, S_STRING_CONTENT},
    {"string_end", 1, S_STRING_END},
    {"interpolation", 1, S_INTERPOLATION},
    {"escape_sequence", 1, S_ESCAPE_SEQ},
    {"import_statement", 1, S_IMPORT},
    {"import_from_statement", 1, S_IMPORT_FROM},
    {"future_import_statement", 1, S_FUTURE_IMPORT},
    {"dotted_name", 1, S_DOTTED_NAME},
    {"aliased_import", 1, S_ALIASED_IMPORT},
    {"relative_import", 1, S_RELATIVE_IMPORT},
    {"import_prefix", 1, S_IMPORT_PREFIX},
    {"wildcard_import", 1, S_WILDCARD_IMPORT},
    {"call", 1, S_CALL},
    {"attribute", 1, S_ATTRIBUTE},
    {"identifier", 1, S_IDENTIFIER},
    {"subscript", 1, S_SUBSCRIPT},
    {"assignment", 1, S_ASSIGNMENT},
    {"augmented_assignment", 1, S_AUG_ASSIGNMENT},
    {"pattern_list", 1, S_PATTERN_LIST},
    {"tuple_pattern", 1, S_TUPLE_PATTERN},
    {"list_pattern", 1, S_LIST_PATTERN},
    {"expression_list", 1, S_EXPRESSION_LIST},
    {"tuple", 1, S_TUPLE},
    {"list", 1, S_LIST},
    {"parenthesized_expression", 1, S_PAREN_EXPR},
    {"list_splat", 1, S_LIST_SPLAT},
    {"list_splat_pattern", 1, S_LIST_SPLAT_PATTERN},
    {"dictionary_splat_pattern", 1, S_DICT_SPLAT_PATTERN},
    {"raise_statement", 1, S_RAISE},
    {"try_statement", 1, S_TRY},
    {"except_clause", 1, S_EXCEPT},
    {"except_group_clause", 1, S_EXCEPT_GROUP},
    {"if_statement", 1, S_IF},
    {"elif_clause", 1, S_ELIF},
    {"else_clause", 1, S_ELSE},
    {"for_statement", 1, S_FOR},
    {"with_item", 1, S_WITH_ITEM},
    {"as_pattern", 1, S_AS_PATTERN},
    {"as_pattern_target", 1, S_AS_PATTERN_TARGET},
    {"named_expression", 1, S_NAMED_EXPR},
    {"global_statement", 1, S_GLOBAL},
    {"nonlocal_statement", 1, S_NONLOCAL},
    {"parameters", 1, S_PARAMETERS},
    {"lambda_parameters", 1, S_LAMBDA_PARAMETERS},
    {"typed_parameter", 1, S_TYPED_PARAM},
    {"default_parameter", 1, S_DEFAULT_PARAM},
    {"typed_default_parameter", 1, S_TYPED_DEFAULT_PARAM},
    {"keyword_separator", 1, S_KEYWORD_SEP},
    {"positional_separator", 1, S_POSITIONAL_SEP},
    {"comment", 1, S_COMMENT},
    {"not_operator", 1, S_NOT_OPERATOR},
    {"return_statement", 1, S_RETURN},
    {"pass_statement", 1, S_PASS},
    {"ellipsis", 1, S_ELLIPSIS},
    {"await", 1, S_AWAIT},
    {"async", 0, S_KW_ASYNC},
    {":", 0, S_COLON},
};

/* Expression kinds inside which hg_analyzer__visit records only calls and walruses
 * (and syntax errors): when such a node's text after its first byte holds no
 * '(' and no ':=', and no error, its whole subtree is skipped
 * (hg_analyzer__holds_no_code).  The first byte is left out because a call's '(' never
 * starts a node that holds the whole call, while an argument list, a
 * parameter list, a parenthesized expression or tuple starts with its own.
 * About two thirds of all nodes lie in such subtrees: argument lists,
 * attribute chains, operators, subscripts, literals, parameters.  Targets of
 * assignments and for loops are bound from the statement's fields, not by
 * visiting them; an as_pattern binds by visiting its target, so it is not
 * here (nor is any statement). */
// clang-format off
static const char *const HG_PURE_KINDS[] = {
    "identifier", "attribute", "subscript", "slice", "binary_operator", "comparison_operator",
    "boolean_operator", "unary_operator", "not_operator", "conditional_expression", "list", "tuple", "set",
    "dictionary", "pair", "expression_list", "pattern_list", "keyword_argument", "list_splat",
    "dictionary_splat", "parenthesized_expression", "type", "string", "concatenated_string", "integer", "float",
    "true", "false", "none", "lambda", "argument_list", "generator_expression", "list_comprehension",
    "set_comprehension", "dictionary_comprehension", "for_in_clause", "if_clause", "parameters",
    "lambda_parameters", "default_parameter", "typed_parameter", "typed_default_parameter", "await", "yield",
    "list_splat_pattern", "dictionary_splat_pattern", "tuple_pattern", "list_pattern", "ellipsis",
    "generic_type", "union_type", "constrained_type", "member_type", "splat_type", "type_parameter",
    "interpolation", "format_expression", "format_specifier", "parenthesized_list_splat", "dotted_name",
};
// clang-format on

enum {
  F_NAME,
  F_BODY,
  F_PARAMETERS,
  F_RETURN_TYPE,
  F_TYPE_PARAMETERS,
  F_SUPERCLASSES,
  F_DEFINITION,
  F_FUNCTION,
  F_ARGUMENTS,
  F_OBJECT,
  F_ATTRIBUTE,
  F_LEFT,
  F_RIGHT,
  F_TYPE,
  F_VALUE,
  F_ALIAS,
  F_MODULE_NAME,
  F_CONDITION,
  F_CONSEQUENCE,
  F_ALTERNATIVE,
  F_CAUSE,
  F_COUNT
};
static const char *const HG_FIELDS[F_COUNT] = {
    "name",        "body",        "parameters", "return_type", "type_parameters", "superclasses",
    "definition",  "function",    "arguments",  "object",      "attribute",       "left",
    "right",       "type",        "value",      "alias",       "module_name",     "condition",
    "consequence", "alternative", "cause",
};

/* Context flags a HgFrame passes to its children. */
enum {
  C_IN_TRY = 1 << 0,
  C_IN_EXCEPT = 1 << 1,
  C_TYPE_CHECKING = 1 << 2,
  C_CONDITIONAL = 1 << 3,
  C_IN_DECORATOR = 1 << 4,
  C_IN_HEADER = 1 << 5,
  C_IN_ERROR = 1 << 6,
  C_TC_IF = 1 << 7,     /* this node is `if TYPE_CHECKING:` (for its children) */
  C_SKIP = 1 << 8,      /* do not descend: the visit consumed the subtree */
  C_EXCEPT_AS = 1 << 9, /* this node is the `E as e` of an except clause */
  C_BODY = 1 << 10,     /* this node is the body of def `owner`, read by the walk (HgBody) */
  C_TO_BODY = 1 << 11,  /* this def's header holds nothing to record: step to its body */
};

/* A def's body statements as the walk meets them (hg_analyzer__body_stmt), when its
 * tree has no error, so that the body is not stepped through twice. */
typedef struct {
  uint32_t n, placeholders; /* statements after a docstring; placeholders among them */
  TSNode last;              /* the last of them */
  int live;                 /* the walk reads this def's body */
  uint32_t to_body;         /* the body's first byte when the walk may go straight to it, else 0 */
} HgBody;

typedef struct {
  int32_t owner;       /* innermost def, -1 for the module */
  int32_t self_method; /* method whose first parameter is self_name */
  const char *self_name;
  uint16_t flags;
  uint8_t sym; /* this node's HgSym */
} HgFrame;

enum { HG_MAX_DIAGS = 20, HG_MAX_TEXT = 240 };

struct HgAnalyzer {
  HgTsRegion *region; /* the trees' memory, dropped whole after each file */
  TSParser *parser;   /* made in the region for each file (hg_analyzer__session_begin) */
  const TSLanguage *lang;
  uint8_t *sym_map; /* TSSymbol -> HgSym */
  uint8_t *pure;    /* TSSymbol -> one of HG_PURE_KINDS */
  uint32_t sym_count;
  TSFieldId field[F_COUNT];
  HgFrame *frames;
  uint32_t frames_cap;
  char *work; /* a repaired copy of the input when needed */
  size_t work_cap;
  /* per-run state */
  const char *src;
  uint32_t src_len;
  HgArena *arena;
  HgFileFacts *out;
  int32_t pending_recv;   /* call index whose receiver call comes next, or -1 */
  uint32_t n_errors;      /* syntax errors seen (diagnostics are capped) */
  uint32_t base;          /* bytes before what tree-sitter sees (a BOM) */
  HgMarks marks;          /* where a call or walrus may be (marks.h) */
  HG_VEC(HgBody) bodies;  /* one per def of out->defs, in the arena */
  uint64_t budget_us;     /* parse budget per file, 0 for none */
  uint64_t budget_end_us; /* when this file's budget ends (hg_analyzer__now_us), 0 for none */
  int timed_out;          /* the parse or the walk ran past the budget */
};

void hg_analyzer_set_parse_budget(HgAnalyzer *an, uint64_t micros) { an->budget_us = micros; }

HgAnalyzer *hg_analyzer_new(void) {
  HgAnalyzer *an = calloc(1, sizeof *an);
  if (!an) return NULL;
  hg_tsalloc_install();
  an->lang = tree_sitter_python();
  an->region = hg_tsregion_new();
  uint32_t abi = ts_language_version(an->lang);
  if (!an->region || abi < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION || abi > TREE_SITTER_LANGUAGE_VERSION) {
    hg_analyzer_delete(an);
    return NULL;
  }
  an->sym_count = ts_language_symbol_count(an->lang);
  an->sym_map = calloc(an->sym_count, 1);
  an->pure = calloc(an->sym_count, 1);
  if (!an->sym_map || !an->pure) {
    hg_analyzer_delete(an);
    return NULL;
  }
  for (uint32_t s = 0; s < an->sym_count; s++) {
    const char *name = ts_language_symbol_name(an->lang, (TSSymbol)s);
    int named = ts_language_symbol_type(an->lang, (TSSymbol)s) == TSSymbolTypeRegular;
    for (size_t i = 0; i < sizeof HG_SYMS / sizeof HG_SYMS[0]; i++)
      if (named == HG_SYMS[i].named && strcmp(name, HG_SYMS[i].name) == 0) an->sym_map[s] = (uint8_t)HG_SYMS[i].sym;
    for (size_t i = 0; named && i < sizeof HG_PURE_KINDS / sizeof HG_PURE_KINDS[0]; i++)
      if (strcmp(name, HG_PURE_KINDS[i]) == 0) an->pure[s] = 1;
  }
  for (int f = 0; f < F_COUNT; f++)
    an->field[f] = ts_language_field_id_for_name(an->lang, HG_FIELDS[f], (uint32_t)strlen(HG_FIELDS[f]));
  an->frames_cap = 256;
  an->frames = malloc(an->frames_cap * sizeof(HgFrame));
  return an;
}

void hg_analyzer_delete(HgAnalyzer *an) {
  if (!an) return;
  hg_tsregion_delete(an->region);
  free(an->sym_map);
  free(an->pure);
  free(an->frames);
  free(an->work);
  free(an);
}

/* ---- small helpers over nodes ------------------------------------------------ */

static inline HgSym hg_analyzer__sym(const HgAnalyzer *an, TSNode n) {
  TSSymbol s = ts_node_symbol(n);
  return s < an->sym_count ? (HgSym)an->sym_map[s] : S_OTHER;
}

static inline TSNode hg_analyzer__field(const HgAnalyzer *an, TSNode n, int f) {
  return ts_node_child_by_field_id(n, an->field[f]);
}

/* A call's function or an attribute's object: the grammar makes it the
 * first child, which costs a fifth of a look-up by field; a node with an
 * error is asked by field, as its children may be anything. */
static inline TSNode hg_analyzer__head(const HgAnalyzer *an, TSNode n, int f) {
  return ts_node_has_error(n) ? hg_analyzer__field(an, n, f) : ts_node_child(n, 0);
}

static char *hg_analyzer__text(HgAnalyzer *an, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  return hg_arena_strndup(an->arena, an->src + a, b - a);
}

/* Source text with runs of whitespace (newlines included) folded to one space
 * and truncated, for expressions shown to people (decorators, bases). */
static char *hg_analyzer__text_folded(HgAnalyzer *an, TSNode n, uint32_t max) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  char *buf = hg_arena_alloc(an->arena, (b - a) + 1);
  uint32_t o = 0;
  int space = 0;
  for (uint32_t i = a; i < b && o < max; i++) {
    char c = an->src[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        (c == '\\' && i + 1 < b && (an->src[i + 1] == '\n' || an->src[i + 1] == '\r'))) {
      space = o > 0;
      continue;
    }
    if (space) buf[o++] = ' ';
    space = 0;
    buf[o++] = c;
  }
  return hg_arena_strndup(an->arena, buf, o);
}

static void hg_analyzer__diag(HgAnalyzer *an, TSPoint p, HgSeverity sev, const char *msg) {
  HgDiag *d = HG_VEC_PUSH(an->arena, &an->out->diags);
  d->line = p.row;
  d->col = p.column;
  d->severity = (uint8_t)sev;
  d->message = hg_arena_strdup(an->arena, msg);
}

/* Source bytes [a, b) of a dotted expression without the whitespace, line
 * continuations and comments that may stand between its parts; with
 * skip_dot, a leading '.' is dropped. */
static char *hg_analyzer__code_text(HgAnalyzer *an, uint32_t a, uint32_t b, int skip_dot) {
  char *buf = hg_arena_alloc(an->arena, b - a + 1);
  uint32_t o = 0;
  int in_comment = 0;
  for (uint32_t i = a; i < b; i++) {
    char c = an->src[i];
    if (in_comment) {
      in_comment = c != '\n';
      continue;
    }
    if (c == '#')
      in_comment = 1;
    else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\' && c != '\f')
      buf[o++] = c;
  }
  int drop = skip_dot && o && buf[0] == '.';
  return hg_arena_strndup(an->arena, buf + drop, o - (uint32_t)drop);
}

/* A dotted chain of identifiers ("a", "a.b.c") for identifier / attribute /
 * dotted_name nodes; NULL when the expression is anything else. */
static char *hg_analyzer__chain(HgAnalyzer *an, TSNode n) {
  HgSym s = hg_analyzer__sym(an, n);
  if (s == S_IDENTIFIER) return hg_analyzer__text(an, n);
  if (s == S_DOTTED_NAME) {
    uint32_t c = ts_node_named_child_count(n);
    size_t cap = ts_node_end_byte(n) - ts_node_start_byte(n) + 1, o = 0;
    char *buf = hg_arena_alloc(an->arena, cap);
    for (uint32_t i = 0; i < c; i++) {
      TSNode id = ts_node_named_child(n, i);
      uint32_t a = ts_node_start_byte(id), b = ts_node_end_byte(id);
      if (i) buf[o++] = '.';
      memcpy(buf + o, an->src + a, b - a);
      o += b - a;
    }
    return hg_arena_strndup(an->arena, buf, o);
  }
  if (s != S_ATTRIBUTE) return NULL;
  /* Walk down the objects; the chain is pure when the root is an identifier. */
  TSNode root = n;
  while (hg_analyzer__sym(an, root) == S_ATTRIBUTE) root = hg_analyzer__head(an, root, F_OBJECT);
  if (ts_node_is_null(root) || hg_analyzer__sym(an, root) != S_IDENTIFIER) return NULL;
  return hg_analyzer__code_text(an, ts_node_start_byte(n), ts_node_end_byte(n), 0);
}

/* The last token under n that is not a comment (tree-sitter may let a block
 * run on over trailing comments; Python's end_lineno does not), or n itself
 * when it holds none. */
static TSNode hg_analyzer__last_token(HgAnalyzer *an, TSNode n) {
  for (;;) {
    uint32_t c = ts_node_child_count(n);
    int32_t i = (int32_t)c - 1;
    TSNode last = {0};
    for (; i >= 0; i--) {
      last = ts_node_child(n, (uint32_t)i);
      if (hg_analyzer__sym(an, last) != S_COMMENT && ts_node_end_byte(last) > ts_node_start_byte(last)) break;
    }
    if (i < 0) return n;
    n = last;
  }
}

/* ---- definitions ------------------------------------------------------------ */

static int hg_analyzer__is_string_literal(HgAnalyzer *an, TSNode str) {
  /* A docstring is a plain or raw/unicode str literal: no f- or b- prefix. */
  TSNode start = ts_node_named_child(str, 0);
  if (ts_node_is_null(start) || hg_analyzer__sym(an, start) != S_STRING_START) return 0;
  for (uint32_t i = ts_node_start_byte(start); i < ts_node_end_byte(start); i++) {
    char c = an->src[i];
    if (c == 'f' || c == 'F' || c == 'b' || c == 'B') return 0;
  }
  return 1;
}

/* Text between the quotes of a string (or the parts of a concatenated one). */
static char *hg_analyzer__string_content(HgAnalyzer *an, TSNode lit) {
  uint32_t total = ts_node_end_byte(lit) - ts_node_start_byte(lit);
  char *buf = hg_arena_alloc(an->arena, total + 1);
  uint32_t o = 0;
  int concat = hg_analyzer__sym(an, lit) == S_CONCAT_STRING;
  uint32_t nparts = concat ? ts_node_named_child_count(lit) : 1;
  for (uint32_t p = 0; p < nparts; p++) {
    TSNode s = concat ? ts_node_named_child(lit, p) : lit;
    uint32_t c = ts_node_named_child_count(s);
    if (c < 2) continue;
    TSNode first = ts_node_named_child(s, 0), last = ts_node_named_child(s, c - 1);
    uint32_t a = ts_node_end_byte(first), b = ts_node_start_byte(last);
    if (hg_analyzer__sym(an, last) != S_STRING_END) b = ts_node_end_byte(last);
    if (b > a) {
      memcpy(buf + o, an->src + a, b - a);
      o += b - a;
    }
  }
  return hg_arena_strndup(an->arena, buf, o);
}

static HgBinding *hg_analyzer__bind(HgAnalyzer *an, const char *target, int32_t owner, uint32_t line, HgBindKind kind,
                                    HgValueKind vk, const char *value) {
  HgBinding *b = HG_VEC_PUSH(an->arena, &an->out->bindings);
  b->target = target;
  b->owner = owner;
  b->line = line;
  b->kind = (uint8_t)kind;
  b->value_kind = (uint8_t)vk;
  b->value = value;
  b->ref = -1;
  b->annotation = NULL;
  return b;
}

static void hg_analyzer__params(HgAnalyzer *an, HgDef *d, TSNode params, int32_t idx) {
  uint32_t c = ts_node_named_child_count(params);
  if (!c) return;
  d->params = hg_arena_alloc(an->arena, c * sizeof(HgParam));
  for (uint32_t i = 0; i < c; i++) {
    TSNode p = ts_node_named_child(params, i);
    HgSym s = hg_analyzer__sym(an, p);
    HgParam *out = &d->params[d->n_params];
    TSNode name = p;
    out->name = "";
    switch (s) {
    case S_IDENTIFIER: break;
    case S_DEFAULT_PARAM:
    case S_TYPED_DEFAULT_PARAM:
      name = hg_analyzer__field(an, p, F_NAME);
      if (s == S_TYPED_DEFAULT_PARAM)
        out->annotation = hg_analyzer__text_folded(an, hg_analyzer__field(an, p, F_TYPE), HG_MAX_TEXT);
      out->default_ = hg_analyzer__text_folded(an, hg_analyzer__field(an, p, F_VALUE), HG_MAX_TEXT);
      break;
    case S_TYPED_PARAM: {
      name = ts_node_named_child(p, 0);
      TSNode t = hg_analyzer__field(an, p, F_TYPE);
      if (!ts_node_is_null(t)) out->annotation = hg_analyzer__text_folded(an, t, HG_MAX_TEXT);
      break;
    }
    case S_KEYWORD_SEP:
      out->kind = HG_PARAM_KWONLY_SEP;
      name = (TSNode){0};
      break;
    case S_POSITIONAL_SEP:
      out->kind = HG_PARAM_POSONLY_SEP;
      name = (TSNode){0};
      break;
    case S_LIST_SPLAT_PATTERN:
    case S_DICT_SPLAT_PATTERN: break;
    case S_COMMENT: continue;
    default: name = (TSNode){0}; break; /* tuple parameters (py2), errors */
    }
    HgSym ns = ts_node_is_null(name) ? S_OTHER : hg_analyzer__sym(an, name);
    if (ns == S_LIST_SPLAT_PATTERN || ns == S_DICT_SPLAT_PATTERN) {
      out->kind = ns == S_LIST_SPLAT_PATTERN ? HG_PARAM_VARARGS : HG_PARAM_KWARGS;
      name = ts_node_named_child(name, 0);
      ns = ts_node_is_null(name) ? S_OTHER : hg_analyzer__sym(an, name);
    }
    if (ns == S_IDENTIFIER) {
      out->name = hg_analyzer__text(an, name);
      hg_analyzer__bind(an, out->name, idx, ts_node_start_point(name).row, HG_BIND_PARAM, HG_VALUE_NONE, NULL);
    } else if (!ts_node_is_null(name)) {
      out->name = hg_analyzer__text_folded(an, name, HG_MAX_TEXT);
    }
    d->n_params++;
  }
}

static int hg_analyzer__decorator_is(const char *text, const char *want) {
  size_t n = strlen(text), w = strlen(want);
  if (n == w) return memcmp(text, want, n) == 0;
  return n > w && text[n - w - 1] == '.' && memcmp(text + n - w, want, w) == 0;
}

/* A statement that only calls: `f(...)`, `await f(...)`, `return f(...)`. */
static int hg_analyzer__only_calls(HgAnalyzer *an, TSNode st) {
  HgSym s = hg_analyzer__sym(an, st);
  if ((s != S_EXPR_STMT && s != S_RETURN) || ts_node_named_child_count(st) != 1) return 0;
  TSNode e = ts_node_named_child(st, 0);
  if (hg_analyzer__sym(an, e) == S_AWAIT && ts_node_named_child_count(e) == 1) e = ts_node_named_child(e, 0);
  return hg_analyzer__sym(an, e) == S_CALL;
}

/* A statement that does nothing: pass, ..., raise NotImplementedError[(...)]. */
static int hg_analyzer__is_placeholder(HgAnalyzer *an, TSNode st) {
  HgSym s = hg_analyzer__sym(an, st);
  if (s == S_PASS) return 1;
  if (s == S_EXPR_STMT && ts_node_named_child_count(st) == 1)
    return hg_analyzer__sym(an, ts_node_named_child(st, 0)) == S_ELLIPSIS;
  if (s != S_RAISE || ts_node_named_child_count(st) < 1) return 0;
  TSNode e = ts_node_named_child(st, 0);
  if (hg_analyzer__sym(an, e) == S_CALL) e = hg_analyzer__head(an, e, F_FUNCTION);
  const char *c = ts_node_is_null(e) ? NULL : hg_analyzer__chain(an, e);
  return c && strcmp(c, "NotImplementedError") == 0;
}

/* The first statement of d's body: where the body starts, and the docstring
 * when the statement is a string literal alone.  Returns whether it is a
 * string alone, literal or not (it does not count for HG_DEF_TRIVIAL). */
static int hg_analyzer__first_stmt(HgAnalyzer *an, HgDef *d, TSNode first) {
  d->body_line_start = ts_node_start_point(first).row;
  d->body_byte_start = ts_node_start_byte(first) + an->base;
  if (hg_analyzer__sym(an, first) != S_EXPR_STMT || ts_node_named_child_count(first) != 1) return 0;
  TSNode lit = ts_node_named_child(first, 0);
  HgSym ls = hg_analyzer__sym(an, lit);
  if (ls != S_STRING && ls != S_CONCAT_STRING) return 0;
  int ok = ls == S_STRING ? hg_analyzer__is_string_literal(an, lit) : 0;
  if (ls == S_CONCAT_STRING) {
    ok = 1;
    for (uint32_t i = 0; i < ts_node_named_child_count(lit) && ok; i++) {
      TSNode part = ts_node_named_child(lit, i);
      ok = hg_analyzer__sym(an, part) == S_STRING && hg_analyzer__is_string_literal(an, part);
    }
  }
  if (ok) {
    d->flags |= HG_DEF_HAS_DOC;
    d->doc_line_start = (int32_t)ts_node_start_point(lit).row;
    d->doc_line_end = (int32_t)ts_node_end_point(lit).row;
    d->doc_byte_start = ts_node_start_byte(lit) + an->base;
    d->doc_byte_end = ts_node_end_byte(lit) + an->base;
    d->docstring = hg_analyzer__string_content(an, lit);
  }
  return 1;
}

/* One named child st of d's body, in order: d->n_body_stmts, the first
 * statement (hg_analyzer__first_stmt), and into b the statements after a docstring
 * (a string alone, literal or not), for hg_analyzer__body_flags.  Comments do not
 * count. */
static void hg_analyzer__body_stmt(HgAnalyzer *an, HgDef *d, HgBody *b, TSNode st) {
  if (hg_analyzer__sym(an, st) == S_COMMENT) return;
  if (!d->n_body_stmts++ && hg_analyzer__first_stmt(an, d, st)) return;
  b->n++;
  b->last = st;
  b->placeholders += (uint32_t)hg_analyzer__is_placeholder(an, st);
}

/* HG_DEF_TRIVIAL / HG_DEF_FORWARD from the statements after the docstring. */
static void hg_analyzer__body_flags(HgAnalyzer *an, HgDef *d, const HgBody *b) {
  if (b->placeholders == b->n)
    d->flags |= HG_DEF_TRIVIAL;
  else if (b->n == 1 && hg_analyzer__only_calls(an, b->last))
    d->flags |= HG_DEF_FORWARD;
}

/* The first byte at or after `at` that is not a blank, a comment or a line
 * join (a backslash before the line end); an->src_len when none. */
static uint32_t hg_analyzer__skip_blanks(const HgAnalyzer *an, uint32_t at) {
  const char *s = an->src;
  while (at < an->src_len) {
    char c = s[at];
    if (c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n')
      at++;
    else if (c == '\\' && at + 1 < an->src_len && (s[at + 1] == '\n' || s[at + 1] == '\r'))
      at += 2;
    else if (c == '#')
      while (at < an->src_len && s[at] != '\n') at++;
    else
      break;
  }
  return at;
}

/* d's qualname, as __qualname__ spells it, and whether it is a method. */
static void hg_analyzer__qualname(HgAnalyzer *an, HgDef *d, const HgDef *pd) {
  if (!pd) {
    d->qualname = d->name;
    return;
  }
  const char *sep = pd->kind == HG_KIND_CLASS ? "." : ".<locals>.";
  size_t n = strlen(pd->qualname) + strlen(sep) + strlen(d->name) + 1;
  char *q = hg_arena_alloc(an->arena, n);
  snprintf(q, n, "%s%s%s", pd->qualname, sep, d->name);
  d->qualname = q;
  if (pd->kind == HG_KIND_CLASS && d->kind == HG_KIND_FUNCTION) d->flags |= HG_DEF_METHOD;
}

/* d's signature (the header up to the ':' before the body) and its async
 * keyword.  `before` is the node the ':' follows: the parameters, the bases
 * or the name. */
static void hg_analyzer__signature(HgAnalyzer *an, HgDef *d, TSNode node, TSNode before) {
  uint32_t start = d->byte_start - an->base, sig_end = start;
  if (!ts_node_has_error(node)) {
    /* the text says it without a look at every child: `async` is the first
     * token, and the ':' the first after the parameters (and `-> T`) or the
     * bases (or the name) but for blanks, comments and line joins */
    if (d->kind == HG_KIND_FUNCTION && an->src_len - start > 5 && memcmp(an->src + start, "async", 5) == 0)
      d->flags |= HG_DEF_ASYNC;
    uint32_t at = ts_node_is_null(before) ? start : hg_analyzer__skip_blanks(an, ts_node_end_byte(before));
    if (d->kind == HG_KIND_FUNCTION && at + 1 < an->src_len && an->src[at] == '-' && an->src[at + 1] == '>') {
      TSNode rt = hg_analyzer__field(an, node, F_RETURN_TYPE);
      at = ts_node_is_null(rt) ? start : hg_analyzer__skip_blanks(an, ts_node_end_byte(rt));
    }
    if (at > start && at < an->src_len && an->src[at] == ':') sig_end = at + 1;
  }
  if (sig_end == start) { /* a tree with an error, or a form the scan does not know: ask every child */
    uint32_t nchild = ts_node_child_count(node);
    d->flags &= (uint16_t)~HG_DEF_ASYNC;
    for (uint32_t i = 0; i < nchild; i++) {
      TSNode ch = ts_node_child(node, i);
      HgSym cs = hg_analyzer__sym(an, ch);
      if (cs == S_KW_ASYNC)
        d->flags |= HG_DEF_ASYNC;
      else if (cs == S_COLON)
        sig_end = ts_node_end_byte(ch);
      else if (cs == S_BLOCK)
        break;
    }
  }
  if (sig_end == start) sig_end = ts_node_end_byte(node);
  d->signature = hg_arena_strndup(an->arena, an->src + start, sig_end - start);
}

/* d's decorators (text after '@'), the first one's line, and the flags the
 * well-known ones imply. */
static void hg_analyzer__decorators(HgAnalyzer *an, HgDef *d, TSNode decorated) {
  uint32_t c = ts_node_named_child_count(decorated), nd = 0;
  d->decorators = hg_arena_alloc(an->arena, c * sizeof(char *));
  for (uint32_t i = 0; i < c; i++) {
    TSNode dec = ts_node_named_child(decorated, i);
    if (hg_analyzer__sym(an, dec) != S_DECORATOR) continue;
    if (nd == 0) {
      d->decorator_line = ts_node_start_point(dec).row;
      d->decorator_byte = ts_node_start_byte(dec) + an->base;
    }
    TSNode expr = ts_node_named_child(dec, 0);
    const char *t = ts_node_is_null(expr) ? "" : hg_analyzer__text_folded(an, expr, HG_MAX_TEXT);
    d->decorators[nd++] = t;
    if (d->kind == HG_KIND_FUNCTION) {
      if (hg_analyzer__decorator_is(t, "staticmethod"))
        d->flags |= HG_DEF_STATICMETHOD;
      else if (hg_analyzer__decorator_is(t, "classmethod"))
        d->flags |= HG_DEF_CLASSMETHOD;
      else if (hg_analyzer__decorator_is(t, "property") || hg_analyzer__decorator_is(t, "cached_property") ||
               hg_analyzer__decorator_is(t, "setter") || hg_analyzer__decorator_is(t, "getter") ||
               hg_analyzer__decorator_is(t, "deleter") || hg_analyzer__decorator_is(t, "abstractproperty"))
        d->flags |= HG_DEF_PROPERTY;
    }
  }
  d->n_decorators = nd;
}

/* d's body: its last line, and how its statements are read: by the walk as
 * it visits them (C_BODY), or here in a tree with an error, which the walk
 * may not enter the same way.  `list` is the header's parameter or base
 * list. */
static void hg_analyzer__body(HgAnalyzer *an, HgDef *d, TSNode node, TSNode list) {
  HgBody *bs = HG_VEC_PUSH(an->arena, &an->bodies); /* bodies.len == defs.len */
  memset(bs, 0, sizeof *bs);
  TSNode body = hg_analyzer__field(an, node, F_BODY);
  if (ts_node_is_null(body)) {
    TSNode tok = hg_analyzer__last_token(an, node);
    d->line_end = ts_node_end_point(tok).row;
    d->byte_end = ts_node_end_byte(tok) + an->base;
    d->body_line_start = d->body_line_end = d->line_end;
    d->body_byte_start = d->byte_end;
    return;
  }
  TSNode tok = hg_analyzer__last_token(an, body);
  uint32_t row = ts_node_end_point(tok).row;
  d->line_end = row < d->line_start ? d->line_start : row;
  d->byte_end = ts_node_end_byte(tok) + an->base; /* like line_end: trailing comments excluded */
  d->body_line_end = d->line_end;
  d->body_line_start = d->line_end; /* until a statement is found */
  d->body_byte_start = d->byte_end;
  if (!ts_node_has_error(node)) {
    bs->live = 1;
    /* The header's children hold nothing to record when it holds no
     * mark but the '(' its parameters or bases start with: the walk then
     * steps straight to the body instead of through every token. */
    uint32_t z = ts_node_start_byte(body), at = an->marks.at;
    if (!hg_marks_any_but(&an->marks, d->byte_start - an->base + 1, z,
                          ts_node_is_null(list) ? UINT32_MAX : ts_node_start_byte(list)))
      bs->to_body = z;
    an->marks.at = at; /* the walk asks from here on, in order */
  } else {
    uint32_t c = ts_node_named_child_count(body);
    for (uint32_t i = 0; i < c; i++) hg_analyzer__body_stmt(an, d, bs, ts_node_named_child(body, i));
    hg_analyzer__body_flags(an, d, bs);
  }
}

/* A class's bases and keywords, as text. */
static void hg_analyzer__bases(HgAnalyzer *an, HgDef *d, TSNode sup) {
  uint32_t c = ts_node_named_child_count(sup);
  d->bases = hg_arena_alloc(an->arena, (c ? c : 1) * sizeof(char *));
  for (uint32_t i = 0; i < c; i++) {
    TSNode b = ts_node_named_child(sup, i);
    if (hg_analyzer__sym(an, b) == S_COMMENT) continue;
    d->bases[d->n_bases++] = hg_analyzer__text_folded(an, b, HG_MAX_TEXT);
  }
}

/* Create the def for a function_definition / class_definition node, with the
 * decorated_definition around it when there is one.  parent is the def whose
 * scope the new one is bound in. */
static int32_t hg_analyzer__make_def(HgAnalyzer *an, TSNode node, TSNode decorated, int32_t parent,
                                     uint16_t ctx_flags) {
  HgFileFacts *out = an->out;
  int32_t idx = (int32_t)out->defs.len;
  HgDef *d = HG_VEC_PUSH(an->arena, &out->defs);
  const HgDef *pd = parent >= 0 ? &out->defs.items[parent] : NULL;
  TSNode name = hg_analyzer__field(an, node, F_NAME);
  d->name = ts_node_is_null(name) ? "" : hg_analyzer__text(an, name);
  d->kind = hg_analyzer__sym(an, node) == S_CLASSDEF ? HG_KIND_CLASS : HG_KIND_FUNCTION;
  d->parent = parent;
  hg_analyzer__qualname(an, d, pd);
  if (ctx_flags & C_IN_ERROR) d->flags |= HG_DEF_IN_ERROR;
  d->line_start = ts_node_start_point(node).row;
  d->byte_start = ts_node_start_byte(node) + an->base;
  d->decorator_line = d->line_start;
  d->decorator_byte = d->byte_start;
  d->doc_line_start = d->doc_line_end = -1;

  TSNode params = d->kind == HG_KIND_FUNCTION ? hg_analyzer__field(an, node, F_PARAMETERS) : (TSNode){0};
  TSNode sup = d->kind == HG_KIND_CLASS ? hg_analyzer__field(an, node, F_SUPERCLASSES) : (TSNode){0};
  hg_analyzer__signature(an, d, node, d->kind == HG_KIND_FUNCTION ? params : !ts_node_is_null(sup) ? sup : name);
  if (!ts_node_is_null(decorated)) hg_analyzer__decorators(an, d, decorated);
  hg_analyzer__body(an, d, node, d->kind == HG_KIND_FUNCTION ? params : sup);

  /* Error recovery can nest a def whose last token comes after its parent's:
   * stretch the enclosing defs, so that a parent's lines hold its children's. */
  for (int32_t p = parent; p >= 0 && out->defs.items[p].byte_end < d->byte_end; p = out->defs.items[p].parent) {
    HgDef *pp = &out->defs.items[p];
    pp->byte_end = d->byte_end;
    if (pp->line_end < d->line_end) pp->line_end = pp->body_line_end = d->line_end;
  }

  if (d->kind == HG_KIND_FUNCTION && !ts_node_is_null(params)) hg_analyzer__params(an, d, params, idx);
  if (d->kind == HG_KIND_CLASS && !ts_node_is_null(sup)) hg_analyzer__bases(an, d, sup);
  hg_analyzer__bind(an, d->name, parent, d->line_start, d->kind == HG_KIND_CLASS ? HG_BIND_CLASS : HG_BIND_DEF,
                    HG_VALUE_NONE, NULL)
      ->ref = idx;
  return idx;
}

/* ---- imports ------------------------------------------------------------------- */

static void hg_analyzer__import(HgAnalyzer *an, TSNode node, HgSym sym, const HgFrame *ctx) {
  HgFileFacts *out = an->out;
  uint16_t flags = 0;
  if (ctx->flags & C_IN_TRY) flags |= HG_IMP_IN_TRY;
  if (ctx->flags & C_IN_EXCEPT) flags |= HG_IMP_IN_EXCEPT;
  if (ctx->flags & C_TYPE_CHECKING) flags |= HG_IMP_TYPE_CHECKING;
  if (ctx->flags & C_CONDITIONAL) flags |= HG_IMP_CONDITIONAL;
  const char *module = "";
  uint16_t level = 0;
  if (sym == S_IMPORT_FROM || sym == S_FUTURE_IMPORT) {
    flags |= HG_IMP_FROM;
    if (sym == S_FUTURE_IMPORT) {
      module = "__future__";
    } else {
      TSNode m = hg_analyzer__field(an, node, F_MODULE_NAME);
      if (ts_node_is_null(m)) return; /* broken statement */
      if (hg_analyzer__sym(an, m) == S_RELATIVE_IMPORT) {
        uint32_t c = ts_node_named_child_count(m);
        for (uint32_t i = 0; i < c; i++) {
          TSNode ch = ts_node_named_child(m, i);
          if (hg_analyzer__sym(an, ch) == S_IMPORT_PREFIX)
            level = (uint16_t)(ts_node_end_byte(ch) - ts_node_start_byte(ch));
          else if (hg_analyzer__sym(an, ch) == S_DOTTED_NAME)
            module = hg_analyzer__chain(an, ch);
        }
      } else {
        module = hg_analyzer__chain(an, m);
      }
    }
  }
  uint32_t c = ts_node_named_child_count(node);
  for (uint32_t i = 0; i < c; i++) {
    TSNode ch = ts_node_named_child(node, i);
    HgSym cs = hg_analyzer__sym(an, ch);
    const char *name = NULL, *asname = NULL;
    if (cs == S_WILDCARD_IMPORT) {
      name = "*";
    } else if (cs == S_ALIASED_IMPORT) {
      name = hg_analyzer__chain(an, hg_analyzer__field(an, ch, F_NAME));
      TSNode al = hg_analyzer__field(an, ch, F_ALIAS);
      if (!ts_node_is_null(al)) asname = hg_analyzer__text(an, al);
    } else if (cs == S_DOTTED_NAME) {
      /* the module_name of a from-import is a dotted_name too: skip it */
      if (sym == S_IMPORT_FROM && ts_node_eq(ch, hg_analyzer__field(an, node, F_MODULE_NAME))) continue;
      name = hg_analyzer__chain(an, ch);
    } else {
      continue;
    }
    if (!name) continue;
    HgImport *imp = HG_VEC_PUSH(an->arena, &out->imports);
    TSPoint p = ts_node_start_point(ch);
    imp->owner = ctx->owner;
    imp->line = p.row;
    imp->col = p.column;
    imp->level = level;
    imp->flags = flags | (name[0] == '*' ? HG_IMP_STAR : 0);
    if (sym == S_IMPORT) {
      imp->module = name;
      imp->name = NULL;
    } else {
      imp->module = module;
      imp->name = name;
    }
    imp->asname = asname;
    if (imp->flags & HG_IMP_STAR) continue;
    /* The name bound: asname, else the from-imported name, else the top package. */
    const char *bound = asname;
    if (!bound && sym != S_IMPORT) bound = name;
    if (!bound) {
      const char *dot = strchr(name, '.');
      bound = dot ? hg_arena_strndup(an->arena, name, (size_t)(dot - name)) : name;
    }
    const char *value = imp->name ? imp->name : imp->module;
    if (imp->name) { /* ".."+module+"."+name */
      size_t n = level + strlen(module) + strlen(imp->name) + 2;
      char *v = hg_arena_alloc(an->arena, n);
      memset(v, '.', level);
      snprintf(v + level, n - level, "%s%s%s", module, module[0] ? "." : "", imp->name);
      value = v;
    } else if (!asname) {
      value = bound;
    }
    hg_analyzer__bind(an, bound, ctx->owner, p.row, HG_BIND_IMPORT, HG_VALUE_NAME, value)->ref =
        (int32_t)(out->imports.len - 1);
  }
}

/* ---- bindings ------------------------------------------------------------------- */

/* Bind every name in an assignment target (identifiers, attribute chains,
 * tuples and lists of them, starred), with an explicit stack. */
static void hg_analyzer__bind_targets(HgAnalyzer *an, TSNode target, int32_t owner, HgBindKind kind, HgValueKind vk,
                                      const char *value) {
  HG_VEC(TSNode) stack = {0};
  *HG_VEC_PUSH(an->arena, &stack) = target;
  int single = 1;
  while (stack.len) {
    TSNode n = stack.items[--stack.len];
    switch (hg_analyzer__sym(an, n)) {
    case S_IDENTIFIER:
    case S_ATTRIBUTE: {
      char *chain = hg_analyzer__chain(an, n);
      if (chain)
        hg_analyzer__bind(an, chain, owner, ts_node_start_point(n).row, kind, single ? vk : HG_VALUE_NONE,
                          single ? value : NULL);
      break;
    }
    case S_PATTERN_LIST:
    case S_TUPLE_PATTERN:
    case S_LIST_PATTERN:
    case S_EXPRESSION_LIST:
    case S_TUPLE:
    case S_LIST:
    case S_PAREN_EXPR:
    case S_LIST_SPLAT:
    case S_LIST_SPLAT_PATTERN:
    case S_AS_PATTERN_TARGET: {
      single = 0;
      uint32_t c = ts_node_named_child_count(n);
      for (uint32_t i = c; i-- > 0;) *HG_VEC_PUSH(an->arena, &stack) = ts_node_named_child(n, i);
      break;
    }
    default: break;
    }
  }
}

/* The value kind of an assignment's right side: a call of a dotted chain or
 * a dotted chain. */
static HgValueKind hg_analyzer__value(HgAnalyzer *an, TSNode rhs, const char **chain) {
  *chain = NULL;
  if (ts_node_is_null(rhs)) return HG_VALUE_NONE;
  HgSym s = hg_analyzer__sym(an, rhs);
  if (s == S_CALL) {
    *chain = hg_analyzer__chain(an, hg_analyzer__head(an, rhs, F_FUNCTION));
    return *chain ? HG_VALUE_CALL : HG_VALUE_NONE;
  }
  *chain = hg_analyzer__chain(an, rhs);
  return *chain ? HG_VALUE_NAME : HG_VALUE_NONE;
}

/* __all__ = [...] / (...) / += [...] at module level. */
static void hg_analyzer__dunder_all(HgAnalyzer *an, TSNode rhs, int append) {
  HgFileFacts *out = an->out;
  HgSym s = ts_node_is_null(rhs) ? S_OTHER : hg_analyzer__sym(an, rhs);
  /* ("a") is the string "a", not a tuple: only lists and tuples are literal */
  int literal = s == S_LIST || s == S_TUPLE;
  uint32_t c = literal ? ts_node_named_child_count(rhs) : 0;
  for (uint32_t i = 0; i < c && literal; i++) {
    TSNode e = ts_node_named_child(rhs, i);
    HgSym es = hg_analyzer__sym(an, e);
    literal = es == S_COMMENT ||
              (es == S_STRING && ts_node_named_child_count(e) >= 2 && hg_analyzer__is_string_literal(an, e));
  }
  if (!literal || (append && out->all_state == 2)) {
    out->all_state = 2;
    out->all = NULL; /* no partial list: a reader sees "not literal" only */
    out->n_all = 0;
    return;
  }
  uint32_t base = append ? out->n_all : 0;
  const char **all = hg_arena_alloc(an->arena, (base + c + 1) * sizeof(char *));
  if (base) memcpy(all, out->all, base * sizeof(char *));
  uint32_t n = base;
  for (uint32_t i = 0; i < c; i++) {
    TSNode e = ts_node_named_child(rhs, i);
    if (hg_analyzer__sym(an, e) == S_STRING) all[n++] = hg_analyzer__string_content(an, e);
  }
  out->all = all;
  out->n_all = n;
  out->all_state = 1;
}

/* Bind the targets of an assignment; returns whether its right side is an
 * assignment itself (a = b = f()), whose targets its own visit binds. */
static int hg_analyzer__assignment(HgAnalyzer *an, TSNode node, HgSym sym, const HgFrame *ctx) {
  TSNode left = hg_analyzer__field(an, node, F_LEFT), right = hg_analyzer__field(an, node, F_RIGHT);
  int chained = !ts_node_is_null(right) && hg_analyzer__sym(an, right) == S_ASSIGNMENT;
  if (ts_node_is_null(left)) return chained;
  /* a = b = f(): the value is the innermost right side */
  TSNode value = right;
  while (!ts_node_is_null(value) && hg_analyzer__sym(an, value) == S_ASSIGNMENT)
    value = hg_analyzer__field(an, value, F_RIGHT);
  const char *chain = NULL;
  HgValueKind vk = sym == S_ASSIGNMENT ? hg_analyzer__value(an, value, &chain) : HG_VALUE_NONE;
  uint32_t first = an->out->bindings.len;
  hg_analyzer__bind_targets(an, left, ctx->owner, HG_BIND_ASSIGN, vk, chain);
  TSNode type = sym == S_ASSIGNMENT ? hg_analyzer__field(an, node, F_TYPE) : (TSNode){0};
  if (!ts_node_is_null(type) && an->out->bindings.len == first + 1) /* x: T = ...: its declared type */
    an->out->bindings.items[first].annotation = hg_analyzer__text_folded(an, type, HG_MAX_TEXT);
  if (ctx->owner == -1 && hg_analyzer__sym(an, left) == S_IDENTIFIER) {
    uint32_t a = ts_node_start_byte(left), b = ts_node_end_byte(left);
    if (b - a == 7 && memcmp(an->src + a, "__all__", 7) == 0) {
      if (sym == S_ASSIGNMENT && !ts_node_is_null(right))
        hg_analyzer__dunder_all(an, value, 0);
      else if (sym == S_AUG_ASSIGNMENT)
        hg_analyzer__dunder_all(an, right, 1);
    }
  }
  return chained;
}

/* ---- calls ------------------------------------------------------------------------ */

/* Record a call at node (a call, or a bare decorator's expression) of the
 * callee expression fn. */
static void hg_analyzer__record_call(HgAnalyzer *an, TSNode node, TSNode fn, uint8_t flags, const HgFrame *ctx) {
  HgFileFacts *out = an->out;
  int32_t idx = (int32_t)out->calls.len;
  HgCall *call = HG_VEC_PUSH(an->arena, &out->calls);
  TSPoint p = ts_node_start_point(node);
  call->owner = ctx->owner;
  call->line = p.row;
  call->col = p.column;
  call->byte = ts_node_start_byte(node) + an->base;
  call->recv_call = -1;
  call->flags = flags;
  if (ctx->flags & C_IN_DECORATOR) call->flags |= HG_CALL_IN_DECORATOR;
  if (ctx->flags & C_IN_HEADER) call->flags |= HG_CALL_IN_HEADER;
  /* Is this the receiver of the call visited just before (x().m())? */
  if (an->pending_recv >= 0) {
    out->calls.items[an->pending_recv].recv_call = idx;
    an->pending_recv = -1;
  }

  HgSym fs = ts_node_is_null(fn) ? S_OTHER : hg_analyzer__sym(an, fn);
  if (fs == S_IDENTIFIER) {
    call->shape = HG_CALLEE_NAME;
    call->chain = hg_analyzer__text(an, fn);
    return;
  }
  if (fs == S_ATTRIBUTE) {
    TSNode root = fn;
    while (hg_analyzer__sym(an, root) == S_ATTRIBUTE) root = hg_analyzer__head(an, root, F_OBJECT);
    HgSym rs = ts_node_is_null(root) ? S_OTHER : hg_analyzer__sym(an, root);
    if (rs == S_IDENTIFIER) {
      call->chain = hg_analyzer__chain(an, fn);
      call->shape = HG_CALLEE_ATTR;
      if (ctx->self_name && call->chain) {
        size_t n = strlen(ctx->self_name);
        if (strncmp(call->chain, ctx->self_name, n) == 0 && call->chain[n] == '.') {
          call->shape = HG_CALLEE_SELF;
          call->recv_call = ctx->self_method;
        }
      }
      if (call->chain) return;
    }
    /* The attribute chain applied to a non-name receiver: ".x.y" read as "x.y". */
    const char *attrs = hg_analyzer__code_text(an, ts_node_end_byte(root), ts_node_end_byte(fn), 1);
    if (rs == S_CALL) {
      TSNode rf = hg_analyzer__head(an, root, F_FUNCTION);
      uint32_t ra = ts_node_start_byte(rf), rb = ts_node_end_byte(rf);
      if (!ts_node_is_null(rf) && hg_analyzer__sym(an, rf) == S_IDENTIFIER && rb - ra == 5 &&
          memcmp(an->src + ra, "super", 5) == 0) {
        call->shape = HG_CALLEE_SUPER;
        /* super(Cls, self).m(): the look-up starts after Cls, not the enclosing class */
        TSNode args = hg_analyzer__field(an, root, F_ARGUMENTS);
        TSNode first = ts_node_is_null(args) ? args : ts_node_named_child(args, 0);
        const char *cls = ts_node_is_null(first) ? NULL : hg_analyzer__chain(an, first);
        if (cls) {
          size_t n = strlen(cls) + strlen(attrs) + 2;
          char *c = hg_arena_alloc(an->arena, n);
          snprintf(c, n, "%s:%s", cls, attrs);
          attrs = c;
          call->flags |= HG_CALL_SUPER_CLASS;
        }
      } else {
        call->shape = HG_CALLEE_CALL;
      }
      an->pending_recv = idx;
      call->chain = attrs;
      return;
    }
    call->shape = rs == S_SUBSCRIPT ? HG_CALLEE_SUBSCRIPT : HG_CALLEE_OTHER;
    call->chain = rs == S_SUBSCRIPT ? attrs : hg_analyzer__text_folded(an, fn, HG_MAX_TEXT);
    return;
  }
  if (fs == S_CALL) {
    call->shape = HG_CALLEE_CALL;
    call->chain = "";
    an->pending_recv = idx;
    return;
  }
  call->shape = fs == S_SUBSCRIPT ? HG_CALLEE_SUBSCRIPT : HG_CALLEE_OTHER;
  call->chain = fs == S_SUBSCRIPT ? "" : (ts_node_is_null(fn) ? "" : hg_analyzer__text_folded(an, fn, HG_MAX_TEXT));
}

/* __all__.append("x") / __all__.extend([...]) at module level: literal
 * arguments extend a literal __all__; anything else makes it not literal. */
static void hg_analyzer__dunder_all_call(HgAnalyzer *an, TSNode node, const char *chain) {
  HgFileFacts *out = an->out;
  if (out->all_state != 1) return;
  TSNode args = hg_analyzer__field(an, node, F_ARGUMENTS);
  TSNode arg = ts_node_is_null(args) ? args : ts_node_named_child(args, 0);
  int one = !ts_node_is_null(args) && ts_node_named_child_count(args) == 1;
  if (one && !strcmp(chain, "__all__.extend")) {
    hg_analyzer__dunder_all(an, arg, 1);
  } else if (one && !strcmp(chain, "__all__.append") && hg_analyzer__sym(an, arg) == S_STRING &&
             hg_analyzer__is_string_literal(an, arg)) {
    const char **all = hg_arena_alloc(an->arena, (out->n_all + 1) * sizeof(char *));
    if (out->n_all) memcpy(all, out->all, out->n_all * sizeof(char *));
    all[out->n_all++] = hg_analyzer__string_content(an, arg);
    out->all = all;
  } else {
    out->all_state = 2;
    out->all = NULL;
    out->n_all = 0;
  }
}

/* Record the call at node; returns its callee expression. */
static TSNode hg_analyzer__call(HgAnalyzer *an, TSNode node, const HgFrame *parent, TSFieldId field,
                                const HgFrame *ctx) {
  uint8_t flags = parent->sym == S_RAISE && field != an->field[F_CAUSE] ? HG_CALL_RAISE : 0;
  TSNode fn = hg_analyzer__head(an, node, F_FUNCTION);
  hg_analyzer__record_call(an, node, fn, flags, ctx);
  const HgCall *c = &an->out->calls.items[an->out->calls.len - 1];
  if (ctx->owner == -1 && c->shape == HG_CALLEE_ATTR && !strncmp(c->chain, "__all__.", 8))
    hg_analyzer__dunder_all_call(an, node, c->chain);
  return fn;
}

/* ---- the walk ---------------------------------------------------------------------- */

static int hg_analyzer__is_type_checking(HgAnalyzer *an, TSNode cond) {
  const char *c = ts_node_is_null(cond) ? NULL : hg_analyzer__chain(an, cond);
  return c && hg_analyzer__decorator_is(c, "TYPE_CHECKING");
}

static const char *hg_analyzer__first_param_name(const HgDef *d) {
  if (d->n_params == 0 || d->params[0].kind != HG_PARAM_PLAIN || !d->params[0].name[0]) return NULL;
  return d->params[0].name;
}

/* Whether node's subtree holds no call, no walrus and no error: no mark after
 * its first byte (HG_PURE_KINDS says why not the first). */
static int hg_analyzer__holds_no_code(HgAnalyzer *an, TSNode node) {
  return !hg_marks_any(&an->marks, ts_node_start_byte(node) + 1, ts_node_end_byte(node)) && !ts_node_has_error(node);
}

/* Whether a call (with callee fn) holds no other call, no walrus and no
 * error: no mark before its callee's end (its first byte aside) and none
 * after its argument list's '(', the first mark from there on.  Then hg_analyzer__call
 * has recorded all there is and its children need no visit.  A '(' in a
 * comment between callee and arguments is taken for theirs and the children
 * are visited: the safe side. */
static int hg_analyzer__call_is_plain(HgAnalyzer *an, TSNode node, TSNode fn) {
  uint32_t a = ts_node_start_byte(node) + 1, fe = ts_node_end_byte(fn);
  if (ts_node_has_error(node) || hg_marks_any(&an->marks, a, fe)) return 0;
  return !hg_marks_any_but(&an->marks, a, ts_node_end_byte(node), hg_marks_next(&an->marks));
}

/* The context a node inherits from the field it sits in under its parent:
 * a def's body starts afresh, its header is header; a try body, an if's
 * branches. */
static void hg_analyzer__field_context(HgAnalyzer *an, HgFrame *f, const HgFrame *parent, TSFieldId field) {
  switch (parent->sym) {
  case S_FUNCDEF:
  case S_CLASSDEF:
    if (field == an->field[F_BODY] && f->owner >= 0) {
      f->flags &= (uint16_t) ~(C_IN_TRY | C_IN_EXCEPT | C_TYPE_CHECKING | C_CONDITIONAL | C_IN_HEADER | C_IN_DECORATOR);
      if (an->bodies.items[f->owner].live) f->flags |= C_BODY;
      const HgDef *d = &an->out->defs.items[f->owner];
      if (d->kind == HG_KIND_CLASS) {
        f->self_name = NULL;
        f->self_method = -1;
      } else if ((d->flags & HG_DEF_METHOD) && !(d->flags & HG_DEF_STATICMETHOD)) {
        f->self_name = hg_analyzer__first_param_name(d);
        f->self_method = f->self_name ? f->owner : -1;
      }
    } else if (field != an->field[F_NAME]) {
      f->flags |= C_IN_HEADER;
    }
    break;
  case S_TRY:
    if (field == an->field[F_BODY]) f->flags |= C_IN_TRY;
    break;
  case S_IF:
    if (field == an->field[F_CONSEQUENCE])
      f->flags |= (parent->flags & C_TC_IF) ? C_TYPE_CHECKING : C_CONDITIONAL;
    else if (field == an->field[F_ALTERNATIVE])
      f->flags |= C_CONDITIONAL;
    break;
  default: break;
  }
}

/* Record the facts node (of grammar symbol sym) holds, and set what its
 * children inherit in f. */
static void hg_analyzer__record(HgAnalyzer *an, TSNode node, HgSym sym, HgFrame *f, const HgFrame *parent,
                                TSFieldId field) {
  switch (sym) {
  case S_DECORATED: {
    TSNode def = hg_analyzer__field(an, node, F_DEFINITION);
    if (!ts_node_is_null(def)) f->owner = hg_analyzer__make_def(an, def, node, parent->owner, f->flags);
    break;
  }
  case S_FUNCDEF:
  case S_CLASSDEF:
    if (parent->sym != S_DECORATED || field != an->field[F_DEFINITION])
      f->owner = hg_analyzer__make_def(an, node, (TSNode){0}, parent->owner, f->flags);
    f->flags &= (uint16_t)~C_IN_DECORATOR;
    if (f->owner >= 0 && an->bodies.items[f->owner].to_body) f->flags |= C_TO_BODY;
    break;
  case S_DECORATOR: {
    f->flags |= C_IN_DECORATOR;
    /* @deco is a call of deco with the function (@deco(...) is a call node of its own) */
    TSNode expr = ts_node_named_child(node, 0);
    if (!ts_node_is_null(expr) && hg_analyzer__sym(an, expr) != S_CALL && hg_analyzer__sym(an, expr) != S_COMMENT)
      hg_analyzer__record_call(an, expr, expr, HG_CALL_BARE_DECORATOR, f);
    break;
  }
  case S_RETURN:
    if (f->owner >= 0 && ts_node_named_child_count(node) > 0) an->out->defs.items[f->owner].flags |= HG_DEF_RETURNS;
    if (hg_analyzer__holds_no_code(an, node)) f->flags |= C_SKIP;
    break;
  case S_CALL: {
    TSNode fn = hg_analyzer__call(an, node, parent, field, f);
    if (!ts_node_is_null(fn) && hg_analyzer__call_is_plain(an, node, fn)) f->flags |= C_SKIP;
    break;
  }
  case S_IMPORT:
  case S_IMPORT_FROM:
  case S_FUTURE_IMPORT:
    hg_analyzer__import(an, node, sym, f);
    f->flags |= C_SKIP;
    break;
  case S_ASSIGNMENT:
  case S_AUG_ASSIGNMENT:
    /* its targets are bound here; a chain's inner assignments by their visit */
    if (!hg_analyzer__assignment(an, node, sym, f) && hg_analyzer__holds_no_code(an, node)) f->flags |= C_SKIP;
    break;
  case S_FOR:
    hg_analyzer__bind_targets(an, hg_analyzer__field(an, node, F_LEFT), f->owner, HG_BIND_FOR, HG_VALUE_NONE, NULL);
    break;
  case S_AS_PATTERN:
    /* `except E as e` parses as an as_pattern, like a with item's */
    if (parent->sym == S_EXCEPT || parent->sym == S_EXCEPT_GROUP) f->flags |= C_EXCEPT_AS;
    break;
  case S_AS_PATTERN_TARGET:
    if (parent->sym == S_AS_PATTERN)
      hg_analyzer__bind_targets(an, node, f->owner, (parent->flags & C_EXCEPT_AS) ? HG_BIND_EXCEPT : HG_BIND_WITH,
                                HG_VALUE_NONE, NULL);
    break;
  case S_EXCEPT:
  case S_EXCEPT_GROUP: {
    f->flags = (uint16_t)((f->flags & ~C_IN_TRY) | C_IN_EXCEPT);
    TSNode al = hg_analyzer__field(an, node, F_ALIAS);
    if (!ts_node_is_null(al)) hg_analyzer__bind_targets(an, al, f->owner, HG_BIND_EXCEPT, HG_VALUE_NONE, NULL);
    break;
  }
  case S_NAMED_EXPR: {
    TSNode nm = hg_analyzer__field(an, node, F_NAME);
    const char *chain = NULL;
    HgValueKind vk = hg_analyzer__value(an, hg_analyzer__field(an, node, F_VALUE), &chain);
    if (!ts_node_is_null(nm)) hg_analyzer__bind_targets(an, nm, f->owner, HG_BIND_WALRUS, vk, chain);
    break;
  }
  case S_GLOBAL:
  case S_NONLOCAL: {
    uint32_t c = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < c; i++) {
      TSNode id = ts_node_named_child(node, i);
      if (hg_analyzer__sym(an, id) == S_IDENTIFIER)
        hg_analyzer__bind(an, hg_analyzer__text(an, id), f->owner, ts_node_start_point(id).row,
                          sym == S_GLOBAL ? HG_BIND_GLOBAL : HG_BIND_NONLOCAL, HG_VALUE_NONE, NULL);
    }
    f->flags |= C_SKIP;
    break;
  }
  case S_IF:
  case S_ELIF:
    if (hg_analyzer__is_type_checking(an, hg_analyzer__field(an, node, F_CONDITION))) f->flags |= C_TC_IF;
    break;
  case S_COMMENT:
  case S_STRING_CONTENT:
  case S_ESCAPE_SEQ: f->flags |= C_SKIP; break;
  case S_STRING: {
    /* only an f-string holds code (its interpolations): skip the others'
     * parts, deciding by the prefix letters before the quote */
    int fstring = 0;
    for (uint32_t i = ts_node_start_byte(node); i < an->src_len; i++) {
      char c = an->src[i];
      if (c == 'f' || c == 'F')
        fstring = 1;
      else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        break;
    }
    if (!fstring) f->flags |= C_SKIP;
    break;
  }
  default: break;
  }
}

/* Derive the HgFrame of `node` (at `field` under `parent`) and record its facts. */
static HgFrame hg_analyzer__visit(HgAnalyzer *an, TSNode node, const HgFrame *parent, TSFieldId field) {
  HgFrame f = *parent;
  f.flags &= (uint16_t) ~(C_TC_IF | C_SKIP | C_EXCEPT_AS | C_BODY | C_TO_BODY);
  if ((parent->flags & C_BODY) && ts_node_is_named(node))
    hg_analyzer__body_stmt(an, &an->out->defs.items[parent->owner], &an->bodies.items[parent->owner], node);
  TSSymbol raw = ts_node_symbol(node);
  if (raw == (TSSymbol)-1 /* ERROR */) {
    f.sym = S_OTHER;
    f.flags |= C_IN_ERROR;
    if (an->n_errors++ < HG_MAX_DIAGS) hg_analyzer__diag(an, ts_node_start_point(node), HG_SEV_ERROR, "syntax error");
    return f;
  }
  HgSym sym = raw < an->sym_count ? (HgSym)an->sym_map[raw] : S_OTHER;
  f.sym = (uint8_t)sym;
  if (raw < an->sym_count && an->pure[raw] && hg_analyzer__holds_no_code(an, node)) {
    f.flags |= C_SKIP;
    return f;
  }
  if (an->out->has_error && ts_node_is_missing(node) && an->n_errors++ < HG_MAX_DIAGS) {
    char msg[96];
    snprintf(msg, sizeof msg, "missing '%s'", ts_node_type(node));
    hg_analyzer__diag(an, ts_node_start_point(node), HG_SEV_ERROR, msg);
  }

  hg_analyzer__field_context(an, &f, parent, field);
  hg_analyzer__record(an, node, sym, &f, parent, field);
  /* elif_clause carries its own condition and consequence */
  if (parent->sym == S_ELIF && field == an->field[F_CONSEQUENCE])
    f.flags = (uint16_t)((f.flags & ~C_CONDITIONAL) | ((parent->flags & C_TC_IF) ? C_TYPE_CHECKING : C_CONDITIONAL));
  return f;
}

/* The field the cursor's node sits in, looked up only under the parents whose
 * fields hg_analyzer__visit and hg_analyzer__call read: tree-sitter finds a field by walking up
 * through hidden repetition nodes, which made long lists quadratic. */
static TSFieldId hg_analyzer__cursor_field(const HgFrame *parent, const TSTreeCursor *cur) {
  switch (parent->sym) {
  case S_FUNCDEF:
  case S_CLASSDEF:
  case S_DECORATED:
  case S_TRY:
  case S_IF:
  case S_ELIF:
  case S_RAISE: return ts_tree_cursor_current_field_id(cur);
  default: return 0;
  }
}

/* How many bytes of s[0..len) are c: a word at a time (a memchr per line
 * costs three times as much). */
static size_t hg_analyzer__count_byte(const char *s, size_t len, char c) {
  const uint64_t ones = 0x0101010101010101ull, low7 = 0x7F7F7F7F7F7F7F7Full;
  const uint64_t pat = ones * (unsigned char)c;
  size_t n = 0, i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    w ^= pat;                                       /* bytes equal to c are now 0 */
    uint64_t t = ~(((w & low7) + low7) | w | low7); /* 0x80 in each zero byte, exactly */
    n += (size_t)__builtin_popcountll(t);
  }
  for (; i < len; i++) n += s[i] == c;
  return n;
}

/* The row and column of byte `at` of src[0..len), as Python counts them (LF,
 * CRLF and a lone CR end a line; columns in bytes, the first `skip` bytes, a
 * BOM, not counted). */
static TSPoint hg_analyzer__point_at(const char *src, size_t len, size_t skip, size_t at) {
  TSPoint p = {0, 0};
  for (size_t i = skip; i < at && i < len; i++) {
    if (src[i] == '\n' || (src[i] == '\r' && (i + 1 >= len || src[i + 1] != '\n')))
      p.row++, p.column = 0;
    else
      p.column++;
  }
  return p;
}

/* Prepare the bytes tree-sitter sees: the same length as the input (so byte
 * offsets and rows stay true), with NUL bytes made spaces and lone CRs made
 * LFs (Python counts a lone CR as a line end; tree-sitter does not).  skip is
 * the length of a BOM, which columns do not count. */
static const char *hg_analyzer__prepare(HgAnalyzer *an, const char *src, size_t len, size_t skip) {
  const char *cr = memchr(src, '\r', len), *nul = memchr(src, '\0', len);
  if (!cr && !nul) return src;
  int lone = 0;
  for (const char *p = cr; p && !lone; p = memchr(p + 1, '\r', len - (size_t)(p + 1 - src)))
    lone = p + 1 == src + len || p[1] != '\n';
  if (!lone && !nul) return src;
  if (an->work_cap < len) {
    free(an->work);
    an->work = malloc(len);
    if (!an->work) {
      an->work_cap = 0;
      return NULL;
    }
    an->work_cap = len;
  }
  memcpy(an->work, src, len);
  for (size_t i = 0; i < len; i++) {
    if (an->work[i] == '\0')
      an->work[i] = ' ';
    else if (an->work[i] == '\r' && (i + 1 == len || an->work[i + 1] != '\n'))
      an->work[i] = '\n';
  }
  if (nul)
    hg_analyzer__diag(an, hg_analyzer__point_at(src, len, skip, (size_t)(nul - src)), HG_SEV_WARNING,
                      "NUL byte in source (read as a space)");
  return an->work;
}

/* Work around a tree-sitter-python scanner fault: inside brackets, a
 * continuation line indented less than its block can be lexed as a DEDENT,
 * which wrecks the rest of the file.  Python ignores indentation inside
 * brackets, and the scanner counts a tab as 8 columns while tree-sitter counts
 * columns in bytes, so turning such lines' leading spaces into tabs keeps
 * every byte offset, row and column and gives the scanner a deep indent.
 * A light tokenizer tracks bracket depth past strings and comments.  Returns
 * the number of lines changed in text (a private copy). */
static uint32_t hg_analyzer__retab_brackets(char *text, uint32_t len) {
  uint32_t depth = 0, changed = 0;
  for (uint32_t i = 0; i < len;) {
    char c = text[i];
    if (c == '#') {
      while (i < len && text[i] != '\n') i++;
    } else if (c == '\'' || c == '"') {
      /* a string: prefixes are identifier characters already passed */
      int triple = i + 2 < len && text[i + 1] == c && text[i + 2] == c;
      i += triple ? 3 : 1;
      while (i < len) {
        if (text[i] == '\\') {
          i += 2;
        } else if (text[i] == c && (!triple || (i + 2 < len && text[i + 1] == c && text[i + 2] == c))) {
          i += triple ? 3 : 1;
          break;
        } else if (text[i] == '\n' && !triple) {
          break; /* unterminated: let the line end it */
        } else {
          i++;
        }
      }
      continue;
    } else if (c == '(' || c == '[' || c == '{') {
      depth++;
    } else if ((c == ')' || c == ']' || c == '}') && depth) {
      depth--;
    } else if (c == '\n' && depth) {
      uint32_t j = i + 1, k = j;
      while (k < len && text[k] == ' ') k++;
      if (k > j && k < len && text[k] != '\n' && text[k] != '#') {
        memset(text + j, '\t', k - j);
        changed++;
      }
    }
    i++;
  }
  return changed;
}

static uint32_t hg_analyzer__count_errors(TSNode root) {
  /* ERROR and MISSING nodes, counted without recursion */
  uint32_t n = 0;
  TSTreeCursor cur = ts_tree_cursor_new(root);
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cur);
    int descend = ts_node_has_error(node);
    if (ts_node_symbol(node) == (TSSymbol)-1 || ts_node_is_missing(node)) n++;
    if (descend && ts_tree_cursor_goto_first_child(&cur)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cur))
      if (!ts_tree_cursor_goto_parent(&cur)) goto done;
  }
done:
  ts_tree_cursor_delete(&cur);
  return n;
}

/* A file is parsed and walked inside a session of the analyzer's region, so
 * its trees and cursors need no deleting (tsalloc.h).  The parser is made in
 * the session too, since the parse grows its buffers there.  Deleting it
 * before the session ends is not needed when the grammar is built with
 * TREE_SITTER_REUSE_ALLOCATOR (the Makefile does), but keeps a grammar built
 * otherwise, whose external scanner then uses plain malloc, from leaking. */
static void hg_analyzer__session_begin(HgAnalyzer *an) {
  hg_tsregion_begin(an->region);
  an->parser = ts_parser_new();
  ts_parser_set_language(an->parser, an->lang); /* the ABI was checked by hg_analyzer_new */
  ts_parser_set_timeout_micros(an->parser, an->budget_us);
}

static void hg_analyzer__session_end(HgAnalyzer *an) {
  ts_parser_delete(an->parser);
  an->parser = NULL;
  hg_tsregion_end(an->region);
}

static TSTree *hg_analyzer__parse(HgAnalyzer *an, const char *src, uint32_t len) {
  ts_parser_reset(an->parser);
  return ts_parser_parse_string(an->parser, NULL, src, len);
}

HgStatus hg_analyzer_parse_only(HgAnalyzer *an, const char *src, size_t len) {
  if (len > UINT32_MAX) return HG_ERR_INPUT;
  hg_analyzer__session_begin(an);
  TSTree *t = hg_analyzer__parse(an, src, (uint32_t)len);
  hg_analyzer__session_end(an);
  return t ? HG_OK : HG_ERR_INPUT;
}

/* Lines as Python counts them: LF, CRLF and a lone CR each end one. */
static uint32_t hg_analyzer__count_lines(const char *src, size_t len) {
  uint32_t lines = (uint32_t)hg_analyzer__count_byte(src, len, '\n');
  for (const char *p = src; (p = memchr(p, '\r', len - (size_t)(p - src))); p++)
    lines += p + 1 == src + len || p[1] != '\n';
  return lines + (len && src[len - 1] != '\n' && src[len - 1] != '\r');
}

/* Report the first byte that is not UTF-8, if any (after a BOM of skip bytes). */
static void hg_analyzer__check_utf8(HgAnalyzer *an, const char *src, size_t len, size_t skip) {
  size_t bad = hg_utf8_check((const unsigned char *)src + skip, len - skip);
  if (bad == len - skip) return;
  an->out->not_utf8 = 1;
  hg_analyzer__diag(an, hg_analyzer__point_at(src, len, skip, skip + bad), HG_SEV_WARNING,
                    "invalid UTF-8 (text is read byte for byte; strings are repaired)");
}

/* Parse an->src; when the tree has errors, parse again with bracketed
 * continuation lines re-indented (hg_analyzer__retab_brackets) and keep the
 * tree with fewer errors (an->src then points to the re-indented copy).
 * NULL when the parser gave no tree. */
static uint64_t hg_analyzer__now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static TSTree *hg_analyzer__parse_best(HgAnalyzer *an) {
  an->timed_out = 0;
  TSTree *tree = hg_analyzer__parse(an, an->src, an->src_len);
  if (!tree) an->timed_out = an->budget_us != 0; /* tree-sitter gives no tree when it stops at the budget */
  if (!tree || !ts_node_has_error(ts_tree_root_node(tree))) return tree;
  /* the second parse gets what is left of the budget; stopped, the first
   * tree stands */
  uint64_t now = hg_analyzer__now_us();
  if (an->budget_end_us && now >= an->budget_end_us) return tree;
  ts_parser_set_timeout_micros(an->parser, an->budget_end_us ? an->budget_end_us - now : 0);
  char *copy = hg_arena_alloc(an->arena, an->src_len + 1);
  memcpy(copy, an->src, an->src_len);
  if (hg_analyzer__retab_brackets(copy, an->src_len)) {
    TSTree *t2 = hg_analyzer__parse(an, copy, an->src_len);
    if (t2 && hg_analyzer__count_errors(ts_tree_root_node(t2)) < hg_analyzer__count_errors(ts_tree_root_node(tree))) {
      tree = t2;
      an->src = copy;
    }
  }
  return tree;
}

/* Visit every node of the tree once, in pre-order, with a cursor and the
 * explicit frame stack (deep nesting costs heap, never C stack). */
static void hg_analyzer__walk(HgAnalyzer *an, TSNode root) {
  TSTreeCursor cur = ts_tree_cursor_new(root);
  uint32_t depth = 0, steps = 0;
  HgFrame top = {.owner = -1, .self_method = -1, .self_name = NULL, .flags = 0, .sym = S_OTHER};
  an->frames[0] = hg_analyzer__visit(an, root, &top, 0);
  for (;;) {
    /* the budget covers the walk too: a node can cost time in proportion to
     * its nesting (a = a = ... chains) */
    if (an->budget_end_us && ++steps % 256 == 0 && hg_analyzer__now_us() > an->budget_end_us) {
      an->timed_out = 1;
      return;
    }
    uint16_t fl = an->frames[depth].flags;
    if (!(fl & C_SKIP) && ((fl & C_TO_BODY) ? ts_tree_cursor_goto_first_child_for_byte(
                                                  &cur, an->bodies.items[an->frames[depth].owner].to_body) >= 0
                                            : ts_tree_cursor_goto_first_child(&cur))) {
      if (++depth == an->frames_cap) {
        an->frames_cap *= 2;
        an->frames = hg_xrealloc(an->frames, an->frames_cap * sizeof(HgFrame));
      }
      an->frames[depth] = hg_analyzer__visit(an, ts_tree_cursor_current_node(&cur), &an->frames[depth - 1],
                                             hg_analyzer__cursor_field(&an->frames[depth - 1], &cur));
      continue;
    }
    for (;;) {
      if (depth == 0) return;
      if (ts_tree_cursor_goto_next_sibling(&cur)) {
        an->frames[depth] = hg_analyzer__visit(an, ts_tree_cursor_current_node(&cur), &an->frames[depth - 1],
                                               hg_analyzer__cursor_field(&an->frames[depth - 1], &cur));
        break;
      }
      ts_tree_cursor_goto_parent(&cur);
      depth--;
    }
  }
}

/* The file is not indexed: message as its last diagnostic, HG_ERR_INPUT. */
static HgStatus hg_analyzer__refuse(HgAnalyzer *an, const char *message) {
  hg_analyzer__diag(an, (TSPoint){0, 0}, HG_SEV_ERROR, message);
  an->src = NULL;
  an->arena = NULL;
  an->out = NULL;
  return HG_ERR_INPUT;
}

/* A root that ends before the last byte of the text that is not white space
 * did not keep all its children: tree-sitter 0.20.7 counts them in 16 bits,
 * and a root of 65,536 + k entries shows only the last k, placed from byte
 * 0.  (A whole tree's root always reaches the last token: comments and
 * skipped tokens are in it, only trailing white space is not.) */
static int hg_analyzer__tree_is_short(const HgAnalyzer *an, TSNode root) {
  uint32_t last = an->src_len;
  while (last > 0 && strchr(" \t\n\r\f\v", an->src[last - 1])) last--;
  return ts_node_end_byte(root) < last;
}

HgStatus hg_analyzer_run(HgAnalyzer *an, const char *src, size_t len, HgArena *arena, HgFileFacts *out) {
  memset(out, 0, sizeof *out);
  an->arena = arena;
  an->out = out;
  an->pending_recv = -1;
  an->n_errors = 0;
  memset(&an->bodies, 0, sizeof an->bodies);
  if (len > UINT32_MAX) {
    hg_analyzer__diag(an, (TSPoint){0, 0}, HG_SEV_ERROR, "file larger than 4 GiB");
    return HG_ERR_INPUT;
  }
  out->n_bytes = (uint32_t)len;
  out->n_lines = hg_analyzer__count_lines(src, len);
  /* A UTF-8 byte order mark is skipped; byte offsets still count it. */
  uint32_t skip = len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  hg_analyzer__check_utf8(an, src, len, skip);
  const char *text = hg_analyzer__prepare(an, src, len, skip);
  if (!text) return HG_ERR_INTERNAL;
  /* Tree-sitter sees the text after the BOM; stored byte offsets add the BOM
   * back (an->base) so they are file offsets, while columns, like Python's,
   * do not count it. */
  an->base = skip;
  an->src = text + skip;
  an->src_len = (uint32_t)(len - skip);
  /* Nesting tree-sitter 0.20.7 cannot hold (prescan.h): refused unparsed. */
  if (hg_prescan_nesting(an->src, an->src_len, HG_MAX_NESTING) > HG_MAX_NESTING) {
    char msg[160];
    snprintf(msg, sizeof msg, "brackets nested more than %u deep (Python allows 200): not indexed",
             (unsigned)HG_MAX_NESTING);
    return hg_analyzer__refuse(an, msg);
  }
  an->budget_end_us = an->budget_us ? hg_analyzer__now_us() + an->budget_us : 0;
  hg_analyzer__session_begin(an); /* ended after the walk: no tree or cursor is deleted */
  TSTree *tree = hg_analyzer__parse_best(an);
  if (!tree || hg_analyzer__tree_is_short(an, ts_tree_root_node(tree)) || hg_tsregion_foreign(an->region)) {
    char msg[200];
    if (an->timed_out)
      snprintf(msg, sizeof msg, "parsing ran past its budget of %.3g s (--parse-timeout): not indexed",
               (double)an->budget_us / 1e6);
    else
      snprintf(msg, sizeof msg, "%s: not indexed",
               tree ? "tree-sitter could not build the tree whole (a node of 65,536 or more children)"
                    : "the parser gave no tree");
    hg_analyzer__session_end(an);
    return hg_analyzer__refuse(an, msg);
  }
  TSNode root = ts_tree_root_node(tree);
  out->has_error = ts_node_has_error(root);
  hg_marks_find(&an->marks, an->arena, an->src, an->src_len);
  hg_analyzer__walk(an, root);
  if (an->timed_out) {
    char msg[160];
    snprintf(msg, sizeof msg, "analysis ran past its budget of %.3g s (--parse-timeout): not indexed",
             (double)an->budget_us / 1e6);
    hg_analyzer__session_end(an);
    return hg_analyzer__refuse(an, msg);
  }
  for (uint32_t i = 0; i < an->bodies.len; i++) /* before the session's end: the last statements are nodes */
    if (an->bodies.items[i].live) hg_analyzer__body_flags(an, &out->defs.items[i], &an->bodies.items[i]);
  hg_analyzer__session_end(an);
  /* tree-sitter freed a pointer it never had from the allocator (tsalloc.h):
   * its bookkeeping of this tree went wrong, so none of it is kept */
  if (hg_tsregion_foreign(an->region))
    return hg_analyzer__refuse(
        an, "tree-sitter could not build the tree whole (a node of 65,536 or more children): not indexed");
  if (an->n_errors > HG_MAX_DIAGS) {
    char msg[80];
    snprintf(msg, sizeof msg, "%u more syntax errors not shown", an->n_errors - HG_MAX_DIAGS);
    hg_analyzer__diag(an, (TSPoint){0, 0}, HG_SEV_NOTE, msg);
  }
  an->src = NULL;
  an->arena = NULL;
  an->out = NULL;
  return HG_OK;
}

/*
 * format.h: the on-disk index, version 2 (docs/INDEX_FORMAT.md).
 *
 * An index file is a header, a section directory and sections, every one
 * 8-byte aligned, all integers little-endian.  Sections are flat arrays of
 * fixed-size records, so a reader maps the file and indexes into it; strings
 * are u32 offsets into the STRINGS section (offset 0 is the empty string,
 * HG_NOSTR means "absent").  Every index into another table is global to the
 * file (a def's parent, a call's owner), -1 meaning none.  The header and the
 * directory carry a CRC-32C, and so does every section, whole and in 64 KiB
 * blocks (BLOCKCRCS), so a reader checks just the blocks it reads.
 *
 * Records are only ever appended to between versions; a change to a record's
 * layout, or to the value of any enum below, bumps HG_FORMAT_VERSION, and
 * readers refuse other versions.  Every value stored on disk is spelled out
 * here; every record's size is checked at compile time.
 *
 * This header is the data contract between the layers: it includes nothing of
 * hgym, and every layer may include it (the analyzer for the enums its facts
 * carry, store/ to write, resolve/ to complete, queries/ to read).  Every
 * reference a record holds to another table is listed once, in refs.h.
 */
#ifndef HG_FORMAT_H
#define HG_FORMAT_H

#include <stdint.h>

#define HG_MAGIC          "HGYMIDX\0"
#define HG_FORMAT_VERSION 2u
#define HG_NOSTR          0xFFFFFFFFu

/* ---- the values records hold ------------------------------------------------ */

typedef enum { HG_KIND_FUNCTION = 0, HG_KIND_CLASS = 1 } HgDefKind; /* HgDefRec.kind */

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
  HG_PARAM_PLAIN = 0,       /* x, x=1, x: int */
  HG_PARAM_VARARGS = 1,     /* *args */
  HG_PARAM_KWARGS = 2,      /* **kwargs */
  HG_PARAM_KWONLY_SEP = 3,  /* bare * */
  HG_PARAM_POSONLY_SEP = 4, /* / */
} HgParamKind;

typedef enum {
  HG_IMP_IN_TRY = 1 << 0,        /* inside a try: body */
  HG_IMP_IN_EXCEPT = 1 << 1,     /* inside an except clause */
  HG_IMP_TYPE_CHECKING = 1 << 2, /* inside if TYPE_CHECKING: */
  HG_IMP_STAR = 1 << 3,          /* from m import * */
  HG_IMP_FROM = 1 << 4,          /* from-import (else plain import) */
  HG_IMP_CONDITIONAL = 1 << 5,   /* inside if/else (other than TYPE_CHECKING) */
} HgImportFlags;

typedef enum {
  HG_CALLEE_NAME = 0,      /* f(...) */
  HG_CALLEE_ATTR = 1,      /* a.b.c(...) on a plain name chain */
  HG_CALLEE_SELF = 2,      /* self.x(...) / cls.x(...) in a method (first parameter) */
  HG_CALLEE_SUPER = 3,     /* super().x(...) */
  HG_CALLEE_CALL = 4,      /* f().x(...), f()(...): on a call's result */
  HG_CALLEE_SUBSCRIPT = 5, /* a[0](...), a[0].x(...) */
  HG_CALLEE_OTHER = 6,     /* (lambda: 0)(), "".join(...), ... */
} HgCalleeShape;

typedef enum {
  HG_CALL_IN_DECORATOR = 1 << 0,   /* in the owner's decorators */
  HG_CALL_RAISE = 1 << 1,          /* the raised expression: raise E(...) */
  HG_CALL_IN_HEADER = 1 << 2,      /* parameters, annotations, bases */
  HG_CALL_BARE_DECORATOR = 1 << 3, /* @deco without parentheses: a call of deco */
  HG_CALL_SUPER_CLASS = 1 << 4,    /* SUPER with a class argument: chain is "Cls:attrs" */
} HgCallFlags;

typedef enum {
  HG_BIND_ASSIGN = 0,   /* x = ..., x: T = ..., x += ..., a, b = ... */
  HG_BIND_DEF = 1,      /* def x */
  HG_BIND_CLASS = 2,    /* class x */
  HG_BIND_IMPORT = 3,   /* import x / from m import x */
  HG_BIND_FOR = 4,      /* for x in ..., comprehension targets excluded */
  HG_BIND_WITH = 5,     /* with ... as x */
  HG_BIND_EXCEPT = 6,   /* except E as x */
  HG_BIND_WALRUS = 7,   /* (x := ...) */
  HG_BIND_GLOBAL = 8,   /* global x */
  HG_BIND_NONLOCAL = 9, /* nonlocal x */
  HG_BIND_PARAM = 10,   /* a parameter */
} HgBindKind;

typedef enum {
  HG_VALUE_NONE = 0, /* no value, or one hgym does not follow */
  HG_VALUE_CALL = 1, /* = chain(...) */
  HG_VALUE_NAME = 2, /* = chain */
} HgValueKind;

/* ---- sections ------------------------------------------------------------------ */

typedef enum {
  HG_SEC_STRINGS = 1, /* NUL-terminated UTF-8 strings, first byte 0 */
  HG_SEC_REPOS,       /* HgRepoRec */
  HG_SEC_FILES,       /* HgFileRec */
  HG_SEC_DEFS,        /* HgDefRec */
  HG_SEC_PARAMS,      /* HgParamRec */
  HG_SEC_IMPORTS,     /* HgImportRec */
  HG_SEC_CALLS,       /* HgCallRec */
  HG_SEC_BINDS,       /* HgBindRec */
  HG_SEC_DIAGS,       /* HgDiagRec */
  HG_SEC_STRIDS,      /* u32 string ids: decorators, bases, __all__ */
  HG_SEC_EDGES,       /* HgEdgeRec: resolved call edges, by (file, owner, call) */
  HG_SEC_CALLERS,     /* u32 edge indices, by (target def, edge) */
  HG_SEC_BLOCKCRCS,   /* u32 CRC-32C of each HG_BLOCK-byte block of every other section */
  HG_SEC_COUNT_       /* one past the last kind */
} HgSectionKind;

typedef struct {
  char magic[8];       /* HG_MAGIC */
  uint32_t version;    /* HG_FORMAT_VERSION */
  uint32_t n_sections; /* directory entries that follow the header */
  uint64_t file_size;  /* the whole file, to detect truncation */
  uint32_t flags;      /* reserved, 0 */
  uint32_t header_crc; /* CRC-32C of header (this field 0) and directory */
} HgHeader;

typedef struct {
  uint32_t kind;        /* HgSectionKind */
  uint32_t record_size; /* bytes per record (1 for STRINGS) */
  uint64_t offset;      /* from the start of the file, 8-aligned */
  uint64_t count;       /* records */
  uint32_t crc;         /* CRC-32C of the section's bytes */
  uint32_t blocks;      /* index in BLOCKCRCS of this section's first block CRC */
} HgSectionEntry;

/* Sections are checked in blocks of this many bytes, each when first read. */
#define HG_BLOCK 65536u

typedef struct {
  uint32_t first, count;
} HgRange;

typedef struct {
  uint32_t name;   /* owner/name, or the directory name */
  uint32_t commit; /* git HEAD or "" */
  uint32_t root;   /* the root file paths are relative to: the directory given, or its checkout's */
  uint32_t reserved;
  HgRange files, defs, imports, calls, binds, diags;
  HgRange edges;    /* EDGES of the repository's calls */
  uint64_t n_bytes; /* source bytes indexed */
  uint32_t n_lines;
  uint32_t n_skipped; /* files not indexed (limits, unreadable) */
} HgRepoRec;

typedef enum { HG_FILE_HAS_ERROR = 1, HG_FILE_NOT_UTF8 = 2, HG_FILE_PACKAGE = 4 /* an __init__.py */ } HgFileFlags;

typedef struct {
  uint32_t path;   /* relative to the repository root, '/'-separated */
  uint32_t module; /* dotted module name */
  uint32_t repo;
  uint32_t flags; /* HG_FILE_* */
  HgRange defs, imports, calls, binds, diags;
  HgRange all;          /* STRIDS of a literal __all__ */
  HgRange module_edges; /* EDGES of module-level code */
  uint32_t all_state;   /* 0 absent, 1 literal, 2 not a literal */
  uint32_t n_lines, n_bytes;
  uint32_t content_crc; /* CRC-32C of the file's bytes as indexed: hgym-query and hgym-synth read a
                           source back only when its CRC still matches (queries/source.c) */
} HgFileRec;

typedef struct {
  uint32_t name, qualname, file;
  int32_t parent; /* global def index or -1 */
  uint32_t kind;  /* HgDefKind */
  uint32_t flags; /* HgDefFlags */
  uint32_t line_start, line_end, decorator_line;
  uint32_t byte_start, byte_end, decorator_byte;
  uint32_t body_line_start, body_line_end, body_byte_start;
  int32_t doc_line_start, doc_line_end;
  uint32_t doc_byte_start, doc_byte_end;
  uint32_t docstring; /* string id or HG_NOSTR */
  uint32_t signature;
  uint32_t n_body_stmts;
  HgRange decorators;   /* STRIDS */
  HgRange params;       /* PARAMS */
  HgRange bases;        /* STRIDS */
  uint32_t subtree_end; /* one past the last def nested in this one */
  HgRange edges;        /* EDGES whose call this def owns directly; the
                           edges of the def and all it nests run from
                           edges.first to the end of the last nested def's */
  HgRange callers;      /* CALLERS: edges that reach this def (a constructor
                           call reaches its class and the __init__ it runs) */
} HgDefRec;

typedef struct {
  uint32_t name, annotation, default_; /* annotation/default_ may be HG_NOSTR */
  uint32_t kind;                       /* HgParamKind */
} HgParamRec;

typedef struct {
  uint32_t module, name, asname; /* name/asname may be HG_NOSTR */
  int32_t owner;                 /* global def index or -1 */
  uint32_t file, line, col;
  uint16_t level, flags; /* HgImportFlags */
  uint32_t res_kind;     /* HgRefKind of what the bound name resolved to */
  uint32_t res_target;   /* def / file index or string id, per res_kind */
  uint32_t res_class;    /* HgOrigin */
} HgImportRec;

typedef struct {
  int32_t owner;
  uint32_t file, line, col, byte;
  uint32_t chain;
  int32_t recv_call; /* global call index, self method (SELF) or -1 */
  uint8_t shape, flags, pad[2];
} HgCallRec;

typedef struct {
  uint32_t target;
  int32_t owner;
  uint32_t file, line;
  uint32_t value; /* HG_NOSTR when none */
  uint8_t kind, value_kind, pad[2];
  int32_t ref;         /* DEF/CLASS: global def index; IMPORT: global import index */
  uint32_t annotation; /* x: T [= ...]: T's text, or HG_NOSTR */
} HgBindRec;

typedef struct {
  uint32_t file, line, col, message;
  uint32_t severity;
} HgDiagRec;

/* What a name or call resolved to. */
typedef enum {
  HG_REF_NONE = 0,     /* unresolved */
  HG_REF_DEF = 1,      /* a def of the repository: target is its global index */
  HG_REF_MODULE = 2,   /* a module of the repository: target is its file index */
  HG_REF_PACKAGE = 3,  /* a namespace package of the repository: target is its name's string id */
  HG_REF_EXTERNAL = 4, /* outside the repository: target is the dotted name's string id */
  HG_REF_INSTANCE = 5, /* an instance of a repository class: target is the class */
  HG_REF_LOCAL = 6,    /* a local name hgym does not follow (parameter, loop variable) */
} HgRefKind;

/* Where a resolved name comes from. */
typedef enum {
  HG_ORIGIN_REPO = 0,
  HG_ORIGIN_BUILTIN = 1,
  HG_ORIGIN_STDLIB = 2,
  HG_ORIGIN_THIRD_PARTY = 3,
  HG_ORIGIN_UNRESOLVED = 4,
} HgOrigin;

typedef enum { HG_EDGE_AMBIGUOUS = 1 } HgEdgeFlags;

/* One resolved target of one call site.  A call with several candidate
 * targets has one edge per candidate, each marked ambiguous; a call that
 * resolves nowhere has one edge of origin UNRESOLVED. */
typedef struct {
  uint32_t call; /* global call index */
  int32_t owner; /* the call's owner def, -1 for module-level code */
  uint32_t file;
  uint32_t target; /* REPO: def index; otherwise the dotted name's string id */
  int32_t init;    /* a class target: the __init__ its MRO finds, else -1 */
  uint8_t origin;  /* HgOrigin */
  uint8_t flags;   /* HG_EDGE_* */
  uint8_t pad[2];
} HgEdgeRec;

/* Record sizes, fixed by the format (a change is a new version). */
_Static_assert(sizeof(HgHeader) == 32, "HgHeader");
_Static_assert(sizeof(HgSectionEntry) == 32, "HgSectionEntry");
_Static_assert(sizeof(HgRange) == 8, "HgRange");
_Static_assert(sizeof(HgRepoRec) == 88, "HgRepoRec");
_Static_assert(sizeof(HgFileRec) == 88, "HgFileRec");
_Static_assert(sizeof(HgDefRec) == 132, "HgDefRec");
_Static_assert(sizeof(HgParamRec) == 16, "HgParamRec");
_Static_assert(sizeof(HgImportRec) == 44, "HgImportRec");
_Static_assert(sizeof(HgCallRec) == 32, "HgCallRec");
_Static_assert(sizeof(HgBindRec) == 32, "HgBindRec");
_Static_assert(sizeof(HgDiagRec) == 20, "HgDiagRec");
_Static_assert(sizeof(HgEdgeRec) == 24, "HgEdgeRec");

/* The largest record of any section: a reader that must hand back a record
 * it cannot (a fault handler that returns) hands back this many zero bytes. */
#define HG_MAX_RECORD 132

/* Bytes per record of each section kind (1 for STRINGS). */
extern const uint32_t hg_format_record_size[HG_SEC_COUNT_];

#endif

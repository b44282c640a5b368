/*
 * refs.h: every reference one record of the index holds to another table,
 * listed once.
 *
 * A reference is a u32 field (or the `first` of an HgRange) that names a
 * record of some section by its position, or a string by its offset in
 * STRINGS.  Positions are global to a file, so whenever tables are
 * concatenated (the builder appending a file whose facts count from 0, the
 * merge appending one index after another) every reference must be offset by
 * what its target section held before: hg_refs_rebase does that for both, by
 * walking hg_ref_fields.  A new reference field is one line of the table in
 * refs.c, and test_refs checks the table against a real merge.
 *
 * Some fields point into a section chosen by another field of the record (an
 * edge's target is a def for origin REPO, a dotted name otherwise):
 * hg_ref_target says where such a field points, or that it points nowhere.
 */
#ifndef HG_REFS_H
#define HG_REFS_H

#include <stdint.h>

#include "store/format.h"

typedef enum {
  HG_RF_INDEX = 0, /* u32 (or i32) position; 0xFFFFFFFF (-1, HG_NOSTR) means none */
  HG_RF_RANGE = 1, /* HgRange: `first` is a position, `count` records follow it */
  HG_RF_END = 2,   /* u32 one past the last record of a run (HgDefRec.subtree_end) */
} HgRefForm;

/* How a field whose target depends on the record chooses it. */
typedef enum {
  HG_RS_FIXED = 0,       /* always `target` */
  HG_RS_IMPORT_RES = 1,  /* HgImportRec.res_kind: DEF, INSTANCE -> DEFS; MODULE -> FILES;
                            PACKAGE, EXTERNAL -> STRINGS; else none */
  HG_RS_CALL_RECV = 2,   /* HgCallRec.shape: SELF -> DEFS; else CALLS */
  HG_RS_BIND_REF = 3,    /* HgBindRec.kind: IMPORT -> IMPORTS; else DEFS */
  HG_RS_EDGE_TARGET = 4, /* HgEdgeRec.origin: REPO -> DEFS; else STRINGS */
} HgRefSelector;

typedef struct {
  uint8_t sec;      /* HgSectionKind of the record holding the field */
  uint8_t form;     /* HgRefForm */
  uint8_t target;   /* HgSectionKind pointed into (HG_RS_FIXED) */
  uint8_t selector; /* HgRefSelector */
  uint16_t offset;  /* of the field in the record */
  const char *name; /* "HgDefRec.parent": for messages and tests */
} HgRefField;

extern const HgRefField hg_ref_fields[];
extern const uint32_t hg_ref_field_count;

/* The section field f of record rec points into, or 0 when it points
 * nowhere (a selector saying so). */
int hg_ref_target(const HgRefField *f, const void *rec);

/* Offset every reference of the n records of section sec at recs by
 * base[target]: what the target section held before these records' tables.
 * Absent references (0xFFFFFFFF) stay absent. */
void hg_refs_rebase(int sec, void *recs, uint64_t n, const uint64_t base[HG_SEC_COUNT_]);

#endif

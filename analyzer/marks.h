/*
 * marks.h: where in a file a call or a walrus can be.
 *
 * The walk skips every expression subtree that holds nothing it records
 * (analyzer.c, HG_PURE_KINDS): such a subtree holds no call and no walrus,
 * so no '(' and no ':=' after its first byte.  An HgMarks lists the offsets
 * of every '(' and ':=' of the text, ascending, once per file; the walk then
 * asks "is there a mark in [a, b)?" for the nodes it meets in pre-order, so
 * its cursor (`at`) only moves forward, and a question about an earlier
 * offset finds its place by binary search.  A '(' inside a string or a
 * comment is a mark too: the walk then visits a subtree it could have
 * skipped, which costs time, never a fact.
 */
#ifndef HG_MARKS_H
#define HG_MARKS_H

#include <stdint.h>

#include "base/arena.h"

typedef struct {
  uint32_t *items; /* offsets of every '(' and ':=', ascending */
  uint32_t n;
  uint32_t at; /* items[at] is the first at or after the last offset asked about */
} HgMarks;

/* List the marks of src[0..len), in arena. */
void hg_marks_find(HgMarks *m, HgArena *arena, const char *src, uint32_t len);
/* Whether a mark lies in [a, b); moves the cursor to a. */
int hg_marks_any(HgMarks *m, uint32_t a, uint32_t b);
/* Whether a mark other than the one at p (a list's own '(') lies in [a, b);
 * the cursor is left where a put it. */
int hg_marks_any_but(HgMarks *m, uint32_t a, uint32_t b, uint32_t p);
/* The first mark at or after the cursor, or UINT32_MAX. */
static inline uint32_t hg_marks_next(const HgMarks *m) { return m->at < m->n ? m->items[m->at] : UINT32_MAX; }

#endif

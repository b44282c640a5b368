/*
 * numarg.h: the numbers of command-line options, range-checked.
 *
 * Every number an hgym program takes from its command line goes through
 * these, so every option refuses the same things: an empty string, a sign
 * (strtoul reads "-1" as its largest value), spaces, trailing characters, and
 * a value outside the option's range, overflow included.  A refused value is
 * a usage error (exit 2) with a message that names the option and the range.
 */
#ifndef HG_NUMARG_H
#define HG_NUMARG_H

#include <stddef.h>
#include <stdint.h>

/* s as a decimal integer in [min, max]: 0, or -1 when it is not one. */
int hg_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* s as a size: decimal digits and an optional K, M or G (powers of 1024, either
 * case), in [min, max] bytes once scaled: 0, or -1. */
int hg_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* The message for a refused value, e.g. "--per-repo: '-1' is not a number from
 * 0 to 4294967295" (size: "is not a size from 1 to 4G"). */
void hg_numarg_error(char *buf, size_t len, const char *option, const char *value, uint64_t min, uint64_t max,
                     int size);

#endif

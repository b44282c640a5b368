/*
 * utf8.h: UTF-8 checks and repair, shared by every layer.
 *
 * "Valid" is the Unicode definition: shortest forms only, no surrogates,
 * nothing above U+10FFFF.  Repair replaces each byte that starts no valid
 * sequence, and each NUL byte, by U+FFFD, so a repaired string is valid
 * UTF-8 and can be handed to a JSON writer or a C string function as is.
 */
#ifndef HG_UTF8_H
#define HG_UTF8_H

#include <stddef.h>
#include <stdio.h>

/* The byte length of the well-formed sequence at s (1..4), or 0 when it is
 * not one; avail is how many bytes s holds. */
int hg_utf8_seq_len(const unsigned char *s, size_t avail);

/* The offset of the first byte of s[0..len) that starts no valid sequence,
 * or len when all of it is valid (NUL bytes are valid here).  ASCII runs are
 * checked a word at a time. */
size_t hg_utf8_check(const unsigned char *s, size_t len);

/* Copy len bytes of src to dst as valid UTF-8: invalid sequences and NUL
 * bytes become U+FFFD.  dst must hold 3 * len bytes; returns the bytes
 * written (no terminator). */
size_t hg_utf8_repair(char *dst, const char *src, size_t len);

/* Write the string s to out as valid UTF-8: each byte that starts no valid
 * sequence becomes U+FFFD (hg_utf8_repair's rule), valid text is written as
 * it is.  Every JSON line hgym prints goes through this, so paths and names
 * whose bytes are not UTF-8 (the index keeps them as they were) come out as
 * valid UTF-8 the same way everywhere.  0, or EOF when a write failed. */
int hg_utf8_fputs(const char *s, FILE *out);

/* The same for len bytes of s, which may hold NUL bytes: each is written as
 * U+FFFD too (text read from a file, passed through rather than parsed and
 * printed again). */
int hg_utf8_fwrite(const char *s, size_t len, FILE *out);

#endif

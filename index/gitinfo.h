/*
 * gitinfo.h: the commit a git checkout is at, read from .git without running git.
 */
#ifndef HG_GITINFO_H
#define HG_GITINFO_H

#include <stddef.h>

/* Write the 40-hex HEAD commit of the checkout at dir into out (size >= 41).
 * Returns 0, or -1 when dir is not a git checkout or HEAD cannot be read. */
int hg_git_head(const char *dir, char *out, size_t outlen);

#endif

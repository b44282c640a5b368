/*
 * alloc.h: the one allocation-failure policy of hgym.
 *
 * hgym's data structures are built in memory the size of the repository
 * being indexed; when malloc fails there is nothing sensible to continue
 * with, so every allocation that must succeed goes through these wrappers:
 * on failure they print "hgym: out of memory (WHAT)" to stderr and abort,
 * which ends the process with SIGABRT (a batch run's parts already written
 * stay, and --resume continues from them).  Code that can report the
 * failure instead (reading a file into a caller's buffer, opening an index)
 * calls malloc itself and returns a status.
 */
#ifndef HG_ALLOC_H
#define HG_ALLOC_H

#include <stddef.h>

/* Report that memory ran out while doing `what`, and abort. */
_Noreturn void hg_oom(const char *what);

/* malloc / calloc / realloc / strdup / strndup that never return NULL. */
void *hg_xmalloc(size_t n);
void *hg_xcalloc(size_t n, size_t size);
void *hg_xrealloc(void *p, size_t n);
char *hg_xstrdup(const char *s);
char *hg_xstrndup(const char *s, size_t n);

#endif

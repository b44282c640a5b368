/*
 * walk.h: find a repository's Python files and name their modules.
 *
 * The walk skips hidden directories, __pycache__, node_modules,
 * site-packages and virtual environments (a directory holding pyvenv.cfg:
 * the file decides, not the name, since `venv` is also a standard-library
 * package).  It follows a symlinked file only when its target is a regular
 * file inside the repository, and never a symlinked directory (no loops).
 * Paths come back relative to the root, '/'-separated, sorted bytewise, so
 * the result never depends on readdir order.
 */
#ifndef HG_WALK_H
#define HG_WALK_H

#include <stdint.h>

#include "analyzer/diag.h"

typedef struct {
  char *path;    /* relative to the root */
  uint64_t size; /* bytes, from stat */
} HgFileEntry;

typedef struct {
  HgFileEntry *files;
  uint32_t n, cap;
  void *paths;    /* JudySL set of the paths, for __init__.py look-ups */
  char *root_pkg; /* the root's directory name when it holds __init__.py, else NULL */
} HgFileList;

/* Told about each directory or file the walk could not read or chose to skip. */
typedef void (*HgWalkReport)(void *ctx, const char *relpath, HgSeverity sev, const char *message);

HgStatus hg_walk_repo(const char *root, HgFileList *out, HgWalkReport report, void *ctx);
void hg_file_list_free(HgFileList *fl);

/* Read a whole file into *buf, NUL-terminated (*len excludes the NUL).  *buf
 * and *cap are a buffer the caller owns and may reuse from call to call (NULL
 * and 0 to start); it grows to the file's size + 1, no more, when the file
 * does not grow meanwhile.  0, or -1 with errno (ENOMEM when memory ran out). */
int hg_read_file(const char *path, char **buf, size_t *cap, size_t *len);
/* The same from an open file, which it closes. */
int hg_read_fd(int fd, char **buf, size_t *cap, size_t *len);

/* Open path for a later hg_read_fd and ask the kernel to start reading it
 * into its cache without waiting: the indexer opens the next file before it
 * parses the current one.  -1 with errno when it cannot be opened. */
int hg_open_ahead(const char *path);

/* The dotted module name of a file of the list (caller owns the result):
 * the path without .py and __init__, with a leading `src/` that is not a
 * package dropped (src layout), prefixed by root_pkg when the repository's
 * root is itself a package.  Directories without __init__.py count as
 * implicit namespace packages. */
char *hg_module_name(const HgFileList *fl, const char *relpath);

#endif

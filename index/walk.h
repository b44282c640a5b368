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

#include "base/diag.h"

typedef struct {
  char *path;    /* relative to the root */
  uint64_t size; /* bytes, from stat */
} HgFileEntry;

typedef struct {
  HgFileEntry *files;
  uint32_t n, cap;
  char *root_pkg;  /* the root's directory name when it holds __init__.py, else NULL */
  int src_package; /* src/__init__.py is there: src/ is a package, not a layout directory */
} HgFileList;

/* Told about each directory or file the walk could not read or chose to skip. */
typedef void (*HgWalkReport)(void *ctx, const char *relpath, HgSeverity sev, const char *message);

HgStatus hg_walk_repo(const char *root, HgFileList *out, HgWalkReport report, void *ctx);
void hg_file_list_free(HgFileList *fl);

#endif

/*
 * walk.h: find a repository's Python files, name their modules, and open
 * them again without leaving the repository.
 *
 * The walk skips hidden directories, __pycache__, node_modules,
 * site-packages and virtual environments (a directory holding pyvenv.cfg:
 * the file decides, not the name, since `venv` is also a standard-library
 * package).  It follows a symlinked file only when its target is a regular
 * file inside the repository, and never a symlinked directory (no loops).
 * A *.py that is a FIFO, socket or device is reported and left out, as is a
 * path longer than HG_WALK_MAX_PATH.  Paths come back relative to the root,
 * '/'-separated, sorted bytewise, so the result never depends on readdir
 * order.
 *
 * The root is opened once and held in the list (root_fd); every directory
 * the walk reads and every file hg_walk_open opens later is reached from it
 * one component at a time with O_NOFOLLOW, so a directory swapped for a
 * symbolic link after the walk cannot lead outside the repository, and a
 * file swapped for a FIFO is refused by its fstat instead of blocking a
 * read.
 */
#ifndef HG_WALK_H
#define HG_WALK_H

#include <stdint.h>
#include <sys/stat.h>

#include "base/diag.h"

/* Paths longer than this (relative to the root) are not walked: every
 * string hgym derives from a path (module names, qualnames of module-level
 * code) stays bounded, and so does what interning them costs. */
enum { HG_WALK_MAX_PATH = 4096 };

typedef struct {
  char *path;                 /* relative to the root */
  char *target;               /* a symlinked file: its target, relative to the root (what is opened); else NULL */
  uint64_t size;              /* bytes, from stat */
  int64_t mtime_ns, ctime_ns; /* from stat: what --resume compares */
} HgFileEntry;

typedef struct {
  HgFileEntry *files;
  uint32_t n, cap;
  char *root_pkg;     /* the root's directory name when it holds __init__.py, else NULL */
  int src_package;    /* src/__init__.py is there: src/ is a package, not a layout directory */
  uint32_t n_skipped; /* *.py reported and left out (not regular files, paths too long) */
  int has_fds;        /* root_fd and dir_fd are set (a zeroed list holds none) */
  int root_fd;        /* the root, held from the walk (-1 when it could not be opened) */
  int dir_fd;         /* hg_walk_open's cache: the directory it opened last ... */
  char *dir_rel;      /* ... and its path relative to the root */
} HgFileList;

/* Told about each directory or file the walk could not read or chose to skip. */
typedef void (*HgWalkReport)(void *ctx, const char *relpath, HgSeverity sev, const char *message);

HgStatus hg_walk_repo(const char *root, HgFileList *out, HgWalkReport report, void *ctx);
void hg_file_list_free(HgFileList *fl);

/* Open file i of the list for reading, beneath the root held in fl: every
 * directory on the way with O_NOFOLLOW, the file with O_NOFOLLOW, O_NONBLOCK
 * and O_NOCTTY, then fstat'ed into *st.  A descriptor, or -1: with errno
 * (ELOOP or ENOTDIR: a directory of its path is now a symbolic link), or,
 * when what is there now is not a regular file, with *why saying what it is
 * ("not a regular file (a FIFO)") and errno EINVAL. */
int hg_walk_open(HgFileList *fl, uint32_t i, struct stat *st, const char **why);

/* A digest of what the walk found: every file's path, target, size, mtime
 * and ctime (to the nanosecond) and the count left out.  A repository whose
 * digest is unchanged holds the same files with the same contents, as far
 * as stat can tell (what --resume relies on: index/batch.h). */
uint64_t hg_walk_digest(const HgFileList *fl);

/* "a FIFO", "a socket", ... for a file type. */
const char *hg_walk_kind(mode_t mode);

#endif

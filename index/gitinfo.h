/*
 * gitinfo.h: what a git checkout says about itself, read from .git without
 * running git: the HEAD commit, the GitHub owner/name of the origin remote,
 * and the checkout that holds a directory.
 *
 * A checkout's git directory is DIR/.git, or where a .git file points
 * (`gitdir: PATH`, as in a worktree or a submodule); a worktree's shared
 * refs, packed-refs and config are in the directory its `commondir` file
 * names.  Nothing here writes or locks anything, and only regular files are
 * read (hg_fopen_regular, hg_read_file): a FIFO or a device under .git counts
 * as a missing file, never blocks or runs on.
 */
#ifndef HG_GITINFO_H
#define HG_GITINFO_H

#include <stddef.h>

/* Write the full HEAD commit of the checkout at dir into out (size >= 65):
 * 40 hex digits, or 64 in a SHA-256 repository.  Returns 0, or -1 when dir is
 * not a git checkout or HEAD cannot be read. */
int hg_git_head(const char *dir, char *out, size_t outlen);

/* Write `owner/name` of the checkout's `origin` remote into out, when its URL
 * is a GitHub one (hg_git_github_name).  -1 when dir is not a checkout, has no
 * origin, or the origin is not on GitHub. */
int hg_git_origin_name(const char *dir, char *out, size_t outlen);

/* `owner/name` of a GitHub URL in any of the forms git accepts:
 * https://github.com/o/n(.git)(/), http://, with user[:password]@, www.,
 * git://, ssh://[user@]github.com[:port]/o/n, git+ssh://, ssh.github.com,
 * and the scp form [user@]github.com:o/n(.git); the host in any case.  -1 for
 * any other host, a local path, or a path that is not exactly two segments. */
int hg_git_github_name(const char *url, char *out, size_t outlen);

/* The checkout that holds dir.  Walks up from dir's real path to the nearest
 * directory holding `.git`.  When that is dir itself, or when the checkout's
 * index tracks a file under dir (so dir is part of the repository, not an
 * untracked or ignored directory inside it), writes its real path to root
 * and dir's path relative to it to prefix ("" for dir itself; '/'-separated)
 * and returns 0.  -1 otherwise (no checkout above dir, or it does not track
 * dir, or its index cannot be read). */
int hg_git_find_root(const char *dir, char *root, size_t rootlen, char *prefix, size_t prefixlen);

#endif

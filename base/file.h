/*
 * file.h: reading whole files into a buffer the caller reuses.
 *
 * The indexer reads every source file through these, and hgym-query /
 * hgym-synth read sources back the same way (queries/source.c), so a file
 * is read by one piece of code whatever reads it.
 */
#ifndef HG_FILE_H
#define HG_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Read a whole file into *buf, NUL-terminated (*len excludes the NUL).  *buf
 * and *cap are a buffer the caller owns and may reuse from call to call (NULL
 * and 0 to start); it grows to the file's size + 1, no more, when the file
 * does not grow meanwhile.  Only a regular file is read: the path is opened
 * with O_NONBLOCK and O_NOCTTY (a FIFO put there never blocks the open) and
 * anything else is refused with EINVAL.  0, or -1 with errno (ENOMEM when
 * memory ran out). */
int hg_read_file(const char *path, char **buf, size_t *cap, size_t *len);
/* The same from an open file, which it closes. */
int hg_read_fd(int fd, char **buf, size_t *cap, size_t *len);
/* The same, reading at most max bytes: a file that holds more (one that grew
 * since its size was checked) is -1 with EFBIG, what was read discarded. */
int hg_read_fd_max(int fd, uint64_t max, char **buf, size_t *cap, size_t *len);

/* fopen(path, "r") for a regular file only, by hg_read_file's rule: opened
 * with O_NONBLOCK and O_NOCTTY, and anything but a regular file (a FIFO would
 * block the first read, a device such as /dev/zero never end it) refused:
 * NULL with errno (EINVAL for those). */
FILE *hg_fopen_regular(const char *path);

/* Open path for a later hg_read_fd and ask the kernel to start reading it
 * into its cache without waiting: the indexer opens the next file before it
 * parses the current one.  -1 with errno when it cannot be opened. */
int hg_open_ahead(const char *path);

#endif

#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int hg_file__grow(char **buf, size_t *cap, size_t need) {
  if (need <= *cap) return 0;
  char *nb = realloc(*buf, need);
  if (!nb) return -1;
  *buf = nb;
  *cap = need;
  return 0;
}

/* Every file is opened so: a FIFO put at path never blocks the open, a
 * terminal never becomes the controlling one. */
static int hg_file__open(const char *path) {
  return open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
                        O_CLOEXEC); // NOLINT(clang-analyzer-core.NonNullParamChecker): path is never NULL
}

int hg_open_ahead(const char *path) {
  int fd = hg_file__open(path);
  if (fd >= 0) (void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED); /* starts the read; a hint: failure costs nothing */
  return fd;
}

int hg_read_file(const char *path, char **buf, size_t *cap, size_t *len) {
  int fd = hg_file__open(path);
  return fd < 0 ? -1 : hg_read_fd(fd, buf, cap, len);
}

FILE *hg_fopen_regular(const char *path) {
  int fd = hg_file__open(path);
  if (fd < 0) return NULL;
  struct stat st;
  int e = fstat(fd, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
  FILE *f = e ? NULL : fdopen(fd, "r");
  if (!f) {
    if (!e) e = errno;
    close(fd);
    errno = e;
  }
  return f;
}

int hg_read_fd(int fd, char **buf, size_t *cap, size_t *len) { return hg_read_fd_max(fd, UINT64_MAX, buf, cap, len); }

int hg_read_fd_max(int fd, uint64_t max, char **buf, size_t *cap, size_t *len) {
  struct stat st;
  size_t n = 0;
  int e = 0;
  if (fstat(fd, &st) != 0)
    e = errno;
  else if (!S_ISREG(st.st_mode))
    e = EINVAL; /* a FIFO would block the read, a device never end it */
  else if ((uint64_t)st.st_size > max)
    e = EFBIG;
  else if (hg_file__grow(buf, cap, (size_t)st.st_size + 1) != 0)
    e = ENOMEM;
  while (!e) {
    if (n > max) {
      e = EFBIG; /* it grew past the limit while it was read */
      break;
    }
    if (n + 1 >= *cap) {
      /* full at the size fstat gave: grow only if the file did */
      char probe;
      ssize_t r = read(fd, &probe, 1);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) e = errno;
      if (r <= 0) break;
      if (hg_file__grow(buf, cap, *cap * 2) != 0) {
        e = ENOMEM;
        break;
      }
      (*buf)[n++] = probe;
      continue;
    }
    ssize_t r = read(fd, *buf + n, *cap - n - 1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) e = errno;
    if (r <= 0) break;
    n += (size_t)r;
  }
  close(fd);
  if (e) {
    errno = e;
    return -1;
  }
  (*buf)[n] = 0;
  *len = n;
  return 0;
}

#include "store/writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/crc32c.h"

/* HG_DIRECT_ALIGN: the alignment O_DIRECT asks of buffers, offsets and
 * lengths on every Linux block device and file system that takes it. */
enum { NSEC = HG_SEC_COUNT_ - 1, HG_WBUF = 1 << 20, HG_DIRECT_ALIGN = 4096 };

struct HgIndexWriter {
  int fd;
  char *tmp, *path;
  int err; /* errno of the first failed write, or 0 */
  HgWriteMode mode;
  HgHeader h;
  HgSectionEntry dir[NSEC];
  uint64_t pos;                /* bytes handed to the file so far */
  int cur;                     /* current section kind, 0 before the first */
  uint64_t cur_len;            /* bytes of the current section so far */
  uint32_t cur_crc, block_crc; /* running CRCs of the section and of its block */
  uint32_t *blocks;            /* block CRCs of every section */
  uint64_t n_blocks, cap_blocks;
  uint8_t *buf; /* write buffer, HG_DIRECT_ALIGN-aligned */
  size_t nbuf;
  int direct;      /* fd has O_DIRECT: whole aligned blocks only */
  uint8_t *first;  /* direct: the file's first block as written, for the header at close */
  uint64_t pos_fd; /* direct: bytes written to fd */
};

static void hg_writer__write_all(HgIndexWriter *w, const uint8_t *p, size_t len) {
  size_t off = 0;
  while (off < len && !w->err) {
    ssize_t n = write(w->fd, p + off, len - off);
    if (n < 0 && errno == EINVAL && w->direct) {
      /* a file system that opened O_DIRECT but refuses it: write through the
       * cache, still in whole blocks (close cuts the padding off) */
      int fl = fcntl(w->fd, F_GETFL);
      if (fl != -1 && (fl & O_DIRECT) && fcntl(w->fd, F_SETFL, fl & ~O_DIRECT) == 0) continue;
    }
    if (n < 0) {
      if (errno != EINTR) w->err = errno;
      continue;
    }
    off += (size_t)n;
  }
}

/* Hand the buffer to the file.  Direct I/O takes whole aligned blocks, so the
 * last flush (at close) pads the tail with zeros; close cuts them off. */
static void hg_writer__flush(HgIndexWriter *w) {
  if (!w->direct) {
    hg_writer__write_all(w, w->buf, w->nbuf);
    w->nbuf = 0;
    return;
  }
  size_t len = (w->nbuf + HG_DIRECT_ALIGN - 1) & ~(size_t)(HG_DIRECT_ALIGN - 1);
  memset(w->buf + w->nbuf, 0, len - w->nbuf);
  if (w->pos_fd == 0 && len) memcpy(w->first, w->buf, HG_DIRECT_ALIGN);
  hg_writer__write_all(w, w->buf, len);
  w->pos_fd += len;
  w->nbuf = 0;
}

static void hg_writer__raw(HgIndexWriter *w, const void *p, size_t n) {
  const uint8_t *c = p;
  while (n) {
    size_t k = HG_WBUF - w->nbuf < n ? HG_WBUF - w->nbuf : n;
    memcpy(w->buf + w->nbuf, c, k);
    w->nbuf += k;
    c += k;
    n -= k;
    w->pos += k;
    if (w->nbuf == HG_WBUF) hg_writer__flush(w);
  }
}

static void hg_writer__push_block(HgIndexWriter *w, uint32_t crc) {
  if (w->n_blocks == w->cap_blocks) {
    w->cap_blocks = w->cap_blocks ? w->cap_blocks * 2 : 256;
    uint32_t *b = hg_xrealloc(w->blocks, w->cap_blocks * sizeof(uint32_t));
    w->blocks = b;
  }
  w->blocks[w->n_blocks++] = crc;
}

/* Remove PATH.tmp.PID files that a killed writer left behind (its PID is
 * gone); a live writer's file is left alone. */
static void hg_writer__remove_stale(const char *path) {
  char dir[4096];
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  if (slash)
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path) ? (int)(slash - path) : 1, path);
  else
    snprintf(dir, sizeof dir, ".");
  size_t bl = strlen(base);
  DIR *d = opendir(dir);
  if (!d) return;
  for (struct dirent *e; (e = readdir(d));) {
    if (strncmp(e->d_name, base, bl) != 0 || strncmp(e->d_name + bl, ".tmp.", 5) != 0) continue;
    char *end;
    long pid = strtol(e->d_name + bl + 5, &end, 10);
    if (*end || pid <= 0 || pid == (long)getpid()) continue;
    if (kill((pid_t)pid, 0) != 0 && errno == ESRCH) unlinkat(dirfd(d), e->d_name, 0);
  }
  closedir(d);
}

static const char *hg_writer__kind(mode_t m) {
  return S_ISCHR(m)    ? "a character device"
         : S_ISBLK(m)  ? "a block device"
         : S_ISFIFO(m) ? "a FIFO"
         : S_ISSOCK(m) ? "a socket"
         : S_ISDIR(m)  ? "a directory"
         : S_ISLNK(m)  ? "a symbolic link"
                       : "not a regular file";
}

HgStatus hg_writer_check_target(const char *path, char *err, size_t errlen) {
  struct stat st;
  if (lstat(path, &st) != 0 || S_ISREG(st.st_mode)) return HG_OK; /* absent (or unreachable: open says why) */
  snprintf(err, errlen, "%s is %s, not a regular file: an index is never written over it", path,
           hg_writer__kind(st.st_mode));
  return HG_ERR_USAGE;
}

static void hg_writer__free(HgIndexWriter *w) {
  free(w->blocks);
  free(w->buf);
  free(w->first);
  free(w->tmp);
  free(w->path);
  free(w);
}

HgStatus hg_writer_open(HgIndexWriter **out, const char *path, const uint64_t bytes[HG_SEC_COUNT_], HgWriteMode mode,
                        char *err, size_t errlen) {
  hg_writer__remove_stale(path);
  HgIndexWriter *w = calloc(1, sizeof *w);
  if (!w) return HG_ERR_INTERNAL;
  w->fd = -1;
  w->mode = mode;
  void *buf = NULL;
  if (posix_memalign(&buf, HG_DIRECT_ALIGN, HG_WBUF) != 0) buf = NULL;
  w->buf = buf;
  w->path = strdup(path);
  size_t tl = strlen(path) + 32;
  w->tmp = malloc(tl);
  if (!w->buf || !w->path || !w->tmp) {
    hg_writer_abort(w);
    return HG_ERR_INTERNAL;
  }
  snprintf(w->tmp, tl, "%s.tmp.%ld", path, (long)getpid());
  /* A durable index is written past the page cache: it is fsynced anyway, and
   * copying it through the cache first costs more than the device takes
   * (docs/ARCHITECTURE.md).  A file system without O_DIRECT gets plain writes. */
  /* O_EXCL | O_NOFOLLOW: never write through something planted at the
   * temporary name (a symbolic link, a FIFO); one our own PID left is
   * removed first (remove_stale leaves it, since the PID is alive). */
  (void)unlink(w->tmp);
  int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  if (mode == HG_WRITE_DURABLE) {
    void *first = NULL;
    if (posix_memalign(&first, HG_DIRECT_ALIGN, HG_DIRECT_ALIGN) == 0) w->first = first;
    if (w->first) w->fd = open(w->tmp, flags | O_DIRECT, 0644);
    w->direct = w->fd >= 0;
  }
  if (w->fd < 0) w->fd = open(w->tmp, flags, 0644);
  if (w->fd < 0) {
    snprintf(err, errlen, "%s: cannot create: %s", w->tmp, strerror(errno));
    hg_writer__free(w);
    return HG_ERR_IO;
  }
  /* layout: header, directory, sections in kind order, 8-aligned */
  memcpy(w->h.magic, HG_MAGIC, 8);
  w->h.version = HG_FORMAT_VERSION;
  w->h.n_sections = NSEC;
  uint64_t off = sizeof w->h + sizeof w->dir, blocks = 0;
  for (int k = 1; k < HG_SEC_COUNT_; k++) {
    HgSectionEntry *e = &w->dir[k - 1];
    uint64_t len = k == HG_SEC_BLOCKCRCS ? blocks * sizeof(uint32_t) : bytes[k];
    off = (off + 7) & ~(uint64_t)7;
    e->kind = (uint32_t)k;
    e->record_size = hg_format_record_size[k];
    e->offset = off;
    e->count = len / hg_format_record_size[k];
    e->blocks = (uint32_t)blocks;
    if (k != HG_SEC_BLOCKCRCS) blocks += (len + HG_BLOCK - 1) / HG_BLOCK;
    off += len;
  }
  w->h.file_size = off;
  hg_writer__raw(w, &w->h, sizeof w->h); /* placeholders until close */
  hg_writer__raw(w, w->dir, sizeof w->dir);
  *out = w;
  return HG_OK;
}

static void hg_writer__end_section(HgIndexWriter *w) {
  if (!w->cur) return;
  if (w->cur_len % HG_BLOCK) hg_writer__push_block(w, w->block_crc);
  w->dir[w->cur - 1].crc = w->cur_crc;
}

void hg_writer_section(HgIndexWriter *w, int kind) {
  hg_writer__end_section(w);
  static const uint8_t zeros[8];
  uint64_t at = w->dir[kind - 1].offset;
  if (at > w->pos && at - w->pos <= 8) hg_writer__raw(w, zeros, at - w->pos);
  w->cur = kind;
  w->cur_len = 0;
  w->cur_crc = 0;
  w->block_crc = 0;
}

void hg_writer_put(HgIndexWriter *w, const void *p, size_t n) {
  const uint8_t *c = p;
  w->cur_crc = hg_crc32c(w->cur_crc, c, n);
  while (n) {
    size_t room = HG_BLOCK - (size_t)(w->cur_len % HG_BLOCK);
    size_t k = n < room ? n : room;
    w->block_crc = hg_crc32c(w->block_crc, c, k);
    hg_writer__raw(w, c, k);
    w->cur_len += k;
    c += k;
    n -= k;
    if (w->cur_len % HG_BLOCK == 0) {
      hg_writer__push_block(w, w->block_crc);
      w->block_crc = 0;
    }
  }
}

void hg_writer_abort(HgIndexWriter *w) {
  if (!w) return;
  if (w->fd >= 0) close(w->fd);
  if (w->tmp) unlink(w->tmp);
  hg_writer__free(w);
}

HgStatus hg_writer_close(HgIndexWriter *w, char *err, size_t errlen) {
  hg_writer__end_section(w);
  /* the block table, the last section */
  HgSectionEntry *bt = &w->dir[HG_SEC_BLOCKCRCS - 1];
  w->cur = 0;
  hg_writer_section(w, HG_SEC_BLOCKCRCS);
  hg_writer__raw(w, w->blocks, w->n_blocks * sizeof(uint32_t));
  bt->crc = hg_crc32c(0, w->blocks, w->n_blocks * sizeof(uint32_t));
  w->cur = 0;
  if (w->pos != w->h.file_size || bt->count != w->n_blocks) {
    snprintf(err, errlen, "%s: internal error: sections differ from their announced sizes", w->path);
    hg_writer_abort(w);
    return HG_ERR_INTERNAL;
  }
  hg_writer__flush(w);
  w->h.header_crc = 0;
  w->h.header_crc = hg_crc32c(hg_crc32c(0, &w->h, sizeof w->h), w->dir, sizeof w->dir);
  if (w->direct) {
    /* the header goes into the first block, written again whole */
    memcpy(w->first, &w->h, sizeof w->h);
    memcpy(w->first + sizeof w->h, w->dir, sizeof w->dir);
    if (!w->err && (pwrite(w->fd, w->first, HG_DIRECT_ALIGN, 0) != HG_DIRECT_ALIGN ||
                    ftruncate(w->fd, (off_t)w->h.file_size) != 0))
      w->err = errno ? errno : EIO;
  } else if (!w->err && (pwrite(w->fd, &w->h, sizeof w->h, 0) != (ssize_t)sizeof w->h ||
                         pwrite(w->fd, w->dir, sizeof w->dir, sizeof w->h) != (ssize_t)sizeof w->dir)) {
    w->err = errno ? errno : EIO;
  }
  if (!w->err && w->mode == HG_WRITE_DURABLE && fsync(w->fd) != 0) w->err = errno;
  if (close(w->fd) != 0 && !w->err) w->err = errno;
  w->fd = -1;
  char why[512];
  if (!w->err && hg_writer_check_target(w->path, why, sizeof why) != HG_OK) {
    snprintf(err, errlen, "%s", why); /* it became one while the index was written */
    unlink(w->tmp);
    hg_writer__free(w);
    return HG_ERR_IO;
  }
  if (!w->err && rename(w->tmp, w->path) != 0) w->err = errno;
  if (w->err) {
    snprintf(err, errlen, "%s: %s", w->path, strerror(w->err));
    unlink(w->tmp);
    hg_writer__free(w);
    return HG_ERR_IO;
  }
  /* make the rename itself durable */
  char *slash = strrchr(w->path, '/');
  if (slash) *slash = 0;
  int dfd = w->mode != HG_WRITE_DURABLE
                ? -1
                : open(slash ? (w->path[0] ? w->path : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  hg_writer__free(w);
  return HG_OK;
}

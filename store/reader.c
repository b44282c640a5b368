#include "store/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/crc32c.h"

struct HgIndex {
  const uint8_t *map;
  size_t size;
  volatile sig_atomic_t vanished; /* a page of the mapping was gone (the file shrank): see hg_index__sigbus */
  char *path;
  const uint8_t *sec[HG_SEC_COUNT_];
  uint64_t count[HG_SEC_COUNT_];
  uint64_t bytes[HG_SEC_COUNT_]; /* section length in bytes */
  uint32_t first_block[HG_SEC_COUNT_];
  const uint32_t *block_crc; /* BLOCKCRCS */
  uint64_t n_blocks;
  uint8_t *checked; /* a bit per block: its CRC was verified */
};

/* ---- a file truncated while it is mapped --------------------------------------------
 * Reading a page of a mapping past the end of its file raises SIGBUS.  An
 * index truncated in place while a query reads it (hgym's writers never do
 * that: they write a new file and rename it) would kill the query (exit 135).
 * The handler finds the mapping the address belongs to among the open
 * indexes, maps a page of zeros over the faulting one so the read completes,
 * and marks the index; every accessor, the JSON printer (hg_index_check_all)
 * and the merge then see the mark and report the damage like any other
 * (the fault handler: a message and exit 3), before a value read from the
 * zeros is printed or written.  A SIGBUS outside every index goes to the
 * handler that was there before (or the default action). */
enum { HG_MAX_MAPPED = 64 };
static HgIndex *volatile hg_mapped[HG_MAX_MAPPED];
static struct sigaction hg_sigbus_before;
static size_t hg_page_size;
static pthread_mutex_t hg_sigbus_mu = PTHREAD_MUTEX_INITIALIZER;

static void hg_index__sigbus(int sig, siginfo_t *si, void *ctx) {
  uintptr_t a = (uintptr_t)si->si_addr;
  for (int i = 0; i < HG_MAX_MAPPED; i++) {
    HgIndex *ix = __atomic_load_n(&hg_mapped[i], __ATOMIC_ACQUIRE);
    if (!ix || a < (uintptr_t)ix->map || a >= (uintptr_t)ix->map + ix->size) continue;
    void *page = (void *)(a & ~(uintptr_t)(hg_page_size - 1));
    if (mmap(page, hg_page_size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) != MAP_FAILED) {
      ix->vanished = 1;
      return; /* the read is retried, and finds zeros */
    }
    break;
  }
  /* not ours: what was there before */
  if ((hg_sigbus_before.sa_flags & SA_SIGINFO) && hg_sigbus_before.sa_sigaction) {
    hg_sigbus_before.sa_sigaction(sig, si, ctx);
    return;
  }
  if (hg_sigbus_before.sa_handler != SIG_DFL && hg_sigbus_before.sa_handler != SIG_IGN && hg_sigbus_before.sa_handler) {
    hg_sigbus_before.sa_handler(sig);
    return;
  }
  signal(SIGBUS, SIG_DFL); /* returning re-raises it: the default action */
}

/* Install the handler unless it is in place (someone may have put another
 * since: it is then the one chained to). */
static void hg_index__install_sigbus(void) {
  pthread_mutex_lock(&hg_sigbus_mu);
  struct sigaction cur;
  if (sigaction(SIGBUS, NULL, &cur) == 0 && !((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == hg_index__sigbus)) {
    long ps = sysconf(_SC_PAGESIZE);
    hg_page_size = ps > 0 ? (size_t)ps : 4096;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = hg_index__sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGBUS, &sa, &cur) == 0) hg_sigbus_before = cur;
  }
  pthread_mutex_unlock(&hg_sigbus_mu);
}

static void hg_index__register(HgIndex *ix) {
  hg_index__install_sigbus();
  for (int i = 0; i < HG_MAX_MAPPED; i++) {
    HgIndex *none = NULL;
    if (__atomic_compare_exchange_n(&hg_mapped[i], &none, ix, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) return;
  }
  /* more than HG_MAX_MAPPED open at once: this one is not watched (a
   * truncation is then a SIGBUS, as before) */
}

static void hg_index__unregister(HgIndex *ix) {
  for (int i = 0; i < HG_MAX_MAPPED; i++) {
    HgIndex *me = ix;
    if (__atomic_compare_exchange_n(&hg_mapped[i], &me, NULL, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) return;
  }
}

static const char *hg_program = "hgym";

void hg_index_set_program(const char *name) { hg_program = name ? name : "hgym"; }

static void hg_index__default_fault(const char *message) {
  fflush(stdout); /* what was printed before the damage stays printed */
  fprintf(stderr, "%s: %s\n", hg_program, message);
  exit(HG_EXIT_INPUT);
}

static HgIndexFault hg_fault = hg_index__default_fault;

void hg_index_set_fault_handler(HgIndexFault fn) { hg_fault = fn ? fn : hg_index__default_fault; }

#define HG_FAIL(...)                                                                                                   \
  do {                                                                                                                 \
    snprintf(errbuf, errlen, __VA_ARGS__);                                                                             \
    st = HG_ERR_FORMAT;                                                                                                \
    goto cleanup;                                                                                                      \
  } while (0)

HgStatus hg_index_open(const char *path, HgIndex **out, char *errbuf, size_t errlen) {
  HgStatus st = HG_OK;
  HgIndex *ix = NULL;
  void *map = MAP_FAILED;
  struct stat sb;
  *out = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(errbuf, errlen, "%s: cannot open index: %s", path, strerror(errno));
    return HG_ERR_IO;
  }
  if (fstat(fd, &sb) != 0) {
    snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    return HG_ERR_IO;
  }
  if (!S_ISREG(sb.st_mode)) HG_FAIL("%s: not an index (not a regular file)", path);
  if (sb.st_size == 0) HG_FAIL("%s: not an index (empty file)", path);
  if ((size_t)sb.st_size < sizeof(HgHeader))
    HG_FAIL("%s: not an index (%lld bytes, too short for a header)", path, (long long)sb.st_size);
  map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) {
    snprintf(errbuf, errlen, "%s: cannot map: %s", path, strerror(errno));
    st = HG_ERR_IO;
    goto cleanup;
  }
  HgHeader h;
  memcpy(&h, map, sizeof h);
  if (memcmp(h.magic, HG_MAGIC, 8) != 0) HG_FAIL("%s: not an hgym index (bad magic)", path);
  if (h.version != HG_FORMAT_VERSION)
    HG_FAIL("%s: index format version %u, this hgym reads version %u; rebuild the index", path, h.version,
            HG_FORMAT_VERSION);
  if (h.file_size != (uint64_t)sb.st_size)
    HG_FAIL("%s: index is %lld bytes but its header says %llu: truncated or extended", path, (long long)sb.st_size,
            (unsigned long long)h.file_size);
  if (h.n_sections == 0 || h.n_sections > 64) HG_FAIL("%s: corrupt index header (%u sections)", path, h.n_sections);
  size_t dir_bytes = (size_t)h.n_sections * sizeof(HgSectionEntry);
  if (sizeof h + dir_bytes > (size_t)sb.st_size) HG_FAIL("%s: corrupt index (directory past end of file)", path);
  uint32_t want = h.header_crc;
  h.header_crc = 0;
  uint32_t got = hg_crc32c(hg_crc32c(0, &h, sizeof h), (const uint8_t *)map + sizeof h, dir_bytes);
  if (got != want) HG_FAIL("%s: corrupt index (header checksum mismatch)", path);

  ix = calloc(1, sizeof *ix);
  if (!ix) {
    st = HG_ERR_INTERNAL;
    goto cleanup;
  }
  for (uint32_t i = 0; i < h.n_sections; i++) {
    HgSectionEntry e;
    memcpy(&e, (const uint8_t *)map + sizeof h + i * sizeof e, sizeof e);
    if (e.kind == 0 || e.kind >= HG_SEC_COUNT_) continue; /* a kind this reader does not know */
    if (e.record_size != hg_format_record_size[e.kind])
      HG_FAIL("%s: corrupt index (section %u record size %u)", path, e.kind, e.record_size);
    if (e.offset % 8 || e.offset > (uint64_t)sb.st_size || e.count > ((uint64_t)sb.st_size - e.offset) / e.record_size)
      HG_FAIL("%s: corrupt index (section %u out of bounds)", path, e.kind);
    const uint8_t *p = (const uint8_t *)map + e.offset;
    ix->sec[e.kind] = p;
    ix->count[e.kind] = e.count;
    ix->bytes[e.kind] = e.count * e.record_size;
    ix->first_block[e.kind] = e.blocks;
    if (e.kind == HG_SEC_BLOCKCRCS && hg_crc32c(0, p, ix->bytes[e.kind]) != e.crc)
      HG_FAIL("%s: corrupt index (block checksum table)", path);
  }
  /* every section's blocks must be in the table */
  ix->block_crc = (const uint32_t *)ix->sec[HG_SEC_BLOCKCRCS];
  ix->n_blocks = ix->count[HG_SEC_BLOCKCRCS];
  if (!ix->block_crc) HG_FAIL("%s: corrupt index (no block checksum table)", path);
  for (int k = 1; k < HG_SEC_COUNT_; k++) {
    if (k == HG_SEC_BLOCKCRCS || !ix->bytes[k]) continue;
    uint64_t nb = (ix->bytes[k] + HG_BLOCK - 1) / HG_BLOCK;
    if ((uint64_t)ix->first_block[k] + nb > ix->n_blocks) HG_FAIL("%s: corrupt index (section %d blocks)", path, k);
  }
  ix->checked = calloc(ix->n_blocks / 8 + 1, 1);
  ix->path = strdup(path);
  if (!ix->checked || !ix->path) {
    st = HG_ERR_INTERNAL;
    goto cleanup;
  }
  for (int k = 1; k < HG_SEC_COUNT_; k++)
    if (!ix->sec[k] && k != HG_SEC_STRINGS) ix->sec[k] = (const uint8_t *)map; /* empty table */
  if (!ix->count[HG_SEC_STRINGS] || ix->sec[HG_SEC_STRINGS][0] != 0 ||
      ix->sec[HG_SEC_STRINGS][ix->count[HG_SEC_STRINGS] - 1] != 0)
    HG_FAIL("%s: corrupt index (string table)", path);
  /* the header, directory and block table are sound; data blocks are checked as read */
  ix->map = map;
  ix->size = (size_t)sb.st_size;
  map = MAP_FAILED;
  hg_index__register(ix);
  *out = ix;
  ix = NULL;
cleanup:
  if (map != MAP_FAILED) munmap(map, (size_t)sb.st_size);
  if (ix) {
    free(ix->checked);
    free(ix->path);
  }
  free(ix);
  close(fd);
  return st;
}

void hg_index_close(HgIndex *ix) {
  if (!ix) return;
  hg_index__unregister(ix);
  munmap((void *)ix->map, ix->size);
  free(ix->checked);
  free(ix->path);
  free(ix);
}

/* The file's size now (what is left of it), for the message. */
static uint64_t hg_index__file_size(const HgIndex *ix) {
  struct stat sb;
  return stat(ix->path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

static const char *const HG_SECTION_NAMES[HG_SEC_COUNT_] = {
    "",      "strings",  "repositories", "files",        "definitions", "parameters", "imports",
    "calls", "bindings", "diagnostics",  "string lists", "edges",       "callers",    "block checksums"};

/* Verify block b of section k; 0 when it matches. */
static int hg_index__check_block(HgIndex *ix, int k, uint64_t b) {
  uint64_t at = b * HG_BLOCK, n = ix->bytes[k] - at < HG_BLOCK ? ix->bytes[k] - at : HG_BLOCK;
  return hg_crc32c(0, ix->sec[k] + at, n) != ix->block_crc[ix->first_block[k] + b];
}

/* Make sure bytes [off, off+len) of section k were verified. */
/* The file shrank under the mapping: the fault handler hears of it. */
static void hg_index__vanished_fault(const HgIndex *ix) {
  char msg[512];
  snprintf(msg, sizeof msg,
           "%s: the index file shrank while it was read (truncated in place: bytes past %llu are gone); rebuild it, "
           "and never rewrite an index in place",
           ix->path, (unsigned long long)hg_index__file_size(ix));
  hg_fault(msg);
}

static void hg_index__touch(const HgIndex *cix, int k, uint64_t off, uint64_t len) {
  HgIndex *ix = (HgIndex *)cix;
  if (ix->vanished) hg_index__vanished_fault(ix);
  if (!len) return;
  for (uint64_t b = off / HG_BLOCK; b <= (off + len - 1) / HG_BLOCK; b++) {
    uint64_t g = ix->first_block[k] + b;
    if (ix->checked[g / 8] & (1u << (g % 8))) continue;
    int bad = hg_index__check_block(ix, k, b);
    if (ix->vanished) {
      hg_index__vanished_fault(ix); /* the block read as zeros */
      return;
    }
    if (bad) {
      char msg[512];
      snprintf(msg, sizeof msg, "%s: corrupt index (%s section, bytes %llu-%llu: checksum mismatch); rebuild it",
               ix->path, HG_SECTION_NAMES[k], (unsigned long long)(b * HG_BLOCK),
               (unsigned long long)(b * HG_BLOCK + HG_BLOCK - 1));
      hg_fault(msg);
      return;
    }
    ix->checked[g / 8] |= (uint8_t)(1u << (g % 8));
  }
}

HgStatus hg_index_verify(const HgIndex *cix, char *errbuf, size_t errlen) {
  HgIndex *ix = (HgIndex *)cix;
  for (int k = 1; k < HG_SEC_COUNT_; k++) {
    if (k == HG_SEC_BLOCKCRCS) continue;
    for (uint64_t b = 0; b * HG_BLOCK < ix->bytes[k]; b++) {
      int bad = hg_index__check_block(ix, k, b);
      if (ix->vanished) {
        snprintf(errbuf, errlen, "%s: the index file shrank while it was read (truncated in place); rebuild it",
                 ix->path);
        return HG_ERR_FORMAT;
      }
      if (bad) {
        snprintf(errbuf, errlen, "%s: corrupt index (%s section, bytes %llu-%llu: checksum mismatch)", ix->path,
                 HG_SECTION_NAMES[k], (unsigned long long)(b * HG_BLOCK),
                 (unsigned long long)(b * HG_BLOCK + HG_BLOCK - 1));
        return HG_ERR_FORMAT;
      }
      uint64_t g = ix->first_block[k] + b;
      ix->checked[g / 8] |= (uint8_t)(1u << (g % 8));
    }
  }
  return HG_OK;
}

uint64_t hg_index_count(const HgIndex *ix, HgSectionKind kind) { return ix->count[kind]; }

static void hg_index__touch(const HgIndex *cix, int k, uint64_t off, uint64_t len);

const void *hg_index_section(const HgIndex *ix, HgSectionKind kind) {
  if (!ix->bytes[kind]) return NULL;
  hg_index__touch(ix, kind, 0, ix->bytes[kind]);
  return ix->sec[kind];
}

const char *hg_index_str(const HgIndex *ix, uint32_t id) {
  if (id == HG_NOSTR) return NULL;
  if (id >= ix->count[HG_SEC_STRINGS]) return "";
  const char *s = (const char *)ix->sec[HG_SEC_STRINGS] + id;
  /* verify block by block up to the terminating NUL (the table ends with one) */
  uint64_t at = id;
  for (;;) {
    uint64_t end = (at / HG_BLOCK + 1) * HG_BLOCK;
    if (end > ix->bytes[HG_SEC_STRINGS]) end = ix->bytes[HG_SEC_STRINGS];
    hg_index__touch(ix, HG_SEC_STRINGS, at, 1);
    const void *nul = memchr(ix->sec[HG_SEC_STRINGS] + at, 0, end - at);
    if (ix->vanished) hg_index__vanished_fault(ix);
    if (nul) return s;
    at = end;
  }
}

const char *hg_index_text(const HgIndex *ix, uint32_t id) { return id == HG_NOSTR ? "" : hg_index_str(ix, id); }

/* A record index out of its table can only come from a damaged (or forged)
 * index whose checksums still match: the fault handler hears of it, and a
 * zeroed record is returned should the handler come back. */
static const uint64_t hg__zero[(HG_MAX_RECORD + 7) / 8];

static void hg_index__out_of_range(const HgIndex *ix, int kind, uint32_t i) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s: corrupt index (%s record %u out of range); rebuild it", ix->path,
           HG_SECTION_NAMES[kind], i);
  hg_fault(msg);
}

HgRange hg_index_range(const HgIndex *ix, HgSectionKind kind, HgRange r) {
  uint64_t n = ix->count[kind];
  if ((uint64_t)r.first + r.count <= n) return r;
  char what[256];
  snprintf(what, sizeof what, "%s range %u+%u reaches past the table of %llu records", HG_SECTION_NAMES[kind], r.first,
           r.count, (unsigned long long)n);
  hg_index_corrupt(ix, what);
  HgRange in = {r.first < n ? r.first : (uint32_t)n, 0};
  in.count = (uint32_t)(n - in.first);
  return in;
}

void hg_index_corrupt(const HgIndex *ix, const char *what) {
  char msg[768];
  snprintf(msg, sizeof msg, "%s: corrupt index (%s); rebuild it", ix->path, what);
  hg_fault(msg);
}

#define HG_ACCESSOR(fn, T, kind)                                                                                       \
  const T *fn(const HgIndex *ix, uint32_t i) {                                                                         \
    _Static_assert(sizeof(T) <= sizeof hg__zero, "the zero record holds every record");                                \
    if (i >= ix->count[kind]) {                                                                                        \
      hg_index__out_of_range(ix, kind, i);                                                                             \
      return (const T *)hg__zero;                                                                                      \
    }                                                                                                                  \
    hg_index__touch(ix, kind, (uint64_t)i * sizeof(T), sizeof(T));                                                     \
    return &((const T *)ix->sec[kind])[i];                                                                             \
  }
HG_ACCESSOR(hg_index_repo, HgRepoRec, HG_SEC_REPOS)
HG_ACCESSOR(hg_index_file, HgFileRec, HG_SEC_FILES)
HG_ACCESSOR(hg_index_def, HgDefRec, HG_SEC_DEFS)
HG_ACCESSOR(hg_index_param, HgParamRec, HG_SEC_PARAMS)
HG_ACCESSOR(hg_index_import, HgImportRec, HG_SEC_IMPORTS)
HG_ACCESSOR(hg_index_call, HgCallRec, HG_SEC_CALLS)
HG_ACCESSOR(hg_index_bind, HgBindRec, HG_SEC_BINDS)
HG_ACCESSOR(hg_index_diag, HgDiagRec, HG_SEC_DIAGS)
HG_ACCESSOR(hg_index_edge, HgEdgeRec, HG_SEC_EDGES)

uint32_t hg_index_caller(const HgIndex *ix, uint32_t i) {
  if (i >= ix->count[HG_SEC_CALLERS]) {
    hg_index__out_of_range(ix, HG_SEC_CALLERS, i);
    return 0;
  }
  hg_index__touch(ix, HG_SEC_CALLERS, (uint64_t)i * 4, 4);
  return ((const uint32_t *)ix->sec[HG_SEC_CALLERS])[i];
}

uint32_t hg_index_strid(const HgIndex *ix, uint32_t i) {
  if (i >= ix->count[HG_SEC_STRIDS]) {
    hg_index__out_of_range(ix, HG_SEC_STRIDS, i);
    return HG_NOSTR;
  }
  hg_index__touch(ix, HG_SEC_STRIDS, (uint64_t)i * 4, 4);
  return ((const uint32_t *)ix->sec[HG_SEC_STRIDS])[i];
}

int64_t hg_index_find_file(const HgIndex *ix, uint32_t repo, const char *path, size_t len) {
  if (repo >= ix->count[HG_SEC_REPOS]) return -1;
  const HgRepoRec *r = hg_index_repo(ix, repo);
  uint32_t lo = r->files.first, hi = r->files.first + r->files.count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const char *p = hg_index_text(ix, hg_index_file(ix, mid)->path);
    int c = strncmp(p, path, len);
    if (c == 0 && p[len]) c = 1;
    if (c == 0) return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

int64_t hg_index_find_repo(const HgIndex *ix, const char *name) {
  for (uint32_t i = 0; i < ix->count[HG_SEC_REPOS]; i++)
    if (strcmp(hg_index_text(ix, hg_index_repo(ix, i)->name), name) == 0) return i;
  return -1;
}

int hg_index_vanished(const HgIndex *ix) { return ix->vanished != 0; }

void hg_index_check_all(void) {
  for (int i = 0; i < HG_MAX_MAPPED; i++) {
    HgIndex *ix = __atomic_load_n(&hg_mapped[i], __ATOMIC_ACQUIRE);
    if (ix && ix->vanished) hg_index__vanished_fault(ix);
  }
}

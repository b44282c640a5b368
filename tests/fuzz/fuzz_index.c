/*
 * fuzz_index.c: libFuzzer target for the index reader and the queries
 * (make fuzz, docs/FUZZING.md).
 *
 * The input is written to a temporary file and opened with hg_index_open.
 * Random bytes almost never pass the header's CRC-32C, so each input is
 * tried twice: as it is (the checks of hg_index_open), and "repaired" (the
 * header's file size set to the real size, then every block checksum, the
 * checksum table's and the header's recomputed), which lets the fuzzer reach
 * the queries with sections full of nonsense: out-of-range references,
 * cycles, ranges that wrap.  When the index opens, every listing, the deps of
 * every function, and callers, transitive deps, target lookup, imports and
 * the call graph run over it into /dev/null.
 *
 * A damaged block or an out-of-range reference calls the fault handler,
 * which must not return into the query: here it longjmps back.  What the
 * abandoned query had allocated (half-built cJSON trees, target arrays) is
 * not reachable from anything once the query is gone (the CLI exits then),
 * so the malloc and free hooks keep the set of blocks allocated during the
 * query and not yet freed, and after a longjmp the harness frees them all:
 * kept, they added up to gigabytes over a long run and ended it out of
 * memory (about 150,000 runs into `make fuzz FUZZ_SECONDS=120`).  A query
 * that ran to its end must have freed as many blocks as it allocated (or
 * the harness aborts).  LeakSanitizer ignores what a query
 * allocates (it cannot tell an abandoned block from a leak).
 */
#include <sanitizer/allocator_interface.h>
#include <sanitizer/lsan_interface.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/crc32c.h"
#include "store/format.h"
#include "store/reader.h"
#include "queries/deps.h"
#include "queries/listing.h"

static char path[64];
static FILE *devnull;
static jmp_buf fault_jump;

/* The blocks allocated during the current query and not yet freed, kept in
 * memory from mmap (a hook must not allocate through malloc): an open
 * addressing set of addresses for the frees to find, and the log of every
 * address allocated, in order, for the harness to walk.  A slot belongs to
 * the current query only when its generation is the current one, so
 * emptying the set between queries is one increment, not a pass over it.
 * In a slot of the current generation, p 0 is empty and 1 a removed block. */
typedef struct {
  uintptr_t p;
  uint64_t gen;
} Slot;
static Slot *slots;
static size_t slots_cap, slots_used; /* slots, slots of this generation not empty */
static uint64_t gen = 1;
static uintptr_t *blocks_log;
static size_t log_n, log_cap;
static int tracking;
static long live; /* allocations minus frees while tracking: what a query that ran to its end must bring to 0 */

static void *map_array(size_t n, size_t size) {
  void *p = mmap(NULL, n * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) abort();
  return p;
}

static size_t slot_of(uintptr_t p) { return (size_t)((p >> 4) * 0x9E3779B97F4A7C15ull) & (slots_cap - 1); }
static int slot_free(const Slot *s) { return s->gen != gen || s->p <= 1; }

static void set_insert(uintptr_t p);

static void set_grow(void) {
  Slot *old = slots;
  size_t old_cap = slots_cap;
  slots_cap = old_cap ? old_cap * 2 : 1 << 16;
  slots = map_array(slots_cap, sizeof *slots);
  slots_used = 0;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].gen == gen && old[i].p > 1) set_insert(old[i].p);
  if (old) munmap(old, old_cap * sizeof *old);
}

static void set_insert(uintptr_t p) {
  if ((slots_used + 1) * 2 > slots_cap) set_grow();
  size_t i = slot_of(p);
  while (!slot_free(&slots[i])) i = (i + 1) & (slots_cap - 1);
  if (slots[i].gen != gen || slots[i].p == 0) slots_used++;
  slots[i] = (Slot){p, gen};
}

/* Remove p; 1 when it was there. */
static int set_remove(uintptr_t p) {
  if (!slots_cap) return 0;
  for (size_t i = slot_of(p); slots[i].gen == gen && slots[i].p; i = (i + 1) & (slots_cap - 1))
    if (slots[i].p == p) {
      slots[i].p = 1;
      return 1;
    }
  return 0;
}

static void log_push(uintptr_t p) {
  if (log_n == log_cap) {
    size_t cap = log_cap ? log_cap * 2 : 1 << 16;
    uintptr_t *bigger = map_array(cap, sizeof *bigger);
    if (blocks_log) {
      memcpy(bigger, blocks_log, log_n * sizeof *bigger);
      munmap(blocks_log, log_cap * sizeof *blocks_log);
    }
    blocks_log = bigger;
    log_cap = cap;
  }
  blocks_log[log_n++] = p;
}

static void on_malloc(const volatile void *p, size_t n) {
  if (!tracking) return;
  live++;
  set_insert((uintptr_t)p);
  log_push((uintptr_t)p);
}
static void on_free(const volatile void *p) {
  if (!tracking) return;
  live--;
  set_remove((uintptr_t)p);
}

/* Free what an abandoned (faulted) query left: the logged blocks still in
 * the set.  A query that ended normally has freed as many as it allocated
 * (checked by the caller); what it kept, if anything, is not touched.  Then
 * the next query starts with an empty set and log. */
static void free_abandoned(int faulted) {
  tracking = 0;
  for (size_t i = 0; faulted && i < log_n; i++)
    if (set_remove(blocks_log[i])) free((void *)blocks_log[i]);
  log_n = 0;
  slots_used = 0;
  gen++;
}

static void on_fault(const char *message) { longjmp(fault_jump, 1); }


int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *dir = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/hgym-fuzz-XXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0 || !(devnull = fopen("/dev/null", "w"))) abort();
  close(fd);
  /* stdio would allocate the buffer on the first write, inside a query */
  static char devnull_buf[1 << 16];
  setvbuf(devnull, devnull_buf, _IOFBF, sizeof devnull_buf);
  __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
  hg_index_set_fault_handler(on_fault);
  return 0;
}

typedef enum { Q_DEFS, Q_FILES, Q_REPOS, Q_DIAGS, Q_EXPORT, Q_STATS, Q_DEPS_ALL, Q_PER_DEF, Q_PER_REPO, Q_COUNT } Query;
static const char *const QUERY_NAMES[Q_COUNT] = {"defs",  "files",    "repos",   "diags",  "export",
                                                 "stats", "deps_all", "per_def", "per_repo"};

/* Targets and per-def queries over the first few defs (bounded work per input). */
static void per_def(const HgIndex *ix) {
  uint64_t n = hg_index_count(ix, HG_SEC_DEFS);
  for (uint32_t d = 0; d < n && d < 8; d++) {
    hg_query_deps(ix, d, 0, devnull);
    hg_query_callers(ix, d, devnull);
    hg_query_deps_transitive(ix, d, 3, HG_DEPS_BARE_DECORATORS, devnull);
    const HgDefRec *r = hg_index_def(ix, d);
    char target[512], err[512];
    const char *file = hg_index_str(ix, hg_index_file(ix, r->file)->path);
    uint32_t *defs, nd;
    snprintf(target, sizeof target, "%s:%s", file ? file : "", hg_index_str(ix, r->qualname));
    if (hg_target_find(ix, -1, target, &defs, &nd, err, sizeof err) == HG_OK) free(defs);
    snprintf(target, sizeof target, "%s:%u", file ? file : "", r->line_start);
    if (hg_target_find(ix, -1, target, &defs, &nd, err, sizeof err) == HG_OK) free(defs);
  }
}

static void per_repo(const HgIndex *ix) {
  uint64_t n = hg_index_count(ix, HG_SEC_REPOS);
  for (uint32_t r = 0; r < n && r < 4; r++) {
    char err[512];
    hg_query_callgraph_pycg(ix, r, devnull);
    const HgRepoRec *rr = hg_index_repo(ix, r);
    if (rr->files.count) {
      const char *file = hg_index_str(ix, hg_index_file(ix, rr->files.first)->path);
      hg_query_imports(ix, r, file ? file : "", devnull, err, sizeof err);
    }
    hg_query_imports(ix, -1, "no/such/file.py", devnull, err, sizeof err);
  }
}

static void run_query(const HgIndex *ix, Query q) {
  switch (q) {
  case Q_DEFS: hg_query_defs(ix, -1, devnull); break;
  case Q_FILES: hg_query_files(ix, -1, devnull); break;
  case Q_REPOS: hg_query_repos(ix, devnull); break;
  case Q_DIAGS: hg_query_diags(ix, -1, devnull); break;
  case Q_EXPORT: hg_query_export(ix, -1, devnull); break;
  case Q_STATS: hg_query_stats(ix, -1, devnull); break;
  case Q_DEPS_ALL: hg_query_deps_all(ix, -1, HG_DEPS_BARE_DECORATORS, devnull); break;
  case Q_PER_DEF: per_def(ix); break;
  case Q_PER_REPO: per_repo(ix); break;
  default: break;
  }
}

static void run_index(const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  if (fclose(f) != 0) abort();
  HgIndex *ix;
  char err[1024];
  if (hg_index_open(path, &ix, err, sizeof err) != HG_OK) return;
  char verr[1024];
  (void)hg_index_verify(ix, verr, sizeof verr);
  for (int q = 0; q < Q_COUNT; q++) {
    volatile int faulted = 0;
    fflush(devnull);
    __lsan_disable();
    live = 0;
    tracking = 1;
    if (setjmp(fault_jump) == 0) run_query(ix, (Query)q);
    else faulted = 1;
    tracking = 0;
    long leaked = live;
    free_abandoned(faulted);
    __lsan_enable();
    if (!faulted && leaked != 0) {
      fprintf(stderr, "fuzz_index: query %s ended normally with %ld allocations not freed\n", QUERY_NAMES[q], leaked);
      abort();
    }
  }
  hg_index_close(ix);
}

/* Make the checksums match whatever the sections hold (see the top). */
static void repair(uint8_t *b, size_t size) {
  HgHeader h;
  if (size < sizeof h) return;
  memcpy(&h, b, sizeof h);
  h.file_size = size;
  if (h.n_sections == 0 || h.n_sections > 64 || sizeof h + (size_t)h.n_sections * sizeof(HgSectionEntry) > size) return;
  HgSectionEntry *dir = malloc(h.n_sections * sizeof *dir);
  if (!dir) abort();
  memcpy(dir, b + sizeof h, h.n_sections * sizeof *dir);
  int crcs = -1;
  for (uint32_t i = 0; i < h.n_sections; i++) {
    HgSectionEntry *e = &dir[i];
    if (e->kind == 0 || e->kind >= HG_SEC_COUNT_ || e->record_size != hg_format_record_size[e->kind] ||
        e->offset % 8 || e->offset > size || e->count > (size - e->offset) / e->record_size)
      continue;
    if (e->kind == HG_SEC_BLOCKCRCS) crcs = (int)i;
  }
  if (crcs >= 0) {
    HgSectionEntry *t = &dir[crcs];
    uint32_t *table = (uint32_t *)(b + t->offset);
    for (uint32_t i = 0; i < h.n_sections; i++) {
      HgSectionEntry *e = &dir[i];
      if ((int)i == crcs || e->kind == 0 || e->kind >= HG_SEC_COUNT_ || e->kind == HG_SEC_BLOCKCRCS ||
          e->record_size != hg_format_record_size[e->kind] || e->offset % 8 || e->offset > size ||
          e->count > (size - e->offset) / e->record_size)
        continue;
      uint64_t bytes = e->count * e->record_size;
      for (uint64_t k = 0; k * HG_BLOCK < bytes; k++) {
        uint64_t n = bytes - k * HG_BLOCK < HG_BLOCK ? bytes - k * HG_BLOCK : HG_BLOCK;
        if (e->blocks + k < t->count) table[e->blocks + k] = hg_crc32c(0, b + e->offset + k * HG_BLOCK, n);
      }
      e->crc = hg_crc32c(0, b + e->offset, bytes);
    }
    t->crc = hg_crc32c(0, table, t->count * 4);
  }
  memcpy(b + sizeof h, dir, h.n_sections * sizeof *dir);
  free(dir);
  h.header_crc = 0;
  h.header_crc = hg_crc32c(hg_crc32c(0, &h, sizeof h), b + sizeof h, h.n_sections * sizeof(HgSectionEntry));
  memcpy(b, &h, sizeof h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  run_index(data, size);
  uint8_t *copy = malloc(size ? size : 1);
  if (!copy) abort();
  memcpy(copy, data, size);
  repair(copy, size);
  if (memcmp(copy, data, size) != 0) run_index(copy, size);
  free(copy);
  return 0;
}

/* index_harness.c: see index_harness.h. */
#include "tests/fuzz/index_harness.h"

#include <sanitizer/allocator_interface.h>
#include <sanitizer/lsan_interface.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/crc32c.h"
#include "store/format.h"

FILE *harness_devnull;
static char path[64];
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

void harness_init(void) {
  const char *dir = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/hgym-fuzz-XXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0 || !(harness_devnull = fopen("/dev/null", "w"))) abort();
  close(fd);
  /* stdio would allocate the buffer on the first write, inside a query */
  static char devnull_buf[1 << 16];
  setvbuf(harness_devnull, devnull_buf, _IOFBF, sizeof devnull_buf);
  __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
  hg_index_set_fault_handler(on_fault);
}

HgIndex *harness_open(const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  if (fclose(f) != 0) abort();
  HgIndex *ix;
  char err[1024];
  return hg_index_open(path, &ix, err, sizeof err) == HG_OK ? ix : NULL;
}

void harness_query(const char *name, void (*fn)(const HgIndex *ix, int arg), const HgIndex *ix, int arg) {
  volatile int faulted = 0;
  fflush(harness_devnull);
  __lsan_disable();
  live = 0;
  tracking = 1;
  if (setjmp(fault_jump) == 0)
    fn(ix, arg);
  else
    faulted = 1;
  tracking = 0;
  long leaked = live;
  free_abandoned(faulted);
  __lsan_enable();
  if (!faulted && leaked != 0) {
    fprintf(stderr, "fuzz: query %s ended normally with %ld allocations not freed\n", name, leaked);
    abort();
  }
}

/* Make the checksums match whatever the sections hold (see the top). */
static void harness__repair(uint8_t *b, size_t size) {
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

void harness_each_form(const uint8_t *data, size_t size, void (*fn)(const uint8_t *data, size_t size)) {
  fn(data, size);
  uint8_t *copy = malloc(size ? size : 1);
  if (!copy) abort();
  memcpy(copy, data, size);
  harness__repair(copy, size);
  if (memcmp(copy, data, size) != 0) fn(copy, size);
  free(copy);
}

#include "base/crc32c.h"

#include <pthread.h>
#include <string.h>

static uint32_t hg_crc__table[8][256];
static pthread_once_t hg_crc__once = PTHREAD_ONCE_INIT;
static int hg_crc__hw;

static void hg_crc32c__init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
    hg_crc__table[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++)
    for (int t = 1; t < 8; t++)
      hg_crc__table[t][i] = (hg_crc__table[t - 1][i] >> 8) ^ hg_crc__table[0][hg_crc__table[t - 1][i] & 0xFF];
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  hg_crc__hw = __builtin_cpu_supports("sse4.2");
#endif
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("sse4.2"))) static uint32_t hg_crc__hw32(uint32_t crc, const unsigned char *p, size_t len) {
  uint64_t c = crc;
  while (len >= 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    c = __builtin_ia32_crc32di(c, v);
    p += 8;
    len -= 8;
  }
  uint32_t c32 = (uint32_t)c;
  while (len--) c32 = __builtin_ia32_crc32qi(c32, *p++);
  return c32;
}
#endif

uint32_t hg_crc32c(uint32_t crc, const void *data, size_t len) {
  pthread_once(&hg_crc__once, hg_crc32c__init);
  const unsigned char *p = data;
  crc = ~crc;
#if defined(__x86_64__) && defined(__GNUC__)
  if (hg_crc__hw) return ~hg_crc__hw32(crc, p, len);
#endif
  while (len >= 8) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + 4, 4);
    lo ^= crc;
    crc = hg_crc__table[7][lo & 0xFF] ^ hg_crc__table[6][(lo >> 8) & 0xFF] ^ hg_crc__table[5][(lo >> 16) & 0xFF] ^
          hg_crc__table[4][lo >> 24] ^ hg_crc__table[3][hi & 0xFF] ^ hg_crc__table[2][(hi >> 8) & 0xFF] ^
          hg_crc__table[1][(hi >> 16) & 0xFF] ^ hg_crc__table[0][hi >> 24];
    p += 8;
    len -= 8;
  }
  while (len--) crc = (crc >> 8) ^ hg_crc__table[0][(crc ^ *p++) & 0xFF];
  return ~crc;
}

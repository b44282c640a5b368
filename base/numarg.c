#include "base/numarg.h"

#include <stdio.h>

/* Decimal digits only, no overflow; *end is the first byte after them. */
static int hg_numarg__digits(const char *s, uint64_t *out, const char **end) {
  uint64_t v = 0;
  const char *p = s;
  for (; *p >= '0' && *p <= '9'; p++) {
    unsigned d = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - d) / 10) return -1;
    v = v * 10 + d;
  }
  if (p == s) return -1;
  *out = v;
  *end = p;
  return 0;
}

int hg_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out) {
  uint64_t v;
  const char *end;
  if (!s || hg_numarg__digits(s, &v, &end) || *end || v < min || v > max) return -1;
  *out = v;
  return 0;
}

int hg_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out) {
  uint64_t v;
  const char *end;
  if (!s || hg_numarg__digits(s, &v, &end)) return -1;
  unsigned shift = 0;
  switch (*end) {
  case 'k':
  case 'K': shift = 10; break;
  case 'm':
  case 'M': shift = 20; break;
  case 'g':
  case 'G': shift = 30; break;
  case 0: break;
  default: return -1;
  }
  if (shift && *++end) return -1;
  if (v > (UINT64_MAX >> shift)) return -1; /* 17179869184G would wrap to 0 */
  v <<= shift;
  if (v < min || v > max) return -1;
  *out = v;
  return 0;
}

/* A size as the user would write it: 4G, 16M, 1K or bytes. */
static void hg_numarg__size_text(char *buf, size_t len, uint64_t v) {
  static const char suffix[] = {'G', 'M', 'K'};
  for (int i = 0; i < 3; i++) {
    unsigned shift = 30 - 10 * (unsigned)i;
    if (v && v % ((uint64_t)1 << shift) == 0) {
      snprintf(buf, len, "%llu%c", (unsigned long long)(v >> shift), suffix[i]);
      return;
    }
  }
  snprintf(buf, len, "%llu", (unsigned long long)v);
}

void hg_numarg_error(char *buf, size_t len, const char *option, const char *value, uint64_t min, uint64_t max,
                     int size) {
  char a[32], b[32];
  if (size) {
    hg_numarg__size_text(a, sizeof a, min);
    hg_numarg__size_text(b, sizeof b, max);
  } else {
    snprintf(a, sizeof a, "%llu", (unsigned long long)min);
    snprintf(b, sizeof b, "%llu", (unsigned long long)max);
  }
  snprintf(buf, len, "%s: '%s' is not a %s from %s to %s", option, value, size ? "size" : "number", a, b);
}

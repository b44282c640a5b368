#include "base/utf8.h"

#include <stdint.h>
#include <string.h>

int hg_utf8_seq_len(const unsigned char *s, size_t avail) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  int n;
  unsigned min;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, min = 0x10000;
  else
    return 0;
  if ((size_t)n > avail) return 0;
  unsigned cp = c & (0x7F >> n);
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

size_t hg_utf8_check(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    if (i + 8 <= len) { /* ASCII runs, a word at a time */
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (!(w & 0x8080808080808080ull)) {
        i += 8;
        continue;
      }
    }
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    int n = hg_utf8_seq_len(s + i, len - i);
    if (!n) return i;
    i += (size_t)n;
  }
  return len;
}

size_t hg_utf8_repair(char *dst, const char *src, size_t len) {
  const unsigned char *u = (const unsigned char *)src;
  size_t out = 0;
  for (size_t i = 0; i < len;) {
    int n = u[i] ? hg_utf8_seq_len(u + i, len - i) : 0;
    if (n > 0) {
      memcpy(dst + out, u + i, (size_t)n);
      out += (size_t)n;
      i += (size_t)n;
    } else {
      memcpy(dst + out, "\xEF\xBF\xBD", 3);
      out += 3;
      i++;
    }
  }
  return out;
}

int hg_utf8_fputs(const char *s, FILE *out) { return hg_utf8_fwrite(s, strlen(s), out); }

int hg_utf8_fwrite(const char *s, size_t len, FILE *out) {
  const unsigned char *u = (const unsigned char *)s;
  for (;;) {
    size_t good = hg_utf8_check(u, len); /* a valid run, written as it is, up to a NUL */
    const unsigned char *nul = memchr(u, 0, good);
    if (nul) good = (size_t)(nul - u);
    if (good && fwrite(u, 1, good, out) != good) return EOF;
    if (good == len) return 0;
    if (fwrite("\xEF\xBF\xBD", 1, 3, out) != 3) return EOF;
    u += good + 1;
    len -= good + 1;
  }
}

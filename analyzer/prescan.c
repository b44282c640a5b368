#include "analyzer/prescan.h"

uint32_t hg_prescan_nesting(const char *src, uint32_t len, uint32_t stop) {
  uint32_t depth = 0, deepest = 0;
  for (uint32_t i = 0; i < len;) {
    char c = src[i];
    if (c == '#') {
      while (i < len && src[i] != '\n') i++;
    } else if (c == '\'' || c == '"') {
      /* a string (its prefix letters are already passed); a single-quoted one
       * left open ends at the line's end, as in hg_analyzer__retab_brackets */
      int triple = i + 2 < len && src[i + 1] == c && src[i + 2] == c;
      i += triple ? 3 : 1;
      while (i < len) {
        if (src[i] == '\\') {
          i += 2;
        } else if (src[i] == c && (!triple || (i + 2 < len && src[i + 1] == c && src[i + 2] == c))) {
          i += triple ? 3 : 1;
          break;
        } else if (src[i] == '\n' && !triple) {
          break;
        } else {
          i++;
        }
      }
      continue;
    } else if (c == '(' || c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > stop) return stop + 1;
    } else if ((c == ')' || c == ']' || c == '}') && depth) {
      depth--;
    }
    i++;
  }
  return deepest;
}

/* utf8.c - strict UTF-8 decoding (overlongs and surrogates become U+FFFD). */
#include "util/utf8.h"

uint32_t utf8_decode(const char *str, size_t len, int *n) {
  const unsigned char *s = (const unsigned char *)str;
  *n = 1;
  if (len == 0) return 0xFFFD;
  unsigned c = s[0];
  if (c < 0x80) return c;
  int extra;
  uint32_t cp, min;
  if ((c & 0xE0) == 0xC0) extra = 1, cp = c & 0x1F, min = 0x80;
  else if ((c & 0xF0) == 0xE0) extra = 2, cp = c & 0x0F, min = 0x800;
  else if ((c & 0xF8) == 0xF0) extra = 3, cp = c & 0x07, min = 0x10000;
  else return 0xFFFD;
  if ((size_t)extra >= len) return 0xFFFD;
  for (int i = 1; i <= extra; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  *n = extra + 1;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
  return cp;
}

int utf8_encode(uint32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

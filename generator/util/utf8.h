/* utf8.h - decoding and encoding UTF-8; text stays Unicode end to end. */
#ifndef BILAGA_UTIL_UTF8_H
#define BILAGA_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (at most len bytes); stores its byte length
 * in *n (at least 1). Malformed sequences give U+FFFD. */
uint32_t utf8_decode(const char *s, size_t len, int *n);
/* Encodes cp into out (4 bytes room); returns the byte count. */
int utf8_encode(uint32_t cp, char *out);

#endif

/* numfmt.c - decimal string arithmetic for printing typed numbers. */
#include "text/numfmt.h"

#include <string.h>

enum { MAX_DIGITS = 64 };

int format_number(const char *value, const number_format *fmt, char *out, size_t size) {
  const char *p = value;
  int negative = 0, explicit_plus = 0;
  if (*p == '-' || *p == '+') negative = *p == '-', explicit_plus = *p == '+', p++;
  char ip[MAX_DIGITS + 2], fp[MAX_DIGITS + 1];
  int il = 0, fl = 0;
  while (*p >= '0' && *p <= '9' && il < MAX_DIGITS) ip[il++] = *p++;
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9' && fl < MAX_DIGITS) fp[fl++] = *p++;
  }
  if (*p != '\0' || (il == 0 && fl == 0)) return -1;
  if (il == 0) ip[il++] = '0';
  int decimals = fmt->decimals < 0 ? fl : fmt->decimals;
  if (decimals > MAX_DIGITS) decimals = MAX_DIGITS;
  /* round half away from zero at `decimals` */
  int round_up = fl > decimals && fp[decimals] >= '5';
  for (int i = fl; i < decimals; i++) fp[i] = '0';
  fl = decimals;
  if (round_up) {
    int i = fl - 1;
    for (; i >= 0; i--) {
      if (fp[i] == '9') fp[i] = '0';
      else {
        fp[i]++;
        break;
      }
    }
    if (i < 0) {
      int j = il - 1;
      for (; j >= 0; j--) {
        if (ip[j] == '9') ip[j] = '0';
        else {
          ip[j]++;
          break;
        }
      }
      if (j < 0) {
        memmove(ip + 1, ip, (size_t)il);
        ip[0] = '1';
        il++;
      }
    }
  }
  int start = 0; /* strip leading zeros, keep one */
  while (start < il - 1 && ip[start] == '0') start++;
  int is_zero = 1;
  for (int i = start; i < il; i++) is_zero &= ip[i] == '0';
  for (int i = 0; i < fl; i++) is_zero &= fp[i] == '0';
  size_t o = 0;
#define PUT(s, n)                       \
  do {                                  \
    size_t n_ = (n);                    \
    if (o + n_ >= size) return -1;      \
    memcpy(out + o, (s), n_);           \
    o += n_;                            \
  } while (0)
  if (negative && !is_zero) PUT(fmt->minus, strlen(fmt->minus));
  else if ((fmt->sign_always || explicit_plus) && !is_zero) PUT("+", 1);
  int digits = il - start;
  size_t group_len = strlen(fmt->group);
  /* Four-digit numbers are grouped too (1 234), as Swedish tables do. */
  for (int i = 0; i < digits; i++) {
    if (i > 0 && (digits - i) % 3 == 0) PUT(fmt->group, group_len);
    PUT(&ip[start + i], 1);
  }
  if (fl > 0) {
    PUT(fmt->decimal, strlen(fmt->decimal));
    PUT(fp, (size_t)fl);
  }
  if (fmt->unit && *fmt->unit) {
    if (!fmt->unit_tight && fmt->unit[0] != ' ') PUT("\xc2\xa0", 2);
    PUT(fmt->unit, strlen(fmt->unit));
  }
#undef PUT
  out[o] = '\0';
  return (int)o;
}

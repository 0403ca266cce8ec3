/* numfmt.c - decimal string arithmetic for printing typed numbers. */
#include "text/numfmt.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int format_number(const char *value, const number_format *fmt, char *out, size_t size) {
  const char *p = value;
  int negative = 0, explicit_plus = 0;
  if (*p == '-' || *p == '+') negative = *p == '-', explicit_plus = *p == '+', p++;
  /* digits of any count: the integer part (with room for a carry) and
   * the fraction (with room for the decimals asked for) on the heap */
  size_t int_digits = strspn(p, "0123456789");
  size_t frac_digits = p[int_digits] == '.' ? strspn(p + int_digits + 1, "0123456789") : 0;
  const char *rest = p + int_digits + (p[int_digits] == '.' ? 1 + frac_digits : 0);
  if (*rest != '\0' || (int_digits == 0 && frac_digits == 0) || int_digits > INT_MAX / 2 ||
      frac_digits > INT_MAX / 2)
    return -1;
  int decimals = fmt->decimals < 0 ? (int)frac_digits : fmt->decimals;
  size_t frac_room = frac_digits > (size_t)decimals ? frac_digits : (size_t)decimals;
  char *ip = malloc(int_digits + 2), *fp = malloc(frac_room + 1);
  if (!ip || !fp) {
    free(ip);
    free(fp);
    return -1;
  }
  int il = (int)int_digits, fl = (int)frac_digits;
  memcpy(ip, p, int_digits);
  if (fl) memcpy(fp, p + int_digits + 1, frac_digits);
  if (il == 0) ip[il++] = '0';
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
    if (o + n_ >= size) goto too_small; \
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
  free(ip);
  free(fp);
  return (int)o;
too_small:
  free(ip);
  free(fp);
  return -1;
}

/* num.c - number text without the C locale's help: PDF and XML want '.'
 * whatever LC_NUMERIC says. */
#include "util/num.h"

#include <math.h>

double strtod_c(const char *s, char **end) {
  const char *p = s;
  int negative = 0;
  while (*p == ' ' || *p == '\t') p++;
  if (*p == '-' || *p == '+') negative = *p++ == '-';
  double v = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0'), digits++;
  if (*p == '.') {
    p++;
    double scale = 0.1;
    while (*p >= '0' && *p <= '9') v += (*p++ - '0') * scale, scale /= 10, digits++;
  }
  if (!digits) {
    if (end) *end = (char *)s;
    return 0;
  }
  if (end) *end = (char *)p;
  return negative ? -v : v;
}

/* Digits of v into out (reversed), returns the count. */
static int digits_reversed(unsigned long long v, char *out) {
  int n = 0;
  do {
    out[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return n;
}

/* By hand rather than snprintf: PDF content writes millions of numbers. */
int format_real(char *out, size_t size, double v, int decimals) {
  static const double scales[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  if (size < 32) return 0;
  if (!(v > -1e15 && v < 1e15)) v = 0; /* NaN and absurd values: nothing sensible to write */
  long long q = llround(v * scales[decimals]);
  int negative = q < 0;
  unsigned long long a = negative ? (unsigned long long)(-q) : (unsigned long long)q;
  unsigned long long scale = (unsigned long long)scales[decimals];
  unsigned long long ip = a / scale, fp = a % scale;
  char tmp[24];
  int n = 0, o = 0;
  if (negative) out[o++] = '-';
  n = digits_reversed(ip, tmp);
  while (n > 0) out[o++] = tmp[--n];
  if (fp) {
    char frac[8];
    for (int k = decimals - 1; k >= 0; k--, fp /= 10) frac[k] = (char)('0' + fp % 10);
    int fl = decimals;
    while (fl > 0 && frac[fl - 1] == '0') fl--;
    out[o++] = '.';
    for (int k = 0; k < fl; k++) out[o++] = frac[k];
  }
  out[o] = '\0';
  return o;
}

/* num.c - number text without the C locale's help: PDF and XML want '.'
 * whatever LC_NUMERIC says. */
#include "util/num.h"

#include <math.h>
#include <stdio.h>

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

int format_real(char *out, size_t size, double v, int decimals) {
  static const double scales[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  double scale = scales[decimals];
  long long q = llround(v * scale);
  int negative = q < 0;
  unsigned long long a = negative ? (unsigned long long)(-q) : (unsigned long long)q;
  unsigned long long ip = a / (unsigned long long)scale, fp = a % (unsigned long long)scale;
  int n;
  if (fp == 0) {
    n = snprintf(out, size, "%s%llu", negative ? "-" : "", ip);
  } else {
    char frac[24];
    snprintf(frac, sizeof frac, "%0*llu", decimals, fp);
    int fl = decimals;
    while (fl > 0 && frac[fl - 1] == '0') frac[--fl] = '\0';
    n = snprintf(out, size, "%s%llu.%s", negative ? "-" : "", ip, frac);
  }
  return n;
}

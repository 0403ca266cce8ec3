/* num.h - locale-independent number reading and writing. */
#ifndef BILAGA_UTIL_NUM_H
#define BILAGA_UTIL_NUM_H

#include <stddef.h>

/* strtod that always reads '.' as the decimal point, whatever the locale. */
double strtod_c(const char *s, char **end);
/* Writes v with at most `decimals` decimals, '.' as the point, trailing
 * zeros and point removed; returns the length. For PDF operators. */
int format_real(char *out, size_t size, double v, int decimals);

#endif

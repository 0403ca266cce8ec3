/* numfmt.h - typed numbers printed the Swedish way (decimal comma, grouped
 * thousands, a true minus sign), with separators from the template. */
#ifndef BILAGA_TEXT_NUMFMT_H
#define BILAGA_TEXT_NUMFMT_H

#include <stddef.h>

typedef struct number_format {
  const char *decimal;  /* "," */
  const char *group;    /* U+00A0, U+2009 or "" */
  const char *minus;    /* U+2212 or "-" */
  int decimals;         /* -1: as written */
  const char *unit;     /* "%" or NULL; printed after a no-break space */
  int sign_always;      /* +12,1 */
  int unit_tight;       /* the unit follows without a space (3,0%) */
} number_format;

/* Formats a canonical decimal ("-1234.5") into out; returns the byte
 * length, or -1 when value is not a decimal or out is too small. Rounding
 * is decimal (half away from zero) on the written digits, so no binary
 * floating point error creeps in. */
int format_number(const char *value, const number_format *fmt, char *out, size_t size);

#endif
